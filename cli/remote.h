/* SPDX-License-Identifier: MIT */
/* Remote targeting as VMware's vCLI spells it (--server, --username, --portnumber, --vihost),
 * over SSH: the system's ssh client, non-interactive, runs `ipsec6 --relay` on the server,
 * which hands the request to its ipsec6d, or with --vihost to the relay of a host it manages,
 * and passes the answer back (doc/cli.md "Remote use"; the relay's protocol is in
 * doc/control-protocol.md). Keys travel only inside the request, on ssh's standard input.
 * Nothing is printed here. */
#ifndef IPSEC6_CLI_REMOTE_H
#define IPSEC6_CLI_REMOTE_H

#include <stdbool.h>
#include <stddef.h>

#include "ipsec6/cmd_opts.h"
#include "ipsec6/err.h"
#include "proto.h"

/* The relay's protocol: its greeting is "ipsec6-relay 1 VERSION", the client's header starts
 * with "ipsec6-relay 1". Change the number whenever either side would misread the other. */
#define REMOTE_PROTOCOL 1
#define REMOTE_HELLO    "ipsec6-relay"
#define REMOTE_ERROR    "relay-error" /* "relay-error MESSAGE": the relay's own failure */
#define REMOTE_COMMAND  "ipsec6 --relay"
#define REMOTE_SSH_ENV  "IPSEC6_SSH" /* the ssh command: words separated by blanks */

/* Where a command goes. */
struct remote_target {
	const char *server; /* ssh's destination; NULL: this host */
	const char *user;   /* NULL: ssh's choice */
	const char *port;   /* decimal, checked; NULL: ssh's choice */
	const char *vihost; /* the managed host, by its name in the server's inventory; or NULL */
	const char *label;  /* the host in messages: server, or its name in the inventory */
};

/* The rows of the connection options in a grammar's table, in this order (enum remote_row).
 * esxcli's grammar (esxcli true) has the short names -s, -u, -h and -p; vicfg-ipsec has none,
 * and refuses --vihost, which its help does not show. The other hidden rows are vCLI's options
 * that have no meaning over SSH: read only to be refused (remote_from_args()), with the reason
 * in their help. */
#define REMOTE_OPT(sn, name, ph, text)                                          \
	{                                                                       \
		.short_name = (sn), .long_name = (name), .kind = CMD_OPT_VALUE, \
		.use = CMD_OPT_LOCAL, .placeholder = (ph), .help = (text)       \
	}
#define REMOTE_OPT_HIDDEN(sn, name, hide, text)                                 \
	{                                                                       \
		.short_name = (sn), .long_name = (name), .kind = CMD_OPT_VALUE, \
		.use = CMD_OPT_LOCAL, .hidden = (hide), .help = (text)          \
	}
#define REMOTE_REFUSED(sn, name, k, why)                                                    \
	{                                                                                   \
		.short_name = (sn), .long_name = (name), .kind = (k), .use = CMD_OPT_LOCAL, \
		.hidden = true, .help = (why)                                               \
	}
#define REMOTE_WHY_LOGIN                                                                         \
	"ipsec6 logs in over SSH, never with a password: use SSH keys or an agent (ssh-agent), " \
	"and --username or ~/.ssh/config"
#define REMOTE_WHY_TRANSPORT                                                              \
	"ipsec6 reaches hosts over SSH: use --server and --portnumber, with SSH keys or " \
	"an agent for the login"
#define REMOTE_WHY_HOSTKEY                                                                   \
	"SSH checks a host by its host key (known_hosts): use SSH keys or an agent for the " \
	"login, nothing else"
#define REMOTE_OPTS_ROWS(esxcli)                                                                \
	REMOTE_OPT((esxcli) ? 's' : '\0', "server", NULL,                                       \
	    "Run the command on this host, over SSH (ssh -o BatchMode=yes: SSH keys or an "     \
	    "agent, never a password)."),                                                       \
	    REMOTE_OPT((esxcli) ? 'u' : '\0', "username", NULL,                                 \
		"User to log in as on --server (default: ssh's, e.g. from ~/.ssh/config)."),    \
	    REMOTE_OPT('\0', "portnumber", "long", "SSH port of --server (default: ssh's)."),   \
	    REMOTE_OPT_HIDDEN((esxcli) ? 'h' : '\0', "vihost", !(esxcli),                       \
		"With --server naming a management host: the managed host to run the "          \
		"command on, by its name in the management host's inventory (ipsec6 hosts "     \
		"list)."),                                                                      \
	    REMOTE_REFUSED((esxcli) ? 'p' : '\0', "password", CMD_OPT_VALUE, REMOTE_WHY_LOGIN), \
	    REMOTE_REFUSED('\0', "passthroughauth", CMD_OPT_FLAG, REMOTE_WHY_LOGIN),            \
	    REMOTE_REFUSED('\0', "passthroughauthpackage", CMD_OPT_VALUE, REMOTE_WHY_LOGIN),    \
	    REMOTE_REFUSED('\0', "sessionfile", CMD_OPT_VALUE, REMOTE_WHY_LOGIN),               \
	    REMOTE_REFUSED('\0', "savesessionfile", CMD_OPT_VALUE, REMOTE_WHY_LOGIN),           \
	    REMOTE_REFUSED('\0', "credstore", CMD_OPT_VALUE, REMOTE_WHY_LOGIN),                 \
	    REMOTE_REFUSED('\0', "config", CMD_OPT_VALUE, REMOTE_WHY_LOGIN),                    \
	    REMOTE_REFUSED('\0', "url", CMD_OPT_VALUE, REMOTE_WHY_TRANSPORT),                   \
	    REMOTE_REFUSED('\0', "protocol", CMD_OPT_VALUE, REMOTE_WHY_TRANSPORT),              \
	    REMOTE_REFUSED('\0', "servicepath", CMD_OPT_VALUE, REMOTE_WHY_TRANSPORT),           \
	    REMOTE_REFUSED('\0', "cacertsfile", CMD_OPT_VALUE, REMOTE_WHY_HOSTKEY),             \
	    REMOTE_REFUSED('\0', "thumbprint", CMD_OPT_VALUE, REMOTE_WHY_HOSTKEY)

enum remote_row {
	REMOTE_SERVER,
	REMOTE_USERNAME,
	REMOTE_PORTNUMBER,
	REMOTE_VIHOST,
	REMOTE_ROWS = 16, /* with the refused ones */
};

/* Fill t from the values read for the REMOTE_OPTS_ROWS rows (rows, vals: their first row).
 * Returns 0; -EPERM for a refused vCLI option, one sentence in err ("--password is not
 * supported: ..."); -EINVAL for a value or combination that cannot be used (a server or user
 * that could be taken for an ssh option, a port out of range, --vihost or --username without
 * --server), esxcli's kind of message in err. */
__attribute__((warn_unused_result)) int remote_from_args(
    const struct cmd_opt *rows, const char *const *vals, struct remote_target *t, struct err *err);

/* A host name or address that ssh can only take as a destination: 1-255 characters of
 * A-Za-z0-9 and ".-_:%", not starting with '-'. */
bool remote_host_is_valid(const char *host);

/* A user name: 1-64 characters of A-Za-z0-9 and "._-", not starting with '-'. */
bool remote_user_is_valid(const char *user);

/* A port: decimal, 1-65535. */
bool remote_port_is_valid(const char *port);

/* Send request (len bytes of command lines) to t over ssh, through the relay on t->server
 * (and on to t->vihost), and append the answer of the ipsec6d that handled it to answer as it
 * came (the control protocol's response: "ok" or "error MESSAGE", then the body). Returns 0;
 * otherwise a negative errno with one sentence in err that names the host: unreachable,
 * login refused, host key not verified, no ipsec6 there, a relay of another protocol, or the
 * relay's own failure ("LABEL: cannot reach ipsec6d at ..."). answer may hold keys (`save`):
 * the caller wipes it. */
__attribute__((warn_unused_result)) int remote_call(const struct remote_target *t,
    const char *request, size_t len, struct proto_buf *answer, struct err *err);

/* The ssh command remote_call() runs for t, as text (for --debug). Returns 0 or -ENOMEM. */
__attribute__((warn_unused_result)) int remote_describe(
    const struct remote_target *t, struct proto_buf *out);

#endif
