/* act-network.c: the network rows of the action table: virsh's net-*
 * commands, and net-new (virtmux's own: a network from a few fields, the
 * same fields the form asks for). Handlers run on the host worker. */
#include <autoconf.h>

#include <stdio.h>
#include <stdlib.h>
#include <libvirt/virterror.h>

#include "act.h"
#include "netxml.h"

static virNetworkPtr
lookup(struct act_call *c, virConnectPtr conn)
{
    virNetworkPtr net = virNetworkLookupByUUIDString(conn, c->uuid);

    if (!net)
        err_virt(&c->r.err, "Failed to find network '%s'", c->name);
    return net;
}

/* One call on the network: "Network 'x' <ok>" or the libvirt error. */
static int
network_call(struct act_call *c, virConnectPtr conn,
             int (*call)(virNetworkPtr net, struct act_call *c),
             const char *verb, const char *ok)
{
    virNetworkPtr net = lookup(c, conn);
    int rc;

    if (!net)
        return -1;
    if ((rc = call(net, c)) < 0)
        err_virt(&c->r.err, "Failed to %s network '%s'", verb, c->name);
    else
        c->result = xasprintf("Network '%s' %s", c->name, ok);
    virNetworkFree(net);
    return rc < 0 ? -1 : 0;
}

static int
do_start(virNetworkPtr net, struct act_call *c)
{
    return virNetworkCreate(net);
}

static int
do_destroy(virNetworkPtr net, struct act_call *c)
{
    return virNetworkDestroy(net);
}

static int
do_undefine(virNetworkPtr net, struct act_call *c)
{
    return virNetworkUndefine(net);
}

static int
do_autostart(virNetworkPtr net, struct act_call *c)
{
    return virNetworkSetAutostart(net, action_arg(c, "disable") ? 0 : 1);
}

static int
act_net_start(struct act_call *c, virConnectPtr conn)
{
    return network_call(c, conn, do_start, "start", "started");
}

static int
act_net_destroy(struct act_call *c, virConnectPtr conn)
{
    return network_call(c, conn, do_destroy, "destroy", "destroyed");
}

static int
act_net_undefine(struct act_call *c, virConnectPtr conn)
{
    return network_call(c, conn, do_undefine, "undefine", "has been undefined");
}

static int
act_net_autostart(struct act_call *c, virConnectPtr conn)
{
    bool off = action_arg(c, "disable") != NULL;

    return network_call(c, conn, do_autostart, off ? "unmark autostart of" : "mark autostart of",
                        off ? "unmarked as autostarted" : "marked as autostarted");
}

static int
get_xml(struct act_call *c, virConnectPtr conn, unsigned int flags)
{
    virNetworkPtr net = lookup(c, conn);

    if (!net)
        return -1;
    c->output = virNetworkGetXMLDesc(net, flags);
    if (!c->output && flags) {
        /* a driver without a separate inactive definition (test:///) */
        virResetLastError();
        c->output = virNetworkGetXMLDesc(net, 0);
    }
    virNetworkFree(net);
    if (!c->output)
        return err_virt(&c->r.err, "Failed to get the XML of network '%s'", c->name);
    return 0;
}

static int
act_net_dumpxml(struct act_call *c, virConnectPtr conn)
{
    return get_xml(c, conn, action_arg(c, "inactive") ? VIR_NETWORK_XML_INACTIVE : 0);
}

static int
act_net_edit(struct act_call *c, virConnectPtr conn)
{
    return get_xml(c, conn, VIR_NETWORK_XML_INACTIVE);
}

/* Refuse a subnet that another network of the host already uses. */
static int
overlapping(struct act_call *c, virConnectPtr conn)
{
    const char *ipv4 = action_arg(c, "ipv4");
    virNetworkPtr *nets = NULL;
    int n, rc = 0;

    if (!ipv4 || (n = virConnectListAllNetworks(conn, &nets, 0)) < 0) {
        virResetLastError();
        return 0;
    }
    for (int i = 0; i < n; i++) {
        char *xml = rc == 0 ? virNetworkGetXMLDesc(nets[i], 0) : NULL;
        struct net_info *info = xml ? netxml_parse(xml, NULL) : NULL;

        if (info && info->ipv4 && netxml_overlaps(ipv4, info->ipv4))
            rc = err_set(&c->r.err, "The IPv4 subnet %s overlaps network '%s' (%s)",
                         ipv4, info->name, info->ipv4);
        netxml_free(info);
        free(xml);
        virNetworkFree(nets[i]);
    }
    free(nets);
    return rc;
}

/* Define (and, unless told not to, start and autostart) a network from
 * fields; the XML is built and checked by netxml_build. */
static int
act_net_new(struct act_call *c, virConnectPtr conn)
{
    const char *name = action_arg(c, "name");
    AUTOFREE char *xml = netxml_build(name, action_arg(c, "mode") ? action_arg(c, "mode") : "nat",
                                      action_arg(c, "bridge"), action_arg(c, "ipv4"),
                                      action_arg(c, "dhcp"), action_arg(c, "ipv6"),
                                      &c->r.err);
    virNetworkPtr net;

    if (!xml)
        return -1;
    if (overlapping(c, conn) < 0)
        return -1;
    if (!(net = virNetworkDefineXMLFlags(conn, xml, VIR_NETWORK_DEFINE_VALIDATE)))
        return err_virt(&c->r.err, "Failed to define network '%s'", name);
    if (!action_arg(c, "no-start") && virNetworkCreate(net) < 0) {
        err_virt(&c->r.err, "Network '%s' is defined but failed to start", name);
        virNetworkFree(net);
        return -1;
    }
    if (!action_arg(c, "no-autostart") && virNetworkSetAutostart(net, 1) < 0)
        virResetLastError();
    c->result = xasprintf("Network '%s' defined%s", name,
                          action_arg(c, "no-start") ? "" : " and started");
    virNetworkFree(net);
    return 0;
}

static const struct act_arg a_net[] = {
    { .name = "network", .type = ARG_NETWORK, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "network name" },
    { NULL },
};
static const struct act_arg a_net_autostart[] = {
    { .name = "network", .type = ARG_NETWORK, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "network name" },
    { .name = "disable", .type = ARG_BOOL, .help = "disable autostarting" },
    { NULL },
};
static const struct act_arg a_net_dumpxml[] = {
    { .name = "network", .type = ARG_NETWORK, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "network name" },
    { .name = "inactive", .type = ARG_BOOL, .help = "show the persistent definition" },
    { NULL },
};
static const struct act_arg a_net_new[] = {
    { .name = "name", .type = ARG_STRING, .flags = ARG_REQUIRED, .help = "the network's name" },
    { .name = "mode", .type = ARG_STRING,
      .help = "nat (default), route, open, isolated, or bridge" },
    { .name = "bridge", .type = ARG_STRING,
      .help = "bridge name (virbrN), or the host bridge for mode bridge" },
    { .name = "ipv4", .type = ARG_STRING,
      .help = "the host's address and prefix, like 192.168.100.1/24" },
    { .name = "dhcp", .type = ARG_STRING,
      .help = "DHCP range START-END inside the IPv4 subnet" },
    { .name = "ipv6", .type = ARG_STRING,
      .help = "an IPv6 address and prefix, like fd00:100::1/64" },
    { .name = "no-start", .type = ARG_BOOL, .help = "define only" },
    { .name = "no-autostart", .type = ARG_BOOL, .help = "do not start it with the host" },
    { NULL },
};

/* NAT on the next virbrN no network of the host uses. */
static void
fill_net_new(struct act_fill *f)
{
    size_t k;
    struct m_net **v = model_nets(f->host, &k);
    char bridge[32];

    f->set(f, "mode", "nat");
    for (int n = 0; n < 1000; n++) {
        bool used = false;

        snprintf(bridge, sizeof(bridge), "virbr%d", n);
        for (size_t i = 0; i < k && !used; i++)
            used = v[i]->info && v[i]->info->bridge && STREQ(v[i]->info->bridge, bridge);
        if (!used) {
            f->set(f, "bridge", bridge);
            return;
        }
    }
}

/* The XML must build, and the subnet and bridge be the host's own still. */
static int
check_net_new(const struct act_fill *f, struct err *e)
{
    const char *mode = f->get(f, "mode") ? f->get(f, "mode") : "nat";
    const char *ipv4 = f->get(f, "ipv4"), *bridge = f->get(f, "bridge");
    AUTOFREE char *xml = netxml_build(f->get(f, "name"), mode, bridge, ipv4, f->get(f, "dhcp"),
                                      f->get(f, "ipv6"), e);
    size_t k;
    struct m_net **v = model_nets(f->host, &k);

    if (!xml)
        return -1;
    for (size_t i = 0; i < k; i++) {
        if (v[i]->info && netxml_overlaps(ipv4, v[i]->info->ipv4))
            return err_set(e, "The IPv4 subnet %s overlaps network '%s' (%s)", ipv4, v[i]->name,
                           v[i]->info->ipv4);
        if (v[i]->info && v[i]->info->bridge && bridge && STRNEQ(mode, "bridge") &&
            STREQ(v[i]->info->bridge, bridge))
            return err_set(e, "The bridge %s is network '%s''s already", bridge, v[i]->name);
    }
    return 0;
}

const struct action act_network_rows[] = {
    { .name = "net-start", .target = TARGET_NETWORK, .flags = ACT_MUTATES | ACT_NEEDS_INACTIVE,
      .args = a_net, .help = "Start an inactive network", .run = act_net_start },
    { .name = "net-destroy", .target = TARGET_NETWORK,
      .flags = ACT_MUTATES | ACT_DESTRUCTIVE | ACT_NEEDS_ACTIVE, .args = a_net,
      .help = "Stop a network (its guests lose connectivity)", .run = act_net_destroy },
    { .name = "net-undefine", .target = TARGET_NETWORK,
      .flags = ACT_MUTATES | ACT_DESTRUCTIVE | ACT_CONFIRM_NAME | ACT_NEEDS_PERSISTENT,
      .args = a_net, .help = "Remove a network's definition", .run = act_net_undefine },
    { .name = "net-autostart", .target = TARGET_NETWORK,
      .flags = ACT_MUTATES | ACT_NEEDS_PERSISTENT, .args = a_net_autostart,
      .help = "Start the network with the host (--disable: don't)", .run = act_net_autostart },
    { .name = "net-dumpxml", .target = TARGET_NETWORK, .args = a_net_dumpxml,
      .help = "Show the network's XML", .run = act_net_dumpxml, .done = act_show_output },
    { .name = "net-edit", .target = TARGET_NETWORK, .flags = ACT_MUTATES, .args = a_net,
      .help = "Edit the network's XML in $VISUAL/$EDITOR and define it", .run = act_net_edit,
      .done = act_open_editor },
    { .name = "net-new", .target = TARGET_HOST, .flags = ACT_MUTATES | ACT_NO_VIRSH,
      .args = a_net_new,
      .help = "Define a network from fields (the form's command): NAT, routed, open, "
              "isolated or bridged",
      .run = act_net_new, .defaults = fill_net_new, .validate = check_net_new },
    { NULL },
};
