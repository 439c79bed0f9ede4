/* util.h: small helpers shared by src/ and ui/: allocation that never
 * returns NULL, string comparison macros, cleanup attributes, and the
 * display-width helpers every pane uses to fit hostile names. */
#ifndef VIRTMUX_UTIL_H
#define VIRTMUX_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define STREQ(a, b) (strcmp((a), (b)) == 0)
#define STRNEQ(a, b) (strcmp((a), (b)) != 0)
#define STRPREFIX(a, b) (strncmp((a), (b), strlen(b)) == 0)
#define ARRAY_CARDINALITY(a) (sizeof(a) / sizeof((a)[0]))
#define ATTR_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define ATTR_NONNULL(...) __attribute__((nonnull(__VA_ARGS__)))
#define ATTR_NORETURN __attribute__((noreturn))

void util_autofree(void *p);
#define AUTOFREE __attribute__((cleanup(util_autofree)))

/* Print a message after leaving curses and exit: programming errors, OOM. */
void fatal(const char *fmt, ...) ATTR_PRINTF(1, 2) ATTR_NORETURN;
/* Hook run by fatal() before printing (the UI sets it to endwin). */
extern void (*fatal_hook)(void);

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t m);
void *xrealloc(void *p, size_t n);
void *xreallocarray(void *p, size_t n, size_t m);
char *xstrdup(const char *s);          /* NULL stays NULL */
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) ATTR_PRINTF(1, 2);

/* Monotonic clock in milliseconds. */
int64_t util_now_ms(void);

/* true when the locale encodes UTF-8 (otherwise glyphs fall back to ASCII) */
bool util_utf8(void);
void util_locale_init(void);

/* Display width of a UTF-8 string in terminal cells, control characters
 * counted as their caret form (^I). */
int util_width(const char *s);
/* Fit s into exactly width cells: control characters as ^X, invalid bytes
 * as '?', truncated with '~' (or an ellipsis in UTF-8), padded with spaces
 * on the right (or left when right_align). Returns a new string. */
char *util_fit(const char *s, int width, bool right_align);
/* s in lines of at most width cells, broken after spaces (or the '/' of a
 * path too long for a line), and at newlines (NULL-terminated; caller
 * frees with util_strv_free). */
char **util_wrap(const char *s, int width);

/* Human sizes: 1536 KiB -> "1.5 MiB". */
void util_size_kib(unsigned long long kib, char *buf, size_t len);

/* Split s at whitespace honouring '...', "..." and backslash escapes, as a
 * shell would but without any expansion. Returns a NULL-terminated vector
 * the caller frees with util_strv_free, and *n; NULL on unbalanced quotes.
 * *trailing_space tells whether s ends in unquoted white space. */
char **util_split_words(const char *s, int *n, bool *trailing_space);
void util_strv_free(char **v);
/* Quote a word for display in a shell-like command line ('it'\''s'). */
char *util_shell_quote(const char *s);

/* Copy the file src to dst, which must not exist (mode and owner as src,
 * where allowed); 0, or -1 with errno (dst removed). */
int util_copy_file(const char *src, const char *dst);

#endif
