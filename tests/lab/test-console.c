/* The serial console against real guests (the lab): attach, type and see
 * the answer; escape sequences from the guest stay in the pane; a flood of
 * output ends with the right last lines while keys stay responsive;
 * another client holding the console can be taken over; two consoles at
 * once; the domain stops and the pane says so, starts and it reattaches.
 * Needs LAB_URI (tests/lab/run.sh boots the lab). */
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "labtest.h"

#define LONG_WAIT 90000

static void
quiet(void *opaque, virErrorPtr e)
{
}

int
main(void)
{
    const char *uri = getenv("LAB_URI");
    char *args[] = { "-c", (char *)uri, NULL };
    struct scr *s;
    virConnectPtr conn;
    virDomainPtr dom2;
    virStreamPtr other;
    int row, col;

    if (!uri || !*uri) {
        fprintf(stderr, "SKIP: LAB_URI is not set (tests/lab/run.sh sets it)\n");
        return 77;
    }
    virSetErrorFunc(NULL, quiet);
    s = vm_start(args, NULL);
    SCR_CHECK(s, scr_wait_text(s, "2 domains, 2 running", LONG_WAIT) == 0);

    /* attach and talk to the guest */
    vm_command(s, "console labguest");
    SCR_CHECK(s, scr_wait_text(s, "console labguest [attached]", T_WAIT) == 0);
    SCR_CHECK(s, wait_prompt(s, "READY") == 0, "the guest answers on its console");
    scr_send(s, "echo $((6*7))\r");
    SCR_CHECK(s, scr_wait_text(s, "labguest# echo $((6*7))", T_WAIT) == 0);
    scr_send(s, "echo ANSWER-$((6*7))-OK\r");
    SCR_CHECK(s, scr_wait_text(s, "ANSWER-42-OK", T_WAIT) == 0);

    /* hostile sequences stay inside the pane */
    scr_send(s, "printf '\\033]0;EVIL-TITLE\\007\\033]2;EVIL2\\007\\033]52;c;SGVsbG8=\\007"
                "\\033[?1049h\\033[2J\\033[999;999HCORNER\\033[?1049l"
                "\\033[1;1H\\033[31mRED\\033[0m\\n'; echo CONTAINED-$((2*2))\r");
    SCR_CHECK(s, scr_wait_text(s, "CONTAINED-4", T_WAIT) == 0);
    vm_settle(s);
    SCR_CHECK(s, strstr(scr_title(s), "EVIL") == NULL, "the guest cannot set our title");
    SCR_CHECK(s, vm_row_has(s, 0, " virtmux "), "the title bar is intact");
    SCR_CHECK(s, vm_row_of(s, "  labguest2 ") > 0, "the list is still on screen");
    SCR_CHECK(s, !vm_row_has(s, ROWS - 1, "CORNER"), "no cursor move outside the pane");
    SCR_CHECK(s, scr_find(s, "RED", &row, &col) == 0);
    SCR_CHECK(s, col > 40, "the guest's home position is the pane's corner");
    SCR_CHECK(s, scr_fg(s, row, col) == 1, "the guest's colours are kept");

    /* a flood: the last lines are right and keys stay responsive */
    scr_send(s, "seq 1 200000; echo FLOOD-$((5*5))-DONE\r");
    scr_pump(s, 300);
    scr_key(s, "C-]");
    scr_key(s, "?");
    SCR_CHECK(s, scr_wait_text(s, "Keys (domains)", 3000) == 0, "help opens during the flood");
    scr_key(s, "q");
    SCR_CHECK(s, scr_wait_text(s, "FLOOD-25-DONE", LONG_WAIT) == 0);
    vm_settle(s);
    SCR_CHECK(s, scr_find(s, "200000", &row, &col) == 0);
    SCR_CHECK(s, scr_find(s, "199999", &row, &col) == 0 && vm_row_has(s, row + 1, "200000"),
              "199999 and 200000 on consecutive rows");
    /* scrollback: far back, the flood's early lines; End goes live again */
    scr_key(s, "g");
    SCR_CHECK(s, scr_wait_text(s, "scrolled back", T_WAIT) == 0);
    scr_key(s, "End");
    SCR_CHECK(s, scr_wait_gone(s, "scrolled back", T_WAIT) == 0);
    /* search back through the scrollback */
    scr_key(s, "/");
    SCR_CHECK(s, scr_wait_text(s, "search back:", T_WAIT) == 0);
    scr_send(s, "195432");
    scr_key(s, "Enter");
    SCR_CHECK(s, scr_wait_text(s, "scrolled back", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "195432", T_WAIT) == 0, "the match is on screen");
    /* the match stands out (#18 bug 20) */
    scr_pump(s, 200);
    SCR_CHECK(s, scr_find(s, "195432", &row, &col) == 0 && scr_attr_reverse(s, row, col) == 1,
              "the match is in reverse video");
    /* n past the only match goes round and finds it again, not "not found" */
    scr_key(s, "n");
    SCR_CHECK(s, scr_wait_text(s, "went round to the bottom", T_WAIT) == 0);
    SCR_CHECK(s, scr_find(s, "not found in the console", &row, &col) != 0);
    SCR_CHECK(s, scr_wait_text(s, "195432", T_WAIT) == 0, "the match is on screen again");
    scr_key(s, "End");
    SCR_CHECK(s, scr_wait_gone(s, "scrolled back", T_WAIT) == 0);
    /* log the session to a file: ':console' on an open console starts it */
    {
        char logdir[] = "/tmp/virtmux-conlog-XXXXXX", logpath[64], cmd[128];

        SCR_CHECK(s, mkdtemp(logdir) != NULL);
        snprintf(logpath, sizeof(logpath), "%s/c.log", logdir);
        snprintf(cmd, sizeof(cmd), "console labguest --log %s", logpath);
        vm_command(s, cmd);
        SCR_CHECK(s, scr_wait_text(s, "[logging]", T_WAIT) == 0);
        scr_send(s, "echo LOGGED-$((3*3))\r");
        SCR_CHECK(s, scr_wait_text(s, "LOGGED-9", T_WAIT) == 0);
        scr_pump(s, 300);
        SCR_CHECK(s, vm_file_has(logpath, "LOGGED-9"), "the log has the guest's output");
        unlink(logpath);
        rmdir(logdir);
    }

    /* another client holds labguest2's console: say so, offer to take over */
    conn = virConnectOpen(uri);
    SCR_CHECK(s, conn != NULL);
    dom2 = virDomainLookupByName(conn, "labguest2");
    other = virStreamNew(conn, 0);
    SCR_CHECK(s, dom2 && other && virDomainOpenConsole(dom2, NULL, other, 0) == 0);
    scr_key(s, "C-]");
    vm_command(s, "console labguest2");
    SCR_CHECK(s, scr_wait_text(s, "Another client holds the console of 'labguest2'", T_WAIT) == 0);
    scr_key(s, "f");
    SCR_CHECK(s, scr_wait_text(s, "console labguest2 [attached]", T_WAIT) == 0);
    virStreamAbort(other);
    virStreamFree(other);
    virDomainFree(dom2);
    virConnectClose(conn);

    /* two consoles at once, each talking to its own guest */
    SCR_CHECK(s, scr_wait_text(s, "console labguest [attached]", T_WAIT) == 0);
    SCR_CHECK(s, wait_prompt(s, "TWO") == 0);
    scr_send(s, "echo I-AM-$(cat /etc/labname)\r");
    SCR_CHECK(s, scr_wait_text(s, "I-AM-labguest2", T_WAIT) == 0);
    scr_key(s, "C-]");
    /* ':console' on a console already open goes to it, keys to its guest
     * (text typed at a list would be the list's keys: the cursor starts on
     * a domain, where e edits) */
    vm_command(s, "console labguest");
    scr_pump(s, 200);
    scr_send(s, "echo WHO-$(cat /etc/labname)\r");
    SCR_CHECK(s, scr_wait_text(s, "WHO-labguest", T_WAIT) == 0);
    SCR_CHECK(s, vm_row_of(s, "I-AM-labguest2") >= 0, "both consoles are on screen");

    /* the domain stops: the pane says so; it starts: the console comes back */
    scr_key(s, "C-]");
    vm_command(s, "destroy labguest");
    SCR_CHECK(s, scr_wait_text(s, "destroy 'labguest'?", T_WAIT) == 0);
    scr_key(s, "y");
    SCR_CHECK(s, scr_wait_text(s, "Domain 'labguest' is not running; the console reattaches",
                               T_WAIT) == 0);
    vm_command(s, "start labguest");
    SCR_CHECK(s, scr_wait_text(s, "Domain 'labguest' started", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "console labguest [attached]", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "LAB-GUEST-READY name=labguest ", LONG_WAIT) == 0,
              "the boot is seen on the reattached console");
    scr_free(s);
    return 0;
}
