/* test-domxml.c: what the details pane reads from a domain's XML: identity,
 * CPUs and memory in every unit, disks of each source kind with a backing
 * chain, interfaces, graphics and character devices; and the errors for
 * XML that is not well-formed or not a domain. */
#include <autoconf.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "domxml.h"

static const char full_xml[] =
    "<domain type='kvm'>\n"
    "  <name>web01</name>\n"
    "  <uuid>11111111-2222-3333-4444-555555555555</uuid>\n"
    "  <title>Web server</title>\n"
    "  <description>front end &amp; cache</description>\n"
    "  <memory unit='GiB'>4</memory>\n"
    "  <currentMemory unit='MiB'>2048</currentMemory>\n"
    "  <vcpu placement='static' current='2'>4</vcpu>\n"
    "  <os>\n"
    "    <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>\n"
    "  </os>\n"
    "  <devices>\n"
    "    <disk type='file' device='disk'>\n"
    "      <driver name='qemu' type='qcow2'/>\n"
    "      <source file='/img/top.qcow2'/>\n"
    "      <backingStore type='file' index='1'>\n"
    "        <format type='qcow2'/>\n"
    "        <source file='/img/mid.qcow2'/>\n"
    "        <backingStore type='file' index='2'>\n"
    "          <format type='raw'/>\n"
    "          <source file='/img/base.raw'/>\n"
    "          <backingStore/>\n"
    "        </backingStore>\n"
    "      </backingStore>\n"
    "      <target dev='vda' bus='virtio'/>\n"
    "    </disk>\n"
    "    <disk type='block' device='disk'>\n"
    "      <driver name='qemu' type='raw'/>\n"
    "      <source dev='/dev/sdb'/>\n"
    "      <target dev='vdb' bus='virtio'/>\n"
    "      <shareable/>\n"
    "    </disk>\n"
    "    <disk type='volume' device='disk'>\n"
    "      <driver name='qemu' type='qcow2'/>\n"
    "      <source pool='default' volume='data.qcow2'/>\n"
    "      <target dev='vdc' bus='virtio'/>\n"
    "    </disk>\n"
    "    <disk type='file' device='cdrom'>\n"
    "      <driver name='qemu' type='raw'/>\n"
    "      <source file='/iso/debian 12.iso'/>\n"
    "      <target dev='sda' bus='sata'/>\n"
    "      <readonly/>\n"
    "    </disk>\n"
    "    <disk type='file' device='cdrom'>\n"
    "      <target dev='sdb' bus='sata'/>\n"
    "      <readonly/>\n"
    "    </disk>\n"
    "    <interface type='network'>\n"
    "      <mac address='52:54:00:00:00:01'/>\n"
    "      <source network='default'/>\n"
    "      <model type='virtio'/>\n"
    "      <target dev='vnet0'/>\n"
    "    </interface>\n"
    "    <interface type='bridge'>\n"
    "      <mac address='52:54:00:00:00:02'/>\n"
    "      <source bridge='br0'/>\n"
    "      <model type='e1000'/>\n"
    "    </interface>\n"
    "    <serial type='pty'>\n"
    "      <source path='/dev/pts/5'/>\n"
    "      <target type='isa-serial' port='0'/>\n"
    "    </serial>\n"
    "    <console type='pty' tty='/dev/pts/5'>\n"
    "      <source path='/dev/pts/5'/>\n"
    "      <target type='serial' port='0'/>\n"
    "    </console>\n"
    "    <channel type='unix'>\n"
    "      <source mode='bind' path='/run/qga.sock'/>\n"
    "      <target type='virtio' name='org.qemu.guest_agent.0'/>\n"
    "    </channel>\n"
    "    <graphics type='vnc' port='5900' autoport='no' listen='127.0.0.1'>\n"
    "      <listen type='address' address='127.0.0.1'/>\n"
    "    </graphics>\n"
    "    <graphics type='spice' autoport='yes'>\n"
    "      <listen type='address' address='0.0.0.0'/>\n"
    "    </graphics>\n"
    "  </devices>\n"
    "</domain>\n";

static struct dom_details *
parse_ok(const char *xml)
{
    struct err e = { 0, "" };
    struct dom_details *d = domxml_parse(xml, &e);

    if (!d)
        fail_msg("domxml_parse failed: %s", e.msg);
    return d;
}

static void
test_identity(void **state)
{
    struct dom_details *d = parse_ok(full_xml);

    assert_string_equal(d->name, "web01");
    assert_string_equal(d->uuid, "11111111-2222-3333-4444-555555555555");
    assert_string_equal(d->title, "Web server");
    assert_string_equal(d->description, "front end & cache");
    assert_string_equal(d->os_type, "hvm");
    assert_string_equal(d->arch, "x86_64");
    assert_string_equal(d->machine, "pc-q35-7.2");
    assert_int_equal(d->vcpus_max, 4);
    assert_int_equal(d->vcpus_cur, 2);
    assert_int_equal(d->maxmem_kib, 4ULL * 1024 * 1024);
    assert_int_equal(d->mem_kib, 2048ULL * 1024);
    domxml_free(d);
}

static void
test_disks(void **state)
{
    struct dom_details *d = parse_ok(full_xml);
    struct dom_disk *k;

    assert_int_equal(d->ndisks, 5);

    k = &d->disks[0];
    assert_string_equal(k->device, "disk");
    assert_string_equal(k->type, "file");
    assert_string_equal(k->target, "vda");
    assert_string_equal(k->bus, "virtio");
    assert_string_equal(k->format, "qcow2");
    assert_string_equal(k->source, "/img/top.qcow2");
    /* the chain below the top image, nearest first; the empty
     * <backingStore/> that ends it is not an image */
    assert_string_equal(k->backing, "/img/mid.qcow2 <- /img/base.raw");
    assert_false(k->readonly);
    assert_false(k->shareable);

    k = &d->disks[1];
    assert_string_equal(k->type, "block");
    assert_string_equal(k->source, "/dev/sdb");
    assert_string_equal(k->target, "vdb");
    assert_null(k->backing);
    assert_true(k->shareable);
    assert_false(k->readonly);

    k = &d->disks[2];
    assert_string_equal(k->type, "volume");
    assert_string_equal(k->source, "default/data.qcow2");
    assert_string_equal(k->target, "vdc");

    k = &d->disks[3];
    assert_string_equal(k->device, "cdrom");
    assert_string_equal(k->source, "/iso/debian 12.iso");
    assert_string_equal(k->bus, "sata");
    assert_true(k->readonly);
    assert_null(k->backing);

    k = &d->disks[4];                    /* empty drive */
    assert_string_equal(k->device, "cdrom");
    assert_null(k->source);
    assert_null(k->format);
    assert_true(k->readonly);
    domxml_free(d);
}

static void
test_interfaces(void **state)
{
    struct dom_details *d = parse_ok(full_xml);

    assert_int_equal(d->nifaces, 2);
    assert_string_equal(d->ifaces[0].type, "network");
    assert_string_equal(d->ifaces[0].source, "default");
    assert_string_equal(d->ifaces[0].model, "virtio");
    assert_string_equal(d->ifaces[0].mac, "52:54:00:00:00:01");
    assert_string_equal(d->ifaces[0].target, "vnet0");
    assert_string_equal(d->ifaces[1].type, "bridge");
    assert_string_equal(d->ifaces[1].source, "br0");
    assert_string_equal(d->ifaces[1].model, "e1000");
    assert_string_equal(d->ifaces[1].mac, "52:54:00:00:00:02");
    assert_null(d->ifaces[1].target);
    domxml_free(d);
}

static void
test_graphics(void **state)
{
    struct dom_details *d = parse_ok(full_xml);

    assert_int_equal(d->ngraphics, 2);
    assert_string_equal(d->graphics[0].type, "vnc");
    assert_string_equal(d->graphics[0].port, "5900");
    assert_string_equal(d->graphics[0].listen, "127.0.0.1");
    assert_false(d->graphics[0].autoport);
    assert_string_equal(d->graphics[1].type, "spice");
    assert_null(d->graphics[1].port);
    assert_string_equal(d->graphics[1].listen, "0.0.0.0");
    assert_true(d->graphics[1].autoport);
    domxml_free(d);
}

static void
test_chardevs(void **state)
{
    struct dom_details *d = parse_ok(full_xml);

    assert_int_equal(d->nchardevs, 3);
    assert_string_equal(d->chardevs[0].kind, "serial");
    assert_string_equal(d->chardevs[0].type, "pty");
    assert_string_equal(d->chardevs[0].target, "isa-serial port 0");
    assert_string_equal(d->chardevs[0].path, "/dev/pts/5");
    assert_string_equal(d->chardevs[1].kind, "console");
    assert_string_equal(d->chardevs[1].type, "pty");
    assert_string_equal(d->chardevs[1].target, "serial port 0");
    assert_string_equal(d->chardevs[1].path, "/dev/pts/5");
    assert_string_equal(d->chardevs[2].kind, "channel");
    assert_string_equal(d->chardevs[2].type, "unix");
    assert_string_equal(d->chardevs[2].target, "org.qemu.guest_agent.0");
    assert_string_equal(d->chardevs[2].path, "/run/qga.sock");
    domxml_free(d);
}

/* A serial device of a shut-off domain: no path yet, target port only. */
static void
test_chardev_inactive(void **state)
{
    struct dom_details *d = parse_ok(
        "<domain><name>x</name><devices>"
        "<serial type='pty'><target port='0'/></serial>"
        "<console type='pty'><target type='serial'/></console>"
        "</devices></domain>");

    assert_int_equal(d->nchardevs, 2);
    assert_string_equal(d->chardevs[0].target, "port 0");
    assert_null(d->chardevs[0].path);
    assert_string_equal(d->chardevs[1].target, "serial");
    domxml_free(d);
}

static unsigned long long
mem_of(const char *unit_attr, const char *value)
{
    AUTOFREE char *xml = xasprintf("<domain><name>m</name>"
                                   "<memory%s>%s</memory></domain>",
                                   unit_attr, value);
    struct dom_details *d = parse_ok(xml);
    unsigned long long v = d->maxmem_kib;

    /* no currentMemory: the current size is the maximum */
    assert_int_equal(d->mem_kib, v);
    domxml_free(d);
    return v;
}

static void
test_memory_units(void **state)
{
    assert_int_equal(mem_of("", "1048576"), 1048576);            /* KiB default */
    assert_int_equal(mem_of(" unit='KiB'", "524288"), 524288);
    assert_int_equal(mem_of(" unit='k'", "1024"), 1024);
    assert_int_equal(mem_of(" unit='MiB'", "768"), 768 * 1024);
    assert_int_equal(mem_of(" unit='M'", "2"), 2048);
    assert_int_equal(mem_of(" unit='GiB'", "2"), 2 * 1024 * 1024);
    assert_int_equal(mem_of(" unit='G'", "1"), 1024 * 1024);
    assert_int_equal(mem_of(" unit='TiB'", "1"), 1024ULL * 1024 * 1024);
    assert_int_equal(mem_of(" unit='bytes'", "1073741824"), 1048576);
    assert_int_equal(mem_of(" unit='b'", "2048"), 2);
    assert_int_equal(mem_of(" unit='KB'", "1024"), 1000);
    assert_int_equal(mem_of(" unit='MB'", "1024"), 1000000);
    assert_int_equal(mem_of(" unit='GB'", "1"), 976562);
    assert_int_equal(mem_of("", "junk"), 0);
}

static void
test_minimal(void **state)
{
    struct dom_details *d = parse_ok("<domain type='test'><name>tiny</name>"
                                     "<vcpu>3</vcpu></domain>");

    assert_string_equal(d->name, "tiny");
    assert_null(d->uuid);
    assert_null(d->title);
    assert_null(d->os_type);
    assert_int_equal(d->vcpus_max, 3);
    assert_int_equal(d->vcpus_cur, 3);      /* no current: all of them */
    assert_int_equal(d->maxmem_kib, 0);
    assert_int_equal(d->ndisks, 0);
    assert_int_equal(d->nifaces, 0);
    assert_int_equal(d->ngraphics, 0);
    assert_int_equal(d->nchardevs, 0);
    domxml_free(d);
    domxml_free(NULL);
}

/* Names with XML specials and unicode come back as text. */
static void
test_hostile_name(void **state)
{
    struct dom_details *d = parse_ok(
        "<domain><name>a &lt;&amp;&gt; \"q\" 'x' 日本</name>"
        "<title>tab\there</title></domain>");

    assert_string_equal(d->name, "a <&> \"q\" 'x' 日本");
    assert_string_equal(d->title, "tab\there");
    domxml_free(d);
}

static void
test_not_well_formed(void **state)
{
    struct err e = { 0, "" };
    struct dom_details *d = domxml_parse("<domain>\n"
                                         "  <name>x</name>\n"
                                         "  <devices>\n"
                                         "</domain>\n", &e);

    assert_null(d);
    if (!strstr(e.msg, "not well-formed") || !strstr(e.msg, "(line "))
        fail_msg("unexpected error: %s", e.msg);
    assert_non_null(strstr(e.msg, "domain XML"));

    err_clear(&e);
    assert_null(domxml_parse("<domain><name>x</name>", &e));
    assert_non_null(strstr(e.msg, "not well-formed"));
    assert_non_null(strstr(e.msg, "line 1"));

    err_clear(&e);
    assert_null(domxml_parse("", &e));
    assert_true(e.msg[0] != '\0');

    err_clear(&e);
    assert_null(domxml_parse("just text", &e));
    assert_true(e.msg[0] != '\0');

    /* no error printed and no crash without an err */
    assert_null(domxml_parse("<domain", NULL));
}

/* The error names the first problem and its line (where the user has to
 * look), not the parser's last complaint at the end of the text. xml.c
 * reads xmlCtxtGetLastError, which here says "Premature end of data"
 * on line 5. Skipped until xml_parse keeps the first error; see the report. */
static void
test_first_error(void **state)
{
    struct err e = { 0, "" };

    assert_null(domxml_parse("<domain>\n"
                             "  <name>x</name>\n"
                             "  <devices>\n"
                             "</domain>\n", &e));
    if (!strstr(e.msg, "line 4") || !strstr(e.msg, "mismatch"))
        fail_msg("unexpected error: %s", e.msg);
}

static void
test_not_a_domain(void **state)
{
    struct err e = { 0, "" };

    assert_null(domxml_parse("<network><name>default</name></network>", &e));
    assert_non_null(strstr(e.msg, "'network'"));
    assert_non_null(strstr(e.msg, "not a domain"));
}

/* Entities must not be fetched or expanded from the outside world. */
static void
test_no_external_entities(void **state)
{
    struct err e = { 0, "" };
    struct dom_details *d = domxml_parse(
        "<?xml version='1.0'?>\n"
        "<!DOCTYPE domain [<!ENTITY x SYSTEM 'file:///etc/hostname'>]>\n"
        "<domain><name>n&x;</name></domain>\n", &e);

    if (d) {
        assert_string_equal(d->name, "n");
        domxml_free(d);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_identity),
        cmocka_unit_test(test_disks),
        cmocka_unit_test(test_interfaces),
        cmocka_unit_test(test_graphics),
        cmocka_unit_test(test_chardevs),
        cmocka_unit_test(test_chardev_inactive),
        cmocka_unit_test(test_memory_units),
        cmocka_unit_test(test_minimal),
        cmocka_unit_test(test_hostile_name),
        cmocka_unit_test(test_not_well_formed),
        cmocka_unit_test(test_first_error),
        cmocka_unit_test(test_not_a_domain),
        cmocka_unit_test(test_no_external_entities),
    };

    err_silence_libraries();
    return cmocka_run_group_tests_name("domxml", tests, NULL, NULL);
}
