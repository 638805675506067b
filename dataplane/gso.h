/* SPDX-License-Identifier: MIT */
/* Segmentation and coalescing of TCP in user space, so that the TUN device can move 64 KB at a
 * time (IFF_VNET_HDR with TSO): super-packets read from it are cut into MSS-sized segments with
 * their checksums before the engine, and decrypted segments of one flow are joined again into
 * one super-packet for the kernel. Pure computation on caller buffers. */
#ifndef IPSEC6_GSO_H
#define IPSEC6_GSO_H

#include <linux/virtio_net.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipsec6/drop.h"

/* The largest IPv6 packet without a jumbo payload option: what one TUN read can return. */
#define GSO_PKT_MAX (40u + 65535u)

/* Internet checksum (RFC 1071) of len bytes added to sum; sums of pieces of even length
 * concatenate. */
uint64_t gso_csum_add(uint64_t sum, const uint8_t *data, size_t len);

/* gso_csum_add() of src, which is copied to dst (len bytes) in the same pass. */
uint64_t gso_csum_copy(uint64_t sum, uint8_t *dst, const uint8_t *src, size_t len);

/* The 16-bit one's complement of sum, ready to store (native order) in a checksum field. */
uint16_t gso_csum_fold(uint64_t sum);

/* The sum of the pseudo-header of RFC 8200 section 8.1 for an upper-layer packet of len bytes
 * and protocol proto behind the IPv6 header ip6 (its addresses). */
uint64_t gso_pseudo(const uint8_t *ip6, uint32_t len, uint8_t proto);

/* A packet the TUN handed over with a virtio-net header of gso_type NONE: finish the checksum
 * the kernel left partial (VIRTIO_NET_HDR_F_NEEDS_CSUM) so the packet is complete before it
 * is encrypted. Returns PKT_DROP_NONE, or PKT_DROP_MALFORMED when the header points outside
 * the packet or asks for segmentation. Data path. */
enum pkt_drop gso_csum_finish(const struct virtio_net_hdr *vh, uint8_t *pkt, size_t len);

/* Where the next segment of a TCP super-packet comes from. */
struct gso_cursor {
	const uint8_t *pkt; /* the super-packet (borrowed) */
	uint32_t len;
	uint32_t tcp_off; /* offset of the TCP header */
	uint32_t hdr_len; /* IPv6 header, extension headers, TCP header: copied into each segment */
	uint32_t mss;     /* payload bytes per segment */
	uint32_t next;    /* offset of the next payload byte */
	uint32_t seq;     /* its sequence number */
};

/* Check a TCP super-packet (gso_type VIRTIO_NET_HDR_GSO_TCPV6, checksum partial at the TCP
 * header, which the IPv6 header chain must lead to) and point c at its first segment. The
 * IPv6 payload length is not trusted: len counts. Returns PKT_DROP_NONE or PKT_DROP_MALFORMED.
 * Data path. */
enum pkt_drop gso_cursor_init(
    struct gso_cursor *c, const struct virtio_net_hdr *vh, const uint8_t *pkt, size_t len);

/* The largest segment the cursor writes: hdr_len + mss. */
uint32_t gso_cursor_seg_max(const struct gso_cursor *c);

/* Write the next segment to out (room for gso_cursor_seg_max() bytes) as the kernel's TCP
 * segmentation would: the headers with the IPv6 payload length and sequence number set, CWR
 * only in the first segment, FIN and PSH only in the last, the TCP checksum complete.
 * Returns its length, or 0 once the payload is used up. Data path. */
size_t gso_cursor_next(struct gso_cursor *c, uint8_t *out);

/* A TCP segment as coalescing sees it. */
struct gso_seg {
	uint32_t hdr_len; /* 40 + TCP header */
	uint32_t seq;
	uint32_t payload_len;
	uint8_t flags;
};

/* Whether pkt (len bytes, exactly the IPv6 packet) is a TCP segment that may join others: no
 * extension headers, payload present, flags ACK with or without PSH, checksum valid (a segment
 * with a bad checksum goes to the kernel alone, which drops it). Fills seg. Data path. */
bool gso_seg_parse(const uint8_t *pkt, size_t len, struct gso_seg *seg);

/* A run of segments being joined into one super-packet. */
struct gso_run {
	uint8_t *first;        /* the first segment: its headers become the super-packet's */
	struct gso_seg head;   /* the first segment's parse */
	uint32_t count;        /* segments in the run */
	uint32_t payload;      /* payload bytes of all of them */
	uint32_t next_seq;     /* the sequence number that continues the run */
	uint32_t last_payload; /* payload of the last segment */
	uint8_t last_flags;    /* flags of the last segment */
};

/* Start a run with the segment pkt (parsed into seg). */
void gso_run_start(struct gso_run *r, uint8_t *pkt, const struct gso_seg *seg);

/* Whether segment pkt (parsed into seg) continues run r as the kernel's TCP receive offload
 * would accept it: same addresses, traffic class, flow label, hop limit, ports, ack number,
 * window and options; the next sequence number; every earlier segment full-sized and without
 * PSH; not longer than the first; the whole within 65535 bytes of IPv6 payload. If so, adds
 * it to r and returns true. Data path. */
bool gso_run_add(struct gso_run *r, const uint8_t *pkt, const struct gso_seg *seg);

/* Whether no segment can join run r any more: its last segment was short or had PSH, or
 * another full-sized one would pass 65535 bytes of IPv6 payload. */
bool gso_run_closed(const struct gso_run *r);

/* Turn the first segment of a run of two or more into the head of one super-packet: IPv6
 * payload length of the whole, PSH as the last segment had it, the TCP checksum field holding
 * the pseudo-header sum the kernel expects with VIRTIO_NET_HDR_F_NEEDS_CSUM; and fill vh
 * (GSO_TCPV6, gso_size = the first segment's payload). The payloads of the later segments
 * follow the first segment on the wire to the TUN. Data path. */
void gso_run_finish(struct gso_run *r, struct virtio_net_hdr *vh);

#endif
