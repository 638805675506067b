/* SPDX-License-Identifier: MIT */
/* SA lifetimes (RFC 4301 section 4.4.2.1, "SA lifetime"): soft and hard limits by age, bytes
 * and packets, and the state they put an SA in. Pure arithmetic: the daemon measures, the
 * engine enforces a hard limit the moment it is reached. */
#ifndef IPSEC6_LIFE_H
#define IPSEC6_LIFE_H

#include <stdbool.h>
#include <stdint.h>

#include "ipsec6/err.h"

enum life_kind {
	LIFE_TIME,    /* seconds since the SA was added */
	LIFE_BYTES,   /* bytes protected and accepted (before ESP) since the SA was added */
	LIFE_PACKETS, /* packets protected and accepted since the SA was added */
	LIFE__KINDS
};

enum life_state {
	LIFE_MATURE,       /* no limit reached */
	LIFE_SOFT_EXPIRED, /* a soft limit reached: an event, nothing else changes */
	LIFE_HARD_EXPIRED, /* a hard limit reached: the SA carries nothing, in either direction */
};

/* 0 in a slot: no limit of that kind. */
struct life_limits {
	uint64_t soft[LIFE__KINDS];
	uint64_t hard[LIFE__KINDS];
};

struct life_usage {
	uint64_t use[LIFE__KINDS];
};

/* "time", "bytes", "packets"; "mature", "soft-expired", "hard-expired". */
const char *life_kind_name(enum life_kind kind);
const char *life_state_name(enum life_state state);

/* Any limit at all. */
bool life_limited(const struct life_limits *l);

/* Refuse a soft limit above the hard one of its kind: "soft time limit 90 is above the hard
 * limit 60". Returns 0 or -EINVAL. */
__attribute__((warn_unused_result)) int life_check(const struct life_limits *l, struct err *err);

/* Whether usage reached one of the limits lim (l->soft or l->hard); *kind (may be NULL) gets
 * the first kind, in enum order, that did. */
bool life_reached(const uint64_t *lim, const struct life_usage *u, enum life_kind *kind);

/* The state usage puts the SA in; *kind (may be NULL) gets the kind that decided it (the first
 * in enum order among those at the state's level). */
enum life_state life_state(
    const struct life_limits *l, const struct life_usage *u, enum life_kind *kind);

/* The age in seconds, at wall-clock time now, of an SA added at wall-clock time added: 0 when
 * the clock says the SA is from the future (a clock set back must not make an SA older). */
uint64_t life_age(int64_t added, int64_t now);

#endif
