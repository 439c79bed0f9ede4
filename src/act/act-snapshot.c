/* act-snapshot.c: the snapshot rows of the action table (virsh's
 * snapshot-* commands, their names and argument order) and their
 * handlers, which run on the host worker.
 *
 * The rows are TARGET_SNAPSHOT: the dispatcher finds the domain as for
 * any domain row, then act_resolve_snapshot the snapshot (named, or the
 * one selected in the snapshots view) and act_check_snapshot refuses from
 * the model what cannot work, before anything is sent; the handlers check
 * again with what the host says now. Internal snapshots are done here in
 * full. External ones are where the block-job work plugs in: their revert
 * and delete go through ext_revert() and ext_delete() below, which refuse
 * for now ("external revert: coming"). */
#include <autoconf.h>

#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <time.h>
#include <libvirt/virterror.h>

#include "act.h"
#include "action.h"
#include "snaptree.h"
#include "snapxml.h"

static const char *
snap_name(const struct act_call *c)
{
    return action_arg(c, "snapshotname");
}

void
act_snapshot_default_name(int host, const char *uuid, char *buf, size_t len)
{
    const struct m_snaps *s = model_snaps_get(host, uuid);
    char base[64];

    snapxml_default_name(time(NULL), base, sizeof(base));
    snprintf(buf, len, "%s", base);
    /* two in the same second: base-2, base-3 ... */
    for (int n = 2; model_snap_get(s, buf) && n < 1000; n++)
        snprintf(buf, len, "%s-%d", base, n);
}

int
act_resolve_snapshot(struct act_call *c, const struct act_ctx *ctx, struct err *e)
{
    const struct action *a = c->act;
    int k = action_arg_index(a, "snapshotname"), kn = action_arg_index(a, "name");
    const struct m_snaps *s = model_snaps_get(c->host, c->uuid);

    if (kn >= 0 && !c->vals[kn]) {
        char name[80];

        act_snapshot_default_name(c->host, c->uuid, name, sizeof(name));
        c->vals[kn] = xstrdup(name);
    }
    if (k < 0)
        return 0;
    /* the selection counts only for the domain the snapshots view shows */
    if (!c->vals[k] && ctx && ctx->snap && ctx->uuid && ctx->host == c->host &&
        STREQ(ctx->uuid, c->uuid))
        c->vals[k] = xstrdup(ctx->snap);
    if (!c->vals[k])
        return err_set(e, "Command '%s' needs a snapshot of '%s': select one (4) or name it",
                       a->name, c->name);
    if (s && s->n >= 0 && !model_snap_get(s, c->vals[k]))
        return err_set(e, "Domain '%s' has no snapshot '%s'", c->name, c->vals[k]);
    return 0;
}

/* The snapshots a delete takes away (the snapshot and/or its
 * descendants), from the model: the rows of the tree, [*from, *to). */
static struct snaptree_row *
tree_of(const struct m_snaps *s, const char *name, size_t *row, size_t *end)
{
    struct snaptree_in *in = xcalloc((size_t)s->n + 1, sizeof(*in));
    struct snaptree_row *rows;
    size_t idx = (size_t)s->n;

    for (int i = 0; i < s->n; i++) {
        in[i] = (struct snaptree_in){ s->v[i]->name, s->v[i]->parent, s->v[i]->created };
        if (STREQ(s->v[i]->name, name))
            idx = (size_t)i;
    }
    rows = snaptree_build(in, (size_t)s->n, false);
    free(in);
    *row = snaptree_row_of(rows, (size_t)s->n, idx);
    *end = *row < (size_t)s->n ? snaptree_subtree_end(rows, (size_t)s->n, *row) : *row;
    return rows;
}

int
act_check_snapshot(const struct act_call *c, struct err *e)
{
    const char *a = c->act->name;

    if (action_arg(c, "running") && action_arg(c, "paused"))
        return err_set(e, "Options --running and --paused of '%s' are mutually exclusive", a);
    if (action_arg(c, "children") && action_arg(c, "children-only"))
        return err_set(e, "Options --children and --children-only of '%s' are mutually "
                       "exclusive", a);
    return 0;
}

/* The domain a form or ':' line names, and its snapshot list (NULL when
 * not read). */
static const struct m_dom *
fill_dom(const struct act_fill *f, const struct m_snaps **s)
{
    const char *name = f->get(f, "domain");
    const struct m_dom *d = name ? model_dom_by_name(f->host, name) : NULL;

    *s = d ? model_snaps_get(f->host, d->uuid) : NULL;
    return d;
}

/* A name the domain has already, or a wrong diskspec, is refused before
 * anything is sent. */
static int
check_create_as(const struct act_fill *f, struct err *e)
{
    const struct m_snaps *s;
    const struct m_dom *d = fill_dom(f, &s);
    const char *name = f->get(f, "name");
    AUTOFREE char *xml = NULL;

    if (d && name && model_snap_get(s, name))
        return err_set(e, "Domain '%s' already has a snapshot '%s': choose another name",
                       d->name, name);
    if (name && !(xml = snapxml_build(name, NULL, f->get(f, "diskspec"), e)))
        return -1;
    return 0;
}

/* The worker checks again with fresh XML; this answers at once. */
static int
check_revert(const struct act_fill *f, struct err *e)
{
    const struct m_snaps *s;
    const struct m_dom *d = fill_dom(f, &s);
    const char *name = f->get(f, "snapshotname");
    const struct snap_info *si = name ? model_snap_get(s, name) : NULL;

    if (d && si && si->external && d->state != VIR_DOMAIN_SHUTOFF)
        return err_set(e, "Domain '%s' is running: shut it down first; reverting to "
                       "external snapshot '%s' puts its disks on new overlays", d->name, name);
    return 0;
}

/* External snapshots go one at a time, never with others. */
static int
check_delete(const struct act_fill *f, struct err *e)
{
    const struct m_snaps *s;
    const char *name = f->get(f, "snapshotname");
    bool kids = f->get(f, "children"), only = f->get(f, "children-only");
    const struct snap_info *si;
    struct snaptree_row *rows;
    const char *ext = NULL;
    size_t row, end;

    fill_dom(f, &s);
    if (!s || !name || !(si = model_snap_get(s, name)) || f->get(f, "metadata") ||
        !(kids || only))
        return 0;
    rows = tree_of(s, name, &row, &end);
    /* what goes: its descendants, or it and them */
    for (size_t r = only ? row + 1 : row; r < end && !ext; r++) {
        if (s->v[rows[r].idx]->external)
            ext = s->v[rows[r].idx]->name;
    }
    snaptree_free(rows, (size_t)s->n);
    if (ext)
        return err_set(e, "External snapshot '%s' would go too: external snapshots are "
                       "deleted one at a time, newest first (each merges its overlay)", ext);
    return 0;
}

/* ---- handlers (worker) ---- */

virDomainSnapshotPtr
act_snap_lookup(struct act_call *c, virDomainPtr dom)
{
    virDomainSnapshotPtr snap = virDomainSnapshotLookupByName(dom, snap_name(c), 0);

    if (!snap)
        err_virt(&c->r.err, "Failed to find snapshot '%s' of '%s'", snap_name(c), c->name);
    return snap;
}

struct snap_info *
act_snap_read(virDomainSnapshotPtr snap)
{
    char *xml = virDomainSnapshotGetXMLDesc(snap, 0);
    struct snap_info *si = xml ? snapxml_parse(xml, NULL) : NULL;

    free(xml);
    virResetLastError();
    return si;
}

/* An overlay path in a directory that does not exist (or cannot be
 * written) is refused before anything changes; only a local host's paths
 * can be looked at. */
static bool
overlay_dirs_missing(virConnectPtr conn, const char *snapxml, struct err *e)
{
    bool bad = false;
    struct snap_info *si = act_local_host(conn) ? snapxml_parse(snapxml, NULL) : NULL;

    for (size_t i = 0; si && i < si->ndisks && !bad; i++) {
        AUTOFREE char *dir = si->disks[i].file ? xstrdup(si->disks[i].file) : NULL;
        char *slash = dir ? strrchr(dir, '/') : NULL;
        struct stat st;

        if (!slash || slash == dir)
            continue;
        *slash = '\0';
        if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
            bad = err_set(e, "The overlay %s of disk %s would go in %s, which is not a "
                          "directory; nothing was changed", si->disks[i].file,
                          si->disks[i].name, dir) < 0;
        else if (access(dir, W_OK) < 0)
            bad = err_set(e, "The overlay %s of disk %s would go in %s, which cannot be "
                          "written; nothing was changed", si->disks[i].file, si->disks[i].name,
                          dir) < 0;
    }
    snapxml_free(si);
    virResetLastError();
    return bad;
}

static char pools_changed;       /* c->data of a create that made overlay files */

static int
act_snapshot_create_as(struct act_call *c, virConnectPtr conn)
{
    const char *name = action_arg(c, "name"), *specs = action_arg(c, "diskspec");
    bool disk_only = action_arg(c, "disk-only") != NULL;
    virDomainPtr dom = act_domain_lookup(c, conn);
    virDomainSnapshotPtr snap;
    AUTOFREE char *xml = NULL;
    unsigned int flags = 0;

    if (!dom)
        return -1;
    if ((snap = virDomainSnapshotLookupByName(dom, name, 0))) {
        virDomainSnapshotFree(snap);
        virDomainFree(dom);
        return err_set(&c->r.err, "Domain '%s' already has a snapshot '%s': choose another name",
                       c->name, name);
    }
    virResetLastError();
    if (!(xml = snapxml_build(name, action_arg(c, "description"), specs, &c->r.err))) {
        virDomainFree(dom);
        return -1;
    }
    if (!snapxml_wants_external(disk_only, specs)) {
        /* internal: every writable disk must be able to hold it */
        AUTOFREE char *dx = virDomainGetXMLDesc(dom, 0);

        if (!dx) {
            virDomainFree(dom);
            return err_virt(&c->r.err, "Failed to read the XML of '%s'", c->name);
        }
        if (snapxml_check_internal(dx, c->name, specs, &c->r.err) < 0) {
            virDomainFree(dom);
            return -1;
        }
    }
    if (disk_only)
        flags |= VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY;
    if (action_arg(c, "atomic"))
        flags |= VIR_DOMAIN_SNAPSHOT_CREATE_ATOMIC;
    if (action_arg(c, "quiesce"))
        flags |= VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE;
    if (overlay_dirs_missing(conn, xml, &c->r.err)) {
        virDomainFree(dom);
        return -1;
    }
    snap = virDomainSnapshotCreateXML(dom, xml, flags);
    if (!snap) {
        virErrorPtr ve = virGetLastError();

        if (action_arg(c, "quiesce") && ve && ve->message && strcasestr(ve->message, "agent"))
            err_set(&c->r.err, "No guest agent answers in '%s': --quiesce needs "
                    "qemu-guest-agent running in the guest (or leave --quiesce out); nothing "
                    "was changed", c->name);
        else
            err_virt(&c->r.err, "Failed to create snapshot '%s' of '%s'", name, c->name);
    }
    virDomainFree(dom);
    if (!snap)
        return -1;
    /* overlays made outside the storage API: their pools learn of them
     * now (a clone or vol-delete looks them up there) */
    if (snapxml_wants_external(disk_only, specs)) {
        char *sx = virDomainSnapshotGetXMLDesc(snap, 0);
        struct snap_info *si = sx ? snapxml_parse(sx, NULL) : NULL;

        for (size_t i = 0; si && i < si->ndisks; i++) {
            virStorageVolPtr v = si->disks[i].file ? act_vol_by_path(conn, si->disks[i].file)
                                                   : NULL;

            if (v)
                virStorageVolFree(v);
        }
        snapxml_free(si);
        free(sx);
        c->data = &pools_changed;
    }
    virDomainSnapshotFree(snap);
    c->result = xasprintf("Domain snapshot '%s' of '%s' created", name, c->name);
    return 0;
}

/* After a snapshot made files: the storage view reads the pools again. */
static void
created(struct act_call *c)
{
    if (c->data == &pools_changed)
        host_load_pools(c->host);
    c->data = NULL;
}

/* Reverting to an external snapshot: a new overlay on the snapshot's
 * image, the domain shut off first (libvirt 9.0 cannot). The external
 * flows replace this. */
static int
ext_revert(struct act_call *c, virDomainPtr dom, virDomainSnapshotPtr snap)
{
    return act_snapext_revert(c, dom, snap, snap_name(c));
}

/* Deleting an external snapshot (which: the first one among those that
 * go): a block job merges its overlay, then the record goes. */
static int
ext_delete(struct act_call *c, virDomainPtr dom, const char *which)
{
    virDomainSnapshotPtr snap = virDomainSnapshotLookupByName(dom, which, 0);
    int rc;

    if (!snap)
        return err_virt(&c->r.err, "Failed to find snapshot '%s' of '%s'", which, c->name);
    rc = act_snapext_delete(c, dom, snap, which);
    virDomainSnapshotFree(snap);
    return rc;
}

static int
act_snapshot_revert(struct act_call *c, virConnectPtr conn)
{
    virDomainPtr dom = act_domain_lookup(c, conn);
    virDomainSnapshotPtr snap = dom ? act_snap_lookup(c, dom) : NULL;
    struct snap_info *si;
    char **drop = NULL;
    unsigned int flags = 0;
    int rc;

    if (!snap) {
        if (dom)
            virDomainFree(dom);
        return -1;
    }
    si = act_snap_read(snap);
    if (si && si->external) {
        rc = ext_revert(c, dom, snap);
    } else if (si && act_snap_rewind_check(c, conn, si, &drop) < 0) {
        rc = -1;
    } else {
        if (action_arg(c, "running"))
            flags |= VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING;
        if (action_arg(c, "paused"))
            flags |= VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED;
        if (action_arg(c, "force"))
            flags |= VIR_DOMAIN_SNAPSHOT_REVERT_FORCE;
        if ((rc = virDomainRevertToSnapshot(snap, flags)) < 0)
            err_virt(&c->r.err, "Failed to revert '%s' to snapshot '%s'", c->name, snap_name(c));
        else
            c->result = xasprintf("Domain '%s' reverted to snapshot '%s'%s", c->name,
                                  snap_name(c), drop && drop[0] ? act_snap_drop_records(dom, drop)
                                                                : "");
    }
    util_strv_free(drop);
    snapxml_free(si);
    virDomainSnapshotFree(snap);
    virDomainFree(dom);
    return rc < 0 ? -1 : 0;
}

static int
act_snapshot_delete(struct act_call *c, virConnectPtr conn)
{
    virDomainPtr dom = act_domain_lookup(c, conn);
    virDomainSnapshotPtr snap = dom ? act_snap_lookup(c, dom) : NULL;
    bool kids = action_arg(c, "children"), only = action_arg(c, "children-only");
    AUTOFREE char *ext = NULL;
    unsigned int flags = 0;
    int rc = -1;

    if (!snap) {
        if (dom)
            virDomainFree(dom);
        return -1;
    }
    if (kids)
        flags |= VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN;
    if (only)
        flags |= VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY;
    if (action_arg(c, "metadata"))
        flags |= VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY;
    if (!action_arg(c, "metadata") && (ext = act_snap_external_among(snap, !only, kids || only))) {
        rc = ext_delete(c, dom, ext);
    } else if ((rc = virDomainSnapshotDelete(snap, flags)) < 0) {
        err_virt(&c->r.err, "Failed to delete snapshot '%s' of '%s'", snap_name(c), c->name);
    } else {
        c->result = only ? xasprintf("Domain snapshot '%s' of '%s': children deleted",
                                     snap_name(c), c->name)
                         : xasprintf("Domain snapshot '%s' of '%s' deleted%s", snap_name(c),
                                     c->name, kids ? ", with its children" : "");
    }
    virDomainSnapshotFree(snap);
    virDomainFree(dom);
    return rc < 0 ? -1 : 0;
}

static int
act_snapshot_dumpxml(struct act_call *c, virConnectPtr conn)
{
    virDomainPtr dom = act_domain_lookup(c, conn);
    virDomainSnapshotPtr snap = dom ? act_snap_lookup(c, dom) : NULL;

    if (!snap) {
        if (dom)
            virDomainFree(dom);
        return -1;
    }
    c->output = virDomainSnapshotGetXMLDesc(snap, action_arg(c, "security-info") ?
                                            VIR_DOMAIN_SNAPSHOT_XML_SECURE : 0);
    if (!c->output)
        err_virt(&c->r.err, "Failed to get the XML of snapshot '%s' of '%s'", snap_name(c),
                 c->name);
    virDomainSnapshotFree(snap);
    virDomainFree(dom);
    return c->output ? 0 : -1;
}

/* Define the snapshot again from its own XML (secure: passwords kept),
 * with a new description when text is not NULL; current: make it the
 * current one (a current one stays current either way). */
static int
redefine(struct act_call *c, virConnectPtr conn, const char *text, bool current)
{
    virDomainPtr dom = act_domain_lookup(c, conn);
    virDomainSnapshotPtr snap = dom ? act_snap_lookup(c, dom) : NULL, again = NULL;
    AUTOFREE char *xml = NULL;
    AUTOFREE char *edited = NULL;

    if (!snap) {
        if (dom)
            virDomainFree(dom);
        return -1;
    }
    if (virDomainSnapshotIsCurrent(snap, 0) == 1)
        current = true;
    if (!(xml = virDomainSnapshotGetXMLDesc(snap, VIR_DOMAIN_SNAPSHOT_XML_SECURE)))
        err_virt(&c->r.err, "Failed to get the XML of snapshot '%s' of '%s'", snap_name(c),
                 c->name);
    else if (!(edited = text ? snapxml_set_description(xml, text, &c->r.err) : xstrdup(xml)))
        ;
    else if (!(again = virDomainSnapshotCreateXML(dom, edited,
                                                  VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE |
                                                  (current ? VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT
                                                           : 0))))
        err_virt(&c->r.err, "Failed to %s snapshot '%s' of '%s'",
                 text ? "change the description of" : "make current", snap_name(c), c->name);
    if (again)
        virDomainSnapshotFree(again);
    virDomainSnapshotFree(snap);
    virDomainFree(dom);
    return again ? 0 : -1;
}

static int
act_snapshot_edit_description(struct act_call *c, virConnectPtr conn)
{
    const char *text = action_arg(c, "text");

    if (redefine(c, conn, text ? text : "", false) < 0)
        return -1;
    c->result = xasprintf("Snapshot '%s' of '%s' %s", snap_name(c), c->name,
                          text && *text ? "has its new description" : "has no description now");
    return 0;
}

static int
act_snapshot_current(struct act_call *c, virConnectPtr conn)
{
    if (redefine(c, conn, NULL, true) < 0)
        return -1;
    c->result = xasprintf("Snapshot '%s' of '%s' set as current", snap_name(c), c->name);
    return 0;
}

/* ---- confirmations: a line saying what is lost, then the question ---- */

static const char *
state_words(const char *state)
{
    return !state ? "?" : STREQ(state, "shutoff") ? "shut off" : state;
}

static char *
ask_revert(const struct act_call *c)
{
    const struct m_dom *d = model_dom_get(c->host, c->uuid);
    const struct m_snaps *s = model_snaps_get(c->host, c->uuid);
    const struct snap_info *si = model_snap_get(s, snap_name(c)), *cur = model_snap_current(s);
    const char *now = d ? model_dom_state_name(d->state) : "?";
    const char *then = action_arg(c, "running") ? "running" : action_arg(c, "paused") ? "paused"
                     : si ? state_words(si->state) : "";
    char when[32] = "?";
    AUTOFREE char *since = NULL;
    time_t t;
    struct tm tm;

    if (si && si->created && (t = (time_t)si->created, localtime_r(&t, &tm)))
        strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
    if (!si)
        since = xstrdup("every change since its current snapshot");
    else if (cur && cur == si)
        since = xstrdup("every change since that snapshot");
    else if (cur)
        since = xasprintf("every change since snapshot '%s' (the current one)", cur->name);
    else
        since = xstrdup("all it did since (no snapshot is current)");
    /* the detail line says what is lost; the question, what comes back */
    if (si && si->external)
        return xasprintf("Kept: what '%s' is now stays on disk as an abandoned branch; its "
                         "disks move to new overlays on the images '%s' froze.\n"
                         "snapshot-revert '%s' to external '%s' (as at %s)? [y/N]", c->name,
                         snap_name(c), c->name, snap_name(c), when);
    return xasprintf("Discarded: what '%s' is now (%s) and %s.\n"
                     "snapshot-revert '%s' to '%s'%s%s%s%s%s? [y/N]", c->name, now, since,
                     c->name, snap_name(c), si ? " (" : "", si ? then : "",
                     si ? ", as at " : "", si ? when : "", si ? ")" : "");
}

static char *
ask_delete(const struct act_call *c)
{
    const struct m_snaps *s = model_snaps_get(c->host, c->uuid);
    const struct snap_info *si = model_snap_get(s, snap_name(c));
    bool kids = action_arg(c, "children"), only = action_arg(c, "children-only");
    bool meta = action_arg(c, "metadata");
    AUTOFREE char *goes = xstrdup("");
    AUTOFREE char *stays = NULL;
    struct snaptree_row *rows;
    size_t row, end, n = 0, listed = 0;

    if (!si)
        return xasprintf("snapshot-delete '%s' of '%s'%s? [y/N]", snap_name(c), c->name,
                         kids ? " and its descendants" : only ? " (its descendants only)" : "");
    if (si->external && !meta && !kids && !only)
        return xasprintf("External: its overlay is merged by a block job (%s); the overlay "
                         "file goes only after the merge succeeded.\n"
                         "snapshot-delete '%s' of '%s'? [y/N]",
                         action_arg(c, "merge") && STREQ(action_arg(c, "merge"), "pull") ?
                         "pull: its base comes up into the overlay" :
                         "commit: the overlay goes down into its base",
                         snap_name(c), c->name);
    rows = tree_of(s, snap_name(c), &row, &end);
    for (size_t r = only ? row + 1 : row; r < (kids || only ? end : row + 1); r++, n++) {
        char *t;

        if (listed >= 8 || strlen(goes) > 120)
            continue;
        t = xasprintf("%s%s'%s'", goes, listed++ ? ", " : "", s->v[rows[r].idx]->name);
        free(goes);
        goes = t;
    }
    if (!kids && !only && end > row + 1)
        stays = xasprintf(" Its %zu descendant%s stay%s, under %s%s%s.", end - row - 1,
                          end - row - 1 == 1 ? "" : "s", end - row - 1 == 1 ? "s" : "",
                          si->parent ? "'" : "", si->parent ? si->parent : "no parent",
                          si->parent ? "'" : "");
    snaptree_free(rows, (size_t)s->n);
    if (!n)
        return xasprintf("Snapshot '%s' has no children: nothing goes.\n"
                         "snapshot-delete --children-only '%s' of '%s'? [y/N]", snap_name(c),
                         snap_name(c), c->name);
    return xasprintf("Goes: %s%s%s (%zu). %s%s%s\n"
                     "snapshot-delete '%s' of '%s'%s? [y/N]", goes,
                     n > listed ? " and " : "", n > listed ? "more" : "", n,
                     meta ? "Only libvirt's records go; the disk data stays."
                          : n == 1 ? "Its saved state is lost." : "Their saved states are lost.",
                     stays ? stays : "", si->current && !only ? " Its parent becomes current." : "",
                     snap_name(c), c->name,
                     kids ? " and its descendants" : only ? " (its descendants only)" : "");
}

static const struct act_arg a_create_as[] = {
    { .name = "domain", .type = ARG_DOMAIN, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "domain name" },
    { .name = "name", .type = ARG_STRING, .flags = ARG_POSITIONAL,
      .help = "the snapshot's name (default: YYYYMMDD-HHMMSS)" },
    { .name = "description", .type = ARG_STRING, .flags = ARG_POSITIONAL,
      .help = "what it is for" },
    { .name = "disk-only", .type = ARG_BOOL,
      .help = "disks only, as external overlays (no memory)" },
    { .name = "atomic", .type = ARG_BOOL, .help = "all disks or none" },
    { .name = "quiesce", .type = ARG_BOOL,
      .help = "freeze the guest's file systems first (guest agent)" },
    { .name = "diskspec", .type = ARG_STRING, .flags = ARG_REPEAT,
      .help = "disk[,snapshot=internal|external|no][,driver=qcow2][,file=PATH]; again for more" },
    { NULL },
};
static const struct act_arg a_revert[] = {
    { .name = "domain", .type = ARG_DOMAIN, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "domain name" },
    { .name = "snapshotname", .type = ARG_SNAPSHOT, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "snapshot name" },
    { .name = "running", .type = ARG_BOOL, .help = "leave it running afterwards" },
    { .name = "paused", .type = ARG_BOOL, .help = "leave it paused afterwards" },
    { .name = "force", .type = ARG_BOOL, .help = "revert even where libvirt finds it risky" },
    { .name = "insist", .type = ARG_BOOL, .flags = ARG_VIRTMUX | ARG_CHECK_ONLY,
      .help = "internal: rewind an image other snapshots froze; " "their records go" },
    { NULL },
};
static const struct act_arg a_delete[] = {
    { .name = "domain", .type = ARG_DOMAIN, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "domain name" },
    { .name = "snapshotname", .type = ARG_SNAPSHOT, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "snapshot name" },
    { .name = "children", .type = ARG_BOOL, .help = "its descendants too" },
    { .name = "children-only", .type = ARG_BOOL, .help = "only its descendants" },
    { .name = "metadata", .type = ARG_BOOL, .help = "only libvirt's record (the data stays)" },
    { .name = "merge", .type = ARG_STRING, .flags = ARG_VIRTMUX,
      .help = "external: commit (overlay into its base, default) or pull (base into the overlay)" },
    { NULL },
};
static const struct act_arg a_dumpxml[] = {
    { .name = "domain", .type = ARG_DOMAIN, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "domain name" },
    { .name = "snapshotname", .type = ARG_SNAPSHOT, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "snapshot name" },
    { .name = "security-info", .type = ARG_BOOL, .help = "include security-sensitive data" },
    { NULL },
};
static const struct act_arg a_description[] = {
    { .name = "domain", .type = ARG_DOMAIN, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "domain name" },
    { .name = "snapshotname", .type = ARG_SNAPSHOT, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "snapshot name" },
    { .name = "text", .type = ARG_STRING, .flags = ARG_POSITIONAL,
      .help = "the new description (empty: none)" },
    { NULL },
};
static const struct act_arg a_snap[] = {
    { .name = "domain", .type = ARG_DOMAIN, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "domain name" },
    { .name = "snapshotname", .type = ARG_SNAPSHOT, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "snapshot name" },
    { NULL },
};

/* A snapshot form: the snapshot selected in the snapshots view (when it
 * shows this domain), its description where the row edits one; a new
 * one's name from the time. */
static void
fill_snapshot(struct act_fill *f)
{
    const struct m_dom *d = f->domain ? model_dom_by_name(f->host, f->domain) : NULL;

    if (!d)
        return;
    if (f->snap_uuid && STREQ(f->snap_uuid, d->uuid) && f->snap) {
        const struct snap_info *si = model_snap_get(model_snaps_get(f->host, d->uuid),
                                                    f->snap);

        f->set(f, "snapshotname", f->snap);
        if (si && action_arg_index(f->act, "text") >= 0)
            f->set(f, "text", si->description);
    }
    if (action_arg_index(f->act, "name") >= 0) {
        char name[80];

        act_snapshot_default_name(f->host, d->uuid, name, sizeof(name));
        f->set(f, "name", name);
    }
}

const struct action act_snapshot_rows[] = {
    { .name = "snapshot-create-as", .target = TARGET_SNAPSHOT, .flags = ACT_MUTATES,
      .args = a_create_as,
      .help = "Take a snapshot (internal: every disk qcow2; it becomes the current one)",
      .run = act_snapshot_create_as, .done = created, .defaults = fill_snapshot,
      .validate = check_create_as },
    { .name = "snapshot-revert", .target = TARGET_SNAPSHOT,
      .flags = ACT_MUTATES | ACT_DESTRUCTIVE, .args = a_revert,
      .help = "Put the domain back to a snapshot (what it is now is lost)",
      .run = act_snapshot_revert, .question = ask_revert, .plan = act_snap_plan_revert,
      .defaults = fill_snapshot, .validate = check_revert },
    { .name = "snapshot-delete", .target = TARGET_SNAPSHOT,
      .flags = ACT_MUTATES | ACT_DESTRUCTIVE, .args = a_delete,
      .help = "Delete a snapshot (its children move up), or with its children",
      .run = act_snapshot_delete, .done = act_blockjob_start, .question = ask_delete,
      .plan = act_snap_plan_delete, .defaults = fill_snapshot, .validate = check_delete },
    { .name = "snapshot-dumpxml", .target = TARGET_SNAPSHOT, .args = a_dumpxml,
      .help = "Show the snapshot's XML", .run = act_snapshot_dumpxml, .done = act_show_output,
      .defaults = fill_snapshot },
    { .name = "snapshot-edit-description", .target = TARGET_SNAPSHOT,
      .flags = ACT_MUTATES | ACT_NO_VIRSH, .args = a_description,
      .help = "Change a snapshot's description (redefines it; nothing else changes)",
      .run = act_snapshot_edit_description, .defaults = fill_snapshot },
    { .name = "snapshot-current", .target = TARGET_SNAPSHOT, .flags = ACT_MUTATES,
      .args = a_snap, .help = "Make a snapshot the current one (the parent of the next)",
      .run = act_snapshot_current, .defaults = fill_snapshot },
    { .name = NULL },
};
