/* model.c: host records, and the teardown of every family. Hosts are few
 * and live in an array indexed by id; they are never removed during a run
 * (a lost host stays visible as lost). The families keep their records in
 * the per-host store (store.c). */
#include <autoconf.h>

#include <stdlib.h>

#include "model.h"

static struct m_host **hosts;
static int nhosts;

static const char *host_state_names[] = {
#define X(e, s) s,
    HOST_STATES(X)
#undef X
};

const char *
model_host_state_name(enum host_state s)
{
    return host_state_names[s];
}

int
model_host_add(const char *uri, bool readonly)
{
    struct m_host *h = xcalloc(1, sizeof(*h));

    h->id = nhosts;
    h->uri = xstrdup(uri);
    h->readonly = readonly;
    h->state = HOST_CONNECTING;
    hosts = xreallocarray(hosts, (size_t)nhosts + 1, sizeof(*hosts));
    hosts[nhosts++] = h;
    notify_emit(NOTIFY_HOST, h->id, NULL, MODEL_ADDED);
    return h->id;
}

struct m_host *
model_host_get(int id)
{
    return id >= 0 && id < nhosts ? hosts[id] : NULL;
}

int
model_nhosts(void)
{
    return nhosts;
}

static void
host_changed(int id)
{
    notify_emit(NOTIFY_HOST, id, NULL, MODEL_CHANGED);
}

void
model_host_set_state(int id, enum host_state st, const char *reason)
{
    struct m_host *h = model_host_get(id);
    char *copy;

    if (!h)
        return;
    copy = xstrdup(reason);   /* reason may be h->reason itself */
    h->state = st;
    free(h->reason);
    h->reason = copy;
    if (st == HOST_UP) {
        h->loaded = true;
        h->retry_at = 0;
    }
    host_changed(id);
}

void
model_host_set_retry(int id, int64_t at)
{
    struct m_host *h = model_host_get(id);

    if (!h)
        return;
    h->retry_at = at;
    host_changed(id);
}

void
model_host_set_hostname(int id, const char *hostname)
{
    struct m_host *h = model_host_get(id);

    if (!h)
        return;
    free(h->hostname);
    h->hostname = xstrdup(hostname);
    host_changed(id);
}


void
model_free(void)
{
    model_domains_free();
    model_networks_free();
    model_storage_free();
    model_snapshots_free();
    for (int i = 0; i < nhosts; i++) {
        free(hosts[i]->uri);
        free(hosts[i]->reason);
        free(hosts[i]->hostname);
        free(hosts[i]);
    }
    free(hosts);
    hosts = NULL;
    nhosts = 0;
}
