// SPDX-License-Identifier: MIT
/* SA lifetimes (ipsec6/life.h). */
#include "ipsec6/life.h"

#include <errno.h>
#include <inttypes.h>

static const char *const life_kinds[LIFE__KINDS] = {
	[LIFE_TIME] = "time",
	[LIFE_BYTES] = "bytes",
	[LIFE_PACKETS] = "packets",
};

const char *
life_kind_name(enum life_kind kind)
{
	return (unsigned)kind < LIFE__KINDS ? life_kinds[kind] : "?";
}

const char *
life_state_name(enum life_state state)
{
	switch (state) {
	case LIFE_MATURE:
		return "mature";
	case LIFE_SOFT_EXPIRED:
		return "soft-expired";
	case LIFE_HARD_EXPIRED:
		return "hard-expired";
	}
	return "?";
}

bool
life_limited(const struct life_limits *l)
{
	for (int k = 0; k < LIFE__KINDS; k++)
		if (l->soft[k] != 0 || l->hard[k] != 0)
			return true;
	return false;
}

int
life_check(const struct life_limits *l, struct err *err)
{
	for (int k = 0; k < LIFE__KINDS; k++)
		if (l->soft[k] != 0 && l->hard[k] != 0 && l->soft[k] > l->hard[k])
			return err_set(err, EINVAL,
			    "soft %s limit %" PRIu64 " is above the hard limit %" PRIu64,
			    life_kinds[k], l->soft[k], l->hard[k]);
	return 0;
}

bool
life_reached(const uint64_t *lim, const struct life_usage *u, enum life_kind *kind)
{
	for (int k = 0; k < LIFE__KINDS; k++) {
		if (lim[k] != 0 && u->use[k] >= lim[k]) {
			if (kind != NULL)
				*kind = (enum life_kind)k;
			return true;
		}
	}
	return false;
}

enum life_state
life_state(const struct life_limits *l, const struct life_usage *u, enum life_kind *kind)
{
	if (life_reached(l->hard, u, kind))
		return LIFE_HARD_EXPIRED;
	if (life_reached(l->soft, u, kind))
		return LIFE_SOFT_EXPIRED;
	return LIFE_MATURE;
}

uint64_t
life_age(int64_t added, int64_t now)
{
	return now > added ? (uint64_t)now - (uint64_t)added : 0;
}
