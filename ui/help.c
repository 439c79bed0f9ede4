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

static void
explain(char **t, const struct action *a)
{
    AUTOFREE char *usage = action_usage(a);

    append(t, "  %-44s %s\n", usage, a->help);
    for (int k = 0; a->args[k].name; k++) {
        if (!(a->args[k].flags & ARG_POSITIONAL))
            append(t, "      --%-36s %s\n", a->args[k].name, a->args[k].help);
    }
}

char *
help_text(const char *command)
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
    for (size_t i = 0; tables[i]; i++) {
        const struct binding *b;

        append(&t, "Keys (%s)\n", tables[i]);
        for (size_t k = 0; (b = keymap_get(k)); k++) {
            if (STREQ(b->table, tables[i]))
                append(&t, "  %-10s %-28s %s\n", b->key, b->note, b->action);
        }
        append(&t, "\n");
    }
    append(&t, "Commands (type ':' then the command; Tab completes; virsh's names and\n"
               "argument order; --host URI picks the host when a name is on several)\n\n");
    for (a = action_table(); a->name; a++)
        explain(&t, a);
    append(&t, "\nKeys can be changed in ~/.config/virtmux/config:\n"
               "  bind domains s start      unbind domains D      set theme mono\n");
    return t;
}
