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

static const struct action *const families[] = { act_domain_rows, act_define_rows,
                                                 act_clone_rows,
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
    free(c->made);
    free(c);
}

/* The call is over (done, failed, refused or cancelled): tell whoever
 * asked to hear (action_run_line_then), then free it. */
static void
call_end(struct act_call *c, const char *error)
{
    if (c->then)
        c->then(error, error ? NULL : c->made, c->then_opaque);
    action_call_free(c);
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

int
action_parse(const char *line, const struct act_ctx *ctx,
             struct act_call **out, struct err *e)
{
    int nw, host = ctx ? ctx->host : -1;
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

    if (a->target == TARGET_DOMAIN || a->target == TARGET_SNAPSHOT ||
        a->target == TARGET_NETWORK) {
        if (act_resolve_target(c, ctx, host, host_given, e) < 0)
            goto error;
        if (a->target == TARGET_SNAPSHOT && act_resolve_snapshot(c, ctx, e) < 0)
            goto error;
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
    AUTOFREE char *more = xstrdup("");

    for (int k = 0; c->act->args[k].name; k++) {
        const struct act_arg *arg = &c->act->args[k];
        AUTOFREE char *q = NULL;
        char *n;

        if (c->vals[k] && (arg->flags & ARG_VIRTMUX) && !(arg->flags & ARG_CHECK_ONLY)) {
            /* work virsh does not do: say so rather than show a line that
             * does less than what runs */
            n = arg->type == ARG_BOOL ? xasprintf("%s --%s", more, arg->name)
                                      : xasprintf("%s --%s %s", more, arg->name, c->vals[k]);
            free(more);
            more = n;
        }
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
    if (more[0]) {
        char *n = xasprintf("%s   (and virtmux's own%s, which virsh has not)", line, more);

        free(line);
        line = n;
    }
    return line;
}

static void
call_done(struct req *r)
{
    struct act_call *c = (struct act_call *)r;

    /* what an action writes may be volume data the workers keep (done or
     * failed: a failure may have written half); lifecycle rows write none */
    if ((c->act->flags & ACT_MUTATES) && !(c->act->flags & ACT_EVENT))
        host_storage_touch(c->host);
    if (r->rc < 0) {
        log_msg(LOG_ERROR, "%s", r->err.msg);
    } else {
        /* the model says what the message says at once; the lifecycle
         * event's re-read follows with the rest */
        if (c->state_after)
            model_dom_set_state(c->host, c->uuid, c->state_after,
                                c->state_after == VIR_DOMAIN_SHUTOFF);
        if (c->act->flags & ACT_AWAIT)
            model_dom_await(c->host, c->uuid);
        if (c->result && c->virsh)
            log_msg(LOG_INFO, "%s   $ %s", c->result, c->virsh);
        else if (c->result)
            log_msg(LOG_INFO, "%s", c->result);
        if (c->act->done)
            c->act->done(c);
    }
    act_reread_target(c);
    call_end(c, r->rc < 0 ? r->err.msg : NULL);
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
        call_end(c, NULL);
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
        if (c->name)
            log_msg(LOG_INFO, "Cancelled: %s of '%s'", c->act->name, c->name);
        else
            log_msg(LOG_INFO, "Cancelled: %s", c->act->name);
        call_end(c, "Cancelled");
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

int
action_host_allows(const struct action *a, int host, struct err *e)
{
    const struct m_host *h = model_host_get(host);

    if (!h)
        return err_set(e, "No host is open");
    if (h->state != HOST_UP)
        return err_set(e, "Not connected (%s) to host '%s'%s%s",
                       model_host_state_name(h->state), h->uri,
                       h->reason ? ": " : "", h->reason ? h->reason : "");
    if ((a->flags & ACT_MUTATES) && h->readonly)
        return err_set(e, "Host '%s' is open read-only: '%s' would change it",
                       h->uri, a->name);
    return 0;
}

/* What the host and the object's state allow; NULL when all is well. */
static int
check(const struct act_call *c, struct err *e)
{
    const struct action *a = c->act;

    /* UI rows: only those on an object need a connected host and a state */
    if ((a->flags & ACT_UI) && !act_target_ops(a->target)->find)
        return 0;
    if (action_host_allows(a, c->host, e) < 0)
        return -1;
    return act_check_target(c, e);
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
        call_end(c, r->err.msg);
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
    return action_run_line_then(line, ctx, NULL, NULL);
}

int
action_run_line_then(const char *line, const struct act_ctx *ctx,
                     void (*then)(const char *error, const char *made, void *opaque),
                     void *opaque)
{
    struct act_call *c;
    struct err e;

    if (action_parse(line, ctx, &c, &e) < 0 || check(c, &e) < 0 ||
        validate_call(c, &e) < 0) {
        log_msg(LOG_ERROR, "%s", e.msg);
        action_call_free(c);
        if (then)
            then(e.msg, NULL, opaque);
        return -1;
    }
    c->then = then;
    c->then_opaque = opaque;
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
