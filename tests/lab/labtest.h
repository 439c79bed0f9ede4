/* labtest.h: helpers shared by the lab tests (a real daemon and real
 * guests): run a shell command (virsh, qemu-img, ...) and read its output,
 * time the steps, answer a y/N question, and talk to a guest on its serial
 * console in virtmux's console pane. Include it instead of vmtest.h. */
#ifndef VIRTMUX_LABTEST_H
#define VIRTMUX_LABTEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <sys/wait.h>
#include <unistd.h>
#include <time.h>

#include "../screen/vmtest.h"

/* when the test began (set by main), for step() */
static struct timespec t0;

/* Run a shell command (printf-style); its exit status. */
static inline int __attribute__((format(printf, 1, 2)))
sh(const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    int rc;

    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    rc = system(cmd);
    return rc == -1 ? -1 : WIFEXITED(rc) ? WEXITSTATUS(rc) : 128;
}

/* The first line of a shell command's output (without the newline). */
static inline char * __attribute__((format(printf, 3, 4)))
sh_out(char *buf, size_t len, const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;
    FILE *p;

    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    buf[0] = '\0';
    if ((p = popen(cmd, "r"))) {
        if (!fgets(buf, (int)len, p))
            buf[0] = '\0';
        pclose(p);
    }
    buf[strcspn(buf, "\n")] = '\0';
    return buf;
}

/* The output of a shell command, lines joined by spaces, trimmed. */
static inline char * __attribute__((format(printf, 3, 4)))
sh_all(char *buf, size_t len, const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    FILE *p;
    size_t n = 0;

    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    buf[0] = '\0';
    if ((p = popen(cmd, "r"))) {
        n = fread(buf, 1, len - 1, p);
        pclose(p);
    }
    buf[n] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (buf[i] == '\n')
            buf[i] = ' ';
    }
    while (n && buf[n - 1] == ' ')
        buf[--n] = '\0';
    return buf;
}

static inline const char *
sha256(const char *path, char *buf, size_t len)
{
    return sh_all(buf, len, "sha256sum < '%s' | cut -d' ' -f1", path);
}

/* The marker as the image reads (through its backing chain): 6 bytes at
 * 1 MiB, from qemu-io's hex dump; "" if it cannot be read. */
static inline const char *
img_mark(const char *path, char *buf)
{
    char out[512], *p;
    unsigned b[6];

    buf[0] = '\0';
    sh_all(out, sizeof(out), "qemu-io -r -U -f qcow2 -c 'read -v 1048576 6' '%s' 2>&1 | "
           "grep '^00100000:'", path);
    p = strchr(out, ':');
    if (p && sscanf(p + 1, "%x %x %x %x %x %x", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]) == 6) {
        for (int i = 0; i < 6; i++)
            buf[i] = b[i] >= ' ' && b[i] <= '~' ? (char)b[i] : '.';
        buf[6] = '\0';
    }
    return buf;
}

static inline bool
exists(const char *path)
{
    return access(path, F_OK) == 0;
}



static inline bool
wait_gone(const char *path, int ms)
{
    for (int waited = 0; waited <= ms; waited += 100) {
        if (!exists(path))
            return true;
        usleep(100 * 1000);
    }
    return false;
}

static inline double
elapsed(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0.tv_sec) + (double)(t.tv_nsec - t0.tv_nsec) / 1e9;
}

static inline void
step(const char *what)
{
    fprintf(stderr, "[%6.2f s] %s\n", elapsed(), what);
}

/* A ':' command that asks y/N: check the question, answer y. */
static inline void
confirmed(struct scr *s, const char *line, const char *question)
{
    vm_command(s, line);
    SCR_CHECK(s, scr_wait_text(s, question, T_WAIT) == 0, "the confirmation question");
    SCR_CHECK(s, scr_wait_text(s, "[y/N]", T_WAIT) == 0);
    scr_key(s, "y");
}

/* ---- a guest on its serial console in virtmux's console pane ---- */

struct lab_guest {
    const char *dom;
    const char *serial;              /* its serial log (LAB_SERIAL_LOG...) */
    bool in_console;                 /* its console pane has the keys */
};

/* whose console has the keys now, or NULL */
static struct lab_guest *lab_keys;

/* Leave the console's input mode: the keys are virtmux's again. */
static inline void
lab_keys_home(struct scr *s)
{
    if (lab_keys && lab_keys->in_console) {
        scr_key(s, "C-]");
        scr_pump(s, 100);
        lab_keys->in_console = false;
    }
    lab_keys = NULL;
}

/* A ':' command typed with the keys home (no console has them). */
static inline void
lab_command(struct scr *s, const char *line)
{
    lab_keys_home(s);
    vm_command(s, line);
}

/* g's console pane, opened (or focused) with the keys in it. */
static inline void
lab_open(struct scr *s, struct lab_guest *g)
{
    char line[256];

    if (lab_keys == g && g->in_console)
        return;
    lab_keys_home(s);
    snprintf(line, sizeof(line), "console %s", g->dom);
    vm_command(s, line);
    snprintf(line, sizeof(line), "console %s [attached]", g->dom);
    SCR_CHECK(s, scr_wait_text(s, line, 90000) == 0, "%s's console", g->dom);
    g->in_console = true;
    lab_keys = g;
}

/* Open g's console and press Enter once a second until the prompt
 * answers (qemu drops output until it notices the pty is open, on a 1 s
 * poll). */
static inline void
lab_prompt(struct scr *s, struct lab_guest *g)
{
    static int round;
    char line[128];

    lab_open(s, g);
    round++;
    for (int i = 0; i < 60; i++) {
        snprintf(line, sizeof(line), "echo SP%d-$((%d+1))\r", round, i);
        scr_send(s, line);
        snprintf(line, sizeof(line), "SP%d-%d", round, i + 1);
        if (scr_wait_text(s, line, 1000) == 0)
            return;
    }
    SCR_CHECK(s, false, "%s answers on its console", g->dom);
}

/* Run expr in g once: "echo Q<n>-<what>-$(expr)-END", the answer within
 * ms in got (computed by the guest: the echoed command line, with its
 * "$(", never matches). */
static inline const char *
lab_ask(struct scr *s, struct lab_guest *g, const char *what, const char *expr, int ms,
        char *got, size_t glen)
{
    static int n;
    char line[1024], head[64];

    lab_open(s, g);
    n++;
    snprintf(line, sizeof(line), "echo Q%d-%s-$(%s)-END\r", n, what, expr);
    scr_send(s, line);
    snprintf(head, sizeof(head), "Q%d-%s-", n, what);
    snprintf(got, glen, "nothing");
    for (int waited = 0; waited <= ms; waited += 100) {
        for (int row = 1; row < ROWS - 1; row++) {
            char *t = scr_row(s, row), *p = t ? strstr(t, head) : NULL;
            char *end;

            if (p && p[strlen(head)] != '$' && (end = strstr(p, "-END"))) {
                p += strlen(head);
                snprintf(got, glen, "%.*s", (int)(end - p), p);
                free(t);
                return got;
            }
            free(t);
        }
        scr_pump(s, 100);
    }
    return got;
}

/* Press Enter once a second until the prompt shows (qemu drops output
 * until it notices the pty is open, on a 1 s poll). */
static inline int
wait_prompt(struct scr *s, const char *marker)
{
    char cmd[128];

    for (int i = 0; i < 40; i++) {
        snprintf(cmd, sizeof(cmd), "echo %s-$((%d+1))\r", marker, i);
        scr_send(s, cmd);
        snprintf(cmd, sizeof(cmd), "%s-%d", marker, i + 1);
        if (scr_wait_text(s, cmd, 1000) == 0)
            return 0;
    }
    return -1;
}

/* Ask the guest on its console: "echo Q<n>-<what>-$(expr)-END" until the
 * answer reads want (up to ms); the answer it gave last in got. The reply
 * is computed by the guest, so the echoed command line never matches. */
static inline bool
guest_until(struct scr *s, const char *what, const char *expr, const char *want, int ms,
            char *got, size_t glen)
{
    static int n;

    for (int waited = 0; waited <= ms; waited += 1000) {
        char cmd[512], needle[128], head[64];
        int row;

        n++;
        snprintf(cmd, sizeof(cmd), "echo Q%d-%s-$(%s)-END\r", n, what, expr);
        scr_send(s, cmd);
        snprintf(needle, sizeof(needle), "Q%d-%s-%s-END", n, what, want);
        if (scr_wait_text(s, needle, 1000) == 0) {
            snprintf(got, glen, "%s", want);
            return true;
        }
        /* what did it say? (not the echoed command: "Q<n>-PCI-$(...") */
        snprintf(head, sizeof(head), "Q%d-%s-", n, what);
        snprintf(got, glen, "nothing");
        for (row = 1; row < ROWS - 1; row++) {
            char *t = scr_row(s, row), *p = t ? strstr(t, head) : NULL;

            if (p && p[strlen(head)] != '$') {
                p += strlen(head);
                snprintf(got, glen, "%.*s", (int)strcspn(p, " "), p);
            }
            free(t);
        }
    }
    return false;
}

#endif
