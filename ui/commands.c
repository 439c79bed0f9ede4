/* commands.c: what the action table asks of the UI: confirmations, the
 * virtmux-only commands (quit, help, filter, sort, messages, details,
 * refresh, vnc ...), showing text and consoles, editing XML. */
#include <autoconf.h>

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "action.h"
#include "consoles.h"
#include "host.h"
#include "job.h"
#include "log.h"
#include "model.h"
#include "ui.h"
#include "vnc.h"


static void
hook_confirm(const char *question, const char *typed,
             void (*cb)(bool ok, void *opaque), void *opaque)
{
    /* a question may lead with a line of detail (what a snapshot-delete
     * takes): shown above the prompt, the question itself on it */
    const char *nl = strrchr(question, '\n');
    const char *ask = nl ? nl + 1 : question, *tail = NULL;
    AUTOFREE char *detail = nl ? xstrndup(question, (size_t)(nl - question)) : NULL;
    AUTOFREE char *head = NULL;

    /* too long for the status line with room to answer: what it says goes
     * above with the detail, whole; the last sentence (what to answer)
     * stays on the prompt */
    if (util_width(ask) > COLS - 16) {
        for (const char *p = ask; *p; p++) {
            if ((*p == '.' || *p == '?') && p[1] == ' ' && p[2])
                tail = p + 2;
        }
    }
    if (tail) {
        head = xstrndup(ask, (size_t)(tail - ask - 1));
        if (detail) {
            char *d = xasprintf("%s %s", detail, head);

            free(detail);
            detail = d;
        } else {
            detail = xstrdup(head);
        }
        ask = tail;
    }
    prompt_confirm(ask, typed, cb, opaque);
    if (detail)
        prompt_detail(detail);
}

/* The console of a domain: the pane already showing it, or a new one. */
static void
open_console(struct act_call *c)
{
    const char *dev = action_arg(c, "devname"), *logpath = action_arg(c, "log");
    const struct session *s = sessions_find(SESSION_CONSOLE, c->host, c->uuid, dev);
    int id = s ? s->id : -1;
    struct pane *p;
    struct err e;

    if (id < 0)
        id = consoles_open(c->host, c->uuid, c->name, dev, action_arg(c, "force") != NULL,
                           24, 80);
    else if (action_arg(c, "force"))
        consoles_reattach(id, true);
    if (logpath && console_log(consoles_console(id), logpath, &e) < 0)
        log_msg(LOG_ERROR, "%s", e.msg);
    else if (logpath)
        log_msg(LOG_INFO, "The console of '%s' is logged to %s", c->name, logpath);
    ui_view_for_side();
    if ((p = pane_console_show(id)))
        ui_set_focus(p);
}

/* job-cancel [id]: the named job, else the selected one, else the only
 * running one. */
static void
cancel_job(const char *arg)
{
    int id = arg ? atoi(arg[0] == '#' ? arg + 1 : arg) : pane_jobs_selected(), running = 0;
    const struct job *j;
    struct err e;

    if (arg && id <= 0) {
        log_msg(LOG_ERROR, "'%s' is not a job number (jobs lists them)", arg);
        return;
    }
    if (!arg && !((j = job_get(id)) && j->state == JOB_RUNNING)) {
        id = 0;
        for (size_t i = 0; (j = job_nth(i)); i++) {
            if (j->state == JOB_RUNNING) {
                id = j->id;
                running++;
            }
        }
        if (running > 1) {
            log_msg(LOG_ERROR, "%d jobs are running: select one or give its number", running);
            return;
        }
        if (!running) {
            log_msg(LOG_ERROR, "No job is running");
            return;
        }
    }
    if (job_cancel(id, &e) < 0)
        log_msg(LOG_ERROR, "%s", e.msg);
    else
        log_msg(LOG_INFO, "Cancelling job %d (%s)", id, job_get(id)->title);
}

static void
op_quit(struct act_call *c)
{
    ui_quit();
}

static void
op_help(struct act_call *c)
{
    struct pane *f = ui_focus(), *list = ui_view_pane(ui_view_current());
    AUTOFREE char *t = help_text(action_arg(c, "command"), f ? f->kind->name : NULL,
                                 list ? list->kind->name : NULL);

    ui_text_show("help", t);
}

/* The focused list filters (the view's list when the focus is elsewhere). */
static void
op_filter(struct act_call *c)
{
    ui_filter(action_arg(c, "text") ? action_arg(c, "text") : "");
}

static void
op_sort(struct act_call *c)
{
    ui_sort(action_arg(c, "column"));
}

static void
op_jobs(struct act_call *c)
{
    AUTOFREE char *t = job_list_text();

    ui_text_show("jobs", t);
}

static void
op_job_cancel(struct act_call *c)
{
    cancel_job(action_arg(c, "id"));
}

static void
op_details(struct act_call *c)
{
    ui_toggle_details();
}

/* The history, or only its events, one line each with the time. */
static char *
history_text(bool events_only)
{
    char *all = xstrdup("");

    for (size_t i = 0; i < log_count(); i++) {
        const struct log_entry *e = log_get(i);
        char ts[16];
        time_t t = (time_t)e->at;
        struct tm tm;
        char *n;

        if (events_only && e->level != LOG_EVENT)
            continue;
        strftime(ts, sizeof(ts), "%H:%M:%S", localtime_r(&t, &tm));
        n = xasprintf("%s%s %s %s\n", all, ts,
                      e->level == LOG_ERROR ? "error" :
                      e->level == LOG_WARN ? "warn " :
                      e->level == LOG_EVENT ? "event" : "info ", e->text);
        free(all);
        all = n;
    }
    return all;
}

static void
op_messages(struct act_call *c)
{
    AUTOFREE char *all = history_text(false);

    ui_text_show("messages", all);
}

static void
op_events(struct act_call *c)
{
    AUTOFREE char *all = history_text(true);

    ui_text_show("events", *all ? all : "No events yet: domains that change state on their own "
                 "or by another tool, and lost connections, are listed here.\n");
}

/* The form opens on the current view's selection: what every pane of
 * the view has selected (the pools' pool and the volumes' volume, focused
 * or not); the domain is the view's, else the domains list's. */
static void
op_form(struct act_call *c)
{
    struct act_ctx d = { .host = -1 }, v = { .host = -1 };
    struct pane *panes[PANE_MAX];
    int n = pane_all(panes, PANE_MAX);
    const struct m_dom *dom;
    const struct m_net *net;
    const struct m_pool *pool;
    const struct action *a;
    struct err e;

    pane_select(ui_view_pane(VIEW_DOMAINS), &d);
    for (int i = 0; i < n; i++) {
        if (panes[i]->kind->view == (int)ui_view_current())
            pane_select(panes[i], &v);
    }
    dom = v.uuid ? model_dom_get(v.host, v.uuid) : d.uuid ? model_dom_get(d.host, d.uuid) : NULL;
    net = v.net ? model_net_get(v.host, v.net) : NULL;
    pool = v.pool ? model_pool_get(v.host, v.pool) : NULL;
    /* a form whose command the host would refuse does not open */
    if ((a = action_find(action_arg(c, "command"))) && (a->flags & ACT_MUTATES) &&
        action_host_allows(a, v.host >= 0 ? v.host : 0, &e) < 0) {
        log_msg(LOG_ERROR, "%s", e.msg);
        return;
    }
    if (form_open(action_arg(c, "command"), v.host, dom ? dom->name : NULL,
                  net ? net->name : NULL, pool ? pool->name : NULL, v.vol) < 0)
        log_msg(LOG_ERROR, "No command '%s'", action_arg(c, "command"));
}

static void
op_view(struct act_call *c)
{
    const char *v = action_arg(c, "view");

    if (ui_view_parse(v) < 0)
        log_msg(LOG_ERROR, "No view '%s': domains, networks, storage or snapshots", v);
    else
        ui_view(v);
}

static void
op_vnc(struct act_call *c)
{
    struct pane *p;

    ui_view_for_side();
    if ((p = pane_vnc_show(vnc_open(c->host, c->uuid, c->name))))
        ui_set_focus(p);
}

static void
op_vnc_screenshot(struct act_call *c)
{
    pane_vnc_screenshot(action_arg(c, "file"));
}

static void
op_vnc_cad(struct act_call *c)
{
    pane_vnc_ctrl_alt_del(c->host, c->uuid, c->name);
}

static void
op_refresh(struct act_call *c)
{
    /* on a lost host: reconnect now rather than after the backoff */
    if (model_host_get(c->host)->state != HOST_UP) {
        host_retry_now(c->host);
        log_msg(LOG_INFO, "Reconnecting to '%s' now", model_host_get(c->host)->uri);
    } else {
        host_refresh_all(c->host);
        log_msg(LOG_INFO, "Reading the domains of '%s' again", model_host_get(c->host)->uri);
    }
}

/* The key tables of consoles and previews: the focused one acts. */
static void
op_pane(struct act_call *c)
{
    struct pane *p = ui_focus();
    bool done = p && p->kind->op && p->kind->op(p, c->act->ui, action_arg(c, "where"));

    if (!done)
        log_msg(LOG_ERROR, "'%s' works on the focused console%s (focus one: Tab, or "
                ":console DOMAIN)", c->act->name,
                c->act->ui == UIOP_PANE_INPUT || c->act->ui == UIOP_PANE_CLOSE ?
                " or preview" : "");
}

static void
op_zoom(struct act_call *c)
{
    ui_zoom_toggle();
}

/* One handler per UI operation of the action table (ui_commands_init
 * checks that none is missing). */
static void (*const ops[UIOP_COUNT])(struct act_call *c) = {
    [UIOP_FORM] = op_form, [UIOP_VIEW] = op_view, [UIOP_CONSOLE] = open_console,
    [UIOP_VNC] = op_vnc, [UIOP_VNC_SCREENSHOT] = op_vnc_screenshot, [UIOP_VNC_CAD] = op_vnc_cad,
    [UIOP_QUIT] = op_quit, [UIOP_HELP] = op_help, [UIOP_FILTER] = op_filter,
    [UIOP_SORT] = op_sort, [UIOP_MESSAGES] = op_messages, [UIOP_EVENTS] = op_events,
    [UIOP_VNC_ACTUAL] = op_pane, [UIOP_VNC_PAN] = op_pane, [UIOP_DETAILS] = op_details,
    [UIOP_REFRESH] = op_refresh, [UIOP_JOBS] = op_jobs, [UIOP_JOB_CANCEL] = op_job_cancel,
    [UIOP_PANE_INPUT] = op_pane, [UIOP_PANE_CLOSE] = op_pane, [UIOP_PANE_REATTACH] = op_pane,
    [UIOP_ZOOM] = op_zoom, [UIOP_SCROLL] = op_pane, [UIOP_SEARCH_BACK] = op_pane,
    [UIOP_SEARCH_NEXT] = op_pane, [UIOP_VNC_PASSWORD] = op_pane,
};

static void
hook_ui_action(struct act_call *c)
{
    if (c->act->ui > UIOP_NONE && c->act->ui < UIOP_COUNT && ops[c->act->ui])
        ops[c->act->ui](c);
    else
        log_msg(LOG_ERROR, "Command '%s' has no handler in this interface", c->act->name);
}

static void
hook_status(const char *text)
{
    ui_status(text, LOG_INFO);
}

static const struct action_ui hooks = {
    .confirm = hook_confirm,
    .ui_action = hook_ui_action,
    .show_text = ui_text_show,
    .edit = edit_start,
    .status = hook_status,
};

void
ui_commands_init(void)
{
    for (int i = UIOP_NONE + 1; i < UIOP_COUNT; i++) {
        if (!ops[i])
            fatal("UI operation %d of the action table has no handler", i);
    }
    action_set_ui(&hooks);
}
