/* The console emulator fed bytes directly (no daemon): cells, colours,
 * cursor, wide characters, scrollback and search, the alternate screen,
 * replies to the guest's queries, keys, resize, logging, and the
 * guest's title kept in (sanitised). */
#include <autoconf.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <locale.h>
#include <unistd.h>
#include <cmocka.h>

#include "console.h"

static char outbuf[4096];
static size_t outlen;

static void
capture(const char *bytes, size_t len, void *opaque)
{
    if (outlen + len < sizeof(outbuf)) {
        memcpy(outbuf + outlen, bytes, len);
        outlen += len;
        outbuf[outlen] = '\0';
    }
}

static void
feed(struct console *c, const char *s)
{
    console_feed(c, s, strlen(s));
}

static void
row_is(struct console *c, int row, const char *want)
{
    char *t = console_row_text(c, row);

    assert_string_equal(t, want);
    free(t);
}

static void
test_text_and_cursor(void **state)
{
    struct console *c = console_new(5, 20, 100);
    int r, col;

    feed(c, "hello\r\nworld");
    row_is(c, 0, "hello");
    row_is(c, 1, "world");
    assert_true(console_cursor(c, &r, &col));
    assert_int_equal(r, 1);
    assert_int_equal(col, 5);
    feed(c, "\x1b[?25l");
    assert_false(console_cursor(c, &r, &col));
    assert_true(console_take_damage(c, NULL, NULL));
    assert_false(console_take_damage(c, NULL, NULL));
    assert_int_equal(console_bytes(c), 18);
    console_free(c);
}

static void
test_colours_and_attrs(void **state)
{
    struct console *c = console_new(3, 20, 0);
    struct con_cell cell;

    feed(c, "\x1b[1;31mR\x1b[0m\x1b[38;5;200;48;5;17mX\x1b[0m\x1b[7mV\x1b[0mn");
    console_cell(c, 0, 0, &cell);
    assert_int_equal(cell.ch, 'R');
    assert_int_equal(cell.fg, 1);
    assert_true(cell.attrs & CON_BOLD);
    console_cell(c, 0, 1, &cell);
    assert_int_equal(cell.fg, 200);
    assert_int_equal(cell.bg, 17);
    console_cell(c, 0, 2, &cell);
    assert_true(cell.attrs & CON_REVERSE);
    console_cell(c, 0, 3, &cell);
    assert_int_equal(cell.fg, -1);
    assert_int_equal(cell.bg, -1);
    assert_int_equal(cell.attrs, 0);
    console_free(c);
}

static void
test_wide(void **state)
{
    struct console *c = console_new(3, 10, 0);
    struct con_cell cell;
    int r, col;

    feed(c, "\xe6\x97\xa5\xe6\x9c\xac!");
    console_cell(c, 0, 0, &cell);
    assert_int_equal(cell.ch, 0x65e5);
    assert_int_equal(cell.width, 2);
    console_cell(c, 0, 2, &cell);
    assert_int_equal(cell.ch, 0x672c);
    console_cell(c, 0, 4, &cell);
    assert_int_equal(cell.ch, '!');
    console_cursor(c, &r, &col);
    assert_int_equal(col, 5);
    row_is(c, 0, "\xe6\x97\xa5\xe6\x9c\xac!");
    console_free(c);
}

static void
test_scrollback_and_search(void **state)
{
    struct console *c = console_new(10, 20, 15);
    char line[32];

    for (int i = 1; i <= 30; i++) {
        snprintf(line, sizeof(line), "line %d\r\n", i);
        feed(c, line);
    }
    /* 30 lines and the empty cursor line: 21 scrolled off, 15 kept */
    assert_int_equal(console_scrollback(c), 15);
    row_is(c, -1, "line 21");
    row_is(c, -15, "line 7");
    row_is(c, 0, "line 22");
    row_is(c, 8, "line 30");
    assert_int_equal(console_search(c, "line 9", 10, -1), -13);
    assert_int_equal(console_search(c, "line 25", 10, -1), 3);
    assert_int_equal(console_search(c, "line 2", -1, 1), 0);
    assert_int_equal(console_search(c, "nothing", 10, -1), INT32_MIN);
    console_free(c);
}

static void
test_altscreen(void **state)
{
    struct console *c = console_new(4, 20, 10);

    feed(c, "main text");
    feed(c, "\x1b[?1049h\x1b[2J\x1b[Hfull screen app");
    row_is(c, 0, "full screen app");
    feed(c, "\x1b[?1049l");
    row_is(c, 0, "main text");
    console_free(c);
}

static void
test_queries_answered(void **state)
{
    struct console *c = console_new(24, 80, 0);

    outlen = 0;
    console_set_output(c, capture, NULL);
    feed(c, "\x1b[5;10H\x1b[6n");
    assert_string_equal(outbuf, "\x1b[5;10R");
    outlen = 0;
    feed(c, "\x1b[c");
    assert_true(outlen > 0);
    assert_memory_equal(outbuf, "\x1b[?", 3);
    console_free(c);
}

static void
test_keys(void **state)
{
    struct console *c = console_new(24, 80, 0);

    console_set_output(c, capture, NULL);
    outlen = 0;
    console_key(c, "a");
    console_key(c, "Enter");
    console_key(c, "C-c");
    console_key(c, "Up");
    console_key(c, "Space");
    console_key(c, "\xc3\xa9");
    console_key(c, "M-b");
    assert_int_equal(outlen, 1 + 1 + 1 + 3 + 1 + 2 + 2);
    assert_memory_equal(outbuf, "a\r\x03\x1b[A \xc3\xa9\x1b" "b", outlen);
    /* application cursor keys once the guest asks for them */
    feed(c, "\x1b[?1h");
    outlen = 0;
    console_key(c, "Up");
    assert_memory_equal(outbuf, "\x1bOA", 3);
    console_free(c);
}

static void
test_title_is_sanitised(void **state)
{
    struct console *c = console_new(5, 20, 0);

    feed(c, "\x1b]0;nice\x07");
    assert_string_equal(console_title(c), "nice");
    /* nothing of the sequence lands in a cell */
    row_is(c, 0, "");
    console_free(c);
}

static void
test_resize(void **state)
{
    struct console *c = console_new(5, 20, 100);
    int rows, cols;

    feed(c, "0123456789abcdefghij");
    console_resize(c, 3, 10);
    console_size(c, &rows, &cols);
    assert_int_equal(rows, 3);
    assert_int_equal(cols, 10);
    console_resize(c, 0, 0);
    console_size(c, &rows, &cols);
    assert_int_equal(rows, 1);
    assert_int_equal(cols, 1);
    console_free(c);
}

static void
test_log(void **state)
{
    struct console *c = console_new(5, 20, 0);
    char path[] = "/tmp/virtmux-conlog-XXXXXX";
    int fd = mkstemp(path);
    char buf[64] = "";
    struct err e;
    FILE *f;

    assert_true(fd >= 0);
    close(fd);
    unlink(path);
    assert_int_equal(console_log(c, path, &e), 0);
    assert_string_equal(console_log_path(c), path);
    feed(c, "logged\x1b[1mbytes");
    console_log(c, NULL, NULL);
    feed(c, "not logged");
    f = fopen(path, "r");
    assert_non_null(f);
    assert_non_null(fgets(buf, sizeof(buf), f));
    fclose(f);
    assert_string_equal(buf, "logged\x1b[1mbytes");
    unlink(path);
    assert_int_equal(console_log(c, "/nonexistent-dir/x.log", &e), -1);
    assert_non_null(strstr(e.msg, "/nonexistent-dir/x.log"));
    console_free(c);
}

/* The rows libvterm damaged, and only those, for the pane to copy. */
static void
test_damage_rows(void **state)
{
    struct console *c = console_new(5, 20, 100);
    int top, bot;

    (void)state;
    console_take_damage(c, NULL, NULL);
    feed(c, "\x1b[3;1Hthird");
    assert_true(console_take_damage(c, &top, &bot));
    assert_int_equal(top, 2);
    assert_int_equal(bot, 3);
    feed(c, "\x1b[2;1Hb\x1b[4;1Hd");
    assert_true(console_take_damage(c, &top, &bot));
    assert_int_equal(top, 1);
    assert_int_equal(bot, 4);
    /* a cursor move damages no cell */
    feed(c, "\x1b[1;1H");
    assert_true(console_take_damage(c, &top, &bot));
    assert_true(top >= bot);
    /* a resize: every row */
    console_resize(c, 6, 20);
    assert_true(console_take_damage(c, &top, &bot));
    assert_int_equal(top, 0);
    assert_int_equal(bot, 6);
    console_free(c);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_damage_rows),
        cmocka_unit_test(test_text_and_cursor),
        cmocka_unit_test(test_colours_and_attrs),
        cmocka_unit_test(test_wide),
        cmocka_unit_test(test_scrollback_and_search),
        cmocka_unit_test(test_altscreen),
        cmocka_unit_test(test_queries_answered),
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_title_is_sanitised),
        cmocka_unit_test(test_resize),
        cmocka_unit_test(test_log),
    };

    setenv("LC_ALL", "C.UTF-8", 1);
    setlocale(LC_ALL, "");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
