/* The session registry (src/term/sessions.c) with stand-in back ends: ids
 * unique across consoles and previews, lookup by kind, domain and device,
 * closing sessions hidden from lookups, state names per kind, a change
 * told to the panes under the kind's notification, and the reattach
 * rules as the domain changes in the model: stopped -> reattach when it
 * runs, closed -> stopped when it stops, a closed one whose domain runs
 * is shown to its back end; other domains and hosts leave it alone. */
#include <autoconf.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <libvirt/libvirt.h>
#include <cmocka.h>

#include "model.h"
#include "sessions.h"

#define UUID_A "11111111-1111-1111-1111-111111111111"
#define UUID_B "22222222-2222-2222-2222-222222222222"

static int reattached, closed_running;
static int last_hook_id;

static void
reattach(struct session *s)
{
    reattached++;
    last_hook_id = s->id;
    sessions_set_state(s, SESSION_OPENING, NULL);
}

static void
on_closed_running(struct session *s)
{
    closed_running++;
    last_hook_id = s->id;
}

static const struct session_ops console_ops = {
    .kind = SESSION_CONSOLE, .notify = NOTIFY_CONSOLE,
    .when_running = "the console reattaches when it starts",
    .reattach = reattach, .closed_running = on_closed_running,
};

static const struct session_ops preview_ops = {
    .kind = SESSION_PREVIEW, .notify = NOTIFY_VNC,
    .when_running = "the preview starts when it does",
    .reattach = reattach,
};

static int host;

/* Put domain uuid of the host in the model in that state (emits the event). */
static void
dom_state(const char *uuid, const char *name, int state, int id)
{
    struct m_dom *d = model_dom_new(host, uuid, name);

    d->state = state;
    d->id = id;
    model_dom_put(d);
}

static void
remove_all(void)
{
    size_t n;

    while (sessions_list(&n), n)
        sessions_remove(sessions_list(&n)[0]);
}

static void
test_add_find_remove(void **state)
{
    int impl;
    struct session *c1 = sessions_add(&console_ops, host, UUID_A, "web", NULL, &impl);
    struct session *c2 = sessions_add(&console_ops, host, UUID_A, "web", "serial1", NULL);
    struct session *p = sessions_add(&preview_ops, host, UUID_A, "web", NULL, NULL);
    struct session **v;
    size_t n;
    int last = p->id;

    assert_true(c1->id != c2->id && c2->id != p->id && c1->id != p->id);
    assert_int_equal(c1->state, SESSION_CLOSED);
    assert_ptr_equal(c1->impl, &impl);
    assert_string_equal(c1->name, "web");
    assert_null(c1->dev);
    assert_ptr_equal(sessions_get(c2->id), c2);
    assert_ptr_equal(sessions_get(p->id), p);
    /* by kind, domain and device */
    assert_ptr_equal(sessions_find(SESSION_CONSOLE, host, UUID_A, NULL), c1);
    assert_ptr_equal(sessions_find(SESSION_CONSOLE, host, UUID_A, "serial1"), c2);
    assert_ptr_equal(sessions_find(SESSION_PREVIEW, host, UUID_A, NULL), p);
    assert_null(sessions_find(SESSION_CONSOLE, host, UUID_A, "serial2"));
    assert_null(sessions_find(SESSION_CONSOLE, host, UUID_B, NULL));
    assert_null(sessions_find(SESSION_CONSOLE, host + 1, UUID_A, NULL));
    assert_int_equal(sessions_count(SESSION_CONSOLE), 2);
    assert_int_equal(sessions_count(SESSION_PREVIEW), 1);
    /* in opening order */
    v = sessions_list(&n);
    assert_int_equal(n, 3);
    assert_ptr_equal(v[0], c1);
    assert_ptr_equal(v[2], p);
    /* a closing session is listed but no lookup finds it */
    p->closing = true;
    assert_null(sessions_get(p->id));
    assert_null(sessions_find(SESSION_PREVIEW, host, UUID_A, NULL));
    assert_int_equal(sessions_count(SESSION_PREVIEW), 1);
    sessions_remove(p);
    sessions_remove(c1);
    v = sessions_list(&n);
    assert_int_equal(n, 1);
    assert_ptr_equal(v[0], c2);
    assert_null(sessions_find(SESSION_CONSOLE, host, UUID_A, NULL));
    remove_all();
    assert_int_equal(sessions_count(SESSION_CONSOLE), 0);
    /* ids are never given twice */
    c1 = sessions_add(&console_ops, host, UUID_A, "web", NULL, NULL);
    assert_true(c1->id > last);
    remove_all();
}

static int seen_kind = -1, seen_count;
static char seen_key[16];

static void
collect(const struct notify_ev *ev, void *opaque)
{
    if (ev->kind != NOTIFY_CONSOLE && ev->kind != NOTIFY_VNC)
        return;
    seen_kind = (int)ev->kind;
    seen_count++;
    snprintf(seen_key, sizeof(seen_key), "%s", ev->key ? ev->key : "");
}

static void
test_states_and_changes(void **state)
{
    int sub = notify_subscribe(collect, NULL);
    struct session *c = sessions_add(&console_ops, host, UUID_A, "web", NULL, NULL);
    struct session *p = sessions_add(&preview_ops, host, UUID_A, "web", NULL, NULL);
    char want[16];

    sessions_set_state(c, SESSION_OPEN, NULL);
    assert_string_equal(sessions_state_name(c), "attached");
    assert_int_equal(seen_kind, NOTIFY_CONSOLE);
    snprintf(want, sizeof(want), "%d", c->id);
    assert_string_equal(seen_key, want);
    assert_null(c->msg);
    sessions_set_state(p, SESSION_REFUSED, "The VNC server asks for a password");
    assert_string_equal(sessions_state_name(p), "needs a password");
    assert_string_equal(p->msg, "The VNC server asks for a password");
    assert_int_equal(seen_kind, NOTIFY_VNC);
    snprintf(want, sizeof(want), "%d", p->id);
    assert_string_equal(seen_key, want);
    sessions_set_state(c, SESSION_REFUSED, "held");
    assert_string_equal(sessions_state_name(c), "held by another client");
    sessions_set_state(p, SESSION_OPENING, NULL);
    assert_string_equal(sessions_state_name(p), "connecting");
    assert_null(p->msg);
    seen_count = 0;
    sessions_changed(c);
    assert_int_equal(seen_count, 1);
    assert_int_equal(seen_kind, NOTIFY_CONSOLE);
    /* the sentence names the domain and says what happens next */
    sessions_stopped(c);
    assert_int_equal(c->state, SESSION_STOPPED);
    assert_string_equal(c->msg, "Domain 'web' is not running; the console "
                                "reattaches when it starts");
    sessions_stopped(p);
    assert_string_equal(p->msg, "Domain 'web' is not running; the preview starts "
                                "when it does");
    notify_unsubscribe(sub);
    remove_all();
}

static void
test_reattach_rules(void **state)
{
    struct session *c, *p, *other, *bare;

    dom_state(UUID_A, "web", VIR_DOMAIN_SHUTOFF, -1);
    dom_state(UUID_B, "db", VIR_DOMAIN_RUNNING, 7);
    c = sessions_add(&console_ops, host, UUID_A, "web", NULL, NULL);
    p = sessions_add(&preview_ops, host, UUID_A, "web", NULL, NULL);
    other = sessions_add(&console_ops, host, UUID_B, "db", NULL, NULL);
    bare = sessions_add(&preview_ops, -1, "", "bare", NULL, NULL);
    assert_false(sessions_domain_running(c));
    assert_true(sessions_domain_running(other));
    assert_true(sessions_domain_running(bare));     /* no domain behind it */

    /* closed, and the domain is shut off: stopped with the sentence */
    dom_state(UUID_A, "web", VIR_DOMAIN_SHUTOFF, -1);
    assert_int_equal(c->state, SESSION_STOPPED);
    assert_int_equal(p->state, SESSION_STOPPED);
    assert_non_null(strstr(c->msg, "reattaches when it starts"));
    assert_int_equal(other->state, SESSION_CLOSED);  /* another domain */
    assert_int_equal(bare->state, SESSION_CLOSED);
    assert_int_equal(reattached, 0);

    /* the domain runs: both reattach, once each */
    dom_state(UUID_A, "web", VIR_DOMAIN_RUNNING, 3);
    assert_int_equal(reattached, 2);
    assert_int_equal(c->state, SESSION_OPENING);
    assert_int_equal(p->state, SESSION_OPENING);
    dom_state(UUID_A, "web", VIR_DOMAIN_RUNNING, 3);
    assert_int_equal(reattached, 2);

    /* closed under a running domain: the console's back end is asked, a
     * preview (no hook) stays closed */
    sessions_set_state(c, SESSION_CLOSED, "The console stream was closed");
    sessions_set_state(p, SESSION_CLOSED, "The VNC server closed the connection");
    closed_running = 0;
    dom_state(UUID_A, "web", VIR_DOMAIN_RUNNING, 4);
    assert_int_equal(closed_running, 1);
    assert_int_equal(last_hook_id, c->id);
    assert_int_equal(p->state, SESSION_CLOSED);

    /* a closing session is left alone */
    p->closing = true;
    dom_state(UUID_A, "web", VIR_DOMAIN_SHUTOFF, -1);
    assert_int_equal(c->state, SESSION_STOPPED);
    assert_int_equal(p->state, SESSION_CLOSED);

    /* an event of another host leaves it alone too */
    sessions_set_state(c, SESSION_STOPPED, NULL);
    reattached = 0;
    dom_state(UUID_A, "web", VIR_DOMAIN_RUNNING, 5);
    assert_int_equal(reattached, 1);
    sessions_set_state(c, SESSION_STOPPED, NULL);
    notify_emit(NOTIFY_DOMAIN, host + 1, UUID_A, MODEL_CHANGED);
    assert_int_equal(reattached, 1);
    /* a whole-list event (no key) covers every domain of the host */
    notify_emit(NOTIFY_DOMAINS, host, NULL, MODEL_CHANGED);
    assert_int_equal(reattached, 2);
    remove_all();
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_find_remove),
        cmocka_unit_test(test_states_and_changes),
        cmocka_unit_test(test_reattach_rules),
    };
    int rc;

    host = model_host_add("test:///default", false);
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    model_free();
    return rc;
}
