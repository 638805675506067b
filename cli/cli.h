/* SPDX-License-Identifier: MIT */
/* One run of the CLI: the settings the global options chose, the output held back (until the
 * end, or until a list has been read and parsed whole: a failure never leaves half a table),
 * and the exchange with ipsec6d shared by the three grammars (esxcli.c, vicfg.c, batch.c). */
#ifndef IPSEC6_CLI_CLI_H
#define IPSEC6_CLI_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "out.h"
#include "proto.h"
#include "remote.h"

#define CLI_WIDTH_DEFAULT 80

struct cli {
	const char *prog; /* the name invoked, for messages: "ipsec6", "esxcli", "vicfg-ipsec" */
	bool native;      /* the ipsec6 grammar: native options and commands allowed */
	enum out_format format;
	unsigned width; /* help text wraps at this column */
	bool debug;
	const char *socket;          /* --socket, or NULL */
	struct remote_target remote; /* --server and the rest; remote.server NULL: this host */
	struct proto_buf out;        /* standard output, written by cli_finish() */
	struct proto_buf err;        /* standard error, written by cli_finish() */
};

/* A syntax error: "Error: " and msg (its further lines indented under the first), a blank
 * line, then help, all on standard error. Returns the exit status, 1. */
int cli_usage_error(struct cli *cli, const struct proto_buf *msg, const struct proto_buf *help);

/* "PROG: message" on standard error. Returns the exit status, 1. */
__attribute__((format(printf, 2, 3))) int cli_fail(struct cli *cli, const char *fmt, ...);

/* Show help on standard output. Returns the exit status, 0. */
int cli_help(struct cli *cli, const struct proto_buf *help);

/* What to print after "ok". */
struct cli_reply_use {
	const struct out_list *list;     /* records in these columns, in cli->format */
	bool text;                       /* the lines as they are */
	const struct out_report *report; /* records of these lists, in cli->format */
};

/* Send req (command lines, each ending in '\n') to the daemon and print its answer: nothing
 * for a change, the records, or the text; the daemon's error message as it is. The daemon is
 * this host's, or with --server the remote one's (remote.h); `hosts list` is answered by the
 * inventory (hosts.h). shown is what --debug prints of the request (keys hidden). Returns the
 * exit status. */
int cli_exchange(struct cli *cli, const struct proto_buf *req, const char *shown,
    const struct cli_reply_use *use);

/* `monitor` (req): the held-back output written, then the daemon's events printed as they
 * come (cli->format: json, else text) until it stops; this host's daemon only. Returns the exit
 * status. */
int cli_monitor(struct cli *cli, const struct proto_buf *req);

/* Write the held-back output, release the buffers and return status (1 if writing failed). */
int cli_finish(struct cli *cli, int status);

#endif
