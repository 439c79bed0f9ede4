/* A URI that cannot work (an unknown file, a daemon socket that is not
 * there) fails for good: the host row says why and that it is not retried,
 * and no "retry in" countdown follows; C-r tries again when asked. The
 * good host beside it works all along (#18 bug 14). */
#include "vmtest.h"

int
main(void)
{
    char a[4096];
    char *args[] = { "-c", (char *)vm_fixture_uri(a, sizeof(a), "host-a.xml"),
                     "-c", "test:///nonexistent/virtmux-host.xml",
                     "-c", "qemu+unix:///system?socket=/nonexistent/virtmux-sock", NULL };
    struct scr *s = vm_start(args, NULL);
    int row, col;

    SCR_CHECK(s, scr_wait_text(s, "  bravo ", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "[failed]  test:///nonexistent/virtmux-host.xml", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "[failed]  qemu+unix:///system", T_WAIT) == 0);
    /* the whole reason in the details of its row */
    SCR_CHECK(s, vm_goto_host(s, "virtmux-sock") == 0);
    SCR_CHECK(s, scr_wait_text(s, "libvirt daemon running", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "not retried", T_WAIT) == 0);
    /* a lost host would count down and try again within 2 s: these do not */
    scr_pump(s, 2500);
    SCR_CHECK(s, scr_find(s, "retry in", &row, &col) != 0, "no retry countdown");
    SCR_CHECK(s, scr_find(s, "[reconnecting]", &row, &col) != 0, "no reconnect by itself");
    /* C-r on the failed host tries again, and it fails again, saying so */
    SCR_CHECK(s, vm_goto_host(s, "nonexistent/virtmux-host.xml") == 0);
    scr_key(s, "C-r");
    SCR_CHECK(s, scr_wait_text(s, "Reconnecting to 'test:///nonexistent/virtmux-host.xml' now",
                               T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "[failed]  test:///nonexistent/virtmux-host.xml", T_WAIT) == 0);
    /* the good host is unaffected */
    SCR_CHECK(s, vm_goto(s, "bravo") == 0);
    scr_key(s, "s");
    SCR_CHECK(s, scr_wait_text(s, "Domain 'bravo' started", T_WAIT) == 0);
    scr_free(s);
    return 0;
}
