// SPDX-License-Identifier: MIT
/* Raw ESP sockets with recvmmsg/sendmmsg, so that a burst costs one system call each way. */
#include "io_esp.h"

#include <sys/random.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "frag.h"
#include "gso.h"
#include "ipsec6/bytes.h"
#include "ipsec6/db.h"
#include "ipsec6/engine.h"
#include "ipsec6/sad.h"
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
#define IO_ESP_PMTU_DRAIN       64 /* Packet Too Big notices taken per tick, at most */
/* What of a Packet Too Big is read: its ICMPv6 header and the packet it carries up to its ESP
 * or UDP header, after extension headers of up to FRAG_HDR_MAX bytes and a Fragment header. */
#define IO_ESP_PTB_LEN     (8 + FRAG_HDR_MAX + 8 + 8)
#define IO_ESP_PTB_EXT_MAX 8  /* extension headers walked in it, at most */
#define IO_ESP_PMTU_LOGS   8u /* path MTUs logged a minute, at most */
#define IO_ESP_PMTU_LOG_NS (60 * 1000000000ull)

static int
io_esp_setopt(int fd, int level, int name, int value, const char *what, struct err *err)
{
	if (setsockopt(fd, level, name, &value, sizeof(value)) < 0)
		return err_set(err, errno, "setsockopt %s: %s", what, log_strerror(errno));
	return 0;
}

static int
io_esp_open_rx(int *out, struct err *err)
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
	if (rc < 0) {
		close(fd);
		return rc;
	}
	*out = fd;
	return 0;
}

/* The socket that hears of ICMPv6 Packet Too Big (RFC 4301 section 8.2): a raw ICMPv6 socket
 * whose filter lets only that type in (the kernel filters before it copies anything). Read by
 * the control thread (io_esp_tick()). -1 when it cannot be had. */
static int
io_esp_open_pmtu(void)
{
	struct icmp6_filter filter;
	int fd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_ICMPV6);

	ICMP6_FILTER_SETBLOCKALL(&filter);
	ICMP6_FILTER_SETPASS(ICMP6_PACKET_TOO_BIG, &filter);
	if (fd >= 0 && setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &filter, sizeof(filter)) < 0) {
		close(fd);
		fd = -1;
	}
	if (fd < 0)
		log_warn("ESP ignores ICMPv6 Packet Too Big: %s", log_strerror(errno));
	return fd;
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
		return;
	}
	io->pmtu = io_esp_open_pmtu();
}

int
io_esp_open(uint32_t sock_mark, int timeout_ms, struct io_esp *io, struct err *err)
{
	uint8_t key[SIPHASH_KEY_LEN];
	int rc;

	io->rx = io->link = io->pmtu = -1;
	io->pmtu_log_ns = 0;
	io->pmtu_logged = io->pmtu_unlogged = 0;
	io->ring = (struct io_ring){ .fd = -1 };
	/* Fragments' identifications, under a key of their own (frag.h). */
	if (getrandom(key, sizeof(key), GRND_NONBLOCK) != (ssize_t)sizeof(key)) {
		uint64_t now = io_esp_now_ns();

		memcpy(key, &now, sizeof(now));
		memcpy(key + sizeof(now), &io, sizeof(io));
	}
	frag_ids_init(&io->frag_ids, key);
	explicit_bzero(key, sizeof(key));
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
		rc = io_esp_open_rx(&io->rx, err);
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
	if (io->pmtu >= 0)
		close(io->pmtu);
	io_ring_close(&io->ring);
	io_udp_fini(&io->udp);
	io->tx = io->rx = io->link = io->pmtu = -1;
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

/* Whether a Packet Too Big is about ESP that ipsec6d sent: the packet it carries (ICMPv6
 * header, then the start of the packet that did not fit, len bytes in all) is plain ESP, or
 * UDP from one of the ESP-in-UDP sockets' ports, under the SPI of an SA of sad's to its
 * destination (RFC 4301 section 8.2.1: the message is mapped to its SA; Linux's esp6_err() does
 * so too), behind the extension headers that ipsec6d sends before them: hop-by-hop, routing and
 * destination options (transport-mode ESP goes after those a packet had), and the Fragment
 * header of its own fragments (io_esp_frags_add(): what a narrower hop drops then is a
 * fragment), the first, which holds the SPI. Control thread (the ports are its to publish). */
static bool
io_esp_ptb_ours(
    const struct io_esp *io, const struct sad_snap *sad, const uint8_t *icmp, size_t len)
{
	const uint8_t *ip6 = icmp + 8;
	size_t off = 8 + IPV6_HDR_LEN, spi_off;
	struct in6_addr src, dst;
	uint8_t nh;

	if (sad == NULL || len < 8 + IPV6_HDR_LEN || icmp[0] != ICMP6_PACKET_TOO_BIG ||
	    icmp[1] != 0 || (ip6[0] >> 4) != 6)
		return false;
	nh = ip6[6];
	for (int k = 0; k < IO_ESP_PTB_EXT_MAX && nh != IO_ESP_PROTO && nh != IPPROTO_UDP; k++) {
		size_t hlen;

		if (len - off < 8)
			return false;
		if (nh == IPPROTO_FRAGMENT) {
			/* A fragment after the first: data, no SPI to map. */
			if ((load_be16(icmp + off + 2) & 0xfff8u) != 0)
				return false;
			hlen = 8;
		} else if (nh == IPPROTO_HOPOPTS || nh == IPPROTO_ROUTING ||
		    nh == IPPROTO_DSTOPTS) {
			hlen = ((size_t)icmp[off + 1] + 1) * 8; /* RFC 8200 section 4.3 */
		} else {
			return false;
		}
		nh = icmp[off];
		off += hlen;
		if (off > len)
			return false;
	}
	if (nh == IPPROTO_UDP) {
		if (len - off < 2 || !io_udp_serves(&io->udp, load_be16(icmp + off)))
			return false;
		spi_off = off + 8;
	} else if (nh == IO_ESP_PROTO) {
		spi_off = off;
	} else {
		return false;
	}
	if (len < spi_off + 4)
		return false;
	memcpy(&src, ip6 + 8, sizeof(src));
	memcpy(&dst, ip6 + 24, sizeof(dst));
	return sad_snap_lookup_spi(sad, load_be32(icmp + spi_off), &dst, &src) != NULL;
}

/* Log a path MTU learnt for dst: up to IO_ESP_PMTU_LOGS lines a minute, for a flood of forged
 * Packet Too Big messages must not fill the log (io_esp_pmtu_minute() says how many were not). */
static void
io_esp_pmtu_log(struct io_esp *io, const uint8_t *dst, uint32_t mtu)
{
	char text[INET6_ADDRSTRLEN];

	if (io->pmtu_logged >= IO_ESP_PMTU_LOGS) {
		io->pmtu_unlogged++;
		return;
	}
	io->pmtu_logged++;
	log_info("path MTU to %s: %u bytes (ICMPv6 Packet Too Big); longer ESP to it leaves in "
		 "fragments",
	    inet_ntop(AF_INET6, dst, text, sizeof(text)) != NULL ? text : "?",
	    mtu < IPV6_MTU_MIN ? IPV6_MTU_MIN : mtu);
}

/* A minute of path MTU log lines ends: how many were learnt in it without one. */
static void
io_esp_pmtu_minute(struct io_esp *io, uint64_t now_ns)
{
	if (now_ns - io->pmtu_log_ns < IO_ESP_PMTU_LOG_NS)
		return;
	if (io->pmtu_unlogged > 0)
		log_info("%u more path MTUs learnt from ICMPv6 Packet Too Big were not logged",
		    io->pmtu_unlogged);
	io->pmtu_log_ns = now_ns;
	io->pmtu_logged = io->pmtu_unlogged = 0;
}

/* The Packet Too Big notices since the last tick: each lowers the path MTU of the destination
 * of the ESP that did not fit, which the next-hop table then carries (ESP longer than it leaves
 * in fragments). Unauthenticated, as ICMP is: a forged one can make us fragment down to 1280
 * bytes, no further (RFC 8201), and one whose MTU the packet it quotes fits is ignored. */
static void
io_esp_pmtu_drain(struct io_esp *io, const struct db_snap *snap, uint64_t now_ns)
{
	uint8_t buf[IO_ESP_PTB_LEN];

	io_esp_pmtu_minute(io, now_ns);
	for (int i = 0; i < IO_ESP_PMTU_DRAIN; i++) {
		ssize_t n = recv(io->pmtu, buf, sizeof(buf), MSG_DONTWAIT | MSG_TRUNC);
		uint32_t mtu;
		bool ours;

		if (n < 0)
			return;
		/* No read lock: the control thread publishes the sockets' ports and the snapshot.
		 */
		ours = io_esp_ptb_ours(io, snap != NULL ? snap->sad : NULL, buf,
		    (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf));
		mtu = load_be32(buf + 4);
		/* RFC 8201 section 4: a message whose MTU is not below the length of the packet it
		 * quotes did not say that packet was too big; it teaches nothing. */
		if (!ours || mtu >= IPV6_HDR_LEN + (uint32_t)load_be16(buf + 8 + 4))
			continue;
		if (nexthops_learn_pmtu(&io->nh, buf + 8 + 24, mtu, now_ns))
			io_esp_pmtu_log(io, buf + 8 + 24, mtu);
	}
}

void
io_esp_tick(struct io_esp *io, const struct db_snap *snap, uint64_t now_ns)
{
	if (io->pmtu >= 0)
		io_esp_pmtu_drain(io, snap, now_ns);
	if (io->link >= 0)
		nexthops_tick(&io->nh, now_ns);
	io_udp_tick(&io->udp);
}

/* The next hop of p's pair in the published table, or NULL; ESP (next header 50 right after the
 * IPv6 header: what the link-layer path sends; or in UDP, udp) asks for a pair the table lacks,
 * which goes through the kernel meanwhile. Inside snap_read_lock(). */
static struct nexthop *
io_esp_nexthop(struct io_esp *io, const struct pkt *p, bool udp)
{
	const uint8_t *ip6 = pkt_data(p);
	struct nexthop *nh;

	if (io->link < 0 || p->len < IPV6_HDR_LEN)
		return NULL;
	nh = nexthops_lookup(&io->nh, ip6 + 8, ip6 + 24);
	if (nh == NULL && (udp || ip6[6] == IO_ESP_PROTO))
		nexthops_ask(&io->nh, ip6 + 8, ip6 + 24);
	return nh;
}

/* An engine-made ESP-in-UDP packet that leaves in fragments rather than through its socket: its
 * UDP checksum, which the socket would have computed (RFC 8200 section 8.1). */
static void
io_esp_udp_csum(struct pkt *p)
{
	uint8_t *ip6 = pkt_data(p), *uh = ip6 + IPV6_HDR_LEN;
	uint32_t len = p->len - IPV6_HDR_LEN;
	uint16_t c;

	store_be16(uh + 6, 0);
	c = gso_csum_fold(gso_pseudo(ip6, len, IPPROTO_UDP) + gso_csum_add(0, uh, len));
	if (c == 0)
		c = 0xffff; /* 0 means none */
	memcpy(uh + 6, &c, sizeof(c));
}

/* How long a packet to nh's destination may be: its path's MTU (its interface's, or less after
 * a Packet Too Big), else the link MTU ipsec6d was given. */
static uint32_t
io_esp_mtu(const struct io_esp *io, const struct nexthop *nh)
{
	return nh != NULL && nh->mtu != 0 ? nh->mtu : io->link_mtu;
}

/* Whether p goes by the link layer: an ESP packet to its next hop nh, resolved, on Ethernet
 * (p fits its MTU: io_esp_mtu()). Its Ethernet header is then written in front of it and sll
 * addressed. Once a second a pair's packet takes the kernel's output anyway, so that neighbour
 * discovery keeps confirming (or replacing) the address the fast path sends to. Inside
 * snap_read_lock(). */
static bool
io_esp_link_prepare(struct nexthop *nh, struct pkt *p, uint64_t now, struct sockaddr_ll *sll)
{
	uint8_t *ip6 = pkt_data(p);

	if (nh == NULL || p->off < NEXTHOP_ETH_HDR_LEN || ip6[6] != IO_ESP_PROTO)
		return false;
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
 * full queue) so that it does not stall the rest; refused[i] is 0 for a packet sent, else the
 * errno it was refused with. Returns how many the kernel refused. */
static size_t
io_esp_sendmmsg(int fd, struct mmsghdr *msgs, size_t n, int *refused)
{
	size_t done = 0, count = 0;

	while (done < n) {
		int rc = sendmmsg(fd, msgs + done, (unsigned)(n - done), 0);

		if (rc >= 0) {
			for (int i = 0; i < rc; i++)
				refused[done++] = 0;
		} else if (errno != EINTR) {
			refused[done++] = errno;
			count++;
		}
	}
	return count;
}

/* The fragments of a run of packets, sent through tx in as few sendmmsg() calls as fit
 * IO_ESP_FRAG_MSGS fragments and IO_ESP_FRAG_HEADS bytes of unfragmentable parts: a burst of
 * packets longer than their path costs a system call, not one per packet (guarantee 7). */
#define IO_ESP_FRAG_MSGS  128u
#define IO_ESP_FRAG_HEADS 8192u
struct io_esp_frags {
	struct mmsghdr msgs[IO_ESP_FRAG_MSGS];
	struct iovec iov[IO_ESP_FRAG_MSGS][3];
	uint8_t fh[IO_ESP_FRAG_MSGS][8];
	uint8_t owner[IO_ESP_FRAG_MSGS]; /* the packet (of the run) a fragment is of */
	int refused[IO_ESP_FRAG_MSGS];
	uint8_t heads[IO_ESP_FRAG_HEADS]; /* each packet's first and last unfragmentable parts */
	size_t nmsgs, nheads;
	struct sockaddr_in6 to[ENGINE_BURST_MAX];
	_Alignas(struct cmsghdr) char cmsg[ENGINE_BURST_MAX][IO_ESP_CMSG_TX];
	/* 0 for a packet sent, else the errno a fragment of it was refused with, or -1: it could
	 * not be cut. */
	int lost[ENGINE_BURST_MAX];
};

_Static_assert(FRAG_PIECES_MAX <= IO_ESP_FRAG_MSGS && 2 * FRAG_HDR_MAX <= IO_ESP_FRAG_HEADS,
    "a packet's fragments fit an empty struct io_esp_frags");
_Static_assert(ENGINE_BURST_MAX <= 256, "owner holds a packet's index");

/* Send the fragments gathered in f; a packet with a fragment the kernel refused is lost. */
static void
io_esp_frags_flush(struct io_esp *io, struct io_esp_frags *f)
{
	if (f->nmsgs > 0 && io_esp_sendmmsg(io->tx, f->msgs, f->nmsgs, f->refused) > 0) {
		for (size_t k = 0; k < f->nmsgs; k++) {
			if (f->lost[f->owner[k]] == 0)
				f->lost[f->owner[k]] = f->refused[k];
		}
	}
	f->nmsgs = f->nheads = 0;
}

/* Add p, the j-th packet of the run, to f in fragments of at most mtu bytes (RFC 8200 section
 * 4.5): ESP longer than its path (RFC 4303 section 3.3.4: ESP is fragmented after it is
 * applied), ESP after extension headers, or a datagram made whole for transport mode whose
 * policy passes it in the clear. Every fragment refers to p's bytes: nothing is copied but the
 * headers. Returns false for a packet that cannot be cut (frag_plan()). */
static bool
io_esp_frags_add(struct io_esp *io, struct io_esp_frags *f, struct pkt *p, size_t j, uint32_t mtu)
{
	uint8_t *d = pkt_data(p), *head;
	struct frag_plan plan;
	struct msghdr src = { 0 };
	uint32_t id;

	if (frag_plan(d, p->len, mtu, &plan) != 0)
		return false;
	/* A packet fits an empty f (the assertions above). */
	if (f->nmsgs + plan.n > IO_ESP_FRAG_MSGS ||
	    f->nheads + 2 * plan.unfrag_len > IO_ESP_FRAG_HEADS)
		io_esp_frags_flush(io, f);
	id = frag_ident(&io->frag_ids, d);
	head = f->heads + f->nheads;
	f->nheads += 2 * plan.unfrag_len;
	frag_piece_head(&plan, d, 0, head);
	frag_piece_head(&plan, d, plan.n - 1, head + plan.unfrag_len);
	f->to[j] = (struct sockaddr_in6){ .sin6_family = AF_INET6 };
	memcpy(&f->to[j].sin6_addr, d + 24, 16);
	io_esp_set_src(&src, f->cmsg[j], sizeof(f->cmsg[j]), d, false);
	for (uint32_t i = 0; i < plan.n; i++) {
		size_t k = f->nmsgs++;

		frag_piece_hdr(&plan, i, id, f->fh[k]);
		f->iov[k][0] = (struct iovec){ head + (i + 1 == plan.n ? plan.unfrag_len : 0),
			plan.unfrag_len };
		f->iov[k][1] = (struct iovec){ f->fh[k], sizeof(f->fh[k]) };
		f->iov[k][2] = (struct iovec){ d + plan.unfrag_len + i * plan.data_len,
			frag_piece_len(&plan, i) };
		f->msgs[k] = (struct mmsghdr){ { &f->to[j], sizeof(f->to[j]), f->iov[k], 3,
						   src.msg_control, src.msg_controllen, 0 },
			0 };
		f->owner[k] = (uint8_t)j;
	}
	return true;
}

/* Send the run pkts[0..n) (n <= ENGINE_BURST_MAX), each in fragments of at most mtu[i] bytes.
 * Returns how many were lost: not cut, or a fragment refused (which loses the datagram).
 * refused[i], unless NULL: 0 for a packet sent, else the errno a fragment of it was refused
 * with, or -1: it could not be cut. */
static size_t
io_esp_send_frags(
    struct io_esp *io, struct pkt *const *pkts, const uint32_t *mtu, size_t n, int *refused)
{
	struct io_esp_frags f;
	size_t lost = 0;

	f.nmsgs = f.nheads = 0;
	for (size_t j = 0; j < n; j++)
		f.lost[j] = io_esp_frags_add(io, &f, pkts[j], j, mtu[j]) ? 0 : -1;
	io_esp_frags_flush(io, &f);
	for (size_t j = 0; j < n; j++) {
		lost += f.lost[j] != 0;
		if (refused != NULL)
			refused[j] = f.lost[j];
	}
	return lost;
}

/* Packets of pkts[0..n) that the kernel refused as longer than their interface (refused[i]:
 * EMSGSIZE from the raw socket, for a packet or for its fragments of mtu[i] bytes, EMSGSIZE or
 * EINVAL, as the kernel's version has it, from a UDP_SEGMENT run whose segments are longer) go
 * again in fragments of IPV6_MTU_MIN, which any path takes: a pair not in the next-hop table
 * yet has the link MTU ipsec6d was given as its limit, which a narrower interface (PPPoE's
 * 1492, a tunnel) refuses until the table has its own. The shorter last packet of such a run
 * (udp: the packets were ESP in UDP), which fits, goes again alone, after the fragments of
 * those before it. Returns how many were sent so. */
static size_t
io_esp_send_smaller(struct io_esp *io, struct pkt *const *pkts, const uint32_t *mtu,
    const int *refused, size_t n, bool udp)
{
	struct pkt *again[ENGINE_BURST_MAX];
	uint32_t again_mtu[ENGINE_BURST_MAX];
	size_t m = 0, sent = 0;
	bool cut = false; /* pkts[i - 1] goes again in fragments */

	for (size_t i = 0; i < n; i++) {
		const uint8_t *ip6 = pkt_data(pkts[i]);
		bool was_cut = cut;
		int r;

		cut = false;
		if ((refused[i] != EMSGSIZE && refused[i] != EINVAL) || mtu[i] <= IPV6_MTU_MIN)
			continue;
		if (pkts[i]->len <= IPV6_MTU_MIN) {
			if (!udp || !was_cut)
				continue;
			sent += m > 0 ? m - io_esp_send_frags(io, again, again_mtu, m, NULL) : 0;
			m = 0;
			sent += 1 - io_udp_send(&io->udp, pkts + i, 1, &r);
			continue;
		}
		if (ip6[6] == IPPROTO_UDP)
			io_esp_udp_csum(pkts[i]);
		again[m] = pkts[i];
		again_mtu[m++] = IPV6_MTU_MIN;
		cut = true;
	}
	return sent + (m > 0 ? m - io_esp_send_frags(io, again, again_mtu, m, NULL) : 0);
}

/* How a packet leaves. */
enum io_esp_path {
	IO_ESP_RAW,  /* the kernel's IP output */
	IO_ESP_LINK, /* the packet socket, to a resolved next hop */
	IO_ESP_UDP,  /* ESP in UDP, a UDP socket */
	IO_ESP_FRAG, /* longer than its path: in fragments, through tx */
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
	uint32_t mtu[ENGINE_BURST_MAX];
	int refused_at[ENGINE_BURST_MAX];
	/* CMSG_SPACE() is a multiple of the alignment, so every row is aligned. */
	_Alignas(struct cmsghdr) char cmsg[ENGINE_BURST_MAX][IO_ESP_CMSG_TX];
	uint64_t now = io->link >= 0 ? io_esp_now_ns() : 0;
	size_t done = 0, refused = 0;
	struct nexthop *last = NULL;
	const uint8_t *last_pair = NULL;

	if (n > ENGINE_BURST_MAX)
		n = ENGINE_BURST_MAX;
	snap_read_lock(); /* the next-hop table */
	for (size_t i = 0; i < n; i++) {
		struct msghdr *mh = &msgs[i].msg_hdr;
		struct nexthop *nh;

		bool udp = io_udp_takes(&io->udp, pkts[i]);

		if (!udp && io_esp_is_unsent_udp(pkts[i])) {
			path[i] = IO_ESP_NONE;
			continue;
		}
		/* Packets of one pair come in runs: its next hop is looked up once if found, else
		 * for each packet (a clear one does not ask for its pair, the ESP behind does). */
		if (last == NULL || memcmp(pkt_data(pkts[i]) + 8, last_pair, 32) != 0) {
			last = io_esp_nexthop(io, pkts[i], udp);
			last_pair = pkt_data(pkts[i]) + 8;
		}
		nh = last;
		mtu[i] = io_esp_mtu(io, nh);
		if (pkts[i]->len > mtu[i]) {
			if (udp)
				io_esp_udp_csum(pkts[i]);
			path[i] = IO_ESP_FRAG;
			continue;
		}
		if (udp) {
			path[i] = IO_ESP_UDP;
			continue;
		}
		memset(&msgs[i], 0, sizeof(msgs[i]));
		mh->msg_name = &to[i];
		mh->msg_iov = &iov[i];
		mh->msg_iovlen = 1;
		path[i] =
		    io_esp_link_prepare(nh, pkts[i], now, &to[i].ll) ? IO_ESP_LINK : IO_ESP_RAW;
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
		if (path[done] == IO_ESP_UDP) {
			/* A refused run goes again before the next: a flow keeps its order. */
			r = 0;
			for (size_t s = done, e; s < end; s = e) {
				size_t rs;

				e = io_udp_run_end(&io->udp, pkts, s, end);
				rs = io_udp_send(&io->udp, pkts + s, e - s, refused_at + s);
				if (rs > 0)
					rs -= io_esp_send_smaller(
					    io, pkts + s, mtu + s, refused_at + s, e - s, true);
				r += rs;
			}
		} else if (path[done] == IO_ESP_NONE) {
			r = end - done;
		} else if (path[done] == IO_ESP_FRAG) {
			r = io_esp_send_frags(
			    io, pkts + done, mtu + done, end - done, refused_at + done);
		} else {
			r = io_esp_sendmmsg(path[done] == IO_ESP_LINK ? io->link : io->tx,
			    msgs + done, end - done, refused_at + done);
		}
		/* A device gone or changed under the table: its pair is resolved again. */
		for (size_t i = done; r > 0 && path[done] == IO_ESP_LINK && i < end; i++) {
			if (refused_at[i])
				nexthops_ask(
				    &io->nh, pkt_data(pkts[i]) + 8, pkt_data(pkts[i]) + 24);
		}
		if (r > 0 && (path[done] == IO_ESP_RAW || path[done] == IO_ESP_FRAG))
			r -= io_esp_send_smaller(
			    io, pkts + done, mtu + done, refused_at + done, end - done, false);
		refused += r;
		done = end;
	}
	snap_read_unlock();
	return (int)(n - refused);
}
