/* act-disk.c: a domain's disks. attach-disk and detach-disk as virsh has
 * them (live where the guest runs, persistent always, unless --live or
 * --config say otherwise); disk-add, virtmux's own "add a disk to this
 * guest": create a volume in a pool (or take one) and attach it at the
 * next free target; and undefine's --remove-all-storage / --storage,
 * which delete the domain's volumes after the definition is gone. Every
 * XML is read and written with libxml2. */
#include <autoconf.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libvirt/virterror.h>

#include "act.h"
#include "storxml.h"
#include "xml.h"

/* The <disk> element for a file or block device at target on bus. */
static char *
disk_xml(const char *source, bool block, const char *target, const char *bus,
         const char *format, const char *device, bool readonly)
{
    xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
    xmlNodePtr root = xmlNewNode(NULL, BAD_CAST "disk"), n;
    char *s;

    xmlDocSetRootElement(doc, root);
    xmlNewProp(root, BAD_CAST "type", BAD_CAST(block ? "block" : "file"));
    xmlNewProp(root, BAD_CAST "device", BAD_CAST(device ? device : "disk"));
    n = xmlNewChild(root, NULL, BAD_CAST "driver", NULL);
    xmlNewProp(n, BAD_CAST "name", BAD_CAST "qemu");
    xmlNewProp(n, BAD_CAST "type", BAD_CAST(format ? format : "raw"));
    n = xmlNewChild(root, NULL, BAD_CAST "source", NULL);
    xmlNewProp(n, BAD_CAST(block ? "dev" : "file"), BAD_CAST source);
    n = xmlNewChild(root, NULL, BAD_CAST "target", NULL);
    xmlNewProp(n, BAD_CAST "dev", BAD_CAST target);
    xmlNewProp(n, BAD_CAST "bus", BAD_CAST(bus ? bus : "virtio"));
    if (readonly)
        xmlNewChild(root, NULL, BAD_CAST "readonly", NULL);
    s = xml_node_str(root);
    xmlFreeDoc(doc);
    return s;
}

static struct dom_details *
details(virDomainPtr dom, unsigned int flags, struct err *e)
{
    char *xml = virDomainGetXMLDesc(dom, flags);
    struct dom_details *dd = xml ? domxml_parse(xml, e) : NULL;

    if (!xml)
        err_virt(e, "Failed to read the domain's XML");
    free(xml);
    return dd;
}

/* The first free name for bus ("vd" for virtio, "sd" for scsi/sata/usb,
 * "hd" for ide) in both the live and the persistent definition. */
static char *
next_target(virDomainPtr dom, const char *bus, struct err *e)
{
    const char *prefix = !bus || STREQ(bus, "virtio") ? "vd" : STREQ(bus, "ide") ? "hd" : "sd";
    struct dom_details *live = details(dom, 0, e), *conf = NULL;
    char *name = NULL;

    if (!live)
        return NULL;
    if (virDomainIsActive(dom) == 1 && virDomainIsPersistent(dom) == 1)
        conf = details(dom, VIR_DOMAIN_XML_INACTIVE, e);
    virResetLastError();
    for (char l = 'a'; l <= 'z' && !name; l++) {
        char cand[8];
        bool used = false;

        snprintf(cand, sizeof(cand), "%s%c", prefix, l);
        for (size_t i = 0; i < live->ndisks && !used; i++)
            used = live->disks[i].target && STREQ(live->disks[i].target, cand);
        for (size_t i = 0; conf && i < conf->ndisks && !used; i++)
            used = conf->disks[i].target && STREQ(conf->disks[i].target, cand);
        if (!used)
            name = xstrdup(cand);
    }
    domxml_free(live);
    domxml_free(conf);
    if (!name)
        err_set(e, "Every %sX target is taken", prefix);
    return name;
}

static int
attach(struct act_call *c, virDomainPtr dom, const char *source, bool block,
       const char *target, const char *format)
{
    AUTOFREE char *xml = disk_xml(source, block, target, action_arg(c, "targetbus") ?
                                  action_arg(c, "targetbus") : action_arg(c, "bus"),
                                  format, action_arg(c, "type"),
                                  action_arg(c, "mode") && STREQ(action_arg(c, "mode"),
                                                                 "readonly"));

    if (virDomainAttachDeviceFlags(dom, xml, act_affect(c, dom)) < 0)
        return err_virt(&c->r.err, "Failed to attach disk %s to '%s'", source, c->name);
    return 0;
}

static int
act_attach_disk(struct act_call *c, virConnectPtr conn)
{
    const char *source = action_arg(c, "source"), *target = action_arg(c, "target");
    virDomainPtr dom = act_domain_lookup(c, conn);
    virStorageVolPtr vol;
    const char *format = action_arg(c, "subdriver");
    AUTOFREE char *guess = NULL;
    int rc;

    if (!dom)
        return -1;
    if (!format && (vol = virStorageVolLookupByPath(conn, source))) {
        char *x = virStorageVolGetXMLDesc(vol, 0);
        struct vol_info *vi = x ? storxml_vol_parse(x, NULL) : NULL;

        guess = xstrdup(vi && vi->format ? vi->format : NULL);
        format = guess;
        storxml_vol_free(vi);
        free(x);
        virStorageVolFree(vol);
    }
    virResetLastError();
    rc = attach(c, dom, source, action_arg(c, "sourcetype") &&
                STREQ(action_arg(c, "sourcetype"), "block"), target, format);
    virDomainFree(dom);
    if (rc == 0)
        c->result = xasprintf("Disk attached successfully (%s as %s of '%s')", source, target,
                              c->name);
    return rc;
}

static int
act_detach_disk(struct act_call *c, virConnectPtr conn)
{
    const char *target = action_arg(c, "target");
    virDomainPtr dom = act_domain_lookup(c, conn);
    unsigned int flags;
    char *xml;
    xmlDocPtr doc = NULL;
    AUTOFREE char *dev = NULL;
    int rc = -1;

    if (!dom)
        return -1;
    flags = act_affect(c, dom);
    /* the disk as the definition it is detached from has it */
    xml = virDomainGetXMLDesc(dom, (flags & VIR_DOMAIN_AFFECT_LIVE) ? 0
                                                                      : VIR_DOMAIN_XML_INACTIVE);
    if (xml && (doc = xml_parse(xml, "domain XML", &c->r.err))) {
        xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
        AUTOFREE char *q = xasprintf("./devices/disk[target/@dev='%s']", target);
        xmlXPathObjectPtr o = strchr(target, '\'') ? NULL
                                                   : xml_nodes(ctx, xmlDocGetRootElement(doc), q);

        if (o && o->nodesetval && o->nodesetval->nodeNr > 0)
            dev = xml_node_str(o->nodesetval->nodeTab[0]);
        xmlXPathFreeObject(o);
        xmlXPathFreeContext(ctx);
        xmlFreeDoc(doc);
    }
    free(xml);
    if (!dev) {
        if (!c->r.err.msg[0])
            err_set(&c->r.err, "Domain '%s' has no disk %s", c->name, target);
    } else if (virDomainDetachDeviceFlags(dom, dev, flags) < 0) {
        err_virt(&c->r.err, "Failed to detach disk %s from '%s'", target, c->name);
    } else {
        c->result = xasprintf("Disk detached successfully (%s of '%s'%s)", target, c->name,
                              (flags & VIR_DOMAIN_AFFECT_LIVE) ? "; the guest saw it go" : "");
        rc = 0;
    }
    virDomainFree(dom);
    return rc;
}

/* Create (or take) a volume and attach it at the next free target. */
static int
act_disk_add(struct act_call *c, virConnectPtr conn)
{
    const char *poolname = action_arg(c, "pool"), *volname = action_arg(c, "vol");
    const char *size = action_arg(c, "size");
    const char *format = action_arg(c, "format") ? action_arg(c, "format") : "qcow2";
    virDomainPtr dom = NULL;
    virStoragePoolPtr pool = NULL;
    virStorageVolPtr vol = NULL;
    AUTOFREE char *target = NULL;
    AUTOFREE char *made = NULL;
    AUTOFREE char *path = NULL;
    AUTOFREE char *vxml = NULL;
    AUTOFREE char *vformat = NULL;
    unsigned long long bytes = 0;
    bool created = false;
    int rc = -1;

    if (!volname && !size)
        return err_set(&c->r.err, "Say which disk: --size 10G for a new volume, or --vol NAME "
                       "for one of the pool's");
    if (volname && size)
        return err_set(&c->r.err, "--vol takes an existing volume; --size makes a new one: "
                       "give one of them");
    if (size && storxml_parse_size(size, "size", &bytes, &c->r.err) < 0)
        return -1;
    if (STRNEQ(format, "qcow2") && STRNEQ(format, "raw"))
        return err_set(&c->r.err, "The format '%s' is not raw or qcow2", format);
    if (!(dom = act_domain_lookup(c, conn)))
        return -1;
    if (!(pool = virStoragePoolLookupByName(conn, poolname))) {
        err_virt(&c->r.err, "Failed to find pool '%s'", poolname);
        goto out;
    }
    if (!(target = action_arg(c, "target") ? xstrdup(action_arg(c, "target"))
                                           : next_target(dom, action_arg(c, "bus"), &c->r.err)))
        goto out;
    if (volname) {
        if (!(vol = virStorageVolLookupByName(pool, volname))) {
            err_virt(&c->r.err, "Failed to find volume '%s' in pool '%s'", volname, poolname);
            goto out;
        }
        {
            char *x = virStorageVolGetXMLDesc(vol, 0);
            struct vol_info *vi = x ? storxml_vol_parse(x, NULL) : NULL;

            vformat = xstrdup(vi && vi->format ? vi->format : "raw");
            storxml_vol_free(vi);
            free(x);
        }
    } else {
        made = xasprintf("%s-%s.%s", c->name, target, STREQ(format, "qcow2") ? "qcow2" : "img");
        if (storxml_check_name(made, "volume", &c->r.err) < 0)
            goto out;
        if ((vol = virStorageVolLookupByName(pool, made))) {
            err_set(&c->r.err, "Volume '%s' already exists in pool '%s' (--vol %s attaches it)",
                    made, poolname, made);
            virStorageVolFree(vol);
            vol = NULL;
            goto out;
        }
        virResetLastError();
        if (!(vxml = storxml_vol_build(made, bytes, 0, format, NULL, NULL, &c->r.err)))
            goto out;
        if (!(vol = virStorageVolCreateXML(pool, vxml, 0))) {
            err_virt(&c->r.err, "Failed to create volume '%s'", made);
            goto out;
        }
        created = true;
        vformat = xstrdup(format);
    }
    if (!(path = virStorageVolGetPath(vol))) {
        err_virt(&c->r.err, "Failed to get the path of volume '%s'", made ? made : volname);
        goto out;
    }
    if (attach(c, dom, path, false, target, vformat) < 0) {
        /* nothing half-made: a volume made for this goes again */
        if (created && virStorageVolDelete(vol, 0) < 0)
            virResetLastError();
        goto out;
    }
    c->result = xasprintf("Disk %s (%s, %s) added to '%s' as %s", made ? made : volname, path,
                          vformat, c->name, target);
    rc = 0;
 out:
    if (vol)
        virStorageVolFree(vol);
    if (pool)
        virStoragePoolFree(pool);
    virDomainFree(dom);
    return rc;
}

char *
act_disk_users(virConnectPtr conn, bool (*match)(const struct dom_disk *k, const char *arg),
               const char *arg, const char *skip_uuid, bool *running)
{
    virDomainPtr *doms = NULL;
    int n = virConnectListAllDomains(conn, &doms, 0);
    char *who = NULL;

    if (running)
        *running = false;
    for (int d = 0; d < n; d++) {
        char u[VIR_UUID_STRING_BUFLEN];
        bool skip = skip_uuid && virDomainGetUUIDString(doms[d], u) == 0 && STREQ(u, skip_uuid);
        char *xml = skip ? NULL : virDomainGetXMLDesc(doms[d], 0);
        struct dom_details *dd = xml ? domxml_parse(xml, NULL) : NULL;

        for (size_t k = 0; dd && k < dd->ndisks; k++) {
            bool act = false;
            const char *doing = "";
            char *t;

            if (!match(&dd->disks[k], arg))
                continue;
            if (running)
                doing = host_dom_activity(doms[d], &act);
            t = xasprintf("%s%s%s%s", who ? who : "", who ? ", " : "",
                          virDomainGetName(doms[d]), doing);
            free(who);
            who = t;
            if (running)
                *running |= act;
            break;
        }
        domxml_free(dd);
        free(xml);
        virDomainFree(doms[d]);
    }
    free(doms);
    virResetLastError();
    return who;
}

/* Whether item (a target or a path) is in the comma-separated list. */
static bool
listed(const char *list, const char *item)
{
    size_t n = item ? strlen(item) : 0;

    for (const char *p = list; n && p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL) {
        if (strncmp(p, item, n) == 0 && (p[n] == ',' || p[n] == '\0'))
            return true;
    }
    return false;
}

char **
act_disk_volumes(struct act_call *c, virConnectPtr conn, bool all, const char *list)
{
    virDomainPtr dom = act_domain_lookup(c, conn), *doms = NULL;
    struct dom_details *dd = dom ? details(dom, VIR_DOMAIN_XML_INACTIVE, &c->r.err) : NULL;
    char **paths = xcalloc(1, sizeof(char *));
    size_t np = 0;
    int nd = 0;

    if (!dd) {
        if (dom)
            virDomainFree(dom);
        free(paths);
        return NULL;
    }
    nd = virConnectListAllDomains(conn, &doms, 0);
    for (size_t i = 0; i < dd->ndisks && paths; i++) {
        const struct dom_disk *k = &dd->disks[i];
        virStorageVolPtr vol;

        /* read-only and shareable disks (ISOs, shared data) always stay */
        if (!k->source || k->readonly || k->shareable ||
            !(all ? STREQ(k->device ? k->device : "disk", "disk")
                  : listed(list, k->target) || listed(list, k->source)))
            continue;
        if (!(vol = virStorageVolLookupByPath(conn, k->source))) {
            virResetLastError();
            err_set(&c->r.err, "The disk %s of '%s' (%s) is not in a storage pool: nothing "
                    "was undefined; leave it out of --storage, or delete the file yourself",
                    k->target, c->name, k->source);
            util_strv_free(paths);
            paths = NULL;
            break;
        }
        virStorageVolFree(vol);
        /* a volume another domain uses stays */
        for (int d = 0; d < nd && paths; d++) {
            struct dom_details *o;

            if (STREQ(virDomainGetName(doms[d]), c->name))
                continue;
            o = details(doms[d], VIR_DOMAIN_XML_INACTIVE, NULL);
            for (size_t m = 0; o && m < o->ndisks && paths; m++) {
                if (o->disks[m].source && STREQ(o->disks[m].source, k->source)) {
                    err_set(&c->r.err, "The disk %s of '%s' (%s) is also a disk of '%s': "
                            "nothing was undefined; leave it out of --storage", k->target,
                            c->name, k->source, virDomainGetName(doms[d]));
                    util_strv_free(paths);
                    paths = NULL;
                }
            }
            domxml_free(o);
        }
        if (paths) {
            paths = xreallocarray(paths, np + 2, sizeof(char *));
            paths[np++] = xstrdup(k->source);
            paths[np] = NULL;
        }
    }
    if (paths && list && !np)
        err_set(&c->r.err, "'%s' names none of the disks of '%s'", list, c->name);
    if (paths && list && !np) {
        free(paths);
        paths = NULL;
    }
    for (int d = 0; d < nd; d++)
        virDomainFree(doms[d]);
    free(doms);
    domxml_free(dd);
    virDomainFree(dom);
    virResetLastError();
    return paths;
}

void
act_delete_volumes(struct act_call *c, virConnectPtr conn, char **paths)
{
    char *note = xstrdup("");

    for (size_t i = 0; paths[i]; i++) {
        virStorageVolPtr vol = virStorageVolLookupByPath(conn, paths[i]);
        bool ok = vol && virStorageVolDelete(vol, 0) == 0;
        char *t = xasprintf("%s; volume %s %s", note, paths[i],
                            ok ? "deleted" : "could NOT be deleted");

        if (vol)
            virStorageVolFree(vol);
        virResetLastError();
        free(note);
        note = t;
    }
    if (c->result) {
        char *t = xasprintf("%s%s", c->result, note);

        free(c->result);
        c->result = t;
    }
    free(note);
}

/* Whether users ("a (running), b") names domain name. */
static bool
names_in(const char *users, const char *name)
{
    size_t n = strlen(name);

    for (const char *p = users; p && *p; p = strstr(p, ", ") ? strstr(p, ", ") + 2 : NULL) {
        if (strncmp(p, name, n) == 0 && (p[n] == '\0' || p[n] == ',' || p[n] == ' '))
            return true;
    }
    return false;
}

char *
act_undefine_question(const struct act_call *c)
{
    const struct m_dom *d = model_dom_get(c->host, c->uuid);
    const char *list = action_arg(c, "storage");
    bool all = action_arg(c, "remove-all-storage") != NULL;
    char *vols = xstrdup("");

    for (size_t i = 0; (all || list) && d && d->details && i < d->details->ndisks; i++) {
        const struct dom_disk *k = &d->details->disks[i];
        char *t;

        if (!k->source || k->readonly || k->shareable ||
            !(all ? STREQ(k->device ? k->device : "disk", "disk")
                  : listed(list, k->target) || listed(list, k->source)))
            continue;
        t = xasprintf("%s%s%s", vols, *vols ? ", " : "", k->source);
        free(vols);
        vols = t;
    }
    /* details not read yet: the storage view's record of who uses what */
    if (!*vols && (all || list) && d && !d->details) {
        size_t np;
        struct m_pool **pools = model_pools(c->host, &np);

        for (size_t i = 0; i < np; i++) {
            for (int k = 0; k < pools[i]->nvols; k++) {
                const struct m_vol *v = &pools[i]->vols[k];
                char *t;

                if (!v->users || !names_in(v->users, c->name) ||
                    (list && !listed(list, v->path)))
                    continue;
                t = xasprintf("%s%s%s", vols, *vols ? ", " : "", v->path);
                free(vols);
                vols = t;
            }
        }
    }
    {
        char *q = xasprintf("undefine '%s'? %s%s%sType the domain's name to confirm:", c->name,
                            *vols ? "It also DELETES these volumes: " : (all || list) ?
                            "Its volumes are deleted too. " : "Its disks are kept. ",
                            vols, *vols ? ". " : "");

        free(vols);
        return q;
    }
}

static const struct act_arg a_attach[] = {
    { .name = "domain", .type = ARG_DOMAIN, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "domain name" },
    { .name = "source", .type = ARG_FILE, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "the image file or block device" },
    { .name = "target", .type = ARG_STRING, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "the guest's name for it (vdb)" },
    { .name = "targetbus", .type = ARG_STRING,
      .help = "virtio (default), scsi, sata, usb, ide" },
    { .name = "subdriver", .type = ARG_STRING,
      .help = "the image format (default: the volume's, else raw)" },
    { .name = "type", .type = ARG_STRING, .help = "disk (default), cdrom, floppy" },
    { .name = "sourcetype", .type = ARG_STRING, .help = "file (default) or block" },
    { .name = "mode", .type = ARG_STRING, .help = "readonly" },
    { .name = "live", .type = ARG_BOOL, .help = "affect the running guest only" },
    { .name = "config", .type = ARG_BOOL, .help = "affect the persistent definition only" },
    { NULL },
};
static const struct act_arg a_detach[] = {
    { .name = "domain", .type = ARG_DOMAIN, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "domain name" },
    { .name = "target", .type = ARG_STRING, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "the disk's target (vdb)" },
    { .name = "live", .type = ARG_BOOL, .help = "affect the running guest only" },
    { .name = "config", .type = ARG_BOOL, .help = "affect the persistent definition only" },
    { NULL },
};
static const struct act_arg a_add[] = {
    { .name = "domain", .type = ARG_DOMAIN, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "domain name" },
    { .name = "pool", .type = ARG_POOL, .flags = ARG_REQUIRED,
      .help = "the pool for the new volume (or holding --vol)" },
    { .name = "size", .type = ARG_STRING, .help = "a new volume of this size, like 10G" },
    { .name = "vol", .type = ARG_STRING, .help = "an existing volume of the pool instead" },
    { .name = "format", .type = ARG_STRING, .help = "qcow2 (default) or raw, for a new volume" },
    { .name = "target", .type = ARG_STRING,
      .help = "the guest's name for it (default: next free vdX)" },
    { .name = "bus", .type = ARG_STRING, .help = "virtio (default), scsi, sata, usb" },
    { .name = "live", .type = ARG_BOOL, .help = "affect the running guest only" },
    { .name = "config", .type = ARG_BOOL, .help = "affect the persistent definition only" },
    { NULL },
};

/* The pool "default" where there is one, else the first; 10G of qcow2. */
static void
fill_disk_add(struct act_fill *f)
{
    size_t n;
    struct m_pool **pools = model_pools(f->host, &n);

    f->set(f, "pool", model_pool_by_name(f->host, "default") ? "default"
                      : n ? pools[0]->name : NULL);
    f->set(f, "size", "10G");
    f->set(f, "format", "qcow2");
}

const struct action act_disk_rows[] = {
    { .name = "disk-add", .target = TARGET_DOMAIN, .flags = ACT_MUTATES | ACT_NO_VIRSH,
      .args = a_add,
      .help = "Add a disk: a new volume (or one of the pool's) at the next free target, live "
              "where the guest runs and persistent",
      .run = act_disk_add, .defaults = fill_disk_add },
    { .name = "attach-disk", .target = TARGET_DOMAIN, .flags = ACT_MUTATES, .args = a_attach,
      .help = "Attach an image or device (live where the guest runs, persistent always)",
      .run = act_attach_disk },
    { .name = "detach-disk", .target = TARGET_DOMAIN, .flags = ACT_MUTATES | ACT_DESTRUCTIVE,
      .args = a_detach, .help = "Detach a disk (the image is kept)", .run = act_detach_disk },
    { NULL },
};
