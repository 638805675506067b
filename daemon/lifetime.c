// SPDX-License-Identifier: MIT
/* The SA lifecycle as the daemon sees it (lifetime.h). */
#include "lifetime.h"

#include <inttypes.h>
#include <stdio.h>

#include "events.h"
#include "log.h"

/* What the lifetimes limit: the age, and the bytes and packets carried (not the sequence
 * numbers, which restarts skip). */
static struct life_usage
lifetime_usage(const struct sa *sa)
{
	struct life_usage u = { { 0 } };

	u.use[LIFE_TIME] = sa_age(sa);
	u.use[LIFE_BYTES] = sa_live_bytes(sa->live);
	u.use[LIFE_PACKETS] = sa_live_pkts(sa->live);
	return u;
}

/* Whether the SA's sequence numbers are spent (RFC 4303 section 3.3.3): the outbound counter or
 * the inbound top at the last number. */
static bool
lifetime_seq_spent(const struct sa *sa)
{
	const struct sa_live *live = sa->live;
	uint64_t last = sa->esn ? SA_SEQ_LAST_ESN : UINT32_MAX;

	return atomic_load_explicit(&live->seq_out, memory_order_relaxed) >= last ||
	    sa_live_in_top(live) >= last;
}

/* The state, from u (filled in here). */
static enum life_state
lifetime_state_of(const struct sa *sa, struct life_usage *u, enum life_kind *kind)
{
	enum life_state state;
	bool spent = lifetime_seq_spent(sa);

	*u = lifetime_usage(sa);
	state = life_state(&sa->life, u, kind);
	if (state == LIFE_HARD_EXPIRED)
		return state;
	if (spent || atomic_load_explicit(&sa->live->expired, memory_order_relaxed)) {
		if (kind != NULL)
			*kind = spent ? LIFE_PACKETS : LIFE_TIME; /* the flag is time's */
		return LIFE_HARD_EXPIRED;
	}
	return state;
}

enum life_state
lifetime_state(const struct sa *sa, enum life_kind *kind)
{
	struct life_usage u;

	return lifetime_state_of(sa, &u, kind);
}

/* What reached the limit, in words: "time: 3600 s", "bytes: 1000000", "packets: 1000". */
static void
lifetime_log(const struct sa *sa, enum life_state state, enum life_kind kind)
{
	const uint64_t *lim = state == LIFE_HARD_EXPIRED ? sa->life.hard : sa->life.soft;
	const char *unit = kind == LIFE_TIME ? " s" : "";
	char fields[160];

	if (state == LIFE_HARD_EXPIRED && lim[kind] == 0)
		return; /* the sequence numbers: seq.c says so */
	(void)snprintf(fields, sizeof(fields), "sa=%s\tkind=%s\tlimit=%" PRIu64, sa->name,
	    life_kind_name(kind), lim[kind]);
	if (state == LIFE_SOFT_EXPIRED) {
		log_info("SA '%s': soft lifetime reached (%s: %" PRIu64
			 "%s): replace it before its "
			 "hard limit",
		    sa->name, life_kind_name(kind), lim[kind], unit);
		events_emit("sa-soft-expired", fields,
		    "%s: soft lifetime reached (%s: %" PRIu64 "%s)", sa->name, life_kind_name(kind),
		    lim[kind], unit);
		return;
	}
	log_warn("SA '%s': hard lifetime reached (%s: %" PRIu64 "%s): it carries no more traffic "
		 "in either direction; its packets are dropped as expired until it is replaced "
		 "or removed",
	    sa->name, life_kind_name(kind), lim[kind], unit);
	events_emit("sa-hard-expired", fields,
	    "%s: hard lifetime reached (%s: %" PRIu64 "%s): it carries no more traffic", sa->name,
	    life_kind_name(kind), lim[kind], unit);
}

void
lifetime_renew(const struct db *db)
{
	const struct sad *sad = db_sad(db);

	for (size_t i = 0; i < sad_all_count(sad); i++) {
		struct sa *sa = sad_all_at(sad, i);
		struct life_usage u = lifetime_usage(sa);
		enum life_state state;

		if (atomic_load_explicit(&sa->live->expired, memory_order_relaxed) &&
		    !life_reached(sa->life.hard, &u, NULL))
			atomic_store_explicit(&sa->live->expired, false, memory_order_relaxed);
		/* Packet and byte limits set no flag (the engine counts every time): a raised one
		 * is logged again when reached all the same. */
		state = lifetime_state(sa, NULL);
		if (sa->live->logged > state)
			sa->live->logged = state;
	}
}

void
lifetime_tick(const struct db *db)
{
	const struct sad *sad = db_sad(db);

	for (size_t i = 0; i < sad_count(sad); i++) {
		struct sa *sa = sad_at(sad, i);
		enum life_kind kind = LIFE_TIME, soft;
		struct life_usage u;
		enum life_state state;

		if (!life_limited(&sa->life))
			continue;
		state = lifetime_state_of(sa, &u, &kind);
		/* Time limits are put in force here; the engine sees to the others from the counts,
		 * which a failed encryption takes back: a flag set from them could stay set below
		 * the limit. */
		if (sa->life.hard[LIFE_TIME] != 0 && u.use[LIFE_TIME] >= sa->life.hard[LIFE_TIME])
			atomic_store_explicit(&sa->live->expired, true, memory_order_relaxed);
		if (state <= sa->live->logged)
			continue;
		/* Both limits passed between two ticks (or before a start): both lines, in order.
		 */
		if (state == LIFE_HARD_EXPIRED && sa->live->logged == LIFE_MATURE &&
		    life_reached(sa->life.soft, &u, &soft))
			lifetime_log(sa, LIFE_SOFT_EXPIRED, soft);
		lifetime_log(sa, state, kind);
		sa->live->logged = state;
	}
}
