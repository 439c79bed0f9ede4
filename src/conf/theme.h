/* theme.h: colour roles (one X-macro list, so names and defaults cannot
 * drift) and the parser of themes/NAME.theme files. No curses here: ui/
 * maps the parsed colours to curses pairs. */
#ifndef VIRTMUX_THEME_H
#define VIRTMUX_THEME_H

#include "err.h"

#define THEME_ROLES(X) \
    X(NORMAL, "normal", "default,default") \
    X(HEADER, "header", "default,default,bold,underline") \
    X(SELECTED, "selected", "black,cyan") \
    X(TITLE, "title", "cyan,default,bold") \
    X(BORDER, "border", "blue,default") \
    X(STATUS, "status", "white,blue") \
    X(STATUS_ERROR, "status.error", "white,red,bold") \
    X(STATUS_WARN, "status.warn", "black,yellow") \
    X(HOST, "host", "cyan,default,bold") \
    X(HOST_LOST, "host.lost", "red,default,bold") \
    X(STATE_RUNNING, "state.running", "green,default") \
    X(STATE_PAUSED, "state.paused", "yellow,default") \
    X(STATE_SHUTOFF, "state.shutoff", "default,default,dim") \
    X(STATE_OTHER, "state.other", "magenta,default") \
    X(DIM, "dim", "default,default,dim") \
    X(KEY, "key", "yellow,default,bold") \
    X(PROMPT, "prompt", "default,default") \
    X(LABEL, "label", "cyan,default")

enum theme_role {
#define X(e, n, d) ROLE_##e,
    THEME_ROLES(X)
#undef X
    ROLE_COUNT
};

enum { THEME_BOLD = 1, THEME_REVERSE = 2, THEME_UNDERLINE = 4, THEME_DIM = 8 };
#define THEME_DEFAULT_COLOR (-1)

struct theme_style {
    int fg, bg;              /* 0..255, or THEME_DEFAULT_COLOR */
    unsigned attrs;
};

struct theme {
    struct theme_style style[ROLE_COUNT];
    bool mono;               /* attributes only (NO_COLOR, mono theme) */
};

const char *theme_role_name(enum theme_role r);
/* The built-in defaults. */
void theme_defaults(struct theme *t);
/* Parse one "fg, bg, attrs" value. */
int theme_parse_style(const char *value, struct theme_style *s, struct err *e);
/* Apply a theme file on top of t; bad lines are warned about through warn
 * ("FILE:LINE: ..."), the rest still applies. -1 when the file is unreadable. */
int theme_load(struct theme *t, const char *path,
               void (*warn)(const char *msg, void *opaque), void *opaque);

#endif
