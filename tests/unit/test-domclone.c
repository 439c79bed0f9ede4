/* test-domclone.c: a real-world domain rewritten for a clone (disks copied,
 * linked and shared, NVRAM, NICs, graphics, SMBIOS, consoles, guest agent,
 * template metadata), asserted on the re-parsed XML; the same with hostile
 * old and new names; the plan's defaults; the errors; and the naming
 * helpers: unique names, default paths, name checks, deploy patterns. */
#include <autoconf.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>
#include <libxml/xpathInternals.h>

#include "domclone.h"
#include "xml.h"

#define IMAGES "/var/lib/libvirt/images/"
#define NVRAMS "/var/lib/libvirt/qemu/nvram/"
#define LOGS "/var/log/libvirt/qemu/"

static char *
subst(const char *s, const char *name)
{
    const char *at = strstr(s, "@NAME@");
    AUTOFREE char *rest = NULL;

    if (!at)
        return xstrdup(s);
    rest = subst(at + 6, name);
    return xasprintf("%.*s%s%s", (int)(at - s), s, name, rest);
}

/* @NAME@ replaced in every text and attribute value from n on */
static void
subst_tree(xmlNodePtr n, const char *name)
{
    for (; n; n = n->next) {
        if (n->type == XML_TEXT_NODE && n->content && strstr((char *)n->content, "@NAME@")) {
            AUTOFREE char *t = subst((const char *)n->content, name);

            xmlNodeSetContent(n, BAD_CAST t);
        }
        if (n->type != XML_ELEMENT_NODE)
            continue;
        for (xmlAttrPtr a = n->properties; a; a = a->next)
            subst_tree(a->children, name);
        subst_tree(n->children, name);
    }
}

/* a fixture from tests/data/clone; caller frees */
static char *
fixture(const char *file)
{
    AUTOFREE char *path = xasprintf("%s/tests/data/clone/%s", SRCDATADIR, file);
    FILE *f = fopen(path, "r");
    char *buf = xcalloc(1, 65536);
    size_t n;

    if (!f)
        fail_msg("cannot open %s", path);
    n = fread(buf, 1, 65535, f);
    fclose(f);
    assert_true(n > 0 && n < 65535);
    return buf;
}

/* web.xml with its name (and the paths made from it) set to name, through
 * libxml2 so that any name is escaped */
static char *
with_name(const char *name)
{
    AUTOFREE char *text = fixture("web.xml");
    xmlDocPtr doc = xml_parse(text, "test XML", NULL);
    xmlChar *out;
    char *s;
    int len;

    assert_non_null(doc);
    subst_tree(doc->children, name);
    xmlDocDumpMemory(doc, &out, &len);
    s = xstrdup((const char *)out);
    xmlFree(out);
    xmlFreeDoc(doc);
    return s;
}

static char *
rewrite_ok(const char *xml, const struct clone_plan *p)
{
    struct err e = { 0, "" };
    char *s = domclone_rewrite(xml, p, &e);

    if (!s)
        fail_msg("domclone_rewrite failed: %s", e.msg);
    return s;
}

/* the clone's XML, re-parsed, and an XPath context on it */
struct out {
    char *text;
    xmlDocPtr doc;
    xmlXPathContextPtr ctx;
};

static void
rewrite_open(struct out *o, const char *xml, const struct clone_plan *p)
{
    struct err e = { 0, "" };

    o->text = rewrite_ok(xml, p);
    if (!(o->doc = xml_parse(o->text, "clone XML", &e)))
        fail_msg("the clone's XML does not parse: %s\n%s", e.msg, o->text);
    o->ctx = xmlXPathNewContext(o->doc);
    xmlXPathRegisterNs(o->ctx, BAD_CAST "lo",
                       BAD_CAST "http://libosinfo.org/xmlns/libvirt/domain/1.0");
    xmlXPathRegisterNs(o->ctx, BAD_CAST "q", BAD_CAST "http://libvirt.org/schemas/domain/qemu/1.0");
}

static void
out_close(struct out *o)
{
    xmlXPathFreeContext(o->ctx);
    xmlFreeDoc(o->doc);
    free(o->text);
}

/* string value of xpath, "" when empty; valid until the next call */
static const char *
xs(struct out *o, const char *xpath)
{
    static char buf[2048];
    AUTOFREE char *expr = xasprintf("string(%s)", xpath);
    AUTOFREE char *s = xml_str(o->ctx, xmlDocGetRootElement(o->doc), expr);

    snprintf(buf, sizeof(buf), "%s", s ? s : "");
    return buf;
}

static struct clone_plan *
plan_ok(const char *xml, const char *name)
{
    struct err e = { 0, "" };
    struct clone_plan *p = domclone_plan(xml, name, &e);

    if (!p)
        fail_msg("domclone_plan failed: %s", e.msg);
    return p;
}

static void
set_str(char **slot, const char *value)
{
    free(*slot);
    *slot = xstrdup(value);
}

static void
set_path(struct clone_disk *k, enum clone_disk_mode mode, const char *path)
{
    k->mode = mode;
    set_str(&k->new_path, path);
}

static void
test_plan(void **state)
{
    static const struct {
        const char *target, *type, *source;
        enum clone_disk_mode mode;
        const char *new_path;
    } want[] = {
        { "vda", "file", IMAGES "web.qcow2", CLONE_DISK_COPY, IMAGES "web-clone.qcow2" },
        /* no old name in the file name: the new name, numbered after vdb */
        { "vdb", "file", "/srv/data/data disk.img", CLONE_DISK_COPY,
          "/srv/data/web-clone-1.img" },
        { "sda", "file", "/var/lib/libvirt/iso/debian-12.5.0-amd64-netinst.iso",
          CLONE_DISK_SHARE, NULL },
        { "vdc", "block", "/dev/vg0/shared", CLONE_DISK_SHARE, NULL },
        { "vdd", "volume", "default/web-logs.qcow2", CLONE_DISK_COPY,
          "default/web-clone-logs.qcow2" },
    };
    AUTOFREE char *xml = with_name("web");
    struct clone_plan *p = plan_ok(xml, "web-clone");
    struct clone_disk *k = p->disks;

    assert_string_equal(p->old_name, "web");
    assert_string_equal(p->name, "web-clone");
    assert_int_equal(p->ndisks, ARRAY_CARDINALITY(want));
    for (size_t i = 0; i < ARRAY_CARDINALITY(want); i++) {
        assert_string_equal(k[i].target, want[i].target);
        assert_string_equal(k[i].type, want[i].type);
        assert_string_equal(k[i].source, want[i].source);
        assert_int_equal(k[i].mode, want[i].mode);
        if (want[i].new_path)
            assert_string_equal(k[i].new_path, want[i].new_path);
        else
            assert_null(k[i].new_path);
        assert_null(k[i].new_format);
    }
    assert_string_equal(k[0].device, "disk");
    assert_string_equal(k[0].format, "qcow2");
    assert_string_equal(k[1].format, "raw");
    assert_string_equal(k[2].device, "cdrom");
    assert_true(k[2].readonly && !k[2].shareable);
    assert_true(k[3].readonly && k[3].shareable);
    assert_string_equal(p->nvram, NVRAMS "web_VARS.fd");
    assert_string_equal(p->new_nvram, NVRAMS "web-clone_VARS.fd");
    domclone_plan_free(p);
    domclone_plan_free(NULL);
}

struct want {
    const char *xpath, *value;   /* value of string(xpath) */
};

static void
expect_all(struct out *o, const struct want *w, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *got = xs(o, w[i].xpath);

        if (strcmp(got, w[i].value) != 0)
            fail_msg("%s is '%s', not '%s'", w[i].xpath, got, w[i].value);
    }
}

static void
test_rewrite(void **state)
{
    static const struct want w[] = {
        { "/domain/name", "web-clone" },
        { "count(/domain/name)", "1" },
        { "count(/domain/uuid)", "0" },
        { "/domain/title", "Web server" },
        { "/domain/description", "front end & cache" },
        /* the template marker goes, other metadata stays */
        { "count(/domain/metadata/*)", "1" },
        { "/domain/metadata/lo:libosinfo/lo:os/@id", "http://debian.org/debian/12" },
        /* SMBIOS: libvirt fills the UUID from the new domain's */
        { "count(//sysinfo/system/entry[@name='uuid'])", "0" },
        { "count(//sysinfo/system/entry)", "2" },
        { "//sysinfo/system/entry[@name='serial']", "web-serial" },
        { "//sysinfo/bios/entry[@name='vendor']", "virtmux" },
        { "/domain/os/nvram", NVRAMS "web-clone_VARS.fd" },
        { "/domain/os/nvram/@template", "/usr/share/OVMF/OVMF_VARS.ms.fd" },
        { "/domain/os/loader", "/usr/share/OVMF/OVMF_CODE.secboot.fd" },
        /* vda: a full copy, standalone */
        { "//disk[target/@dev='vda']/@type", "file" },
        { "//disk[target/@dev='vda']/source/@file", IMAGES "web-clone.qcow2" },
        { "//disk[target/@dev='vda']/driver/@type", "qcow2" },
        { "//disk[target/@dev='vda']/driver/@discard", "unmap" },
        { "count(//disk[target/@dev='vda']/backingStore)", "0" },
        { "//disk[target/@dev='vda']/address/@bus", "0x04" },
        /* vdb: raw source, qcow2 overlay */
        { "//disk[target/@dev='vdb']/source/@file", "/srv/data/web-clone-data.qcow2" },
        { "//disk[target/@dev='vdb']/driver/@type", "qcow2" },
        { "//disk[target/@dev='vdb']/driver/@cache", "none" },
        { "//disk[target/@dev='vdb']/serial", "DATA-1" },
        /* shared: untouched */
        { "//disk[target/@dev='sda']/source/@file",
          "/var/lib/libvirt/iso/debian-12.5.0-amd64-netinst.iso" },
        { "count(//disk[target/@dev='sda']/readonly)", "1" },
        { "//disk[target/@dev='vdc']/@type", "block" },
        { "//disk[target/@dev='vdc']/source/@dev", "/dev/vg0/shared" },
        { "count(//disk[target/@dev='vdc']/shareable)", "1" },
        /* a volume copied into the same pool stays a volume */
        { "//disk[target/@dev='vdd']/@type", "volume" },
        { "//disk[target/@dev='vdd']/source/@pool", "default" },
        { "//disk[target/@dev='vdd']/source/@volume", "web-clone-logs.qcow2" },
        { "count(//disk)", "5" },
        /* NICs: libvirt makes new MACs and tap names */
        { "count(//interface)", "3" },
        { "count(//interface/mac)", "0" },
        { "count(//interface/target)", "0" },
        { "//interface[@type='network']/source/@network", "default" },
        { "//interface[@type='network']/address/@bus", "0x01" },
        { "//interface[@type='bridge']/source/@bridge", "br0" },
        { "//interface[@type='direct']/source/@dev", "eno1" },
        { "//interface[@type='direct']/source/@mode", "bridge" },
        /* graphics: automatic port, same listen */
        { "//graphics/@autoport", "yes" },
        { "count(//graphics/@port)", "0" },
        { "count(//graphics/@websocket)", "0" },
        { "//graphics/@listen", "127.0.0.1" },
        { "//graphics/listen/@address", "127.0.0.1" },
        /* character devices */
        { "//serial/source/@path", LOGS "web-clone-serial0.log" },
        { "//console/log/@file", LOGS "web-clone-console.log" },
        { "//console/log/@append", "on" },
        { "count(//channel[target/@name='org.qemu.guest_agent.0']/source)", "1" },
        { "count(//channel[target/@name='org.qemu.guest_agent.0']/source/@path)", "0" },
        { "//channel[target/@name='org.qemu.guest_agent.0']/source/@mode", "bind" },
        { "//channel[@type='file']/source/@path", "/var/log/guest/trace-web-clone.log" },
        /* everything else passes through */
        { "count(/domain/comment()[contains(., 'keep this comment')])", "1" },
        { "/domain/q:commandline/q:arg/@value", "-no-user-config" },
        { "//video/model/@heads", "1" },
        { "/domain/cpu/@mode", "host-passthrough" },
        { "count(/domain/features/*)", "2" },
    };
    AUTOFREE char *xml = with_name("web");
    struct clone_plan *p = plan_ok(xml, "web-clone");
    struct out o;

    /* vdb becomes a linked clone: a qcow2 overlay */
    set_path(&p->disks[1], CLONE_DISK_LINK, "/srv/data/web-clone-data.qcow2");
    rewrite_open(&o, xml, p);
    expect_all(&o, w, ARRAY_CARDINALITY(w));
    assert_false(STRPREFIX(o.text, "<?xml"));
    /* removed elements take their indentation along: no blank lines */
    assert_null(strstr(o.text, " \n"));
    out_close(&o);
    domclone_plan_free(p);
}

/* Where the copies go: a volume to a file, a disk to a block device,
 * a volume into another pool, an overlay with its own format. */
static void
test_disk_targets(void **state)
{
    static const struct want moved[] = {
        { "//disk[target/@dev='vda']/@type", "volume" },
        { "//disk[target/@dev='vda']/source/@pool", "fast" },
        { "//disk[target/@dev='vda']/source/@volume", "web-clone.qcow2" },
        { "count(//disk[target/@dev='vda']/source/@file)", "0" },
        { "//disk[target/@dev='vda']/driver/@type", "raw" },
        { "//disk[target/@dev='vdb']/@type", "block" },
        { "//disk[target/@dev='vdb']/source/@dev", "/dev/vg1/web-clone-data" },
        { "count(//disk[target/@dev='vdb']/source/@file)", "0" },
        { "//disk[target/@dev='vdb']/driver/@type", "raw" },
        { "//disk[target/@dev='vdc']/@type", "file" },
        { "//disk[target/@dev='vdc']/source/@file", "/images/shared-copy.raw" },
        { "count(//disk[target/@dev='vdc']/source/@dev)", "0" },
        { "//disk[target/@dev='vdd']/@type", "file" },
        { "//disk[target/@dev='vdd']/source/@file", "/images/logs overlay.qcow2" },
        { "count(//disk[target/@dev='vdd']/source/@pool)", "0" },
        { "count(//disk[target/@dev='vdd']/source/@volume)", "0" },
        { "//disk[target/@dev='vdd']/driver/@type", "qed" },
    };
    /* a bare volume name stays in the disk's pool */
    static const struct want same_pool[] = {
        { "//disk[target/@dev='vdd']/@type", "volume" },
        { "//disk[target/@dev='vdd']/source/@pool", "default" },
        { "//disk[target/@dev='vdd']/source/@volume", "logs-2.qcow2" },
    };
    /* sharing everything leaves the disks as they were */
    static const struct want shared[] = {
        { "//disk[target/@dev='vda']/source/@file", IMAGES "web.qcow2" },
        { "count(//disk[target/@dev='vda']/backingStore)", "1" },
        { "//disk[target/@dev='vdd']/source/@volume", "web-logs.qcow2" },
    };
    AUTOFREE char *xml = with_name("web");
    struct clone_plan *p = plan_ok(xml, "web-clone");
    struct out o;

    set_path(&p->disks[0], CLONE_DISK_COPY, "fast/web-clone.qcow2");
    set_path(&p->disks[1], CLONE_DISK_COPY, "/dev/vg1/web-clone-data");
    set_path(&p->disks[3], CLONE_DISK_COPY, "/images/shared-copy.raw");
    set_path(&p->disks[4], CLONE_DISK_LINK, "/images/logs overlay.qcow2");
    p->disks[0].new_format = xstrdup("raw");
    p->disks[4].new_format = xstrdup("qed");
    rewrite_open(&o, xml, p);
    expect_all(&o, moved, ARRAY_CARDINALITY(moved));
    out_close(&o);

    set_path(&p->disks[4], CLONE_DISK_COPY, "logs-2.qcow2");
    rewrite_open(&o, xml, p);
    expect_all(&o, same_pool, ARRAY_CARDINALITY(same_pool));
    out_close(&o);

    for (size_t i = 0; i < p->ndisks; i++)
        p->disks[i].mode = CLONE_DISK_SHARE;
    rewrite_open(&o, xml, p);
    expect_all(&o, shared, ARRAY_CARDINALITY(shared));
    out_close(&o);
    domclone_plan_free(p);
}

static void
expect_rewrite_error(const char *xml, const struct clone_plan *p, const char *part)
{
    struct err e = { 0, "" };
    char *s = domclone_rewrite(xml, p, &e);

    if (s || !strstr(e.msg, part))
        fail_msg("expected an error with '%s', got %s: %s", part, s ? "XML" : "NULL", e.msg);
}

static void
test_rewrite_errors(void **state)
{
    AUTOFREE char *xml = with_name("web");
    AUTOFREE char *other = with_name("db");
    struct clone_plan *p = plan_ok(xml, "web-clone");
    struct clone_plan *small = plan_ok("<domain><name>s</name><devices><disk type='file'>"
                                       "<source file='/a.img'/><target dev='vda'/></disk>"
                                       "</devices></domain>", "s2");
    struct err e = { 0, "" };

    set_str(&p->disks[0].new_path, NULL);
    expect_rewrite_error(xml, p, "Disk 'vda' of the clone 'web-clone' has no new path");
    set_path(&p->disks[0], CLONE_DISK_COPY, IMAGES "web.qcow2");
    expect_rewrite_error(xml, p, "is the source disk itself");
    set_path(&p->disks[0], CLONE_DISK_COPY, "relative.qcow2");
    expect_rewrite_error(xml, p, "neither an absolute path nor POOL/VOLUME");
    set_path(&p->disks[0], CLONE_DISK_COPY, "pool/");
    expect_rewrite_error(xml, p, "neither an absolute path nor POOL/VOLUME");
    set_path(&p->disks[0], CLONE_DISK_COPY, "/x/ok.qcow2");
    p->disks[2].mode = CLONE_DISK_COPY;      /* the cdrom has a source: allowed */
    p->disks[2].new_path = xstrdup("/x/copy.iso");
    free(rewrite_ok(xml, p));

    /* a plan for another domain's XML */
    expect_rewrite_error(xml, small, "has 1 disks but the domain XML has 5");
    set_str(&p->disks[1].target, "vdz");
    expect_rewrite_error(xml, p, "Disk 2 of the domain XML is 'vdb'");
    set_str(&p->disks[1].target, "vdb");
    free(rewrite_ok(other, p));              /* same layout, another name: fine */

    /* the clone's name is checked again */
    set_str(&p->name, "a/b");
    expect_rewrite_error(xml, p, "'/'");
    set_str(&p->name, "");
    expect_rewrite_error(xml, p, "needs a name");
    set_str(&p->name, "ok");

    expect_rewrite_error("<network><name>n</name></network>", small, "not a domain");
    expect_rewrite_error("<domain><name>x</name>", small, "not well-formed");
    expect_rewrite_error(xml, NULL, "no clone plan");
    assert_null(domclone_rewrite(xml, NULL, NULL));

    assert_null(domclone_plan("<domain", "x", &e));
    assert_non_null(strstr(e.msg, "not well-formed"));
    assert_null(domclone_plan(xml, "a/b", &e));
    assert_non_null(strstr(e.msg, "'/'"));
    assert_null(domclone_plan(xml, NULL, NULL));
    domclone_plan_free(small);
    domclone_plan_free(p);
}

static void
test_plan_defaults(void **state)
{
    AUTOFREE char *disks_xml = fixture("disks.xml");
    struct clone_plan *p = plan_ok(disks_xml, "new");
    struct clone_disk *k = p->disks;
    struct err e = { 0, "" };
    struct out o;

    assert_int_equal(p->ndisks, 7);
    assert_int_equal(k[0].mode, CLONE_DISK_COPY);
    assert_int_equal(k[1].mode, CLONE_DISK_COPY);
    /* vda would be /img/new.qcow2 (no old name, first disk), and so would
     * vdb (old name replaced): vdb is numbered */
    assert_string_equal(k[0].new_path, "/img/new.qcow2");
    assert_string_equal(k[1].new_path, "/img/new-1.qcow2");
    assert_int_equal(k[2].mode, CLONE_DISK_SHARE);      /* empty */
    assert_null(k[2].source);
    assert_int_equal(k[3].mode, CLONE_DISK_SHARE);      /* floppy */
    assert_int_equal(k[4].mode, CLONE_DISK_SHARE);      /* lun */
    assert_string_equal(k[5].type, "network");
    assert_int_equal(k[5].mode, CLONE_DISK_SHARE);
    assert_string_equal(k[6].type, "file");             /* no type: file */
    assert_int_equal(k[6].mode, CLONE_DISK_COPY);
    assert_string_equal(k[6].new_path, "/img/new-2.raw");
    assert_null(p->nvram);
    assert_null(p->new_nvram);

    rewrite_open(&o, disks_xml, p);
    assert_string_equal(xs(&o, "//disk[target/@dev='vdf']/source/@file"), "/img/new-2.raw");
    assert_string_equal(xs(&o, "//disk[target/@dev='vdf']/@type"), "file");
    assert_string_equal(xs(&o, "count(//disk[target/@dev='vdc']/source)"), "0");
    out_close(&o);

    /* what cannot be copied says so */
    k[5].mode = CLONE_DISK_COPY;
    k[5].new_path = xstrdup("/img/rbd.raw");
    expect_rewrite_error(disks_xml, p, "Disk 'vde' is a network disk");
    k[5].mode = CLONE_DISK_SHARE;
    k[2].mode = CLONE_DISK_COPY;
    k[2].new_path = xstrdup("/img/empty.raw");
    assert_null(domclone_rewrite(disks_xml, p, &e));
    assert_non_null(strstr(e.msg, "Disk 'vdc' has no storage to copy"));
    domclone_plan_free(p);
}

static void
test_nvram_forms(void **state)
{
    AUTOFREE char *src_form = fixture("nvram-source.xml");
    AUTOFREE char *text_form = fixture("nvram-text.xml");
    struct clone_plan *p = plan_ok(src_form, "new");
    struct out o;

    assert_string_equal(p->nvram, "/nv/web_VARS.fd");
    assert_string_equal(p->new_nvram, "/nv/new_VARS.fd");
    rewrite_open(&o, src_form, p);
    assert_string_equal(xs(&o, "/domain/os/nvram/source/@file"), "/nv/new_VARS.fd");
    assert_string_equal(xs(&o, "/domain/os/nvram/@type"), "file");
    assert_string_equal(xs(&o, "/domain/os/nvram/@template"), "/fw/VARS.fd");
    out_close(&o);

    /* no new NVRAM: libvirt makes a fresh one from the template */
    set_str(&p->new_nvram, NULL);
    rewrite_open(&o, src_form, p);
    assert_string_equal(xs(&o, "count(/domain/os/nvram)"), "1");
    assert_string_equal(xs(&o, "count(/domain/os/nvram/*)"), "0");
    assert_string_equal(xs(&o, "count(/domain/os/nvram/@type)"), "0");
    assert_string_equal(xs(&o, "/domain/os/nvram/@template"), "/fw/VARS.fd");
    assert_string_equal(xs(&o, "normalize-space(/domain/os/nvram)"), "");
    out_close(&o);
    domclone_plan_free(p);

    p = plan_ok(text_form, "new");
    assert_string_equal(p->nvram, "/nv/web.vars");
    assert_string_equal(p->new_nvram, "/nv/new_VARS.vars");
    rewrite_open(&o, text_form, p);
    assert_string_equal(xs(&o, "/domain/os/nvram"), "/nv/new_VARS.vars");
    out_close(&o);
    set_str(&p->new_nvram, NULL);
    rewrite_open(&o, text_form, p);
    assert_string_equal(xs(&o, "/domain/os/nvram"), "");
    assert_string_equal(xs(&o, "/domain/os/nvram/@template"), "/fw/VARS.fd");
    out_close(&o);
    domclone_plan_free(p);
}

static void
test_graphics_and_minimal(void **state)
{
    AUTOFREE char *xml = fixture("graphics.xml");
    struct clone_plan *p = plan_ok(xml, "it's <new> & \"shiny\"");
    struct out o;

    rewrite_open(&o, xml, p);
    /* no name in the source: the clone gets one, first */
    assert_string_equal(xs(&o, "/domain/*[1][self::name]"), "it's <new> & \"shiny\"");
    assert_string_equal(xs(&o, "count(/domain/uuid)"), "0");
    assert_string_equal(xs(&o, "count(//graphics[@type='spice']/@port)"), "0");
    assert_string_equal(xs(&o, "count(//graphics[@type='spice']/@tlsPort)"), "0");
    assert_string_equal(xs(&o, "//graphics[@type='spice']/@autoport"), "yes");
    assert_string_equal(xs(&o, "//graphics[@type='spice']/listen/@network"), "default");
    assert_string_equal(xs(&o, "//graphics[@type='vnc'][1]/@websocket"), "-1");
    assert_string_equal(xs(&o, "count(//graphics[@type='vnc'][2]/@port)"), "0");
    assert_string_equal(xs(&o, "//graphics[@type='vnc'][2]/@autoport"), "yes");
    assert_string_equal(xs(&o, "count(//graphics[@type='sdl']/@autoport)"), "0");
    assert_string_equal(xs(&o, "count(//graphics[@type='vnc'][3]/@autoport)"), "0");
    /* metadata with no template marker is left alone */
    assert_string_equal(xs(&o, "count(/domain/metadata/*)"), "1");
    out_close(&o);
    domclone_plan_free(p);
}

/* xpath's value is before + name + after */
static void
expect_named(struct out *o, const char *xpath, const char *before, const char *name,
             const char *after)
{
    AUTOFREE char *want = xasprintf("%s%s%s", before, name, after);

    if (strcmp(xs(o, xpath), want) != 0)
        fail_msg("%s is '%s', not '%s'", xpath, xs(o, xpath), want);
}

/* Old and new names that break naive code, every pair. */
static void
test_hostile_names(void **state)
{
    char longname[201];
    const char *names[] = {
        "it's \"quoted\"", "<&>", "ünïcødé-名前-🙂", longname, "-leading-dash",
        "name with spaces", "tab\tseparated", "db.example.com",
    };

    memset(longname, 'x', 200);
    memcpy(longname, "long-", 5);
    memcpy(longname + 196, "-end", 4);
    longname[200] = '\0';
    for (size_t i = 0; i < ARRAY_CARDINALITY(names); i++) {
        AUTOFREE char *xml = with_name(names[i]);

        for (size_t j = 0; j < ARRAY_CARDINALITY(names); j++) {
            const char *nn = names[j];
            struct clone_plan *p;
            AUTOFREE char *disk = xasprintf(IMAGES "%s.qcow2", nn);
            struct out o;

            if (i == j)
                continue;
            p = plan_ok(xml, nn);
            assert_string_equal(p->old_name, names[i]);
            assert_string_equal(p->disks[0].new_path, disk);
            rewrite_open(&o, xml, p);
            expect_named(&o, "/domain/name", "", nn, "");
            expect_named(&o, "//disk[target/@dev='vda']/source/@file", IMAGES, nn, ".qcow2");
            expect_named(&o, "//disk[target/@dev='vdd']/source/@volume", "", nn, "-logs.qcow2");
            expect_named(&o, "/domain/os/nvram", NVRAMS, nn, "_VARS.fd");
            expect_named(&o, "//serial/source/@path", LOGS, nn, "-serial0.log");
            expect_named(&o, "//console/log/@file", LOGS, nn, "-console.log");
            expect_named(&o, "//channel[@type='file']/source/@path", "/var/log/guest/trace-", nn,
                         ".log");
            expect_named(&o, "//sysinfo/system/entry[@name='serial']", "", names[i], "-serial");
            assert_string_equal(xs(&o, "count(//channel[@type='unix']/source/@path)"), "0");
            out_close(&o);
            domclone_plan_free(p);
        }
    }
}

static void
test_unique_name(void **state)
{
    const char *taken[] = { "web", "web-clone", "web-clone-1", "web-clone-3", "<&> x", NULL };
    AUTOFREE char *a = domclone_unique_name("web-clone", taken);
    AUTOFREE char *b = domclone_unique_name("web-clone", NULL);
    AUTOFREE char *d = domclone_unique_name("db", taken);
    AUTOFREE char *f = domclone_unique_name("<&> x", taken);

    assert_string_equal(a, "web-clone-2");
    assert_string_equal(b, "web-clone");
    assert_string_equal(d, "db");
    assert_string_equal(f, "<&> x-1");
}

static void
expect_path(const char *src, const char *old, const char *nn, const char *target,
            const char *want)
{
    AUTOFREE char *got = domclone_default_path(src, old, nn, target);

    if (!got || strcmp(got, want) != 0)
        fail_msg("default path of '%s' (%s -> %s, %s): got '%s', want '%s'",
                 src, old, nn, target, got ? got : "NULL", want);
}

static void
test_default_path(void **state)
{
    expect_path(IMAGES "web.qcow2", "web", "web-clone", "vda", IMAGES "web-clone.qcow2");
    expect_path(IMAGES "web-1.qcow2", "web", "web-clone", "vdb", IMAGES "web-clone-1.qcow2");
    expect_path(IMAGES "web-data.img", "web", "web-clone", "vdc", IMAGES "web-clone-data.img");
    /* not in the file name: the new name, numbered after the target */
    expect_path("/img/disk0.img", "web", "web-clone", "vda", "/img/web-clone.img");
    expect_path("/img/disk1.img", "web", "web-clone", "vdb", "/img/web-clone-1.img");
    expect_path("/img/disk2.img", "web", "web-clone", "vdc", "/img/web-clone-2.img");
    expect_path("/img/x.raw", "web", "c", "sdaa", "/img/c-26.raw");
    expect_path("/img/x.raw", "web", "c", "hdb", "/img/c-1.raw");
    expect_path("/img/x.raw", "web", "c", "xvdc", "/img/c-2.raw");
    expect_path("/img/x.raw", "web", "c", NULL, "/img/c.raw");
    expect_path("/img/x.raw", "web", "c", "weird", "/img/c.raw");
    expect_path("/img/x.raw", NULL, "c", "vdb", "/img/c-1.raw");
    /* a whole word wins over a prefix of another word */
    expect_path("/img/webserver-web.qcow2", "web", "new", "vda", "/img/webserver-new.qcow2");
    expect_path("/img/myweb01.qcow2", "web", "new", "vda", "/img/mynew01.qcow2");
    /* the directory is never renamed */
    expect_path("/vms/web/disk.qcow2", "web", "new", "vda", "/vms/web/new.qcow2");
    expect_path("/vms/web/web.qcow2", "web", "new", "vda", "/vms/web/new.qcow2");
    /* extensions: at most 7 characters, or none */
    expect_path("/dev/vg0/web", "web", "web-clone", "vda", "/dev/vg0/web-clone");
    expect_path("/img/web.20240101T1200", "web", "new", "vda", "/img/new.20240101T1200");
    expect_path("/img/web.tar.gz", "web", "new", "vda", "/img/new.tar.gz");
    expect_path("/img/.hidden", "web", "new", "vda", "/img/new");
    expect_path("/my.dir/disk", "web", "new", "vdb", "/my.dir/new-1");
    /* volumes and bare names */
    expect_path("default/web.qcow2", "web", "new", "vda", "default/new.qcow2");
    expect_path("web.qcow2", "web", "new", "vda", "new.qcow2");
    assert_null(domclone_default_path(NULL, "web", "new", "vda"));
}

static void
expect_name_error(const char *name, const char *const *taken, const char *part)
{
    struct err e = { 0, "" };

    assert_int_equal(domclone_check_name(name, taken, &e), -1);
    if (!strstr(e.msg, part))
        fail_msg("check_name('%s'): '%s' lacks '%s'", name ? name : "NULL", e.msg, part);
}

static void
test_check_name(void **state)
{
    const char *taken[] = { "web", "<&>", NULL };
    struct err e = { 0, "" };

    expect_name_error("", taken, "A domain needs a name");
    expect_name_error(NULL, taken, "A domain needs a name");
    expect_name_error("a/b", taken, "The domain name 'a/b' contains a '/'");
    expect_name_error("two\nlines", NULL, "newline");
    expect_name_error("web", taken, "A domain named 'web' already exists");
    expect_name_error("<&>", taken, "A domain named '<&>' already exists");
    assert_int_equal(domclone_check_name("web", taken, NULL), -1);
    assert_int_equal(domclone_check_name("web-clone", taken, &e), 0);
    assert_int_equal(domclone_check_name("-leading dash 'q' \"x\" 名前", taken, &e), 0);
    assert_int_equal(domclone_check_name("tab\there", NULL, &e), 0);
    assert_int_equal(domclone_check_name("WEB", taken, &e), 0);
}

static void
expect_names(const char *pattern, const char *const *want)
{
    struct err e = { 0, "" };
    char **v = domclone_expand_pattern(pattern, &e);
    size_t i;

    if (!v)
        fail_msg("expand '%s' failed: %s", pattern, e.msg);
    for (i = 0; want[i]; i++) {
        if (!v[i] || strcmp(v[i], want[i]) != 0)
            fail_msg("expand '%s' [%zu]: got '%s', want '%s'", pattern, i,
                     v[i] ? v[i] : "NULL", want[i]);
    }
    assert_null(v[i]);
    util_strv_free(v);
}

static void
expect_pattern_error(const char *pattern, const char *part)
{
    struct err e = { 0, "" };
    char **v = domclone_expand_pattern(pattern, &e);

    if (v || !strstr(e.msg, part))
        fail_msg("expand '%s': expected an error with '%s', got '%s'",
                 pattern ? pattern : "NULL", part, e.msg);
}

static void
test_expand_pattern(void **state)
{
    struct err e = { 0, "" };
    char **v;

    expect_names("web{01..04}", (const char *[]){ "web01", "web02", "web03", "web04", NULL });
    expect_names("n{8..11}", (const char *[]){ "n8", "n9", "n10", "n11", NULL });
    expect_names("{1..1}", (const char *[]){ "1", NULL });
    expect_names("db{1..3}-x", (const char *[]){ "db1-x", "db2-x", "db3-x", NULL });
    /* counting down, as bash does */
    expect_names("{3..1}", (const char *[]){ "3", "2", "1", NULL });
    expect_names("v{10..08}", (const char *[]){ "v10", "v09", "v08", NULL });
    expect_names("{1..010}", (const char *[]){ "001", "002", "003", "004", "005", "006",
                                               "007", "008", "009", "010", NULL });
    expect_names("{0..2}", (const char *[]){ "0", "1", "2", NULL });
    expect_names("plain name", (const char *[]){ "plain name", NULL });
    expect_names("<&> ü", (const char *[]){ "<&> ü", NULL });
    expect_names("r{1..2}n{1..3}", (const char *[]){ "r1n1", "r1n2", "r1n3", "r2n1",
                                                     "r2n2", "r2n3", NULL });

    v = domclone_expand_pattern("h{0001..1000}", &e);
    assert_non_null(v);
    assert_null(v[1000]);
    assert_string_equal(v[0], "h0001");
    assert_string_equal(v[999], "h1000");
    util_strv_free(v);

    expect_pattern_error("w{1..2000}", "more than 1000 names");
    expect_pattern_error("{1..40}{1..40}", "more than 1000 names");
    expect_pattern_error("{1..999999999}{1..999999999}", "more than 1000 names");
    expect_pattern_error("web{01..04", "'{' without '}'");
    expect_pattern_error("web01..04}", "'}' without '{'");
    expect_pattern_error("web{a..c}", "The group '{a..c}'");
    expect_pattern_error("web{1..}", "is not {FROM..TO} with numbers");
    expect_pattern_error("web{..3}", "is not {FROM..TO} with numbers");
    expect_pattern_error("web{1...3}", "is not {FROM..TO} with numbers");
    expect_pattern_error("web{1,2}", "is not {FROM..TO} with numbers");
    expect_pattern_error("web{}", "is not {FROM..TO} with numbers");
    expect_pattern_error("web{-1..3}", "is not {FROM..TO} with numbers");
    expect_pattern_error("web{{1..3}}", "is not {FROM..TO} with numbers");
    expect_pattern_error("web{1234567890..1}", "is not {FROM..TO} with numbers");
    expect_pattern_error("{1..11}{1..11}", "makes the name '111' twice");
    expect_pattern_error("", "empty");
    expect_pattern_error(NULL, "empty");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plan),
        cmocka_unit_test(test_rewrite),
        cmocka_unit_test(test_disk_targets),
        cmocka_unit_test(test_rewrite_errors),
        cmocka_unit_test(test_plan_defaults),
        cmocka_unit_test(test_nvram_forms),
        cmocka_unit_test(test_graphics_and_minimal),
        cmocka_unit_test(test_hostile_names),
        cmocka_unit_test(test_unique_name),
        cmocka_unit_test(test_default_path),
        cmocka_unit_test(test_check_name),
        cmocka_unit_test(test_expand_pattern),
    };

    err_silence_libraries();
    return cmocka_run_group_tests_name("domclone", tests, NULL, NULL);
}
