/* pane-jobs.c: the jobs pane, a strip at the bottom of every view while a
 * job runs or ended less than 10 s ago: one row per job with its title,
 * a progress bar, the bytes moved, the rate and its state (failed ones in
 * the error colour). Its height follows the number of jobs (at most 5
 * rows and a header); a change of that number lays the screen out again,
 * a progress tick only repaints the strip. */
#include <autoconf.h>

#include <stdio.h>
#include <stdlib.h>

#include "colors.h"
#include "job.h"
#include "storxml.h"
#include "table.h"
#include "ui.h"

#define JOBS_MAX_ROWS 6      /* header included */

enum { J_ID, J_TITLE, J_BAR, J_PCT, J_MIB, J_RATE, J_STATE, J_COUNT };

static const struct table_col cols[J_COUNT] = {
    { .title = "Job", .right = true, .kind = TABLE_NUMBER, .prio = 3 },
    { .title = "Transfer", .min = 16, .prio = 9, .fill = true },
    { .title = "Progress", .width = 10, .prio = 6 },
    { .title = "%", .width = 4, .right = true, .prio = 7 },
    { .title = "MiB", .right = true, .prio = 4 },
    { .title = "Rate", .right = true, .prio = 5 },
    { .title = "State", .prio = 8 },
};

static struct {
    struct pane pane;
    struct table table;
    int *ids;                /* the rows: visible jobs, oldest first */
    size_t nids;
    int sel_id;
    int placed;              /* the height the last layout gave it */
    int notify_id;
} P;

static void
rebuild(void)
{
    int64_t now = util_now_ms();
    int want = -1;

    free(P.ids);
    P.ids = xcalloc(job_count() + 1, sizeof(*P.ids));
    P.nids = 0;
    for (size_t i = 0; i < job_count(); i++) {
        const struct job *j = job_nth(i);

        if (!job_visible(j, now))
            continue;
        if (j->id == P.sel_id)
            want = (int)P.nids;
        P.ids[P.nids++] = j->id;
    }
    P.table.nrows = (int)P.nids;
    if (want >= 0)
        P.table.cur = want;
    table_clamp(&P.table);
}

static void
bar(int pct, char *buf, size_t len)
{
    int fill = pct < 0 ? 0 : pct / 10;
    size_t o = 0;

    buf[0] = '\0';
    for (int i = 0; i < 10 && o + 4 < len; i++) {
        const char *c = util_utf8() ? (i < fill ? "\xe2\x96\x88" : "\xe2\x96\x91")
                                    : (i < fill ? "#" : "-");

        o += (size_t)snprintf(buf + o, len - o, "%s", c);
    }
}

static bool
cell(void *opaque, int row, int col, char *buf, size_t len, enum theme_role *role)
{
    const struct job *j = (size_t)row < P.nids ? job_get(P.ids[row]) : NULL;
    int pct;

    if (!j || col == -1)
        return false;
    pct = job_percent(j->done, j->total);
    switch (col) {
    case J_ID: snprintf(buf, len, "%d", j->id); break;
    case J_TITLE: snprintf(buf, len, "%s", j->title); break;
    case J_BAR:
        bar(pct, buf, len);
        if (j->state == JOB_FAILED)
            *role = ROLE_STATUS_ERROR;
        break;
    case J_PCT:
        if (pct >= 0)
            snprintf(buf, len, "%d%%", pct);
        else
            snprintf(buf, len, "-");
        break;
    case J_MIB:
        if (j->total >= 0)
            snprintf(buf, len, "%.1f/%.1f", (double)j->done / 1048576,
                     (double)j->total / 1048576);
        else
            snprintf(buf, len, "%.1f/?", (double)j->done / 1048576);
        break;
    case J_RATE:
        if (j->rate > 0) {
            char r[32];

            storxml_format_size((unsigned long long)j->rate, r, sizeof(r));
            snprintf(buf, len, "%s/s", r);
        } else {
            snprintf(buf, len, "-");
        }
        break;
    case J_STATE:
        snprintf(buf, len, "%s", j->state == JOB_RUNNING && j->cancel_asked
                                 ? "cancelling" : job_state_name(j->state));
        *role = j->state == JOB_FAILED ? ROLE_STATUS_ERROR :
                j->state == JOB_DONE ? ROLE_STATE_RUNNING :
                j->state == JOB_CANCELLED ? ROLE_DIM : ROLE_NORMAL;
        break;
    }
    return false;
}

static void
remember(void)
{
    P.sel_id = P.nids && (size_t)P.table.cur < P.nids ? P.ids[P.table.cur] : 0;
}

static void
paint(struct pane *p)
{
    rebuild();
    table_paint(&P.table, p->win, ui_focus() == p);
    remember();
}

static bool
key(struct pane *p, const char *k)
{
    if (table_key(&P.table, k)) {
        remember();
        p->dirty = true;
        return true;
    }
    /* Enter does nothing here (not the list's Enter either) */
    return STREQ(k, "Enter");
}

/* The rows the pane wants now: the visible jobs and a header, 0 for none. */
static int
wanted(void)
{
    size_t n = job_count_visible(util_now_ms());

    if (!n)
        return 0;
    return n + 1 > JOBS_MAX_ROWS ? JOBS_MAX_ROWS : (int)n + 1;
}

static void
on_notify(const struct notify_ev *ev, void *opaque)
{
    if (ev->kind != NOTIFY_JOB)
        return;
    if (wanted() != P.placed)
        ui_relayout();
    else
        P.pane.dirty = true;
}

static struct pane *
jobs_get(void)
{
    if (!P.pane.kind) {
        P.pane.kind = &pane_kind_jobs;
        P.table.cols = cols;
        P.table.ncols = J_COUNT;
        P.table.cell = cell;
        P.table.sort_col = -1;       /* oldest first, always */
        P.table.cursor_if_focused = true;
        P.notify_id = notify_subscribe(on_notify, NULL);
    }
    return &P.pane;
}

/* Its rows out of avail (0: hidden); the layout asks once per pass. */
static int
jobs_height(int avail)
{
    int h = wanted();

    P.placed = h;
    /* the view keeps 4 rows; a squeezed strip scrolls, under 2 rows it hides */
    if (h > avail - 4)
        h = avail - 4;
    return h < 2 ? 0 : h;
}

int
pane_jobs_selected(void)
{
    if (!P.pane.visible)
        return 0;
    rebuild();
    return P.nids && (size_t)P.table.cur < P.nids ? P.ids[P.table.cur] : 0;
}

static void
jobs_free(void)
{
    if (P.notify_id)
        notify_unsubscribe(P.notify_id);
    P.notify_id = 0;
    free(P.ids);
    P.ids = NULL;
    P.nids = 0;
}

const struct pane_kind pane_kind_jobs = {
    .name = "jobs",
    .view = VIEW_ANY,
    .place = PLACE_STRIP,
    .get = jobs_get,
    .paint = paint,
    .key = key,
    .height = jobs_height,
    .free = jobs_free,
};
