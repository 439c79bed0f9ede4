/* test-clone.c: clones and templates of the real src/ code against
 * libvirt's test driver: full clones (a job), linked clones (qcow2
 * overlays backed by the source's images, no job), per-disk overrides,
 * default names, every refusal with nothing half made, deploy from a
 * pattern, the template mark in the model, and the guards that keep
 * linked clones safe (start of a template asks, start of a base and
 * vol-delete of a base are refused).
 *
 * Fixture: tests/data/clone-host.xml (see its header). What was made is
 * read back through the host's own connection (host_conn_ref), so the
 * test sees the definitions and volumes libvirt holds, not only what the
 * model says. The tests run in order and each says what it changed. */
#include <autoconf.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libvirt/virterror.h>

#include "job.h"
#include "modeltest.h"

#define DEF "/srv/clone/default"
#define GIB (1024ULL * 1024 * 1024)
#define WEB_UUID "00000000-0000-4000-e000-000000000001"
#define APP "app 'q' <&> \xc3\xbcn\xc3\xaf"      /* app 'q' <&> ünï */

static char *uri_c;
static int host_c = -1;

/* ---- reading libvirt's side ---- */

/* The inactive XML of the domain called name, or NULL (caller frees). */
static char *
dom_xml(int host, const char *name)
{
    virConnectPtr conn = host_conn_ref(host);
    virDomainPtr dom = conn ? virDomainLookupByName(conn, name) : NULL;
    char *xml = dom ? virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE) : NULL;

    if (dom)
        virDomainFree(dom);
    if (conn)
        virConnectClose(conn);
    virResetLastError();
    return xml;
}

static bool
dom_exists(int host, const char *name)
{
    AUTOFREE char *xml = dom_xml(host, name);

    return xml != NULL;
}

/* The XML of the volume at path, or NULL (caller frees). */
static char *
vol_xml(int host, const char *path)
{
    virConnectPtr conn = host_conn_ref(host);
    virStorageVolPtr v = conn ? virStorageVolLookupByPath(conn, path) : NULL;
    char *xml = v ? virStorageVolGetXMLDesc(v, 0) : NULL;

    if (v)
        virStorageVolFree(v);
    if (conn)
        virConnectClose(conn);
    virResetLastError();
    return xml;
}

/* The volume at path as storxml reads it (caller frees), failing the test
 * when there is none. */
static struct vol_info *
vol_at(int host, const char *path)
{
    AUTOFREE char *xml = vol_xml(host, path);
    struct vol_info *vi = xml ? storxml_vol_parse(xml, NULL) : NULL;

    if (!vi)
        fail_msg("no volume at %s", path);
    return vi;
}

static bool
vol_exists(int host, const char *path)
{
    AUTOFREE char *xml = vol_xml(host, path);

    return xml != NULL;
}

/* Every domain and every volume of every pool, as libvirt counts them. */
static void
count_all(int host, int *doms, int *vols)
{
    virConnectPtr conn = host_conn_ref(host);
    virStoragePoolPtr *pools = NULL;
    int np;

    assert_non_null(conn);
    *doms = virConnectNumOfDomains(conn) + virConnectNumOfDefinedDomains(conn);
    *vols = 0;
    np = virConnectListAllStoragePools(conn, &pools, 0);
    for (int i = 0; i < np; i++) {
        *vols += virStoragePoolNumOfVolumes(pools[i]);
        virStoragePoolFree(pools[i]);
    }
    free(pools);
    virConnectClose(conn);
}

/* The disk of the XML whose target is dev: its <disk> element's text. */
static char *
disk_of(const char *xml, const char *dev)
{
    AUTOFREE char *needle = xasprintf("<target dev='%s'", dev);
    const char *t = strstr(xml, needle), *start, *end;

    if (!t)
        fail_msg("no disk %s in:\n%s", dev, xml);
    for (start = t; start > xml && !STRPREFIX(start, "<disk "); start--)
        ;
    end = strstr(t, "</disk>");
    assert_non_null(end);
    return xstrndup(start, (size_t)(end - start));
}

/* The MAC addresses in the XML, space-separated (caller frees). */
static char *
macs_of(const char *xml)
{
    char *out = xstrdup("");

    for (const char *p = xml; (p = strstr(p, "<mac address='")); p++) {
        char *t = xasprintf("%s%.17s ", out, p + 14);

        free(out);
        out = t;
    }
    return out;
}

static char *
uuid_of(const char *xml)
{
    const char *p = strstr(xml, "<uuid>");

    assert_non_null(p);
    return xstrndup(p + 6, 36);
}

/* ---- the model ---- */

static struct m_pool *
pool(int host, const char *name)
{
    struct m_pool *p = model_pool_by_name(host, name);

    if (!p)
        fail_msg("no pool '%s' in the model", name);
    return p;
}

static bool
dom_in_model(void *arg)
{
    return model_dom_by_name(host_c, (const char *)arg) != NULL;
}

static void
wait_dom(const char *name)
{
    if (!wait_for(dom_in_model, (void *)name, WAIT_MS))
        fail_msg("domain '%s' did not appear; last: %s", name,
                 log_last() ? log_last()->text : "-");
}

struct tmpl_want {
    const char *name;
    int tmpl;
};

static bool
tmpl_is(void *arg)
{
    const struct tmpl_want *w = arg;
    const struct m_dom *d = model_dom_by_name(host_c, w->name);

    return d && d->tmpl == w->tmpl;
}

static void
wait_tmpl(const char *name, int tmpl)
{
    struct tmpl_want w = { name, tmpl };

    if (!wait_for(tmpl_is, &w, WAIT_MS))
        fail_msg("domain '%s' is not tmpl=%d in the model (%d); last: %s", name, tmpl,
                 model_dom_by_name(host_c, name) ? model_dom_by_name(host_c, name)->tmpl : -9,
                 log_last() ? log_last()->text : "-");
}

static bool
job_ended(void *arg)
{
    const struct job *j = job_get(*(int *)arg);

    return j && j->state != JOB_RUNNING;
}

/* ---- dispatching ---- */

/* Run line on host and wait for the message that says it was done. */
static void
run_done_on(int host, const char *line, const char *said)
{
    run_until_said(host, line, said);
    for (size_t i = log_mark; i < log_count(); i++) {
        if (log_get(i)->level == LOG_ERROR)
            fail_msg("'%s' logged an error: %s", line, log_get(i)->text);
    }
}

static void
run_done(const char *line, const char *said)
{
    run_done_on(host_c, line, said);
}

/* The clone line starts a copy job: its id, once the job has ended well
 * and said "Domain 'name' cloned from 'src' (SIZE in TIME)". */
static int
run_job(const char *line, const char *name, const char *src)
{
    AUTOFREE char *want = xasprintf("Domain '%s' cloned from '%s' (", name, src);
    const char *p = NULL;
    size_t mark;
    int id = 0;

    run_done(line, ": copying as job ");
    for (size_t i = log_mark; i < log_count() && !p; i++)
        p = strstr(log_get(i)->text, ": copying as job ");
    assert_non_null(p);
    id = atoi(p + strlen(": copying as job "));
    assert_true(id > 0);
    assert_non_null(job_get(id));
    if (!wait_for(job_ended, &id, WAIT_MS))
        fail_msg("job %d of '%s' did not end", id, line);
    if (job_get(id)->state != JOB_DONE)
        fail_msg("job %d of '%s' is %s: %s", id, line, job_state_name(job_get(id)->state),
                 job_get(id)->error ? job_get(id)->error : "-");
    /* the job's own line: its summary, not the dispatcher's "to copy" */
    mark = log_mark;
    wait_logged(want);
    for (size_t i = mark; i < log_count(); i++) {
        const char *t = log_get(i)->text;

        if (STRPREFIX(t, want) && !strstr(t, "to copy"))
            p = t;
    }
    if (!strstr(p, " in "))
        fail_msg("no job summary for '%s'; last: %s", name, log_last()->text);
    settle(host_c);
    return id;
}

/* The line is refused (at once or by the worker) with why; afterwards
 * libvirt holds the same domains and volumes as before, and no domain
 * named made. */
static void
refused(const char *line, const char *why, const char *made)
{
    struct act_ctx ctx = { host_c, NULL };
    int doms, vols, doms2, vols2;
    size_t jobs = job_count();
    bool found = false;

    settle(host_c);
    count_all(host_c, &doms, &vols);
    log_mark = log_count();
    if (action_run_line(line, &ctx) == 0)
        wait_logged(why);
    for (size_t i = log_mark; i < log_count(); i++) {
        if (strstr(log_get(i)->text, why)) {
            assert_int_equal(log_get(i)->level, LOG_ERROR);
            found = true;
        }
    }
    if (!found)
        fail_msg("'%s' was not refused with \"%s\"; last: %s", line, why,
                 log_last() ? log_last()->text : "-");
    settle(host_c);
    count_all(host_c, &doms2, &vols2);
    if (doms2 != doms || vols2 != vols)
        fail_msg("'%s' left something behind: %d domains (were %d), %d volumes (were %d)",
                 line, doms2, doms, vols2, vols);
    assert_int_equal(job_count(), jobs);
    if (made && (dom_exists(host_c, made) || model_dom_by_name(host_c, made)))
        fail_msg("'%s' left the domain '%s' behind", line, made);
}

/* ---- setup ---- */

static int
setup(void **state)
{
    if (modeltest_init() < 0 || !modeltest_host_start("clone-host.xml", &host_c, &uri_c))
        return -1;
    /* as the storage view does: volumes (and who backs whom) in the model */
    host_load_volumes(host_c);
    return 0;
}

static int
teardown(void **state)
{
    modeltest_settle_all();
    job_shutdown_all(5000);
    host_shutdown_all();
    job_free_all();
    modeltest_free();
    free(uri_c);
    return 0;
}

/* ---- tests ---- */

/* The fixture as the model holds it: the template mark read from the
 * metadata libvirt keeps. */
static void
test_load(void **state)
{
    const struct m_host *h = model_host_get(host_c);
    size_t n;

    if (h->state != HOST_UP)
        fail_msg("clone-host.xml is %s: %s", model_host_state_name(h->state),
                 h->reason ? h->reason : "-");
    settle(host_c);
    model_doms(host_c, &n);
    assert_int_equal(n, 10);
    wait_tmpl("golden-template", 1);
    wait_tmpl("web", 0);
    wait_tmpl(APP, 0);
    assert_int_equal(model_dom_by_name(host_c, "web")->state, VIR_DOMAIN_SHUTOFF);
    assert_int_equal(model_dom_by_name(host_c, "paused01")->state, VIR_DOMAIN_PAUSED);
    assert_int_equal(model_dom_by_name(host_c, "run01")->state, VIR_DOMAIN_RUNNING);
    assert_int_equal(pool(host_c, "default")->nvols, 6);
    assert_int_equal(pool(host_c, "fast")->nvols, 0);
}

/* A full clone: a job copies each disk into a new volume of the same
 * format; the definition is new (UUID, MACs, ports), the cdrom shared. */
static void
test_full_clone(void **state)
{
    AUTOFREE char *src = dom_xml(host_c, "web");
    AUTOFREE char *xml = NULL;
    AUTOFREE char *uuid = NULL;
    AUTOFREE char *macs = NULL;
    AUTOFREE char *vda = NULL;
    AUTOFREE char *vdb = NULL;
    AUTOFREE char *sda = NULL;
    struct vol_info *vi;
    const struct job *j;
    struct m_dom *d;
    int id;

    assert_non_null(src);
    id = run_job("clone web --name web-full", "web-full", "web");
    j = job_get(id);
    assert_string_equal(j->title, "clone web -> web-full (2 disks)");
    assert_int_equal(j->total, 6 * GIB);        /* the allocations: 2 GiB + 4 GiB */

    xml = dom_xml(host_c, "web-full");
    if (!xml)
        fail_msg("no domain web-full after the job");
    uuid = uuid_of(xml);
    assert_string_not_equal(uuid, WEB_UUID);
    /* libvirt made new MACs: two, neither the source's */
    macs = macs_of(xml);
    assert_int_equal(strlen(macs), 2 * 18);
    assert_null(strstr(macs, "52:54:00:ee:00:01"));
    assert_null(strstr(macs, "52:54:00:ee:00:02"));
    assert_non_null(strstr(src, "52:54:00:ee:00:01"));
    /* the fixed VNC port became automatic; the serial log is its own */
    assert_null(strstr(xml, "port='5901'"));
    assert_non_null(strstr(xml, "autoport='yes'"));
    assert_null(strstr(xml, "/var/log/vm/web-serial.log"));

    vda = disk_of(xml, "vda");
    assert_non_null(strstr(vda, "<source file='" DEF "/web-full.qcow2'/>"));
    assert_non_null(strstr(vda, "type='qcow2'"));
    vdb = disk_of(xml, "vdb");
    assert_non_null(strstr(vdb, "<source file='" DEF "/web-full-data.raw'/>"));
    assert_non_null(strstr(vdb, "type='raw'"));
    sda = disk_of(xml, "sda");
    assert_non_null(strstr(sda, "<source file='/srv/clone/isos/installer.iso'/>"));

    /* the new volumes exist, of the source's formats, not overlays */
    vi = vol_at(host_c, DEF "/web-full.qcow2");
    assert_string_equal(vi->format, "qcow2");
    assert_int_equal(vi->capacity, 20 * GIB);
    assert_null(vi->backing);
    storxml_vol_free(vi);
    vi = vol_at(host_c, DEF "/web-full-data.raw");
    assert_string_equal(vi->format, "raw");
    assert_int_equal(vi->capacity, 4 * GIB);
    assert_null(vi->backing);
    storxml_vol_free(vi);
    assert_false(vol_exists(host_c, "/srv/clone/isos/web-full.iso"));

    /* and the model follows: the domain, the volumes */
    wait_dom("web-full");
    d = model_dom_by_name(host_c, "web-full");
    assert_string_equal(d->uuid, uuid);
    assert_int_equal(d->state, VIR_DOMAIN_SHUTOFF);
    assert_true(d->persistent);
    assert_non_null(model_vol_get(pool(host_c, "default"), "web-full.qcow2"));
    assert_non_null(model_vol_get(pool(host_c, "default"), "web-full-data.raw"));
    /* the source is as it was */
    {
        AUTOFREE char *again = dom_xml(host_c, "web");

        assert_string_equal(again, src);
    }
}

/* A linked clone: at once, no job; every disk a new qcow2 volume backed
 * by the source's image, whatever its format. */
static void
test_linked_clone(void **state)
{
    size_t jobs = job_count();
    AUTOFREE char *xml = NULL;
    AUTOFREE char *vda = NULL;
    AUTOFREE char *vdb = NULL;
    struct vol_info *vi;
    struct m_vol *base;

    run_done("clone web --name web-link --mode linked",
             "Domain 'web-link' cloned from 'web' (2 disks linked, 0 to copy)");
    assert_null(strstr(log_last()->text, "job"));
    assert_int_equal(job_count(), jobs);
    /* defined and linked before the command returned */
    xml = dom_xml(host_c, "web-link");
    assert_non_null(xml);
    vda = disk_of(xml, "vda");
    assert_non_null(strstr(vda, "<source file='" DEF "/web-link.qcow2'/>"));
    assert_non_null(strstr(vda, "type='qcow2'"));
    vdb = disk_of(xml, "vdb");
    assert_non_null(strstr(vdb, "<source file='" DEF "/web-link-data.qcow2'/>"));
    assert_non_null(strstr(vdb, "type='qcow2'"));

    vi = vol_at(host_c, DEF "/web-link.qcow2");
    assert_string_equal(vi->format, "qcow2");
    assert_string_equal(vi->backing, DEF "/web.qcow2");
    assert_string_equal(vi->backing_format, "qcow2");
    assert_int_equal(vi->capacity, 20 * GIB);
    storxml_vol_free(vi);
    vi = vol_at(host_c, DEF "/web-link-data.qcow2");
    assert_string_equal(vi->format, "qcow2");
    assert_string_equal(vi->backing, DEF "/web-data.raw");
    assert_string_equal(vi->backing_format, "raw");
    assert_int_equal(vi->capacity, 4 * GIB);
    storxml_vol_free(vi);

    /* the model knows who backs whom */
    wait_dom("web-link");
    settle(host_c);
    base = model_vol_get(pool(host_c, "default"), "web.qcow2");
    assert_non_null(base);
    assert_non_null(base->dependents);
    assert_non_null(strstr(base->dependents, "web-link.qcow2"));
    assert_non_null(strstr(model_vol_get(pool(host_c, "default"), "web-data.raw")->dependents,
                           "web-link-data.qcow2"));
}

/* --disks decides per disk; --pool puts the new volumes elsewhere. */
static void
test_disk_overrides(void **state)
{
    AUTOFREE char *xml = NULL;
    AUTOFREE char *vdb = NULL;
    AUTOFREE char *xml2 = NULL;
    AUTOFREE char *vda2 = NULL;
    struct vol_info *vi;

    /* vda linked, vdb shared: one volume made, vdb is the source's */
    run_done("clone web --name web-mix --disks vda=link,vdb=share",
             "Domain 'web-mix' cloned from 'web' (1 disk linked, 0 to copy)");
    xml = dom_xml(host_c, "web-mix");
    assert_non_null(xml);
    vdb = disk_of(xml, "vdb");
    assert_non_null(strstr(vdb, "<source file='" DEF "/web-data.raw'/>"));
    assert_false(vol_exists(host_c, DEF "/web-mix-data.raw"));
    assert_false(vol_exists(host_c, DEF "/web-mix-data.qcow2"));
    vi = vol_at(host_c, DEF "/web-mix.qcow2");
    assert_string_equal(vi->backing, DEF "/web.qcow2");
    storxml_vol_free(vi);

    /* linked, but vdb copied: a job for that one disk */
    run_job("clone web --name web-mix2 --mode linked --disks vdb=copy", "web-mix2", "web");
    assert_non_null(strstr(job_get((int)job_count())->title, "(1 disk)"));
    vi = vol_at(host_c, DEF "/web-mix2.qcow2");
    assert_string_equal(vi->backing, DEF "/web.qcow2");
    storxml_vol_free(vi);
    vi = vol_at(host_c, DEF "/web-mix2-data.raw");
    assert_string_equal(vi->format, "raw");
    assert_null(vi->backing);
    storxml_vol_free(vi);

    /* into another pool: the overlays live there, backed by the originals */
    run_done("clone web --name web-fast --mode linked --pool fast",
             "Domain 'web-fast' cloned from 'web' (2 disks linked");
    xml2 = dom_xml(host_c, "web-fast");
    assert_non_null(xml2);
    vda2 = disk_of(xml2, "vda");
    assert_non_null(strstr(vda2, "<source file='/srv/clone/fast/web-fast.qcow2'/>"));
    vi = vol_at(host_c, "/srv/clone/fast/web-fast.qcow2");
    assert_string_equal(vi->backing, DEF "/web.qcow2");
    storxml_vol_free(vi);
    assert_false(vol_exists(host_c, DEF "/web-fast.qcow2"));

    refused("clone web --name web-bad --disks vda=move", "--disks: say copy, link or share "
            "for vda", "web-bad");
}

/* No --name: NAME-clone, then NAME-clone-1. */
static void
test_default_names(void **state)
{
    run_done("clone web --mode linked", "Domain 'web-clone' cloned from 'web'");
    assert_true(dom_exists(host_c, "web-clone"));
    assert_true(vol_exists(host_c, DEF "/web-clone.qcow2"));
    run_done("clone web --mode linked", "Domain 'web-clone-1' cloned from 'web'");
    assert_true(dom_exists(host_c, "web-clone-1"));
    assert_true(vol_exists(host_c, DEF "/web-clone-1.qcow2"));
    assert_true(vol_exists(host_c, DEF "/web-clone-1-data.qcow2"));
    wait_dom("web-clone-1");
}

/* Everything that cannot work is refused before anything is made. */
static void
test_refusals(void **state)
{
    refused("clone run01 --name run-copy", "Domain 'run01' is running: shut it down (or pause "
            "it) before cloning", "run-copy");
    refused("clone web --name web-full", "A domain named 'web-full' already exists", NULL);
    refused("clone web --name run01 --mode linked", "A domain named 'run01' already exists",
            NULL);
    refused("clone web --name ''", "A domain needs a name", NULL);
    refused("clone web --name a/b", "The domain name 'a/b' contains a '/'", "a/b");
    refused("clone web --name x --mode thin", "The mode 'thin' is not full or linked", "x");

    /* storage that is not a volume: it says what to do */
    refused("clone stray --name stray2", "The disk vda (/opt/elsewhere/stray.img) is missing "
            "or outside any storage pool", "stray2");
    assert_non_null(strstr(log_last()->text, "pool-define-as"));
    assert_non_null(strstr(log_last()->text, "--disks vda=share"));
    refused("clone ghost --name ghost2 --mode linked", "The disk vda (" DEF "/ghost.qcow2) is "
            "missing", "ghost2");
    /* ... and what it says works */
    run_done("clone stray --name stray2 --disks vda=share",
             "Domain 'stray2' cloned from 'stray' (0 disks linked, 0 to copy)");

    /* a volume of the clone's would overwrite one already there: the
     * second disk's name is taken, so not even the first is made */
    run_done("vol-create-as default web-taken-data.raw 1G --format raw",
             "Vol web-taken-data.raw created");
    refused("clone web --name web-taken", "Volume 'web-taken-data.raw' already exists in pool "
            "'default': the clone's disk vdb would overwrite it", "web-taken");
    refused("clone web --name web-taken --mode linked --disks vdb=copy",
            "Volume 'web-taken-data.raw' already exists", "web-taken");
    assert_false(vol_exists(host_c, DEF "/web-taken.qcow2"));
    {
        struct vol_info *vi = vol_at(host_c, DEF "/web-taken-data.raw");

        assert_int_equal(vi->capacity, 1 * GIB);     /* untouched */
        storxml_vol_free(vi);
    }

    /* copies that do not fit: refused with the sizes */
    {
        unsigned long long avail;
        AUTOFREE char *fill = NULL;
        char size[32];

        settle(host_c);
        avail = pool(host_c, "default")->available;
        /* leave 3 GiB: the copies of web need 2 GiB (qcow2) + 4 GiB (raw) */
        snprintf(size, sizeof(size), "%lluM", (avail - 3 * GIB) / (1024 * 1024));
        fill = xasprintf("vol-create-as default filler.raw %s --allocation %s --format raw",
                         size, size);
        run_done(fill, "Vol filler.raw created");
        refused("clone web --name web-big", "No space left in pool 'default' for the copies: "
                "they need 6 GiB", "web-big");
        /* a linked clone needs no space */
        run_done("clone web --name web-small --mode linked",
                 "Domain 'web-small' cloned from 'web'");
        run_done("vol-delete filler.raw --pool default", "Vol filler.raw deleted");
    }
}

/* A paused source is as good as a shut-off one. */
static void
test_paused_source(void **state)
{
    struct vol_info *vi;

    run_done("clone paused01 --name paused-copy --mode linked",
             "Domain 'paused-copy' cloned from 'paused01'");
    vi = vol_at(host_c, DEF "/paused-copy.qcow2");
    assert_string_equal(vi->backing, DEF "/paused01.qcow2");
    storxml_vol_free(vi);
    wait_dom("paused-copy");
    assert_int_equal(model_dom_by_name(host_c, "paused-copy")->state, VIR_DOMAIN_SHUTOFF);
    assert_int_equal(model_dom_by_name(host_c, "paused01")->state, VIR_DOMAIN_PAUSED);
}

/* Awkward names clone like any other. */
static void
test_hostile_names(void **state)
{
    struct vol_info *vi;

    AUTOFREE char *q = util_shell_quote(APP);
    AUTOFREE char *line = xasprintf("clone %s --mode linked", q);

    run_done(line, "Domain '" APP "-clone' cloned from '" APP "' (1 disk linked");
    vi = vol_at(host_c, DEF "/" APP "-clone.qcow2");
    assert_string_equal(vi->backing, DEF "/" APP ".qcow2");
    storxml_vol_free(vi);
    wait_dom(APP "-clone");
    run_done("clone --name dash2 -- -dash", "Domain 'dash2' cloned from '-dash'");
    run_done("clone 'tab\tname'", "Domain 'tab\tname-clone' cloned from 'tab\tname'");
    wait_dom("tab\tname-clone");
    {
        char lng[209], *cmd, *want;

        memset(lng, 'x', sizeof(lng) - 1);
        memcpy(lng, "long-", 5);
        lng[208] = '\0';
        cmd = xasprintf("clone %s", lng);
        want = xasprintf("Domain '%s-clone' cloned from '%s'", lng, lng);
        run_done(cmd, want);
        free(cmd);
        free(want);
        want = xasprintf("%s-clone", lng);
        wait_dom(want);
        free(want);
    }
}

/* deploy: every name checked first, then one linked clone per name, each
 * its own machine, none a template. */
static void
test_deploy(void **state)
{
    AUTOFREE char *src = dom_xml(host_c, "golden-template");
    char *uuids[3], *macs[3];

    assert_non_null(src);
    assert_non_null(strstr(src, "https://virtmux.org/xmlns/template/1.0"));
    run_done("deploy golden-template golden{01..03}",
             "Deployed 3 linked clones of 'golden-template': golden01 .. golden03");
    for (int i = 0; i < 3; i++) {
        AUTOFREE char *name = xasprintf("golden%02d", i + 1);
        AUTOFREE char *path = xasprintf(DEF "/golden%02d.qcow2", i + 1);
        AUTOFREE char *xml = dom_xml(host_c, name);
        struct vol_info *vi;

        if (!xml)
            fail_msg("deploy did not make %s", name);
        uuids[i] = uuid_of(xml);
        macs[i] = macs_of(xml);
        assert_string_not_equal(uuids[i], "00000000-0000-4000-e000-000000000006");
        assert_int_equal(strlen(macs[i]), 18);
        assert_null(strstr(macs[i], "52:54:00:ee:00:06"));
        /* clones do not inherit the mark */
        assert_null(strstr(xml, "https://virtmux.org/xmlns/template/1.0"));
        vi = vol_at(host_c, path);
        assert_string_equal(vi->format, "qcow2");
        assert_string_equal(vi->backing, DEF "/golden-template.qcow2");
        storxml_vol_free(vi);
        wait_dom(name);
        wait_tmpl(name, 0);
    }
    for (int a = 0; a < 3; a++) {
        for (int b = a + 1; b < 3; b++) {
            assert_string_not_equal(uuids[a], uuids[b]);
            assert_string_not_equal(macs[a], macs[b]);
        }
    }
    for (int i = 0; i < 3; i++) {
        free(uuids[i]);
        free(macs[i]);
    }
    wait_tmpl("golden-template", 1);

    /* golden01 is taken: nothing is made, not even golden00 before it */
    refused("deploy golden-template golden{00..03}", "A domain named 'golden01' already "
            "exists", "golden00");
    assert_false(vol_exists(host_c, DEF "/golden00.qcow2"));
    refused("deploy golden-template 'g{1..2000}'", "makes more than", "g1");
    refused("deploy golden-template 'g{1..3'", "has a '{' without '}'", NULL);
    refused("deploy run01 'r{1..2}'", "Domain 'run01' is running", "r1");
}

/* The mark: set and cleared through the metadata; the model follows. */
/* deploy --sysprep: refused without virt-sysprep; with one on PATH (a
 * script standing in for libguestfs, which this machine has no appliance
 * for) it runs on each clone, in order, before they start. */
static void
test_sysprep(void **state)
{
    char dir[] = "/tmp/vmt-sysprep-XXXXXX";
    AUTOFREE char *script = NULL;
    AUTOFREE char *record = NULL;
    AUTOFREE char *path = NULL;
    AUTOFREE char *text = NULL;
    const char *old = getenv("PATH");
    AUTOFREE char *saved = xstrdup(old);
    FILE *f;

    setenv("PATH", "/nonexistent", 1);
    refused("deploy golden-template sp{1..2} --sysprep", "needs virt-sysprep", "sp1");
    setenv("PATH", saved, 1);
    refused("deploy golden-template sp{1..2} --sysprep --mode full", "runs on linked clones",
            "sp1");

    assert_non_null(mkdtemp(dir));
    script = xasprintf("%s/virt-sysprep", dir);
    record = xasprintf("%s/calls", dir);
    f = fopen(script, "w");
    assert_non_null(f);
    fprintf(f, "#!/bin/sh\necho \"$*\" >> '%s'\n", record);
    fclose(f);
    chmod(script, 0755);
    path = xasprintf("%s:%s", dir, saved);
    setenv("PATH", path, 1);
    log_mark = log_count();
    run_ok("deploy golden-template sp{1..2} --sysprep --start", host_c);
    wait_logged("virt-sysprep done on 2 clones, started");
    setenv("PATH", saved, 1);
    wait_dom_state(host_c, "sp1", VIR_DOMAIN_RUNNING);
    wait_dom_state(host_c, "sp2", VIR_DOMAIN_RUNNING);
    f = fopen(record, "r");
    assert_non_null(f);
    text = xcalloc(1, 4096);
    assert_true(fread(text, 1, 4095, f) > 0);
    fclose(f);
    assert_non_null(strstr(text, "-d sp1 --quiet\n"));
    assert_non_null(strstr(text, "-d sp2 --quiet\n"));
    assert_true(strstr(text, "-d sp1") < strstr(text, "-d sp2"));
    unlink(record);
    unlink(script);
    rmdir(dir);
}

static void
test_template_mark(void **state)
{
    AUTOFREE char *xml = NULL;

    run_done("template-mark web-full", "Domain 'web-full' is a template");
    wait_tmpl("web-full", 1);
    xml = dom_xml(host_c, "web-full");
    assert_non_null(strstr(xml, "https://virtmux.org/xmlns/template/1.0"));
    run_done("template-unmark web-full", "Domain 'web-full' is no longer a template");
    wait_tmpl("web-full", 0);

    /* (web-mix2: its own overlay and a copy, so no other disk's base) */
    run_done("template-mark web-mix2 --rename",
             "Domain 'web-mix2' is a template (now named 'web-mix2-template')");
    wait_dom("web-mix2-template");
    wait_tmpl("web-mix2-template", 1);
    assert_false(dom_exists(host_c, "web-mix2"));

    run_refused("template-mark run01", host_c, "Domain 'run01' is running; 'template-mark' "
                "needs it shut off");
    wait_tmpl("run01", 0);
}

/* Starting a template asks first; no is no. */
static void
test_start_template(void **state)
{
    int confirms = U.confirms;

    settle(host_c);
    U.answer = false;
    log_mark = log_count();
    run_ok("start web-mix2-template", host_c);
    U.answer = true;
    assert_int_equal(U.confirms, confirms + 1);
    assert_non_null(strstr(U.question, "start 'web-mix2-template'? It is a template"));
    assert_non_null(strstr(log_last()->text, "Cancelled"));
    settle(host_c);
    assert_int_equal(model_dom_by_name(host_c, "web-mix2-template")->state,
                     VIR_DOMAIN_SHUTOFF);

    /* an ordinary domain does not ask */
    run_done("start web-full", "Domain 'web-full' started");
    assert_int_equal(U.confirms, confirms + 1);
    run_done("destroy web-full", "Domain 'web-full' destroyed");

    /* yes starts it */
    confirms = U.confirms;
    run_done("start web-mix2-template", "Domain 'web-mix2-template' started");
    assert_int_equal(U.confirms, confirms + 1);
    assert_non_null(strstr(U.question, "It is a template"));
    wait_dom_state(host_c, "web-mix2-template", VIR_DOMAIN_RUNNING);
    run_done("destroy web-mix2-template", "Domain 'web-mix2-template' destroyed");
}

/* A base of linked clones does not boot unless insisted on; a template
 * that is one asks and is refused. */
static void
test_start_base(void **state)
{
    int confirms;

    refused("start web", "The disk vda of 'web' is the base of web-", NULL);
    assert_non_null(strstr(log_last()->text, "web-link.qcow2"));
    assert_non_null(strstr(log_last()->text, "start --insist"));
    wait_dom_state(host_c, "web", VIR_DOMAIN_SHUTOFF);
    /* a clone that shares the base's disk is the same risk */
    refused("start web-mix", "The disk vdb of 'web-mix' is the base of", NULL);
    assert_non_null(strstr(log_last()->text, "web-link-data.qcow2"));

    confirms = U.confirms;
    /* the bases' dependents come in the pool's order: each is checked below */
    refused("start golden-template", "The disk vda of 'golden-template' is the base of ",
            NULL);
    for (int i = 1; i <= 3; i++) {
        AUTOFREE char *g = xasprintf("golden%02d.qcow2", i);

        assert_non_null(strstr(log_last()->text, g));
    }
    assert_int_equal(U.confirms, confirms + 1);
    wait_dom_state(host_c, "golden-template", VIR_DOMAIN_SHUTOFF);

    run_done("start web --insist", "Domain 'web' started");
    wait_dom_state(host_c, "web", VIR_DOMAIN_RUNNING);
    /* running, it cannot be cloned */
    refused("clone web --name web-live", "Domain 'web' is running", "web-live");
    run_done("destroy web", "Domain 'web' destroyed");
    wait_dom_state(host_c, "web", VIR_DOMAIN_SHUTOFF);
}

/* vol-delete of a base is refused: at once when the volumes are in the
 * model, and by the worker when they are not (a fresh connection to the
 * same file that has never shown the storage view). */
static void
test_vol_delete_base(void **state)
{
    int h2;

    settle(host_c);
    run_refused("vol-delete web.qcow2 --pool default", host_c,
                "Volume 'web.qcow2' is the backing file of");
    assert_non_null(strstr(log_last()->text, "web-link.qcow2"));
    assert_true(vol_exists(host_c, DEF "/web.qcow2"));
    /* an overlay itself may go */
    run_done("vol-delete web-small-data.qcow2 --pool default",
             "Vol web-small-data.qcow2 deleted");

    h2 = model_host_add(uri_c, false);
    host_start(h2);
    assert_true(wait_for(host_settled, &h2, WAIT_MS));
    run_done_on(h2, "clone web --name web-h2 --mode linked",
                "Domain 'web-h2' cloned from 'web'");
    settle(h2);
    log_mark = log_count();
    run_ok("vol-delete web.qcow2 --pool default", h2);
    wait_logged("Volume 'web.qcow2' is the backing file of web-h2.qcow2");
    assert_int_equal(log_last()->level, LOG_ERROR);
    settle(h2);
    assert_true(vol_exists(h2, DEF "/web.qcow2"));
}

/* A source with UEFI variables: the clone gets a copy of them (a host on
 * this machine), under its own name, not the source's file. */
static void
test_nvram(void **state)
{
    char dir[] = "/tmp/vmt-nvram-XXXXXX";
    AUTOFREE char *src = NULL;
    AUTOFREE char *copy = NULL;
    AUTOFREE char *file = NULL;
    AUTOFREE char *uri = NULL;
    AUTOFREE char *xml = NULL;
    AUTOFREE char *fixture = NULL;
    char a[64], b[64];
    const char *p;
    FILE *f;
    int h3;

    assert_non_null(mkdtemp(dir));
    src = xasprintf("%s/web_VARS.fd", dir);
    copy = xasprintf("%s/web-nv_VARS.fd", dir);
    f = fopen(src, "w");
    assert_non_null(f);
    fputs("UEFI-VARS-OF-WEB-0123456789", f);
    fclose(f);
    /* the fixture with an NVRAM for web */
    fixture = xasprintf("%s/tests/data/clone-host.xml", getenv("top_srcdir"));
    f = fopen(fixture, "r");
    assert_non_null(f);
    xml = xcalloc(1, 65536);
    assert_true(fread(xml, 1, 65535, f) > 0);
    fclose(f);
    p = strstr(strstr(xml, "<name>web</name>"), "</os>");
    assert_non_null(p);
    file = xasprintf("%s/host.xml", dir);
    f = fopen(file, "w");
    assert_non_null(f);
    fprintf(f, "%.*s<loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE.fd</loader>"
            "<nvram>%s</nvram>%s", (int)(p - xml), xml, src, p);
    fclose(f);
    uri = xasprintf("test://%s", file);
    h3 = model_host_add(uri, false);
    host_start(h3);
    assert_true(wait_for(host_settled, &h3, WAIT_MS));
    run_done_on(h3, "clone web --name web-nv --mode linked", "; NVRAM copied");
    f = fopen(copy, "r");
    assert_non_null(f);
    assert_non_null(fgets(a, sizeof(a), f));
    fclose(f);
    f = fopen(src, "r");
    assert_non_null(fgets(b, sizeof(b), f));
    fclose(f);
    assert_string_equal(a, b);
    settle(h3);
    unlink(copy);
    unlink(src);
    unlink(file);
    rmdir(dir);
}

/* ---- the rows' form hooks, as a form and the ':' line use them ---- */

struct fields {
    const char *names[8];
    char values[8][256];
};

static const char *
fields_get(const struct act_fill *f, const char *arg)
{
    struct fields *v = f->opaque;

    for (int i = 0; i < 8 && v->names[i]; i++) {
        if (STREQ(v->names[i], arg))
            return v->values[i][0] ? v->values[i] : NULL;
    }
    return NULL;
}

static void
fields_set(struct act_fill *f, const char *arg, const char *value)
{
    struct fields *v = f->opaque;
    int i = 0;

    while (i < 7 && v->names[i] && STRNEQ(v->names[i], arg))
        i++;
    v->names[i] = arg;
    snprintf(v->values[i], sizeof(v->values[i]), "%s", value ? value : "");
}

/* clone's first values name a free NAME-clone and a full copy; deploy's a
 * pattern without the "-template" suffix, linked; disk-add the pool
 * "default"; a ':' line gets the checks a form makes. */
static void
test_form_hooks(void **state)
{
    struct fields v = { { NULL } };
    struct act_fill f = { .host = host_c, .get = fields_get, .set = fields_set, .opaque = &v };
    struct err e;

    settle(host_c);
    f.act = action_find("clone");
    f.domain = "web";
    f.act->defaults(&f);
    /* earlier tests made web-clone and more: the next free one */
    assert_non_null(fields_get(&f, "name"));
    assert_true(STRPREFIX(fields_get(&f, "name"), "web-clone"));
    assert_null(model_dom_by_name(host_c, fields_get(&f, "name")));
    assert_string_equal(fields_get(&f, "mode"), "full");
    memset(&v, 0, sizeof(v));
    f.act = action_find("deploy");
    f.domain = "golden-template";
    f.act->defaults(&f);
    assert_string_equal(fields_get(&f, "pattern"), "golden{01..03}");
    assert_string_equal(fields_get(&f, "mode"), "linked");
    memset(&v, 0, sizeof(v));
    f.act = action_find("disk-add");
    f.act->defaults(&f);
    assert_string_equal(fields_get(&f, "pool"), "default");
    assert_string_equal(fields_get(&f, "size"), "10G");
    /* a size without its unit: refused by the shared checks */
    fields_set(&f, "size", "10");
    assert_int_equal(action_validate(&f, &e), -1);
    assert_non_null(strstr(e.msg, "has no unit"));
    /* the same check on the ':' line, before anything is sent */
    run_refused("vol-create-as default x 10", host_c, "has no unit");
    run_refused("vol-create-as default a/b 1G", host_c, "has a '/'");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load),
        cmocka_unit_test(test_full_clone),
        cmocka_unit_test(test_linked_clone),
        cmocka_unit_test(test_disk_overrides),
        cmocka_unit_test(test_default_names),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_paused_source),
        cmocka_unit_test(test_hostile_names),
        cmocka_unit_test(test_deploy),
        cmocka_unit_test(test_sysprep),
        cmocka_unit_test(test_nvram),
        cmocka_unit_test(test_template_mark),
        cmocka_unit_test(test_start_template),
        cmocka_unit_test(test_start_base),
        cmocka_unit_test(test_vol_delete_base),
        cmocka_unit_test(test_form_hooks),
    };

    return cmocka_run_group_tests_name("clone", tests, setup, teardown);
}
