/* netxml.c: network XML. Reading takes the forward mode (no <forward> is
 * an isolated network), the bridge, the first IPv4 and IPv6 addresses and
 * the DHCP range. Writing builds the document with libxml2 from checked
 * fields: addresses must parse (inet_pton), prefixes be in range, the
 * DHCP range lie inside the IPv4 subnet and not contain the host's own
 * address. */
#include <autoconf.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>

#include "netxml.h"
#include "xml.h"

static uint32_t
v4_of(const char *s)
{
    struct in_addr a;

    return inet_pton(AF_INET, s, &a) == 1 ? ntohl(a.s_addr) : 0;
}

static int
prefix_of_netmask(const char *mask)
{
    struct in_addr a;
    uint32_t m;
    int n = 0;

    if (!mask || inet_pton(AF_INET, mask, &a) != 1)
        return -1;
    m = ntohl(a.s_addr);
    while (m & 0x80000000u) {
        n++;
        m <<= 1;
    }
    return n;
}

struct net_info *
netxml_parse(const char *xml, struct err *e)
{
    xmlDocPtr doc = xml_parse(xml, "network XML", e);
    xmlXPathContextPtr ctx;
    xmlNodePtr root;
    struct net_info *n;
    AUTOFREE char *addr = NULL;
    AUTOFREE char *mask = NULL;
    AUTOFREE char *prefix = NULL;
    AUTOFREE char *start = NULL;
    AUTOFREE char *end = NULL;
    AUTOFREE char *addr6 = NULL;
    AUTOFREE char *prefix6 = NULL;
    xmlXPathObjectPtr hosts;

    if (!doc)
        return NULL;
    root = xmlDocGetRootElement(doc);
    if (!xmlStrEqual(root->name, BAD_CAST "network")) {
        err_set(e, "The XML describes a '%s', not a network", (const char *)root->name);
        xmlFreeDoc(doc);
        return NULL;
    }
    ctx = xmlXPathNewContext(doc);
    n = xcalloc(1, sizeof(*n));
    n->name = xml_str(ctx, root, "string(./name)");
    n->uuid = xml_str(ctx, root, "string(./uuid)");
    n->forward = xml_str(ctx, root, "string(./forward/@mode)");
    if (!n->forward) {
        xmlXPathObjectPtr f = xml_nodes(ctx, root, "./forward");

        /* <forward/> without a mode is NAT; no <forward> is isolated */
        n->forward = xstrdup(f && f->nodesetval && f->nodesetval->nodeNr ? "nat" : "isolated");
        xmlXPathFreeObject(f);
    }
    n->forward_dev = xml_str(ctx, root, "string(./forward/@dev)");
    n->bridge = xml_str(ctx, root, "string(./bridge/@name)");
    n->domain = xml_str(ctx, root, "string(./domain/@name)");
    addr = xml_str(ctx, root, "string(./ip[not(@family) or @family='ipv4'][1]/@address)");
    mask = xml_str(ctx, root, "string(./ip[not(@family) or @family='ipv4'][1]/@netmask)");
    prefix = xml_str(ctx, root, "string(./ip[not(@family) or @family='ipv4'][1]/@prefix)");
    if (addr)
        n->ipv4 = xasprintf("%s/%d", addr, prefix ? atoi(prefix) : prefix_of_netmask(mask));
    start = xml_str(ctx, root, "string(./ip[not(@family) or @family='ipv4'][1]/dhcp/range/@start)");
    end = xml_str(ctx, root, "string(./ip[not(@family) or @family='ipv4'][1]/dhcp/range/@end)");
    if (start && end)
        n->dhcp = xasprintf("%s - %s", start, end);
    addr6 = xml_str(ctx, root, "string(./ip[@family='ipv6'][1]/@address)");
    prefix6 = xml_str(ctx, root, "string(./ip[@family='ipv6'][1]/@prefix)");
    if (addr6)
        n->ipv6 = xasprintf("%s/%s", addr6, prefix6 ? prefix6 : "64");
    hosts = xml_nodes(ctx, root, "./ip/dhcp/host");
    n->nhosts = hosts && hosts->nodesetval ? hosts->nodesetval->nodeNr : 0;
    xmlXPathFreeObject(hosts);
    xmlXPathFreeContext(ctx);
    xmlFreeDoc(doc);
    return n;
}

bool
netxml_overlaps(const char *a, const char *b)
{
    char aa[64], bb[64];
    const char *sa = a ? strchr(a, '/') : NULL, *sb = b ? strchr(b, '/') : NULL;
    int pa, pb, p;
    uint32_t mask;

    if (!sa || !sb || (size_t)(sa - a) >= sizeof(aa) || (size_t)(sb - b) >= sizeof(bb))
        return false;
    memcpy(aa, a, (size_t)(sa - a));
    aa[sa - a] = '\0';
    memcpy(bb, b, (size_t)(sb - b));
    bb[sb - b] = '\0';
    pa = atoi(sa + 1);
    pb = atoi(sb + 1);
    p = pa < pb ? pa : pb;
    if (p <= 0 || p > 32)
        return false;
    mask = p == 32 ? ~0u : ~0u << (32 - p);
    return (v4_of(aa) & mask) == (v4_of(bb) & mask);
}

void
netxml_free(struct net_info *n)
{
    if (!n)
        return;
    free(n->name);
    free(n->uuid);
    free(n->forward);
    free(n->forward_dev);
    free(n->bridge);
    free(n->ipv4);
    free(n->dhcp);
    free(n->ipv6);
    free(n->domain);
    free(n);
}

/* "ADDR/PREFIX" for family af: the address (text), the prefix. */
static int
split_cidr(const char *s, int af, char *addr, size_t len, int *prefix, const char *field,
           struct err *e)
{
    const char *slash = strchr(s, '/');
    unsigned char buf[16];
    char *end;
    long p;

    if (!slash || (size_t)(slash - s) >= len)
        return err_set(e, "The %s '%s' needs the form ADDRESS/PREFIX", field, s);
    memcpy(addr, s, (size_t)(slash - s));
    addr[slash - s] = '\0';
    if (inet_pton(af, addr, buf) != 1)
        return err_set(e, "The %s '%s' is not an %s address", field, addr,
                       af == AF_INET ? "IPv4" : "IPv6");
    p = strtol(slash + 1, &end, 10);
    if (*end || p < 1 || p > (af == AF_INET ? 30 : 128))
        return err_set(e, "The %s prefix '%s' must be 1..%d", field, slash + 1,
                       af == AF_INET ? 30 : 128);
    *prefix = (int)p;
    return 0;
}


/* For "return none(err_set(e, ...))": the error is set, the result NULL. */
static char *
none(int rc)
{
    (void)rc;
    return NULL;
}

char *
netxml_build(const char *name, const char *mode, const char *bridge,
             const char *ipv4, const char *dhcp, const char *ipv6, struct err *e)
{
    static const char *modes[] = { "nat", "route", "open", "isolated", "bridge" };
    xmlDocPtr doc;
    xmlNodePtr root, n, ip;
    xmlChar *out = NULL;
    char *ret;
    int len, prefix = 0;
    char addr[64], s[64], t[64];
    bool known = false;

    if (!name || !*name || strchr(name, '/'))
        return none(err_set(e, "A network needs a name without '/'"));
    for (size_t i = 0; i < ARRAY_CARDINALITY(modes); i++)
        known |= mode && STREQ(mode, modes[i]);
    if (!known)
        return none(err_set(e, "The mode '%s' is not one of nat, route, open, isolated, bridge",
                       mode ? mode : ""));
    if (bridge && strlen(bridge) > 15)
        return none(err_set(e, "The bridge name '%s' is longer than 15 characters", bridge));
    if (bridge && (strchr(bridge, '/') || strchr(bridge, ' ')))
        return none(err_set(e, "The bridge name '%s' has a '/' or a space", bridge));
    if (STREQ(mode, "bridge") && (!bridge || !*bridge))
        return none(err_set(e, "A bridged network needs the host bridge to use (--bridge br0)"));
    if (!STREQ(mode, "bridge") && !ipv4)
        return none(err_set(e, "A %s network needs an IPv4 address (--ipv4 192.168.100.1/24)",
                       mode));
    if (ipv4 && !STREQ(mode, "bridge") &&
        split_cidr(ipv4, AF_INET, addr, sizeof(addr), &prefix, "IPv4 address", e) < 0)
        return NULL;
    if (dhcp && !STREQ(mode, "bridge")) {
        const char *dash = strchr(dhcp, '-');
        uint32_t mask = prefix ? ~0u << (32 - prefix) : 0, lo, hi;

        if (!dash || (size_t)(dash - dhcp) >= sizeof(s) || strlen(dash + 1) >= sizeof(t))
            return none(err_set(e, "The DHCP range '%s' needs the form START-END", dhcp));
        memcpy(s, dhcp, (size_t)(dash - dhcp));
        s[dash - dhcp] = '\0';
        snprintf(t, sizeof(t), "%s", dash + 1);
        lo = v4_of(s);
        hi = v4_of(t);
        if (!lo || !hi || lo > hi)
            return none(err_set(e, "The DHCP range '%s' is not two IPv4 addresses, lowest first",
                           dhcp));
        if ((lo & mask) != (v4_of(addr) & mask) || (hi & mask) != (v4_of(addr) & mask))
            return none(err_set(e, "The DHCP range '%s' is not inside %s", dhcp, ipv4));
        if (v4_of(addr) >= lo && v4_of(addr) <= hi)
            return none(err_set(e, "The DHCP range '%s' contains the network's own address %s",
                           dhcp, addr));
    }
    doc = xmlNewDoc(BAD_CAST "1.0");
    root = xmlNewNode(NULL, BAD_CAST "network");
    xmlDocSetRootElement(doc, root);
    xmlNewTextChild(root, NULL, BAD_CAST "name", BAD_CAST name);
    if (!STREQ(mode, "isolated")) {
        n = xmlNewChild(root, NULL, BAD_CAST "forward", NULL);
        xmlNewProp(n, BAD_CAST "mode", BAD_CAST mode);
    }
    if (bridge && *bridge) {
        n = xmlNewChild(root, NULL, BAD_CAST "bridge", NULL);
        xmlNewProp(n, BAD_CAST "name", BAD_CAST bridge);
        if (!STREQ(mode, "bridge")) {
            xmlNewProp(n, BAD_CAST "stp", BAD_CAST "on");
            xmlNewProp(n, BAD_CAST "delay", BAD_CAST "0");
        }
    }
    if (!STREQ(mode, "bridge")) {
        char pfx[8];

        ip = xmlNewChild(root, NULL, BAD_CAST "ip", NULL);
        xmlNewProp(ip, BAD_CAST "address", BAD_CAST addr);
        snprintf(pfx, sizeof(pfx), "%d", prefix);
        xmlNewProp(ip, BAD_CAST "prefix", BAD_CAST pfx);
        if (dhcp) {
            n = xmlNewChild(xmlNewChild(ip, NULL, BAD_CAST "dhcp", NULL), NULL,
                            BAD_CAST "range", NULL);
            xmlNewProp(n, BAD_CAST "start", BAD_CAST s);
            xmlNewProp(n, BAD_CAST "end", BAD_CAST t);
        }
        if (ipv6) {
            char a6[64], p6[8];
            int prefix6;

            if (split_cidr(ipv6, AF_INET6, a6, sizeof(a6), &prefix6, "IPv6 address", e) < 0) {
                xmlFreeDoc(doc);
                return NULL;
            }
            ip = xmlNewChild(root, NULL, BAD_CAST "ip", NULL);
            xmlNewProp(ip, BAD_CAST "family", BAD_CAST "ipv6");
            xmlNewProp(ip, BAD_CAST "address", BAD_CAST a6);
            snprintf(p6, sizeof(p6), "%d", prefix6);
            xmlNewProp(ip, BAD_CAST "prefix", BAD_CAST p6);
        }
    }
    xmlDocDumpFormatMemory(doc, &out, &len, 1);
    ret = xstrdup((const char *)out);
    xmlFree(out);
    xmlFreeDoc(doc);
    return ret;
}
