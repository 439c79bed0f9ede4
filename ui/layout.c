/* layout.c: where the panes go. A title line on top and the status line
 * at the bottom (ui.c); between them the current view's list with the
 * details pane beside it (wide terminals) or below it (tall ones), the
 * storage and snapshots views split in two, consoles and previews sharing
 * a side region, the jobs strip above the status line, the text viewer
 * over everything. A pane's window is made anew when it moves; a pane
 * whose size changed is told so here (its resize hook), not when it paints. */
#include <autoconf.h>

#include "model.h"
#include "ui.h"
#include "ui-priv.h"

/* The list a view shows (and whose keys work from its other panes). */
struct pane *
layout_view_pane(int v)
{
    return v == VIEW_NETWORKS ? pane_networks() : v == VIEW_STORAGE ? pane_pools()
         : v == VIEW_SNAPSHOTS ? pane_snapshots() : pane_domains();
}

static void
place(struct pane *p, bool visible, int y, int x, int h, int w)
{
    bool resized = h != p->h || w != p->w;

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
    if (resized && p->resize)
        p->resize(p);
}

/* Consoles and previews ("side panes") share a region: stacked, each
 * with an equal part. */
int
layout_side_count(void)
{
    return pane_console_count() + pane_vnc_count();
}

struct pane *
layout_side_get(int i)
{
    return i < pane_console_count() ? pane_console_get(i)
                                    : pane_vnc_get(i - pane_console_count());
}

static void
place_consoles(bool visible, int y, int x, int h, int w)
{
    int n = layout_side_count();

    for (int i = 0; i < n; i++) {
        int part = n ? h / n : h;
        int ph = i == n - 1 ? h - part * (n - 1) : part;

        place(layout_side_get(i), visible, y + part * i, x, ph, w);
    }
}

void
layout(void)
{
    int H = LINES, W = COLS, mh = H - 2;
    int jh = pane_jobs_height(H - 2);
    bool text = pane_text_open(), cons = layout_side_count() > 0;
    struct pane *dom = layout_view_pane(U.view);
    struct pane *det = pane_details(), *txt = pane_text();
    struct pane *vols = U.view == VIEW_SNAPSHOTS ? pane_snapdisks() : pane_volumes();

    U.epoch++;
    U.layout_dirty = false;
    for (int v = 0; v < VIEW_COUNT; v++) {
        if (layout_view_pane(v) != dom)
            place(layout_view_pane(v), false, 0, 0, 0, 0);
    }
    if (U.view != VIEW_STORAGE)
        place(pane_volumes(), false, 0, 0, 0, 0);
    if (U.view != VIEW_SNAPSHOTS)
        place(pane_snapdisks(), false, 0, 0, 0, 0);
    U.too_small = W < MIN_COLS || H < MIN_ROWS;
    if (U.title)
        delwin(U.title);
    if (U.status)
        delwin(U.status);
    U.title = newwin(1, W, 0, 0);
    U.status = newwin(1, W, H - 1, 0);
    U.bars_dirty = true;
    if (U.too_small) {
        place(dom, false, 0, 0, 0, 0);
        place(det, false, 0, 0, 0, 0);
        place(txt, false, 0, 0, 0, 0);
        place(vols, false, 0, 0, 0, 0);
        place_consoles(false, 0, 0, 0, 0);
        place(pane_jobs(), false, 0, 0, 0, 0);
        return;
    }
    /* the jobs strip: its rows come off the bottom of the main area first */
    place(pane_jobs(), jh > 0, H - 1 - jh, 0, jh, W);
    mh -= jh;
    if (U.view == VIEW_STORAGE || U.view == VIEW_SNAPSHOTS) {
        /* pools above (as many rows as they need, up to 2/5), volumes below;
         * or the snapshot tree above, its disks below */
        size_t rows = (size_t)model_nhosts() + 1;
        int ph;

        for (int h = 0; h < model_nhosts(); h++) {
            size_t k;

            model_pools(h, &k);
            rows += k;
        }
        ph = (int)rows + 1 < mh * 2 / 5 ? (int)rows + 1 : mh * 2 / 5;
        ph = ph < 3 ? 3 : ph;
        if (U.view == VIEW_SNAPSHOTS)
            ph = pane_snapshots_height(mh);
        place(txt, text, 1, 0, mh, W);
        place(det, false, 0, 0, 0, 0);
        place_consoles(false, 0, 0, 0, 0);
        place(dom, !text, 1, 0, ph, W);
        place(vols, !text, 1 + ph, 0, mh - ph, W);
        if (text)
            U.focus = txt;
        else if (U.focus != dom && U.focus != vols &&
                 !(U.focus == pane_jobs() && U.focus->visible))
            U.focus = dom;
        return;
    }
    place(txt, text, 1, 0, mh, W);
    if (!cons)
        U.zoom = false;
    if (cons && U.zoom) {
        place(dom, false, 0, 0, 0, 0);
        place(det, false, 0, 0, 0, 0);
        place_consoles(!text, 1, 0, mh, W);
    } else if (cons && W >= 110) {
        int cw = W * 11 / 20;

        place(dom, !text, 1, 0, mh, W - cw);
        place(det, false, 0, 0, 0, 0);
        place_consoles(!text, 1, W - cw, mh, cw);
    } else if (cons) {
        int ch = mh * 3 / 5;

        place(dom, !text, 1, 0, mh - ch, W);
        place(det, false, 0, 0, 0, 0);
        place_consoles(!text, 1 + mh - ch, 0, ch, W);
    } else if (U.show_details && W >= 110 && U.view == VIEW_DOMAINS) {
        int dw = W / 3 < 36 ? 36 : (W / 3 > 72 ? 72 : W / 3);

        place(dom, !text, 1, 0, mh, W - dw);
        place(det, !text, 1, W - dw, mh, dw);
    } else if (U.show_details && H >= 24) {
        int dh = mh * 2 / 5;

        place(dom, !text, 1, 0, mh - dh, W);
        place(det, !text, 1 + mh - dh, 0, dh, W);
    } else {
        place(dom, !text, 1, 0, mh, W);
        place(det, false, 0, 0, 0, 0);
    }
    if (text)
        U.focus = txt;
    else if (U.focus == txt || !U.focus || !U.focus->visible)
        U.focus = cons && U.view == VIEW_DOMAINS ? layout_side_get(layout_side_count() - 1) : dom;
}

