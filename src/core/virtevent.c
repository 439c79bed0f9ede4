/* virtevent.c: libvirt's event implementation (virEventRegisterImpl) on the
 * loop. libvirt calls these from any thread; the loop is thread-safe and
 * wakes itself. Free callbacks run from the loop's purge, after dispatch,
 * never from inside a remove call. */
#include <autoconf.h>

#include <poll.h>
#include <stdlib.h>
#include <libvirt/libvirt.h>

#include "loop.h"
#include "virtevent.h"

struct vh {
    virEventHandleCallback hcb;
    virEventTimeoutCallback tcb;
    void *opaque;
    virFreeCallback ff;
};

static int
to_poll(int events)
{
    int p = 0;

    if (events & VIR_EVENT_HANDLE_READABLE)
        p |= POLLIN;
    if (events & VIR_EVENT_HANDLE_WRITABLE)
        p |= POLLOUT;
    return p;
}

static int
from_poll(int revents)
{
    int e = 0;

    if (revents & POLLIN)
        e |= VIR_EVENT_HANDLE_READABLE;
    if (revents & POLLOUT)
        e |= VIR_EVENT_HANDLE_WRITABLE;
    if (revents & (POLLERR | POLLNVAL))
        e |= VIR_EVENT_HANDLE_ERROR;
    if (revents & POLLHUP)
        e |= VIR_EVENT_HANDLE_HANGUP;
    return e;
}

static void
vh_free(void *opaque)
{
    struct vh *h = opaque;

    if (h->ff)
        h->ff(h->opaque);
    free(h);
}

static void
on_fd(int id, int fd, int revents, void *opaque)
{
    struct vh *h = opaque;

    h->hcb(id, fd, from_poll(revents), h->opaque);
}

static void
on_timer(int id, void *opaque)
{
    struct vh *h = opaque;

    h->tcb(id, h->opaque);
}

static int
add_handle(int fd, int events, virEventHandleCallback cb, void *opaque,
           virFreeCallback ff)
{
    struct vh *h = xcalloc(1, sizeof(*h));

    h->hcb = cb;
    h->opaque = opaque;
    h->ff = ff;
    return loop_fd_add(fd, to_poll(events), on_fd, h, vh_free);
}

static void
update_handle(int watch, int events)
{
    loop_fd_update(watch, to_poll(events));
}

static int
remove_handle(int watch)
{
    return loop_fd_remove(watch);
}

static int
add_timeout(int ms, virEventTimeoutCallback cb, void *opaque,
            virFreeCallback ff)
{
    struct vh *h = xcalloc(1, sizeof(*h));

    h->tcb = cb;
    h->opaque = opaque;
    h->ff = ff;
    return loop_timer_add(ms, on_timer, h, vh_free);
}

static void
update_timeout(int timer, int ms)
{
    loop_timer_update(timer, ms);
}

static int
remove_timeout(int timer)
{
    return loop_timer_remove(timer);
}

void
virtevent_register(void)
{
    virEventRegisterImpl(add_handle, update_handle, remove_handle,
                         add_timeout, update_timeout, remove_timeout);
}
