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
	size_t key_len, block_len, iv_len, salt_len, icv_len;
};

/* RFC 2410 (NULL: no key, block 1, no IV), RFC 2451 (3DES: 192-bit key, 64-bit block and IV),
 * RFC 3602 (AES-CBC: 128- or 256-bit key, 128-bit block and IV; Wireshark has one name for
 * both), RFC 4106 (AES-GCM: the AES key then a 4-byte salt, no padding block, 8-byte IV, here
 * the 16-byte ICV; tshark 4.0's name "AES-GCM with 16 octet ICV [RFC4106]"). */
static const struct enc_row enc_rows[] = {
	{ ALGO_ENC_NULL, "null", "NULL", 0, 1, 0, 0, 0 },
	{ ALGO_ENC_3DES_CBC, "3des-cbc", "TripleDES-CBC [RFC2451]", 24, 8, 8, 0, 0 },
	{ ALGO_ENC_AES128_CBC, "aes128-cbc", "AES-CBC [RFC3602]", 16, 16, 16, 0, 0 },
	{ ALGO_ENC_AES256_CBC, "aes256-cbc", "AES-CBC [RFC3602]", 32, 16, 16, 0, 0 },
	{ ALGO_ENC_AES128_GCM16, "aes128-gcm16", "AES-GCM with 16 octet ICV [RFC4106]", 20, 1, 8, 4,
	    16 },
	{ ALGO_ENC_AES256_GCM16, "aes256-gcm16", "AES-GCM with 16 octet ICV [RFC4106]", 36, 1, 8, 4,
	    16 },
};

struct auth_row {
	enum algo_auth id;
	const char *name;
	const char *wireshark;
	size_t key_len, icv_len, digest_len, block_len;
};

/* RFC 2404 (HMAC-SHA-1-96: 160-bit key, 96-bit ICV of a 160-bit digest), RFC 4868
 * (HMAC-SHA-256-128: 256-bit key, 128-bit ICV of a 256-bit digest, not Linux's old 96;
 * HMAC-SHA-384-192 and HMAC-SHA-512-256: key as long as the digest, ICV half of it); RFC 2104
 * block B of 64 bytes for SHA-1/SHA-256, 128 for SHA-384/512 (FIPS 180-4). */
static const struct auth_row auth_rows[] = {
	{ ALGO_AUTH_HMAC_SHA1, "hmac-sha1", "HMAC-SHA-1-96 [RFC2404]", 20, 12, 20, 64 },
	{ ALGO_AUTH_HMAC_SHA256, "hmac-sha2-256", "HMAC-SHA-256-128 [RFC4868]", 32, 16, 32, 64 },
	{ ALGO_AUTH_HMAC_SHA384, "hmac-sha2-384", "HMAC-SHA-384-192 [RFC4868]", 48, 24, 48, 128 },
	{ ALGO_AUTH_HMAC_SHA512, "hmac-sha2-512", "HMAC-SHA-512-256 [RFC4868]", 64, 32, 64, 128 },
	/* With a combined mode: no name to type, Wireshark's "NULL" authentication. */
	{ ALGO_AUTH_NONE, "", "NULL", 0, 0, 0, 0 },
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
		assert_int_equal(info->salt_len, enc_rows[i].salt_len);
		assert_int_equal(info->icv_len, enc_rows[i].icv_len);
		assert_int_equal(algo_enc_is_aead(enc_rows[i].id), enc_rows[i].icv_len != 0);
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
		assert_int_equal(info->block_len, auth_rows[i].block_len);
	}
}

/* What the ESP code relies on: ICVs are truncations of the digest and keep ESP's 4-byte
 * alignment (RFC 4303 section 2.8); CBC IVs are one block (RFC 3602 section 3), GCM IVs the 8
 * bytes of a 64-bit sequence number (RFC 4106 section 3.1); the block of every cipher is a
 * power of two the padding can reach (at most 255); no ICV is longer than
 * CRYPTO_ICV_MAX. */
static void
test_algo_sizes_are_consistent(void **state)
{
	for (unsigned i = 0; i < ALGO_ENC__COUNT; i++) {
		const struct algo_enc_info *info = algo_enc_info((enum algo_enc)i);

		assert_true(info->block_len >= 1 && info->block_len <= 255);
		/* esp.c and crypto.c take lengths modulo it with a mask. */
		assert_int_equal(info->block_len & (info->block_len - 1), 0);
		if (algo_enc_is_aead((enum algo_enc)i)) {
			assert_int_equal(info->iv_len, 8);
			assert_true(info->icv_len % 4 == 0 && info->icv_len <= 32);
			assert_true(info->salt_len < info->key_len);
		} else {
			assert_true(info->iv_len == 0 || info->iv_len == info->block_len);
			assert_int_equal(info->salt_len, 0);
		}
	}
	for (unsigned i = 0; i < ALGO_AUTH__COUNT; i++) {
		const struct algo_auth_info *info = algo_auth_info((enum algo_auth)i);

		if (i == ALGO_AUTH_NONE)
			continue;
		assert_true(info->icv_len > 0 && info->icv_len <= info->digest_len);
		assert_true(info->icv_len <= 32);
		assert_int_equal(info->icv_len % 4, 0);
	}
}

static void
test_algo_lookup_every_name(void **state)
{
	for (size_t i = 0; i < ARRAY_LEN(enc_rows); i++) {
		enum algo_enc e = ALGO_ENC__COUNT;

		assert_int_equal(algo_enc_lookup(enc_rows[i].name, &e, NULL), 0);
		assert_int_equal(e, enc_rows[i].id);
	}
	for (size_t i = 0; i < ARRAY_LEN(auth_rows); i++) {
		enum algo_auth a = ALGO_AUTH__COUNT;

		if (auth_rows[i].id == ALGO_AUTH_NONE)
			continue; /* no name to look up */
		assert_int_equal(algo_auth_lookup(auth_rows[i].name, &a, NULL), 0);
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
		"aes256",
		"aes128-gcm",
		"aes128-gcm-16",
		"aes-gcm",
		"aes192-gcm16",
		"rfc4106(gcm(aes))",
		"3des",
		"des-cbc",
		"3DES-CBC",
		"AES-CBC [RFC3602]",
		"cbc(aes)",
		"hmac-sha1",
	};
	static const char *const auth_unknown[] = {
		"",
		"none",
		"null",
		"hmac-sha256",
		"hmac-sha2",
		"HMAC-SHA1",
		"hmac-sha1-96",
		"sha1",
		"hmac-sha2-256-128",
		"hmac-sha512",
		"hmac-sha2-512-256",
		"hmac(sha256)",
		"aes128-cbc",
	};

	for (size_t i = 0; i < ARRAY_LEN(enc_unknown); i++) {
		enum algo_enc e = ALGO_ENC__COUNT;

		assert_int_equal(algo_enc_lookup(enc_unknown[i], &e, NULL), -EINVAL);
		assert_int_equal(e, ALGO_ENC__COUNT);
	}
	for (size_t i = 0; i < ARRAY_LEN(auth_unknown); i++) {
		enum algo_auth a = ALGO_AUTH__COUNT;

		assert_int_equal(algo_auth_lookup(auth_unknown[i], &a, NULL), -EINVAL);
		assert_int_equal(a, ALGO_AUTH__COUNT);
	}
}

/* The refusal names every algorithm of the table, in the one wording of names_parse(). */
static void
test_algo_lookup_says_what_to_use(void **state)
{
	struct err err = { "" };
	enum algo_enc e;
	enum algo_auth a;

	assert_int_equal(algo_enc_lookup("des", &e, &err), -EINVAL);
	assert_string_equal(err.msg,
	    "invalid encryption algorithm 'des': use null, 3des-cbc, aes128-cbc, "
	    "aes256-cbc, aes128-gcm16 or aes256-gcm16");
	err_clear(&err);
	assert_int_equal(algo_auth_lookup("md5", &a, &err), -EINVAL);
	assert_string_equal(err.msg,
	    "invalid integrity algorithm 'md5': use hmac-sha1, hmac-sha2-256, hmac-sha2-384 "
	    "or hmac-sha2-512");
}

struct key_case {
	enum algo_enc enc;
	size_t enc_len;
	enum algo_auth auth;
	size_t auth_len;
	const char *msg; /* NULL: accepted */
};

/* The key rules, once for the CLI, the SAD and the backends (CLI.md "sa add"). */
static const struct key_case key_cases[] = {
	{ ALGO_ENC_NULL, 0, ALGO_AUTH_HMAC_SHA1, 20, NULL },
	{ ALGO_ENC_AES128_CBC, 16, ALGO_AUTH_HMAC_SHA256, 32, NULL },
	{ ALGO_ENC_3DES_CBC, 24, ALGO_AUTH_HMAC_SHA1, 20, NULL },
	{ ALGO_ENC_NULL, 16, ALGO_AUTH_HMAC_SHA1, 20, "null encryption takes no key" },
	{ ALGO_ENC_3DES_CBC, 0, ALGO_AUTH_HMAC_SHA1, 20,
	    "3des-cbc needs an encryption key of 24 bytes" },
	{ ALGO_ENC_AES128_CBC, 15, ALGO_AUTH_HMAC_SHA1, 20,
	    "encryption key is 15 bytes, aes128-cbc needs 16" },
	{ ALGO_ENC_AES128_CBC, 1, ALGO_AUTH_HMAC_SHA1, 20,
	    "encryption key is 1 byte, aes128-cbc needs 16" },
	{ ALGO_ENC_AES128_CBC, 65, ALGO_AUTH_HMAC_SHA1, 20,
	    "encryption key is 65 bytes, aes128-cbc needs 16" },
	{ ALGO_ENC_AES128_CBC, 16, ALGO_AUTH_HMAC_SHA1, 0,
	    "hmac-sha1 needs an integrity key of 20 bytes" },
	{ ALGO_ENC_AES128_CBC, 16, ALGO_AUTH_HMAC_SHA256, 20,
	    "integrity key is 20 bytes, hmac-sha2-256 needs 32" },
	{ (enum algo_enc)ALGO_ENC__COUNT, 16, ALGO_AUTH_HMAC_SHA1, 20,
	    "encryption algorithm 6 is unknown" },
	{ ALGO_ENC_AES128_CBC, 16, (enum algo_auth)ALGO_AUTH__COUNT, 20,
	    "integrity algorithm 5 is unknown" },
	/* RFC 4106: the AES key then the salt; no integrity algorithm, no integrity key. */
	{ ALGO_ENC_AES128_GCM16, 20, ALGO_AUTH_NONE, 0, NULL },
	{ ALGO_ENC_AES256_GCM16, 36, ALGO_AUTH_NONE, 0, NULL },
	{ ALGO_ENC_AES128_GCM16, 16, ALGO_AUTH_NONE, 0,
	    "encryption key is 16 bytes, aes128-gcm16 needs 20: the 16-byte AES key, then the "
	    "4-byte salt (RFC 4106)" },
	{ ALGO_ENC_AES256_GCM16, 32, ALGO_AUTH_NONE, 0,
	    "encryption key is 32 bytes, aes256-gcm16 needs 36: the 32-byte AES key, then the "
	    "4-byte salt (RFC 4106)" },
	{ ALGO_ENC_AES256_GCM16, 20, ALGO_AUTH_NONE, 0,
	    "encryption key is 20 bytes, aes256-gcm16 needs 36: the 32-byte AES key, then the "
	    "4-byte salt (RFC 4106)" },
	{ ALGO_ENC_AES128_GCM16, 0, ALGO_AUTH_NONE, 0,
	    "aes128-gcm16 needs an encryption key of 20 bytes" },
	{ ALGO_ENC_AES128_GCM16, 20, ALGO_AUTH_HMAC_SHA256, 32,
	    "aes128-gcm16 takes no integrity algorithm: it protects integrity itself (RFC 4106)" },
	{ ALGO_ENC_AES256_GCM16, 36, ALGO_AUTH_NONE, 20, "aes256-gcm16 takes no integrity key" },
	{ ALGO_ENC_AES128_CBC, 16, ALGO_AUTH_NONE, 0, "aes128-cbc needs an integrity algorithm" },
	{ ALGO_ENC_NULL, 0, ALGO_AUTH_NONE, 0, "null needs an integrity algorithm" },
	{ ALGO_ENC_AES256_CBC, 16, ALGO_AUTH_HMAC_SHA512, 64,
	    "encryption key is 16 bytes, aes256-cbc needs 32" },
	{ ALGO_ENC_AES256_CBC, 32, ALGO_AUTH_HMAC_SHA384, 32,
	    "integrity key is 32 bytes, hmac-sha2-384 needs 48" },
};

static void
test_algo_key_rules(void **state)
{
	for (size_t i = 0; i < ARRAY_LEN(key_cases); i++) {
		const struct key_case *c = &key_cases[i];
		struct err err = { "" };
		int rc = algo_keys_check(c->enc, c->enc_len, c->auth, c->auth_len, &err);

		if (c->msg == NULL) {
			if (rc != 0)
				fail_msg("case %zu refused: %s", i, err.msg);
			continue;
		}
		assert_int_equal(rc, -EINVAL);
		assert_string_equal(err.msg, c->msg);
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
		cmocka_unit_test(test_algo_lookup_says_what_to_use),
		cmocka_unit_test(test_algo_key_rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
