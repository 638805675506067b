/* SPDX-License-Identifier: MIT */
/* The receive ring: ESP addressed to ipsec6d's own SA destinations, taken at the link layer
 * (an AF_PACKET TPACKET_V2 ring shared with the kernel, a BPF filter that lets only ESP in)
 * instead of through the IP stack and a raw socket. The steering table drops the same packets
 * from the IP stack in prerouting (steer.h), so each is handled once, and none waits for a
 * route lookup, the input hooks, a socket queue or a system call of its own. What the ring
 * does not take (ESP after extension headers or fragmented, longer than IO_RING_PLEN_MAX, to
 * other addresses) still reaches the raw socket. */
#ifndef IPSEC6_IO_RING_H
#define IPSEC6_IO_RING_H

#include <linux/if_packet.h>
#include <netinet/in.h>

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipsec6/err.h"
#include "ipsec6/esp.h"
#include "ipsec6/pkt.h"

/* Frames of 4 KB hold any packet of a 1500-byte (or up to ~3.9 KB) link whole; ESP with a
 * longer payload is left to the raw socket by both the ring's filter and the steering rule. */
#define IO_RING_FRAME    4096u
#define IO_RING_FRAMES   1024u
#define IO_RING_PLEN_MAX 3800u
#define IO_RING_DSTS_MAX 64u

struct io_ring_dsts {
	size_t n;
	struct in6_addr addr[IO_RING_DSTS_MAX];
};

struct io_ring {
	int fd; /* -1: no ring, everything goes through the raw socket */
	uint8_t *map;
	size_t next;
	/* The addresses whose ESP the ring takes, one of sets[]; read in snap_read_lock()
	 * sections. The other set is where the next change is written. */
	_Atomic(struct io_ring_dsts *) dsts;
	struct io_ring_dsts sets[2];
	uint64_t drops; /* packets lost to a full ring, as of io_ring_drops() */
};

/* Open the ring. On failure (no packet sockets here) r->fd stays -1 and a reason is in err:
 * the raw socket then receives everything. Returns 0 or a negative errno. */
__attribute__((warn_unused_result)) int io_ring_open(struct io_ring *r, struct err *err);
void io_ring_close(struct io_ring *r);

/* Publish the destinations (at most IO_RING_DSTS_MAX; the rest are ignored and go through the
 * raw socket, as the steering table must then also leave them) and wait until no reader holds
 * the previous set. Cannot fail: the two sets take turns. Control thread. */
void io_ring_set_dsts(struct io_ring *r, const struct in6_addr *dsts, size_t n);

/* Take up to n ESP packets from the ring without waiting: each is copied into pkts[i] (data at
 * PKT_HEADROOM, from the ESP header on, as the raw socket delivers it) with its addresses, hop
 * limit and traffic class in meta[i]. Frames for other addresses are passed over (the IP stack
 * has them). Returns the count. Data path; the calling thread is an RCU reader (urcu-memb). */
size_t io_ring_take(struct io_ring *r, struct pkt *pkts, struct esp_meta *meta, size_t n);

/* One frame as the kernel wrote it (header, address, the packet at tp_net, tp_snaplen bytes of
 * it) into p (PKT_HEADROOM free in front) and meta. False when the IP stack is the one to
 * handle the packet (not ESP right after the IPv6 header, another destination, not addressed to
 * this host's link address) or would drop it (shorter than its payload length says, or longer
 * than p holds). The packet's bytes come from the wire: this is a parser of untrusted input
 * (tests/fuzz/fuzz_ring.c). Data path. */
bool io_ring_frame(const struct tpacket2_hdr *h, const struct io_ring_dsts *d, struct pkt *p,
    struct esp_meta *meta);

/* Packets the kernel dropped because every frame was still ours (the thread fell behind the
 * link), since the ring opened. Control thread only. */
uint64_t io_ring_drops(struct io_ring *r);

#endif
