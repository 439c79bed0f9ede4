/* A user's config file rebinds a key and has a broken line: the warning
 * names the file and line, the rest applies. A broken theme file warns the
 * same way. In a non-UTF-8 locale borders and glyphs fall back to ASCII;
 * NO_COLOR drops colours but keeps the selection visible. */
#include <sys/stat.h>

#include "vmtest.h"

int
main(void)
{
    char a[4096], cfgdir[4200], path[4300], theme[4300], themearg[4400];
    char *args1[] = { "-c", (char *)vm_fixture_uri(a, sizeof(a), "host-a.xml"), NULL };
    struct scr *s;
    FILE *f;
    int r;

    /* the config goes in the child's XDG_CONFIG_HOME: spawn once to learn it */
    s = vm_start(args1, NULL);
    snprintf(cfgdir, sizeof(cfgdir), "%s/.config/virtmux", scr_home(s));
    mkdir(cfgdir, 0700);
    snprintf(path, sizeof(path), "%s/config", cfgdir);
    f = fopen(path, "w");
    SCR_CHECK(s, f != NULL);
    fprintf(f, "# test config\nbind domains z start\nfrobnicate now\nset stats-interval 0\n"
            "bind nosuch x start\n");
    fclose(f);
    snprintf(theme, sizeof(theme), "%s/bad.theme", cfgdir);
    f = fopen(theme, "w");
    SCR_CHECK(s, f != NULL);
    fprintf(f, "normal = default, default\nstate.running = chartreuse, default\n");
    fclose(f);
    scr_key(s, "q");
    scr_wait_exit(s, T_WAIT);
    {
        /* same private HOME: pass it explicitly to the next run */
        char home[4300], xdg[4400];
        char *env[] = { home, xdg, "LC_ALL=C", "LANG=C", NULL };
        char *args2[] = { "-c", a, "--theme", themearg, NULL };
        struct scr *t;

        snprintf(home, sizeof(home), "HOME=%s", scr_home(s));
        snprintf(xdg, sizeof(xdg), "XDG_CONFIG_HOME=%s/.config", scr_home(s));
        snprintf(themearg, sizeof(themearg), "%s", theme);
        t = vm_start(args2, env);
        SCR_CHECK(t, scr_wait_text(t, "  bravo ", T_WAIT) == 0);
        scr_key(t, "m");
        SCR_CHECK(t, scr_wait_text(t, "config:3: unknown command 'frobnicate'", T_WAIT) == 0);
        SCR_CHECK(t, scr_wait_text(t, "config:5: unknown key table 'nosuch'", T_WAIT) == 0);
        SCR_CHECK(t, scr_wait_text(t, "bad.theme:2: unknown colour 'chartreuse'", T_WAIT) == 0);
        scr_key(t, "q");
        vm_settle(t);
        /* ASCII fallback: no box drawing, '|' as the separator */
        SCR_CHECK(t, scr_wait_text(t, "| alpha", T_WAIT) == 0 ||
                     scr_wait_text(t, "|", T_WAIT) == 0);
        SCR_CHECK(t, scr_find(t, "\xe2\x94\x82", &r, &r) != 0, "no UTF-8 border in C locale");
        /* the rebound key works */
        SCR_CHECK(t, vm_goto(t, "bravo") == 0);
        scr_key(t, "z");
        SCR_CHECK(t, scr_wait_text(t, "Domain 'bravo' started", T_WAIT) == 0);
        scr_free(t);
    }
    {
        char *env[] = { "NO_COLOR=1", NULL };

        s = vm_start(args1, env);
        SCR_CHECK(s, scr_wait_text(s, "  alpha ", T_WAIT) == 0);
        vm_settle(s);
        r = vm_row_of(s, "  alpha ");
        SCR_CHECK(s, scr_fg(s, r, 30) == -1, "no colour with NO_COLOR");
        SCR_CHECK(s, vm_goto(s, "alpha") == 0, "the selection is visible without colour");
        scr_free(s);
    }
    return 0;
}
