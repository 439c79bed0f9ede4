/* pane-pools.c: the storage view. Two panes: the pools of every host
 * (hosts as header rows, as in the domains list) with type, state,
 * target and a usage bar; below, the volumes of the selected pool with
 * format, sizes, backing file, the domains that use each and the volumes
 * backed by it. Live from pool events; volumes are read when the view
 * opens. */
#include <autoconf.h>

#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "colors.h"
#include "host.h"
#include "model.h"
#include "storxml.h"
#include "table.h"
#include "ui.h"

enum { P_NAME, P_STATE, P_AUTO, P_PERS, P_TYPE, P_CAP, P_ALLOC, P_AVAIL, P_USE, P_TARGET,
       P_COUNT };

static const struct table_col pcols[P_COUNT] = {
    { .title = "Pool", .min = 10, .cap = 24, .prio = 9 },
    { .title = "State", .prio = 8 },
    { .title = "Auto", .prio = 2 },
    { .title = "Pers", .prio = 2 },
    { .title = "Type", .prio = 5 },
    { .title = "Capacity", .right = true, .kind = TABLE_SIZE, .prio = 4 },
    { .title = "Alloc", .right = true, .kind = TABLE_SIZE, .prio = 4 },
    { .title = "Avail", .right = true, .kind = TABLE_SIZE, .prio = 6 },
    { .title = "Usage", .kind = TABLE_NUMBER, .prio = 3 },
    { .title = "Target", .min = 10, .prio = 7, .fill = true },
};

enum { V_NAME, V_FORMAT, V_CAP, V_ALLOC, V_USERS, V_BACKING, V_COUNT };

static const struct table_col vcols[V_COUNT] = {
    { .title = "Volume", .min = 16, .cap = 30, .prio = 9 },
    { .title = "Format", .prio = 5 },
    { .title = "Capacity", .right = true, .kind = TABLE_SIZE, .prio = 6 },
    { .title = "Alloc", .right = true, .kind = TABLE_SIZE, .prio = 4 },
    { .title = "Used by", .min = 12, .prio = 8, .fill = true },
    { .title = "Backing file / backs", .min = 12, .prio = 7, .fill = true },
};

struct prow {
    int host;
    char uuid[UUID_LEN];     /* empty for a host row */
};

static struct {
    struct pane pane, vpane;
    struct table table, vtable;
    struct prow *rows;
    size_t nrows;
    bool stale, vstale;
    int notify_id;
    int sel_host;
    char sel_uuid[UUID_LEN];
    char **vnames;           /* the volume rows, by name, sorted */
    size_t nvnames;
    char sel_vol[1024];
    bool host_chosen;        /* the user put the cursor on a host row */
} P;

static void
size_cell(unsigned long long b, char *buf, size_t len)
{
    storxml_format_size(b, buf, len);
}

static void
usage_bar(const struct m_pool *p, char *buf, size_t len)
{
    int pct = p->capacity ? (int)(p->allocation * 100 / p->capacity) : 0, fill = pct / 10;
    size_t o = 0;

    for (int i = 0; i < 10 && o + 4 < len; i++) {
        const char *c = util_utf8() ? (i < fill ? "\xe2\x96\x88" : "\xe2\x96\x91")
                                    : (i < fill ? "#" : "-");

        o += (size_t)snprintf(buf + o, len - o, "%s", c);
    }
    snprintf(buf + o, len - o, " %3d%%", pct);
}

static bool
pcell(void *opaque, int row, int col, char *buf, size_t len, enum theme_role *role)
{
    const struct prow *r = &P.rows[row];
    const struct m_pool *p;

    if (!r->uuid[0]) {
        const struct m_host *h = model_host_get(r->host);
        size_t k;

        if (col != -1)
            return false;
        model_pools(r->host, &k);
        *role = h->state == HOST_UP ? ROLE_HOST : ROLE_HOST_LOST;
        snprintf(buf, len, "%s [%s] %zu pool%s  %s", util_utf8() ? "\xe2\x96\xbe" : "-",
                 model_host_state_name(h->state), k, k == 1 ? "" : "s", h->uri);
        return true;
    }
    if (col == -1 || !(p = model_pool_get(r->host, r->uuid)))
        return false;
    switch (col) {
    case P_NAME: snprintf(buf, len, "  %s", p->name); break;
    case P_STATE:
        snprintf(buf, len, "%s", p->active ? "active" : "inactive");
        *role = p->active ? ROLE_STATE_RUNNING : ROLE_STATE_SHUTOFF;
        break;
    case P_AUTO: snprintf(buf, len, "%s", p->autostart ? "yes" : "no"); break;
    case P_PERS: snprintf(buf, len, "%s", p->persistent ? "yes" : "no"); break;
    case P_TYPE: snprintf(buf, len, "%s", p->info && p->info->type ? p->info->type : "?"); break;
    case P_CAP: if (p->active) size_cell(p->capacity, buf, len); else snprintf(buf, len, "-");
        break;
    case P_ALLOC: if (p->active) size_cell(p->allocation, buf, len); else snprintf(buf, len, "-");
        break;
    case P_AVAIL: if (p->active) size_cell(p->available, buf, len); else snprintf(buf, len, "-");
        break;
    case P_USE:
        if (p->active && p->capacity) {
            usage_bar(p, buf, len);
            if (p->allocation * 10 > p->capacity * 9)
                *role = ROLE_STATUS_ERROR;
        } else {
            snprintf(buf, len, "-");
        }
        break;
    case P_TARGET:
        snprintf(buf, len, "%s%s%s", p->info && p->info->target ? p->info->target : "-",
                 p->info && p->info->source ? "  from " : "",
                 p->info && p->info->source ? p->info->source : "");
        break;
    }
    return false;
}

static const struct m_pool *
sel_pool(void)
{
    return P.sel_uuid[0] ? model_pool_get(P.sel_host, P.sel_uuid) : NULL;
}

static bool
vcell(void *opaque, int row, int col, char *buf, size_t len, enum theme_role *role)
{
    const struct m_pool *p = sel_pool();
    const struct m_vol *v;

    if (!p || (size_t)row >= P.nvnames) {
        if (col != -1)
            return false;
        *role = p && p->vols_err ? ROLE_STATUS_ERROR : ROLE_DIM;
        snprintf(buf, len, "%s", !p ? "  (select a pool)" :
                 p->vols_err ? p->vols_err :
                 !p->active ? "  (the pool is not active: s starts it)" :
                 p->nvols < 0 ? "  (reading the volumes...)" : "  (no volumes: c creates one)");
        return true;
    }
    if (col == -1 || !(v = model_vol_get(p, P.vnames[row])))
        return false;
    switch (col) {
    case V_NAME: snprintf(buf, len, "%s", v->name); break;
    case V_FORMAT: snprintf(buf, len, "%s", v->format ? v->format : "-"); break;
    case V_CAP: size_cell(v->capacity, buf, len); break;
    case V_ALLOC: size_cell(v->allocation, buf, len); break;
    case V_USERS:
        snprintf(buf, len, "%s", v->users ? v->users : "-");
        if (v->used_running)
            *role = ROLE_STATE_RUNNING;
        break;
    case V_BACKING:
        if (v->backing) {
            /* the file name; vol-info (i) shows the whole chain */
            const char *base = strrchr(v->backing, '/');

            snprintf(buf, len, "<- %s", base && base[1] ? base + 1 : v->backing);
        } else if (v->dependents)
            snprintf(buf, len, "base of %s", v->dependents);
        else
            snprintf(buf, len, "-");
        break;
    }
    return false;
}

/* The selected pool's volumes; the table filters and sorts them. */
static void
vrebuild(void)
{
    const struct m_pool *p = sel_pool();
    size_t cap = (size_t)(p && p->nvols > 0 ? p->nvols : 0) + 1;
    char **all = xcalloc(cap, sizeof(char *));
    int *perm = xcalloc(cap, sizeof(*perm));
    int want = -1, n = 0;

    for (int i = 0; p && i < p->nvols; i++)
        all[n++] = xstrdup(p->vols[i].name);
    util_strv_free(P.vnames);
    P.vnames = all;
    P.nvnames = (size_t)n;
    P.vtable.nrows = n;
    n = table_arrange(&P.vtable, perm);
    P.vnames = xcalloc((size_t)n + 1, sizeof(char *));
    for (int i = 0; i < n; i++) {
        P.vnames[i] = all[perm[i]];
        all[perm[i]] = NULL;
        if (STREQ(P.vnames[i], P.sel_vol))
            want = i;
    }
    for (size_t i = 0; i < cap; i++)
        free(all[i]);
    free(all);
    free(perm);
    P.nvnames = (size_t)n;
    /* an empty list shows one line saying why */
    P.vtable.nrows = n ? n : 1;
    if (want >= 0)
        P.vtable.cur = want;
    else
        P.vtable.cur = 0;
    table_clamp(&P.vtable);
    P.vstale = false;
}

/* Every host's row and all its pools; the table filters and sorts. The
 * cursor stays on the selected pool (or the host row the user chose),
 * else the first pool. */
static void
rebuild(void)
{
    size_t cap = (size_t)model_nhosts() + 1;
    struct prow *all;
    int *perm, want = -1, n = 0;

    for (int h = 0; h < model_nhosts(); h++) {
        size_t k;

        model_pools(h, &k);
        cap += k;
    }
    all = xcalloc(cap, sizeof(*all));
    perm = xcalloc(cap, sizeof(*perm));
    for (int h = 0; h < model_nhosts(); h++) {
        size_t k;
        struct m_pool **v = model_pools(h, &k);

        all[n++].host = h;
        for (size_t i = 0; i < k; i++) {
            all[n].host = h;
            snprintf(all[n++].uuid, sizeof(all[0].uuid), "%s", v[i]->uuid);
        }
    }
    free(P.rows);
    P.rows = all;
    P.table.nrows = n;
    n = table_arrange(&P.table, perm);
    P.rows = xcalloc((size_t)n + 1, sizeof(*P.rows));
    for (int i = 0; i < n; i++) {
        P.rows[i] = all[perm[i]];
        if (P.sel_host == P.rows[i].host && STREQ(P.rows[i].uuid, P.sel_uuid) &&
            (P.rows[i].uuid[0] || (P.host_chosen && !P.table.filter[0])))
            want = i;
    }
    free(all);
    free(perm);
    P.nrows = (size_t)n;
    P.table.nrows = n;
    if (want >= 0) {
        P.table.cur = want;
        table_clamp(&P.table);
    } else {
        table_first_row(&P.table);
    }
    P.stale = false;
}

static void
remember(void)
{
    const struct prow *r = P.nrows ? &P.rows[P.table.cur] : NULL;
    int host = r ? r->host : -1;
    const char *uuid = r ? r->uuid : "";

    if (host != P.sel_host || STRNEQ(uuid, P.sel_uuid)) {
        P.sel_host = host;
        snprintf(P.sel_uuid, sizeof(P.sel_uuid), "%s", uuid);
        P.vtable.cur = 0;
        P.vtable.top = 0;
        P.vstale = true;
        P.vpane.dirty = true;
    }
}

static void
vremember(void)
{
    snprintf(P.sel_vol, sizeof(P.sel_vol), "%s",
             P.nvnames && (size_t)P.vtable.cur < P.nvnames ? P.vnames[P.vtable.cur] : "");
}

static void
pools_paint(struct pane *p)
{
    if (P.stale || P.table.rearrange)
        rebuild();
    remember();
    table_paint(&P.table, p->win, ui_focus() == p);
}

static void
vols_paint(struct pane *p)
{
    if (P.stale || P.table.rearrange)
        rebuild();
    remember();
    if (P.vstale || P.vtable.rearrange)
        vrebuild();
    table_paint(&P.vtable, p->win, ui_focus() == p);
    vremember();
}

static bool
pools_key(struct pane *p, const char *key)
{
    if (P.stale)
        rebuild();
    if (!table_key(&P.table, key))
        return false;
    p->dirty = true;
    if (P.table.rearrange)
        rebuild();
    P.host_chosen = P.nrows && !P.rows[P.table.cur].uuid[0];
    remember();
    return true;
}

static bool
vols_key(struct pane *p, const char *key)
{
    if (P.vstale)
        vrebuild();
    if (!table_key(&P.vtable, key))
        return false;
    p->dirty = true;
    if (P.vtable.rearrange)
        vrebuild();
    vremember();
    return true;
}

static void
on_notify(const struct notify_ev *ev, void *opaque)
{
    if (ev->kind == NOTIFY_POOL || ev->kind == NOTIFY_HOST) {
        P.stale = P.vstale = true;
        P.pane.dirty = P.vpane.dirty = true;
    }
}

static void
init(void)
{
    if (P.pane.kind)
        return;
    P.pane.kind = &pane_kind_pools;
    P.vpane.kind = &pane_kind_volumes;
    P.table.cols = pcols;
    P.table.ncols = P_COUNT;
    P.table.cell = pcell;
    P.vtable.cols = vcols;
    P.vtable.ncols = V_COUNT;
    P.vtable.cell = vcell;
    P.stale = P.vstale = true;
    P.sel_host = -1;
    P.notify_id = notify_subscribe(on_notify, NULL);
    table_attach(&P.table, &P.pane);
    table_attach(&P.vtable, &P.vpane);
}

static struct pane *
pools_get(void)
{
    init();
    return &P.pane;
}

static struct pane *
vols_get(void)
{
    init();
    return &P.vpane;
}

/* The selected pool and its selected volume. */
static void
selection(int *host, const char **pool, const char **vol)
{
    init();
    if (P.stale || P.table.rearrange)
        rebuild();
    remember();
    if (P.vstale || P.vtable.rearrange)
        vrebuild();
    vremember();
    *host = P.sel_host;
    *pool = P.sel_uuid[0] ? P.sel_uuid : NULL;
    *vol = P.sel_vol[0] ? P.sel_vol : NULL;
}

/* The pools list selects a pool; a volume key acts on the volume only
 * when the volumes pane has the focus (and so its selection). */
static void
pools_select(struct pane *p, struct act_ctx *ctx)
{
    const char *vol;

    selection(&ctx->host, &ctx->pool, &vol);
}

static void
vols_select(struct pane *p, struct act_ctx *ctx)
{
    selection(&ctx->host, &ctx->pool, &ctx->vol);
}

/* As many rows as the pools need (hosts, pools, a header), at most 2/5 of
 * avail and at least 3; the volumes get the rest. */
static int
pools_height(int avail)
{
    size_t rows = (size_t)model_nhosts() + 1;
    int ph;

    for (int h = 0; h < model_nhosts(); h++) {
        size_t k;

        model_pools(h, &k);
        rows += k;
    }
    ph = (int)rows + 1 < avail * 2 / 5 ? (int)rows + 1 : avail * 2 / 5;
    return ph < 3 ? 3 : ph;
}

/* The view opened: read every pool's volumes (and who uses them). */
static void
pools_opened(bool again)
{
    if (again)
        return;
    /* a host not up yet reads them when it connects */
    for (int h = 0; h < model_nhosts(); h++)
        host_want(h, HOST_WANT_VOLUMES, NULL);
}

/* The view closed: volumes (and who uses them) are not read again until
 * it opens, whatever the domains do meanwhile. */
static void
pools_closed(void)
{
    host_unwant(HOST_WANT_VOLUMES);
}

static void
pools_free(void)
{
    if (P.notify_id)
        notify_unsubscribe(P.notify_id);
    free(P.rows);
    P.rows = NULL;
    util_strv_free(P.vnames);
    P.vnames = NULL;
}

const struct pane_kind pane_kind_pools = {
    .name = "pools",
    .view = VIEW_STORAGE,
    .place = PLACE_LIST,
    .get = pools_get,
    .paint = pools_paint,
    .key = pools_key,
    .opened = pools_opened,
    .closed = pools_closed,
    .height = pools_height,
    .select = pools_select,
    .free = pools_free,
};

const struct pane_kind pane_kind_volumes = {
    .name = "volumes",
    .view = VIEW_STORAGE,
    .place = PLACE_LOWER,
    .get = vols_get,
    .paint = vols_paint,
    .key = vols_key,
    .select = vols_select,
};
