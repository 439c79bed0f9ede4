/* act-snapplan.c: what a snapshot revert or delete does to the disk images,
 * decided with the image graph (act-chain.c) on the worker before anything
 * is asked: the plan hooks of snapshot-revert and snapshot-delete name the
 * files rewound, merged or deleted in the question, and refuse first what
 * would break another domain's disk, a linked clone or another snapshot.
 * The handlers (act-snapshot.c, act-snapext.c) run the same checks again
 * when the answer comes, with what the host says then. */
#include <autoconf.h>

#include <stdio.h>
#include <stdlib.h>
#include <libvirt/virterror.h>

#include "act.h"
#include "action.h"
#include "snapxml.h"

/* The first external snapshot among those a delete takes, or NULL. */
char *
act_snap_external_among(virDomainSnapshotPtr snap, bool self, bool kids)
{
    virDomainSnapshotPtr *v = NULL;
    int n = kids ? virDomainSnapshotListAllChildren(snap, &v,
                                                    VIR_DOMAIN_SNAPSHOT_LIST_DESCENDANTS) : 0;
    struct snap_info *si = self ? act_snap_read(snap) : NULL;
    char *ext = si && si->external ? xstrdup(si->name) : NULL;

    snapxml_free(si);
    for (int i = 0; i < n; i++) {
        if (!ext && (si = act_snap_read(v[i]))) {
            ext = si->external ? xstrdup(si->name) : NULL;
            snapxml_free(si);
        }
        virDomainSnapshotFree(v[i]);
    }
    free(v);
    virResetLastError();
    return ext;
}

/* --insist: the records of the snapshots a rewind left inconsistent go
 * (metadata only: their files stay). What happened, for the result. */
const char *
act_snap_drop_records(virDomainPtr dom, char **names)
{
    static __thread char said[1024];
    size_t n = 0;

    n += (size_t)snprintf(said, sizeof(said), "; no longer usable, records dropped:");
    for (size_t i = 0; names[i]; i++) {
        virDomainSnapshotPtr s = virDomainSnapshotLookupByName(dom, names[i], 0);
        bool ok = s && virDomainSnapshotDelete(s, VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY) == 0;

        if (s)
            virDomainSnapshotFree(s);
        virResetLastError();
        if (n < sizeof(said))
            n += (size_t)snprintf(said + n, sizeof(said) - n, "%s '%s'%s", i ? "," : "",
                                  names[i], ok ? "" : " (failed: drop it with --metadata)");
    }
    return said;
}

/* Append word to the list *s (quoted: 'word'). */
static void
join(char **s, const char *sep, const char *word, bool quoted)
{
    char *t = xasprintf("%s%s%s%s%s", *s ? *s : "", *s ? sep : "", quoted ? "'" : "", word,
                        quoted ? "'" : "");

    free(*s);
    *s = t;
}

static void
add_unique(char ***v, size_t *n, char *const *add)
{
    for (size_t i = 0; add && add[i]; i++) {
        bool have = false;

        for (size_t j = 0; j < *n && !have; j++)
            have = STREQ((*v)[j], add[i]);
        if (have)
            continue;
        *v = xreallocarray(*v, *n + 2, sizeof(char *));
        (*v)[(*n)++] = xstrdup(add[i]);
        (*v)[*n] = NULL;
    }
}

/* An internal snapshot's revert rewinds the images it lives in (qemu-img
 * snapshot -a): what else depends on them, with the image graph. Refused
 * (-1) when another domain's disk or snapshot does, or ours would no
 * longer match (unless --insist: then *drop lists the snapshots whose
 * records must go). 0 with c->ask_note naming the files. Worker. */
int
act_snap_rewind_check(struct act_call *c, virConnectPtr conn, const struct snap_info *si,
                      char ***drop)
{
    struct imgraph *g = act_chain_read(conn);
    char **snaps = xcalloc(1, sizeof(char *)), **files = xcalloc(1, sizeof(char *));
    size_t ns = 0, nf = 0;
    AUTOFREE char *rewound = NULL;
    AUTOFREE char *hard = NULL;
    AUTOFREE char *sl = NULL;
    AUTOFREE char *fl = NULL;
    int rc = -1;

    for (size_t i = 0; i < si->ndisks; i++) {
        const struct snap_disk *sd = &si->disks[i];
        struct imcheck k = { .dom = c->name, .disk = sd->name };
        char **s1 = NULL, **f1 = NULL;
        char *why;

        if (!sd->image || (sd->snapshot ? STRNEQ(sd->snapshot, "internal") : si->external))
            continue;
        join(&rewound, ", ", sd->image, false);
        if ((why = imgraph_rewind_blockers(g, &k, sd->image, &s1, &f1))) {
            join(&hard, "; ", why, false);
            free(why);
        }
        add_unique(&snaps, &ns, s1);
        add_unique(&files, &nf, f1);
        util_strv_free(s1);
        util_strv_free(f1);
    }
    for (size_t i = 0; i < ns; i++)
        join(&sl, ", ", snaps[i], true);
    for (size_t i = 0; i < nf; i++)
        join(&fl, ", ", files[i], false);
    if (hard) {
        err_set(&c->r.err, "Refused: reverting '%s' to internal snapshot '%s' rewinds %s, "
                "and %s; nothing was changed", c->name, si->name, rewound, hard);
    } else if ((ns || nf) && !action_arg(c, "insist")) {
        err_set(&c->r.err, "Refused: reverting '%s' to internal snapshot '%s' rewinds %s%s%s"
                "%s%s%s; nothing was changed. Delete %s first, or add --insist to revert "
                "anyway (%s%s)", c->name, si->name, rewound,
                ns ? ", which " : "", ns ? sl : "", ns ? (ns > 1 ? " froze or build on" :
                                                         " froze or builds on") : "",
                nf ? ", and under " : "", nf ? fl : "",
                ns ? (ns > 1 ? "those snapshots" : "that snapshot") : "those files",
                ns ? "their records go, " : "", "the files stay on disk, no longer "
                "consistent");
    } else {
        /* the handler checks again after the question: a new note */
        free(c->ask_note);
        c->ask_note = ns || nf ?
            xasprintf("Rewinds %s.%s%s%s%s%s%s", rewound, ns ? " No longer usable, their "
                      "records go: " : "", ns ? sl : "", ns ? "." : "",
                      nf ? " Left on disk, no longer consistent: " : "", nf ? fl : "",
                      nf ? "." : "") :
            rewound ? xasprintf("Rewinds %s.", rewound) : NULL;
        *drop = snaps;
        snaps = NULL;
        rc = 0;
    }
    util_strv_free(snaps);
    util_strv_free(files);
    imgraph_free(g);
    return rc;
}

/* Before the question: external, where the new overlays go; internal,
 * the images it rewinds and who else depends on them. */
int
act_snap_plan_revert(struct act_call *c, virConnectPtr conn)
{
    virDomainPtr dom = act_domain_lookup(c, conn);
    virDomainSnapshotPtr snap = dom ? act_snap_lookup(c, dom) : NULL;
    struct snap_info *si = snap ? act_snap_read(snap) : NULL;
    char **drop = NULL;
    int rc = si ? 0 : -1;

    if (si && si->external) {
        AUTOFREE char *on = NULL;

        for (size_t i = 0; i < si->ndisks; i++) {
            if (si->disks[i].snapshot && STREQ(si->disks[i].snapshot, "external"))
                join(&on, ", ", si->disks[i].image ? si->disks[i].image : "?", false);
        }
        c->ask_note = xasprintf("New overlays on %s.", on ? on : "nothing");
    } else if (si) {
        rc = act_snap_rewind_check(c, conn, si, &drop);
    }
    if (!si && !c->r.err.msg[0])
        err_set(&c->r.err, "Failed to read snapshot '%s' of '%s'", action_arg(c, "snapshotname"), c->name);
    util_strv_free(drop);
    snapxml_free(si);
    if (snap)
        virDomainSnapshotFree(snap);
    if (dom)
        virDomainFree(dom);
    return rc;
}

/* Before the question: an external delete's merge, named file by file. */
int
act_snap_plan_delete(struct act_call *c, virConnectPtr conn)
{
    virDomainPtr dom = act_domain_lookup(c, conn);
    virDomainSnapshotPtr snap = dom ? act_snap_lookup(c, dom) : NULL, es = NULL;
    bool kids = action_arg(c, "children"), only = action_arg(c, "children-only");
    AUTOFREE char *ext = NULL;
    struct act_merge *m = NULL;
    int rc = snap ? 0 : -1;

    if (snap && !action_arg(c, "metadata") &&
        (ext = act_snap_external_among(snap, !only, kids || only))) {
        if (!(es = virDomainSnapshotLookupByName(dom, ext, 0)))
            rc = err_virt(&c->r.err, "Failed to find snapshot '%s' of '%s'", ext, c->name);
        else if (!(m = act_snapext_delete_plan(c, conn, dom, es, ext, NULL)))
            rc = -1;
        else
            c->ask = xasprintf("External: %s %s Then %s is deleted%s, and the record goes."
                               "\nsnapshot-delete '%s' of '%s'? [y/N]",
                               m->pull ? "pull: its base comes up into the overlay:"
                                       : "commit: the overlay goes down into its base:",
                               m->note, m->removed,
                               m->pull ? " if nothing else uses it" : "", ext, c->name);
    } else if (snap && !action_arg(c, "metadata") && !only) {
        /* internal: its data leaves the images it lives in */
        struct snap_info *si = act_snap_read(snap);
        AUTOFREE char *in = NULL;

        for (size_t i = 0; si && i < si->ndisks; i++) {
            if (si->disks[i].image && si->disks[i].snapshot &&
                STREQ(si->disks[i].snapshot, "internal"))
                join(&in, ", ", si->disks[i].image, false);
        }
        if (in)
            c->ask_note = xasprintf("Its data leaves %s.", in);
        snapxml_free(si);
    }
    act_merge_free(m);
    if (es)
        virDomainSnapshotFree(es);
    if (snap)
        virDomainSnapshotFree(snap);
    if (dom)
        virDomainFree(dom);
    return rc;
}

