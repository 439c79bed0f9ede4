/* unittest.c: the unit tests' helpers (see unittest.h) for the files a
 * user edits (theme, config, keymap): warnings collected from a loader and
 * checked line by line, a file holding a test's text, and the config and
 * keymap around a test. */
#include <autoconf.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <cmocka.h>

#include "config.h"
#include "keymap.h"
#include "unittest.h"
#include "util.h"

void
collect(const char *msg, void *opaque)
{
    struct warnings *w = opaque;

    if (w->n < (int)ARRAY_CARDINALITY(w->msg))
        w->msg[w->n] = xstrdup(msg);
    w->n++;
}

void
warnings_free(struct warnings *w)
{
    for (int i = 0; i < w->n && i < (int)ARRAY_CARDINALITY(w->msg); i++)
        free(w->msg[i]);
    w->n = 0;
}

void
check_warning(const struct warnings *w, int i, const char *path, int line,
              const char *what)
{
    AUTOFREE char *prefix = xasprintf("%s:%d: ", path, line);

    if (i >= w->n)
        fail_msg("expected a warning about line %d (%s), got %d warnings",
                 line, what, w->n);
    if (!STRPREFIX(w->msg[i], prefix) || !strstr(w->msg[i], what))
        fail_msg("warning %d is \"%s\"; wanted \"%s...%s\"", i, w->msg[i],
                 prefix, what);
}

char *
temp_file(const char *text)
{
    const char *dir = getenv("TMPDIR");
    char *path = xasprintf("%s/virtmux-test-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    size_t len = strlen(text);

    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, len), (ssize_t)len);
    close(fd);
    return path;
}

int
unittest_keymap_setup(void **state)
{
    config_defaults();
    keymap_init();
    return 0;
}

int
unittest_keymap_teardown(void **state)
{
    keymap_free();
    config_free();
    return 0;
}
