/* err.h: errors as values. A struct err carries libvirt's error code (or 0)
 * and one whole sentence naming the object; only ui/ shows it. */
#ifndef VIRTMUX_ERR_H
#define VIRTMUX_ERR_H

#include "util.h"

struct err {
    int code;              /* virErrorNumber, 0 when not from libvirt */
    char msg[1024];
};

/* Set e to a sentence; NULL e is allowed. Returns -1 for "return err_set()". */
int err_set(struct err *e, const char *fmt, ...) ATTR_PRINTF(2, 3);
/* Set e to "<prefix>: <libvirt's last error message>" and reset libvirt's
 * error. Returns -1. */
int err_virt(struct err *e, const char *fmt, ...) ATTR_PRINTF(2, 3);
void err_clear(struct err *e);
/* Silence libvirt's and libxml2's own printers (nothing writes behind curses). */
void err_silence_libraries(void);

#endif
