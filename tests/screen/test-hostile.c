/* Hostile names (quotes, <&>, unicode with wide characters and an emoji,
 * 200+ characters, a leading '-', spaces, a tab) render aligned, and the
 * domains can be acted on by key and by the ':' line. */
#include "vmtest.h"

/* The text that starts at cell col of row r (cells, not bytes). */
static int
state_at(struct scr *s, int r, int col, const char *word)
{
    char *t = scr_row(s, r);
    int cell = 0, ok = 0;
    const unsigned char *p = (const unsigned char *)t;

    if (!t)
        return 0;
    /* walk cells: wide characters occupy two cells, scr_row writes them once */
    while (*p && cell < col) {
        int len = *p < 0x80 ? 1 : *p < 0xe0 ? 2 : *p < 0xf0 ? 3 : 4;
        int w = len >= 3 ? 2 : 1;

        /* the few wide glyphs in the fixture are 3- and 4-byte sequences;
         * the 2-byte ones (ü, ï, ø, é) are narrow */
        if (len == 3 && p[0] == 0xe2)
            w = 1;          /* the ellipsis and box-drawing characters */
        cell += w;
        p += len;
    }
    ok = cell == col && strncmp((const char *)p, word, strlen(word)) == 0;
    free(t);
    return ok;
}

int
main(void)
{
    char h[4096];
    char *args[] = { "-c", (char *)vm_fixture_uri(h, sizeof(h), "hostile.xml"), NULL };
    struct scr *s = vm_start(args, NULL);
    static const char *names[] = { "-leading-dash", "<&>", "it's \"quoted\"",
                                   "name with spaces", "plain", "tab^Iseparated",
                                   "\xc3\xbcn\xc3\xaf" "c\xc3\xb8" "d\xc3\xa9-" };
    int hrow, hcol, r;

    SCR_CHECK(s, vm_wait_host(s, "hostile.xml", "[connected] 8 domains", T_WAIT) == 0);
    vm_settle(s);
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        SCR_CHECK(s, vm_row_of(s, names[i]) > 0, "name %zu shows", i);
    SCR_CHECK(s, (r = vm_row_of(s, "long-long-long")) > 0);
    SCR_CHECK(s, vm_row_has(s, r, "\xe2\x80\xa6"), "the long name ends in an ellipsis");
    /* every domain row has its state word exactly under the State header */
    SCR_CHECK(s, scr_find(s, "State", &hrow, &hcol) == 0);
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        char row[128];

        /* the list's row, not the details' title of the selected one */
        snprintf(row, sizeof(row), "  %s", names[i]);
        r = vm_row_of(s, row);
        SCR_CHECK(s, state_at(s, r, hcol, "running") || state_at(s, r, hcol, "paused") ||
                     state_at(s, r, hcol, "shut off"), "row of name %zu is aligned", i);
    }
    r = vm_row_of(s, "long-long-long");
    SCR_CHECK(s, state_at(s, r, hcol, "shut off"), "long name row aligned");

    /* act on them by key */
    SCR_CHECK(s, vm_goto(s, "<&>") == 0);
    scr_key(s, "u");
    SCR_CHECK(s, scr_wait_text(s, "Domain '<&>' resumed", T_WAIT) == 0);
    /* and by the ':' line, quoted as a shell would */
    vm_command(s, "suspend \"it's \\\"quoted\\\"\"");
    SCR_CHECK(s, scr_wait_text(s, "Domain 'it's \"quoted\"' suspended", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "suspend 'it'\\''s \"quoted\"'", T_WAIT) == 0,
              "the virsh line quotes the name for a shell");
    vm_command(s, "suspend -leading-dash");
    SCR_CHECK(s, scr_wait_text(s, "Domain '-leading-dash' suspended", T_WAIT) == 0);
    vm_command(s, "resume -- -leading-dash");
    SCR_CHECK(s, scr_wait_text(s, "Domain '-leading-dash' resumed", T_WAIT) == 0);
    vm_command(s, "start 'name with spaces'");
    SCR_CHECK(s, scr_wait_text(s, "Domain 'name with spaces' started", T_WAIT) == 0);
    /* completion of a name that needs quoting */
    scr_key(s, ":");
    scr_send(s, "dumpxml tab");
    scr_key(s, "Tab");
    SCR_CHECK(s, scr_wait_row(s, ROWS - 1, ":dumpxml 'tab^Iseparated'", T_WAIT) == 0);
    scr_key(s, "Enter");
    SCR_CHECK(s, scr_wait_text(s, "<name>tab", T_WAIT) == 0);
    scr_key(s, "q");
    vm_command(s, "dumpxml '<&>'");
    SCR_CHECK(s, scr_wait_text(s, "<name>&lt;&amp;&gt;</name>", T_WAIT) == 0);
    scr_key(s, "q");
    /* the unicode one, found by filter */
    scr_key(s, "/");
    scr_send(s, "\xe5\x90\x8d\xe5\x89\x8d");
    scr_key(s, "Enter");
    vm_settle(s);
    SCR_CHECK(s, vm_row_of(s, "  plain ") < 0);
    SCR_CHECK(s, vm_goto(s, "\xc3\xbcn\xc3\xaf" "c\xc3\xb8" "d\xc3\xa9-"
                            "\xe5\x90\x8d\xe5\x89\x8d-\xf0\x9f\x99\x82") == 0);
    scr_key(s, "p");
    SCR_CHECK(s, scr_wait_text(s, "-\xf0\x9f\x99\x82' suspended", T_WAIT) == 0);
    scr_free(s);
    return 0;
}
