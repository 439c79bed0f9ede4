/* gen-keys: print doc/keys.md from the key table and the action table, so
 * the documented keys and commands are the ones the program has. */
#include <autoconf.h>

#include <stdio.h>

#include "action.h"
#include "keymap.h"

static void
escape(const char *s)
{
    for (; *s; s++) {
        if (*s == '|' || *s == '<' || *s == '>' || *s == '*' || *s == '_')
            putchar('\\');
        putchar(*s);
    }
}

int
main(void)
{
    const char *const *tables = keymap_tables();
    const struct binding *b;

    keymap_init();
    printf("# virtmux keys and commands\n\n"
           "Generated from the key table (`src/keymap.c`) and the action table\n"
           "(`src/action.c`, `src/act-*.c`) by `make keys`; do not edit by hand.\n\n"
           "Everywhere: Up/Down or j/k, PageUp/PageDown, Home/End (g/G) move;\n"
           "Tab switches pane; `<` and `>` sort by the previous/next column; Esc clears\n"
           "the filter; C-l redraws. In the text viewer: q or Esc closes, `/` searches.\n");
    for (size_t i = 0; tables[i]; i++) {
        printf("\n## Keys: %s\n\n| key | does | action string |\n|---|---|---|\n", tables[i]);
        for (size_t k = 0; (b = keymap_get(k)); k++) {
            if (!STREQ(b->table, tables[i]))
                continue;
            printf("| `%s` | ", b->key);
            escape(b->note);
            printf(" | `%s` |\n", b->action);
        }
    }
    printf("\n## Commands (`:` line)\n\n"
           "virsh's command names and positional argument order; `--host URI` picks the\n"
           "host when a name exists on several. Tab completes commands, options and names.\n\n"
           "| command | what it does | flags |\n|---|---|---|\n");
    for (const struct action *a = action_table(); a->name; a++) {
        AUTOFREE char *usage = action_usage(a);

        printf("| `%s` | ", usage);
        escape(a->help);
        printf(" | %s%s%s%s |\n",
               a->flags & ACT_MUTATES ? "changes the host; " : "",
               a->flags & ACT_DESTRUCTIVE ? "asks y/n; " : "",
               a->flags & ACT_CONFIRM_NAME ? "asks for the name; " : "",
               a->flags & ACT_UI ? "virtmux only" : "");
    }
    keymap_free();
    return 0;
}
