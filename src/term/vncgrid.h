/* vncgrid.h: a guest framebuffer drawn as terminal cells, pure. Each cell
 * shows two pixels stacked (an upper half block: foreground the top
 * pixel, background the bottom one); the image is scaled to the pane with
 * its aspect ratio kept, every cell averaging the pixels it covers, and
 * colours are quantised to the terminal's palette. Only cells over a
 * changed region are recomputed. No curses, no libvncclient. */
#ifndef VIRTMUX_VNCGRID_H
#define VIRTMUX_VNCGRID_H

#include "util.h"

enum vnc_palette { VNC_PAL_256, VNC_PAL_16, VNC_PAL_8, VNC_PAL_MONO };

struct vnc_cell {
    int16_t top, bottom;     /* palette index; -1 outside the image */
};

struct vnc_grid {
    int cols, rows;          /* the pane, in cells */
    int fw, fh;              /* the framebuffer, in pixels */
    int ox, oy;              /* where the image starts, in cells / half-cells */
    int iw, ih;              /* image size in cells (iw) and half-cells (ih) */
    enum vnc_palette pal;
    struct vnc_cell *cells;  /* cols * rows */
};

/* Fit a fw x fh framebuffer into cols x rows cells (aspect kept, centred).
 * Returns a new grid with every cell "outside" until drawn. */
struct vnc_grid *vncgrid_new(int cols, int rows, int fw, int fh, enum vnc_palette pal);
void vncgrid_free(struct vnc_grid *g);
/* Recompute the cells covering the framebuffer rectangle x,y,w,h. fb is
 * 32-bit pixels, bytes R,G,B,unused, stride in pixels. Returns the number
 * of cells whose colours changed. */
int vncgrid_draw(struct vnc_grid *g, const uint32_t *fb, int stride,
                 int x, int y, int w, int h);
/* The palette index for a colour. */
int vncgrid_quantize(unsigned r, unsigned g, unsigned b, enum vnc_palette pal);
/* The RGB of a palette index (for tests and screenshots of the grid). */
void vncgrid_rgb(int index, unsigned *r, unsigned *g, unsigned *b);

#endif
