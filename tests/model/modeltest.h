/* modeltest.h: helpers shared by the model tests (test-model.c,
 * test-storage.c): a fake UI that answers confirmations at once and keeps
 * what it was shown, the fixtures' test:/// URIs, running the loop until
 * a condition holds or a host is idle, and dispatching ':' lines with
 * action_run_line as the UI does. Include after <cmocka.h>. */
#ifndef VIRTMUX_MODELTEST_H
#define VIRTMUX_MODELTEST_H

#include <libgen.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libvirt/libvirt.h>

#include "action.h"
#include "host.h"
#include "log.h"
#include "loop.h"
#include "model.h"
#include "virtevent.h"

#define WAIT_MS 10000

/* ---- the fake UI ---- */

static struct {
    bool answer;                 /* what confirm says */
    int confirms;
    char *question, *typed;
    int shown;
    char *title, *text;
    int ui_actions;
    char *status;
} U;

static inline void
ui_confirm(const char *question, const char *typed,
           void (*cb)(bool ok, void *opaque), void *opaque)
{
    U.confirms++;
    free(U.question);
    free(U.typed);
    U.question = xstrdup(question);
    U.typed = xstrdup(typed);
    cb(U.answer, opaque);
}

static inline void
ui_action(struct act_call *c)
{
    U.ui_actions++;
}

static inline void
ui_show_text(const char *title, const char *text)
{
    U.shown++;
    free(U.title);
    free(U.text);
    U.title = xstrdup(title);
    U.text = xstrdup(text);
}

static inline void
ui_edit(int host, enum act_target kind, const char *uuid, const char *name, const char *xml)
{
}

static inline void
ui_status(const char *text)
{
    free(U.status);
    U.status = xstrdup(text);
}

static const struct action_ui test_ui = {
    ui_confirm, ui_action, ui_show_text, ui_edit, ui_status,
};

/* What the fake UI kept. */
static inline void
ui_free(void)
{
    free(U.question);
    free(U.typed);
    free(U.title);
    free(U.text);
    free(U.status);
    U.question = U.typed = U.title = U.text = U.status = NULL;
}

/* ---- helpers ---- */

/* "test:///ABS/tests/data/NAME" (caller frees). */
static inline char *
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

typedef bool (*pred)(void *arg);

/* Run the loop until p(arg) holds; false after ms. */
static inline bool
wait_for(pred p, void *arg, int ms)
{
    int64_t end = util_now_ms() + ms;

    while (!p(arg)) {
        if (util_now_ms() >= end)
            return false;
        loop_iterate(100);
    }
    return true;
}

static inline bool
host_settled(void *arg)
{
    const struct m_host *h = model_host_get(*(int *)arg);

    return h->state == HOST_UP || h->state == HOST_LOST;
}

static inline bool
host_lost(void *arg)
{
    return model_host_get(*(int *)arg)->state == HOST_LOST;
}

static inline bool
host_idle(void *arg)
{
    return host_pending(*(int *)arg) == 0;
}

/* Run the loop until host has no request left, then a little more so
 * that events queued by the last call are dispatched and served too. */
static inline void
settle(int host)
{
    for (int round = 0; round < 2; round++) {
        assert_true(wait_for(host_idle, &host, WAIT_MS));
        for (int i = 0; i < 3; i++)
            loop_iterate(5);
    }
    assert_true(wait_for(host_idle, &host, WAIT_MS));
}

static inline void
run_ok(const char *line, int host)
{
    struct act_ctx ctx = { host, NULL };

    if (action_run_line(line, &ctx) < 0)
        fail_msg("'%s' was refused: %s", line, log_last() ? log_last()->text : "-");
}

/* The command is refused before it reaches the host, saying why. */
static inline void
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

static size_t log_mark;

/* A message containing text was logged since log_mark. */
static inline bool
logged(void *arg)
{
    for (size_t i = log_mark; i < log_count(); i++) {
        if (strstr(log_get(i)->text, (const char *)arg))
            return true;
    }
    return false;
}

static inline void
wait_logged(const char *text)
{
    if (!wait_for(logged, (void *)text, WAIT_MS))
        fail_msg("no message \"%s\"; last: %s", text,
                 log_last() ? log_last()->text : "-");
}

static inline bool
text_shown(void *arg)
{
    return U.shown > *(int *)arg;
}

#endif
