/* A user opens the storage view (3) as soon as the host is up: sees the
 * pools with type, state and a usage bar, the volumes of the first pool
 * with who uses each ("(running)" in the running colour) and what backs
 * what; moves to the volumes (Tab), makes a volume with the form (c) and
 * sees it, has a bad size refused in the form with the text kept, deletes
 * a volume (d, y), is refused deleting one a running guest uses, sees the
 * hostile names drawn in their column, makes a pool with the form (N),
 * stops it and deletes it by typing its name, is refused deleting a pool
 * that holds a guest's disk, and shrinks the terminal to 60x15 with a
 * form open and back. Outside changes are not tested: a test:/// file's
 * state is private to each connection. */
#include "vmtest.h"

/* The row whose text starts with a volume's name and a space, -1 if none
 * (pool rows are indented, the volume rows are not). */
static int
find_vol(struct scr *s, const char *name)
{
    int rows, cols;
    size_t len = strlen(name);

    scr_size(s, &rows, &cols);
    for (int r = 1; r < rows - 1; r++) {
        char *t = scr_row(s, r);
        int hit = t && strncmp(t, name, len) == 0 && t[len] == ' ';

        free(t);
        if (hit)
            return r;
    }
    return -1;
}

int
main(void)
{
    char a[4096];
    char *args[] = { "-c", (char *)vm_fixture_uri(a, sizeof(a), "storage.xml"), NULL };
    struct scr *s = vm_start(args, NULL);
    int r, r2, c, vhead;

    SCR_CHECK(s, scr_wait_text(s, "4 domains", T_WAIT) == 0);
    /* at once: the pools may not be read yet; the view fills in when they are */
    scr_key(s, "3");
    SCR_CHECK(s, scr_wait_text(s, "[3:storage]", T_WAIT) == 0);
    SCR_CHECK(s, vm_wait_host(s, "storage.xml", "[connected] 2 pools", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "web01 (running)", T_WAIT) == 0,
              "the first pool's volumes show without choosing it");
    vm_settle(s);

    /* the pools: every one has its row, with type, state, sizes, usage */
    SCR_CHECK(s, (r = vm_row_of(s, "  default ")) > 0);
    SCR_CHECK(s, vm_row_has(s, r, "active"));
    SCR_CHECK(s, vm_row_has(s, r, " dir "));
    SCR_CHECK(s, vm_row_has(s, r, "100 GiB"));
    SCR_CHECK(s, vm_row_has(s, r, "85.6 GiB"), "available");
    SCR_CHECK(s, vm_row_has(s, r, "\xe2\x96\x88\xe2\x96\x91"), "a usage bar");
    SCR_CHECK(s, vm_row_has(s, r, " 14%"));
    SCR_CHECK(s, vm_row_has(s, r, "/srv/vmstore/default"));
    SCR_CHECK(s, (r2 = vm_row_of(s, "  isos ")) == r + 1, "both pools have a row");
    SCR_CHECK(s, vm_row_has(s, r2, "active"));
    SCR_CHECK(s, vm_row_has(s, r2, "629 MiB"));
    SCR_CHECK(s, vm_row_has(s, r2, "  0%"));
    SCR_CHECK(s, vm_selected_row(s) == r, "the first pool is chosen, the pools have focus");

    /* its volumes: users (running ones in the running colour), backing */
    SCR_CHECK(s, (vhead = vm_row_of(s, "Volume")) > r2);
    SCR_CHECK(s, vm_row_has(s, vhead, "Used by"));
    SCR_CHECK(s, (r = find_vol(s, "web01.qcow2")) > vhead);
    SCR_CHECK(s, vm_row_has(s, r, "qcow2"));
    SCR_CHECK(s, vm_row_has(s, r, "20 GiB"));
    SCR_CHECK(s, vm_row_has(s, r, "web01 (running)"));
    SCR_CHECK(s, vm_row_has(s, r, "<- base-debian.qcow2"));
    SCR_CHECK(s, (c = vm_col_of(s, r, "web01 (running)")) > 0);
    SCR_CHECK(s, scr_fg(s, r, c) == 2 || scr_fg(s, r, c) == 10, "green: fg %d",
              scr_fg(s, r, c));
    SCR_CHECK(s, (r = find_vol(s, "db01.raw")) > 0);
    SCR_CHECK(s, vm_row_has(s, r, "db01") && vm_row_has(s, r, "build01"));
    SCR_CHECK(s, !vm_row_has(s, r, "running"), "db01 and build01 are shut off");
    SCR_CHECK(s, scr_fg(s, r, vm_col_of(s, r, "build01")) != 2);
    SCR_CHECK(s, vm_row_has(s, find_vol(s, "base-debian.qcow2"), "base of web01.qcow2"));
    SCR_CHECK(s, vm_row_has(s, find_vol(s, "spare.raw"), " - "), "nobody uses it");

    /* hostile names, each in the name column, the columns still aligned */
    c = vm_col_of(s, find_vol(s, "spare.raw"), " raw ");
    SCR_CHECK(s, c > 0);
    {
        static const char *names[] = {
            "it's \"quoted\".qcow2", "<&>.img", "-leading-dash.img", "name with spaces.raw",
            ("\xc3\xbcn\xc3\xaf\x63\xc3\xb8\x64\xc3\xa9-\xd0\xb4\xd0\xb8\xd1\x81\xd0\xba-"
             "\xf0\x9f\x99\x82.qcow2"),
        };
        char *t;

        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
            SCR_CHECK(s, find_vol(s, names[i]) > vhead, "volume %zu has its row", i);
        SCR_CHECK(s, vm_row_has(s, find_vol(s, names[4]), "app01 (running)"));
        SCR_CHECK(s, vm_row_has(s, find_vol(s, "name with spaces.raw"), "db01"));
        SCR_CHECK(s, vm_col_of(s, find_vol(s, "<&>.img"), " raw ") == c);
        /* 200 characters: cut to the column with an ellipsis */
        SCR_CHECK(s, (r = vm_row_of(s, "vol-xxxxxxxxxx")) > vhead);
        SCR_CHECK(s, vm_row_has(s, r, "\xe2\x80\xa6"));
        SCR_CHECK(s, vm_col_of(s, r, " raw ") == c, "the long name stays in its column");
        /* the tab is drawn visibly, not as a jump to another column */
        SCR_CHECK(s, (r = vm_row_of(s, "separated.img")) > vhead);
        t = scr_row(s, r);
        SCR_CHECK(s, t && !strchr(t, '\t'));
        free(t);
        SCR_CHECK(s, vm_col_of(s, r, " raw ") == c);
    }

    /* Tab: the volumes have focus; the pool keys still work from there */
    scr_key(s, "Tab");
    vm_settle(s);
    SCR_CHECK(s, vm_selected_row(s) > vhead, "the selection is in the volumes");
    SCR_CHECK(s, vm_goto_row(s, find_vol, "spare.raw") == 0);

    /* a new volume from the form: the pool is filled in */
    scr_key(s, "c");
    SCR_CHECK(s, scr_wait_text(s, "vol-create-as on", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "pool               default", T_WAIT) == 0);
    /* the focus is on the first field to answer: the name */
    scr_send(s, "made.qcow2");
    scr_key(s, "Tab");
    scr_send(s, "5G");
    scr_key(s, "C-s");
    SCR_CHECK(s, scr_wait_text(s, "Vol made.qcow2 created (5 GiB)", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_gone(s, "vol-create-as on", T_WAIT) == 0);
    SCR_CHECK(s, vm_wait_row(s, find_vol, "made.qcow2", 1) == 0);
    vm_settle(s);
    r = find_vol(s, "made.qcow2");
    SCR_CHECK(s, vm_row_has(s, r, "qcow2") && vm_row_has(s, r, "5 GiB"));

    /* a bad size: said in the form, which stays open with what was typed */
    scr_key(s, "c");
    SCR_CHECK(s, scr_wait_text(s, "vol-create-as on", T_WAIT) == 0);
    scr_send(s, "bad.img");
    scr_key(s, "Tab");
    scr_send(s, "10");
    scr_key(s, "C-s");
    SCR_CHECK(s, scr_wait_text(s, "The capacity '10' has no unit", T_WAIT) == 0);
    vm_settle(s);
    SCR_CHECK(s, vm_row_of(s, "vol-create-as on") >= 0, "the form stays open");
    SCR_CHECK(s, vm_row_of(s, "name               bad.img") >= 0, "the name is kept");
    SCR_CHECK(s, vm_row_of(s, "capacity           10") >= 0, "the size is kept");
    SCR_CHECK(s, find_vol(s, "bad.img") < 0);

    /* the terminal shrinks with the form open, and grows back */
    scr_resize(s, 15, 60);
    vm_settle(s);
    SCR_CHECK(s, scr_alive(s), "survives 60x15");
    SCR_CHECK(s, scr_wait_text(s, "vol-create-as: the form needs 38x16 (Esc cancels)", T_WAIT) == 0,
              "the form that does not fit says so (it still takes the keys)");
    SCR_CHECK(s, vm_row_of(s, "  default ") > 0, "the pools still show");
    scr_resize(s, ROWS, COLS);
    vm_settle(s);
    SCR_CHECK(s, scr_alive(s));
    SCR_CHECK(s, scr_wait_text(s, "vol-create-as on", T_WAIT) == 0, "the form is back");
    SCR_CHECK(s, scr_wait_text(s, "name               bad.img", T_WAIT) == 0);
    scr_key(s, "C-u");
    scr_send(s, "2G");
    scr_key(s, "C-s");
    SCR_CHECK(s, scr_wait_text(s, "Vol bad.img created (2 GiB)", T_WAIT) == 0);
    SCR_CHECK(s, vm_wait_row(s, find_vol, "bad.img", 1) == 0);

    /* delete: asked, answered, gone */
    SCR_CHECK(s, vm_goto_row(s, find_vol, "made.qcow2") == 0);
    scr_key(s, "d");
    SCR_CHECK(s, scr_wait_text(s, "vol-delete 'made.qcow2'?", T_WAIT) == 0);
    scr_key(s, "y");
    SCR_CHECK(s, scr_wait_text(s, "Vol made.qcow2 deleted", T_WAIT) == 0);
    SCR_CHECK(s, vm_wait_row(s, find_vol, "made.qcow2", 0) == 0);

    /* a hostile one too */
    SCR_CHECK(s, vm_goto_row(s, find_vol, "<&>.img") == 0);
    scr_key(s, "d");
    SCR_CHECK(s, scr_wait_text(s, "vol-delete '<&>.img'?", T_WAIT) == 0);
    scr_key(s, "y");
    SCR_CHECK(s, scr_wait_text(s, "Vol <&>.img deleted", T_WAIT) == 0);
    SCR_CHECK(s, vm_wait_row(s, find_vol, "<&>.img", 0) == 0);

    /* in use by a running guest: refused, naming it; the volume stays */
    SCR_CHECK(s, vm_goto_row(s, find_vol, "web01.qcow2") == 0);
    scr_key(s, "d");
    SCR_CHECK(s, scr_wait_text(s, "Volume 'web01.qcow2' is in use by web01 (running)",
                               T_WAIT) == 0);
    vm_settle(s);
    SCR_CHECK(s, find_vol(s, "web01.qcow2") > 0);
    SCR_CHECK(s, vm_row_of(s, "vol-delete 'web01.qcow2'?") < 0, "nothing was asked");

    /* back to the pools; a new pool from the form, built and started */
    scr_key(s, "Tab");
    vm_settle(s);
    SCR_CHECK(s, vm_selected_row(s) < vhead, "the pools have focus again");
    scr_key(s, "N");
    SCR_CHECK(s, scr_wait_text(s, "pool-define-as on", T_WAIT) == 0);
    scr_send(s, "scratch");
    scr_key(s, "Tab");
    scr_key(s, "Tab");
    scr_send(s, "/srv/vmstore/scratch");
    scr_key(s, "C-s");
    SCR_CHECK(s, scr_wait_text(s, "Pool 'scratch' defined, built and started", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "  scratch ", T_WAIT) == 0);
    SCR_CHECK(s, vm_wait_host(s, "storage.xml", "[connected] 3 pools", T_WAIT) == 0);
    vm_settle(s);
    SCR_CHECK(s, vm_row_has(s, vm_row_of(s, "  scratch "), "active"));
    SCR_CHECK(s, vm_row_of(s, "  scratch ") < vm_row_of(s, "Volume"),
              "the pools pane grew to show it");

    /* pool-delete: stopped first, then the name is typed */
    SCR_CHECK(s, vm_goto(s, "scratch") == 0);
    scr_key(s, "X");
    SCR_CHECK(s, scr_wait_text(s, "Pool 'scratch' is active; 'pool-delete' needs it stopped",
                               T_WAIT) == 0);
    scr_key(s, "D");
    SCR_CHECK(s, scr_wait_text(s, "pool-destroy 'scratch'?", T_WAIT) == 0);
    scr_key(s, "y");
    SCR_CHECK(s, scr_wait_text(s, "Pool 'scratch' destroyed", T_WAIT) == 0);
    vm_settle(s);
    SCR_CHECK(s, vm_row_has(s, vm_row_of(s, "  scratch "), "inactive"));
    scr_key(s, "X");
    SCR_CHECK(s, scr_wait_text(s, "Type the pool's name to confirm", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "/srv/vmstore/scratch", T_WAIT) == 0,
              "the question names the directory");
    scr_send(s, "scratc");
    scr_key(s, "Enter");
    SCR_CHECK(s, scr_wait_text(s, "The name did not match; nothing was done", T_WAIT) == 0);
    scr_key(s, "X");
    SCR_CHECK(s, scr_wait_text(s, "Type the pool's name to confirm", T_WAIT) == 0);
    scr_send(s, "scratch");
    scr_key(s, "Enter");
    SCR_CHECK(s, scr_wait_text(s, "Pool 'scratch' deleted", T_WAIT) == 0);
    scr_key(s, "U");
    SCR_CHECK(s, scr_wait_text(s, "pool-undefine 'scratch'?", T_WAIT) == 0);
    scr_key(s, "y");
    SCR_CHECK(s, scr_wait_text(s, "Pool 'scratch' has been undefined", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_gone(s, "  scratch ", T_WAIT) == 0);

    /* a pool holding a guest's disk (the cdrom of db01) is not deleted */
    SCR_CHECK(s, vm_goto(s, "isos") == 0);
    SCR_CHECK(s, scr_wait_text(s, "debian-12.iso", T_WAIT) == 0, "its volumes follow");
    scr_key(s, "D");
    SCR_CHECK(s, scr_wait_text(s, "pool-destroy 'isos'?", T_WAIT) == 0);
    scr_key(s, "y");
    SCR_CHECK(s, scr_wait_text(s, "(the pool is not active: s starts it)", T_WAIT) == 0);
    scr_key(s, "X");
    SCR_CHECK(s, scr_wait_text(s, "Type the pool's name to confirm", T_WAIT) == 0);
    scr_send(s, "isos");
    scr_key(s, "Enter");
    SCR_CHECK(s, scr_wait_text(s, "Pool 'isos' holds disks of db01", T_WAIT) == 0);
    scr_key(s, "s");
    SCR_CHECK(s, scr_wait_text(s, "Pool 'isos' started", T_WAIT) == 0);
    SCR_CHECK(s, vm_wait_row(s, find_vol, "debian-12.iso", 1) == 0);

    /* the same view from the ':' line */
    scr_key(s, "1");
    SCR_CHECK(s, scr_wait_text(s, "[1:domains]", T_WAIT) == 0);
    vm_command(s, "view storage");
    SCR_CHECK(s, scr_wait_text(s, "[3:storage]", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "  isos ", T_WAIT) == 0);

    /* tiny, then normal again */
    scr_resize(s, 15, 60);
    vm_settle(s);
    SCR_CHECK(s, scr_alive(s), "survives 60x15");
    SCR_CHECK(s, scr_wait_text(s, "  default ", T_WAIT) == 0, "the pools still show");
    scr_resize(s, ROWS, COLS);
    SCR_CHECK(s, scr_wait_text(s, "Used by", T_WAIT) == 0);
    scr_key(s, "q");
    SCR_CHECK(s, scr_wait_exit(s, T_WAIT) == 0);
    scr_free(s);
    return 0;
}
