/* form.c: forms generated from the action table. A row's arguments
 * become the fields (a bool is a yes/no field), its help the hints; the
 * form submits the same command line one would type after ':', so a form
 * is never the only way to do something. A per-action check can refuse a
 * value before anything is sent, keeping the form and the user's text
 * open with the message; a call that fails on the host (or a question
 * answered no) brings the form back with the user's values and the error.
 * The first field that needs an answer has the focus. Up/Down/Tab move,
 * each field edits with the line editor (lineedit.c), Space toggles a
 * yes/no, Enter on the last field (or C-s anywhere) submits, Esc cancels. */
#include <autoconf.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "action.h"
#include "colors.h"
#include "lineedit.h"
#include "model.h"
#include "ui.h"

#define MAX_FIELDS ACT_MAX_ARGS
#define LABEL_W 19               /* a field's name and a space */

static struct {
    bool open;
    const struct action *act;
    int host;
    int nf, cur;
    const struct act_arg *args[MAX_FIELDS];
    struct lineedit fields[MAX_FIELDS];
    char error[1100];
} F;

/* Which form_open() the form is: a call's late answer to an earlier form
 * does not reopen it. */
static unsigned Gen;

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

    return i >= 0 && F.fields[i].len ? lineedit_text(&F.fields[i]) : NULL;
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
        lineedit_set(&F.fields[i], v);
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
    Gen++;
    F.act = a;
    F.host = host >= 0 ? host : 0;
    for (int k = 0; a->args[k].name && F.nf < MAX_FIELDS; k++)
        F.args[F.nf++] = &a->args[k];
    defaults(domain, network, pool);
    set("vol", vol);
    for (int i = 0; i < F.nf; i++) {
        if ((F.args[i]->flags & ARG_REQUIRED) && !F.fields[i].len) {
            F.cur = i;
            break;
        }
    }
    F.open = true;
    ui_dirty(NULL);
    return 0;
}

/* How the form's call ended: a failure brings the form back (unless
 * another took its place) with the values and the reason. */
static void
submitted(const char *error, const char *made, void *opaque)
{
    if (!error || (uintptr_t)opaque != Gen || F.open || !F.act)
        return;
    snprintf(F.error, sizeof(F.error), "%s", error);
    F.open = true;
    ui_dirty(NULL);
}

static void
submit(void)
{
    struct act_ctx ctx;
    char *line;

    if (!check())
        return;
    line = xstrdup(F.act->name);
    for (int i = 0; i < F.nf; i++) {
        const struct act_arg *g = F.args[i];
        const char *v = lineedit_text(&F.fields[i]);
        char *n;

        if (!*v)
            continue;
        if (g->type == ARG_BOOL) {
            if (!STREQ(v, "yes"))
                continue;
            n = xasprintf("%s --%s", line, g->name);
        } else {
            AUTOFREE char *q = util_shell_quote(v);

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
    F.error[0] = '\0';
    ui_dirty(NULL);
    /* as ui_command() runs it, but the form hears how it ends */
    ui_context(&ctx);
    action_run_line_then(line, &ctx, submitted, (void *)(uintptr_t)Gen);
    free(line);
}

bool
form_key(const char *key)
{
    struct lineedit *v = &F.fields[F.cur];

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
            lineedit_set(v, STREQ(key, "y") || (STREQ(key, "Space") &&
                                                !STREQ(lineedit_text(v), "yes")) ? "yes" : "no");
    } else {
        lineedit_key(v, key);
    }
    ui_dirty(NULL);
    return true;
}

/* A field's row: its name, its value (scrolled to the cursor, which the
 * focused field shows in reverse) in vw cells, its help in hw. */
static void
paint_field(WINDOW *win, int i, int vw, int hw)
{
    const struct act_arg *g = F.args[i];
    attr_t a = i == F.cur ? colors_attr(ROLE_SELECTED) : colors_attr(ROLE_NORMAL);
    AUTOFREE char *label = util_fit(g->name, LABEL_W, false);
    AUTOFREE char *v = NULL;
    AUTOFREE char *hint = util_fit(g->help, hw, false);
    int col = 0;

    if (g->type == ARG_BOOL) {
        v = util_fit(STREQ(lineedit_text(&F.fields[i]), "yes") ? "[x]" : "[ ]", vw, false);
    } else {
        v = lineedit_view(&F.fields[i], vw, &col);
    }
    wattrset(win, a);
    mvwaddstr(win, i + 1, 2, label);
    mvwaddstr(win, i + 1, 2 + LABEL_W, v);
    if (i == F.cur && g->type != ARG_BOOL)
        mvwchgat(win, i + 1, 2 + LABEL_W + col, 1, (a ^ A_REVERSE) & ~A_COLOR,
                 (short)PAIR_NUMBER(a), NULL);
    wattrset(win, colors_attr(ROLE_DIM));
    mvwaddstr(win, i + 1, 2 + LABEL_W + vw + 1, hint);
}

void
form_paint(void)
{
    int w = COLS - 8 < 120 ? COLS - 8 : 120, h = F.nf + 6, y0, x0, vw;
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
    vw = (w - 4) * 3 / 5 - LABEL_W;
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
    for (int i = 0; i < F.nf; i++)
        paint_field(win, i, vw, w - 4 - LABEL_W - vw - 1);
    if (F.error[0]) {
        /* on the two rows between the fields and the keys */
        char **lines = util_wrap(F.error, w - 4);

        wattrset(win, colors_attr(ROLE_STATUS_ERROR));
        for (int i = 0; i < 2 && lines[i]; i++) {
            AUTOFREE char *m = util_fit(lines[i], w - 4, false);

            mvwaddstr(win, F.nf + 2 + i, 2, m);
        }
        util_strv_free(lines);
    }
    {
        /* how to submit and cancel first: a narrow form cuts the rest */
        bool last = F.cur == F.nf - 1;
        AUTOFREE char *keys = xasprintf("%s: %s  Esc: cancel  %s%sTab/Up/Down: field",
                                        last ? "Enter" : "C-s", F.act->name,
                                        last ? "" : "Enter: next field  ",
                                        F.args[F.cur]->type == ARG_BOOL ?
                                        "Space: yes/no  " : "");
        AUTOFREE char *k = util_fit(keys, w - 4, false);

        wattrset(win, colors_attr(ROLE_DIM));
        mvwaddstr(win, F.nf + 4, 2, k);
    }
    wnoutrefresh(win);
    delwin(win);
}
