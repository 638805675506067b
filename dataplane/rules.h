/* SPDX-License-Identifier: MIT */
/* What puts a state in force in the kernel, besides the routes: the nftables steering table
 * compiled from the SPD, and the receive ring's destinations (the host's addresses that SAs
 * name), kept in step with each other and with the host's addresses. Control thread. */
#ifndef IPSEC6_RULES_H
#define IPSEC6_RULES_H

#include <netinet/in.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "io_ring.h"
#include "io_udp.h"
#include "ipsec6/db.h"
#include "ipsec6/err.h"
#include "steer.h"

#define RULES_HOST_MAX 256 /* host addresses considered for the receive ring */

struct rules {
	const char *tun;      /* the TUN device's name (borrowed) */
	uint32_t mark;        /* steered packets */
	uint32_t sock_mark;   /* ipsec6d's own ESP */
	struct io_ring *ring; /* borrowed; NULL or closed: no ring, no ring rule */
	struct io_udp *udp;   /* borrowed; NULL: no ESP in UDP */
	/* As last put in force: the ring's destinations, and the host's addresses they came
	 * from. */
	struct in6_addr ring_dsts[IO_RING_DSTS_MAX];
	size_t ring_n;
	struct in6_addr host[RULES_HOST_MAX];
	size_t nhost;
	uint16_t udp_ports[IO_UDP_PORTS_MAX]; /* the ESP-in-UDP sockets' ports, sorted */
	size_t udp_n;
	bool steered; /* the table is as last written, and its counters are: */
	struct steer_names counters;
};

void rules_init(struct rules *r, const char *tun, uint32_t mark, uint32_t sock_mark,
    struct io_ring *ring, struct io_udp *udp);
void rules_fini(struct rules *r);

/* Put the steering rules for db in force (closed: every policy's traffic dropped and counted,
 * whatever its action), and the ring's destinations with them: the ring takes new addresses
 * before the kernel stops handling them and leaves old ones only after, so that a packet may
 * come twice (the second is a replay) but never not at all. All or nothing: returns 0, or a
 * negative errno with a reason and the rules and destinations in force are as before. The
 * ESP-in-UDP sockets likewise: one for each port of an SA in UDP (both of its ports: which one
 * a host sends from and which it receives on depends on the side it is), opened before the
 * rules that let their datagrams in, those of ports gone closed after. */
__attribute__((warn_unused_result)) int rules_apply(
    struct rules *r, const struct db *db, bool closed, struct err *err);

/* Whether the host's addresses changed since the last rules_apply() (an address added after
 * the SA that names it): then rules_apply() again. Always false without a ring. */
bool rules_hosts_changed(struct rules *r);

#endif
