/* #18 bug 4: in the storage view, closing a viewer opened from the volumes
 * gives the focus back to the volumes (not the pools), and their list is
 * still there; in the domains view, Tab to the details shows that they
 * have the focus. */
#include "vmtest.h"

int
main(void)
{
    char a[4096];
    char *args[] = { "-c", (char *)vm_fixture_uri(a, sizeof(a), "storage.xml"), NULL };
    struct scr *s = vm_start(args, NULL);
    int r, c;

    SCR_CHECK(s, scr_wait_text(s, "4 domains", T_WAIT) == 0);
    scr_key(s, "3");
    SCR_CHECK(s, scr_wait_text(s, "web01 (running)", T_WAIT) == 0);
    vm_settle(s);
    scr_key(s, "Tab");                   /* the volumes */
    scr_pump(s, 200);
    scr_key(s, "x");
    SCR_CHECK(s, scr_wait_text(s, "<volume", T_WAIT) == 0, "the volume's XML");
    scr_key(s, "q");
    SCR_CHECK(s, scr_wait_gone(s, "<volume", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "web01 (running)", T_WAIT) == 0, "the volumes are listed");
    SCR_CHECK(s, scr_find(s, "(select a pool)", &r, &c) != 0);
    /* the volumes still have the focus: x is the volume's again, not the pool's */
    scr_key(s, "x");
    SCR_CHECK(s, scr_wait_text(s, "<volume", T_WAIT) == 0, "x acts on the volume again");
    SCR_CHECK(s, scr_find(s, "<pool", &r, &c) != 0);
    scr_key(s, "q");

    /* the domains view: Tab to the details shows */
    scr_key(s, "1");
    SCR_CHECK(s, scr_wait_text(s, "[1:domains]", T_WAIT) == 0);
    vm_settle(s);
    SCR_CHECK(s, scr_find(s, "\xe2\x94\x83", &r, &c) != 0, "no focus mark yet");
    scr_key(s, "Tab");
    SCR_CHECK(s, scr_wait_text(s, "\xe2\x94\x83", T_WAIT) == 0, "the details show the focus");
    scr_free(s);
    return 0;
}
