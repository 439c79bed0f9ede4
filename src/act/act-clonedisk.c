/* act-clonedisk.c: the disks of a clone, once planned (act-clone.c):
 * making each (a linked qcow2 overlay at once, a full copy with
 * virStorageVolCreateXMLFrom), the copy job that makes the full ones with
 * the new volume's allocation as progress and starts the clone when asked,
 * and taking back everything a failed or cancelled clone made. */
#include <autoconf.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libvirt/virterror.h>

#include "act.h"
#include "job.h"
#include "log.h"
#include "storxml.h"

void
act_clone_job_free(struct clone_job *j)
{
    for (size_t i = 0; j && i < j->nvols; i++) {
        free(j->vols[i].pool);
        free(j->vols[i].name);
        free(j->vols[i].path);
        free(j->vols[i].src);
        free(j->vols[i].format);
        free(j->vols[i].src_format);
    }
    if (j) {
        free(j->vols);
        free(j->name);
        free(j->src_name);
        free(j->title);
        free(j->taken_back);
        free(j);
    }
}

/* Take back what a clone made: its volumes, then its definition; what
 * was done (or could not be) in j->taken_back. */
void
act_clone_take_back(virConnectPtr conn, struct clone_job *j)
{
    virDomainPtr dom = virDomainLookupByName(conn, j->name);
    char *said = xstrdup("");

    for (size_t i = 0; i < j->nvols; i++) {
        virStorageVolPtr v;
        bool ok;
        char *t;

        if (!j->vols[i].made)
            continue;
        v = virStorageVolLookupByPath(conn, j->vols[i].path);
        ok = v && virStorageVolDelete(v, 0) == 0;
        if (ok)
            j->vols[i].made = false;
        else
            j->take_back_failed = true;
        if (v)
            virStorageVolFree(v);
        t = xasprintf("%svolume %s %s; ", said, j->vols[i].path,
                      ok ? "deleted" : "could NOT be deleted");
        free(said);
        said = t;
    }
    if (dom) {
        bool ok = virDomainUndefineFlags(dom, VIR_DOMAIN_UNDEFINE_NVRAM |
                                         VIR_DOMAIN_UNDEFINE_MANAGED_SAVE) == 0 ||
                  virDomainUndefine(dom) == 0;

        j->take_back_failed |= !ok;
        virDomainFree(dom);
        free(j->taken_back);
        j->taken_back = xasprintf("The clone '%s' is taken back: %sdefinition %s", j->name,
                                  said, ok ? "removed" : "could NOT be removed");
    } else {
        free(j->taken_back);
        j->taken_back = xasprintf("The clone '%s' is taken back: %sno definition was left",
                                  j->name, said);
    }
    free(said);
    virResetLastError();
}

int
act_clone_make_vol(virConnectPtr conn, struct clone_vol *v, struct err *e)
{
    virStoragePoolPtr pool = virStoragePoolLookupByName(conn, v->pool);
    virStorageVolPtr src = NULL, nv = NULL;
    AUTOFREE char *xml = NULL;

    if (!pool)
        return err_virt(e, "Failed to find pool '%s'", v->pool);
    if (v->link) {
        xml = storxml_vol_build(v->name, v->capacity, 0, "qcow2", v->src, v->src_format, e);
        nv = xml ? virStorageVolCreateXML(pool, xml, 0) : NULL;
    } else {
        xml = storxml_vol_build(v->name, v->capacity, 0, v->format, NULL, NULL, e);
        if (xml && (src = virStorageVolLookupByPath(conn, v->src)))
            nv = virStorageVolCreateXMLFrom(pool, xml, src, 0);
    }
    if (xml && !nv)
        err_virt(e, "Failed to %s %s as %s", v->link ? "link" : "copy", v->src, v->name);
    v->made = nv != NULL;
    if (src)
        virStorageVolFree(src);
    if (nv)
        virStorageVolFree(nv);
    virStoragePoolFree(pool);
    return v->made ? 0 : -1;
}

/* ---- the copy job ---- */

struct poller {
    pthread_t thread;
    virConnectPtr conn;
    struct job_run *run;
    const char *path;
    long long base;
    bool stop;
    pthread_mutex_t lock;
    pthread_cond_t cond;     /* stop was set: no need to sleep out the period */
};

/* The new volume's allocation, every 300 ms, as the job's progress. */
static void *
poll_alloc(void *opaque)
{
    struct poller *p = opaque;

    for (;;) {
        struct timespec until;
        virStorageVolPtr v;
        virStorageVolInfo info;
        bool stop;

        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 300 * 1000 * 1000;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_mutex_lock(&p->lock);
        while (!p->stop && pthread_cond_timedwait(&p->cond, &p->lock, &until) == 0)
            ;
        stop = p->stop;
        pthread_mutex_unlock(&p->lock);
        if (stop)
            break;
        if ((v = virStorageVolLookupByPath(p->conn, p->path))) {
            if (virStorageVolGetInfo(v, &info) == 0)
                job_progress(p->run, p->base + (long long)info.allocation);
            virStorageVolFree(v);
        }
        virResetLastError();
    }
    return NULL;
}

static int
copy_body(struct job_run *run, void *opaque, struct err *e)
{
    struct clone_job *j = opaque;
    virConnectPtr conn = host_conn_ref(j->host);
    long long base = 0;
    int rc = 0;

    if (!conn)
        return err_set(e, "Not connected: the clone '%s' is left to be cleaned up", j->name);
    for (size_t i = 0; i < j->nvols && rc == 0; i++) {
        struct clone_vol *v = &j->vols[i];
        struct poller p = { .conn = conn, .run = run, .path = v->path, .base = base };
        bool polling;

        if (v->link || v->made)
            continue;
        if (job_cancelled(run)) {
            rc = -1;
            break;
        }
        pthread_mutex_init(&p.lock, NULL);
        pthread_cond_init(&p.cond, NULL);
        polling = pthread_create(&p.thread, NULL, poll_alloc, &p) == 0;
        rc = act_clone_make_vol(conn, v, e);
        pthread_mutex_lock(&p.lock);
        p.stop = true;
        pthread_cond_signal(&p.cond);
        pthread_mutex_unlock(&p.lock);
        if (polling)
            pthread_join(p.thread, NULL);
        pthread_cond_destroy(&p.cond);
        pthread_mutex_destroy(&p.lock);
        base += (long long)v->allocation;
        job_progress(run, base);
    }
    /* libvirt cannot stop a copy midway: a cancel takes effect after it */
    if (rc == 0 && job_cancelled(run))
        rc = -1;
    if (rc < 0) {
        act_clone_take_back(conn, j);
    } else if (j->start) {
        virDomainPtr dom = virDomainLookupByName(conn, j->name);

        if (!dom || virDomainCreate(dom) < 0)
            rc = err_virt(e, "Domain '%s' is cloned but failed to start", j->name);
        if (dom)
            virDomainFree(dom);
    }
    virConnectClose(conn);
    return rc;
}

static void
copy_end(const struct job *jb, void *opaque)
{
    struct clone_job *j = opaque;

    if (j->taken_back)
        log_msg(j->take_back_failed ? LOG_WARN : LOG_INFO, "%s", j->taken_back);
    host_refresh_all(j->host);
    host_load_pools(j->host);
    act_clone_job_free(j);
}


void
act_clone_job_start(struct clone_job *j)
{
    long long total = 0;
    AUTOFREE char *ok = xasprintf("Domain '%s' cloned from '%s'%s", j->name, j->src_name,
                                  j->start ? " and started" : "");
    struct job_spec spec;
    struct err e;

    for (size_t k = 0; k < j->nvols; k++)
        total += j->vols[k].link ? 0 : (long long)j->vols[k].allocation;
    spec = (struct job_spec){ .host = j->host, .title = j->title, .total = total,
                              .body = copy_body, .opaque = j, .done_text = ok,
                              .end = copy_end };
    if (job_start(j->job_id, &spec, &e) < 0)
        log_msg(LOG_ERROR, "%s", e.msg);
}
