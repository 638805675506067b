/* SPDX-License-Identifier: MIT */
/* The SPD compiled into one nftables table owned by ipsec6d (libnftables), replaced atomically
 * on every change: out-policies steer (mark for the TUN route), drop or accept locally sent and
 * forwarded packets; in-policies drop plaintext that should have arrived protected. */
#ifndef IPSEC6_STEER_H
#define IPSEC6_STEER_H

#include <netinet/in.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipsec6/err.h"
#include "ipsec6/spd.h"
#include "proto.h"

#define STEER_TABLE "ipsec6"

/* The counters of the table's own drops, among the policies' (steer_hits_get()): marked packets
 * the routes would send past the TUN device (PKT_DROP_MISROUTED), and fragments after the first
 * under a policy that names ports (PKT_DROP_FRAGMENT). No policy name has an '@'. */
#define STEER_DROPS_MISROUTED "@misrouted"
#define STEER_DROPS_FRAGMENT  "@fragment"

struct steer_params {
	const char *tun;    /* TUN device name */
	uint32_t mark;      /* set on packets to protect: routed to the TUN device */
	uint32_t sock_mark; /* carried by ipsec6d's own ESP: always accepted */
	/* ESP to these addresses, right after the IPv6 header and with a payload of at most
	 * ring_plen_max bytes, is the receive ring's (io_ring.h): the IP stack drops it. */
	const struct in6_addr *ring_dsts;
	size_t ring_n;
	uint32_t ring_plen_max;
	/* Failed closed: every policy's packets are dropped (and counted), whatever its action. */
	bool closed;
	/* ESP in UDP: datagrams to these local ports are ipsec6d's sockets' (io_udp.h), which
	 * take only ESP: no in-policy drops them as plaintext. */
	const uint16_t *udp_ports;
	size_t udp_n;
};

/* The policies whose packets the table's rules count, each in a named counter of its own (all
 * but out-policies with action ipsec, which the engine counts; all of them in a closed table),
 * by name, sorted. */
struct steer_names {
	char (*v)[SP_NAME_MAX + 1];
	size_t n;
};

/* The counted policies of spd into out (free with steer_names_fini()). Returns 0 or -ENOMEM. */
__attribute__((warn_unused_result)) int steer_names_of(
    const struct spd *spd, bool closed, struct steer_names *out);
void steer_names_fini(struct steer_names *names);

/* Render the table for spd as nft script text, one atomic transaction, into out. old NULL:
 * the table is replaced whole, its counters start at 0. Otherwise old names the counters the
 * table has (those of the last script applied): the rules are flushed and written again, the
 * counters of policies that stay keep counting, those of the others go, new ones start at 0.
 * On success *now holds the counters the script leaves (the caller's: steer_names_fini()).
 * Pure: no kernel access. Returns 0 or -ENOMEM. */
__attribute__((warn_unused_result)) int steer_render(const struct spd *spd,
    const struct steer_params *p, const struct steer_names *old, struct proto_buf *out,
    struct steer_names *now);

/* Load script text into the kernel in one transaction. Returns 0 or a negative errno with the
 * nft error text in err. */
__attribute__((warn_unused_result)) int steer_apply(const char *script, struct err *err);

/* Delete the table (clean stop). Returns 0 or a negative errno with a reason. */
__attribute__((warn_unused_result)) int steer_remove(struct err *err);

/* Per-policy packet counts of the steering rules (each policy's rules carry its name). */
struct steer_hit {
	char name[SP_NAME_MAX + 1];
	uint64_t packets;
};

struct steer_hits {
	struct steer_hit *v; /* caller's array of cap entries */
	size_t cap;
	size_t n;
};

/* Read the policies' counters of the table into hits (sorted by name). Returns 0 or a
 * negative errno. */
__attribute__((warn_unused_result)) int steer_counters(struct steer_hits *hits, struct err *err);

/* The packets counted for policy name (over all its rules: they share its counter). */
uint64_t steer_hits_get(const struct steer_hits *hits, const char *name);

#endif
