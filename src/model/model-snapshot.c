/* model-snapshot.c: the snapshots of each domain, keyed by host + domain
 * UUID. Every domain gets a record once its count is read (after the
 * domain list, for the domains list's column); the list itself is read
 * only for domains the snapshots view has shown, and from then on re-read
 * after every snapshot action and lifecycle event of that domain. The
 * records live in the per-host store (store.h), which finds one by UUID
 * at 10,000 domains; they are never removed during a run. */
#include <autoconf.h>

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "model.h"
#include "store.h"

static void
free_list(struct snap_info **v, int n)
{
    for (int i = 0; i < n; i++)
        snapxml_free(v[i]);
    free(v);
}

static void *
snaps_make(int host, const char *uuid)
{
    struct m_snaps *s = xcalloc(1, sizeof(*s));

    s->host = host;
    snprintf(s->uuid, sizeof(s->uuid), "%s", uuid);
    s->count = -1;
    s->n = -1;
    return s;
}

static void
snaps_free(void *rec)
{
    struct m_snaps *s = rec;

    free_list(s->v, s->n);
    free(s->err);
    free(s);
}

static const struct store_kind snaps_kind = {
    .notify = NOTIFY_SNAPSHOT,
    .notify_all = NOTIFY_SNAPSHOT,
    .host_off = offsetof(struct m_snaps, host),
    .key_off = offsetof(struct m_snaps, uuid),
    .make = snaps_make,
    .free = snaps_free,
};

static struct store snaps = { &snaps_kind };

struct m_snaps *
model_snaps_get(int host, const char *uuid)
{
    return store_get(&snaps, host, uuid);
}

void
model_snaps_set(int host, const char *uuid, struct snap_info **v, int n, const char *err)
{
    struct m_snaps *s;

    if (host < 0) {
        free_list(v, n);
        return;
    }
    s = store_ensure(&snaps, host, uuid);
    free_list(s->v, s->n);
    free(s->err);
    s->v = v;
    s->n = n;
    s->err = xstrdup(err);
    if (!err)
        s->count = n;
    store_changed(&snaps, host, s->uuid);
}

void
model_snaps_set_counts(int host, const char (*uuids)[UUID_LEN], const int *counts, int n)
{
    bool changed = false;

    if (host < 0)
        return;
    for (int i = 0; i < n; i++) {
        struct m_snaps *s = store_ensure(&snaps, host, uuids[i]);

        changed |= s->count != counts[i];
        s->count = counts[i];
    }
    if (changed)
        store_changed(&snaps, host, n == 1 ? uuids[0] : NULL);
}

struct m_snaps **
model_snaps_loaded(int host)
{
    size_t n;
    struct m_snaps **all = (struct m_snaps **)store_list(&snaps, host, &n);
    struct m_snaps **v = xcalloc(n + 1, sizeof(*v));
    size_t k = 0;

    for (size_t i = 0; i < n; i++) {
        if (all[i]->n >= 0 || all[i]->err)
            v[k++] = all[i];
    }
    return v;
}

const struct snap_info *
model_snap_get(const struct m_snaps *s, const char *name)
{
    for (int i = 0; s && name && i < s->n; i++) {
        if (STREQ(s->v[i]->name, name))
            return s->v[i];
    }
    return NULL;
}

const struct snap_info *
model_snap_current(const struct m_snaps *s)
{
    for (int i = 0; s && i < s->n; i++) {
        if (s->v[i]->current)
            return s->v[i];
    }
    return NULL;
}

void
model_snapshots_free(void)
{
    store_clear(&snaps);
}
