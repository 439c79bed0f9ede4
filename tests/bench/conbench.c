/* conbench: the console pipeline's throughput, in process.
 *
 * The same data (coloured, line-oriented guest output, like a build log
 * or `seq` with prompts) goes (a) straight into a bare libvterm, the
 * reference, and (b) through virtmux's own path: bytes read from a file
 * descriptor on the loop, console_feed, the console pane's frame timer,
 * the render pass and ncurses writing to a pseudo-terminal that a thread
 * drains. Printed: MB/s for both, their ratio, frames painted per second
 * bytes written to the terminal per frame, the pane's paint time per
 * frame (CPU on the loop thread) and the rows it copied per frame.
 *   conbench [MBYTES] [log|progress]   (default 32 log)
 * log: a scrolling build log (every row moves every frame); progress: one
 * line rewritten with \r (a download's progress: one row changes). */
#include <autoconf.h>

#include <fcntl.h>
#include <pthread.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <poll.h>
#include <vterm.h>

#include "action.h"
#include "consoles.h"
#include "loop.h"
#include "theme.h"
#include "ui.h"

#include "bench.h"

static char *data;
static size_t datalen, fed;
static int session;
static struct bench_drain term;     /* the pty master, drained by a thread */

static double
now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool progress;

static void
make_data(size_t mb)
{
    size_t cap = mb * 1024 * 1024, n = 0;
    unsigned long i = 0;

    data = malloc(cap + 256);
    while (progress && n < cap) {
        /* shorter than the pane: the line never wraps */
        n += (size_t)sprintf(data + n, "\r\x1b[36mimage.qcow2\x1b[0m %10lu [%-20.*s] %3lu%%",
                             i * 4096, (int)(i % 21), "====================", i % 101);
        i++;
    }
    while (!progress && n < cap) {
        n += (size_t)sprintf(data + n, (i % 50 == 0) ?
                             "\x1b[1;32mlabguest#\x1b[0m make -j2 target-%lu\r\n" :
                             "  CC      src/module-%lu.o  \x1b[33mwarning\x1b[0m: %lu\r\n",
                             i, i);
        i++;
    }
    datalen = n;
}

static double
bench_raw(void)
{
    VTerm *vt = vterm_new(38, 66);
    VTermScreen *vs;
    double t0 = now();

    vterm_set_utf8(vt, 1);
    vs = vterm_obtain_screen(vt);
    vterm_screen_enable_altscreen(vs, 1);
    vterm_screen_reset(vs, 1);
    for (size_t off = 0; off < datalen; off += 16384) {
        size_t n = datalen - off < 16384 ? datalen - off : 16384;

        vterm_input_write(vt, data + off, n);
        vterm_screen_flush_damage(vs);
    }
    t0 = now() - t0;
    vterm_free(vt);
    return t0;
}

/* What consoles.c's stream callback does, with a pipe for the stream. */
static void
on_readable(int id, int fd, int revents, void *opaque)
{
    struct console *con = consoles_console(session);
    char buf[16384], key[16];
    size_t total = 0;
    ssize_t n;

    while (total < 256 * 1024 && (n = read(fd, buf, sizeof(buf))) > 0) {
        console_feed(con, buf, (size_t)n);
        total += (size_t)n;
        fed += (size_t)n;
    }
    snprintf(key, sizeof(key), "%d", session);
    notify_emit(NOTIFY_CONSOLE, 0, key, MODEL_CHANGED);
    if (fed >= datalen) {
        loop_fd_remove(id);
        loop_quit();
    }
}

struct writer {
    int fd;
};

static void *
produce(void *opaque)
{
    struct writer *w = opaque;

    for (size_t off = 0; off < datalen;) {
        ssize_t n = write(w->fd, data + off, datalen - off > 65536 ? 65536 : datalen - off);

        if (n > 0)
            off += (size_t)n;
    }
    close(w->fd);
    return NULL;
}

int
main(int argc, char **argv)
{
    size_t mb = argc > 1 ? (size_t)atoi(argv[1]) : 32;
    unsigned long rows_copied;
    int64_t paint_ns;
    int pfd[2], saved_out;
    struct winsize ws = { 40, 120, 0, 0 };
    struct theme theme;
    pthread_t dt, pt;
    struct writer w;
    double raw, pipe_t;
    unsigned long paints;
    FILE *out;

    progress = argc > 2 && argv[2][0] == 'p';
    make_data(mb);
    raw = bench_raw();

    if (pipe(pfd) < 0 || (saved_out = bench_term_open(&term, &ws, &dt)) < 0)
        return 1;
    util_locale_init();
    loop_init();
    model_host_add("test:///default", false);
    theme_defaults(&theme);
    if (ui_init(&theme) < 0)
        return 1;
    session = consoles_open(0, "00000000-0000-0000-0000-000000000000", "bench", NULL,
                            false, 24, 80);
    loop_iterate(0);
    sessions_get(session)->state = SESSION_OPEN;     /* a stream that is a pipe */
    ui_set_focus(pane_console_show(session));
    fcntl(pfd[0], F_SETFL, O_NONBLOCK);
    loop_fd_add(pfd[0], POLLIN, on_readable, NULL, NULL);
    w.fd = pfd[1];
    pipe_t = now();
    pthread_create(&pt, NULL, produce, &w);
    loop_run();
    /* the last frame */
    loop_iterate(50);
    loop_iterate(50);
    pipe_t = now() - pipe_t;
    paints = pane_console_paints();
    pane_console_paint_stats(&rows_copied, &paint_ns);
    ui_end();
    pthread_join(pt, NULL);

    out = fdopen(saved_out, "w");
    fprintf(out, "console pipeline: %zu MiB of coloured guest output (%s), pane 66x38 in a "
            "120x40 terminal\n", datalen >> 20, progress ? "a progress line" : "a scrolling log");
    fprintf(out, "  raw libvterm            %8.1f MB/s\n", (double)datalen / raw / 1e6);
    fprintf(out, "  virtmux (fd->pane->pty) %8.1f MB/s   ratio %.2fx   (target >= 0.5x)\n",
            (double)datalen / pipe_t / 1e6, raw / pipe_t);
    fprintf(out, "  frames painted          %8.1f per second (%lu in %.2f s)   (target <= 60)\n",
            (double)paints / pipe_t, paints, pipe_t);
    fprintf(out, "  written to the terminal %8.1f KiB per frame\n",
            (double)term.bytes / 1024.0 / (double)(paints ? paints : 1));
    fprintf(out, "  pane paint              %8.1f us per frame, %.1f rows copied per frame\n",
            (double)paint_ns / 1e3 / (double)(paints ? paints : 1),
            (double)rows_copied / (double)(paints ? paints : 1));
    fclose(out);
    return 0;
}
