/* pane.c: the registry of pane kinds (PANE_KINDS in pane.h) and the
 * walks over it: every pane there is (the fixed ones and those opened on
 * demand, in registry order), the panes of a place, a pane's selection as
 * a command context, teardown. Nothing here knows a kind by name. */
#include <autoconf.h>

#include "pane.h"
#include "util.h"

#define PANE_KIND_REF(k) &pane_kind_##k,
static const struct pane_kind *const kinds[] = { PANE_KINDS(PANE_KIND_REF) };
#undef PANE_KIND_REF

size_t
pane_kind_count(void)
{
    return ARRAY_CARDINALITY(kinds);
}

const struct pane_kind *
pane_kind_nth(size_t i)
{
    return i < ARRAY_CARDINALITY(kinds) ? kinds[i] : NULL;
}

/* The panes of kind k after v[n], at most max in all; returns the new n. */
static int
add_kind(const struct pane_kind *k, struct pane **v, int n, int max)
{
    if (k->get) {
        if (n < max)
            v[n++] = k->get();
        return n;
    }
    for (int i = 0; k->count && i < k->count() && n < max; i++)
        v[n++] = k->nth(i);
    return n;
}

int
pane_all(struct pane **v, int max)
{
    int n = 0;

    for (size_t i = 0; i < ARRAY_CARDINALITY(kinds); i++)
        n = add_kind(kinds[i], v, n, max);
    return n;
}

int
pane_at(enum pane_place place, int view, struct pane **v, int max)
{
    int n = 0;

    for (size_t i = 0; i < ARRAY_CARDINALITY(kinds); i++) {
        if (kinds[i]->place == place && (view == VIEW_ANY || kinds[i]->view == view))
            n = add_kind(kinds[i], v, n, max);
    }
    return n;
}

void
pane_select(struct pane *p, struct act_ctx *ctx)
{
    if (p && p->kind->select)
        p->kind->select(p, ctx);
}

bool
pane_input(const struct pane *p)
{
    return p && p->kind->input && p->kind->input(p);
}

void
pane_free_all(void)
{
    for (size_t i = 0; i < ARRAY_CARDINALITY(kinds); i++) {
        if (kinds[i]->free)
            kinds[i]->free();
    }
}
