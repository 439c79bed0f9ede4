/* #18 bug 3: every column of the networks, pools and volumes sorts (the
 * rows' order shows it), '~' reverses, the arrow shows on short headers
 * ("vCPU▴"), names sort case-insensitively. */
#include "vmtest.h"

#define UP "\xe2\x96\xb4"
#define DOWN "\xe2\x96\xbe"

/* a is above b on the screen */
static int
above(struct scr *s, const char *a, const char *b)
{
    int ra = vm_row_of(s, a), rb = vm_row_of(s, b);

    return ra > 0 && rb > 0 && ra < rb;
}

static void
sort(struct scr *s, const char *column, const char *header)
{
    char line[64];

    snprintf(line, sizeof(line), "sort %s", column);
    vm_command(s, line);
    SCR_CHECK(s, scr_wait_text(s, header, T_WAIT) == 0, "the arrow on %s", column);
    vm_settle(s);
}

int
main(void)
{
    char *args[] = { "--demo", NULL };
    struct scr *s = vm_start(args, NULL);

    SCR_CHECK(s, scr_wait_text(s, "[connected]", T_WAIT) == 0);
    vm_settle(s);
    /* the arrow on a four-letter header */
    sort(s, "vCPU", "vCPU" UP);
    SCR_CHECK(s, above(s, "  dns1 ", "  backup "), "1 vCPU before 2");
    scr_key(s, "~");
    SCR_CHECK(s, scr_wait_text(s, "vCPU" DOWN, T_WAIT) == 0, "'~' reverses");
    vm_settle(s);
    SCR_CHECK(s, above(s, "  db-primary ", "  backup "), "16 before 2");
    sort(s, "Auto", "Auto" UP);
    sort(s, "Memory", "Memory" UP);
    SCR_CHECK(s, above(s, "  dns2 ", "  backup "), "512 MiB before 4 GiB");
    SCR_CHECK(s, above(s, "  dns1 ", "  backup "), "1 GiB before 4 GiB");

    /* networks: mode, bridge, the guests' count */
    scr_key(s, "2");
    SCR_CHECK(s, scr_wait_text(s, "  lan-bridge ", T_WAIT) == 0);
    sort(s, "Mode", "Mode" UP);
    SCR_CHECK(s, above(s, "  lan-bridge ", "  isolated "), "bridge, isolated, nat, route");
    SCR_CHECK(s, above(s, "  isolated ", "  default "));
    SCR_CHECK(s, above(s, "  default ", "  routed "));
    scr_key(s, "~");
    SCR_CHECK(s, scr_wait_text(s, "Mode" DOWN, T_WAIT) == 0);
    vm_settle(s);
    SCR_CHECK(s, above(s, "  routed ", "  default "), "reversed");
    SCR_CHECK(s, above(s, "  isolated ", "  lan-bridge "));
    sort(s, "VMs", "VMs" UP);
    SCR_CHECK(s, above(s, "  lan-bridge ", "  routed "), "0 before 5");
    SCR_CHECK(s, above(s, "  routed ", "  default "), "5 before 19");
    /* '>' moves the sort to the next column: back to the name */
    scr_key(s, ">");
    SCR_CHECK(s, scr_wait_text(s, "Network" UP, T_WAIT) == 0);
    vm_settle(s);
    SCR_CHECK(s, above(s, "  default ", "  isolated "));

    /* pools by type; volumes by format, by size, names case-insensitively */
    scr_key(s, "3");
    SCR_CHECK(s, scr_wait_text(s, "  fast-ssd ", T_WAIT) == 0);
    sort(s, "Type", "Type" UP);
    SCR_CHECK(s, above(s, "  isos ", "  fast-ssd "), "dir before logical");
    scr_key(s, "Tab");
    sort(s, "Format", "Format" UP);
    SCR_CHECK(s, vm_row_of(s, "backup.qcow2") == vm_row_of(s, "a-b-c.qcow2") + 1,
              "the raw backup-data.img is not between them: qcow2 before raw");
    scr_key(s, "~");
    SCR_CHECK(s, scr_wait_text(s, "Format" DOWN, T_WAIT) == 0);
    scr_key(s, "g");             /* the cursor followed its volume down */
    vm_settle(s);
    SCR_CHECK(s, above(s, "dns2.img", "web05.qcow2"), "raw before qcow2");
    sort(s, "Capacity", "Capacity" UP);
    scr_key(s, "g");
    vm_settle(s);
    SCR_CHECK(s, above(s, "pxe-test.img", "dns1.qcow2"), "8 GiB before 10 GiB");
    SCR_CHECK(s, above(s, "dns1.qcow2", "web04.qcow2"), "10 GiB before 20 GiB");
    scr_key(s, "~");
    SCR_CHECK(s, scr_wait_text(s, "Capacity" DOWN, T_WAIT) == 0);
    scr_key(s, "g");
    vm_settle(s);
    SCR_CHECK(s, above(s, "backup-data.img", "gitlab-data.img"), "500 GiB before 100 GiB");
    SCR_CHECK(s, above(s, "gitlab-data.img", "k8s-worker-1.qcow2"), "100 GiB before 80 GiB");
    scr_key(s, "1");
    scr_key(s, "3");             /* the view again: the pools have the keys */
    SCR_CHECK(s, scr_wait_text(s, "[3:storage]", T_WAIT) == 0);
    vm_settle(s);
    SCR_CHECK(s, vm_goto(s, "isos") == 0);
    scr_key(s, "Tab");
    sort(s, "Volume", "Volume" UP);
    SCR_CHECK(s, scr_wait_text(s, "Rocky-9.3", T_WAIT) == 0);
    SCR_CHECK(s, above(s, "debian-12.5", "Rocky-9.3"), "case-insensitive");
    SCR_CHECK(s, above(s, "Rocky-9.3", "virtio-win"));
    scr_free(s);
    return 0;
}
