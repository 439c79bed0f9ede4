/* act-clone.c: clones and templates. clone does what virt-clone does,
 * plus linked clones: the source must be shut off or paused; the new
 * domain's XML comes from domclone (libxml2); the new definition is made
 * first, then the disks: a linked disk is a qcow2 volume backed by the
 * source image (instant), a full copy runs as a job (virStorageVolCreate-
 * XMLFrom, progress from the new volume's allocation). Whatever fails or
 * is cancelled takes back every volume made for the clone and the
 * definition. Templates are domains marked with an element in virtmux's
 * metadata namespace; deploy makes N clones of one from a name pattern. */
#include <autoconf.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <libvirt/virterror.h>

#include "act.h"
#include "domclone.h"
#include "job.h"
#include "log.h"
#include "storxml.h"

/* ---- planning a clone (worker) ---- */

struct clone_opts {
    const char *mode;        /* full (default) or linked */
    const char *disks;       /* "vda=copy,vdb=link,vdc=share" */
    const char *pool;        /* where new volumes go (default: the source's pool) */
    bool start;
};

/* The mode --disks gives target, or -1. */
static int
disk_override(const char *list, const char *target)
{
    size_t n = strlen(target);

    for (const char *p = list; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL) {
        if (strncmp(p, target, n) == 0 && p[n] == '=') {
            const char *m = p + n + 1;

            return strncmp(m, "copy", 4) == 0 ? CLONE_DISK_COPY :
                   strncmp(m, "link", 4) == 0 ? CLONE_DISK_LINK :
                   strncmp(m, "share", 5) == 0 ? CLONE_DISK_SHARE : -2;
        }
    }
    return -1;
}

/* The new volume's name: the default path's file name; a link is .qcow2. */
static char *
vol_name_for(const char *new_path, bool link)
{
    const char *base = strrchr(new_path, '/');
    char *name = xstrdup(base ? base + 1 : new_path);
    char *dot = strrchr(name, '.');

    if (link && (!dot || STRNEQ(dot, ".qcow2"))) {
        char *t;

        if (dot)
            *dot = '\0';
        t = xasprintf("%s.qcow2", name);
        free(name);
        name = t;
    }
    return name;
}

/* Fill v for disk k of the plan; 0, or -1 with e saying what to do. */
static int
plan_vol(virConnectPtr conn, struct clone_disk *k, const struct clone_opts *o,
         struct clone_vol *v, struct err *e)
{
    virStorageVolPtr src = k->source ? virStorageVolLookupByPath(conn, k->source) : NULL;
    virStoragePoolPtr pool = NULL, sp = NULL;
    virStorageVolPtr taken;
    char *x;
    struct vol_info *vi;
    struct pool_info *pi = NULL;

    if (!src) {
        virResetLastError();
        return err_set(e, "The disk %s (%s) is missing or outside any storage pool: define "
                       "a pool on its directory (pool-define-as NAME dir --target DIR) or "
                       "share it (--disks %s=share)", k->target, k->source ? k->source : "-",
                       k->target);
    }
    x = virStorageVolGetXMLDesc(src, 0);
    vi = x ? storxml_vol_parse(x, NULL) : NULL;
    free(x);
    sp = virStoragePoolLookupByVolume(src);
    virStorageVolFree(src);
    pool = o->pool ? virStoragePoolLookupByName(conn, o->pool) : sp;
    if (!pool || !vi) {
        storxml_vol_free(vi);
        if (sp)
            virStoragePoolFree(sp);
        return err_virt(e, "Failed to find pool '%s'", o->pool ? o->pool : "?");
    }
    x = virStoragePoolGetXMLDesc(pool, 0);
    pi = x ? storxml_pool_parse(x, NULL) : NULL;
    free(x);
    v->link = k->mode == CLONE_DISK_LINK;
    v->pool = xstrdup(virStoragePoolGetName(pool));
    v->name = vol_name_for(k->new_path, v->link);
    v->src = xstrdup(k->source);
    v->src_format = xstrdup(vi->format ? vi->format : "raw");
    v->format = xstrdup(v->link ? "qcow2" : v->src_format);
    v->capacity = vi->capacity;
    v->allocation = vi->allocation;
    v->path = xasprintf("%s/%s", pi && pi->target ? pi->target : "", v->name);
    storxml_vol_free(vi);
    storxml_pool_free(pi);
    if ((taken = virStorageVolLookupByName(pool, v->name))) {
        virStorageVolFree(taken);
        err_set(e, "Volume '%s' already exists in pool '%s': the clone's disk %s would "
                "overwrite it; choose another clone name", v->name, v->pool, k->target);
    }
    virResetLastError();
    if (pool != sp)
        virStoragePoolFree(pool);
    if (sp)
        virStoragePoolFree(sp);
    if (e->msg[0])
        return -1;
    free(k->new_path);
    k->new_path = xstrdup(v->path);
    free(k->new_format);
    k->new_format = xstrdup(v->format);
    return 0;
}

/* Full copies must fit in their pools. */
static int
check_space(virConnectPtr conn, const struct clone_job *j, struct err *e)
{
    for (size_t i = 0; i < j->nvols; i++) {
        unsigned long long need = 0;
        virStoragePoolPtr pool;
        virStoragePoolInfo info;

        for (size_t k = 0; k < j->nvols; k++) {
            if (!j->vols[k].link && STREQ(j->vols[k].pool, j->vols[i].pool))
                need += STREQ(j->vols[k].format, "raw") ? j->vols[k].capacity
                                                        : j->vols[k].allocation;
        }
        if (!need || !(pool = virStoragePoolLookupByName(conn, j->vols[i].pool)))
            continue;
        if (virStoragePoolGetInfo(pool, &info) == 0 && info.available < need) {
            char n[32], a[32];

            storxml_format_size(need, n, sizeof(n));
            storxml_format_size(info.available, a, sizeof(a));
            err_set(e, "No space left in pool '%s' for the copies: they need %s, it has %s",
                    j->vols[i].pool, n, a);
        }
        virStoragePoolFree(pool);
        if (e->msg[0])
            return -1;
    }
    virResetLastError();
    return 0;
}

/* The other domains' names, for uniqueness (NULL-terminated). */
static char **
taken_names(virConnectPtr conn)
{
    virDomainPtr *doms = NULL;
    int n = virConnectListAllDomains(conn, &doms, 0);
    char **v = xcalloc((size_t)(n > 0 ? n : 0) + 1, sizeof(char *));

    for (int i = 0; i < n; i++) {
        v[i] = xstrdup(virDomainGetName(doms[i]));
        virDomainFree(doms[i]);
    }
    free(doms);
    virResetLastError();
    return v;
}

/* Clone src as name: define, link, and leave full copies to a job
 * (*jobp, or NULL when nothing is left to copy). */
static int
clone_one(virConnectPtr conn, int host, virDomainPtr src, const char *name,
          const struct clone_opts *o, struct clone_job **jobp, char **summary, struct err *e)
{
    char **taken = taken_names(conn);
    char *xml = NULL, *nxml = NULL;
    struct clone_plan *plan = NULL;
    struct clone_job *j = xcalloc(1, sizeof(*j));
    virDomainPtr nd = NULL;
    size_t ncopy = 0, nlink = 0;
    int rc = -1;

    *jobp = NULL;
    j->host = host;
    j->name = xstrdup(name);
    j->src_name = xstrdup(virDomainGetName(src));
    j->start = o->start;
    if (domclone_check_name(name, (const char *const *)taken, e) < 0)
        goto out;
    if (!(xml = virDomainGetXMLDesc(src, VIR_DOMAIN_XML_INACTIVE | VIR_DOMAIN_XML_SECURE))) {
        virResetLastError();
        xml = virDomainGetXMLDesc(src, VIR_DOMAIN_XML_INACTIVE);
    }
    if (!xml) {
        err_virt(e, "Failed to read the XML of '%s'", j->src_name);
        goto out;
    }
    if (!(plan = domclone_plan(xml, name, e)))
        goto out;
    j->vols = xcalloc(plan->ndisks + 1, sizeof(*j->vols));
    for (size_t i = 0; i < plan->ndisks; i++) {
        struct clone_disk *k = &plan->disks[i];
        int m = o->disks && k->target ? disk_override(o->disks, k->target) : -1;

        if (m == -2) {
            err_set(e, "--disks: say copy, link or share for %s", k->target);
            goto out;
        }
        if (m >= 0)
            k->mode = m;
        else if (k->mode == CLONE_DISK_COPY && o->mode && STREQ(o->mode, "linked"))
            k->mode = CLONE_DISK_LINK;
        if (k->mode == CLONE_DISK_SHARE)
            continue;
        if (!k->new_path)
            k->new_path = domclone_default_path(k->source, j->src_name, name, k->target);
        if (plan_vol(conn, k, o, &j->vols[j->nvols], e) < 0) {
            j->nvols++;
            goto out;
        }
        ncopy += !j->vols[j->nvols].link;
        nlink += j->vols[j->nvols].link;
        j->nvols++;
    }
    for (size_t a = 0; a < j->nvols; a++) {
        for (size_t b = a + 1; b < j->nvols; b++) {
            if (STREQ(j->vols[a].path, j->vols[b].path)) {
                err_set(e, "Two of the clone's disks would both be %s", j->vols[a].path);
                goto out;
            }
        }
    }
    if (check_space(conn, j, e) < 0)
        goto out;
    /* the NVRAM (UEFI variables) is copied where this machine reaches the
     * file; elsewhere (a remote host) the clone starts from the firmware's
     * template, as libvirt does for a new domain */
    if (plan->nvram && plan->new_nvram &&
        (!act_local_host(conn) || util_copy_file(plan->nvram, plan->new_nvram) < 0)) {
        free(plan->new_nvram);
        plan->new_nvram = NULL;
    }
    if (!(nxml = domclone_rewrite(xml, plan, e)) ||
        !(nd = virDomainDefineXMLFlags(conn, nxml, VIR_DOMAIN_DEFINE_VALIDATE))) {
        if (nxml)
            err_virt(e, "Failed to define the clone '%s'", name);
        if (plan->new_nvram)
            unlink(plan->new_nvram);
        goto out;
    }
    for (size_t i = 0; i < j->nvols; i++) {
        if (j->vols[i].link && act_clone_make_vol(conn, &j->vols[i], e) < 0) {
            act_clone_take_back(conn, j);
            goto out;
        }
    }
    *summary = xasprintf("Domain '%s' cloned from '%s' (%zu disk%s linked, %zu to copy%s%s)",
                         name, j->src_name, nlink, nlink == 1 ? "" : "s", ncopy,
                         !plan->nvram ? "" : plan->new_nvram ? "; NVRAM copied"
                                                             : "; NVRAM fresh from the firmware template",
                         ncopy ? "" : o->start ? ", started" : "");
    if (ncopy) {
        j->title = xasprintf("clone %s -> %s (%zu disk%s)", j->src_name, name, ncopy,
                             ncopy == 1 ? "" : "s");
        *jobp = j;
        j = NULL;
    } else if (o->start && virDomainCreate(nd) < 0) {
        err_virt(e, "Domain '%s' is cloned but failed to start", name);
        free(*summary);
        *summary = NULL;
        goto out;
    }
    rc = 0;
 out:
    if (nd)
        virDomainFree(nd);
    act_clone_job_free(j);
    domclone_plan_free(plan);
    free(xml);
    free(nxml);
    util_strv_free(taken);
    return rc;
}

/* Jobs made on the worker start on the loop (the done hook). */
struct clone_result {
    struct clone_job **jobs;
    size_t n;
    char **sysprep;          /* deploy --sysprep: these, then start them */
    bool sysprep_start;
};

static void
add_job(struct act_call *c, struct clone_job *j)
{
    struct clone_result *r = c->data ? c->data : xcalloc(1, sizeof(*r));

    r->jobs = xreallocarray(r->jobs, r->n + 1, sizeof(*r->jobs));
    r->jobs[r->n++] = j;
    j->job_id = job_reserve_id();
    c->data = r;
}

static void
clone_done(struct act_call *c)
{
    struct clone_result *r = c->data;

    for (size_t i = 0; r && i < r->n; i++) {
        act_clone_job_start(r->jobs[i]);
    }
    if (r && r->sysprep)
        act_sysprep_start(c->host, r->sysprep, r->sysprep_start);
    if (r) {
        free(r->jobs);
        free(r);
    }
    c->data = NULL;
    host_load_pools(c->host);
}

static virDomainPtr
clone_source(struct act_call *c, virConnectPtr conn)
{
    virDomainPtr dom = act_domain_lookup(c, conn);
    int state, reason;

    if (!dom)
        return NULL;
    if (virDomainGetState(dom, &state, &reason, 0) == 0 && state != VIR_DOMAIN_SHUTOFF &&
        state != VIR_DOMAIN_PAUSED) {
        err_set(&c->r.err, "Domain '%s' is running: shut it down (or pause it) before "
                "cloning; its disks change under a copy", c->name);
        virDomainFree(dom);
        return NULL;
    }
    return dom;
}

static void
opts_of(struct act_call *c, struct clone_opts *o)
{
    o->mode = action_arg(c, "mode");
    o->disks = action_arg(c, "disks");
    o->pool = action_arg(c, "pool");
    o->start = action_arg(c, "start") != NULL;
}

static int
act_clone(struct act_call *c, virConnectPtr conn)
{
    struct clone_opts o;
    struct clone_job *j = NULL;
    virDomainPtr src;
    char **taken;
    AUTOFREE char *name = NULL;
    AUTOFREE char *base = NULL;
    char *summary = NULL;
    int rc;

    opts_of(c, &o);
    if (o.mode && STRNEQ(o.mode, "full") && STRNEQ(o.mode, "linked"))
        return err_set(&c->r.err, "The mode '%s' is not full or linked", o.mode);
    if (!(src = clone_source(c, conn)))
        return -1;
    taken = taken_names(conn);
    base = xasprintf("%s-clone", c->name);
    name = action_arg(c, "name") ? xstrdup(action_arg(c, "name"))
                                 : domclone_unique_name(base, (const char *const *)taken);
    util_strv_free(taken);
    rc = clone_one(conn, c->host, src, name, &o, &j, &summary, &c->r.err);
    virDomainFree(src);
    if (rc < 0)
        return -1;
    if (j) {
        add_job(c, j);
        c->result = xasprintf("%s: copying as job %d", summary, j->job_id);
        free(summary);
    } else {
        c->result = summary;
    }
    return 0;
}

static int
act_deploy(struct act_call *c, virConnectPtr conn)
{
    struct clone_opts o;
    struct err e;
    char **names = domclone_expand_pattern(action_arg(c, "pattern"), &e);
    char **taken;
    virDomainPtr src;
    size_t n = 0, made = 0;

    if (!names)
        return err_set(&c->r.err, "%s", e.msg);
    opts_of(c, &o);
    if (!o.mode)
        o.mode = "linked";
    if (action_arg(c, "sysprep") && STREQ(o.mode, "full")) {
        util_strv_free(names);
        return err_set(&c->r.err, "--sysprep runs on linked clones (their disks exist at "
                       "once); full copies: deploy first, then virt-sysprep each");
    }
    if (action_arg(c, "sysprep") && act_sysprep_check(c, conn) < 0) {
        util_strv_free(names);
        return -1;
    }
    /* sysprepped clones start after virt-sysprep, not now */
    if (action_arg(c, "sysprep"))
        o.start = false;
    taken = taken_names(conn);
    /* every name is checked before the first clone is made */
    for (; names[n]; n++) {
        if (domclone_check_name(names[n], (const char *const *)taken, &c->r.err) < 0) {
            util_strv_free(taken);
            util_strv_free(names);
            return -1;
        }
    }
    util_strv_free(taken);
    if (!(src = clone_source(c, conn))) {
        util_strv_free(names);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        struct clone_job *j = NULL;
        char *summary = NULL;

        if (clone_one(conn, c->host, src, names[i], &o, &j, &summary, &c->r.err) < 0)
            break;
        if (j)
            add_job(c, j);
        free(summary);
        made++;
    }
    virDomainFree(src);
    if (made < n && !made) {
        util_strv_free(names);
        return -1;
    }
    if (action_arg(c, "sysprep")) {
        /* the clones made, for the virt-sysprep job the done hook starts */
        struct clone_result *r = c->data ? c->data : xcalloc(1, sizeof(*r));

        r->sysprep = xcalloc(made + 1, sizeof(char *));
        for (size_t i = 0; i < made; i++)
            r->sysprep[i] = xstrdup(names[i]);
        r->sysprep_start = action_arg(c, "start") != NULL;
        c->data = r;
    }
    if (made < n) {
        /* what was made stays (each clone is whole, its copies run); say
         * where it stopped */
        c->result = xasprintf("Deployed only %zu of %zu clones of '%s'; then: %s", made, n,
                              c->name, c->r.err.msg);
        c->r.err.msg[0] = '\0';
        util_strv_free(names);
        return 0;
    }
    c->result = xasprintf("Deployed %zu %s clone%s of '%s': %s%s%s%s", n, o.mode,
                          n == 1 ? "" : "s", c->name, names[0], n > 1 ? " .. " : "",
                          n > 1 ? names[n - 1] : "",
                          action_arg(c, "sysprep") ? "; virt-sysprep runs on them as a job" : "");
    util_strv_free(names);
    return 0;
}

static const struct act_arg a_clone[] = {
    { .name = "domain", .type = ARG_DOMAIN, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "the source (shut off or paused)" },
    { .name = "name", .type = ARG_STRING,
      .help = "the clone's name (default: NAME-clone, made unique)" },
    { .name = "mode", .type = ARG_STRING,
      .help = "full (copies, default) or linked (qcow2 overlays, instant)" },
    { .name = "disks", .type = ARG_STRING, .help = "per disk: vda=copy,vdb=link,vdc=share" },
    { .name = "pool", .type = ARG_POOL,
      .help = "the pool for new disks (default: each source's own)" },
    { .name = "start", .type = ARG_BOOL, .help = "start the clone when it is made" },
    { NULL },
};
static const struct act_arg a_deploy[] = {
    { .name = "domain", .type = ARG_DOMAIN, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "the template" },
    { .name = "pattern", .type = ARG_STRING, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "names, like web{01..04}" },
    { .name = "mode", .type = ARG_STRING, .help = "linked (default) or full" },
    { .name = "pool", .type = ARG_POOL,
      .help = "the pool for new disks (default: each source's own)" },
    { .name = "start", .type = ARG_BOOL, .help = "start each clone" },
    { .name = "sysprep", .type = ARG_BOOL,
      .help = "run virt-sysprep on each (linked) before any starts" },
    { NULL },
};
/* The form's first values: NAME-clone (NAME-clone-N when taken), full. */
static void
fill_clone(struct act_fill *f)
{
    AUTOFREE char *base = NULL;
    char name[256];

    if (!f->domain)
        return;
    base = xasprintf("%s-clone", f->domain);
    snprintf(name, sizeof(name), "%s", base);
    for (int n = 1; model_dom_by_name(f->host, name) && n < 1000; n++)
        snprintf(name, sizeof(name), "%s-%d", base, n);
    f->set(f, "name", name);
    f->set(f, "mode", "full");
}

/* NAME{01..03} (a "-template" suffix left out), linked. */
static void
fill_deploy(struct act_fill *f)
{
    AUTOFREE char *base = NULL;
    AUTOFREE char *pattern = NULL;
    char *suffix;

    if (!f->domain)
        return;
    base = xstrdup(f->domain);
    if ((suffix = strstr(base, "-template")))
        *suffix = '\0';
    pattern = xasprintf("%s{01..03}", base);
    f->set(f, "pattern", pattern);
    f->set(f, "mode", "linked");
}

const struct action act_clone_rows[] = {
    { .name = "clone", .target = TARGET_DOMAIN, .flags = ACT_MUTATES | ACT_NO_VIRSH,
      .args = a_clone,
      .help = "Clone a shut-off domain: full copies (a job) or linked qcow2 overlays, as "
              "virt-clone",
      .run = act_clone, .done = clone_done, .defaults = fill_clone },
    { .name = "deploy", .target = TARGET_DOMAIN, .flags = ACT_MUTATES | ACT_NO_VIRSH,
      .args = a_deploy,
      .help = "Make clones of a template from a name pattern (linked by default)",
      .run = act_deploy, .done = clone_done, .defaults = fill_deploy },
    { .name = NULL },
};
