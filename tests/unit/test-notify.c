/* notify's promise (notify.h): subscribing and unsubscribing are safe
 * during dispatch. A callback drops itself or another; one added during
 * dispatch hears the next event, not the current one; an event emitted
 * from a callback reaches everyone still subscribed. */
#include <autoconf.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "notify.h"

static int calls[4];
static int ids[4];
static int added = -1;

static void
count(const struct notify_ev *ev, void *opaque)
{
    calls[(intptr_t)opaque]++;
}

/* subscriber 0 drops itself and subscriber 2 */
static void
drop_self_and_2(const struct notify_ev *ev, void *opaque)
{
    calls[0]++;
    notify_unsubscribe(ids[0]);
    notify_unsubscribe(ids[2]);
}

static void
test_unsubscribe_during_dispatch(void **state)
{
    (void)state;
    ids[0] = notify_subscribe(drop_self_and_2, NULL);
    ids[1] = notify_subscribe(count, (void *)1);
    ids[2] = notify_subscribe(count, (void *)2);
    notify_emit(NOTIFY_DOMAIN, 0, "k", 0);
    assert_int_equal(calls[0], 1);
    assert_int_equal(calls[1], 1);
    assert_int_equal(calls[2], 0);       /* dropped before its turn */
    notify_emit(NOTIFY_DOMAIN, 0, "k", 0);
    assert_int_equal(calls[0], 1);       /* dropped itself */
    assert_int_equal(calls[1], 2);
    assert_int_equal(calls[2], 0);
    notify_unsubscribe(ids[1]);
    notify_emit(NOTIFY_DOMAIN, 0, "k", 0);
    assert_int_equal(calls[1], 2);
}

/* subscriber 3 is added by the first event's dispatch */
static void
add_one(const struct notify_ev *ev, void *opaque)
{
    if (added < 0)
        added = notify_subscribe(count, (void *)3);
}

/* a callback emits another event: everyone hears both, once each */
static void
nested(const struct notify_ev *ev, void *opaque)
{
    calls[0]++;
    if (ev->kind == NOTIFY_HOST)
        notify_emit(NOTIFY_JOB, -1, NULL, 0);
}

static void
test_subscribe_and_emit_during_dispatch(void **state)
{
    int a, b, c;

    (void)state;
    for (int i = 0; i < 4; i++)
        calls[i] = 0;
    a = notify_subscribe(add_one, NULL);
    notify_emit(NOTIFY_POOL, 0, NULL, 0);
    assert_true(added > 0);
    assert_int_equal(calls[3], 0);       /* not for the event that added it */
    notify_emit(NOTIFY_POOL, 0, NULL, 0);
    assert_int_equal(calls[3], 1);
    notify_unsubscribe(a);
    notify_unsubscribe(added);

    calls[0] = calls[1] = 0;
    b = notify_subscribe(nested, NULL);
    c = notify_subscribe(count, (void *)1);
    notify_emit(NOTIFY_HOST, 0, NULL, 0);
    assert_int_equal(calls[0], 2);       /* HOST, then the JOB it emitted */
    assert_int_equal(calls[1], 2);
    notify_unsubscribe(b);
    notify_unsubscribe(c);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unsubscribe_during_dispatch),
        cmocka_unit_test(test_subscribe_and_emit_during_dispatch),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
