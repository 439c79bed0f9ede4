/* pane-console.c: console sessions on screen. Each open session has a
 * pane: a title line (domain, state, hints) over the emulated screen,
 * copied cell by cell from the console module. Redraws are coalesced to
 * at most one per 16 ms however fast the guest writes. In input mode every
 * key goes to the guest except the escape key (C-] by default, as virsh);
 * outside it the pane scrolls its 10,000-line scrollback, searches it,
 * zooms, takes a held console over (f) or closes (q). */
#include <autoconf.h>

#include <stdio.h>
#include <stdlib.h>

#include "colors.h"
#include "config.h"
#include "consoles.h"
#include "log.h"
#include "loop.h"
#include "ui.h"

#define MAX_CONSOLES 8
#define FRAME_MS 16

struct cpane {
    struct pane pane;
    int session;
    int scroll;              /* lines above the live screen */
    bool input;
    char search[128];
    int search_row;
    int64_t last_paint;
    int timer;
    unsigned long paints;
    char *painted;           /* what the last frame showed besides the cells
                              * (header, size, state, scroll); a frame with
                              * the same may copy only the damaged rows */
    unsigned epoch;          /* ui_epoch() at the last full frame */
};

static bool console_input(const struct pane *p);

static struct {
    struct cpane *v[MAX_CONSOLES];
    int n;
    int notify_id;
    unsigned long paints;
    unsigned long rows_copied;
    int64_t paint_ns;
} C;

static struct cpane *
of(struct pane *p)
{
    return (struct cpane *)p;
}

static void
on_frame(int id, void *opaque)
{
    struct cpane *cp = opaque;

    loop_timer_remove(id);
    cp->timer = -1;
    cp->pane.dirty = true;
}

/* Output arrived: paint now if the last frame is old enough, else soon. */
static void
damaged(struct cpane *cp)
{
    int64_t since = util_now_ms() - cp->last_paint;

    if (cp->timer >= 0)
        return;
    if (since >= FRAME_MS)
        cp->pane.dirty = true;
    else
        cp->timer = loop_timer_add((int)(FRAME_MS - since), on_frame, cp, NULL);
}

static void
on_notify(const struct notify_ev *ev, void *opaque)
{
    int id;

    if (ev->kind != NOTIFY_CONSOLE || !ev->key)
        return;
    id = atoi(ev->key);
    for (int i = 0; i < C.n; i++) {
        if (C.v[i]->session == id)
            damaged(C.v[i]);
    }
}

static int
attrs_of(const struct con_cell *cell)
{
    int a = 0;

    if (cell->attrs & CON_BOLD)
        a |= A_BOLD;
    if (cell->attrs & CON_UNDERLINE)
        a |= A_UNDERLINE;
    if (cell->attrs & CON_REVERSE)
        a |= A_REVERSE;
    if (cell->attrs & CON_ITALIC)
        a |= A_ITALIC;
    if (cell->attrs & CON_BLINK)
        a |= A_BLINK;
    return a;
}

/* One row of the emulated screen (row top + y) into the pane's line y + 1. */
static void
copy_row(WINDOW *w, const struct console *con, int row, int y, int cols, int W)
{
    wmove(w, y + 1, 0);
    wclrtoeol(w);
    for (int x = 0; x < cols && x < W; x++) {
        struct con_cell cell;
        cchar_t cc;
        wchar_t wc[2] = { L' ', 0 };

        console_cell(con, row, x, &cell);
        if (cell.width == 0)
            continue;
        if (cell.ch)
            wc[0] = (wchar_t)cell.ch;
        if (cell.width == 2 && x + 1 >= W)
            wc[0] = L' ';
        setcchar(&cc, wc, (attr_t)attrs_of(&cell), (short)colors_pair(cell.fg, cell.bg), NULL);
        mvwadd_wch(w, y + 1, x, &cc);
    }
    C.rows_copied++;
}

/* The search's match, in reverse video where it shows. */
static void
mark_match(struct cpane *cp, const struct console *con, int top, int first, int H, int W)
{
    int y = cp->search_row - top;
    AUTOFREE char *text = NULL;
    AUTOFREE char *before = NULL;
    const char *at;
    int x;

    if (!cp->search[0] || cp->search_row == INT32_MIN || y < first || y >= H - 1)
        return;
    text = console_row_text(con, cp->search_row);
    if (!(at = strstr(text, cp->search)))
        return;
    before = xstrndup(text, (size_t)(at - text));
    x = util_width(before);
    if (x < W)
        mvwchgat(cp->pane.win, y + 1, x, util_width(cp->search), A_REVERSE | A_BOLD, 0, NULL);
}

static int64_t
now_ns(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* The layout gave the pane a new size: the emulated screen follows it. */
static void
console_resize_pane(struct pane *p)
{
    struct console *con = consoles_console(of(p)->session);

    if (con)
        console_resize(con, p->h - 1 > 0 ? p->h - 1 : 1, p->w);
}

/* Live output on an unchanged pane copies only the rows libvterm damaged;
 * anything else (a new size, the header, scrolling back, a full redraw
 * of the screen) repaints the whole pane. */
static void
console_paint(struct pane *p)
{
    struct cpane *cp = of(p);
    const struct session *s = sessions_get(cp->session);
    struct console *con = consoles_console(cp->session);
    int H, W, rows, cols, top, first, dtop, dbot;
    int64_t t0 = now_ns();
    char title[512];
    AUTOFREE char *t = NULL;
    AUTOFREE char *look = NULL;
    char **msg = NULL;
    bool full;

    getmaxyx(p->win, H, W);
    cp->last_paint = util_now_ms();
    cp->paints++;
    C.paints++;
    if (!s || !con) {
        werase(p->win);
        return;
    }
    console_take_damage(con, &dtop, &dbot);
    console_size(con, &rows, &cols);
    if (cp->scroll > (int)console_scrollback(con))
        cp->scroll = (int)console_scrollback(con);
    snprintf(title, sizeof(title), " console %s%s%s [%s]%s%s%s%s  %s",
             s->name, s->dev ? " " : "", s->dev ? s->dev : "",
             sessions_state_name(s),
             ui_host_suffix(s->host),
             console_log_path(con) ? "[logging]" : "",
             cp->scroll ? "  scrolled back " : "",
             cp->scroll ? "(End: live)" : "",
             console_input(p) ? "keys go to the guest; C-] gives them back" :
             "Enter: type  PgUp: scroll  /: search  z: zoom  q: close");
    look = xasprintf("%dx%d %d %d %s|%s", H, W, cp->scroll, (int)cp->input, title,
                     s->state != SESSION_OPEN && s->msg ? s->msg : "");
    /* every row damaged (a scrolling log): the plain full frame */
    full = !cp->painted || STRNEQ(cp->painted, look) || cp->epoch != ui_epoch() ||
           cp->scroll != 0 || (dtop <= 0 && dbot >= rows);
    free(cp->painted);
    cp->painted = xstrdup(look);
    cp->epoch = ui_epoch();
    top = -cp->scroll;
    /* why it is not open, wrapped over as many rows as it needs */
    msg = s->state != SESSION_OPEN && s->msg ? util_wrap(s->msg, W > 0 ? W : 1) : NULL;
    first = 0;
    while (msg && msg[first])
        first++;
    if (full) {
        werase(p->win);
        t = util_fit(title, W, false);
        wattrset(p->win, colors_attr(ROLE_TITLE) | (cp->input ? A_REVERSE : 0));
        mvwaddstr(p->win, 0, 0, t);
        wattrset(p->win, colors_attr(ROLE_STATUS_WARN));
        for (int i = 0; i < first && i + 1 < H; i++) {
            AUTOFREE char *m = util_fit(msg[i], W, false);

            mvwaddstr(p->win, i + 1, 0, m);
        }
        dtop = 0;
        dbot = rows;
    }
    /* window attributes would mix into every cell: none while drawing */
    wattrset(p->win, A_NORMAL);
    for (int y = dtop > first ? dtop : first; y < dbot && y < H - 1 && y < rows; y++)
        copy_row(p->win, con, top + y, y, cols, W);
    mark_match(cp, con, top, first, H, W);
    wattrset(p->win, colors_attr(ROLE_NORMAL));
    util_strv_free(msg);
    C.paint_ns += now_ns() - t0;
}

/* Where the guest's cursor is, for ui.c to place the terminal's cursor. */
static bool
console_cursor_at(struct pane *p, int *y, int *x)
{
    struct cpane *cp = of(p);
    const struct session *s = sessions_get(cp->session);
    struct console *con = consoles_console(cp->session);

    if (!s || !con || !cp->input || cp->scroll || s->state != SESSION_OPEN)
        return false;
    if (!console_cursor(con, y, x))
        return false;
    (*y)++;
    return *y < p->h && *x < p->w;
}

/* Search upwards from the last match, or from the bottom of the view. */
static void
search(struct cpane *cp, const struct session *s)
{
    struct console *con = consoles_console(s->id);
    int rows, cols, from, r;

    console_size(con, &rows, &cols);
    from = cp->search_row != INT32_MIN ? cp->search_row : rows - cp->scroll;
    r = console_search(con, cp->search, from, -1);
    if (r == INT32_MIN && cp->search_row != INT32_MIN) {
        /* past the oldest match: round again from the bottom */
        r = console_search(con, cp->search, rows, -1);
        if (r != INT32_MIN)
            log_msg(LOG_INFO, "Search of '%s' went round to the bottom", cp->search);
    }
    if (r == INT32_MIN) {
        log_msg(LOG_WARN, "'%s' not found in the console of '%s'", cp->search, s->name);
        return;
    }
    cp->search_row = r;
    cp->scroll = r < 0 ? -r : 0;
    cp->pane.dirty = true;
}

void
pane_console_search(struct pane *p, const char *text)
{
    struct cpane *cp = of(p);
    const struct session *s = sessions_get(cp->session);

    snprintf(cp->search, sizeof(cp->search), "%s", text);
    cp->search_row = INT32_MIN;
    if (s && *text)
        search(cp, s);
}

/* In input mode every key goes to the guest but the console escape;
 * otherwise the "console" key table's actions (console_op) apply. */
static bool
console_keyfn(struct pane *p, const char *key)
{
    struct cpane *cp = of(p);
    const struct session *s = sessions_get(cp->session);

    if (!s || !console_input(p))
        return false;
    if (STREQ(key, cfg.console_escape)) {
        cp->input = false;
        log_msg(LOG_INFO, "Keys are back with virtmux (Enter on the console types again)");
    } else if (s->state == SESSION_OPEN) {
        consoles_key(cp->session, key);
        cp->scroll = 0;
    } else if (STREQ(key, "f")) {
        consoles_reattach(cp->session, true);
    }
    p->dirty = true;
    return true;
}

static bool
console_op(struct pane *p, enum act_ui_op op, const char *arg)
{
    struct cpane *cp = of(p);
    const struct session *s = sessions_get(cp->session);
    int rows = p->h > 2 ? p->h - 2 : 1;

    if (!s)
        return false;
    switch (op) {
    case UIOP_PANE_INPUT:
        cp->input = true;
        cp->scroll = 0;
        break;
    case UIOP_PANE_CLOSE:
        pane_console_close(p);
        return true;
    case UIOP_PANE_REATTACH:
        consoles_reattach(cp->session, true);
        break;
    case UIOP_SCROLL:
        if (!arg)
            return false;
        if (STREQ(arg, "page-up"))
            cp->scroll += rows;
        else if (STREQ(arg, "page-down"))
            cp->scroll -= rows;
        else if (STREQ(arg, "up"))
            cp->scroll++;
        else if (STREQ(arg, "down"))
            cp->scroll--;
        else if (STREQ(arg, "top"))
            cp->scroll = (int)console_scrollback(consoles_console(s->id));
        else if (STREQ(arg, "bottom"))
            cp->scroll = 0;
        else
            return false;
        break;
    case UIOP_SEARCH_BACK:
        prompt_open("console-search", cp->search);
        break;
    case UIOP_SEARCH_NEXT:
        if (cp->search[0])
            search(cp, s);
        break;
    default:
        return false;
    }
    if (cp->scroll < 0)
        cp->scroll = 0;
    p->dirty = true;
    return true;
}

static int
console_count(void)
{
    return C.n;
}

static struct pane *
console_nth(int i)
{
    return i >= 0 && i < C.n ? &C.v[i]->pane : NULL;
}

/* A focused console: its domain is the selection for commands. */
static void
console_select(struct pane *p, struct act_ctx *ctx)
{
    const struct session *s = sessions_get(of(p)->session);

    if (s && s->host >= 0) {
        ctx->host = s->host;
        ctx->uuid = s->uuid;
    }
}

static bool
console_input(const struct pane *p)
{
    const struct cpane *cp = (const struct cpane *)p;
    const struct session *s = sessions_get(cp->session);

    /* a console that failed (or was refused) takes no keys as the
     * guest's: its pane's keys (q, f) work at once; one reattaching
     * (stopped, opening) keeps them, so typing never reaches the list */
    return cp->input && s && s->state != SESSION_FAILED && s->state != SESSION_REFUSED;
}

void
pane_console_paint_stats(unsigned long *rows_copied, int64_t *paint_ns)
{
    *rows_copied = C.rows_copied;
    *paint_ns = C.paint_ns;
}

unsigned long
pane_console_paints(void)
{
    return C.paints;
}

struct pane *
pane_console_show(int session)
{
    struct cpane *cp;

    for (int i = 0; i < C.n; i++) {
        if (C.v[i]->session == session) {
            C.v[i]->input = true;
            return &C.v[i]->pane;
        }
    }
    if (C.n == MAX_CONSOLES) {
        log_msg(LOG_ERROR, "At most %d consoles can be open; close one with q", MAX_CONSOLES);
        consoles_close(session);
        return NULL;
    }
    if (!C.notify_id)
        C.notify_id = notify_subscribe(on_notify, NULL);
    cp = xcalloc(1, sizeof(*cp));
    cp->pane.kind = &pane_kind_console;
    cp->session = session;
    cp->input = true;
    cp->timer = -1;
    cp->search_row = INT32_MIN;
    C.v[C.n++] = cp;
    return &cp->pane;
}

void
pane_console_close(struct pane *p)
{
    for (int i = 0; i < C.n; i++) {
        struct cpane *cp = C.v[i];

        if (&cp->pane != p)
            continue;
        if (cp->timer >= 0)
            loop_timer_remove(cp->timer);
        ui_forget(&cp->pane);
        consoles_close(cp->session);
        if (cp->pane.win)
            delwin(cp->pane.win);
        free(cp->painted);
        free(cp);
        memmove(&C.v[i], &C.v[i + 1], (size_t)(C.n - i - 1) * sizeof(*C.v));
        C.n--;
        ui_relayout();
        return;
    }
}

static void
console_panes_free(void)
{
    while (C.n)
        pane_console_close(&C.v[0]->pane);
    if (C.notify_id)
        notify_unsubscribe(C.notify_id);
    C.notify_id = 0;
}

const struct pane_kind pane_kind_console = {
    .name = "console",
    .view = VIEW_ANY,
    .place = PLACE_SIDE,
    .count = console_count,
    .nth = console_nth,
    .paint = console_paint,
    .key = console_keyfn,
    .resize = console_resize_pane,
    .select = console_select,
    .input = console_input,
    .cursor = console_cursor_at,
    .op = console_op,
    .free = console_panes_free,
};
