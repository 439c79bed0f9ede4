/* test-config.c: the config file a user edits (bind, unbind, set): the
 * defaults, a file whose bad lines are reported as "FILE:LINE: why" and
 * skipped while the good lines around them still apply (the bindings
 * land in the keymap), an unreadable file (-1), the default path. */
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
#include "unittest.h"

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
        "bind domains g start 'name with spaces'\n"          /* 21 */
        "bind nosuch x start\n"                              /* 22 */
        "unbind nosuch x\n";                                 /* 23 */
    AUTOFREE char *path = temp_file(text);
    struct warnings w = { { NULL }, 0 };

    assert_int_equal(config_load(path, collect, &w), 0);
    unlink(path);

    assert_int_equal(w.n, 12);
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
    check_warning(&w, 10, path, 22, "unknown key table 'nosuch' (the tables: global, domains");
    check_warning(&w, 11, path, 23, "unknown key table 'nosuch'");

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
    const struct CMUnitTest conf[] = {
        cmocka_unit_test_setup_teardown(test_config_defaults, unittest_keymap_setup,
                                        unittest_keymap_teardown),
        cmocka_unit_test_setup_teardown(test_config_load, unittest_keymap_setup,
                                        unittest_keymap_teardown),
        cmocka_unit_test_setup_teardown(test_config_unreadable, unittest_keymap_setup,
                                        unittest_keymap_teardown),
        cmocka_unit_test(test_config_default_path),
    };

    return cmocka_run_group_tests_name("config", conf, NULL, NULL) ? 1 : 0;
}
