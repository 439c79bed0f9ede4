/* domclone.c: a domain's XML rewritten for a clone, the way virt-clone
 * does it: new name; no UUID, MACs or tap names (libvirt makes new ones);
 * graphics on automatic ports; no SMBIOS UUID; disks moved to the copies
 * the plan names; NVRAM, file consoles and logs renamed after the clone;
 * no template marker. Everything else passes through libxml2 untouched.
 * Also the names around a clone: unique names, default disk paths, name
 * checks and deploy patterns ("web{01..04}"). Pure: no libvirt, no files. */
#include <autoconf.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <libxml/xmlsave.h>

#include "domclone.h"
#include "domxml.h"
#include "xml.h"

#define AGENT_CHANNEL "org.qemu.guest_agent.0"
#define MAX_NAMES 1000

/* For "return none(err_set(e, ...))": the error is set, the result NULL. */
static void *
none(int rc)
{
    (void)rc;
    return NULL;
}

static bool
taken_has(const char *const *taken, const char *name)
{
    for (; taken && *taken; taken++) {
        if (STREQ(*taken, name))
            return true;
    }
    return false;
}

/* ---- paths ---- */

/* A path as directory ("/a/b/" or ""), stem and extension (".qcow2" or
 * ""). As in virt-clone, an extension has at most 7 characters, so that
 * "disk.20240101T1200" keeps its date. */
struct path_parts {
    char *dir, *stem, *ext;
};

static void
path_split(const char *path, struct path_parts *pp)
{
    const char *base = strrchr(path, '/');
    const char *dot;

    base = base ? base + 1 : path;
    dot = strrchr(base, '.');
    if (!dot || dot == base || !dot[1] || strlen(dot + 1) > 7)
        dot = base + strlen(base);
    pp->dir = xstrndup(path, (size_t)(base - path));
    pp->stem = xstrndup(base, (size_t)(dot - base));
    pp->ext = xstrdup(dot);
}

/* dir + stem + ext; frees pp and stem */
static char *
path_join(struct path_parts *pp, char *stem)
{
    char *r = xasprintf("%s%s%s", pp->dir, stem, pp->ext);

    free(stem);
    free(pp->dir);
    free(pp->stem);
    free(pp->ext);
    return r;
}

static bool
is_word(char c)
{
    return isalnum((unsigned char)c) || (unsigned char)c >= 0x80;
}

/* Where old occurs in s: as a whole word if it can ("web" in "db-web",
 * not in "webserver-web"'s first letters), else the first place; NULL
 * when it does not occur. */
static const char *
find_name(const char *s, const char *old)
{
    const char *first, *p;
    size_t n;

    if (!old || !*old)
        return NULL;
    n = strlen(old);
    first = strstr(s, old);
    for (p = first; p; p = strstr(p + 1, old)) {
        bool left = p == s || !is_word(p[-1]) || !is_word(old[0]);
        bool right = !is_word(p[n]) || !is_word(old[n - 1]);

        if (left && right)
            return p;
    }
    return first;
}

/* stem with old_name replaced by new_name; NULL when old_name is not in it */
static char *
stem_renamed(const char *stem, const char *old_name, const char *new_name)
{
    const char *at = find_name(stem, old_name);

    return at ? xasprintf("%.*s%s%s", (int)(at - stem), stem, new_name,
                          at + strlen(old_name)) : NULL;
}

/* libvirt's disk index: vda 0, vdb 1, vdz 25, vdaa 26; -1 if unknown */
static int
target_index(const char *target)
{
    static const char *const prefixes[] = { "xvd", "ubd", "fd", "hd", "vd", "sd" };
    const char *p = NULL;
    int idx = -1;

    for (size_t i = 0; target && !p && i < ARRAY_CARDINALITY(prefixes); i++) {
        if (STRPREFIX(target, prefixes[i]))
            p = target + strlen(prefixes[i]);
    }
    if (!p || *p < 'a' || *p > 'z')
        return -1;
    for (; *p >= 'a' && *p <= 'z'; p++) {
        if (idx > 1000000)
            return -1;
        idx = (idx + 1) * 26 + (*p - 'a');
    }
    return idx;
}

char *
domclone_default_path(const char *src_path, const char *old_name,
                      const char *new_name, const char *target)
{
    struct path_parts pp;
    char *stem;
    int idx;

    if (!src_path || !new_name)
        return NULL;
    path_split(src_path, &pp);
    if (!(stem = stem_renamed(pp.stem, old_name, new_name)))
        stem = (idx = target_index(target)) > 0 ? xasprintf("%s-%d", new_name, idx)
                                                : xstrdup(new_name);
    return path_join(&pp, stem);
}

/* A console or log file of the clone: the old name replaced in the file
 * name, or "-NEW" added before the extension. */
static char *
aux_path(const char *path, const char *old_name, const char *new_name)
{
    struct path_parts pp;
    char *stem;

    path_split(path, &pp);
    if (!(stem = stem_renamed(pp.stem, old_name, new_name)))
        stem = xasprintf("%s-%s", pp.stem, new_name);
    return path_join(&pp, stem);
}

/* path with "-n" before its extension */
static char *
path_numbered(const char *path, int n)
{
    struct path_parts pp;

    path_split(path, &pp);
    return path_join(&pp, xasprintf("%s-%d", pp.stem, n));
}

/* ---- names ---- */

char *
domclone_unique_name(const char *base, const char *const *taken)
{
    char *s = xstrdup(base);

    for (unsigned i = 1; taken_has(taken, s); i++) {
        free(s);
        s = xasprintf("%s-%u", base, i);
    }
    return s;
}

int
domclone_check_name(const char *name, const char *const *taken, struct err *e)
{
    if (!name || !*name)
        return err_set(e, "A domain needs a name");
    if (strchr(name, '/'))
        return err_set(e, "The domain name '%s' contains a '/', which libvirt does not allow",
                       name);
    /* libvirt refuses these two and nothing else (a tab is fine) */
    if (strchr(name, '\n'))
        return err_set(e, "The domain name '%s' contains a newline, which libvirt does not "
                       "allow", name);
    if (taken_has(taken, name))
        return err_set(e, "A domain named '%s' already exists", name);
    return 0;
}

/* ---- plan ---- */

static enum clone_disk_mode
default_mode(const struct clone_disk *k)
{
    static const char *const copyable[] = { "file", "block", "volume" };
    bool known = false;

    if (k->readonly || k->shareable || !k->source)
        return CLONE_DISK_SHARE;
    if (k->device && (STREQ(k->device, "cdrom") || STREQ(k->device, "floppy") ||
                      STREQ(k->device, "lun")))
        return CLONE_DISK_SHARE;
    for (size_t i = 0; i < ARRAY_CARDINALITY(copyable); i++)
        known |= STREQ(k->type, copyable[i]);
    return known ? CLONE_DISK_COPY : CLONE_DISK_SHARE;
}

/* true when path is a source or an already chosen new path of the plan */
static bool
plan_uses(const struct clone_plan *p, const char *path)
{
    for (size_t i = 0; i < p->ndisks; i++) {
        const struct clone_disk *k = &p->disks[i];

        if ((k->source && STREQ(k->source, path)) ||
            (k->new_path && STREQ(k->new_path, path)))
            return true;
    }
    return (p->nvram && STREQ(p->nvram, path)) ||
           (p->new_nvram && STREQ(p->new_nvram, path));
}

/* path, or path-1, path-2 ... the first the plan does not use yet */
static char *
plan_fresh(const struct clone_plan *p, char *path)
{
    char *cand = NULL;

    if (!path || !plan_uses(p, path))
        return path;
    for (int n = 1; !cand || plan_uses(p, cand); n++) {
        free(cand);
        cand = path_numbered(path, n);
    }
    free(path);
    return cand;
}

/* the source's NVRAM file: <nvram>PATH</nvram> or <nvram><source file=.../> */
static char *
nvram_of(const char *xml)
{
    xmlDocPtr doc = xml_parse(xml, "domain XML", NULL);
    xmlXPathContextPtr ctx;
    char *s;

    if (!doc)
        return NULL;
    ctx = xmlXPathNewContext(doc);
    s = xml_str(ctx, xmlDocGetRootElement(doc), "string(./os/nvram/source/@file)");
    if (!s)
        s = xml_str(ctx, xmlDocGetRootElement(doc), "string(./os/nvram[not(*)])");
    xmlXPathFreeContext(ctx);
    xmlFreeDoc(doc);
    return s;
}

struct clone_plan *
domclone_plan(const char *xml, const char *new_name, struct err *e)
{
    struct dom_details *d;
    struct clone_plan *p;

    if (domclone_check_name(new_name, NULL, e) < 0)
        return NULL;
    if (!(d = domxml_parse(xml, e)))
        return NULL;
    p = xcalloc(1, sizeof(*p));
    p->old_name = xstrdup(d->name);
    p->name = xstrdup(new_name);
    p->ndisks = d->ndisks;
    p->disks = xcalloc(d->ndisks, sizeof(*p->disks));
    for (size_t i = 0; i < d->ndisks; i++) {
        struct clone_disk *k = &p->disks[i];

        k->target = xstrdup(d->disks[i].target);
        k->device = xstrdup(d->disks[i].device ? d->disks[i].device : "disk");
        k->type = xstrdup(d->disks[i].type ? d->disks[i].type : "file");
        k->source = xstrdup(d->disks[i].source);
        k->format = xstrdup(d->disks[i].format);
        k->readonly = d->disks[i].readonly;
        k->shareable = d->disks[i].shareable;
        k->mode = default_mode(k);
    }
    domxml_free(d);
    p->nvram = nvram_of(xml);
    for (size_t i = 0; i < p->ndisks; i++) {
        struct clone_disk *k = &p->disks[i];

        if (k->mode == CLONE_DISK_COPY)
            k->new_path = plan_fresh(p, domclone_default_path(k->source, p->old_name,
                                                              p->name, k->target));
    }
    if (p->nvram) {
        struct path_parts pp;

        /* virt-clone's name: NEW_VARS.fd next to the old one */
        path_split(p->nvram, &pp);
        if (!*pp.ext) {
            free(pp.ext);
            pp.ext = xstrdup(".fd");
        }
        p->new_nvram = plan_fresh(p, path_join(&pp, xasprintf("%s_VARS", p->name)));
    }
    return p;
}

void
domclone_plan_free(struct clone_plan *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->ndisks; i++) {
        struct clone_disk *k = &p->disks[i];

        free(k->target);
        free(k->device);
        free(k->type);
        free(k->source);
        free(k->format);
        free(k->new_path);
        free(k->new_format);
    }
    free(p->disks);
    free(p->old_name);
    free(p->name);
    free(p->nvram);
    free(p->new_nvram);
    free(p);
}

/* ---- rewrite ---- */

static xmlNodePtr
child(xmlNodePtr n, const char *name)
{
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE && xmlStrEqual(c->name, BAD_CAST name))
            return c;
    }
    return NULL;
}

/* Unlink and free n with the indentation before it, so that no blank
 * line is left where it was. */
static void
drop(xmlNodePtr n)
{
    xmlNodePtr prev = n->prev;

    if (prev && prev->type == XML_TEXT_NODE && xmlIsBlankNode(prev)) {
        xmlUnlinkNode(prev);
        xmlFreeNode(prev);
    }
    xmlUnlinkNode(n);
    xmlFreeNode(n);
}

/* drop every element xpath selects (none may contain another); how many */
static int
drop_all(xmlXPathContextPtr ctx, xmlNodePtr root, const char *xpath)
{
    xmlXPathObjectPtr obj = xml_nodes(ctx, root, xpath);
    int n = obj && obj->nodesetval ? obj->nodesetval->nodeNr : 0;
    AUTOFREE xmlNodePtr *nodes = xcalloc((size_t)n, sizeof(*nodes));

    /* freeing the node set reads its nodes: free it before them */
    if (n)
        memcpy(nodes, obj->nodesetval->nodeTab, (size_t)n * sizeof(*nodes));
    xmlXPathFreeObject(obj);
    for (int i = 0; i < n; i++)
        drop(nodes[i]);
    return n;
}

/* replace n's content by text, taken literally (no entities) */
static void
set_text(xmlNodePtr n, const char *text)
{
    xmlNodeSetContent(n, NULL);
    if (text)
        xmlNodeAddContent(n, BAD_CAST text);
}

static void
set_name(xmlNodePtr root, const char *name)
{
    xmlNodePtr n = child(root, "name");

    if (!n) {
        n = xmlNewDocNode(root->doc, NULL, BAD_CAST "name", NULL);
        if (root->children)
            xmlAddPrevSibling(root->children, n);
        else
            xmlAddChild(root, n);
    }
    set_text(n, name);
}

static void
rename_attr(xmlNodePtr n, const char *attr, const char *old_name, const char *new_name)
{
    xmlChar *v = n ? xmlGetProp(n, BAD_CAST attr) : NULL;

    if (v && *v) {
        AUTOFREE char *r = aux_path((const char *)v, old_name, new_name);

        xmlSetProp(n, BAD_CAST attr, BAD_CAST r);
    }
    xmlFree(v);
}

/* Fixed ports would clash with the source's: let libvirt pick. A
 * websocket of -1 is already automatic and stays. */
static void
fix_graphics(xmlXPathContextPtr ctx, xmlNodePtr root)
{
    xmlXPathObjectPtr obj = xml_nodes(ctx, root,
                                      "./devices/graphics[@port or @tlsPort or @autoport='no'"
                                      " or (@websocket and @websocket!='-1')]");
    int n = obj && obj->nodesetval ? obj->nodesetval->nodeNr : 0;

    for (int i = 0; i < n; i++) {
        xmlNodePtr g = obj->nodesetval->nodeTab[i];
        xmlChar *ws = xmlGetProp(g, BAD_CAST "websocket");

        xmlUnsetProp(g, BAD_CAST "port");
        xmlUnsetProp(g, BAD_CAST "tlsPort");
        if (ws && !xmlStrEqual(ws, BAD_CAST "-1"))
            xmlUnsetProp(g, BAD_CAST "websocket");
        xmlFree(ws);
        xmlSetProp(g, BAD_CAST "autoport", BAD_CAST "yes");
    }
    xmlXPathFreeObject(obj);
}

/* The clone's NVRAM at new_nvram; with none, no path at all, so that
 * libvirt makes a fresh one from the template. Only file NVRAM moves. */
static void
fix_nvram(xmlNodePtr root, const char *new_nvram)
{
    xmlNodePtr os = child(root, "os");
    xmlNodePtr nv = os ? child(os, "nvram") : NULL;
    xmlNodePtr src = nv ? child(nv, "source") : NULL;
    xmlChar *type = nv ? xmlGetProp(nv, BAD_CAST "type") : NULL;
    bool file = nv && (!type || xmlStrEqual(type, BAD_CAST "file"));

    xmlFree(type);
    if (file && src && new_nvram) {
        xmlSetProp(src, BAD_CAST "file", BAD_CAST new_nvram);
    } else if (file) {
        if (src)
            xmlUnsetProp(nv, BAD_CAST "type");
        set_text(nv, new_nvram);
    }
}

/* File consoles and logs follow the clone's name; a socket libvirt made
 * for a channel (its path holds the channel's name, the guest agent's
 * always) is left for libvirt to make again; other sockets the domain
 * listens on would clash and are renamed like files. */
static void
fix_chardevs(xmlXPathContextPtr ctx, xmlNodePtr root, const char *old_name,
             const char *new_name)
{
    xmlXPathObjectPtr obj = xml_nodes(ctx, root,
                                      "./devices/serial | ./devices/console"
                                      " | ./devices/parallel | ./devices/channel");
    int n = obj && obj->nodesetval ? obj->nodesetval->nodeNr : 0;

    for (int i = 0; i < n; i++) {
        xmlNodePtr c = obj->nodesetval->nodeTab[i];
        xmlNodePtr src = child(c, "source");
        AUTOFREE char *type = xml_str(ctx, c, "string(./@type)");
        AUTOFREE char *tname = xml_str(ctx, c, "string(./target/@name)");
        AUTOFREE char *path = xml_str(ctx, c, "string(./source/@path)");
        AUTOFREE char *mode = xml_str(ctx, c, "string(./source/@mode)");
        bool unix_sock = type && STREQ(type, "unix");

        if (src && path && unix_sock && tname &&
            (STREQ(tname, AGENT_CHANNEL) || strstr(path, tname)))
            xmlUnsetProp(src, BAD_CAST "path");
        else if (src && path && type &&
                 (STREQ(type, "file") || (unix_sock && mode && STREQ(mode, "bind"))))
            rename_attr(src, "path", old_name, new_name);
        rename_attr(child(c, "log"), "file", old_name, new_name);
    }
    xmlXPathFreeObject(obj);
}

/* Point disk's <source> at new_path: an absolute path is a file (a block
 * device under /dev/), "POOL/VOLUME" a volume, a bare name a volume in the
 * pool the disk already uses. */
static int
set_source(xmlNodePtr disk, xmlNodePtr src, const char *type,
           const struct clone_disk *k, const char *clone, struct err *e)
{
    const char *np = k->new_path, *slash = strchr(np, '/');
    AUTOFREE char *pool = NULL;
    const char *vol;

    xmlUnsetProp(src, BAD_CAST "file");
    xmlUnsetProp(src, BAD_CAST "dev");
    if (np[0] == '/') {
        bool dev = STRPREFIX(np, "/dev/");

        xmlUnsetProp(src, BAD_CAST "pool");
        xmlUnsetProp(src, BAD_CAST "volume");
        xmlUnsetProp(src, BAD_CAST "mode");
        if (dev)
            xmlUnsetProp(src, BAD_CAST "startupPolicy");
        xmlSetProp(disk, BAD_CAST "type", BAD_CAST(dev ? "block" : "file"));
        xmlSetProp(src, BAD_CAST(dev ? "dev" : "file"), BAD_CAST np);
        return 0;
    }
    if (slash) {
        pool = xstrndup(np, (size_t)(slash - np));
        vol = slash + 1;
    } else if (STREQ(type, "volume")) {
        xmlChar *p = xmlGetProp(src, BAD_CAST "pool");

        pool = xstrdup((const char *)p);
        xmlFree(p);
        vol = np;
    } else {
        vol = NULL;
    }
    if (!pool || !*pool || !vol || !*vol || strchr(vol, '/'))
        return err_set(e, "The new path '%s' of disk '%s' for the clone '%s' is neither "
                       "an absolute path nor POOL/VOLUME", np, k->target, clone);
    xmlSetProp(disk, BAD_CAST "type", BAD_CAST "volume");
    xmlSetProp(src, BAD_CAST "pool", BAD_CAST pool);
    xmlSetProp(src, BAD_CAST "volume", BAD_CAST vol);
    return 0;
}

static int
rewrite_disk(xmlNodePtr disk, const struct clone_disk *k, const char *clone,
             struct err *e)
{
    const char *fmt = k->new_format;
    xmlNodePtr src = child(disk, "source"), drv, c, next;
    xmlChar *t = xmlGetProp(disk, BAD_CAST "type");
    AUTOFREE char *type = xstrdup(t ? (const char *)t : "file");

    xmlFree(t);
    if (!k->source || !src)
        return err_set(e, "Disk '%s' has no storage to copy for the clone '%s'",
                       k->target, clone);
    if (!STREQ(type, "file") && !STREQ(type, "block") && !STREQ(type, "volume"))
        return err_set(e, "Disk '%s' is a %s disk, which cannot be copied for the "
                       "clone '%s'; share it instead", k->target, type, clone);
    if (!k->new_path || !*k->new_path)
        return err_set(e, "Disk '%s' of the clone '%s' has no new path", k->target, clone);
    if (STREQ(k->new_path, k->source))
        return err_set(e, "The new path of disk '%s' for the clone '%s' is the source "
                       "disk itself (%s)", k->target, clone, k->source);
    if (set_source(disk, src, type, k, clone, e) < 0)
        return -1;
    if (!fmt && k->mode == CLONE_DISK_LINK)
        fmt = "qcow2";
    if (fmt) {
        if (!(drv = child(disk, "driver"))) {
            drv = xmlNewDocNode(disk->doc, NULL, BAD_CAST "driver", NULL);
            xmlAddPrevSibling(src, drv);
        }
        xmlSetProp(drv, BAD_CAST "type", BAD_CAST fmt);
    }
    /* the copy is standalone and an overlay's chain is probed anew */
    for (c = disk->children; c; c = next) {
        next = c->next;
        if (c->type == XML_ELEMENT_NODE && xmlStrEqual(c->name, BAD_CAST "backingStore"))
            drop(c);
    }
    return 0;
}

static int
rewrite_disks(xmlXPathContextPtr ctx, xmlNodePtr root, const struct clone_plan *p,
              struct err *e)
{
    xmlXPathObjectPtr obj = xml_nodes(ctx, root, "./devices/disk");
    int n = obj && obj->nodesetval ? obj->nodesetval->nodeNr : 0;
    int rc = 0;

    if ((size_t)n != p->ndisks)
        rc = err_set(e, "The clone plan for '%s' has %zu disks but the domain XML has %d",
                     p->name, p->ndisks, n);
    for (int i = 0; rc == 0 && i < n; i++) {
        AUTOFREE char *target = xml_str(ctx, obj->nodesetval->nodeTab[i],
                                        "string(./target/@dev)");

        if (target != p->disks[i].target &&
            (!target || !p->disks[i].target || STRNEQ(target, p->disks[i].target)))
            rc = err_set(e, "Disk %d of the domain XML is '%s' but the clone plan for "
                         "'%s' says '%s'", i + 1, target ? target : "",
                         p->name, p->disks[i].target ? p->disks[i].target : "");
    }
    for (int i = 0; rc == 0 && i < n; i++) {
        if (p->disks[i].mode != CLONE_DISK_SHARE)
            rc = rewrite_disk(obj->nodesetval->nodeTab[i], &p->disks[i], p->name, e);
    }
    xmlXPathFreeObject(obj);
    return rc;
}

static char *
dump(xmlDocPtr doc)
{
    xmlBufferPtr buf = xmlBufferCreate();
    xmlSaveCtxtPtr save = xmlSaveToBuffer(buf, "UTF-8", XML_SAVE_NO_DECL);
    char *s;

    if (!buf || !save)
        fatal("out of memory");
    xmlSaveDoc(save, doc);
    xmlSaveClose(save);
    s = xstrdup((const char *)xmlBufferContent(buf));
    xmlBufferFree(buf);
    return s;
}

char *
domclone_rewrite(const char *xml, const struct clone_plan *p, struct err *e)
{
    xmlDocPtr doc;
    xmlXPathContextPtr ctx;
    xmlNodePtr root;
    AUTOFREE char *old_name = NULL;
    char *out = NULL;

    if (!p)
        return none(err_set(e, "There is no clone plan"));
    if (domclone_check_name(p->name, NULL, e) < 0)
        return NULL;
    if (!(doc = xml_parse(xml, "domain XML", e)))
        return NULL;
    root = xmlDocGetRootElement(doc);
    if (!xmlStrEqual(root->name, BAD_CAST "domain")) {
        err_set(e, "The XML describes a '%s', not a domain", (const char *)root->name);
        xmlFreeDoc(doc);
        return NULL;
    }
    ctx = xmlXPathNewContext(doc);
    old_name = xml_str(ctx, root, "string(./name)");
    if (rewrite_disks(ctx, root, p, e) == 0) {
        set_name(root, p->name);
        drop_all(ctx, root, "./uuid | ./devices/interface/mac"
                            " | ./devices/interface/target"
                            " | ./sysinfo/system/entry[@name='uuid']");
        if (drop_all(ctx, root, "./metadata/*[namespace-uri()='" DOMCLONE_TEMPLATE_NS "']"))
            drop_all(ctx, root, "./metadata[not(*)]");
        fix_graphics(ctx, root);
        fix_nvram(root, p->new_nvram);
        fix_chardevs(ctx, root, old_name, p->name);
        out = dump(doc);
    }
    xmlXPathFreeContext(ctx);
    xmlFreeDoc(doc);
    return out;
}

/* ---- deploy patterns ---- */

struct group {
    const char *lit;         /* the text before the group */
    size_t litlen;
    unsigned long from, to;
    int width;               /* zero padding, 0 for none */
};

/* "01..04" into g; false if it is not two numbers */
static bool
parse_group(const char *s, size_t len, struct group *g)
{
    const char *dots = strstr(s, "..");
    size_t la, lb;

    if (!dots || dots >= s + len)
        return false;
    la = (size_t)(dots - s);
    lb = len - la - 2;
    if (la < 1 || la > 9 || lb < 1 || lb > 9)
        return false;
    for (size_t i = 0; i < len; i++) {
        if (i != la && i != la + 1 && !isdigit((unsigned char)s[i]))
            return false;
    }
    g->from = strtoul(s, NULL, 10);
    g->to = strtoul(dots + 2, NULL, 10);
    /* as in bash: a leading zero on either end pads to the longer one */
    g->width = (la > 1 && s[0] == '0') || (lb > 1 && dots[2] == '0') ?
               (int)(la > lb ? la : lb) : 0;
    return true;
}

static unsigned long
group_size(const struct group *g)
{
    return (g->from > g->to ? g->from - g->to : g->to - g->from) + 1;
}

static char *
name_at(const struct group *g, size_t ng, const unsigned long *off,
        const char *tail)
{
    char *s = xstrdup("");

    for (size_t i = 0; i <= ng; i++) {
        char *t = i == ng ? xasprintf("%s%s", s, tail) :
                  xasprintf("%s%.*s%0*lu", s, (int)g[i].litlen, g[i].lit, g[i].width,
                            g[i].from > g[i].to ? g[i].from - off[i] : g[i].from + off[i]);

        free(s);
        s = t;
    }
    return s;
}

char **
domclone_expand_pattern(const char *pattern, struct err *e)
{
    AUTOFREE struct group *g = NULL;
    AUTOFREE unsigned long *off = NULL;
    const char *lit, *p;
    size_t ng = 0;
    unsigned long total = 1;
    char **v;

    if (!pattern || !*pattern)
        return none(err_set(e, "The name pattern is empty"));
    g = xcalloc(strlen(pattern) / 2 + 1, sizeof(*g));
    for (lit = p = pattern; *p; p++) {
        const char *close;

        if (*p == '}')
            return none(err_set(e, "The name pattern '%s' has a '}' without '{'", pattern));
        if (*p != '{')
            continue;
        if (!(close = strchr(p, '}')))
            return none(err_set(e, "The name pattern '%s' has a '{' without '}'", pattern));
        if (!parse_group(p + 1, (size_t)(close - p - 1), &g[ng]))
            return none(err_set(e, "The group '%.*s' in the name pattern '%s' is not "
                                "{FROM..TO} with numbers", (int)(close - p + 1), p,
                                pattern));
        g[ng].lit = lit;
        g[ng].litlen = (size_t)(p - lit);
        if (group_size(&g[ng]) > MAX_NAMES / total)
            return none(err_set(e, "The name pattern '%s' makes more than %d names",
                                pattern, MAX_NAMES));
        total *= group_size(&g[ng]);
        ng++;
        lit = p = close;
        lit++;
    }
    off = xcalloc(ng + 1, sizeof(*off));
    v = xcalloc(total + 1, sizeof(*v));
    for (unsigned long k = 0; k < total; k++) {
        v[k] = name_at(g, ng, off, lit);
        for (unsigned long j = 0; j < k; j++) {
            if (STREQ(v[j], v[k])) {
                err_set(e, "The name pattern '%s' makes the name '%s' twice", pattern, v[k]);
                util_strv_free(v);
                return NULL;
            }
        }
        /* the last group counts fastest, as bash's brace expansion */
        for (size_t i = ng; i-- > 0;) {
            if (++off[i] < group_size(&g[i]))
                break;
            off[i] = 0;
        }
    }
    return v;
}
