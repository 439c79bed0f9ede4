/* test-theme.c: theme files, the colours a user edits (role = fg, bg,
 * attrs): the defaults, style values good and bad, a file whose bad lines
 * are reported as "FILE:LINE: why" and skipped while the good lines
 * around them still apply, an unreadable file (-1), the shipped themes. */
#include <autoconf.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <cmocka.h>

#include "theme.h"
#include "unittest.h"

static void
test_theme_defaults(void **state)
{
    struct theme t;

    memset(&t, 0x55, sizeof(t));
    theme_defaults(&t);
    assert_false(t.mono);
    assert_int_equal(t.style[ROLE_NORMAL].fg, THEME_DEFAULT_COLOR);
    assert_int_equal(t.style[ROLE_NORMAL].bg, THEME_DEFAULT_COLOR);
    assert_int_equal(t.style[ROLE_NORMAL].attrs, 0);
    assert_int_equal(t.style[ROLE_SELECTED].fg, 0);       /* black */
    assert_int_equal(t.style[ROLE_SELECTED].bg, 6);       /* cyan */
    assert_int_equal(t.style[ROLE_HEADER].attrs, THEME_BOLD | THEME_UNDERLINE);
    assert_int_equal(t.style[ROLE_STATE_RUNNING].fg, 2);  /* green */
    assert_int_equal(t.style[ROLE_STATE_SHUTOFF].attrs, THEME_DIM);
    assert_int_equal(t.style[ROLE_STATUS_ERROR].bg, 1);   /* red */
    assert_string_equal(theme_role_name(ROLE_NORMAL), "normal");
    assert_string_equal(theme_role_name(ROLE_STATE_RUNNING), "state.running");
    assert_string_equal(theme_role_name(ROLE_COUNT - 1), "label");
    for (int r = 0; r < ROLE_COUNT; r++) {
        /* every role has a distinct name */
        for (int q = r + 1; q < ROLE_COUNT; q++)
            assert_string_not_equal(theme_role_name(r), theme_role_name(q));
    }
}

static void
check_style(const char *value, int fg, int bg, unsigned attrs)
{
    struct theme_style s;
    struct err e = { 0, "" };

    if (theme_parse_style(value, &s, &e) < 0)
        fail_msg("theme_parse_style(\"%s\") failed: %s", value, e.msg);
    assert_int_equal(s.fg, fg);
    assert_int_equal(s.bg, bg);
    assert_int_equal(s.attrs, attrs);
}

static void
check_style_error(const char *value, const char *what)
{
    struct theme_style s;
    struct err e = { 0, "" };

    if (theme_parse_style(value, &s, &e) == 0)
        fail_msg("theme_parse_style(\"%s\") should fail", value);
    if (!strstr(e.msg, what))
        fail_msg("error for \"%s\" is \"%s\", wanted it to mention \"%s\"",
                 value, e.msg, what);
}

static void
test_parse_style(void **state)
{
    check_style("red, blue", 1, 4, 0);
    check_style("default,default", THEME_DEFAULT_COLOR, THEME_DEFAULT_COLOR, 0);
    check_style("black,white", 0, 7, 0);
    check_style("  magenta ,  yellow  ", 5, 3, 0);
    check_style("bright-red, bright-white", 9, 15, 0);
    check_style("bright-black,default", 8, THEME_DEFAULT_COLOR, 0);
    check_style("0, 255", 0, 255, 0);
    check_style("17,232", 17, 232, 0);
    check_style("red,blue,bold", 1, 4, THEME_BOLD);
    check_style("red, blue, bold, reverse, underline, dim", 1, 4,
                THEME_BOLD | THEME_REVERSE | THEME_UNDERLINE | THEME_DIM);
    check_style("red,blue,bold,", 1, 4, THEME_BOLD);      /* trailing comma */
    /* a style with no colours is only possible as errors */
    check_style_error("red", "fg, bg");
    check_style_error("", "fg, bg");
    check_style_error("purple, blue", "purple");
    check_style_error("red, bright-purple", "bright-purple");
    check_style_error("256, 0", "256");
    check_style_error("-1, 0", "-1");
    check_style_error("12x, 0", "12x");
    check_style_error("red, blue, blink", "blink");
    check_style_error("red, blue, bold, italic", "italic");
}

static void
test_parse_style_null_err(void **state)
{
    struct theme_style s;

    assert_int_equal(theme_parse_style("nope,nope", &s, NULL), -1);
}

static void
test_theme_load(void **state)
{
    static const char text[] =
        "# a user theme\n"                                  /* 1 */
        "\n"                                                /* 2 */
        "normal = white, black\n"                           /* 3 */
        "selected = yellow, blue, bold   # trailing note\n" /* 4 */
        "this line has no equals sign\n"                    /* 5 */
        "no.such.role = red, blue\n"                        /* 6 */
        "title = nocolour, blue\n"                          /* 7 */
        "border = red, blue, sparkly\n"                     /* 8 */
        "  status   =   200 , 17  \n"                       /* 9 */
        "mono = yes\n"                                      /* 10 */
        "state.running=bright-green,default,bold\n";        /* 11 */
    AUTOFREE char *path = temp_file(text);
    struct warnings w = { { NULL }, 0 };
    struct theme t;

    theme_defaults(&t);
    assert_int_equal(theme_load(&t, path, collect, &w), 0);
    unlink(path);

    assert_int_equal(w.n, 4);
    check_warning(&w, 0, path, 5, "expected");
    check_warning(&w, 1, path, 6, "unknown role 'no.such.role'");
    check_warning(&w, 2, path, 7, "nocolour");
    check_warning(&w, 3, path, 8, "sparkly");

    /* the good lines applied */
    assert_int_equal(t.style[ROLE_NORMAL].fg, 7);
    assert_int_equal(t.style[ROLE_NORMAL].bg, 0);
    assert_int_equal(t.style[ROLE_SELECTED].fg, 3);
    assert_int_equal(t.style[ROLE_SELECTED].bg, 4);
    assert_int_equal(t.style[ROLE_SELECTED].attrs, THEME_BOLD);
    assert_int_equal(t.style[ROLE_STATUS].fg, 200);
    assert_int_equal(t.style[ROLE_STATUS].bg, 17);
    assert_int_equal(t.style[ROLE_STATE_RUNNING].fg, 10);
    assert_int_equal(t.style[ROLE_STATE_RUNNING].attrs, THEME_BOLD);
    assert_true(t.mono);
    /* the bad ones left the defaults alone */
    assert_int_equal(t.style[ROLE_TITLE].fg, 6);
    assert_int_equal(t.style[ROLE_TITLE].attrs, THEME_BOLD);
    assert_int_equal(t.style[ROLE_BORDER].fg, 4);
    assert_int_equal(t.style[ROLE_BORDER].bg, THEME_DEFAULT_COLOR);
    warnings_free(&w);
}

static void
test_theme_load_unreadable(void **state)
{
    struct warnings w = { { NULL }, 0 };
    struct theme t;

    theme_defaults(&t);
    assert_int_equal(theme_load(&t, "/nonexistent/virtmux/none.theme", collect, &w), -1);
    assert_int_equal(w.n, 0);
    assert_int_equal(t.style[ROLE_SELECTED].bg, 6);
}

/* The shipped themes load without a single warning. */
static void
test_shipped_themes(void **state)
{
    static const char *names[] = { "default", "light", "mono" };
    const char *top = getenv("top_srcdir");

    if (!top || !*top)
        skip();
    for (size_t i = 0; i < ARRAY_CARDINALITY(names); i++) {
        AUTOFREE char *path = xasprintf("%s/themes/%s.theme", top, names[i]);
        struct warnings w = { { NULL }, 0 };
        struct theme t;

        if (access(path, R_OK) < 0)
            continue;
        theme_defaults(&t);
        assert_int_equal(theme_load(&t, path, collect, &w), 0);
        if (w.n)
            fail_msg("%s", w.msg[0]);
        if (STREQ(names[i], "mono"))
            assert_true(t.mono);
    }
}

int
main(void)
{
    const struct CMUnitTest theme[] = {
        cmocka_unit_test(test_theme_defaults),
        cmocka_unit_test(test_parse_style),
        cmocka_unit_test(test_parse_style_null_err),
        cmocka_unit_test(test_theme_load),
        cmocka_unit_test(test_theme_load_unreadable),
        cmocka_unit_test(test_shipped_themes),
    };

    return cmocka_run_group_tests_name("theme", theme, NULL, NULL) ? 1 : 0;
}
