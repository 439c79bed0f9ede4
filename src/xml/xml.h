/* xml.h: libxml2 helpers. Every XML read or write in virtmux goes through
 * libxml2; parsing never touches the network and never prints. */
#ifndef VIRTMUX_XML_H
#define VIRTMUX_XML_H

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>

#include "err.h"

/* libxml2's global state, made once before any thread may parse (libvirt
 * parses on the host workers; two first parses at once race in libxml2's
 * own set-up). Loop thread; idempotent. */
void xml_init(void);
/* Parse a document; on error e says which line and why. what names it
 * ("domain XML"). Caller frees with xmlFreeDoc. */
xmlDocPtr xml_parse(const char *text, const char *what, struct err *e);
/* String value of an XPath expression relative to node (NULL when empty);
 * caller frees. */
char *xml_str(xmlXPathContextPtr ctx, xmlNodePtr node, const char *xpath);
/* Unsigned number of an XPath expression; def when absent or invalid. */
unsigned long long xml_ull(xmlXPathContextPtr ctx, xmlNodePtr node,
                           const char *xpath, unsigned long long def);
/* Nodes matching xpath relative to node; caller frees with xmlXPathFreeObject. */
xmlXPathObjectPtr xml_nodes(xmlXPathContextPtr ctx, xmlNodePtr node,
                            const char *xpath);
/* One element (and its children) as XML text; caller frees. */
char *xml_node_str(xmlNodePtr n);

#endif
