/* The preview's pixels-to-cells path on synthetic frames: palette
 * quantisation, layout with the aspect ratio kept, gradients, a text-like
 * pattern, dirty regions, a resolution change, tiny panes and huge
 * frames; and key names to X keysyms. */
#include <autoconf.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "vnc.h"
#include "vncgrid.h"

static uint32_t
px(unsigned r, unsigned g, unsigned b)
{
    uint32_t v = 0;
    unsigned char *p = (unsigned char *)&v;

    p[0] = (unsigned char)r;
    p[1] = (unsigned char)g;
    p[2] = (unsigned char)b;
    return v;
}

static uint32_t *
frame(int w, int h, uint32_t fill)
{
    uint32_t *fb = malloc((size_t)w * (size_t)h * sizeof(*fb));

    for (int i = 0; i < w * h; i++)
        fb[i] = fill;
    return fb;
}

static void
test_quantize(void **state)
{
    assert_int_equal(vncgrid_quantize(255, 0, 0, VNC_PAL_256), 196);
    assert_int_equal(vncgrid_quantize(0, 0, 255, VNC_PAL_256), 21);
    assert_int_equal(vncgrid_quantize(128, 128, 128, VNC_PAL_256), 244);
    assert_int_equal(vncgrid_quantize(255, 255, 255, VNC_PAL_256), 231);
    assert_int_equal(vncgrid_quantize(0, 0, 0, VNC_PAL_256), 16);
    assert_int_equal(vncgrid_quantize(205, 0, 0, VNC_PAL_16), 1);
    assert_int_equal(vncgrid_quantize(255, 40, 40, VNC_PAL_16), 9);
    assert_int_equal(vncgrid_quantize(250, 250, 250, VNC_PAL_8), 7);
    assert_int_equal(vncgrid_quantize(20, 200, 20, VNC_PAL_8), 2);
    assert_int_equal(vncgrid_quantize(200, 200, 200, VNC_PAL_MONO), 15);
    assert_int_equal(vncgrid_quantize(40, 40, 40, VNC_PAL_MONO), 0);
    /* the palette's own colours come back as themselves */
    for (int i = 16; i < 256; i++) {
        unsigned r, g, b;

        vncgrid_rgb(i, &r, &g, &b);
        assert_int_equal(vncgrid_quantize(r, g, b, VNC_PAL_256) == i ||
                         (i >= 232 || i == 16 || i == 231 ||
                          vncgrid_quantize(r, g, b, VNC_PAL_256) >= 232), 1);
    }
}

static void
test_layout_keeps_aspect(void **state)
{
    /* 720x400 into 100x40 cells = 100x80 half-cells: width-bound */
    struct vnc_grid *g = vncgrid_new(100, 40, 720, 400, VNC_PAL_256);

    assert_int_equal(g->iw, 100);
    assert_int_equal(g->ih, 56);
    assert_int_equal(g->ox, 0);
    assert_int_equal(g->oy, 12);
    vncgrid_free(g);
    /* 640x480 into 200x40: height-bound, centred horizontally */
    g = vncgrid_new(200, 40, 640, 480, VNC_PAL_256);
    assert_int_equal(g->ih, 80);
    assert_int_equal(g->iw, 107);
    assert_int_equal(g->ox, (200 - 107) / 2);
    vncgrid_free(g);
}

static void
test_outside_cells_stay_blank(void **state)
{
    struct vnc_grid *g = vncgrid_new(100, 40, 720, 400, VNC_PAL_256);
    uint32_t *fb = frame(720, 400, px(255, 255, 255));

    assert_true(vncgrid_draw(g, fb, 720, 0, 0, 720, 400) > 0);
    /* rows 0..5 are above the image (oy = 12 half-cells) */
    assert_int_equal(g->cells[0].top, -1);
    assert_int_equal(g->cells[5 * 100 + 50].bottom, -1);
    assert_int_equal(g->cells[6 * 100 + 50].top, 231);
    assert_int_equal(g->cells[33 * 100 + 50].bottom, 231);
    assert_int_equal(g->cells[34 * 100].top, -1);
    free(fb);
    vncgrid_free(g);
}

static void
test_gradient(void **state)
{
    struct vnc_grid *g = vncgrid_new(64, 16, 256, 64, VNC_PAL_256);
    uint32_t *fb = frame(256, 64, 0);
    unsigned prev = 0;

    for (int y = 0; y < 64; y++)
        for (int x = 0; x < 256; x++)
            fb[y * 256 + x] = px((unsigned)x, (unsigned)x, (unsigned)x);
    vncgrid_draw(g, fb, 256, 0, 0, 256, 64);
    for (int x = 0; x < g->iw; x++) {
        unsigned r, gg, b;
        int idx = g->cells[(g->oy / 2 + 2) * g->cols + g->ox + x].top;

        vncgrid_rgb(idx, &r, &gg, &b);
        assert_true(r + 12 >= prev);       /* brightness never falls back */
        prev = r;
    }
    assert_true(prev > 200);
    free(fb);
    vncgrid_free(g);
}

static void
test_text_pattern_is_averaged(void **state)
{
    /* 1-pixel white strokes every 4 pixels on black, shrunk 4x: grey cells */
    struct vnc_grid *g = vncgrid_new(40, 10, 160, 80, VNC_PAL_256);
    uint32_t *fb = frame(160, 80, px(0, 0, 0));
    unsigned r, gg, b;

    for (int y = 0; y < 80; y++)
        for (int x = 0; x < 160; x += 4)
            fb[y * 160 + x] = px(255, 255, 255);
    vncgrid_draw(g, fb, 160, 0, 0, 160, 80);
    vncgrid_rgb(g->cells[5 * 40 + 20].top, &r, &gg, &b);
    assert_true(r > 30 && r < 120);       /* about a quarter white */
    free(fb);
    vncgrid_free(g);
}

static void
test_dirty_region_only(void **state)
{
    struct vnc_grid *g = vncgrid_new(72, 20, 720, 400, VNC_PAL_256);
    uint32_t *fb = frame(720, 400, px(0, 0, 0));
    struct vnc_cell *before;
    int changed, diff = 0;

    vncgrid_draw(g, fb, 720, 0, 0, 720, 400);
    before = malloc((size_t)g->cols * (size_t)g->rows * sizeof(*before));
    memcpy(before, g->cells, (size_t)g->cols * (size_t)g->rows * sizeof(*before));
    /* a white 40x40 square at 100,100; drawing only that region */
    for (int y = 100; y < 140; y++)
        for (int x = 100; x < 140; x++)
            fb[y * 720 + x] = px(255, 255, 255);
    changed = vncgrid_draw(g, fb, 720, 100, 100, 40, 40);
    assert_true(changed > 0 && changed <= 4 * 4 * 2 + 8);
    for (int i = 0; i < g->cols * g->rows; i++)
        diff += memcmp(&before[i], &g->cells[i], sizeof(*before)) != 0;
    assert_true(diff > 0 && diff <= 25);
    /* the same region again: nothing changes */
    assert_int_equal(vncgrid_draw(g, fb, 720, 100, 100, 40, 40), 0);
    free(before);
    free(fb);
    vncgrid_free(g);
}

static void
test_resolution_change(void **state)
{
    struct vnc_grid *g = vncgrid_new(100, 40, 640, 480, VNC_PAL_256);
    int ih = g->ih;

    vncgrid_free(g);
    g = vncgrid_new(100, 40, 1280, 720, VNC_PAL_256);
    assert_true(g->ih != ih);
    assert_int_equal(g->iw, 100);
    vncgrid_free(g);
}

static void
test_extremes(void **state)
{
    uint32_t *big = frame(4096, 2160, px(10, 200, 30));
    struct vnc_grid *g = vncgrid_new(4, 2, 4096, 2160, VNC_PAL_256);

    assert_true(vncgrid_draw(g, big, 4096, 0, 0, 4096, 2160) > 0);
    vncgrid_free(g);
    g = vncgrid_new(0, 0, 0, 0, VNC_PAL_16);
    assert_int_equal(vncgrid_draw(g, NULL, 0, 0, 0, 0, 0), 0);
    vncgrid_free(g);
    g = vncgrid_new(200, 60, 4096, 2160, VNC_PAL_8);
    assert_true(vncgrid_draw(g, big, 4096, 4000, 2000, 96, 160) > 0);
    vncgrid_free(g);
    free(big);
}

static void
test_keysyms(void **state)
{
    bool shift, ctrl;

    assert_int_equal(vnc_keysym("a", &shift, &ctrl), 'a');
    assert_false(shift);
    assert_int_equal(vnc_keysym("A", &shift, &ctrl), 'A');
    assert_true(shift);
    assert_int_equal(vnc_keysym("!", &shift, &ctrl), '!');
    assert_true(shift);
    assert_int_equal(vnc_keysym("Enter", &shift, &ctrl), 0xff0d);
    assert_int_equal(vnc_keysym("Backspace", &shift, &ctrl), 0xff08);
    assert_int_equal(vnc_keysym("Left", &shift, &ctrl), 0xff51);
    assert_int_equal(vnc_keysym("F5", &shift, &ctrl), 0xffc2);
    assert_int_equal(vnc_keysym("F12", &shift, &ctrl), 0xffc9);
    assert_int_equal(vnc_keysym("C-c", &shift, &ctrl), 'c');
    assert_true(ctrl);
    assert_int_equal(vnc_keysym("\xc3\xa9", &shift, &ctrl), 0xe9);
    assert_int_equal(vnc_keysym("\xe2\x82\xac", &shift, &ctrl), 0x010020ac);
    assert_int_equal(vnc_keysym("Resize", &shift, &ctrl), 0);
    {
        bool alt;

        assert_int_equal(vnc_keysym_alt("M-x", &shift, &ctrl, &alt), 'x');
        assert_true(alt);
        assert_int_equal(vnc_keysym_alt("M-C-c", &shift, &ctrl, &alt), 'c');
        assert_true(alt && ctrl);
        assert_int_equal(vnc_keysym_alt("x", &shift, &ctrl, &alt), 'x');
        assert_false(alt);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quantize),
        cmocka_unit_test(test_layout_keeps_aspect),
        cmocka_unit_test(test_outside_cells_stay_blank),
        cmocka_unit_test(test_gradient),
        cmocka_unit_test(test_text_pattern_is_averaged),
        cmocka_unit_test(test_dirty_region_only),
        cmocka_unit_test(test_resolution_change),
        cmocka_unit_test(test_extremes),
        cmocka_unit_test(test_keysyms),
    };

    setenv("LC_ALL", "C.UTF-8", 1);
    util_locale_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
