/* Real networking (the lab's LAB_NET mode: a system libvirtd in private
 * namespaces with dnsmasq): virtmux creates a NAT and an isolated
 * network, attaches an interface on the NAT one to the running guest, the
 * guest gets a lease that the network's details show with the guest's
 * name; then virtmux moves the interface to the isolated network and the
 * guest's own view (its serial log) confirms the new subnet. Everything is
 * undone at the end. Needs LAB_URI, LAB_SERIAL_LOG, LAB_GUEST_MAC. */
#include <stdbool.h>

#include "vmtest.h"

#define LONG_WAIT 60000

static bool
wait_log(struct scr *s, const char *path, const char *needle, int ms)
{
    for (int t = 0; t < ms; t += 200) {
        if (vm_file_has(path, needle))
            return true;
        scr_pump(s, 200);
    }
    return false;
}

int
main(void)
{
    const char *uri = getenv("LAB_URI"), *serial = getenv("LAB_SERIAL_LOG");
    const char *mac = getenv("LAB_GUEST_MAC");
    char *args[] = { "-c", (char *)uri, NULL };
    char cmd[256];
    struct scr *s;
    bool seen = false;

    if (!uri || !serial || !mac) {
        fprintf(stderr, "SKIP: needs the LAB_NET lab (LAB_URI, LAB_SERIAL_LOG, LAB_GUEST_MAC)\n");
        return 77;
    }
    s = vm_start(args, NULL);
    SCR_CHECK(s, scr_wait_text(s, "1/1 host up", LONG_WAIT) == 0);
    vm_settle(s);
    scr_key(s, "2");
    SCR_CHECK(s, scr_wait_text(s, "[2:networks]", T_WAIT) == 0);
    vm_command(s, "net-new --name labnat --bridge labnat0 --ipv4 192.168.66.1/24 "
                  "--dhcp 192.168.66.2-192.168.66.254");
    SCR_CHECK(s, scr_wait_text(s, "Network 'labnat' defined and started", LONG_WAIT) == 0);
    vm_command(s, "net-new --name labiso --mode isolated --bridge labiso0 "
                  "--ipv4 192.168.67.1/24 --dhcp 192.168.67.2-192.168.67.254");
    SCR_CHECK(s, scr_wait_text(s, "Network 'labiso' defined and started", LONG_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "  labiso ", T_WAIT) == 0);

    snprintf(cmd, sizeof(cmd), "attach-interface labguest network labnat --mac %s", mac);
    vm_command(s, cmd);
    SCR_CHECK(s, scr_wait_text(s, "Interface on network 'labnat' attached to 'labguest'",
                               LONG_WAIT) == 0);
    SCR_CHECK(s, wait_log(s, serial, "LAB-NET-LEASE bound eth0 ip=192.168.66.", LONG_WAIT),
              "the guest got a lease on labnat");

    /* the lease, with the guest's name, in labnat's details */
    for (int i = 0; i < 30 && !seen; i++) {
        vm_goto(s, "labiso");
        scr_pump(s, 200);
        vm_goto(s, "labnat");
        seen = scr_wait_text(s, "labguest", 1500) == 0 && scr_wait_text(s, "192.168.66.", 300) == 0;
    }
    SCR_CHECK(s, seen, "labnat's leases show the guest");
    /* from the lease, a static host entry (H: the form filled from it) */
    scr_key(s, "H");
    SCR_CHECK(s, scr_wait_text(s, "net-dhcp-static on", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, mac, T_WAIT) == 0, "the form has the lease's MAC");
    scr_key(s, "C-s");
    SCR_CHECK(s, scr_wait_text(s, "Network 'labnat' gives 192.168.66.", LONG_WAIT) == 0);
    vm_command(s, "net-dumpxml labnat");
    SCR_CHECK(s, scr_wait_text(s, "<host mac=", T_WAIT) == 0);
    scr_key(s, "q");

    /* the guest's address in its own details (from the lease) */
    scr_key(s, "1");
    SCR_CHECK(s, vm_goto(s, "labguest") == 0);
    SCR_CHECK(s, scr_wait_text(s, "192.168.66.", T_WAIT) == 0, "the domain shows its address");

    /* move it: live and persistent, the link bounced; the guest says so */
    snprintf(cmd, sizeof(cmd), "iface-move labguest %s labiso", mac);
    vm_command(s, cmd);
    SCR_CHECK(s, scr_wait_text(s, "moved to network 'labiso'", LONG_WAIT) == 0);
    SCR_CHECK(s, wait_log(s, serial, "LAB-NET-LEASE bound eth0 ip=192.168.67.", LONG_WAIT),
              "the guest moved to the isolated subnet");
    /* the details still shown follow the new lease by themselves, without
     * moving the selection (#18 bug 19) */
    SCR_CHECK(s, scr_wait_text(s, "192.168.67.", LONG_WAIT) == 0,
              "the details show the new address");
    scr_key(s, "2");
    SCR_CHECK(s, scr_wait_text(s, "[2:networks]", T_WAIT) == 0);

    /* undo */
    snprintf(cmd, sizeof(cmd), "detach-interface labguest network --mac %s", mac);
    vm_command(s, cmd);
    SCR_CHECK(s, scr_wait_text(s, "detach-interface 'labguest'?", T_WAIT) == 0);
    scr_key(s, "y");
    SCR_CHECK(s, scr_wait_text(s, "Interface detached from 'labguest'", LONG_WAIT) == 0);
    /* a change made outside virtmux shows up by itself (network events) */
    snprintf(cmd, sizeof(cmd), "virsh -q -c '%s' net-destroy labiso >/dev/null 2>&1", uri);
    SCR_CHECK(s, system(cmd) == 0);
    for (int i = 0; i < 50 && !vm_row_has(s, vm_row_of(s, "  labiso "), "inactive"); i++)
        scr_pump(s, 100);
    SCR_CHECK(s, vm_row_has(s, vm_row_of(s, "  labiso "), "inactive"),
              "virtmux saw another client stop labiso");
    for (int i = 0; i < 2; i++) {
        const char *net = i ? "labiso" : "labnat";

        if (!i) {
            snprintf(cmd, sizeof(cmd), "net-destroy %s", net);
            vm_command(s, cmd);
            SCR_CHECK(s, scr_wait_text(s, "[y/N]", T_WAIT) == 0);
            scr_key(s, "y");
            snprintf(cmd, sizeof(cmd), "Network '%s' destroyed", net);
            SCR_CHECK(s, scr_wait_text(s, cmd, LONG_WAIT) == 0);
        }
        snprintf(cmd, sizeof(cmd), "net-undefine %s", net);
        vm_command(s, cmd);
        SCR_CHECK(s, scr_wait_text(s, "Type the network's name", T_WAIT) == 0);
        scr_send(s, net);
        scr_key(s, "Enter");
        snprintf(cmd, sizeof(cmd), "Network '%s' has been undefined", net);
        SCR_CHECK(s, scr_wait_text(s, cmd, LONG_WAIT) == 0);
    }
    scr_free(s);
    return 0;
}
