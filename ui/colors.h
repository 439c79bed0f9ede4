/* colors.h: theme roles to curses attributes. */
#ifndef VIRTMUX_COLORS_H
#define VIRTMUX_COLORS_H

#include "theme.h"

/* Set up colour pairs from t (after initscr); honours NO_COLOR and
 * terminals without colour by using attributes only. */
void colors_init(const struct theme *t);
/* The curses attributes (colour pair included) of a role. */
int colors_attr(enum theme_role r);
/* A colour pair for a guest's cell colours (0..255, -1 default); 0 when
 * colours are off. Pairs are allocated on demand and reused. */
int colors_pair(int fg, int bg);
void colors_free(void);
/* A domain state's role. */
enum theme_role colors_state_role(int state);

#endif
