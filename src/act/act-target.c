/* act-target.c: what the dispatcher needs of each kind of target, in one
 * table: its words, the argument that names one, how to find one by name
 * or UUID on a host, the selection's, what its state allows a row, and
 * what to re-read after a row changed it. One rule finds a named object
 * across hosts for every kind (act_find_on_hosts): the command's host
 * first (the selection's, or --host), then the only other host that has
 * it; with --host, that host alone. Loop thread. */
#include <autoconf.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act.h"

/* ---- find ---- */

static bool
find_domain(int host, const char *spec, struct act_found *f)
{
    const struct m_dom *d = model_dom_by_name(host, spec);

    if (!d && !(d = model_dom_get(host, spec)))
        return false;
    *f = (struct act_found){ .host = d->host, .uuid = d->uuid, .name = d->name };
    return true;
}

static bool
find_network(int host, const char *spec, struct act_found *f)
{
    const struct m_net *n = model_net_by_name(host, spec);

    if (!n && !(n = model_net_get(host, spec)))
        return false;
    *f = (struct act_found){ .host = n->host, .uuid = n->uuid, .name = n->name };
    return true;
}

static bool
find_pool(int host, const char *spec, struct act_found *f)
{
    const struct m_pool *p = model_pool_by_name(host, spec);

    if (!p && !(p = model_pool_get(host, spec)))
        return false;
    *f = (struct act_found){ .host = p->host, .uuid = p->uuid, .name = p->name,
                             .pool = p->name };
    return true;
}

/* A volume by its path (as virsh allows); by name it needs its pool,
 * which act_resolve_storage finds first. */
static bool
find_volume(int host, const char *spec, struct act_found *f)
{
    struct m_pool *p = NULL;
    const struct m_vol *v = spec[0] == '/' ? model_vol_by_path(host, spec, &p) : NULL;

    if (!v || !p)
        return false;
    *f = (struct act_found){ .host = p->host, .uuid = p->uuid, .name = v->name,
                             .pool = p->name };
    return true;
}

/* ---- the selection ---- */

static int
selected_domain(const struct act_ctx *ctx, struct act_found *f, struct err *e)
{
    if (!ctx->uuid)
        return 0;
    if (!find_domain(ctx->host, ctx->uuid, f))
        return err_set(e, "The selected domain is gone");
    return 1;
}

static int
selected_network(const struct act_ctx *ctx, struct act_found *f, struct err *e)
{
    return ctx->net && find_network(ctx->host, ctx->net, f) ? 1 : 0;
}

static int
selected_pool(const struct act_ctx *ctx, struct act_found *f, struct err *e)
{
    const struct m_pool *p = ctx->pool ? model_pool_get(ctx->host, ctx->pool) : NULL;

    if (!p)
        return 0;
    *f = (struct act_found){ .host = p->host, .uuid = p->uuid, .name = p->name,
                             .pool = p->name };
    return 1;
}

/* ---- checks ---- */

static int
check_domain(const struct act_call *c, struct err *e)
{
    const struct action *a = c->act;
    const struct m_dom *d = model_dom_get(c->host, c->uuid);
    bool active;

    if (!d)
        return err_set(e, "Domain '%s' is gone", c->name);
    active = d->state != VIR_DOMAIN_SHUTOFF && d->state != VIR_DOMAIN_NOSTATE &&
             d->state != VIR_DOMAIN_CRASHED;
    if ((a->flags & ACT_NEEDS_ACTIVE) && !active)
        return err_set(e, "Domain '%s' is not running", d->name);
    if ((a->flags & ACT_NEEDS_INACTIVE) && active)
        return err_set(e, "Domain '%s' is %s; '%s' needs it shut off",
                       d->name, model_dom_state_name(d->state), a->name);
    if ((a->flags & ACT_NEEDS_PAUSED) && d->state != VIR_DOMAIN_PAUSED)
        return err_set(e, "Domain '%s' is not paused", d->name);
    if ((a->flags & ACT_NEEDS_PERSISTENT) && !d->persistent)
        return err_set(e, "Domain '%s' is transient: it has no definition for %s",
                       d->name, a->name);
    if ((a->flags & ACT_NEEDS_MANAGEDSAVE) && !d->managedsave)
        return err_set(e, "Domain '%s' has no managed save image", d->name);
    return 0;
}

static int
check_snapshot(const struct act_call *c, struct err *e)
{
    if (check_domain(c, e) < 0)
        return -1;
    return act_check_snapshot(c, e);
}

static int
check_network(const struct act_call *c, struct err *e)
{
    const struct action *a = c->act;
    const struct m_net *n = model_net_get(c->host, c->uuid);

    if (!n)
        return err_set(e, "Network '%s' is gone", c->name);
    if ((a->flags & ACT_NEEDS_ACTIVE) && !n->active)
        return err_set(e, "Network '%s' is not active", n->name);
    if ((a->flags & ACT_NEEDS_INACTIVE) && n->active)
        return err_set(e, "Network '%s' is active; '%s' needs it stopped (net-destroy)",
                       n->name, a->name);
    if ((a->flags & ACT_NEEDS_PERSISTENT) && !n->persistent)
        return err_set(e, "Network '%s' is transient: it has no definition for %s",
                       n->name, a->name);
    return 0;
}

/* ---- re-reads after a row ran (done or failed) ---- */

static void
reread_domain(int host, const char *uuid, bool mutated, bool event)
{
    const struct m_dom *d = model_dom_get(host, uuid);

    if (!mutated)
        return;
    /* a lifecycle event re-reads it (events first, DESIGN rule 4) */
    if (!(event && host_has_events(host)))
        host_refresh_domain(host, uuid, d && d->details);
}

static void
reread_snapshot(int host, const char *uuid, bool mutated, bool event)
{
    reread_domain(host, uuid, mutated, event);
    /* libvirt has no snapshot events: re-read them, done or failed */
    if (mutated)
        host_refresh_snapshots(host, uuid);
}

static void
reread_network(int host, const char *uuid, bool mutated, bool event)
{
    if (mutated)
        host_refresh_network(host, uuid);
}

static void
reread_pool(int host, const char *uuid, bool mutated, bool event)
{
    if (mutated)
        host_refresh_pool(host, uuid);
}

/* ---- the table ---- */

static const struct target_ops ops[] = {
    [TARGET_NONE] = { .word = "object", .title = "Object" },
    [TARGET_HOST] = { .word = "host", .title = "Host", .arg = "host" },
    [TARGET_DOMAIN] = { .word = "domain", .title = "Domain", .arg = "domain", .view = "",
                        .define = "define",
                        .find = find_domain, .selected = selected_domain,
                        .check = check_domain, .reread = reread_domain },
    [TARGET_NETWORK] = { .word = "network", .title = "Network", .arg = "network",
                         .view = " (2)", .define = "net-define", .find = find_network,
                         .selected = selected_network, .check = check_network,
                         .reread = reread_network },
    [TARGET_POOL] = { .word = "pool", .title = "Pool", .arg = "pool", .view = " (3)",
                      .define = "pool-define",
                      .find = find_pool, .selected = selected_pool,
                      .check = act_check_storage, .reread = reread_pool },
    [TARGET_VOLUME] = { .word = "volume", .title = "Volume", .arg = "vol", .view = " (3)",
                        .find = find_volume,
                        .missing = "No volume at",
                        .missing_why = " in a storage pool (the storage view, 3, reads them)",
                        .check = act_check_storage, .reread = reread_pool },
    /* a snapshot's row targets its domain; act_resolve_snapshot the rest */
    [TARGET_SNAPSHOT] = { .word = "snapshot", .title = "Snapshot", .arg = "domain", .view = "",
                          .find = find_domain, .selected = selected_domain,
                          .check = check_snapshot, .reread = reread_snapshot },
};

const struct target_ops *
act_target_ops(enum act_target t)
{
    return (size_t)t < ARRAY_CARDINALITY(ops) ? &ops[t] : &ops[TARGET_NONE];
}

const char *
act_target_word(enum act_target t)
{
    return act_target_ops(t)->word;
}

const char *
act_target_title(enum act_target t)
{
    return act_target_ops(t)->title;
}

int
act_find_on_hosts(enum act_target t, const char *spec, int host, bool host_given,
                  struct act_found *f, struct err *e)
{
    const struct target_ops *o = act_target_ops(t);
    struct act_found one;
    int n = 0;

    if (!o->find)
        return err_set(e, "A %s cannot be named", o->word);
    if (host >= 0 && o->find(host, spec, f))
        return 0;
    if (host_given && o->missing)
        return err_set(e, "%s '%s'%s", o->missing, spec, o->missing_why);
    if (host_given)
        return err_set(e, "%s '%s' not found on '%s'", o->title, spec,
                       model_host_get(host)->uri);
    for (int h = 0; h < model_nhosts(); h++) {
        if (h != host && o->find(h, spec, &one)) {
            *f = one;
            n++;
        }
    }
    if (n == 1)
        return 0;
    if (n)
        return err_set(e, "%s '%s' exists on several hosts; add --host URI", o->title, spec);
    if (o->missing)
        return err_set(e, "%s '%s'%s", o->missing, spec, o->missing_why);
    return err_set(e, "%s '%s' not found", o->title, spec);
}

int
act_resolve_target(struct act_call *c, const struct act_ctx *ctx, int host, bool host_given,
                   struct err *e)
{
    const struct action *a = c->act;
    const struct target_ops *o = act_target_ops(a->target);
    int k = o->arg ? action_arg_index(a, o->arg) : -1;
    struct act_found f;
    int r = 0;

    if (k >= 0 && c->vals[k]) {
        if (act_find_on_hosts(a->target, c->vals[k], host, host_given, &f, e) < 0)
            return -1;
    } else if (!host_given && ctx && host >= 0 && o->selected &&
               (r = o->selected(ctx, &f, e)) != 0) {
        if (r < 0)
            return -1;
    } else {
        return err_set(e, "Command '%s' needs a %s: select one%s or name it", a->name,
                       o->word, o->view ? o->view : "");
    }
    c->host = f.host;
    snprintf(c->uuid, sizeof(c->uuid), "%s", f.uuid);
    c->name = xstrdup(f.name);
    if (k >= 0) {
        free(c->vals[k]);
        c->vals[k] = xstrdup(f.name);
    }
    return 0;
}

int
act_check_target(const struct act_call *c, struct err *e)
{
    const struct target_ops *o = act_target_ops(c->act->target);

    return o->check ? o->check(c, e) : 0;
}

void
act_reread_target(const struct act_call *c)
{
    const struct target_ops *o = act_target_ops(c->act->target);

    if (o->reread)
        o->reread(c->host, c->uuid, (c->act->flags & ACT_MUTATES) != 0,
                  (c->act->flags & ACT_EVENT) != 0);
}

void
action_reread(enum act_target t, int host, const char *uuid)
{
    const struct target_ops *o = act_target_ops(t);

    if (o->reread)
        o->reread(host, uuid, true, false);
}

const char *
action_define_row(enum act_target t)
{
    return act_target_ops(t)->define;
}
