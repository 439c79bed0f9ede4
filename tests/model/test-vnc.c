/* The VNC session (src/vnc.c) against a real VNC server: libvncserver in
 * this process, on loopback. First frame and grid, a drawing that shows
 * up in the cells, keys arriving as key events with Shift and Control, a
 * resolution change to 4096x2160, a server that wants a password (none,
 * wrong, right: the password never leaves the session), and the server
 * going away mid-stream. */
#include <autoconf.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <cmocka.h>
#include <rfb/rfb.h>

#include "loop.h"
#include "sessions.h"
#include "vnc.h"
#include "vnc-priv.h"

/* The session's state and sentence (sessions.h); CLOSED and none once
 * it is gone. */
static enum session_state
state_of(int id)
{
    const struct session *s = sessions_get(id);

    return s ? s->state : SESSION_CLOSED;
}

static const char *
message_of(int id)
{
    const struct session *s = sessions_get(id);

    return s ? s->msg : NULL;
}

static unsigned keys[256];
static int nkeys;
/* The server runs in this thread, pumped with virtmux's loop: libvncserver's
 * own background thread races a framebuffer resize made from here. */
static rfbScreenInfoPtr srv;

static void
on_key(rfbBool down, rfbKeySym sym, rfbClientPtr cl)
{
    if (down && nkeys < 256)
        keys[nkeys++] = (unsigned)sym;
}

static rfbScreenInfoPtr
server(int port, int w, int h, char **passwords)
{
    int argc = 1;
    char *argv[] = { "test-vnc", NULL };
    rfbScreenInfoPtr s = rfbGetScreen(&argc, argv, w, h, 8, 3, 4);

    rfbLogEnable(0);
    s->frameBuffer = calloc((size_t)w * (size_t)h, 4);
    s->port = port;
    s->ipv6port = 0;
    s->listenInterface = htonl(INADDR_LOOPBACK);
    s->kbdAddEvent = on_key;
    if (passwords) {
        s->authPasswdData = passwords;
        s->passwordCheck = rfbCheckPasswordByList;
    }
    rfbInitServer(s);
    srv = s;
    return s;
}

static void
stop(rfbScreenInfoPtr s)
{
    char *fb = s->frameBuffer;

    srv = NULL;
    rfbShutdownServer(s, TRUE);
    rfbScreenCleanup(s);
    free(fb);
}

/* One turn of the server and of virtmux's loop. */
static void
pump(void)
{
    if (srv)
        rfbProcessEvents(srv, 0);
    loop_iterate(20);
}

/* Run the loop until cond() or about 5 s. */
static bool
until(bool (*cond)(int), int id)
{
    for (int i = 0; i < 250; i++) {
        if (cond(id))
            return true;
        pump();
    }
    return cond(id);
}

static bool
connected(int id)
{
    int w, h;

    vnc_size(id, &w, &h);
    return state_of(id) == SESSION_OPEN && w > 0;
}

static bool
asks_password(int id)
{
    return state_of(id) == SESSION_REFUSED;
}

static bool
closed(int id)
{
    return state_of(id) == SESSION_CLOSED;
}

static bool
big(int id)
{
    int w, h;

    vnc_size(id, &w, &h);
    return w == 4096 && h == 2160;
}

static int want_keys;

static bool
got_keys(int id)
{
    return nkeys >= want_keys;
}

static int
lit_cells(int id)
{
    int changed, n = 0;
    const struct vnc_grid *g = vnc_grid(id, 64, 24, VNC_PAL_256, &changed);

    for (int i = 0; g && i < g->cols * g->rows; i++)
        n += g->cells[i].top > 16 || g->cells[i].bottom > 16;
    return n;
}

static bool
drawn(int id)
{
    return lit_cells(id) > 50;
}

static void
test_frames_keys_resize_close(void **state)
{
    rfbScreenInfoPtr s = server(5971, 640, 480, NULL);
    char *fb, *old;
    int id = vnc_open_tcp("127.0.0.1", 5971, "bare");

    assert_true(until(connected, id));
    assert_int_equal(lit_cells(id), 0);        /* a black screen */
    /* a white rectangle on the server shows up in the cells */
    for (int y = 100; y < 300; y++)
        for (int x = 100; x < 500; x++)
            ((uint32_t *)s->frameBuffer)[y * 640 + x] = 0x00ffffff;
    rfbMarkRectAsModified(s, 100, 100, 500, 300);
    assert_true(until(drawn, id));
    assert_true(vnc_updates(id) > 0);

    /* actual size (#18 bug 18): one pixel per half cell, a region the
     * arrows move, kept on the image */
    {
        const struct vnc_grid *g;
        int changed, x, y;

        vnc_set_view(id, true, 100, 100);
        g = vnc_grid(id, 64, 24, VNC_PAL_256, &changed);
        assert_true(vnc_view(id, &x, &y));
        assert_int_equal(x, 100);
        assert_int_equal(y, 100);
        assert_int_equal(g->fw, 64);             /* 64 pixels in 64 cells */
        assert_int_equal(g->fh, 48);             /* 48 pixels in 24 rows */
        /* the region is inside the white rectangle: every cell lit */
        for (int i = 0; i < g->cols * g->rows; i++)
            assert_true(g->cells[i].top > 16 && g->cells[i].bottom > 16);
        /* moved far right and down: kept on the image, the corner black */
        vnc_set_view(id, true, 10000, 10000);
        g = vnc_grid(id, 64, 24, VNC_PAL_256, &changed);
        assert_true(vnc_view(id, &x, &y));
        assert_int_equal(x, 640 - 64);
        assert_int_equal(y, 480 - 48);
        assert_true(g->cells[g->cols * g->rows - 1].top <= 16);
        /* fit again */
        vnc_set_view(id, false, 0, 0);
        g = vnc_grid(id, 64, 24, VNC_PAL_256, &changed);
        assert_int_equal(g->fw, 640);
        assert_false(vnc_view(id, &x, &y));
    }

    /* keys: 'a', 'B' (with Shift), C-c (with Control), Enter */
    nkeys = 0;
    vnc_key(id, "a");
    vnc_key(id, "B");
    vnc_key(id, "C-c");
    vnc_key(id, "Enter");
    want_keys = 6;
    assert_true(until(got_keys, id));
    assert_int_equal(keys[0], 'a');
    assert_int_equal(keys[1], 0xffe1);
    assert_int_equal(keys[2], 'B');
    assert_int_equal(keys[3], 0xffe3);
    assert_int_equal(keys[4], 'c');
    assert_int_equal(keys[5], 0xff0d);

    /* the guest switches to 4096x2160 */
    fb = calloc(4096 * 2160, 4);
    old = s->frameBuffer;
    rfbNewFramebuffer(s, fb, 4096, 2160, 8, 3, 4);
    free(old);
    assert_true(until(big, id));
    assert_non_null(vnc_grid(id, 4, 2, VNC_PAL_256, &(int){ 0 }));

    /* the server goes away */
    srv = NULL;
    rfbShutdownServer(s, TRUE);
    assert_true(until(closed, id));
    assert_non_null(strstr(message_of(id), "closed the connection"));
    vnc_close(id);
    rfbScreenCleanup(s);
    free(fb);
}

static void
test_password(void **state)
{
    static char *pw[] = { "sesame", NULL };
    rfbScreenInfoPtr s = server(5972, 320, 200, pw);
    int id = vnc_open_tcp("127.0.0.1", 5972, "locked");

    assert_true(until(asks_password, id));
    assert_non_null(strstr(message_of(id), "asks for a password"));
    vnc_reconnect(id, "wrong");
    assert_true(until(asks_password, id));
    for (int i = 0; i < 100 && !strstr(message_of(id) ? message_of(id) : "", "not accepted"); i++)
        pump();
    assert_non_null(strstr(message_of(id), "not accepted"));
    vnc_reconnect(id, "sesame");
    assert_true(until(connected, id));
    vnc_close(id);
    stop(s);
}

static void
test_not_a_vnc_server(void **state)
{
    int id = vnc_open_tcp("127.0.0.1", 1, "nothing");

    for (int i = 0; i < 250 && state_of(id) == SESSION_OPENING; i++)
        loop_iterate(20);
    assert_int_equal(state_of(id), SESSION_CLOSED);
    vnc_close(id);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_frames_keys_resize_close),
        cmocka_unit_test(test_password),
        cmocka_unit_test(test_not_a_vnc_server),
    };
    int rc;

    loop_init();
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    vnc_free_all();
    return rc;
}
