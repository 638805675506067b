// SPDX-License-Identifier: MIT
/* addr: every accepted text form and its RFC 5952 spelling, every refusal and its sentence,
 * prefixes and "any", and the formatter checked exhaustively against a separate oracle. */
#include <arpa/inet.h>

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ipsec6/addr.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

struct text_case {
	const char *in;
	const char *want; /* RFC 5952 form, or the reason */
};

static const struct text_case addr_good[] = {
	{ "2001:db8::1", "2001:db8::1" },
	{ "2001:DB8::1", "2001:db8::1" },
	{ "2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1" },
	{ "2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1" },
	{ "2001:0:0:1:0:0:0:1", "2001:0:0:1::1" },
	{ "2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1" },
	{ "2001:db8::1:1:1:1:1", "2001:db8:0:1:1:1:1:1" },
	{ "1:2:3:4:5:6::8", "1:2:3:4:5:6:0:8" },
	{ "1::3:4:5:6:7:8", "1:0:3:4:5:6:7:8" },
	{ "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8" },
	{ "::", "::" },
	{ "0:0:0:0:0:0:0:0", "::" },
	{ "::1", "::1" },
	{ "::0:1", "::1" },
	{ "1::", "1::" },
	{ "FE80::ABCD:EF01", "fe80::abcd:ef01" },
	{ "Ff02::1", "ff02::1" },
	{ "0001:02:003:4::", "1:2:3:4::" },
	{ "FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" },
	/* The ESXi documentation's form: one trailing colon stands for "::". */
	{ "2001:0DB8:0001:", "2001:db8:1::" },
	{ "2001:", "2001::" },
	{ "1:2:3:4:5:6:7:", "1:2:3:4:5:6:7:0" },
	/* RFC 4291 section 2.2 form 3, for addresses that are not IPv4 ones. */
	{ "64:ff9b::192.0.2.1", "64:ff9b::c000:201" },
	{ "1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304" },
	{ "::ffff:0:1.2.3.4", "::ffff:0:102:304" },
	{ "2001:db8::255.255.255.255", "2001:db8::ffff:ffff" },
	/* ::/96 in hex is not the deprecated IPv4-compatible form. */
	{ "::c000:201", "::c000:201" },
};

#define NOT_VALID(s)                                     \
	{                                                \
		s, "'" s "' is not a valid IPv6 address" \
	}

static const struct text_case addr_bad[] = {
	{ "", "'' is not a valid IPv6 address: the address is empty" },
	{ "192.0.2.1", "'192.0.2.1' is an IPv4 address: only IPv6 is supported" },
	{ "0.0.0.0", "'0.0.0.0' is an IPv4 address: only IPv6 is supported" },
	{ "::ffff:192.0.2.1",
	    "'::ffff:192.0.2.1' is an IPv4-mapped address: only IPv6 is supported" },
	{ "::FFFF:C000:0201",
	    "'::FFFF:C000:0201' is an IPv4-mapped address: only IPv6 is supported" },
	{ "0:0:0:0:0:ffff:192.0.2.1",
	    "'0:0:0:0:0:ffff:192.0.2.1' is an IPv4-mapped address: only IPv6 is supported" },
	{ "::ffff:0:0", "'::ffff:0:0' is an IPv4-mapped address: only IPv6 is supported" },
	{ "::192.0.2.1", "'::192.0.2.1' is an IPv4-compatible address: only IPv6 is supported" },
	{ "::0.0.0.1", "'::0.0.0.1' is an IPv4-compatible address: only IPv6 is supported" },
	{ "fe80::1%eth0", "'fe80::1%eth0' has a zone index: zone indices are not supported" },
	{ "fe80::1%1", "'fe80::1%1' has a zone index: zone indices are not supported" },
	NOT_VALID("2001:db8::zz"),
	NOT_VALID("g::"),
	NOT_VALID("2001:db8::/48"),
	NOT_VALID("any"),
	NOT_VALID(":"),
	NOT_VALID(":::"),
	NOT_VALID(":1:2:3:4:5:6:7"),
	NOT_VALID("1:2:3:4:5:6:7"),
	NOT_VALID("1:2:3:4:5:6:7:8:9"),
	NOT_VALID("1:2:3:4:5:6:7:8::"),
	NOT_VALID("::1:2:3:4:5:6:7:8"),
	NOT_VALID("2001:db8:0::1:1:1:1:1"),
	NOT_VALID("1:2:3:4:5:6:7::8"),
	NOT_VALID("1::2::3"),
	NOT_VALID("1:::2"),
	NOT_VALID("12345::"),
	NOT_VALID("00000::1"),
	NOT_VALID("2001:db8::1:"),
	NOT_VALID("2001:db8:1:::"),
	NOT_VALID("2001:0DB8:0001::/48"),
	NOT_VALID(" ::1"),
	NOT_VALID("::1 "),
	NOT_VALID("::1\n"),
	NOT_VALID("192.0.2"),
	NOT_VALID("::1.2.3"),
	NOT_VALID("::1.2.3.256"),
	NOT_VALID("::ffff:01.2.3.4"),
	NOT_VALID("::1.2.3.4.5"),
	NOT_VALID("::1.2.3.4:1"),
	NOT_VALID("1.2.3.4::"),
	NOT_VALID("1:2:3:4:5:6:7:1.2.3.4"),
	NOT_VALID("1::2:3:4:5:6:1.2.3.4"),
	NOT_VALID("::ffff:1.2.3.4:"),
	NOT_VALID("[::1]"),
	NOT_VALID("0x2001::"),
	NOT_VALID("-1::"),
};

static void
test_addr_parse_accepts_rfc4291_forms(void **state)
{
	char buf[ADDR_TEXT_MAX];

	for (size_t i = 0; i < ARRAY_LEN(addr_good); i++) {
		struct in6_addr a;
		struct err err = { "" };

		if (addr_parse(addr_good[i].in, &a, &err) != 0)
			fail_msg("'%s' refused: %s", addr_good[i].in, err.msg);
		assert_false(err_is_set(&err));
		assert_string_equal(addr_format(&a, buf), addr_good[i].want);
	}
}

static void
test_addr_parse_refuses_with_reason(void **state)
{
	for (size_t i = 0; i < ARRAY_LEN(addr_bad); i++) {
		struct in6_addr a, before;
		struct err err = { "" };

		memset(&a, 0x5a, sizeof(a));
		before = a;
		if (addr_parse(addr_bad[i].in, &a, &err) != -EINVAL)
			fail_msg("'%s' was not refused with -EINVAL", addr_bad[i].in);
		assert_string_equal(err.msg, addr_bad[i].want);
		/* A refused parse leaves the output alone. */
		assert_memory_equal(&a, &before, sizeof(a));
	}
}

static void
test_addr_parse_without_err(void **state)
{
	struct in6_addr a;

	assert_int_equal(addr_parse("2001:db8::zz", &a, NULL), -EINVAL);
	assert_int_equal(addr_parse("2001:db8::", &a, NULL), 0);
}

/* The first reason recorded wins (err.h), so a caller's earlier, more precise one survives. */
static void
test_addr_parse_keeps_earlier_reason(void **state)
{
	struct in6_addr a;
	struct err err = { "earlier" };

	assert_int_equal(addr_parse("192.0.2.1", &a, &err), -EINVAL);
	assert_string_equal(err.msg, "earlier");
}

static void
test_addr_parse_long_input(void **state)
{
	char text[1024];
	struct in6_addr a;
	struct err err = { "" };

	memset(text, '1', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	assert_int_equal(addr_parse(text, &a, &err), -EINVAL);
	/* The reason is truncated, still terminated, and starts by quoting the input. */
	assert_int_equal(strlen(err.msg), ERR_MSG_MAX - 1);
	assert_int_equal(strncmp(err.msg, "'1111", 5), 0);
}

struct prefix_case {
	const char *in;
	const char *want; /* addr_prefix_format output */
	unsigned len;
};

static const struct prefix_case prefix_good[] = {
	{ "any", "any", 0 },
	{ "::/0", "any", 0 },
	{ "2001:db8::/32", "2001:db8::/32", 32 },
	{ "2001:0DB8:0001:/48", "2001:db8:1::/48", 48 },
	{ "2001:0db8:0001::/48", "2001:db8:1::/48", 48 },
	{ "2001:db8::1/128", "2001:db8::1/128", 128 },
	{ "::1/128", "::1/128", 128 },
	{ "::/128", "::/128", 128 },
	{ "::/1", "::/1", 1 },
	{ "8000::/1", "8000::/1", 1 },
	{ "FE80::/10", "fe80::/10", 10 },
	{ "2001:db8:0:0:8000::/65", "2001:db8:0:0:8000::/65", 65 },
	{ "2001:db8::c000:200/120", "2001:db8::c000:200/120", 120 },
};

static const struct text_case prefix_bad[] = {
	{ "2001:db8::/129", "'2001:db8::/129': prefix length must be 0-128" },
	{ "2001:db8::/256", "'2001:db8::/256': prefix length must be 0-128" },
	{ "2001:db8::/99999999999999999999",
	    "'2001:db8::/99999999999999999999': prefix length must be 0-128" },
	{ "2001:db8::/", "'2001:db8::/': prefix length must be 0-128" },
	{ "2001:db8::/-1", "'2001:db8::/-1': prefix length must be 0-128" },
	{ "2001:db8::/+32", "'2001:db8::/+32': prefix length must be 0-128" },
	{ "2001:db8::/3x", "'2001:db8::/3x': prefix length must be 0-128" },
	{ "2001:db8::/32 ", "'2001:db8::/32 ': prefix length must be 0-128" },
	{ "2001:db8::/32/1", "'2001:db8::/32/1': prefix length must be 0-128" },
	{ "2001:db8::/0x20", "'2001:db8::/0x20': prefix length must be 0-128" },
	{ "2001:db8::/032",
	    "'2001:db8::/032': prefix length must be 0-128, without leading zeros" },
	{ "::/00", "'::/00': prefix length must be 0-128, without leading zeros" },
	{ "2001:db8::1/32",
	    "'2001:db8::1/32' has bits set beyond the /32 prefix (did you mean 2001:db8::/32?)" },
	{ "2001:db9::/31",
	    "'2001:db9::/31' has bits set beyond the /31 prefix (did you mean 2001:db8::/31?)" },
	{ "::1/0", "'::1/0' has bits set beyond the /0 prefix (did you mean any?)" },
	{ "2001:0DB8:0001:/16",
	    "'2001:0DB8:0001:/16' has bits set beyond the /16 prefix (did you mean 2001::/16?)" },
	{ "2001:db8::1",
	    "'2001:db8::1' has no prefix length: write ADDR/LEN (/128 for one address) or any" },
	{ "2001:db8::zz/64", "'2001:db8::zz/64' is not a valid IPv6 prefix" },
	{ "2001:db8::zz", "'2001:db8::zz' is not a valid IPv6 prefix" },
	{ "ANY", "'ANY' is not a valid IPv6 prefix" },
	{ "any/0", "'any/0' is not a valid IPv6 prefix" },
	{ "", "'' is not a valid IPv6 prefix: the address is empty" },
	{ "/64", "'/64' is not a valid IPv6 prefix: the address is empty" },
	{ "192.0.2.0/24", "'192.0.2.0/24' is an IPv4 prefix: only IPv6 is supported" },
	{ "::ffff:192.0.2.0/120",
	    "'::ffff:192.0.2.0/120' is an IPv4-mapped prefix: only IPv6 is supported" },
	{ "::ffff:0:0/96", "'::ffff:0:0/96' is an IPv4-mapped prefix: only IPv6 is supported" },
	{ "::192.0.2.0/120",
	    "'::192.0.2.0/120' is an IPv4-compatible prefix: only IPv6 is supported" },
	{ "fe80::%eth0/64", "'fe80::%eth0/64' has a zone index: zone indices are not supported" },
};

static void
test_addr_prefix_parse_accepts(void **state)
{
	char buf[ADDR_TEXT_MAX];

	for (size_t i = 0; i < ARRAY_LEN(prefix_good); i++) {
		struct prefix6 p;
		struct err err = { "" };

		if (addr_prefix_parse(prefix_good[i].in, &p, &err) != 0)
			fail_msg("'%s' refused: %s", prefix_good[i].in, err.msg);
		assert_int_equal(p.len, prefix_good[i].len);
		assert_string_equal(addr_prefix_format(&p, buf), prefix_good[i].want);
	}
}

static void
test_addr_prefix_parse_refuses_with_reason(void **state)
{
	for (size_t i = 0; i < ARRAY_LEN(prefix_bad); i++) {
		struct prefix6 p = { .len = 77 };
		struct err err = { "" };

		if (addr_prefix_parse(prefix_bad[i].in, &p, &err) != -EINVAL)
			fail_msg("'%s' was not refused with -EINVAL", prefix_bad[i].in);
		assert_string_equal(err.msg, prefix_bad[i].want);
		assert_int_equal(p.len, 77);
	}
}

static void
test_addr_prefix_any_is_all_zero(void **state)
{
	struct prefix6 p;
	struct err err = { "" };

	memset(&p, 0xff, sizeof(p));
	assert_int_equal(addr_prefix_parse("any", &p, &err), 0);
	assert_true(addr_is_any(&p.addr));
	assert_int_equal(p.len, 0);
}

/* Only ::/0 is "any"; a zero address with a longer prefix is printed as it is. */
static void
test_addr_prefix_format_any_only_for_slash0(void **state)
{
	struct prefix6 p = { .len = 0 };
	char buf[ADDR_TEXT_MAX];

	assert_string_equal(addr_prefix_format(&p, buf), "any");
	p.len = 64;
	assert_string_equal(addr_prefix_format(&p, buf), "::/64");
	p.len = 128;
	assert_string_equal(addr_prefix_format(&p, buf), "::/128");
}

static void
test_addr_prefix_format_longest_fits(void **state)
{
	struct prefix6 p;
	char buf[ADDR_TEXT_MAX];

	memset(&p.addr, 0xff, sizeof(p.addr));
	p.len = 128;
	assert_string_equal(
	    addr_prefix_format(&p, buf), "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128");
}

static struct in6_addr
groups_addr(const uint16_t g[8])
{
	struct in6_addr a;

	for (int i = 0; i < 8; i++) {
		a.s6_addr[2 * i] = (uint8_t)(g[i] >> 8);
		a.s6_addr[2 * i + 1] = (uint8_t)g[i];
	}
	return a;
}

struct format_case {
	uint16_t g[8];
	const char *want;
	const char *rule;
};

static const struct format_case format_cases[] = {
	{ { 0x2001, 0xdb8, 0, 0, 0, 0, 0, 1 }, "2001:db8::1", "compress the zeros" },
	{ { 0x2001, 0xDB8, 0xABCD, 0xEF, 0, 0, 0, 0xA }, "2001:db8:abcd:ef::a", "lower case" },
	{ { 0x2001, 0x0db8, 0x0001, 0, 0, 0, 0, 0x000a }, "2001:db8:1::a", "no leading zeros" },
	{ { 0x2001, 0xdb8, 0, 1, 1, 1, 1, 1 }, "2001:db8:0:1:1:1:1:1", "one zero group stays" },
	{ { 0x2001, 0xdb8, 0, 0, 1, 0, 0, 1 }, "2001:db8::1:0:0:1", "first of equal runs" },
	{ { 0x2001, 0, 0, 1, 0, 0, 0, 1 }, "2001:0:0:1::1", "longest run" },
	{ { 0, 0, 1, 0, 0, 0, 1, 1 }, "0:0:1::1:1", "longest run, not the leading one" },
	{ { 1, 0, 0, 1, 0, 0, 0, 0 }, "1:0:0:1::", "longest run at the end" },
	{ { 0, 0, 0, 0, 0, 0, 0, 0 }, "::", "unspecified" },
	{ { 0, 0, 0, 0, 0, 0, 0, 1 }, "::1", "loopback" },
	{ { 1, 0, 0, 0, 0, 0, 0, 0 }, "1::", "trailing run" },
	{ { 0, 1, 2, 3, 4, 5, 6, 0 }, "0:1:2:3:4:5:6:0", "single zeros at both ends" },
	{ { 0, 0, 0, 0, 0, 0, 0xc000, 0x201 }, "::c000:201", "no IPv4-compatible dotted form" },
	{ { 0, 0, 0, 0, 0, 0xffff, 0xc000, 0x201 }, "::ffff:192.0.2.1", "RFC 5952 sec. 5" },
	{ { 0, 0, 0, 0, 0, 0xffff, 0, 0 }, "::ffff:0.0.0.0", "mapped zero" },
	{ { 0, 0, 0, 0, 0xffff, 0, 0, 0 }, "::ffff:0:0:0", "longest run, not mapped" },
	{ { 0, 0, 0, 1, 0, 0, 0, 1 }, "::1:0:0:0:1", "first of equal runs at the start" },
	{ { 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff },
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "longest text" },
};

static void
test_addr_format_rfc5952_rules(void **state)
{
	char buf[ADDR_TEXT_MAX];

	for (size_t i = 0; i < ARRAY_LEN(format_cases); i++) {
		struct in6_addr a = groups_addr(format_cases[i].g);

		addr_format(&a, buf);
		if (strcmp(buf, format_cases[i].want) != 0)
			fail_msg("%s: got '%s', want '%s'", format_cases[i].rule, buf,
			    format_cases[i].want);
	}
}

/* An oracle written differently from addr.c: mark zero groups in a string of '0'/'1' and take
 * the first occurrence of the longest "00..." with strstr. */
static void
oracle_format(const uint16_t g[8], char *out, size_t size)
{
	char mask[9], pattern[9];
	int start = -1, len = 0, n = 0;

	for (int i = 0; i < 8; i++)
		mask[i] = g[i] == 0 ? '0' : '1';
	mask[8] = '\0';
	for (int k = 8; k >= 2 && start < 0; k--) {
		const char *hit;

		memset(pattern, '0', (size_t)k);
		pattern[k] = '\0';
		hit = strstr(mask, pattern);
		if (hit != NULL) {
			start = (int)(hit - mask);
			len = k;
		}
	}
	out[0] = '\0';
	for (int i = 0; i < 8; i++) {
		if (i == start) {
			n += snprintf(out + n, size - (size_t)n, "%s", i == 0 ? "::" : ":");
			i += len - 1;
			continue;
		}
		n += snprintf(out + n, size - (size_t)n, "%x%s", g[i], i < 7 ? ":" : "");
	}
}

/* Every pattern of zero and non-zero groups: the formatter agrees with the oracle, and both
 * addr_parse and the C library's inet_pton read the text back as the same address. */
static void
test_addr_format_every_zero_pattern(void **state)
{
	static const uint16_t values[] = { 0x1, 0xa0, 0xbeef, 0x0f00, 0xffff, 0x10 };

	for (unsigned mask = 0; mask < 256; mask++) {
		uint16_t g[8];
		struct in6_addr a, back;
		char got[ADDR_TEXT_MAX], want[64];
		struct err err = { "" };

		for (int i = 0; i < 8; i++)
			g[i] = (mask >> i & 1u) ? values[(unsigned)i % ARRAY_LEN(values)] : 0;
		/* Group 5 = 0xffff after five zeros would be IPv4-mapped: mixed notation. */
		if (g[5] == 0xffff)
			g[5] = 0xfffe;
		a = groups_addr(g);
		addr_format(&a, got);
		oracle_format(g, want, sizeof(want));
		if (strcmp(got, want) != 0)
			fail_msg("mask %02x: got '%s', want '%s'", mask, got, want);
		assert_int_equal(inet_pton(AF_INET6, got, &back), 1);
		assert_memory_equal(&back, &a, sizeof(a));
		if (addr_parse(got, &back, &err) != 0)
			fail_msg("'%s' refused: %s", got, err.msg);
		assert_memory_equal(&back, &a, sizeof(a));
	}
}

struct match_case {
	const char *prefix;
	const char *addr;
	bool want;
};

static const struct match_case match_cases[] = {
	{ "any", "2001:db8::1", true },
	{ "any", "::", true },
	{ "2001:db8::/32", "2001:db8:ffff:ffff::1", true },
	{ "2001:db8::/32", "2001:db9::", false },
	{ "2001:db8::/32", "2001:db7:ffff::", false },
	{ "2001:db8::/31", "2001:db9::1", true },
	{ "2001:db8::/31", "2001:dba::", false },
	{ "2001:db8::1/128", "2001:db8::1", true },
	{ "2001:db8::1/128", "2001:db8::2", false },
	{ "2001:db8::1/128", "2001:db8::1:0", false },
	{ "8000::/1", "ffff::", true },
	{ "8000::/1", "7fff:ffff::", false },
	{ "::/1", "7fff:ffff::", true },
	{ "::/1", "8000::", false },
	{ "fe80::/10", "febf::1", true },
	{ "fe80::/10", "fec0::", false },
	{ "2001:db8:0:0:8000::/65", "2001:db8::8000:0:0:1", true },
	{ "2001:db8:0:0:8000::/65", "2001:db8::7fff:0:0:1", false },
	{ "2001:db8::c000:200/120", "2001:db8::c000:2ff", true },
	{ "2001:db8::c000:200/120", "2001:db8::c000:300", false },
	{ "2001:db8::/127", "2001:db8::1", true },
	{ "2001:db8::/127", "2001:db8::2", false },
};

static void
test_addr_prefix_match(void **state)
{
	for (size_t i = 0; i < ARRAY_LEN(match_cases); i++) {
		struct prefix6 p;
		struct in6_addr a;
		struct err err = { "" };

		assert_int_equal(addr_prefix_parse(match_cases[i].prefix, &p, &err), 0);
		assert_int_equal(addr_parse(match_cases[i].addr, &a, &err), 0);
		if (addr_prefix_match(&p, &a) != match_cases[i].want)
			fail_msg("%s in %s: want %s", match_cases[i].addr, match_cases[i].prefix,
			    match_cases[i].want ? "match" : "no match");
	}
}

static void
test_addr_is_any_and_equal(void **state)
{
	struct in6_addr a, b;
	struct err err = { "" };

	assert_int_equal(addr_parse("::", &a, &err), 0);
	assert_true(addr_is_any(&a));
	assert_int_equal(addr_parse("::1", &b, &err), 0);
	assert_false(addr_is_any(&b));
	assert_false(addr_equal(&a, &b));
	assert_int_equal(addr_parse("1::", &b, &err), 0);
	assert_false(addr_is_any(&b));
	assert_int_equal(addr_parse("2001:0DB8:0001:", &a, &err), 0);
	assert_int_equal(addr_parse("2001:db8:1::0", &b, &err), 0);
	assert_true(addr_equal(&a, &b));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_addr_parse_accepts_rfc4291_forms),
		cmocka_unit_test(test_addr_parse_refuses_with_reason),
		cmocka_unit_test(test_addr_parse_without_err),
		cmocka_unit_test(test_addr_parse_keeps_earlier_reason),
		cmocka_unit_test(test_addr_parse_long_input),
		cmocka_unit_test(test_addr_prefix_parse_accepts),
		cmocka_unit_test(test_addr_prefix_parse_refuses_with_reason),
		cmocka_unit_test(test_addr_prefix_any_is_all_zero),
		cmocka_unit_test(test_addr_prefix_format_any_only_for_slash0),
		cmocka_unit_test(test_addr_prefix_format_longest_fits),
		cmocka_unit_test(test_addr_format_rfc5952_rules),
		cmocka_unit_test(test_addr_format_every_zero_pattern),
		cmocka_unit_test(test_addr_prefix_match),
		cmocka_unit_test(test_addr_is_any_and_equal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
