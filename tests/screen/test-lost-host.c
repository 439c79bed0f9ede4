/* Two hosts, one served by a private libvirtd over RPC. When that daemon
 * dies the host shows as lost with libvirt's reason while the other host
 * keeps working; when it comes back virtmux reconnects by itself. A daemon
 * that hangs (SIGSTOP) does not freeze the keys. Needs root (the daemon
 * drops to an unprivileged user); skips (77) otherwise. */
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "vmtest.h"

static char dir[] = "/tmp/virtmux-rpc-XXXXXX";

static int
rpc(const char *cmd)
{
    char line[4400];

    snprintf(line, sizeof(line), "%s/tests/rpc-host.sh %s %s", vm_srcdir(), cmd, dir);
    /* the test's own fixed command; no user input reaches it */
    return system(line) == 0 ? 0 : -1;
}

static void
cleanup(void)
{
    char line[4400];

    rpc("stop");
    snprintf(line, sizeof(line), "rm -rf %s", dir);
    if (system(line) != 0)
        fprintf(stderr, "cannot remove %s\n", dir);
}

int
main(void)
{
    char a[4096], fixture[4200], uri[8500], line[20000], pidbuf[32];
    char *args[] = { "-c", (char *)vm_fixture_uri(a, sizeof(a), "host-a.xml"), "-c", uri, NULL };
    struct scr *s;
    FILE *f;
    pid_t daemon_pid;

    if (geteuid() != 0) {
        fprintf(stderr, "SKIP: needs root to run a private libvirtd as nobody\n");
        return 77;
    }
    if (!mkdtemp(dir))
        return 1;
    chmod(dir, 0755);
    atexit(cleanup);
    snprintf(fixture, sizeof(fixture), "%s/host-b.xml", dir);
    snprintf(line, sizeof(line), "cp %s/tests/data/host-b.xml %s && chmod 644 %s",
             vm_srcdir(), fixture, fixture);
    if (system(line) != 0 || rpc("start") < 0) {
        fprintf(stderr, "cannot start the private libvirtd\n");
        return 1;
    }
    snprintf(uri, sizeof(uri), "test+unix://%s?socket=%s/run/libvirt/libvirt-sock",
             fixture, dir);

    s = vm_start(args, NULL);
    SCR_CHECK(s, vm_wait_host(s, "host-b.xml", "[connected] 4 domains", T_WAIT) == 0);
    SCR_CHECK(s, vm_wait_host(s, "host-a.xml", "[connected] 7 domains", T_WAIT) == 0);

    /* the daemon goes away: that host is lost, with libvirt's reason */
    rpc("stop");
    SCR_CHECK(s, vm_wait_host(s, "host-b.xml", "[lost", 15000) == 0);
    SCR_CHECK(s, scr_wait_text(s, "retry in", T_WAIT) == 0);
    /* the details of the host row give libvirt's reason */
    SCR_CHECK(s, vm_goto_host(s, "host-b.xml") == 0);
    SCR_CHECK(s, scr_wait_text(s, "Reason", T_WAIT) == 0);
    /* the other host keeps working */
    vm_command(s, "start bravo");
    SCR_CHECK(s, scr_wait_text(s, "Domain 'bravo' started", T_WAIT) == 0);
    /* a command for the lost host says why it cannot run */
    vm_command(s, "start bhost-two");
    SCR_CHECK(s, scr_wait_text(s, "Not connected (lost) to host", T_WAIT) == 0);
    /* it comes back by itself */
    SCR_CHECK(s, rpc("start") == 0);
    SCR_CHECK(s, vm_wait_host(s, "host-b.xml", "[connected] 4 domains", 25000) == 0);
    vm_command(s, "start bhost-two");
    SCR_CHECK(s, scr_wait_text(s, "Domain 'bhost-two' started", T_WAIT) == 0);
    /* the events view has the loss and the return, with their times
     * (#18's events) */
    scr_key(s, "E");
    SCR_CHECK(s, scr_wait_text(s, "event Lost the connection to 'test+unix://", T_WAIT) == 0);
    SCR_CHECK(s, scr_wait_text(s, "event Connected again to 'test+unix://", T_WAIT) == 0);
    scr_key(s, "q");

    /* a hung daemon: the keys stay responsive, the other host answers */
    snprintf(line, sizeof(line), "%s/run/libvirt/libvirtd.pid", dir);
    SCR_CHECK(s, (f = fopen(line, "r")) != NULL);
    SCR_CHECK(s, fgets(pidbuf, sizeof(pidbuf), f) != NULL);
    fclose(f);
    daemon_pid = (pid_t)atoi(pidbuf);
    kill(daemon_pid, SIGSTOP);
    vm_command(s, "destroy bhost-one");
    scr_pump(s, 200);
    scr_key(s, "y");
    scr_key(s, "?");
    SCR_CHECK(s, scr_wait_text(s, "Keys (domains)", 2000) == 0, "keys work while a host hangs");
    scr_key(s, "q");
    vm_command(s, "destroy bravo");
    SCR_CHECK(s, scr_wait_text(s, "destroy 'bravo'?", 2000) == 0);
    scr_key(s, "y");
    SCR_CHECK(s, scr_wait_text(s, "Domain 'bravo' destroyed", 3000) == 0,
              "the other host is not held up");
    kill(daemon_pid, SIGCONT);
    SCR_CHECK(s, scr_wait_text(s, "Domain 'bhost-one' destroyed", 15000) == 0);
    scr_free(s);
    return 0;
}
