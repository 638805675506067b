/* SPDX-License-Identifier: MIT */
/* The SA lifecycle as the daemon sees it (ipsec6/life.h): each SA's state from its age, the
 * bytes and packets it carried (across restarts: daemon/seq.h) and its sequence numbers; time
 * limits put in force once a second; every change of state logged once. The engine enforces
 * packet and byte limits itself, at the packet. */
#ifndef IPSEC6_LIFETIME_H
#define IPSEC6_LIFETIME_H

#include "ipsec6/db.h"
#include "ipsec6/life.h"

/* The state of sa now; *kind (may be NULL) gets the kind of limit that decided it. An SA whose
 * sequence numbers are spent (2^32 - 1 without ESN) is hard-expired by packets as well. */
enum life_state lifetime_state(const struct sa *sa, enum life_kind *kind);

/* Once a second: mark the SAs whose hard time limit is reached expired, and log each SA that
 * reached a soft or hard limit since the last call. */
void lifetime_tick(const struct db *db);

/* After a reload put db in force (no packet thread reads the SA objects it replaced): an SA
 * whose hard limits, as db has them now, are not reached (a limit raised in the file) carries
 * traffic again, with the live state it shares with its predecessor (counts and sequence
 * numbers going on); the limit it reaches next is logged again. A packet or byte limit is the
 * counts' (the engine reads them each time); a time limit's flag is the live state's, which
 * the previous objects' limits set, and is cleared here. */
void lifetime_renew(const struct db *db);

#endif
