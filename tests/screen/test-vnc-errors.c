/* The preview's bad cases, each a clear sentence and no crash: a shut-off
 * domain, a domain without graphics, a SPICE-only domain, a driver that
 * cannot hand out a graphics socket; the screenshot and Ctrl-Alt-Del
 * commands with no preview open; a preview pane of a tiny terminal. */
#include "vmtest.h"

int
main(void)
{
    char a[4096], b[4096];
    char *args[] = { "-c", (char *)vm_fixture_uri(a, sizeof(a), "host-a.xml"),
                     "-c", (char *)vm_fixture_uri(b, sizeof(b), "host-b.xml"), NULL };
    struct scr *s = vm_start(args, NULL);

    SCR_CHECK(s, scr_wait_text(s, "11 domains", T_WAIT) == 0);
    vm_settle(s);
    vm_command(s, "vnc-screenshot /tmp/never.png");
    SCR_CHECK(s, scr_wait_text(s, "No VNC preview is open", T_WAIT) == 0);
    vm_command(s, "vnc bravo");
    SCR_CHECK(s, scr_wait_text(s, "Domain 'bravo' is not running", T_WAIT) == 0);
    vm_command(s, "vnc echo");
    SCR_CHECK(s, scr_wait_text(s, "Domain 'echo' has no graphics device", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "vnc echo [failed]", T_WAIT) == 0);
    scr_key(s, "C-]");
    scr_key(s, "q");
    SCR_CHECK(s, scr_wait_gone(s, "vnc echo [", T_WAIT) == 0);
    vm_command(s, "vnc bhost-one");
    SCR_CHECK(s, scr_wait_text(s, "has SPICE graphics only", T_WAIT) == 0);
    scr_key(s, "C-]");
    vm_command(s, "vnc alpha");
    SCR_CHECK(s, scr_wait_text(s, "Failed to open the graphics of 'alpha'", T_WAIT) == 0);
    /* a tiny terminal with two previews open */
    scr_resize(s, 6, 42);
    scr_pump(s, 300);
    scr_resize(s, 3, 10);
    scr_pump(s, 300);
    scr_resize(s, ROWS, COLS);
    SCR_CHECK(s, scr_wait_text(s, "vnc alpha [failed]", T_WAIT) == 0);
    SCR_CHECK(s, scr_alive(s));
    scr_key(s, "C-]");
    scr_key(s, "q");
    scr_key(s, "Tab");
    scr_free(s);
    return 0;
}
