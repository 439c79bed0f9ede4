/* prompt.c: the bottom line when it asks something. Modes: the ':' command
 * line (history, Tab completion from the action table), the '/' filter
 * (applied as you type), the viewer's search, and confirmations: y/n, or
 * a name to type for the worst actions. */
#include <autoconf.h>

#include <stdlib.h>

#include "action.h"
#include "colors.h"
#include "log.h"
#include "ui.h"

#define HIST_MAX 100

static struct {
    bool active;
    char mode[16];
    char buf[1024];
    size_t len;
    char *question;
    char *typed;             /* what must be typed, NULL for y/n */
    void (*cb)(bool ok, void *opaque);
    void (*secret_cb)(const char *text, void *opaque);
    void *opaque;
    char *hist[HIST_MAX];
    int nhist, hpos;
    char *cands;             /* completion candidates shown above */
} Q;

bool
prompt_active(void)
{
    return Q.active;
}

static void
set_text(const char *t)
{
    snprintf(Q.buf, sizeof(Q.buf), "%s", t ? t : "");
    Q.len = strlen(Q.buf);
}

void
prompt_open(const char *mode, const char *initial)
{
    Q.active = true;
    snprintf(Q.mode, sizeof(Q.mode), "%s", mode);
    set_text(initial);
    Q.hpos = Q.nhist;
    free(Q.cands);
    Q.cands = NULL;
    ui_dirty(NULL);
}

void
prompt_confirm(const char *question, const char *typed,
               void (*cb)(bool ok, void *opaque), void *opaque)
{
    prompt_open(typed ? "typed" : "confirm", "");
    free(Q.question);
    free(Q.typed);
    Q.question = xstrdup(question);
    Q.typed = xstrdup(typed);
    Q.cb = cb;
    Q.opaque = opaque;
}

void
prompt_secret(const char *question, void (*cb)(const char *text, void *opaque),
              void *opaque)
{
    prompt_open("secret", "");
    free(Q.question);
    Q.question = xstrdup(question);
    Q.secret_cb = cb;
    Q.opaque = opaque;
}

static void
wipe(void)
{
    memset(Q.buf, 0, sizeof(Q.buf));
    Q.len = 0;
}

static void
secret_answer(bool ok)
{
    void (*cb)(const char *, void *) = Q.secret_cb;

    Q.secret_cb = NULL;
    Q.active = false;
    free(Q.question);
    Q.question = NULL;
    if (cb)
        cb(ok ? Q.buf : NULL, Q.opaque);
    wipe();
    ui_dirty(NULL);
}

static void
close_prompt(void)
{
    Q.active = false;
    free(Q.cands);
    Q.cands = NULL;
    ui_dirty(NULL);
}

static void
answer(bool ok)
{
    void (*cb)(bool, void *) = Q.cb;
    void *opaque = Q.opaque;

    Q.cb = NULL;
    close_prompt();
    free(Q.question);
    free(Q.typed);
    Q.question = Q.typed = NULL;
    if (cb)
        cb(ok, opaque);
}

static void
history_add(const char *line)
{
    if (!*line || (Q.nhist && STREQ(Q.hist[Q.nhist - 1], line)))
        return;
    if (Q.nhist == HIST_MAX) {
        free(Q.hist[0]);
        memmove(Q.hist, Q.hist + 1, (HIST_MAX - 1) * sizeof(*Q.hist));
        Q.nhist--;
    }
    Q.hist[Q.nhist++] = xstrdup(line);
}

static void
complete(void)
{
    struct act_ctx ctx;
    size_t start, common;
    char **c;
    int n = 0;

    /* the same context a command gets: the focused view's selection */
    ui_context(&ctx);
    c = action_complete(Q.buf, &ctx, &start);
    free(Q.cands);
    Q.cands = NULL;
    if (!c || !c[0]) {
        util_strv_free(c);
        return;
    }
    while (c[n])
        n++;
    common = strlen(c[0]);
    for (int i = 1; i < n; i++) {
        size_t k = 0;

        while (k < common && c[i][k] == c[0][k])
            k++;
        common = k;
    }
    Q.buf[start] = '\0';
    if (n == 1) {
        char tail[1024];

        snprintf(tail, sizeof(tail), "%s%s", c[0],
                 c[0][strlen(c[0]) - 1] == '/' ? "" : " ");
        strncat(Q.buf, tail, sizeof(Q.buf) - strlen(Q.buf) - 1);
    } else {
        strncat(Q.buf, c[0], common < sizeof(Q.buf) - start - 1 ? common :
                sizeof(Q.buf) - start - 1);
        Q.cands = xstrdup("");
        for (int i = 0; i < n; i++) {
            char *t = xasprintf("%s%s%s", Q.cands, i ? "  " : "", c[i]);

            free(Q.cands);
            Q.cands = t;
        }
    }
    Q.len = strlen(Q.buf);
    util_strv_free(c);
}

static void
delete_word(void)
{
    while (Q.len && Q.buf[Q.len - 1] == ' ')
        Q.len--;
    while (Q.len && Q.buf[Q.len - 1] != ' ')
        Q.len--;
    Q.buf[Q.len] = '\0';
}

static void
delete_char(void)
{
    /* drop a whole UTF-8 sequence */
    while (Q.len && ((unsigned char)Q.buf[Q.len - 1] & 0xc0) == 0x80)
        Q.len--;
    if (Q.len)
        Q.len--;
    Q.buf[Q.len] = '\0';
}

static void
edited(void)
{
    if (STREQ(Q.mode, "filter"))
        pane_domains_filter(Q.buf);
}

bool
prompt_key(const char *key)
{
    bool yn = STREQ(Q.mode, "confirm");

    if (yn) {
        answer(STREQ(key, "y") || STREQ(key, "Y"));
        return true;
    }
    if (STREQ(Q.mode, "secret") && (STREQ(key, "Enter") || STREQ(key, "Esc") ||
                                    STREQ(key, "C-c"))) {
        secret_answer(STREQ(key, "Enter"));
        return true;
    }
    if (STREQ(key, "Esc") || STREQ(key, "C-c") || STREQ(key, "C-g")) {
        if (STREQ(Q.mode, "typed")) {
            answer(false);
            return true;
        }
        if (STREQ(Q.mode, "filter"))
            pane_domains_filter("");
        close_prompt();
        return true;
    }
    if (STREQ(key, "Enter")) {
        AUTOFREE char *line = xstrdup(Q.buf);

        if (STREQ(Q.mode, "typed")) {
            bool ok = Q.typed && STREQ(line, Q.typed);

            answer(ok);
            if (!ok)
                log_msg(LOG_ERROR, "The name did not match; nothing was done");
            return true;
        }
        close_prompt();
        if (STREQ(Q.mode, "command")) {
            history_add(line);
            if (*line)
                ui_command(line);
        } else if (STREQ(Q.mode, "search")) {
            pane_text_search(line);
        } else if (STREQ(Q.mode, "console-search") && ui_focus()) {
            pane_console_search(ui_focus(), line);
        }
        return true;
    }
    if (STREQ(key, "Backspace")) {
        if (!Q.len && STREQ(Q.mode, "command")) {
            close_prompt();
            return true;
        }
        delete_char();
    } else if (STREQ(key, "C-u")) {
        wipe();
    } else if (STREQ(key, "C-w")) {
        delete_word();
    } else if (STREQ(key, "Tab") && STREQ(Q.mode, "command")) {
        complete();
    } else if ((STREQ(key, "Up") || STREQ(key, "C-p")) && STREQ(Q.mode, "command")) {
        if (Q.hpos > 0)
            set_text(Q.hist[--Q.hpos]);
    } else if ((STREQ(key, "Down") || STREQ(key, "C-n")) && STREQ(Q.mode, "command")) {
        if (Q.hpos < Q.nhist - 1)
            set_text(Q.hist[++Q.hpos]);
        else {
            Q.hpos = Q.nhist;
            set_text("");
        }
    } else if (STREQ(key, "Space")) {
        if (Q.len + 1 < sizeof(Q.buf)) {
            Q.buf[Q.len++] = ' ';
            Q.buf[Q.len] = '\0';
        }
    } else if ((unsigned char)key[0] >= 0x80 || (strlen(key) == 1 && key[0] >= ' ')) {
        size_t k = strlen(key);

        if (Q.len + k < sizeof(Q.buf)) {
            memcpy(Q.buf + Q.len, key, k + 1);
            Q.len += k;
        }
    }
    edited();
    return true;
}

/* A question cut to width keeps its last sentence whole (the "[y/N]" or
 * "Type the name to confirm:" a user must see): "undefine 'x'? It also
 * dele… Type the domain's name to confirm: ". */
static char *
fit_question(const char *q, int width)
{
    const char *tail = NULL;
    AUTOFREE char *head = NULL;
    AUTOFREE char *cut = NULL;

    if (util_width(q) <= width)
        return util_fit(q, width, false);
    for (const char *p = q; *p; p++) {
        if ((*p == '.' || *p == '?') && p[1] == ' ' && p[2])
            tail = p + 2;
    }
    if (!tail || util_width(tail) > width / 2)
        return util_fit(q, width, false);
    head = xstrndup(q, (size_t)(tail - q));
    cut = util_fit(head, width - util_width(tail), false);
    return xasprintf("%s%s", cut, tail);
}

void
prompt_paint(WINDOW *w)
{
    const char *lead = STREQ(Q.mode, "command") ? ":" :
                       STREQ(Q.mode, "filter") ? "/" :
                       STREQ(Q.mode, "search") ? "search: " :
                       STREQ(Q.mode, "console-search") ? "search back: " : "";
    AUTOFREE char *q = NULL;
    AUTOFREE char *shown = NULL;
    int W = getmaxx(w), qw;

    werase(w);
    if (Q.question) {
        q = xasprintf("%s ", Q.question);
        qw = util_width(q);
        if (qw > W - 16)
            qw = W - 16 > 0 ? W - 16 : W;
        shown = fit_question(q, qw);
        wattrset(w, colors_attr(ROLE_STATUS_WARN));
        mvwaddstr(w, 0, 0, shown);
        free(shown);
        shown = NULL;
    } else {
        qw = util_width(lead);
        wattrset(w, colors_attr(ROLE_PROMPT) | A_BOLD);
        mvwaddstr(w, 0, 0, lead);
    }
    wattrset(w, colors_attr(ROLE_PROMPT));
    /* control characters show as ^X; a long line shows its end */
    {
        const char *p = Q.buf;
        AUTOFREE char *vis = NULL;

        while (*p && util_width(p) > W - qw - 1)
            p++;
        while (((unsigned char)*p & 0xc0) == 0x80)
            p++;
        if (STREQ(Q.mode, "secret")) {
            vis = xmalloc(Q.len + 1);
            memset(vis, '*', Q.len);
            vis[Q.len] = '\0';
        } else {
            vis = util_fit(p, util_width(p), false);
        }
        mvwaddstr(w, 0, qw, vis);
    }
}

void
prompt_paint_detail(const char *text)
{
    /* a question's detail (the files it writes, what is lost) is wrapped
     * on up to 4 lines above the prompt, never cut mid-way */
    char **lines = util_wrap(text, COLS);
    int nl = 0, max = LINES > 8 ? 4 : 1;
    WINDOW *cw;

    while (lines[nl])
        nl++;
    if (nl > max)
        nl = max;
    if (nl < 1)
        nl = 1;
    cw = newwin(nl, COLS, LINES - 1 - nl, 0);
    wattrset(cw, colors_attr(ROLE_STATUS));
    werase(cw);
    for (int i = 0; i < nl && lines[i]; i++) {
        AUTOFREE char *t = NULL;

        if (i == nl - 1 && lines[i + 1]) {
            /* more than fits: the last line says so */
            AUTOFREE char *cut = util_fit(lines[i], COLS - 1, false);

            t = xasprintf("%s%s", cut, util_utf8() ? "\xe2\x80\xa6" : "~");
        } else {
            t = util_fit(lines[i], COLS, false);
        }
        mvwaddstr(cw, i, 0, t);
    }
    util_strv_free(lines);
    wnoutrefresh(cw);
    delwin(cw);
}

void
prompt_detail(const char *text)
{
    free(Q.cands);
    Q.cands = xstrdup(text);
}

const char *
prompt_candidates(void)
{
    return Q.active ? Q.cands : NULL;
}

void
prompt_free(void)
{
    for (int i = 0; i < Q.nhist; i++)
        free(Q.hist[i]);
    Q.nhist = 0;
    free(Q.question);
    free(Q.typed);
    free(Q.cands);
    Q.question = Q.typed = Q.cands = NULL;
}
