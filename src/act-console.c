/* act-console.c: the 'console' row. The handler connects a non-blocking
 * stream to the domain's console on the worker; its done hook hands the
 * stream to a console session and asks the UI to show it. Another client
 * holding the console is not an error here: the session opens in the
 * "held by another client" state and offers to take it over. */
#include <autoconf.h>

#include <stdlib.h>
#include <libvirt/virterror.h>

#include "action.h"
#include "consoles.h"
#include "log.h"

static int
act_console(struct act_call *c, virConnectPtr conn)
{
    struct err e;
    virStreamPtr st = consoles_open_stream(conn, c->uuid, c->name,
                                           action_arg(c, "devname"),
                                           action_arg(c, "force") != NULL, &e);

    if (!st && !(e.code == VIR_ERR_OPERATION_FAILED &&
                 strstr(e.msg, "ctive console session"))) {
        c->r.err = e;
        return -1;
    }
    c->data = st;
    return 0;
}

static void
act_console_done(struct act_call *c)
{
    int id = consoles_adopt(c->host, c->uuid, c->name, action_arg(c, "devname"),
                            c->data, 24, 80);
    struct con_session *s = consoles_get(id);
    const char *logpath = action_arg(c, "log");
    struct err e;

    c->data = NULL;
    if (logpath && console_log(s->con, logpath, &e) < 0)
        log_msg(LOG_ERROR, "%s", e.msg);
    action_ui_console(id);
}

static const struct act_arg a_console[] = {
    { "domain", ARG_DOMAIN, ARG_REQUIRED | ARG_POSITIONAL, "domain name" },
    { "devname", ARG_STRING, ARG_POSITIONAL, "console or serial device alias" },
    { "force", ARG_BOOL, 0, "take the console over from another client" },
    { "log", ARG_FILE, ARG_VIRTMUX, "copy everything the guest prints to a file" },
    { NULL, 0, 0, NULL },
};

const struct action act_console_rows[] = {
    { "console", TARGET_DOMAIN, ACT_NEEDS_ACTIVE, a_console,
      "Open the domain's serial console in a pane (C-] gives the keys back)",
      act_console, act_console_done },
    { NULL, 0, 0, NULL, NULL, NULL, NULL },
};
