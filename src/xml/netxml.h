/* netxml.h: what virtmux reads from a virtual network's XML, and the
 * XML it writes for a new one (libxml2 only). */
#ifndef VIRTMUX_NETXML_H
#define VIRTMUX_NETXML_H

#include "err.h"

struct net_info {
    char *name, *uuid;
    char *forward;           /* nat, route, open, bridge, ... or "isolated" */
    char *forward_dev;       /* the uplink of route/nat, if set */
    char *bridge;
    char *ipv4;              /* "192.168.122.1/24" */
    char *dhcp;              /* "192.168.122.2 - 192.168.122.254" */
    char *ipv6;              /* "fd00::1/64" */
    char *domain;            /* DNS domain */
    int nhosts;              /* static DHCP host entries */
};

struct net_info *netxml_parse(const char *xml, struct err *e);
void netxml_free(struct net_info *n);

/* Two "ADDR/PREFIX" IPv4 subnets share addresses. */
bool netxml_overlaps(const char *a, const char *b);

/* A new network's definition. mode: nat, route, open, isolated, bridge.
 * ipv4 "ADDR/PREFIX" (not for bridge), dhcp "START-END" or NULL, ipv6
 * "ADDR/PREFIX" or NULL. Returns the XML (caller frees), NULL and e when a
 * field is wrong (each message names the field). */
char *netxml_build(const char *name, const char *mode, const char *bridge,
                   const char *ipv4, const char *dhcp, const char *ipv6,
                   struct err *e);

#endif
