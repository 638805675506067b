// SPDX-License-Identifier: MIT
/* libFuzzer harness for the inbound ESP path: raw ESP packets through engine_in_burst, valid
 * packets from engine_out_burst with fuzzer-chosen bit flips (and an invariant: unflipped, they
 * must come back unchanged), and esp_decap_prepare/finish on fuzzer plaintext, the code
 * behind the ICV that forged packets never reach. One SA of every kind, both backends. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipsec6/algo.h"
#include "ipsec6/bytes.h"
#include "ipsec6/conf.h"
#include "ipsec6/crypto.h"
#include "ipsec6/db.h"
#include "ipsec6/engine.h"
#include "ipsec6/esp.h"
#include "ipsec6/pkt.h"
#include "ipsec6/replay.h"
#include "ipsec6/sad.h"

/* Input layout: byte 0 chooses what to do and how (below), byte 1 the SA (index % FZ_NSA),
 * the rest is the packet, or the inner payload and flips. */
#define FZ_OP_RAW    0 /* input is an ESP packet from the SPI onwards */
#define FZ_OP_FLIP   1 /* a valid packet of the SA, with flips given by the input */
#define FZ_OP_FINISH 2 /* input is a decrypted ESP packet: esp_decap_prepare + finish */
#define FZ_OP_BURST  3 /* input is several ESP packets, 2-byte length before each */

#define FZ_FLAG_IPSECMB   0x04 /* the ipsec-mb backend instead of OpenSSL */
#define FZ_FLAG_SET_SPI   0x08 /* raw/burst: overwrite the SPI with the chosen SA's */
#define FZ_FLAG_OTHER_DST 0x10 /* meta: a destination no SA has */
#define FZ_FLAG_OTHER_SRC 0x20 /* meta: a source no SA has */
#define FZ_FLAG_HBH       0x40 /* flip: the inner packet carries a hop-by-hop header */
#define FZ_FLAG_TCLASS    0x80 /* meta: hop limit 1 and traffic class 0xb8 */

#define FZ_NSA      12 /* (null, 3des-cbc, aes128-cbc) x (hmac-sha1, hmac-sha2-256) x 2 modes */
#define FZ_MAX_LEN  4096
#define FZ_MAX_FLIP 8

struct fz_side {
	struct db *db;
	struct db_snap *snap;
	struct engine *engine;
};

static struct fz_side fz_sides[2]; /* [0] OpenSSL, [1] ipsec-mb (NULL engine if unavailable) */

static const char *const fz_encs[] = { "null", "3des-cbc", "aes128-cbc" };
static const char *const fz_auths[] = { "hmac-sha1", "hmac-sha2-256" };

/* SA k: hosts 2001:db8:1:k::1 -> ::2; tunnel gateways 2001:db8:ff:k::1 -> ::2. */
static void
fz_addr(struct in6_addr *a, unsigned net, unsigned k, unsigned host)
{
	memset(a, 0, sizeof(*a));
	a->s6_addr[0] = 0x20;
	a->s6_addr[1] = 0x01;
	a->s6_addr[2] = 0x0d;
	a->s6_addr[3] = 0xb8;
	a->s6_addr[4] = (uint8_t)(net >> 8);
	a->s6_addr[5] = (uint8_t)net;
	a->s6_addr[7] = (uint8_t)k;
	a->s6_addr[15] = (uint8_t)host;
}

static bool
fz_tunnel(unsigned k)
{
	return k % 2 == 1;
}

static size_t
fz_conf_line(char *buf, size_t size, unsigned k)
{
	unsigned enc = k / 4, auth = (k / 2) % 2;
	const char *net = fz_tunnel(k) ? "ff" : "1";
	/* Fixed keys: the fuzzer never needs them, the seeds are made with them. */
	static const char *const enc_keys[] = {
		"",
		" --encryption-key=0x0123456789abcdef0123456789abcdef0123456789abcdef",
		" --encryption-key=0x00112233445566778899aabbccddeeff",
	};
	static const char *const auth_keys[] = {
		"0x0102030405060708090a0b0c0d0e0f1011121314",
		"0x0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20",
	};
	int n = snprintf(buf, size,
	    "sa add --sa-name=sa%u --sa-source=2001:db8:%s:%x::1 --sa-destination=2001:db8:%s:%x::2 "
	    "--sa-spi=0x%x --sa-mode=%s --encryption-algorithm=%s%s --integrity-algorithm=%s "
	    "--integrity-key=%s\n"
	    "sp add --sp-name=out%u --sp-source=2001:db8:1:%x::1/128 "
	    "--sp-destination=2001:db8:1:%x::2/128 --flow-direction=out --action=ipsec "
	    "--sa-name=sa%u\n"
	    "sp add --sp-name=in%u --sp-source=2001:db8:1:%x::1/128 "
	    "--sp-destination=2001:db8:1:%x::2/128 --flow-direction=in --action=ipsec "
	    "--sa-name=sa%u\n",
	    k, net, k, net, k, 0x1000u + k, fz_tunnel(k) ? "tunnel" : "transport", fz_encs[enc],
	    enc_keys[enc], fz_auths[auth], auth_keys[auth], k, k, k, k, k, k, k, k);

	if (n < 0 || (size_t)n >= size)
		abort();
	return (size_t)n;
}

static void
fz_side_init(struct fz_side *s, enum crypto_backend backend)
{
	static char conf[FZ_NSA * 1024];
	struct err err = { { 0 } };
	size_t len = 0;

	for (unsigned k = 0; k < FZ_NSA; k++)
		len += fz_conf_line(conf + len, sizeof(conf) - len, k);
	s->db = db_new(backend);
	if (s->db == NULL || conf_load(s->db, conf, len, &err) != 0) {
		fprintf(stderr, "fuzz_decap: configuration: %s\n", err.msg);
		abort();
	}
	s->snap = db_snapshot(s->db);
	if (s->snap == NULL)
		abort();
	if (engine_new(backend, &s->engine, &err) != 0) {
		/* ipsec-mb needs CPU features; without them only OpenSSL is fuzzed. */
		fprintf(
		    stderr, "fuzz_decap: %s engine: %s\n", crypto_backend_name(backend), err.msg);
		s->engine = NULL;
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fz_side_init(&fz_sides[0], CRYPTO_BACKEND_OPENSSL);
	fz_side_init(&fz_sides[1], CRYPTO_BACKEND_IPSECMB);
	if (fz_sides[0].engine == NULL)
		abort();
	return 0;
}

/* Every input starts from fresh sequence numbers and empty replay windows, so that a crash
 * reproduces from its input alone. */
static void
fz_reset(struct fz_side *s)
{
	struct sad *sad = db_sad(s->db);

	for (size_t i = 0; i < sad_count(sad); i++) {
		struct sa *sa = sad_at(sad, i);

		atomic_store(&sa->live->seq_out, 0);
		replay_init(&sa->live->replay, sa->replay_window, sa->live->replay.ring);
	}
}

static struct sa *
fz_sa(struct fz_side *s, unsigned k)
{
	return sad_at(db_sad(s->db), k % FZ_NSA);
}

static void
fz_meta(struct esp_meta *m, const struct sa *sa, uint8_t flags)
{
	memset(m, 0, sizeof(*m));
	m->src = sa->src;
	m->dst = sa->dst;
	m->hop_limit = 64;
	if (flags & FZ_FLAG_OTHER_DST)
		fz_addr(&m->dst, 0xeeee, 0, 1);
	if (flags & FZ_FLAG_OTHER_SRC)
		fz_addr(&m->src, 0xeeee, 0, 2);
	if (flags & FZ_FLAG_TCLASS) {
		m->hop_limit = 1;
		m->tclass = 0xb8;
	}
}

/* A heap packet sized exactly headroom + len + tailroom, so that ASan sees any overrun. */
static uint8_t *
fz_pkt(struct pkt *p, const uint8_t *data, size_t len)
{
	uint8_t *mem = malloc(PKT_HEADROOM + len + PKT_TAILROOM);

	if (mem == NULL)
		abort();
	memset(mem, 0, PKT_HEADROOM);
	memcpy(mem + PKT_HEADROOM, data, len);
	memset(mem + PKT_HEADROOM + len, 0, PKT_TAILROOM);
	p->buf = mem;
	p->size = (uint32_t)(PKT_HEADROOM + len + PKT_TAILROOM);
	p->off = PKT_HEADROOM;
	p->len = (uint32_t)len;
	return mem;
}

/* The input as a received ESP packet for sa (on the heap, as fz_pkt() makes it), sa's SPI in
 * its first four bytes if flags ask for it, and what the socket told about it in meta. */
static uint8_t *
fz_received(struct pkt *p, struct esp_meta *meta, const struct sa *sa, uint8_t flags,
    const uint8_t *data, size_t len)
{
	uint8_t *mem = fz_pkt(p, data, len);

	if ((flags & FZ_FLAG_SET_SPI) && len >= 4)
		store_be32(mem + PKT_HEADROOM, sa->spi);
	fz_meta(meta, sa, flags);
	return mem;
}

static void
fz_check_result(const struct engine_result *r, enum engine_verdict ok)
{
	/* The contract of engine.h: a drop names a reason, anything else names none. */
	if (r->verdict == ENGINE_DROP && (r->drop == PKT_DROP_NONE || r->drop >= PKT_DROP__COUNT))
		abort();
	if (r->verdict != ENGINE_DROP && (r->verdict != ok || r->drop != PKT_DROP_NONE))
		abort();
}

static void
fz_raw(struct fz_side *s, uint8_t flags, unsigned k, const uint8_t *data, size_t len)
{
	struct sa *sa = fz_sa(s, k);
	struct esp_meta meta;
	struct engine_result res;
	struct pkt p;
	uint8_t *mem = fz_received(&p, &meta, sa, flags, data, len);

	engine_in_burst(s->engine, s->snap, &p, &meta, 1, &res);
	fz_check_result(&res, ENGINE_DELIVER);
	if (res.verdict == ENGINE_DELIVER && (p.off + p.len > p.size || p.len < IPV6_HDR_LEN))
		abort();
	free(mem);
}

static void
fz_burst(struct fz_side *s, uint8_t flags, unsigned k, const uint8_t *data, size_t len)
{
	struct pkt pkts[ENGINE_BURST_MAX];
	struct esp_meta meta[ENGINE_BURST_MAX];
	struct engine_result res[ENGINE_BURST_MAX];
	uint8_t *mems[ENGINE_BURST_MAX];
	size_t n = 0;

	while (len >= 2 && n < ENGINE_BURST_MAX) {
		size_t l = (size_t)load_be16(data) % 512;
		struct sa *sa = fz_sa(s, k + (unsigned)n);

		data += 2;
		len -= 2;
		if (l > len)
			l = len;
		/* Every other packet from the SA's own source. */
		mems[n] = fz_received(&pkts[n], &meta[n], sa,
		    n % 2 ? (uint8_t)(flags & ~FZ_FLAG_OTHER_SRC) : flags, data, l);
		data += l;
		len -= l;
		n++;
	}
	engine_in_burst(s->engine, s->snap, pkts, meta, n, res);
	for (size_t i = 0; i < n; i++) {
		fz_check_result(&res[i], ENGINE_DELIVER);
		free(mems[i]);
	}
}

/* Builds host k::1 -> k::2 UDP with payload (optionally behind a hop-by-hop header). */
static size_t
fz_inner(uint8_t *out, unsigned k, bool hbh, const uint8_t *payload, size_t plen)
{
	struct in6_addr src, dst;
	size_t off = IPV6_HDR_LEN;

	fz_addr(&src, 1, k, 1);
	fz_addr(&dst, 1, k, 2);
	memset(out, 0, IPV6_HDR_LEN);
	out[0] = 0x60;
	out[6] = 17;
	out[7] = 64;
	memcpy(out + 8, &src, 16);
	memcpy(out + 24, &dst, 16);
	if (hbh) {
		/* Next header, length 0, PadN of 4 bytes. */
		static const uint8_t hop[8] = { 17, 0, 1, 4, 0, 0, 0, 0 };

		out[6] = 0;
		memcpy(out + off, hop, sizeof(hop));
		off += sizeof(hop);
	}
	store_be16(out + off, 40000);
	store_be16(out + off + 2, (uint16_t)(9000 + k));
	store_be16(out + off + 4, (uint16_t)(8 + plen));
	memcpy(out + off + 8, payload, plen);
	off += 8 + plen;
	store_be16(out + 4, (uint16_t)(off - IPV6_HDR_LEN));
	return off;
}

/* Offset of ESP in an IPv6 packet made by the engine (after hop-by-hop, if any). */
static uint32_t
fz_esp_off(const uint8_t *d, uint32_t len)
{
	if (len < IPV6_HDR_LEN + 8)
		abort();
	if (d[6] == 50)
		return IPV6_HDR_LEN;
	if (d[6] == 0 && d[IPV6_HDR_LEN] == 50)
		return IPV6_HDR_LEN + ((uint32_t)d[IPV6_HDR_LEN + 1] + 1) * 8;
	abort();
}

static void
fz_flip(struct fz_side *s, uint8_t flags, unsigned k, const uint8_t *data, size_t len)
{
	static uint8_t inner[FZ_MAX_LEN + 64];
	struct sa *sa = fz_sa(s, k);
	struct engine_result res;
	struct esp_meta meta;
	struct pkt p;
	size_t nflip = len > 0 ? data[0] % (FZ_MAX_FLIP + 1) : 0;
	size_t plen, ilen;
	uint8_t *mem, *d;
	uint32_t esp_off;
	bool changed = false;

	if (len < 1 + 3 * nflip)
		return;
	plen = len - 1 - 3 * nflip;
	ilen = fz_inner(inner, k % FZ_NSA, flags & FZ_FLAG_HBH, data + 1 + 3 * nflip, plen);
	mem = fz_pkt(&p, inner, ilen);
	engine_out_burst(s->engine, s->snap, &p, 1, &res);
	if (res.verdict != ENGINE_PROTECT || res.sa != sa)
		abort();
	d = pkt_data(&p);
	esp_off = fz_esp_off(d, p.len);
	memset(&meta, 0, sizeof(meta)); /* plain ESP: no UDP ports */
	memcpy(&meta.src, d + 8, 16);
	memcpy(&meta.dst, d + 24, 16);
	meta.hop_limit = d[7];
	meta.tclass = (uint8_t)((d[0] & 0x0f) << 4 | d[1] >> 4);
	p.off += esp_off;
	p.len -= esp_off;
	for (size_t i = 0; i < nflip; i++) {
		const uint8_t *f = data + 1 + 3 * i;
		uint32_t at = load_be16(f) % p.len;

		pkt_data(&p)[at] ^= f[2];
		changed |= f[2] != 0;
	}
	if (flags & (FZ_FLAG_OTHER_DST | FZ_FLAG_OTHER_SRC))
		fz_meta(&meta, sa, flags);
	changed |= (flags & (FZ_FLAG_OTHER_DST | FZ_FLAG_OTHER_SRC)) != 0;
	engine_in_burst(s->engine, s->snap, &p, &meta, 1, &res);
	fz_check_result(&res, ENGINE_DELIVER);
	if (!changed) {
		/* Round trip: what went out must come in, byte for byte after the rebuilt header
		 * (transport mode drops the hop-by-hop header in front of ESP). */
		bool tunnel = fz_tunnel(k % FZ_NSA);
		size_t front = tunnel ? 0 : IPV6_HDR_LEN + ((flags & FZ_FLAG_HBH) ? 8 : 0);
		size_t skip = tunnel ? 0 : IPV6_HDR_LEN;

		if (res.verdict != ENGINE_DELIVER || p.len != ilen - front + skip ||
		    memcmp(pkt_data(&p) + skip, inner + front, ilen - front) != 0 ||
		    memcmp(pkt_data(&p) + 8, inner + 8, 32) != 0)
			abort();
	}
	free(mem);
}

static void
fz_finish(struct fz_side *s, uint8_t flags, unsigned k, const uint8_t *data, size_t len)
{
	struct sa *sa = fz_sa(s, k);
	struct crypto_op op;
	struct esp_meta meta;
	struct pkt p;
	uint8_t *mem = fz_received(&p, &meta, sa, flags, data, len);
	enum pkt_drop drop;

	/* As the engine does, minus the crypto: the input stands for the decrypted packet. */
	drop = esp_decap_prepare(sa, &p, 1, &op);
	if (drop == PKT_DROP_NONE) {
		if (op.buf != p.buf || op.cipher_off + op.cipher_len > p.off + p.len ||
		    op.auth_off + op.auth_len > p.off + p.len ||
		    op.icv + sa->icv_len > p.buf + p.off + p.len)
			abort();
		drop = esp_decap_finish(sa, &p, &meta);
	}
	if (drop == PKT_DROP_NONE) {
		struct pkt_sel sel;

		if (p.off < PKT_HEADROOM - 64 || p.off + p.len > PKT_HEADROOM + len)
			abort();
		(void)pkt_parse(pkt_data(&p), p.len, &sel); /* the engine's next step */
	}
	free(mem);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_side *s;
	uint8_t flags;
	unsigned k;

	if (size < 2 || size > FZ_MAX_LEN)
		return 0;
	flags = data[0];
	k = data[1];
	s = &fz_sides[(flags & FZ_FLAG_IPSECMB) && fz_sides[1].engine != NULL ? 1 : 0];
	fz_reset(s);
	data += 2;
	size -= 2;
	switch (flags & 3) {
	case FZ_OP_RAW:
		fz_raw(s, flags, k, data, size);
		break;
	case FZ_OP_FLIP:
		fz_flip(s, flags, k, data, size);
		break;
	case FZ_OP_FINISH:
		fz_finish(s, flags, k, data, size);
		break;
	case FZ_OP_BURST:
		fz_burst(s, flags, k, data, size);
		break;
	}
	return 0;
}
