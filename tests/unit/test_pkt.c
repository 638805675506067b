// SPDX-License-Identifier: MIT
/* pkt: selectors and the ESP insertion point for packets built header by header (hop-by-hop,
 * destination options, routing and fragment headers in many orders), every refusal, and every
 * truncation of every packet read from a buffer of exactly that size (so ASan sees any byte
 * read past the end). */
#include <netinet/in.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ipsec6/pkt.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_HDRS     20

/* One extension header: type 0/43/60 with its length in bytes (a multiple of 8), or type 44 with
 * its fragment offset in 8-byte units and the M flag. */
struct hdr {
	uint8_t type;
	uint16_t arg;
	bool more;
};

#define HBH(n)                            \
	{                                 \
		IPPROTO_HOPOPTS, n, false \
	}
#define DST(n)                            \
	{                                 \
		IPPROTO_DSTOPTS, n, false \
	}
#define RT(n)                             \
	{                                 \
		IPPROTO_ROUTING, n, false \
	}
#define FRAG(off, m)                     \
	{                                \
		IPPROTO_FRAGMENT, off, m \
	}

struct built {
	uint8_t b[1024];
	size_t len;
	size_t upper_off; /* where the upper-layer header starts */
};

/* Append the headers, then proto with its payload; set the payload length to match. */
static void
build(struct built *p, const struct hdr *hdrs, size_t n, uint8_t proto, const uint8_t *payload,
    size_t payload_len)
{
	static const uint8_t src[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	static const uint8_t dst[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
	size_t nh_off = 6;

	memset(p, 0, sizeof(*p));
	p->b[0] = 0x60;
	p->b[7] = 64;
	memcpy(p->b + 8, src, 16);
	memcpy(p->b + 24, dst, 16);
	p->len = IPV6_HDR_LEN;
	for (size_t i = 0; i < n; i++) {
		size_t hlen = hdrs[i].type == IPPROTO_FRAGMENT ? 8 : hdrs[i].arg;
		uint8_t *h = p->b + p->len;

		assert_true(hlen >= 8 && hlen % 8 == 0 && p->len + hlen < sizeof(p->b));
		p->b[nh_off] = hdrs[i].type;
		if (hdrs[i].type == IPPROTO_FRAGMENT) {
			uint16_t v = (uint16_t)(hdrs[i].arg << 3 | (hdrs[i].more ? 1 : 0));

			h[2] = (uint8_t)(v >> 8);
			h[3] = (uint8_t)v;
			h[7] = 0x42; /* identification */
		} else {
			h[1] = (uint8_t)(hlen / 8 - 1);
			/* PadN over the rest; routing: type 4, segments left 0. */
			h[2] = hdrs[i].type == IPPROTO_ROUTING ? 4 : 1;
			h[3] = (uint8_t)(hlen - 4);
		}
		nh_off = p->len;
		p->len += hlen;
	}
	p->b[nh_off] = proto;
	p->upper_off = p->len;
	assert_true(p->len + payload_len <= sizeof(p->b));
	if (payload_len > 0)
		memcpy(p->b + p->len, payload, payload_len);
	p->len += payload_len;
	p->b[4] = (uint8_t)((p->len - IPV6_HDR_LEN) >> 8);
	p->b[5] = (uint8_t)(p->len - IPV6_HDR_LEN);
}

/* TCP 12345 -> 443 (a 20-byte header), UDP 5353 -> 53, ICMPv6 echo request. */
static const uint8_t tcp_hdr[20] = { 0x30, 0x39, 0x01, 0xbb, [12] = 0x50, [13] = 0x02 };
static const uint8_t udp_hdr[8] = { 0x14, 0xe9, 0x00, 0x35, 0x00, 0x08 };
static const uint8_t icmp_echo[8] = { 128, 0, 0x12, 0x34, 0, 1, 0, 1 };
static const uint8_t mld_report[8] = { 143 };
static const uint8_t opaque[16] = { 0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5, 6, 7, 8, 9 };

struct combo {
	const char *name;
	struct hdr hdrs[MAX_HDRS];
	size_t nhdrs;
	uint8_t proto;
	const uint8_t *payload;
	size_t payload_len;
	/* expected selectors */
	int want_proto;
	int32_t sport, dport;
	bool nonfirst;
	/* expected layout */
	uint32_t esp_off, nexthdr_off;
	uint8_t nexthdr;
	/* bytes of upper layer pkt_parse needs: 4 for ports/ICMPv6 header, 0 otherwise */
	size_t need;
};

#define PAYLOAD(x) x, sizeof(x)

static const struct combo combos[] = {
	{ "tcp", { { 0 } }, 0, IPPROTO_TCP, PAYLOAD(tcp_hdr), IPPROTO_TCP, 12345, 443, false, 40, 6,
	    IPPROTO_TCP, 4 },
	{ "udp", { { 0 } }, 0, IPPROTO_UDP, PAYLOAD(udp_hdr), IPPROTO_UDP, 5353, 53, false, 40, 6,
	    IPPROTO_UDP, 4 },
	{ "icmp6 echo", { { 0 } }, 0, IPPROTO_ICMPV6, PAYLOAD(icmp_echo), IPPROTO_ICMPV6, -1, 128,
	    false, 40, 6, IPPROTO_ICMPV6, 4 },
	{ "hbh tcp", { HBH(8) }, 1, IPPROTO_TCP, PAYLOAD(tcp_hdr), IPPROTO_TCP, 12345, 443, false,
	    48, 40, IPPROTO_TCP, 4 },
	/* Destination options alone go behind ESP: they are for the final destination. */
	{ "dst udp", { DST(8) }, 1, IPPROTO_UDP, PAYLOAD(udp_hdr), IPPROTO_UDP, 5353, 53, false, 40,
	    6, IPPROTO_DSTOPTS, 4 },
	{ "hbh dst udp", { HBH(8), DST(16) }, 2, IPPROTO_UDP, PAYLOAD(udp_hdr), IPPROTO_UDP, 5353,
	    53, false, 48, 40, IPPROTO_DSTOPTS, 4 },
	/* Destination options before a routing header are for the hops: ESP goes after both. */
	{ "dst rt tcp", { DST(8), RT(24) }, 2, IPPROTO_TCP, PAYLOAD(tcp_hdr), IPPROTO_TCP, 12345,
	    443, false, 72, 48, IPPROTO_TCP, 4 },
	{ "rt dst udp", { RT(24), DST(8) }, 2, IPPROTO_UDP, PAYLOAD(udp_hdr), IPPROTO_UDP, 5353, 53,
	    false, 64, 40, IPPROTO_DSTOPTS, 4 },
	{ "hbh dst rt frag dst tcp", { HBH(8), DST(16), RT(24), FRAG(0, true), DST(8) }, 5,
	    IPPROTO_TCP, PAYLOAD(tcp_hdr), IPPROTO_TCP, 12345, 443, false, 96, 88, IPPROTO_DSTOPTS,
	    4 },
	{ "hbh rt dst icmp6", { HBH(8), RT(40), DST(8) }, 3, IPPROTO_ICMPV6, PAYLOAD(icmp_echo),
	    IPPROTO_ICMPV6, -1, 128, false, 88, 48, IPPROTO_DSTOPTS, 4 },
	{ "first fragment udp", { FRAG(0, true) }, 1, IPPROTO_UDP, PAYLOAD(udp_hdr), IPPROTO_UDP,
	    5353, 53, false, 48, 40, IPPROTO_UDP, 4 },
	{ "atomic fragment tcp", { FRAG(0, false) }, 1, IPPROTO_TCP, PAYLOAD(tcp_hdr), IPPROTO_TCP,
	    12345, 443, false, 48, 40, IPPROTO_TCP, 4 },
	/* RFC 4301 section 4.4.1.3: a later fragment's ports are opaque, even if its data happens
	 * to look like a header. */
	{ "non-first fragment udp", { FRAG(185, true) }, 1, IPPROTO_UDP, PAYLOAD(udp_hdr),
	    IPPROTO_UDP, -1, -1, true, 48, 40, IPPROTO_UDP, 0 },
	{ "last fragment tcp", { HBH(8), FRAG(1, false) }, 2, IPPROTO_TCP, PAYLOAD(opaque),
	    IPPROTO_TCP, -1, -1, true, 56, 48, IPPROTO_TCP, 0 },
	{ "non-first fragment naming dst", { FRAG(3, true) }, 1, IPPROTO_DSTOPTS, PAYLOAD(opaque),
	    IPPROTO_DSTOPTS, -1, -1, true, 48, 40, IPPROTO_DSTOPTS, 0 },
	{ "mld with hbh", { HBH(8) }, 1, IPPROTO_ICMPV6, PAYLOAD(mld_report), IPPROTO_ICMPV6, -1,
	    143, false, 48, 40, IPPROTO_ICMPV6, 4 },
	{ "esp", { { 0 } }, 0, IPPROTO_ESP, PAYLOAD(opaque), IPPROTO_ESP, -1, -1, false, 40, 6,
	    IPPROTO_ESP, 0 },
	{ "dst esp", { DST(8) }, 1, IPPROTO_ESP, PAYLOAD(opaque), IPPROTO_ESP, -1, -1, false, 40, 6,
	    IPPROTO_DSTOPTS, 0 },
	{ "hbh ah", { HBH(8) }, 1, IPPROTO_AH, PAYLOAD(opaque), IPPROTO_AH, -1, -1, false, 48, 40,
	    IPPROTO_AH, 0 },
	{ "hbh no-next-header", { HBH(8) }, 1, IPPROTO_NONE, NULL, 0, IPPROTO_NONE, -1, -1, false,
	    48, 40, IPPROTO_NONE, 0 },
	{ "sctp", { { 0 } }, 0, IPPROTO_SCTP, PAYLOAD(opaque), IPPROTO_SCTP, -1, -1, false, 40, 6,
	    IPPROTO_SCTP, 0 },
	{ "gre after rt", { RT(8) }, 1, IPPROTO_GRE, PAYLOAD(opaque), IPPROTO_GRE, -1, -1, false,
	    48, 40, IPPROTO_GRE, 0 },
	/* Hdr Ext Len 255: the longest header there is (2048 bytes) does not fit our buffer, so
	 * a 256-byte one stands for "long". */
	{ "long dst udp", { DST(256) }, 1, IPPROTO_UDP, PAYLOAD(udp_hdr), IPPROTO_UDP, 5353, 53,
	    false, 40, 6, IPPROTO_DSTOPTS, 4 },
	{ "16 extension headers",
	    { HBH(8), DST(8), DST(8), DST(8), DST(8), DST(8), DST(8), DST(8), DST(8), DST(8),
		DST(8), DST(8), DST(8), DST(8), DST(8), RT(8) },
	    16, IPPROTO_UDP, PAYLOAD(udp_hdr), IPPROTO_UDP, 5353, 53, false, 168, 160, IPPROTO_UDP,
	    4 },
};

static void
check_combo(const struct combo *c, const uint8_t *data, size_t len)
{
	struct pkt_sel sel;
	struct pkt_layout lay;

	if (pkt_parse(data, len, &sel) != PKT_DROP_NONE)
		fail_msg("%s: pkt_parse refused", c->name);
	assert_int_equal(sel.proto, c->want_proto);
	assert_int_equal(sel.sport, c->sport);
	assert_int_equal(sel.dport, c->dport);
	assert_int_equal(sel.nonfirst_frag, c->nonfirst);
	assert_memory_equal(&sel.src, data + 8, 16);
	assert_memory_equal(&sel.dst, data + 24, 16);
	if (pkt_layout(data, len, &lay) != PKT_DROP_NONE)
		fail_msg("%s: pkt_layout refused", c->name);
	if (lay.esp_off != c->esp_off || lay.nexthdr_off != c->nexthdr_off ||
	    lay.nexthdr != c->nexthdr)
		fail_msg("%s: layout %u/%u/%u, want %u/%u/%u", c->name, lay.esp_off,
		    lay.nexthdr_off, lay.nexthdr, c->esp_off, c->nexthdr_off, c->nexthdr);
	/* The byte at nexthdr_off is the one that names what sits at esp_off. */
	assert_int_equal(data[lay.nexthdr_off], lay.nexthdr);
}

static void
test_pkt_selectors_and_layout(void **state)
{
	struct built p;

	for (size_t i = 0; i < ARRAY_LEN(combos); i++) {
		const struct combo *c = &combos[i];
		uint8_t *copy;

		build(&p, c->hdrs, c->nhdrs, c->proto, c->payload, c->payload_len);
		copy = malloc(p.len);
		assert_non_null(copy);
		memcpy(copy, p.b, p.len);
		check_combo(c, copy, p.len);
		free(copy);
	}
}

/* Bytes past 40 + payload length belong to the link (padding), not the packet. */
static void
test_pkt_ignores_bytes_past_payload_length(void **state)
{
	struct built p;

	for (size_t i = 0; i < ARRAY_LEN(combos); i++) {
		build(&p, combos[i].hdrs, combos[i].nhdrs, combos[i].proto, combos[i].payload,
		    combos[i].payload_len);
		memset(p.b + p.len, 0xee, 64);
		check_combo(&combos[i], p.b, p.len + 64);
	}
}

/* Cut every packet at every length, into a buffer of exactly that size. With the payload length
 * left as it was, nothing passes the fixed-header check; with it rewritten to fit, the walk
 * itself meets the cut, and only a packet whose headers (and ports) are whole passes. */
static void
test_pkt_every_truncation(void **state)
{
	struct built p;

	for (size_t i = 0; i < ARRAY_LEN(combos); i++) {
		const struct combo *c = &combos[i];

		build(&p, c->hdrs, c->nhdrs, c->proto, c->payload, c->payload_len);
		for (size_t n = 0; n < p.len; n++) {
			uint8_t *cut = malloc(n > 0 ? n : 1);
			struct pkt_sel sel;
			struct pkt_layout lay;
			size_t need_parse = p.upper_off + c->need, need_layout = p.upper_off;
			enum pkt_drop want;

			assert_non_null(cut);
			memcpy(cut, p.b, n);
			assert_int_equal(pkt_parse(cut, n, &sel), PKT_DROP_MALFORMED);
			assert_int_equal(pkt_layout(cut, n, &lay), PKT_DROP_MALFORMED);
			if (n >= IPV6_HDR_LEN) {
				cut[4] = (uint8_t)((n - IPV6_HDR_LEN) >> 8);
				cut[5] = (uint8_t)(n - IPV6_HDR_LEN);
				/* Payload length 0 is a jumbogram: refused. */
				want = n > IPV6_HDR_LEN && n >= need_parse ? PKT_DROP_NONE
									   : PKT_DROP_MALFORMED;
				if (pkt_parse(cut, n, &sel) != want)
					fail_msg("%s cut at %zu: pkt_parse gave the wrong verdict",
					    c->name, n);
				want = n > IPV6_HDR_LEN && n >= need_layout ? PKT_DROP_NONE
									    : PKT_DROP_MALFORMED;
				if (pkt_layout(cut, n, &lay) != want)
					fail_msg("%s cut at %zu: pkt_layout gave the wrong verdict",
					    c->name, n);
			}
			free(cut);
		}
	}
}

struct bad_case {
	const char *name;
	struct hdr hdrs[MAX_HDRS];
	size_t nhdrs;
	uint8_t proto;
	const uint8_t *payload;
	size_t payload_len;
	bool layout_ok; /* pkt_layout does not look at the upper layer */
};

static const uint8_t three[3] = { 1, 2, 3 };

static const struct bad_case bad_cases[] = {
	{ "tcp without ports", { { 0 } }, 0, IPPROTO_TCP, PAYLOAD(three), true },
	{ "udp without ports", { DST(8) }, 1, IPPROTO_UDP, PAYLOAD(three), true },
	{ "icmp6 without its header", { { 0 } }, 0, IPPROTO_ICMPV6, PAYLOAD(three), true },
	{ "first fragment without ports", { FRAG(0, true) }, 1, IPPROTO_TCP, NULL, 0, true },
	{ "hop-by-hop after dst", { DST(8), HBH(8) }, 2, IPPROTO_UDP, PAYLOAD(udp_hdr), false },
	{ "hop-by-hop twice", { HBH(8), HBH(8) }, 2, IPPROTO_UDP, PAYLOAD(udp_hdr), false },
	{ "17 extension headers",
	    { HBH(8), DST(8), DST(8), DST(8), DST(8), DST(8), DST(8), DST(8), DST(8), DST(8),
		DST(8), DST(8), DST(8), DST(8), DST(8), DST(8), DST(8) },
	    17, IPPROTO_UDP, PAYLOAD(udp_hdr), false },
};

static void
test_pkt_refuses_malformed_walks(void **state)
{
	struct built p;

	for (size_t i = 0; i < ARRAY_LEN(bad_cases); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct pkt_sel sel;
		struct pkt_layout lay;

		build(&p, c->hdrs, c->nhdrs, c->proto, c->payload, c->payload_len);
		if (pkt_parse(p.b, p.len, &sel) != PKT_DROP_MALFORMED)
			fail_msg("%s: pkt_parse accepted it", c->name);
		if (pkt_layout(p.b, p.len, &lay) !=
		    (c->layout_ok ? PKT_DROP_NONE : PKT_DROP_MALFORMED))
			fail_msg("%s: pkt_layout gave the wrong verdict", c->name);
	}
}

static void
test_pkt_refuses_bad_fixed_header(void **state)
{
	struct built p;
	struct pkt_sel sel;
	struct pkt_layout lay;

	build(&p, NULL, 0, IPPROTO_UDP, PAYLOAD(udp_hdr));
	assert_int_equal(pkt_parse(p.b, p.len, &sel), PKT_DROP_NONE);
	/* Version 4, and version 0. */
	p.b[0] = 0x45;
	assert_int_equal(pkt_parse(p.b, p.len, &sel), PKT_DROP_MALFORMED);
	assert_int_equal(pkt_layout(p.b, p.len, &lay), PKT_DROP_MALFORMED);
	p.b[0] = 0x06;
	assert_int_equal(pkt_parse(p.b, p.len, &sel), PKT_DROP_MALFORMED);
	/* Traffic class and flow label bits do not matter. */
	p.b[0] = 0x6f;
	p.b[1] = 0xff;
	assert_int_equal(pkt_parse(p.b, p.len, &sel), PKT_DROP_NONE);
	/* Payload length one more than what arrived. */
	p.b[5]++;
	assert_int_equal(pkt_parse(p.b, p.len, &sel), PKT_DROP_MALFORMED);
	assert_int_equal(pkt_layout(p.b, p.len, &lay), PKT_DROP_MALFORMED);
	/* Payload length 0xffff. */
	p.b[4] = 0xff;
	p.b[5] = 0xff;
	assert_int_equal(pkt_parse(p.b, p.len, &sel), PKT_DROP_MALFORMED);
	/* Payload length 0 announces a jumbogram (RFC 2675): refused even with bytes behind it. */
	p.b[4] = 0;
	p.b[5] = 0;
	assert_int_equal(pkt_parse(p.b, p.len, &sel), PKT_DROP_MALFORMED);
	assert_int_equal(pkt_layout(p.b, p.len, &lay), PKT_DROP_MALFORMED);
	/* Shorter than the fixed header. */
	build(&p, NULL, 0, IPPROTO_UDP, PAYLOAD(udp_hdr));
	assert_int_equal(pkt_parse(p.b, IPV6_HDR_LEN - 1, &sel), PKT_DROP_MALFORMED);
}

/* A header whose Hdr Ext Len reaches past the payload length is refused even though the bytes
 * are in the buffer: the walk is bounded by the payload length, not by the buffer. */
static void
test_pkt_header_past_payload_length(void **state)
{
	static const struct hdr dst[] = { DST(8) };
	struct built p;
	struct pkt_sel sel;
	struct pkt_layout lay;

	build(&p, dst, 1, IPPROTO_UDP, PAYLOAD(udp_hdr));
	p.b[IPV6_HDR_LEN + 1] = 2; /* 24 bytes claimed, 16 in the payload */
	assert_int_equal(pkt_parse(p.b, p.len + 64, &sel), PKT_DROP_MALFORMED);
	assert_int_equal(pkt_layout(p.b, p.len + 64, &lay), PKT_DROP_MALFORMED);
	/* Hdr Ext Len 255: 2048 bytes claimed. */
	p.b[IPV6_HDR_LEN + 1] = 255;
	assert_int_equal(pkt_parse(p.b, p.len, &sel), PKT_DROP_MALFORMED);
}

struct icmp_case {
	uint8_t type;
	const char *what;
};

static const struct icmp_case icmp_types[] = {
	{ 1, "destination unreachable" },
	{ 2, "packet too big" },
	{ 3, "time exceeded" },
	{ 4, "parameter problem" },
	{ 128, "echo request" },
	{ 129, "echo reply" },
	{ 133, "router solicitation" },
	{ 134, "router advertisement" },
	{ 135, "neighbor solicitation" },
	{ 136, "neighbor advertisement" },
	{ 0, "reserved 0" },
	{ 255, "reserved 255" },
};

/* RFC 4301 section 4.4.1.1: the ICMPv6 type stands where the destination port would, the code
 * is not a selector here and the source port is absent. */
static void
test_pkt_icmp6_type_is_dport(void **state)
{
	struct built p;

	for (size_t i = 0; i < ARRAY_LEN(icmp_types); i++) {
		uint8_t msg[8] = { icmp_types[i].type, 7, 0xab, 0xcd };
		struct pkt_sel sel;

		build(&p, NULL, 0, IPPROTO_ICMPV6, PAYLOAD(msg));
		if (pkt_parse(p.b, p.len, &sel) != PKT_DROP_NONE)
			fail_msg("%s refused", icmp_types[i].what);
		assert_int_equal(sel.proto, IPPROTO_ICMPV6);
		assert_int_equal(sel.dport, icmp_types[i].type);
		assert_int_equal(sel.sport, -1);
	}
}

/* Ports 0 and 65535 are ports, not "absent". */
static void
test_pkt_port_extremes(void **state)
{
	static const uint8_t udp[8] = { 0xff, 0xff, 0x00, 0x00 };
	struct built p;
	struct pkt_sel sel;

	build(&p, NULL, 0, IPPROTO_UDP, PAYLOAD(udp));
	assert_int_equal(pkt_parse(p.b, p.len, &sel), PKT_DROP_NONE);
	assert_int_equal(sel.sport, 65535);
	assert_int_equal(sel.dport, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pkt_selectors_and_layout),
		cmocka_unit_test(test_pkt_ignores_bytes_past_payload_length),
		cmocka_unit_test(test_pkt_every_truncation),
		cmocka_unit_test(test_pkt_refuses_malformed_walks),
		cmocka_unit_test(test_pkt_refuses_bad_fixed_header),
		cmocka_unit_test(test_pkt_header_past_payload_length),
		cmocka_unit_test(test_pkt_icmp6_type_is_dport),
		cmocka_unit_test(test_pkt_port_extremes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
