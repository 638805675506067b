/* SPDX-License-Identifier: MIT */
/* Policy routing for the steering (libmnl, rtnetlink): packets that the nftables rules mark go
 * to a table of their own whose default route is the TUN device. A blackhole route in the same
 * table, at a worse metric, keeps them from falling back to the main table when the device
 * is gone: fail closed. */
#ifndef IPSEC6_ROUTE_H
#define IPSEC6_ROUTE_H

#include <libmnl/libmnl.h>
#include <stddef.h>
#include <stdint.h>

#include "ipsec6/err.h"

struct route_params {
	uint32_t mark;     /* fwmark set by the steering rules */
	uint32_t table;    /* routing table of ipsec6d */
	uint32_t priority; /* of the ip -6 rule */
	unsigned ifindex;  /* of the TUN device */
};

/* Install the rule, the blackhole and the default route through the device. Entries that
 * exist already (left by a daemon that was killed) are kept. Returns 0 or a negative errno. */
__attribute__((warn_unused_result)) int route_install(
    const struct route_params *p, struct err *err);

/* Remove the device route and the rule; keep_blackhole leaves the blackhole (fail closed while
 * the table still marks packets). Errors are ignored: this is clean-up. */
void route_remove(const struct route_params *p, int keep_blackhole);

/* No IPv6 address generation on interface ifindex (IFLA_INET6_ADDR_GEN_MODE none, as
 * `ip link set DEV addrgenmode none`): no link-local address, so nothing it would send unasked
 * (router solicitations, DAD, MLD reports). Before the device goes up. Through rtnetlink, not
 * /proc/sys, which a service manager may have made read-only. Returns 0 or a negative errno. */
__attribute__((warn_unused_result)) int route_link_no_addrconf(unsigned ifindex, struct err *err);

/* Send the request nlh on nl (bound) and run cb (NULL: none) on its answer, read into buf of
 * size bytes, which may be the buffer nlh is in. Answers to earlier requests (another sequence
 * number, left by a receive timeout) are skipped. Returns 0 or a negative errno: the kernel's
 * answer, or the socket's (EAGAIN on a timeout). */
__attribute__((warn_unused_result)) int route_nl_talk(struct mnl_socket *nl,
    const struct nlmsghdr *nlh, void *buf, size_t size, mnl_cb_t cb, void *data);

#endif
