/* bench.h: what the benches share (header only; tests/bench): the
 * monotonic clock, and the program's own terminal put on a pty whose
 * master a thread drains, counting the bytes a terminal would read. */
#ifndef VIRTMUX_BENCH_H
#define VIRTMUX_BENCH_H

#include <pthread.h>
#include <pty.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/* The monotonic clock in ns. */
static inline int64_t
bench_now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The monotonic clock in ms. */
static inline double
bench_now_ms(void)
{
    return (double)bench_now_ns() / 1e6;
}

/* A pty master read to its end by bench_drain_run, bytes counted. */
struct bench_drain {
    int fd;
    volatile unsigned long long bytes;
};

/* The thread body (pthread_create's start routine): opaque is a struct bench_drain. */
static inline void *
bench_drain_run(void *opaque)
{
    struct bench_drain *d = opaque;
    char buf[65536];
    ssize_t n;

    while ((n = read(d->fd, buf, sizeof(buf))) > 0)
        d->bytes += (unsigned long long)n;
    return NULL;
}

/* Put stdin and stdout on a new pty of size ws (TERM=xterm-256color)
 * whose master t is drained on thread *th: the old stdout, or -1. */
static inline int
bench_term_open(struct bench_drain *t, struct winsize *ws, pthread_t *th)
{
    int slave, saved;

    if (openpty(&t->fd, &slave, NULL, NULL, ws) < 0)
        return -1;
    saved = dup(STDOUT_FILENO);
    dup2(slave, STDIN_FILENO);
    dup2(slave, STDOUT_FILENO);
    setenv("TERM", "xterm-256color", 1);
    pthread_create(th, NULL, bench_drain_run, t);
    return saved;
}

#endif
