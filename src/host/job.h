/* job.h: long-running work (volume uploads and downloads; later clones,
 * block jobs, migrations) as records in the model. A job's body runs on a
 * thread of its own, so its host's worker stays free for everything else;
 * it publishes progress under a lock and checks a cancel flag between
 * chunks. The loop thread samples running jobs every 250 ms (a timer that
 * exists only while jobs run or have just ended), emits NOTIFY_JOB, and
 * applies the end: the record's state, a line in the messages log, and
 * the job's own end hook. Records are loop-thread data, like the model. */
#ifndef VIRTMUX_JOB_H
#define VIRTMUX_JOB_H

#include "err.h"
#include "util.h"

#define JOB_STATES(X) \
    X(RUNNING, "running") \
    X(DONE, "done") \
    X(FAILED, "failed") \
    X(CANCELLED, "cancelled")

enum job_state {
#define X(e, s) JOB_##e,
    JOB_STATES(X)
#undef X
};

/* How long an ended job stays in the jobs pane. */
#define JOB_LINGER_MS 10000
/* How often running jobs are sampled. */
#define JOB_TICK_MS 250

struct job_run;

struct job {
    int id;
    int host;
    char *title;             /* "vol-download web.qcow2 -> /tmp/x" */
    enum job_state state;
    long long done, total;   /* bytes; total -1 when unknown */
    double rate;             /* bytes per second (smoothed; the average once ended) */
    int64_t started, ended;  /* util_now_ms(); ended 0 while running */
    int64_t started_wall;    /* time(), for people */
    char *error;             /* why it failed */
    bool cancel_asked;
    struct job_run *run;     /* shared with the job's thread */
};

/* The body: runs on the job's thread. Returns 0, or -1 with e set (a
 * cancelled body may leave e empty). */
typedef int (*job_body)(struct job_run *run, void *opaque, struct err *e);

struct job_spec {
    int host;
    const char *title;
    long long total;         /* -1 unknown */
    job_body body;
    void *opaque;
    /* The log line on success, before " (64 MiB in 1.2 s)". */
    const char *done_text;
    /* Loop thread, once the job has ended in any state (or could not
     * start): refresh what it changed and free opaque. Optional. */
    void (*end)(const struct job *j, void *opaque);
};

/* A job id for a job about to start (thread-safe): the worker that checks
 * a command can name the job in its result before the job exists. */
int job_reserve_id(void);
/* Start a job (loop thread) under id (0: a fresh one). Returns the id, or
 * -1 with e set when no thread could start (spec->end has run). */
int job_start(int id, const struct job_spec *spec, struct err *e);
/* Ask a running job to stop. Loop thread. */
int job_cancel(int id, struct err *e);
/* Records, oldest first (borrowed); NULL past the end / for no such id. */
const struct job *job_nth(size_t i);
const struct job *job_get(int id);
size_t job_count(void);
/* Running, or ended less than JOB_LINGER_MS before now: the jobs pane shows it. */
bool job_visible(const struct job *j, int64_t now);
size_t job_count_visible(int64_t now);
const char *job_state_name(enum job_state s);

/* The body's side (job thread). */
void job_progress(struct job_run *run, long long done);
void job_set_total(struct job_run *run, long long total);
bool job_cancelled(struct job_run *run);

/* Maths and words, shared by the pane, the log and the jobs list. */
/* 0..100, or -1 when the total is unknown. */
int job_percent(long long done, long long total);
/* The smoothed rate after delta bytes in dt_ms (rate 0: the first sample). */
double job_rate_next(double rate, long long delta, int64_t dt_ms);
/* "1.2 s", "3 min 4 s" */
void job_format_duration(int64_t ms, char *buf, size_t len);
/* "64 MiB in 1.2 s" (caller frees). */
char *job_summary(const struct job *j);
/* "12 MiB of 64 MiB (18%)", "12 MiB" when the total is unknown. */
void job_format_progress(const struct job *j, char *buf, size_t len);
/* Every job, a paragraph each, for the jobs viewer (caller frees). */
char *job_list_text(void);
/* Where a download is written until it is complete: FILE.part (caller frees). */
char *job_part_path(const char *file);

/* At exit: cancel every running job and wait up to timeout_ms for them. */
void job_shutdown_all(int timeout_ms);
void job_free_all(void);

#endif
