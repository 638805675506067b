// SPDX-License-Identifier: MIT
/* Reassembly before ESP (dataplane/frag.c): fragments in order, out of order and with an
 * unfragmentable extension header give back the datagram byte for byte; an atomic fragment
 * loses its Fragment header; overlaps, duplicates, malformed and too long fragments, timeouts
 * (also with nothing more coming) and a full table give datagrams up, each fragment counted
 * once. */
#include <netinet/in.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "frag.h"
#include "ipsec6/bytes.h"

#define T_SEC 1000000000ull
#define T_OUT (PKT_HEADROOM + 40u + 65535u + PKT_TAILROOM)
#define T_BIG 70000u
#define T_HBH 8u /* a hop-by-hop header of 8 bytes (one Pad6 option) */

static uint8_t payload[T_BIG]; /* the fragmentable part of the test datagram */
static uint8_t pkt[2000];      /* one fragment */
static uint8_t *outbuf;
static struct pkt out;
static struct frag_table table;

static int
setup(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)(i * 7 + (i >> 8));
	payload[0] = 17; /* ignored: the fragmentable part is data to the reassembly */
	outbuf = malloc(T_OUT);
	assert_non_null(outbuf);
	out = (struct pkt){ outbuf, T_OUT, 0, 0 };
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	free(outbuf);
	return 0;
}

/* Every test has a table of its own. */
static int
table_new(void **state)
{
	(void)state;
	return frag_init(&table, NULL);
}

static int
table_free(void **state)
{
	(void)state;
	frag_fini(&table);
	return 0;
}

/* A fragment of datagram id from 2001:db8::src to 2001:db8::1 carrying payload[off, off + len),
 * with hbh a hop-by-hop header before the Fragment header. Returns its length. */
static size_t
frag(uint8_t src, uint32_t id, uint32_t off, uint32_t len, bool more, bool hbh)
{
	size_t at = 40;

	memset(pkt, 0, 48 + T_HBH);
	pkt[0] = 0x60;
	pkt[1] = 0x0a; /* traffic class, flow label: kept */
	pkt[6] = hbh ? IPPROTO_HOPOPTS : IPPROTO_FRAGMENT;
	pkt[7] = 64;
	pkt[8] = 0x20, pkt[9] = 0x01, pkt[10] = 0x0d, pkt[11] = 0xb8, pkt[23] = src;
	pkt[24] = 0x20, pkt[25] = 0x01, pkt[26] = 0x0d, pkt[27] = 0xb8, pkt[39] = 1;
	if (hbh) {
		pkt[at] = IPPROTO_FRAGMENT;
		pkt[at + 2] = 1; /* PadN, 4 bytes of padding */
		pkt[at + 3] = 4;
		at += T_HBH;
	}
	pkt[at] = IPPROTO_UDP;
	store_be16(pkt + at + 2, (uint16_t)(off | (more ? 1 : 0)));
	store_be32(pkt + at + 4, id);
	at += 8;
	memcpy(pkt + at, payload + off, len);
	store_be16(pkt + 4, (uint16_t)(at + len - 40));
	return at + len;
}

static enum frag_result
add(uint8_t src, uint32_t id, uint32_t off, uint32_t len, bool more, uint64_t now)
{
	return frag_add(&table, pkt, frag(src, id, off, len, more, false), now, &out);
}

/* out holds the datagram of total fragmentable bytes from src, with hbh before them. */
static void
assert_whole(uint8_t src, uint32_t total, bool hbh)
{
	const uint8_t *d = pkt_data(&out);
	uint32_t hdr = 40 + (hbh ? T_HBH : 0);

	assert_int_equal(out.off, PKT_HEADROOM);
	assert_int_equal(out.len, hdr + total);
	assert_int_equal(d[0], 0x60);
	assert_int_equal(d[1], 0x0a);
	assert_int_equal(load_be16(d + 4), hdr - 40 + total);
	assert_int_equal(d[23], src);
	if (hbh) {
		assert_int_equal(d[6], IPPROTO_HOPOPTS);
		assert_int_equal(d[40], IPPROTO_UDP);
	} else {
		assert_int_equal(d[6], IPPROTO_UDP);
	}
	assert_memory_equal(d + hdr, payload, total);
}

static void
test_not_a_fragment(void **state)
{
	(void)state;
	frag(1, 1, 0, 100, false, false);
	pkt[6] = IPPROTO_UDP; /* no Fragment header: the packet is UDP */
	store_be16(pkt + 4, 100);
	assert_int_equal(frag_add(&table, pkt, 140, 0, &out), FRAG_NOT);
	assert_false(frag_maybe(pkt, 140));
	assert_int_equal(table.dropped, 0);
}

static void
test_in_order(void **state)
{
	(void)state;
	assert_int_equal(add(1, 7, 0, 1448, true, 0), FRAG_HELD);
	assert_int_equal(add(1, 7, 1448, 1448, true, 0), FRAG_HELD);
	assert_int_equal(add(1, 7, 2896, 104, false, 0), FRAG_WHOLE);
	assert_whole(1, 3000, false);
	assert_int_equal(table.dropped, 0);
}

static void
test_out_of_order_and_interleaved(void **state)
{
	(void)state;
	/* Two datagrams of one source, their fragments mixed and backwards. */
	assert_int_equal(add(1, 8, 2896, 1, false, 0), FRAG_HELD);
	assert_int_equal(add(1, 9, 1448, 552, false, 0), FRAG_HELD);
	assert_int_equal(add(1, 8, 1448, 1448, true, 0), FRAG_HELD);
	assert_int_equal(add(1, 9, 0, 1448, true, 0), FRAG_WHOLE);
	assert_whole(1, 2000, false);
	assert_int_equal(add(1, 8, 0, 1448, true, 0), FRAG_WHOLE);
	assert_whole(1, 2897, false);
	assert_int_equal(table.dropped, 0);
}

static void
test_unfragmentable_part_kept(void **state)
{
	(void)state;
	assert_int_equal(
	    frag_add(&table, pkt, frag(2, 3, 1440, 60, false, true), 0, &out), FRAG_HELD);
	assert_true(frag_maybe(pkt, 100));
	assert_int_equal(
	    frag_add(&table, pkt, frag(2, 3, 0, 1440, true, true), 0, &out), FRAG_WHOLE);
	assert_whole(2, 1500, true);
}

static void
test_atomic_fragment(void **state)
{
	(void)state;
	/* RFC 6946: offset 0, no more fragments: a whole datagram at once. */
	assert_int_equal(add(3, 4, 0, 500, false, 0), FRAG_WHOLE);
	assert_whole(3, 500, false);
	assert_int_equal(table.dropped, 0);
}

static void
test_overlap_gives_up(void **state)
{
	(void)state;
	/* RFC 5722: an overlap (here a duplicate) abandons the datagram, its fragments dropped;
	 * what comes after starts another that never completes. */
	assert_int_equal(add(4, 5, 0, 1448, true, 0), FRAG_HELD);
	assert_int_equal(add(4, 5, 1448, 1448, true, 0), FRAG_HELD);
	assert_int_equal(add(4, 5, 1440, 16, true, 0), FRAG_HELD);
	assert_int_equal(table.dropped, 3);
	assert_int_equal(add(4, 5, 2896, 104, false, 0), FRAG_HELD);
	assert_int_equal(add(4, 5, 2896, 104, false, 0), FRAG_HELD);
	assert_int_equal(table.dropped, 5);
}

static void
test_length_conflicts_give_up(void **state)
{
	(void)state;
	/* A fragment past the end a last fragment gave, before and after it. */
	assert_int_equal(add(5, 6, 1448, 100, false, 0), FRAG_HELD);
	assert_int_equal(add(5, 6, 1600, 8, true, 0), FRAG_HELD);
	assert_int_equal(table.dropped, 2);
	assert_int_equal(add(5, 7, 1600, 8, true, 0), FRAG_HELD);
	assert_int_equal(add(5, 7, 1448, 100, false, 0), FRAG_HELD);
	assert_int_equal(table.dropped, 4);
}

static void
test_malformed_dropped(void **state)
{
	(void)state;
	/* Not a multiple of 8 before the end; no data; a payload past 65535 bytes. */
	assert_int_equal(add(6, 1, 0, 1447, true, 0), FRAG_HELD);
	assert_int_equal(add(6, 1, 8, 0, true, 0), FRAG_HELD);
	assert_int_equal(add(6, 1, 65528, 16, false, 0), FRAG_HELD);
	assert_int_equal(table.dropped, 3);
	table.dropped = 0;
	/* A truncated Fragment header is not a fragment the reassembly can take: the engine
	 * judges the packet (malformed). */
	frag(6, 1, 0, 0, true, false);
	store_be16(pkt + 4, 4);
	assert_int_equal(frag_add(&table, pkt, 44, 0, &out), FRAG_NOT);
}

static void
test_largest_datagram(void **state)
{
	uint32_t off = 0;

	(void)state;
	/* 65535 bytes of payload: the largest; a byte more is refused. */
	while (off + 1448 < 65535) {
		assert_int_equal(add(7, 2, off, 1448, true, 0), FRAG_HELD);
		off += 1448;
	}
	assert_int_equal(add(7, 2, off, 65535 - off, false, 0), FRAG_WHOLE);
	assert_whole(7, 65535, false);
	assert_int_equal(add(7, 3, off, 65536 - off, false, 0), FRAG_HELD);
	assert_int_equal(table.dropped, 1);
}

static void
test_timeout_and_eviction(void **state)
{
	(void)state;
	/* A datagram left 60 s is given up when the table is next used. */
	assert_int_equal(add(8, 1, 0, 1448, true, 0), FRAG_HELD);
	assert_int_equal(add(8, 1, 1448, 1448, true, 0), FRAG_HELD);
	assert_int_equal(add(8, 2, 0, 1448, true, 59 * T_SEC), FRAG_HELD);
	assert_int_equal(table.dropped, 0);
	assert_int_equal(add(8, 1, 2896, 8, false, 60 * T_SEC), FRAG_HELD);
	assert_int_equal(table.dropped, 2);
	/* Datagram 1 started again (its last fragment), 2 waits: with FRAG_SLOTS in use the
	 * next new one takes the oldest's slot, 2's. */
	for (uint32_t id = 3; id < 1 + FRAG_SLOTS; id++)
		assert_int_equal(add(8, id, 0, 1448, true, 61 * T_SEC), FRAG_HELD);
	assert_int_equal(table.dropped, 2);
	assert_int_equal(add(8, 100, 0, 1448, true, 62 * T_SEC), FRAG_HELD);
	assert_int_equal(table.dropped, 3);
	assert_int_equal(add(8, 2, 1448, 8, false, 62 * T_SEC), FRAG_HELD); /* never whole */
}

/* 48 flows at once, each sending datagrams of three fragments, their fragments interleaved (all
 * first fragments, then all second, then all last): every datagram is made whole, none given
 * up. With fewer slots than flows each new datagram evicts another and none would be. */
static void
test_many_flows_interleaved(void **state)
{
	(void)state;
	for (int round = 0; round < 3; round++) {
		uint32_t base = 1000 + (uint32_t)round * 100;

		for (uint32_t f = 0; f < 48; f++)
			assert_int_equal(add(20, base + f, 0, 1448, true, 0), FRAG_HELD);
		for (uint32_t f = 0; f < 48; f++)
			assert_int_equal(add(20, base + f, 1448, 1448, true, 0), FRAG_HELD);
		for (uint32_t f = 0; f < 48; f++) {
			assert_int_equal(add(20, base + f, 2896, 104, false, 0), FRAG_WHOLE);
			assert_whole(20, 3000, false);
		}
	}
	assert_int_equal(table.dropped, 0);
	assert_true(table.nslots <= 48);
}

static void
test_expire_when_idle(void **state)
{
	(void)state;
	/* With nothing more coming, a datagram is given up when its time is up. */
	assert_int_equal(add(10, 1, 0, 1448, true, 0), FRAG_HELD);
	assert_int_equal(add(10, 1, 1448, 1448, true, 0), FRAG_HELD);
	frag_expire(&table, 59 * T_SEC);
	assert_int_equal(table.dropped, 0);
	frag_expire(&table, 60 * T_SEC);
	assert_int_equal(table.dropped, 2);
	frag_expire(&table, 120 * T_SEC);
	assert_int_equal(table.dropped, 2);
}

static void
test_out_too_small(void **state)
{
	struct pkt small = { outbuf, PKT_HEADROOM + 1000, 0, 0 };

	(void)state;
	assert_int_equal(
	    frag_add(&table, pkt, frag(9, 1, 0, 1448, true, false), 0, &small), FRAG_HELD);
	assert_int_equal(
	    frag_add(&table, pkt, frag(9, 1, 1448, 8, false, false), 0, &small), FRAG_HELD);
	assert_int_equal(table.dropped, 2);
}

/* ---- Fragmentation (frag_plan()): cut, then joined again by the reassembly above. ---- */

static uint8_t whole[40 + T_HBH + 65535]; /* a datagram to cut */
static uint8_t piece[1600];               /* one of its fragments */

/* A datagram from 2001:db8::src of total fragmentable bytes (payload[]) behind a hop-by-hop
 * header if hbh, in whole[]. Returns its length. */
static size_t
datagram(uint8_t src, uint32_t total, bool hbh)
{
	size_t at = frag(src, 0, 0, 0, false, hbh) - 8; /* its headers, without the Fragment one */

	memcpy(whole, pkt, at);
	whole[hbh ? 40 : 6] = IPPROTO_UDP;
	memcpy(whole + at, payload, total);
	store_be16(whole + 4, (uint16_t)(at - 40 + total));
	return at + total;
}

/* Cut whole[0, len) at mtu as the sender does (io_esp_send_frags()) and give each fragment to
 * the reassembly, the last first (the order must not matter); returns the count. Each fragment
 * fits mtu, its data but the last's a multiple of 8, the M flag on all but the last, one
 * identification for all. */
static uint32_t
cut_and_join(size_t len, uint32_t mtu, uint32_t id)
{
	struct frag_plan plan;
	uint8_t head[FRAG_HDR_MAX], fh[8];
	uint32_t sent = 0;

	assert_int_equal(frag_plan(whole, len, mtu, &plan), 0);
	assert_in_range(plan.n, 2, FRAG_PIECES_MAX);
	for (uint32_t k = 0; k < plan.n; k++) {
		uint32_t i = (k + plan.n - 1) % plan.n, dlen = frag_piece_len(&plan, i);
		size_t plen = plan.unfrag_len + 8 + dlen;
		enum frag_result r;

		frag_piece_head(&plan, whole, i, head);
		frag_piece_hdr(&plan, i, id, fh);
		assert_true(plen <= mtu);
		assert_true(i + 1 == plan.n || dlen % 8 == 0);
		assert_int_equal(fh[3] & 1, i + 1 < plan.n ? 1 : 0);
		assert_int_equal(load_be32(fh + 4), id);
		assert_int_equal(load_be16(head + 4), plen - 40);
		memcpy(piece, head, plan.unfrag_len);
		memcpy(piece + plan.unfrag_len, fh, 8);
		memcpy(
		    piece + plan.unfrag_len + 8, whole + plan.unfrag_len + i * plan.data_len, dlen);
		r = frag_add(&table, piece, plen, 0, &out);
		assert_int_equal(r, k + 1 == plan.n ? FRAG_WHOLE : FRAG_HELD);
		sent++;
	}
	assert_int_equal(table.dropped, 0);
	return sent;
}

static void
test_cut_round_trip(void **state)
{
	static const uint32_t mtus[] = { 1280, 1400, 1500 };

	(void)state;
	for (size_t m = 0; m < sizeof(mtus) / sizeof(mtus[0]); m++) {
		/* Just longer than the MTU, a few fragments, and the largest datagram. */
		uint32_t totals[] = { mtus[m] - 40 + 1, 4000, 65535 - T_HBH };

		for (size_t t = 0; t < 3; t++) {
			for (int hbh = 0; hbh < 2; hbh++) {
				size_t len = datagram((uint8_t)(m + 1), totals[t], hbh);
				uint32_t n = cut_and_join(len, mtus[m], 0x1000u + (uint32_t)t);

				assert_int_equal(out.len, len);
				assert_memory_equal(pkt_data(&out), whole, len);
				if (t == 2 && m == 0)
					assert_true(n <= FRAG_PIECES_MAX);
			}
		}
	}
}

static void
test_cut_refused(void **state)
{
	struct frag_plan plan;
	size_t len;

	(void)state;
	len = datagram(1, 3000, false);
	assert_int_equal(frag_plan(whole, len, 1279, &plan), -1); /* below IPv6's minimum */
	assert_int_equal(frag_plan(whole, 39, 1280, &plan), -1);
	whole[0] = 0x40; /* not IPv6 */
	assert_int_equal(frag_plan(whole, len, 1280, &plan), -1);
	/* A fragment already: its datagram's other fragments are elsewhere. */
	len = frag(1, 7, 0, 1448, true, false);
	assert_int_equal(frag_plan(pkt, len, 1280, &plan), -1);
	/* An unfragmentable part longer than FRAG_HDR_MAX (a hop-by-hop header of 520 bytes). */
	len = datagram(1, 3000, true);
	memmove(whole + 40 + 520, whole + 40 + T_HBH, 3000);
	memset(whole + 40 + 2, 0, 518);
	whole[40] = IPPROTO_UDP;
	whole[41] = (520 / 8) - 1;
	/* its options all Pad1 (zero bytes) */
	store_be16(whole + 4, 520 + 3000);
	assert_int_equal(frag_plan(whole, 40 + 520 + 3000, 1280, &plan), -1);
}

/* A datagram whose destination options header (fragmentable: no routing header follows) is dst
 * bytes long, all Pad1, then UDP: in whole[], its length returned. */
static size_t
datagram_dstopts(uint32_t dst, uint32_t total)
{
	size_t len = datagram(1, dst + total, false);

	whole[6] = IPPROTO_DSTOPTS;
	memset(whole + 40, 0, dst);
	whole[40] = IPPROTO_UDP;
	whole[41] = (uint8_t)(dst / 8 - 1);
	return len;
}

/* RFC 7112 (RFC 8200 section 4.5): the first fragment holds the whole header chain, through
 * the upper-layer header; Linux drops one that does not (ipv6frag_thdr_truncated()). */
static void
test_cut_header_chain(void **state)
{
	struct frag_plan plan;
	uint8_t head[FRAG_HDR_MAX], fh[8];
	size_t len;

	(void)state;
	/* Destination options of 1000 bytes and UDP fit the first fragment at 1280: cut, the
	 * first fragment holding the UDP header, and joined again. */
	len = datagram_dstopts(1000, 3000);
	assert_int_equal(frag_plan(whole, len, 1280, &plan), 0);
	assert_true(plan.data_len >= 1000 + 8);
	frag_piece_head(&plan, whole, 0, head);
	frag_piece_hdr(&plan, 0, 1, fh);
	assert_int_equal(fh[0], IPPROTO_DSTOPTS);
	assert_int_equal(cut_and_join(len, 1280, 0x2000), plan.n);
	assert_memory_equal(pkt_data(&out), whole, len);
	/* 1232 bytes of them at 1280: no first fragment can hold the UDP header behind them. */
	len = datagram_dstopts(1232, 3000);
	assert_int_equal(frag_plan(whole, len, 1280, &plan), -1);
	/* At 1500 it can. */
	assert_int_equal(frag_plan(whole, len, 1500, &plan), 0);
	/* TCP's header is 20 bytes: 1216 + 20 > 1232 at 1280 (UDP's 8 fit), 1200 + 20 do not. */
	len = datagram_dstopts(1216, 3000);
	assert_int_equal(frag_plan(whole, len, 1280, &plan), 0);
	whole[40] = IPPROTO_TCP;
	assert_int_equal(frag_plan(whole, len, 1280, &plan), -1);
	len = datagram_dstopts(1200, 3000);
	whole[40] = IPPROTO_TCP;
	assert_int_equal(frag_plan(whole, len, 1280, &plan), 0);
}

/* An IPv6 header from 2001:db8::1 to 2001:db8:N::N (the addresses are all frag_ident() reads). */
static void
ident_hdr(uint8_t *ip6, uint32_t n)
{
	memset(ip6, 0, 40);
	ip6[0] = 0x60;
	ip6[8] = 0x20, ip6[9] = 0x01, ip6[10] = 0x0d, ip6[11] = 0xb8, ip6[23] = 1;
	ip6[24] = 0x20, ip6[25] = 0x01, ip6[26] = 0x0d, ip6[27] = 0xb8;
	store_be32(ip6 + 28, n);
	store_be32(ip6 + 36, n);
}

/* RFC 7739: what one destination sees of the identifications says nothing of how many datagrams
 * went to others. Between two to A, 1000 to other destinations: A's second follows its first,
 * give or take those of the few that share its counter (about 4 of 1000 with 256 counters);
 * one counter for all (what ipsec6d had, scrambled or not) moves it by 1000. And a pair's never
 * repeat over many of its own. */
static void
test_ident_per_destination(void **state)
{
	static const uint8_t key[SIPHASH_KEY_LEN] = { 7, 1, 8, 2, 8, 1, 8, 2, 8, 4, 5, 9, 0, 4, 5,
		2 };
	static struct frag_ids ids;
	uint8_t a[40], other[40];
	uint32_t first, second, prev;

	(void)state;
	frag_ids_init(&ids, key);
	ident_hdr(a, 0xa);
	first = frag_ident(&ids, a);
	for (uint32_t n = 0; n < 1000; n++) {
		ident_hdr(other, 0x10000 + n);
		(void)frag_ident(&ids, other);
	}
	second = frag_ident(&ids, a);
	if (second - first - 1 >= 32)
		fail_msg(
		    "A's identifications moved by %u for 1000 datagrams to others", second - first);
	prev = second;
	for (int i = 0; i < 100000; i++) {
		uint32_t id = frag_ident(&ids, a);

		assert_int_equal(id, prev + 1);
		prev = id;
	}
}

/* Pairs start at keyed places: the first identifications of 64 destinations are not near one
 * another, and another key gives a destination others. */
static void
test_ident_keyed(void **state)
{
	static const uint8_t k1[SIPHASH_KEY_LEN] = { 1 }, k2[SIPHASH_KEY_LEN] = { 2 };
	static struct frag_ids ids1, ids2;
	uint32_t first[64];
	uint8_t ip6[40];

	(void)state;
	frag_ids_init(&ids1, k1);
	frag_ids_init(&ids2, k2);
	for (uint32_t n = 0; n < 64; n++) {
		ident_hdr(ip6, n);
		first[n] = frag_ident(&ids1, ip6);
		assert_int_not_equal(first[n], frag_ident(&ids2, ip6));
		for (uint32_t m = 0; m < n; m++) {
			uint32_t d = first[n] - first[m];

			if (d < 1024 || d > 0u - 1024)
				fail_msg("destinations %u and %u: identifications %u apart", m, n,
				    d < 1024 ? d : 0u - d);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_not_a_fragment, table_new, table_free),
		cmocka_unit_test_setup_teardown(test_in_order, table_new, table_free),
		cmocka_unit_test_setup_teardown(
		    test_out_of_order_and_interleaved, table_new, table_free),
		cmocka_unit_test_setup_teardown(
		    test_unfragmentable_part_kept, table_new, table_free),
		cmocka_unit_test_setup_teardown(test_atomic_fragment, table_new, table_free),
		cmocka_unit_test_setup_teardown(test_overlap_gives_up, table_new, table_free),
		cmocka_unit_test_setup_teardown(
		    test_length_conflicts_give_up, table_new, table_free),
		cmocka_unit_test_setup_teardown(test_malformed_dropped, table_new, table_free),
		cmocka_unit_test_setup_teardown(test_largest_datagram, table_new, table_free),
		cmocka_unit_test_setup_teardown(test_timeout_and_eviction, table_new, table_free),
		cmocka_unit_test_setup_teardown(test_many_flows_interleaved, table_new, table_free),
		cmocka_unit_test_setup_teardown(test_expire_when_idle, table_new, table_free),
		cmocka_unit_test_setup_teardown(test_out_too_small, table_new, table_free),
		cmocka_unit_test_setup_teardown(test_cut_round_trip, table_new, table_free),
		cmocka_unit_test_setup_teardown(test_cut_refused, table_new, table_free),
		cmocka_unit_test_setup_teardown(test_cut_header_chain, table_new, table_free),
		cmocka_unit_test(test_ident_per_destination),
		cmocka_unit_test(test_ident_keyed),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
