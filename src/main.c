/* main.c: options, start-up order, run, teardown.
 *
 * Order matters: the event implementation is registered before the first
 * connection; the UI starts before the hosts so a slow host never delays
 * the first frame; stderr is pointed at a log file while curses owns the
 * terminal so no library can write behind it. */
#include <autoconf.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libvirt/libvirt.h>

#include "config.h"
#include "consoles.h"
#include "host.h"
#include "job.h"
#include "keymap.h"
#include "log.h"
#include "loop.h"
#include "model.h"
#include "theme.h"
#include "virtevent.h"
#include "ui.h"

static int saved_stderr = -1;

static void
usage(FILE *f)
{
    fprintf(f,
            "Usage: virtmux [OPTION]...\n"
            "A terminal console for libvirt: domains of one or more hosts, their\n"
            "lifecycle, details and XML, driven by keys and virsh-style commands.\n\n"
            "  -c, --connect URI    open this libvirt URI (repeat for several hosts)\n"
            "  -r, --readonly       open connections read-only\n"
            "      --demo           open the bundled demo host (no daemon needed)\n"
            "      --theme NAME     colour theme (default, light, mono, or a file)\n"
            "      --config FILE    read this config file instead of the default\n"
            "      --stats N        sample statistics every N seconds (0: never)\n"
            "  -V, --version        print the version and exit\n"
            "  -h, --help           print this help and exit\n\n"
            "Without -c: $LIBVIRT_DEFAULT_URI, else qemu:///system as root and\n"
            "qemu:///session otherwise. Keys: press ? inside virtmux.\n");
}

/* path when it names a readable file, made canonical (an uninstalled
 * binary's paths hold "..", and the URI shown should not) */
static char *
readable(char *path)
{
    char *real = access(path, R_OK) == 0 ? realpath(path, NULL) : NULL;

    free(path);
    return real;
}

/* A data file: the installed copy, else the source tree's (uninstalled). */
static char *
data_file(const char *rel)
{
    const char *env = getenv("VIRTMUX_DATADIR");
    char *p;

    if (env && *env && (p = readable(xasprintf("%s/%s", env, rel))))
        return p;
    if ((p = readable(xasprintf("%s/%s", PKGDATADIR, rel))))
        return p;
    /* an uninstalled binary: the source tree keeps themes/ at the top and
     * the demo host in data/ */
    if ((p = readable(xasprintf("%s/%s", SRCDATADIR, rel))))
        return p;
    return readable(xasprintf("%s/data/%s", SRCDATADIR, rel));
}

static void
warn_log(const char *msg, void *opaque)
{
    log_msg(LOG_WARN, "%s", msg);
}

static void
load_theme(struct theme *t, const char *name)
{
    char *path = NULL;
    const char *x = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

    theme_defaults(t);
    if (!name)
        name = "default";
    if (strchr(name, '/')) {
        path = xstrdup(name);
    } else {
        AUTOFREE char *rel = xasprintf("themes/%s.theme", name);
        char *user = x && *x ? xasprintf("%s/virtmux/%s", x, rel)
                             : xasprintf("%s/.config/virtmux/%s", home ? home : ".", rel);

        if (access(user, R_OK) == 0)
            path = user;
        else {
            free(user);
            path = data_file(rel);
        }
    }
    if (!path || theme_load(t, path, warn_log, NULL) < 0) {
        if (STRNEQ(name, "default") || path)
            log_msg(LOG_WARN, "Theme '%s' not found%s%s; using the built-in colours",
                    name, path ? " at " : "", path ? path : "");
    }
    free(path);
}

static void
restore_stderr(void)
{
    if (saved_stderr >= 0) {
        dup2(saved_stderr, STDERR_FILENO);
        close(saved_stderr);
        saved_stderr = -1;
    }
}

static void
fatal_restore(void)
{
    ui_end();
    restore_stderr();
}

/* Libraries may still print (libvirt's log warnings); keep it off the
 * screen, in $XDG_CACHE_HOME/virtmux/stderr.log. */
static void
divert_stderr(void)
{
    const char *x = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    AUTOFREE char *dir = x && *x ? xasprintf("%s/virtmux", x)
                                 : xasprintf("%s/.cache/virtmux", home ? home : "/tmp");
    AUTOFREE char *path = xasprintf("%s/stderr.log", dir);
    int fd;

    if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
        AUTOFREE char *parent = xstrndup(dir, (size_t)(strrchr(dir, '/') - dir));

        mkdir(parent, 0700);
        mkdir(dir, 0700);
    }
    fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0)
        fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    saved_stderr = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
    dup2(fd, STDERR_FILENO);
    close(fd);
}

int
main(int argc, char **argv)
{
    static const struct option opts[] = {
        { "connect", required_argument, NULL, 'c' },
        { "readonly", no_argument, NULL, 'r' },
        { "demo", no_argument, NULL, 'D' },
        { "theme", required_argument, NULL, 'T' },
        { "config", required_argument, NULL, 'C' },
        { "stats", required_argument, NULL, 'S' },
        { "version", no_argument, NULL, 'V' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    char **uris = NULL;
    int nuris = 0, c, stats = -1;
    bool readonly = false, demo = false;
    const char *theme_name = NULL, *config_path = NULL;
    AUTOFREE char *default_config = NULL;
    struct theme theme;
    unsigned long ver = 0;

    util_locale_init();
    while ((c = getopt_long(argc, argv, "c:rVh", opts, NULL)) != -1) {
        switch (c) {
        case 'c':
            uris = xreallocarray(uris, (size_t)nuris + 1, sizeof(*uris));
            uris[nuris++] = optarg;
            break;
        case 'r': readonly = true; break;
        case 'D': demo = true; break;
        case 'T': theme_name = optarg; break;
        case 'C': config_path = optarg; break;
        case 'S': {
            char *end;

            stats = (int)strtol(optarg, &end, 10);
            if (*end || stats < 0) {
                fprintf(stderr, "virtmux: --stats takes a number of seconds\n");
                return 2;
            }
            break;
        }
        case 'V':
            virGetVersion(&ver, NULL, NULL);
            printf("virtmux %s (libvirt %lu.%lu.%lu)\n", PACKAGE_VERSION,
                   ver / 1000000, ver / 1000 % 1000, ver % 1000);
            return 0;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "virtmux: unexpected argument '%s'\n", argv[optind]);
        usage(stderr);
        return 2;
    }

    err_silence_libraries();
    loop_init();
    virtevent_register();
    if (virInitialize() < 0) {
        fprintf(stderr, "virtmux: cannot initialise libvirt\n");
        return 1;
    }
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        fprintf(stderr, "virtmux: needs a terminal (stdin and stdout must be a tty)\n");
        return 1;
    }
    if (demo) {
        AUTOFREE char *file = data_file("demo.xml");

        if (!file) {
            fprintf(stderr, "virtmux: the demo host file (demo.xml) is not installed\n");
            return 1;
        }
        uris = xreallocarray(uris, (size_t)nuris + 1, sizeof(*uris));
        uris[nuris++] = xasprintf("test://%s", file);
    }
    if (!nuris) {
        const char *env = getenv("LIBVIRT_DEFAULT_URI");

        uris = xreallocarray(uris, 1, sizeof(*uris));
        uris[nuris++] = (char *)(env && *env ? env :
                                 geteuid() == 0 ? "qemu:///system" : "qemu:///session");
    }
    {
        /* the same URI twice is one host (each connection would list the
         * same domains again) */
        int kept = 0;

        for (int i = 0; i < nuris; i++) {
            bool dup = false;

            for (int k = 0; k < kept && !dup; k++)
                dup = STREQ(uris[k], uris[i]);
            if (dup)
                log_msg(LOG_WARN, "'%s' is given more than once: it is opened once", uris[i]);
            else
                uris[kept++] = uris[i];
        }
        nuris = kept;
    }
    for (int i = 0; i < nuris; i++)
        model_host_add(uris[i], readonly);

    /* the hosts connect while the rest starts up and the terminal is set
     * up: a first frame costs the slower of the two, not their sum */
    divert_stderr();
    for (int i = 0; i < nuris; i++)
        host_start(i);
    config_defaults();
    keymap_init();
    if (!config_path)
        config_path = default_config = config_default_path();
    if (config_load(config_path, warn_log, NULL) < 0 && config_path != default_config)
        log_msg(LOG_WARN, "Cannot read the config file %s: %s", config_path,
                strerror(errno));
    if (stats >= 0)
        cfg.stats_interval = stats;
    load_theme(&theme, theme_name ? theme_name : cfg.theme);

    if (ui_init(&theme) < 0) {
        restore_stderr();
        fprintf(stderr, "virtmux: needs a terminal (stdin and stdout must be a tty)\n");
        return 1;
    }
    fatal_hook = fatal_restore;
    ui_set_details(cfg.details);
    if (log_last())
        ui_status(log_last()->text, (int)log_last()->level);
    host_set_stats_interval(cfg.stats_interval);

    loop_run();

    ui_end();
    restore_stderr();
    /* running transfers stop (a download's partial file is removed) */
    job_shutdown_all(3000);
    host_shutdown_all();
    /* let the workers' last results (stream closes) be freed */
    for (int i = 0; i < 3; i++)
        loop_iterate(0);
    consoles_free_all();
    job_free_all();
    if (demo)
        free(uris[nuris - 1]);
    free(uris);
    model_free();
    keymap_free();
    config_free();
    log_free();
    return 0;
}
