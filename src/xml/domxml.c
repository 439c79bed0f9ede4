/* domxml.c: reads the parts of a domain's XML the details pane shows:
 * identity, OS, CPUs and memory, disks with their backing chains,
 * interfaces, graphics and character devices. Read-only for now; the
 * rewrite helpers for clone and hotplug will live here too. */
#include <autoconf.h>

#include <stdlib.h>

#include "domxml.h"
#include "xml.h"

/* memory in KiB from an element with an optional unit attribute */
static unsigned long long
mem_kib(xmlXPathContextPtr ctx, xmlNodePtr root, const char *el)
{
    char path[128];
    AUTOFREE char *unit = NULL;
    unsigned long long v;

    snprintf(path, sizeof(path), "string(./%s)", el);
    v = xml_ull(ctx, root, path, 0);
    snprintf(path, sizeof(path), "string(./%s/@unit)", el);
    unit = xml_str(ctx, root, path);
    if (!unit || STREQ(unit, "KiB") || STREQ(unit, "k") || STREQ(unit, "K"))
        return v;
    if (STREQ(unit, "b") || STREQ(unit, "bytes"))
        return v / 1024;
    if (STREQ(unit, "MiB") || STREQ(unit, "M") || STREQ(unit, "m"))
        return v * 1024;
    if (STREQ(unit, "GiB") || STREQ(unit, "G") || STREQ(unit, "g"))
        return v * 1024 * 1024;
    if (STREQ(unit, "TiB") || STREQ(unit, "T") || STREQ(unit, "t"))
        return v * 1024 * 1024 * 1024;
    if (STREQ(unit, "KB"))
        return v * 1000 / 1024;
    if (STREQ(unit, "MB"))
        return v * 1000 * 1000 / 1024;
    if (STREQ(unit, "GB"))
        return v * 1000 * 1000 * 1000 / 1024;
    return v;
}

static char *
source_of(xmlXPathContextPtr ctx, xmlNodePtr n)
{
    char *s;

    if ((s = xml_str(ctx, n, "string(./source/@file)")) ||
        (s = xml_str(ctx, n, "string(./source/@dev)")))
        return s;
    if ((s = xml_str(ctx, n, "string(./source/@volume)"))) {
        AUTOFREE char *pool = xml_str(ctx, n, "string(./source/@pool)");
        char *r = xasprintf("%s/%s", pool ? pool : "?", s);

        free(s);
        return r;
    }
    if ((s = xml_str(ctx, n, "string(./source/@name)")))
        return s;
    return NULL;
}

/* "img1 <- img0" from nested backingStore elements */
static char *
backing_chain(xmlXPathContextPtr ctx, xmlNodePtr disk)
{
    char *chain = NULL;
    xmlNodePtr n = disk;

    for (int depth = 0; depth < 64; depth++) {
        xmlXPathObjectPtr obj = xml_nodes(ctx, n, "./backingStore[source]");
        char *src, *tmp;

        if (!obj || !obj->nodesetval || obj->nodesetval->nodeNr == 0) {
            xmlXPathFreeObject(obj);
            break;
        }
        n = obj->nodesetval->nodeTab[0];
        xmlXPathFreeObject(obj);
        src = source_of(ctx, n);
        tmp = chain ? xasprintf("%s <- %s", chain, src ? src : "?")
                    : xstrdup(src ? src : "?");
        free(chain);
        free(src);
        chain = tmp;
    }
    return chain;
}

/* The source, then each backingStore's source, as an array. */
static char **
chain_of(xmlXPathContextPtr ctx, xmlNodePtr disk)
{
    char **v = xcalloc(66, sizeof(char *));
    size_t n = 0;

    for (xmlNodePtr node = disk; node && n < 64;) {
        xmlXPathObjectPtr b;

        if (!(v[n] = source_of(ctx, node)))
            break;
        n++;
        b = xml_nodes(ctx, node, "./backingStore[source]");
        node = b && b->nodesetval && b->nodesetval->nodeNr ? b->nodesetval->nodeTab[0] : NULL;
        xmlXPathFreeObject(b);
    }
    return v;
}

static void
parse_disks(xmlXPathContextPtr ctx, xmlNodePtr root, struct dom_details *d)
{
    xmlXPathObjectPtr obj = xml_nodes(ctx, root, "./devices/disk");

    if (!obj || !obj->nodesetval) {
        xmlXPathFreeObject(obj);
        return;
    }
    d->ndisks = (size_t)obj->nodesetval->nodeNr;
    d->disks = xcalloc(d->ndisks, sizeof(*d->disks));
    for (size_t i = 0; i < d->ndisks; i++) {
        xmlNodePtr n = obj->nodesetval->nodeTab[i];
        struct dom_disk *k = &d->disks[i];
        xmlXPathObjectPtr ro = xml_nodes(ctx, n, "./readonly");
        xmlXPathObjectPtr sh = xml_nodes(ctx, n, "./shareable");

        k->device = xml_str(ctx, n, "string(./@device)");
        k->type = xml_str(ctx, n, "string(./@type)");
        k->target = xml_str(ctx, n, "string(./target/@dev)");
        k->bus = xml_str(ctx, n, "string(./target/@bus)");
        k->format = xml_str(ctx, n, "string(./driver/@type)");
        k->source = source_of(ctx, n);
        k->backing = backing_chain(ctx, n);
        k->chain = chain_of(ctx, n);
        k->readonly = ro && ro->nodesetval && ro->nodesetval->nodeNr > 0;
        k->shareable = sh && sh->nodesetval && sh->nodesetval->nodeNr > 0;
        xmlXPathFreeObject(ro);
        xmlXPathFreeObject(sh);
    }
    xmlXPathFreeObject(obj);
}

static void
parse_ifaces(xmlXPathContextPtr ctx, xmlNodePtr root, struct dom_details *d)
{
    xmlXPathObjectPtr obj = xml_nodes(ctx, root, "./devices/interface");

    if (!obj || !obj->nodesetval) {
        xmlXPathFreeObject(obj);
        return;
    }
    d->nifaces = (size_t)obj->nodesetval->nodeNr;
    d->ifaces = xcalloc(d->nifaces, sizeof(*d->ifaces));
    for (size_t i = 0; i < d->nifaces; i++) {
        xmlNodePtr n = obj->nodesetval->nodeTab[i];
        struct dom_iface *f = &d->ifaces[i];

        f->type = xml_str(ctx, n, "string(./@type)");
        f->source = xml_str(ctx, n, "string(./source/@network | ./source/@bridge"
                                    " | ./source/@dev | ./source/@path)");
        f->model = xml_str(ctx, n, "string(./model/@type)");
        f->mac = xml_str(ctx, n, "string(./mac/@address)");
        f->target = xml_str(ctx, n, "string(./target/@dev)");
    }
    xmlXPathFreeObject(obj);
}

static void
parse_graphics(xmlXPathContextPtr ctx, xmlNodePtr root, struct dom_details *d)
{
    xmlXPathObjectPtr obj = xml_nodes(ctx, root, "./devices/graphics");

    if (!obj || !obj->nodesetval) {
        xmlXPathFreeObject(obj);
        return;
    }
    d->ngraphics = (size_t)obj->nodesetval->nodeNr;
    d->graphics = xcalloc(d->ngraphics, sizeof(*d->graphics));
    for (size_t i = 0; i < d->ngraphics; i++) {
        xmlNodePtr n = obj->nodesetval->nodeTab[i];
        struct dom_graphics *g = &d->graphics[i];
        AUTOFREE char *ap = xml_str(ctx, n, "string(./@autoport)");

        g->type = xml_str(ctx, n, "string(./@type)");
        g->listen = xml_str(ctx, n, "string(./@listen | ./listen/@address)");
        g->port = xml_str(ctx, n, "string(./@port)");
        g->autoport = ap && STREQ(ap, "yes");
    }
    xmlXPathFreeObject(obj);
}

static void
parse_chardevs(xmlXPathContextPtr ctx, xmlNodePtr root, struct dom_details *d)
{
    xmlXPathObjectPtr obj = xml_nodes(ctx, root,
                                      "./devices/serial | ./devices/console"
                                      " | ./devices/channel");

    if (!obj || !obj->nodesetval) {
        xmlXPathFreeObject(obj);
        return;
    }
    d->nchardevs = (size_t)obj->nodesetval->nodeNr;
    d->chardevs = xcalloc(d->nchardevs, sizeof(*d->chardevs));
    for (size_t i = 0; i < d->nchardevs; i++) {
        xmlNodePtr n = obj->nodesetval->nodeTab[i];
        struct dom_chardev *c = &d->chardevs[i];
        AUTOFREE char *port = xml_str(ctx, n, "string(./target/@port)");
        AUTOFREE char *ttype = xml_str(ctx, n, "string(./target/@type)");
        AUTOFREE char *tname = xml_str(ctx, n, "string(./target/@name)");

        c->kind = xstrdup((const char *)n->name);
        c->type = xml_str(ctx, n, "string(./@type)");
        c->path = xml_str(ctx, n, "string(./source/@path | ./@tty)");
        if (tname)
            c->target = xstrdup(tname);
        else if (ttype && port)
            c->target = xasprintf("%s port %s", ttype, port);
        else if (port)
            c->target = xasprintf("port %s", port);
        else
            c->target = xstrdup(ttype);
    }
    xmlXPathFreeObject(obj);
}

struct dom_details *
domxml_parse(const char *xml, struct err *e)
{
    xmlDocPtr doc = xml_parse(xml, "domain XML", e);
    xmlXPathContextPtr ctx;
    xmlNodePtr root;
    struct dom_details *d;

    if (!doc)
        return NULL;
    root = xmlDocGetRootElement(doc);
    if (!xmlStrEqual(root->name, BAD_CAST "domain")) {
        err_set(e, "The XML describes a '%s', not a domain", (const char *)root->name);
        xmlFreeDoc(doc);
        return NULL;
    }
    ctx = xmlXPathNewContext(doc);
    d = xcalloc(1, sizeof(*d));
    d->name = xml_str(ctx, root, "string(./name)");
    d->uuid = xml_str(ctx, root, "string(./uuid)");
    d->title = xml_str(ctx, root, "string(./title)");
    d->description = xml_str(ctx, root, "string(./description)");
    d->os_type = xml_str(ctx, root, "string(./os/type)");
    d->arch = xml_str(ctx, root, "string(./os/type/@arch)");
    d->machine = xml_str(ctx, root, "string(./os/type/@machine)");
    d->vcpus_max = (unsigned)xml_ull(ctx, root, "string(./vcpu)", 1);
    d->vcpus_cur = (unsigned)xml_ull(ctx, root, "string(./vcpu/@current)",
                                     d->vcpus_max);
    d->maxmem_kib = mem_kib(ctx, root, "memory");
    d->mem_kib = mem_kib(ctx, root, "currentMemory");
    if (!d->mem_kib)
        d->mem_kib = d->maxmem_kib;
    parse_disks(ctx, root, d);
    parse_ifaces(ctx, root, d);
    parse_graphics(ctx, root, d);
    parse_chardevs(ctx, root, d);
    xmlXPathFreeContext(ctx);
    xmlFreeDoc(doc);
    return d;
}

void
domxml_free(struct dom_details *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->ndisks; i++) {
        struct dom_disk *k = &d->disks[i];

        free(k->device);
        free(k->type);
        free(k->target);
        free(k->bus);
        free(k->source);
        free(k->format);
        free(k->backing);
        util_strv_free(k->chain);
    }
    for (size_t i = 0; i < d->nifaces; i++) {
        free(d->ifaces[i].type);
        free(d->ifaces[i].source);
        free(d->ifaces[i].model);
        free(d->ifaces[i].mac);
        free(d->ifaces[i].target);
        free(d->ifaces[i].addrs);
    }
    for (size_t i = 0; i < d->ngraphics; i++) {
        free(d->graphics[i].type);
        free(d->graphics[i].listen);
        free(d->graphics[i].port);
    }
    for (size_t i = 0; i < d->nchardevs; i++) {
        free(d->chardevs[i].kind);
        free(d->chardevs[i].type);
        free(d->chardevs[i].target);
        free(d->chardevs[i].path);
    }
    free(d->disks);
    free(d->ifaces);
    free(d->graphics);
    free(d->chardevs);
    free(d->name);
    free(d->uuid);
    free(d->title);
    free(d->description);
    free(d->os_type);
    free(d->arch);
    free(d->machine);
    free(d);
}
