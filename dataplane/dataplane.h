/* SPDX-License-Identifier: MIT */
/* ipsec6d's packet path: the TUN device, the raw ESP sockets, the steering rules and routes,
 * and two threads (outbound: TUN -> engine -> ESP socket; inbound: ESP socket -> engine ->
 * TUN) that read the database through RCU-published snapshots. */
#ifndef IPSEC6_DATAPLANE_H
#define IPSEC6_DATAPLANE_H

#include <stdbool.h>
#include <stdint.h>

#include "ipsec6/crypto.h"
#include "ipsec6/db.h"
#include "ipsec6/drop.h"
#include "ipsec6/err.h"

#define DP_MARK_DEFAULT      0x69700001u /* steered packets */
#define DP_SOCK_MARK_DEFAULT 0x69700002u /* ipsec6d's own ESP */
#define DP_TABLE_DEFAULT     6936u
#define DP_RULE_PRIO_DEFAULT 6936u
#define DP_LINK_MTU_DEFAULT  1500u

struct dp_config {
	const char *tun;
	enum crypto_backend backend;
	uint32_t mark;
	uint32_t sock_mark;
	uint32_t table;
	uint32_t rule_priority;
	uint32_t link_mtu; /* of the path the ESP packets take; the TUN MTU leaves room for ESP */
};

/* Fill cfg with the defaults (TUN "ipsec6", backend auto). */
void dp_config_default(struct dp_config *cfg);

struct dataplane;

/* Open the TUN device and sockets, publish a snapshot of db, install routes and the steering
 * table; the packet threads start with dp_run() (in between, the daemon drops its
 * privileges: the threads inherit what is left). Returns 0 or a negative errno with a reason;
 * on failure nothing is left behind except a blackhole route (fail closed). Control thread. */
__attribute__((warn_unused_result)) int dp_start(
    const struct dp_config *cfg, const struct db *db, struct dataplane **out, struct err *err);

/* Start the packet threads. Returns 0 or -EAGAIN with a reason (dp_stop() then cleans up). */
__attribute__((warn_unused_result)) int dp_run(struct dataplane *dp, struct err *err);

/* Put db in force: resize the TUN MTU, load the steering table, publish a new snapshot to the
 * packet threads (the old one is freed once no thread reads it); a data path that had failed
 * closed opens again. All or nothing: returns 0, or a negative errno with a reason and what
 * was in force still is (without the TUN device, -ENODEV: the data path fails closed).
 * Control thread. */
__attribute__((warn_unused_result)) int dp_update(
    struct dataplane *dp, const struct db *db, struct err *err);

/* Fail closed: the packet threads drop everything (counted as fail-closed), and the steering
 * table drops, and counts, the traffic of every policy of db, whatever its action, until
 * dp_update() succeeds. Logged. Control thread. */
void dp_fail_closed(struct dataplane *dp, const struct db *db, const char *why);
bool dp_is_closed(const struct dataplane *dp);

/* Every tick (SEQ_TICK_MS): what the kernel said of links, neighbours and routes, and what the
 * senders asked for, goes into the next-hop table. Control thread. */
void dp_poll(struct dataplane *dp);

/* Once a second: fail closed if the TUN device is gone; when the host's addresses that are SA
 * destinations changed (an address added after its SA), tell the receive ring and the
 * steering table. Control thread. */
void dp_tick(struct dataplane *dp, const struct db *db);

/* Clean stop: remove the steering table, stop the threads, remove routes and rule, close
 * everything. Returns 0, or a negative errno when the steering table could not be removed
 * (logged; it then keeps steering into the blackhole). NULL is a no-op. */
int dp_stop(struct dataplane *dp);

/* Drops that had no SA to be counted against, summed over the threads (queue-full: and the
 * receive ring's losses). Control thread. */
uint64_t dp_global_drops(struct dataplane *dp, enum pkt_drop drop);

#endif
