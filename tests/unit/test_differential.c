// SPDX-License-Identifier: MIT
/* Differential test of the two crypto backends through the whole engine: random packets
 * (sizes, protocols, extension headers, transport and tunnel mode) in random bursts, the same
 * IVs on both sides. OpenSSL and intel-ipsec-mb must write byte-identical ESP, and each must
 * decapsulate the other's output and its own back to the original packet. */
#include <arpa/inet.h>

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
#include "ipsec6/conf.h"
#include "ipsec6/crypto.h"
#include "ipsec6/db.h"
#include "ipsec6/engine.h"
#include "ipsec6/esp.h"
#include "ipsec6/pkt.h"
#include "ipsec6/sad.h"

#define PACKETS_PER_PAIR 10000
#define PAYLOAD_MAX      1400 /* bytes after the IPv6 header */
#define SLOT_DATA        (IPV6_HDR_LEN + PAYLOAD_MAX)
#define SLOT_SIZE        (PKT_HEADROOM + SLOT_DATA + PKT_TAILROOM)

#define ADDR_A "2001:db8:1::121"
#define ADDR_B "2001:db8:1::122"

#define KEY_3DES   "0x0123456789abcdeffedcba987654321089abcdef01234567"
#define KEY_AES    "0x00112233445566778899aabbccddeeff"
#define KEY_SHA1   "0x0102030405060708090a0b0c0d0e0f1011121314"
#define KEY_SHA256 "0x202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"

struct algo_pair {
	const char *enc;
	const char *auth;
	const char *enc_key; /* NULL for null */
	const char *auth_key;
};

static struct algo_pair pairs[] = {
	{ "null", "hmac-sha1", NULL, KEY_SHA1 },
	{ "null", "hmac-sha2-256", NULL, KEY_SHA256 },
	{ "3des-cbc", "hmac-sha1", KEY_3DES, KEY_SHA1 },
	{ "3des-cbc", "hmac-sha2-256", KEY_3DES, KEY_SHA256 },
	{ "aes128-cbc", "hmac-sha1", KEY_AES, KEY_SHA1 },
	{ "aes128-cbc", "hmac-sha2-256", KEY_AES, KEY_SHA256 },
};

/* xorshift64*: the packets and the IVs, reproducible from the seed printed on failure. */
struct rnd {
	uint64_t s;
};

static uint64_t
rnd_next(struct rnd *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545f4914f6cdd1dull;
}

static uint32_t
rnd_below(struct rnd *r, uint32_t n)
{
	return (uint32_t)(rnd_next(r) % n);
}

static void
rnd_iv(void *arg, uint8_t *iv, size_t len)
{
	struct rnd *r = arg;

	for (size_t i = 0; i < len; i++)
		iv[i] = (uint8_t)rnd_next(r);
}

/* One engine over its own database. */
struct side {
	struct db *db;
	struct db_snap *snap;
	struct engine *eng;
	struct rnd iv; /* for senders */
};

/* Slots for one burst of one side: the packets, what the socket told, the verdicts. */
struct slots {
	uint8_t mem[ENGINE_BURST_MAX][SLOT_SIZE];
	struct pkt p[ENGINE_BURST_MAX];
	struct esp_meta meta[ENGINE_BURST_MAX];
	struct engine_result res[ENGINE_BURST_MAX];
};

/* Both SAs from A to B: transport for A to B itself, tunnel for the networks behind them. */
static void
conf_text(char *text, size_t size, const struct algo_pair *ap)
{
	char ekey[128] = "";
	int n;

	if (ap->enc_key != NULL)
		snprintf(ekey, sizeof(ekey), " --encryption-key=%s", ap->enc_key);
	n = snprintf(text, size,
	    "sa add --sa-name=tr --sa-source=" ADDR_A " --sa-destination=" ADDR_B
	    " --sa-spi=0x1000 --sa-mode=transport --encryption-algorithm=%s%s"
	    " --integrity-algorithm=%s --integrity-key=%s\n"
	    "sa add --sa-name=tu --sa-source=" ADDR_A " --sa-destination=" ADDR_B
	    " --sa-spi=0x1001 --sa-mode=tunnel --encryption-algorithm=%s%s"
	    " --integrity-algorithm=%s --integrity-key=%s\n"
	    "sp add --sp-name=otr --sp-source=any --sp-destination=" ADDR_B "/128"
	    " --flow-direction=out --action=ipsec --sa-name=tr\n"
	    "sp add --sp-name=otu --sp-source=any --sp-destination=2001:db8:2::/48"
	    " --flow-direction=out --action=ipsec --sa-name=tu\n"
	    "sp add --sp-name=itr --sp-source=any --sp-destination=" ADDR_B "/128"
	    " --flow-direction=in --action=ipsec --sa-name=tr\n"
	    "sp add --sp-name=itu --sp-source=any --sp-destination=2001:db8:2::/48"
	    " --flow-direction=in --action=ipsec --sa-name=tu\n",
	    ap->enc, ekey, ap->auth, ap->auth_key, ap->enc, ekey, ap->auth, ap->auth_key);
	assert_true(n > 0 && (size_t)n < size);
}

static void
side_open(struct side *s, enum crypto_backend backend, const char *text, uint64_t iv_seed)
{
	struct err err = { { 0 } };

	s->db = db_new(backend);
	assert_non_null(s->db);
	if (conf_load(s->db, text, strlen(text), &err) != 0)
		fail_msg("conf_load: %s", err.msg);
	s->snap = db_snapshot(s->db);
	assert_non_null(s->snap);
	if (engine_new(backend, &s->eng, &err) != 0)
		fail_msg("engine_new: %s", err.msg);
	s->iv.s = iv_seed;
	engine_set_iv_source(s->eng, rnd_iv, &s->iv);
}

static void
side_close(struct side *s)
{
	engine_free(s->eng);
	db_snap_free(s->snap);
	db_free(s->db);
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
random_pkt(struct rnd *r, uint8_t *d, bool tunnel)
{
	uint32_t plen = 1 + rnd_below(r, PAYLOAD_MAX);
	size_t c = rnd_below(r, 3) == 0 ? rnd_below(r, sizeof(chains) / sizeof(chains[0])) : 0;
	uint8_t proto = protos[rnd_below(r, sizeof(protos))];
	uint32_t off = IPV6_HDR_LEN;
	uint8_t *nh = d + 6;

	if (plen < 8 * chains[c].n + 4)
		c = 0;
	if (plen < 4)
		proto = 253; /* too short for ports */
	/* Transport mode keeps no flow label: the socket does not report it (esp_meta). */
	store_be32(
	    d, (uint32_t)6 << 28 | rnd_below(r, 256) << 20 | (tunnel ? rnd_below(r, 1u << 20) : 0));
	store_be16(d + 4, (uint16_t)plen);
	d[7] = (uint8_t)(1 + rnd_below(r, 255));
	assert_int_equal(inet_pton(AF_INET6, tunnel ? "2001:db8:3::" : ADDR_A, d + 8), 1);
	assert_int_equal(inet_pton(AF_INET6, tunnel ? "2001:db8:2::" : ADDR_B, d + 24), 1);
	if (tunnel) {
		for (size_t i = 10; i < 16; i++) {
			d[8 + i] = (uint8_t)rnd_next(r);
			d[24 + i] = (uint8_t)rnd_next(r);
		}
	}
	for (size_t i = 0; i < chains[c].n; i++) {
		uint8_t *h = d + off;

		*nh = chains[c].kinds[i];
		for (size_t j = 0; j < 8; j++)
			h[j] = (uint8_t)rnd_next(r);
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
	for (; off < IPV6_HDR_LEN + plen; off++)
		d[off] = (uint8_t)rnd_next(r);
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

static void
slot_set(struct slots *s, size_t i, const uint8_t *data, uint32_t len, uint32_t off)
{
	memcpy(s->mem[i] + off, data, len);
	s->p[i] = (struct pkt){ s->mem[i], SLOT_SIZE, off, len };
}

/* The raw ESP socket's view of an outbound packet. */
static void
to_esp(struct pkt *p, struct esp_meta *meta)
{
	const uint8_t *d = pkt_data(p);
	uint32_t off = IPV6_HDR_LEN;
	uint8_t nh = d[6];

	while (nh != 50) {
		uint8_t kind = nh;

		assert_true(kind == 0 || kind == 43 || kind == 44 || kind == 60);
		nh = d[off];
		off += kind == 44 ? 8 : ((uint32_t)d[off + 1] + 1) * 8;
	}
	memcpy(&meta->src, d + 8, 16);
	memcpy(&meta->dst, d + 24, 16);
	meta->hop_limit = d[7];
	meta->tclass = (uint8_t)((d[0] & 0x0f) << 4 | d[1] >> 4);
	p->off += off;
	p->len -= off;
}

/* Decapsulate rx->p[0, n) on side and compare with the expected inner packets. */
static void
check_decap(struct side *side, struct slots *rx, size_t n, uint8_t (*want)[SLOT_DATA],
    const uint32_t *want_len, const char *what)
{
	engine_in_burst(side->eng, side->snap, rx->p, rx->meta, n, rx->res);
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
	struct slots *so, *sm, *cx_o, *cx_m;
	uint8_t orig[ENGINE_BURST_MAX][SLOT_DATA];
	uint8_t want[ENGINE_BURST_MAX][SLOT_DATA];
	uint32_t len[ENGINE_BURST_MAX];
	uint32_t want_len[ENGINE_BURST_MAX];
};

/* One burst through all four engines. */
static void
run_burst(struct world *w, struct rnd *r, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		bool tunnel = rnd_below(r, 2) != 0;

		w->len[i] = random_pkt(r, w->orig[i], tunnel);
		w->want_len[i] = expected_inner(w->orig[i], w->len[i], tunnel, w->want[i]);
		slot_set(w->so, i, w->orig[i], w->len[i], PKT_HEADROOM);
		slot_set(w->sm, i, w->orig[i], w->len[i], PKT_HEADROOM);
	}
	engine_out_burst(w->o.eng, w->o.snap, w->so->p, n, w->so->res);
	engine_out_burst(w->m.eng, w->m.snap, w->sm->p, n, w->sm->res);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(w->so->res[i].verdict, ENGINE_PROTECT);
		assert_int_equal(w->sm->res[i].verdict, ENGINE_PROTECT);
		assert_int_equal(w->so->p[i].len, w->sm->p[i].len);
		assert_memory_equal(
		    pkt_data(&w->so->p[i]), pkt_data(&w->sm->p[i]), w->so->p[i].len);
		to_esp(&w->so->p[i], &w->so->meta[i]);
		to_esp(&w->sm->p[i], &w->sm->meta[i]);
		/* Received copies for the other backend. */
		slot_set(w->cx_m, i, pkt_data(&w->so->p[i]), w->so->p[i].len, PKT_HEADROOM);
		w->cx_m->meta[i] = w->so->meta[i];
		slot_set(w->cx_o, i, pkt_data(&w->sm->p[i]), w->sm->p[i].len, PKT_HEADROOM);
		w->cx_o->meta[i] = w->sm->meta[i];
	}
	check_decap(&w->mx, w->cx_m, n, w->want, w->want_len, "ipsec-mb decap of openssl");
	check_decap(&w->ox, w->cx_o, n, w->want, w->want_len, "openssl decap of ipsec-mb");
	check_decap(&w->o, w->so, n, w->want, w->want_len, "openssl decap of its own");
	check_decap(&w->m, w->sm, n, w->want, w->want_len, "ipsec-mb decap of its own");
}

static void
test_backends_agree(void **state)
{
	const struct algo_pair *ap = *state;
	struct world *w = calloc(1, sizeof(*w));
	uint64_t seed = 0x9e3779b97f4a7c15ull ^ (uint64_t)(ap - pairs);
	struct rnd r = { seed };
	char text[4096];
	struct timespec t0, t1;
	size_t done = 0;

	assert_non_null(w);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	w->so = calloc(1, sizeof(*w->so));
	w->sm = calloc(1, sizeof(*w->sm));
	w->cx_o = calloc(1, sizeof(*w->cx_o));
	w->cx_m = calloc(1, sizeof(*w->cx_m));
	assert_true(w->so != NULL && w->sm != NULL && w->cx_o != NULL && w->cx_m != NULL);
	conf_text(text, sizeof(text), ap);
	side_open(&w->o, CRYPTO_BACKEND_OPENSSL, text, seed + 1);
	side_open(&w->m, CRYPTO_BACKEND_IPSECMB, text, seed + 1);
	side_open(&w->ox, CRYPTO_BACKEND_OPENSSL, text, 0);
	side_open(&w->mx, CRYPTO_BACKEND_IPSECMB, text, 0);
	print_message("%s+%s: seed 0x%016llx\n", ap->enc, ap->auth, (unsigned long long)seed);
	while (done < PACKETS_PER_PAIR) {
		size_t n = 1 + rnd_below(&r, ENGINE_BURST_MAX);

		if (n > PACKETS_PER_PAIR - done)
			n = PACKETS_PER_PAIR - done;
		run_burst(w, &r, n);
		done += n;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	print_message("%s+%s: %zu packets in %.1f s\n", ap->enc, ap->auth, done,
	    (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9);
	side_close(&w->o);
	side_close(&w->m);
	side_close(&w->ox);
	side_close(&w->mx);
	free(w->so);
	free(w->sm);
	free(w->cx_o);
	free(w->cx_m);
	free(w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_prestate(test_backends_agree, &pairs[0]),
		cmocka_unit_test_prestate(test_backends_agree, &pairs[1]),
		cmocka_unit_test_prestate(test_backends_agree, &pairs[2]),
		cmocka_unit_test_prestate(test_backends_agree, &pairs[3]),
		cmocka_unit_test_prestate(test_backends_agree, &pairs[4]),
		cmocka_unit_test_prestate(test_backends_agree, &pairs[5]),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
