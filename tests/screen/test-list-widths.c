/* #18 bug 7 (the lists' part): at 160 columns the widths come from the
 * content: names are capped and the description, the DHCP range and
 * "Used by" are not cut; Auto and Pers say yes or no alike. */
#include "vmtest.h"

#define ELLIPSIS "\xe2\x80\xa6"

int
main(void)
{
    char *argv[] = { (char *)vm_binary(), "--demo", NULL };
    struct scr *s = scr_spawn(45, 160, argv, NULL);
    int r;

    SCR_CHECK(s, s != NULL);
    SCR_CHECK(s, scr_wait_text(s, "[connected]", T_WAIT) == 0);
    vm_settle(s);
    /* names take their length, not half the screen */
    r = vm_row_of(s, "  web01 ");
    SCR_CHECK(s, r > 0 && vm_col_of(s, r, "running") < 30, "the name column is not 45 wide");
    SCR_CHECK(s, vm_row_has(s, r, " yes "), "persistent: yes");
    SCR_CHECK(s, vm_row_has(s, r, " no "), "no autostart: no, as Pers says it");

    scr_key(s, "2");
    SCR_CHECK(s, scr_wait_text(s, "  default ", T_WAIT) == 0);
    vm_settle(s);
    SCR_CHECK(s, vm_row_has(s, vm_row_of(s, "  default "), "192.168.122.100 - 192.168.122.254"),
              "the DHCP range whole");

    scr_key(s, "3");
    SCR_CHECK(s, scr_wait_text(s, "o'brien", T_WAIT) == 0);
    vm_settle(s);
    SCR_CHECK(s, vm_row_has(s, vm_row_of(s, "o'brien"), "o'brien \"quoted\" (running)"),
              "Used by whole");
    SCR_CHECK(s, vm_row_of(s, "base of dev-alice.qcow2") > 0);
    SCR_CHECK(s, !vm_row_has(s, vm_row_of(s, "  fast-ssd "), ELLIPSIS), "the target whole");

    /* the snapshots' descriptions */
    scr_key(s, "1");
    SCR_CHECK(s, vm_goto(s, "web01") == 0);
    scr_key(s, "4");
    SCR_CHECK(s, scr_wait_text(s, "Snapshots of 'web01'", T_WAIT) == 0);
    vm_settle(s);
    {
        char *dump = scr_dump(s);
        char *desc = strstr(dump, "Description");
        char *end = desc ? strstr(desc, "\n\n") : NULL;

        if (end)
            *end = '\0';
        SCR_CHECK(s, desc && !strstr(desc, ELLIPSIS), "no description is cut");
        free(dump);
    }
    scr_free(s);
    return 0;
}
