/* The list widget's pure parts, without a terminal: widths from the
 * content with priorities and caps (names capped, the fill column gets
 * the room, figures hide rather than shrink, the sort arrow always fits
 * its title) and the comparison of cells by their kind (numbers and sizes
 * by value, text case-insensitively, "-" after every value). */
#include <autoconf.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "table.h"

enum { NAME, STATE, ID, VCPU, DESC, N };

static const struct table_col cols[N] = {
    { .title = "Name", .min = 10, .cap = 20, .prio = 9 },
    { .title = "State", .prio = 8 },
    { .title = "ID", .right = true, .kind = TABLE_NUMBER, .prio = 2 },
    { .title = "vCPU", .right = true, .kind = TABLE_NUMBER, .prio = 3 },
    { .title = "Description", .min = 12, .prio = 7, .fill = true },
};

static int
sum(const int *w)
{
    int s = 0, shown = 0;

    for (int c = 0; c < N; c++) {
        s += w[c];
        shown += w[c] > 0;
    }
    return s + shown - 1;
}

static void
test_widths_room(void **state)
{
    int nat[N] = { 45, 8, 2, 1, 60 }, w[N];

    /* the description whole before the name passes its cap */
    table_widths(cols, nat, N, 100, w);
    assert_int_equal(w[NAME], 20);
    assert_int_equal(w[STATE], 8);
    assert_int_equal(w[ID], 3);          /* "ID" and its arrow */
    assert_int_equal(w[VCPU], 5);        /* "vCPU" and its arrow */
    assert_int_equal(w[DESC], 60);
    /* room for all: the name whole too, the fill column takes the rest */
    table_widths(cols, nat, N, 160, w);
    assert_int_equal(w[NAME], 45);
    assert_true(w[DESC] >= 60);
    assert_int_equal(sum(w), 160);
}

static void
test_widths_short(void **state)
{
    int nat[N] = { 45, 8, 2, 1, 60 }, w[N];

    /* the description shrinks to its minimum before the name gives way */
    table_widths(cols, nat, N, 60, w);
    assert_int_equal(w[NAME], 20);
    assert_int_equal(w[DESC], 60 - (20 + 8 + 3 + 5) - 4);
    /* shorter: the lowest priorities hide before the name shrinks */
    table_widths(cols, nat, N, 44, w);
    assert_int_equal(w[ID], 0);
    assert_int_equal(w[NAME], 20);
    assert_true(sum(w) <= 44);
    table_widths(cols, nat, N, 30, w);
    assert_int_equal(w[ID], 0);
    assert_int_equal(w[VCPU], 0);
    assert_true(w[NAME] >= 10);
    assert_true(sum(w) <= 30);
    /* tiny: the name alone, cut */
    table_widths(cols, nat, N, 6, w);
    assert_int_equal(w[NAME], 6);
    assert_int_equal(sum(w), 6);
}

static void
test_widths_figures(void **state)
{
    static const struct table_col two[2] = {
        { .title = "Name", .prio = 9 },
        { .title = "Memory", .right = true, .kind = TABLE_SIZE, .prio = 1 },
    };
    int nat[2] = { 30, 9 }, w[2];

    /* a size never shows cut: whole or hidden */
    table_widths(two, nat, 2, 38, w);
    assert_int_equal(w[1], 0);
    table_widths(two, nat, 2, 40, w);
    assert_int_equal(w[1], 9);
}

static void
test_cmp(void **state)
{
    assert_true(table_cmp_text(TABLE_NUMBER, "2", "16") < 0);
    assert_true(table_cmp_text(TABLE_NUMBER, "12.5", "9.75") > 0);
    assert_true(table_cmp_text(TABLE_NUMBER, "-", "0") > 0);  /* none after values */
    assert_true(table_cmp_text(TABLE_NUMBER, "5", "-") < 0);
    assert_true(table_cmp_text(TABLE_NUMBER, "\xe2\x96\x88\xe2\x96\x91 84%", " 2%") > 0);
    assert_true(table_cmp_text(TABLE_SIZE, "512 MiB", "1 GiB") < 0);
    assert_true(table_cmp_text(TABLE_SIZE, "8 GiB", "10 GiB") < 0);
    assert_true(table_cmp_text(TABLE_SIZE, "1.5 TiB", "900 GiB") > 0);
    assert_true(table_cmp_text(TABLE_SIZE, "100 GiB", "100 GiB") == 0);
    assert_true(table_cmp_text(TABLE_TEXT, "Rocky-9.iso", "debian-12.iso") > 0);
    assert_true(table_cmp_text(TABLE_TEXT, "  alpha", "Bravo") < 0);  /* indent ignored */
    assert_true(table_cmp_text(TABLE_TEXT, "qcow2", "raw") < 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_widths_room),
        cmocka_unit_test(test_widths_short),
        cmocka_unit_test(test_widths_figures),
        cmocka_unit_test(test_cmp),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
