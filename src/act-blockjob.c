/* act-blockjob.c: blockcommit and blockpull on a running domain's disk, as
 * jobs. The body starts the block job, follows it with
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

#include "action.h"
#include "job.h"
#include "log.h"
#include "xml.h"

struct bj {
    int host;
    char uuid[UUID_LEN];
    char *name;              /* the domain's */
    char *disk;              /* target, "vda" */
    char *base, *top;        /* NULL: libvirt's defaults */
    bool pull, active, keep_overlay, delete_files;
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
    free(b->base);
    free(b->top);
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

/* The disk's chain as libvirt reports it: the active file, then each
 * backing file (NULL-terminated; caller frees). */
char **
act_disk_chain(virDomainPtr dom, const char *disk)
{
    char *xml = virDomainGetXMLDesc(dom, 0);
    xmlDocPtr doc = xml ? xml_parse(xml, "domain XML", NULL) : NULL;
    char **v = xcalloc(66, sizeof(char *));
    size_t n = 0;

    free(xml);
    if (doc && !strchr(disk, '\'')) {
        xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
        AUTOFREE char *q = xasprintf("./devices/disk[target/@dev='%s']", disk);
        xmlXPathObjectPtr o = xml_nodes(ctx, xmlDocGetRootElement(doc), q);
        xmlNodePtr node = o && o->nodesetval && o->nodesetval->nodeNr ?
                          o->nodesetval->nodeTab[0] : NULL;

        while (node && n < 64) {
            char *f = xml_str(ctx, node, "string(./source/@file)");
            xmlXPathObjectPtr b;

            if (!f)
                f = xml_str(ctx, node, "string(./source/@dev)");
            if (!f)
                break;
            v[n++] = f;
            b = xml_nodes(ctx, node, "./backingStore[source]");
            node = b && b->nodesetval && b->nodesetval->nodeNr ? b->nodesetval->nodeTab[0]
                                                                : NULL;
            xmlXPathFreeObject(b);
        }
        xmlXPathFreeObject(o);
        xmlXPathFreeContext(ctx);
    }
    if (doc)
        xmlFreeDoc(doc);
    virResetLastError();
    return v;
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

static char *
chain_text(char **chain)
{
    char *s = xstrdup("");

    for (size_t i = 0; chain[i]; i++) {
        char *t = xasprintf("%s%s%s", s, i ? " <- " : "", chain[i]);

        free(s);
        s = t;
    }
    return s;
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

/* A disk with path in its chain. */
static bool
chain_has(const struct dom_disk *k, const char *path)
{
    return (k->source && STREQ(k->source, path)) || (k->backing && strstr(k->backing, path));
}

/* Delete files that left the chain (an overlay merged down, or a base
 * pulled up): only those the storage pools know and nothing else uses. */
static void
delete_gone(virConnectPtr conn, const char *uuid, char **before, char **after)
{
    for (size_t i = 0; before[i]; i++) {
        virStorageVolPtr v;
        AUTOFREE char *deps = NULL;
        AUTOFREE char *other = NULL;

        if (in_chain(after, before[i]) ||
            (other = act_disk_users(conn, chain_has, before[i], uuid, NULL)) ||
            (deps = act_dependents_of(conn, before[i])) ||
            !(v = act_vol_by_path(conn, before[i])))
            continue;
        if (virStorageVolDelete(v, 0) < 0)
            virResetLastError();
        virStorageVolFree(v);
    }
    virResetLastError();
}

static int
bj_body(struct job_run *run, void *opaque, struct err *e)
{
    struct bj *b = opaque;
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
    if (b->pull)
        rc = b->base ? virDomainBlockRebase(dom, b->disk, b->base, 0, 0)
                     : virDomainBlockPull(dom, b->disk, 0, 0);
    else
        rc = virDomainBlockCommit(dom, b->disk, b->base, b->top, 0,
                                  b->active ? VIR_DOMAIN_BLOCK_COMMIT_ACTIVE : 0);
    if (rc < 0) {
        err_virt(e, "Failed to start the block %s of %s on '%s'", b->pull ? "pull" : "commit",
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
        if (b->active && !aborted && !pivoted && info.end && info.cur == info.end) {
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
    gone = b->pull ? (before[1] && (!b->base || STRNEQ(before[1], b->base)) ? before[1] : NULL)
                   : b->active ? before[0] : (b->top ? b->top : before[0]);
    if (b->active && b->keep_overlay)
        gone = NULL;
    if (gone && in_chain(after, gone)) {
        AUTOFREE char *was = chain_text(before);
        AUTOFREE char *now = chain_text(after);

        rc = err_set(e, "The block %s of %s on '%s' did not finish: the chain is still %s "
                     "(was %s); nothing was deleted", b->pull ? "pull" : "commit", b->disk,
                     b->name, now, was);
        goto out;
    }
    if (b->delete_files)
        delete_gone(conn, b->uuid, before, after);
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
act_blockjob_prepare(struct act_call *c, virConnectPtr conn, virDomainPtr dom,
                     const char *disk, bool pull, const char *base, const char *top,
                     bool active, const char *snapshot)
{
    struct bj *b;
    char **chain = act_disk_chain(dom, disk);

    if (!chain[0]) {
        util_strv_free(chain);
        return err_set(&c->r.err, "Domain '%s' has no disk %s", c->name, disk);
    }
    if (!chain[1]) {
        util_strv_free(chain);
        return err_set(&c->r.err, "The disk %s of '%s' has no backing file: there is nothing "
                       "to %s", disk, c->name, pull ? "pull" : "commit");
    }
    b = xcalloc(1, sizeof(*b));
    b->host = c->host;
    snprintf(b->uuid, sizeof(b->uuid), "%s", c->uuid);
    b->name = xstrdup(c->name);
    b->disk = xstrdup(disk);
    b->base = xstrdup(base);
    b->top = xstrdup(top);
    b->pull = pull;
    /* committing the active layer needs an active commit and a pivot */
    b->active = !pull && (active || !b->top || STREQ(b->top, chain[0]));
    b->keep_overlay = action_arg(c, "keep-overlay") != NULL;
    b->delete_files = snapshot || action_arg(c, "delete") != NULL;
    b->snapshot = xstrdup(snapshot);
    b->chain_before = chain_text(chain);
    util_strv_free(chain);
    c->data = b;
    c->result = snapshot ? xasprintf("Deleting external snapshot '%s' of '%s': block %s of %s "
                                     "started (chain %s)", snapshot, c->name,
                                     pull ? "pull" : "commit", disk, b->chain_before)
                         : xasprintf("Block %s of %s on '%s' started (chain %s)",
                                     pull ? "pull" : "commit", disk, c->name, b->chain_before);
    return 0;
}

/* Checks on the worker; the job starts on the loop (done hook). */
static int
bj_prepare(struct act_call *c, virConnectPtr conn, bool pull)
{
    virDomainPtr dom = act_domain_lookup(c, conn);
    int rc;

    if (!dom)
        return -1;
    rc = act_blockjob_prepare(c, conn, dom, action_arg(c, "path"), pull, action_arg(c, "base"),
                              action_arg(c, "top"), action_arg(c, "active") != NULL, NULL);
    virDomainFree(dom);
    return rc;
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
    title = xasprintf("%s %s %s", b->pull ? "blockpull" : "blockcommit", b->name, b->disk);
    ok = b->snapshot ?
        xasprintf("External snapshot '%s' of '%s' deleted: its overlay %s by block %s",
                  b->snapshot, b->name, b->pull ? "took in its base" : "merged into its base",
                  b->pull ? "pull" : "commit") :
        xasprintf("Block %s of %s on '%s' done%s", b->pull ? "pull" : "commit",
                  b->disk, b->name, b->active && !b->keep_overlay ? ", pivoted to the base" : "");
    spec = (struct job_spec){ .host = b->host, .title = title, .total = -1, .body = bj_body,
                              .opaque = b, .done_text = ok, .end = bj_end };
    if (job_start(0, &spec, &e) < 0)
        log_msg(LOG_ERROR, "%s", e.msg);
}

static int
act_blockcommit(struct act_call *c, virConnectPtr conn)
{
    return bj_prepare(c, conn, false);
}

static int
act_blockpull(struct act_call *c, virConnectPtr conn)
{
    return bj_prepare(c, conn, true);
}

static const struct act_arg a_commit[] = {
    { "domain", ARG_DOMAIN, ARG_REQUIRED | ARG_POSITIONAL, "a running domain" },
    { "path", ARG_STRING, ARG_REQUIRED | ARG_POSITIONAL, "the disk (target, like vda)" },
    { "base", ARG_STRING, 0, "merge into this file (default: the top's backing file)" },
    { "top", ARG_STRING, 0, "merge this layer (default: the active one)" },
    { "active", ARG_BOOL, 0, "commit the active layer (pivots to the base)" },
    { "keep-overlay", ARG_BOOL, ARG_VIRTMUX, "an active commit stays on the overlay" },
    { "delete", ARG_BOOL, 0, "delete the merged files after success" },
    { NULL, 0, 0, NULL },
};
static const struct act_arg a_pull[] = {
    { "domain", ARG_DOMAIN, ARG_REQUIRED | ARG_POSITIONAL, "a running domain" },
    { "path", ARG_STRING, ARG_REQUIRED | ARG_POSITIONAL, "the disk (target, like vda)" },
    { "base", ARG_STRING, 0, "pull down to this file (default: everything)" },
    { "delete", ARG_BOOL, ARG_VIRTMUX, "delete the files pulled in after success" },
    { NULL, 0, 0, NULL },
};

const struct action act_blockjob_rows[] = {
    { "blockcommit", TARGET_DOMAIN, ACT_MUTATES | ACT_NEEDS_ACTIVE, a_commit,
      "Merge a disk's overlay into its base as a job (active layer: pivot)",
      act_blockcommit, act_blockjob_start },
    { "blockpull", TARGET_DOMAIN, ACT_MUTATES | ACT_NEEDS_ACTIVE, a_pull,
      "Pull a disk's backing files into it as a job", act_blockpull, act_blockjob_start },
    { NULL, 0, 0, NULL, NULL, NULL, NULL, NULL },
};
