/* table.c: paints visible rows only, so a key in a 10,000-row list costs
 * one screenful of cells. Column widths: fixed ones as given, the flexible
 * one takes what is left. Text is fitted with util_fit, so control
 * characters, wide characters and long names never break alignment. */
#include <autoconf.h>

#include <ctype.h>
#include <stdlib.h>
#include <strings.h>

#include "colors.h"
#include "table.h"
#include "util.h"

static void
widths(const struct table *t, int total, int *w)
{
    int fixed = 0, flex = -1;

    for (int c = 0; c < t->ncols; c++) {
        if (t->cols[c].width)
            fixed += t->cols[c].width + 1;
        else
            flex = c;
    }
    for (int c = 0; c < t->ncols; c++)
        w[c] = t->cols[c].width;
    if (flex >= 0) {
        w[flex] = total - fixed - 1;
        if (w[flex] < t->cols[flex].min)
            w[flex] = t->cols[flex].min;
    }
}

void
table_clamp(struct table *t)
{
    if (t->cur >= t->nrows)
        t->cur = t->nrows - 1;
    if (t->cur < 0)
        t->cur = 0;
    if (t->height <= 0)
        return;
    if (t->cur < t->top)
        t->top = t->cur;
    if (t->cur >= t->top + t->height)
        t->top = t->cur - t->height + 1;
    if (t->top > t->nrows - t->height)
        t->top = t->nrows - t->height;
    if (t->top < 0)
        t->top = 0;
}

static void
put(WINDOW *w, int y, int x, const char *text, int width, bool right, int attr)
{
    AUTOFREE char *s = util_fit(text, width, right);

    wattrset(w, attr);
    mvwaddstr(w, y, x, s);
}

void
table_paint(struct table *t, WINDOW *w, bool focused)
{
    int H, W, cw[32], x;
    char buf[1024];
    enum theme_role role;

    getmaxyx(w, H, W);
    werase(w);
    if (H < 1 || W < 1)
        return;
    widths(t, W, cw);
    t->height = H - 1;
    table_clamp(t);
    /* header */
    wattrset(w, colors_attr(ROLE_HEADER));
    wmove(w, 0, 0);
    wclrtoeol(w);
    x = 0;
    for (int c = 0; c < t->ncols && x < W; c++) {
        char title[64];
        int width = cw[c] < W - x ? cw[c] : W - x;

        snprintf(title, sizeof(title), "%s%s", t->cols[c].title,
                 c == t->sort_col ? (t->sort_desc ? (util_utf8() ? "\xe2\x96\xbe" : "v")
                                                  : (util_utf8() ? "\xe2\x96\xb4" : "^"))
                                  : "");
        put(w, 0, x, title, width, t->cols[c].right, colors_attr(ROLE_HEADER));
        x += cw[c] + 1;
    }
    for (int i = 0; i < t->height && t->top + i < t->nrows; i++) {
        int row = t->top + i, y = i + 1;
        bool sel = row == t->cur && (focused || !t->cursor_if_focused);
        int selattr = focused ? colors_attr(ROLE_SELECTED)
                              : (int)((unsigned)colors_attr(ROLE_SELECTED) & ~A_COLOR);

        if (t->cell(t->opaque, row, -1, buf, sizeof(buf), &role)) {
            put(w, y, 0, buf, W, false, sel ? selattr : colors_attr(role));
            continue;
        }
        x = 0;
        for (int c = 0; c < t->ncols && x < W; c++) {
            int width = cw[c] < W - x ? cw[c] : W - x;

            role = ROLE_NORMAL;
            buf[0] = '\0';
            t->cell(t->opaque, row, c, buf, sizeof(buf), &role);
            put(w, y, x, buf, width, t->cols[c].right,
                sel ? selattr : colors_attr(role));
            if (x + width < W) {
                wattrset(w, sel ? selattr : colors_attr(ROLE_NORMAL));
                mvwaddch(w, y, x + width, ' ');
            }
            x += cw[c] + 1;
        }
        if (sel && x < W) {
            wattrset(w, selattr);
            for (int k = x; k < W; k++)
                mvwaddch(w, y, k, ' ');
        }
    }
    wattrset(w, colors_attr(ROLE_NORMAL));
}

bool
table_key(struct table *t, const char *key)
{
    int page = t->height > 1 ? t->height - 1 : 1;

    if (STREQ(key, "Down") || STREQ(key, "j"))
        t->cur++;
    else if (STREQ(key, "Up") || STREQ(key, "k"))
        t->cur--;
    else if (STREQ(key, "PageDown") || STREQ(key, "C-f"))
        t->cur += page;
    else if (STREQ(key, "PageUp") || STREQ(key, "C-b"))
        t->cur -= page;
    else if (STREQ(key, "Home") || STREQ(key, "g"))
        t->cur = 0;
    else if (STREQ(key, "End") || STREQ(key, "G"))
        t->cur = t->nrows - 1;
    else
        return false;
    table_clamp(t);
    return true;
}

void
table_sort_by(struct table *t, int col)
{
    if (col < 0 || col >= t->ncols)
        return;
    if (col == t->sort_col)
        t->sort_desc = !t->sort_desc;
    else {
        t->sort_col = col;
        t->sort_desc = false;
    }
}

int
table_col_find(const struct table *t, const char *name)
{
    for (int c = 0; c < t->ncols; c++) {
        if (strncasecmp(t->cols[c].title, name, strlen(name)) == 0)
            return c;
    }
    return -1;
}
