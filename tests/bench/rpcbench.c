/* rpcbench: how many RPCs virtmux's own code makes for one user action
 * through a daemon, counted from libvirt's client-side log (one
 * RPC_CLIENT_MSG_TX_QUEUE line with type=0 per call).
 *
 *   rpcbench URI LOG storage|closed DOMAIN...
 *
 * LIBVIRT_LOG_FILTERS=1:rpc.netclient and LIBVIRT_LOG_OUTPUTS=1:file:LOG
 * must be set by the caller (tests/bench/run.sh), before libvirt starts.
 * Connects to URI with the real host worker and model, waits until the
 * first reads are done, then runs ':start DOMAIN' (a shut-off domain) for
 * each DOMAIN in turn and counts the calls until the host is quiet again
 * (the action, its lifecycle event and every re-read they cause). With
 * "storage" the storage view's interest is declared first (its volume
 * reads count then). Prints, for each, "start: N RPCs (procedures ...)":
 * the first start reads what the base check needs of the volumes, the
 * next ones only what changed since. */
#include <autoconf.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libvirt/libvirt.h>

#include "action.h"
#include "host.h"
#include "log.h"
#include "loop.h"
#include "model.h"
#include "virtevent.h"

#include "modelui.h"

#include "bench.h"

#define WAIT_MS 60000

static int host = -1;


static bool
quiet_for(int ms)
{
    double end = bench_now_ms() + WAIT_MS, calm = 0;

    while (bench_now_ms() < end) {
        loop_iterate(20);
        if (host_pending(host) == 0) {
            if (!calm)
                calm = bench_now_ms();
            if (bench_now_ms() - calm >= ms)
                return true;
        } else {
            calm = 0;
        }
    }
    return false;
}

/* RPC calls in the log from byte offset from on, by procedure number. */
static int
count_calls(const char *path, long from, int *by_proc, int nproc)
{
    FILE *f = fopen(path, "r");
    char line[1024];
    int n = 0;

    if (!f)
        return -1;
    fseek(f, from, SEEK_SET);
    while (fgets(line, sizeof(line), f)) {
        const char *p = strstr(line, "RPC_CLIENT_MSG_TX_QUEUE");
        const char *proc = p ? strstr(p, " proc=") : NULL;
        int k;

        if (!p || !strstr(p, " type=0 ") || !strstr(p, "prog=536903814"))
            continue;
        n++;
        if (proc && (k = atoi(proc + 6)) >= 0 && k < nproc)
            by_proc[k]++;
    }
    fclose(f);
    return n;
}

static long
log_size(const char *path)
{
    FILE *f = fopen(path, "r");
    long n;

    if (!f)
        return 0;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fclose(f);
    return n;
}

/* Start name and print what it cost. */
static int
count_start(const char *name, const char *log, const struct act_ctx *ctx)
{
    static int by_proc[512];
    char line[300];
    long mark = log_size(log);
    int n;

    memset(by_proc, 0, sizeof(by_proc));
    if (!model_dom_by_name(host, name)) {
        fprintf(stderr, "rpcbench: no domain %s\n", name);
        return -1;
    }
    snprintf(line, sizeof(line), "start %s", name);
    if (action_run_line(line, ctx) < 0) {
        fprintf(stderr, "rpcbench: %s\n", log_last() ? log_last()->text : "refused");
        return -1;
    }
    quiet_for(1500);
    n = count_calls(log, mark, by_proc, 512);
    printf("start: %d RPCs (procedures:", n);
    for (int k = 0; k < 512; k++) {
        if (by_proc[k])
            printf(" %d x%d", k, by_proc[k]);
    }
    printf(")\n");
    return n > 0 ? 0 : -1;
}

int
main(int argc, char **argv)
{
    struct act_ctx ctx = { 0, NULL };
    int rc = 0;

    if (argc < 5) {
        fprintf(stderr, "usage: rpcbench URI LOG storage|closed DOMAIN...\n");
        return 2;
    }
    loop_init();
    virtevent_register();
    U.answer = true;              /* the fake UI of the model tests says yes */
    action_set_ui(&test_ui);
    host = model_host_add(argv[1], false);
    ctx.host = host;
    host_start(host);
    if (!quiet_for(1500) || model_host_get(host)->state != HOST_UP) {
        fprintf(stderr, "rpcbench: cannot connect to %s\n", argv[1]);
        return 1;
    }
    if (!strcmp(argv[3], "storage")) {
        host_load_volumes(host);
        quiet_for(1500);
    }
    for (int i = 4; i < argc && rc == 0; i++)
        rc = count_start(argv[i], argv[2], &ctx);
    host_shutdown_all();
    return rc == 0 ? 0 : 1;
}
