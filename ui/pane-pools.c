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
    { "Pool", 14, 0, false },
    { "State", 8, 0, false },
    { "Auto", 4, 0, false },
    { "Pers", 4, 0, false },
    { "Type", 7, 0, false },
    { "Capacity", 10, 0, true },
    { "Alloc", 10, 0, true },
    { "Avail", 10, 0, true },
    { "Usage", 16, 0, false },
    { "Target", 0, 10, false },
};

enum { V_NAME, V_FORMAT, V_CAP, V_ALLOC, V_USERS, V_BACKING, V_COUNT };

static const struct table_col vcols[V_COUNT] = {
    { "Volume", 0, 16, false },
    { "Format", 7, 0, false },
    { "Capacity", 10, 0, true },
    { "Alloc", 10, 0, true },
    { "Used by", 24, 0, false },
    { "Backing file / backs", 28, 0, false },
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
    case P_AUTO: snprintf(buf, len, "%s", p->autostart ? "yes" : "-"); break;
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

static int
cmp_pool(const void *a, const void *b)
{
    const struct m_pool *x = *(struct m_pool *const *)a, *y = *(struct m_pool *const *)b;
    int r = 0;

    if (P.table.sort_col == P_STATE)
        r = (int)y->active - (int)x->active;
    else if (P.table.sort_col == P_AVAIL)
        r = x->available < y->available ? -1 : x->available > y->available;
    if (!r)
        r = strcmp(x->name, y->name);
    return P.table.sort_desc ? -r : r;
}

static int
cmp_vol(const void *a, const void *b)
{
    const struct m_pool *p = sel_pool();
    const struct m_vol *x = model_vol_get(p, *(char *const *)a);
    const struct m_vol *y = model_vol_get(p, *(char *const *)b);
    int r = 0;

    if (P.vtable.sort_col == V_CAP)
        r = x->capacity < y->capacity ? -1 : x->capacity > y->capacity;
    else if (P.vtable.sort_col == V_ALLOC)
        r = x->allocation < y->allocation ? -1 : x->allocation > y->allocation;
    if (!r)
        r = strcmp(x->name, y->name);
    return P.vtable.sort_desc ? -r : r;
}

static void
vrebuild(void)
{
    const struct m_pool *p = sel_pool();
    int want = -1;

    util_strv_free(P.vnames);
    P.vnames = xcalloc((size_t)(p && p->nvols > 0 ? p->nvols : 0) + 1, sizeof(char *));
    P.nvnames = 0;
    for (int i = 0; p && i < p->nvols; i++) {
        if (!P.vtable.filter[0] || strcasestr(p->vols[i].name, P.vtable.filter))
            P.vnames[P.nvnames++] = xstrdup(p->vols[i].name);
    }
    qsort(P.vnames, P.nvnames, sizeof(char *), cmp_vol);
    for (size_t i = 0; i < P.nvnames; i++) {
        if (STREQ(P.vnames[i], P.sel_vol))
            want = (int)i;
    }
    /* an empty list shows one line saying why */
    P.vtable.nrows = P.nvnames ? (int)P.nvnames : 1;
    if (want >= 0)
        P.vtable.cur = want;
    table_clamp(&P.vtable);
    P.vstale = false;
}

static void
rebuild(void)
{
    size_t total = 0;
    int want = -1;

    for (int h = 0; h < model_nhosts(); h++) {
        size_t k;

        model_pools(h, &k);
        total += k;
    }
    free(P.rows);
    P.rows = xcalloc((size_t)model_nhosts() + total + 1, sizeof(*P.rows));
    P.nrows = 0;
    for (int h = 0; h < model_nhosts(); h++) {
        size_t k, m = 0;
        struct m_pool **v = model_pools(h, &k);
        struct m_pool **tmp = xcalloc(k + 1, sizeof(*tmp));

        P.rows[P.nrows].host = h;
        P.rows[P.nrows++].uuid[0] = '\0';
        for (size_t i = 0; i < k; i++)
            tmp[m++] = v[i];
        qsort(tmp, m, sizeof(*tmp), cmp_pool);
        for (size_t i = 0; i < m; i++) {
            struct prow *r = &P.rows[P.nrows++];

            r->host = h;
            snprintf(r->uuid, sizeof(r->uuid), "%s", tmp[i]->uuid);
            if (P.sel_host == h && STREQ(r->uuid, P.sel_uuid))
                want = (int)P.nrows - 1;
            else if (want < 0 && P.sel_host < 0)
                want = (int)P.nrows - 1;   /* the first pool at start */
        }
        free(tmp);
    }
    P.table.nrows = (int)P.nrows;
    if (want >= 0)
        P.table.cur = want;
    table_clamp(&P.table);
    P.stale = false;
}

static void
remember(void)
{
    const struct prow *r = P.nrows ? &P.rows[P.table.cur] : NULL;
    int host = r ? r->host : -1;
    const char *uuid = r ? r->uuid : "";

    /* no pool read yet: choose nothing, so that the first pool is chosen
     * when they arrive (not the host row the cursor is on meanwhile) */
    if (P.sel_host < 0 && P.nrows == (size_t)model_nhosts())
        return;
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
    if (P.stale)
        rebuild();
    remember();
    table_paint(&P.table, p->win, ui_focus() == p);
}

static void
vols_paint(struct pane *p)
{
    if (P.stale)
        rebuild();
    remember();
    if (P.vstale)
        vrebuild();
    table_paint(&P.vtable, p->win, ui_focus() == p);
    vremember();
}

static bool
sort_key(struct table *t, int ncols, const char *key, bool *stale)
{
    if (STREQ(key, "<") || STREQ(key, ">")) {
        table_sort_by(t, (t->sort_col + (STREQ(key, ">") ? 1 : ncols - 1)) % ncols);
        *stale = true;
        return true;
    }
    return false;
}

static bool
pools_key(struct pane *p, const char *key)
{
    if (P.stale)
        rebuild();
    if (table_key(&P.table, key) || sort_key(&P.table, P_COUNT, key, &P.stale)) {
        p->dirty = true;
        remember();
        return true;
    }
    return false;
}

static bool
vols_key(struct pane *p, const char *key)
{
    if (P.vstale)
        vrebuild();
    if (table_key(&P.vtable, key) || sort_key(&P.vtable, V_COUNT, key, &P.vstale)) {
        p->dirty = true;
        vremember();
        return true;
    }
    return false;
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
    if (P.stale)
        rebuild();
    remember();
    if (P.vstale)
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

/* The filter in this view filters the volumes. */
static void
pools_filter(const char *text)
{
    init();
    snprintf(P.vtable.filter, sizeof(P.vtable.filter), "%s", text);
    P.vstale = true;
    P.vpane.dirty = true;
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
    .filter = pools_filter,
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
