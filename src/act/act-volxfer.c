/* act-volxfer.c: vol-upload and vol-download, which copy a volume's bytes
 * over a libvirt stream as jobs (src/job.c), and the rows that list and
 * cancel jobs. The row's handler, on the host worker, only checks: the
 * volume, its users, the local file (opened there, so a bad path is
 * refused at once); the done hook starts the job on the loop thread with
 * a reference to the host's connection. The body copies 1 MiB at a time,
 * checks the cancel flag between chunks and aborts the stream when asked.
 * A download is written to FILE.part and renamed when complete; the part
 * is removed when it fails or is cancelled. --sparse uses libvirt's sparse
 * streams: holes are skipped on both sides, never sent as zeros. */
#include <autoconf.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libvirt/virterror.h>

#include "act.h"
#include "job.h"
#include "log.h"
#include "loop.h"
#include "storxml.h"

#define XFER_CHUNK (1024 * 1024)

struct xfer {
    bool upload, sparse;
    int id, host;
    char pool_uuid[UUID_LEN];
    char *vol, *file, *part;     /* part: a download's FILE.part */
    char *title, *done_text;
    int fd;
    unsigned long long offset, length;
    long long total;
    virConnectPtr conn;
};

static void
xfer_free(struct xfer *x)
{
    if (!x)
        return;
    if (x->fd >= 0)
        close(x->fd);
    if (x->part)
        unlink(x->part);     /* still there: the download did not complete */
    if (x->conn)
        virConnectClose(x->conn);
    free(x->vol);
    free(x->file);
    free(x->part);
    free(x->title);
    free(x->done_text);
    free(x);
}

static int
parse_bytes(const char *s, const char *what, unsigned long long *out, struct err *e)
{
    char *end;

    *out = 0;
    if (!s)
        return 0;
    if (!isdigit((unsigned char)s[0]))
        return err_set(e, "The %s '%s' is not a number of bytes", what, s);
    errno = 0;
    *out = strtoull(s, &end, 10);
    if (errno || *end)
        return err_set(e, "The %s '%s' is not a number of bytes", what, s);
    return 0;
}

/* The file as the user meant it: ~/ is the home directory, a relative
 * name is relative to where virtmux started. */
static char *
local_path(const char *file)
{
    char cwd[PATH_MAX];
    const char *home = getenv("HOME");

    if (STRPREFIX(file, "~/") && home)
        return xasprintf("%s%s", home, file + 1);
    if (file[0] == '/' || !getcwd(cwd, sizeof(cwd)))
        return xstrdup(file);
    return xasprintf("%s/%s", cwd, file);
}

/* ---- the job (its own thread) ---- */

/* "Failed to upload FILE to vol VOL: <libvirt's reason>" */
static int
xfer_fail(struct err *e, const struct xfer *x)
{
    if (x->upload)
        return err_virt(e, "Failed to upload %s to vol %s", x->file, x->vol);
    return err_virt(e, "Failed to download vol %s to %s", x->vol, x->file);
}

static int
write_all(int fd, const char *buf, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, buf, n);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        buf += w;
        n -= (size_t)w;
    }
    return 0;
}

static int
download(struct job_run *run, struct xfer *x, virStreamPtr st, char *buf, struct err *e)
{
    long long done = 0;

    for (;;) {
        int n;

        if (job_cancelled(run))
            return -1;
        n = x->sparse ? virStreamRecvFlags(st, buf, XFER_CHUNK, VIR_STREAM_RECV_STOP_AT_HOLE)
                      : virStreamRecv(st, buf, XFER_CHUNK);
        if (n == 0)
            break;
        if (n == -3) {
            long long hole = 0;

            if (virStreamRecvHole(st, &hole, 0) < 0)
                return xfer_fail(e, x);
            if (lseek(x->fd, hole, SEEK_CUR) < 0)
                return err_set(e, "Failed to download vol %s to %s: %s", x->vol, x->part,
                               strerror(errno));
            done += hole;
        } else if (n < 0) {
            return xfer_fail(e, x);
        } else if (write_all(x->fd, buf, (size_t)n) < 0) {
            return err_set(e, "Failed to download vol %s: cannot write %s: %s", x->vol,
                           x->part, strerror(errno));
        } else {
            done += n;
        }
        job_progress(run, done);
    }
    /* a hole at the end: the file still has the volume's length */
    if (x->sparse && ftruncate(x->fd, lseek(x->fd, 0, SEEK_CUR)) < 0)
        return err_set(e, "Failed to download vol %s: cannot size %s: %s", x->vol, x->part,
                       strerror(errno));
    return 0;
}

/* Where the file's next section ends and whether it is data (sparse upload). */
static int
section(int fd, long long size, bool *data, long long *len)
{
    off_t cur = lseek(fd, 0, SEEK_CUR), next;

    if (cur < 0)
        return -1;
    next = lseek(fd, cur, SEEK_DATA);
    if (next < 0 && errno == ENXIO) {
        *data = false;               /* a hole up to the end */
        *len = size - cur;
    } else if (next < 0) {
        *data = true;                /* no SEEK_DATA here: all data */
        *len = size - cur;
    } else if (next > cur) {
        *data = false;
        *len = next - cur;
    } else {
        next = lseek(fd, cur, SEEK_HOLE);
        *data = true;
        *len = (next < 0 ? size : next) - cur;
    }
    return lseek(fd, cur, SEEK_SET) < 0 ? -1 : 0;
}

static int
upload(struct job_run *run, struct xfer *x, virStreamPtr st, char *buf, struct err *e)
{
    long long done = 0, left = x->total;

    while (left > 0) {
        bool data = true;
        long long len = left;
        ssize_t n;

        if (job_cancelled(run))
            return -1;
        if (x->sparse && section(x->fd, x->total, &data, &len) < 0)
            return err_set(e, "Failed to upload %s: %s", x->file, strerror(errno));
        if (len > left)
            len = left;
        if (!data) {
            if (virStreamSendHole(st, len, 0) < 0)
                return xfer_fail(e, x);
            if (lseek(x->fd, len, SEEK_CUR) < 0)
                return err_set(e, "Failed to upload %s: %s", x->file, strerror(errno));
            n = len;
        } else {
            n = read(x->fd, buf, len < XFER_CHUNK ? (size_t)len : XFER_CHUNK);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0)
                return err_set(e, "Failed to upload %s: %s", x->file, strerror(errno));
            if (n == 0)
                return err_set(e, "Failed to upload %s: it became shorter while being read",
                               x->file);
            for (ssize_t o = 0; o < n;) {
                int w = virStreamSend(st, buf + o, (size_t)(n - o));

                if (w < 0)
                    return xfer_fail(e, x);
                o += w;
            }
        }
        done += n;
        left -= n;
        job_progress(run, done);
    }
    return 0;
}

/* FILE.part becomes FILE, unless FILE appeared meanwhile: then the data
 * stays in the part, which is kept. */
static int
finish_part(struct xfer *x, struct err *e)
{
    int rc = renameat2(AT_FDCWD, x->part, AT_FDCWD, x->file, RENAME_NOREPLACE);

    if (rc < 0 && errno == EINVAL)       /* a file system without it */
        rc = rename(x->part, x->file);
    if (rc == 0)
        return 0;
    if (errno == EEXIST) {
        err_set(e, "Vol %s was downloaded, but %s appeared meanwhile: the data is in %s",
                x->vol, x->file, x->part);
        free(x->part);
        x->part = NULL;
        return -1;
    }
    return err_set(e, "Failed to download vol %s: cannot rename %s: %s", x->vol, x->part,
                   strerror(errno));
}

static int
xfer_body(struct job_run *run, void *opaque, struct err *e)
{
    struct xfer *x = opaque;
    virStoragePoolPtr pool = virStoragePoolLookupByUUIDString(x->conn, x->pool_uuid);
    virStorageVolPtr vol = pool ? virStorageVolLookupByName(pool, x->vol) : NULL;
    virStreamPtr st = NULL;
    AUTOFREE char *buf = xmalloc(XFER_CHUNK);
    int rc = -1;

    if (!vol) {
        err_virt(e, "Failed to find volume '%s'", x->vol);
        goto out;
    }
    if (!(st = virStreamNew(x->conn, 0))) {
        err_virt(e, "Failed to open a stream for vol %s", x->vol);
        goto out;
    }
    if (x->upload ? virStorageVolUpload(vol, st, x->offset, x->length,
                                        x->sparse ? VIR_STORAGE_VOL_UPLOAD_SPARSE_STREAM : 0)
                  : virStorageVolDownload(vol, st, x->offset, x->length,
                                          x->sparse ? VIR_STORAGE_VOL_DOWNLOAD_SPARSE_STREAM
                                                    : 0)) {
        xfer_fail(e, x);
        virStreamFree(st);
        st = NULL;
        goto out;
    }
    rc = x->upload ? upload(run, x, st, buf, e) : download(run, x, st, buf, e);
    if (rc < 0) {
        virStreamAbort(st);
    } else if (virStreamFinish(st) < 0) {
        rc = xfer_fail(e, x);
    }
    virResetLastError();
    if (rc == 0 && !x->upload) {
        int fd = x->fd;

        x->fd = -1;
        if (close(fd) < 0) {
            rc = err_set(e, "Failed to download vol %s: cannot write %s: %s", x->vol, x->part,
                         strerror(errno));
        } else if (finish_part(x, e) == 0) {
            free(x->part);
            x->part = NULL;
        } else {
            rc = -1;
        }
    }
 out:
    if (st)
        virStreamFree(st);
    if (vol)
        virStorageVolFree(vol);
    if (pool)
        virStoragePoolFree(pool);
    /* the last reference may be ours (the host reconnected): close it here */
    virConnectClose(x->conn);
    x->conn = NULL;
    virResetLastError();
    return rc;
}

/* ---- the loop thread: the job starts and ends ---- */

static void
xfer_end(const struct job *j, void *opaque)
{
    struct xfer *x = opaque;

    /* an upload changed the volume (allocation, format), even a partial one */
    if (x->upload && !loop_quitting())
        host_refresh_pool(x->host, x->pool_uuid);
    xfer_free(x);
}

static void
xfer_start(struct act_call *c)
{
    struct xfer *x = c->data;
    struct job_spec spec;
    struct err e;

    c->data = NULL;
    if (!x)
        return;
    if (!(x->conn = host_conn_ref(x->host))) {
        log_msg(LOG_ERROR, "Job %d (%s) did not start: the host is no longer connected",
                x->id, x->title);
        xfer_free(x);
        return;
    }
    spec = (struct job_spec){ .host = x->host, .title = x->title, .total = x->total,
                              .body = xfer_body, .opaque = x, .done_text = x->done_text,
                              .end = xfer_end };
    if (job_start(x->id, &spec, &e) < 0)
        log_msg(LOG_ERROR, "%s", e.msg);
}

/* ---- the worker: checks, the local file ---- */

static int
open_download(struct act_call *c, struct xfer *x, long long physical)
{
    struct stat sb;

    if (lstat(x->file, &sb) == 0)
        return err_set(&c->r.err, "%s exists: vol-download does not overwrite files; remove "
                       "it or name another file", x->file);
    x->part = job_part_path(x->file);
    if ((x->fd = open(x->part, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) < 0) {
        int saved = errno;

        free(x->part);       /* not ours: xfer_free must not remove it */
        x->part = NULL;
        if (saved == EEXIST)
            return err_set(&c->r.err, "%s.part exists: is another download to %s running? "
                           "(remove it if not)", x->file, x->file);
        return err_set(&c->r.err, "Cannot create %s.part: %s", x->file, strerror(saved));
    }
    if (physical < 0)
        x->total = x->length ? (long long)x->length : -1;
    else
        x->total = physical > (long long)x->offset ? physical - (long long)x->offset : 0;
    if (x->length && x->total > (long long)x->length)
        x->total = (long long)x->length;
    return 0;
}

static int
open_upload(struct act_call *c, struct xfer *x, unsigned long long capacity, long long physical)
{
    struct stat sb;
    unsigned long long limit = capacity, send;
    char fsz[32], vsz[32];

    if ((x->fd = open(x->file, O_RDONLY | O_CLOEXEC)) < 0)
        return err_set(&c->r.err, "Cannot read %s: %s", x->file, strerror(errno));
    if (fstat(x->fd, &sb) < 0 || !S_ISREG(sb.st_mode))
        return err_set(&c->r.err, "%s is not a regular file", x->file);
    send = (unsigned long long)sb.st_size;
    if (x->length && x->length < send)
        send = x->length;
    /* an image file (qcow2) may be a little larger than its virtual size */
    if (physical > 0 && (unsigned long long)physical > limit)
        limit = (unsigned long long)physical;
    if (x->offset + send > limit) {
        storxml_format_size(send, fsz, sizeof(fsz));
        storxml_format_size(limit, vsz, sizeof(vsz));
        return err_set(&c->r.err, "%s (%s) does not fit in volume '%s' (%s)%s", x->file, fsz,
                       x->vol, vsz, x->offset ? " at that offset" : "");
    }
    x->total = (long long)send;
    return 0;
}

static int
xfer_check(struct act_call *c, virConnectPtr conn, bool upload)
{
    struct xfer *x = xcalloc(1, sizeof(*x));
    virStorageVolPtr vol;
    virStorageVolInfo info, phys;
    long long physical = -1;

    x->upload = upload;
    x->fd = -1;
    x->host = c->host;
    snprintf(x->pool_uuid, sizeof(x->pool_uuid), "%s", c->uuid);
    x->vol = xstrdup(c->name);
    x->file = local_path(action_arg(c, "file"));
    x->sparse = action_arg(c, "sparse") != NULL;
    if (parse_bytes(action_arg(c, "offset"), "offset", &x->offset, &c->r.err) < 0 ||
        parse_bytes(action_arg(c, "length"), "length", &x->length, &c->r.err) < 0 ||
        !(vol = act_vol_lookup(c, conn, NULL))) {
        xfer_free(x);
        return -1;
    }
    if (virStorageVolGetInfo(vol, &info) < 0) {
        err_virt(&c->r.err, "Failed to read vol %s", c->name);
        virStorageVolFree(vol);
        xfer_free(x);
        return -1;
    }
    /* the stream carries the file's bytes: its length, not the virtual size */
    if (virStorageVolGetInfoFlags(vol, &phys, VIR_STORAGE_VOL_GET_PHYSICAL) == 0)
        physical = (long long)phys.allocation;
    virResetLastError();
    if (upload && act_vol_refuse_in_use(c, conn, vol, "overwriting", true) < 0) {
        virStorageVolFree(vol);
        xfer_free(x);
        return -1;
    }
    virStorageVolFree(vol);
    if ((upload ? open_upload(c, x, info.capacity, physical)
                : open_download(c, x, physical)) < 0) {
        xfer_free(x);
        return -1;
    }
    x->id = job_reserve_id();
    x->title = upload ? xasprintf("vol-upload %s -> %s", x->file, x->vol)
                      : xasprintf("vol-download %s -> %s", x->vol, x->file);
    x->done_text = upload ? xasprintf("Vol %s uploaded from %s", x->vol, x->file)
                          : xasprintf("Vol %s downloaded to %s", x->vol, x->file);
    c->result = xasprintf("Started %s (job %d)", x->title, x->id);
    c->data = x;
    return 0;
}

static int
act_vol_upload(struct act_call *c, virConnectPtr conn)
{
    return xfer_check(c, conn, true);
}

static int
act_vol_download(struct act_call *c, virConnectPtr conn)
{
    return xfer_check(c, conn, false);
}

/* The question names both sizes (a local stat() is cheap on the loop). */
static char *
ask_upload(const struct act_call *c)
{
    const struct m_vol *v = model_vol_get(model_pool_get(c->host, c->uuid), c->name);
    AUTOFREE char *file = local_path(action_arg(c, "file"));
    char fsz[48] = "", vsz[48] = "", n[32];
    struct stat sb;

    if (stat(file, &sb) == 0 && S_ISREG(sb.st_mode)) {
        storxml_format_size((unsigned long long)sb.st_size, n, sizeof(n));
        snprintf(fsz, sizeof(fsz), " (%s)", n);
    }
    if (v) {
        storxml_format_size(v->capacity, n, sizeof(n));
        snprintf(vsz, sizeof(vsz), " (%s)", n);
    }
    return xasprintf("vol-upload %s%s over volume '%s'%s? Its data is overwritten%s%s. [y/N]",
                     file, fsz, c->name, vsz, v && v->users ? "; it is a disk of " : "",
                     v && v->users ? v->users : "");
}

static const struct act_arg a_upload[] = {
    { .name = "vol", .type = ARG_VOLUME, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "volume name, or path" },
    { .name = "file", .type = ARG_FILE, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "the local file to send" },
    { .name = "pool", .type = ARG_POOL, .help = "the volume's pool" },
    { .name = "offset", .type = ARG_STRING,
      .help = "where in the volume to start writing (bytes)" },
    { .name = "length", .type = ARG_STRING, .help = "send at most this many bytes" },
    { .name = "sparse", .type = ARG_BOOL, .help = "skip the file's holes (sparse stream)" },
    { NULL },
};
static const struct act_arg a_download[] = {
    { .name = "vol", .type = ARG_VOLUME, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "volume name, or path" },
    { .name = "file", .type = ARG_FILE, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "the local file to write (a new one)" },
    { .name = "pool", .type = ARG_POOL, .help = "the volume's pool" },
    { .name = "offset", .type = ARG_STRING,
      .help = "where in the volume to start reading (bytes)" },
    { .name = "length", .type = ARG_STRING, .help = "read at most this many bytes" },
    { .name = "sparse", .type = ARG_BOOL,
      .help = "keep the volume's holes as holes (sparse stream)" },
    { NULL },
};
static const struct act_arg a_job[] = {
    { .name = "id", .type = ARG_STRING, .flags = ARG_POSITIONAL,
      .help = "job number (default: the selected or only job)" },
    { NULL },
};
static const struct act_arg a_none[] = { { NULL } };

const struct action act_volxfer_rows[] = {
    { .name = "vol-upload", .target = TARGET_VOLUME,
      .flags = ACT_MUTATES | ACT_DESTRUCTIVE | ACT_NEEDS_ACTIVE | ACT_VOL_UNUSED | ACT_VOL_NO_DEPENDENTS,
      .args = a_upload, .help = "Overwrite a volume with a local file's contents (a job)",
      .run = act_vol_upload, .done = xfer_start, .question = ask_upload },
    { .name = "vol-download", .target = TARGET_VOLUME, .flags = ACT_NEEDS_ACTIVE,
      .args = a_download, .help = "Copy a volume's contents to a new local file (a job)",
      .run = act_vol_download, .done = xfer_start },
    { .name = "jobs", .flags = ACT_UI | ACT_NO_VIRSH, .args = a_none, .ui = UIOP_JOBS,
      .help = "List the jobs (transfers) with their progress and how they ended" },
    { .name = "job-cancel", .flags = ACT_UI | ACT_NO_VIRSH, .args = a_job, .ui = UIOP_JOB_CANCEL,
      .help = "Stop a running job (a download's partial file is removed)" },
    { NULL },
};
