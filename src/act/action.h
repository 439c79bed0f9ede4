/* action.h: the one action table. Every user action is a row: its name
 * (virsh's where one exists), target, typed arguments, flags, help, and
 * the handler that runs on the host worker. Keys, the ':' line with its
 * completion, the help screen, read-only enforcement, confirmations and
 * the "equivalent virsh command" all come from these rows. */
#ifndef VIRTMUX_ACTION_H
#define VIRTMUX_ACTION_H

#include <libvirt/libvirt.h>

#include "host.h"
#include "imgraph.h"
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
};

/* What the UI carries out for an ACT_UI row: ui/commands.c has one
 * handler each, in a table indexed by these (no name comparisons). */
#define ACT_UI_OPS(X) X(FORM) X(VIEW) X(CONSOLE) X(VNC) X(VNC_SCREENSHOT) X(VNC_CAD) \
    X(QUIT) X(HELP) X(FILTER) X(SORT) X(MESSAGES) X(DETAILS) X(REFRESH) X(JOBS) X(JOB_CANCEL) \
    X(PANE_INPUT) X(PANE_CLOSE) X(PANE_REATTACH) X(ZOOM) X(SCROLL) X(SEARCH_BACK) \
    X(SEARCH_NEXT) X(VNC_PASSWORD)
#define ACT_UI_OP_ENUM(n) UIOP_##n,
enum act_ui_op { UIOP_NONE, ACT_UI_OPS(ACT_UI_OP_ENUM) UIOP_COUNT };

enum arg_type { ARG_BOOL, ARG_STRING, ARG_DOMAIN, ARG_FILE, ARG_ACTION, ARG_NETWORK, ARG_POOL,
                ARG_VOLUME, ARG_SNAPSHOT };
enum { ARG_REQUIRED = 1, ARG_POSITIONAL = 2,
       ARG_VIRTMUX = 4,             /* an option virsh does not have */
       ARG_REPEAT = 8 };            /* may be given again (--diskspec): values
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
/* Define edited XML (of a domain, network or pool) on host; cb
 * runs on the loop thread with NULL on success or the error sentence. */
void action_define_xml(int host, enum act_target kind, const char *xml, const char *what,
                       void (*cb)(const char *error, const char *name, void *opaque),
                       void *opaque);

/* act-domain.c, act-network.c */
extern const struct action act_domain_rows[];
extern const struct action act_network_rows[];
extern const struct action act_iface_rows[];
extern const struct action act_storage_rows[];
extern const struct action act_volume_rows[];
/* act-volxfer.c: vol-upload, vol-download (jobs) and the job rows */
extern const struct action act_volxfer_rows[];
/* act-volume.c: the call's volume (and its pool when poolp), looked up on
 * the worker; refuse (error set, doing: "wiping") what would break another
 * user of its image, with the image graph: a running domain with it
 * anywhere in a disk's chain, and with dependents, the images backed by it
 * and the snapshots that froze it. */
virStorageVolPtr act_vol_lookup(struct act_call *c, virConnectPtr conn,
                                virStoragePoolPtr *poolp);
int act_vol_refuse_in_use(struct act_call *c, virConnectPtr conn, virStorageVolPtr vol,
                          const char *doing, bool dependents);
/* act-storage.c: the pool or volume a command names (or the selection's);
 * fills c->host, c->uuid (the pool), c->name, c->pool. host_given: --host. */
int act_resolve_storage(struct act_call *c, const struct act_ctx *ctx, int host,
                        bool host_given, struct err *e);
/* What the pool's or volume's state allows. */
int act_check_storage(const struct act_call *c, struct err *e);
/* "domain", "network", "pool", "volume" */
const char *act_target_word(enum act_target t);
/* The target domain of a call, looked up on the worker (error set if gone). */
virDomainPtr act_domain_lookup(struct act_call *c, virConnectPtr conn);
/* --live/--config as given, else live when running plus config when
 * persistent (act-iface.c; device hotplug rows share it). */
unsigned int act_affect(struct act_call *c, virDomainPtr dom);
extern const struct action act_disk_rows[];
extern const struct action act_clone_rows[];
extern const struct action act_template_rows[];
/* act-ui.c: the rows the UI carries out */
extern const struct action act_ui_rows[];
extern const struct action act_blockjob_rows[];
/* act-chain.c: the chain of a domain's disk as the live XML has it: its
 * file, then each backing file (NULL-terminated, caller frees with
 * util_strv_free). */
char **act_disk_chain(virDomainPtr dom, const char *disk);
/* The host's image graph (every domain's chains, snapshots, volumes);
 * worker; caller frees with imgraph_free. */
struct imgraph *act_chain_read(virConnectPtr conn);
/* "a <- b <- c" (caller frees). */
char *act_chain_text(char *const *chain);
/* A block merge on one disk, decided with the image graph. */
struct act_merge {
    char **chain;                /* the disk's chain when planned */
    char *top;                   /* commit: the top layer; pull: the active one */
    char *base;                  /* commit: the image written; pull: the new
                                  * backing file (NULL: none, all pulled in) */
    char *written;               /* the image the job writes */
    char *removed;               /* the layers that leave the chain, "a, b" */
    char *note;                  /* a sentence naming those files */
    bool pull, active;
};
/* Plan a commit of top (NULL: the active layer) into base (NULL: top's own
 * backing file, never libvirt's bottom-of-the-chain default), or a pull
 * into the active layer down to base (NULL: everything), on disk of dom;
 * snap: the snapshot whose delete this is (its freeze is ours). Refused,
 * NULL with e, when anything else depends on the image written. */
struct act_merge *act_merge_plan(virConnectPtr conn, virDomainPtr dom, const char *domname,
                                 const char *disk, bool pull, const char *top,
                                 const char *base, const char *snap, struct err *e);
void act_merge_free(struct act_merge *m);
/* A block job for merge m (taken over) on disk of the call's domain,
 * prepared on the worker into c->data; act_blockjob_start (a done hook)
 * starts it on the loop. snapshot: drop that snapshot's record once the
 * job succeeded. */
int act_blockjob_prepare(struct act_call *c, const char *disk, struct act_merge *m,
                         const char *snapshot);
void act_blockjob_start(struct act_call *c);
/* act-template.c: template-mark/unmark handlers; deploy --sysprep: is
 * virt-sysprep usable for this host (worker); run it on the named clones
 * as a job, then start them (loop; names taken over). */
int act_template_mark(struct act_call *c, virConnectPtr conn);
int act_template_unmark(struct act_call *c, virConnectPtr conn);
int act_sysprep_check(struct act_call *c, virConnectPtr conn);
void act_sysprep_start(int host, char **names, bool start);
/* act-snapext.c: external snapshot revert and delete (see there). */
int act_snapext_revert(struct act_call *c, virDomainPtr dom, virDomainSnapshotPtr snap,
                       const char *snapname);
int act_snapext_delete(struct act_call *c, virDomainPtr dom, virDomainSnapshotPtr snap,
                       const char *snapname);
/* The merge deleting external snapshot snapname would run (its disk in
 * *diskp), checked with the image graph; NULL with c->r.err: refused. */
struct act_merge *act_snapext_delete_plan(struct act_call *c, virConnectPtr conn,
                                          virDomainPtr dom, virDomainSnapshotPtr snap,
                                          const char *snapname, char **diskp);
/* The connection's host is this machine (no host in the URI): its paths
 * can be looked at and its files copied from here (act-storage.c). */
bool act_local_host(virConnectPtr conn);
/* The storage volume at path, refreshing the pools once if none knows it. */
virStorageVolPtr act_vol_by_path(virConnectPtr conn, const char *path);
/* act-snapshot.c: the snapshot-* rows; the snapshot a TARGET_SNAPSHOT row
 * names (or the selection's), checked against the model when the
 * domain's list is read; and what the snapshot's kind and the domain's
 * state allow. */
extern const struct action act_snapshot_rows[];
int act_resolve_snapshot(struct act_call *c, const struct act_ctx *ctx, struct err *e);
int act_check_snapshot(const struct act_call *c, struct err *e);
/* snapshot-create-as's default name for a domain: YYYYMMDD-HHMMSS, with
 * -2, -3 ... when the model has that one already. */
void act_snapshot_default_name(int host, const char *uuid, char *buf, size_t len);
/* The domains with a disk match() accepts, "a (running), b" (the running
 * mark and *running only when running is given), skipping the domain
 * skip_uuid; NULL when none (act-disk.c). Worker. */
char *act_disk_users(virConnectPtr conn, bool (*match)(const struct dom_disk *k, const char *arg),
                     const char *arg, const char *skip_uuid, bool *running);
/* undefine's storage (act-disk.c): the volumes to delete with a domain
 * (all its disks', or those of list: targets or paths), NULL + error when
 * one cannot be (not in a pool, used by another domain, read-only); delete
 * them after the definition is gone, adding what happened to c->result. */
char **act_disk_volumes(struct act_call *c, virConnectPtr conn, bool all, const char *list);
void act_delete_volumes(struct act_call *c, virConnectPtr conn, char **paths);
/* undefine's confirmation, listing the volumes it deletes. */
char *act_undefine_question(const struct act_call *c);
/* Volumes backed by the file at path, "a.qcow2, b.qcow2", or NULL, as the
 * pools last saw them (act-chain.c; cheap: start asks it). */
char *act_dependents_of(virConnectPtr conn, const char *path);
/* done hooks shared by rows whose result the UI shows */
void act_show_output(struct act_call *c);
void act_open_editor(struct act_call *c);

#endif
