/* vmtest.c: the screen tests' helpers (see vmtest.h): virtmux started on
 * a pty with a private copy of a fixture, rows found by their text, the
 * cursor moved by the keys a user presses, waits bounded by T_WAIT, and a
 * scripted $EDITOR. Every failure to set up exits the test (status 1);
 * what a test checks stays in the test, with SCR_CHECK. */
#include "vmtest.h"

const char *
vm_srcdir(void)
{
    const char *s = getenv("top_srcdir");

    return s && *s ? s : ".";
}

const char *
vm_binary(void)
{
    const char *s = getenv("VIRTMUX");

    return s && *s ? s : "./virtmux";
}

static char vm_tmpdir[64];

static void
vm_tmpdir_remove(void)
{
    char cmd[128];

    if (vm_tmpdir[0]) {
        snprintf(cmd, sizeof(cmd), "rm -rf %s", vm_tmpdir);
        if (system(cmd) != 0)
            fprintf(stderr, "cannot remove %s\n", vm_tmpdir);
    }
}

/* "test:///tmp/vmt-XXXXXX/NAME" in buf: a copy of tests/data/NAME in a
 * short private directory, so URIs (and the virsh lines that quote them)
 * are the same length wherever the tree is built. */
const char *
vm_fixture_uri(char *buf, size_t len, const char *name)
{
    char src[4096], dst[256], cmd[4800];

    if (!vm_tmpdir[0]) {
        snprintf(vm_tmpdir, sizeof(vm_tmpdir), "/tmp/vmt-XXXXXX");
        if (!mkdtemp(vm_tmpdir)) {
            perror("mkdtemp");
            exit(1);
        }
        atexit(vm_tmpdir_remove);
    }
    snprintf(src, sizeof(src), "%s/tests/data/%s", vm_srcdir(), name);
    snprintf(dst, sizeof(dst), "%s/%s", vm_tmpdir, name);
    snprintf(cmd, sizeof(cmd), "cp '%s' '%s' && chmod 644 '%s'", src, dst, dst);
    if (system(cmd) != 0) {
        fprintf(stderr, "cannot copy %s\n", src);
        exit(1);
    }
    snprintf(buf, len, "test://%s", dst);
    return buf;
}

/* Start virtmux with args (NULL-terminated) and extra environment. */
struct scr *
vm_start(char *const args[], char *const env[])
{
    char *argv[32];
    int n = 0;
    struct scr *s;

    argv[n++] = (char *)vm_binary();
    for (int i = 0; args && args[i] && n < 30; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    s = scr_spawn(ROWS, COLS, argv, env);
    if (!s) {
        fprintf(stderr, "cannot start %s\n", argv[0]);
        exit(1);
    }
    return s;
}

/* The screen row that carries the selection highlight (reverse video or
 * the cyan background of the default theme), -1 if none. */
int
vm_selected_row(struct scr *s)
{
    int rows, cols;

    scr_size(s, &rows, &cols);
    for (int r = 2; r < rows - 1; r++) {
        if (scr_bg(s, r, 1) == 6 || scr_attr_reverse(s, r, 1) == 1)
            return r;
    }
    return -1;
}

/* Move the cursor onto a row: Down/Up until the highlight is on the row
 * find() returns (-1: not on screen). */
int
vm_goto_row(struct scr *s, int (*find)(struct scr *s, const char *what), const char *what)
{
    for (int i = 0; i < 80; i++) {
        int row, sel;

        scr_pump(s, 30);
        if ((row = find(s, what)) < 0)
            return -1;
        sel = vm_selected_row(s);
        if (sel == row)
            return 0;
        scr_key(s, sel < 0 || sel < row ? "Down" : "Up");
        scr_pump(s, 60);
    }
    return -1;
}

int
vm_wait_row(struct scr *s, int (*find)(struct scr *s, const char *what), const char *what,
            int present)
{
    for (int waited = 0; waited <= T_WAIT; waited += 50) {
        if ((find(s, what) >= 0) == present)
            return 0;
        scr_pump(s, 50);
    }
    return -1;
}

int
vm_find_domain(struct scr *s, const char *name)
{
    char needle[512];
    int row, col;

    snprintf(needle, sizeof(needle), "  %s ", name);
    return scr_find(s, needle, &row, &col) == 0 ? row : -1;
}

int
vm_find_host(struct scr *s, const char *part)
{
    int rows, cols;

    scr_size(s, &rows, &cols);
    for (int r = 2; r < rows - 1; r++) {
        char *t = scr_row(s, r);
        int hit = t && strstr(t, part) && strstr(t, " [");

        free(t);
        if (hit)
            return r;
    }
    return -1;
}

/* Move the cursor onto the row showing "  name" (first match). */
int
vm_goto(struct scr *s, const char *name)
{
    return vm_goto_row(s, vm_find_domain, name);
}

/* Move the cursor onto the header row of the host whose URI has part. */
int
vm_goto_host(struct scr *s, const char *part)
{
    return vm_goto_row(s, vm_find_host, part);
}

/* Wait until the program has drawn everything (no output for 150 ms). */
void
vm_settle(struct scr *s)
{
    scr_wait_stable(s, 150, 3000);
}

/* The row index where text first appears, -1 if nowhere. */
int
vm_row_of(struct scr *s, const char *text)
{
    int row, col;

    return scr_find(s, text, &row, &col) == 0 ? row : -1;
}

/* Wait until one row shows both the host (a part of its URI) and text. */
int
vm_wait_host(struct scr *s, const char *uri_part, const char *text, int timeout_ms)
{
    for (int waited = 0; waited <= timeout_ms; waited += 50) {
        int rows, cols;

        scr_size(s, &rows, &cols);
        for (int r = 0; r < rows; r++) {
            char *t = scr_row(s, r);
            int ok = t && strstr(t, uri_part) && strstr(t, text);

            free(t);
            if (ok)
                return 0;
        }
        scr_pump(s, 50);
    }
    return -1;
}

/* Type a ':' command and press Enter. */
void
vm_command(struct scr *s, const char *line)
{
    scr_key(s, ":");
    scr_pump(s, 50);
    scr_send(s, line);
    scr_pump(s, 50);
    scr_key(s, "Enter");
}

/* The text of row r contains needle. */
int
vm_row_has(struct scr *s, int r, const char *needle)
{
    char *t = scr_row(s, r);
    int ok = t && strstr(t, needle) != NULL;

    free(t);
    return ok;
}

/* The cell column where text starts on row r, -1 if not there. */
int
vm_col_of(struct scr *s, int r, const char *text)
{
    char *t = scr_row(s, r);
    const char *p = t ? strstr(t, text) : NULL;
    int col = -1;

    if (p) {
        col = 0;
        /* cells, not bytes: count the UTF-8 lead bytes before it */
        for (const char *q = t; q < p; q++)
            col += ((unsigned char)*q & 0xc0) != 0x80;
    }
    free(t);
    return col;
}


void
vm_editor_init(struct vm_editor *e, const char *script)
{
    snprintf(e->state, sizeof(e->state), "/tmp/virtmux-editor-XXXXXX");
    if (!mkdtemp(e->state)) {
        perror("mkdtemp");
        exit(1);
    }
    snprintf(e->ed, sizeof(e->ed), "EDITOR=%s/tests/screen/%s", vm_srcdir(), script);
    snprintf(e->st, sizeof(e->st), "EDIT_STATE=%s", e->state);
    e->env[0] = e->ed;
    e->env[1] = e->st;
    e->env[2] = "VISUAL";           /* unset: $EDITOR decides */
    e->env[3] = NULL;
}

/* The editor found its file was not the user's text ("lost" marker). */
int
vm_editor_lost(const struct vm_editor *e)
{
    char path[96];

    snprintf(path, sizeof(path), "%s/lost", e->state);
    return access(path, F_OK) == 0;
}

void
vm_editor_done(const struct vm_editor *e)
{
    char rm[96];

    snprintf(rm, sizeof(rm), "rm -rf %s", e->state);
    if (system(rm) != 0)
        fprintf(stderr, "cannot remove %s\n", e->state);
}

/* A line of the file at path contains needle (a guest's serial log). */
int
vm_file_has(const char *path, const char *needle)
{
    FILE *f = fopen(path, "r");
    char line[4096];
    int found = 0;

    if (!f)
        return 0;
    while (!found && fgets(line, sizeof(line), f))
        found = strstr(line, needle) != NULL;
    fclose(f);
    return found;
}
