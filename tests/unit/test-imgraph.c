/* The image graph's decisions on the chains virtmux's features make: a
 * template with linked clones, external snapshots on them, a revert
 * overlay beside an abandoned branch, an internal snapshot with an
 * external child. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "imgraph.h"
#include "util.h"

#define T "/p/tpl.qcow2"
#define W1 "/p/w1.qcow2"
#define W2 "/p/w2.qcow2"
#define S1 "/p/w1.s1"

/* tpl <- w1 <- w1.s1 (web1 running, snapshot s1 froze w1); tpl <- w2 (web2) */
static struct imgraph *
template_graph(void)
{
    struct imgraph *g = imgraph_new();
    char *c1[] = { S1, W1, T, NULL };
    char *c2[] = { W2, NULL };

    imgraph_add_chain(g, "web1", "vda", true, c1);
    imgraph_add_chain(g, "web2", "vda", false, c2);
    imgraph_add_backing(g, W2, T);          /* from the pool's volume */
    imgraph_add_backing(g, W1, T);          /* the same edge again: merged */
    imgraph_add_snapshot(g, "web1", "s1", "vda", W1, true);
    imgraph_add_backing(g, S1, W1);
    return g;
}

static void
test_above(void **state)
{
    struct imgraph *g = template_graph();
    char **up = imgraph_above(g, T);

    (void)state;
    assert_non_null(up[0]);
    assert_non_null(up[1]);
    assert_non_null(up[2]);
    assert_null(up[3]);                     /* w1, w2, w1.s1: each once */
    util_strv_free(up);
    assert_int_equal(imgraph_find(g, T)->ndeps, 3);   /* two overlays, web1's disk */
    /* the names a refusal gives */
    {
        AUTOFREE char *ov = imgraph_names(g, T, IMDEP_OVERLAY);
        AUTOFREE char *fz = imgraph_names(g, W1, IMDEP_FROZEN);
        AUTOFREE char *dk = imgraph_names(g, T, IMDEP_DISK);

        assert_string_equal(ov, "w1.qcow2, w2.qcow2");
        assert_string_equal(fz, "'s1' of 'web1'");
        assert_string_equal(dk, "disk vda of 'web1'");
        assert_null(imgraph_names(g, W2, IMDEP_FROZEN));
    }
    imgraph_free(g);
}

/* Deleting s1 commits w1.s1 into w1 (its own backing), never deeper. */
static void
test_commit_own_base(void **state)
{
    struct imgraph *g = template_graph();
    char *chain[] = { S1, W1, T, NULL };
    struct imcheck k = { "web1", "vda", "s1", chain };
    char *why;

    (void)state;
    assert_null(imgraph_commit_blockers(g, &k, W1));
    /* into the template's image: w2 reads through it */
    why = imgraph_commit_blockers(g, &k, T);
    assert_non_null(why);
    assert_non_null(strstr(why, W2 " (disk vda of 'web2') reads through it"));
    free(why);
    /* a plain blockcommit (no snapshot of ours) into the frozen w1 */
    k.snap = NULL;
    why = imgraph_commit_blockers(g, &k, W1);
    assert_non_null(why);
    assert_non_null(strstr(why, "snapshot 's1' of 'web1' froze it"));
    free(why);
    imgraph_free(g);
}

/* A revert overlay R beside the abandoned branch O1 on base B: deleting
 * s2 (its overlay O2 on R) writes R only; writing B is refused. */
static void
test_revert_overlay(void **state)
{
    struct imgraph *g = imgraph_new();
    char *chain[] = { "/p/O2", "/p/R", "/p/B", NULL };
    struct imcheck k = { "d", "vda", "s2", chain };
    char *why;

    (void)state;
    imgraph_add_chain(g, "d", "vda", true, chain);
    imgraph_add_backing(g, "/p/O1", "/p/B");
    imgraph_add_snapshot(g, "d", "s1", "vda", "/p/B", true);
    imgraph_add_snapshot(g, "d", "s2", "vda", "/p/R", true);
    assert_null(imgraph_commit_blockers(g, &k, "/p/R"));
    why = imgraph_commit_blockers(g, &k, "/p/B");
    assert_non_null(why);
    assert_non_null(strstr(why, "/p/O1 reads through it"));
    assert_non_null(strstr(why, "snapshot 's1' of 'd' froze it"));
    free(why);
    imgraph_free(g);
}

/* int-off lives in B; ext-a froze B (overlay A, the disk now): the rewind
 * of B breaks ext-a (ours: soft) and nothing of another domain. */
static void
test_rewind(void **state)
{
    struct imgraph *g = imgraph_new();
    char *chain[] = { "/p/A", "/p/B", NULL };
    struct imcheck k = { "d", "vda", NULL, NULL };
    char **snaps, **files;
    char *why;

    (void)state;
    imgraph_add_chain(g, "d", "vda", false, chain);
    imgraph_add_snapshot(g, "d", "int-off", "vda", "/p/B", false);
    imgraph_add_snapshot(g, "d", "ext-a", "vda", "/p/B", true);
    why = imgraph_rewind_blockers(g, &k, "/p/B", &snaps, &files);
    assert_null(why);
    assert_string_equal(snaps[0], "ext-a");
    assert_null(snaps[1]);
    assert_string_equal(files[0], "/p/A");
    assert_null(files[1]);
    util_strv_free(snaps);
    util_strv_free(files);
    /* a linked clone of another domain on B: hard */
    imgraph_add_backing(g, "/p/clone", "/p/B");
    imgraph_add_chain(g, "other", "vda", false, (char *[]){ "/p/clone", NULL });
    why = imgraph_rewind_blockers(g, &k, "/p/B", &snaps, &files);
    assert_non_null(why);
    assert_non_null(strstr(why, "disk vda of 'other'"));
    free(why);
    util_strv_free(snaps);
    util_strv_free(files);
    /* nothing above it: the rewind is plain */
    imgraph_free(g);
    g = imgraph_new();
    imgraph_add_chain(g, "d", "vda", false, (char *[]){ "/p/B", NULL });
    imgraph_add_snapshot(g, "d", "int-off", "vda", "/p/B", false);
    assert_null(imgraph_rewind_blockers(g, &k, "/p/B", &snaps, &files));
    assert_null(snaps[0]);
    assert_null(files[0]);
    util_strv_free(snaps);
    util_strv_free(files);
    imgraph_free(g);
}

/* After a pull the leftover base is removed only when nothing uses it. */
static void
test_remove(void **state)
{
    struct imgraph *g = imgraph_new();
    struct imcheck k = { "d", "vda", "s", NULL };
    char *why;

    (void)state;
    imgraph_add_snapshot(g, "d", "s", "vda", "/p/B", true);
    assert_null(imgraph_remove_blockers(g, &k, "/p/B"));
    assert_null(imgraph_remove_blockers(g, &k, "/p/unknown"));
    imgraph_add_backing(g, "/p/branch", "/p/B");
    why = imgraph_remove_blockers(g, &k, "/p/B");
    assert_non_null(why);
    assert_non_null(strstr(why, "/p/branch is backed by it"));
    free(why);
    imgraph_free(g);
}

/* A cycle (a broken image pointing at itself through another) ends. */
static void
test_cycle(void **state)
{
    struct imgraph *g = imgraph_new();
    char **up;

    (void)state;
    imgraph_add_backing(g, "/a", "/b");
    imgraph_add_backing(g, "/b", "/a");
    imgraph_add_backing(g, "/c", "/c");
    up = imgraph_above(g, "/a");
    assert_string_equal(up[0], "/b");
    assert_null(up[1]);
    util_strv_free(up);
    imgraph_free(g);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_above),
        cmocka_unit_test(test_commit_own_base),
        cmocka_unit_test(test_revert_overlay),
        cmocka_unit_test(test_rewind),
        cmocka_unit_test(test_remove),
        cmocka_unit_test(test_cycle),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
