/* SPDX-License-Identifier: MIT */
/* The record lines of the list queries (doc/control-protocol.md) and the Wireshark esp_sa
 * export. Lists never carry keys; the export is the one place that does. */
#ifndef IPSEC6_SHOW_H
#define IPSEC6_SHOW_H

#include <stdint.h>

#include "ipsec6/db.h"
#include "ipsec6/drop.h"
#include "proto.h"

/* Append one record per SA, in add order: name, source, destination, spi, mode, encryption,
 * integrity, used-by (the policies bound to the SA, in SPD order, joined by ','). Returns 0
 * or -ENOMEM (out may then hold part of the list). */
__attribute__((warn_unused_result)) int show_sa_list(const struct db *db, struct proto_buf *out);

/* Append one record per policy, in SPD order: name, source, destination, source-port,
 * destination-port, protocol, direction, action, mode, sa-name. Returns 0 or -ENOMEM. */
__attribute__((warn_unused_result)) int show_sp_list(const struct db *db, struct proto_buf *out);

/* Append one Wireshark esp_sa line per SA ("IPv6","SRC","DST","0xSPI","ENC","0xKEY","AUTH",
 * "0xKEY"; '*' for any), keys included. Returns 0 or -ENOMEM. */
__attribute__((warn_unused_result)) int show_wireshark(const struct db *db, struct proto_buf *out);

/* Counters that live outside the database: the data path's drops without an SA, and the
 * kernel's per-rule packet counts of the steering table. */
struct show_counters {
	uint64_t global_drops[PKT_DROP__COUNT];
	uint64_t (*policy_hits)(void *ctx, const struct sp *sp); /* NULL: none */
	void *ctx;
};

/* `stats` records: one `type=sa` per SA (packets and bytes in and out, drops by reason as
 * "reason:n,..."), one `type=sp` per policy (matches), one `type=global` (drops without an
 * SA). Returns 0 or -ENOMEM. */
__attribute__((warn_unused_result)) int show_stats(
    const struct db *db, const struct show_counters *c, struct proto_buf *out);

/* The `stats` records with the data path's counters (state_set_stats() renderer): the
 * database's counters, the threads' drops without an SA, and the kernel's per-policy counts.
 * ctx is the struct dataplane. Returns 0 or -ENOMEM. Control thread. */
__attribute__((warn_unused_result)) int show_dp_stats(
    void *ctx, const struct db *db, struct proto_buf *out);

/* The same counters in Prometheus's text exposition format: ipsec6_sa_packets_total and
 * ipsec6_sa_bytes_total {sa, direction}, ipsec6_sa_drops_total {sa, reason} (reasons that
 * counted), ipsec6_sa_sequence_space_used_ratio {sa}, ipsec6_sp_matches_total {sp, direction,
 * action}, ipsec6_drops_total {reason}. No key, ever. Returns 0 or -ENOMEM. */
__attribute__((warn_unused_result)) int show_metrics(
    const struct db *db, const struct show_counters *c, struct proto_buf *out);

/* show_metrics() with the data path's counters (ctx: the struct dataplane), or without a data
 * path (ctx unused): the renderers of struct metrics_source. */
__attribute__((warn_unused_result)) int show_dp_metrics(
    void *ctx, const struct db *db, struct proto_buf *out);
__attribute__((warn_unused_result)) int show_db_metrics(
    void *ctx, const struct db *db, struct proto_buf *out);

#endif
