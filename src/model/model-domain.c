/* model-domain.c: domain records. Each host keeps an array of records and a
 * UUID index into it; removal swaps the last record into the hole. Events
 * name the UUID so panes redraw only what changed. */
#include <autoconf.h>

#include <stdio.h>
#include <stdlib.h>

#include "hmap.h"
#include "model.h"

struct dom_table {
    struct m_dom **v;
    size_t n;
    struct hmap *by_uuid;    /* uuid -> index + 1 */
};

static struct dom_table *tables;
static int ntables;

static struct dom_table *
table(int host)
{
    if (host < 0)
        return NULL;
    if (host >= ntables) {
        tables = xreallocarray(tables, (size_t)host + 1, sizeof(*tables));
        for (int i = ntables; i <= host; i++)
            tables[i] = (struct dom_table){ NULL, 0, hmap_new() };
        ntables = host + 1;
    }
    return &tables[host];
}

enum m_state_look
model_dom_state_look(int state)
{
    /* virDomainState's values (a stable ABI), as model_dom_state_name's
     * table below numbers them */
    switch (state) {
    case 1:                          /* running */
    case 2:                          /* blocked ("idle") */
        return M_LOOK_RUNNING;
    case 3:                          /* paused */
    case 7:                          /* pmsuspended */
        return M_LOOK_PAUSED;
    case 5:                          /* shut off */
        return M_LOOK_SHUTOFF;
    default:
        return M_LOOK_OTHER;
    }
}

const char *
model_dom_state_name(int state)
{
    static const char *names[] = {
        "no state", "running", "idle", "paused", "in shutdown",
        "shut off", "crashed", "pmsuspended",
    };

    if (state < 0 || state >= (int)ARRAY_CARDINALITY(names))
        return "unknown";
    return names[state];
}

/* virsh's words for virDomain*Reason, by state. */
const char *
model_dom_reason_name(int state, int reason)
{
    static const char *running[] = { "unknown", "booted", "migrated", "restored",
        "from snapshot", "unpaused", "migration canceled", "save canceled",
        "event wakeup", "crashed", "post-copy", "post-copy failed" };
    static const char *paused[] = { "unknown", "user", "migrating", "saving",
        "dumping", "I/O error", "watchdog", "from snapshot", "shutting down",
        "creating snapshot", "crashed", "starting up", "post-copy",
        "post-copy failed", "API error" };
    static const char *shutoff[] = { "unknown", "shutdown", "destroyed", "crashed",
        "migrated", "saved", "failed", "from snapshot", "daemon" };
    static const char *shutdown[] = { "unknown", "user" };
    static const char *crashed[] = { "unknown", "panicked" };
    const char **v = NULL;
    size_t n = 0;

    switch (state) {
    case 1: v = running; n = ARRAY_CARDINALITY(running); break;
    case 3: v = paused; n = ARRAY_CARDINALITY(paused); break;
    case 4: v = shutdown; n = ARRAY_CARDINALITY(shutdown); break;
    case 5: v = shutoff; n = ARRAY_CARDINALITY(shutoff); break;
    case 6: v = crashed; n = ARRAY_CARDINALITY(crashed); break;
    default: break;
    }
    return v && reason >= 0 && (size_t)reason < n ? v[reason] : "unknown";
}

struct m_dom *
model_dom_new(int host, const char *uuid, const char *name)
{
    struct m_dom *d = xcalloc(1, sizeof(*d));

    d->host = host;
    snprintf(d->uuid, sizeof(d->uuid), "%s", uuid);
    d->name = xstrdup(name);
    d->id = -1;
    d->tmpl = -1;
    return d;
}

void
model_dom_free(struct m_dom *d)
{
    if (!d)
        return;
    free(d->name);
    domxml_free(d->details);
    free(d);
}

struct m_dom *
model_dom_get(int host, const char *uuid)
{
    struct dom_table *t = host < ntables ? table(host) : NULL;
    size_t idx;

    if (!t)
        return NULL;
    idx = (size_t)(uintptr_t)hmap_get(t->by_uuid, uuid);
    return idx ? t->v[idx - 1] : NULL;
}

struct m_dom *
model_dom_by_name(int host, const char *name)
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

struct m_dom **
model_doms(int host, size_t *n)
{
    struct dom_table *t = host < ntables ? table(host) : NULL;

    *n = t ? t->n : 0;
    return t ? t->v : NULL;
}

size_t
model_ndoms_total(void)
{
    size_t n = 0;

    for (int h = 0; h < ntables; h++)
        n += tables[h].n;
    return n;
}

void
model_dom_put(struct m_dom *d)
{
    struct dom_table *t = table(d->host);
    size_t idx = (size_t)(uintptr_t)hmap_get(t->by_uuid, d->uuid);

    if (idx) {
        struct m_dom *old = t->v[idx - 1];

        /* keep what a list refresh does not carry */
        d->details = old->details;
        d->details_stale = true;
        old->details = NULL;
        if (d->tmpl < 0)
            d->tmpl = old->tmpl;
        if (!d->cpu_valid && old->cpu_valid && d->state == old->state) {
            d->cpu_valid = true;
            d->cpu_pct = old->cpu_pct;
            d->cpu_ns = old->cpu_ns;
            d->cpu_at = old->cpu_at;
        }
        t->v[idx - 1] = d;
        hmap_put(t->by_uuid, d->uuid, (void *)(uintptr_t)idx);
        model_dom_free(old);
        notify_emit(NOTIFY_DOMAIN, d->host, d->uuid, MODEL_CHANGED);
        return;
    }
    t->v = xreallocarray(t->v, t->n + 1, sizeof(*t->v));
    t->v[t->n++] = d;
    hmap_put(t->by_uuid, d->uuid, (void *)(uintptr_t)t->n);
    notify_emit(NOTIFY_DOMAIN, d->host, d->uuid, MODEL_ADDED);
}

void
model_dom_remove(int host, const char *uuid)
{
    struct dom_table *t = table(host);
    size_t idx = (size_t)(uintptr_t)hmap_get(t->by_uuid, uuid);
    struct m_dom *d;
    char key[UUID_LEN];

    if (!idx)
        return;
    d = t->v[idx - 1];
    hmap_del(t->by_uuid, d->uuid);
    if (idx != t->n) {
        t->v[idx - 1] = t->v[t->n - 1];
        hmap_put(t->by_uuid, t->v[idx - 1]->uuid, (void *)(uintptr_t)idx);
    }
    t->n--;
    snprintf(key, sizeof(key), "%s", uuid);
    model_dom_free(d);
    notify_emit(NOTIFY_DOMAIN, host, key, MODEL_REMOVED);
}

void
model_doms_replace(int host, struct m_dom **list, size_t n)
{
    struct dom_table *t = table(host);
    struct hmap *old_index = t->by_uuid;
    struct m_dom **old = t->v;
    size_t nold = t->n;

    t->by_uuid = hmap_new();
    t->v = list;
    t->n = n;
    for (size_t i = 0; i < n; i++)
        hmap_put(t->by_uuid, list[i]->uuid, (void *)(uintptr_t)(i + 1));
    /* carry details over to the records that survive */
    for (size_t i = 0; i < nold; i++) {
        size_t idx = (size_t)(uintptr_t)hmap_get(t->by_uuid, old[i]->uuid);

        if (idx && !list[idx - 1]->details) {
            list[idx - 1]->details = old[i]->details;
            list[idx - 1]->details_stale = true;
            old[i]->details = NULL;
        }
        /* and the template mark, which a list read does not carry */
        if (idx && list[idx - 1]->tmpl < 0)
            list[idx - 1]->tmpl = old[i]->tmpl;
    }
    hmap_free(old_index);
    for (size_t i = 0; i < nold; i++)
        model_dom_free(old[i]);
    free(old);
    notify_emit(NOTIFY_DOMAINS, host, NULL, MODEL_CHANGED);
}

void
model_dom_set_details(int host, const char *uuid, struct dom_details *dd)
{
    struct m_dom *d = model_dom_get(host, uuid);

    if (!d) {
        domxml_free(dd);
        return;
    }
    domxml_free(d->details);
    d->details = dd;
    d->details_stale = false;
    notify_emit(NOTIFY_DOMAIN, host, uuid, MODEL_CHANGED);
}


void
model_domains_free(void)
{
    for (int h = 0; h < ntables; h++) {
        for (size_t i = 0; i < tables[h].n; i++)
            model_dom_free(tables[h].v[i]);
        free(tables[h].v);
        hmap_free(tables[h].by_uuid);
    }
    free(tables);
    tables = NULL;
    ntables = 0;
}
