/* #18 bug 12, as a user meets it: the same URI given twice opens one host
 * (and says so), not every domain twice; a paused guest's disk says
 * "(paused)" in the volumes' "Used by", not "(running)"; and a vol-clone
 * that converts shows a virsh line that says what virsh would not do. */
#include "vmtest.h"

int
main(void)
{
    char a[4096];
    char *args[] = { "-c", (char *)vm_fixture_uri(a, sizeof(a), "storage.xml"),
                     "-c", a, NULL };
    struct scr *s = vm_start(args, NULL);
    int r;

    SCR_CHECK(s, scr_wait_text(s, "1/1 host up  4 domains", T_WAIT) == 0, "one host, not two");
    scr_key(s, "m");
    SCR_CHECK(s, scr_wait_text(s, "is given more than once: it is opened once", T_WAIT) == 0);
    scr_key(s, "q");
    vm_settle(s);

    vm_command(s, "suspend web01");
    SCR_CHECK(s, scr_wait_text(s, "Domain 'web01' suspended", T_WAIT) == 0);
    scr_key(s, "3");
    SCR_CHECK(s, scr_wait_text(s, "web01 (paused)", T_WAIT) == 0);
    SCR_CHECK(s, scr_find(s, "web01 (running)", &r, &r) != 0, "not said to run");

    vm_command(s, "vol-clone spare.raw spare.qcow2 --pool default --format qcow2");
    SCR_CHECK(s, scr_wait_text(s, "Vol spare.qcow2 cloned from spare.raw as qcow2", T_WAIT) == 0);
    /* wide enough for the whole line (a long line's wrapping is bug 7's) */
    scr_resize(s, ROWS, 240);
    SCR_CHECK(s, scr_wait_text(s, "(and virtmux's own --format qcow2, which virsh has not)",
                               T_WAIT) == 0);
    scr_free(s);
    return 0;
}
