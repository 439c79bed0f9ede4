/* act-blockjob.c: blockcommit and blockpull on a running domain's disk, as
 * jobs. Every job runs a merge planned with the image graph (act-chain.c):
 * its base is always named (never libvirt's bottom-of-the-chain default)
 * and nothing else depends on the image it writes. The body starts it, follows it with
 * virDomainGetBlockJobInfo (progress: cur/end), pivots an active commit
 * once it has caught up, and on cancel aborts it (the disk stays as it
 * was: QEMU only switches at the pivot). When the job is gone the disk's
 * backing chain says whether it did its work: the merged layer must be out
 * of the chain. Only then are overlay files deleted (--delete). */
#include <autoconf.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libvirt/virterror.h>

#include "act.h"
#include "job.h"
#include "log.h"
#include "xml.h"

struct bj {
    int host;
    char uuid[UUID_LEN];
    char *name;              /* the domain's */
    char *disk;              /* target, "vda" */
    struct act_merge *m;     /* what it merges (base always named) */
    bool keep_overlay, delete_files;
    char *chain_before;      /* the chain when it began, "a <- b <- c" */
    char *snapshot;          /* after success, drop this snapshot's record */
};

static void
bj_free(struct bj *b)
{
    if (!b)
        return;
    free(b->name);
    free(b->disk);
    act_merge_free(b->m);
    free(b->chain_before);
    free(b->snapshot);
    free(b);
}

static void
nap(int ms)
{
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

    nanosleep(&ts, NULL);
}

static bool
in_chain(char **chain, const char *path)
{
    for (size_t i = 0; path && chain[i]; i++) {
        if (STREQ(chain[i], path))
            return true;
    }
    return false;
}

/* The volume at path; pools are refreshed once when none knows it (an
 * overlay made by a snapshot appears in its pool only then). */
virStorageVolPtr
act_vol_by_path(virConnectPtr conn, const char *path)
{
    virStorageVolPtr v = virStorageVolLookupByPath(conn, path);
    virStoragePoolPtr *pools = NULL;
    int n;

    if (v)
        return v;
    virResetLastError();
    n = virConnectListAllStoragePools(conn, &pools, VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE);
    for (int i = 0; i < n; i++) {
        if (virStoragePoolRefresh(pools[i], 0) < 0)
            virResetLastError();
        virStoragePoolFree(pools[i]);
    }
    free(pools);
    v = virStorageVolLookupByPath(conn, path);
    virResetLastError();
    return v;
}

/* Delete the files that left the chain (an overlay merged down, or a base
 * pulled up): only those a storage pool knows and nothing depends on now
 * (another branch, a linked clone, a snapshot that froze it), decided
 * with the image graph read after the job. */
static void
delete_gone(virConnectPtr conn, const struct bj *b, char **before, char **after)
{
    struct imgraph *g = act_chain_read(conn);
    struct imcheck k = { .dom = b->name, .disk = b->disk, .chain = after };

    for (size_t i = 0; before[i]; i++) {
        AUTOFREE char *why = NULL;
        virStorageVolPtr v;

        if (in_chain(after, before[i]))
            continue;
        if ((why = imgraph_remove_blockers(g, &k, before[i]))) {
            log_msg(LOG_INFO, "%s left the chain of %s of '%s' and stays: %s", before[i],
                    b->disk, b->name, why);
            continue;
        }
        if (!(v = act_vol_by_path(conn, before[i])))
            continue;
        if (virStorageVolDelete(v, 0) < 0)
            virResetLastError();
        virStorageVolFree(v);
    }
    imgraph_free(g);
    virResetLastError();
}

static int
bj_body(struct job_run *run, void *opaque, struct err *e)
{
    struct bj *b = opaque;
    const struct act_merge *m = b->m;
    virConnectPtr conn = host_conn_ref(b->host);
    virDomainPtr dom = conn ? virDomainLookupByUUIDString(conn, b->uuid) : NULL;
    char **before = NULL, **after = NULL;
    const char *gone;
    bool pivoted = false, aborted = false;
    long long end = 0;
    int rc = 0, waited = 0;

    if (!dom) {
        rc = err_virt(e, "Failed to find domain '%s'", b->name);
        goto out;
    }
    before = act_disk_chain(dom, b->disk);
    /* the chain must be the one planned: a layer merged or added since
     * would change which image the job writes */
    {
        AUTOFREE char *now = act_chain_text(before);

        if (STRNEQ(now, b->chain_before)) {
            rc = err_set(e, "The chain of %s of '%s' changed since the block %s was planned "
                         "(it is %s, it was %s); nothing was started", b->disk, b->name,
                         m->pull ? "pull" : "commit", now, b->chain_before);
            goto out;
        }
    }
    if (m->pull)
        rc = m->base ? virDomainBlockRebase(dom, b->disk, m->base, 0, 0)
                     : virDomainBlockPull(dom, b->disk, 0, 0);
    else
        rc = virDomainBlockCommit(dom, b->disk, m->base, m->top, 0,
                                  m->active ? VIR_DOMAIN_BLOCK_COMMIT_ACTIVE : 0);
    if (rc < 0) {
        err_virt(e, "Failed to start the block %s of %s on '%s'", m->pull ? "pull" : "commit",
                 b->disk, b->name);
        goto out;
    }
    for (;;) {
        virDomainBlockJobInfo info;
        int r = virDomainGetBlockJobInfo(dom, b->disk, &info, 0);

        if (r <= 0) {
            virResetLastError();
            break;                   /* finished (or failed: the chain tells) */
        }
        if (info.end) {
            end = (long long)info.end;
            job_set_total(run, (long long)info.end);
            job_progress(run, (long long)info.cur);
        }
        if (job_cancelled(run) && !aborted) {
            if (virDomainBlockJobAbort(dom, b->disk, 0) < 0)
                virResetLastError();
            aborted = true;
        }
        /* an active commit waits at 100% for its pivot */
        if (m->active && !aborted && !pivoted && info.end && info.cur == info.end) {
            if (virDomainBlockJobAbort(dom, b->disk, b->keep_overlay ? 0
                                       : VIR_DOMAIN_BLOCK_JOB_ABORT_PIVOT) == 0)
                pivoted = true;
            virResetLastError();
        }
        nap(200);
        if ((waited += 200) > 24 * 3600 * 1000)
            break;
    }
    after = act_disk_chain(dom, b->disk);
    if (aborted) {
        rc = -1;                     /* cancelled: the disk is as it was */
        goto out;
    }
    /* the layer the job merged away must be out of the chain */
    gone = m->pull ? before[1] : m->top;
    if (m->active && b->keep_overlay)
        gone = NULL;
    if (gone && in_chain(after, gone)) {
        AUTOFREE char *now = act_chain_text(after);

        rc = err_set(e, "The block %s of %s on '%s' did not finish: the chain is still %s "
                     "(was %s); nothing was deleted", m->pull ? "pull" : "commit", b->disk,
                     b->name, now, b->chain_before);
        goto out;
    }
    /* the record first: the files it froze are ours to delete only once
     * it no longer names them */
    if (b->snapshot) {
        virDomainSnapshotPtr s = virDomainSnapshotLookupByName(dom, b->snapshot, 0);

        if (!s || virDomainSnapshotDelete(s, VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY) < 0)
            err_virt(e, "The overlay is merged, but the record of snapshot '%s' could not be "
                     "dropped (snapshot-delete --metadata)", b->snapshot);
        if (s)
            virDomainSnapshotFree(s);
        if (e->msg[0]) {
            rc = -1;
            goto out;
        }
    }
    if (b->delete_files)
        delete_gone(conn, b, before, after);
    job_progress(run, end);
    rc = 0;
 out:
    if (before)
        util_strv_free(before);
    if (after)
        util_strv_free(after);
    if (dom)
        virDomainFree(dom);
    if (conn)
        virConnectClose(conn);
    return rc;
}

static void
bj_end(const struct job *j, void *opaque)
{
    struct bj *b = opaque;

    host_refresh_domain(b->host, b->uuid, true);
    host_load_pools(b->host);
    /* an external snapshot's delete dropped its record at the end of the
     * job, long after the command's own re-read: libvirt has no snapshot
     * events, so read them again */
    if (b->snapshot)
        host_refresh_snapshots(b->host, b->uuid);
    bj_free(b);
}

int
act_blockjob_prepare(struct act_call *c, const char *disk, struct act_merge *m,
                     const char *snapshot)
{
    struct bj *b = xcalloc(1, sizeof(*b));

    b->host = c->host;
    snprintf(b->uuid, sizeof(b->uuid), "%s", c->uuid);
    b->name = xstrdup(c->name);
    b->disk = xstrdup(disk);
    b->m = m;
    b->keep_overlay = action_arg(c, "keep-overlay") != NULL;
    b->delete_files = snapshot || action_arg(c, "delete") != NULL;
    b->snapshot = xstrdup(snapshot);
    b->chain_before = act_chain_text(m->chain);
    c->data = b;
    c->result = snapshot ? xasprintf("Deleting external snapshot '%s' of '%s': block %s of %s "
                                     "started (chain %s): %s", snapshot, c->name,
                                     m->pull ? "pull" : "commit", disk, b->chain_before,
                                     m->note)
                         : xasprintf("Block %s of %s on '%s' started (chain %s): %s",
                                     m->pull ? "pull" : "commit", disk, c->name,
                                     b->chain_before, m->note);
    return 0;
}

/* The merge a blockcommit/blockpull line asks for, checked (worker). */
static struct act_merge *
bj_plan(struct act_call *c, virConnectPtr conn, bool pull)
{
    virDomainPtr dom = act_domain_lookup(c, conn);
    struct act_merge *m;

    if (!dom)
        return NULL;
    m = act_merge_plan(conn, dom, c->name, action_arg(c, "path"), pull, action_arg(c, "top"),
                       action_arg(c, "base"), NULL, &c->r.err);
    virDomainFree(dom);
    if (m && !pull && action_arg(c, "active") && !m->active) {
        err_set(&c->r.err, "--active commits the active layer, but --top names %s", m->top);
        act_merge_free(m);
        return NULL;
    }
    return m;
}

/* The question: what is written and what goes. */
static int
bj_ask(struct act_call *c, virConnectPtr conn, bool pull)
{
    struct act_merge *m = bj_plan(c, conn, pull);

    if (!m)
        return -1;
    c->ask = xasprintf("%s %s %s\n%s %s %s? [y/N]", m->note,
                       action_arg(c, "delete") ? "Then deleted (unless something else uses "
                                                 "them):" : "They stay on disk:",
                       m->removed, pull ? "blockpull" : "blockcommit", c->name,
                       action_arg(c, "path"));
    act_merge_free(m);
    return 0;
}

static int
plan_commit(struct act_call *c, virConnectPtr conn)
{
    return bj_ask(c, conn, false);
}

static int
plan_pull(struct act_call *c, virConnectPtr conn)
{
    return bj_ask(c, conn, true);
}

void
act_blockjob_start(struct act_call *c)
{
    struct bj *b = c->data;
    AUTOFREE char *title = NULL;
    AUTOFREE char *ok = NULL;
    struct job_spec spec;
    struct err e;

    if (!b)
        return;
    c->data = NULL;
    title = xasprintf("%s %s %s", b->m->pull ? "blockpull" : "blockcommit", b->name, b->disk);
    ok = b->snapshot ?
        xasprintf("External snapshot '%s' of '%s' deleted: its overlay %s by block %s",
                  b->snapshot, b->name, b->m->pull ? "took in its base" : "merged into its base",
                  b->m->pull ? "pull" : "commit") :
        xasprintf("Block %s of %s on '%s' done%s", b->m->pull ? "pull" : "commit",
                  b->disk, b->name, b->m->active && !b->keep_overlay ? ", pivoted to the base"
                                                                      : "");
    spec = (struct job_spec){ .host = b->host, .title = title, .total = -1, .body = bj_body,
                              .opaque = b, .done_text = ok, .end = bj_end };
    if (job_start(0, &spec, &e) < 0)
        log_msg(LOG_ERROR, "%s", e.msg);
}

/* The plan again with what the host says now (the question may have
 * waited); the job starts on the loop (done hook). */
static int
bj_run(struct act_call *c, virConnectPtr conn, bool pull)
{
    struct act_merge *m = bj_plan(c, conn, pull);

    return m ? act_blockjob_prepare(c, action_arg(c, "path"), m, NULL) : -1;
}

static int
act_blockcommit(struct act_call *c, virConnectPtr conn)
{
    return bj_run(c, conn, false);
}

static int
act_blockpull(struct act_call *c, virConnectPtr conn)
{
    return bj_run(c, conn, true);
}

static const struct act_arg a_commit[] = {
    { .name = "domain", .type = ARG_DOMAIN, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "a running domain" },
    { .name = "path", .type = ARG_STRING, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "the disk (target, like vda)" },
    { .name = "base", .type = ARG_STRING,
      .help = "merge into this file (default: the top's backing file)" },
    { .name = "top", .type = ARG_STRING, .help = "merge this layer (default: the active one)" },
    { .name = "active", .type = ARG_BOOL,
      .help = "commit the active layer (pivots to the base)" },
    { .name = "keep-overlay", .type = ARG_BOOL, .flags = ARG_VIRTMUX,
      .help = "an active commit stays on the overlay" },
    { .name = "delete", .type = ARG_BOOL, .help = "delete the merged files after success" },
    { NULL },
};
static const struct act_arg a_pull[] = {
    { .name = "domain", .type = ARG_DOMAIN, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "a running domain" },
    { .name = "path", .type = ARG_STRING, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "the disk (target, like vda)" },
    { .name = "base", .type = ARG_STRING,
      .help = "pull down to this file (default: everything)" },
    { .name = "delete", .type = ARG_BOOL, .flags = ARG_VIRTMUX,
      .help = "delete the files pulled in after success" },
    { NULL },
};

const struct action act_blockjob_rows[] = {
    { .name = "blockcommit", .target = TARGET_DOMAIN, .flags = ACT_MUTATES | ACT_NEEDS_ACTIVE,
      .args = a_commit,
      .help = "Merge a disk's overlay into its base as a job (active layer: pivot)",
      .run = act_blockcommit, .done = act_blockjob_start, .plan = plan_commit },
    { .name = "blockpull", .target = TARGET_DOMAIN, .flags = ACT_MUTATES | ACT_NEEDS_ACTIVE,
      .args = a_pull, .help = "Pull a disk's backing files into it as a job",
      .run = act_blockpull, .done = act_blockjob_start, .plan = plan_pull },
    { NULL },
};
