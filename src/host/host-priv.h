/* host-priv.h: what host.c shares with stats.c (not for other modules). */
#ifndef VIRTMUX_HOST_PRIV_H
#define VIRTMUX_HOST_PRIV_H

#include <pthread.h>

#include "host.h"
#include "model.h"

#define STATS_GROUPS (VIR_DOMAIN_STATS_STATE | VIR_DOMAIN_STATS_CPU_TOTAL | \
                      VIR_DOMAIN_STATS_BALLOON | VIR_DOMAIN_STATS_VCPU)

struct host {
    int id;
    char *uri;               /* copies: the worker never reads the model */
    bool readonly;
    int64_t busy_since;      /* under lock: when the running request began */
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    struct req *head, *tail;
    int pending;
    bool stop;
    bool started;
    virConnectPtr conn;      /* the worker's; set/cleared under lock */
    unsigned gen;            /* connection generation, bumps on every open */
    int lifecycle_id;
    int net_event_id;
    int pool_event_id, pool_refresh_id;
    bool want_vols;          /* the storage view has been opened */
    bool vols_queued;        /* a re-read for domain events is queued */
    int backoff_ms;
    int retry_timer;
    bool stats_pending;
    bool cpu_stats;          /* the driver's bulk stats carry cpu.time */
    unsigned storage_epoch;  /* atomic: host_storage_touch */
};

/* The whole domain list, read on the worker (host-domain.c). */
struct list_req {
    struct req r;
    struct host *h;          /* set on the loop thread: H may move */
    struct m_dom **list;
    size_t n;
    char *hostname;
    bool cpu_stats;
    bool permanent;          /* the connection failed for good: no retry */
};
int host_load_domains(struct list_req *lr, virConnectPtr conn);
void host_list_free(struct list_req *lr);

struct host *host_get(int id);
int host_count(void);
/* Fill a record from one bulk-stats record (state, cpu.time, balloon, vcpu). */
void fill_from_stats(struct m_dom *d, virDomainStatsRecordPtr rec, bool *has_mem,
                     bool *has_cpu);
/* What a family of data besides the domain list (networks, storage,
 * templates, snapshots, stats) does at each step of a connection's life:
 * host.c walks one table of these and names no family. Every hook is
 * optional. */
struct host_family {
    const char *name;
    /* worker, a fresh connection: register the family's libvirt events */
    void (*events_on)(virConnectPtr conn, struct host *h);
    /* worker, before the connection closes: deregister them */
    void (*events_off)(virConnectPtr conn, struct host *h);
    /* loop, the host is up (connected or reconnected): the first reads */
    void (*up)(struct host *h);
    /* loop, a domain's lifecycle event (state_only: a boot or a stop) */
    void (*domain_changed)(int host, const char *uuid, bool state_only);
    /* loop, virtmux is exiting */
    void (*shutdown)(void);
};
extern const struct host_family host_network_family;   /* host-network.c */
extern const struct host_family host_storage_family;   /* host-storage.c */
extern const struct host_family host_template_family;  /* host-template.c */
extern const struct host_family host_snapshot_family;  /* host-snapshot.c */
extern const struct host_family host_stats_family;     /* stats.c */
extern const struct host_family host_interest_family;  /* host-interest.c */

/* host-template.c: whether dom carries virtmux's template mark (worker). */
bool host_is_template(virDomainPtr dom);

#endif
