/* lineedit.h: one line of editable text (the ':' line, prompts, form
 * fields): a UTF-8 buffer, a cursor on a character boundary, a horizontal
 * scroll for the width it is shown in, and an optional history. Pure: no
 * curses, keys arrive by name ("Left", "C-w", "é"). */
#ifndef VIRTMUX_LINEEDIT_H
#define VIRTMUX_LINEEDIT_H

#include <stdbool.h>
#include <stddef.h>

#define LINEEDIT_MAX 1024
#define LINEEDIT_HIST 100

struct lineedit {
    char buf[LINEEDIT_MAX];
    size_t len;
    size_t cur;                  /* byte offset of the cursor */
    int scroll;                  /* first cell shown */
    bool secret;                 /* shown as '*', one per character */
    bool history;                /* Up/Down (C-p/C-n) walk the history */
    char *hist[LINEEDIT_HIST];
    int nhist, hpos;
    char *draft;                 /* the text being typed while in the history */
};

/* Replace the text; the cursor goes to its end. */
void lineedit_set(struct lineedit *le, const char *text);
/* The text (borrowed, valid until the next edit). */
const char *lineedit_text(const struct lineedit *le);
/* Empty the text, wiping the bytes (a secret's). */
void lineedit_clear(struct lineedit *le);
/* Insert text at the cursor; false when it does not fit. */
bool lineedit_insert(struct lineedit *le, const char *text);
/* Apply one key; true when the key is an editing key (it may change
 * nothing), false for keys the caller handles (Enter, Esc, Tab ...). */
bool lineedit_key(struct lineedit *le, const char *key);
/* Remember a line at the history's end (skips empty and repeated lines). */
void lineedit_history_add(struct lineedit *le, const char *line);
/* What to draw in width cells: a new string exactly width cells wide, and
 * in *col the cursor's cell in it. Adjusts the scroll to keep the cursor
 * shown. */
char *lineedit_view(struct lineedit *le, int width, int *col);
/* Free the history (the struct itself is the caller's). */
void lineedit_free(struct lineedit *le);

#endif
