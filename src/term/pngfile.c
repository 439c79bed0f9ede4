/* pngfile.c: writing a PNG with libpng (screenshots of a guest's screen).
 * The file is created exclusively (never overwrites) and removed again
 * if encoding fails. */
#include <autoconf.h>

#include <errno.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "pngfile.h"

int
png_write_rgbx(const char *path, const uint32_t *px, int w, int h, struct err *e)
{
    png_structp png = NULL;
    png_infop info = NULL;
    unsigned char *volatile row = NULL;
    FILE *f;

    if (!(f = fopen(path, "wbx")))
        return err_set(e, "Cannot write the screenshot to '%s': %s", path, strerror(errno));
    png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    info = png ? png_create_info_struct(png) : NULL;
    if (!png || !info || setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        fclose(f);
        unlink(path);
        free((unsigned char *)row);
        return err_set(e, "Cannot encode the screenshot '%s'", path);
    }
    png_init_io(png, f);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    row = xmalloc((size_t)w * 3);
    for (int y = 0; y < h; y++) {
        const unsigned char *p = (const unsigned char *)(px + (size_t)y * (size_t)w);

        for (int x = 0; x < w; x++) {
            row[x * 3] = p[x * 4];
            row[x * 3 + 1] = p[x * 4 + 1];
            row[x * 3 + 2] = p[x * 4 + 2];
        }
        png_write_row(png, row);
    }
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    free((unsigned char *)row);
    if (fclose(f) != 0)
        return err_set(e, "Cannot write the screenshot to '%s': %s", path, strerror(errno));
    return 0;
}
