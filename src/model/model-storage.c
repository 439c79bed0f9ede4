/* model-storage.c: storage pools per host, each with its volumes. A host
 * has a handful of pools, so a plain array per host is enough; volumes
 * are read per pool and replaced as a whole. */
#include <autoconf.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

struct pool_table {
    struct m_pool **v;
    size_t n;
};

static struct pool_table *tables;
static int ntables;

static struct pool_table *
table(int host)
{
    if (host < 0)
        return NULL;
    if (host >= ntables) {
        tables = xreallocarray(tables, (size_t)host + 1, sizeof(*tables));
        for (int i = ntables; i <= host; i++)
            tables[i] = (struct pool_table){ NULL, 0 };
        ntables = host + 1;
    }
    return &tables[host];
}

struct m_pool *
model_pool_new(int host, const char *uuid, const char *name)
{
    struct m_pool *p = xcalloc(1, sizeof(*p));

    p->host = host;
    snprintf(p->uuid, sizeof(p->uuid), "%s", uuid);
    p->name = xstrdup(name);
    p->nvols = -1;
    return p;
}

void
model_vols_free(struct m_vol *v, int n)
{
    for (int i = 0; i < n; i++) {
        free(v[i].name);
        free(v[i].key);
        free(v[i].path);
        free(v[i].format);
        free(v[i].backing);
        free(v[i].backing_format);
        free(v[i].users);
        free(v[i].dependents);
    }
    free(v);
}

void
model_pool_free(struct m_pool *p)
{
    if (!p)
        return;
    free(p->name);
    storxml_pool_free(p->info);
    model_vols_free(p->vols, p->nvols);
    free(p->vols_err);
    free(p);
}

static ssize_t
index_of(const struct pool_table *t, const char *uuid)
{
    for (size_t i = 0; t && i < t->n; i++) {
        if (STREQ(t->v[i]->uuid, uuid))
            return (ssize_t)i;
    }
    return -1;
}

struct m_pool *
model_pool_get(int host, const char *uuid)
{
    struct pool_table *t = host >= 0 && host < ntables ? &tables[host] : NULL;
    ssize_t i = uuid ? index_of(t, uuid) : -1;

    return i >= 0 ? t->v[i] : NULL;
}

struct m_pool *
model_pool_by_name(int host, const char *name)
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

struct m_pool **
model_pools(int host, size_t *n)
{
    struct pool_table *t = host >= 0 && host < ntables ? &tables[host] : NULL;

    *n = t ? t->n : 0;
    return t ? t->v : NULL;
}

/* a re-read pool without volumes keeps the ones it had */
static void
keep_vols(struct m_pool *to, struct m_pool *from)
{
    if (to->nvols >= 0 || !from)
        return;
    to->vols = from->vols;
    to->nvols = from->nvols;
    to->vols_err = from->vols_err;
    from->vols = NULL;
    from->nvols = -1;
    from->vols_err = NULL;
}

void
model_pool_put(struct m_pool *p)
{
    struct pool_table *t = table(p->host);
    ssize_t i = index_of(t, p->uuid);

    if (i >= 0) {
        keep_vols(p, t->v[i]);
        model_pool_free(t->v[i]);
        t->v[i] = p;
        notify_emit(NOTIFY_POOL, p->host, p->uuid, MODEL_CHANGED);
        return;
    }
    t->v = xreallocarray(t->v, t->n + 1, sizeof(*t->v));
    t->v[t->n++] = p;
    notify_emit(NOTIFY_POOL, p->host, p->uuid, MODEL_ADDED);
}

void
model_pool_remove(int host, const char *uuid)
{
    struct pool_table *t = host >= 0 && host < ntables ? &tables[host] : NULL;
    ssize_t i = index_of(t, uuid);
    char key[UUID_LEN];

    if (i < 0)
        return;
    snprintf(key, sizeof(key), "%s", uuid);
    model_pool_free(t->v[i]);
    memmove(&t->v[i], &t->v[i + 1], (t->n - (size_t)i - 1) * sizeof(*t->v));
    t->n--;
    notify_emit(NOTIFY_POOL, host, key, MODEL_REMOVED);
}

void
model_pools_replace(int host, struct m_pool **list, size_t n)
{
    struct pool_table *t = table(host);

    for (size_t i = 0; i < n; i++)
        keep_vols(list[i], model_pool_get(host, list[i]->uuid));
    for (size_t i = 0; i < t->n; i++)
        model_pool_free(t->v[i]);
    free(t->v);
    t->v = list;
    t->n = n;
    notify_emit(NOTIFY_POOL, host, NULL, MODEL_CHANGED);
}

void
model_pool_set_vols(int host, const char *uuid, struct m_vol *v, int n, const char *err)
{
    struct m_pool *p = model_pool_get(host, uuid);

    if (!p) {
        model_vols_free(v, n);
        return;
    }
    model_vols_free(p->vols, p->nvols);
    free(p->vols_err);
    p->vols = v;
    p->nvols = n;
    p->vols_err = xstrdup(err);
    notify_emit(NOTIFY_POOL, host, p->uuid, MODEL_CHANGED);
}

struct m_vol *
model_vol_get(const struct m_pool *p, const char *name)
{
    for (int i = 0; p && name && i < p->nvols; i++) {
        if (STREQ(p->vols[i].name, name))
            return &p->vols[i];
    }
    return NULL;
}

struct m_vol *
model_vol_by_path(int host, const char *path, struct m_pool **pool)
{
    size_t n;
    struct m_pool **v = model_pools(host, &n);

    for (size_t i = 0; path && i < n; i++) {
        for (int k = 0; k < v[i]->nvols; k++) {
            if (v[i]->vols[k].path && STREQ(v[i]->vols[k].path, path)) {
                if (pool)
                    *pool = v[i];
                return &v[i]->vols[k];
            }
        }
    }
    return NULL;
}

void
model_storage_free(void)
{
    for (int h = 0; h < ntables; h++) {
        for (size_t i = 0; i < tables[h].n; i++)
            model_pool_free(tables[h].v[i]);
        free(tables[h].v);
    }
    free(tables);
    tables = NULL;
    ntables = 0;
}
