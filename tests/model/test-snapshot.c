/* test-snapshot.c: snapshots through the real src/ code against libvirt's
 * test driver: every domain's count after the list, a domain's snapshots
 * as the model holds them (parent, time, state, internal or external,
 * current) and as a tree; snapshot-create-as, -revert, -delete, -current,
 * -dumpxml and -edit-description run through the dispatcher as the ':'
 * line runs them, the confirmations saying what is lost, the model
 * following each change (libvirt has no snapshot events: virtmux re-reads
 * after actions, lifecycle events and refresh), and every refusal a
 * sentence that names what is wrong: a name taken, a raw disk, an
 * external snapshot. Hostile names, and a generated tree of 300
 * snapshots 60 deep.
 *
 * Fixture: tests/data/snap-host.xml (see its header), plus a deep one
 * written at run time. The tests run in order and say what they change. */
#include <autoconf.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "modeltest.h"
#include "snaptree.h"

#define WEB "00000000-0000-4000-e000-000000000001"
#define DB "00000000-0000-4000-e000-000000000002"
#define APP "00000000-0000-4000-e000-000000000003"
#define PLAIN "00000000-0000-4000-e000-000000000004"
#define DEEP "00000000-0000-4000-e000-000000000099"
#define NDEEP 300

static char *uri_s;
static int host_s = -1;
static char deep_path[64];
static int notified[2];              /* NOTIFY_SNAPSHOT for web01, for every domain */
static int notify_id;

/* ---- helpers ---- */

static void
on_notify(const struct notify_ev *ev, void *opaque)
{
    if (ev->kind != NOTIFY_SNAPSHOT)
        return;
    if (ev->key && STREQ(ev->key, WEB))
        notified[0]++;
    if (!ev->key)
        notified[1]++;
}

static const struct m_snaps *
snaps(int host, const char *uuid)
{
    const struct m_snaps *s = model_snaps_get(host, uuid);

    if (!s)
        fail_msg("no snapshot record for %s", uuid);
    return s;
}

static const struct snap_info *
snap(const char *uuid, const char *name)
{
    const struct snap_info *si = model_snap_get(snaps(host_s, uuid), name);

    if (!si)
        fail_msg("no snapshot '%s' of %s in the model", name, uuid);
    return si;
}

struct want {
    int host;
    const char *uuid, *name;
    bool present;
};

static bool
snap_is(void *arg)
{
    const struct want *w = arg;
    const struct m_snaps *s = model_snaps_get(w->host, w->uuid);

    return s && s->n >= 0 && (model_snap_get(s, w->name) != NULL) == w->present;
}

static void
wait_snap(const char *uuid, const char *name, bool present)
{
    struct want w = { host_s, uuid, name, present };

    if (!wait_for(snap_is, &w, WAIT_MS))
        fail_msg("snapshot '%s' did not %s; last message: %s", name,
                 present ? "appear" : "go", log_last() ? log_last()->text : "-");
}

static bool
list_read(void *arg)
{
    const struct want *w = arg;
    const struct m_snaps *s = model_snaps_get(w->host, w->uuid);

    return s && s->n >= 0;
}

static void
load(int host, const char *uuid)
{
    struct want w = { host, uuid, NULL, true };

    host_load_snapshots(host, uuid);
    if (!wait_for(list_read, &w, WAIT_MS))
        fail_msg("the snapshots of %s were not read", uuid);
    settle(host);
}

static bool
counted(void *arg)
{
    const struct m_snaps *s = model_snaps_get(host_s, (const char *)arg);

    return s && s->count >= 0;
}

/* Run line, wait for the message that says it was done, settle. */
static void
run_done(const char *line, const char *said)
{
    run_until_said(host_s, line, said);
    settle(host_s);
}

/* Dispatched, then refused by the worker with why (an error); the count
 * of uuid's snapshots stays. */
static void
worker_refused(const char *line, const char *uuid, const char *why)
{
    int before;

    settle(host_s);
    before = snaps(host_s, uuid)->count;
    log_mark = log_count();
    run_ok(line, host_s);
    wait_logged(why);
    assert_int_equal(log_last()->level, LOG_ERROR);
    settle(host_s);
    assert_int_equal(snaps(host_s, uuid)->count, before);
}

/* The names of uuid's snapshots in tree order, "prefix+name" a line. */
static char *
tree_text(int host, const char *uuid)
{
    const struct m_snaps *s = snaps(host, uuid);
    struct snaptree_in *in = xcalloc((size_t)s->n + 1, sizeof(*in));
    struct snaptree_row *rows;
    char *out = xstrdup("");

    for (int i = 0; i < s->n; i++)
        in[i] = (struct snaptree_in){ s->v[i]->name, s->v[i]->parent, s->v[i]->created };
    rows = snaptree_build(in, (size_t)s->n, false);
    for (int r = 0; r < s->n; r++) {
        char *t = xasprintf("%s%s%s%s\n", out, rows[r].prefix, in[rows[r].idx].name,
                            s->v[rows[r].idx]->current ? " *" : "");

        free(out);
        out = t;
    }
    snaptree_free(rows, (size_t)s->n);
    free(in);
    return out;
}

static const struct m_dom *
dom(const char *uuid)
{
    const struct m_dom *d = model_dom_get(host_s, uuid);

    if (!d)
        fail_msg("no domain %s", uuid);
    return d;
}

struct state_want {
    const char *uuid;
    int state;
};

static bool
state_is(void *arg)
{
    const struct state_want *w = arg;
    const struct m_dom *d = model_dom_get(host_s, w->uuid);

    return d && d->state == w->state;
}

static void
wait_state(const char *uuid, int state)
{
    struct state_want w = { uuid, state };

    if (!wait_for(state_is, &w, WAIT_MS))
        fail_msg("domain %s is %s, not %s", uuid, model_dom_state_name(dom(uuid)->state),
                 model_dom_state_name(state));
}

/* A copy of snap-host.xml with a domain "deep" of NDEEP snapshots: a
 * chain s000..s059, the rest branching off it; s299 current. */
static char *
write_deep(void)
{
    AUTOFREE char *src = NULL;
    FILE *in, *out;
    char line[4096];
    int fd;

    src = xasprintf("%s", uri_s + strlen("test://"));
    snprintf(deep_path, sizeof(deep_path), "/tmp/virtmux-deep-XXXXXX");
    if ((fd = mkstemp(deep_path)) < 0 || !(out = fdopen(fd, "w")))
        fail_msg("cannot write a fixture in /tmp");
    if (!(in = fopen(src, "r")))
        fail_msg("cannot read %s", src);
    while (fgets(line, sizeof(line), in)) {
        if (strstr(line, "</node>"))
            break;
        fputs(line, out);
    }
    fclose(in);
    fprintf(out, "  <domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>\n"
            "    <name>deep</name><uuid>%s</uuid><memory>524288</memory><vcpu>1</vcpu>\n"
            "    <os><type>hvm</type></os><devices><disk type='file' device='disk'>"
            "<driver name='qemu' type='qcow2'/><source file='/srv/images/deep.qcow2'/>"
            "<target dev='vda' bus='virtio'/></disk></devices>\n"
            "    <test:runstate>5</test:runstate>\n", DEEP);
    for (int i = 0; i < NDEEP; i++) {
        char parent[64] = "";

        if (i)
            snprintf(parent, sizeof(parent), "<parent><name>s%03d</name></parent>",
                     i < 60 ? i - 1 : (i * 7) % 60);
        fprintf(out, "    <test:domainsnapshot><name>s%03d</name><state>shutoff</state>%s"
                "<creationTime>%d</creationTime><active>%d</active><domain type='test'>"
                "<name>deep</name><uuid>%s</uuid><memory>524288</memory><os><type>hvm</type>"
                "</os></domain></test:domainsnapshot>\n", i, parent, 1700000000 + i,
                i == NDEEP - 1, DEEP);
    }
    fprintf(out, "  </domain>\n</node>\n");
    fclose(out);
    return xasprintf("test://%s", deep_path);
}

/* ---- setup ---- */

static int
setup(void **state)
{
    if (modeltest_init() < 0)
        return -1;
    notify_id = notify_subscribe(on_notify, NULL);
    if (!modeltest_host_start("snap-host.xml", &host_s, &uri_s))
        return -1;
    return 0;
}

static int
teardown(void **state)
{
    modeltest_settle_all();
    host_shutdown_all();
    notify_unsubscribe(notify_id);
    modeltest_free();
    free(uri_s);
    if (deep_path[0])
        unlink(deep_path);
    return 0;
}

/* ---- tests ---- */

/* Counts come after the list, for every domain; no list is read before
 * the snapshots view asks. */
static void
test_counts(void **state)
{
    const struct m_host *h = model_host_get(host_s);

    if (h->state != HOST_UP)
        fail_msg("snap-host.xml is %s: %s", model_host_state_name(h->state),
                 h->reason ? h->reason : "-");
    assert_true(wait_for(counted, PLAIN, WAIT_MS));
    settle(host_s);
    assert_int_equal(snaps(host_s, WEB)->count, 6);
    assert_int_equal(snaps(host_s, APP)->count, 7);
    assert_int_equal(snaps(host_s, DB)->count, 0);
    assert_int_equal(snaps(host_s, PLAIN)->count, 0);
    assert_int_equal(snaps(host_s, WEB)->n, -1);
    assert_null(model_snaps_get(host_s, "no-such-uuid"));
}

/* The list: what each snapshot was, and the tree the view draws. */
static void
test_list_and_tree(void **state)
{
    const struct snap_info *si;
    AUTOFREE char *tree = NULL;
    AUTOFREE struct m_snaps **loaded = NULL;

    load(host_s, WEB);
    assert_int_equal(snaps(host_s, WEB)->n, 6);
    assert_null(snaps(host_s, WEB)->err);
    si = snap(WEB, "base");
    assert_string_equal(si->description, "fresh install");
    assert_string_equal(si->state, "shutoff");
    assert_null(si->parent);
    assert_true(si->created == 1700000000);
    assert_false(si->current);
    assert_false(si->external);
    si = snap(WEB, "pre-upgrade");
    assert_true(si->current);
    assert_string_equal(si->parent, "installed");
    assert_string_equal(si->state, "running");
    assert_ptr_equal(model_snap_current(snaps(host_s, WEB)), si);
    si = snap(WEB, "nightly");
    assert_true(si->external);
    assert_string_equal(si->state, "disk-snapshot");
    assert_string_equal(si->memory, "no");
    assert_int_equal(si->ndisks, 2);
    assert_string_equal(si->disks[0].name, "vda");
    assert_string_equal(si->disks[0].snapshot, "external");
    assert_string_equal(si->disks[0].file, "/srv/images/web01.nightly");
    assert_string_equal(snap(WEB, "db-tuned")->state, "paused");

    tree = tree_text(host_s, WEB);
    assert_string_equal(tree,
                        "base\n"
                        "|- installed\n"
                        "|  |- with-db\n"
                        "|  |  `- db-tuned\n"
                        "|  `- pre-upgrade *\n"
                        "`- nightly\n");
    loaded = model_snaps_loaded(host_s);
    assert_non_null(loaded[0]);
    assert_string_equal(loaded[0]->uuid, WEB);
    assert_null(loaded[1]);
}

/* Taking snapshots: under the current one, which it then becomes; the
 * name from the time when none is given; names of every kind. */
static void
test_create(void **state)
{
    static const char *names[] = {
        "it's \"quoted\"", "<&>", "\xc3\xbcn\xc3\xaf\x63\xc3\xb8\x64\xc3\xa9 \xf0\x9f\x99\x82",
        "-dash", "with spaces", "tab\there",
    };
    const struct snap_info *si;
    int before = snaps(host_s, WEB)->count;

    run_done("snapshot-create-as web01 'new one' 'a <description>'",
             "Domain snapshot 'new one' of 'web01' created");
    assert_non_null(strstr(U.status, "snapshot-create-as web01 'new one' 'a <description>'"));
    wait_snap(WEB, "new one", true);
    si = snap(WEB, "new one");
    assert_string_equal(si->parent, "pre-upgrade");
    assert_true(si->current);
    assert_string_equal(si->description, "a <description>");
    assert_string_equal(si->state, "running");
    assert_false(snap(WEB, "pre-upgrade")->current);
    assert_int_equal(snaps(host_s, WEB)->count, before + 1);

    /* no name: YYYYMMDD-HHMMSS, and the virsh line carries it */
    run_done("snapshot-create-as web01", "Domain snapshot '2");
    si = model_snap_current(snaps(host_s, WEB));
    assert_non_null(si);
    assert_int_equal(strlen(si->name), 15);
    assert_int_equal(si->name[8], '-');
    assert_string_equal(si->parent, "new one");
    assert_non_null(strstr(U.status, si->name));

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        AUTOFREE char *line = quoted_line("snapshot-create-as web01 --name=", names[i], "");

        run_done(line, "created");
        wait_snap(WEB, names[i], true);
        assert_true(snap(WEB, names[i])->current);
    }
    assert_int_equal(snaps(host_s, WEB)->count, before + 2 + 6);
    /* --diskspec may come more than once; virsh's line has each */
    {
        struct act_ctx ctx = { host_s, NULL };
        struct act_call *c = NULL;
        struct err e;
        AUTOFREE char *virsh = NULL;

        assert_int_equal(action_parse("snapshot-create-as web01 d --diskspec vda "
                                      "--diskspec=hdc,snapshot=no", &ctx, &c, &e), 0);
        assert_string_equal(action_arg(c, "diskspec"), "vda\nhdc,snapshot=no");
        virsh = action_virsh_line(c);
        if (!strstr(virsh, " d --diskspec vda --diskspec hdc,snapshot=no"))
            fail_msg("virsh line: %s", virsh);
        action_call_free(c);
    }
}

/* Refused before anything changes: a name the domain has; a raw disk
 * (the worker reads the domain's XML and names the disk). */
static void
test_create_refusals(void **state)
{
    run_refused("snapshot-create-as web01 base", host_s, "already has a snapshot 'base'");
    run_refused("snapshot-create-as web01 'new one'", host_s, "choose another name");
    /* plain's list is not read: the worker finds the name taken */
    run_done("snapshot-create-as plain first", "Domain snapshot 'first' of 'plain' created");
    assert_int_equal(snaps(host_s, PLAIN)->count, 1);
    assert_int_equal(snaps(host_s, PLAIN)->n, -1);
    worker_refused("snapshot-create-as plain first", PLAIN,
                   "Domain 'plain' already has a snapshot 'first'");
    worker_refused("snapshot-create-as db01 s1", DB,
                   "disk vdb (/srv/images/db01-data.img) of 'db01' is raw");
    assert_non_null(strstr(log_last()->text, "--disk-only"));
    /* (a diskspec leaving vdb out passes virtmux, tests/unit/test-snapxml.c;
     * the test driver refuses it, and libvirt 9.0 leaks on that path) */
    run_refused("snapshot-create-as db01 s1 --diskspec vdb,colour=blue", host_s,
                "field 'colour'");
    /* external snapshots are libvirt's to take (the test driver cannot) */
    worker_refused("snapshot-create-as plain ext --disk-only", PLAIN,
                   "Failed to create snapshot 'ext' of 'plain'");
    run_refused("snapshot-create-as no-such-domain x", host_s, "no-such-domain");
}

/* Revert: the question says what is lost; no keeps everything; yes puts
 * the domain back (shut off, as the snapshot was). */
static void
test_revert(void **state)
{
    struct act_ctx ctx = { host_s, NULL };
    int confirms = U.confirms;

    settle(host_s);
    U.answer = false;
    assert_int_equal(action_run_line("snapshot-revert web01 installed", &ctx), 0);
    /* the plan (the images it rewinds) is read on the worker first */
    settle(host_s);
    U.answer = true;
    assert_int_equal(U.confirms, confirms + 1);
    assert_non_null(strstr(U.question, "Discarded: what 'web01' is now (running) and every "
                                       "change since snapshot 'tab\there' (the current one)"));
    assert_non_null(strstr(U.question, "\nsnapshot-revert 'web01' to 'installed' (shut off, "
                                       "as at 2023-11-"));
    assert_non_null(strstr(U.question, ")? [y/N]"));
    assert_non_null(strstr(log_last()->text, "Cancelled"));
    settle(host_s);
    assert_int_equal(dom(WEB)->state, VIR_DOMAIN_RUNNING);

    run_done("snapshot-revert web01 installed", "Domain 'web01' reverted to snapshot 'installed'");
    wait_state(WEB, VIR_DOMAIN_SHUTOFF);
    assert_true(snap(WEB, "installed")->current);
    assert_false(snap(WEB, "tab\there")->current);

    /* the current one itself: what changed since it */
    run_done("snapshot-revert web01 pre-upgrade --force", "reverted to snapshot 'pre-upgrade'");
    wait_state(WEB, VIR_DOMAIN_RUNNING);
    assert_non_null(strstr(U.question, "(shut off) and every change since snapshot 'installed'"));
    run_done("snapshot-revert web01 pre-upgrade --paused", "reverted");
    wait_state(WEB, VIR_DOMAIN_PAUSED);
    assert_non_null(strstr(U.question, "every change since that snapshot"));
    assert_non_null(strstr(U.question, "to 'pre-upgrade' (paused, as at "));
    run_done("snapshot-revert web01 pre-upgrade", "reverted");
    wait_state(WEB, VIR_DOMAIN_RUNNING);

    /* external: virtmux's own flow, which wants the domain shut off */
    run_refused("snapshot-revert web01 nightly", host_s,
                "is running: shut it down first; reverting to external snapshot 'nightly'");
    run_refused("snapshot-revert web01 base --running --paused", host_s, "mutually exclusive");
    run_refused("snapshot-revert web01 no-such", host_s,
                "Domain 'web01' has no snapshot 'no-such'");
    run_refused("snapshot-revert web01", host_s, "needs a snapshot of 'web01'");
}

/* Delete: the question lists what goes; children move up or go too. */
static void
test_delete(void **state)
{
    const struct snap_info *si;

    run_done("snapshot-delete web01 with-db --children",
             "Domain snapshot 'with-db' of 'web01' deleted, with its children");
    assert_non_null(strstr(U.question, "Goes: 'with-db', 'db-tuned' (2). Their saved states "
                                       "are lost."));
    assert_non_null(strstr(U.question, "\nsnapshot-delete 'with-db' of 'web01' and its "
                                       "descendants? [y/N]"));
    wait_snap(WEB, "with-db", false);
    wait_snap(WEB, "db-tuned", false);

    /* installed alone: pre-upgrade and what came after move up to base */
    run_done("snapshot-delete web01 installed", "Domain snapshot 'installed' of 'web01' deleted");
    assert_non_null(strstr(U.question, "Goes: 'installed' (1). Its saved state is lost. Its 9 "
                                       "descendants stay, under 'base'."));
    wait_snap(WEB, "installed", false);
    si = snap(WEB, "pre-upgrade");
    assert_string_equal(si->parent, "base");

    /* the descendants of 'new one' only: the eight made after it */
    run_done("snapshot-delete web01 'new one' --children-only", "children deleted");
    assert_non_null(strstr(U.question, "(7). Their saved states are lost."));
    assert_non_null(strstr(U.question, " and more (7)") || strstr(U.question, "'tab\there'"));
    wait_snap(WEB, "tab\there", false);
    assert_non_null(model_snap_get(snaps(host_s, WEB), "new one"));

    /* external: a block job merges the overlay; 'nightly' sits on internal 'base',
     * whose image holds that internal snapshot: refused on the worker */
    worker_refused("snapshot-delete web01 nightly", WEB,
                   "follows internal snapshot 'base'");
    run_refused("snapshot-delete web01 base --children", host_s,
                "External snapshot 'nightly' would go too");
    run_refused("snapshot-delete web01 base --children --children-only", host_s,
                "mutually exclusive");
    /* --metadata passes virtmux; the test driver cannot */
    worker_refused("snapshot-delete web01 nightly --metadata", WEB,
                   "Failed to delete snapshot 'nightly' of 'web01'");
    assert_non_null(strstr(U.question, "Only libvirt's records go; the disk data stays."));
    /* internal: the question names the file its data leaves (the one it
     * was taken in), asked after the host answered; no keeps it */
    {
        struct act_ctx ctx = { host_s, NULL };

        settle(host_s);
        U.answer = false;
        assert_int_equal(action_run_line("snapshot-delete web01 base", &ctx), 0);
        settle(host_s);
        U.answer = true;
        assert_non_null(strstr(U.question, "Its data leaves /srv/images/web01-first.qcow2."));
        assert_non_null(model_snap_get(snaps(host_s, WEB), "base"));
    }
}

static void
test_current_description_xml(void **state)
{
    const char *text = "new: <&> \"quoted\" it's \xc3\xa9";
    AUTOFREE char *line = quoted_line("snapshot-edit-description web01 base ", text, "");
    int shown = U.shown;

    run_done("snapshot-current web01 base", "Snapshot 'base' of 'web01' set as current");
    assert_non_null(strstr(U.status, "virsh -c "));
    assert_non_null(strstr(U.status, " snapshot-current web01 base"));
    wait_for(snap_is, &(struct want){ host_s, WEB, "base", true }, WAIT_MS);
    assert_true(snap(WEB, "base")->current);
    assert_false(snap(WEB, "new one")->current);

    run_done(line, "Snapshot 'base' of 'web01' has its new description");
    assert_string_equal(snap(WEB, "base")->description, text);
    assert_true(snap(WEB, "base")->current);      /* a redefine keeps it current */
    assert_string_equal(snap(WEB, "base")->state, "shutoff");
    run_done("snapshot-edit-description web01 'new one'", "has no description now");
    assert_null(snap(WEB, "new one")->description);
    assert_false(snap(WEB, "new one")->current);
    assert_string_equal(snap(WEB, "new one")->parent, "pre-upgrade");

    settle(host_s);
    run_ok("snapshot-dumpxml web01 base", host_s);
    assert_true(wait_for(text_shown, &shown, WAIT_MS));
    assert_non_null(strstr(U.text, "<name>base</name>"));
    assert_non_null(strstr(U.text, "&lt;&amp;&gt;"));
}

/* Hostile names from the fixture: listed, reverted to, deleted, edited. */
static void
test_hostile(void **state)
{
    static const char *chain[] = {
        "snap <1> & \"two\"", "it's-current",
        ("\xc3\xbcn\xc3\xaf\x63\xc3\xb8\x64\xc3\xa9-\xd1\x81\xd0\xbd\xd0\xb8\xd0\xbc\xd0\xbe"
         "\xd0\xba-\xf0\x9f\x99\x82"), "-leading-dash", "name with spaces", "tab\tx",
    };
    char long_name[201];
    AUTOFREE char *revert = quoted_line("snapshot-revert app01 ", chain[0], "");
    AUTOFREE char *del = quoted_line("snapshot-delete app01 -- ", chain[3], "");
    AUTOFREE char *desc = quoted_line("snapshot-edit-description app01 ", chain[1], " 'd'");

    snprintf(long_name, sizeof(long_name), "snap-%0191d-end", 0);
    memset(long_name + 5, 'x', 191);
    load(host_s, APP);
    assert_int_equal(snaps(host_s, APP)->n, 7);
    for (size_t i = 0; i < sizeof(chain) / sizeof(chain[0]); i++)
        assert_non_null(model_snap_get(snaps(host_s, APP), chain[i]));
    assert_string_equal(snap(APP, long_name)->parent, "tab\tx");
    assert_true(snap(APP, chain[1])->current);

    run_done(revert, "reverted to snapshot 'snap <1> & \"two\"'");
    assert_true(snap(APP, chain[0])->current);
    run_done(del, "Domain snapshot '-leading-dash' of 'app01' deleted");
    wait_snap(APP, chain[3], false);
    assert_string_equal(snap(APP, "name with spaces")->parent, chain[2]);
    run_done(desc, "has its new description");
    assert_string_equal(snap(APP, chain[1])->description, "d");
}

/* The selection stands in for a missing snapshot name, for its domain
 * only; Tab completes the names of the domain the line names. */
static void
test_selection_and_completion(void **state)
{
    struct act_ctx ctx = { host_s, WEB, NULL, NULL, NULL, "base" };
    struct act_call *c = NULL;
    struct err e;
    size_t start;
    char **cands;

    assert_int_equal(action_parse("snapshot-revert", &ctx, &c, &e), 0);
    assert_string_equal(action_arg(c, "snapshotname"), "base");
    assert_string_equal(c->name, "web01");
    action_call_free(c);
    assert_int_equal(action_parse("snapshot-revert app01", &ctx, &c, &e), -1);
    assert_non_null(strstr(e.msg, "needs a snapshot of 'app01'"));

    cands = action_complete("snapshot-revert app01 it", &ctx, &start);
    assert_non_null(cands);
    assert_string_equal(cands[0], "'it'\\''s-current'");
    assert_null(cands[1]);
    util_strv_free(cands);
    cands = action_complete("snapshot-delete web01 --children ni", &ctx, &start);
    assert_non_null(cands);
    assert_string_equal(cands[0], "nightly");
    util_strv_free(cands);
    /* a list not read yet: asked for, there the next time */
    assert_null(action_complete("snapshot-revert plain f", &ctx, &start));
    assert_true(wait_for(list_read, &(struct want){ host_s, PLAIN, NULL, true }, WAIT_MS));
    cands = action_complete("snapshot-revert plain f", &ctx, &start);
    assert_non_null(cands);
    assert_string_equal(cands[0], "first");
    util_strv_free(cands);
}

/* No snapshot events in libvirt: a lifecycle event of the domain and a
 * refresh re-read its list. */
static void
test_rereads(void **state)
{
    int before;

    settle(host_s);
    before = notified[0];
    run_done("suspend web01", "suspended");
    settle(host_s);
    assert_true(notified[0] > before);
    before = notified[0];
    host_refresh_all(host_s);
    settle(host_s);
    assert_true(notified[0] > before);
    assert_true(notified[1] > 0);
    run_done("resume web01", "resumed");
}

/* A read-only connection refuses every change. */
static void
test_readonly(void **state)
{
    static const char *lines[] = {
        "snapshot-create-as web01 x", "snapshot-revert web01 base", "snapshot-delete web01 base",
        "snapshot-current web01 base", "snapshot-edit-description web01 base x",
    };
    int ro = model_host_add(uri_s, true);
    struct act_ctx ctx = { ro, NULL };

    host_start(ro);
    assert_true(wait_for(host_settled, &ro, WAIT_MS));
    settle(ro);
    for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
        assert_int_equal(action_run_line(lines[i], &ctx), -1);
        assert_non_null(strstr(log_last()->text, "is open read-only"));
    }
    /* looking is fine */
    assert_int_equal(action_run_line("snapshot-dumpxml web01 base", &ctx), 0);
    settle(ro);
}

/* 300 snapshots, a chain 60 deep: read and drawn whole; a new one goes
 * under the current one. */
static void
test_deep(void **state)
{
    AUTOFREE char *uri = write_deep();
    int h = model_host_add(uri, false);
    const struct m_snaps *s;
    struct snaptree_in *in;
    struct snaptree_row *rows;
    int maxdepth = 0;

    host_start(h);
    assert_true(wait_for(host_settled, &h, WAIT_MS));
    assert_int_equal(model_host_get(h)->state, HOST_UP);
    settle(h);
    assert_int_equal(snaps(h, DEEP)->count, NDEEP);
    load(h, DEEP);
    s = snaps(h, DEEP);
    assert_int_equal(s->n, NDEEP);
    in = xcalloc(NDEEP, sizeof(*in));
    for (int i = 0; i < NDEEP; i++)
        in[i] = (struct snaptree_in){ s->v[i]->name, s->v[i]->parent, s->v[i]->created };
    rows = snaptree_build(in, NDEEP, true);
    for (int r = 0; r < NDEEP; r++)
        maxdepth = rows[r].depth > maxdepth ? rows[r].depth : maxdepth;
    assert_int_equal(maxdepth, 60);
    assert_string_equal(in[rows[0].idx].name, "s000");
    snaptree_free(rows, NDEEP);
    free(in);
    assert_string_equal(model_snap_current(s)->name, "s299");
    {
        struct act_ctx ctx = { h, NULL };

        log_mark = log_count();
        assert_int_equal(action_run_line("snapshot-create-as deep leaf", &ctx), 0);
        wait_logged("Domain snapshot 'leaf' of 'deep' created");
        settle(h);
        assert_string_equal(model_snap_get(snaps(h, DEEP), "leaf")->parent, "s299");
        assert_int_equal(snaps(h, DEEP)->n, NDEEP + 1);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_list_and_tree),
        cmocka_unit_test(test_create),
        cmocka_unit_test(test_create_refusals),
        cmocka_unit_test(test_revert),
        cmocka_unit_test(test_delete),
        cmocka_unit_test(test_current_description_xml),
        cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_selection_and_completion),
        cmocka_unit_test(test_rereads),
        cmocka_unit_test(test_readonly),
        cmocka_unit_test(test_deep),
    };

    return cmocka_run_group_tests_name("snapshots", tests, setup, teardown);
}
