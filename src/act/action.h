/* action.h: the one action table. Every user action is a row: its name
 * (virsh's where one exists), target, typed arguments, flags, help, and
 * the handler that runs on the host worker. Keys, the ':' line with its
 * completion, the help screen, read-only enforcement, confirmations and
 * the "equivalent virsh command" all come from these rows. */
#ifndef VIRTMUX_ACTION_H
#define VIRTMUX_ACTION_H

#include <libvirt/libvirt.h>

#include "host.h"
#include "model.h"

enum act_target { TARGET_NONE, TARGET_HOST, TARGET_DOMAIN, TARGET_NETWORK, TARGET_POOL,
                  TARGET_VOLUME,
                  TARGET_SNAPSHOT };    /* a domain's snapshots: the domain, plus the
                                         * snapshot an ARG_SNAPSHOT names */

enum {
    ACT_MUTATES = 1 << 0,        /* refused on read-only hosts */
    ACT_DESTRUCTIVE = 1 << 1,    /* asks y/n first */
    ACT_CONFIRM_NAME = 1 << 2,   /* asks for the object's name to be typed */
    ACT_NEEDS_ACTIVE = 1 << 3,
    ACT_NEEDS_INACTIVE = 1 << 4,
    ACT_NEEDS_PAUSED = 1 << 5,
    ACT_NEEDS_PERSISTENT = 1 << 6,
    ACT_NEEDS_MANAGEDSAVE = 1 << 7,
    ACT_UI = 1 << 8,             /* carried out by the UI (no libvirt call) */
    ACT_NO_VIRSH = 1 << 9,       /* virsh has no such command */
    ACT_VOL_UNUSED = 1 << 10,    /* refused while a running domain uses the volume */
    ACT_VOL_NO_DEPENDENTS = 1 << 11, /* refused while images are backed by the volume */
    ACT_EVENT = 1 << 12,         /* libvirt's lifecycle event reports the change: no
                                  * re-read of its own where the host sends events */
    ACT_AWAIT = 1 << 13,         /* libvirt returns before the change is done (a
                                  * shutdown): its end is announced when it comes */
};

/* What the UI carries out for an ACT_UI row: ui/commands.c has one
 * handler each, in a table indexed by these (no name comparisons). */
#define ACT_UI_OPS(X) X(FORM) X(VIEW) X(CONSOLE) X(VNC) X(VNC_SCREENSHOT) X(VNC_CAD) \
    X(QUIT) X(HELP) X(FILTER) X(SORT) X(MESSAGES) X(DETAILS) X(REFRESH) X(JOBS) X(JOB_CANCEL) \
    X(PANE_INPUT) X(PANE_CLOSE) X(PANE_REATTACH) X(ZOOM) X(SCROLL) X(SEARCH_BACK) \
    X(SEARCH_NEXT) X(VNC_PASSWORD) X(EVENTS) X(VNC_ACTUAL) X(VNC_PAN)
#define ACT_UI_OP_ENUM(n) UIOP_##n,
enum act_ui_op { UIOP_NONE, ACT_UI_OPS(ACT_UI_OP_ENUM) UIOP_COUNT };

enum arg_type { ARG_BOOL, ARG_STRING, ARG_DOMAIN, ARG_FILE, ARG_ACTION, ARG_NETWORK, ARG_POOL,
                ARG_VOLUME, ARG_SNAPSHOT };
enum { ARG_REQUIRED = 1, ARG_POSITIONAL = 2,
       ARG_VIRTMUX = 4,             /* an option virsh does not have (the virsh
                                     * line names it as virtmux's own) */
       ARG_REPEAT = 8,
       ARG_CHECK_ONLY = 16 };       /* with ARG_VIRTMUX: it only skips a check
                                     * of virtmux's (virsh makes none): the
                                     * virsh line is the same without it */            /* may be given again (--diskspec): values
                                     * joined by newlines */

struct act_arg {
    const char *name;
    enum arg_type type;
    unsigned flags;
    const char *help;
};

struct act_call;
struct act_fill;

struct action {
    const char *name;
    enum act_target target;
    unsigned flags;
    const struct act_arg *args;  /* NULL-name terminated; the target first */
    const char *help;
    /* worker thread: 0 or -1 with c->r.err; set c->result / c->output */
    int (*run)(struct act_call *c, virConnectPtr conn);
    /* loop thread, after run succeeded (optional) */
    void (*done)(struct act_call *c);
    /* loop thread: the confirmation question when the help line is not
     * enough (what will be lost, who uses it); optional, caller frees */
    char *(*question)(const struct act_call *c);
    /* worker, before anything is asked (optional): check with what the
     * host says now (refusals come before the question) and name the
     * files the action writes, merges or deletes in c->ask (the whole
     * question) or c->ask_note (a sentence put before the row's question) */
    int (*plan)(struct act_call *c, virConnectPtr conn);
    /* loop thread (optional): a form's first values, from the model and
     * the selection it opened on */
    void (*defaults)(struct act_fill *f);
    /* loop thread (optional): checks that need no host (names, sizes,
     * the host's other networks), for a form and the ':' line alike */
    int (*validate)(const struct act_fill *f, struct err *e);
    /* ACT_UI rows: what the UI does (its handler in ui/commands.c) */
    enum act_ui_op ui;
};

/* A form's fields, or a ':' line's arguments, by argument name: what the
 * rows' defaults and validate hooks read and write. */
struct act_fill {
    const struct action *act;
    int host;
    const char *domain, *network, *pool; /* the selection, by name */
    const char *snap_uuid, *snap;    /* the snapshots view's domain and snapshot */
    const char *(*get)(const struct act_fill *f, const char *arg); /* NULL: empty */
    void (*set)(struct act_fill *f, const char *arg, const char *value);
    void *opaque;
};

/* What host allows row a: connected, and not read-only for a row that
 * changes it (the dispatcher's own check; forms ask it before opening). */
int action_host_allows(const struct action *a, int host, struct err *e);
/* The checks that need no host: sizes with their units, then the row's
 * validate hook; 0, or -1 with e. */
int action_validate(const struct act_fill *f, struct err *e);

#define ACT_MAX_ARGS 12

struct act_call {
    struct req r;
    const struct action *act;
    int host;
    char uuid[UUID_LEN];         /* target domain, network or pool (a volume's pool) */
    char *name;                  /* target's name at dispatch time */
    char *pool;                  /* a volume's pool name */
    char *vals[ACT_MAX_ARGS];    /* parsed values by arg index; "1" for bools */
    char *result;                /* success sentence */
    char *output;                /* text for the UI (dumpxml ...) */
    char *virsh;                 /* the equivalent virsh command line */
    void *data;                  /* handler's result for its done hook */
    char *ask;                   /* the plan's question (replaces the row's) */
    char *ask_note;              /* the plan's sentence before the row's question */
    char *made;                  /* the name of what the row defined or created */
    int state_after;             /* a lifecycle row: the domain's state once its call
                                  * returned, as libvirt promises (0: none) */
    /* action_run_line_then: called once when the call is over */
    void (*then)(const char *error, const char *made, void *opaque);
    void *then_opaque;
};

/* What the UI lends the dispatcher (src/ never includes curses). */
struct action_ui {
    /* Ask; call cb(true) to go on. typed: the text to type, NULL for y/n. */
    void (*confirm)(const char *question, const char *typed,
                    void (*cb)(bool ok, void *opaque), void *opaque);
    /* Run a UI action (quit, help, filter ...). */
    void (*ui_action)(struct act_call *c);
    /* Show a text (dumpxml) in a viewer. */
    void (*show_text)(const char *title, const char *text);
    /* Edit an object's XML and define it (edit, net-edit). */
    void (*edit)(int host, enum act_target kind, const char *uuid, const char *name,
                 const char *xml);
    /* A status line message (the virsh line while it runs). */
    void (*status)(const char *text);
};

/* The context a command runs in: the pane's selection. */
struct act_ctx {
    int host;                    /* selected host, -1 none */
    const char *uuid;            /* selected domain, or NULL */
    const char *net;             /* selected network, or NULL */
    const char *pool;            /* selected pool (UUID), or NULL */
    const char *vol;             /* selected volume (name, in pool), or NULL */
    const char *snap;            /* selected snapshot (name, of uuid), or NULL */
};

void action_set_ui(const struct action_ui *ui);
const struct action *action_find(const char *name);
/* All rows, NULL-name terminated. */
const struct action *action_table(void);
/* Parse and run a command line ("start web01", "autostart --disable").
 * Errors go to the log; returns 0 when dispatched. */
int action_run_line(const char *line, const struct act_ctx *ctx);
/* The same, then then(error, made, opaque) on the loop thread once the call
 * is over: error NULL when it succeeded (made: the name of what a define
 * row defined), else the sentence already logged (refused, failed,
 * "Cancelled"). */
int action_run_line_then(const char *line, const struct act_ctx *ctx,
                         void (*then)(const char *error, const char *made, void *opaque),
                         void *opaque);
/* Parse only (tests): fills *out (caller frees with action_call_free). */
int action_parse(const char *line, const struct act_ctx *ctx,
                 struct act_call **out, struct err *e);
void action_call_free(struct act_call *c);
/* The index of argument name in a's arguments, -1 when it has none. */
int action_arg_index(const struct action *a, const char *name);
/* The value of argument name in c, NULL when not given. */
const char *action_arg(const struct act_call *c, const char *name);
/* Candidates to complete the last word of line (NULL-terminated, caller
 * frees with util_strv_free); *start is where the word starts in line. */
char **action_complete(const char *line, const struct act_ctx *ctx, size_t *start);
/* "virsh -c URI start web01" for a parsed call (caller frees). */
char *action_virsh_line(const struct act_call *c);
/* Usage line "domrename <domain> <new-name>" (caller frees). */
char *action_usage(const struct action *a);

/* "domain", "network", "pool", "volume"; "Domain" ... (act-target.c) */
const char *act_target_word(enum act_target t);
const char *act_target_title(enum act_target t);
/* The row that defines an object of kind t from an XML file ("net-define";
 * NULL: none). */
const char *action_define_row(enum act_target t);
/* Re-read an object of kind t after it changed outside a row (an edit). */
void action_reread(enum act_target t, int host, const char *uuid);

#endif
