/* err.c: filling struct err from libvirt's thread-local last error, and
 * silencing the libraries' default printers so that no library writes to
 * the terminal while curses owns it. */
#include <autoconf.h>

#include <stdarg.h>
#include <stdio.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <libxml/xmlerror.h>

#include "err.h"

int
err_set(struct err *e, const char *fmt, ...)
{
    va_list ap;

    if (!e)
        return -1;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
    va_end(ap);
    e->code = 0;
    return -1;
}

int
err_virt(struct err *e, const char *fmt, ...)
{
    virErrorPtr ve = virGetLastError();
    char prefix[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(prefix, sizeof(prefix), fmt, ap);
    va_end(ap);
    if (e) {
        snprintf(e->msg, sizeof(e->msg), "%s: %s", prefix,
                 ve && ve->message ? ve->message : "unknown libvirt error");
        e->code = ve ? ve->code : 0;
    }
    virResetLastError();
    return -1;
}

void
err_clear(struct err *e)
{
    if (e) {
        e->code = 0;
        e->msg[0] = '\0';
    }
}

static void
quiet_virt(void *opaque, virErrorPtr error)
{
}

static void
quiet_xml(void *ctx, const char *msg, ...)
{
}

void
err_silence_libraries(void)
{
    virSetErrorFunc(NULL, quiet_virt);
    xmlSetGenericErrorFunc(NULL, quiet_xml);
    /* the setting above is per thread: also the default for new threads */
    xmlThrDefSetGenericErrorFunc(NULL, quiet_xml);
}
