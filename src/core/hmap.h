/* hmap.h: string-keyed hash map of borrowed keys to pointers (the model's
 * lookup by UUID or name). Keys must outlive their entries. */
#ifndef VIRTMUX_HMAP_H
#define VIRTMUX_HMAP_H

#include <stddef.h>

struct hmap;

struct hmap *hmap_new(void);
void hmap_free(struct hmap *m);
void *hmap_get(const struct hmap *m, const char *key);
/* Insert or replace. */
void hmap_put(struct hmap *m, const char *key, void *val);
void hmap_del(struct hmap *m, const char *key);
size_t hmap_count(const struct hmap *m);

#endif
