/* The pane registry and the layout's geometry, without a terminal: every
 * registered kind is whole (a name, a paint hook, one way to get its
 * panes, what its place needs), each view has one list, view names parse,
 * and layout_plan puts the list, details, consoles, a split view's lower
 * pane and the overlay where the screen tests expect them for a few
 * terminal sizes. */
#include <autoconf.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ui.h"
#include "ui-priv.h"

static void
test_registry(void **state)
{
    int lists[VIEW_COUNT] = { 0 }, lowers[VIEW_COUNT] = { 0 };

    assert_true(pane_kind_count() > 0);
    assert_null(pane_kind_nth(pane_kind_count()));
    for (size_t i = 0; i < pane_kind_count(); i++) {
        const struct pane_kind *k = pane_kind_nth(i);

        assert_non_null(k->name);
        assert_non_null(k->paint);
        /* a fixed pane or panes opened on demand, not both */
        assert_true((k->get != NULL) != (k->count != NULL && k->nth != NULL));
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(k->name, pane_kind_nth(j)->name);
        if (k->place == PLACE_LIST || k->place == PLACE_LOWER) {
            assert_in_range(k->view, 0, VIEW_COUNT - 1);
            (k->place == PLACE_LIST ? lists : lowers)[k->view]++;
            assert_non_null(k->get);
        } else {
            assert_int_equal(k->view, VIEW_ANY);
        }
        if (k->place == PLACE_OVER)
            assert_true(k->get && k->shown);
        if (k->place == PLACE_STRIP)
            assert_true(k->get && k->height);
        if (k->count)
            assert_int_equal(k->place, PLACE_SIDE);
    }
    for (int v = 0; v < VIEW_COUNT; v++) {
        assert_int_equal(lists[v], 1);
        assert_in_range(lowers[v], 0, 1);
    }
}

static void
test_view_names(void **state)
{
    assert_int_equal(ui_view_parse(NULL), VIEW_DOMAINS);
    assert_int_equal(ui_view_parse("domains"), VIEW_DOMAINS);
    assert_int_equal(ui_view_parse("net"), VIEW_NETWORKS);
    assert_int_equal(ui_view_parse("storage"), VIEW_STORAGE);
    assert_int_equal(ui_view_parse("pools"), VIEW_STORAGE);
    assert_int_equal(ui_view_parse("volumes"), VIEW_STORAGE);
    assert_int_equal(ui_view_parse("snapshots"), VIEW_SNAPSHOTS);
    assert_int_equal(ui_view_parse("graphs"), -1);
}

static void
check_box(const struct layout_box *b, bool on, int y, int x, int h, int w)
{
    assert_int_equal(b->on, on);
    if (!on)
        return;
    assert_int_equal(b->y, y);
    assert_int_equal(b->x, x);
    assert_int_equal(b->h, h);
    assert_int_equal(b->w, w);
}

static void
test_details(void **state)
{
    struct layout_in in = { .rows = 40, .cols = 120, .details = true, .beside = true };
    struct layout_box b[SLOT_COUNT];

    /* wide: a third beside the list (36..72 columns) */
    layout_plan(&in, b);
    check_box(&b[SLOT_LIST], true, 1, 0, 38, 80);
    check_box(&b[SLOT_DETAILS], true, 1, 80, 38, 40);
    check_box(&b[SLOT_SIDE], false, 0, 0, 0, 0);
    check_box(&b[SLOT_LOWER], false, 0, 0, 0, 0);
    check_box(&b[SLOT_OVER], false, 0, 0, 0, 0);
    in.cols = 250;
    layout_plan(&in, b);
    check_box(&b[SLOT_DETAILS], true, 1, 178, 38, 72);
    /* a view whose details never sit beside: below, 2/5 of the rows */
    in.cols = 120;
    in.beside = false;
    layout_plan(&in, b);
    check_box(&b[SLOT_LIST], true, 1, 0, 23, 120);
    check_box(&b[SLOT_DETAILS], true, 24, 0, 15, 120);
    /* narrow and tall: below; narrow and short: none */
    in.beside = true;
    in.cols = 100;
    in.rows = 30;
    layout_plan(&in, b);
    check_box(&b[SLOT_LIST], true, 1, 0, 17, 100);
    check_box(&b[SLOT_DETAILS], true, 18, 0, 11, 100);
    in.rows = 20;
    layout_plan(&in, b);
    check_box(&b[SLOT_LIST], true, 1, 0, 18, 100);
    check_box(&b[SLOT_DETAILS], false, 0, 0, 0, 0);
    /* details off */
    in.rows = 40;
    in.cols = 120;
    in.details = false;
    layout_plan(&in, b);
    check_box(&b[SLOT_LIST], true, 1, 0, 38, 120);
    check_box(&b[SLOT_DETAILS], false, 0, 0, 0, 0);
}

static void
test_side(void **state)
{
    struct layout_in in = { .rows = 40, .cols = 120, .side = true, .details = true,
                            .beside = true };
    struct layout_box b[SLOT_COUNT], s;

    /* consoles take 11/20 of a wide screen, the details go */
    layout_plan(&in, b);
    check_box(&b[SLOT_LIST], true, 1, 0, 38, 54);
    check_box(&b[SLOT_SIDE], true, 1, 54, 38, 66);
    check_box(&b[SLOT_DETAILS], false, 0, 0, 0, 0);
    /* three stacked: equal parts, the last the rest */
    layout_stack(&b[SLOT_SIDE], 0, 3, &s);
    check_box(&s, true, 1, 54, 12, 66);
    layout_stack(&b[SLOT_SIDE], 2, 3, &s);
    check_box(&s, true, 25, 54, 14, 66);
    /* 3/5 of the rows below the list on a narrow screen */
    in.rows = 24;
    in.cols = 80;
    layout_plan(&in, b);
    check_box(&b[SLOT_LIST], true, 1, 0, 9, 80);
    check_box(&b[SLOT_SIDE], true, 10, 0, 13, 80);
    /* zoomed: the whole area */
    in.zoom = true;
    layout_plan(&in, b);
    check_box(&b[SLOT_LIST], false, 0, 0, 0, 0);
    check_box(&b[SLOT_SIDE], true, 1, 0, 22, 80);
}

static int
two_fifths(int avail)
{
    return avail * 2 / 5;
}

static void
test_split_strip_over(void **state)
{
    struct layout_in in = { .rows = 40, .cols = 120, .split = true,
                            .list_height = two_fifths, .side = true, .details = true,
                            .zoom = true, .strips = 4 };
    struct layout_box b[SLOT_COUNT];

    /* the list above, the lower pane below; no details, no consoles,
     * zoom or not; the strips' rows come off the bottom */
    layout_plan(&in, b);
    check_box(&b[SLOT_LIST], true, 1, 0, 13, 120);
    check_box(&b[SLOT_LOWER], true, 14, 0, 21, 120);
    check_box(&b[SLOT_DETAILS], false, 0, 0, 0, 0);
    check_box(&b[SLOT_SIDE], false, 0, 0, 0, 0);
    in.list_height = NULL;
    layout_plan(&in, b);
    check_box(&b[SLOT_LIST], true, 1, 0, 17, 120);
    check_box(&b[SLOT_LOWER], true, 18, 0, 17, 120);
    /* an overlay: over the main area, everything else hidden */
    in.over = true;
    layout_plan(&in, b);
    check_box(&b[SLOT_OVER], true, 1, 0, 34, 120);
    assert_false(b[SLOT_LIST].on || b[SLOT_LOWER].on);
    in.split = false;
    in.zoom = false;
    layout_plan(&in, b);
    check_box(&b[SLOT_OVER], true, 1, 0, 34, 120);
    assert_false(b[SLOT_LIST].on || b[SLOT_SIDE].on || b[SLOT_DETAILS].on);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_registry),
        cmocka_unit_test(test_view_names),
        cmocka_unit_test(test_details),
        cmocka_unit_test(test_side),
        cmocka_unit_test(test_split_strip_over),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
