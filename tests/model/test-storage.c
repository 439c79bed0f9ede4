/* test-storage.c: the storage pools and volumes of the real src/ code
 * against libvirt's test driver: the pools and volumes as the model holds
 * them (who uses each volume, running or not; backing files and what they
 * back), the pool-* and vol-* commands run through the dispatcher as the
 * ':' line runs them, the model following each change, and every refusal
 * a sentence that names what is wrong.
 *
 * Fixture: tests/data/storage.xml (see its header). One connection; the
 * tests run in order and each says what it changed. */
#include <autoconf.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "modeltest.h"

#define DEF "/srv/vmstore/default"
#define GIB (1024ULL * 1024 * 1024)

static char *uri_s;
static int host_s = -1;

static const char *hostile[] = {
    "it's \"quoted\".qcow2",
    "<&>.img",
    "\xc3\xbcn\xc3\xaf\x63\xc3\xb8\x64\xc3\xa9-\xd0\xb4\xd0\xb8\xd1\x81\xd0\xba-\xf0\x9f\x99\x82"
    ".qcow2",                        /* ünïcødé-диск-🙂.qcow2 */
    "-leading-dash.img",
    "name with spaces.raw",
    "tab\tseparated.img",
    NULL,                            /* the 200-character one, filled in setup */
};
static char long_name[201];

/* ---- helpers ---- */

static struct m_pool *
pool(const char *name)
{
    struct m_pool *p = model_pool_by_name(host_s, name);

    if (!p)
        fail_msg("no pool '%s' in the model", name);
    return p;
}

static struct m_vol *
vol(const char *pname, const char *name)
{
    struct m_vol *v = model_vol_get(pool(pname), name);

    if (!v)
        fail_msg("no volume '%s' in pool '%s'", name, pname);
    return v;
}

struct vol_want {
    const char *pool, *name;
    bool present;
};

static bool
vol_is(void *arg)
{
    const struct vol_want *w = arg;
    const struct m_pool *p = model_pool_by_name(host_s, w->pool);

    return p && p->nvols >= 0 && (model_vol_get(p, w->name) != NULL) == w->present;
}

static void
wait_vol(const char *pname, const char *name, bool present)
{
    struct vol_want w = { pname, name, present };

    if (!wait_for(vol_is, &w, WAIT_MS))
        fail_msg("volume '%s' of pool '%s' did not %s; last message: %s", name, pname,
                 present ? "appear" : "go", log_last() ? log_last()->text : "-");
}

struct pool_want {
    const char *name;
    int active;                      /* 1, 0, or -1: the pool is gone */
};

static bool
pool_is(void *arg)
{
    const struct pool_want *w = arg;
    const struct m_pool *p = model_pool_by_name(host_s, w->name);

    if (w->active < 0)
        return !p;
    return p && p->active == (w->active == 1);
}

static void
wait_pool(const char *name, int active)
{
    struct pool_want w = { name, active };

    if (!wait_for(pool_is, &w, WAIT_MS))
        fail_msg("pool '%s' did not become %s; last message: %s", name,
                 active < 0 ? "gone" : active ? "active" : "inactive",
                 log_last() ? log_last()->text : "-");
}

static bool
vols_read(void *arg)
{
    const struct m_pool *p = model_pool_by_name(host_s, (const char *)arg);

    return p && p->nvols >= 0;
}

/* The line is refused with why (an error): at once by the checks a form
 * shares (sizes, names), or by the host worker; the pool's volumes stay
 * as they were. */
static void
worker_refused(const char *line, const char *why)
{
    struct act_ctx ctx = { host_s, NULL };
    int before = pool("default")->nvols;
    bool found = false;

    settle(host_s);
    log_mark = log_count();
    action_run_line(line, &ctx);
    wait_logged(why);
    for (size_t i = log_mark; i < log_count(); i++) {
        if (strstr(log_get(i)->text, why)) {
            assert_int_equal(log_get(i)->level, LOG_ERROR);
            found = true;
        }
    }
    assert_true(found);
    settle(host_s);
    if (pool("default")->nvols != before)
        fail_msg("'%s' changed the volumes of 'default' (%d, were %d)", line,
                 pool("default")->nvols, before);
}

/* Run line, and wait for the message that says it was done. */
static void
run_done(const char *line, const char *said)
{
    run_until_said(host_s, line, said);
}

/* The line asks, is answered no, and says it was cancelled. */
static void
run_cancelled(const char *line)
{
    struct act_ctx ctx = { host_s, NULL };
    int confirms = U.confirms;
    int rc;

    settle(host_s);
    U.answer = false;
    rc = action_run_line(line, &ctx);
    /* a row with a plan asks once the host has answered */
    settle(host_s);
    U.answer = true;
    if (rc < 0)
        fail_msg("'%s' was refused: %s", line, log_last() ? log_last()->text : "-");
    assert_int_equal(U.confirms, confirms + 1);
    assert_non_null(strstr(log_last()->text, "Cancelled"));
}

/* ---- setup ---- */

static int
setup(void **state)
{
    if (modeltest_init() < 0)
        return -1;
    snprintf(long_name, sizeof(long_name), "vol-%0192d.img", 0);
    for (int i = 4; i < 196; i++)
        long_name[i] = 'x';

    if (!modeltest_host_start("storage.xml", &host_s, &uri_s))
        return -1;
    return 0;
}

static int
teardown(void **state)
{
    modeltest_settle_all();
    host_shutdown_all();
    modeltest_free();
    free(uri_s);
    return 0;
}

/* ---- tests ---- */

/* Pools come with the host; their volumes, and who uses them, once the
 * storage view asks. */
static void
test_pools_load(void **state)
{
    const struct m_host *h = model_host_get(host_s);
    struct m_pool *p;
    size_t n;

    if (h->state != HOST_UP)
        fail_msg("storage.xml is %s: %s", model_host_state_name(h->state),
                 h->reason ? h->reason : "-");
    settle(host_s);
    model_pools(host_s, &n);
    assert_int_equal(n, 2);
    p = pool("default");
    assert_string_equal(p->uuid, "00000000-0000-4000-d000-000000000201");
    assert_int_equal(p->nvols, -1);          /* not read before the view opens */
    assert_true(p->active);
    assert_true(p->persistent);
    assert_false(p->autostart);
    assert_non_null(p->info);
    assert_string_equal(p->info->type, "dir");
    assert_string_equal(p->info->target, DEF);
    assert_int_equal(p->capacity, 100 * GIB);
    /* 2 + 1 + 10 + 1 GiB allocated, and seven hostile ones of 64 MiB */
    assert_int_equal(p->allocation, 14 * GIB + 7 * 64ULL * 1024 * 1024);
    assert_int_equal(p->available, p->capacity - p->allocation);
    assert_ptr_equal(model_pool_get(host_s, p->uuid), p);
    assert_string_equal(pool("isos")->info->target, "/srv/vmstore/isos");

    host_load_volumes(host_s);
    if (!wait_for(vols_read, "default", WAIT_MS) || !wait_for(vols_read, "isos", WAIT_MS))
        fail_msg("the volumes were not read; last: %s", log_last() ? log_last()->text : "-");
    settle(host_s);
    assert_int_equal(pool("default")->nvols, 11);
    assert_null(pool("default")->vols_err);
    assert_int_equal(pool("isos")->nvols, 1);
}

static void
test_volumes_and_users(void **state)
{
    struct m_vol *v;
    struct m_pool *p = NULL;

    v = vol("default", "web01.qcow2");
    assert_string_equal(v->format, "qcow2");
    assert_string_equal(v->path, DEF "/web01.qcow2");
    assert_int_equal(v->capacity, 20 * GIB);
    assert_int_equal(v->allocation, 1 * GIB);
    assert_string_equal(v->users, "web01 (running)");
    assert_true(v->used_running);
    assert_string_equal(v->backing, DEF "/base-debian.qcow2");
    assert_string_equal(v->backing_format, "qcow2");
    assert_null(v->dependents);

    v = vol("default", "base-debian.qcow2");
    assert_null(v->users);                   /* only through the overlay */
    assert_false(v->used_running);
    assert_null(v->backing);
    assert_string_equal(v->dependents, "web01.qcow2");

    /* two shut-off users: named, neither running */
    v = vol("default", "db01.raw");
    assert_string_equal(v->format, "raw");
    assert_non_null(v->users);
    assert_non_null(strstr(v->users, "db01"));
    assert_non_null(strstr(v->users, "build01"));
    assert_null(strstr(v->users, "running"));
    assert_false(v->used_running);

    v = vol("default", "spare.raw");
    assert_null(v->users);
    assert_int_equal(v->capacity, 1 * GIB);

    v = vol("isos", "debian-12.iso");
    assert_string_equal(v->format, "iso");
    assert_string_equal(v->users, "db01");   /* the cdrom */
    assert_int_equal(v->capacity, 629ULL * 1024 * 1024);

    v = vol("default", hostile[2]);
    assert_string_equal(v->users, "app01 (running)");
    assert_true(v->used_running);
    assert_string_equal(vol("default", "name with spaces.raw")->users, "db01");

    /* found by path, with its pool */
    v = model_vol_by_path(host_s, "/srv/vmstore/isos/debian-12.iso", &p);
    assert_non_null(v);
    assert_ptr_equal(p, pool("isos"));
    assert_null(model_vol_by_path(host_s, DEF "/no-such.img", NULL));
}

static void
test_hostile_names(void **state)
{
    int shown;

    hostile[6] = long_name;
    assert_int_equal(strlen(long_name), 200);
    for (int i = 0; i < 7; i++) {
        struct m_vol *v = vol("default", hostile[i]);
        AUTOFREE char *path = xasprintf(DEF "/%s", hostile[i]);
        AUTOFREE char *line = quoted_line("vol-info --pool default ", hostile[i], "");
        AUTOFREE char *q = util_shell_quote(hostile[i]);
        AUTOFREE char *image = xasprintf("image: %s\n", path);

        assert_string_equal(v->name, hostile[i]);
        assert_string_equal(v->path, path);
        assert_int_equal(v->capacity, 1 * GIB);
        shown = U.shown;
        settle(host_s);
        run_ok(line, host_s);
        if (!wait_for(text_shown, &shown, WAIT_MS))
            fail_msg("'%s' showed nothing; last: %s", line, log_last()->text);
        if (!strstr(U.text, image))
            fail_msg("vol-info of '%s' shows:\n%s", hostile[i], U.text);
        /* the virsh line quotes the name so that a shell reads it back */
        if (!strstr(U.status, q))
            fail_msg("the virsh line does not quote '%s': %s", hostile[i], U.status);
        /* a leading dash goes behind --vol: virsh would read it as an option */
        if (hostile[i][0] == '-' && !strstr(U.status, " vol-info --vol -leading-dash.img"))
            fail_msg("the virsh line for '%s' is %s", hostile[i], U.status);
    }

    /* by path, with the awkward characters in it */
    {
        AUTOFREE char *line = quoted_line("vol-dumpxml ", DEF "/<&>.img", "");

        shown = U.shown;
        run_ok(line, host_s);
        assert_true(wait_for(text_shown, &shown, WAIT_MS));
        assert_non_null(strstr(U.text, "<name>&lt;&amp;&gt;.img</name>"));
    }

    /* made, copied and deleted with such names */
    {
        const char *made = "new 'q' <&> \xc3\xbc \xf0\x9f\x99\x82.img";
        const char *copy = "-copy of \"it\".raw";
        AUTOFREE char *create = quoted_line("vol-create-as default ", made, " 1G --format raw");
        AUTOFREE char *del1 = quoted_line("vol-delete --pool default ", made, "");
        AUTOFREE char *del2 = quoted_line("vol-delete --pool default -- ", copy, "");
        AUTOFREE char *qm = util_shell_quote(made);
        AUTOFREE char *qc = util_shell_quote(copy);
        AUTOFREE char *clone = xasprintf("vol-clone --pool default %s %s", qm, qc);

        run_done(create, "created");
        wait_vol("default", made, true);
        assert_string_equal(vol("default", made)->path, DEF "/new 'q' <&> \xc3\xbc "
                            "\xf0\x9f\x99\x82.img");
        run_done(clone, "cloned from");
        wait_vol("default", copy, true);
        assert_string_equal(vol("default", copy)->format, "raw");
        run_done(del1, "deleted");
        wait_vol("default", made, false);
        run_done(del2, "deleted");
        wait_vol("default", copy, false);
    }
}

static void
test_vol_create_sizes(void **state)
{
    struct m_pool *p;
    unsigned long long alloc;

    settle(host_s);
    alloc = pool("default")->allocation;
    run_done("vol-create-as default new-10g.qcow2 10G --format qcow2",
             "Vol new-10g.qcow2 created (10 GiB)");
    assert_non_null(strstr(U.status, "vol-create-as default new-10g.qcow2 10G --format qcow2"));
    wait_vol("default", "new-10g.qcow2", true);
    assert_int_equal(vol("default", "new-10g.qcow2")->capacity, 10 * GIB);
    assert_string_equal(vol("default", "new-10g.qcow2")->format, "qcow2");
    assert_int_equal(vol("default", "new-10g.qcow2")->allocation, 0);

    /* GB counts in 1000s, as virsh reads it */
    run_done("vol-create-as default si.raw 10GB --format raw", "Vol si.raw created");
    wait_vol("default", "si.raw", true);
    assert_int_equal(vol("default", "si.raw")->capacity, 10000000000ULL);
    assert_string_equal(vol("default", "si.raw")->format, "raw");

    run_done("vol-create-as default half.qcow2 1.5T --format qcow2", "Vol half.qcow2 created");
    wait_vol("default", "half.qcow2", true);
    assert_int_equal(vol("default", "half.qcow2")->capacity, 1536 * GIB);

    /* allocated space counts against the pool, and the pool follows */
    run_done("vol-create-as default alloc.raw 512M --allocation 256MiB --format raw",
             "Vol alloc.raw created");
    wait_vol("default", "alloc.raw", true);
    assert_int_equal(vol("default", "alloc.raw")->capacity, 512ULL * 1024 * 1024);
    assert_int_equal(vol("default", "alloc.raw")->allocation, 256ULL * 1024 * 1024);
    settle(host_s);
    p = pool("default");
    assert_int_equal(p->allocation, alloc + 256ULL * 1024 * 1024);
    assert_int_equal(p->nvols, 15);
}

static void
test_vol_create_refusals(void **state)
{
    worker_refused("vol-create-as default bare 10", "The capacity '10' has no unit");
    worker_refused("vol-create-as default exp 1e3", "unknown unit 'e3'");
    worker_refused("vol-create-as default neg -1", "The capacity '-1' is negative");
    worker_refused("vol-create-as default huge 9999999T",
                   "The capacity '9999999T' is too large");
    worker_refused("vol-create-as default zero 0G", "needs a size above zero");
    worker_refused("vol-create-as default over 1G --allocation 2G",
                   "allocation of 'over' is larger than its capacity");
    worker_refused("vol-create-as default bad-alloc 1G --allocation lots",
                   "The allocation 'lots' is not a size");
    worker_refused("vol-create-as default a/b 1G", "The volume name 'a/b' has a '/'");
    worker_refused("vol-create-as default ../escape 1G", "has a '/'");
    worker_refused("vol-create-as default .. 1G", "The volume name '..' is not a file name");
    worker_refused("vol-create-as default spare.raw 1G",
                   "Volume 'spare.raw' already exists in pool 'default'");
    worker_refused("vol-create-as default fmt.vmdk 1G --format vmdk",
                   "The format 'vmdk' is not raw or qcow2");
    worker_refused("vol-create-as default ov2 1G --backing-vol no-such.qcow2",
                   "The backing volume 'no-such.qcow2' is not in pool 'default'");
    run_refused("vol-create-as no-such-pool x 1G", host_s, "Pool 'no-such-pool' not found");
    run_refused("vol-create-as default x", host_s, "needs <capacity>");
    assert_null(model_vol_get(pool("default"), "bare"));
    assert_null(model_vol_get(pool("default"), "huge"));
}

/* An overlay on a volume of the pool: the model links both ways. */
static void
test_vol_create_backing(void **state)
{
    struct m_vol *v;

    run_done("vol-create-as default ov.qcow2 20G --backing-vol base-debian.qcow2",
             "Vol ov.qcow2 created (20 GiB on " DEF "/base-debian.qcow2)");
    wait_vol("default", "ov.qcow2", true);
    settle(host_s);
    v = vol("default", "ov.qcow2");
    assert_string_equal(v->format, "qcow2");
    assert_string_equal(v->backing, DEF "/base-debian.qcow2");
    assert_string_equal(v->backing_format, "qcow2");
    v = vol("default", "base-debian.qcow2");
    assert_non_null(v->dependents);
    assert_non_null(strstr(v->dependents, "web01.qcow2"));
    assert_non_null(strstr(v->dependents, "ov.qcow2"));
}

static void
test_vol_info_chain(void **state)
{
    int shown = U.shown;

    settle(host_s);
    run_ok("vol-info web01.qcow2 --pool default", host_s);
    assert_true(wait_for(text_shown, &shown, WAIT_MS));
    assert_non_null(strstr(U.text, "image: " DEF "/web01.qcow2\npool: default\n"
                           "file format: qcow2\nvirtual size: 20 GiB (21474836480 bytes)"));
    assert_non_null(strstr(U.text, "backing file: " DEF "/base-debian.qcow2"));
    assert_non_null(strstr(U.text, "\nimage: " DEF "/base-debian.qcow2\n"));

    /* and by path alone */
    shown = U.shown;
    run_ok("vol-dumpxml " DEF "/spare.raw", host_s);
    assert_true(wait_for(text_shown, &shown, WAIT_MS));
    assert_non_null(strstr(U.text, "<name>spare.raw</name>"));
    run_refused("vol-info " DEF "/nothing-here.img", host_s, "No volume at");
    run_refused("vol-info no-such.img --pool default", host_s,
                "Volume 'no-such.img' not found in pool 'default'");
}

static void
test_vol_clone(void **state)
{
    struct m_vol *v;

    run_done("vol-clone spare.raw spare-copy.raw --pool default",
             "Vol spare-copy.raw cloned from spare.raw");
    wait_vol("default", "spare-copy.raw", true);
    v = vol("default", "spare-copy.raw");
    assert_string_equal(v->format, "raw");
    assert_int_equal(v->capacity, 1 * GIB);

    /* --format converts; virsh has no such option: its line says so
     * rather than show a copy that would not convert (#18 bug 12) */
    run_done("vol-clone spare.raw spare.qcow2 --pool default --format qcow2",
             "Vol spare.qcow2 cloned from spare.raw as qcow2");
    assert_non_null(strstr(U.status, "vol-clone spare.raw spare.qcow2 --pool default   (and "
                                     "virtmux's own --format qcow2, which virsh has not)"));
    wait_vol("default", "spare.qcow2", true);
    v = vol("default", "spare.qcow2");
    assert_string_equal(v->format, "qcow2");
    assert_int_equal(v->capacity, 1 * GIB);
    assert_string_equal(vol("default", "spare.raw")->format, "raw");

    worker_refused("vol-clone spare.raw db01.raw --pool default",
                   "Volume 'db01.raw' already exists in pool 'default'");
    worker_refused("vol-clone spare.raw x.vmdk --pool default --format vmdk",
                   "The format 'vmdk' is not raw or qcow2");
    worker_refused("vol-clone spare.raw ../x --pool default", "has a '/'");
}

static void
test_vol_delete(void **state)
{
    /* in use by a running domain: refused at once, naming it */
    settle(host_s);
    run_refused("vol-delete web01.qcow2 --pool default", host_s,
                "Volume 'web01.qcow2' is in use by web01 (running)");
    run_refused("vol-wipe web01.qcow2 --pool default", host_s, "in use by web01 (running)");
    run_refused("vol-resize web01.qcow2 30G --pool default", host_s,
                "in use by web01 (running)");
    {
        AUTOFREE char *line = quoted_line("vol-delete --pool default ", hostile[2], "");

        run_refused(line, host_s, "in use by app01 (running)");
    }
    assert_non_null(model_vol_get(pool("default"), "web01.qcow2"));

    /* answered no: nothing happens */
    run_cancelled("vol-delete spare.raw --pool default");
    assert_null(U.typed);
    assert_non_null(strstr(U.question, "vol-delete 'spare.raw'?"));
    settle(host_s);
    assert_non_null(model_vol_get(pool("default"), "spare.raw"));

    run_done("vol-delete spare.raw --pool default", "Vol spare.raw deleted");
    wait_vol("default", "spare.raw", false);
    assert_non_null(strstr(U.status, "vol-delete spare.raw --pool default"));

    /* a shut-off domain's disk: the question says whose; it goes */
    run_done("vol-delete 'name with spaces.raw' --pool default",
             "Vol name with spaces.raw deleted");
    assert_non_null(strstr(U.question, "It is a disk of db01"));
    wait_vol("default", "name with spaces.raw", false);

    /* a base image: refused while volumes are backed by it, naming them */
    run_refused("vol-delete base-debian.qcow2 --pool default", host_s,
                "'base-debian.qcow2' is the backing file of ");
    assert_non_null(strstr(log_last()->text, "web01.qcow2"));
    assert_non_null(strstr(log_last()->text, "ov.qcow2"));
    assert_non_null(model_vol_get(pool("default"), "base-debian.qcow2"));
    /* wiping or overwriting a base breaks its overlays just the same */
    run_refused("vol-wipe base-debian.qcow2 --pool default", host_s,
                "'base-debian.qcow2' is the backing file of ");
    assert_non_null(strstr(log_last()->text, "vol-wipe would break them"));
}

/* The worker asks again: a domain started since the volumes were read
 * still stops the delete. */
static void
test_vol_delete_worker_check(void **state)
{
    struct act_ctx ctx = { host_s, NULL };

    settle(host_s);
    log_mark = log_count();
    run_ok("start build01", host_s);
    wait_logged("Domain 'build01' started");
    settle(host_s);
    log_mark = log_count();
    action_run_line("vol-delete db01.raw --pool default", &ctx);
    wait_logged("Volume 'db01.raw' is in use by ");
    assert_non_null(strstr(log_last()->text, "build01 (running)"));
    assert_int_equal(log_last()->level, LOG_ERROR);
    settle(host_s);
    assert_non_null(model_vol_get(pool("default"), "db01.raw"));
    run_done("destroy build01", "Domain 'build01' destroyed");
    /* the volumes' users are read with the pools: a refresh re-reads them */
    run_done("pool-refresh default", "Pool 'default' refreshed");
    settle(host_s);
    assert_false(vol("default", "db01.raw")->used_running);
}

/* A paused domain holds its image open as a running one does: the
 * volume's users say "paused", and a delete is refused all the same. */
struct users_want {
    const char *vol, *users;
};

static bool
users_are(void *arg)
{
    const struct users_want *w = arg;
    const struct m_pool *p = model_pool_by_name(host_s, "default");
    const struct m_vol *v = p ? model_vol_get(p, w->vol) : NULL;

    return v && v->users && STREQ(v->users, w->users);
}

static void
test_users_paused(void **state)
{
    struct users_want paused = { "web01.qcow2", "web01 (paused)" };
    struct users_want running = { "web01.qcow2", "web01 (running)" };

    settle(host_s);
    run_done("suspend web01", "suspended");
    if (!wait_for(users_are, &paused, WAIT_MS))
        fail_msg("web01.qcow2 is used by '%s'", vol("default", "web01.qcow2")->users);
    run_refused("vol-delete web01.qcow2 --pool default", host_s,
                "Volume 'web01.qcow2' is in use by web01 (paused)");
    run_done("resume web01", "resumed");
    assert_true(wait_for(users_are, &running, WAIT_MS));
}

/* start's base check keeps what the volumes are backed by between starts
 * (src/act/act-chain.c): an overlay made or removed behind virtmux's back
 * (another tool, no event, no action of ours) is seen at the next start
 * all the same. */
static void
test_start_base_follows_pools(void **state)
{
    static const char xml[] =
        "<volume><name>behind.qcow2</name><capacity unit='G'>1</capacity>"
        "<target><format type='qcow2'/></target>"
        "<backingStore><path>" DEF "/db01.raw</path><format type='raw'/></backingStore>"
        "</volume>";
    virConnectPtr conn;
    virStoragePoolPtr p;
    virStorageVolPtr v;

    settle(host_s);
    run_done("start db01", "Domain 'db01' started");
    run_done("destroy db01", "Domain 'db01' destroyed");
    settle(host_s);

    conn = host_conn_ref(host_s);
    assert_non_null(conn);
    p = virStoragePoolLookupByName(conn, "default");
    assert_non_null(p);
    v = virStorageVolCreateXML(p, xml, 0);
    assert_non_null(v);
    worker_refused("start db01", "The disk vda of 'db01' is the base of behind.qcow2");

    assert_int_equal(virStorageVolDelete(v, 0), 0);
    run_done("start db01", "Domain 'db01' started");
    run_done("destroy db01", "Domain 'db01' destroyed");
    settle(host_s);
    virStorageVolFree(v);
    virStoragePoolFree(p);
    virConnectClose(conn);
}

static void
test_vol_resize(void **state)
{
    /* shrinking is refused unless meant; libvirt's own refusal comes
     * back as a sentence (the test driver cannot resize) */
    worker_refused("vol-resize spare.qcow2 512M --pool default",
                   "The new size 512 MiB of 'spare.qcow2' is smaller than its 1 GiB");
    worker_refused("vol-resize spare.qcow2 -1G --pool default", "add --shrink to mean it");
    worker_refused("vol-resize spare.qcow2 1G --pool default",
                   "Volume 'spare.qcow2' is already 1 GiB");
    worker_refused("vol-resize spare.qcow2 20 --pool default", "has no unit");
    worker_refused("vol-resize spare.qcow2 20G --pool default",
                   "Failed to change size of volume 'spare.qcow2' to 20 GiB");
    assert_int_equal(vol("default", "spare.qcow2")->capacity, 1 * GIB);
}

/* A pool's whole life through the commands, the model following each
 * step (from the lifecycle events, or the dispatcher's re-read). */
static void
test_pool_lifecycle(void **state)
{
    struct m_pool *p;
    int confirms;

    run_done("pool-define-as scratch dir --target /srv/vmstore/scratch",
             "Pool 'scratch' defined");
    assert_non_null(strstr(U.status, "pool-define-as scratch dir --target "
                           "/srv/vmstore/scratch"));
    wait_pool("scratch", 0);
    p = pool("scratch");
    assert_true(p->persistent);
    assert_false(p->autostart);
    assert_string_equal(p->info->type, "dir");
    assert_string_equal(p->info->target, "/srv/vmstore/scratch");

    worker_refused("pool-define-as default dir --target /srv/x",
                   "A pool named 'default' already exists");
    worker_refused("pool-define-as bad nfs --target /srv/x", "The pool type 'nfs' is not one of");
    worker_refused("pool-define-as rel dir --target relative/dir", "absolute target directory");
    worker_refused("pool-define-as netty netfs --target /srv/n", "server and its export");
    run_refused("vol-create-as scratch v 1G", host_s, "Pool 'scratch' is not active");
    run_refused("pool-destroy scratch", host_s, "Pool 'scratch' is not active");
    run_refused("pool-delete default", host_s,
                "Pool 'default' is active; 'pool-delete' needs it stopped (pool-destroy)");
    run_refused("pool-start default", host_s, "Pool 'default' is active");

    run_done("pool-build scratch", "Pool 'scratch' built");
    run_done("pool-start scratch", "Pool 'scratch' started");
    wait_pool("scratch", 1);
    assert_true(wait_for(vols_read, "scratch", WAIT_MS));
    assert_int_equal(pool("scratch")->nvols, 0);

    run_done("pool-autostart scratch", "Pool 'scratch' marked as autostarted");
    settle(host_s);
    assert_true(pool("scratch")->autostart);

    run_done("vol-create-as scratch v1.raw 1G --format raw", "Vol v1.raw created");
    wait_vol("scratch", "v1.raw", true);
    assert_string_equal(vol("scratch", "v1.raw")->path, "/srv/vmstore/scratch/v1.raw");

    confirms = U.confirms;
    run_done("pool-destroy scratch", "Pool 'scratch' destroyed");
    assert_int_equal(U.confirms, confirms + 1);
    assert_null(U.typed);
    wait_pool("scratch", 0);

    run_done("pool-delete scratch", "Pool 'scratch' deleted");
    assert_int_equal(U.confirms, confirms + 2);
    assert_non_null(U.typed);
    assert_string_equal(U.typed, "scratch");      /* the name is typed */
    assert_non_null(strstr(U.question, "the directory /srv/vmstore/scratch"));

    run_done("pool-undefine scratch", "Pool 'scratch' has been undefined");
    wait_pool("scratch", -1);
    settle(host_s);
    assert_null(model_pool_by_name(host_s, "scratch"));

    /* --start: built, started and autostarted in one go */
    run_done("pool-define-as quick dir --target /srv/vmstore/quick --start",
             "Pool 'quick' defined, built and started");
    wait_pool("quick", 1);
    settle(host_s);
    assert_true(pool("quick")->autostart);
    assert_non_null(U.status);
    /* virsh has no --start: the line says it is virtmux's */
    assert_non_null(strstr(U.status, "(and virtmux's own --start, which virsh has not)"));
    run_done("pool-destroy quick", "Pool 'quick' destroyed");
    wait_pool("quick", 0);
    run_done("pool-start quick --build", "Pool 'quick' started");
    wait_pool("quick", 1);

    run_done("pool-refresh default", "Pool 'default' refreshed");
    {
        int shown = U.shown;

        run_ok("pool-dumpxml isos", host_s);
        assert_true(wait_for(text_shown, &shown, WAIT_MS));
        assert_non_null(strstr(U.text, "<path>/srv/vmstore/isos</path>"));
    }
}

/* A pool holding a domain's disk is not deleted, running or not. */
static void
test_pool_delete_in_use(void **state)
{
    run_done("pool-destroy isos", "Pool 'isos' destroyed");
    wait_pool("isos", 0);
    settle(host_s);
    log_mark = log_count();
    run_ok("pool-delete isos", host_s);
    assert_string_equal(U.typed, "isos");
    wait_logged("Pool 'isos' holds disks of db01: deleting it would destroy them");
    assert_int_equal(log_last()->level, LOG_ERROR);
    assert_null(strstr(log_last()->text, "deleted"));

    run_done("pool-start isos", "Pool 'isos' started");
    wait_pool("isos", 1);
    wait_vol("isos", "debian-12.iso", true);
    assert_string_equal(vol("isos", "debian-12.iso")->users, "db01");
}

static void
test_readonly(void **state)
{
    int ro = model_host_add(uri_s, true);
    struct act_ctx ctx = { ro, NULL };
    size_t n;

    host_start(ro);
    assert_true(wait_for(host_settled, &ro, WAIT_MS));
    settle(ro);
    model_pools(ro, &n);
    assert_int_equal(n, 2);                      /* its own copy of the file */
    run_refused("vol-create-as default x 1G", ro, "read-only");
    run_refused("pool-destroy default", ro, "read-only");
    run_refused("vol-delete spare.raw --pool default", ro, "read-only");
    /* reading is fine */
    assert_int_equal(action_run_line("pool-dumpxml default", &ctx), 0);
    settle(ro);
    assert_true(model_pool_by_name(ro, "default")->active);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pools_load),
        cmocka_unit_test(test_volumes_and_users),
        cmocka_unit_test(test_hostile_names),
        cmocka_unit_test(test_vol_create_sizes),
        cmocka_unit_test(test_vol_create_refusals),
        cmocka_unit_test(test_vol_create_backing),
        cmocka_unit_test(test_vol_info_chain),
        cmocka_unit_test(test_vol_clone),
        cmocka_unit_test(test_vol_delete),
        cmocka_unit_test(test_vol_delete_worker_check),
        cmocka_unit_test(test_vol_resize),
        cmocka_unit_test(test_users_paused),
        cmocka_unit_test(test_start_base_follows_pools),
        cmocka_unit_test(test_pool_lifecycle),
        cmocka_unit_test(test_pool_delete_in_use),
        cmocka_unit_test(test_readonly),
    };

    return cmocka_run_group_tests_name("storage", tests, setup, teardown);
}
