/* storxml.h: what virtmux reads from storage pool and volume XML, the
 * XML it writes for new ones (libxml2 only), and sizes as virsh spells
 * them ("10G", "512M", "1.5T"). */
#ifndef VIRTMUX_STORXML_H
#define VIRTMUX_STORXML_H

#include <stdbool.h>

#include "err.h"

struct pool_info {
    char *name, *uuid;
    char *type;              /* dir, fs, netfs, logical, ... */
    char *target;            /* target path */
    char *source;            /* "host:/export", "/dev/sdb1", "vg0", or NULL */
};

struct vol_info {
    char *name, *key, *path;
    char *format;            /* raw, qcow2, iso ... */
    char *backing;           /* backing file path, or NULL */
    char *backing_format;
    unsigned long long capacity, allocation;
};

struct pool_info *storxml_pool_parse(const char *xml, struct err *e);
void storxml_pool_free(struct pool_info *p);
struct vol_info *storxml_vol_parse(const char *xml, struct err *e);
void storxml_vol_free(struct vol_info *v);

/* A size with a unit as virsh reads it: b, K/KiB/M/MiB/G/GiB/T/TiB/P/PiB/E
 * (powers of 1024), KB/MB/GB/TB/PB/EB (powers of 1000); decimals allowed
 * ("1.5T"). A bare number is refused (say the unit), so are exponents,
 * negatives and sizes past 8 EiB. what names the field in e. */
int storxml_parse_size(const char *s, const char *what, unsigned long long *bytes,
                       struct err *e);
/* "1.5 GiB" */
void storxml_format_size(unsigned long long bytes, char *buf, size_t len);

/* A volume name: not empty, no '/', not "." or "..". */
int storxml_check_name(const char *name, const char *what, struct err *e);

/* A new volume's XML. format raw or qcow2 (or NULL: the pool decides);
 * backing path + its format for a qcow2 overlay; allocation in bytes
 * (capacity for full preallocation of raw). */
char *storxml_vol_build(const char *name, unsigned long long capacity,
                        unsigned long long allocation, const char *format,
                        const char *backing, const char *backing_format, struct err *e);

/* A new pool's XML, as pool-define-as builds it. type: dir, fs, netfs,
 * logical. dir needs target; fs needs source_dev + target; netfs needs
 * source_host + source_path + target; logical needs source_name (the
 * volume group; source_dev optional, for pool-build). */
char *storxml_pool_build(const char *name, const char *type, const char *target,
                         const char *source_host, const char *source_path,
                         const char *source_dev, const char *source_name,
                         const char *source_format, struct err *e);

#endif
