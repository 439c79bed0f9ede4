/* act-snapext.c: what libvirt 9.0 cannot do with external snapshots.
 *
 * Revert: the domain must be shut off. An external snapshot S froze each
 * disk at the file its overlay O was put on (O's backing file B). A fresh
 * qcow2 overlay N on B becomes the disk, S becomes current: the state S
 * recorded is back, and the abandoned branch (O and whatever followed it)
 * stays on disk untouched.
 *
 * Delete: S's overlay O is merged with its base B by a block job, chosen
 * by --merge: commit (O into B; the domain ends on B, O is deleted; active
 * commit with pivot when O is the live layer) or pull (B into O; B is
 * deleted when nothing else uses it). Block jobs need the domain running.
 * Files are removed only after the job succeeded (act-blockjob.c reads the
 * chain again), then S's record. Whatever cannot be done without losing
 * data is refused first, with what to do instead. */
#include <autoconf.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libvirt/virterror.h>

#include "act.h"
#include "snapxml.h"
#include "storxml.h"
#include "xml.h"

/* The backing file and format of the volume at path (NULL: not a volume). */
static struct vol_info *
vol_of(virConnectPtr conn, const char *path)
{
    virStorageVolPtr v = act_vol_by_path(conn, path);
    char *x = v ? virStorageVolGetXMLDesc(v, 0) : NULL;
    struct vol_info *vi = x ? storxml_vol_parse(x, NULL) : NULL;

    free(x);
    if (v)
        virStorageVolFree(v);
    virResetLastError();
    return vi;
}

/* Point disks targets[i] of the persistent definition at files[i] (qcow2
 * overlays): one definition, so all move or none. */
static int
repoint(virConnectPtr conn, virDomainPtr dom, char **targets, char **files, size_t n,
        struct err *e)
{
    char *xml = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE | VIR_DOMAIN_XML_SECURE);
    xmlDocPtr doc = xml ? xml_parse(xml, "domain XML", e) : NULL;
    xmlXPathContextPtr ctx;
    xmlChar *out = NULL;
    int len, rc = -1;
    virDomainPtr nd;

    free(xml);
    if (!doc)
        return e->msg[0] ? -1 : err_virt(e, "Failed to read the definition");
    ctx = xmlXPathNewContext(doc);
    for (size_t i = 0; i < n; i++) {
        AUTOFREE char *q = xasprintf("./devices/disk[target/@dev='%s']", targets[i]);
        xmlXPathObjectPtr o = strchr(targets[i], '\'') ? NULL
                              : xml_nodes(ctx, xmlDocGetRootElement(doc), q);
        xmlNodePtr disk = o && o->nodesetval && o->nodesetval->nodeNr ?
                          o->nodesetval->nodeTab[0] : NULL;

        xmlXPathFreeObject(o);
        if (!disk) {
            err_set(e, "The definition has no disk %s; nothing was changed", targets[i]);
            goto out;
        }
        for (xmlNodePtr c = disk->children, next; c; c = next) {
            next = c->next;
            if (c->type != XML_ELEMENT_NODE)
                continue;
            if (xmlStrEqual(c->name, BAD_CAST "source")) {
                xmlSetProp(c, BAD_CAST "file", BAD_CAST files[i]);
            } else if (xmlStrEqual(c->name, BAD_CAST "driver")) {
                xmlSetProp(c, BAD_CAST "type", BAD_CAST "qcow2");
            } else if (xmlStrEqual(c->name, BAD_CAST "backingStore")) {
                xmlUnlinkNode(c);
                xmlFreeNode(c);
            }
        }
        xmlSetProp(disk, BAD_CAST "type", BAD_CAST "file");
    }
    xmlDocDumpMemory(doc, &out, &len);
    if (!(nd = virDomainDefineXML(conn, (const char *)out))) {
        err_virt(e, "Failed to put the disks on the new overlays; nothing was changed");
        goto out;
    }
    virDomainFree(nd);
    rc = 0;
 out:
    xmlFree(out);
    xmlXPathFreeContext(ctx);
    xmlFreeDoc(doc);
    return rc;
}

static void
delete_path(virConnectPtr conn, const char *path)
{
    virStorageVolPtr v = act_vol_by_path(conn, path);

    if (v && virStorageVolDelete(v, 0) < 0)
        virResetLastError();
    if (v)
        virStorageVolFree(v);
}

int
act_snapext_revert(struct act_call *c, virDomainPtr dom, virDomainSnapshotPtr snap,
                   const char *snapname)
{
    virConnectPtr conn = virDomainGetConnect(dom);
    char *sx = virDomainSnapshotGetXMLDesc(snap, VIR_DOMAIN_SNAPSHOT_XML_SECURE);
    struct snap_info *si = sx ? snapxml_parse(sx, &c->r.err) : NULL;
    char **made = NULL, **targets = NULL;
    size_t nmade = 0;
    char stamp[32];
    time_t now = time(NULL);
    struct tm tm;
    char *summary = xstrdup("");
    int rc = -1;

    if (!si)
        goto out;
    if (virDomainIsActive(dom) == 1) {
        err_set(&c->r.err, "Domain '%s' is running: shut it down first; reverting to external "
                "snapshot '%s' puts its disks on new overlays", c->name, snapname);
        goto out;
    }
    strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", localtime_r(&now, &tm));
    made = xcalloc(si->ndisks + 1, sizeof(char *));
    targets = xcalloc(si->ndisks + 1, sizeof(char *));
    /* the new overlays first; the definition moves to all of them at once */
    for (size_t i = 0; i < si->ndisks; i++) {
        const struct snap_disk *k = &si->disks[i];
        struct vol_info *ov, *bv;
        virStorageVolPtr o;
        virStoragePoolPtr pool;
        AUTOFREE char *name = NULL;
        AUTOFREE char *vx = NULL;
        virStorageVolPtr nv;
        char *t;

        if (!k->snapshot || STRNEQ(k->snapshot, "external"))
            continue;
        if (!k->file || !(ov = vol_of(conn, k->file))) {
            err_set(&c->r.err, "The overlay %s of disk %s is not in a storage pool: virtmux "
                    "makes the new overlay beside it through the pool (define a pool on its "
                    "directory); nothing was changed", k->file ? k->file : "?", k->name);
            goto undo;
        }
        if (!ov->backing || !(bv = vol_of(conn, ov->backing))) {
            err_set(&c->r.err, "The image snapshot '%s' froze for disk %s (%s) is not in a "
                    "storage pool; nothing was changed", snapname, k->name,
                    ov->backing ? ov->backing : "unknown");
            storxml_vol_free(ov);
            goto undo;
        }
        o = act_vol_by_path(conn, k->file);
        pool = o ? virStoragePoolLookupByVolume(o) : NULL;
        name = xasprintf("%s.revert-%s.qcow2", bv->name ? bv->name : k->name, stamp);
        vx = storxml_vol_build(name, bv->capacity, 0, "qcow2", ov->backing,
                               bv->format ? bv->format : "raw", &c->r.err);
        nv = pool && vx ? virStorageVolCreateXML(pool, vx, 0) : NULL;
        if (!nv && !c->r.err.msg[0])
            err_virt(&c->r.err, "Failed to make a new overlay on %s; nothing was changed",
                     ov->backing);
        if (nv) {
            targets[nmade] = xstrdup(k->name);
            made[nmade++] = virStorageVolGetPath(nv);
            virStorageVolFree(nv);
            t = xasprintf("%s%s%s on %s (new, on %s)", summary, *summary ? "; " : "", k->name,
                          made[nmade - 1], ov->backing);
            free(summary);
            summary = t;
        }
        if (o)
            virStorageVolFree(o);
        if (pool)
            virStoragePoolFree(pool);
        storxml_vol_free(ov);
        storxml_vol_free(bv);
        if (!nv)
            goto undo;
    }
    if (!nmade) {
        err_set(&c->r.err, "Snapshot '%s' has no external disk to revert to", snapname);
        goto out;
    }
    if (repoint(conn, dom, targets, made, nmade, &c->r.err) < 0)
        goto undo;
    /* S becomes current: its record, redefined as the current one */
    {
        virDomainSnapshotPtr cur = virDomainSnapshotCreateXML(
            dom, sx, VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE | VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT);

        if (cur)
            virDomainSnapshotFree(cur);
        virResetLastError();
    }
    if ((action_arg(c, "running") || action_arg(c, "paused")) &&
        virDomainCreateWithFlags(dom, action_arg(c, "paused") ? VIR_DOMAIN_START_PAUSED : 0) < 0)
        err_virt(&c->r.err, "Reverted, but '%s' failed to start", c->name);
    c->result = xasprintf("Domain '%s' reverted to external snapshot '%s': %s. The abandoned "
                          "branch stays on disk%s", c->name, snapname, summary,
                          si->memory && STREQ(si->memory, "external") ?
                          "; its saved memory is not restored (libvirt 9.0 cannot), the "
                          "domain boots from the disks" : "");
    rc = c->r.err.msg[0] ? -1 : 0;
    goto out;
 undo:
    /* the definition did not move: the overlays made so far go again */
    for (size_t i = 0; i < nmade; i++)
        delete_path(conn, made[i]);
 out:
    util_strv_free(made);
    util_strv_free(targets);
    free(summary);
    snapxml_free(si);
    free(sx);
    return rc;
}

/* Deleting external snapshot S: the merge of its overlay, planned with the
 * image graph (see the top of the file), or NULL with the reason. */
struct act_merge *
act_snapext_delete_plan(struct act_call *c, virConnectPtr conn, virDomainPtr dom,
                        virDomainSnapshotPtr snap, const char *snapname, char **diskp)
{
    char *sx = virDomainSnapshotGetXMLDesc(snap, 0);
    struct snap_info *si = sx ? snapxml_parse(sx, &c->r.err) : NULL;
    const char *merge = action_arg(c, "merge") ? action_arg(c, "merge") : "commit";
    const struct snap_disk *ext = NULL;
    struct act_merge *m = NULL;
    virDomainSnapshotPtr parent;
    char **chain = NULL;
    int at = -1;

    free(sx);
    if (!si)
        goto out;
    if (STRNEQ(merge, "commit") && STRNEQ(merge, "pull")) {
        err_set(&c->r.err, "--merge takes commit (the overlay into its base) or pull (the base "
                "into the overlay), not '%s'", merge);
        goto out;
    }
    if (action_arg(c, "children") || action_arg(c, "children-only") ||
        virDomainSnapshotNumChildren(snap, 0) > 0) {
        err_set(&c->r.err, "External snapshot '%s' has snapshots after it: their overlays sit "
                "on its files; delete them first, newest first (or --metadata drops only the "
                "records)", snapname);
        goto out;
    }
    if ((parent = virDomainSnapshotGetParent(snap, 0))) {
        char *px = virDomainSnapshotGetXMLDesc(parent, 0);
        struct snap_info *pi = px ? snapxml_parse(px, NULL) : NULL;

        if (pi && !pi->external)
            err_set(&c->r.err, "External snapshot '%s' follows internal snapshot '%s': its "
                    "base image holds that internal snapshot, and merging the overlay into it "
                    "(or pulling it up) would lose it; delete with --metadata (the files "
                    "stay), or delete '%s' first", snapname, pi->name, pi->name);
        snapxml_free(pi);
        free(px);
        virDomainSnapshotFree(parent);
        if (c->r.err.msg[0])
            goto out;
    }
    virResetLastError();
    for (size_t i = 0; i < si->ndisks; i++) {
        if (si->disks[i].snapshot && STREQ(si->disks[i].snapshot, "external")) {
            if (ext) {
                err_set(&c->r.err, "Snapshot '%s' has several external disks: merge them one "
                        "at a time with blockcommit/blockpull, then delete with --metadata",
                        snapname);
                goto out;
            }
            ext = &si->disks[i];
        }
    }
    if (!ext || !ext->file) {
        err_set(&c->r.err, "Snapshot '%s' names no overlay file to merge", snapname);
        goto out;
    }
    if (virDomainIsActive(dom) != 1) {
        err_set(&c->r.err, "Deleting external snapshot '%s' merges its overlay with a block "
                "job, which needs '%s' running: start it (start --paused will do) and delete "
                "again; --metadata drops only the record and keeps the files", snapname,
                c->name);
        goto out;
    }
    chain = act_disk_chain(dom, ext->name);
    for (int i = 0; chain[i] && at < 0; i++) {
        if (STREQ(chain[i], ext->file))
            at = i;
    }
    if (at < 0) {
        err_set(&c->r.err, "The overlay %s of snapshot '%s' is not in disk %s's chain now "
                "(the domain left that branch): merging would not change the domain and "
                "deleting the overlay would lose the branch; --metadata drops only the "
                "record", ext->file, snapname, ext->name);
        goto out;
    }
    /* the image the snapshot froze must be the overlay's backing file
     * still: otherwise the chain moved under the record */
    if (!chain[at + 1] || (ext->image && STRNEQ(chain[at + 1], ext->image))) {
        AUTOFREE char *ct = act_chain_text(chain);

        err_set(&c->r.err, "Snapshot '%s' froze %s, but its overlay %s now sits on %s (chain "
                "%s): its record no longer matches the disk; --metadata drops only the "
                "record", snapname, ext->image ? ext->image : "?", ext->file,
                chain[at + 1] ? chain[at + 1] : "nothing", ct);
        goto out;
    }
    if (STREQ(merge, "commit")) {
        /* the overlay into the image it froze, and nothing deeper */
        m = act_merge_plan(conn, dom, c->name, ext->name, false, ext->file, chain[at + 1],
                           snapname, &c->r.err);
    } else if (at != 0) {
        err_set(&c->r.err, "A pull fills the live layer of disk %s, and that is not snapshot "
                "'%s''s overlay %s: use --merge commit", ext->name, snapname, ext->file);
    } else {
        /* the frozen image comes up into the overlay, down to its own
         * backing file (a template's image stays where it is) */
        m = act_merge_plan(conn, dom, c->name, ext->name, true, NULL,
                           chain[at + 1] ? chain[at + 2] : NULL, snapname, &c->r.err);
    }
    if (m && diskp)
        *diskp = xstrdup(ext->name);
 out:
    util_strv_free(chain);
    snapxml_free(si);
    return m;
}

int
act_snapext_delete(struct act_call *c, virDomainPtr dom, virDomainSnapshotPtr snap,
                   const char *snapname)
{
    AUTOFREE char *disk = NULL;
    struct act_merge *m = act_snapext_delete_plan(c, virDomainGetConnect(dom), dom, snap,
                                                  snapname, &disk);

    return m ? act_blockjob_prepare(c, disk, m, snapname) : -1;
}
