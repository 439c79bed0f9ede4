/* act-template.c: templates. template-mark/unmark set or drop virtmux's
 * element in the domain's <metadata> (namespace DOMCLONE_TEMPLATE_NS), so
 * the mark travels with the definition and other tools leave it alone.
 *
 * deploy --sysprep: after the clones of a template are
 * defined (linked: their disks exist at once), virt-sysprep runs on each,
 * one after the other, as a job (it takes minutes), before any of them is
 * started: new machine ID, SSH host keys, no leftover logs or leases.
 * virt-sysprep is run directly (posix_spawnp with an argument vector, no
 * shell) and only for a host on this machine, where it can reach the
 * disks; a cancel stops the one running (SIGTERM). */
#include <autoconf.h>

#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <libvirt/virterror.h>

#include "act.h"
#include "domclone.h"
#include "job.h"
#include "log.h"

extern char **environ;

struct sysprep {
    int host;
    char *uri;
    char **names;
    size_t n;
    bool start;
};

/* virt-sysprep on PATH, else NULL (caller frees). */
static char *
find_sysprep(void)
{
    const char *path = getenv("PATH");
    AUTOFREE char *copy = xstrdup(path && *path ? path : "/usr/bin:/bin");
    char *save = NULL;

    for (char *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
        char *f = xasprintf("%s/virt-sysprep", dir);

        if (access(f, X_OK) == 0)
            return f;
        free(f);
    }
    return NULL;
}

int
act_sysprep_check(struct act_call *c, virConnectPtr conn)
{
    bool local = act_local_host(conn);
    AUTOFREE char *prog = find_sysprep();

    if (!prog)
        return err_set(&c->r.err, "--sysprep needs virt-sysprep, which is not installed here "
                       "(Debian: apt install guestfs-tools); nothing was made");
    if (!local)
        return err_set(&c->r.err, "--sysprep runs virt-sysprep on this machine, which cannot "
                       "reach a remote host's disks; run it there; nothing was made");
    return 0;
}

static int
body(struct job_run *run, void *opaque, struct err *e)
{
    struct sysprep *s = opaque;
    virConnectPtr conn = NULL;
    int rc = 0;

    job_set_total(run, (long long)s->n);
    for (size_t i = 0; i < s->n && rc == 0; i++) {
        char *argv[] = { "virt-sysprep", "-c", s->uri, "-d", s->names[i], "--quiet", NULL };
        pid_t pid;
        int status = 0, err;

        if ((err = posix_spawnp(&pid, "virt-sysprep", NULL, NULL, argv, environ)) != 0) {
            rc = err_set(e, "Cannot run virt-sysprep: %s", strerror(err));
            break;
        }
        for (;;) {
            struct timespec ts = { 0, 200 * 1000 * 1000 };
            pid_t r = waitpid(pid, &status, WNOHANG);

            if (r == pid || (r < 0 && errno != EINTR))
                break;
            if (job_cancelled(run))
                kill(pid, SIGTERM);
            nanosleep(&ts, NULL);
        }
        if (job_cancelled(run))
            rc = -1;
        else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            rc = err_set(e, "virt-sysprep failed on '%s' (exit %d); the clones are defined "
                         "but not started", s->names[i],
                         WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        job_progress(run, (long long)i + 1);
    }
    if (rc == 0 && s->start && (conn = host_conn_ref(s->host))) {
        for (size_t i = 0; i < s->n; i++) {
            virDomainPtr d = virDomainLookupByName(conn, s->names[i]);

            if (!d || virDomainCreate(d) < 0)
                rc = err_virt(e, "'%s' is sysprepped but failed to start", s->names[i]);
            if (d)
                virDomainFree(d);
        }
        virConnectClose(conn);
    }
    return rc;
}

static void
end(const struct job *j, void *opaque)
{
    struct sysprep *s = opaque;

    host_refresh_all(s->host);
    free(s->uri);
    util_strv_free(s->names);
    free(s);
}

void
act_sysprep_start(int host, char **names, bool start)
{
    struct sysprep *s = xcalloc(1, sizeof(*s));
    AUTOFREE char *title = NULL;
    AUTOFREE char *ok = NULL;
    struct job_spec spec;
    struct err e;

    s->host = host;
    s->uri = xstrdup(model_host_get(host)->uri);
    s->names = names;
    while (names[s->n])
        s->n++;
    s->start = start;
    title = xasprintf("virt-sysprep %s%s (%zu)", names[0], s->n > 1 ? " .." : "", s->n);
    ok = xasprintf("virt-sysprep done on %zu clone%s%s", s->n, s->n == 1 ? "" : "s",
                   start ? ", started" : "");
    spec = (struct job_spec){ .host = host, .title = title, .total = (long long)s->n,
                              .body = body, .opaque = s, .done_text = ok, .end = end };
    if (job_start(0, &spec, &e) < 0)
        log_msg(LOG_ERROR, "%s", e.msg);
}

static int
set_mark(struct act_call *c, virConnectPtr conn, bool on)
{
    virDomainPtr dom = act_domain_lookup(c, conn);
    AUTOFREE char *newname = NULL;
    int rc;

    if (!dom)
        return -1;
    rc = virDomainSetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT,
                              on ? "<template/>" : NULL, on ? "virtmux" : NULL,
                              DOMCLONE_TEMPLATE_NS, VIR_DOMAIN_AFFECT_CONFIG);
    if (rc < 0) {
        err_virt(&c->r.err, "Failed to %s '%s' as a template", on ? "mark" : "unmark", c->name);
        virDomainFree(dom);
        return -1;
    }
    if (on && action_arg(c, "rename") && !strstr(c->name, "-template")) {
        newname = xasprintf("%s-template", c->name);
        if (virDomainRename(dom, newname, 0) < 0) {
            err_virt(&c->r.err, "'%s' is marked as a template but could not be renamed to "
                     "'%s'", c->name, newname);
            virDomainFree(dom);
            return -1;
        }
    }
    c->result = on ? xasprintf("Domain '%s' is a template%s%s%s", c->name,
                               newname ? " (now named '" : "", newname ? newname : "",
                               newname ? "')" : "")
                   : xasprintf("Domain '%s' is no longer a template", c->name);
    virDomainFree(dom);
    return 0;
}

int
act_template_mark(struct act_call *c, virConnectPtr conn)
{
    return set_mark(c, conn, true);
}

int
act_template_unmark(struct act_call *c, virConnectPtr conn)
{
    return set_mark(c, conn, false);
}

static const struct act_arg a_mark[] = {
    { .name = "domain", .type = ARG_DOMAIN, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "domain name" },
    { .name = "rename", .type = ARG_BOOL, .help = "add a -template suffix to its name" },
    { NULL },
};
static const struct act_arg a_unmark[] = {
    { .name = "domain", .type = ARG_DOMAIN, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "domain name" },
    { NULL },
};

const struct action act_template_rows[] = {
    { .name = "template-mark", .target = TARGET_DOMAIN,
      .flags = ACT_MUTATES | ACT_NO_VIRSH | ACT_NEEDS_INACTIVE | ACT_NEEDS_PERSISTENT,
      .args = a_mark, .help = "Mark a domain as a template (starting it then asks first)",
      .run = act_template_mark },
    { .name = "template-unmark", .target = TARGET_DOMAIN,
      .flags = ACT_MUTATES | ACT_NO_VIRSH | ACT_NEEDS_PERSISTENT, .args = a_unmark,
      .help = "Make a template an ordinary domain again", .run = act_template_unmark },
    { .name = NULL },
};
