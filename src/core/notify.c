/* notify.c: the change-event bus. Subscribers are kept in an array; an
 * unsubscribe during dispatch only clears the slot, and slots are compacted
 * when no dispatch is running, so a callback may drop itself or another. */
#include <autoconf.h>

#include <stdlib.h>

#include "notify.h"
#include "util.h"

struct sub {
    int id;
    notify_cb cb;
    void *opaque;
};

static struct sub *subs;
static size_t nsubs;
static int next_id = 1;
static int depth;

int
notify_subscribe(notify_cb cb, void *opaque)
{
    subs = xreallocarray(subs, nsubs + 1, sizeof(*subs));
    subs[nsubs++] = (struct sub){ next_id, cb, opaque };
    return next_id++;
}

static void
compact(void)
{
    size_t j = 0;

    for (size_t i = 0; i < nsubs; i++) {
        if (subs[i].cb)
            subs[j++] = subs[i];
    }
    nsubs = j;
    if (!nsubs) {
        free(subs);
        subs = NULL;
    }
}

void
notify_unsubscribe(int id)
{
    for (size_t i = 0; i < nsubs; i++) {
        if (subs[i].id == id)
            subs[i].cb = NULL;
    }
    if (!depth)
        compact();
}

void
notify_emit(enum notify_kind kind, int host, const char *key, int change)
{
    struct notify_ev ev = { kind, host, key, change };
    size_t n = nsubs;   /* those added during dispatch wait for the next event */

    depth++;
    for (size_t i = 0; i < n; i++) {
        if (subs[i].cb)
            subs[i].cb(&ev, subs[i].opaque);
    }
    if (--depth == 0)
        compact();
}
