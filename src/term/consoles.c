/* consoles.c: console sessions.
 *
 * The stream is created and connected (virDomainOpenConsole) on the host's
 * worker, then handed to the loop thread, where its event callback reads
 * it without blocking, in bounded bursts so keys stay responsive under a
 * flood of output. Keys go out with virStreamSend; what the stream cannot
 * take yet waits for it to become writable. Finishing or aborting a stream
 * talks to the daemon, so that goes back to the worker. The registry
 * (sessions.c) watches the domain: stopped -> "not running", running
 * again -> reattach; a new QEMU under a closed session reattaches too. */
#include <autoconf.h>

#include <stdio.h>
#include <stdlib.h>
#include <libvirt/virterror.h>

#include "consoles.h"
#include "host.h"
#include "log.h"

#define READ_BURST (256 * 1024)
#define SCROLLBACK 10000

/* the back end's part of a session (its impl) */
struct con_session {
    struct console *con;
    virStreamPtr st;         /* loop thread */
    char *pending;           /* keys waiting for the stream to take them */
    size_t npending;
    int dom_id;              /* the domain's ID when attached (a new QEMU: a new ID) */
};

static struct session *
get(int id)
{
    struct session *s = sessions_get(id);

    return s && s->kind == SESSION_CONSOLE ? s : NULL;
}

static struct con_session *
con_of(const struct session *s)
{
    return s->impl;
}

struct console *
consoles_console(int id)
{
    struct session *s = get(id);

    return s ? con_of(s)->con : NULL;
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
drop_stream(struct session *s)
{
    struct con_session *c = con_of(s);
    struct stream_req *sr;

    if (!c->st)
        return;
    virStreamEventRemoveCallback(c->st);
    virResetLastError();
    sr = xcalloc(1, sizeof(*sr));
    sr->r = (struct req){ .what = "console close", .host = s->host,
                          .work = close_work, .done = close_done };
    sr->st = c->st;
    c->st = NULL;
    c->npending = 0;
    host_submit(&sr->r);
}

static void
flush_pending(struct con_session *c)
{
    while (c->st && c->npending) {
        int n = virStreamSend(c->st, c->pending, c->npending);

        if (n == -2)
            break;
        if (n < 0) {
            virResetLastError();
            c->npending = 0;
            break;
        }
        memmove(c->pending, c->pending + n, c->npending - (size_t)n);
        c->npending -= (size_t)n;
    }
    if (c->st)
        virStreamEventUpdateCallback(c->st, VIR_STREAM_EVENT_READABLE |
                                     VIR_STREAM_EVENT_ERROR | VIR_STREAM_EVENT_HANGUP |
                                     (c->npending ? VIR_STREAM_EVENT_WRITABLE : 0));
}

static void
to_guest(const char *bytes, size_t len, void *opaque)
{
    struct session *s = get((int)(intptr_t)opaque);
    struct con_session *c;

    if (!s || !(c = con_of(s))->st || s->state != SESSION_OPEN)
        return;
    if (c->npending + len > 1024 * 1024)
        return;      /* the guest is not reading: drop keys, not memory */
    c->pending = xrealloc(c->pending, c->npending + len);
    memcpy(c->pending + c->npending, bytes, len);
    c->npending += len;
    flush_pending(c);
}

static void
stream_ended(struct session *s, const char *why)
{
    drop_stream(s);
    if (!sessions_domain_running(s))
        sessions_stopped(s);
    else
        sessions_set_state(s, SESSION_CLOSED, why);
}

static void
attach(struct session *s, virStreamPtr st)
{
    const struct m_dom *d = model_dom_get(s->host, s->uuid);
    struct con_session *c = con_of(s);

    c->dom_id = d ? d->id : -1;
    c->st = st;
    if (virStreamEventAddCallback(st, VIR_STREAM_EVENT_READABLE |
                                  VIR_STREAM_EVENT_ERROR | VIR_STREAM_EVENT_HANGUP,
                                  on_stream, (void *)(intptr_t)s->id, NULL) < 0) {
        virResetLastError();
        drop_stream(s);
        sessions_set_state(s, SESSION_FAILED, "Cannot watch the console stream");
        return;
    }
    sessions_set_state(s, SESSION_OPEN, NULL);
}

static void
on_stream(virStreamPtr st, int events, void *opaque)
{
    struct session *s = get((int)(intptr_t)opaque);
    struct con_session *c;
    char buf[16384];
    size_t total = 0;

    if (!s || (c = con_of(s))->st != st)
        return;
    if (events & VIR_STREAM_EVENT_WRITABLE)
        flush_pending(c);
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
            console_feed(c->con, buf, (size_t)n);
            total += (size_t)n;
        }
        if (total)
            sessions_changed(s);
    }
    if (events & (VIR_STREAM_EVENT_ERROR | VIR_STREAM_EVENT_HANGUP))
        stream_ended(s, "The console stream was closed by the host; press f to reattach");
}

static void
open_done(struct req *r)
{
    struct stream_req *sr = (struct stream_req *)r;
    struct session *s = get(sr->session);

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

        sessions_set_state(s, SESSION_REFUSED, m);
    } else if (!sessions_domain_running(s)) {
        sessions_stopped(s);
    } else {
        sessions_set_state(s, SESSION_FAILED, r->err.msg);
    }
    stream_req_free(sr);
}

void
consoles_reattach(int id, bool force)
{
    struct session *s = get(id);
    struct stream_req *sr;

    if (!s || s->state == SESSION_OPENING || (s->state == SESSION_OPEN && !force))
        return;
    drop_stream(s);
    sessions_set_state(s, SESSION_OPENING, NULL);
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

/* The registry's hooks: the domain runs again; or it runs as a new QEMU
 * (a revert to a running snapshot starts one), which never passes through
 * shut off: its new ID tells, one try per new QEMU. */
static void
reattach_hook(struct session *s)
{
    consoles_reattach(s->id, false);
}

static void
closed_running(struct session *s)
{
    const struct m_dom *d = model_dom_get(s->host, s->uuid);
    struct con_session *c = con_of(s);

    if (d && d->id >= 0 && d->id != c->dom_id) {
        c->dom_id = d->id;
        consoles_reattach(s->id, false);
    }
}

static const struct session_ops console_ops = {
    .kind = SESSION_CONSOLE,
    .notify = NOTIFY_CONSOLE,
    .when_running = "the console reattaches when it starts",
    .reattach = reattach_hook,
    .closed_running = closed_running,
};

int
consoles_open(int host, const char *uuid, const char *name, const char *dev,
              bool force, int rows, int cols)
{
    struct con_session *c = xcalloc(1, sizeof(*c));
    struct session *s = sessions_add(&console_ops, host, uuid, name, dev, c);

    c->con = console_new(rows, cols, SCROLLBACK);
    console_set_output(c->con, to_guest, (void *)(intptr_t)s->id);
    consoles_reattach(s->id, force);
    return s->id;
}

void
consoles_key(int id, const char *key)
{
    struct session *s = get(id);

    if (s && s->state == SESSION_OPEN)
        console_key(con_of(s)->con, key);
}

void
consoles_close(int id)
{
    struct session *s = get(id);
    struct con_session *c;

    if (!s)
        return;
    c = con_of(s);
    drop_stream(s);
    console_free(c->con);
    free(c->pending);
    free(c);
    sessions_remove(s);
}

void
consoles_free_all(void)
{
    size_t n;
    struct session **v = sessions_list(&n);

    for (size_t i = n; i-- > 0;) {
        if (v[i]->kind == SESSION_CONSOLE)
            consoles_close(v[i]->id);
        v = sessions_list(&n);
    }
}
