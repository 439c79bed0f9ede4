/* table.h: the one list widget. Columns, a cursor, scrolling, a sort column
 * and a filter; the pane owning it supplies rows through callbacks and
 * keeps the row order (it knows the records). */
#ifndef VIRTMUX_TABLE_H
#define VIRTMUX_TABLE_H

#include <curses.h>

#include "theme.h"

struct table_col {
    const char *title;
    int width;               /* cells; 0 = takes the remaining width */
    int min;                 /* for the flexible column */
    bool right;              /* right-aligned */
};

struct table {
    const struct table_col *cols;
    int ncols;
    int nrows;
    int cur;                 /* cursor row */
    int top;                 /* first visible row */
    int height;              /* rows visible at the last paint */
    int sort_col;
    bool sort_desc;
    char filter[256];
    bool cursor_if_focused;  /* no cursor row while another pane has the keys */
    void *opaque;
    /* Text and role of a cell; col -1 asks for a whole-row text (a group
     * header spanning all columns), returning false when the row is normal. */
    bool (*cell)(void *opaque, int row, int col, char *buf, size_t len,
                 enum theme_role *role);
};

/* Paint into w at its full size; focused shows the cursor highlighted. */
void table_paint(struct table *t, WINDOW *w, bool focused);
/* Cursor keys (Up/Down/j/k/PageUp/PageDown/Home/End/g/G); true if used. */
bool table_key(struct table *t, const char *key);
void table_clamp(struct table *t);
/* Cycle the sort column (dir +1/-1) or set it; same column reverses. */
void table_sort_by(struct table *t, int col);
/* Column index by title (case-insensitive prefix), -1 if none. */
int table_col_find(const struct table *t, const char *name);

#endif
