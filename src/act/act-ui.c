/* act-ui.c: the rows the UI carries out (ACT_UI): each names its UI
 * operation, and ui/commands.c has the handler; views, forms, consoles and
 * previews, their key tables' commands, help, filter, quit. */
#include <autoconf.h>

#include <stdlib.h>

#include "act.h"
#include "job.h"

static const struct act_arg a_none[] = { { NULL } };

/* Quitting stops the jobs that run (a copy is taken back, a merge stops
 * where it is): a stray q must not do that unasked. */
static char *
ask_quit(const struct act_call *c)
{
    AUTOFREE char *names = xstrdup("");
    int n = 0;

    for (size_t i = 0; i < job_count(); i++) {
        const struct job *j = job_nth(i);
        char *t;

        if (j->state != JOB_RUNNING)
            continue;
        t = xasprintf("%s%s%s (%d%%)", names, n ? ", " : "", j->title,
                      job_percent(j->done, j->total));
        free(names);
        names = t;
        n++;
    }
    if (!n)
        return NULL;
    return xasprintf("%s\nQuit while %d job%s run%s? %s stopped. [y/N]", names, n,
                     n == 1 ? "" : "s", n == 1 ? "s" : "", n == 1 ? "It is" : "They are");
}
static const struct act_arg a_help[] = {
    { .name = "command", .type = ARG_ACTION, .flags = ARG_POSITIONAL,
      .help = "a command to explain" },
    { NULL },
};
static const struct act_arg a_filter[] = {
    { .name = "text", .type = ARG_STRING, .flags = ARG_POSITIONAL,
      .help = "show only rows containing text" },
    { NULL },
};
static const struct act_arg a_sort[] = {
    { .name = "column", .type = ARG_STRING, .flags = ARG_POSITIONAL,
      .help = "column name (again: reverse)" },
    { NULL },
};
static const struct act_arg a_host[] = {
    { .name = "host", .type = ARG_STRING, .flags = ARG_POSITIONAL,
      .help = "host URI (default: the selected)" },
    { NULL },
};

static const struct act_arg a_vnc[] = {
    { .name = "domain", .type = ARG_DOMAIN, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "domain name" },
    { NULL },
};
static const struct act_arg a_dom_opt[] = {
    { .name = "domain", .type = ARG_DOMAIN, .flags = ARG_POSITIONAL,
      .help = "domain name (default: the focused preview's, or the selected one)" },
    { NULL },
};
static const struct act_arg a_shot[] = {
    { .name = "file", .type = ARG_FILE, .flags = ARG_POSITIONAL,
      .help = "PNG file (default ~/virtmux-NAME-TIME.png)" },
    { NULL },
};

static const struct act_arg a_console[] = {
    { .name = "domain", .type = ARG_DOMAIN, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "domain name" },
    { .name = "devname", .type = ARG_STRING, .flags = ARG_POSITIONAL,
      .help = "console or serial device alias" },
    { .name = "force", .type = ARG_BOOL, .help = "take the console over from another client" },
    { .name = "log", .type = ARG_FILE, .flags = ARG_VIRTMUX,
      .help = "copy everything the guest prints to a file" },
    { NULL },
};

static const struct act_arg a_view[] = {
    { .name = "view", .type = ARG_STRING, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "domains, networks, storage or snapshots" },
    { NULL },
};

static const struct act_arg a_form[] = {
    { .name = "command", .type = ARG_ACTION, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "the command whose form to open" },
    { NULL },
};

static const struct act_arg a_pan[] = {
    { .name = "where", .type = ARG_STRING, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "left, right, up or down" },
    { NULL },
};
static const struct act_arg a_scroll[] = {
    { .name = "where", .type = ARG_STRING, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "up, down, page-up, page-down, top or bottom" },
    { NULL },
};

const struct action act_ui_rows[] = {
    { .name = "form", .flags = ACT_UI, .args = a_form, .ui = UIOP_FORM,
      .help = "Open a command's form (fields from its options; it submits the command)" },
    { .name = "view", .flags = ACT_UI, .args = a_view, .ui = UIOP_VIEW,
      .help = "Show the domains, the networks, the storage pools or a domain's snapshots" },
    { .name = "console", .target = TARGET_DOMAIN, .flags = ACT_UI | ACT_NEEDS_ACTIVE,
      .args = a_console, .ui = UIOP_CONSOLE,
      .help = "Open the domain's serial console in a pane (C-] gives the keys back)" },
    { .name = "vnc", .target = TARGET_DOMAIN, .flags = ACT_UI | ACT_NEEDS_ACTIVE,
      .args = a_vnc, .ui = UIOP_VNC,
      .help = "Show the domain's screen in a pane (VNC); Enter types into it" },
    { .name = "vnc-screenshot", .flags = ACT_UI, .args = a_shot, .ui = UIOP_VNC_SCREENSHOT,
      .help = "Save the preview's screen as a PNG file" },
    { .name = "vnc-ctrl-alt-del", .target = TARGET_DOMAIN,
      .flags = ACT_UI | ACT_MUTATES | ACT_DESTRUCTIVE | ACT_NEEDS_ACTIVE, .args = a_dom_opt,
      .ui = UIOP_VNC_CAD, .help = "Send Ctrl-Alt-Del to the guest of the domain's preview" },
    { .name = "pane-input", .flags = ACT_UI, .args = a_none, .ui = UIOP_PANE_INPUT,
      .help = "Type into the guest of the focused console or preview (the console escape, "
              "C-], gives the keys back)" },
    { .name = "pane-close", .flags = ACT_UI, .args = a_none, .ui = UIOP_PANE_CLOSE,
      .help = "Close the focused console or preview" },
    { .name = "pane-reattach", .flags = ACT_UI, .args = a_none, .ui = UIOP_PANE_REATTACH,
      .help = "Take the focused console back (from another client, or after it closed)" },
    { .name = "zoom", .flags = ACT_UI, .args = a_none, .ui = UIOP_ZOOM,
      .help = "Let the consoles and previews fill the screen, or share it again" },
    { .name = "scroll", .flags = ACT_UI, .args = a_scroll, .ui = UIOP_SCROLL,
      .help = "Scroll the focused console through its scrollback" },
    { .name = "search-back", .flags = ACT_UI, .args = a_none, .ui = UIOP_SEARCH_BACK,
      .help = "Search the focused console's scrollback for a text (asks for it)" },
    { .name = "search-next", .flags = ACT_UI, .args = a_none, .ui = UIOP_SEARCH_NEXT,
      .help = "Search the focused console's scrollback for the same text again" },
    { .name = "vnc-password", .flags = ACT_UI, .args = a_none, .ui = UIOP_VNC_PASSWORD,
      .help = "Type the VNC password the focused preview's server asks for" },
    { .name = "vnc-actual-size", .flags = ACT_UI, .args = a_none, .ui = UIOP_VNC_ACTUAL,
      .help = "Show the focused preview's pixels one to one (a region of the screen, moved "
              "with the arrows: small text becomes readable), or fit it again" },
    { .name = "vnc-pan", .flags = ACT_UI, .args = a_pan, .ui = UIOP_VNC_PAN,
      .help = "Move the region an actual-size preview shows" },
    { .name = "quit", .flags = ACT_UI, .args = a_none, .ui = UIOP_QUIT,
      .question = ask_quit, .help = "Leave virtmux (asks first while jobs run)" },
    { .name = "help", .flags = ACT_UI, .args = a_help, .ui = UIOP_HELP,
      .help = "Show keys and commands" },
    { .name = "filter", .flags = ACT_UI, .args = a_filter, .ui = UIOP_FILTER,
      .help = "Filter the list (empty: show all)" },
    { .name = "sort", .flags = ACT_UI, .args = a_sort, .ui = UIOP_SORT,
      .help = "Sort the list by a column" },
    { .name = "messages", .flags = ACT_UI, .args = a_none, .ui = UIOP_MESSAGES,
      .help = "Show the message history" },
    { .name = "events", .flags = ACT_UI, .args = a_none, .ui = UIOP_EVENTS,
      .help = "Show what happened on the hosts on its own: state changes made by the guest "
              "or another tool, lost and regained connections, with their times" },
    { .name = "details", .flags = ACT_UI, .args = a_none, .ui = UIOP_DETAILS,
      .help = "Show or hide the details pane" },
    { .name = "refresh", .target = TARGET_HOST, .flags = ACT_UI, .args = a_host,
      .ui = UIOP_REFRESH, .help = "Read the host's domains again" },
    { .name = NULL },
};

