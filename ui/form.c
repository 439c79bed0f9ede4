/* form.c: forms generated from the action table. A row's arguments
 * become the fields (a bool is a yes/no field), its help the hints; the
 * form submits the same command line one would type after ':', so a form
 * is never the only way to do something. A per-action check can refuse a
 * value before anything is sent, keeping the form and the user's text
 * open with the message. Up/Down/Tab move, typing edits, Space toggles a
 * yes/no, Enter on the last field (or C-s anywhere) submits, Esc cancels. */
#include <autoconf.h>

#include <stdio.h>
#include <stdlib.h>

#include "action.h"
#include "colors.h"
#include "model.h"
#include "netxml.h"
#include "storxml.h"
#include "ui.h"

#define MAX_FIELDS ACT_MAX_ARGS

static struct {
    bool open;
    const struct action *act;
    int host;
    int nf, cur;
    const struct act_arg *args[MAX_FIELDS];
    char values[MAX_FIELDS][256];
    char error[1100];
} F;

bool
form_active(void)
{
    return F.open;
}

static int
field_of(const char *name)
{
    for (int i = 0; i < F.nf; i++) {
        if (STREQ(F.args[i]->name, name))
            return i;
    }
    return -1;
}

static const char *
value(const char *name)
{
    int i = field_of(name);

    return i >= 0 && F.values[i][0] ? F.values[i] : NULL;
}

/* The next virbrN no network of the host uses. */
static void
free_bridge(int host, char *buf, size_t len)
{
    for (int n = 0; n < 1000; n++) {
        size_t k;
        struct m_net **v = model_nets(host, &k);
        bool used = false;

        snprintf(buf, len, "virbr%d", n);
        for (size_t i = 0; i < k && !used; i++)
            used = v[i]->info && v[i]->info->bridge && STREQ(v[i]->info->bridge, buf);
        if (!used)
            return;
    }
}

static void
set(const char *field, const char *v)
{
    int i = field_of(field);

    if (i >= 0 && v)
        snprintf(F.values[i], sizeof(F.values[0]), "%s", v);
}

/* A snapshot form: the snapshot selected in the snapshots view (of this
 * domain), its description to edit; a new one's name from the time. */
static void
snapshot_defaults(const char *domain)
{
    int h;
    const char *uuid, *snap;
    const struct m_dom *d = model_dom_by_name(F.host, domain);
    const struct snap_info *si;
    char name[80];

    pane_snapshots_selection(&h, &uuid, &snap);
    if (d && h == F.host && uuid && STREQ(uuid, d->uuid)) {
        set("snapshotname", snap);
        si = model_snap_get(model_snaps_get(h, uuid), snap);
        if (si && STREQ(F.act->name, "snapshot-edit-description"))
            set("text", si->description);
    }
    if (d && STREQ(F.act->name, "snapshot-create-as")) {
        act_snapshot_default_name(F.host, d->uuid, name, sizeof(name));
        set("name", name);
    }
}

static void
defaults(const char *domain, const char *network, const char *pool)
{
    set("domain", domain);
    set("pool", pool);
    if (STREQ(F.act->name, "vol-create-as"))
        set("format", "qcow2");
    if (STREQ(F.act->name, "clone") && domain) {
        /* NAME-clone, or NAME-clone-N when that is taken */
        AUTOFREE char *base = xasprintf("%s-clone", domain);
        char name[256];

        snprintf(name, sizeof(name), "%s", base);
        for (int n = 1; model_dom_by_name(F.host, name) && n < 1000; n++)
            snprintf(name, sizeof(name), "%s-%d", base, n);
        set("name", name);
        set("mode", "full");
    }
    if (STREQ(F.act->name, "deploy") && domain) {
        AUTOFREE char *base = xstrdup(domain);
        char *suffix = strstr(base, "-template");
        AUTOFREE char *pattern = NULL;

        if (suffix)
            *suffix = '\0';
        pattern = xasprintf("%s{01..03}", base);
        set("pattern", pattern);
        set("mode", "linked");
    }
    if (STREQ(F.act->name, "disk-add")) {
        size_t n;
        struct m_pool **pools = model_pools(F.host, &n);

        /* the pool "default" where there is one, else the first */
        set("pool", n ? pools[0]->name : NULL);
        set("pool", model_pool_by_name(F.host, "default") ? "default" : NULL);
        set("size", "10G");
        set("format", "qcow2");
    }
    if (STREQ(F.act->name, "pool-define-as")) {
        set("type", "dir");
        set("start", "yes");
    }
    if (F.act->target == TARGET_SNAPSHOT && domain)
        snapshot_defaults(domain);
    if (F.act->args[0].type == ARG_NETWORK)
        set("network", network);
    if (STREQ(F.act->name, "attach-interface")) {
        set("type", "network");
        set("source", "default");
    }
    if (STREQ(F.act->name, "net-dhcp-static") && network) {
        const struct m_net *n = model_net_by_name(F.host, network);

        /* from the newest lease: make the address it has now its own */
        if (n && n->nleases > 0) {
            const struct net_lease *l = &n->leases[n->nleases - 1];
            AUTOFREE char *ip = xstrdup(l->ip);
            char *slash = ip ? strchr(ip, '/') : NULL;

            if (slash)
                *slash = '\0';
            set("mac", l->mac);
            set("ip", ip);
            set("hostname", l->guest ? l->guest : l->hostname);
        }
    }
    if (STREQ(F.act->name, "net-new")) {
        snprintf(F.values[field_of("mode")], sizeof(F.values[0]), "nat");
        free_bridge(F.host, F.values[field_of("bridge")], sizeof(F.values[0]));
    }
}

/* Checks that need no host: the same ones the handler makes, plus the
 * host's other subnets (from the model). */
static bool
check(void)
{
    F.error[0] = '\0';
    if (value("size") || value("capacity")) {
        struct err e;
        unsigned long long b;
        const char *what = value("size") ? "size" : "capacity";

        /* vol-resize's "-1G" with --shrink is its own business */
        if (value(what)[0] != '-' && storxml_parse_size(value(what), what, &b, &e) < 0) {
            snprintf(F.error, sizeof(F.error), "%s", e.msg);
            return false;
        }
    }
    if (value("name") && (STREQ(F.act->name, "vol-create-as")) ) {
        struct err e;

        if (storxml_check_name(value("name"), "volume", &e) < 0) {
            snprintf(F.error, sizeof(F.error), "%s", e.msg);
            return false;
        }
    }
    if (STREQ(F.act->name, "snapshot-create-as") && value("name") && value("domain") &&
        model_dom_by_name(F.host, value("domain")) &&
        model_snap_get(model_snaps_get(F.host, model_dom_by_name(F.host, value("domain"))->uuid),
                       value("name"))) {
        snprintf(F.error, sizeof(F.error), "Domain '%s' already has a snapshot '%s': choose "
                 "another name", value("domain"), value("name"));
        return false;
    }
    if (STREQ(F.act->name, "pool-define-as")) {
        struct err e;
        AUTOFREE char *xml = storxml_pool_build(value("name"), value("type"), value("target"),
                                                value("source-host"), value("source-path"),
                                                value("source-dev"), value("source-name"),
                                                value("source-format"), &e);

        if (!xml) {
            snprintf(F.error, sizeof(F.error), "%s", e.msg);
            return false;
        }
    }
    if (STREQ(F.act->name, "net-new")) {
        struct err e;
        AUTOFREE char *xml = netxml_build(value("name"), value("mode") ? value("mode") : "nat",
                                          value("bridge"), value("ipv4"), value("dhcp"),
                                          value("ipv6"), &e);
        size_t k;
        struct m_net **v = model_nets(F.host, &k);

        if (!xml) {
            snprintf(F.error, sizeof(F.error), "%s", e.msg);
            return false;
        }
        for (size_t i = 0; i < k; i++) {
            if (v[i]->info && netxml_overlaps(value("ipv4"), v[i]->info->ipv4)) {
                snprintf(F.error, sizeof(F.error), "The IPv4 subnet %s overlaps network '%s' (%s)",
                         value("ipv4"), v[i]->name, v[i]->info->ipv4);
                return false;
            }
            if (v[i]->info && v[i]->info->bridge && value("bridge") &&
                STRNEQ(value("mode"), "bridge") && STREQ(v[i]->info->bridge, value("bridge"))) {
                snprintf(F.error, sizeof(F.error), "The bridge %s is network '%s''s already",
                         value("bridge"), v[i]->name);
                return false;
            }
        }
    }
    return true;
}

int
form_open(const char *action, int host, const char *domain, const char *network,
          const char *pool, const char *vol)
{
    const struct action *a = action_find(action);

    if (!a)
        return -1;
    memset(&F, 0, sizeof(F));
    F.act = a;
    F.host = host >= 0 ? host : 0;
    for (int k = 0; a->args[k].name && F.nf < MAX_FIELDS; k++)
        F.args[F.nf++] = &a->args[k];
    defaults(domain, network, pool);
    set("vol", vol);
    F.open = true;
    ui_dirty(NULL);
    return 0;
}

static void
submit(void)
{
    char *line;

    if (!check())
        return;
    line = xstrdup(F.act->name);
    for (int i = 0; i < F.nf; i++) {
        const struct act_arg *g = F.args[i];
        char *n;

        if (!F.values[i][0])
            continue;
        if (g->type == ARG_BOOL) {
            if (!STREQ(F.values[i], "yes"))
                continue;
            n = xasprintf("%s --%s", line, g->name);
        } else {
            AUTOFREE char *q = util_shell_quote(F.values[i]);

            n = xasprintf("%s --%s %s", line, g->name, q);
        }
        free(line);
        line = n;
    }
    if (F.act->target == TARGET_HOST && model_host_get(F.host)) {
        AUTOFREE char *q = util_shell_quote(model_host_get(F.host)->uri);
        char *n = xasprintf("%s --host %s", line, q);

        free(line);
        line = n;
    }
    F.open = false;
    ui_dirty(NULL);
    ui_command(line);
    free(line);
}

bool
form_key(const char *key)
{
    char *v = F.values[F.cur];
    size_t len = strlen(v);

    if (STREQ(key, "Esc") || STREQ(key, "C-c")) {
        F.open = false;
    } else if (STREQ(key, "Up") || STREQ(key, "BTab")) {
        F.cur = (F.cur + F.nf - 1) % F.nf;
    } else if (STREQ(key, "Down") || STREQ(key, "Tab")) {
        F.cur = (F.cur + 1) % F.nf;
    } else if (STREQ(key, "C-s") || (STREQ(key, "Enter") && F.cur == F.nf - 1)) {
        submit();
    } else if (STREQ(key, "Enter")) {
        F.cur++;
    } else if (F.args[F.cur]->type == ARG_BOOL) {
        if (STREQ(key, "Space") || STREQ(key, "y") || STREQ(key, "n"))
            snprintf(v, sizeof(F.values[0]), "%s",
                     STREQ(key, "y") || (STREQ(key, "Space") && !STREQ(v, "yes")) ? "yes" : "no");
    } else if (STREQ(key, "Backspace")) {
        while (len && ((unsigned char)v[len - 1] & 0xc0) == 0x80)
            len--;
        if (len)
            v[--len] = '\0';
    } else if (STREQ(key, "C-u")) {
        v[0] = '\0';
    } else {
        const char *k = STREQ(key, "Space") ? " " : key;

        if (((unsigned char)k[0] >= 0x80 || (strlen(k) == 1 && k[0] >= ' ')) &&
            len + strlen(k) < sizeof(F.values[0]))
            strcat(v, k);
    }
    ui_dirty(NULL);
    return true;
}

void
form_paint(void)
{
    int w = COLS - 8 < 96 ? COLS - 8 : 96, h = F.nf + 6, y0, x0;
    WINDOW *win;
    char title[256];

    if (w < 30 || h > LINES - 2) {
        /* it still takes the keys: say why it is not drawn */
        AUTOFREE char *m = xasprintf(" %s: the form needs %dx%d (Esc cancels) ",
                                     F.act->name, 38, h + 2);
        AUTOFREE char *t = util_fit(m, COLS, false);

        win = newwin(1, COLS, LINES / 2, 0);
        wattrset(win, colors_attr(ROLE_STATUS_WARN));
        werase(win);
        mvwaddstr(win, 0, 0, t);
        wnoutrefresh(win);
        delwin(win);
        return;
    }
    y0 = (LINES - h) / 2;
    x0 = (COLS - w) / 2;
    win = newwin(h, w, y0, x0);
    wattrset(win, colors_attr(ROLE_NORMAL));
    werase(win);
    box(win, 0, 0);
    snprintf(title, sizeof(title), " %s on %s ", F.act->name,
             model_host_get(F.host) ? model_host_get(F.host)->uri : "?");
    {
        AUTOFREE char *t = util_fit(title, w - 4, false);

        wattrset(win, colors_attr(ROLE_TITLE));
        mvwaddstr(win, 0, 2, t);
    }
    for (int i = 0; i < F.nf; i++) {
        const struct act_arg *g = F.args[i];
        char line[512];
        AUTOFREE char *l = NULL;
        AUTOFREE char *hint = NULL;

        snprintf(line, sizeof(line), "%-18s %s%s", g->name,
                 g->type == ARG_BOOL ? (STREQ(F.values[i], "yes") ? "[x]" : "[ ]") : F.values[i],
                 i == F.cur && g->type != ARG_BOOL ? "_" : "");
        l = util_fit(line, w / 2, false);
        hint = util_fit(g->help, w - w / 2 - 4, false);
        wattrset(win, i == F.cur ? colors_attr(ROLE_SELECTED) : colors_attr(ROLE_NORMAL));
        mvwaddstr(win, i + 1, 2, l);
        wattrset(win, colors_attr(ROLE_DIM));
        mvwaddstr(win, i + 1, 2 + w / 2, hint);
    }
    if (F.error[0]) {
        AUTOFREE char *m = util_fit(F.error, w - 4, false);

        wattrset(win, colors_attr(ROLE_STATUS_ERROR));
        mvwaddstr(win, F.nf + 2, 2, m);
    }
    {
        AUTOFREE char *k = util_fit("Tab/Up/Down: field  Space: yes/no  Enter on the last "
                                    "field or C-s: create  Esc: cancel", w - 4, false);

        wattrset(win, colors_attr(ROLE_DIM));
        mvwaddstr(win, F.nf + 4, 2, k);
    }
    wnoutrefresh(win);
    delwin(win);
}
