/* model.h: plain records of what the hosts told us, keyed by host id +
 * UUID (one per-host store for every family, store.h). Mutated only on
 * the loop thread and only by these functions; every change emits a
 * notify event. Panes keep keys and look records up when they draw. */
#ifndef VIRTMUX_MODEL_H
#define VIRTMUX_MODEL_H

#include "domxml.h"
#include "netxml.h"
#include "notify.h"
#include "snapxml.h"
#include "store.h"
#include "storxml.h"
#include "util.h"

#define HOST_STATES(X) \
    X(CONNECTING, "connecting") \
    X(UP, "connected") \
    X(LOST, "lost") \
    X(RECONNECTING, "reconnecting") \
    X(FAILED, "failed")          /* an error retrying cannot fix: no retry */

enum host_state {
#define X(e, s) HOST_##e,
    HOST_STATES(X)
#undef X
};
const char *model_host_state_name(enum host_state s);

struct m_host {
    int id;
    char *uri;
    enum host_state state;
    bool readonly;
    bool loaded;             /* the first full list has arrived */
    char *reason;            /* why lost / failed, libvirt's words */
    char *hostname;
    int64_t retry_at;        /* when the next reconnect try runs (ms) */
};

#define UUID_LEN 37

struct m_dom {
    int host;
    char uuid[UUID_LEN];
    char *name;
    int id;                  /* -1 when not running */
    int state, reason;       /* virDomainState + reason */
    unsigned vcpus;
    unsigned long long mem_kib, maxmem_kib;
    bool autostart, persistent, managedsave;
    signed char tmpl;        /* a template (virtmux metadata): 1, 0, or -1 not read */
    bool cpu_valid;          /* cpu_pct is meaningful */
    double cpu_pct;
    unsigned long long cpu_ns;
    int64_t cpu_at;
    struct dom_details *details;   /* from the XML, NULL until fetched */
    bool details_stale;
    bool awaiting;           /* a change was asked for that libvirt does not wait
                              * for (shutdown): its end is announced */
};

/* Hosts. */
int model_host_add(const char *uri, bool readonly);
struct m_host *model_host_get(int id);
int model_nhosts(void);
/* A new state and why (reason copied; NULL for none). HOST_UP also means
 * the first list has arrived (loaded) and no reconnect is planned. */
void model_host_set_state(int id, enum host_state st, const char *reason);
/* When the next reconnect try runs (ms, util_now_ms's clock). */
void model_host_set_retry(int id, int64_t at);
/* The host's name as the host says it (copied). */
void model_host_set_hostname(int id, const char *hostname);

/* Domains. */
const char *model_dom_state_name(int state);
/* What a state looks like on screen (ui/ colours it without libvirt's
 * constants): running (and blocked), paused (and suspended), shut off,
 * or anything else. */
enum m_state_look { M_LOOK_RUNNING, M_LOOK_PAUSED, M_LOOK_SHUTOFF, M_LOOK_OTHER };
enum m_state_look model_dom_state_look(int state);
/* The reason for a state in virsh's words ("booted", "destroyed"). */
const char *model_dom_reason_name(int state, int reason);
struct m_dom *model_dom_get(int host, const char *uuid);
/* Domains named name on host (or any host when host < 0): first match. */
struct m_dom *model_dom_by_name(int host, const char *name);
/* All domains of a host, in no particular order (borrowed array). */
struct m_dom **model_doms(int host, size_t *n);
size_t model_ndoms_total(void);
/* Insert or update from d (taken over, d freed); keeps details. */
void model_dom_put(struct m_dom *d);
void model_dom_remove(int host, const char *uuid);
/* Replace all domains of host by list (taken over); one DOMAINS event. */
void model_doms_replace(int host, struct m_dom **list, size_t n);
void model_dom_set_details(int host, const char *uuid, struct dom_details *dd);
/* The template mark read for a domain (virtmux metadata). */
void model_dom_set_template(int host, const char *uuid, bool is);
/* A change was asked for whose end libvirt does not wait for (a shutdown):
 * the re-read that sees the state change announces it. */
void model_dom_await(int host, const char *uuid);
/* The state a lifecycle call left the domain in (libvirt returns once it
 * is there); the event's re-read fills in the rest (reason, ID). */
void model_dom_set_state(int host, const char *uuid, int state, bool stopped);

/* One statistics sample of a running domain (src/host/stats.c). */
struct m_dom_sample {
    char uuid[UUID_LEN];
    unsigned long long cpu_ns, mem_kib;
    int64_t at;              /* when it was taken (ms) */
    bool has_cpu, has_mem;
};
/* Apply a sample: CPU% from the CPU time used since the last one over
 * the time between them (100% is one host CPU), and the memory. */
void model_dom_set_sample(int host, const struct m_dom_sample *s);
struct m_dom *model_dom_new(int host, const char *uuid, const char *name);
void model_dom_free(struct m_dom *d);
/* Networks (model-network.c). */
struct net_lease {
    char *mac, *ip, *hostname;
    char *guest;             /* the domain whose interface has the MAC */
    long long expiry;        /* seconds since the epoch */
};

struct m_net {
    int host;
    char uuid[UUID_LEN];
    char *name;
    bool active, autostart, persistent;
    struct net_info *info;   /* from the XML */
    int guests;              /* domains with an interface on it; -1 unknown */
    struct net_lease *leases;
    int nleases;             /* -1 not read (or not supported) */
    char *leases_err;
};

struct m_net *model_net_new(int host, const char *uuid, const char *name);
void model_net_free(struct m_net *n);
struct m_net *model_net_get(int host, const char *uuid);
struct m_net *model_net_by_name(int host, const char *name);
struct m_net **model_nets(int host, size_t *n);
/* Insert or update (n taken over); emits NOTIFY_NETWORK. */
void model_net_put(struct m_net *n);
void model_net_remove(int host, const char *uuid);
/* Replace all networks of a host (list taken over); a network the list
 * did not count guests for keeps its count. */
void model_nets_replace(int host, struct m_net **list, size_t n);
void model_networks_free(void);
/* Leases read for a network (taken over); err when they could not be. */
void model_net_set_leases(int host, const char *uuid, struct net_lease *l, int n,
                          const char *err);
void model_leases_free(struct net_lease *l, int n);

/* Storage (model-storage.c): pools with their volumes. */
struct m_vol {
    char *name, *key, *path;
    char *format;            /* raw, qcow2, iso ... */
    char *backing;           /* backing file path, or NULL */
    char *backing_format;
    unsigned long long capacity, allocation;
    char *users;             /* "web01 (running), db": domains with it as a disk */
    bool used_running;       /* one of them runs */
    char *dependents;        /* volumes backed by this one ("a.qcow2, b.qcow2") */
};

struct m_pool {
    int host;
    char uuid[UUID_LEN];
    char *name;
    struct pool_info *info;  /* type, target, source, from the XML */
    bool active, autostart, persistent;
    int state;               /* virStoragePoolState */
    unsigned long long capacity, allocation, available;
    struct m_vol *vols;
    int nvols;               /* -1 not read yet */
    char *vols_err;
};

struct m_pool *model_pool_new(int host, const char *uuid, const char *name);
void model_pool_free(struct m_pool *p);
struct m_pool *model_pool_get(int host, const char *uuid);
struct m_pool *model_pool_by_name(int host, const char *name);
struct m_pool **model_pools(int host, size_t *n);
/* Insert or update (p taken over; a p without volumes keeps the old ones);
 * emits NOTIFY_POOL. */
void model_pool_put(struct m_pool *p);
void model_pool_remove(int host, const char *uuid);
void model_pools_replace(int host, struct m_pool **list, size_t n);
/* Volumes read for a pool (taken over); err when they could not be. */
void model_pool_set_vols(int host, const char *uuid, struct m_vol *v, int n,
                         const char *err);
void model_vols_free(struct m_vol *v, int n);
struct m_vol *model_vol_get(const struct m_pool *p, const char *name);
/* The volume at path on host (any pool); *pool gets its pool. */
struct m_vol *model_vol_by_path(int host, const char *path, struct m_pool **pool);
void model_storage_free(void);

/* Snapshots (model-snapshot.c): per domain (host + UUID) how many it has
 * (the domains list) and, once the snapshots view asked, all of them.
 * Emits NOTIFY_SNAPSHOT with the domain's UUID (NULL: every domain of the
 * host). */
struct m_snaps {
    int host;
    char uuid[UUID_LEN];
    int count;               /* -1 not read */
    struct snap_info **v;    /* snapxml.h; current set from libvirt */
    int n;                   /* -1 not read */
    char *err;               /* why the list could not be read */
};

struct m_snaps *model_snaps_get(int host, const char *uuid);
/* The list read for a domain (v taken over); err when it could not be. */
void model_snaps_set(int host, const char *uuid, struct snap_info **v, int n,
                     const char *err);
/* Counts read for n domains of host (uuids[i] has counts[i]; -1 unknown). */
void model_snaps_set_counts(int host, const char (*uuids)[UUID_LEN], const int *counts,
                            int n);
/* Domains of host whose list has been read (borrowed, NULL-terminated;
 * the caller frees the array only). */
struct m_snaps **model_snaps_loaded(int host);
const struct snap_info *model_snap_get(const struct m_snaps *s, const char *name);
const struct snap_info *model_snap_current(const struct m_snaps *s);
void model_snapshots_free(void);

void model_free(void);
/* model.c calls this to drop every domain record (model-domain.c). */
void model_domains_free(void);

#endif
