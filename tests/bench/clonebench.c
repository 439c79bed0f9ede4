/* clonebench: clone times through virtmux's own code, against a real
 * libvirtd (a lab started with LAB_BOOT=0, see run.sh), in process: the
 * loop, a host, action_run_line as the UI dispatches ':' lines, and the
 * messages log, as the model tests drive them.
 *
 *   linked  `clone SRC --mode linked` from action_run_line to its result
 *           in the log, for a 64 MiB qcow2 (all of it data) and an 8 GiB
 *           sparse qcow2 (no data); the two alternate, median of RUNS_L.
 *           Reference: `qemu-img create -f qcow2 -b SRC -F qcow2 DST`.
 *   full    `clone SRC` (a job) from action_run_line to the job's end line
 *           "Domain 'x' cloned from 'y' (512 MiB in 1.2 s)", for a raw and
 *           a qcow2 image holding 512 MiB of random data; median of RUNS_F,
 *           interleaved with `qemu-img convert -f F -O F SRC DST` of the same
 *           file (the reference; run once before to warm the page cache for
 *           both, nothing is dropped) and virStorageVolCreateXMLFrom called
 *           directly (what libvirt alone takes: the floor under virtmux).
 *
 * Every clone is deleted (definition and its own volumes, through libvirt)
 * before the next. The source domains are made by run.sh (virsh):
 *   cb64  vda = POOL/cb64.qcow2    64 MiB qcow2, 64 MiB of random data
 *   cb8g  vda = POOL/cb8g.qcow2    8 GiB qcow2, empty
 *   cbraw vda = POOL/cbraw.img     512 MiB raw, random data
 *   cbq   vda = POOL/cbq.qcow2     the same data as a qcow2
 *
 *   clonebench URI POOL_NAME POOL_DIR REF_DIR [RUNS_L [RUNS_F]]
 *
 * Prints the figures (the lines run.sh shows); exits non-zero only when a
 * clone failed, was refused or never ended. */
#include <autoconf.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "action.h"
#include "host.h"
#include "job.h"
#include "log.h"
#include "loop.h"
#include "model.h"
#include "storxml.h"
#include "virtevent.h"

#include "modelui.h"

#include "bench.h"

#define WAIT_MS 120000
#define MIB (1024.0 * 1024.0)
#define FULL_BYTES (512.0 * MIB)

static int host = -1;
static const char *uri, *pool_name, *pool_dir, *ref_dir;

static void ATTR_PRINTF(1, 2) ATTR_NORETURN
die(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    fprintf(stderr, "clonebench: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    exit(1);
}

/* ---- the loop (the fake UI and wait_for of the model tests: modelui.h) ---- */

/* No request left, and what the last one's events queued served too. */
static void
settle(void)
{
    for (int round = 0; round < 2; round++) {
        if (!wait_for(host_idle, &host, WAIT_MS))
            die("the host stays busy");
        for (int i = 0; i < 3; i++)
            loop_iterate(5);
    }
}

struct want {
    size_t mark;
    const char *text;        /* a log line starting with this */
    const char *not;         /* and not containing this (or NULL) */
    const char *found;
};

static bool
logged(void *arg)
{
    struct want *w = arg;

    for (size_t i = w->mark; i < log_count(); i++) {
        const struct log_entry *l = log_get(i);

        if (l->level == LOG_ERROR)
            die("error in the log: %s", l->text);
        if (STRPREFIX(l->text, w->text) && !(w->not && strstr(l->text, w->not))) {
            w->found = l->text;
            return true;
        }
    }
    return false;
}

/* Dispatch line as the UI does; ms until a log line starts with said
 * (and does not contain not). */
static double
timed_line(const char *line, const char *said, const char *not)
{
    struct act_ctx ctx = { .host = host };
    struct want w = { log_count(), said, not, NULL };
    double t0 = bench_now_ms(), t;

    if (action_run_line(line, &ctx) < 0)
        die("'%s' was refused: %s", line, log_last() ? log_last()->text : "-");
    if (!wait_for(logged, &w, WAIT_MS))
        die("'%s' did not say \"%s\" in time", line, said);
    t = bench_now_ms() - t0;
    settle();
    return t;
}

/* ---- libvirt's side (the bench's own connection) ---- */

static virConnectPtr conn;

/* Delete the domain name and the volumes of its <source file=...> disks. */
static void
delete_clone(const char *name)
{
    virDomainPtr dom = virDomainLookupByName(conn, name);
    char *xml = dom ? virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE) : NULL;

    if (!xml)
        die("no clone '%s' to delete", name);
    for (const char *p = xml; (p = strstr(p, "<source file='")); p++) {
        const char *s = p + strlen("<source file='"), *e = strchr(s, '\'');
        AUTOFREE char *path = e ? xstrndup(s, (size_t)(e - s)) : NULL;
        virStorageVolPtr v = path ? virStorageVolLookupByPath(conn, path) : NULL;

        if (!v || virStorageVolDelete(v, 0) < 0)
            die("cannot delete %s: %s", path ? path : "?", virGetLastErrorMessage());
        virStorageVolFree(v);
    }
    if (virDomainUndefine(dom) < 0)
        die("cannot undefine %s: %s", name, virGetLastErrorMessage());
    virDomainFree(dom);
    free(xml);
    settle();
}

/* virStorageVolCreateXMLFrom alone, as virtmux calls it (storxml's XML);
 * ms, the new volume deleted afterwards. */
static double
libvirt_copy(const char *src_path, const char *format)
{
    virStoragePoolPtr pool = virStoragePoolLookupByName(conn, pool_name);
    virStorageVolPtr src = virStorageVolLookupByPath(conn, src_path), nv;
    virStorageVolInfo info;
    AUTOFREE char *name = xasprintf("cbref.%s", STREQ(format, "raw") ? "img" : format);
    AUTOFREE char *xml = NULL;
    struct err e;
    double t0;

    err_clear(&e);
    if (!pool || !src || virStorageVolGetInfo(src, &info) < 0)
        die("no volume %s: %s", src_path, virGetLastErrorMessage());
    if (!(xml = storxml_vol_build(name, info.capacity, 0, format, NULL, NULL, &e)))
        die("storxml_vol_build: %s", e.msg);
    t0 = bench_now_ms();
    if (!(nv = virStorageVolCreateXMLFrom(pool, xml, src, 0)))
        die("virStorageVolCreateXMLFrom %s: %s", src_path, virGetLastErrorMessage());
    t0 = bench_now_ms() - t0;
    if (virStorageVolDelete(nv, 0) < 0)
        die("cannot delete %s: %s", name, virGetLastErrorMessage());
    virStorageVolFree(nv);
    virStorageVolFree(src);
    virStoragePoolFree(pool);
    return t0;
}

/* ---- qemu-img ---- */

/* Run qemu-img with args (NULL-terminated); ms. */
static double
qemu_img(const char *const *args)
{
    double t0 = bench_now_ms();
    int status;
    pid_t pid = fork();

    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);

        if (null >= 0)
            dup2(null, STDOUT_FILENO);
        execvp("qemu-img", (char *const *)args);
        _exit(127);
    }
    if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0)
        die("qemu-img %s %s failed", args[1], args[2]);
    return bench_now_ms() - t0;
}

/* cache: NULL for qemu-img's default (unsafe: no flush), or -t's value */
static double
qemu_img_convert(const char *src, const char *dst, const char *format, const char *cache)
{
    const char *args[12];
    int n = 0;
    double t;

    args[n++] = "qemu-img";
    args[n++] = "convert";
    if (cache) {
        args[n++] = "-t";
        args[n++] = cache;
    }
    args[n++] = "-f";
    args[n++] = format;
    args[n++] = "-O";
    args[n++] = format;
    args[n++] = src;
    args[n++] = dst;
    args[n] = NULL;
    t = qemu_img(args);

    if (unlink(dst) < 0)
        die("cannot remove %s: %s", dst, strerror(errno));
    return t;
}

static double
qemu_img_link(const char *src, const char *dst)
{
    const char *args[] = { "qemu-img", "create", "-q", "-f", "qcow2", "-b", src,
                           "-F", "qcow2", dst, NULL };
    double t = qemu_img(args);

    if (unlink(dst) < 0)
        die("cannot remove %s: %s", dst, strerror(errno));
    return t;
}

/* ---- figures ---- */

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static double
median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof(*v), cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static double
mbps(double ms)
{
    return FULL_BYTES / 1e6 / (ms / 1e3);
}

#define MAXRUNS 15

struct full {
    double qi[MAXRUNS], qf[MAXRUNS], lv[MAXRUNS], vm[MAXRUNS], job[MAXRUNS];
};

/* The full-clone runs of source dom (image src, format). */
static void
full_runs(const char *dom, const char *src, const char *format, int runs, struct full *f)
{
    AUTOFREE char *dst = xasprintf("%s/cbref.%s", ref_dir, STREQ(format, "raw") ? "img" : format);

    qemu_img_convert(src, dst, format, NULL);   /* warms the page cache for all */
    for (int i = 0; i < runs; i++) {
        AUTOFREE char *name = xasprintf("%s-f%d", dom, i + 1);
        AUTOFREE char *line = xasprintf("clone %s --name %s", dom, name);
        AUTOFREE char *said = xasprintf("Domain '%s' cloned from '%s' (", name, dom);
        const struct job *j;
        int id = (int)job_count();

        f->qi[i] = qemu_img_convert(src, dst, format, NULL);
        /* raw: libvirt copies in the daemon and fdatasyncs; the same with a flush */
        if (STREQ(format, "raw"))
            f->qf[i] = qemu_img_convert(src, dst, format, "writeback");
        f->lv[i] = libvirt_copy(src, format);
        /* the dispatcher says "(0 disks linked, 1 to copy): copying as job N";
         * the job's own line ends "(512 MiB in 1.2 s)" */
        f->vm[i] = timed_line(line, said, "to copy");
        if (job_count() != (size_t)id + 1 || !(j = job_nth((size_t)id)) || j->state != JOB_DONE)
            die("'%s' ran no job that ended well", line);
        f->job[i] = (double)(j->ended - j->started);
        delete_clone(name);
    }
}

int
main(int argc, char **argv)
{
    int runs_l, runs_f;
    double l64[MAXRUNS], l8g[MAXRUNS], lqi[MAXRUNS];
    double m64, m8g, mqi, r;
    struct full raw, q;
    AUTOFREE char *src64 = NULL, *src8g = NULL, *srcraw = NULL, *srcq = NULL, *dst = NULL;

    if (argc < 5) {
        fprintf(stderr, "usage: clonebench URI POOL_NAME POOL_DIR REF_DIR [RUNS_L [RUNS_F]]\n");
        return 2;
    }
    uri = argv[1];
    pool_name = argv[2];
    pool_dir = argv[3];
    ref_dir = argv[4];
    runs_l = argc > 5 ? atoi(argv[5]) : 5;
    runs_f = argc > 6 ? atoi(argv[6]) : 3;
    if (runs_l < 1 || runs_l > MAXRUNS || runs_f < 1 || runs_f > MAXRUNS)
        die("runs: 1 to %d", MAXRUNS);
    src64 = xasprintf("%s/cb64.qcow2", pool_dir);
    src8g = xasprintf("%s/cb8g.qcow2", pool_dir);
    srcraw = xasprintf("%s/cbraw.img", pool_dir);
    srcq = xasprintf("%s/cbq.qcow2", pool_dir);
    dst = xasprintf("%s/cblink.qcow2", ref_dir);

    err_silence_libraries();
    loop_init();
    virtevent_register();
    if (virInitialize() < 0 || !(conn = virConnectOpen(uri)))
        die("cannot connect to %s", uri);
    U.answer = true;
    action_set_ui(&test_ui);
    host = model_host_add(uri, false);
    host_start(host);
    if (!wait_for(host_settled, &host, WAIT_MS) || model_host_get(host)->state != HOST_UP)
        die("virtmux could not connect to %s", uri);
    settle();
    if (!model_dom_by_name(host, "cb64") || !model_dom_by_name(host, "cbraw"))
        die("no source domains (cb64, cb8g, cbraw, cbq) on %s", uri);

    /* linked: 64 MiB and 8 GiB alternate, so a noisy moment hits both */
    for (int i = 0; i < runs_l; i++) {
        for (int k = 0; k < 2; k++) {
            const char *src = k ? "cb8g" : "cb64";
            AUTOFREE char *name = xasprintf("%s-l%d", src, i + 1);
            AUTOFREE char *line = xasprintf("clone %s --mode linked --name %s", src, name);
            AUTOFREE char *said = xasprintf("Domain '%s' cloned from '%s' (1 disk linked, "
                                            "0 to copy", name, src);

            (k ? l8g : l64)[i] = timed_line(line, said, NULL);
            delete_clone(name);
        }
        lqi[i] = qemu_img_link(i % 2 ? src8g : src64, dst);
    }
    full_runs("cbraw", srcraw, "raw", runs_f, &raw);
    full_runs("cbq", srcq, "qcow2", runs_f, &q);

    m64 = median(l64, runs_l);
    m8g = median(l8g, runs_l);
    mqi = median(lqi, runs_l);
    printf("Linked clone ('clone SRC --mode linked', from action_run_line to the result in the log;\n");
    printf("  define + qcow2 overlay backed by SRC; median of %d, each clone deleted before the next)\n",
           runs_l);
    printf("  %-44s %8.1f ms\n", "reference: qemu-img create -f qcow2 -b SRC", mqi);
    printf("  %-44s %8.1f ms\n", "64 MiB qcow2 source (64 MiB of data)", m64);
    r = m8g / m64;
    printf("  %-44s %8.1f ms   ratio %.2fx of 64 MiB\n", "8 GiB sparse qcow2 source", m8g, r);
    printf("  target: 8 GiB the same as 64 MiB (<= 1.25x)  (%s)\n", r <= 1.25 ? "met" : "MISSED");
    printf("\n");
    printf("Full clone, 512 MiB of random data (virtmux: from action_run_line to the job's end line;\n");
    printf("  qemu-img first, once, to warm the page cache; median of %d, interleaved)\n", runs_f);
    for (int k = 0; k < 2; k++) {
        struct full *f = k ? &q : &raw;
        const char *fmt = k ? "qcow2" : "raw";
        double mq = median(f->qi, runs_f), ml = median(f->lv, runs_f);
        double mv = median(f->vm, runs_f), mj = median(f->job, runs_f);
        AUTOFREE char *qline = xasprintf("qemu-img convert -f %s -O %s", fmt, fmt);

        printf("  %s source\n", fmt);
        printf("    %-40s %7.1f MB/s  %7.0f ms\n", qline, mbps(mq), mq);
        if (!k) {
            double mf = median(f->qf, runs_f);

            printf("    %-40s %7.1f MB/s  %7.0f ms   ratio %.2fx\n",
                   "  the same, -t writeback (flushed)", mbps(mf), mf, mq / mf);
        }
        printf("    %-40s %7.1f MB/s  %7.0f ms   ratio %.2fx\n", "libvirt vol-clone (API alone)",
               mbps(ml), ml, mq / ml);
        printf("    %-40s %7.1f MB/s  %7.0f ms   ratio %.2fx   (target >= 0.8x)\n",
               "virtmux clone (dispatch to end line)", mbps(mv), mv, mq / mv);
        printf("    %-40s %7.1f MB/s  %7.0f ms\n", "  of which the job itself", mbps(mj), mj);
    }
    {
        double rr = median(raw.qi, runs_f) / median(raw.vm, runs_f);
        double rq = median(q.qi, runs_f) / median(q.vm, runs_f);

        printf("  target: full clone >= 0.8x qemu-img convert  (raw %s, qcow2 %s)\n",
               rr >= 0.8 ? "met" : "MISSED", rq >= 0.8 ? "met" : "MISSED");
    }

    settle();
    job_shutdown_all(5000);
    host_shutdown_all();
    job_free_all();
    model_free();
    log_free();
    ui_free();
    virConnectClose(conn);
    return 0;
}
