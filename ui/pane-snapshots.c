/* pane-snapshots.c: the snapshots view (4). Above, a line naming the
 * domain chosen in the domains list when the view opened, and its
 * snapshots as a tree (src/snaptree.c) with when each was taken, the
 * domain's state then, internal or external, the current one (*) and the
 * description. Below, the selected snapshot: its memory and each disk,
 * internal or external with the overlay file, and the disk's backing
 * chain as the domain has it now (from the domain's XML), where external
 * snapshots and block jobs will show their work. Rows keep the tree
 * built from the model's list and are rebuilt when the list changes. */
#include <autoconf.h>

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "colors.h"
#include "host.h"
#include "loop.h"
#include "model.h"
#include "snaptree.h"
#include "table.h"
#include "ui.h"

enum { S_NAME, S_CREATED, S_STATE, S_KIND, S_CUR, S_DESC, S_COUNT };

/* in the tree's order (no sort); the description gets the room */
static const struct table_col cols[S_COUNT] = {
    { .title = "Snapshot", .min = 20, .cap = 40, .prio = 9 },
    { .title = "Created", .prio = 6 },
    { .title = "State", .prio = 5 },
    { .title = "Kind", .prio = 4 },
    { .title = "Cur", .prio = 3 },
    { .title = "Description", .min = 12, .prio = 7, .fill = true },
};

enum { D_DISK, D_SNAP, D_FILE, D_CHAIN, D_COUNT };

static const struct table_col dcols[D_COUNT] = {
    { .title = "Disk", .min = 8, .prio = 9 },
    { .title = "Snapshot", .prio = 8 },
    { .title = "Overlay file / image", .min = 16, .prio = 7, .fill = true },
    { .title = "Backing chain now", .min = 16, .prio = 6, .fill = true },
};

enum { D_SUMMARY, D_DESCRIPTION, D_MEMORY, D_FIRST_DISK };

static struct {
    struct pane pane, dpane;
    struct table table, dtable;
    int host;
    char uuid[UUID_LEN];     /* the domain shown; empty: none */
    struct snaptree_row *rows;
    size_t nrows;
    bool stale;
    char *sel;               /* the selected snapshot's name */
    int notify_id;
    int name_w;              /* the Name column's width at the last paint */
} S;

static const struct m_snaps *
snaps(void)
{
    return S.uuid[0] ? model_snaps_get(S.host, S.uuid) : NULL;
}

/* The snapshot on a row (NULL: no such row, or the list changed). */
static const struct snap_info *
at(size_t row)
{
    const struct m_snaps *s = snaps();

    if (!s || row >= S.nrows || S.rows[row].idx >= (size_t)s->n)
        return NULL;
    return s->v[S.rows[row].idx];
}

static const struct snap_info *
selected(void)
{
    return S.table.cur >= 0 ? at((size_t)S.table.cur) : NULL;
}

static void
when(long long t, char *buf, size_t len)
{
    time_t tt = (time_t)t;
    struct tm tm;

    if (!t || !localtime_r(&tt, &tm) || !strftime(buf, len, "%Y-%m-%d %H:%M", &tm))
        snprintf(buf, len, "-");
}

static enum theme_role
state_role(const char *st)
{
    if (!st)
        return ROLE_NORMAL;
    if (STREQ(st, "running"))
        return ROLE_STATE_RUNNING;
    if (STREQ(st, "paused") || STREQ(st, "pmsuspended"))
        return ROLE_STATE_PAUSED;
    if (STREQ(st, "shutoff") || STREQ(st, "shutdown"))
        return ROLE_STATE_SHUTOFF;
    return ROLE_STATE_OTHER;
}

/* The tree prefix cut to leave a name room in the column: the first
 * levels give way to an ellipsis (the details line says the depth). */
static void
name_cell(const struct snaptree_row *r, const char *name, char *buf, size_t len)
{
    const char *p = r->prefix;
    int levels = util_width(p) / 3, room = (S.name_w - 10) / 3;

    if (levels > room && room >= 2) {
        /* skip levels - room + 1 levels (3 characters each) */
        for (int skip = (levels - room + 1) * 3; skip > 0 && *p; skip--) {
            p++;
            while (((unsigned char)*p & 0xc0) == 0x80)
                p++;
        }
        snprintf(buf, len, "%s  %s%s", util_utf8() ? "\xe2\x80\xa6" : "~", p, name);
        return;
    }
    snprintf(buf, len, "%s%s", p, name);
}

static bool
cell(void *opaque, int row, int col, char *buf, size_t len, enum theme_role *role)
{
    const struct m_snaps *s = snaps();
    const struct snap_info *si = at((size_t)row);

    if (!si) {
        if (col != -1)
            return false;
        *role = s && s->err ? ROLE_STATUS_ERROR : ROLE_DIM;
        snprintf(buf, len, "%s", !S.uuid[0] ? "  (no domain: choose one in the domains list, 1, "
                                              "then 4)" :
                 !model_dom_get(S.host, S.uuid) ? "  (the domain is gone)" :
                 s && s->err ? s->err :
                 !s || s->n < 0 ? "  (reading the snapshots...)" :
                 "  (no snapshots: c takes one)");
        return true;
    }
    switch (col) {
    case -1:
        return false;
    case S_NAME:
        name_cell(&S.rows[row], si->name, buf, len);
        if (si->current)
            *role = ROLE_KEY;
        break;
    case S_CREATED: when(si->created, buf, len); break;
    case S_STATE:
        snprintf(buf, len, "%s", !si->state ? "-" : STREQ(si->state, "shutoff") ? "shut off"
                                                   : si->state);
        *role = state_role(si->state);
        break;
    case S_KIND: snprintf(buf, len, "%s", snapxml_kind(si)); break;
    case S_CUR:
        snprintf(buf, len, "%s", si->current ? " *" : "");
        *role = ROLE_KEY;
        break;
    case S_DESC: snprintf(buf, len, "%s", si->description ? si->description : ""); break;
    }
    return false;
}

/* ---- the selected snapshot's disks ---- */

static const struct dom_disk *
dom_disk(const char *name)
{
    const struct m_dom *d = model_dom_get(S.host, S.uuid);

    for (size_t i = 0; d && d->details && name && i < d->details->ndisks; i++) {
        const struct dom_disk *k = &d->details->disks[i];

        if ((k->target && STREQ(k->target, name)) || (k->source && STREQ(k->source, name)))
            return k;
    }
    return NULL;
}

/* Disk rows: the snapshot's own list, or (a snapshot that recorded none)
 * the domain's disks. */
static size_t
ndisks(const struct snap_info *si)
{
    const struct m_dom *d = model_dom_get(S.host, S.uuid);

    if (si->ndisks)
        return si->ndisks;
    return d && d->details ? d->details->ndisks : 0;
}

static void
summary(const struct snap_info *si, char *buf, size_t len)
{
    const struct m_snaps *s = snaps();
    size_t row = (size_t)S.table.cur, kids = 0;
    char t[32];

    for (int i = 0; s && i < s->n; i++)
        kids += s->v[i]->parent && STREQ(s->v[i]->parent, si->name);
    when(si->created, t, sizeof(t));
    snprintf(buf, len, "'%s': %s at %s, %s%s; %s%s%s, %zu child%s, depth %d", si->name,
             !si->state ? "?" : STREQ(si->state, "shutoff") ? "shut off" : si->state, t,
             snapxml_kind(si), si->current ? ", current" : "", si->parent ? "parent '" : "a root",
             si->parent ? si->parent : "", si->parent ? "'" : "", kids, kids == 1 ? "" : "ren",
             row < S.nrows ? S.rows[row].depth : 0);
}

static bool
dcell(void *opaque, int row, int col, char *buf, size_t len, enum theme_role *role)
{
    const struct snap_info *si = selected();
    const struct snap_disk *sd;
    const struct dom_disk *dd;
    const char *name;

    if (!si) {
        if (col != -1 || row > 0)
            return false;
        *role = ROLE_DIM;
        snprintf(buf, len, "  (select a snapshot)");
        return true;
    }
    if (row < D_FIRST_DISK) {
        if (col != -1)
            return false;
        *role = row == D_SUMMARY ? ROLE_LABEL : ROLE_NORMAL;
        if (row == D_SUMMARY)
            summary(si, buf, len);
        else if (row == D_DESCRIPTION)
            snprintf(buf, len, "%s%s", si->description ? "  " : "  (no description: e writes one)",
                     si->description ? si->description : "");
        else
            snprintf(buf, len, "  memory: %s%s%s", !si->memory ? "not recorded" :
                     STREQ(si->memory, "internal") ? "internal (inside the disk images)" :
                     STREQ(si->memory, "no") ? "not saved (disks only)" : si->memory,
                     si->memory_file ? ", " : "", si->memory_file ? si->memory_file : "");
        if (row != D_SUMMARY && !si->description && row == D_DESCRIPTION)
            *role = ROLE_DIM;
        return true;
    }
    if (col == -1)
        return false;
    sd = si->ndisks ? &si->disks[row - D_FIRST_DISK] : NULL;
    if (sd) {
        name = sd->name;
        dd = dom_disk(name);
    } else {
        dd = &model_dom_get(S.host, S.uuid)->details->disks[row - D_FIRST_DISK];
        name = dd->target;
    }
    switch (col) {
    case D_DISK: snprintf(buf, len, "  %s", name ? name : "?"); break;
    case D_SNAP:
        snprintf(buf, len, "%s", sd && sd->snapshot ? sd->snapshot : sd ? "default" : "-");
        if (sd && sd->snapshot && STREQ(sd->snapshot, "external"))
            *role = ROLE_STATE_OTHER;
        break;
    case D_FILE:
        if (sd && sd->file)
            snprintf(buf, len, "%s%s%s", sd->file, sd->driver ? " " : "",
                     sd->driver ? sd->driver : "");
        else if ((sd && sd->image) || (dd && dd->source))
            /* an internal snapshot lives in the file the disk had when it
             * was taken, not necessarily the one it has now */
            snprintf(buf, len, "%s%s", sd && sd->snapshot && STREQ(sd->snapshot, "no") ? ""
                                                                                     : "in ",
                     sd && sd->image ? sd->image : dd->source);
        else
            snprintf(buf, len, "-");
        break;
    case D_CHAIN:
        if (dd)
            snprintf(buf, len, "%s%s%s", dd->source ? dd->source : "(empty)",
                     dd->backing ? " <- " : "", dd->backing ? dd->backing : "");
        else
            snprintf(buf, len, "%s", model_dom_get(S.host, S.uuid) &&
                                     !model_dom_get(S.host, S.uuid)->details ? "(reading...)"
                                                                             : "(not a disk now)");
        break;
    }
    return false;
}

/* ---- rows ---- */

/* The tree's rows, those the filter matches (in the tree's order). */
static void
rebuild(void)
{
    const struct m_snaps *s = snaps();
    struct snaptree_in *in;
    struct snaptree_row *all = NULL;
    int want = -1, *perm, n = 0;

    snaptree_free(S.rows, S.nrows);
    S.rows = NULL;
    S.nrows = 0;
    if (s && s->n > 0) {
        in = xcalloc((size_t)s->n, sizeof(*in));
        for (int i = 0; i < s->n; i++)
            in[i] = (struct snaptree_in){ s->v[i]->name, s->v[i]->parent, s->v[i]->created };
        all = snaptree_build(in, (size_t)s->n, util_utf8());
        free(in);
        S.rows = all;
        S.nrows = (size_t)s->n;
        S.table.nrows = s->n;
        perm = xcalloc((size_t)s->n, sizeof(*perm));
        n = table_arrange(&S.table, perm);
        S.rows = xcalloc((size_t)n + 1, sizeof(*S.rows));
        for (int i = 0; i < n; i++) {
            S.rows[i] = all[perm[i]];
            all[perm[i]].prefix = NULL;
        }
        snaptree_free(all, (size_t)s->n);
        free(perm);
        S.nrows = (size_t)n;
    }
    S.table.rearrange = false;
    for (size_t r = 0; r < S.nrows; r++) {
        if (S.sel && STREQ(at(r)->name, S.sel))
            want = (int)r;
        else if (!S.sel && at(r)->current)
            want = (int)r;       /* at first, the current one */
    }
    S.table.nrows = S.nrows ? (int)S.nrows : 1;
    if (want >= 0)
        S.table.cur = want;
    table_clamp(&S.table);
    S.stale = false;
}

static void
remember(void)
{
    const struct snap_info *si = selected();

    if (si && (!S.sel || STRNEQ(si->name, S.sel))) {
        free(S.sel);
        S.sel = xstrdup(si->name);
        S.dtable.cur = S.dtable.top = 0;
        S.dpane.dirty = true;
    }
}

static void
header(WINDOW *w)
{
    const struct m_dom *d = S.uuid[0] ? model_dom_get(S.host, S.uuid) : NULL;
    const struct m_snaps *s = snaps();
    const struct snap_info *cur = model_snap_current(s);
    const struct m_host *h = model_host_get(S.host);
    AUTOFREE char *line = NULL;
    AUTOFREE char *fit = NULL;

    if (d)
        line = xasprintf(" Snapshots of '%s' (%s) on %s: %d%s%s%s", d->name,
                         model_dom_state_name(d->state), h ? h->uri : "?",
                         s && s->n >= 0 ? s->n : 0, cur ? ", current '" : "",
                         cur ? cur->name : "", cur ? "'" : "");
    else
        line = xstrdup(S.uuid[0] ? " Snapshots: the domain is gone (1: the domains)"
                                 : " Snapshots: no domain chosen (1: the domains; select one; 4)");
    fit = util_fit(line, getmaxx(w), false);
    wattrset(w, colors_attr(ROLE_TITLE));
    mvwaddstr(w, 0, 0, fit);
}

static void
paint(struct pane *p)
{
    WINDOW *sub;

    if (S.stale || S.table.rearrange)
        rebuild();
    /* the room the name column gets at most: its cap, a share of a narrow pane */
    S.name_w = p->w * 2 / 5 < cols[S_NAME].cap ? p->w * 2 / 5 : cols[S_NAME].cap;
    if (S.name_w < cols[S_NAME].min)
        S.name_w = cols[S_NAME].min;
    werase(p->win);
    header(p->win);
    if (p->h > 1 && (sub = derwin(p->win, p->h - 1, p->w, 1, 0))) {
        table_paint(&S.table, sub, ui_focus() == p);
        delwin(sub);
    }
    touchwin(p->win);
    remember();
}

static void
dpaint(struct pane *p)
{
    const struct snap_info *si;

    if (S.stale)
        rebuild();
    remember();
    si = selected();
    S.dtable.nrows = si ? D_FIRST_DISK + (int)ndisks(si) : 1;
    table_clamp(&S.dtable);
    table_paint(&S.dtable, p->win, ui_focus() == p);
}

static bool
key(struct pane *p, const char *k)
{
    if (S.stale)
        rebuild();
    if (table_key(&S.table, k)) {
        p->dirty = true;
        if (S.table.rearrange)
            rebuild();
        remember();
        return true;
    }
    return false;
}

static bool
dkey(struct pane *p, const char *k)
{
    if (table_key(&S.dtable, k)) {
        p->dirty = true;
        return true;
    }
    return false;
}

static void
on_notify(const struct notify_ev *ev, void *opaque)
{
    bool mine = ev->host == S.host && (!ev->key || (S.uuid[0] && STREQ(ev->key, S.uuid)));

    if (ev->kind == NOTIFY_SNAPSHOT && mine)
        S.stale = true;
    if ((mine && (ev->kind == NOTIFY_SNAPSHOT || ev->kind == NOTIFY_DOMAIN ||
                  ev->kind == NOTIFY_DOMAINS)) || ev->kind == NOTIFY_HOST)
        S.pane.dirty = S.dpane.dirty = true;
}

static void
init(void)
{
    if (S.pane.kind)
        return;
    S.pane.kind = &pane_kind_snapshots;
    S.dpane.kind = &pane_kind_snapdisks;
    S.table.cols = cols;
    S.table.ncols = S_COUNT;
    S.table.cell = cell;
    S.table.sort_col = -1;           /* the tree's order */
    S.dtable.cols = dcols;
    S.dtable.ncols = D_COUNT;
    S.dtable.cell = dcell;
    S.dtable.sort_col = -1;
    S.dtable.cursor_if_focused = true;
    S.host = -1;
    S.stale = true;
    S.notify_id = notify_subscribe(on_notify, NULL);
    table_attach(&S.table, &S.pane);
}

static struct pane *
snapshots_get(void)
{
    init();
    return &S.pane;
}

static struct pane *
snapdisks_get(void)
{
    init();
    return &S.dpane;
}

/* The tree's rows out of avail (the disks get the rest). */
static int
snapshots_height(int avail)
{
    return avail * 3 / 5 < 5 ? (avail < 5 ? avail : 5) : avail * 3 / 5;
}

static void
snapshots_select(struct pane *p, struct act_ctx *ctx)
{
    const struct snap_info *si;

    init();
    if (S.stale || S.table.rearrange)
        rebuild();
    si = selected();
    ctx->host = S.host;
    ctx->uuid = S.uuid[0] ? S.uuid : NULL;
    ctx->snap = si ? si->name : NULL;
}

/* The view opened: show the domain selected in the domains list, read
 * its snapshots afresh and its XML (for the disks' chains). */
static void
snapshots_opened(bool again)
{
    struct act_ctx ctx = { .host = -1 };
    int host;
    const char *uuid;

    if (again)
        return;
    init();
    pane_select(ui_view_pane(VIEW_DOMAINS), &ctx);
    host = ctx.host;
    uuid = ctx.uuid;
    if (host != S.host || !uuid || STRNEQ(uuid, S.uuid)) {
        free(S.sel);
        S.sel = NULL;
        S.table.cur = S.table.top = 0;
    }
    S.host = host;
    snprintf(S.uuid, sizeof(S.uuid), "%s", uuid ? uuid : "");
    S.stale = true;
    /* read now, and again every few seconds while shown: libvirt sends
     * no snapshot events (the host schedules it) */
    host_want(host, HOST_WANT_SNAPSHOTS, uuid);
}

/* The view closed: its domain's snapshots are no longer polled. */
static void
snapshots_closed(void)
{
    host_unwant(HOST_WANT_SNAPSHOTS);
}

static void
snapshots_free(void)
{
    if (S.notify_id)
        notify_unsubscribe(S.notify_id);
    S.notify_id = 0;
    snaptree_free(S.rows, S.nrows);
    S.rows = NULL;
    S.nrows = 0;
    free(S.sel);
    S.sel = NULL;
}

const struct pane_kind pane_kind_snapshots = {
    .name = "snapshots",
    .view = VIEW_SNAPSHOTS,
    .place = PLACE_LIST,
    .get = snapshots_get,
    .paint = paint,
    .key = key,
    .opened = snapshots_opened,
    .closed = snapshots_closed,
    .height = snapshots_height,
    .select = snapshots_select,
    .free = snapshots_free,
};

const struct pane_kind pane_kind_snapdisks = {
    .name = "snapdisks",
    .view = VIEW_SNAPSHOTS,
    .place = PLACE_LOWER,
    .get = snapdisks_get,
    .paint = dpaint,
    .key = dkey,
};
