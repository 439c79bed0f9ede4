/* modelui.h: the fake UI of the model tests and clonebench (libtest.a,
 * modelui.c): it answers confirmations at once and keeps what it was
 * shown; and the loop run until a predicate holds, with the predicates on
 * a host. No cmocka: a bench links it too. */
#ifndef VIRTMUX_MODELUI_H
#define VIRTMUX_MODELUI_H

#include <stdbool.h>

#include "action.h"

/* What the fake UI says and what it was shown. */
struct modeltest_ui {
    bool answer;                 /* what confirm says */
    int confirms;
    char *question, *typed;
    int shown;
    char *title, *text;
    int ui_actions;
    char *status;
};

extern struct modeltest_ui U;
/* The fake UI, for action_set_ui: it records into U and answers U.answer. */
extern const struct action_ui test_ui;

/* Free what the fake UI kept. */
void ui_free(void);

typedef bool (*pred)(void *arg);

/* Run the loop until p(arg) holds; false after ms. */
bool wait_for(pred p, void *arg, int ms);
/* Predicates on the host *(int *)arg: up or lost, lost, no request left. */
bool host_settled(void *arg);
bool host_lost(void *arg);
bool host_idle(void *arg);

#endif
