/* test-theme.c: the data files a user edits: theme files (role = fg, bg,
 * attrs) and the config file (bind/unbind/set), plus the keymap they feed.
 * A bad line must be reported as "FILE:LINE: why" and skipped while the
 * good lines around it still apply; an unreadable file is -1. */
#include <autoconf.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <cmocka.h>

#include "config.h"
#include "keymap.h"
#include "theme.h"

/* ---- helpers ---- */

struct warnings {
    char *msg[32];
    int n;
};

static void
collect(const char *msg, void *opaque)
{
    struct warnings *w = opaque;

    if (w->n < (int)ARRAY_CARDINALITY(w->msg))
        w->msg[w->n] = xstrdup(msg);
    w->n++;
}

static void
warnings_free(struct warnings *w)
{
    for (int i = 0; i < w->n && i < (int)ARRAY_CARDINALITY(w->msg); i++)
        free(w->msg[i]);
    w->n = 0;
}

/* The warning about line of path must say "path:line: " and contain what. */
static void
check_warning(const struct warnings *w, int i, const char *path, int line,
              const char *what)
{
    AUTOFREE char *prefix = xasprintf("%s:%d: ", path, line);

    if (i >= w->n)
        fail_msg("expected a warning about line %d (%s), got %d warnings",
                 line, what, w->n);
    if (!STRPREFIX(w->msg[i], prefix) || !strstr(w->msg[i], what))
        fail_msg("warning %d is \"%s\"; wanted \"%s...%s\"", i, w->msg[i],
                 prefix, what);
}

/* A temporary file holding text; caller unlinks and frees. */
static char *
temp_file(const char *text)
{
    const char *dir = getenv("TMPDIR");
    char *path = xasprintf("%s/virtmux-test-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    size_t len = strlen(text);

    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, len), (ssize_t)len);
    close(fd);
    return path;
}

/* ---- theme ---- */

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

/* ---- keymap ---- */

static int
setup_keymap(void **state)
{
    config_defaults();
    keymap_init();
    return 0;
}

static int
teardown_keymap(void **state)
{
    keymap_free();
    config_free();
    return 0;
}

static void
test_keymap_defaults(void **state)
{
    assert_string_equal(keymap_lookup("domains", "s"), "start");
    assert_string_equal(keymap_lookup("domains", "D"), "destroy");
    assert_string_equal(keymap_lookup("domains", "A"), "autostart --disable");
    assert_string_equal(keymap_lookup("global", "q"), "quit");
    /* falls back to "global" */
    assert_string_equal(keymap_lookup("domains", "q"), "quit");
    assert_string_equal(keymap_lookup("domains", "F1"), "help");
    assert_string_equal(keymap_lookup("no-such-table", "?"), "help");
    assert_null(keymap_lookup("global", "s"));
    assert_null(keymap_lookup("domains", "F12"));
    assert_string_equal(keymap_key_for("domains", "start"), "s");
    assert_null(keymap_key_for("domains", "no-such-action"));
    assert_non_null(keymap_get(0));
    assert_null(keymap_get(100000));
}

static void
test_keymap_bind(void **state)
{
    size_t n = 0;

    while (keymap_get(n))
        n++;
    keymap_bind("domains", "s", "start --paused", "start paused");
    assert_string_equal(keymap_lookup("domains", "s"), "start --paused");
    assert_null(keymap_get(n));                  /* replaced, not added */
    keymap_bind("domains", "q", "suspend", NULL);   /* shadows global q */
    assert_string_equal(keymap_lookup("domains", "q"), "suspend");
    assert_string_equal(keymap_lookup("global", "q"), "quit");
    keymap_bind("domains", "q", "", NULL);       /* empty: removed */
    assert_string_equal(keymap_lookup("domains", "q"), "quit");
    keymap_bind("domains", "s", NULL, NULL);
    assert_null(keymap_lookup("domains", "s"));
}

static void
test_keymap_valid_key(void **state)
{
    static const char *good[] = { "s", "S", "?", "/", "~", "C-l", "C-r", "F1",
                                  "F12", "Enter", "Tab", "BTab", "Esc", "Space",
                                  "Up", "PageDown", "Delete" };
    static const char *bad[] = { "", " ", "F0", "F13", "C-", "Ctrl-l", "enter",
                                 "ab", "\x01", "PgDn" };

    for (size_t i = 0; i < ARRAY_CARDINALITY(good); i++) {
        if (!keymap_valid_key(good[i]))
            fail_msg("'%s' should be a valid key", good[i]);
    }
    for (size_t i = 0; i < ARRAY_CARDINALITY(bad); i++) {
        if (keymap_valid_key(bad[i]))
            fail_msg("'%s' should not be a valid key", bad[i]);
    }
}

/* ---- config ---- */

static void
test_config_load(void **state)
{
    static const char text[] =
        "# virtmux config\n"                                 /* 1 */
        "bind domains x destroy --graceful\n"                /* 2 */
        "bind domains Z 'autostart' --disable  # off\n"      /* 3 */
        "unbind domains s\n"                                 /* 4 */
        "set stats-interval 5\n"                             /* 5 */
        "set details off\n"                                  /* 6 */
        "set theme \"my theme\"\n"                           /* 7 */
        "bind domains BADKEY start\n"                        /* 8 */
        "bind domains y no-such-action\n"                    /* 9 */
        "set stats-interval abc\n"                           /* 10 */
        "set stats-interval 99999\n"                         /* 11 */
        "set bogus 1\n"                                      /* 12 */
        "frobnicate now\n"                                   /* 13 */
        "bind domains q 'unbalanced\n"                       /* 14 */
        "set details maybe\n"                                /* 15 */
        "bind domains\n"                                     /* 16 */
        "unbind domains\n"                                   /* 17 */
        "   \n"                                              /* 18 */
        "bind global C-x quit   # comment\n"                 /* 19 */
        "bind domains n ':domrename %n '\n"                  /* 20 */
        "bind domains g start 'name with spaces'\n";         /* 21 */
    AUTOFREE char *path = temp_file(text);
    struct warnings w = { { NULL }, 0 };

    assert_int_equal(config_load(path, collect, &w), 0);
    unlink(path);

    assert_int_equal(w.n, 10);
    check_warning(&w, 0, path, 8, "unknown key 'BADKEY'");
    check_warning(&w, 1, path, 9, "unknown action 'no-such-action'");
    check_warning(&w, 2, path, 10, "stats-interval");
    check_warning(&w, 3, path, 11, "stats-interval");
    check_warning(&w, 4, path, 12, "unknown option 'bogus'");
    check_warning(&w, 5, path, 13, "unknown command 'frobnicate'");
    check_warning(&w, 6, path, 14, "unbalanced quotes");
    check_warning(&w, 7, path, 15, "details");
    check_warning(&w, 8, path, 16, "usage: bind");
    check_warning(&w, 9, path, 17, "usage: unbind");

    assert_string_equal(keymap_lookup("domains", "x"), "destroy --graceful");
    assert_string_equal(keymap_lookup("domains", "Z"), "autostart --disable");
    assert_null(keymap_lookup("domains", "s"));      /* unbound, no global s */
    assert_null(keymap_lookup("domains", "BADKEY"));
    assert_null(keymap_lookup("domains", "y"));
    assert_string_equal(keymap_lookup("domains", "q"), "quit");   /* untouched */
    assert_string_equal(keymap_lookup("domains", "C-x"), "quit");
    assert_string_equal(keymap_lookup("domains", "n"), ":domrename %n ");
    /* arguments are re-quoted so the action string parses back the same */
    assert_string_equal(keymap_lookup("domains", "g"), "start 'name with spaces'");
    assert_int_equal(cfg.stats_interval, 5);
    assert_false(cfg.details);
    assert_string_equal(cfg.theme, "my theme");
    warnings_free(&w);
}

static void
test_config_defaults(void **state)
{
    assert_int_equal(cfg.stats_interval, 2);
    assert_true(cfg.details);
    assert_null(cfg.theme);
}

static void
test_config_unreadable(void **state)
{
    struct warnings w = { { NULL }, 0 };

    assert_int_equal(config_load("/nonexistent/virtmux/config", collect, &w), -1);
    assert_int_equal(w.n, 0);
}

static void
test_config_default_path(void **state)
{
    AUTOFREE char *saved_x = xstrdup(getenv("XDG_CONFIG_HOME"));
    AUTOFREE char *saved_home = xstrdup(getenv("HOME"));
    AUTOFREE char *a = NULL;
    AUTOFREE char *b = NULL;

    setenv("XDG_CONFIG_HOME", "/x/conf", 1);
    a = config_default_path();
    assert_string_equal(a, "/x/conf/virtmux/config");
    unsetenv("XDG_CONFIG_HOME");
    setenv("HOME", "/home/u", 1);
    b = config_default_path();
    assert_string_equal(b, "/home/u/.config/virtmux/config");
    if (saved_x)
        setenv("XDG_CONFIG_HOME", saved_x, 1);
    if (saved_home)
        setenv("HOME", saved_home, 1);
    else
        unsetenv("HOME");
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
    const struct CMUnitTest keys[] = {
        cmocka_unit_test_setup_teardown(test_keymap_defaults, setup_keymap,
                                        teardown_keymap),
        cmocka_unit_test_setup_teardown(test_keymap_bind, setup_keymap,
                                        teardown_keymap),
        cmocka_unit_test(test_keymap_valid_key),
        cmocka_unit_test_setup_teardown(test_config_defaults, setup_keymap,
                                        teardown_keymap),
        cmocka_unit_test_setup_teardown(test_config_load, setup_keymap,
                                        teardown_keymap),
        cmocka_unit_test_setup_teardown(test_config_unreadable, setup_keymap,
                                        teardown_keymap),
        cmocka_unit_test(test_config_default_path),
    };
    int rc = 0;

    rc |= cmocka_run_group_tests_name("theme", theme, NULL, NULL);
    rc |= cmocka_run_group_tests_name("keymap and config", keys, NULL, NULL);
    return rc ? 1 : 0;
}
