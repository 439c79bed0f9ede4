/* Resizing the terminal, down to 20x5 and back, never crashes; a tiny
 * terminal gets a clear notice, and the list comes back at full size. */
#include "vmtest.h"

int
main(void)
{
    char a[4096];
    char *args[] = { "-c", (char *)vm_fixture_uri(a, sizeof(a), "host-a.xml"), NULL };
    struct scr *s = vm_start(args, NULL);
    static const int sizes[][2] = { { 20, 60 }, { 5, 20 }, { 10, 45 }, { 3, 10 },
                                    { 24, 80 }, { 1, 1 }, { 50, 200 }, { 40, 120 } };

    SCR_CHECK(s, scr_wait_text(s, "  alpha ", T_WAIT) == 0);
    vm_goto(s, "alpha");
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        scr_resize(s, sizes[i][0], sizes[i][1]);
        scr_pump(s, 150);
        SCR_CHECK(s, scr_alive(s), "alive after resize to %dx%d", sizes[i][1], sizes[i][0]);
        if (sizes[i][0] == 5 && sizes[i][1] == 20)
            SCR_CHECK(s, scr_wait_text(s, "terminal too small", T_WAIT) == 0);
        if (sizes[i][0] == 24)
            SCR_CHECK(s, scr_wait_text(s, "  alpha ", T_WAIT) == 0);
    }
    SCR_CHECK(s, scr_wait_text(s, "  alpha ", T_WAIT) == 0);
    SCR_CHECK(s, vm_wait_host(s, "host-a.xml", "[connected]", T_WAIT) == 0);
    /* keys still work after all that */
    scr_key(s, "?");
    SCR_CHECK(s, scr_wait_text(s, "Keys (domains)", T_WAIT) == 0);
    scr_resize(s, 5, 20);
    scr_pump(s, 200);
    scr_resize(s, 40, 120);
    SCR_CHECK(s, scr_wait_text(s, "Keys (domains)", T_WAIT) == 0);
    scr_key(s, "q");
    scr_key(s, "q");
    SCR_CHECK(s, scr_wait_exit(s, T_WAIT) == 0);
    scr_free(s);
    return 0;
}
