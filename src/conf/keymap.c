/* keymap.c: the default bindings and the lookup the UI does for every key.
 * Defaults are command strings like tmux's, so the config file, the help
 * screen and the keys all speak the action table's language. */
#include <autoconf.h>

#include <stdlib.h>

#include "keymap.h"

static const struct {
    const char *table, *key, *action, *note;
} defaults[] = {
    { "global", "q", "quit", "quit" },
    { "global", "?", "help", "help" },
    { "global", "F1", "help", "help" },
    { "global", ":", ":", "command line" },
    { "global", "/", "/", "filter the list" },
    { "global", "~", "sort", "reverse the sort order" },
    { "global", "m", "messages", "message history" },
    { "global", "E", "events", "what happened on the hosts" },
    { "global", "1", "view domains", "the domains" },
    { "global", "2", "view networks", "the networks" },
    { "global", "3", "view storage", "the storage pools and volumes" },
    { "global", "4", "view snapshots", "the selected domain's snapshots" },
    { "snapshots", "c", "form snapshot-create-as", "take a snapshot (form)" },
    { "snapshots", "r", "snapshot-revert", "revert to it" },
    { "snapshots", "d", "snapshot-delete", "delete it" },
    { "snapshots", "D", "snapshot-delete --children", "delete it with its children" },
    { "snapshots", "x", "snapshot-dumpxml", "show XML" },
    { "snapshots", "e", "form snapshot-edit-description", "edit the description (form)" },
    { "snapshots", "C", "snapshot-current", "make it the current one" },
    { "pools", "s", "pool-start", "start" },
    { "pools", "D", "pool-destroy", "stop (destroy)" },
    { "pools", "b", "pool-build", "build" },
    { "pools", "X", "pool-delete", "delete its storage" },
    { "pools", "U", "pool-undefine", "undefine" },
    { "pools", "a", "pool-autostart", "autostart on" },
    { "pools", "A", "pool-autostart --disable", "autostart off" },
    { "pools", "R", "pool-refresh", "refresh (re-read volumes)" },
    { "pools", "x", "pool-dumpxml", "show XML" },
    { "pools", "e", "pool-edit", "edit XML" },
    { "pools", "N", "form pool-define-as", "new pool (form)" },
    { "pools", "c", "form vol-create-as", "new volume (form)" },
    { "volumes", "d", "vol-delete", "delete" },
    { "volumes", "W", "vol-wipe", "wipe (zeros)" },
    { "volumes", "r", "form vol-resize", "resize (form)" },
    { "volumes", "K", "form vol-clone", "clone / convert (form)" },
    { "volumes", "i", "vol-info", "info and backing chain" },
    { "volumes", "x", "vol-dumpxml", "show XML" },
    { "jobs", "c", "job-cancel", "cancel the job" },
    { "networks", "s", "net-start", "start" },
    { "networks", "D", "net-destroy", "stop (destroy)" },
    { "networks", "U", "net-undefine", "undefine" },
    { "networks", "a", "net-autostart", "autostart on" },
    { "networks", "A", "net-autostart --disable", "autostart off" },
    { "networks", "x", "net-dumpxml", "show XML" },
    { "networks", "e", "net-edit", "edit XML" },
    { "networks", "N", "form net-new", "new network (form)" },
    { "networks", "H", "form net-dhcp-static", "lease to static host" },
    { "domains", "s", "start", "start" },
    { "domains", "S", "shutdown", "shut down (ACPI)" },
    { "domains", "R", "reboot", "reboot" },
    { "domains", "X", "reset", "reset" },
    { "domains", "D", "destroy", "destroy (force off)" },
    { "domains", "p", "suspend", "pause" },
    { "domains", "u", "resume", "resume" },
    { "domains", "M", "managedsave", "managed save" },
    { "domains", "a", "autostart", "autostart on" },
    { "domains", "A", "autostart --disable", "autostart off" },
    { "domains", "n", ":domrename %n ", "rename" },
    { "domains", "U", "undefine", "undefine" },
    { "domains", "c", "console", "the serial console of the domain" },
    { "domains", "v", "vnc", "the screen of the domain (VNC preview)" },
    { "domains", "x", "dumpxml", "show XML" },
    { "domains", "e", "edit", "edit XML" },
    { "domains", "Enter", "details", "details pane" },
    { "domains", "I", "form attach-interface", "add a network interface" },
    { "domains", "V", "form disk-add", "add a disk (new volume)" },
    { "domains", "K", "form clone", "clone (form: full or linked)" },
    { "domains", "T", "template-mark", "mark as a template" },
    { "domains", "P", "form deploy", "deploy clones of a template (form)" },
    { "domains", "C-r", "refresh", "re-read the host" },
    /* a console pane, its keys with virtmux (Enter gives them to the
     * guest until the console escape, C-] by default) */
    { "console", "Enter", "pane-input", "type into the guest" },
    { "console", "i", "pane-input", "type into the guest" },
    { "console", "q", "pane-close", "close the console" },
    { "console", "f", "pane-reattach", "take the console back" },
    { "console", "z", "zoom", "fill the screen, or share it" },
    { "console", "PageUp", "scroll page-up", "scroll back a page" },
    { "console", "C-b", "scroll page-up", "scroll back a page" },
    { "console", "PageDown", "scroll page-down", "scroll forward a page" },
    { "console", "C-f", "scroll page-down", "scroll forward a page" },
    { "console", "Up", "scroll up", "scroll back a line" },
    { "console", "k", "scroll up", "scroll back a line" },
    { "console", "Down", "scroll down", "scroll forward a line" },
    { "console", "j", "scroll down", "scroll forward a line" },
    { "console", "Home", "scroll top", "the oldest line kept" },
    { "console", "g", "scroll top", "the oldest line kept" },
    { "console", "End", "scroll bottom", "live again" },
    { "console", "G", "scroll bottom", "live again" },
    { "console", "/", "search-back", "search back" },
    { "console", "n", "search-next", "search again" },
    /* a VNC preview */
    { "vnc", "Enter", "pane-input", "type into the guest" },
    { "vnc", "i", "pane-input", "type into the guest" },
    { "vnc", "q", "pane-close", "close the preview" },
    { "vnc", "z", "zoom", "fill the screen, or share it" },
    { "vnc", "c", "vnc-ctrl-alt-del", "send Ctrl-Alt-Del" },
    { "vnc", "S", "vnc-screenshot", "save a PNG screenshot" },
    { "vnc", "p", "vnc-password", "type the VNC password" },
    { "vnc", "r", "pane-reattach", "connect again" },
    { "vnc", "Z", "vnc-actual-size", "actual size (a region), or fit" },
    { "vnc", "Left", "vnc-pan left", "actual size: move left" },
    { "vnc", "Right", "vnc-pan right", "actual size: move right" },
    { "vnc", "Up", "vnc-pan up", "actual size: move up" },
    { "vnc", "Down", "vnc-pan down", "actual size: move down" },
    { "vnc", "h", "vnc-pan left", "actual size: move left" },
    { "vnc", "l", "vnc-pan right", "actual size: move right" },
    { "vnc", "k", "vnc-pan up", "actual size: move up" },
    { "vnc", "j", "vnc-pan down", "actual size: move down" },
};

static const char *const tables[] = { "global", "domains", "networks", "pools", "volumes",
                                      "snapshots", "jobs", "console", "vnc", NULL };

const char *const *
keymap_tables(void)
{
    return tables;
}

bool
keymap_table_known(const char *name)
{
    for (size_t i = 0; name && tables[i]; i++) {
        if (STREQ(tables[i], name))
            return true;
    }
    return false;
}

static struct binding *B;
static size_t nB;

static void
set(const char *table, const char *key, const char *action, const char *note)
{
    for (size_t i = 0; i < nB; i++) {
        if (STREQ(B[i].table, table) && STREQ(B[i].key, key)) {
            free(B[i].action);
            free(B[i].note);
            B[i].action = xstrdup(action);
            B[i].note = xstrdup(note ? note : action);
            return;
        }
    }
    B = xreallocarray(B, nB + 1, sizeof(*B));
    B[nB++] = (struct binding){ xstrdup(table), xstrdup(key), xstrdup(action),
                                xstrdup(note ? note : action) };
}

static void
unset(const char *table, const char *key)
{
    for (size_t i = 0; i < nB; i++) {
        if (STREQ(B[i].table, table) && STREQ(B[i].key, key)) {
            free(B[i].table);
            free(B[i].key);
            free(B[i].action);
            free(B[i].note);
            memmove(&B[i], &B[i + 1], (nB - i - 1) * sizeof(*B));
            nB--;
            return;
        }
    }
}

void
keymap_init(void)
{
    for (size_t i = 0; i < ARRAY_CARDINALITY(defaults); i++)
        set(defaults[i].table, defaults[i].key, defaults[i].action,
            defaults[i].note);
}

void
keymap_bind(const char *table, const char *key, const char *action,
            const char *note)
{
    if (!action || !*action)
        unset(table, key);
    else
        set(table, key, action, note);
}

const char *
keymap_lookup(const char *table, const char *key)
{
    for (size_t i = 0; i < nB; i++) {
        if (STREQ(B[i].table, table) && STREQ(B[i].key, key))
            return B[i].action;
    }
    if (STRNEQ(table, "global"))
        return keymap_lookup("global", key);
    return NULL;
}

const char *
keymap_key_for(const char *table, const char *action)
{
    for (size_t i = 0; i < nB; i++) {
        if (STREQ(B[i].table, table) && STREQ(B[i].action, action))
            return B[i].key;
    }
    return NULL;
}

const struct binding *
keymap_get(size_t i)
{
    return i < nB ? &B[i] : NULL;
}

bool
keymap_valid_key(const char *key)
{
    static const char *named[] = { "Enter", "Tab", "BTab", "Esc", "Space",
                                   "Backspace", "Up", "Down", "Left", "Right",
                                   "PageUp", "PageDown", "Home", "End",
                                   "Insert", "Delete" };

    if (strlen(key) == 1 && key[0] > ' ' && key[0] < 0x7f)
        return true;
    if (STRPREFIX(key, "C-") && strlen(key) == 3)
        return true;
    if (key[0] == 'F' && atoi(key + 1) >= 1 && atoi(key + 1) <= 12)
        return true;
    for (size_t i = 0; i < ARRAY_CARDINALITY(named); i++) {
        if (STREQ(named[i], key))
            return true;
    }
    return false;
}

void
keymap_free(void)
{
    for (size_t i = 0; i < nB; i++) {
        free(B[i].table);
        free(B[i].key);
        free(B[i].action);
        free(B[i].note);
    }
    free(B);
    B = NULL;
    nB = 0;
}
