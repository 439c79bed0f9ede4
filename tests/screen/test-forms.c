/* Forms used as a user would (#18 bug 5), on the demo, one story each
 * (a story's name as the argument runs it alone): the volume form opens
 * with the focus on the name, the first field to answer; a value longer
 * than its field scrolls and its end shows; Left and Home move in a field
 * and typing goes in at the cursor; a call that fails on the host brings
 * the form back with the values and the reason; at 80 columns the hint
 * still says how to submit (by the row's name) and how to cancel. */
#include "vmtest.h"

/* The form's row of field label (inside the box), -1 if none. */
static int
field_row(struct scr *s, const char *label)
{
    char want[64];
    int rows, cols;

    snprintf(want, sizeof(want), "\xe2\x94\x82 %-18s ", label);
    scr_size(s, &rows, &cols);
    for (int r = 1; r < rows - 1; r++) {
        if (vm_row_has(s, r, want))
            return r;
    }
    return -1;
}

/* Wait until the field's row shows text. */
static int
wait_field(struct scr *s, const char *label, const char *text)
{
    for (int waited = 0; waited <= T_WAIT; waited += 50) {
        int r = field_row(s, label);

        if (r >= 0 && vm_row_has(s, r, text))
            return 0;
        scr_pump(s, 50);
    }
    return -1;
}

/* Row r's cell c is drawn unlike row o's. */
static int
unlike(struct scr *s, int r, int o, int c)
{
    return scr_bg(s, r, c) != scr_bg(s, o, c) ||
           scr_attr_reverse(s, r, c) != scr_attr_reverse(s, o, c);
}

/* The field's label is drawn unlike both others' (one may have the focus). */
static int
focused(struct scr *s, const char *label, const char *other, const char *other2)
{
    int r = field_row(s, label), o = field_row(s, other), o2 = field_row(s, other2);
    int c = r >= 0 ? vm_col_of(s, r, label) : -1;

    return r >= 0 && o >= 0 && o2 >= 0 && c >= 0 &&
           unlike(s, r, o, c) && unlike(s, r, o2, c);
}

/* Tab until the field has the focus (whatever field had it first). */
static void
goto_field(struct scr *s, const char *label, const char *other, const char *other2)
{
    for (int i = 0; i < 12 && !focused(s, label, other, other2); i++) {
        scr_key(s, "Tab");
        vm_settle(s);
    }
    SCR_CHECK(s, focused(s, label, other, other2), "the focus reaches '%s'", label);
}

static struct scr *
start(const char *view, const char *key, const char *form)
{
    char *args[] = { "--demo", NULL };
    struct scr *s = vm_start(args, NULL);
    char title[64];

    SCR_CHECK(s, scr_wait_text(s, "[connected]", T_WAIT) == 0);
    scr_key(s, view);
    SCR_CHECK(s, scr_wait_text(s, view[0] == '3' ? "backup-data.img" : "default", T_WAIT) == 0);
    vm_settle(s);
    scr_key(s, key);
    snprintf(title, sizeof(title), "%s on", form);
    SCR_CHECK(s, scr_wait_text(s, title, T_WAIT) == 0);
    vm_settle(s);
    return s;
}

/* vol-create-as: the pool is given, the name is the first to answer */
static void
story_focus(void)
{
    struct scr *s = start("3", "c", "vol-create-as");

    SCR_CHECK(s, wait_field(s, "pool", "default") == 0);
    scr_send(s, "typed.img");
    SCR_CHECK(s, wait_field(s, "name", "typed.img") == 0, "what is typed at once is the name");
    SCR_CHECK(s, wait_field(s, "pool", "default") == 0);
    SCR_CHECK(s, !vm_row_has(s, field_row(s, "pool"), "typed"));
    scr_free(s);
}

/* net-new's name: longer than its field, the end shows as it is typed */
static void
story_long(void)
{
    struct scr *s = start("2", "N", "net-new");

    goto_field(s, "name", "bridge", "mode");
    scr_send(s, "a-very-long-network-name-well-past-thirty-characters-end");
    SCR_CHECK(s, wait_field(s, "name", "thirty-characters-end") == 0,
              "the end of a long value shows while it is typed");
    scr_key(s, "Home");
    SCR_CHECK(s, wait_field(s, "name", "a-very-long-network") == 0, "Home shows its start");
    scr_free(s);
}

/* Left, Home and End move; typing and Backspace act at the cursor */
static void
story_edit(void)
{
    struct scr *s = start("2", "N", "net-new");

    goto_field(s, "name", "bridge", "mode");
    scr_send(s, "lab-net");
    scr_key(s, "Left");
    scr_key(s, "Left");
    scr_key(s, "Left");
    scr_send(s, "X");
    SCR_CHECK(s, wait_field(s, "name", "lab-Xnet ") == 0, "typing goes in at the cursor");
    scr_key(s, "Home");
    scr_send(s, "Y");
    scr_key(s, "End");
    scr_key(s, "Backspace");
    SCR_CHECK(s, wait_field(s, "name", "Ylab-Xne ") == 0, "Home, End, Backspace");
    scr_free(s);
}

/* a volume name the pool has: the form comes back with what was typed
 * and why */
static void
story_failed(void)
{
    struct scr *s = start("3", "c", "vol-create-as");
    int r;

    goto_field(s, "name", "format", "pool");
    scr_send(s, "backup-data.img");
    goto_field(s, "capacity", "format", "pool");
    scr_send(s, "1G");
    scr_key(s, "C-s");
    SCR_CHECK(s, scr_wait_text(s, "already", T_WAIT) == 0, "the call fails");
    vm_settle(s);
    SCR_CHECK(s, vm_row_of(s, "vol-create-as on") >= 0, "the form is still there");
    SCR_CHECK(s, wait_field(s, "name", "backup-data.img") == 0, "with the name typed");
    SCR_CHECK(s, wait_field(s, "capacity", "1G") == 0, "and the size");
    r = vm_row_of(s, "already");
    SCR_CHECK(s, r > field_row(s, "capacity") && vm_row_has(s, r, "\xe2\x94\x82"),
              "the reason is in the form");
    /* fixed and sent again, it is made */
    goto_field(s, "name", "format", "pool");
    scr_key(s, "C-u");
    scr_send(s, "fresh.img");
    scr_key(s, "C-s");
    SCR_CHECK(s, scr_wait_text(s, "fresh.img created", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_gone(s, "vol-create-as on", T_WAIT) == 0);
    scr_free(s);
}

/* at 80 columns: submit (by the row's name) and cancel stay in the hint */
static void
story_hint(void)
{
    struct scr *s = start("3", "c", "vol-create-as");
    int r;

    scr_resize(s, 24, 80);
    vm_settle(s);
    SCR_CHECK(s, scr_wait_text(s, "vol-create-as on", T_WAIT) == 0);
    SCR_CHECK(s, (r = vm_row_of(s, "Esc: cancel")) >= 0, "cancel is said at 80 columns");
    SCR_CHECK(s, vm_row_has(s, r, "C-s: vol-create-as"), "and how to submit, by the row's name");
    /* on the last field Enter submits, and the hint says so */
    goto_field(s, "prealloc-metadata", "format", "pool");
    SCR_CHECK(s, vm_row_of(s, "Enter: vol-create-as  Esc: cancel") >= 0);
    scr_key(s, "Escape");
    SCR_CHECK(s, scr_wait_gone(s, "vol-create-as on", T_WAIT) == 0);
    scr_free(s);
}

int
main(int argc, char **argv)
{
    static const struct { const char *name; void (*run)(void); } stories[] = {
        { "focus", story_focus }, { "long", story_long }, { "edit", story_edit },
        { "failed", story_failed }, { "hint", story_hint },
    };

    for (size_t i = 0; i < sizeof(stories) / sizeof(stories[0]); i++) {
        if (argc < 2 || strcmp(argv[1], stories[i].name) == 0)
            stories[i].run();
    }
    return 0;
}
