/* keylat.c: virtmux's side of the start-up, key latency and idle
 * benchmarks, driven through the screen harness (a pty read back by
 * libvterm, so "on screen" means what a terminal would show).
 *
 *   keylat frame URI N               time to the first complete frame
 *   keylat keys  URI N [COUNT [SLOW]] + key-to-screen latency
 *   keylat idle  URI N [SECONDS]      + wake-ups while idle
 *
 * N is the number of domains the host at URI has; the first frame is
 * complete when the title reads "N domains", the host row "[connected]"
 * and the list shows its first domain and the last one that fits (curses
 * sends a frame top to bottom in many writes). Every mode prints that first:
 *   virtmux first_frame_ms=MS cpu_ms=CPU rss_kib=VMHWM
 * timed from just before the fork of virtmux (as "floor --spawn" is), with
 * its CPU time (all threads, clock-tick resolution) and VmHWM read from
 * /proc/PID as soon as the frame is seen.
 *
 * keys: COUNT (default 200) presses of Down, one at a time, each timed
 * from just before the key is written until the screen shows the cursor on
 * the next domain (its row highlighted and the previous one not), the next
 * key sent as soon as that is seen -- faster than the details pane's
 * debounce, so this is the list alone:
 *   keys mode=burst n=COUNT median_ms= p90_ms= max_ms=
 * then SLOW (default 20) more presses, each only after the details pane has
 * caught up with the previous one (name shown and its XML read), so every
 * key lands on a list that has just been told its domain changed:
 *   keys mode=settled n=SLOW median_ms= p90_ms= max_ms=
 *   details n=SLOW name_median_ms= xml_median_ms= xml_max_ms=
 *
 * idle: no input at all; after the screen has been quiet for 1 s, sum the
 * voluntary+involuntary context switches of every thread of virtmux at t0
 * and after SECONDS (default 10):
 *   idle seconds=S wakeups=W per_s=R threads=T pty_bytes=B
 * plus one "idle thread ..." line for each thread that woke.
 *
 * The program is $VIRTMUX (default ./virtmux), run with
 * "--stats 0 -c URI" on a 120x40 screen. Exit status 1 when virtmux dies
 * or the screen never gets where it should (the screen is dumped). */
#include <autoconf.h>

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#include "bench.h"

#define ROWS 40
#define COLS 120
#define FRAME_TIMEOUT_MS 180000
#define KEY_TIMEOUT_MS 5000

static int master_fd = -1;     /* the harness's pty master, to poll on */

static double
ms_since(int64_t t0)
{
    return (double)(bench_now_ns() - t0) / 1e6;
}

/* The harness keeps its pty master to itself; find it in /proc/self/fd so
 * the waits below can sleep in poll() and look at the screen as soon as
 * bytes arrive, instead of pumping in whole-millisecond slices. */
static int
find_master_fd(void)
{
    DIR *d = opendir("/proc/self/fd");
    struct dirent *e;
    int best = -1;

    if (!d)
        return -1;
    while ((e = readdir(d))) {
        char path[64], target[64];
        ssize_t n;
        int fd = atoi(e->d_name);

        if (e->d_name[0] == '.' || fd == dirfd(d))
            continue;
        snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
        n = readlink(path, target, sizeof(target) - 1);
        if (n <= 0)
            continue;
        target[n] = '\0';
        if ((strcmp(target, "/dev/ptmx") == 0 || strcmp(target, "/dev/pts/ptmx") == 0) &&
            fd > best)
            best = fd;
    }
    closedir(d);
    return best;
}

/* Read what the program wrote, waiting at most timeout_ms for the first
 * byte. Returns false once the pty is closed. */
static bool
pump_some(struct scr *s, int timeout_ms)
{
    if (master_fd >= 0) {
        struct pollfd p = { .fd = master_fd, .events = POLLIN };

        if (poll(&p, 1, timeout_ms) < 0 && errno != EINTR)
            scr_pump(s, 1);
        scr_pump(s, 0);
    } else {
        scr_pump(s, timeout_ms < 1 ? 0 : 1);
    }
    return !scr_eof(s);
}

typedef bool (*pred_fn)(struct scr *s, const void *arg);

/* Wait until pred holds; false on timeout or when the program is gone. */
static bool
wait_until(struct scr *s, pred_fn pred, const void *arg, int timeout_ms)
{
    int64_t deadline = bench_now_ns() + (int64_t)timeout_ms * 1000000;

    for (;;) {
        int64_t left;

        if (pred(s, arg))
            return true;
        left = (deadline - bench_now_ns()) / 1000000;
        if (left <= 0)
            return false;
        if (!pump_some(s, left > 100 ? 100 : (int)left + 1))
            return pred(s, arg);
    }
}

static void die(struct scr *s, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 2, 3)));

static void
die(struct scr *s, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "keylat: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "%s\n", s && !scr_alive(s) ? " (virtmux has exited)" : "");
    if (s)
        scr_log_screen(s, stderr);
    scr_free_all();
    exit(1);
}

/* ---- /proc ---- */

static long
status_field(const char *path, const char *field)
{
    FILE *f = fopen(path, "r");
    char line[256];
    size_t len = strlen(field);
    long v = -1;

    if (!f)
        return -1;
    while (fgets(line, sizeof(line), f)) {
        if (strncmp(line, field, len) == 0 && line[len] == ':') {
            v = strtol(line + len + 1, NULL, 10);
            break;
        }
    }
    fclose(f);
    return v;
}

/* CPU time (user+system, all threads) of pid so far, from /proc/PID/stat
 * (clock-tick resolution). */
static double
cpu_ms(pid_t pid)
{
    char path[64], buf[1024], *p;
    unsigned long long ut = 0, st = 0;
    FILE *f;
    size_t n;

    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    if (!(f = fopen(path, "r")))
        return -1;
    n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    /* fields after "(comm)": state ppid pgrp session tty tpgid flags minflt
     * cminflt majflt cmajflt utime stime */
    if (!(p = strrchr(buf, ')')) ||
        sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
               &ut, &st) != 2)
        return -1;
    return (double)(ut + st) * 1000.0 / (double)sysconf(_SC_CLK_TCK);
}

#define MAX_THREADS 256

struct thread_sw {
    int tid;
    char comm[32];
    long sw;
};

/* Context switches of every thread of pid; returns the number of threads. */
static int
thread_switches(pid_t pid, struct thread_sw *out, int max)
{
    char dir[64];
    DIR *d;
    struct dirent *e;
    int n = 0;

    snprintf(dir, sizeof(dir), "/proc/%d/task", (int)pid);
    if (!(d = opendir(dir)))
        return -1;
    while ((e = readdir(d)) && n < max) {
        char path[128];
        FILE *f;
        long v, nv;
        int tid = atoi(e->d_name);

        if (e->d_name[0] == '.' || tid <= 0)
            continue;
        snprintf(path, sizeof(path), "%s/%d/status", dir, tid);
        v = status_field(path, "voluntary_ctxt_switches");
        nv = status_field(path, "nonvoluntary_ctxt_switches");
        if (v < 0 || nv < 0)
            continue;
        out[n].tid = tid;
        out[n].sw = v + nv;
        out[n].comm[0] = '\0';
        snprintf(path, sizeof(path), "%s/%d/comm", dir, tid);
        if ((f = fopen(path, "r"))) {
            if (fgets(out[n].comm, sizeof(out[n].comm), f))
                out[n].comm[strcspn(out[n].comm, "\n")] = '\0';
            fclose(f);
        }
        n++;
    }
    closedir(d);
    return n;
}

/* ---- screen predicates ---- */

struct frame_arg {
    char title[64];
    int last;                  /* the last domain that fits on the screen */
};

static int list_row_of(struct scr *s, int i);

/* Title and host row say the list is loaded, and the list itself has been
 * drawn down to the last domain that fits: curses writes a frame top to
 * bottom in many small writes, so the title alone is not the frame. */
static bool
pred_frame(struct scr *s, const void *arg)
{
    const struct frame_arg *fa = arg;
    char *title = scr_row(s, 0);
    bool ok = title && strstr(title, fa->title) &&
              scr_find(s, "[connected]", NULL, NULL) == 0 &&
              (fa->last < 1 || (list_row_of(s, 1) >= 0 && list_row_of(s, fa->last) >= 0));

    free(title);
    return ok;
}

/* The look of a cell: what tells a highlighted row from a plain one. */
struct look {
    int reverse, fg, bg;
};

static struct look
look_at(struct scr *s, int row, int col)
{
    struct look l = { scr_attr_reverse(s, row, col), scr_fg(s, row, col),
                      scr_bg(s, row, col) };

    return l;
}

static bool
look_eq(struct look a, struct look b)
{
    return a.reverse == b.reverse && a.fg == b.fg && a.bg == b.bg;
}

static struct look plain;      /* a domain name cell that is not selected */

/* The screen row showing domain vm<i> in the list (not the details pane),
 * or -1. The list's rows start with "  vmNNNNN " (the Name column). */
static int
list_row_of(struct scr *s, int i)
{
    char want[32];
    size_t len;

    len = (size_t)snprintf(want, sizeof(want), "  vm%05d ", i);
    for (int r = 1; r < ROWS - 1; r++) {
        char *t = scr_row(s, r);
        bool hit = t && strncmp(t, want, len) == 0;

        free(t);
        if (hit)
            return r;
    }
    return -1;
}

static bool
selected_row(struct scr *s, int r)
{
    return r >= 0 && !look_eq(look_at(s, r, 2), plain);
}

/* The cursor is on vm<i>: its row is highlighted and vm<i-1>'s, if it is
 * still on screen, no longer is. */
static bool
pred_cursor_on(struct scr *s, const void *arg)
{
    int i = *(const int *)arg;
    int r = list_row_of(s, i);

    if (r < 0 || !selected_row(s, r))
        return false;
    return i <= 1 || !selected_row(s, list_row_of(s, i - 1));
}

/* The details pane (right of column COLS*2/3, first line in row 1) names
 * vm<i>. */
static bool
pred_details_name(struct scr *s, const void *arg)
{
    int i = *(const int *)arg;
    char want[16];
    char *t = scr_row(s, 1);
    bool ok;

    snprintf(want, sizeof(want), "vm%05d", i);
    ok = t && strstr(t, want);
    free(t);
    return ok;
}

static bool
pred_details_xml(struct scr *s, const void *arg)
{
    return pred_details_name(s, arg) &&
           scr_find(s, "(reading the domain's XML...)", NULL, NULL) != 0;
}

/* ---- statistics ---- */

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

/* Sorts v. Median (mean of the middle two), nearest-rank p90, max. */
static void
summarise(double *v, int n, double *med, double *p90, double *max)
{
    int k;

    qsort(v, (size_t)n, sizeof(*v), cmp_double);
    *med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    k = (int)((90 * n + 99) / 100);
    *p90 = v[k > 0 ? k - 1 : 0];
    *max = v[n - 1];
}

/* ---- modes ---- */

static struct scr *
start(const char *uri, int ndoms)
{
    const char *prog = getenv("VIRTMUX");
    const char *datadir = getenv("VIRTMUX_DATADIR");
    char *env_datadir = NULL;
    char *argv[] = { (char *)(prog && *prog ? prog : "./virtmux"), "--stats", "0",
                     "-c", (char *)uri, NULL };
    char *envp[2] = { NULL, NULL };
    struct frame_arg fa;
    struct scr *s;
    int64_t t0;
    long rss;

    /* the harness drops VIRTMUX_* from the child's environment */
    if (datadir && *datadir) {
        size_t len = strlen(datadir) + sizeof("VIRTMUX_DATADIR=");

        env_datadir = malloc(len);
        if (!env_datadir)
            abort();
        snprintf(env_datadir, len, "VIRTMUX_DATADIR=%s", datadir);
        envp[0] = env_datadir;
    }
    snprintf(fa.title, sizeof(fa.title), " %d domain%s, ", ndoms, ndoms == 1 ? "" : "s");
    /* rows 2..ROWS-2 hold the list: its header, the host row, the domains */
    fa.last = ndoms < ROWS - 4 ? ndoms : ROWS - 4;

    t0 = bench_now_ns();
    s = scr_spawn(ROWS, COLS, argv, envp);
    if (!s) {
        fprintf(stderr, "keylat: cannot start %s: %s\n", argv[0], strerror(errno));
        exit(1);
    }
    master_fd = find_master_fd();
    if (!wait_until(s, pred_frame, &fa, FRAME_TIMEOUT_MS))
        die(s, "the first frame (title \"%s\" and [connected]) never came", fa.title);
    printf("virtmux first_frame_ms=%.1f", ms_since(t0));
    {
        char path[64];

        snprintf(path, sizeof(path), "/proc/%d/status", (int)scr_pid(s));
        rss = status_field(path, "VmHWM");
    }
    printf(" cpu_ms=%.0f rss_kib=%ld\n", cpu_ms(scr_pid(s)), rss);
    fflush(stdout);
    free(env_datadir);
    return s;
}

static double
press(struct scr *s, int i)
{
    int64_t t0;

    if (pred_cursor_on(s, &i))
        die(s, "vm%05d looks selected before its key was pressed", i);
    t0 = bench_now_ns();
    scr_key(s, "Down");
    if (!wait_until(s, pred_cursor_on, &i, KEY_TIMEOUT_MS)) {
        die(s, "Down did not move the cursor to vm%05d", i);
    }
    return ms_since(t0);
}

static int
run_keys(struct scr *s, int ndoms, int count, int slow)
{
    double *v, *name_ms, *xml_ms, med, p90, max;
    int i = 0, r;

    if (count + slow > ndoms) {
        fprintf(stderr, "keylat: %d presses need at least %d domains\n", count + slow,
                count + slow);
        return 1;
    }
    /* settle: the host row is selected and nothing is pending */
    scr_wait_stable(s, 300, 10000);
    r = list_row_of(s, 1);
    if (r < 0 || list_row_of(s, 2) != r + 1)
        die(s, "vm00001 and vm00002 are not the first rows of the list");
    plain = look_at(s, r + 1, 2);
    if (selected_row(s, r))
        die(s, "vm00001 is highlighted before any key was pressed");

    v = calloc((size_t)(count + slow + 1), sizeof(*v));
    name_ms = calloc((size_t)slow + 1, sizeof(*name_ms));
    xml_ms = calloc((size_t)slow + 1, sizeof(*xml_ms));
    if (!v || !name_ms || !xml_ms)
        abort();

    for (int k = 0; k < count; k++)
        v[k] = press(s, ++i);
    summarise(v, count, &med, &p90, &max);
    printf("keys mode=burst n=%d median_ms=%.2f p90_ms=%.2f max_ms=%.2f\n",
           count, med, p90, max);
    fflush(stdout);

    if (slow > 0) {
        /* let the details pane catch up with the last burst key */
        if (!wait_until(s, pred_details_xml, &i, 30000))
            die(s, "the details pane never showed the selected domain");
        scr_wait_stable(s, 200, 5000);
        for (int k = 0; k < slow; k++) {
            int64_t t0 = bench_now_ns();

            v[k] = press(s, ++i);
            if (!wait_until(s, pred_details_name, &i, 30000))
                die(s, "the details pane did not follow the cursor");
            name_ms[k] = ms_since(t0);
            if (!wait_until(s, pred_details_xml, &i, 30000))
                die(s, "the details pane never showed the domain's XML");
            xml_ms[k] = ms_since(t0);
            scr_wait_stable(s, 50, 5000);
        }
        summarise(v, slow, &med, &p90, &max);
        printf("keys mode=settled n=%d median_ms=%.2f p90_ms=%.2f max_ms=%.2f\n",
               slow, med, p90, max);
        summarise(name_ms, slow, &med, &p90, &max);
        printf("details n=%d name_median_ms=%.1f", slow, med);
        summarise(xml_ms, slow, &med, &p90, &max);
        printf(" xml_median_ms=%.1f xml_max_ms=%.1f\n", med, max);
    }
    free(v);
    free(name_ms);
    free(xml_ms);
    return 0;
}

static int
run_idle(struct scr *s, int seconds)
{
    static struct thread_sw a[MAX_THREADS], b[MAX_THREADS];
    long bytes0, total0 = 0, total1 = 0;
    int na, nb;
    int64_t t0;
    double secs;

    if (scr_wait_stable(s, 1000, 30000) < 0)
        die(s, "the screen never went quiet");
    bytes0 = scr_bytes_read(s);
    t0 = bench_now_ns();
    na = thread_switches(scr_pid(s), a, MAX_THREADS);
    /* keep reading the pty (virtmux must never block on it), send nothing */
    while (ms_since(t0) < seconds * 1000.0 && !scr_eof(s))
        scr_pump(s, 100);
    nb = thread_switches(scr_pid(s), b, MAX_THREADS);
    secs = ms_since(t0) / 1000.0;
    if (na < 0 || nb < 0 || scr_eof(s))
        die(s, "virtmux went away while idle");
    for (int k = 0; k < na; k++)
        total0 += a[k].sw;
    for (int k = 0; k < nb; k++)
        total1 += b[k].sw;
    printf("idle seconds=%.1f wakeups=%ld per_s=%.2f threads=%d pty_bytes=%ld\n",
           secs, total1 - total0, (double)(total1 - total0) / secs, nb,
           scr_bytes_read(s) - bytes0);
    for (int k = 0; k < nb; k++) {
        long before = 0;
        bool found = false;

        for (int j = 0; j < na; j++) {
            if (a[j].tid == b[k].tid) {
                before = a[j].sw;
                found = true;
            }
        }
        if (b[k].sw != before)
            printf("idle thread tid=%d comm=%s wakeups=%ld%s\n", b[k].tid, b[k].comm,
                   b[k].sw - before, found ? "" : " (new thread)");
    }
    return 0;
}

static void
usage(void)
{
    fprintf(stderr,
            "usage: keylat frame URI N\n"
            "       keylat keys URI N [COUNT [SLOW]]\n"
            "       keylat idle URI N [SECONDS]\n"
            "  (virtmux is $VIRTMUX, default ./virtmux)\n");
    exit(2);
}

static int
num(const char *s, int min)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || *end || end == s || v < min || v > INT_MAX)
        usage();
    return (int)v;
}

int
main(int argc, char **argv)
{
    const char *mode, *uri;
    struct scr *s;
    int ndoms, rc = 0;

    if (argc < 4)
        usage();
    mode = argv[1];
    uri = argv[2];
    ndoms = num(argv[3], 0);
    setvbuf(stdout, NULL, _IOLBF, 0);

    if (strcmp(mode, "frame") == 0) {
        if (argc != 4)
            usage();
        s = start(uri, ndoms);
    } else if (strcmp(mode, "keys") == 0) {
        int count = argc > 4 ? num(argv[4], 1) : 200;
        int slow = argc > 5 ? num(argv[5], 0) : 20;

        if (argc > 6)
            usage();
        s = start(uri, ndoms);
        rc = run_keys(s, ndoms, count, slow);
    } else if (strcmp(mode, "idle") == 0) {
        int seconds = argc > 4 ? num(argv[4], 1) : 10;

        if (argc > 5)
            usage();
        s = start(uri, ndoms);
        rc = run_idle(s, seconds);
    } else {
        usage();
        return 2;
    }
    if (!scr_alive(s)) {
        fprintf(stderr, "keylat: virtmux exited during the run\n");
        rc = 1;
    }
    scr_free(s);
    return rc;
}
