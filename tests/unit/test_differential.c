// SPDX-License-Identifier: MIT
/* Differential test of the two crypto backends through the whole engine: random packets
 * (sizes, protocols, extension headers, transport and tunnel mode) in random bursts, the same
 * IVs on both sides. OpenSSL and intel-ipsec-mb must write byte-identical ESP, and each must
 * decapsulate the other's output and its own back to the original packet. Every algorithm pair
 * twice: with 32-bit sequence numbers, and with extended ones (RFC 4303 section 2.2.1) that
 * start below 2^32 and cross it under way. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "ipsec6/bytes.h"
#include "ipsec6/crypto.h"
#include "ipsec6/db.h"
#include "ipsec6/engine.h"
#include "ipsec6/esp.h"
#include "ipsec6/pkt.h"
#include "ipsec6/sad.h"
#include "testlib.h"

#define PACKETS_PER_PAIR 6000
#define PAYLOAD_MAX      1400 /* bytes after the IPv6 header */
#define PKT_MAX          (IPV6_HDR_LEN + PAYLOAD_MAX)

/* IVs from the test's PRNG: both backends of a pair draw the same ones. */
static void
rnd_iv(void *arg, uint8_t *iv, size_t len)
{
	tl_rand_fill(arg, iv, len);
}

/* One engine over its own database, with IVs from iv_state when it sends. */
struct side {
	struct tl_host h;
	uint64_t iv_state;
};

/* Both SAs from A to B: transport for A to B itself, tunnel for the networks behind them (with
 * AES-GCM under a key of its own: no two SAs may share one). */
static void
conf_text(char *text, size_t size, const struct tl_algo_pair *ap)
{
	struct tl_algo_pair tu = *ap;

	if (ap->auth == NULL)
		tu.enc_key =
		    strcmp(ap->enc, "aes128-gcm16") == 0 ? TL_KEY_GCM128_2 : TL_KEY_GCM256_2;
	text[0] = '\0';
	tl_text_sa(text, size, "tr", TL_ADDR_A, TL_ADDR_B, 0x1000, "transport", ap);
	tl_text_sa(text, size, "tu", TL_ADDR_A, TL_ADDR_B, 0x1001, "tunnel", &tu);
	tl_text_line(text, size,
	    "sp add --sp-name=otr --sp-source=any --sp-destination=" TL_ADDR_B "/128"
	    " --flow-direction=out --action=ipsec --sa-name=tr");
	tl_text_line(text, size,
	    "sp add --sp-name=otu --sp-source=any --sp-destination=2001:db8:2::/48"
	    " --flow-direction=out --action=ipsec --sa-name=tu");
	tl_text_line(text, size,
	    "sp add --sp-name=itr --sp-source=any --sp-destination=" TL_ADDR_B "/128"
	    " --flow-direction=in --action=ipsec --sa-name=tr");
	tl_text_line(text, size,
	    "sp add --sp-name=itu --sp-source=any --sp-destination=2001:db8:2::/48"
	    " --flow-direction=in --action=ipsec --sa-name=tu");
}

static void
side_open(struct side *s, enum crypto_backend backend, const char *text, uint64_t iv_seed)
{
	tl_host_open(&s->h, backend, text);
	s->iv_state = iv_seed;
	engine_set_iv_source(s->h.eng, rnd_iv, &s->iv_state);
}

/* Extension header chains to choose from (RFC 8200 section 4.1 order, and some that are not
 * in it but are still well-formed). */
static const struct {
	uint8_t kinds[4];
	size_t n;
} chains[] = {
	{ { 0 }, 0 },
	{ { 0 }, 1 },
	{ { 60 }, 1 },
	{ { 43 }, 1 },
	{ { 44 }, 1 },
	{ { 0, 60 }, 2 },
	{ { 60, 43 }, 2 },
	{ { 0, 43, 44 }, 3 },
	{ { 0, 60, 43, 60 }, 4 },
	{ { 0, 44, 60 }, 3 },
};

static const uint8_t protos[] = { IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMPV6, 47, 132, 253 };

/* A random well-formed packet at d, transport (A to B) or tunnel (between the networks
 * behind them). Returns its length. */
static uint32_t
random_pkt(uint64_t *r, uint8_t *d, bool tunnel)
{
	uint32_t plen = 1 + tl_rand_below(r, PAYLOAD_MAX);
	size_t c =
	    tl_rand_below(r, 3) == 0 ? tl_rand_below(r, sizeof(chains) / sizeof(chains[0])) : 0;
	uint8_t proto = protos[tl_rand_below(r, sizeof(protos))];
	uint32_t off = IPV6_HDR_LEN;
	uint8_t *nh = d + 6;

	if (plen < 8 * chains[c].n + 4)
		c = 0;
	if (plen < 4)
		proto = 253; /* too short for ports */
	/* Transport mode keeps no flow label: the socket does not report it (esp_meta). */
	store_be32(d,
	    (uint32_t)6 << 28 | tl_rand_below(r, 256) << 20 |
		(tunnel ? tl_rand_below(r, 1u << 20) : 0));
	store_be16(d + 4, (uint16_t)plen);
	d[7] = (uint8_t)(1 + tl_rand_below(r, 255));
	tl_addr_bytes(tunnel ? "2001:db8:3::" : TL_ADDR_A, d + 8);
	tl_addr_bytes(tunnel ? "2001:db8:2::" : TL_ADDR_B, d + 24);
	if (tunnel) {
		for (size_t i = 10; i < 16; i++) {
			d[8 + i] = (uint8_t)tl_rand_next(r);
			d[24 + i] = (uint8_t)tl_rand_next(r);
		}
	}
	for (size_t i = 0; i < chains[c].n; i++) {
		uint8_t *h = d + off;

		*nh = chains[c].kinds[i];
		for (size_t j = 0; j < 8; j++)
			h[j] = (uint8_t)tl_rand_next(r);
		h[1] = 0; /* 8 bytes */
		if (chains[c].kinds[i] != 44) {
			/* Options: one PadN over the rest. Routing: type 1, segments left 4; no
			 * node here processes it. Fragments: offset, flags and id as drawn. */
			h[2] = 1;
			h[3] = 4;
		}
		nh = h;
		off += 8;
	}
	*nh = proto;
	uint32_t payload = off;

	for (; off < IPV6_HDR_LEN + plen; off++)
		d[off] = (uint8_t)tl_rand_next(r);
	/* Router solicitations, advertisements and redirects never come through an SA: the
	 * engine drops them (nd-router), and both backends agreeing on that is not the point. */
	if (proto == IPPROTO_ICMPV6 &&
	    (d[payload] == 133 || d[payload] == 134 || d[payload] == 137))
		d[payload] = 128;
	return off;
}

/* What the receiver must deliver for orig: in tunnel mode orig itself; in transport mode a
 * header rebuilt from what the socket saw (the same addresses, hop limit and traffic class
 * here) followed by what ESP protected (RFC 4303 section 3.1.1). */
static uint32_t
expected_inner(const uint8_t *orig, uint32_t len, bool tunnel, uint8_t *want)
{
	struct pkt_layout lay;

	memcpy(want, orig, len);
	if (tunnel)
		return len;
	assert_int_equal(pkt_layout(orig, len, &lay), PKT_DROP_NONE);
	want[6] = lay.nexthdr;
	store_be16(want + 4, (uint16_t)(len - lay.esp_off));
	memcpy(want + IPV6_HDR_LEN, orig + lay.esp_off, len - lay.esp_off);
	return IPV6_HDR_LEN + len - lay.esp_off;
}

/* Decapsulate rx->p[0, n) on side and compare with the expected inner packets. */
static void
check_decap(struct side *side, struct tl_burst *rx, size_t n, uint8_t (*want)[PKT_MAX],
    const uint32_t *want_len, const char *what)
{
	engine_in_burst(side->h.eng, side->h.snap, rx->p, rx->meta, n, rx->res);
	for (size_t i = 0; i < n; i++) {
		if (rx->res[i].verdict != ENGINE_DELIVER)
			fail_msg(
			    "%s: packet %zu dropped: %s", what, i, pkt_drop_name(rx->res[i].drop));
		assert_int_equal(rx->p[i].len, want_len[i]);
		assert_memory_equal(pkt_data(&rx->p[i]), want[i], want_len[i]);
	}
}

struct world {
	struct side o, m;   /* senders, which also receive their own output */
	struct side ox, mx; /* receivers of the other backend's output */
	struct tl_burst *so, *sm, *cx_o, *cx_m;
	uint8_t orig[ENGINE_BURST_MAX][PKT_MAX];
	uint8_t want[ENGINE_BURST_MAX][PKT_MAX];
	uint32_t len[ENGINE_BURST_MAX];
	uint32_t want_len[ENGINE_BURST_MAX];
};

/* One burst through all four engines. */
static void
run_burst(struct world *w, uint64_t *r, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		bool tunnel = tl_rand_below(r, 2) != 0;

		w->len[i] = random_pkt(r, w->orig[i], tunnel);
		w->want_len[i] = expected_inner(w->orig[i], w->len[i], tunnel, w->want[i]);
		tl_burst_set(w->so, i, w->orig[i], w->len[i]);
		tl_burst_set(w->sm, i, w->orig[i], w->len[i]);
	}
	engine_out_burst(w->o.h.eng, w->o.h.snap, w->so->p, n, w->so->res);
	engine_out_burst(w->m.h.eng, w->m.h.snap, w->sm->p, n, w->sm->res);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(w->so->res[i].verdict, ENGINE_PROTECT);
		assert_int_equal(w->sm->res[i].verdict, ENGINE_PROTECT);
		assert_int_equal(w->so->p[i].len, w->sm->p[i].len);
		assert_memory_equal(
		    pkt_data(&w->so->p[i]), pkt_data(&w->sm->p[i]), w->so->p[i].len);
		tl_to_esp(&w->so->p[i], &w->so->meta[i]);
		tl_to_esp(&w->sm->p[i], &w->sm->meta[i]);
		/* Received copies for the other backend. */
		tl_burst_set(w->cx_m, i, pkt_data(&w->so->p[i]), w->so->p[i].len);
		w->cx_m->meta[i] = w->so->meta[i];
		tl_burst_set(w->cx_o, i, pkt_data(&w->sm->p[i]), w->sm->p[i].len);
		w->cx_o->meta[i] = w->sm->meta[i];
	}
	check_decap(&w->mx, w->cx_m, n, w->want, w->want_len, "ipsec-mb decap of openssl");
	check_decap(&w->ox, w->cx_o, n, w->want, w->want_len, "openssl decap of ipsec-mb");
	check_decap(&w->o, w->so, n, w->want, w->want_len, "openssl decap of its own");
	check_decap(&w->m, w->sm, n, w->want, w->want_len, "ipsec-mb decap of its own");
}

/* With ESN, every SA of side starts numbering at 2^32 - ESN_BEFORE. */
#define ESN_BEFORE 2000u

static void
side_start_high(struct side *s)
{
	const struct sad *sad = db_sad(s->h.db);

	for (size_t i = 0; i < sad_count(sad); i++)
		atomic_store(&sad_at(sad, i)->live->seq_out, ((uint64_t)1 << 32) - ESN_BEFORE);
}

static void
test_backends_agree(void **state)
{
	size_t k = *(const size_t *)*state % TL_NPAIRS;
	bool esn = *(const size_t *)*state >= TL_NPAIRS;
	struct tl_algo_pair pair = tl_pairs[k];
	const struct tl_algo_pair *ap = &pair;
	struct world *w = calloc(1, sizeof(*w));
	uint64_t seed = 0x9e3779b97f4a7c15ull ^ (uint64_t)k;
	uint64_t r = seed;
	char text[4096];
	struct timespec t0, t1;
	size_t done = 0;

	assert_non_null(w);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	w->so = tl_burst_new();
	w->sm = tl_burst_new();
	w->cx_o = tl_burst_new();
	w->cx_m = tl_burst_new();
	pair.esn = esn;
	conf_text(text, sizeof(text), ap);
	side_open(&w->o, CRYPTO_BACKEND_OPENSSL, text, seed + 1);
	side_open(&w->m, CRYPTO_BACKEND_IPSECMB, text, seed + 1);
	side_open(&w->ox, CRYPTO_BACKEND_OPENSSL, text, 0);
	side_open(&w->mx, CRYPTO_BACKEND_IPSECMB, text, 0);
	if (esn) {
		side_start_high(&w->o);
		side_start_high(&w->m);
	}
	print_message("%s+%s: seed 0x%016llx\n", ap->enc, ap->auth != NULL ? ap->auth : "",
	    (unsigned long long)seed);
	while (done < PACKETS_PER_PAIR) {
		size_t n = 1 + tl_rand_below(&r, ENGINE_BURST_MAX);

		if (n > PACKETS_PER_PAIR - done)
			n = PACKETS_PER_PAIR - done;
		run_burst(w, &r, n);
		done += n;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	/* With ESN the numbers crossed 2^32: the high half went into ICVs and AADs as 1. */
	if (esn)
		assert_true(atomic_load(&tl_host_sa(&w->o.h, "tr")->live->seq_out) +
			atomic_load(&tl_host_sa(&w->o.h, "tu")->live->seq_out) >
		    ((uint64_t)2 << 32));
	print_message("%s+%s: %zu packets in %.1f s\n", ap->enc, ap->auth != NULL ? ap->auth : "",
	    done, (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9);
	tl_host_close(&w->o.h);
	tl_host_close(&w->m.h);
	tl_host_close(&w->ox.h);
	tl_host_close(&w->mx.h);
	free(w->so);
	free(w->sm);
	free(w->cx_o);
	free(w->cx_m);
	free(w);
}

int
main(void)
{
	static size_t pair_index[2 * TL_NPAIRS];
	static char names[2 * TL_NPAIRS][64];
	struct CMUnitTest tests[2 * TL_NPAIRS];

	for (size_t k = 0; k < 2 * TL_NPAIRS; k++) {
		const struct tl_algo_pair *ap = &tl_pairs[k % TL_NPAIRS];

		pair_index[k] = k;
		(void)snprintf(names[k], sizeof(names[k]), "backends agree: %s+%s%s", ap->enc,
		    ap->auth != NULL ? ap->auth : "", k >= TL_NPAIRS ? " esn" : "");
		tests[k] = (struct CMUnitTest){ .name = names[k],
			.test_func = test_backends_agree,
			.initial_state = &pair_index[k] };
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
