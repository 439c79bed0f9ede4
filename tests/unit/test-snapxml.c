/* Snapshot XML as the snapshots view reads it (internal and external,
 * memory and disks, overlay files), the XML snapshot-create-as writes from
 * virsh's diskspecs, a new description put into a snapshot for a redefine
 * without touching anything else, and the refusal to take an internal
 * snapshot of a disk that is not qcow2, naming the disk. */
#include <autoconf.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "snapxml.h"
#include "xml.h"

/* What libvirt 9.0's QEMU driver dumps for an internal snapshot of a
 * running guest (the inner <domain> cut short). */
static const char internal_xml[] =
    "<domainsnapshot>\n"
    "  <name>pre-upgrade</name>\n"
    "  <description>before apt full-upgrade</description>\n"
    "  <state>running</state>\n"
    "  <parent>\n    <name>installed</name>\n  </parent>\n"
    "  <creationTime>1700003600</creationTime>\n"
    "  <memory snapshot='internal'/>\n"
    "  <disks>\n"
    "    <disk name='vda' snapshot='internal'/>\n"
    "    <disk name='hdc' snapshot='no'/>\n"
    "  </disks>\n"
    "  <domain type='kvm'><name>web01</name><uuid>00000000-0000-4000-a000-000000000001"
    "</uuid><description>the domain's own</description></domain>\n"
    "</domainsnapshot>\n";

/* An external snapshot with memory (snapshot-create-as --memspec
 * --diskspec vda,file=...). */
static const char external_xml[] =
    "<domainsnapshot>\n"
    "  <name>ext-1</name>\n"
    "  <state>running</state>\n"
    "  <creationTime>1700007200</creationTime>\n"
    "  <memory snapshot='external' file='/var/lib/libvirt/qemu/snap/web01.mem'/>\n"
    "  <disks>\n"
    "    <disk name='vda' snapshot='external' type='file'>\n"
    "      <driver type='qcow2'/>\n"
    "      <source file='/var/lib/libvirt/images/web01.ext-1'/>\n"
    "    </disk>\n"
    "    <disk name='vdb' snapshot='external' type='block'>\n"
    "      <driver type='qcow2'/>\n"
    "      <source dev='/dev/vg0/web01-data-ext'/>\n"
    "    </disk>\n"
    "  </disks>\n"
    "</domainsnapshot>\n";

static void
test_parse_internal(void **state)
{
    struct snap_info *s = snapxml_parse(internal_xml, NULL);

    assert_non_null(s);
    assert_string_equal(s->name, "pre-upgrade");
    assert_string_equal(s->parent, "installed");
    /* the snapshot's description, not the one in the inner <domain> */
    assert_string_equal(s->description, "before apt full-upgrade");
    assert_string_equal(s->state, "running");
    assert_true(s->created == 1700003600);
    assert_string_equal(s->memory, "internal");
    assert_null(s->memory_file);
    assert_false(s->external);
    assert_string_equal(snapxml_kind(s), "internal");
    assert_int_equal(s->ndisks, 2);
    assert_string_equal(s->disks[0].name, "vda");
    assert_string_equal(s->disks[0].snapshot, "internal");
    assert_null(s->disks[0].file);
    assert_string_equal(s->disks[1].snapshot, "no");
    snapxml_free(s);
}

static void
test_parse_external(void **state)
{
    struct snap_info *s = snapxml_parse(external_xml, NULL);

    assert_non_null(s);
    assert_null(s->parent);
    assert_null(s->description);
    assert_true(s->external);
    assert_string_equal(snapxml_kind(s), "external");
    assert_string_equal(s->memory_file, "/var/lib/libvirt/qemu/snap/web01.mem");
    assert_int_equal(s->ndisks, 2);
    assert_string_equal(s->disks[0].file, "/var/lib/libvirt/images/web01.ext-1");
    assert_string_equal(s->disks[0].driver, "qcow2");
    assert_string_equal(s->disks[1].file, "/dev/vg0/web01-data-ext");
    snapxml_free(s);

    /* disk-only: memory 'no', one disk external */
    s = snapxml_parse("<domainsnapshot><name>d</name><state>disk-snapshot</state>"
                      "<memory snapshot='no'/><disks><disk name='vda' snapshot='external'>"
                      "<source file='/x/a.d'/></disk></disks></domainsnapshot>", NULL);
    assert_non_null(s);
    assert_true(s->external);
    assert_string_equal(s->state, "disk-snapshot");
    snapxml_free(s);
}

static void
test_parse_hostile_and_bad(void **state)
{
    struct err e;
    struct snap_info *s = snapxml_parse(
        "<domainsnapshot><name>snap &lt;1&gt; &amp; \"two\" \xc3\xbcn\xc3\xaf \xf0\x9f\x99\x82"
        "</name><parent><name>it's</name></parent><creationTime>x</creationTime>"
        "</domainsnapshot>", &e);

    assert_non_null(s);
    assert_string_equal(s->name, "snap <1> & \"two\" \xc3\xbcn\xc3\xaf \xf0\x9f\x99\x82");
    assert_string_equal(s->parent, "it's");
    assert_true(s->created == 0);
    assert_null(s->state);
    assert_int_equal(s->ndisks, 0);
    snapxml_free(s);

    assert_null(snapxml_parse("<domain><name>x</name></domain>", &e));
    assert_non_null(strstr(e.msg, "not a <domainsnapshot>"));
    assert_null(snapxml_parse("<domainsnapshot><name>", &e));
    assert_non_null(strstr(e.msg, "not well-formed"));
    assert_null(snapxml_parse("<domainsnapshot/>", &e));
    assert_non_null(strstr(e.msg, "no <name>"));
    assert_null(snapxml_parse("", &e));
    snapxml_free(NULL);
}

static void
test_set_description(void **state)
{
    struct err e;
    const char *text = "new: <&> \"quoted\" it's\nsecond line \xc3\xa9";
    AUTOFREE char *x = snapxml_set_description(internal_xml, text, &e);
    AUTOFREE char *gone = NULL;
    AUTOFREE char *added = NULL;
    struct snap_info *s;

    assert_non_null(x);
    s = snapxml_parse(x, NULL);
    assert_string_equal(s->description, text);
    assert_string_equal(s->name, "pre-upgrade");
    assert_string_equal(s->parent, "installed");
    assert_true(s->created == 1700003600);
    assert_int_equal(s->ndisks, 2);
    snapxml_free(s);
    /* the inner domain's own description is not the snapshot's */
    assert_non_null(strstr(x, "<description>the domain's own</description>"));
    assert_null(strstr(x, "<?xml"));
    /* right after the name, where libvirt writes it */
    assert_true(strstr(x, "<name>pre-upgrade</name>") < strstr(x, "<description>new"));

    gone = snapxml_set_description(internal_xml, "", &e);
    s = snapxml_parse(gone, NULL);
    assert_null(s->description);
    snapxml_free(s);
    assert_non_null(strstr(gone, "the domain's own"));

    added = snapxml_set_description(external_xml, "first", &e);
    s = snapxml_parse(added, NULL);
    assert_string_equal(s->description, "first");
    assert_string_equal(s->disks[1].file, "/dev/vg0/web01-data-ext");
    snapxml_free(s);

    assert_null(snapxml_set_description("<pool/>", "x", &e));
    assert_non_null(strstr(e.msg, "<pool>"));
}

static void
test_build(void **state)
{
    struct err e;
    const char *name = "n\xc3\xa4me with 'quotes' & <tags>";
    AUTOFREE char *x = snapxml_build(name, "desc \"d\"", NULL, &e);
    AUTOFREE char *y = NULL;
    struct snap_info *s = snapxml_parse(x, NULL);

    assert_non_null(s);
    assert_string_equal(s->name, name);
    assert_string_equal(s->description, "desc \"d\"");
    assert_int_equal(s->ndisks, 0);
    snapxml_free(s);

    y = snapxml_build("ext", NULL,
                      "vda,snapshot=external,driver=qcow2,file=/img/a,,b.qcow2\n"
                      "vdb,snapshot=no\n"
                      "vdc,stype=block,snapshot=external,file=/dev/vg/x", &e);
    assert_non_null(y);
    s = snapxml_parse(y, NULL);
    assert_null(s->description);
    assert_int_equal(s->ndisks, 3);
    assert_string_equal(s->disks[0].name, "vda");
    assert_string_equal(s->disks[0].file, "/img/a,b.qcow2");
    assert_string_equal(s->disks[0].driver, "qcow2");
    assert_string_equal(s->disks[1].snapshot, "no");
    assert_null(s->disks[1].file);
    assert_true(s->external);
    snapxml_free(s);
    assert_non_null(strstr(y, "<source dev=\"/dev/vg/x\"/>"));

    assert_null(snapxml_build("x", NULL, "vda,snapshot=sideways", &e));
    assert_non_null(strstr(e.msg, "snapshot=sideways"));
    assert_null(snapxml_build("x", NULL, "vda,colour=blue", &e));
    assert_non_null(strstr(e.msg, "'colour'"));
    assert_null(snapxml_build("x", NULL, ",file=/a", &e));
    assert_non_null(strstr(e.msg, "does not start with a disk"));
    assert_null(snapxml_build("x", NULL, "vda,stype=network", &e));
    assert_null(snapxml_build("", NULL, NULL, &e));

    assert_false(snapxml_wants_external(false, NULL));
    assert_false(snapxml_wants_external(false, "vda,snapshot=internal\nvdb,snapshot=no"));
    assert_true(snapxml_wants_external(true, NULL));
    assert_true(snapxml_wants_external(false, "vdb,snapshot=no\nvda,snapshot=external"));
}

#define DOM(disks) "<domain type='kvm'><name>db01</name><devices>" disks "</devices></domain>"

static void
test_check_internal(void **state)
{
    struct err e;
    const char *ok = DOM("<disk type='file' device='disk'><driver type='qcow2'/>"
                         "<source file='/i/a.qcow2'/><target dev='vda'/></disk>"
                         "<disk type='file' device='cdrom'><driver type='raw'/>"
                         "<source file='/i/d.iso'/><target dev='hdc'/><readonly/></disk>"
                         "<disk type='file' device='cdrom'><target dev='hdd'/></disk>"
                         "<disk type='file' device='disk'><driver type='raw'/>"
                         "<source file='/i/ro.img'/><target dev='vdz'/><readonly/></disk>"
                         "<disk type='file' device='disk' snapshot='no'><driver type='raw'/>"
                         "<source file='/i/scratch.img'/><target dev='vdy'/></disk>");
    const char *raw = DOM("<disk type='file' device='disk'><driver type='qcow2'/>"
                          "<source file='/i/a.qcow2'/><target dev='vda'/></disk>"
                          "<disk type='file' device='disk'><driver type='raw'/>"
                          "<source file='/i/data it&apos;s.img'/><target dev='vdb'/></disk>");
    const char *noformat = DOM("<disk type='block' device='disk'>"
                               "<source dev='/dev/sdb'/><target dev='sdb'/></disk>");

    assert_int_equal(snapxml_check_internal(ok, "db01", NULL, &e), 0);
    assert_int_equal(snapxml_check_internal(raw, "db01", NULL, &e), -1);
    assert_non_null(strstr(e.msg, "disk vdb (/i/data it's.img) of 'db01' is raw"));
    assert_non_null(strstr(e.msg, "--disk-only"));
    assert_non_null(strstr(e.msg, "--diskspec vdb,snapshot=no"));
    /* the raw disk left out by a diskspec, by target or by path */
    assert_int_equal(snapxml_check_internal(raw, "db01", "vdb,snapshot=no", &e), 0);
    assert_int_equal(snapxml_check_internal(raw, "db01", "/i/data it's.img,snapshot=no", &e),
                     0);
    assert_int_equal(snapxml_check_internal(raw, "db01", "vdb,snapshot=internal", &e), -1);
    assert_int_equal(snapxml_check_internal(noformat, "x", NULL, &e), -1);
    assert_non_null(strstr(e.msg, "disk sdb (/dev/sdb) of 'x' is raw (no format given)"));
    assert_int_equal(snapxml_check_internal(DOM(""), "empty", NULL, &e), 0);
    assert_int_equal(snapxml_check_internal("<domain", "bad", NULL, &e), -1);
    assert_non_null(strstr(e.msg, "domain XML"));
}

static void
test_default_name(void **state)
{
    char buf[32];

    setenv("TZ", "UTC", 1);
    tzset();
    snapxml_default_name(1700003601, buf, sizeof(buf));
    assert_string_equal(buf, "20231114-231321");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_internal),
        cmocka_unit_test(test_parse_external),
        cmocka_unit_test(test_parse_hostile_and_bad),
        cmocka_unit_test(test_set_description),
        cmocka_unit_test(test_build),
        cmocka_unit_test(test_check_internal),
        cmocka_unit_test(test_default_name),
    };

    err_silence_libraries();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
