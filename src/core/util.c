/* util.c: allocation, time, locale and display-width helpers.
 *
 * The width helpers are the one place that decides how a name from libvirt
 * or a guest is shown: control characters become visible (^I), bytes that
 * are not UTF-8 become '?', and everything is cut to the cell width so
 * columns stay aligned whatever the name holds. */
#include <autoconf.h>

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "util.h"

void (*fatal_hook)(void);
static bool utf8_locale;

void
util_autofree(void *p)
{
    free(*(void **)p);
}

void
fatal(const char *fmt, ...)
{
    va_list ap;

    if (fatal_hook)
        fatal_hook();
    fputs("virtmux: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(70);
}

void *
xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);

    if (!p)
        fatal("out of memory");
    return p;
}

void *
xcalloc(size_t n, size_t m)
{
    void *p = calloc(n ? n : 1, m ? m : 1);

    if (!p)
        fatal("out of memory");
    return p;
}

void *
xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        fatal("out of memory");
    return p;
}

void *
xreallocarray(void *p, size_t n, size_t m)
{
    if (m && n > SIZE_MAX / m)
        fatal("out of memory");
    return xrealloc(p, n * m);
}

char *
xstrdup(const char *s)
{
    char *r;

    if (!s)
        return NULL;
    if (!(r = strdup(s)))
        fatal("out of memory");
    return r;
}

char *
xstrndup(const char *s, size_t n)
{
    char *r = strndup(s, n);

    if (!r)
        fatal("out of memory");
    return r;
}

char *
xasprintf(const char *fmt, ...)
{
    va_list ap;
    char *r;

    va_start(ap, fmt);
    if (vasprintf(&r, fmt, ap) < 0)
        fatal("out of memory");
    va_end(ap);
    return r;
}

int64_t
util_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
util_locale_init(void)
{
    const char *cs;

    setlocale(LC_ALL, "");
    cs = nl_langinfo(CODESET);
    utf8_locale = cs && (STREQ(cs, "UTF-8") || STREQ(cs, "utf8"));
}

bool
util_utf8(void)
{
    return utf8_locale;
}

/* Decode one character at s: its display form in out (NUL-terminated),
 * its width, and the number of bytes consumed. */
static size_t
next_glyph(const char *s, char *out, int *width)
{
    mbstate_t st;
    wchar_t wc;
    size_t n;
    unsigned char c = (unsigned char)*s;
    int w;

    if (c < 0x20 || c == 0x7f) {
        out[0] = '^';
        out[1] = c == 0x7f ? '?' : (char)(c + '@');
        out[2] = '\0';
        *width = 2;
        return 1;
    }
    if (c < 0x80) {
        out[0] = (char)c;
        out[1] = '\0';
        *width = 1;
        return 1;
    }
    memset(&st, 0, sizeof(st));
    n = utf8_locale ? mbrtowc(&wc, s, MB_CUR_MAX, &st) : (size_t)-1;
    if (n == (size_t)-1 || n == (size_t)-2 || n == 0 ||
        (w = wcwidth(wc)) < 0) {
        out[0] = '?';
        out[1] = '\0';
        *width = 1;
        if (n == (size_t)-1 || n == (size_t)-2 || n == 0)
            return 1;
        return n;
    }
    memcpy(out, s, n);
    out[n] = '\0';
    *width = w;
    return n;
}

int
util_width(const char *s)
{
    char g[8];
    int w, total = 0;

    while (*s) {
        s += next_glyph(s, g, &w);
        total += w;
    }
    return total;
}

char **
util_wrap(const char *s, int width)
{
    char **v = xcalloc(1, sizeof(char *));
    size_t n = 0;

    if (width < 1)
        width = 1;
    while (*s) {
        const char *p = s, *space = NULL, *slash = NULL;
        int used = 0, w;
        char g[8];
        size_t len;

        /* as many glyphs as fit, then back to the last space in them (or
         * after the last '/' of a path too long for the line) */
        while (*p && *p != '\n') {
            size_t k = next_glyph(p, g, &w);

            if (used + w > width && p > s)
                break;
            used += w;
            p += k;
            if (p[-1] == ' ')
                space = p;
            else if (p[-1] == '/')
                slash = p;
        }
        if (*p && *p != '\n' && *p != ' ')
            p = space ? space : slash ? slash : p;
        len = (size_t)(p - s);
        while (len && s[len - 1] == ' ')
            len--;
        v = xreallocarray(v, n + 2, sizeof(char *));
        v[n++] = xstrndup(s, len);
        v[n] = NULL;
        s = p;
        while (*s == ' ')
            s++;
        if (*s == '\n')
            s++;
    }
    return v;
}

char *
util_fit(const char *s, int width, bool right_align)
{
    const char *ell = utf8_locale ? "\xe2\x80\xa6" : "~";
    /* each input byte yields at most 2 (^X), plus padding and the ellipsis;
     * zero-width characters add bytes without adding cells */
    size_t cap = 2 * strlen(s) + (size_t)(width > 0 ? width : 0) + 8;
    char *out = xmalloc(cap + 1);
    size_t len = 0;
    int used = 0, total, w, pad;
    char g[8];

    if (width <= 0) {
        out[0] = '\0';
        return out;
    }
    total = util_width(s);
    pad = total < width ? width - total : 0;
    if (right_align && pad) {
        memset(out, ' ', (size_t)pad);
        len = (size_t)pad;
        used = pad;
    }
    while (*s) {
        size_t n = next_glyph(s, g, &w);

        if (total > width && used + w > width - 1)
            break;
        if (used + w > width)
            break;
        memcpy(out + len, g, strlen(g));
        len += strlen(g);
        used += w;
        s += n;
    }
    if (total > width) {
        memcpy(out + len, ell, strlen(ell));
        len += strlen(ell);
        used++;
    }
    while (used < width) {
        out[len++] = ' ';
        used++;
    }
    out[len] = '\0';
    return out;
}

void
util_size_kib(unsigned long long kib, char *buf, size_t len)
{
    static const char *units[] = { "KiB", "MiB", "GiB", "TiB", "PiB" };
    double v = (double)kib;
    size_t u = 0;

    while (v >= 1024 && u + 1 < ARRAY_CARDINALITY(units)) {
        v /= 1024;
        u++;
    }
    if (v == (double)(unsigned long long)v)
        snprintf(buf, len, "%llu %s", (unsigned long long)v, units[u]);
    else
        snprintf(buf, len, "%.1f %s", v, units[u]);
}

char **
util_split_words(const char *s, int *n, bool *trailing_space)
{
    char **v = NULL;
    int count = 0;
    char *word = xmalloc(strlen(s) + 1);
    size_t wl = 0;
    bool in_word = false, space_end = true;
    char quote = 0;

    for (; *s; s++) {
        char c = *s;

        if (quote) {
            if (c == quote)
                quote = 0;
            else if (c == '\\' && quote == '"' && (s[1] == '"' || s[1] == '\\'))
                word[wl++] = *++s;
            else
                word[wl++] = c;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\n') {
            if (in_word) {
                v = xreallocarray(v, (size_t)count + 2, sizeof(*v));
                v[count++] = xstrndup(word, wl);
                wl = 0;
                in_word = false;
            }
            space_end = true;
            continue;
        }
        space_end = false;
        in_word = true;
        if (c == '\'' || c == '"')
            quote = c;
        else if (c == '\\' && s[1])
            word[wl++] = *++s;
        else
            word[wl++] = c;
    }
    if (quote) {
        free(word);
        for (int i = 0; i < count; i++)
            free(v[i]);
        free(v);
        return NULL;
    }
    if (in_word) {
        v = xreallocarray(v, (size_t)count + 2, sizeof(*v));
        v[count++] = xstrndup(word, wl);
    }
    free(word);
    v = xreallocarray(v, (size_t)count + 1, sizeof(*v));
    v[count] = NULL;
    if (n)
        *n = count;
    if (trailing_space)
        *trailing_space = space_end;
    return v;
}

void
util_strv_free(char **v)
{
    if (!v)
        return;
    for (char **p = v; *p; p++)
        free(*p);
    free(v);
}

char *
util_shell_quote(const char *s)
{
    size_t len = 0;
    bool plain = *s != '\0';
    char *r, *p;

    for (const char *c = s; *c; c++) {
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
              (*c >= '0' && *c <= '9') || strchr("-_./:=@,+", *c)))
            plain = false;
        len += *c == '\'' ? 4 : 1;
    }
    if (plain)
        return xstrdup(s);
    r = p = xmalloc(len + 3);
    *p++ = '\'';
    for (; *s; s++) {
        if (*s == '\'') {
            memcpy(p, "'\\''", 4);
            p += 4;
        } else {
            *p++ = *s;
        }
    }
    *p++ = '\'';
    *p = '\0';
    return r;
}

int
util_copy_file(const char *src, const char *dst)
{
    char buf[65536];
    struct stat st;
    int in = open(src, O_RDONLY | O_CLOEXEC), out = -1, rc = -1;
    ssize_t n = 0;

    if (in < 0 || fstat(in, &st) < 0)
        goto out;
    if ((out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, st.st_mode & 0777)) < 0)
        goto out;
    while ((n = read(in, buf, sizeof(buf))) > 0) {
        for (ssize_t off = 0; off < n;) {
            ssize_t w = write(out, buf + off, (size_t)(n - off));

            if (w < 0 && errno != EINTR)
                goto out;
            off += w > 0 ? w : 0;
        }
    }
    if (n < 0)
        goto out;
    /* the daemon that reads it runs as the source's owner */
    if (fchown(out, st.st_uid, st.st_gid) < 0 && errno != EPERM)
        goto out;
    rc = fsync(out);
 out:
    if (in >= 0)
        close(in);
    if (out >= 0) {
        int saved = errno;

        close(out);
        if (rc < 0)
            unlink(dst);
        errno = saved;
    }
    return rc;
}
