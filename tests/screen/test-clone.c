/* A user clones 'web' from the domains list: K opens the clone form with
 * web-clone proposed, mode switched to linked, C-s makes it at once and
 * the new row appears; T marks the clone a template and its row says so;
 * s on it asks y/N; starting 'web' (now a base) is refused; P on the
 * fixture's template opens deploy with its pattern and makes three
 * clones; a full clone from the form runs as a job the jobs strip shows,
 * and the message history keeps what happened.
 *
 * Fixture: tests/data/clone-host.xml. */
#include "vmtest.h"

/* golden-template's row: the Name column may be narrower than its name */
#define GOLDEN "  golden-temp"

/* The form shows value in field label: the label, spaces up to the
 * values' column, then value (the hints further right may say anything). */
static int
form_field_is(struct scr *s, const char *label, const char *value)
{
    int rows, cols;

    scr_size(s, &rows, &cols);
    for (int r = 0; r < rows; r++) {
        char *t = scr_row(s, r);
        char *p = t ? strstr(t, "\xe2\x94\x82 ") : NULL;    /* the form's left border */
        size_t n = strlen(label), v = strlen(value);
        int ok = 0;

        if (p && strncmp(p + 4, label, n) == 0 && p[4 + n] == ' ') {
            const char *start = p += 4;

            p += n;
            while (*p == ' ')
                p++;
            /* the values' column, not an empty field's hint further right */
            ok = p - start <= 24 && strncmp(p, value, v) == 0 &&
                 (p[v] == ' ' || p[v] == '_' || !p[v]);
        }
        free(t);
        if (ok)
            return 1;
    }
    return 0;
}

/* Wait until form_field_is. */
static int
form_wait_field(struct scr *s, const char *label, const char *value)
{
    for (int waited = 0; waited <= T_WAIT; waited += 50) {
        if (form_field_is(s, label, value))
            return 0;
        scr_pump(s, 50);
    }
    return -1;
}

int
main(void)
{
    char a[4096];
    char *args[] = { "-c", (char *)vm_fixture_uri(a, sizeof(a), "clone-host.xml"), NULL };
    struct scr *s = vm_start(args, NULL);

    SCR_CHECK(s, scr_wait_text(s, "10 domains", T_WAIT) == 0);
    vm_settle(s);
    /* the fixture's template is marked from its metadata */
    SCR_CHECK(s, scr_wait_text(s, "(template)", T_WAIT) == 0);
    SCR_CHECK(s, vm_row_has(s, vm_row_of(s, GOLDEN), "shut off (template)"));
    SCR_CHECK(s, !vm_row_has(s, vm_row_of(s, "  web "), "template"));

    /* K: the clone form, the name proposed, full by default */
    SCR_CHECK(s, vm_goto(s, "web") == 0);
    scr_key(s, "K");
    SCR_CHECK(s, scr_wait_text(s, " clone on ", T_WAIT) == 0);
    SCR_CHECK(s, form_wait_field(s, "name", "web-clone") == 0);
    SCR_CHECK(s, form_field_is(s, "mode", "full"));
    SCR_CHECK(s, form_field_is(s, "domain", "web"));
    /* domain, name, mode: switch to linked and send */
    scr_key(s, "Tab");
    scr_key(s, "Tab");
    scr_key(s, "C-u");
    scr_send(s, "linked");
    SCR_CHECK(s, form_wait_field(s, "mode", "linked") == 0);
    scr_key(s, "C-s");
    SCR_CHECK(s, scr_wait_text(s, "Domain 'web-clone' cloned from 'web' (2 disks linked, 0 to "
                               "copy)", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_gone(s, " clone on ", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "  web-clone ", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "11 domains", T_WAIT) == 0);
    vm_settle(s);
    SCR_CHECK(s, vm_row_has(s, vm_row_of(s, "  web-clone "), "shut off"));

    /* T: the clone becomes a template */
    SCR_CHECK(s, vm_goto(s, "web-clone") == 0);
    scr_key(s, "T");
    SCR_CHECK(s, scr_wait_text(s, "Domain 'web-clone' is a template", T_WAIT) == 0);
    for (int i = 0; i < T_WAIT / 50 && !vm_row_has(s, vm_row_of(s, "  web-clone "),
                                                     "(template)"); i++)
        scr_pump(s, 50);
    SCR_CHECK(s, vm_row_has(s, vm_row_of(s, "  web-clone "), "shut off (template)"));

    /* s on a template asks first; n keeps it off */
    scr_key(s, "s");
    SCR_CHECK(s, scr_wait_text(s, "start 'web-clone'? It is a template", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "[y/N]", T_WAIT) == 0);
    scr_key(s, "n");
    SCR_CHECK(s, scr_wait_text(s, "Cancelled: start of 'web-clone'", T_WAIT) == 0);
    vm_settle(s);
    SCR_CHECK(s, vm_row_has(s, vm_row_of(s, "  web-clone "), "shut off"));

    /* web is now the base of web-clone's disks: s is refused, saying why */
    SCR_CHECK(s, vm_goto(s, "web") == 0);
    scr_key(s, "s");
    SCR_CHECK(s, scr_wait_text(s, "The disk vda of 'web' is the base of web-clone.qcow2",
                               T_WAIT) == 0);
    vm_settle(s);
    SCR_CHECK(s, vm_row_has(s, vm_row_of(s, "  web "), "shut off"));

    /* P on the template: deploy, the pattern without the -template suffix */
    SCR_CHECK(s, vm_goto_row(s, vm_row_of, GOLDEN) == 0);
    scr_key(s, "P");
    SCR_CHECK(s, scr_wait_text(s, " deploy on ", T_WAIT) == 0);
    SCR_CHECK(s, form_wait_field(s, "pattern", "golden{01..03}") == 0);
    SCR_CHECK(s, form_field_is(s, "mode", "linked"));
    scr_key(s, "C-s");
    SCR_CHECK(s, scr_wait_text(s, "Deployed 3 linked clones of 'golden-template': golden01 .. "
                               "golden03", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "14 domains", T_WAIT) == 0);
    vm_settle(s);
    SCR_CHECK(s, vm_row_of(s, "  golden01 ") > 0);
    SCR_CHECK(s, vm_row_of(s, "  golden02 ") > 0);
    SCR_CHECK(s, vm_row_of(s, "  golden03 ") > 0);
    SCR_CHECK(s, !vm_row_has(s, vm_row_of(s, "  golden02 "), "template"),
              "clones are not templates");

    /* a full clone from the form: web-clone is taken, so web-clone-1; the
     * copy is a job, shown in the jobs strip */
    SCR_CHECK(s, vm_goto(s, "web") == 0);
    scr_key(s, "K");
    SCR_CHECK(s, scr_wait_text(s, " clone on ", T_WAIT) == 0);
    SCR_CHECK(s, form_wait_field(s, "name", "web-clone-1") == 0);
    SCR_CHECK(s, form_field_is(s, "mode", "full"));
    scr_key(s, "C-s");
    SCR_CHECK(s, scr_wait_text(s, "clone web -> web-clone-1 (2 disks)", T_WAIT) == 0,
              "the jobs strip shows the copy");
    SCR_CHECK(s, scr_wait_text(s, "  web-clone-1 ", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "15 domains", T_WAIT) == 0);
    for (int i = 0; i < T_WAIT / 50 &&
         !vm_row_has(s, vm_row_of(s, "clone web -> web-clone-1"), "done"); i++)
        scr_pump(s, 50);
    SCR_CHECK(s, vm_row_has(s, vm_row_of(s, "clone web -> web-clone-1"), "done"));

    /* the message history: the dispatcher's line and the job's */
    scr_key(s, "m");
    SCR_CHECK(s, scr_wait_text(s, "Domain 'web-clone-1' cloned from 'web' (0 disks linked, 2 "
                               "to copy): copying as job", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "Domain 'web-clone-1' cloned from 'web' (6 GiB in", T_WAIT)
              == 0);
    SCR_CHECK(s, scr_wait_text(s, "Domain 'web-clone' is a template", T_WAIT) == 0);
    scr_key(s, "q");
    SCR_CHECK(s, scr_wait_text(s, "  golden01 ", T_WAIT) == 0);

    /* small screen with the strip still up: nothing crashes */
    scr_resize(s, 12, 50);
    vm_settle(s);
    scr_resize(s, ROWS, COLS);
    SCR_CHECK(s, scr_wait_text(s, "  web-clone-1 ", T_WAIT) == 0);
    SCR_CHECK(s, scr_alive(s));
    scr_free(s);
    return 0;
}
