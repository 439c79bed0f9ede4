/* Network XML: what the networks pane reads (mode, bridge, addresses,
 * DHCP range, static hosts) and what net-new writes, with every field
 * checked before anything reaches libvirt. */
#include <autoconf.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "netxml.h"

static void
test_parse(void **state)
{
    struct net_info *n;
    struct err e;

    n = netxml_parse("<network><name>default</name><uuid>u</uuid>"
                     "<forward mode='nat'/><bridge name='virbr0'/>"
                     "<ip address='192.168.122.1' netmask='255.255.255.0'><dhcp>"
                     "<range start='192.168.122.2' end='192.168.122.254'/>"
                     "<host mac='52:54:00:00:00:01' ip='192.168.122.5'/></dhcp></ip>"
                     "<ip family='ipv6' address='fd00::1' prefix='64'/></network>", &e);
    assert_non_null(n);
    assert_string_equal(n->name, "default");
    assert_string_equal(n->forward, "nat");
    assert_string_equal(n->bridge, "virbr0");
    assert_string_equal(n->ipv4, "192.168.122.1/24");
    assert_string_equal(n->dhcp, "192.168.122.2 - 192.168.122.254");
    assert_string_equal(n->ipv6, "fd00::1/64");
    assert_int_equal(n->nhosts, 1);
    netxml_free(n);
    n = netxml_parse("<network><name>iso</name><ip address='10.0.0.1' prefix='16'/></network>", &e);
    assert_string_equal(n->forward, "isolated");
    assert_string_equal(n->ipv4, "10.0.0.1/16");
    assert_null(n->dhcp);
    netxml_free(n);
    n = netxml_parse("<network><name>x</name><forward/></network>", &e);
    assert_string_equal(n->forward, "nat");
    netxml_free(n);
    assert_null(netxml_parse("<domain/>", &e));
    assert_non_null(strstr(e.msg, "not a network"));
    assert_null(netxml_parse("<network>", &e));
}

static void
test_build_roundtrip(void **state)
{
    struct err e;
    char *xml = netxml_build("lab \"5\" <&>", "nat", NULL, "192.168.50.1/24",
                             "192.168.50.10-192.168.50.99", "fd00:50::1/64", &e);
    struct net_info *n;

    assert_non_null(xml);
    n = netxml_parse(xml, &e);
    assert_non_null(n);
    assert_string_equal(n->name, "lab \"5\" <&>");
    assert_string_equal(n->forward, "nat");
    assert_string_equal(n->ipv4, "192.168.50.1/24");
    assert_string_equal(n->dhcp, "192.168.50.10 - 192.168.50.99");
    assert_string_equal(n->ipv6, "fd00:50::1/64");
    netxml_free(n);
    free(xml);
    xml = netxml_build("iso", "isolated", "virbr9", "10.9.0.1/16", NULL, NULL, &e);
    n = netxml_parse(xml, &e);
    assert_string_equal(n->forward, "isolated");
    assert_string_equal(n->bridge, "virbr9");
    netxml_free(n);
    free(xml);
    xml = netxml_build("lan", "bridge", "br0", NULL, NULL, NULL, &e);
    n = netxml_parse(xml, &e);
    assert_string_equal(n->forward, "bridge");
    assert_null(n->ipv4);
    netxml_free(n);
    free(xml);
}

static void
refused(const char *name, const char *mode, const char *bridge, const char *ipv4,
        const char *dhcp, const char *ipv6, const char *why)
{
    struct err e;
    char *xml = netxml_build(name, mode, bridge, ipv4, dhcp, ipv6, &e);

    assert_null(xml);
    if (!strstr(e.msg, why))
        fail_msg("'%s' does not say '%s'", e.msg, why);
}

static void
test_build_refusals(void **state)
{
    refused("", "nat", NULL, "10.0.0.1/24", NULL, NULL, "needs a name");
    refused("a/b", "nat", NULL, "10.0.0.1/24", NULL, NULL, "without '/'");
    refused("x", "tunnel", NULL, "10.0.0.1/24", NULL, NULL, "not one of");
    refused("x", "bridge", NULL, NULL, NULL, NULL, "host bridge");
    refused("x", "nat", NULL, NULL, NULL, NULL, "needs an IPv4 address");
    refused("x", "nat", NULL, "10.0.0.1", NULL, NULL, "ADDRESS/PREFIX");
    refused("x", "nat", NULL, "10.0.0.300/24", NULL, NULL, "not an IPv4 address");
    refused("x", "nat", NULL, "10.0.0.1/31", NULL, NULL, "must be 1..30");
    refused("x", "nat", NULL, "10.0.0.1/24", "10.0.0.9", NULL, "START-END");
    refused("x", "nat", NULL, "10.0.0.1/24", "10.0.0.90-10.0.0.9", NULL, "lowest first");
    refused("x", "nat", NULL, "10.0.0.1/24", "10.0.1.2-10.0.1.9", NULL, "not inside");
    refused("x", "nat", NULL, "10.0.0.5/24", "10.0.0.2-10.0.0.9", NULL, "own address");
    refused("x", "nat", NULL, "10.0.0.1/24", NULL, "fd00::1", "ADDRESS/PREFIX");
    refused("x", "nat", NULL, "10.0.0.1/24", NULL, "zz::1/64", "not an IPv6 address");
    refused("x", "nat", "a-bridge-name-too-long", "10.0.0.1/24", NULL, NULL,
            "longer than 15 characters");
    refused("x", "nat", NULL, "192.168.300.1/24", NULL, NULL, "not an IPv4 address");
}

static void
test_overlaps(void **state)
{
    assert_true(netxml_overlaps("192.168.122.1/24", "192.168.122.77/24"));
    assert_true(netxml_overlaps("10.0.0.1/8", "10.20.0.1/24"));
    assert_false(netxml_overlaps("192.168.50.1/24", "192.168.51.1/24"));
    assert_false(netxml_overlaps("192.168.50.1/24", NULL));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_build_roundtrip),
        cmocka_unit_test(test_build_refusals),
        cmocka_unit_test(test_overlaps),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
