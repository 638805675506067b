/* SPDX-License-Identifier: MIT */
/* Least privilege once ipsec6d is set up (TUN device, sockets, steering, routes): only
 * CAP_NET_ADMIN and CAP_NET_RAW (libcap-ng), as its own user when it has one, no new
 * privileges, and a seccomp allow-list of the system calls it makes (libseccomp): any other
 * call ends it with a log line on stderr, killed by SIGSYS. The packet threads, started after,
 * inherit all of it. */
#ifndef IPSEC6_PRIVS_H
#define IPSEC6_PRIVS_H

#include <stdbool.h>

#include "ipsec6/err.h"

struct privs_opts {
	const char *user;   /* NULL: stay this user, with the two capabilities only */
	const char *config; /* the configuration file: it, its sequence file and its directory
			     * must stay readable and writable */
	const char *socket; /* the control socket: it goes to the user */
	bool socket_dir;    /* and its directory too (ipsec6d created it) */
	bool dumpable;      /* --allow-core-dump: stay dumpable across the user switch */
	bool seccomp;       /* false under the sanitizers, whose runtimes make calls of their own */
};

/* Drop to opts. Returns 0 or a negative errno with a reason ("--user NAME: ..."). Start-up,
 * one thread. */
__attribute__((warn_unused_result)) int privs_drop(const struct privs_opts *opts, struct err *err);

/* Whether this build runs under a sanitizer (then privs_opts.seccomp should be false). */
bool privs_sanitized(void);

#endif
