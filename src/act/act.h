/* act.h: what only the act-*.c files share (the public face of the action
 * table is action.h). */
#ifndef VIRTMUX_ACT_H
#define VIRTMUX_ACT_H

#include <libvirt/libvirt.h>

#include "action.h"
#include "imgraph.h"
#include "snapxml.h"

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


/* act-define.c: define, net-define, pool-define */
extern const struct action act_define_rows[];

/* act-clonedisk.c: a clone's disks and their job (act-clone.c plans them). */
struct clone_vol {
    char *pool;              /* the pool the new volume goes to */
    char *name;              /* its name there */
    char *path;              /* where it will be */
    char *src;               /* the source image's path */
    char *format, *src_format;
    unsigned long long capacity, allocation;
    bool link;
    bool made;               /* created (to take back on failure) */
};

struct clone_job {
    int host;
    int job_id;
    char *name;              /* the clone's */
    char *src_name;
    struct clone_vol *vols;
    size_t nvols;
    bool start;
    char *title;
    char *taken_back;        /* what take_back did, for the messages */
    bool take_back_failed;
};
void act_clone_job_free(struct clone_job *j);
/* Take back what a clone made: its volumes, then its definition; what was
 * done (or could not be) in j->taken_back. Worker or job thread. */
void act_clone_take_back(virConnectPtr conn, struct clone_job *j);
/* Make one disk: link or copy (blocks for a copy). */
int act_clone_make_vol(virConnectPtr conn, struct clone_vol *v, struct err *e);
/* Start the job that makes j's full copies and starts the clone when
 * asked (loop thread; j taken over). */
void act_clone_job_start(struct clone_job *j);

/* act-target.c: what the dispatcher needs of each kind of target. */
struct act_found {
    int host;
    const char *uuid;            /* a volume's: its pool's */
    const char *name;
    const char *pool;            /* pools and volumes: the pool's name */
};
struct target_ops {
    const char *word, *title;    /* "domain", "Domain" */
    const char *arg;             /* the argument that names one */
    const char *view;            /* where one is selected, for messages: " (2)" */
    const char *define;          /* the row that defines one from an XML file */
    const char *missing, *missing_why; /* "No volume at" 'spec' "in ...": when none is
                                        * found, instead of "Volume 'spec' not found" */
    /* the object spec (name or UUID; a volume: its path) on host */
    bool (*find)(int host, const char *spec, struct act_found *f);
    /* the selection's: 1 found, 0 none selected, -1 with e */
    int (*selected)(const struct act_ctx *ctx, struct act_found *f, struct err *e);
    /* what its state allows the row (the model's view; the handler asks the host) */
    int (*check)(const struct act_call *c, struct err *e);
    /* after a row ran on it: mutated (the row writes), event (libvirt reports it) */
    void (*reread)(int host, const char *uuid, bool mutated, bool event);
};
const struct target_ops *act_target_ops(enum act_target t);
/* The one rule for a named object: on host first; with host_given only
 * there; else on the only other host that has it. 0, or -1 with e. */
int act_find_on_hosts(enum act_target t, const char *spec, int host, bool host_given,
                      struct act_found *f, struct err *e);
/* A domain's, snapshot's or network's row: its target from the argument
 * that names it or from the selection; fills c->host, c->uuid, c->name. */
int act_resolve_target(struct act_call *c, const struct act_ctx *ctx, int host,
                       bool host_given, struct err *e);
/* What the target's state allows the row. */
int act_check_target(const struct act_call *c, struct err *e);
/* Re-read the target after the row ran (done or failed). */
void act_reread_target(const struct act_call *c);

/* act-snapshot.c: the call's snapshot (error set when it is gone), and a
 * snapshot's record as the host has it now (NULL: not readable). */
virDomainSnapshotPtr act_snap_lookup(struct act_call *c, virDomainPtr dom);
struct snap_info *act_snap_read(virDomainSnapshotPtr snap);

/* act-snapplan.c: the plan hooks of snapshot-revert and snapshot-delete. */
int act_snap_plan_revert(struct act_call *c, virConnectPtr conn);
int act_snap_plan_delete(struct act_call *c, virConnectPtr conn);
/* An internal snapshot's revert rewinds the images it lives in: refused
 * (-1, c->r.err) when that breaks another domain's disk or snapshot, or
 * ours without --insist; 0 with c->ask_note naming the files and *drop the
 * snapshots whose records must go (NULL-terminated, caller frees). */
int act_snap_rewind_check(struct act_call *c, virConnectPtr conn, const struct snap_info *si,
                          char ***drop);
/* Drop the records (metadata only) of names; what happened, for a result
 * ("; no longer usable, records dropped: 'a'"). Borrowed, per thread. */
const char *act_snap_drop_records(virDomainPtr dom, char **names);
/* The first external snapshot among those a delete takes (snap itself
 * when self, its descendants when kids), or NULL; caller frees. */
char *act_snap_external_among(virDomainSnapshotPtr snap, bool self, bool kids);

#endif
