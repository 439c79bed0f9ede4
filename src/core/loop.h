/* loop.h: the one poll() loop. fds, timers, deferred calls, a wake pipe
 * and signals. Registration functions are thread-safe (host workers and
 * libvirt call them from other threads); callbacks always run on the loop
 * thread with no lock held. */
#ifndef VIRTMUX_LOOP_H
#define VIRTMUX_LOOP_H

#include "util.h"

typedef void (*loop_fd_cb)(int id, int fd, int revents, void *opaque);
typedef void (*loop_timer_cb)(int id, void *opaque);
typedef void (*loop_fn)(void *opaque);

void loop_init(void);
/* events and revents are poll() flags. ff (may be NULL) frees opaque after removal. */
int loop_fd_add(int fd, int events, loop_fd_cb cb, void *opaque, loop_fn ff);
void loop_fd_update(int id, int events);
int loop_fd_remove(int id);
/* interval_ms < 0 disables, 0 fires on every iteration, > 0 repeats. */
int loop_timer_add(int interval_ms, loop_timer_cb cb, void *opaque, loop_fn ff);
void loop_timer_update(int id, int interval_ms);
int loop_timer_remove(int id);
/* Run fn(opaque) on the loop thread at the next iteration (thread-safe). */
void loop_defer(loop_fn fn, void *opaque);
void loop_wake(void);
/* Run cb on the loop thread when signal sig arrives. */
void loop_signal(int sig, loop_fn cb, void *opaque);
/* Called once per iteration just before poll(): the render pass. */
void loop_set_prepare(loop_fn fn, void *opaque);
/* Iterate until loop_quit(). */
void loop_run(void);
/* One iteration waiting at most timeout_ms (-1 forever); for tests. */
void loop_iterate(int timeout_ms);
void loop_quit(void);
bool loop_quitting(void);
/* Wake-ups counted since start (iterations that returned from poll). */
unsigned long loop_wakeups(void);

#endif
