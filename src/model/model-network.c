/* model-network.c: virtual networks per host. A host has a handful, so a
 * plain array per host is enough; lookups are linear. */
#include <autoconf.h>

#include <stdio.h>
#include <stdlib.h>

#include "model.h"

struct net_table {
    struct m_net **v;
    size_t n;
};

static struct net_table *tables;
static int ntables;

static struct net_table *
table(int host)
{
    if (host < 0)
        return NULL;
    if (host >= ntables) {
        tables = xreallocarray(tables, (size_t)host + 1, sizeof(*tables));
        for (int i = ntables; i <= host; i++)
            tables[i] = (struct net_table){ NULL, 0 };
        ntables = host + 1;
    }
    return &tables[host];
}

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

static ssize_t
index_of(const struct net_table *t, const char *uuid)
{
    for (size_t i = 0; t && i < t->n; i++) {
        if (STREQ(t->v[i]->uuid, uuid))
            return (ssize_t)i;
    }
    return -1;
}

struct m_net *
model_net_get(int host, const char *uuid)
{
    struct net_table *t = host >= 0 && host < ntables ? &tables[host] : NULL;
    ssize_t i = index_of(t, uuid);

    return i >= 0 ? t->v[i] : NULL;
}

struct m_net *
model_net_by_name(int host, const char *name)
{
    for (int h = host < 0 ? 0 : host; h < ntables; h++) {
        for (size_t i = 0; i < tables[h].n; i++) {
            if (STREQ(tables[h].v[i]->name, name))
                return tables[h].v[i];
        }
        if (host >= 0)
            break;
    }
    return NULL;
}

struct m_net **
model_nets(int host, size_t *n)
{
    struct net_table *t = host >= 0 && host < ntables ? &tables[host] : NULL;

    *n = t ? t->n : 0;
    return t ? t->v : NULL;
}

void
model_net_put(struct m_net *n)
{
    struct net_table *t = table(n->host);
    ssize_t i = index_of(t, n->uuid);

    if (i >= 0) {
        if (n->guests < 0)
            n->guests = t->v[i]->guests;
        if (n->nleases < 0) {
            /* a re-read network keeps the leases last read */
            n->leases = t->v[i]->leases;
            n->nleases = t->v[i]->nleases;
            t->v[i]->leases = NULL;
            t->v[i]->nleases = -1;
        }
        model_net_free(t->v[i]);
        t->v[i] = n;
        notify_emit(NOTIFY_NETWORK, n->host, n->uuid, MODEL_CHANGED);
        return;
    }
    t->v = xreallocarray(t->v, t->n + 1, sizeof(*t->v));
    t->v[t->n++] = n;
    notify_emit(NOTIFY_NETWORK, n->host, n->uuid, MODEL_ADDED);
}

void
model_net_remove(int host, const char *uuid)
{
    struct net_table *t = host >= 0 && host < ntables ? &tables[host] : NULL;
    ssize_t i = index_of(t, uuid);
    char key[UUID_LEN];

    if (i < 0)
        return;
    snprintf(key, sizeof(key), "%s", uuid);
    model_net_free(t->v[i]);
    memmove(&t->v[i], &t->v[i + 1], (t->n - (size_t)i - 1) * sizeof(*t->v));
    t->n--;
    notify_emit(NOTIFY_NETWORK, host, key, MODEL_REMOVED);
}

void
model_nets_replace(int host, struct m_net **list, size_t n)
{
    struct net_table *t = table(host);

    for (size_t i = 0; i < t->n; i++)
        model_net_free(t->v[i]);
    free(t->v);
    t->v = list;
    t->n = n;
    notify_emit(NOTIFY_NETWORK, host, NULL, MODEL_CHANGED);
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
    notify_emit(NOTIFY_NETWORK, host, m->uuid, MODEL_CHANGED);
}

void
model_networks_free(void)
{
    for (int h = 0; h < ntables; h++) {
        for (size_t i = 0; i < tables[h].n; i++)
            model_net_free(tables[h].v[i]);
        free(tables[h].v);
    }
    free(tables);
    tables = NULL;
    ntables = 0;
}
