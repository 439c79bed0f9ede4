/* Tab on the ':' line after every command of the action table, in every
 * view, with a selection and without one: virtmux stays up (completion
 * once read a context of which only the host and domain were set, and
 * crashed on every vol-* command), and in the storage view with the
 * volumes pane focused a volume name of the selected pool completes. */
#include "action.h"
#include "vmtest.h"

/* ':' NAME ' ' Tab, then Esc twice (the candidates, the line). */
static void
tab_after(struct scr *s, const char *name, const char *where)
{
    char line[128];

    snprintf(line, sizeof(line), ":%s ", name);
    scr_send(s, line);
    scr_key(s, "Tab");
    scr_pump(s, 15);
    scr_key(s, "Escape");
    scr_key(s, "Escape");
    scr_pump(s, 5);
    SCR_CHECK(s, scr_alive(s), "virtmux is alive after ':%s <Tab>' (%s)", name, where);
}

static void
every_command(struct scr *s, const char *where)
{
    for (const struct action *a = action_table(); a->name; a++)
        tab_after(s, a->name, where);
    vm_settle(s);
    SCR_CHECK(s, scr_alive(s), "alive after every command (%s)", where);
}

int
main(void)
{
    char *args[] = { "--demo", NULL };
    struct scr *s = vm_start(args, NULL);

    SCR_CHECK(s, scr_wait_text(s, "[connected]", T_WAIT) == 0);
    vm_settle(s);

    /* view 1: on the host row (nothing selected), then on a domain */
    every_command(s, "domains, host row");
    SCR_CHECK(s, vm_goto(s, "web01") == 0);
    every_command(s, "domains, web01 selected");

    /* views 2 and 4 */
    scr_key(s, "2");
    SCR_CHECK(s, scr_wait_text(s, "[2:networks]", T_WAIT) == 0);
    every_command(s, "networks");
    scr_key(s, "1");
    SCR_CHECK(s, scr_wait_text(s, "[1:domains]", T_WAIT) == 0);
    scr_key(s, "4");
    SCR_CHECK(s, scr_wait_text(s, "[4:snapshots]", T_WAIT) == 0);
    every_command(s, "snapshots of web01");

    /* view 3: pools focused, then the volumes of 'default' focused */
    scr_key(s, "3");
    SCR_CHECK(s, scr_wait_text(s, "[3:storage]", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "backup-data.img", T_WAIT) == 0, "default's volumes show");
    every_command(s, "storage, pools focused");
    scr_key(s, "Tab");
    vm_settle(s);
    every_command(s, "storage, volumes focused");

    /* and a volume name completes from the selected pool: two
     * candidates, their common start filled in */
    scr_send(s, ":vol-info back");
    scr_key(s, "Tab");
    SCR_CHECK(s, scr_wait_row(s, ROWS - 1, ":vol-info backup", T_WAIT) == 0,
              "the common start of the pool's backup volumes is filled in");
    scr_key(s, "Tab");
    SCR_CHECK(s, scr_wait_text(s, "backup-data.img  backup.qcow2", T_WAIT) == 0 ||
              scr_wait_text(s, "backup-data.img backup.qcow2", T_WAIT) == 0,
              "the candidates name the pool's volumes");
    scr_key(s, "Escape");
    scr_key(s, "Escape");
    vm_settle(s);
    SCR_CHECK(s, scr_alive(s));
    scr_free(s);
    return 0;
}
