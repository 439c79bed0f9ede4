/* act.h: what only the act-*.c files share (the public face of the action
 * table is action.h). */
#ifndef VIRTMUX_ACT_H
#define VIRTMUX_ACT_H

#include <libvirt/libvirt.h>

#include "action.h"
#include "snapxml.h"

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
