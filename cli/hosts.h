/* SPDX-License-Identifier: MIT */
/* The inventory of a management host (the part vCenter plays for --vihost): the hosts it
 * manages, by name, with the SSH destination of each, in a small text file (doc/cli.md "The
 * inventory"); and `ipsec6 hosts list`, which lists it. */
#ifndef IPSEC6_CLI_HOSTS_H
#define IPSEC6_CLI_HOSTS_H

#include <stdbool.h>
#include <stddef.h>

#include "ipsec6/err.h"
#include "proto.h"

#define HOSTS_FILE_DEFAULT "/etc/ipsec6/hosts"
#define HOSTS_FILE_ENV     "IPSEC6_HOSTS"
#define HOSTS_MAX          4096

struct hosts_entry {
	const char *name; /* what --vihost names */
	const char *host; /* ssh's destination */
	const char *port; /* NULL: ssh's choice */
	const char *user; /* NULL: ssh's choice */
};

struct hosts {
	const char *path;
	struct hosts_entry *v;
	size_t n;
	char *text; /* the file; the entries point into it */
};

/* The inventory's path: $IPSEC6_HOSTS when set and not empty, else HOSTS_FILE_DEFAULT. */
const char *hosts_path(void);

/* Read the inventory at hosts_path() into h (a missing file is an empty inventory). Returns 0,
 * or a negative errno with one sentence in err ("PATH line N: ..."). Release with
 * hosts_fini() in either case. */
__attribute__((warn_unused_result)) int hosts_load(struct hosts *h, struct err *err);

/* Parse h->text (NUL-terminated, owned by h; NULL: an empty inventory) into h's entries; h->path
 * names the file in messages. Returns 0, or a negative errno with one sentence in err. */
__attribute__((warn_unused_result)) int hosts_parse(struct hosts *h, struct err *err);

void hosts_fini(struct hosts *h);

/* The entry called name, or NULL. */
const struct hosts_entry *hosts_lookup(const struct hosts *h, const char *name);

/* Whether request (len bytes) is the `hosts list` query, which the inventory answers. */
bool hosts_is_request(const char *request, size_t len);

/* Answer `hosts list` as ipsec6d answers a list: "ok", then a record per host (name, host,
 * port, user), appended to answer; "error MESSAGE" when the inventory cannot be read.
 * Returns 0 or -ENOMEM. */
__attribute__((warn_unused_result)) int hosts_answer(struct proto_buf *answer);

#endif
