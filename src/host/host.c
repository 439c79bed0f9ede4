/* host.c: connections and their worker threads.
 *
 * Each host has a request queue served by one worker thread, which owns the
 * virConnectPtr: it opens it, makes every call that talks to the daemon,
 * and closes it. Results travel back through loop_defer() and are applied
 * to the model on the loop thread. libvirt's events (lifecycle, connection
 * close) arrive on the loop thread through virtevent and only queue work.
 * A lost connection is retried with exponential backoff (1 s .. 16 s). */
#include <autoconf.h>

#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <libvirt/virterror.h>

#include "hmap.h"
#include "host.h"
#include "host-priv.h"
#include "loop.h"
#include "model.h"



static struct host **H;
static int nH;


struct host *
host_get(int id)
{
    return id >= 0 && id < nH ? H[id] : NULL;
}

int
host_count(void)
{
    return nH;
}

static void
finish(void *opaque)
{
    struct req *r = opaque;
    struct host *h = host_get(r->host);

    if (h) {
        pthread_mutex_lock(&h->lock);
        h->pending--;
        pthread_mutex_unlock(&h->lock);
    }
    r->done(r);
}

/* Requests that run without a connection (the connect request itself). */
static bool
runs_without_conn(const struct req *r)
{
    return r->what && STREQ(r->what, "connect");
}

static void drop_conn(struct host *h);

static void *
worker(void *opaque)
{
    struct host *h = opaque;

    for (;;) {
        struct req *r;
        virConnectPtr conn;

        pthread_mutex_lock(&h->lock);
        while (!h->head && !h->stop)
            pthread_cond_wait(&h->cond, &h->lock);
        if (!h->head && h->stop) {
            pthread_mutex_unlock(&h->lock);
            break;
        }
        r = h->head;
        h->head = r->next;
        if (!h->head)
            h->tail = NULL;
        conn = h->conn;
        if (conn)
            virConnectRef(conn);
        h->busy_since = util_now_ms();
        pthread_mutex_unlock(&h->lock);

        if (h->stop) {
            r->rc = err_set(&r->err, "virtmux is exiting");
        } else if (conn || runs_without_conn(r)) {
            r->rc = r->work(r, conn);
        } else {
            r->rc = err_set(&r->err, "Host '%s' is not connected", h->uri);
        }
        if (conn)
            virConnectClose(conn);
        pthread_mutex_lock(&h->lock);
        h->busy_since = 0;
        pthread_mutex_unlock(&h->lock);
        loop_defer(finish, r);
    }
    drop_conn(h);
    return NULL;
}

void
host_submit(struct req *r)
{
    struct host *h = host_get(r->host);

    err_clear(&r->err);
    r->next = NULL;
    if (!h) {
        r->rc = err_set(&r->err, "No such host");
        r->done(r);
        return;
    }
    pthread_mutex_lock(&h->lock);
    if (h->tail)
        h->tail->next = r;
    else
        h->head = r;
    h->tail = r;
    h->pending++;
    pthread_cond_signal(&h->cond);
    pthread_mutex_unlock(&h->lock);
}

int64_t
host_busy_ms(int id)
{
    struct host *h = host_get(id);
    int64_t since;

    if (!h)
        return 0;
    pthread_mutex_lock(&h->lock);
    since = h->busy_since;
    pthread_mutex_unlock(&h->lock);
    return since ? util_now_ms() - since : 0;
}

int
host_pending(int id)
{
    struct host *h = host_get(id);
    int n;

    if (!h)
        return 0;
    pthread_mutex_lock(&h->lock);
    n = h->pending;
    pthread_mutex_unlock(&h->lock);
    return n;
}

virConnectPtr
host_conn_ref(int id)
{
    struct host *h = host_get(id);
    virConnectPtr conn = NULL;

    if (!h)
        return NULL;
    pthread_mutex_lock(&h->lock);
    if (h->conn && virConnectRef(h->conn) == 0)
        conn = h->conn;
    pthread_mutex_unlock(&h->lock);
    return conn;
}

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

struct list_req {
    struct req r;
    struct host *h;          /* set on the loop thread: H may move */
    struct m_dom **list;
    size_t n;
    char *hostname;
    bool cpu_stats;
};

/* The whole domain list: one list call, one bulk stats call, three
 * filtered list calls for autostart/persistent/managed save. Per-domain
 * calls only where the driver's bulk stats lack memory and vCPUs. */
static int
load_domains(struct list_req *lr, virConnectPtr conn)
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

static void
list_free(struct list_req *lr)
{
    if (lr->list) {
        for (size_t i = 0; i < lr->n; i++)
            model_dom_free(lr->list[i]);
        free(lr->list);
    }
    free(lr->hostname);
    free(lr);
}

/* ---- events (loop thread) ---- */

static int
on_lifecycle(virConnectPtr conn, virDomainPtr dom, int event, int detail,
             void *opaque)
{
    struct host *h = opaque;
    char uuid[VIR_UUID_STRING_BUFLEN];
    struct m_dom *d;

    if (virDomainGetUUIDString(dom, uuid) < 0)
        return 0;
    d = model_dom_get(h->id, uuid);
    host_refresh_domain(h->id, uuid, d && d->details);
    host_refresh_snapshots(h->id, uuid);
    /* which volumes running domains use changes with their state */
    host_storage_domain_changed(h->id);
    return 0;
}

static void schedule_reconnect(struct host *h);

static void
on_close(virConnectPtr conn, int reason, void *opaque)
{
    struct host *h = opaque;
    const char *why;

    switch (reason) {
    case VIR_CONNECT_CLOSE_REASON_ERROR: why = "connection error"; break;
    case VIR_CONNECT_CLOSE_REASON_EOF: why = "the daemon closed the connection"; break;
    case VIR_CONNECT_CLOSE_REASON_KEEPALIVE: why = "keepalive timed out"; break;
    default: return;     /* we closed it ourselves */
    }
    model_host_set_state(h->id, HOST_LOST, why);
    schedule_reconnect(h);
}

/* ---- connect / reconnect ---- */

static int
auth_cb(virConnectCredentialPtr cred, unsigned int ncred, void *cbdata)
{
    /* No terminal prompts behind curses: credentials must come from the
     * environment (ssh agent, keys, SASL config). */
    return -1;
}

static int auth_types[] = { VIR_CRED_AUTHNAME, VIR_CRED_PASSPHRASE };
static virConnectAuth auth = { auth_types, ARRAY_CARDINALITY(auth_types),
                               auth_cb, NULL };

static void
drop_conn(struct host *h)
{
    virConnectPtr old;

    pthread_mutex_lock(&h->lock);
    old = h->conn;
    h->conn = NULL;
    pthread_mutex_unlock(&h->lock);
    if (!old)
        return;
    if (h->lifecycle_id >= 0)
        virConnectDomainEventDeregisterAny(old, h->lifecycle_id);
    h->lifecycle_id = -1;
    if (h->net_event_id >= 0)
        virConnectNetworkEventDeregisterAny(old, h->net_event_id);
    h->net_event_id = -1;
    host_storage_drop(old, h);
    virConnectUnregisterCloseCallback(old, on_close);
    virResetLastError();
    virConnectClose(old);
}

static int
connect_work(struct req *r, virConnectPtr unused)
{
    struct list_req *lr = (struct list_req *)r;
    struct host *h = lr->h;
    virConnectPtr conn;

    drop_conn(h);
    conn = virConnectOpenAuth(h->uri, &auth, h->readonly ? VIR_CONNECT_RO : 0);
    if (!conn)
        return err_virt(&r->err, "Failed to connect to '%s'", h->uri);
    if (virConnectSetKeepAlive(conn, 5, 3) < 0)
        virResetLastError();
    if (virConnectRegisterCloseCallback(conn, on_close, h, NULL) < 0)
        virResetLastError();
    h->lifecycle_id = virConnectDomainEventRegisterAny(
        conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
        VIR_DOMAIN_EVENT_CALLBACK(on_lifecycle), h, NULL);
    if (h->lifecycle_id < 0)
        virResetLastError();
    h->net_event_id = host_network_events(conn, h);
    host_storage_events(conn, h);
    pthread_mutex_lock(&h->lock);
    h->conn = conn;
    h->gen++;
    pthread_mutex_unlock(&h->lock);
    return load_domains(lr, conn);
}

static void connect_done(struct req *r);

static void
submit_connect(int id)
{
    struct list_req *lr = xcalloc(1, sizeof(*lr));

    lr->r = (struct req){ .what = "connect", .host = id,
                          .work = connect_work, .done = connect_done };
    lr->h = host_get(id);
    host_submit(&lr->r);
}

static void
on_retry(int id, void *opaque)
{
    struct host *h = opaque;

    loop_timer_remove(id);
    h->retry_timer = -1;
    model_host_set_state(h->id, HOST_RECONNECTING, model_host_get(h->id)->reason);
    submit_connect(h->id);
}

void
host_retry_now(int id)
{
    struct host *h = host_get(id);

    if (!h || h->retry_timer < 0)
        return;
    on_retry(h->retry_timer, h);
}

static void
schedule_reconnect(struct host *h)
{
    struct m_host *mh = model_host_get(h->id);

    if (h->retry_timer >= 0 || loop_quitting())
        return;
    h->backoff_ms = h->backoff_ms ? h->backoff_ms * 2 : 1000;
    if (h->backoff_ms > 16000)
        h->backoff_ms = 16000;
    mh->retry_at = util_now_ms() + h->backoff_ms;
    h->retry_timer = loop_timer_add(h->backoff_ms, on_retry, h, NULL);
    model_host_changed(h->id);
}

/* The host's name, asked after the first frame (it may do a DNS lookup). */
static int
hostname_work(struct req *r, virConnectPtr conn)
{
    struct list_req *lr = (struct list_req *)r;
    char *hn = virConnectGetHostname(conn);

    if (!hn)
        return err_virt(&r->err, "Failed to get the host's name");
    lr->hostname = xstrdup(hn);
    free(hn);
    return 0;
}

static void
hostname_done(struct req *r)
{
    struct list_req *lr = (struct list_req *)r;
    struct m_host *mh = model_host_get(r->host);

    if (r->rc == 0 && mh) {
        free(mh->hostname);
        mh->hostname = lr->hostname;
        lr->hostname = NULL;
        model_host_changed(r->host);
    }
    list_free(lr);
}

static void
connect_done(struct req *r)
{
    struct list_req *lr = (struct list_req *)r;
    struct host *h = host_get(r->host);
    struct m_host *mh = model_host_get(r->host);

    if (!h || loop_quitting()) {
        list_free(lr);
        return;
    }
    if (r->rc < 0) {
        model_host_set_state(r->host, HOST_LOST, r->err.msg);
        schedule_reconnect(h);
        list_free(lr);
        return;
    }
    h->backoff_ms = 0;
    h->cpu_stats = lr->cpu_stats;
    /* only drivers whose bulk stats carry CPU time get a stats timer */
    if (h->cpu_stats)
        stats_start();
    mh->loaded = true;
    mh->retry_at = 0;
    model_doms_replace(r->host, lr->list, lr->n);
    lr->list = NULL;
    model_host_set_state(r->host, HOST_UP, NULL);
    list_free(lr);
    lr = xcalloc(1, sizeof(*lr));
    lr->r = (struct req){ .what = "hostname", .host = h->id,
                          .work = hostname_work, .done = hostname_done };
    host_submit(&lr->r);
    host_load_networks(h->id);
    host_load_pools(h->id);
    host_load_templates(h->id);
    host_load_snapshot_counts(h->id);
}

void
host_start(int id)
{
    struct host *h = xcalloc(1, sizeof(*h));

    h->id = id;
    h->uri = xstrdup(model_host_get(id)->uri);
    h->readonly = model_host_get(id)->readonly;
    h->lifecycle_id = -1;
    h->net_event_id = -1;
    h->pool_event_id = h->pool_refresh_id = -1;
    h->retry_timer = -1;
    pthread_mutex_init(&h->lock, NULL);
    pthread_cond_init(&h->cond, NULL);
    H = xreallocarray(H, (size_t)nH + 1, sizeof(*H));
    H[nH++] = h;
    if (pthread_create(&h->thread, NULL, worker, h) != 0)
        fatal("cannot start a worker thread");
    h->started = true;
    submit_connect(id);
}

/* ---- refreshing one domain, details, the whole list ---- */

struct dom_req {
    struct req r;
    char uuid[VIR_UUID_STRING_BUFLEN];
    bool with_xml;
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
    if (virDomainGetAutostart(dom, &flag) == 0)
        dr->rec->autostart = flag;
    dr->rec->persistent = virDomainIsPersistent(dom) == 1;
    dr->rec->managedsave = virDomainHasManagedSaveImage(dom, 0) == 1;
    dr->rec->tmpl = dr->rec->persistent ? host_is_template(dom) : 0;
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

void
host_refresh_domain(int host, const char *uuid, bool with_xml)
{
    struct dom_req *dr = xcalloc(1, sizeof(*dr));

    dr->r = (struct req){ .what = "refresh", .host = host,
                          .work = refresh_work, .done = refresh_done };
    snprintf(dr->uuid, sizeof(dr->uuid), "%s", uuid);
    dr->with_xml = with_xml;
    host_submit(&dr->r);
}

void
host_fetch_details(int host, const char *uuid)
{
    host_refresh_domain(host, uuid, true);
}

static int
list_work(struct req *r, virConnectPtr conn)
{
    return load_domains((struct list_req *)r, conn);
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
    list_free(lr);
}

void
host_refresh_all(int host)
{
    struct list_req *lr = xcalloc(1, sizeof(*lr));

    lr->r = (struct req){ .what = "list", .host = host,
                          .work = list_work, .done = list_done };
    host_submit(&lr->r);
}

void
host_shutdown_all(void)
{
    stats_stop();
    for (int i = 0; i < nH; i++) {
        struct host *h = H[i];

        if (h->retry_timer >= 0)
            loop_timer_remove(h->retry_timer);
        h->retry_timer = -1;
        pthread_mutex_lock(&h->lock);
        h->stop = true;
        pthread_cond_signal(&h->cond);
        pthread_mutex_unlock(&h->lock);
    }
    for (int i = 0; i < nH; i++) {
        struct timespec ts;

        /* a worker stuck on a hung daemon is left behind; exit() ends it */
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += 2;
        if (pthread_timedjoin_np(H[i]->thread, NULL, &ts) != 0)
            continue;
        free(H[i]->uri);
        pthread_mutex_destroy(&H[i]->lock);
        pthread_cond_destroy(&H[i]->cond);
        free(H[i]);
        H[i] = NULL;
    }
}
