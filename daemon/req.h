/* SPDX-License-Identifier: MIT */
/* One control request in, one response out (doc/control-protocol.md): splits and parses the
 * command lines, runs a query or applies the changes as one transaction. No sockets, so that
 * it can be tested and fuzzed in-process. */
#ifndef IPSEC6_REQ_H
#define IPSEC6_REQ_H

#include <stdbool.h>

#include "proto.h"
#include "state.h"

/* The most words a command line may have (an sa add with every option uses about 20). */
#define REQ_WORDS_MAX 64

/* What a client may do (doc/ipsec6d.md, "The control socket"). */
enum req_access {
	REQ_READ,  /* lists and counters: sa list, sp list, stats */
	REQ_ADMIN, /* everything: changes, and what shows keys (save, sa export) */
};

/* Handle the complete request req (its text is modified in place) against st for a client
 * with access, appending the whole response — status line, then records or text — to out.
 * Never fails: errors become an "error MESSAGE" response. Returns true when the request was
 * `monitor` and was granted: the connection then stays open for the events (events.h), out
 * holding "ok" and the first of them. */
bool req_handle(
    struct state *st, enum req_access access, struct proto_request *req, struct proto_buf *out);

#endif
