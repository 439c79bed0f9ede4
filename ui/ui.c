/* ui.c: curses lifecycle, input and the single render pass.
 *
 * The loop calls ui_render() once per iteration just before poll(); only
 * dirty panes repaint, and doupdate() sends the difference. Keys are read
 * from a private 1x1 window so curses never refreshes stdscr behind the
 * panes. Which panes there are is the registry's (pane.c), where they go
 * and the views layout.c's; the prompt borrows the status line. A terminal
 * under 40x8 gets a notice instead. */
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
    struct pane *v[PANE_MAX];
    int n;

    if (p) {
        p->dirty = true;
        return;
    }
    U.epoch++;
    n = pane_all(v, PANE_MAX);
    for (int i = 0; i < n; i++)
        v[i]->dirty = true;
    U.bars_dirty = true;
}

const char *
ui_host_suffix(int host)
{
    static char buf[1100];
    const struct m_host *h = model_host_get(host);

    if (model_nhosts() < 2 || !h)
        return "";
    snprintf(buf, sizeof(buf), " on %s", h->uri);
    return buf;
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
    /* the hosts' rows count down */
    ui_dirty(ui_view_pane(VIEW_DOMAINS));
}

static void
ui_render(void *opaque)
{
    struct pane *panes[PANE_MAX];
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
    n = pane_all(panes, PANE_MAX);
    for (int i = 0; i < n; i++) {
        struct pane *p = panes[i];

        if (p->visible && p->dirty) {
            p->dirty = false;
            p->kind->paint(p);
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
    } else if (U.focus && U.focus->visible && U.focus->kind->cursor &&
               U.focus->kind->cursor(U.focus, &cy, &cx)) {
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
        struct act_ctx sel = { .host = -1 };
        struct m_dom *d;
        AUTOFREE char *text = xstrdup(action + 1);
        char *pct = strstr(text, "%n");

        pane_select(ui_view_pane(VIEW_DOMAINS), &sel);
        if (pct) {
            AUTOFREE char *q = NULL;
            char *t;

            d = sel.uuid ? model_dom_get(sel.host, sel.uuid) : NULL;
            q = d ? util_shell_quote(d->name) : xstrdup("");
            *pct = '\0';
            t = xasprintf("%s%s%s", text, q, pct + 2);
            free(text);
            text = t;
        }
        prompt_open("command", text);
    } else if (STREQ(action, "/")) {
        prompt_open("filter", "");    /* a new filter, not more of the old */
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
    if (!prompt_active() && !layout_overlay() && pane_input(U.focus)) {
        /* in a console's input mode every key is the guest's but the escape */
        U.focus->kind->key(U.focus, key);
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
    if (U.focus && U.focus->kind->key && U.focus->kind->key(U.focus, key))
        return;
    if (STREQ(key, "Tab") && !layout_overlay()) {
        struct pane *v[PANE_MAX];
        int n = pane_all(v, PANE_MAX), at = 0;

        for (int i = 0; i < n; i++) {
            if (v[i] == U.focus)
                at = i;
        }
        for (int k = 1; k <= n; k++) {
            struct pane *p = v[(at + k) % n];

            if (p->visible && p->kind->place != PLACE_OVER) {
                U.focus = p;
                break;
            }
        }
        ui_dirty(NULL);
        return;
    }
    action = keymap_lookup(U.focus ? U.focus->kind->name : "global", key);
    /* the list's keys work from the other panes too, on the selection */
    if (!action && U.focus && !layout_overlay() &&
        STRNEQ(U.focus->kind->name, ui_view_pane(U.view)->kind->name))
        action = keymap_lookup(ui_view_pane(U.view)->kind->name, key);
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
            bool guest = !prompt_active() && pane_input(U.focus);

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

        if (e && e->level != LOG_EVENT)
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

/* The view's list says what is selected; another focused pane with a
 * selection of its own (the volumes, a console or preview: its domain)
 * says it instead. */
void
ui_context(struct act_ctx *ctx)
{
    struct pane *list = ui_view_pane(U.view);

    *ctx = (struct act_ctx){ .host = -1 };
    pane_select(list, ctx);
    if (U.focus && U.focus != list) {
        struct act_ctx own = { .host = -1 };

        pane_select(U.focus, &own);
        if (own.host >= 0)
            *ctx = own;
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
    /* a result after the UI ended has nowhere to show */
    if (!U.started)
        return;
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
    struct pane *panes[PANE_MAX];
    int n;

    if (!U.started)
        return;
    loop_set_prepare(NULL, NULL);
    /* the panes opened on demand close (a layout may follow), then what
     * is left loses its window */
    pane_free_all();
    n = pane_all(panes, PANE_MAX);
    for (int i = 0; i < n; i++) {
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
