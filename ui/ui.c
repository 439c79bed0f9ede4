/* ui.c: curses lifecycle, input and the single render pass.
 *
 * The loop calls ui_render() once per iteration just before poll(); only
 * dirty panes repaint, and doupdate() sends the difference. Keys are read
 * from a private 1x1 window so curses never refreshes stdscr behind the
 * panes. Where the panes go is layout.c's; the prompt borrows the status
 * line. A terminal under 40x8 gets a notice instead. */
#include <autoconf.h>

#include <signal.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <poll.h>

#include "action.h"
#include "colors.h"
#include "host.h"
#include "keymap.h"
#include "log.h"
#include "loop.h"
#include "model.h"
#include "sessions.h"
#include "ui.h"
#include "ui-priv.h"
#include "vnc.h"

struct ui_state U = { .stdin_id = -1, .tick_id = -1 };

static SCREEN *screen;

static void
fatal_endwin(void)
{
    if (U.started && !isendwin())
        endwin();
}

/* Every pane: the fixed ones, then one per open console. */
static int
all_panes(struct pane **v, int max)
{
    int n = 0;

    v[n++] = pane_domains();
    v[n++] = pane_networks();
    v[n++] = pane_pools();
    v[n++] = pane_volumes();
    v[n++] = pane_snapshots();
    v[n++] = pane_snapdisks();
    v[n++] = pane_details();
    v[n++] = pane_text();
    for (int i = 0; i < pane_console_count() && n < max; i++)
        v[n++] = pane_console_get(i);
    for (int i = 0; i < pane_vnc_count() && n < max; i++)
        v[n++] = pane_vnc_get(i);
    if (n < max)
        v[n++] = pane_jobs();
    return n;
}

struct pane *
ui_focus(void)
{
    return U.focus;
}

void
ui_forget(struct pane *p)
{
    if (U.focus == p)
        U.focus = NULL;
}

unsigned
ui_epoch(void)
{
    return U.epoch;
}

void
ui_dirty(struct pane *p)
{
    struct pane *v[24];
    int n;

    if (p) {
        p->dirty = true;
        return;
    }
    U.epoch++;
    n = all_panes(v, 24);
    for (int i = 0; i < n; i++)
        v[i]->dirty = true;
    U.bars_dirty = true;
}

void
ui_status(const char *text, int level)
{
    statusbar_set(text, level);
    U.bars_dirty = true;
}

void
ui_quit(void)
{
    loop_quit();
}

void
ui_set_focus(struct pane *p)
{
    U.focus = p;
    ui_relayout();
}

void
ui_toggle_details(void)
{
    U.show_details = !U.show_details;
    ui_relayout();
}

void
ui_view(const char *name)
{
    enum ui_view_kind v = ui_view_parse(name);

    if (v == VIEW_NETWORKS && U.view != VIEW_NETWORKS)
        pane_networks_opened();
    if (v == VIEW_STORAGE && U.view != VIEW_STORAGE)
        pane_pools_opened();
    if (v != VIEW_STORAGE && U.view == VIEW_STORAGE)
        pane_pools_closed();
    if (v == VIEW_SNAPSHOTS && U.view != VIEW_SNAPSHOTS)
        pane_snapshots_opened();
    if (v != VIEW_SNAPSHOTS && U.view == VIEW_SNAPSHOTS)
        pane_snapshots_closed();
    U.view = v;
    U.focus = layout_view_pane(v);
    if (v != VIEW_DOMAINS)
        pane_details()->dirty = true;
    else {
        int host;
        const char *uuid;

        pane_domains_selection(&host, &uuid);
        pane_details_follow(host, uuid);
    }
    ui_relayout();
}

bool
ui_view_networks(void)
{
    return U.view == VIEW_NETWORKS;
}

enum ui_view_kind
ui_view_current(void)
{
    return U.view;
}

/* "domains", "networks", "storage" (and prefixes, "pools"); -1 unknown */
int
ui_view_parse(const char *name)
{
    if (!name || STRPREFIX(name, "dom"))
        return VIEW_DOMAINS;
    if (STRPREFIX(name, "net"))
        return VIEW_NETWORKS;
    if (STRPREFIX(name, "sto") || STRPREFIX(name, "pool") || STRPREFIX(name, "vol"))
        return VIEW_STORAGE;
    if (STRPREFIX(name, "snap"))
        return VIEW_SNAPSHOTS;
    return -1;
}

void
ui_zoom_toggle(void)
{
    U.zoom = !U.zoom;
    ui_relayout();
}

void
ui_relayout(void)
{
    if (U.started && !U.suspended)
        layout();
    else
        U.layout_dirty = true;
    ui_dirty(NULL);
}

static void
paint_too_small(void)
{
    const char *msg = "terminal too small";
    char need[64];

    snprintf(need, sizeof(need), "need %dx%d", MIN_COLS, MIN_ROWS);
    erase();
    attrset(A_BOLD);
    mvaddnstr(LINES / 2 > 0 ? LINES / 2 - 1 : 0, 0, msg, COLS);
    attrset(A_NORMAL);
    if (LINES > 1)
        mvaddnstr(LINES / 2, 0, need, COLS);
    wnoutrefresh(stdscr);
}

/* Something on screen counts down or waits (a lost or busy host). */
static bool
needs_tick(void)
{
    for (int h = 0; h < model_nhosts(); h++) {
        if (model_host_get(h)->state != HOST_UP || host_busy_ms(h) > 0)
            return true;
    }
    return false;
}

static void
on_tick(int id, void *opaque)
{
    ui_dirty(pane_domains());
}

static void
ui_render(void *opaque)
{
    struct pane *panes[24];
    int n, cy, cx;
    bool tick;

    if (U.suspended || loop_quitting())
        return;
    if (U.layout_dirty)
        layout();
    if (U.too_small) {
        paint_too_small();
        doupdate();
        return;
    }
    n = all_panes(panes, 24);
    for (int i = 0; i < n; i++) {
        struct pane *p = panes[i];

        if (p->visible && p->dirty) {
            p->dirty = false;
            p->paint(p);
            wnoutrefresh(p->win);
        }
    }
    if (U.bars_dirty) {
        U.bars_dirty = false;
        statusbar_paint_title(U.title, U.view);
        statusbar_paint_status(U.status);
    }
    if (form_active()) {
        /* over the panes; they repaint when it closes */
        form_paint();
        for (int i = 0; i < n; i++)
            panes[i]->dirty = true;
        U.epoch++;
    }
    if (prompt_active()) {
        const char *c = prompt_candidates();

        if (c) {
            prompt_paint_detail(c);
            for (int i = 0; i < n; i++)
                ui_dirty(panes[i]);
            U.epoch++;
        }
        curs_set(1);
        wnoutrefresh(U.status);
    } else if (U.focus && U.focus->visible && pane_console_is(U.focus) &&
               pane_console_cursor(U.focus, &cy, &cx)) {
        /* the terminal's cursor where the guest's is */
        wmove(U.focus->win, cy, cx);
        wnoutrefresh(U.focus->win);
        curs_set(1);
    } else {
        curs_set(0);
    }
    doupdate();
    tick = needs_tick();
    if (tick && U.tick_id < 0)
        U.tick_id = loop_timer_add(1000, on_tick, NULL, NULL);
    else if (!tick && U.tick_id >= 0) {
        loop_timer_remove(U.tick_id);
        U.tick_id = -1;
    }
}

/* A bound action string: ':' opens the command line prefilled (%n is the
 * selected domain's quoted name), '/' the filter, anything else runs. */
static void
run_binding(const char *action)
{
    if (action[0] == ':') {
        int host;
        const char *uuid;
        struct m_dom *d;
        AUTOFREE char *text = xstrdup(action + 1);
        char *pct = strstr(text, "%n");

        pane_domains_selection(&host, &uuid);
        if (pct) {
            AUTOFREE char *q = NULL;
            char *t;

            d = uuid ? model_dom_get(host, uuid) : NULL;
            q = d ? util_shell_quote(d->name) : xstrdup("");
            *pct = '\0';
            t = xasprintf("%s%s%s", text, q, pct + 2);
            free(text);
            text = t;
        }
        prompt_open("command", text);
    } else if (STREQ(action, "/")) {
        prompt_open("filter", pane_domains_filter_text());
    } else {
        ui_command(action);
    }
}

static void
handle_key(const char *key)
{
    const char *action;

    if (STREQ(key, "Resize"))
        return;
    if (!prompt_active() && U.focus && !pane_text_open() &&
        (pane_console_input(U.focus) || pane_vnc_input(U.focus))) {
        /* in a console's input mode every key is the guest's but the escape */
        U.focus->key(U.focus, key);
        U.bars_dirty = true;
        return;
    }
    if (prompt_active()) {
        prompt_key(key);
        U.bars_dirty = true;
        return;
    }
    if (form_active()) {
        form_key(key);
        return;
    }
    if (STREQ(key, "C-l")) {
        clearok(curscr, TRUE);
        ui_dirty(NULL);
        return;
    }
    if (U.too_small) {
        if (STREQ(key, "q"))
            ui_quit();
        return;
    }
    if (U.focus && U.focus->key && U.focus->key(U.focus, key))
        return;
    if (STREQ(key, "Tab") && !pane_text_open()) {
        struct pane *v[24];
        int n = all_panes(v, 24), at = 0;

        for (int i = 0; i < n; i++) {
            if (v[i] == U.focus)
                at = i;
        }
        for (int k = 1; k <= n; k++) {
            struct pane *p = v[(at + k) % n];

            if (p->visible && p != pane_text()) {
                U.focus = p;
                break;
            }
        }
        ui_dirty(NULL);
        return;
    }
    action = keymap_lookup(U.focus ? U.focus->name : "global", key);
    /* the list's keys work from the other panes too, on the selection */
    if (!action && U.focus && !pane_text_open() &&
        STRNEQ(U.focus->name, layout_view_pane(U.view)->name))
        action = keymap_lookup(layout_view_pane(U.view)->name, key);
    if (action)
        run_binding(action);
}

static void
on_stdin(int id, int fd, int revents, void *opaque)
{
    wint_t ch;
    int rc;

    if (U.suspended)
        return;
    if (revents & (POLLHUP | POLLERR | POLLNVAL)) {
        loop_quit();
        return;
    }
    while ((rc = wget_wch(U.in, &ch)) != ERR) {
        char name[40];

        ui_key_name(rc, ch, name, sizeof(name));
        if (rc == OK && ch == 27) {
            /* Esc with a character right behind it is Alt+character */
            wint_t next;
            int rc2 = wget_wch(U.in, &next);

            /* only a guest's keys have Alt; elsewhere Esc stays Esc */
            bool guest = U.focus && !prompt_active() &&
                         (pane_console_input(U.focus) || pane_vnc_input(U.focus));

            if (guest && rc2 == OK && next >= 0x20 && next != 0x7f) {
                char k[32];

                ui_key_name(rc2, next, k, sizeof(k));
                snprintf(name, sizeof(name), "M-%s", k);
            } else if (rc2 != ERR) {
                char k[32];

                handle_key(name);
                ui_key_name(rc2, next, k, sizeof(k));
                snprintf(name, sizeof(name), "%s", k);
            }
        }
        handle_key(name);
        if (U.suspended)
            break;
    }
}

static void
on_winch(void *opaque)
{
    struct winsize ws;

    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row && ws.ws_col) {
        resize_term(ws.ws_row, ws.ws_col);
        if (U.suspended)
            return;
        clearok(curscr, TRUE);
        U.layout_dirty = true;
        ui_dirty(NULL);
    }
}

static void
on_term(void *opaque)
{
    loop_quit();
}

static void
on_chld(void *opaque)
{
    edit_child_exited();
}

static void
on_notify(const struct notify_ev *ev, void *opaque)
{
    if (ev->kind == NOTIFY_MESSAGE) {
        const struct log_entry *e = log_last();

        if (e)
            ui_status(e->text, (int)e->level);
    }
    if (ev->kind == NOTIFY_HOST || ev->kind == NOTIFY_DOMAINS ||
        ev->kind == NOTIFY_DOMAIN)
        U.bars_dirty = true;
    /* the pools pane is as tall as its rows: pools that come (the first
     * read, after the view opened) or go resize it */
    if (ev->kind == NOTIFY_POOL && (ev->change != MODEL_CHANGED || !ev->key) &&
        U.view == VIEW_STORAGE)
        U.layout_dirty = true;
}

void
ui_context(struct act_ctx *ctx)
{
    *ctx = (struct act_ctx){ .host = -1 };
    pane_domains_selection(&ctx->host, &ctx->uuid);
    if (U.view == VIEW_STORAGE) {
        pane_pools_selection(&ctx->host, &ctx->pool, &ctx->vol);
        ctx->uuid = NULL;
        /* a volume key acts on the volume only when that pane has focus */
        if (U.focus != pane_volumes())
            ctx->vol = NULL;
    }
    if (U.view == VIEW_NETWORKS) {
        pane_networks_selection(&ctx->host, &ctx->net);
        ctx->uuid = NULL;
    }
    if (U.view == VIEW_SNAPSHOTS)
        pane_snapshots_selection(&ctx->host, &ctx->uuid, &ctx->snap);
    {
        /* a focused console or preview: its domain is the selection */
        int id = pane_console_session(U.focus);
        const struct session *s = sessions_get(id >= 0 ? id : pane_vnc_session(U.focus));

        if (s && s->host >= 0) {
            ctx->host = s->host;
            ctx->uuid = s->uuid;
            ctx->net = ctx->pool = ctx->vol = ctx->snap = NULL;
        }
    }
}

void
ui_command(const char *line)
{
    struct act_ctx ctx;

    ui_context(&ctx);
    action_run_line(line, &ctx);
    U.bars_dirty = true;
}

void
ui_text_show(const char *title, const char *text)
{
    if (title)
        pane_text_set(title, text);
    /* lay out now so the next key already goes to the right pane */
    if (U.started && !U.suspended)
        layout();
    ui_dirty(NULL);
}

int
ui_init(const struct theme *t)
{
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
        return -1;
    set_escdelay(25);
    if (!(screen = newterm(NULL, stdout, stdin)))
        return -1;
    U.started = true;
    fatal_hook = fatal_endwin;
    raw();
    noecho();
    nonl();
    curs_set(0);
    colors_init(t);
    /* ncurses 6.4 flushes after every cursor movement until the first
     * endwin(); one round trip here makes a frame one write, not hundreds */
    endwin();
    doupdate();
    U.in = newwin(1, 1, 0, 0);
    keypad(U.in, TRUE);
    nodelay(U.in, TRUE);
    U.show_details = true;
    U.layout_dirty = true;
    ui_commands_init();
    U.notify_id = notify_subscribe(on_notify, NULL);
    U.stdin_id = loop_fd_add(STDIN_FILENO, POLLIN, on_stdin, NULL, NULL);
    loop_signal(SIGWINCH, on_winch, NULL);
    loop_signal(SIGTERM, on_term, NULL);
    loop_signal(SIGHUP, on_term, NULL);
    loop_signal(SIGINT, on_term, NULL);
    loop_signal(SIGCHLD, on_chld, NULL);
    loop_set_prepare(ui_render, NULL);
    return 0;
}

void
ui_set_details(bool on)
{
    U.show_details = on;
    U.layout_dirty = true;
}

void
ui_suspend(void)
{
    U.suspended = true;
    loop_fd_update(U.stdin_id, 0);
    def_prog_mode();
    endwin();
}

void
ui_resume(void)
{
    struct winsize ws;

    U.suspended = false;
    reset_prog_mode();
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row && ws.ws_col)
        resize_term(ws.ws_row, ws.ws_col);
    clearok(curscr, TRUE);
    loop_fd_update(U.stdin_id, POLLIN);
    U.layout_dirty = true;
    ui_dirty(NULL);
}

bool
ui_suspended(void)
{
    return U.suspended;
}

void
ui_end(void)
{
    struct pane *panes[] = { pane_domains(), pane_networks(), pane_pools(), pane_volumes(),
                             pane_details(), pane_text(), pane_jobs(), pane_snapshots(),
                             pane_snapdisks() };

    if (!U.started)
        return;
    loop_set_prepare(NULL, NULL);
    pane_console_free();
    pane_vnc_free();
    pane_networks_free();
    pane_pools_free();
    pane_snapshots_free();
    pane_jobs_free();
    for (size_t i = 0; i < ARRAY_CARDINALITY(panes); i++) {
        if (panes[i]->win)
            delwin(panes[i]->win);
        panes[i]->win = NULL;
    }
    if (U.title)
        delwin(U.title);
    if (U.status)
        delwin(U.status);
    if (U.in)
        delwin(U.in);
    if (!isendwin())
        endwin();
    notify_unsubscribe(U.notify_id);
    prompt_free();
    colors_free();
    statusbar_set(NULL, 0);
    delscreen(screen);
    screen = NULL;
    U.started = false;
}
