/* test-action.c: the action table and its parser, without a daemon. The
 * model is filled by hand (three hosts, names that clash across hosts and
 * hostile ones), then command lines are parsed the way the ':' line and
 * the keys send them: virsh's positional order, --options, "--", --host,
 * quoting; the equivalent virsh line; completion; usage; and checks that
 * every row of the table is complete and every default key names a row. */
#include <autoconf.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "action.h"
#include "keymap.h"
#include "model.h"

#define URI_A "test:///a.xml"
#define URI_B "test:///b.xml"
#define URI_C "test:///c.xml"

static const struct {
    int host;
    const char *uuid, *name;
} doms[] = {
    { 0, "00000000-0000-4000-a000-000000000001", "web01" },
    { 0, "00000000-0000-4000-a000-000000000002", "name with spaces" },
    { 0, "00000000-0000-4000-a000-000000000003", "it's" },
    { 0, "00000000-0000-4000-a000-000000000004", "-leading-dash" },
    { 0, "00000000-0000-4000-a000-000000000005", "old" },
    { 0, "00000000-0000-4000-a000-000000000006", "shared" },
    { 0, "00000000-0000-4000-a000-000000000007", "webserver" },
    { 1, "00000000-0000-4000-b000-000000000006", "shared" },
    { 1, "00000000-0000-4000-b000-000000000008", "dup" },
    { 1, "00000000-0000-4000-b000-000000000009", "only-b" },
    { 2, "00000000-0000-4000-c000-000000000008", "dup" },
};

static int
setup(void **state)
{
    assert_int_equal(model_host_add(URI_A, false), 0);
    assert_int_equal(model_host_add(URI_B, false), 1);
    assert_int_equal(model_host_add(URI_C, true), 2);
    for (size_t i = 0; i < ARRAY_CARDINALITY(doms); i++) {
        struct m_dom *d = model_dom_new(doms[i].host, doms[i].uuid, doms[i].name);

        d->state = VIR_DOMAIN_SHUTOFF;
        d->persistent = true;
        model_dom_put(d);
    }
    keymap_init();
    return 0;
}

static int
teardown(void **state)
{
    keymap_free();
    model_free();
    return 0;
}

static const struct act_ctx ctx_a = { 0, NULL };
static const struct act_ctx ctx_b = { 1, NULL };
static const struct act_ctx ctx_c = { 2, NULL };
static const struct act_ctx ctx_none = { -1, NULL };

static struct act_call *
parse_ok(const char *line, const struct act_ctx *ctx)
{
    struct act_call *c = NULL;
    struct err e = { 0, "" };

    if (action_parse(line, ctx, &c, &e) < 0)
        fail_msg("action_parse(\"%s\") failed: %s", line, e.msg);
    assert_non_null(c);
    return c;
}

/* Parsing must fail with a message containing each of the given words. */
static void
parse_fails(const char *line, const struct act_ctx *ctx, ...)
{
    struct act_call *c = (struct act_call *)1;
    struct err e = { 0, "" };
    const char *want;
    va_list ap;

    if (action_parse(line, ctx, &c, &e) == 0) {
        action_call_free(c);
        fail_msg("action_parse(\"%s\") should fail", line);
    }
    assert_null(c);
    va_start(ap, ctx);
    while ((want = va_arg(ap, const char *))) {
        if (!strstr(e.msg, want))
            fail_msg("error for \"%s\" is \"%s\"; wanted it to mention \"%s\"",
                     line, e.msg, want);
    }
    va_end(ap);
}

/* ---- parsing ---- */

static void
test_parse_target(void **state)
{
    struct act_call *c = parse_ok("start web01", &ctx_a);

    assert_string_equal(c->act->name, "start");
    assert_int_equal(c->host, 0);
    assert_string_equal(c->uuid, "00000000-0000-4000-a000-000000000001");
    assert_string_equal(c->name, "web01");
    assert_string_equal(action_arg(c, "domain"), "web01");
    assert_null(action_arg(c, "paused"));
    assert_null(action_arg(c, "no-such-arg"));
    action_call_free(c);
    action_call_free(NULL);

    /* a UUID names the domain too; the name is what the call carries */
    c = parse_ok("start 00000000-0000-4000-a000-000000000005", &ctx_a);
    assert_string_equal(c->name, "old");
    assert_string_equal(action_arg(c, "domain"), "old");
    action_call_free(c);
}

static void
test_parse_selection(void **state)
{
    struct act_ctx sel = { 0, "00000000-0000-4000-a000-000000000007" };
    struct act_ctx gone = { 0, "00000000-0000-4000-a000-0000000000ff" };
    struct act_call *c = parse_ok("start", &sel);

    assert_string_equal(c->name, "webserver");
    assert_string_equal(c->uuid, sel.uuid);
    action_call_free(c);
    /* a named domain wins over the selection */
    c = parse_ok("start web01 --paused", &sel);
    assert_string_equal(c->name, "web01");
    action_call_free(c);
    parse_fails("start", &gone, "gone", NULL);
    parse_fails("start", &ctx_a, "start", "needs a domain", NULL);
}

static void
test_parse_positional_order(void **state)
{
    struct act_call *c = parse_ok("domrename old new", &ctx_a);

    assert_string_equal(c->act->name, "domrename");
    assert_string_equal(c->name, "old");
    assert_string_equal(action_arg(c, "domain"), "old");
    assert_string_equal(action_arg(c, "new-name"), "new");
    action_call_free(c);

    /* options by name, in any order, with '=' or a separate word */
    c = parse_ok("domrename --new-name=new2 old", &ctx_a);
    assert_string_equal(action_arg(c, "new-name"), "new2");
    assert_string_equal(c->name, "old");
    action_call_free(c);
    c = parse_ok("domrename --domain old --new-name 'a b'", &ctx_a);
    assert_string_equal(action_arg(c, "new-name"), "a b");
    action_call_free(c);

    parse_fails("domrename old", &ctx_a, "new-name",
                "usage: domrename <domain> <new-name>", NULL);
    parse_fails("domrename old new extra", &ctx_a, "extra", NULL);
    parse_fails("domrename old --new-name", &ctx_a, "--new-name", "needs a value", NULL);
}

static void
test_parse_bool(void **state)
{
    struct act_call *c = parse_ok("start web01 --paused", &ctx_a);

    assert_string_equal(action_arg(c, "paused"), "1");
    assert_null(action_arg(c, "force-boot"));
    action_call_free(c);
    c = parse_ok("start --force-boot --paused web01", &ctx_a);
    assert_non_null(action_arg(c, "paused"));
    assert_non_null(action_arg(c, "force-boot"));
    assert_string_equal(c->name, "web01");
    action_call_free(c);
    parse_fails("start web01 --paused=yes", &ctx_a, "--paused", "takes no value", NULL);
}

static void
test_parse_errors(void **state)
{
    parse_fails("start web01 --no-such", &ctx_a, "start", "--no-such", NULL);
    parse_fails("frobnicate web01", &ctx_a, "frobnicate", "Unknown command", NULL);
    parse_fails("", &ctx_a, "command", NULL);
    parse_fails("   ", &ctx_a, "command", NULL);
    parse_fails("start 'web01", &ctx_a, "quotes", NULL);
    parse_fails("start nosuchdomain", &ctx_a, "nosuchdomain", "not found", NULL);
    parse_fails("start web01 web02", &ctx_a, "web02", NULL);
    parse_fails("start web", &ctx_a, "'web'", "not found", NULL);   /* no prefixes */
}

static void
test_parse_hosts(void **state)
{
    struct act_call *c;

    /* the same name on hosts 0 and 1: the context's host wins */
    c = parse_ok("start shared", &ctx_a);
    assert_int_equal(c->host, 0);
    assert_string_equal(c->uuid, "00000000-0000-4000-a000-000000000006");
    action_call_free(c);
    c = parse_ok("start shared", &ctx_b);
    assert_int_equal(c->host, 1);
    assert_string_equal(c->uuid, "00000000-0000-4000-b000-000000000006");
    action_call_free(c);

    /* --host picks another, by whole URI or a unique part */
    c = parse_ok("start shared --host " URI_B, &ctx_a);
    assert_int_equal(c->host, 1);
    action_call_free(c);
    c = parse_ok("start --host=b.xml shared", &ctx_a);
    assert_int_equal(c->host, 1);
    action_call_free(c);

    /* on one other host only: found there */
    c = parse_ok("start only-b", &ctx_a);
    assert_int_equal(c->host, 1);
    action_call_free(c);
    c = parse_ok("start web01", &ctx_none);
    assert_int_equal(c->host, 0);
    action_call_free(c);

    /* the context's host has none and two others do: ambiguous */
    parse_fails("start dup", &ctx_a, "dup", "several hosts", "--host", NULL);
    parse_fails("start shared", &ctx_none, "shared", "several hosts", NULL);
    c = parse_ok("start dup", &ctx_b);
    assert_int_equal(c->host, 1);
    action_call_free(c);
    c = parse_ok("start dup --host c.xml", &ctx_a);
    assert_int_equal(c->host, 2);
    assert_string_equal(c->uuid, "00000000-0000-4000-c000-000000000008");
    action_call_free(c);

    /* --host limits the search to that host */
    parse_fails("start web01 --host " URI_B, &ctx_a, "web01", URI_B, NULL);
    parse_fails("start web01 --host nosuch", &ctx_a, "nosuch", NULL);
    parse_fails("start web01 --host test", &ctx_a, "More than one host", NULL);
    parse_fails("start web01 --host", &ctx_a, "--host", NULL);
    (void)ctx_c;
}

/* Networks, pools and volumes by path follow the domains' rule
 * (src/act/act-target.c): the command's host first, with --host only
 * there, else the only other host that has it; several: say so. */
static void
test_find_every_kind(void **state)
{
    static const struct {
        int host;
        const char *uuid, *name;
    } nets[] = {
        { 0, "00000000-0000-4000-a100-000000000001", "default" },
        { 1, "00000000-0000-4000-b100-000000000001", "default" },
        { 2, "00000000-0000-4000-c100-000000000001", "default" },
        { 1, "00000000-0000-4000-b100-000000000002", "lab" },
    }, pools[] = {
        { 0, "00000000-0000-4000-a200-000000000001", "images" },
        { 1, "00000000-0000-4000-b200-000000000001", "images" },
        { 2, "00000000-0000-4000-c200-000000000002", "isos" },
    };
    struct act_ctx on_b_net = { 1, NULL, "00000000-0000-4000-b100-000000000001" };
    struct act_call *c;

    for (size_t i = 0; i < ARRAY_CARDINALITY(nets); i++) {
        struct m_net *n = model_net_new(nets[i].host, nets[i].uuid, nets[i].name);

        n->active = n->persistent = true;
        model_net_put(n);
    }
    for (size_t i = 0; i < ARRAY_CARDINALITY(pools); i++) {
        struct m_pool *p = model_pool_new(pools[i].host, pools[i].uuid, pools[i].name);
        struct m_vol *v = calloc(1, sizeof(*v));

        p->active = p->persistent = true;
        model_pool_put(p);
        v->name = strdup("disk.qcow2");
        v->path = strdup(pools[i].host == 1 ? "/b/disk.qcow2" : "/a/disk.qcow2");
        model_pool_set_vols(pools[i].host, pools[i].uuid, v, 1, NULL);
    }

    /* the command's host first */
    c = parse_ok("net-start default", &ctx_b);
    assert_int_equal(c->host, 1);
    action_call_free(c);
    c = parse_ok("pool-refresh images", &ctx_a);
    assert_int_equal(c->host, 0);
    action_call_free(c);
    /* the only other host that has it */
    c = parse_ok("net-start lab", &ctx_a);
    assert_int_equal(c->host, 1);
    assert_string_equal(c->uuid, "00000000-0000-4000-b100-000000000002");
    action_call_free(c);
    c = parse_ok("pool-refresh isos", &ctx_a);
    assert_int_equal(c->host, 2);
    action_call_free(c);
    c = parse_ok("vol-info /b/disk.qcow2", &ctx_a);
    assert_int_equal(c->host, 1);
    assert_string_equal(c->pool, "images");
    assert_string_equal(c->name, "disk.qcow2");
    action_call_free(c);
    /* several and no host of its own: ambiguous, as for domains */
    parse_fails("net-start default", &ctx_none, "Network 'default'", "several hosts",
                "--host", NULL);
    parse_fails("pool-refresh images", &ctx_c, "Pool 'images'", "several hosts", NULL);
    parse_fails("vol-info /a/disk.qcow2", &ctx_b, "several hosts", NULL);
    /* --host: there only */
    c = parse_ok("net-start default --host c.xml", &ctx_a);
    assert_int_equal(c->host, 2);
    action_call_free(c);
    parse_fails("net-start lab --host " URI_C, &ctx_b, "Network 'lab' not found on '" URI_C "'",
                NULL);
    parse_fails("pool-refresh isos --host a.xml", &ctx_c, "Pool 'isos' not found on", NULL);
    parse_fails("vol-info /b/disk.qcow2 --host a.xml", &ctx_b, "No volume at '/b/disk.qcow2'",
                NULL);
    parse_fails("net-start nosuch", &ctx_a, "Network 'nosuch' not found", NULL);
    /* the selection, without a name */
    c = parse_ok("net-start", &on_b_net);
    assert_int_equal(c->host, 1);
    assert_string_equal(c->name, "default");
    action_call_free(c);
    parse_fails("net-start", &ctx_a, "needs a network: select one (2) or name it", NULL);

    for (size_t i = 0; i < ARRAY_CARDINALITY(nets); i++)
        model_net_remove(nets[i].host, nets[i].uuid);
    for (size_t i = 0; i < ARRAY_CARDINALITY(pools); i++)
        model_pool_remove(pools[i].host, pools[i].uuid);
}

static void
test_parse_quoting(void **state)
{
    struct act_call *c;

    c = parse_ok("start 'name with spaces'", &ctx_a);
    assert_string_equal(c->name, "name with spaces");
    action_call_free(c);
    c = parse_ok("start \"name with spaces\" --paused", &ctx_a);
    assert_string_equal(c->name, "name with spaces");
    action_call_free(c);
    c = parse_ok("start name\\ with\\ spaces", &ctx_a);
    assert_string_equal(c->name, "name with spaces");
    action_call_free(c);
    c = parse_ok("start \"it's\"", &ctx_a);
    assert_string_equal(c->name, "it's");
    action_call_free(c);
    c = parse_ok("start 'it'\\''s'", &ctx_a);
    assert_string_equal(c->name, "it's");
    action_call_free(c);
    parse_fails("start name with spaces", &ctx_a, NULL);
}

static void
test_parse_dashes(void **state)
{
    struct act_call *c;

    c = parse_ok("start -- -leading-dash", &ctx_a);
    assert_string_equal(c->name, "-leading-dash");
    action_call_free(c);
    /* a single dash does not start an option */
    c = parse_ok("start -leading-dash", &ctx_a);
    assert_string_equal(c->name, "-leading-dash");
    action_call_free(c);
    /* after "--" even "--paused" is a name */
    parse_fails("start -- --paused", &ctx_a, "--paused", "not found", NULL);
    c = parse_ok("start --paused -- -leading-dash", &ctx_a);
    assert_non_null(action_arg(c, "paused"));
    assert_string_equal(c->name, "-leading-dash");
    action_call_free(c);
    c = parse_ok("domrename old -- --new", &ctx_a);
    assert_string_equal(action_arg(c, "new-name"), "--new");
    action_call_free(c);
}

static void
test_parse_host_and_none_targets(void **state)
{
    struct act_call *c;

    c = parse_ok("define /tmp/x.xml", &ctx_b);
    assert_int_equal(c->host, 1);
    assert_string_equal(action_arg(c, "file"), "/tmp/x.xml");
    action_call_free(c);
    c = parse_ok("define /tmp/x.xml --host c.xml", &ctx_a);
    assert_int_equal(c->host, 2);
    action_call_free(c);
    c = parse_ok("refresh", &ctx_b);
    assert_int_equal(c->host, 1);
    action_call_free(c);
    c = parse_ok("refresh " URI_C, &ctx_none);
    assert_int_equal(c->host, 2);
    action_call_free(c);
    c = parse_ok("help start", &ctx_a);
    assert_string_equal(action_arg(c, "command"), "start");
    action_call_free(c);
    c = parse_ok("quit", &ctx_none);
    assert_string_equal(c->act->name, "quit");
    action_call_free(c);
    parse_fails("define", &ctx_a, "file", NULL);
}

/* ---- the equivalent virsh line ---- */

static void
check_virsh(const char *line, const struct act_ctx *ctx, const char *want)
{
    struct act_call *c = parse_ok(line, ctx);
    AUTOFREE char *v = action_virsh_line(c);

    assert_string_equal(v, want);
    action_call_free(c);
}

static void
test_virsh_line(void **state)
{
    check_virsh("start web01", &ctx_a, "virsh -c " URI_A " start web01");
    check_virsh("start --paused web01", &ctx_a,
                "virsh -c " URI_A " start web01 --paused");
    check_virsh("start \"it's\"", &ctx_a,
                "virsh -c " URI_A " start 'it'\\''s'");
    check_virsh("start 'name with spaces'", &ctx_a,
                "virsh -c " URI_A " start 'name with spaces'");
    check_virsh("domrename old 'new name'", &ctx_a,
                "virsh -c " URI_A " domrename old 'new name'");
    check_virsh("start shared --host b.xml", &ctx_a,
                "virsh -c " URI_B " start shared");
    /* a value starting with '-' must not read as an option to virsh */
    check_virsh("start -- -leading-dash", &ctx_a,
                "virsh -c " URI_A " start --domain -leading-dash");
    check_virsh("autostart web01 --disable", &ctx_a,
                "virsh -c " URI_A " autostart web01 --disable");
    check_virsh("define '/tmp/my dom.xml'", &ctx_a,
                "virsh -c " URI_A " define '/tmp/my dom.xml'");
    /* virtmux's own options: one that only skips a check of virtmux's
     * leaves the line as it is; one that does more says so (#18 bug 12) */
    check_virsh("start web01 --insist", &ctx_a, "virsh -c " URI_A " start web01");
    check_virsh("snapshot-delete web01 s1 --merge pull", &ctx_a,
                "virsh -c " URI_A " snapshot-delete web01 s1   (and virtmux's own --merge pull, "
                "which virsh has not)");
}

/* Whatever the name, the virsh line splits back into the same words. */
static void
test_virsh_line_roundtrip(void **state)
{
    for (size_t i = 0; i < ARRAY_CARDINALITY(doms); i++) {
        AUTOFREE char *line = NULL;
        AUTOFREE char *q = util_shell_quote(doms[i].name);
        struct act_ctx ctx = { doms[i].host, NULL };
        struct act_call *c;
        char **w;
        int n;

        line = xasprintf("start -- %s", q);
        c = parse_ok(line, &ctx);
        free(c->virsh);
        c->virsh = action_virsh_line(c);
        w = util_split_words(c->virsh, &n, NULL);
        assert_non_null(w);
        assert_string_equal(w[n - 1], doms[i].name);
        util_strv_free(w);
        action_call_free(c);
    }
}

/* ---- completion ---- */

/* Completions of line must be exactly the NULL-terminated list given. */
static void
check_complete(const char *line, const struct act_ctx *ctx, size_t want_start, ...)
{
    size_t start = 9999;
    char **v = action_complete(line, ctx, &start);
    const char *want;
    va_list ap;
    size_t i = 0;

    va_start(ap, want_start);
    while ((want = va_arg(ap, const char *))) {
        if (!v || !v[i])
            fail_msg("completing \"%s\": missing \"%s\"", line, want);
        if (STRNEQ(v[i], want))
            fail_msg("completing \"%s\": got \"%s\" where \"%s\" was expected",
                     line, v[i], want);
        i++;
    }
    va_end(ap);
    if (v && v[i])
        fail_msg("completing \"%s\": unexpected extra \"%s\"", line, v[i]);
    if (i)
        assert_int_equal(start, want_start);
    util_strv_free(v);
}

static void
test_complete_commands(void **state)
{
    size_t start;
    char **v;
    int n = 0;

    check_complete("sta", &ctx_a, 0, "start", NULL);
    check_complete("dum", &ctx_a, 0, "dumpxml", NULL);
    check_complete("managedsave", &ctx_a, 0, "managedsave", "managedsave-remove", NULL);
    check_complete("zzz", &ctx_a, 0, NULL);
    /* nothing typed: every command, sorted */
    v = action_complete("", &ctx_a, &start);
    assert_non_null(v);
    for (; v[n]; n++) {
        if (n > 0)
            assert_true(strcmp(v[n - 1], v[n]) < 0);
    }
    for (const struct action *a = action_table(); a->name; a++)
        n--;
    assert_int_equal(n, 0);
    assert_int_equal(start, 0);
    util_strv_free(v);
}

static void
test_complete_domains(void **state)
{
    /* the context host's names, quoted for the line */
    check_complete("start ", &ctx_a, 6, "'it'\\''s'", "'name with spaces'",
                   "-leading-dash", "old", "shared", "web01", "webserver", NULL);
    check_complete("start we", &ctx_a, 6, "web01", "webserver", NULL);
    check_complete("start web0", &ctx_a, 6, "web01", NULL);
    check_complete("start na", &ctx_a, 6, "'name with spaces'", NULL);
    check_complete("start ", &ctx_b, 6, "dup", "only-b", "shared", NULL);
    /* no context host: every host's, each name once */
    check_complete("start s", &ctx_none, 6, "shared", NULL);
    check_complete("start d", &ctx_none, 6, "dup", NULL);
    /* the second positional of domrename is free text */
    check_complete("domrename old ", &ctx_a, 14, NULL);
    /* after options */
    check_complete("start --paused we", &ctx_a, 15, "web01", "webserver", NULL);
    /* help takes a command */
    check_complete("help sta", &ctx_a, 5, "start", NULL);
    check_complete("frobnicate x", &ctx_a, 11, NULL);
}

static void
test_complete_options(void **state)
{
    check_complete("start --", &ctx_a, 6, "--force-boot", "--host", "--insist", "--paused", NULL);
    check_complete("start -", &ctx_a, 6, "--force-boot", "--host", "--insist", "--paused", NULL);
    check_complete("start web01 --p", &ctx_a, 12, "--paused", NULL);
    check_complete("autostart web01 --d", &ctx_a, 16, "--disable", NULL);
    check_complete("start web01 --host ", &ctx_a, 19, URI_A, URI_B, URI_C, NULL);
    check_complete("start web01 --host test:///b", &ctx_a, 19, URI_B, NULL);
    /* "-le" is not an option: domain names starting with it */
    check_complete("start -le", &ctx_a, 6, "-leading-dash", NULL);
}

/* Completing a word the user has started to quote or escape. With two
 * domains "my vm 1" and "my vm 2" the common prefix the prompt inserts is
 * "'my vm ", after which the line has an open quote: action_complete must
 * still complete it, and *start must be where the word begins (not after
 * the last blank inside it). Today an open quote gives NULL and an escaped
 * blank gives start 12, so Tab turns "start name\ w" into
 * "start name\ 'name with spaces'". Skipped until fixed; see the report. */
static void
test_complete_quoted_word(void **state)
{
    check_complete("start name\\ w", &ctx_a, 6, "'name with spaces'", NULL);
    check_complete("start 'name w", &ctx_a, 6, "'name with spaces'", NULL);
    check_complete("start \"it", &ctx_a, 6, "'it'\\''s'", NULL);
}

/* ---- usage and the table ---- */

static void
check_usage(const char *name, const char *want)
{
    const struct action *a = action_find(name);
    AUTOFREE char *u = NULL;

    assert_non_null(a);
    u = action_usage(a);
    assert_string_equal(u, want);
}

static void
test_usage(void **state)
{
    check_usage("start", "start <domain> [--paused] [--force-boot] [--insist]");
    check_usage("domrename", "domrename <domain> <new-name>");
    check_usage("help", "help [<command>]");
    check_usage("quit", "quit");
    check_usage("define", "define <file> [--validate]");
    assert_null(action_find("no-such-command"));
    assert_null(action_find(""));
}

static int
nargs(const struct action *a)
{
    int n = 0;

    while (a->args[n].name)
        n++;
    return n;
}

static void
test_table_consistency(void **state)
{
    const struct action *all = action_table();
    int rows = 0;

    assert_non_null(all);
    assert_ptr_equal(all, action_table());          /* built once */
    for (const struct action *a = all; a->name; a++, rows++) {
        int n;
        bool seen_optional_positional = false;

        if (!a->name[0] || strchr(a->name, ' '))
            fail_msg("row %d has a bad name '%s'", rows, a->name);
        if (!a->help || !a->help[0])
            fail_msg("'%s' has no help", a->name);
        if (!a->args)
            fail_msg("'%s' has no argument list", a->name);
        n = nargs(a);
        if (n > ACT_MAX_ARGS)
            fail_msg("'%s' has %d arguments, more than ACT_MAX_ARGS", a->name, n);
        if (a->target == TARGET_DOMAIN &&
            (n == 0 || STRNEQ(a->args[0].name, "domain") ||
             a->args[0].type != ARG_DOMAIN ||
             !(a->args[0].flags & ARG_POSITIONAL)))
            fail_msg("'%s' targets a domain but its first argument is not "
                     "the positional <domain>", a->name);
        if (!(a->flags & ACT_UI) && !a->run)
            fail_msg("'%s' has no handler", a->name);
        if ((a->flags & ACT_UI) && (a->run || a->done))
            fail_msg("UI row '%s' has a worker handler", a->name);
        if ((a->flags & ACT_CONFIRM_NAME) && a->target != TARGET_DOMAIN &&
            a->target != TARGET_NETWORK && a->target != TARGET_POOL &&
            a->target != TARGET_VOLUME)
            fail_msg("'%s' asks for a name but targets no named object", a->name);
        if (a->target == TARGET_NETWORK &&
            (n == 0 || STRNEQ(a->args[0].name, "network") ||
             a->args[0].type != ARG_NETWORK || !(a->args[0].flags & ARG_POSITIONAL)))
            fail_msg("'%s' targets a network but its first argument is not "
                     "the positional <network>", a->name);
        if ((a->target == TARGET_POOL &&
             (n == 0 || STRNEQ(a->args[0].name, "pool") || a->args[0].type != ARG_POOL ||
              !(a->args[0].flags & ARG_POSITIONAL))) ||
            (a->target == TARGET_VOLUME &&
             (n == 0 || STRNEQ(a->args[0].name, "vol") || a->args[0].type != ARG_VOLUME ||
              !(a->args[0].flags & ARG_POSITIONAL))))
            fail_msg("'%s' targets a pool or volume but its first argument is not "
                     "the positional <pool> or <vol>", a->name);
        if ((a->flags & ACT_NEEDS_ACTIVE) && (a->flags & ACT_NEEDS_INACTIVE))
            fail_msg("'%s' needs the domain both running and shut off", a->name);
        if ((a->flags & ACT_DESTRUCTIVE) && !(a->flags & ACT_MUTATES))
            fail_msg("'%s' is destructive but not mutating (read-only hosts "
                     "would allow it)", a->name);
        assert_ptr_equal(action_find(a->name)->run, a->run);
        for (int k = 0; k < n; k++) {
            const struct act_arg *g = &a->args[k];

            if (!g->name[0] || !g->help || !g->help[0])
                fail_msg("'%s' argument %d lacks a name or help", a->name, k);
            if (STREQ(g->name, "host") && a->target != TARGET_HOST)
                fail_msg("'%s' argument --host clashes with the global option",
                         a->name);
            /* virsh commands take required arguments positionally; only a
             * form's command (virtmux's own) requires --field options */
            if ((g->flags & ARG_REQUIRED) && !(g->flags & ARG_POSITIONAL) &&
                !(a->flags & ACT_NO_VIRSH))
                fail_msg("'%s' requires option --%s: make it positional",
                         a->name, g->name);
            if (g->type == ARG_BOOL && (g->flags & (ARG_POSITIONAL | ARG_REQUIRED)))
                fail_msg("'%s' --%s is a bool and positional", a->name, g->name);
            /* a required positional after an optional one could never be
             * given on its own */
            if ((g->flags & ARG_POSITIONAL) && !(g->flags & ARG_REQUIRED))
                seen_optional_positional = true;
            else if ((g->flags & ARG_REQUIRED) && seen_optional_positional)
                fail_msg("'%s' <%s> is required after an optional positional",
                         a->name, g->name);
            for (int j = 0; j < k; j++) {
                if (STREQ(a->args[j].name, g->name))
                    fail_msg("'%s' has two arguments named %s", a->name, g->name);
            }
        }
        for (const struct action *b = all; b < a; b++) {
            if (STREQ(a->name, b->name))
                fail_msg("two rows are named '%s'", a->name);
        }
    }
    assert_true(rows > 10);
    /* the virsh names the design promises */
    assert_non_null(action_find("start"));
    assert_non_null(action_find("destroy"));
    assert_non_null(action_find("dumpxml"));
    assert_non_null(action_find("undefine"));
    assert_true(action_find("undefine")->flags & ACT_CONFIRM_NAME);
    assert_true(action_find("destroy")->flags & ACT_DESTRUCTIVE);
    assert_false(action_find("dumpxml")->flags & ACT_MUTATES);
}

/* Every default key names a row (or opens the ':' line / the filter). */
static void
test_keymap_actions_exist(void **state)
{
    const struct binding *b;

    for (size_t i = 0; (b = keymap_get(i)); i++) {
        int n;
        char **w;

        if (b->action[0] == ':' || b->action[0] == '/')
            continue;
        w = util_split_words(b->action, &n, NULL);
        assert_non_null(w);
        assert_true(n >= 1);
        if (!action_find(w[0]))
            fail_msg("key %s in %s is bound to unknown action '%s'", b->key,
                     b->table, w[0]);
        /* the options it passes exist too */
        for (int k = 1; k < n; k++) {
            if (STRPREFIX(w[k], "--")) {
                const struct action *a = action_find(w[0]);
                bool found = false;

                for (int j = 0; a->args[j].name; j++)
                    found |= STREQ(a->args[j].name, w[k] + 2);
                if (!found)
                    fail_msg("key %s: '%s' has no option %s", b->key, w[0], w[k]);
            }
        }
        util_strv_free(w);
        if (!keymap_valid_key(b->key))
            fail_msg("default key '%s' is not a valid key name", b->key);
    }
}

/* Every row carries its behaviour: a handler for the worker, or a UI
 * operation (ui/commands.c has one per operation); no row has both. */
static void
test_rows_have_handlers(void **state)
{
    bool seen[UIOP_COUNT] = { false };

    (void)state;
    for (const struct action *a = action_table(); a->name; a++) {
        if (a->flags & ACT_UI) {
            if (a->ui <= UIOP_NONE || a->ui >= UIOP_COUNT)
                fail_msg("UI row '%s' names no UI operation", a->name);
            if (a->run)
                fail_msg("UI row '%s' has a worker handler too", a->name);
            seen[a->ui] = true;
        } else if (!a->run) {
            fail_msg("row '%s' has no handler", a->name);
        } else if (a->ui != UIOP_NONE) {
            fail_msg("row '%s' is not a UI row but names a UI operation", a->name);
        }
    }
    for (int i = UIOP_NONE + 1; i < UIOP_COUNT; i++) {
        if (!seen[i])
            fail_msg("UI operation %d has no row", i);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows_have_handlers),
        cmocka_unit_test(test_parse_target),
        cmocka_unit_test(test_parse_selection),
        cmocka_unit_test(test_parse_positional_order),
        cmocka_unit_test(test_parse_bool),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_parse_hosts),
        cmocka_unit_test(test_find_every_kind),
        cmocka_unit_test(test_parse_quoting),
        cmocka_unit_test(test_parse_dashes),
        cmocka_unit_test(test_parse_host_and_none_targets),
        cmocka_unit_test(test_virsh_line),
        cmocka_unit_test(test_virsh_line_roundtrip),
        cmocka_unit_test(test_complete_commands),
        cmocka_unit_test(test_complete_domains),
        cmocka_unit_test(test_complete_options),
        cmocka_unit_test(test_complete_quoted_word),
        cmocka_unit_test(test_usage),
        cmocka_unit_test(test_table_consistency),
        cmocka_unit_test(test_keymap_actions_exist),
    };

    return cmocka_run_group_tests_name("action", tests, setup, teardown);
}
