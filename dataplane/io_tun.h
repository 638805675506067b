/* SPDX-License-Identifier: MIT */
/* The TUN device through which the kernel hands ipsec6d the packets that policies send to it,
 * and through which decrypted packets re-enter the stack. */
#ifndef IPSEC6_IO_TUN_H
#define IPSEC6_IO_TUN_H

#include <sys/types.h>

#include <linux/virtio_net.h>

#include <stddef.h>
#include <stdint.h>

#include "gso.h"
#include "ipsec6/err.h"
#include "ipsec6/pkt.h"

/* Create (or attach to) TUN device name, without packet information headers, with a
 * virtio-net header in front of every packet (IFF_VNET_HDR) and, where the kernel offers them,
 * checksum and IPv6 TCP segmentation offloads, so that one read can return a 64 KB TCP
 * super-packet (see gso.h); non-blocking, close-on-exec. Switch off IPv6 address generation
 * (no link-local address: the device sends nothing unasked); set its MTU and bring it up. Returns 0
 * and the fd in *out, or a negative errno with a reason. */
__attribute__((warn_unused_result)) int io_tun_open(
    const char *name, uint32_t mtu, int *out, struct err *err);

/* Read one packet: its virtio-net header into vh, the packet into buf (cap bytes; GSO_PKT_MAX
 * holds any). Returns its length, or -1 with errno (EAGAIN when the queue is empty). Data
 * path. */
ssize_t io_tun_read(int fd, struct virtio_net_hdr *vh, uint8_t *buf, size_t cap);

/* Segments joined into one write at most: a 64 KB super-packet of 1280-byte segments. */
#define IO_TUN_RUN_MAX 64

/* Writes IPv6 packets to the TUN device, joining consecutive TCP segments of one flow into
 * super-packets (gso_run_add()) so that the kernel receives, and acknowledges, up to 64 KB at
 * a time. The segments of the open run stay borrowed until it is written. */
struct io_tun_writer {
	int fd;
	uint64_t refused;                 /* packets the device refused, for the caller to count */
	size_t count;                     /* segments in the open run; 0: none open */
	uint64_t tag;                     /* the tag its first segment came with */
	struct gso_run run;               /* valid while count > 0 */
	struct pkt *pkts[IO_TUN_RUN_MAX]; /* the open run's segments */
};

void io_tun_writer_init(struct io_tun_writer *w, int fd);

/* Write p (a whole IPv6 packet), or keep it in the open run when it joins, or start a run
 * with it. What cannot join writes the open run first; a run that nothing more can join
 * (gso_run_closed()) is written at once, so PSH is not held back. tag is the caller's (for
 * instance which buffers p is in). The first segment of a run has its headers rewritten when
 * the run is written. Packets that the device refuses (it is down or gone) are added to
 * refused; a full queue drops them inside the kernel, as a full link would. Data path. */
void io_tun_writer_add(struct io_tun_writer *w, struct pkt *p, uint64_t tag);

/* Write the open run, if any. Data path. */
void io_tun_writer_flush(struct io_tun_writer *w);

/* Whether device name is up: 1, 0 (down), or a negative errno with a reason (-ENODEV: there
 * is no such device). */
__attribute__((warn_unused_result)) int io_tun_is_up(const char *name, struct err *err);

/* Change the MTU of device name. Returns 0 or a negative errno with a reason. */
__attribute__((warn_unused_result)) int io_tun_set_mtu(
    const char *name, uint32_t mtu, struct err *err);

#endif
