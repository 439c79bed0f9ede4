/* table.h: the one list widget. Columns (with a kind, so every column
 * sorts), a cursor kept off header rows, scrolling, a sort column and
 * direction, and a filter; widths come from the content with priorities
 * and caps. The pane owning it fills its rows through callbacks and lets
 * table_arrange filter and order them (it knows the records). */
#ifndef VIRTMUX_TABLE_H
#define VIRTMUX_TABLE_H

#include <curses.h>

#include "theme.h"

enum table_kind {
    TABLE_TEXT,              /* sorts case-insensitively */
    TABLE_NUMBER,            /* sorts by the first number in the cell */
    TABLE_SIZE,              /* "1.5 GiB", "768 MiB": sorts by bytes */
};

struct table_col {
    const char *title;
    int width;               /* fixed cells; 0 = from the content */
    int min;                 /* at least (the title and its arrow always fit) */
    bool right;              /* right-aligned */
    enum table_kind kind;
    int cap;                 /* from the content, at most this while room is short */
    int prio;                /* higher keeps its room longer when the width is short */
    bool fill;               /* takes the room left over (descriptions, "Used by") */
};

struct table {
    const struct table_col *cols;
    int ncols;
    int nrows;
    int cur;                 /* cursor row */
    int top;                 /* first visible row */
    int height;              /* rows visible at the last paint */
    int sort_col;            /* -1: the pane's own order */
    bool sort_desc;
    bool rearrange;          /* filter or sort changed: the pane arranges again */
    char filter[256];
    bool cursor_if_focused;  /* no cursor row while another pane has the keys */
    void *opaque;
    /* Text and role of a cell; col -1 asks for a whole-row text (a group
     * header spanning all columns), returning false when the row is normal. */
    bool (*cell)(void *opaque, int row, int col, char *buf, size_t len,
                 enum theme_role *role);
    /* Optional: compare rows a and b by col (<0, 0, >0) where the text
     * does not order them (a state's rank); 0 falls back to the text. */
    int (*cmp)(void *opaque, int col, int a, int b);
};

/* Paint into w at its full size; focused shows the cursor highlighted. */
void table_paint(struct table *t, WINDOW *w, bool focused);
/* Cursor keys (Up/Down/j/k/PageUp/PageDown/Home/End/g/G), '<' '>' (sort
 * column), Esc (clears the filter); true if used. */
bool table_key(struct table *t, const char *key);
/* Keep the cursor on a row and in view. */
void table_clamp(struct table *t);
/* Put the cursor on the first row that is not a header (if any). */
void table_first_row(struct table *t);
/* Sort by col; the same column again reverses. Marks the rows to arrange. */
void table_sort_by(struct table *t, int col);
/* Set the filter text (NULL or "": none). Marks the rows to arrange. */
void table_filter(struct table *t, const char *text);
/* Column index by title (case-insensitive prefix), -1 if none. */
int table_col_find(const struct table *t, const char *name);
/* The pane's nrows rows, in groups led by header rows: keep the headers,
 * drop rows the filter does not match, sort each group by the sort column;
 * perm gets the old index of each new row (room for nrows); returns how
 * many. Clears rearrange. */
int table_arrange(struct table *t, int *perm);
/* Remember that pane shows t ('/' and ':sort' find it by its pane). */
void table_attach(struct table *t, const void *pane);
/* The table '/' and ':sort' act on: the focused pane's, else the current
 * view's list's; NULL when neither has one. Its pane in *pane if asked. */
struct table *table_focused(void **pane);

/* The pure parts (tests/unit/test-table.c). */
/* Widths of n columns with natural (content) widths nat in total cells
 * (one between columns); 0 hides a column. */
void table_widths(const struct table_col *cols, const int *nat, int n, int total,
                  int *w);
/* Compare two cell texts as kind sorts them. */
int table_cmp_text(enum table_kind kind, const char *a, const char *b);

#endif
