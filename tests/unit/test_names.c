// SPDX-License-Identifier: MIT
/* names: lookup (exact, no prefixes, rows without a name skipped), the "a, b or c" list, and the
 * one wording of a refusal; over plain string tables and over struct rows. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ipsec6/names.h"

static const char *const three[] = { "none", "discard", "ipsec" };

static const struct {
	const char *name;
	int value;
} rows[] = {
	{ "any", -1 },
	{ "", 99 }, /* no name: never found, never listed */
	{ "tcp", 6 },
	{ NULL, 98 },
	{ "udp", 17 },
};

static void
test_names_find(void **state)
{
	assert_int_equal(names_find(NAMES_TABLE(three), "discard"), 1);
	assert_int_equal(names_find(NAMES_TABLE(three), "ipsec"), 2);
	assert_int_equal(names_find(NAMES_TABLE(three), "ipse"), -ENOENT);
	assert_int_equal(names_find(NAMES_TABLE(three), "IPSEC"), -ENOENT);
	assert_int_equal(names_find(NAMES_TABLE(three), ""), -ENOENT);
	assert_int_equal(names_find(NAMES_TABLE(rows), "udp"), 4);
	assert_int_equal(names_find(NAMES_TABLE(rows), ""), -ENOENT);
}

static void
test_names_join(void **state)
{
	char buf[64];

	names_join(NAMES_TABLE(three), buf, sizeof(buf));
	assert_string_equal(buf, "none, discard or ipsec");
	names_join(NAMES_TABLE(rows), buf, sizeof(buf));
	assert_string_equal(buf, "any, tcp or udp");
	names_join(three, 1, sizeof(three[0]), buf, sizeof(buf));
	assert_string_equal(buf, "none");
	names_join(three, 2, sizeof(three[0]), buf, sizeof(buf));
	assert_string_equal(buf, "none or discard");
	/* Truncated, terminated. */
	names_join(NAMES_TABLE(three), buf, 8);
	assert_string_equal(buf, "none, d");
}

static void
test_names_parse_says_what_to_use(void **state)
{
	struct err err = { "" };

	assert_int_equal(names_parse(NAMES_TABLE(rows), "tcp", "protocol", &err), 2);
	assert_false(err_is_set(&err));
	assert_int_equal(names_parse(NAMES_TABLE(rows), "sctp", "protocol", &err), -EINVAL);
	assert_string_equal(err.msg, "invalid protocol 'sctp': use any, tcp or udp");
	assert_int_equal(names_parse(NAMES_TABLE(rows), "sctp", "protocol", NULL), -EINVAL);
}

static void
test_names_at(void **state)
{
	static const char *const gappy[] = { [0] = "in", [2] = "out" };

	assert_string_equal(names_at(gappy, 3, 0), "in");
	assert_string_equal(names_at(gappy, 3, 1), "?");
	assert_string_equal(names_at(gappy, 3, 2), "out");
	assert_string_equal(names_at(gappy, 3, 3), "?");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_find),
		cmocka_unit_test(test_names_join),
		cmocka_unit_test(test_names_parse_says_what_to_use),
		cmocka_unit_test(test_names_at),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
