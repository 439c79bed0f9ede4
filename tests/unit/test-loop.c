/* test-loop.c: the one poll() loop: timers in due order, timer update and
 * removal, deferred calls from another thread waking a blocked poll, fd
 * callbacks, removal inside a callback (free functions run after the
 * dispatch), signals through the self-pipe, and loop_quit. Every wait is
 * bounded: a test fails, it never hangs (and an alarm backs that up). */
#include <autoconf.h>

#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <cmocka.h>

#include "loop.h"

/* Iterate until *flag is set or budget_ms passed; false on timeout. */
static bool
iterate_until(const volatile bool *flag, int budget_ms)
{
    int64_t end = util_now_ms() + budget_ms;

    for (int i = 0; i < 10000 && !*flag && util_now_ms() < end; i++)
        loop_iterate(50);
    return *flag;
}

/* ---- timers ---- */

struct tlog {
    int fired[16];
    int n;
    int freed;
    int remove_failed;
};

struct tctx {
    struct tlog *log;
    int tag;
    bool once;        /* remove itself on first fire */
    int count;
};

static void
on_tick(int id, void *opaque)
{
    struct tctx *t = opaque;

    t->count++;
    if (t->log->n < 16)
        t->log->fired[t->log->n++] = t->tag;
    if (t->once && loop_timer_remove(id) < 0)
        t->log->remove_failed++;
}

static void
tctx_free(void *opaque)
{
    struct tctx *t = opaque;

    t->log->freed++;
}

static void
test_timers_in_order(void **state)
{
    struct tlog log = { { 0 }, 0, 0, 0 };
    struct tctx a = { &log, 60, true, 0 }, b = { &log, 20, true, 0 },
                c = { &log, 40, true, 0 };
    int64_t t0 = util_now_ms();

    /* added out of order */
    loop_timer_add(60, on_tick, &a, tctx_free);
    loop_timer_add(20, on_tick, &b, tctx_free);
    loop_timer_add(40, on_tick, &c, tctx_free);
    for (int i = 0; i < 200 && log.freed < 3; i++)
        loop_iterate(100);
    assert_int_equal(log.n, 3);
    assert_int_equal(log.fired[0], 20);
    assert_int_equal(log.fired[1], 40);
    assert_int_equal(log.fired[2], 60);
    assert_int_equal(log.freed, 3);             /* free functions ran */
    assert_int_equal(log.remove_failed, 0);
    assert_true(util_now_ms() - t0 >= 60);      /* none fired early */
    assert_true(util_now_ms() - t0 < 1500);
}

static void
test_timer_repeats_and_update(void **state)
{
    struct tlog log = { { 0 }, 0, 0, 0 };
    struct tctx t = { &log, 1, false, 0 };
    int id = loop_timer_add(10, on_tick, &t, tctx_free);
    int64_t end = util_now_ms() + 120;

    while (util_now_ms() < end)
        loop_iterate(50);
    assert_true(t.count >= 3);                  /* it repeats */
    assert_true(t.count <= 13);                 /* and keeps its pace */

    /* disabled: never fires, and the loop does not spin on it */
    loop_timer_update(id, -1);
    t.count = 0;
    end = util_now_ms() + 60;
    while (util_now_ms() < end)
        loop_iterate(20);
    assert_int_equal(t.count, 0);

    /* 0: fires on every iteration */
    loop_timer_update(id, 0);
    for (int i = 0; i < 5; i++)
        loop_iterate(1000);
    assert_int_equal(t.count, 5);

    /* a long interval, then shortened: the new one counts from now */
    loop_timer_update(id, 10000);
    t.count = 0;
    loop_iterate(0);
    assert_int_equal(t.count, 0);
    loop_timer_update(id, 10);
    end = util_now_ms() + 1000;
    while (t.count == 0 && util_now_ms() < end)
        loop_iterate(100);
    assert_int_equal(t.count, 1);

    assert_int_equal(loop_timer_remove(id), 0);
    assert_int_equal(loop_timer_remove(id), -1);     /* already gone */
    loop_iterate(0);
    assert_int_equal(log.freed, 1);
    t.count = 0;
    end = util_now_ms() + 40;
    while (util_now_ms() < end)
        loop_iterate(10);
    assert_int_equal(t.count, 0);
    assert_int_equal(loop_timer_remove(12345678), -1);
}

/* A timer removed by an earlier callback of the same iteration does not run. */
static int victim_id;

static void
on_killer(int id, void *opaque)
{
    loop_timer_remove(victim_id);
    loop_timer_remove(id);
}

static void
test_timer_removed_by_another(void **state)
{
    struct tlog log = { { 0 }, 0, 0, 0 };
    struct tctx v = { &log, 7, false, 0 };

    loop_timer_add(0, on_killer, NULL, NULL);
    victim_id = loop_timer_add(0, on_tick, &v, tctx_free);
    loop_iterate(0);
    loop_iterate(0);
    assert_int_equal(v.count, 0);
    assert_int_equal(log.freed, 1);
}

/* ---- deferred calls from another thread ---- */

struct defer_ctx {
    volatile bool ran;
    pthread_t ran_on;
    int order[4];
    int n;
};

static void
on_defer(void *opaque)
{
    struct defer_ctx *d = opaque;

    d->ran_on = pthread_self();
    d->ran = true;
}

static void *
defer_thread(void *opaque)
{
    usleep(50 * 1000);          /* let the loop block in poll() first */
    loop_defer(on_defer, opaque);
    return NULL;
}

static void
test_defer_from_thread(void **state)
{
    struct defer_ctx d = { false, 0, { 0 }, 0 };
    pthread_t th;
    int64_t t0 = util_now_ms();

    assert_int_equal(pthread_create(&th, NULL, defer_thread, &d), 0);
    /* a long timeout: only the wake pipe can end this poll early */
    for (int i = 0; i < 3 && !d.ran; i++)
        loop_iterate(5000);
    pthread_join(th, NULL);
    assert_true(d.ran);
    assert_true(pthread_equal(d.ran_on, pthread_self()));
    assert_true(util_now_ms() - t0 < 2000);
}

static void
on_defer_order(void *opaque)
{
    struct defer_ctx *d = opaque;

    d->n++;
    d->order[d->n - 1] = d->n;
}

static void
on_defer_chain(void *opaque)
{
    struct defer_ctx *d = opaque;

    on_defer_order(d);
    /* deferred from a deferred call: runs, but not in a loop forever */
    loop_defer(on_defer_order, d);
}

static void
test_defer_order(void **state)
{
    struct defer_ctx d = { false, 0, { 0 }, 0 };

    loop_defer(on_defer_order, &d);
    loop_defer(on_defer_chain, &d);
    loop_defer(on_defer_order, &d);
    loop_iterate(1000);
    loop_iterate(0);
    assert_int_equal(d.n, 4);
    for (int i = 0; i < 4; i++)
        assert_int_equal(d.order[i], i + 1);
}

/* ---- fds ---- */

struct fctx {
    int id, fd;
    int calls, freed, last_revents;
    int seen_id, seen_fd;        /* what the last callback was given */
    bool remove_self;
    int remove_other;            /* id to remove from the callback, or 0 */
    int freed_when_called;       /* freed count seen inside the callback */
    int removed_rc;              /* loop_fd_remove's answer in the callback */
    int freed_after_remove;      /* freed count right after that remove */
};

static void
on_fd(int id, int fd, int revents, void *opaque)
{
    struct fctx *f = opaque;
    char buf[64];

    /* no assert here: a failure would longjmp out of the loop's dispatch;
     * record, and let the test check afterwards */
    f->calls++;
    f->last_revents = revents;
    f->freed_when_called = f->freed;
    f->seen_id = id;
    f->seen_fd = fd;
    if (f->remove_other)
        loop_fd_remove(f->remove_other);
    if (f->remove_self) {
        f->removed_rc = loop_fd_remove(id);
        f->freed_after_remove = f->freed;
        return;
    }
    if (read(fd, buf, sizeof(buf)) < 0) {
        /* drained */
    }
}

static void
fctx_free(void *opaque)
{
    struct fctx *f = opaque;

    f->freed++;
}

static void
test_fd_callback(void **state)
{
    int p[2];
    struct fctx f = { 0 };

    assert_int_equal(pipe(p), 0);
    f.fd = p[0];
    f.id = loop_fd_add(p[0], POLLIN, on_fd, &f, fctx_free);
    assert_true(f.id > 0);

    loop_iterate(20);
    assert_int_equal(f.calls, 0);                 /* nothing to read */
    assert_int_equal(write(p[1], "x", 1), 1);
    loop_iterate(1000);
    assert_int_equal(f.calls, 1);
    assert_true(f.last_revents & POLLIN);
    assert_int_equal(f.seen_id, f.id);
    assert_int_equal(f.seen_fd, p[0]);

    /* no events asked: not polled even with data waiting */
    loop_fd_update(f.id, 0);
    assert_int_equal(write(p[1], "y", 1), 1);
    loop_iterate(20);
    assert_int_equal(f.calls, 1);
    loop_fd_update(f.id, POLLIN);
    loop_iterate(1000);
    assert_int_equal(f.calls, 2);

    /* the writer closes: the reader hears the hang-up */
    close(p[1]);
    loop_iterate(1000);
    assert_int_equal(f.calls, 3);
    assert_true(f.last_revents & POLLHUP);

    assert_int_equal(loop_fd_remove(f.id), 0);
    assert_int_equal(loop_fd_remove(f.id), -1);
    loop_iterate(0);
    assert_int_equal(f.freed, 1);
    loop_iterate(0);
    assert_int_equal(f.calls, 3);
    assert_int_equal(f.freed, 1);
    close(p[0]);
}

static void
test_fd_remove_in_callback(void **state)
{
    int p[2];
    struct fctx f = { 0 };

    assert_int_equal(pipe(p), 0);
    f.fd = p[0];
    f.remove_self = true;
    f.id = loop_fd_add(p[0], POLLIN, on_fd, &f, fctx_free);
    assert_int_equal(write(p[1], "xyz", 3), 3);
    loop_iterate(1000);
    assert_int_equal(f.calls, 1);
    assert_int_equal(f.seen_id, f.id);
    assert_int_equal(f.removed_rc, 0);
    assert_int_equal(f.freed_when_called, 0);
    /* the record survives the remove until the dispatch is over */
    assert_int_equal(f.freed_after_remove, 0);
    assert_int_equal(f.freed, 1);                 /* right after dispatch */
    /* data still waiting, but the fd is gone */
    loop_iterate(20);
    assert_int_equal(f.calls, 1);
    assert_int_equal(f.freed, 1);
    close(p[0]);
    close(p[1]);
}

/* Both readable in one poll; the first removes the second, which must not
 * be called with its (already freed by the owner) opaque. */
static void
test_fd_remove_other_in_callback(void **state)
{
    int p[2], q[2];
    struct fctx a = { 0 }, b = { 0 };

    assert_int_equal(pipe(p), 0);
    assert_int_equal(pipe(q), 0);
    a.fd = p[0];
    b.fd = q[0];
    a.id = loop_fd_add(p[0], POLLIN, on_fd, &a, fctx_free);
    b.id = loop_fd_add(q[0], POLLIN, on_fd, &b, fctx_free);
    a.remove_other = b.id;
    assert_int_equal(write(p[1], "x", 1), 1);
    assert_int_equal(write(q[1], "x", 1), 1);
    loop_iterate(1000);
    assert_int_equal(a.calls, 1);
    assert_int_equal(a.seen_id, a.id);
    assert_int_equal(b.calls, 0);
    assert_int_equal(b.freed, 1);
    assert_int_equal(a.freed, 0);
    loop_fd_remove(a.id);
    loop_iterate(0);
    assert_int_equal(a.freed, 1);
    close(p[0]);
    close(p[1]);
    close(q[0]);
    close(q[1]);
}

struct thread_fd {
    int fd;
    struct fctx *f;
};

static void *
add_fd_thread(void *opaque)
{
    struct thread_fd *t = opaque;

    usleep(50 * 1000);
    t->f->id = loop_fd_add(t->fd, POLLIN, on_fd, t->f, fctx_free);
    return NULL;
}

/* An fd added from another thread while the loop sleeps is polled at once. */
static void
test_fd_add_from_thread(void **state)
{
    int p[2];
    struct fctx f = { 0 };
    struct thread_fd t = { 0, &f };
    pthread_t th;
    int64_t t0;

    assert_int_equal(pipe(p), 0);
    assert_int_equal(write(p[1], "x", 1), 1);
    f.fd = t.fd = p[0];
    t0 = util_now_ms();
    assert_int_equal(pthread_create(&th, NULL, add_fd_thread, &t), 0);
    for (int i = 0; i < 4 && !f.calls; i++)
        loop_iterate(3000);
    pthread_join(th, NULL);
    assert_int_equal(f.calls, 1);
    assert_int_equal(f.seen_id, f.id);   /* f.id is stored after the add */
    assert_true(util_now_ms() - t0 < 2500);
    loop_fd_remove(f.id);
    loop_iterate(0);
    assert_int_equal(f.freed, 1);
    close(p[0]);
    close(p[1]);
}

/* ---- prepare hook, signals, quit ---- */

static void
on_prepare(void *opaque)
{
    (*(int *)opaque)++;
}

static void
test_prepare_runs_each_iteration(void **state)
{
    int n = 0;
    unsigned long w = loop_wakeups();

    loop_set_prepare(on_prepare, &n);
    loop_iterate(0);
    loop_iterate(0);
    loop_iterate(0);
    loop_set_prepare(NULL, NULL);
    loop_iterate(0);
    assert_int_equal(n, 3);
    assert_true(loop_wakeups() >= w + 4);
}

static void
on_sig(void *opaque)
{
    *(volatile bool *)opaque = true;
}

static void
test_signal(void **state)
{
    volatile bool got = false;

    loop_signal(SIGUSR1, on_sig, (void *)&got);
    raise(SIGUSR1);
    assert_true(iterate_until(&got, 1000));
    signal(SIGUSR1, SIG_DFL);
}

static void
on_quit_timer(int id, void *opaque)
{
    loop_timer_remove(id);
    (*(int *)opaque)++;
    loop_quit();
}

/* Last: the loop has no way back from quitting. */
static void
test_quit(void **state)
{
    int fired = 0;
    int64_t t0 = util_now_ms();

    assert_false(loop_quitting());
    loop_timer_add(20, on_quit_timer, &fired, NULL);
    alarm(5);                  /* a hang here is a failure, not a stuck run */
    loop_run();
    alarm(0);
    assert_int_equal(fired, 1);
    assert_true(loop_quitting());
    assert_true(util_now_ms() - t0 < 2000);
    /* after quit an iteration returns at once, even with a long timeout */
    t0 = util_now_ms();
    loop_iterate(3000);
    assert_true(util_now_ms() - t0 < 1000);
}

static int
setup(void **state)
{
    loop_init();
    return 0;
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_timers_in_order),
        cmocka_unit_test(test_timer_repeats_and_update),
        cmocka_unit_test(test_timer_removed_by_another),
        cmocka_unit_test(test_defer_from_thread),
        cmocka_unit_test(test_defer_order),
        cmocka_unit_test(test_fd_callback),
        cmocka_unit_test(test_fd_remove_in_callback),
        cmocka_unit_test(test_fd_remove_other_in_callback),
        cmocka_unit_test(test_fd_add_from_thread),
        cmocka_unit_test(test_prepare_runs_each_iteration),
        cmocka_unit_test(test_signal),
        cmocka_unit_test(test_quit),
    };

    alarm(20);                 /* the whole program, whatever happens */
    return cmocka_run_group_tests_name("loop", tests, setup, NULL);
}
