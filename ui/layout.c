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

#include "log.h"
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

/* A view split in two (a list above, a lower pane) has no room for the
 * consoles and previews: they show in the others. */
void
ui_view_for_side(void)
{
    struct pane *lower[PANE_MAX];

    if (pane_at(PLACE_LOWER, U.view, lower, PANE_MAX) > 0) {
        log_msg(LOG_INFO, "Consoles and previews show in the domains view (1)");
        ui_view(NULL);
    }
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
    /* hidden details need no fresh addresses; shown, they follow the
     * domains' selection again */
    if (!U.show_details) {
        host_unwant(HOST_WANT_DETAILS);
    } else if (U.view == VIEW_DOMAINS) {
        struct act_ctx ctx = { .host = -1 };

        pane_select(ui_view_pane(VIEW_DOMAINS), &ctx);
        pane_details_follow(ctx.host, ctx.uuid);
    }
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

/* Every pane of a place hidden (any view), before the one shown is placed. */
static void
hide(enum pane_place where)
{
    struct pane *v[PANE_MAX];
    int n = pane_at(where, VIEW_ANY, v, PANE_MAX);

    for (int i = 0; i < n; i++)
        place(v[i], false, 0, 0, 0, 0);
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

static void
set_box(struct layout_box *b, bool on, int y, int x, int h, int w)
{
    *b = (struct layout_box){ on, y, x, h, w };
}

void
layout_plan(const struct layout_in *in, struct layout_box box[SLOT_COUNT])
{
    int H = in->rows, W = in->cols, mh = H - 2 - in->strips;
    bool show = !in->over;

    for (int i = 0; i < SLOT_COUNT; i++)
        set_box(&box[i], false, 0, 0, 0, 0);
    set_box(&box[SLOT_OVER], in->over, 1, 0, mh, W);
    if (in->split) {
        /* the list above (as tall as it asks), the lower pane below */
        int ph = in->list_height ? in->list_height(mh) : mh / 2;

        set_box(&box[SLOT_LIST], show, 1, 0, ph, W);
        set_box(&box[SLOT_LOWER], show, 1 + ph, 0, mh - ph, W);
    } else if (in->side && in->zoom) {
        set_box(&box[SLOT_SIDE], show, 1, 0, mh, W);
    } else if (in->side && W >= 110) {
        int cw = W * 11 / 20;

        set_box(&box[SLOT_LIST], show, 1, 0, mh, W - cw);
        set_box(&box[SLOT_SIDE], show, 1, W - cw, mh, cw);
    } else if (in->side) {
        int ch = mh * 3 / 5;

        set_box(&box[SLOT_LIST], show, 1, 0, mh - ch, W);
        set_box(&box[SLOT_SIDE], show, 1 + mh - ch, 0, ch, W);
    } else if (in->details && W >= 110 && in->beside) {
        int dw = W / 3 < 36 ? 36 : (W / 3 > 72 ? 72 : W / 3);

        set_box(&box[SLOT_LIST], show, 1, 0, mh, W - dw);
        set_box(&box[SLOT_DETAILS], show, 1, W - dw, mh, dw);
    } else if (in->details && H >= 24) {
        int dh = mh * 2 / 5;

        set_box(&box[SLOT_LIST], show, 1, 0, mh - dh, W);
        set_box(&box[SLOT_DETAILS], show, 1 + mh - dh, 0, dh, W);
    } else {
        set_box(&box[SLOT_LIST], show, 1, 0, mh, W);
    }
}

void
layout_stack(const struct layout_box *region, int i, int n, struct layout_box *out)
{
    int part = n ? region->h / n : region->h;

    set_box(out, region->on, region->y + part * i, region->x,
            i == n - 1 ? region->h - part * (n - 1) : part, region->w);
}

static void
place_box(struct pane *p, const struct layout_box *b)
{
    place(p, b->on, b->y, b->x, b->h, b->w);
}

void
layout(void)
{
    int H = LINES, W = COLS;
    struct pane *list = ui_view_pane(U.view), *lower = first_at(PLACE_LOWER, U.view);
    struct pane *all[PANE_MAX], *side[PANE_MAX];
    int n = pane_all(all, PANE_MAX), nside = pane_at(PLACE_SIDE, VIEW_ANY, side, PANE_MAX);
    struct layout_in in = { .rows = H, .cols = W, .split = lower != NULL,
                            .list_height = list->kind->height, .side = nside > 0,
                            .details = U.show_details, .beside = U.view == VIEW_DOMAINS };
    struct layout_box box[SLOT_COUNT];
    struct pane *over = layout_overlay();
    bool strip_focused;

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
    in.strips = place_strips(H, W, !U.too_small);
    if (U.too_small) {
        for (int i = 0; i < n; i++)
            place(all[i], false, 0, 0, 0, 0);
        return;
    }
    if (!in.side && !in.split)
        U.zoom = false;                  /* nothing to zoom: zoom ends */
    in.zoom = U.zoom;
    in.over = over != NULL;
    layout_plan(&in, box);
    strip_focused = U.focus && U.focus->kind->place == PLACE_STRIP && U.focus->visible;
    hide(PLACE_OVER);
    place_box(over, &box[SLOT_OVER]);
    hide(PLACE_DETAILS);
    place_box(first_at(PLACE_DETAILS, VIEW_ANY), &box[SLOT_DETAILS]);
    place_box(list, &box[SLOT_LIST]);
    place_box(lower, &box[SLOT_LOWER]);
    for (int i = 0; i < nside; i++) {
        struct layout_box b;

        layout_stack(&box[SLOT_SIDE], i, nside, &b);
        place_box(side[i], &b);
    }
    /* an overlay (the viewer) takes the focus and gives it back on closing */
    if (over && U.focus != over)
        U.focus_under = U.focus;
    if (!over && U.focus && U.focus->kind->place == PLACE_OVER) {
        U.focus = U.focus_under && U.focus_under->visible ? U.focus_under : NULL;
        U.focus_under = NULL;
    }
    if (over)
        U.focus = over;
    else if (lower && U.focus != list && U.focus != lower && !strip_focused)
        U.focus = list;
    else if (!lower && (!U.focus || !U.focus->visible || U.focus->kind->place == PLACE_OVER))
        U.focus = in.side && U.view == VIEW_DOMAINS ? side[nside - 1] : list;
}
