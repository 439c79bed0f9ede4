/* snaptree.h: a domain's snapshots as a tree, the way `virsh snapshot-list
 * --tree` and tree(1) show it: parents before their children, children by
 * creation time, each row with its depth and the ├─ └─ │ prefix (ASCII
 * when the terminal is not UTF-8). Pure; no recursion, so hundreds of
 * snapshots and chains of any depth are fine; cycles and snapshots whose
 * parent is missing become roots instead of disappearing. */
#ifndef VIRTMUX_SNAPTREE_H
#define VIRTMUX_SNAPTREE_H

#include <stdbool.h>
#include <stddef.h>

struct snaptree_in {
    const char *name;
    const char *parent;      /* NULL: a root */
    long long created;
};

/* Rows deeper than this carry only their last SNAPTREE_LEVELS levels of
 * prefix (memory stays linear in the number of snapshots). */
#define SNAPTREE_LEVELS 128

struct snaptree_row {
    size_t idx;              /* index into the input */
    int depth;               /* 0 for a root */
    char *prefix;            /* "│  ├─ " ...: 3 cells a level ("" for a root) */
};

/* All n inputs as rows in tree order (n rows; NULL when n is 0). Caller
 * frees with snaptree_free. */
struct snaptree_row *snaptree_build(const struct snaptree_in *v, size_t n, bool utf8);
void snaptree_free(struct snaptree_row *rows, size_t n);
/* The row after the last descendant of rows[r] (its subtree is r+1 ..
 * end-1). */
size_t snaptree_subtree_end(const struct snaptree_row *rows, size_t n, size_t r);
/* The row of input idx, or n. */
size_t snaptree_row_of(const struct snaptree_row *rows, size_t n, size_t idx);

#endif
