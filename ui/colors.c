/* colors.c: one curses colour pair per theme role. Without colours
 * (NO_COLOR set, a mono theme, or a terminal that has none) each role keeps
 * only its attributes, and the roles that need to stand out get reverse or
 * bold so nothing relies on colour alone. */
#include <autoconf.h>

#include <stdlib.h>
#include <string.h>
#include <curses.h>

#include "colors.h"
#include "model.h"

static int attrs[ROLE_COUNT];
static bool color_on;
static int *pair_of;         /* (fg + 1) * 257 + (bg + 1) -> pair, 0 unset */
static int next_pair;

static int
to_curses_attrs(unsigned a)
{
    int r = 0;

    if (a & THEME_BOLD)
        r |= A_BOLD;
    if (a & THEME_REVERSE)
        r |= A_REVERSE;
    if (a & THEME_UNDERLINE)
        r |= A_UNDERLINE;
    if (a & THEME_DIM)
        r |= A_DIM;
    return r;
}

void
colors_init(const struct theme *t)
{
    const char *nc = getenv("NO_COLOR");
    bool color = has_colors() && !(nc && *nc) && !t->mono;

    if (color) {
        start_color();
        use_default_colors();
    }
    color_on = color;
    next_pair = ROLE_COUNT + 1;
    for (int r = 0; r < ROLE_COUNT; r++) {
        const struct theme_style *s = &t->style[r];

        attrs[r] = to_curses_attrs(s->attrs);
        if (color && r + 1 < COLOR_PAIRS) {
            int fg = s->fg < COLORS ? s->fg : s->fg % 8;
            int bg = s->bg < COLORS ? s->bg : s->bg % 8;

            init_pair((short)(r + 1), (short)fg, (short)bg);
            attrs[r] |= (int)COLOR_PAIR(r + 1);
        }
    }
    if (!color) {
        attrs[ROLE_SELECTED] |= A_REVERSE;
        attrs[ROLE_STATUS] |= A_REVERSE;
        attrs[ROLE_STATUS_ERROR] |= A_REVERSE | A_BOLD;
        attrs[ROLE_HOST] |= A_BOLD;
        attrs[ROLE_HOST_LOST] |= A_BOLD | A_UNDERLINE;
        attrs[ROLE_STATE_RUNNING] |= A_BOLD;
        attrs[ROLE_HEADER] |= A_UNDERLINE;
    }
}

int
colors_attr(enum theme_role r)
{
    return attrs[r];
}

int
colors_pair(int fg, int bg)
{
    int key, limit = COLOR_PAIRS < 32767 ? COLOR_PAIRS : 32767;

    if (!color_on)
        return 0;
    if (fg >= COLORS)
        fg %= 8;
    if (bg >= COLORS)
        bg %= 8;
    if (fg < 0 && bg < 0)
        return 0;
    if (!pair_of)
        pair_of = xcalloc(257 * 257, sizeof(*pair_of));
    key = (fg + 1) * 257 + (bg + 1);
    if (pair_of[key])
        return pair_of[key];
    if (next_pair >= limit) {
        /* out of pairs: start over; cells repaint with fresh pairs */
        memset(pair_of, 0, 257 * 257 * sizeof(*pair_of));
        next_pair = ROLE_COUNT + 1;
    }
    init_pair((short)next_pair, (short)fg, (short)bg);
    pair_of[key] = next_pair;
    return next_pair++;
}

void
colors_free(void)
{
    free(pair_of);
    pair_of = NULL;
}

enum theme_role
colors_state_role(int state)
{
    switch (model_dom_state_look(state)) {
    case M_LOOK_RUNNING:
        return ROLE_STATE_RUNNING;
    case M_LOOK_PAUSED:
        return ROLE_STATE_PAUSED;
    case M_LOOK_SHUTOFF:
        return ROLE_STATE_SHUTOFF;
    default:
        return ROLE_STATE_OTHER;
    }
}
