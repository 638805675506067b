/* SPDX-License-Identifier: MIT */
/* The TUN device through which the kernel hands ipsec6d the packets that policies send to it,
 * and through which decrypted packets re-enter the stack. */
#ifndef IPSEC6_IO_TUN_H
#define IPSEC6_IO_TUN_H

#include <sys/types.h>

#include <linux/virtio_net.h>

#include <stddef.h>
#include <stdint.h>

#include "ipsec6/err.h"
#include "ipsec6/pkt.h"

/* Create (or attach to) TUN device name, without packet information headers, with a
 * virtio-net header in front of every packet (IFF_VNET_HDR) and, where the kernel offers them,
 * checksum and IPv6 TCP segmentation offloads, so that one read can return a 64 KB TCP
 * super-packet (see gso.h); non-blocking, close-on-exec. Switch off IPv6 address generation, router
 * solicitations and RA acceptance so the device sends nothing unasked; set its MTU and bring it up.
 * Returns 0 and the fd, or a negative errno with a reason. */
__attribute__((warn_unused_result)) int io_tun_open(
    const char *name, uint32_t mtu, int *fd, struct err *err);

/* Read one packet: its virtio-net header into vh, the packet into buf (cap bytes; GSO_PKT_MAX
 * holds any). Returns its length, or -1 with errno (EAGAIN when the queue is empty). Data
 * path. */
ssize_t io_tun_read(int fd, struct virtio_net_hdr *vh, uint8_t *buf, size_t cap);

/* Write n whole IPv6 packets, joining consecutive TCP segments of one flow into super-packets
 * (gso_run_add()) so that the kernel receives, and acknowledges, 64 KB at a time. The first
 * packet of each joined run has its headers rewritten. A packet the kernel refuses (queue
 * full) is lost as on a full link. Data path. */
void io_tun_write_burst(int fd, struct pkt *const *pkts, size_t n);

/* Change the MTU of device name. Returns 0 or a negative errno with a reason. */
__attribute__((warn_unused_result)) int io_tun_set_mtu(
    const char *name, uint32_t mtu, struct err *err);

#endif
