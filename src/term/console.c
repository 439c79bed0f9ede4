/* console.c: libvterm behind a small API. The damage callback only
 * records that something changed (the UI coalesces redraws on a timer);
 * lines leaving the top of the screen are copied into a ring of compact
 * cells, as neovim's terminal does; title changes and every other
 * property the guest sets stay here, sanitised, never forwarded. */
#include <autoconf.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <vterm.h>
#include <wchar.h>

#include "console.h"

struct sbline {
    int cols;
    struct con_cell *cells;
};

struct console {
    VTerm *vt;
    VTermScreen *vs;
    int rows, cols;
    struct sbline *sb;       /* ring */
    size_t sb_cap, sb_first, sb_len;
    bool damaged;            /* something changed (a cursor move counts) */
    bool dmg_all;            /* every row (resize, title, a reset) */
    int dmg_top, dmg_bot;    /* the rows libvterm damaged, [top, bot) */
    bool cursor_visible;
    int cur_row, cur_col;
    void (*out)(const char *bytes, size_t len, void *opaque);
    void *out_opaque;
    int log_fd;
    char *log_path;
    unsigned long long bytes;
    char title[128];
};

static int16_t
color_index(const VTermScreen *vs, VTermColor col, bool fg)
{
    if ((fg && VTERM_COLOR_IS_DEFAULT_FG(&col)) || (!fg && VTERM_COLOR_IS_DEFAULT_BG(&col)))
        return -1;
    if (VTERM_COLOR_IS_INDEXED(&col))
        return col.indexed.idx;
    /* RGB: the nearest in the 6x6x6 cube of the 256-colour palette */
    return (int16_t)(16 + 36 * ((col.rgb.red * 5 + 127) / 255) +
                     6 * ((col.rgb.green * 5 + 127) / 255) +
                     ((col.rgb.blue * 5 + 127) / 255));
}

static void
to_cell(const VTermScreen *vs, const VTermScreenCell *v, struct con_cell *c)
{
    uint32_t ch = v->chars[0];

    /* control characters never reach a cell on screen */
    c->ch = (ch < 0x20 || (ch >= 0x7f && ch < 0xa0) || ch == (uint32_t)-1) ? 0 : ch;
    /* libvterm marks the right half of a wide character with -1 */
    c->width = ch == (uint32_t)-1 ? 0 : (uint8_t)(v->width < 1 ? 1 : v->width);
    c->fg = color_index(vs, v->fg, true);
    c->bg = color_index(vs, v->bg, false);
    c->attrs = (uint8_t)((v->attrs.bold ? CON_BOLD : 0) |
                         (v->attrs.underline ? CON_UNDERLINE : 0) |
                         (v->attrs.reverse ? CON_REVERSE : 0) |
                         (v->attrs.italic ? CON_ITALIC : 0) |
                         (v->attrs.blink ? CON_BLINK : 0) |
                         (v->attrs.strike ? CON_STRIKE : 0));
}

/* libvterm's damage widens the dirty rows; nothing else is kept. */
static int
on_damage(VTermRect rect, void *user)
{
    struct console *c = user;

    if (c->dmg_top >= c->dmg_bot) {
        c->dmg_top = rect.start_row;
        c->dmg_bot = rect.end_row;
    } else {
        if (rect.start_row < c->dmg_top)
            c->dmg_top = rect.start_row;
        if (rect.end_row > c->dmg_bot)
            c->dmg_bot = rect.end_row;
    }
    c->damaged = true;
    return 1;
}

static int
on_movecursor(VTermPos pos, VTermPos oldpos, int visible, void *user)
{
    struct console *c = user;

    c->cur_row = pos.row;
    c->cur_col = pos.col;
    c->damaged = true;
    return 1;
}

static int
on_settermprop(VTermProp prop, VTermValue *val, void *user)
{
    struct console *c = user;
    size_t j = 0;

    switch (prop) {
    case VTERM_PROP_CURSORVISIBLE:
        c->cursor_visible = val->boolean;
        c->damaged = true;
        break;
    case VTERM_PROP_TITLE:
        /* kept for the pane's header, printable characters only */
        for (const char *s = val->string; s && *s && j + 1 < sizeof(c->title); s++) {
            if ((unsigned char)*s >= 0x20 && *s != 0x7f)
                c->title[j++] = *s;
        }
        c->title[j] = '\0';
        c->damaged = c->dmg_all = true;
        break;
    default:
        break;
    }
    return 1;
}

static int
on_bell(void *user)
{
    return 1;
}

static int
on_pushline(int cols, const VTermScreenCell *cells, void *user)
{
    struct console *c = user;
    struct sbline *l;

    if (!c->sb_cap)
        return 1;
    if (c->sb_len == c->sb_cap) {
        l = &c->sb[c->sb_first];
        c->sb_first = (c->sb_first + 1) % c->sb_cap;
        c->sb_len--;
    } else {
        l = &c->sb[(c->sb_first + c->sb_len) % c->sb_cap];
    }
    if (l->cols != cols) {
        free(l->cells);
        l->cells = xcalloc((size_t)cols, sizeof(*l->cells));
        l->cols = cols;
    }
    for (int i = 0; i < cols; i++)
        to_cell(c->vs, &cells[i], &l->cells[i]);
    c->sb_len++;
    return 1;
}

static int
on_popline(int cols, VTermScreenCell *cells, void *user)
{
    struct console *c = user;
    struct sbline *l;

    if (!c->sb_len)
        return 0;
    l = &c->sb[(c->sb_first + c->sb_len - 1) % c->sb_cap];
    for (int i = 0; i < cols; i++) {
        VTermScreenCell *v = &cells[i];

        memset(v, 0, sizeof(*v));
        v->width = 1;
        vterm_color_indexed(&v->fg, 7);
        vterm_color_indexed(&v->bg, 0);
        v->fg.type |= VTERM_COLOR_DEFAULT_FG;
        v->bg.type |= VTERM_COLOR_DEFAULT_BG;
        if (i < l->cols) {
            v->chars[0] = l->cells[i].ch;
            v->width = l->cells[i].width ? (char)l->cells[i].width : 1;
        }
    }
    c->sb_len--;
    return 1;
}

static const VTermScreenCallbacks callbacks = {
    .damage = on_damage,
    .movecursor = on_movecursor,
    .settermprop = on_settermprop,
    .bell = on_bell,
    .sb_pushline = on_pushline,
    .sb_popline = on_popline,
};

static void
on_output(const char *s, size_t len, void *user)
{
    struct console *c = user;

    if (c->out)
        c->out(s, len, c->out_opaque);
}

struct console *
console_new(int rows, int cols, size_t scrollback)
{
    struct console *c = xcalloc(1, sizeof(*c));

    c->rows = rows > 0 ? rows : 1;
    c->cols = cols > 0 ? cols : 1;
    c->vt = vterm_new(c->rows, c->cols);
    if (!c->vt)
        fatal("out of memory");
    vterm_set_utf8(c->vt, 1);
    vterm_output_set_callback(c->vt, on_output, c);
    c->vs = vterm_obtain_screen(c->vt);
    vterm_screen_set_callbacks(c->vs, &callbacks, c);
    vterm_screen_enable_altscreen(c->vs, 1);
    vterm_screen_set_damage_merge(c->vs, VTERM_DAMAGE_SCROLL);
    vterm_screen_reset(c->vs, 1);
    c->sb_cap = scrollback;
    c->sb = scrollback ? xcalloc(scrollback, sizeof(*c->sb)) : NULL;
    c->cursor_visible = true;
    c->log_fd = -1;
    c->damaged = c->dmg_all = true;
    return c;
}

void
console_free(struct console *c)
{
    if (!c)
        return;
    console_log(c, NULL, NULL);
    vterm_free(c->vt);
    for (size_t i = 0; i < c->sb_cap; i++)
        free(c->sb[i].cells);
    free(c->sb);
    free(c);
}

void
console_feed(struct console *c, const char *bytes, size_t len)
{
    if (c->log_fd >= 0 && len) {
        ssize_t n = write(c->log_fd, bytes, len);

        (void)n;   /* a full disk must not stop the console */
    }
    c->bytes += len;
    vterm_input_write(c->vt, bytes, len);
    vterm_screen_flush_damage(c->vs);
}

void
console_resize(struct console *c, int rows, int cols)
{
    if (rows < 1)
        rows = 1;
    if (cols < 1)
        cols = 1;
    if (rows == c->rows && cols == c->cols)
        return;
    c->rows = rows;
    c->cols = cols;
    vterm_set_size(c->vt, rows, cols);
    vterm_screen_flush_damage(c->vs);
    c->damaged = c->dmg_all = true;
}

void
console_size(const struct console *c, int *rows, int *cols)
{
    *rows = c->rows;
    *cols = c->cols;
}

void
console_set_output(struct console *c,
                   void (*out)(const char *bytes, size_t len, void *opaque),
                   void *opaque)
{
    c->out = out;
    c->out_opaque = opaque;
}

void
console_key(struct console *c, const char *key)
{
    static const struct { const char *name; VTermKey key; } named[] = {
        { "Enter", VTERM_KEY_ENTER }, { "Tab", VTERM_KEY_TAB },
        { "Backspace", VTERM_KEY_BACKSPACE }, { "Esc", VTERM_KEY_ESCAPE },
        { "Up", VTERM_KEY_UP }, { "Down", VTERM_KEY_DOWN },
        { "Left", VTERM_KEY_LEFT }, { "Right", VTERM_KEY_RIGHT },
        { "Insert", VTERM_KEY_INS }, { "Delete", VTERM_KEY_DEL },
        { "Home", VTERM_KEY_HOME }, { "End", VTERM_KEY_END },
        { "PageUp", VTERM_KEY_PAGEUP }, { "PageDown", VTERM_KEY_PAGEDOWN },
    };
    mbstate_t st;
    wchar_t wc;

    for (size_t i = 0; i < ARRAY_CARDINALITY(named); i++) {
        if (STREQ(key, named[i].name)) {
            vterm_keyboard_key(c->vt, named[i].key, VTERM_MOD_NONE);
            return;
        }
    }
    if (STREQ(key, "BTab")) {
        vterm_keyboard_key(c->vt, VTERM_KEY_TAB, VTERM_MOD_SHIFT);
        return;
    }
    if (STREQ(key, "Space")) {
        vterm_keyboard_unichar(c->vt, ' ', VTERM_MOD_NONE);
        return;
    }
    if (key[0] == 'F' && key[1] >= '1' && key[1] <= '9') {
        vterm_keyboard_key(c->vt, VTERM_KEY_FUNCTION(atoi(key + 1)), VTERM_MOD_NONE);
        return;
    }
    if (STRPREFIX(key, "M-") && key[2]) {
        /* Alt sends Esc first, as terminals do */
        char esc = 0x1b;

        on_output(&esc, 1, c);
        console_key(c, key + 2);
        return;
    }
    if (STRPREFIX(key, "C-") && key[2] && !key[3]) {
        /* control characters go as they are: C-c is 0x03 */
        char b = (char)(key[2] == '?' ? 0x7f : (key[2] & 0x1f));

        on_output(&b, 1, c);
        return;
    }
    memset(&st, 0, sizeof(st));
    if (mbrtowc(&wc, key, strlen(key), &st) > 0)
        vterm_keyboard_unichar(c->vt, (uint32_t)wc, VTERM_MOD_NONE);
}

size_t
console_scrollback(const struct console *c)
{
    return c->sb_len;
}

void
console_cell(const struct console *c, int row, int col, struct con_cell *out)
{
    memset(out, 0, sizeof(*out));
    out->fg = out->bg = -1;
    out->width = 1;
    if (row < 0) {
        const struct sbline *l;

        if ((size_t)-row > c->sb_len)
            return;
        l = &c->sb[(c->sb_first + c->sb_len - (size_t)-row) % c->sb_cap];
        if (col < l->cols)
            *out = l->cells[col];
        return;
    }
    if (row < c->rows && col < c->cols) {
        VTermScreenCell v;
        VTermPos pos = { row, col };

        if (vterm_screen_get_cell(c->vs, pos, &v))
            to_cell(c->vs, &v, out);
    }
}

char *
console_row_text(const struct console *c, int row)
{
    size_t cap = (size_t)c->cols * 4 + 1, len = 0, keep = 0;
    char *s = xmalloc(cap + 4);
    struct con_cell cell;

    for (int col = 0; col < c->cols; col++) {
        mbstate_t st;
        char buf[8];
        size_t n;

        console_cell(c, row, col, &cell);
        if (cell.width == 0)
            continue;
        if (!cell.ch) {
            s[len++] = ' ';
            continue;
        }
        memset(&st, 0, sizeof(st));
        n = wcrtomb(buf, (wchar_t)cell.ch, &st);
        if (n == (size_t)-1) {
            buf[0] = '?';
            n = 1;
        }
        if (len + n > cap)
            break;
        memcpy(s + len, buf, n);
        len += n;
        keep = len;
    }
    s[keep] = '\0';
    return s;
}

bool
console_cursor(const struct console *c, int *row, int *col)
{
    *row = c->cur_row;
    *col = c->cur_col;
    return c->cursor_visible;
}

bool
console_take_damage(struct console *c, int *top, int *bot)
{
    bool d = c->damaged;

    if (top && bot) {
        *top = c->dmg_all ? 0 : c->dmg_top < 0 ? 0 : c->dmg_top;
        *bot = c->dmg_all ? c->rows : c->dmg_bot > c->rows ? c->rows : c->dmg_bot;
    }
    c->damaged = c->dmg_all = false;
    c->dmg_top = c->dmg_bot = 0;
    return d;
}

int
console_search(const struct console *c, const char *needle, int from, int dir)
{
    int lo = -(int)c->sb_len, hi = c->rows - 1;

    for (int r = from + (dir < 0 ? -1 : 1); r >= lo && r <= hi; r += dir < 0 ? -1 : 1) {
        AUTOFREE char *t = console_row_text(c, r);

        if (strstr(t, needle))
            return r;
    }
    return INT32_MIN;
}

int
console_log(struct console *c, const char *path, struct err *e)
{
    if (c->log_fd >= 0) {
        close(c->log_fd);
        c->log_fd = -1;
    }
    free(c->log_path);
    c->log_path = NULL;
    if (!path)
        return 0;
    c->log_fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (c->log_fd < 0)
        return err_set(e, "Cannot log the console to '%s': %s", path, strerror(errno));
    c->log_path = xstrdup(path);
    return 0;
}

const char *
console_log_path(const struct console *c)
{
    return c->log_path;
}

unsigned long long
console_bytes(const struct console *c)
{
    return c->bytes;
}

const char *
console_title(const struct console *c)
{
    return c->title;
}
