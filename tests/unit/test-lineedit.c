/* test-lineedit.c: the line editor every text input uses: key sequences
 * give the text and the cursor; the view scrolls sideways to keep the
 * cursor shown (wide characters never cut); the history walks back and
 * forth and keeps the line being typed. */
#include <autoconf.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "lineedit.h"
#include "util.h"

static int
setup_utf8(void **state)
{
    setenv("LC_ALL", "C.UTF-8", 1);
    util_locale_init();
    return util_utf8() ? 0 : -1;
}

/* Press each key of a space-separated list ("a b Left C-w"). */
static void
keys(struct lineedit *le, const char *list)
{
    AUTOFREE char *copy = xstrdup(list);
    char *save = NULL;

    for (char *k = strtok_r(copy, " ", &save); k; k = strtok_r(NULL, " ", &save))
        lineedit_key(le, k);
}

static void
type(struct lineedit *le, const char *text)
{
    for (const char *p = text; *p; p++) {
        char k[2] = { *p, '\0' };

        lineedit_key(le, *p == ' ' ? "Space" : k);
    }
}

static void
test_insert_and_move(void **state)
{
    struct lineedit le = { 0 };

    type(&le, "start web");
    assert_string_equal(lineedit_text(&le), "start web");
    keys(&le, "Left Left Left X");
    assert_string_equal(lineedit_text(&le), "start Xweb");
    keys(&le, "Home C-d C-e 1");
    assert_string_equal(lineedit_text(&le), "tart Xweb1");
    keys(&le, "C-a s Right Right Backspace");
    assert_string_equal(lineedit_text(&le), "strt Xweb1");
    assert_int_equal(le.cur, 2);
    keys(&le, "End Left Left Left Delete");
    assert_string_equal(lineedit_text(&le), "strt Xwb1");
    assert_false(lineedit_key(&le, "Enter"));
    assert_false(lineedit_key(&le, "Tab"));
    assert_false(lineedit_key(&le, "Up"));
    lineedit_free(&le);
}

static void
test_kill(void **state)
{
    struct lineedit le = { 0 };

    lineedit_set(&le, "vol-create-as  --pool default --name disk1");
    keys(&le, "C-w");
    assert_string_equal(lineedit_text(&le), "vol-create-as  --pool default --name ");
    keys(&le, "C-w C-w");
    assert_string_equal(lineedit_text(&le), "vol-create-as  --pool ");
    keys(&le, "Home Right Right Right C-k");
    assert_string_equal(lineedit_text(&le), "vol");
    lineedit_set(&le, "abc def");
    keys(&le, "Left Left C-u");
    assert_string_equal(lineedit_text(&le), "ef");
    assert_int_equal(le.cur, 0);
    keys(&le, "Backspace C-w C-u");      /* nothing before the cursor */
    assert_string_equal(lineedit_text(&le), "ef");
    keys(&le, "End Right Delete C-k");   /* nothing after */
    assert_string_equal(lineedit_text(&le), "ef");
    lineedit_free(&le);
}

static void
test_utf8(void **state)
{
    struct lineedit le = { 0 };

    keys(&le, "é t é");
    assert_string_equal(lineedit_text(&le), "été");
    keys(&le, "Left Backspace");
    assert_string_equal(lineedit_text(&le), "éé");
    assert_int_equal(le.cur, 2);
    keys(&le, "Left Delete");
    assert_string_equal(lineedit_text(&le), "é");
    lineedit_set(&le, "日本語");
    keys(&le, "Left Left x");
    assert_string_equal(lineedit_text(&le), "日x本語");
    keys(&le, "Right Backspace");
    assert_string_equal(lineedit_text(&le), "日x語");
    lineedit_free(&le);
}

static void
test_scroll(void **state)
{
    struct lineedit le = { 0 };
    AUTOFREE char *v1 = NULL;
    AUTOFREE char *v2 = NULL;
    AUTOFREE char *v3 = NULL;
    AUTOFREE char *v4 = NULL;
    int col;

    type(&le, "abcdefghijklmnopqrstuvwxyz0123456789");
    /* the end shown, the cursor after it */
    v1 = lineedit_view(&le, 10, &col);
    assert_string_equal(v1, "123456789 ");
    assert_int_equal(col, 9);
    /* moving left within the view does not scroll */
    keys(&le, "Left Left Left");
    v2 = lineedit_view(&le, 10, &col);
    assert_string_equal(v2, "123456789 ");
    assert_int_equal(col, 6);
    /* Home shows the start */
    keys(&le, "Home");
    v3 = lineedit_view(&le, 10, &col);
    assert_string_equal(v3, "abcdefghij");
    assert_int_equal(col, 0);
    /* a short text after a long one: no scroll left over */
    lineedit_set(&le, "abc");
    v4 = lineedit_view(&le, 10, &col);
    assert_string_equal(v4, "abc       ");
    assert_int_equal(col, 3);
    lineedit_free(&le);
}

static void
test_scroll_wide(void **state)
{
    struct lineedit le = { 0 };
    AUTOFREE char *v1 = NULL;
    AUTOFREE char *v2 = NULL;
    int col;

    lineedit_set(&le, "日本語日本語");     /* 12 cells */
    v1 = lineedit_view(&le, 6, &col);
    /* 13 cells with the cursor's: the view starts at a whole character */
    assert_string_equal(v1, "本語  ");
    assert_int_equal(util_width(v1), 6);
    assert_int_equal(col, 4);
    keys(&le, "Home Right");
    /* past the left edge: the view shows what is before the cursor */
    v2 = lineedit_view(&le, 6, &col);
    assert_string_equal(v2, "日本語");
    assert_int_equal(col, 2);
    lineedit_free(&le);
}

static void
test_secret(void **state)
{
    struct lineedit le = { .secret = true };
    AUTOFREE char *v = NULL;
    int col;

    keys(&le, "p é w");
    v = lineedit_view(&le, 5, &col);
    assert_string_equal(v, "***  ");
    assert_int_equal(col, 3);
    lineedit_clear(&le);
    assert_string_equal(lineedit_text(&le), "");
    lineedit_free(&le);
}

static void
test_history(void **state)
{
    struct lineedit le = { .history = true };

    lineedit_history_add(&le, "start a");
    lineedit_history_add(&le, "start b");
    lineedit_history_add(&le, "start b");     /* a repeat is kept once */
    lineedit_history_add(&le, "");
    assert_int_equal(le.nhist, 2);
    type(&le, "draft");
    keys(&le, "Up");
    assert_string_equal(lineedit_text(&le), "start b");
    keys(&le, "Up Up Up");
    assert_string_equal(lineedit_text(&le), "start a");
    keys(&le, "Left C-k Down");
    assert_string_equal(lineedit_text(&le), "start b");
    keys(&le, "C-n");
    assert_string_equal(lineedit_text(&le), "draft");
    keys(&le, "Down");
    assert_string_equal(lineedit_text(&le), "draft");
    lineedit_free(&le);
}

static void
test_full(void **state)
{
    struct lineedit le = { 0 };

    for (int i = 0; i < LINEEDIT_MAX + 10; i++)
        lineedit_key(&le, "x");
    assert_int_equal(le.len, LINEEDIT_MAX - 1);
    assert_false(lineedit_insert(&le, "é"));
    lineedit_free(&le);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_insert_and_move),
        cmocka_unit_test(test_kill),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_scroll),
        cmocka_unit_test(test_scroll_wide),
        cmocka_unit_test(test_secret),
        cmocka_unit_test(test_history),
        cmocka_unit_test(test_full),
    };

    return cmocka_run_group_tests(tests, setup_utf8, NULL);
}
