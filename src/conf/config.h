/* config.h: options from the command line and the config file
 * ($XDG_CONFIG_HOME/virtmux/config or --config FILE). */
#ifndef VIRTMUX_CONFIG_H
#define VIRTMUX_CONFIG_H

#include "util.h"

struct config {
    char *theme;             /* theme name or path */
    int stats_interval;      /* seconds; 0 turns the stats timer off */
    bool details;            /* details pane shown at start */
    char *console_escape;    /* key that leaves a console's input mode */
    int vnc_fps;             /* preview frame-rate cap */
};

extern struct config cfg;

void config_defaults(void);
/* Read a config file: "bind TABLE KEY ACTION...", "unbind TABLE KEY",
 * "set theme NAME", "set stats-interval N", "set details on|off",
 * "set console-escape KEY", "set vnc-fps N".
 * Bad lines are warned about through warn ("FILE:LINE: ...") and skipped.
 * -1 when the file cannot be read. */
int config_load(const char *path, void (*warn)(const char *msg, void *opaque),
                void *opaque);
/* The default config path (caller frees). */
char *config_default_path(void);
void config_free(void);

#endif
