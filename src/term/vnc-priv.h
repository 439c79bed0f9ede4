/* vnc-priv.h: test and benchmark entry points of vnc.c. */
#ifndef VIRTMUX_VNC_PRIV_H
#define VIRTMUX_VNC_PRIV_H

/* A session straight to a VNC server at host:port, with no domain behind
 * it (no libvirt): for tests against a libvncserver in the same process. */
int vnc_open_tcp(const char *host, int port, const char *name);

#endif
