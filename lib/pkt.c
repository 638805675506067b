// SPDX-License-Identifier: MIT
/* IPv6 header checks and the walk over extension headers (RFC 8200 section 4) that yields the
 * selectors of RFC 4301 section 4.4.1 and the transport-mode ESP insertion point of RFC 4303
 * section 3.1.1. Every length is checked before the bytes it covers are read. */
#include "ipsec6/pkt.h"

#include <string.h>

#include "ipsec6/bytes.h"

/* More than this many extension headers is not a packet anyone sends; bounding the walk bounds
 * the time an attacker can make us spend on one packet. */
#define PKT_MAX_EXT_HDRS 16

#define PKT_FRAG_OFF_MASK 0xfff8u

/* One step of the walk: the header at off, named by the byte at nh_off. */
struct pkt_walk {
	const uint8_t *data;
	size_t end;     /* 40 + payload length: bytes past it are not the packet's */
	size_t off;     /* the current header */
	size_t nh_off;  /* the byte that named it */
	uint8_t nh;     /* its protocol number */
	unsigned count; /* extension headers passed */
	bool nonfirst;  /* a fragment header with offset != 0 was passed */
};

/* The fixed header (RFC 8200 section 3). A payload length of 0 announces a jumbogram (RFC 2675),
 * which no link we serve carries. */
static enum pkt_drop
pkt_walk_init(struct pkt_walk *w, const uint8_t *data, size_t len)
{
	size_t plen;

	if (len < IPV6_HDR_LEN || data[0] >> 4 != 6)
		return PKT_DROP_MALFORMED;
	plen = load_be16(data + 4);
	if (plen == 0 || IPV6_HDR_LEN + plen > len)
		return PKT_DROP_MALFORMED;
	memset(w, 0, sizeof(*w));
	w->data = data;
	w->end = IPV6_HDR_LEN + plen;
	w->off = IPV6_HDR_LEN;
	w->nh_off = 6;
	w->nh = data[6];
	return PKT_DROP_NONE;
}

/* Step over the extension header at w->off. The caller has checked pkt_is_ext_hdr(w->nh). */
static enum pkt_drop
pkt_walk_next(struct pkt_walk *w)
{
	size_t hlen;

	if (++w->count > PKT_MAX_EXT_HDRS)
		return PKT_DROP_MALFORMED;
	/* RFC 8200 section 4.1: hop-by-hop options only immediately after the IPv6 header. */
	if (w->nh == IPPROTO_HOPOPTS && w->off != IPV6_HDR_LEN)
		return PKT_DROP_MALFORMED;
	if (w->nh == IPPROTO_FRAGMENT) {
		if (w->end - w->off < PKT_FRAG_HDR_LEN)
			return PKT_DROP_MALFORMED;
		hlen = PKT_FRAG_HDR_LEN;
		/* RFC 8200 section 4.5: the offset is in the top 13 bits of bytes 2-3. */
		if ((load_be16(w->data + w->off + 2) & PKT_FRAG_OFF_MASK) != 0)
			w->nonfirst = true;
	} else {
		/* RFC 8200 sections 4.3, 4.4, 4.6: Hdr Ext Len counts 8-octet units past the first.
		 */
		if (w->end - w->off < 2)
			return PKT_DROP_MALFORMED;
		hlen = ((size_t)w->data[w->off + 1] + 1) * 8;
		if (w->end - w->off < hlen)
			return PKT_DROP_MALFORMED;
	}
	w->nh_off = w->off;
	w->nh = w->data[w->off];
	w->off += hlen;
	return PKT_DROP_NONE;
}

/* Read the upper-layer selectors at w->off (RFC 4301 section 4.4.1.1). */
static enum pkt_drop
pkt_read_ports(const struct pkt_walk *w, struct pkt_sel *sel)
{
	const uint8_t *p = w->data + w->off;
	size_t avail = w->end - w->off;

	switch (w->nh) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
		/* A first fragment must hold the whole upper-layer header (RFC 8200 section 4.5,
		 * RFC 7112); without its ports, no policy can be chosen. */
		if (avail < 4)
			return PKT_DROP_MALFORMED;
		sel->sport = load_be16(p);
		sel->dport = load_be16(p + 2);
		break;
	case IPPROTO_ICMPV6:
		/* RFC 4443 section 2.1: type, code, checksum. The type is the selector (RFC 4301
		 * section 4.4.1.1), kept where the destination port would be, as CLI.md's
		 * --destination-port takes it. */
		if (avail < 4)
			return PKT_DROP_MALFORMED;
		sel->dport = p[0];
		break;
	default:
		/* ESP, AH, no-next-header (59) and anything else: no ports we can read. */
		break;
	}
	sel->proto = w->nh;
	return PKT_DROP_NONE;
}

enum pkt_drop
pkt_parse(const uint8_t *data, size_t len, struct pkt_sel *sel)
{
	struct pkt_walk w;
	enum pkt_drop drop;

	sel->proto = -1;
	sel->sport = -1;
	sel->dport = -1;
	sel->nonfirst_frag = false;
	drop = pkt_walk_init(&w, data, len);
	if (drop != PKT_DROP_NONE)
		return drop;
	memcpy(&sel->src, data + 8, sizeof(sel->src));
	memcpy(&sel->dst, data + 24, sizeof(sel->dst));
	while (pkt_is_ext_hdr(w.nh)) {
		drop = pkt_walk_next(&w);
		if (drop != PKT_DROP_NONE)
			return drop;
		if (w.nonfirst) {
			/* RFC 4301 section 4.4.1.3: a non-initial fragment's ports are OPAQUE; what
			 * follows its header is data, not more headers. */
			sel->nonfirst_frag = true;
			sel->proto = w.nh;
			return PKT_DROP_NONE;
		}
	}
	return pkt_read_ports(&w, sel);
}

enum pkt_drop
pkt_layout(const uint8_t *data, size_t len, struct pkt_layout *layout)
{
	struct pkt_walk w;
	enum pkt_drop drop;

	drop = pkt_walk_init(&w, data, len);
	if (drop != PKT_DROP_NONE)
		return drop;
	layout->esp_off = IPV6_HDR_LEN;
	layout->nexthdr_off = 6;
	layout->nexthdr = w.nh;
	/* RFC 4303 section 3.1.1: ESP follows hop-by-hop, routing and fragment headers, and the
	 * destination options that precede a routing header (they are for the hops on the way).
	 * So ESP goes after the last of those three kinds; destination options after them stay
	 * behind ESP, protected with the payload. */
	while (pkt_is_ext_hdr(w.nh) && !w.nonfirst) {
		uint8_t kind = w.nh;

		drop = pkt_walk_next(&w);
		if (drop != PKT_DROP_NONE)
			return drop;
		if (kind != IPPROTO_DSTOPTS) {
			layout->esp_off = (uint32_t)w.off;
			layout->nexthdr_off = (uint32_t)w.nh_off;
			layout->nexthdr = w.nh;
		}
	}
	return PKT_DROP_NONE;
}

enum pkt_drop
pkt_frag_find(const uint8_t *data, size_t len, struct pkt_frag *frag, bool *is_frag)
{
	struct pkt_walk w;
	enum pkt_drop drop;

	*is_frag = false;
	drop = pkt_walk_init(&w, data, len);
	while (drop == PKT_DROP_NONE && pkt_is_ext_hdr(w.nh)) {
		if (w.nh == IPPROTO_FRAGMENT) {
			const uint8_t *f = data + w.off;

			if (w.end - w.off < PKT_FRAG_HDR_LEN)
				return PKT_DROP_MALFORMED;
			frag->unfrag_len = (uint32_t)w.off;
			frag->nh_off = (uint32_t)w.nh_off;
			frag->nexthdr = f[0];
			frag->offset = load_be16(f + 2) & PKT_FRAG_OFF_MASK;
			frag->more = (f[3] & 1) != 0;
			frag->id = load_be32(f + 4);
			frag->data_len = (uint32_t)(w.end - w.off - PKT_FRAG_HDR_LEN);
			*is_frag = true;
			return PKT_DROP_NONE;
		}
		drop = pkt_walk_next(&w);
	}
	return drop;
}
