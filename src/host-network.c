/* host-network.c: the networks of a host, read on its worker. The list
 * comes after the domains (it is not part of the first frame); lifecycle
 * events re-read one network. Which domains use which network needs every
 * domain's XML, so it is counted only when the networks view asks. */
#include <autoconf.h>

#include <stdio.h>
#include <stdlib.h>
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
        /* a list without counts keeps the counts we had */
        for (size_t i = 0; !nr->guests && i < nr->n; i++) {
            struct m_net *old = model_net_get(r->host, nr->list[i]->uuid);

            if (old)
                nr->list[i]->guests = old->guests;
        }
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

int
host_network_events(virConnectPtr conn, struct host *h)
{
    int id = virConnectNetworkEventRegisterAny(conn, NULL, VIR_NETWORK_EVENT_ID_LIFECYCLE,
                                               VIR_NETWORK_EVENT_CALLBACK(on_network_event),
                                               h, NULL);

    if (id < 0)
        virResetLastError();
    return id;
}
