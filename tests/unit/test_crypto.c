// SPDX-License-Identifier: MIT
/* The crypto front: backend names, parsing and resolution, contexts, key validation with its
 * reasons, and the ops and helper calls that must be refused. Known answers live in
 * tests/vectors/test_vectors.c. */
#include <errno.h>
#include <intel-ipsec-mb.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ipsec6/algo.h"
#include "ipsec6/crypto.h"
#include "ipsec6/secret.h"

static const enum crypto_backend concrete[] = { CRYPTO_BACKEND_OPENSSL, CRYPTO_BACKEND_IPSECMB };

/* Whether this machine can run backend; ipsec-mb needs AES-NI. */
static int
backend_available(enum crypto_backend backend)
{
	struct crypto_ctx *ctx = NULL;
	struct err err = { { 0 } };
	int rc = crypto_ctx_new(backend, &ctx, &err);

	crypto_ctx_free(ctx);
	if (rc != 0) {
		assert_int_equal(rc, -ENOTSUP);
		assert_non_null(strstr(err.msg, "crypto backend 'ipsec-mb' is not supported here"));
	}
	return rc == 0;
}

static struct secret
secret_fill(size_t len, uint8_t byte)
{
	struct secret s = { .len = len };

	memset(s.bytes, byte, len < SECRET_MAX ? len : SECRET_MAX);
	return s;
}

static void
test_backend_parse_accepts_the_three_names(void **state)
{
	static const struct {
		const char *text;
		enum crypto_backend want;
	} cases[] = {
		{ "auto", CRYPTO_BACKEND_AUTO },
		{ "openssl", CRYPTO_BACKEND_OPENSSL },
		{ "ipsec-mb", CRYPTO_BACKEND_IPSECMB },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum crypto_backend out = (enum crypto_backend)99;
		struct err err = { { 0 } };

		assert_int_equal(crypto_backend_parse(cases[i].text, &out, &err), 0);
		assert_int_equal(out, cases[i].want);
		assert_string_equal(err.msg, "");
	}
}

static void
test_backend_parse_rejects_other_text_with_reason(void **state)
{
	static const struct {
		const char *text;
		const char *msg;
	} cases[] = {
		{ "", "invalid crypto backend \'\': use auto, openssl or ipsec-mb" },
		{ "OpenSSL", "invalid crypto backend \'OpenSSL\': use auto, openssl or ipsec-mb" },
		{ "ipsecmb", "invalid crypto backend \'ipsecmb\': use auto, openssl or ipsec-mb" },
		{ "ipsec-mb ",
		    "invalid crypto backend \'ipsec-mb \': use auto, openssl or ipsec-mb" },
		{ "open", "invalid crypto backend \'open\': use auto, openssl or ipsec-mb" },
		{ NULL, "invalid crypto backend '': use auto, openssl or ipsec-mb" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum crypto_backend out = CRYPTO_BACKEND_OPENSSL;
		struct err err = { { 0 } };

		assert_int_equal(crypto_backend_parse(cases[i].text, &out, &err), -EINVAL);
		assert_string_equal(err.msg, cases[i].msg);
		assert_int_equal(out, CRYPTO_BACKEND_OPENSSL);
	}
}

static void
test_backend_names(void **state)
{
	enum crypto_backend parsed;

	assert_string_equal(crypto_backend_name(CRYPTO_BACKEND_OPENSSL), "openssl");
	assert_string_equal(crypto_backend_name(CRYPTO_BACKEND_IPSECMB), "ipsec-mb");
	/* AUTO is named by what it resolves to, and that name parses back. */
	assert_string_equal(crypto_backend_name(CRYPTO_BACKEND_AUTO),
	    crypto_backend_name(crypto_backend_resolve(CRYPTO_BACKEND_AUTO)));
	assert_int_equal(
	    crypto_backend_parse(crypto_backend_name(CRYPTO_BACKEND_AUTO), &parsed, NULL), 0);
	assert_int_equal(parsed, crypto_backend_resolve(CRYPTO_BACKEND_AUTO));
	assert_string_equal(crypto_backend_name((enum crypto_backend)9), "unknown");
}

static void
test_backend_resolve_auto_prefers_ipsecmb_where_it_runs(void **state)
{
	enum crypto_backend want = backend_available(CRYPTO_BACKEND_IPSECMB)
	    ? CRYPTO_BACKEND_IPSECMB
	    : CRYPTO_BACKEND_OPENSSL;

	assert_int_equal(crypto_backend_resolve(CRYPTO_BACKEND_AUTO), want);
	assert_int_equal(crypto_backend_resolve(CRYPTO_BACKEND_OPENSSL), CRYPTO_BACKEND_OPENSSL);
	assert_int_equal(crypto_backend_resolve(CRYPTO_BACKEND_IPSECMB), CRYPTO_BACKEND_IPSECMB);
}

static void
test_ctx_new_reports_its_backend(void **state)
{
	struct crypto_ctx *ctx = NULL;

	for (size_t i = 0; i < 2; i++) {
		if (!backend_available(concrete[i]))
			continue;
		assert_int_equal(crypto_ctx_new(concrete[i], &ctx, NULL), 0);
		assert_int_equal(crypto_ctx_backend(ctx), concrete[i]);
		crypto_ctx_free(ctx);
	}
	assert_int_equal(crypto_ctx_new(CRYPTO_BACKEND_AUTO, &ctx, NULL), 0);
	assert_int_equal(crypto_ctx_backend(ctx), crypto_backend_resolve(CRYPTO_BACKEND_AUTO));
	crypto_ctx_free(ctx);
	crypto_ctx_free(NULL);
}

static void
test_ctx_new_unknown_backend_refused(void **state)
{
	struct crypto_ctx *ctx = (struct crypto_ctx *)&ctx;
	struct err err = { { 0 } };

	assert_int_equal(crypto_ctx_new((enum crypto_backend)7, &ctx, &err), -EINVAL);
	assert_string_equal(err.msg, "crypto backend 7 is unknown");
	assert_null(ctx);
}

static void
test_key_new_refuses_bad_keys_with_reason(void **state)
{
	static const struct {
		enum algo_enc enc;
		int enc_len; /* -1: no secret */
		enum algo_auth auth;
		int auth_len;
		const char *msg;
	} cases[] = {
		/* The rules and their wording are algo's (test_algo); the backends apply them. */
		{ ALGO_ENC_3DES_CBC, 16, ALGO_AUTH_HMAC_SHA256, 32,
		    "encryption key is 16 bytes, 3des-cbc needs 24" },
		{ ALGO_ENC_AES128_CBC, -1, ALGO_AUTH_HMAC_SHA1, 20,
		    "aes128-cbc needs an encryption key of 16 bytes" },
		{ ALGO_ENC_NULL, 16, ALGO_AUTH_HMAC_SHA1, 20, "null encryption takes no key" },
		{ ALGO_ENC_AES128_CBC, 16, ALGO_AUTH_HMAC_SHA1, -1,
		    "hmac-sha1 needs an integrity key of 20 bytes" },
		{ (enum algo_enc)9, 16, ALGO_AUTH_HMAC_SHA1, 20,
		    "encryption algorithm 9 is unknown" },
	};

	for (size_t b = 0; b < 2; b++) {
		if (!backend_available(concrete[b]))
			continue;
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			struct secret ek = secret_fill(
			    (size_t)(cases[i].enc_len < 0 ? 0 : cases[i].enc_len), 0x11);
			struct secret ak = secret_fill(
			    (size_t)(cases[i].auth_len < 0 ? 0 : cases[i].auth_len), 0x22);
			struct crypto_key *key = (struct crypto_key *)&key;
			struct err err = { { 0 } };

			assert_int_equal(crypto_key_new(concrete[b], cases[i].enc,
					     cases[i].enc_len < 0 ? NULL : &ek, cases[i].auth,
					     cases[i].auth_len < 0 ? NULL : &ak, &key, &err),
			    -EINVAL);
			assert_string_equal(err.msg, cases[i].msg);
			assert_null(key);
		}
	}
}

static void
test_key_new_accepts_every_suite(void **state)
{
	for (size_t b = 0; b < 2; b++) {
		if (!backend_available(concrete[b]))
			continue;
		for (unsigned e = 0; e < ALGO_ENC__COUNT; e++) {
			for (unsigned a = 0; a < ALGO_AUTH__COUNT; a++) {
				struct secret ek = secret_fill(algo_enc_info(e)->key_len, 0x33);
				struct secret ak = secret_fill(algo_auth_info(a)->key_len, 0x44);
				struct crypto_key *key = NULL;
				/* A combined mode goes with no integrity algorithm, and only it. */
				int want =
				    algo_enc_is_aead(e) == (a == ALGO_AUTH_NONE) ? 0 : -EINVAL;

				assert_int_equal(
				    crypto_key_new(concrete[b], (enum algo_enc)e,
					e == ALGO_ENC_NULL ? NULL : &ek, (enum algo_auth)a,
					a == ALGO_AUTH_NONE ? NULL : &ak, &key, NULL),
				    want);
				if (want != 0) {
					assert_null(key);
					continue;
				}
				assert_non_null(key);
				crypto_key_free(key);
			}
		}
	}
	crypto_key_free(NULL);
}

/* A key made for one backend, or a cipher region of a partial block, is a caller's bug: the op
 * fails and the buffer is left alone. */
static void
test_ops_refused_leave_buffer_alone(void **state)
{
	struct secret ek = secret_fill(16, 0x55);
	struct secret ak = secret_fill(20, 0x66);
	struct crypto_key *keys[2] = { NULL, NULL };
	struct crypto_ctx *ctxs[2] = { NULL, NULL };
	size_t n = backend_available(CRYPTO_BACKEND_IPSECMB) ? 2 : 1;

	for (size_t b = 0; b < n; b++) {
		assert_int_equal(crypto_ctx_new(concrete[b], &ctxs[b], NULL), 0);
		assert_int_equal(crypto_key_new(concrete[b], ALGO_ENC_AES128_CBC, &ek,
				     ALGO_AUTH_HMAC_SHA1, &ak, &keys[b], NULL),
		    0);
	}
	for (size_t b = 0; b < n; b++) {
		static const struct {
			size_t key_of; /* 0: own key, 1: the other backend's, 2: none */
			uint32_t cipher_len;
		} cases[] = { { 1, 32 }, { 2, 32 }, { 0, 15 }, { 0, 0 }, { 0, 17 } };

		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			uint8_t buf[128], copy[128];
			struct crypto_op op = { .buf = buf,
				.auth_len = 24 + cases[i].cipher_len,
				.cipher_off = 24,
				.cipher_len = cases[i].cipher_len,
				.iv = buf + 8,
				.icv = buf + 100 };

			if (cases[i].key_of == 1 && n < 2)
				continue;
			op.key =
			    cases[i].key_of == 2 ? NULL : keys[cases[i].key_of == 0 ? b : 1 - b];
			memset(buf, 0xa5, sizeof(buf));
			memcpy(copy, buf, sizeof(buf));
			crypto_encrypt_burst(ctxs[b], &op, 1);
			assert_int_equal(op.status, CRYPTO_FAILED);
			assert_memory_equal(buf, copy, sizeof(buf));
			crypto_decrypt_burst(ctxs[b], &op, 1);
			assert_int_equal(op.status, CRYPTO_FAILED);
			assert_memory_equal(buf, copy, sizeof(buf));
		}
		crypto_encrypt_burst(ctxs[b], NULL, 0);
		crypto_decrypt_burst(ctxs[b], NULL, 0);
	}
	for (size_t b = 0; b < n; b++) {
		crypto_key_free(keys[b]);
		crypto_ctx_free(ctxs[b]);
	}
}

static void
test_helpers_refuse_bad_arguments(void **state)
{
	uint8_t key[24] = { 0 }, iv[16] = { 0 }, in[32] = { 0 }, out[32];

	for (size_t b = 0; b < 2; b++) {
		struct crypto_ctx *ctx = NULL;

		if (!backend_available(concrete[b]))
			continue;
		assert_int_equal(crypto_ctx_new(concrete[b], &ctx, NULL), 0);
		assert_int_equal(
		    crypto_cipher(ctx, ALGO_ENC_AES128_CBC, key, iv, in, out, 15, 1), -EINVAL);
		assert_int_equal(
		    crypto_cipher(ctx, ALGO_ENC_3DES_CBC, key, iv, in, out, 12, 0), -EINVAL);
		assert_int_equal(
		    crypto_cipher(ctx, ALGO_ENC_AES128_CBC, NULL, iv, in, out, 16, 1), -EINVAL);
		assert_int_equal(
		    crypto_cipher(ctx, (enum algo_enc)8, key, iv, in, out, 16, 1), -EINVAL);
		assert_int_equal(
		    crypto_hmac(ctx, (enum algo_auth)8, key, 20, in, 32, out), -EINVAL);
		assert_int_equal(
		    crypto_hmac(ctx, ALGO_AUTH_HMAC_SHA1, NULL, 20, in, 32, out), -EINVAL);
		assert_int_equal(
		    crypto_hmac(ctx, ALGO_AUTH_HMAC_SHA1, key, 20, in, 32, NULL), -EINVAL);
		crypto_ctx_free(ctx);
	}
}

/* RFC 2410: the NULL cipher is the identity, whatever the key. */
/* Calls refused elsewhere in the process (here: another thread's direct GCM calls without a
 * key, which set the library's process-wide error) do not fail this context's AES-GCM ops:
 * its direct calls report no error of their own, and none is borrowed. */
static void *
refused_calls(void *arg)
{
	_Atomic bool *stop = arg;
	IMB_MGR *m = alloc_mb_mgr(0);
	uint8_t buf[32] = { 0 }, iv[12] = { 0 }, aad[8] = { 0 }, tag[16];
	struct gcm_context_data gctx;

	if (m == NULL)
		abort(); /* not cmocka's assert: it may only fail the test's own thread */
	init_mb_mgr_auto(m, NULL);
	while (!atomic_load(stop))
		IMB_AES128_GCM_ENC(m, NULL, &gctx, buf, buf, sizeof(buf), iv, aad, 8, tag, 16);
	free_mb_mgr(m);
	return NULL;
}

static void
test_gcm_ignores_other_threads_errors(void **state)
{
	struct secret ek = secret_fill(20, 0x77);
	uint8_t buf[16][96], plain[32];
	struct crypto_op ops[16];
	struct crypto_ctx *ctx = NULL;
	struct crypto_key *k = NULL;
	_Atomic bool stop = false;
	size_t failed = 0;
	pthread_t noise;

	if (!backend_available(CRYPTO_BACKEND_IPSECMB))
		skip();
	assert_int_equal(crypto_ctx_new(CRYPTO_BACKEND_IPSECMB, &ctx, NULL), 0);
	assert_int_equal(crypto_key_new(CRYPTO_BACKEND_IPSECMB, ALGO_ENC_AES128_GCM16, &ek,
			     ALGO_AUTH_NONE, NULL, &k, NULL),
	    0);
	assert_int_equal(pthread_create(&noise, NULL, refused_calls, &stop), 0);
	memset(plain, 0x3c, sizeof(plain));
	for (int round = 0; round < 2000; round++) {
		for (size_t i = 0; i < 16; i++) {
			memset(buf[i], (int)i, 16); /* ESP header and IV */
			memcpy(buf[i] + 16, plain, sizeof(plain));
			ops[i] = (struct crypto_op){ .key = k,
				.buf = buf[i],
				.auth_len = 16 + sizeof(plain),
				.cipher_off = 16,
				.cipher_len = sizeof(plain),
				.iv = buf[i] + 8,
				.icv = buf[i] + 16 + sizeof(plain) };
		}
		crypto_encrypt_burst(ctx, ops, 16);
		for (size_t i = 0; i < 16; i++)
			failed += ops[i].status != CRYPTO_OK;
		crypto_decrypt_burst(ctx, ops, 16);
		for (size_t i = 0; i < 16; i++) {
			failed += ops[i].status != CRYPTO_OK;
			failed += memcmp(buf[i] + 16, plain, sizeof(plain)) != 0;
		}
	}
	atomic_store(&stop, true);
	assert_int_equal(pthread_join(noise, NULL), 0);
	assert_int_equal(failed, 0);
	crypto_key_free(k);
	crypto_ctx_free(ctx);
}

static void
test_cipher_null_is_identity(void **state)
{
	uint8_t in[33], out[33];
	struct crypto_ctx *ctx = NULL;

	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(i * 7);
	assert_int_equal(crypto_ctx_new(CRYPTO_BACKEND_OPENSSL, &ctx, NULL), 0);
	memset(out, 0, sizeof(out));
	assert_int_equal(crypto_cipher(ctx, ALGO_ENC_NULL, NULL, NULL, in, out, sizeof(in), 1), 0);
	assert_memory_equal(in, out, sizeof(in));
	crypto_ctx_free(ctx);
}

/* The empty message and the empty key are valid HMAC inputs (RFC 2104 places no lower bound);
 * values from Python's hmac module. */
static void
test_hmac_of_empty_message(void **state)
{
	static const struct {
		enum algo_auth auth;
		size_t key_len;
		const uint8_t want[32];
	} cases[] = {
		{ ALGO_AUTH_HMAC_SHA1, 0,
		    { 0xfb, 0xdb, 0x1d, 0x1b, 0x18, 0xaa, 0x6c, 0x08, 0x32, 0x4b, 0x7d, 0x64, 0xb7,
			0x1f, 0xb7, 0x63, 0x70, 0x69, 0x0e, 0x1d } },
		{ ALGO_AUTH_HMAC_SHA256, 0,
		    { 0xb6, 0x13, 0x67, 0x9a, 0x08, 0x14, 0xd9, 0xec, 0x77, 0x2f, 0x95, 0xd7, 0x78,
			0xc3, 0x5f, 0xc5, 0xff, 0x16, 0x97, 0xc4, 0x93, 0x71, 0x56, 0x53, 0xc6,
			0xc7, 0x12, 0x14, 0x42, 0x92, 0xc5, 0xad } },
		/* 80 bytes of 0xaa: longer than the block, hashed first. */
		{ ALGO_AUTH_HMAC_SHA1, 80,
		    { 0x6f, 0xb7, 0x0a, 0x34, 0x5b, 0x84, 0xa3, 0x47, 0xa0, 0xca, 0x3b, 0x58, 0xb4,
			0xf8, 0xdd, 0xc6, 0xab, 0x1e, 0xc6, 0x1f } },
	};
	uint8_t key[80];

	memset(key, 0xaa, sizeof(key));
	for (size_t b = 0; b < 2; b++) {
		struct crypto_ctx *ctx = NULL;

		if (!backend_available(concrete[b]))
			continue;
		assert_int_equal(crypto_ctx_new(concrete[b], &ctx, NULL), 0);
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			uint8_t got[32] = { 0 };
			size_t len = algo_auth_info(cases[i].auth)->digest_len;

			assert_int_equal(
			    crypto_hmac(ctx, cases[i].auth, cases[i].key_len ? key : NULL,
				cases[i].key_len, NULL, 0, got),
			    0);
			assert_memory_equal(got, cases[i].want, len);
		}
		crypto_ctx_free(ctx);
	}
}

static struct secret *
bytes_secret(uint8_t first, size_t len)
{
	struct secret *k = secret_new(len);

	assert_non_null(k);
	for (size_t i = 0; i < len; i++)
		k->bytes[i] = (uint8_t)(first + i);
	return k;
}

/* The fingerprint by which daemon/seq.c's "@sa" records know an SA is a format of PATH.seq: a
 * change loses every record. Pinned to SHA-256 of its label, addresses, SPI, the algorithms'
 * names and the keys after their lengths, as Python's hashlib computes it; every input counts. */
static void
test_sa_fingerprint_is_pinned(void **state)
{
	static const char want[] =
	    "81b6bde66916cce10a8126c5857ec1162629e4ee14e861d9288d766f5224ea9b";
	uint8_t src[16] = { 0x20, 0x01, 0x0d, 0xb8 }, dst[16] = { 0x20, 0x01, 0x0d, 0xb8 };
	struct secret *ek = bytes_secret(0, 16), *ak = bytes_secret(0x20, 20), *ak2;
	struct secret *fp, *other;
	char hex[2 * CRYPTO_FP_LEN + 1];

	(void)state;
	src[15] = 1;
	dst[15] = 2;
	fp = crypto_sa_fingerprint(
	    src, dst, 0x1000, ALGO_ENC_AES128_CBC, ek, ALGO_AUTH_HMAC_SHA1, ak);
	assert_non_null(fp);
	for (size_t i = 0; i < CRYPTO_FP_LEN; i++)
		snprintf(hex + 2 * i, 3, "%02x", fp->bytes[i]);
	assert_string_equal(hex, want);
	other = crypto_sa_fingerprint(
	    dst, src, 0x1000, ALGO_ENC_AES128_CBC, ek, ALGO_AUTH_HMAC_SHA1, ak);
	assert_false(secret_equal(fp, other));
	secret_free(other);
	other = crypto_sa_fingerprint(
	    src, dst, 0x1001, ALGO_ENC_AES128_CBC, ek, ALGO_AUTH_HMAC_SHA1, ak);
	assert_false(secret_equal(fp, other));
	secret_free(other);
	ak2 = bytes_secret(0x21, 20);
	other = crypto_sa_fingerprint(
	    src, dst, 0x1000, ALGO_ENC_AES128_CBC, ek, ALGO_AUTH_HMAC_SHA1, ak2);
	assert_false(secret_equal(fp, other));
	secret_free(other);
	assert_null(crypto_sa_fingerprint(
	    src, dst, 0x1000, ALGO_ENC_AES128_GCM16, ek, ALGO_AUTH_NONE, NULL));
	secret_free(ak2);
	secret_free(fp);
	secret_free(ak);
	secret_free(ek);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backend_parse_accepts_the_three_names),
		cmocka_unit_test(test_backend_parse_rejects_other_text_with_reason),
		cmocka_unit_test(test_backend_names),
		cmocka_unit_test(test_backend_resolve_auto_prefers_ipsecmb_where_it_runs),
		cmocka_unit_test(test_ctx_new_reports_its_backend),
		cmocka_unit_test(test_ctx_new_unknown_backend_refused),
		cmocka_unit_test(test_key_new_refuses_bad_keys_with_reason),
		cmocka_unit_test(test_key_new_accepts_every_suite),
		cmocka_unit_test(test_ops_refused_leave_buffer_alone),
		cmocka_unit_test(test_helpers_refuse_bad_arguments),
		cmocka_unit_test(test_gcm_ignores_other_threads_errors),
		cmocka_unit_test(test_cipher_null_is_identity),
		cmocka_unit_test(test_hmac_of_empty_message),
		cmocka_unit_test(test_sa_fingerprint_is_pinned),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
