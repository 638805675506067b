/* SPDX-License-Identifier: MIT */
/* Packet buffers with head- and tailroom, and the IPv6 parsing the SPD and ESP need: header
 * checks and the walk over extension headers to the upper-layer protocol and its ports. */
#ifndef IPSEC6_PKT_H
#define IPSEC6_PKT_H

#include <netinet/in.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ipsec6/drop.h"

/* Room the engine needs around a packet: an outer IPv6 header, the ESP header and the largest
 * IV in front; the largest padding, the trailer and the largest ICV behind. */
#define PKT_HEADROOM 128
#define PKT_TAILROOM 64

#define IPV6_HDR_LEN     40u
#define IPV6_MTU_MIN     1280u /* RFC 8200 section 5 */
#define PKT_FRAG_HDR_LEN 8u    /* the Fragment header (RFC 8200 section 4.5) */

/* A packet in a caller-owned buffer: the bytes are buf[off, off + len) of buf[0, size). */
struct pkt {
	uint8_t *buf;
	uint32_t size;
	uint32_t off;
	uint32_t len;
};

static inline uint8_t *
pkt_data(const struct pkt *p)
{
	return p->buf + p->off;
}

/* The selectors of RFC 4301 section 4.4.1 as read from one IPv6 packet. */
struct pkt_sel {
	struct in6_addr src;
	struct in6_addr dst;
	int proto;          /* upper-layer protocol (IPPROTO_TCP, ...); -1 if none found */
	int32_t sport;      /* TCP/UDP source port; -1 when absent or opaque */
	int32_t dport;      /* TCP/UDP destination port, or the ICMPv6 type; -1 likewise */
	bool nonfirst_frag; /* a fragment with offset != 0: ports are OPAQUE (RFC 4301 4.4.1.3) */
};

/* Where ESP goes in transport mode (RFC 4303 section 3.1.1): after hop-by-hop, routing and
 * fragment headers, and after destination options that precede a routing header. */
struct pkt_layout {
	uint32_t esp_off;     /* offset at which ESP is inserted (40 with no extension headers) */
	uint32_t nexthdr_off; /* offset of the next-header byte that must become 50 */
	uint8_t nexthdr;      /* the value that byte held: goes in the ESP trailer */
};

/* Whether next header nh is an extension header the walk steps over (hop-by-hop, routing,
 * fragment, destination options). */
static inline bool
pkt_is_ext_hdr(uint8_t nh)
{
	return nh == IPPROTO_HOPOPTS || nh == IPPROTO_ROUTING || nh == IPPROTO_FRAGMENT ||
	    nh == IPPROTO_DSTOPTS;
}

/* Check the fixed IPv6 header (version 6, payload length consistent with len: len must be at
 * least 40 + payload length, extra bytes are trimmed by the caller) and read the selectors by
 * walking extension headers (hop-by-hop, routing, fragment, destination options; AH and ESP
 * end the walk with proto 51/50). Returns PKT_DROP_NONE or PKT_DROP_MALFORMED. Data path. */
enum pkt_drop pkt_parse(const uint8_t *data, size_t len, struct pkt_sel *sel);

/* Whether two selectors are the same in every field. Inline: the engine asks it of every
 * inbound packet. */
static inline bool
pkt_sel_equal(const struct pkt_sel *a, const struct pkt_sel *b)
{
	return memcmp(&a->src, &b->src, sizeof(a->src)) == 0 &&
	    memcmp(&a->dst, &b->dst, sizeof(a->dst)) == 0 && a->proto == b->proto &&
	    a->sport == b->sport && a->dport == b->dport && a->nonfirst_frag == b->nonfirst_frag;
}

/* Find the transport-mode insertion point; data/len as for pkt_parse(). Returns
 * PKT_DROP_NONE or PKT_DROP_MALFORMED. Data path. */
enum pkt_drop pkt_layout(const uint8_t *data, size_t len, struct pkt_layout *layout);

/* A fragment's Fragment header (RFC 8200 section 4.5) and what precedes and follows it. */
struct pkt_frag {
	uint32_t unfrag_len; /* the unfragmentable part: the IPv6 header and the extension
			      * headers before the Fragment header (its offset) */
	uint32_t nh_off;     /* the byte that names the Fragment header */
	uint8_t nexthdr;     /* the Fragment header's next header: the fragmentable part's first */
	uint32_t offset;     /* of this fragment's data in the fragmentable part, in bytes */
	bool more;           /* the M flag: more fragments follow */
	uint32_t id;         /* the Identification */
	uint32_t data_len;   /* bytes of fragment data after the Fragment header */
};

/* Whether the packet is a fragment, and if so where its Fragment header is; data/len as for
 * pkt_parse(). Returns PKT_DROP_NONE (*is_frag says which) or PKT_DROP_MALFORMED. */
enum pkt_drop pkt_frag_find(const uint8_t *data, size_t len, struct pkt_frag *frag, bool *is_frag);

#endif
