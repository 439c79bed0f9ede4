/* A user drives a domain's lifecycle with keys: start turns it green,
 * destroy asks first (no keeps it running, y turns it off), rename through
 * the prefilled ':' line, undefine only after the name is typed, and a
 * name that exists on two hosts acts on the selected host's one unless
 * --host says otherwise. */
#include "vmtest.h"

int
main(void)
{
    char a[4096], b[4096], cmd[8300];
    char *args[] = { "-c", (char *)vm_fixture_uri(a, sizeof(a), "host-a.xml"),
                     "-c", (char *)vm_fixture_uri(b, sizeof(b), "host-b.xml"), NULL };
    struct scr *s = vm_start(args, NULL);
    int r, row, col;

    SCR_CHECK(s, scr_wait_text(s, "11 domains, 4 running", T_WAIT) == 0);
    vm_settle(s);

    /* start with 's': state text and colour change */
    SCR_CHECK(s, vm_goto(s, "bravo") == 0);
    scr_key(s, "s");
    SCR_CHECK(s, scr_wait_text(s, "Domain 'bravo' started", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "5 running", T_WAIT) == 0);
    vm_settle(s);
    r = vm_row_of(s, "  bravo ");
    SCR_CHECK(s, vm_row_has(s, r, "running"));
    SCR_CHECK(s, scr_find(s, "State", &row, &col) == 0);
    /* the selected row is highlighted: move off it to see its colour */
    scr_key(s, "Down");
    vm_settle(s);
    SCR_CHECK(s, scr_fg(s, r, col) == 2, "bravo's state is green once running");

    /* destroy asks; 'n' keeps it running */
    SCR_CHECK(s, vm_goto(s, "bravo") == 0);
    scr_key(s, "D");
    SCR_CHECK(s, scr_wait_text(s, "destroy 'bravo'?", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "[y/N]", T_WAIT) == 0);
    scr_key(s, "n");
    SCR_CHECK(s, scr_wait_text(s, "Cancelled: destroy of 'bravo'", T_WAIT) == 0);
    vm_settle(s);
    SCR_CHECK(s, vm_row_has(s, vm_row_of(s, "  bravo "), "running"));
    /* 'y' destroys it */
    scr_key(s, "D");
    SCR_CHECK(s, scr_wait_text(s, "destroy 'bravo'?", T_WAIT) == 0);
    scr_key(s, "y");
    SCR_CHECK(s, scr_wait_text(s, "Domain 'bravo' destroyed", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "4 running", T_WAIT) == 0);
    vm_settle(s);
    SCR_CHECK(s, vm_row_has(s, vm_row_of(s, "  bravo "), "shut off"));

    /* sorted by state, a started domain moves: the cursor moves with it */
    scr_key(s, ">");
    SCR_CHECK(s, scr_wait_text(s, "State\xe2\x96\xb4", T_WAIT) == 0);
    SCR_CHECK(s, vm_goto(s, "foxtrot") == 0);
    vm_settle(s);
    r = vm_row_of(s, "  foxtrot ");
    scr_key(s, "s");
    SCR_CHECK(s, scr_wait_text(s, "Domain 'foxtrot' started", T_WAIT) == 0);
    vm_settle(s);
    SCR_CHECK(s, vm_row_of(s, "  foxtrot ") != r, "foxtrot's row moved");
    SCR_CHECK(s, vm_selected_row(s) == vm_row_of(s, "  foxtrot "), "the cursor followed it");
    scr_key(s, "D");
    SCR_CHECK(s, scr_wait_text(s, "destroy 'foxtrot'?", T_WAIT) == 0);
    scr_key(s, "y");
    SCR_CHECK(s, scr_wait_text(s, "Domain 'foxtrot' destroyed", T_WAIT) == 0);
    scr_key(s, "<");
    SCR_CHECK(s, scr_wait_text(s, "Name\xe2\x96\xb4", T_WAIT) == 0);

    /* suspend / resume / an action the state does not allow */
    SCR_CHECK(s, vm_goto(s, "charlie") == 0);
    scr_key(s, "s");
    SCR_CHECK(s, scr_wait_text(s, "Domain 'charlie' is paused; 'start' needs it shut off", T_WAIT) == 0);
    scr_key(s, "u");
    SCR_CHECK(s, scr_wait_text(s, "Domain 'charlie' resumed", T_WAIT) == 0);
    vm_settle(s);
    SCR_CHECK(s, vm_row_has(s, vm_row_of(s, "  charlie "), "running"));

    /* autostart (no libvirt event: the dispatcher re-reads the domain) */
    SCR_CHECK(s, vm_goto(s, "alpha") == 0);
    scr_key(s, "a");
    SCR_CHECK(s, scr_wait_text(s, "Domain 'alpha' marked as autostarted", T_WAIT) == 0);
    vm_settle(s);
    {
        /* the Auto column says yes */
        char *t = scr_row(s, vm_row_of(s, "  alpha "));
        int acol = vm_col_of(s, 1, "Auto");

        SCR_CHECK(s, t && acol > 0 && (int)strlen(t) > acol && strncmp(t + acol, "yes", 3) == 0);
        free(t);
    }

    /* rename: 'n' opens the command line prefilled with the name */
    SCR_CHECK(s, vm_goto(s, "foxtrot") == 0);
    scr_key(s, "n");
    SCR_CHECK(s, scr_wait_row(s, ROWS - 1, ":domrename foxtrot", T_WAIT) == 0);
    scr_send(s, "fox2");
    scr_key(s, "Enter");
    SCR_CHECK(s, scr_wait_text(s, "Domain 'foxtrot' renamed to 'fox2'", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "  fox2 ", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_gone(s, "  foxtrot ", T_WAIT) == 0);

    /* undefine wants the name typed; a wrong name does nothing */
    SCR_CHECK(s, vm_goto(s, "fox2") == 0);
    scr_key(s, "U");
    SCR_CHECK(s, scr_wait_text(s, "Type the domain's name to confirm", T_WAIT) == 0);
    scr_send(s, "fox");
    scr_key(s, "Enter");
    SCR_CHECK(s, scr_wait_text(s, "The name did not match", T_WAIT) == 0);
    SCR_CHECK(s, vm_row_of(s, "  fox2 ") > 0);
    scr_key(s, "U");
    SCR_CHECK(s, scr_wait_text(s, "Type the domain's name to confirm", T_WAIT) == 0);
    scr_send(s, "fox2");
    scr_key(s, "Enter");
    SCR_CHECK(s, scr_wait_text(s, "Domain 'fox2' has been undefined", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_gone(s, "  fox2 ", T_WAIT) == 0);

    /* a name on two hosts: the selected host's domain, or --host */
    SCR_CHECK(s, vm_goto(s, "alpha") == 0);
    vm_command(s, "start shared-name");
    SCR_CHECK(s, scr_wait_text(s, "Domain 'shared-name' started", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "host-a.xml start shared-name", T_WAIT) == 0,
              "the virsh line names the selected host");
    scr_key(s, "m");
    SCR_CHECK(s, scr_wait_text(s, "'shared-name' exists on 2 hosts: start acts on the one on",
                               T_WAIT) == 0, "it says which host");
    scr_key(s, "q");
    snprintf(cmd, sizeof(cmd), "destroy shared-name --host %s", b);
    vm_command(s, cmd);
    SCR_CHECK(s, scr_wait_text(s, "destroy 'shared-name'?", T_WAIT) == 0);
    scr_key(s, "y");
    SCR_CHECK(s, scr_wait_text(s, "host-b.xml destroy shared-name", T_WAIT) == 0);
    vm_settle(s);
    r = vm_row_of(s, "host-b.xml");
    for (int i = r + 1; i < ROWS - 1; i++) {
        if (vm_row_has(s, i, "  shared-name "))
            SCR_CHECK(s, vm_row_has(s, i, "shut off"), "host-b's shared-name is off");
    }
    SCR_CHECK(s, vm_row_has(s, vm_row_of(s, "  shared-name "), "running"),
              "host-a's shared-name still runs");

    /* errors are whole sentences */
    vm_command(s, "start no-such-vm");
    SCR_CHECK(s, scr_wait_text(s, "Domain 'no-such-vm' not found", T_WAIT) == 0);
    vm_command(s, "start bravo --bogus");
    SCR_CHECK(s, scr_wait_text(s, "Command 'start' has no option '--bogus'", T_WAIT) == 0);
    vm_command(s, "frobnicate");
    SCR_CHECK(s, scr_wait_text(s, "Unknown command 'frobnicate'", T_WAIT) == 0);

    /* dumpxml opens a scrollable view */
    vm_command(s, "dumpxml alpha");
    SCR_CHECK(s, scr_wait_text(s, "<name>alpha</name>", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "dumpxml alpha", T_WAIT) == 0);
    scr_key(s, "q");
    SCR_CHECK(s, scr_wait_text(s, "  alpha ", T_WAIT) == 0);

    scr_free(s);
    return 0;
}
