/* modeltest.h: what the model tests share (libtest.a, modeltest.c): the
 * fake UI and the loop's waits of modelui.h, the fixtures' test:/// URIs,
 * set-up and tear-down, settling a host, and ':' lines dispatched with
 * action_run_line as the UI does. Include after <cmocka.h>; failures are
 * cmocka's. */
#ifndef VIRTMUX_MODELTEST_H
#define VIRTMUX_MODELTEST_H

#include <libgen.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libvirt/libvirt.h>

#include "action.h"
#include "host.h"
#include "log.h"
#include "loop.h"
#include "model.h"
#include "notify.h"
#include "virtevent.h"

#include "modelui.h"

#define WAIT_MS 10000

/* The loop with libvirt's events on it and the fake UI answering yes:
 * every model test's set-up begins so; 0 or -1. */
int modeltest_init(void);
/* Add and start the host test:///ABS/tests/data/fixture: *host and *uri
 * (the caller frees); false when it is neither up nor lost within WAIT_MS. */
bool modeltest_host_start(const char *fixture, int *host, char **uri);
/* Settle every host that is up (the first step of a tear-down). */
void modeltest_settle_all(void);
/* Free the model, the log and the fake UI's records (after host_shutdown_all). */
void modeltest_free(void);

/* "test:///ABS/tests/data/NAME" (caller frees). */
char *fixture_uri(const char *name);
/* Run the loop until host has no request left, and what its last call queued is served too. */
void settle(int host);
/* Dispatch line on host; it must not be refused. */
void run_ok(const char *line, int host);
/* The command is refused before it reaches the host, saying why. */
void run_refused(const char *line, int host, const char *why);
/* Settle, dispatch line on host, wait for a message with said. */
void run_until_said(int host, const char *line, const char *said);
/* Wait until the domain called name is in state (failing with what it is). */
void wait_dom_state(int host, const char *name, int state);
/* before + the name quoted as the ':' line reads it + after (caller frees). */
char *quoted_line(const char *before, const char *name, const char *after);

/* where logged() starts looking */
extern size_t log_mark;
/* A message containing the text arg was logged since log_mark. */
bool logged(void *arg);
/* Wait for logged(text), failing with the last message. */
void wait_logged(const char *text);
/* The fake UI showed a text since it had shown *(int *)arg. */
bool text_shown(void *arg);

#endif
