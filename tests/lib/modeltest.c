/* modeltest.c: the model tests' helpers (see modeltest.h): the set-up and
 * tear-down every model test does, the fixtures' URIs, settling a host,
 * and ':' lines dispatched as the UI dispatches them, with what they must
 * say. A failure is cmocka's (fail_msg, assert_*): it fails the test that
 * called the helper. */
#include <autoconf.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "err.h"
#include "modeltest.h"
#include "util.h"

size_t log_mark;

int
modeltest_init(void)
{
    err_silence_libraries();
    loop_init();
    virtevent_register();
    if (virInitialize() < 0)
        return -1;
    action_set_ui(&test_ui);
    U.answer = true;
    return 0;
}

bool
modeltest_host_start(const char *fixture, int *host, char **uri)
{
    *uri = fixture_uri(fixture);
    *host = model_host_add(*uri, false);
    host_start(*host);
    return wait_for(host_settled, host, WAIT_MS);
}

void
modeltest_settle_all(void)
{
    for (int h = 0; h < model_nhosts(); h++) {
        if (model_host_get(h)->state == HOST_UP)
            settle(h);
    }
}

void
modeltest_free(void)
{
    model_free();
    log_free();
    ui_free();
}

char *
fixture_uri(const char *name)
{
    const char *top = getenv("top_srcdir");
    char abs[PATH_MAX];
    AUTOFREE char *dir = NULL;

    if (top && *top) {
        dir = xasprintf("%s/tests/data", top);
    } else {
        AUTOFREE char *file = xstrdup(__FILE__);

        dir = xasprintf("%s/../data", dirname(file));
    }
    if (!realpath(dir, abs))
        fail_msg("cannot find the fixtures at %s", dir);
    return xasprintf("test://%s/%s", abs, name);
}

void
settle(int host)
{
    for (int round = 0; round < 2; round++) {
        assert_true(wait_for(host_idle, &host, WAIT_MS));
        for (int i = 0; i < 3; i++)
            loop_iterate(5);
    }
    assert_true(wait_for(host_idle, &host, WAIT_MS));
}

void
run_ok(const char *line, int host)
{
    struct act_ctx ctx = { host, NULL };

    if (action_run_line(line, &ctx) < 0)
        fail_msg("'%s' was refused: %s", line, log_last() ? log_last()->text : "-");
}

void
run_refused(const char *line, int host, const char *why)
{
    struct act_ctx ctx = { host, NULL };
    size_t before = log_count();

    if (action_run_line(line, &ctx) == 0)
        fail_msg("'%s' should have been refused", line);
    assert_true(log_count() > before);
    assert_int_equal(log_last()->level, LOG_ERROR);
    if (!strstr(log_last()->text, why))
        fail_msg("'%s' was refused with \"%s\"; wanted \"%s\"", line,
                 log_last()->text, why);
}

void
run_until_said(int host, const char *line, const char *said)
{
    settle(host);
    log_mark = log_count();
    run_ok(line, host);
    wait_logged(said);
}

struct dom_state {
    int host;
    const char *name;
    int state;
};

static bool
dom_in_state(void *arg)
{
    struct dom_state *s = arg;
    struct m_dom *d = model_dom_by_name(s->host, s->name);

    return d && d->state == s->state;
}

void
wait_dom_state(int host, const char *name, int state)
{
    struct dom_state s = { host, name, state };

    if (!wait_for(dom_in_state, &s, WAIT_MS)) {
        struct m_dom *d = model_dom_by_name(host, name);
        const struct log_entry *l = log_last();

        fail_msg("'%s' did not become %s (it is %s); last message: %s", name,
                 model_dom_state_name(state),
                 d ? model_dom_state_name(d->state) : "gone", l ? l->text : "-");
    }
}

char *
quoted_line(const char *before, const char *name, const char *after)
{
    AUTOFREE char *q = util_shell_quote(name);

    return xasprintf("%s%s%s", before, q, after);
}

bool
logged(void *arg)
{
    for (size_t i = log_mark; i < log_count(); i++) {
        if (strstr(log_get(i)->text, (const char *)arg))
            return true;
    }
    return false;
}

void
wait_logged(const char *text)
{
    if (!wait_for(logged, (void *)text, WAIT_MS))
        fail_msg("no message \"%s\"; last: %s", text,
                 log_last() ? log_last()->text : "-");
}

bool
text_shown(void *arg)
{
    return U.shown > *(int *)arg;
}
