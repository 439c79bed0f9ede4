/* store.h: the one per-host record store behind every model family
 * (domains, networks, pools, snapshot lists). A kind says where its records
 * keep their host, key and name, how to make and free one, and what a
 * re-read record keeps from the one it replaces; the store keeps the
 * records of each host in arrival order with a hash by key, and emits the
 * notify event of every change. Loop thread only. */
#ifndef VIRTMUX_STORE_H
#define VIRTMUX_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "notify.h"

/* The change an event reports (struct notify_ev's change). */
enum { MODEL_ADDED, MODEL_CHANGED, MODEL_REMOVED };

struct store_kind {
    enum notify_kind notify;      /* a record added, changed or removed */
    enum notify_kind notify_all;  /* a host's records replaced (key NULL) */
    size_t host_off;              /* where a record keeps its host (int) */
    size_t key_off;               /* ... its key (a char array) */
    size_t name_off;              /* ... its name (char *), for store_by_name */
    void *(*make)(int host, const char *key);    /* a new record (store_ensure) */
    void (*free)(void *rec);
    /* What to, a re-read record, keeps from from, the one it replaces;
     * whole: a full re-read of the host (store_replace). May be NULL. */
    void (*carry)(void *to, void *from, bool whole);
};

struct store_host;

/* One kind's records: static struct store x = { &kind }; */
struct store {
    const struct store_kind *kind;
    struct store_host *hosts;     /* private: by host id */
    int nhosts;
};

/* The record of key on host, or NULL (borrowed). */
void *store_get(const struct store *st, int host, const char *key);
/* The first record named name on host (any host when host < 0), or NULL. */
void *store_by_name(const struct store *st, int host, const char *name);
/* The records of host in arrival order (borrowed array; *n its length). */
void **store_list(const struct store *st, int host, size_t *n);
/* How many records host has (all hosts when host < 0). */
size_t store_count(const struct store *st, int host);
/* Insert rec (taken over), or replace the record of its key, which gives
 * rec what it carries; emits ADDED or CHANGED. */
void store_put(struct store *st, void *rec);
/* The record of key on host, made (with no event) when there is none. */
void *store_ensure(struct store *st, int host, const char *key);
/* Drop and free the record of key on host; emits REMOVED. */
void store_remove(struct store *st, int host, const char *key);
/* A full re-read of host: list (the array and its records taken over)
 * becomes its records, those it lacks are freed (the sweep), those it
 * keeps carry over; one notify_all event. */
void store_replace(struct store *st, int host, void **list, size_t n);
/* Emit CHANGED for a record changed in place (key NULL: several of host). */
void store_changed(const struct store *st, int host, const char *key);
/* Free every record of every host. */
void store_clear(struct store *st);

#endif
