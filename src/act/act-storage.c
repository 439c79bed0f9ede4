/* act-storage.c: the storage pool rows of the action table (virsh's
 * pool-* commands), and how a command finds the pool or volume it acts
 * on. Handlers run on the host worker. */
#include <autoconf.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <libvirt/virterror.h>

#include "act.h"
#include "storxml.h"

int
act_resolve_storage(struct act_call *c, const struct act_ctx *ctx, int host,
                    bool host_given, struct err *e)
{
    const struct action *a = c->act;
    int kp = action_arg_index(a, "pool"), kv = action_arg_index(a, "vol");
    struct m_pool *p = NULL;
    const char *vol = kv >= 0 ? c->vals[kv] : NULL;
    struct act_found f;

    if (a->target == TARGET_VOLUME && vol && vol[0] == '/' && !(kp >= 0 && c->vals[kp])) {
        /* a volume named by its path, as virsh allows */
        if (act_find_on_hosts(TARGET_VOLUME, vol, host, host_given, &f, e) < 0)
            return -1;
        p = model_pool_get(f.host, f.uuid);
        free(c->vals[kv]);
        c->vals[kv] = xstrdup(f.name);
    } else if (kp >= 0 && c->vals[kp]) {
        if (act_find_on_hosts(TARGET_POOL, c->vals[kp], host, host_given, &f, e) < 0)
            return -1;
        p = model_pool_get(f.host, f.uuid);
    } else if (ctx && ctx->pool && host >= 0) {
        p = model_pool_get(host, ctx->pool);
    }
    if (!p)
        return err_set(e, "Command '%s' needs a pool: select one (3) or name it%s", a->name,
                       a->target == TARGET_VOLUME ? " with --pool" : "");
    c->host = p->host;
    snprintf(c->uuid, sizeof(c->uuid), "%s", p->uuid);
    c->pool = xstrdup(p->name);
    if (kp >= 0) {
        free(c->vals[kp]);
        c->vals[kp] = xstrdup(p->name);
    }
    if (a->target == TARGET_POOL) {
        c->name = xstrdup(p->name);
        return 0;
    }
    if (kv >= 0 && !c->vals[kv] && ctx && ctx->vol && ctx->pool && STREQ(ctx->pool, p->uuid))
        c->vals[kv] = xstrdup(ctx->vol);
    if (kv < 0 || !c->vals[kv])
        return err_set(e, "Command '%s' needs a volume: select one or name it", a->name);
    if (p->nvols >= 0 && !model_vol_get(p, c->vals[kv]))
        return err_set(e, "Volume '%s' not found in pool '%s'", c->vals[kv], p->name);
    c->name = xstrdup(c->vals[kv]);
    return 0;
}

int
act_check_storage(const struct act_call *c, struct err *e)
{
    const struct action *a = c->act;
    const struct m_pool *p = model_pool_get(c->host, c->uuid);
    const struct m_vol *v;

    if (!p)
        return err_set(e, "Pool '%s' is gone", c->pool ? c->pool : c->name);
    if ((a->flags & ACT_NEEDS_ACTIVE) && !p->active)
        return err_set(e, "Pool '%s' is not active (pool-start)", p->name);
    if ((a->flags & ACT_NEEDS_INACTIVE) && p->active)
        return err_set(e, "Pool '%s' is active; '%s' needs it stopped (pool-destroy)",
                       p->name, a->name);
    if ((a->flags & ACT_NEEDS_PERSISTENT) && !p->persistent)
        return err_set(e, "Pool '%s' is transient: it has no definition for %s", p->name,
                       a->name);
    if (a->target != TARGET_VOLUME || !(v = model_vol_get(p, c->name)))
        return 0;
    /* the worker checks again with fresh data; this answers at once */
    if ((a->flags & ACT_VOL_UNUSED) && v->used_running)
        return err_set(e, "Volume '%s' is in use by %s: %s while it runs would corrupt the "
                       "guest's disk", v->name, v->users, a->name);
    if ((a->flags & ACT_VOL_NO_DEPENDENTS) && v->dependents)
        return err_set(e, "Volume '%s' is the backing file of %s (linked clones or overlays): "
                       "%s would break them; delete those first", v->name, v->dependents,
                       a->name);
    return 0;
}

static virStoragePoolPtr
lookup(struct act_call *c, virConnectPtr conn)
{
    virStoragePoolPtr pool = virStoragePoolLookupByUUIDString(conn, c->uuid);

    if (!pool)
        err_virt(&c->r.err, "Failed to find pool '%s'", c->pool ? c->pool : c->name);
    return pool;
}

/* One call on the pool: "Pool 'x' <ok>" or the libvirt error. */
static int
pool_call(struct act_call *c, virConnectPtr conn,
          int (*call)(virStoragePoolPtr pool, struct act_call *c),
          const char *verb, const char *ok)
{
    virStoragePoolPtr pool = lookup(c, conn);
    int rc;

    if (!pool)
        return -1;
    if ((rc = call(pool, c)) < 0) {
        if (!c->r.err.msg[0])
            err_virt(&c->r.err, "Failed to %s pool '%s'", verb, c->name);
    } else {
        c->result = xasprintf("Pool '%s' %s", c->name, ok);
    }
    virStoragePoolFree(pool);
    return rc < 0 ? -1 : 0;
}

static int
do_build(virStoragePoolPtr pool, struct act_call *c)
{
    unsigned int flags = 0;

    if (action_arg(c, "overwrite"))
        flags |= VIR_STORAGE_POOL_BUILD_OVERWRITE;
    if (action_arg(c, "no-overwrite"))
        flags |= VIR_STORAGE_POOL_BUILD_NO_OVERWRITE;
    return virStoragePoolBuild(pool, flags);
}

static int
do_start(virStoragePoolPtr pool, struct act_call *c)
{
    /* build, then start: what CREATE_WITH_BUILD does, in calls every
     * driver takes (the test driver refuses that flag) */
    if (action_arg(c, "build") && virStoragePoolBuild(pool, 0) < 0)
        return -1;
    return virStoragePoolCreate(pool, 0);
}

static int
do_destroy(virStoragePoolPtr pool, struct act_call *c)
{
    return virStoragePoolDestroy(pool);
}

static int
do_undefine(virStoragePoolPtr pool, struct act_call *c)
{
    return virStoragePoolUndefine(pool);
}

static int
do_autostart(virStoragePoolPtr pool, struct act_call *c)
{
    return virStoragePoolSetAutostart(pool, action_arg(c, "disable") ? 0 : 1);
}

static int
do_refresh(virStoragePoolPtr pool, struct act_call *c)
{
    return virStoragePoolRefresh(pool, 0);
}

/* A disk that lies under the directory arg (the pool may be inactive, so
 * its volume list cannot be asked for). */
static bool
under_dir(const struct dom_disk *k, const char *dir)
{
    size_t len = strlen(dir);

    return k->source && strncmp(k->source, dir, len) == 0 && k->source[len] == '/';
}

static int
do_delete(virStoragePoolPtr pool, struct act_call *c)
{
    virConnectPtr conn = virStoragePoolGetConnect(pool);
    char *xml = virStoragePoolGetXMLDesc(pool, 0);
    struct pool_info *pi = xml ? storxml_pool_parse(xml, NULL) : NULL;
    AUTOFREE char *who = pi && pi->target ? act_disk_users(conn, under_dir, pi->target, NULL, NULL) : NULL;

    free(xml);
    if (who) {
        err_set(&c->r.err, "Pool '%s' holds disks of %s: deleting it would destroy them; "
                "detach or move those disks first", c->name, who);
        storxml_pool_free(pi);
        return -1;
    }
    storxml_pool_free(pi);
    return virStoragePoolDelete(pool, 0);
}

static int
act_pool_build(struct act_call *c, virConnectPtr conn)
{
    return pool_call(c, conn, do_build, "build", "built");
}

static int
act_pool_start(struct act_call *c, virConnectPtr conn)
{
    return pool_call(c, conn, do_start, "start", "started");
}

static int
act_pool_destroy(struct act_call *c, virConnectPtr conn)
{
    return pool_call(c, conn, do_destroy, "destroy", "destroyed");
}

static int
act_pool_delete(struct act_call *c, virConnectPtr conn)
{
    return pool_call(c, conn, do_delete, "delete", "deleted");
}

static int
act_pool_undefine(struct act_call *c, virConnectPtr conn)
{
    return pool_call(c, conn, do_undefine, "undefine", "has been undefined");
}

static int
act_pool_autostart(struct act_call *c, virConnectPtr conn)
{
    bool off = action_arg(c, "disable") != NULL;

    return pool_call(c, conn, do_autostart, off ? "unmark autostart of" : "mark autostart of",
                     off ? "unmarked as autostarted" : "marked as autostarted");
}

static int
act_pool_refresh(struct act_call *c, virConnectPtr conn)
{
    return pool_call(c, conn, do_refresh, "refresh", "refreshed");
}

static int
get_xml(struct act_call *c, virConnectPtr conn, unsigned int flags)
{
    virStoragePoolPtr pool = lookup(c, conn);

    if (!pool)
        return -1;
    c->output = virStoragePoolGetXMLDesc(pool, flags);
    if (!c->output && flags) {
        virResetLastError();
        c->output = virStoragePoolGetXMLDesc(pool, 0);
    }
    virStoragePoolFree(pool);
    if (!c->output)
        return err_virt(&c->r.err, "Failed to get the XML of pool '%s'", c->name);
    return 0;
}

static int
act_pool_dumpxml(struct act_call *c, virConnectPtr conn)
{
    return get_xml(c, conn, action_arg(c, "inactive") ? VIR_STORAGE_XML_INACTIVE : 0);
}

static int
act_pool_edit(struct act_call *c, virConnectPtr conn)
{
    return get_xml(c, conn, VIR_STORAGE_XML_INACTIVE);
}

bool
act_local_host(virConnectPtr conn)
{
    char *uri = virConnectGetURI(conn);
    const char *p = uri ? strstr(uri, "://") : NULL;
    bool local = p && (p[3] == '/' || p[3] == '\0');

    free(uri);
    return local;
}

static int
act_pool_define_as(struct act_call *c, virConnectPtr conn)
{
    const char *name = action_arg(c, "name"), *type = action_arg(c, "type");
    const char *target = action_arg(c, "target");
    AUTOFREE char *xml = storxml_pool_build(name, type, target, action_arg(c, "source-host"),
                                            action_arg(c, "source-path"),
                                            action_arg(c, "source-dev"),
                                            action_arg(c, "source-name"),
                                            action_arg(c, "source-format"), &c->r.err);
    virStoragePoolPtr pool;
    struct stat st;
    bool start = action_arg(c, "start") != NULL;

    if (!xml)
        return -1;
    if ((pool = virStoragePoolLookupByName(conn, name))) {
        virStoragePoolFree(pool);
        return err_set(&c->r.err, "A pool named '%s' already exists", name);
    }
    virResetLastError();
    if (target && act_local_host(conn) && stat(target, &st) == 0 && !S_ISDIR(st.st_mode))
        return err_set(&c->r.err, "The target '%s' exists and is not a directory", target);
    if (!(pool = virStoragePoolDefineXML(conn, xml, 0)))
        return err_virt(&c->r.err, "Failed to define pool '%s'", name);
    if (start && (virStoragePoolBuild(pool, 0) < 0 || virStoragePoolCreate(pool, 0) < 0)) {
        err_virt(&c->r.err, "Pool '%s' is defined but failed to build and start", name);
        virStoragePoolFree(pool);
        return -1;
    }
    if (start && virStoragePoolSetAutostart(pool, 1) < 0)
        virResetLastError();
    c->result = xasprintf("Pool '%s' defined%s", name, start ? ", built and started" : "");
    virStoragePoolFree(pool);
    return 0;
}

static char *
ask_delete(const struct act_call *c)
{
    const struct m_pool *p = model_pool_get(c->host, c->uuid);

    /* what to do first: a long target path cuts the end of the line */
    return xasprintf("pool-delete '%s'? Type the pool's name to confirm; this deletes its "
                     "storage itself (%s%s) and everything in it:", c->name,
                     p && p->info && p->info->target ? "the directory " : "",
                     p && p->info && p->info->target ? p->info->target : "its resources");
}

static const struct act_arg a_pool[] = {
    { .name = "pool", .type = ARG_POOL, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "pool name" },
    { NULL },
};
static const struct act_arg a_pool_build[] = {
    { .name = "pool", .type = ARG_POOL, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "pool name" },
    { .name = "overwrite", .type = ARG_BOOL,
      .help = "overwrite what is there (formats a device)" },
    { .name = "no-overwrite", .type = ARG_BOOL, .help = "refuse to overwrite existing data" },
    { NULL },
};
static const struct act_arg a_pool_start[] = {
    { .name = "pool", .type = ARG_POOL, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "pool name" },
    { .name = "build", .type = ARG_BOOL, .help = "build the pool first (create its directory)" },
    { NULL },
};
static const struct act_arg a_pool_autostart[] = {
    { .name = "pool", .type = ARG_POOL, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "pool name" },
    { .name = "disable", .type = ARG_BOOL, .help = "disable autostarting" },
    { NULL },
};
static const struct act_arg a_pool_dumpxml[] = {
    { .name = "pool", .type = ARG_POOL, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "pool name" },
    { .name = "inactive", .type = ARG_BOOL, .help = "show the persistent definition" },
    { NULL },
};
static const struct act_arg a_pool_define_as[] = {
    { .name = "name", .type = ARG_STRING, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "the pool's name" },
    { .name = "type", .type = ARG_STRING, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "dir, fs, netfs or logical" },
    { .name = "target", .type = ARG_STRING,
      .help = "the directory holding the volumes (dir, fs, netfs)" },
    { .name = "source-host", .type = ARG_STRING, .help = "the NFS server (netfs)" },
    { .name = "source-path", .type = ARG_STRING, .help = "the server's export (netfs)" },
    { .name = "source-dev", .type = ARG_STRING,
      .help = "the block device (fs; logical: the PV for pool-build)" },
    { .name = "source-name", .type = ARG_STRING, .help = "the volume group (logical)" },
    { .name = "source-format", .type = ARG_STRING, .help = "file system or auto (fs, netfs)" },
    { .name = "start", .type = ARG_BOOL, .flags = ARG_VIRTMUX,
      .help = "build, start and autostart it too" },
    { NULL },
};

static void
fill_pool_define_as(struct act_fill *f)
{
    f->set(f, "type", "dir");
    f->set(f, "start", "yes");
}

/* The XML the handler would send must build. */
static int
check_pool_define_as(const struct act_fill *f, struct err *e)
{
    AUTOFREE char *xml = storxml_pool_build(f->get(f, "name"), f->get(f, "type"),
                                            f->get(f, "target"), f->get(f, "source-host"),
                                            f->get(f, "source-path"), f->get(f, "source-dev"),
                                            f->get(f, "source-name"),
                                            f->get(f, "source-format"), e);

    return xml ? 0 : -1;
}

const struct action act_storage_rows[] = {
    { .name = "pool-define-as", .target = TARGET_HOST, .flags = ACT_MUTATES,
      .args = a_pool_define_as,
      .help = "Define a pool from fields (the form: dir, fs, netfs, logical)",
      .run = act_pool_define_as, .defaults = fill_pool_define_as,
      .validate = check_pool_define_as },
    { .name = "pool-build", .target = TARGET_POOL, .flags = ACT_MUTATES | ACT_NEEDS_INACTIVE,
      .args = a_pool_build, .help = "Build a pool (create its directory, format its device)",
      .run = act_pool_build },
    { .name = "pool-start", .target = TARGET_POOL, .flags = ACT_MUTATES | ACT_NEEDS_INACTIVE,
      .args = a_pool_start, .help = "Start an inactive pool", .run = act_pool_start },
    { .name = "pool-destroy", .target = TARGET_POOL,
      .flags = ACT_MUTATES | ACT_DESTRUCTIVE | ACT_NEEDS_ACTIVE, .args = a_pool,
      .help = "Stop a pool (its data stays; guests using it lose nothing until restart)",
      .run = act_pool_destroy },
    { .name = "pool-delete", .target = TARGET_POOL,
      .flags = ACT_MUTATES | ACT_DESTRUCTIVE | ACT_CONFIRM_NAME | ACT_NEEDS_INACTIVE,
      .args = a_pool, .help = "Delete a stopped pool's storage (its directory, its data)",
      .run = act_pool_delete, .question = ask_delete },
    { .name = "pool-undefine", .target = TARGET_POOL,
      .flags = ACT_MUTATES | ACT_DESTRUCTIVE | ACT_NEEDS_PERSISTENT, .args = a_pool,
      .help = "Remove a pool's definition (its data stays)", .run = act_pool_undefine },
    { .name = "pool-autostart", .target = TARGET_POOL,
      .flags = ACT_MUTATES | ACT_NEEDS_PERSISTENT, .args = a_pool_autostart,
      .help = "Start the pool with the host (--disable: don't)", .run = act_pool_autostart },
    { .name = "pool-refresh", .target = TARGET_POOL, .flags = ACT_MUTATES | ACT_NEEDS_ACTIVE,
      .args = a_pool, .help = "Read the pool's volumes again", .run = act_pool_refresh },
    { .name = "pool-dumpxml", .target = TARGET_POOL, .args = a_pool_dumpxml,
      .help = "Show the pool's XML", .run = act_pool_dumpxml, .done = act_show_output },
    { .name = "pool-edit", .target = TARGET_POOL, .flags = ACT_MUTATES, .args = a_pool,
      .help = "Edit the pool's XML in $VISUAL/$EDITOR and define it", .run = act_pool_edit,
      .done = act_open_editor },
    { NULL },
};
