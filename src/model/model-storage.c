/* model-storage.c: storage pools in the per-host store (store.h), keyed by
 * UUID, each with its volumes. Volumes are read per pool and replaced as a
 * whole; a pool read again without them keeps the ones it had. */
#include <autoconf.h>

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "model.h"
#include "store.h"

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

static void
pool_free(void *rec)
{
    model_pool_free(rec);
}

/* a re-read pool without volumes keeps the ones it had */
static void
pool_carry(void *to_, void *from_, bool whole)
{
    struct m_pool *to = to_, *from = from_;

    if (to->nvols >= 0)
        return;
    to->vols = from->vols;
    to->nvols = from->nvols;
    to->vols_err = from->vols_err;
    from->vols = NULL;
    from->nvols = -1;
    from->vols_err = NULL;
}

static const struct store_kind pool_kind = {
    .notify = NOTIFY_POOL,
    .notify_all = NOTIFY_POOL,
    .host_off = offsetof(struct m_pool, host),
    .key_off = offsetof(struct m_pool, uuid),
    .name_off = offsetof(struct m_pool, name),
    .free = pool_free,
    .carry = pool_carry,
};

static struct store pools = { &pool_kind };

struct m_pool *
model_pool_get(int host, const char *uuid)
{
    return store_get(&pools, host, uuid);
}

struct m_pool *
model_pool_by_name(int host, const char *name)
{
    return store_by_name(&pools, host, name);
}

struct m_pool **
model_pools(int host, size_t *n)
{
    return (struct m_pool **)store_list(&pools, host, n);
}

void
model_pool_put(struct m_pool *p)
{
    store_put(&pools, p);
}

void
model_pool_remove(int host, const char *uuid)
{
    store_remove(&pools, host, uuid);
}

void
model_pools_replace(int host, struct m_pool **list, size_t n)
{
    store_replace(&pools, host, (void **)list, n);
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
    store_changed(&pools, host, p->uuid);
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
    store_clear(&pools);
}
