/* A user starts virtmux on two hosts and sees both hosts with their
 * domains, state colours, can filter the list, sort it, read the help and
 * run a command typed with Tab completion. Also --demo starts. */
#include "vmtest.h"

int
main(void)
{
    char a[4096], b[4096];
    char *args[] = { "-c", (char *)vm_fixture_uri(a, sizeof(a), "host-a.xml"),
                     "-c", (char *)vm_fixture_uri(b, sizeof(b), "host-b.xml"), NULL };
    struct scr *s = vm_start(args, NULL);
    int r, col;

    /* both hosts connect and list their domains */
    SCR_CHECK(s, vm_wait_host(s, "host-b.xml", "[connected] 4 domains", T_WAIT) == 0);
    SCR_CHECK(s, vm_wait_host(s, "host-a.xml", "[connected] 7 domains", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "11 domains, 4 running", T_WAIT) == 0);
    vm_settle(s);
    SCR_CHECK(s, (r = vm_row_of(s, "  alpha ")) > 0);
    SCR_CHECK(s, vm_row_has(s, r, "running"));
    SCR_CHECK(s, (r = vm_row_of(s, "  bhost-two ")) > vm_row_of(s, "host-b.xml"));
    SCR_CHECK(s, vm_row_has(s, r, "shut off"));
    SCR_CHECK(s, vm_row_has(s, vm_row_of(s, "  delta "), "shut off (saved)"));
    {
        /* the Pers column (Auto says "no" too) */
        char *t = scr_row(s, vm_row_of(s, "  echo "));
        int pcol = vm_col_of(s, 1, "Pers");

        SCR_CHECK(s, t && pcol > 0 && (int)strlen(t) > pcol && strncmp(t + pcol, "no ", 3) == 0,
                  "echo is transient");
        free(t);
    }

    /* state colours: running green, paused yellow */
    {
        /* the State column of alpha's row (the title line says "running" too) */
        char *t = scr_row(s, vm_row_of(s, "  alpha "));

        SCR_CHECK(s, t && strstr(t, "running"));
        col = (int)(strstr(t, "running") - t);
        free(t);
    }
    /* (echo: alpha, the first domain, has the cursor's colours) */
    SCR_CHECK(s, scr_fg(s, vm_row_of(s, "  echo "), col) == 2, "running is green");
    SCR_CHECK(s, scr_fg(s, vm_row_of(s, "  charlie "), col) == 3, "paused is yellow");

    /* the details pane follows the cursor */
    SCR_CHECK(s, vm_goto(s, "alpha") == 0);
    SCR_CHECK(s, scr_wait_text(s, "52:54:00:aa:00:01", T_WAIT) == 0, "alpha's MAC in details");
    SCR_CHECK(s, scr_wait_text(s, "vda", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "192.168.122.3/24", T_WAIT) == 0, "the guest's address");

    /* filter */
    scr_key(s, "/");
    scr_send(s, "br");
    SCR_CHECK(s, scr_wait_gone(s, "  alpha ", T_WAIT) == 0);
    vm_settle(s);
    SCR_CHECK(s, vm_row_of(s, "  bravo ") > 0);
    SCR_CHECK(s, scr_wait_text(s, "filter: br", T_WAIT) == 0);
    scr_key(s, "Enter");
    scr_key(s, "Esc");
    SCR_CHECK(s, scr_wait_text(s, "  alpha ", T_WAIT) == 0, "Esc clears the filter");

    /* sort by the next column (State): shut-off domains go below running ones */
    scr_key(s, ">");
    SCR_CHECK(s, scr_wait_text(s, "State\xe2\x96\xb4", T_WAIT) == 0);
    vm_settle(s);
    SCR_CHECK(s, vm_row_of(s, "  alpha ") < vm_row_of(s, "  bravo "));
    SCR_CHECK(s, vm_row_of(s, "  charlie ") < vm_row_of(s, "  bravo "), "paused before shut off");
    scr_key(s, "<");
    SCR_CHECK(s, scr_wait_text(s, "Name\xe2\x96\xb4", T_WAIT) == 0);

    /* ':' with completion of the command and of the domain name */
    scr_key(s, ":");
    scr_send(s, "sta");
    scr_key(s, "Tab");
    SCR_CHECK(s, scr_wait_row(s, ROWS - 1, ":start", T_WAIT) == 0);
    scr_send(s, "br");
    scr_key(s, "Tab");
    SCR_CHECK(s, scr_wait_row(s, ROWS - 1, ":start bravo", T_WAIT) == 0);
    scr_key(s, "Enter");
    SCR_CHECK(s, scr_wait_text(s, "Domain 'bravo' started", T_WAIT) == 0);
    vm_settle(s);
    SCR_CHECK(s, scr_wait_row(s, ROWS - 1, "virsh -c", T_WAIT) == 0, "the virsh line is shown");
    r = vm_row_of(s, "  bravo ");
    SCR_CHECK(s, vm_row_has(s, r, "running"));
    /* history: Up brings the last command back */
    scr_key(s, ":");
    scr_key(s, "Up");
    SCR_CHECK(s, scr_wait_row(s, ROWS - 1, ":start bravo", T_WAIT) == 0);
    scr_key(s, "Esc");

    /* help is generated from the tables */
    scr_key(s, "?");
    SCR_CHECK(s, scr_wait_text(s, "Keys (domains)", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "destroy (force off)", T_WAIT) == 0);
    /* a console's and a preview's keys are tables too: in help, rebindable */
    scr_key(s, "/");
    scr_send(s, "Keys (console)\r");
    SCR_CHECK(s, scr_wait_text(s, "scroll page-up", T_WAIT) == 0, "the console's keys");
    scr_key(s, "/");
    scr_send(s, "Keys (vnc)\r");
    SCR_CHECK(s, scr_wait_text(s, "vnc-ctrl-alt-del", T_WAIT) == 0, "the preview's keys");
    scr_key(s, "q");
    SCR_CHECK(s, scr_wait_text(s, "  alpha ", T_WAIT) == 0);

    scr_key(s, "q");
    SCR_CHECK(s, scr_wait_exit(s, T_WAIT) == 0, "q quits cleanly");
    scr_free(s);

    /* the demo host, found by the uninstalled binary itself (Quick start) */
    {
        char *dargs[] = { "--demo", NULL };

        s = vm_start(dargs, NULL);
        /* the host row's URI may be cut short on a deep build path */
        SCR_CHECK(s, scr_wait_text(s, "[connected] 37 domains", T_WAIT) == 0);
        SCR_CHECK(s, scr_wait_text(s, "  db-primary ", T_WAIT) == 0);
        scr_free(s);
    }
    return 0;
}
