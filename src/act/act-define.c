/* act-define.c: the define rows (define, net-define, pool-define): an XML
 * file on this machine defines (or updates) a domain, network or pool on
 * the host, with libvirt's schema validation when asked. The XML editor
 * (ui/edit.c) submits them on the file it edited, so an edit is refused,
 * logged and re-read like any other row. Worker thread. */
#include <autoconf.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libvirt/virterror.h>

#include "act.h"
#include "xml.h"

static char *
read_file(const char *path, struct err *e)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    char *buf;
    ssize_t n;
    size_t len = 0;

    if (fd < 0) {
        err_set(e, "Failed to read '%s': %s", path, strerror(errno));
        return NULL;
    }
    if (fstat(fd, &st) < 0 || st.st_size > 16 * 1024 * 1024) {
        err_set(e, "Failed to read '%s': not a file of at most 16 MiB", path);
        close(fd);
        return NULL;
    }
    buf = xmalloc((size_t)st.st_size + 1);
    while (len < (size_t)st.st_size &&
           (n = read(fd, buf + len, (size_t)st.st_size - len)) > 0)
        len += (size_t)n;
    buf[len] = '\0';
    close(fd);
    return buf;
}

/* The file's XML, well-formed, and the name its root element gives (for
 * the messages; NULL when it has none). */
static char *
read_xml(struct act_call *c, const char *what, char **name)
{
    const char *file = action_arg(c, "file");
    char *xml = read_file(file, &c->r.err);
    xmlDocPtr doc;
    xmlXPathContextPtr ctx;

    *name = NULL;
    if (!xml)
        return NULL;
    if (!(doc = xml_parse(xml, what, &c->r.err))) {
        free(xml);
        return NULL;
    }
    if ((ctx = xmlXPathNewContext(doc))) {
        *name = xml_str(ctx, xmlDocGetRootElement(doc), "name");
        xmlXPathFreeContext(ctx);
    }
    xmlFreeDoc(doc);
    return xml;
}

/* Define an object of kind from the call's file: its name in c->made and
 * the sentence; or libvirt's reason, naming the object and the file. */
static int
define_file(struct act_call *c, virConnectPtr conn, enum act_target kind)
{
    const char *file = action_arg(c, "file");
    bool validate = action_arg(c, "validate") != NULL;
    AUTOFREE char *what = xasprintf("%s XML", act_target_word(kind));
    AUTOFREE char *name = NULL;
    AUTOFREE char *xml = read_xml(c, what, &name);
    virDomainPtr dom;
    virNetworkPtr net;
    virStoragePoolPtr pool;

    if (!xml)
        return -1;
    if (kind == TARGET_NETWORK) {
        net = virNetworkDefineXMLFlags(conn, xml, validate ? VIR_NETWORK_DEFINE_VALIDATE : 0);
        c->made = net ? xstrdup(virNetworkGetName(net)) : NULL;
        if (net)
            virNetworkFree(net);
    } else if (kind == TARGET_POOL) {
        pool = virStoragePoolDefineXML(conn, xml,
                                       validate ? VIR_STORAGE_POOL_DEFINE_VALIDATE : 0);
        c->made = pool ? xstrdup(virStoragePoolGetName(pool)) : NULL;
        if (pool)
            virStoragePoolFree(pool);
    } else {
        dom = virDomainDefineXMLFlags(conn, xml, validate ? VIR_DOMAIN_DEFINE_VALIDATE : 0);
        c->made = dom ? xstrdup(virDomainGetName(dom)) : NULL;
        if (dom)
            virDomainFree(dom);
    }
    if (!c->made && name)
        return err_virt(&c->r.err, "Failed to define %s '%s' from '%s'", act_target_word(kind),
                        name, file);
    if (!c->made)
        return err_virt(&c->r.err, "Failed to define a %s from '%s'", act_target_word(kind),
                        file);
    c->result = xasprintf("%s '%s' defined from %s", act_target_title(kind), c->made, file);
    return 0;
}

static int
act_define(struct act_call *c, virConnectPtr conn)
{
    return define_file(c, conn, TARGET_DOMAIN);
}

static int
act_net_define(struct act_call *c, virConnectPtr conn)
{
    return define_file(c, conn, TARGET_NETWORK);
}

static int
act_pool_define(struct act_call *c, virConnectPtr conn)
{
    return define_file(c, conn, TARGET_POOL);
}

static const struct act_arg a_define[] = {
    { .name = "file", .type = ARG_FILE, .flags = ARG_REQUIRED | ARG_POSITIONAL,
      .help = "file with the XML" },
    { .name = "validate", .type = ARG_BOOL, .help = "validate the XML against the schema" },
    { NULL },
};

const struct action act_define_rows[] = {
    { .name = "define", .target = TARGET_HOST, .flags = ACT_MUTATES, .args = a_define,
      .help = "Define (or update) a domain from an XML file", .run = act_define },
    { .name = "net-define", .target = TARGET_HOST, .flags = ACT_MUTATES, .args = a_define,
      .help = "Define (or update) a network from an XML file", .run = act_net_define },
    { .name = "pool-define", .target = TARGET_HOST, .flags = ACT_MUTATES, .args = a_define,
      .help = "Define (or update) a storage pool from an XML file", .run = act_pool_define },
    { NULL },
};
