/* pane-vnc.c: the guest's screen in a pane. Cells come from the VNC
 * session's grid (half blocks: two pixels per cell), painted at most
 * cfg.vnc_fps times a second and only when the guest's screen changed;
 * a hidden pane asks for nothing. In input mode keys go to the guest as
 * key events, the escape key (C-] by default) gives them back. Outside
 * it: c sends Ctrl-Alt-Del (asks first), S saves a PNG, p types a
 * password the server asks for, z zooms, q closes. */
#include <autoconf.h>

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "colors.h"
#include "config.h"
#include "log.h"
#include "model.h"
#include "loop.h"
#include "ui.h"
#include "vnc.h"

#define MAX_VNC 4

struct vpane {
    struct pane pane;
    int session;
    bool input;
    int64_t last_paint;
    int timer;
};

static bool vnc_input(const struct pane *p);

static struct {
    struct vpane *v[MAX_VNC];
    int n;
    int notify_id;
    unsigned long paints, cells_changed;
} V;

static struct vpane *
of(struct pane *p)
{
    return (struct vpane *)p;
}

/* The preview's domain name ("" once the session is gone). */
static const char *
name_of(const struct vpane *vp)
{
    const struct session *s = sessions_get(vp->session);

    return s ? s->name : "";
}

static int
frame_ms(void)
{
    return 1000 / (cfg.vnc_fps > 0 ? cfg.vnc_fps : 10);
}

static void
on_frame(int id, void *opaque)
{
    struct vpane *vp = opaque;

    loop_timer_remove(id);
    vp->timer = -1;
    vp->pane.dirty = true;
}

static void
on_notify(const struct notify_ev *ev, void *opaque)
{
    int id;

    if (ev->kind != NOTIFY_VNC || !ev->key)
        return;
    id = atoi(ev->key);
    for (int i = 0; i < V.n; i++) {
        struct vpane *vp = V.v[i];
        int64_t since;

        if (vp->session != id || !vp->pane.visible || vp->timer >= 0)
            continue;
        since = util_now_ms() - vp->last_paint;
        if (since >= frame_ms())
            vp->pane.dirty = true;
        else
            vp->timer = loop_timer_add((int)(frame_ms() - since), on_frame, vp, NULL);
    }
}

static enum vnc_palette
palette(void)
{
    const char *nc = getenv("NO_COLOR");

    if ((nc && *nc) || !has_colors())
        return VNC_PAL_MONO;
    return COLORS >= 256 ? VNC_PAL_256 : COLORS >= 16 ? VNC_PAL_16 : VNC_PAL_8;
}

static void
put_cell(WINDOW *w, int y, int x, const struct vnc_cell *c, enum vnc_palette pal)
{
    bool utf8 = util_utf8();
    wchar_t wc[2] = { L' ', 0 };
    int fg = c->top, bg = c->bottom;
    attr_t a = A_NORMAL;
    cchar_t cc;

    if (pal == VNC_PAL_MONO) {
        bool t = c->top == 15, b = c->bottom == 15;

        wc[0] = !utf8 ? (t || b ? L'#' : L' ') :
                t && b ? 0x2588 : t ? 0x2580 : b ? 0x2584 : L' ';
        setcchar(&cc, wc, a, 0, NULL);
        mvwadd_wch(w, y, x, &cc);
        return;
    }
    if (!utf8) {
        /* no half blocks: one colour per cell */
        setcchar(&cc, wc, a, (short)colors_pair(-1, fg >= 0 ? fg : bg), NULL);
        mvwadd_wch(w, y, x, &cc);
        return;
    }
    if (fg < 0 && bg < 0) {
        wc[0] = L' ';
    } else if (fg < 0) {
        wc[0] = 0x2584;          /* lower half: only the bottom pixel is image */
        fg = bg;
        bg = -1;
    } else {
        wc[0] = 0x2580;          /* upper half block */
    }
    setcchar(&cc, wc, a, (short)colors_pair(fg, bg), NULL);
    mvwadd_wch(w, y, x, &cc);
}

static void
vnc_paint(struct pane *p)
{
    struct vpane *vp = of(p);
    int H, W, changed = 0, fw, fh;
    const struct vnc_grid *g;
    enum vnc_palette pal = palette();
    const struct session *s = sessions_get(vp->session);
    enum session_state st;
    const char *msg;
    char title[512], zoom[48] = "";
    int vx, vy;
    bool actual;
    AUTOFREE char *t = NULL;

    getmaxyx(p->win, H, W);
    vp->last_paint = util_now_ms();
    V.paints++;
    if (!s) {
        werase(p->win);
        return;
    }
    st = s->state;
    msg = s->msg;
    vnc_size(vp->session, &fw, &fh);
    actual = vnc_view(vp->session, &vx, &vy);
    if (actual)
        snprintf(zoom, sizeof(zoom), " 1:1 at %d,%d", vx, vy);
    snprintf(title, sizeof(title), " vnc %s [%s]%s %dx%d%s  %s", s->name,
             sessions_state_name(s), ui_host_suffix(s->host), fw, fh, zoom,
             vnc_input(p) ? "keys go to the guest; C-] gives them back" :
             st == SESSION_REFUSED ? "p: type the password  q: close" :
             st == SESSION_CLOSED || st == SESSION_FAILED ? "r: connect again  q: close" :
             "Enter: type  c: Ctrl-Alt-Del  S: screenshot  z: zoom  q: close");
    t = util_fit(title, W, false);
    wattrset(p->win, colors_attr(ROLE_TITLE) | (vp->input ? A_REVERSE : 0));
    mvwaddstr(p->win, 0, 0, t);
    if (H < 2)
        return;
    if (st != SESSION_OPEN || !fw) {
        /* why there is no picture, wrapped over as many rows as it needs */
        char **m = util_wrap(msg ? msg : st == SESSION_OPEN ? "waiting for the first frame"
                                                            : "connecting", W > 0 ? W : 1);

        werase(p->win);
        wattrset(p->win, colors_attr(ROLE_TITLE) | (vp->input ? A_REVERSE : 0));
        mvwaddstr(p->win, 0, 0, t);
        wattrset(p->win, colors_attr(st == SESSION_FAILED || st == SESSION_REFUSED ?
                                     ROLE_STATUS_WARN : ROLE_DIM));
        for (int i = 0; m[i] && i + 1 < H; i++) {
            AUTOFREE char *line = util_fit(m[i], W, false);

            mvwaddstr(p->win, i + 1, 0, line);
        }
        util_strv_free(m);
        wattrset(p->win, colors_attr(ROLE_NORMAL));
        return;
    }
    g = vnc_grid(vp->session, W, H - 1, pal, &changed);
    V.cells_changed += (unsigned long)changed;
    if (!g)
        return;
    /* window attributes would mix into every cell: none while drawing */
    wattrset(p->win, A_NORMAL);
    for (int y = 0; y < g->rows; y++) {
        for (int x = 0; x < g->cols; x++)
            put_cell(p->win, y + 1, x, &g->cells[y * g->cols + x], pal);
    }
    wattrset(p->win, colors_attr(ROLE_NORMAL));
}

static void
password_typed(const char *text, void *opaque)
{
    int id = (int)(intptr_t)opaque;

    if (text)
        vnc_reconnect(id, text);
}

/* A screenshot next to the user: ~/virtmux-NAME-YYYYmmdd-HHMMSS.png */
static void
screenshot(struct vpane *vp, const char *path)
{
    AUTOFREE char *def = NULL;
    struct err e;

    if (!path) {
        const char *home = getenv("HOME");
        char stamp[32], safe[64];
        time_t now = time(NULL);
        struct tm tm;
        size_t j = 0;

        strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", localtime_r(&now, &tm));
        for (const char *c = name_of(vp); *c && j + 1 < sizeof(safe); c++)
            safe[j++] = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                        (*c >= '0' && *c <= '9') || *c == '-' || *c == '_' ? *c : '_';
        safe[j] = '\0';
        def = xasprintf("%s/virtmux-%s-%s.png", home ? home : "/tmp", safe, stamp);
        path = def;
    }
    if (vnc_screenshot(vp->session, path, &e) < 0)
        log_msg(LOG_ERROR, "%s", e.msg);
    else
        log_msg(LOG_INFO, "Screenshot of '%s' saved to %s", name_of(vp), path);
}

/* Typing into a guest changes it: not on a host opened read-only. */
static bool
read_only(struct vpane *vp)
{
    const struct session *s = sessions_get(vp->session);
    const struct m_host *h = model_host_get(s ? s->host : -1);

    if (!h || !h->readonly)
        return false;
    log_msg(LOG_ERROR, "Host '%s' is open read-only: the preview of '%s' is view-only",
            h->uri, name_of(vp));
    return true;
}

/* In input mode every key goes to the guest but the console escape;
 * otherwise the "vnc" key table's actions (vnc_op) apply. */
static bool
vnc_keyfn(struct pane *p, const char *key)
{
    struct vpane *vp = of(p);
    const struct session *s = sessions_get(vp->session);

    if (!s || !vnc_input(p))
        return false;
    if (STREQ(key, cfg.console_escape)) {
        vp->input = false;
        log_msg(LOG_INFO, "Keys are back with virtmux (Enter on the preview types again)");
    } else if (s->state == SESSION_OPEN) {
        vnc_key(vp->session, key);
    }
    p->dirty = true;
    return true;
}

static bool
vnc_op(struct pane *p, enum act_ui_op op, const char *arg)
{
    struct vpane *vp = of(p);
    const struct session *s = sessions_get(vp->session);

    switch (op) {
    case UIOP_PANE_INPUT:
        vp->input = !read_only(vp);
        break;
    case UIOP_VNC_ACTUAL: {
        int x, y;
        bool actual = !vnc_view(vp->session, &x, &y);

        vnc_set_view(vp->session, actual, 0, 0);
        log_msg(LOG_INFO, actual ? "The preview of '%s' at actual size: the arrows move it, "
                                   "Z fits it again" : "The preview of '%s' fits the pane",
                name_of(vp));
        break;
    }
    case UIOP_VNC_PAN: {
        int x, y, dx = 0, dy = 0;

        if (!vnc_view(vp->session, &x, &y)) {
            log_msg(LOG_INFO, "The preview fits the pane: Z shows it at actual size, "
                    "a region the arrows move");
            return true;
        }
        /* half a pane at a time */
        if (arg && STREQ(arg, "left"))
            dx = -(p->w / 2);
        else if (arg && STREQ(arg, "right"))
            dx = p->w / 2;
        else if (arg && STREQ(arg, "up"))
            dy = -(p->h - 1);
        else if (arg && STREQ(arg, "down"))
            dy = p->h - 1;
        vnc_set_view(vp->session, true, dx, dy);
        break;
    }
    case UIOP_PANE_REATTACH:
        /* a closed or failed preview: connect again now */
        if (s && s->state != SESSION_OPEN && s->state != SESSION_OPENING)
            vnc_reconnect(vp->session, NULL);
        break;
    case UIOP_PANE_CLOSE:
        pane_vnc_close(p);
        return true;
    case UIOP_VNC_PASSWORD:
        if (!s || s->state != SESSION_REFUSED) {
            log_msg(LOG_INFO, "The preview of '%s' is not asking for a password",
                    name_of(vp));
            return true;
        }
        prompt_secret("VNC password:", password_typed, (void *)(intptr_t)vp->session);
        break;
    default:
        return false;
    }
    p->dirty = true;
    return true;
}

struct pane *
pane_vnc_show(int session)
{
    struct vpane *vp;

    if (V.n == MAX_VNC) {
        log_msg(LOG_ERROR, "At most %d previews can be open; close one with q", MAX_VNC);
        vnc_close(session);
        return NULL;
    }
    if (!V.notify_id)
        V.notify_id = notify_subscribe(on_notify, NULL);
    vp = xcalloc(1, sizeof(*vp));
    vp->pane.kind = &pane_kind_vnc;
    vp->session = session;
    vp->timer = -1;
    V.v[V.n++] = vp;
    return &vp->pane;
}

void
pane_vnc_close(struct pane *p)
{
    for (int i = 0; i < V.n; i++) {
        struct vpane *vp = V.v[i];

        if (&vp->pane != p)
            continue;
        if (vp->timer >= 0)
            loop_timer_remove(vp->timer);
        ui_forget(&vp->pane);
        vnc_close(vp->session);
        if (vp->pane.win)
            delwin(vp->pane.win);
        free(vp);
        memmove(&V.v[i], &V.v[i + 1], (size_t)(V.n - i - 1) * sizeof(*V.v));
        V.n--;
        ui_relayout();
        return;
    }
}

static int
vnc_count(void)
{
    return V.n;
}

static struct pane *
vnc_nth(int i)
{
    return i >= 0 && i < V.n ? &V.v[i]->pane : NULL;
}

/* A focused preview: its domain is the selection for commands. */
static void
vnc_select(struct pane *p, struct act_ctx *ctx)
{
    const struct session *s = sessions_get(of(p)->session);

    if (s && s->host >= 0) {
        ctx->host = s->host;
        ctx->uuid = s->uuid;
    }
}

static bool
vnc_input(const struct pane *p)
{
    const struct vpane *vp = (const struct vpane *)p;
    const struct session *s = sessions_get(vp->session);

    /* a preview that failed (or was refused) takes no keys as the
     * guest's: its pane's keys work at once; one reconnecting keeps them */
    return vp->input && s && s->state != SESSION_FAILED && s->state != SESSION_REFUSED;
}

/* The preview a command acts on: the focused one, else the newest. */
static struct vpane *
target(void)
{
    struct pane *f = ui_focus();

    if (f && f->kind == &pane_kind_vnc)
        return of(f);
    return V.n ? V.v[V.n - 1] : NULL;
}

/* The preview a command acts on: the focused one, else the newest. */
static struct vpane *
command_target(void)
{
    struct vpane *vp = target();

    if (!vp)
        log_msg(LOG_ERROR, "No VNC preview is open (:vnc DOMAIN opens one)");
    return vp;
}

void
pane_vnc_screenshot(const char *file)
{
    struct vpane *vp = command_target();

    if (vp)
        screenshot(vp, file);
}

void
pane_vnc_ctrl_alt_del(int host, const char *uuid, const char *name)
{
    const struct session *s = sessions_find(SESSION_PREVIEW, host, uuid, NULL);

    if (!s) {
        log_msg(LOG_ERROR, "No VNC preview of '%s' is open (:vnc %s opens one)", name, name);
        return;
    }
    vnc_ctrl_alt_del(s->id);
    log_msg(LOG_INFO, "Ctrl-Alt-Del sent to '%s'", name);
}

void
pane_vnc_stats(unsigned long *paints, unsigned long *cells)
{
    *paints = V.paints;
    *cells = V.cells_changed;
}

static void
vnc_free(void)
{
    while (V.n)
        pane_vnc_close(&V.v[0]->pane);
    if (V.notify_id)
        notify_unsubscribe(V.notify_id);
    V.notify_id = 0;
}

const struct pane_kind pane_kind_vnc = {
    .name = "vnc",
    .view = VIEW_ANY,
    .place = PLACE_SIDE,
    .count = vnc_count,
    .nth = vnc_nth,
    .paint = vnc_paint,
    .key = vnc_keyfn,
    .select = vnc_select,
    .input = vnc_input,
    .op = vnc_op,
    .free = vnc_free,
};
