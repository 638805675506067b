// SPDX-License-Identifier: MIT
/* Open addressing with linear probing and backward-shift deletion; see htab.h. */
#include "ipsec6/htab.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define HTAB_MIN_CAP 16u

uint64_t
htab_hash_mix(uint64_t h, uint64_t v)
{
	h ^= v;
	h *= 0xff51afd7ed558ccdu;
	h ^= h >> 32;
	return h;
}

uint64_t
htab_hash_finish(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53u;
	h ^= h >> 33;
	return h;
}

uint64_t
htab_hash_str(const char *s)
{
	uint64_t h = 0xcbf29ce484222325u; /* FNV-1a */

	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
		h ^= *p;
		h *= 0x100000001b3u;
	}
	return htab_hash_finish(h);
}

static void
htab_place(struct htab_slot *slots, size_t mask, uint64_t hash, void *item)
{
	size_t i = (size_t)hash & mask;

	while (slots[i].item != NULL)
		i = (i + 1) & mask;
	slots[i].hash = hash;
	slots[i].item = item;
}

int
htab_reserve(struct htab *t, size_t want)
{
	size_t cap = HTAB_MIN_CAP;
	struct htab_slot *slots;

	if (t->slots != NULL && want <= (t->mask + 1) / 2)
		return 0;
	while (cap / 2 < want) {
		if (cap > SIZE_MAX / 2 / sizeof(*slots))
			return -ENOMEM;
		cap *= 2;
	}
	slots = calloc(cap, sizeof(*slots));
	if (slots == NULL)
		return -ENOMEM;
	if (t->slots != NULL) {
		for (size_t i = 0; i <= t->mask; i++) {
			if (t->slots[i].item != NULL)
				htab_place(slots, cap - 1, t->slots[i].hash, t->slots[i].item);
		}
	}
	free(t->slots);
	t->slots = slots;
	t->mask = cap - 1;
	return 0;
}

void
htab_put(struct htab *t, uint64_t hash, void *item)
{
	htab_place(t->slots, t->mask, hash, item);
	t->used++;
}

size_t
htab_start(const struct htab *t, uint64_t hash)
{
	return t->slots == NULL ? 0 : (size_t)hash & t->mask;
}

void *
htab_next(const struct htab *t, uint64_t hash, size_t *pos)
{
	if (t->slots == NULL)
		return NULL;
	for (size_t i = *pos; t->slots[i].item != NULL; i = (i + 1) & t->mask) {
		if (t->slots[i].hash == hash) {
			*pos = (i + 1) & t->mask;
			return t->slots[i].item;
		}
	}
	return NULL;
}

void *
htab_find(const struct htab *t, uint64_t hash, bool (*eq)(const void *item, const void *key),
    const void *key)
{
	size_t pos = htab_start(t, hash);
	void *item;

	while ((item = htab_next(t, hash, &pos)) != NULL) {
		if (eq(item, key))
			return item;
	}
	return NULL;
}

void
htab_del(struct htab *t, uint64_t hash, const void *item)
{
	size_t i;

	if (t->slots == NULL)
		return;
	i = (size_t)hash & t->mask;
	while (t->slots[i].item != item) {
		if (t->slots[i].item == NULL)
			return;
		i = (i + 1) & t->mask;
	}
	for (size_t j = (i + 1) & t->mask; t->slots[j].item != NULL; j = (j + 1) & t->mask) {
		size_t home = (size_t)t->slots[j].hash & t->mask;
		/* The item at j may stay if its home lies cyclically in (i, j]. */
		bool stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);

		if (stays)
			continue;
		t->slots[i] = t->slots[j];
		i = j;
	}
	t->slots[i].item = NULL;
	t->slots[i].hash = 0;
	t->used--;
}

void
htab_clear(struct htab *t)
{
	if (t->slots != NULL)
		memset(t->slots, 0, (t->mask + 1) * sizeof(*t->slots));
	t->used = 0;
}

void
htab_fini(struct htab *t)
{
	free(t->slots);
	memset(t, 0, sizeof(*t));
}
