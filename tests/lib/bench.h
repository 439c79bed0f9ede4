/* bench.h: what the benches share (header only; tests/bench): the
 * monotonic clock, and a pty master drained by a thread that counts the
 * bytes, as a terminal would read them. */
#ifndef VIRTMUX_BENCH_H
#define VIRTMUX_BENCH_H

#include <stdint.h>
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

#endif
