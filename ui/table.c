/* table.c: the one list widget. It paints visible rows only, so a key in
 * a 10,000-row list costs one screenful of cells. It owns what every list
 * does alike: the filter (any cell contains the text, case-insensitive),
 * the sort (each column by its kind: text case-insensitive, numbers and
 * sizes by value; a key reverses), the header with an arrow that always
 * shows, widths from the content (names capped, descriptions given the
 * room) and a cursor kept off group header rows. Text is fitted with
 * util_fit, so control characters, wide characters and long names never
 * break alignment. */
#include <autoconf.h>

#include <ctype.h>
#include <stdlib.h>
#include <strings.h>

#include "colors.h"
#include "log.h"
#include "table.h"
#include "ui.h"
#include "util.h"

#define TABLE_MAX_COLS 32
#define TABLE_MEASURE_ROWS 1000  /* past this, widths come from the visible rows */

/* ---- the pure parts ---- */

static int
title_width(const struct table_col *c)
{
    return util_width(c->title) + 1;     /* the sort arrow always fits */
}

void
table_widths(const struct table_col *cols, const int *nat, int n, int total, int *w)
{
    int minw[TABLE_MAX_COLS], used = 0, slack;

    if (n > TABLE_MAX_COLS)
        n = TABLE_MAX_COLS;
    for (int c = 0; c < n; c++) {
        int tw = title_width(&cols[c]), want = nat[c];

        minw[c] = cols[c].min > tw ? cols[c].min : tw;
        /* a figure cut is a wrong figure: it hides rather than shrinks */
        if (cols[c].kind != TABLE_TEXT && nat[c] > minw[c])
            minw[c] = nat[c];
        if (cols[c].width) {
            w[c] = minw[c] = cols[c].width > tw ? cols[c].width : tw;
        } else if (cols[c].fill) {
            w[c] = minw[c];
        } else {
            if (cols[c].cap && want > cols[c].cap)
                want = cols[c].cap;
            w[c] = want > minw[c] ? want : minw[c];
        }
        used += w[c];
    }
    used += n - 1;
    /* short of room: the lowest priority gives way first (the rightmost
     * of equals), shrinking to its minimum, then hiding; the first column
     * never hides */
    while (used > total) {
        int pick = -1;

        for (int c = 0; c < n; c++) {
            if (w[c] && (w[c] > minw[c] || c > 0) &&
                (pick < 0 || cols[c].prio <= cols[pick].prio))
                pick = c;
        }
        if (pick < 0)
            break;
        if (w[pick] > minw[pick]) {
            slack = w[pick] - minw[pick] < used - total ? w[pick] - minw[pick] : used - total;
            w[pick] -= slack;
            used -= slack;
        } else {
            used -= w[pick] + 1;
            w[pick] = 0;
        }
    }
    if (used > total)
        w[0] = w[0] - (used - total) > 1 ? w[0] - (used - total) : 1;
    if (used >= total)
        return;
    /* room to spare: the fill columns up to their content, then capped
     * ones, higher priorities first; what is left to the last fill one */
    slack = total - used;
    for (int pass = 0; pass < 2 && slack > 0; pass++) {
        for (int p = 100; p >= -100 && slack > 0; p--) {
            for (int c = 0; c < n && slack > 0; c++) {
                int more = nat[c] - w[c];

                if (!w[c] || cols[c].width || cols[c].prio != p || cols[c].fill != (pass == 0))
                    continue;
                if (more > 0) {
                    more = more < slack ? more : slack;
                    w[c] += more;
                    slack -= more;
                }
            }
        }
    }
    for (int c = n - 1; c >= 0 && slack > 0; c--) {
        if (cols[c].fill && w[c]) {
            w[c] += slack;
            break;
        }
    }
}

/* The first number in s ("12.5", "84%", "1.5 GiB"), false when none. */
static bool
number_of(const char *s, double *v)
{
    const char *p = s;
    char *end;

    while (*p && !isdigit((unsigned char)*p))
        p++;
    if (!*p)
        return false;
    if (p > s && p[-1] == '-')
        p--;
    *v = strtod(p, &end);
    return end != p;
}

static bool
size_of(const char *s, double *v)
{
    static const char *const units[] = { "B", "K", "M", "G", "T", "P", "E" };
    const char *p = s;
    char *end;

    if (!number_of(s, v))
        return false;
    while (*p && !isdigit((unsigned char)*p))
        p++;
    strtod(p, &end);
    while (*end == ' ')
        end++;
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
        if (toupper((unsigned char)*end) == units[i][0]) {
            for (size_t k = 0; k < i; k++)
                *v *= 1024;
            break;
        }
    }
    return true;
}

int
table_cmp_text(enum table_kind kind, const char *a, const char *b)
{
    double x, y;
    bool hx, hy;

    while (*a == ' ')
        a++;
    while (*b == ' ')
        b++;
    if (kind != TABLE_TEXT) {
        hx = kind == TABLE_SIZE ? size_of(a, &x) : number_of(a, &x);
        hy = kind == TABLE_SIZE ? size_of(b, &y) : number_of(b, &y);
        if (hx != hy)
            return hx ? -1 : 1;  /* "-" (none) after every value */
        if (hx && x != y)
            return x < y ? -1 : 1;
        if (hx)
            return 0;
    }
    return strcasecmp(a, b);
}

/* ---- rows: filter, sort, cursor ---- */

static bool
is_header(const struct table *t, int row)
{
    char buf[8];
    enum theme_role role = ROLE_NORMAL;

    return row >= 0 && row < t->nrows && t->cell(t->opaque, row, -1, buf, sizeof(buf), &role);
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

void
table_first_row(struct table *t)
{
    t->cur = 0;
    while (t->cur < t->nrows - 1 && is_header(t, t->cur))
        t->cur++;
    if (is_header(t, t->cur))
        t->cur = 0;
    table_clamp(t);
}

static bool
row_matches(const struct table *t, int row)
{
    char buf[1024];
    enum theme_role role;

    for (int c = 0; c < t->ncols; c++) {
        buf[0] = '\0';
        t->cell(t->opaque, row, c, buf, sizeof(buf), &role);
        if (strcasestr(buf, t->filter))
            return true;
    }
    return false;
}

/* qsort has no context argument: the table being sorted (loop thread only) */
static struct {
    const struct table *t;
    char **key, **name;
} A;

static int
cmp_rows(const void *pa, const void *pb)
{
    int a = *(const int *)pa, b = *(const int *)pb, col = A.t->sort_col, r = 0;

    if (A.t->cmp)
        r = A.t->cmp(A.t->opaque, col, a, b);
    if (!r)
        r = table_cmp_text(A.t->cols[col].kind, A.key[a], A.key[b]);
    if (!r)
        r = strcasecmp(A.name[a], A.name[b]);
    if (!r)
        r = strcmp(A.name[a], A.name[b]);
    if (!r)
        r = a - b;
    return A.t->sort_desc ? -r : r;
}

static char *
cell_text(const struct table *t, int row, int col)
{
    char buf[1024] = "";
    enum theme_role role;

    t->cell(t->opaque, row, col, buf, sizeof(buf), &role);
    return xstrdup(buf);
}

int
table_arrange(struct table *t, int *perm)
{
    int n = 0, start;
    bool sort = t->sort_col >= 0 && t->sort_col < t->ncols;

    A.t = t;
    A.key = sort ? xcalloc((size_t)t->nrows + 1, sizeof(char *)) : NULL;
    A.name = sort ? xcalloc((size_t)t->nrows + 1, sizeof(char *)) : NULL;
    for (int row = 0; row < t->nrows;) {
        if (is_header(t, row)) {
            perm[n++] = row++;
            continue;
        }
        start = n;
        for (; row < t->nrows && !is_header(t, row); row++) {
            if (t->filter[0] && !row_matches(t, row))
                continue;
            perm[n++] = row;
            if (sort) {
                A.key[row] = cell_text(t, row, t->sort_col);
                A.name[row] = cell_text(t, row, 0);
            }
        }
        if (sort)
            qsort(perm + start, (size_t)(n - start), sizeof(int), cmp_rows);
    }
    for (int row = 0; sort && row < t->nrows; row++) {
        free(A.key[row]);
        free(A.name[row]);
    }
    free(A.key);
    free(A.name);
    A.t = NULL;
    t->rearrange = false;
    return n;
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
    t->rearrange = true;
}

void
table_filter(struct table *t, const char *text)
{
    snprintf(t->filter, sizeof(t->filter), "%s", text ? text : "");
    t->rearrange = true;
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

/* ---- which table '/' and ':sort' act on ---- */

static struct {
    struct table *t;
    const void *pane;
} attached[16];

void
table_attach(struct table *t, const void *pane)
{
    for (size_t i = 0; i < sizeof(attached) / sizeof(attached[0]); i++) {
        if (!attached[i].t || attached[i].t == t) {
            attached[i].t = t;
            attached[i].pane = pane;
            return;
        }
    }
}

static struct table *
table_of(const void *pane)
{
    for (size_t i = 0; pane && i < sizeof(attached) / sizeof(attached[0]); i++) {
        if (attached[i].pane == pane)
            return attached[i].t;
    }
    return NULL;
}

struct table *
table_focused(void **pane)
{
    struct pane *p = ui_focus(), *list = ui_view_pane(ui_view_current());
    struct table *t = p && p->visible ? table_of(p) : NULL;

    if (!t)
        t = table_of(p = list);
    if (pane)
        *pane = p;
    return t;
}

/* ---- painting ---- */

static void
put(WINDOW *w, int y, int x, const char *text, int width, bool right, int attr)
{
    AUTOFREE char *s = util_fit(text, width, right);

    wattrset(w, attr);
    mvwaddstr(w, y, x, s);
}

/* The content's widths: every row while there are not too many, else
 * the visible ones (a 10,000-row list measures a screenful). */
static void
measure(const struct table *t, int *nat)
{
    char buf[1024];
    enum theme_role role;
    int from = 0, to = t->nrows;

    if (t->nrows > TABLE_MEASURE_ROWS) {
        from = t->top;
        to = t->top + t->height < t->nrows ? t->top + t->height : t->nrows;
    }
    for (int c = 0; c < t->ncols; c++)
        nat[c] = 0;
    for (int row = from; row < to; row++) {
        if (t->cell(t->opaque, row, -1, buf, sizeof(buf), &role))
            continue;
        for (int c = 0; c < t->ncols; c++) {
            int k;

            buf[0] = '\0';
            t->cell(t->opaque, row, c, buf, sizeof(buf), &role);
            if ((k = util_width(buf)) > nat[c])
                nat[c] = k;
        }
    }
}

static void
header(const struct table *t, WINDOW *w, const int *cw, int W)
{
    int x = 0;

    wattrset(w, colors_attr(ROLE_HEADER));
    wmove(w, 0, 0);
    wclrtoeol(w);
    for (int c = 0; c < t->ncols && x < W; c++) {
        int width = cw[c] < W - x ? cw[c] : W - x;
        const char *arrow = c != t->sort_col ? "" :
                            t->sort_desc ? (util_utf8() ? "\xe2\x96\xbe" : "v")
                                         : (util_utf8() ? "\xe2\x96\xb4" : "^");
        AUTOFREE char *title = NULL;

        if (!cw[c])
            continue;
        if (*arrow && util_width(t->cols[c].title) + 1 > width) {
            /* cut the title, never the arrow */
            AUTOFREE char *cut = util_fit(t->cols[c].title, width - 1, false);

            title = xasprintf("%s%s", cut, arrow);
        } else {
            title = xasprintf("%s%s", t->cols[c].title, arrow);
        }
        put(w, 0, x, title, width, t->cols[c].right, colors_attr(ROLE_HEADER));
        x += cw[c] + 1;
    }
}

void
table_paint(struct table *t, WINDOW *w, bool focused)
{
    int H, W, cw[TABLE_MAX_COLS], nat[TABLE_MAX_COLS], x;
    char buf[1024];
    enum theme_role role;

    getmaxyx(w, H, W);
    werase(w);
    if (H < 1 || W < 1)
        return;
    t->height = H - 1;
    table_clamp(t);
    measure(t, nat);
    table_widths(t->cols, nat, t->ncols, W, cw);
    header(t, w, cw, W);
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

            if (!cw[c])
                continue;
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
    else if ((STREQ(key, "<") || STREQ(key, ">")) && t->sort_col >= 0) {
        t->sort_col = (t->sort_col + (STREQ(key, ">") ? 1 : t->ncols - 1)) % t->ncols;
        t->sort_desc = false;
        t->rearrange = true;
        return true;
    } else if (STREQ(key, "Esc") && t->filter[0]) {
        table_filter(t, "");
        return true;
    } else {
        return false;
    }
    table_clamp(t);
    return true;
}

/* The '/' filter and ':sort' (prompt.c, commands.c and the status line
 * call them): they act on the focused list, whichever view it is in. */
void
ui_filter(const char *text)
{
    void *p;
    struct table *t = table_focused(&p);

    if (t) {
        table_filter(t, text);
        ui_dirty(p);
    }
}

const char *
ui_filter_text(void)
{
    struct table *t = table_focused(NULL);

    return t ? t->filter : "";
}

/* ':sort COLUMN' on the focused list; no column (or the same) reverses. */
void
ui_sort(const char *column)
{
    void *p;
    struct table *t = table_focused(&p);
    int c = column && t ? table_col_find(t, column) : -1;

    if (!t)
        return;
    if (column && c < 0) {
        AUTOFREE char *names = xstrdup("");

        for (int i = 0; i < t->ncols; i++) {
            char *n = xasprintf("%s%s%s", names, i ? ", " : "", t->cols[i].title);

            free(names);
            names = n;
        }
        log_msg(LOG_ERROR, "No column '%s'; the columns are %s", column, names);
        return;
    }
    if (t->sort_col < 0 && c < 0)
        return;              /* a list in its own order (the snapshot tree) */
    table_sort_by(t, c >= 0 ? c : t->sort_col);
    ui_dirty(p);
}
