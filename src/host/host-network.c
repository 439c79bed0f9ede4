/* host-network.c: the networks of a host, read on its worker. The list
 * comes after the domains (it is not part of the first frame); lifecycle
 * events re-read one network. Which domains use which network needs every
 * domain's XML, so it is counted only when the networks view asks. */
#include <autoconf.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <libvirt/virterror.h>

#include "host-priv.h"
#include "xml.h"

static struct m_net *
net_record(int host, virNetworkPtr net)
{
    char uuid[VIR_UUID_STRING_BUFLEN];
    struct m_net *n;
    char *xml;
    int flag;

    if (virNetworkGetUUIDString(net, uuid) < 0)
        return NULL;
    n = model_net_new(host, uuid, virNetworkGetName(net));
    n->active = virNetworkIsActive(net) == 1;
    n->persistent = virNetworkIsPersistent(net) == 1;
    if (virNetworkGetAutostart(net, &flag) == 0)
        n->autostart = flag;
    if ((xml = virNetworkGetXMLDesc(net, 0))) {
        n->info = netxml_parse(xml, NULL);
        free(xml);
    }
    virResetLastError();
    return n;
}

/* Domains with an interface on each network, by network name. */
static void
count_guests(virConnectPtr conn, struct m_net **nets, size_t nn)
{
    virDomainPtr *doms = NULL;
    int n = virConnectListAllDomains(conn, &doms, 0);

    for (size_t i = 0; i < nn; i++)
        nets[i]->guests = 0;
    for (int d = 0; d < n; d++) {
        char *xml = virDomainGetXMLDesc(doms[d], 0);
        struct dom_details *dd = xml ? domxml_parse(xml, NULL) : NULL;

        for (size_t k = 0; dd && k < dd->nifaces; k++) {
            for (size_t i = 0; i < nn; i++) {
                if (dd->ifaces[k].type && STREQ(dd->ifaces[k].type, "network") &&
                    dd->ifaces[k].source && STREQ(dd->ifaces[k].source, nets[i]->name)) {
                    nets[i]->guests++;
                    break;
                }
            }
        }
        domxml_free(dd);
        free(xml);
        virDomainFree(doms[d]);
    }
    free(doms);
    virResetLastError();
}

struct nets_req {
    struct req r;
    struct m_net **list;
    size_t n;
    bool guests;
    char uuid[UUID_LEN];
    bool gone;
};

static int
nets_work(struct req *r, virConnectPtr conn)
{
    struct nets_req *nr = (struct nets_req *)r;
    virNetworkPtr *nets = NULL;
    int n = virConnectListAllNetworks(conn, &nets, 0);

    if (n < 0)
        return err_virt(&r->err, "Failed to list the networks");
    nr->list = xcalloc((size_t)n + 1, sizeof(*nr->list));
    for (int i = 0; i < n; i++) {
        struct m_net *m = net_record(r->host, nets[i]);

        if (m)
            nr->list[nr->n++] = m;
        virNetworkFree(nets[i]);
    }
    free(nets);
    if (nr->guests)
        count_guests(conn, nr->list, nr->n);
    return 0;
}

static void
nets_done(struct req *r)
{
    struct nets_req *nr = (struct nets_req *)r;

    if (r->rc == 0) {
        model_nets_replace(r->host, nr->list, nr->n);
        nr->list = NULL;
    }
    for (size_t i = 0; nr->list && i < nr->n; i++)
        model_net_free(nr->list[i]);
    free(nr->list);
    free(nr);
}

static void
submit_list(int host, bool guests)
{
    struct nets_req *nr = xcalloc(1, sizeof(*nr));

    nr->r = (struct req){ .what = "networks", .host = host,
                          .work = nets_work, .done = nets_done };
    nr->guests = guests;
    host_submit(&nr->r);
}

void
host_load_networks(int host)
{
    submit_list(host, false);
}

void
host_count_network_guests(int host)
{
    submit_list(host, true);
}

static int
net_work(struct req *r, virConnectPtr conn)
{
    struct nets_req *nr = (struct nets_req *)r;
    virNetworkPtr net = virNetworkLookupByUUIDString(conn, nr->uuid);

    if (!net) {
        virErrorPtr e = virGetLastError();

        if (e && e->code == VIR_ERR_NO_NETWORK) {
            nr->gone = true;
            virResetLastError();
            return 0;
        }
        return err_virt(&r->err, "Failed to look up network %s", nr->uuid);
    }
    nr->list = xcalloc(1, sizeof(*nr->list));
    if ((nr->list[0] = net_record(r->host, net)))
        nr->n = 1;
    virNetworkFree(net);
    return 0;
}

static void
net_done(struct req *r)
{
    struct nets_req *nr = (struct nets_req *)r;

    if (r->rc == 0 && nr->gone)
        model_net_remove(r->host, nr->uuid);
    else if (r->rc == 0 && nr->n) {
        model_net_put(nr->list[0]);
        nr->list[0] = NULL;
    }
    if (nr->list)
        model_net_free(nr->list[0]);
    free(nr->list);
    free(nr);
}

void
host_refresh_network(int host, const char *uuid)
{
    struct nets_req *nr = xcalloc(1, sizeof(*nr));

    nr->r = (struct req){ .what = "network", .host = host,
                          .work = net_work, .done = net_done };
    snprintf(nr->uuid, sizeof(nr->uuid), "%s", uuid);
    host_submit(&nr->r);
}

struct leases_req {
    struct req r;
    char uuid[UUID_LEN];
    struct net_lease *l;
    int n;
};

/* MAC -> domain name, from every domain's XML. */
static char *
owner_of(virDomainPtr *doms, int ndoms, char **xmls, const char *mac)
{
    for (int d = 0; d < ndoms; d++) {
        if (xmls[d] && strcasestr(xmls[d], mac))
            return xstrdup(virDomainGetName(doms[d]));
    }
    return NULL;
}

static int
leases_work(struct req *r, virConnectPtr conn)
{
    struct leases_req *lr = (struct leases_req *)r;
    virNetworkPtr net = virNetworkLookupByUUIDString(conn, lr->uuid);
    virNetworkDHCPLeasePtr *leases = NULL;
    virDomainPtr *doms = NULL;
    char **xmls;
    int n, nd;

    if (!net)
        return err_virt(&r->err, "Failed to find network %s", lr->uuid);
    n = virNetworkGetDHCPLeases(net, NULL, &leases, 0);
    virNetworkFree(net);
    if (n < 0)
        return err_virt(&r->err, "Failed to read the DHCP leases");
    nd = virConnectListAllDomains(conn, &doms, 0);
    nd = nd < 0 ? 0 : nd;
    xmls = xcalloc((size_t)nd + 1, sizeof(*xmls));
    for (int d = 0; d < nd; d++) {
        /* the MAC as the XML spells it: match on the address text */
        char *x = virDomainGetXMLDesc(doms[d], 0);
        struct dom_details *dd = x ? domxml_parse(x, NULL) : NULL;
        char *macs = xstrdup("");

        for (size_t k = 0; dd && k < dd->nifaces; k++) {
            char *t = xasprintf("%s %s", macs, dd->ifaces[k].mac ? dd->ifaces[k].mac : "");

            free(macs);
            macs = t;
        }
        xmls[d] = macs;
        domxml_free(dd);
        free(x);
    }
    virResetLastError();
    lr->l = xcalloc((size_t)n + 1, sizeof(*lr->l));
    for (int i = 0; i < n; i++) {
        struct net_lease *l = &lr->l[lr->n++];

        l->mac = xstrdup(leases[i]->mac);
        l->ip = xasprintf("%s/%u", leases[i]->ipaddr ? leases[i]->ipaddr : "?",
                          leases[i]->prefix);
        l->hostname = xstrdup(leases[i]->hostname);
        l->expiry = leases[i]->expirytime;
        l->guest = leases[i]->mac ? owner_of(doms, nd, xmls, leases[i]->mac) : NULL;
        virNetworkDHCPLeaseFree(leases[i]);
    }
    free(leases);
    for (int d = 0; d < nd; d++) {
        free(xmls[d]);
        virDomainFree(doms[d]);
    }
    free(xmls);
    free(doms);
    return 0;
}

static void
leases_done(struct req *r)
{
    struct leases_req *lr = (struct leases_req *)r;

    model_net_set_leases(r->host, lr->uuid, lr->l, r->rc == 0 ? lr->n : 0,
                         r->rc == 0 ? NULL : r->err.msg);
    free(lr);
}

void
host_fetch_leases(int host, const char *uuid)
{
    struct leases_req *lr = xcalloc(1, sizeof(*lr));

    lr->r = (struct req){ .what = "leases", .host = host,
                          .work = leases_work, .done = leases_done };
    snprintf(lr->uuid, sizeof(lr->uuid), "%s", uuid);
    host_submit(&lr->r);
}

static int
on_network_event(virConnectPtr conn, virNetworkPtr net, int event, int detail,
                 void *opaque)
{
    struct host *h = opaque;
    char uuid[VIR_UUID_STRING_BUFLEN];

    if (virNetworkGetUUIDString(net, uuid) == 0)
        host_refresh_network(h->id, uuid);
    return 0;
}

static void
events_on(virConnectPtr conn, struct host *h)
{
    h->net_event_id = virConnectNetworkEventRegisterAny(
        conn, NULL, VIR_NETWORK_EVENT_ID_LIFECYCLE,
        VIR_NETWORK_EVENT_CALLBACK(on_network_event), h, NULL);
    if (h->net_event_id < 0)
        virResetLastError();
}

static void
events_off(virConnectPtr conn, struct host *h)
{
    if (h->net_event_id >= 0)
        virConnectNetworkEventDeregisterAny(conn, h->net_event_id);
    h->net_event_id = -1;
    virResetLastError();
}

static void
up(struct host *h)
{
    host_load_networks(h->id);
}

const struct host_family host_network_family = {
    .name = "networks", .events_on = events_on, .events_off = events_off, .up = up,
};
