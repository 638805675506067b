// SPDX-License-Identifier: MIT
/* libFuzzer harness for the receive ring's frame parser (dataplane/io_ring.c, io_ring_frame): the
 * packet bytes come from the wire, the frame header from the kernel. Byte 0 of the input picks
 * the link-layer packet type, whether the packet's own destination is among the ring's, and how
 * many bytes the kernel captured; the rest is the IPv6 packet. Invariants: a packet taken is ESP
 * right after the IPv6 header, for one of the destinations, whole (its payload length within
 * what was captured), copied exactly, with its addresses, hop limit and traffic class. */
#include <linux/if_packet.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "io_ring.h"
#include "ipsec6/bytes.h"

#define FZ_NET   80u /* where the kernel puts the packet in a frame (SOCK_DGRAM, TPACKET_V2) */
#define FZ_ROOM  2048u
#define FZ_TRUNC 0x04 /* capture only part of the packet */
#define FZ_OWN   0x08 /* the packet's own destination is one of the ring's */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static _Alignas(struct tpacket2_hdr) uint8_t frame[IO_RING_FRAME];
	static uint8_t buf[PKT_HEADROOM + FZ_ROOM + PKT_TAILROOM];
	static struct io_ring_dsts dsts;
	struct tpacket2_hdr *h = (void *)frame;
	struct sockaddr_ll *sll = (void *)(frame + TPACKET_ALIGN(sizeof(*h)));
	struct pkt p = { buf, sizeof(buf), 0, 0 };
	struct esp_meta meta;
	size_t len, cap = IO_RING_FRAME - FZ_NET;
	uint8_t mode;
	bool taken;

	if (size < 1)
		return 0;
	mode = data[0];
	data++;
	size--;
	len = size < cap ? size : cap;
	if ((mode & FZ_TRUNC) != 0 && len > 0)
		len = len * (mode >> 4) / 16;
	memset(frame, 0xa5, sizeof(frame));
	memset(h, 0, sizeof(*h));
	memset(sll, 0, sizeof(*sll));
	h->tp_status = TP_STATUS_USER;
	h->tp_len = (uint32_t)size;
	h->tp_snaplen = (uint32_t)len;
	h->tp_net = FZ_NET;
	sll->sll_pkttype = mode & 0x03; /* PACKET_HOST, BROADCAST, MULTICAST, OTHERHOST */
	memcpy(frame + FZ_NET, data, len);
	dsts.n = 1;
	memset(&dsts.addr[0], 0, sizeof(dsts.addr[0]));
	dsts.addr[0].s6_addr[0] = 0x20;
	dsts.addr[0].s6_addr[1] = 0x01;
	if ((mode & FZ_OWN) != 0 && len >= 40) {
		memcpy(&dsts.addr[1], data + 24, 16);
		dsts.n = 2;
	}

	taken = io_ring_frame(h, &dsts, &p, &meta);
	if (!taken)
		return 0;
	/* Taken: ESP of a served destination, sent to this host, whole, copied as it came. */
	if (len < 40 || data[6] != 50 || sll->sll_pkttype != PACKET_HOST ||
	    40u + load_be16(data + 4) > len || p.off != PKT_HEADROOM ||
	    p.len != load_be16(data + 4) || memcmp(pkt_data(&p), data + 40, p.len) != 0 ||
	    memcmp(&meta.src, data + 8, 16) != 0 || memcmp(&meta.dst, data + 24, 16) != 0 ||
	    meta.hop_limit != data[7] || meta.tclass != (uint8_t)((data[0] << 4) | (data[1] >> 4)))
		abort();
	if (memcmp(&meta.dst, &dsts.addr[0], 16) != 0 &&
	    (dsts.n < 2 || memcmp(&meta.dst, &dsts.addr[1], 16) != 0))
		abort();
	return 0;
}
