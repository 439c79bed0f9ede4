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

static const char *
fill_get(const struct act_fill *f, const char *arg)
{
    return value(arg);
}

static void
set(const char *field, const char *v)
{
    int i = field_of(field);

    if (i >= 0 && v)
        snprintf(F.values[i], sizeof(F.values[0]), "%s", v);
}

static void
fill_set(struct act_fill *f, const char *arg, const char *v)
{
    set(arg, v);
}

/* The form as the rows' hooks see it: the selection it opened on. */
static void
fill_init(struct act_fill *f, const char *domain, const char *network, const char *pool)
{
    struct act_ctx s = { .host = -1 };

    *f = (struct act_fill){ .act = F.act, .host = F.host, .domain = domain,
                            .network = network, .pool = pool, .get = fill_get,
                            .set = fill_set };
    /* the snapshots view's selection, on this host */
    pane_select(ui_view_pane(VIEW_SNAPSHOTS), &s);
    if (s.host == F.host) {
        f->snap_uuid = s.uuid;
        f->snap = s.snap;
    }
}

/* The selection fills the fields it names; the row's hook the rest. */
static void
defaults(const char *domain, const char *network, const char *pool)
{
    struct act_fill f;

    set("domain", domain);
    set("pool", pool);
    if (F.act->args[0].type == ARG_NETWORK)
        set("network", network);
    fill_init(&f, domain, network, pool);
    if (F.act->defaults)
        F.act->defaults(&f);
}

/* Checks that need no host: the row's, as the ':' line runs them. */
static bool
check(void)
{
    struct act_fill f;
    struct err e;

    F.error[0] = '\0';
    fill_init(&f, value("domain"), value("network"), value("pool"));
    if (action_validate(&f, &e) < 0) {
        snprintf(F.error, sizeof(F.error), "%s", e.msg);
        return false;
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
