/* virtevent.h: libvirt's event implementation on top of the loop. */
#ifndef VIRTMUX_VIRTEVENT_H
#define VIRTMUX_VIRTEVENT_H

/* Register with virEventRegisterImpl; call once, before any virConnectOpen. */
void virtevent_register(void);

#endif
