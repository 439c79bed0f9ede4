/* stats.c: the stats timer. One bulk virConnectGetAllDomainStats per host
 * per tick, on the host's worker, for running domains only; the samples go
 * to the model (model_dom_set_sample), which works out CPU%. The timer
 * exists only while a host whose driver reports CPU time is connected, so
 * an idle virtmux on other drivers never wakes up. */
#include <autoconf.h>

#include <stdlib.h>

#include "host-priv.h"
#include "loop.h"

static int interval_ms;
static int timer = -1;

struct stats_req {
    struct req r;
    struct m_dom_sample *s;
    size_t n;
};

static int
stats_work(struct req *r, virConnectPtr conn)
{
    struct stats_req *sr = (struct stats_req *)r;
    virDomainStatsRecordPtr *recs = NULL;
    int n = virConnectGetAllDomainStats(conn, STATS_GROUPS,
                                        &recs, VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE);

    if (n < 0)
        return err_virt(&r->err, "Failed to sample statistics");
    sr->s = xcalloc((size_t)n + 1, sizeof(*sr->s));
    for (int i = 0; i < n; i++) {
        struct m_dom tmp = { 0 };
        struct m_dom_sample *s = &sr->s[sr->n];

        if (virDomainGetUUIDString(recs[i]->dom, s->uuid) < 0)
            continue;
        fill_from_stats(&tmp, recs[i], &s->has_mem, &s->has_cpu);
        s->cpu_ns = tmp.cpu_ns;
        s->mem_kib = tmp.mem_kib;
        s->at = util_now_ms();
        sr->n++;
    }
    virDomainStatsRecordListFree(recs);
    return 0;
}

static void
stats_done(struct req *r)
{
    struct stats_req *sr = (struct stats_req *)r;
    struct host *h = host_get(r->host);

    if (h)
        h->stats_pending = false;
    for (size_t i = 0; r->rc == 0 && i < sr->n; i++)
        model_dom_set_sample(r->host, &sr->s[i]);
    free(sr->s);
    free(sr);
}

static void
on_stats(int id, void *opaque)
{
    host_sample_stats();
}

void
host_set_stats_interval(int seconds)
{
    interval_ms = seconds * 1000;
}

void
host_sample_stats(void)
{
    for (int i = 0; i < host_count(); i++) {
        struct host *h = host_get(i);
        struct m_host *mh = model_host_get(i);
        struct stats_req *sr;

        if (h->stats_pending || mh->state != HOST_UP || !h->cpu_stats)
            continue;
        h->stats_pending = true;
        sr = xcalloc(1, sizeof(*sr));
        sr->r = (struct req){ .what = "stats", .host = i,
                              .work = stats_work, .done = stats_done };
        host_submit(&sr->r);
    }
}

/* only drivers whose bulk stats carry CPU time get a stats timer */
static void
up(struct host *h)
{
    if (h->cpu_stats && interval_ms > 0 && timer < 0)
        timer = loop_timer_add(interval_ms, on_stats, NULL, NULL);
}

static void
stop(void)
{
    if (timer >= 0)
        loop_timer_remove(timer);
    timer = -1;
}

const struct host_family host_stats_family = { .name = "stats", .up = up, .shutdown = stop };
