/* vnc.c: VNC preview sessions.
 *
 * Preparing a session runs on the host's worker: read the domain's live
 * XML, pick its VNC graphics (a SPICE-only or graphics-less domain gets a
 * sentence, not an attempt), then get a socket: virDomainOpenGraphicsFD on
 * a local connection, an `ssh -W` tunnel (execvp, no shell) for
 * qemu+ssh://, or TCP to the listen address. libvncclient then runs on a
 * thread of the session's own; the framebuffer is written under the
 * session's (recursive) lock, which the loop thread takes to turn the
 * changed region into cells. Keys are queued and sent by that thread, so
 * the loop never writes to the socket. A session that stops or loses its
 * domain waits and reconnects when the domain runs again (the registry,
 * sessions.c, watches the domain). A closed session stays in the registry,
 * marked closing, until its thread has ended. */
#include <autoconf.h>

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <wchar.h>
#include <libxml/uri.h>
#include <rfb/rfbclient.h>
#include <libvirt/virterror.h>

#include "host.h"
#include "log.h"
#include "loop.h"
#include "sessions.h"
#include "vnc.h"
#include "vnc-priv.h"
#include "pngfile.h"
#include "xml.h"

struct keyev {
    unsigned sym;
    bool down;
};

/* the back end's part of a session (its impl) */
struct vnc_session {
    struct session *ss;
    int id;                      /* ss->id, for the thread's posts */
    pthread_mutex_t lock;        /* recursive: fb, dirty, keys, cl */
    pthread_t thread;
    bool thread_running;
    volatile bool stop;
    rfbClient *cl;
    uint32_t *fb;
    int fw, fh;
    int dx0, dy0, dx1, dy1;      /* dirty rectangle, empty when dx1 <= dx0 */
    bool dirty_all;
    struct vnc_grid *grid;
    struct keyev *keys;
    size_t nkeys;
    char *password;
    bool asked_password;
    bool notify_pending;
    unsigned long updates;
    int fd;                      /* from libvirt or the tunnel, for the thread */
    char *tcp_host;
    int tcp_port;
    pid_t tunnel_pid;
    int retry_timer;             /* a dropped preview tries again (loop thread) */
    int retries;
    bool actual;                 /* one pixel per half cell, a region at vx,vy */
    int vx, vy;
    bool g_actual;               /* what the grid was made for */
    int g_vx, g_vy;
};

/* A preview whose connection drops while its domain runs (QEMU's VNC
 * server restarts with the firmware after a boot) tries again after 1, 2,
 * 4, 8, 16 s; then it waits for a key (r). */
#define VNC_RETRIES 5

static void dropped(struct vnc_session *s, const char *why);

static int tag;

/* A preview that is not closing, NULL if none. */
static struct vnc_session *
get(int id)
{
    struct session *ss = sessions_get(id);

    return ss && ss->kind == SESSION_PREVIEW ? ss->impl : NULL;
}

static void
free_session(struct vnc_session *s)
{
    if (s->retry_timer >= 0)
        loop_timer_remove(s->retry_timer);
    sessions_remove(s->ss);
    if (s->fd >= 0)
        close(s->fd);
    if (s->tunnel_pid > 0) {
        kill(s->tunnel_pid, SIGTERM);
        waitpid(s->tunnel_pid, NULL, 0);
    }
    if (s->password) {
        memset(s->password, 0, strlen(s->password));
        free(s->password);
    }
    vncgrid_free(s->grid);
    pthread_mutex_destroy(&s->lock);
    free(s->fb);
    free(s->keys);
    free(s->tcp_host);
    free(s);
}

/* ---- the libvncclient thread ---- */

static rfbBool
malloc_fb(rfbClient *cl)
{
    struct vnc_session *s = rfbClientGetClientData(cl, &tag);
    size_t n = (size_t)cl->width * (size_t)cl->height;
    uint32_t *fb;

    if (cl->width <= 0 || cl->height <= 0 || cl->width > 8192 || cl->height > 8192)
        return FALSE;
    if (!(fb = calloc(n, sizeof(*fb))))
        return FALSE;
    pthread_mutex_lock(&s->lock);
    free(s->fb);
    s->fb = fb;
    s->fw = cl->width;
    s->fh = cl->height;
    s->dirty_all = true;
    cl->frameBuffer = (uint8_t *)fb;
    pthread_mutex_unlock(&s->lock);
    return TRUE;
}

struct post {
    int id;
    int what;                   /* 0 update, 1 connected, 2 the thread ended */
    char msg[256];
    bool password;
};

static void on_post(void *opaque);

static void
post(struct vnc_session *s, int what, const char *msg, bool password)
{
    struct post *p = xcalloc(1, sizeof(*p));

    p->id = s->id;
    p->what = what;
    p->password = password;
    snprintf(p->msg, sizeof(p->msg), "%s", msg ? msg : "");
    loop_defer(on_post, p);
}

static void
got_update(rfbClient *cl, int x, int y, int w, int h)
{
    struct vnc_session *s = rfbClientGetClientData(cl, &tag);
    bool wake;

    /* called inside HandleRFBServerMessage, the lock is held */
    if (s->dx1 <= s->dx0) {
        s->dx0 = x;
        s->dy0 = y;
        s->dx1 = x + w;
        s->dy1 = y + h;
    } else {
        s->dx0 = x < s->dx0 ? x : s->dx0;
        s->dy0 = y < s->dy0 ? y : s->dy0;
        s->dx1 = x + w > s->dx1 ? x + w : s->dx1;
        s->dy1 = y + h > s->dy1 ? y + h : s->dy1;
    }
    s->updates++;
    wake = !s->notify_pending;
    s->notify_pending = true;
    if (wake)
        post(s, 0, NULL, false);
}

static char *
get_password(rfbClient *cl)
{
    struct vnc_session *s = rfbClientGetClientData(cl, &tag);

    s->asked_password = true;
    /* libvncclient frees what we return */
    return s->password ? strdup(s->password) : NULL;
}

static void
quiet_log(const char *fmt, ...)
{
}

static void
send_keys(struct vnc_session *s, rfbClient *cl)
{
    struct keyev *k;
    size_t n;

    pthread_mutex_lock(&s->lock);
    k = s->keys;
    n = s->nkeys;
    s->keys = NULL;
    s->nkeys = 0;
    pthread_mutex_unlock(&s->lock);
    for (size_t i = 0; i < n; i++)
        SendKeyEvent(cl, k[i].sym, k[i].down ? TRUE : FALSE);
    free(k);
}

static void *
vnc_thread(void *opaque)
{
    struct vnc_session *s = opaque;
    rfbClient *cl = rfbGetClient(8, 3, 4);

    cl->canHandleNewFBSize = TRUE;
    cl->MallocFrameBuffer = malloc_fb;
    cl->GotFrameBufferUpdate = got_update;
    cl->GetPassword = get_password;
    rfbClientSetClientData(cl, &tag, s);
    free(cl->serverHost);        /* rfbGetClient's empty default */
    if (s->fd >= 0) {
        cl->sock = s->fd;
        cl->listenSpecified = TRUE;
        cl->serverHost = strdup("libvirt");
        s->fd = -1;             /* libvncclient closes it now */
    } else {
        cl->serverHost = strdup(s->tcp_host);
        cl->serverPort = s->tcp_port;
    }
    s->asked_password = false;
    if (!rfbInitClient(cl, NULL, NULL)) {
        /* rfbInitClient freed cl */
        if (s->asked_password)
            post(s, 2, s->password ? "The VNC password was not accepted"
                                   : "The VNC server asks for a password", true);
        else
            post(s, 2, "The VNC handshake failed (is it a VNC server?)", false);
        return NULL;
    }
    pthread_mutex_lock(&s->lock);
    s->cl = cl;
    pthread_mutex_unlock(&s->lock);
    post(s, 1, NULL, false);
    while (!s->stop) {
        int n = WaitForMessage(cl, 20000);

        if (n < 0)
            break;
        if (n > 0) {
            rfbBool ok;

            pthread_mutex_lock(&s->lock);
            ok = HandleRFBServerMessage(cl);
            pthread_mutex_unlock(&s->lock);
            if (!ok)
                break;
        }
        send_keys(s, cl);
    }
    pthread_mutex_lock(&s->lock);
    s->cl = NULL;
    cl->frameBuffer = NULL;      /* ours, freed with the session */
    rfbClientCleanup(cl);
    pthread_mutex_unlock(&s->lock);
    post(s, 2, s->stop ? NULL : "The VNC server closed the connection", false);
    return NULL;
}

/* ---- preparing a connection (worker, vnc-conn.c) ---- */

struct prep_req {
    struct req r;
    int session;
    char uuid[UUID_LEN];
    char *name;
    struct vnc_target t;
};

static int
prep_work(struct req *r, virConnectPtr conn)
{
    struct prep_req *pr = (struct prep_req *)r;

    return vnc_conn_prepare(conn, pr->uuid, pr->name, &pr->t, &r->err);
}

static void start_thread(struct vnc_session *s);

static void
prep_done(struct req *r)
{
    struct prep_req *pr = (struct prep_req *)r;
    struct vnc_session *s = get(pr->session);

    if (!s) {
        vnc_target_clear(&pr->t);
    } else if (r->rc < 0) {
        sessions_set_state(s->ss, SESSION_FAILED, r->err.msg);
    } else if (pr->t.stopped) {
        sessions_stopped(s->ss);
    } else {
        s->fd = pr->t.fd;
        s->tunnel_pid = pr->t.tunnel_pid;
        free(s->tcp_host);
        s->tcp_host = pr->t.tcp_host;
        s->tcp_port = pr->t.tcp_port;
        pr->t.fd = -1;
        pr->t.tunnel_pid = 0;
        pr->t.tcp_host = NULL;
        start_thread(s);
    }
    vnc_target_clear(&pr->t);
    free(pr->name);
    free(pr);
}

static void
prepare(struct vnc_session *s)
{
    struct prep_req *pr = xcalloc(1, sizeof(*pr));

    sessions_set_state(s->ss, SESSION_OPENING, NULL);
    pr->r = (struct req){ .what = "vnc", .host = s->ss->host, .work = prep_work,
                          .done = prep_done };
    pr->session = s->ss->id;
    pr->t.fd = -1;
    snprintf(pr->uuid, sizeof(pr->uuid), "%s", s->ss->uuid);
    pr->name = xstrdup(s->ss->name);
    host_submit(&pr->r);
}

/* ---- loop side ---- */

/* A preview, closing ones too: its thread's last posts still come. */
static struct vnc_session *
get_any(int id)
{
    size_t n;
    struct session **v = sessions_list(&n);

    for (size_t i = 0; i < n; i++) {
        if (v[i]->id == id && v[i]->kind == SESSION_PREVIEW)
            return v[i]->impl;
    }
    return NULL;
}

static void
on_post(void *opaque)
{
    struct post *p = opaque;
    struct vnc_session *s = get_any(p->id);

    if (!s) {
        free(p);
        return;
    }
    switch (p->what) {
    case 0:
        pthread_mutex_lock(&s->lock);
        s->notify_pending = false;
        pthread_mutex_unlock(&s->lock);
        if (!s->ss->closing)
            sessions_changed(s->ss);
        break;
    case 1:
        s->retries = 0;
        if (!s->ss->closing)
            sessions_set_state(s->ss, SESSION_OPEN, NULL);
        break;
    case 2:
        /* the thread is gone: a reconnect may start another right away */
        s->thread_running = false;
        if (s->ss->closing)
            free_session(s);
        else if (p->password)
            sessions_set_state(s->ss, SESSION_REFUSED, p->msg);
        else if (!sessions_domain_running(s->ss))
            sessions_stopped(s->ss);
        else
            dropped(s, p->msg);
        break;
    }
    free(p);
}

static void
on_retry(int id, void *opaque)
{
    struct vnc_session *s = opaque;

    loop_timer_remove(id);
    s->retry_timer = -1;
    if (!s->ss->closing && s->ss->state == SESSION_CLOSED && sessions_domain_running(s->ss))
        vnc_reconnect(s->ss->id, NULL);
}

/* The connection ended while the domain runs: try again a few times,
 * then wait for r. */
static void
dropped(struct vnc_session *s, const char *why)
{
    AUTOFREE char *msg = NULL;

    if (s->retries < VNC_RETRIES && s->retry_timer < 0) {
        int wait = 1000 << s->retries++;

        msg = xasprintf("%s; trying again in %d s", why ? why : "The connection closed",
                        wait / 1000);
        s->retry_timer = loop_timer_add(wait, on_retry, s, NULL);
    } else {
        msg = xasprintf("%s; r reconnects", why ? why : "The connection closed");
    }
    sessions_set_state(s->ss, SESSION_CLOSED, msg);
}

/* The registry's hook: the domain runs again. */
static void
reattach_hook(struct session *ss)
{
    vnc_reconnect(ss->id, NULL);
}

static const struct session_ops preview_ops = {
    .kind = SESSION_PREVIEW,
    .notify = NOTIFY_VNC,
    .when_running = "the preview starts when it does",
    .reattach = reattach_hook,
};

static struct vnc_session *
session_new(int host, const char *uuid, const char *name)
{
    struct vnc_session *s = xcalloc(1, sizeof(*s));
    pthread_mutexattr_t a;

    s->retry_timer = -1;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&s->lock, &a);
    pthread_mutexattr_destroy(&a);
    rfbClientLog = rfbClientErr = quiet_log;
    s->fd = -1;
    s->ss = sessions_add(&preview_ops, host, uuid, name, NULL, s);
    s->id = s->ss->id;
    return s;
}

static void
start_thread(struct vnc_session *s)
{
    s->stop = false;
    s->thread_running = true;
    if (pthread_create(&s->thread, NULL, vnc_thread, s) != 0) {
        s->thread_running = false;
        sessions_set_state(s->ss, SESSION_FAILED, "Cannot start the VNC thread");
    } else {
        pthread_detach(s->thread);
    }
}

int
vnc_open(int host, const char *uuid, const char *name)
{
    struct vnc_session *s = session_new(host, uuid, name);

    prepare(s);
    return s->ss->id;
}

int
vnc_open_tcp(const char *host, int port, const char *name)
{
    struct vnc_session *s = session_new(-1, "", name);

    s->tcp_host = xstrdup(host);
    s->tcp_port = port;
    sessions_set_state(s->ss, SESSION_OPENING, NULL);
    start_thread(s);
    return s->ss->id;
}

void
vnc_reconnect(int id, const char *password)
{
    struct vnc_session *s = get(id);

    if (!s || s->thread_running)
        return;
    if (password) {
        if (s->password) {
            memset(s->password, 0, strlen(s->password));
            free(s->password);
        }
        s->password = xstrdup(password);
    }
    if (s->ss->host < 0) {
        sessions_set_state(s->ss, SESSION_OPENING, NULL);
        start_thread(s);
    } else {
        prepare(s);
    }
}

void
vnc_close(int id)
{
    struct vnc_session *s = get(id);

    if (!s)
        return;
    s->ss->closing = true;
    s->stop = true;
    if (!s->thread_running)
        free_session(s);
}

/* The first preview (closing ones too) whose thread has ended, or NULL. */
static struct vnc_session *
ended(bool *running)
{
    size_t n;
    struct session **v = sessions_list(&n);

    *running = false;
    for (size_t i = 0; i < n; i++) {
        struct vnc_session *s = v[i]->impl;

        if (v[i]->kind != SESSION_PREVIEW)
            continue;
        if (!s->thread_running)
            return s;
        *running = true;
    }
    return NULL;
}

void
vnc_free_all(void)
{
    struct vnc_session *s;
    struct session **v;
    bool running;
    size_t n;

    /* threads still running end by themselves; wait briefly for them */
    v = sessions_list(&n);
    for (size_t i = 0; i < n; i++) {
        if (v[i]->kind == SESSION_PREVIEW) {
            v[i]->closing = true;
            ((struct vnc_session *)v[i]->impl)->stop = true;
        }
    }
    for (int tries = 0; tries < 50; tries++) {
        loop_iterate(0);
        while ((s = ended(&running)))
            free_session(s);
        if (!running)
            break;
        usleep(20000);
    }
}

void
vnc_size(int id, int *w, int *h)
{
    struct vnc_session *s = get(id);

    *w = *h = 0;
    if (!s)
        return;
    pthread_mutex_lock(&s->lock);
    *w = s->fw;
    *h = s->fh;
    pthread_mutex_unlock(&s->lock);
}

unsigned long
vnc_updates(int id)
{
    struct vnc_session *s = get(id);

    return s ? s->updates : 0;
}

const struct vnc_grid *
vnc_grid(int id, int cols, int rows, enum vnc_palette pal, int *changed_cells)
{
    struct vnc_session *s = get(id);
    struct vnc_grid *g;
    int vw, vh, vx, vy;

    *changed_cells = 0;
    if (!s)
        return NULL;
    pthread_mutex_lock(&s->lock);
    /* actual size: the region of cols x 2*rows pixels at vx,vy (kept on
     * the image), drawn one pixel per half cell */
    vw = s->actual && cols < s->fw ? cols : s->fw;
    vh = s->actual && rows * 2 < s->fh ? rows * 2 : s->fh;
    s->vx = s->vx < 0 ? 0 : s->vx > s->fw - vw ? s->fw - vw : s->vx;
    s->vy = s->vy < 0 ? 0 : s->vy > s->fh - vh ? s->fh - vh : s->vy;
    vx = s->actual ? s->vx : 0;
    vy = s->actual ? s->vy : 0;
    g = s->grid;
    if (!g || g->cols != cols || g->rows != rows || g->pal != pal ||
        g->fw != (vw ? vw : 1) || g->fh != (vh ? vh : 1) || s->g_actual != s->actual ||
        s->g_vx != vx || s->g_vy != vy) {
        vncgrid_free(g);
        g = s->grid = vncgrid_new(cols, rows, vw, vh, pal);
        s->g_actual = s->actual;
        s->g_vx = vx;
        s->g_vy = vy;
        s->dirty_all = true;
        *changed_cells = cols * rows;
    }
    if (s->fb && s->dirty_all) {
        *changed_cells += vncgrid_draw(g, s->fb + (size_t)vy * s->fw + vx, s->fw, 0, 0, vw, vh);
    } else if (s->fb && s->dx1 > s->dx0) {
        /* the changed rectangle, within the region shown */
        int x0 = s->dx0 > vx ? s->dx0 : vx, y0 = s->dy0 > vy ? s->dy0 : vy;
        int x1 = s->dx1 < vx + vw ? s->dx1 : vx + vw, y1 = s->dy1 < vy + vh ? s->dy1 : vy + vh;

        if (x1 > x0 && y1 > y0)
            *changed_cells += vncgrid_draw(g, s->fb + (size_t)vy * s->fw + vx, s->fw,
                                           x0 - vx, y0 - vy, x1 - x0, y1 - y0);
    }
    s->dirty_all = false;
    s->dx0 = s->dy0 = s->dx1 = s->dy1 = 0;
    pthread_mutex_unlock(&s->lock);
    return g;
}

static void
queue(struct vnc_session *s, unsigned sym, bool down)
{
    s->keys = xreallocarray(s->keys, s->nkeys + 1, sizeof(*s->keys));
    s->keys[s->nkeys].sym = sym;
    s->keys[s->nkeys++].down = down;
}

void
vnc_key(int id, const char *key)
{
    struct vnc_session *s = get(id);
    bool shift, ctrl, alt;
    unsigned sym;

    if (!s || s->ss->state != SESSION_OPEN ||
        !(sym = vnc_keysym_alt(key, &shift, &ctrl, &alt)))
        return;
    pthread_mutex_lock(&s->lock);
    if (alt)
        queue(s, 0xffe9, true);
    if (ctrl)
        queue(s, 0xffe3, true);
    if (shift)
        queue(s, 0xffe1, true);
    queue(s, sym, true);
    queue(s, sym, false);
    if (shift)
        queue(s, 0xffe1, false);
    if (ctrl)
        queue(s, 0xffe3, false);
    if (alt)
        queue(s, 0xffe9, false);
    pthread_mutex_unlock(&s->lock);
}

void
vnc_ctrl_alt_del(int id)
{
    struct vnc_session *s = get(id);

    if (!s || s->ss->state != SESSION_OPEN)
        return;
    pthread_mutex_lock(&s->lock);
    queue(s, 0xffe3, true);
    queue(s, 0xffe9, true);
    queue(s, 0xffff, true);
    queue(s, 0xffff, false);
    queue(s, 0xffe9, false);
    queue(s, 0xffe3, false);
    pthread_mutex_unlock(&s->lock);
}

int
vnc_screenshot(int id, const char *path, struct err *e)
{
    struct vnc_session *s = get(id);
    uint32_t *copy = NULL;
    int w, h, rc;

    if (!s)
        return err_set(e, "No such preview");
    pthread_mutex_lock(&s->lock);
    w = s->fw;
    h = s->fh;
    if (s->fb) {
        copy = xmalloc((size_t)w * (size_t)h * sizeof(*copy));
        memcpy(copy, s->fb, (size_t)w * (size_t)h * sizeof(*copy));
    }
    pthread_mutex_unlock(&s->lock);
    if (!copy)
        return err_set(e, "No frame of '%s' has arrived yet", s->ss->name);
    rc = png_write_rgbx(path, copy, w, h, e);
    free(copy);
    return rc;
}

void
vnc_set_view(int id, bool actual, int dx, int dy)
{
    struct vnc_session *s = get(id);

    if (!s)
        return;
    pthread_mutex_lock(&s->lock);
    s->actual = actual;
    s->vx += dx;
    s->vy += dy;
    pthread_mutex_unlock(&s->lock);
}

bool
vnc_view(int id, int *x, int *y)
{
    struct vnc_session *s = get(id);
    bool actual;

    if (!s)
        return false;
    pthread_mutex_lock(&s->lock);
    actual = s->actual;
    *x = s->vx;
    *y = s->vy;
    pthread_mutex_unlock(&s->lock);
    return actual;
}
