/* model-snapshot.c: the snapshots of each domain, keyed by host + domain
 * UUID. Every domain gets a record once its count is read (after the
 * domain list, for the domains list's column); the list itself is read
 * only for domains the snapshots view has shown, and from then on re-read
 * after every snapshot action and lifecycle event of that domain. A UUID
 * hash per host finds a record at 10,000 domains. */
#include <autoconf.h>

#include <stdio.h>
#include <stdlib.h>

#include "hmap.h"
#include "model.h"

struct snap_table {
    struct m_snaps **v;
    size_t n;
    struct hmap *by_uuid;    /* uuid -> index + 1 */
};

static struct snap_table *tables;
static int ntables;

static struct snap_table *
table(int host)
{
    if (host < 0)
        return NULL;
    if (host >= ntables) {
        tables = xreallocarray(tables, (size_t)host + 1, sizeof(*tables));
        for (int i = ntables; i <= host; i++)
            tables[i] = (struct snap_table){ NULL, 0, hmap_new() };
        ntables = host + 1;
    }
    return &tables[host];
}

struct m_snaps *
model_snaps_get(int host, const char *uuid)
{
    size_t idx;

    if (host < 0 || host >= ntables || !uuid)
        return NULL;
    idx = (size_t)(uintptr_t)hmap_get(tables[host].by_uuid, uuid);
    return idx ? tables[host].v[idx - 1] : NULL;
}

/* The record of a domain, made when it has none. */
static struct m_snaps *
record(int host, const char *uuid)
{
    struct snap_table *t = table(host);
    struct m_snaps *s = model_snaps_get(host, uuid);

    if (s)
        return s;
    s = xcalloc(1, sizeof(*s));
    s->host = host;
    snprintf(s->uuid, sizeof(s->uuid), "%s", uuid);
    s->count = -1;
    s->n = -1;
    t->v = xreallocarray(t->v, t->n + 1, sizeof(*t->v));
    t->v[t->n++] = s;
    hmap_put(t->by_uuid, s->uuid, (void *)(uintptr_t)t->n);
    return s;
}

static void
free_list(struct snap_info **v, int n)
{
    for (int i = 0; i < n; i++)
        snapxml_free(v[i]);
    free(v);
}

void
model_snaps_set(int host, const char *uuid, struct snap_info **v, int n, const char *err)
{
    struct m_snaps *s;

    if (host < 0) {
        free_list(v, n);
        return;
    }
    s = record(host, uuid);
    free_list(s->v, s->n);
    free(s->err);
    s->v = v;
    s->n = n;
    s->err = xstrdup(err);
    if (!err)
        s->count = n;
    notify_emit(NOTIFY_SNAPSHOT, host, s->uuid, MODEL_CHANGED);
}

void
model_snaps_set_counts(int host, const char (*uuids)[UUID_LEN], const int *counts, int n)
{
    bool changed = false;

    if (host < 0)
        return;
    for (int i = 0; i < n; i++) {
        struct m_snaps *s = record(host, uuids[i]);

        changed |= s->count != counts[i];
        s->count = counts[i];
    }
    if (changed)
        notify_emit(NOTIFY_SNAPSHOT, host, n == 1 ? uuids[0] : NULL, MODEL_CHANGED);
}

struct m_snaps **
model_snaps_loaded(int host)
{
    struct snap_table *t = host >= 0 && host < ntables ? &tables[host] : NULL;
    struct m_snaps **v = xcalloc((t ? t->n : 0) + 1, sizeof(*v));
    size_t k = 0;

    for (size_t i = 0; t && i < t->n; i++) {
        if (t->v[i]->n >= 0 || t->v[i]->err)
            v[k++] = t->v[i];
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
    for (int h = 0; h < ntables; h++) {
        for (size_t i = 0; i < tables[h].n; i++) {
            free_list(tables[h].v[i]->v, tables[h].v[i]->n);
            free(tables[h].v[i]->err);
            free(tables[h].v[i]);
        }
        free(tables[h].v);
        hmap_free(tables[h].by_uuid);
    }
    free(tables);
    tables = NULL;
    ntables = 0;
}
