/* model-network.c: virtual networks in the per-host store (store.h), keyed
 * by UUID, with their DHCP leases. A network read again keeps its guest
 * count when the read did not count, and (read alone) its leases. */
#include <autoconf.h>

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "model.h"
#include "store.h"

struct m_net *
model_net_new(int host, const char *uuid, const char *name)
{
    struct m_net *n = xcalloc(1, sizeof(*n));

    n->host = host;
    snprintf(n->uuid, sizeof(n->uuid), "%s", uuid);
    n->name = xstrdup(name);
    n->guests = -1;
    n->nleases = -1;
    return n;
}

void
model_net_free(struct m_net *n)
{
    if (!n)
        return;
    free(n->name);
    netxml_free(n->info);
    model_leases_free(n->leases, n->nleases);
    free(n->leases_err);
    free(n);
}

static void
net_free(void *rec)
{
    model_net_free(rec);
}

static void
net_carry(void *to_, void *from_, bool whole)
{
    struct m_net *to = to_, *from = from_;

    if (to->guests < 0)
        to->guests = from->guests;
    if (!whole && to->nleases < 0) {
        to->leases = from->leases;
        to->nleases = from->nleases;
        from->leases = NULL;
        from->nleases = -1;
    }
}

static const struct store_kind net_kind = {
    .notify = NOTIFY_NETWORK,
    .notify_all = NOTIFY_NETWORK,
    .host_off = offsetof(struct m_net, host),
    .key_off = offsetof(struct m_net, uuid),
    .name_off = offsetof(struct m_net, name),
    .free = net_free,
    .carry = net_carry,
};

static struct store nets = { &net_kind };

struct m_net *
model_net_get(int host, const char *uuid)
{
    return store_get(&nets, host, uuid);
}

struct m_net *
model_net_by_name(int host, const char *name)
{
    return store_by_name(&nets, host, name);
}

struct m_net **
model_nets(int host, size_t *n)
{
    return (struct m_net **)store_list(&nets, host, n);
}

void
model_net_put(struct m_net *n)
{
    store_put(&nets, n);
}

void
model_net_remove(int host, const char *uuid)
{
    store_remove(&nets, host, uuid);
}

void
model_nets_replace(int host, struct m_net **list, size_t n)
{
    store_replace(&nets, host, (void **)list, n);
}

void
model_leases_free(struct net_lease *l, int n)
{
    for (int i = 0; i < n; i++) {
        free(l[i].mac);
        free(l[i].ip);
        free(l[i].hostname);
        free(l[i].guest);
    }
    free(l);
}

void
model_net_set_leases(int host, const char *uuid, struct net_lease *l, int n,
                     const char *err)
{
    struct m_net *m = model_net_get(host, uuid);

    if (!m) {
        model_leases_free(l, n);
        return;
    }
    model_leases_free(m->leases, m->nleases);
    free(m->leases_err);
    m->leases = l;
    m->nleases = n;
    m->leases_err = xstrdup(err);
    store_changed(&nets, host, m->uuid);
}

void
model_networks_free(void)
{
    store_clear(&nets);
}
