/* sessions.h: one registry for console and preview sessions. A session is
 * a domain's serial console or VNC preview as the user opened it: which
 * domain (host + UUID, and the device for a console), its state with the
 * sentence that explains it, and the back end's own record (consoles.c,
 * vnc.c). The registry gives the ids, finds sessions, tells the panes
 * when one changed, and reattaches: a closed session whose domain stops
 * waits for it, a waiting one attaches again when the domain runs. Loop
 * thread only. */
#ifndef VIRTMUX_SESSIONS_H
#define VIRTMUX_SESSIONS_H

#include "model.h"
#include "notify.h"

/* state, a console's name for it, a preview's */
#define SESSION_STATES(X) \
    X(OPENING, "attaching", "connecting") \
    X(OPEN, "attached", "connected") \
    X(REFUSED, "held by another client", "needs a password") \
    X(STOPPED, "domain not running", "domain not running") \
    X(CLOSED, "closed", "closed") \
    X(FAILED, "failed", "failed")

enum session_state {
#define X(e, c, p) SESSION_##e,
    SESSION_STATES(X)
#undef X
};

enum session_kind { SESSION_CONSOLE, SESSION_PREVIEW };

struct session;

/* What a back end tells the registry about its kind of session. */
struct session_ops {
    enum session_kind kind;
    enum notify_kind notify;     /* emitted (key: the id) when one changed */
    const char *when_running;    /* ends the STOPPED sentence */
    /* The domain runs again under a STOPPED session: attach. */
    void (*reattach)(struct session *s);
    /* The domain changed under a CLOSED session, still running (or NULL). */
    void (*closed_running)(struct session *s);
};

struct session {
    int id;
    enum session_kind kind;
    int host;                /* -1: no domain behind it (a bare VNC server) */
    char uuid[UUID_LEN];
    char *name;              /* the domain's name when opened */
    char *dev;               /* a console's device alias; NULL: the first */
    enum session_state state;
    char *msg;               /* why it is not open, in a sentence */
    bool closing;            /* closed, its back end still ending: no lookup finds it */
    const struct session_ops *ops;
    void *impl;              /* the back end's record */
};

/* A new session in state CLOSED, with impl as the back end's record
 * (borrowed); the registry owns the session. */
struct session *sessions_add(const struct session_ops *ops, int host, const char *uuid,
                             const char *name, const char *dev, void *impl);
/* Forget a session and free it (not its impl). */
void sessions_remove(struct session *s);
/* The session with that id, of any kind, NULL if none (or closing). */
struct session *sessions_get(int id);
/* The session of that kind open on that domain's device, or NULL. */
struct session *sessions_find(enum session_kind kind, int host, const char *uuid,
                              const char *dev);
/* Every session, closing ones too, in opening order (borrowed). */
struct session **sessions_list(size_t *n);
/* How many sessions of that kind (closing ones too). */
size_t sessions_count(enum session_kind kind);
/* The state's name for the session's kind ("attached", "connected"). */
const char *sessions_state_name(const struct session *s);
/* Set the state and its sentence (NULL: none); tells the panes. */
void sessions_set_state(struct session *s, enum session_state st, const char *msg);
/* The domain is not running: STOPPED, with the sentence saying so. */
void sessions_stopped(struct session *s);
/* Tell the panes something changed (new output, a new frame). */
void sessions_changed(const struct session *s);
/* Whether the session's domain runs (true when there is no domain). */
bool sessions_domain_running(const struct session *s);

#endif
