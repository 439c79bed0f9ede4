/* test-model.c: the real src/ code against libvirt's test driver, driven
 * the way virtmux drives it: the poll loop with libvirt's event
 * implementation on it, a host worker per connection, the model filled
 * from the first list, and actions run through the dispatcher as the ':'
 * line runs them, with a fake UI that answers confirmations at once.
 *
 * Fixtures: tests/data/host-a.xml (seven domains, see its header). Each
 * test:///FILE connection has private state, so the tests below run in
 * order on one connection and each says what it changed. */
#include <autoconf.h>

#include <libgen.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <cmocka.h>
#include <libvirt/libvirt.h>

#include "action.h"
#include "host.h"
#include "log.h"
#include "loop.h"
#include "model.h"
#include "notify.h"
#include "virtevent.h"

#include "modeltest.h"

static char *uri_a;
static int host_a = -1;
static int notify_id;

/* ---- change events seen ---- */

static struct {
    int dom_changed, dom_removed, dom_added, domains, hosts;
    char watch[UUID_LEN];        /* count changes of this domain only */
    int watch_changed;
} N;

static void
on_notify(const struct notify_ev *ev, void *opaque)
{
    switch (ev->kind) {
    case NOTIFY_DOMAIN:
        if (ev->change == MODEL_REMOVED)
            N.dom_removed++;
        else if (ev->change == MODEL_ADDED)
            N.dom_added++;
        else
            N.dom_changed++;
        if (ev->key && STREQ(ev->key, N.watch) && ev->change == MODEL_CHANGED)
            N.watch_changed++;
        break;
    case NOTIFY_DOMAINS:
        N.domains++;
        break;
    case NOTIFY_HOST:
        N.hosts++;
        break;
    default:
        break;
    }
}

/* ---- helpers ---- */

static struct m_dom *
dom(int host, const char *name)
{
    struct m_dom *d = model_dom_by_name(host, name);

    if (!d)
        fail_msg("no domain '%s' on host %d", name, host);
    return d;
}

/* ---- setup ---- */

static int
setup(void **state)
{
    if (modeltest_init() < 0)
        return -1;
    notify_id = notify_subscribe(on_notify, NULL);
    if (!modeltest_host_start("host-a.xml", &host_a, &uri_a))
        return -1;
    return 0;
}

static int
teardown(void **state)
{
    modeltest_settle_all();
    /* No loop iteration after this: host.c frees its records, and a retry
     * timer or a late reply would find them gone (see the report). */
    host_shutdown_all();
    notify_unsubscribe(notify_id);
    modeltest_free();
    free(uri_a);
    return 0;
}

/* ---- tests ---- */

static void
test_connect_and_list(void **state)
{
    const struct m_host *h = model_host_get(host_a);
    size_t n;
    struct m_dom *d;

    if (h->state != HOST_UP)
        fail_msg("host-a is %s: %s", model_host_state_name(h->state),
                 h->reason ? h->reason : "-");
    assert_true(h->loaded);
    assert_null(h->reason);
    model_doms(host_a, &n);
    assert_int_equal(n, 7);
    assert_int_equal(model_ndoms_total(), 7);

    d = dom(host_a, "alpha");
    assert_int_equal(d->state, VIR_DOMAIN_RUNNING);
    assert_string_equal(d->uuid, "00000000-0000-4000-a000-000000000001");
    assert_int_equal(d->vcpus, 2);
    assert_int_equal(d->mem_kib, 2048ULL * 1024);
    assert_int_equal(d->maxmem_kib, 2048ULL * 1024);
    assert_true(d->persistent);
    assert_false(d->autostart);
    assert_false(d->managedsave);
    assert_true(d->id > 0);
    assert_ptr_equal(model_dom_get(host_a, d->uuid), d);

    d = dom(host_a, "bravo");
    assert_int_equal(d->state, VIR_DOMAIN_SHUTOFF);
    assert_int_equal(d->id, -1);
    assert_int_equal(d->vcpus, 1);
    assert_int_equal(d->maxmem_kib, 1024ULL * 1024);
    assert_true(d->persistent);

    assert_int_equal(dom(host_a, "charlie")->state, VIR_DOMAIN_PAUSED);
    d = dom(host_a, "delta");
    assert_int_equal(d->state, VIR_DOMAIN_SHUTOFF);
    assert_true(d->managedsave);
    d = dom(host_a, "echo");
    assert_int_equal(d->state, VIR_DOMAIN_RUNNING);
    assert_false(d->persistent);
    assert_int_equal(dom(host_a, "foxtrot")->vcpus, 4);
    assert_int_equal(dom(host_a, "shared-name")->state, VIR_DOMAIN_SHUTOFF);
    assert_null(model_dom_by_name(host_a, "no-such"));
    assert_true(N.domains >= 1);        /* the list arrived as one event */
}

static void
test_reason_names(void **state)
{
    assert_string_equal(model_dom_reason_name(VIR_DOMAIN_RUNNING,
                                              VIR_DOMAIN_RUNNING_BOOTED), "booted");
    assert_string_equal(model_dom_reason_name(VIR_DOMAIN_PAUSED,
                                              VIR_DOMAIN_PAUSED_IOERROR), "I/O error");
    assert_string_equal(model_dom_reason_name(VIR_DOMAIN_SHUTOFF,
                                              VIR_DOMAIN_SHUTOFF_SAVED), "saved");
    assert_string_equal(model_dom_reason_name(VIR_DOMAIN_SHUTOFF, 999), "unknown");
    assert_string_equal(model_dom_reason_name(VIR_DOMAIN_SHUTOFF, -1), "unknown");
    assert_string_equal(model_dom_reason_name(-1, 0), "unknown");
    assert_string_equal(model_dom_reason_name(VIR_DOMAIN_NOSTATE, 0), "unknown");
}

static void
test_start(void **state)
{
    struct m_dom *d = dom(host_a, "bravo");

    settle(host_a);
    snprintf(N.watch, sizeof(N.watch), "%s", d->uuid);
    N.watch_changed = 0;
    log_mark = log_count();
    run_ok("start bravo", host_a);
    assert_non_null(U.status);
    assert_non_null(strstr(U.status, "virsh -c"));
    assert_non_null(strstr(U.status, " start bravo"));
    assert_int_equal(U.confirms, 0);            /* start asks nothing */
    /* the model says "running" as the message says "started", at once
     * (libvirt returns once it runs) */
    wait_logged("Domain 'bravo' started");
    assert_int_equal(dom(host_a, "bravo")->state, VIR_DOMAIN_RUNNING);

    /* One read reaches the model: the one libvirt's lifecycle event asks
     * for through virtevent (start is reported by its event; the
     * dispatcher does not read it again); before it, the call's own state. */
    settle(host_a);
    d = dom(host_a, "bravo");
    assert_true(d->id > 0);
    assert_string_equal(d->uuid, "00000000-0000-4000-a000-000000000002");
    assert_string_equal(model_dom_reason_name(d->state, d->reason), "booted");
    if (N.watch_changed != 2)
        fail_msg("bravo changed %d times: the call's state and one read (the lifecycle "
                 "event's) should reach the model", N.watch_changed);
}

static void
test_destroy_confirmed(void **state)
{
    int confirms = U.confirms;

    log_mark = log_count();
    U.answer = true;
    run_ok("destroy bravo", host_a);
    assert_int_equal(U.confirms, confirms + 1);
    assert_null(U.typed);                       /* y/n, no typed name */
    assert_non_null(strstr(U.question, "destroy"));
    assert_non_null(strstr(U.question, "bravo"));
    wait_dom_state(host_a, "bravo", VIR_DOMAIN_SHUTOFF);
    wait_logged("Domain 'bravo' destroyed");
    assert_int_equal(dom(host_a, "bravo")->id, -1);
    settle(host_a);
    assert_string_equal(model_dom_reason_name(dom(host_a, "bravo")->state,
                                              dom(host_a, "bravo")->reason),
                        "destroyed");
}

static void
test_destroy_cancelled(void **state)
{
    settle(host_a);
    U.answer = false;
    run_ok("destroy alpha", host_a);
    U.answer = true;
    assert_non_null(strstr(log_last()->text, "Cancelled"));
    assert_non_null(strstr(log_last()->text, "alpha"));
    settle(host_a);
    assert_int_equal(dom(host_a, "alpha")->state, VIR_DOMAIN_RUNNING);
}

static void
test_suspend_resume(void **state)
{
    run_ok("suspend alpha", host_a);
    wait_dom_state(host_a, "alpha", VIR_DOMAIN_PAUSED);
    run_ok("resume alpha", host_a);
    wait_dom_state(host_a, "alpha", VIR_DOMAIN_RUNNING);
}

static void
test_dumpxml(void **state)
{
    int shown = U.shown;

    run_ok("dumpxml alpha", host_a);
    assert_true(wait_for(text_shown, &shown, WAIT_MS));
    assert_string_equal(U.title, "dumpxml alpha");
    assert_non_null(strstr(U.text, "<name>alpha</name>"));
    assert_non_null(strstr(U.text, "00000000-0000-4000-a000-000000000001"));
    assert_non_null(strstr(U.status, "dumpxml alpha"));
}

static bool
renamed(void *arg)
{
    struct m_dom *d = model_dom_by_name(host_a, "fox2");

    return d && !model_dom_by_name(host_a, "foxtrot");
}

static void
test_domrename(void **state)
{
    const char *uuid = "00000000-0000-4000-a000-000000000006";
    struct m_dom *d;
    size_t n;

    settle(host_a);
    assert_string_equal(dom(host_a, "foxtrot")->uuid, uuid);
    log_mark = log_count();
    run_ok("domrename foxtrot fox2", host_a);
    assert_non_null(strstr(U.status, "domrename foxtrot fox2"));
    if (!wait_for(renamed, NULL, WAIT_MS))
        fail_msg("foxtrot was not renamed; last message: %s", log_last()->text);
    wait_logged("renamed to 'fox2'");
    settle(host_a);
    d = dom(host_a, "fox2");
    assert_string_equal(d->uuid, uuid);
    assert_ptr_equal(model_dom_get(host_a, uuid), d);
    assert_int_equal(d->vcpus, 4);
    assert_true(d->persistent);
    model_doms(host_a, &n);
    assert_int_equal(n, 7);
}

static bool
dom_gone(void *arg)
{
    return model_dom_get(host_a, (const char *)arg) == NULL;
}

static void
test_undefine(void **state)
{
    const char *uuid = "00000000-0000-4000-a000-000000000006";
    int removed = N.dom_removed;
    size_t n;

    log_mark = log_count();
    run_ok("undefine fox2", host_a);
    /* the worst actions ask for the name to be typed */
    assert_non_null(U.typed);
    assert_string_equal(U.typed, "fox2");
    assert_non_null(strstr(U.question, "fox2"));
    if (!wait_for(dom_gone, (void *)uuid, WAIT_MS))
        fail_msg("fox2 is still in the model; last message: %s", log_last()->text);
    wait_logged("has been undefined");
    assert_null(model_dom_by_name(host_a, "fox2"));
    model_doms(host_a, &n);
    assert_int_equal(n, 6);
    assert_true(N.dom_removed > removed);
    settle(host_a);
    model_doms(host_a, &n);
    assert_int_equal(n, 6);                     /* no late refresh revives it */
}

struct flag_want {
    const char *name;
    const bool *on;
};

static bool
autostart_is_of(void *arg)
{
    const struct flag_want *w = arg;

    return dom(host_a, w->name)->autostart == *w->on;
}

static bool
autostart_is(void *arg)
{
    return dom(host_a, "alpha")->autostart == *(bool *)arg;
}

static void
test_autostart(void **state)
{
    bool on = true, off = false;

    settle(host_a);
    assert_false(dom(host_a, "alpha")->autostart);
    /* libvirt sends no event for this: the dispatcher's refresh shows it */
    run_ok("autostart alpha", host_a);
    if (!wait_for(autostart_is, &on, WAIT_MS))
        fail_msg("autostart of alpha not in the model; last: %s", log_last()->text);
    run_ok("autostart --disable alpha", host_a);
    if (!wait_for(autostart_is, &off, WAIT_MS))
        fail_msg("autostart of alpha still on; last: %s", log_last()->text);
}

/* The define rows (what the XML editor submits on the file it edited):
 * each defines from a file on this machine, says what it made to whoever
 * asked, and a failure or a refusal says why, once. */
struct ended {
    bool over;
    char *error, *made;
};

static void
ended(const char *error, const char *made, void *opaque)
{
    struct ended *e = opaque;

    e->over = true;
    e->error = error ? strdup(error) : NULL;
    e->made = made ? strdup(made) : NULL;
}

static bool
is_over(void *arg)
{
    return ((struct ended *)arg)->over;
}

static void
define_file(const char *row, const char *xml, struct ended *e, int host)
{
    char path[] = "/tmp/virtmux-define-XXXXXX";
    int fd = mkstemp(path);
    AUTOFREE char *line = NULL;

    assert_true(fd >= 0);
    assert_int_equal(write(fd, xml, strlen(xml)), (ssize_t)strlen(xml));
    close(fd);
    line = xasprintf("%s --validate %s", row, path);
    memset(e, 0, sizeof(*e));
    action_run_line_then(line, &(struct act_ctx){ .host = host }, ended, e);
    assert_true(wait_for(is_over, e, WAIT_MS));
    unlink(path);
}

static void
test_define_rows(void **state)
{
    struct ended e;

    settle(host_a);
    define_file("net-define", "<network><name>defined-net</name>"
                "<bridge name='virbr77'/></network>", &e, host_a);
    assert_null(e.error);
    assert_string_equal(e.made, "defined-net");
    assert_non_null(strstr(log_last()->text, "Network 'defined-net' defined from /tmp/"));
    assert_non_null(strstr(log_last()->text, "$ virsh -c "));
    free(e.made);

    define_file("pool-define", "<pool type='dir'><name>defined-pool</name>"
                "<target><path>/tmp/defined-pool</path></target></pool>", &e, host_a);
    assert_null(e.error);
    assert_string_equal(e.made, "defined-pool");
    free(e.made);

    /* libvirt's refusal names the object from the file */
    define_file("define", "<domain type='test'><name>broken</name><memory>x</memory>"
                "</domain>", &e, host_a);
    assert_non_null(e.error);
    assert_non_null(strstr(e.error, "Failed to define domain 'broken' from '/tmp/"));
    assert_null(e.made);
    free(e.error);
}

/* A boot's event re-reads the state only (src/host/host.c): what it does
 * not read (autostart, persistence) is kept as the model had it. */
static void
test_boot_keeps_flags(void **state)
{
    bool on = true, off = false;

    settle(host_a);
    run_ok("autostart bravo", host_a);
    if (!wait_for(autostart_is_of, &(struct flag_want){ "bravo", &on }, WAIT_MS))
        fail_msg("autostart of bravo not in the model; last: %s", log_last()->text);
    run_ok("start bravo", host_a);
    wait_dom_state(host_a, "bravo", VIR_DOMAIN_RUNNING);
    settle(host_a);
    assert_true(dom(host_a, "bravo")->autostart);
    assert_true(dom(host_a, "bravo")->persistent);
    run_ok("destroy bravo", host_a);
    wait_dom_state(host_a, "bravo", VIR_DOMAIN_SHUTOFF);
    settle(host_a);
    assert_true(dom(host_a, "bravo")->autostart);
    assert_true(dom(host_a, "bravo")->persistent);
    run_ok("autostart --disable bravo", host_a);
    if (!wait_for(autostart_is_of, &(struct flag_want){ "bravo", &off }, WAIT_MS))
        fail_msg("autostart of bravo still on; last: %s", log_last()->text);
}

/* The dispatcher refuses what the object's state does not allow. */
static void
test_state_checks(void **state)
{
    settle(host_a);
    run_refused("start alpha", host_a, "shut off");
    run_refused("shutdown bravo", host_a, "not running");
    run_refused("resume bravo", host_a, "not paused");
    run_refused("autostart echo", host_a, "transient");
    run_refused("undefine echo", host_a, "transient");
    run_refused("managedsave-remove bravo", host_a, "managed save");
    run_refused("domrename alpha x", host_a, "shut off");
    run_refused("start no-such", host_a, "no-such");
    run_refused("frobnicate", host_a, "frobnicate");
}

/* libvirt's own refusal comes back as a sentence naming the object. */
static void
test_libvirt_error(void **state)
{
    settle(host_a);
    log_mark = log_count();
    run_ok("domrename bravo delta", host_a);
    wait_logged("Failed to rename domain 'bravo' to 'delta'");
    assert_int_equal(log_last()->level, LOG_ERROR);
    settle(host_a);
    assert_string_equal(dom(host_a, "bravo")->uuid,
                        "00000000-0000-4000-a000-000000000002");
    assert_string_equal(dom(host_a, "delta")->uuid,
                        "00000000-0000-4000-a000-000000000004");
}

static void
test_managedsave_start(void **state)
{
    settle(host_a);
    assert_true(dom(host_a, "delta")->managedsave);
    run_ok("start delta", host_a);
    wait_dom_state(host_a, "delta", VIR_DOMAIN_RUNNING);
    settle(host_a);
    assert_false(dom(host_a, "delta")->managedsave);   /* restored from it */
    run_ok("managedsave delta", host_a);
    wait_dom_state(host_a, "delta", VIR_DOMAIN_SHUTOFF);
    settle(host_a);
    assert_true(dom(host_a, "delta")->managedsave);
}

static void
test_readonly_host(void **state)
{
    int ro = model_host_add(uri_a, true);
    int shown = U.shown;
    const struct m_host *h;
    struct act_ctx ctx = { ro, NULL };

    host_start(ro);
    assert_true(wait_for(host_settled, &ro, WAIT_MS));
    h = model_host_get(ro);
    if (h->state != HOST_UP)
        fail_msg("read-only host-a is %s: %s", model_host_state_name(h->state),
                 h->reason ? h->reason : "-");
    assert_true(h->readonly);
    /* its own private copy of the fixture, as the file says */
    assert_int_equal(dom(ro, "bravo")->state, VIR_DOMAIN_SHUTOFF);
    assert_non_null(dom(ro, "foxtrot"));

    run_refused("start bravo", ro, "read-only");
    assert_non_null(strstr(log_last()->text, "start"));
    run_refused("destroy alpha", ro, "read-only");
    /* the UI's rows too: the dispatcher refuses before the UI is asked */
    run_refused("vnc-ctrl-alt-del alpha", ro, "read-only");
    {
        /* an edit's define too, and its editor hears why */
        struct ended e;

        define_file("net-define", "<network><name>nope</name></network>", &e, ro);
        assert_non_null(e.error);
        assert_non_null(strstr(e.error, "read-only"));
        free(e.error);
    }
    settle(ro);
    assert_int_equal(dom(ro, "bravo")->state, VIR_DOMAIN_SHUTOFF);

    /* reading is fine */
    assert_int_equal(action_run_line("dumpxml bravo", &ctx), 0);
    assert_true(wait_for(text_shown, &shown, WAIT_MS));
    assert_non_null(strstr(U.text, "<name>bravo</name>"));
}

static void
test_unknown_uri(void **state)
{
    const char *uri = "test:///nonexistent/file.xml";
    int bad = model_host_add(uri, false);
    const struct m_host *h;
    struct act_ctx ctx = { bad, NULL };
    size_t n;

    host_start(bad);
    if (!wait_for(host_lost, &bad, WAIT_MS))
        fail_msg("the host is %s, not lost",
                 model_host_state_name(model_host_get(bad)->state));
    h = model_host_get(bad);
    assert_non_null(h->reason);
    if (!strstr(h->reason, "/nonexistent/file.xml"))
        fail_msg("the reason does not name the problem: %s", h->reason);
    assert_false(h->loaded);
    model_doms(bad, &n);
    assert_int_equal(n, 0);
    /* an error retrying cannot fix: no retry, and the reason says so */
    assert_int_equal(h->state, HOST_FAILED);
    assert_int_equal(h->retry_at, 0);
    assert_non_null(strstr(h->reason, "not retried"));

    /* commands for it say it is not connected */
    assert_int_equal(action_run_line("refresh", &ctx), 0);   /* UI row */
    run_refused("define /dev/null", bad, "connected");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_connect_and_list),
        cmocka_unit_test(test_reason_names),
        cmocka_unit_test(test_start),
        cmocka_unit_test(test_destroy_confirmed),
        cmocka_unit_test(test_destroy_cancelled),
        cmocka_unit_test(test_suspend_resume),
        cmocka_unit_test(test_dumpxml),
        cmocka_unit_test(test_domrename),
        cmocka_unit_test(test_undefine),
        cmocka_unit_test(test_autostart),
        cmocka_unit_test(test_state_checks),
        cmocka_unit_test(test_libvirt_error),
        cmocka_unit_test(test_managedsave_start),
        cmocka_unit_test(test_boot_keeps_flags),
        cmocka_unit_test(test_define_rows),
        cmocka_unit_test(test_readonly_host),
        cmocka_unit_test(test_unknown_uri),
    };

    return cmocka_run_group_tests_name("model", tests, setup, teardown);
}
