/* model-domain.c: domain records in the per-host store (store.h), keyed by
 * UUID: what a re-read keeps (details, the template mark, CPU%), the CPU%
 * maths of a stats sample, and virsh's names for states and reasons.
 * Events name the UUID so panes redraw only what changed. */
#include <autoconf.h>

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "model.h"
#include "store.h"

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

static void
dom_free(void *rec)
{
    model_dom_free(rec);
}

/* What a list read does not carry: the details (stale until read again),
 * the template mark, and, for one domain read again in the same state,
 * its CPU%. */
static void
dom_carry(void *to_, void *from_, bool whole)
{
    struct m_dom *to = to_, *from = from_;

    if (!to->details) {
        to->details = from->details;
        to->details_stale = true;
        from->details = NULL;
    }
    if (to->tmpl < 0)
        to->tmpl = from->tmpl;
    if (from->awaiting && to->state == from->state)
        to->awaiting = true;
    if (!whole && !to->cpu_valid && from->cpu_valid && to->state == from->state) {
        to->cpu_valid = true;
        to->cpu_pct = from->cpu_pct;
        to->cpu_ns = from->cpu_ns;
        to->cpu_at = from->cpu_at;
    }
}

static const struct store_kind dom_kind = {
    .notify = NOTIFY_DOMAIN,
    .notify_all = NOTIFY_DOMAINS,
    .host_off = offsetof(struct m_dom, host),
    .key_off = offsetof(struct m_dom, uuid),
    .name_off = offsetof(struct m_dom, name),
    .free = dom_free,
    .carry = dom_carry,
};

static struct store doms = { &dom_kind };

struct m_dom *
model_dom_get(int host, const char *uuid)
{
    return store_get(&doms, host, uuid);
}

struct m_dom *
model_dom_by_name(int host, const char *name)
{
    return store_by_name(&doms, host, name);
}

struct m_dom **
model_doms(int host, size_t *n)
{
    return (struct m_dom **)store_list(&doms, host, n);
}

size_t
model_ndoms_total(void)
{
    return store_count(&doms, -1);
}

void
model_dom_put(struct m_dom *d)
{
    store_put(&doms, d);
}

void
model_dom_remove(int host, const char *uuid)
{
    store_remove(&doms, host, uuid);
}

void
model_doms_replace(int host, struct m_dom **list, size_t n)
{
    store_replace(&doms, host, (void **)list, n);
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
    store_changed(&doms, host, d->uuid);
}

void
model_dom_set_template(int host, const char *uuid, bool is)
{
    struct m_dom *d = model_dom_get(host, uuid);

    if (!d || d->tmpl == (signed char)is)
        return;
    d->tmpl = (signed char)is;
    store_changed(&doms, host, d->uuid);
}

void
model_dom_await(int host, const char *uuid)
{
    struct m_dom *d = model_dom_get(host, uuid);

    if (d)
        d->awaiting = true;
}

void
model_dom_set_state(int host, const char *uuid, int state, bool stopped)
{
    struct m_dom *d = model_dom_get(host, uuid);

    if (!d || d->state == state)
        return;
    d->state = state;
    d->reason = 0;
    if (stopped)
        d->id = -1;
    store_changed(&doms, host, d->uuid);
}

/* CPU% is the CPU time used between two samples over the wall time between
 * them, shared by its vCPUs (100%: every vCPU busy). */
void
model_dom_set_sample(int host, const struct m_dom_sample *s)
{
    struct m_dom *d = model_dom_get(host, s->uuid);
    bool changed = false;

    if (!d)
        return;
    if (s->has_cpu) {
        if (d->cpu_at && s->at > d->cpu_at && s->cpu_ns >= d->cpu_ns) {
            /* of what the guest's vCPUs can use, as virt-manager's guest
             * CPU usage: a one-vCPU guest is at most 100% (QEMU's own
             * threads, counted in cpu.time, do not take it above) */
            double pct = (double)(s->cpu_ns - d->cpu_ns) /
                         ((double)(s->at - d->cpu_at) * 1e4 * (d->vcpus > 0 ? d->vcpus : 1));

            if (pct > 100)
                pct = 100;
            changed |= !d->cpu_valid || pct != d->cpu_pct;
            d->cpu_pct = pct;
            d->cpu_valid = true;
        }
        d->cpu_ns = s->cpu_ns;
        d->cpu_at = s->at;
    }
    if (s->has_mem && s->mem_kib != d->mem_kib) {
        d->mem_kib = s->mem_kib;
        changed = true;
    }
    if (changed)
        store_changed(&doms, host, d->uuid);
}

void
model_domains_free(void)
{
    store_clear(&doms);
}
