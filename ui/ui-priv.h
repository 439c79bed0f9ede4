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

#endif
