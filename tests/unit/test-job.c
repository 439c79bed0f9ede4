/* test-job.c: the job bookkeeping without libvirt. Bodies here are plain
 * functions on the job's thread that publish progress, fail, or wait for
 * the cancel flag. Checked: percent, rate and duration maths; the .part
 * name of a download; running -> done / failed / cancelled with the log
 * line each leaves and the end hook run once on the loop thread; progress
 * sampled by the 250 ms timer (and the timer gone when idle); cancel of an
 * ended or unknown job refused; the 10 s linger of the jobs pane; shutdown
 * cancelling what still runs. Every wait is bounded. */
#include <autoconf.h>

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <cmocka.h>

#include "action.h"
#include "job.h"
#include "log.h"
#include "loop.h"
#include "model.h"
#include "notify.h"

#define MiB (1024LL * 1024)

/* Iterate the loop until the job has ended or budget_ms passed. */
static const struct job *
wait_end(int id, int budget_ms)
{
    int64_t end = util_now_ms() + budget_ms;

    while (util_now_ms() < end && job_get(id) && job_get(id)->state == JOB_RUNNING)
        loop_iterate(20);
    return job_get(id);
}

static void
spin(int ms)
{
    int64_t end = util_now_ms() + ms;

    while (util_now_ms() < end)
        loop_iterate(20);
}

/* ---- maths and words ---- */

static void
test_percent(void **state)
{
    assert_int_equal(job_percent(0, 100), 0);
    assert_int_equal(job_percent(50, 100), 50);
    assert_int_equal(job_percent(1, 3), 33);
    assert_int_equal(job_percent(100, 100), 100);
    assert_int_equal(job_percent(150, 100), 100);       /* never past the end */
    assert_int_equal(job_percent(-5, 100), 0);
    assert_int_equal(job_percent(0, 0), 100);           /* nothing to move */
    assert_int_equal(job_percent(7, -1), -1);           /* total unknown */
    assert_int_equal(job_percent(1LL << 40, 1LL << 41), 50);   /* no overflow */
    assert_int_equal(job_percent((1LL << 41) - 1, 1LL << 41), 99);
}

static void
test_rate(void **state)
{
    double r = job_rate_next(0, MiB, 250);

    assert_true(r == 4.0 * MiB);                        /* the first sample as is */
    r = job_rate_next(r, 0, 250);                       /* a stall pulls it down */
    assert_true(r == 3.0 * MiB);
    assert_true(job_rate_next(r, MiB, 0) == r);         /* no time passed: unchanged */
    r = 0;
    for (int i = 0; i < 40; i++)
        r = job_rate_next(r, 2 * MiB, 500);
    assert_true(r > 3.99 * MiB && r < 4.01 * MiB);      /* converges */
}

static void
test_words(void **state)
{
    char buf[64];
    AUTOFREE char *part = job_part_path("/tmp/web 01.qcow2");
    struct job j = { .id = 1, .done = 64 * MiB, .total = 256 * MiB, .started = 1000,
                     .ended = 2200 };
    AUTOFREE char *sum = NULL;

    assert_string_equal(part, "/tmp/web 01.qcow2.part");
    job_format_duration(1234, buf, sizeof(buf));
    assert_string_equal(buf, "1.2 s");
    job_format_duration(65000, buf, sizeof(buf));
    assert_string_equal(buf, "1 min 5 s");
    job_format_duration(3725000, buf, sizeof(buf));
    assert_string_equal(buf, "1 h 2 min");
    sum = job_summary(&j);
    assert_string_equal(sum, "64 MiB in 1.2 s");
    job_format_progress(&j, buf, sizeof(buf));
    assert_string_equal(buf, "64 MiB of 256 MiB (25%)");
    j.total = -1;
    job_format_progress(&j, buf, sizeof(buf));
    assert_string_equal(buf, "64 MiB");
    assert_string_equal(job_state_name(JOB_CANCELLED), "cancelled");
    assert_string_equal(job_state_name(JOB_RUNNING), "running");
}

static void
test_linger(void **state)
{
    struct job j = { .state = JOB_RUNNING };

    assert_true(job_visible(&j, 1000000));
    j.state = JOB_FAILED;
    j.ended = 5000;
    assert_true(job_visible(&j, 5000 + JOB_LINGER_MS - 1));
    assert_false(job_visible(&j, 5000 + JOB_LINGER_MS));
}

/* ---- bodies ---- */

struct body {
    int chunks;              /* 1 MiB each */
    bool fail;
    bool until_cancel;       /* publish until cancelled, then fail quietly */
    bool ignore_cancel;      /* finish anyway (a cancel that came too late) */
    volatile bool go;        /* wait for the test before finishing */
    volatile bool started;
    int ended_calls;
    enum job_state ended_state;
    bool ended_on_loop;
};

static pthread_t loop_thread;

static int
body(struct job_run *run, void *opaque, struct err *e)
{
    struct body *b = opaque;
    long long done = 0;

    b->started = true;
    for (int i = 0; i < b->chunks; i++) {
        done += MiB;
        job_progress(run, done);
    }
    if (b->until_cancel) {
        for (int i = 0; i < 5000 && !job_cancelled(run); i++) {
            done += MiB;
            job_progress(run, done);
            usleep(1000);
        }
        return -1;               /* the cancel path leaves no sentence */
    }
    for (int i = 0; i < 5000 && !b->go; i++)
        usleep(1000);
    if (b->ignore_cancel)
        return 0;
    if (b->fail)
        return err_set(e, "Failed to download vol 'web.qcow2' to '/tmp/x': disk full");
    return 0;
}

static void
ended(const struct job *j, void *opaque)
{
    struct body *b = opaque;

    b->ended_calls++;
    b->ended_state = j->state;
    b->ended_on_loop = pthread_equal(pthread_self(), loop_thread);
}

static int
start(struct body *b, long long total, const char *done_text)
{
    struct job_spec spec = { .host = 0, .title = "vol-download web.qcow2 -> /tmp/x",
                             .total = total, .body = body, .opaque = b,
                             .done_text = done_text, .end = ended };
    struct err e;
    int id = job_start(0, &spec, &e);

    assert_true(id > 0);
    return id;
}

static int nadded, nchanged;

static void
on_job(const struct notify_ev *ev, void *opaque)
{
    if (ev->kind != NOTIFY_JOB)
        return;
    if (ev->change == MODEL_ADDED)
        nadded++;
    else
        nchanged++;
}

/* ---- state transitions ---- */

static void
test_done(void **state)
{
    struct body b = { .chunks = 3, .go = true };
    int id, sub = notify_subscribe(on_job, NULL);
    const struct job *j;

    nadded = nchanged = 0;
    id = start(&b, 3 * MiB, "Vol web.qcow2 downloaded to /tmp/x");
    j = job_get(id);
    assert_non_null(j);
    assert_int_equal(j->total, 3 * MiB);
    assert_int_equal(nadded, 1);
    j = wait_end(id, 3000);
    assert_int_equal(j->state, JOB_DONE);
    assert_int_equal(j->done, 3 * MiB);
    assert_true(j->ended >= j->started);
    assert_null(j->error);
    assert_null(j->run);
    assert_int_equal(b.ended_calls, 1);
    assert_int_equal(b.ended_state, JOB_DONE);
    assert_true(b.ended_on_loop);
    assert_true(nchanged >= 1);
    assert_int_equal(log_last()->level, LOG_INFO);
    assert_true(STRPREFIX(log_last()->text, "Vol web.qcow2 downloaded to /tmp/x (3 MiB in "));
    assert_non_null(strstr(log_last()->text, " s)"));
    notify_unsubscribe(sub);
}

static void
test_failed(void **state)
{
    struct body b = { .chunks = 1, .fail = true, .go = true };
    int id = start(&b, 8 * MiB, "unused");
    const struct job *j = wait_end(id, 3000);
    struct err e;

    assert_int_equal(j->state, JOB_FAILED);
    assert_string_equal(j->error, "Failed to download vol 'web.qcow2' to '/tmp/x': disk full");
    assert_int_equal(j->done, MiB);
    assert_int_equal(b.ended_calls, 1);
    assert_int_equal(b.ended_state, JOB_FAILED);
    assert_int_equal(log_last()->level, LOG_ERROR);
    assert_string_equal(log_last()->text, j->error);
    /* an ended job cannot be cancelled */
    assert_int_equal(job_cancel(id, &e), -1);
    assert_non_null(strstr(e.msg, "has already ended: failed"));
}

static void
test_cancel(void **state)
{
    struct body b = { .until_cancel = true };
    int id = start(&b, -1, "unused");
    const struct job *j = job_get(id);
    struct err e;

    for (int i = 0; i < 200 && !b.started; i++)
        loop_iterate(10);
    spin(3 * JOB_TICK_MS);
    /* the timer sampled the body's progress; the total stays unknown */
    assert_int_equal(j->state, JOB_RUNNING);
    assert_true(j->done > 0);
    assert_int_equal(j->total, -1);
    assert_false(j->cancel_asked);
    assert_int_equal(job_cancel(id, &e), 0);
    assert_true(j->cancel_asked);
    j = wait_end(id, 3000);
    assert_int_equal(j->state, JOB_CANCELLED);
    assert_null(j->error);
    assert_int_equal(b.ended_calls, 1);
    assert_int_equal(b.ended_state, JOB_CANCELLED);
    assert_int_equal(log_last()->level, LOG_INFO);
    assert_true(STRPREFIX(log_last()->text, "Cancelled job "));
    assert_non_null(strstr(log_last()->text, "(vol-download web.qcow2 -> /tmp/x) after "));
    assert_int_equal(job_cancel(id, &e), -1);
    assert_int_equal(job_cancel(99999, &e), -1);
    assert_non_null(strstr(e.msg, "no job 99999"));
}

/* quit asks first while a job runs, naming it (#18 bug 13), and asks
 * nothing once none does. */
static void
test_quit_asks(void **state)
{
    struct body b = { .chunks = 1 };
    const struct action *quit = action_find("quit");
    int id;
    char *q;

    assert_non_null(quit);
    assert_non_null(quit->question);
    assert_null(quit->question(NULL));          /* no job: quit at once */
    id = start(&b, 8 * MiB, "Vol v downloaded to f");
    for (int i = 0; i < 200 && !b.started; i++)
        loop_iterate(10);
    q = quit->question(NULL);
    assert_non_null(q);
    assert_non_null(strstr(q, "vol-download web.qcow2 -> /tmp/x ("));
    assert_non_null(strstr(q, "Quit while 1 job runs? It is stopped. [y/N]"));
    free(q);
    b.go = true;
    wait_end(id, 3000);
    assert_null(quit->question(NULL));
}

/* A cancel that arrives after the body finished its last chunk: done. */
static void
test_cancel_too_late(void **state)
{
    struct body b = { .chunks = 2, .ignore_cancel = true };
    int id = start(&b, 2 * MiB, "Vol v downloaded to f");
    const struct job *j;
    struct err e;

    for (int i = 0; i < 200 && !b.started; i++)
        loop_iterate(10);
    assert_int_equal(job_cancel(id, &e), 0);
    b.go = true;
    j = wait_end(id, 3000);
    assert_int_equal(j->state, JOB_DONE);
    assert_true(STRPREFIX(log_last()->text, "Vol v downloaded to f (2 MiB in "));
}

/* Progress is sampled on the loop while the body is still working, and
 * the rate follows it; the tick timer goes away once nothing lingers. */
static void
test_sampling(void **state)
{
    struct body b = { .chunks = 5 };
    int id = start(&b, 10 * MiB, "x");
    const struct job *j = job_get(id);
    int64_t before;

    for (int i = 0; i < 200 && !b.started; i++)
        loop_iterate(10);
    assert_int_equal(j->done, 0);      /* not before a tick */
    spin(2 * JOB_TICK_MS + 50);
    assert_int_equal(j->done, 5 * MiB);
    assert_int_equal(job_percent(j->done, j->total), 50);
    assert_true(j->rate > 0);
    assert_true(job_count_visible(util_now_ms()) >= 1);
    b.go = true;
    j = wait_end(id, 3000);
    assert_int_equal(j->state, JOB_DONE);
    assert_true(job_visible(j, util_now_ms()));
    assert_false(job_visible(j, j->ended + JOB_LINGER_MS));
    /* idle, once the linger is over: no timer wakes the loop */
    spin(JOB_LINGER_MS + 2 * JOB_TICK_MS);
    assert_int_equal(job_count_visible(util_now_ms()), 0);
    before = util_now_ms();
    loop_iterate(3 * JOB_TICK_MS);
    assert_true(util_now_ms() - before >= 3 * JOB_TICK_MS - 20);
}

static void
test_reserved_id(void **state)
{
    struct body b = { .go = true };
    struct job_spec spec = { .host = 2, .title = "t", .total = 0, .body = body, .opaque = &b,
                             .end = ended };
    struct err e;
    int id = job_reserve_id(), next = job_reserve_id();

    assert_true(next == id + 1);
    assert_int_equal(job_start(id, &spec, &e), id);
    assert_int_equal(job_get(id)->host, 2);
    assert_int_equal(wait_end(id, 3000)->state, JOB_DONE);
    assert_int_equal(job_percent(job_get(id)->done, job_get(id)->total), 100);
}

static void
test_list_text(void **state)
{
    AUTOFREE char *t = job_list_text();

    assert_non_null(strstr(t, "  done  vol-download web.qcow2 -> /tmp/x\n"));
    assert_non_null(strstr(t, "  failed  vol-download"));
    assert_non_null(strstr(t, "    Failed to download vol 'web.qcow2' to '/tmp/x': disk full\n"));
    assert_non_null(strstr(t, "  cancelled  "));
}

/* At exit: what still runs is cancelled, waited for and applied at once. */
static void
test_shutdown(void **state)
{
    struct body b = { .until_cancel = true };
    int id = start(&b, -1, "x");
    int64_t t0;

    for (int i = 0; i < 200 && !b.started; i++)
        loop_iterate(10);
    t0 = util_now_ms();
    job_shutdown_all(2000);
    assert_true(util_now_ms() - t0 < 1500);
    assert_int_equal(job_get(id)->state, JOB_CANCELLED);
    assert_int_equal(b.ended_calls, 1);
    /* the deferred end that arrives afterwards changes nothing */
    spin(100);
    assert_int_equal(b.ended_calls, 1);
    job_free_all();
    assert_int_equal(job_count(), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_percent),
        cmocka_unit_test(test_rate),
        cmocka_unit_test(test_words),
        cmocka_unit_test(test_linger),
        cmocka_unit_test(test_done),
        cmocka_unit_test(test_failed),
        cmocka_unit_test(test_cancel),
        cmocka_unit_test(test_cancel_too_late),
        cmocka_unit_test(test_quit_asks),
        cmocka_unit_test(test_sampling),
        cmocka_unit_test(test_reserved_id),
        cmocka_unit_test(test_list_text),
        cmocka_unit_test(test_shutdown),
    };
    int rc;

    alarm(120);
    loop_init();
    loop_thread = pthread_self();
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    log_free();
    return rc;
}
