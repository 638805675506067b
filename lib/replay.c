// SPDX-License-Identifier: MIT
/* The anti-replay window of RFC 4303 section 3.4.3 over 64-bit sequence numbers, stored as the
 * ring of 64-bit words of RFC 6479: advancing the window clears whole words instead of shifting
 * a bitmap, so a packet costs O(1) however large the window; and the high half an extended
 * sequence number leaves out is inferred as RFC 4303 Appendix A says. */
#include "ipsec6/replay.h"

#include <string.h>

static inline uint64_t
replay_word(const struct replay *r, uint64_t seq)
{
	return (seq >> 6) & r->mask;
}

static inline uint64_t
replay_bit(uint64_t seq)
{
	return (uint64_t)1 << (seq & 63u);
}

uint32_t
replay_window_size(uint32_t size)
{
	/* Callers validate the user's value; clamp anyway so a bad size cannot break the ring. */
	if (size < REPLAY_WINDOW_MIN)
		size = REPLAY_WINDOW_MIN;
	if (size > REPLAY_WINDOW_MAX)
		size = REPLAY_WINDOW_MAX;
	return (size + 31u) & ~31u;
}

size_t
replay_ring_words(uint32_t size)
{
	/* The window may straddle (size + 63) / 64 words; the word the right edge moves into must
	 * be clearable without losing bits still inside the window: one more. */
	size_t need = ((size_t)replay_window_size(size) + 63u) / 64u + 1u;
	size_t words = 1;

	while (words < need)
		words *= 2;
	return words;
}

void
replay_init(struct replay *r, uint32_t size, uint64_t *ring)
{
	size_t words = replay_ring_words(size);

	r->size = replay_window_size(size);
	r->mask = (uint32_t)(words - 1);
	r->ring = ring;
	r->top = 0;
	memset(ring, 0, words * sizeof(*ring));
}

void
replay_restart(struct replay *r, uint64_t top)
{
	/* Every bit up to top set: inside the window every number counts as seen. Bits right of
	 * top in its own word stay clear, as the edge expects of the word it stands in. */
	memset(r->ring, 0xff, ((size_t)r->mask + 1) * sizeof(*r->ring));
	if ((top & 63u) != 63u)
		r->ring[replay_word(r, top)] = (replay_bit(top) << 1) - 1;
	r->top = top;
}

void
replay_see_upto(struct replay *r, uint64_t upto)
{
	uint64_t lo, n;

	if (upto > r->top) {
		replay_restart(r, upto);
		return;
	}
	/* Left of the window counts as seen already; 0 is never a number. */
	lo = r->top >= r->size ? r->top - r->size + 1 : 1;
	n = upto >= lo ? upto - lo + 1 : 0;
	while (n > 0) {
		uint64_t take = 64u - (lo & 63u) < n ? 64u - (lo & 63u) : n;
		uint64_t bits =
		    take == 64u ? ~(uint64_t)0 : (((uint64_t)1 << take) - 1) << (lo & 63u);

		r->ring[replay_word(r, lo)] |= bits;
		lo += take;
		n -= take;
	}
}

uint64_t
replay_infer(const struct replay *r, uint32_t seq_lo)
{
	uint32_t tl = (uint32_t)r->top;
	uint64_t th = r->top >> 32;
	uint32_t bottom = tl - (r->size - 1); /* the window's left edge, modulo 2^32 */

	/* Case A: the window [tl - W + 1, tl] lies within one 2^32 subspace. */
	if (tl >= r->size - 1)
		return (seq_lo >= bottom ? th : th + 1) << 32 | seq_lo;
	/* Case B: it spans two; seq_lo at or right of the edge is in the previous subspace. Before
	 * the first 2^32 there is none: such a number can only be ahead in the first (a sender
	 * that started high, as after a restart). */
	if (seq_lo >= bottom && th > 0)
		return (th - 1) << 32 | seq_lo;
	return th << 32 | seq_lo;
}

/* Move the right edge to seq (> top), clearing every ring word that the edge enters. At most
 * the whole ring is cleared, however far seq jumps. */
static void
replay_advance(struct replay *r, uint64_t seq)
{
	uint64_t from = r->top >> 6;
	uint64_t n = (seq >> 6) - from;

	if (n > (uint64_t)r->mask + 1)
		n = (uint64_t)r->mask + 1;
	for (uint64_t i = 1; i <= n; i++)
		r->ring[(from + i) & r->mask] = 0;
	r->top = seq;
}

bool
replay_update(struct replay *r, uint64_t seq)
{
	/* The check ran before the ICV; a duplicate in the same burst (or another thread's
	 * update) may have recorded seq since, so check again before recording. */
	if (!replay_check(r, seq))
		return false;
	if (seq > r->top)
		replay_advance(r, seq);
	r->ring[replay_word(r, seq)] |= replay_bit(seq);
	return true;
}
