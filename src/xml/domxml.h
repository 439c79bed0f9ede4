/* domxml.h: what virtmux understands of a domain's XML (details pane,
 * later clone/hotplug rewrites). Parsed with libxml2 only. */
#ifndef VIRTMUX_DOMXML_H
#define VIRTMUX_DOMXML_H

#include "err.h"

struct dom_disk {
    char *device;            /* disk, cdrom, floppy, lun */
    char *type;              /* file, block, volume, network */
    char *target, *bus, *source, *format;
    char *backing;           /* backing chain as "a <- b", or NULL */
    char **chain;            /* source, then each backing file (NULL-terminated;
                              * live XML has the backing files, inactive XML
                              * rarely) */
    bool readonly, shareable;
};

struct dom_iface {
    char *type, *source, *model, *mac, *target;
    char *addrs;             /* "192.168.122.3/24 ..." from leases or the agent */
};

struct dom_graphics {
    char *type, *listen, *port;
    bool autoport;
};

struct dom_chardev {
    char *kind;              /* serial, console, channel */
    char *type;              /* pty, file, unix, ... */
    char *target;            /* "port 0", "serial", "org.qemu.guest_agent.0" */
    char *path;
};

struct dom_details {
    char *name, *uuid, *title, *description;
    char *os_type, *arch, *machine;
    unsigned vcpus_cur, vcpus_max;
    unsigned long long mem_kib, maxmem_kib;
    struct dom_disk *disks;
    size_t ndisks;
    struct dom_iface *ifaces;
    size_t nifaces;
    struct dom_graphics *graphics;
    size_t ngraphics;
    struct dom_chardev *chardevs;
    size_t nchardevs;
};

/* Parse domain XML; NULL and e filled on error. Caller frees with domxml_free. */
struct dom_details *domxml_parse(const char *xml, struct err *e);
void domxml_free(struct dom_details *d);

#endif
