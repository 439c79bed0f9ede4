/* storxml.c: storage pool and volume XML, and sizes. Reading takes a
 * pool's type, target path and a one-line source; a volume's format, path,
 * sizes and backing file. Writing builds the documents with libxml2 from
 * checked fields, like virsh's pool-define-as and vol-create-as. */
#include <autoconf.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "storxml.h"
#include "xml.h"

static void *
none(int rc)
{
    return NULL;
}

struct pool_info *
storxml_pool_parse(const char *xml, struct err *e)
{
    xmlDocPtr doc = xml_parse(xml, "pool XML", e);
    xmlXPathContextPtr ctx;
    xmlNodePtr root;
    struct pool_info *p;
    AUTOFREE char *host = NULL;
    AUTOFREE char *dir = NULL;
    AUTOFREE char *dev = NULL;
    AUTOFREE char *vg = NULL;

    if (!doc)
        return NULL;
    root = xmlDocGetRootElement(doc);
    if (!xmlStrEqual(root->name, BAD_CAST "pool")) {
        err_set(e, "Not a pool's XML (the root is <%s>)", (const char *)root->name);
        xmlFreeDoc(doc);
        return NULL;
    }
    ctx = xmlXPathNewContext(doc);
    p = xcalloc(1, sizeof(*p));
    p->name = xml_str(ctx, root, "string(name)");
    p->uuid = xml_str(ctx, root, "string(uuid)");
    p->type = xml_str(ctx, root, "string(@type)");
    p->target = xml_str(ctx, root, "string(target/path)");
    host = xml_str(ctx, root, "string(source/host/@name)");
    dir = xml_str(ctx, root, "string(source/dir/@path)");
    dev = xml_str(ctx, root, "string(source/device/@path)");
    vg = xml_str(ctx, root, "string(source/name)");
    if (host)
        p->source = xasprintf("%s:%s", host, dir ? dir : "/");
    else if (dev)
        p->source = xstrdup(dev);
    else if (vg)
        p->source = xstrdup(vg);
    else if (dir)
        p->source = xstrdup(dir);
    xmlXPathFreeContext(ctx);
    xmlFreeDoc(doc);
    return p;
}

void
storxml_pool_free(struct pool_info *p)
{
    if (!p)
        return;
    free(p->name);
    free(p->uuid);
    free(p->type);
    free(p->target);
    free(p->source);
    free(p);
}

/* capacity/allocation elements carry a unit attribute (bytes by default) */
static unsigned long long
sized(xmlXPathContextPtr ctx, xmlNodePtr root, const char *el)
{
    AUTOFREE char *xp = xasprintf("string(%s)", el);
    AUTOFREE char *xu = xasprintf("string(%s/@unit)", el);
    AUTOFREE char *val = xml_str(ctx, root, xp);
    AUTOFREE char *unit = xml_str(ctx, root, xu);
    AUTOFREE char *text = NULL;
    unsigned long long b = 0;

    if (!val)
        return 0;
    if (!unit)
        return strtoull(val, NULL, 10);
    text = xasprintf("%s%s", val, unit);
    if (storxml_parse_size(text, "size", &b, NULL) < 0)
        return strtoull(val, NULL, 10);
    return b;
}

struct vol_info *
storxml_vol_parse(const char *xml, struct err *e)
{
    xmlDocPtr doc = xml_parse(xml, "volume XML", e);
    xmlXPathContextPtr ctx;
    xmlNodePtr root;
    struct vol_info *v;

    if (!doc)
        return NULL;
    root = xmlDocGetRootElement(doc);
    if (!xmlStrEqual(root->name, BAD_CAST "volume")) {
        err_set(e, "Not a volume's XML (the root is <%s>)", (const char *)root->name);
        xmlFreeDoc(doc);
        return NULL;
    }
    ctx = xmlXPathNewContext(doc);
    v = xcalloc(1, sizeof(*v));
    v->name = xml_str(ctx, root, "string(name)");
    v->key = xml_str(ctx, root, "string(key)");
    v->path = xml_str(ctx, root, "string(target/path)");
    v->format = xml_str(ctx, root, "string(target/format/@type)");
    v->backing = xml_str(ctx, root, "string(backingStore/path)");
    v->backing_format = xml_str(ctx, root, "string(backingStore/format/@type)");
    v->capacity = sized(ctx, root, "capacity");
    v->allocation = sized(ctx, root, "allocation");
    xmlXPathFreeContext(ctx);
    xmlFreeDoc(doc);
    return v;
}

void
storxml_vol_free(struct vol_info *v)
{
    if (!v)
        return;
    free(v->name);
    free(v->key);
    free(v->path);
    free(v->format);
    free(v->backing);
    free(v->backing_format);
    free(v);
}

int
storxml_parse_size(const char *s, const char *what, unsigned long long *bytes,
                   struct err *e)
{
    static const struct { const char *unit; int power; bool si; } units[] = {
        { "b", 0, false }, { "bytes", 0, false },
        { "k", 1, false }, { "kib", 1, false }, { "kb", 1, true },
        { "m", 2, false }, { "mib", 2, false }, { "mb", 2, true },
        { "g", 3, false }, { "gib", 3, false }, { "gb", 3, true },
        { "t", 4, false }, { "tib", 4, false }, { "tb", 4, true },
        { "p", 5, false }, { "pib", 5, false }, { "pb", 5, true },
        { "e", 6, false }, { "eib", 6, false }, { "eb", 6, true },
    };
    const char *p = s ? s : "";
    char num[64];
    size_t n = 0;
    double v;
    int dots = 0;

    while (*p == ' ')
        p++;
    if (*p == '-')
        return err_set(e, "The %s '%s' is negative", what, s);
    while ((isdigit((unsigned char)*p) || *p == '.') && n + 1 < sizeof(num)) {
        dots += *p == '.';
        num[n++] = *p++;
    }
    num[n] = '\0';
    if (!n || dots > 1 || STREQ(num, "."))
        return err_set(e, "The %s '%s' is not a size: write a number and a unit, like 10G, "
                       "512M or 1.5T", what, s ? s : "");
    while (*p == ' ')
        p++;
    if (!*p)
        return err_set(e, "The %s '%s' has no unit: write %sG for GiB, %sM for MiB (K, M, G, "
                       "T, P count in 1024s; KB, MB, GB in 1000s; b for bytes)",
                       what, s, num, num);
    for (size_t i = 0; i < ARRAY_CARDINALITY(units); i++) {
        if (strcasecmp(p, units[i].unit) == 0) {
            double mul = 1;

            for (int k = 0; k < units[i].power; k++)
                mul *= units[i].si ? 1000.0 : 1024.0;

            v = strtod(num, NULL) * mul;
            if (v >= 9223372036854775808.0)
                return err_set(e, "The %s '%s' is too large (over 8 EiB)", what, s);
            if (v != (double)(unsigned long long)v && units[i].power == 0)
                return err_set(e, "The %s '%s' is not a whole number of bytes", what, s);
            *bytes = (unsigned long long)v;
            return 0;
        }
    }
    return err_set(e, "The %s '%s' has an unknown unit '%s' (use K, M, G, T, P; KB, MB, GB "
                   "for powers of 1000; b for bytes)", what, s, p);
}

void
storxml_format_size(unsigned long long bytes, char *buf, size_t len)
{
    if (bytes < 1024)
        snprintf(buf, len, "%llu B", bytes);
    else if (bytes % 1024 == 0 || bytes >= 1024 * 1024)
        util_size_kib(bytes / 1024, buf, len);
    else
        snprintf(buf, len, "%.1f KiB", (double)bytes / 1024);
}

int
storxml_check_name(const char *name, const char *what, struct err *e)
{
    if (!name || !*name)
        return err_set(e, "The %s needs a name", what);
    if (strchr(name, '/'))
        return err_set(e, "The %s name '%s' has a '/': names are files inside the pool",
                       what, name);
    if (STREQ(name, ".") || STREQ(name, ".."))
        return err_set(e, "The %s name '%s' is not a file name", what, name);
    return 0;
}

static void
size_el(xmlNodePtr parent, const char *el, unsigned long long bytes)
{
    char v[32];
    xmlNodePtr n;

    snprintf(v, sizeof(v), "%llu", bytes);
    n = xmlNewTextChild(parent, NULL, BAD_CAST el, BAD_CAST v);
    xmlNewProp(n, BAD_CAST "unit", BAD_CAST "bytes");
}

static char *
dump(xmlDocPtr doc)
{
    xmlChar *out = NULL;
    int len;
    char *ret;

    xmlDocDumpFormatMemory(doc, &out, &len, 1);
    ret = xstrdup((const char *)out);
    xmlFree(out);
    xmlFreeDoc(doc);
    return ret;
}

char *
storxml_vol_build(const char *name, unsigned long long capacity,
                  unsigned long long allocation, const char *format,
                  const char *backing, const char *backing_format, struct err *e)
{
    xmlDocPtr doc;
    xmlNodePtr root, n;

    if (storxml_check_name(name, "volume", e) < 0)
        return NULL;
    if (!capacity && !backing)
        return none(err_set(e, "The volume '%s' needs a size above zero", name));
    if (allocation > capacity && capacity)
        return none(err_set(e, "The allocation of '%s' is larger than its capacity", name));
    if (backing && format && STRNEQ(format, "qcow2"))
        return none(err_set(e, "A volume on a backing file must be qcow2, not %s", format));
    doc = xmlNewDoc(BAD_CAST "1.0");
    root = xmlNewNode(NULL, BAD_CAST "volume");
    xmlDocSetRootElement(doc, root);
    xmlNewTextChild(root, NULL, BAD_CAST "name", BAD_CAST name);
    size_el(root, "capacity", capacity);
    size_el(root, "allocation", allocation);
    if (format || backing) {
        n = xmlNewChild(root, NULL, BAD_CAST "target", NULL);
        n = xmlNewChild(n, NULL, BAD_CAST "format", NULL);
        xmlNewProp(n, BAD_CAST "type", BAD_CAST(format ? format : "qcow2"));
    }
    if (backing) {
        xmlNodePtr b = xmlNewChild(root, NULL, BAD_CAST "backingStore", NULL);

        xmlNewTextChild(b, NULL, BAD_CAST "path", BAD_CAST backing);
        if (backing_format) {
            n = xmlNewChild(b, NULL, BAD_CAST "format", NULL);
            xmlNewProp(n, BAD_CAST "type", BAD_CAST backing_format);
        }
    }
    return dump(doc);
}

char *
storxml_pool_build(const char *name, const char *type, const char *target,
                   const char *source_host, const char *source_path,
                   const char *source_dev, const char *source_name,
                   const char *source_format, struct err *e)
{
    xmlDocPtr doc;
    xmlNodePtr root, src = NULL, n;
    bool dir = type && STREQ(type, "dir"), fs = type && STREQ(type, "fs");
    bool netfs = type && STREQ(type, "netfs"), logical = type && STREQ(type, "logical");

    if (!name || !*name || strchr(name, '/'))
        return none(err_set(e, "A pool needs a name without '/'"));
    if (!dir && !fs && !netfs && !logical)
        return none(err_set(e, "The pool type '%s' is not one of dir, fs, netfs, logical",
                            type ? type : ""));
    if (!logical && (!target || target[0] != '/'))
        return none(err_set(e, "A %s pool needs an absolute target directory (--target /path)",
                            type));
    if (fs && (!source_dev || source_dev[0] != '/'))
        return none(err_set(e, "An fs pool needs the block device holding the file system "
                            "(--source-dev /dev/sdb1)"));
    if (netfs && (!source_host || !*source_host || !source_path || !*source_path))
        return none(err_set(e, "A netfs pool needs the server and its export "
                            "(--source-host nas --source-path /export)"));
    if (logical && (!source_name || !*source_name))
        return none(err_set(e, "A logical pool needs the volume group's name (--source-name vg0)"));
    doc = xmlNewDoc(BAD_CAST "1.0");
    root = xmlNewNode(NULL, BAD_CAST "pool");
    xmlDocSetRootElement(doc, root);
    xmlNewProp(root, BAD_CAST "type", BAD_CAST type);
    xmlNewTextChild(root, NULL, BAD_CAST "name", BAD_CAST name);
    if (!dir)
        src = xmlNewChild(root, NULL, BAD_CAST "source", NULL);
    if (netfs) {
        n = xmlNewChild(src, NULL, BAD_CAST "host", NULL);
        xmlNewProp(n, BAD_CAST "name", BAD_CAST source_host);
        n = xmlNewChild(src, NULL, BAD_CAST "dir", NULL);
        xmlNewProp(n, BAD_CAST "path", BAD_CAST source_path);
    }
    if ((fs || logical) && source_dev) {
        n = xmlNewChild(src, NULL, BAD_CAST "device", NULL);
        xmlNewProp(n, BAD_CAST "path", BAD_CAST source_dev);
    }
    if (logical)
        xmlNewTextChild(src, NULL, BAD_CAST "name", BAD_CAST source_name);
    if (src && (source_format || fs || netfs)) {
        n = xmlNewChild(src, NULL, BAD_CAST "format", NULL);
        xmlNewProp(n, BAD_CAST "type",
                   BAD_CAST(source_format ? source_format : "auto"));
    }
    n = xmlNewChild(root, NULL, BAD_CAST "target", NULL);
    if (target) {
        xmlNewTextChild(n, NULL, BAD_CAST "path", BAD_CAST target);
    } else {
        /* libvirt puts a logical pool's volumes under /dev/VG */
        AUTOFREE char *p = xasprintf("/dev/%s", source_name);

        xmlNewTextChild(n, NULL, BAD_CAST "path", BAD_CAST p);
    }
    return dump(doc);
}
