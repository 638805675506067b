// SPDX-License-Identifier: MIT
/* The SPD as an administrator sees it: every refusal of `sp add` with its reason, add order and
 * first match, remove and remove-all, SA binding (users, unbind, rebind), reference lifetimes
 * of snapshots, the inbound policy check, and 100,000 policies added quickly. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "ipsec6/spd.h"
#include "testlib.h"

/* A spec as `sp add -n NAME -s any -d any -w out -A none` gives it. */
static struct sp_spec
spec_make(const char *name)
{
	struct sp_spec s;

	memset(&s, 0, sizeof(s));
	snprintf(s.name, sizeof(s.name), "%s", name);
	s.src = tl_prefix("any");
	s.dst = tl_prefix("any");
	s.sport = SP_PORT_ANY;
	s.dport = SP_PORT_ANY;
	s.proto = SP_PROTO_ANY;
	s.dir = SP_DIR_OUT;
	s.action = SP_ACTION_NONE;
	s.mode = SA_MODE_TRANSPORT;
	s.mode_given = false;
	return s;
}

static struct pkt_sel
sel_make(const char *src, const char *dst, int proto, int32_t sport, int32_t dport)
{
	struct pkt_sel s;

	memset(&s, 0, sizeof(s));
	s.src = tl_addr(src);
	s.dst = tl_addr(dst);
	s.proto = proto;
	s.sport = sport;
	s.dport = dport;
	s.nonfirst_frag = false;
	return s;
}

/* An SA as the SAD would hold it; the test holds the SAD's reference and drops it at the end.
 * No keys: sa_unref() frees NULL keys as no-ops. */
static struct sa *
sa_make(const char *name, enum sa_mode mode, const char *src, const char *dst)
{
	struct sa *sa = calloc(1, sizeof(*sa));

	assert_non_null(sa);
	snprintf(sa->name, sizeof(sa->name), "%s", name);
	sa->mode = mode;
	sa->src = tl_addr(src);
	sa->dst = tl_addr(dst);
	sa->spi = 0x1000;
	atomic_init(&sa->ref, 1);
	return sa;
}

static unsigned
sa_refs(struct sa *sa)
{
	return atomic_load(&sa->ref);
}

static void
add_ok(struct spd *spd, const struct sp_spec *spec, struct sa *bound)
{
	struct err e = { "" };
	int rc = spd_add(spd, spec, bound, &e);

	if (rc != 0)
		fail_msg("spd_add(%s) = %d: %s", spec->name, rc, e.msg);
}

static void
test_names_parse_and_print(void **state)
{
	enum sp_dir dir;
	enum sp_action action;
	int proto;

	assert_int_equal(sp_dir_parse("in", &dir, NULL), 0);
	assert_int_equal(dir, SP_DIR_IN);
	assert_int_equal(sp_dir_parse("out", &dir, NULL), 0);
	assert_int_equal(dir, SP_DIR_OUT);
	assert_int_equal(sp_dir_parse("both", &dir, NULL), -EINVAL);
	assert_int_equal(sp_dir_parse("IN", &dir, NULL), -EINVAL);
	assert_string_equal(sp_dir_name(SP_DIR_IN), "in");
	assert_string_equal(sp_dir_name(SP_DIR_OUT), "out");

	assert_int_equal(sp_action_parse("none", &action, NULL), 0);
	assert_int_equal(action, SP_ACTION_NONE);
	assert_int_equal(sp_action_parse("discard", &action, NULL), 0);
	assert_int_equal(action, SP_ACTION_DISCARD);
	assert_int_equal(sp_action_parse("ipsec", &action, NULL), 0);
	assert_int_equal(action, SP_ACTION_IPSEC);
	assert_int_equal(sp_action_parse("drop", &action, NULL), -EINVAL);
	assert_string_equal(sp_action_name(SP_ACTION_NONE), "none");
	assert_string_equal(sp_action_name(SP_ACTION_DISCARD), "discard");
	assert_string_equal(sp_action_name(SP_ACTION_IPSEC), "ipsec");

	assert_int_equal(sp_proto_parse("any", &proto, NULL), 0);
	assert_int_equal(proto, SP_PROTO_ANY);
	assert_int_equal(sp_proto_parse("tcp", &proto, NULL), 0);
	assert_int_equal(proto, IPPROTO_TCP);
	assert_int_equal(sp_proto_parse("udp", &proto, NULL), 0);
	assert_int_equal(proto, IPPROTO_UDP);
	assert_int_equal(sp_proto_parse("icmp6", &proto, NULL), 0);
	assert_int_equal(proto, IPPROTO_ICMPV6);
	assert_int_equal(sp_proto_parse("icmp", &proto, NULL), -EINVAL);
	assert_int_equal(sp_proto_parse("6", &proto, NULL), -EINVAL);
	assert_string_equal(sp_proto_name(SP_PROTO_ANY), "any");
	assert_string_equal(sp_proto_name(IPPROTO_TCP), "tcp");
	assert_string_equal(sp_proto_name(IPPROTO_UDP), "udp");
	assert_string_equal(sp_proto_name(IPPROTO_ICMPV6), "icmp6");
}

/* Which SA a refusal case binds: none, sa_1 (tunnel) or sa_2 (transport). */
enum bind_case {
	BIND_NONE,
	BIND_SA1_TUNNEL,
	BIND_SA2_TRANSPORT,
};

static const struct refusal {
	const char *name;
	int proto;
	int32_t sport;
	int32_t dport;
	enum sp_action action;
	const char *sa_name;
	enum bind_case bind;
	bool mode_given;
	enum sa_mode mode;
	int rc;
	const char *msg;
} refusals[] = {
	{ "", SP_PROTO_ANY, -1, -1, SP_ACTION_NONE, "", BIND_NONE, false, SA_MODE_TRANSPORT,
	    -EINVAL, "invalid policy name '': use 1-64 of A-Za-z0-9_.-" },
	{ "web out", SP_PROTO_ANY, -1, -1, SP_ACTION_NONE, "", BIND_NONE, false, SA_MODE_TRANSPORT,
	    -EINVAL, "invalid policy name 'web out': use 1-64 of A-Za-z0-9_.-" },
	{ "a/b", SP_PROTO_ANY, -1, -1, SP_ACTION_NONE, "", BIND_NONE, false, SA_MODE_TRANSPORT,
	    -EINVAL, "invalid policy name 'a/b': use 1-64 of A-Za-z0-9_.-" },
	{ "sp\xc3\xa9", SP_PROTO_ANY, -1, -1, SP_ACTION_NONE, "", BIND_NONE, false,
	    SA_MODE_TRANSPORT, -EINVAL,
	    "invalid policy name 'sp\xc3\xa9': use 1-64 of A-Za-z0-9_.-" },
	{ "p", SP_PROTO_ANY, 80, -1, SP_ACTION_NONE, "", BIND_NONE, false, SA_MODE_TRANSPORT,
	    -EINVAL, "ports need --upper-layer-protocol tcp or udp" },
	{ "p", SP_PROTO_ANY, -1, 443, SP_ACTION_NONE, "", BIND_NONE, false, SA_MODE_TRANSPORT,
	    -EINVAL, "ports need --upper-layer-protocol tcp or udp" },
	{ "p", IPPROTO_ICMPV6, 1, -1, SP_ACTION_NONE, "", BIND_NONE, false, SA_MODE_TRANSPORT,
	    -EINVAL, "--source-port is not used with icmp6" },
	{ "p", IPPROTO_ICMPV6, -1, 300, SP_ACTION_NONE, "", BIND_NONE, false, SA_MODE_TRANSPORT,
	    -EINVAL, "ICMPv6 type '300' must be 0-255" },
	{ "p", IPPROTO_ICMPV6, -1, 256, SP_ACTION_NONE, "", BIND_NONE, false, SA_MODE_TRANSPORT,
	    -EINVAL, "ICMPv6 type '256' must be 0-255" },
	{ "p", IPPROTO_TCP, 70000, -1, SP_ACTION_NONE, "", BIND_NONE, false, SA_MODE_TRANSPORT,
	    -EINVAL, "source port '70000' must be 0-65535 or any" },
	{ "p", IPPROTO_UDP, -1, 65536, SP_ACTION_NONE, "", BIND_NONE, false, SA_MODE_TRANSPORT,
	    -EINVAL, "destination port '65536' must be 0-65535 or any" },
	{ "p", IPPROTO_UDP, -2, -1, SP_ACTION_NONE, "", BIND_NONE, false, SA_MODE_TRANSPORT,
	    -EINVAL, "source port '-2' must be 0-65535 or any" },
	{ "p", 47, -1, -1, SP_ACTION_NONE, "", BIND_NONE, false, SA_MODE_TRANSPORT, -EINVAL,
	    "upper-layer protocol '47' must be any, tcp, udp or icmp6" },
	{ "p", SP_PROTO_ANY, -1, -1, SP_ACTION_NONE, "sa_1", BIND_NONE, false, SA_MODE_TRANSPORT,
	    -EINVAL, "--sa-name is only allowed with --action=ipsec" },
	{ "p", SP_PROTO_ANY, -1, -1, SP_ACTION_DISCARD, "sa_1", BIND_NONE, false, SA_MODE_TRANSPORT,
	    -EINVAL, "--sa-name is only allowed with --action=ipsec" },
	{ "p", SP_PROTO_ANY, -1, -1, SP_ACTION_DISCARD, "sa_1", BIND_SA1_TUNNEL, false,
	    SA_MODE_TRANSPORT, -EINVAL, "--sa-name is only allowed with --action=ipsec" },
	{ "p", SP_PROTO_ANY, -1, -1, SP_ACTION_IPSEC, "sa_2", BIND_SA2_TRANSPORT, true,
	    SA_MODE_TUNNEL, -EINVAL, "policy mode 'tunnel' does not match SA 'sa_2' (transport)" },
	{ "p", SP_PROTO_ANY, -1, -1, SP_ACTION_IPSEC, "sa_1", BIND_SA1_TUNNEL, true,
	    SA_MODE_TRANSPORT, -EINVAL,
	    "policy mode 'transport' does not match SA 'sa_1' (tunnel)" },
	{ "p", SP_PROTO_ANY, -1, -1, SP_ACTION_IPSEC, "sa_2", BIND_SA1_TUNNEL, false,
	    SA_MODE_TRANSPORT, -EINVAL, "policy names SA 'sa_2' but SA 'sa_1' was given" },
	{ "taken", SP_PROTO_ANY, -1, -1, SP_ACTION_NONE, "", BIND_NONE, false, SA_MODE_TRANSPORT,
	    -EEXIST, "policy 'taken' already exists" },
	{ "taken", IPPROTO_TCP, 22, -1, SP_ACTION_IPSEC, "sa_2", BIND_SA2_TRANSPORT, false,
	    SA_MODE_TRANSPORT, -EEXIST, "policy 'taken' already exists" },
};

static void
test_add_refusals_give_reason(void **state)
{
	struct spd *spd = spd_new();
	struct sa *sa1 = sa_make("sa_1", SA_MODE_TUNNEL, "2001:db8::1", "2001:db8::2");
	struct sa *sa2 = sa_make("sa_2", SA_MODE_TRANSPORT, "2001:db8::1", "2001:db8::2");
	struct sp_spec taken = spec_make("taken");

	assert_non_null(spd);
	add_ok(spd, &taken, NULL);
	for (size_t i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++) {
		const struct refusal *c = &refusals[i];
		struct sp_spec s = spec_make(c->name);
		struct sa *bound = c->bind == BIND_SA1_TUNNEL ? sa1
		    : c->bind == BIND_SA2_TRANSPORT           ? sa2
							      : NULL;
		struct err e = { "" };

		s.proto = c->proto;
		s.sport = c->sport;
		s.dport = c->dport;
		s.action = c->action;
		snprintf(s.sa_name, sizeof(s.sa_name), "%s", c->sa_name);
		s.mode_given = c->mode_given;
		s.mode = c->mode;
		assert_int_equal(spd_add(spd, &s, bound, &e), c->rc);
		assert_string_equal(e.msg, c->msg);
		/* A refusal changes nothing. */
		assert_int_equal(spd_count(spd), 1);
		assert_int_equal(sa1->users, 0);
		assert_int_equal(sa2->users, 0);
		assert_int_equal(sa_refs(sa1), 1);
		assert_int_equal(sa_refs(sa2), 1);
	}
	spd_free(spd);
	sa_unref(sa1);
	sa_unref(sa2);
}

static void
test_add_refuses_long_name(void **state)
{
	struct spd *spd = spd_new();
	struct sp_spec s = spec_make("");
	struct err e = { "" };
	char want[160];

	memset(s.name, 'x', SP_NAME_MAX);
	assert_int_equal(spd_add(spd, &s, NULL, &e), 0);
	/* 65 characters: the name field holds them but no terminator. */
	memset(s.name, 'y', sizeof(s.name));
	assert_int_equal(spd_add(spd, &s, NULL, &e), -EINVAL);
	snprintf(
	    want, sizeof(want), "invalid policy name '%.65s': use 1-64 of A-Za-z0-9_.-", s.name);
	assert_string_equal(e.msg, want);
	assert_int_equal(spd_count(spd), 1);
	spd_free(spd);
}

static void
test_add_accepts_documented_values(void **state)
{
	struct spd *spd = spd_new();
	struct sp_spec s = spec_make("Az09_.-");
	struct sp *sp;

	s.src = tl_prefix("2001:db8:1::/48");
	s.dst = tl_prefix("2001:db8:2::/64");
	s.proto = IPPROTO_TCP;
	s.sport = 0;
	s.dport = 65535;
	s.dir = SP_DIR_IN;
	s.action = SP_ACTION_DISCARD;
	add_ok(spd, &s, NULL);

	s = spec_make("icmp");
	s.proto = IPPROTO_ICMPV6;
	s.dport = 255;
	add_ok(spd, &s, NULL);
	s = spec_make("udp");
	s.proto = IPPROTO_UDP;
	s.sport = 500;
	add_ok(spd, &s, NULL);
	s = spec_make("kame");
	s.action = SP_ACTION_IPSEC;
	s.mode_given = true;
	s.mode = SA_MODE_TUNNEL;
	add_ok(spd, &s, NULL);

	assert_int_equal(spd_count(spd), 4);
	sp = spd_lookup_name(spd, "Az09_.-");
	assert_ptr_equal(sp, spd_at(spd, 0));
	assert_int_equal(sp->src.len, 48);
	assert_int_equal(sp->dst.len, 64);
	assert_int_equal(sp->proto, IPPROTO_TCP);
	assert_int_equal(sp->sport, 0);
	assert_int_equal(sp->dport, 65535);
	assert_int_equal(sp->dir, SP_DIR_IN);
	assert_int_equal(sp->action, SP_ACTION_DISCARD);
	assert_int_equal(sp->mode, SA_MODE_TRANSPORT);
	assert_string_equal(sp->sa_name, "");
	assert_null(sp->sa);
	assert_int_equal(atomic_load(&sp->matches), 0);
	assert_int_equal(spd_at(spd, 1)->dport, 255);
	assert_string_equal(spd_at(spd, 2)->name, "udp");
	assert_int_equal(spd_at(spd, 3)->mode, SA_MODE_TUNNEL);
	assert_null(spd_at(spd, 4));
	assert_null(spd_lookup_name(spd, "nope"));
	spd_free(spd);
}

static void
test_mode_defaults_to_sa_then_transport(void **state)
{
	struct spd *spd = spd_new();
	struct sa *tun = sa_make("tun", SA_MODE_TUNNEL, "2001:db8::1", "2001:db8::2");
	struct sp_spec s = spec_make("bound");

	s.action = SP_ACTION_IPSEC;
	snprintf(s.sa_name, sizeof(s.sa_name), "tun");
	add_ok(spd, &s, tun);
	assert_int_equal(spd_lookup_name(spd, "bound")->mode, SA_MODE_TUNNEL);

	s = spec_make("kame");
	s.action = SP_ACTION_IPSEC;
	add_ok(spd, &s, NULL);
	assert_int_equal(spd_lookup_name(spd, "kame")->mode, SA_MODE_TRANSPORT);

	/* Loaded after an SA remove-all: the name is kept, nothing is bound. */
	s = spec_make("orphan");
	s.action = SP_ACTION_IPSEC;
	snprintf(s.sa_name, sizeof(s.sa_name), "gone");
	add_ok(spd, &s, NULL);
	assert_int_equal(spd_lookup_name(spd, "orphan")->mode, SA_MODE_TRANSPORT);
	assert_string_equal(spd_lookup_name(spd, "orphan")->sa_name, "gone");
	assert_null(spd_lookup_name(spd, "orphan")->sa);

	s = spec_make("given");
	s.action = SP_ACTION_IPSEC;
	s.mode_given = true;
	s.mode = SA_MODE_TUNNEL;
	snprintf(s.sa_name, sizeof(s.sa_name), "tun");
	add_ok(spd, &s, tun);
	assert_int_equal(tun->users, 2);
	spd_free(spd);
	assert_int_equal(tun->users, 0);
	assert_int_equal(sa_refs(tun), 1);
	sa_unref(tun);
}

static void
test_host_bits_cleared(void **state)
{
	struct spd *spd = spd_new();
	struct sp_spec s = spec_make("p");
	struct sp *sp;
	struct prefix6 want = tl_prefix("2001:db8:8000::/33");
	struct err e = { "" };

	/* struct prefix6 promises zero host bits; a caller that breaks it gets them cleared. */
	s.src.addr = tl_addr("2001:db8:ffff:ffff::1");
	s.src.len = 33;
	add_ok(spd, &s, NULL);
	sp = spd_lookup_name(spd, "p");
	assert_memory_equal(&sp->src.addr, &want.addr, 16);
	s = spec_make("q");
	s.dst.len = 129;
	assert_int_equal(spd_add(spd, &s, NULL, &e), -EINVAL);
	assert_string_equal(e.msg, "prefix length '129' must be 0-128");
	spd_free(spd);
}

static const char *
snap_name(const struct spd_snap *snap, enum sp_dir dir, const struct pkt_sel *sel)
{
	const struct sp_rule *r = spd_snap_lookup(snap, dir, sel);

	return r == NULL ? "(none)" : r->sp->name;
}

static void
test_first_match_wins_in_add_order(void **state)
{
	struct spd *spd = spd_new();
	struct spd_snap *snap;
	struct sp_spec s;
	struct pkt_sel p;

	s = spec_make("wide");
	s.dst = tl_prefix("2001:db8::/32");
	s.action = SP_ACTION_DISCARD;
	add_ok(spd, &s, NULL);
	s = spec_make("narrow"); /* shadowed by "wide" for every packet */
	s.dst = tl_prefix("2001:db8:1::/48");
	add_ok(spd, &s, NULL);
	s = spec_make("ssh");
	s.dst = tl_prefix("2001:db9::/32");
	s.proto = IPPROTO_TCP;
	s.dport = 22;
	add_ok(spd, &s, NULL);
	s = spec_make("same-a");
	s.dst = tl_prefix("2001:dba::/32");
	add_ok(spd, &s, NULL);
	s = spec_make("same-b"); /* the same selectors: never chosen */
	s.dst = tl_prefix("2001:dba::/32");
	s.action = SP_ACTION_DISCARD;
	add_ok(spd, &s, NULL);
	s = spec_make("in-all");
	s.dir = SP_DIR_IN;
	add_ok(spd, &s, NULL);
	s = spec_make("rest");
	add_ok(spd, &s, NULL);

	snap = spd_snapshot(spd);
	assert_non_null(snap);
	p = sel_make("2001:db8::9", "2001:db8:1::5", IPPROTO_TCP, 1000, 22);
	assert_string_equal(snap_name(snap, SP_DIR_OUT, &p), "wide");
	assert_string_equal(snap_name(snap, SP_DIR_IN, &p), "in-all");
	p = sel_make("2001:db8::9", "2001:db9::5", IPPROTO_TCP, 1000, 22);
	assert_string_equal(snap_name(snap, SP_DIR_OUT, &p), "ssh");
	p = sel_make("2001:db8::9", "2001:db9::5", IPPROTO_TCP, 1000, 23);
	assert_string_equal(snap_name(snap, SP_DIR_OUT, &p), "rest");
	p = sel_make("2001:db8::9", "2001:db9::5", IPPROTO_UDP, 1000, 22);
	assert_string_equal(snap_name(snap, SP_DIR_OUT, &p), "rest");
	assert_ptr_equal(
	    spd_snap_lookup(snap, SP_DIR_OUT, &p)->sp, tl_spd_linear_lookup(spd, SP_DIR_OUT, &p));
	p = sel_make("2001:db8::9", "2001:dba:1::5", IPPROTO_UDP, 1000, 22);
	assert_string_equal(snap_name(snap, SP_DIR_OUT, &p), "same-a");
	spd_snap_free(snap);
	spd_free(spd);
}

static void
test_no_match_is_null(void **state)
{
	struct spd *spd = spd_new();
	struct spd_snap *snap = spd_snapshot(spd);
	struct sp_spec s = spec_make("only");
	struct pkt_sel p = sel_make("2001:db8::1", "2001:db8::2", IPPROTO_UDP, 1, 2);

	assert_non_null(snap);
	assert_null(spd_snap_lookup(snap, SP_DIR_OUT, &p));
	spd_snap_free(snap);
	s.dst = tl_prefix("2001:db8:ffff::/48");
	add_ok(spd, &s, NULL);
	snap = spd_snapshot(spd);
	assert_null(spd_snap_lookup(snap, SP_DIR_OUT, &p));
	assert_null(spd_snap_lookup(snap, SP_DIR_IN, &p));
	spd_snap_free(snap);
	spd_snap_free(NULL);
	spd_free(spd);
	spd_free(NULL);
}

/* One policy, one packet, the verdict of sp_match() and of the classifier. */
static const struct match_case {
	const char *what;
	const char *src;
	const char *dst;
	int proto;
	int32_t sport;
	int32_t dport;
	const char *psrc;
	const char *pdst;
	int pproto;
	int32_t psport;
	int32_t pdport;
	bool frag;
	bool want;
} match_cases[] = {
	{ "any matches tcp", "any", "any", -1, -1, -1, "2001:db8::1", "2001:db8::2", 6, 1, 2, false,
	    true },
	{ "any matches no upper layer", "any", "any", -1, -1, -1, "2001:db8::1", "2001:db8::2", -1,
	    -1, -1, false, true },
	{ "any matches non-first fragment", "any", "any", -1, -1, -1, "2001:db8::1", "2001:db8::2",
	    17, -1, -1, true, true },
	{ "source prefix in", "2001:db8:a::/48", "any", -1, -1, -1, "2001:db8:a:ffff::1", "::1", 6,
	    1, 2, false, true },
	{ "source prefix out", "2001:db8:a::/48", "any", -1, -1, -1, "2001:db8:b::1", "::1", 6, 1,
	    2, false, false },
	{ "odd prefix length in", "2001:db8:8000::/33", "any", -1, -1, -1, "2001:db8:ffff::1",
	    "::1", 6, 1, 2, false, true },
	{ "odd prefix length out", "2001:db8:8000::/33", "any", -1, -1, -1, "2001:db8:7fff::1",
	    "::1", 6, 1, 2, false, false },
	{ "destination /128", "any", "2001:db8::2/128", -1, -1, -1, "::5", "2001:db8::2", 6, 1, 2,
	    false, true },
	{ "destination /128 other", "any", "2001:db8::2/128", -1, -1, -1, "::5", "2001:db8::3", 6,
	    1, 2, false, false },
	{ "protocol differs", "any", "any", 6, -1, -1, "::5", "::6", 17, 1, 2, false, false },
	{ "protocol equal", "any", "any", 17, -1, -1, "::5", "::6", 17, 1, 2, false, true },
	{ "protocol with none found", "any", "any", 6, -1, -1, "::5", "::6", -1, -1, -1, false,
	    false },
	{ "tcp any ports, non-first fragment", "any", "any", 6, -1, -1, "::5", "::6", 6, -1, -1,
	    true, true },
	{ "destination port equal", "any", "any", 6, -1, 443, "::5", "::6", 6, 5000, 443, false,
	    true },
	{ "destination port differs", "any", "any", 6, -1, 443, "::5", "::6", 6, 5000, 444, false,
	    false },
	{ "source port equal", "any", "any", 17, 500, -1, "::5", "::6", 17, 500, 4500, false,
	    true },
	{ "both ports equal", "any", "any", 17, 500, 4500, "::5", "::6", 17, 500, 4500, false,
	    true },
	{ "both ports, one differs", "any", "any", 17, 500, 4500, "::5", "::6", 17, 501, 4500,
	    false, false },
	{ "port 0 against absent port", "any", "any", 17, -1, 0, "::5", "::6", 17, -1, -1, false,
	    false },
	{ "port against non-first fragment", "any", "any", 6, -1, 443, "::5", "::6", 6, 5000, 443,
	    true, false },
	{ "icmp6 type equal", "any", "any", 58, -1, 128, "::5", "::6", 58, -1, 128, false, true },
	{ "icmp6 type differs", "any", "any", 58, -1, 128, "::5", "::6", 58, -1, 129, false,
	    false },
	{ "icmp6 type against tcp port", "any", "any", 58, -1, 128, "::5", "::6", 6, 5, 128, false,
	    false },
	{ "icmp6 any type", "any", "any", 58, -1, -1, "::5", "::6", 58, -1, 135, false, true },
};

static void
test_sp_match_semantics(void **state)
{
	for (size_t i = 0; i < sizeof(match_cases) / sizeof(match_cases[0]); i++) {
		const struct match_case *c = &match_cases[i];
		struct spd *spd = spd_new();
		struct sp_spec s = spec_make("p");
		struct pkt_sel p = sel_make(c->psrc, c->pdst, c->pproto, c->psport, c->pdport);
		struct spd_snap *snap;
		const struct sp_rule *r;

		s.src = tl_prefix(c->src);
		s.dst = tl_prefix(c->dst);
		s.proto = c->proto;
		s.sport = c->sport;
		s.dport = c->dport;
		p.nonfirst_frag = c->frag;
		add_ok(spd, &s, NULL);
		snap = spd_snapshot(spd);
		assert_non_null(snap);
		r = spd_snap_lookup(snap, SP_DIR_OUT, &p);
		if (sp_match(spd_at(spd, 0), &p) != c->want || (r != NULL) != c->want)
			fail_msg("%s: want %d, sp_match %d, classifier %d", c->what, c->want,
			    sp_match(spd_at(spd, 0), &p), r != NULL);
		spd_snap_free(snap);
		spd_free(spd);
	}
}

static void
test_remove_keeps_order(void **state)
{
	static const char *const names[] = { "a", "b", "c", "d", "e" };
	struct spd *spd = spd_new();
	struct sp_spec s;

	for (size_t i = 0; i < 5; i++) {
		s = spec_make(names[i]);
		add_ok(spd, &s, NULL);
	}
	spd_remove(spd, spd_lookup_name(spd, "b"));
	spd_remove(spd, spd_lookup_name(spd, "e"));
	assert_int_equal(spd_count(spd), 3);
	assert_string_equal(spd_at(spd, 0)->name, "a");
	assert_string_equal(spd_at(spd, 1)->name, "c");
	assert_string_equal(spd_at(spd, 2)->name, "d");
	assert_null(spd_lookup_name(spd, "b"));
	assert_non_null(spd_lookup_name(spd, "c"));
	assert_non_null(spd_lookup_name(spd, "d"));
	/* The name is free again; the policy goes to the end. */
	s = spec_make("b");
	add_ok(spd, &s, NULL);
	assert_string_equal(spd_at(spd, 3)->name, "b");
	spd_remove(spd, NULL);
	assert_int_equal(spd_count(spd), 4);
	spd_free(spd);
}

static void
test_remove_ignores_foreign_policy(void **state)
{
	struct spd *one = spd_new();
	struct spd *two = spd_new();
	struct sp_spec s = spec_make("same");

	add_ok(one, &s, NULL);
	add_ok(two, &s, NULL);
	spd_remove(one, spd_lookup_name(two, "same"));
	assert_int_equal(spd_count(one), 1);
	assert_int_equal(spd_count(two), 1);
	spd_free(one);
	spd_free(two);
}

static void
test_remove_all_unbinds(void **state)
{
	struct spd *spd = spd_new();
	struct sa *sa = sa_make("sa", SA_MODE_TRANSPORT, "::", "2001:db8::2");
	struct sp_spec s;
	char name[16];

	for (int i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "p%d", i);
		s = spec_make(name);
		if (i % 2 == 0) {
			s.action = SP_ACTION_IPSEC;
			snprintf(s.sa_name, sizeof(s.sa_name), "sa");
			add_ok(spd, &s, sa);
		} else {
			add_ok(spd, &s, NULL);
		}
	}
	assert_int_equal(sa->users, 20);
	assert_int_equal(sa_refs(sa), 21);
	spd_remove_all(spd);
	assert_int_equal(spd_count(spd), 0);
	assert_int_equal(sa->users, 0);
	assert_int_equal(sa_refs(sa), 1);
	assert_null(spd_lookup_name(spd, "p0"));
	s = spec_make("p0");
	add_ok(spd, &s, NULL);
	assert_int_equal(spd_count(spd), 1);
	spd_free(spd);
	sa_unref(sa);
}

static void
test_remove_unbinds_sa(void **state)
{
	struct spd *spd = spd_new();
	struct sa *sa = sa_make("sa", SA_MODE_TRANSPORT, "::", "2001:db8::2");
	struct sp_spec s = spec_make("p");

	s.action = SP_ACTION_IPSEC;
	snprintf(s.sa_name, sizeof(s.sa_name), "sa");
	add_ok(spd, &s, sa);
	assert_ptr_equal(spd_lookup_name(spd, "p")->sa, sa);
	assert_int_equal(sa->users, 1);
	spd_remove(spd, spd_lookup_name(spd, "p"));
	assert_int_equal(sa->users, 0);
	assert_int_equal(sa_refs(sa), 1);
	spd_free(spd);
	sa_unref(sa);
}

static void
test_unbind_and_rebind(void **state)
{
	struct spd *spd = spd_new();
	struct sa *sa = sa_make("sa", SA_MODE_TUNNEL, "2001:db8::1", "2001:db8::2");
	struct sa *other = sa_make("other", SA_MODE_TUNNEL, "2001:db8::1", "2001:db8::3");
	struct sa *again;
	struct sa *wrong_mode;
	struct sp_spec s;

	s = spec_make("p1");
	s.action = SP_ACTION_IPSEC;
	snprintf(s.sa_name, sizeof(s.sa_name), "sa");
	add_ok(spd, &s, sa);
	s = spec_make("p2");
	s.action = SP_ACTION_IPSEC;
	snprintf(s.sa_name, sizeof(s.sa_name), "other");
	add_ok(spd, &s, other);
	s = spec_make("p3");
	s.action = SP_ACTION_IPSEC;
	snprintf(s.sa_name, sizeof(s.sa_name), "sa");
	add_ok(spd, &s, sa);
	s = spec_make("kame");
	s.action = SP_ACTION_IPSEC;
	add_ok(spd, &s, NULL);
	assert_int_equal(sa->users, 2);

	/* sa remove --remove-all: the policies keep the name and protect nothing. */
	spd_unbind(spd, sa);
	assert_int_equal(sa->users, 0);
	assert_int_equal(sa_refs(sa), 1);
	assert_null(spd_lookup_name(spd, "p1")->sa);
	assert_null(spd_lookup_name(spd, "p3")->sa);
	assert_string_equal(spd_lookup_name(spd, "p1")->sa_name, "sa");
	assert_ptr_equal(spd_lookup_name(spd, "p2")->sa, other);
	assert_int_equal(other->users, 1);
	sa_unref(sa);

	/* An SA of that name but the other mode does not fit the policies' mode. */
	wrong_mode = sa_make("sa", SA_MODE_TRANSPORT, "2001:db8::1", "2001:db8::2");
	spd_rebind(spd, wrong_mode);
	assert_int_equal(wrong_mode->users, 0);
	assert_null(spd_lookup_name(spd, "p1")->sa);
	sa_unref(wrong_mode);

	/* The SA added again under the same name: both policies bind, the rest are untouched. */
	again = sa_make("sa", SA_MODE_TUNNEL, "2001:db8::1", "2001:db8::2");
	spd_rebind(spd, again);
	assert_int_equal(again->users, 2);
	assert_int_equal(sa_refs(again), 3);
	assert_ptr_equal(spd_lookup_name(spd, "p1")->sa, again);
	assert_ptr_equal(spd_lookup_name(spd, "p3")->sa, again);
	assert_ptr_equal(spd_lookup_name(spd, "p2")->sa, other);
	assert_null(spd_lookup_name(spd, "kame")->sa);
	/* Rebinding twice binds nothing more. */
	spd_rebind(spd, again);
	assert_int_equal(again->users, 2);

	spd_free(spd);
	assert_int_equal(again->users, 0);
	assert_int_equal(other->users, 0);
	sa_unref(again);
	sa_unref(other);
}

static void
test_snapshot_outlives_remove(void **state)
{
	struct spd *spd = spd_new();
	struct sa *sa = sa_make("sa", SA_MODE_TRANSPORT, "2001:db8::1", "2001:db8::2");
	struct sp_spec s = spec_make("p");
	struct pkt_sel pk = sel_make("2001:db8::1", "2001:db8::2", IPPROTO_TCP, 1, 2);
	struct spd_snap *snap;
	const struct sp_rule *r;
	struct sp *sp;

	s.action = SP_ACTION_IPSEC;
	snprintf(s.sa_name, sizeof(s.sa_name), "sa");
	add_ok(spd, &s, sa);
	sp = spd_lookup_name(spd, "p");
	assert_int_equal(atomic_load(&sp->ref), 1);
	snap = spd_snapshot(spd);
	assert_non_null(snap);
	assert_int_equal(atomic_load(&sp->ref), 2);
	assert_int_equal(sa_refs(sa), 3); /* the test (as SAD), the policy, the snapshot */

	spd_remove(spd, sp);
	assert_int_equal(spd_count(spd), 0);
	assert_int_equal(sa->users, 0);
	assert_int_equal(atomic_load(&sp->ref), 1);
	spd_free(spd);
	sa_unref(sa); /* the SAD lets go too: only the snapshot holds the SA now */

	r = spd_snap_lookup(snap, SP_DIR_OUT, &pk);
	assert_non_null(r);
	assert_string_equal(r->sp->name, "p");
	assert_ptr_equal(r->sa, sa);
	assert_string_equal(r->sa->name, "sa");
	assert_int_equal(atomic_load(&r->sp->matches), 1);
	assert_int_equal(sa_refs(r->sa), 1);
	spd_snap_free(snap); /* frees the policy and the SA (ASan checks) */
}

static void
test_snapshot_freezes_binding(void **state)
{
	struct spd *spd = spd_new();
	struct sa *sa = sa_make("sa", SA_MODE_TRANSPORT, "2001:db8::1", "2001:db8::2");
	struct sp_spec s = spec_make("p");
	struct pkt_sel pk = sel_make("2001:db8::1", "2001:db8::2", IPPROTO_TCP, 1, 2);
	struct spd_snap *before;
	struct spd_snap *after;

	s.action = SP_ACTION_IPSEC;
	snprintf(s.sa_name, sizeof(s.sa_name), "sa");
	add_ok(spd, &s, sa);
	before = spd_snapshot(spd);
	spd_unbind(spd, sa);
	after = spd_snapshot(spd);
	assert_ptr_equal(spd_snap_lookup(before, SP_DIR_OUT, &pk)->sa, sa);
	assert_null(spd_snap_lookup(after, SP_DIR_OUT, &pk)->sa);
	assert_ptr_equal(spd_snap_lookup(before, SP_DIR_OUT, &pk)->sp,
	    spd_snap_lookup(after, SP_DIR_OUT, &pk)->sp);
	/* Adding a policy later does not change an existing snapshot. */
	s = spec_make("first");
	add_ok(spd, &s, NULL);
	assert_string_equal(spd_snap_lookup(before, SP_DIR_OUT, &pk)->sp->name, "p");
	spd_snap_free(before);
	spd_snap_free(after);
	assert_int_equal(sa_refs(sa), 1);
	spd_free(spd);
	sa_unref(sa);
}

static void
test_matches_counted_for_winner_only(void **state)
{
	struct spd *spd = spd_new();
	struct sp_spec s;
	struct spd_snap *snap;
	struct pkt_sel sels[4];
	const struct sp_rule *out[4];

	s = spec_make("web");
	s.proto = IPPROTO_TCP;
	s.dport = 443;
	add_ok(spd, &s, NULL);
	s = spec_make("all");
	add_ok(spd, &s, NULL);
	snap = spd_snapshot(spd);
	sels[0] = sel_make("::1", "::2", IPPROTO_TCP, 9, 443);
	sels[1] = sel_make("::1", "::2", IPPROTO_TCP, 9, 80);
	sels[2] = sel_make("::1", "::2", IPPROTO_TCP, 9, 443);
	sels[3] = sel_make("::1", "::2", IPPROTO_UDP, 9, 443);
	spd_snap_lookup_burst(snap, SP_DIR_OUT, sels, 4, out);
	assert_string_equal(out[0]->sp->name, "web");
	assert_string_equal(out[1]->sp->name, "all");
	assert_string_equal(out[2]->sp->name, "web");
	assert_string_equal(out[3]->sp->name, "all");
	assert_int_equal(atomic_load(&spd_lookup_name(spd, "web")->matches), 2);
	assert_int_equal(atomic_load(&spd_lookup_name(spd, "all")->matches), 2);
	spd_snap_lookup_burst(snap, SP_DIR_IN, sels, 4, out);
	for (int i = 0; i < 4; i++)
		assert_null(out[i]);
	assert_int_equal(atomic_load(&spd_lookup_name(spd, "all")->matches), 2);
	spd_snap_free(snap);
	spd_free(spd);
}

/* In-policies for the inbound check: bound, KAME transport, KAME tunnel, orphan, none. */
static void
inbound_setup(struct spd *spd, struct sa *bound)
{
	struct sp_spec s;

	s = spec_make("bound");
	s.dir = SP_DIR_IN;
	s.src = tl_prefix("2001:db8:b::/48");
	s.action = SP_ACTION_IPSEC;
	snprintf(s.sa_name, sizeof(s.sa_name), "bound_sa");
	add_ok(spd, &s, bound);
	s = spec_make("kame-transport");
	s.dir = SP_DIR_IN;
	s.src = tl_prefix("2001:db8:c::/48");
	s.action = SP_ACTION_IPSEC;
	add_ok(spd, &s, NULL);
	s = spec_make("kame-tunnel");
	s.dir = SP_DIR_IN;
	s.src = tl_prefix("2001:db8:d::/48");
	s.action = SP_ACTION_IPSEC;
	s.mode_given = true;
	s.mode = SA_MODE_TUNNEL;
	add_ok(spd, &s, NULL);
	s = spec_make("orphan");
	s.dir = SP_DIR_IN;
	s.src = tl_prefix("2001:db8:e::/48");
	s.action = SP_ACTION_IPSEC;
	snprintf(s.sa_name, sizeof(s.sa_name), "gone");
	add_ok(spd, &s, NULL);
	s = spec_make("clear");
	s.dir = SP_DIR_IN;
	s.src = tl_prefix("2001:db8:f::/48");
	add_ok(spd, &s, NULL);
	s = spec_make("drop");
	s.dir = SP_DIR_IN;
	s.src = tl_prefix("2001:db8:f0::/48");
	s.action = SP_ACTION_DISCARD;
	add_ok(spd, &s, NULL);
}

static void
test_check_inbound(void **state)
{
	struct spd *spd = spd_new();
	struct sa *bound = sa_make("bound_sa", SA_MODE_TRANSPORT, "2001:db8:b::1", "2001:db8::2");
	struct sa *peer_c = sa_make("c", SA_MODE_TRANSPORT, "2001:db8:c::1", "2001:db8::2");
	struct sa *any_c = sa_make("c_any", SA_MODE_TRANSPORT, "::", "::");
	struct sa *tun = sa_make("t", SA_MODE_TUNNEL, "2001:db8:99::1", "2001:db8:99::2");
	struct spd_snap *snap;
	struct pkt_sel p;

	inbound_setup(spd, bound);
	snap = spd_snapshot(spd);
	assert_non_null(snap);

	p = sel_make("2001:db8:b::1", "2001:db8::2", IPPROTO_TCP, 1, 2);
	assert_true(spd_snap_check_inbound(snap, &p, bound));
	assert_false(spd_snap_check_inbound(snap, &p, peer_c)); /* bound to another SA */
	assert_false(spd_snap_check_inbound(snap, &p, any_c));

	p = sel_make("2001:db8:c::1", "2001:db8::2", IPPROTO_TCP, 1, 2);
	assert_true(spd_snap_check_inbound(snap, &p, peer_c));
	assert_true(spd_snap_check_inbound(snap, &p, any_c));
	assert_false(spd_snap_check_inbound(snap, &p, tun)); /* mode differs */
	p = sel_make("2001:db8:c::7", "2001:db8::2", IPPROTO_TCP, 1, 2);
	assert_false(
	    spd_snap_check_inbound(snap, &p, peer_c)); /* SA's source is not the packet's */
	assert_true(spd_snap_check_inbound(snap, &p, any_c));
	p = sel_make("2001:db8:c::1", "2001:db8::3", IPPROTO_TCP, 1, 2);
	assert_false(spd_snap_check_inbound(snap, &p, peer_c)); /* nor its destination */

	p = sel_make("2001:db8:d::1", "2001:db8::2", IPPROTO_TCP, 1, 2);
	assert_true(spd_snap_check_inbound(snap, &p, tun)); /* tunnel: inner addresses differ */
	assert_false(spd_snap_check_inbound(snap, &p, peer_c));

	p = sel_make("2001:db8:e::1", "2001:db8::2", IPPROTO_TCP, 1, 2);
	assert_false(spd_snap_check_inbound(snap, &p, any_c)); /* its SA is gone: discard */
	p = sel_make("2001:db8:f::1", "2001:db8::2", IPPROTO_TCP, 1, 2);
	assert_false(spd_snap_check_inbound(snap, &p, any_c)); /* action none: not via ESP */
	p = sel_make("2001:db8:f0::1", "2001:db8::2", IPPROTO_TCP, 1, 2);
	assert_false(spd_snap_check_inbound(snap, &p, any_c)); /* discard */
	p = sel_make("2001:db8:aa::1", "2001:db8::2", IPPROTO_TCP, 1, 2);
	assert_false(spd_snap_check_inbound(snap, &p, any_c)); /* no policy */

	assert_int_equal(atomic_load(&spd_lookup_name(spd, "kame-transport")->matches), 6);
	assert_int_equal(atomic_load(&spd_lookup_name(spd, "bound")->matches), 3);
	spd_snap_free(snap);
	spd_free(spd);
	sa_unref(bound);
	sa_unref(peer_c);
	sa_unref(any_c);
	sa_unref(tun);
}

/* The instrumentation of a sanitizer build, not the SPD, costs the difference. */
#define ADDS_BUDGET_SEC (TL_SLOW_BUILD ? 5.0 : 1.0)

/* Add n policies with distinct names and prefixes; returns the CPU seconds taken. */
static double
add_many(struct spd *spd, int n)
{
	struct sp_spec s = spec_make("x");
	double t0 = tl_cpu_sec();

	for (int i = 0; i < n; i++) {
		snprintf(s.name, sizeof(s.name), "policy-%d", i);
		s.dst.addr.s6_addr[0] = 0x20;
		s.dst.addr.s6_addr[1] = 0x01;
		s.dst.addr.s6_addr[8] = (uint8_t)(i >> 8);
		s.dst.addr.s6_addr[9] = (uint8_t)i;
		s.dst.len = 80;
		add_ok(spd, &s, NULL);
	}
	return tl_cpu_sec() - t0;
}

static void
test_100k_adds_fast(void **state)
{
	enum {
		N = 100000
	};
	struct spd *small = spd_new();
	struct spd *spd = spd_new();
	struct sp_spec s = spec_make("x");
	struct err e = { "" };
	double t_small = add_many(small, N / 10);
	double t = add_many(spd, N);
	char name[32];

	printf("%d adds: %.3f s; %d adds: %.3f s\n", N / 10, t_small, N, t);
	assert_true(t < ADDS_BUDGET_SEC);
	/* Linear growth: ten times the policies, about ten times the time (quadratic: 100). */
	assert_true(t < 30 * t_small + 0.01);
	spd_free(small);
	assert_int_equal(spd_count(spd), N);
	for (int i = 0; i < N; i += 997) {
		snprintf(name, sizeof(name), "policy-%d", i);
		assert_ptr_equal(spd_lookup_name(spd, name), spd_at(spd, (size_t)i));
	}
	snprintf(s.name, sizeof(s.name), "policy-%d", N - 1);
	assert_int_equal(spd_add(spd, &s, NULL, &e), -EEXIST);
	assert_string_equal(e.msg, "policy 'policy-99999' already exists");
	/* Removing from the middle keeps the name index whole for the others. */
	for (int i = 0; i < N; i += 97) {
		snprintf(name, sizeof(name), "policy-%d", i);
		spd_remove(spd, spd_lookup_name(spd, name));
	}
	for (int i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "policy-%d", i);
		if ((spd_lookup_name(spd, name) == NULL) != (i % 97 == 0))
			fail_msg("name index broken at %s", name);
	}
	assert_int_equal(spd_count(spd), N - (N + 96) / 97);
	assert_string_equal(spd_at(spd, 0)->name, "policy-1");
	spd_free(spd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_parse_and_print),
		cmocka_unit_test(test_add_refusals_give_reason),
		cmocka_unit_test(test_add_refuses_long_name),
		cmocka_unit_test(test_add_accepts_documented_values),
		cmocka_unit_test(test_mode_defaults_to_sa_then_transport),
		cmocka_unit_test(test_host_bits_cleared),
		cmocka_unit_test(test_first_match_wins_in_add_order),
		cmocka_unit_test(test_no_match_is_null),
		cmocka_unit_test(test_sp_match_semantics),
		cmocka_unit_test(test_remove_keeps_order),
		cmocka_unit_test(test_remove_ignores_foreign_policy),
		cmocka_unit_test(test_remove_all_unbinds),
		cmocka_unit_test(test_remove_unbinds_sa),
		cmocka_unit_test(test_unbind_and_rebind),
		cmocka_unit_test(test_snapshot_outlives_remove),
		cmocka_unit_test(test_snapshot_freezes_binding),
		cmocka_unit_test(test_matches_counted_for_winner_only),
		cmocka_unit_test(test_check_inbound),
		cmocka_unit_test(test_100k_adds_fast),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
