/* act-domain.c: the domain lifecycle rows of the action table and their
 * handlers. Handlers run on the host worker, look the domain up by UUID,
 * make one libvirt call and say what happened in virsh's words. The
 * dispatcher already checked the target, its state and read-only. */
#include <autoconf.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libvirt/virterror.h>

#include "act.h"
#include "xml.h"

virDomainPtr
act_domain_lookup(struct act_call *c, virConnectPtr conn)
{
    virDomainPtr dom = virDomainLookupByUUIDString(conn, c->uuid);

    if (!dom)
        err_virt(&c->r.err, "Failed to find domain '%s'", c->name);
    return dom;
}

/* One libvirt call on the target domain, reported in virsh's words:
 * "Domain 'x' <ok>" or "Failed to <verb> domain 'x': <libvirt's reason>". */
static int
domain_call_on(struct act_call *c, virDomainPtr dom,
               int (*call)(virDomainPtr dom, struct act_call *c),
               const char *verb, const char *ok)
{
    if (call(dom, c) < 0)
        return err_virt(&c->r.err, "Failed to %s domain '%s'", verb, c->name);
    c->result = xasprintf("Domain '%s' %s", c->name, ok);
    return 0;
}

static int
domain_call(struct act_call *c, virConnectPtr conn,
            int (*call)(virDomainPtr dom, struct act_call *c),
            const char *verb, const char *ok)
{
    virDomainPtr dom = act_domain_lookup(c, conn);
    int rc;

    if (!dom)
        return -1;
    rc = domain_call_on(c, dom, call, verb, ok);
    virDomainFree(dom);
    return rc;
}

static int
do_start(virDomainPtr dom, struct act_call *c)
{
    unsigned int flags = 0;

    if (action_arg(c, "paused"))
        flags |= VIR_DOMAIN_START_PAUSED;
    if (action_arg(c, "force-boot"))
        flags |= VIR_DOMAIN_START_FORCE_BOOT;
    return virDomainCreateWithFlags(dom, flags);
}

static int
do_shutdown(virDomainPtr dom, struct act_call *c)
{
    return virDomainShutdown(dom);
}

static int
do_reboot(virDomainPtr dom, struct act_call *c)
{
    return virDomainReboot(dom, 0);
}

static int
do_reset(virDomainPtr dom, struct act_call *c)
{
    return virDomainReset(dom, 0);
}

static int
do_destroy(virDomainPtr dom, struct act_call *c)
{
    return virDomainDestroyFlags(dom, action_arg(c, "graceful") ?
                                 VIR_DOMAIN_DESTROY_GRACEFUL : 0);
}

static int
do_suspend(virDomainPtr dom, struct act_call *c)
{
    return virDomainSuspend(dom);
}

static int
do_resume(virDomainPtr dom, struct act_call *c)
{
    return virDomainResume(dom);
}

static int
do_managedsave(virDomainPtr dom, struct act_call *c)
{
    unsigned int flags = 0;

    if (action_arg(c, "running"))
        flags |= VIR_DOMAIN_SAVE_RUNNING;
    if (action_arg(c, "paused"))
        flags |= VIR_DOMAIN_SAVE_PAUSED;
    return virDomainManagedSave(dom, flags);
}

static int
do_managedsave_remove(virDomainPtr dom, struct act_call *c)
{
    return virDomainManagedSaveRemove(dom, 0);
}

static int
do_autostart(virDomainPtr dom, struct act_call *c)
{
    return virDomainSetAutostart(dom, action_arg(c, "disable") ? 0 : 1);
}

static int
do_undefine(virDomainPtr dom, struct act_call *c)
{
    unsigned int flags = 0;

    if (action_arg(c, "managed-save"))
        flags |= VIR_DOMAIN_UNDEFINE_MANAGED_SAVE;
    if (action_arg(c, "snapshots-metadata"))
        flags |= VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA;
    if (action_arg(c, "checkpoints-metadata"))
        flags |= VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA;
    if (action_arg(c, "nvram"))
        flags |= VIR_DOMAIN_UNDEFINE_NVRAM;
    if (action_arg(c, "keep-nvram"))
        flags |= VIR_DOMAIN_UNDEFINE_KEEP_NVRAM;
    return virDomainUndefineFlags(dom, flags);
}

/* Linked clones depend on a base's disks staying as they are: booting
 * the base writes to them and corrupts every clone. */
static int
refuse_base(struct act_call *c, virConnectPtr conn, virDomainPtr dom)
{
    char *xml = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE);
    struct dom_details *dd = xml ? domxml_parse(xml, NULL) : NULL;
    int rc = 0;

    for (size_t i = 0; dd && i < dd->ndisks && rc == 0; i++) {
        AUTOFREE char *deps = dd->disks[i].readonly ? NULL
                              : act_dependents_of(conn, dd->disks[i].source);

        if (deps)
            rc = err_set(&c->r.err, "The disk %s of '%s' is the base of %s: booting it would "
                         "corrupt those linked clones (start --insist if you mean it)",
                         dd->disks[i].target, c->name, deps);
    }
    domxml_free(dd);
    free(xml);
    virResetLastError();
    return rc;
}

static int
act_start(struct act_call *c, virConnectPtr conn)
{
    virDomainPtr dom = act_domain_lookup(c, conn);
    int rc;

    if (!dom)
        return -1;
    rc = action_arg(c, "insist") ? 0 : refuse_base(c, conn, dom);
    c->state_after = action_arg(c, "paused") ? VIR_DOMAIN_PAUSED : VIR_DOMAIN_RUNNING;
    if (rc == 0)
        rc = domain_call_on(c, dom, do_start, "start", "started");
    virDomainFree(dom);
    return rc;
}

static int
act_shutdown(struct act_call *c, virConnectPtr conn)
{
    return domain_call(c, conn, do_shutdown, "shut down",
                       "is being shutdown");
}

static int
act_reboot(struct act_call *c, virConnectPtr conn)
{
    return domain_call(c, conn, do_reboot, "reboot",
                       "is being rebooted");
}

static int
act_reset(struct act_call *c, virConnectPtr conn)
{
    return domain_call(c, conn, do_reset, "reset", "was reset");
}

static int
act_destroy(struct act_call *c, virConnectPtr conn)
{
    c->state_after = VIR_DOMAIN_SHUTOFF;
    return domain_call(c, conn, do_destroy, "destroy", "destroyed");
}

static int
act_suspend(struct act_call *c, virConnectPtr conn)
{
    c->state_after = VIR_DOMAIN_PAUSED;
    return domain_call(c, conn, do_suspend, "suspend", "suspended");
}

static int
act_resume(struct act_call *c, virConnectPtr conn)
{
    c->state_after = VIR_DOMAIN_RUNNING;
    return domain_call(c, conn, do_resume, "resume", "resumed");
}

static int
act_managedsave(struct act_call *c, virConnectPtr conn)
{
    c->state_after = VIR_DOMAIN_SHUTOFF;
    return domain_call(c, conn, do_managedsave, "save",
                       "state saved by libvirt");
}

static int
act_managedsave_remove(struct act_call *c, virConnectPtr conn)
{
    return domain_call(c, conn, do_managedsave_remove,
                       "remove the managed save image of",
                       "managed save image removed");
}

static int
act_autostart(struct act_call *c, virConnectPtr conn)
{
    bool off = action_arg(c, "disable") != NULL;

    return domain_call(c, conn, do_autostart,
                       off ? "unmark autostart of" : "mark autostart of",
                       off ? "unmarked as autostarted"
                           : "marked as autostarted");
}

static int
act_undefine(struct act_call *c, virConnectPtr conn)
{
    bool all = action_arg(c, "remove-all-storage") != NULL;
    const char *list = action_arg(c, "storage");
    char **paths = NULL;
    int rc;

    if ((all || list) && !(paths = act_disk_volumes(c, conn, all, list)))
        return -1;
    rc = domain_call(c, conn, do_undefine, "undefine", "has been undefined");
    if (rc == 0 && paths)
        act_delete_volumes(c, conn, paths);
    util_strv_free(paths);
    return rc;
}

static int
act_domrename(struct act_call *c, virConnectPtr conn)
{
    const char *to = action_arg(c, "new-name");
    virDomainPtr dom = act_domain_lookup(c, conn);

    if (!dom)
        return -1;
    if (virDomainRename(dom, to, 0) < 0) {
        virDomainFree(dom);
        return err_virt(&c->r.err, "Failed to rename domain '%s' to '%s'",
                        c->name, to);
    }
    c->result = xasprintf("Domain '%s' renamed to '%s'", c->name, to);
    virDomainFree(dom);
    return 0;
}

static int
get_xml(struct act_call *c, virConnectPtr conn, unsigned int flags)
{
    virDomainPtr dom = act_domain_lookup(c, conn);

    if (!dom)
        return -1;
    c->output = virDomainGetXMLDesc(dom, flags);
    virDomainFree(dom);
    if (!c->output)
        return err_virt(&c->r.err, "Failed to get the XML of domain '%s'",
                        c->name);
    return 0;
}

static int
act_dumpxml(struct act_call *c, virConnectPtr conn)
{
    unsigned int flags = 0;

    if (action_arg(c, "inactive"))
        flags |= VIR_DOMAIN_XML_INACTIVE;
    if (action_arg(c, "security-info"))
        flags |= VIR_DOMAIN_XML_SECURE;
    return get_xml(c, conn, flags);
}

static int
act_edit(struct act_call *c, virConnectPtr conn)
{
    return get_xml(c, conn, VIR_DOMAIN_XML_INACTIVE | VIR_DOMAIN_XML_SECURE);
}

static const struct act_arg a_dom[] = {
    { .name = "domain", .type = ARG_DOMAIN, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "domain name" },
    { NULL },
};
static const struct act_arg a_start[] = {
    { .name = "domain", .type = ARG_DOMAIN, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "domain name" },
    { .name = "paused", .type = ARG_BOOL, .help = "leave the guest paused" },
    { .name = "force-boot", .type = ARG_BOOL, .help = "discard any managed save image" },
    { .name = "insist", .type = ARG_BOOL, .flags = ARG_VIRTMUX | ARG_CHECK_ONLY,
      .help = "start even though linked clones depend on its disks" },
    { NULL },
};
static const struct act_arg a_destroy[] = {
    { .name = "domain", .type = ARG_DOMAIN, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "domain name" },
    { .name = "graceful", .type = ARG_BOOL, .help = "terminate gracefully only" },
    { NULL },
};
static const struct act_arg a_managedsave[] = {
    { .name = "domain", .type = ARG_DOMAIN, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "domain name" },
    { .name = "running", .type = ARG_BOOL, .help = "start running on restore" },
    { .name = "paused", .type = ARG_BOOL, .help = "start paused on restore" },
    { NULL },
};
static const struct act_arg a_autostart[] = {
    { .name = "domain", .type = ARG_DOMAIN, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "domain name" },
    { .name = "disable", .type = ARG_BOOL, .help = "disable autostarting" },
    { NULL },
};
static const struct act_arg a_rename[] = {
    { .name = "domain", .type = ARG_DOMAIN, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "domain name" },
    { .name = "new-name", .type = ARG_STRING, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "the new name" },
    { NULL },
};
static const struct act_arg a_undefine[] = {
    { .name = "domain", .type = ARG_DOMAIN, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "domain name" },
    { .name = "managed-save", .type = ARG_BOOL, .help = "remove the managed save image too" },
    { .name = "snapshots-metadata", .type = ARG_BOOL, .help = "remove snapshot metadata too" },
    { .name = "checkpoints-metadata", .type = ARG_BOOL,
      .help = "remove checkpoint metadata too" },
    { .name = "nvram", .type = ARG_BOOL, .help = "remove the NVRAM file too" },
    { .name = "keep-nvram", .type = ARG_BOOL, .help = "keep the NVRAM file" },
    { .name = "remove-all-storage", .type = ARG_BOOL,
      .help = "delete its disks' volumes too (not shared ones)" },
    { .name = "storage", .type = ARG_STRING,
      .help = "delete these disks' volumes too: targets or paths, " "comma-separated" },
    { NULL },
};
static const struct act_arg a_dumpxml[] = {
    { .name = "domain", .type = ARG_DOMAIN, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "domain name" },
    { .name = "inactive", .type = ARG_BOOL, .help = "show the persistent definition" },
    { .name = "security-info", .type = ARG_BOOL, .help = "include security-sensitive data" },
    { NULL },
};

/* Starting a template spoils it (a sealed guest boots and makes its
 * machine ID, keys, leases): ask first. */
static char *
ask_start(const struct act_call *c)
{
    const struct m_dom *d = model_dom_get(c->host, c->uuid);

    if (!d || d->tmpl != 1)
        return NULL;
    /* short: the prompt line cuts what does not fit, [y/N] included */
    return xasprintf("start '%s'? It is a template: booting spoils it for cloning. [y/N]",
                     c->name);
}

const struct action act_domain_rows[] = {
    { .name = "start", .target = TARGET_DOMAIN,
      .flags = ACT_EVENT | ACT_MUTATES | ACT_NEEDS_INACTIVE, .args = a_start,
      .help = "Start (boot) a shut-off domain", .run = act_start, .question = ask_start },
    { .name = "shutdown", .target = TARGET_DOMAIN,
      .flags = ACT_MUTATES | ACT_NEEDS_ACTIVE | ACT_AWAIT,
      .args = a_dom, .help = "Ask the guest to shut down (ACPI)", .run = act_shutdown },
    { .name = "reboot", .target = TARGET_DOMAIN, .flags = ACT_MUTATES | ACT_NEEDS_ACTIVE,
      .args = a_dom, .help = "Ask the guest to reboot", .run = act_reboot },
    { .name = "reset", .target = TARGET_DOMAIN,
      .flags = ACT_MUTATES | ACT_DESTRUCTIVE | ACT_NEEDS_ACTIVE, .args = a_dom,
      .help = "Hard reset, like pressing the reset button", .run = act_reset },
    { .name = "destroy", .target = TARGET_DOMAIN,
      .flags = ACT_EVENT | ACT_MUTATES | ACT_DESTRUCTIVE | ACT_NEEDS_ACTIVE, .args = a_destroy,
      .help = "Force the domain off (pull the plug)", .run = act_destroy },
    { .name = "suspend", .target = TARGET_DOMAIN,
      .flags = ACT_EVENT | ACT_MUTATES | ACT_NEEDS_ACTIVE, .args = a_dom,
      .help = "Pause the domain's CPUs", .run = act_suspend },
    { .name = "resume", .target = TARGET_DOMAIN,
      .flags = ACT_EVENT | ACT_MUTATES | ACT_NEEDS_PAUSED, .args = a_dom,
      .help = "Resume a paused domain", .run = act_resume },
    { .name = "managedsave", .target = TARGET_DOMAIN,
      .flags = ACT_EVENT | ACT_MUTATES | ACT_NEEDS_ACTIVE, .args = a_managedsave,
      .help = "Save the domain's state and stop it; start restores it", .run = act_managedsave },
    { .name = "managedsave-remove", .target = TARGET_DOMAIN,
      .flags = ACT_MUTATES | ACT_DESTRUCTIVE | ACT_NEEDS_MANAGEDSAVE, .args = a_dom,
      .help = "Discard the managed save image", .run = act_managedsave_remove },
    { .name = "autostart", .target = TARGET_DOMAIN,
      .flags = ACT_MUTATES | ACT_NEEDS_PERSISTENT, .args = a_autostart,
      .help = "Start the domain when the host boots (--disable: don't)", .run = act_autostart },
    { .name = "domrename", .target = TARGET_DOMAIN, .flags = ACT_MUTATES | ACT_NEEDS_INACTIVE,
      .args = a_rename, .help = "Rename a shut-off domain", .run = act_domrename },
    { .name = "undefine", .target = TARGET_DOMAIN,
      .flags = ACT_MUTATES | ACT_DESTRUCTIVE | ACT_CONFIRM_NAME | ACT_NEEDS_PERSISTENT,
      .args = a_undefine,
      .help = "Remove the domain's definition (disks are kept unless named)",
      .run = act_undefine, .question = act_undefine_question },
    { .name = "dumpxml", .target = TARGET_DOMAIN, .args = a_dumpxml,
      .help = "Show the domain's XML", .run = act_dumpxml, .done = act_show_output },
    { .name = "edit", .target = TARGET_DOMAIN, .flags = ACT_MUTATES, .args = a_dom,
      .help = "Edit the domain's XML in $VISUAL/$EDITOR and define it", .run = act_edit,
      .done = act_open_editor },
    { NULL },
};
