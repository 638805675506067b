/* SPDX-License-Identifier: MIT */
/* ESP in UDP (RFC 3948) for the SAs that ask for it: one UDP socket per local port in use,
 * bound to [::]:port. Out, a run of ESP packets of one flow and size leaves in one sendmsg()
 * with UDP_SEGMENT (the kernel cuts it into datagrams, one trip through its stack for the lot);
 * in, UDP_GRO hands over super-datagrams of up to 64 KB, which are cut here into their ESP
 * packets. What comes on the port that is not ESP (a zero SPI marker, a NAT keep-alive, a
 * datagram shorter than an ESP header, an empty one) is dropped and counted as not ESP, as is a
 * datagram longer than the packet it would go into (none is, with the data path's packets of
 * 64 KB). Packets are at least PKT_HEADROOM + PKT_TAILROOM bytes. */
#ifndef IPSEC6_IO_UDP_H
#define IPSEC6_IO_UDP_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipsec6/err.h"
#include "ipsec6/esp.h"
#include "ipsec6/pkt.h"

#define IO_UDP_PORTS_MAX 16
#define IO_UDP_HDR_LEN   8
#define IO_UDP_SEGS_MAX  64    /* datagrams per UDP_SEGMENT send (the kernel's limit) */
#define IO_UDP_GRO_MAX   65536 /* a super-datagram */
/* The largest UDP_SEGMENT send, IPv6 header included: the kernel cuts a GSO packet of 64 KB or
 * more with its Ethernet header (gso_max_size) into single datagrams in software. */
#define IO_UDP_GSO_MAX (65535 - 14)

/* The sockets as published to the packet threads: immutable once published. */
struct io_udp_socks {
	size_t n;
	uint16_t port[IO_UDP_PORTS_MAX]; /* sorted */
	int fd[IO_UDP_PORTS_MAX];
};

struct io_udp {
	uint32_t mark; /* SO_MARK of the sockets: ipsec6d's own ESP */
	uint32_t mtu;  /* of the link (0: unknown): a longer datagram goes alone, and the kernel
			* fragments it (RFC 4303 section 3.3.4: after ESP) */
	int wake;      /* eventfd: the receiving thread looks at the sockets again */
	/* Published in snap.h's way; sets[] take turns. */
	_Atomic(struct io_udp_socks *) socks;
	struct io_udp_socks sets[2];
	_Atomic uint64_t gen;  /* bumped with every published set */
	_Atomic uint64_t seen; /* the receiving thread uses the set of that generation */
	/* Control thread: sockets of ports gone, closed once seen reaches closing_gen. */
	int closing[IO_UDP_PORTS_MAX];
	size_t nclosing;
	uint64_t closing_gen;
	/* The receiving thread's: the super-datagram being cut, and its poll set. */
	uint8_t *buf;
	size_t len, off;
	uint16_t seg;
	uint16_t guess; /* the last super-datagram's segment size: the next is received into
			 * packet buffers directly if it has the same */
	struct esp_meta meta;
	size_t turn;
	uint64_t not_esp; /* datagrams dropped as not ESP, for the caller to count */
};

/* No sockets yet; mark goes on every socket. Returns 0 or a negative errno with a reason. */
__attribute__((warn_unused_result)) int io_udp_init(
    struct io_udp *u, uint32_t mark, struct err *err);
void io_udp_fini(struct io_udp *u);

/* Control thread: the local ports in use (any order, repeats allowed). Sockets are opened for
 * new ports and the set published; those of ports no longer in use are closed once the
 * receiving thread uses the new set (io_udp_tick()). Returns 0, or a negative errno with a
 * reason (a port that cannot be bound, more than IO_UDP_PORTS_MAX): the previous set stays. */
__attribute__((warn_unused_result)) int io_udp_set_ports(
    struct io_udp *u, const uint16_t *ports, size_t n, struct err *err);

/* Control thread, every tick: close the sockets of ports gone once no thread can use them. */
void io_udp_tick(struct io_udp *u);

/* Whether a socket serves port (ESP in UDP sent from it, or to it). Inside snap_read_lock(), or
 * on the control thread, which publishes the sockets. */
bool io_udp_serves(const struct io_udp *u, uint16_t port);

/* Whether p (a whole IPv6 packet) is ESP in UDP that the UDP sockets can send: the UDP header
 * right after the IPv6 header, from a port that has a socket. Inside snap_read_lock(). */
bool io_udp_takes(struct io_udp *u, const struct pkt *p);

/* Send pkts[0..n), each one that io_udp_takes(): consecutive packets of one source,
 * destination, ports, hop limit and traffic class and of one size (the last of a run may be
 * shorter) go in one UDP_SEGMENT call. refused[i] is 0 for a packet sent, else the errno the
 * kernel refused it with (or EBADF: its port has no socket). Returns how many it refused.
 * Inside snap_read_lock(). Data path. */
size_t io_udp_send(struct io_udp *u, struct pkt *const *pkts, size_t n, int *refused);

/* The end of the run of pkts[start..n) that starts at pkts[start], which io_udp_send() sends
 * in one UDP_SEGMENT call: one flow, equal sizes but for a shorter last one, at most
 * IO_UDP_GSO_MAX bytes in all. A datagram longer than the link MTU goes alone: the kernel
 * segments no run of those, it fragments one. Data path. */
size_t io_udp_run_end(const struct io_udp *u, struct pkt *const *pkts, size_t start, size_t n);

/* How many UDP_SEGMENT calls io_udp_send() makes for pkts[0..n), each one that io_udp_takes().
 * Data path. */
size_t io_udp_runs(const struct io_udp *u, struct pkt *const *pkts, size_t n);

/* Receive up to n ESP packets (from the SPI on, at off PKT_HEADROOM) with their meta, from
 * the super-datagram being cut or the sockets, without waiting. Returns how many. Data path:
 * the receiving thread. */
size_t io_udp_recv(struct io_udp *u, struct pkt *pkts, struct esp_meta *meta, size_t n);

/* The receiving thread, before it waits: the descriptors to poll (the wake-up eventfd first,
 * then the sockets), at most 1 + IO_UDP_PORTS_MAX; acknowledges the set it polls. Returns the
 * count. */
size_t io_udp_pollfds(struct io_udp *u, int *fds);

/* The receiving thread, after its poll: consume a wake-up. */
void io_udp_woken(struct io_udp *u);

#endif
