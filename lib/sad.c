// SPDX-License-Identifier: MIT
/* The Security Association Database: SAs in add order, indexed by name and by (source,
 * destination, SPI) for the control thread, and immutable snapshots indexed by (SPI,
 * destination) and by (source, destination, mode) for the data path. */
#include "ipsec6/sad.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ipsec6/addr.h"
#include "ipsec6/htab.h"
#include "ipsec6/names.h"
#include "ipsec6/secret.h"
#include "ipsec6/words.h"

struct sad {
	enum crypto_backend backend; /* resolved: never AUTO */
	struct sa **sas;             /* current SAs, add order */
	size_t count;
	size_t cap;
	struct sa **retired; /* retired SAs (sad_rekey()), the order retired */
	size_t nretired;
	size_t retired_cap;
	uint32_t next_order;
	struct htab by_name;
	struct htab by_tuple;
	struct htab by_key; /* AES-GCM SAs by their key's fingerprint */
};

struct sad_snap {
	struct sa **sas; /* the current SAs in add order, then the retired; one reference each */
	size_t count;
	struct htab by_spi;  /* (SPI, destination): every SA */
	struct htab by_pair; /* (source, destination, mode): the first current SA in add order */
};

/* Lookup keys, compared against an SA by the index's eq function. */
struct sad_tuple_key {
	const struct in6_addr *src;
	const struct in6_addr *dst;
	uint32_t spi;
};

struct sad_spi_key {
	uint32_t spi;
	const struct in6_addr *dst;
};

struct sad_pair_key {
	const struct in6_addr *src;
	const struct in6_addr *dst;
	enum sa_mode mode;
};

/* Hashing: the keys are chosen by the administrator, not by the network (htab.h). */
static uint64_t
hash_addr(uint64_t h, const struct in6_addr *a)
{
	uint64_t w[2];

	memcpy(w, a->s6_addr, sizeof(w));
	return htab_hash_mix(htab_hash_mix(h, w[0]), w[1]);
}

static uint64_t
hash_tuple(const struct in6_addr *src, const struct in6_addr *dst, uint32_t spi)
{
	return htab_hash_finish(htab_hash_mix(hash_addr(hash_addr(1, src), dst), spi));
}

static uint64_t
hash_spi(uint32_t spi, const struct in6_addr *dst)
{
	return htab_hash_finish(htab_hash_mix(hash_addr(2, dst), spi));
}

static uint64_t
hash_pair(const struct in6_addr *src, const struct in6_addr *dst, enum sa_mode mode)
{
	return htab_hash_finish(htab_hash_mix(hash_addr(hash_addr(3, src), dst), (uint64_t)mode));
}

static bool
eq_name(const void *item, const void *key)
{
	const struct sa *sa = item;

	return strcmp(sa->name, key) == 0;
}

static bool
eq_tuple(const void *item, const void *key)
{
	const struct sa *sa = item;
	const struct sad_tuple_key *k = key;

	return sa->spi == k->spi && addr_equal(&sa->src, k->src) && addr_equal(&sa->dst, k->dst);
}

static bool
eq_spi(const void *item, const void *key)
{
	const struct sa *sa = item;
	const struct sad_spi_key *k = key;

	return sa->spi == k->spi && addr_equal(&sa->dst, k->dst);
}

static bool
eq_fp(const void *item, const void *key)
{
	const struct sa *sa = item;

	return secret_equal(sa->key_fp, key) != 0;
}

static bool
eq_pair(const void *item, const void *key)
{
	const struct sa *sa = item;
	const struct sad_pair_key *k = key;

	return sa->mode == k->mode && addr_equal(&sa->src, k->src) && addr_equal(&sa->dst, k->dst);
}

const char *
sa_mode_name(enum sa_mode mode)
{
	return names_at(words_sa_mode, sizeof(words_sa_mode) / sizeof(words_sa_mode[0]), mode);
}

int
sa_mode_parse(const char *text, const char *what, enum sa_mode *out, struct err *err)
{
	int i = names_parse(NAMES_TABLE(words_sa_mode), text, what, err);

	if (i < 0)
		return i;
	*out = (enum sa_mode)i;
	return 0;
}

int
sa_name_check(const char *name, struct err *err)
{
	size_t len = strlen(name);

	if (strcmp(name, "auto") == 0)
		return err_set(err, EINVAL, "'auto' is reserved and cannot be an SA name");
	if (len == 0 || len > SA_NAME_MAX ||
	    strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-") !=
		len)
		return err_set(err, EINVAL, "invalid SA name '%s': use 1-64 of A-Za-z0-9_.-", name);
	return 0;
}

void
sa_spec_fini(struct sa_spec *spec)
{
	secret_free(spec->enc_key);
	secret_free(spec->auth_key);
	spec->enc_key = NULL;
	spec->auth_key = NULL;
}

void
sa_ref(struct sa *sa)
{
	atomic_fetch_add_explicit(&sa->ref, 1, memory_order_relaxed);
}

/* The live state and, right after it in the same allocation, the ring of its replay window,
 * sized to the window: 32 bytes for the default 64 packets, 16 KB for 65,536. */
static struct sa_live *
sa_live_new(uint32_t replay_window)
{
	size_t ring = replay_ring_words(replay_window) * sizeof(uint64_t);
	size_t len = (sizeof(struct sa_live) + ring + 63) / 64 * 64;
	struct sa_live *live = aligned_alloc(64, len);

	if (live == NULL)
		return NULL;
	memset(live, 0, sizeof(*live));
	atomic_init(&live->ref, 1);
	replay_init(&live->replay, replay_window, (uint64_t *)(void *)(live + 1));
	return live;
}

static void
sa_live_unref(struct sa_live *live)
{
	/* acq_rel, as for the SA: every writer's last use happens before the free. */
	if (live != NULL && atomic_fetch_sub_explicit(&live->ref, 1, memory_order_acq_rel) == 1)
		free(live);
}

void
sa_live_hold(struct sa_live *live)
{
	atomic_fetch_add_explicit(&live->ref, 1, memory_order_relaxed);
}

void
sa_live_release(struct sa_live *live)
{
	sa_live_unref(live);
}

void
sa_live_adopt(struct sa *sa, const struct sa *from)
{
	if (sa->live == from->live)
		return;
	atomic_fetch_add_explicit(&from->live->ref, 1, memory_order_relaxed);
	sa_live_unref(sa->live);
	sa->live = from->live;
}

static bool
sa_key_equal(const struct secret *a, const struct secret *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return secret_equal(a, b) != 0;
}

bool
sa_keys_equal(const struct sa *a, const struct sa *b)
{
	/* Both compared, whatever the first says: no early exit to time. */
	bool enc = sa_key_equal(a->enc_key, b->enc_key);
	bool auth = sa_key_equal(a->auth_key, b->auth_key);

	return enc && auth;
}

void
sa_unref(struct sa *sa)
{
	if (sa == NULL)
		return;
	/* acq_rel: every reader's last use happens before the free below. */
	if (atomic_fetch_sub_explicit(&sa->ref, 1, memory_order_acq_rel) != 1)
		return;
	sa_live_unref(sa->live);
	crypto_key_free(sa->ckey);
	secret_free(sa->enc_key);
	secret_free(sa->auth_key);
	secret_free(sa->key_fp);
	secret_free(sa->seq_fp);
	free(sa);
}

struct sad *
sad_new(enum crypto_backend backend)
{
	struct sad *sad = calloc(1, sizeof(*sad));

	if (sad == NULL)
		return NULL;
	sad->backend = crypto_backend_resolve(backend);
	return sad;
}

void
sad_free(struct sad *sad)
{
	if (sad == NULL)
		return;
	sad_remove_all(sad);
	htab_fini(&sad->by_name);
	htab_fini(&sad->by_tuple);
	htab_fini(&sad->by_key);
	free(sad->sas);
	free(sad->retired);
	free(sad);
}

enum crypto_backend
sad_backend(const struct sad *sad)
{
	return sad->backend;
}

/* RFC 4303 section 2.1: SPI 0 is never sent; 1-255 are reserved by IANA. */
static int
sad_check_spi(uint32_t spi, struct err *err)
{
	if (spi == 0)
		return err_set(err, EINVAL, "SPI '0x0' is reserved (RFC 4303 section 2.1)");
	if (spi < SA_SPI_MIN)
		return err_set(err, EINVAL, "SPI '0x%x' is reserved (0x1-0xff)", spi);
	return 0;
}

/* Everything about the spec that does not depend on other SAs. */
static int
sad_check_spec(const struct sa_spec *spec, struct err *err)
{
	int rc;

	rc = sa_name_check(spec->name, err);
	if (rc == 0)
		rc = sad_check_spi(spec->spi, err);
	if (rc != 0)
		return rc;
	if (spec->mode != SA_MODE_TRANSPORT && spec->mode != SA_MODE_TUNNEL)
		return err_set(err, EINVAL, "invalid SA mode %d", (int)spec->mode);
	rc = algo_keys_check(spec->enc, spec->enc_key != NULL ? spec->enc_key->len : 0, spec->auth,
	    spec->auth_key != NULL ? spec->auth_key->len : 0, err);
	if (rc != 0)
		return rc;
	if (spec->replay_window != 0 &&
	    (spec->replay_window < REPLAY_WINDOW_MIN || spec->replay_window > REPLAY_WINDOW_MAX))
		return err_set(err, EINVAL, "replay window %u is outside %u-%u",
		    spec->replay_window, REPLAY_WINDOW_MIN, REPLAY_WINDOW_MAX);
	/* RFC 3948 section 2: ESP in UDP needs both ports; port 0 is no port (RFC 768). */
	if ((spec->encap_sport == 0) != (spec->encap_dport == 0))
		return err_set(err, EINVAL, "encapsulation ports %u:%u: use 1-65535 for both",
		    (unsigned)spec->encap_sport, (unsigned)spec->encap_dport);
	return life_check(&spec->life, err);
}

/* (source, destination, SPI) is unique among all SAs, retired ones included (RFC 4301
 * section 4.1). */
static int
sad_check_tuple(const struct sad *sad, const struct sa_spec *spec, struct err *err)
{
	char src[ADDR_TEXT_MAX];
	char dst[ADDR_TEXT_MAX];

	if (sad_lookup_tuple(sad, &spec->src, &spec->dst, spec->spi) != NULL)
		return err_set(err, EEXIST,
		    "an SA with source %s, destination %s and SPI 0x%x already exists",
		    addr_is_any(&spec->src) ? "any" : addr_format(&spec->src, src),
		    addr_is_any(&spec->dst) ? "any" : addr_format(&spec->dst, dst), spec->spi);
	return 0;
}

/* Names are unique among the current SAs; a retired one has the name of the SA it was. */
static int
sad_check_unique(const struct sad *sad, const struct sa_spec *spec, struct err *err)
{
	if (spec->retired == 0 && sad_lookup_name(sad, spec->name) != NULL)
		return err_set(err, EEXIST, "SA '%s' already exists", spec->name);
	return sad_check_tuple(sad, spec, err);
}

/* Room for one more pointer in an array of SAs. */
static int
sad_grow(struct sa ***arr, size_t count, size_t *cap)
{
	size_t n = *cap == 0 ? 16 : *cap * 2;
	struct sa **p;

	if (count < *cap)
		return 0;
	if (n > SIZE_MAX / sizeof(struct sa *))
		return -ENOMEM;
	p = realloc(*arr, n * sizeof(struct sa *));
	if (p == NULL)
		return -ENOMEM;
	*arr = p;
	*cap = n;
	return 0;
}

/* Room for one more current SA (or with retired, one more retired SA) in its array and for
 * one more in every index, so that the commit cannot fail. */
static int
sad_reserve(struct sad *sad, bool retired, struct err *err)
{
	size_t all = sad->count + sad->nretired + 1;

	if ((retired ? sad_grow(&sad->retired, sad->nretired, &sad->retired_cap)
		     : sad_grow(&sad->sas, sad->count, &sad->cap)) != 0 ||
	    htab_reserve(&sad->by_name, sad->count + 1) != 0 ||
	    htab_reserve(&sad->by_tuple, all) != 0 ||
	    htab_reserve(&sad->by_key, sad->by_key.used + 1) != 0)
		return err_set(err, ENOMEM, "out of memory");
	return 0;
}

static int64_t
sad_wall_now(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec;
}

static uint64_t
sad_boot_ns(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t
sa_age(const struct sa *sa)
{
	return sa->live->age0 + (sad_boot_ns() - sa->live->boot0_ns) / 1000000000u;
}

bool
sa_grace_over(const struct sa *sa)
{
	return sa->retired != 0 && sad_boot_ns() >= sa->live->grace_end_ns;
}

/* A retired SA's end of grace, measured as its age is: what is left of it by the wall clock
 * when it is made (none when the clock says it ended; never more than grace when the clock was
 * set back), then on CLOCK_BOOTTIME, which neither jumps nor stops in suspend. */
static void
sa_grace_start(struct sa *sa, int64_t now)
{
	uint64_t gone = life_age(sa->retired, now);
	uint64_t left = gone < sa->grace ? sa->grace - gone : 0;

	sa->live->grace_end_ns = sad_boot_ns() + left * 1000000000u;
}

static int
sa_create(const struct sad *sad, const struct sa_spec *spec, struct sa **out, struct err *err)
{
	struct sa *sa = calloc(1, sizeof(*sa));
	uint32_t window = spec->replay_window != 0 ? spec->replay_window : REPLAY_WINDOW_DEFAULT;
	int64_t now;
	int rc;

	if (sa != NULL)
		sa->live = sa_live_new(window);
	if (sa == NULL || sa->live == NULL) {
		free(sa);
		(void)err_set(err, ENOMEM, "out of memory");
		return -ENOMEM;
	}
	rc = crypto_key_new(
	    sad->backend, spec->enc, spec->enc_key, spec->auth, spec->auth_key, &sa->ckey, err);
	if (rc == 0 && algo_enc_is_aead(spec->enc)) {
		sa->key_fp = crypto_key_fingerprint(spec->enc, spec->enc_key);
		if (sa->key_fp == NULL)
			rc = err_set(err, ENOMEM, "out of memory");
	} else if (rc == 0) {
		sa->seq_fp = crypto_sa_fingerprint(spec->src.s6_addr, spec->dst.s6_addr, spec->spi,
		    spec->enc, spec->enc_key, spec->auth, spec->auth_key);
		if (sa->seq_fp == NULL)
			rc = err_set(err, ENOMEM, "out of memory");
	}
	if (rc != 0) {
		crypto_key_free(sa->ckey);
		sa_live_unref(sa->live);
		free(sa);
		return rc;
	}
	memcpy(sa->name, spec->name, sizeof(sa->name));
	sa->src = spec->src;
	sa->dst = spec->dst;
	sa->spi = spec->spi;
	sa->mode = spec->mode;
	sa->enc = spec->enc;
	sa->auth = spec->auth;
	sa->enc_info = algo_enc_info(spec->enc);
	sa->auth_info = algo_auth_info(spec->auth);
	sa->icv_len = (uint32_t)algo_icv_len(spec->enc, spec->auth);
	sa->replay_window = sa->live->replay.size;
	sa->esn = spec->esn;
	sa->life = spec->life;
	now = sad_wall_now();
	sa->added = spec->added != 0 ? spec->added : now;
	sa->live->age0 = life_age(sa->added, now);
	sa->live->boot0_ns = sad_boot_ns();
	sa->encap_sport = spec->encap_sport;
	sa->encap_dport = spec->encap_dport;
	sa->retired = spec->retired;
	sa->grace = spec->grace;
	if (sa->retired != 0)
		sa_grace_start(sa, now);
	sa->seq_order = sad->next_order;
	atomic_init(&sa->ref, 1);
	*out = sa;
	return 0;
}

/* RFC 4106 section 3.1: an AES-GCM IV must never repeat under a key, and every SA counts its
 * IVs (its sequence numbers) from 1; two SAs with one key, whatever their direction, would
 * repeat them all. */
static int
sad_check_key_unique(const struct sad *sad, const struct sa *sa, struct err *err)
{
	const struct sa *other;

	if (sa->key_fp == NULL)
		return 0;
	other = htab_find(&sad->by_key, crypto_fingerprint_hash(sa->key_fp), eq_fp, sa->key_fp);
	if (other == NULL)
		return 0;
	return err_set(err, EEXIST,
	    "SA '%s' already has this AES-GCM key: under one key the IVs (the sequence numbers) "
	    "would repeat (RFC 4106 section 3.1); give every SA a key of its own",
	    other->name);
}

/* Position of sa in the add-order array (sorted by seq_order), or count if absent. */
static size_t
sad_position(const struct sad *sad, const struct sa *sa)
{
	size_t lo = 0;
	size_t hi = sad->count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (sad->sas[mid]->seq_order < sa->seq_order)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < sad->count && sad->sas[lo] == sa ? lo : sad->count;
}

/* Put sa in its indexes (sad_reserve() made room): a retired SA is not found by name. */
static void
sad_index(struct sad *sad, struct sa *sa)
{
	if (sa->retired == 0)
		htab_put(&sad->by_name, htab_hash_str(sa->name), sa);
	htab_put(&sad->by_tuple, hash_tuple(&sa->src, &sa->dst, sa->spi), sa);
	if (sa->key_fp != NULL)
		htab_put(&sad->by_key, crypto_fingerprint_hash(sa->key_fp), sa);
}

/* Put sa, made by sa_create() and checked, at the end of its array and in its indexes. */
static void
sad_insert(struct sad *sad, struct sa *sa)
{
	if (sa->retired != 0)
		sad->retired[sad->nretired++] = sa;
	else
		sad->sas[sad->count++] = sa;
	sad_index(sad, sa);
}

/* Take sa out of its indexes (not out of its array). */
static void
sad_unindex(struct sad *sad, struct sa *sa)
{
	if (sa->retired == 0)
		htab_del(&sad->by_name, htab_hash_str(sa->name), sa);
	htab_del(&sad->by_tuple, hash_tuple(&sa->src, &sa->dst, sa->spi), sa);
	if (sa->key_fp != NULL)
		htab_del(&sad->by_key, crypto_fingerprint_hash(sa->key_fp), sa);
}

int
sad_add(struct sad *sad, struct sa_spec *spec, struct err *err)
{
	struct sa *sa = NULL;
	int rc;

	rc = sad_check_spec(spec, err);
	if (rc == 0)
		rc = sad_check_unique(sad, spec, err);
	if (rc == 0)
		rc = sad_reserve(sad, spec->retired != 0, err);
	if (rc == 0)
		rc = sa_create(sad, spec, &sa, err);
	if (rc == 0 && sad_check_key_unique(sad, sa, err) != 0) {
		sa_unref(sa); /* the keys are still the spec's */
		return -EEXIST;
	}
	if (rc != 0)
		return rc;
	sa->enc_key = spec->enc_key;
	sa->auth_key = spec->auth_key;
	spec->enc_key = NULL;
	spec->auth_key = NULL;
	/* seq_order only grows, so the array stays sorted by it; 2^32 adds outlast any daemon. */
	sad->next_order++;
	sad_insert(sad, sa);
	return 0;
}

/* The keys cur's algorithms need, present and of the right lengths. */
static int
sad_rekey_keys(const struct sa *cur, const struct sa_spec *spec, struct err *err)
{
	if (spec->enc_key == NULL && cur->enc != ALGO_ENC_NULL)
		return err_set(err, EINVAL, "Missing required parameter -k|--encryption-key");
	if (spec->auth_key == NULL && cur->auth != ALGO_AUTH_NONE)
		return err_set(err, EINVAL, "Missing required parameter -K|--integrity-key");
	return algo_keys_check(cur->enc, spec->enc_key != NULL ? spec->enc_key->len : 0, cur->auth,
	    spec->auth_key != NULL ? spec->auth_key->len : 0, err);
}

/* The retired copy of cur: its name, addresses, SPI, keys (copies) and live state, which the
 * packet threads may still be writing through cur. */
static int
sad_retire(const struct sad *sad, const struct sa *cur, uint32_t grace, int64_t now,
    struct sa **out, struct err *err)
{
	struct sa_spec old = {
		.src = cur->src,
		.dst = cur->dst,
		.spi = cur->spi,
		.mode = cur->mode,
		.enc = cur->enc,
		.auth = cur->auth,
		.replay_window = cur->replay_window,
		.esn = cur->esn,
		.life = cur->life,
		.added = cur->added,
		.encap_sport = cur->encap_sport,
		.encap_dport = cur->encap_dport,
		.retired = now,
		.grace = grace,
	};
	struct sa *sa = NULL;
	int rc = 0;

	memcpy(old.name, cur->name, sizeof(old.name));
	if (cur->enc_key != NULL && (old.enc_key = secret_dup(cur->enc_key)) == NULL)
		rc = err_set(err, ENOMEM, "out of memory");
	if (rc == 0 && cur->auth_key != NULL && (old.auth_key = secret_dup(cur->auth_key)) == NULL)
		rc = err_set(err, ENOMEM, "out of memory");
	if (rc == 0)
		rc = sa_create(sad, &old, &sa, err);
	if (rc != 0) {
		sa_spec_fini(&old);
		return rc;
	}
	sa->enc_key = old.enc_key;
	sa->auth_key = old.auth_key;
	sa->seq_order = cur->seq_order;
	sa_live_adopt(sa, cur);
	sa_grace_start(sa, now);
	*out = sa;
	return 0;
}

int
sad_rekey(struct sad *sad, struct sa *cur, struct sa_spec *spec, uint32_t grace, struct sa **out,
    struct err *err)
{
	struct sa_spec next = {
		.src = cur->src,
		.dst = cur->dst,
		.spi = spec->spi,
		.mode = cur->mode,
		.enc = cur->enc,
		.auth = cur->auth,
		.enc_key = spec->enc_key,
		.auth_key = spec->auth_key,
		.replay_window = cur->replay_window,
		.esn = cur->esn,
		.life = cur->life,
		.encap_sport = cur->encap_sport,
		.encap_dport = cur->encap_dport,
	};
	struct sa *sa = NULL, *old = NULL;
	int64_t now = sad_wall_now();
	size_t pos = sad_position(sad, cur);
	int rc = 0;

	memcpy(next.name, cur->name, sizeof(next.name));
	if (pos == sad->count || cur->retired != 0)
		return err_set(err, ENOENT, "SA '%s' does not exist", cur->name);
	if (spec->spi == cur->spi)
		return err_set(err, EINVAL,
		    "SA '%s' has SPI 0x%x already: a rekey needs a new SPI, so that the peer can "
		    "tell the new keys from the old",
		    cur->name, cur->spi);
	rc = sad_rekey_keys(cur, spec, err);
	if (rc == 0)
		rc = sad_check_spec(&next, err);
	if (rc == 0)
		rc = sad_check_tuple(sad, &next, err);
	if (rc == 0)
		rc = sad_reserve(sad, true, err);
	if (rc == 0)
		rc = sa_create(sad, &next, &sa, err);
	/* cur is still indexed: its own AES-GCM key is refused too, as the IVs would repeat. */
	if (rc == 0)
		rc = sad_check_key_unique(sad, sa, err);
	if (rc == 0 && grace > 0)
		rc = sad_retire(sad, cur, grace, now, &old, err);
	if (rc != 0) {
		sa_unref(sa); /* the keys are still the spec's */
		return rc;
	}
	sa->enc_key = spec->enc_key;
	sa->auth_key = spec->auth_key;
	spec->enc_key = NULL;
	spec->auth_key = NULL;
	/* In cur's place: listings, the configuration file and KAME selection keep their order. */
	sa->seq_order = cur->seq_order;
	sad_unindex(sad, cur);
	sad->sas[pos] = sa;
	sad_index(sad, sa);
	if (old != NULL)
		sad_insert(sad, old);
	sa_unref(cur);
	*out = sa;
	return 0;
}

int
sad_remove(struct sad *sad, struct sa *sa, struct err *err)
{
	struct sa **arr = sa->retired != 0 ? sad->retired : sad->sas;
	size_t *count = sa->retired != 0 ? &sad->nretired : &sad->count;
	size_t pos = 0;

	if (sa->retired != 0) {
		while (pos < sad->nretired && sad->retired[pos] != sa)
			pos++;
	} else {
		pos = sad_position(sad, sa);
	}
	if (pos == *count)
		return err_set(err, ENOENT, "SA '%s' does not exist", sa->name);
	if (sa->users > 0)
		return err_set(err, EBUSY, "SA '%s' is in use", sa->name);
	sad_unindex(sad, sa);
	memmove(&arr[pos], &arr[pos + 1], (*count - pos - 1) * sizeof(struct sa *));
	(*count)--;
	sa_unref(sa);
	return 0;
}

void
sad_remove_all(struct sad *sad)
{
	for (size_t i = 0; i < sad->count; i++)
		sa_unref(sad->sas[i]);
	for (size_t i = 0; i < sad->nretired; i++)
		sa_unref(sad->retired[i]);
	sad->count = 0;
	sad->nretired = 0;
	htab_clear(&sad->by_name);
	htab_clear(&sad->by_tuple);
	htab_clear(&sad->by_key);
}

struct sa *
sad_lookup_name(const struct sad *sad, const char *name)
{
	return htab_find(&sad->by_name, htab_hash_str(name), eq_name, name);
}

struct sa *
sad_lookup_tuple(
    const struct sad *sad, const struct in6_addr *src, const struct in6_addr *dst, uint32_t spi)
{
	struct sad_tuple_key key = { src, dst, spi };

	return htab_find(&sad->by_tuple, hash_tuple(src, dst, spi), eq_tuple, &key);
}

size_t
sad_count(const struct sad *sad)
{
	return sad->count;
}

struct sa *
sad_at(const struct sad *sad, size_t i)
{
	return i < sad->count ? sad->sas[i] : NULL;
}

size_t
sad_retired_count(const struct sad *sad)
{
	return sad->nretired;
}

struct sa *
sad_retired_at(const struct sad *sad, size_t i)
{
	return i < sad->nretired ? sad->retired[i] : NULL;
}

size_t
sad_all_count(const struct sad *sad)
{
	return sad->count + sad->nretired;
}

struct sa *
sad_all_at(const struct sad *sad, size_t i)
{
	return i < sad->count ? sad->sas[i] : sad_retired_at(sad, i - sad->count);
}

/* Index every SA of the snapshot: all of them by (SPI, destination), where sources tell them
 * apart; the first in add order for each pair. */
static void
sad_snap_index(struct sad_snap *snap)
{
	for (size_t i = 0; i < snap->count; i++) {
		struct sa *sa = snap->sas[i];
		struct sad_pair_key pk = { &sa->src, &sa->dst, sa->mode };
		uint64_t hs = hash_spi(sa->spi, &sa->dst);
		uint64_t hp = hash_pair(&sa->src, &sa->dst, sa->mode);

		htab_put(&snap->by_spi, hs, sa);
		if (sa->retired == 0 && htab_find(&snap->by_pair, hp, eq_pair, &pk) == NULL)
			htab_put(&snap->by_pair, hp, sa);
	}
}

struct sad_snap *
sad_snapshot(const struct sad *sad)
{
	struct sad_snap *snap = calloc(1, sizeof(*snap));
	size_t n = sad_all_count(sad);

	if (snap == NULL)
		return NULL;
	snap->sas = calloc(n == 0 ? 1 : n, sizeof(struct sa *));
	if (snap->sas == NULL || htab_reserve(&snap->by_spi, n) != 0 ||
	    htab_reserve(&snap->by_pair, sad->count) != 0) {
		sad_snap_free(snap);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		struct sa *sa = sad_all_at(sad, i);

		sa_ref(sa);
		snap->sas[i] = sa;
	}
	snap->count = n;
	sad_snap_index(snap);
	return snap;
}

void
sad_snap_free(struct sad_snap *snap)
{
	if (snap == NULL)
		return;
	for (size_t i = 0; i < snap->count; i++)
		sa_unref(snap->sas[i]);
	free(snap->sas);
	htab_fini(&snap->by_spi);
	htab_fini(&snap->by_pair);
	free(snap);
}

static bool
sad_earlier(const struct sa *a, const struct sa *than)
{
	return than == NULL || a->seq_order < than->seq_order;
}

/* Among the SAs for (spi, dst): the first in add order whose source is src, else whose source
 * is any, else the first of all (src NULL: the first of all). */
static struct sa *
sad_snap_pick(
    const struct htab *ix, uint32_t spi, const struct in6_addr *dst, const struct in6_addr *src)
{
	struct sad_spi_key key = { spi, dst };
	uint64_t hash = hash_spi(spi, dst);
	size_t pos = htab_start(ix, hash);
	struct sa *sa, *exact = NULL, *any = NULL, *first = NULL;

	while ((sa = htab_next(ix, hash, &pos)) != NULL) {
		if (!eq_spi(sa, &key))
			continue;
		if (sad_earlier(sa, first))
			first = sa;
		if (src != NULL && addr_equal(&sa->src, src) && sad_earlier(sa, exact))
			exact = sa;
		if (addr_is_any(&sa->src) && sad_earlier(sa, any))
			any = sa;
	}
	if (src == NULL)
		return first;
	return exact != NULL ? exact : any != NULL ? any : first;
}

struct sa *
sad_snap_lookup_spi(const struct sad_snap *snap, uint32_t spi, const struct in6_addr *dst,
    const struct in6_addr *src)
{
	struct sa *sa = sad_snap_pick(&snap->by_spi, spi, dst, src);

	if (sa == NULL && !addr_is_any(dst))
		sa = sad_snap_pick(&snap->by_spi, spi, &in6addr_any, src);
	return sa;
}

/* KAME selection without a scan: an SA matches with its exact (source, destination) or with
 * any in either place, so the first match in add order is the earliest of the first SAs of
 * four exact keys. */
struct sa *
sad_snap_select(const struct sad_snap *snap, const struct in6_addr *src, const struct in6_addr *dst,
    enum sa_mode mode)
{
	const struct in6_addr *srcs[2] = { src, &in6addr_any };
	const struct in6_addr *dsts[2] = { dst, &in6addr_any };
	struct sa *best = NULL;

	for (size_t i = 0; i < 2; i++) {
		for (size_t j = 0; j < 2; j++) {
			struct sad_pair_key key = { srcs[i], dsts[j], mode };
			struct sa *sa = htab_find(
			    &snap->by_pair, hash_pair(srcs[i], dsts[j], mode), eq_pair, &key);

			if (sa != NULL && (best == NULL || sa->seq_order < best->seq_order))
				best = sa;
		}
	}
	return best;
}
