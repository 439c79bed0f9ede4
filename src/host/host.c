/* host.c: connections and their worker threads.
 *
 * Each host has a request queue served by one worker thread, which owns the
 * virConnectPtr: it opens it, makes every call that talks to the daemon,
 * and closes it. Results travel back through loop_defer() and are applied
 * to the model on the loop thread. libvirt's events (lifecycle, connection
 * close) arrive on the loop thread through virtevent and only queue work.
 * A lost connection is retried with exponential backoff (1 s .. 16 s). */
#include <autoconf.h>

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libvirt/virterror.h>

#include "hmap.h"
#include "host.h"
#include "host-priv.h"
#include "log.h"
#include "loop.h"
#include "model.h"
#include "xml.h"



static struct host **H;
static int nH;

/* what a connection reads and follows besides the domain list */
static const struct host_family *const families[] = {
    &host_network_family, &host_storage_family, &host_template_family,
    &host_snapshot_family, &host_stats_family, &host_interest_family,
};
/* the host whose worker this thread is (NULL on other threads) */
static __thread struct host *self;


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

    self = h;
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

bool
host_submit_coalesced(struct req *r, void (*merge)(struct req *waiting, const struct req *r))
{
    struct host *h = host_get(r->host);

    if (h && r->key) {
        pthread_mutex_lock(&h->lock);
        for (struct req *w = h->head; w; w = w->next) {
            if (w->work == r->work && w->key && STREQ(w->key, r->key)) {
                merge(w, r);
                pthread_mutex_unlock(&h->lock);
                return false;
            }
        }
        pthread_mutex_unlock(&h->lock);
    }
    host_submit(r);
    return true;
}

bool
host_has_events(int id)
{
    struct host *h = host_get(id);
    bool on;

    if (!h)
        return false;
    pthread_mutex_lock(&h->lock);
    on = h->lifecycle_id >= 0;
    pthread_mutex_unlock(&h->lock);
    return on;
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

/* ---- events (loop thread) ---- */

/* A boot or a stop: the domain's state changes and nothing else the model
 * keeps but its managed save image. Definitions, pauses (an internal
 * snapshot of a running guest pauses it; libvirt has no snapshot events),
 * restores and anything done from a snapshot re-read the whole record and
 * the snapshot list. */
static bool
state_change_only(int event, int detail)
{
    if (event == VIR_DOMAIN_EVENT_STARTED)
        return detail == VIR_DOMAIN_EVENT_STARTED_BOOTED;
    if (event == VIR_DOMAIN_EVENT_STOPPED)
        return detail == VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN ||
               detail == VIR_DOMAIN_EVENT_STOPPED_DESTROYED ||
               detail == VIR_DOMAIN_EVENT_STOPPED_CRASHED ||
               detail == VIR_DOMAIN_EVENT_STOPPED_FAILED;
    return false;
}

static int
on_lifecycle(virConnectPtr conn, virDomainPtr dom, int event, int detail,
             void *opaque)
{
    struct host *h = opaque;
    char uuid[VIR_UUID_STRING_BUFLEN];
    struct m_dom *d;
    bool state_only;

    if (virDomainGetUUIDString(dom, uuid) < 0)
        return 0;
    d = model_dom_get(h->id, uuid);
    state_only = state_change_only(event, detail);
    if (state_only)
        host_refresh_domain_state(h->id, uuid, d && d->details);
    else
        host_refresh_domain(h->id, uuid, d && d->details);
    for (size_t i = 0; i < ARRAY_CARDINALITY(families); i++) {
        if (families[i]->domain_changed)
            families[i]->domain_changed(h->id, uuid, state_only);
    }
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
    log_msg(LOG_EVENT, "Lost the connection to '%s': %s", h->uri, why);
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
    for (size_t i = 0; i < ARRAY_CARDINALITY(families); i++) {
        if (families[i]->events_off)
            families[i]->events_off(old, h);
    }
    virConnectUnregisterCloseCallback(old, on_close);
    virResetLastError();
    virConnectClose(old);
}

/* Why the connection could not be made, and whether trying again can help:
 * before the first connection, a missing socket or file, a file libvirt
 * cannot parse, refused credentials or certificates fail for good until
 * the user changes something (they say what); a refused or dropped
 * connection, a timeout, and anything after the host was once connected
 * (a daemon restarting removes its socket for a moment) are retried. */
static int
connect_failed(struct list_req *lr, const char *uri, bool was_up)
{
    virErrorPtr e = virGetLastError();
    int code = e ? e->code : VIR_ERR_OK;
    const char *hint = NULL;

    if (code == VIR_ERR_SYSTEM_ERROR && e->int1 == ENOENT && e->message &&
        strstr(e->message, "connect socket")) {
        hint = geteuid() == 0 ? "is the libvirt daemon running (libvirtd, or virtqemud for "
                                "qemu)?"
                              : "is the libvirt daemon running? Without root, "
                                "qemu:///session is your own";
    } else if (code == VIR_ERR_SYSTEM_ERROR && e->int1 == ENOENT) {
        hint = "a file it needs is missing";
    } else if (code == VIR_ERR_NO_CONNECT || code == VIR_ERR_INVALID_ARG ||
               code == VIR_ERR_XML_ERROR || code == VIR_ERR_XML_DETAIL) {
        hint = "check the URI";
    } else if (code == VIR_ERR_AUTH_FAILED || code == VIR_ERR_AUTH_CANCELLED ||
               code == VIR_ERR_AUTH_UNAVAILABLE || code == VIR_ERR_OPERATION_DENIED) {
        hint = "the host refused the credentials";
    }
    err_virt(&lr->r.err, "Failed to connect to '%s'", uri);
    if (hint && !was_up) {
        size_t n = strlen(lr->r.err.msg);

        lr->permanent = true;
        snprintf(lr->r.err.msg + n, sizeof(lr->r.err.msg) - n,
                 " (%s; not retried: C-r tries again)", hint);
    }
    return -1;
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
        return connect_failed(lr, h->uri, h->gen > 0);
    if (virConnectSetKeepAlive(conn, 5, 3) < 0)
        virResetLastError();
    if (virConnectRegisterCloseCallback(conn, on_close, h, NULL) < 0)
        virResetLastError();
    h->lifecycle_id = virConnectDomainEventRegisterAny(
        conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
        VIR_DOMAIN_EVENT_CALLBACK(on_lifecycle), h, NULL);
    if (h->lifecycle_id < 0)
        virResetLastError();
    for (size_t i = 0; i < ARRAY_CARDINALITY(families); i++) {
        if (families[i]->events_on)
            families[i]->events_on(conn, h);
    }
    pthread_mutex_lock(&h->lock);
    h->conn = conn;
    h->gen++;
    pthread_mutex_unlock(&h->lock);
    __atomic_add_fetch(&h->storage_epoch, 1, __ATOMIC_SEQ_CST);
    return host_load_domains(lr, conn);
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

    if (h && h->retry_timer >= 0) {
        on_retry(h->retry_timer, h);
    } else if (h && model_host_get(id)->state == HOST_FAILED) {
        /* failed for good: the user says when to try again */
        model_host_set_state(id, HOST_RECONNECTING, model_host_get(id)->reason);
        submit_connect(id);
    }
}

static void
schedule_reconnect(struct host *h)
{
    if (h->retry_timer >= 0 || loop_quitting())
        return;
    h->backoff_ms = h->backoff_ms ? h->backoff_ms * 2 : 1000;
    if (h->backoff_ms > 16000)
        h->backoff_ms = 16000;
    h->retry_timer = loop_timer_add(h->backoff_ms, on_retry, h, NULL);
    model_host_set_retry(h->id, util_now_ms() + h->backoff_ms);
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

    if (r->rc == 0)
        model_host_set_hostname(r->host, lr->hostname);
    host_list_free(lr);
}

static void
connect_done(struct req *r)
{
    struct list_req *lr = (struct list_req *)r;
    struct host *h = host_get(r->host);

    if (!h || loop_quitting()) {
        host_list_free(lr);
        return;
    }
    if (r->rc < 0 && lr->permanent) {
        h->backoff_ms = 0;
        model_host_set_retry(r->host, 0);
        model_host_set_state(r->host, HOST_FAILED, r->err.msg);
        host_list_free(lr);
        return;
    }
    if (r->rc < 0) {
        model_host_set_state(r->host, HOST_LOST, r->err.msg);
        schedule_reconnect(h);
        host_list_free(lr);
        return;
    }
    h->backoff_ms = 0;
    h->cpu_stats = lr->cpu_stats;
    model_doms_replace(r->host, lr->list, lr->n);
    lr->list = NULL;
    model_host_set_state(r->host, HOST_UP, NULL);
    if (h->gen > 1)
        log_msg(LOG_EVENT, "Connected again to '%s'", h->uri);
    host_list_free(lr);
    lr = xcalloc(1, sizeof(*lr));
    lr->r = (struct req){ .what = "hostname", .host = h->id,
                          .work = hostname_work, .done = hostname_done };
    host_submit(&lr->r);
    for (size_t i = 0; i < ARRAY_CARDINALITY(families); i++) {
        if (families[i]->up)
            families[i]->up(h);
    }
}

void
host_start(int id)
{
    struct host *h = xcalloc(1, sizeof(*h));

    xml_init();                  /* before the first worker parses */
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

void
host_shutdown_all(void)
{
    for (size_t i = 0; i < ARRAY_CARDINALITY(families); i++) {
        if (families[i]->shutdown)
            families[i]->shutdown();
    }
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

void
host_storage_touch(int host)
{
    struct host *h = host_get(host);

    if (h)
        __atomic_add_fetch(&h->storage_epoch, 1, __ATOMIC_SEQ_CST);
}

int
host_worker_id(long *storage_epoch)
{
    if (!self)
        return -1;
    *storage_epoch = (long)__atomic_load_n(&self->storage_epoch, __ATOMIC_SEQ_CST);
    return self->id;
}
