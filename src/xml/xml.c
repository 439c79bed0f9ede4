/* xml.c: libxml2 helpers shared by everything that reads XML: a quiet,
 * network-free parser that reports the first error as a sentence, and
 * small XPath accessors. */
#include <autoconf.h>

#include <stdio.h>
#include <stdlib.h>
#include <libxml/xmlerror.h>

#include "xml.h"

struct first_error {
    int line;
    char msg[512];
    bool set;
};

/* libxml2 reports every error; the first one is the one that explains. */
static void
keep_first(void *opaque, xmlErrorPtr xe)
{
    struct first_error *fe = opaque;
    size_t n;

    if (fe->set || !xe || xe->level < XML_ERR_ERROR)
        return;
    fe->set = true;
    fe->line = xe->line;
    snprintf(fe->msg, sizeof(fe->msg), "%s", xe->message ? xe->message : "?");
    n = strlen(fe->msg);
    while (n && (fe->msg[n - 1] == '\n' || fe->msg[n - 1] == ' '))
        fe->msg[--n] = '\0';
}

void
xml_init(void)
{
    static bool done;

    if (!done)
        xmlInitParser();
    done = true;
}

xmlDocPtr
xml_parse(const char *text, const char *what, struct err *e)
{
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    struct first_error fe = { 0, "", false };
    xmlDocPtr doc;

    if (!ctxt)
        fatal("out of memory");
    /* per-thread handler: the workers parse too */
    xmlSetStructuredErrorFunc(&fe, keep_first);
    doc = xmlCtxtReadMemory(ctxt, text, (int)strlen(text), "virtmux.xml",
                            NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
                            XML_PARSE_NOWARNING);
    xmlSetStructuredErrorFunc(NULL, NULL);
    if (!doc || !xmlDocGetRootElement(doc)) {
        xmlErrorPtr xe = xmlCtxtGetLastError(ctxt);

        if (!fe.set && xe && xe->message)
            keep_first(&fe, xe);
        err_set(e, "The %s is not well-formed XML (line %d): %s", what,
                fe.line, fe.set ? fe.msg : "the document is empty");
        if (doc)
            xmlFreeDoc(doc);
        doc = NULL;
    }
    xmlFreeParserCtxt(ctxt);
    return doc;
}

xmlXPathObjectPtr
xml_nodes(xmlXPathContextPtr ctx, xmlNodePtr node, const char *xpath)
{
    xmlXPathObjectPtr obj;

    ctx->node = node;
    obj = xmlXPathEval(BAD_CAST xpath, ctx);
    if (obj && obj->type != XPATH_NODESET) {
        xmlXPathFreeObject(obj);
        return NULL;
    }
    return obj;
}

char *
xml_str(xmlXPathContextPtr ctx, xmlNodePtr node, const char *xpath)
{
    xmlXPathObjectPtr obj;
    char *r = NULL;

    ctx->node = node;
    obj = xmlXPathEval(BAD_CAST xpath, ctx);
    if (!obj)
        return NULL;
    if (obj->type == XPATH_STRING && obj->stringval && obj->stringval[0])
        r = xstrdup((const char *)obj->stringval);
    else if (obj->type == XPATH_NODESET && obj->nodesetval &&
             obj->nodesetval->nodeNr > 0) {
        xmlChar *c = xmlNodeGetContent(obj->nodesetval->nodeTab[0]);

        if (c && c[0])
            r = xstrdup((const char *)c);
        xmlFree(c);
    }
    xmlXPathFreeObject(obj);
    return r;
}

unsigned long long
xml_ull(xmlXPathContextPtr ctx, xmlNodePtr node, const char *xpath,
        unsigned long long def)
{
    AUTOFREE char *s = xml_str(ctx, node, xpath);
    char *end;
    unsigned long long v;

    if (!s)
        return def;
    v = strtoull(s, &end, 10);
    return *end == '\0' ? v : def;
}

char *
xml_node_str(xmlNodePtr n)
{
    xmlBufferPtr buf = xmlBufferCreate();
    char *s;

    xmlNodeDump(buf, n->doc, n, 0, 0);
    s = xstrdup((const char *)xmlBufferContent(buf));
    xmlBufferFree(buf);
    return s;
}
