/* host-snapshot.c: a domain's snapshots, read on its host's worker.
 * libvirt has no snapshot events, so the reads come from virtmux itself:
 * every domain's count (virDomainSnapshotNum) after the domain list
 * arrives, not in the first frame; a domain's whole list (each
 * snapshot's XML, parsed by snapxml, and whether it is the current one)
 * when the snapshots view shows it; and again after each snapshot action,
 * each lifecycle event of the domain (a revert by another tool shows as
 * one) and each `refresh` -- the list for domains whose list was read,
 * the count for the others. */
#include <autoconf.h>

#include <stdio.h>
#include <stdlib.h>
#include <libvirt/virterror.h>

#include "host-priv.h"

struct snaps_req {
    struct req r;
    char uuid[UUID_LEN];
    bool list;               /* the whole list, else the count only */
    bool gone;
    int count;
    struct snap_info **v;
    int n;
    char *err;
};

/* One snapshot's record: its XML parsed, or at least its name. */
static struct snap_info *
read_one(virDomainSnapshotPtr snap)
{
    char *xml = virDomainSnapshotGetXMLDesc(snap, 0);
    struct snap_info *s = xml ? snapxml_parse(xml, NULL) : NULL;

    free(xml);
    if (!s) {
        virDomainSnapshotPtr parent = virDomainSnapshotGetParent(snap, 0);

        s = xcalloc(1, sizeof(*s));
        s->name = xstrdup(virDomainSnapshotGetName(snap));
        if (parent) {
            s->parent = xstrdup(virDomainSnapshotGetName(parent));
            virDomainSnapshotFree(parent);
        }
    }
    s->current = virDomainSnapshotIsCurrent(snap, 0) == 1;
    virResetLastError();
    return s;
}

static int
snaps_work(struct req *r, virConnectPtr conn)
{
    struct snaps_req *sr = (struct snaps_req *)r;
    virDomainPtr dom = virDomainLookupByUUIDString(conn, sr->uuid);
    virDomainSnapshotPtr *snaps = NULL;
    int n;

    if (!dom) {
        virErrorPtr e = virGetLastError();

        if (e && e->code == VIR_ERR_NO_DOMAIN) {
            sr->gone = true;
            virResetLastError();
            return 0;
        }
        return err_virt(&r->err, "Failed to look up domain %s", sr->uuid);
    }
    if (!sr->list) {
        sr->count = virDomainSnapshotNum(dom, 0);
        virResetLastError();
        virDomainFree(dom);
        return 0;
    }
    if ((n = virDomainListAllSnapshots(dom, &snaps, 0)) < 0) {
        virErrorPtr e = virGetLastError();

        sr->err = xasprintf("Failed to list the snapshots of '%s': %s", virDomainGetName(dom),
                            e && e->message ? e->message : "unknown error");
        virResetLastError();
        sr->n = 0;
        virDomainFree(dom);
        return 0;
    }
    sr->v = xcalloc((size_t)n + 1, sizeof(*sr->v));
    for (int i = 0; i < n; i++) {
        sr->v[sr->n++] = read_one(snaps[i]);
        virDomainSnapshotFree(snaps[i]);
    }
    free(snaps);
    sr->count = sr->n;
    virDomainFree(dom);
    return 0;
}

static void
snaps_done(struct req *r)
{
    struct snaps_req *sr = (struct snaps_req *)r;

    if (r->rc == 0 && !sr->gone && sr->list) {
        model_snaps_set(r->host, sr->uuid, sr->v, sr->n, sr->err);
        sr->v = NULL;
    } else if (r->rc == 0 && !sr->gone) {
        model_snaps_set_counts(r->host, (const char (*)[UUID_LEN])&sr->uuid, &sr->count, 1);
    }
    for (int i = 0; sr->v && i < sr->n; i++)
        snapxml_free(sr->v[i]);
    free(sr->v);
    free(sr->err);
    free(sr);
}

static void
snaps_merge(struct req *waiting, const struct req *r)
{
    ((struct snaps_req *)waiting)->list |= ((const struct snaps_req *)r)->list;
}

static void
submit(int host, const char *uuid, bool list)
{
    struct snaps_req *sr = xcalloc(1, sizeof(*sr));

    sr->r = (struct req){ .what = list ? "snapshots" : "snapshot count", .host = host,
                          .work = snaps_work, .done = snaps_done, .key = sr->uuid };
    snprintf(sr->uuid, sizeof(sr->uuid), "%s", uuid);
    sr->list = list;
    if (!host_submit_coalesced(&sr->r, snaps_merge))
        free(sr);
}

void
host_load_snapshots(int host, const char *uuid)
{
    submit(host, uuid, true);
}

void
host_refresh_snapshots(int host, const char *uuid)
{
    const struct m_snaps *s = model_snaps_get(host, uuid);

    submit(host, uuid, s && (s->n >= 0 || s->err));
}

/* ---- every domain's count ---- */

struct counts_req {
    struct req r;
    char (*uuids)[UUID_LEN];
    int *counts;
    int n;
};

static void
add_counts(struct counts_req *cr, virDomainPtr *doms, int n, bool ask)
{
    cr->uuids = xreallocarray(cr->uuids, (size_t)(cr->n + n) + 1, sizeof(*cr->uuids));
    cr->counts = xreallocarray(cr->counts, (size_t)(cr->n + n) + 1, sizeof(*cr->counts));
    for (int i = 0; i < n; i++) {
        if (virDomainGetUUIDString(doms[i], cr->uuids[cr->n]) == 0)
            cr->counts[cr->n++] = ask ? virDomainSnapshotNum(doms[i], 0) : 0;
        virDomainFree(doms[i]);
    }
    free(doms);
    virResetLastError();
}

/* Two filtered lists, so that only domains with snapshots cost a call
 * each (10,000 domains, a few with snapshots: a few calls); every domain
 * asked where the driver cannot filter. */
static int
counts_work(struct req *r, virConnectPtr conn)
{
    struct counts_req *cr = (struct counts_req *)r;
    virDomainPtr *with = NULL, *without = NULL;
    int n = virConnectListAllDomains(conn, &with, VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT);
    int m = n < 0 ? -1 : virConnectListAllDomains(conn, &without,
                                                   VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT);

    if (n < 0 || m < 0) {
        for (int i = 0; i < n; i++)
            virDomainFree(with[i]);
        free(with);
        virResetLastError();
        if ((n = virConnectListAllDomains(conn, &with, 0)) < 0)
            return err_virt(&r->err, "Failed to list the domains");
        add_counts(cr, with, n, true);
        return 0;
    }
    add_counts(cr, with, n, true);
    add_counts(cr, without, m, false);
    return 0;
}

static void
counts_done(struct req *r)
{
    struct counts_req *cr = (struct counts_req *)r;

    if (r->rc == 0)
        model_snaps_set_counts(r->host, (const char (*)[UUID_LEN])cr->uuids, cr->counts,
                               cr->n);
    free(cr->uuids);
    free(cr->counts);
    free(cr);
}

void
host_load_snapshot_counts(int host)
{
    struct counts_req *cr = xcalloc(1, sizeof(*cr));
    AUTOFREE struct m_snaps **shown = model_snaps_loaded(host);

    cr->r = (struct req){ .what = "snapshot counts", .host = host,
                          .work = counts_work, .done = counts_done };
    host_submit(&cr->r);
    for (size_t i = 0; shown[i]; i++)
        host_load_snapshots(host, shown[i]->uuid);
}

static void
up(struct host *h)
{
    host_load_snapshot_counts(h->id);
}

/* libvirt has no snapshot events: anything but a boot or a stop may come
 * from a snapshot (a revert, an internal snapshot pausing the guest) */
static void
domain_changed(int host, const char *uuid, bool state_only)
{
    if (!state_only)
        host_refresh_snapshots(host, uuid);
}

const struct host_family host_snapshot_family = {
    .name = "snapshots", .up = up, .domain_changed = domain_changed,
};
