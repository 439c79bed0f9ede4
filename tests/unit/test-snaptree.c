/* The snapshot tree as the snapshots view draws it: parents first,
 * children by creation time, tree(1)'s prefixes in UTF-8 and ASCII, and
 * nothing lost or looping on what libvirt should never send but a broken
 * metadata directory can: cycles, missing parents, duplicate names,
 * 500 snapshots in a chain 60 deep. */
#include <autoconf.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "snaptree.h"
#include "util.h"

/* "prefix+name" per row, joined by newlines (caller frees). */
static char *
render(const struct snaptree_in *v, size_t n, bool utf8)
{
    struct snaptree_row *rows = snaptree_build(v, n, utf8);
    char *out = xstrdup("");

    for (size_t r = 0; r < n; r++) {
        char *t = xasprintf("%s%s%s\n", out, rows[r].prefix, v[rows[r].idx].name);

        free(out);
        out = t;
    }
    snaptree_free(rows, n);
    return out;
}

static void
test_tree(void **state)
{
    /* given out of order; children sorted by time, then name */
    static const struct snaptree_in v[] = {
        { "upgrade", "installed", 300 },
        { "base", NULL, 100 },
        { "with-db", "installed", 250 },
        { "installed", "base", 200 },
        { "patched", "upgrade", 400 },
        { "other-root", NULL, 150 },
        { "tweak", "with-db", 260 },
    };
    AUTOFREE char *u = render(v, 7, true);
    AUTOFREE char *a = render(v, 7, false);

    assert_string_equal(u,
        "base\n"
        "\xe2\x94\x94\xe2\x94\x80 installed\n"
        "   \xe2\x94\x9c\xe2\x94\x80 with-db\n"
        "   \xe2\x94\x82  \xe2\x94\x94\xe2\x94\x80 tweak\n"
        "   \xe2\x94\x94\xe2\x94\x80 upgrade\n"
        "      \xe2\x94\x94\xe2\x94\x80 patched\n"
        "other-root\n");
    assert_string_equal(a,
        "base\n"
        "`- installed\n"
        "   |- with-db\n"
        "   |  `- tweak\n"
        "   `- upgrade\n"
        "      `- patched\n"
        "other-root\n");
}

static void
test_depth_and_subtree(void **state)
{
    static const struct snaptree_in v[] = {
        { "a", NULL, 1 }, { "b", "a", 2 }, { "c", "b", 3 }, { "d", "a", 4 }, { "e", NULL, 5 },
    };
    struct snaptree_row *rows = snaptree_build(v, 5, true);
    size_t ra = snaptree_row_of(rows, 5, 0), rb = snaptree_row_of(rows, 5, 1);

    assert_int_equal(ra, 0);
    assert_int_equal(rows[ra].depth, 0);
    assert_int_equal(rows[rb].depth, 1);
    assert_int_equal(rows[snaptree_row_of(rows, 5, 2)].depth, 2);
    /* a's subtree: b, c, d; b's: c */
    assert_int_equal(snaptree_subtree_end(rows, 5, ra), 4);
    assert_int_equal(snaptree_subtree_end(rows, 5, rb), rb + 2);
    assert_int_equal(snaptree_row_of(rows, 5, 99), 5);
    snaptree_free(rows, 5);
    assert_null(snaptree_build(v, 0, true));
}

static void
test_orphans_and_cycles(void **state)
{
    static const struct snaptree_in v[] = {
        { "orphan", "deleted-long-ago", 50 },
        { "x", "y", 10 },            /* x <-> y: a cycle */
        { "y", "x", 20 },
        { "self", "self", 30 },      /* its own parent */
        { "root", NULL, 40 },
        { "kid", "root", 41 },
    };
    AUTOFREE char *a = render(v, 6, false);

    /* roots (its own parent, a missing one, none) by time, then the
     * cycle from its oldest */
    assert_string_equal(a,
        "self\n"
        "root\n"
        "`- kid\n"
        "orphan\n"
        "x\n"
        "`- y\n");
}

static void
test_duplicates_and_nulls(void **state)
{
    static const struct snaptree_in v[] = {
        { "dup", NULL, 1 }, { "dup", NULL, 2 }, { "kid", "dup", 3 }, { "", "", 4 },
    };
    struct snaptree_row *rows = snaptree_build(v, 4, true);
    int seen[4] = { 0 };

    for (size_t r = 0; r < 4; r++)
        seen[rows[r].idx]++;
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(seen[i], 1);
    /* the child hangs under the first 'dup' */
    assert_int_equal(rows[1].idx, 2);
    assert_int_equal(rows[1].depth, 1);
    snaptree_free(rows, 4);
}

/* 500 snapshots: a chain 60 deep with 440 branches off it, given newest
 * first; every one appears once, the chain's end at depth 59. */
static void
test_big_and_deep(void **state)
{
    enum { N = 500, CHAIN = 60 };
    struct snaptree_in *v = xcalloc(N, sizeof(*v));
    char (*names)[16] = xcalloc(N, sizeof(*names));
    char (*parents)[16] = xcalloc(N, sizeof(*parents));
    struct snaptree_row *rows;
    int *seen = xcalloc(N, sizeof(*seen));
    int maxdepth = 0;

    for (int i = 0; i < N; i++) {
        int k = N - 1 - i;           /* newest first */

        snprintf(names[k], sizeof(names[k]), "s%03d", i);
        if (i > 0)
            snprintf(parents[k], sizeof(parents[k]), "s%03d", i < CHAIN ? i - 1 : (i * 7) % CHAIN);
        v[k].name = names[k];
        v[k].parent = i > 0 ? parents[k] : NULL;
        v[k].created = 1700000000 + i;
    }
    rows = snaptree_build(v, N, true);
    for (int r = 0; r < N; r++) {
        seen[rows[r].idx]++;
        if (rows[r].depth > maxdepth)
            maxdepth = rows[r].depth;
        /* a child comes right after its parent's earlier subtrees */
        if (r > 0)
            assert_true(rows[r].depth <= rows[r - 1].depth + 1);
    }
    for (int i = 0; i < N; i++)
        assert_int_equal(seen[i], 1);
    assert_int_equal(maxdepth, CHAIN);   /* branches off s059 sit one deeper */
    assert_string_equal(v[rows[0].idx].name, "s000");
    assert_int_equal(rows[snaptree_row_of(rows, N, N - 1 - (CHAIN - 1))].depth, CHAIN - 1);
    assert_int_equal(snaptree_subtree_end(rows, N, 0), N);
    snaptree_free(rows, N);
    free(v);
    free(names);
    free(parents);
    free(seen);
}

/* A chain of 20,000: no recursion to blow the stack, and the prefix of
 * the deepest rows keeps only its last SNAPTREE_LEVELS levels. */
static void
test_very_deep(void **state)
{
    enum { N = 20000 };
    struct snaptree_in *v = xcalloc(N, sizeof(*v));
    char (*names)[16] = xcalloc(N, sizeof(*names));
    struct snaptree_row *rows;

    for (int i = 0; i < N; i++) {
        snprintf(names[i], sizeof(names[i]), "c%d", i);
        v[i].name = names[i];
        v[i].parent = i ? names[i - 1] : NULL;
        v[i].created = N - i;        /* clocks go backwards: order is by parent */
    }
    rows = snaptree_build(v, N, false);
    for (int r = 0; r < N; r++) {
        assert_int_equal(rows[r].idx, r);
        assert_int_equal(rows[r].depth, r);
    }
    assert_int_equal(strlen(rows[10].prefix), 10 * 3);
    assert_string_equal(rows[2].prefix, "   `- ");
    assert_int_equal(strlen(rows[N - 1].prefix), SNAPTREE_LEVELS * 3);
    snaptree_free(rows, N);
    free(v);
    free(names);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tree),
        cmocka_unit_test(test_depth_and_subtree),
        cmocka_unit_test(test_orphans_and_cycles),
        cmocka_unit_test(test_duplicates_and_nulls),
        cmocka_unit_test(test_big_and_deep),
        cmocka_unit_test(test_very_deep),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
