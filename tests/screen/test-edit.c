/* A user edits a domain's XML: breaks it, sees the parser's error, edits
 * again and finds the broken text kept, fixes it and sees the change in
 * the list; then libvirt refuses an edit, the user declines to retry and
 * the domain is unchanged with the text kept; an unchanged edit says so. */
#include "vmtest.h"

int
main(void)
{
    char a[4096];
    char *args[] = { "-c", (char *)vm_fixture_uri(a, sizeof(a), "host-a.xml"), NULL };
    struct vm_editor ed;
    struct scr *s;
    int r;

    vm_editor_init(&ed, "editor.sh");
    s = vm_start(args, ed.env);
    SCR_CHECK(s, scr_wait_text(s, "  foxtrot ", T_WAIT) == 0);
    vm_settle(s);
    SCR_CHECK(s, vm_row_has(s, vm_row_of(s, "  foxtrot "), "4 GiB"));
    SCR_CHECK(s, vm_goto(s, "foxtrot") == 0);

    /* 1: broken XML -> the parser's error and the offer to edit again */
    scr_key(s, "e");
    SCR_CHECK(s, scr_wait_text(s, "not well-formed", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "Edit again (your text is kept)? [y/N]", T_WAIT) == 0);
    SCR_CHECK(s, vm_row_has(s, vm_row_of(s, "  foxtrot "), "4 GiB"), "nothing defined");
    /* 2: the same text comes back; the fix is defined */
    scr_key(s, "y");
    SCR_CHECK(s, scr_wait_text(s, "Domain 'foxtrot' XML configuration edited", T_WAIT) == 0);
    SCR_CHECK(s, !vm_editor_lost(&ed), "the editor got the user's broken text back");
    SCR_CHECK(s, scr_wait_text(s, "3 GiB", T_WAIT) == 0);
    vm_settle(s);
    SCR_CHECK(s, vm_row_has(s, vm_row_of(s, "  foxtrot "), "3 GiB"));

    /* 3: libvirt refuses; declining leaves the domain as it was */
    scr_key(s, "e");
    SCR_CHECK(s, scr_wait_text(s, "Failed to define domain 'foxtrot'", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "Edit again (your text is kept)? [y/N]", T_WAIT) == 0);
    scr_key(s, "n");
    SCR_CHECK(s, scr_wait_text(s, "the domain is unchanged; your text is kept in", T_WAIT) == 0);
    vm_settle(s);
    r = vm_row_of(s, "  foxtrot ");
    SCR_CHECK(s, vm_row_has(s, r, "3 GiB"));

    /* 4: no change */
    scr_key(s, "e");
    SCR_CHECK(s, scr_wait_text(s, "Domain 'foxtrot' XML not changed", T_WAIT) == 0);
    SCR_CHECK(s, scr_alive(s));
    scr_free(s);
    vm_editor_done(&ed);
    return 0;
}
