// SPDX-License-Identifier: MIT
/* htab: the hash table of every control-plane index. A reference model (a plain array) under
 * random adds and removes with hashes made to collide, so that probe runs wrap around the table
 * and backward-shift deletion has to move items across the wrap; iteration by hash; growth. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ipsec6/htab.h"
#include "testlib.h"

#define ITEMS 600

struct item {
	uint64_t hash;
	unsigned id;
	bool in;
};

static bool
eq_id(const void *item, const void *key)
{
	return ((const struct item *)item)->id == *(const unsigned *)key;
}

/* Every item the model holds is found, every other is not, and the count agrees. */
static void
check_model(const struct htab *t, struct item *items, size_t n)
{
	size_t in = 0;

	for (size_t i = 0; i < n; i++) {
		struct item *found = htab_find(t, items[i].hash, eq_id, &items[i].id);

		if (items[i].in) {
			in++;
			if (found != &items[i])
				fail_msg("item %u (hash %llx) lost", items[i].id,
				    (unsigned long long)items[i].hash);
		} else if (found != NULL) {
			fail_msg("removed item %u still found", items[i].id);
		}
	}
	assert_int_equal(t->used, in);
}

/* Hashes from a few values only, and values near the top of the table, so that runs collide,
 * grow long and wrap from the last slot to the first. */
static void
test_htab_matches_model_under_collisions(void **state)
{
	uint64_t seed = 0x6a09e667f3bcc908u;
	struct item items[ITEMS];
	struct htab t = { 0 };

	for (unsigned i = 0; i < ITEMS; i++)
		items[i] = (struct item){ .hash = 1000 - tl_rand_below(&seed, 24), .id = i };
	for (unsigned round = 0; round < 20000; round++) {
		struct item *it = &items[tl_rand_below(&seed, ITEMS)];

		if (it->in) {
			htab_del(&t, it->hash, it);
			it->in = false;
		} else {
			assert_int_equal(htab_reserve(&t, t.used + 1), 0);
			htab_put(&t, it->hash, it);
			it->in = true;
		}
		if (round % 97 == 0)
			check_model(&t, items, ITEMS);
	}
	check_model(&t, items, ITEMS);
	/* At load 1/2 at most: the table grew with the items. */
	assert_true(t.used <= (t.mask + 1) / 2);
	htab_clear(&t);
	assert_int_equal(t.used, 0);
	for (unsigned i = 0; i < ITEMS; i++)
		assert_null(htab_find(&t, items[i].hash, eq_id, &items[i].id));
	htab_fini(&t);
	assert_null(t.slots);
}

/* htab_start/htab_next visit exactly the items of one hash, however they interleave. */
static void
test_htab_iterates_one_hash(void **state)
{
	struct item items[12];
	struct htab t = { 0 };
	unsigned seen = 0;
	size_t pos;
	struct item *it;

	for (unsigned i = 0; i < 12; i++) {
		items[i] = (struct item){ .hash = i % 3 == 0 ? 7 : 7 + 16 * i, .id = i };
		assert_int_equal(htab_reserve(&t, t.used + 1), 0);
		htab_put(&t, items[i].hash, &items[i]);
	}
	pos = htab_start(&t, 7);
	while ((it = htab_next(&t, 7, &pos)) != NULL) {
		assert_int_equal(it->hash, 7);
		seen |= 1u << it->id;
	}
	assert_int_equal(seen, 1u << 0 | 1u << 3 | 1u << 6 | 1u << 9);
	htab_fini(&t);
}

/* An empty (never reserved) table finds nothing and deletes nothing. */
static void
test_htab_empty(void **state)
{
	struct htab t = { 0 };
	unsigned id = 1;
	size_t pos = htab_start(&t, 5);

	assert_null(htab_find(&t, 5, eq_id, &id));
	assert_null(htab_next(&t, 5, &pos));
	htab_del(&t, 5, &id);
	htab_clear(&t);
	htab_fini(&t);
}

/* The string hash is FNV-1a (finished): fixed values, so that nothing depends on the platform. */
static void
test_htab_hash_str(void **state)
{
	assert_int_not_equal(htab_hash_str("sa_1"), htab_hash_str("sa_2"));
	assert_int_equal(htab_hash_str(""), htab_hash_finish(0xcbf29ce484222325u));
	assert_int_equal(
	    htab_hash_str("a"), htab_hash_finish((0xcbf29ce484222325u ^ 'a') * 0x100000001b3u));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_htab_matches_model_under_collisions),
		cmocka_unit_test(test_htab_iterates_one_hash),
		cmocka_unit_test(test_htab_empty),
		cmocka_unit_test(test_htab_hash_str),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
