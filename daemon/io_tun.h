/* SPDX-License-Identifier: MIT */
/* The TUN device through which the kernel hands ipsec6d the packets that policies send to it,
 * and through which decrypted packets re-enter the stack. */
#ifndef IPSEC6_IO_TUN_H
#define IPSEC6_IO_TUN_H

#include <stddef.h>
#include <stdint.h>

#include "ipsec6/err.h"

/* Create (or attach to) TUN device name, without packet information headers, non-blocking,
 * close-on-exec; switch off IPv6 address generation, router solicitations and RA acceptance
 * so the device sends nothing unasked; set its MTU and bring it up. Returns 0 and the fd, or a
 * negative errno with a reason. */
__attribute__((warn_unused_result)) int io_tun_open(const char *name, uint32_t mtu, int *fd,
    struct err *err);

/* Change the MTU of device name. Returns 0 or a negative errno with a reason. */
__attribute__((warn_unused_result)) int io_tun_set_mtu(const char *name, uint32_t mtu,
    struct err *err);

#endif
