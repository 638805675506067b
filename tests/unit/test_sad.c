// SPDX-License-Identifier: MIT
/* The SAD: validation reasons, uniqueness, add order, removal, snapshots (inbound lookup by
 * SPI and destination, KAME selection) checked against a linear reference, and the cost of
 * 100,000 adds. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ipsec6/addr.h"
#include "ipsec6/sad.h"
#include "testlib.h"

static struct secret *
key_of(size_t len, uint8_t fill)
{
	struct secret *s = secret_new(len);

	assert_non_null(s);
	memset(s->bytes, fill, len);
	return s;
}

/* A valid aes128-cbc / hmac-sha1 transport spec. */
static void
spec_init(struct sa_spec *spec, const char *name, const char *src, const char *dst, uint32_t spi)
{
	memset(spec, 0, sizeof(*spec));
	snprintf(spec->name, sizeof(spec->name), "%s", name);
	spec->src = tl_addr(src);
	spec->dst = tl_addr(dst);
	spec->spi = spi;
	spec->mode = SA_MODE_TRANSPORT;
	spec->enc = ALGO_ENC_AES128_CBC;
	spec->auth = ALGO_AUTH_HMAC_SHA1;
	spec->enc_key = key_of(16, 0x11);
	spec->auth_key = key_of(20, 0x22);
}

static struct sa *
add_ok(struct sad *sad, const char *name, const char *src, const char *dst, uint32_t spi,
    enum sa_mode mode)
{
	struct sa_spec spec;
	struct err err = { "" };

	spec_init(&spec, name, src, dst, spi);
	spec.mode = mode;
	assert_int_equal(sad_add(sad, &spec, &err), 0);
	assert_string_equal(err.msg, "");
	assert_null(spec.enc_key);
	assert_null(spec.auth_key);
	return sad_lookup_name(sad, name);
}

static void
test_add_moves_keys_and_fills_the_sa(void **state)
{
	struct sad *sad = sad_new(CRYPTO_BACKEND_OPENSSL);
	struct sa_spec spec;
	struct secret *enc, *auth;
	struct sa *sa;

	spec_init(&spec, "sa_1", "2001:db8::1", "2001:db8::2", 0x1000);
	spec.mode = SA_MODE_TUNNEL;
	enc = spec.enc_key;
	auth = spec.auth_key;
	assert_int_equal(sad_add(sad, &spec, NULL), 0);
	assert_null(spec.enc_key);
	assert_null(spec.auth_key);
	sa = sad_lookup_name(sad, "sa_1");
	assert_non_null(sa);
	assert_ptr_equal(sa->enc_key, enc);
	assert_ptr_equal(sa->auth_key, auth);
	assert_non_null(sa->ckey);
	assert_int_equal(sa->spi, 0x1000);
	assert_int_equal(sa->mode, SA_MODE_TUNNEL);
	assert_string_equal(sa->enc_info->name, "aes128-cbc");
	assert_string_equal(sa->auth_info->name, "hmac-sha1");
	assert_int_equal(sa->replay_window, REPLAY_WINDOW_DEFAULT);
	assert_int_equal(sa->users, 0);
	assert_int_equal(atomic_load(&sa->ref), 1);
	assert_ptr_equal(sad_lookup_tuple(sad, &sa->src, &sa->dst, 0x1000), sa);
	assert_null(sad_lookup_tuple(sad, &sa->dst, &sa->src, 0x1000));
	assert_null(sad_lookup_name(sad, "sa_2"));
	assert_int_equal(sad_count(sad), 1);
	assert_ptr_equal(sad_at(sad, 0), sa);
	assert_null(sad_at(sad, 1));
	assert_int_not_equal(sad_backend(sad), CRYPTO_BACKEND_AUTO);
	sad_free(sad);
}

/* What the spec says, what sad_add must answer, and the exact reason. */
struct bad_case {
	const char *what;
	void (*edit)(struct sa_spec *spec);
	int rc;
	const char *msg;
};

static void
edit_name_auto(struct sa_spec *s)
{
	snprintf(s->name, sizeof(s->name), "%s", "auto");
}

static void
edit_name_empty(struct sa_spec *s)
{
	s->name[0] = '\0';
}

static void
edit_name_blank(struct sa_spec *s)
{
	snprintf(s->name, sizeof(s->name), "%s", "sa 1");
}

static void
edit_name_slash(struct sa_spec *s)
{
	snprintf(s->name, sizeof(s->name), "%s", "a/b");
}

static void
edit_spi_0x10(struct sa_spec *s)
{
	s->spi = 0x10;
}

static void
edit_spi_0xff(struct sa_spec *s)
{
	s->spi = 0xff;
}

static void
edit_spi_0(struct sa_spec *s)
{
	s->spi = 0;
}

static void
edit_null_with_key(struct sa_spec *s)
{
	s->enc = ALGO_ENC_NULL;
}

static void
edit_3des_without_key(struct sa_spec *s)
{
	s->enc = ALGO_ENC_3DES_CBC;
	secret_free(s->enc_key);
	s->enc_key = NULL;
}

static void
edit_aes_key_15(struct sa_spec *s)
{
	secret_free(s->enc_key);
	s->enc_key = key_of(15, 1);
}

static void
edit_3des_key_16(struct sa_spec *s)
{
	s->enc = ALGO_ENC_3DES_CBC;
}

static void
edit_no_auth_key(struct sa_spec *s)
{
	secret_free(s->auth_key);
	s->auth_key = NULL;
}

static void
edit_sha256_key_20(struct sa_spec *s)
{
	s->auth = ALGO_AUTH_HMAC_SHA256;
}

static void
edit_sha1_key_1(struct sa_spec *s)
{
	secret_free(s->auth_key);
	s->auth_key = key_of(1, 1);
}

static void
edit_replay_16(struct sa_spec *s)
{
	s->replay_window = 16;
}

static void
edit_replay_65537(struct sa_spec *s)
{
	s->replay_window = 65537;
}

static void
edit_encap_sport_0(struct sa_spec *s)
{
	s->encap_dport = 4500;
}

static void
edit_encap_dport_0(struct sa_spec *s)
{
	s->encap_sport = 4500;
}

static void
test_add_refusals_give_the_reason(void **state)
{
	static const struct bad_case cases[] = {
		{ "auto", edit_name_auto, -EINVAL, "'auto' is reserved and cannot be an SA name" },
		{ "empty", edit_name_empty, -EINVAL,
		    "invalid SA name '': use 1-64 of A-Za-z0-9_.-" },
		{ "blank", edit_name_blank, -EINVAL,
		    "invalid SA name 'sa 1': use 1-64 of A-Za-z0-9_.-" },
		{ "slash", edit_name_slash, -EINVAL,
		    "invalid SA name 'a/b': use 1-64 of A-Za-z0-9_.-" },
		{ "spi 0x10", edit_spi_0x10, -EINVAL, "SPI '0x10' is reserved (0x1-0xff)" },
		{ "spi 0xff", edit_spi_0xff, -EINVAL, "SPI '0xff' is reserved (0x1-0xff)" },
		{ "spi 0", edit_spi_0, -EINVAL, "SPI '0x0' is reserved (RFC 4303 section 2.1)" },
		{ "null+key", edit_null_with_key, -EINVAL, "null encryption takes no key" },
		{ "3des no key", edit_3des_without_key, -EINVAL,
		    "3des-cbc needs an encryption key of 24 bytes" },
		{ "aes 15", edit_aes_key_15, -EINVAL,
		    "encryption key is 15 bytes, aes128-cbc needs 16" },
		{ "3des 16", edit_3des_key_16, -EINVAL,
		    "encryption key is 16 bytes, 3des-cbc needs 24" },
		{ "no auth key", edit_no_auth_key, -EINVAL,
		    "hmac-sha1 needs an integrity key of 20 bytes" },
		{ "sha256 20", edit_sha256_key_20, -EINVAL,
		    "integrity key is 20 bytes, hmac-sha2-256 needs 32" },
		{ "sha1 1", edit_sha1_key_1, -EINVAL,
		    "integrity key is 1 byte, hmac-sha1 needs 20" },
		{ "replay 16", edit_replay_16, -EINVAL, "replay window 16 is outside 32-65536" },
		{ "replay 65537", edit_replay_65537, -EINVAL,
		    "replay window 65537 is outside 32-65536" },
		{ "encap 0:4500", edit_encap_sport_0, -EINVAL,
		    "encapsulation ports 0:4500: use 1-65535 for both" },
		{ "encap 4500:0", edit_encap_dport_0, -EINVAL,
		    "encapsulation ports 4500:0: use 1-65535 for both" },
	};
	struct sad *sad = sad_new(CRYPTO_BACKEND_OPENSSL);

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sa_spec spec;
		struct err err = { "" };

		spec_init(&spec, "sa_1", "2001:db8::1", "2001:db8::2", 0x1000);
		cases[i].edit(&spec);
		print_message("case %s\n", cases[i].what);
		assert_int_equal(sad_add(sad, &spec, &err), cases[i].rc);
		assert_string_equal(err.msg, cases[i].msg);
		assert_int_equal(sad_count(sad), 0);
		sa_spec_fini(&spec);
		assert_null(spec.enc_key);
		assert_null(spec.auth_key);
	}
	sad_free(sad);
}

static void
test_refused_add_leaves_keys_with_the_caller(void **state)
{
	struct sad *sad = sad_new(CRYPTO_BACKEND_OPENSSL);
	struct sa_spec spec;

	spec_init(&spec, "auto", "any", "any", 0x1000);
	assert_int_equal(sad_add(sad, &spec, NULL), -EINVAL);
	assert_non_null(spec.enc_key);
	assert_non_null(spec.auth_key);
	sa_spec_fini(&spec);
	sad_free(sad);
}

static void
test_name_check_limits(void **state)
{
	char name[SA_NAME_MAX + 2];
	struct err err = { "" };

	memset(name, 'a', SA_NAME_MAX);
	name[SA_NAME_MAX] = '\0';
	assert_int_equal(sa_name_check(name, &err), 0);
	assert_int_equal(sa_name_check("A-z_0.9", &err), 0);
	assert_int_equal(sa_name_check("Auto", &err), 0);
	name[SA_NAME_MAX] = 'a';
	name[SA_NAME_MAX + 1] = '\0';
	assert_int_equal(sa_name_check(name, &err), -EINVAL);
	assert_memory_equal(err.msg, "invalid SA name 'aaaa", 21);
	err_clear(&err);
	assert_int_equal(sa_name_check("sa\xc3\xa9", &err), -EINVAL);
	assert_string_equal(err.msg, "invalid SA name 'sa\xc3\xa9': use 1-64 of A-Za-z0-9_.-");
}

static void
test_boundary_values_are_accepted(void **state)
{
	struct sad *sad = sad_new(CRYPTO_BACKEND_OPENSSL);
	struct sa_spec spec;
	char name[SA_NAME_MAX + 1];
	struct sa *sa;

	memset(name, 'x', SA_NAME_MAX);
	name[SA_NAME_MAX] = '\0';
	spec_init(&spec, name, "any", "any", SA_SPI_MIN);
	spec.replay_window = REPLAY_WINDOW_MIN;
	assert_int_equal(sad_add(sad, &spec, NULL), 0);
	assert_int_equal(sad_lookup_name(sad, name)->replay_window, REPLAY_WINDOW_MIN);

	spec_init(&spec, "max", "any", "any", 0xffffffffu);
	spec.replay_window = REPLAY_WINDOW_MAX;
	spec.enc = ALGO_ENC_NULL;
	secret_free(spec.enc_key);
	spec.enc_key = NULL;
	spec.auth = ALGO_AUTH_HMAC_SHA256;
	secret_free(spec.auth_key);
	spec.auth_key = key_of(32, 3);
	assert_int_equal(sad_add(sad, &spec, NULL), 0);
	sa = sad_lookup_name(sad, "max");
	assert_int_equal(sa->spi, 0xffffffffu);
	assert_int_equal(sa->replay_window, REPLAY_WINDOW_MAX);
	assert_null(sa->enc_key);
	assert_string_equal(sa->enc_info->name, "null");
	/* Its ring, sized to the window and allocated with the live state, holds all of it
	 * (AddressSanitizer sees any word past the end). */
	assert_int_equal(sa->live->replay.mask + 1, replay_ring_words(REPLAY_WINDOW_MAX));
	for (uint64_t seq = 1; seq < 300000; seq += 3)
		assert_true(replay_update(&sa->live->replay, seq));
	assert_false(replay_check(&sa->live->replay, 300000 - 65536 - 10));
	assert_true(replay_check(&sa->live->replay, 300000 - 65536 + 10));

	spec_init(&spec, "des", "any", "any", 0x200);
	spec.enc = ALGO_ENC_3DES_CBC;
	secret_free(spec.enc_key);
	spec.enc_key = key_of(24, 4);
	assert_int_equal(sad_add(sad, &spec, NULL), 0);
	assert_int_equal(sad_count(sad), 3);
	sad_free(sad);
}

static void
test_duplicates_are_refused(void **state)
{
	struct sad *sad = sad_new(CRYPTO_BACKEND_OPENSSL);
	struct sa_spec spec;
	struct err err = { "" };

	(void)add_ok(sad, "a", "2001:DB8::1", "any", 0x1000, SA_MODE_TRANSPORT);

	spec_init(&spec, "a", "2001:db8::9", "2001:db8::9", 0x2000);
	assert_int_equal(sad_add(sad, &spec, &err), -EEXIST);
	assert_string_equal(err.msg, "SA 'a' already exists");
	sa_spec_fini(&spec);

	err_clear(&err);
	spec_init(&spec, "b", "2001:db8:0:0::1", "any", 0x1000);
	assert_int_equal(sad_add(sad, &spec, &err), -EEXIST);
	assert_string_equal(err.msg,
	    "an SA with source 2001:db8::1, destination any and SPI 0x1000 already exists");
	sa_spec_fini(&spec);

	err_clear(&err);
	(void)add_ok(sad, "c", "any", "2001:db8:0:0:1::", 0xabc, SA_MODE_TUNNEL);
	spec_init(&spec, "d", "any", "2001:db8::1:0:0:0", 0xabc);
	assert_int_equal(sad_add(sad, &spec, &err), -EEXIST);
	assert_string_equal(err.msg,
	    "an SA with source any, destination 2001:db8:0:0:1:: and SPI 0xabc already exists");
	sa_spec_fini(&spec);

	/* The same SPI with another source, destination or both is a different SA. */
	(void)add_ok(sad, "e", "2001:db8::2", "any", 0x1000, SA_MODE_TRANSPORT);
	(void)add_ok(sad, "f", "2001:db8::1", "2001:db8::3", 0x1000, SA_MODE_TRANSPORT);
	assert_int_equal(sad_count(sad), 4);
	sad_free(sad);
}

static void
test_remove_keeps_the_order_of_the_rest(void **state)
{
	struct sad *sad = sad_new(CRYPTO_BACKEND_OPENSSL);
	static const char *const names[] = { "a", "b", "c", "d", "e" };
	struct sa *c;

	for (uint32_t i = 0; i < 5; i++)
		(void)add_ok(sad, names[i], "any", "any", 0x100 + i, SA_MODE_TRANSPORT);
	c = sad_lookup_name(sad, "c");
	assert_int_equal(sad_remove(sad, c, NULL), 0);
	assert_int_equal(sad_count(sad), 4);
	assert_string_equal(sad_at(sad, 0)->name, "a");
	assert_string_equal(sad_at(sad, 1)->name, "b");
	assert_string_equal(sad_at(sad, 2)->name, "d");
	assert_string_equal(sad_at(sad, 3)->name, "e");
	assert_null(sad_lookup_name(sad, "c"));
	assert_null(sad_lookup_tuple(sad, &in6addr_any, &in6addr_any, 0x102));
	assert_int_equal(sad_remove(sad, sad_lookup_name(sad, "a"), NULL), 0);
	assert_int_equal(sad_remove(sad, sad_lookup_name(sad, "e"), NULL), 0);
	assert_string_equal(sad_at(sad, 0)->name, "b");
	assert_string_equal(sad_at(sad, 1)->name, "d");
	/* Names and tuples are free again; the new SA goes last. */
	(void)add_ok(sad, "c", "any", "any", 0x102, SA_MODE_TRANSPORT);
	(void)add_ok(sad, "a", "any", "any", 0x100, SA_MODE_TRANSPORT);
	assert_string_equal(sad_at(sad, 2)->name, "c");
	assert_string_equal(sad_at(sad, 3)->name, "a");
	assert_ptr_equal(
	    sad_lookup_tuple(sad, &in6addr_any, &in6addr_any, 0x100), sad_lookup_name(sad, "a"));
	sad_free(sad);
}

static void
test_remove_refuses_an_sa_in_use_or_of_another_sad(void **state)
{
	struct sad *sad = sad_new(CRYPTO_BACKEND_OPENSSL);
	struct sad *other = sad_new(CRYPTO_BACKEND_OPENSSL);
	struct err err = { "" };
	struct sa *sa = add_ok(sad, "busy", "any", "any", 0x1000, SA_MODE_TRANSPORT);
	struct sa *stranger = add_ok(other, "stranger", "any", "any", 0x1000, SA_MODE_TRANSPORT);

	sa->users = 2;
	assert_int_equal(sad_remove(sad, sa, &err), -EBUSY);
	assert_string_equal(err.msg, "SA 'busy' is in use");
	assert_ptr_equal(sad_lookup_name(sad, "busy"), sa);
	err_clear(&err);
	assert_int_equal(sad_remove(sad, stranger, &err), -ENOENT);
	assert_string_equal(err.msg, "SA 'stranger' does not exist");
	assert_int_equal(sad_count(other), 1);
	sa->users = 0;
	assert_int_equal(sad_remove(sad, sa, NULL), 0);
	sad_free(sad);
	sad_free(other);
}

static void
test_remove_all_empties_everything(void **state)
{
	struct sad *sad = sad_new(CRYPTO_BACKEND_OPENSSL);

	(void)add_ok(sad, "a", "any", "any", 0x1000, SA_MODE_TRANSPORT);
	(void)add_ok(sad, "b", "2001:db8::1", "any", 0x1000, SA_MODE_TRANSPORT);
	sad_lookup_name(sad, "b")->users = 1; /* remove-all takes SAs in use too */
	sad_remove_all(sad);
	assert_int_equal(sad_count(sad), 0);
	assert_null(sad_lookup_name(sad, "a"));
	assert_null(sad_lookup_name(sad, "b"));
	assert_null(sad_lookup_tuple(sad, &in6addr_any, &in6addr_any, 0x1000));
	(void)add_ok(sad, "b", "any", "any", 0x1000, SA_MODE_TRANSPORT);
	assert_int_equal(sad_count(sad), 1);
	sad_free(sad);
	sad_free(NULL);
}

static void
test_snapshot_outlives_removal(void **state)
{
	struct sad *sad = sad_new(CRYPTO_BACKEND_OPENSSL);
	struct in6_addr dst = tl_addr("2001:db8::2");
	struct sa *sa = add_ok(sad, "a", "2001:db8::1", "2001:db8::2", 0x1000, SA_MODE_TUNNEL);
	struct sad_snap *snap = sad_snapshot(sad);
	struct sad_snap *empty;

	assert_non_null(snap);
	assert_int_equal(atomic_load(&sa->ref), 2);
	assert_int_equal(sad_remove(sad, sa, NULL), 0);
	empty = sad_snapshot(sad);
	assert_null(sad_snap_lookup_spi(empty, 0x1000, &dst, NULL));
	/* The old snapshot still sees the SA, intact. */
	sa = sad_snap_lookup_spi(snap, 0x1000, &dst, NULL);
	assert_non_null(sa);
	assert_string_equal(sa->name, "a");
	assert_int_equal(sa->auth_key->len, 20);
	assert_int_equal(atomic_load(&sa->ref), 1);
	sad_snap_free(snap);
	sad_snap_free(empty);
	sad_snap_free(NULL);
	sad_free(sad);
}

/* Two objects of one SA (a rebuilt database and the snapshot still read) share one live state:
 * a number handed out or a packet recorded through either is seen through the other, and the
 * state outlives whichever object goes first. */
/* A spec for an aes128-gcm16 SA whose AES key is 16 bytes of fill and whose salt is salt. */
static void
spec_gcm(struct sa_spec *spec, const char *name, uint32_t spi, uint8_t fill, uint8_t salt)
{
	spec_init(spec, name, "2001:db8::1", "2001:db8::2", spi);
	secret_free(spec->enc_key);
	secret_free(spec->auth_key);
	spec->auth_key = NULL;
	spec->enc = ALGO_ENC_AES128_GCM16;
	spec->auth = ALGO_AUTH_NONE;
	spec->enc_key = key_of(20, fill);
	memset(spec->enc_key->bytes + 16, salt, 4);
}

/* RFC 4106 section 3.1: every SA counts its GCM IVs from 1, so no two SAs may hold one AES key
 * (another salt does not make it another key here); once one goes, the key is free again. */
static void
test_gcm_key_held_by_one_sa(void **state)
{
	struct sad *sad = sad_new(CRYPTO_BACKEND_OPENSSL);
	struct err err = { "" };
	struct sa_spec spec;

	spec_gcm(&spec, "g1", 0x1000, 0x5a, 1);
	assert_int_equal(sad_add(sad, &spec, &err), 0);
	assert_non_null(sad_lookup_name(sad, "g1")->key_fp);
	assert_int_equal(sad_lookup_name(sad, "g1")->key_fp->len, CRYPTO_FP_LEN);
	spec_gcm(&spec, "g2", 0x1001, 0x5a, 2);
	assert_int_equal(sad_add(sad, &spec, &err), -EEXIST);
	assert_string_equal(err.msg,
	    "SA 'g1' already has this AES-GCM key: under one key the IVs (the sequence numbers) "
	    "would repeat (RFC 4106 section 3.1); give every SA a key of its own");
	assert_non_null(spec.enc_key); /* still the spec's */
	sa_spec_fini(&spec);
	err_clear(&err);
	spec_gcm(&spec, "g3", 0x1002, 0x5b, 1);
	assert_int_equal(sad_add(sad, &spec, &err), 0);
	assert_int_equal(sad_remove(sad, sad_lookup_name(sad, "g1"), &err), 0);
	spec_gcm(&spec, "g2", 0x1001, 0x5a, 2);
	assert_int_equal(sad_add(sad, &spec, &err), 0);
	/* The same bytes as a CBC key are nobody's business: no fingerprint. */
	add_ok(sad, "c", "2001:db8::1", "2001:db8::3", 0x1003, SA_MODE_TRANSPORT);
	assert_null(sad_lookup_name(sad, "c")->key_fp);
	assert_int_equal(sad_count(sad), 3);
	sad_free(sad);
}

static void
test_live_state_is_shared(void **state)
{
	struct sad *old = sad_new(CRYPTO_BACKEND_OPENSSL);
	struct sad *rebuilt = sad_new(CRYPTO_BACKEND_OPENSSL);
	struct sa *a = add_ok(old, "a", "2001:db8::1", "2001:db8::2", 0x1000, SA_MODE_TUNNEL);
	struct sa *b = add_ok(rebuilt, "a", "2001:db8::1", "2001:db8::2", 0x1000, SA_MODE_TUNNEL);

	assert_ptr_not_equal(a->live, b->live);
	atomic_store(&a->live->seq_out, 41);
	assert_true(replay_update(&a->live->replay, 7));
	sa_live_adopt(b, a);
	assert_ptr_equal(b->live, a->live);
	assert_int_equal(atomic_load(&a->live->ref), 2);
	sa_live_adopt(b, a); /* again: nothing changes */
	assert_int_equal(atomic_load(&a->live->ref), 2);
	assert_int_equal(atomic_fetch_add(&b->live->seq_out, 1) + 1, 42);
	assert_int_equal(atomic_fetch_add(&a->live->seq_out, 1) + 1, 43);
	assert_false(replay_check(&b->live->replay, 7));
	sad_free(old); /* a goes; b's live state stays */
	assert_int_equal(atomic_load(&b->live->ref), 1);
	assert_int_equal(atomic_load(&b->live->seq_out), 43);
	assert_true(replay_update(&b->live->replay, 8));
	sad_free(rebuilt);
}

static void
test_lookup_spi_prefers_exact_destination_then_source(void **state)
{
	struct sad *sad = sad_new(CRYPTO_BACKEND_OPENSSL);
	struct in6_addr d1 = tl_addr("2001:db8::1");
	struct in6_addr d2 = tl_addr("2001:db8::2");
	struct in6_addr sa = tl_addr("2001:db8::a");
	struct in6_addr sb = tl_addr("2001:db8::b");
	struct sad_snap *snap;

	(void)add_ok(sad, "wild", "any", "any", 0x1000, SA_MODE_TRANSPORT);
	(void)add_ok(sad, "exact", "any", "2001:db8::1", 0x1000, SA_MODE_TRANSPORT);
	(void)add_ok(sad, "first", "2001:db8::a", "2001:db8::2", 0x2000, SA_MODE_TRANSPORT);
	(void)add_ok(sad, "second", "2001:db8::b", "2001:db8::2", 0x2000, SA_MODE_TRANSPORT);
	snap = sad_snapshot(sad);
	assert_string_equal(sad_snap_lookup_spi(snap, 0x1000, &d1, NULL)->name, "exact");
	assert_string_equal(sad_snap_lookup_spi(snap, 0x1000, &d2, NULL)->name, "wild");
	assert_string_equal(sad_snap_lookup_spi(snap, 0x1000, &in6addr_any, NULL)->name, "wild");
	assert_string_equal(sad_snap_lookup_spi(snap, 0x2000, &d2, NULL)->name, "first");
	/* Same SPI and destination, told apart by the source (peers that chose the same SPI). */
	assert_string_equal(sad_snap_lookup_spi(snap, 0x2000, &d2, &sa)->name, "first");
	assert_string_equal(sad_snap_lookup_spi(snap, 0x2000, &d2, &sb)->name, "second");
	assert_string_equal(sad_snap_lookup_spi(snap, 0x2000, &d2, &d1)->name, "first");
	assert_string_equal(sad_snap_lookup_spi(snap, 0x1000, &d2, &sb)->name, "wild");
	assert_null(sad_snap_lookup_spi(snap, 0x2000, &d1, NULL));
	assert_null(sad_snap_lookup_spi(snap, 0x3000, &d1, NULL));
	sad_snap_free(snap);
	sad_free(sad);
}

static void
test_select_is_first_in_add_order(void **state)
{
	struct sad *sad = sad_new(CRYPTO_BACKEND_OPENSSL);
	struct in6_addr a = tl_addr("2001:db8::a");
	struct in6_addr b = tl_addr("2001:db8::b");
	struct in6_addr c = tl_addr("2001:db8::c");
	struct sad_snap *snap;

	(void)add_ok(sad, "a-any", "2001:db8::a", "any", 0x100, SA_MODE_TRANSPORT);
	(void)add_ok(sad, "a-b", "2001:db8::a", "2001:db8::b", 0x101, SA_MODE_TRANSPORT);
	(void)add_ok(sad, "any-any-tunnel", "any", "any", 0x102, SA_MODE_TUNNEL);
	(void)add_ok(sad, "c-b-tunnel", "2001:db8::c", "2001:db8::b", 0x103, SA_MODE_TUNNEL);
	(void)add_ok(sad, "any-b", "any", "2001:db8::b", 0x104, SA_MODE_TRANSPORT);
	snap = sad_snapshot(sad);
	/* a-any was added before the exact a-b: KAME takes the first that matches. */
	assert_string_equal(sad_snap_select(snap, &a, &b, SA_MODE_TRANSPORT)->name, "a-any");
	assert_string_equal(sad_snap_select(snap, &c, &b, SA_MODE_TRANSPORT)->name, "any-b");
	assert_null(sad_snap_select(snap, &c, &a, SA_MODE_TRANSPORT));
	assert_string_equal(sad_snap_select(snap, &c, &b, SA_MODE_TUNNEL)->name, "any-any-tunnel");
	assert_string_equal(sad_snap_select(snap, &b, &c, SA_MODE_TUNNEL)->name, "any-any-tunnel");
	sad_snap_free(snap);
	sad_free(sad);
}

static const char *const pool[] = { "any", "2001:db8::1", "2001:db8::2", "2001:db8::3" };

static struct sa *
ref_select(const struct sad *sad, const struct in6_addr *src, const struct in6_addr *dst,
    enum sa_mode mode)
{
	for (size_t i = 0; i < sad_count(sad); i++) {
		struct sa *sa = sad_at(sad, i);

		if (sa->mode == mode && (addr_is_any(&sa->src) || addr_equal(&sa->src, src)) &&
		    (addr_is_any(&sa->dst) || addr_equal(&sa->dst, dst)))
			return sa;
	}
	return NULL;
}

/* RFC 4301 section 4.4.2 by a scan in add order: the destination exactly, else any; within
 * that, the source exactly, else any, else whichever comes first (src NULL: the first). */
static struct sa *
ref_spi(const struct sad *sad, uint32_t spi, const struct in6_addr *dst, const struct in6_addr *src)
{
	for (int pass = 0; pass < 2; pass++) {
		struct sa *first = NULL, *any = NULL, *exact = NULL;

		for (size_t i = 0; i < sad_count(sad); i++) {
			struct sa *sa = sad_at(sad, i);

			if (sa->spi != spi ||
			    !(pass == 0 ? addr_equal(&sa->dst, dst) : addr_is_any(&sa->dst)))
				continue;
			if (first == NULL)
				first = sa;
			if (any == NULL && addr_is_any(&sa->src))
				any = sa;
			if (exact == NULL && src != NULL && addr_equal(&sa->src, src))
				exact = sa;
		}
		if (first != NULL)
			return src == NULL  ? first
			    : exact != NULL ? exact
			    : any != NULL   ? any
					    : first;
	}
	return NULL;
}

static void
check_against_reference(const struct sad *sad)
{
	struct sad_snap *snap = sad_snapshot(sad);

	assert_non_null(snap);
	for (size_t s = 0; s < 4; s++) {
		struct in6_addr src = tl_addr(pool[s]);

		for (size_t d = 0; d < 4; d++) {
			struct in6_addr dst = tl_addr(pool[d]);

			for (int m = 0; m < 2; m++)
				assert_ptr_equal(sad_snap_select(snap, &src, &dst, (enum sa_mode)m),
				    ref_select(sad, &src, &dst, (enum sa_mode)m));
			for (uint32_t spi = 0x100; spi < 0x104; spi++) {
				assert_ptr_equal(sad_snap_lookup_spi(snap, spi, &dst, NULL),
				    ref_spi(sad, spi, &dst, NULL));
				assert_ptr_equal(sad_snap_lookup_spi(snap, spi, &dst, &src),
				    ref_spi(sad, spi, &dst, &src));
			}
		}
	}
	sad_snap_free(snap);
}

static void
test_snapshot_matches_linear_reference(void **state)
{
	uint64_t seed = 0x1234567890abcdefu;

	for (int round = 0; round < 40; round++) {
		struct sad *sad = sad_new(CRYPTO_BACKEND_OPENSSL);

		for (int step = 0; step < 40; step++) {
			char name[16];
			struct sa_spec spec;
			uint64_t r = tl_rand_next(&seed);

			snprintf(name, sizeof(name), "n%u", (unsigned)(r % 24));
			if (r % 5 == 0 && sad_lookup_name(sad, name) != NULL) {
				assert_int_equal(
				    sad_remove(sad, sad_lookup_name(sad, name), NULL), 0);
				continue;
			}
			spec_init(&spec, name, pool[(r >> 8) % 4], pool[(r >> 12) % 4],
			    0x100 + (uint32_t)((r >> 16) % 4));
			spec.mode = (enum sa_mode)((r >> 20) % 2);
			/* Duplicates are refused; the reference sees the same SAD either way. */
			if (sad_add(sad, &spec, NULL) != 0)
				sa_spec_fini(&spec);
			check_against_reference(sad);
		}
		sad_free(sad);
	}
}

static void
test_100k_adds_are_fast(void **state)
{
	enum {
		N = 100000
	};
	struct sad *sad = sad_new(CRYPTO_BACKEND_OPENSSL);
	struct in6_addr dst = tl_addr("2001:db8::2");
	double t0;
	struct sad_snap *snap;
	struct err err = { "" };
	double add_s, rest_s;

	t0 = tl_cpu_sec();
	for (uint32_t i = 0; i < N; i++) {
		struct sa_spec spec;
		char name[16];

		snprintf(name, sizeof(name), "sa%u", i);
		spec_init(&spec, name, "2001:db8::1", "2001:db8::2", 0x100 + i);
		if (sad_add(sad, &spec, &err) != 0)
			fail_msg("add %u of %u: %s", i, (unsigned)N, err.msg);
	}
	add_s = tl_cpu_sec() - t0;
	t0 = tl_cpu_sec();
	snap = sad_snapshot(sad);
	for (uint32_t i = 0; i < N; i++)
		assert_int_equal(sad_snap_lookup_spi(snap, 0x100 + i, &dst, NULL)->spi, 0x100 + i);
	assert_null(sad_snap_select(snap, &dst, &dst, SA_MODE_TRANSPORT));
	assert_string_equal(
	    sad_snap_select(snap, &sad_at(sad, 0)->src, &dst, SA_MODE_TRANSPORT)->name, "sa0");
	sad_snap_free(snap);
	/* Remove every tenth SA by name: each costs a binary search and one memmove. */
	for (uint32_t i = 0; i < N; i += 10) {
		char name[16];

		snprintf(name, sizeof(name), "sa%u", i);
		assert_int_equal(sad_remove(sad, sad_lookup_name(sad, name), NULL), 0);
	}
	rest_s = tl_cpu_sec() - t0;
	assert_int_equal(sad_count(sad), N - N / 10);
	assert_string_equal(sad_at(sad, 0)->name, "sa1");
	print_message("100000 adds: %.3f s CPU; snapshot, 100000 lookups, 10000 removes: %.3f s\n",
	    add_s, rest_s);
	assert_true(add_s < (TL_SLOW_BUILD ? 5.0 : 1.0));
	sad_free(sad);
}

static void
test_mode_names(void **state)
{
	enum sa_mode m;

	assert_string_equal(sa_mode_name(SA_MODE_TRANSPORT), "transport");
	assert_string_equal(sa_mode_name(SA_MODE_TUNNEL), "tunnel");
	assert_int_equal(sa_mode_parse("transport", "SA mode", &m, NULL), 0);
	assert_int_equal(m, SA_MODE_TRANSPORT);
	assert_int_equal(sa_mode_parse("tunnel", "SA mode", &m, NULL), 0);
	assert_int_equal(m, SA_MODE_TUNNEL);
	assert_int_equal(sa_mode_parse("Tunnel", "SA mode", &m, NULL), -EINVAL);
	assert_int_equal(sa_mode_parse("", "SA mode", &m, NULL), -EINVAL);
	assert_int_equal(sa_mode_parse("tunnelx", "SA mode", &m, NULL), -EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_moves_keys_and_fills_the_sa),
		cmocka_unit_test(test_add_refusals_give_the_reason),
		cmocka_unit_test(test_refused_add_leaves_keys_with_the_caller),
		cmocka_unit_test(test_name_check_limits),
		cmocka_unit_test(test_boundary_values_are_accepted),
		cmocka_unit_test(test_duplicates_are_refused),
		cmocka_unit_test(test_remove_keeps_the_order_of_the_rest),
		cmocka_unit_test(test_remove_refuses_an_sa_in_use_or_of_another_sad),
		cmocka_unit_test(test_remove_all_empties_everything),
		cmocka_unit_test(test_snapshot_outlives_removal),
		cmocka_unit_test(test_live_state_is_shared),
		cmocka_unit_test(test_gcm_key_held_by_one_sa),
		cmocka_unit_test(test_lookup_spi_prefers_exact_destination_then_source),
		cmocka_unit_test(test_select_is_first_in_add_order),
		cmocka_unit_test(test_snapshot_matches_linear_reference),
		cmocka_unit_test(test_mode_names),
		cmocka_unit_test(test_100k_adds_are_fast),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
