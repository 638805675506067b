/* SPDX-License-Identifier: MIT */
/* The record lines of the list queries (doc/control-protocol.md) and the Wireshark esp_sa
 * export. Lists never carry keys; the export is the one place that does. */
#ifndef IPSEC6_SHOW_H
#define IPSEC6_SHOW_H

#include "ipsec6/db.h"
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

#endif
