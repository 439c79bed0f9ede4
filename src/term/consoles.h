/* consoles.h: serial console sessions: a domain's console stream joined
 * to a console emulator. Streams are read and written on the loop thread
 * (non-blocking); opening and closing them runs on the host's worker.
 * A session outlives its stream: when the domain stops it says so, and
 * when the domain runs again it reattaches by itself (sessions.h). */
#ifndef VIRTMUX_CONSOLES_H
#define VIRTMUX_CONSOLES_H

#include "console.h"
#include "sessions.h"

/* Open a console of a domain, on the host worker; returns the session id. */
int consoles_open(int host, const char *uuid, const char *name, const char *dev,
                  bool force, int rows, int cols);
/* The emulated screen of a console session (borrowed), NULL if none. */
struct console *consoles_console(int id);
/* Take the console over from another client (FORCE), or reattach. */
void consoles_reattach(int id, bool force);
/* Key presses for the guest. */
void consoles_key(int id, const char *key);
void consoles_close(int id);
void consoles_free_all(void);

#endif
