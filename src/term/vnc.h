/* vnc.h: VNC preview sessions. libvncclient runs on a thread of its own
 * per session; the loop thread reads the framebuffer under the session's
 * lock and turns it into cells (vncgrid). The connection comes from
 * virDomainOpenGraphicsFD on local hosts, an `ssh -W` tunnel for
 * qemu+ssh:// hosts, or the graphics listen address otherwise. */
#ifndef VIRTMUX_VNC_H
#define VIRTMUX_VNC_H

#include <sys/types.h>
#include <libvirt/libvirt.h>

#include "model.h"
#include "sessions.h"
#include "vncgrid.h"

/* Open the preview of a domain; returns the session id (sessions.h has
 * its domain, state and message). */
int vnc_open(int host, const char *uuid, const char *name);
/* Reconnect (after a password was typed, or when the domain runs again). */
void vnc_reconnect(int id, const char *password);
/* Close a preview; its thread ends by itself. */
void vnc_close(int id);
/* Close every preview, waiting briefly for their threads. */
void vnc_free_all(void);
/* Framebuffer size (0x0 before the first frame). */
void vnc_size(int id, int *w, int *h);
/* The cells for a pane of cols x rows; recomputes what changed since the
 * last call (or everything when the size or palette changed). *changed
 * counts the cells that differ. The grid is the session's (borrowed). */
const struct vnc_grid *vnc_grid(int id, int cols, int rows, enum vnc_palette pal,
                                int *changed);
/* Actual size (one pixel per half cell, a region of the screen) or fit;
 * dx, dy move the region (kept on the image at the next vnc_grid). */
void vnc_set_view(int id, bool actual, int dx, int dy);
/* Whether the preview shows actual size, and the region's corner. */
bool vnc_view(int id, int *x, int *y);
/* Keys for the guest, by virtmux key name ("a", "Enter", "C-c", "F2"). */
void vnc_key(int id, const char *key);
void vnc_ctrl_alt_del(int id);
/* Save the framebuffer as a PNG; -1 with e on failure. */
int vnc_screenshot(int id, const char *path, struct err *e);
/* Frames received from the server (for tests and benchmarks). */
unsigned long vnc_updates(int id);

/* vnc-conn.c (worker): a way to the VNC server of a running domain. */
struct vnc_target {
    int fd;                  /* a connected socket (libvirt or ssh), or -1 */
    char *tcp_host;          /* else TCP to here */
    int tcp_port;
    pid_t tunnel_pid;        /* the ssh process, 0 if none */
    bool stopped;            /* the domain is not running */
};

int vnc_conn_prepare(virConnectPtr conn, const char *uuid, const char *name,
                     struct vnc_target *t, struct err *e);
/* Close what a target holds. */
void vnc_target_clear(struct vnc_target *t);

/* The X keysym for a key name, and whether Shift/Control must be held;
 * 0 when the key has no keysym. Pure, for tests. */
unsigned vnc_keysym(const char *key, bool *shift, bool *ctrl);
/* The same, "M-x" (Alt) too; alt may be NULL. */
unsigned vnc_keysym_alt(const char *key, bool *shift, bool *ctrl, bool *alt);

#endif
