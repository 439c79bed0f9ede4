/* pngfile.h: PNG files from 32-bit pixels (bytes R, G, B, unused). */
#ifndef VIRTMUX_PNGFILE_H
#define VIRTMUX_PNGFILE_H

#include "err.h"

/* Write w x h pixels to a new file at path; -1 with e on failure. */
int png_write_rgbx(const char *path, const uint32_t *px, int w, int h, struct err *e);

#endif
