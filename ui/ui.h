/* ui.h: the curses side. ui.c owns the screen, input and the render pass,
 * layout.c the views and where the panes go, pane.h what a pane is and the
 * registry of its kinds; panes paint into their own windows when dirty;
 * prompt.c owns the bottom line. Nothing in ui/ calls libvirt. */
#ifndef VIRTMUX_UI_H
#define VIRTMUX_UI_H

#include <curses.h>

#include "action.h"
#include "pane.h"
#include "theme.h"
#include "util.h"

/* Start curses on the terminal; returns -1 when there is no terminal. */
int ui_init(const struct theme *t);
void ui_end(void);
/* Mark a pane (NULL: everything) for the next render pass. */
void ui_dirty(struct pane *p);
/* Bumped whenever the screen is redrawn whole (ui_dirty(NULL), a new
 * layout, an overlay over the panes): a pane that paints only what changed
 * repaints whole when this moved since its last frame. */
unsigned ui_epoch(void);
/* The status line shows text (level as log_level) until the next message. */
void ui_status(const char *text, int level);
/* The context a command runs in: the current view's selection (host,
 * domain, network, pool and volume (when the volumes pane has focus),
 * snapshot). Also what completion completes against. */
void ui_context(struct act_ctx *ctx);
/* Run a command line in the context of the focused pane's selection. */
void ui_command(const char *line);
/* Curses off while an editor runs; ui_resume puts it back. */
void ui_suspend(void);
void ui_resume(void);
bool ui_suspended(void);
/* The text viewer (dumpxml, help, messages) over the main area. */
void ui_text_show(const char *title, const char *text);
void ui_quit(void);
/* The pane that has the keys. */
struct pane *ui_focus(void);
/* " on URI" while several hosts are open (two hosts' "labguest" differ
 * by it; the URI names a host even when two report the same hostname),
 * else "". Borrowed until the next call. */
const char *ui_host_suffix(int host);
/* A pane is going away: stop pointing at it. */
void ui_forget(struct pane *p);

/* layout.c: the views. Choose one by name ("domains", "net", "pools"...). */
void ui_view(const char *name);
enum ui_view_kind ui_view_current(void);
/* Switch to a view that shows consoles and previews if this one does not. */
void ui_view_for_side(void);
/* A view's number by its name or a prefix; -1 unknown. */
int ui_view_parse(const char *name);
/* The list view v shows (its PLACE_LIST pane). */
struct pane *ui_view_pane(int v);

/* table.c: the '/' filter and ':sort' on the focused list (its view's list
 * when the focused pane has none); the filter's text. */
void ui_filter(const char *text);
const char *ui_filter_text(void);
void ui_sort(const char *column);

/* What panes offer besides their descriptor. */
/* pane-details.c */
void pane_details_follow(int host, const char *uuid);
void pane_details_follow_network(int host, const char *uuid);
/* pane-jobs.c: the jobs strip at the bottom of every view */
/* The selected job's id, 0 when the strip is hidden or empty. */
int pane_jobs_selected(void);
/* pane-text.c */
bool pane_text_open(void);
void pane_text_close(void);
/* help.c: the help text from the key and action tables (caller frees). */
/* The help page (or one command's): the keys of here (the focused pane's
 * table) and of view (its list's) first; NULL for either is fine. */
char *help_text(const char *command, const char *here, const char *view);
/* edit.c */
void edit_start(int host, enum act_target kind, const char *uuid, const char *name,
                const char *xml);
void edit_child_exited(void);
/* prompt.c */
void prompt_open(const char *mode, const char *initial);
void prompt_confirm(const char *question, const char *typed,
                    void (*cb)(bool ok, void *opaque), void *opaque);
/* Ask for a secret (shown as '*'); cb gets the text, or NULL if cancelled.
 * The text is wiped after cb returns. */
void prompt_secret(const char *question, void (*cb)(const char *text, void *opaque),
                   void *opaque);
bool prompt_active(void);
bool prompt_key(const char *key);
void prompt_paint(WINDOW *w);
void prompt_free(void);
/* Completion candidates to show above the prompt, or NULL. */
const char *prompt_candidates(void);
/* A line of detail above an open question (an error being asked about). */
void prompt_detail(const char *text);
/* Draw the detail (or the candidates) wrapped above the prompt line. */
void prompt_paint_detail(const char *text);
void pane_text_set(const char *title, const char *text);
void pane_text_search(const char *text);
void ui_set_details(bool on);

/* pane-console.c: the pane of a console session (a new one, or the one
 * showing it already), NULL when no more can open. */
struct pane *pane_console_show(int session);
void pane_console_close(struct pane *p);
/* Search console pane p's scrollback upwards for text. */
void pane_console_search(struct pane *p, const char *text);
unsigned long pane_console_paints(void);
/* Rows the console panes copied, and the time their paints took (bench). */
void pane_console_paint_stats(unsigned long *rows_copied, int64_t *paint_ns);
/* pane-vnc.c: the same for a preview. */
struct pane *pane_vnc_show(int session);
void pane_vnc_close(struct pane *p);
/* vnc-screenshot (file NULL: the default name) on the focused preview,
 * else the newest. */
void pane_vnc_screenshot(const char *file);
/* Send Ctrl-Alt-Del through the domain's preview (the dispatcher has
 * checked the host and the domain). */
void pane_vnc_ctrl_alt_del(int host, const char *uuid, const char *name);
void pane_vnc_stats(unsigned long *paints, unsigned long *cells);
/* Lay the panes out again now (a pane opened or closed). */
void ui_relayout(void);
/* Consoles and previews over the whole main area, or back beside the list. */
void ui_zoom_toggle(void);
void ui_toggle_details(void);
/* Give p the keys (and lay out again). */
void ui_set_focus(struct pane *p);
/* commands.c: lend the action table its UI hooks. */
void ui_commands_init(void);

/* statusbar.c */
void statusbar_set(const char *text, int level);
void statusbar_paint_title(WINDOW *title, int view);
void statusbar_paint_status(WINDOW *status);
/* form.c: a form from an action row's arguments. */
int form_open(const char *action, int host, const char *domain, const char *network,
              const char *pool, const char *vol);
bool form_active(void);
bool form_key(const char *key);
void form_paint(void);

/* The key name of a curses key ("Up", "C-x", "a", "é"). */
void ui_key_name(int rc, wint_t ch, char *buf, size_t len);

#endif
