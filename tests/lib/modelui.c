/* modelui.c: the fake UI of the model tests and clonebench (see
 * modelui.h): it answers a confirmation at once with U.answer and keeps
 * the last question, text and status it was given; and the loop run until
 * a predicate holds, with the host predicates the tests wait on. No cmocka
 * here: clonebench links it without. */
#include <autoconf.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "action.h"
#include "host.h"
#include "loop.h"
#include "model.h"
#include "util.h"

#include "modelui.h"

struct modeltest_ui U;

static void
fake_confirm(const char *question, const char *typed,
             void (*cb)(bool ok, void *opaque), void *opaque)
{
    U.confirms++;
    free(U.question);
    free(U.typed);
    U.question = xstrdup(question);
    U.typed = xstrdup(typed);
    cb(U.answer, opaque);
}

static void
fake_action(struct act_call *c)
{
    U.ui_actions++;
}

static void
fake_show_text(const char *title, const char *text)
{
    U.shown++;
    free(U.title);
    free(U.text);
    U.title = xstrdup(title);
    U.text = xstrdup(text);
}

static void
fake_edit(int host, enum act_target kind, const char *uuid, const char *name, const char *xml)
{
}

static void
fake_status(const char *text)
{
    free(U.status);
    U.status = xstrdup(text);
}

const struct action_ui test_ui = {
    fake_confirm, fake_action, fake_show_text, fake_edit, fake_status,
};

void
ui_free(void)
{
    free(U.question);
    free(U.typed);
    free(U.title);
    free(U.text);
    free(U.status);
    U.question = U.typed = U.title = U.text = U.status = NULL;
}

bool
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

bool
host_settled(void *arg)
{
    const struct m_host *h = model_host_get(*(int *)arg);

    return h->state == HOST_UP || h->state == HOST_LOST || h->state == HOST_FAILED;
}

bool
host_lost(void *arg)
{
    enum host_state st = model_host_get(*(int *)arg)->state;

    return st == HOST_LOST || st == HOST_FAILED;
}

bool
host_idle(void *arg)
{
    return host_pending(*(int *)arg) == 0;
}
