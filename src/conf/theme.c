/* theme.c: theme files are lines of "role = fg, bg[, attr...]", with '#'
 * comments and an optional "mono = yes". Colours are names (default,
 * black, red, green, yellow, blue, magenta, cyan, white, bright-*) or
 * 0..255. A bad line is reported with file and line and skipped. */
#include <autoconf.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "theme.h"

static const char *role_names[] = {
#define X(e, n, d) n,
    THEME_ROLES(X)
#undef X
};

static const char *role_defaults[] = {
#define X(e, n, d) d,
    THEME_ROLES(X)
#undef X
};

const char *
theme_role_name(enum theme_role r)
{
    return role_names[r];
}

static char *
trim(char *s)
{
    char *e;

    while (isspace((unsigned char)*s))
        s++;
    e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

static int
parse_color(const char *s, int *out)
{
    static const char *names[] = { "black", "red", "green", "yellow", "blue",
                                   "magenta", "cyan", "white" };
    char *end;
    long v;

    if (STREQ(s, "default")) {
        *out = THEME_DEFAULT_COLOR;
        return 0;
    }
    for (int i = 0; i < 8; i++) {
        if (STREQ(s, names[i])) {
            *out = i;
            return 0;
        }
        if (STRPREFIX(s, "bright-") && STREQ(s + 7, names[i])) {
            *out = i + 8;
            return 0;
        }
    }
    errno = 0;
    v = strtol(s, &end, 10);
    if (*s && !*end && !errno && v >= 0 && v <= 255) {
        *out = (int)v;
        return 0;
    }
    return -1;
}

int
theme_parse_style(const char *value, struct theme_style *s, struct err *e)
{
    AUTOFREE char *copy = xstrdup(value);
    char *save = NULL, *tok;
    int i = 0;

    *s = (struct theme_style){ THEME_DEFAULT_COLOR, THEME_DEFAULT_COLOR, 0 };
    for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save), i++) {
        char *t = trim(tok);

        if (i < 2) {
            if (parse_color(t, i == 0 ? &s->fg : &s->bg) < 0)
                return err_set(e, "unknown colour '%s'", t);
        } else if (STREQ(t, "bold")) {
            s->attrs |= THEME_BOLD;
        } else if (STREQ(t, "reverse")) {
            s->attrs |= THEME_REVERSE;
        } else if (STREQ(t, "underline")) {
            s->attrs |= THEME_UNDERLINE;
        } else if (STREQ(t, "dim")) {
            s->attrs |= THEME_DIM;
        } else if (*t) {
            return err_set(e, "unknown attribute '%s'", t);
        }
    }
    if (i < 2)
        return err_set(e, "expected 'fg, bg[, attributes]'");
    return 0;
}

void
theme_defaults(struct theme *t)
{
    for (int r = 0; r < ROLE_COUNT; r++) {
        if (theme_parse_style(role_defaults[r], &t->style[r], NULL) < 0)
            fatal("bad built-in style for %s", role_names[r]);
    }
    t->mono = false;
}

int
theme_load(struct theme *t, const char *path,
           void (*warn)(const char *msg, void *opaque), void *opaque)
{
    FILE *f = fopen(path, "re");
    char line[512];
    int lineno = 0;

    if (!f)
        return -1;
    while (fgets(line, sizeof(line), f)) {
        char *eq, *key, *val, *hash = strchr(line, '#');
        struct theme_style st;
        struct err e;
        int r;

        lineno++;
        if (hash)
            *hash = '\0';
        key = trim(line);
        if (!*key)
            continue;
        if (!(eq = strchr(key, '='))) {
            AUTOFREE char *m = xasprintf("%s:%d: expected 'role = fg, bg'", path, lineno);

            warn(m, opaque);
            continue;
        }
        *eq = '\0';
        key = trim(key);
        val = trim(eq + 1);
        if (STREQ(key, "mono")) {
            t->mono = STREQ(val, "yes") || STREQ(val, "true");
            continue;
        }
        for (r = 0; r < ROLE_COUNT; r++) {
            if (STREQ(role_names[r], key))
                break;
        }
        if (r == ROLE_COUNT) {
            AUTOFREE char *m = xasprintf("%s:%d: unknown role '%s'", path, lineno, key);

            warn(m, opaque);
            continue;
        }
        if (theme_parse_style(val, &st, &e) < 0) {
            AUTOFREE char *m = xasprintf("%s:%d: %s", path, lineno, e.msg);

            warn(m, opaque);
            continue;
        }
        t->style[r] = st;
    }
    fclose(f);
    return 0;
}
