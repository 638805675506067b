// SPDX-License-Identifier: MIT
/* SA lifetime arithmetic (ipsec6/life.h): which limit decides the state, soft against hard,
 * ages from a wall clock that may be set back, and the checks of a limit set. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ipsec6/life.h"

static struct life_usage
usage(uint64_t seconds, uint64_t bytes, uint64_t packets)
{
	return (struct life_usage){
		{ [LIFE_TIME] = seconds, [LIFE_BYTES] = bytes, [LIFE_PACKETS] = packets }
	};
}

static void
test_no_limits_stay_mature(void **state)
{
	struct life_limits l = { { 0 }, { 0 } };
	struct life_usage u = usage(UINT64_MAX, UINT64_MAX, UINT64_MAX);

	assert_false(life_limited(&l));
	assert_int_equal(life_state(&l, &u, NULL), LIFE_MATURE);
}

/* Each kind on its own: below the soft limit, at it, between, at the hard limit, past it. */
static void
test_each_kind_at_its_edges(void **state)
{
	for (int k = 0; k < LIFE__KINDS; k++) {
		struct life_limits l = { { 0 }, { 0 } };
		static const struct {
			uint64_t use;
			enum life_state want;
		} steps[] = {
			{ 0, LIFE_MATURE },
			{ 99, LIFE_MATURE },
			{ 100, LIFE_SOFT_EXPIRED },
			{ 199, LIFE_SOFT_EXPIRED },
			{ 200, LIFE_HARD_EXPIRED },
			{ UINT64_MAX, LIFE_HARD_EXPIRED },
		};

		l.soft[k] = 100;
		l.hard[k] = 200;
		assert_true(life_limited(&l));
		for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
			struct life_usage u = usage(0, 0, 0);
			enum life_kind kind = LIFE__KINDS;
			enum life_state got;

			u.use[k] = steps[i].use;
			got = life_state(&l, &u, &kind);
			assert_int_equal(got, steps[i].want);
			if (got != LIFE_MATURE)
				assert_int_equal(kind, k);
		}
	}
}

/* A hard limit of one kind wins over a soft limit of another; among limits at the same level
 * the first kind (time, bytes, packets) is the one named. */
static void
test_hard_wins_and_first_kind_named(void **state)
{
	struct life_limits l = { { 0 }, { 0 } };
	struct life_usage u = usage(50, 5000, 7);
	enum life_kind kind = LIFE__KINDS;

	l.soft[LIFE_TIME] = 10;
	l.hard[LIFE_PACKETS] = 7;
	assert_int_equal(life_state(&l, &u, &kind), LIFE_HARD_EXPIRED);
	assert_int_equal(kind, LIFE_PACKETS);

	l = (struct life_limits){ { 0 }, { 0 } };
	l.soft[LIFE_BYTES] = 100;
	l.soft[LIFE_PACKETS] = 5;
	assert_int_equal(life_state(&l, &u, &kind), LIFE_SOFT_EXPIRED);
	assert_int_equal(kind, LIFE_BYTES);
	assert_true(life_reached(l.soft, &u, &kind));
	assert_false(life_reached(l.hard, &u, NULL));
}

/* Only a soft limit, or only a hard one: each works alone. */
static void
test_soft_or_hard_alone(void **state)
{
	struct life_limits soft = { { [LIFE_TIME] = 60 }, { 0 } };
	struct life_limits hard = { { 0 }, { [LIFE_TIME] = 60 } };
	struct life_usage u = usage(60, 0, 0);

	assert_int_equal(life_state(&soft, &u, NULL), LIFE_SOFT_EXPIRED);
	assert_int_equal(life_state(&hard, &u, NULL), LIFE_HARD_EXPIRED);
	u.use[LIFE_TIME] = 59;
	assert_int_equal(life_state(&soft, &u, NULL), LIFE_MATURE);
	assert_int_equal(life_state(&hard, &u, NULL), LIFE_MATURE);
}

static void
test_check_soft_above_hard(void **state)
{
	struct life_limits l = { { 0 }, { 0 } };
	struct err err = { "" };

	l.soft[LIFE_BYTES] = 10;
	l.hard[LIFE_BYTES] = 10;
	assert_int_equal(life_check(&l, &err), 0);
	l.soft[LIFE_PACKETS] = 11;
	assert_int_equal(life_check(&l, &err), 0); /* no hard packet limit: any soft one */
	l.hard[LIFE_PACKETS] = 10;
	assert_int_equal(life_check(&l, &err), -EINVAL);
	assert_string_equal(err.msg, "soft packets limit 11 is above the hard limit 10");
}

/* The age from the wall clock: never negative, whatever the clock did. */
static void
test_age_from_wall_clock(void **state)
{
	assert_int_equal(life_age(1000, 1000), 0);
	assert_int_equal(life_age(1000, 4600), 3600);
	assert_int_equal(life_age(5000, 1000), 0); /* the clock was set back */
	assert_int_equal(life_age(0, INT64_MAX), (uint64_t)INT64_MAX);
	assert_int_equal(life_age(INT64_MIN, INT64_MAX), UINT64_MAX);
}

static void
test_names(void **state)
{
	assert_string_equal(life_state_name(LIFE_MATURE), "mature");
	assert_string_equal(life_state_name(LIFE_SOFT_EXPIRED), "soft-expired");
	assert_string_equal(life_state_name(LIFE_HARD_EXPIRED), "hard-expired");
	assert_string_equal(life_kind_name(LIFE_TIME), "time");
	assert_string_equal(life_kind_name(LIFE_BYTES), "bytes");
	assert_string_equal(life_kind_name(LIFE_PACKETS), "packets");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_limits_stay_mature),
		cmocka_unit_test(test_each_kind_at_its_edges),
		cmocka_unit_test(test_hard_wins_and_first_kind_named),
		cmocka_unit_test(test_soft_or_hard_alone),
		cmocka_unit_test(test_check_soft_above_hard),
		cmocka_unit_test(test_age_from_wall_clock),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
