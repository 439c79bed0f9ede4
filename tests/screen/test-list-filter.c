/* #18 bug 2: '/' filters the focused list of the view it is typed in
 * (the networks in view 2, the volumes in view 3) and not the domains;
 * Esc clears it; a second '/' starts a new filter, not more of the old
 * text. */
#include "vmtest.h"

int
main(void)
{
    char *args[] = { "--demo", NULL };
    struct scr *s = vm_start(args, NULL);

    SCR_CHECK(s, scr_wait_text(s, "[connected]", T_WAIT) == 0);
    vm_settle(s);

    /* view 2: the networks are filtered, the domains are not */
    scr_key(s, "2");
    SCR_CHECK(s, scr_wait_text(s, "[2:networks]", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "  lan-bridge ", T_WAIT) == 0);
    scr_key(s, "/");
    scr_send(s, "iso");
    SCR_CHECK(s, scr_wait_gone(s, "  lan-bridge ", T_WAIT) == 0, "the networks are filtered");
    SCR_CHECK(s, vm_row_of(s, "  isolated ") > 0);
    scr_key(s, "Enter");
    scr_key(s, "1");
    SCR_CHECK(s, scr_wait_text(s, "[1:domains]", T_WAIT) == 0);
    vm_settle(s);
    SCR_CHECK(s, vm_row_of(s, "  web01 ") > 0, "the domains are not filtered");
    SCR_CHECK(s, vm_row_of(s, "  dns1 ") > 0);
    scr_key(s, "2");
    SCR_CHECK(s, scr_wait_text(s, "filter: iso", T_WAIT) == 0, "the filter stays with its list");
    vm_settle(s);
    SCR_CHECK(s, vm_row_of(s, "  lan-bridge ") < 0);
    /* a second '/' starts afresh: "rout", not "isorout" */
    scr_key(s, "/");
    scr_send(s, "rout");
    SCR_CHECK(s, scr_wait_text(s, "  routed ", T_WAIT) == 0, "a second '/' starts a new filter");
    SCR_CHECK(s, scr_wait_gone(s, "  isolated ", T_WAIT) == 0);
    scr_key(s, "Enter");
    vm_settle(s);
    scr_key(s, "Esc");
    SCR_CHECK(s, scr_wait_text(s, "  lan-bridge ", T_WAIT) == 0, "Esc clears the filter");
    SCR_CHECK(s, vm_row_of(s, "  isolated ") > 0);

    /* view 3: the focused volumes are filtered */
    scr_key(s, "3");
    SCR_CHECK(s, scr_wait_text(s, "[3:storage]", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "dns1.qcow2", T_WAIT) == 0);
    scr_key(s, "Tab");
    scr_key(s, "/");
    scr_send(s, "web0");
    SCR_CHECK(s, scr_wait_gone(s, "dns1.qcow2", T_WAIT) == 0, "the volumes are filtered");
    SCR_CHECK(s, vm_row_of(s, "web01.qcow2") > 0);
    SCR_CHECK(s, vm_row_of(s, "  default ") > 0, "the pools are not");
    scr_key(s, "Esc");
    SCR_CHECK(s, scr_wait_text(s, "dns1.qcow2", T_WAIT) == 0, "Esc in the prompt clears it");
    scr_key(s, "1");
    SCR_CHECK(s, scr_wait_text(s, "[1:domains]", T_WAIT) == 0);
    vm_settle(s);
    SCR_CHECK(s, vm_row_of(s, "  dns1 ") > 0, "the domains were never filtered");
    scr_free(s);
    return 0;
}
