// SPDX-License-Identifier: MIT
/* The IV generator: outputs differ between calls and instances, are never all zero, fill
 * exactly what was asked at every size (across buffer refills and reseeds), and look balanced
 * bit by bit and byte by byte; its state is key memory that a forked child sees as zeros. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ipsec6/rng.h"

static struct rng *
rng_make(void)
{
	struct rng *rng = NULL;
	struct err err = { { 0 } };

	if (rng_new(&rng, &err) != 0)
		fail_msg("rng_new: %s", err.msg);
	assert_non_null(rng);
	return rng;
}

static int
all_zero(const uint8_t *p, size_t n)
{
	uint8_t acc = 0;

	for (size_t i = 0; i < n; i++)
		acc |= p[i];
	return acc == 0;
}

static void
test_new_and_free(void **state)
{
	struct rng *rng = rng_make();

	rng_free(rng);
	rng_free(NULL);
}

static void
test_successive_calls_differ(void **state)
{
	struct rng *rng = rng_make();
	uint8_t a[16], b[16];

	for (int i = 0; i < 1000; i++) {
		assert_int_equal(rng_bytes(rng, a, sizeof(a)), 0);
		assert_int_equal(rng_bytes(rng, b, sizeof(b)), 0);
		assert_memory_not_equal(a, b, sizeof(a));
	}
	rng_free(rng);
}

static void
test_instances_differ(void **state)
{
	struct rng *r1 = rng_make();
	struct rng *r2 = rng_make();
	uint8_t a[32], b[32];

	assert_int_equal(rng_bytes(r1, a, sizeof(a)), 0);
	assert_int_equal(rng_bytes(r2, b, sizeof(b)), 0);
	assert_memory_not_equal(a, b, sizeof(a));
	rng_free(r1);
	rng_free(r2);
}

/* Every size, including those that straddle a 4 KiB refill: exactly len bytes written (the
 * guard bytes after them untouched) and not all zero. */
static void
test_many_sizes_filled_exactly(void **state)
{
	static const size_t sizes[] = { 0, 1, 2, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 100, 1000,
		4063, 4064, 4065, 4095, 4096, 4097, 8192, 10000, 65536 };
	struct rng *rng = rng_make();
	uint8_t *buf = malloc(65536 + 16);

	assert_non_null(buf);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t n = sizes[i];

		memset(buf, 0, n);
		memset(buf + n, 0x5a, 16);
		assert_int_equal(rng_bytes(rng, buf, n), 0);
		for (size_t g = 0; g < 16; g++)
			assert_int_equal(buf[n + g], 0x5a);
		if (n >= 8)
			assert_false(all_zero(buf, n));
	}
	free(buf);
	rng_free(rng);
}

/* Small draws over many refills never repeat a 16-byte IV (a refill that reused its key or
 * handed out a buffer twice would). */
static int
cmp16(const void *a, const void *b)
{
	return memcmp(a, b, 16);
}

static void
test_ivs_do_not_repeat_across_refills(void **state)
{
	enum {
		N = 20000
	};
	struct rng *rng = rng_make();
	uint8_t(*ivs)[16] = malloc(sizeof(uint8_t[N][16]));

	assert_non_null(ivs);
	for (size_t i = 0; i < N; i++)
		assert_int_equal(rng_bytes(rng, ivs[i], 16), 0);
	qsort(ivs, N, 16, cmp16);
	for (size_t i = 1; i < N; i++)
		assert_memory_not_equal(ivs[i - 1], ivs[i], 16);
	free(ivs);
	rng_free(rng);
}

/* 6 MiB passes the periodic reseed from getrandom (every 4 MiB) without error; the output
 * counts 0 and 1 bits and every byte value in roughly equal measure (bounds at many standard
 * deviations: a broken generator fails, a good one does not). */
static void
test_bits_and_bytes_balanced(void **state)
{
	enum {
		CHUNK = 1 << 16,
		CHUNKS = 96
	};
	struct rng *rng = rng_make();
	uint8_t *buf = malloc(CHUNK);
	uint64_t ones = 0, counts[256] = { 0 };
	const uint64_t total = (uint64_t)CHUNK * CHUNKS;

	assert_non_null(buf);
	for (int c = 0; c < CHUNKS; c++) {
		assert_int_equal(rng_bytes(rng, buf, CHUNK), 0);
		for (size_t i = 0; i < CHUNK; i++) {
			ones += (uint64_t)__builtin_popcount(buf[i]);
			counts[buf[i]]++;
		}
	}
	/* Bits: mean total*4, standard deviation sqrt(total*8)/2 ~ 3500. */
	assert_in_range(ones, total * 4 - 60000, total * 4 + 60000);
	/* Bytes: mean total/256 = 24576 per value, standard deviation ~ 156. */
	for (int v = 0; v < 256; v++)
		assert_in_range(counts[v], total / 256 - 2500, total / 256 + 2500);
	free(buf);
	rng_free(rng);
}

/* Mappings of this process whose VmFlags have both " dd" (out of core dumps) and " wf" (zeros
 * in a forked child). */
static int
wipe_on_fork_key_mappings(void)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	int n = 0;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "VmFlags:", 8) == 0 && strstr(line, " dd") != NULL &&
		    strstr(line, " wf") != NULL)
			n++;
	fclose(f);
	return n;
}

/* Each generator's state is pages of key memory of its own, wiped on fork, gone when freed. */
static void
test_state_in_key_memory_wiped_on_fork(void **state)
{
	int before = wipe_on_fork_key_mappings();
	struct rng *rng = rng_make();
	uint8_t iv[16];

	assert_int_equal(wipe_on_fork_key_mappings(), before + 1);
	assert_int_equal(rng_bytes(rng, iv, sizeof(iv)), 0);
	rng_free(rng);
	assert_int_equal(wipe_on_fork_key_mappings(), before);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_and_free),
		cmocka_unit_test(test_successive_calls_differ),
		cmocka_unit_test(test_instances_differ),
		cmocka_unit_test(test_many_sizes_filled_exactly),
		cmocka_unit_test(test_ivs_do_not_repeat_across_refills),
		cmocka_unit_test(test_bits_and_bytes_balanced),
		cmocka_unit_test(test_state_in_key_memory_wiped_on_fork),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
