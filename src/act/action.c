/* action.c: the action table's dispatcher. A command line (typed after
 * ':' or bound to a key) is parsed against a row's typed arguments the way
 * virsh parses it: positional arguments in virsh's order, --options, and
 * "--" to end options. The dispatcher resolves the target from the name or
 * the selection, refuses what the host or the object's state does not
 * allow, asks the UI to confirm destructive rows, shows the equivalent
 * virsh command and queues the handler on the target's host worker. */
#include <autoconf.h>

#include <stdio.h>
#include <stdlib.h>
#include <libvirt/virterror.h>

#include "act.h"
#include "log.h"
#include "storxml.h"

static const struct action_ui *UI;

static const struct action *const families[] = { act_domain_rows, act_clone_rows,
                                                 act_template_rows,
                                                 act_blockjob_rows,
                                                 act_disk_rows,
                                                 act_iface_rows,
                                                 act_network_rows, act_storage_rows,
                                                 act_volume_rows, act_volxfer_rows,
                                                 act_snapshot_rows, act_ui_rows };

void
action_set_ui(const struct action_ui *ui)
{
    UI = ui;
}

const struct action *
action_find(const char *name)
{
    for (size_t f = 0; f < ARRAY_CARDINALITY(families); f++) {
        for (const struct action *a = families[f]; a->name; a++) {
            if (STREQ(a->name, name))
                return a;
        }
    }
    return NULL;
}

/* All rows in one array, built once. */
const struct action *
action_table(void)
{
    static struct action *all;

    if (!all) {
        size_t n = 0, k = 0;

        for (size_t f = 0; f < ARRAY_CARDINALITY(families); f++)
            for (const struct action *a = families[f]; a->name; a++)
                n++;
        all = xcalloc(n + 1, sizeof(*all));
        for (size_t f = 0; f < ARRAY_CARDINALITY(families); f++)
            for (const struct action *a = families[f]; a->name; a++)
                all[k++] = *a;
    }
    return all;
}

void
action_call_free(struct act_call *c)
{
    if (!c)
        return;
    for (int i = 0; i < ACT_MAX_ARGS; i++)
        free(c->vals[i]);
    free(c->name);
    free(c->pool);
    free(c->result);
    free(c->output);
    free(c->virsh);
    free(c->ask);
    free(c->ask_note);
    free(c);
}

const char *
action_arg(const struct act_call *c, const char *name)
{
    for (int i = 0; c->act->args[i].name && i < ACT_MAX_ARGS; i++) {
        if (STREQ(c->act->args[i].name, name))
            return c->vals[i];
    }
    return NULL;
}

int
action_arg_index(const struct action *a, const char *name)
{
    for (int i = 0; a->args[i].name; i++) {
        if (STREQ(a->args[i].name, name))
            return i;
    }
    return -1;
}

/* A host named by URI, or by a unique part of one. */
static int
find_host(const char *spec, struct err *e)
{
    int found = -1, n = 0;

    for (int i = 0; i < model_nhosts(); i++) {
        if (STREQ(model_host_get(i)->uri, spec))
            return i;
    }
    for (int i = 0; i < model_nhosts(); i++) {
        if (strstr(model_host_get(i)->uri, spec)) {
            found = i;
            n++;
        }
    }
    if (n == 1)
        return found;
    err_set(e, n ? "More than one host matches '%s'; give the whole URI"
                 : "No host '%s' is open", spec);
    return -1;
}

/* Find domain by name (or UUID): the given host first, then the others. */
static struct m_dom *
find_domain(const char *name, int host, bool host_given, struct err *e)
{
    struct m_dom *d = NULL, *other = NULL;
    int nother = 0;

    if (host >= 0 && ((d = model_dom_by_name(host, name)) ||
                      (d = model_dom_get(host, name))))
        return d;
    if (host_given) {
        err_set(e, "Domain '%s' not found on '%s'", name,
                model_host_get(host)->uri);
        return NULL;
    }
    for (int h = 0; h < model_nhosts(); h++) {
        if (h == host)
            continue;
        if ((d = model_dom_by_name(h, name)) || (d = model_dom_get(h, name))) {
            other = d;
            nother++;
        }
    }
    if (nother == 1)
        return other;
    err_set(e, nother ? "Domain '%s' exists on several hosts; add --host URI"
                      : "Domain '%s' not found", name);
    return NULL;
}

int
action_parse(const char *line, const struct act_ctx *ctx,
             struct act_call **out, struct err *e)
{
    int nw, host = ctx ? ctx->host : -1, target_arg = -1;
    bool host_given = false, opts_done = false;
    char **w = util_split_words(line, &nw, NULL);
    const struct action *a;
    struct act_call *c;

    *out = NULL;
    if (!w)
        return err_set(e, "Unbalanced quotes in '%s'", line);
    if (nw == 0) {
        util_strv_free(w);
        return err_set(e, "Type a command; Tab completes, :help lists them");
    }
    if (!(a = action_find(w[0]))) {
        err_set(e, "Unknown command '%s'; :help lists the commands", w[0]);
        util_strv_free(w);
        return -1;
    }
    c = xcalloc(1, sizeof(*c));
    c->act = a;
    c->host = -1;
    for (int i = 1; i < nw; i++) {
        const char *word = w[i];
        int k;

        if (!opts_done && STREQ(word, "--")) {
            opts_done = true;
            continue;
        }
        if (!opts_done && STRPREFIX(word, "--") && word[2]) {
            AUTOFREE char *name = xstrdup(word + 2);
            char *eq = strchr(name, '=');
            const char *val = NULL;

            if (eq) {
                *eq = '\0';
                val = eq + 1;
            }
            if (STREQ(name, "host")) {
                if (!val && i + 1 >= nw) {
                    err_set(e, "Option --host needs a URI");
                    goto error;
                }
                if ((host = find_host(val ? val : w[++i], e)) < 0)
                    goto error;
                host_given = true;
                continue;
            }
            if ((k = action_arg_index(a, name)) < 0) {
                err_set(e, "Command '%s' has no option '--%s'", a->name, name);
                goto error;
            }
            if (a->args[k].type == ARG_BOOL) {
                if (val) {
                    err_set(e, "Option --%s of '%s' takes no value", name, a->name);
                    goto error;
                }
                free(c->vals[k]);
                c->vals[k] = xstrdup("1");
                continue;
            }
            if (!val && i + 1 >= nw) {
                err_set(e, "Option --%s of '%s' needs a value", name, a->name);
                goto error;
            }
            val = val ? val : w[++i];
            if (c->vals[k] && (a->args[k].flags & ARG_REPEAT)) {
                char *more = xasprintf("%s\n%s", c->vals[k], val);

                free(c->vals[k]);
                c->vals[k] = more;
                continue;
            }
            free(c->vals[k]);
            c->vals[k] = xstrdup(val);
            continue;
        }
        for (k = 0; a->args[k].name; k++) {
            if ((a->args[k].flags & ARG_POSITIONAL) && !c->vals[k])
                break;
        }
        if (!a->args[k].name) {
            err_set(e, "Command '%s' takes no further argument '%s'", a->name, word);
            goto error;
        }
        c->vals[k] = xstrdup(word);
    }

    if (a->target == TARGET_DOMAIN || a->target == TARGET_SNAPSHOT) {
        struct m_dom *d = NULL;

        target_arg = action_arg_index(a, "domain");
        if (target_arg >= 0 && c->vals[target_arg]) {
            if (!(d = find_domain(c->vals[target_arg], host, host_given, e)))
                goto error;
        } else if (ctx && ctx->uuid && host >= 0 && !host_given) {
            if (!(d = model_dom_get(host, ctx->uuid))) {
                err_set(e, "The selected domain is gone");
                goto error;
            }
        } else {
            err_set(e, "Command '%s' needs a domain: select one or name it", a->name);
            goto error;
        }
        c->host = d->host;
        snprintf(c->uuid, sizeof(c->uuid), "%s", d->uuid);
        c->name = xstrdup(d->name);
        if (target_arg >= 0) {
            free(c->vals[target_arg]);
            c->vals[target_arg] = xstrdup(d->name);
        }
        if (a->target == TARGET_SNAPSHOT && act_resolve_snapshot(c, ctx, e) < 0)
            goto error;
    } else if (a->target == TARGET_NETWORK) {
        struct m_net *n = NULL;
        int k = action_arg_index(a, "network");

        if (k >= 0 && c->vals[k]) {
            for (int h = host_given ? host : 0; h < model_nhosts() && !n; h++) {
                if (!host_given && host >= 0 && h != host && model_net_by_name(host, c->vals[k]))
                    continue;
                n = model_net_by_name(h, c->vals[k]);
                if (!n)
                    n = model_net_get(h, c->vals[k]);
                if (host_given)
                    break;
            }
            if (!n && host >= 0)
                n = model_net_by_name(host, c->vals[k]);
            if (!n) {
                err_set(e, "Network '%s' not found", c->vals[k]);
                goto error;
            }
        } else if (ctx && ctx->net && host >= 0) {
            n = model_net_get(host, ctx->net);
        }
        if (!n) {
            err_set(e, "Command '%s' needs a network: select one (2) or name it", a->name);
            goto error;
        }
        c->host = n->host;
        snprintf(c->uuid, sizeof(c->uuid), "%s", n->uuid);
        c->name = xstrdup(n->name);
        if (k >= 0) {
            free(c->vals[k]);
            c->vals[k] = xstrdup(n->name);
        }
    } else if (a->target == TARGET_POOL || a->target == TARGET_VOLUME) {
        if (act_resolve_storage(c, ctx, host, host_given, e) < 0)
            goto error;
    } else if (a->target == TARGET_HOST) {
        if (host < 0 && !host_given && a->args[0].name &&
            STREQ(a->args[0].name, "host") && c->vals[0] &&
            (host = find_host(c->vals[0], e)) < 0)
            goto error;
        c->host = host >= 0 ? host : 0;
        if (!model_host_get(c->host)) {
            err_set(e, "No host is open");
            goto error;
        }
    }
    for (int k = 0; a->args[k].name; k++) {
        if ((a->args[k].flags & ARG_REQUIRED) && !c->vals[k]) {
            AUTOFREE char *usage = action_usage(a);

            err_set(e, "Command '%s' needs <%s>; usage: %s", a->name,
                    a->args[k].name, usage);
            goto error;
        }
    }
    util_strv_free(w);
    *out = c;
    return 0;

 error:
    util_strv_free(w);
    action_call_free(c);
    return -1;
}

char *
action_usage(const struct action *a)
{
    char *u = xstrdup(a->name);

    for (int k = 0; a->args[k].name; k++) {
        char *n;

        if (a->args[k].flags & ARG_POSITIONAL)
            n = xasprintf((a->args[k].flags & ARG_REQUIRED) ? "%s <%s>" : "%s [<%s>]",
                          u, a->args[k].name);
        else if (a->args[k].type == ARG_BOOL)
            n = xasprintf("%s [--%s]", u, a->args[k].name);
        else
            n = xasprintf("%s [--%s <%s>]", u, a->args[k].name, a->args[k].name);
        free(u);
        u = n;
    }
    return u;
}

char *
action_virsh_line(const struct act_call *c)
{
    const struct m_host *h = model_host_get(c->host);
    AUTOFREE char *uri = util_shell_quote(h ? h->uri : "");
    char *line = xasprintf("virsh -c %s %s", uri, c->act->name);

    for (int k = 0; c->act->args[k].name; k++) {
        const struct act_arg *arg = &c->act->args[k];
        AUTOFREE char *q = NULL;
        char *n;

        if (!c->vals[k] || (arg->flags & ARG_VIRTMUX))
            continue;
        if (arg->type == ARG_BOOL) {
            n = xasprintf("%s --%s", line, arg->name);
        } else if (arg->flags & ARG_REPEAT) {
            /* each value its own --option, as it was typed */
            AUTOFREE char *opts = xstrdup("");

            for (char *v = c->vals[k], *nl; v; v = nl ? nl + 1 : NULL) {
                AUTOFREE char *one = (nl = strchr(v, '\n')) ? xstrndup(v, (size_t)(nl - v))
                                                            : xstrdup(v);
                AUTOFREE char *qv = util_shell_quote(one);
                char *t = xasprintf("%s --%s %s", opts, arg->name, qv);

                free(opts);
                opts = t;
            }
            n = xasprintf("%s%s", line, opts);
        } else {
            q = util_shell_quote(c->vals[k]);
            /* a value starting with '-' must not read as an option */
            if ((arg->flags & ARG_POSITIONAL) && c->vals[k][0] != '-')
                n = xasprintf("%s %s", line, q);
            else
                n = xasprintf("%s --%s %s", line, arg->name, q);
        }
        free(line);
        line = n;
    }
    return line;
}

static void
call_done(struct req *r)
{
    struct act_call *c = (struct act_call *)r;
    struct m_dom *d;

    /* what an action writes may be volume data the workers keep (done or
     * failed: a failure may have written half); lifecycle rows write none */
    if ((c->act->flags & ACT_MUTATES) && !(c->act->flags & ACT_EVENT))
        host_storage_touch(c->host);
    if (r->rc < 0) {
        log_msg(LOG_ERROR, "%s", r->err.msg);
    } else {
        if (c->result && c->virsh)
            log_msg(LOG_INFO, "%s   $ %s", c->result, c->virsh);
        else if (c->result)
            log_msg(LOG_INFO, "%s", c->result);
        if (c->act->done)
            c->act->done(c);
    }
    if ((c->act->target == TARGET_DOMAIN || c->act->target == TARGET_SNAPSHOT) &&
        (c->act->flags & ACT_MUTATES)) {
        d = model_dom_get(c->host, c->uuid);
        /* a lifecycle event re-reads it (events first, DESIGN rule 4);
         * a failed call changed nothing to report */
        if (!((c->act->flags & ACT_EVENT) && host_has_events(c->host)))
            host_refresh_domain(c->host, c->uuid, d && d->details);
        /* libvirt has no snapshot events: re-read them, done or failed */
        if (c->act->target == TARGET_SNAPSHOT)
            host_refresh_snapshots(c->host, c->uuid);
    } else if (c->act->target == TARGET_NETWORK && (c->act->flags & ACT_MUTATES)) {
        host_refresh_network(c->host, c->uuid);
    } else if ((c->act->target == TARGET_POOL || c->act->target == TARGET_VOLUME) &&
               (c->act->flags & ACT_MUTATES)) {
        host_refresh_pool(c->host, c->uuid);
    }
    action_call_free(c);
}

static int
call_work(struct req *r, virConnectPtr conn)
{
    struct act_call *c = (struct act_call *)r;

    return c->act->run(c, conn);
}

static void
submit(struct act_call *c)
{
    if (c->act->flags & ACT_UI) {
        if (UI && UI->ui_action)
            UI->ui_action(c);
        action_call_free(c);
        return;
    }
    c->r = (struct req){ .what = c->act->name, .host = c->host,
                         .work = call_work, .done = call_done };
    host_submit(&c->r);
}

static void
confirmed(bool ok, void *opaque)
{
    struct act_call *c = opaque;

    if (!ok) {
        log_msg(LOG_INFO, "Cancelled: %s of '%s'", c->act->name,
                c->name ? c->name : "?");
        action_call_free(c);
        return;
    }
    submit(c);
}

int
action_validate(const struct act_fill *f, struct err *e)
{
    static const char *const sizes[] = { "size", "capacity" };

    for (size_t i = 0; i < ARRAY_CARDINALITY(sizes); i++) {
        const char *v = f->get(f, sizes[i]);
        unsigned long long b;

        /* vol-resize's "-1G" with --shrink is its own business */
        if (v && v[0] != '-' && storxml_parse_size(v, sizes[i], &b, e) < 0)
            return -1;
    }
    return f->act->validate ? f->act->validate(f, e) : 0;
}

/* What the host and the object's state allow; NULL when all is well. */
static int
check(const struct act_call *c, struct err *e)
{
    const struct action *a = c->act;
    const struct m_host *h = model_host_get(c->host);
    const struct m_dom *d;
    bool active;

    /* UI rows: only those on an object need a connected host and a state */
    if ((a->flags & ACT_UI) && a->target != TARGET_DOMAIN && a->target != TARGET_NETWORK &&
        a->target != TARGET_POOL && a->target != TARGET_VOLUME)
        return 0;
    if (h->state != HOST_UP)
        return err_set(e, "Not connected (%s) to host '%s'%s%s",
                       model_host_state_name(h->state), h->uri,
                       h->reason ? ": " : "", h->reason ? h->reason : "");
    if ((a->flags & ACT_MUTATES) && h->readonly)
        return err_set(e, "Host '%s' is open read-only: '%s' would change it",
                       h->uri, a->name);
    if (a->target == TARGET_NETWORK) {
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
    if (a->target == TARGET_POOL || a->target == TARGET_VOLUME)
        return act_check_storage(c, e);
    if (a->target != TARGET_DOMAIN && a->target != TARGET_SNAPSHOT)
        return 0;
    if (!(d = model_dom_get(c->host, c->uuid)))
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
    return a->target == TARGET_SNAPSHOT ? act_check_snapshot(c, e) : 0;
}

/* Ask the row's question (or the plan's) when there is one, then submit. */
static void
ask(struct act_call *c)
{
    AUTOFREE char *q = NULL;

    if (!UI || !UI->confirm) {
        submit(c);
        return;
    }
    /* a row's own question (what will be lost, a template) asks even when
     * the row is not destructive in general; NULL from it means no need */
    q = c->ask ? xstrdup(c->ask) : c->act->question ? c->act->question(c) : NULL;
    if (!q && (c->act->flags & ACT_CONFIRM_NAME))
        q = xasprintf("%s '%s'? Type the %s's name to confirm:", c->act->name, c->name,
                      act_target_word(c->act->target));
    else if (!q && (c->act->flags & ACT_DESTRUCTIVE))
        q = xasprintf("%s '%s'? %s. [y/N]", c->act->name,
                      c->name ? c->name : c->host >= 0 ? model_host_get(c->host)->uri
                                                       : "the preview",
                      c->act->help);
    if (q && c->ask_note) {
        /* the plan's sentence leads the detail line */
        const char *nl = strrchr(q, '\n');
        char *t = nl ? xasprintf("%s %s", c->ask_note, q) : xasprintf("%s\n%s", c->ask_note, q);

        free(q);
        q = t;
    }
    if (!q) {
        submit(c);
        return;
    }
    UI->confirm(q, (c->act->flags & ACT_CONFIRM_NAME) ? c->name : NULL, confirmed, c);
}

static int
plan_work(struct req *r, virConnectPtr conn)
{
    struct act_call *c = (struct act_call *)r;

    return c->act->plan(c, conn);
}

static void
plan_done(struct req *r)
{
    struct act_call *c = (struct act_call *)r;

    if (r->rc < 0) {
        log_msg(LOG_ERROR, "%s", r->err.msg);
        action_call_free(c);
        return;
    }
    ask(c);
}

/* A ':' line's argument; its target's name when the selection gave it. */
static const char *
call_get(const struct act_fill *f, const char *arg)
{
    const struct act_call *c = f->opaque;
    const char *v = action_arg(c, arg);

    if (!v && c->act->args[0].name && STREQ(c->act->args[0].name, arg))
        v = c->name;
    return v;
}

/* The row's checks that need no host, on a ':' line's arguments (as a
 * form runs them on its fields). */
static int
validate_call(struct act_call *c, struct err *e)
{
    struct act_fill f = { .act = c->act, .host = c->host, .get = call_get, .opaque = c };

    return action_validate(&f, e);
}

int
action_run_line(const char *line, const struct act_ctx *ctx)
{
    struct act_call *c;
    struct err e;

    if (action_parse(line, ctx, &c, &e) < 0 || check(c, &e) < 0 ||
        validate_call(c, &e) < 0) {
        log_msg(LOG_ERROR, "%s", e.msg);
        if (c)
            action_call_free(c);
        return -1;
    }
    if ((c->act->target == TARGET_DOMAIN || c->act->target == TARGET_SNAPSHOT) &&
        model_nhosts() > 1) {
        int on = 0;

        for (int h = 0; h < model_nhosts(); h++)
            on += model_dom_by_name(h, c->name) != NULL;
        if (on > 1)
            log_msg(LOG_INFO, "'%s' exists on %d hosts: %s acts on the one on %s "
                    "(--host URI picks another)", c->name, on, c->act->name,
                    model_host_get(c->host)->uri);
    }
    if (!(c->act->flags & (ACT_UI | ACT_NO_VIRSH))) {
        c->virsh = action_virsh_line(c);
        if (UI && UI->status) {
            AUTOFREE char *msg = xasprintf("$ %s", c->virsh);

            UI->status(msg);
        }
    }
    /* a row with a plan checks on the host first: a refusal comes before
     * any question, and the question names the files */
    if (c->act->plan) {
        c->r = (struct req){ .what = c->act->name, .host = c->host,
                             .work = plan_work, .done = plan_done };
        host_submit(&c->r);
        return 0;
    }
    ask(c);
    return 0;
}

const char *
act_target_word(enum act_target t)
{
    switch (t) {
    case TARGET_NETWORK: return "network";
    case TARGET_POOL: return "pool";
    case TARGET_VOLUME: return "volume";
    case TARGET_SNAPSHOT: return "snapshot";
    case TARGET_HOST: return "host";
    default: return "domain";
    }
}

/* Hooks for rows whose result the UI shows (dumpxml, edit). */

void
act_show_output(struct act_call *c)
{
    if (UI && UI->show_text && c->output) {
        AUTOFREE char *title = xasprintf("%s %s", c->act->name, c->name);

        UI->show_text(title, c->output);
    }
}

void
act_open_editor(struct act_call *c)
{
    if (UI && UI->edit && c->output)
        UI->edit(c->host, c->act->target, c->uuid, c->name, c->output);
}
