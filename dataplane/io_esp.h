/* SPDX-License-Identifier: MIT */
/* The raw sockets that carry ESP: one IPPROTO_RAW socket (header included) that sends with
 * ipsec6d's socket mark so the steering rules let it pass, also in fragments what is longer than
 * its path's MTU (RFC 4303 section 3.3.4: fragmentation after ESP), one protocol-50 socket that
 * receives ESP (from the SPI onwards) with its destination, hop limit and traffic class, and one
 * that hears of ICMPv6 Packet Too Big for our ESP. Bursts on both sides: recvmmsg and
 * sendmmsg. */
#ifndef IPSEC6_IO_ESP_H
#define IPSEC6_IO_ESP_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "frag.h"
#include "io_ring.h"
#include "io_udp.h"
#include "ipsec6/err.h"
#include "ipsec6/esp.h"
#include "ipsec6/pkt.h"
#include "nexthop.h"

struct io_esp {
	int tx;
	int rx;
	int link;            /* AF_PACKET: ESP straight to a resolved next hop; -1 without */
	int pmtu;            /* Packet Too Big notices (with link); -1 without */
	struct nexthops nh;  /* with link >= 0 */
	struct io_ring ring; /* most ESP arrives here rather than on rx */
	struct io_udp udp;   /* ESP in UDP */
	int timeout_ms;
	uint32_t link_mtu; /* longer packets leave in fragments, as do those longer than a path */
	struct frag_ids frag_ids; /* the fragments' identifications (io_esp_send_frags()) */
	uint64_t pmtu_log_ns;     /* control thread: when the minute of path MTU log lines began */
	unsigned pmtu_logged;     /* lines in it */
	unsigned pmtu_unlogged;   /* path MTUs learnt in it without a line */
	unsigned rx_turn;
	unsigned naps; /* naps since the ring last had packets; IO_ESP_NAPS: none left */
};

/* Open the sockets and the ring; tx and link carry sock_mark (SO_MARK). io_esp_recv_burst()
 * waits at most timeout_ms so that its thread can notice a stop request. Without packet
 * sockets (link, ring) everything takes the raw sockets. Returns 0 or a negative errno with a
 * reason. */
__attribute__((warn_unused_result)) int io_esp_open(
    uint32_t sock_mark, int timeout_ms, struct io_esp *io, struct err *err);
void io_esp_close(struct io_esp *io);

/* The MTU of the link the ESP leaves by (until set: 1500). */
void io_esp_set_link_mtu(struct io_esp *io, uint32_t mtu);

/* CLOCK_MONOTONIC_COARSE in nanoseconds: the clock of the next hops' and the reassembly's
 * timeouts. */
uint64_t io_esp_now_ns(void);

/* Control thread, every tick: take the Packet Too Big notices (those for ESP under an SA of
 * snap's, none with snap NULL) and keep the next hops of the link-layer path (nexthops_tick()).
 * snap stays valid meanwhile (the control thread frees snapshots). */
struct db_snap;
void io_esp_tick(struct io_esp *io, const struct db_snap *snap, uint64_t now_ns);

/* Receive up to n ESP packets into pkts (each buffer with PKT_HEADROOM free in front: data is
 * placed at off = PKT_HEADROOM, from the ESP header on) and their meta, from the ring and the
 * raw socket. With wait, blocks until at least one arrives or the timeout of io_esp_open()
 * passes; without, takes only what is queued. Returns the count (0 when none came) or a
 * negative errno. Data path; the thread is an RCU reader (io_ring_take()). */
int io_esp_recv_burst(
    struct io_esp *io, struct pkt *pkts, struct esp_meta *meta, size_t n, bool wait);

/* Send n (<= ENGINE_BURST_MAX) whole IPv6 packets (header included) to the destinations in
 * their headers, in order. Returns the number the kernel took; the others it refused (no
 * route, too big, a full queue) and are lost. Data path. */
int io_esp_send_burst(struct io_esp *io, struct pkt *const *pkts, size_t n);

/* What sending pkts[0..n) costs the kernel, in trips through its stack: one per packet on the
 * link and raw paths, one per run of ESP in UDP (io_udp_runs()); counted only until it exceeds
 * max (a burst of plain ESP is not walked whole to learn that it is not cheap). Data path. */
size_t io_esp_send_cost(struct io_esp *io, struct pkt *const *pkts, size_t n, size_t max);

#endif
