/* vmtest.h: what the screen tests share (libtestscreen.a, vmtest.c): start
 * the real virtmux on a pty with a copy of a fixture, find rows and move
 * the cursor onto them, wait for the program to settle, type ':' commands,
 * a scripted $EDITOR. Each screen test is one user story and exits 0 on
 * success. */
#ifndef VIRTMUX_VMTEST_H
#define VIRTMUX_VMTEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

#define ROWS 40
#define COLS 120
#define T_WAIT 8000

/* $top_srcdir, or "." (borrowed). */
const char *vm_srcdir(void);
/* $VIRTMUX, or "./virtmux" (borrowed). */
const char *vm_binary(void);
/* "test:///tmp/vmt-XXXXXX/NAME" in buf: a private copy of tests/data/NAME
 * (removed at exit), so URIs are the same length wherever the tree is built. */
const char *vm_fixture_uri(char *buf, size_t len, const char *name);
/* Start virtmux ROWSxCOLS with args (NULL-terminated) and extra environment; exits on failure. */
struct scr *vm_start(char *const args[], char *const env[]);
/* The row with the selection highlight (reverse or the theme's cyan), -1 if none. */
int vm_selected_row(struct scr *s);
/* Down/Up until the highlight is on the row find(s, what) returns; -1 if it is not on screen. */
int vm_goto_row(struct scr *s, int (*find)(struct scr *s, const char *what), const char *what);
/* Wait up to T_WAIT until find(s, what) finds a row (present) or none (!present); 0 or -1. */
int vm_wait_row(struct scr *s, int (*find)(struct scr *s, const char *what), const char *what,
                int present);
/* The row showing "  name " (a domain, pool, network...), -1 if none. */
int vm_find_domain(struct scr *s, const char *name);
/* The header row of the host whose URI has part, -1 if none. */
int vm_find_host(struct scr *s, const char *part);
/* Move the cursor onto the row showing "  name" (first match); 0 or -1. */
int vm_goto(struct scr *s, const char *name);
/* Move the cursor onto the header row of the host whose URI has part; 0 or -1. */
int vm_goto_host(struct scr *s, const char *part);
/* Wait until the program has drawn everything (no output for 150 ms). */
void vm_settle(struct scr *s);
/* The row where text first appears, -1 if nowhere. */
int vm_row_of(struct scr *s, const char *text);
/* Wait until one row shows both the host (a part of its URI) and text; 0 or -1. */
int vm_wait_host(struct scr *s, const char *uri_part, const char *text, int timeout_ms);
/* Type a ':' command and press Enter. */
void vm_command(struct scr *s, const char *line);
/* The text of row r contains needle. */
int vm_row_has(struct scr *s, int r, const char *needle);
/* The cell column where text starts on row r, -1 if not there. */
int vm_col_of(struct scr *s, int r, const char *text);
/* A line of the file at path contains needle (a guest's serial log). */
int vm_file_has(const char *path, const char *needle);

/* A scripted $EDITOR (tests/screen/SCRIPT) with a private state dir:
 * pass e->env to vm_start, call vm_editor_done at the end. */
struct vm_editor {
    char state[64];
    char ed[4300], st[96];
    char *env[4];
};

/* Make the state dir and the environment; exits on failure. */
void vm_editor_init(struct vm_editor *e, const char *script);
/* The editor found its file was not the user's text ("lost" marker). */
int vm_editor_lost(const struct vm_editor *e);
/* Remove the state dir. */
void vm_editor_done(const struct vm_editor *e);

#endif
