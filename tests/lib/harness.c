/*
 * harness.c: screen-test harness for virtmux
 *
 * Runs a real program on a pseudo-terminal (forkpty), feeds everything it
 * writes into a libvterm screen, and lets tests wait for and inspect the
 * resulting cells: text, colours (as xterm-256 indexes) and attributes.
 * Terminal queries the program makes (DSR, DA, ...) are answered by writing
 * libvterm's replies back to the pty.  Every wait is bounded by a timeout
 * and the pty is read non-blocking through poll(), so a test can fail but
 * never hang.
 */

#define _GNU_SOURCE

#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <vterm.h>

#define SCR_READ_CHUNK 4096
#define SCR_READ_BUDGET (64 * 1024)   /* max bytes per pump step: stay responsive under floods */
#define SCR_TERM_GRACE_MS 2000
#define SCR_KILL_GRACE_MS 5000
#define SCR_SEND_WAIT_MS 2000

extern char **environ;

struct scr {
    VTerm *vt;
    VTermScreen *screen;
    VTermState *state;
    int fd;                     /* pty master */
    pid_t pid;
    int rows;
    int cols;
    int eof;                    /* pty returned EOF/EIO: screen is final */
    int reaped;
    int status;                 /* raw wait status, valid when reaped */
    int status_known;
    long nread;
    char *home;                 /* private mkdtemp dir */
    char *out;                  /* bytes queued for the program */
    size_t outlen;
    size_t outcap;
    char *title;
    int bells;
    int cursor_visible;
    uint8_t pal[256][3];        /* libvterm's palette as RGB, for reverse lookup */
    pid_t owner;                /* process that spawned it */
    struct scr *next;           /* list of live instances */
};

/* Live instances, so a failed check or exit() cleans up all of them. */
static struct scr *scr_live;
static int scr_atexit_done;


/* ---- small utilities ---- */

static void *
scr_xalloc(size_t n)
{
    void *p = calloc(1, n ? n : 1);

    if (!p) {
        fprintf(stderr, "scr: out of memory\n");
        abort();
    }
    return p;
}


static void *
scr_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);

    if (!q) {
        fprintf(stderr, "scr: out of memory\n");
        abort();
    }
    return q;
}


static char *
scr_xstrdup(const char *str)
{
    size_t n = strlen(str) + 1;
    char *p = scr_xalloc(n);

    memcpy(p, str, n);
    return p;
}


static char * __attribute__((format(printf, 1, 2)))
scr_xasprintf(const char *fmt, ...)
{
    va_list ap;
    char *p = NULL;
    int rc;

    va_start(ap, fmt);
    rc = vasprintf(&p, fmt, ap);
    va_end(ap);
    if (rc < 0) {
        fprintf(stderr, "scr: out of memory\n");
        abort();
    }
    return p;
}


static long long
scr_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}


static void
scr_sleep_ms(int ms)
{
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}


static int
scr_utf8_encode(uint32_t c, char *buf)
{
    if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        c = 0xFFFD;
    if (c < 0x80) {
        buf[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        buf[0] = (char)(0xC0 | (c >> 6));
        buf[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        buf[0] = (char)(0xE0 | (c >> 12));
        buf[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        buf[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    buf[0] = (char)(0xF0 | (c >> 18));
    buf[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    buf[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    buf[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}


/* ---- private directory ---- */

static int
scr_rmtree_unlock_cb(const char *path, const struct stat *sb,
                     int flag, struct FTW *ftw)
{
    (void)sb;
    (void)ftw;
    if (flag == FTW_D || flag == FTW_DNR)
        chmod(path, S_IRWXU);
    return 0;
}


static int
scr_rmtree_remove_cb(const char *path, const struct stat *sb,
                     int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    if (remove(path) < 0 && errno != ENOENT)
        fprintf(stderr, "scr: cannot remove %s: %s\n", path, strerror(errno));
    return 0;
}


static void
scr_rmtree(const char *path)
{
    struct stat st;

    if (!path || lstat(path, &st) < 0)
        return;
    /* Programs under test may leave read-only directories behind. */
    nftw(path, scr_rmtree_unlock_cb, 16, FTW_PHYS);
    nftw(path, scr_rmtree_remove_cb, 16, FTW_PHYS | FTW_DEPTH);
}


static char *
scr_make_home(void)
{
    static const char *const subdirs[] = {
        ".config", ".local", ".local/share", ".local/state", ".cache", ".run",
    };
    const char *tmp = getenv("TMPDIR");
    char *dir;
    size_t i;

    if (!tmp || !*tmp)
        tmp = "/tmp";
    dir = scr_xasprintf("%s/virtmux-scr-XXXXXX", tmp);
    if (!mkdtemp(dir)) {
        fprintf(stderr, "scr: mkdtemp %s: %s\n", dir, strerror(errno));
        free(dir);
        return NULL;
    }
    for (i = 0; i < sizeof(subdirs) / sizeof(subdirs[0]); i++) {
        char *sub = scr_xasprintf("%s/%s", dir, subdirs[i]);

        if (mkdir(sub, S_IRWXU) < 0) {
            fprintf(stderr, "scr: mkdir %s: %s\n", sub, strerror(errno));
            free(sub);
            scr_rmtree(dir);
            free(dir);
            return NULL;
        }
        free(sub);
    }
    return dir;
}


/* ---- child environment ---- */

struct scr_env {
    char **v;
    size_t n;
    size_t cap;
};


static size_t
scr_env_keylen(const char *kv)
{
    const char *eq = strchr(kv, '=');

    return eq ? (size_t)(eq - kv) : strlen(kv);
}


static void
scr_env_unset(struct scr_env *env, const char *kv)
{
    size_t klen = scr_env_keylen(kv);
    size_t i;

    for (i = 0; i < env->n; i++) {
        if (scr_env_keylen(env->v[i]) == klen &&
            strncmp(env->v[i], kv, klen) == 0) {
            free(env->v[i]);
            memmove(&env->v[i], &env->v[i + 1], (env->n - i) * sizeof(char *));
            env->n--;
            return;
        }
    }
}


static void
scr_env_set(struct scr_env *env, const char *kv)
{
    scr_env_unset(env, kv);
    if (env->n + 2 > env->cap) {
        env->cap = env->cap ? env->cap * 2 : 64;
        env->v = scr_xrealloc(env->v, env->cap * sizeof(char *));
    }
    env->v[env->n++] = scr_xstrdup(kv);
    env->v[env->n] = NULL;
}


static void
scr_env_free(struct scr_env *env)
{
    size_t i;

    for (i = 0; i < env->n; i++)
        free(env->v[i]);
    free(env->v);
}


/* Inherited variables that would make a screen test depend on the
 * developer's terminal or configuration. */
static int
scr_env_dropped(const char *kv)
{
    static const char *const names[] = {
        "LINES", "COLUMNS", "TERMCAP", "COLORTERM", "NO_COLOR",
    };
    size_t klen = scr_env_keylen(kv);
    size_t i;

    if (strncmp(kv, "LC_", 3) == 0 || strncmp(kv, "VIRTMUX_", 8) == 0)
        return 1;
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strlen(names[i]) == klen && strncmp(kv, names[i], klen) == 0)
            return 1;
    }
    return 0;
}


static void
scr_env_build(struct scr_env *env, const char *home, char *const extra[])
{
    char **e;
    char *tmp;
    size_t i;
    static const struct {
        const char *name;
        const char *sub;
    } xdg[] = {
        { "XDG_CONFIG_HOME", ".config" },
        { "XDG_DATA_HOME", ".local/share" },
        { "XDG_STATE_HOME", ".local/state" },
        { "XDG_CACHE_HOME", ".cache" },
        { "XDG_RUNTIME_DIR", ".run" },
    };

    memset(env, 0, sizeof(*env));
    for (e = environ; e && *e; e++) {
        if (strchr(*e, '=') && !scr_env_dropped(*e))
            scr_env_set(env, *e);
    }
    scr_env_set(env, "TERM=xterm-256color");
    scr_env_set(env, "LANG=C.UTF-8");
    scr_env_set(env, "LC_ALL=C.UTF-8");
    tmp = scr_xasprintf("HOME=%s", home);
    scr_env_set(env, tmp);
    free(tmp);
    for (i = 0; i < sizeof(xdg) / sizeof(xdg[0]); i++) {
        tmp = scr_xasprintf("%s=%s/%s", xdg[i].name, home, xdg[i].sub);
        scr_env_set(env, tmp);
        free(tmp);
    }
    for (i = 0; extra && extra[i]; i++) {
        if (strchr(extra[i], '='))
            scr_env_set(env, extra[i]);
        else
            scr_env_unset(env, extra[i]);
    }
    if (!env->v) {
        env->v = scr_xalloc(sizeof(char *));
        env->v[0] = NULL;
    }
}


/* ---- libvterm callbacks ---- */

static void
scr_output_cb(const char *bytes, size_t len, void *opaque)
{
    struct scr *s = opaque;

    if (s->outlen + len > s->outcap) {
        while (s->outlen + len > s->outcap)
            s->outcap = s->outcap ? s->outcap * 2 : 256;
        s->out = scr_xrealloc(s->out, s->outcap);
    }
    memcpy(s->out + s->outlen, bytes, len);
    s->outlen += len;
}


static int
scr_settermprop_cb(VTermProp prop, VTermValue *val, void *opaque)
{
    struct scr *s = opaque;

    switch (prop) {
    case VTERM_PROP_TITLE:
        free(s->title);
        s->title = scr_xstrdup(val->string ? val->string : "");
        break;
    case VTERM_PROP_CURSORVISIBLE:
        s->cursor_visible = !!val->boolean;
        break;
    default:
        break;
    }
    return 1;
}


static int
scr_bell_cb(void *opaque)
{
    struct scr *s = opaque;

    s->bells++;
    return 1;
}


static const VTermScreenCallbacks scr_screen_cbs = {
    .settermprop = scr_settermprop_cb,
    .bell = scr_bell_cb,
};


/* ---- pty I/O ---- */

static void
scr_reap(struct scr *s, int options)
{
    int st;
    pid_t r;

    if (s->reaped)
        return;
    do {
        r = waitpid(s->pid, &st, options);
    } while (r < 0 && errno == EINTR);
    if (r == s->pid) {
        s->reaped = 1;
        s->status = st;
        s->status_known = 1;
    } else if (r < 0 && errno == ECHILD) {
        /* Someone else reaped it (e.g. SIGCHLD ignored). */
        s->reaped = 1;
    }
}


/* Write as much queued input as the pty takes without blocking. */
static void
scr_flush_out(struct scr *s)
{
    while (s->outlen > 0) {
        ssize_t n = write(s->fd, s->out, s->outlen);

        if (n > 0) {
            memmove(s->out, s->out + n, s->outlen - n);
            s->outlen -= n;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && errno == EAGAIN) {
            return;
        } else {
            s->outlen = 0;      /* EIO: nobody left to read it */
            return;
        }
    }
}


/*
 * One bounded step: wait up to timeout_ms for the pty, read what is there
 * (at most SCR_READ_BUDGET bytes) into vterm and flush queued input.
 * Returns bytes read (> 0), 0 if nothing arrived, -1 once the pty is closed.
 */
static int
scr_step(struct scr *s, int timeout_ms)
{
    struct pollfd pfd;
    char buf[SCR_READ_CHUNK];
    int total = 0;
    int rc;

    if (s->eof) {
        scr_reap(s, WNOHANG);
        return -1;
    }
    scr_flush_out(s);
    pfd.fd = s->fd;
    pfd.events = POLLIN | (s->outlen ? POLLOUT : 0);
    pfd.revents = 0;
    if (timeout_ms < 0)
        timeout_ms = 0;
    rc = poll(&pfd, 1, timeout_ms);
    if (rc <= 0)
        return 0;
    if (pfd.revents & POLLOUT)
        scr_flush_out(s);
    if (!(pfd.revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)))
        return 0;

    while (total < SCR_READ_BUDGET) {
        ssize_t n = read(s->fd, buf, sizeof(buf));

        if (n > 0) {
            vterm_input_write(s->vt, buf, n);
            s->nread += n;
            total += n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            break;
        /* n == 0, EIO (slave side closed) or anything else: final. */
        s->eof = 1;
        break;
    }
    /* Answer any queries libvterm just parsed. */
    scr_flush_out(s);
    if (s->eof) {
        scr_reap(s, WNOHANG);
        if (total == 0)
            return -1;
    }
    return total;
}


static int
scr_remaining(long long deadline)
{
    long long rem = deadline - scr_now_ms();

    if (rem <= 0)
        return 0;
    return rem > INT32_MAX ? INT32_MAX : (int)rem;
}


void
scr_pump(struct scr *s, int ms)
{
    long long deadline = scr_now_ms() + (ms > 0 ? ms : 0);

    if (!s)
        return;
    do {
        if (scr_step(s, scr_remaining(deadline)) < 0)
            break;
    } while (scr_remaining(deadline) > 0);
    scr_reap(s, WNOHANG);
}


/* Queue bytes for the program and push them out without deadlocking
 * against a program that is itself blocked writing to us. */
static void
scr_send_bytes(struct scr *s, const char *bytes, size_t len)
{
    long long deadline = scr_now_ms() + SCR_SEND_WAIT_MS;

    if (len)
        scr_output_cb(bytes, len, s);
    scr_flush_out(s);
    while (s->outlen > 0 && !s->eof && scr_remaining(deadline) > 0)
        scr_step(s, scr_remaining(deadline) < 50 ? scr_remaining(deadline) : 50);
    if (s->eof)
        s->outlen = 0;
}


/* ---- lifetime ---- */

/* In the child: drop every inherited fd above stderr except keep_fd, so the
 * program under test cannot hold the test runner's pipes open. */
static void
scr_close_fds(int keep_fd)
{
    long max;
    int fd;

    if (close_range(3, keep_fd - 1, 0) == 0 &&
        close_range(keep_fd + 1, ~0U, 0) == 0)
        return;
    max = sysconf(_SC_OPEN_MAX);
    if (max < 0 || max > 65536)
        max = 65536;
    for (fd = 3; fd < max; fd++) {
        if (fd != keep_fd)
            close(fd);
    }
}


struct scr *
scr_spawn(int rows, int cols, char *const argv[], char *const envp_extra[])
{
    struct scr *s;
    struct scr_env env;
    struct winsize ws;
    pid_t parent = getpid();
    int errpipe[2];
    int child_errno = 0;
    int err = EIO;
    int i;

    if (rows < 1 || cols < 1 || !argv || !argv[0]) {
        errno = EINVAL;
        return NULL;
    }

    s = scr_xalloc(sizeof(*s));
    s->fd = -1;
    s->pid = -1;
    s->rows = rows;
    s->cols = cols;
    s->cursor_visible = 1;
    s->title = scr_xstrdup("");

    if (!(s->home = scr_make_home())) {
        free(s->title);
        free(s);
        return NULL;
    }

    s->vt = vterm_new(rows, cols);
    vterm_set_utf8(s->vt, 1);
    vterm_output_set_callback(s->vt, scr_output_cb, s);
    s->state = vterm_obtain_state(s->vt);
    s->screen = vterm_obtain_screen(s->vt);
    vterm_screen_set_callbacks(s->screen, &scr_screen_cbs, s);
    vterm_screen_enable_altscreen(s->screen, 1);
    vterm_screen_reset(s->screen, 1);
    for (i = 0; i < 256; i++) {
        VTermColor c;

        vterm_state_get_palette_color(s->state, i, &c);
        vterm_state_convert_color_to_rgb(s->state, &c);
        s->pal[i][0] = c.rgb.red;
        s->pal[i][1] = c.rgb.green;
        s->pal[i][2] = c.rgb.blue;
    }

    scr_env_build(&env, s->home, envp_extra);

    if (pipe2(errpipe, O_CLOEXEC) < 0) {
        err = errno;
        fprintf(stderr, "scr: pipe: %s\n", strerror(errno));
        goto error;
    }

    memset(&ws, 0, sizeof(ws));
    ws.ws_row = rows;
    ws.ws_col = cols;
    s->pid = forkpty(&s->fd, NULL, NULL, &ws);
    if (s->pid < 0) {
        err = errno;
        fprintf(stderr, "scr: forkpty: %s\n", strerror(errno));
        close(errpipe[0]);
        close(errpipe[1]);
        goto error;
    }

    if (s->pid == 0) {
        struct termios tio;
        sigset_t all;
        int sig;

        /* Die with the test, even if it is killed outright. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(127);
        close(errpipe[0]);
        for (sig = 1; sig < NSIG; sig++) {
            struct sigaction sa;

            if (sigaction(sig, NULL, &sa) == 0 && sa.sa_handler == SIG_IGN) {
                sa.sa_handler = SIG_DFL;
                sigaction(sig, &sa, NULL);
            }
        }
        sigemptyset(&all);
        sigprocmask(SIG_SETMASK, &all, NULL);
        scr_close_fds(errpipe[1]);
        if (tcgetattr(STDIN_FILENO, &tio) == 0) {
            tio.c_iflag |= IUTF8;
            tio.c_cc[VERASE] = 0x7f;
            tcsetattr(STDIN_FILENO, TCSANOW, &tio);
        }
        /* Via environ so that a PATH from envp_extra drives the lookup. */
        environ = env.v;
        execvp(argv[0], argv);
        child_errno = errno;
        if (write(errpipe[1], &child_errno, sizeof(child_errno)) < 0) {
            /* nothing more we can do */
        }
        _exit(127);
    }

    close(errpipe[1]);
    fcntl(s->fd, F_SETFD, FD_CLOEXEC);
    fcntl(s->fd, F_SETFL, fcntl(s->fd, F_GETFL) | O_NONBLOCK);

    /* EOF on errpipe means exec succeeded; bounded in case it never comes. */
    {
        struct pollfd pfd = { .fd = errpipe[0], .events = POLLIN };
        ssize_t n = 0;

        if (poll(&pfd, 1, 10000) > 0) {
            do {
                n = read(errpipe[0], &child_errno, sizeof(child_errno));
            } while (n < 0 && errno == EINTR);
        }
        close(errpipe[0]);
        if (n == (ssize_t)sizeof(child_errno)) {
            fprintf(stderr, "scr: exec %s: %s\n", argv[0], strerror(child_errno));
            err = child_errno;
            scr_reap(s, 0);
            goto error;
        }
    }

    scr_env_free(&env);
    s->owner = parent;
    s->next = scr_live;
    scr_live = s;
    if (!scr_atexit_done) {
        atexit(scr_free_all);
        scr_atexit_done = 1;
    }
    return s;

 error:
    scr_env_free(&env);
    if (s->fd >= 0)
        close(s->fd);
    vterm_free(s->vt);
    scr_rmtree(s->home);
    free(s->home);
    free(s->title);
    free(s->out);
    free(s);
    errno = err;
    return NULL;
}


static int
scr_exit_code(struct scr *s)
{
    if (!s->status_known)
        return 255;
    if (WIFEXITED(s->status))
        return WEXITSTATUS(s->status);
    if (WIFSIGNALED(s->status))
        return 128 + WTERMSIG(s->status);
    return 255;
}


int
scr_alive(struct scr *s)
{
    if (!s)
        return 0;
    scr_reap(s, WNOHANG);
    return !s->reaped;
}


/* Wait for the child to exit, draining its output meanwhile. */
static int
scr_wait_reaped(struct scr *s, int timeout_ms)
{
    long long deadline = scr_now_ms() + (timeout_ms > 0 ? timeout_ms : 0);

    for (;;) {
        int rem;

        scr_reap(s, WNOHANG);
        if (s->reaped)
            return 0;
        if ((rem = scr_remaining(deadline)) <= 0)
            return -1;
        if (rem > 20)
            rem = 20;
        if (s->eof)
            scr_sleep_ms(rem < 5 ? rem : 5);
        else
            scr_step(s, rem);
    }
}


int
scr_wait_exit(struct scr *s, int timeout_ms)
{
    long long drain;

    if (!s)
        return -1;
    if (scr_wait_reaped(s, timeout_ms) < 0)
        return -1;
    /* Pick up whatever the program wrote just before exiting. */
    drain = scr_now_ms() + 100;
    while (scr_remaining(drain) > 0 && scr_step(s, 0) > 0)
        ;
    return scr_exit_code(s);
}


pid_t
scr_pid(struct scr *s)
{
    return s ? s->pid : -1;
}


const char *
scr_home(struct scr *s)
{
    return s ? s->home : NULL;
}


long
scr_bytes_read(struct scr *s)
{
    return s ? s->nread : 0;
}


int
scr_eof(struct scr *s)
{
    return s ? s->eof : 1;
}


void
scr_free(struct scr *s)
{
    struct scr **pp;

    if (!s)
        return;
    for (pp = &scr_live; *pp; pp = &(*pp)->next) {
        if (*pp == s) {
            *pp = s->next;
            break;
        }
    }
    if (s->owner != getpid()) {
        /* Inherited across fork(): the child and dir belong to the parent. */
        if (s->fd >= 0)
            close(s->fd);
        vterm_free(s->vt);
        free(s->home);
        free(s->title);
        free(s->out);
        free(s);
        return;
    }
    scr_reap(s, WNOHANG);
    if (!s->reaped) {
        /* While not reaped the child is its own process-group leader. */
        kill(-s->pid, SIGTERM);
        kill(s->pid, SIGTERM);
        if (scr_wait_reaped(s, SCR_TERM_GRACE_MS) < 0) {
            kill(-s->pid, SIGKILL);
            kill(s->pid, SIGKILL);
            if (scr_wait_reaped(s, SCR_KILL_GRACE_MS) < 0)
                fprintf(stderr, "scr: pid %d survived SIGKILL\n", (int)s->pid);
        }
    }
    if (s->fd >= 0)
        close(s->fd);
    vterm_free(s->vt);
    scr_rmtree(s->home);
    free(s->home);
    free(s->title);
    free(s->out);
    free(s);
}


void
scr_free_all(void)
{
    struct scr *s = scr_live;
    pid_t me = getpid();

    while (s) {
        struct scr *next = s->next;

        if (s->owner == me)
            scr_free(s);
        s = next;
    }
}


/* ---- reading the screen ---- */

static int
scr_norm_row(struct scr *s, int row)
{
    if (row < 0)
        row += s->rows;
    if (row < 0 || row >= s->rows)
        return -1;
    return row;
}


static int
scr_get_cell(struct scr *s, int row, int col, VTermScreenCell *cell)
{
    VTermPos pos;

    if (!s || (row = scr_norm_row(s, row)) < 0 || col < 0 || col >= s->cols)
        return -1;
    pos.row = row;
    pos.col = col;
    memset(cell, 0, sizeof(*cell));
    if (!vterm_screen_get_cell(s->screen, pos, cell))
        return -1;
    return 0;
}


/*
 * Text of one row: every cell once (wide characters once, empty cells as
 * spaces), optionally right-trimmed.  If colmap is given it receives, for
 * every byte of the result, the cell column that byte came from.
 */
static char *
scr_row_text(struct scr *s, int row, int trim, int **colmap)
{
    size_t cap = (size_t)s->cols * VTERM_MAX_CHARS_PER_CELL * 4 + 1;
    char *str = scr_xalloc(cap);
    int *map = colmap ? scr_xalloc(cap * sizeof(int)) : NULL;
    size_t len = 0;
    int col = 0;

    while (col < s->cols) {
        VTermScreenCell cell;
        size_t start = len;
        int width;
        int i;

        if (scr_get_cell(s, row, col, &cell) < 0)
            break;
        if (cell.chars[0] == 0 || cell.chars[0] == (uint32_t)-1) {
            str[len++] = ' ';
        } else {
            for (i = 0; i < VTERM_MAX_CHARS_PER_CELL && cell.chars[i]; i++)
                len += scr_utf8_encode(cell.chars[i], str + len);
        }
        if (map) {
            size_t j;

            for (j = start; j < len; j++)
                map[j] = col;
        }
        width = cell.width > 0 ? cell.width : 1;
        col += width;
    }
    if (trim) {
        while (len > 0 && str[len - 1] == ' ')
            len--;
    }
    str[len] = '\0';
    if (colmap)
        *colmap = map;
    return str;
}


char *
scr_row(struct scr *s, int row)
{
    if (!s || (row = scr_norm_row(s, row)) < 0)
        return NULL;
    return scr_row_text(s, row, 1, NULL);
}


char *
scr_dump(struct scr *s)
{
    char *out;
    size_t len = 0;
    int r;

    if (!s)
        return scr_xstrdup("");
    out = scr_xalloc((size_t)s->rows * ((size_t)s->cols * VTERM_MAX_CHARS_PER_CELL * 4 + 1) + 1);
    for (r = 0; r < s->rows; r++) {
        char *line = scr_row_text(s, r, 1, NULL);
        size_t n = strlen(line);

        memcpy(out + len, line, n);
        len += n;
        if (r < s->rows - 1)
            out[len++] = '\n';
        free(line);
    }
    out[len] = '\0';
    return out;
}


int
scr_find(struct scr *s, const char *text, int *row, int *col)
{
    int r;

    if (!s || !text)
        return -1;
    for (r = 0; r < s->rows; r++) {
        int *map = NULL;
        char *line = scr_row_text(s, r, 0, &map);
        char *hit = strstr(line, text);

        if (hit) {
            if (row)
                *row = r;
            if (col)
                *col = *text ? map[hit - line] : 0;
            free(map);
            free(line);
            return 0;
        }
        free(map);
        free(line);
    }
    return -1;
}


/* xterm's stock 256-colour palette, which programs emitting RGB assume. */
static void
scr_xterm_rgb(int i, uint8_t rgb[3])
{
    static const uint8_t base[16][3] = {
        { 0, 0, 0 }, { 205, 0, 0 }, { 0, 205, 0 }, { 205, 205, 0 },
        { 0, 0, 238 }, { 205, 0, 205 }, { 0, 205, 205 }, { 229, 229, 229 },
        { 127, 127, 127 }, { 255, 0, 0 }, { 0, 255, 0 }, { 255, 255, 0 },
        { 92, 92, 255 }, { 255, 0, 255 }, { 0, 255, 255 }, { 255, 255, 255 },
    };
    static const uint8_t level[6] = { 0, 95, 135, 175, 215, 255 };

    if (i < 16) {
        memcpy(rgb, base[i], 3);
    } else if (i < 232) {
        rgb[0] = level[(i - 16) / 36];
        rgb[1] = level[((i - 16) / 6) % 6];
        rgb[2] = level[(i - 16) % 6];
    } else {
        rgb[0] = rgb[1] = rgb[2] = (uint8_t)(8 + 10 * (i - 232));
    }
}


/*
 * Map a cell colour to an xterm-256 index.  libvterm 0.1.4 keeps indexed
 * colours indexed; RGB shows up for SGR 38;2/48;2 (or from libvterm's own
 * palette in other versions).  RGB is matched exactly against xterm's
 * palette, then against libvterm's, else the nearest of xterm's fixed
 * colours 16..255 is returned.
 */
static int
scr_color_index(struct scr *s, const VTermColor *c, int is_fg)
{
    uint8_t rgb[3];
    int best = -1;
    long bestd = 0;
    int i;

    if (is_fg ? VTERM_COLOR_IS_DEFAULT_FG(c) : VTERM_COLOR_IS_DEFAULT_BG(c))
        return -1;
    if (VTERM_COLOR_IS_INDEXED(c))
        return c->indexed.idx;
    for (i = 0; i < 256; i++) {
        scr_xterm_rgb(i, rgb);
        if (rgb[0] == c->rgb.red && rgb[1] == c->rgb.green && rgb[2] == c->rgb.blue)
            return i;
    }
    for (i = 0; i < 256; i++) {
        if (s->pal[i][0] == c->rgb.red && s->pal[i][1] == c->rgb.green &&
            s->pal[i][2] == c->rgb.blue)
            return i;
    }
    for (i = 16; i < 256; i++) {
        long dr, dg, db, d;

        scr_xterm_rgb(i, rgb);
        dr = (long)c->rgb.red - rgb[0];
        dg = (long)c->rgb.green - rgb[1];
        db = (long)c->rgb.blue - rgb[2];
        d = dr * dr + dg * dg + db * db;
        if (best < 0 || d < bestd) {
            best = i;
            bestd = d;
        }
    }
    return best;
}


int
scr_fg(struct scr *s, int row, int col)
{
    VTermScreenCell cell;

    if (scr_get_cell(s, row, col, &cell) < 0)
        return -2;
    return scr_color_index(s, &cell.fg, 1);
}


int
scr_bg(struct scr *s, int row, int col)
{
    VTermScreenCell cell;

    if (scr_get_cell(s, row, col, &cell) < 0)
        return -2;
    return scr_color_index(s, &cell.bg, 0);
}


int
scr_attr_bold(struct scr *s, int row, int col)
{
    VTermScreenCell cell;

    if (scr_get_cell(s, row, col, &cell) < 0)
        return -1;
    return !!cell.attrs.bold;
}


int
scr_attr_reverse(struct scr *s, int row, int col)
{
    VTermScreenCell cell;

    if (scr_get_cell(s, row, col, &cell) < 0)
        return -1;
    return !!cell.attrs.reverse;
}


int
scr_attr_underline(struct scr *s, int row, int col)
{
    VTermScreenCell cell;

    if (scr_get_cell(s, row, col, &cell) < 0)
        return -1;
    return !!cell.attrs.underline;
}


int
scr_attr_italic(struct scr *s, int row, int col)
{
    VTermScreenCell cell;

    if (scr_get_cell(s, row, col, &cell) < 0)
        return -1;
    return !!cell.attrs.italic;
}


int
scr_cursor(struct scr *s, int *row, int *col)
{
    VTermPos pos;

    if (!s)
        return 0;
    vterm_state_get_cursorpos(s->state, &pos);
    if (row)
        *row = pos.row;
    if (col)
        *col = pos.col;
    return s->cursor_visible;
}


void
scr_size(struct scr *s, int *rows, int *cols)
{
    if (rows)
        *rows = s ? s->rows : 0;
    if (cols)
        *cols = s ? s->cols : 0;
}


const char *
scr_title(struct scr *s)
{
    return s ? s->title : "";
}


int
scr_bells(struct scr *s)
{
    return s ? s->bells : 0;
}


void
scr_log_screen(struct scr *s, FILE *f)
{
    int crow = 0;
    int ccol = 0;
    int vis;
    int r;

    if (!s) {
        fprintf(f, "--- no screen (scr is NULL) ---\n");
        return;
    }
    vis = scr_cursor(s, &crow, &ccol);
    scr_reap(s, WNOHANG);
    fprintf(f, "--- screen %dx%d, cursor %d,%d%s, pid %d ",
            s->rows, s->cols, crow, ccol, vis ? "" : " (hidden)", (int)s->pid);
    if (s->reaped)
        fprintf(f, "exited (%d)", scr_exit_code(s));
    else
        fprintf(f, "running");
    fprintf(f, ", %ld bytes read%s ---\n", s->nread, s->eof ? ", pty closed" : "");
    for (r = 0; r < s->rows; r++) {
        char *line = scr_row_text(s, r, 1, NULL);

        fprintf(f, "%3d|%s\n", r, line);
        free(line);
    }
    fprintf(f, "--- end of screen ---\n");
    fflush(f);
}


/* ---- waiting ---- */

typedef int (*scr_pred)(struct scr *s, const void *arg);

static int
scr_wait_for(struct scr *s, scr_pred pred, const void *arg, int timeout_ms)
{
    long long deadline = scr_now_ms() + (timeout_ms > 0 ? timeout_ms : 0);

    if (!s)
        return -1;
    for (;;) {
        int rem;

        if (pred(s, arg))
            return 0;
        if ((rem = scr_remaining(deadline)) <= 0)
            return -1;
        if (scr_step(s, rem) < 0)
            return pred(s, arg) ? 0 : -1;   /* screen is final */
    }
}


static int
scr_pred_text(struct scr *s, const void *arg)
{
    return scr_find(s, arg, NULL, NULL) == 0;
}


static int
scr_pred_gone(struct scr *s, const void *arg)
{
    return scr_find(s, arg, NULL, NULL) != 0;
}


struct scr_row_arg {
    int row;
    const char *text;
    int exact;
};


static int
scr_pred_row(struct scr *s, const void *arg)
{
    const struct scr_row_arg *ra = arg;
    char *line = scr_row(s, ra->row);
    int found = 0;

    if (line)
        found = ra->exact ? strcmp(line, ra->text) == 0 : strstr(line, ra->text) != NULL;
    free(line);
    return found;
}


int
scr_wait_text(struct scr *s, const char *text, int timeout_ms)
{
    if (!text)
        return -1;
    return scr_wait_for(s, scr_pred_text, text, timeout_ms);
}


int
scr_wait_gone(struct scr *s, const char *text, int timeout_ms)
{
    if (!text)
        return -1;
    return scr_wait_for(s, scr_pred_gone, text, timeout_ms);
}


int
scr_wait_row(struct scr *s, int row, const char *text, int timeout_ms)
{
    struct scr_row_arg ra = { row, text, 0 };

    if (!text)
        return -1;
    return scr_wait_for(s, scr_pred_row, &ra, timeout_ms);
}


int
scr_wait_row_is(struct scr *s, int row, const char *text, int timeout_ms)
{
    struct scr_row_arg ra = { row, text, 1 };

    if (!text)
        return -1;
    return scr_wait_for(s, scr_pred_row, &ra, timeout_ms);
}


int
scr_wait_stable(struct scr *s, int quiet_ms, int timeout_ms)
{
    long long now = scr_now_ms();
    long long deadline = now + (timeout_ms > 0 ? timeout_ms : 0);
    long long last = now;

    if (!s)
        return -1;
    if (quiet_ms < 0)
        quiet_ms = 0;
    for (;;) {
        long long wait;
        int r;

        now = scr_now_ms();
        if (now - last >= quiet_ms)
            return 0;
        if (now >= deadline)
            return -1;
        wait = last + quiet_ms - now;
        if (wait > deadline - now)
            wait = deadline - now;
        r = scr_step(s, (int)wait);
        if (r < 0)
            return 0;           /* pty closed: nothing can change any more */
        if (r > 0)
            last = scr_now_ms();
    }
}


/* ---- input ---- */

void
scr_send(struct scr *s, const char *bytes)
{
    if (!s || !bytes)
        return;
    scr_send_bytes(s, bytes, strlen(bytes));
}


static const struct {
    const char *name;
    VTermKey key;
} scr_keys[] = {
    { "Enter", VTERM_KEY_ENTER },
    { "Return", VTERM_KEY_ENTER },
    { "Tab", VTERM_KEY_TAB },
    { "Esc", VTERM_KEY_ESCAPE },
    { "Escape", VTERM_KEY_ESCAPE },
    { "Backspace", VTERM_KEY_BACKSPACE },
    { "Up", VTERM_KEY_UP },
    { "Down", VTERM_KEY_DOWN },
    { "Left", VTERM_KEY_LEFT },
    { "Right", VTERM_KEY_RIGHT },
    { "Insert", VTERM_KEY_INS },
    { "Delete", VTERM_KEY_DEL },
    { "Home", VTERM_KEY_HOME },
    { "End", VTERM_KEY_END },
    { "PageUp", VTERM_KEY_PAGEUP },
    { "PageDown", VTERM_KEY_PAGEDOWN },
};


/* Length of the single UTF-8 character that is all of str, or 0. */
static int
scr_single_char(const char *str, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)str;
    int len;
    int i;

    if (!u[0])
        return 0;
    if (u[0] < 0x80) {
        len = 1;
        *cp = u[0];
    } else if ((u[0] & 0xE0) == 0xC0) {
        len = 2;
        *cp = u[0] & 0x1F;
    } else if ((u[0] & 0xF0) == 0xE0) {
        len = 3;
        *cp = u[0] & 0x0F;
    } else if ((u[0] & 0xF8) == 0xF0) {
        len = 4;
        *cp = u[0] & 0x07;
    } else {
        return 0;
    }
    for (i = 1; i < len; i++) {
        if ((u[i] & 0xC0) != 0x80)
            return 0;
        *cp = (*cp << 6) | (u[i] & 0x3F);
    }
    return u[len] ? 0 : len;
}


void
scr_key(struct scr *s, const char *name)
{
    const char *base = name;
    VTermModifier mod = VTERM_MOD_NONE;
    uint32_t cp = 0;
    int clen;
    size_t i;

    if (!s || !name)
        return;

    /* Modifier prefixes: C- (Ctrl), M- or A- (Alt/Meta), S- (Shift). */
    while (base[0] && base[1] == '-' && base[2]) {
        if (base[0] == 'C')
            mod |= VTERM_MOD_CTRL;
        else if (base[0] == 'M' || base[0] == 'A')
            mod |= VTERM_MOD_ALT;
        else if (base[0] == 'S')
            mod |= VTERM_MOD_SHIFT;
        else
            break;
        base += 2;
    }

    for (i = 0; i < sizeof(scr_keys) / sizeof(scr_keys[0]); i++) {
        if (strcasecmp(base, scr_keys[i].name) == 0) {
            vterm_keyboard_key(s->vt, scr_keys[i].key, mod);
            scr_send_bytes(s, NULL, 0);
            return;
        }
    }
    if ((base[0] == 'F' || base[0] == 'f') && base[1] >= '1' && base[1] <= '9') {
        char *end;
        long n = strtol(base + 1, &end, 10);

        if (!*end && n >= 1 && n <= 12) {
            vterm_keyboard_key(s->vt, VTERM_KEY_FUNCTION(n), mod);
            scr_send_bytes(s, NULL, 0);
            return;
        }
    }
    if (strcasecmp(base, "Space") == 0)
        base = " ";

    if ((clen = scr_single_char(base, &cp)) > 0) {
        char buf[8];
        size_t len = 0;

        if (mod & VTERM_MOD_ALT)
            buf[len++] = '\033';
        if (mod & VTERM_MOD_CTRL) {
            /* Classic control bytes, as a real terminal sends them. */
            if (cp >= 'a' && cp <= 'z')
                cp -= 'a' - 'A';
            if (cp == '?') {
                buf[len++] = 0x7f;
            } else if (cp == ' ' || (cp >= '@' && cp <= '_')) {
                buf[len++] = (char)(cp & 0x1f);
            } else {
                fprintf(stderr, "scr_key: no control code for '%s'\n", name);
                return;
            }
        } else {
            memcpy(buf + len, base, clen);
            len += clen;
        }
        scr_send_bytes(s, buf, len);
        return;
    }
    fprintf(stderr, "scr_key: unknown key name '%s'\n", name);
}


void
scr_resize(struct scr *s, int rows, int cols)
{
    struct winsize ws;

    if (!s || rows < 1 || cols < 1)
        return;
    /* Resize the emulator first so the redraw triggered by SIGWINCH lands
     * on a screen of the new size. */
    vterm_set_size(s->vt, rows, cols);
    s->rows = rows;
    s->cols = cols;
    memset(&ws, 0, sizeof(ws));
    ws.ws_row = rows;
    ws.ws_col = cols;
    if (ioctl(s->fd, TIOCSWINSZ, &ws) < 0 && !s->eof)
        fprintf(stderr, "scr: TIOCSWINSZ: %s\n", strerror(errno));
}


/* ---- assertions ---- */

void
scr_check_fail(struct scr *s, const char *file, int line, const char *expr,
               const char *fmt, ...)
{
    va_list ap;

    fflush(stdout);
    fprintf(stderr, "%s:%d: SCR_CHECK(%s) failed:", file, line, expr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    if (s) {
        /* Catch up with output already sent, so the dump is current. */
        scr_pump(s, 50);
        scr_log_screen(s, stderr);
    }
    fflush(stderr);
    scr_free(s);
    scr_free_all();
    exit(1);
}
