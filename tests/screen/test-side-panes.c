/* #18 bugs 17, 8 and 18: a console or preview opened from a view that has no
 * room for them (storage, snapshots) shows in the domains view and says so;
 * a console that fails shows the whole reason in its pane (wrapped), the
 * reason reaches the message history, and the failed pane takes no keys as
 * the guest's: q closes it at once. (The test driver has no consoles, so
 * opening one fails: just what this needs.) */
#include "vmtest.h"

int
main(void)
{
    char a[4096], b[4096];
    char *args[] = { "-c", (char *)vm_fixture_uri(a, sizeof(a), "host-a.xml"),
                     "-c", (char *)vm_fixture_uri(b, sizeof(b), "host-b.xml"), NULL };
    struct scr *s = vm_start(args, NULL);

    SCR_CHECK(s, scr_wait_text(s, "  bravo ", T_WAIT) == 0);
    vm_settle(s);
    scr_key(s, "3");
    SCR_CHECK(s, scr_wait_text(s, "[3:storage]", T_WAIT) == 0);
    vm_command(s, "console alpha");
    SCR_CHECK(s, scr_wait_text(s, "[1:domains]", T_WAIT) == 0, "back in the domains view");
    SCR_CHECK(s, scr_wait_text(s, "console alpha [failed]", T_WAIT) == 0, "the pane shows");
    /* the whole reason, to its last word, in the pane */
    SCR_CHECK(s, scr_wait_text(s, "virDomainOpenConsole", T_WAIT) == 0);
    /* a failed console is not typed into: q is the pane's close */
    scr_key(s, "q");
    SCR_CHECK(s, scr_wait_gone(s, "console alpha [", T_WAIT) == 0, "q closed the failed pane");
    /* the reason and the view change are in the history */
    scr_key(s, "m");
    SCR_CHECK(s, scr_wait_text(s, "Failed to open the console of 'alpha'", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "Consoles and previews show in the domains view (1)",
                               T_WAIT) == 0);
    scr_key(s, "q");
    /* from the snapshots view too */
    scr_key(s, "4");
    SCR_CHECK(s, scr_wait_text(s, "[4:snapshots]", T_WAIT) == 0);
    vm_command(s, "vnc alpha");
    SCR_CHECK(s, scr_wait_text(s, "[1:domains]", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "vnc alpha [failed]", T_WAIT) == 0);
    scr_key(s, "q");
    SCR_CHECK(s, scr_wait_gone(s, "vnc alpha [", T_WAIT) == 0, "q closed the failed preview");

    /* #18 bug 18: keys for the selected domain's console (c) and preview
     * (v); with two hosts, the header says which host's */
    SCR_CHECK(s, vm_goto(s, "alpha") == 0);
    scr_key(s, "c");
    SCR_CHECK(s, scr_wait_text(s, "console alpha [failed] on test:///", T_WAIT) == 0);
    scr_key(s, "q");
    SCR_CHECK(s, scr_wait_gone(s, "console alpha [", T_WAIT) == 0);
    SCR_CHECK(s, vm_goto(s, "alpha") == 0);
    scr_key(s, "v");
    SCR_CHECK(s, scr_wait_text(s, "vnc alpha [failed] on test:///", T_WAIT) == 0);
    scr_key(s, "q");
    scr_free(s);
    return 0;
}
