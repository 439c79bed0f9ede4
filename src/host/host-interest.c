/* host-interest.c: what the UI shows, declared by the UI and scheduled
 * here: the volumes (the storage view), one domain's snapshots (the
 * snapshots view), a domain's details, a network's leases and guests. A
 * declaration reads what is missing now; a reconnect reads it again; and
 * where libvirt sends no events (snapshots) the host polls while it is
 * wanted. Panes never schedule reads themselves. Loop thread. */
#include <autoconf.h>

#include <stdio.h>
#include <string.h>

#include "host-priv.h"
#include "host.h"
#include "loop.h"
#include "model.h"

/* libvirt sends no snapshot events: while a domain's snapshots are shown
 * its list is read again every few seconds (one cheap request, skipped
 * while the host is busy), so a snapshot made or deleted by another tool
 * shows up. */
#define SNAP_POLL_MS 3000
/* A guest's addresses change with its DHCP lease or its agent, with no
 * event: the details shown of a running domain with interfaces are read
 * again this often. */
#define DETAILS_POLL_MS 5000

static struct {
    int snap_host;               /* -1: no snapshots wanted */
    char snap_uuid[UUID_LEN];
    int poll_timer;
    int det_host;                /* -1: no details shown */
    char det_uuid[UUID_LEN];
    int det_timer;
} I = { .snap_host = -1, .poll_timer = -1, .det_host = -1, .det_timer = -1 };

static bool
up_now(int host)
{
    const struct m_host *h = model_host_get(host);

    return h && h->state == HOST_UP;
}

static void
on_poll(int id, void *opaque)
{
    if (I.snap_host >= 0 && up_now(I.snap_host) && host_pending(I.snap_host) == 0 &&
        model_dom_get(I.snap_host, I.snap_uuid))
        host_refresh_snapshots(I.snap_host, I.snap_uuid);
}

static void
on_details_poll(int id, void *opaque)
{
    const struct m_dom *d = I.det_host >= 0 ? model_dom_get(I.det_host, I.det_uuid) : NULL;

    if (d && d->id >= 0 && d->details && d->details->nifaces && up_now(I.det_host) &&
        host_pending(I.det_host) == 0)
        host_fetch_details(I.det_host, I.det_uuid);
}

static void
want_details(int host, const char *uuid)
{
    const struct m_dom *d = model_dom_get(host, uuid);

    if (d && (!d->details || d->details_stale) && up_now(host))
        host_fetch_details(host, uuid);
}

void
host_want(int host, enum host_interest what, const char *uuid)
{
    switch (what) {
    case HOST_WANT_VOLUMES:
        /* a host not up yet reads them when it connects */
        host_load_volumes(host);
        break;
    case HOST_WANT_SNAPSHOTS:
        I.snap_host = uuid ? host : -1;
        snprintf(I.snap_uuid, sizeof(I.snap_uuid), "%s", uuid ? uuid : "");
        if (I.poll_timer < 0)
            I.poll_timer = loop_timer_add(SNAP_POLL_MS, on_poll, NULL, NULL);
        if (uuid && model_dom_get(host, uuid) && up_now(host)) {
            host_load_snapshots(host, uuid);
            want_details(host, uuid);    /* the disks' chains */
        }
        break;
    case HOST_WANT_DETAILS:
        I.det_host = uuid ? host : -1;
        snprintf(I.det_uuid, sizeof(I.det_uuid), "%s", uuid ? uuid : "");
        if (uuid && I.det_timer < 0)
            I.det_timer = loop_timer_add(DETAILS_POLL_MS, on_details_poll, NULL, NULL);
        if (uuid)
            want_details(host, uuid);
        break;
    case HOST_WANT_LEASES:
        if (uuid && up_now(host))
            host_fetch_leases(host, uuid);
        break;
    case HOST_WANT_NET_GUESTS:
        if (up_now(host))
            host_count_network_guests(host);
        break;
    }
}

void
host_unwant(enum host_interest what)
{
    switch (what) {
    case HOST_WANT_VOLUMES:
        for (int h = 0; h < model_nhosts(); h++)
            host_storage_showing(h, false);
        break;
    case HOST_WANT_SNAPSHOTS:
        I.snap_host = -1;
        I.snap_uuid[0] = '\0';
        if (I.poll_timer >= 0)
            loop_timer_remove(I.poll_timer);
        I.poll_timer = -1;
        break;
    case HOST_WANT_DETAILS:
        I.det_host = -1;
        I.det_uuid[0] = '\0';
        if (I.det_timer >= 0)
            loop_timer_remove(I.det_timer);
        I.det_timer = -1;
        break;
    default:
        break;                   /* read once: nothing kept */
    }
}

/* A reconnect: the snapshots shown are read again (the volumes come with
 * the storage family's own reads). */
static void
up(struct host *h)
{
    if (I.snap_host == h->id && I.snap_uuid[0] && model_dom_get(h->id, I.snap_uuid))
        host_load_snapshots(h->id, I.snap_uuid);
}

static void
stop(void)
{
    host_unwant(HOST_WANT_SNAPSHOTS);
    host_unwant(HOST_WANT_DETAILS);
}

const struct host_family host_interest_family = {
    .name = "interest", .up = up, .shutdown = stop,
};
