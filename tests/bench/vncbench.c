/* vncbench: the cost of a VNC preview frame, in process.
 *
 * A child process serves a 720x400 text-like screen with libvncserver on
 * loopback; virtmux's own path (libvncclient thread, grid, pane, ncurses
 * to a pseudo-terminal drained by a thread) shows it zoomed to a 100x40
 * pane. Printed: CPU time per frame and bytes written to the terminal per
 * frame when part of the screen changes, the same with every frame drawn
 * in full without diffing (the reference), and bytes written while the
 * guest's screen is static (target 0). */
#include <autoconf.h>

#include <pthread.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <rfb/rfb.h>

#include "config.h"
#include "loop.h"
#include "theme.h"
#include "ui.h"
#include "vnc-priv.h"
#include "vnc.h"

#include "bench.h"

#define PORT 5987
#define W 720
#define H 400

static struct bench_drain term;     /* the pty master, drained by a thread */

/* text-like glyph blocks: 8x16 cells, some lit pixels each */
static void
paint_text(uint32_t *fb, int x0, int y0, int w, int h, unsigned seed)
{
    for (int y = y0; y < y0 + h; y++)
        for (int x = x0; x < x0 + w; x++) {
            unsigned cell = (unsigned)(x / 8) * 31u + (unsigned)(y / 16) * 17u + seed;
            bool on = ((x % 8) > 1 && (x % 8) < 6 && (y % 16) > 2 && (y % 16) < 13 &&
                       ((cell * 2654435761u) >> ((x + y) % 7)) & 1);

            fb[y * W + x] = on ? 0x00aaaaaa : 0;
        }
}

static void
serve(int cmd_fd)
{
    int argc = 1;
    char *argv[] = { "vncbench-server", NULL };
    rfbScreenInfoPtr s = rfbGetScreen(&argc, argv, W, H, 8, 3, 4);
    uint32_t *fb = calloc(W * H, 4);
    unsigned seed = 1;
    char c;

    rfbLogEnable(0);
    s->frameBuffer = (char *)fb;
    s->port = PORT;
    s->ipv6port = 0;
    s->listenInterface = htonl(INADDR_LOOPBACK);
    paint_text(fb, 0, 0, W, H, seed);
    rfbInitServer(s);
    rfbRunEventLoop(s, 5000, TRUE);
    while (read(cmd_fd, &c, 1) == 1 && c != 'q') {
        /* 'c': one line of text changes (like a shell prompt typing) */
        seed++;
        paint_text(fb, 0, 352, W, 16, seed);
        rfbMarkRectAsModified(s, 0, 352, W, 368);
    }
    rfbShutdownServer(s, TRUE);
    _exit(0);
}

static double
cpu_now(void)
{
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static unsigned long
paints(void)
{
    unsigned long p, c;

    pane_vnc_stats(&p, &c);
    return p;
}

/* Run the loop until the pane has painted once more (1 s at most). */
static void
next_paint(void)
{
    unsigned long p = paints();

    for (int i = 0; i < 200 && paints() == p; i++)
        loop_iterate(5);
}

static void
measure(int cmd, int frames, bool full, double *cpu, double *bytes)
{
    double c0 = cpu_now();
    unsigned long long b0 = term.bytes;

    for (int i = 0; i < frames; i++) {
        char c = 'c';

        if (write(cmd, &c, 1) != 1)
            break;
        if (full) {
            clearok(curscr, TRUE);
            ui_dirty(NULL);
        }
        next_paint();
        loop_iterate(0);
    }
    usleep(100000);
    *cpu = (cpu_now() - c0) / frames * 1000;
    *bytes = (double)(term.bytes - b0) / frames;
}

int
main(int argc, char **argv)
{
    int frames = argc > 1 ? atoi(argv[1]) : 100;
    int cmd[2], saved_out, id, fw = 0, fh = 0;
    struct winsize ws = { 42, 100, 0, 0 };
    struct theme theme;
    pthread_t dt;
    pid_t child;
    double cpu_d, bytes_d, cpu_f, bytes_f;
    unsigned long long s0;
    FILE *out;

    if (pipe(cmd) < 0)
        return 1;
    if ((child = fork()) == 0) {
        close(cmd[1]);
        serve(cmd[0]);
    }
    close(cmd[0]);
    usleep(300000);
    if ((saved_out = bench_term_open(&term, &ws, &dt)) < 0)
        return 1;
    util_locale_init();
    loop_init();
    config_defaults();
    cfg.vnc_fps = 60;
    theme_defaults(&theme);
    if (ui_init(&theme) < 0)
        return 1;
    id = vnc_open_tcp("127.0.0.1", PORT, "bench");
    ui_set_focus(pane_vnc_show(id));
    ui_zoom_toggle();
    for (int i = 0; i < 300 && (!sessions_get(id) || sessions_get(id)->state != SESSION_OPEN ||
                                !fw); i++) {
        loop_iterate(10);
        vnc_size(id, &fw, &fh);
    }
    for (int i = 0; i < 100; i++)
        loop_iterate(10);
    /* static: nothing changes for 2 s */
    s0 = term.bytes;
    for (int i = 0; i < 200; i++)
        loop_iterate(10);
    s0 = term.bytes - s0;
    measure(cmd[1], frames, false, &cpu_d, &bytes_d);
    measure(cmd[1], frames, true, &cpu_f, &bytes_f);
    if (write(cmd[1], "q", 1) != 1)
        kill(child, SIGTERM);
    waitpid(child, NULL, 0);
    ui_end();
    vnc_free_all();

    out = fdopen(saved_out, "w");
    fprintf(out, "VNC preview: %dx%d guest screen zoomed to a 100x40 pane, one text line "
            "changing per frame, %d frames\n", fw, fh, frames);
    fprintf(out, "  changed region only    %6.2f ms CPU/frame  %8.0f bytes/frame\n",
            cpu_d, bytes_d);
    fprintf(out, "  full redraw (no diff)  %6.2f ms CPU/frame  %8.0f bytes/frame   (reference)\n",
            cpu_f, bytes_f);
    fprintf(out, "  static screen, 2 s     %6llu bytes written                        (target 0)\n",
            s0);
    fclose(out);
    return 0;
}
