/* Snapshot merges and reverts on the chains virtmux's other features make
 * (a template's linked clones, a revert overlay, an internal snapshot with
 * an external child), against the lab's real daemon, with the data checked
 * by checksum in every image and from inside the guest. The issue this
 * answers: a delete that merged into the template's image, a revert that
 * rewound an image an external snapshot froze.
 * Set-up (virsh): both guests shut off; 'tpl.qcow2' (64 MiB, MARK-T at
 * 1 MiB, written with qemu-io) in labpool, two linked clones 'w1.qcow2'
 * and 'w2.qcow2' backed by it, as vda of labguest and labguest2.
 *  A) labguest (w1 <- tpl): boots, writes MARK-1; disk-only snapshot s1;
 *     writes MARK-2; snapshot-delete s1: the question names w1.s1 going
 *     into w1.qcow2; after the job w1.s1 is gone, the disk is w1.qcow2 <-
 *     tpl.qcow2, tpl.qcow2 and w2.qcow2 have their sha256 of before,
 *     w1.qcow2 holds MARK-2, w2 still reads MARK-T, the guest MARK-2.
 *  B) blockcommit labguest vda --base tpl.qcow2: refused before any
 *     question (w2.qcow2 reads through it); nothing changed.
 *  C) s2, MARK-3, snapshot-delete s2 --merge pull: w1.s2 takes in
 *     w1.qcow2 and stands on tpl.qcow2; w1.qcow2 is deleted; tpl.qcow2
 *     unchanged; the guest reads MARK-3.
 *  F) (shut off) disk-only s3 with its overlay outside any pool;
 *     vol-delete w1.s2 (the image s3 froze) is refused before any
 *     question, naming the snapshot and the overlay; nothing changes.
 *  D) labguest2 (w2 <- tpl) shut off: internal int-off; start, MARK-V;
 *     disk-only ext-a (freezes w2.qcow2); MARK-W; destroy; revert to
 *     int-off: refused, naming ext-a; every file as it was. With --insist:
 *     the question says ext-a's record goes; w2.qcow2 reads MARK-T again
 *     and ext-a is gone.
 *  E) labguest2: int-off deleted; external e1 (shut off); revert e1 (a
 *     revert overlay R on w2.qcow2); start, MARK-R; disk-only e2; MARK-S;
 *     snapshot-delete e2: the question names R as written; R survives with
 *     MARK-S, the abandoned e1 overlay, w2.qcow2 and tpl.qcow2 keep their
 *     sha256; the guest reads MARK-S.
 * At exit the lab is put back with virsh.
 * Needs LAB_URI (tests/lab/run.sh boots the lab). */
#include <sys/stat.h>

#include "labtest.h"

#define LONG_WAIT 90000
#define POOL "labpool"
#define VIRSH "virsh -q -c '%s' "
#define G1 "labguest"
#define G2 "labguest2"

static const char *uri;
static char pooldir[512], tpl[600], w1[600], w2[600];
static char outside[64] = "/tmp/vmchains-XXXXXX";
static bool restored;

static struct lab_guest g1 = { G1, NULL, false }, g2 = { G2, NULL, false };

/* ---------------------------------------------------------------- outside */

static const char *
snaps(const char *dom, char *buf, size_t len)
{
    return sh_all(buf, len, VIRSH "snapshot-list %s --name | sort", uri, dom);
}

static const char *
pool_files(char *buf, size_t len)
{
    return sh_all(buf, len, "cd '%s' && ls | sort | while read -r f; do "
                  "echo \"$f $(sha256sum < \"$f\" | cut -c1-16)\"; done", pooldir);
}

static void
restore(void)
{
    if (!uri || restored)
        return;
    restored = true;
    fprintf(stderr, "test-chains: putting the lab back with virsh\n");
    for (int i = 0; i < 2; i++) {
        const char *d = i ? G2 : G1;

        sh(VIRSH "destroy %s >/dev/null 2>&1", uri, d);
        sh("for s in $(" VIRSH "snapshot-list %s --name 2>/dev/null); do " VIRSH
           "snapshot-delete %s \"$s\" --metadata >/dev/null 2>&1; done", uri, d, uri, d);
        sh(VIRSH "detach-disk %s vda --config >/dev/null 2>&1", uri, d);
    }
    if (pooldir[0])
        sh("rm -f '%s'/tpl.* '%s'/w1.* '%s'/w2.*", pooldir, pooldir, pooldir);
    if (!strstr(outside, "XXXXXX"))
        sh("rm -rf '%s'", outside);
    sh(VIRSH "pool-refresh " POOL " >/dev/null 2>&1", uri);
    sh(VIRSH "start " G1 " >/dev/null 2>&1; " VIRSH "start " G2 " >/dev/null 2>&1", uri, uri);
}

/* ---------------------------------------------------------------- screen */

/* A command refused on the host before any question: the reason shows,
 * no [y/N] does. */
static void
refused(struct scr *s, const char *line, const char *why)
{
    lab_command(s, line);
    /* the whole reason on one status line */
    scr_resize(s, ROWS, 500);
    SCR_CHECK(s, scr_wait_text(s, why, LONG_WAIT) == 0, "'%s' is refused: %s", line, why);
    SCR_CHECK(s, vm_row_of(s, "[y/N]") < 0, "no question was asked for '%s'", line);
}

static void
refused_end(struct scr *s)
{
    scr_resize(s, ROWS, COLS);
    scr_pump(s, 200);
}

/* A command that asks: the question names the files (each of want, on
 * the screen), then y. */
static void
asks(struct scr *s, const char *line, const char *const *want)
{
    char text[4096];

    lab_command(s, line);
    SCR_CHECK(s, scr_wait_text(s, "[y/N]", LONG_WAIT) == 0, "'%s' asks", line);
    scr_pump(s, 200);
    /* the question's detail wraps over the lines above the prompt */
    text[0] = '\0';
    for (int r = ROWS - 6; r < ROWS; r++) {
        char *t = scr_row(s, r);

        snprintf(text + strlen(text), sizeof(text) - strlen(text), "%s ", t ? t : "");
        free(t);
    }
    for (size_t i = 0; want[i]; i++)
        SCR_CHECK(s, strstr(text, want[i]) != NULL, "the question says '%s'", want[i]);
    scr_key(s, "y");
}

/* ---------------------------------------------------------------- guest */

static void
console(struct scr *s, struct lab_guest *g)
{
    if (lab_keys != g || !g->in_console)
        lab_prompt(s, g);
}

static const char *
guest(struct scr *s, struct lab_guest *g, const char *what, const char *expr, char *got,
      size_t glen)
{
    return lab_ask(s, g, what, expr, 30000, got, glen);
}

/* The guest writes mark at 1 MiB of its vda and flushes (QEMU writes its
 * qcow2 metadata out: qemu-io reads from outside what the guest wrote). */
static void
write_mark(struct scr *s, struct lab_guest *g, const char *mark)
{
    char expr[256], got[64];

    snprintf(expr, sizeof(expr), "echo %s | dd of=/dev/vda bs=512 seek=2048 "
             "conv=notrunc,fsync 2>/dev/null && sync /dev/vda && echo ok", mark);
    SCR_CHECK(s, strcmp(guest(s, g, "WR", expr, got, sizeof(got)), "ok") == 0,
              "%s writes %s (%s)", g->dom, mark, got);
}

static void
boot(struct scr *s, struct lab_guest *g)
{
    char line[128];

    snprintf(line, sizeof(line), "start %s", g->dom);
    lab_command(s, line);
    snprintf(line, sizeof(line), "Domain '%s' started", g->dom);
    SCR_CHECK(s, scr_wait_text(s, line, LONG_WAIT) == 0);
    SCR_CHECK(s, lab_banner(g, LONG_WAIT), "%s boots", g->dom);
    console(s, g);
}

static void
destroy(struct scr *s, struct lab_guest *g)
{
    char line[128], q[128];

    snprintf(line, sizeof(line), "destroy %s", g->dom);
    snprintf(q, sizeof(q), "destroy '%s'?", g->dom);
    lab_keys_home(s);
    confirmed(s, line, q);
    snprintf(line, sizeof(line), "Domain '%s' destroyed", g->dom);
    SCR_CHECK(s, scr_wait_text(s, line, LONG_WAIT) == 0);
}

static void
snapshot(struct scr *s, const char *dom, const char *name, bool external)
{
    char line[256], text[256];

    snprintf(line, sizeof(line), "snapshot-create-as %s %s%s", dom, name,
             external ? " --disk-only --atomic" : "");
    lab_command(s, line);
    snprintf(text, sizeof(text), "Domain snapshot '%s' of '%s' created", name, dom);
    SCR_CHECK(s, scr_wait_text(s, text, LONG_WAIT) == 0, "snapshot %s of %s", name, dom);
}

/* The job's end: its line in the message history. */
static void
job_line(struct scr *s, const char *text)
{
    bool ok = false;

    lab_keys_home(s);
    for (int i = 0; i < 600 && !ok; i++) {
        scr_key(s, "m");
        scr_pump(s, 100);
        scr_key(s, "End");
        scr_pump(s, 100);
        ok = vm_row_of(s, text) >= 0;
        scr_key(s, "q");
        scr_pump(s, 100);
    }
    SCR_CHECK(s, ok, "m: %s", text);
}

/* ---------------------------------------------------------------- parts */

static void
prepare(void)
{
    char out[512], mark[128];

    step("set-up: tpl.qcow2 with MARK-T, linked clones w1 and w2 as the guests' vda");
    sh(VIRSH "destroy " G1 " >/dev/null 2>&1; " VIRSH "destroy " G2 " >/dev/null 2>&1", uri,
       uri);
    SCR_CHECK(NULL, sh(VIRSH "vol-create-as " POOL " tpl.qcow2 64M --format qcow2 >/dev/null",
                       uri) == 0);
    sh_all(tpl, sizeof(tpl), VIRSH "vol-path --pool " POOL " tpl.qcow2", uri);
    snprintf(pooldir, sizeof(pooldir), "%.*s", (int)(strrchr(tpl, '/') - tpl), tpl);
    snprintf(mark, sizeof(mark), "/tmp/vmchains-mark.%d", (int)getpid());
    SCR_CHECK(NULL, sh("printf MARK-T > '%s' && qemu-io -f qcow2 -c 'write -s %s 1048576 6' "
                       "'%s' >/dev/null && rm -f '%s'", mark, mark, tpl, mark) == 0);
    for (int i = 0; i < 2; i++) {
        const char *d = i ? G2 : G1, *v = i ? "w2.qcow2" : "w1.qcow2";
        char *path = i ? w2 : w1;

        SCR_CHECK(NULL, sh(VIRSH "vol-create-as " POOL " %s 64M --format qcow2 --backing-vol "
                           "tpl.qcow2 --backing-vol-format qcow2 >/dev/null", uri, v) == 0);
        sh_all(path, 600, VIRSH "vol-path --pool " POOL " %s", uri, v);
        SCR_CHECK(NULL, sh(VIRSH "attach-disk %s '%s' vda --driver qemu --subdriver qcow2 "
                           "--targetbus virtio --config >/dev/null", uri, d, path) == 0);
        SCR_CHECK(NULL, strcmp(img_mark(path, out), "MARK-T") == 0, "%s reads MARK-T", v);
    }
}

static void
part_template(struct scr *s)
{
    char tsha[80], w2sha[80], out[2048], files[2048], s1[640], s2[640], got[64];

    tsha[0] = w2sha[0] = '\0';
    sha256(tpl, tsha, sizeof(tsha));
    sha256(w2, w2sha, sizeof(w2sha));

    step("A) labguest on w1 <- tpl: MARK-1, disk-only s1, MARK-2, snapshot-delete s1");
    boot(s, &g1);
    lab_expect_mark(s, &g1, "MARK-T", "the linked clone as made");
    write_mark(s, &g1, "MARK-1");
    snapshot(s, G1, "s1", true);
    snprintf(s1, sizeof(s1), "%s/w1.s1", pooldir);
    SCR_CHECK(s, strcmp(lab_vda(uri, G1, false, out, sizeof(out)), s1) == 0, "vda on %s (%s)", s1,
              out);
    /* the pool knows the overlay at once (libvirt's list, no refresh by us) */
    SCR_CHECK(s, sh(VIRSH "vol-list " POOL " | awk '{ print $1 }' | grep -qx w1.s1", uri) == 0,
              "the pool lists the new overlay w1.s1");
    write_mark(s, &g1, "MARK-2");
    {
        char into[700];
        const char *want[] = { "commit: the overlay goes down into its base", into, NULL };

        snprintf(into, sizeof(into), "%s (written)", w1);
        asks(s, "snapshot-delete " G1 " s1", want);
    }
    SCR_CHECK(s, scr_wait_text(s, "Deleting external snapshot 's1'", LONG_WAIT) == 0);
    job_line(s, "External snapshot 's1' of '" G1 "' deleted");
    SCR_CHECK(s, !exists(s1), "the overlay w1.s1 is deleted");
    snprintf(files, sizeof(files), "%s %s", w1, tpl);
    SCR_CHECK(s, strcmp(lab_chain(uri, G1, out, sizeof(out)), files) == 0,
              "the disk is w1.qcow2 <- tpl.qcow2 (%s)", out);
    SCR_CHECK(s, strcmp(lab_vda(uri, G1, true, out, sizeof(out)), w1) == 0,
              "the definition too (%s)", out);
    lab_flush(s, &g1);
    SCR_CHECK(s, strcmp(sha256(tpl, out, sizeof(out)), tsha) == 0,
              "the template's image is unchanged (sha256)");
    SCR_CHECK(s, strcmp(sha256(w2, out, sizeof(out)), w2sha) == 0,
              "the sibling clone's image is unchanged (sha256)");
    SCR_CHECK(s, strcmp(img_mark(w1, got), "MARK-2") == 0, "w1.qcow2 holds MARK-2 (%s)", got);
    SCR_CHECK(s, strcmp(img_mark(w2, got), "MARK-T") == 0, "w2 still reads MARK-T (%s)", got);
    SCR_CHECK(s, strcmp(img_mark(tpl, got), "MARK-T") == 0, "tpl holds MARK-T (%s)", got);
    lab_expect_mark(s, &g1, "MARK-2", "after the delete");

    step("B) blockcommit into the template's image: refused, nothing changed");
    pool_files(files, sizeof(files));
    {
        char line[800];

        snprintf(line, sizeof(line), "blockcommit " G1 " vda --base %s", tpl);
        refused(s, line, "reads through it");
    }
    SCR_CHECK(s, scr_wait_text(s, "w2.qcow2", T_WAIT) == 0, "the reason names w2.qcow2");
    refused_end(s);
    SCR_CHECK(s, strcmp(pool_files(out, sizeof(out)), files) == 0, "every file as it was");

    step("C) s2, MARK-3, snapshot-delete s2 --merge pull");
    snapshot(s, G1, "s2", true);
    snprintf(s2, sizeof(s2), "%s/w1.s2", pooldir);
    write_mark(s, &g1, "MARK-3");
    {
        char takes[1300];
        const char *want[] = { "pull: its base comes up into the overlay", takes, NULL };

        snprintf(takes, sizeof(takes), "takes in %s (written)", w1);
        asks(s, "snapshot-delete " G1 " s2 --merge pull", want);
    }
    SCR_CHECK(s, scr_wait_text(s, "Deleting external snapshot 's2'", LONG_WAIT) == 0);
    job_line(s, "External snapshot 's2' of '" G1 "' deleted");
    for (int i = 0; i < 300 && exists(w1); i++)
        usleep(100 * 1000);
    SCR_CHECK(s, !exists(w1), "w1.qcow2 (pulled up, used by nothing else) is deleted");
    snprintf(files, sizeof(files), "%s %s", s2, tpl);
    SCR_CHECK(s, strcmp(lab_chain(uri, G1, out, sizeof(out)), files) == 0,
              "the disk is w1.s2 <- tpl.qcow2 (%s)", out);
    lab_flush(s, &g1);
    SCR_CHECK(s, strcmp(sha256(tpl, out, sizeof(out)), tsha) == 0, "tpl unchanged (sha256)");
    SCR_CHECK(s, strcmp(sha256(w2, out, sizeof(out)), w2sha) == 0, "w2 unchanged (sha256)");
    SCR_CHECK(s, strcmp(img_mark(s2, got), "MARK-3") == 0, "w1.s2 holds MARK-3 (%s)", got);
    lab_expect_mark(s, &g1, "MARK-3", "after the pull");
    destroy(s, &g1);

    step("F) an overlay outside any pool: vol-delete of the image it froze is refused");
    SCR_CHECK(s, mkdtemp(outside) != NULL && chmod(outside, 0777) == 0, "a directory");
    {
        char line[900], ovl[700];

        snprintf(ovl, sizeof(ovl), "%s/w1.s3", outside);
        snprintf(line, sizeof(line), "snapshot-create-as " G1 " s3 --disk-only --diskspec "
                 "vda,file=%s", ovl);
        lab_command(s, line);
        SCR_CHECK(s, scr_wait_text(s, "Domain snapshot 's3' of '" G1 "' created", LONG_WAIT)
                  == 0);
        SCR_CHECK(s, exists(ovl), "the overlay is outside the pool");
    }
    pool_files(files, sizeof(files));
    refused(s, "vol-delete w1.s2 --pool " POOL, "image snapshot 's3' of '" G1 "' froze");
    SCR_CHECK(s, scr_wait_text(s, "backing file of w1.s3", T_WAIT) == 0,
              "the overlay outside the pool is named");
    refused_end(s);
    SCR_CHECK(s, exists(s2), "w1.s2 is still there");
    SCR_CHECK(s, strcmp(pool_files(out, sizeof(out)), files) == 0, "every file as it was");
}

static void
part_rewind(struct scr *s)
{
    char out[2048], files[2048], list[256], a[640], got[64];

    step("D) labguest2: internal int-off, MARK-V, ext-a, MARK-W, revert int-off");
    snapshot(s, G2, "int-off", false);
    boot(s, &g2);
    write_mark(s, &g2, "MARK-V");
    snapshot(s, G2, "ext-a", true);
    snprintf(a, sizeof(a), "%s/w2.ext-a", pooldir);
    write_mark(s, &g2, "MARK-W");
    destroy(s, &g2);
    pool_files(files, sizeof(files));
    snaps(G2, list, sizeof(list));
    refused(s, "snapshot-revert " G2 " int-off", "--insist");
    SCR_CHECK(s, scr_wait_text(s, "'ext-a'", T_WAIT) == 0, "the reason names ext-a");
    refused_end(s);
    SCR_CHECK(s, strcmp(pool_files(out, sizeof(out)), files) == 0, "every file as it was");
    SCR_CHECK(s, strcmp(snaps(G2, out, sizeof(out)), list) == 0, "the same snapshots (%s)",
              out);
    SCR_CHECK(s, strcmp(img_mark(w2, got), "MARK-V") == 0, "w2.qcow2 holds MARK-V (%s)", got);

    step("D) snapshot-revert --insist: ext-a's record goes");
    {
        char rew[700];
        const char *want[] = { rew, "No longer usable, their records go: 'ext-a'", NULL };

        snprintf(rew, sizeof(rew), "Rewinds %s", w2);
        asks(s, "snapshot-revert " G2 " int-off --insist", want);
    }
    SCR_CHECK(s, scr_wait_text(s, "Domain '" G2 "' reverted to snapshot 'int-off'", LONG_WAIT)
              == 0);
    SCR_CHECK(s, strcmp(snaps(G2, out, sizeof(out)), "int-off") == 0, "only int-off (%s)", out);
    SCR_CHECK(s, strcmp(lab_vda(uri, G2, true, out, sizeof(out)), w2) == 0, "vda on w2.qcow2 (%s)",
              out);
    SCR_CHECK(s, strcmp(img_mark(w2, got), "MARK-T") == 0, "w2.qcow2 reads MARK-T (%s)", got);
    SCR_CHECK(s, exists(a), "ext-a's overlay stays on disk");
}

static void
part_revert_overlay(struct scr *s)
{
    char out[2048], e1o[640], r[640], e2o[640], e1sha[80], w2sha[80], tsha[80], got[64];

    step("E) labguest2: delete int-off; e1 shut off; revert e1 (an overlay R)");
    asks(s, "snapshot-delete " G2 " int-off", (const char *const[]){ "int-off", NULL });
    SCR_CHECK(s, scr_wait_text(s, "Domain snapshot 'int-off' of '" G2 "' deleted", LONG_WAIT)
              == 0);
    sh(VIRSH "snapshot-delete " G2 " ext-a --metadata >/dev/null 2>&1", uri);
    snapshot(s, G2, "e1", true);
    snprintf(e1o, sizeof(e1o), "%s/w2.e1", pooldir);
    asks(s, "snapshot-revert " G2 " e1", (const char *const[]){ "New overlays on", NULL });
    SCR_CHECK(s, scr_wait_text(s, "reverted to external snapshot 'e1'", LONG_WAIT) == 0);
    lab_vda(uri, G2, true, r, sizeof(r));
    SCR_CHECK(s, strstr(r, ".revert-") != NULL, "vda is on a revert overlay (%s)", r);
    sha256(e1o, e1sha, sizeof(e1sha));
    sha256(w2, w2sha, sizeof(w2sha));
    sha256(tpl, tsha, sizeof(tsha));
    boot(s, &g2);
    write_mark(s, &g2, "MARK-R");
    snapshot(s, G2, "e2", true);
    lab_vda(uri, G2, false, e2o, sizeof(e2o));
    write_mark(s, &g2, "MARK-S");

    step("E) snapshot-delete e2: merges into the revert overlay only");
    {
        char into[700];
        const char *want[] = { into, NULL };

        snprintf(into, sizeof(into), "%s (written)", r);
        asks(s, "snapshot-delete " G2 " e2", want);
    }
    job_line(s, "External snapshot 'e2' of '" G2 "' deleted");
    SCR_CHECK(s, exists(r), "the revert overlay survives");
    SCR_CHECK(s, !exists(e2o), "e2's overlay is gone");
    lab_flush(s, &g2);
    SCR_CHECK(s, strcmp(img_mark(r, got), "MARK-S") == 0, "R holds MARK-S (%s)", got);
    SCR_CHECK(s, strcmp(sha256(e1o, out, sizeof(out)), e1sha) == 0,
              "the abandoned branch is unchanged (sha256)");
    SCR_CHECK(s, strcmp(sha256(w2, out, sizeof(out)), w2sha) == 0, "w2.qcow2 unchanged");
    SCR_CHECK(s, strcmp(sha256(tpl, out, sizeof(out)), tsha) == 0, "tpl.qcow2 unchanged");
    lab_expect_mark(s, &g2, "MARK-S", "after the delete");
    destroy(s, &g2);
}

int
main(void)
{
    char *args[3] = { "-c", NULL, NULL };
    struct scr *s;

    lab_clock_start();
    uri = getenv("LAB_URI");
    g1.serial = getenv("LAB_SERIAL_LOG");
    g2.serial = getenv("LAB_SERIAL_LOG2");
    if (!uri || !*uri || !g1.serial || !g2.serial) {
        fprintf(stderr, "SKIP: LAB_URI/LAB_SERIAL_LOG/LAB_SERIAL_LOG2 are not set "
                "(tests/lab/run.sh sets them)\n");
        return 77;
    }
    args[1] = (char *)uri;
    atexit(restore);
    prepare();
    s = vm_start(args, NULL);
    SCR_CHECK(s, scr_wait_text(s, "  " G2 " ", LONG_WAIT) == 0, G2 " is listed");
    part_template(s);
    part_rewind(s);
    part_revert_overlay(s);
    step("done");
    lab_keys_home(s);
    scr_free(s);
    restore();
    return 0;
}
