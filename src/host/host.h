/* host.h: one libvirt connection per host, with its own worker thread.
 * Every libvirt call that talks to a daemon runs on that worker; results
 * come back to the loop thread, which applies them to the model. */
#ifndef VIRTMUX_HOST_H
#define VIRTMUX_HOST_H

#include <libvirt/libvirt.h>

#include "err.h"

struct req;
/* Runs on the worker with the host's connection (never NULL); returns 0 or
 * -1 with r->err set. */
typedef int (*req_work)(struct req *r, virConnectPtr conn);
/* Runs on the loop thread afterwards and must free r. */
typedef void (*req_done)(struct req *r);

struct req {
    const char *what;        /* shown while the host is busy with it */
    int host;
    req_work work;
    req_done done;
    /* optional: requests with the same work and key coalesce while the
     * first still waits (host_submit_coalesced); key is the object's */
    const char *key;
    int rc;
    struct err err;
    struct req *next;
};

/* Start the worker of model host id and connect it. */
void host_start(int id);
/* Queue r on its host's worker. A host that is not connected fails it
 * with "not connected" (done still runs). */
void host_submit(struct req *r);
/* The host's connection delivers domain lifecycle events. */
bool host_has_events(int host);
/* Queue r unless a request with the same work and key still waits in the
 * queue: then merge(waiting, r) runs (under the queue's lock, loop thread)
 * and false says r was not queued (the caller frees it). A request the
 * worker has begun is not merged into: what it reads may predate r. */
bool host_submit_coalesced(struct req *r, void (*merge)(struct req *waiting,
                                                       const struct req *r));
/* Ask the worker to re-read one domain (events, after actions); with_xml
 * refetches its details too. */
void host_refresh_domain(int host, const char *uuid, bool with_xml);
/* What an active domain is doing, for lists of users: " (running)",
 * " (paused)", " (suspended)"; "" and *active false when it is not
 * (worker). A paused domain still holds its images open. */
const char *host_dom_activity(virDomainPtr dom, bool *active);
/* The same for a change of state only (a boot, a stop): autostart,
 * persistence and the template mark are kept as the model has them. */
void host_refresh_domain_state(int host, const char *uuid, bool with_xml);
/* Ask for the details (XML) of a domain. */
void host_fetch_details(int host, const char *uuid);
/* A lost host: try to reconnect now instead of waiting for the backoff. */
void host_retry_now(int host);
/* Re-read the whole domain list of a host. */
void host_refresh_all(int host);
/* Networks (host-network.c): read them all (after a connect, and with the
 * count of domains on each when the networks view asks); re-read one. */
void host_load_networks(int host);
void host_count_network_guests(int host);
void host_refresh_network(int host, const char *uuid);
/* Read a network's DHCP leases (and whose MACs they are). */
void host_fetch_leases(int host, const char *uuid);
/* Storage (host-storage.c): read the pools (after a connect); read them
 * with their volumes (the storage view opened; from then on pool events
 * re-read volumes too); re-read one pool. */
void host_load_pools(int host);
void host_load_volumes(int host);
/* The storage view shows (host_load_volumes says so) or not: while it does
 * not, a domain's lifecycle event re-reads no volumes. */
void host_storage_showing(int host, bool showing);
void host_refresh_pool(int host, const char *uuid);
/* What a pool's volumes say may have changed (a pool event, a reconnect, an
 * action of ours that writes, a job's end): bumps the host's storage epoch,
 * against which workers check what they keep of volume data. Loop thread. */
void host_storage_touch(int host);
/* On a host's worker: its id and storage epoch; -1 on any other thread. */
int host_worker_id(long *storage_epoch);

/* What the UI shows, declared by the UI, scheduled by the host
 * (host-interest.c): read now what is missing, again after a reconnect,
 * and polled while wanted where libvirt sends no events (snapshots).
 * uuid: the domain (snapshots, details) or network (leases). */
enum host_interest {
    HOST_WANT_VOLUMES,           /* the storage view: volumes and their users */
    HOST_WANT_SNAPSHOTS,         /* one domain's snapshot list, polled (one at a time) */
    HOST_WANT_DETAILS,           /* a domain's XML details, when missing or stale; its
                                  * addresses polled while it runs (one at a time) */
    HOST_WANT_LEASES,            /* a network's DHCP leases */
    HOST_WANT_NET_GUESTS,        /* how many domains use each network */
};
void host_want(int host, enum host_interest what, const char *uuid);
/* No longer shown, on every host (volumes, snapshots, details; the others
 * are read once per declaration). */
void host_unwant(enum host_interest what);

/* Read which shut-off domains are templates (after a connect). */
void host_load_templates(int host);
/* Snapshots (host-snapshot.c): every domain's count (after a connect and
 * a re-read of the list; also re-reads the lists read so far); one
 * domain's whole list (the snapshots view); after an action or an event,
 * its list when that was read, else its count. */
void host_load_snapshot_counts(int host);
void host_load_snapshots(int host, const char *uuid);
void host_refresh_snapshots(int host, const char *uuid);

/* Sample stats every seconds (0: never); the timer runs only once a host
 * whose driver reports CPU time is connected. */
void host_set_stats_interval(int seconds);
/* Sample bulk stats on every connected host (the stats timer). */
void host_sample_stats(void);
/* Requests queued or running on host. */
int host_pending(int host);
/* How long the running request of host has been running (0: idle). */
int64_t host_busy_ms(int host);
/* The host's connection with a reference the caller drops with
 * virConnectClose, or NULL when it is not connected. Any thread: for work
 * that must not hold up the worker (jobs; libvirt connections are
 * thread-safe). */
virConnectPtr host_conn_ref(int host);
/* Stop every worker and close every connection (at exit). */
void host_shutdown_all(void);

#endif
