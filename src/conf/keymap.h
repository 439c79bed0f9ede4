/* keymap.h: key bindings as data: {table, key, action-string, note} rows.
 * An action string is a command line for the action table ("start",
 * "autostart --disable") or, starting with ':', text to open the command
 * line with (%n is replaced by the selected object's quoted name). */
#ifndef VIRTMUX_KEYMAP_H
#define VIRTMUX_KEYMAP_H

#include "util.h"

struct binding {
    char *table;             /* "global", "domains", "text" ... */
    char *key;               /* "s", "S", "Enter", "C-l", "F1", "Up" */
    char *action;
    char *note;
};

void keymap_init(void);
/* The action bound to key in table (falling back to "global"), or NULL. */
const char *keymap_lookup(const char *table, const char *key);
/* The key tables, NULL-terminated: global, each list's, console, vnc. */
const char *const *keymap_tables(void);
/* Whether name is one of keymap_tables(). */
bool keymap_table_known(const char *name);
/* Add or replace a binding; an empty action removes it. */
void keymap_bind(const char *table, const char *key, const char *action,
                 const char *note);
/* Binding i (for the help screen); NULL past the end. */
const struct binding *keymap_get(size_t i);
/* The first key bound to action in table, or NULL (for hints). */
const char *keymap_key_for(const char *table, const char *action);
bool keymap_valid_key(const char *key);
void keymap_free(void);

#endif
