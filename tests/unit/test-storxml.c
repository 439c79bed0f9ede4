/* Storage XML and sizes: what the pools pane reads from pool and volume
 * XML, what pool-define-as and vol-create-as write, and the sizes users
 * type, each wrong one refused with a sentence before libvirt sees it. */
#include <autoconf.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "storxml.h"
#include "xml.h"

static void
test_sizes(void **state)
{
    unsigned long long b = 0;
    struct err e;

    assert_int_equal(storxml_parse_size("10G", "size", &b, &e), 0);
    assert_true(b == 10ULL << 30);
    assert_int_equal(storxml_parse_size("512M", "size", &b, &e), 0);
    assert_true(b == 512ULL << 20);
    assert_int_equal(storxml_parse_size("1.5T", "size", &b, &e), 0);
    assert_true(b == 3ULL << 39);
    assert_int_equal(storxml_parse_size("64MiB", "size", &b, &e), 0);
    assert_true(b == 64ULL << 20);
    assert_int_equal(storxml_parse_size("4096b", "size", &b, &e), 0);
    assert_true(b == 4096);
    /* virsh's decimal units */
    assert_int_equal(storxml_parse_size("10GB", "size", &b, &e), 0);
    assert_true(b == 10000000000ULL);

    assert_int_equal(storxml_parse_size("10", "capacity", &b, &e), -1);
    assert_non_null(strstr(e.msg, "no unit"));
    assert_non_null(strstr(e.msg, "10G"));
    assert_int_equal(storxml_parse_size("1e3", "capacity", &b, &e), -1);
    assert_non_null(strstr(e.msg, "unknown unit"));
    assert_int_equal(storxml_parse_size("-1", "capacity", &b, &e), -1);
    assert_non_null(strstr(e.msg, "negative"));
    assert_int_equal(storxml_parse_size("9999999T", "capacity", &b, &e), -1);
    assert_non_null(strstr(e.msg, "too large"));
    assert_int_equal(storxml_parse_size("", "capacity", &b, &e), -1);
    assert_int_equal(storxml_parse_size("G", "capacity", &b, &e), -1);
    assert_int_equal(storxml_parse_size("1.2.3G", "capacity", &b, &e), -1);
    assert_int_equal(storxml_parse_size("1.5b", "capacity", &b, &e), -1);
}

static void
test_format_size(void **state)
{
    char buf[32];

    storxml_format_size(512, buf, sizeof(buf));
    assert_string_equal(buf, "512 B");
    storxml_format_size(64ULL << 20, buf, sizeof(buf));
    assert_string_equal(buf, "64 MiB");
    storxml_format_size(3ULL << 39, buf, sizeof(buf));
    assert_string_equal(buf, "1.5 TiB");
}

static void
test_names(void **state)
{
    struct err e;

    assert_int_equal(storxml_check_name("disk.qcow2", "volume", &e), 0);
    assert_int_equal(storxml_check_name("o'brien \"q\" \xc3\xa9t\xc3\xa9.img", "volume", &e), 0);
    assert_int_equal(storxml_check_name("../etc/passwd", "volume", &e), -1);
    assert_non_null(strstr(e.msg, "'/'"));
    assert_int_equal(storxml_check_name("..", "volume", &e), -1);
    assert_int_equal(storxml_check_name("", "volume", &e), -1);
}

static void
test_parse(void **state)
{
    struct pool_info *p;
    struct vol_info *v;
    struct err e;

    p = storxml_pool_parse("<pool type='netfs'><name>nas</name><uuid>u</uuid>"
                           "<source><host name='nas.lan'/><dir path='/export/vm'/>"
                           "<format type='nfs'/></source>"
                           "<target><path>/mnt/nas</path></target></pool>", &e);
    assert_non_null(p);
    assert_string_equal(p->type, "netfs");
    assert_string_equal(p->target, "/mnt/nas");
    assert_string_equal(p->source, "nas.lan:/export/vm");
    storxml_pool_free(p);
    assert_null(storxml_pool_parse("<volume/>", &e));
    assert_null(storxml_pool_parse("<pool", &e));

    v = storxml_vol_parse("<volume type='file'><name>web.qcow2</name><key>/p/web.qcow2</key>"
                          "<capacity unit='bytes'>21474836480</capacity>"
                          "<allocation unit='KiB'>1024</allocation>"
                          "<target><path>/p/web.qcow2</path><format type='qcow2'/></target>"
                          "<backingStore><path>/p/base.img</path><format type='raw'/>"
                          "</backingStore></volume>", &e);
    assert_non_null(v);
    assert_string_equal(v->format, "qcow2");
    assert_string_equal(v->path, "/p/web.qcow2");
    assert_string_equal(v->backing, "/p/base.img");
    assert_string_equal(v->backing_format, "raw");
    assert_true(v->capacity == 20ULL << 30);
    assert_true(v->allocation == 1ULL << 20);
    storxml_vol_free(v);
}

static char *
xp(const char *xml, const char *expr)
{
    xmlDocPtr doc = xml_parse(xml, "test", NULL);
    xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
    char *s = xml_str(ctx, xmlDocGetRootElement(doc), expr);

    xmlXPathFreeContext(ctx);
    xmlFreeDoc(doc);
    return s;
}

static void
test_build(void **state)
{
    struct err e;
    char *x, *s;

    x = storxml_vol_build("a<&>'\".qcow2", 10ULL << 30, 0, "qcow2", NULL, NULL, &e);
    assert_non_null(x);
    s = xp(x, "string(name)");
    assert_string_equal(s, "a<&>'\".qcow2");
    free(s);
    s = xp(x, "string(capacity)");
    assert_string_equal(s, "10737418240");
    free(s);
    free(x);
    x = storxml_vol_build("ov.qcow2", 0, 0, NULL, "/p/base.img", "raw", &e);
    assert_non_null(x);
    s = xp(x, "string(backingStore/path)");
    assert_string_equal(s, "/p/base.img");
    free(s);
    s = xp(x, "string(target/format/@type)");
    assert_string_equal(s, "qcow2");
    free(s);
    free(x);
    assert_null(storxml_vol_build("x", 0, 0, "raw", NULL, NULL, &e));
    assert_null(storxml_vol_build("x", 1024, 0, "raw", "/p/base", NULL, &e));
    assert_non_null(strstr(e.msg, "qcow2"));
    assert_null(storxml_vol_build("a/b", 1024, 0, "raw", NULL, NULL, &e));

    x = storxml_pool_build("images", "dir", "/srv/images", NULL, NULL, NULL, NULL, NULL, &e);
    assert_non_null(x);
    s = xp(x, "string(@type)");
    assert_string_equal(s, "dir");
    free(s);
    s = xp(x, "string(target/path)");
    assert_string_equal(s, "/srv/images");
    free(s);
    free(x);
    x = storxml_pool_build("nas", "netfs", "/mnt/nas", "nas.lan", "/export", NULL, NULL,
                           NULL, &e);
    s = xp(x, "string(source/host/@name)");
    assert_string_equal(s, "nas.lan");
    free(s);
    free(x);
    x = storxml_pool_build("vg", "logical", NULL, NULL, NULL, "/dev/sdb", "vg0", NULL, &e);
    s = xp(x, "string(target/path)");
    assert_string_equal(s, "/dev/vg0");
    free(s);
    free(x);
    assert_null(storxml_pool_build("x", "dir", "relative", NULL, NULL, NULL, NULL, NULL, &e));
    assert_null(storxml_pool_build("x", "iscsi", "/t", NULL, NULL, NULL, NULL, NULL, &e));
    assert_null(storxml_pool_build("x", "fs", "/t", NULL, NULL, NULL, NULL, NULL, &e));
    assert_non_null(strstr(e.msg, "--source-dev"));
    assert_null(storxml_pool_build("x", "netfs", "/t", "h", NULL, NULL, NULL, NULL, &e));
    assert_null(storxml_pool_build("x", "logical", NULL, NULL, NULL, NULL, NULL, NULL, &e));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sizes),
        cmocka_unit_test(test_format_size),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_build),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
