/* Snapshots and block jobs against a real daemon (the lab), checked on the
 * DATA: a marker at sector 2048 (1 MiB) of labguest2's data disk, written
 * and read back by the guest on its serial console (in virtmux's console
 * pane) and, from outside, read out of the image files with qemu-io.
 * Everything is done through the virtmux screen; virsh, qemu-img and
 * qemu-io only prepare or look from outside.
 * Set-up (virsh): labguest2 shut off, a 2 GiB (sparse) qcow2
 * 'snapdata.qcow2' in labpool holding MARK-0 (written with qemu-io),
 * attached persistently as vda (the guest's /dev/vda).
 *  2a) internal snapshot 'off1' while shut off (qemu-img sees it in the
 *      image); start: the guest reads MARK-0, writes MARK-A.
 *  1)  internal snapshot 'run1' while running (memory + disk); the guest
 *      writes MARK-B; snapshot-revert run1 -> it reads MARK-A again.
 *  2b) destroy, snapshot-revert off1: shut off, the image holds MARK-0
 *      again (qemu-io); start: the guest reads MARK-0. Both internal
 *      snapshots are deleted (gone from the image too).
 *  5)  external 'e2' (--disk-only --atomic), the guest writes MARK-D;
 *      deleted from view 4 (d): a block commit; the overlay file is gone,
 *      so is e2, the disk is back on its base, which holds MARK-D.
 *  6)  external 'e3', MARK-E, snapshot-delete --merge pull: the base file
 *      is gone, the overlay has no backing file and holds MARK-E.
 *  3)  external 'e1': its overlay appears on the e3 file, whose sha256
 *      stays the same while the guest writes MARK-C.
 *  7a) destroy; snapshot-delete e1 is refused (a block job needs the
 *      domain running): files and snapshot list unchanged.
 *  4)  snapshot-revert e1 (shut off): the disk is on a new overlay backed
 *      by the image e1 froze, the abandoned overlay still holds MARK-C, e1
 *      is current (virsh, and view 4); start: the guest reads MARK-E.
 *  7b) external 'e4' after e1; snapshot-delete e1 is refused (children).
 *  8)  1.5 GiB written into e4's overlay; blockcommit --active is refused
 *      (the image under it is the one e4 froze); snapshot-delete e4 (its
 *      commit), job-cancel at once: the job ends cancelled, the chain and
 *      e4's record are unchanged, the guest
 *      reads its marker and a random block (md5) as before.
 * At exit (success or failure) the lab is put back with virsh: snapshot
 * records dropped (--metadata), the disk detached, its files deleted,
 * labguest2 started again and booted (as lab-up.sh leaves it).
 * Needs LAB_URI (tests/lab/run.sh boots the lab). */
#include <errno.h>
#include <sys/stat.h>

#include "labtest.h"

#define LONG_WAIT 90000
#define POOL "labpool"
#define DOM "labguest2"
#define VOL "snapdata.qcow2"
#define VIRSH "virsh -q -c '%s' "
/* a random block at 1700 MiB, and its md5 as the guest reads it */
#define RAND_MD5 "dd if=/dev/vda bs=1M skip=1700 count=4 iflag=direct 2>/dev/null | " \
                 "md5sum | cut -c1-32"

static const char *uri;
static char tmp[64];
static char pooldir[512], base[600];
static bool restored;
static struct lab_guest g2 = { DOM, NULL, false };

/* ---------------------------------------------------------------- outside */

static const char *
snap_list(char *buf, size_t len)
{
    return sh_all(buf, len, VIRSH "snapshot-list " DOM " --name | sort", uri);
}

static const char *
snap_current(char *buf, size_t len)
{
    return sh_all(buf, len, VIRSH "snapshot-current " DOM " --name 2>/dev/null", uri);
}

/* The internal snapshots qemu-img finds in the image. */
static const char *
img_snaps(const char *path, char *buf, size_t len)
{
    return sh_all(buf, len, "qemu-img snapshot -U -l '%s' | awk 'NR > 2 { print $2 }'", path);
}

/* The pool directory's files, their sizes and contents, in one line. */
static const char *
pool_files(char *buf, size_t len)
{
    return sh_all(buf, len, "cd '%s' && ls | sort | while read -r f; do "
                  "echo \"$f $(stat -c %%s \"$f\") $(sha256sum < \"$f\" | cut -c1-16)\"; done",
                  pooldir);
}

/* At exit, after a success as after a failure: the lab as lab-up.sh made
 * it, with virsh. Every step is harmless where there is nothing to do. */
static void
restore(void)
{
    char out[256];

    if (!uri || restored)
        return;
    restored = true;
    fprintf(stderr, "test-snapshot: putting the lab back with virsh\n");
    sh(VIRSH "destroy " DOM " >/dev/null 2>&1", uri);
    sh("for s in $(" VIRSH "snapshot-list " DOM " --name 2>/dev/null); do " VIRSH
       "snapshot-delete " DOM " \"$s\" --metadata >/dev/null 2>&1; done", uri, uri);
    sh(VIRSH "detach-disk " DOM " vda --config >/dev/null 2>&1", uri);
    sh(VIRSH "pool-refresh " POOL " >/dev/null 2>&1", uri);
    sh("for v in $(" VIRSH "vol-list " POOL " 2>/dev/null | awk '$1 ~ /^snapdata/ "
       "{ print $1 }'); do " VIRSH "vol-delete --pool " POOL " \"$v\" >/dev/null 2>&1; done",
       uri, uri);
    if (pooldir[0])
        sh("rm -f '%s'/snapdata.*", pooldir);
    sh(VIRSH "pool-refresh " POOL " >/dev/null 2>&1", uri);
    if (strcmp(lab_dom_state(uri, DOM, out, sizeof(out)), "running") != 0) {
        sh(VIRSH "start " DOM " >/dev/null 2>&1", uri);
        if (!lab_banner(&g2, 120000))
            fprintf(stderr, "test-snapshot: %s did not boot again within 120 s\n", DOM);
    }
    if (tmp[0])
        sh("rm -rf '%s'", tmp);
}

/* ---------------------------------------------------------------- screen */

/* A ':' command that asks y/N, from the home view: labtest.h's confirmed(). */
static void
confirmed_home(struct scr *s, const char *line, const char *question)
{
    lab_keys_home(s);
    confirmed(s, line, question);
}

/* ---------------------------------------------------------------- guest */

static void
console_prompt(struct scr *s)
{
    lab_prompt(s, &g2);
}

static const char *
guest(struct scr *s, const char *what, const char *expr, int ms, char *got, size_t glen)
{
    return lab_ask(s, &g2, what, expr, ms, got, glen);
}

static void
write_mark(struct scr *s, const char *mark)
{
    char expr[256], got[64];

    /* fsync: a flush, which has QEMU write its qcow2 metadata out too
     * (what qemu-io reads from outside) */
    snprintf(expr, sizeof(expr), "echo %s | dd of=/dev/vda bs=512 seek=2048 "
             "conv=notrunc,fsync 2>/dev/null && echo ok", mark);
    SCR_CHECK(s, strcmp(guest(s, "WR", expr, 30000, got, sizeof(got)), "ok") == 0,
              "the guest writes %s (it says %s)", mark, got);
}

/* start labguest2 in virtmux: started, booted, its prompt. */
static void
boot(struct scr *s)
{
    lab_command(s, "start " DOM);
    SCR_CHECK(s, scr_wait_text(s, "Domain '" DOM "' started", LONG_WAIT) == 0);
    SCR_CHECK(s, lab_banner(&g2, LONG_WAIT), DOM " boots to its banner");
    step("   booted");
    console_prompt(s);
}

static void
destroy(struct scr *s)
{
    char st[64];

    confirmed_home(s, "destroy " DOM, "destroy '" DOM "'?");
    SCR_CHECK(s, scr_wait_text(s, "Domain '" DOM "' destroyed", LONG_WAIT) == 0);
    SCR_CHECK(s, strcmp(lab_dom_state(uri, DOM, st, sizeof(st)), "shut off") == 0, "virsh: %s", st);
}

static void
snapshot(struct scr *s, const char *name, bool external)
{
    char line[256], text[256], list[256];

    snprintf(line, sizeof(line), "snapshot-create-as " DOM " %s%s", name,
             external ? " --disk-only --atomic" : "");
    lab_command(s, line);
    snprintf(text, sizeof(text), "Domain snapshot '%s' of '" DOM "' created", name);
    SCR_CHECK(s, scr_wait_text(s, text, LONG_WAIT) == 0, "snapshot %s is taken", name);
    snprintf(text, sizeof(text), " %s ", name);
    snprintf(line, sizeof(line), " %s ", snap_list(list, sizeof(list)));
    SCR_CHECK(s, strstr(line, text), "virsh lists %s (it lists %s)", name, list);
}

/* ---------------------------------------------------------------- parts */

static void
prepare(void)
{
    char mark[128], out[512];

    step("set-up: labguest2 shut off, a 2 GiB qcow2 data disk holding MARK-0 as its vda");
    SCR_CHECK(NULL, sh(VIRSH "destroy " DOM " >/dev/null 2>&1; " VIRSH "domstate " DOM
                       " | grep -q 'shut off'", uri, uri) == 0, DOM " is shut off");
    SCR_CHECK(NULL, sh(VIRSH "vol-create-as " POOL " " VOL " 2G --format qcow2 >/dev/null",
                       uri) == 0);
    sh_all(base, sizeof(base), VIRSH "vol-path --pool " POOL " " VOL, uri);
    SCR_CHECK(NULL, base[0] == '/', "the volume's file");
    snprintf(pooldir, sizeof(pooldir), "%.*s", (int)(strrchr(base, '/') - base), base);
    snprintf(mark, sizeof(mark), "%s/mark", tmp);
    SCR_CHECK(NULL, sh("printf MARK-0 > '%s' && qemu-io -f qcow2 -c 'write -s %s 1048576 6' "
                       "'%s' >/dev/null", mark, mark, base) == 0, "qemu-io writes MARK-0");
    SCR_CHECK(NULL, strcmp(img_mark(base, out), "MARK-0") == 0, "MARK-0 is in the image");
    SCR_CHECK(NULL, sh(VIRSH "attach-disk " DOM " '%s' vda --driver qemu --subdriver qcow2 "
                       "--targetbus virtio --config >/dev/null", uri, base) == 0);
    SCR_CHECK(NULL, strcmp(lab_vda(uri, DOM, true, out, sizeof(out)), base) == 0,
              "the definition has vda");
}

static void
part_internal(struct scr *s)
{
    char out[512], st[64];

    step("2a) internal snapshot off1 while shut off");
    snapshot(s, "off1", false);
    SCR_CHECK(s, strcmp(img_snaps(base, out, sizeof(out)), "off1") == 0,
              "qemu-img finds off1 in the image (it finds '%s')", out);
    SCR_CHECK(s, sh(VIRSH "snapshot-info " DOM " off1 | grep -q '^State: *shutoff'", uri) == 0);
    boot(s);
    lab_expect_mark(s, &g2, "MARK-0", "the disk as set up");
    write_mark(s, "MARK-A");

    step("1) internal snapshot run1 while running (memory + disk)");
    snapshot(s, "run1", false);
    SCR_CHECK(s, sh(VIRSH "snapshot-info " DOM " run1 | grep -q '^State: *running'", uri) == 0);
    SCR_CHECK(s, sh("qemu-img snapshot -U -l '%s' | awk '$2 == \"run1\" && $3 != \"0\" "
                    "{ f = 1 } END { exit !f }'", base) == 0,
              "run1 is in the image, with the guest's memory");
    write_mark(s, "MARK-B");
    lab_expect_mark(s, &g2, "MARK-B", "written");
    confirmed_home(s, "snapshot-revert " DOM " run1", "snapshot-revert '" DOM "' to 'run1'");
    SCR_CHECK(s, scr_wait_text(s, "Domain '" DOM "' reverted to snapshot 'run1'", LONG_WAIT)
              == 0);
    SCR_CHECK(s, strcmp(lab_dom_state(uri, DOM, st, sizeof(st)), "running") == 0, "virsh: %s", st);
    /* libvirt reverts a running domain by starting a new QEMU: the
     * console pane sees its stream end while the domain stays running
     * ("[closed] ... press f to take it back"), so take it back */
    lab_keys_home(s);
    vm_command(s, "console " DOM " --force");
    SCR_CHECK(s, scr_wait_text(s, "console " DOM " [attached]", LONG_WAIT) == 0);
    g2.in_console = true;
    lab_keys = &g2;
    console_prompt(s);
    lab_expect_mark(s, &g2, "MARK-A", "after reverting to run1");

    step("2b) destroy, revert to off1 (shut off), start");
    destroy(s);
    confirmed_home(s, "snapshot-revert " DOM " off1", "snapshot-revert '" DOM "' to 'off1'");
    SCR_CHECK(s, scr_wait_text(s, "Domain '" DOM "' reverted to snapshot 'off1'", LONG_WAIT)
              == 0);
    SCR_CHECK(s, strcmp(lab_dom_state(uri, DOM, st, sizeof(st)), "shut off") == 0, "virsh: %s", st);
    SCR_CHECK(s, strcmp(img_mark(base, out), "MARK-0") == 0,
              "the image holds MARK-0 again (it holds '%s')", out);
    boot(s);
    lab_expect_mark(s, &g2, "MARK-0", "after reverting to off1");

    step("   delete run1 and off1");
    confirmed_home(s, "snapshot-delete " DOM " run1", "snapshot-delete 'run1' of '" DOM "'?");
    SCR_CHECK(s, scr_wait_text(s, "Domain snapshot 'run1' of '" DOM "' deleted", LONG_WAIT) == 0);
    confirmed_home(s, "snapshot-delete " DOM " off1", "snapshot-delete 'off1' of '" DOM "'?");
    SCR_CHECK(s, scr_wait_text(s, "Domain snapshot 'off1' of '" DOM "' deleted", LONG_WAIT) == 0);
    SCR_CHECK(s, strcmp(snap_list(out, sizeof(out)), "") == 0, "virsh lists none (%s)", out);
    SCR_CHECK(s, strcmp(img_snaps(base, out, sizeof(out)), "") == 0,
              "none left in the image (%s)", out);
}

/* The row of the snapshots view drawing name (a root, or under a branch). */
static int
snap_row(struct scr *s, const char *name)
{
    char branch[128], root[128];

    snprintf(branch, sizeof(branch), "\xe2\x94\x80 %s ", name);
    snprintf(root, sizeof(root), "%s ", name);
    for (int r = 2; r < ROWS - 1; r++) {
        char *t = scr_row(s, r);
        bool hit = t && (strstr(t, branch) || strncmp(t, root, strlen(root)) == 0);

        free(t);
        if (hit)
            return r;
    }
    return -1;
}

static void
part_commit(struct scr *s)
{
    char o2[600], out[600], got[64];
    int r = -1;

    step("5) external e2, MARK-D, deleted from view 4: a block commit");
    snapshot(s, "e2", true);
    snprintf(o2, sizeof(o2), "%s/snapdata.e2", pooldir);
    SCR_CHECK(s, strcmp(lab_vda(uri, DOM, false, out, sizeof(out)), o2) == 0, "vda is on %s (%s)",
              o2, out);
    SCR_CHECK(s, strcmp(lab_img_field(o2, "backing-filename", out, sizeof(out)), base) == 0,
              "the overlay is backed by the base (%s)", out);
    write_mark(s, "MARK-D");
    SCR_CHECK(s, strcmp(img_mark(base, got), "MARK-0") == 0, "the base still holds MARK-0");

    lab_keys_home(s);
    scr_key(s, "4");
    SCR_CHECK(s, scr_wait_text(s, "Snapshots of '" DOM "' (running)", T_WAIT) == 0);
    for (int i = 0; i < 80 && (r = snap_row(s, "e2")) < 0; i++)
        scr_pump(s, 100);
    SCR_CHECK(s, r > 0 && vm_row_has(s, r, "external") && vm_row_has(s, r, "disk-snapshot"),
              "e2 in the tree: external, disk-snapshot");
    SCR_CHECK(s, vm_goto_row(s, snap_row, "e2") == 0, "the cursor on e2");
    scr_key(s, "d");
    SCR_CHECK(s, scr_wait_text(s, "commit: the overlay goes down into its base", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "snapshot-delete 'e2' of '" DOM "'? [y/N]", T_WAIT) == 0);
    scr_key(s, "y");
    SCR_CHECK(s, scr_wait_text(s, "Deleting external snapshot 'e2'", LONG_WAIT) == 0);
    SCR_CHECK(s, wait_gone(o2, 60000), "the overlay file goes");
    for (int i = 0; i < 100 && snap_row(s, "e2") >= 0; i++)
        scr_pump(s, 100);
    SCR_CHECK(s, snap_row(s, "e2") < 0, "e2 left the tree");
    SCR_CHECK(s,
              lab_history_has(s, 2000, "External snapshot 'e2' of '" DOM "' deleted: its overlay "
                             "merged into its base by block commit", NULL), "m: the job's line");
    SCR_CHECK(s, strcmp(snap_list(out, sizeof(out)), "") == 0, "virsh lists none (%s)", out);
    SCR_CHECK(s, strcmp(lab_vda(uri, DOM, false, out, sizeof(out)), base) == 0,
              "vda is back on the base");
    SCR_CHECK(s, strcmp(lab_vda(uri, DOM, true, out, sizeof(out)), base) == 0,
              "so is the definition");
    SCR_CHECK(s, strcmp(lab_img_field(base, "backing-filename", out, sizeof(out)), "") == 0);

    /* another tool's snapshot shows up in the open view, and goes again
     * (libvirt has no snapshot events: the view reads the list again) */
    step("   a snapshot made and deleted by virsh shows in view 4");
    SCR_CHECK(s, sh(VIRSH "snapshot-create-as " DOM " outside1 >/dev/null 2>&1", uri) == 0,
              "virsh made outside1");
    for (int i = 0; i < 150 && snap_row(s, "outside1") < 0; i++)
        scr_pump(s, 100);
    SCR_CHECK(s, snap_row(s, "outside1") > 0, "outside1 appears in the tree");
    SCR_CHECK(s, sh(VIRSH "snapshot-delete " DOM " outside1 >/dev/null 2>&1", uri) == 0,
              "virsh deleted outside1");
    for (int i = 0; i < 150 && snap_row(s, "outside1") >= 0; i++)
        scr_pump(s, 100);
    SCR_CHECK(s, snap_row(s, "outside1") < 0, "outside1 leaves the tree");

    scr_key(s, "1");
    SCR_CHECK(s, scr_wait_text(s, "[1:domains]", T_WAIT) == 0);
    lab_flush(s, &g2);
    SCR_CHECK(s, strcmp(img_mark(base, got), "MARK-D") == 0,
              "the base file holds MARK-D (it holds '%s')", got);
    lab_expect_mark(s, &g2, "MARK-D", "after the commit");
}

static char o3[600];

static void
part_pull(struct scr *s)
{
    char out[600], got[64];

    step("6) external e3, MARK-E, snapshot-delete --merge pull");
    snapshot(s, "e3", true);
    snprintf(o3, sizeof(o3), "%s/snapdata.e3", pooldir);
    SCR_CHECK(s, strcmp(lab_vda(uri, DOM, false, out, sizeof(out)), o3) == 0, "vda is on %s (%s)",
              o3, out);
    write_mark(s, "MARK-E");
    confirmed_home(s, "snapshot-delete " DOM " e3 --merge pull",
              "pull: its base comes up into the overlay");
    SCR_CHECK(s, scr_wait_text(s, "Deleting external snapshot 'e3'", LONG_WAIT) == 0);
    SCR_CHECK(s, wait_gone(base, 60000), "the base file goes (nothing else used it)");
    SCR_CHECK(s,
              lab_history_has(s, 2000, "External snapshot 'e3' of '" DOM "' deleted: its overlay "
                             "took in its base by block pull", NULL), "m: the job's line");
    SCR_CHECK(s, strcmp(snap_list(out, sizeof(out)), "") == 0, "virsh lists none (%s)", out);
    SCR_CHECK(s, strcmp(lab_vda(uri, DOM, false, out, sizeof(out)), o3) == 0,
              "vda stays on the overlay");
    SCR_CHECK(s, exists(o3));
    SCR_CHECK(s, strcmp(lab_img_field(o3, "backing-filename", out, sizeof(out)), "") == 0,
              "the overlay stands alone (backing %s)", out);
    SCR_CHECK(s, strcmp(lab_chain(uri, DOM, out, sizeof(out)), o3) == 0, "libvirt's chain: %s",
              out);
    lab_flush(s, &g2);
    SCR_CHECK(s, strcmp(img_mark(o3, got), "MARK-E") == 0,
              "the overlay holds MARK-E (it holds '%s')", got);
    lab_expect_mark(s, &g2, "MARK-E", "after the pull");
}

static char o1[600];

static void
part_external(struct scr *s)
{
    char out[600], before[80], after[80], got[64];

    step("3) external e1 while running: the image it froze stays as it was");
    snapshot(s, "e1", true);
    snprintf(o1, sizeof(o1), "%s/snapdata.e1", pooldir);
    SCR_CHECK(s, exists(o1), "the overlay file appears");
    SCR_CHECK(s, strcmp(lab_vda(uri, DOM, false, out, sizeof(out)), o1) == 0, "vda is on %s (%s)",
              o1, out);
    SCR_CHECK(s, strcmp(lab_img_field(o1, "backing-filename", out, sizeof(out)), o3) == 0,
              "backed by the e3 file (%s)", out);
    sha256(o3, before, sizeof(before));
    write_mark(s, "MARK-C");
    lab_expect_mark(s, &g2, "MARK-C", "written");
    sha256(o3, after, sizeof(after));
    SCR_CHECK(s, strlen(before) == 64 && strcmp(before, after) == 0,
              "the frozen image's sha256 stays the same");
    SCR_CHECK(s, strcmp(img_mark(o3, got), "MARK-E") == 0, "it holds MARK-E (%s)", got);
    SCR_CHECK(s, strcmp(img_mark(o1, got), "MARK-C") == 0, "the overlay MARK-C (%s)", got);
}

static void
part_revert(struct scr *s)
{
    char out[600], files[2048], files2[2048], snaps[256], snaps2[256], n[600], got[64];
    int r = -1;

    step("4) destroy; 7a) snapshot-delete e1 shut off: refused");
    destroy(s);
    pool_files(files, sizeof(files));
    snap_list(snaps, sizeof(snaps));
    /* refused on the host before anything is asked */
    lab_command(s, "snapshot-delete " DOM " e1");
    SCR_CHECK(s, scr_wait_text(s, "Deleting external snapshot 'e1' merges its overlay with a "
                               "block job", T_WAIT) == 0, "refused, with the reason");
    SCR_CHECK(s, vm_row_of(s, "[y/N]") < 0, "no question was asked");
    scr_resize(s, ROWS, 220);
    SCR_CHECK(s, scr_wait_text(s, "which needs '" DOM "' running: start it", T_WAIT) == 0,
              "the whole reason");
    scr_resize(s, ROWS, COLS);
    SCR_CHECK(s, strcmp(snap_list(snaps2, sizeof(snaps2)), snaps) == 0,
              "the snapshot list is the same (%s)", snaps2);
    SCR_CHECK(s, strcmp(pool_files(files2, sizeof(files2)), files) == 0,
              "the files are the same:\n%s\n%s", files, files2);
    SCR_CHECK(s, strcmp(lab_vda(uri, DOM, true, out, sizeof(out)), o1) == 0, "vda still on %s", o1);

    step("4) snapshot-revert e1 (shut off)");
    confirmed_home(s, "snapshot-revert " DOM " e1", "snapshot-revert '" DOM "' to external 'e1'");
    SCR_CHECK(s, scr_wait_text(s, "Domain '" DOM "' reverted to external snapshot 'e1'",
                               LONG_WAIT) == 0);
    lab_vda(uri, DOM, true, n, sizeof(n));
    SCR_CHECK(s, n[0] == '/' && strcmp(n, o1) != 0 && strcmp(n, o3) != 0 && exists(n),
              "vda is on a new overlay (%s)", n);
    SCR_CHECK(s, strcmp(lab_img_field(n, "backing-filename", out, sizeof(out)), o3) == 0,
              "backed by the image e1 froze (%s)", out);
    SCR_CHECK(s, strcmp(lab_img_field(n, "format", out, sizeof(out)), "qcow2") == 0);
    SCR_CHECK(s, exists(o1) && strcmp(img_mark(o1, got), "MARK-C") == 0,
              "the abandoned overlay stays, with MARK-C (%s)", got);
    SCR_CHECK(s, strcmp(img_mark(n, got), "MARK-E") == 0, "the new disk reads MARK-E (%s)", got);
    SCR_CHECK(s, strcmp(snap_current(out, sizeof(out)), "e1") == 0, "e1 is current (%s)", out);
    SCR_CHECK(s, strcmp(lab_dom_state(uri, DOM, out, sizeof(out)), "shut off") == 0, "virsh: %s",
              out);
    /* view 4 says so too */
    scr_key(s, "4");
    SCR_CHECK(s, scr_wait_text(s, "Snapshots of '" DOM "' (shut off)", T_WAIT) == 0);
    /* the details of the chosen one (the current one, when the view opens) */
    SCR_CHECK(s, scr_wait_text(s, "'e1': disk-snapshot at ", T_WAIT) == 0 &&
              vm_row_has(s, vm_row_of(s, "'e1': disk-snapshot at "), ", external, current;"),
              "view 4: e1 is current");
    for (int i = 0; i < 50 && (r = snap_row(s, "e1")) < 0; i++)
        scr_pump(s, 100);
    SCR_CHECK(s, r > 0 && vm_row_has(s, r, "external") && vm_row_has(s, r, "  *"),
              "view 4: e1 external, marked current");
    scr_key(s, "1");
    SCR_CHECK(s, scr_wait_text(s, "[1:domains]", T_WAIT) == 0);
    boot(s);
    lab_expect_mark(s, &g2, "MARK-E", "after reverting to e1 (what the disk held at e1)");
}

/* The jobs pane: the number of the running "blockcommit labguest2 vda"
 * job (-1: none), or whether job id's row shows state. */
static int
job_scan(struct scr *s, int id, const char *state)
{
    for (int r = 2; r < ROWS; r++) {
        char *t = scr_row(s, r), *p = t ? strstr(t, "blockcommit " DOM " vda") : NULL;
        char *q = p;
        int n;

        while (q && q > t && (q[-1] == ' ' || (q[-1] >= '0' && q[-1] <= '9')))
            q--;
        n = q ? atoi(q) : -1;
        if (p && (id < 0 || n == id) && strstr(p, state)) {
            free(t);
            return n;
        }
        free(t);
    }
    return -1;
}

static int
job_running(struct scr *s)
{
    return job_scan(s, -1, "running");
}

static bool
job_has(struct scr *s, int id, const char *state)
{
    return job_scan(s, id, state) == id;
}

static void
part_cancel(struct scr *s)
{
    char out[600], o4[600], ch[2048], ch2[2048], snaps[256], md5[64], got[64], line[128];
    int id = -1;
    struct stat sb;
    double t_start;

    step("7b) external e4 after e1; snapshot-delete e1: refused (children)");
    snapshot(s, "e4", true);
    lab_vda(uri, DOM, false, o4, sizeof(o4));
    lab_chain(uri, DOM, ch, sizeof(ch));
    snap_list(snaps, sizeof(snaps));
    lab_command(s, "snapshot-delete " DOM " e1");
    SCR_CHECK(s, scr_wait_text(s, "External snapshot 'e1' has snapshots after it", T_WAIT) == 0,
              "refused, with the reason");
    SCR_CHECK(s, vm_row_of(s, "[y/N]") < 0, "no question was asked");
    SCR_CHECK(s, strcmp(snap_list(out, sizeof(out)), snaps) == 0, "the same snapshots (%s)",
              out);
    SCR_CHECK(s, strcmp(lab_chain(uri, DOM, ch2, sizeof(ch2)), ch) == 0, "the same chain (%s)",
              ch2);
    SCR_CHECK(s, exists(o1), "the e1 overlay stays");

    step("8) 1.5 GiB into e4's overlay; snapshot-delete e4 (a commit), job-cancel at once");
    write_mark(s, "MARK-F");
    SCR_CHECK(s, strcmp(guest(s, "RND", "dd if=/dev/urandom of=/dev/vda bs=1M seek=1700 count=4 "
                              "iflag=fullblock oflag=direct 2>/dev/null && echo ok", 30000, got,
                              sizeof(got)), "ok") == 0, "4 MiB of random data (%s)", got);
    guest(s, "MD5", RAND_MD5, 30000, md5, sizeof(md5));
    SCR_CHECK(s, strlen(md5) == 32, "its md5 (%s)", md5);
    SCR_CHECK(s, strcmp(guest(s, "BULK", "dd if=/dev/zero of=/dev/vda bs=4M seek=16 count=384 "
                              "oflag=direct 2>/dev/null && echo ok", 120000, got, sizeof(got)),
                        "ok") == 0, "1.5 GiB written (%s)", got);
    SCR_CHECK(s, stat(o4, &sb) == 0 && sb.st_size > 1536 * 1024 * 1024LL,
              "the overlay holds it (%lld bytes)", (long long)sb.st_size);
    lab_chain(uri, DOM, ch, sizeof(ch));
    SCR_CHECK(s, strchr(ch, ' '), "a chain of several files (%s)", ch);

    /* the image under e4's overlay is the one e4 froze: a plain
     * blockcommit into it is refused (it would break e4), e4's delete
     * merges into it */
    lab_command(s, "blockcommit " DOM " vda --active");
    scr_resize(s, ROWS, 400);
    SCR_CHECK(s, scr_wait_text(s, "snapshot 'e4' of '" DOM "' froze it", T_WAIT) == 0,
              "blockcommit into an image a snapshot froze is refused");
    scr_resize(s, ROWS, COLS);
    confirmed_home(s, "snapshot-delete " DOM " e4", "commit: the overlay goes down into its base");
    SCR_CHECK(s, scr_wait_text(s, "Deleting external snapshot 'e4'", T_WAIT) == 0);
    t_start = elapsed();
    for (int i = 0; i < 250 && (id = job_running(s)) < 0; i++)
        scr_pump(s, 20);
    SCR_CHECK(s, id > 0, "the job runs in the jobs pane");
    snprintf(line, sizeof(line), "job-cancel %d", id);
    lab_command(s, line);
    fprintf(stderr, "test-snapshot: job-cancel %d typed %.2f s after the job started\n", id,
            elapsed() - t_start);
    snprintf(line, sizeof(line), "%d", id);
    for (int i = 0; i < 300 && !job_has(s, id, "cancelled"); i++)
        scr_pump(s, 100);
    SCR_CHECK(s, job_has(s, id, "cancelled"), "the jobs pane says cancelled");
    for (int r = 2; r < ROWS; r++) {
        if (vm_row_has(s, r, "blockcommit " DOM " vda")) {
            char *t = scr_row(s, r);

            fprintf(stderr, "test-snapshot: %s\n", t);
            free(t);
        }
    }
    snprintf(line, sizeof(line), "Cancelled job %d (blockcommit " DOM " vda)", id);
    SCR_CHECK(s, lab_history_has(s, 2000, line, NULL), "m: the cancelled job");
    SCR_CHECK(s, strcmp(lab_chain(uri, DOM, ch2, sizeof(ch2)), ch) == 0,
              "the chain is unchanged: %s (was %s)", ch2, ch);
    SCR_CHECK(s, strcmp(lab_vda(uri, DOM, false, out, sizeof(out)), o4) == 0, "vda stays on %s",
              o4);
    /* (not -q: virsh says so only when it is not quiet) */
    SCR_CHECK(s, sh("virsh -c '%s' blockjob " DOM " vda --info 2>&1 | "
                    "grep -q 'No current block job for vda'", uri) == 0, "no block job left");
    SCR_CHECK(s, strstr(snap_list(out, sizeof(out)), "e4"), "e4 is still there (%s)", out);
    lab_expect_mark(s, &g2, "MARK-F", "after the cancelled commit");
    guest(s, "MD5", RAND_MD5, 30000, got, sizeof(got));
    SCR_CHECK(s, strcmp(got, md5) == 0, "the random block reads the same (%s, was %s)", got, md5);
}

int
main(void)
{
    char *args[3] = { "-c", NULL, NULL };
    char out[512];
    struct scr *s;

    lab_clock_start();
    uri = getenv("LAB_URI");
    g2.serial = getenv("LAB_SERIAL_LOG2");
    if (!uri || !*uri || !g2.serial || !*g2.serial) {
        fprintf(stderr, "SKIP: LAB_URI/LAB_SERIAL_LOG2 are not set (tests/lab/run.sh sets "
                "them)\n");
        return 77;
    }
    args[1] = (char *)uri;
    snprintf(tmp, sizeof(tmp), "/tmp/vmsnap-XXXXXX");
    if (!mkdtemp(tmp)) {
        perror("mkdtemp");
        return 1;
    }
    atexit(restore);
    prepare();

    s = vm_start(args, NULL);
    SCR_CHECK(s, scr_wait_text(s, "  " DOM " ", LONG_WAIT) == 0, DOM " is listed");
    for (int i = 0; i < 100 && !vm_row_has(s, vm_find_domain(s, DOM), "shut off"); i++)
        scr_pump(s, 100);
    SCR_CHECK(s, vm_row_has(s, vm_find_domain(s, DOM), "shut off"), DOM " is shut off");
    SCR_CHECK(s, vm_goto(s, DOM) == 0, "the cursor on " DOM);

    part_internal(s);
    part_commit(s);
    part_pull(s);
    part_external(s);
    part_revert(s);
    part_cancel(s);

    step("done; putting the lab back");
    lab_keys_home(s);
    scr_free(s);
    restore();
    /* as lab-up.sh left it: running, no data disk, nothing in the pool */
    SCR_CHECK(NULL, strcmp(lab_dom_state(uri, DOM, out, sizeof(out)), "running") == 0, DOM ": %s",
              out);
    SCR_CHECK(NULL, strcmp(lab_vda(uri, DOM, true, out, sizeof(out)), "") == 0, "no vda left (%s)",
              out);
    SCR_CHECK(NULL, strcmp(snap_list(out, sizeof(out)), "") == 0, "no snapshot left (%s)", out);
    SCR_CHECK(NULL, sh(VIRSH "vol-list " POOL " | grep -q snapdata", uri) != 0,
                "no snapdata volume left");
    step("lab restored");
    return 0;
}
