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
    { "Network", 0, 10, false },
    { "State", 8, 0, false },
    { "Auto", 4, 0, false },
    { "Pers", 4, 0, false },
    { "Bridge", 9, 0, false },
    { "Mode", 8, 0, false },
    { "IPv4", 18, 0, false },
    { "DHCP range", 31, 0, false },
    { "VMs", 4, 0, true },
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
    case N_AUTO: snprintf(buf, len, "%s", n->autostart ? "yes" : "-"); break;
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

static int
cmp_net(const void *a, const void *b)
{
    const struct m_net *x = *(struct m_net *const *)a, *y = *(struct m_net *const *)b;
    int r = 0;

    if (N.table.sort_col == N_STATE)
        r = (int)y->active - (int)x->active;
    else if (N.table.sort_col == N_GUESTS)
        r = x->guests - y->guests;
    if (!r)
        r = strcmp(x->name, y->name);
    return N.table.sort_desc ? -r : r;
}

static void
rebuild(void)
{
    size_t cap = (size_t)model_nhosts() + 1, total = 0;
    int want = -1;

    for (int h = 0; h < model_nhosts(); h++) {
        size_t k;

        model_nets(h, &k);
        total += k;
    }
    free(N.rows);
    N.rows = xcalloc(cap + total, sizeof(*N.rows));
    N.nrows = 0;
    for (int h = 0; h < model_nhosts(); h++) {
        size_t k, m = 0;
        struct m_net **v = model_nets(h, &k);
        struct m_net **tmp = xcalloc(k + 1, sizeof(*tmp));

        N.rows[N.nrows].host = h;
        N.rows[N.nrows++].uuid[0] = '\0';
        for (size_t i = 0; i < k; i++) {
            if (!N.table.filter[0] || strcasestr(v[i]->name, N.table.filter))
                tmp[m++] = v[i];
        }
        qsort(tmp, m, sizeof(*tmp), cmp_net);
        for (size_t i = 0; i < m; i++) {
            struct row *r = &N.rows[N.nrows++];

            r->host = h;
            snprintf(r->uuid, sizeof(r->uuid), "%s", tmp[i]->uuid);
            if (N.sel_host == h && STREQ(r->uuid, N.sel_uuid))
                want = (int)N.nrows - 1;
        }
        free(tmp);
    }
    N.table.nrows = (int)N.nrows;
    if (want >= 0)
        N.table.cur = want;
    table_clamp(&N.table);
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
    if (N.stale)
        rebuild();
    table_paint(&N.table, p->win, true);
    remember();
}

static bool
networks_key(struct pane *p, const char *key)
{
    if (N.stale)
        rebuild();
    if (table_key(&N.table, key)) {
        p->dirty = true;
        remember();
        return true;
    }
    if (STREQ(key, "<") || STREQ(key, ">")) {
        table_sort_by(&N.table, (N.table.sort_col + (STREQ(key, ">") ? 1 : N_COUNT - 1)) %
                      N_COUNT);
        N.stale = true;
        p->dirty = true;
        return true;
    }
    return false;
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
    }
    return &N.pane;
}

static void
networks_select(struct pane *p, struct act_ctx *ctx)
{
    if (N.stale)
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
