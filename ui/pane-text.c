/* pane-text.c: a read-only text viewer over the main area, for dumpxml,
 * help and the message history. Scrolls with the cursor keys, '/' and 'n'
 * search forward (wrapping at the end; a search that finds nothing says
 * so and leaves the view where it was), q or Esc closes it. */
#include <autoconf.h>

#include <stdlib.h>

#include "colors.h"
#include "log.h"
#include "ui.h"

static struct {
    struct pane pane;
    bool open;
    char *title;
    char **lines;
    size_t n;
    int top;
    char search[128];
} T = { .pane.kind = &pane_kind_text };

static void
free_lines(void)
{
    for (size_t i = 0; i < T.n; i++)
        free(T.lines[i]);
    free(T.lines);
    T.lines = NULL;
    T.n = 0;
}

void
pane_text_set(const char *title, const char *text)
{
    const char *p = text;

    free_lines();
    free(T.title);
    T.title = xstrdup(title);
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);

        T.lines = xreallocarray(T.lines, T.n + 1, sizeof(*T.lines));
        T.lines[T.n++] = xstrndup(p, len);
        p += len + (nl ? 1 : 0);
    }
    T.top = 0;
    T.open = true;
    T.pane.dirty = true;
}

bool
pane_text_open(void)
{
    return T.open;
}

void
pane_text_close(void)
{
    T.open = false;
    free_lines();
}

static void
text_paint(struct pane *p)
{
    int H, W, body;
    char hdr[256];
    AUTOFREE char *h = NULL;

    getmaxyx(p->win, H, W);
    werase(p->win);
    body = H - 1;
    if (T.top > (int)T.n - body)
        T.top = (int)T.n - body;
    if (T.top < 0)
        T.top = 0;
    snprintf(hdr, sizeof(hdr), " %s   lines %d-%d of %zu   q:close  /:search  j/k PgUp/PgDn",
             T.title ? T.title : "", T.n ? T.top + 1 : 0,
             T.top + body < (int)T.n ? T.top + body : (int)T.n, T.n);
    h = util_fit(hdr, W, false);
    wattrset(p->win, colors_attr(ROLE_TITLE) | A_REVERSE);
    mvwaddstr(p->win, 0, 0, h);
    for (int y = 0; y < body && T.top + y < (int)T.n; y++) {
        AUTOFREE char *line = NULL;
        const char *src = T.lines[T.top + y];
        char *expanded = xmalloc(strlen(src) * 8 + 1), *o = expanded;
        int col = 0;

        /* tabs to spaces; other control characters util_fit shows as ^X */
        for (const char *c = src; *c; c++) {
            if (*c == '\t') {
                do {
                    *o++ = ' ';
                } while (++col % 8);
            } else {
                *o++ = *c;
                col++;
            }
        }
        *o = '\0';
        line = util_fit(expanded, W, false);
        free(expanded);
        wattrset(p->win, T.search[0] && strstr(src, T.search) ?
                 colors_attr(ROLE_KEY) : colors_attr(ROLE_NORMAL));
        mvwaddstr(p->win, y + 1, 0, line);
    }
    wattrset(p->win, colors_attr(ROLE_NORMAL));
}

/* The first line from the top (after it when next) holding the search,
 * wrapping past the end; the view stays when no line has it. */
static void
search_from(bool next)
{
    size_t start = (size_t)T.top + (next ? 1 : 0);

    if (!T.search[0])
        return;
    for (size_t k = 0; k < T.n; k++) {
        size_t i = (start + k) % T.n;

        if (strstr(T.lines[i], T.search)) {
            if (start + k >= T.n)
                log_msg(LOG_INFO, "The search went past the end and on from the top");
            T.top = (int)i;
            T.pane.dirty = true;
            return;
        }
    }
    log_msg(LOG_WARN, "'%s' is not in this text", T.search);
}

void
pane_text_search(const char *text)
{
    snprintf(T.search, sizeof(T.search), "%s", text);
    search_from(false);
    T.pane.dirty = true;
}

static bool
text_key(struct pane *p, const char *key)
{
    int page = p->h > 2 ? p->h - 2 : 1;

    if (STREQ(key, "q") || STREQ(key, "Esc")) {
        pane_text_close();
        ui_text_show(NULL, NULL);
        return true;
    }
    if (STREQ(key, "Down") || STREQ(key, "j") || STREQ(key, "Enter"))
        T.top++;
    else if (STREQ(key, "Up") || STREQ(key, "k"))
        T.top--;
    else if (STREQ(key, "PageDown") || STREQ(key, "Space") || STREQ(key, "C-f"))
        T.top += page;
    else if (STREQ(key, "PageUp") || STREQ(key, "C-b"))
        T.top -= page;
    else if (STREQ(key, "Home") || STREQ(key, "g"))
        T.top = 0;
    else if (STREQ(key, "End") || STREQ(key, "G"))
        T.top = (int)T.n;
    else if (STREQ(key, "/"))
        prompt_open("search", "");
    else if (STREQ(key, "n"))
        search_from(true);
    else if (STREQ(key, ":"))
        return false;
    else
        return true;     /* the viewer is modal: other keys do nothing */
    if (T.top < 0)
        T.top = 0;
    p->dirty = true;
    return true;
}

static struct pane *
text_get(void)
{
    return &T.pane;
}

static void
text_free(void)
{
    free_lines();
    free(T.title);
    T.title = NULL;
}

const struct pane_kind pane_kind_text = {
    .name = "text",
    .view = VIEW_ANY,
    .place = PLACE_OVER,
    .get = text_get,
    .paint = text_paint,
    .key = text_key,
    .shown = pane_text_open,
    .free = text_free,
};
