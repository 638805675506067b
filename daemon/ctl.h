/* SPDX-License-Identifier: MIT */
/* The control socket of doc/control-protocol.md: a Unix stream socket whose peers are checked
 * with SO_PEERCRED, non-blocking connections with their own buffers and an idle timeout, one
 * request and one response per connection. */
#ifndef IPSEC6_CTL_H
#define IPSEC6_CTL_H

#include <sys/types.h>

#include <stdbool.h>

#include "ipsec6/err.h"
#include "loop.h"
#include "state.h"

/* Idle time after which a connection is closed (nothing received mid-request, or the client
 * not reading its response). */
#define CTL_IDLE_MS 10000
/* Connections served at once; more wait in the listen backlog. */
#define CTL_CONN_MAX 512

struct ctl_opts {
	const char *path; /* the socket */
	bool has_group;   /* a group may use the socket as well as root */
	gid_t gid;
	const char *group_name; /* for messages */
};

struct ctl;

/* Create the socket's directory if missing (0700, or 0750 and owned by the group), bind the
 * socket (0600, or 0660 and owned by the group), and serve it from loop. A stale socket left
 * by a killed daemon is replaced; a live one is an error. Returns 0 with *out owned by the
 * caller, or a negative errno with the reason in err. */
__attribute__((warn_unused_result)) int ctl_open(const struct ctl_opts *opts, struct loop *loop,
    struct state *st, struct ctl **out, struct err *err);

/* Whether ctl_open created the socket's directory (then it may be handed to the daemon's user:
 * an existing one, like /tmp or /root, is never). */
bool ctl_made_dir(const struct ctl *ctl);

/* Close every connection and the socket, and remove the socket file. NULL is a no-op. */
void ctl_close(struct ctl *ctl);

#endif
