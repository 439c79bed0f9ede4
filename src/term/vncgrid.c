/* vncgrid.c: scaling by area averaging (a cell's half takes the mean of
 * the source pixels under it, so text stays legible when shrunk), and
 * quantisation to xterm's palette: the nearest of the 6x6x6 cube and the
 * 24 greys for 256 colours, the nearest of the 16 or 8 ANSI colours, or
 * black/white by luminance for monochrome. */
#include <autoconf.h>

#include <stdlib.h>

#include "vncgrid.h"

static const unsigned char ansi[16][3] = {
    { 0, 0, 0 }, { 205, 0, 0 }, { 0, 205, 0 }, { 205, 205, 0 },
    { 0, 0, 238 }, { 205, 0, 205 }, { 0, 205, 205 }, { 229, 229, 229 },
    { 127, 127, 127 }, { 255, 0, 0 }, { 0, 255, 0 }, { 255, 255, 0 },
    { 92, 92, 255 }, { 255, 0, 255 }, { 0, 255, 255 }, { 255, 255, 255 },
};
static const unsigned char cube[6] = { 0, 95, 135, 175, 215, 255 };

void
vncgrid_rgb(int index, unsigned *r, unsigned *g, unsigned *b)
{
    if (index < 0) {
        *r = *g = *b = 0;
    } else if (index < 16) {
        *r = ansi[index][0];
        *g = ansi[index][1];
        *b = ansi[index][2];
    } else if (index < 232) {
        int i = index - 16;

        *r = cube[i / 36];
        *g = cube[(i / 6) % 6];
        *b = cube[i % 6];
    } else {
        *r = *g = *b = (unsigned)(8 + 10 * (index - 232));
    }
}

static unsigned
dist(unsigned r, unsigned g, unsigned b, int index)
{
    unsigned pr, pg, pb;
    int dr, dg, db;

    vncgrid_rgb(index, &pr, &pg, &pb);
    dr = (int)r - (int)pr;
    dg = (int)g - (int)pg;
    db = (int)b - (int)pb;
    /* weighted: the eye is most sensitive to green */
    return (unsigned)(3 * dr * dr + 4 * dg * dg + 2 * db * db);
}

static int
nearest_cube(unsigned v)
{
    int best = 0;

    for (int i = 1; i < 6; i++) {
        if (abs((int)cube[i] - (int)v) < abs((int)cube[best] - (int)v))
            best = i;
    }
    return best;
}

int
vncgrid_quantize(unsigned r, unsigned g, unsigned b, enum vnc_palette pal)
{
    int best = 0, n = pal == VNC_PAL_16 ? 16 : 8;

    switch (pal) {
    case VNC_PAL_256: {
        int c = 16 + 36 * nearest_cube(r) + 6 * nearest_cube(g) + nearest_cube(b);
        unsigned avg = (r + g + b) / 3;
        int grey = avg < 8 ? 0 : avg > 238 ? 23 : (int)(avg - 8 + 5) / 10;

        if (grey > 23)
            grey = 23;
        return dist(r, g, b, 232 + grey) < dist(r, g, b, c) ? 232 + grey : c;
    }
    case VNC_PAL_MONO:
        return (2 * r + 5 * g + b) / 8 >= 128 ? 15 : 0;
    case VNC_PAL_16:
    case VNC_PAL_8:
        for (int i = 1; i < n; i++) {
            if (dist(r, g, b, i) < dist(r, g, b, best))
                best = i;
        }
        return best;
    }
    return 0;
}

struct vnc_grid *
vncgrid_new(int cols, int rows, int fw, int fh, enum vnc_palette pal)
{
    struct vnc_grid *g = xcalloc(1, sizeof(*g));
    double sx, sy, s;

    g->cols = cols > 0 ? cols : 1;
    g->rows = rows > 0 ? rows : 1;
    g->fw = fw > 0 ? fw : 1;
    g->fh = fh > 0 ? fh : 1;
    g->pal = pal;
    /* half blocks: a cell is one pixel wide and two tall */
    sx = (double)g->cols / g->fw;
    sy = (double)(2 * g->rows) / g->fh;
    s = sx < sy ? sx : sy;
    g->iw = (int)(g->fw * s + 0.5);
    g->ih = (int)(g->fh * s + 0.5);
    if (g->iw < 1)
        g->iw = 1;
    if (g->ih < 1)
        g->ih = 1;
    if (g->iw > g->cols)
        g->iw = g->cols;
    if (g->ih > 2 * g->rows)
        g->ih = 2 * g->rows;
    g->ox = (g->cols - g->iw) / 2;
    g->oy = (2 * g->rows - g->ih) / 2;
    g->cells = xcalloc((size_t)g->cols * (size_t)g->rows, sizeof(*g->cells));
    for (int i = 0; i < g->cols * g->rows; i++)
        g->cells[i].top = g->cells[i].bottom = -1;
    return g;
}

void
vncgrid_free(struct vnc_grid *g)
{
    if (!g)
        return;
    free(g->cells);
    free(g);
}

/* The mean colour of the source pixels under image pixel (ix, iy). */
static int
sample(const struct vnc_grid *g, const uint32_t *fb, int stride, int ix, int iy)
{
    int x0 = (int)((long)ix * g->fw / g->iw), x1 = (int)((long)(ix + 1) * g->fw / g->iw);
    int y0 = (int)((long)iy * g->fh / g->ih), y1 = (int)((long)(iy + 1) * g->fh / g->ih);
    unsigned long r = 0, gr = 0, b = 0, n = 0;
    int step;

    if (x1 <= x0)
        x1 = x0 + 1;
    if (y1 <= y0)
        y1 = y0 + 1;
    /* a huge framebuffer in a tiny pane: sample at most 16x16 per pixel */
    step = (x1 - x0) * (y1 - y0) > 256 ? 1 + (x1 - x0) / 16 : 1;
    for (int y = y0; y < y1 && y < g->fh; y += step) {
        const uint32_t *row = fb + (size_t)y * (size_t)stride;

        for (int x = x0; x < x1 && x < g->fw; x += step) {
            const unsigned char *p = (const unsigned char *)&row[x];

            r += p[0];
            gr += p[1];
            b += p[2];
            n++;
        }
    }
    if (!n)
        return 0;
    return vncgrid_quantize((unsigned)(r / n), (unsigned)(gr / n), (unsigned)(b / n), g->pal);
}

int
vncgrid_draw(struct vnc_grid *g, const uint32_t *fb, int stride, int x, int y, int w, int h)
{
    int cx0, cx1, py0, py1, changed = 0;

    if (!fb || w <= 0 || h <= 0)
        return 0;
    /* the framebuffer rectangle in image pixels (rounded outwards) */
    cx0 = (int)((long)x * g->iw / g->fw);
    cx1 = (int)(((long)(x + w) * g->iw + g->fw - 1) / g->fw);
    py0 = (int)((long)y * g->ih / g->fh);
    py1 = (int)(((long)(y + h) * g->ih + g->fh - 1) / g->fh);
    if (cx1 > g->iw)
        cx1 = g->iw;
    if (py1 > g->ih)
        py1 = g->ih;
    for (int py = py0; py < py1; py++) {
        int sy = g->oy + py, row = sy / 2;

        if (row >= g->rows)
            break;
        for (int cx = cx0; cx < cx1; cx++) {
            struct vnc_cell *c = &g->cells[row * g->cols + g->ox + cx];
            int v = sample(g, fb, stride, cx, py);
            int16_t *slot = sy % 2 ? &c->bottom : &c->top;

            if (*slot != v) {
                *slot = (int16_t)v;
                changed++;
            }
        }
    }
    return changed;
}
