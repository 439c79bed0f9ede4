/* snaptree.c: order snapshots as a tree with an explicit stack (a chain
 * of thousands cannot overflow anything). Parents are found by name
 * through a hash; children are sorted by creation time, then name.
 * Snapshots no root reaches (a parent missing, or a cycle) start trees of
 * their own, the oldest first, so every input appears exactly once. */
#include <autoconf.h>

#include <stdlib.h>
#include <string.h>

#include "hmap.h"
#include "snaptree.h"
#include "util.h"

static const struct snaptree_in *V;     /* for the qsort comparators */

static int
cmp_idx(const void *a, const void *b)
{
    const struct snaptree_in *x = &V[*(const size_t *)a], *y = &V[*(const size_t *)b];
    int r;

    if (x->created != y->created)
        return x->created < y->created ? -1 : 1;
    r = strcmp(x->name ? x->name : "", y->name ? y->name : "");
    if (r)
        return r;
    return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

struct frame {
    size_t idx;
    int depth;
    bool last;               /* the last of its siblings */
};

static char *
prefix(const bool *last_at, int depth, bool utf8)
{
    const char *bar = utf8 ? "\xe2\x94\x82  " : "|  ";
    const char *tee = utf8 ? "\xe2\x94\x9c\xe2\x94\x80 " : "|- ";
    const char *ell = utf8 ? "\xe2\x94\x94\xe2\x94\x80 " : "`- ";
    int from = depth > SNAPTREE_LEVELS ? depth - SNAPTREE_LEVELS + 1 : 1;
    size_t o = 0;
    char *p = xmalloc((size_t)(depth - from + 1) * 9 + 1);

    /* level 1 .. depth-1: a bar where that ancestor has siblings below */
    for (int l = from; l < depth; l++) {
        const char *s = last_at[l] ? "   " : bar;

        memcpy(p + o, s, strlen(s));
        o += strlen(s);
    }
    if (depth > 0) {
        const char *s = last_at[depth] ? ell : tee;

        memcpy(p + o, s, strlen(s));
        o += strlen(s);
    }
    p[o] = '\0';
    return p;
}

struct snaptree_row *
snaptree_build(const struct snaptree_in *v, size_t n, bool utf8)
{
    struct hmap *by_name;
    size_t *parent, *nkids, *kids_at, *kids, *roots, nroots = 0, nrows = 0;
    bool *seen, *last_at;
    struct frame *stack;
    struct snaptree_row *rows;
    size_t sp = 0;

    if (n == 0)
        return NULL;
    V = v;
    by_name = hmap_new();
    parent = xcalloc(n, sizeof(*parent));
    nkids = xcalloc(n + 1, sizeof(*nkids));
    kids_at = xcalloc(n + 1, sizeof(*kids_at));
    kids = xcalloc(n, sizeof(*kids));
    roots = xcalloc(n, sizeof(*roots));
    seen = xcalloc(n, sizeof(*seen));
    last_at = xcalloc(n + 1, sizeof(*last_at));
    stack = xcalloc(n, sizeof(*stack));
    rows = xcalloc(n, sizeof(*rows));

    /* the first of duplicate names is the one children hang under */
    for (size_t i = n; i-- > 0;) {
        if (v[i].name)
            hmap_put(by_name, v[i].name, (void *)(uintptr_t)(i + 1));
    }
    for (size_t i = 0; i < n; i++) {
        size_t p = v[i].parent ? (size_t)(uintptr_t)hmap_get(by_name, v[i].parent) : 0;

        parent[i] = p && p - 1 != i ? p - 1 : n;     /* n: no parent */
        nkids[parent[i]]++;
    }
    /* children grouped by parent (counting sort), each group by time */
    for (size_t i = 1; i <= n; i++)
        kids_at[i] = kids_at[i - 1] + nkids[i - 1];
    memset(nkids, 0, (n + 1) * sizeof(*nkids));
    for (size_t i = 0; i < n; i++) {
        if (parent[i] < n)
            kids[kids_at[parent[i]] + nkids[parent[i]]++] = i;
        else
            roots[nroots++] = i;
    }
    for (size_t i = 0; i < n; i++)
        qsort(kids + kids_at[i], nkids[i], sizeof(*kids), cmp_idx);
    qsort(roots, nroots, sizeof(*roots), cmp_idx);

    for (size_t r = 0;; r++) {
        size_t start;

        if (r < nroots) {
            start = roots[r];
        } else {
            /* cycles: the oldest snapshot nothing reached starts a tree */
            start = n;
            for (size_t i = 0; i < n; i++) {
                if (!seen[i] && (start == n || cmp_idx(&i, &start) < 0))
                    start = i;
            }
            if (start == n)
                break;
        }
        if (seen[start])
            continue;
        seen[start] = true;
        stack[sp++] = (struct frame){ start, 0, true };
        while (sp) {
            struct frame f = stack[--sp];
            bool last = true;

            last_at[f.depth] = f.last;
            rows[nrows].idx = f.idx;
            rows[nrows].depth = f.depth;
            rows[nrows++].prefix = prefix(last_at, f.depth, utf8);
            /* the unseen children, pushed last-first so the first pops first */
            for (size_t k = nkids[f.idx]; k-- > 0;) {
                size_t c = kids[kids_at[f.idx] + k];

                if (seen[c])
                    continue;
                seen[c] = true;
                stack[sp++] = (struct frame){ c, f.depth + 1, last };
                last = false;
            }
        }
    }
    hmap_free(by_name);
    free(parent);
    free(nkids);
    free(kids_at);
    free(kids);
    free(roots);
    free(seen);
    free(last_at);
    free(stack);
    return rows;
}

void
snaptree_free(struct snaptree_row *rows, size_t n)
{
    for (size_t i = 0; rows && i < n; i++)
        free(rows[i].prefix);
    free(rows);
}

size_t
snaptree_subtree_end(const struct snaptree_row *rows, size_t n, size_t r)
{
    size_t e = r + 1;

    while (e < n && rows[e].depth > rows[r].depth)
        e++;
    return e;
}

size_t
snaptree_row_of(const struct snaptree_row *rows, size_t n, size_t idx)
{
    for (size_t r = 0; r < n; r++) {
        if (rows[r].idx == idx)
            return r;
    }
    return n;
}
