// SPDX-License-Identifier: MIT
/* libFuzzer harness for the reassembly before ESP (dataplane/frag.c): the packets come from the
 * TUN device, a gateway's from hosts behind it. The input is a list of records. A structured one
 * is a fragment of one of a few datagrams, each with a pattern of its own (id, source,
 * offset, length, M flag, a hop-by-hop header or not, the clock's step); a raw one is any bytes.
 * Invariants: every fragment is counted exactly once, as held, given up (dropped) or part of a
 * whole datagram; a whole datagram is well-formed IPv6 without its Fragment header, its
 * fragmentable part the pattern; what is not a fragment is left alone. The other way
 * (frag_plan(), the sender's fragmentation): every whole datagram, and every packet that is not
 * a fragment, that can be cut is cut at an MTU the input picks, each fragment fitting it, and
 * the fragments joined again by a reassembly of their own give back the packet byte for byte. */
#include <netinet/in.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "frag.h"
#include "ipsec6/bytes.h"

#define FZ_SEC     1000000000ull
#define FZ_PKT_MAX 2048u
#define FZ_OUT     (PKT_HEADROOM + 40u + 65535u + PKT_TAILROOM)
#define FZ_RAW     0x80 /* the record is raw bytes */
#define FZ_HBH     0x40 /* a hop-by-hop header before the Fragment header */
#define FZ_MORE    0x20 /* the M flag */
#define FZ_SRC     0x10 /* the second source */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_SHIFT 1031u /* each datagram (source, id) its own pattern: pattern + its shift */

static uint8_t pattern[65536 + FZ_PKT_MAX + 8 * FZ_SHIFT];

/* The pattern of the datagram of source src (1 or 2) and id (0-3). */
static const uint8_t *
fz_pattern(unsigned src, uint32_t id)
{
	return pattern + ((src - 1) * 4 + id) * FZ_SHIFT;
}

static uint64_t
held(const struct frag_table *t)
{
	uint64_t n = 0;

	for (size_t i = 0; i < FRAG_SLOTS; i++)
		n += t->slot[i].used ? t->slot[i].nfrags : 0;
	return n;
}

/* A fragment from rec[0..7): flags, id, offset (2 bytes, 8-byte units), length (2), clock step.
 * Returns its length in pkt. */
static size_t
fz_fragment(const uint8_t *rec, uint8_t *pkt)
{
	uint8_t flags = rec[0];
	uint32_t off = (uint32_t)(load_be16(rec + 2) & 0x1fff) * 8;
	size_t len = load_be16(rec + 4) % (FZ_PKT_MAX - 56), at = 40;

	memset(pkt, 0, 56);
	pkt[0] = 0x60;
	pkt[6] = (flags & FZ_HBH) != 0 ? IPPROTO_HOPOPTS : IPPROTO_FRAGMENT;
	pkt[7] = 64;
	pkt[8] = 0x20, pkt[9] = 0x01, pkt[23] = (flags & FZ_SRC) != 0 ? 2 : 1;
	pkt[24] = 0x20, pkt[25] = 0x01, pkt[39] = 1;
	if ((flags & FZ_HBH) != 0) {
		pkt[at] = IPPROTO_FRAGMENT;
		pkt[at + 2] = 1;
		pkt[at + 3] = 4;
		at += 8;
	}
	pkt[at] = IPPROTO_UDP;
	store_be16(pkt + at + 2, (uint16_t)(off | ((flags & FZ_MORE) != 0 ? 1 : 0)));
	store_be32(pkt + at + 4, rec[1] & 3);
	at += 8;
	memcpy(pkt + at, fz_pattern(pkt[23], rec[1] & 3) + off, len);
	store_be16(pkt + 4, (uint16_t)(at + len - 40));
	return at + len;
}

static void
fz_check_whole(const struct pkt *out, bool structured)
{
	const uint8_t *d = pkt_data(out);
	struct pkt_frag f;
	bool is_frag;

	if (out->off != PKT_HEADROOM || out->len < 40 || d[0] >> 4 != 6 ||
	    out->len != 40u + load_be16(d + 4))
		abort();
	/* Its Fragment header is gone (an atomic fragment inside a fragment aside). */
	if (structured && (pkt_frag_find(d, out->len, &f, &is_frag) != PKT_DROP_NONE || is_frag))
		abort();
	if (structured) {
		uint32_t hdr = d[6] == IPPROTO_HOPOPTS ? 48 : 40;

		bool one = false;

		if (d[hdr == 48 ? 40 : 6] != IPPROTO_UDP || (d[23] != 1 && d[23] != 2))
			abort();
		/* All of it the pattern of one datagram of its source: no gap, nothing of another.
		 */
		for (uint32_t id = 0; id < 4 && !one; id++)
			one = memcmp(d + hdr, fz_pattern(d[23], id), out->len - hdr) == 0;
		if (!one)
			abort();
	}
}

/* Cut d[0, len) at mtu, if frag_plan() takes it, and join the fragments again (the last first). */
static void
fz_cut_join(const uint8_t *d, size_t len, uint32_t mtu)
{
	static struct frag_table t2;
	static uint8_t *out2;
	static uint8_t piece[FZ_PKT_MAX];
	static uint32_t id;
	struct frag_plan plan;
	struct pkt out;

	if (out2 == NULL && ((out2 = malloc(FZ_OUT)) == NULL || frag_init(&t2, NULL) != 0))
		abort();
	if (frag_plan(d, len, mtu, &plan) != 0)
		return;
	if (plan.n < 2 || plan.n > FRAG_PIECES_MAX || plan.unfrag_len > FRAG_HDR_MAX ||
	    plan.unfrag_len + plan.frag_len != len)
		abort();
	id++;
	for (uint32_t k = 0; k < plan.n; k++) {
		uint32_t i = (k + plan.n - 1) % plan.n, dlen = frag_piece_len(&plan, i);
		size_t plen = plan.unfrag_len + 8 + dlen;
		enum frag_result r;

		if (plen > mtu || plen > sizeof(piece) || (i + 1 < plan.n && dlen % 8 != 0))
			abort();
		frag_piece_head(&plan, d, i, piece);
		frag_piece_hdr(&plan, i, id, piece + plan.unfrag_len);
		memcpy(piece + plan.unfrag_len + 8, d + plan.unfrag_len + i * plan.data_len, dlen);
		out = (struct pkt){ out2, FZ_OUT, 0, 0 };
		r = frag_add(&t2, piece, plen, 0, &out);
		if (r != (k + 1 == plan.n ? FRAG_WHOLE : FRAG_HELD) || t2.dropped != 0)
			abort();
	}
	if (out.len != len || memcmp(pkt_data(&out), d, len) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t pkt[FZ_PKT_MAX];
	static uint8_t *outbuf;
	static struct frag_table t;
	struct pkt out;
	uint64_t now = 0;

	if (outbuf == NULL) {
		for (size_t i = 0; i < sizeof(pattern); i++)
			pattern[i] = (uint8_t)(i * 131 + (i >> 9));
		outbuf = malloc(FZ_OUT);
		if (outbuf == NULL)
			abort();
	}
	if (frag_init(&t, NULL) != 0)
		abort();
	while (size >= 7) {
		const uint8_t *in = pkt;
		bool structured = (data[0] & FZ_RAW) == 0;
		uint64_t before = held(&t), dropped = t.dropped, consumed;
		enum frag_result r;
		struct pkt_frag f;
		size_t len;
		bool is_frag;

		if (structured) {
			len = fz_fragment(data, pkt);
			now += (uint64_t)(data[6] >> 4) * 8 * FZ_SEC;
			data += 7;
			size -= 7;
		} else {
			len = load_be16(data + 1) % FZ_PKT_MAX;
			data += 3;
			size -= 3;
			len = len < size ? len : size;
			in = data;
			data += len;
			size -= len;
		}
		out = (struct pkt){ outbuf, FZ_OUT, 0, 0 };
		is_frag = pkt_frag_find(in, len, &f, &is_frag) == PKT_DROP_NONE && is_frag;
		r = frag_add(&t, in, len, now, &out);
		if (r == FRAG_NOT) {
			/* Not a fragment the reassembly takes: nothing changed. */
			if (is_frag || held(&t) != before || t.dropped != dropped)
				abort();
			fz_cut_join(in, len, IPV6_MTU_MIN + (uint32_t)(len % 256));
			continue;
		}
		if (!is_frag)
			abort();
		/* Exactly once: held before and this one = held now, given up, and made whole. */
		if (before + 1 < held(&t) + (t.dropped - dropped))
			abort();
		consumed = before + 1 - held(&t) - (t.dropped - dropped);
		if ((r == FRAG_WHOLE) != (consumed > 0))
			abort();
		if (r == FRAG_WHOLE) {
			fz_check_whole(&out, structured);
			fz_cut_join(pkt_data(&out), out.len, IPV6_MTU_MIN + (uint32_t)(now % 512));
		}
	}
	frag_fini(&t);
	return 0;
}
