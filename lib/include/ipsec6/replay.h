/* SPDX-License-Identifier: MIT */
/* The anti-replay window of RFC 4303 section 3.4.3, kept as the ring of 64-bit words of
 * RFC 6479 so that sliding never shifts the whole bitmap: one implementation for every window
 * from 32 to 65,536 packets, its ring sized to the window (and allocated with its owner: struct
 * sa_live). Sequence numbers are 64-bit: an SA without extended sequence numbers simply never
 * sees one above 2^32 - 1; with them (RFC 4303 section 2.2.1) the receiver infers the high half
 * that the packet does not carry (Appendix A). The check is read-only and runs before the ICV;
 * the update runs after it. */
#ifndef IPSEC6_REPLAY_H
#define IPSEC6_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define REPLAY_WINDOW_MIN     32
#define REPLAY_WINDOW_MAX     65536
#define REPLAY_WINDOW_DEFAULT 64

struct replay {
	uint64_t top; /* highest sequence number accepted; 0 before the first */
	uint32_t
	    size; /* window in packets: REPLAY_WINDOW_MIN..REPLAY_WINDOW_MAX, a multiple of 32 */
	uint32_t mask;  /* ring words - 1 (a power of two) */
	uint64_t *ring; /* replay_ring_words(size) words, the owner's memory */
};

/* The window a size asks for: clamped to MIN..MAX and rounded up to a multiple of 32. */
uint32_t replay_window_size(uint32_t size);

/* Words of ring a window of size packets needs: RFC 6479 section 2, the window plus a spare
 * word, rounded up to a power of two so that the ring index is a mask. */
size_t replay_ring_words(uint32_t size);

/* Start an empty window of replay_window_size(size) packets over ring, which holds
 * replay_ring_words(size) words and stays the caller's. */
void replay_init(struct replay *r, uint32_t size, uint64_t *ring);

/* A window that has seen everything up to top: what a receiver restarted with a saved top
 * knows of the numbers it accepted before (RFC 4303 section 3.4.3 keeps a window per SA, and
 * a manually keyed SA outlives the process). Keeps the size and ring. */
void replay_restart(struct replay *r, uint64_t top);

/* A window that has seen everything up to upto as well as what it saw: replay_restart() when
 * upto is right of the top, else every number of the window up to upto marked seen. Keeps the
 * size and ring. */
void replay_see_upto(struct replay *r, uint64_t upto);

/* RFC 4303 Appendix A2.2: the full 64-bit number of a packet that carries seq_lo, from the
 * window's top: in the top's 2^32 subspace, or the next, or the previous one, whichever puts it
 * right of or inside the window (while the top is in the first subspace there is no previous
 * one: the first). Reads r; changes nothing. Data path. */
uint64_t replay_infer(const struct replay *r, uint32_t seq_lo);

/* True when seq may be new: not 0, not left of the window, not already seen. Changes nothing.
 * Data path: inline, asked of every inbound packet. */
static inline bool
replay_check(const struct replay *r, uint64_t seq)
{
	/* RFC 4303 section 3.3.3: the counter starts at 1, so 0 is never sent. */
	if (seq == 0)
		return false;
	/* RFC 4303 section 3.4.3: right of the window is new; the window is [top - size + 1, top].
	 */
	if (seq > r->top)
		return true;
	if (r->top - seq >= r->size)
		return false;
	/* RFC 6479: bit seq % 64 of ring word (seq / 64) % words. */
	return (r->ring[(seq >> 6) & r->mask] & (uint64_t)1 << (seq & 63u)) == 0;
}

/* Record seq as seen after its ICV verified. Returns false (and changes nothing) if, in the
 * meantime, seq became a replay (e.g. a duplicate earlier in the same burst). Data path. */
bool replay_update(struct replay *r, uint64_t seq);

#endif
