// SPDX-License-Identifier: MIT
/* The receive ring (io_ring.h): set-up of the AF_PACKET socket, its filter and its frames;
 * taking ESP out of the frames; the RCU-published set of destinations it serves. */
#include "io_ring.h"

#include <sys/mman.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>

#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipsec6/bytes.h"
#include "log.h"
#include "snap.h"

#define IO_RING_MAP_LEN  ((size_t)IO_RING_FRAME * IO_RING_FRAMES)
#define IO_RING_BLOCK    ((size_t)IO_RING_FRAME * 16u) /* 16 frames: a block is contiguous memory */
#define IO_RING_ESP      50
#define IO_RING_IP6_HLEN 40u
#define IO_RING_SLL_OFF  TPACKET_ALIGN(sizeof(struct tpacket2_hdr))

static int
io_ring_setopt(int fd, int name, const void *v, socklen_t len, const char *what, struct err *err)
{
	if (setsockopt(fd, SOL_PACKET, name, v, len) < 0)
		return err_set(err, errno, "packet ring: %s: %s", what, log_strerror(errno));
	return 0;
}

int
io_ring_open(struct io_ring *r, struct err *err)
{
	/* Let in only IPv6 packets whose first next header is ESP and whose payload length is
	 * at most IO_RING_PLEN_MAX: the same packets the steering rule drops (steer.c). The
	 * socket is SOCK_DGRAM, so offset 0 is the IPv6 header. */
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 0),
		BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0xf0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x60, 0, 5),
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 6),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IO_RING_ESP, 0, 3),
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 4),
		BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, IO_RING_PLEN_MAX, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, IO_RING_FRAME),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog = { sizeof(code) / sizeof(code[0]), code };
	struct tpacket_req req = { (unsigned)IO_RING_BLOCK,
		(unsigned)(IO_RING_MAP_LEN / IO_RING_BLOCK), IO_RING_FRAME, IO_RING_FRAMES };
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IPV6) };
	int version = TPACKET_V2, rc;

	*r = (struct io_ring){ .fd = -1 };
	atomic_init(&r->dsts, &r->sets[0]);
	/* Protocol 0 receives nothing until bind(): the filter and the ring come first. */
	r->fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (r->fd < 0)
		return err_set(err, errno, "no packet socket: %s", log_strerror(errno));
	rc = 0;
	if (setsockopt(r->fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) < 0)
		rc = err_set(err, errno, "packet ring: filter: %s", log_strerror(errno));
	if (rc == 0)
		rc = io_ring_setopt(
		    r->fd, PACKET_VERSION, &version, sizeof(version), "version", err);
	if (rc == 0)
		rc = io_ring_setopt(r->fd, PACKET_RX_RING, &req, sizeof(req), "ring", err);
	if (rc == 0) {
		r->map = mmap(NULL, IO_RING_MAP_LEN, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd, 0);
		if (r->map == MAP_FAILED) {
			r->map = NULL;
			rc = err_set(err, errno, "packet ring: mmap: %s", log_strerror(errno));
		}
	}
	if (rc == 0 && bind(r->fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		rc = err_set(err, errno, "packet ring: bind: %s", log_strerror(errno));
	if (rc < 0)
		io_ring_close(r);
	return rc;
}

void
io_ring_close(struct io_ring *r)
{
	if (r->map != NULL)
		(void)munmap(r->map, IO_RING_MAP_LEN); /* our own mapping */
	if (r->fd >= 0)
		close(r->fd);
	*r = (struct io_ring){ .fd = -1 };
}

void
io_ring_set_dsts(struct io_ring *r, const struct in6_addr *dsts, size_t n)
{
	struct io_ring_dsts *now = atomic_load_explicit(&r->dsts, memory_order_relaxed);
	struct io_ring_dsts *d = now == &r->sets[0] ? &r->sets[1] : &r->sets[0];

	if (r->fd < 0)
		return;
	/* No reader holds d: the last call waited for them to leave it. */
	d->n = n < IO_RING_DSTS_MAX ? n : IO_RING_DSTS_MAX;
	memcpy(d->addr, dsts, d->n * sizeof(d->addr[0]));
	atomic_store_explicit(&r->dsts, d, memory_order_release);
	snap_synchronize();
}

static bool
io_ring_serves(const struct io_ring_dsts *d, const uint8_t *dst)
{
	for (size_t i = 0; i < d->n; i++) {
		if (memcmp(&d->addr[i], dst, 16) == 0)
			return true;
	}
	return false;
}

bool
io_ring_frame(const struct tpacket2_hdr *h, const struct io_ring_dsts *d, struct pkt *p,
    struct esp_meta *meta)
{
	const struct sockaddr_ll *sll = (const void *)((const uint8_t *)h + IO_RING_SLL_OFF);
	const uint8_t *ip6 = (const uint8_t *)h + h->tp_net;
	uint32_t plen;

	if (sll->sll_pkttype != PACKET_HOST || h->tp_snaplen < IO_RING_IP6_HLEN ||
	    ip6[6] != IO_RING_ESP || !io_ring_serves(d, ip6 + 24))
		return false;
	plen = load_be16(ip6 + 4);
	if (IO_RING_IP6_HLEN + plen > h->tp_snaplen || plen > p->size - PKT_HEADROOM - PKT_TAILROOM)
		return false;
	p->off = PKT_HEADROOM;
	p->len = plen;
	memcpy(pkt_data(p), ip6 + IO_RING_IP6_HLEN, plen);
	memset(meta, 0, sizeof(*meta));
	memcpy(&meta->src, ip6 + 8, 16);
	memcpy(&meta->dst, ip6 + 24, 16);
	meta->hop_limit = ip6[7];
	meta->tclass = (uint8_t)((ip6[0] << 4) | (ip6[1] >> 4));
	return true;
}

size_t
io_ring_take(struct io_ring *r, struct pkt *pkts, struct esp_meta *meta, size_t n)
{
	const struct io_ring_dsts *d;
	size_t got = 0;

	if (r->fd < 0)
		return 0;
	snap_read_lock();
	d = atomic_load_explicit(&r->dsts, memory_order_acquire);
	while (got < n) {
		struct tpacket2_hdr *h = (void *)(r->map + r->next * (size_t)IO_RING_FRAME);

		if ((__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER) == 0)
			break;
		if (io_ring_frame(h, d, &pkts[got], &meta[got]))
			got++;
		__atomic_store_n(&h->tp_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
		r->next = (r->next + 1) % IO_RING_FRAMES;
	}
	snap_read_unlock();
	return got;
}

uint64_t
io_ring_drops(struct io_ring *r)
{
	struct tpacket_stats st = { 0 };
	socklen_t len = sizeof(st);

	/* The kernel's counters restart at 0 with every read: they add up here. */
	if (r->fd >= 0 && getsockopt(r->fd, SOL_PACKET, PACKET_STATISTICS, &st, &len) == 0)
		r->drops += st.tp_drops;
	return r->drops;
}
