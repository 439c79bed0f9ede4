/* log.h: the message history the status line and the messages view show.
 * Loop thread only; each message emits NOTIFY_MESSAGE. */
#ifndef VIRTMUX_LOG_H
#define VIRTMUX_LOG_H

#include "util.h"

/* LOG_EVENT: something that happened on a host on its own (a domain's
 * state changed by another tool or the guest, a lost connection): the
 * history and the events view, not the status line. */
enum log_level { LOG_INFO, LOG_WARN, LOG_ERROR, LOG_EVENT };

struct log_entry {
    enum log_level level;
    int64_t at;              /* wall clock, seconds */
    char *text;
};

void log_msg(enum log_level level, const char *fmt, ...) ATTR_PRINTF(2, 3);
/* Entry i, 0 the oldest; NULL past the end. */
const struct log_entry *log_get(size_t i);
size_t log_count(void);
const struct log_entry *log_last(void);
void log_free(void);

#endif
