/* labtest.c: the lab tests' helpers (see labtest.h): shell commands and
 * their output (virsh, qemu-img, qemu-io look from outside), timed steps,
 * y/N answers, the message history, and a guest on its serial console in
 * virtmux's console pane (the keys follow whose console has them). A
 * failed check fails the test through SCR_CHECK, as in the tests. */
#include <stdarg.h>
#include <sys/wait.h>
#include <time.h>

#include "labtest.h"

/* when the test began (set by main), for step() */
static struct timespec t0;

void
lab_clock_start(void)
{
    clock_gettime(CLOCK_MONOTONIC, &t0);
}

/* Run a shell command (printf-style); its exit status. */
int
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
char *
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
char *
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

const char *
sha256(const char *path, char *buf, size_t len)
{
    return sh_all(buf, len, "sha256sum < '%s' | cut -d' ' -f1", path);
}

/* The marker as the image reads (through its backing chain): 6 bytes at
 * 1 MiB, from qemu-io's hex dump; "" if it cannot be read. */
const char *
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

bool
exists(const char *path)
{
    return access(path, F_OK) == 0;
}

bool
wait_gone(const char *path, int ms)
{
    for (int waited = 0; waited <= ms; waited += 100) {
        if (!exists(path))
            return true;
        usleep(100 * 1000);
    }
    return false;
}

double
elapsed(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0.tv_sec) + (double)(t.tv_nsec - t0.tv_nsec) / 1e9;
}

void
step(const char *what)
{
    fprintf(stderr, "[%6.2f s] %s\n", elapsed(), what);
}

/* A ':' command that asks y/N: check the question, answer y. */
void
confirmed(struct scr *s, const char *line, const char *question)
{
    vm_command(s, line);
    SCR_CHECK(s, scr_wait_text(s, question, T_WAIT) == 0, "the confirmation question");
    SCR_CHECK(s, scr_wait_text(s, "[y/N]", T_WAIT) == 0);
    scr_key(s, "y");
}

/* ---- a guest on its serial console in virtmux's console pane ---- */


/* whose console has the keys now, or NULL */
struct lab_guest *lab_keys;

/* Leave the console's input mode: the keys are virtmux's again. */
void
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
void
lab_command(struct scr *s, const char *line)
{
    lab_keys_home(s);
    vm_command(s, line);
}

/* g's console pane, opened (or focused) with the keys in it. */
void
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
void
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
const char *
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
int
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
bool
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


/* ---- shared by several lab tests ---- */

const char *
lab_vol_path(const char *uri, const char *vol, char *buf, size_t len)
{
    return sh_out(buf, len, "virsh -q -c '%s' vol-path --pool labpool '%s' 2>/dev/null", uri,
                  vol);
}

const char *
lab_dom_state(const char *uri, const char *dom, char *buf, size_t len)
{
    return sh_out(buf, len, "virsh -q -c '%s' domstate '%s' 2>&1", uri, dom);
}

const char *
lab_vda(const char *uri, const char *dom, bool inactive, char *buf, size_t len)
{
    return sh_all(buf, len, "virsh -q -c '%s' domblklist '%s' %s | "
                  "awk '$1 == \"vda\" { print $2 }'", uri, dom, inactive ? "--inactive" : "");
}

const char *
lab_chain(const char *uri, const char *dom, char *buf, size_t len)
{
    return sh_all(buf, len, "virsh -q -c '%s' dumpxml '%s' | sed -n '/<target dev=.vd/q; "
                  "s/.*<source file=.\\([^\"'\"'\"']*\\).*/\\1/p'", uri, dom);
}

const char *
lab_img_field(const char *path, const char *field, char *buf, size_t len)
{
    return sh_out(buf, len, "qemu-img info -U --output=json '%s' | sed -n "
                  "'s/^    \"%s\": \"\\(.*\\)\",\\{0,1\\}$/\\1/p'", path, field);
}

bool
lab_banner(const struct lab_guest *g, int ms)
{
    char want[128];

    snprintf(want, sizeof(want), "LAB-GUEST-READY name=%s", g->dom);
    for (int waited = 0; waited <= ms; waited += 200) {
        if (vm_file_has(g->serial, want))
            return true;
        usleep(200 * 1000);
    }
    return false;
}

bool
lab_history_has(struct scr *s, int ms, ...)
{
    bool ok = false;

    lab_keys_home(s);
    scr_key(s, "m");
    SCR_CHECK(s, scr_wait_text(s, "messages", T_WAIT) == 0, "m opens the message history");
    /* the newest lines are at the end: go there; look above the status line */
    scr_key(s, "End");
    for (int waited = 0; waited <= ms && !ok; waited += 100) {
        scr_pump(s, 100);
        for (int r = 1; r < ROWS - 1 && !ok; r++) {
            va_list ap;
            const char *t;

            ok = true;
            va_start(ap, ms);
            while (ok && (t = va_arg(ap, const char *)))
                ok = vm_row_has(s, r, t);
            va_end(ap);
        }
    }
    scr_key(s, "q");
    scr_pump(s, 200);
    return ok;
}

void
lab_expect_mark(struct scr *s, struct lab_guest *g, const char *mark, const char *why)
{
    char got[64];

    lab_ask(s, g, "RD", LAB_READ_MARK, 30000, got, sizeof(got));
    SCR_CHECK(s, strcmp(got, mark) == 0, "%s: %s reads %s (it reads '%s')", why, g->dom, mark,
              got);
}

void
lab_flush(struct scr *s, struct lab_guest *g)
{
    char got[64];

    SCR_CHECK(s, strcmp(lab_ask(s, g, "FL", "sync /dev/vda && echo ok", 30000, got, sizeof(got)),
                        "ok") == 0, "%s flushes its disk (%s)", g->dom, got);
}
