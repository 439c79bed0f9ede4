/* pane-details.c: everything about the selected domain, from its record
 * and its XML (fetched on the host worker when the selection settles and
 * again when the domain changes). With a host row selected it shows the
 * host. Scrolls with the cursor keys when focused (Tab). */
#include <autoconf.h>

#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>

#include "colors.h"
#include "host.h"
#include "model.h"
#include "ui.h"

static struct {
    struct pane pane;
    int host;
    bool network;            /* uuid names a network, not a domain */
    char uuid[UUID_LEN];
    int scroll;
    int notify_id;
    char **lines;            /* built at paint time */
    int *roles;
    size_t n;
} D = { .host = -1 };

static void
add(int role, const char *fmt, ...) ATTR_PRINTF(2, 3);

static void
add(int role, const char *fmt, ...)
{
    va_list ap;
    char *s;

    va_start(ap, fmt);
    if (vasprintf(&s, fmt, ap) < 0)
        fatal("out of memory");
    va_end(ap);
    D.lines = xreallocarray(D.lines, D.n + 1, sizeof(*D.lines));
    D.roles = xreallocarray(D.roles, D.n + 1, sizeof(*D.roles));
    D.lines[D.n] = s;
    D.roles[D.n++] = role;
}

static void
clear_lines(void)
{
    for (size_t i = 0; i < D.n; i++)
        free(D.lines[i]);
    free(D.lines);
    free(D.roles);
    D.lines = NULL;
    D.roles = NULL;
    D.n = 0;
}

static const char *
s(const char *v)
{
    return v ? v : "-";
}

static void
build_host(const struct m_host *h)
{
    size_t n;

    model_doms(h->id, &n);
    add(ROLE_TITLE, "Host %s", h->uri);
    add(ROLE_NORMAL, "State      %s%s", model_host_state_name(h->state),
        h->readonly ? " (read-only)" : "");
    if (h->reason)
        add(ROLE_STATUS_WARN, "Reason     %s", h->reason);
    add(ROLE_NORMAL, "Hostname   %s", s(h->hostname));
    add(ROLE_NORMAL, "Domains    %zu", n);
}

static void
build_domain(const struct m_dom *d)
{
    const struct dom_details *x = d->details;
    char mem[32], maxmem[32];

    add(ROLE_TITLE, "%s", d->name);
    add(colors_state_role(d->state), "State      %s (%s)%s", model_dom_state_name(d->state),
        model_dom_reason_name(d->state, d->reason),
        d->managedsave ? ", managed save" : "");
    if (d->id >= 0)
        add(ROLE_NORMAL, "ID         %d", d->id);
    else
        add(ROLE_NORMAL, "ID         -");
    add(ROLE_NORMAL, "UUID       %s", d->uuid);
    util_size_kib(d->mem_kib, mem, sizeof(mem));
    util_size_kib(x && x->maxmem_kib ? x->maxmem_kib : d->maxmem_kib, maxmem,
                  sizeof(maxmem));
    if (x) {
        add(ROLE_NORMAL, "OS         %s %s %s", s(x->os_type), s(x->arch), s(x->machine));
        add(ROLE_NORMAL, "vCPUs      %u current / %u max", d->vcpus ? d->vcpus : x->vcpus_cur,
            x->vcpus_max);
    } else {
        add(ROLE_NORMAL, "vCPUs      %u", d->vcpus);
    }
    add(ROLE_NORMAL, "Memory     %s current / %s max", mem, maxmem);
    add(ROLE_NORMAL, "Persistent %s   Autostart %s   Managed save %s",
        d->persistent ? "yes" : "no", d->autostart ? "yes" : "no",
        d->managedsave ? "yes" : "no");
    if (!x) {
        add(ROLE_DIM, "(reading the domain's XML...)");
        return;
    }
    if (x->title)
        add(ROLE_NORMAL, "Title      %s", x->title);
    if (x->description)
        add(ROLE_NORMAL, "About      %s", x->description);
    add(ROLE_LABEL, "Disks");
    if (!x->ndisks)
        add(ROLE_DIM, "  none");
    for (size_t i = 0; i < x->ndisks; i++) {
        const struct dom_disk *k = &x->disks[i];

        add(ROLE_NORMAL, "  %s %s%s%s %s %s%s%s", s(k->target), s(k->bus),
            k->device && STRNEQ(k->device, "disk") ? " " : "",
            k->device && STRNEQ(k->device, "disk") ? k->device : "",
            s(k->format), s(k->source),
            k->readonly ? " (ro)" : "", k->shareable ? " (shared)" : "");
        if (k->backing)
            add(ROLE_DIM, "        backing: %s", k->backing);
    }
    add(ROLE_LABEL, "Interfaces");
    if (!x->nifaces)
        add(ROLE_DIM, "  none");
    for (size_t i = 0; i < x->nifaces; i++) {
        const struct dom_iface *f = &x->ifaces[i];

        add(ROLE_NORMAL, "  %s %s %s %s%s%s", s(f->mac), s(f->type), s(f->source),
            s(f->model), f->target ? " " : "", f->target ? f->target : "");
        if (f->addrs)
            add(ROLE_LABEL, "        %s", f->addrs);
    }
    add(ROLE_LABEL, "Graphics");
    if (!x->ngraphics)
        add(ROLE_DIM, "  none");
    for (size_t i = 0; i < x->ngraphics; i++) {
        const struct dom_graphics *g = &x->graphics[i];

        add(ROLE_NORMAL, "  %-5s listen %s port %s%s", s(g->type), s(g->listen),
            s(g->port), g->autoport ? " (autoport)" : "");
    }
    add(ROLE_LABEL, "Serial / console");
    if (!x->nchardevs)
        add(ROLE_DIM, "  none");
    for (size_t i = 0; i < x->nchardevs; i++) {
        const struct dom_chardev *c = &x->chardevs[i];

        add(ROLE_NORMAL, "  %-8s %-5s %s%s%s", s(c->kind), s(c->type), s(c->target),
            c->path ? "  " : "", c->path ? c->path : "");
    }
}

/* Break lines wider than width into continuation lines indented by the
 * label column, at spaces (or after a path's '/'), never inside a word,
 * so long paths and libvirt's reasons stay readable. */
#define LABEL_COLS 11

static void
wrap(int width)
{
    char **lines = D.lines;
    int *roles = D.roles;
    size_t n = D.n;

    if (width < 20)
        return;
    D.lines = NULL;
    D.roles = NULL;
    D.n = 0;
    for (size_t i = 0; i < n; i++) {
        const char *l = lines[i];
        /* "Label      value": the value wraps in its own column */
        bool labelled = strlen(l) > LABEL_COLS && l[LABEL_COLS - 1] == ' ' &&
                        l[LABEL_COLS - 2] == ' ' && l[LABEL_COLS] != ' ';
        char **parts;

        if (util_width(l) <= width) {
            add(roles[i], "%s", l);
            free(lines[i]);
            continue;
        }
        parts = util_wrap(labelled ? l + LABEL_COLS : l, width - LABEL_COLS);
        for (size_t k = 0; parts[k]; k++)
            add(roles[i], "%.*s%s", k == 0 && !labelled ? 0 : LABEL_COLS,
                k == 0 ? l : "           ", parts[k]);
        if (!parts[0])
            add(roles[i], "%s", "");
        util_strv_free(parts);
        free(lines[i]);
    }
    free(lines);
    free(roles);
}

static void
build_network(const struct m_net *n)
{
    const struct net_info *i = n->info;

    add(ROLE_TITLE, "Network %s", n->name);
    add(n->active ? ROLE_STATE_RUNNING : ROLE_STATE_SHUTOFF, "State      %s",
        n->active ? "active" : "inactive");
    add(ROLE_NORMAL, "UUID       %s", n->uuid);
    add(ROLE_NORMAL, "Persistent %s   Autostart %s", n->persistent ? "yes" : "no",
        n->autostart ? "yes" : "no");
    if (!i)
        return;
    add(ROLE_NORMAL, "Mode       %s%s%s", s(i->forward), i->forward_dev ? " via " : "",
        i->forward_dev ? i->forward_dev : "");
    add(ROLE_NORMAL, "Bridge     %s", s(i->bridge));
    add(ROLE_NORMAL, "IPv4       %s", s(i->ipv4));
    add(ROLE_NORMAL, "DHCP       %s", s(i->dhcp));
    if (i->ipv6)
        add(ROLE_NORMAL, "IPv6       %s", i->ipv6);
    if (i->domain)
        add(ROLE_NORMAL, "DNS domain %s", i->domain);
    add(ROLE_NORMAL, "Static     %d DHCP host entr%s", i->nhosts, i->nhosts == 1 ? "y" : "ies");
    if (n->guests >= 0)
        add(ROLE_NORMAL, "Domains    %d with an interface on it", n->guests);
    add(ROLE_LABEL, "DHCP leases");
    if (n->leases_err)
        add(ROLE_DIM, "  %s", n->leases_err);
    else if (n->nleases < 0)
        add(ROLE_DIM, "  (reading...)");
    else if (!n->nleases)
        add(ROLE_DIM, "  none");
    for (int k = 0; k < n->nleases; k++) {
        const struct net_lease *l = &n->leases[k];
        char when[32] = "-";
        time_t t = (time_t)l->expiry;
        struct tm tm;

        if (l->expiry > 0)
            strftime(when, sizeof(when), "%H:%M", localtime_r(&t, &tm));
        add(ROLE_NORMAL, "  %s %s %s%s%s until %s", s(l->mac), s(l->ip),
            l->guest ? l->guest : "(no guest)", l->hostname ? " host " : "",
            l->hostname ? l->hostname : "", when);
    }
}

static void
details_paint(struct pane *p)
{
    int H, W;
    const struct m_dom *d = D.uuid[0] && !D.network ? model_dom_get(D.host, D.uuid) : NULL;
    const struct m_host *h = model_host_get(D.host);

    clear_lines();
    if (D.network) {
        const struct m_net *n = D.uuid[0] ? model_net_get(D.host, D.uuid) : NULL;

        if (n)
            build_network(n);
        else if (h)
            build_host(h);
        else
            add(ROLE_DIM, "Nothing selected");
    } else if (d)
        build_domain(d);
    else if (h && !D.uuid[0])
        build_host(h);
    else
        add(ROLE_DIM, "Nothing selected");
    getmaxyx(p->win, H, W);
    wrap(W - 2);
    werase(p->win);
    if (D.scroll > (int)D.n - 1)
        D.scroll = D.n ? (int)D.n - 1 : 0;
    for (int y = 0; y < H; y++) {
        /* focused (Tab), the border stands out: j/k scroll the details */
        wattrset(p->win, ui_focus() == p ? colors_attr(ROLE_TITLE) | A_REVERSE
                                         : (unsigned)colors_attr(ROLE_BORDER));
        mvwaddstr(p->win, y, 0, ui_focus() == p ? (util_utf8() ? "\xe2\x94\x83" : "#")
                                                : (util_utf8() ? "\xe2\x94\x82" : "|"));
        if (D.scroll + y < (int)D.n) {
            AUTOFREE char *t = util_fit(D.lines[D.scroll + y], W - 2, false);

            wattrset(p->win, colors_attr(D.roles[D.scroll + y]));
            mvwaddstr(p->win, y, 2, t);
        }
    }
    wattrset(p->win, colors_attr(ROLE_NORMAL));
}

static bool
details_key(struct pane *p, const char *key)
{
    if (STREQ(key, "Down") || STREQ(key, "j"))
        D.scroll++;
    else if (STREQ(key, "Up") || STREQ(key, "k"))
        D.scroll = D.scroll > 0 ? D.scroll - 1 : 0;
    else
        return false;
    p->dirty = true;
    return true;
}

static void
on_notify(const struct notify_ev *ev, void *opaque)
{
    if (ev->host != D.host && ev->kind != NOTIFY_MESSAGE)
        return;
    if (ev->kind == NOTIFY_DOMAIN && ev->key && STRNEQ(ev->key, D.uuid))
        return;
    if (ev->kind == NOTIFY_MESSAGE || (ev->kind == NOTIFY_NETWORK) != D.network)
        return;
    D.pane.dirty = true;
}

static struct pane *
details_get(void)
{
    if (!D.pane.kind) {
        D.pane.kind = &pane_kind_details;
        D.notify_id = notify_subscribe(on_notify, NULL);
    }
    return &D.pane;
}

void
pane_details_follow_network(int host, const char *uuid)
{
    if (D.network && host == D.host && STREQ(uuid ? uuid : "", D.uuid))
        return;
    D.network = true;
    D.host = host;
    snprintf(D.uuid, sizeof(D.uuid), "%s", uuid ? uuid : "");
    D.scroll = 0;
    D.pane.dirty = true;
    host_unwant(HOST_WANT_DETAILS);
    if (uuid)
        host_want(host, HOST_WANT_LEASES, uuid);
}

void
pane_details_follow(int host, const char *uuid)
{
    D.network = false;
    D.host = host;
    snprintf(D.uuid, sizeof(D.uuid), "%s", uuid ? uuid : "");
    D.scroll = 0;
    D.pane.dirty = true;
    if (uuid)
        host_want(host, HOST_WANT_DETAILS, uuid);
    else
        host_unwant(HOST_WANT_DETAILS);
}

static void
details_free(void)
{
    notify_unsubscribe(D.notify_id);
    clear_lines();
}

const struct pane_kind pane_kind_details = {
    .name = "details",
    .view = VIEW_ANY,
    .place = PLACE_DETAILS,
    .get = details_get,
    .paint = details_paint,
    .key = details_key,
    .free = details_free,
};
