/* lineedit.c: the line editor behind every text input (the ':' line, the
 * filter, the viewer's search, the typed-name and secret prompts, each
 * form field). Keys by name: Left/Right (C-b/C-f), Home/End (C-a/C-e),
 * Backspace/Delete (C-d), C-w a word back, C-u to the start, C-k to the
 * end, a character (or Space) inserted at the cursor; with a history,
 * Up/Down (C-p/C-n). The cursor moves by character, never inside a UTF-8
 * sequence; the view scrolls sideways so the cursor stays shown. */
#include <autoconf.h>

#include <stdlib.h>
#include <string.h>

#include "lineedit.h"
#include "util.h"

static bool
is_cont(char c)
{
    return ((unsigned char)c & 0xc0) == 0x80;
}

/* The character boundary after pos / before pos. */
static size_t
next_char(const struct lineedit *le, size_t pos)
{
    if (pos < le->len)
        pos++;
    while (pos < le->len && is_cont(le->buf[pos]))
        pos++;
    return pos;
}

static size_t
prev_char(const struct lineedit *le, size_t pos)
{
    if (pos > 0)
        pos--;
    while (pos > 0 && is_cont(le->buf[pos]))
        pos--;
    return pos;
}

/* Remove the bytes [from, to). */
static void
cut(struct lineedit *le, size_t from, size_t to)
{
    if (to <= from)
        return;
    memmove(le->buf + from, le->buf + to, le->len - to + 1);
    le->len -= to - from;
    memset(le->buf + le->len, 0, to - from);
    if (le->cur >= to)
        le->cur -= to - from;
    else if (le->cur > from)
        le->cur = from;
}

void
lineedit_set(struct lineedit *le, const char *text)
{
    lineedit_clear(le);
    lineedit_insert(le, text ? text : "");
}

const char *
lineedit_text(const struct lineedit *le)
{
    return le->buf;
}

void
lineedit_clear(struct lineedit *le)
{
    memset(le->buf, 0, sizeof(le->buf));
    le->len = le->cur = 0;
    le->scroll = 0;
}

bool
lineedit_insert(struct lineedit *le, const char *text)
{
    size_t k = strlen(text);

    if (le->len + k >= sizeof(le->buf))
        return false;
    memmove(le->buf + le->cur + k, le->buf + le->cur, le->len - le->cur + 1);
    memcpy(le->buf + le->cur, text, k);
    le->len += k;
    le->cur += k;
    return true;
}

static void
delete_word(struct lineedit *le)
{
    size_t p = le->cur;

    while (p > 0 && le->buf[p - 1] == ' ')
        p--;
    while (p > 0 && le->buf[p - 1] != ' ')
        p--;
    cut(le, p, le->cur);
}

static void
history_go(struct lineedit *le, int to)
{
    if (to < 0 || to > le->nhist || to == le->hpos)
        return;
    if (le->hpos == le->nhist) {
        free(le->draft);
        le->draft = xstrdup(le->buf);
    }
    le->hpos = to;
    lineedit_set(le, to == le->nhist ? (le->draft ? le->draft : "") : le->hist[to]);
}

void
lineedit_history_add(struct lineedit *le, const char *line)
{
    free(le->draft);
    le->draft = NULL;
    if (*line && !(le->nhist && STREQ(le->hist[le->nhist - 1], line))) {
        if (le->nhist == LINEEDIT_HIST) {
            free(le->hist[0]);
            memmove(le->hist, le->hist + 1, (LINEEDIT_HIST - 1) * sizeof(*le->hist));
            le->nhist--;
        }
        le->hist[le->nhist++] = xstrdup(line);
    }
    le->hpos = le->nhist;
}

bool
lineedit_key(struct lineedit *le, const char *key)
{
    if (STREQ(key, "Left") || STREQ(key, "C-b"))
        le->cur = prev_char(le, le->cur);
    else if (STREQ(key, "Right") || STREQ(key, "C-f"))
        le->cur = next_char(le, le->cur);
    else if (STREQ(key, "Home") || STREQ(key, "C-a"))
        le->cur = 0;
    else if (STREQ(key, "End") || STREQ(key, "C-e"))
        le->cur = le->len;
    else if (STREQ(key, "Backspace"))
        cut(le, prev_char(le, le->cur), le->cur);
    else if (STREQ(key, "Delete") || STREQ(key, "C-d"))
        cut(le, le->cur, next_char(le, le->cur));
    else if (STREQ(key, "C-w"))
        delete_word(le);
    else if (STREQ(key, "C-u"))
        cut(le, 0, le->cur);
    else if (STREQ(key, "C-k"))
        cut(le, le->cur, le->len);
    else if (le->history && (STREQ(key, "Up") || STREQ(key, "C-p")))
        history_go(le, le->hpos - 1);
    else if (le->history && (STREQ(key, "Down") || STREQ(key, "C-n")))
        history_go(le, le->hpos + 1);
    else if (STREQ(key, "Space"))
        lineedit_insert(le, " ");
    else if ((unsigned char)key[0] >= 0x80 || (strlen(key) == 1 && key[0] >= ' '))
        lineedit_insert(le, key);
    else
        return false;
    return true;
}

/* The cells one character takes as shown. */
static int
char_width(const struct lineedit *le, size_t pos, size_t end)
{
    char g[8];

    if (le->secret)
        return 1;
    if (end - pos >= sizeof(g))
        return 1;
    memcpy(g, le->buf + pos, end - pos);
    g[end - pos] = '\0';
    return util_width(g);
}

char *
lineedit_view(struct lineedit *le, int width, int *col)
{
    char *out, *o;
    int c = 0, total = 0, at;
    size_t p;

    *col = 0;
    if (width <= 0)
        return xstrdup("");
    for (p = 0; p < le->len; p = next_char(le, p)) {
        if (p == le->cur)
            c = total;
        total += char_width(le, p, next_char(le, p));
    }
    if (le->cur >= le->len)
        c = total;
    /* the cursor's cell shown, with some of what is before it when it
     * went past the left edge; no empty cells left while text is hidden */
    if (le->scroll > c)
        le->scroll = c > width / 3 ? c - width / 3 : 0;
    if (c - le->scroll >= width)
        le->scroll = c - width + 1;
    if (le->scroll > 0 && total + 1 - le->scroll < width)
        le->scroll = total + 1 - width > 0 ? total + 1 - width : 0;
    o = out = xmalloc(le->len + 1);
    at = 0;
    for (p = 0; p < le->len; p = next_char(le, p)) {
        size_t e = next_char(le, p);
        int w = char_width(le, p, e);

        /* a wide character cut by the left edge moves the edge past it */
        if (at < le->scroll && at + w > le->scroll)
            le->scroll = at + w;
        if (at >= le->scroll && at + w <= le->scroll + width) {
            if (le->secret) {
                *o++ = '*';
            } else {
                memcpy(o, le->buf + p, e - p);
                o += e - p;
            }
        }
        at += w;
    }
    *o = '\0';
    *col = c - le->scroll;
    o = util_fit(out, width, false);
    free(out);
    return o;
}

void
lineedit_free(struct lineedit *le)
{
    for (int i = 0; i < le->nhist; i++)
        free(le->hist[i]);
    le->nhist = le->hpos = 0;
    free(le->draft);
    le->draft = NULL;
    lineedit_clear(le);
}
