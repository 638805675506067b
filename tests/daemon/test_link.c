// SPDX-License-Identifier: MIT
/* The link-layer ESP paths (dataplane/nexthop.c, io_esp.c, io_ring.c) between two network
 * namespaces of their own joined by a veth pair (root; removed afterwards):
 * - the next-hop table: a pair is in it once asked for; unresolved neighbour, local and
 *   unreachable destinations go to the kernel's IP output; once the neighbour resolves (the
 *   kernel's notice rebuilds the table), the entry holds the interface, its MTU and the Ethernet
 *   header (peer's MAC, ours, 0x86dd); a destination behind a router gets the router's MAC; 64
 *   peers each behind its own neighbour are all served, and a neighbour's new MAC is followed
 *   at the next tick; pairs nobody uses are forgotten;
 * - sending: the first packets to a new peer take the raw socket (and start neighbour
 *   discovery), the following ones, once the control side has resolved the pair they asked
 *   for, the packet socket, and all arrive, in order;
 * - the receive ring: ESP to its destinations arrives with addresses, hop limit and traffic
 *   class; ESP to another address, ESP with a payload longer than IO_RING_PLEN_MAX, and
 *   non-ESP are not taken; a packet to a destination added later is taken;
 * - a packet the kernel refuses (no route) is reported, the rest of its burst still goes;
 * - ESP in UDP: a run of equal-sized ESP packets (and a shorter last one) leaves in one
 *   UDP_SEGMENT send and arrives as one super-datagram, cut into the same packets with their
 *   addresses, ports, hop limit and traffic class; a run fills a datagram up to the largest a
 *   link takes whole; segments of the size the receiver expects arrive in the packet buffers
 *   directly, others (a size that changed, a datagram longer) through its receive buffer,
 *   alike; what is not ESP on the port (a zero SPI, a keep-alive, too short) is dropped and
 *   counted, wherever it arrives; a zero UDP checksum is taken, a wrong one is not; ports
 *   come and go. */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/udp.h>

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <urcu/urcu-memb.h>

#include <cmocka.h>

#include "gso.h"
#include "io_esp.h"
#include "io_ring.h"
#include "io_udp.h"
#include "ipsec6/bytes.h"
#include "nexthop.h"
#include "snap.h"

#define T_A       "2001:db8:9::1"
#define T_B       "2001:db8:9::2"
#define T_B2      "2001:db8:9::3"  /* also B's, not a ring destination at first */
#define T_FAR     "2001:db8:77::5" /* behind B */
#define T_NOWHERE "2001:db8:99::1"
#define T_MARK    0x69700002u
#define T_BUF     (PKT_HEADROOM + 4096 + PKT_TAILROOM)
#define T_N       8

static char ns_a[32], ns_b[32];
static int fd_a, fd_b, fd_self;
static uint8_t bufs[2 * T_N][T_BUF];

__attribute__((format(printf, 1, 2))) static void
run(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	/* ip(8) builds the namespaces; the test is one thread. */
	// NOLINTNEXTLINE(cert-env33-c,concurrency-mt-unsafe)
	if (system(cmd) != 0)
		fail_msg("command failed: %s", cmd);
}

static void
enter(int fd)
{
	assert_int_equal(setns(fd, CLONE_NEWNET), 0);
}

static int
open_ns(const char *name)
{
	char path[64];
	int fd;

	(void)snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	return fd;
}

static uint64_t
now_ns(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void
addr(const char *text, uint8_t *out)
{
	assert_int_equal(inet_pton(AF_INET6, text, out), 1);
}

static void
mac_of(const char *ns, const char *dev, uint8_t *mac)
{
	char cmd[128], line[64], *p = line;
	FILE *f;

	(void)snprintf(cmd, sizeof(cmd), "ip netns exec %s cat /sys/class/net/%s/address", ns, dev);
	// NOLINTNEXTLINE(cert-env33-c): the file is in the namespace's own sysfs view
	f = popen(cmd, "r");
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof(line), f));
	(void)pclose(f);
	for (int i = 0; i < 6; i++) {
		char *end;
		unsigned long v = strtoul(p, &end, 16);

		assert_true(end != p && v <= 0xff && *end == (i < 5 ? ':' : '\n'));
		mac[i] = (uint8_t)v;
		p = end + 1;
	}
}

/* An ESP packet src -> dst (next header 50) with an ESP payload of plen bytes: SPI, then tag
 * as the sequence number, then filler. */
static void
esp_pkt(struct pkt *p, uint8_t *buf, const char *src, const char *dst, uint32_t plen, uint32_t tag)
{
	uint8_t *ip6;

	*p = (struct pkt){ buf, T_BUF, PKT_HEADROOM, IPV6_HDR_LEN + plen };
	ip6 = pkt_data(p);
	memset(ip6, 0, p->len);
	ip6[0] = 0x6a; /* version 6, traffic class 0xa5 */
	ip6[1] = 0x50;
	store_be16(ip6 + 4, (uint16_t)plen);
	ip6[6] = 50;
	ip6[7] = 33;
	addr(src, ip6 + 8);
	addr(dst, ip6 + 24);
	store_be32(ip6 + 40, 0x1234);
	store_be32(ip6 + 44, tag);
}

/* Take from the ring until want packets came or a second passed. */
static size_t
ring_take(struct io_ring *r, struct pkt *pkts, struct esp_meta *meta, size_t want)
{
	size_t got = 0;

	for (int i = 0; i < 100 && got < want; i++) {
		got += io_ring_take(r, pkts + got, meta + got, want - got);
		if (got < want)
			(void)usleep(10000);
	}
	return got;
}

static void
rx_bufs(struct pkt *pkts, size_t n)
{
	for (size_t i = 0; i < n; i++)
		pkts[i] = (struct pkt){ bufs[T_N + i], T_BUF, 0, 0 };
}

static int
setup(void **state)
{
	pid_t pid = getpid();

	(void)state;
	(void)snprintf(ns_a, sizeof(ns_a), "i6t%d-a", (int)pid);
	(void)snprintf(ns_b, sizeof(ns_b), "i6t%d-b", (int)pid);
	fd_self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	assert_true(fd_self >= 0);
	run("ip netns add %s && ip netns add %s", ns_a, ns_b);
	run("ip link add va netns %s type veth peer name vb netns %s", ns_a, ns_b);
	run("ip -n %s addr add %s/64 dev va nodad && ip -n %s link set va up && "
	    "ip -n %s link set lo up",
	    ns_a, T_A, ns_a, ns_a);
	run("ip -n %s addr add %s/64 dev vb nodad && ip -n %s addr add %s/64 dev vb nodad && "
	    "ip -n %s link set vb mtu 4000 && ip -n %s link set vb up",
	    ns_b, T_B, ns_b, T_B2, ns_b, ns_b);
	run("ip -n %s link set va mtu 4000 && ip -n %s route add 2001:db8:77::/64 via %s", ns_a,
	    ns_a, T_B);
	/* Until the carrier is up the addresses stay tentative (see tests/e2e/lib.sh). */
	run("for i in $(seq 100); do ip -n %s -6 addr show tentative | grep -q inet6 || "
	    "ip -n %s -6 addr show tentative | grep -q inet6 || exit 0; sleep 0.05; done; exit 1",
	    ns_a, ns_b);
	fd_a = open_ns(ns_a);
	fd_b = open_ns(ns_b);
	urcu_memb_register_thread();
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	urcu_memb_unregister_thread();
	enter(fd_self);
	close(fd_a);
	close(fd_b);
	close(fd_self);
	run("ip netns del %s; ip netns del %s", ns_a, ns_b);
	return 0;
}

/* What the published table says of (src, dst): NULL if absent. */
static struct nexthop
table_entry(struct nexthops *h, const uint8_t *src, const uint8_t *dst, bool *found)
{
	struct nexthop copy = { .present = false };
	const struct nexthop *e;

	snap_read_lock();
	e = nexthops_lookup(h, src, dst);
	*found = e != NULL;
	if (e != NULL) {
		copy.pair = e->pair;
		copy.present = e->present;
		copy.usable = e->usable;
		copy.ifindex = e->ifindex;
		copy.mtu = e->mtu;
		memcpy(copy.eth, e->eth, sizeof(copy.eth));
	}
	snap_read_unlock();
	return copy;
}

/* Ask for (src, dst), let the control side tick at now, and return the entry (present). */
static struct nexthop
asked(struct nexthops *h, const uint8_t *src, const uint8_t *dst, uint64_t now)
{
	bool found;
	struct nexthop e;

	nexthops_ask(h, src, dst);
	nexthops_tick(h, now);
	e = table_entry(h, src, dst, &found);
	assert_true(found);
	return e;
}

static void
test_nexthop(void **state)
{
	struct nexthops h;
	struct err err = { "" };
	uint8_t a[16], b[16], far[16], nowhere[16], mac_a[6], mac_b[6], peer[16];
	struct nexthop nh;
	uint64_t t = now_ns();
	bool found;

	(void)state;
	addr(T_A, a);
	addr(T_B, b);
	addr(T_FAR, far);
	addr(T_NOWHERE, nowhere);
	mac_of(ns_a, "va", mac_a);
	mac_of(ns_b, "vb", mac_b);
	enter(fd_a);
	assert_int_equal(nexthops_init(&h, T_MARK, &err), 0);

	(void)table_entry(&h, a, b, &found);
	assert_false(found);                           /* nobody asked */
	assert_false(asked(&h, a, b, t).usable);       /* no neighbour entry yet */
	assert_false(asked(&h, a, a, t).usable);       /* local */
	assert_false(asked(&h, a, nowhere, t).usable); /* no route */

	/* The neighbour resolves: the kernel's notice rebuilds the table at the next tick. */
	run("ip netns exec %s ping -6 -c 1 -W 2 %s >/dev/null", ns_a, T_B);
	nexthops_tick(&h, t);
	nh = table_entry(&h, a, b, &found);
	assert_true(found && nh.usable);
	assert_int_equal(nh.ifindex, (int)if_nametoindex("va"));
	assert_int_equal(nh.mtu, 4000);
	assert_memory_equal(nh.eth, mac_b, 6);
	assert_memory_equal(nh.eth + 6, mac_a, 6);
	assert_int_equal(load_be16(nh.eth + 12), 0x86dd);
	nh = asked(&h, a, far, t);
	assert_true(nh.usable); /* through the router B, whose address is resolved */
	assert_memory_equal(nh.eth, mac_b, 6);

	/* 64 peers at once, each behind a neighbour of its own. */
	for (int i = 0; i < 64; i++)
		run("ip -n %s -6 neigh add 2001:db8:9::1:%x lladdr 02:00:00:00:01:%02x dev va "
		    "nud permanent",
		    ns_a, i, i);
	for (int i = 0; i < 64; i++) {
		addr(T_A, a);
		addr("2001:db8:9::1:0", peer);
		peer[15] = (uint8_t)i;
		nexthops_ask(&h, a, peer);
	}
	nexthops_tick(&h, t);
	for (int i = 0; i < 64; i++) {
		peer[15] = (uint8_t)i;
		nh = table_entry(&h, a, peer, &found);
		assert_true(found && nh.usable);
		assert_int_equal(nh.eth[5], i);
		assert_int_equal(nh.eth[0], 0x02);
	}
	/* A neighbour's new address is followed at the next tick, not a second later. */
	run("ip -n %s -6 neigh replace 2001:db8:9::1:7 lladdr 02:00:00:00:02:07 dev va "
	    "nud permanent",
	    ns_a);
	nexthops_tick(&h, t + 1);
	peer[15] = 7;
	nh = table_entry(&h, a, peer, &found);
	assert_true(found && nh.usable);
	assert_int_equal(nh.eth[4], 0x02);

	/* A Packet Too Big lowers its destination's path MTU at the next tick, for every source;
	 * only lowers it, never below 1280, and others keep their interface's. */
	assert_true(nexthops_learn_pmtu(&h, b, 1400, t));
	assert_false(nexthops_learn_pmtu(&h, b, 1450, t));
	nexthops_tick(&h, t + 2);
	assert_int_equal(table_entry(&h, a, b, &found).mtu, 1400);
	assert_int_equal(table_entry(&h, a, far, &found).mtu, 4000);
	assert_true(nexthops_learn_pmtu(&h, b, 600, t));
	nexthops_tick(&h, t + 3);
	assert_int_equal(table_entry(&h, a, b, &found).mtu, 1280);
	/* Learnt for 64 other destinations: b's, the soonest forgotten, gives its place. */
	for (int i = 0; i < (int)NEXTHOP_PMTUS; i++) {
		peer[15] = (uint8_t)i;
		assert_true(nexthops_learn_pmtu(&h, peer, 1300, t + 4 + (uint64_t)i));
	}
	nexthops_tick(&h, t + 4);
	assert_int_equal(table_entry(&h, a, b, &found).mtu, 4000);
	peer[15] = 7;
	assert_int_equal(table_entry(&h, a, peer, &found).mtu, 1300);
	/* Forgotten after NEXTHOP_PMTU_NS: the interface's MTU is tried again. */
	assert_int_equal(asked(&h, a, peer, t + 4 + NEXTHOP_PMTU_NS + 64).mtu, 4000);

	/* Pairs nobody sent to for NEXTHOP_IDLE_NS are forgotten. */
	nexthops_tick(&h, t + NEXTHOP_PMTU_NS + NEXTHOP_IDLE_NS + 100);
	(void)table_entry(&h, a, b, &found);
	assert_false(found);
	(void)table_entry(&h, a, peer, &found);
	assert_false(found);
	nexthops_fini(&h);
	enter(fd_self);
}

static void
test_send_receive(void **state)
{
	struct io_esp esp;
	struct io_ring ring;
	struct err err = { "" };
	struct pkt out[T_N], in[T_N];
	struct pkt *send[T_N];
	struct esp_meta meta[T_N];
	struct in6_addr dst;
	uint8_t a[16];
	bool asked_for;

	(void)state;
	addr(T_A, a);
	enter(fd_b);
	assert_int_equal(io_ring_open(&ring, &err), 0);
	addr(T_B, dst.s6_addr);
	io_ring_set_dsts(&ring, &dst, 1);
	enter(fd_a);
	assert_int_equal(io_esp_open(T_MARK, 100, &esp, &err), 0);
	assert_true(esp.link >= 0);
	enter(fd_self);
	/* The first packet to B takes the raw socket, the others (once the next hop is known)
	 * the packet socket: all arrive, in order, as sent. */
	for (int round = 0; round < 3; round++) {
		for (uint32_t i = 0; i < T_N; i++) {
			esp_pkt(&out[i], bufs[i], T_A, T_B, 64 + i, (uint32_t)round * T_N + i);
			send[i] = &out[i];
		}
		assert_int_equal(io_esp_send_burst(&esp, send, T_N), T_N);
		rx_bufs(in, T_N);
		assert_int_equal(ring_take(&ring, in, meta, T_N), T_N);
		for (uint32_t i = 0; i < T_N; i++) {
			assert_int_equal(in[i].len, 64 + i);
			assert_int_equal(
			    load_be32(pkt_data(&in[i]) + 4), (uint32_t)round * T_N + i);
			assert_memory_equal(&meta[i].src, a, 16);
			assert_memory_equal(&meta[i].dst, &dst, 16);
			assert_int_equal(meta[i].hop_limit, 33);
			assert_int_equal(meta[i].tclass, 0xa5);
		}
		if (round == 0)
			io_esp_tick(
			    &esp, NULL, now_ns()); /* the control side resolves what was asked */
	}
	snap_read_lock();
	assert_true(nexthops_lookup(&esp.nh, a, dst.s6_addr)->usable);
	snap_read_unlock();

	/* Not for the ring: another of B's addresses, a payload too long, not ESP. */
	esp_pkt(&out[0], bufs[0], T_A, T_B2, 64, 100);
	esp_pkt(&out[1], bufs[1], T_A, T_B, IO_RING_PLEN_MAX + 1, 101);
	esp_pkt(&out[2], bufs[2], T_A, T_B, 64, 102);
	pkt_data(&out[2])[6] = 59; /* no next header */
	esp_pkt(&out[3], bufs[3], T_A, T_B, IO_RING_PLEN_MAX, 103);
	for (int i = 0; i < 4; i++)
		send[i] = &out[i];
	assert_int_equal(io_esp_send_burst(&esp, send, 4), 4);
	rx_bufs(in, T_N);
	assert_int_equal(ring_take(&ring, in, meta, T_N), 1);
	assert_int_equal(load_be32(pkt_data(&in[0]) + 4), 103);

	/* The kernel refuses a packet without a route; the burst goes on, the refusal counts. */
	esp_pkt(&out[0], bufs[0], T_A, T_NOWHERE, 64, 105);
	esp_pkt(&out[1], bufs[1], T_A, T_B, 64, 106);
	assert_int_equal(io_esp_send_burst(&esp, send, 2), 1);
	rx_bufs(in, T_N);
	assert_int_equal(ring_take(&ring, in, meta, 1), 1);
	assert_int_equal(load_be32(pkt_data(&in[0]) + 4), 106);

	/* A destination added later is taken from then on. */
	addr(T_B2, dst.s6_addr);
	io_ring_set_dsts(&ring, &dst, 1);
	esp_pkt(&out[0], bufs[0], T_A, T_B2, 64, 104);
	assert_int_equal(io_esp_send_burst(&esp, send, 1), 1);
	rx_bufs(in, T_N);
	assert_int_equal(ring_take(&ring, in, meta, 1), 1);
	assert_int_equal(load_be32(pkt_data(&in[0]) + 4), 104);
	assert_int_equal(io_ring_drops(&ring), 0);

	/* A pair whose first packet in a burst passes in the clear (no ask for it) is still asked
	 * for by its ESP behind it: the next tick resolves it. */
	esp_pkt(&out[0], bufs[0], T_A, T_FAR, 64, 107);
	pkt_data(&out[0])[6] = 59; /* no next header: what a clear packet is to the link path */
	esp_pkt(&out[1], bufs[1], T_A, T_FAR, 64, 108);
	assert_int_equal(io_esp_send_burst(&esp, send, 2), 2);
	io_esp_tick(&esp, NULL, now_ns());
	addr(T_FAR, dst.s6_addr);
	snap_read_lock();
	asked_for = nexthops_lookup(&esp.nh, a, dst.s6_addr) != NULL;
	snap_read_unlock();
	assert_true(asked_for);

	io_esp_close(&esp);
	io_ring_close(&ring);
}

/* An ESP-in-UDP packet src:sport -> dst:dport: IPv6, UDP, then ESP of esp_len bytes (SPI 0x1234,
 * tag as the sequence number, then filler). */
static void
udp_esp_pkt(
    struct pkt *p, uint8_t *buf, uint16_t sport, uint16_t dport, uint32_t esp_len, uint32_t tag)
{
	uint8_t *ip6;

	esp_pkt(p, buf, T_A, T_B, IO_UDP_HDR_LEN + esp_len, tag);
	ip6 = pkt_data(p);
	ip6[6] = 17;
	store_be16(ip6 + 40, sport);
	store_be16(ip6 + 42, dport);
	store_be16(ip6 + 44, (uint16_t)(IO_UDP_HDR_LEN + esp_len));
	store_be16(ip6 + 46, 0);
	store_be32(ip6 + 48, 0x1234);
	store_be32(ip6 + 52, tag);
	for (uint32_t i = 8; i < esp_len; i++)
		ip6[48 + i] = (uint8_t)(tag + i);
}

/* The UDP checksum of a packet of udp_esp_pkt() (RFC 8200 section 8.1: over the pseudo-header,
 * the UDP header with a zero checksum field, and the payload), as it goes in the field. */
static uint16_t
udp_csum(const struct pkt *p)
{
	const uint8_t *ip6 = pkt_data(p);
	uint16_t len = load_be16(ip6 + 44), csum;
	uint8_t pseudo[8] = { 0 };
	uint64_t sum;

	store_be32(pseudo, len);
	pseudo[7] = 17;
	sum = gso_csum_add(0, ip6 + 8, 32);
	sum = gso_csum_add(sum, pseudo, sizeof(pseudo));
	sum = gso_csum_add(sum, ip6 + 40, 6); /* the header, without its checksum field */
	sum = gso_csum_add(sum, ip6 + 48, len - 8u);
	csum = gso_csum_fold(sum);
	return csum == 0 ? 0xffff : csum; /* RFC 768: a computed zero is sent as all ones */
}

/* Send p from namespace ns through a raw socket, exactly as it is but for its UDP checksum. */
static void
udp_raw_send(int ns, struct pkt *p, uint16_t csum)
{
	struct sockaddr_in6 to = { .sin6_family = AF_INET6 };
	int fd;

	enter(ns);
	fd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
	enter(fd_self);
	assert_true(fd >= 0);
	memcpy(pkt_data(p) + 46, &csum, sizeof(csum));
	memcpy(&to.sin6_addr, pkt_data(p) + 24, 16);
	assert_int_equal(
	    sendto(fd, pkt_data(p), p->len, 0, (const struct sockaddr *)&to, sizeof(to)),
	    (ssize_t)p->len);
	(void)close(fd);
}

/* Receive on u until want packets came or a second passed. */
static size_t
udp_take(struct io_udp *u, struct pkt *pkts, struct esp_meta *meta, size_t want)
{
	size_t got = 0;

	for (int i = 0; i < 100 && got < want; i++) {
		got += io_udp_recv(u, pkts + got, meta + got, want - got);
		if (got < want)
			(void)usleep(10000);
	}
	return got;
}

static void
test_udp(void **state)
{
	static uint8_t big[IO_UDP_SEGS_MAX + 1][T_BUF];
	static struct pkt out[IO_UDP_SEGS_MAX + 1], in[IO_UDP_SEGS_MAX + 1];
	struct pkt *send[IO_UDP_SEGS_MAX + 1];
	struct esp_meta meta[IO_UDP_SEGS_MAX + 1];
	int refused[IO_UDP_SEGS_MAX + 1];
	struct io_udp ua, ub;
	struct err err = { "" };
	uint16_t port = 4500, other = 4501;
	uint8_t a[16], b[16];
	size_t n = 41;

	(void)state;
	addr(T_A, a);
	addr(T_B, b);
	enter(fd_b);
	assert_int_equal(io_udp_init(&ub, T_MARK, &err), 0);
	assert_int_equal(io_udp_set_ports(&ub, &port, 1, &err), 0);
	enter(fd_a);
	assert_int_equal(io_udp_init(&ua, T_MARK, &err), 0);
	assert_int_equal(io_udp_set_ports(&ua, (uint16_t[]){ port, port }, 2, &err), 0);
	enter(fd_self);

	/* 40 packets of one size and a shorter last one: one send, one super-datagram. */
	for (uint32_t i = 0; i < n; i++) {
		udp_esp_pkt(&out[i], big[i], port, port, i + 1 < n ? 1200 : 700, 1000 + i);
		send[i] = &out[i];
	}
	snap_read_lock();
	assert_true(io_udp_takes(&ua, &out[0]));
	assert_int_equal(io_udp_send(&ua, send, n, refused), 0);
	snap_read_unlock();
	for (size_t i = 0; i < n; i++)
		in[i] = (struct pkt){ big[i], T_BUF, 0, 0 };
	assert_int_equal(udp_take(&ub, in, meta, n), n);
	/* The last datagram came cut from one of 1200-byte segments: the whole run was one. */
	assert_int_equal(ub.seg, 1200);
	assert_int_equal(ub.len, 40 * 1200 + 700);
	for (uint32_t i = 0; i < n; i++) {
		assert_int_equal(in[i].len, i + 1 < n ? 1200 : 700);
		assert_int_equal(load_be32(pkt_data(&in[i])), 0x1234);
		assert_int_equal(load_be32(pkt_data(&in[i]) + 4), 1000 + i);
		assert_int_equal(pkt_data(&in[i])[100], (uint8_t)(1000 + i + 100));
		assert_memory_equal(&meta[i].src, a, 16);
		assert_memory_equal(&meta[i].dst, b, 16);
		assert_int_equal(meta[i].encap_sport, port);
		assert_int_equal(meta[i].encap_dport, port);
		assert_int_equal(meta[i].hop_limit, 33);
		assert_int_equal(meta[i].tclass, 0xa5);
	}

	/* A run fills a datagram up to IO_UDP_GSO_MAX: 44 segments of 1460 bytes and one of 1233,
	 * with 48 bytes of headers, go in one send and arrive as one; a byte more starts the next
	 * run. */
	for (uint32_t i = 0; i < 45; i++) {
		udp_esp_pkt(&out[i], big[i], port, port, i < 44 ? 1460 : 1234, 2000 + i);
		send[i] = &out[i];
	}
	assert_int_equal(io_udp_runs(&ua, send, 45), 2);
	out[44].len--;
	assert_int_equal(io_udp_runs(&ua, send, 45), 1);
	snap_read_lock();
	assert_int_equal(io_udp_send(&ua, send, 45, refused), 0);
	snap_read_unlock();
	for (size_t i = 0; i < 45; i++)
		in[i] = (struct pkt){ big[i], T_BUF, 0, 0 };
	assert_int_equal(udp_take(&ub, in, meta, 45), 45);
	assert_int_equal(ub.seg, 1460);
	assert_int_equal(48 + ub.len, IO_UDP_GSO_MAX);
	assert_int_equal(in[44].len, 1233);
	assert_int_equal(load_be32(pkt_data(&in[44]) + 4), 2044);

	/* The receiver now expects 1460-byte segments and takes them into the packet buffers
	 * directly: 20 of them asked 8 at a time (the rest of the datagram is cut from the
	 * receive buffer), one with a zero SPI among them left out, then a datagram longer than
	 * the guess and one with other segments, which go back through the receive buffer. */
	for (uint32_t i = 0; i < 20; i++)
		udp_esp_pkt(&out[i], big[i], port, port, 1460, 3000 + i);
	store_be32(pkt_data(&out[3]) + 48, 0);
	udp_esp_pkt(&out[20], big[20], port, port, 2000, 3020);
	for (uint32_t i = 21; i < 24; i++)
		udp_esp_pkt(&out[i], big[i], port, port, 900, 3000 + i);
	snap_read_lock();
	assert_int_equal(io_udp_runs(&ua, send, 24), 3);
	assert_int_equal(io_udp_send(&ua, send, 24, refused), 0);
	snap_read_unlock();
	for (size_t i = 0; i < 23; i++)
		in[i] = (struct pkt){ big[i], T_BUF, 0, 0 };
	ub.not_esp = 0;
	assert_int_equal(udp_take(&ub, in, meta, 7), 7);
	assert_int_equal(ub.guess, 1460);
	assert_int_equal(udp_take(&ub, in + 7, meta + 7, 16), 16);
	for (uint32_t i = 0, tag = 3000; i < 23; i++, tag += tag == 3002 ? 2 : 1) {
		assert_int_equal(in[i].off, PKT_HEADROOM);
		assert_int_equal(in[i].len, tag < 3020 ? 1460 : tag == 3020 ? 2000 : 900);
		assert_int_equal(load_be32(pkt_data(&in[i])), 0x1234);
		assert_int_equal(load_be32(pkt_data(&in[i]) + 4), tag);
		assert_int_equal(pkt_data(&in[i])[in[i].len - 1], (uint8_t)(tag + in[i].len - 1));
		assert_int_equal(meta[i].encap_sport, port);
	}
	assert_int_equal(ub.not_esp, 1);
	assert_int_equal(ub.guess, 900);
	ub.not_esp = 0;
	/* Segments of the size expected and a shorter last: each in its packet directly. */
	for (uint32_t i = 0; i < 3; i++)
		udp_esp_pkt(&out[i], big[i], port, port, i < 2 ? 900 : 500, 4000 + i);
	snap_read_lock();
	assert_int_equal(io_udp_send(&ua, send, 3, refused), 0);
	snap_read_unlock();
	for (size_t i = 0; i < 3; i++)
		in[i] = (struct pkt){ big[i], T_BUF, 0, 0 };
	assert_int_equal(udp_take(&ub, in, meta, 3), 3);
	for (uint32_t i = 0; i < 3; i++) {
		assert_int_equal(in[i].len, i < 2 ? 900 : 500);
		assert_int_equal(load_be32(pkt_data(&in[i]) + 4), 4000 + i);
		assert_int_equal(
		    pkt_data(&in[i])[in[i].len - 1], (uint8_t)(4000 + i + in[i].len - 1));
	}
	assert_int_equal(ub.len, 0); /* nothing went through the receive buffer */

	/* Not ESP: a zero SPI (the non-ESP marker), a keep-alive, a short datagram. */
	udp_esp_pkt(&out[0], big[0], port, port, 100, 1);
	store_be32(pkt_data(&out[0]) + 48, 0);
	udp_esp_pkt(&out[1], big[1], port, port, 100, 2);
	out[1].len = 40 + 8 + 1; /* the keep-alive's one byte */
	pkt_data(&out[1])[48] = 0xff;
	udp_esp_pkt(&out[2], big[2], port, port, 100, 3);
	out[2].len = 40 + 8 + 7;
	udp_esp_pkt(&out[3], big[3], port, port, 100, 4); /* and one that is */
	snap_read_lock();
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(io_udp_send(&ua, &send[i], 1, refused), 0);
	snap_read_unlock();
	for (size_t i = 0; i < n; i++)
		in[i] = (struct pkt){ big[i], T_BUF, 0, 0 };
	assert_int_equal(udp_take(&ub, in, meta, 1), 1);
	assert_int_equal(load_be32(pkt_data(&in[0]) + 4), 4);
	assert_int_equal(ub.not_esp, 3);

	/* Checksums (RFC 6935 section 5): a datagram with a wrong non-zero checksum is dropped by
	 * the kernel, one with checksum 0 (as RFC 3948 senders write it) is taken, like one with
	 * the right checksum; the sockets send real checksums (no UDP_NO_CHECK6_TX). */
	for (uint32_t i = 0; i < 3; i++)
		udp_esp_pkt(&out[i], big[i], port, port, 100, 6 + i);
	assert_int_not_equal(udp_csum(&out[0]) ^ 0x0101, 0);
	udp_raw_send(fd_a, &out[0], (uint16_t)(udp_csum(&out[0]) ^ 0x0101));
	udp_raw_send(fd_a, &out[1], 0);
	udp_raw_send(fd_a, &out[2], udp_csum(&out[2]));
	for (size_t i = 0; i < 3; i++)
		in[i] = (struct pkt){ big[i], T_BUF, 0, 0 };
	assert_int_equal(udp_take(&ub, in, meta, 3), 2);
	assert_int_equal(load_be32(pkt_data(&in[0]) + 4), 7);
	assert_int_equal(load_be32(pkt_data(&in[1]) + 4), 8);
	assert_int_equal(ub.not_esp, 3);
	for (int i = 0, v = -1; i < 2; i++, v = -1) {
		socklen_t vlen = sizeof(v);
		int fd = atomic_load(i == 0 ? &ua.socks : &ub.socks)->fd[0];

		assert_int_equal(getsockopt(fd, IPPROTO_UDP, UDP_NO_CHECK6_TX, &v, &vlen), 0);
		assert_int_equal(v, 0);
		assert_int_equal(getsockopt(fd, IPPROTO_UDP, UDP_NO_CHECK6_RX, &v, &vlen), 0);
		assert_int_equal(v, 1);
	}

	/* Ports come and go: a port nobody uses any more is closed once the receiver has moved
	 * on; a packet from a port without a socket is not taken. */
	enter(fd_b);
	assert_int_equal(io_udp_set_ports(&ub, &other, 1, &err), 0);
	enter(fd_self);
	assert_int_equal(ub.nclosing, 1);
	(void)io_udp_recv(&ub, in, meta, 1); /* the receiver takes the new set */
	io_udp_tick(&ub);
	assert_int_equal(ub.nclosing, 0);
	udp_esp_pkt(&out[0], big[0], other, other, 100, 5);
	snap_read_lock();
	assert_false(io_udp_takes(&ua, &out[0]));
	snap_read_unlock();

	io_udp_fini(&ua);
	io_udp_fini(&ub);
}

/* ipsec6d in a (sending) through a 1400-byte interface, narrower than the link MTU it was given,
 * its pairs not in the next-hop table yet; in b a raw ESP socket and ESP in UDP on port. */
struct narrow {
	struct io_esp esp;
	struct io_udp ub;
	int rx;
};

static void
narrow_open(struct narrow *n, uint16_t port)
{
	struct timeval tv = { 1, 0 };
	struct err err = { "" };

	run("ip -n %s link set va mtu 1400", ns_a);
	enter(fd_b);
	n->rx = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, 50);
	assert_true(n->rx >= 0);
	assert_int_equal(setsockopt(n->rx, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), 0);
	assert_int_equal(io_udp_init(&n->ub, T_MARK, &err), 0);
	assert_int_equal(io_udp_set_ports(&n->ub, &port, 1, &err), 0);
	enter(fd_a);
	assert_int_equal(io_esp_open(T_MARK, 100, &n->esp, &err), 0);
	assert_int_equal(io_udp_set_ports(&n->esp.udp, &port, 1, &err), 0);
	enter(fd_self);
}

static void
narrow_close(struct narrow *n)
{
	io_esp_close(&n->esp);
	io_udp_fini(&n->ub);
	(void)close(n->rx);
	run("ip -n %s link set va mtu 4000", ns_a);
}

/* Before its pair is in the next-hop table, a packet longer than its interface (narrower than
 * the link MTU ipsec6d was given, as PPPoE's or a tunnel's) is refused by the kernel: it leaves
 * in fragments of 1280 bytes instead, and arrives whole; plain ESP (EMSGSIZE from the raw
 * socket) and ESP in UDP (EMSGSIZE or EINVAL from a UDP_SEGMENT run of such packets, its UDP
 * checksum then ipsec6d's). */
static void
test_first_packets_longer_than_interface(void **state)
{
	static uint8_t big[2][T_BUF], got[T_BUF];
	struct pkt out[2], in[2];
	struct pkt *send[2] = { &out[0], &out[1] };
	struct esp_meta meta[2];
	struct narrow n;
	uint16_t port = 4500;

	(void)state;
	narrow_open(&n, port);

	esp_pkt(&out[0], big[0], T_A, T_B, 1450, 301);
	assert_int_equal(io_esp_send_burst(&n.esp, send, 1), 1);
	assert_int_equal(recv(n.rx, got, sizeof(got), 0), 1450);
	assert_int_equal(load_be32(got + 4), 301);

	udp_esp_pkt(&out[0], big[0], port, port, 1420, 302);
	udp_esp_pkt(&out[1], big[1], port, port, 1420, 303);
	assert_int_equal(io_esp_send_burst(&n.esp, send, 2), 2);
	for (size_t i = 0; i < 2; i++)
		in[i] = (struct pkt){ big[i], T_BUF, 0, 0 };
	assert_int_equal(udp_take(&n.ub, in, meta, 2), 2);
	assert_int_equal(in[0].len, 1420);
	assert_int_equal(load_be32(pkt_data(&in[0]) + 4), 302);
	assert_int_equal(load_be32(pkt_data(&in[1]) + 4), 303);

	narrow_close(&n);
}

/* A UDP_SEGMENT run refused as longer than its interface may end with a shorter packet (a
 * flow's full segments, then its last short one): that one fits and leaves again alone, after
 * the longer ones' fragments; and the run goes again before the flow's next run leaves, which
 * keeps its packets' order (a run of 1420, 1420 and 200 bytes, then one of 200 and 200). */
static void
test_refused_run_keeps_order(void **state)
{
	static uint8_t big[5][T_BUF];
	static const uint32_t esp_len[5] = { 1420, 1420, 200, 200, 200 };
	struct pkt out[5], in[5];
	struct pkt *send[5] = { &out[0], &out[1], &out[2], &out[3], &out[4] };
	struct esp_meta meta[5];
	struct narrow n;
	uint16_t port = 4500;

	(void)state;
	narrow_open(&n, port);

	for (size_t i = 0; i < 5; i++)
		udp_esp_pkt(&out[i], big[i], port, port, esp_len[i], 331 + (uint32_t)i);
	assert_int_equal(io_esp_send_burst(&n.esp, send, 5), 5);
	for (size_t i = 0; i < 5; i++)
		in[i] = (struct pkt){ big[i], T_BUF, 0, 0 };
	assert_int_equal(udp_take(&n.ub, in, meta, 5), 5);
	for (size_t i = 0; i < 5; i++) {
		assert_int_equal(in[i].len, esp_len[i]);
		assert_int_equal(load_be32(pkt_data(&in[i]) + 4), 331 + i);
	}

	narrow_close(&n);
}

/* Before its pair is in the next-hop table, a packet longer than the link MTU ipsec6d was given
 * (1500) leaves in fragments of that size, which a narrower interface refuses: they go again in
 * fragments of 1280 bytes, and the packet arrives whole. */
static void
test_first_fragments_longer_than_interface(void **state)
{
	static uint8_t big[T_BUF], got[T_BUF];
	struct pkt out;
	struct pkt *send[1] = { &out };
	struct narrow n;

	(void)state;
	narrow_open(&n, 4500);

	esp_pkt(&out, big, T_A, T_B, 1600, 321);
	assert_int_equal(io_esp_send_burst(&n.esp, send, 1), 1);
	assert_int_equal(recv(n.rx, got, sizeof(got), 0), 1600);
	assert_int_equal(load_be32(got + 4), 321);

	narrow_close(&n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nexthop),
		cmocka_unit_test(test_send_receive),
		cmocka_unit_test(test_udp),
		cmocka_unit_test(test_first_packets_longer_than_interface),
		cmocka_unit_test(test_refused_run_keeps_order),
		cmocka_unit_test(test_first_fragments_longer_than_interface),
	};

	if (geteuid() != 0) {
		fprintf(stderr, "test_link: needs root (network namespaces)\n");
		return 77; /* skipped */
	}
	return cmocka_run_group_tests(tests, setup, teardown);
}
