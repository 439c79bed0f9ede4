/* notify.h: typed change events from the model to whoever listens (panes).
 * Subscribing and unsubscribing are safe during dispatch. Loop thread only. */
#ifndef VIRTMUX_NOTIFY_H
#define VIRTMUX_NOTIFY_H

#define NOTIFY_KINDS(X) \
    X(HOST, "host") \
    X(DOMAIN, "domain") \
    X(DOMAINS, "domains") \
    X(NETWORK, "network") \
    X(POOL, "pool") \
    X(SNAPSHOT, "snapshot") \
    X(MESSAGE, "message") \
    X(JOB, "job") \
    X(CONSOLE, "console") \
    X(VNC, "vnc")

enum notify_kind {
#define X(e, s) NOTIFY_##e,
    NOTIFY_KINDS(X)
#undef X
};

struct notify_ev {
    enum notify_kind kind;
    int host;                /* host id, or -1 */
    const char *key;         /* object key (UUID), or NULL for "all of host" */
                             /* (NOTIFY_CONSOLE: the session id as text) */
    int change;              /* MODEL_ADDED / MODEL_CHANGED / MODEL_REMOVED */
};

typedef void (*notify_cb)(const struct notify_ev *ev, void *opaque);

int notify_subscribe(notify_cb cb, void *opaque);
void notify_unsubscribe(int id);
void notify_emit(enum notify_kind kind, int host, const char *key, int change);

#endif
