/* act-volume.c: the volume rows of the action table (virsh's vol-*
 * commands). Sizes and names are checked before libvirt is asked; whether
 * a running domain uses a volume is asked again on the worker, with fresh
 * data, right before anything is changed. */
#include <autoconf.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libvirt/virterror.h>

#include "act.h"
#include "storxml.h"

virStorageVolPtr
act_vol_lookup(struct act_call *c, virConnectPtr conn, virStoragePoolPtr *poolp)
{
    virStoragePoolPtr pool = virStoragePoolLookupByUUIDString(conn, c->uuid);
    virStorageVolPtr vol;

    if (!pool) {
        err_virt(&c->r.err, "Failed to find pool '%s'", c->pool);
        return NULL;
    }
    if (!(vol = virStorageVolLookupByName(pool, c->name)))
        err_virt(&c->r.err, "Failed to find volume '%s' in pool '%s'", c->name, c->pool);
    if (poolp && vol)
        *poolp = pool;
    else
        virStoragePoolFree(pool);
    return vol;
}

/* The domains that run with path anywhere in a disk's chain, "a (running),
 * b (running)" (each once), or NULL. */
static char *
running_users(const struct imgraph *g, const char *path)
{
    const struct image *im = imgraph_find(g, path);
    char *who = NULL;

    for (size_t k = 0; im && k < im->ndeps; k++) {
        const struct imdep *d = &im->deps[k];
        AUTOFREE char *one = NULL;
        char *t;

        if (d->kind != IMDEP_DISK || !d->running)
            continue;
        one = xasprintf("%s (running)", d->dom);
        if (who && strstr(who, one))
            continue;
        t = xasprintf("%s%s%s", who ? who : "", who ? ", " : "", one);
        free(who);
        who = t;
    }
    return who;
}

int
act_vol_refuse_in_use(struct act_call *c, virConnectPtr conn, virStorageVolPtr vol,
                      const char *doing, bool dependents)
{
    AUTOFREE char *path = virStorageVolGetPath(vol);
    struct imgraph *g = path ? act_chain_read(conn) : NULL;
    AUTOFREE char *who = g ? running_users(g, path) : NULL;
    AUTOFREE char *deps = g && dependents ? imgraph_names(g, path, IMDEP_OVERLAY) : NULL;
    AUTOFREE char *froze = g && dependents ? imgraph_names(g, path, IMDEP_FROZEN) : NULL;

    imgraph_free(g);
    if (who)
        return err_set(&c->r.err, "Volume '%s' is in use by %s: %s it while it runs would "
                       "corrupt the guest's disk", c->name, who, doing);
    /* overlays outside any pool count too, from the snapshot records
     * that made them */
    if (deps || froze)
        return err_set(&c->r.err, "Volume '%s' is the %s%s%s%s%s%s: %s it would break them; "
                       "delete those first", c->name, deps ? "backing file of " : "",
                       deps ? deps : "", deps ? " (linked clones or overlays)" : "",
                       deps && froze ? " and the image snapshot " : froze ? "image snapshot "
                                                                         : "",
                       froze ? froze : "", froze ? " froze" : "", doing);
    return 0;
}

static int
act_vol_create_as(struct act_call *c, virConnectPtr conn)
{
    const char *name = action_arg(c, "name"), *format = action_arg(c, "format");
    const char *backing = action_arg(c, "backing-vol");
    unsigned long long cap = 0, alloc = 0;
    AUTOFREE char *xml = NULL;
    AUTOFREE char *bpath = NULL;
    AUTOFREE char *bformat = NULL;
    virStoragePoolPtr pool;
    virStorageVolPtr vol;
    char size[32];

    if (storxml_check_name(name, "volume", &c->r.err) < 0)
        return -1;
    if (storxml_parse_size(action_arg(c, "capacity"), "capacity", &cap, &c->r.err) < 0)
        return -1;
    if (action_arg(c, "allocation") &&
        storxml_parse_size(action_arg(c, "allocation"), "allocation", &alloc, &c->r.err) < 0)
        return -1;
    if (format && STRNEQ(format, "raw") && STRNEQ(format, "qcow2"))
        return err_set(&c->r.err, "The format '%s' is not raw or qcow2", format);
    if (!(pool = virStoragePoolLookupByUUIDString(conn, c->uuid)))
        return err_virt(&c->r.err, "Failed to find pool '%s'", c->pool);
    if ((vol = virStorageVolLookupByName(pool, name))) {
        virStorageVolFree(vol);
        virStoragePoolFree(pool);
        return err_set(&c->r.err, "Volume '%s' already exists in pool '%s'", name, c->pool);
    }
    virResetLastError();
    if (backing) {
        /* a volume of this pool by name, or any file by path */
        virStorageVolPtr b = backing[0] == '/' ? virStorageVolLookupByPath(conn, backing)
                                               : virStorageVolLookupByName(pool, backing);
        char *bx = b ? virStorageVolGetXMLDesc(b, 0) : NULL;
        struct vol_info *bi = bx ? storxml_vol_parse(bx, NULL) : NULL;

        if (!b && backing[0] != '/') {
            virStoragePoolFree(pool);
            return err_set(&c->r.err, "The backing volume '%s' is not in pool '%s'",
                           backing, c->pool);
        }
        virResetLastError();
        bpath = b ? virStorageVolGetPath(b) : xstrdup(backing);
        bformat = xstrdup(action_arg(c, "backing-vol-format") ? action_arg(c, "backing-vol-format")
                          : bi && bi->format ? bi->format : "raw");
        if (!cap && bi)
            cap = bi->capacity;
        storxml_vol_free(bi);
        free(bx);
        if (b)
            virStorageVolFree(b);
    }
    if (!(xml = storxml_vol_build(name, cap, alloc, format ? format : backing ? "qcow2" : NULL,
                                  bpath, bformat, &c->r.err))) {
        virStoragePoolFree(pool);
        return -1;
    }
    vol = virStorageVolCreateXML(pool, xml, action_arg(c, "prealloc-metadata") ?
                                 VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA : 0);
    virStoragePoolFree(pool);
    if (!vol)
        return err_virt(&c->r.err, "Failed to create volume '%s'", name);
    virStorageVolFree(vol);
    storxml_format_size(cap, size, sizeof(size));
    c->result = xasprintf("Vol %s created (%s%s%s)", name, size, bpath ? " on " : "",
                          bpath ? bpath : "");
    return 0;
}

static int
act_vol_delete(struct act_call *c, virConnectPtr conn)
{
    virStorageVolPtr vol = act_vol_lookup(c, conn, NULL);
    int rc;

    if (!vol)
        return -1;
    if (act_vol_refuse_in_use(c, conn, vol, "deleting", true) < 0) {
        virStorageVolFree(vol);
        return -1;
    }
    rc = virStorageVolDelete(vol, 0);
    virStorageVolFree(vol);
    if (rc < 0)
        return err_virt(&c->r.err, "Failed to delete vol %s", c->name);
    c->result = xasprintf("Vol %s deleted", c->name);
    return 0;
}

static int
act_vol_wipe(struct act_call *c, virConnectPtr conn)
{
    virStorageVolPtr vol = act_vol_lookup(c, conn, NULL);
    int rc;

    if (!vol)
        return -1;
    if (act_vol_refuse_in_use(c, conn, vol, "wiping", true) < 0) {
        virStorageVolFree(vol);
        return -1;
    }
    /* the daemon zeroes as many bytes as it last saw allocated: have it
     * look again (data written since, by a guest, would stay otherwise) */
    {
        virStorageVolInfo info;

        if (virStorageVolGetInfo(vol, &info) < 0)
            virResetLastError();
    }
    rc = virStorageVolWipe(vol, 0);
    virStorageVolFree(vol);
    if (rc < 0)
        return err_virt(&c->r.err, "Failed to wipe vol %s", c->name);
    c->result = xasprintf("Vol %s wiped", c->name);
    return 0;
}

static int
act_vol_resize(struct act_call *c, virConnectPtr conn)
{
    virStorageVolPtr vol;
    virStorageVolInfo info;
    unsigned long long cap = 0;
    unsigned int flags = 0;
    char now[32], want[32];
    const char *s = action_arg(c, "capacity");
    bool delta = action_arg(c, "delta") != NULL, shrink = action_arg(c, "shrink") != NULL;
    int rc;

    if (s && s[0] == '-') {
        /* virsh's "-1G" with --shrink: a negative delta */
        if (!shrink)
            return err_set(&c->r.err, "Shrinking '%s' loses the data at the end of the disk: "
                           "add --shrink to mean it", c->name);
        delta = true;
        s++;
    }
    if (storxml_parse_size(s, "capacity", &cap, &c->r.err) < 0)
        return -1;
    if (!(vol = act_vol_lookup(c, conn, NULL)))
        return -1;
    if (act_vol_refuse_in_use(c, conn, vol, "resizing", false) < 0 ||
        virStorageVolGetInfo(vol, &info) < 0) {
        if (!c->r.err.msg[0])
            err_virt(&c->r.err, "Failed to read vol %s", c->name);
        virStorageVolFree(vol);
        return -1;
    }
    if (delta)
        cap = shrink ? (cap > info.capacity ? 0 : info.capacity - cap) : info.capacity + cap;
    storxml_format_size(info.capacity, now, sizeof(now));
    storxml_format_size(cap, want, sizeof(want));
    if (cap < info.capacity && !shrink) {
        virStorageVolFree(vol);
        return err_set(&c->r.err, "The new size %s of '%s' is smaller than its %s: shrinking "
                       "loses the data at the end of the disk; add --shrink to mean it",
                       want, c->name, now);
    }
    if (cap == info.capacity) {
        virStorageVolFree(vol);
        return err_set(&c->r.err, "Volume '%s' is already %s", c->name, now);
    }
    if (cap < info.capacity)
        flags |= VIR_STORAGE_VOL_RESIZE_SHRINK;
    if (action_arg(c, "allocate"))
        flags |= VIR_STORAGE_VOL_RESIZE_ALLOCATE;
    rc = virStorageVolResize(vol, cap, flags);
    virStorageVolFree(vol);
    if (rc < 0)
        return err_virt(&c->r.err, "Failed to change size of volume '%s' to %s", c->name, want);
    c->result = xasprintf("Size of volume '%s' successfully changed from %s to %s", c->name,
                          now, want);
    return 0;
}

static int
act_vol_clone(struct act_call *c, virConnectPtr conn)
{
    const char *name = action_arg(c, "newname"), *format = action_arg(c, "format");
    virStoragePoolPtr pool = NULL;
    virStorageVolPtr vol, nv;
    AUTOFREE char *sx = NULL;
    AUTOFREE char *xml = NULL;
    struct vol_info *si;

    if (storxml_check_name(name, "volume", &c->r.err) < 0)
        return -1;
    if (format && STRNEQ(format, "raw") && STRNEQ(format, "qcow2"))
        return err_set(&c->r.err, "The format '%s' is not raw or qcow2", format);
    if (!(vol = act_vol_lookup(c, conn, &pool)))
        return -1;
    if ((nv = virStorageVolLookupByName(pool, name))) {
        virStorageVolFree(nv);
        virStorageVolFree(vol);
        virStoragePoolFree(pool);
        return err_set(&c->r.err, "Volume '%s' already exists in pool '%s'", name, c->pool);
    }
    virResetLastError();
    sx = virStorageVolGetXMLDesc(vol, 0);
    si = sx ? storxml_vol_parse(sx, NULL) : NULL;
    /* the copy has the source's size; its own format converts (raw <-> qcow2) */
    xml = storxml_vol_build(name, si ? si->capacity : 0, 0,
                            format ? format : si && si->format ? si->format : NULL,
                            NULL, NULL, &c->r.err);
    storxml_vol_free(si);
    if (!xml) {
        virStorageVolFree(vol);
        virStoragePoolFree(pool);
        return -1;
    }
    nv = virStorageVolCreateXMLFrom(pool, xml, vol, action_arg(c, "prealloc-metadata") ?
                                    VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA : 0);
    virStorageVolFree(vol);
    virStoragePoolFree(pool);
    if (!nv)
        return err_virt(&c->r.err, "Failed to clone vol from %s", c->name);
    virStorageVolFree(nv);
    c->result = xasprintf("Vol %s cloned from %s%s%s", name, c->name, format ? " as " : "",
                          format ? format : "");
    return 0;
}

/* Like qemu-img info --backing-chain: each layer's format and sizes. */
static int
act_vol_info(struct act_call *c, virConnectPtr conn)
{
    virStorageVolPtr vol = act_vol_lookup(c, conn, NULL);
    char *out = xstrdup("");
    int depth = 0;

    if (!vol) {
        free(out);
        return -1;
    }
    while (vol && depth < 64) {
        char *x = virStorageVolGetXMLDesc(vol, 0);
        struct vol_info *vi = x ? storxml_vol_parse(x, NULL) : NULL;
        AUTOFREE char *path = virStorageVolGetPath(vol);
        virStoragePoolPtr pool = virStoragePoolLookupByVolume(vol);
        char cap[32], alloc[32];
        char *t;

        storxml_format_size(vi ? vi->capacity : 0, cap, sizeof(cap));
        storxml_format_size(vi ? vi->allocation : 0, alloc, sizeof(alloc));
        t = xasprintf("%s%simage: %s\npool: %s\nfile format: %s\nvirtual size: %s (%llu bytes)\n"
                      "disk size: %s\n%s%s%s", out, depth ? "\n" : "", path ? path : "?",
                      pool ? virStoragePoolGetName(pool) : "-",
                      vi && vi->format ? vi->format : "?", cap, vi ? vi->capacity : 0, alloc,
                      vi && vi->backing ? "backing file: " : "",
                      vi && vi->backing ? vi->backing : "", vi && vi->backing ? "\n" : "");
        free(out);
        out = t;
        if (pool)
            virStoragePoolFree(pool);
        virStorageVolFree(vol);
        vol = NULL;
        if (vi && vi->backing) {
            if (!(vol = virStorageVolLookupByPath(conn, vi->backing))) {
                t = xasprintf("%s\nimage: %s\n(not in a storage pool: pool-refresh or a pool "
                              "on its directory shows it)\n", out, vi->backing);
                free(out);
                out = t;
            }
        }
        virResetLastError();
        storxml_vol_free(vi);
        free(x);
        depth++;
    }
    if (vol)
        virStorageVolFree(vol);
    c->output = out;
    return 0;
}

static int
act_vol_dumpxml(struct act_call *c, virConnectPtr conn)
{
    virStorageVolPtr vol = act_vol_lookup(c, conn, NULL);

    if (!vol)
        return -1;
    c->output = virStorageVolGetXMLDesc(vol, 0);
    virStorageVolFree(vol);
    if (!c->output)
        return err_virt(&c->r.err, "Failed to get the XML of volume '%s'", c->name);
    return 0;
}

static char *
ask_delete(const struct act_call *c)
{
    const struct m_vol *v = model_vol_get(model_pool_get(c->host, c->uuid), c->name);

    return xasprintf("vol-delete '%s'? Its data is lost.%s%s%s [y/N]", c->name,
                     v && v->users ? " It is a disk of " : "", v && v->users ? v->users : "",
                     v && v->users ? " (the definition will point at a missing file)." : "");
}

/* Before the question: who else needs the volume's image (the handler
 * asks again after it). */
static int
plan_in_use(struct act_call *c, virConnectPtr conn, const char *doing)
{
    virStorageVolPtr vol = act_vol_lookup(c, conn, NULL);
    int rc = vol ? act_vol_refuse_in_use(c, conn, vol, doing, true) : -1;

    if (vol)
        virStorageVolFree(vol);
    return rc;
}

static int
plan_delete(struct act_call *c, virConnectPtr conn)
{
    return plan_in_use(c, conn, "deleting");
}

static int
plan_wipe(struct act_call *c, virConnectPtr conn)
{
    return plan_in_use(c, conn, "wiping");
}

static char *
ask_wipe(const struct act_call *c)
{
    const struct m_vol *v = model_vol_get(model_pool_get(c->host, c->uuid), c->name);

    return xasprintf("vol-wipe '%s'? Every byte of it is overwritten with zeros%s%s. [y/N]",
                     c->name, v && v->users ? "; it is a disk of " : "",
                     v && v->users ? v->users : "");
}

static void
fill_create_as(struct act_fill *f)
{
    f->set(f, "format", "qcow2");
}

static int
check_create_as(const struct act_fill *f, struct err *e)
{
    const char *name = f->get(f, "name");

    return name ? storxml_check_name(name, "volume", e) : 0;
}

static const struct act_arg a_vol[] = {
    { .name = "vol", .type = ARG_VOLUME, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "volume name, or path" },
    { .name = "pool", .type = ARG_POOL, .help = "the volume's pool" },
    { NULL },
};
static const struct act_arg a_create_as[] = {
    { .name = "pool", .type = ARG_POOL, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "pool name" },
    { .name = "name", .type = ARG_STRING, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "the new volume's name" },
    { .name = "capacity", .type = ARG_STRING, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "size, like 10G, 512M, 1.5T" },
    { .name = "allocation", .type = ARG_STRING,
      .help = "space to allocate now (default: none, sparse)" },
    { .name = "format", .type = ARG_STRING, .help = "raw or qcow2" },
    { .name = "backing-vol", .type = ARG_STRING,
      .help = "backing volume (name in this pool, or path)" },
    { .name = "backing-vol-format", .type = ARG_STRING, .help = "the backing volume's format" },
    { .name = "prealloc-metadata", .type = ARG_BOOL, .help = "preallocate qcow2 metadata" },
    { NULL },
};
static const struct act_arg a_resize[] = {
    { .name = "vol", .type = ARG_VOLUME, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "volume name, or path" },
    { .name = "capacity", .type = ARG_STRING, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "new size, like 20G" },
    { .name = "pool", .type = ARG_POOL, .help = "the volume's pool" },
    { .name = "allocate", .type = ARG_BOOL, .help = "allocate the new space now" },
    { .name = "delta", .type = ARG_BOOL, .help = "grow by capacity instead of to it" },
    { .name = "shrink", .type = ARG_BOOL,
      .help = "allow shrinking (loses the data past the new end)" },
    { NULL },
};
static const struct act_arg a_clone[] = {
    { .name = "vol", .type = ARG_VOLUME, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "volume name, or path" },
    { .name = "newname", .type = ARG_STRING, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "the copy's name" },
    { .name = "pool", .type = ARG_POOL, .help = "the volume's pool" },
    { .name = "format", .type = ARG_STRING, .flags = ARG_VIRTMUX,
      .help = "the copy's format: raw or qcow2 (converts)" },
    { .name = "prealloc-metadata", .type = ARG_BOOL, .help = "preallocate qcow2 metadata" },
    { NULL },
};

const struct action act_volume_rows[] = {
    { .name = "vol-create-as", .target = TARGET_POOL, .flags = ACT_MUTATES | ACT_NEEDS_ACTIVE,
      .args = a_create_as,
      .help = "Create a volume (size with a unit; raw or qcow2; optionally on a backing volume)",
      .run = act_vol_create_as, .defaults = fill_create_as, .validate = check_create_as },
    { .name = "vol-delete", .target = TARGET_VOLUME,
      .flags = ACT_MUTATES | ACT_DESTRUCTIVE | ACT_NEEDS_ACTIVE | ACT_VOL_UNUSED | ACT_VOL_NO_DEPENDENTS,
      .args = a_vol, .help = "Delete a volume and its data", .run = act_vol_delete,
      .question = ask_delete, .plan = plan_delete },
    { .name = "vol-wipe", .target = TARGET_VOLUME,
      .flags = ACT_MUTATES | ACT_DESTRUCTIVE | ACT_NEEDS_ACTIVE | ACT_VOL_UNUSED | ACT_VOL_NO_DEPENDENTS,
      .args = a_vol, .help = "Overwrite a volume's data with zeros", .run = act_vol_wipe,
      .question = ask_wipe, .plan = plan_wipe },
    { .name = "vol-resize", .target = TARGET_VOLUME,
      .flags = ACT_MUTATES | ACT_NEEDS_ACTIVE | ACT_VOL_UNUSED, .args = a_resize,
      .help = "Grow a volume (shrinking only with --shrink)", .run = act_vol_resize },
    { .name = "vol-clone", .target = TARGET_VOLUME, .flags = ACT_MUTATES | ACT_NEEDS_ACTIVE,
      .args = a_clone, .help = "Copy a volume in its pool (--format converts raw <-> qcow2)",
      .run = act_vol_clone },
    { .name = "vol-info", .target = TARGET_VOLUME, .flags = ACT_NEEDS_ACTIVE, .args = a_vol,
      .help = "Format, sizes and backing chain (like qemu-img info --backing-chain)",
      .run = act_vol_info, .done = act_show_output },
    { .name = "vol-dumpxml", .target = TARGET_VOLUME, .flags = ACT_NEEDS_ACTIVE, .args = a_vol,
      .help = "Show the volume's XML", .run = act_vol_dumpxml, .done = act_show_output },
    { NULL },
};
