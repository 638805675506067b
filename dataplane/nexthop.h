/* SPDX-License-Identifier: MIT */
/* Next hops of ESP packets for the link-layer send path: for a (source, destination) pair, the
 * interface and the Ethernet header that the kernel's own output would use. The control thread
 * resolves them (rtnetlink: route get with ipsec6d's socket mark, then the link and its
 * neighbour entry) and publishes them as an immutable table that the sending threads only read
 * (snap.h): no netlink, no lock and no allocation per packet, and as many pairs as there are
 * peers. The table is rebuilt when a sender asks for a pair it lacks or for one whose send the
 * kernel refused, when the kernel reports a change of links, neighbours or routes, and once a
 * second. A pair that the fast path cannot serve (not Ethernet, neighbour not resolved, a
 * local or unreachable destination) is in the table as such: its packets take the kernel's IP
 * output, which also starts neighbour discovery. */
#ifndef IPSEC6_NEXTHOP_H
#define IPSEC6_NEXTHOP_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipsec6/err.h"

#define NEXTHOP_ETH_HDR_LEN 14
#define NEXTHOP_TTL_NS      1000000000ull         /* rebuilt at least this often */
#define NEXTHOP_IDLE_NS     (10 * NEXTHOP_TTL_NS) /* a pair unused this long is forgotten */
#define NEXTHOP_ASKS        64u                   /* asks a sender may leave between ticks */
#define NEXTHOP_PAIRS_MAX   65536u
#define NEXTHOP_PMTUS       64u                    /* destinations with a path MTU learnt */
#define NEXTHOP_PMTU_NS     (600 * NEXTHOP_TTL_NS) /* how long it holds (RFC 8201 section 4) */

struct nexthop_pair {
	uint8_t src[16];
	uint8_t dst[16];
};

struct nexthop {
	struct nexthop_pair pair;
	bool present; /* false: an empty slot of the table */
	bool usable;  /* false: the kernel's IP output must send */
	int ifindex;  /* usable: the outgoing interface */
	uint32_t
	    mtu; /* the path MTU: the interface's, or less if a Packet Too Big said so; 0 unknown */
	uint8_t eth[NEXTHOP_ETH_HDR_LEN]; /* usable: next hop's MAC, ours, ETH_P_IPV6 */
	/* Written by the senders (CLOCK_MONOTONIC_COARSE), at most once a second: when a packet
	 * of the pair last took the kernel's output (so that neighbour discovery keeps confirming
	 * the address the fast path sends to), which also says that the pair is in use. */
	_Atomic uint64_t seen_ns;
};

/* Immutable once published, but for seen_ns: open addressing, linear probing. */
struct nexthop_table {
	size_t mask; /* capacity - 1, a power of two at least twice the pairs */
	struct nexthop slot[];
};

/* A path MTU smaller than the interface's, learnt from an ICMPv6 Packet Too Big for our ESP. */
struct nexthop_pmtu {
	uint8_t dst[16];
	uint32_t mtu;      /* 0: a free slot */
	uint64_t until_ns; /* when it is forgotten (the interface's MTU is tried again) */
};

struct nexthops {
	/* Control thread. */
	struct nexthop_pmtu pmtu[NEXTHOP_PMTUS];
	struct mnl_socket *nl;     /* requests */
	struct mnl_socket *events; /* changes of links, neighbours, IPv6 routes */
	unsigned seq;
	uint32_t mark;
	uint8_t *buf;
	uint64_t built_ns;
	bool stale;
	/* What the senders read (snap.h), and their asks: one producer at a time (the senders
	 * take turns), the control thread consumes. */
	_Atomic(struct nexthop_table *) table;
	struct nexthop_pair asks[NEXTHOP_ASKS];
	_Atomic size_t ask_head; /* the next ask is written at head % NEXTHOP_ASKS */
	_Atomic size_t ask_tail; /* the control thread has taken asks up to tail */
};

/* Open the netlink sockets and publish an empty table; lookups use mark as the route lookup's
 * fwmark (ipsec6d's socket mark: the route its ESP really takes). Returns 0 or a negative
 * errno with a reason. */
__attribute__((warn_unused_result)) int nexthops_init(
    struct nexthops *h, uint32_t mark, struct err *err);
void nexthops_fini(struct nexthops *h);

/* Control thread, every tick: take the kernel's change notices and the senders' asks; rebuild
 * and publish the table when they call for it or NEXTHOP_TTL_NS has passed. */
void nexthops_tick(struct nexthops *h, uint64_t now_ns);

/* Control thread: an ICMPv6 Packet Too Big said that ESP to dst must fit mtu bytes (RFC 8201:
 * at least 1280, only lowered until it is forgotten after NEXTHOP_PMTU_NS). The table is
 * rebuilt at the next tick. Returns whether that lowered what was known. */
bool nexthops_learn_pmtu(struct nexthops *h, const uint8_t *dst, uint32_t mtu, uint64_t now_ns);

/* Sender, inside snap_read_lock(): the entry for (src, dst) in the published table, or NULL
 * (then nexthops_ask() it). The entry stays valid until snap_read_unlock(). */
struct nexthop *nexthops_lookup(struct nexthops *h, const uint8_t *src, const uint8_t *dst);

/* Sender: ask the control thread for (src, dst) (absent from the table, or refused by the
 * kernel when last sent by the link: resolve it again). A full queue drops the ask: the pair
 * is asked again with its next packet. */
void nexthops_ask(struct nexthops *h, const uint8_t *src, const uint8_t *dst);

#endif
