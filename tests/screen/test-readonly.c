/* With -r every connection is read-only: the host row says so, a mutating
 * action is refused with a clear message and changes nothing, and reading
 * (dumpxml) still works. */
#include "vmtest.h"

int
main(void)
{
    char a[4096];
    char *args[] = { "-r", "-c", (char *)vm_fixture_uri(a, sizeof(a), "host-a.xml"), NULL };
    struct scr *s = vm_start(args, NULL);

    SCR_CHECK(s, scr_wait_text(s, "[connected, read-only]", T_WAIT) == 0);
    vm_settle(s);
    SCR_CHECK(s, vm_goto(s, "bravo") == 0);
    scr_key(s, "s");
    SCR_CHECK(s, scr_wait_text(s, "is open read-only: 'start' would change it", T_WAIT) == 0);
    scr_pump(s, 500);
    SCR_CHECK(s, vm_row_has(s, vm_row_of(s, "  bravo "), "shut off"));
    vm_command(s, "destroy alpha");
    SCR_CHECK(s, scr_wait_text(s, "'destroy' would change it", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_gone(s, "[y/N]", 500) == 0, "no confirmation is asked");
    /* a form for a change does not even open (#18 bug 6): K clone, V disk,
     * I interface, P deploy */
    {
        static const char *const keys[] = { "K", "V", "I", "P" };
        static const char *const rows[] = { "clone", "disk-add", "attach-interface", "deploy" };

        for (int i = 0; i < 4; i++) {
            char want[128], title[64];
            int r, c;

            SCR_CHECK(s, vm_goto(s, "bravo") == 0);
            scr_key(s, keys[i]);
            snprintf(want, sizeof(want), "is open read-only: '%s' would change it", rows[i]);
            SCR_CHECK(s, scr_wait_text(s, want, T_WAIT) == 0);
            snprintf(title, sizeof(title), " %s on ", rows[i]);
            SCR_CHECK(s, scr_find(s, title, &r, &c) != 0, "no %s form opened", rows[i]);
            scr_key(s, "Esc");
        }
    }
    vm_command(s, "dumpxml alpha");
    SCR_CHECK(s, scr_wait_text(s, "<name>alpha</name>", T_WAIT) == 0);
    scr_free(s);
    return 0;
}
