/* statusbar.c: the title line (hosts, domains, the view, the filter) and
 * the status line (the last message in its level's colour, or the prompt
 * while one is open). An error or a warning leaves the status line after
 * STATUS_AGE_MS (it stays in the message history, m) so an old one never
 * looks new; an empty status line says where help is. */
#include <autoconf.h>

#include <stdio.h>
#include <stdlib.h>

#include "colors.h"
#include "log.h"
#include "loop.h"
#include "model.h"
#include "ui.h"

#define STATUS_AGE_MS 10000

static struct {
    char *text;
    int level;
    int timer;               /* ages the current error or warning out */
} S = { .timer = -1 };

static void
aged(int id, void *opaque)
{
    loop_timer_remove(id);
    S.timer = -1;
    ui_status(NULL, 0);
}

void
statusbar_set(const char *text, int level)
{
    free(S.text);
    S.text = text ? xstrdup(text) : NULL;
    S.level = level;
    if (S.timer >= 0)
        loop_timer_remove(S.timer);
    S.timer = -1;
    if (text && (level == LOG_ERROR || level == LOG_WARN) && !loop_quitting())
        S.timer = loop_timer_add(STATUS_AGE_MS, aged, NULL, NULL);
}

void
statusbar_paint_title(WINDOW *title, int view)
{
    size_t n = 0, running = 0, hosts_up = 0;
    char left[256], right[128];
    const char *filter = ui_filter_text();
    AUTOFREE char *l = NULL;
    AUTOFREE char *r = NULL;
    int rw;

    for (int h = 0; h < model_nhosts(); h++) {
        size_t k;
        struct m_dom **v = model_doms(h, &k);

        n += k;
        for (size_t i = 0; i < k; i++)
            running += v[i]->state == 1 || v[i]->state == 2;
        hosts_up += model_host_get(h)->state == HOST_UP;
    }
    snprintf(left, sizeof(left), " virtmux  %zu/%d host%s up  %zu domain%s, %zu running",
             hosts_up, model_nhosts(), model_nhosts() == 1 ? "" : "s",
             n, n == 1 ? "" : "s", running);
    if (filter && *filter)
        snprintf(right, sizeof(right), "filter: %s ", filter);
    else
        snprintf(right, sizeof(right), "%s  ?:help  ::command  q:quit ",
                 view == VIEW_NETWORKS ? "1:domains [2:networks] 3:storage 4:snapshots" :
                 view == VIEW_STORAGE ? "1:domains 2:networks [3:storage] 4:snapshots" :
                 view == VIEW_SNAPSHOTS ? "1:domains 2:networks 3:storage [4:snapshots]" :
                 "[1:domains] 2:networks 3:storage 4:snapshots");
    rw = util_width(right);
    if (rw > COLS / 2)
        rw = COLS / 2;
    l = util_fit(left, COLS - rw, false);
    r = util_fit(right, rw, true);
    wattrset(title, colors_attr(ROLE_STATUS) | A_BOLD);
    mvwaddstr(title, 0, 0, l);
    wattrset(title, colors_attr(ROLE_STATUS));
    waddstr(title, r);
    wnoutrefresh(title);
}

void
statusbar_paint_status(WINDOW *status)
{
    werase(status);
    if (prompt_active()) {
        prompt_paint(status);
    } else {
        /* nothing to say: where to look */
        const char *t = S.text ? S.text : "?: help   :: a command (Tab completes)   "
                                          "m: messages   q: quit";
        enum theme_role role = !S.text ? ROLE_DIM :
                               S.level == LOG_ERROR ? ROLE_STATUS_ERROR :
                               S.level == LOG_WARN ? ROLE_STATUS_WARN : ROLE_NORMAL;
        AUTOFREE char *s = util_fit(t, COLS, false);

        wattrset(status, colors_attr(role));
        mvwaddstr(status, 0, 0, s);
    }
    wnoutrefresh(status);
}

