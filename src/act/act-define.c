/* act-define.c: defining XML a user edited (a domain's, a network's, a
 * pool's) on the host's worker, with libvirt's schema validation; the
 * editor (ui/edit.c) hears back on the loop with the error or the name. */
#include <autoconf.h>

#include <stdio.h>
#include <stdlib.h>
#include <libvirt/virterror.h>

#include "act.h"

struct define_req {
    struct req r;
    enum act_target kind;
    char *xml;
    char *what;
    char *name;
    void (*cb)(const char *error, const char *name, void *opaque);
    void *opaque;
};

static int
define_work(struct req *r, virConnectPtr conn)
{
    struct define_req *dr = (struct define_req *)r;
    virDomainPtr dom;
    virNetworkPtr net;
    virStoragePoolPtr pool;

    if (dr->kind == TARGET_POOL) {
        if (!(pool = virStoragePoolDefineXML(conn, dr->xml, VIR_STORAGE_POOL_DEFINE_VALIDATE)))
            return err_virt(&r->err, "Failed to define %s", dr->what);
        dr->name = xstrdup(virStoragePoolGetName(pool));
        virStoragePoolFree(pool);
        return 0;
    }
    if (dr->kind == TARGET_NETWORK) {
        if (!(net = virNetworkDefineXMLFlags(conn, dr->xml, VIR_NETWORK_DEFINE_VALIDATE)))
            return err_virt(&r->err, "Failed to define %s", dr->what);
        dr->name = xstrdup(virNetworkGetName(net));
        virNetworkFree(net);
        return 0;
    }
    if (!(dom = virDomainDefineXMLFlags(conn, dr->xml, VIR_DOMAIN_DEFINE_VALIDATE)))
        return err_virt(&r->err, "Failed to define %s", dr->what);
    dr->name = xstrdup(virDomainGetName(dom));
    virDomainFree(dom);
    return 0;
}

static void
define_done(struct req *r)
{
    struct define_req *dr = (struct define_req *)r;

    dr->cb(r->rc < 0 ? r->err.msg : NULL, dr->name, dr->opaque);
    free(dr->xml);
    free(dr->what);
    free(dr->name);
    free(dr);
}

void
action_define_xml(int host, enum act_target kind, const char *xml, const char *what,
                  void (*cb)(const char *error, const char *name, void *opaque),
                  void *opaque)
{
    struct define_req *dr = xcalloc(1, sizeof(*dr));

    dr->r = (struct req){ .what = "define", .host = host,
                          .work = define_work, .done = define_done };
    dr->kind = kind;
    dr->xml = xstrdup(xml);
    dr->what = xstrdup(what);
    dr->cb = cb;
    dr->opaque = opaque;
    host_submit(&dr->r);
}

