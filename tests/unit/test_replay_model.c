// SPDX-License-Identifier: MIT
/* Differential test of the anti-replay window: millions of random sequence numbers (in order,
 * reordered, duplicated, far ahead, far behind, at the edges, and restarts from a saved top)
 * through struct replay and through a plain shifting-array model of RFC 4303 section 3.4.3;
 * every verdict must agree. Windows from 32 to 65,536 packets; 32-bit numbers, and 64-bit
 * extended sequence numbers (RFC 4303 section 2.2.1) that travel as their low half and are
 * inferred again by the receiver (Appendix A), with runs that start just below 2^32 and 2^33
 * so that they cross the boundaries. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ipsec6/replay.h"
#include "testlib.h"

#define MODEL_EVENTS_PER_SIZE 1000000u
#define MODEL_EVENTS_HUGE     200000u /* the 65,536 window: its model shifts 64 KB a step */
#define MODEL_RESTART_EVERY   100000u
#define MODEL_SAVED_EVERY     5000u
#define MODEL_FULL_CHECK      8191u
#define MODEL_RECENT          64u
#define MODEL_SEED_DEFAULT    0x5eed6479c0ffeeULL

/* The model: hist[i] says whether top - i was seen, for i < size; an advance shifts the array. */
struct model {
	uint32_t size;
	uint64_t top;
	uint64_t max; /* the largest number the sender can send: 2^32 - 1 without ESN */
	unsigned char hist[REPLAY_WINDOW_MAX];
};

/* Ring memory for the window under test. */
static uint64_t ring[2048];

/* The state of tl_rand_next(), from the seed that a failure prints. */
static uint64_t rng_state;

static void
model_init(struct model *m, uint32_t size, uint64_t max)
{
	memset(m, 0, sizeof(*m));
	m->size = size;
	m->max = max;
}

/* A receiver restarted with a saved top: everything up to it counts as seen. */
static void
model_restart(struct model *m, uint64_t top)
{
	memset(m->hist, 1, m->size);
	m->top = top;
}

static bool
model_check(const struct model *m, uint64_t seq)
{
	if (seq == 0)
		return false;
	if (seq > m->top)
		return true;
	if (m->top - seq >= m->size)
		return false;
	return m->hist[m->top - seq] == 0;
}

static bool
model_update(struct model *m, uint64_t seq)
{
	if (!model_check(m, seq))
		return false;
	if (seq > m->top) {
		uint64_t d = seq - m->top;

		if (d >= m->size) {
			memset(m->hist, 0, m->size);
		} else {
			memmove(m->hist + d, m->hist, m->size - d);
			memset(m->hist, 0, d);
		}
		m->top = seq;
	}
	m->hist[m->top - seq] = 1;
	return true;
}

static uint64_t
add_sat(const struct model *m, uint64_t a, uint64_t b)
{
	return b > m->max - a ? m->max : a + b;
}

static uint64_t
sub_sat(uint64_t a, uint64_t b)
{
	return b >= a ? 0 : a - b;
}

/* One random sequence number of the kinds a receiver sees. */
static uint64_t
pick_seq(const struct model *m, const uint64_t *recent)
{
	uint32_t k = tl_rand_below(&rng_state, 100);
	uint64_t t = m->top;

	if (k < 35)
		return add_sat(m, t, 1 + tl_rand_below(&rng_state, 3)); /* in order, small gaps */
	if (k < 60)
		return sub_sat(
		    t, tl_rand_below(&rng_state, m->size)); /* reordered within the window */
	if (k < 70)
		return recent[tl_rand_below(&rng_state, MODEL_RECENT)]; /* a duplicate */
	if (k < 75)
		return add_sat(
		    m, t, (uint64_t)m->size + tl_rand_below(&rng_state, 5000)); /* far right */
	if (k < 83)
		return sub_sat(
		    t, (uint64_t)m->size + tl_rand_below(&rng_state, 1000000)); /* far left */
	if (k < 93)
		return sub_sat(
		    t, (uint64_t)m->size - 2 + tl_rand_below(&rng_state, 5)); /* the left edge */
	if (k < 96)
		return add_sat(
		    m, t, m->size - 2 + tl_rand_below(&rng_state, 5)); /* right by about a window */
	if (k < 98)
		return 0;
	if (tl_rand_below(&rng_state, 1000) != 0) /* anywhere at or below the top */
		return sub_sat(t, tl_rand_next(&rng_state) % (t == UINT64_MAX ? t : t + 1));
	return add_sat(m, tl_rand_next(&rng_state) % (m->max / 2), 0); /* a rare huge jump */
}

/* Start a run: at 1, low in the space, near the top of the 32-bit space (without ESN it
 * saturates there part way through the run, or right away; with ESN it crosses into the next
 * 2^32) or, with ESN, just below 2^33 and far up the 64-bit space. */
static uint64_t
pick_start(bool esn)
{
	const uint64_t b = (uint64_t)1 << 32;
	uint32_t k = tl_rand_below(&rng_state, 6);

	if (k == 0)
		return 1;
	if (k == 3 && !esn) /* saturates at 2^32 - 1 part way through the run */
		return b - 1 - 40000000u - tl_rand_below(&rng_state, 20000000);
	if (k < 3 || !esn)
		return 1u + tl_rand_below(&rng_state, 1u << 30);
	if (k == 3)
		return b - 1 - 400000u - tl_rand_below(&rng_state, 200000);
	if (k == 4)
		return 2 * b - 1 - 300000u - tl_rand_below(&rng_state, 200000);
	return ((uint64_t)tl_rand_below(&rng_state, 1u << 30) << 32) + tl_rand_next(&rng_state) % b;
}

static void
expect_same(bool got, bool want, uint32_t size, uint64_t ev, uint64_t seq, const char *what)
{
	if (got != want) {
		print_error("size %u event %llu seq %llu: %s gave %d, model %d\n", size,
		    (unsigned long long)ev, (unsigned long long)seq, what, got, want);
		fail();
	}
}

static void
compare_window(const struct replay *r, const struct model *m, uint64_t ev)
{
	assert_true(r->top == m->top);
	for (uint32_t i = 0; i < m->size && i < m->top; i++)
		expect_same(replay_check(r, m->top - i), model_check(m, m->top - i), m->size, ev,
		    m->top - i, "window check");
}

/* What the receiver makes of seq. Without ESN the number travels whole. With ESN only its low
 * half does: RFC 4303 Appendix A's inference must find seq itself whenever it lies inside the
 * window or less than 2^32 - W right of it; elsewhere it may guess another number, and then
 * the ICV (computed with the true high half) fails: *icv_fails says so. */
static uint64_t
receive(const struct replay *r, const struct model *m, uint64_t seq, bool esn, bool *icv_fails)
{
	const uint64_t b = (uint64_t)1 << 32;
	uint64_t got;
	bool must;

	*icv_fails = false;
	if (!esn)
		return seq;
	got = replay_infer(r, (uint32_t)seq);
	must = seq != 0 && (seq > m->top ? seq - m->top < b - m->size : m->top - seq < m->size);
	if (must && got != seq) {
		print_error("top %llu window %u: %llu inferred as %llu\n",
		    (unsigned long long)m->top, m->size, (unsigned long long)seq,
		    (unsigned long long)got);
		fail();
	}
	*icv_fails = got != seq;
	return got;
}

/* restart_every: 0, or how many events apart the receiver restarts from a saved top. */
static void
run_model(
    uint32_t size_in, uint64_t restart_every, bool esn, uint64_t *accepted, uint64_t *rejected)
{
	static struct model m;
	struct replay r;
	uint64_t recent[MODEL_RECENT] = { 0 };
	uint32_t nrecent = 0;
	uint64_t events = size_in > 4096 ? MODEL_EVENTS_HUGE : MODEL_EVENTS_PER_SIZE;

	for (uint64_t ev = 0; ev < events; ev++) {
		if (ev % MODEL_RESTART_EVERY == 0) {
			replay_init(&r, size_in, ring);
			/* Duplicates come from this run: another run's numbers would be a jump. */
			memset(recent, 0, sizeof(recent));
			nrecent = 0;
			/* The size is rounded up to a multiple of 32 (replay.h). */
			assert_int_equal(r.size, (size_in + 31) / 32 * 32);
			model_init(&m, r.size, esn ? UINT64_MAX : UINT32_MAX);
			expect_same(
			    replay_update(&r, pick_start(esn)), true, r.size, ev, 0, "start");
			(void)model_update(&m, r.top);
		}
		if (restart_every != 0 && ev % restart_every == restart_every / 2) {
			/* The saved top lags the real one by up to two windows. */
			uint64_t saved = sub_sat(m.top, tl_rand_below(&rng_state, 2 * m.size));

			replay_restart(&r, saved);
			model_restart(&m, saved);
			compare_window(&r, &m, ev);
		}
		uint64_t sent = pick_seq(&m, recent);
		bool icv_fails;
		uint64_t seq = receive(&r, &m, sent, esn, &icv_fails);
		bool ok = replay_check(&r, seq);

		if (icv_fails) {
			/* Dropped at the ICV, after a check that changed nothing. */
			(*rejected)++;
			continue;
		}
		expect_same(ok, model_check(&m, seq), m.size, ev, seq, "check");
		/* A failed ICV: checked, never recorded. */
		if (ok && tl_rand_below(&rng_state, 10) == 0)
			continue;
		/* A duplicate in the same burst: both checked, then both updated. */
		if (ok && tl_rand_below(&rng_state, 10) == 0)
			expect_same(replay_update(&r, seq), model_update(&m, seq), m.size, ev, seq,
			    "burst update");
		bool upd = replay_update(&r, seq);

		expect_same(upd, model_update(&m, seq), m.size, ev, seq, "update");
		if (upd) {
			recent[nrecent++ % MODEL_RECENT] = seq;
			(*accepted)++;
		} else {
			(*rejected)++;
		}
		if ((ev & MODEL_FULL_CHECK) == 0)
			compare_window(&r, &m, ev);
	}
	compare_window(&r, &m, events);
}

static void
run_sizes(bool esn)
{
	static const uint32_t sizes[] = { 32, 64, 100, 1000, 2048, 4096, 65536 };

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		uint64_t events = sizes[i] > 4096 ? MODEL_EVENTS_HUGE : MODEL_EVENTS_PER_SIZE;
		uint64_t acc = 0;
		uint64_t rej = 0;

		run_model(sizes[i], 0, esn, &acc, &rej);
		printf("replay model%s: window %u: %llu accepted, %llu rejected\n",
		    esn ? " (ESN)" : "", sizes[i], (unsigned long long)acc,
		    (unsigned long long)rej);
		/* The mix must exercise both verdicts heavily, or the comparison proves little. */
		assert_true(acc > events / 10);
		assert_true(rej > events / 5);
	}
	/* Again with a restart from a saved top every MODEL_SAVED_EVERY events. A run that has
	 * reached the top of the 32-bit space accepts nothing after a restart: fewer accepted. */
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		uint64_t events = sizes[i] > 4096 ? MODEL_EVENTS_HUGE : MODEL_EVENTS_PER_SIZE;
		uint64_t acc = 0;
		uint64_t rej = 0;

		run_model(sizes[i], MODEL_SAVED_EVERY, esn, &acc, &rej);
		printf("replay model%s: window %u, restarts: %llu accepted, %llu rejected\n",
		    esn ? " (ESN)" : "", sizes[i], (unsigned long long)acc,
		    (unsigned long long)rej);
		assert_true(acc > events / 20);
		assert_true(rej > events / 5);
	}
}

static void
seed_rng(void)
{
	uint64_t seed = MODEL_SEED_DEFAULT;
	const char *env = getenv("IPSEC6_TEST_SEED");

	if (env != NULL)
		seed = strtoull(env, NULL, 0);
	printf("replay model: seed 0x%llx (set IPSEC6_TEST_SEED to change), %u events per size\n",
	    (unsigned long long)seed, MODEL_EVENTS_PER_SIZE);
	rng_state = seed != 0 ? seed : 1;
}

static void
test_replay_matches_model(void **state)
{
	seed_rng();
	run_sizes(false);
}

/* 64-bit numbers inferred from their low half, across 2^32 boundaries. */
static void
test_replay_esn_matches_model(void **state)
{
	seed_rng();
	run_sizes(true);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_replay_matches_model),
		cmocka_unit_test(test_replay_esn_matches_model),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
