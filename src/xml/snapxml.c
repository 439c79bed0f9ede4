/* snapxml.c: domain snapshot XML through libxml2. Reads what the snapshot
 * view shows (parent, time, state, memory and disks internal or external,
 * overlay files), writes snapshot-create-as's XML from virsh's diskspecs
 * and the redefine XML for a new description, and tells whether a
 * domain's disks can hold an internal snapshot (qcow2 only). */
#include <autoconf.h>

#include <stdio.h>
#include <stdlib.h>

#include "snapxml.h"
#include "xml.h"

static char *
str(xmlXPathContextPtr ctx, xmlNodePtr n, const char *xpath)
{
    return xml_str(ctx, n, xpath);
}

/* The file of disk name (a target, or a path as virsh allows) in the
 * domain definition the snapshot recorded. */
static char *
image_of(xmlXPathContextPtr ctx, xmlNodePtr root, const char *name)
{
    xmlXPathObjectPtr obj;
    char *r = NULL;

    if (!name)
        return NULL;
    obj = xml_nodes(ctx, root, "./domain/devices/disk");
    for (int i = 0; obj && obj->nodesetval && i < obj->nodesetval->nodeNr && !r; i++) {
        xmlNodePtr n = obj->nodesetval->nodeTab[i];
        AUTOFREE char *dev = str(ctx, n, "string(./target/@dev)");
        char *src = str(ctx, n, "string(./source/@file | ./source/@dev | ./source/@name)");

        if (src && ((dev && STREQ(dev, name)) || STREQ(src, name)))
            r = src;
        else
            free(src);
    }
    xmlXPathFreeObject(obj);
    return r;
}

static void
parse_disks(xmlXPathContextPtr ctx, xmlNodePtr root, struct snap_info *s)
{
    xmlXPathObjectPtr obj = xml_nodes(ctx, root, "./disks/disk");

    if (!obj || !obj->nodesetval || obj->nodesetval->nodeNr == 0) {
        xmlXPathFreeObject(obj);
        return;
    }
    s->ndisks = (size_t)obj->nodesetval->nodeNr;
    s->disks = xcalloc(s->ndisks, sizeof(*s->disks));
    for (size_t i = 0; i < s->ndisks; i++) {
        xmlNodePtr n = obj->nodesetval->nodeTab[i];
        struct snap_disk *d = &s->disks[i];

        d->name = str(ctx, n, "string(./@name)");
        d->snapshot = str(ctx, n, "string(./@snapshot)");
        d->file = str(ctx, n, "string(./source/@file | ./source/@dev | ./source/@name)");
        d->driver = str(ctx, n, "string(./driver/@type)");
        d->image = image_of(ctx, root, d->name);
        if (d->snapshot && STREQ(d->snapshot, "external"))
            s->external = true;
    }
    xmlXPathFreeObject(obj);
}

struct snap_info *
snapxml_parse(const char *xml, struct err *e)
{
    xmlDocPtr doc = xml_parse(xml, "snapshot XML", e);
    xmlXPathContextPtr ctx;
    xmlNodePtr root;
    struct snap_info *s;
    AUTOFREE char *created = NULL;

    if (!doc)
        return NULL;
    root = xmlDocGetRootElement(doc);
    if (!xmlStrEqual(root->name, BAD_CAST "domainsnapshot")) {
        err_set(e, "The snapshot XML is a <%s>, not a <domainsnapshot>",
                (const char *)root->name);
        xmlFreeDoc(doc);
        return NULL;
    }
    ctx = xmlXPathNewContext(doc);
    s = xcalloc(1, sizeof(*s));
    s->name = str(ctx, root, "string(./name)");
    s->parent = str(ctx, root, "string(./parent/name)");
    s->description = str(ctx, root, "string(./description)");
    s->state = str(ctx, root, "string(./state)");
    created = str(ctx, root, "string(./creationTime)");
    s->created = created ? strtoll(created, NULL, 10) : 0;
    s->memory = str(ctx, root, "string(./memory/@snapshot)");
    s->memory_file = str(ctx, root, "string(./memory/@file)");
    if (s->memory && STREQ(s->memory, "external"))
        s->external = true;
    parse_disks(ctx, root, s);
    xmlXPathFreeContext(ctx);
    xmlFreeDoc(doc);
    if (!s->name) {
        err_set(e, "The snapshot XML has no <name>");
        snapxml_free(s);
        return NULL;
    }
    return s;
}

void
snapxml_free(struct snap_info *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->ndisks; i++) {
        free(s->disks[i].name);
        free(s->disks[i].snapshot);
        free(s->disks[i].file);
        free(s->disks[i].driver);
        free(s->disks[i].image);
    }
    free(s->disks);
    free(s->name);
    free(s->parent);
    free(s->description);
    free(s->state);
    free(s->memory);
    free(s->memory_file);
    free(s);
}

const char *
snapxml_kind(const struct snap_info *s)
{
    return s->external ? "external" : "internal";
}

static char *
dump(xmlDocPtr doc)
{
    xmlChar *out = NULL;
    int len = 0;
    char *r;

    xmlDocDumpFormatMemoryEnc(doc, &out, &len, "UTF-8", 1);
    if (!out)
        fatal("out of memory");
    /* no <?xml ...?> line: libvirt's own dumps have none */
    r = xstrdup(STRPREFIX((char *)out, "<?xml") && strchr((char *)out, '\n')
                ? strchr((char *)out, '\n') + 1 : (char *)out);
    xmlFree(out);
    return r;
}

char *
snapxml_set_description(const char *xml, const char *text, struct err *e)
{
    xmlDocPtr doc = xml_parse(xml, "snapshot XML", e);
    xmlNodePtr root, n, next, name = NULL;
    char *r;

    if (!doc)
        return NULL;
    root = xmlDocGetRootElement(doc);
    if (!xmlStrEqual(root->name, BAD_CAST "domainsnapshot")) {
        err_set(e, "The snapshot XML is a <%s>, not a <domainsnapshot>",
                (const char *)root->name);
        xmlFreeDoc(doc);
        return NULL;
    }
    for (n = root->children; n; n = next) {
        next = n->next;
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (xmlStrEqual(n->name, BAD_CAST "name") && !name) {
            name = n;
        } else if (xmlStrEqual(n->name, BAD_CAST "description")) {
            xmlUnlinkNode(n);
            xmlFreeNode(n);
        }
    }
    if (text && *text) {
        /* xmlNewTextChild escapes: quotes, <&> and newlines survive */
        n = xmlNewTextChild(root, NULL, BAD_CAST "description", BAD_CAST text);
        if (name) {
            xmlUnlinkNode(n);
            xmlAddNextSibling(name, n);
        }
    }
    r = dump(doc);
    xmlFreeDoc(doc);
    return r;
}

/* One diskspec's fields: the disk, then key=value pairs split at single
 * commas (",," is a comma in a value). */
struct diskspec {
    char *disk, *snapshot, *driver, *stype, *file;
};

static void
diskspec_clear(struct diskspec *d)
{
    free(d->disk);
    free(d->snapshot);
    free(d->driver);
    free(d->stype);
    free(d->file);
    memset(d, 0, sizeof(*d));
}

static int
diskspec_parse(const char *spec, struct diskspec *d, struct err *e)
{
    size_t len = strlen(spec);
    AUTOFREE char *field = xcalloc(len + 1, 1);
    size_t o = 0;
    int nf = 0;

    memset(d, 0, sizeof(*d));
    for (size_t i = 0; i <= len; i++) {
        char **slot = NULL;
        char *eq;

        if (spec[i] == ',' && spec[i + 1] == ',') {
            field[o++] = ',';
            i++;
            continue;
        }
        if (spec[i] != ',' && spec[i] != '\0') {
            field[o++] = spec[i];
            continue;
        }
        field[o] = '\0';
        o = 0;
        if (nf++ == 0) {
            d->disk = xstrdup(field);
            continue;
        }
        eq = strchr(field, '=');
        if (eq) {
            *eq = '\0';
            slot = STREQ(field, "snapshot") ? &d->snapshot : STREQ(field, "driver") ? &d->driver
                 : STREQ(field, "stype") ? &d->stype : STREQ(field, "file") ? &d->file : NULL;
        }
        if (!slot) {
            err_set(e, "The diskspec '%s' has a field '%s' virsh does not know (snapshot=, "
                    "driver=, stype=, file=)", spec, field);
            diskspec_clear(d);
            return -1;
        }
        free(*slot);
        *slot = xstrdup(eq + 1);
    }
    if (!d->disk || !d->disk[0]) {
        err_set(e, "The diskspec '%s' does not start with a disk (vda, or its path)", spec);
        diskspec_clear(d);
        return -1;
    }
    if (d->snapshot && STRNEQ(d->snapshot, "internal") && STRNEQ(d->snapshot, "external") &&
        STRNEQ(d->snapshot, "no") && STRNEQ(d->snapshot, "manual")) {
        err_set(e, "The diskspec '%s' asks for snapshot=%s; it is internal, external, no "
                "or manual", spec, d->snapshot);
        diskspec_clear(d);
        return -1;
    }
    if (d->stype && STRNEQ(d->stype, "file") && STRNEQ(d->stype, "block")) {
        err_set(e, "The diskspec '%s' asks for stype=%s; it is file or block", spec, d->stype);
        diskspec_clear(d);
        return -1;
    }
    return 0;
}

/* Call fn on each diskspec of a newline-separated list; stops at an error. */
static int
each_diskspec(const char *specs, int (*fn)(struct diskspec *d, void *opaque), void *opaque,
              struct err *e)
{
    AUTOFREE char *copy = xstrdup(specs ? specs : "");
    char *save = NULL;

    for (char *s = strtok_r(copy, "\n", &save); s; s = strtok_r(NULL, "\n", &save)) {
        struct diskspec d;
        int rc;

        if (diskspec_parse(s, &d, e) < 0)
            return -1;
        rc = fn(&d, opaque);
        diskspec_clear(&d);
        if (rc < 0)
            return -1;
    }
    return 0;
}

static int
add_disk(struct diskspec *d, void *opaque)
{
    xmlNodePtr disks = opaque, n = xmlNewChild(disks, NULL, BAD_CAST "disk", NULL);
    bool block = d->stype && STREQ(d->stype, "block");

    xmlNewProp(n, BAD_CAST "name", BAD_CAST d->disk);
    if (d->snapshot)
        xmlNewProp(n, BAD_CAST "snapshot", BAD_CAST d->snapshot);
    if (d->stype)
        xmlNewProp(n, BAD_CAST "type", BAD_CAST d->stype);
    if (d->driver)
        xmlNewProp(xmlNewChild(n, NULL, BAD_CAST "driver", NULL), BAD_CAST "type",
                   BAD_CAST d->driver);
    if (d->file)
        xmlNewProp(xmlNewChild(n, NULL, BAD_CAST "source", NULL),
                   BAD_CAST (block ? "dev" : "file"), BAD_CAST d->file);
    return 0;
}

char *
snapxml_build(const char *name, const char *description, const char *diskspecs,
              struct err *e)
{
    xmlDocPtr doc;
    xmlNodePtr root;
    char *r;

    if (!name || !*name) {
        err_set(e, "A snapshot needs a name");
        return NULL;
    }
    doc = xmlNewDoc(BAD_CAST "1.0");
    root = xmlNewNode(NULL, BAD_CAST "domainsnapshot");
    xmlDocSetRootElement(doc, root);
    xmlNewTextChild(root, NULL, BAD_CAST "name", BAD_CAST name);
    if (description && *description)
        xmlNewTextChild(root, NULL, BAD_CAST "description", BAD_CAST description);
    if (diskspecs && *diskspecs &&
        each_diskspec(diskspecs, add_disk, xmlNewChild(root, NULL, BAD_CAST "disks", NULL),
                      e) < 0) {
        xmlFreeDoc(doc);
        return NULL;
    }
    r = dump(doc);
    xmlFreeDoc(doc);
    return r;
}

static int
spec_external(struct diskspec *d, void *opaque)
{
    if (d->snapshot && STREQ(d->snapshot, "external"))
        *(bool *)opaque = true;
    return 0;
}

bool
snapxml_wants_external(bool disk_only, const char *diskspecs)
{
    bool ext = disk_only;

    if (!ext)
        each_diskspec(diskspecs, spec_external, &ext, NULL);
    return ext;
}

struct exempt {
    const char *target, *source;
    bool left_out;
};

static int
spec_left_out(struct diskspec *d, void *opaque)
{
    struct exempt *x = opaque;

    if (d->snapshot && STREQ(d->snapshot, "no") &&
        ((x->target && STREQ(d->disk, x->target)) || (x->source && STREQ(d->disk, x->source))))
        x->left_out = true;
    return 0;
}

int
snapxml_check_internal(const char *domxml, const char *domain, const char *diskspecs,
                       struct err *e)
{
    xmlDocPtr doc = xml_parse(domxml, "domain XML", e);
    xmlXPathContextPtr ctx;
    xmlXPathObjectPtr obj;
    int rc = 0;

    if (!doc)
        return -1;
    ctx = xmlXPathNewContext(doc);
    obj = xml_nodes(ctx, xmlDocGetRootElement(doc), "./devices/disk");
    for (int i = 0; obj && obj->nodesetval && i < obj->nodesetval->nodeNr && rc == 0; i++) {
        xmlNodePtr n = obj->nodesetval->nodeTab[i];
        AUTOFREE char *device = str(ctx, n, "string(./@device)");
        AUTOFREE char *snap = str(ctx, n, "string(./@snapshot)");
        AUTOFREE char *fmt = str(ctx, n, "string(./driver/@type)");
        AUTOFREE char *target = str(ctx, n, "string(./target/@dev)");
        AUTOFREE char *src = str(ctx, n, "string(./source/@file | ./source/@dev | "
                                         "./source/@name | ./source/@volume)");
        xmlXPathObjectPtr ro = xml_nodes(ctx, n, "./readonly");
        bool readonly = ro && ro->nodesetval && ro->nodesetval->nodeNr > 0;
        struct exempt x = { target, src, false };

        xmlXPathFreeObject(ro);
        /* CD-ROMs, read-only and source-less disks take no snapshot */
        if ((device && STRNEQ(device, "disk")) || readonly || !src ||
            (snap && STREQ(snap, "no")))
            continue;
        each_diskspec(diskspecs, spec_left_out, &x, NULL);
        if (x.left_out || (fmt && STREQ(fmt, "qcow2")))
            continue;
        rc = err_set(e, "Internal snapshots live inside qcow2 images: disk %s (%s) of '%s' "
                     "is %s%s; use --disk-only for an external snapshot, or leave the disk out "
                     "with --diskspec %s,snapshot=no", target ? target : "?", src, domain,
                     fmt ? fmt : "raw", fmt ? "" : " (no format given)", target ? target : src);
    }
    xmlXPathFreeObject(obj);
    xmlXPathFreeContext(ctx);
    xmlFreeDoc(doc);
    return rc;
}

void
snapxml_default_name(time_t t, char *buf, size_t len)
{
    struct tm tm;

    if (!localtime_r(&t, &tm) || strftime(buf, len, "%Y%m%d-%H%M%S", &tm) == 0)
        snprintf(buf, len, "%lld", (long long)t);
}
