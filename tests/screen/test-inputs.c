/* The line editor where text is typed (#18 bugs 5 and 9), one story
 * each (a story's name as the argument runs it alone): on the ':' line
 * Left, C-a and End move, a character goes in at the cursor, Delete and
 * C-k cut after it; in the text viewer '/' starts empty (not with the
 * last search to append to), and a search that finds nothing says so
 * and leaves the view where it was. */
#include "vmtest.h"

static struct scr *
start(void)
{
    char *args[] = { "--demo", NULL };
    struct scr *s = vm_start(args, NULL);

    SCR_CHECK(s, scr_wait_text(s, "[connected]", T_WAIT) == 0);
    vm_settle(s);
    return s;
}

static void
story_colon(void)
{
    struct scr *s = start();

    scr_key(s, ":");
    scr_send(s, "dumpxml web01");
    for (int i = 0; i < 5; i++)
        scr_key(s, "Left");
    scr_send(s, "X");
    SCR_CHECK(s, scr_wait_row_is(s, ROWS - 1, ":dumpxml Xweb01", T_WAIT) == 0,
              "Left moves and typing inserts at the cursor");
    scr_key(s, "Backspace");
    scr_key(s, "Delete");
    scr_key(s, "C-a");
    scr_send(s, "#");
    SCR_CHECK(s, scr_wait_row_is(s, ROWS - 1, ":#dumpxml eb01", T_WAIT) == 0,
              "Backspace, Delete, C-a");
    scr_key(s, "C-k");
    SCR_CHECK(s, scr_wait_row_is(s, ROWS - 1, ":#", T_WAIT) == 0, "C-k cuts to the end");
    scr_key(s, "C-u");
    scr_send(s, "dumpxml web01");
    scr_key(s, "Home");
    scr_key(s, "End");
    scr_key(s, "Enter");
    SCR_CHECK(s, scr_wait_text(s, "<name>web01</name>", T_WAIT) == 0,
              "the line edited runs as shown");
    scr_free(s);
}

/* dumpxml web01, searched for "<uuid>": that line on top */
static struct scr *
viewer(void)
{
    struct scr *s = start();

    vm_command(s, "dumpxml web01");
    SCR_CHECK(s, scr_wait_text(s, "<name>web01</name>", T_WAIT) == 0);
    vm_settle(s);
    scr_key(s, "/");
    scr_send(s, "<uuid>");
    scr_key(s, "Enter");
    SCR_CHECK(s, scr_wait_row(s, 2, "<uuid>", T_WAIT) == 0, "the search scrolls to it");
    vm_settle(s);
    return s;
}

static void
story_search_empty(void)
{
    struct scr *s = viewer();

    scr_key(s, "/");
    SCR_CHECK(s, scr_wait_row_is(s, ROWS - 1, "search:", T_WAIT) == 0,
              "'/' starts an empty search");
    scr_send(s, "<memory");
    SCR_CHECK(s, scr_wait_row_is(s, ROWS - 1, "search: <memory", T_WAIT) == 0);
    scr_key(s, "Enter");
    SCR_CHECK(s, scr_wait_row(s, 2, "<memory", T_WAIT) == 0, "what was typed is searched");
    scr_free(s);
}

static void
story_not_found(void)
{
    struct scr *s = viewer();
    char *head = scr_row(s, 1);

    scr_key(s, "/");
    scr_key(s, "C-u");
    scr_send(s, "no-such-text");
    scr_key(s, "Enter");
    SCR_CHECK(s, scr_wait_text(s, "'no-such-text' is not in this text", T_WAIT) == 0,
              "a search that finds nothing says so");
    vm_settle(s);
    SCR_CHECK(s, vm_row_has(s, 2, "<uuid>"), "the view did not move");
    SCR_CHECK(s, scr_wait_row_is(s, 1, head, T_WAIT) == 0, "the same lines are shown");
    free(head);
    scr_key(s, "q");
    SCR_CHECK(s, scr_wait_gone(s, "<name>web01</name>", T_WAIT) == 0);
    scr_free(s);
}

int
main(int argc, char **argv)
{
    static const struct { const char *name; void (*run)(void); } stories[] = {
        { "colon", story_colon }, { "search-empty", story_search_empty },
        { "not-found", story_not_found },
    };

    for (size_t i = 0; i < sizeof(stories) / sizeof(stories[0]); i++) {
        if (argc < 2 || strcmp(argv[1], stories[i].name) == 0)
            stories[i].run();
    }
    return 0;
}
