/* console.h: a serial console's terminal emulation, pure: bytes from the
 * guest in, a screen of cells plus scrollback out, key presses turned
 * into the bytes the guest expects. libvterm does the emulation; nothing
 * the guest sends reaches the real terminal. No curses, no libvirt. */
#ifndef VIRTMUX_CONSOLE_H
#define VIRTMUX_CONSOLE_H

#include "err.h"

enum { CON_BOLD = 1, CON_UNDERLINE = 2, CON_REVERSE = 4, CON_ITALIC = 8,
       CON_BLINK = 16, CON_STRIKE = 32 };

struct con_cell {
    uint32_t ch;             /* 0: blank */
    int16_t fg, bg;          /* 0..255, -1 default */
    uint8_t attrs;
    uint8_t width;           /* 1 or 2; 0 for the right half of a wide one */
};

struct console;

/* A console of rows x cols keeping up to scrollback lines. */
struct console *console_new(int rows, int cols, size_t scrollback);
void console_free(struct console *c);
/* Guest output. */
void console_feed(struct console *c, const char *bytes, size_t len);
void console_resize(struct console *c, int rows, int cols);
void console_size(const struct console *c, int *rows, int *cols);
/* Where keys and the emulator's replies (cursor reports ...) go. */
void console_set_output(struct console *c,
                        void (*out)(const char *bytes, size_t len, void *opaque),
                        void *opaque);
/* A key press by name ("Enter", "Up", "C-c", "F5", "a", "é"). */
void console_key(struct console *c, const char *key);
/* Lines in the scrollback (0 .. scrollback given at creation). */
size_t console_scrollback(const struct console *c);
/* Cell at row (negative rows are scrollback: -1 the newest line). */
void console_cell(const struct console *c, int row, int col, struct con_cell *out);
/* Text of a row as UTF-8 (caller frees), trailing blanks dropped. */
char *console_row_text(const struct console *c, int row);
/* Cursor position; false when the guest hid it. */
bool console_cursor(const struct console *c, int *row, int *col);
/* Something changed since the last call; with top and bot, the screen
 * rows whose cells changed, [*top, *bot) (empty: only the cursor moved;
 * all of them after a resize or a new title). */
bool console_take_damage(struct console *c, int *top, int *bot);
/* The nearest row before (dir < 0) or after (dir > 0) from whose text
 * contains needle; INT32_MIN when none. */
int console_search(const struct console *c, const char *needle, int from, int dir);
/* Copy every byte the guest sends to path (0600, appended); NULL stops. */
int console_log(struct console *c, const char *path, struct err *e);
const char *console_log_path(const struct console *c);
/* Bytes fed so far; the guest's title (sanitised, may be ""). */
unsigned long long console_bytes(const struct console *c);
const char *console_title(const struct console *c);

#endif
