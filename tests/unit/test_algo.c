// SPDX-License-Identifier: MIT
/* algo: the table's sizes against the RFCs and CLI.md, the Wireshark names tshark accepts, and
 * lookups by CLI name (exact, lower case). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ipsec6/algo.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

struct enc_row {
	enum algo_enc id;
	const char *name;
	const char *wireshark;
	size_t key_len, block_len, iv_len;
};

/* RFC 2410 (NULL: no key, block 1, no IV), RFC 2451 (3DES: 192-bit key, 64-bit block and IV),
 * RFC 3602 (AES-CBC: 128-bit key here, 128-bit block and IV). */
static const struct enc_row enc_rows[] = {
	{ ALGO_ENC_NULL, "null", "NULL", 0, 1, 0 },
	{ ALGO_ENC_3DES_CBC, "3des-cbc", "TripleDES-CBC [RFC2451]", 24, 8, 8 },
	{ ALGO_ENC_AES128_CBC, "aes128-cbc", "AES-CBC [RFC3602]", 16, 16, 16 },
};

struct auth_row {
	enum algo_auth id;
	const char *name;
	const char *wireshark;
	size_t key_len, icv_len, digest_len;
};

/* RFC 2404 (HMAC-SHA-1-96: 160-bit key, 96-bit ICV of a 160-bit digest), RFC 4868
 * (HMAC-SHA-256-128: 256-bit key, 128-bit ICV of a 256-bit digest; not Linux's old 96). */
static const struct auth_row auth_rows[] = {
	{ ALGO_AUTH_HMAC_SHA1, "hmac-sha1", "HMAC-SHA-1-96 [RFC2404]", 20, 12, 20 },
	{ ALGO_AUTH_HMAC_SHA256, "hmac-sha2-256", "HMAC-SHA-256-128 [RFC4868]", 32, 16, 32 },
};

static void
test_algo_enc_table_matches_rfcs(void **state)
{
	assert_int_equal(ARRAY_LEN(enc_rows), ALGO_ENC__COUNT);
	for (size_t i = 0; i < ARRAY_LEN(enc_rows); i++) {
		const struct algo_enc_info *info = algo_enc_info(enc_rows[i].id);

		assert_non_null(info);
		assert_string_equal(info->name, enc_rows[i].name);
		assert_string_equal(info->wireshark, enc_rows[i].wireshark);
		assert_int_equal(info->key_len, enc_rows[i].key_len);
		assert_int_equal(info->block_len, enc_rows[i].block_len);
		assert_int_equal(info->iv_len, enc_rows[i].iv_len);
	}
}

static void
test_algo_auth_table_matches_rfcs(void **state)
{
	assert_int_equal(ARRAY_LEN(auth_rows), ALGO_AUTH__COUNT);
	for (size_t i = 0; i < ARRAY_LEN(auth_rows); i++) {
		const struct algo_auth_info *info = algo_auth_info(auth_rows[i].id);

		assert_non_null(info);
		assert_string_equal(info->name, auth_rows[i].name);
		assert_string_equal(info->wireshark, auth_rows[i].wireshark);
		assert_int_equal(info->key_len, auth_rows[i].key_len);
		assert_int_equal(info->icv_len, auth_rows[i].icv_len);
		assert_int_equal(info->digest_len, auth_rows[i].digest_len);
	}
}

/* What the ESP code relies on: ICVs are truncations of the digest and keep ESP's 4-byte
 * alignment (RFC 4303 section 2.8); CBC IVs are one block (RFC 3602 section 3); the block of
 * every cipher is a whole number of bytes the padding can reach (at most 255). */
static void
test_algo_sizes_are_consistent(void **state)
{
	for (unsigned i = 0; i < ALGO_ENC__COUNT; i++) {
		const struct algo_enc_info *info = algo_enc_info((enum algo_enc)i);

		assert_true(info->block_len >= 1 && info->block_len <= 255);
		assert_true(info->iv_len == 0 || info->iv_len == info->block_len);
	}
	for (unsigned i = 0; i < ALGO_AUTH__COUNT; i++) {
		const struct algo_auth_info *info = algo_auth_info((enum algo_auth)i);

		assert_true(info->icv_len > 0 && info->icv_len <= info->digest_len);
		assert_int_equal(info->icv_len % 4, 0);
	}
}

static void
test_algo_lookup_every_name(void **state)
{
	for (size_t i = 0; i < ARRAY_LEN(enc_rows); i++) {
		enum algo_enc e = ALGO_ENC__COUNT;

		assert_int_equal(algo_enc_lookup(enc_rows[i].name, &e), 0);
		assert_int_equal(e, enc_rows[i].id);
	}
	for (size_t i = 0; i < ARRAY_LEN(auth_rows); i++) {
		enum algo_auth a = ALGO_AUTH__COUNT;

		assert_int_equal(algo_auth_lookup(auth_rows[i].name, &a), 0);
		assert_int_equal(a, auth_rows[i].id);
	}
}

/* Names are exact and lower case, as esxcli takes them: no prefixes, no case folding, no
 * Wireshark or kernel spellings, and an encryption name is not an integrity name. */
static void
test_algo_lookup_unknown_names(void **state)
{
	static const char *const enc_unknown[] = {
		"",
		"NULL",
		"Null",
		"aes128",
		"aes128-cbc ",
		"aes-cbc",
		"aes256-cbc",
		"aes128-gcm",
		"3des",
		"des-cbc",
		"3DES-CBC",
		"AES-CBC [RFC3602]",
		"cbc(aes)",
		"hmac-sha1",
	};
	static const char *const auth_unknown[] = {
		"",
		"null",
		"hmac-sha256",
		"hmac-sha2",
		"HMAC-SHA1",
		"hmac-sha1-96",
		"sha1",
		"hmac-sha2-256-128",
		"hmac-sha2-512",
		"hmac(sha256)",
		"aes128-cbc",
	};

	for (size_t i = 0; i < ARRAY_LEN(enc_unknown); i++) {
		enum algo_enc e = ALGO_ENC__COUNT;

		assert_int_equal(algo_enc_lookup(enc_unknown[i], &e), -ENOENT);
		assert_int_equal(e, ALGO_ENC__COUNT);
	}
	for (size_t i = 0; i < ARRAY_LEN(auth_unknown); i++) {
		enum algo_auth a = ALGO_AUTH__COUNT;

		assert_int_equal(algo_auth_lookup(auth_unknown[i], &a), -ENOENT);
		assert_int_equal(a, ALGO_AUTH__COUNT);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_algo_enc_table_matches_rfcs),
		cmocka_unit_test(test_algo_auth_table_matches_rfcs),
		cmocka_unit_test(test_algo_sizes_are_consistent),
		cmocka_unit_test(test_algo_lookup_every_name),
		cmocka_unit_test(test_algo_lookup_unknown_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
