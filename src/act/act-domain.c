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
    return domain_call(c, conn, do_destroy, "destroy", "destroyed");
}

static int
act_suspend(struct act_call *c, virConnectPtr conn)
{
    return domain_call(c, conn, do_suspend, "suspend", "suspended");
}

static int
act_resume(struct act_call *c, virConnectPtr conn)
{
    return domain_call(c, conn, do_resume, "resume", "resumed");
}

static int
act_managedsave(struct act_call *c, virConnectPtr conn)
{
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
    { "domain", ARG_DOMAIN, ARG_REQUIRED | ARG_POSITIONAL, "domain name" },
    { NULL, 0, 0, NULL },
};
static const struct act_arg a_start[] = {
    { "domain", ARG_DOMAIN, ARG_REQUIRED | ARG_POSITIONAL, "domain name" },
    { "paused", ARG_BOOL, 0, "leave the guest paused" },
    { "force-boot", ARG_BOOL, 0, "discard any managed save image" },
    { "insist", ARG_BOOL, ARG_VIRTMUX, "start even though linked clones depend on its disks" },
    { NULL, 0, 0, NULL },
};
static const struct act_arg a_destroy[] = {
    { "domain", ARG_DOMAIN, ARG_REQUIRED | ARG_POSITIONAL, "domain name" },
    { "graceful", ARG_BOOL, 0, "terminate gracefully only" },
    { NULL, 0, 0, NULL },
};
static const struct act_arg a_managedsave[] = {
    { "domain", ARG_DOMAIN, ARG_REQUIRED | ARG_POSITIONAL, "domain name" },
    { "running", ARG_BOOL, 0, "start running on restore" },
    { "paused", ARG_BOOL, 0, "start paused on restore" },
    { NULL, 0, 0, NULL },
};
static const struct act_arg a_autostart[] = {
    { "domain", ARG_DOMAIN, ARG_REQUIRED | ARG_POSITIONAL, "domain name" },
    { "disable", ARG_BOOL, 0, "disable autostarting" },
    { NULL, 0, 0, NULL },
};
static const struct act_arg a_rename[] = {
    { "domain", ARG_DOMAIN, ARG_REQUIRED | ARG_POSITIONAL, "domain name" },
    { "new-name", ARG_STRING, ARG_REQUIRED | ARG_POSITIONAL, "the new name" },
    { NULL, 0, 0, NULL },
};
static const struct act_arg a_undefine[] = {
    { "domain", ARG_DOMAIN, ARG_REQUIRED | ARG_POSITIONAL, "domain name" },
    { "managed-save", ARG_BOOL, 0, "remove the managed save image too" },
    { "snapshots-metadata", ARG_BOOL, 0, "remove snapshot metadata too" },
    { "checkpoints-metadata", ARG_BOOL, 0, "remove checkpoint metadata too" },
    { "nvram", ARG_BOOL, 0, "remove the NVRAM file too" },
    { "keep-nvram", ARG_BOOL, 0, "keep the NVRAM file" },
    { "remove-all-storage", ARG_BOOL, 0, "delete its disks' volumes too (not shared ones)" },
    { "storage", ARG_STRING, 0, "delete these disks' volumes too: targets or paths, "
      "comma-separated" },
    { NULL, 0, 0, NULL },
};
static const struct act_arg a_dumpxml[] = {
    { "domain", ARG_DOMAIN, ARG_REQUIRED | ARG_POSITIONAL, "domain name" },
    { "inactive", ARG_BOOL, 0, "show the persistent definition" },
    { "security-info", ARG_BOOL, 0, "include security-sensitive data" },
    { NULL, 0, 0, NULL },
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
    { "start", TARGET_DOMAIN, ACT_EVENT | ACT_MUTATES | ACT_NEEDS_INACTIVE, a_start,
      "Start (boot) a shut-off domain", act_start, NULL, ask_start },
    { "shutdown", TARGET_DOMAIN, ACT_MUTATES | ACT_NEEDS_ACTIVE, a_dom,
      "Ask the guest to shut down (ACPI)", act_shutdown, NULL },
    { "reboot", TARGET_DOMAIN, ACT_MUTATES | ACT_NEEDS_ACTIVE, a_dom,
      "Ask the guest to reboot", act_reboot, NULL },
    { "reset", TARGET_DOMAIN, ACT_MUTATES | ACT_DESTRUCTIVE | ACT_NEEDS_ACTIVE,
      a_dom, "Hard reset, like pressing the reset button", act_reset, NULL },
    { "destroy", TARGET_DOMAIN, ACT_EVENT | ACT_MUTATES | ACT_DESTRUCTIVE | ACT_NEEDS_ACTIVE,
      a_destroy, "Force the domain off (pull the plug)", act_destroy, NULL },
    { "suspend", TARGET_DOMAIN, ACT_EVENT | ACT_MUTATES | ACT_NEEDS_ACTIVE, a_dom,
      "Pause the domain's CPUs", act_suspend, NULL },
    { "resume", TARGET_DOMAIN, ACT_EVENT | ACT_MUTATES | ACT_NEEDS_PAUSED, a_dom,
      "Resume a paused domain", act_resume, NULL },
    { "managedsave", TARGET_DOMAIN, ACT_EVENT | ACT_MUTATES | ACT_NEEDS_ACTIVE,
      a_managedsave, "Save the domain's state and stop it; start restores it",
      act_managedsave, NULL },
    { "managedsave-remove", TARGET_DOMAIN,
      ACT_MUTATES | ACT_DESTRUCTIVE | ACT_NEEDS_MANAGEDSAVE, a_dom,
      "Discard the managed save image", act_managedsave_remove, NULL },
    { "autostart", TARGET_DOMAIN, ACT_MUTATES | ACT_NEEDS_PERSISTENT,
      a_autostart, "Start the domain when the host boots (--disable: don't)",
      act_autostart, NULL },
    { "domrename", TARGET_DOMAIN, ACT_MUTATES | ACT_NEEDS_INACTIVE, a_rename,
      "Rename a shut-off domain", act_domrename, NULL },
    { "undefine", TARGET_DOMAIN,
      ACT_MUTATES | ACT_DESTRUCTIVE | ACT_CONFIRM_NAME | ACT_NEEDS_PERSISTENT,
      a_undefine, "Remove the domain's definition (disks are kept unless named)",
      act_undefine, NULL, act_undefine_question },
    { "dumpxml", TARGET_DOMAIN, 0, a_dumpxml, "Show the domain's XML",
      act_dumpxml, act_show_output },
    { "edit", TARGET_DOMAIN, ACT_MUTATES, a_dom,
      "Edit the domain's XML in $VISUAL/$EDITOR and define it",
      act_edit, act_open_editor },
    { NULL, 0, 0, NULL, NULL, NULL, NULL },
};
