/* help.c: the help screen, generated from the key table and the action
 * table so it can never disagree with what the keys and commands do. */
#include <autoconf.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "action.h"
#include "keymap.h"
#include "ui.h"

static void
append(char **buf, const char *fmt, ...) ATTR_PRINTF(2, 3);

static void
append(char **buf, const char *fmt, ...)
{
    va_list ap;
    char *add, *n;

    va_start(ap, fmt);
    if (vasprintf(&add, fmt, ap) < 0)
        fatal("out of memory");
    va_end(ap);
    n = xasprintf("%s%s", *buf, add);
    free(add);
    free(*buf);
    *buf = n;
}

/* text wrapped at width cells, each line after indent spaces */
static void
wrapped(char **t, int indent, int width, const char *text)
{
    char **lines = util_wrap(text, width);

    for (size_t i = 0; lines[i]; i++)
        append(t, "%*s%s\n", indent, "", lines[i]);
    util_strv_free(lines);
}

/* A command: its usage, then what it does and its options below it, so
 * that the page reads at 80 columns. */
static void
explain(char **t, const struct action *a)
{
    AUTOFREE char *usage = action_usage(a);

    wrapped(t, 2, 76, usage);
    wrapped(t, 6, 72, a->help);
    for (int k = 0; a->args[k].name; k++) {
        AUTOFREE char *opt = NULL;

        if (a->args[k].flags & ARG_POSITIONAL)
            continue;
        opt = xasprintf("--%s: %s", a->args[k].name, a->args[k].help);
        wrapped(t, 6, 72, opt);
    }
}

static void
keys_of(char **t, const char *table, const char *why)
{
    const struct binding *b;

    append(t, "Keys (%s)%s\n", table, why);
    for (size_t k = 0; (b = keymap_get(k)); k++) {
        if (STREQ(b->table, table))
            append(t, "  %-9s %-34s %s\n", b->key, b->note, b->action);
    }
    append(t, "\n");
}

char *
help_text(const char *command, const char *here, const char *view)
{
    const char *const *tables = keymap_tables();
    char *t = xstrdup("");
    const struct action *a;

    if (command && (a = action_find(command))) {
        append(&t, "Command %s\n\n", a->name);
        explain(&t, a);
        append(&t, "\n%s%s%s%s\n",
               a->flags & ACT_MUTATES ? "Changes the host (refused read-only). " : "",
               a->flags & ACT_DESTRUCTIVE ? "Asks for confirmation. " : "",
               a->flags & ACT_CONFIRM_NAME ? "Asks for the name to be typed. " : "",
               a->flags & ACT_UI ? "A virtmux command (no virsh equivalent)." : "");
        return t;
    }
    append(&t, "virtmux %s: keys and commands\n\n", PACKAGE_VERSION);
    append(&t, "Moving: Up/Down or j/k, PageUp/PageDown, Home/End (g/G), Tab: next pane,\n"
               "< and >: sort by the previous/next column, Esc: clear the filter, C-l: redraw.\n\n");
    /* what works here first: the focused pane's keys, the view's list's,
     * the keys of every view; then the rest (a pane with no table of its
     * own, the details, has the view's) */
    if (here && !keymap_table_known(here))
        here = NULL;
    if (view && !keymap_table_known(view))
        view = NULL;
    if (here)
        keys_of(&t, here, ": here");
    if (view && (!here || STRNEQ(view, here)))
        keys_of(&t, view, ": this view");
    keys_of(&t, "global", ": everywhere");
    for (size_t i = 0; tables[i]; i++) {
        if (STRNEQ(tables[i], "global") && (!here || STRNEQ(tables[i], here)) &&
            (!view || STRNEQ(tables[i], view)))
            keys_of(&t, tables[i], "");
    }
    append(&t, "Commands (type ':' then the command; Tab completes; virsh's names and\n"
               "argument order; --host URI picks the host when a name is on several)\n\n");
    for (a = action_table(); a->name; a++)
        explain(&t, a);
    append(&t, "\nKeys can be changed in ~/.config/virtmux/config:\n"
               "  bind domains s start      unbind domains D      set theme mono\n");
    return t;
}
