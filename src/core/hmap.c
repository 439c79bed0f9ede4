/* hmap.c: open addressing with linear probing and backward-shift deletion,
 * so no tombstones pile up under constant domain churn. */
#include <autoconf.h>

#include <stdlib.h>

#include "hmap.h"
#include "util.h"

struct slot {
    const char *key;
    void *val;
};

struct hmap {
    struct slot *slots;
    size_t cap, count;
};

static size_t
hash(const char *s)
{
    size_t h = 1469598103934665603ULL;

    while (*s)
        h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
    return h;
}

struct hmap *
hmap_new(void)
{
    struct hmap *m = xcalloc(1, sizeof(*m));

    m->cap = 16;
    m->slots = xcalloc(m->cap, sizeof(*m->slots));
    return m;
}

void
hmap_free(struct hmap *m)
{
    if (!m)
        return;
    free(m->slots);
    free(m);
}

static size_t
find(const struct hmap *m, const char *key)
{
    size_t i = hash(key) & (m->cap - 1);

    while (m->slots[i].key && STRNEQ(m->slots[i].key, key))
        i = (i + 1) & (m->cap - 1);
    return i;
}

void *
hmap_get(const struct hmap *m, const char *key)
{
    return m->slots[find(m, key)].val;
}

static void
grow(struct hmap *m)
{
    struct slot *old = m->slots;
    size_t oldcap = m->cap;

    m->cap *= 2;
    m->slots = xcalloc(m->cap, sizeof(*m->slots));
    for (size_t i = 0; i < oldcap; i++) {
        if (old[i].key)
            m->slots[find(m, old[i].key)] = old[i];
    }
    free(old);
}

void
hmap_put(struct hmap *m, const char *key, void *val)
{
    size_t i;

    if ((m->count + 1) * 4 > m->cap * 3)
        grow(m);
    i = find(m, key);
    if (!m->slots[i].key)
        m->count++;
    m->slots[i].key = key;
    m->slots[i].val = val;
}

void
hmap_del(struct hmap *m, const char *key)
{
    size_t i = find(m, key), j;

    if (!m->slots[i].key)
        return;
    m->slots[i].key = NULL;
    m->slots[i].val = NULL;
    m->count--;
    /* shift back the entries of the same probe run */
    for (j = (i + 1) & (m->cap - 1); m->slots[j].key; j = (j + 1) & (m->cap - 1)) {
        struct slot s = m->slots[j];
        size_t home = hash(s.key) & (m->cap - 1);

        if ((j > i && (home <= i || home > j)) ||
            (j < i && (home <= i && home > j))) {
            m->slots[i] = s;
            m->slots[j].key = NULL;
            m->slots[j].val = NULL;
            i = j;
        }
    }
}

size_t
hmap_count(const struct hmap *m)
{
    return m->count;
}
