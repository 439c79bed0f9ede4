/* host-domain.c: reading domains on a host's worker: the whole list (one
 * list call, one bulk stats call, three filtered list calls), one domain
 * again (coalesced: an action's re-read and its lifecycle event's are one
 * while the first waits), its details and addresses. host.c keeps the
 * connection, the worker and its queue. */
#include <autoconf.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libvirt/virterror.h>

#include "domxml.h"
#include "hmap.h"
#include "host-priv.h"
#include "log.h"
#include "loop.h"

/* ---- reading domains (worker side) ---- */

void
fill_from_stats(struct m_dom *d, virDomainStatsRecordPtr rec, bool *has_mem,
                bool *has_cpu)
{
    for (int i = 0; i < rec->nparams; i++) {
        virTypedParameterPtr p = &rec->params[i];
        unsigned long long v;

        switch (p->type) {
        case VIR_TYPED_PARAM_INT: v = (unsigned long long)p->value.i; break;
        case VIR_TYPED_PARAM_UINT: v = p->value.ui; break;
        case VIR_TYPED_PARAM_LLONG: v = (unsigned long long)p->value.l; break;
        case VIR_TYPED_PARAM_ULLONG: v = p->value.ul; break;
        default: continue;
        }
        if (STREQ(p->field, "state.state")) {
            d->state = (int)v;
        } else if (STREQ(p->field, "state.reason")) {
            d->reason = (int)v;
        } else if (STREQ(p->field, "cpu.time")) {
            d->cpu_ns = v;
            d->cpu_at = util_now_ms();
            *has_cpu = true;
        } else if (STREQ(p->field, "balloon.current")) {
            d->mem_kib = v;
            *has_mem = true;
        } else if (STREQ(p->field, "balloon.maximum")) {
            d->maxmem_kib = v;
        } else if (STREQ(p->field, "vcpu.current")) {
            d->vcpus = (unsigned)v;
        }
    }
}

static void
fill_from_info(struct m_dom *d, virDomainPtr dom)
{
    virDomainInfo info;
    int state, reason;

    if (virDomainGetInfo(dom, &info) == 0) {
        d->state = info.state;
        d->vcpus = info.nrVirtCpu;
        d->mem_kib = info.memory;
        d->maxmem_kib = info.maxMem;
    }
    if (virDomainGetState(dom, &state, &reason, 0) == 0) {
        d->state = state;
        d->reason = reason;
    }
    virResetLastError();
}

static struct m_dom *
dom_record(int host, virDomainPtr dom)
{
    char uuid[VIR_UUID_STRING_BUFLEN];
    struct m_dom *d;
    unsigned int id;

    if (virDomainGetUUIDString(dom, uuid) < 0)
        return NULL;
    d = model_dom_new(host, uuid, virDomainGetName(dom));
    id = virDomainGetID(dom);
    d->id = id == (unsigned int)-1 ? -1 : (int)id;
    return d;
}

/* Set a flag on every record whose domain is in the filtered list. */
static void
mark_listed(virConnectPtr conn, struct hmap *idx, unsigned int flags,
            size_t field)
{
    virDomainPtr *doms = NULL;
    int n = virConnectListAllDomains(conn, &doms, flags);
    char uuid[VIR_UUID_STRING_BUFLEN];

    for (int i = 0; i < n; i++) {
        struct m_dom *d;

        if (virDomainGetUUIDString(doms[i], uuid) == 0 &&
            (d = hmap_get(idx, uuid)))
            *(bool *)((char *)d + field) = true;
        virDomainFree(doms[i]);
    }
    free(doms);
    virResetLastError();
}


/* The whole domain list: one list call, one bulk stats call, three
 * filtered list calls for autostart/persistent/managed save. Per-domain
 * calls only where the driver's bulk stats lack memory and vCPUs. */
int
host_load_domains(struct list_req *lr, virConnectPtr conn)
{
    virDomainStatsRecordPtr *recs = NULL;
    struct hmap *idx;
    int n;

    n = virConnectGetAllDomainStats(conn, STATS_GROUPS, &recs, 0);
    if (n < 0) {
        virDomainPtr *doms = NULL;
        int m;

        virResetLastError();
        if ((m = virConnectListAllDomains(conn, &doms, 0)) < 0)
            return err_virt(&lr->r.err, "Failed to list the domains");
        lr->list = xcalloc((size_t)m + 1, sizeof(*lr->list));
        for (int i = 0; i < m; i++) {
            struct m_dom *d = dom_record(lr->r.host, doms[i]);

            if (d) {
                fill_from_info(d, doms[i]);
                lr->list[lr->n++] = d;
            }
            virDomainFree(doms[i]);
        }
        free(doms);
    } else {
        lr->list = xcalloc((size_t)n + 1, sizeof(*lr->list));
        for (int i = 0; i < n; i++) {
            struct m_dom *d = dom_record(lr->r.host, recs[i]->dom);
            bool has_mem = false, has_cpu = false;

            if (!d)
                continue;
            fill_from_stats(d, recs[i], &has_mem, &has_cpu);
            if (!has_mem)
                fill_from_info(d, recs[i]->dom);
            if (has_cpu)
                lr->cpu_stats = true;
            lr->list[lr->n++] = d;
        }
        virDomainStatsRecordListFree(recs);
    }
    idx = hmap_new();
    for (size_t i = 0; i < lr->n; i++)
        hmap_put(idx, lr->list[i]->uuid, lr->list[i]);
    mark_listed(conn, idx, VIR_CONNECT_LIST_DOMAINS_AUTOSTART,
                offsetof(struct m_dom, autostart));
    mark_listed(conn, idx, VIR_CONNECT_LIST_DOMAINS_PERSISTENT,
                offsetof(struct m_dom, persistent));
    mark_listed(conn, idx, VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE,
                offsetof(struct m_dom, managedsave));
    hmap_free(idx);
    return 0;
}

void
host_list_free(struct list_req *lr)
{
    if (lr->list) {
        for (size_t i = 0; i < lr->n; i++)
            model_dom_free(lr->list[i]);
        free(lr->list);
    }
    free(lr->hostname);
    free(lr);
}

/* ---- refreshing one domain, details, the whole list ---- */

struct dom_req {
    struct req r;
    char uuid[VIR_UUID_STRING_BUFLEN];
    bool with_xml;
    bool state_only;         /* flags (autostart, persistence, managed save,
                              * template) kept from the model's record */
    bool gone;
    struct m_dom *rec;
    struct dom_details *details;
    struct err xml_err;
};

/* The guest's addresses per interface: DHCP leases first, the guest agent
 * when there are none. Matched to the XML's interfaces by MAC. */
static void
fill_addresses(virDomainPtr dom, struct dom_details *dd)
{
    virDomainInterfacePtr *ifs = NULL;
    int n = virDomainInterfaceAddresses(dom, &ifs, VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE, 0);

    if (n <= 0) {
        virResetLastError();
        for (int i = 0; i < n; i++)
            virDomainInterfaceFree(ifs[i]);
        free(ifs);
        ifs = NULL;
        n = virDomainInterfaceAddresses(dom, &ifs, VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT, 0);
    }
    virResetLastError();
    for (int i = 0; i < n; i++) {
        for (size_t k = 0; k < dd->nifaces; k++) {
            if (!ifs[i]->hwaddr || !dd->ifaces[k].mac || STRNEQ(ifs[i]->hwaddr, dd->ifaces[k].mac))
                continue;
            for (size_t a = 0; a < ifs[i]->naddrs; a++) {
                char *prev = dd->ifaces[k].addrs;

                dd->ifaces[k].addrs = xasprintf("%s%s%s/%u", prev ? prev : "", prev ? " " : "",
                                                ifs[i]->addrs[a].addr, ifs[i]->addrs[a].prefix);
                free(prev);
            }
        }
        virDomainInterfaceFree(ifs[i]);
    }
    free(ifs);
}

static int
refresh_work(struct req *r, virConnectPtr conn)
{
    struct dom_req *dr = (struct dom_req *)r;
    virDomainPtr dom = virDomainLookupByUUIDString(conn, dr->uuid);
    virDomainStatsRecordPtr *recs = NULL;
    virDomainPtr list[2];
    bool has_mem = false, has_cpu = false;
    int flag;

    if (!dom) {
        virErrorPtr e = virGetLastError();

        if (e && e->code == VIR_ERR_NO_DOMAIN) {
            dr->gone = true;
            virResetLastError();
            return 0;
        }
        return err_virt(&r->err, "Failed to look up domain %s", dr->uuid);
    }
    dr->rec = dom_record(r->host, dom);
    if (!dr->rec) {
        virDomainFree(dom);
        return err_virt(&r->err, "Failed to read domain %s", dr->uuid);
    }
    list[0] = dom;
    list[1] = NULL;
    if (virDomainListGetStats(list, STATS_GROUPS, &recs, 0) == 1)
        fill_from_stats(dr->rec, recs[0], &has_mem, &has_cpu);
    virDomainStatsRecordListFree(recs);
    virResetLastError();
    if (!has_mem)
        fill_from_info(dr->rec, dom);
    /* a boot from a managed save image removes it (the test driver
     * says "booted" for that too) */
    dr->rec->managedsave = virDomainHasManagedSaveImage(dom, 0) == 1;
    if (!dr->state_only) {
        if (virDomainGetAutostart(dom, &flag) == 0)
            dr->rec->autostart = flag;
        dr->rec->persistent = virDomainIsPersistent(dom) == 1;
        dr->rec->tmpl = dr->rec->persistent ? host_is_template(dom) : 0;
    }
    virResetLastError();
    if (dr->with_xml) {
        char *xml = virDomainGetXMLDesc(dom, 0);

        if (xml) {
            dr->details = domxml_parse(xml, &dr->xml_err);
            free(xml);
            if (dr->details && dr->rec->id >= 0 && dr->details->nifaces)
                fill_addresses(dom, dr->details);
        } else {
            err_virt(&dr->xml_err, "Failed to read the XML of '%s'",
                     dr->rec->name);
        }
    }
    virDomainFree(dom);
    return 0;
}

static void
refresh_done(struct req *r)
{
    struct dom_req *dr = (struct dom_req *)r;

    if (r->rc == 0 && dr->gone) {
        model_dom_remove(r->host, dr->uuid);
    } else if (r->rc == 0) {
        char uuid[UUID_LEN];
        const struct m_dom *old = model_dom_get(r->host, dr->uuid);

        if (dr->state_only && old) {
            dr->rec->autostart = old->autostart;
            dr->rec->persistent = old->persistent;
            dr->rec->tmpl = old->tmpl;
        }
        /* the end of a change asked for that libvirt did not wait for (a
         * shutdown): the history and the status line say where it got; a
         * change nobody here asked for is an event (a crash or an I/O
         * error also shows on the status line) */
        if (old && old->state != dr->rec->state) {
            bool bad = dr->rec->state == VIR_DOMAIN_CRASHED ||
                       (dr->rec->state == VIR_DOMAIN_PAUSED &&
                        dr->rec->reason == VIR_DOMAIN_PAUSED_IOERROR);

            log_msg(old->awaiting ? LOG_INFO : bad ? LOG_WARN : LOG_EVENT,
                    "Domain '%s' is now %s (%s)", dr->rec->name,
                    model_dom_state_name(dr->rec->state),
                    model_dom_reason_name(dr->rec->state, dr->rec->reason));
        }
        snprintf(uuid, sizeof(uuid), "%s", dr->uuid);
        model_dom_put(dr->rec);
        dr->rec = NULL;
        if (dr->details) {
            model_dom_set_details(r->host, uuid, dr->details);
            dr->details = NULL;
        }
    }
    model_dom_free(dr->rec);
    domxml_free(dr->details);
    free(dr);
}

static void
refresh_merge(struct req *waiting, const struct req *r)
{
    struct dom_req *w = (struct dom_req *)waiting;
    const struct dom_req *n = (const struct dom_req *)r;

    w->with_xml |= n->with_xml;
    w->state_only &= n->state_only;
}

/* One read for a burst: an action's re-read and its lifecycle event's
 * become one while the first waits. */
static void
refresh(int host, const char *uuid, bool with_xml, bool state_only)
{
    struct dom_req *dr = xcalloc(1, sizeof(*dr));

    dr->r = (struct req){ .what = "refresh", .host = host,
                          .work = refresh_work, .done = refresh_done, .key = dr->uuid };
    snprintf(dr->uuid, sizeof(dr->uuid), "%s", uuid);
    dr->with_xml = with_xml;
    /* a record the model has not got yet is read whole */
    dr->state_only = state_only && model_dom_get(host, uuid);
    if (!host_submit_coalesced(&dr->r, refresh_merge))
        free(dr);
}

void
host_refresh_domain(int host, const char *uuid, bool with_xml)
{
    refresh(host, uuid, with_xml, false);
}

void
host_refresh_domain_state(int host, const char *uuid, bool with_xml)
{
    refresh(host, uuid, with_xml, true);
}

void
host_fetch_details(int host, const char *uuid)
{
    host_refresh_domain(host, uuid, true);
}

static int
list_work(struct req *r, virConnectPtr conn)
{
    return host_load_domains((struct list_req *)r, conn);
}

static void
list_done(struct req *r)
{
    struct list_req *lr = (struct list_req *)r;

    if (r->rc == 0) {
        model_doms_replace(r->host, lr->list, lr->n);
        lr->list = NULL;
        host_load_snapshot_counts(r->host);
        host_load_templates(r->host);
    }
    host_list_free(lr);
}

void
host_refresh_all(int host)
{
    struct list_req *lr = xcalloc(1, sizeof(*lr));

    lr->r = (struct req){ .what = "list", .host = host,
                          .work = list_work, .done = list_done };
    host_submit(&lr->r);
}


const char *
host_dom_activity(virDomainPtr dom, bool *active)
{
    int state = VIR_DOMAIN_NOSTATE, reason;

    if (virDomainGetState(dom, &state, &reason, 0) < 0)
        virResetLastError();
    *active = state != VIR_DOMAIN_SHUTOFF && state != VIR_DOMAIN_NOSTATE &&
              state != VIR_DOMAIN_CRASHED;
    if (!*active)
        return "";
    return state == VIR_DOMAIN_PAUSED ? " (paused)"
           : state == VIR_DOMAIN_PMSUSPENDED ? " (suspended)" : " (running)";
}
