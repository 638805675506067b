/* SPDX-License-Identifier: MIT */
/* The Security Policy Database: policies in the order added, first match wins (RFC 4301
 * ordered SPD). Snapshots compile the policies into a classifier for the data path (tuple
 * space search: one hash table per distinct selector shape, searched in priority order). */
#ifndef IPSEC6_SPD_H
#define IPSEC6_SPD_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipsec6/addr.h"
#include "ipsec6/err.h"
#include "ipsec6/pkt.h"
#include "ipsec6/sad.h"

#define SP_NAME_MAX  64
#define SP_PORT_ANY  (-1)
#define SP_PROTO_ANY (-1)

enum sp_dir {
	SP_DIR_IN,
	SP_DIR_OUT,
};

enum sp_action {
	SP_ACTION_NONE,
	SP_ACTION_DISCARD,
	SP_ACTION_IPSEC,
};

const char *sp_dir_name(enum sp_dir dir);          /* "in", "out" */
const char *sp_action_name(enum sp_action action); /* "none", "discard", "ipsec" */
const char *sp_proto_name(int proto);              /* "any", "tcp", "udp", "icmp6" */
/* Parse the names above; anything else is -EINVAL with "invalid flow direction 'x': use in or
 * out" (action, upper layer protocol alike). */
__attribute__((warn_unused_result)) int sp_dir_parse(
    const char *text, enum sp_dir *out, struct err *err);
__attribute__((warn_unused_result)) int sp_action_parse(
    const char *text, enum sp_action *out, struct err *err);
__attribute__((warn_unused_result)) int sp_proto_parse(const char *text, int *out, struct err *err);

/* What `sp add` says. */
struct sp_spec {
	char name[SP_NAME_MAX + 1];
	struct prefix6 src;
	struct prefix6 dst;
	int32_t sport; /* 0..65535 or SP_PORT_ANY */
	int32_t dport; /* 0..65535, the ICMPv6 type (0..255) for icmp6, or SP_PORT_ANY */
	int proto;     /* IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMPV6 or SP_PROTO_ANY */
	enum sp_dir dir;
	enum sp_action action;
	enum sa_mode mode;
	bool mode_given;               /* false: the bound SA's mode, else transport */
	char sa_name[SA_NAME_MAX + 1]; /* "" when none */
};

struct sp {
	/* Immutable once added. */
	char name[SP_NAME_MAX + 1];
	struct prefix6 src;
	struct prefix6 dst;
	int32_t sport;
	int32_t dport;
	int proto;
	enum sp_dir dir;
	enum sp_action action;
	enum sa_mode mode;
	char sa_name[SA_NAME_MAX + 1]; /* as given; kept when the SA goes (then: discard) */

	/* Control thread: the SA named by sa_name while it exists (holds sa->users). */
	struct sa *sa;

	_Atomic unsigned ref;     /* the SPD holds one, each snapshot one more */
	_Atomic uint64_t matches; /* packets that matched this policy */
};

void sp_ref(struct sp *sp);
void sp_unref(struct sp *sp);

/* True when the selectors of sp match the packet (RFC 4301 section 4.4.1; a non-first
 * fragment matches only policies whose ports are any). The reference semantics that the
 * classifier must reproduce. Data path. */
bool sp_match(const struct sp *sp, const struct pkt_sel *sel);

struct spd;

struct spd *spd_new(void);
void spd_free(struct spd *spd);

/* Add a policy at the end. bound is the SA named by spec->sa_name (NULL when none given, or
 * when the db loads a policy whose SA was removed by remove-all). Refused (-EINVAL): bad name,
 * ports with protocol any, a source port with icmp6, an ICMPv6 type above 255, --sa-name with
 * action none or discard, a mode other than the bound SA's. -EEXIST: name taken. Binding
 * increments bound->users. Returns 0 or a negative errno with the reason in err. */
__attribute__((warn_unused_result)) int spd_add(
    struct spd *spd, const struct sp_spec *spec, struct sa *bound, struct err *err);

/* Remove by pointer (unbinding its SA). */
void spd_remove(struct spd *spd, struct sp *sp);
void spd_remove_all(struct spd *spd);

/* Point every policy bound to sa at NULL instead (remove-all of SAs), or bind every policy
 * whose sa_name is sa->name and has no SA (an SA of that name added again). Control thread. */
void spd_unbind(struct spd *spd, struct sa *sa);
void spd_rebind(struct spd *spd, struct sa *sa);

struct sp *spd_lookup_name(const struct spd *spd, const char *name);
size_t spd_count(const struct spd *spd);
struct sp *spd_at(const struct spd *spd, size_t i);

/* A compiled, immutable classifier over the policies as they are now; holds references on
 * the policies and their SAs. NULL on ENOMEM. */
struct spd_snap;
struct spd_snap *spd_snapshot(const struct spd *spd);
void spd_snap_free(struct spd_snap *snap);

/* A compiled policy as the data path sees it: the SA binding is frozen with the snapshot. */
struct sp_rule {
	struct sp *sp; /* selectors, action, mode, counters */
	struct sa *sa; /* bound SA at snapshot time, or NULL */
};

/* The first policy of direction dir (in add order) that matches sel, or NULL. Data path. */
const struct sp_rule *spd_snap_lookup(
    const struct spd_snap *snap, enum sp_dir dir, const struct pkt_sel *sel);

/* The same for n packets. Data path: no allocation. */
void spd_snap_lookup_burst(const struct spd_snap *snap, enum sp_dir dir, const struct pkt_sel *sels,
    size_t n, const struct sp_rule **out);

/* Inbound policy check (RFC 4301 section 5.2): true when the first in-policy matching sel has
 * action ipsec and sa may serve it: the policy is bound to sa (or sa is retired and was an SA
 * of that name, sad_rekey()), or is bound to none and its mode
 * is sa's mode and, in transport mode, sa's source and destination (or any) are the packet's.
 * Counts the match. Data path. */
bool spd_snap_check_inbound(
    const struct spd_snap *snap, const struct pkt_sel *sel, const struct sa *sa);

/* The second half of that check, for the rule spd_snap_lookup(snap, SP_DIR_IN, sel) gave
 * (NULL: none matched): whether it lets sa bring sel. A caller that reuses the answer for
 * another packet counts that packet's match with spd_rule_count(). Data path. */
bool spd_rule_allows_inbound(
    const struct sp_rule *r, const struct pkt_sel *sel, const struct sa *sa);

/* Add n matches to r's policy (r NULL: nothing): the packets a caller answered with a lookup
 * it had made for another one. Data path. */
void spd_rule_count(const struct sp_rule *r, uint64_t n);

#endif
