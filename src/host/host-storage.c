/* host-storage.c: the storage pools of a host and their volumes, read on
 * its worker. Pools come after the domains (not part of the first frame);
 * volumes are read once the storage view has been opened, with, for each
 * volume, the domains that have it as a disk and the volumes backed by it
 * (both need every domain's XML, so they are read only then). Pool
 * lifecycle and refresh events re-read one pool. */
#include <autoconf.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libvirt/virterror.h>

#include "host-priv.h"

struct pools_req {
    struct req r;
    struct m_pool **list;
    size_t n;
    bool vols;
    char uuid[UUID_LEN];     /* one pool, or empty for all */
    bool gone;
    bool coalesced;          /* the read reread_users queued */
};

/* Which domains use a path: "name (running)" joined by ", ". */
struct user {
    char *path;
    char *name;
    const char *doing;       /* " (running)", " (paused)" ... or "" */
    bool running;            /* active: it holds the image open */
};

static struct user *
read_users(virConnectPtr conn, size_t *nu)
{
    virDomainPtr *doms = NULL;
    int n = virConnectListAllDomains(conn, &doms, 0);
    struct user *u = NULL;

    *nu = 0;
    for (int d = 0; d < n; d++) {
        char *xml = virDomainGetXMLDesc(doms[d], 0);
        struct dom_details *dd = xml ? domxml_parse(xml, NULL) : NULL;
        bool running;
        const char *doing = host_dom_activity(doms[d], &running);

        for (size_t k = 0; dd && k < dd->ndisks; k++) {
            if (!dd->disks[k].source)
                continue;
            u = xreallocarray(u, *nu + 1, sizeof(*u));
            u[*nu].path = xstrdup(dd->disks[k].source);
            u[*nu].name = xstrdup(virDomainGetName(doms[d]));
            u[*nu].doing = doing;
            u[(*nu)++].running = running;
        }
        domxml_free(dd);
        free(xml);
        virDomainFree(doms[d]);
    }
    free(doms);
    virResetLastError();
    return u;
}

static char *
join(char *list, const char *item)
{
    char *n = list ? xasprintf("%s, %s", list, item) : xstrdup(item);

    free(list);
    return n;
}

static void
fill_vol(struct m_vol *v, virStorageVolPtr vol)
{
    char *xml = virStorageVolGetXMLDesc(vol, 0);
    struct vol_info *vi = xml ? storxml_vol_parse(xml, NULL) : NULL;
    virStorageVolInfo info;

    v->name = xstrdup(virStorageVolGetName(vol));
    v->key = xstrdup(virStorageVolGetKey(vol));
    v->path = virStorageVolGetPath(vol);
    if (virStorageVolGetInfo(vol, &info) == 0) {
        v->capacity = info.capacity;
        v->allocation = info.allocation;
    }
    if (vi) {
        v->format = vi->format;
        v->backing = vi->backing;
        v->backing_format = vi->backing_format;
        vi->format = vi->backing = vi->backing_format = NULL;
        if (!v->path) {
            v->path = vi->path;
            vi->path = NULL;
        }
    }
    storxml_vol_free(vi);
    free(xml);
    virResetLastError();
}

static void
read_vols(virStoragePoolPtr pool, struct m_pool *p, const struct user *u, size_t nu)
{
    virStorageVolPtr *vols = NULL;
    int n;

    if (!p->active) {
        p->nvols = 0;
        return;
    }
    if ((n = virStoragePoolListAllVolumes(pool, &vols, 0)) < 0) {
        virErrorPtr e = virGetLastError();

        p->vols_err = xasprintf("Failed to list the volumes of pool '%s': %s", p->name,
                                e && e->message ? e->message : "unknown error");
        p->nvols = 0;
        virResetLastError();
        return;
    }
    p->vols = xcalloc((size_t)n + 1, sizeof(*p->vols));
    p->nvols = n;
    for (int i = 0; i < n; i++) {
        struct m_vol *v = &p->vols[i];

        fill_vol(v, vols[i]);
        for (size_t k = 0; v->path && k < nu; k++) {
            if (STREQ(u[k].path, v->path)) {
                AUTOFREE char *who = xasprintf("%s%s", u[k].name, u[k].doing);

                v->users = join(v->users, who);
                v->used_running |= u[k].running;
            }
        }
        virStorageVolFree(vols[i]);
    }
    free(vols);
}

/* Volumes backed by each volume, across the host's pools. */
static void
link_dependents(struct m_pool **list, size_t n)
{
    for (size_t a = 0; a < n; a++) {
        for (int i = 0; i < list[a]->nvols; i++) {
            struct m_vol *top = &list[a]->vols[i];

            for (size_t b = 0; top->backing && b < n; b++) {
                for (int k = 0; k < list[b]->nvols; k++) {
                    struct m_vol *base = &list[b]->vols[k];

                    if (base->path && STREQ(base->path, top->backing))
                        base->dependents = join(base->dependents, top->name);
                }
            }
        }
    }
}

static struct m_pool *
pool_record(int host, virStoragePoolPtr pool)
{
    char uuid[VIR_UUID_STRING_BUFLEN];
    virStoragePoolInfo info;
    struct m_pool *p;
    char *xml;
    int flag;

    if (virStoragePoolGetUUIDString(pool, uuid) < 0)
        return NULL;
    p = model_pool_new(host, uuid, virStoragePoolGetName(pool));
    p->active = virStoragePoolIsActive(pool) == 1;
    p->persistent = virStoragePoolIsPersistent(pool) == 1;
    if (virStoragePoolGetAutostart(pool, &flag) == 0)
        p->autostart = flag;
    if (virStoragePoolGetInfo(pool, &info) == 0) {
        p->state = info.state;
        p->capacity = info.capacity;
        p->allocation = info.allocation;
        p->available = info.available;
    }
    if ((xml = virStoragePoolGetXMLDesc(pool, 0))) {
        p->info = storxml_pool_parse(xml, NULL);
        free(xml);
    }
    virResetLastError();
    return p;
}

static void
free_users(struct user *u, size_t nu)
{
    for (size_t k = 0; k < nu; k++) {
        free(u[k].path);
        free(u[k].name);
    }
    free(u);
}

static int
pools_work(struct req *r, virConnectPtr conn)
{
    struct pools_req *pr = (struct pools_req *)r;
    virStoragePoolPtr *pools = NULL;
    struct user *u = NULL;
    size_t nu = 0;
    int n;

    if (pr->uuid[0]) {
        virStoragePoolPtr one = virStoragePoolLookupByUUIDString(conn, pr->uuid);

        if (!one) {
            virErrorPtr e = virGetLastError();

            if (e && e->code == VIR_ERR_NO_STORAGE_POOL) {
                pr->gone = true;
                virResetLastError();
                return 0;
            }
            return err_virt(&r->err, "Failed to look up pool %s", pr->uuid);
        }
        pools = xcalloc(1, sizeof(*pools));
        pools[0] = one;
        n = 1;
    } else if ((n = virConnectListAllStoragePools(conn, &pools, 0)) < 0) {
        return err_virt(&r->err, "Failed to list the storage pools");
    }
    if (pr->vols)
        u = read_users(conn, &nu);
    pr->list = xcalloc((size_t)n + 1, sizeof(*pr->list));
    for (int i = 0; i < n; i++) {
        struct m_pool *m = pool_record(r->host, pools[i]);

        if (m && pr->vols)
            read_vols(pools[i], m, u, nu);
        if (m)
            pr->list[pr->n++] = m;
        virStoragePoolFree(pools[i]);
    }
    free(pools);
    free_users(u, nu);
    if (pr->vols && !pr->uuid[0])
        link_dependents(pr->list, pr->n);
    return 0;
}

static void
pools_done(struct req *r)
{
    struct pools_req *pr = (struct pools_req *)r;
    struct host *h = host_get(r->host);

    if (h && pr->coalesced)
        h->vols_queued = false;
    if (r->rc == 0 && pr->gone) {
        model_pool_remove(r->host, pr->uuid);
    } else if (r->rc == 0 && pr->uuid[0] && pr->n) {
        model_pool_put(pr->list[0]);
        pr->list[0] = NULL;
    } else if (r->rc == 0 && !pr->uuid[0]) {
        model_pools_replace(r->host, pr->list, pr->n);
        pr->list = NULL;
    }
    for (size_t i = 0; pr->list && i < pr->n; i++)
        model_pool_free(pr->list[i]);
    free(pr->list);
    free(pr);
}

static void
submit(int host, const char *uuid, bool vols, bool coalesced)
{
    struct pools_req *pr = xcalloc(1, sizeof(*pr));

    pr->r = (struct req){ .what = uuid ? "pool" : "pools", .host = host,
                          .work = pools_work, .done = pools_done };
    pr->vols = vols;
    pr->coalesced = coalesced;
    if (uuid)
        snprintf(pr->uuid, sizeof(pr->uuid), "%s", uuid);
    host_submit(&pr->r);
}

/* A domain started, stopped, was defined or went: once volumes are shown,
 * re-read them (one read for a burst of events). */
static void
reread_users(int host)
{
    struct host *h = host_get(host);

    if (!h || !h->want_vols || h->vols_queued)
        return;
    h->vols_queued = true;
    submit(host, NULL, true, true);
}

static bool
vols_wanted(int host)
{
    struct host *h = host_get(host);

    return h && h->want_vols;
}

void
host_load_pools(int host)
{
    submit(host, NULL, vols_wanted(host), false);
}

void
host_load_volumes(int host)
{
    struct host *h = host_get(host);

    if (h)
        h->want_vols = true;
    submit(host, NULL, true, false);
}

void
host_storage_showing(int host, bool showing)
{
    struct host *h = host_get(host);

    if (h)
        h->want_vols = showing;
}

void
host_refresh_pool(int host, const char *uuid)
{
    /* a pool's volumes change who depends on whom across pools: re-read
     * the whole host when volumes are shown (a handful of pools) */
    if (vols_wanted(host))
        submit(host, NULL, true, false);
    else
        submit(host, uuid, false, false);
}

static void
on_pool_event(virConnectPtr conn, virStoragePoolPtr pool, void *opaque)
{
    struct host *h = opaque;
    char uuid[VIR_UUID_STRING_BUFLEN];

    host_storage_touch(h->id);
    if (virStoragePoolGetUUIDString(pool, uuid) == 0)
        host_refresh_pool(h->id, uuid);
}

static int
on_pool_lifecycle(virConnectPtr conn, virStoragePoolPtr pool, int event, int detail,
                  void *opaque)
{
    on_pool_event(conn, pool, opaque);
    return 0;
}

static void
events_on(virConnectPtr conn, struct host *h)
{
    h->pool_event_id = virConnectStoragePoolEventRegisterAny(
        conn, NULL, VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE,
        VIR_STORAGE_POOL_EVENT_CALLBACK(on_pool_lifecycle), h, NULL);
    h->pool_refresh_id = virConnectStoragePoolEventRegisterAny(
        conn, NULL, VIR_STORAGE_POOL_EVENT_ID_REFRESH,
        VIR_STORAGE_POOL_EVENT_CALLBACK(on_pool_event), h, NULL);
    virResetLastError();
}

static void
events_off(virConnectPtr conn, struct host *h)
{
    if (h->pool_event_id >= 0)
        virConnectStoragePoolEventDeregisterAny(conn, h->pool_event_id);
    if (h->pool_refresh_id >= 0)
        virConnectStoragePoolEventDeregisterAny(conn, h->pool_refresh_id);
    h->pool_event_id = h->pool_refresh_id = -1;
    virResetLastError();
}

static void
up(struct host *h)
{
    host_load_pools(h->id);
}

/* which volumes running domains use changes with their state */
static void
domain_changed(int host, const char *uuid, bool state_only)
{
    reread_users(host);
}

const struct host_family host_storage_family = {
    .name = "storage", .events_on = events_on, .events_off = events_off, .up = up,
    .domain_changed = domain_changed,
};
