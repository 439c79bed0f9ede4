/* pane-domains.c: hosts and their domains in one table. Each host is a
 * header row (URI, state, libvirt's reason when lost, retry countdown)
 * followed by its domains, sorted and filtered. Rows hold keys (host +
 * UUID), rebuilt only when the model says something changed; the cursor
 * follows the selected domain by identity across rebuilds. */
#include <autoconf.h>

#include <stdlib.h>
#include <strings.h>

#include "colors.h"
#include "host.h"
#include "log.h"
#include "loop.h"
#include "model.h"
#include "table.h"
#include "ui.h"

enum { C_NAME, C_STATE, C_ID, C_VCPU, C_MEM, C_CPU, C_AUTO, C_PERS, C_SNAP, C_COUNT };

/* names capped, State and the figures keep their room before the name
 * gives way; every column sorts by its kind */
static const struct table_col cols[C_COUNT] = {
    { .title = "Name", .min = 12, .cap = 34, .prio = 9 },
    { .title = "State", .prio = 8 },
    { .title = "ID", .right = true, .kind = TABLE_NUMBER, .prio = 3 },
    { .title = "vCPU", .right = true, .kind = TABLE_NUMBER, .prio = 5 },
    { .title = "Memory", .right = true, .kind = TABLE_SIZE, .prio = 6 },
    { .title = "CPU%", .right = true, .kind = TABLE_NUMBER, .prio = 7 },
    { .title = "Auto", .prio = 2 },
    { .title = "Pers", .prio = 2 },
    { .title = "Snap", .right = true, .kind = TABLE_NUMBER, .prio = 4 },  /* read after the list */
};

struct row {
    int host;
    char uuid[UUID_LEN];     /* empty for a host header row */
};

static struct {
    struct pane pane;
    struct table table;
    struct row *rows;
    size_t nrows;
    bool stale;              /* rows must be rebuilt */
    int notify_id;
    int details_timer;
    char sel_uuid[UUID_LEN];
    int sel_host;
    bool host_chosen;        /* the user put the cursor on a host row */
} P;

static const char *
state_text(const struct m_dom *d, char *buf, size_t len)
{
    if (d->state == 5 && d->managedsave)
        snprintf(buf, len, "shut off (saved)");
    else if (d->tmpl == 1)
        snprintf(buf, len, "%s (template)", model_dom_state_name(d->state));
    else
        snprintf(buf, len, "%s", model_dom_state_name(d->state));
    return buf;
}

/* -1 while not read */
static int
snap_count(const struct m_dom *d)
{
    const struct m_snaps *s = model_snaps_get(d->host, d->uuid);

    return s ? s->count : -1;
}

static bool
cell(void *opaque, int row, int col, char *buf, size_t len, enum theme_role *role)
{
    const struct row *r = &P.rows[row];
    const struct m_dom *d;

    if (!r->uuid[0]) {
        const struct m_host *h = model_host_get(r->host);
        size_t n;
        const char *arrow = util_utf8() ? "\xe2\x96\xbe" : "-";

        if (col != -1)
            return false;
        model_doms(r->host, &n);
        *role = h->state == HOST_UP ? ROLE_HOST : ROLE_HOST_LOST;
        if (h->state == HOST_UP) {
            int64_t busy = host_busy_ms(r->host);

            snprintf(buf, len, "%s [%s%s] %zu domain%s%s  %s", arrow,
                     model_host_state_name(h->state),
                     h->readonly ? ", read-only" : "", n, n == 1 ? "" : "s",
                     busy > 2000 ? " (waiting for the host)" : "", h->uri);
        } else {
            int64_t left = h->retry_at ? (h->retry_at - util_now_ms() + 999) / 1000 : 0;
            char retry[48] = "";

            if (h->state == HOST_LOST && left > 0)
                snprintf(retry, sizeof(retry), ", retry in %llds", (long long)left);
            snprintf(buf, len, "%s [%s%s]  %s%s%s", arrow,
                     model_host_state_name(h->state), retry, h->uri,
                     h->reason ? ": " : "", h->reason ? h->reason : "");
        }
        return true;
    }
    if (col == -1)
        return false;
    if (!(d = model_dom_get(r->host, r->uuid))) {
        if (col == C_NAME)
            snprintf(buf, len, "(gone)");
        *role = ROLE_DIM;
        return false;
    }
    switch (col) {
    case C_NAME:
        snprintf(buf, len, "  %s", d->name);
        break;
    case C_STATE:
        state_text(d, buf, len);
        *role = colors_state_role(d->state);
        break;
    case C_ID:
        if (d->id >= 0)
            snprintf(buf, len, "%d", d->id);
        else
            snprintf(buf, len, "-");
        break;
    case C_VCPU:
        snprintf(buf, len, "%u", d->vcpus);
        break;
    case C_MEM:
        util_size_kib(d->mem_kib, buf, len);
        break;
    case C_CPU:
        if (d->cpu_valid && d->id >= 0)
            snprintf(buf, len, "%.1f", d->cpu_pct);
        else
            snprintf(buf, len, "-");
        break;
    case C_AUTO:
        snprintf(buf, len, "%s", d->autostart ? "yes" : "no");
        break;
    case C_PERS:
        snprintf(buf, len, "%s", d->persistent ? "yes" : "no");
        *role = d->persistent ? ROLE_NORMAL : ROLE_STATE_PAUSED;
        break;
    case C_SNAP:
        /* none: "-" as in Auto; not read yet: blank */
        if (snap_count(d) > 0)
            snprintf(buf, len, "%d", snap_count(d));
        else
            snprintf(buf, len, "%s", snap_count(d) ? "" : "-");
        break;
    }
    return false;
}

/* State sorts by its rank (running, paused, shut off), not its words. */
static int
cmp_rows(void *opaque, int col, int a, int b)
{
    const struct m_dom *x = model_dom_get(P.rows[a].host, P.rows[a].uuid);
    const struct m_dom *y = model_dom_get(P.rows[b].host, P.rows[b].uuid);

    if (col != C_STATE || !x || !y)
        return 0;
    return x->state - y->state;
}

/* Every host's row and all its domains, then the table filters and sorts
 * them; the cursor stays on the selected domain (or the host row the user
 * chose), else the first domain. */
static void
rebuild(void)
{
    size_t cap = (size_t)model_nhosts() + model_ndoms_total() + 1;
    struct row *all = xcalloc(cap, sizeof(*all));
    int *perm = xcalloc(cap, sizeof(*perm));
    int want = -1, n = 0;

    for (int h = 0; h < model_nhosts(); h++) {
        size_t k;
        struct m_dom **v = model_doms(h, &k);

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
        const struct row *r = &all[perm[i]];

        P.rows[i] = *r;
        if (P.sel_host == r->host && STREQ(r->uuid, P.sel_uuid) &&
            (r->uuid[0] || (P.host_chosen && !P.table.filter[0])))
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

/* Remember what is selected, and let the details pane follow it after the
 * cursor settles (no XML fetch per row while scrolling). */
static void
on_details_timer(int id, void *opaque)
{
    loop_timer_remove(id);
    P.details_timer = -1;
    /* another view's list may have the details now (domains_opened
     * gives them back) */
    if (ui_view_current() == VIEW_DOMAINS)
        pane_details_follow(P.sel_host, P.sel_uuid[0] ? P.sel_uuid : NULL);
}

static void
selection_moved(void)
{
    const struct row *r = P.nrows ? &P.rows[P.table.cur] : NULL;
    int host = r ? r->host : -1;
    const char *uuid = r ? r->uuid : "";

    if (host == P.sel_host && STREQ(uuid, P.sel_uuid))
        return;
    P.sel_host = host;
    snprintf(P.sel_uuid, sizeof(P.sel_uuid), "%s", uuid);
    if (P.details_timer >= 0)
        loop_timer_update(P.details_timer, 120);
    else
        P.details_timer = loop_timer_add(120, on_details_timer, NULL, NULL);
}

/* Any change marks the rows stale; the rebuild happens once, at the next
 * paint, however many events arrived in between. */
static void
on_notify(const struct notify_ev *ev, void *opaque)
{
    if (ev->kind == NOTIFY_DOMAIN || ev->kind == NOTIFY_DOMAINS ||
        ev->kind == NOTIFY_HOST) {
        P.stale = true;
        P.pane.dirty = true;
    }
    if (ev->kind == NOTIFY_SNAPSHOT) {
        P.stale |= P.table.sort_col == C_SNAP;
        P.pane.dirty = true;
    }
}

static void
domains_paint(struct pane *p)
{
    if (P.stale || P.table.rearrange)
        rebuild();
    table_paint(&P.table, p->win, true);
    selection_moved();
}

static bool
domains_key(struct pane *p, const char *key)
{
    if (P.stale)
        rebuild();
    if (!table_key(&P.table, key))
        return false;
    p->dirty = true;
    if (P.table.rearrange)
        rebuild();
    P.host_chosen = P.nrows && !P.rows[P.table.cur].uuid[0];
    selection_moved();
    return true;
}

static struct pane *
domains_get(void)
{
    if (!P.pane.kind) {
        P.pane.kind = &pane_kind_domains;
        P.table.cols = cols;
        P.table.ncols = C_COUNT;
        P.table.cell = cell;
        P.table.sort_col = C_NAME;
        P.stale = true;
        P.details_timer = -1;
        P.sel_host = -1;
        P.notify_id = notify_subscribe(on_notify, NULL);
        P.table.cmp = cmp_rows;
        table_attach(&P.table, &P.pane);
    }
    return &P.pane;
}

static void
domains_select(struct pane *p, struct act_ctx *ctx)
{
    if (P.stale || P.table.rearrange)
        rebuild();
    ctx->host = -1;
    ctx->uuid = NULL;
    if (!P.nrows)
        return;
    ctx->host = P.rows[P.table.cur].host;
    ctx->uuid = P.rows[P.table.cur].uuid[0] ? P.rows[P.table.cur].uuid : NULL;
}

/* The view was chosen: the details follow the list again (they may have
 * followed the networks list). */
static void
domains_opened(bool again)
{
    struct act_ctx ctx;

    domains_select(&P.pane, &ctx);
    pane_details_follow(ctx.host, ctx.uuid);
}

static void
domains_free(void)
{
    notify_unsubscribe(P.notify_id);
    free(P.rows);
    P.rows = NULL;
}

const struct pane_kind pane_kind_domains = {
    .name = "domains",
    .view = VIEW_DOMAINS,
    .place = PLACE_LIST,
    .get = domains_get,
    .paint = domains_paint,
    .key = domains_key,
    .opened = domains_opened,
    .select = domains_select,
    .free = domains_free,
};
