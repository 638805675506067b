/* SPDX-License-Identifier: MIT */
/* The CLI's side of the control socket: connect, send one request, read the whole response
 * (doc/control-protocol.md). Nothing is printed here. */
#ifndef IPSEC6_CLI_CLIENT_H
#define IPSEC6_CLI_CLIENT_H

#include <stddef.h>

#include "ipsec6/err.h"
#include "proto.h"

#define CLIENT_SOCKET_DEFAULT "/run/ipsec6/ipsec6.sock"
#define CLIENT_SOCKET_ENV     "IPSEC6_SOCKET"

/* A response, once complete. */
struct client_reply {
	struct proto_buf raw; /* every byte received (wiped on fini: `save` holds keys) */
	int status;           /* 0 for "ok", -1 for "error MESSAGE" */
	const char *message;  /* the MESSAGE of an error, NUL-terminated inside raw */
	char *body;           /* the lines after the status line, NUL-terminated inside raw */
	size_t body_len;
};

/* The socket path: option (may be NULL), else $IPSEC6_SOCKET when set and not empty, else
 * CLIENT_SOCKET_DEFAULT. */
const char *client_socket_path(const char *option);

/* Send request (len bytes of command lines, each ending in '\n') to the daemon at path and
 * append its whole answer to raw, as it came (the relay passes it on; client_reply_parse()
 * reads it). Returns 0 when the daemon answered; otherwise a negative errno with one sentence
 * in err, e.g. "cannot reach ipsec6d at PATH (No such file or directory); start it with:
 * ipsec6d". */
__attribute__((warn_unused_result)) int client_call(
    const char *path, const char *request, size_t len, struct proto_buf *raw, struct err *err);

/* client_call() and client_reply_parse() in one: the answer of the daemon at path, split.
 * Returns 0 when a well-formed answer arrived (ok or error: see reply->status), otherwise a
 * negative errno with one sentence in err. Release the reply with client_reply_fini() in
 * either case. */
__attribute__((warn_unused_result)) int client_exchange(
    const char *path, const char *request, size_t len, struct client_reply *reply, struct err *err);

/* Split reply->raw (a whole answer) into its status and body. Returns 0 when the answer is
 * well-formed (ok or error: see reply->status), or -EPROTO with the reason in err (no answer, an
 * unknown status line). Release the reply with client_reply_fini() in either case. */
__attribute__((warn_unused_result)) int client_reply_parse(
    struct client_reply *reply, struct err *err);

void client_reply_fini(struct client_reply *reply);

/* A request whose answer does not end (`monitor`): send it to the daemon at path, then call
 * line(ctx, LINE) for each line as it arrives (without its '\n', NUL-terminated, modifiable),
 * with no time limit, until the daemon closes (0) or line() returns non-zero (that value).
 * Otherwise a negative errno with one sentence in err. */
__attribute__((warn_unused_result)) int client_stream(const char *path, const char *request,
    size_t len, int (*line)(void *ctx, char *text), void *ctx, struct err *err);

#endif
