// SPDX-License-Identifier: MIT
/* The anti-replay window of RFC 4303 section 3.4.3 over 32-bit sequence numbers, stored as the
 * ring of 64-bit words of RFC 6479: advancing the window clears whole words instead of shifting
 * a bitmap, so a packet costs O(1) however large the window. */
#include "ipsec6/replay.h"

#include <string.h>

/* RFC 6479 section 2: the ring must hold the window plus one spare word, so that the word that
 * the right edge moves into can be cleared without losing bits still inside the window. The
 * ring always has REPLAY_WORDS words (enough for REPLAY_WINDOW_MAX); the constant modulus
 * compiles to a multiply, and a smaller window simply leaves older bits unused. */
#define REPLAY_RING_BITS ((uint32_t)REPLAY_WORDS * 64u)

static inline uint32_t
replay_word(uint32_t seq)
{
	return (seq >> 6) % (uint32_t)REPLAY_WORDS;
}

static inline uint64_t
replay_bit(uint32_t seq)
{
	return (uint64_t)1 << (seq & 63u);
}

void
replay_init(struct replay *r, uint32_t size)
{
	/* Callers validate the user's value; clamp anyway so a bad size cannot break the ring. */
	if (size < REPLAY_WINDOW_MIN)
		size = REPLAY_WINDOW_MIN;
	if (size > REPLAY_WINDOW_MAX)
		size = REPLAY_WINDOW_MAX;
	memset(r, 0, sizeof(*r));
	r->size = (size + 31u) & ~31u;
	r->top = 0;
}

void
replay_restart(struct replay *r, uint32_t top)
{
	/* Every bit up to top set: inside the window every number counts as seen. Bits right of
	 * top in its own word stay clear, as the edge expects of the word it stands in. */
	memset(r->ring, 0xff, sizeof(r->ring));
	if ((top & 63u) != 63u)
		r->ring[replay_word(top)] = (replay_bit(top) << 1) - 1;
	r->top = top;
}

bool
replay_check(const struct replay *r, uint32_t seq)
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
	return (r->ring[replay_word(seq)] & replay_bit(seq)) == 0;
}

/* Move the right edge to seq (> top), clearing every ring word that the edge enters. At most
 * the whole ring is cleared, however far seq jumps. */
static void
replay_advance(struct replay *r, uint32_t seq)
{
	uint32_t from = r->top >> 6;
	uint32_t to = seq >> 6;
	uint32_t n = to - from;

	if (n > (uint32_t)REPLAY_WORDS)
		n = (uint32_t)REPLAY_WORDS;
	for (uint32_t i = 1; i <= n; i++)
		r->ring[(from + i) % (uint32_t)REPLAY_WORDS] = 0;
	r->top = seq;
}

bool
replay_update(struct replay *r, uint32_t seq)
{
	/* The check ran before the ICV; a duplicate in the same burst (or another thread's
	 * update) may have recorded seq since, so check again before recording. */
	if (!replay_check(r, seq))
		return false;
	if (seq > r->top)
		replay_advance(r, seq);
	r->ring[replay_word(seq)] |= replay_bit(seq);
	return true;
}

_Static_assert(REPLAY_RING_BITS >= REPLAY_WINDOW_MAX + 64, "RFC 6479: window plus a spare word");
