/* host-template.c: which domains are templates. The mark is an element in
 * virtmux's namespace in the domain's <metadata> (act-clone.c sets it), so
 * it travels with the definition and other tools leave it alone. Read for
 * the persistent shut-off domains after the list (not part of the first
 * frame), and with every re-read of one domain. */
#include <autoconf.h>

#include <stdlib.h>
#include <libvirt/virterror.h>

#include "domclone.h"
#include "host-priv.h"

bool
host_is_template(virDomainPtr dom)
{
    char *m = virDomainGetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT, DOMCLONE_TEMPLATE_NS,
                                   VIR_DOMAIN_AFFECT_CONFIG);

    virResetLastError();
    free(m);
    return m != NULL;
}

struct tmpl_req {
    struct req r;
    char (*uuids)[UUID_LEN];
    bool *is;
    int n;
};

static int
tmpl_work(struct req *r, virConnectPtr conn)
{
    struct tmpl_req *tr = (struct tmpl_req *)r;
    virDomainPtr *doms = NULL;
    int n = virConnectListAllDomains(conn, &doms, VIR_CONNECT_LIST_DOMAINS_PERSISTENT |
                                     VIR_CONNECT_LIST_DOMAINS_INACTIVE);

    if (n < 0)
        return err_virt(&r->err, "Failed to list the shut-off domains");
    tr->uuids = xcalloc((size_t)n + 1, sizeof(*tr->uuids));
    tr->is = xcalloc((size_t)n + 1, sizeof(*tr->is));
    for (int i = 0; i < n; i++) {
        if (virDomainGetUUIDString(doms[i], tr->uuids[tr->n]) == 0)
            tr->is[tr->n++] = host_is_template(doms[i]);
        virDomainFree(doms[i]);
    }
    free(doms);
    virResetLastError();
    return 0;
}

static void
tmpl_done(struct req *r)
{
    struct tmpl_req *tr = (struct tmpl_req *)r;

    for (int i = 0; r->rc == 0 && i < tr->n; i++)
        model_dom_set_template(r->host, tr->uuids[i], tr->is[i]);
    free(tr->uuids);
    free(tr->is);
    free(tr);
}

void
host_load_templates(int host)
{
    struct tmpl_req *tr = xcalloc(1, sizeof(*tr));

    tr->r = (struct req){ .what = "templates", .host = host,
                          .work = tmpl_work, .done = tmpl_done };
    host_submit(&tr->r);
}

static void
up(struct host *h)
{
    host_load_templates(h->id);
}

const struct host_family host_template_family = { .name = "templates", .up = up };
