// SPDX-License-Identifier: MIT
/* Differential test of the SPD classifier: random policy sets (1 to 2000 policies over shared
 * prefixes, so that they overlap and shadow each other) and random packets, most aimed at some
 * policy, and a few sets of 20,000; spd_snap_lookup_burst() and spd_snap_lookup() must return
 * the policy a linear scan with sp_match() finds, every time, before and after removals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ipsec6/spd.h"
#include "testlib.h"

#define MODEL_ROUNDS         150
#define MODEL_LOOKUPS        1600 /* per round, split between two snapshots */
#define MODEL_MAX_POLICIES   2000
#define MODEL_LARGE_POLICIES 20000
#define MODEL_BASES          6
#define MODEL_SAS            3
#define MODEL_SEED_DEFAULT   0x5bd1e995c1a551fULL

/* The state of tl_rand_next(), from the seed that a failure prints. */
static uint64_t rng_state;

/* Addresses near each other: a few /24../48 bases that every prefix and packet starts from. */
struct model_world {
	struct in6_addr base[MODEL_BASES];
	uint8_t base_len[MODEL_BASES];
	struct sa *sas[MODEL_SAS];
};

static void
addr_random_bits(struct in6_addr *a, unsigned from_bit)
{
	for (unsigned b = from_bit; b < 128; b++) {
		uint8_t bit = (uint8_t)(0x80u >> (b % 8));

		if (tl_rand_next(&rng_state) >> 63)
			a->s6_addr[b / 8] |= bit;
		else
			a->s6_addr[b / 8] &= (uint8_t)~bit;
	}
}

static void
addr_clear_from(struct in6_addr *a, unsigned len)
{
	for (unsigned b = len; b < 128; b++)
		a->s6_addr[b / 8] &= (uint8_t) ~(0x80u >> (b % 8));
}

static void
world_init(struct model_world *w)
{
	static const uint8_t lens[MODEL_BASES] = { 24, 32, 32, 40, 48, 48 };

	for (int i = 0; i < MODEL_BASES; i++) {
		memset(&w->base[i], 0, sizeof(w->base[i]));
		w->base[i].s6_addr[0] = 0x20;
		w->base[i].s6_addr[1] = 0x01;
		w->base[i].s6_addr[2] = 0x0d;
		addr_random_bits(&w->base[i], 24);
		/* Two bases share their first 32 bits, so their prefixes nest. */
		if (i == 2)
			memcpy(&w->base[2], &w->base[1], 4);
		w->base_len[i] = lens[i];
	}
}

static struct prefix6
random_prefix(const struct model_world *w)
{
	static const uint8_t lens[] = { 0, 8, 16, 24, 32, 33, 40, 47, 48, 56, 63, 64, 65, 80, 96,
		112, 120, 127, 128 };
	struct prefix6 p;
	int b = (int)tl_rand_below(&rng_state, MODEL_BASES);

	if (tl_rand_below(&rng_state, 4) == 0) {
		memset(&p, 0, sizeof(p)); /* any */
		return p;
	}
	p.addr = w->base[b];
	/* Few distinct bits past the base: many policies share a prefix exactly. */
	p.addr.s6_addr[15] = (uint8_t)tl_rand_below(&rng_state, 4);
	p.addr.s6_addr[7] = (uint8_t)tl_rand_below(&rng_state, 3);
	if (tl_rand_below(&rng_state, 3) == 0)
		addr_random_bits(&p.addr, w->base_len[b]);
	p.len = tl_rand_below(&rng_state, 3) == 0 ? (uint8_t)tl_rand_below(&rng_state, 129)
						  : lens[tl_rand_below(&rng_state, sizeof(lens))];
	addr_clear_from(&p.addr, p.len);
	return p;
}

static int32_t
random_port(void)
{
	static const int32_t common[] = { 0, 22, 53, 80, 443, 500, 4500, 8080, 65535 };

	if (tl_rand_below(&rng_state, 5) == 0)
		return (int32_t)tl_rand_below(&rng_state, 65536);
	return common[tl_rand_below(&rng_state, sizeof(common) / sizeof(common[0]))];
}

static int32_t
random_icmp_type(void)
{
	static const int32_t common[] = { 1, 2, 128, 129, 135, 136 };

	if (tl_rand_below(&rng_state, 4) == 0)
		return (int32_t)tl_rand_below(&rng_state, 256);
	return common[tl_rand_below(&rng_state, sizeof(common) / sizeof(common[0]))];
}

static void
random_upper_layer(struct sp_spec *s)
{
	uint32_t k = tl_rand_below(&rng_state, 20);

	s->sport = SP_PORT_ANY;
	s->dport = SP_PORT_ANY;
	if (k < 8) {
		s->proto = SP_PROTO_ANY;
	} else if (k < 17) {
		s->proto = k < 13 ? IPPROTO_TCP : IPPROTO_UDP;
		if (tl_rand_below(&rng_state, 3) == 0)
			s->sport = random_port();
		if (tl_rand_below(&rng_state, 2) == 0)
			s->dport = random_port();
	} else {
		s->proto = IPPROTO_ICMPV6;
		if (tl_rand_below(&rng_state, 2) == 0)
			s->dport = random_icmp_type();
	}
}

static void
add_random_policy(struct spd *spd, const struct model_world *w, unsigned serial)
{
	struct sp_spec s;
	struct sa *bound = NULL;
	struct err e = { "" };
	int rc;

	memset(&s, 0, sizeof(s));
	snprintf(s.name, sizeof(s.name), "p%u", serial);
	s.src = random_prefix(w);
	s.dst = random_prefix(w);
	random_upper_layer(&s);
	s.dir = tl_rand_below(&rng_state, 2) ? SP_DIR_IN : SP_DIR_OUT;
	s.action = (enum sp_action)tl_rand_below(&rng_state, 3);
	if (s.action == SP_ACTION_IPSEC && tl_rand_below(&rng_state, 2) == 0) {
		bound = w->sas[tl_rand_below(&rng_state, MODEL_SAS)];
		snprintf(s.sa_name, sizeof(s.sa_name), "%s", bound->name);
	}
	rc = spd_add(spd, &s, bound, &e);
	if (rc != 0)
		fail_msg("random policy refused: %s", e.msg);
}

/* A packet aimed at policy sp (when given): addresses inside its prefixes, its protocol and
 * ports where it has them; otherwise around a random base. Then some damage: absent ports,
 * non-first fragments, another protocol. */
static struct pkt_sel
random_packet(const struct model_world *w, const struct sp *sp)
{
	static const int protos[] = { IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMPV6, -1, 50, 0 };
	struct pkt_sel p;

	memset(&p, 0, sizeof(p));
	p.src = sp != NULL ? sp->src.addr : w->base[tl_rand_below(&rng_state, MODEL_BASES)];
	p.dst = sp != NULL ? sp->dst.addr : w->base[tl_rand_below(&rng_state, MODEL_BASES)];
	addr_random_bits(&p.src, sp != NULL ? sp->src.len : 48u + tl_rand_below(&rng_state, 81));
	addr_random_bits(&p.dst, sp != NULL ? sp->dst.len : 48u + tl_rand_below(&rng_state, 81));
	p.proto = sp != NULL && sp->proto != SP_PROTO_ANY
	    ? sp->proto
	    : protos[tl_rand_below(&rng_state, sizeof(protos) / sizeof(int))];
	p.sport = sp != NULL && sp->sport != SP_PORT_ANY ? sp->sport : random_port();
	p.dport = sp != NULL && sp->dport != SP_PORT_ANY ? sp->dport : random_port();
	if (p.proto == IPPROTO_ICMPV6) {
		p.sport = -1;
		if (sp == NULL || sp->dport == SP_PORT_ANY)
			p.dport = random_icmp_type();
	}
	switch (tl_rand_below(&rng_state, 12)) {
	case 0:
		p.sport = -1;
		p.dport = -1;
		break;
	case 1:
		p.nonfirst_frag = true;
		p.sport = -1;
		p.dport = -1;
		break;
	case 2:
		p.nonfirst_frag = true; /* ports left in: they must be ignored */
		break;
	case 3:
		p.proto = protos[tl_rand_below(&rng_state, sizeof(protos) / sizeof(int))];
		break;
	case 4:
		p.dport = random_port();
		break;
	default:
		break;
	}
	if (p.proto < 0 || p.proto == 50 || p.proto == 0) {
		p.sport = -1;
		p.dport = -1;
	}
	return p;
}

static void
report_mismatch(const struct pkt_sel *p, enum sp_dir dir, const struct sp *want,
    const struct sp *got, unsigned round)
{
	char src[ADDR_TEXT_MAX];
	char dst[ADDR_TEXT_MAX];

	print_error("round %u dir %s packet %s -> %s proto %d ports %d/%d frag %d\n", round,
	    sp_dir_name(dir), addr_format(&p->src, src), addr_format(&p->dst, dst), p->proto,
	    (int)p->sport, (int)p->dport, p->nonfirst_frag);
	print_error("linear: %s, classifier: %s\n", want ? want->name : "(none)",
	    got ? got->name : "(none)");
	fail();
}

/* Look up n packets in both ways; returns how many matched some policy. */
static unsigned
compare_lookups(const struct spd *spd, const struct spd_snap *snap, const struct model_world *w,
    unsigned n, unsigned round)
{
	enum {
		BURST = 32
	};
	struct pkt_sel sels[BURST];
	const struct sp_rule *out[BURST];
	unsigned hits = 0;

	for (unsigned done = 0, m; done < n; done += m) {
		enum sp_dir dir = tl_rand_below(&rng_state, 2) ? SP_DIR_IN : SP_DIR_OUT;
		size_t count = spd_count(spd);

		/* Bursts of every length up to BURST, full ones most often. */
		m = tl_rand_below(&rng_state, 3) == 0 ? 1 + tl_rand_below(&rng_state, BURST)
						      : BURST;
		m = m < n - done ? m : n - done;
		for (unsigned i = 0; i < m; i++) {
			const struct sp *aim = NULL;

			/* Aim at a policy of this direction, mostly (a few tries). */
			for (int t = 0; t < 4 && count > 0 && tl_rand_below(&rng_state, 10) < 8;
			     t++) {
				aim = spd_at(spd, tl_rand_below(&rng_state, (uint32_t)count));
				if (aim->dir == dir)
					break;
			}
			sels[i] = random_packet(w, aim);
		}
		spd_snap_lookup_burst(snap, dir, sels, m, out);
		for (unsigned i = 0; i < m; i++) {
			const struct sp *want = tl_spd_linear_lookup(spd, dir, &sels[i]);
			const struct sp *got = out[i] != NULL ? out[i]->sp : NULL;
			const struct sp_rule *one = spd_snap_lookup(snap, dir, &sels[i]);

			if (want != got)
				report_mismatch(&sels[i], dir, want, got, round);
			if (one != out[i])
				fail_msg(
				    "round %u: single lookup differs from burst lookup", round);
			/* The rule carries the binding the policy had at snapshot time. */
			if (out[i] != NULL && out[i]->sa != want->sa)
				fail_msg("round %u: rule SA differs from policy SA", round);
			hits += want != NULL;
		}
	}
	return hits;
}

static unsigned
random_size(unsigned round)
{
	/* Now and then a set large enough that the burst lookup takes its prefetching path. */
	if (round % 50 == 49)
		return MODEL_LARGE_POLICIES;
	/* Log-uniform over 1..2000, with the extremes forced now and then. */
	switch (tl_rand_below(&rng_state, 10)) {
	case 0:
		return 1;
	case 1:
		return MODEL_MAX_POLICIES;
	default:
		return 1u +
		    (unsigned)(tl_rand_below(&rng_state, 1u << tl_rand_below(&rng_state, 12)) %
			MODEL_MAX_POLICIES);
	}
}

static void
model_round(const struct model_world *w, unsigned round, uint64_t *lookups, uint64_t *hits)
{
	struct spd *spd = spd_new();
	unsigned n = random_size(round);
	struct spd_snap *snap;

	assert_non_null(spd);
	for (unsigned i = 0; i < n; i++)
		add_random_policy(spd, w, i);
	snap = spd_snapshot(spd);
	assert_non_null(snap);
	*hits += compare_lookups(spd, snap, w, MODEL_LOOKUPS / 2, round);
	spd_snap_free(snap);

	/* Remove about a tenth (order of the rest is kept), then compare again. */
	for (unsigned i = 0; i < n / 10 + 1 && spd_count(spd) > 0; i++)
		spd_remove(spd, spd_at(spd, tl_rand_below(&rng_state, (uint32_t)spd_count(spd))));
	snap = spd_snapshot(spd);
	assert_non_null(snap);
	*hits += compare_lookups(spd, snap, w, MODEL_LOOKUPS / 2, round);
	*lookups += MODEL_LOOKUPS;
	spd_free(spd); /* before the snapshot: it must stand on its own references */
	spd_snap_free(snap);
}

static void
test_classifier_matches_linear_scan(void **state)
{
	uint64_t seed = MODEL_SEED_DEFAULT;
	const char *env = getenv("IPSEC6_TEST_SEED");
	struct model_world w;
	uint64_t lookups = 0;
	uint64_t hits = 0;

	if (env != NULL)
		seed = strtoull(env, NULL, 0);
	printf(
	    "spd model: seed 0x%llx (set IPSEC6_TEST_SEED to change)\n", (unsigned long long)seed);
	rng_state = seed != 0 ? seed : 1;
	world_init(&w);
	for (int i = 0; i < MODEL_SAS; i++) {
		w.sas[i] = calloc(1, sizeof(*w.sas[i]));
		assert_non_null(w.sas[i]);
		snprintf(w.sas[i]->name, sizeof(w.sas[i]->name), "sa%d", i);
		w.sas[i]->mode = SA_MODE_TRANSPORT;
		atomic_init(&w.sas[i]->ref, 1);
	}
	for (unsigned r = 0; r < MODEL_ROUNDS; r++)
		model_round(&w, r, &lookups, &hits);
	printf("spd model: %llu lookups, %llu matched a policy\n", (unsigned long long)lookups,
	    (unsigned long long)hits);
	assert_true(lookups >= 200000);
	/* Most packets are aimed at a policy; the comparison must mostly be about real matches. */
	assert_true(hits > lookups / 3);
	for (int i = 0; i < MODEL_SAS; i++) {
		assert_int_equal(w.sas[i]->users, 0);
		assert_int_equal(atomic_load(&w.sas[i]->ref), 1);
		sa_unref(w.sas[i]);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classifier_matches_linear_scan),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
