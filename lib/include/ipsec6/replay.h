/* SPDX-License-Identifier: MIT */
/* The anti-replay window of RFC 4303 section 3.4.3, kept as the ring of 64-bit words of
 * RFC 6479 so that sliding never shifts the whole bitmap. 32-bit sequence numbers (manual
 * keying: no ESN). The check is read-only and runs before the ICV; the update runs after it. */
#ifndef IPSEC6_REPLAY_H
#define IPSEC6_REPLAY_H

#include <stdbool.h>
#include <stdint.h>

#define REPLAY_WINDOW_MIN     32
#define REPLAY_WINDOW_MAX     4096
#define REPLAY_WINDOW_DEFAULT 64
#define REPLAY_WORDS          (REPLAY_WINDOW_MAX / 64 + 1)

struct replay {
	uint32_t size; /* window in packets: REPLAY_WINDOW_MIN..REPLAY_WINDOW_MAX */
	uint32_t top;  /* highest sequence number accepted; 0 before the first */
	uint64_t ring[REPLAY_WORDS];
};

/* Start an empty window of size packets; size must be within MIN..MAX (callers validate the
 * user's value first) and is rounded up to a multiple of 32 only if it is not one already. */
void replay_init(struct replay *r, uint32_t size);

/* A window that has seen everything up to top: what a receiver restarted with a saved top
 * knows of the numbers it accepted before (RFC 4303 section 3.4.3 keeps a window per SA, and
 * a manually keyed SA outlives the process). Keeps r->size. */
void replay_restart(struct replay *r, uint32_t top);

/* True when seq may be new: not 0, not left of the window, not already seen. Changes nothing.
 * Data path. */
bool replay_check(const struct replay *r, uint32_t seq);

/* Record seq as seen after its ICV verified. Returns false (and changes nothing) if, in the
 * meantime, seq became a replay (e.g. a duplicate earlier in the same burst). Data path. */
bool replay_update(struct replay *r, uint32_t seq);

#endif
