/* #18 bug 15: on first start the status line says where help is; an error
 * shows, then leaves the status line after a few seconds (so an old error
 * never looks new) and stays in the message history. Bug 19: after a
 * shutdown the status line says the state the domain reached. */
#include "vmtest.h"

int
main(void)
{
    char a[4096];
    char *args[] = { "-c", (char *)vm_fixture_uri(a, sizeof(a), "host-a.xml"), NULL };
    struct scr *s = vm_start(args, NULL);
    int rows, cols;
    char *last;

    scr_size(s, &rows, &cols);
    SCR_CHECK(s, scr_wait_text(s, "  bravo ", T_WAIT) == 0);
    last = scr_row(s, rows - 1);
    SCR_CHECK(s, last && strstr(last, "?: help") && strstr(last, ":: a command"),
              "the first status line says where help is: '%s'", last ? last : "");
    free(last);

    vm_command(s, "start nosuch");
    SCR_CHECK(s, scr_wait_text(s, "Domain 'nosuch' not found", T_WAIT) == 0);
    scr_key(s, "2");                 /* another view: still the same error, for now */
    SCR_CHECK(s, scr_wait_text(s, "Domain 'nosuch' not found", T_WAIT) == 0);
    /* it ages out (10 s), and the hint is back */
    SCR_CHECK(s, scr_wait_gone(s, "Domain 'nosuch' not found", 20000) == 0,
              "the error leaves the status line");
    SCR_CHECK(s, scr_wait_text(s, "?: help", T_WAIT) == 0);
    /* the history keeps it */
    scr_key(s, "m");
    SCR_CHECK(s, scr_wait_text(s, "Domain 'nosuch' not found", T_WAIT) == 0);
    scr_key(s, "q");
    /* #18 bug 7: at 80 columns a long question is shown whole, above the
     * prompt, and the prompt keeps what to answer */
    scr_resize(s, 24, 80);
    scr_pump(s, 300);
    vm_command(s, "undefine bravo");
    SCR_CHECK(s, scr_wait_text(s, "Type the domain's name to confirm:", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "undefine 'bravo'? Its disks are kept.", T_WAIT) == 0,
              "the whole question shows");
    scr_key(s, "Escape");
    SCR_CHECK(s, scr_wait_text(s, "Cancelled: undefine of 'bravo'", T_WAIT) == 0);
    /* #18 bug 7 (help): the view's keys first, and nothing cut at 80
     * columns, page after page */
    scr_key(s, "1");
    scr_pump(s, 200);
    scr_key(s, "?");
    SCR_CHECK(s, scr_wait_text(s, "Keys (domains): here", T_WAIT) == 0);
    for (int page = 0; page < 40; page++) {
        for (int r = 2; r < 23; r++) {
            char *t = scr_row(s, r);

            SCR_CHECK(s, !t || !strstr(t, "\xe2\x80\xa6"), "help row cut at 80 columns: '%s'",
                      t ? t : "");
            free(t);
        }
        scr_key(s, "PageDown");
        scr_pump(s, 30);
    }
    scr_key(s, "q");
    scr_resize(s, rows, cols);
    scr_pump(s, 300);
    /* #18 bug 19: "being shutdown" gives way to the state the domain
     * reached, as its row shows it */
    vm_command(s, "shutdown alpha");
    SCR_CHECK(s, scr_wait_text(s, "Domain 'alpha' is now shut off (shutdown)", T_WAIT) == 0);
    scr_free(s);
    return 0;
}
