/* floor.c: the reference for virtmux's start-up benchmark -- the least a
 * program can do before it has something to draw: open the URI, list the
 * domains and read their bulk statistics (the groups virtmux asks for).
 *
 *   floor URI            do it once, print the figures, exit
 *   floor --spawn URI    fork+exec "floor URI" and time it from just before
 *                        the fork, as keylat times virtmux from just before
 *                        it spawns it (so exec and dynamic linking count)
 *
 * Output (one line):
 *   floor ms=MAIN_MS exec_ms=EXEC_MS cpu_ms=CPU rss_kib=VMHWM domains=N stats=M
 * MAIN_MS is measured from the start of main(), EXEC_MS from the fork
 * (only with --spawn; otherwise -1), CPU is the process's CPU time (all
 * threads, user+system) up to that point. RSS is VmHWM, read once the stats
 * are in hand, before anything is freed. The figures are taken before
 * teardown: closing a large test:/// connection is not start-up cost. */
#include <autoconf.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "bench.h"

#define T0_ENV "VIRTMUX_FLOOR_T0_NS"

static long
vm_hwm_kib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kib = -1;

    if (!f)
        return -1;
    while (fgets(line, sizeof(line), f)) {
        if (strncmp(line, "VmHWM:", 6) == 0) {
            kib = strtol(line + 6, NULL, 10);
            break;
        }
    }
    fclose(f);
    return kib;
}

static void
ignore_errors(void *opaque, virErrorPtr err)
{
    (void)opaque;
    (void)err;
}

static int
spawn_self(const char *self, const char *uri)
{
    char t0[32];
    int64_t start = bench_now_ns();
    pid_t pid;
    int st;

    snprintf(t0, sizeof(t0), "%" PRId64, start);
    pid = fork();
    if (pid < 0) {
        fprintf(stderr, "floor: fork: %s\n", strerror(errno));
        return 1;
    }
    if (pid == 0) {
        setenv(T0_ENV, t0, 1);
        execl(self, self, uri, (char *)NULL);
        fprintf(stderr, "floor: exec %s: %s\n", self, strerror(errno));
        _exit(127);
    }
    while (waitpid(pid, &st, 0) < 0) {
        if (errno != EINTR) {
            fprintf(stderr, "floor: waitpid: %s\n", strerror(errno));
            return 1;
        }
    }
    if (WIFEXITED(st))
        return WEXITSTATUS(st);
    fprintf(stderr, "floor: child killed by signal %d\n", WTERMSIG(st));
    return 1;
}

int
main(int argc, char **argv)
{
    int64_t start = bench_now_ns(), end, t0 = -1;
    const char *uri, *env;
    virConnectPtr conn;
    virDomainPtr *doms = NULL;
    virDomainStatsRecordPtr *recs = NULL;
    int ndoms, nrecs;
    struct timespec cpu;
    long rss;

    if (argc == 3 && strcmp(argv[1], "--spawn") == 0)
        return spawn_self("/proc/self/exe", argv[2]);
    if (argc != 2) {
        fprintf(stderr, "usage: floor [--spawn] URI\n");
        return 2;
    }
    uri = argv[1];
    if ((env = getenv(T0_ENV)) && *env)
        t0 = strtoll(env, NULL, 10);

    virSetErrorFunc(NULL, ignore_errors);
    if (!(conn = virConnectOpen(uri))) {
        virErrorPtr e = virGetLastError();

        fprintf(stderr, "floor: cannot open %s: %s\n", uri,
                e && e->message ? e->message : "unknown error");
        return 1;
    }
    ndoms = virConnectListAllDomains(conn, &doms, 0);
    if (ndoms < 0) {
        fprintf(stderr, "floor: cannot list the domains: %s\n",
                virGetLastErrorMessage());
        return 1;
    }
    nrecs = virConnectGetAllDomainStats(conn,
                                        VIR_DOMAIN_STATS_STATE |
                                        VIR_DOMAIN_STATS_CPU_TOTAL |
                                        VIR_DOMAIN_STATS_BALLOON |
                                        VIR_DOMAIN_STATS_VCPU,
                                        &recs, 0);
    if (nrecs < 0) {
        fprintf(stderr, "floor: cannot read the bulk stats: %s\n",
                virGetLastErrorMessage());
        return 1;
    }
    end = bench_now_ns();
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
    rss = vm_hwm_kib();

    printf("floor ms=%.1f exec_ms=%.1f cpu_ms=%.1f rss_kib=%ld domains=%d stats=%d\n",
           (double)(end - start) / 1e6,
           t0 >= 0 ? (double)(end - t0) / 1e6 : -1.0,
           (double)cpu.tv_sec * 1e3 + (double)cpu.tv_nsec / 1e6, rss, ndoms, nrecs);
    fflush(stdout);

    virDomainStatsRecordListFree(recs);
    for (int i = 0; i < ndoms; i++)
        virDomainFree(doms[i]);
    free(doms);
    virConnectClose(conn);
    return 0;
}
