/* act-iface.c: a domain's network interfaces and a network's static
 * hosts. attach-interface and detach-interface as virsh has them (live
 * where the guest runs, persistent always, unless --live or --config say
 * otherwise); iface-move, the flow administrators do by hand with `virsh
 * edit`: point an interface at another network, live and persistent, then
 * bounce its link so the guest asks DHCP again; net-dhcp-static turns an
 * address into a static DHCP host entry (net-update add ip-dhcp-host).
 * Every XML is read and written with libxml2. */
#include <autoconf.h>

#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <unistd.h>
#include <libvirt/virterror.h>

#include "act.h"
#include "xml.h"

/* --live/--config as given, else live when running plus config when
 * persistent. */
unsigned int
act_affect(struct act_call *c, virDomainPtr dom)
{
    unsigned int f = 0;

    if (action_arg(c, "live"))
        f |= VIR_DOMAIN_AFFECT_LIVE;
    if (action_arg(c, "config"))
        f |= VIR_DOMAIN_AFFECT_CONFIG;
    if (f)
        return f;
    if (virDomainIsActive(dom) == 1)
        f |= VIR_DOMAIN_AFFECT_LIVE;
    if (virDomainIsPersistent(dom) == 1)
        f |= VIR_DOMAIN_AFFECT_CONFIG;
    virResetLastError();
    return f;
}

static int
act_attach_interface(struct act_call *c, virConnectPtr conn)
{
    const char *type = action_arg(c, "type"), *source = action_arg(c, "source");
    const char *model = action_arg(c, "model") ? action_arg(c, "model") : "virtio";
    virDomainPtr dom;
    xmlDocPtr doc;
    xmlNodePtr root, n;
    AUTOFREE char *xml = NULL;
    int rc;

    if (STRNEQ(type, "network") && STRNEQ(type, "bridge"))
        return err_set(&c->r.err, "The interface type '%s' is not network or bridge", type);
    if (!(dom = act_domain_lookup(c, conn)))
        return -1;
    doc = xmlNewDoc(BAD_CAST "1.0");
    root = xmlNewNode(NULL, BAD_CAST "interface");
    xmlDocSetRootElement(doc, root);
    xmlNewProp(root, BAD_CAST "type", BAD_CAST type);
    n = xmlNewChild(root, NULL, BAD_CAST "source", NULL);
    xmlNewProp(n, BAD_CAST type, BAD_CAST source);
    if (action_arg(c, "mac")) {
        n = xmlNewChild(root, NULL, BAD_CAST "mac", NULL);
        xmlNewProp(n, BAD_CAST "address", BAD_CAST action_arg(c, "mac"));
    }
    n = xmlNewChild(root, NULL, BAD_CAST "model", NULL);
    xmlNewProp(n, BAD_CAST "type", BAD_CAST model);
    xml = xml_node_str(root);
    xmlFreeDoc(doc);
    rc = virDomainAttachDeviceFlags(dom, xml, act_affect(c, dom));
    if (rc < 0)
        err_virt(&c->r.err, "Failed to attach an interface on %s '%s' to '%s'", type, source,
                 c->name);
    else
        c->result = xasprintf("Interface on %s '%s' attached to '%s'", type, source, c->name);
    virDomainFree(dom);
    return rc < 0 ? -1 : 0;
}

/* The <interface> of dom's XML (live or persistent) with that MAC, or of
 * that type when mac is NULL and only one has it. */
static xmlNodePtr
find_iface(xmlDocPtr doc, const char *type, const char *mac, struct act_call *c)
{
    xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
    xmlXPathObjectPtr all = xml_nodes(ctx, xmlDocGetRootElement(doc), "./devices/interface");
    xmlNodePtr found = NULL;
    int hits = 0;

    for (int i = 0; all && all->nodesetval && i < all->nodesetval->nodeNr; i++) {
        xmlNodePtr n = all->nodesetval->nodeTab[i];
        AUTOFREE char *t = xml_str(ctx, n, "string(./@type)");
        AUTOFREE char *m = xml_str(ctx, n, "string(./mac/@address)");

        if ((mac && m && strcasecmp(m, mac) == 0) ||
            (!mac && type && t && STREQ(t, type))) {
            found = n;
            hits++;
        }
    }
    xmlXPathFreeObject(all);
    xmlXPathFreeContext(ctx);
    if (hits > 1 && !mac) {
        err_set(&c->r.err, "Domain '%s' has %d %s interfaces: say which with --mac", c->name,
                hits, type);
        return NULL;
    }
    if (!found)
        err_set(&c->r.err, "Domain '%s' has no %s interface%s%s", c->name,
                type ? type : "such", mac ? " with MAC " : "", mac ? mac : "");
    return found;
}

static xmlDocPtr
domain_doc(struct act_call *c, virDomainPtr dom, unsigned int flags)
{
    AUTOFREE char *xml = virDomainGetXMLDesc(dom, flags);

    if (!xml) {
        err_virt(&c->r.err, "Failed to get the XML of domain '%s'", c->name);
        return NULL;
    }
    return xml_parse(xml, "domain XML", &c->r.err);
}

static int
act_detach_interface(struct act_call *c, virConnectPtr conn)
{
    virDomainPtr dom = act_domain_lookup(c, conn);
    unsigned int flags;
    xmlDocPtr doc;
    xmlNodePtr n;
    AUTOFREE char *xml = NULL;
    int rc = -1;

    if (!dom)
        return -1;
    flags = act_affect(c, dom);
    doc = domain_doc(c, dom, flags & VIR_DOMAIN_AFFECT_LIVE ? 0 : VIR_DOMAIN_XML_INACTIVE);
    if (doc && (n = find_iface(doc, action_arg(c, "type"), action_arg(c, "mac"), c))) {
        xml = xml_node_str(n);
        if ((rc = virDomainDetachDeviceFlags(dom, xml, flags)) < 0)
            err_virt(&c->r.err, "Failed to detach the interface from '%s'", c->name);
        else
            c->result = xasprintf("Interface detached from '%s'", c->name);
    }
    if (doc)
        xmlFreeDoc(doc);
    virDomainFree(dom);
    return rc < 0 ? -1 : 0;
}

/* Update the interface with mac in the XML given by flags to be on net. */
static int
retarget(struct act_call *c, virDomainPtr dom, const char *mac, const char *net,
         const char *link, unsigned int flags)
{
    xmlDocPtr doc = domain_doc(c, dom, flags == VIR_DOMAIN_AFFECT_CONFIG ?
                               VIR_DOMAIN_XML_INACTIVE : 0);
    xmlNodePtr n, child;
    AUTOFREE char *xml = NULL;
    int rc = -1;

    if (!doc || !(n = find_iface(doc, NULL, mac, c)))
        goto out;
    if (net) {
        xmlSetProp(n, BAD_CAST "type", BAD_CAST "network");
        for (child = n->children; child; child = child->next) {
            if (child->type == XML_ELEMENT_NODE && xmlStrEqual(child->name, BAD_CAST "source")) {
                xmlUnlinkNode(child);
                xmlFreeNode(child);
                break;
            }
        }
        child = xmlNewChild(n, NULL, BAD_CAST "source", NULL);
        xmlNewProp(child, BAD_CAST "network", BAD_CAST net);
    }
    if (link) {
        for (child = n->children; child; child = child->next) {
            if (child->type == XML_ELEMENT_NODE && xmlStrEqual(child->name, BAD_CAST "link"))
                break;
        }
        if (!child)
            child = xmlNewChild(n, NULL, BAD_CAST "link", NULL);
        xmlSetProp(child, BAD_CAST "state", BAD_CAST link);
    }
    xml = xml_node_str(n);
    if ((rc = virDomainUpdateDeviceFlags(dom, xml, flags)) < 0)
        err_virt(&c->r.err, "Failed to update the interface %s of '%s'", mac, c->name);
 out:
    if (doc)
        xmlFreeDoc(doc);
    return rc;
}

static int
act_iface_move(struct act_call *c, virConnectPtr conn)
{
    const char *mac = action_arg(c, "mac"), *net = action_arg(c, "network");
    virDomainPtr dom = act_domain_lookup(c, conn);
    bool live;
    int rc = -1;

    if (!dom)
        return -1;
    live = virDomainIsActive(dom) == 1;
    if (live && retarget(c, dom, mac, net, NULL, VIR_DOMAIN_AFFECT_LIVE) < 0)
        goto out;
    if (virDomainIsPersistent(dom) == 1 &&
        retarget(c, dom, mac, net, NULL, VIR_DOMAIN_AFFECT_CONFIG) < 0)
        goto out;
    /* the guest does not notice a new source: take the link down and up so
     * it asks DHCP again */
    if (live && !action_arg(c, "no-bounce")) {
        if (retarget(c, dom, mac, NULL, "down", VIR_DOMAIN_AFFECT_LIVE) < 0)
            goto out;
        sleep(2);
        if (retarget(c, dom, mac, NULL, "up", VIR_DOMAIN_AFFECT_LIVE) < 0)
            goto out;
    }
    c->result = xasprintf("Interface %s of '%s' moved to network '%s'%s", mac, c->name, net,
                          live ? " (live and persistent)" : "");
    rc = 0;
 out:
    virDomainFree(dom);
    return rc;
}

static int
act_net_dhcp_static(struct act_call *c, virConnectPtr conn)
{
    virNetworkPtr net = virNetworkLookupByUUIDString(conn, c->uuid);
    xmlDocPtr doc;
    xmlNodePtr root;
    AUTOFREE char *xml = NULL;
    unsigned int flags = 0;
    int rc;

    if (!net)
        return err_virt(&c->r.err, "Failed to find network '%s'", c->name);
    doc = xmlNewDoc(BAD_CAST "1.0");
    root = xmlNewNode(NULL, BAD_CAST "host");
    xmlDocSetRootElement(doc, root);
    xmlNewProp(root, BAD_CAST "mac", BAD_CAST action_arg(c, "mac"));
    if (action_arg(c, "hostname"))
        xmlNewProp(root, BAD_CAST "name", BAD_CAST action_arg(c, "hostname"));
    xmlNewProp(root, BAD_CAST "ip", BAD_CAST action_arg(c, "ip"));
    xml = xml_node_str(root);
    xmlFreeDoc(doc);
    if (virNetworkIsActive(net) == 1)
        flags |= VIR_NETWORK_UPDATE_AFFECT_LIVE;
    if (virNetworkIsPersistent(net) == 1)
        flags |= VIR_NETWORK_UPDATE_AFFECT_CONFIG;
    rc = virNetworkUpdate(net, VIR_NETWORK_UPDATE_COMMAND_ADD_LAST,
                          VIR_NETWORK_SECTION_IP_DHCP_HOST, -1, xml, flags);
    if (rc < 0)
        err_virt(&c->r.err, "Failed to add the static host %s to network '%s'",
                 action_arg(c, "ip"), c->name);
    else
        c->result = xasprintf("Network '%s' gives %s to %s from now on   $ virsh net-update %s "
                              "add ip-dhcp-host \"%s\" --live --config", c->name,
                              action_arg(c, "ip"), action_arg(c, "mac"), c->name, xml);
    virNetworkFree(net);
    return rc < 0 ? -1 : 0;
}

static const struct act_arg a_attach[] = {
    { .name = "domain", .type = ARG_DOMAIN, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "domain name" },
    { .name = "type", .type = ARG_STRING, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "network or bridge" },
    { .name = "source", .type = ARG_STRING, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "the network or host bridge" },
    { .name = "mac", .type = ARG_STRING, .help = "MAC address (default: libvirt makes one)" },
    { .name = "model", .type = ARG_STRING, .help = "NIC model (default virtio)" },
    { .name = "live", .type = ARG_BOOL, .help = "the running guest only" },
    { .name = "config", .type = ARG_BOOL, .help = "the persistent definition only" },
    { NULL },
};
static const struct act_arg a_detach[] = {
    { .name = "domain", .type = ARG_DOMAIN, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "domain name" },
    { .name = "type", .type = ARG_STRING, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "network or bridge" },
    { .name = "mac", .type = ARG_STRING, .help = "which interface, when there are several" },
    { .name = "live", .type = ARG_BOOL, .help = "the running guest only" },
    { .name = "config", .type = ARG_BOOL, .help = "the persistent definition only" },
    { NULL },
};
static const struct act_arg a_move[] = {
    { .name = "domain", .type = ARG_DOMAIN, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "domain name" },
    { .name = "mac", .type = ARG_STRING, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "the interface's MAC address" },
    { .name = "network", .type = ARG_STRING, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "the network to move it to" },
    { .name = "no-bounce", .type = ARG_BOOL,
      .help = "do not bounce the link (the guest keeps its address)" },
    { NULL },
};
static const struct act_arg a_static[] = {
    { .name = "network", .type = ARG_NETWORK, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "network name" },
    { .name = "mac", .type = ARG_STRING, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "the guest interface's MAC" },
    { .name = "ip", .type = ARG_STRING, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "the address it always gets" },
    { .name = "hostname", .type = ARG_STRING, .help = "a host name for it" },
    { NULL },
};

static void
fill_attach(struct act_fill *f)
{
    f->set(f, "type", "network");
    f->set(f, "source", "default");
}

/* From the network's newest lease: make the address it has now its own. */
static void
fill_static(struct act_fill *f)
{
    const struct m_net *n = f->network ? model_net_by_name(f->host, f->network) : NULL;
    const struct net_lease *l;
    AUTOFREE char *ip = NULL;
    char *slash;

    if (!n || n->nleases <= 0)
        return;
    l = &n->leases[n->nleases - 1];
    ip = xstrdup(l->ip);
    if (ip && (slash = strchr(ip, '/')))
        *slash = '\0';
    f->set(f, "mac", l->mac);
    f->set(f, "ip", ip);
    f->set(f, "hostname", l->guest ? l->guest : l->hostname);
}

const struct action act_iface_rows[] = {
    { .name = "attach-interface", .target = TARGET_DOMAIN, .flags = ACT_MUTATES,
      .args = a_attach,
      .help = "Add a network interface (live where the guest runs, persistent always)",
      .run = act_attach_interface, .defaults = fill_attach },
    { .name = "detach-interface", .target = TARGET_DOMAIN,
      .flags = ACT_MUTATES | ACT_DESTRUCTIVE, .args = a_detach,
      .help = "Remove a network interface", .run = act_detach_interface },
    { .name = "iface-move", .target = TARGET_DOMAIN, .flags = ACT_MUTATES | ACT_NO_VIRSH,
      .args = a_move, .help = "Move an interface to another network and bounce its link",
      .run = act_iface_move },
    { .name = "net-dhcp-static", .target = TARGET_NETWORK, .flags = ACT_MUTATES | ACT_NO_VIRSH,
      .args = a_static, .help = "Always give this address to this MAC (a static DHCP host entry)",
      .run = act_net_dhcp_static, .defaults = fill_static },
    { NULL },
};
