/* SPDX-License-Identifier: MIT */
/* The one hash table of the control plane's indexes (SAs by name, by tuple, by SPI; policies by
 * name): open addressing of item pointers with their hashes, linear probing, load factor at most
 * 1/2, and deletion by backward shift (Knuth 6.4, algorithm R) instead of tombstones, so lookups
 * stay short however many adds and removes have happened. Items are the caller's; the table only
 * points at them. Not thread-safe: one writer, and readers of a table that no longer changes. */
#ifndef IPSEC6_HTAB_H
#define IPSEC6_HTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct htab_slot {
	uint64_t hash;
	void *item; /* NULL: empty */
};

/* Zero-initialised is an empty table. */
struct htab {
	struct htab_slot *slots; /* NULL until the first reserve */
	size_t mask;             /* capacity - 1; the capacity is a power of two */
	size_t used;
};

/* Names and other keys chosen by administrators, not by the network (a lookup for an unknown key
 * only probes), so a fast unkeyed hash is enough: FNV-1a, then a 64-bit finaliser so that the
 * low bits (the slot) depend on every byte. */
uint64_t htab_hash_str(const char *s);
/* Mix v into h (a running hash of several fields), and finish it. */
uint64_t htab_hash_mix(uint64_t h, uint64_t v);
uint64_t htab_hash_finish(uint64_t h);

/* Make room for want items at load factor 1/2. Returns 0 or -ENOMEM (nothing changed). */
__attribute__((warn_unused_result)) int htab_reserve(struct htab *t, size_t want);

/* Insert item under hash; the caller reserved room (htab_reserve(t, used + 1)). */
void htab_put(struct htab *t, uint64_t hash, void *item);

/* The first item stored under hash for which eq(item, key) holds, or NULL. */
void *htab_find(const struct htab *t, uint64_t hash, bool (*eq)(const void *item, const void *key),
    const void *key);

/* Every item stored under hash, in probe order: start with *pos = htab_start(t, hash), then call
 * htab_next(t, hash, &pos) until it returns NULL. Items of other hashes in the same run are
 * skipped. */
size_t htab_start(const struct htab *t, uint64_t hash);
void *htab_next(const struct htab *t, uint64_t hash, size_t *pos);

/* Remove item (stored under hash), shifting back the later items of its probe run that would
 * otherwise become unreachable. An item not in the table is ignored. */
void htab_del(struct htab *t, uint64_t hash, const void *item);

/* Empty the table (capacity kept) / free its slots. */
void htab_clear(struct htab *t);
void htab_fini(struct htab *t);

#endif
