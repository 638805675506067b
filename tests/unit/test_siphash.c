// SPDX-License-Identifier: MIT
/* SipHash-2-4 against the vectors of its authors' reference implementation (key 00 01 .. 0f,
 * messages 00 01 .. of every length below 16): the empty message, a partial word, a whole word
 * and a word and a partial one; and the key matters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ipsec6/siphash.h"

static const struct {
	size_t len;
	uint64_t want;
} vectors[] = {
	{ 0, 0x726fdb47dd0e0e31ull },
	{ 1, 0x74f839c593dc67fdull },
	{ 8, 0x93f5f5799a932462ull },
	{ 15, 0xa129ca6149be45e5ull },
};

static void
test_reference_vectors(void **state)
{
	uint8_t key[SIPHASH_KEY_LEN], msg[16];

	(void)state;
	for (size_t i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)i;
	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)i;
	for (size_t v = 0; v < sizeof(vectors) / sizeof(vectors[0]); v++) {
		uint64_t got = siphash24(key, msg, vectors[v].len);

		if (got != vectors[v].want)
			fail_msg("%zu bytes: 0x%016llx, want 0x%016llx", vectors[v].len,
			    (unsigned long long)got, (unsigned long long)vectors[v].want);
	}
}

static void
test_key_matters(void **state)
{
	uint8_t a[SIPHASH_KEY_LEN] = { 0 }, b[SIPHASH_KEY_LEN] = { 0 };
	const char msg[] = "2001:db8::1 2001:db8::2";

	(void)state;
	b[15] = 1;
	assert_int_not_equal(siphash24(a, msg, sizeof(msg)), siphash24(b, msg, sizeof(msg)));
	assert_int_equal(siphash24(a, msg, sizeof(msg)), siphash24(a, msg, sizeof(msg)));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reference_vectors),
		cmocka_unit_test(test_key_matters),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
