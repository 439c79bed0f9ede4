/* domclone.h: the pure half of cloning a domain the way virt-clone does:
 * a plan (which disks to copy, link or share, and where to), the clone's
 * domain XML, and the names (unique clone names, default disk paths, name
 * checks, deploy patterns). No libvirt call, no file touched. */
#ifndef VIRTMUX_DOMCLONE_H
#define VIRTMUX_DOMCLONE_H

#include "err.h"

/* metadata in this namespace marks a template; clones must not inherit it */
#define DOMCLONE_TEMPLATE_NS "https://virtmux.org/xmlns/template/1.0"

enum clone_disk_mode {
    CLONE_DISK_SHARE,        /* the clone uses the same storage, XML untouched */
    CLONE_DISK_COPY,         /* a full copy at new_path */
    CLONE_DISK_LINK,         /* a qcow2 overlay at new_path backed by source */
};

struct clone_disk {          /* one <disk> of the source, in document order */
    char *target;            /* "vda" */
    char *device;            /* disk, cdrom, floppy, lun */
    char *type;              /* file, block, volume, network, ... */
    char *source;            /* file, device, "pool/volume" or NULL */
    char *format;            /* driver type: qcow2, raw, ... */
    bool readonly, shareable;
    enum clone_disk_mode mode;
    char *new_path;          /* COPY/LINK: absolute path, or "pool/volume" */
    char *new_format;        /* driver type for the clone; NULL keeps format */
};

struct clone_plan {
    char *old_name;          /* the source domain's name */
    char *name;              /* the clone's name */
    struct clone_disk *disks;
    size_t ndisks;
    char *nvram;             /* the source's NVRAM path or NULL */
    char *new_nvram;         /* the clone's NVRAM path; NULL: fresh from template */
};

/* Read the disks and NVRAM of a domain's XML for a clone named new_name.
 * Modes default to SHARE for read-only, shareable, cdrom, floppy, lun,
 * network and empty disks, COPY otherwise; COPY disks and the NVRAM get
 * default new paths (domclone_default_path, distinct within the plan) that
 * the caller may replace (free the old string). Caller frees the plan. */
struct clone_plan *domclone_plan(const char *xml, const char *new_name,
                                 struct err *e) ATTR_NONNULL(1);
void domclone_plan_free(struct clone_plan *p);

/* The clone's domain XML (caller frees), or NULL and e. A COPY or LINK
 * disk's new_path that is absolute makes it type='file' (type='block'
 * under /dev/), "POOL/VOLUME" or a bare volume name (same pool) makes it
 * type='volume'; a LINK without new_format becomes qcow2. */
char *domclone_rewrite(const char *xml, const struct clone_plan *p,
                       struct err *e) ATTR_NONNULL(1);

/* base, or base-1, base-2, ... the first not in the NULL-terminated taken
 * list (NULL allowed). Caller frees. */
char *domclone_unique_name(const char *base, const char *const *taken)
    ATTR_NONNULL(1);

/* Default path for a copy of the disk at src_path (NULL gives NULL): same
 * directory and extension, the old name replaced by the new one, or the
 * new name with target vdb's "-1" (vdc "-2", ...) when the old name is
 * not in the file name. Caller frees. */
char *domclone_default_path(const char *src_path, const char *old_name,
                            const char *new_name, const char *target);

/* 0 when name can name a new domain: not empty, no '/' or newline (as
 * libvirt), not in taken (NULL allowed); else -1 and e says why. */
int domclone_check_name(const char *name, const char *const *taken,
                        struct err *e);

/* Names from a deploy pattern: "web{01..04}" gives web01 ... web04 (zero
 * padding kept), "{3..1}" counts down, several groups multiply, no group
 * gives the pattern itself. At most 1000 names. NULL-terminated, caller
 * frees with util_strv_free; NULL and e on a bad pattern. */
char **domclone_expand_pattern(const char *pattern, struct err *e);

#endif
