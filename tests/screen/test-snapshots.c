/* A user sees how many snapshots each domain has (Snap), opens web01's
 * snapshots (4): the tree drawn as tree(1) draws it, the current one
 * marked (*) and chosen, internal and external told apart, the chosen
 * snapshot's disks below; takes a snapshot with the form (c), with a
 * unicode name, and sees it appear under the current one and become it;
 * has a name that exists refused in the form; reverts to an older one
 * (r), is told what will be discarded, says yes and sees the domain shut
 * off in the domains list; deletes a snapshot with its children (D) after
 * a question listing them; sees hostile names drawn in their column; and
 * shrinks the terminal to 60x15 and back. */
#include "vmtest.h"

/* The row drawing snapshot name in the tree ("─ name " or a root "name "),
 * -1 if none. */
static int
find_snap(struct scr *s, const char *name)
{
    int rows, cols;
    char branch[512], root[512];

    snprintf(branch, sizeof(branch), "\xe2\x94\x80 %s ", name);
    snprintf(root, sizeof(root), "%s ", name);
    scr_size(s, &rows, &cols);
    for (int r = 2; r < rows - 1; r++) {
        char *t = scr_row(s, r);
        int hit = t && (strstr(t, branch) || strncmp(t, root, strlen(root)) == 0);

        free(t);
        if (hit)
            return r;
    }
    return -1;
}

int
main(void)
{
    char a[4096];
    char *args[] = { "-c", (char *)vm_fixture_uri(a, sizeof(a), "snap-host.xml"), NULL };
    struct scr *s = vm_start(args, NULL);
    const char *made = "after upgrade \xc3\xbcn\xc3\xaf \xf0\x9f\x99\x82";
    int r, r2, c;

    SCR_CHECK(s, scr_wait_text(s, "4 domains", T_WAIT) == 0);
    /* the count comes after the list */
    SCR_CHECK(s, scr_wait_text(s, "Snap", T_WAIT) == 0);
    for (int waited = 0; waited <= T_WAIT; waited += 50) {
        if ((r = vm_find_domain(s, "web01")) > 0 && vm_row_has(s, r, " 6"))
            break;
        scr_pump(s, 50);
    }
    vm_settle(s);
    r = vm_find_domain(s, "web01");
    SCR_CHECK(s, r > 0 && vm_col_of(s, r, "   6") == vm_col_of(s, vm_row_of(s, "Snap"), "Snap"),
              "web01 has 6 in the Snap column");
    SCR_CHECK(s, vm_row_has(s, vm_find_domain(s, "app01"), " 7"));
    SCR_CHECK(s, vm_row_has(s, vm_find_domain(s, "plain"), " -"), "none: -");

    /* web01's snapshots: the tree, the current one marked and chosen */
    SCR_CHECK(s, vm_goto(s, "web01") == 0);
    scr_key(s, "4");
    SCR_CHECK(s, scr_wait_text(s, "[4:snapshots]", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "Snapshots of 'web01' (running)", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "current 'pre-upgrade'", T_WAIT) == 0);
    SCR_CHECK(s, vm_wait_row(s, find_snap, "nightly", 1) == 0);
    vm_settle(s);
    r = find_snap(s, "base");
    SCR_CHECK(s, r > 2, "base is a root");
    SCR_CHECK(s, vm_row_has(s, r, "shut off") && vm_row_has(s, r, "fresh install"));
    SCR_CHECK(s, vm_row_has(s, r + 1, "\xe2\x94\x9c\xe2\x94\x80 installed "), "├─ installed");
    SCR_CHECK(s, vm_row_has(s, r + 2, "\xe2\x94\x82  \xe2\x94\x9c\xe2\x94\x80 with-db "),
              "│  ├─ with-db (the older child first)");
    SCR_CHECK(s, vm_row_has(s, r + 3, "\xe2\x94\x82  \xe2\x94\x82  \xe2\x94\x94\xe2\x94\x80 "
                                      "db-tuned "));
    SCR_CHECK(s, vm_row_has(s, r + 3, "paused"));
    SCR_CHECK(s, vm_row_has(s, r + 4, "\xe2\x94\x82  \xe2\x94\x94\xe2\x94\x80 pre-upgrade "));
    SCR_CHECK(s, vm_row_has(s, r + 5, "\xe2\x94\x94\xe2\x94\x80 nightly "));
    SCR_CHECK(s, vm_row_has(s, r + 5, "external") && vm_row_has(s, r + 5, "disk-snapshot"));
    SCR_CHECK(s, vm_row_has(s, r + 4, "internal") && vm_row_has(s, r + 4, " * "),
              "the current one is marked");
    SCR_CHECK(s, !vm_row_has(s, r + 1, " * "));
    SCR_CHECK(s, vm_row_has(s, r + 4, "before apt full-upgrade"));
    SCR_CHECK(s, vm_selected_row(s) == r + 4, "the current one is chosen");
    /* below: the chosen snapshot, its disks and their chains now */
    SCR_CHECK(s, scr_wait_text(s, "'pre-upgrade': running at ", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "memory: not recorded", T_WAIT) == 0 ||
                 scr_wait_text(s, "memory: internal", 10) == 0);
    SCR_CHECK(s, (r2 = vm_row_of(s, "Backing chain now")) > r + 5);
    SCR_CHECK(s, scr_wait_text(s, "/srv/images/web01.qcow2", T_WAIT) == 0);
    SCR_CHECK(s, vm_goto_row(s, find_snap, "nightly") == 0);
    SCR_CHECK(s, scr_wait_text(s, "/srv/images/web01.nightly qcow2", T_WAIT) == 0,
              "the external snapshot's overlay file");
    SCR_CHECK(s, scr_wait_text(s, "not saved (disks only)", T_WAIT) == 0);
    /* an internal snapshot lives in the file the disk had when it was
     * taken (the one not to delete), not the one it has now */
    SCR_CHECK(s, vm_goto_row(s, find_snap, "base") == 0);
    SCR_CHECK(s, scr_wait_text(s, "in /srv/images/web01-first.qcow2", T_WAIT) == 0,
              "base's details name the file that holds it");
    SCR_CHECK(s, vm_row_has(s, vm_row_of(s, "in /srv/images/web01-first.qcow2"),
                            "/srv/images/web01.qcow2"), "beside the disk's file now");

    /* a name that exists: said in the form, which stays open */
    SCR_CHECK(s, vm_goto_row(s, find_snap, "pre-upgrade") == 0);
    scr_key(s, "c");
    SCR_CHECK(s, scr_wait_text(s, "snapshot-create-as on", T_WAIT) == 0);
    vm_settle(s);
    SCR_CHECK(s, vm_row_has(s, vm_row_of(s, "\xe2\x94\x82 domain "), " web01"));
    SCR_CHECK(s, vm_row_has(s, vm_row_of(s, "\xe2\x94\x82 name "), " 20"),
              "the name from the time, YYYYMMDD-HHMMSS");
    scr_key(s, "Tab");
    scr_key(s, "C-u");
    scr_send(s, "base");
    scr_key(s, "C-s");
    SCR_CHECK(s, scr_wait_text(s, "Domain 'web01' already has a snapshot 'base'", T_WAIT) == 0);
    SCR_CHECK(s, vm_row_of(s, "snapshot-create-as on") >= 0, "the form stays open");

    /* ... another name: it goes under the current one and becomes it */
    scr_key(s, "C-u");
    scr_send(s, made);
    scr_key(s, "Tab");
    scr_send(s, "it's done");
    scr_key(s, "C-s");
    SCR_CHECK(s, scr_wait_text(s, "created", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "Domain snapshot 'after upgrade", T_WAIT) == 0);
    SCR_CHECK(s, vm_wait_row(s, find_snap, made, 1) == 0);
    vm_settle(s);
    r = find_snap(s, "pre-upgrade");
    SCR_CHECK(s, find_snap(s, made) == r + 1, "right under pre-upgrade");
    SCR_CHECK(s, vm_row_has(s, r + 1, "\xe2\x94\x82     \xe2\x94\x94\xe2\x94\x80 after upgrade"),
              "one level deeper");
    SCR_CHECK(s, vm_row_has(s, r + 1, " * ") && vm_row_has(s, r + 1, "it's done"));
    SCR_CHECK(s, !vm_row_has(s, r, " * "), "pre-upgrade is not current any more");
    SCR_CHECK(s, scr_wait_text(s, "Snapshots of 'web01' (running) on", T_WAIT) == 0);

    /* revert to 'installed': what is lost is said first */
    SCR_CHECK(s, vm_goto_row(s, find_snap, "installed") == 0);
    scr_key(s, "r");
    SCR_CHECK(s, scr_wait_text(s, "snapshot-revert 'web01' to 'installed' (shut off, as at 2023-",
                               T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "Discarded: what 'web01' is now (running) and every change "
                                  "since snapshot 'after upgrade", T_WAIT) == 0);
    scr_key(s, "y");
    SCR_CHECK(s, scr_wait_text(s, "Domain 'web01' reverted to snapshot 'installed'", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "Snapshots of 'web01' (shut off)", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "current 'installed'", T_WAIT) == 0);
    vm_settle(s);
    SCR_CHECK(s, vm_row_has(s, find_snap(s, "installed"), " * "));
    /* the state change the revert made is an event, not the status line's */
    SCR_CHECK(s, scr_wait_text(s, "Domain 'web01' reverted to snapshot 'installed'", T_WAIT) == 0);
    scr_key(s, "E");
    SCR_CHECK(s, scr_wait_text(s, "event Domain 'web01' is now shut off (from snapshot)",
                               T_WAIT) == 0);
    scr_key(s, "q");
    scr_key(s, "1");
    SCR_CHECK(s, scr_wait_text(s, "[1:domains]", T_WAIT) == 0);
    vm_settle(s);
    SCR_CHECK(s, vm_row_has(s, vm_find_domain(s, "web01"), "shut off"),
              "the domains list shows it shut off");
    SCR_CHECK(s, vm_row_has(s, vm_find_domain(s, "web01"), " 7"), "and 7 snapshots");

    /* delete with-db and its child: the question lists them */
    scr_key(s, "4");
    SCR_CHECK(s, scr_wait_text(s, "[4:snapshots]", T_WAIT) == 0);
    SCR_CHECK(s, vm_wait_row(s, find_snap, "with-db", 1) == 0);
    SCR_CHECK(s, vm_goto_row(s, find_snap, "with-db") == 0);
    scr_key(s, "D");
    SCR_CHECK(s, scr_wait_text(s, "snapshot-delete 'with-db' of 'web01' and its descendants? "
                                  "[y/N]", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "Goes: 'with-db', 'db-tuned' (2). Their saved states are "
                                  "lost.", T_WAIT) == 0);
    scr_key(s, "y");
    SCR_CHECK(s, scr_wait_text(s, "deleted, with its children", T_WAIT) == 0);
    SCR_CHECK(s, vm_wait_row(s, find_snap, "with-db", 0) == 0);
    SCR_CHECK(s, vm_wait_row(s, find_snap, "db-tuned", 0) == 0);
    vm_settle(s);
    r = find_snap(s, "installed");
    SCR_CHECK(s, vm_row_has(s, r + 1, "\xe2\x94\x82  \xe2\x94\x94\xe2\x94\x80 pre-upgrade "),
              "pre-upgrade is installed's only child now");
    /* the external one: virtmux's own revert (web01 is shut off) says what is kept,
     * then refuses an overlay outside any storage pool before changing anything */
    SCR_CHECK(s, vm_goto_row(s, find_snap, "nightly") == 0);
    scr_key(s, "r");
    SCR_CHECK(s, scr_wait_text(s, "Kept: what 'web01' is now stays on disk", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "to external 'nightly'", T_WAIT) == 0);
    scr_key(s, "y");
    SCR_CHECK(s, scr_wait_text(s, "is not in a storage pool", T_WAIT) == 0);

    /* hostile names, each in the name column */
    scr_key(s, "1");
    SCR_CHECK(s, scr_wait_text(s, "[1:domains]", T_WAIT) == 0);
    SCR_CHECK(s, vm_row_has(s, vm_find_domain(s, "web01"), " 5"));
    SCR_CHECK(s, vm_goto(s, "app01") == 0);
    scr_key(s, "4");
    SCR_CHECK(s, scr_wait_text(s, "Snapshots of 'app01'", T_WAIT) == 0);
    SCR_CHECK(s, vm_wait_row(s, find_snap, "snap <1> & \"two\"", 1) == 0);
    vm_settle(s);
    c = vm_col_of(s, find_snap(s, "snap <1> & \"two\""), " running ");
    SCR_CHECK(s, c > 0);
    SCR_CHECK(s, (r = find_snap(s, "it's-current")) > 0 && vm_row_has(s, r, " *"));
    SCR_CHECK(s, vm_col_of(s, r, " running ") == c);
    SCR_CHECK(s, (r = vm_row_of(s, "tab^Ix")) > 0, "the tab drawn visibly");
    SCR_CHECK(s, vm_col_of(s, r, " running ") == c);
    SCR_CHECK(s, (r = vm_row_of(s, "snap-xxxxxxxx")) > 0);
    SCR_CHECK(s, vm_row_has(s, r, "\xe2\x80\xa6") && vm_col_of(s, r, " running ") == c,
              "the 200-character name is cut in its column");

    /* tiny, then normal again */
    scr_resize(s, 15, 60);
    vm_settle(s);
    SCR_CHECK(s, scr_alive(s), "survives 60x15");
    SCR_CHECK(s, scr_wait_text(s, "it's-current", T_WAIT) == 0, "the tree still shows");
    scr_resize(s, ROWS, COLS);
    SCR_CHECK(s, scr_wait_text(s, "Backing chain now", T_WAIT) == 0);
    vm_command(s, "view domains");
    SCR_CHECK(s, scr_wait_text(s, "[1:domains]", T_WAIT) == 0);
    vm_command(s, "view snapshots");
    SCR_CHECK(s, scr_wait_text(s, "[4:snapshots]", T_WAIT) == 0);
    scr_key(s, "q");
    SCR_CHECK(s, scr_wait_exit(s, T_WAIT) == 0);
    scr_free(s);
    return 0;
}
