/* loop.c: the single poll() loop everything but the host workers runs on.
 *
 * Lists of fds and timers are guarded by one mutex because libvirt and the
 * host workers register and update them from other threads; any change
 * from another thread writes the wake pipe so poll() picks it up. Entries
 * removed during dispatch are only marked; their free functions run after
 * the dispatch, from a clean stack, as libvirt requires. */
#include <autoconf.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "loop.h"

struct lfd {
    int id, fd, events;
    loop_fd_cb cb;
    void *opaque;
    loop_fn ff;
    bool deleted;
};

struct ltimer {
    int id, interval;
    int64_t due;
    loop_timer_cb cb;
    void *opaque;
    loop_fn ff;
    bool deleted;
};

struct ldefer {
    loop_fn fn;
    void *opaque;
    struct ldefer *next;
};

static struct {
    pthread_mutex_t lock;
    pthread_t thread;
    struct lfd *fds;
    size_t nfds;
    struct ltimer *timers;
    size_t ntimers;
    struct ldefer *defer_head, *defer_tail;
    int next_id;
    int wake[2];
    int sigpipe[2];
    loop_fn sigcb[65];
    void *sigopaque[65];
    loop_fn prepare;
    void *prepare_opaque;
    bool quit;
    bool dirty_lists;
    unsigned long wakeups;
} L = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void
set_nonblock_cloexec(int fd)
{
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    fcntl(fd, F_SETFD, FD_CLOEXEC);
}

void
loop_init(void)
{
    if (pipe(L.wake) < 0 || pipe(L.sigpipe) < 0)
        fatal("cannot create the loop's pipes");
    set_nonblock_cloexec(L.wake[0]);
    set_nonblock_cloexec(L.wake[1]);
    set_nonblock_cloexec(L.sigpipe[0]);
    set_nonblock_cloexec(L.sigpipe[1]);
    L.thread = pthread_self();
    L.next_id = 1;
}

void
loop_wake(void)
{
    char c = 1;
    int saved = errno;

    if (write(L.wake[1], &c, 1) < 0) {
        /* a full pipe already wakes the loop */
    }
    errno = saved;
}

static void
changed(void)
{
    if (!pthread_equal(pthread_self(), L.thread))
        loop_wake();
}

int
loop_fd_add(int fd, int events, loop_fd_cb cb, void *opaque, loop_fn ff)
{
    int id;

    pthread_mutex_lock(&L.lock);
    L.fds = xreallocarray(L.fds, L.nfds + 1, sizeof(*L.fds));
    id = L.next_id++;
    L.fds[L.nfds++] = (struct lfd){ id, fd, events, cb, opaque, ff, false };
    pthread_mutex_unlock(&L.lock);
    changed();
    return id;
}

void
loop_fd_update(int id, int events)
{
    pthread_mutex_lock(&L.lock);
    for (size_t i = 0; i < L.nfds; i++) {
        if (L.fds[i].id == id && !L.fds[i].deleted)
            L.fds[i].events = events;
    }
    pthread_mutex_unlock(&L.lock);
    changed();
}

int
loop_fd_remove(int id)
{
    int ret = -1;

    pthread_mutex_lock(&L.lock);
    for (size_t i = 0; i < L.nfds; i++) {
        if (L.fds[i].id == id && !L.fds[i].deleted) {
            L.fds[i].deleted = true;
            L.dirty_lists = true;
            ret = 0;
        }
    }
    pthread_mutex_unlock(&L.lock);
    changed();
    return ret;
}

int
loop_timer_add(int interval_ms, loop_timer_cb cb, void *opaque, loop_fn ff)
{
    int id;

    pthread_mutex_lock(&L.lock);
    L.timers = xreallocarray(L.timers, L.ntimers + 1, sizeof(*L.timers));
    id = L.next_id++;
    L.timers[L.ntimers++] = (struct ltimer){
        id, interval_ms, util_now_ms() + (interval_ms > 0 ? interval_ms : 0),
        cb, opaque, ff, false };
    pthread_mutex_unlock(&L.lock);
    changed();
    return id;
}

void
loop_timer_update(int id, int interval_ms)
{
    pthread_mutex_lock(&L.lock);
    for (size_t i = 0; i < L.ntimers; i++) {
        if (L.timers[i].id == id && !L.timers[i].deleted) {
            L.timers[i].interval = interval_ms;
            L.timers[i].due = util_now_ms() + (interval_ms > 0 ? interval_ms : 0);
        }
    }
    pthread_mutex_unlock(&L.lock);
    changed();
}

int
loop_timer_remove(int id)
{
    int ret = -1;

    pthread_mutex_lock(&L.lock);
    for (size_t i = 0; i < L.ntimers; i++) {
        if (L.timers[i].id == id && !L.timers[i].deleted) {
            L.timers[i].deleted = true;
            L.dirty_lists = true;
            ret = 0;
        }
    }
    pthread_mutex_unlock(&L.lock);
    changed();
    return ret;
}

void
loop_defer(loop_fn fn, void *opaque)
{
    struct ldefer *d = xmalloc(sizeof(*d));

    d->fn = fn;
    d->opaque = opaque;
    d->next = NULL;
    pthread_mutex_lock(&L.lock);
    if (L.defer_tail)
        L.defer_tail->next = d;
    else
        L.defer_head = d;
    L.defer_tail = d;
    pthread_mutex_unlock(&L.lock);
    loop_wake();
}

static void
on_signal(int sig)
{
    unsigned char c = (unsigned char)sig;
    int saved = errno;

    if (write(L.sigpipe[1], &c, 1) < 0) {
        /* nothing to do in a handler */
    }
    errno = saved;
}

void
loop_signal(int sig, loop_fn cb, void *opaque)
{
    struct sigaction sa = { 0 };

    L.sigcb[sig] = cb;
    L.sigopaque[sig] = opaque;
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(sig, &sa, NULL);
}

void
loop_set_prepare(loop_fn fn, void *opaque)
{
    L.prepare = fn;
    L.prepare_opaque = opaque;
}

void
loop_quit(void)
{
    L.quit = true;
    loop_wake();
}

bool
loop_quitting(void)
{
    return L.quit;
}

unsigned long
loop_wakeups(void)
{
    return L.wakeups;
}

static void
run_deferred(void)
{
    struct ldefer *d;

    pthread_mutex_lock(&L.lock);
    d = L.defer_head;
    L.defer_head = L.defer_tail = NULL;
    pthread_mutex_unlock(&L.lock);
    while (d) {
        struct ldefer *next = d->next;

        d->fn(d->opaque);
        free(d);
        d = next;
    }
}

/* Drop deleted entries and run their free functions outside the lock. */
static void
purge(void)
{
    struct { loop_fn ff; void *opaque; } *gone = NULL;
    size_t ngone = 0, j;

    pthread_mutex_lock(&L.lock);
    if (!L.dirty_lists) {
        pthread_mutex_unlock(&L.lock);
        return;
    }
    for (size_t i = j = 0; i < L.nfds; i++) {
        if (L.fds[i].deleted) {
            gone = xreallocarray(gone, ngone + 1, sizeof(*gone));
            gone[ngone].ff = L.fds[i].ff;
            gone[ngone++].opaque = L.fds[i].opaque;
        } else {
            L.fds[j++] = L.fds[i];
        }
    }
    L.nfds = j;
    for (size_t i = j = 0; i < L.ntimers; i++) {
        if (L.timers[i].deleted) {
            gone = xreallocarray(gone, ngone + 1, sizeof(*gone));
            gone[ngone].ff = L.timers[i].ff;
            gone[ngone++].opaque = L.timers[i].opaque;
        } else {
            L.timers[j++] = L.timers[i];
        }
    }
    L.ntimers = j;
    L.dirty_lists = false;
    pthread_mutex_unlock(&L.lock);
    for (size_t i = 0; i < ngone; i++) {
        if (gone[i].ff)
            gone[i].ff(gone[i].opaque);
    }
    free(gone);
}

static void
dispatch_timers(void)
{
    int64_t now = util_now_ms();
    size_t n;
    int *ids;

    pthread_mutex_lock(&L.lock);
    ids = xmalloc((L.ntimers + 1) * sizeof(*ids));
    n = 0;
    for (size_t i = 0; i < L.ntimers; i++) {
        struct ltimer *t = &L.timers[i];

        if (!t->deleted && t->interval >= 0 && t->due <= now) {
            ids[n++] = t->id;
            t->due = now + t->interval;
        }
    }
    pthread_mutex_unlock(&L.lock);
    for (size_t k = 0; k < n; k++) {
        loop_timer_cb cb = NULL;
        void *opaque = NULL;

        pthread_mutex_lock(&L.lock);
        for (size_t i = 0; i < L.ntimers; i++) {
            if (L.timers[i].id == ids[k] && !L.timers[i].deleted) {
                cb = L.timers[i].cb;
                opaque = L.timers[i].opaque;
            }
        }
        pthread_mutex_unlock(&L.lock);
        if (cb)
            cb(ids[k], opaque);
    }
    free(ids);
}

static void
drain(int fd)
{
    char buf[256];

    while (read(fd, buf, sizeof(buf)) > 0)
        ;
}

static void
dispatch_signals(void)
{
    unsigned char sigs[64];
    ssize_t n;

    while ((n = read(L.sigpipe[0], sigs, sizeof(sigs))) > 0) {
        for (ssize_t i = 0; i < n; i++) {
            if (sigs[i] < ARRAY_CARDINALITY(L.sigcb) && L.sigcb[sigs[i]])
                L.sigcb[sigs[i]](L.sigopaque[sigs[i]]);
        }
    }
}

void
loop_iterate(int timeout_ms)
{
    struct pollfd *pfd;
    int *ids;
    size_t n = 0;
    int64_t now, first_due = -1;
    int timeout;

    run_deferred();
    purge();
    if (L.quit)
        return;
    if (L.prepare)
        L.prepare(L.prepare_opaque);

    pthread_mutex_lock(&L.lock);
    pfd = xmalloc((L.nfds + 2) * sizeof(*pfd));
    ids = xmalloc((L.nfds + 2) * sizeof(*ids));
    pfd[n] = (struct pollfd){ L.wake[0], POLLIN, 0 };
    ids[n++] = 0;
    pfd[n] = (struct pollfd){ L.sigpipe[0], POLLIN, 0 };
    ids[n++] = 0;
    for (size_t i = 0; i < L.nfds; i++) {
        if (L.fds[i].deleted || !L.fds[i].events)
            continue;
        pfd[n] = (struct pollfd){ L.fds[i].fd, (short)L.fds[i].events, 0 };
        ids[n++] = L.fds[i].id;
    }
    for (size_t i = 0; i < L.ntimers; i++) {
        if (L.timers[i].deleted || L.timers[i].interval < 0)
            continue;
        if (first_due < 0 || L.timers[i].due < first_due)
            first_due = L.timers[i].due;
    }
    if (L.defer_head)
        first_due = 0;
    pthread_mutex_unlock(&L.lock);

    now = util_now_ms();
    timeout = timeout_ms;
    if (first_due >= 0) {
        int64_t t = first_due > now ? first_due - now : 0;

        if (timeout < 0 || t < timeout)
            timeout = (int)t;
    }
    if (poll(pfd, n, timeout) < 0 && errno != EINTR) {
        free(pfd);
        free(ids);
        return;
    }
    L.wakeups++;
    if (pfd[0].revents)
        drain(L.wake[0]);
    if (pfd[1].revents)
        dispatch_signals();
    dispatch_timers();
    for (size_t k = 2; k < n; k++) {
        loop_fd_cb cb = NULL;
        void *opaque = NULL;
        int fd = -1;

        if (!pfd[k].revents)
            continue;
        pthread_mutex_lock(&L.lock);
        for (size_t i = 0; i < L.nfds; i++) {
            if (L.fds[i].id == ids[k] && !L.fds[i].deleted) {
                cb = L.fds[i].cb;
                opaque = L.fds[i].opaque;
                fd = L.fds[i].fd;
            }
        }
        pthread_mutex_unlock(&L.lock);
        if (cb)
            cb(ids[k], fd, pfd[k].revents, opaque);
    }
    free(pfd);
    free(ids);
    run_deferred();
    purge();
}

void
loop_run(void)
{
    while (!L.quit)
        loop_iterate(-1);
}
