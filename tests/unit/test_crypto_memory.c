// SPDX-License-Identifier: MIT
/* Where the crypto backends keep what they derive from keys, and what a burst allocates (issue
 * 8): key material only in key memory (out of core dumps), no copy left anywhere once its key
 * is freed, and no allocation by the crypto bursts, the IV generator or the engine, whichever
 * allocator it would come from. This program counts the process's malloc family itself (a
 * replacement that forwards to glibc; under AddressSanitizer, the sanitizer's allocation
 * hooks), so that libIPSec_MB's and libc's allocations are seen too; OpenSSL's are counted by
 * key memory, where they go (secret_mem_stats_read()). Each kind of search and count is first
 * shown to find what it looks for. */
#define OPENSSL_SUPPRESS_DEPRECATED /* AES_set_encrypt_key, DES_set_key, SHA*: the needles */
#include <sys/random.h>

#include <errno.h>
/* Without the names of its 0.53 API, which take OpenSSL's (SHA1, ...). */
#define NO_COMPAT_IMB_API_053
#include <intel-ipsec-mb.h>
#include <malloc.h>
#include <openssl/aes.h>
#include <openssl/des.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
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

#include "ipsec6/crypto.h"
#include "ipsec6/engine.h"
#include "ipsec6/rng.h"
#include "ipsec6/secret.h"
#include "testlib.h"

/* White box: crypto_ipsecmb_set_des3_native() for ipsec-mb's 3DES through OpenSSL, and
 * crypto_openssl_cipher_forget(). */
#include "../../lib/crypto_internal.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ---- Counting the process's heap allocations ---- */

static _Atomic uint64_t heap_allocs;

static void
heap_count(void)
{
	atomic_fetch_add_explicit(&heap_allocs, 1, memory_order_relaxed);
}

#if defined(__SANITIZE_ADDRESS__)
#define TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TEST_ASAN 1
#endif
#endif

#ifdef TEST_ASAN
/* From the sanitizers' allocator_interface.h, which gcc does not install. */
/* NOLINTNEXTLINE(bugprone-reserved-identifier,readability-identifier-naming) */
int __sanitizer_install_malloc_and_free_hooks(
    void (*malloc_hook)(const volatile void *, size_t), void (*free_hook)(const volatile void *));

static void
heap_malloc_hook(const volatile void *p, size_t size)
{
	(void)p;
	(void)size;
	heap_count();
}

static void
heap_free_hook(const volatile void *p)
{
	(void)p;
}

static void
heap_counting_start(void)
{
	assert_int_equal(
	    __sanitizer_install_malloc_and_free_hooks(heap_malloc_hook, heap_free_hook), 1);
}
#else
/* glibc lets a program replace malloc (its manual, "Replacing malloc"): these count and hand
 * over to glibc's own, so every library's allocations pass here. glibc's names for its own are
 * reserved identifiers, which is the point. */
/* NOLINTBEGIN(bugprone-reserved-identifier,readability-identifier-naming) */
void *__libc_malloc(size_t size);
void *__libc_calloc(size_t n, size_t size);
void *__libc_realloc(void *p, size_t size);
void *__libc_memalign(size_t align, size_t size);
void __libc_free(void *p);
/* NOLINTEND(bugprone-reserved-identifier,readability-identifier-naming) */

void *
malloc(size_t size)
{
	heap_count();
	return __libc_malloc(size);
}

void *
calloc(size_t n, size_t size)
{
	heap_count();
	return __libc_calloc(n, size);
}

void *
realloc(void *p, size_t size)
{
	heap_count();
	return __libc_realloc(p, size);
}

void
free(void *p)
{
	__libc_free(p);
}

void *
memalign(size_t align, size_t size)
{
	heap_count();
	return __libc_memalign(align, size);
}

void *
aligned_alloc(size_t align, size_t size)
{
	heap_count();
	return __libc_memalign(align, size);
}

int
posix_memalign(void **out, size_t align, size_t size)
{
	void *p;

	heap_count();
	if (align < sizeof(void *) || (align & (align - 1)) != 0)
		return EINVAL;
	p = __libc_memalign(align, size);
	if (p == NULL)
		return ENOMEM;
	*out = p;
	return 0;
}

static void
heap_counting_start(void)
{
}
#endif

/* Allocations so far, from the heap and from key memory (OpenSSL's among them). */
struct counts {
	uint64_t heap;
	struct secret_mem_stats key;
};

static void
counts_take(struct counts *c)
{
	c->heap = atomic_load_explicit(&heap_allocs, memory_order_relaxed);
	secret_mem_stats_read(&c->key);
}

/* Nothing allocated since before, from any allocator. */
static void
counts_assert_none(const struct counts *before, const char *what)
{
	struct counts now;

	counts_take(&now);
	if (now.heap != before->heap || now.key.allocs != before->key.allocs ||
	    now.key.openssl_allocs != before->key.openssl_allocs)
		fail_msg("%s allocated: %llu from the heap, %llu from key memory, %llu by OpenSSL",
		    what, (unsigned long long)(now.heap - before->heap),
		    (unsigned long long)(now.key.allocs - before->key.allocs),
		    (unsigned long long)(now.key.openssl_allocs - before->key.openssl_allocs));
}

/* ---- The backends and suites ---- */

/* A crypto backend as the data path runs it; ipsec-mb also with its 3DES through OpenSSL
 * (the default below AVX-512). */
struct variant {
	const char *name;
	enum crypto_backend backend;
	int des3_native; /* ipsec-mb only: -1 leaves the default */
};

static const struct variant variants[] = {
	{ "openssl", CRYPTO_BACKEND_OPENSSL, -1 },
	{ "ipsec-mb", CRYPTO_BACKEND_IPSECMB, 1 },
	{ "ipsec-mb, 3des through openssl", CRYPTO_BACKEND_IPSECMB, 0 },
};

static const struct {
	enum algo_enc enc;
	enum algo_auth auth;
} suites[] = {
	{ ALGO_ENC_NULL, ALGO_AUTH_HMAC_SHA1 },
	{ ALGO_ENC_NULL, ALGO_AUTH_HMAC_SHA256 },
	{ ALGO_ENC_3DES_CBC, ALGO_AUTH_HMAC_SHA1 },
	{ ALGO_ENC_3DES_CBC, ALGO_AUTH_HMAC_SHA256 },
	{ ALGO_ENC_AES128_CBC, ALGO_AUTH_HMAC_SHA1 },
	{ ALGO_ENC_AES128_CBC, ALGO_AUTH_HMAC_SHA256 },
	{ ALGO_ENC_AES256_CBC, ALGO_AUTH_HMAC_SHA1 },
	{ ALGO_ENC_AES256_CBC, ALGO_AUTH_HMAC_SHA384 },
	{ ALGO_ENC_AES128_CBC, ALGO_AUTH_HMAC_SHA512 },
	{ ALGO_ENC_NULL, ALGO_AUTH_HMAC_SHA512 },
	{ ALGO_ENC_AES128_GCM16, ALGO_AUTH_NONE },
	{ ALGO_ENC_AES256_GCM16, ALGO_AUTH_NONE },
};

static bool
variant_available(const struct variant *v)
{
	struct crypto_ctx *ctx = NULL;
	int rc = crypto_ctx_new(v->backend, &ctx, NULL);

	crypto_ctx_free(ctx);
	return rc == 0;
}

static struct crypto_ctx *
variant_ctx(const struct variant *v)
{
	struct crypto_ctx *ctx = NULL;
	struct err err = { { 0 } };

	if (crypto_ctx_new(v->backend, &ctx, &err) != 0)
		fail_msg("crypto_ctx_new(%s): %s", v->name, err.msg);
	if (v->des3_native >= 0)
		crypto_ipsecmb_set_des3_native(ctx, v->des3_native);
	return ctx;
}

/* A random key of len bytes (0: NULL), straight into key memory. */
static struct secret *
key_random(size_t len)
{
	struct secret *s;

	if (len == 0)
		return NULL;
	s = secret_new(len);
	assert_non_null(s);
	assert_int_equal(getrandom(s->bytes, len, 0), (ssize_t)len);
	return s;
}

/* ESP-like packets for op: an 8-byte header, the IV, 16 * blocks bytes of payload to cipher,
 * then the ICV; the whole of it authenticated up to the ICV. */
#define PKT_LEN 512

static void
op_make(struct crypto_op *op, uint8_t *buf, const struct crypto_key *key, enum algo_enc enc,
    size_t blocks)
{
	size_t iv_len = algo_enc_info(enc)->iv_len;

	memset(op, 0, sizeof(*op));
	memset(buf, (int)(0x40 + blocks), PKT_LEN);
	op->key = key;
	op->buf = buf;
	op->auth_off = 0;
	op->iv = buf + 8;
	op->cipher_off = (uint32_t)(8 + iv_len);
	op->cipher_len = enc == ALGO_ENC_NULL ? 0 : (uint32_t)(16 * blocks);
	op->auth_len = op->cipher_off + (uint32_t)(16 * blocks);
	op->icv = buf + op->auth_len;
}

/* n packets of different lengths through key: encrypt, decrypt, the payload comes back. */
static void
burst_round_trip(struct crypto_ctx *ctx, const struct crypto_key *key, enum algo_enc enc,
    uint8_t (*bufs)[PKT_LEN], struct crypto_op *ops, size_t n)
{
	for (size_t i = 0; i < n; i++)
		op_make(&ops[i], bufs[i], key, enc, 1 + i % 16);
	crypto_encrypt_burst(ctx, ops, n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(ops[i].status, CRYPTO_OK);
	crypto_decrypt_burst(ctx, ops, n);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(ops[i].status, CRYPTO_OK);
		for (size_t j = ops[i].cipher_off; j < ops[i].auth_len; j++)
			assert_int_equal(bufs[i][j], 0x40 + 1 + i % 16);
	}
}

/* ---- What to look for: the keys and what the backends derive from them ---- */

#define NEEDLES_MAX 24
#define NEEDLE_LEN  16

/* The needles' bytes, in key memory that the scans skip. */
struct needle_store {
	uint8_t bytes[NEEDLES_MAX][64];
	union {
		SHA_CTX sha1;
		SHA256_CTX sha256;
		SHA512_CTX sha512;
		AES_KEY aes;
		DES_key_schedule des;
		uint64_t mb_des[IMB_DES_KEY_SCHED_SIZE / 8];
	} work;
	uint8_t block[128];
};

struct needles {
	struct needle_store *st;
	struct tl_needle n[NEEDLES_MAX];
	size_t count;
};

/* Add len bytes (copied into the store) as a needle of group what. */
static void
needle_add(struct needles *nd, const char *what, const void *bytes, size_t len)
{
	assert_true(nd->count < NEEDLES_MAX && len <= sizeof(nd->st->bytes[0]));
	memcpy(nd->st->bytes[nd->count], bytes, len);
	nd->n[nd->count] = (struct tl_needle){ nd->st->bytes[nd->count], len, what, 0, 0 };
	nd->count++;
}

/* The first 16 bytes as stored, and with each word's bytes reversed (words of word bytes, 4 or
 * 8): the backends keep hash states and schedules as host-order words or as bytes. */
static void
needle_add_orders(struct needles *nd, const char *what, const uint8_t *bytes, size_t word)
{
	uint8_t swapped[NEEDLE_LEN];

	for (size_t i = 0; i < NEEDLE_LEN; i++)
		swapped[i] = bytes[(i & ~(word - 1)) + word - 1 - (i & (word - 1))];
	needle_add(nd, what, bytes, NEEDLE_LEN);
	needle_add(nd, what, swapped, NEEDLE_LEN);
	explicit_bzero(swapped, sizeof(swapped));
}

/* RFC 2104: the hash state after one block of K ^ pad. */
static void
needle_add_hmac_state(
    struct needles *nd, const char *what, enum algo_auth auth, const struct secret *k, uint8_t pad)
{
	struct needle_store *st = nd->st;

	size_t block = algo_auth_info(auth)->block_len;

	memset(st->block, 0, sizeof(st->block));
	memcpy(st->block, k->bytes, k->len);
	for (size_t i = 0; i < block; i++)
		st->block[i] ^= pad;
	switch (auth) {
	case ALGO_AUTH_HMAC_SHA1:
		assert_int_equal(SHA1_Init(&st->work.sha1), 1);
		assert_int_equal(SHA1_Update(&st->work.sha1, st->block, block), 1);
		needle_add_orders(nd, what, (const uint8_t *)&st->work.sha1.h0, 4);
		break;
	case ALGO_AUTH_HMAC_SHA256:
		assert_int_equal(SHA256_Init(&st->work.sha256), 1);
		assert_int_equal(SHA256_Update(&st->work.sha256, st->block, block), 1);
		needle_add_orders(nd, what, (const uint8_t *)st->work.sha256.h, 4);
		break;
	case ALGO_AUTH_HMAC_SHA384:
	case ALGO_AUTH_HMAC_SHA512:
		assert_int_equal(auth == ALGO_AUTH_HMAC_SHA384 ? SHA384_Init(&st->work.sha512)
							       : SHA512_Init(&st->work.sha512),
		    1);
		assert_int_equal(SHA512_Update(&st->work.sha512, st->block, block), 1);
		needle_add_orders(nd, what, (const uint8_t *)st->work.sha512.h, 8);
		break;
	case ALGO_AUTH_NONE:
	case ALGO_AUTH__COUNT:
		fail_msg("no HMAC state for %d", (int)auth);
	}
	explicit_bzero(&st->work, sizeof(st->work));
	explicit_bzero(st->block, sizeof(st->block));
}

/* intel-ipsec-mb's key expansion, for its DES schedule layout; NULL without the backend. */
static IMB_MGR *
mb_mgr(void)
{
	static IMB_MGR *mgr;

	if (mgr == NULL && variant_available(&variants[1])) {
		mgr = alloc_mb_mgr(0);
		assert_non_null(mgr);
		init_mb_mgr_auto(mgr, NULL);
	}
	return mgr;
}

/* Every form of ek's schedule: AES round key 10 (round key 0 is the key itself), or the
 * schedules of the three DES keys in OpenSSL's and in intel-ipsec-mb's layout. */
static void
needle_add_schedules(struct needles *nd, enum algo_enc enc, const struct secret *ek)
{
	struct needle_store *st = nd->st;

	if (enc != ALGO_ENC_NULL && enc != ALGO_ENC_3DES_CBC) {
		const struct algo_enc_info *ei = algo_enc_info(enc);
		int bits = (int)(ei->key_len - ei->salt_len) * 8;

		assert_int_equal(AES_set_encrypt_key(ek->bytes, bits, &st->work.aes), 0);
		/* Round key 0 is the key itself. */
		needle_add_orders(nd, "aes last round key",
		    (const uint8_t *)&st->work.aes.rd_key[4 * st->work.aes.rounds], 4);
		/* GCM's hash key H = E(K, 0^128) (GCM specification section 2.3): OpenSSL keeps it
		 * as two host-order 64-bit words, intel-ipsec-mb only shifted powers of it. */
		if (algo_enc_is_aead(enc)) {
			memset(st->block, 0, 16);
			AES_encrypt(st->block, st->block + 16, &st->work.aes);
			needle_add_orders(nd, "gcm hash key", st->block + 16, 8);
		}
	}
	for (size_t i = 0; enc == ALGO_ENC_3DES_CBC && i < 3; i++) {
		memcpy(st->block, ek->bytes + 8 * i, 8);
		DES_set_key_unchecked((const_DES_cblock *)st->block, &st->work.des);
		needle_add(nd, "des schedule (openssl)", &st->work.des, NEEDLE_LEN);
		if (mb_mgr() != NULL) {
			assert_int_equal(
			    IMB_DES_KEYSCHED(mb_mgr(), st->work.mb_des, ek->bytes + 8 * i), 0);
			needle_add(nd, "des schedule (ipsec-mb)", st->work.mb_des, NEEDLE_LEN);
		}
	}
	explicit_bzero(&st->work, sizeof(st->work));
	explicit_bzero(st->block, sizeof(st->block));
}

static void
needles_make(struct needles *nd, enum algo_enc enc, const struct secret *ek, enum algo_auth auth,
    const struct secret *ak)
{
	nd->st = secret_mem_alloc(sizeof(*nd->st));
	assert_non_null(nd->st);
	nd->count = 0;
	if (ek != NULL) {
		needle_add(nd, "encryption key", ek->bytes, ek->len);
		needle_add_schedules(nd, enc, ek);
	}
	if (ak == NULL)
		return;
	needle_add(nd, "integrity key", ak->bytes, ak->len);
	needle_add_hmac_state(nd, "hmac inner state", auth, ak, 0x36);
	needle_add_hmac_state(nd, "hmac outer state", auth, ak, 0x5c);
}

static void
needles_free(struct needles *nd)
{
	secret_mem_free(nd->st, sizeof(*nd->st));
}

static void
needles_scan(struct needles *nd)
{
	tl_mem_scan(nd->n, nd->count, nd->st, sizeof(*nd->st));
}

/* Times group what was seen outside core dumps. */
static unsigned
needles_undumped(const struct needles *nd, const char *what)
{
	unsigned seen = 0;

	for (size_t i = 0; i < nd->count; i++)
		if (strcmp(nd->n[i].what, what) == 0)
			seen += nd->n[i].in_undumped;
	return seen;
}

static void
needles_assert_none_dumped(const struct needles *nd, const char *when)
{
	for (size_t i = 0; i < nd->count; i++)
		if (nd->n[i].in_dumped != 0)
			fail_msg("%s: %s (needle %zu) in memory a core dump holds, %u times", when,
			    nd->n[i].what, i, nd->n[i].in_dumped);
}

static void
needles_assert_gone(const struct needles *nd, const char *when)
{
	needles_assert_none_dumped(nd, when);
	for (size_t i = 0; i < nd->count; i++)
		if (nd->n[i].in_undumped != 0)
			fail_msg("%s: %s (needle %zu) still in key memory, %u times", when,
			    nd->n[i].what, i, nd->n[i].in_undumped);
}

/* ---- The tests ---- */

/* The search finds what the contexts hold: a CBC context with a key loaded holds the schedule
 * that the needles describe, in key memory; once the context forgot it, it is nowhere. */
static void
test_search_finds_a_loaded_schedule_and_forget_erases_it(void **state)
{
	static const enum algo_enc encs[] = { ALGO_ENC_3DES_CBC, ALGO_ENC_AES128_CBC,
		ALGO_ENC_AES256_CBC, ALGO_ENC_AES128_GCM16, ALGO_ENC_AES256_GCM16 };

	for (size_t e = 0; e < ARRAY_LEN(encs); e++) {
		for (int encrypt = 0; encrypt < 2; encrypt++) {
			const char *what = encs[e] == ALGO_ENC_3DES_CBC ? "des schedule (openssl)"
									: "aes last round key";
			struct secret *ek = key_random(algo_enc_info(encs[e])->key_len);
			struct secret *ak = key_random(20);
			EVP_CIPHER_CTX *cc = crypto_openssl_cipher_ctx_new(encs[e], encrypt);
			struct needles nd;

			assert_non_null(cc);
			needles_make(&nd, encs[e], ek, ALGO_AUTH_HMAC_SHA1, ak);
			assert_int_equal(EVP_CipherInit_ex(cc, NULL, NULL, ek->bytes, NULL, -1), 1);
			secret_free(ek);
			secret_free(ak);
			needles_scan(&nd);
			needles_assert_none_dumped(&nd, "loaded");
			if (needles_undumped(&nd, what) == 0)
				fail_msg("%s of a loaded %s context not found", what,
				    encrypt ? "encryption" : "decryption");
			if (algo_enc_is_aead(encs[e]) && needles_undumped(&nd, "gcm hash key") == 0)
				fail_msg("the GCM hash key of a loaded context not found");
			assert_int_equal(crypto_openssl_cipher_forget(cc), 0);
			needles_scan(&nd);
			needles_assert_gone(&nd, "forgotten");
			EVP_CIPHER_CTX_free(cc);
			needles_free(&nd);
		}
	}
}

/* With every backend and suite: after bursts, the keys and all that derives from them (HMAC
 * states, schedules) are only in key memory; the key object holds what it should (so the
 * search is not vacuous); once the key is freed, with its context still alive, nothing of it is
 * left anywhere. */
static void
test_key_state_only_in_key_memory_and_gone_with_the_key(void **state)
{
	static uint8_t bufs[16][PKT_LEN];
	struct crypto_op ops[16];

	for (size_t v = 0; v < ARRAY_LEN(variants); v++) {
		if (!variant_available(&variants[v]))
			continue;
		for (size_t s = 0; s < ARRAY_LEN(suites); s++) {
			enum algo_enc enc = suites[s].enc;
			enum algo_auth auth = suites[s].auth;
			struct secret *ek = key_random(algo_enc_info(enc)->key_len);
			struct secret *ak = key_random(algo_auth_info(auth)->key_len);
			struct crypto_ctx *ctx = variant_ctx(&variants[v]);
			struct crypto_key *key = NULL;
			struct needles nd;

			needles_make(&nd, enc, ek, auth, ak);
			assert_int_equal(
			    crypto_key_new(variants[v].backend, enc, ek, auth, ak, &key, NULL), 0);
			burst_round_trip(ctx, key, enc, bufs, ops, ARRAY_LEN(ops));
			needles_scan(&nd);
			needles_assert_none_dumped(&nd, variants[v].name);
			/* The key object holds the HMAC states (ipsec-mb: its schedules too). */
			assert_true(auth == ALGO_AUTH_NONE ||
			    needles_undumped(&nd, "hmac inner state") > 0);
			assert_true(auth == ALGO_AUTH_NONE ||
			    needles_undumped(&nd, "hmac outer state") > 0);
			if (variants[v].backend == CRYPTO_BACKEND_IPSECMB && enc != ALGO_ENC_NULL)
				assert_true(
				    needles_undumped(&nd,
					enc == ALGO_ENC_3DES_CBC ? "des schedule (ipsec-mb)"
								 : "aes last round key") > 0);
			crypto_key_free(key);
			secret_free(ek);
			secret_free(ak);
			needles_scan(&nd);
			needles_assert_gone(&nd, variants[v].name);
			crypto_ctx_free(ctx);
			needles_free(&nd);
		}
	}
}

/* The counters see each allocator: libc's malloc (strdup), intel-ipsec-mb's (its own
 * manager), OpenSSL's (a digest context, in key memory). */
static void
test_counters_see_every_allocator(void **state)
{
	struct counts before, after;
	IMB_MGR *mgr;
	EVP_MD_CTX *md;

	counts_take(&before);
	free(strdup("x"));
	counts_take(&after);
	assert_true(after.heap > before.heap);
	if (variant_available(&variants[1])) {
		counts_take(&before);
		mgr = alloc_mb_mgr(0);
		assert_non_null(mgr);
		free_mb_mgr(mgr);
		counts_take(&after);
		assert_true(after.heap > before.heap);
	}
	counts_take(&before);
	md = EVP_MD_CTX_new();
	assert_non_null(md);
	EVP_MD_CTX_free(md);
	counts_take(&after);
	assert_true(after.key.openssl_allocs > before.key.openssl_allocs);
	assert_true(after.key.allocs > before.key.allocs);
	assert_int_equal(after.heap, before.heap);
}

/* A context and a key take nothing from the heap: both, and what OpenSSL and intel-ipsec-mb
 * allocate for them, are key memory. */
static void
test_contexts_and_keys_take_no_heap(void **state)
{
	static uint8_t bufs[4][PKT_LEN];
	struct crypto_op ops[4];

	for (size_t v = 0; v < ARRAY_LEN(variants); v++) {
		if (!variant_available(&variants[v]))
			continue;
		for (size_t s = 0; s < ARRAY_LEN(suites); s++) {
			struct secret *ek = key_random(algo_enc_info(suites[s].enc)->key_len);
			struct secret *ak = key_random(algo_auth_info(suites[s].auth)->key_len);
			struct crypto_ctx *ctx;
			struct crypto_key *key = NULL;
			struct counts before, after;

			counts_take(&before);
			ctx = variant_ctx(&variants[v]);
			assert_int_equal(crypto_key_new(variants[v].backend, suites[s].enc, ek,
					     suites[s].auth, ak, &key, NULL),
			    0);
			burst_round_trip(ctx, key, suites[s].enc, bufs, ops, ARRAY_LEN(ops));
			crypto_key_free(key);
			crypto_ctx_free(ctx);
			counts_take(&after);
			if (after.heap != before.heap)
				fail_msg("%s, suite %zu: %llu heap allocations", variants[v].name,
				    s, (unsigned long long)(after.heap - before.heap));
			assert_true(after.key.allocs > before.key.allocs);
			secret_free(ek);
			secret_free(ak);
		}
	}
}

/* Crypto bursts allocate nothing, once the context has run one: every backend, suite and
 * direction, full bursts of mixed lengths, keys switching within the burst. */
static void
test_crypto_bursts_allocate_nothing(void **state)
{
	static uint8_t bufs[CRYPTO_BURST_MAX][PKT_LEN];
	struct crypto_op ops[CRYPTO_BURST_MAX];

	for (size_t v = 0; v < ARRAY_LEN(variants); v++) {
		struct crypto_ctx *ctx;
		struct crypto_key *keys[ARRAY_LEN(suites)];
		struct secret *sk[ARRAY_LEN(suites)][2];
		struct counts before;

		if (!variant_available(&variants[v]))
			continue;
		ctx = variant_ctx(&variants[v]);
		for (size_t s = 0; s < ARRAY_LEN(suites); s++) {
			sk[s][0] = key_random(algo_enc_info(suites[s].enc)->key_len);
			sk[s][1] = key_random(algo_auth_info(suites[s].auth)->key_len);
			assert_int_equal(crypto_key_new(variants[v].backend, suites[s].enc,
					     sk[s][0], suites[s].auth, sk[s][1], &keys[s], NULL),
			    0);
			burst_round_trip(ctx, keys[s], suites[s].enc, bufs, ops, 2);
		}
		counts_take(&before);
		for (size_t round = 0; round < 4; round++) {
			for (size_t s = 0; s < ARRAY_LEN(suites); s++)
				burst_round_trip(
				    ctx, keys[s], suites[s].enc, bufs, ops, ARRAY_LEN(ops));
			/* One burst through every key in turn. */
			for (size_t i = 0; i < ARRAY_LEN(ops); i++) {
				size_t s = i % ARRAY_LEN(suites);

				op_make(&ops[i], bufs[i], keys[s], suites[s].enc, 1 + i % 7);
			}
			crypto_encrypt_burst(ctx, ops, ARRAY_LEN(ops));
			crypto_decrypt_burst(ctx, ops, ARRAY_LEN(ops));
			for (size_t i = 0; i < ARRAY_LEN(ops); i++)
				assert_int_equal(ops[i].status, CRYPTO_OK);
		}
		counts_assert_none(&before, variants[v].name);
		for (size_t s = 0; s < ARRAY_LEN(suites); s++) {
			crypto_key_free(keys[s]);
			secret_free(sk[s][0]);
			secret_free(sk[s][1]);
		}
		crypto_ctx_free(ctx);
	}
}

/* The IV generator allocates nothing, refills (every 4 KB) and reseeds (every 4 MB)
 * included. */
static void
test_rng_allocates_nothing(void **state)
{
	struct rng *rng = NULL;
	struct counts before;
	uint8_t iv[64];

	assert_int_equal(rng_new(&rng, NULL), 0);
	assert_int_equal(rng_bytes(rng, iv, sizeof(iv)), 0);
	counts_take(&before);
	for (size_t i = 0; i < (size_t)5 * 1024 * 1024 / sizeof(iv); i++)
		assert_int_equal(rng_bytes(rng, iv, sizeof(iv)), 0);
	counts_assert_none(&before, "rng_bytes");
	rng_free(rng);
}

/* A full burst of UDP packets of many lengths out of snd and into rcv, all delivered. */
static void
engine_round(struct tl_host *snd, struct tl_host *rcv, struct tl_burst *b)
{
	uint8_t orig[1500];

	for (size_t i = 0; i < ENGINE_BURST_MAX; i++)
		tl_burst_set(b, i, orig,
		    tl_build_pkt(orig, NULL, 0, IPPROTO_UDP, (uint32_t)(10 + 19 * i), 0, 0, 64,
			TL_ADDR_A, TL_ADDR_B));
	engine_out_burst(snd->eng, snd->snap, b->p, ENGINE_BURST_MAX, b->res);
	for (size_t i = 0; i < ENGINE_BURST_MAX; i++) {
		assert_int_equal(b->res[i].verdict, ENGINE_PROTECT);
		tl_to_esp(&b->p[i], &b->meta[i]);
	}
	engine_in_burst(rcv->eng, rcv->snap, b->p, b->meta, ENGINE_BURST_MAX, b->res);
	for (size_t i = 0; i < ENGINE_BURST_MAX; i++)
		assert_int_equal(b->res[i].drop, PKT_DROP_NONE);
}

/* The whole data path of the engine, outbound and inbound, allocates nothing once it has run a
 * burst: every backend, algorithm pair and mode, enough bursts for the IV generator to
 * refill. */
static void
test_engine_bursts_allocate_nothing(void **state)
{
	struct tl_burst *b = tl_burst_new();

	for (size_t v = 0; v < 2; v++) {
		if (!variant_available(&variants[v]))
			continue;
		for (size_t k = 0; k < TL_NPAIRS; k++) {
			for (size_t m = 0; m < 2; m++) {
				struct tl_host snd, rcv;
				struct counts before;

				tl_hosts_open(
				    &snd, &rcv, variants[v].backend, &tl_pairs[k], tl_modes[m]);
				engine_round(&snd, &rcv, b);
				counts_take(&before);
				for (size_t round = 0; round < 12; round++)
					engine_round(&snd, &rcv, b);
				counts_assert_none(&before, variants[v].name);
				tl_host_close(&snd);
				tl_host_close(&rcv);
			}
		}
	}
	free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_search_finds_a_loaded_schedule_and_forget_erases_it),
		cmocka_unit_test(test_key_state_only_in_key_memory_and_gone_with_the_key),
		cmocka_unit_test(test_counters_see_every_allocator),
		cmocka_unit_test(test_contexts_and_keys_take_no_heap),
		cmocka_unit_test(test_crypto_bursts_allocate_nothing),
		cmocka_unit_test(test_rng_allocates_nothing),
		cmocka_unit_test(test_engine_bursts_allocate_nothing),
	};

	heap_counting_start();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
