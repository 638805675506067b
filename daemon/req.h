/* SPDX-License-Identifier: MIT */
/* One control request in, one response out (doc/control-protocol.md): splits and parses the
 * command lines, runs a query or applies the changes as one transaction. No sockets, so that
 * it can be tested and fuzzed in-process. */
#ifndef IPSEC6_REQ_H
#define IPSEC6_REQ_H

#include "proto.h"
#include "state.h"

/* The most words a command line may have (an sa add with every option uses about 20). */
#define REQ_WORDS_MAX 64

/* Handle the complete request req (its text is modified in place) against st, appending the
 * whole response — status line, then records or text — to out. Never fails: errors become an
 * "error MESSAGE" response. */
void req_handle(struct state *st, struct proto_request *req, struct proto_buf *out);

#endif
