/* test-keymap.c: the key tables: the default bindings and the fall-back
 * to "global", binding and unbinding (replaced, shadowing, removed), and
 * which key names are valid. */
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

int
main(void)
{
    const struct CMUnitTest keys[] = {
        cmocka_unit_test_setup_teardown(test_keymap_defaults, unittest_keymap_setup,
                                        unittest_keymap_teardown),
        cmocka_unit_test_setup_teardown(test_keymap_bind, unittest_keymap_setup,
                                        unittest_keymap_teardown),
        cmocka_unit_test(test_keymap_valid_key),
    };

    return cmocka_run_group_tests_name("keymap", keys, NULL, NULL) ? 1 : 0;
}
