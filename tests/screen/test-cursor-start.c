/* #18 bug 10: the cursor starts on the first domain, not on the host row,
 * so the first 's' starts it; after a filter and Enter the cursor is on a
 * domain that matches. */
#include "vmtest.h"

int
main(void)
{
    char a[4096];
    char *args[] = { "-c", (char *)vm_fixture_uri(a, sizeof(a), "clone-host.xml"), NULL };
    struct scr *s = vm_start(args, NULL);

    SCR_CHECK(s, scr_wait_text(s, "  -dash ", T_WAIT) == 0);
    vm_settle(s);
    SCR_CHECK(s, vm_selected_row(s) == vm_row_of(s, "  -dash "), "on the first domain");
    scr_key(s, "s");
    SCR_CHECK(s, scr_wait_text(s, "Domain '-dash' started", T_WAIT) == 0);

    /* from the host row, a filter puts the cursor on a domain it shows */
    SCR_CHECK(s, vm_goto_host(s, "clone-host.xml") == 0);
    scr_key(s, "/");
    scr_send(s, "paused");
    scr_key(s, "Enter");
    SCR_CHECK(s, scr_wait_gone(s, "  -dash ", T_WAIT) == 0);
    vm_settle(s);
    SCR_CHECK(s, vm_selected_row(s) == vm_row_of(s, "  paused01 "), "on a matching domain");
    scr_key(s, "x");
    SCR_CHECK(s, scr_wait_text(s, "<name>paused01</name>", T_WAIT) == 0);
    scr_free(s);
    return 0;
}
