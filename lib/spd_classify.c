// SPDX-License-Identifier: MIT
/* SPD snapshots: the policies of each direction compiled into a tuple space classifier (one
 * hash table per selector shape, as in Srinivasan et al., "Packet Classification using Tuple
 * Space Search", 1999), searched in priority order so that the first match in add order wins
 * exactly as a linear scan with sp_match() would (RFC 4301 section 4.4.1, ordered SPD). */
#include <stdlib.h>
#include <string.h>

#include "ipsec6/spd.h"

/* The exact-match fields of a shape; the others are "any" and masked out of the key. */
enum {
	CLS_PROTO = 1u,
	CLS_SPORT = 2u,
	CLS_DPORT = 4u,
};

#define CLS_NONE           UINT32_MAX          /* no rule: an empty slot, or no match */
#define CLS_CHUNK          16                  /* packets looked up together by the burst lookup */
#define CLS_PIPELINE_BYTES ((size_t)64 * 1024) /* probed bytes beyond which prefetching pays */
#define CLS_KEY_WORDS      5 /* source (2 words), destination (2), protocol and ports (1) */

struct cls_key {
	uint64_t w[CLS_KEY_WORDS];
};

/* A table slot is small (8 bytes) so that probes stay in cache; the rule's full key, in an
 * array by rule index, is read only when the tag matches. */
struct cls_slot {
	uint32_t tag; /* high half of the key's hash */
	uint32_t idx; /* the earliest rule with this key, or CLS_NONE */
};

/* One selector shape: source and destination prefix lengths, and which of protocol, source
 * port and destination port are exact. Its table maps the masked key to the earliest rule. */
struct cls_group {
	uint64_t mask[CLS_KEY_WORDS];
	unsigned need;    /* CLS_* fields the packet must carry to match this shape */
	uint32_t min_idx; /* the earliest rule of the shape: the group's priority */
	uint32_t count;
	size_t slot_mask; /* table size - 1: a power of two, at least 4 * count (load <= 1/4) */
	struct cls_slot *slots;
	const struct cls_key *keys; /* the direction's keys, by rule index */
};

struct cls_dir {
	struct sp_rule *rules; /* the direction's policies in add order */
	uint32_t nrules;
	struct cls_group *groups; /* in order of min_idx */
	uint32_t ngroups;
	struct cls_slot *slots; /* one block holding every group's table */
	struct cls_key *keys;   /* keys[i]: rule i's key, masked by its group's shape */
	bool pipeline;          /* tables too big for the cache: burst lookups prefetch */
};

struct spd_snap {
	struct cls_dir dir[2];
};

/* A packet's selectors laid out as a key, and which exact fields it can match at all. */
struct cls_in {
	struct cls_key key;
	unsigned avail;
};

static uint64_t
cls_misc(unsigned fields, int proto, int32_t sport, int32_t dport)
{
	uint64_t w = 0;

	if (fields & CLS_PROTO)
		w |= (uint64_t)(proto & 0xff) << 32;
	if (fields & CLS_SPORT)
		w |= (uint64_t)(sport & 0xffff) << 16;
	if (fields & CLS_DPORT)
		w |= (uint64_t)(dport & 0xffff);
	return w;
}

static void
cls_addr_words(const struct in6_addr *a, uint64_t *w)
{
	memcpy(w, a->s6_addr, 16);
}

/* A fast hash of a key: independent multiplies (they run in parallel), then MurmurHash3's
 * finalizer so that every key bit reaches both the slot index (low bits) and the tag (high
 * bits). The stored keys are the administrator's, the probes attacker-chosen, and the load
 * stays at most one half, so probe sequences stay short either way. */
static uint64_t
cls_hash(const struct cls_key *k)
{
	uint64_t h = (k->w[0] * 0x9e3779b97f4a7c15ULL) ^ (k->w[1] * 0xbf58476d1ce4e5b9ULL) ^
	    (k->w[2] * 0x94d049bb133111ebULL) ^ (k->w[3] * 0xd6e8feb86659fd93ULL) ^
	    (k->w[4] * 0xff51afd7ed558ccdULL);

	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	return h ^ (h >> 33);
}

static uint32_t
cls_tag(uint64_t h)
{
	return (uint32_t)(h >> 32);
}

static bool
cls_key_equal(const struct cls_key *a, const struct cls_key *b)
{
	uint64_t d = 0;

	for (unsigned i = 0; i < CLS_KEY_WORDS; i++)
		d |= a->w[i] ^ b->w[i];
	return d == 0;
}

static unsigned
cls_fields(const struct sp *sp)
{
	return (sp->proto != SP_PROTO_ANY ? CLS_PROTO : 0u) |
	    (sp->sport != SP_PORT_ANY ? CLS_SPORT : 0u) |
	    (sp->dport != SP_PORT_ANY ? CLS_DPORT : 0u);
}

static uint32_t
cls_shape(const struct sp *sp)
{
	return (uint32_t)sp->src.len | (uint32_t)sp->dst.len << 8 | cls_fields(sp) << 16;
}

static void
cls_prefix_mask(uint8_t len, uint64_t *w)
{
	struct in6_addr m;

	for (unsigned i = 0; i < 16; i++) {
		unsigned bits = len > i * 8 ? len - i * 8 : 0;

		m.s6_addr[i] = (uint8_t)(bits >= 8 ? 0xffu : 0xffu << (8 - bits));
	}
	cls_addr_words(&m, w);
}

static void
cls_group_init(struct cls_group *g, const struct sp *sp, uint32_t idx)
{
	memset(g, 0, sizeof(*g));
	cls_prefix_mask(sp->src.len, &g->mask[0]);
	cls_prefix_mask(sp->dst.len, &g->mask[2]);
	g->need = cls_fields(sp);
	g->mask[4] = cls_misc(g->need, 0xff, 0xffff, 0xffff);
	g->min_idx = idx;
}

static void
cls_key_of_sp(const struct cls_group *g, const struct sp *sp, struct cls_key *k)
{
	cls_addr_words(&sp->src.addr, &k->w[0]);
	cls_addr_words(&sp->dst.addr, &k->w[2]);
	k->w[4] = cls_misc(g->need, sp->proto, sp->sport, sp->dport);
	for (unsigned i = 0; i < CLS_KEY_WORDS; i++)
		k->w[i] &= g->mask[i];
}

/* RFC 4301 section 4.4.1.3: a non-first fragment carries no ports (OPAQUE) and so matches only
 * shapes whose ports are any; a port of -1 (absent) likewise matches no exact port. */
static void
cls_input(const struct pkt_sel *sel, struct cls_in *in)
{
	in->avail = 0;
	if (sel->proto >= 0 && sel->proto <= 0xff)
		in->avail |= CLS_PROTO;
	if (!sel->nonfirst_frag && sel->sport >= 0 && sel->sport <= 0xffff)
		in->avail |= CLS_SPORT;
	if (!sel->nonfirst_frag && sel->dport >= 0 && sel->dport <= 0xffff)
		in->avail |= CLS_DPORT;
	cls_addr_words(&sel->src, &in->key.w[0]);
	cls_addr_words(&sel->dst, &in->key.w[2]);
	in->key.w[4] = cls_misc(in->avail, sel->proto, sel->sport, sel->dport);
}

static void
cls_key_mask(const struct cls_group *g, const struct cls_in *in, struct cls_key *k)
{
	for (unsigned i = 0; i < CLS_KEY_WORDS; i++)
		k->w[i] = in->key.w[i] & g->mask[i];
}

/* The rule for key k (whose hash is h) in g, or CLS_NONE. */
static uint32_t
cls_find(const struct cls_group *g, const struct cls_key *k, uint64_t h)
{
	size_t i = (size_t)h & g->slot_mask;
	uint32_t tag = cls_tag(h);

	for (;;) {
		const struct cls_slot *s = &g->slots[i];

		if (s->idx == CLS_NONE)
			return CLS_NONE;
		if (s->tag == tag && cls_key_equal(&g->keys[s->idx], k))
			return s->idx;
		i = (i + 1) & g->slot_mask;
	}
}

/* Insert rule idx (its key already in keys[idx]) unless an earlier rule holds the same key:
 * the first match wins. */
static void
cls_insert(struct cls_group *g, uint32_t idx)
{
	const struct cls_key *k = &g->keys[idx];
	uint64_t h = cls_hash(k);
	size_t i = (size_t)h & g->slot_mask;

	while (g->slots[i].idx != CLS_NONE) {
		if (g->slots[i].tag == cls_tag(h) && cls_key_equal(&g->keys[g->slots[i].idx], k))
			return;
		i = (i + 1) & g->slot_mask;
	}
	g->slots[i].tag = cls_tag(h);
	g->slots[i].idx = idx;
}

static uint32_t
cls_lookup(const struct cls_dir *d, const struct pkt_sel *sel)
{
	struct cls_in in;
	struct cls_key k;
	uint32_t best = CLS_NONE;

	cls_input(sel, &in);
	for (uint32_t gi = 0; gi < d->ngroups; gi++) {
		const struct cls_group *g = &d->groups[gi];

		/* Groups are in order of their earliest rule: none later can beat best. */
		if (g->min_idx >= best)
			break;
		if ((g->need & ~in.avail) != 0)
			continue;
		cls_key_mask(g, &in, &k);
		uint32_t idx = cls_find(g, &k, cls_hash(&k));
		if (idx < best)
			best = idx;
	}
	return best;
}

/* Probe one group for the active packets of a chunk in two passes: hash and prefetch every
 * packet's slot, then probe, so that the cache misses of different packets overlap (the bulk
 * lookups of VPP and DPDK do the same). True when some packet found a better rule. */
static bool
cls_probe_group(const struct cls_group *g, const struct cls_in *in, size_t n, uint32_t *best)
{
	struct cls_key k[CLS_CHUNK];
	uint64_t h[CLS_CHUNK];
	uint8_t act[CLS_CHUNK];
	size_t na = 0;
	bool better = false;

	for (size_t i = 0; i < n; i++) {
		if (g->min_idx >= best[i] || (g->need & ~in[i].avail) != 0)
			continue;
		cls_key_mask(g, &in[i], &k[na]);
		h[na] = cls_hash(&k[na]);
		__builtin_prefetch(&g->slots[(size_t)h[na] & g->slot_mask]);
		act[na++] = (uint8_t)i;
	}
	for (size_t a = 0; a < na; a++) {
		uint32_t idx = cls_find(g, &k[a], h[a]);

		if (idx < best[act[a]]) {
			best[act[a]] = idx;
			better = true;
		}
	}
	return better;
}

/* cls_lookup() for up to CLS_CHUNK packets at once, group by group. */
static void
cls_lookup_chunk(const struct cls_dir *d, const struct pkt_sel *sels, size_t n, uint32_t *best)
{
	struct cls_in in[CLS_CHUNK];
	uint32_t worst = CLS_NONE;

	for (size_t i = 0; i < n; i++) {
		cls_input(&sels[i], &in[i]);
		best[i] = CLS_NONE;
	}
	for (uint32_t gi = 0; gi < d->ngroups; gi++) {
		const struct cls_group *g = &d->groups[gi];

		/* As in cls_lookup(): stop once no packet can still improve. */
		if (g->min_idx >= worst)
			break;
		if (!cls_probe_group(g, in, n, best))
			continue;
		worst = 0;
		for (size_t i = 0; i < n; i++)
			worst = best[i] > worst ? best[i] : worst;
	}
}

static size_t
cls_pow2_at_least(size_t n)
{
	size_t p = 2;

	while (p < n)
		p <<= 1;
	return p;
}

static uint32_t
cls_hash32(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x7feb352dU;
	x ^= x >> 15;
	x *= 0x846ca68bU;
	return x ^ (x >> 16);
}

/* Append a group for sp's shape and return its index, or CLS_NONE on ENOMEM. */
static uint32_t
cls_group_new(struct cls_dir *d, uint32_t *cap, const struct sp *sp, uint32_t idx)
{
	if (d->ngroups == *cap) {
		uint32_t ncap = *cap == 0 ? 16 : *cap * 2;
		struct cls_group *g = reallocarray(d->groups, ncap, sizeof(*g));

		if (g == NULL)
			return CLS_NONE;
		d->groups = g;
		*cap = ncap;
	}
	cls_group_init(&d->groups[d->ngroups], sp, idx);
	return d->ngroups++;
}

/* Assign every rule to the group of its shape (rule_group[i]), creating groups in order of
 * first appearance, which is their priority order. Returns 0 or -1 on ENOMEM. */
static int
cls_make_groups(struct cls_dir *d, uint32_t *rule_group)
{
	size_t cap = cls_pow2_at_least((size_t)d->nrules * 2);
	uint32_t *keys = calloc(cap, sizeof(*keys)); /* shape + 1; 0 is empty */
	uint32_t *vals = calloc(cap, sizeof(*vals));
	uint32_t gcap = 0;
	int rc = -1;

	if (keys == NULL || vals == NULL)
		goto out_free;
	for (uint32_t i = 0; i < d->nrules; i++) {
		const struct sp *sp = d->rules[i].sp;
		uint32_t shape = cls_shape(sp) + 1;
		size_t h = cls_hash32(shape) & (cap - 1);

		while (keys[h] != 0 && keys[h] != shape)
			h = (h + 1) & (cap - 1);
		if (keys[h] == 0) {
			vals[h] = cls_group_new(d, &gcap, sp, i);
			if (vals[h] == CLS_NONE)
				goto out_free;
			keys[h] = shape;
		}
		d->groups[vals[h]].count++;
		rule_group[i] = vals[h];
	}
	rc = 0;
out_free:
	free(vals);
	free(keys);
	return rc;
}

/* Give every group its table in one block and fill the tables in rule order. The load stays at
 * most a quarter: most probes are misses, and they end sooner (and with better predicted
 * branches) at an empty slot. */
static int
cls_fill(struct cls_dir *d, const uint32_t *rule_group)
{
	size_t total = 0;
	size_t off = 0;

	if (d->nrules == 0 || d->ngroups == 0)
		return 0;
	for (uint32_t g = 0; g < d->ngroups; g++)
		total += cls_pow2_at_least((size_t)d->groups[g].count * 4);
	d->slots = calloc(total, sizeof(*d->slots));
	d->keys = calloc(d->nrules, sizeof(*d->keys));
	if (d->slots == NULL || d->keys == NULL)
		return -1;
	for (size_t i = 0; i < total; i++)
		d->slots[i].idx = CLS_NONE;
	d->pipeline = total * sizeof(*d->slots) > CLS_PIPELINE_BYTES;
	for (uint32_t g = 0; g < d->ngroups; g++) {
		size_t size = cls_pow2_at_least((size_t)d->groups[g].count * 4);

		d->groups[g].slots = &d->slots[off];
		d->groups[g].keys = d->keys;
		d->groups[g].slot_mask = size - 1;
		off += size;
	}
	for (uint32_t i = 0; i < d->nrules; i++) {
		struct cls_group *g = &d->groups[rule_group[i]];

		cls_key_of_sp(g, d->rules[i].sp, &d->keys[i]);
		cls_insert(g, i);
	}
	return 0;
}

static void
cls_dir_fini(struct cls_dir *d)
{
	for (uint32_t i = 0; i < d->nrules; i++) {
		if (d->rules[i].sa != NULL)
			sa_unref(d->rules[i].sa);
		sp_unref(d->rules[i].sp);
	}
	free(d->rules);
	free(d->groups);
	free(d->slots);
	free(d->keys);
}

/* Take the direction's policies (with references on them and their SAs) and compile them. */
static int
cls_dir_build(struct cls_dir *d, const struct spd *spd, enum sp_dir dir)
{
	size_t n = 0;
	uint32_t *rule_group;
	int rc;

	for (size_t i = 0; i < spd_count(spd); i++)
		n += spd_at(spd, i)->dir == dir;
	/* Rule indices are uint32_t with CLS_NONE reserved. */
	if (n >= CLS_NONE)
		return -1;
	d->rules = calloc(n == 0 ? 1 : n, sizeof(*d->rules));
	if (d->rules == NULL)
		return -1;
	for (size_t i = 0; i < spd_count(spd); i++) {
		struct sp *sp = spd_at(spd, i);
		struct sp_rule *r = &d->rules[d->nrules];

		if (sp->dir != dir)
			continue;
		sp_ref(sp);
		r->sp = sp;
		/* The binding is frozen: later rebinds are seen by the next snapshot. */
		r->sa = sp->sa;
		if (r->sa != NULL)
			sa_ref(r->sa);
		d->nrules++;
	}
	if (n == 0)
		return 0;
	rule_group = calloc(n, sizeof(*rule_group));
	if (rule_group == NULL)
		return -1;
	rc = cls_make_groups(d, rule_group);
	if (rc == 0)
		rc = cls_fill(d, rule_group);
	free(rule_group);
	return rc;
}

struct spd_snap *
spd_snapshot(const struct spd *spd)
{
	struct spd_snap *snap = calloc(1, sizeof(*snap));

	if (snap == NULL)
		return NULL;
	if (cls_dir_build(&snap->dir[SP_DIR_IN], spd, SP_DIR_IN) < 0 ||
	    cls_dir_build(&snap->dir[SP_DIR_OUT], spd, SP_DIR_OUT) < 0) {
		spd_snap_free(snap);
		return NULL;
	}
	return snap;
}

void
spd_snap_free(struct spd_snap *snap)
{
	if (snap == NULL)
		return;
	cls_dir_fini(&snap->dir[SP_DIR_IN]);
	cls_dir_fini(&snap->dir[SP_DIR_OUT]);
	free(snap);
}

static const struct cls_dir *
cls_dir_of(const struct spd_snap *snap, enum sp_dir dir)
{
	if (snap == NULL || (dir != SP_DIR_IN && dir != SP_DIR_OUT))
		return NULL;
	return &snap->dir[dir];
}

/* The rule at idx (NULL for CLS_NONE), its match counted. */
static const struct sp_rule *
cls_result(const struct cls_dir *d, uint32_t idx)
{
	if (idx == CLS_NONE)
		return NULL;
	atomic_fetch_add_explicit(&d->rules[idx].sp->matches, 1, memory_order_relaxed);
	return &d->rules[idx];
}

const struct sp_rule *
spd_snap_lookup(const struct spd_snap *snap, enum sp_dir dir, const struct pkt_sel *sel)
{
	const struct cls_dir *d = cls_dir_of(snap, dir);
	uint32_t idx;

	if (d == NULL)
		return NULL;
	idx = cls_lookup(d, sel);
	return cls_result(d, idx);
}

/* Small tables stay in cache: nothing to overlap, so no pipeline. Packets of one flow come in
 * runs: a selector like the one before it has its answer, and a run's matches are counted at
 * once. */
static void
spd_snap_lookup_runs(const struct spd_snap *snap, enum sp_dir dir, const struct pkt_sel *sels,
    size_t n, const struct sp_rule **out)
{
	uint64_t again = 0;

	for (size_t k = 0; k < n; k++) {
		if (k > 0 && pkt_sel_equal(&sels[k], &sels[k - 1])) {
			out[k] = out[k - 1];
			again++;
			continue;
		}
		if (k > 0)
			spd_rule_count(out[k - 1], again);
		again = 0;
		out[k] = spd_snap_lookup(snap, dir, &sels[k]);
	}
	if (n > 0)
		spd_rule_count(out[n - 1], again);
}

void
spd_snap_lookup_burst(const struct spd_snap *snap, enum sp_dir dir, const struct pkt_sel *sels,
    size_t n, const struct sp_rule **out)
{
	const struct cls_dir *d = cls_dir_of(snap, dir);
	uint32_t best[CLS_CHUNK];

	for (size_t done = 0; done < n; done += CLS_CHUNK) {
		size_t m = n - done < CLS_CHUNK ? n - done : CLS_CHUNK;

		if (d == NULL || !d->pipeline) {
			spd_snap_lookup_runs(snap, dir, &sels[done], m, &out[done]);
			continue;
		}
		cls_lookup_chunk(d, &sels[done], m, best);
		for (size_t i = 0; i < m; i++)
			out[done + i] = cls_result(d, best[i]);
	}
}

void
spd_rule_count(const struct sp_rule *r, uint64_t n)
{
	if (r != NULL && n != 0)
		atomic_fetch_add_explicit(&r->sp->matches, n, memory_order_relaxed);
}

bool
spd_snap_check_inbound(const struct spd_snap *snap, const struct pkt_sel *sel, const struct sa *sa)
{
	return spd_rule_allows_inbound(spd_snap_lookup(snap, SP_DIR_IN, sel), sel, sa);
}

bool
spd_rule_allows_inbound(const struct sp_rule *r, const struct pkt_sel *sel, const struct sa *sa)
{
	if (r == NULL || r->sp->action != SP_ACTION_IPSEC)
		return false;
	/* The SA the policy is bound to, or one that SA replaced (sad_rekey()) in its grace. */
	if (r->sa != NULL)
		return r->sa == sa || (sa->retired != 0 && strcmp(r->sa->name, sa->name) == 0);
	/* A policy that names an SA which is gone protects nothing: its traffic is discarded
	 * (CLI.md, sa remove --remove-all), never served by some other SA. */
	if (r->sp->sa_name[0] != '\0')
		return false;
	/* KAME style: any SA of the policy's mode whose endpoints are the packet's (RFC 4301
	 * section 5.2: the SA must be one the policy allows). In tunnel mode the SA's endpoints
	 * are the outer addresses, already checked by the SAD lookup. */
	if (r->sp->mode != sa->mode)
		return false;
	if (sa->mode == SA_MODE_TUNNEL)
		return true;
	return (addr_is_any(&sa->src) || addr_equal(&sa->src, &sel->src)) &&
	    (addr_is_any(&sa->dst) || addr_equal(&sa->dst, &sel->dst));
}
