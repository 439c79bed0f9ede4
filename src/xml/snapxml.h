/* snapxml.h: what virtmux reads from domain snapshot XML, the XML it
 * writes (snapshot-create-as, a redefine with a new description), and
 * whether a domain's disks allow an internal snapshot. libxml2 only, no
 * libvirt calls: unit-tested on real-world and hostile XML. */
#ifndef VIRTMUX_SNAPXML_H
#define VIRTMUX_SNAPXML_H

#include <stdbool.h>
#include <time.h>

#include "err.h"

struct snap_disk {
    char *name;              /* the disk's target (vda) or path, as the XML names it */
    char *snapshot;          /* internal, external, no, manual; NULL: not said */
    char *file;              /* external: the overlay file the snapshot created */
    char *driver;            /* external: the overlay's format */
    char *image;             /* the disk's file in the snapshot's <domain>: the
                              * image an external snapshot froze, or the one
                              * an internal snapshot lives in (NULL: unknown) */
};

struct snap_info {
    char *name, *parent, *description;
    char *state;             /* the domain's state then: running, shutoff, paused,
                              * disk-snapshot, ... */
    long long created;       /* creationTime, seconds since the epoch (0: unknown) */
    char *memory;            /* internal, external, no; NULL: not said */
    char *memory_file;       /* external memory: the saved state's file */
    bool external;           /* memory or any disk taken externally */
    bool current;            /* set by the reader (virDomainSnapshotIsCurrent) */
    struct snap_disk *disks;
    size_t ndisks;
};

/* Parse <domainsnapshot>; NULL and e filled when it is not one. Caller
 * frees with snapxml_free. */
struct snap_info *snapxml_parse(const char *xml, struct err *e);
void snapxml_free(struct snap_info *s);
/* "external" or "internal" (what the revert and delete flows hinge on). */
const char *snapxml_kind(const struct snap_info *s);

/* The snapshot's XML with <description> set to text (dropped when text is
 * empty), for VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE; everything else kept
 * as it was. NULL and e filled on bad XML. Caller frees. */
char *snapxml_set_description(const char *xml, const char *text, struct err *e);

/* snapshot-create-as's <domainsnapshot>: name (required), description
 * (NULL: none), diskspecs: virsh's --diskspec values separated by
 * newlines, each "disk[,snapshot=internal|external|no|manual][,driver=FMT]
 * [,stype=file|block][,file=PATH]" (",," is a literal comma). NULL and e
 * filled when a diskspec is wrong. Caller frees. */
char *snapxml_build(const char *name, const char *description, const char *diskspecs,
                    struct err *e);
/* Whether the snapshot snapshot-create-as would take is external:
 * --disk-only, or a diskspec asks for snapshot=external. */
bool snapxml_wants_external(bool disk_only, const char *diskspecs);

/* An internal snapshot lives inside each writable disk's qcow2 image:
 * refuse (e names the disk, its file and format) a writable disk of
 * domxml (the domain's XML) in any other format, unless a diskspec leaves
 * it out (snapshot=no). domain names the domain in the message. */
int snapxml_check_internal(const char *domxml, const char *domain, const char *diskspecs,
                           struct err *e);

/* The default snapshot name, YYYYMMDD-HHMMSS of t in local time. */
void snapxml_default_name(time_t t, char *buf, size_t len);

#endif
