/* consoles.c: console sessions.
 *
 * The stream is created and connected (virDomainOpenConsole) on the host's
 * worker, then handed to the loop thread, where its event callback reads
 * it without blocking, in bounded bursts so keys stay responsive under a
 * flood of output. Keys go out with virStreamSend; what the stream cannot
 * take yet waits for it to become writable. Finishing or aborting a stream
 * talks to the daemon, so that goes back to the worker. The session
 * watches its domain in the model: stopped -> "not running", running
 * again -> reattach. */
#include <autoconf.h>

#include <stdio.h>
#include <stdlib.h>
#include <libvirt/virterror.h>

#include "consoles.h"
#include "host.h"
#include "log.h"
#include "notify.h"

#define READ_BURST (256 * 1024)
#define SCROLLBACK 10000

static struct con_session **S;
static size_t nS;
static int next_id = 1;
static int notify_id;

static const char *state_names[] = {
#define X(e, s) s,
    CONSOLE_STATES(X)
#undef X
};

const char *
consoles_state_name(enum con_state s)
{
    return state_names[s];
}

struct con_session *
consoles_get(int id)
{
    for (size_t i = 0; i < nS; i++) {
        if (S[i]->id == id)
            return S[i];
    }
    return NULL;
}

struct con_session **
consoles_list(size_t *n)
{
    *n = nS;
    return S;
}

static void
changed(struct con_session *s)
{
    char key[16];

    snprintf(key, sizeof(key), "%d", s->id);
    notify_emit(NOTIFY_CONSOLE, s->host, key, MODEL_CHANGED);
}

static void
set_state(struct con_session *s, enum con_state st, const char *msg)
{
    char *copy = xstrdup(msg);

    s->state = st;
    free(s->msg);
    s->msg = copy;
    changed(s);
}

/* ---- worker side ---- */

static virStreamPtr
open_stream(virConnectPtr conn, const char *uuid, const char *name,
                     const char *dev, bool force, struct err *e)
{
    virDomainPtr dom = virDomainLookupByUUIDString(conn, uuid);
    virStreamPtr st;

    if (!dom) {
        err_virt(e, "Failed to find domain '%s'", name);
        return NULL;
    }
    if (!(st = virStreamNew(conn, VIR_STREAM_NONBLOCK))) {
        err_virt(e, "Failed to open the console of '%s'", name);
        virDomainFree(dom);
        return NULL;
    }
    if (virDomainOpenConsole(dom, dev, st, force ? VIR_DOMAIN_CONSOLE_FORCE : 0) < 0) {
        virErrorPtr ve = virGetLastError();

        e->code = ve ? ve->code : 0;
        err_virt(e, "Failed to open the console of '%s'", name);
        virStreamFree(st);
        virDomainFree(dom);
        return NULL;
    }
    virDomainFree(dom);
    return st;
}

struct stream_req {
    struct req r;
    int session;
    virStreamPtr st;
    char uuid[UUID_LEN];
    char *name, *dev;
    bool force;
    bool busy;
};

static void stream_req_free(struct stream_req *sr);

static int
open_work(struct req *r, virConnectPtr conn)
{
    struct stream_req *sr = (struct stream_req *)r;

    sr->st = open_stream(conn, sr->uuid, sr->name, sr->dev, sr->force, &r->err);
    /* another client holds it: libvirt says "Active console session exists" */
    sr->busy = !sr->st && r->err.code == VIR_ERR_OPERATION_FAILED &&
               strstr(r->err.msg, "ctive console session");
    return sr->st ? 0 : -1;
}

static int
close_work(struct req *r, virConnectPtr conn)
{
    struct stream_req *sr = (struct stream_req *)r;

    if (virStreamAbort(sr->st) < 0)
        virResetLastError();
    virStreamFree(sr->st);
    sr->st = NULL;
    return 0;
}

static void
close_done(struct req *r)
{
    stream_req_free((struct stream_req *)r);
}

static void
stream_req_free(struct stream_req *sr)
{
    if (sr->st) {
        /* nobody else will: drop our reference without talking */
        virStreamFree(sr->st);
    }
    free(sr->name);
    free(sr->dev);
    free(sr);
}

/* ---- loop side ---- */

static void on_stream(virStreamPtr st, int events, void *opaque);

static void
drop_stream(struct con_session *s)
{
    struct stream_req *sr;

    if (!s->st)
        return;
    virStreamEventRemoveCallback(s->st);
    virResetLastError();
    sr = xcalloc(1, sizeof(*sr));
    sr->r = (struct req){ .what = "console close", .host = s->host,
                          .work = close_work, .done = close_done };
    sr->st = s->st;
    s->st = NULL;
    s->npending = 0;
    host_submit(&sr->r);
}

static void
flush_pending(struct con_session *s)
{
    while (s->st && s->npending) {
        int n = virStreamSend(s->st, s->pending, s->npending);

        if (n == -2)
            break;
        if (n < 0) {
            virResetLastError();
            s->npending = 0;
            break;
        }
        memmove(s->pending, s->pending + n, s->npending - (size_t)n);
        s->npending -= (size_t)n;
    }
    if (s->st)
        virStreamEventUpdateCallback(s->st, VIR_STREAM_EVENT_READABLE |
                                     VIR_STREAM_EVENT_ERROR | VIR_STREAM_EVENT_HANGUP |
                                     (s->npending ? VIR_STREAM_EVENT_WRITABLE : 0));
}

static void
to_guest(const char *bytes, size_t len, void *opaque)
{
    struct con_session *s = consoles_get((int)(intptr_t)opaque);

    if (!s || !s->st || s->state != CON_OPEN)
        return;
    if (s->npending + len > 1024 * 1024)
        return;      /* the guest is not reading: drop keys, not memory */
    s->pending = xrealloc(s->pending, s->npending + len);
    memcpy(s->pending + s->npending, bytes, len);
    s->npending += len;
    flush_pending(s);
}

static bool
domain_running(const struct con_session *s)
{
    const struct m_dom *d = model_dom_get(s->host, s->uuid);

    return d && d->state != VIR_DOMAIN_SHUTOFF && d->state != VIR_DOMAIN_CRASHED &&
           d->state != VIR_DOMAIN_NOSTATE;
}

static void
stream_ended(struct con_session *s, const char *why)
{
    drop_stream(s);
    if (!domain_running(s)) {
        AUTOFREE char *m = xasprintf("Domain '%s' is not running; the console "
                                     "reattaches when it starts", s->name);

        set_state(s, CON_STOPPED, m);
    } else {
        set_state(s, CON_CLOSED, why);
    }
}

static void
attach(struct con_session *s, virStreamPtr st)
{
    const struct m_dom *d = model_dom_get(s->host, s->uuid);

    s->dom_id = d ? d->id : -1;
    s->st = st;
    if (virStreamEventAddCallback(st, VIR_STREAM_EVENT_READABLE |
                                  VIR_STREAM_EVENT_ERROR | VIR_STREAM_EVENT_HANGUP,
                                  on_stream, (void *)(intptr_t)s->id, NULL) < 0) {
        virResetLastError();
        drop_stream(s);
        set_state(s, CON_FAILED, "Cannot watch the console stream");
        return;
    }
    set_state(s, CON_OPEN, NULL);
}

static void
on_stream(virStreamPtr st, int events, void *opaque)
{
    struct con_session *s = consoles_get((int)(intptr_t)opaque);
    char buf[16384];
    size_t total = 0;

    if (!s || s->st != st)
        return;
    if (events & VIR_STREAM_EVENT_WRITABLE)
        flush_pending(s);
    if (events & VIR_STREAM_EVENT_READABLE) {
        while (total < READ_BURST) {
            int n = virStreamRecv(st, buf, sizeof(buf));

            if (n == -2)
                break;
            if (n <= 0) {
                if (n < 0)
                    virResetLastError();
                stream_ended(s, "The console stream was closed (another client may "
                             "have taken it over); press f to take it back");
                return;
            }
            console_feed(s->con, buf, (size_t)n);
            total += (size_t)n;
        }
        if (total)
            changed(s);
    }
    if (events & (VIR_STREAM_EVENT_ERROR | VIR_STREAM_EVENT_HANGUP))
        stream_ended(s, "The console stream was closed by the host; press f to reattach");
}

static void
open_done(struct req *r)
{
    struct stream_req *sr = (struct stream_req *)r;
    struct con_session *s = consoles_get(sr->session);

    if (!s) {
        if (sr->st) {
            /* closed while opening: close on the worker */
            sr->r = (struct req){ .what = "console close", .host = r->host,
                                  .work = close_work, .done = close_done };
            host_submit(&sr->r);
            return;
        }
    } else if (r->rc == 0) {
        attach(s, sr->st);
        sr->st = NULL;
    } else if (sr->busy) {
        AUTOFREE char *m = xasprintf("Another client holds the console of '%s'; "
                                     "press f to take it over", s->name);

        set_state(s, CON_BUSY, m);
    } else if (!domain_running(s)) {
        AUTOFREE char *m = xasprintf("Domain '%s' is not running; the console "
                                     "reattaches when it starts", s->name);

        set_state(s, CON_STOPPED, m);
    } else {
        set_state(s, CON_FAILED, r->err.msg);
    }
    stream_req_free(sr);
}

void
consoles_reattach(int id, bool force)
{
    struct con_session *s = consoles_get(id);
    struct stream_req *sr;

    if (!s || s->state == CON_OPENING || (s->state == CON_OPEN && !force))
        return;
    drop_stream(s);
    set_state(s, CON_OPENING, NULL);
    sr = xcalloc(1, sizeof(*sr));
    sr->r = (struct req){ .what = "console", .host = s->host,
                          .work = open_work, .done = open_done };
    sr->session = s->id;
    snprintf(sr->uuid, sizeof(sr->uuid), "%s", s->uuid);
    sr->name = xstrdup(s->name);
    sr->dev = xstrdup(s->dev);
    sr->force = force;
    host_submit(&sr->r);
}

/* The domain went from not running to running, or runs as a new QEMU:
 * reattach by itself. */
static void
on_notify(const struct notify_ev *ev, void *opaque)
{
    if (ev->kind != NOTIFY_DOMAIN && ev->kind != NOTIFY_DOMAINS)
        return;
    for (size_t i = 0; i < nS; i++) {
        struct con_session *s = S[i];
        const struct m_dom *d;

        if (s->host != ev->host || (ev->key && STRNEQ(ev->key, s->uuid)))
            continue;
        d = model_dom_get(s->host, s->uuid);
        if (s->state == CON_STOPPED && domain_running(s))
            consoles_reattach(s->id, false);
        else if (s->state == CON_CLOSED && !domain_running(s))
            stream_ended(s, NULL);
        /* a new QEMU under the same domain (a revert to a running snapshot
         * starts one) never passes through shut off: its new ID tells */
        else if (s->state == CON_CLOSED && d && d->id >= 0 && d->id != s->dom_id) {
            s->dom_id = d->id;       /* one try per new QEMU */
            consoles_reattach(s->id, false);
        }
    }
}

static struct con_session *
session_new(int host, const char *uuid, const char *name, const char *dev,
            int rows, int cols)
{
    struct con_session *s = xcalloc(1, sizeof(*s));

    if (!notify_id)
        notify_id = notify_subscribe(on_notify, NULL);
    s->id = next_id++;
    s->host = host;
    snprintf(s->uuid, sizeof(s->uuid), "%s", uuid);
    s->name = xstrdup(name);
    s->dev = xstrdup(dev);
    s->con = console_new(rows, cols, SCROLLBACK);
    console_set_output(s->con, to_guest, (void *)(intptr_t)s->id);
    S = xreallocarray(S, nS + 1, sizeof(*S));
    S[nS++] = s;
    return s;
}

int
consoles_open(int host, const char *uuid, const char *name, const char *dev,
              bool force, int rows, int cols)
{
    struct con_session *s = session_new(host, uuid, name, dev, rows, cols);

    s->state = CON_CLOSED;
    consoles_reattach(s->id, force);
    return s->id;
}

int
consoles_find(int host, const char *uuid, const char *dev)
{
    for (size_t i = 0; i < nS; i++) {
        if (S[i]->host == host && STREQ(S[i]->uuid, uuid) &&
            ((!dev && !S[i]->dev) || (dev && S[i]->dev && STREQ(dev, S[i]->dev))))
            return S[i]->id;
    }
    return -1;
}

void
consoles_key(int id, const char *key)
{
    struct con_session *s = consoles_get(id);

    if (s && s->state == CON_OPEN)
        console_key(s->con, key);
}

void
consoles_close(int id)
{
    for (size_t i = 0; i < nS; i++) {
        struct con_session *s = S[i];

        if (s->id != id)
            continue;
        drop_stream(s);
        console_free(s->con);
        free(s->name);
        free(s->dev);
        free(s->msg);
        free(s->pending);
        free(s);
        memmove(&S[i], &S[i + 1], (nS - i - 1) * sizeof(*S));
        nS--;
        return;
    }
}

void
consoles_free_all(void)
{
    while (nS)
        consoles_close(S[0]->id);
    free(S);
    S = NULL;
    if (notify_id)
        notify_unsubscribe(notify_id);
    notify_id = 0;
}
