// SPDX-License-Identifier: MIT
/* ESP in UDP (io_udp.h): the sockets per port, UDP_SEGMENT sends of runs of equal-sized ESP
 * packets, UDP_GRO receives cut into ESP packets. */
#include "io_udp.h"

#include <sys/eventfd.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <netinet/udp.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipsec6/bytes.h"
#include "log.h"
#include "snap.h"

#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103
#endif
#ifndef UDP_GRO
#define UDP_GRO 104
#endif
#ifndef UDP_NO_CHECK6_RX
#define UDP_NO_CHECK6_RX 102
#endif

#define IO_UDP_IP6_HLEN 40u
#define IO_UDP_PROTO    17
#define IO_UDP_RCVBUF   (8 * 1024 * 1024)
#define IO_UDP_CMSG                                                             \
	(CMSG_SPACE(sizeof(struct in6_pktinfo)) + 3 * CMSG_SPACE(sizeof(int)) + \
	    CMSG_SPACE(sizeof(uint16_t)))

static int
io_udp_setopt(int fd, int level, int name, int value, const char *what, struct err *err)
{
	if (setsockopt(fd, level, name, &value, sizeof(value)) < 0)
		return err_set(err, errno, "setsockopt %s: %s", what, log_strerror(errno));
	return 0;
}

int
io_udp_init(struct io_udp *u, uint32_t mark, struct err *err)
{
	memset(u, 0, sizeof(*u));
	u->mark = mark;
	atomic_init(&u->socks, &u->sets[0]);
	u->buf = malloc(IO_UDP_GRO_MAX);
	u->wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (u->buf == NULL || u->wake < 0) {
		int e = u->buf == NULL ? ENOMEM : errno;

		io_udp_fini(u);
		return err_set(err, e, "cannot set up ESP in UDP: %s", log_strerror(e));
	}
	return 0;
}

void
io_udp_fini(struct io_udp *u)
{
	const struct io_udp_socks *s = atomic_load(&u->socks);

	for (size_t i = 0; s != NULL && i < s->n; i++)
		(void)close(s->fd[i]);
	for (size_t i = 0; i < u->nclosing; i++)
		(void)close(u->closing[i]);
	if (u->wake >= 0)
		(void)close(u->wake);
	free(u->buf);
	memset(u, 0, sizeof(*u));
	u->wake = -1;
}

/* A socket bound to [::]:port that sends with any of the host's addresses as its source and
 * receives super-datagrams with their destination, hop limit and traffic class. */
static int
io_udp_open(const struct io_udp *u, uint16_t port, int *out, struct err *err)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6, .sin6_port = htons(port) };
	int fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_UDP);
	int rc;

	if (fd < 0)
		return err_set(err, errno, "cannot open a UDP socket: %s", log_strerror(errno));
	rc = io_udp_setopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, 1, "IPV6_V6ONLY", err);
	if (rc == 0)
		rc = io_udp_setopt(fd, SOL_SOCKET, SO_MARK, (int)u->mark, "SO_MARK", err);
	if (rc == 0)
		rc = io_udp_setopt(fd, IPPROTO_IPV6, IPV6_FREEBIND, 1, "IPV6_FREEBIND", err);
	if (rc == 0)
		rc = io_udp_setopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1, "IPV6_RECVPKTINFO", err);
	if (rc == 0)
		rc =
		    io_udp_setopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1, "IPV6_RECVHOPLIMIT", err);
	if (rc == 0)
		rc = io_udp_setopt(fd, IPPROTO_IPV6, IPV6_RECVTCLASS, 1, "IPV6_RECVTCLASS", err);
	/* As for plain ESP (io_esp.c): ESP is sized for the link, the device MTU is the one to
	 * obey, not what a flow's path MTU says; a datagram longer than it (a datagram that came
	 * in fragments, whole again) is fragmented to it. */
	if (rc == 0)
		rc = io_udp_setopt(fd, IPPROTO_IPV6, IPV6_MTU_DISCOVER, IPV6_PMTUDISC_OMIT,
		    "IPV6_MTU_DISCOVER", err);
	if (rc == 0)
		rc = io_udp_setopt(fd, IPPROTO_UDP, UDP_GRO, 1, "UDP_GRO", err);
	/* A zero UDP checksum is taken (RFC 6935 section 5, RFC 6936 section 5: a tunnel protocol
	 * may accept them over IPv6 on its own ports): RFC 3948 section 2.1 has senders of ESP in
	 * UDP send zero, and some do over IPv6 too, whose datagrams the kernel would otherwise drop
	 * unseen. What follows the UDP header is ESP, which its ICV protects, and plain ESP has no
	 * checksum at all: a corrupted address or port misses the SA or its ports (encap-mismatch),
	 * as with plain ESP. A wrong non-zero checksum is still dropped by the kernel, and what
	 * these sockets send is checksummed (no UDP_NO_CHECK6_TX: RFC 8200 section 8.1). */
	if (rc == 0)
		rc = io_udp_setopt(fd, IPPROTO_UDP, UDP_NO_CHECK6_RX, 1, "UDP_NO_CHECK6_RX", err);
	if (rc == 0 && io_udp_setopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, IO_UDP_RCVBUF, "", NULL) < 0)
		rc = io_udp_setopt(fd, SOL_SOCKET, SO_RCVBUF, IO_UDP_RCVBUF, "SO_RCVBUF", err);
	if (rc == 0 && bind(fd, (const struct sockaddr *)&sa, sizeof(sa)) < 0)
		rc = err_set(err, errno, "cannot bind UDP port %u for ESP in UDP: %s",
		    (unsigned)port, log_strerror(errno));
	if (rc < 0) {
		(void)close(fd);
		return rc;
	}
	*out = fd;
	return 0;
}

static int
io_udp_port_cmp(const void *a, const void *b)
{
	uint16_t x = *(const uint16_t *)a, y = *(const uint16_t *)b;

	return (x > y) - (x < y);
}

/* The socket of port in s, or -1. */
static int
io_udp_fd(const struct io_udp_socks *s, uint16_t port)
{
	for (size_t i = 0; i < s->n; i++) {
		if (s->port[i] == port)
			return s->fd[i];
	}
	return -1;
}

void
io_udp_tick(struct io_udp *u)
{
	if (u->nclosing == 0 || atomic_load(&u->seen) < u->closing_gen)
		return;
	for (size_t i = 0; i < u->nclosing; i++)
		(void)close(u->closing[i]);
	u->nclosing = 0;
}

int
io_udp_set_ports(struct io_udp *u, const uint16_t *ports, size_t n, struct err *err)
{
	struct io_udp_socks *old = atomic_load_explicit(&u->socks, memory_order_relaxed);
	struct io_udp_socks *next = old == &u->sets[0] ? &u->sets[1] : &u->sets[0];
	uint16_t want[IO_UDP_PORTS_MAX];
	uint64_t one = 1;
	size_t w = 0;
	int rc = 0;

	/* next is the set before the last: the receiving thread must have left it (it was woken
	 * to; it takes a change at its next burst or wake-up) before it is written again. */
	for (int i = 0; i < 100 && atomic_load(&u->seen) < atomic_load(&u->gen); i++)
		(void)usleep(1000);
	io_udp_tick(u);
	if (u->nclosing > 0 || atomic_load(&u->seen) < atomic_load(&u->gen))
		return err_set(err, EBUSY,
		    "ESP in UDP: the receiving thread has not taken the last "
		    "change of ports yet");
	for (size_t i = 0; i < n; i++) {
		bool dup = false;

		for (size_t j = 0; j < w; j++)
			dup = dup || want[j] == ports[i];
		if (dup)
			continue;
		if (w == IO_UDP_PORTS_MAX)
			return err_set(
			    err, ENOSPC, "ESP in UDP: at most %u local ports", IO_UDP_PORTS_MAX);
		want[w++] = ports[i];
	}
	qsort(want, w, sizeof(want[0]), io_udp_port_cmp);
	if (w == old->n && memcmp(want, old->port, w * sizeof(want[0])) == 0)
		return 0;
	next->n = 0;
	for (size_t i = 0; rc == 0 && i < w; i++) {
		int fd = io_udp_fd(old, want[i]);

		if (fd < 0)
			rc = io_udp_open(u, want[i], &fd, err);
		if (rc == 0) {
			next->port[next->n] = want[i];
			next->fd[next->n++] = fd;
		}
	}
	if (rc < 0) {
		for (size_t i = 0; i < next->n; i++) {
			if (io_udp_fd(old, next->port[i]) < 0)
				(void)close(next->fd[i]);
		}
		return rc;
	}
	atomic_store_explicit(&u->socks, next, memory_order_release);
	u->closing_gen = atomic_fetch_add(&u->gen, 1) + 1;
	snap_synchronize(); /* no sender uses old any more; the receiver is told to look */
	(void)!write(u->wake, &one, sizeof(one)); /* an eventfd: a full counter still wakes */
	for (size_t i = 0; i < old->n; i++) {
		if (io_udp_fd(next, old->port[i]) < 0)
			u->closing[u->nclosing++] = old->fd[i];
	}
	return 0;
}

bool
io_udp_serves(const struct io_udp *u, uint16_t port)
{
	return io_udp_fd(atomic_load_explicit(&u->socks, memory_order_acquire), port) >= 0;
}

bool
io_udp_takes(struct io_udp *u, const struct pkt *p)
{
	const uint8_t *ip6 = pkt_data(p);

	return p->len >= IO_UDP_IP6_HLEN + IO_UDP_HDR_LEN && ip6[6] == IO_UDP_PROTO &&
	    io_udp_serves(u, load_be16(ip6 + IO_UDP_IP6_HLEN));
}

/* Whether b may follow a in one UDP_SEGMENT send: one flow, and a's size (b may be shorter). */
static bool
io_udp_same_run(const struct pkt *a, const struct pkt *b)
{
	const uint8_t *x = pkt_data(a), *y = pkt_data(b);

	/* Traffic class and flow label (bytes 0-3), hop limit, addresses, ports. */
	return memcmp(x, y, 4) == 0 && x[7] == y[7] && memcmp(x + 8, y + 8, 32 + 4) == 0 &&
	    b->len <= a->len;
}

/* One sendmsg() of pkts[0..n) (one run) on fd. Returns 0 or -errno. */
static int
io_udp_send_run(int fd, struct pkt *const *pkts, size_t n)
{
	const uint8_t *ip6 = pkt_data(pkts[0]);
	struct sockaddr_in6 to = { .sin6_family = AF_INET6 };
	struct iovec iov[IO_UDP_SEGS_MAX];
	_Alignas(struct cmsghdr) char cbuf[IO_UDP_CMSG];
	struct msghdr mh = { &to, sizeof(to), iov, n, cbuf, sizeof(cbuf), 0 };
	struct in6_pktinfo pi = { .ipi6_ifindex = 0 };
	uint16_t seg = (uint16_t)(pkts[0]->len - IO_UDP_IP6_HLEN - IO_UDP_HDR_LEN);
	int hlim = ip6[7], tclass = ((ip6[0] & 0x0f) << 4) | (ip6[1] >> 4);
	struct cmsghdr *c;

	memcpy(&to.sin6_addr, ip6 + 24, 16);
	memcpy(&to.sin6_port, ip6 + IO_UDP_IP6_HLEN + 2, 2);
	memcpy(&pi.ipi6_addr, ip6 + 8, 16);
	for (size_t i = 0; i < n; i++) {
		iov[i].iov_base = pkt_data(pkts[i]) + IO_UDP_IP6_HLEN + IO_UDP_HDR_LEN;
		iov[i].iov_len = pkts[i]->len - IO_UDP_IP6_HLEN - IO_UDP_HDR_LEN;
	}
	memset(cbuf, 0, sizeof(cbuf));
	c = CMSG_FIRSTHDR(&mh);
	*c = (struct cmsghdr){ CMSG_LEN(sizeof(pi)), IPPROTO_IPV6, IPV6_PKTINFO };
	memcpy(CMSG_DATA(c), &pi, sizeof(pi));
	c = CMSG_NXTHDR(&mh, c);
	*c = (struct cmsghdr){ CMSG_LEN(sizeof(int)), IPPROTO_IPV6, IPV6_HOPLIMIT };
	memcpy(CMSG_DATA(c), &hlim, sizeof(hlim));
	c = CMSG_NXTHDR(&mh, c);
	*c = (struct cmsghdr){ CMSG_LEN(sizeof(int)), IPPROTO_IPV6, IPV6_TCLASS };
	memcpy(CMSG_DATA(c), &tclass, sizeof(tclass));
	c = CMSG_NXTHDR(&mh, c);
	if (n > 1) {
		*c = (struct cmsghdr){ CMSG_LEN(sizeof(seg)), IPPROTO_UDP, UDP_SEGMENT };
		memcpy(CMSG_DATA(c), &seg, sizeof(seg));
		c = CMSG_NXTHDR(&mh, c);
	}
	mh.msg_controllen = c != NULL ? (size_t)((char *)c - cbuf) : sizeof(cbuf);
	for (;;) {
		if (sendmsg(fd, &mh, MSG_DONTWAIT) >= 0)
			return 0;
		if (errno != EINTR)
			return -errno;
	}
}

size_t
io_udp_run_end(const struct io_udp *u, struct pkt *const *pkts, size_t start, size_t n)
{
	size_t end = start + 1, bytes = pkts[start]->len;

	if (u->mtu != 0 && pkts[start]->len > u->mtu)
		return end;
	while (end < n && end - start < IO_UDP_SEGS_MAX && pkts[end - 1]->len == pkts[start]->len &&
	    io_udp_same_run(pkts[start], pkts[end]) &&
	    bytes + pkts[end]->len - IO_UDP_IP6_HLEN - IO_UDP_HDR_LEN <= IO_UDP_GSO_MAX) {
		bytes += pkts[end]->len - IO_UDP_IP6_HLEN - IO_UDP_HDR_LEN;
		end++;
	}
	return end;
}

size_t
io_udp_runs(const struct io_udp *u, struct pkt *const *pkts, size_t n)
{
	size_t runs = 0;

	for (size_t done = 0; done < n; done = io_udp_run_end(u, pkts, done, n))
		runs++;
	return runs;
}

size_t
io_udp_send(struct io_udp *u, struct pkt *const *pkts, size_t n, int *refused)
{
	const struct io_udp_socks *s = atomic_load_explicit(&u->socks, memory_order_acquire);
	size_t done = 0, count = 0;

	while (done < n) {
		size_t end = io_udp_run_end(u, pkts, done, n);
		int fd = io_udp_fd(s, load_be16(pkt_data(pkts[done]) + IO_UDP_IP6_HLEN));
		int rc = fd >= 0 ? io_udp_send_run(fd, pkts + done, end - done) : -EBADF;

		for (size_t i = done; i < end; i++)
			refused[i] = -rc;
		count += rc == 0 ? 0 : end - done;
		done = end;
	}
	return count;
}

/* The length of the i-th of the segments of seg bytes that len bytes make. */
static size_t
io_udp_seg_len(size_t len, size_t seg, size_t i)
{
	return len - i * seg < seg ? len - i * seg : seg;
}

/* One super-datagram from fd, with its meta and segment size. Its first segments go straight
 * into pkts[0..n) when they have the size of the last super-datagram's (u->guess), the rest
 * into u->buf to be cut and copied; if the size changed, the segments in pkts are moved back
 * in front of the rest in u->buf. Returns how many of pkts hold a segment, -1 if nothing came. */
static int
io_udp_fill(struct io_udp *u, int fd, uint16_t port, struct pkt *pkts, size_t n)
{
	struct sockaddr_in6 from;
	struct iovec iov[IO_UDP_SEGS_MAX + 1];
	_Alignas(struct cmsghdr) char cbuf[IO_UDP_CMSG + 64];
	struct msghdr mh = { &from, sizeof(from), iov, 0, cbuf, sizeof(cbuf), 0 };
	size_t k = 0, guess = u->guess, placed, len;
	ssize_t r;

	while (guess > 0 && k < n && k < IO_UDP_SEGS_MAX && (k + 1) * guess <= IO_UDP_GRO_MAX &&
	    guess <= pkts[k].size - PKT_HEADROOM - PKT_TAILROOM) {
		pkts[k].off = PKT_HEADROOM;
		iov[k] = (struct iovec){ pkt_data(&pkts[k]), guess };
		k++;
	}
	iov[k] = (struct iovec){ u->buf, IO_UDP_GRO_MAX - k * guess };
	mh.msg_iovlen = k + 1;
	r = recvmsg(fd, &mh, MSG_DONTWAIT);
	if (r < 0)
		return -1;
	if (r == 0) {
		/* An empty datagram, taken: not ESP; the ones behind it are still there. */
		u->not_esp++;
		u->off = u->len = 0;
		return 0;
	}
	len = (size_t)r;
	memset(&u->meta, 0, sizeof(u->meta));
	u->meta.src = from.sin6_addr;
	u->meta.encap_sport = ntohs(from.sin6_port);
	u->meta.encap_dport = port;
	u->seg = 0;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c != NULL; c = CMSG_NXTHDR(&mh, c)) {
		int v = 0;

		if (c->cmsg_level == IPPROTO_UDP && c->cmsg_type == UDP_GRO) {
			memcpy(&v, CMSG_DATA(c), sizeof(v));
			u->seg = (uint16_t)v;
		} else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			u->meta.dst = pi.ipi6_addr;
		} else if (c->cmsg_level == IPPROTO_IPV6 &&
		    (c->cmsg_type == IPV6_HOPLIMIT || c->cmsg_type == IPV6_TCLASS)) {
			memcpy(&v, CMSG_DATA(c), sizeof(v));
			if (c->cmsg_type == IPV6_HOPLIMIT)
				u->meta.hop_limit = (uint8_t)v;
			else
				u->meta.tclass = (uint8_t)v;
		}
	}
	if (u->seg == 0 || u->seg > len)
		u->seg = (uint16_t)(len > 0xffff ? 0xffff : len); /* one datagram */
	else if (u->seg < len)
		u->guess = u->seg;
	placed = k * guess < len ? k * guess : len;
	u->off = 0;
	u->len = len - placed;
	/* Each segment in a packet of its own: the size guessed, or one datagram in the first. */
	if (placed > 0 && (u->seg == guess || (u->seg == len && len <= guess))) {
		size_t i;

		for (i = 0; i * guess < placed; i++)
			pkts[i].len = (uint32_t)io_udp_seg_len(placed, u->seg, i);
		return (int)i;
	}
	memmove(u->buf + placed, u->buf, len - placed);
	for (size_t i = 0; i * guess < placed; i++)
		memcpy(u->buf + i * guess, pkt_data(&pkts[i]), io_udp_seg_len(placed, guess, i));
	u->len = len;
	return 0;
}

/* RFC 3948 section 2.2: what starts with a zero SPI (the non-ESP marker) is not ESP; nor is a
 * NAT keep-alive (one byte 0xff), nor anything shorter than an ESP header. */
static bool
io_udp_is_esp(const uint8_t *d, size_t len)
{
	return len >= 8 && load_be32(d) != 0;
}

/* The receiving thread's current set, acknowledged: generation first, so that the set read
 * after it is at least of that generation. */
static const struct io_udp_socks *
io_udp_current(struct io_udp *u)
{
	uint64_t gen = atomic_load(&u->gen);
	const struct io_udp_socks *s = atomic_load_explicit(&u->socks, memory_order_acquire);

	atomic_store(&u->seen, gen);
	return s;
}

/* Of the n packets io_udp_fill() put in pkts, those that are ESP, moved together. */
static size_t
io_udp_keep(struct io_udp *u, struct pkt *pkts, struct esp_meta *meta, size_t n)
{
	size_t kept = 0;

	for (size_t i = 0; i < n; i++) {
		if (!io_udp_is_esp(pkt_data(&pkts[i]), pkts[i].len)) {
			u->not_esp++;
			continue;
		}
		if (kept != i) {
			pkts[kept].off = PKT_HEADROOM;
			pkts[kept].len = pkts[i].len;
			memcpy(pkt_data(&pkts[kept]), pkt_data(&pkts[i]), pkts[i].len);
		}
		meta[kept++] = u->meta;
	}
	return kept;
}

size_t
io_udp_recv(struct io_udp *u, struct pkt *pkts, struct esp_meta *meta, size_t n)
{
	const struct io_udp_socks *s = io_udp_current(u);
	size_t got = 0, tries = 0;

	while (got < n) {
		size_t len;

		if (u->off >= u->len) {
			size_t i;
			int placed;

			if (s->n == 0 || tries == s->n)
				break;
			i = u->turn++ % s->n;
			tries++;
			placed = io_udp_fill(u, s->fd[i], s->port[i], pkts + got, n - got);
			if (placed < 0)
				continue;
			tries = 0;
			got += io_udp_keep(u, pkts + got, meta + got, (size_t)placed);
			continue;
		}
		len = u->len - u->off < u->seg ? u->len - u->off : u->seg;
		if (!io_udp_is_esp(u->buf + u->off, len) ||
		    len > pkts[got].size - PKT_HEADROOM - PKT_TAILROOM) {
			u->not_esp++;
		} else {
			pkts[got].off = PKT_HEADROOM;
			pkts[got].len = (uint32_t)len;
			memcpy(pkt_data(&pkts[got]), u->buf + u->off, len);
			meta[got++] = u->meta;
		}
		u->off += len;
	}
	return got;
}

size_t
io_udp_pollfds(struct io_udp *u, int *fds)
{
	const struct io_udp_socks *s = io_udp_current(u);

	fds[0] = u->wake;
	for (size_t i = 0; i < s->n; i++)
		fds[1 + i] = s->fd[i];
	return 1 + s->n;
}

void
io_udp_woken(struct io_udp *u)
{
	uint64_t v;

	(void)!read(u->wake, &v, sizeof(v)); /* non-blocking: nothing to read is fine */
}
