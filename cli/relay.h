/* SPDX-License-Identifier: MIT */
/* `ipsec6 --relay`: what ssh runs on a host that a remote command targets (remote.h). It greets,
 * reads the header and the request on standard input, and writes on standard output the answer
 * of this host's ipsec6d, of its inventory (`hosts list`), or, with a vihost in the header, of
 * the managed host's relay; or "relay-error MESSAGE". Not for people: not in the help. */
#ifndef IPSEC6_CLI_RELAY_H
#define IPSEC6_CLI_RELAY_H

#include <stddef.h>

#include "ipsec6/err.h"
#include "proto.h"

/* The relay's input, once read whole: the header's fields and the request. */
struct relay_input {
	char vihost[256]; /* "" when the header names none */
	const char *request;
	size_t request_len;
};

/* Parse text (len bytes: the header, an empty line, the request; modified in place) into in,
 * whose request points into text. Returns 0, or -EPROTO / -EINVAL with one sentence in err (a
 * client of another protocol, a header line not understood, a vihost that is not a host
 * name). */
__attribute__((warn_unused_result)) int relay_parse(
    char *text, size_t len, struct relay_input *in, struct err *err);

/* Serve one request on standard input and output. Returns the exit status: 0 once an answer
 * was written, 1 if it could not be. */
int relay_main(void);

#endif
