// SPDX-License-Identifier: MIT
/* The anti-replay window (RFC 4303 section 3.4.3, RFC 6479 ring): sizes, the edges of the
 * window, read-only checks, updates that find a replay, the ring's word reuse, and a window
 * restarted from a saved top. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ipsec6/replay.h"

/* Ring memory for every window here (the owner's, as struct sa_live's is). */
static uint64_t ring[2048];

static void
test_init_rounds_size_to_multiple_of_32(void **state)
{
	static const struct {
		uint32_t in;
		uint32_t want;
	} cases[] = {
		{ 32, 32 },
		{ 33, 64 },
		{ 64, 64 },
		{ 100, 128 },
		{ 1000, 1024 },
		{ 4064, 4064 },
		{ 4095, 4096 },
		{ 4096, 4096 },
		{ 65535, 65536 },
		{ 65536, 65536 },
	};
	struct replay r;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		replay_init(&r, cases[i].in, ring);
		assert_int_equal(r.size, cases[i].want);
		assert_int_equal(r.top, 0);
	}
}

static void
test_seq_zero_is_never_valid(void **state)
{
	struct replay r;

	replay_init(&r, 64, ring);
	assert_false(replay_check(&r, 0));
	assert_false(replay_update(&r, 0));
	assert_true(replay_update(&r, 1));
	assert_false(replay_check(&r, 0));
	assert_false(replay_update(&r, 0));
}

static void
test_first_packet_accepted_duplicate_rejected(void **state)
{
	struct replay r;

	replay_init(&r, 64, ring);
	assert_true(replay_check(&r, 1));
	assert_true(replay_update(&r, 1));
	assert_int_equal(r.top, 1);
	assert_false(replay_check(&r, 1));
	assert_false(replay_update(&r, 1));
}

static void
test_in_order_each_once(void **state)
{
	struct replay r;

	replay_init(&r, 64, ring);
	for (uint32_t s = 1; s <= 10000; s++) {
		assert_true(replay_check(&r, s));
		assert_true(replay_update(&r, s));
		assert_false(replay_check(&r, s));
		assert_false(replay_check(&r, s - (s > 1 ? 1 : 0)));
	}
	assert_int_equal(r.top, 10000);
}

static void
test_left_edge_of_window(void **state)
{
	static const uint32_t sizes[] = { 32, 64, 96, 1024, 4096 };
	struct replay r;

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		uint32_t w = sizes[i];
		uint32_t top = 100000;

		replay_init(&r, w, ring);
		assert_true(replay_update(&r, top));
		/* RFC 4303 section 3.4.3: the window holds top and the w - 1 numbers below it. */
		assert_true(replay_check(&r, top - w + 1));
		assert_false(replay_check(&r, top - w));
		assert_false(replay_update(&r, top - w));
		assert_true(replay_update(&r, top - w + 1));
		assert_false(replay_update(&r, top - w + 1));
	}
}

static void
test_reordered_within_window_accepted_once(void **state)
{
	static const uint32_t order[] = { 10, 3, 7, 1, 2, 9, 4, 8, 5, 6 };
	struct replay r;

	replay_init(&r, 32, ring);
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		assert_true(replay_update(&r, order[i]));
	for (uint32_t s = 1; s <= 10; s++)
		assert_false(replay_check(&r, s));
	assert_true(replay_check(&r, 11));
	assert_int_equal(r.top, 10);
}

static void
test_jump_far_right_forgets_old_window(void **state)
{
	struct replay r;

	replay_init(&r, 64, ring);
	for (uint32_t s = 1; s <= 64; s++)
		assert_true(replay_update(&r, s));
	assert_true(replay_update(&r, 1000000));
	assert_int_equal(r.top, 1000000);
	/* Everything in the new window except the top is unseen, old numbers are left of it. */
	for (uint32_t s = 1000000 - 63; s < 1000000; s++)
		assert_true(replay_check(&r, s));
	assert_false(replay_check(&r, 1000000 - 64));
	assert_false(replay_check(&r, 64));
	assert_false(replay_check(&r, 1));
}

static void
test_check_is_read_only(void **state)
{
	struct replay r;
	struct replay before;

	replay_init(&r, 128, ring);
	assert_true(replay_update(&r, 50));
	memcpy(&before, &r, sizeof(r));
	assert_true(replay_check(&r, 49));
	assert_true(replay_check(&r, 51));
	assert_true(replay_check(&r, 4000000000u));
	assert_false(replay_check(&r, 50));
	assert_memory_equal(&before, &r, sizeof(r));
}

static void
test_update_refuses_replay_seen_meanwhile(void **state)
{
	struct replay r;
	struct replay before;

	replay_init(&r, 64, ring);
	assert_true(replay_update(&r, 20));
	/* Two copies of 17 in one burst: both pass the check before either ICV is verified. */
	assert_true(replay_check(&r, 17));
	assert_true(replay_check(&r, 17));
	assert_true(replay_update(&r, 17));
	memcpy(&before, &r, sizeof(r));
	assert_false(replay_update(&r, 17));
	assert_memory_equal(&before, &r, sizeof(r));

	/* The same for a number right of the window. */
	assert_true(replay_check(&r, 30));
	assert_true(replay_update(&r, 30));
	assert_false(replay_update(&r, 30));
	/* And for one that fell off the left edge after its check. */
	assert_true(replay_check(&r, 25));
	assert_true(replay_update(&r, 200));
	assert_false(replay_update(&r, 25));
}

static void
test_top_of_32_bit_space(void **state)
{
	struct replay r;

	replay_init(&r, 64, ring);
	assert_true(replay_update(&r, UINT32_MAX - 1));
	assert_true(replay_update(&r, UINT32_MAX));
	assert_false(replay_check(&r, UINT32_MAX));
	assert_false(replay_check(&r, UINT32_MAX - 1));
	assert_true(replay_check(&r, UINT32_MAX - 63));
	assert_false(replay_check(&r, UINT32_MAX - 64));
	assert_true(replay_update(&r, UINT32_MAX - 2));
}

static void
test_ring_word_reused_after_wrap_is_clear(void **state)
{
	struct replay r;

	replay_init(&r, 4096, ring);
	/* 100 lives in ring word 1 (seq / 64 % 65); word 66 (4224..4287) shares that slot. */
	assert_true(replay_update(&r, 100));
	assert_true(replay_update(&r, 4300));
	assert_true(replay_check(&r, 4260));
	assert_true(replay_check(&r, 4224));
	assert_false(replay_check(&r, 100));
	assert_true(replay_update(&r, 4260));
	assert_false(replay_check(&r, 4260));
}

/* A window of w with top at top (even): even numbers first, then odd ones, so that all w
 * slots are in use at once; every number tracked, the left edge exact. */
static void
full_window(uint32_t w, uint64_t top)
{
	struct replay r;

	replay_init(&r, w, ring);
	for (uint64_t s = 2; s <= top; s += 2)
		assert_true(replay_update(&r, s));
	for (uint64_t s = top - (w - 1); s <= top; s++)
		assert_int_equal(replay_check(&r, s), (s & 1) != 0);
	assert_false(replay_check(&r, top - w));
	for (uint64_t s = top - (w - 1); s <= top; s += 2)
		assert_true(replay_update(&r, s));
	for (uint64_t s = top - (w - 1); s <= top; s++)
		assert_false(replay_check(&r, s));
	assert_false(replay_check(&r, top - w));
}

static void
test_full_window_4096_tracks_every_number(void **state)
{
	full_window(4096, 8192);
}

static void
test_small_window_ignores_older_ring_bits(void **state)
{
	struct replay r;

	/* A 32 window uses only part of the ring: numbers 33..63 below top are left of it even
	 * though their bits are still stored. */
	replay_init(&r, 32, ring);
	assert_true(replay_update(&r, 10));
	assert_true(replay_update(&r, 60));
	assert_false(replay_check(&r, 28));
	assert_true(replay_check(&r, 29));
	assert_false(replay_check(&r, 10));
}

/* After a restart at top, nothing up to top is new; above it everything is, once; moving the
 * edge keeps what is still inside the window seen. */
static void
test_restart_counts_everything_up_to_top_as_seen(void **state)
{
	static const uint32_t sizes[] = { 32, 64, 1000, 4096 };

	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		struct replay r;
		uint32_t top = 5000 + (uint32_t)k * 777;

		replay_init(&r, sizes[k], ring);
		for (uint32_t s = 1; s <= 300; s++)
			assert_true(replay_update(&r, s));
		replay_restart(&r, top);
		assert_int_equal(r.size, (sizes[k] + 31u) & ~31u);
		for (uint32_t s = 1; s <= top; s++)
			assert_false(replay_check(&r, s));
		assert_true(replay_check(&r, top + 1));
		assert_true(replay_update(&r, top + 3));
		assert_false(replay_check(&r, top + 3));
		assert_true(replay_check(&r, top + 1));
		assert_true(replay_check(&r, top + 2));
		/* Older than the new edge but newer than the saved top: still new. */
		assert_true(replay_update(&r, top + 1));
		assert_false(replay_check(&r, top));
		/* Far right: the saved part slides out, the new window is empty but the top. */
		assert_true(replay_update(&r, top + 3 * r.size));
		for (uint32_t s = top + 2 * r.size + 1; s < top + 3 * r.size; s++)
			assert_true(replay_check(&r, s));
		assert_false(replay_check(&r, top + 2 * r.size));
	}
}

/* replay_see_upto(): every number of the window up to upto counts as seen, the rest as it was,
 * the top and the ring beyond its words unchanged; right of the top, a restart there. Windows
 * with every other number seen, upto at and around word and window edges, and at the top of
 * the 64-bit space. */
static void
test_see_upto_marks_window_below_top(void **state)
{
	static const uint32_t sizes[] = { 32, 64, 96, 1024 };
	static const uint64_t tops[] = { 20, 63, 64, 200, 1000, UINT64_MAX };
	static const int64_t back[] = { 0, 1, 2, 31, 32, 63, 64, 65, 95, 96, 500, 1023, 1024,
		2000 };

	(void)state;
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		for (size_t t = 0; t < sizeof(tops) / sizeof(tops[0]); t++) {
			for (size_t b = 0; b < sizeof(back) / sizeof(back[0]); b++) {
				uint64_t top = tops[t];
				uint64_t upto =
				    (uint64_t)back[b] >= top ? 0 : top - (uint64_t)back[b];
				size_t words = replay_ring_words(sizes[k]);
				struct replay r;
				uint64_t lo;

				memset(ring, 0xab, sizeof(ring));
				replay_init(&r, sizes[k], ring);
				lo = top > 2 * (uint64_t)r.size ? top - 2 * (uint64_t)r.size : 1;
				for (uint64_t i = 0; i <= top - lo; i++) {
					if ((top - lo - i) % 2 == 0)
						assert_true(replay_update(&r, lo + i));
				}
				replay_see_upto(&r, upto);
				assert_true(r.top == top);
				for (uint64_t i = 0; i <= top - lo; i++) {
					uint64_t s = lo + i;
					bool seen =
					    top - s >= r.size || (top - s) % 2 == 0 || s <= upto;

					if (replay_check(&r, s) == seen)
						fail_msg("size %u top %llu upto %llu: %llu %s",
						    r.size, (unsigned long long)top,
						    (unsigned long long)upto, (unsigned long long)s,
						    seen ? "not seen" : "seen");
				}
				for (size_t w = words; w < sizeof(ring) / sizeof(ring[0]); w++)
					assert_true(ring[w] == 0xababababababababULL);
			}
		}
		{
			struct replay r;

			replay_init(&r, sizes[k], ring);
			assert_true(replay_update(&r, 5));
			replay_see_upto(&r, 300);
			assert_true(r.top == 300);
			for (uint64_t s = 300 - r.size + 1; s <= 300; s++)
				assert_false(replay_check(&r, s));
			assert_true(replay_check(&r, 301));
		}
	}
}

/* The ring holds the window and a spare word, as a power of two (RFC 6479 section 2): 32
 * bytes for the default window, 16 KB for the largest, never the largest for a small one. */
static void
test_ring_sized_per_window(void **state)
{
	static const struct {
		uint32_t size;
		size_t words;
	} cases[] = {
		{ 32, 2 },
		{ 64, 2 },
		{ 65, 4 },
		{ 128, 4 },
		{ 192, 4 },
		{ 200, 8 },
		{ 4096, 128 },
		{ 65536, 2048 },
		{ 1, 2 },
		{ 1000000, 2048 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(replay_ring_words(cases[i].size), cases[i].words);
	/* The window never touches ring memory beyond its words. */
	memset(ring, 0xab, sizeof(ring));
	{
		struct replay r;

		replay_init(&r, 64, ring);
		for (uint64_t s = 1; s < 100000; s += 7)
			assert_true(replay_update(&r, s));
		replay_restart(&r, 123456);
		for (size_t w = replay_ring_words(64); w < 2048; w++)
			assert_int_equal(ring[w], 0xababababababababULL);
	}
}

/* The largest window. */
static void
test_full_window_65536(void **state)
{
	full_window(65536, 200000);
}

/* RFC 4303 Appendix A2.2: the high half from the window's top, both cases, at and around the
 * 2^32 boundaries; below the first number there is nothing (0). */
static void
test_infer_high_half(void **state)
{
	const uint64_t b = (uint64_t)1 << 32;
	static const uint32_t sizes[] = { 32, 64, 4096, 65536 };

	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		struct replay r;
		uint32_t w;

		replay_init(&r, sizes[k], ring);
		w = r.size;
		/* A fresh window: every number is in the first subspace (there is none before). */
		assert_int_equal(replay_infer(&r, 1), 1);
		assert_int_equal(replay_infer(&r, 0xfffffff0u), 0xfffffff0u);
		/* Case A, the top well inside subspace 5. */
		replay_restart(&r, 5 * b + 100000);
		assert_int_equal(replay_infer(&r, 100000), 5 * b + 100000);
		assert_int_equal(replay_infer(&r, 100001), 5 * b + 100001);
		assert_int_equal(replay_infer(&r, 100000 - w + 1), 5 * b + 100000 - w + 1);
		assert_int_equal(replay_infer(&r, 100000 - w), 6 * b + 100000 - w);
		assert_int_equal(replay_infer(&r, 0xffffffffu), 5 * b + 0xffffffffu);
		/* The top at the end of a subspace: 0 is the next one's first number. */
		replay_restart(&r, 6 * b - 1);
		assert_int_equal(replay_infer(&r, 0), 6 * b);
		assert_int_equal(replay_infer(&r, 5), 6 * b + 5);
		assert_int_equal(replay_infer(&r, 0xffffffffu - w + 1), 6 * b - w);
		/* Case B, the window across the boundary: its left part is the previous subspace.
		 */
		replay_restart(&r, 6 * b + 3);
		assert_int_equal(replay_infer(&r, 3), 6 * b + 3);
		assert_int_equal(replay_infer(&r, 0), 6 * b);
		assert_int_equal(replay_infer(&r, 4), 6 * b + 4);
		assert_int_equal(replay_infer(&r, 0xffffffffu), 6 * b - 1);
		assert_int_equal(replay_infer(&r, (uint32_t)(3 - (w - 1))), 6 * b + 3 - (w - 1));
		assert_int_equal(replay_infer(&r, (uint32_t)(3 - w)), 6 * b + (uint32_t)(3 - w));
	}
}

/* Across 2^32: a window that crosses keeps what it saw on both sides. */
static void
test_window_across_2_to_the_32(void **state)
{
	const uint64_t b = (uint64_t)1 << 32;
	struct replay r;

	replay_init(&r, 64, ring);
	assert_true(replay_update(&r, b - 10));
	assert_true(replay_update(&r, b - 1));
	assert_true(replay_update(&r, b + 20));
	assert_false(replay_check(&r, b - 1));
	assert_true(replay_check(&r, b - 2));
	assert_false(replay_check(&r, b - 10));
	assert_true(replay_check(&r, b));
	assert_false(replay_check(&r, b + 20 - 64));
	assert_true(replay_update(&r, b + 20 - 63));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_rounds_size_to_multiple_of_32),
		cmocka_unit_test(test_seq_zero_is_never_valid),
		cmocka_unit_test(test_first_packet_accepted_duplicate_rejected),
		cmocka_unit_test(test_in_order_each_once),
		cmocka_unit_test(test_left_edge_of_window),
		cmocka_unit_test(test_reordered_within_window_accepted_once),
		cmocka_unit_test(test_jump_far_right_forgets_old_window),
		cmocka_unit_test(test_check_is_read_only),
		cmocka_unit_test(test_update_refuses_replay_seen_meanwhile),
		cmocka_unit_test(test_top_of_32_bit_space),
		cmocka_unit_test(test_ring_word_reused_after_wrap_is_clear),
		cmocka_unit_test(test_full_window_4096_tracks_every_number),
		cmocka_unit_test(test_small_window_ignores_older_ring_bits),
		cmocka_unit_test(test_restart_counts_everything_up_to_top_as_seen),
		cmocka_unit_test(test_see_upto_marks_window_below_top),
		cmocka_unit_test(test_ring_sized_per_window),
		cmocka_unit_test(test_full_window_65536),
		cmocka_unit_test(test_infer_high_half),
		cmocka_unit_test(test_window_across_2_to_the_32),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
