/* layout.c: the views and where the panes go, from the registry's
 * placement data (pane.h). A title line on top and the status line at the
 * bottom (ui.c); between them the current view's list with the details
 * beside it (wide terminals) or below it (tall ones), or, in a view with
 * a lower pane (storage, snapshots), the list above and that pane below;
 * consoles and previews share a side region (or the whole area, zoomed);
 * strips (jobs) sit above the status line in every view; an overlay (the
 * text viewer) covers the main area while open. A pane's window is made
 * anew when it moves; a pane whose size changed is told so here (its
 * resize hook), not when it paints. */
#include <autoconf.h>

#include "ui.h"
#include "ui-priv.h"

/* The views by number, with the prefixes that name them (":view pools"). */
static const struct {
    const char *prefixes[4];
} views[VIEW_COUNT] = {
    [VIEW_DOMAINS] = { { "dom" } },
    [VIEW_NETWORKS] = { { "net" } },
    [VIEW_STORAGE] = { { "sto", "pool", "vol" } },
    [VIEW_SNAPSHOTS] = { { "snap" } },
};

/* The first pane of a place in view v, NULL when there is none. */
static struct pane *
first_at(enum pane_place place, int v)
{
    struct pane *p[PANE_MAX];

    return pane_at(place, v, p, PANE_MAX) > 0 ? p[0] : NULL;
}

struct pane *
ui_view_pane(int v)
{
    return first_at(PLACE_LIST, v);
}

struct pane *
layout_overlay(void)
{
    for (size_t i = 0; i < pane_kind_count(); i++) {
        const struct pane_kind *k = pane_kind_nth(i);

        if (k->place == PLACE_OVER && k->get && k->shown && k->shown())
            return k->get();
    }
    return NULL;
}

/* Call the opened or closed hooks of view v's kinds. */
static void
view_hooks(int v, bool open, bool again)
{
    for (size_t i = 0; i < pane_kind_count(); i++) {
        const struct pane_kind *k = pane_kind_nth(i);

        if (k->view != v)
            continue;
        if (open && k->opened)
            k->opened(again);
        else if (!open && k->closed)
            k->closed();
    }
}

void
ui_view(const char *name)
{
    int v = ui_view_parse(name);
    bool again = (enum ui_view_kind)v == U.view;

    if (!again)
        view_hooks(U.view, false, false);
    U.view = (enum ui_view_kind)v;
    U.focus = ui_view_pane(v);
    view_hooks(v, true, again);
    ui_relayout();
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
    if (!name)
        return VIEW_DOMAINS;
    for (int v = 0; v < VIEW_COUNT; v++) {
        for (size_t i = 0; i < ARRAY_CARDINALITY(views[v].prefixes) && views[v].prefixes[i]; i++) {
            if (STRPREFIX(name, views[v].prefixes[i]))
                return v;
        }
    }
    return -1;
}

void
ui_zoom_toggle(void)
{
    U.zoom = !U.zoom;
    ui_relayout();
}

void
ui_toggle_details(void)
{
    U.show_details = !U.show_details;
    ui_relayout();
}

void
ui_set_details(bool on)
{
    U.show_details = on;
    U.layout_dirty = true;
}

static void
place(struct pane *p, bool visible, int y, int x, int h, int w)
{
    bool resized;

    if (!p)
        return;
    resized = h != p->h || w != p->w;
    p->visible = visible && h > 0 && w > 0;
    if (p->win) {
        delwin(p->win);
        p->win = NULL;
    }
    if (!p->visible)
        return;
    p->y = y;
    p->x = x;
    p->h = h;
    p->w = w;
    p->win = newwin(h, w, y, x);
    p->dirty = true;
    if (resized && p->kind->resize)
        p->kind->resize(p);
}

/* Every pane of a place hidden (any view). */
static void
hide(enum pane_place where)
{
    struct pane *v[PANE_MAX];
    int n = pane_at(where, VIEW_ANY, v, PANE_MAX);

    for (int i = 0; i < n; i++)
        place(v[i], false, 0, 0, 0, 0);
}

/* Consoles and previews ("side panes") share a region: stacked, each
 * with an equal part. */
static void
place_side(bool visible, int y, int x, int h, int w)
{
    struct pane *v[PANE_MAX];
    int n = pane_at(PLACE_SIDE, VIEW_ANY, v, PANE_MAX);

    for (int i = 0; i < n; i++) {
        int part = n ? h / n : h;
        int ph = i == n - 1 ? h - part * (n - 1) : part;

        place(v[i], visible, y + part * i, x, ph, w);
    }
}

/* Strips from the bottom of the main area up, each as tall as it asks
 * (asked once per pass, too small or not); returns the rows they took. */
static int
place_strips(int H, int W, bool visible)
{
    struct pane *v[PANE_MAX];
    int n = pane_at(PLACE_STRIP, VIEW_ANY, v, PANE_MAX), used = 0;

    for (int i = 0; i < n; i++) {
        int h = v[i]->kind->height ? v[i]->kind->height(H - 2 - used) : 0;

        place(v[i], visible && h > 0, H - 1 - used - h, 0, h, W);
        if (visible)
            used += h;
    }
    return used;
}

/* The views with a lower pane: the list above (as tall as its height
 * hook says), the lower pane below, no details, no consoles. */
static void
layout_split(struct pane *list, struct pane *lower, struct pane *over, int mh, int W)
{
    int ph = list->kind->height ? list->kind->height(mh) : mh / 2;
    bool strip_focused = U.focus && U.focus->kind->place == PLACE_STRIP && U.focus->visible;

    hide(PLACE_DETAILS);
    place_side(false, 0, 0, 0, 0);
    place(list, !over, 1, 0, ph, W);
    place(lower, !over, 1 + ph, 0, mh - ph, W);
    if (over)
        U.focus = over;
    else if (U.focus != list && U.focus != lower && !strip_focused)
        U.focus = list;
}

void
layout(void)
{
    int H = LINES, W = COLS, mh = H - 2;
    struct pane *list = ui_view_pane(U.view), *lower = first_at(PLACE_LOWER, U.view);
    struct pane *det = first_at(PLACE_DETAILS, VIEW_ANY), *over = layout_overlay();
    struct pane *all[PANE_MAX], *side[PANE_MAX];
    int n = pane_all(all, PANE_MAX), nside = pane_at(PLACE_SIDE, VIEW_ANY, side, PANE_MAX);
    bool cons = nside > 0;

    U.epoch++;
    U.layout_dirty = false;
    /* the other views' panes */
    for (int i = 0; i < n; i++) {
        int v = all[i]->kind->view;

        if (v != VIEW_ANY && v != (int)U.view)
            place(all[i], false, 0, 0, 0, 0);
    }
    U.too_small = W < MIN_COLS || H < MIN_ROWS;
    if (U.title)
        delwin(U.title);
    if (U.status)
        delwin(U.status);
    U.title = newwin(1, W, 0, 0);
    U.status = newwin(1, W, H - 1, 0);
    U.bars_dirty = true;
    /* the strips' rows come off the bottom of the main area first */
    mh -= place_strips(H, W, !U.too_small);
    if (U.too_small) {
        for (int i = 0; i < n; i++)
            place(all[i], false, 0, 0, 0, 0);
        return;
    }
    hide(PLACE_OVER);
    place(over, true, 1, 0, mh, W);
    if (lower) {
        layout_split(list, lower, over, mh, W);
        return;
    }
    if (!cons)
        U.zoom = false;
    if (cons && U.zoom) {
        place(list, false, 0, 0, 0, 0);
        place(det, false, 0, 0, 0, 0);
        place_side(!over, 1, 0, mh, W);
    } else if (cons && W >= 110) {
        int cw = W * 11 / 20;

        place(list, !over, 1, 0, mh, W - cw);
        place(det, false, 0, 0, 0, 0);
        place_side(!over, 1, W - cw, mh, cw);
    } else if (cons) {
        int ch = mh * 3 / 5;

        place(list, !over, 1, 0, mh - ch, W);
        place(det, false, 0, 0, 0, 0);
        place_side(!over, 1 + mh - ch, 0, ch, W);
    } else if (U.show_details && W >= 110 && U.view == VIEW_DOMAINS) {
        int dw = W / 3 < 36 ? 36 : (W / 3 > 72 ? 72 : W / 3);

        place(list, !over, 1, 0, mh, W - dw);
        place(det, !over, 1, W - dw, mh, dw);
    } else if (U.show_details && H >= 24) {
        int dh = mh * 2 / 5;

        place(list, !over, 1, 0, mh - dh, W);
        place(det, !over, 1 + mh - dh, 0, dh, W);
    } else {
        place(list, !over, 1, 0, mh, W);
        place(det, false, 0, 0, 0, 0);
    }
    if (over)
        U.focus = over;
    else if (U.focus == NULL || !U.focus->visible || U.focus->kind->place == PLACE_OVER)
        U.focus = cons && U.view == VIEW_DOMAINS ? side[nside - 1] : list;
}
