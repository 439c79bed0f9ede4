/* log.c: a bounded history of messages (500), oldest dropped first. */
#include <autoconf.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "log.h"
#include "notify.h"

#define LOG_MAX 500

static struct log_entry ring[LOG_MAX];
static size_t first, count;

void
log_msg(enum log_level level, const char *fmt, ...)
{
    struct log_entry *e;
    va_list ap;
    char *text;

    va_start(ap, fmt);
    if (vasprintf(&text, fmt, ap) < 0)
        fatal("out of memory");
    va_end(ap);
    if (count == LOG_MAX) {
        free(ring[first].text);
        first = (first + 1) % LOG_MAX;
        count--;
    }
    e = &ring[(first + count++) % LOG_MAX];
    e->level = level;
    e->at = (int64_t)time(NULL);
    e->text = text;
    notify_emit(NOTIFY_MESSAGE, -1, NULL, 0);
}

const struct log_entry *
log_get(size_t i)
{
    return i < count ? &ring[(first + i) % LOG_MAX] : NULL;
}

size_t
log_count(void)
{
    return count;
}

const struct log_entry *
log_last(void)
{
    return count ? log_get(count - 1) : NULL;
}

void
log_free(void)
{
    for (size_t i = 0; i < count; i++)
        free(ring[(first + i) % LOG_MAX].text);
    first = count = 0;
}
