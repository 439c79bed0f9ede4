/* The VNC preview against a real guest (the lab): the pane fills with the
 * guest's screen once it is up and changes when the screen does; text
 * typed in input mode reaches the guest (a command on its VGA console
 * writes to the serial port, read back from the serial log); a screenshot
 * has the guest's resolution. Needs LAB_URI and LAB_SERIAL_LOG. */
#include <stdbool.h>

#include "vmtest.h"

#define LONG_WAIT 60000

/* Cells right of the list that show a colour (the preview's pixels). */
static int
lit(struct scr *s, int from_col, char *sig, size_t len)
{
    int n = 0, k = 0;

    for (int r = 2; r < ROWS - 1; r++) {
        for (int c = from_col; c < COLS; c++) {
            int fg = scr_fg(s, r, c), bg = scr_bg(s, r, c);

            if ((fg > 16 && fg != 16) || (bg > 16 && bg != 16))
                n++;
            if (sig && (size_t)k + 1 < len)
                sig[k++] = (char)('0' + ((fg + bg) & 63));
        }
    }
    if (sig)
        sig[k] = '\0';
    return n;
}

int
main(void)
{
    const char *uri = getenv("LAB_URI"), *serial = getenv("LAB_SERIAL_LOG");
    char *args[] = { "-c", (char *)uri, NULL };
    static char before[ROWS * COLS + 1], after[ROWS * COLS + 1];
    char shot[] = "/tmp/virtmux-shot-XXXXXX", path[64], cmd[128];
    unsigned char hdr[24];
    struct scr *s;
    int row, col, n;
    FILE *f;

    if (!uri || !*uri || !serial) {
        fprintf(stderr, "SKIP: LAB_URI/LAB_SERIAL_LOG not set (tests/lab/run.sh sets them)\n");
        return 77;
    }
    s = vm_start(args, NULL);
    SCR_CHECK(s, scr_wait_text(s, "2 domains, 2 running", LONG_WAIT) == 0);
    vm_command(s, "vnc labguest");
    SCR_CHECK(s, scr_wait_text(s, "vnc labguest [connected] 720x400", T_WAIT) == 0);
    SCR_CHECK(s, scr_find(s, "vnc labguest", &row, &col) == 0);
    /* the guest's text screen: many lit cells once the frame arrives */
    for (int i = 0; i < 100 && lit(s, col, NULL, 0) < 200; i++)
        scr_pump(s, 100);
    SCR_CHECK(s, (n = lit(s, col, before, sizeof(before))) >= 200,
              "the preview shows the guest's screen (%d lit cells)", n);

    /* type on the guest's VGA console: it clears the screen and writes
     * to the serial port */
    scr_key(s, "Enter");
    SCR_CHECK(s, scr_wait_text(s, "keys go to the guest", T_WAIT) == 0);
    scr_send(s, "clear\r");
    scr_pump(s, 1500);
    scr_send(s, "echo VNC-typed-$((6*7)) >/dev/ttyS0\r");
    for (int i = 0; i < 100 && !vm_file_has(serial, "VNC-typed-42"); i++)
        scr_pump(s, 100);
    SCR_CHECK(s, vm_file_has(serial, "VNC-typed-42"), "what was typed reached the guest");
    lit(s, col, after, sizeof(after));
    SCR_CHECK(s, strcmp(before, after) != 0, "the preview changed with the guest's screen");

    /* keys back, and a screenshot at the guest's resolution */
    scr_key(s, "C-]");
    SCR_CHECK(s, scr_wait_text(s, "Keys are back with virtmux", T_WAIT) == 0);
    if (!mkdtemp(shot))
        return 1;
    snprintf(path, sizeof(path), "%s/g.png", shot);
    snprintf(cmd, sizeof(cmd), "vnc-screenshot %s", path);
    vm_command(s, cmd);
    SCR_CHECK(s, scr_wait_text(s, "saved to", T_WAIT) == 0);
    SCR_CHECK(s, (f = fopen(path, "rb")) != NULL);
    SCR_CHECK(s, fread(hdr, 1, sizeof(hdr), f) == sizeof(hdr));
    fclose(f);
    SCR_CHECK(s, memcmp(hdr + 1, "PNG", 3) == 0);
    SCR_CHECK(s, (hdr[16] << 24 | hdr[17] << 16 | hdr[18] << 8 | hdr[19]) == 720);
    SCR_CHECK(s, (hdr[20] << 24 | hdr[21] << 16 | hdr[22] << 8 | hdr[23]) == 400);
    unlink(path);
    rmdir(shot);
    /* actual size, a region the arrows move (#18 bug 18) */
    scr_key(s, "Z");
    SCR_CHECK(s, scr_wait_text(s, "720x400 1:1 at 0,0", T_WAIT) == 0);
    scr_key(s, "Right");
    scr_key(s, "Down");
    SCR_CHECK(s, scr_wait_gone(s, "1:1 at 0,0", T_WAIT) == 0, "the region moved");
    SCR_CHECK(s, scr_wait_text(s, "720x400 1:1 at ", T_WAIT) == 0);
    scr_key(s, "Z");
    SCR_CHECK(s, scr_wait_gone(s, "1:1 at", T_WAIT) == 0, "fits again");
    /* q closes the preview */
    scr_key(s, "q");
    SCR_CHECK(s, scr_wait_gone(s, "vnc labguest [", T_WAIT) == 0);

    /* #18 bug 16: destroy and start again: the preview follows, through
     * the firmware's restart of QEMU's VNC server, by itself */
    vm_command(s, "vnc labguest2");
    SCR_CHECK(s, scr_wait_text(s, "vnc labguest2 [connected]", LONG_WAIT) == 0);
    vm_command(s, "destroy labguest2");
    SCR_CHECK(s, scr_wait_text(s, "destroy 'labguest2'?", T_WAIT) == 0);
    scr_key(s, "y");
    SCR_CHECK(s, scr_wait_text(s, "Domain 'labguest2' destroyed", LONG_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "the preview starts when it does", LONG_WAIT) == 0);
    vm_command(s, "start labguest2");
    SCR_CHECK(s, scr_wait_text(s, "Domain 'labguest2' started", LONG_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "vnc labguest2 [connected]", LONG_WAIT) == 0,
              "the preview came back after the restart");
    scr_pump(s, 3000);               /* the firmware's reset of the VNC server */
    SCR_CHECK(s, scr_wait_text(s, "vnc labguest2 [connected]", LONG_WAIT) == 0,
              "and stays (or comes back) connected");
    scr_key(s, "q");
    SCR_CHECK(s, scr_wait_gone(s, "vnc labguest2 [", T_WAIT) == 0);
    scr_free(s);
    return 0;
}
