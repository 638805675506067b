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
 * read its response into *reply. Returns 0 when a well-formed response arrived (ok or error:
 * see reply->status); otherwise a negative errno with one sentence in err, e.g.
 * "cannot reach ipsec6d at PATH (No such file or directory); start it with: ipsec6d". Release
 * the reply with client_reply_fini() in either case. */
__attribute__((warn_unused_result)) int client_exchange(
    const char *path, const char *request, size_t len, struct client_reply *reply, struct err *err);

/* Split reply->raw (every byte received) into the status and the body, in place. Returns 0
 * when it is a well-formed response (ok or error: see reply->status); otherwise -EPROTO with
 * one sentence in err. */
__attribute__((warn_unused_result)) int client_reply_parse(
    struct client_reply *reply, struct err *err);

void client_reply_fini(struct client_reply *reply);

#endif
