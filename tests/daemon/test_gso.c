// SPDX-License-Identifier: MIT
/* TCP segmentation and coalescing in user space (dataplane/gso.c): the Internet checksum against
 * RFC 1071's example, a TUN super-packet cut into segments the way the kernel would (lengths,
 * sequence numbers, flags, checksums), the segments joined again into the same super-packet,
 * the segments that must not join, partial checksums completed, and malformed headers. */
#include <netinet/in.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "gso.h"
#include "ipsec6/bytes.h"

#define TEST_PAYLOAD 10000u
#define TEST_MSS     1000u
#define TEST_THLEN   32u /* TCP header with the timestamp option */
#define TEST_HDR     (40u + TEST_THLEN)
#define TEST_SEQ     0xfffff000u /* wraps during the run */
#define TEST_ACK     0x01020304u

static uint8_t super[TEST_HDR + TEST_PAYLOAD];
static uint8_t segs[16][TEST_HDR + TEST_MSS];
static size_t seg_len[16];

/* An IPv6 + TCP packet of payload bytes with flags; checksum field left as given. */
static void
build(uint8_t *p, uint32_t payload, uint32_t seq, uint8_t flags)
{
	static const uint8_t src[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x21 };
	static const uint8_t dst[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x22 };
	uint8_t *th = p + 40;

	memset(p, 0, TEST_HDR);
	p[0] = 0x60;
	p[1] = 0x0a; /* traffic class and flow label must survive */
	p[3] = 0x42;
	store_be16(p + 4, (uint16_t)(TEST_THLEN + payload));
	p[6] = IPPROTO_TCP;
	p[7] = 64;
	memcpy(p + 8, src, 16);
	memcpy(p + 24, dst, 16);
	store_be16(th, 40000);
	store_be16(th + 2, 5201);
	store_be32(th + 4, seq);
	store_be32(th + 8, TEST_ACK);
	th[12] = (TEST_THLEN / 4) << 4;
	th[13] = flags;
	store_be16(th + 14, 512);
	th[20] = 1; /* NOP, NOP, timestamps */
	th[21] = 1;
	th[22] = 8;
	th[23] = 10;
	store_be32(th + 24, 0x11223344);
	store_be32(th + 28, 0x55667788);
	for (uint32_t i = 0; i < payload; i++)
		p[TEST_HDR + i] = (uint8_t)(i * 7 + 3);
}

/* The TCP checksum over the whole segment, as a receiver verifies it. */
static uint16_t
tcp_verify(const uint8_t *p, size_t len)
{
	uint8_t pseudo[40] = { 0 };
	uint64_t sum;

	memcpy(pseudo, p + 8, 32);
	store_be32(pseudo + 32, (uint32_t)len - 40);
	pseudo[39] = IPPROTO_TCP;
	sum = gso_csum_add(gso_csum_add(0, pseudo, sizeof(pseudo)), p + 40, len - 40);
	return gso_csum_fold(sum); /* 0 when the checksum is right */
}

/* Set the TCP checksum of a whole segment. */
static void
fix_csum(uint8_t *p, size_t len)
{
	uint16_t c;

	memset(p + 56, 0, 2);
	c = tcp_verify(p, len);
	memcpy(p + 56, &c, 2);
}

static struct virtio_net_hdr
tso_hdr(void)
{
	return (struct virtio_net_hdr){
		.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM,
		.gso_type = VIRTIO_NET_HDR_GSO_TCPV6,
		.hdr_len = TEST_HDR,
		.gso_size = TEST_MSS,
		.csum_start = 40,
		.csum_offset = 16,
	};
}

/* Cut the super-packet built with flags; returns the number of segments. */
static size_t
cut(uint8_t flags)
{
	struct virtio_net_hdr vh = tso_hdr();
	struct gso_cursor c;
	size_t n = 0, len;

	build(super, TEST_PAYLOAD, TEST_SEQ, flags);
	assert_int_equal(gso_cursor_init(&c, &vh, super, sizeof(super)), PKT_DROP_NONE);
	assert_int_equal(gso_cursor_seg_max(&c), TEST_HDR + TEST_MSS);
	while ((len = gso_cursor_next(&c, segs[n])) > 0) {
		seg_len[n++] = len;
		assert_true(n < 16);
	}
	return n;
}

static void
test_csum_rfc1071_example(void **state)
{
	static const uint8_t data[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
	uint16_t c = gso_csum_fold(gso_csum_add(0, data, sizeof(data)));
	uint8_t wire[2];

	/* RFC 1071 section 3: the sum is 0xddf2, so the checksum field holds 0x220d. */
	memcpy(wire, &c, 2);
	assert_int_equal(load_be16(wire), 0x220d);
	/* An odd tail counts as the high byte of a padded word. */
	c = gso_csum_fold(gso_csum_add(0, data, 3));
	memcpy(wire, &c, 2);
	assert_int_equal(load_be16(wire), (uint16_t) ~(0x0001 + 0xf200));
}

/* The sum of 16-bit words the plainest way, an odd last byte padded with a zero. */
static uint16_t
csum_words(const uint8_t *data, size_t len)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < len; i += 2) {
		uint8_t pair[2] = { data[i], i + 1 < len ? data[i + 1] : 0 };
		uint16_t w;

		memcpy(&w, pair, sizeof(w));
		sum += w;
	}
	while (sum >> 16)
		sum = (sum & 0xffffu) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Every length up to two segments and the largest payload, at every alignment, with a seed:
 * the 64-byte rounds and every kind of tail agree with the word-by-word sum. */
static void
test_csum_agrees_with_word_sum(void **state)
{
	static uint8_t data[65535 + 8], copy[3000 + 2];
	uint32_t x = 2463534242u;

	for (size_t i = 0; i < sizeof(data); i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		data[i] = (uint8_t)x;
	}
	memset(data + 1000, 0xff, 3000); /* long runs of carries */
	for (size_t off = 0; off < 4; off++) {
		for (size_t len = 0; len <= 3000; len++) {
			uint16_t want = csum_words(data + off, len);

			assert_int_equal(gso_csum_fold(gso_csum_add(0, data + off, len)), want);
			/* The copying one: the same sum, the bytes copied, none past them. */
			memset(copy, 0x5a, len + 2);
			assert_int_equal(
			    gso_csum_fold(gso_csum_copy(0, copy + 1, data + off, len)), want);
			assert_memory_equal(copy + 1, data + off, len);
			assert_int_equal(copy[0], 0x5a);
			assert_int_equal(copy[len + 1], 0x5a);
		}
		assert_int_equal(gso_csum_fold(gso_csum_add(0, data + off, 65535)),
		    csum_words(data + off, 65535));
	}
	/* A seed (a pseudo-header sum) carries into the rest: 2 + 126 bytes, summed in parts. */
	assert_int_equal(gso_csum_fold(gso_csum_add(gso_csum_add(0, data, 2), data + 2, 126)),
	    csum_words(data, 128));
}

static void
test_segment_lengths_seq_and_checksums(void **state)
{
	size_t n = cut(0x10 | 0x08); /* ACK, PSH */

	assert_int_equal(n, TEST_PAYLOAD / TEST_MSS);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(seg_len[i], TEST_HDR + TEST_MSS);
		assert_int_equal(load_be16(segs[i] + 4), TEST_THLEN + TEST_MSS);
		assert_int_equal(load_be32(segs[i] + 44), (uint32_t)(TEST_SEQ + i * TEST_MSS));
		assert_int_equal(tcp_verify(segs[i], seg_len[i]), 0);
		assert_memory_equal(segs[i] + TEST_HDR, super + TEST_HDR + i * TEST_MSS, TEST_MSS);
		assert_memory_equal(segs[i], super, 4);            /* traffic class, flow label */
		assert_memory_equal(segs[i] + 48, super + 48, 4);  /* ack */
		assert_memory_equal(segs[i] + 60, super + 60, 12); /* options */
		assert_int_equal(segs[i][53], i + 1 == n ? 0x18 : 0x10); /* PSH on the last only */
	}
}

static void
test_segment_short_tail_cwr_first_fin_last(void **state)
{
	struct virtio_net_hdr vh = tso_hdr();
	struct gso_cursor c;
	uint8_t out[TEST_HDR + TEST_MSS];
	size_t len, n = 0, total = 0;

	build(super, 2500, 7, 0x80 | 0x10 | 0x01); /* CWR, ACK, FIN */
	assert_int_equal(gso_cursor_init(&c, &vh, super, TEST_HDR + 2500), PKT_DROP_NONE);
	while ((len = gso_cursor_next(&c, out)) > 0) {
		uint8_t flags = out[53];

		assert_int_equal(tcp_verify(out, len), 0);
		assert_int_equal(!!(flags & 0x80), n == 0);
		assert_int_equal(!!(flags & 0x01), total + len - TEST_HDR == 2500);
		total += len - TEST_HDR;
		n++;
	}
	assert_int_equal(n, 3);
	assert_int_equal(total, 2500);
	assert_int_equal(gso_cursor_next(&c, out), 0); /* stays done */
}

static void
test_segment_behind_extension_header(void **state)
{
	static uint8_t p[48 + TEST_THLEN + 3000];
	struct virtio_net_hdr vh = tso_hdr();
	struct gso_cursor c;
	uint8_t out[48 + TEST_THLEN + TEST_MSS];
	size_t len;

	/* The same packet with an 8-byte destination options header in front of TCP. */
	build(super, 3000, 1, 0x10);
	memcpy(p, super, 40);
	p[6] = IPPROTO_DSTOPTS;
	memset(p + 40, 0, 8);
	p[40] = IPPROTO_TCP;
	p[42] = 1; /* PadN, 4 bytes */
	p[43] = 4;
	memcpy(p + 48, super + 40, TEST_THLEN + 3000);
	vh.csum_start = 48;
	assert_int_equal(gso_cursor_init(&c, &vh, p, sizeof(p)), PKT_DROP_NONE);
	len = gso_cursor_next(&c, out);
	assert_int_equal(len, 48 + TEST_THLEN + TEST_MSS);
	assert_int_equal(load_be16(out + 4), 8 + TEST_THLEN + TEST_MSS);
	assert_memory_equal(out + 40, p + 40, 8);
	/* The checksum covers TCP only: verify it on a copy without the option header. */
	memmove(out + 40, out + 48, len - 48);
	out[6] = IPPROTO_TCP;
	assert_int_equal(tcp_verify(out, len - 8), 0);
}

static void
test_cursor_refuses_malformed(void **state)
{
	struct virtio_net_hdr vh;
	struct gso_cursor c;

	build(super, TEST_PAYLOAD, 1, 0x10);
	vh = tso_hdr();
	vh.gso_type = VIRTIO_NET_HDR_GSO_UDP;
	assert_int_equal(gso_cursor_init(&c, &vh, super, sizeof(super)), PKT_DROP_MALFORMED);
	vh = tso_hdr();
	vh.csum_start = 44;
	assert_int_equal(gso_cursor_init(&c, &vh, super, sizeof(super)), PKT_DROP_MALFORMED);
	vh = tso_hdr();
	vh.gso_size = 0;
	assert_int_equal(gso_cursor_init(&c, &vh, super, sizeof(super)), PKT_DROP_MALFORMED);
	vh = tso_hdr();
	assert_int_equal(gso_cursor_init(&c, &vh, super, 50), PKT_DROP_MALFORMED);
	assert_int_equal(gso_cursor_init(&c, &vh, super, TEST_HDR), PKT_DROP_MALFORMED);
	super[6] = IPPROTO_UDP;
	assert_int_equal(gso_cursor_init(&c, &vh, super, sizeof(super)), PKT_DROP_MALFORMED);
	super[6] = IPPROTO_TCP;
	super[52] = 0x40; /* data offset 16 bytes: shorter than a TCP header */
	assert_int_equal(gso_cursor_init(&c, &vh, super, sizeof(super)), PKT_DROP_MALFORMED);
	super[52] = 0x80;
	super[0] = 0x40;
	assert_int_equal(gso_cursor_init(&c, &vh, super, sizeof(super)), PKT_DROP_MALFORMED);
}

static void
test_coalesce_restores_super_packet(void **state)
{
	static uint8_t joined[sizeof(super)];
	size_t n = cut(0x10 | 0x08), off;
	struct virtio_net_hdr vh;
	struct gso_seg seg;
	struct gso_run run;

	assert_true(gso_seg_parse(segs[0], seg_len[0], &seg));
	assert_int_equal(seg.hdr_len, TEST_HDR);
	assert_int_equal(seg.payload_len, TEST_MSS);
	gso_run_start(&run, segs[0], &seg);
	for (size_t i = 1; i < n; i++) {
		assert_true(gso_seg_parse(segs[i], seg_len[i], &seg));
		assert_true(gso_run_add(&run, segs[i], &seg));
	}
	assert_int_equal(run.count, n);
	gso_run_finish(&run, &vh);
	assert_int_equal(vh.gso_type, VIRTIO_NET_HDR_GSO_TCPV6);
	assert_int_equal(vh.flags, VIRTIO_NET_HDR_F_NEEDS_CSUM);
	assert_int_equal(vh.gso_size, TEST_MSS);
	assert_int_equal(vh.hdr_len, TEST_HDR);
	assert_int_equal(vh.csum_start, 40);
	assert_int_equal(vh.csum_offset, 16);
	/* What the TUN receives: the first segment, then the others' payloads. */
	memcpy(joined, segs[0], seg_len[0]);
	off = seg_len[0];
	for (size_t i = 1; i < n; i++) {
		memcpy(joined + off, segs[i] + TEST_HDR, seg_len[i] - TEST_HDR);
		off += seg_len[i] - TEST_HDR;
	}
	assert_int_equal(off, sizeof(super));
	assert_memory_equal(joined, super, 56); /* up to the checksum */
	assert_memory_equal(joined + 58, super + 58, sizeof(super) - 58);
	/* With NEEDS_CSUM the field holds the pseudo-header sum: the sum from the TCP header on,
	 * stored as the kernel completes it, verifies. */
	{
		uint16_t c = gso_csum_fold(gso_csum_add(0, joined + 40, sizeof(super) - 40));

		memcpy(joined + 56, &c, 2);
	}
	assert_int_equal(tcp_verify(joined, sizeof(super)), 0);
}

static void
test_coalesce_pseudo_header_seed(void **state)
{
	struct virtio_net_hdr vh;
	struct gso_seg seg;
	struct gso_run run;
	uint64_t sum;

	cut(0x10);
	assert_true(gso_seg_parse(segs[0], seg_len[0], &seg));
	gso_run_start(&run, segs[0], &seg);
	assert_true(gso_seg_parse(segs[1], seg_len[1], &seg));
	assert_true(gso_run_add(&run, segs[1], &seg));
	gso_run_finish(&run, &vh);
	assert_int_equal(vh.gso_size, TEST_MSS);
	/* Header sum (field = seed) plus both payloads completes to a valid checksum, the way the
	 * kernel finishes a CHECKSUM_PARTIAL packet. */
	sum = gso_csum_add(0, segs[0] + 40, seg_len[0] - 40);
	sum = gso_csum_add(sum, segs[1] + TEST_HDR, seg_len[1] - TEST_HDR);
	{
		uint8_t p[TEST_HDR + 2 * TEST_MSS];
		uint16_t c = gso_csum_fold(sum);

		memcpy(p, segs[0], seg_len[0]);
		memcpy(p + seg_len[0], segs[1] + TEST_HDR, TEST_MSS);
		memcpy(p + 56, &c, 2);
		assert_int_equal(load_be16(p + 4), TEST_THLEN + 2 * TEST_MSS);
		assert_int_equal(tcp_verify(p, sizeof(p)), 0);
	}
}

static void
test_coalesce_refuses_what_must_not_join(void **state)
{
	struct gso_seg s0, s;
	struct gso_run run;
	uint8_t other[TEST_HDR + TEST_MSS];

	cut(0x10);
	assert_true(gso_seg_parse(segs[0], seg_len[0], &s0));
	/* A gap in the sequence. */
	gso_run_start(&run, segs[0], &s0);
	assert_true(gso_seg_parse(segs[2], seg_len[2], &s));
	assert_false(gso_run_add(&run, segs[2], &s));
	/* Another port, another ack, another window, another timestamp, another hop limit. */
	for (size_t off = 40; off < 72; off++) {
		if (off >= 44 && off < 48) /* the sequence number */
			continue;
		if (off == 53 || off == 56 || off == 57) /* flags, checksum */
			continue;
		memcpy(other, segs[1], seg_len[1]);
		other[off] ^= 0x01;
		fix_csum(other, seg_len[1]);
		if (!gso_seg_parse(other, seg_len[1], &s))
			continue; /* no longer a data segment (data offset) */
		assert_false(gso_run_add(&run, other, &s));
	}
	memcpy(other, segs[1], seg_len[1]);
	other[7] = 63;
	fix_csum(other, seg_len[1]);
	assert_true(gso_seg_parse(other, seg_len[1], &s));
	assert_false(gso_run_add(&run, other, &s));
	/* A bad checksum never joins. */
	memcpy(other, segs[1], seg_len[1]);
	other[TEST_HDR + 5] ^= 0xff;
	assert_false(gso_seg_parse(other, seg_len[1], &s));
	/* The first two join; nothing follows a segment with PSH or a short one. */
	assert_true(gso_seg_parse(segs[1], seg_len[1], &s));
	segs[1][53] |= 0x08;
	s.flags |= 0x08;
	assert_false(gso_run_closed(&run));
	assert_true(gso_run_add(&run, segs[1], &s));
	assert_true(gso_run_closed(&run));
	assert_true(gso_seg_parse(segs[2], seg_len[2], &s));
	assert_false(gso_run_add(&run, segs[2], &s));
	assert_int_equal(run.count, 2);
}

static void
test_coalesce_short_segment_ends_run(void **state)
{
	static uint8_t a[TEST_HDR + TEST_MSS], b[TEST_HDR + 400], c[TEST_HDR + 400];
	struct gso_seg sa, sb, sc;
	struct gso_run run;

	build(a, TEST_MSS, 100, 0x10);
	build(b, 400, 100 + TEST_MSS, 0x10);
	build(c, 400, 100 + TEST_MSS + 400, 0x10);
	fix_csum(a, sizeof(a));
	fix_csum(b, sizeof(b));
	fix_csum(c, sizeof(c));
	assert_true(gso_seg_parse(a, sizeof(a), &sa));
	assert_true(gso_seg_parse(b, sizeof(b), &sb));
	assert_true(gso_seg_parse(c, sizeof(c), &sc));
	gso_run_start(&run, a, &sa);
	assert_false(gso_run_closed(&run));
	assert_true(gso_run_add(&run, b, &sb));
	assert_true(gso_run_closed(&run));
	assert_false(gso_run_add(&run, c, &sc));
	/* A segment longer than the first never joins either. */
	gso_run_start(&run, b, &sb);
	build(a, TEST_MSS, 100 + TEST_MSS + 400, 0x10);
	fix_csum(a, sizeof(a));
	assert_true(gso_seg_parse(a, sizeof(a), &sa));
	assert_false(gso_run_add(&run, a, &sa));
}

static void
test_coalesce_stops_at_64k(void **state)
{
	size_t joined = 0, n = 10;
	struct gso_seg s;
	struct gso_run run;

	/* The same ten segments again and again, renumbered: 65535 bytes of IPv6 payload hold
	 * the TCP header and 65 segments of 1000 bytes at most. */
	assert_int_equal(cut(0x10), n);
	assert_true(gso_seg_parse(segs[0], seg_len[0], &s));
	gso_run_start(&run, segs[0], &s);
	for (size_t k = 1; k < 100; k++) {
		uint8_t *p = segs[k % n];

		store_be32(p + 44, (uint32_t)(TEST_SEQ + k * TEST_MSS));
		fix_csum(p, seg_len[k % n]);
		assert_true(gso_seg_parse(p, seg_len[k % n], &s));
		if (!gso_run_add(&run, p, &s))
			break;
		joined++;
	}
	assert_int_equal(run.count, 65);
	assert_int_equal(joined, 64);
	assert_true(TEST_THLEN + run.payload <= 65535);
	assert_true(gso_run_closed(&run));
}

static void
test_seg_parse_refuses_non_data(void **state)
{
	static uint8_t p[TEST_HDR + 100];
	struct gso_seg s;

	build(p, 0, 1, 0x10); /* a pure ACK: nothing to join */
	fix_csum(p, TEST_HDR);
	assert_false(gso_seg_parse(p, TEST_HDR, &s));
	build(p, 100, 1, 0x10 | 0x02); /* SYN */
	fix_csum(p, sizeof(p));
	assert_false(gso_seg_parse(p, sizeof(p), &s));
	build(p, 100, 1, 0x10);
	fix_csum(p, sizeof(p));
	assert_true(gso_seg_parse(p, sizeof(p), &s));
	assert_false(gso_seg_parse(p, sizeof(p) - 1, &s)); /* length disagrees with the header */
	p[6] = IPPROTO_UDP;
	assert_false(gso_seg_parse(p, sizeof(p), &s));
}

static void
test_csum_finish_completes_partial(void **state)
{
	static uint8_t p[40 + 8 + 101];
	struct virtio_net_hdr vh = { .flags = VIRTIO_NET_HDR_F_NEEDS_CSUM,
		.gso_type = VIRTIO_NET_HDR_GSO_NONE,
		.csum_start = 40,
		.csum_offset = 6 };
	uint8_t pseudo[40] = { 0 };
	uint16_t seed;

	/* UDP with an odd payload, its checksum field seeded with the pseudo-header sum. */
	build(p, 0, 0, 0);
	p[6] = IPPROTO_UDP;
	store_be16(p + 4, 8 + 101);
	memset(p + 40, 0, 8);
	store_be16(p + 40, 5353);
	store_be16(p + 42, 5354);
	store_be16(p + 44, 8 + 101);
	for (int i = 0; i < 101; i++)
		p[48 + i] = (uint8_t)(i ^ 0x5a);
	memcpy(pseudo, p + 8, 32);
	store_be32(pseudo + 32, 8 + 101);
	pseudo[39] = IPPROTO_UDP;
	seed = (uint16_t)~gso_csum_fold(gso_csum_add(0, pseudo, sizeof(pseudo)));
	memcpy(p + 46, &seed, 2);
	assert_int_equal(gso_csum_finish(&vh, p, sizeof(p)), PKT_DROP_NONE);
	assert_int_equal(gso_csum_fold(gso_csum_add(
			     gso_csum_add(0, pseudo, sizeof(pseudo)), p + 40, sizeof(p) - 40)),
	    0);
	/* Nothing to do without the flag; a field past the end is refused. */
	vh.flags = 0;
	assert_int_equal(gso_csum_finish(&vh, p, sizeof(p)), PKT_DROP_NONE);
	vh.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	vh.csum_offset = (uint16_t)(sizeof(p) - 40 - 1);
	assert_int_equal(gso_csum_finish(&vh, p, sizeof(p)), PKT_DROP_MALFORMED);
	vh.csum_offset = 6;
	vh.gso_type = VIRTIO_NET_HDR_GSO_TCPV6;
	assert_int_equal(gso_csum_finish(&vh, p, sizeof(p)), PKT_DROP_MALFORMED);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csum_rfc1071_example),
		cmocka_unit_test(test_csum_agrees_with_word_sum),
		cmocka_unit_test(test_segment_lengths_seq_and_checksums),
		cmocka_unit_test(test_segment_short_tail_cwr_first_fin_last),
		cmocka_unit_test(test_segment_behind_extension_header),
		cmocka_unit_test(test_cursor_refuses_malformed),
		cmocka_unit_test(test_coalesce_restores_super_packet),
		cmocka_unit_test(test_coalesce_pseudo_header_seed),
		cmocka_unit_test(test_coalesce_refuses_what_must_not_join),
		cmocka_unit_test(test_coalesce_short_segment_ends_run),
		cmocka_unit_test(test_coalesce_stops_at_64k),
		cmocka_unit_test(test_seg_parse_refuses_non_data),
		cmocka_unit_test(test_csum_finish_completes_partial),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
