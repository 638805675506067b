// SPDX-License-Identifier: MIT
/* libFuzzer harness for the ESP-in-UDP receive path (dataplane/io_udp.c: io_udp_recv(), with
 * io_udp_fill(), io_udp_keep() and io_udp_is_esp() behind it), over real sockets: once per
 * process the harness moves into a network namespace of its own (or, not allowed to, takes a
 * free port where it is), binds the port with io_udp_set_ports() and sends to it from [::1].
 *
 * The input is a list of records, each starting with a byte h:
 *   send (h < 0x80): segment size (2 bytes, big endian; 0: a plain datagram, else UDP_SEGMENT,
 *     which the receiver gets as one GRO super-datagram), payload length (2 bytes), m, then m
 *     bytes that give the first 8 bytes (SPI, sequence number) of each datagram in turn; the
 *     rest of each is filler of that send. h gives the hop limit and traffic class.
 *   receive (h >= 0x80): one io_udp_recv() of (h & 0x3f) + 1 packets with room (2 bytes) between
 *     head- and tailroom; with bit 6, a second room (2 bytes) and a byte whose bit i % 8 gives
 *     packet i the second. The last of them (or 64 packets of 64 KB) drains at the end.
 * Invariants: the packets come out in order, exactly the datagrams sent (each segment one) that
 * are ESP (RFC 3948 section 2.2: 8 bytes or more, SPI not zero) and fit the packet they come
 * into, byte for byte at PKT_HEADROOM, with the meta of their datagram; not_esp counts exactly
 * the others, ESP too long for its packet too (io_udp.h); nothing is written outside the buffers
 * (each its own allocation, for ASan). Empty datagrams are sent too: they are not ESP, counted, and
 * the datagrams behind one still come (the seed corpus/udp/f79967badb680d91e9a8c5ddd7a2f741ebf3b5f8
 * found that they were neither). */
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <net/if.h>
#include <netinet/in.h>
#include <netinet/udp.h>

#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io_udp.h"
#include "ipsec6/bytes.h"
#include "ipsec6/engine.h"

#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103
#endif

#define FZ_PORT      4500
#define FZ_SENDS_MAX 32
#define FZ_LEN_MAX   65507 /* UDP payload: what the kernel sends in one datagram at most */
#define FZ_ROOM_MAX  65535
#define FZ_COST      1024 /* receive buffer space a datagram takes beyond its bytes, at most */
#define FZ_WAIT_MS   1000 /* loopback delivers within the send; this is for a loaded machine */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A datagram sent: what io_udp_recv() is to hand over, or count as not ESP. */
struct fz_dgram {
	const uint8_t *data;
	size_t len;
	uint8_t hop_limit;
	uint8_t tclass;
};

/* One io_udp_recv() call: n packets, each with room bytes between head- and tailroom. */
struct fz_spec {
	size_t n;
	uint32_t room[ENGINE_BURST_MAX];
};

static struct {
	struct io_udp u;
	int rx; /* io_udp's socket */
	int tx; /* the sender, bound to [::1]:sport */
	uint16_t port, sport;
	size_t budget; /* bytes the receive queue holds without dropping */
	/* The datagrams sent and not yet accounted for: q[head, tail). */
	struct fz_dgram q[FZ_SENDS_MAX * IO_UDP_SEGS_MAX];
	size_t head, tail, queued;
	uint8_t payload[FZ_SENDS_MAX][FZ_LEN_MAX];
} fz;

static void
fz_fail(const char *why)
{
	fprintf(stderr, "fuzz_udp: %s\n", why);
	abort();
}

static void
fz_lo_up(void)
{
	struct ifreq ifr;
	int s = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, "lo", 3);
	if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
		fz_fail("cannot read the flags of lo");
	ifr.ifr_flags = (short)(ifr.ifr_flags | IFF_UP);
	if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
		fz_fail("cannot bring lo up");
	(void)close(s);
}

/* A UDP port nothing on [::] uses now (outside a namespace of our own). */
static uint16_t
fz_free_port(void)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6 };
	socklen_t len = sizeof(sa);
	int one = 1, s = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (s < 0 || setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) < 0 ||
	    bind(s, (const struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    getsockname(s, (struct sockaddr *)&sa, &len) < 0)
		fz_fail("cannot find a free UDP port");
	(void)close(s);
	return ntohs(sa.sin6_port);
}

/* The sender, bound to [::1] (which lo gets as it comes up) on a port of the kernel's. */
static void
fz_open_sender(void)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	socklen_t len = sizeof(sa);
	int rc = -1;

	fz.tx = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_UDP);
	for (int i = 0; fz.tx >= 0 && rc < 0 && i < 100; i++) {
		rc = bind(fz.tx, (const struct sockaddr *)&sa, sizeof(sa));
		if (rc < 0)
			(void)usleep(10000);
	}
	if (rc < 0 || getsockname(fz.tx, (struct sockaddr *)&sa, &len) < 0)
		fz_fail("cannot bind a UDP socket to [::1]");
	fz.sport = ntohs(sa.sin6_port);
}

static void
fz_setup(void)
{
	struct err err = { "" };
	int fds[1 + IO_UDP_PORTS_MAX], rcvbuf = 0;
	socklen_t len = sizeof(rcvbuf);
	int cpu = sched_getcpu();
	cpu_set_t cpus;

	/* One CPU: loopback queues each send on the sending CPU's backlog, so two sends from two
	 * CPUs could arrive out of order if the softirq were deferred. */
	CPU_ZERO(&cpus);
	CPU_SET((size_t)(cpu >= 0 ? cpu : 0), &cpus);
	(void)sched_setaffinity(0, sizeof(cpus), &cpus); /* a hint: order is the usual anyway */
	if (unshare(CLONE_NEWNET) == 0) {
		fz_lo_up();
		fz.port = FZ_PORT;
	} else {
		fz.port = fz_free_port();
	}
	if (io_udp_init(&fz.u, 0, &err) < 0 || io_udp_set_ports(&fz.u, &fz.port, 1, &err) < 0) {
		fprintf(stderr, "fuzz_udp: %s\n", err.msg);
		abort();
	}
	if (io_udp_pollfds(&fz.u, fds) != 2)
		fz_fail("io_udp has no socket");
	fz.rx = fds[1];
	if (getsockopt(fz.rx, SOL_SOCKET, SO_RCVBUF, &rcvbuf, &len) < 0 || rcvbuf <= 0)
		fz_fail("cannot read SO_RCVBUF");
	fz.budget = (size_t)rcvbuf / 4;
	fz_open_sender();
}

/* Send len bytes of payload to the port, in segments of seg bytes if seg is not 0, with
 * hop_limit and tclass. Returns whether the kernel took it. */
static bool
fz_sendmsg(uint8_t *payload, size_t len, uint16_t seg, int hop_limit, int tclass)
{
	struct sockaddr_in6 to = {
		.sin6_family = AF_INET6,
		.sin6_port = htons(fz.port),
		.sin6_addr = IN6ADDR_LOOPBACK_INIT,
	};
	struct iovec iov = { payload, len };
	_Alignas(struct cmsghdr) char cbuf[2 * CMSG_SPACE(sizeof(int)) + CMSG_SPACE(sizeof(seg))];
	struct msghdr mh = { &to, sizeof(to), &iov, 1, cbuf, sizeof(cbuf), 0 };
	struct cmsghdr *c;

	memset(cbuf, 0, sizeof(cbuf));
	c = CMSG_FIRSTHDR(&mh);
	*c = (struct cmsghdr){ CMSG_LEN(sizeof(int)), IPPROTO_IPV6, IPV6_HOPLIMIT };
	memcpy(CMSG_DATA(c), &hop_limit, sizeof(hop_limit));
	c = CMSG_NXTHDR(&mh, c);
	*c = (struct cmsghdr){ CMSG_LEN(sizeof(int)), IPPROTO_IPV6, IPV6_TCLASS };
	memcpy(CMSG_DATA(c), &tclass, sizeof(tclass));
	if (seg > 0) {
		c = CMSG_NXTHDR(&mh, c);
		*c = (struct cmsghdr){ CMSG_LEN(sizeof(seg)), IPPROTO_UDP, UDP_SEGMENT };
		memcpy(CMSG_DATA(c), &seg, sizeof(seg));
	} else {
		mh.msg_controllen = 2 * CMSG_SPACE(sizeof(int));
	}
	for (;;) {
		ssize_t r = sendmsg(fz.tx, &mh, MSG_DONTWAIT);

		if (r >= 0)
			return (size_t)r == len;
		if (errno != EINTR)
			return false;
	}
}

/* The payload of the s-th send: each datagram of step bytes starts with 8 bytes of pat in turn
 * (when there is one), the rest is filler that differs at every offset of the send and between
 * sends, so that a byte out of place shows. */
static void
fz_fill(size_t s, size_t len, size_t step, const uint8_t *pat, size_t plen)
{
	uint8_t *out = fz.payload[s];

	for (size_t i = 0; i < len; i++)
		out[i] = (uint8_t)(i * 7 + (i >> 8) * 3 + s * 29 + 1);
	for (size_t start = 0, k = 0; plen > 0 && start < len; start += step, k++) {
		for (size_t o = 0; o < 8 && start + o < len && o < step; o++)
			out[start + o] = pat[(k * 8 + o) % plen];
	}
}

/* The s-th send: kept within the kernel's limits and the receive queue's room, skipped if the
 * kernel refuses it; what it sent is queued as datagrams, one per segment. */
static void
fz_send(size_t s, uint8_t h, uint16_t seg, size_t len, const uint8_t *pat, size_t plen)
{
	uint8_t hop_limit = (uint8_t)(1 + (h & 0x3f)), tclass = (uint8_t)(h * 37);
	size_t step, nseg;

	if (len > FZ_LEN_MAX)
		len = FZ_LEN_MAX;
	if (seg > 0 && len > (size_t)seg * IO_UDP_SEGS_MAX)
		len = (size_t)seg * IO_UDP_SEGS_MAX;
	step = seg > 0 && seg < len ? seg : len;
	nseg = step > 0 ? (len + step - 1) / step : 1;
	if (fz.queued + len + nseg * FZ_COST > fz.budget)
		return;
	fz_fill(s, len, step, pat, plen);
	if (!fz_sendmsg(fz.payload[s], len, seg, hop_limit, tclass))
		return;
	for (size_t k = 0; k < nseg; k++) {
		struct fz_dgram *d = &fz.q[fz.tail++];

		d->data = fz.payload[s] + k * step;
		d->len = len - k * step < step ? len - k * step : step;
		d->hop_limit = hop_limit;
		d->tclass = tclass;
		fz.queued += d->len + FZ_COST;
	}
}

/* The next datagram sent and not yet accounted for, or NULL. */
static const struct fz_dgram *
fz_next(void)
{
	const struct fz_dgram *d;

	if (fz.head == fz.tail)
		return NULL;
	d = &fz.q[fz.head++];
	fz.queued -= d->len + FZ_COST;
	return d;
}

/* Whether d is to come out in a packet with room bytes: ESP (RFC 3948 section 2.2: what is
 * shorter than the SPI and sequence number, or has a zero SPI, is not) that fits. */
static bool
fz_taken(const struct fz_dgram *d, uint32_t room)
{
	return d->len >= 8 && load_be32(d->data) != 0 && d->len <= room;
}

static void
fz_check(const struct pkt *p, const uint8_t *buf, uint32_t size, const struct esp_meta *m,
    const struct fz_dgram *d)
{
	if (p->buf != buf || p->size != size)
		fz_fail("a packet's buffer changed");
	if (p->off != PKT_HEADROOM || p->len != d->len)
		fz_fail("a packet's offset or length is not its datagram's");
	if (memcmp(pkt_data(p), d->data, d->len) != 0)
		fz_fail("a packet's bytes are not its datagram's");
	if (memcmp(&m->src, &in6addr_loopback, sizeof(m->src)) != 0 ||
	    memcmp(&m->dst, &in6addr_loopback, sizeof(m->dst)) != 0)
		fz_fail("a packet's addresses are not [::1]");
	if (m->encap_sport != fz.sport || m->encap_dport != fz.port)
		fz_fail("a packet's UDP ports are not its datagram's");
	if (m->hop_limit != d->hop_limit || m->tclass != d->tclass)
		fz_fail("a packet's hop limit or traffic class is not its datagram's");
}

/* One io_udp_recv() as sp says, checked against the datagrams sent. Returns how many came. */
static size_t
fz_recv(const struct fz_spec *sp)
{
	struct pkt *pkts = malloc(sp->n * sizeof(*pkts));
	struct esp_meta *meta = malloc(sp->n * sizeof(*meta));
	uint8_t *bufs[ENGINE_BURST_MAX];
	uint64_t before = fz.u.not_esp, counted;
	size_t got, drops = 0;

	if (pkts == NULL || meta == NULL)
		fz_fail("out of memory");
	for (size_t i = 0; i < sp->n; i++) {
		uint32_t size = PKT_HEADROOM + sp->room[i] + PKT_TAILROOM;

		bufs[i] = malloc(size);
		if (bufs[i] == NULL)
			fz_fail("out of memory");
		pkts[i] = (struct pkt){ bufs[i], size, 0, 0 };
	}
	got = io_udp_recv(&fz.u, pkts, meta, sp->n);
	if (got > sp->n)
		fz_fail("more packets than asked for");
	for (size_t i = 0; i < got; i++) {
		const struct fz_dgram *d;

		while ((d = fz_next()) != NULL && !fz_taken(d, sp->room[i]))
			drops++;
		if (d == NULL)
			fz_fail("a packet that no datagram sent makes");
		fz_check(&pkts[i], bufs[i], PKT_HEADROOM + sp->room[i] + PKT_TAILROOM, &meta[i], d);
	}
	/* What was dropped after the last packet was dropped for the next one. */
	counted = fz.u.not_esp - before;
	if (counted < drops || (got == sp->n && counted != drops))
		fz_fail("not_esp does not count the datagrams dropped");
	for (; drops < counted; drops++) {
		const struct fz_dgram *d = fz_next();

		if (d == NULL || fz_taken(d, sp->room[got]))
			fz_fail("not_esp counts a datagram that is ESP and fits, or none");
	}
	for (size_t i = 0; i < sp->n; i++)
		free(bufs[i]);
	free(pkts);
	free(meta);
	return got;
}

/* Receive as sp says until everything sent has come out or been counted: what is not there
 * yet is waited for a while. */
static void
fz_drain(const struct fz_spec *sp)
{
	for (;;) {
		struct pollfd pfd = { fz.rx, POLLIN, 0 };

		if (fz_recv(sp) > 0)
			continue;
		if (poll(&pfd, 1, fz.head < fz.tail ? FZ_WAIT_MS : 0) > 0)
			continue;
		if (fz.head < fz.tail)
			fz_fail("datagrams sent neither came out nor were counted");
		if (fz.u.off < fz.u.len)
			fz_fail("io_udp_recv() returned nothing while it held a datagram");
		return;
	}
}

static uint16_t
fz_be16(const uint8_t *data, size_t size, size_t *at, uint16_t dflt)
{
	uint16_t v = dflt;

	if (size - *at >= 2)
		v = load_be16(data + *at);
	*at = size - *at >= 2 ? *at + 2 : size;
	return v;
}

/* A receive record after its h. */
static void
fz_spec_read(struct fz_spec *sp, uint8_t h, const uint8_t *data, size_t size, size_t *at)
{
	uint16_t a = fz_be16(data, size, at, FZ_ROOM_MAX), b = a;
	uint8_t mask = 0;

	if ((h & 0x40) != 0) {
		b = fz_be16(data, size, at, FZ_ROOM_MAX);
		mask = *at < size ? data[(*at)++] : 0;
	}
	sp->n = (size_t)(h & 0x3f) + 1;
	for (size_t i = 0; i < sp->n; i++)
		sp->room[i] = (mask >> (i % 8) & 1) != 0 ? b : a;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	struct fz_spec spec = { ENGINE_BURST_MAX, { 0 } };
	size_t at = 0, sends = 0;

	if (!ready) {
		fz_setup();
		ready = true;
	}
	for (size_t i = 0; i < ENGINE_BURST_MAX; i++)
		spec.room[i] = FZ_ROOM_MAX;
	/* Each input meets a receiver as it starts: no segment size seen, nothing counted. */
	fz.u.guess = 0;
	fz.u.not_esp = 0;
	fz.head = fz.tail = fz.queued = 0;
	while (at < size) {
		uint8_t h = data[at++];
		uint16_t seg, len;
		size_t plen;

		if ((h & 0x80) != 0) {
			fz_spec_read(&spec, h, data, size, &at);
			(void)fz_recv(&spec); /* what came is checked; the count is not needed */
			continue;
		}
		if (size - at < 5)
			break;
		seg = load_be16(data + at);
		len = load_be16(data + at + 2);
		plen = data[at + 4];
		at += 5;
		plen = plen < size - at ? plen : size - at;
		if (sends < FZ_SENDS_MAX)
			fz_send(sends++, h, seg, len, data + at, plen);
		at += plen;
	}
	fz_drain(&spec);
	return 0;
}
