/* config.c: the config file. One command a line, words split like the
 * ':' line (quotes allowed), '#' starts a comment. */
#include <autoconf.h>

#include <stdio.h>
#include <stdlib.h>

#include "action.h"
#include "config.h"
#include "keymap.h"

struct config cfg;

void
config_defaults(void)
{
    free(cfg.theme);
    cfg.theme = NULL;
    cfg.stats_interval = 2;
    cfg.details = true;
    free(cfg.console_escape);
    cfg.console_escape = xstrdup("C-]");
    cfg.vnc_fps = 10;
}

char *
config_default_path(void)
{
    const char *x = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

    if (x && *x)
        return xasprintf("%s/virtmux/config", x);
    return xasprintf("%s/.config/virtmux/config", home ? home : ".");
}

/* A key table bind and unbind may name: one of keymap_tables(). */
static int
known_table(const char *table, struct err *e)
{
    const char *const *t = keymap_tables();
    AUTOFREE char *names = xstrdup("");

    if (keymap_table_known(table))
        return 0;
    for (size_t i = 0; t[i]; i++) {
        char *n = xasprintf("%s%s%s", names, i ? ", " : "", t[i]);
        free(names);
        names = n;
    }
    return err_set(e, "unknown key table '%s' (the tables: %s)", table, names);
}

static int
apply(char **w, int n, struct err *e)
{
    if (STREQ(w[0], "bind")) {
        AUTOFREE char *act = NULL;
        AUTOFREE char *first = NULL;

        if (n < 4)
            return err_set(e, "usage: bind TABLE KEY ACTION...");
        if (known_table(w[1], e) < 0)
            return -1;
        if (!keymap_valid_key(w[2]))
            return err_set(e, "unknown key '%s'", w[2]);
        act = xstrdup(w[3]);
        for (int i = 4; i < n; i++) {
            AUTOFREE char *q = util_shell_quote(w[i]);
            char *t = xasprintf("%s %s", act, q);

            free(act);
            act = t;
        }
        first = xstrdup(w[3]);
        if (first[0] != ':' && first[0] != '/' && !action_find(first))
            return err_set(e, "unknown action '%s'", first);
        keymap_bind(w[1], w[2], act, NULL);
        return 0;
    }
    if (STREQ(w[0], "unbind")) {
        if (n != 3)
            return err_set(e, "usage: unbind TABLE KEY");
        if (known_table(w[1], e) < 0)
            return -1;
        keymap_bind(w[1], w[2], NULL, NULL);
        return 0;
    }
    if (STREQ(w[0], "set")) {
        if (n != 3)
            return err_set(e, "usage: set OPTION VALUE");
        if (STREQ(w[1], "theme")) {
            free(cfg.theme);
            cfg.theme = xstrdup(w[2]);
        } else if (STREQ(w[1], "stats-interval")) {
            char *end;
            long v = strtol(w[2], &end, 10);

            if (*end || v < 0 || v > 3600)
                return err_set(e, "stats-interval takes 0..3600 seconds");
            cfg.stats_interval = (int)v;
        } else if (STREQ(w[1], "vnc-fps")) {
            char *end;
            long v = strtol(w[2], &end, 10);

            if (*end || v < 1 || v > 60)
                return err_set(e, "vnc-fps takes 1..60 frames a second");
            cfg.vnc_fps = (int)v;
        } else if (STREQ(w[1], "console-escape")) {
            if (!keymap_valid_key(w[2]))
                return err_set(e, "unknown key '%s'", w[2]);
            free(cfg.console_escape);
            cfg.console_escape = xstrdup(w[2]);
        } else if (STREQ(w[1], "details")) {
            if (!STREQ(w[2], "on") && !STREQ(w[2], "off"))
                return err_set(e, "details takes on or off");
            cfg.details = STREQ(w[2], "on");
        } else {
            return err_set(e, "unknown option '%s'", w[1]);
        }
        return 0;
    }
    return err_set(e, "unknown command '%s'", w[0]);
}

/* A '#' that starts a word outside quotes starts a comment. */
static char *
comment_start(char *line)
{
    char q = 0;

    for (char *p = line; *p; p++) {
        if (q) {
            if (*p == q)
                q = 0;
        } else if (*p == '\'' || *p == '"') {
            q = *p;
        } else if (*p == '\\' && p[1]) {
            p++;
        } else if (*p == '#' && (p == line || p[-1] == ' ' || p[-1] == '\t')) {
            return p;
        }
    }
    return NULL;
}

int
config_load(const char *path, void (*warn)(const char *msg, void *opaque),
            void *opaque)
{
    FILE *f = fopen(path, "re");
    char line[1024];
    int lineno = 0;

    if (!f)
        return -1;
    while (fgets(line, sizeof(line), f)) {
        char **w, *hash;
        int n;
        struct err e;

        lineno++;
        line[strcspn(line, "\n")] = '\0';
        if ((hash = comment_start(line)))
            *hash = '\0';
        if (!(w = util_split_words(line, &n, NULL))) {
            AUTOFREE char *m = xasprintf("%s:%d: unbalanced quotes", path, lineno);

            warn(m, opaque);
            continue;
        }
        if (n > 0 && apply(w, n, &e) < 0) {
            AUTOFREE char *m = xasprintf("%s:%d: %s", path, lineno, e.msg);

            warn(m, opaque);
        }
        util_strv_free(w);
    }
    fclose(f);
    return 0;
}

void
config_free(void)
{
    free(cfg.theme);
    cfg.theme = NULL;
    free(cfg.console_escape);
    cfg.console_escape = NULL;
}
