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
	struct sa **sas;             /* add order */
	size_t count;
	size_t cap;
	uint32_t next_order;
	struct htab by_name;
	struct htab by_tuple;
	struct htab by_key; /* AES-GCM SAs by their key's fingerprint */
};

struct sad_snap {
	struct sa **sas; /* add order, one reference each */
	size_t count;
	struct htab by_spi;  /* (SPI, destination): every SA */
	struct htab by_pair; /* (source, destination, mode): the first SA in add order */
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
sa_live_adopt(struct sa *sa, const struct sa *from)
{
	if (sa->live == from->live)
		return;
	atomic_fetch_add_explicit(&from->live->ref, 1, memory_order_relaxed);
	sa_live_unref(sa->live);
	sa->live = from->live;
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

/* Names are unique, and so is (source, destination, SPI) (RFC 4301 section 4.1). */
static int
sad_check_unique(const struct sad *sad, const struct sa_spec *spec, struct err *err)
{
	char src[ADDR_TEXT_MAX];
	char dst[ADDR_TEXT_MAX];

	if (sad_lookup_name(sad, spec->name) != NULL)
		return err_set(err, EEXIST, "SA '%s' already exists", spec->name);
	if (sad_lookup_tuple(sad, &spec->src, &spec->dst, spec->spi) != NULL)
		return err_set(err, EEXIST,
		    "an SA with source %s, destination %s and SPI 0x%x already exists",
		    addr_is_any(&spec->src) ? "any" : addr_format(&spec->src, src),
		    addr_is_any(&spec->dst) ? "any" : addr_format(&spec->dst, dst), spec->spi);
	return 0;
}

/* Room for one more SA in the array and both indexes, so that the commit cannot fail. */
static int
sad_reserve(struct sad *sad, struct err *err)
{
	if (sad->count == sad->cap) {
		size_t cap = sad->cap == 0 ? 16 : sad->cap * 2;
		struct sa **sas;

		if (cap > SIZE_MAX / sizeof(struct sa *))
			return err_set(err, ENOMEM, "out of memory");
		sas = realloc(sad->sas, cap * sizeof(struct sa *));
		if (sas == NULL)
			return err_set(err, ENOMEM, "out of memory");
		sad->sas = sas;
		sad->cap = cap;
	}
	if (htab_reserve(&sad->by_name, sad->count + 1) != 0 ||
	    htab_reserve(&sad->by_tuple, sad->count + 1) != 0 ||
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

int
sad_add(struct sad *sad, struct sa_spec *spec, struct err *err)
{
	struct sa *sa = NULL;
	int rc;

	rc = sad_check_spec(spec, err);
	if (rc == 0)
		rc = sad_check_unique(sad, spec, err);
	if (rc == 0)
		rc = sad_reserve(sad, err);
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
	sad->sas[sad->count++] = sa;
	htab_put(&sad->by_name, htab_hash_str(sa->name), sa);
	htab_put(&sad->by_tuple, hash_tuple(&sa->src, &sa->dst, sa->spi), sa);
	if (sa->key_fp != NULL)
		htab_put(&sad->by_key, crypto_fingerprint_hash(sa->key_fp), sa);
	return 0;
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

int
sad_remove(struct sad *sad, struct sa *sa, struct err *err)
{
	size_t pos = sad_position(sad, sa);

	if (pos == sad->count)
		return err_set(err, ENOENT, "SA '%s' does not exist", sa->name);
	if (sa->users > 0)
		return err_set(err, EBUSY, "SA '%s' is in use", sa->name);
	htab_del(&sad->by_name, htab_hash_str(sa->name), sa);
	htab_del(&sad->by_tuple, hash_tuple(&sa->src, &sa->dst, sa->spi), sa);
	if (sa->key_fp != NULL)
		htab_del(&sad->by_key, crypto_fingerprint_hash(sa->key_fp), sa);
	memmove(&sad->sas[pos], &sad->sas[pos + 1], (sad->count - pos - 1) * sizeof(struct sa *));
	sad->count--;
	sa_unref(sa);
	return 0;
}

void
sad_remove_all(struct sad *sad)
{
	for (size_t i = 0; i < sad->count; i++)
		sa_unref(sad->sas[i]);
	sad->count = 0;
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
		if (htab_find(&snap->by_pair, hp, eq_pair, &pk) == NULL)
			htab_put(&snap->by_pair, hp, sa);
	}
}

struct sad_snap *
sad_snapshot(const struct sad *sad)
{
	struct sad_snap *snap = calloc(1, sizeof(*snap));

	if (snap == NULL)
		return NULL;
	snap->sas = calloc(sad->count == 0 ? 1 : sad->count, sizeof(struct sa *));
	if (snap->sas == NULL || htab_reserve(&snap->by_spi, sad->count) != 0 ||
	    htab_reserve(&snap->by_pair, sad->count) != 0) {
		sad_snap_free(snap);
		return NULL;
	}
	for (size_t i = 0; i < sad->count; i++) {
		sa_ref(sad->sas[i]);
		snap->sas[i] = sad->sas[i];
	}
	snap->count = sad->count;
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
