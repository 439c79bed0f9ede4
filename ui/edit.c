/* edit.c: "edit" — the domain's XML in $VISUAL/$EDITOR (default vi).
 *
 * The XML goes to a private 0600 temp file; curses steps aside while the
 * editor runs, and the loop keeps serving libvirt (keepalives, events) in
 * the meantime; SIGCHLD brings us back. An unchanged file ends quietly.
 * Text that is not well-formed, or that libvirt refuses, is never lost:
 * the error is shown and the user may edit the same text again; saying no
 * leaves the domain untouched and tells where the text is kept. The
 * editor is run with execvp, never through a shell. */
#include <autoconf.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "action.h"
#include "log.h"
#include "model.h"
#include "ui.h"
#include "xml.h"

static struct {
    bool busy;
    enum act_target kind;
    int host;
    char uuid[UUID_LEN];
    char *name;
    char *path;
    char *original;
    pid_t pid;
} E;

static void
finish(void)
{
    free(E.name);
    free(E.path);
    free(E.original);
    E.name = E.path = E.original = NULL;
    E.busy = false;
    E.pid = 0;
}

static char *
slurp(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    char *buf = NULL;
    size_t len = 0, cap = 0;
    ssize_t n;

    if (fd < 0)
        return NULL;
    do {
        if (len + 4096 > cap) {
            cap = cap ? cap * 2 : 8192;
            buf = xrealloc(buf, cap + 1);
        }
        n = read(fd, buf + len, cap - len);
        if (n > 0)
            len += (size_t)n;
    } while (n > 0 || (n < 0 && errno == EINTR));
    close(fd);
    if (!buf)
        buf = xmalloc(1);
    buf[len] = '\0';
    return buf;
}

static void
launch(void)
{
    const char *ed = getenv("VISUAL");
    char **argv;
    int n;

    if (!ed || !*ed)
        ed = getenv("EDITOR");
    if (!ed || !*ed)
        ed = "vi";
    if (!(argv = util_split_words(ed, &n, NULL)) || n == 0) {
        util_strv_free(argv);
        log_msg(LOG_ERROR, "Cannot run the editor '%s'; your text is kept in %s",
                ed, E.path);
        finish();
        return;
    }
    argv = xreallocarray(argv, (size_t)n + 2, sizeof(*argv));
    argv[n] = xstrdup(E.path);
    argv[n + 1] = NULL;
    ui_suspend();
    E.pid = fork();
    if (E.pid == 0) {
        signal(SIGCHLD, SIG_DFL);
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        signal(SIGWINCH, SIG_DFL);
        execvp(argv[0], argv);
        fprintf(stderr, "virtmux: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    util_strv_free(argv);
    if (E.pid < 0) {
        ui_resume();
        log_msg(LOG_ERROR, "Cannot start the editor: %s; your text is kept in %s",
                strerror(errno), E.path);
        finish();
    }
}

static void
again(bool ok, void *opaque)
{
    if (ok) {
        launch();
        return;
    }
    log_msg(LOG_WARN, "Edit of '%s' abandoned: the %s is unchanged; "
            "your text is kept in %s", E.name, act_target_word(E.kind), E.path);
    finish();
}

/* error: the sentence, already logged */
static void
ask_again(const char *error)
{
    prompt_confirm("Edit again (your text is kept)? [y/N]", NULL, again, NULL);
    prompt_detail(error);
}

static void
defined(const char *error, const char *name, void *opaque)
{
    if (error) {
        ask_again(error);
        return;
    }
    {
        const struct m_net *n = E.kind == TARGET_NETWORK ? model_net_get(E.host, E.uuid) : NULL;
        const struct m_pool *p = E.kind == TARGET_POOL ? model_pool_get(E.host, E.uuid) : NULL;

        log_msg(LOG_INFO, "%s '%s' XML configuration edited%s", act_target_title(E.kind), name,
                n && n->active ? " (the running network changes when it is restarted)" :
                p && p->active ? " (the running pool changes when it is restarted)" : "");
    }
    unlink(E.path);
    action_reread(E.kind, E.host, E.uuid);
    finish();
}

void
edit_child_exited(void)
{
    int status;
    pid_t r;
    AUTOFREE char *text = NULL;
    AUTOFREE char *path = NULL;
    AUTOFREE char *line = NULL;
    xmlDocPtr doc;
    struct err e;

    if (!E.busy || E.pid <= 0)
        return;
    r = waitpid(E.pid, &status, WNOHANG);
    if (r != E.pid)
        return;
    E.pid = 0;
    ui_resume();
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
        log_msg(LOG_ERROR, "The editor could not be run (set VISUAL or EDITOR); "
                "%s '%s' is unchanged", act_target_word(E.kind), E.name);
        unlink(E.path);
        finish();
        return;
    }
    if (!(text = slurp(E.path))) {
        log_msg(LOG_ERROR, "Cannot read back %s: %s", E.path, strerror(errno));
        finish();
        return;
    }
    if (STREQ(text, E.original)) {
        log_msg(LOG_INFO, "%s '%s' XML not changed", act_target_title(E.kind), E.name);
        unlink(E.path);
        finish();
        return;
    }
    if (!(doc = xml_parse(text, "edited XML", &e))) {
        log_msg(LOG_ERROR, "%s", e.msg);
        ask_again(e.msg);
        return;
    }
    xmlFreeDoc(doc);
    /* the define row on the edited file: refused, logged (with its virsh
     * line) and re-read like any command; defined() hears how it ended */
    path = util_shell_quote(E.path);
    line = xasprintf("%s --validate %s", action_define_row(E.kind), path);
    action_run_line_then(line, &(struct act_ctx){ .host = E.host }, defined, NULL);
}

void
edit_start(int host, enum act_target kind, const char *uuid, const char *name, const char *xml)
{
    const char *tmp = getenv("TMPDIR");
    size_t len = strlen(xml);
    int fd;

    if (E.busy) {
        log_msg(LOG_ERROR, "Another edit is still open (%s)", E.name);
        return;
    }
    E.path = xasprintf("%s/virtmux-edit-XXXXXX.xml", tmp && *tmp ? tmp : "/tmp");
    if ((fd = mkstemps(E.path, 4)) < 0) {
        log_msg(LOG_ERROR, "Cannot create a temporary file for editing '%s': %s",
                name, strerror(errno));
        free(E.path);
        E.path = NULL;
        return;
    }
    fchmod(fd, 0600);
    if (write(fd, xml, len) != (ssize_t)len) {
        log_msg(LOG_ERROR, "Cannot write %s: %s", E.path, strerror(errno));
        close(fd);
        unlink(E.path);
        free(E.path);
        E.path = NULL;
        return;
    }
    close(fd);
    E.busy = true;
    E.kind = kind;
    E.host = host;
    snprintf(E.uuid, sizeof(E.uuid), "%s", uuid);
    E.name = xstrdup(name);
    E.original = xstrdup(xml);
    launch();
}
