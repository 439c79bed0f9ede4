/* pane.h: what a pane is and the registry of pane kinds. A kind is one
 * const descriptor in its pane-*.c: its name (also its key table), the
 * view it belongs to, where the layout puts it, and its hooks. ui.c,
 * layout.c and commands.c only walk the registry (pane.c); adding a pane
 * is its file, one line in PANE_KINDS below and one in Makefile.am. */
#ifndef VIRTMUX_PANE_H
#define VIRTMUX_PANE_H

#include <curses.h>

#include "action.h"

struct pane_kind;

struct pane {
    const struct pane_kind *kind;
    WINDOW *win;
    int y, x, h, w;
    bool visible, dirty;
};

/* The views: each shows its list (a PLACE_LIST kind of that view). */
enum ui_view_kind { VIEW_DOMAINS, VIEW_NETWORKS, VIEW_STORAGE, VIEW_SNAPSHOTS, VIEW_COUNT };
#define VIEW_ANY -1

/* Where the layout puts a kind's panes. */
enum pane_place {
    PLACE_LIST,      /* the view's list: the main area, the upper part of a split view */
    PLACE_LOWER,     /* the lower part of a split view (the list's height hook) */
    PLACE_DETAILS,   /* beside or under the list, when details are on */
    PLACE_SIDE,      /* consoles and previews: a region shared by all of them */
    PLACE_STRIP,     /* above the status line, as tall as its height hook says */
    PLACE_OVER,      /* over the main area while its shown hook says so */
};

struct pane_kind {
    const char *name;        /* and its key table ("domains", "console") */
    int view;                /* VIEW_*, or VIEW_ANY */
    enum pane_place place;
    /* A fixed kind: its one pane (made on the first call). */
    struct pane *(*get)(void);
    /* A kind opened on demand (consoles, previews): how many, the i-th. */
    int (*count)(void);
    struct pane *(*nth)(int i);
    void (*paint)(struct pane *p);
    bool (*key)(struct pane *p, const char *key);
    /* The layout gave p a new size (h, w), before it paints (or NULL). */
    void (*resize)(struct pane *p);
    /* Its view was chosen (again: it was showing already); it was left. */
    void (*opened)(bool again);
    void (*closed)(void);
    /* Rows wanted out of avail: a split view's list, a strip (0: hidden). */
    int (*height)(int avail);
    /* An overlay: whether it is open. */
    bool (*shown)(void);
    /* Fill the fields of ctx that p's selection knows (host, domain,
     * network, pool, volume, snapshot); leave the others. */
    void (*select)(struct pane *p, struct act_ctx *ctx);
    /* p takes every key (a guest's input mode). */
    bool (*input)(const struct pane *p);
    /* Where the terminal's cursor goes in p, false for nowhere. */
    bool (*cursor)(struct pane *p, int *y, int *x);
    /* A UI operation of its key table (input, close, scroll WHERE...);
     * false when it does not apply. */
    bool (*op)(struct pane *p, enum act_ui_op op, const char *arg);
    /* At ui_end: close its panes, free what it holds. */
    void (*free)(void);
};

/* The registered kinds, in PANE_KINDS order. */
size_t pane_kind_count(void);
const struct pane_kind *pane_kind_nth(size_t i);
/* Every pane there is now, in registry order, at most max; returns n. */
int pane_all(struct pane **v, int max);
#define PANE_MAX 32
/* The panes of a place (and view, unless VIEW_ANY) in order; returns n. */
int pane_at(enum pane_place place, int view, struct pane **v, int max);
/* p's selection into ctx (nothing when it has none). */
void pane_select(struct pane *p, struct act_ctx *ctx);
/* p (NULL: none) takes every key. */
bool pane_input(const struct pane *p);
/* Every kind's free hook (ui_end). */
void pane_free_all(void);

/* The registry: one line per kind, in order (Tab and painting follow
 * it); each names the descriptor pane_kind_NAME its pane-*.c defines. */
#define PANE_KINDS(X) \
    X(domains) \
    X(networks) \
    X(pools) \
    X(volumes) \
    X(snapshots) \
    X(snapdisks) \
    X(details) \
    X(text) \
    X(console) \
    X(vnc) \
    X(jobs)

#define PANE_KIND_DECLARE(k) extern const struct pane_kind pane_kind_##k;
PANE_KINDS(PANE_KIND_DECLARE)
#undef PANE_KIND_DECLARE

#endif
