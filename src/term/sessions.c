/* sessions.c: the registry of console and preview sessions.
 *
 * Sessions are kept in opening order and found by id (unique across
 * kinds) or by domain. While any exist the registry watches the domains
 * in the model: a STOPPED session whose domain runs again asks its back
 * end to reattach, a CLOSED one whose domain stopped becomes STOPPED, and
 * a back end may look at a CLOSED session whose domain still runs (a new
 * QEMU under the same domain). What attaching means (a stream, a VNC
 * thread) stays in the back end. */
#include <autoconf.h>

#include <stdio.h>
#include <stdlib.h>
#include <libvirt/libvirt.h>

#include "log.h"
#include "sessions.h"

static struct session **S;
static size_t nS;
static int next_id = 1;
static int notify_id;

static const char *const state_names[][2] = {
#define X(e, c, p) { c, p },
    SESSION_STATES(X)
#undef X
};

const char *
sessions_state_name(const struct session *s)
{
    return state_names[s->state][s->kind == SESSION_PREVIEW];
}

bool
sessions_domain_running(const struct session *s)
{
    const struct m_dom *d;

    if (s->host < 0)
        return true;
    d = model_dom_get(s->host, s->uuid);
    return d && d->state != VIR_DOMAIN_SHUTOFF && d->state != VIR_DOMAIN_CRASHED &&
           d->state != VIR_DOMAIN_NOSTATE;
}

void
sessions_changed(const struct session *s)
{
    char key[16];

    snprintf(key, sizeof(key), "%d", s->id);
    notify_emit(s->ops->notify, s->host, key, MODEL_CHANGED);
}

void
sessions_set_state(struct session *s, enum session_state st, const char *msg)
{
    char *copy = xstrdup(msg);

    /* a failure's reason reaches the message history (m) once, not only
     * the pane, which may be too narrow for it */
    if ((st == SESSION_FAILED || st == SESSION_REFUSED) && msg &&
        (s->state != st || !s->msg || STRNEQ(s->msg, msg)))
        log_msg(st == SESSION_FAILED ? LOG_ERROR : LOG_WARN, "%s", msg);
    s->state = st;
    free(s->msg);
    s->msg = copy;
    sessions_changed(s);
}

void
sessions_stopped(struct session *s)
{
    AUTOFREE char *m = xasprintf("Domain '%s' is not running; %s", s->name,
                                 s->ops->when_running);

    sessions_set_state(s, SESSION_STOPPED, m);
}

/* A domain changed: its sessions follow it. */
static void
on_notify(const struct notify_ev *ev, void *opaque)
{
    if (ev->kind != NOTIFY_DOMAIN && ev->kind != NOTIFY_DOMAINS)
        return;
    /* the hooks neither open nor close sessions */
    for (size_t i = 0; i < nS; i++) {
        struct session *s = S[i];

        if (s->closing || s->host != ev->host || (ev->key && STRNEQ(ev->key, s->uuid)))
            continue;
        if (s->state == SESSION_STOPPED && sessions_domain_running(s))
            s->ops->reattach(s);
        else if (s->state == SESSION_CLOSED && !sessions_domain_running(s))
            sessions_stopped(s);
        else if (s->state == SESSION_CLOSED && s->ops->closed_running)
            s->ops->closed_running(s);
    }
}

struct session *
sessions_add(const struct session_ops *ops, int host, const char *uuid,
             const char *name, const char *dev, void *impl)
{
    struct session *s = xcalloc(1, sizeof(*s));

    if (!notify_id)
        notify_id = notify_subscribe(on_notify, NULL);
    s->id = next_id++;
    s->kind = ops->kind;
    s->host = host;
    snprintf(s->uuid, sizeof(s->uuid), "%s", uuid);
    s->name = xstrdup(name);
    s->dev = xstrdup(dev);
    s->state = SESSION_CLOSED;
    s->ops = ops;
    s->impl = impl;
    S = xreallocarray(S, nS + 1, sizeof(*S));
    S[nS++] = s;
    return s;
}

void
sessions_remove(struct session *s)
{
    for (size_t i = 0; i < nS; i++) {
        if (S[i] != s)
            continue;
        memmove(&S[i], &S[i + 1], (nS - i - 1) * sizeof(*S));
        nS--;
        break;
    }
    free(s->name);
    free(s->dev);
    free(s->msg);
    free(s);
    if (!nS) {
        free(S);
        S = NULL;
        if (notify_id)
            notify_unsubscribe(notify_id);
        notify_id = 0;
    }
}

struct session *
sessions_get(int id)
{
    for (size_t i = 0; i < nS; i++) {
        if (S[i]->id == id)
            return S[i]->closing ? NULL : S[i];
    }
    return NULL;
}

struct session *
sessions_find(enum session_kind kind, int host, const char *uuid, const char *dev)
{
    for (size_t i = 0; i < nS; i++) {
        struct session *s = S[i];

        if (!s->closing && s->kind == kind && s->host == host && STREQ(s->uuid, uuid) &&
            ((!dev && !s->dev) || (dev && s->dev && STREQ(dev, s->dev))))
            return s;
    }
    return NULL;
}

struct session **
sessions_list(size_t *n)
{
    *n = nS;
    return S;
}

size_t
sessions_count(enum session_kind kind)
{
    size_t n = 0;

    for (size_t i = 0; i < nS; i++)
        n += S[i]->kind == kind;
    return n;
}
