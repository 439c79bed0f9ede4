/* job.c: long-running jobs. Each job's body runs on a detached thread of
 * its own; what it shares with the loop thread (bytes done, total, the
 * cancel flag, its result) sits in a struct job_run under one lock. The
 * thread never touches the record: when the body returns it marks the run
 * finished and defers job_ended(id) to the loop, which copies the result
 * into the record, logs it and runs the job's end hook. A 250 ms timer
 * samples running jobs (and notices when an ended job leaves the jobs
 * pane); it is removed as soon as no job runs or lingers. */
#include <autoconf.h>

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "host.h"
#include "job.h"
#include "log.h"
#include "loop.h"
#include "model.h"
#include "notify.h"
#include "storxml.h"

struct job_run {
    int id;
    job_body body;
    void *opaque;
    /* under J.lock */
    long long done, total;
    bool cancel, finished;
    int rc;
    struct err err;
};

struct jobx {
    struct job pub;
    char *done_text;
    void (*end)(const struct job *j, void *opaque);
    void *opaque;
    long long last_done;     /* at the last sample, for the rate */
    int64_t last_at;
    bool gone_told;          /* left the pane (its linger ran out) */
};

static struct {
    pthread_mutex_t lock;    /* every run's shared fields, live */
    pthread_cond_t cond;     /* live went down */
    int live;                /* threads still in a body */
    int next_id;
    struct jobx **v;
    size_t n;
    int timer;
} J = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, NULL, 0, -1 };

static const char *state_names[] = {
#define X(e, s) s,
    JOB_STATES(X)
#undef X
};

const char *
job_state_name(enum job_state s)
{
    return (size_t)s < ARRAY_CARDINALITY(state_names) ? state_names[s] : "?";
}

int
job_reserve_id(void)
{
    return __atomic_add_fetch(&J.next_id, 1, __ATOMIC_SEQ_CST);
}

static struct jobx *
find(int id)
{
    for (size_t i = 0; i < J.n; i++) {
        if (J.v[i]->pub.id == id)
            return J.v[i];
    }
    return NULL;
}

const struct job *
job_get(int id)
{
    struct jobx *x = find(id);

    return x ? &x->pub : NULL;
}

const struct job *
job_nth(size_t i)
{
    return i < J.n ? &J.v[i]->pub : NULL;
}

size_t
job_count(void)
{
    return J.n;
}

bool
job_visible(const struct job *j, int64_t now)
{
    return j->state == JOB_RUNNING || now - j->ended < JOB_LINGER_MS;
}

size_t
job_count_visible(int64_t now)
{
    size_t k = 0;

    for (size_t i = 0; i < J.n; i++)
        k += job_visible(&J.v[i]->pub, now);
    return k;
}

static void
emit(const struct job *j, int change)
{
    char key[16];

    snprintf(key, sizeof(key), "%d", j->id);
    notify_emit(NOTIFY_JOB, j->host, key, change);
}

/* ---- the body's side ---- */

void
job_progress(struct job_run *run, long long done)
{
    pthread_mutex_lock(&J.lock);
    run->done = done;
    pthread_mutex_unlock(&J.lock);
}

void
job_set_total(struct job_run *run, long long total)
{
    pthread_mutex_lock(&J.lock);
    run->total = total;
    pthread_mutex_unlock(&J.lock);
}

bool
job_cancelled(struct job_run *run)
{
    bool c;

    pthread_mutex_lock(&J.lock);
    c = run->cancel;
    pthread_mutex_unlock(&J.lock);
    return c;
}

static void job_ended(void *opaque);

static void *
job_thread(void *opaque)
{
    struct job_run *run = opaque;
    int id = run->id, rc;
    struct err e;

    err_clear(&e);
    rc = run->body(run, run->opaque, &e);
    pthread_mutex_lock(&J.lock);
    run->rc = rc;
    run->err = e;
    run->finished = true;
    J.live--;
    pthread_cond_broadcast(&J.cond);
    pthread_mutex_unlock(&J.lock);
    /* from here on run belongs to the loop thread */
    loop_defer(job_ended, (void *)(intptr_t)id);
    return NULL;
}

/* ---- maths and words ---- */

int
job_percent(long long done, long long total)
{
    long long p;

    if (total < 0)
        return -1;
    if (total == 0 || done >= total)
        return 100;
    if (done <= 0)
        return 0;
    p = (long long)((double)done * 100 / (double)total);
    return p > 100 ? 100 : (int)p;
}

double
job_rate_next(double rate, long long delta, int64_t dt_ms)
{
    double now;

    if (dt_ms <= 0)
        return rate;
    now = (double)delta * 1000 / (double)dt_ms;
    /* a quarter of each new sample: steady, yet a stall shows within a second */
    return rate <= 0 ? now : rate * 0.75 + now * 0.25;
}

void
job_format_duration(int64_t ms, char *buf, size_t len)
{
    if (ms < 0)
        ms = 0;
    if (ms < 60000)
        snprintf(buf, len, "%.1f s", (double)ms / 1000);
    else if (ms < 3600000)
        snprintf(buf, len, "%d min %d s", (int)(ms / 60000), (int)(ms / 1000 % 60));
    else
        snprintf(buf, len, "%d h %d min", (int)(ms / 3600000), (int)(ms / 60000 % 60));
}

char *
job_summary(const struct job *j)
{
    char size[32], took[32];
    int64_t end = j->ended ? j->ended : util_now_ms();

    storxml_format_size(j->done > 0 ? (unsigned long long)j->done : 0, size, sizeof(size));
    job_format_duration(end - j->started, took, sizeof(took));
    return xasprintf("%s in %s", size, took);
}

void
job_format_progress(const struct job *j, char *buf, size_t len)
{
    char done[32], total[32];

    storxml_format_size(j->done > 0 ? (unsigned long long)j->done : 0, done, sizeof(done));
    if (j->total < 0) {
        snprintf(buf, len, "%s", done);
        return;
    }
    storxml_format_size((unsigned long long)j->total, total, sizeof(total));
    snprintf(buf, len, "%s of %s (%d%%)", done, total, job_percent(j->done, j->total));
}

char *
job_list_text(void)
{
    char *t = xstrdup(J.n ? "" : "No jobs yet: vol-download and vol-upload run as jobs.\n");

    for (size_t i = 0; i < J.n; i++) {
        const struct job *j = &J.v[i]->pub;
        char prog[96], rate[32], ts[16], took[32];
        time_t at = (time_t)j->started_wall;
        struct tm tm;
        char *n;

        job_format_progress(j, prog, sizeof(prog));
        job_format_duration((j->ended ? j->ended : util_now_ms()) - j->started, took,
                            sizeof(took));
        storxml_format_size(j->rate > 0 ? (unsigned long long)j->rate : 0, rate, sizeof(rate));
        strftime(ts, sizeof(ts), "%H:%M:%S", localtime_r(&at, &tm));
        n = xasprintf("%sjob %d  %s%s  %s\n    started %s; %s in %s; %s/s%s\n%s%s%s\n", t,
                      j->id, job_state_name(j->state),
                      j->state == JOB_RUNNING && j->cancel_asked ? " (cancelling)" : "",
                      j->title, ts, prog, took, rate,
                      j->state == JOB_RUNNING ? "" : " on average", j->error ? "    " : "",
                      j->error ? j->error : "", j->error ? "\n" : "");
        free(t);
        t = n;
    }
    return t;
}

char *
job_part_path(const char *file)
{
    return xasprintf("%s.part", file);
}

/* ---- the loop's side ---- */

static void on_tick(int id, void *opaque);

static void
arm_timer(void)
{
    if (J.timer < 0)
        J.timer = loop_timer_add(JOB_TICK_MS, on_tick, NULL, NULL);
}

/* Copy a finished run into its record, say how it ended, run the end hook. */
static void
apply_end(struct jobx *x)
{
    struct job *j = &x->pub;
    struct job_run *run = j->run;
    AUTOFREE char *summary = NULL;
    char done[32], total[32];

    pthread_mutex_lock(&J.lock);
    j->done = run->done;
    j->total = run->total;
    pthread_mutex_unlock(&J.lock);
    j->ended = util_now_ms();
    if (j->ended <= j->started)
        j->ended = j->started + 1;
    j->rate = (double)j->done * 1000 / (double)(j->ended - j->started);
    summary = job_summary(j);
    if (run->rc == 0) {
        j->state = JOB_DONE;
        log_msg(LOG_INFO, "%s (%s)", x->done_text, summary);
    } else if (run->cancel) {
        j->state = JOB_CANCELLED;
        storxml_format_size(j->done > 0 ? (unsigned long long)j->done : 0, done, sizeof(done));
        storxml_format_size(j->total > 0 ? (unsigned long long)j->total : 0, total,
                            sizeof(total));
        log_msg(LOG_INFO, "Cancelled job %d (%s) after %s%s%s", j->id, j->title, done,
                j->total >= 0 ? " of " : "", j->total >= 0 ? total : "");
    } else {
        j->state = JOB_FAILED;
        j->error = xstrdup(run->err.msg[0] ? run->err.msg : "it failed for an unknown reason");
        log_msg(LOG_ERROR, "%s", j->error);
    }
    free(run);
    j->run = NULL;
    host_storage_touch(j->host);     /* copies, merges and uploads write images */
    if (x->end)
        x->end(j, x->opaque);
    x->opaque = NULL;
    emit(j, MODEL_CHANGED);
    arm_timer();
}

static void
job_ended(void *opaque)
{
    struct jobx *x = find((int)(intptr_t)opaque);

    if (x && x->pub.state == JOB_RUNNING && x->pub.run)
        apply_end(x);
}

static void
on_tick(int id, void *opaque)
{
    int64_t now = util_now_ms();
    bool busy = false;

    for (size_t i = 0; i < J.n; i++) {
        struct jobx *x = J.v[i];
        struct job *j = &x->pub;

        if (j->state == JOB_RUNNING) {
            pthread_mutex_lock(&J.lock);
            j->done = j->run->done;
            j->total = j->run->total;
            pthread_mutex_unlock(&J.lock);
            j->rate = job_rate_next(j->rate, j->done - x->last_done, now - x->last_at);
            x->last_done = j->done;
            x->last_at = now;
            busy = true;
            emit(j, MODEL_CHANGED);
        } else if (job_visible(j, now)) {
            busy = true;
        } else if (!x->gone_told) {
            x->gone_told = true;
            emit(j, MODEL_CHANGED);
        }
    }
    if (!busy) {
        loop_timer_remove(J.timer);
        J.timer = -1;
    }
}

int
job_start(int id, const struct job_spec *spec, struct err *e)
{
    struct jobx *x = xcalloc(1, sizeof(*x));
    struct job_run *run = xcalloc(1, sizeof(*run));
    pthread_attr_t attr;
    pthread_t th;
    int rc;

    if (id <= 0)
        id = job_reserve_id();
    x->pub.id = run->id = id;
    x->pub.host = spec->host;
    x->pub.title = xstrdup(spec->title);
    x->pub.state = JOB_RUNNING;
    x->pub.done = 0;
    x->pub.total = run->total = spec->total;
    x->pub.started = x->last_at = util_now_ms();
    x->pub.started_wall = (int64_t)time(NULL);
    x->pub.run = run;
    x->done_text = xstrdup(spec->done_text ? spec->done_text : spec->title);
    x->end = spec->end;
    x->opaque = spec->opaque;
    run->body = spec->body;
    run->opaque = spec->opaque;

    pthread_mutex_lock(&J.lock);
    J.live++;
    pthread_mutex_unlock(&J.lock);
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    rc = pthread_create(&th, &attr, job_thread, run);
    pthread_attr_destroy(&attr);
    if (rc != 0) {
        pthread_mutex_lock(&J.lock);
        J.live--;
        pthread_mutex_unlock(&J.lock);
        err_set(e, "Failed to start job %d (%s): %s", id, spec->title, strerror(rc));
        if (spec->end)
            spec->end(&x->pub, spec->opaque);
        free(run);
        free(x->pub.title);
        free(x->done_text);
        free(x);
        return -1;
    }
    J.v = xreallocarray(J.v, J.n + 1, sizeof(*J.v));
    J.v[J.n++] = x;
    emit(&x->pub, MODEL_ADDED);
    arm_timer();
    return id;
}

int
job_cancel(int id, struct err *e)
{
    struct jobx *x = find(id);

    if (!x)
        return err_set(e, "There is no job %d (jobs lists them)", id);
    if (x->pub.state != JOB_RUNNING)
        return err_set(e, "Job %d (%s) has already ended: %s", id, x->pub.title,
                       job_state_name(x->pub.state));
    pthread_mutex_lock(&J.lock);
    x->pub.run->cancel = true;
    pthread_mutex_unlock(&J.lock);
    x->pub.cancel_asked = true;
    emit(&x->pub, MODEL_CHANGED);
    return 0;
}

void
job_shutdown_all(int timeout_ms)
{
    struct timespec ts;

    pthread_mutex_lock(&J.lock);
    for (size_t i = 0; i < J.n; i++) {
        if (J.v[i]->pub.run)
            J.v[i]->pub.run->cancel = true;
    }
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += timeout_ms / 1000;
    ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000;
    if (ts.tv_nsec >= 1000000000) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000;
    }
    while (J.live > 0) {
        if (pthread_cond_timedwait(&J.cond, &J.lock, &ts) == ETIMEDOUT)
            break;
    }
    pthread_mutex_unlock(&J.lock);
    /* the ended ones now, not on a loop iteration that may never come */
    for (size_t i = 0; i < J.n; i++) {
        struct jobx *x = J.v[i];
        bool finished;

        if (x->pub.state != JOB_RUNNING || !x->pub.run)
            continue;
        pthread_mutex_lock(&J.lock);
        finished = x->pub.run->finished;
        pthread_mutex_unlock(&J.lock);
        if (finished)
            apply_end(x);
    }
    if (J.timer >= 0)
        loop_timer_remove(J.timer);
    J.timer = -1;
}

void
job_free_all(void)
{
    for (size_t i = 0; i < J.n; i++) {
        struct jobx *x = J.v[i];

        /* a body still stuck in a hung daemon keeps its run (exit ends it) */
        if (x->pub.state != JOB_RUNNING)
            free(x->pub.run);
        free(x->pub.title);
        free(x->pub.error);
        free(x->done_text);
        free(x);
    }
    free(J.v);
    J.v = NULL;
    J.n = 0;
}
