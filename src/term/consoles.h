/* consoles.h: serial console sessions: a domain's console stream joined
 * to a console emulator. Streams are read and written on the loop thread
 * (non-blocking); opening and closing them runs on the host's worker.
 * A session outlives its stream: when the domain stops it says so, and
 * when the domain runs again it reattaches by itself. */
#ifndef VIRTMUX_CONSOLES_H
#define VIRTMUX_CONSOLES_H

#include <libvirt/libvirt.h>

#include "console.h"
#include "model.h"

#define CONSOLE_STATES(X) \
    X(OPENING, "attaching") \
    X(OPEN, "attached") \
    X(BUSY, "held by another client") \
    X(STOPPED, "domain not running") \
    X(CLOSED, "closed") \
    X(FAILED, "failed")

enum con_state {
#define X(e, s) CON_##e,
    CONSOLE_STATES(X)
#undef X
};

struct con_session {
    int id;
    int host;
    char uuid[UUID_LEN];
    char *name;              /* the domain's name when opened */
    char *dev;               /* device alias, NULL for the first console */
    enum con_state state;
    char *msg;               /* why it is not attached, in a sentence */
    struct console *con;
    virStreamPtr st;         /* loop thread */
    char *pending;           /* keys waiting for the stream to take them */
    size_t npending;
    bool want_force;
    bool reading;
    int dom_id;              /* the domain's ID when attached (a new QEMU: a new ID) */
};

const char *consoles_state_name(enum con_state s);
/* Open a console of a domain, on the host worker; returns the session id. */
int consoles_open(int host, const char *uuid, const char *name, const char *dev,
                  bool force, int rows, int cols);
/* The session already open on that domain's console device, or -1. */
int consoles_find(int host, const char *uuid, const char *dev);
struct con_session *consoles_get(int id);
/* Sessions in opening order (borrowed). */
struct con_session **consoles_list(size_t *n);
/* Take the console over from another client (FORCE), or reattach. */
void consoles_reattach(int id, bool force);
/* Key presses for the guest. */
void consoles_key(int id, const char *key);
void consoles_close(int id);
void consoles_free_all(void);

#endif
