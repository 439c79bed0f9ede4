/* pane-networks.c: the virtual networks of every host, one table, hosts
 * as header rows as in the domains list: name, state, autostart,
 * persistence, bridge, forward mode, IPv4 address, DHCP range and the
 * number of domains with an interface on it (counted when the view opens).
 * Live from network lifecycle events. */
#include <autoconf.h>

#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "colors.h"
#include "host.h"
#include "model.h"
#include "table.h"
#include "ui.h"

enum { N_NAME, N_STATE, N_AUTO, N_PERS, N_BRIDGE, N_MODE, N_IPV4, N_DHCP, N_GUESTS, N_COUNT };

static const struct table_col cols[N_COUNT] = {
    { .title = "Network", .min = 10, .cap = 28, .prio = 9 },
    { .title = "State", .prio = 8 },
    { .title = "Auto", .prio = 2 },
    { .title = "Pers", .prio = 2 },
    { .title = "Bridge", .prio = 5 },
    { .title = "Mode", .prio = 6 },
    { .title = "IPv4", .prio = 4 },
    { .title = "DHCP range", .prio = 7 },
    { .title = "VMs", .right = true, .kind = TABLE_NUMBER, .prio = 3 },
};

struct row {
    int host;
    char uuid[UUID_LEN];     /* empty for a host row */
};

static struct {
    struct pane pane;
    struct table table;
    struct row *rows;
    size_t nrows;
    bool stale;
    int notify_id;
    int sel_host;
    char sel_uuid[UUID_LEN];
    bool host_chosen;        /* the user put the cursor on a host row */
} N;

static bool
cell(void *opaque, int row, int col, char *buf, size_t len, enum theme_role *role)
{
    const struct row *r = &N.rows[row];
    const struct m_net *n;
    const struct net_info *i;

    if (!r->uuid[0]) {
        const struct m_host *h = model_host_get(r->host);
        size_t k;

        if (col != -1)
            return false;
        model_nets(r->host, &k);
        *role = h->state == HOST_UP ? ROLE_HOST : ROLE_HOST_LOST;
        snprintf(buf, len, "%s [%s] %zu network%s  %s", util_utf8() ? "\xe2\x96\xbe" : "-",
                 model_host_state_name(h->state), k, k == 1 ? "" : "s", h->uri);
        return true;
    }
    if (col == -1 || !(n = model_net_get(r->host, r->uuid)))
        return false;
    i = n->info;
    switch (col) {
    case N_NAME: snprintf(buf, len, "  %s", n->name); break;
    case N_STATE:
        snprintf(buf, len, "%s", n->active ? "active" : "inactive");
        *role = n->active ? ROLE_STATE_RUNNING : ROLE_STATE_SHUTOFF;
        break;
    case N_AUTO: snprintf(buf, len, "%s", n->autostart ? "yes" : "no"); break;
    case N_PERS: snprintf(buf, len, "%s", n->persistent ? "yes" : "no"); break;
    case N_BRIDGE: snprintf(buf, len, "%s", i && i->bridge ? i->bridge : "-"); break;
    case N_MODE: snprintf(buf, len, "%s", i && i->forward ? i->forward : "-"); break;
    case N_IPV4: snprintf(buf, len, "%s", i && i->ipv4 ? i->ipv4 : "-"); break;
    case N_DHCP: snprintf(buf, len, "%s", i && i->dhcp ? i->dhcp : "-"); break;
    case N_GUESTS:
        if (n->guests >= 0)
            snprintf(buf, len, "%d", n->guests);
        else
            snprintf(buf, len, "?");
        break;
    }
    return false;
}

/* Every host's row and all its networks; the table filters and sorts. */
static void
rebuild(void)
{
    size_t cap = (size_t)model_nhosts() + 1;
    struct row *all;
    int *perm, want = -1, n = 0;

    for (int h = 0; h < model_nhosts(); h++) {
        size_t k;

        model_nets(h, &k);
        cap += k;
    }
    all = xcalloc(cap, sizeof(*all));
    perm = xcalloc(cap, sizeof(*perm));
    for (int h = 0; h < model_nhosts(); h++) {
        size_t k;
        struct m_net **v = model_nets(h, &k);

        all[n++].host = h;
        for (size_t i = 0; i < k; i++) {
            all[n].host = h;
            snprintf(all[n++].uuid, sizeof(all[0].uuid), "%s", v[i]->uuid);
        }
    }
    free(N.rows);
    N.rows = all;
    N.table.nrows = n;
    n = table_arrange(&N.table, perm);
    N.rows = xcalloc((size_t)n + 1, sizeof(*N.rows));
    for (int i = 0; i < n; i++) {
        N.rows[i] = all[perm[i]];
        if (N.sel_host == N.rows[i].host && STREQ(N.rows[i].uuid, N.sel_uuid) &&
            (N.rows[i].uuid[0] || (N.host_chosen && !N.table.filter[0])))
            want = i;
    }
    free(all);
    free(perm);
    N.nrows = (size_t)n;
    N.table.nrows = n;
    if (want >= 0) {
        N.table.cur = want;
        table_clamp(&N.table);
    } else {
        table_first_row(&N.table);
    }
    N.stale = false;
}

static void
remember(void)
{
    const struct row *r = N.nrows ? &N.rows[N.table.cur] : NULL;

    N.sel_host = r ? r->host : -1;
    snprintf(N.sel_uuid, sizeof(N.sel_uuid), "%s", r ? r->uuid : "");
    pane_details_follow_network(N.sel_host, N.sel_uuid[0] ? N.sel_uuid : NULL);
}

static void
networks_paint(struct pane *p)
{
    if (N.stale || N.table.rearrange)
        rebuild();
    table_paint(&N.table, p->win, true);
    remember();
}

static bool
networks_key(struct pane *p, const char *key)
{
    if (N.stale)
        rebuild();
    if (!table_key(&N.table, key))
        return false;
    p->dirty = true;
    if (N.table.rearrange)
        rebuild();
    N.host_chosen = N.nrows && !N.rows[N.table.cur].uuid[0];
    remember();
    return true;
}

static void
on_notify(const struct notify_ev *ev, void *opaque)
{
    if (ev->kind == NOTIFY_NETWORK || ev->kind == NOTIFY_HOST) {
        N.stale = true;
        N.pane.dirty = true;
    }
}

static struct pane *
networks_get(void)
{
    if (!N.pane.kind) {
        N.pane.kind = &pane_kind_networks;
        N.table.cols = cols;
        N.table.ncols = N_COUNT;
        N.table.cell = cell;
        N.stale = true;
        N.sel_host = -1;
        N.notify_id = notify_subscribe(on_notify, NULL);
        table_attach(&N.table, &N.pane);
    }
    return &N.pane;
}

static void
networks_select(struct pane *p, struct act_ctx *ctx)
{
    if (N.stale || N.table.rearrange)
        rebuild();
    ctx->host = N.nrows ? N.rows[N.table.cur].host : -1;
    ctx->net = N.nrows && N.rows[N.table.cur].uuid[0] ? N.rows[N.table.cur].uuid : NULL;
}

/* The view opened: count the domains on each network (needs their XML). */
static void
networks_opened(bool again)
{
    if (again)
        return;
    for (int h = 0; h < model_nhosts(); h++)
        host_want(h, HOST_WANT_NET_GUESTS, NULL);
}

static void
networks_free(void)
{
    if (N.notify_id)
        notify_unsubscribe(N.notify_id);
    free(N.rows);
    N.rows = NULL;
}

const struct pane_kind pane_kind_networks = {
    .name = "networks",
    .view = VIEW_NETWORKS,
    .place = PLACE_LIST,
    .get = networks_get,
    .paint = networks_paint,
    .key = networks_key,
    .opened = networks_opened,
    .select = networks_select,
    .free = networks_free,
};
