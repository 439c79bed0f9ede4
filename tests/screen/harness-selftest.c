/*
 * harness-selftest.c: self-test for the screen-test harness
 *
 * Drives /bin/sh, printf, tput, stty, od, less and friends on a pty and
 * checks that what the harness reports matches what the programs drew:
 * text, colours, attributes, UTF-8 wide and combining characters, keys,
 * terminal queries, resize, the alternate screen, environment isolation,
 * timeouts against programs that never finish, and cleanup guarantees.
 * Exits 0 on success; on failure prints why (and the screen) and exits 1.
 */

#define _GNU_SOURCE

#include "harness.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define T_WAIT 5000

/* Checks that do not involve a screen. */
#define CHECK(cond, ...) SCR_CHECK(NULL, cond, __VA_ARGS__)


static long long
now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}


static struct scr *
spawn_sh(int rows, int cols, const char *script, char *const extra[])
{
    char *argv[] = { (char *)"/bin/sh", (char *)"-c", (char *)script, NULL };
    struct scr *s = scr_spawn(rows, cols, argv, extra);

    CHECK(s != NULL, "scr_spawn(/bin/sh -c %s): %s", script, strerror(errno));
    return s;
}


static int
row_is(struct scr *s, int row, const char *want)
{
    char *got = scr_row(s, row);
    int ok = got && strcmp(got, want) == 0;

    if (!ok)
        fprintf(stderr, "row %d: got '%s', want '%s'\n", row, got ? got : "(null)", want);
    free(got);
    return ok;
}


/* The screen with all whitespace removed, for matching od output. */
static char *
dump_squeezed(struct scr *s)
{
    char *d = scr_dump(s);
    char *p;
    char *q;

    for (p = q = d; *p; p++) {
        if (*p != ' ' && *p != '\n')
            *q++ = *p;
    }
    *q = '\0';
    return d;
}


static int
screen_has_hex(struct scr *s, const char *hex)
{
    char *d = dump_squeezed(s);
    int found = strstr(d, hex) != NULL;

    free(d);
    return found;
}


static void
test_basic(void)
{
    struct scr *s = spawn_sh(24, 80, "printf 'hello\\nworld\\n'", NULL);
    char *dump;
    int row = -1;
    int col = -1;
    int nl = 0;
    char *p;

    SCR_CHECK(s, scr_wait_text(s, "world", T_WAIT) == 0, "no 'world'");
    SCR_CHECK(s, row_is(s, 0, "hello"), "row 0");
    SCR_CHECK(s, row_is(s, 1, "world"), "row 1");
    SCR_CHECK(s, row_is(s, -1, ""), "last row via -1");
    SCR_CHECK(s, scr_row(s, 24) == NULL && scr_row(s, -25) == NULL, "out of range rows");
    SCR_CHECK(s, scr_find(s, "orl", &row, &col) == 0 && row == 1 && col == 1,
              "find orl at %d,%d", row, col);
    SCR_CHECK(s, scr_find(s, "nope", &row, &col) == -1, "found nope");
    SCR_CHECK(s, scr_wait_exit(s, T_WAIT) == 0, "exit status");
    SCR_CHECK(s, !scr_alive(s), "still alive after exit");
    SCR_CHECK(s, scr_bytes_read(s) == 14, "bytes read %ld (want 14: onlcr)", scr_bytes_read(s));
    dump = scr_dump(s);
    for (p = dump; *p; p++)
        nl += *p == '\n';
    SCR_CHECK(s, strncmp(dump, "hello\nworld\n\n", 13) == 0 && nl == 23, "dump: %s", dump);
    free(dump);
    /* Screen is final after EOF: waits fail fast instead of timing out. */
    {
        long long t0 = now_ms();

        SCR_CHECK(s, scr_wait_text(s, "never", 3000) == -1, "found never");
        SCR_CHECK(s, now_ms() - t0 < 1000, "wait on closed pty took %lld ms", now_ms() - t0);
        SCR_CHECK(s, scr_eof(s), "eof not reported");
    }
    scr_free(s);
}


static void
test_exit_codes(void)
{
    char *argv_missing[] = { (char *)"/nonexistent/virtmux-scr-prog", NULL };
    char *argv_empty[] = { NULL };
    char *argv_sh[] = { (char *)"sh", (char *)"-c", (char *)"exit 0", NULL };
    char *path_bogus[] = { (char *)"PATH=/nonexistent", NULL };
    struct scr *s;

    s = spawn_sh(5, 20, "exit 3", NULL);
    SCR_CHECK(s, scr_wait_exit(s, T_WAIT) == 3, "exit 3");
    scr_free(s);

    s = spawn_sh(5, 20, "kill -TERM $$", NULL);
    SCR_CHECK(s, scr_wait_exit(s, T_WAIT) == 128 + SIGTERM, "killed by SIGTERM");
    scr_free(s);

    errno = 0;
    s = scr_spawn(5, 20, argv_missing, NULL);
    CHECK(s == NULL && errno == ENOENT, "spawn of missing program: %p errno %d", (void *)s, errno);
    CHECK(scr_spawn(5, 20, argv_empty, NULL) == NULL, "spawn with empty argv");
    errno = 0;
    CHECK(scr_spawn(5, 20, argv_sh, path_bogus) == NULL && errno == ENOENT,
          "PATH from envp_extra not used for the program lookup");
    CHECK(scr_spawn(0, 20, argv_missing, NULL) == NULL && errno == EINVAL, "spawn with 0 rows");
}


static void
test_pump(void)
{
    struct scr *s = spawn_sh(5, 40, "sleep 0.3; printf late; sleep 0.2", NULL);
    long long t0 = now_ms();

    scr_pump(s, 100);
    SCR_CHECK(s, now_ms() - t0 >= 90, "scr_pump returned early");
    SCR_CHECK(s, scr_find(s, "late", NULL, NULL) != 0, "late too early");
    scr_pump(s, 3000);
    SCR_CHECK(s, scr_find(s, "late", NULL, NULL) == 0, "late missing after pump");
    SCR_CHECK(s, now_ms() - t0 < 2500, "scr_pump did not stop at EOF");
    scr_free(s);
}


static void
test_env(void)
{
    char *extra[] = {
        (char *)"FOO=bar",
        (char *)"SCRTEST_INHERIT=child",
        (char *)"SCRTEST_UNSET",
        (char *)"XDG_CACHE_HOME=/nonexistent/cache",
        NULL,
    };
    const char *script =
        "printf 'H=%s\\nC=%s\\nD=%s\\nS=%s\\nK=%s\\nR=%s\\n' \"$HOME\" \"$XDG_CONFIG_HOME\" "
        "  \"$XDG_DATA_HOME\" \"$XDG_STATE_HOME\" \"$XDG_CACHE_HOME\" \"$XDG_RUNTIME_DIR\";"
        "printf 'L=%s|%s|%s\\n' \"$LANG\" \"$LC_ALL\" \"$TERM\";"
        "printf 'F=%s I=%s U=%s N=%s V=%s M=%s\\n' \"$FOO\" \"$SCRTEST_INHERIT\" "
        "  \"${SCRTEST_UNSET-unset}\" \"${LINES-none}\" \"${VIRTMUX_LEAK-gone}\" \"${LC_MESSAGES-none}\";"
        "test -d \"$XDG_RUNTIME_DIR\" && test -d \"$XDG_CONFIG_HOME\" && echo DIRS_OK;"
        "mkdir -p \"$HOME/ro/sub\" && touch \"$HOME/ro/sub/f\" && chmod 500 \"$HOME/ro/sub\" \"$HOME/ro\";"
        "echo END";
    struct scr *s;
    char *home;
    char *want;
    struct stat st;

    setenv("SCRTEST_INHERIT", "parent", 1);
    setenv("SCRTEST_UNSET", "x", 1);
    setenv("LINES", "5", 1);
    setenv("LC_MESSAGES", "de_DE.UTF-8", 1);
    setenv("VIRTMUX_LEAK", "1", 1);
    s = spawn_sh(24, 160, script, extra);
    home = strdup(scr_home(s));
    SCR_CHECK(s, scr_wait_text(s, "END", T_WAIT) == 0, "no END");
    SCR_CHECK(s, strncmp(home, "/", 1) == 0, "home %s", home);

    want = NULL;
    SCR_CHECK(s, asprintf(&want, "H=%s", home) > 0 && row_is(s, 0, want), "HOME");
    free(want);
    SCR_CHECK(s, asprintf(&want, "C=%s/.config", home) > 0 && row_is(s, 1, want), "XDG_CONFIG_HOME");
    free(want);
    SCR_CHECK(s, asprintf(&want, "D=%s/.local/share", home) > 0 && row_is(s, 2, want), "XDG_DATA_HOME");
    free(want);
    SCR_CHECK(s, asprintf(&want, "S=%s/.local/state", home) > 0 && row_is(s, 3, want), "XDG_STATE_HOME");
    free(want);
    SCR_CHECK(s, row_is(s, 4, "K=/nonexistent/cache"), "XDG_CACHE_HOME override");
    SCR_CHECK(s, asprintf(&want, "R=%s/.run", home) > 0 && row_is(s, 5, want), "XDG_RUNTIME_DIR");
    free(want);
    SCR_CHECK(s, row_is(s, 6, "L=C.UTF-8|C.UTF-8|xterm-256color"), "locale/TERM");
    SCR_CHECK(s, row_is(s, 7, "F=bar I=child U=unset N=none V=gone M=none"), "extra env");
    SCR_CHECK(s, row_is(s, 8, "DIRS_OK"), "dirs");
    SCR_CHECK(s, scr_wait_exit(s, T_WAIT) == 0, "exit");
    scr_free(s);
    CHECK(stat(home, &st) < 0 && errno == ENOENT, "temp dir %s not removed", home);
    free(home);
    unsetenv("SCRTEST_INHERIT");
    unsetenv("SCRTEST_UNSET");
    unsetenv("LINES");
    unsetenv("LC_MESSAGES");
    unsetenv("VIRTMUX_LEAK");
}


static void
test_colours(void)
{
    const char *script =
        "printf '\\033[31mR\\033[0m \\033[1;42mG\\033[0m \\033[38;5;196mX\\033[48;5;244mY\\033[0m "
        "\\033[7mV\\033[0m \\033[38;2;0;95;135mT\\033[0m D \\033[91mB\\033[0m \\033[4;3mU\\033[0m "
        "\\033[38;2;1;2;3mN\\033[48;2;255;255;255mW\\033[0m\\n';"
        "tput setaf 4; printf P; tput setab 100; printf Q; tput bold; printf W; tput sgr0;"
        "tput rev; printf Z; tput sgr0; tput setaf 255; printf G; tput sgr0; echo; echo END";
    struct scr *s = spawn_sh(10, 60, script, NULL);
    int n;

    SCR_CHECK(s, scr_wait_text(s, "END", T_WAIT) == 0, "no END");
    SCR_CHECK(s, row_is(s, 0, "R G XY V T D B U NW"), "row 0");
    SCR_CHECK(s, scr_fg(s, 0, 0) == 1 && scr_bg(s, 0, 0) == -1, "R: %d/%d", scr_fg(s, 0, 0), scr_bg(s, 0, 0));
    SCR_CHECK(s, scr_fg(s, 0, 1) == -1 && scr_bg(s, 0, 1) == -1, "space after reset");
    SCR_CHECK(s, scr_fg(s, 0, 2) == -1 && scr_bg(s, 0, 2) == 2, "G: %d/%d", scr_fg(s, 0, 2), scr_bg(s, 0, 2));
    SCR_CHECK(s, scr_attr_bold(s, 0, 2) == 1 && scr_attr_bold(s, 0, 0) == 0, "bold");
    SCR_CHECK(s, scr_fg(s, 0, 4) == 196 && scr_bg(s, 0, 4) == -1, "X: %d/%d", scr_fg(s, 0, 4), scr_bg(s, 0, 4));
    SCR_CHECK(s, scr_fg(s, 0, 5) == 196 && scr_bg(s, 0, 5) == 244, "Y: %d/%d", scr_fg(s, 0, 5), scr_bg(s, 0, 5));
    SCR_CHECK(s, scr_attr_reverse(s, 0, 7) == 1 && scr_attr_reverse(s, 0, 5) == 0, "reverse");
    SCR_CHECK(s, scr_fg(s, 0, 9) == 24, "T (rgb 0;95;135): %d", scr_fg(s, 0, 9));
    SCR_CHECK(s, scr_fg(s, 0, 11) == -1 && scr_bg(s, 0, 11) == -1, "D default");
    SCR_CHECK(s, scr_fg(s, 0, 13) == 9, "B bright red: %d", scr_fg(s, 0, 13));
    SCR_CHECK(s, scr_attr_underline(s, 0, 15) == 1 && scr_attr_italic(s, 0, 15) == 1, "underline/italic");
    SCR_CHECK(s, scr_attr_underline(s, 0, 13) == 0 && scr_attr_italic(s, 0, 13) == 0, "no underline/italic");
    n = scr_fg(s, 0, 17);
    SCR_CHECK(s, n == 16, "N (rgb 1;2;3) nearest fixed black: %d", n);
    n = scr_bg(s, 0, 18);
    SCR_CHECK(s, n == 15, "W bg (rgb white): %d", n);
    SCR_CHECK(s, scr_fg(s, 0, 200) == -2 && scr_bg(s, 10, 0) == -2 && scr_attr_bold(s, -11, 0) == -1,
              "out of range cells");

    SCR_CHECK(s, row_is(s, 1, "PQWZG"), "row 1");
    SCR_CHECK(s, scr_fg(s, 1, 0) == 4 && scr_bg(s, 1, 0) == -1, "P (tput setaf 4)");
    SCR_CHECK(s, scr_fg(s, 1, 1) == 4 && scr_bg(s, 1, 1) == 100, "Q (tput setab 100): %d", scr_bg(s, 1, 1));
    SCR_CHECK(s, scr_attr_bold(s, 1, 2) == 1 && scr_fg(s, 1, 2) == 4, "W (tput bold)");
    SCR_CHECK(s, scr_attr_reverse(s, 1, 3) == 1 && scr_fg(s, 1, 3) == -1 && scr_attr_bold(s, 1, 3) == 0,
              "Z (tput rev after sgr0)");
    SCR_CHECK(s, scr_fg(s, 1, 4) == 255, "G (tput setaf 255): %d", scr_fg(s, 1, 4));
    scr_free(s);
}


static void
test_utf8(void)
{
    const char *script =
        "printf 'a\\346\\227\\245\\346\\234\\254b\\n';"        /* a日本b */
        "printf 'e\\314\\201x\\n';"                            /* e + U+0301 combining acute, x */
        "printf '\\342\\202\\254uro \\342\\234\\223 \\303\\251t\\303\\251\\n';" /* €uro ✓ été */
        "printf '\\033[32m\\346\\227\\245\\033[0mz\\n';"        /* green 日, z */
        "echo END";
    struct scr *s = spawn_sh(8, 30, script, NULL);
    int row = -1;
    int col = -1;

    SCR_CHECK(s, scr_wait_text(s, "END", T_WAIT) == 0, "no END");
    SCR_CHECK(s, row_is(s, 0, "a\xe6\x97\xa5\xe6\x9c\xac" "b"), "wide row");
    SCR_CHECK(s, scr_find(s, "\xe6\x9c\xac", &row, &col) == 0 && row == 0 && col == 3,
              "find 本 at %d,%d", row, col);
    SCR_CHECK(s, scr_find(s, "b", &row, &col) == 0 && row == 0 && col == 5, "find b at %d,%d", row, col);
    SCR_CHECK(s, scr_find(s, "\xe6\x97\xa5\xe6\x9c\xac" "b", &row, &col) == 0 && col == 1,
              "find 日本b at col %d", col);
    SCR_CHECK(s, row_is(s, 1, "e\xcc\x81x"), "combining row");
    SCR_CHECK(s, scr_find(s, "x", &row, &col) == 0 && row == 1 && col == 1, "find x at %d,%d", row, col);
    SCR_CHECK(s, row_is(s, 2, "\xe2\x82\xac" "uro \xe2\x9c\x93 \xc3\xa9t\xc3\xa9"), "euro row");
    SCR_CHECK(s, scr_find(s, "\xc3\xa9t", &row, &col) == 0 && row == 2 && col == 7, "find ét at %d,%d", row, col);
    SCR_CHECK(s, scr_fg(s, 3, 0) == 2 && scr_fg(s, 3, 2) == -1, "green wide char");
    SCR_CHECK(s, scr_find(s, "z", &row, &col) == 0 && row == 3 && col == 2, "find z at %d,%d", row, col);
    scr_free(s);
}


static void
test_layout(void)
{
    const char *script =
        "printf 'a\\033[5Cb   \\033[3;10HX\\033]2;my title\\007\\007\\033[?25l';"
        "sleep 100";
    struct scr *s = spawn_sh(6, 20, script, NULL);
    int row = -1;
    int col = -1;
    int vis;

    SCR_CHECK(s, scr_wait_text(s, "X", T_WAIT) == 0, "no X");
    SCR_CHECK(s, scr_wait_stable(s, 150, T_WAIT) == 0, "not stable");
    SCR_CHECK(s, row_is(s, 0, "a     b"), "empty cells as spaces, trailing trimmed");
    SCR_CHECK(s, row_is(s, 2, "         X"), "row 2");
    SCR_CHECK(s, scr_find(s, "X", &row, &col) == 0 && row == 2 && col == 9, "X at %d,%d", row, col);
    SCR_CHECK(s, scr_find(s, "b   ", &row, &col) == 0 && row == 0 && col == 6, "find across trailing spaces");
    vis = scr_cursor(s, &row, &col);
    SCR_CHECK(s, row == 2 && col == 10 && vis == 0, "cursor %d,%d visible %d", row, col, vis);
    SCR_CHECK(s, strcmp(scr_title(s), "my title") == 0, "title '%s'", scr_title(s));
    SCR_CHECK(s, scr_bells(s) == 1, "bells %d", scr_bells(s));
    scr_free(s);
}


static void
test_waits(void)
{
    const char *script =
        "printf busy; sleep 0.3; printf '\\r\\033[Kdone\\n'; sleep 0.1; printf 'line2\\n'; sleep 100";
    struct scr *s = spawn_sh(6, 20, script, NULL);
    long long t0;

    SCR_CHECK(s, scr_wait_text(s, "busy", T_WAIT) == 0, "no busy");
    SCR_CHECK(s, scr_wait_gone(s, "busy", T_WAIT) == 0, "busy stayed");
    SCR_CHECK(s, scr_wait_row(s, 1, "ine", T_WAIT) == 0, "no line2 in row 1");
    SCR_CHECK(s, row_is(s, 0, "done"), "row 0");
    SCR_CHECK(s, scr_wait_row(s, -6, "done", 10) == 0, "negative row");
    SCR_CHECK(s, scr_wait_stable(s, 200, T_WAIT) == 0, "not stable");
    t0 = now_ms();
    SCR_CHECK(s, scr_wait_row(s, 0, "line2", 300) == -1, "line2 in row 0");
    SCR_CHECK(s, now_ms() - t0 >= 290 && now_ms() - t0 < 1000, "timeout took %lld ms", now_ms() - t0);
    SCR_CHECK(s, scr_wait_gone(s, "done", 200) == -1, "done vanished");
    SCR_CHECK(s, scr_alive(s), "sh died");
    scr_free(s);
}


static void
test_resize(void)
{
    const char *script =
        "trap 'clear; stty size; printf \"\\033[999;999H#\"' WINCH;"
        "stty size; echo READY; while :; do sleep 0.05; done";
    struct scr *s = spawn_sh(24, 80, script, NULL);
    int row = -1;
    int col = -1;
    int rows = 0;
    int cols = 0;

    SCR_CHECK(s, scr_wait_text(s, "READY", T_WAIT) == 0, "no READY");
    SCR_CHECK(s, row_is(s, 0, "24 80"), "initial size");

    scr_resize(s, 30, 100);
    scr_size(s, &rows, &cols);
    SCR_CHECK(s, rows == 30 && cols == 100, "scr_size %dx%d", rows, cols);
    SCR_CHECK(s, scr_wait_text(s, "30 100", T_WAIT) == 0, "no 30 100");
    SCR_CHECK(s, scr_wait_row(s, -1, "#", T_WAIT) == 0, "no # in last row");
    SCR_CHECK(s, scr_find(s, "#", &row, &col) == 0 && row == 29 && col == 99, "# at %d,%d", row, col);
    SCR_CHECK(s, scr_row(s, 30) == NULL, "row 30 exists");

    scr_resize(s, 10, 40);
    SCR_CHECK(s, scr_wait_text(s, "10 40", T_WAIT) == 0, "no 10 40");
    SCR_CHECK(s, scr_wait_row(s, 9, "#", T_WAIT) == 0, "no # in row 9");
    SCR_CHECK(s, scr_find(s, "#", &row, &col) == 0 && row == 9 && col == 39, "# at %d,%d", row, col);
    scr_free(s);
}


static void
test_keys(void)
{
    static const struct {
        const char *key;
        const char *hex;
    } normal[] = {
        { "Enter", "0d" }, { "Tab", "09" }, { "Esc", "1b" }, { "Backspace", "7f" },
        { "Up", "1b5b41" }, { "Down", "1b5b42" }, { "Right", "1b5b43" }, { "Left", "1b5b44" },
        { "Home", "1b5b48" }, { "End", "1b5b46" }, { "PageUp", "1b5b357e" }, { "PageDown", "1b5b367e" },
        { "Insert", "1b5b327e" }, { "Delete", "1b5b337e" },
        { "F1", "1b4f50" }, { "F4", "1b4f53" }, { "F5", "1b5b31357e" }, { "F12", "1b5b32347e" },
        { "C-a", "01" }, { "C-z", "1a" }, { "C-]", "1d" }, { "C-m", "0d" }, { "C-i", "09" },
        { "Bogus", "" }, { "x", "78" }, { "\xc3\xa9", "c3a9" }, { "M-x", "1b78" }, { "Space", "20" },
        { "S-Tab", "1b5b5a" },
    };
    static const struct {
        const char *key;
        const char *hex;
    } app[] = {
        { "Up", "1b4f41" }, { "Down", "1b4f42" }, { "Right", "1b4f43" }, { "Left", "1b4f44" },
        { "Home", "1b4f48" }, { "End", "1b4f46" }, { "F1", "1b4f50" }, { "PageDown", "1b5b367e" },
    };
    char script[512];
    char want[512] = "";
    char want2[256] = "";
    size_t n1 = 0;
    size_t n2 = 0;
    size_t i;
    struct scr *s;

    for (i = 0; i < sizeof(normal) / sizeof(normal[0]); i++) {
        strcat(want, normal[i].hex);
        n1 += strlen(normal[i].hex) / 2;
    }
    for (i = 0; i < sizeof(app) / sizeof(app[0]); i++) {
        strcat(want2, app[i].hex);
        n2 += strlen(app[i].hex) / 2;
    }
    snprintf(script, sizeof(script),
             "stty raw -echo opost; echo READY1; head -c %zu | od -An -tx1 -v;"
             "printf '\\033[?1h'; echo READY2; head -c %zu | od -An -tx1 -v;"
             "echo DONE; sleep 100", n1, n2);
    s = spawn_sh(30, 80, script, NULL);

    SCR_CHECK(s, scr_wait_text(s, "READY1", T_WAIT) == 0, "no READY1");
    for (i = 0; i < sizeof(normal) / sizeof(normal[0]); i++)
        scr_key(s, normal[i].key);
    SCR_CHECK(s, scr_wait_text(s, "READY2", T_WAIT) == 0, "no READY2");
    SCR_CHECK(s, screen_has_hex(s, want), "normal-mode keys, want %s", want);
    for (i = 0; i < sizeof(app) / sizeof(app[0]); i++)
        scr_key(s, app[i].key);
    SCR_CHECK(s, scr_wait_text(s, "DONE", T_WAIT) == 0, "no DONE");
    SCR_CHECK(s, screen_has_hex(s, want2), "application cursor keys, want %s", want2);
    scr_free(s);

    /* Raw bytes. */
    s = spawn_sh(5, 40, "stty raw -echo opost; echo READY; head -c 5 | od -An -tx1; sleep 100", NULL);
    SCR_CHECK(s, scr_wait_text(s, "READY", T_WAIT) == 0, "no READY");
    scr_send(s, "ab\x03\r\n");
    SCR_CHECK(s, scr_wait_text(s, "61 62 03 0d 0a", T_WAIT) == 0, "raw bytes");
    scr_free(s);
}


static void
test_queries(void)
{
    const char *script =
        "stty raw -echo opost; printf 'ab\\033[6n';"
        "r=$(dd bs=1 count=6 2>/dev/null | od -An -tx1 | tr -d ' \\n');"
        "printf '\\r\\nR=%s\\r\\n' \"$r\";"
        "printf '\\033[c'; r=$(dd bs=1 count=7 2>/dev/null | od -An -tx1 | tr -d ' \\n');"
        "printf 'DA=%s\\r\\n' \"$r\"; sleep 100";
    struct scr *s = spawn_sh(6, 40, script, NULL);

    SCR_CHECK(s, scr_wait_text(s, "R=", T_WAIT) == 0, "no DSR reply");
    SCR_CHECK(s, row_is(s, 1, "R=1b5b313b3352"), "DSR cursor report");
    SCR_CHECK(s, scr_wait_text(s, "DA=", T_WAIT) == 0, "no DA reply");
    SCR_CHECK(s, row_is(s, 2, "DA=1b5b3f313b3263"), "DA reply");
    scr_free(s);
}


static void
test_altscreen(void)
{
    const char *script =
        "printf 'main text\\n'; printf '\\033[?1049h\\033[2J\\033[Halt text'; read x;"
        "printf '\\033[?1049l'; echo back; sleep 100";
    struct scr *s = spawn_sh(6, 40, script, NULL);

    SCR_CHECK(s, scr_wait_text(s, "alt text", T_WAIT) == 0, "no alt text");
    SCR_CHECK(s, scr_find(s, "main text", NULL, NULL) != 0, "main text on alt screen");
    scr_key(s, "Enter");
    SCR_CHECK(s, scr_wait_text(s, "back", T_WAIT) == 0, "no back");
    SCR_CHECK(s, scr_find(s, "alt text", NULL, NULL) != 0, "alt text left");
    SCR_CHECK(s, row_is(s, 0, "main text"), "main screen restored");
    scr_free(s);
}


static void
test_less(void)
{
    struct scr *s = spawn_sh(10, 40, "seq 1 200 | less", NULL);

    SCR_CHECK(s, scr_wait_row(s, 9, ":", T_WAIT) == 0, "no less prompt");
    SCR_CHECK(s, row_is(s, 0, "1") && row_is(s, 8, "9"), "first page");
    scr_key(s, "Down");
    SCR_CHECK(s, scr_wait_row_is(s, 0, "2", T_WAIT) == 0, "Down did not scroll");
    scr_key(s, "PageDown");
    SCR_CHECK(s, scr_wait_row_is(s, 0, "11", T_WAIT) == 0, "PageDown did not page");
    scr_key(s, "End");
    SCR_CHECK(s, scr_wait_text(s, "(END)", T_WAIT) == 0, "End did not reach the end");
    SCR_CHECK(s, row_is(s, 8, "200"), "last line");
    scr_key(s, "Home");
    SCR_CHECK(s, scr_wait_row_is(s, 0, "1", T_WAIT) == 0, "Home did not go back");
    SCR_CHECK(s, scr_wait_row_is(s, 8, "9", T_WAIT) == 0, "Home: row 8");
    scr_key(s, "q");
    SCR_CHECK(s, scr_wait_exit(s, T_WAIT) == 0, "less did not quit");
    SCR_CHECK(s, scr_find(s, "200", NULL, NULL) != 0, "alternate screen not left");
    scr_free(s);
}


static void
test_large_output(void)
{
    struct scr *s = spawn_sh(24, 80, "seq 1 3000", NULL);
    long want = 0;
    int i;

    for (i = 1; i <= 3000; i++)
        want += snprintf(NULL, 0, "%d", i) + 2;     /* onlcr: "\r\n" */
    SCR_CHECK(s, scr_wait_exit(s, T_WAIT) == 0, "seq failed");
    SCR_CHECK(s, scr_bytes_read(s) == want, "read %ld bytes, want %ld", scr_bytes_read(s), want);
    SCR_CHECK(s, row_is(s, -2, "3000") && row_is(s, -3, "2999") && row_is(s, 0, "2978"), "scrolled tail");
    scr_free(s);
}


static void
test_never_finishes(void)
{
    char *argv_sleep[] = { (char *)"sleep", (char *)"1000", NULL };
    struct scr *s;
    long long t0;
    long long dt;
    pid_t pid;

    s = scr_spawn(5, 20, argv_sleep, NULL);
    CHECK(s != NULL, "spawn sleep");
    t0 = now_ms();
    SCR_CHECK(s, scr_wait_text(s, "never", 300) == -1, "found never");
    dt = now_ms() - t0;
    SCR_CHECK(s, dt >= 290 && dt < 1000, "wait_text timeout took %lld ms", dt);
    t0 = now_ms();
    SCR_CHECK(s, scr_wait_exit(s, 200) == -1, "sleep exited");
    dt = now_ms() - t0;
    SCR_CHECK(s, dt >= 190 && dt < 1000, "wait_exit timeout took %lld ms", dt);
    SCR_CHECK(s, scr_wait_stable(s, 100, 1000) == 0, "silent program not stable");
    SCR_CHECK(s, scr_alive(s), "not alive");
    pid = scr_pid(s);
    t0 = now_ms();
    scr_free(s);
    dt = now_ms() - t0;
    CHECK(dt < 1000, "scr_free of sleep took %lld ms", dt);
    CHECK(kill(pid, 0) < 0 && errno == ESRCH, "pid %d still exists", (int)pid);

    /* Ignores SIGTERM: scr_free must escalate to SIGKILL after 2 s. */
    s = spawn_sh(5, 40, "trap '' TERM; echo ready; while :; do sleep 1; done", NULL);
    SCR_CHECK(s, scr_wait_text(s, "ready", T_WAIT) == 0, "no ready");
    pid = scr_pid(s);
    t0 = now_ms();
    scr_free(s);
    dt = now_ms() - t0;
    CHECK(dt >= 1900 && dt < 4000, "scr_free of TERM-ignoring shell took %lld ms", dt);
    CHECK(kill(pid, 0) < 0 && errno == ESRCH, "pid %d still exists", (int)pid);

    /* Floods output forever: waits still return on time. */
    {
        char *argv_yes[] = { (char *)"yes", (char *)"flood", NULL };

        s = scr_spawn(24, 80, argv_yes, NULL);
        CHECK(s != NULL, "spawn yes");
        SCR_CHECK(s, scr_wait_text(s, "flood", T_WAIT) == 0, "no flood");
        t0 = now_ms();
        SCR_CHECK(s, scr_wait_stable(s, 100, 500) == -1, "flood looked stable");
        dt = now_ms() - t0;
        SCR_CHECK(s, dt >= 490 && dt < 1500, "wait_stable timeout took %lld ms", dt);
        t0 = now_ms();
        scr_pump(s, 200);
        dt = now_ms() - t0;
        SCR_CHECK(s, dt < 1200, "scr_pump(200) took %lld ms", dt);
        SCR_CHECK(s, scr_bytes_read(s) > 10000, "only %ld bytes", scr_bytes_read(s));
        SCR_CHECK(s, row_is(s, 5, "flood"), "flood row");
        t0 = now_ms();
        scr_free(s);
        CHECK(now_ms() - t0 < 1000, "scr_free of yes took %lld ms", now_ms() - t0);
    }
}


static void
test_no_fd_leak(void)
{
    char *argv_sleep[] = { (char *)"sleep", (char *)"1000", NULL };
    struct scr *a = scr_spawn(5, 20, argv_sleep, NULL);
    struct scr *b;

    CHECK(a != NULL, "spawn sleep");
    b = spawn_sh(20, 100, "ls -l /proc/$$/fd/ >\"$HOME/fds\"; sed 's/.* \\([0-9]*\\) -> /\\1:/' \"$HOME/fds\"; echo END", NULL);
    SCR_CHECK(b, scr_wait_text(b, "END", T_WAIT) == 0, "no END");
    SCR_CHECK(b, scr_find(b, "/dev/pts/", NULL, NULL) == 0, "ls output missing");
    SCR_CHECK(b, scr_find(b, "ptmx", NULL, NULL) != 0, "pty master of another scr leaked into child");
    SCR_CHECK(b, scr_find(b, "pipe:", NULL, NULL) != 0, "pipe leaked into child");
    scr_free(b);
    scr_free(a);
}


static int
read_all(int fd, char *buf, size_t cap, int timeout_ms)
{
    long long deadline = now_ms() + timeout_ms;
    size_t len = 0;

    for (;;) {
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        long long rem = deadline - now_ms();
        ssize_t n;

        if (rem <= 0 || poll(&pfd, 1, (int)rem) <= 0)
            break;
        n = read(fd, buf + len, cap - 1 - len);
        if (n <= 0)
            break;
        len += n;
        if (len >= cap - 1)
            break;
    }
    buf[len] = '\0';
    return (int)len;
}


static void
test_check_fail(void)
{
    int errp[2];
    int homep[2];
    char err[16384];
    char home[8200];
    char *home2;
    pid_t pid;
    int st = 0;
    struct stat sb;

    CHECK(pipe(errp) == 0 && pipe(homep) == 0, "pipe");
    pid = fork();
    CHECK(pid >= 0, "fork");
    if (pid == 0) {
        struct scr *other;
        struct scr *s;

        dup2(errp[1], STDERR_FILENO);
        close(errp[0]);
        close(errp[1]);
        close(homep[0]);
        /* Another live instance: a failed check must clean it up too. */
        other = spawn_sh(4, 30, "trap '' TERM; sleep 100", NULL);
        s = spawn_sh(4, 30, "printf 'visible text'; sleep 100", NULL);
        dprintf(homep[1], "%s %s", scr_home(s), scr_home(other));
        close(homep[1]);
        scr_wait_text(s, "visible", T_WAIT);
        SCR_CHECK(s, 1 + 1 == 3, "expected %d got %d", 3, 2);
        _exit(2);
    }
    close(errp[1]);
    close(homep[1]);
    read_all(homep[0], home, sizeof(home), T_WAIT);
    read_all(errp[0], err, sizeof(err), T_WAIT);
    close(homep[0]);
    close(errp[0]);
    CHECK(waitpid(pid, &st, 0) == pid, "waitpid");
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 1, "SCR_CHECK exit status %d; stderr:\n%s", st, err);
    CHECK(strstr(err, "harness-selftest.c:") != NULL, "no file:line in:\n%s", err);
    CHECK(strstr(err, "1 + 1 == 3") != NULL, "no expression in:\n%s", err);
    CHECK(strstr(err, "expected 3 got 2") != NULL, "no message in:\n%s", err);
    CHECK(strstr(err, "  0|visible text\n") != NULL, "no screen dump in:\n%s", err);
    home2 = strchr(home, ' ');
    CHECK(home2 != NULL, "no homes from child: '%s'", home);
    *home2++ = '\0';
    CHECK(home[0] == '/' && stat(home, &sb) < 0 && errno == ENOENT, "home '%s' not removed", home);
    CHECK(home2[0] == '/' && stat(home2, &sb) < 0 && errno == ENOENT, "other home '%s' not removed", home2);
}


/* Runs last: makes this process a subreaper so orphans come back to us. */
static void
test_pdeathsig(void)
{
    int p[2];
    pid_t mid;
    pid_t child = 0;
    char buf[4200];
    char *home;
    char *cmd = NULL;
    long long deadline;
    int st = 0;
    int reaped = 0;

    CHECK(prctl(PR_SET_CHILD_SUBREAPER, 1) == 0, "PR_SET_CHILD_SUBREAPER: %s", strerror(errno));
    CHECK(pipe(p) == 0, "pipe");
    mid = fork();
    CHECK(mid >= 0, "fork");
    if (mid == 0) {
        /* Survives the SIGHUP from the pty hangup: only PDEATHSIG kills it. */
        struct scr *s = spawn_sh(5, 40, "trap '' HUP TERM; echo ready; while :; do sleep 1; done", NULL);

        close(p[0]);
        if (scr_wait_text(s, "ready", T_WAIT) < 0)
            _exit(2);
        dprintf(p[1], "%d %s", (int)scr_pid(s), scr_home(s));
        close(p[1]);
        raise(SIGKILL);         /* die without scr_free */
        _exit(3);
    }
    close(p[1]);
    read_all(p[0], buf, sizeof(buf), T_WAIT);
    close(p[0]);
    CHECK(waitpid(mid, &st, 0) == mid && WIFSIGNALED(st), "intermediate process");
    child = atoi(buf);
    home = strchr(buf, ' ');
    CHECK(child > 0 && home, "no pid from intermediate: '%s'", buf);
    home++;

    deadline = now_ms() + 3000;
    while (now_ms() < deadline) {
        pid_t r = waitpid(child, &st, WNOHANG);

        if (r == child) {
            reaped = 1;
            break;
        }
        usleep(10000);
    }
    if (!reaped)
        kill(child, SIGKILL);
    if (strncmp(home, "/", 1) == 0 && strstr(home, "virtmux-scr-") &&
        asprintf(&cmd, "rm -rf -- '%s'", home) > 0) {
        if (system(cmd) != 0)
            fprintf(stderr, "warning: could not remove %s\n", home);
    }
    free(cmd);
    CHECK(reaped, "child %d outlived its parent", (int)child);
    CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "child %d status %d", (int)child, st);
}


int
main(void)
{
    static const struct {
        const char *name;
        void (*fn)(void);
    } tests[] = {
        { "basic", test_basic },
        { "exit_codes", test_exit_codes },
        { "pump", test_pump },
        { "env", test_env },
        { "colours", test_colours },
        { "utf8", test_utf8 },
        { "layout", test_layout },
        { "waits", test_waits },
        { "resize", test_resize },
        { "keys", test_keys },
        { "queries", test_queries },
        { "altscreen", test_altscreen },
        { "less", test_less },
        { "large_output", test_large_output },
        { "never_finishes", test_never_finishes },
        { "no_fd_leak", test_no_fd_leak },
        { "check_fail", test_check_fail },
        { "pdeathsig", test_pdeathsig },
    };
    size_t i;

    setvbuf(stdout, NULL, _IOLBF, 0);
    for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
        long long t0 = now_ms();

        tests[i].fn();
        printf("ok %zu - %s (%lld ms)\n", i + 1, tests[i].name, now_ms() - t0);
    }
    printf("all %zu harness self-tests passed\n", i);
    return 0;
}
