// SPDX-License-Identifier: MIT
/* secret: slab slots (distinct, zeroed, aligned, wiped on free, locked, out of core dumps),
 * pages of their own, OpenSSL's allocations in key memory, the counters, key text parsing with
 * its reasons (which never quote the key), hex output, copies and comparison. */
#include <sys/mman.h>

#include <errno.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ipsec6/bytes.h"
#include "ipsec6/secret.h"
#include "testlib.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static void
test_secret_new_refuses_bad_len(void **state)
{
	errno = 0;
	assert_null(secret_new(0));
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_null(secret_new(SECRET_MAX + 1));
	assert_int_equal(errno, EINVAL);
}

static void
test_secret_new_is_zeroed(void **state)
{
	static const uint8_t zeros[SECRET_MAX];
	struct secret *s = secret_new(SECRET_MAX);

	assert_non_null(s);
	assert_int_equal(s->len, SECRET_MAX);
	assert_memory_equal(s->bytes, zeros, SECRET_MAX);
	secret_free(s);
	s = secret_new(1);
	assert_non_null(s);
	assert_int_equal(s->len, 1);
	secret_free(s);
}

/* Enough secrets to need several slab pages: every slot is its own, none overlaps another. */
static void
test_secret_many_slots_do_not_overlap(void **state)
{
	enum {
		N = 500
	};
	static struct secret *s[N];

	for (int i = 0; i < N; i++) {
		s[i] = secret_new(SECRET_MAX);
		assert_non_null(s[i]);
		memset(s[i]->bytes, i & 0xff, SECRET_MAX);
	}
	for (int i = 0; i < N; i++) {
		assert_int_equal(s[i]->len, SECRET_MAX);
		for (int j = 0; j < SECRET_MAX; j++)
			assert_int_equal(s[i]->bytes[j], i & 0xff);
	}
	for (int i = 0; i < N; i++)
		secret_free(s[i]);
	/* Reused slots come back zeroed. */
	for (int i = 0; i < N; i++) {
		s[i] = secret_new(SECRET_MAX);
		assert_non_null(s[i]);
		for (int j = 0; j < SECRET_MAX; j++)
			assert_int_equal(s[i]->bytes[j], 0);
	}
	for (int i = 0; i < N; i++)
		secret_free(s[i]);
}

/* The slab keeps its pages mapped, so the freed slot can be read back here: the key bytes must
 * be gone the moment secret_free() returns, not when the slot is reused. */
static void
test_secret_free_wipes_the_bytes(void **state)
{
	static const uint8_t zeros[SECRET_MAX];
	struct secret *s = secret_new(SECRET_MAX);
	const volatile uint8_t *bytes;

	assert_non_null(s);
	memset(s->bytes, 0xa5, SECRET_MAX);
	bytes = s->bytes;
	secret_free(s);
	for (size_t i = 0; i < SECRET_MAX; i++)
		if (bytes[i] != zeros[i])
			fail_msg("byte %zu survived secret_free", i);
}

static void
test_secret_free_null_is_noop(void **state)
{
	secret_free(NULL);
}

/* Keys must stay out of core dumps ("dd"), and out of swap ("lo") wherever mlock works at all.
 * mlock is best effort by contract, so a page of our own probes whether it works here (ASan,
 * for one, turns mlock into a no-op that reports success). */
static void
test_secret_memory_is_locked_and_not_dumped(void **state)
{
	struct secret *s = secret_new(16);
	char flags[512];
	void *probe;
	bool can_lock;

	assert_non_null(s);
	tl_smaps_flags(s, flags, sizeof(flags));
	assert_non_null(strstr(flags, " dd"));
	probe = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(probe != MAP_FAILED);
	can_lock = mlock(probe, 4096) == 0;
	if (can_lock) {
		char probe_flags[512];

		tl_smaps_flags(probe, probe_flags, sizeof(probe_flags));
		can_lock = strstr(probe_flags, " lo") != NULL;
	}
	munmap(probe, 4096);
	if (can_lock)
		assert_non_null(strstr(flags, " lo"));
	secret_free(s);
}

/* Every size class and the pages beyond them: zeroed, aligned as the header says, out of core
 * dumps, each allocation and free counted. */
static void
test_secret_mem_classes_aligned_zeroed_not_dumped(void **state)
{
	static const size_t lens[] = { 1, 16, 32, 33, 64, 65, 100, 128, 300, 600, 1500, 2049, 3000,
		5000, SECRET_SLAB_MAX, SECRET_SLAB_MAX + 1, 20000, 200000 };

	for (size_t i = 0; i < ARRAY_LEN(lens); i++) {
		struct secret_mem_stats before, after;
		size_t align = lens[i] <= 32 ? 32 : lens[i] <= SECRET_SLAB_MAX ? 64 : 4096;
		char flags[512];
		uint8_t *p;

		secret_mem_stats_read(&before);
		p = secret_mem_alloc(lens[i]);
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % align, 0);
		for (size_t j = 0; j < lens[i]; j++)
			assert_int_equal(p[j], 0);
		memset(p, 0xa5, lens[i]);
		tl_smaps_flags(p, flags, sizeof(flags));
		assert_non_null(strstr(flags, " dd"));
		secret_mem_free(p, lens[i]);
		secret_mem_stats_read(&after);
		assert_int_equal(after.allocs - before.allocs, 1);
		assert_int_equal(after.frees - before.frees, 1);
	}
}

/* Pages of their own, also wiped in a forked child when asked ("wf"), never otherwise. */
static void
test_secret_pages_wipe_on_fork_when_asked(void **state)
{
	uint8_t *wiped = secret_pages_alloc(100, 1);
	uint8_t *kept = secret_pages_alloc(100, 0);
	char flags[512];

	assert_non_null(wiped);
	assert_non_null(kept);
	assert_int_equal((uintptr_t)wiped % 4096, 0);
	tl_smaps_flags(wiped, flags, sizeof(flags));
	assert_non_null(strstr(flags, " dd"));
	assert_non_null(strstr(flags, " wf"));
	tl_smaps_flags(kept, flags, sizeof(flags));
	assert_non_null(strstr(flags, " dd"));
	assert_null(strstr(flags, " wf"));
	secret_pages_free(wiped, 100);
	secret_pages_free(kept, 100);
}

/* OpenSSL's allocator is key memory's: what it allocates is out of core dumps, counted, kept
 * across a realloc in place or to another class, and wiped when freed. */
static void
test_secret_openssl_allocations_are_key_memory(void **state)
{
	struct secret_mem_stats before, after;
	EVP_CIPHER_CTX *cc;
	char flags[512];
	uint8_t *p;
	const volatile uint8_t *old;

	assert_true(secret_mem_holds_openssl());
	secret_mem_stats_read(&before);
	p = OPENSSL_malloc(100);
	assert_non_null(p);
	assert_int_equal((uintptr_t)p % 16, 0);
	tl_smaps_flags(p, flags, sizeof(flags));
	assert_non_null(strstr(flags, " dd"));
	for (size_t i = 0; i < 100; i++)
		p[i] = (uint8_t)i;
	old = p;
	p = OPENSSL_realloc(p, 60);
	assert_ptr_equal(p, old);
	for (size_t i = 60; i < 100; i++)
		if (old[i] != 0)
			fail_msg("byte %zu beyond the shrunk length survived", i);
	p = OPENSSL_realloc(p, 5000);
	assert_non_null(p);
	assert_ptr_not_equal(p, old);
	for (size_t i = 0; i < 60; i++)
		assert_int_equal(p[i], i);
	for (size_t i = 0; i < 60; i++)
		if (old[i] != 0)
			fail_msg("byte %zu of the moved block survived", i);
	OPENSSL_free(p);
	assert_null(OPENSSL_malloc(0));
	secret_mem_stats_read(&after);
	assert_int_equal(after.openssl_allocs - before.openssl_allocs, 4);
	assert_int_equal(after.allocs - before.allocs, 2);
	assert_int_equal(after.frees - before.frees, 2);
	cc = EVP_CIPHER_CTX_new();
	assert_non_null(cc);
	tl_smaps_flags(cc, flags, sizeof(flags));
	assert_non_null(strstr(flags, " dd"));
	EVP_CIPHER_CTX_free(cc);
}

static void
test_secret_dup_and_equal(void **state)
{
	struct secret *a = secret_new(20), *b, *c;

	assert_non_null(a);
	for (size_t i = 0; i < a->len; i++)
		a->bytes[i] = (uint8_t)(i * 7 + 1);
	b = secret_dup(a);
	assert_non_null(b);
	assert_ptr_not_equal(a, b);
	assert_int_equal(b->len, 20);
	assert_memory_equal(a->bytes, b->bytes, 20);
	assert_true(secret_equal(a, b));
	/* A difference in any byte, first or last, is seen. */
	for (size_t i = 0; i < a->len; i++) {
		b->bytes[i] ^= 0x01;
		assert_false(secret_equal(a, b));
		b->bytes[i] ^= 0x01;
	}
	/* Same leading bytes, different length. */
	c = secret_new(16);
	assert_non_null(c);
	memcpy(c->bytes, a->bytes, 16);
	assert_false(secret_equal(a, c));
	assert_false(secret_equal(c, a));
	assert_null(secret_dup(NULL));
	secret_free(a);
	secret_free(b);
	secret_free(c);
}

struct parse_good {
	const char *text;
	size_t want_len;
	const char *bytes; /* expected bytes, as a C string of want_len */
};

static const struct parse_good parse_good[] = {
	{ "0x00112233445566778899aabbccddeeff", 16,
	    "\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\xcc\xdd\xee\xff" },
	{ "0X00112233445566778899AABBCCDDEEFF", 16,
	    "\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\xcc\xdd\xee\xff" },
	{ "0x0123456789AbCdEf0123456789aBcDeF", 16,
	    "\x01\x23\x45\x67\x89\xab\xcd\xef\x01\x23\x45\x67\x89\xab\xcd\xef" },
	{ "abcdefghijklmnop", 16, "abcdefghijklmnop" },
	/* Text that starts with a zero but not "0x" is ASCII. */
	{ "0123456789abcdef", 16, "0123456789abcdef" },
	{ " ~!@#$%^&*()_+{}", 16, " ~!@#$%^&*()_+{}" },
	{ "123456789012345678901234", 24, "123456789012345678901234" },
	{ "0x0102030405060708090a0b0c0d0e0f101112131415161718", 24,
	    "\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15\x16"
	    "\x17\x18" },
	{ "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", 64,
	    "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff" },
	{ "x", 1, "x" },
};

static void
test_secret_parse_hex_and_ascii(void **state)
{
	for (size_t i = 0; i < ARRAY_LEN(parse_good); i++) {
		struct secret *s = NULL;
		struct err err = { "" };

		size_t len = 0;

		if (secret_parse(parse_good[i].text, "encryption key", &len, &s, &err) != 0)
			fail_msg("'%s' refused: %s", parse_good[i].text, err.msg);
		assert_int_equal(len, parse_good[i].want_len);
		assert_non_null(s);
		assert_int_equal(s->len, parse_good[i].want_len);
		assert_memory_equal(s->bytes, parse_good[i].bytes, parse_good[i].want_len);
		assert_false(err_is_set(&err));
		secret_free(s);
	}
}

struct parse_bad {
	const char *text;
	const char *what;
	const char *msg;
};

/* Syntax only: lengths are the algorithm's to judge (test_algo). */
static const struct parse_bad parse_bad[] = {
	{ "0x0g112233445566778899aabbccddeeff", "encryption key",
	    "encryption key is not valid hex: only 0-9 and a-f may follow 0x" },
	{ "0x 00112233445566778899aabbccddeef", "encryption key",
	    "encryption key is not valid hex: only 0-9 and a-f may follow 0x" },
	{ "0x0x112233445566778899aabbccddeeff", "encryption key",
	    "encryption key is not valid hex: only 0-9 and a-f may follow 0x" },
	{ "0x00112233445566778899aabbccddeef", "encryption key",
	    "encryption key has an odd number of hex digits" },
	{ "0x", "integrity key", "integrity key has no hex digits after 0x" },
	{ "abcdefg\thijklmno", "encryption key",
	    "encryption key has a character that is not printable ASCII (space to ~)" },
	{ "abcdefg\xc3\xa9hijklmn", "encryption key",
	    "encryption key has a character that is not printable ASCII (space to ~)" },
	{ "abcdefg\x7fhijklmno", "encryption key",
	    "encryption key has a character that is not printable ASCII (space to ~)" },
};

static void
test_secret_parse_refuses_without_quoting_key(void **state)
{
	for (size_t i = 0; i < ARRAY_LEN(parse_bad); i++) {
		const struct parse_bad *c = &parse_bad[i];
		struct secret *s = NULL;
		struct err err = { "" };
		size_t len;

		if (secret_parse(c->text, c->what, &len, &s, &err) != -EINVAL)
			fail_msg("'%s' was not refused with -EINVAL", c->text);
		assert_null(s);
		assert_string_equal(err.msg, c->msg);
		/* Neither the key text nor any 4-character piece of it appears in the reason. */
		for (size_t j = 0; c->text[j] != '\0' && c->text[j + 1] != '\0' &&
		     c->text[j + 2] != '\0' && c->text[j + 3] != '\0';
		     j++) {
			char piece[5];

			memcpy(piece, c->text + j, 4);
			piece[4] = '\0';
			if (strstr(err.msg, piece) != NULL)
				fail_msg("reason '%s' quotes key text '%s'", err.msg, piece);
		}
	}
}

/* Every byte value as a hex digit: exactly 0-9, a-f and A-F are digits, with their values. */
static void
test_secret_parse_every_digit_character(void **state)
{
	for (unsigned c = 1; c < 256; c++) {
		char text[5] = { '0', 'x', (char)c, '7', '\0' };
		const char *lower = strchr("0123456789abcdef", (int)c);
		const char *upper = strchr("0123456789ABCDEF", (int)c);
		struct secret *s = NULL;
		struct err err = { "" };
		size_t len;
		int ret = secret_parse(text, "key", &len, &s, &err);

		if (lower != NULL || upper != NULL) {
			unsigned v = (unsigned)(lower != NULL ? lower - "0123456789abcdef"
							      : upper - "0123456789ABCDEF");

			if (ret != 0)
				fail_msg("digit 0x%02x refused: %s", c, err.msg);
			assert_int_equal(s->bytes[0], v << 4 | 7);
			secret_free(s);
		} else {
			if (ret != -EINVAL)
				fail_msg("0x%02x accepted as a hex digit", c);
			assert_null(s);
		}
	}
}

static void
test_secret_parse_without_err(void **state)
{
	struct secret *s = NULL;
	size_t len;

	assert_int_equal(secret_parse("0xfg", "encryption key", &len, &s, NULL), -EINVAL);
	assert_null(s);
}

/* No text is no key; text longer than any key is measured but not held. Either way the
 * algorithm's rule (algo_enc_key_check()) has the last word. */
static void
test_secret_parse_empty_and_too_long(void **state)
{
	char text[2 * (SECRET_MAX + 1) + 3] = "0x";
	struct secret *s = NULL;
	size_t len = 99;

	assert_int_equal(secret_parse("", "encryption key", &len, &s, NULL), 0);
	assert_int_equal(len, 0);
	assert_null(s);
	memset(text + 2, 'a', 2 * (SECRET_MAX + 1));
	text[sizeof(text) - 1] = '\0';
	assert_int_equal(secret_parse(text, "encryption key", &len, &s, NULL), 0);
	assert_int_equal(len, SECRET_MAX + 1);
	assert_null(s);
}

static void
test_secret_format_hex(void **state)
{
	struct secret *s = NULL;
	struct err err = { "" };
	char buf[2 * 16 + 3];

	size_t len;

	assert_int_equal(
	    secret_parse("0X00112233445566778899AABBCCDDEEFF", "encryption key", &len, &s, &err),
	    0);
	/* Exactly 2 * len + 3 bytes is enough; one fewer is not, and nothing is written. */
	memset(buf, '#', sizeof(buf));
	assert_int_equal(secret_format_hex(s, buf, sizeof(buf) - 1), -ENOSPC);
	assert_int_equal(buf[0], '#');
	assert_int_equal(secret_format_hex(s, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "0x00112233445566778899aabbccddeeff");
	secret_free(s);
}

/* Every byte value survives format -> parse, so a saved configuration loads the same keys. */
static void
test_secret_hex_round_trip_every_byte(void **state)
{
	for (unsigned base = 0; base < 256; base += SECRET_MAX) {
		struct secret *a = secret_new(SECRET_MAX), *b = NULL;
		char buf[2 * SECRET_MAX + 3];
		struct err err = { "" };

		assert_non_null(a);
		for (unsigned i = 0; i < SECRET_MAX; i++)
			a->bytes[i] = (uint8_t)(base + i);
		assert_int_equal(secret_format_hex(a, buf, sizeof(buf)), 0);
		assert_int_equal(strlen(buf), 2 * SECRET_MAX + 2);
		for (size_t i = 2; buf[i] != '\0'; i++)
			assert_non_null(strchr("0123456789abcdef", buf[i]));
		size_t len;

		assert_int_equal(secret_parse(buf, "key", &len, &b, &err), 0);
		assert_true(secret_equal(a, b));
		secret_free(a);
		secret_free(b);
	}
}

static void *
churn(void *arg)
{
	uint8_t tag = (uint8_t)(uintptr_t)arg;

	for (int i = 0; i < 5000; i++) {
		struct secret *s[4];

		for (int j = 0; j < 4; j++) {
			s[j] = secret_new(32);
			if (s[j] == NULL)
				return (void *)1;
			memset(s[j]->bytes, tag, 32);
		}
		for (int j = 0; j < 4; j++) {
			for (int k = 0; k < 32; k++)
				if (s[j]->bytes[k] != tag)
					return (void *)1;
			secret_free(s[j]);
		}
	}
	return NULL;
}

/* The slab is shared: two threads allocating and freeing never get the same slot. */
static void
test_secret_slab_is_thread_safe(void **state)
{
	pthread_t t[2];
	void *ret[2];

	for (uintptr_t i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&t[i], NULL, churn, (void *)(i + 0x11)), 0);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(pthread_join(t[i], &ret[i]), 0);
		assert_null(ret[i]);
	}
}

/* The ICV and key comparison: equal is 0 at every length; any one bit flipped, at any position
 * of any length (the word loop, the byte tail, both), is 1. */
static void
test_ct_differ(void **state)
{
	uint8_t a[72], b[72];

	(void)state;
	for (size_t i = 0; i < sizeof(a); i++)
		a[i] = (uint8_t)(i * 37 + 11);
	for (size_t n = 0; n <= sizeof(a); n++) {
		memcpy(b, a, sizeof(b));
		assert_int_equal(bytes_ct_differ(a, b, n), 0);
		for (size_t i = 0; i < n; i++) {
			for (int bit = 0; bit < 8; bit++) {
				b[i] ^= (uint8_t)(1u << bit);
				assert_int_equal(bytes_ct_differ(a, b, n), 1);
				assert_int_equal(bytes_ct_differ(b, a, n), 1);
				b[i] ^= (uint8_t)(1u << bit);
			}
		}
		/* Bytes past n do not count. */
		if (n < sizeof(a)) {
			b[n] ^= 0xff;
			assert_int_equal(bytes_ct_differ(a, b, n), 0);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ct_differ),
		cmocka_unit_test(test_secret_new_refuses_bad_len),
		cmocka_unit_test(test_secret_new_is_zeroed),
		cmocka_unit_test(test_secret_many_slots_do_not_overlap),
		cmocka_unit_test(test_secret_free_wipes_the_bytes),
		cmocka_unit_test(test_secret_free_null_is_noop),
		cmocka_unit_test(test_secret_memory_is_locked_and_not_dumped),
		cmocka_unit_test(test_secret_mem_classes_aligned_zeroed_not_dumped),
		cmocka_unit_test(test_secret_pages_wipe_on_fork_when_asked),
		cmocka_unit_test(test_secret_openssl_allocations_are_key_memory),
		cmocka_unit_test(test_secret_dup_and_equal),
		cmocka_unit_test(test_secret_parse_hex_and_ascii),
		cmocka_unit_test(test_secret_parse_refuses_without_quoting_key),
		cmocka_unit_test(test_secret_parse_every_digit_character),
		cmocka_unit_test(test_secret_parse_without_err),
		cmocka_unit_test(test_secret_parse_empty_and_too_long),
		cmocka_unit_test(test_secret_format_hex),
		cmocka_unit_test(test_secret_hex_round_trip_every_byte),
		cmocka_unit_test(test_secret_slab_is_thread_safe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
