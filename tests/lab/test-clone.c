/* Clones and templates against a real daemon (the lab): everything is done
 * through the virtmux screen; virsh, qemu-img and the guests' serial logs
 * only prepare or look from outside.
 *  a) prepared with virsh/qemu-img: a 64 MiB qcow2 'cbase.qcow2' in the
 *     lab pool holding a known text at a known sector, and a shut-off
 *     domain 'cbase' like labguest with it as vda (and a user-mode NIC,
 *     so that clones get MACs to compare); 'big' with a 1.5 GiB raw disk
 *     full of data (written in the background while b-d run).
 *  b) clone cbase --name clink --mode linked: instant, no job; the new
 *     volume is a qcow2 backed by cbase.qcow2; clink boots (banner on its
 *     console pane), reads the text from /dev/vda, writes another; outside:
 *     cbase.qcow2 is unchanged (sha256), the overlay differs from it and
 *     holds the new text. start cbase is refused (it is a base).
 *  c) clone cbase --name cfull: a job, its "cloned from" line in the
 *     message history; the copy has no backing file and the same data,
 *     boots and reads the original text.
 *  d) template-mark cbase; deploy cbase cdep{1..3} --mode linked --start:
 *     three clones boot at once (banners in their serial logs), with UUIDs
 *     and MACs of their own, backed by cbase.qcow2, not templates.
 *  e) clone big --name cbig, job-cancel while the copy runs: the job ends
 *     cancelled, no domain cbig and no cbig volume remain, and the
 *     messages say so.
 * The clones are destroyed and undefined with --remove-all-storage and
 * cbase unmarked through virtmux; cbase and big are removed with virsh.
 * After a failure everything is put back with virsh at exit.
 * Needs LAB_URI (tests/lab/run.sh boots the lab). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>

#include "labtest.h"

#define LONG_WAIT 90000
#define POOL "labpool"
#define MIB (1024LL * 1024)
#define BIG_MIB 1536LL
#define MAC "52:54:00:63:62:01"
/* the known text: at sector PAT_SECTOR of cbase.qcow2, then rewritten by clink */
#define PAT_SECTOR 2053
#define PAT_ORIG "CBASE-ORIGINAL-5a17c3"
#define PAT_NEW "CLINK-REWRITTEN-93e0b"
#define PAT_LEN 21
/* what the guest answers with the text at PAT_SECTOR of its first disk */
#define READ_PAT "dd if=/dev/vda bs=512 skip=2053 count=1 2>/dev/null | head -c 21"

static const char *uri, *labdir;
static char tmp[64];
static bool restored;
static pid_t filler = -1;

/* ---------------------------------------------------------------- outside */

#define VIRSH "virsh -q -c '%s' "

static bool
dom_exists(const char *dom)
{
    return sh(VIRSH "domstate '%s' >/dev/null 2>&1", uri, dom) == 0;
}

static long long
img_long(const char *path, const char *field)
{
    char out[64];

    sh_out(out, sizeof(out), "qemu-img info -U --output=json '%s' | sed -n "
           "'s/^    \"%s\": \\([0-9]*\\),\\{0,1\\}$/\\1/p'", path, field);
    return out[0] ? atoll(out) : -1;
}

/* The text at PAT_SECTOR as a guest reads the image (converted to raw). */
static const char *
img_text(const char *path, char *buf)
{
    char raw[128];
    int fd;
    ssize_t n = -1;

    snprintf(raw, sizeof(raw), "%s/peek.raw", tmp);
    buf[0] = '\0';
    if (sh("qemu-img convert -U -O raw '%s' '%s' 2>/dev/null", path, raw) == 0 &&
        (fd = open(raw, O_RDONLY)) >= 0) {
        n = pread(fd, buf, PAT_LEN, PAT_SECTOR * 512LL);
        close(fd);
    }
    buf[n == PAT_LEN ? PAT_LEN : 0] = '\0';
    for (int i = 0; buf[i]; i++) {
        if (buf[i] < ' ' || buf[i] > '~')
            buf[i] = '.';
    }
    unlink(raw);
    return buf;
}

/* The domain XML of labguest, renamed, with disk as vda and a NIC. */
static int
define_like_labguest(const char *name, const char *disk, const char *format, const char *mac)
{
    char xml[128];

    snprintf(xml, sizeof(xml), "%s/%s.xml", tmp, name);
    if (sh(VIRSH "dumpxml labguest --inactive | sed -e 's|<name>labguest</name>|<name>%s</name>|' "
           "-e '/<uuid>/d' -e 's|labname=labguest|labname=%s|' "
           "-e 's|labguest-serial\\.log|%s-serial.log|g' "
           "-e \"s|<devices>|<devices><disk type='file' device='disk'><driver name='qemu' "
           "type='%s'/><source file='%s'/><target dev='vda' bus='virtio'/></disk>"
           "<interface type='user'><mac address='%s'/><model type='virtio'/>"
           "<rom enabled='no'/></interface>|\" > '%s'", uri, name, name, name, format, disk,
           mac, xml) != 0)
        return -1;
    return sh(VIRSH "define '%s' >/dev/null", uri, xml);
}

/* Fill path with BIG_MIB MiB of data, never a zero block (libvirt's copy
 * would skip those), in a child of ours (killed at exit if still busy). */
static pid_t
fill_in_background(const char *path)
{
    pid_t pid = fork();

    if (pid == 0) {
        static unsigned char buf[1 << 20];
        int fd = open(path, O_WRONLY);

        if (fd < 0)
            _exit(1);
        for (long long b = 0; b < BIG_MIB; b++) {
            for (size_t i = 0; i < sizeof(buf); i++)
                buf[i] = (unsigned char)('A' + (b * 7 + (long long)i / 64) % 26);
            snprintf((char *)buf, 32, "big block %lld\n", b);
            if (pwrite(fd, buf, sizeof(buf), b * (long long)sizeof(buf)) != (ssize_t)sizeof(buf))
                _exit(1);
        }
        _exit(close(fd) == 0 ? 0 : 1);
    }
    return pid;
}

static const char *const clones[] = { "clink", "cfull", "cdep1", "cdep2", "cdep3", "cbig" };
static const char *const vols[] = { "clink.qcow2", "cfull.qcow2", "cdep1.qcow2", "cdep2.qcow2",
                                    "cdep3.qcow2", "cbig.raw", "big.raw", "cbase.qcow2" };

/* At exit: put the lab back with virsh. Harmless where there is nothing
 * to do; after a success only the temp dir is left to remove. */
static void
restore(void)
{
    if (filler > 0) {
        kill(filler, SIGKILL);
        waitpid(filler, NULL, 0);
        filler = -1;
    }
    if (!restored && uri) {
        fprintf(stderr, "test-clone: putting the lab back with virsh\n");
        for (size_t i = 0; i < sizeof(clones) / sizeof(clones[0]); i++)
            sh(VIRSH "destroy %s >/dev/null 2>&1; " VIRSH "undefine %s >/dev/null 2>&1", uri,
               clones[i], uri, clones[i]);
        sh(VIRSH "destroy big >/dev/null 2>&1; " VIRSH "undefine big >/dev/null 2>&1", uri, uri);
        sh(VIRSH "destroy cbase >/dev/null 2>&1; " VIRSH "undefine cbase >/dev/null 2>&1", uri,
           uri);
        for (size_t i = 0; i < sizeof(vols) / sizeof(vols[0]); i++)
            sh(VIRSH "vol-delete --pool " POOL " %s >/dev/null 2>&1", uri, vols[i]);
    }
    if (labdir && *labdir)
        sh("cd '%s/log' 2>/dev/null && rm -f cbase-serial.log big-serial.log clink-serial.log "
           "cfull-serial.log cdep1-serial.log cdep2-serial.log cdep3-serial.log "
           "cbig-serial.log", labdir);
    if (tmp[0])
        sh("rm -rf '%s'", tmp);
}

/* ---------------------------------------------------------------- screen */

/* Wait until the domain's row in the list shows text. */
static bool
wait_dom_row(struct scr *s, const char *dom, const char *text, int ms)
{
    char needle[128];

    snprintf(needle, sizeof(needle), "  %s ", dom);
    for (int waited = 0; waited <= ms; waited += 100) {
        if (vm_row_has(s, vm_row_of(s, needle), text))
            return true;
        scr_pump(s, 100);
    }
    return false;
}

/* The domain's row stops showing text within ms (a change the model has
 * yet to read back may still show for a moment). */
static bool
wait_dom_row_lacks(struct scr *s, const char *dom, const char *text, int ms)
{
    char needle[128];

    snprintf(needle, sizeof(needle), "  %s ", dom);
    for (int waited = 0; waited <= ms; waited += 100) {
        int r = vm_row_of(s, needle);

        if (r >= 0 && !vm_row_has(s, r, text))
            return true;
        scr_pump(s, 100);
    }
    return false;
}

static bool
wait_dom_gone(struct scr *s, const char *dom, int ms)
{
    char needle[128];

    snprintf(needle, sizeof(needle), "  %s ", dom);
    return scr_wait_gone(s, needle, ms) == 0;
}

static void
destroy(struct scr *s, const char *dom)
{
    char cmd[128], q[128], st[64];

    snprintf(cmd, sizeof(cmd), "destroy %s", dom);
    snprintf(q, sizeof(q), "destroy '%s'?", dom);
    confirmed(s, cmd, q);
    snprintf(cmd, sizeof(cmd), "Domain '%s' destroyed", dom);
    SCR_CHECK(s, scr_wait_text(s, cmd, LONG_WAIT) == 0);
    SCR_CHECK(s, wait_dom_row(s, dom, "shut off", T_WAIT), "%s is shut off in the list", dom);
    SCR_CHECK(s, strcmp(lab_dom_state(uri, dom, st, sizeof(st)), "shut off") == 0, "virsh: %s", st);
}

/* undefine --remove-all-storage: the name typed to confirm; the domain
 * and its volume go. */
static void
undefine_all(struct scr *s, const char *dom, const char *vol)
{
    char cmd[640], path[512];

    lab_vol_path(uri, vol, path, sizeof(path));
    SCR_CHECK(s, path[0] == '/', "%s has its volume %s", dom, vol);
    snprintf(cmd, sizeof(cmd), "undefine %s --remove-all-storage", dom);
    vm_command(s, cmd);
    SCR_CHECK(s, scr_wait_text(s, "Type the domain's name to confirm:", T_WAIT) == 0);
    /* the volumes are named where the domain's details were read (it was
     * selected); otherwise the question only says they go too */
    SCR_CHECK(s, vm_row_of(s, vol) >= 0 || vm_row_of(s, "Its volumes are deleted too.") >= 0,
              "the question says the storage goes too");
    scr_send(s, dom);
    scr_key(s, "Enter");
    snprintf(cmd, sizeof(cmd), "Domain '%s' has been undefined", dom);
    SCR_CHECK(s, scr_wait_text(s, cmd, LONG_WAIT) == 0);
    snprintf(cmd, sizeof(cmd), "volume %s deleted", path);
    SCR_CHECK(s, scr_wait_text(s, cmd, T_WAIT) == 0 || lab_history_has(s, 2000, cmd, NULL),
              "the result names the deleted volume");
    SCR_CHECK(s, wait_dom_gone(s, dom, T_WAIT), "%s left the list", dom);
    SCR_CHECK(s, !dom_exists(dom), "virsh: no domain %s", dom);
    SCR_CHECK(s, access(path, F_OK) < 0 && errno == ENOENT, "%s is deleted", path);
}

/* ---------------------------------------------------------------- guest */

/* start DOM in virtmux, its console: the banner, then the prompt. */
static void
boot_on_console(struct scr *s, const char *dom)
{
    char cmd[128];

    snprintf(cmd, sizeof(cmd), "start %s", dom);
    vm_command(s, cmd);
    snprintf(cmd, sizeof(cmd), "Domain '%s' started", dom);
    SCR_CHECK(s, scr_wait_text(s, cmd, LONG_WAIT) == 0);
    snprintf(cmd, sizeof(cmd), "console %s", dom);
    vm_command(s, cmd);
    snprintf(cmd, sizeof(cmd), "console %s [attached]", dom);
    SCR_CHECK(s, scr_wait_text(s, cmd, T_WAIT) == 0);
    /* the clones keep cbase's kernel command line: labname=cbase */
    SCR_CHECK(s, scr_wait_text(s, "LAB-GUEST-READY name=cbase ", LONG_WAIT) == 0,
              "%s boots to its banner", dom);
    step("   banner");
    SCR_CHECK(s, wait_prompt(s, "CL") == 0, "%s answers on its console", dom);
}

/* Leave the console's input mode and close its pane. */
static void
close_console(struct scr *s, const char *dom)
{
    char t[128];

    snprintf(t, sizeof(t), "console %s", dom);
    scr_key(s, "C-]");
    scr_pump(s, 100);
    scr_key(s, "q");
    SCR_CHECK(s, scr_wait_gone(s, t, T_WAIT) == 0, "the console pane of %s closes", dom);
}

/* ---------------------------------------------------------------- parts */

static char base_path[512], base_sha[80];

static void
prepare(void)
{
    char raw[128], big[512], out[512];
    int fd;

    step("a) prepare cbase (64M qcow2 with a known text) and big (1.5G raw) with virsh");
    SCR_CHECK(NULL, sh(VIRSH "vol-create-as " POOL " cbase.qcow2 64M --format qcow2 >/dev/null",
                       uri) == 0);
    lab_vol_path(uri, "cbase.qcow2", base_path, sizeof(base_path));
    SCR_CHECK(NULL, base_path[0] == '/');
    snprintf(raw, sizeof(raw), "%s/cbase.raw", tmp);
    fd = open(raw, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    SCR_CHECK(NULL, fd >= 0 && ftruncate(fd, 64 * MIB) == 0 &&
              pwrite(fd, PAT_ORIG, PAT_LEN, PAT_SECTOR * 512LL) == PAT_LEN && close(fd) == 0);
    /* into the volume libvirt made (its owner stays the daemon's user) */
    SCR_CHECK(NULL, sh("qemu-img convert -n -f raw -O qcow2 '%s' '%s'", raw, base_path) == 0);
    unlink(raw);
    sh(VIRSH "pool-refresh " POOL " >/dev/null", uri);
    SCR_CHECK(NULL, strcmp(img_text(base_path, out), PAT_ORIG) == 0, "the text is in cbase.qcow2");
    sha256(base_path, base_sha, sizeof(base_sha));
    SCR_CHECK(NULL, strlen(base_sha) == 64);
    SCR_CHECK(NULL, define_like_labguest("cbase", base_path, "qcow2", MAC) == 0,
              "cbase is defined");

    SCR_CHECK(NULL, sh(VIRSH "vol-create-as " POOL " big.raw %lldM --format raw >/dev/null", uri,
                       BIG_MIB) == 0);
    lab_vol_path(uri, "big.raw", big, sizeof(big));
    SCR_CHECK(NULL, big[0] == '/');
    SCR_CHECK(NULL, define_like_labguest("big", big, "raw", "52:54:00:63:62:02") == 0,
              "big is defined");
    filler = fill_in_background(big);
    SCR_CHECK(NULL, filler > 0);
}

static void
part_linked(struct scr *s)
{
    char path[512], got[128], out[512], sha[80];
    struct timespec a, b;
    double took;

    step("b) clone cbase --name clink --mode linked");
    clock_gettime(CLOCK_MONOTONIC, &a);
    vm_command(s, "clone cbase --name clink --mode linked");
    SCR_CHECK(s, scr_wait_text(s, "Domain 'clink' cloned from 'cbase' (1 disk linked, 0 to copy)",
                               LONG_WAIT) == 0);
    clock_gettime(CLOCK_MONOTONIC, &b);
    took = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
    fprintf(stderr, "test-clone: the linked clone took %.2f s\n", took);
    SCR_CHECK(s, vm_row_of(s, "copying as job") < 0, "a linked clone is no job");
    SCR_CHECK(s, wait_dom_row(s, "clink", "shut off", T_WAIT), "clink in the list, shut off");
    SCR_CHECK(s, dom_exists("clink"), "virsh knows clink");
    lab_vol_path(uri, "clink.qcow2", path, sizeof(path));
    SCR_CHECK(s, path[0] == '/', "the volume clink.qcow2 is in the pool");
    SCR_CHECK(s, strcmp(lab_img_field(path, "format", out, sizeof(out)), "qcow2") == 0,
              "qemu-img: clink.qcow2 is a qcow2 (%s)", out);
    SCR_CHECK(s, strcmp(lab_img_field(path, "full-backing-filename", out, sizeof(out)), base_path)
              == 0, "qemu-img: backed by cbase.qcow2 (%s)", out);
    SCR_CHECK(s, strcmp(lab_img_field(path, "backing-filename-format", out, sizeof(out)), "qcow2")
              == 0, "the backing format is recorded (%s)", out);
    SCR_CHECK(s, img_long(path, "virtual-size") == 64 * MIB, "the same virtual size");
    SCR_CHECK(s, img_long(path, "actual-size") < MIB, "an overlay, not a copy (%lld bytes)",
              img_long(path, "actual-size"));
    sh_out(out, sizeof(out), VIRSH "domblklist clink --inactive | awk '$1 == \"vda\" "
           "{ print $2 }'", uri);
    SCR_CHECK(s, strcmp(out, path) == 0, "clink's vda is the overlay (%s)", out);

    step("b) clink boots, reads the text, writes another");
    boot_on_console(s, "clink");
    SCR_CHECK(s, guest_until(s, "PAT", READ_PAT, PAT_ORIG, 3000, got, sizeof(got)),
              "clink reads cbase's text from /dev/vda (it says %s)", got);
    scr_send(s, "printf " PAT_NEW " | dd of=/dev/vda bs=512 seek=2053 conv=notrunc,fsync 2>/dev/null; "
           "sync; echo 3 > /proc/sys/vm/drop_caches\r");
    SCR_CHECK(s, guest_until(s, "NEW", READ_PAT, PAT_NEW, 5000, got, sizeof(got)),
              "the new text is on clink's disk (it says %s)", got);
    close_console(s, "clink");

    /* outside: the base did not change, the overlay did */
    SCR_CHECK(s, strcmp(sha256(base_path, sha, sizeof(sha)), base_sha) == 0,
              "cbase.qcow2 is unchanged (sha256)");
    SCR_CHECK(s, strcmp(img_text(base_path, out), PAT_ORIG) == 0, "cbase still says %s (%s)",
              PAT_ORIG, out);
    SCR_CHECK(s, strcmp(img_text(path, out), PAT_NEW) == 0, "clink.qcow2 says %s (%s)", PAT_NEW,
              out);
    SCR_CHECK(s, sh("qemu-img compare -U '%s' '%s' >/dev/null", base_path, path) == 1,
              "qemu-img compare: the clone's disk now differs from its base");
    SCR_CHECK(s, img_long(path, "actual-size") < MIB, "still a small overlay");

    step("b) start cbase: refused, it is a base");
    vm_command(s, "start cbase");
    SCR_CHECK(s, scr_wait_text(s, "The disk vda of 'cbase' is the base of clink.qcow2", T_WAIT)
              == 0, "start of a base is refused, saying why");
    scr_pump(s, 500);
    SCR_CHECK(s, strcmp(lab_dom_state(uri, "cbase", out, sizeof(out)), "shut off") == 0,
              "cbase stays shut off (%s)", out);
    SCR_CHECK(s, wait_dom_row(s, "cbase", "shut off", 100));
    destroy(s, "clink");
}

static void
part_full(struct scr *s)
{
    char path[512], got[128], out[512], line[256];

    step("c) clone cbase --name cfull (a copy, as a job)");
    vm_command(s, "clone cbase --name cfull");
    SCR_CHECK(s, scr_wait_text(s, "Domain 'cfull' cloned from 'cbase' (0 disks linked, 1 to "
                               "copy): copying as job", LONG_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "clone cbase -> cfull (1 disk)", T_WAIT) == 0,
              "the jobs pane shows the copy");
    for (int i = 0; i < 600 && !vm_row_has(s, vm_row_of(s, "clone cbase -> cfull"), "done"); i++)
        scr_pump(s, 100);
    SCR_CHECK(s, vm_row_has(s, vm_row_of(s, "clone cbase -> cfull"), "done"), "the job is done");
    /* the job's own line: "... cloned from 'cbase' (SIZE in TIME)" */
    SCR_CHECK(s, lab_history_has(s, 2000, "Domain 'cfull' cloned from 'cbase' (", " in ", NULL),
              "m: the copy's line");
    SCR_CHECK(s, wait_dom_row(s, "cfull", "shut off", T_WAIT), "cfull in the list, shut off");
    lab_vol_path(uri, "cfull.qcow2", path, sizeof(path));
    SCR_CHECK(s, path[0] == '/', "the volume cfull.qcow2 is in the pool");
    SCR_CHECK(s, strcmp(lab_img_field(path, "format", out, sizeof(out)), "qcow2") == 0,
              "qemu-img: cfull.qcow2 is a qcow2 (%s)", out);
    SCR_CHECK(s, !lab_img_field(path, "backing-filename", out, sizeof(out))[0],
              "no backing file: the copy stands alone (%s)", out);
    SCR_CHECK(s, img_long(path, "virtual-size") == 64 * MIB);
    SCR_CHECK(s, sh("qemu-img compare -U '%s' '%s' >/dev/null", base_path, path) == 0,
              "qemu-img compare: the same data as cbase");
    SCR_CHECK(s, strcmp(img_text(path, out), PAT_ORIG) == 0, "cfull.qcow2 says %s (%s)",
              PAT_ORIG, out);

    step("c) cfull boots and reads the original text");
    boot_on_console(s, "cfull");
    SCR_CHECK(s, guest_until(s, "PAT", READ_PAT, PAT_ORIG, 3000, got, sizeof(got)),
              "cfull reads the original text from /dev/vda (it says %s)", got);
    close_console(s, "cfull");
    destroy(s, "cfull");
    snprintf(line, sizeof(line), "%s", base_sha);
    SCR_CHECK(s, strcmp(sha256(base_path, out, sizeof(out)), line) == 0,
              "cbase.qcow2 is still unchanged");
}

static void
part_deploy(struct scr *s)
{
    static const char *const deps[] = { "cdep1", "cdep2", "cdep3" };
    char uuids[4][64], macs[4][64], out[512], log[512];
    bool up[3] = { false, false, false };
    int booted = 0;

    step("d) template-mark cbase");
    vm_command(s, "template-mark cbase");
    SCR_CHECK(s, scr_wait_text(s, "Domain 'cbase' is a template", T_WAIT) == 0);
    SCR_CHECK(s, wait_dom_row(s, "cbase", "shut off (template)", T_WAIT),
              "the list shows cbase as a template");
    SCR_CHECK(s, sh(VIRSH "metadata cbase https://virtmux.org/xmlns/template/1.0 2>/dev/null | "
                    "grep -q template", uri) == 0, "the mark is in cbase's metadata");

    step("d) deploy cbase cdep{1..3} --mode linked --start");
    vm_command(s, "deploy cbase cdep{1..3} --mode linked --start");
    SCR_CHECK(s, scr_wait_text(s, "Deployed 3 linked clones of 'cbase': cdep1 .. cdep3",
                               LONG_WAIT) == 0);
    for (int i = 0; i < 3; i++)
        SCR_CHECK(s, wait_dom_row(s, deps[i], "running", T_WAIT), "%s runs (the list)", deps[i]);
    /* all three boot at once: their serial logs (one per clone) */
    for (int waited = 0; booted < 3 && waited <= LONG_WAIT; waited += 200) {
        for (int i = 0; i < 3; i++) {
            snprintf(log, sizeof(log), "%s/log/%s-serial.log", labdir, deps[i]);
            if (!up[i] && vm_file_has(log, "LAB-GUEST-READY name=cbase")) {
                up[i] = true;
                booted++;
                snprintf(out, sizeof(out), "   %s: banner", deps[i]);
                step(out);
            }
        }
        if (booted < 3)
            scr_pump(s, 200);
    }
    SCR_CHECK(s, booted == 3, "the three clones boot to their banners (%d did)", booted);

    /* each its own UUID and MAC; each disk a new overlay on cbase.qcow2;
     * none a template */
    sh_out(uuids[0], sizeof(uuids[0]), VIRSH "domuuid cbase", uri);
    sh_out(macs[0], sizeof(macs[0]), VIRSH "domiflist cbase | awk '{ print $5 }'", uri);
    SCR_CHECK(s, strlen(uuids[0]) == 36 && strcmp(macs[0], MAC) == 0);
    for (int i = 0; i < 3; i++) {
        char path[512], vol[64];

        sh_out(uuids[i + 1], sizeof(uuids[i + 1]), VIRSH "domuuid %s", uri, deps[i]);
        sh_out(macs[i + 1], sizeof(macs[i + 1]), VIRSH "domiflist %s | awk '{ print $5 }'", uri,
               deps[i]);
        SCR_CHECK(s, strlen(uuids[i + 1]) == 36 && strlen(macs[i + 1]) == 17,
                  "%s has a UUID (%s) and a MAC (%s)", deps[i], uuids[i + 1], macs[i + 1]);
        for (int k = 0; k <= i; k++) {
            SCR_CHECK(s, strcmp(uuids[k], uuids[i + 1]) != 0, "%s: a UUID of its own", deps[i]);
            SCR_CHECK(s, strcmp(macs[k], macs[i + 1]) != 0, "%s: a MAC of its own", deps[i]);
        }
        SCR_CHECK(s, sh(VIRSH "metadata %s https://virtmux.org/xmlns/template/1.0 >/dev/null "
                        "2>&1", uri, deps[i]) != 0, "%s is not a template", deps[i]);
        SCR_CHECK(s, wait_dom_row_lacks(s, deps[i], "template", T_WAIT), "the list: %s no template",
                  deps[i]);
        snprintf(vol, sizeof(vol), "%s.qcow2", deps[i]);
        lab_vol_path(uri, vol, path, sizeof(path));
        SCR_CHECK(s, path[0] == '/' && strcmp(lab_img_field(path, "full-backing-filename", out,
                                                         sizeof(out)), base_path) == 0,
                  "%s is a linked clone of cbase.qcow2 (%s)", vol, out);
        fprintf(stderr, "test-clone: %s uuid %s mac %s\n", deps[i], uuids[i + 1], macs[i + 1]);
    }
    SCR_CHECK(s, wait_dom_row(s, "cbase", "shut off (template)", 100), "cbase is still one");
    for (int i = 0; i < 3; i++)
        destroy(s, deps[i]);
}

static void
part_cancel(struct scr *s)
{
    char big[512], out[512], line[640], cbig[512];
    int row, col, job = -1, st;
    bool cancelling = false, underway = false;

    step("e) clone big --name cbig, cancelled");
    /* big's 1.5 GiB of data */
    SCR_CHECK(s, filler > 0 && waitpid(filler, &st, 0) == filler && WIFEXITED(st) &&
              WEXITSTATUS(st) == 0, "big.raw is filled");
    filler = -1;
    step("   big.raw is full of data");
    lab_vol_path(uri, "big.raw", big, sizeof(big));
    sh(VIRSH "pool-refresh " POOL " >/dev/null", uri);
    snprintf(cbig, sizeof(cbig), "%.*s/cbig.raw", (int)(strrchr(big, '/') - big), big);

    vm_command(s, "clone big --name cbig");
    SCR_CHECK(s, scr_wait_text(s, "Domain 'cbig' cloned from 'big' (0 disks linked, 1 to copy): "
                               "copying as job", LONG_WAIT) == 0);
    if (scr_find(s, "copying as job ", &row, &col) == 0) {
        char *t = scr_row(s, row);

        job = t && strstr(t, "copying as job ") ? atoi(strstr(t, "copying as job ") + 15) : -1;
        free(t);
    }
    SCR_CHECK(s, job > 0, "the job's number");
    /* at once, as soon as the copy is under way */
    for (int i = 0; i < 100 && !(underway = access(cbig, F_OK) == 0); i++)
        scr_pump(s, 20);
    /* quitting while it copies asks first, naming the job (#18 bug 13) */
    vm_command(s, "quit");
    SCR_CHECK(s, scr_wait_text(s, "Quit while 1 job runs? It is stopped. [y/N]", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "clone big -> cbig (1 disk) (", T_WAIT) == 0);
    scr_key(s, "n");
    SCR_CHECK(s, scr_wait_text(s, "Cancelled: quit", T_WAIT) == 0);
    snprintf(line, sizeof(line), "job-cancel %d", job);
    vm_command(s, line);
    snprintf(line, sizeof(line), "Cancelling job %d (clone big -> cbig (1 disk))", job);
    SCR_CHECK(s, scr_wait_text(s, line, T_WAIT) == 0);
    SCR_CHECK(s, underway, "the copy was under way when it was cancelled (%s)", cbig);
    for (int i = 0; i < 600 && !vm_row_has(s, vm_row_of(s, "clone big -> cbig"), "cancelled");
         i++) {
        cancelling |= vm_row_has(s, vm_row_of(s, "clone big -> cbig"), "cancelling");
        scr_pump(s, 50);
    }
    SCR_CHECK(s, vm_row_has(s, vm_row_of(s, "clone big -> cbig"), "cancelled"),
              "the jobs pane says cancelled");
    fprintf(stderr, "test-clone: the jobs pane showed 'cancelling' while the copy ran: %s\n",
            cancelling ? "yes" : "no");
    SCR_CHECK(s, wait_dom_gone(s, "cbig", T_WAIT), "cbig left the list");
    SCR_CHECK(s, !dom_exists("cbig"), "virsh: no domain cbig");
    sh(VIRSH "pool-refresh " POOL " >/dev/null", uri);
    sh_out(out, sizeof(out), VIRSH "vol-list " POOL " | grep -c cbig", uri);
    SCR_CHECK(s, strcmp(out, "0") == 0, "virsh: no cbig volume (%s)", out);
    SCR_CHECK(s, access(cbig, F_OK) < 0 && errno == ENOENT, "no file %s", cbig);
    snprintf(line, sizeof(line), "Cancelled job %d (clone big -> cbig (1 disk))", job);
    SCR_CHECK(s, lab_history_has(s, 2000, line, NULL), "m: the job was cancelled");
    /* and that the clone is gone again: its volume and its definition */
    snprintf(line, sizeof(line), "The clone 'cbig' is taken back: volume %s deleted", cbig);
    SCR_CHECK(s, lab_history_has(s, 2000, line, "definition removed", NULL),
              "m: what the clone made is deleted");
    SCR_CHECK(s, wait_dom_row(s, "big", "shut off", 100), "big is still there");
}

static void
cleanup(struct scr *s)
{
    static const char *const doms[] = { "clink", "cfull", "cdep1", "cdep2", "cdep3" };
    char out[512], vol[64];

    step("restore: undefine the clones with their storage, unmark cbase");
    for (size_t i = 0; i < sizeof(doms) / sizeof(doms[0]); i++) {
        snprintf(vol, sizeof(vol), "%s.qcow2", doms[i]);
        undefine_all(s, doms[i], vol);
    }
    vm_command(s, "template-unmark cbase");
    SCR_CHECK(s, scr_wait_text(s, "Domain 'cbase' is no longer a template", T_WAIT) == 0);
    SCR_CHECK(s, wait_dom_row_lacks(s, "cbase", "template", T_WAIT), "cbase is no template");
    SCR_CHECK(s, sh(VIRSH "metadata cbase https://virtmux.org/xmlns/template/1.0 >/dev/null "
                    "2>&1", uri) != 0, "the mark is gone from cbase's metadata");
    /* no clone left on cbase.qcow2: starting it is no longer refused
     * (checked without starting it: the refusal would come first) */
    SCR_CHECK(s, strcmp(sha256(base_path, out, sizeof(out)), base_sha) == 0,
              "cbase.qcow2 unchanged to the end");
    /* the sources, made with virsh, go with virsh */
    SCR_CHECK(s, sh(VIRSH "undefine cbase >/dev/null && " VIRSH "undefine big >/dev/null && "
                    VIRSH "vol-delete --pool " POOL " cbase.qcow2 >/dev/null && "
                    VIRSH "vol-delete --pool " POOL " big.raw >/dev/null", uri, uri, uri, uri)
              == 0, "cbase and big removed");
    SCR_CHECK(s, wait_dom_gone(s, "cbase", T_WAIT) && wait_dom_gone(s, "big", T_WAIT));
    sh_out(out, sizeof(out), VIRSH "vol-list " POOL " | wc -l", uri);
    SCR_CHECK(s, strcmp(out, "1") == 0, "only labdisk.qcow2 is left in the pool (%s volumes)",
              out);
    sh_out(out, sizeof(out), VIRSH "list --all --name | grep -c .", uri);
    SCR_CHECK(s, strcmp(out, "2") == 0, "only labguest and labguest2 are left (%s)", out);
}

int
main(void)
{
    char *args[3] = { "-c", NULL, NULL };
    struct scr *s;

    lab_clock_start();
    uri = getenv("LAB_URI");
    labdir = getenv("LAB_DIR");
    if (!uri || !*uri) {
        fprintf(stderr, "SKIP: LAB_URI is not set (tests/lab/run.sh sets it)\n");
        return 77;
    }
    if (!labdir || !*labdir) {
        fprintf(stderr, "test-clone: LAB_DIR is not set (tests/lab/run.sh sets it)\n");
        return 1;
    }
    args[1] = (char *)uri;
    snprintf(tmp, sizeof(tmp), "/tmp/vmclone-XXXXXX");
    if (!mkdtemp(tmp)) {
        perror("mkdtemp");
        return 1;
    }
    atexit(restore);
    for (size_t i = 0; i < sizeof(clones) / sizeof(clones[0]); i++)
        SCR_CHECK(NULL, !dom_exists(clones[i]), "the lab has no domain %s yet", clones[i]);

    prepare();
    s = vm_start(args, NULL);
    SCR_CHECK(s, scr_wait_text(s, "4 domains, 2 running", LONG_WAIT) == 0);
    SCR_CHECK(s, wait_dom_row(s, "cbase", "shut off", T_WAIT));

    part_linked(s);
    part_full(s);
    part_deploy(s);
    part_cancel(s);
    cleanup(s);

    restored = true;
    step("done");
    scr_free(s);
    return 0;
}
