// SPDX-License-Identifier: MIT
/* Raw ESP sockets with recvmmsg/sendmmsg, so that a burst costs one system call each way. */
#include "io_esp.h"

#include <sys/socket.h>
#include <sys/time.h>

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <netinet/in.h>

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ipsec6/bytes.h"
#include "ipsec6/engine.h"
#include "log.h"
#include "snap.h"

/* The ring's hand-over, NAPI's way: after a burst of at least IO_ESP_NAP_BURST packets the
 * thread does not wait for the socket to wake it when the ring runs empty, but naps
 * IO_ESP_NAP_NS and looks again, up to IO_ESP_NAPS times. Under load the sender's CPU then
 * never wakes it (with a TPACKET_V2 ring, a wake-up, a cross-CPU interrupt, every few dozen
 * packets), and the ring fills into bursts meanwhile: a block ring's batching, at the price of
 * up to IO_ESP_NAP_NS of latency under load. A lone packet, or a few, after which the thread
 * waits for the next event at once, see no delay. Measured (bench/compare.sh, one TCP stream
 * through aes128-cbc + hmac-sha1): 1.14 x the throughput and 0.84 x the CPU per ESP packet of
 * event wake-ups alone; a TPACKET_V3 ring with a 1 ms block time-out did as well under load
 * but added a millisecond to every sparse round trip; naps of 50 us lost 17 %. The ESP-in-UDP
 * sockets' bursts nap too: without, a UDP socket wakes the thread once per super-datagram, and
 * bench/compare.sh measured 0.96 x the throughput and 1.06 x the CPU per ESP packet (one TCP
 * stream of aes128-cbc + hmac-sha1 in UDP, 4 rounds). */
#define IO_ESP_NAP_NS    500000L
#define IO_ESP_NAPS      2u
#define IO_ESP_NAP_BURST 8u

#define IO_ESP_PROTO            50
#define IO_ESP_RCVBUF           (8 * 1024 * 1024)
#define IO_ESP_CMSG             (CMSG_SPACE(sizeof(struct in6_pktinfo)) + 2 * CMSG_SPACE(sizeof(int)))
#define IO_ESP_CMSG_TX          (CMSG_SPACE(sizeof(struct in6_pktinfo)) + 2 * CMSG_SPACE(sizeof(int)))
#define IO_ESP_LINK_MTU_DEFAULT 1500u

static int
io_esp_setopt(int fd, int level, int name, int value, const char *what, struct err *err)
{
	if (setsockopt(fd, level, name, &value, sizeof(value)) < 0)
		return err_set(err, errno, "setsockopt %s: %s", what, log_strerror(errno));
	return 0;
}

static int
io_esp_open_rx(uint32_t sock_mark, int *out, struct err *err)
{
	int fd, rc;

	fd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IO_ESP_PROTO);
	if (fd < 0)
		return err_set(err, errno, "cannot open a raw ESP socket: %s", log_strerror(errno));
	rc = io_esp_setopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1, "IPV6_RECVPKTINFO", err);
	if (rc == 0)
		rc =
		    io_esp_setopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1, "IPV6_RECVHOPLIMIT", err);
	if (rc == 0)
		rc = io_esp_setopt(fd, IPPROTO_IPV6, IPV6_RECVTCLASS, 1, "IPV6_RECVTCLASS", err);
	/* A deep queue absorbs bursts while the thread is busy with crypto; FORCE needs
	 * CAP_NET_ADMIN, which ipsec6d has, the plain option is the fallback. */
	if (rc == 0 && io_esp_setopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, IO_ESP_RCVBUF, "", NULL) < 0)
		rc = io_esp_setopt(fd, SOL_SOCKET, SO_RCVBUF, IO_ESP_RCVBUF, "SO_RCVBUF", err);
	/* It also sends the ESP packets longer than the link MTU, from the SPI on, and the kernel
	 * fragments them to the device's MTU (OMIT: not to a path MTU a flow learnt; see tx). */
	if (rc == 0)
		rc = io_esp_setopt(fd, SOL_SOCKET, SO_MARK, (int)sock_mark, "SO_MARK", err);
	if (rc == 0)
		rc = io_esp_setopt(fd, IPPROTO_IPV6, IPV6_MTU_DISCOVER, IPV6_PMTUDISC_OMIT,
		    "IPV6_MTU_DISCOVER", err);
	if (rc < 0) {
		close(fd);
		return rc;
	}
	*out = fd;
	return 0;
}

/* The link-layer socket and its next-hop cache. Without them (no AF_PACKET in this kernel)
 * every packet takes the raw socket: slower, just as right. */
static void
io_esp_open_link(uint32_t sock_mark, struct io_esp *io)
{
	struct err err = { "" };

	io->link = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0); /* protocol 0: sends only */
	if (io->link < 0) {
		log_warn("ESP goes through the kernel's IP output only: no packet socket: %s",
		    log_strerror(errno));
		return;
	}
	if (io_esp_setopt(io->link, SOL_SOCKET, SO_MARK, (int)sock_mark, "SO_MARK", &err) < 0 ||
	    nexthops_init(&io->nh, sock_mark, &err) < 0) {
		log_warn("ESP goes through the kernel's IP output only: %s", err.msg);
		close(io->link);
		io->link = -1;
	}
}

int
io_esp_open(uint32_t sock_mark, int timeout_ms, struct io_esp *io, struct err *err)
{
	int rc;

	io->rx = io->link = -1;
	io->ring = (struct io_ring){ .fd = -1 };
	rc = io_udp_init(&io->udp, sock_mark, err);
	if (rc < 0)
		return rc;
	io->timeout_ms = timeout_ms;
	io_esp_set_link_mtu(io, IO_ESP_LINK_MTU_DEFAULT);
	io->rx_turn = 0;
	io->naps = IO_ESP_NAPS;
	io->tx = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
	if (io->tx < 0) {
		rc = err_set(err, errno, "cannot open a raw IPv6 socket: %s", log_strerror(errno));
		io_udp_fini(&io->udp);
		return rc;
	}
	rc = io_esp_setopt(io->tx, SOL_SOCKET, SO_MARK, (int)sock_mark, "SO_MARK", err);
	/* The source goes with every packet (io_esp_send_burst()); a packet that passes in the
	 * clear may be forwarded, its source not ours. */
	if (rc == 0)
		rc = io_esp_setopt(io->tx, IPPROTO_IPV6, IPV6_FREEBIND, 1, "IPV6_FREEBIND", err);
	/* In transport mode the protected flows and their ESP share the destination, so the path
	 * MTU the kernel learns for a flow (the TUN MTU, when it shrinks under a TCP connection
	 * after a rekey) would also bind the ESP packets, which are bigger by the overhead: they
	 * would all be refused. ESP is sized for the link; the device MTU is the one to obey. */
	if (rc == 0)
		rc = io_esp_setopt(io->tx, IPPROTO_IPV6, IPV6_MTU_DISCOVER, IPV6_PMTUDISC_PROBE,
		    "IPV6_MTU_DISCOVER", err);
	if (rc == 0)
		rc = io_esp_open_rx(sock_mark, &io->rx, err);
	if (rc < 0) {
		close(io->tx);
		io->tx = -1;
		io_udp_fini(&io->udp);
		return rc;
	}
	io_esp_open_link(sock_mark, io);
	if (io_ring_open(&io->ring, err) < 0) {
		log_warn("ESP comes through the kernel's IP input only: %s", err->msg);
		err_clear(err);
	}
	return 0;
}

void
io_esp_set_link_mtu(struct io_esp *io, uint32_t mtu)
{
	io->link_mtu = mtu;
	io->udp.mtu = mtu;
}

void
io_esp_close(struct io_esp *io)
{
	if (io->tx >= 0)
		close(io->tx);
	if (io->rx >= 0)
		close(io->rx);
	if (io->link >= 0) {
		close(io->link);
		nexthops_fini(&io->nh);
	}
	io_ring_close(&io->ring);
	io_udp_fini(&io->udp);
	io->tx = io->rx = io->link = -1;
}

static void
io_esp_parse_cmsg(struct msghdr *mh, struct esp_meta *meta)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c != NULL; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level != IPPROTO_IPV6)
			continue;
		if (c->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			meta->dst = pi.ipi6_addr;
		} else if (c->cmsg_type == IPV6_HOPLIMIT || c->cmsg_type == IPV6_TCLASS) {
			int v;

			memcpy(&v, CMSG_DATA(c), sizeof(v));
			if (c->cmsg_type == IPV6_HOPLIMIT)
				meta->hop_limit = (uint8_t)v;
			else
				meta->tclass = (uint8_t)v;
		}
	}
}

static int
io_esp_recv_raw(struct io_esp *io, struct pkt *pkts, struct esp_meta *meta, size_t n)
{
	struct mmsghdr msgs[ENGINE_BURST_MAX];
	struct iovec iov[ENGINE_BURST_MAX];
	struct sockaddr_in6 from[ENGINE_BURST_MAX];
	_Alignas(struct cmsghdr) char cmsg[ENGINE_BURST_MAX][IO_ESP_CMSG];
	int got;

	if (n > ENGINE_BURST_MAX)
		n = ENGINE_BURST_MAX;
	for (size_t i = 0; i < n; i++) {
		pkts[i].off = PKT_HEADROOM;
		iov[i].iov_base = pkts[i].buf + PKT_HEADROOM;
		iov[i].iov_len = pkts[i].size - PKT_HEADROOM - PKT_TAILROOM;
		memset(&msgs[i], 0, sizeof(msgs[i]));
		msgs[i].msg_hdr.msg_name = &from[i];
		msgs[i].msg_hdr.msg_namelen = sizeof(from[i]);
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
		msgs[i].msg_hdr.msg_control = cmsg[i];
		msgs[i].msg_hdr.msg_controllen = sizeof(cmsg[i]);
	}
	got = recvmmsg(io->rx, msgs, (unsigned)n, MSG_DONTWAIT, NULL);
	if (got < 0)
		return (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) ? 0 : -errno;
	for (int i = 0; i < got; i++) {
		memset(&meta[i], 0, sizeof(meta[i]));
		meta[i].src = from[i].sin6_addr;
		io_esp_parse_cmsg(&msgs[i].msg_hdr, &meta[i]);
		/* A truncated datagram cannot pass the ICV; let the engine see it short. */
		pkts[i].len = msgs[i].msg_len;
	}
	return got;
}

/* The raw socket is asked once every IO_ESP_RAW_TURN bursts while the ring keeps the thread
 * busy, and always when the ring is empty: what the ring does not take is rare. */
#define IO_ESP_RAW_TURN 8u

/* Wait for the next packet from any source (or the timeout): the raw socket, the ring, and
 * the UDP sockets with their wake-up eventfd. */
static void
io_esp_wait(struct io_esp *io)
{
	struct pollfd pfd[3 + IO_UDP_PORTS_MAX];
	int fds[1 + IO_UDP_PORTS_MAX];
	size_t n = 0, nudp = io_udp_pollfds(&io->udp, fds);

	pfd[n++] = (struct pollfd){ io->rx, POLLIN, 0 };
	if (io->ring.fd >= 0)
		pfd[n++] = (struct pollfd){ io->ring.fd, POLLIN, 0 };
	for (size_t i = 0; i < nudp; i++)
		pfd[n++] = (struct pollfd){ fds[i], POLLIN, 0 };
	if (poll(pfd, n, io->timeout_ms) > 0 && (pfd[n - nudp].revents & POLLIN) != 0)
		io_udp_woken(&io->udp);
}

int
io_esp_recv_burst(struct io_esp *io, struct pkt *pkts, struct esp_meta *meta, size_t n, bool wait)
{
	if (n > ENGINE_BURST_MAX)
		n = ENGINE_BURST_MAX;
	for (int round = 0;; round++) {
		size_t got = io_ring_take(&io->ring, pkts, meta, n);
		int r;

		got += io_udp_recv(&io->udp, pkts + got, meta + got, n - got);
		if (got > 0)
			io->naps = got >= IO_ESP_NAP_BURST ? 0 : IO_ESP_NAPS;
		if (got == n || (got > 0 && ++io->rx_turn % IO_ESP_RAW_TURN != 0))
			return (int)got;
		r = io_esp_recv_raw(io, pkts + got, meta + got, n - got);
		if (r < 0 && got == 0)
			return r;
		got += r > 0 ? (size_t)r : 0;
		if (got > 0 || !wait || round > 0)
			return (int)got;
		if (io->naps < IO_ESP_NAPS) {
			struct timespec nap = { 0, IO_ESP_NAP_NS };

			io->naps++;
			(void)clock_nanosleep(CLOCK_MONOTONIC, 0, &nap, NULL);
			round = -1; /* a nap is not a wait: look again */
			continue;
		}
		io_esp_wait(io);
	}
}

/* The header's source as IPV6_PKTINFO: the route lookup then uses it instead of running
 * source address selection for every packet (the header we send is ours either way). With
 * fields, also its hop limit and traffic class, for a socket that writes the header itself. */
static void
io_esp_set_src(struct msghdr *mh, char *buf, size_t len, const uint8_t *ip6, bool fields)
{
	struct in6_pktinfo pi = { .ipi6_ifindex = 0 };
	int hlim = ip6[7], tclass = ((ip6[0] & 0x0f) << 4) | (ip6[1] >> 4);
	struct cmsghdr *c;

	memset(buf, 0, len);
	mh->msg_control = buf;
	mh->msg_controllen = len;
	c = CMSG_FIRSTHDR(mh);
	*c = (struct cmsghdr){ CMSG_LEN(sizeof(pi)), IPPROTO_IPV6, IPV6_PKTINFO };
	memcpy(&pi.ipi6_addr, ip6 + 8, 16);
	memcpy(CMSG_DATA(c), &pi, sizeof(pi));
	if (!fields) {
		mh->msg_controllen = CMSG_SPACE(sizeof(pi));
		return;
	}
	c = CMSG_NXTHDR(mh, c);
	*c = (struct cmsghdr){ CMSG_LEN(sizeof(int)), IPPROTO_IPV6, IPV6_HOPLIMIT };
	memcpy(CMSG_DATA(c), &hlim, sizeof(hlim));
	c = CMSG_NXTHDR(mh, c);
	*c = (struct cmsghdr){ CMSG_LEN(sizeof(int)), IPPROTO_IPV6, IPV6_TCLASS };
	memcpy(CMSG_DATA(c), &tclass, sizeof(tclass));
}

void
io_esp_tick(struct io_esp *io, uint64_t now_ns)
{
	if (io->link >= 0)
		nexthops_tick(&io->nh, now_ns);
	io_udp_tick(&io->udp);
}

/* Whether p goes by the link layer: an ESP packet (next header 50 right after the IPv6
 * header) to a next hop that is resolved, on Ethernet, and whose MTU it fits. Its Ethernet
 * header is then written in front of it and sll addressed. A pair the table lacks is asked
 * for and goes through the kernel meanwhile; once a second a pair's packet takes the kernel's
 * output anyway, so that neighbour discovery keeps confirming (or replacing) the address the
 * fast path sends to. Inside snap_read_lock(). */
static bool
io_esp_link_prepare(struct io_esp *io, struct pkt *p, uint64_t now, struct sockaddr_ll *sll)
{
	uint8_t *ip6 = pkt_data(p);
	struct nexthop *nh;

	if (io->link < 0 || p->off < NEXTHOP_ETH_HDR_LEN || p->len < IPV6_HDR_LEN ||
	    ip6[6] != IO_ESP_PROTO)
		return false;
	nh = nexthops_lookup(&io->nh, ip6 + 8, ip6 + 24);
	if (nh == NULL) {
		nexthops_ask(&io->nh, ip6 + 8, ip6 + 24);
		return false;
	}
	if (now - atomic_load_explicit(&nh->seen_ns, memory_order_relaxed) >= NEXTHOP_TTL_NS) {
		atomic_store_explicit(&nh->seen_ns, now, memory_order_relaxed);
		return false;
	}
	if (!nh->usable || p->len > nh->mtu)
		return false;
	memcpy(ip6 - NEXTHOP_ETH_HDR_LEN, nh->eth, NEXTHOP_ETH_HDR_LEN);
	memset(sll, 0, sizeof(*sll));
	sll->sll_family = AF_PACKET;
	sll->sll_protocol = htons(ETH_P_IPV6);
	sll->sll_ifindex = nh->ifindex;
	sll->sll_halen = ETH_ALEN;
	memcpy(sll->sll_addr, nh->eth, ETH_ALEN);
	return true;
}

uint64_t
io_esp_now_ns(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC_COARSE, &ts); /* cannot fail for this clock */
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* sendmmsg of msgs[0..n) on fd, skipping a packet the kernel refuses (no route, too big, a
 * full queue) so that it does not stall the rest; refused[i] says which. Returns how many the
 * kernel refused. */
static size_t
io_esp_sendmmsg(int fd, struct mmsghdr *msgs, size_t n, bool *refused)
{
	size_t done = 0, count = 0;

	while (done < n) {
		int rc = sendmmsg(fd, msgs + done, (unsigned)(n - done), 0);

		if (rc >= 0) {
			for (int i = 0; i < rc; i++)
				refused[done++] = false;
		} else if (errno != EINTR) {
			refused[done++] = true;
			count++;
		}
	}
	return count;
}

/* How a packet leaves. */
enum io_esp_path {
	IO_ESP_RAW,  /* the kernel's IP output */
	IO_ESP_LINK, /* the packet socket, to a resolved next hop */
	IO_ESP_UDP,  /* ESP in UDP, a UDP socket */
	IO_ESP_BIG,  /* longer than the link MTU: rx, from the SPI on, fragmented by the kernel */
	IO_ESP_NONE, /* refused: ESP in UDP whose port has no socket (any more) */
};

/* Whether p is what the engine makes of an SA in UDP (esp.h: UDP right after the IPv6
 * header, checksum 0): only a UDP socket may send it, which computes the checksum. */
static bool
io_esp_is_unsent_udp(const struct pkt *p)
{
	const uint8_t *ip6 = pkt_data(p);

	return p->len >= IPV6_HDR_LEN + IO_UDP_HDR_LEN && ip6[6] == IPPROTO_UDP &&
	    load_be16(ip6 + IPV6_HDR_LEN + 6) == 0;
}

size_t
io_esp_send_cost(struct io_esp *io, struct pkt *const *pkts, size_t n, size_t max)
{
	size_t cost = 0, done = 0;

	snap_read_lock(); /* the UDP sockets */
	while (done < n && cost <= max) {
		size_t end = done;

		while (end < n && io_udp_takes(&io->udp, pkts[end]))
			end++;
		cost += end > done ? io_udp_runs(&io->udp, pkts + done, end - done) : 1;
		done = end > done ? end : done + 1;
	}
	snap_read_unlock();
	return cost;
}

int
io_esp_send_burst(struct io_esp *io, struct pkt *const *pkts, size_t n)
{
	struct mmsghdr msgs[ENGINE_BURST_MAX];
	struct iovec iov[ENGINE_BURST_MAX];
	union {
		struct sockaddr_in6 in6;
		struct sockaddr_ll ll;
	} to[ENGINE_BURST_MAX];
	enum io_esp_path path[ENGINE_BURST_MAX];
	bool refused_at[ENGINE_BURST_MAX];
	/* CMSG_SPACE() is a multiple of the alignment, so every row is aligned. */
	_Alignas(struct cmsghdr) char cmsg[ENGINE_BURST_MAX][IO_ESP_CMSG_TX];
	uint64_t now = io->link >= 0 ? io_esp_now_ns() : 0;
	size_t done = 0, refused = 0;

	if (n > ENGINE_BURST_MAX)
		n = ENGINE_BURST_MAX;
	snap_read_lock(); /* the next-hop table */
	for (size_t i = 0; i < n; i++) {
		struct msghdr *mh = &msgs[i].msg_hdr;

		if (io_udp_takes(&io->udp, pkts[i])) {
			path[i] = IO_ESP_UDP;
			continue;
		}
		if (io_esp_is_unsent_udp(pkts[i])) {
			path[i] = IO_ESP_NONE;
			continue;
		}
		memset(&msgs[i], 0, sizeof(msgs[i]));
		mh->msg_name = &to[i];
		mh->msg_iov = &iov[i];
		mh->msg_iovlen = 1;
		if (pkts[i]->len > io->link_mtu && pkt_data(pkts[i])[6] == IO_ESP_PROTO) {
			path[i] = IO_ESP_BIG;
			memset(&to[i].in6, 0, sizeof(to[i].in6));
			to[i].in6.sin6_family = AF_INET6;
			memcpy(&to[i].in6.sin6_addr, pkt_data(pkts[i]) + 24, 16);
			mh->msg_namelen = sizeof(to[i].in6);
			iov[i].iov_base = pkt_data(pkts[i]) + IPV6_HDR_LEN;
			iov[i].iov_len = pkts[i]->len - IPV6_HDR_LEN;
			io_esp_set_src(mh, cmsg[i], sizeof(cmsg[i]), pkt_data(pkts[i]), true);
			continue;
		}
		path[i] =
		    io_esp_link_prepare(io, pkts[i], now, &to[i].ll) ? IO_ESP_LINK : IO_ESP_RAW;
		if (path[i] == IO_ESP_LINK) {
			mh->msg_namelen = sizeof(to[i].ll);
			iov[i].iov_base = pkt_data(pkts[i]) - NEXTHOP_ETH_HDR_LEN;
			iov[i].iov_len = pkts[i]->len + NEXTHOP_ETH_HDR_LEN;
			continue;
		}
		memset(&to[i].in6, 0, sizeof(to[i].in6));
		to[i].in6.sin6_family = AF_INET6;
		memcpy(&to[i].in6.sin6_addr, pkt_data(pkts[i]) + 24, 16);
		mh->msg_namelen = sizeof(to[i].in6);
		iov[i].iov_base = pkt_data(pkts[i]);
		iov[i].iov_len = pkts[i]->len;
		io_esp_set_src(mh, cmsg[i], sizeof(cmsg[i]), pkt_data(pkts[i]), false);
	}
	/* Runs of one path each, in order: a flow's packets never overtake each other. */
	while (done < n) {
		size_t end = done + 1, r;

		while (end < n && path[end] == path[done])
			end++;
		if (path[done] == IO_ESP_UDP)
			r = io_udp_send(&io->udp, pkts + done, end - done, refused_at + done);
		else if (path[done] == IO_ESP_NONE)
			r = end - done;
		else
			r = io_esp_sendmmsg(path[done] == IO_ESP_LINK ? io->link
				: path[done] == IO_ESP_BIG            ? io->rx
								      : io->tx,
			    msgs + done, end - done, refused_at + done);
		/* A device gone or changed under the table: its pair is resolved again. */
		for (size_t i = done; r > 0 && path[done] == IO_ESP_LINK && i < end; i++) {
			if (refused_at[i])
				nexthops_ask(
				    &io->nh, pkt_data(pkts[i]) + 8, pkt_data(pkts[i]) + 24);
		}
		refused += r;
		done = end;
	}
	snap_read_unlock();
	return (int)(n - refused);
}
