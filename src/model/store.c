/* store.c: the per-host record store (store.h). Each host has an array of
 * records in arrival order and a hash from key to index + 1; keys are
 * borrowed from the records. Removal keeps the order (the tail moves up
 * and is indexed again), so "the first pool" stays the first. Every
 * change that reaches a pane goes out from here as one notify event. */
#include <autoconf.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hmap.h"
#include "store.h"
#include "util.h"

struct store_host {
    void **v;
    size_t n;
    struct hmap *idx;        /* key -> index + 1 */
};

static const char *
key_of(const struct store *st, const void *rec)
{
    return (const char *)rec + st->kind->key_off;
}

static int
host_of(const struct store *st, const void *rec)
{
    return *(const int *)(const void *)((const char *)rec + st->kind->host_off);
}

static const char *
name_of(const struct store *st, const void *rec)
{
    return *(char *const *)(const void *)((const char *)rec + st->kind->name_off);
}

/* The host's table, or NULL when it has never had a record. */
static struct store_host *
peek(const struct store *st, int host)
{
    return host >= 0 && host < st->nhosts ? &st->hosts[host] : NULL;
}

/* The host's table, made on first use. */
static struct store_host *
table(struct store *st, int host)
{
    if (host < 0)
        return NULL;
    if (host >= st->nhosts) {
        st->hosts = xreallocarray(st->hosts, (size_t)host + 1, sizeof(*st->hosts));
        for (int i = st->nhosts; i <= host; i++)
            st->hosts[i] = (struct store_host){ NULL, 0, hmap_new() };
        st->nhosts = host + 1;
    }
    return &st->hosts[host];
}

static size_t
index_of(const struct store_host *t, const char *key)
{
    return t && key ? (size_t)(uintptr_t)hmap_get(t->idx, key) : 0;
}

void *
store_get(const struct store *st, int host, const char *key)
{
    const struct store_host *t = peek(st, host);
    size_t i = index_of(t, key);

    return i ? t->v[i - 1] : NULL;
}

void *
store_by_name(const struct store *st, int host, const char *name)
{
    for (int h = host < 0 ? 0 : host; h < st->nhosts; h++) {
        for (size_t i = 0; i < st->hosts[h].n; i++) {
            if (STREQ(name_of(st, st->hosts[h].v[i]), name))
                return st->hosts[h].v[i];
        }
        if (host >= 0)
            break;
    }
    return NULL;
}

void **
store_list(const struct store *st, int host, size_t *n)
{
    const struct store_host *t = peek(st, host);

    *n = t ? t->n : 0;
    return t ? t->v : NULL;
}

size_t
store_count(const struct store *st, int host)
{
    size_t n = 0;

    if (host >= 0)
        return peek(st, host) ? st->hosts[host].n : 0;
    for (int h = 0; h < st->nhosts; h++)
        n += st->hosts[h].n;
    return n;
}

static void
append(struct store_host *t, const char *key, void *rec)
{
    t->v = xreallocarray(t->v, t->n + 1, sizeof(*t->v));
    t->v[t->n++] = rec;
    hmap_put(t->idx, key, (void *)(uintptr_t)t->n);
}

void
store_put(struct store *st, void *rec)
{
    int host = host_of(st, rec);
    struct store_host *t = table(st, host);
    size_t i = index_of(t, key_of(st, rec));
    void *old;

    if (!i) {
        append(t, key_of(st, rec), rec);
        notify_emit(st->kind->notify, host, key_of(st, rec), MODEL_ADDED);
        return;
    }
    old = t->v[i - 1];
    if (st->kind->carry)
        st->kind->carry(rec, old, false);
    t->v[i - 1] = rec;
    hmap_put(t->idx, key_of(st, rec), (void *)(uintptr_t)i);
    st->kind->free(old);
    notify_emit(st->kind->notify, host, key_of(st, rec), MODEL_CHANGED);
}

void *
store_ensure(struct store *st, int host, const char *key)
{
    struct store_host *t;
    void *rec = store_get(st, host, key);

    if (rec || host < 0)
        return rec;
    t = table(st, host);
    rec = st->kind->make(host, key);
    append(t, key_of(st, rec), rec);
    return rec;
}

void
store_remove(struct store *st, int host, const char *key)
{
    struct store_host *t = peek(st, host);
    size_t i = index_of(t, key);
    char *copy;

    if (!i)
        return;
    /* the event names the key after the record (and maybe key) is gone */
    copy = xstrdup(key);
    hmap_del(t->idx, key_of(st, t->v[i - 1]));
    st->kind->free(t->v[i - 1]);
    memmove(&t->v[i - 1], &t->v[i], (t->n - i) * sizeof(*t->v));
    t->n--;
    for (size_t k = i - 1; k < t->n; k++)
        hmap_put(t->idx, key_of(st, t->v[k]), (void *)(uintptr_t)(k + 1));
    notify_emit(st->kind->notify, host, copy, MODEL_REMOVED);
    free(copy);
}

void
store_replace(struct store *st, int host, void **list, size_t n)
{
    struct store_host *t = table(st, host);
    struct store_host old;

    if (!t) {
        for (size_t i = 0; i < n; i++)
            st->kind->free(list[i]);
        free(list);
        return;
    }
    old = *t;
    *t = (struct store_host){ list, n, hmap_new() };
    for (size_t i = 0; i < n; i++) {
        size_t k = index_of(&old, key_of(st, list[i]));

        hmap_put(t->idx, key_of(st, list[i]), (void *)(uintptr_t)(i + 1));
        if (k && st->kind->carry)
            st->kind->carry(list[i], old.v[k - 1], true);
    }
    hmap_free(old.idx);
    for (size_t i = 0; i < old.n; i++)
        st->kind->free(old.v[i]);
    free(old.v);
    notify_emit(st->kind->notify_all, host, NULL, MODEL_CHANGED);
}

void
store_changed(const struct store *st, int host, const char *key)
{
    notify_emit(st->kind->notify, host, key, MODEL_CHANGED);
}

void
store_clear(struct store *st)
{
    for (int h = 0; h < st->nhosts; h++) {
        for (size_t i = 0; i < st->hosts[h].n; i++)
            st->kind->free(st->hosts[h].v[i]);
        free(st->hosts[h].v);
        hmap_free(st->hosts[h].idx);
    }
    free(st->hosts);
    st->hosts = NULL;
    st->nhosts = 0;
}
