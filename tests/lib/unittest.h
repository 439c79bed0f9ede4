/* unittest.h: what the unit tests of the files a user edits share
 * (libtest.a, unittest.c): the warnings a parser reports, collected and
 * checked as "FILE:LINE: why", a temporary file holding a text, and the
 * config and keymap set up and freed around a test. Include after
 * <cmocka.h>; failures are cmocka's. */
#ifndef VIRTMUX_UNITTEST_H
#define VIRTMUX_UNITTEST_H

/* The warnings a loader reported (the first 32 kept). */
struct warnings {
    char *msg[32];
    int n;
};

/* A loader's warning callback: opaque is a struct warnings. */
void collect(const char *msg, void *opaque);
/* Free the warnings kept, and count none. */
void warnings_free(struct warnings *w);
/* Warning i must be about line of path ("path:line: ") and contain what. */
void check_warning(const struct warnings *w, int i, const char *path, int line,
                   const char *what);
/* A temporary file holding text (caller unlinks and frees). */
char *temp_file(const char *text);
/* cmocka set-up: the config's defaults and the default keymap. */
int unittest_keymap_setup(void **state);
/* cmocka tear-down: free the keymap and the config. */
int unittest_keymap_teardown(void **state);

#endif
