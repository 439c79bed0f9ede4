/* ui-priv.h: what ui.c and layout.c share (not for the panes). */
#ifndef VIRTMUX_UI_PRIV_H
#define VIRTMUX_UI_PRIV_H

#include <curses.h>

#include "ui.h"

/* under this, a notice instead of the panes */
#define MIN_COLS 40
#define MIN_ROWS 8

struct ui_state {
    WINDOW *title, *status, *in;
    struct pane *focus;
    struct pane *focus_under;  /* what had the focus when an overlay opened */
    bool started, suspended, layout_dirty, bars_dirty, too_small;
    int stdin_id, tick_id, notify_id;
    bool show_details;
    bool zoom;
    enum ui_view_kind view;  /* domains, networks, storage or snapshots */
    unsigned epoch;          /* ui_epoch() */
};

extern struct ui_state U;

/* layout.c: place every pane for the terminal's size and the view. */
void layout(void);
/* The overlay that is open (the text viewer), NULL for none. */
struct pane *layout_overlay(void);

/* The geometry alone, without curses (tests/unit/test-layout.c): what
 * the main area holds for a terminal size and the panes there are. */
struct layout_in {
    int rows, cols;          /* the terminal's */
    int strips;              /* rows the strips took above the status line */
    bool split;              /* the view has a lower pane */
    int (*list_height)(int avail);   /* a split view's list rows (NULL: half) */
    bool over;               /* an overlay is open: the rest hidden */
    bool side;               /* consoles or previews are open */
    bool zoom;               /* they take the whole area */
    bool details;            /* details on */
    bool beside;             /* the view's details may sit beside the list */
};
enum layout_slot { SLOT_LIST, SLOT_LOWER, SLOT_DETAILS, SLOT_SIDE, SLOT_OVER, SLOT_COUNT };
struct layout_box {
    bool on;                 /* shown (off: the pane hides, whatever the rest) */
    int y, x, h, w;
};
void layout_plan(const struct layout_in *in, struct layout_box box[SLOT_COUNT]);
/* The i-th of n panes stacked in region, each an equal part (the last
 * the rest). */
void layout_stack(const struct layout_box *region, int i, int n, struct layout_box *out);

#endif
