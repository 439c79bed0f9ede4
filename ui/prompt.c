/* prompt.c: the bottom line when it asks something. Modes: the ':' command
 * line (history, Tab completion from the action table), the '/' filter
 * (applied as you type), the viewer's search, and confirmations: y/n, or
 * a name to type for the worst actions. Every mode that takes text edits
 * it with the one line editor (lineedit.c). */
#include <autoconf.h>

#include <stdlib.h>

#include "action.h"
#include "colors.h"
#include "lineedit.h"
#include "log.h"
#include "ui.h"

static struct {
    bool active;
    char mode[16];
    struct lineedit le;      /* the text; its history is the ':' line's */
    char *question;
    char *typed;             /* what must be typed, NULL for y/n */
    void (*cb)(bool ok, void *opaque);
    void (*secret_cb)(const char *text, void *opaque);
    void *opaque;
    char *cands;             /* completion candidates shown above */
} Q;

bool
prompt_active(void)
{
    return Q.active;
}

void
prompt_open(const char *mode, const char *initial)
{
    Q.active = true;
    snprintf(Q.mode, sizeof(Q.mode), "%s", mode);
    lineedit_set(&Q.le, initial);
    Q.le.history = STREQ(mode, "command");
    Q.le.secret = STREQ(mode, "secret");
    Q.le.hpos = Q.le.nhist;
    free(Q.le.draft);
    Q.le.draft = NULL;
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
secret_answer(bool ok)
{
    void (*cb)(const char *, void *) = Q.secret_cb;

    Q.secret_cb = NULL;
    Q.active = false;
    free(Q.question);
    Q.question = NULL;
    if (cb)
        cb(ok ? lineedit_text(&Q.le) : NULL, Q.opaque);
    lineedit_clear(&Q.le);
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

/* Complete the words before the cursor; the text after it stays. */
static void
complete(void)
{
    struct act_ctx ctx;
    size_t start, common;
    char **c;
    int n = 0;
    AUTOFREE char *head = xstrndup(Q.le.buf, Q.le.cur);
    AUTOFREE char *tail = xstrdup(Q.le.buf + Q.le.cur);
    char buf[LINEEDIT_MAX];

    /* the same context a command gets: the focused view's selection */
    ui_context(&ctx);
    c = action_complete(head, &ctx, &start);
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
    snprintf(buf, sizeof(buf), "%s", head);
    buf[start] = '\0';
    if (n == 1) {
        char word[LINEEDIT_MAX];

        snprintf(word, sizeof(word), "%s%s", c[0],
                 c[0][strlen(c[0]) - 1] == '/' ? "" : " ");
        strncat(buf, word, sizeof(buf) - strlen(buf) - 1);
    } else {
        strncat(buf, c[0], common < sizeof(buf) - start - 1 ? common :
                sizeof(buf) - start - 1);
        Q.cands = xstrdup("");
        for (int i = 0; i < n; i++) {
            char *t = xasprintf("%s%s%s", Q.cands, i ? "  " : "", c[i]);

            free(Q.cands);
            Q.cands = t;
        }
    }
    /* the cursor after the completed word, the rest of the line after it */
    lineedit_set(&Q.le, buf);
    if (lineedit_insert(&Q.le, tail))
        Q.le.cur = strlen(buf);
    util_strv_free(c);
}

static void
edited(void)
{
    if (STREQ(Q.mode, "filter"))
        ui_filter(lineedit_text(&Q.le));
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
            ui_filter("");
        close_prompt();
        return true;
    }
    if (STREQ(key, "Enter")) {
        AUTOFREE char *line = xstrdup(lineedit_text(&Q.le));

        if (STREQ(Q.mode, "typed")) {
            bool ok = Q.typed && STREQ(line, Q.typed);

            answer(ok);
            if (!ok)
                log_msg(LOG_ERROR, "The name did not match; nothing was done");
            return true;
        }
        close_prompt();
        if (STREQ(Q.mode, "command")) {
            lineedit_history_add(&Q.le, line);
            if (*line)
                ui_command(line);
        } else if (STREQ(Q.mode, "search")) {
            pane_text_search(line);
        } else if (STREQ(Q.mode, "console-search") && ui_focus()) {
            pane_console_search(ui_focus(), line);
        }
        return true;
    }
    if (STREQ(key, "Backspace") && !Q.le.len && STREQ(Q.mode, "command")) {
        close_prompt();
        return true;
    }
    if (STREQ(key, "Tab") && STREQ(Q.mode, "command"))
        complete();
    else
        lineedit_key(&Q.le, key);
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
    /* control characters show as ^X; a long line scrolls sideways with
     * the cursor, which the terminal's cursor shows */
    if (W - qw - 1 > 0) {
        int col;
        AUTOFREE char *vis = lineedit_view(&Q.le, W - qw - 1, &col);

        mvwaddstr(w, 0, qw, vis);
        wmove(w, 0, qw + col);
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
    lineedit_free(&Q.le);
    free(Q.question);
    free(Q.typed);
    free(Q.cands);
    Q.question = Q.typed = Q.cands = NULL;
}
