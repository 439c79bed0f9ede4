/* vnc-conn.c: finding a way to a domain's VNC server, on the host's
 * worker. The live XML tells which graphics device is VNC (a SPICE-only or
 * graphics-less domain gets a sentence, not an attempt) and its port and
 * listen address; then: virDomainOpenGraphicsFD on a local connection (no
 * password needed), an `ssh -W` tunnel for qemu+ssh:// hosts (execvp, no
 * shell), or TCP to the listen address (the URI's host when it listens on
 * every address). */
#include <autoconf.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <libxml/uri.h>

#include "vnc.h"
#include "xml.h"

void
vnc_target_clear(struct vnc_target *t)
{
    if (t->fd >= 0)
        close(t->fd);
    t->fd = -1;
    if (t->tunnel_pid > 0) {
        kill(t->tunnel_pid, SIGTERM);
        waitpid(t->tunnel_pid, NULL, 0);
    }
    t->tunnel_pid = 0;
    free(t->tcp_host);
    t->tcp_host = NULL;
}

/* ssh -W LISTEN:PORT to the host of a qemu+ssh:// URI; the socket's other
 * end is the tunnel. */
static int
ssh_tunnel(xmlURIPtr u, const char *listen, int port, pid_t *pid, struct err *e)
{
    int sv[2];
    char target[300], portarg[16];
    char *argv[16];
    int n = 0;

    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
        return err_set(e, "Cannot make a socket for the ssh tunnel: %s", strerror(errno));
    snprintf(target, sizeof(target), "%s:%d", listen, port);
    argv[n++] = "ssh";
    argv[n++] = "-q";
    argv[n++] = "-o";
    argv[n++] = "BatchMode=yes";
    argv[n++] = "-W";
    argv[n++] = target;
    if (u->port > 0) {
        snprintf(portarg, sizeof(portarg), "%d", u->port);
        argv[n++] = "-p";
        argv[n++] = portarg;
    }
    if (u->user) {
        argv[n++] = "-l";
        argv[n++] = u->user;
    }
    argv[n++] = "--";
    argv[n++] = u->server;
    argv[n] = NULL;
    if ((*pid = fork()) == 0) {
        dup2(sv[1], STDIN_FILENO);
        dup2(sv[1], STDOUT_FILENO);
        execvp("ssh", argv);
        _exit(127);
    }
    close(sv[1]);
    if (*pid < 0) {
        close(sv[0]);
        return err_set(e, "Cannot start ssh: %s", strerror(errno));
    }
    return sv[0];
}

static bool
any_address(const char *listen)
{
    return !listen || STREQ(listen, "0.0.0.0") || STREQ(listen, "::");
}

int
vnc_conn_prepare(virConnectPtr conn, const char *uuid, const char *name,
                 struct vnc_target *t, struct err *e)
{
    virDomainPtr dom = virDomainLookupByUUIDString(conn, uuid);
    AUTOFREE char *xml = NULL;
    AUTOFREE char *uri = NULL;
    AUTOFREE char *listen = NULL;
    xmlDocPtr doc = NULL;
    xmlXPathContextPtr ctx = NULL;
    xmlXPathObjectPtr gr = NULL;
    xmlURIPtr u = NULL;
    int idx = -1, spice = 0, port = -1, rc = -1;

    t->fd = -1;
    if (!dom)
        return err_virt(e, "Failed to find domain '%s'", name);
    if (virDomainIsActive(dom) == 0) {
        t->stopped = true;
        virDomainFree(dom);
        return 0;
    }
    if (!(xml = virDomainGetXMLDesc(dom, 0))) {
        err_virt(e, "Failed to read the XML of '%s'", name);
        goto out;
    }
    if (!(doc = xml_parse(xml, "domain XML", e)))
        goto out;
    ctx = xmlXPathNewContext(doc);
    gr = xml_nodes(ctx, xmlDocGetRootElement(doc), "./devices/graphics");
    for (int i = 0; gr && gr->nodesetval && i < gr->nodesetval->nodeNr; i++) {
        xmlNodePtr n = gr->nodesetval->nodeTab[i];
        AUTOFREE char *type = xml_str(ctx, n, "string(./@type)");

        if (type && STREQ(type, "vnc") && idx < 0) {
            AUTOFREE char *p = xml_str(ctx, n, "string(./@port)");

            idx = i;
            port = p ? atoi(p) : -1;
            listen = xml_str(ctx, n, "string(./@listen | ./listen/@address)");
        } else if (type && STREQ(type, "spice")) {
            spice++;
        }
    }
    if (idx < 0) {
        err_set(e, spice ? "Domain '%s' has SPICE graphics only; the preview shows VNC"
                         : "Domain '%s' has no graphics device", name);
        goto out;
    }
    uri = virConnectGetURI(conn);
    u = uri ? xmlParseURI(uri) : NULL;
    if (!u || !u->server || !*u->server || (u->scheme && strstr(u->scheme, "+unix"))) {
        t->fd = virDomainOpenGraphicsFD(dom, (unsigned)idx, VIR_DOMAIN_OPEN_GRAPHICS_SKIPAUTH);
        if (t->fd < 0) {
            err_virt(e, "Failed to open the graphics of '%s'", name);
            goto out;
        }
    } else if (port <= 0) {
        err_set(e, "Domain '%s' has no VNC port yet", name);
        goto out;
    } else if (u->scheme && strstr(u->scheme, "ssh")) {
        if ((t->fd = ssh_tunnel(u, any_address(listen) ? "127.0.0.1" : listen, port,
                                &t->tunnel_pid, e)) < 0)
            goto out;
    } else {
        t->tcp_host = xstrdup(any_address(listen) || STREQ(listen, "127.0.0.1") ?
                              u->server : listen);
        t->tcp_port = port;
    }
    rc = 0;
 out:
    if (u)
        xmlFreeURI(u);
    xmlXPathFreeObject(gr);
    if (ctx)
        xmlXPathFreeContext(ctx);
    if (doc)
        xmlFreeDoc(doc);
    virDomainFree(dom);
    return rc;
}
