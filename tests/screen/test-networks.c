/* A user switches to the networks (2), sees each host's networks with
 * mode, bridge, addresses and DHCP range, makes a new NAT network from the
 * ':' line (a wrong field is refused with a sentence, nothing made),
 * stops it (asked first), starts it, turns autostart on, undefines it
 * (the name typed), and goes back to the domains (1). */
#include "vmtest.h"

int
main(void)
{
    char a[4096], b[4096];
    char *args[] = { "-c", (char *)vm_fixture_uri(a, sizeof(a), "host-a.xml"),
                     "-c", (char *)vm_fixture_uri(b, sizeof(b), "host-b.xml"), NULL };
    struct vm_editor ed;
    struct scr *s;
    int r;

    vm_editor_init(&ed, "editor-net.sh");
    s = vm_start(args, ed.env);

    SCR_CHECK(s, scr_wait_text(s, "11 domains", T_WAIT) == 0);
    scr_key(s, "2");
    SCR_CHECK(s, scr_wait_text(s, "[2:networks]", T_WAIT) == 0);
    SCR_CHECK(s, vm_wait_host(s, "host-a.xml", "[connected] 1 network", T_WAIT) == 0);
    vm_settle(s);
    SCR_CHECK(s, (r = vm_row_of(s, "  default ")) > 0);
    SCR_CHECK(s, vm_row_has(s, r, "active"));
    SCR_CHECK(s, vm_row_has(s, r, "nat"));
    SCR_CHECK(s, vm_row_has(s, r, "virbr0"));
    SCR_CHECK(s, vm_row_has(s, r, "192.168.122.1/24"));
    SCR_CHECK(s, vm_goto(s, "default") == 0);
    SCR_CHECK(s, scr_wait_text(s, "Network default", T_WAIT) == 0, "the details follow");
    SCR_CHECK(s, scr_wait_text(s, "with an interface on it", T_WAIT) == 0);

    /* net-edit never loses an edit: broken XML is refused, the same text
     * comes back, the fix is defined (on the stopped network: libvirt's
     * test driver drops a new definition of a running one) */
    scr_key(s, "D");
    SCR_CHECK(s, scr_wait_text(s, "net-destroy 'default'?", T_WAIT) == 0);
    scr_key(s, "y");
    SCR_CHECK(s, scr_wait_text(s, "Network 'default' destroyed", T_WAIT) == 0);
    scr_key(s, "e");
    SCR_CHECK(s, scr_wait_text(s, "not well-formed", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "Edit again (your text is kept)? [y/N]", T_WAIT) == 0);
    scr_key(s, "y");
    SCR_CHECK(s, scr_wait_text(s, "Network 'default' XML configuration edited", T_WAIT) == 0);
    SCR_CHECK(s, !vm_editor_lost(&ed), "the editor got the broken text back");
    SCR_CHECK(s, scr_wait_text(s, "192.168.122.2 - 192.168.122.199", T_WAIT) == 0,
              "the edited range shows");
    scr_key(s, "s");
    SCR_CHECK(s, scr_wait_text(s, "Network 'default' started", T_WAIT) == 0);

    /* a wrong field: a sentence, nothing defined */
    vm_command(s, "net-new --name lab5 --ipv4 192.168.50.1/24 --dhcp 192.168.51.2-192.168.51.9");
    SCR_CHECK(s, scr_wait_text(s, "is not inside 192.168.50.1/24", T_WAIT) == 0);
    SCR_CHECK(s, vm_row_of(s, "  lab5 ") < 0);
    vm_command(s, "net-new --name clash --ipv4 192.168.122.50/24");
    SCR_CHECK(s, scr_wait_text(s, "overlaps network 'default'", T_WAIT) == 0);
    /* a good one, on the selected host (host-a) */
    vm_command(s, "net-new --name lab5 --ipv4 192.168.50.1/24 --dhcp 192.168.50.2-192.168.50.9");
    SCR_CHECK(s, scr_wait_text(s, "Network 'lab5' defined and started", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "  lab5 ", T_WAIT) == 0);
    SCR_CHECK(s, vm_wait_host(s, "host-a.xml", "[connected] 2 networks", T_WAIT) == 0);
    vm_settle(s);
    SCR_CHECK(s, vm_row_has(s, vm_row_of(s, "  lab5 "), "192.168.50.2 - 192.168.50.9"));
    SCR_CHECK(s, vm_row_has(s, vm_row_of(s, "  lab5 "), "yes"), "autostart by default");

    /* stop (asks), start, autostart off */
    SCR_CHECK(s, vm_goto(s, "lab5") == 0);
    scr_key(s, "D");
    SCR_CHECK(s, scr_wait_text(s, "net-destroy 'lab5'?", T_WAIT) == 0);
    scr_key(s, "y");
    SCR_CHECK(s, scr_wait_text(s, "Network 'lab5' destroyed", T_WAIT) == 0);
    vm_settle(s);
    SCR_CHECK(s, vm_row_has(s, vm_row_of(s, "  lab5 "), "inactive"));
    scr_key(s, "D");
    SCR_CHECK(s, scr_wait_text(s, "Network 'lab5' is not active", T_WAIT) == 0);
    scr_key(s, "s");
    SCR_CHECK(s, scr_wait_text(s, "Network 'lab5' started", T_WAIT) == 0);
    scr_key(s, "A");
    SCR_CHECK(s, scr_wait_text(s, "Network 'lab5' unmarked as autostarted", T_WAIT) == 0);
    vm_command(s, "net-dumpxml lab5");
    SCR_CHECK(s, scr_wait_text(s, "<name>lab5</name>", T_WAIT) == 0);
    scr_key(s, "q");

    /* undefine wants the name; first it must be stopped */
    scr_key(s, "D");
    SCR_CHECK(s, scr_wait_text(s, "net-destroy 'lab5'?", T_WAIT) == 0);
    scr_key(s, "y");
    SCR_CHECK(s, scr_wait_text(s, "Network 'lab5' destroyed", T_WAIT) == 0);
    scr_key(s, "U");
    SCR_CHECK(s, scr_wait_text(s, "Type the network's name to confirm", T_WAIT) == 0);
    scr_send(s, "lab5");
    scr_key(s, "Enter");
    SCR_CHECK(s, scr_wait_text(s, "Network 'lab5' has been undefined", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_gone(s, "  lab5 ", T_WAIT) == 0);

    /* the form (N): fields from net-new's options, checked before anything
     * is sent; the next free virbrN is proposed */
    SCR_CHECK(s, vm_goto(s, "default") == 0);
    scr_key(s, "N");
    SCR_CHECK(s, scr_wait_text(s, "net-new on", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "virbr1", T_WAIT) == 0, "the next free bridge");
    scr_send(s, "lab6");
    scr_key(s, "Tab");
    scr_key(s, "Tab");
    scr_key(s, "Tab");
    scr_send(s, "192.168.122.9/24");
    scr_key(s, "C-s");
    SCR_CHECK(s, scr_wait_text(s, "overlaps network 'default'", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "net-new on", T_WAIT) == 0, "the form stays open");
    scr_key(s, "C-u");
    scr_send(s, "192.168.60.1/24");
    scr_key(s, "Tab");
    scr_send(s, "192.168.60.2-192.168.60.50");
    scr_key(s, "C-s");
    SCR_CHECK(s, scr_wait_text(s, "Network 'lab6' defined and started", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_gone(s, "net-new on", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "  lab6 ", T_WAIT) == 0);
    vm_settle(s);
    SCR_CHECK(s, vm_row_has(s, vm_row_of(s, "  lab6 "), "virbr1"));
    SCR_CHECK(s, vm_row_has(s, vm_row_of(s, "  lab6 "), "192.168.60.1/24"));

    /* every kind net-new makes is XML libvirt accepts (validated) */
    {
        static const char *kinds[][2] = {
            { "k-route", "--mode route --ipv4 10.61.0.1/24" },
            { "k-open", "--mode open --ipv4 10.62.0.1/24" },
            { "k-iso", "--mode isolated --ipv4 10.63.0.1/24 --ipv6 fd00:63::1/64" },
            { "k-br", "--mode bridge --bridge br0" },
        };
        char cmd[256], want[128];

        for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
            snprintf(cmd, sizeof(cmd), "net-new --name %s %s --no-start", kinds[i][0],
                     kinds[i][1]);
            vm_command(s, cmd);
            snprintf(want, sizeof(want), "Network '%s' defined", kinds[i][0]);
            SCR_CHECK(s, scr_wait_text(s, want, T_WAIT) == 0, "kind %zu", i);
        }
        vm_settle(s);
        SCR_CHECK(s, vm_row_has(s, vm_row_of(s, "  k-route "), "route"));
        SCR_CHECK(s, vm_row_has(s, vm_row_of(s, "  k-iso "), "isolated"));
        SCR_CHECK(s, vm_row_has(s, vm_row_of(s, "  k-br "), "bridge"));
        SCR_CHECK(s, vm_row_has(s, vm_row_of(s, "  k-open "), "inactive"));
    }

    /* back to the domains */
    scr_key(s, "1");
    SCR_CHECK(s, scr_wait_text(s, "[1:domains]", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "  alpha ", T_WAIT) == 0);
    scr_free(s);
    vm_editor_done(&ed);
    return 0;
}
