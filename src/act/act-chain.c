/* act-chain.c: the image graph of a host as libvirt reports it (worker
 * thread), for every path that writes, rewinds or removes a disk image:
 * snapshot delete and revert, blockcommit, blockpull, the clean-up after a
 * block job, vol-delete. What it reads: every domain's disk chains (live
 * XML of running domains, with their backing files, and the persistent
 * definition), every snapshot's record (the image an external snapshot
 * froze and its overlay, the image an internal one lives in), and every
 * volume of every active pool with its backing file (linked clones and
 * overlays of domains that are shut off). */
#include <autoconf.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libvirt/virterror.h>

#include "act.h"
#include "domxml.h"
#include "hmap.h"
#include "snapxml.h"
#include "storxml.h"

char **
act_disk_chain(virDomainPtr dom, const char *disk)
{
    char *xml = virDomainGetXMLDesc(dom, 0);
    struct dom_details *d = xml ? domxml_parse(xml, NULL) : NULL;
    char **v = NULL;

    free(xml);
    for (size_t i = 0; d && i < d->ndisks && !v; i++) {
        const struct dom_disk *k = &d->disks[i];

        if (k->target && STREQ(k->target, disk) && k->chain) {
            size_t n = 0;

            while (k->chain[n])
                n++;
            v = xcalloc(n + 1, sizeof(char *));
            for (size_t j = 0; j < n; j++)
                v[j] = xstrdup(k->chain[j]);
        }
    }
    domxml_free(d);
    virResetLastError();
    return v ? v : xcalloc(1, sizeof(char *));
}

static void
add_domain_xml(struct imgraph *g, const char *name, const char *xml, bool running)
{
    struct dom_details *d = xml ? domxml_parse(xml, NULL) : NULL;

    for (size_t i = 0; d && i < d->ndisks; i++) {
        const struct dom_disk *k = &d->disks[i];

        if (k->chain && k->chain[0] && k->target)
            imgraph_add_chain(g, name, k->target, running, k->chain);
    }
    domxml_free(d);
}

static void
add_snapshots(struct imgraph *g, virDomainPtr dom, const char *name)
{
    virDomainSnapshotPtr *snaps = NULL;
    int n = virDomainListAllSnapshots(dom, &snaps, 0);

    for (int i = 0; i < n; i++) {
        char *xml = virDomainSnapshotGetXMLDesc(snaps[i], 0);
        struct snap_info *si = xml ? snapxml_parse(xml, NULL) : NULL;

        for (size_t k = 0; si && k < si->ndisks; k++) {
            const struct snap_disk *sd = &si->disks[k];
            bool ext = sd->snapshot && STREQ(sd->snapshot, "external");

            if (sd->snapshot && STRNEQ(sd->snapshot, "external") &&
                STRNEQ(sd->snapshot, "internal"))
                continue;            /* no, manual: nothing of it in the images */
            if (!sd->snapshot && si->external)
                continue;
            imgraph_add_snapshot(g, name, si->name, sd->name, sd->image, ext);
            if (ext)
                imgraph_add_backing(g, sd->file, sd->image);
        }
        snapxml_free(si);
        free(xml);
        virDomainSnapshotFree(snaps[i]);
    }
    free(snaps);
}

static void
add_volumes(struct imgraph *g, virConnectPtr conn)
{
    virStoragePoolPtr *pools = NULL;
    int np = virConnectListAllStoragePools(conn, &pools, VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE);

    for (int i = 0; i < np; i++) {
        virStorageVolPtr *vols = NULL;
        int nv;

        /* a pool keeps what it saw at its last refresh: a block job or
         * another tool may have changed a backing file or made an overlay
         * since, and a missed overlay would make a write look safe */
        if (virStoragePoolRefresh(pools[i], 0) < 0)
            virResetLastError();
        nv = virStoragePoolListAllVolumes(pools[i], &vols, 0);

        for (int k = 0; k < nv; k++) {
            char *x = virStorageVolGetXMLDesc(vols[k], 0);
            struct vol_info *vi = x ? storxml_vol_parse(x, NULL) : NULL;

            if (vi && vi->path && vi->backing)
                imgraph_add_backing(g, vi->path, vi->backing);
            storxml_vol_free(vi);
            free(x);
            virStorageVolFree(vols[k]);
        }
        free(vols);
        virStoragePoolFree(pools[i]);
    }
    free(pools);
}

struct imgraph *
act_chain_read(virConnectPtr conn)
{
    struct imgraph *g = imgraph_new();
    virDomainPtr *doms = NULL;
    int n = virConnectListAllDomains(conn, &doms, 0);

    for (int i = 0; i < n; i++) {
        const char *name = virDomainGetName(doms[i]);
        bool running = virDomainIsActive(doms[i]) == 1;
        char *xml = virDomainGetXMLDesc(doms[i], 0);

        add_domain_xml(g, name, xml, running);
        free(xml);
        if (running && virDomainIsPersistent(doms[i]) == 1) {
            xml = virDomainGetXMLDesc(doms[i], VIR_DOMAIN_XML_INACTIVE);
            add_domain_xml(g, name, xml, false);
            free(xml);
        }
        add_snapshots(g, doms[i], name);
        virDomainFree(doms[i]);
    }
    free(doms);
    add_volumes(g, conn);
    virResetLastError();
    return g;
}

/* ---- what the volumes are backed by, kept between starts ----
 * start asks before every boot; reading each volume's XML each time costs a
 * call per volume. A pool's volume XML changes only when the pool is
 * refreshed or libvirt changes the volume, and each of those bumps the
 * host's storage epoch (a pool event, one of our writing actions, a job's
 * end, a reconnect): while the epoch holds, a volume whose key was read
 * before is not read again; a new key is read, a gone one forgotten. */

struct vol_backing {
    char *key;
    char *path, *backing;        /* backing NULL: none */
};

struct backing_cache {
    long epoch;
    struct hmap *by_key;         /* key -> struct vol_backing */
    struct vol_backing **v;
    size_t n;
};

static pthread_mutex_t caches_lock = PTHREAD_MUTEX_INITIALIZER;
static struct backing_cache **caches;   /* by host id; each used by its worker */
static size_t ncaches;

static void
vol_backing_free(struct vol_backing *b)
{
    free(b->key);
    free(b->path);
    free(b->backing);
    free(b);
}

/* Free the entries still in bc's map (the others moved on) and bc's own. */
static void
cache_release(struct backing_cache *bc)
{
    /* the map borrows the entries' keys: decide before freeing any */
    for (size_t i = 0; i < bc->n; i++) {
        if (hmap_get(bc->by_key, bc->v[i]->key) != bc->v[i])
            bc->v[i] = NULL;     /* moved on */
    }
    hmap_free(bc->by_key);
    for (size_t i = 0; i < bc->n; i++) {
        if (bc->v[i])
            vol_backing_free(bc->v[i]);
    }
    free(bc->v);
    bc->v = NULL;
    bc->n = 0;
    bc->by_key = NULL;
}

/* This worker's cache (NULL off a worker), emptied when the epoch moved. */
static struct backing_cache *
cache_get(void)
{
    long epoch;
    int id = host_worker_id(&epoch);
    struct backing_cache *bc;

    if (id < 0)
        return NULL;
    pthread_mutex_lock(&caches_lock);
    if ((size_t)id >= ncaches) {
        caches = xrealloc(caches, (id + 1) * sizeof(*caches));
        while (ncaches <= (size_t)id)
            caches[ncaches++] = NULL;
    }
    if (!caches[id])
        caches[id] = xcalloc(1, sizeof(**caches));
    bc = caches[id];
    pthread_mutex_unlock(&caches_lock);
    if (!bc->by_key || bc->epoch != epoch) {
        if (bc->by_key)
            cache_release(bc);
        bc->by_key = hmap_new();
        bc->epoch = epoch;
    }
    return bc;
}

/* The volume's backing, moved from the cache bc or read, into next (what
 * this pass saw). */
static const struct vol_backing *
vol_backing(struct backing_cache *bc, struct backing_cache *next, virStorageVolPtr vol)
{
    const char *key = virStorageVolGetKey(vol);
    struct vol_backing *b;
    struct vol_info *vi;
    char *x;

    if (!key)
        return NULL;
    if ((b = hmap_get(next->by_key, key)))
        return b;                    /* the same key twice */
    if ((b = hmap_get(bc->by_key, key))) {
        hmap_del(bc->by_key, key);
    } else {
        x = virStorageVolGetXMLDesc(vol, 0);
        vi = x ? storxml_vol_parse(x, NULL) : NULL;
        free(x);
        if (!vi) {
            virResetLastError();
            return NULL;
        }
        b = xcalloc(1, sizeof(*b));
        b->key = xstrdup(key);
        b->path = vi->path ? xstrdup(vi->path) : NULL;
        b->backing = vi->backing ? xstrdup(vi->backing) : NULL;
        storxml_vol_free(vi);
    }
    next->v = xrealloc(next->v, (next->n + 1) * sizeof(*next->v));
    next->v[next->n++] = b;
    hmap_put(next->by_key, b->key, b);
    return b;
}

/* add_volumes without a refresh, through this worker's cache. */
static void
add_volumes_cached(struct imgraph *g, virConnectPtr conn)
{
    struct backing_cache *bc = cache_get();
    struct backing_cache none = { .by_key = hmap_new() };
    struct backing_cache next = { .by_key = hmap_new() };
    virStoragePoolPtr *pools = NULL;
    int np = virConnectListAllStoragePools(conn, &pools, VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE);

    for (int i = 0; i < np; i++) {
        virStorageVolPtr *vols = NULL;
        int nv = virStoragePoolListAllVolumes(pools[i], &vols, 0);

        for (int k = 0; k < nv; k++) {
            const struct vol_backing *b = vol_backing(bc ? bc : &none, &next, vols[k]);

            if (b && b->path && b->backing)
                imgraph_add_backing(g, b->path, b->backing);
            virStorageVolFree(vols[k]);
        }
        free(vols);
        virStoragePoolFree(pools[i]);
    }
    free(pools);
    virResetLastError();
    cache_release(&none);
    if (bc && np >= 0) {
        /* what this pass did not see is gone: next is the cache now */
        next.epoch = bc->epoch;
        cache_release(bc);
        *bc = next;
    } else {
        cache_release(&next);
    }
}

char *
act_dependents_of(virConnectPtr conn, const char *path)
{
    struct imgraph *g;
    char *who;

    if (!path)
        return NULL;
    /* the pools' volumes as they last saw them: this runs before every
     * start of a domain, so no refresh, no domain or snapshot reads, and a
     * volume's XML only when the cache has not got it */
    g = imgraph_new();
    add_volumes_cached(g, conn);
    who = imgraph_names(g, path, IMDEP_OVERLAY);
    imgraph_free(g);
    virResetLastError();
    return who;
}

char *
act_chain_text(char *const *chain)
{
    char *s = xstrdup("");

    for (size_t i = 0; chain && chain[i]; i++) {
        char *t = xasprintf("%s%s%s", s, i ? " <- " : "", chain[i]);

        free(s);
        s = t;
    }
    return s;
}

/* ---- the plans: what a merge writes and removes, or why it must not ---- */

static int
index_of(char *const *chain, const char *path)
{
    for (int i = 0; path && chain[i]; i++) {
        if (STREQ(chain[i], path))
            return i;
    }
    return -1;
}

void
act_merge_free(struct act_merge *m)
{
    if (!m)
        return;
    util_strv_free(m->chain);
    free(m->top);
    free(m->base);
    free(m->written);
    free(m->removed);
    free(m->note);
    free(m);
}

struct act_merge *
act_merge_plan(virConnectPtr conn, virDomainPtr dom, const char *domname, const char *disk,
               bool pull, const char *top, const char *base, const char *snap, struct err *e)
{
    struct act_merge *m = xcalloc(1, sizeof(*m));
    struct imgraph *g = NULL;
    struct imcheck k;
    AUTOFREE char *why = NULL;
    AUTOFREE char *ct = NULL;
    int t, b;

    m->chain = act_disk_chain(dom, disk);
    m->pull = pull;
    ct = act_chain_text(m->chain);
    if (!m->chain[0]) {
        err_set(e, "Domain '%s' has no disk %s", domname, disk);
        goto fail;
    }
    if (!m->chain[1]) {
        err_set(e, "The disk %s of '%s' has no backing file: there is nothing to %s", disk,
                domname, pull ? "pull" : "commit");
        goto fail;
    }
    if (pull) {
        /* the active layer takes in everything down to base (exclusive) */
        t = 0;
        b = base ? index_of(m->chain, base) : -1;
        if (base && b <= 1) {
            err_set(e, "%s is not a backing file below %s in disk %s's chain (%s)", base,
                    m->chain[1], disk, ct);
            goto fail;
        }
    } else {
        t = top ? index_of(m->chain, top) : 0;
        if (t < 0) {
            err_set(e, "%s is not in disk %s's chain (%s)", top, disk,
                    ct);
            goto fail;
        }
        /* libvirt's default base is the bottom of the chain; ours is the
         * top's own backing file, and always named */
        b = base ? index_of(m->chain, base) : t + 1;
        if (b <= t || !m->chain[b]) {
            if (base)
                err_set(e, "%s is not below %s in disk %s's chain (%s)", base, m->chain[t],
                        disk, ct);
            else
                err_set(e, "%s has no backing file in disk %s's chain (%s)", m->chain[t],
                        disk, ct);
            goto fail;
        }
    }
    m->top = xstrdup(m->chain[t]);
    m->base = b > 0 ? xstrdup(m->chain[b]) : NULL;
    m->active = !pull && t == 0;
    g = act_chain_read(conn);
    k = (struct imcheck){ .dom = domname, .disk = disk, .snap = snap, .chain = m->chain };
    if (pull) {
        m->written = xstrdup(m->chain[0]);
        why = imgraph_pull_blockers(g, &k);
    } else {
        m->written = xstrdup(m->base);
        why = imgraph_commit_blockers(g, &k, m->base);
    }
    if (why) {
        err_set(e, "Refused: the %s of disk %s of '%s' would write %s, and %s; nothing was "
                "changed", pull ? "pull" : "commit", disk, domname, m->written, why);
        goto fail;
    }
    /* what leaves the chain: the merged layers (a commit: top and those
     * between it and base; a pull: those between the active layer and
     * base) */
    {
        AUTOFREE char *gone = xstrdup("");
        int from = pull ? 1 : t, to = pull ? (b > 0 ? b : 64) : b;

        for (int i = from; i < to && m->chain[i]; i++) {
            char *s = xasprintf("%s%s%s", gone, *gone ? ", " : "", m->chain[i]);

            free(gone);
            gone = s;
        }
        m->removed = xstrdup(gone);
    }
    m->note = pull ?
        xasprintf("%s takes in %s (written); it then stands %s%s.", m->written, m->removed,
                  m->base ? "on " : "alone", m->base ? m->base : "") :
        xasprintf("%s goes down into %s (written)%s.", m->removed, m->written,
                  m->active ? "; the disk then runs on it" : "");
    imgraph_free(g);
    return m;
 fail:
    imgraph_free(g);
    act_merge_free(m);
    return NULL;
}
