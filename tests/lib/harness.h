/*
 * harness.h: screen-test harness -- run a program on a pty, read its
 * screen back through libvterm, and assert on what a user would see.
 *
 * Rows and columns are 0-based cell coordinates.  Functions taking a row
 * also accept a negative row counted from the bottom (-1 = last row).
 * Every wait takes a timeout in milliseconds and returns 0 on success,
 * -1 on timeout (or when the program has closed the pty and the screen
 * can no longer change).  Text searches work within one row.
 *
 * The child gets a fresh pty session, only fds 0-2, default signal
 * dispositions, and PR_SET_PDEATHSIG(SIGKILL) tied to the spawning
 * thread.  Not thread-safe: use one thread per test process.
 *
 * Build: cc ... harness.c $(pkg-config --cflags --libs vterm) -lutil
 */

#ifndef VIRTMUX_TESTS_SCREEN_HARNESS_H
# define VIRTMUX_TESTS_SCREEN_HARNESS_H

# include <stdio.h>
# include <sys/types.h>

struct scr;                 /* a program on a pty + its emulated screen */

/* Spawning and lifetime */
struct scr *scr_spawn(int rows, int cols, char *const argv[], char *const envp_extra[]); /* NULL on error; envp_extra "K=V" overrides, bare "K" unsets */
void scr_free(struct scr *s);                                           /* SIGTERM, SIGKILL after 2 s, reap, rm -rf private dir; NULL ok */
void scr_free_all(void);                                                /* scr_free every live instance (also run at exit) */
pid_t scr_pid(struct scr *s);                                           /* pid of the program */
const char *scr_home(struct scr *s);                                    /* private mkdtemp dir, the child's default HOME */
int scr_alive(struct scr *s);                                           /* 1 while the program has not exited */
int scr_wait_exit(struct scr *s, int timeout_ms);                       /* exit code, 128+signal if killed, -1 on timeout */

/* Reading output */
void scr_pump(struct scr *s, int ms);                                   /* read pty into vterm for ms (less if pty closes) */
int scr_wait_text(struct scr *s, const char *text, int timeout_ms);     /* 0 once text is anywhere on screen */
int scr_wait_gone(struct scr *s, const char *text, int timeout_ms);     /* 0 once text is nowhere on screen */
int scr_wait_row(struct scr *s, int row, const char *text, int timeout_ms); /* 0 once text is in that row */
int scr_wait_row_is(struct scr *s, int row, const char *text, int timeout_ms); /* 0 once that row reads exactly text */
int scr_wait_stable(struct scr *s, int quiet_ms, int timeout_ms);       /* 0 after quiet_ms without output (or pty closed) */
int scr_eof(struct scr *s);                                             /* 1 once the pty reported EOF/EIO */
long scr_bytes_read(struct scr *s);                                     /* total bytes read from the pty */

/* Inspecting the screen */
char *scr_row(struct scr *s, int row);                                  /* UTF-8 row text, right-trimmed, caller frees; NULL if out of range */
char *scr_dump(struct scr *s);                                          /* all rows joined by '\n', caller frees */
int scr_find(struct scr *s, const char *text, int *row, int *col);      /* 0 and first match (col in cells), else -1 */
int scr_fg(struct scr *s, int row, int col);                            /* xterm-256 index, -1 default, -2 bad position */
int scr_bg(struct scr *s, int row, int col);                            /* xterm-256 index, -1 default, -2 bad position */
int scr_attr_bold(struct scr *s, int row, int col);                     /* 1 if bold, 0 if not, -1 bad position */
int scr_attr_reverse(struct scr *s, int row, int col);                  /* 1 if reverse video, 0 if not, -1 bad position */
int scr_attr_underline(struct scr *s, int row, int col);                /* 1 if underlined, 0 if not, -1 bad position */
int scr_attr_italic(struct scr *s, int row, int col);                   /* 1 if italic, 0 if not, -1 bad position */
int scr_cursor(struct scr *s, int *row, int *col);                      /* cursor position; returns 1 if visible, 0 if hidden */
void scr_size(struct scr *s, int *rows, int *cols);                     /* current emulated screen size */
const char *scr_title(struct scr *s);                                   /* last window title set via OSC 0/2, "" if none */
int scr_bells(struct scr *s);                                           /* number of BEL characters received */
void scr_log_screen(struct scr *s, FILE *f);                            /* numbered, framed screen dump for diagnostics */

/*
 * Input.  scr_key names: Enter Tab Esc Backspace Up Down Left Right Home End
 * PageUp PageDown Insert Delete Space F1..F12, optionally prefixed by C-, M-
 * (or A-) and S- ("C-Up", "S-Tab"); or one UTF-8 character, also with
 * prefixes ("x", "C-a".."C-z", "C-]", "M-x").  Cursor keys follow the
 * program's DECCKM mode (ESC O A after smkx).  Unknown names warn on stderr.
 */
void scr_send(struct scr *s, const char *bytes);                        /* raw bytes to the program */
void scr_key(struct scr *s, const char *name);                          /* one key press, see above */
void scr_resize(struct scr *s, int rows, int cols);                     /* TIOCSWINSZ + vterm resize; child gets SIGWINCH */

/* Assertions for tests written as plain C programs */
# define SCR_FAIL_ATTR __attribute__((noreturn, format(printf, 5, 6)))
void scr_check_fail(struct scr *s, const char *file, int line, const char *expr, const char *fmt, ...) SCR_FAIL_ATTR; /* report, dump, free, exit(1) */

/*
 * SCR_CHECK(s, cond, "format", args...): if cond is false, print the
 * message, file:line and the full screen to stderr, free s (and every other
 * live instance) and exit(1).  s may be NULL.  The message is optional but
 * must be a string literal when given.
 */
# define SCR_CHECK(s, cond, ...) \
    do { \
        if (!(cond)) \
            scr_check_fail((s), __FILE__, __LINE__, #cond, " " __VA_ARGS__); \
    } while (0)

#endif /* VIRTMUX_TESTS_SCREEN_HARNESS_H */
