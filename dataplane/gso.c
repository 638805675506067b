// SPDX-License-Identifier: MIT
/* TCP segmentation (TUN -> engine) and coalescing (engine -> TUN) in user space, with the
 * checksums each needs. The rules follow the kernel's tcp_gso_segment() and tcp_gro_receive(),
 * so that what the kernel sees is what its own offloads would have produced. */
#include "gso.h"

#include <netinet/in.h>

#include <string.h>

#include "ipsec6/bytes.h"

#define GSO_IP6_PLEN    4 /* IPv6 payload length */
#define GSO_IP6_NH      6 /* IPv6 next header */
#define GSO_IP6_SRC     8 /* source, then destination address: 32 bytes */
#define GSO_TCP_SEQ     4 /* offsets inside the TCP header */
#define GSO_TCP_ACK     8
#define GSO_TCP_FLAGS   13
#define GSO_TCP_CHECK   16
#define GSO_TCP_MIN     20u
#define GSO_TCP_FIN     0x01u
#define GSO_TCP_PSH     0x08u
#define GSO_TCP_ACKF    0x10u
#define GSO_TCP_CWR     0x80u
#define GSO_PAYLOAD_MAX 65535u

typedef uint32_t gso_v8u32 __attribute__((vector_size(32)));
typedef uint64_t gso_v4u64 __attribute__((vector_size(32)));
/* Words 0-3 and 4-7 of a vector, each widened with a zero word as its high half. */
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define GSO_WORDS_LO 8, 0, 9, 1, 10, 2, 11, 3
#define GSO_WORDS_HI 12, 4, 13, 5, 14, 6, 15, 7
#else
#define GSO_WORDS_LO 0, 8, 1, 9, 2, 10, 3, 11
#define GSO_WORDS_HI 4, 12, 5, 13, 6, 14, 7, 15
#endif

/* The sum of len bytes from src, copied to dst on the way when dst is not NULL (one pass over
 * the data instead of two). 32-bit words into 64-bit sums: no carry is lost below 2^32 words,
 * and the one's complement sum does not depend on byte order (RFC 1071 section 2(B)). 64 bytes
 * a round, each word widened into a lane of its own, in two sums to keep the additions
 * independent. */
static inline __attribute__((always_inline)) uint64_t
gso_csum_body(uint64_t sum, uint8_t *dst, const uint8_t *src, size_t len)
{
	const gso_v8u32 zero = { 0 };
	gso_v4u64 a = { 0 }, b = { 0 };

	for (; len >= 64; src += 64, len -= 64) {
		gso_v8u32 x, y;

		memcpy(&x, src, sizeof(x));
		memcpy(&y, src + 32, sizeof(y));
		if (dst != NULL) {
			memcpy(dst, &x, sizeof(x));
			memcpy(dst + 32, &y, sizeof(y));
			dst += 64;
		}
		a += (gso_v4u64)__builtin_shufflevector(x, zero, GSO_WORDS_LO);
		b += (gso_v4u64)__builtin_shufflevector(x, zero, GSO_WORDS_HI);
		a += (gso_v4u64)__builtin_shufflevector(y, zero, GSO_WORDS_LO);
		b += (gso_v4u64)__builtin_shufflevector(y, zero, GSO_WORDS_HI);
	}
	a += b;
	sum += a[0] + a[1] + a[2] + a[3];
	if (dst != NULL)
		memcpy(dst, src, len);
	for (; len >= 4; src += 4, len -= 4) {
		uint32_t w;

		memcpy(&w, src, sizeof(w));
		sum += w;
	}
	if (len >= 2) {
		uint16_t w;

		memcpy(&w, src, sizeof(w));
		sum += w;
		src += 2;
		len -= 2;
	}
	if (len == 1) {
		uint8_t last[2] = { src[0], 0 };
		uint16_t w;

		memcpy(&w, last, sizeof(w));
		sum += w;
	}
	return sum;
}

/* The rounds for the instruction set the build targets (SSE2 on x86-64). */
static uint64_t
gso_csum_base(uint64_t sum, uint8_t *dst, const uint8_t *src, size_t len)
{
	return gso_csum_body(sum, dst, src, len);
}

/* The same rounds in AVX2 where the CPU has it, chosen at each call (a test of a flag the C
 * library set at start): an ifunc would run before the sanitizers' runtime starts. */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define GSO_CSUM_AVX2 1
__attribute__((target("avx2"))) static uint64_t
gso_csum_avx2(uint64_t sum, uint8_t *dst, const uint8_t *src, size_t len)
{
	return gso_csum_body(sum, dst, src, len);
}
#endif

static uint64_t
gso_csum_any(uint64_t sum, uint8_t *dst, const uint8_t *src, size_t len)
{
#ifdef GSO_CSUM_AVX2
	if (__builtin_cpu_supports("avx2"))
		return gso_csum_avx2(sum, dst, src, len);
#endif
	return gso_csum_base(sum, dst, src, len);
}

uint64_t
gso_csum_add(uint64_t sum, const uint8_t *data, size_t len)
{
	return gso_csum_any(sum, NULL, data, len);
}

uint64_t
gso_csum_copy(uint64_t sum, uint8_t *dst, const uint8_t *src, size_t len)
{
	return gso_csum_any(sum, dst, src, len);
}

static uint16_t
gso_fold(uint64_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffffu) + (sum >> 16);
	return (uint16_t)sum;
}

uint16_t
gso_csum_fold(uint64_t sum)
{
	return (uint16_t)~gso_fold(sum);
}

uint64_t
gso_pseudo(const uint8_t *ip6, uint32_t len, uint8_t proto)
{
	uint8_t tail[8] = { 0, 0, 0, 0, 0, 0, 0, proto };

	store_be32(tail, len);
	return gso_csum_add(gso_csum_add(0, ip6 + GSO_IP6_SRC, 32), tail, sizeof(tail));
}

static uint64_t
gso_pseudo_tcp(const uint8_t *ip6, uint32_t tcp_len)
{
	return gso_pseudo(ip6, tcp_len, IPPROTO_TCP);
}

static void
gso_store16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, sizeof(v));
}

enum pkt_drop
gso_csum_finish(const struct virtio_net_hdr *vh, uint8_t *pkt, size_t len)
{
	size_t start = vh->csum_start, field = (size_t)vh->csum_start + vh->csum_offset;

	if (vh->gso_type != VIRTIO_NET_HDR_GSO_NONE)
		return PKT_DROP_MALFORMED;
	if (!(vh->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM))
		return PKT_DROP_NONE;
	if (start >= len || field + 2 > len)
		return PKT_DROP_MALFORMED;
	/* The field holds the pseudo-header sum; the sum from start on completes it. */
	gso_store16(pkt + field, gso_csum_fold(gso_csum_add(0, pkt + start, len - start)));
	return PKT_DROP_NONE;
}

/* The offset of the TCP header behind the IPv6 header and the extension headers that may
 * precede it in a segmentable packet (hop-by-hop, routing, destination options), or 0. */
static uint32_t
gso_tcp_offset(const uint8_t *pkt, size_t len)
{
	uint32_t off = 40;
	uint8_t nh = pkt[GSO_IP6_NH];

	while (nh == IPPROTO_HOPOPTS || nh == IPPROTO_ROUTING || nh == IPPROTO_DSTOPTS) {
		if ((size_t)off + 8 > len)
			return 0;
		nh = pkt[off];
		off += ((uint32_t)pkt[off + 1] + 1) * 8;
	}
	return nh == IPPROTO_TCP ? off : 0;
}

enum pkt_drop
gso_cursor_init(
    struct gso_cursor *c, const struct virtio_net_hdr *vh, const uint8_t *pkt, size_t len)
{
	uint32_t tcp_off, thlen;

	if ((vh->gso_type & (uint8_t)~VIRTIO_NET_HDR_GSO_ECN) != VIRTIO_NET_HDR_GSO_TCPV6 ||
	    vh->gso_size == 0 || len < 40 || len > GSO_PKT_MAX || (pkt[0] >> 4) != 6)
		return PKT_DROP_MALFORMED;
	tcp_off = gso_tcp_offset(pkt, len);
	if (tcp_off == 0 || tcp_off != vh->csum_start || (size_t)tcp_off + GSO_TCP_MIN > len)
		return PKT_DROP_MALFORMED;
	thlen = (uint32_t)(pkt[tcp_off + 12] >> 4) * 4;
	/* The kernel hands over a super-packet only when there is more than one segment. */
	if (thlen < GSO_TCP_MIN || (size_t)tcp_off + thlen >= len)
		return PKT_DROP_MALFORMED;
	*c = (struct gso_cursor){
		.pkt = pkt,
		.len = (uint32_t)len,
		.tcp_off = tcp_off,
		.hdr_len = tcp_off + thlen,
		.mss = vh->gso_size,
		.next = tcp_off + thlen,
		.seq = load_be32(pkt + tcp_off + GSO_TCP_SEQ),
	};
	return PKT_DROP_NONE;
}

uint32_t
gso_cursor_seg_max(const struct gso_cursor *c)
{
	return c->hdr_len + c->mss;
}

size_t
gso_cursor_next(struct gso_cursor *c, uint8_t *out)
{
	bool first = c->next == c->hdr_len, last;
	uint32_t seg, tcp_len;
	uint64_t sum;
	uint8_t *th = out + c->tcp_off;

	if (c->next >= c->len)
		return 0;
	seg = c->len - c->next < c->mss ? c->len - c->next : c->mss;
	last = c->next + seg >= c->len;
	memcpy(out, c->pkt, c->hdr_len);
	/* The payload's sum as it is copied; the TCP header's is added once it is rewritten (its
	 * length is a multiple of 4, so the two sums concatenate). */
	sum = gso_csum_copy(0, out + c->hdr_len, c->pkt + c->next, seg);
	store_be16(out + GSO_IP6_PLEN, (uint16_t)(c->hdr_len - 40 + seg));
	store_be32(th + GSO_TCP_SEQ, c->seq);
	if (!first)
		th[GSO_TCP_FLAGS] &= (uint8_t)~GSO_TCP_CWR;
	if (!last)
		th[GSO_TCP_FLAGS] &= (uint8_t) ~(GSO_TCP_FIN | GSO_TCP_PSH);
	tcp_len = c->hdr_len - c->tcp_off + seg;
	gso_store16(th + GSO_TCP_CHECK, 0);
	gso_store16(th + GSO_TCP_CHECK,
	    gso_csum_fold(
		gso_csum_add(gso_pseudo_tcp(out, tcp_len) + sum, th, c->hdr_len - c->tcp_off)));
	c->next += seg;
	c->seq += seg;
	return c->hdr_len + seg;
}

bool
gso_seg_parse(const uint8_t *pkt, size_t len, struct gso_seg *seg)
{
	uint32_t thlen;
	uint8_t flags;

	if (len < 40 + GSO_TCP_MIN || (pkt[0] >> 4) != 6 || pkt[GSO_IP6_NH] != IPPROTO_TCP ||
	    load_be16(pkt + GSO_IP6_PLEN) != len - 40)
		return false;
	thlen = (uint32_t)(pkt[40 + 12] >> 4) * 4;
	flags = pkt[40 + GSO_TCP_FLAGS];
	if (thlen < GSO_TCP_MIN || 40 + thlen >= len || (flags & ~GSO_TCP_PSH) != GSO_TCP_ACKF)
		return false;
	if (gso_fold(gso_csum_add(gso_pseudo_tcp(pkt, (uint32_t)len - 40), pkt + 40, len - 40)) !=
	    0xffffu)
		return false;
	*seg = (struct gso_seg){ 40 + thlen, load_be32(pkt + 40 + GSO_TCP_SEQ),
		(uint32_t)len - 40 - thlen, flags };
	return true;
}

/* pkt is not const: gso_run_finish() rewrites its headers through r->first. */
void
// NOLINTNEXTLINE(readability-non-const-parameter)
gso_run_start(struct gso_run *r, uint8_t *pkt, const struct gso_seg *seg)
{
	*r = (struct gso_run){ pkt, *seg, 1, seg->payload_len, seg->seq + seg->payload_len,
		seg->payload_len, seg->flags };
}

/* Everything but payload length, sequence number, PSH and checksum is equal. */
static bool
gso_same_flow(const uint8_t *a, const uint8_t *b, uint32_t hdr_len)
{
	const uint8_t *ta = a + 40, *tb = b + 40;

	return memcmp(a, b, GSO_IP6_PLEN) == 0 &&
	    memcmp(a + GSO_IP6_NH, b + GSO_IP6_NH, 40 - GSO_IP6_NH) == 0 &&
	    memcmp(ta, tb, GSO_TCP_SEQ) == 0 &&
	    memcmp(ta + GSO_TCP_ACK, tb + GSO_TCP_ACK, GSO_TCP_FLAGS - GSO_TCP_ACK) == 0 &&
	    ((ta[GSO_TCP_FLAGS] ^ tb[GSO_TCP_FLAGS]) & ~GSO_TCP_PSH) == 0 &&
	    memcmp(ta + 14, tb + 14, 2) == 0 && memcmp(ta + 18, tb + 18, hdr_len - 40 - 18) == 0;
}

bool
gso_run_add(struct gso_run *r, const uint8_t *pkt, const struct gso_seg *seg)
{
	if (seg->hdr_len != r->head.hdr_len || seg->seq != r->next_seq ||
	    r->last_payload != r->head.payload_len || (r->last_flags & GSO_TCP_PSH) ||
	    seg->payload_len > r->head.payload_len ||
	    r->head.hdr_len - 40 + r->payload + seg->payload_len > GSO_PAYLOAD_MAX ||
	    !gso_same_flow(r->first, pkt, seg->hdr_len))
		return false;
	r->count++;
	r->payload += seg->payload_len;
	r->next_seq += seg->payload_len;
	r->last_payload = seg->payload_len;
	r->last_flags = seg->flags;
	return true;
}

bool
gso_run_closed(const struct gso_run *r)
{
	return r->last_payload != r->head.payload_len || (r->last_flags & GSO_TCP_PSH) ||
	    r->head.hdr_len - 40 + r->payload + r->head.payload_len > GSO_PAYLOAD_MAX;
}

void
gso_run_finish(struct gso_run *r, struct virtio_net_hdr *vh)
{
	uint8_t *th = r->first + 40;
	uint32_t tcp_len = r->head.hdr_len - 40 + r->payload;

	store_be16(r->first + GSO_IP6_PLEN, (uint16_t)tcp_len);
	th[GSO_TCP_FLAGS] =
	    (uint8_t)((th[GSO_TCP_FLAGS] & ~GSO_TCP_PSH) | (r->last_flags & GSO_TCP_PSH));
	/* NEEDS_CSUM: the field holds the pseudo-header sum, not complemented. */
	gso_store16(th + GSO_TCP_CHECK, gso_fold(gso_pseudo_tcp(r->first, tcp_len)));
	*vh = (struct virtio_net_hdr){
		.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM,
		.gso_type = VIRTIO_NET_HDR_GSO_TCPV6,
		.hdr_len = (uint16_t)r->head.hdr_len,
		.gso_size = (uint16_t)r->head.payload_len,
		.csum_start = 40,
		.csum_offset = GSO_TCP_CHECK,
	};
}
