// SPDX-License-Identifier: MIT
/* The steering script (dataplane/steer.c, steer_render) for SPDs loaded from configuration text:
 * a first write replaces the table whole; later ones flush it and change only the counters of
 * policies that came or went; out-policies with action ipsec have no counter (the engine counts
 * them); each direction's policies sit once, in SPD order, in a chain the hooks jump to; the
 * ring's rule leads prerouting. What the kernel makes of the script is the e2e tests' part. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ipsec6/conf.h"
#include "steer.h"

#define KEY20 "0x000102030405060708090a0b0c0d0e0f10111213"

/* Counter ids: "sp_" and the name in hex. */
#define ID_OUT       "sp_6f7574"               /* "out" */
#define ID_IN        "sp_696e"                 /* "in" */
#define ID_DROP      "sp_64726f70"             /* "drop" */
#define ID_NEW       "sp_6e6577"               /* "new" */
#define ID_9A        "sp_392e612d5f62"         /* "9.a-_b" */
#define ID_MISROUTED "sp_406d6973726f75746564" /* "@misrouted" */
#define ID_FRAGMENT  "sp_40667261676d656e74"   /* "@fragment" */

static const char *const base_conf =
    "sa add -n s1 -s 2001:db8::1 -d 2001:db8::2 -p 0x1001 -e null -i hmac-sha1 -K " KEY20 "\n"
    "sp add -n out -s 2001:db8::1/128 -d 2001:db8::2/128 -w out -A ipsec -a s1\n"
    "sp add -n drop -s any -d 2001:db8::9/128 -w out -A discard\n"
    "sp add -n in -s 2001:db8::2/128 -d 2001:db8::1/128 -w in -A ipsec -a s1\n";

static struct db *
db_of(const char *text)
{
	struct db *db = db_new(CRYPTO_BACKEND_OPENSSL);
	struct err err = { "" };

	assert_non_null(db);
	if (conf_load(db, text, strlen(text), &err) != 0)
		fail_msg("%s", err.msg);
	return db;
}

static char *
render_as(const struct db *db, const struct steer_names *old, const struct in6_addr *ring, size_t n,
    bool closed)
{
	struct steer_params p = { "ipsec6", 0x69700001u, 0x69700002u, ring, n, 3800, closed, NULL,
		0 };
	struct proto_buf out = { 0 };
	struct steer_names now;

	assert_int_equal(steer_render(db_spd(db), &p, old, &out, &now), 0);
	steer_names_fini(&now);
	return out.data; /* NUL-terminated, the caller's */
}

static char *
render(const struct db *db, const struct steer_names *old, const struct in6_addr *ring, size_t n)
{
	return render_as(db, old, ring, n, false);
}

static bool
has(const char *script, const char *line)
{
	return strstr(script, line) != NULL;
}

/* The first write: the table goes and comes back, every counted policy gets its counter. */
static void
test_first_write_replaces_the_table(void **state)
{
	struct db *db = db_of(base_conf);
	char *s = render(db, NULL, NULL, 0);

	assert_true(
	    has(s, "add table ip6 ipsec6\ndelete table ip6 ipsec6\nadd table ip6 ipsec6\n"));
	assert_false(has(s, "flush table"));
	assert_true(has(s, "add counter ip6 ipsec6 " ID_IN "\n"));
	assert_true(has(s, "add counter ip6 ipsec6 " ID_DROP "\n"));
	assert_true(has(s, "add counter ip6 ipsec6 " ID_MISROUTED "\n"));
	assert_true(has(s, "add counter ip6 ipsec6 " ID_FRAGMENT "\n"));
	assert_false(has(s, ID_OUT)); /* out/ipsec: counted by the engine */
	assert_true(has(s, "counter name " ID_DROP " drop comment \"drop\""));
	assert_true(has(s, "meta mark set 0x69700001 accept comment \"out\""));
	assert_false(has(s, "ip6 nexthdr esp ip6 length")); /* no ring destinations */
	free(s);
	db_free(db);
}

/* ESP in UDP: datagrams to ipsec6d's ports are accepted in the input chain ahead of every
 * in-policy (their sockets drop what is not ESP), open table or closed; no other chain names
 * them, and without ports there is no such rule. */
static void
test_udp_ports_pass_the_in_policies(void **state)
{
	static const uint16_t ports[] = { 4500, 4501 };
	struct db *db = db_of(base_conf);
	struct steer_params p = { "ipsec6", 0x69700001u, 0x69700002u, NULL, 0, 3800, false, ports,
		2 };
	struct proto_buf out = { 0 };
	struct steer_names now;
	const char *input, *rule;

	for (int closed = 0; closed < 2; closed++) {
		p.closed = closed;
		assert_int_equal(steer_render(db_spd(db), &p, NULL, &out, &now), 0);
		steer_names_fini(&now);
		input = strstr(out.data, "chain input {");
		assert_non_null(input);
		/* Only to ipsec6d's sockets (their mark): not to whoever binds the port. */
		rule = strstr(
		    out.data, "\t\tudp dport { 4500, 4501 } socket mark 0x69700002 accept\n");
		assert_true(rule > input && rule < strstr(input, "jump in_policies"));
		assert_null(strstr(rule + strlen("\t\tudp dport"), "udp dport"));
		proto_buf_fini(&out);
	}
	p.udp_n = 0;
	assert_int_equal(steer_render(db_spd(db), &p, NULL, &out, &now), 0);
	steer_names_fini(&now);
	assert_null(strstr(out.data, "udp dport"));
	proto_buf_fini(&out);
	db_free(db);
}

/* Failed closed: every policy's traffic is dropped and counted, ipsec and none alike, in both
 * directions; nothing is marked for the TUN device, and the counters of a normal table stay
 * (out/ipsec ones are added). */
static void
test_closed_table_drops_every_policy(void **state)
{
	struct db *db = db_of("sa add -n s1 -s 2001:db8::1 -d 2001:db8::2 -p 0x1001 -e null -i "
			      "hmac-sha1 -K " KEY20 "\n"
			      "sp add -n out -s 2001:db8::1/128 -d 2001:db8::2/128 -w out -A "
			      "ipsec -a s1\n"
			      "sp add -n new -s any -d 2001:db8::7/128 -w out -A none\n"
			      "sp add -n in -s 2001:db8::2/128 -d 2001:db8::1/128 -w in -A none\n");
	struct steer_names old;
	char *s;

	assert_int_equal(steer_names_of(db_spd(db), false, &old), 0);
	s = render_as(db, &old, NULL, 0, true);
	assert_true(has(s, "flush table ip6 ipsec6\n"));
	assert_true(has(s, "add counter ip6 ipsec6 " ID_OUT "\n"));
	assert_false(has(s, "add counter ip6 ipsec6 " ID_NEW "\n")); /* it has one */
	assert_false(has(s, "delete counter"));
	assert_true(has(s, "counter name " ID_OUT " drop comment \"out\""));
	assert_true(has(s, "counter name " ID_NEW " drop comment \"new\""));
	assert_true(has(s, "counter name " ID_IN " drop comment \"in\""));
	assert_false(has(s, "meta mark set"));
	assert_false(has(s, " accept comment"));
	free(s);
	steer_names_fini(&old);
	db_free(db);
}

/* Each direction's rules once, in SPD order, in the chain both of its hooks jump to. */
static void
test_policies_once_in_jumped_chains(void **state)
{
	struct db *db = db_of(base_conf);
	char *s = render(db, NULL, NULL, 0);
	const char *out = strstr(s, "chain out_policies {");
	const char *in = strstr(s, "chain in_policies {");

	assert_non_null(out);
	assert_non_null(in);
	assert_ptr_equal(strstr(s, "comment \"out\""), strstr(out, "comment \"out\""));
	assert_true(strstr(out, "comment \"out\"") < strstr(out, "comment \"drop\""));
	assert_null(strstr(strstr(s, "comment \"out\"") + 1, "comment \"out\""));
	assert_null(strstr(strstr(s, "comment \"in\"") + 1, "comment \"in\""));
	assert_non_null(strstr(in, "comment \"in\""));
	for (const char *hook = s; (hook = strstr(hook, "jump ")) != NULL; hook++)
		assert_true(strncmp(hook, "jump out_policies\n", 18) == 0 ||
		    strncmp(hook, "jump in_policies\n", 17) == 0);
	assert_true(has(strstr(s, "chain output {"), "jump out_policies"));
	assert_true(has(strstr(s, "chain prerouting {"), "jump out_policies"));
	assert_true(has(strstr(s, "chain input {"), "jump in_policies"));
	assert_true(has(strstr(s, "chain forward {"), "jump in_policies"));
	free(s);
	db_free(db);
}

/* Later writes flush the rules and touch only the counters of policies that came or went; a
 * name that needs no hex escaping still gets one (nft names start with a letter). */
static void
test_later_writes_keep_counters(void **state)
{
	struct db *before = db_of(base_conf);
	char text[2048];
	struct steer_names old;
	struct db *after;
	char *s;

	assert_int_equal(steer_names_of(db_spd(before), false, &old), 0);
	assert_int_equal(old.n, 4); /* drop, in, and the table's @misrouted and @fragment */
	(void)snprintf(text, sizeof(text), "%s%s", base_conf,
	    "sp add -n new -s any -d 2001:db8::8/128 -w in -A discard\n"
	    "sp add -n 9.a-_b -s any -d 2001:db8::7/128 -w out -A none\n");
	/* "drop" goes, "new" and "9.a-_b" come, "in" stays. */
	*strstr(text, "sp add -n drop") = '#';
	after = db_of(text);
	s = render(after, &old, NULL, 0);
	assert_true(has(s, "add table ip6 ipsec6\nflush table ip6 ipsec6\n"));
	assert_false(has(s, "delete table"));
	assert_true(has(s, "delete counter ip6 ipsec6 " ID_DROP "\n"));
	assert_true(has(s, "add counter ip6 ipsec6 " ID_NEW "\n"));
	assert_true(has(s, "add counter ip6 ipsec6 " ID_9A "\n"));
	assert_false(has(s, "add counter ip6 ipsec6 " ID_IN "\n"));
	assert_false(has(s, "delete counter ip6 ipsec6 " ID_IN "\n"));
	assert_false(has(s, "counter ip6 ipsec6 " ID_MISROUTED "\n")); /* it stays */
	assert_true(has(s, "counter name " ID_IN " drop comment \"in\""));
	free(s);
	steer_names_fini(&old);
	db_free(before);
	db_free(after);
}

/* The ring's rule comes first in prerouting and names exactly its destinations. */
static void
test_ring_rule_leads_prerouting(void **state)
{
	struct db *db = db_of(base_conf);
	struct in6_addr ring[2] = { { { { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 } } },
		{ { { 0x20, 0x01, 0x0d, 0xb8, [15] = 3 } } } };
	char *s = render(db, NULL, ring, 2);
	const char *pre = strstr(s, "chain prerouting {");

	assert_non_null(pre);
	pre = strchr(strchr(pre, '\n') + 1, '\n') + 1; /* past the chain's type line */
	assert_true(strncmp(pre,
			"\t\tip6 nexthdr esp ip6 length <= 3800 ip6 daddr { 2001:db8::1, "
			"2001:db8::3 } drop\n",
			strlen("\t\tip6 nexthdr esp ip6 length <= 3800 ip6 daddr { 2001:db8::1, "
			       "2001:db8::3 } drop\n")) == 0);
	free(s);
	db_free(db);
}

/* What ipsec6d decrypted and forwards meets the out-policies: nothing from the TUN device is
 * accepted in prerouting before they are jumped to. */
static void
test_decrypted_packets_meet_the_out_policies(void **state)
{
	struct db *db = db_of(base_conf);
	char *s = render(db, NULL, NULL, 0);
	const char *pre = strstr(s, "chain prerouting {");

	(void)state;
	assert_non_null(pre);
	assert_true(strstr(pre, "iifname") == NULL ||
	    strstr(pre, "iifname") > strstr(pre, "jump out_policies"));
	free(s);
	db_free(db);
}

/* A marked packet leaves by the TUN device or stays on the host; the postrouting chain drops
 * it on its way anywhere else (a socket bound to an interface, a link-local or multicast
 * destination), before anything else there. */
static void
test_marked_packets_leave_only_by_the_tun(void **state)
{
	struct db *db = db_of(base_conf);
	char *s = render(db, NULL, NULL, 0);
	const char *post = strstr(s, "chain postrouting {");

	(void)state;
	assert_non_null(post);
	post = strchr(strchr(post, '\n') + 1, '\n') + 1; /* past the chain's type line */
	assert_true(strncmp(post,
			"\t\tmeta mark 0x69700001 oifname != { \"ipsec6\", \"lo\" } counter "
			"name " ID_MISROUTED " drop\n",
			strlen("\t\tmeta mark 0x69700001 oifname != { \"ipsec6\", \"lo\" } counter "
			       "name " ID_MISROUTED " drop\n")) == 0);
	free(s);
	db_free(db);
}

/* A policy that names a port and protects or discards has the fragments after the first (no
 * ports) of its addresses and protocol dropped right before it; one that lets traffic pass, or
 * names no port, has no such rule. */
static void
test_port_policies_drop_later_fragments(void **state)
{
	static const char *const conf =
	    "sa add -n s1 -s 2001:db8::1 -d 2001:db8::2 -p 0x1001 -e null -i hmac-sha1 -K " KEY20
	    "\n"
	    "sp add -n dns -s 2001:db8::1/128 -d 2001:db8::2/128 -P udp --destination-port 53 -w out "
	    "-A none\n"
	    "sp add -n web -s 2001:db8::1/128 -d 2001:db8::2/128 -P tcp --destination-port 443 -w out "
	    "-A ipsec -a s1\n"
	    "sp add -n out -s 2001:db8::1/128 -d 2001:db8::2/128 -w out -A ipsec -a s1\n";
	struct db *db = db_of(conf);
	char *s = render(db, NULL, NULL, 0);
	const char *frag = strstr(s,
	    "ip6 saddr 2001:db8::1/128 ip6 daddr 2001:db8::2/128 meta l4proto tcp "
	    "frag frag-off != 0 counter name " ID_FRAGMENT " drop comment \"web: fragments\"");

	(void)state;
	assert_non_null(frag);
	assert_true(frag > strstr(s, "comment \"dns\"") && frag < strstr(s, "comment \"web\""));
	assert_null(strstr(s, "dns: fragments"));
	assert_null(strstr(s, "out: fragments"));
	free(s);
	db_free(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_write_replaces_the_table),
		cmocka_unit_test(test_udp_ports_pass_the_in_policies),
		cmocka_unit_test(test_policies_once_in_jumped_chains),
		cmocka_unit_test(test_closed_table_drops_every_policy),
		cmocka_unit_test(test_later_writes_keep_counters),
		cmocka_unit_test(test_ring_rule_leads_prerouting),
		cmocka_unit_test(test_decrypted_packets_meet_the_out_policies),
		cmocka_unit_test(test_marked_packets_leave_only_by_the_tun),
		cmocka_unit_test(test_port_policies_drop_later_fragments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
