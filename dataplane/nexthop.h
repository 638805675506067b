/* SPDX-License-Identifier: MIT */
/* Next hops of ESP packets for the link-layer send path: for a (source, destination) pair, the
 * interface and the Ethernet header that the kernel's own output would use, learnt from
 * rtnetlink (route get with ipsec6d's socket mark, then the link and its neighbour entry) and
 * kept for NEXTHOP_TTL_NS. A pair the fast path cannot serve (not Ethernet, neighbour not
 * resolved, a local or unreachable destination) is cached as such, for a shorter time. */
#ifndef IPSEC6_NEXTHOP_H
#define IPSEC6_NEXTHOP_H

#include <stdbool.h>
#include <stdint.h>

#include "ipsec6/err.h"

#define NEXTHOP_SLOTS       16
#define NEXTHOP_TTL_NS      1000000000ull /* re-read routes and neighbours every second */
#define NEXTHOP_NEG_TTL_NS  100000000ull  /* retry an unresolved pair after 100 ms */
#define NEXTHOP_ETH_HDR_LEN 14

struct nexthop {
	uint8_t src[16];
	uint8_t dst[16];
	bool usable;                      /* false: the kernel's IP output must send */
	int ifindex;                      /* usable: the outgoing interface */
	uint32_t mtu;                     /* usable: of that interface */
	uint8_t eth[NEXTHOP_ETH_HDR_LEN]; /* usable: next hop's MAC, ours, ETH_P_IPV6 */
	uint64_t expires_ns;              /* CLOCK_MONOTONIC */
	uint64_t kernel_ns;               /* last packet sent through the kernel's output */
	uint64_t used_ns;
};

struct nexthop_cache {
	struct mnl_socket *nl;
	unsigned seq;
	uint32_t mark;
	uint8_t *buf; /* NEXTHOP_BUF_SIZE bytes for requests and replies */
	struct nexthop slot[NEXTHOP_SLOTS];
};

/* Open the netlink socket; lookups use mark as the route lookup's fwmark (ipsec6d's socket
 * mark: the route its ESP really takes). Returns 0 or a negative errno with a reason. */
__attribute__((warn_unused_result)) int nexthop_init(
    struct nexthop_cache *c, uint32_t mark, struct err *err);
void nexthop_fini(struct nexthop_cache *c);

/* The next hop of a packet from src to dst (16 bytes each), resolved now if its entry is
 * missing or expired (three netlink requests, at most once a second per pair). Never NULL;
 * the entry stays valid until the next call. One thread at a time. */
struct nexthop *nexthop_lookup(
    struct nexthop_cache *c, const uint8_t *src, const uint8_t *dst, uint64_t now_ns);

/* Forget every entry: the next lookups ask the kernel again (after a send error). */
void nexthop_flush(struct nexthop_cache *c);

#endif
