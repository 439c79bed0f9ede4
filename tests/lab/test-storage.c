/* Storage against a real daemon (the lab): everything is done through the
 * virtmux screen; virsh, qemu-img and sha256sum only prepare or look from
 * outside at what happened to the files of the pool (a directory).
 *  a) vol-resize grows labdisk.qcow2 and the volumes pane shows it; a
 *     smaller size without --shrink is refused with the reason; --shrink
 *     restores it.
 *  b) vol-wipe of a fresh raw volume whose file holds a pattern: the file
 *     is all zeros afterwards.
 *  c) vol-clone --format qcow2 of a raw volume: qemu-img sees a qcow2 of
 *     the same virtual size and the same data; vol-info says so too.
 *  d) vol-upload / vol-download (jobs): a sha256 round trip of a random
 *     file, the lines in the message history; a download cancelled midway
 *     leaves no file behind, not even a partial one.
 *  e) disk-add a 64M qcow2 to the running labguest: libvirt has it live
 *     and persistent, the volumes pane says who uses it, and the guest sees
 *     it (asked on its serial console, in virtmux's console pane): a virtio
 *     disk on its PCI bus and, where the lab's initramfs has virtio_blk, a
 *     64 MiB /sys/block/vda (the guest's own name for its first virtio
 *     disk; libvirt's target vdb is only a hint). detach-disk: all of it
 *     goes again; the volume stays and is deleted.
 * Parts d and e use commands that landed after the storage view; each can
 * be switched off below (it then prints a SKIP line). Switched on, a
 * missing command fails the test. Everything is put back as it was, by
 * virtmux on success and by virsh at exit after a failure.
 * Needs LAB_URI (tests/lab/run.sh boots the lab). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "labtest.h"

/* 1: run the part (a missing command fails it); 0: SKIP it. */
#ifndef WITH_VOL_XFER
#define WITH_VOL_XFER 1          /* d: vol-upload, vol-download, job-cancel */
#endif
#ifndef WITH_DISK_HOTPLUG
#define WITH_DISK_HOTPLUG 1      /* e: disk-add, detach-disk */
#endif

#define LONG_WAIT 60000
#define POOL "labpool"
#define DISK "labdisk.qcow2"
#define MIB (1024LL * 1024)

static const char *uri;
static char tmp[64];
static bool restored;

/* ---------------------------------------------------------------- outside */

/* "format" and "virtual-size" as qemu-img info reads the file. */
static bool
img_info(const char *path, char *format, size_t flen, long long *vsize)
{
    char out[128];

    sh_out(format, flen, "qemu-img info -U --output=json '%s' | sed -n "
           "'s/^    \"format\": \"\\(.*\\)\",$/\\1/p'", path);
    sh_out(out, sizeof(out), "qemu-img info -U --output=json '%s' | sed -n "
           "'s/^    \"virtual-size\": \\([0-9]*\\),$/\\1/p'", path);
    *vsize = out[0] ? atoll(out) : -1;
    return format[0] && *vsize >= 0;
}

static long long
img_vsize(const char *path)
{
    char f[32];
    long long v;

    return img_info(path, f, sizeof(f), &v) ? v : -1;
}

/* Bytes of the file that are not zero, -1 if it cannot be read. */
static long long
nonzero_bytes(const char *path, long long *size)
{
    static char buf[1 << 16];
    long long n = 0;
    ssize_t r;
    int fd = open(path, O_RDONLY);

    *size = 0;
    if (fd < 0)
        return -1;
    while ((r = read(fd, buf, sizeof(buf))) > 0) {
        for (ssize_t i = 0; i < r; i++)
            n += buf[i] != 0;
        *size += r;
    }
    close(fd);
    return r < 0 ? -1 : n;
}

/* Write len bytes of a never-zero pattern at off (the file keeps its size). */
static int
write_pattern(const char *path, long long off, long long len, unsigned seed)
{
    static unsigned char buf[1 << 16];
    int fd = open(path, O_WRONLY);

    if (fd < 0)
        return -1;
    for (long long done = 0; done < len;) {
        size_t n = len - done < (long long)sizeof(buf) ? (size_t)(len - done) : sizeof(buf);

        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            buf[i] = (unsigned char)((seed >> 16) % 255 + 1);
        }
        if (pwrite(fd, buf, n, off + done) != (ssize_t)n) {
            close(fd);
            return -1;
        }
        done += (long long)n;
    }
    return fsync(fd) | close(fd);
}

/* The bytes in the files of dir (names in names, if given); -1 when it
 * holds no file at all. */
static long long
dir_bytes(const char *dir, char *names)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    long long total = -1;

    if (names)
        names[0] = '\0';
    while (d && (e = readdir(d))) {
        char p[512];
        struct stat sb;

        if (e->d_name[0] == '.' && (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2])))
            continue;
        snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
        if (names && strlen(names) + strlen(e->d_name) + 2 < 64)
            strcat(strcat(names, " "), e->d_name);
        if (stat(p, &sb) == 0)
            total = (total < 0 ? 0 : total) + sb.st_size;
        else if (total < 0)
            total = 0;
    }
    if (d)
        closedir(d);
    return total;
}

/* After a failure (exit(1) from SCR_CHECK, once virtmux is gone): put the
 * lab back with virsh. Every step is harmless when there is nothing to do. */
static void
restore(void)
{
    static const char *const vols[] = { "lab-wipe.raw", "lab-src.raw", "lab-clone.qcow2",
                                        "lab-xfer.raw", "lab-big.raw", "labguest-vdb.qcow2" };
    const char *q = "virsh -q -c";

    if (!restored && uri) {
        fprintf(stderr, "test-storage: putting the lab back with virsh\n");
        /* in both, or only one of, the running guest and its definition */
        if (sh("%s '%s' detach-disk labguest vdb --live --config >/dev/null 2>&1", q, uri)) {
            sh("%s '%s' detach-disk labguest vdb --live >/dev/null 2>&1", q, uri);
            sh("%s '%s' detach-disk labguest vdb --config >/dev/null 2>&1", q, uri);
        }
        for (size_t i = 0; i < sizeof(vols) / sizeof(vols[0]); i++)
            sh("%s '%s' vol-delete --pool " POOL " %s >/dev/null 2>&1", q, uri, vols[i]);
        sh("%s '%s' vol-resize --pool " POOL " " DISK " 64M --shrink >/dev/null 2>&1", q, uri);
    }
    if (tmp[0])
        sh("rm -rf '%s'", tmp);
}

/* ---------------------------------------------------------------- screen */

/* The row of the volumes pane whose first cell is vol, -1 if none. */
static int
vol_row(struct scr *s, const char *vol)
{
    size_t n = strlen(vol);

    for (int r = 2; r < ROWS - 1; r++) {
        char *t = scr_row(s, r);
        bool hit = t && strncmp(t, vol, n) == 0 && t[n] == ' ';

        free(t);
        if (hit)
            return r;
    }
    return -1;
}

/* Wait until the volume's row shows text (every text given, NULL-ended). */
static bool
wait_vol(struct scr *s, const char *vol, int ms, ...)
{
    for (int waited = 0; waited <= ms; waited += 100) {
        int r = vol_row(s, vol);
        bool all = r >= 0;
        va_list ap;
        const char *t;

        va_start(ap, ms);
        while (all && (t = va_arg(ap, const char *)))
            all = vm_row_has(s, r, t);
        va_end(ap);
        if (all)
            return true;
        scr_pump(s, 100);
    }
    return false;
}

static bool
wait_vol_gone(struct scr *s, const char *vol, int ms)
{
    for (int waited = 0; waited <= ms; waited += 100) {
        if (vol_row(s, vol) < 0)
            return true;
        scr_pump(s, 100);
    }
    return false;
}

static void
create_vol(struct scr *s, const char *vol, const char *size, const char *format,
           const char *says)
{
    char cmd[256];

    snprintf(cmd, sizeof(cmd), "vol-create-as " POOL " %s %s --format %s", vol, size, format);
    vm_command(s, cmd);
    snprintf(cmd, sizeof(cmd), "Vol %s created (%s)", vol, says);
    SCR_CHECK(s, scr_wait_text(s, cmd, LONG_WAIT) == 0, "the volume is created");
    SCR_CHECK(s, wait_vol(s, vol, T_WAIT, format, says, NULL), "the new volume in the pane");
}

static void
delete_vol(struct scr *s, const char *vol)
{
    char cmd[256], q[256], path[512];

    lab_vol_path(uri, vol, path, sizeof(path));
    SCR_CHECK(s, path[0] == '/', "virsh knows the volume's file");
    snprintf(cmd, sizeof(cmd), "vol-delete %s --pool " POOL, vol);
    snprintf(q, sizeof(q), "vol-delete '%s'? Its data is lost.", vol);
    confirmed(s, cmd, q);
    snprintf(cmd, sizeof(cmd), "Vol %s deleted", vol);
    SCR_CHECK(s, scr_wait_text(s, cmd, LONG_WAIT) == 0);
    SCR_CHECK(s, wait_vol_gone(s, vol, T_WAIT), "the volume left the pane");
    SCR_CHECK(s, access(path, F_OK) < 0 && errno == ENOENT, "the file is gone");
}

/* Is a command in virtmux's action table? (an option it cannot have:
 * refused before anything runs, with "Unknown command" if it is missing) */
static bool
have_command(struct scr *s, const char *name)
{
    char cmd[128], unknown[128], known[160];

    snprintf(cmd, sizeof(cmd), "%s --no-such-option-probe", name);
    vm_command(s, cmd);
    snprintf(unknown, sizeof(unknown), "Unknown command '%s'", name);
    snprintf(known, sizeof(known), "Command '%s' has no option '--no-such-option-probe'", name);
    for (int waited = 0; waited <= T_WAIT; waited += 50) {
        if (vm_row_of(s, unknown) >= 0)
            return false;
        if (vm_row_of(s, known) >= 0)
            return true;
        scr_pump(s, 50);
    }
    SCR_CHECK(s, false, "virtmux answers the probe for '%s'", name);
    return false;
}

/* ---------------------------------------------------------------- parts */

static void
part_resize(struct scr *s)
{
    char path[512];

    step("a) vol-resize");
    lab_vol_path(uri, DISK, path, sizeof(path));
    SCR_CHECK(s, path[0] == '/' && img_vsize(path) == 64 * MIB, "labdisk.qcow2 starts at 64M");
    SCR_CHECK(s, wait_vol(s, DISK, T_WAIT, "qcow2", "64 MiB", NULL),
              "the volumes pane shows labdisk.qcow2 at 64 MiB");

    vm_command(s, "vol-resize " DISK " 128M --pool " POOL);
    SCR_CHECK(s, scr_wait_text(s, "Size of volume '" DISK "' successfully changed from 64 MiB "
                               "to 128 MiB", LONG_WAIT) == 0);
    SCR_CHECK(s, wait_vol(s, DISK, T_WAIT, "128 MiB", NULL), "the pane shows the new capacity");
    SCR_CHECK(s, img_vsize(path) == 128 * MIB, "qemu-img sees 128M");

    /* smaller without --shrink: refused, nothing changes */
    vm_command(s, "vol-resize " DISK " 64M --pool " POOL);
    SCR_CHECK(s, scr_wait_text(s, "The new size 64 MiB of '" DISK "' is smaller than its "
                               "128 MiB: shrinking loses the data", T_WAIT) == 0,
              "the refusal says why");
    /* the whole reason, on a wider terminal */
    scr_resize(s, ROWS, 200);
    SCR_CHECK(s, scr_wait_text(s, "shrinking loses the data at the end of the disk; add "
                               "--shrink to mean it", T_WAIT) == 0, "the whole reason");
    scr_resize(s, ROWS, COLS);
    SCR_CHECK(s, lab_history_has(s, 3000, "The new size 64 MiB of '" DISK "' is smaller", NULL),
              "the refusal is in the message history");
    SCR_CHECK(s, wait_vol(s, DISK, 500, "128 MiB", NULL), "still 128 MiB in the pane");
    SCR_CHECK(s, img_vsize(path) == 128 * MIB, "qemu-img still sees 128M");

    /* restore */
    vm_command(s, "vol-resize " DISK " 64M --pool " POOL " --shrink");
    SCR_CHECK(s, scr_wait_text(s, "Size of volume '" DISK "' successfully changed from 128 MiB "
                               "to 64 MiB", LONG_WAIT) == 0);
    SCR_CHECK(s, wait_vol(s, DISK, T_WAIT, "64 MiB", NULL), "back to 64 MiB in the pane");
    SCR_CHECK(s, img_vsize(path) == 64 * MIB, "qemu-img sees 64M again");
}

static void
part_wipe(struct scr *s)
{
    char path[512];
    long long nz, size;

    step("b) vol-wipe");
    create_vol(s, "lab-wipe.raw", "8M", "raw", "8 MiB");
    lab_vol_path(uri, "lab-wipe.raw", path, sizeof(path));
    SCR_CHECK(s, path[0] == '/');
    /* what a guest would have written into the fresh volume */
    SCR_CHECK(s, write_pattern(path, 0, 8 * MIB, 42) == 0, "cannot write %s", path);
    nz = nonzero_bytes(path, &size);
    SCR_CHECK(s, nz == 8 * MIB && size == 8 * MIB, "the pattern fills the file");

    confirmed(s, "vol-wipe lab-wipe.raw --pool " POOL,
              "vol-wipe 'lab-wipe.raw'? Every byte of it is overwritten with zeros");
    SCR_CHECK(s, scr_wait_text(s, "Vol lab-wipe.raw wiped", LONG_WAIT) == 0);
    nz = nonzero_bytes(path, &size);
    if (nz != 0)
        fprintf(stderr, "test-storage: %lld of %lld bytes of %s are not zero after vol-wipe\n",
                nz, size, path);
    SCR_CHECK(s, nz == 0 && size == 8 * MIB, "every byte of the wiped volume is zero");
    SCR_CHECK(s, wait_vol(s, "lab-wipe.raw", T_WAIT, "raw", "8 MiB", NULL),
              "the volume is still there, same size");
    delete_vol(s, "lab-wipe.raw");
}

static void
part_clone(struct scr *s)
{
    char src[512], dst[512], fmt[32];
    long long vs;

    step("c) vol-clone --format qcow2");
    create_vol(s, "lab-src.raw", "16M", "raw", "16 MiB");
    lab_vol_path(uri, "lab-src.raw", src, sizeof(src));
    SCR_CHECK(s, src[0] == '/');
    /* data at the start and in the middle, holes elsewhere */
    SCR_CHECK(s, write_pattern(src, 0, 3 * MIB, 7) == 0 &&
              write_pattern(src, 9 * MIB + 4096, MIB, 8) == 0, "cannot write %s", src);

    vm_command(s, "vol-clone lab-src.raw lab-clone.qcow2 --pool " POOL " --format qcow2");
    SCR_CHECK(s, scr_wait_text(s, "Vol lab-clone.qcow2 cloned from lab-src.raw as qcow2",
                               LONG_WAIT) == 0);
    SCR_CHECK(s, wait_vol(s, "lab-clone.qcow2", T_WAIT, "qcow2", "16 MiB", NULL),
              "the copy in the pane: qcow2, 16 MiB");
    lab_vol_path(uri, "lab-clone.qcow2", dst, sizeof(dst));
    SCR_CHECK(s, dst[0] == '/' && img_info(dst, fmt, sizeof(fmt), &vs));
    SCR_CHECK(s, strcmp(fmt, "qcow2") == 0, "qemu-img: the copy is a qcow2 (it says %s)", fmt);
    SCR_CHECK(s, vs == 16 * MIB && img_vsize(src) == 16 * MIB, "the same virtual size");
    SCR_CHECK(s, sh("qemu-img compare -U -f raw -F qcow2 '%s' '%s' >/dev/null", src, dst) == 0,
              "qemu-img compare: the copy has the same data");
    /* and a copy that differs would have been noticed */
    SCR_CHECK(s, write_pattern(src, 15 * MIB, 512, 9) == 0);
    SCR_CHECK(s, sh("qemu-img compare -U -f raw -F qcow2 '%s' '%s' >/dev/null", src, dst) == 1,
              "qemu-img compare tells different images apart");

    /* vol-info: the text view, like qemu-img info */
    vm_command(s, "vol-info lab-clone.qcow2 --pool " POOL);
    SCR_CHECK(s, scr_wait_text(s, "file format: qcow2", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "virtual size: 16 MiB (16777216 bytes)", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, dst, T_WAIT) == 0, "vol-info names the file");
    scr_key(s, "q");
    SCR_CHECK(s, scr_wait_gone(s, "file format: qcow2", T_WAIT) == 0);

    delete_vol(s, "lab-clone.qcow2");
    delete_vol(s, "lab-src.raw");
}

static void
part_xfer(struct scr *s)
{
    char up[128], down[128], dir[128], big[160], path[512], line[512];
    char h_up[80], h_vol[80], h_down[80];
    int row, col, job = -1;
    long long partial = -1;

    step("d) vol-upload / vol-download");
    if (!WITH_VOL_XFER) {
        fprintf(stderr, "SKIP: d) vol-upload/vol-download: switched off (WITH_VOL_XFER 0)\n");
        if (have_command(s, "vol-upload"))
            fprintf(stderr, "NOTE: virtmux has vol-upload now: set WITH_VOL_XFER 1\n");
        return;
    }
    SCR_CHECK(s, have_command(s, "vol-upload") && have_command(s, "vol-download") &&
              have_command(s, "job-cancel"), "vol-upload, vol-download and job-cancel exist");

    /* a file of random data, 24 MiB */
    snprintf(up, sizeof(up), "%s/up.bin", tmp);
    snprintf(down, sizeof(down), "%s/down.bin", tmp);
    SCR_CHECK(s, sh("head -c %lld /dev/urandom > '%s'", 24 * MIB, up) == 0);
    sh_out(h_up, sizeof(h_up), "sha256sum < '%s' | cut -d' ' -f1", up);
    SCR_CHECK(s, strlen(h_up) == 64);

    create_vol(s, "lab-xfer.raw", "24M", "raw", "24 MiB");
    lab_vol_path(uri, "lab-xfer.raw", path, sizeof(path));
    snprintf(line, sizeof(line), "vol-upload lab-xfer.raw %s --pool " POOL, up);
    confirmed(s, line, "over volume 'lab-xfer.raw'");
    SCR_CHECK(s, scr_wait_text(s, "Vol lab-xfer.raw uploaded from", LONG_WAIT) == 0);
    sh_out(h_vol, sizeof(h_vol), "sha256sum < '%s' | cut -d' ' -f1", path);
    SCR_CHECK(s, strcmp(h_up, h_vol) == 0, "the volume has the file's bytes (sha256)");

    snprintf(line, sizeof(line), "vol-download lab-xfer.raw %s --pool " POOL, down);
    vm_command(s, line);
    SCR_CHECK(s, scr_wait_text(s, "Vol lab-xfer.raw downloaded to", LONG_WAIT) == 0);
    sh_out(h_down, sizeof(h_down), "sha256sum < '%s' | cut -d' ' -f1", down);
    SCR_CHECK(s, strcmp(h_up, h_down) == 0, "the download has the same bytes (sha256)");
    {
        char got[64];

        /* up.bin and down.bin, 24 MiB each, and nothing else */
        SCR_CHECK(s, dir_bytes(tmp, got) == 48 * MIB && strlen(got) == strlen(" up.bin down.bin"),
                  "no partial file is left next to the download (%s)", got);
    }
    SCR_CHECK(s, lab_history_has(s, 3000, "Vol lab-xfer.raw uploaded from", NULL),
              "m: the upload's line");
    SCR_CHECK(s, lab_history_has(s, 3000, "Vol lab-xfer.raw downloaded to", NULL),
              "m: the download's line");

    step("d) a download cancelled midway");
    /* cancel a download midway: 4 GiB of a sparse raw volume (~7-10 s at
     * the lab's 400-600 MB/s), into a directory of its own: whatever the
     * partial file is called, the directory must end up empty */
    create_vol(s, "lab-big.raw", "4G", "raw", "4 GiB");
    snprintf(dir, sizeof(dir), "%s/cancel", tmp);
    SCR_CHECK(s, mkdir(dir, 0755) == 0);
    snprintf(big, sizeof(big), "%s/big.bin", dir);
    snprintf(line, sizeof(line), "vol-download lab-big.raw %s --pool " POOL, big);
    vm_command(s, line);
    SCR_CHECK(s, scr_wait_text(s, "Started vol-download lab-big.raw", T_WAIT) == 0);
    if (scr_find(s, "(job ", &row, &col) == 0) {
        char *t = scr_row(s, row);

        job = t && strstr(t, "(job ") ? atoi(strstr(t, "(job ") + 5) : -1;
        free(t);
    }
    /* under way: the partial file grows, the jobs pane shows it running */
    for (int i = 0; i < 100 && partial <= 0; i++) {
        partial = dir_bytes(dir, NULL);
        scr_pump(s, 50);
    }
    SCR_CHECK(s, partial > 0, "the download is under way (a partial file in %s)", dir);
    SCR_CHECK(s, scr_wait_text(s, "vol-download lab-big.raw", T_WAIT) == 0 &&
              vm_row_has(s, vm_row_of(s, "vol-download lab-big.raw"), "running"),
              "the jobs pane shows it running");
    snprintf(line, sizeof(line), job > 0 ? "job-cancel %d" : "job-cancel", job);
    vm_command(s, line);
    for (int i = 0; i < 100 && !vm_row_has(s, vm_row_of(s, "vol-download lab-big.raw"),
                                           "cancelled"); i++)
        scr_pump(s, 100);
    SCR_CHECK(s, vm_row_has(s, vm_row_of(s, "vol-download lab-big.raw"), "cancelled"),
              "the jobs pane says cancelled");
    {
        char got[64];

        for (int i = 0; i < 50 && dir_bytes(dir, NULL) >= 0; i++)
            scr_pump(s, 100);
        SCR_CHECK(s, dir_bytes(dir, got) < 0, "a cancelled download leaves no file (%s)", got);
    }
    SCR_CHECK(s, lab_history_has(s, 3000, "cancelled", NULL), "m: the cancelled job");

    delete_vol(s, "lab-big.raw");
    delete_vol(s, "lab-xfer.raw");
}

/* The guest's view of its disks: virtio-blk PCI functions (1af4:1001,
 * 1af4:1042), and, with the virtio_blk driver, its vd* block devices. */
#define PCI_BLK "cat /sys/bus/pci/devices/*/device | grep -c -e 0x1001 -e 0x1042"
#define SYS_BLK "ls /sys/block | grep -c ^vd"

static void
part_hotplug(struct scr *s)
{
    char got[64], path[512], out[256];
    bool vblk;

    step("e) disk-add / detach-disk on the running guest");
    if (!WITH_DISK_HOTPLUG) {
        fprintf(stderr, "SKIP: e) disk-add/detach-disk: switched off (WITH_DISK_HOTPLUG 0)\n");
        if (have_command(s, "disk-add"))
            fprintf(stderr, "NOTE: virtmux has disk-add now: set WITH_DISK_HOTPLUG 1\n");
        return;
    }
    SCR_CHECK(s, have_command(s, "disk-add") && have_command(s, "detach-disk"),
              "disk-add and detach-disk exist");

    /* the guest's console, in the domains view */
    scr_key(s, "1");
    SCR_CHECK(s, scr_wait_text(s, "[1:domains]", T_WAIT) == 0);
    vm_command(s, "console labguest");
    SCR_CHECK(s, scr_wait_text(s, "console labguest [attached]", T_WAIT) == 0);
    SCR_CHECK(s, wait_prompt(s, "STOR") == 0, "the guest answers on its console");
    SCR_CHECK(s, guest_until(s, "PCI", PCI_BLK, "0", 1000, got, sizeof(got)),
              "the guest has no virtio disk yet (it says %s)", got);
    vblk = guest_until(s, "VBLK", "ls -d /sys/bus/virtio/drivers/virtio_blk 2>/dev/null | wc -l",
                       "1", 1000, got, sizeof(got));
    if (vblk)
        SCR_CHECK(s, guest_until(s, "BLK", SYS_BLK, "0", 1000, got, sizeof(got)));

    scr_key(s, "C-]");
    vm_command(s, "disk-add labguest --pool " POOL " --size 64M --format qcow2 --target vdb");
    SCR_CHECK(s, scr_wait_text(s, "Disk labguest-vdb.qcow2 (", LONG_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "added to 'labguest' as vdb", T_WAIT) == 0);
    lab_vol_path(uri, "labguest-vdb.qcow2", path, sizeof(path));
    SCR_CHECK(s, path[0] == '/' && img_info(path, got, sizeof(got), &(long long){ 0 }) &&
              strcmp(got, "qcow2") == 0 && img_vsize(path) == 64 * MIB, "a 64M qcow2 in the pool");
    sh_out(out, sizeof(out), "virsh -q -c '%s' domblklist labguest | grep -c '^ *vdb *%s$'",
           uri, path);
    SCR_CHECK(s, strcmp(out, "1") == 0, "the running guest has it as vdb");
    sh_out(out, sizeof(out), "virsh -q -c '%s' domblklist labguest --inactive | "
           "grep -c '^ *vdb *%s$'", uri, path);
    SCR_CHECK(s, strcmp(out, "1") == 0, "and so does its definition");
    scr_key(s, "3");
    SCR_CHECK(s, wait_vol(s, "labguest-vdb.qcow2", T_WAIT, "qcow2", "64 MiB",
                          "labguest (running)", NULL), "the volumes pane: used by labguest");
    scr_key(s, "1");
    SCR_CHECK(s, scr_wait_text(s, "[1:domains]", T_WAIT) == 0);

    /* the guest sees it (ACPI PCI hotplug) */
    vm_command(s, "console labguest");
    SCR_CHECK(s, scr_wait_text(s, "console labguest [attached]", T_WAIT) == 0);
    SCR_CHECK(s, guest_until(s, "PCI", PCI_BLK, "1", 30000, got, sizeof(got)),
              "the guest sees a virtio disk appear (it says %s)", got);
    if (vblk) {
        scr_send(s, "ls /sys/block\r");
        SCR_CHECK(s, guest_until(s, "BLK", SYS_BLK, "1", 15000, got, sizeof(got)),
                  "a vd* block device in the guest");
        SCR_CHECK(s, guest_until(s, "SIZE", "cat /sys/block/vd*/size", "131072", 3000, got,
                                 sizeof(got)), "of 64 MiB (%s sectors)", got);
        /* the guest names its first virtio disk vda, whatever libvirt's target says */
        guest_until(s, "NAME", "ls /sys/block | grep ^vd", "vda", 1000, got, sizeof(got));
        fprintf(stderr, "test-storage: the guest sees the disk as /sys/block/%s, 64 MiB\n", got);
    } else {
        fprintf(stderr, "SKIP: e) /sys/block: the lab guest has no virtio_blk driver "
                "(tests/lab/lab-up.sh does not put virtio_blk.ko in its initramfs); "
                "checked the guest's PCI bus instead\n");
    }

    step("e) detach-disk");
    /* detach: the guest sees it go */
    scr_key(s, "C-]");
    confirmed(s, "detach-disk labguest vdb", "detach-disk 'labguest'?");
    SCR_CHECK(s, scr_wait_text(s, "Disk detached successfully (vdb of 'labguest'", LONG_WAIT)
              == 0);
    vm_command(s, "console labguest");
    SCR_CHECK(s, scr_wait_text(s, "console labguest [attached]", T_WAIT) == 0);
    SCR_CHECK(s, guest_until(s, "PCI", PCI_BLK, "0", 30000, got, sizeof(got)),
              "the guest sees the disk go (it says %s)", got);
    if (vblk)
        SCR_CHECK(s, guest_until(s, "BLK", SYS_BLK, "0", 15000, got, sizeof(got)),
                  "no vd* block device left in the guest");
    scr_key(s, "C-]");
    sh_out(out, sizeof(out), "virsh -q -c '%s' domblklist labguest; virsh -q -c '%s' "
           "domblklist labguest --inactive", uri, uri);
    SCR_CHECK(s, !strstr(out, "vdb"), "vdb is gone from the guest and its definition");

    /* the volume stays (detach keeps the image): delete it */
    scr_key(s, "3");
    SCR_CHECK(s, scr_wait_text(s, "[3:storage]", T_WAIT) == 0);
    SCR_CHECK(s, wait_vol(s, "labguest-vdb.qcow2", T_WAIT, "qcow2", "64 MiB", NULL),
              "the detached disk's volume is still in the pool");
    for (int i = 0; i < 80 && vm_row_has(s, vol_row(s, "labguest-vdb.qcow2"), "labguest ("); i++)
        scr_pump(s, 100);
    SCR_CHECK(s, !vm_row_has(s, vol_row(s, "labguest-vdb.qcow2"), "labguest ("),
              "no longer used by labguest");
    delete_vol(s, "labguest-vdb.qcow2");
}

int
main(void)
{
    char *args[3] = { "-c", NULL, NULL };
    struct scr *s;

    lab_clock_start();
    uri = getenv("LAB_URI");
    if (!uri || !*uri) {
        fprintf(stderr, "SKIP: LAB_URI is not set (tests/lab/run.sh sets it)\n");
        return 77;
    }
    args[1] = (char *)uri;
    snprintf(tmp, sizeof(tmp), "/tmp/vmstor-XXXXXX");
    if (!mkdtemp(tmp)) {
        perror("mkdtemp");
        return 1;
    }
    atexit(restore);

    s = vm_start(args, NULL);
    SCR_CHECK(s, scr_wait_text(s, "2 domains, 2 running", LONG_WAIT) == 0);
    scr_key(s, "3");
    SCR_CHECK(s, scr_wait_text(s, "[3:storage]", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "  " POOL " ", T_WAIT) == 0, "the lab pool is listed");
    /* its volumes below: the cursor on the pool (a view opened before the
     * pools were read leaves it on the host's row) */
    SCR_CHECK(s, vm_goto(s, POOL) == 0, "the cursor goes to the lab pool");

    part_resize(s);
    part_wipe(s);
    part_clone(s);
    part_xfer(s);
    part_hotplug(s);

    /* the pool as the lab made it: labdisk.qcow2 alone, 64M */
    SCR_CHECK(s, wait_vol(s, DISK, T_WAIT, "64 MiB", NULL));
    {
        char out[64];

        sh_out(out, sizeof(out), "virsh -q -c '%s' vol-list " POOL " | wc -l", uri);
        SCR_CHECK(s, strcmp(out, "1") == 0, "only labdisk.qcow2 is left in the pool (%s volumes)",
                  out);
    }
    restored = true;
    step("done");
    scr_free(s);
    return 0;
}
