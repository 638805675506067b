// SPDX-License-Identifier: MIT
/* ESP framing for IPv6 (RFC 4303): header, IV, padding and trailer on every length, the
 * transport insertion point among extension headers, the tunnel outer header, room checks; on
 * the way in the length checks, padding and next-header checks and the rebuilt inner packet.
 * The crypto is checked independently with crypto_hmac()/crypto_cipher() on raw keys. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ipsec6/bytes.h"
#include "ipsec6/crypto.h"
#include "ipsec6/db.h"
#include "ipsec6/esp.h"
#include "ipsec6/pkt.h"
#include "ipsec6/sad.h"
#include "testlib.h"

#define SPI 0x1000u

#define DATA_MAX 2048
#define BUF_SIZE (PKT_HEADROOM + DATA_MAX + PKT_TAILROOM)

/* One SA "a" in its own db; ctx is a crypto context of the same backend. */
struct fix {
	struct db *db;
	struct sa *sa;
	struct crypto_ctx *ctx;
	const struct tl_algo_pair *ap;
};

static void
fix_open(struct fix *f, enum crypto_backend backend, const struct tl_algo_pair *ap,
    const char *mode, const char *src, const char *dst)
{
	char text[1024] = "";
	struct err err = { { 0 } };

	tl_text_sa(text, sizeof(text), "a", src, dst, SPI, mode, ap);
	f->ap = ap;
	f->db = tl_db_load(backend, text, strlen(text));
	f->sa = sad_lookup_name(db_sad(f->db), "a");
	assert_non_null(f->sa);
	assert_int_equal(crypto_ctx_new(backend, &f->ctx, &err), 0);
}

static void
fix_close(struct fix *f)
{
	crypto_ctx_free(f->ctx);
	db_free(f->db);
}

static uint32_t
align_of(const struct sa *sa)
{
	uint32_t a = (uint32_t)sa->enc_info->block_len;

	return a < 4 ? 4 : a;
}

/* RFC 4303 section 2.4: the least padding that makes payload and trailer whole blocks and
 * 4-byte words. */
static uint32_t
least_pad(const struct sa *sa, uint32_t payload_len)
{
	uint32_t align = align_of(sa);

	return (align - (payload_len + ESP_TRAILER_LEN) % align) % align;
}

static void
pkt_at(struct pkt *p, uint8_t *buf, uint32_t size, uint32_t off, uint32_t len)
{
	p->buf = buf;
	p->size = size;
	p->off = off;
	p->len = len;
}

static void
fill_iv(uint8_t *iv, size_t len, uint8_t base)
{
	for (size_t i = 0; i < len; i++)
		iv[i] = (uint8_t)(base + i);
}

/* Checks an encapsulated, not yet encrypted packet: ESP header, IV, payload bytes, padding 1,
 * 2, 3, ..., pad length, next header, and the crypto_op. esp is the offset of the ESP header
 * in the packet; payload is what must follow the IV. */
static void
check_esp_plain(const struct sa *sa, const struct pkt *p, uint32_t esp, const uint8_t *payload,
    uint32_t payload_len, uint8_t next_header, uint32_t seq, const uint8_t *iv,
    const struct crypto_op *op)
{
	const uint8_t *d = pkt_data(p);
	uint32_t iv_len = (uint32_t)sa->enc_info->iv_len;
	uint32_t icv_len = sa->icv_len;
	uint32_t align = align_of(sa);
	const uint8_t *pl = d + esp + ESP_HDR_LEN + iv_len;
	uint32_t cipher_len = p->len - esp - ESP_HDR_LEN - iv_len - icv_len;
	uint32_t pad_len = pl[cipher_len - 2];

	assert_int_equal(load_be32(d + esp), sa->spi);
	assert_int_equal(load_be32(d + esp + 4), seq);
	assert_memory_equal(d + esp + ESP_HDR_LEN, iv, iv_len);
	assert_memory_equal(pl, payload, payload_len);
	/* RFC 4303 section 2.4: payload + padding + trailer fill whole blocks and 4-byte words;
	 * we send the least padding that does. */
	assert_int_equal(cipher_len, payload_len + pad_len + ESP_TRAILER_LEN);
	assert_int_equal(cipher_len % align, 0);
	assert_true(pad_len < align);
	for (uint32_t i = 0; i < pad_len; i++)
		assert_int_equal(pl[payload_len + i], i + 1);
	assert_int_equal(pl[cipher_len - 1], next_header);

	assert_ptr_equal(op->key, sa->ckey);
	assert_ptr_equal(op->buf, p->buf);
	assert_int_equal(op->auth_off, p->off + esp);
	assert_int_equal(op->auth_len, ESP_HDR_LEN + iv_len + cipher_len);
	assert_int_equal(op->cipher_off, p->off + esp + ESP_HDR_LEN + iv_len);
	assert_int_equal(op->cipher_len, cipher_len);
	assert_ptr_equal(op->iv, d + esp + ESP_HDR_LEN);
	assert_ptr_equal(op->icv, d + esp + ESP_HDR_LEN + iv_len + cipher_len);
	assert_int_equal(op->icv + icv_len - p->buf, p->off + p->len);
}

/* AES-GCM: the op's output is RFC 4106 of the framed plaintext under the raw key, with the
 * ESP header as AAD and the packet's IV after the salt. */
static void
check_esp_gcm(const struct fix *f, struct crypto_op *op, const uint8_t *plain)
{
	uint8_t ekey[64], out[DATA_MAX], tag[16];
	struct crypto_aead_req req = { f->sa->enc, ekey, op->iv, op->buf + op->auth_off, 8, plain,
		out, op->cipher_len, tag, 1 };

	(void)tl_hex_decode(f->ap->enc_key, ekey, sizeof(ekey));
	assert_int_equal(crypto_aead(f->ctx, &req), 0);
	crypto_encrypt_burst(f->ctx, op, 1);
	assert_int_equal(op->status, CRYPTO_OK);
	assert_memory_equal(op->buf + op->cipher_off, out, op->cipher_len);
	assert_memory_equal(op->icv, tag, sizeof(tag));
}

/* Runs the op and checks it against raw-key crypto: the ICV is the truncated HMAC over header,
 * IV and ciphertext, and decrypting the ciphertext gives back plain (the framed plaintext). */
static void
check_esp_crypto(const struct fix *f, struct crypto_op *op, const uint8_t *plain)
{
	uint8_t ekey[64], akey[64], digest[64], dec[DATA_MAX];
	size_t akey_len;

	if (f->ap->auth == NULL) {
		check_esp_gcm(f, op, plain);
		return;
	}
	akey_len = tl_hex_decode(f->ap->auth_key, akey, sizeof(akey));
	crypto_encrypt_burst(f->ctx, op, 1);
	assert_int_equal(op->status, CRYPTO_OK);
	assert_int_equal(crypto_hmac(f->ctx, f->sa->auth, akey, akey_len, op->buf + op->auth_off,
			     op->auth_len, digest),
	    0);
	assert_memory_equal(op->icv, digest, f->sa->icv_len);
	if (f->ap->enc_key == NULL) {
		assert_memory_equal(op->buf + op->cipher_off, plain, op->cipher_len);
		return;
	}
	(void)tl_hex_decode(f->ap->enc_key, ekey, sizeof(ekey));
	assert_int_equal(crypto_cipher(f->ctx, f->sa->enc, ekey, op->iv, op->buf + op->cipher_off,
			     dec, op->cipher_len, 0),
	    0);
	assert_memory_equal(dec, plain, op->cipher_len);
}

/* Transport mode, no extension headers: every payload length 1..100, every pair. */
static void
test_encap_transport_framing_every_length(void **state)
{
	static const uint8_t ulps[] = { IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMPV6, 253 };
	uint8_t *buf = malloc(BUF_SIZE), orig[DATA_MAX], iv[16], plain[DATA_MAX];

	assert_non_null(buf);
	for (size_t k = 0; k < TL_NPAIRS; k++) {
		struct fix f;

		fix_open(
		    &f, CRYPTO_BACKEND_OPENSSL, &tl_pairs[k], "transport", TL_ADDR_A, TL_ADDR_B);
		for (uint32_t n = 1; n <= 100; n++) {
			uint8_t ulp = ulps[n % 4];
			uint32_t len = tl_build_pkt(
			    orig, NULL, 0, ulp, n, 0x2e, 0x12345, 33, TL_ADDR_A, TL_ADDR_B);
			uint32_t iv_len = (uint32_t)f.sa->enc_info->iv_len;
			struct crypto_op op;
			struct pkt p;
			uint32_t pad;

			memset(buf, 0xee, BUF_SIZE);
			memcpy(buf + PKT_HEADROOM, orig, len);
			pkt_at(&p, buf, BUF_SIZE, PKT_HEADROOM, len);
			fill_iv(iv, sizeof(iv), (uint8_t)n);
			assert_int_equal(esp_encap(f.sa, &p, n + 1000, iv, &op), PKT_DROP_NONE);
			pad = least_pad(f.sa, n);
			assert_int_equal(
			    p.len, len + ESP_HDR_LEN + iv_len + pad + 2 + f.sa->icv_len);
			assert_int_equal(p.off, PKT_HEADROOM - ESP_HDR_LEN - iv_len);
			/* The IPv6 header is the original one but for length and next header. */
			assert_memory_equal(pkt_data(&p), orig, 4);
			assert_int_equal(load_be16(pkt_data(&p) + 4), p.len - IPV6_HDR_LEN);
			assert_int_equal(pkt_data(&p)[6], 50);
			assert_memory_equal(pkt_data(&p) + 7, orig + 7, 33);
			check_esp_plain(
			    f.sa, &p, IPV6_HDR_LEN, orig + IPV6_HDR_LEN, n, ulp, n + 1000, iv, &op);
			memcpy(plain, buf + op.cipher_off, op.cipher_len);
			check_esp_crypto(&f, &op, plain);
		}
		fix_close(&f);
	}
	free(buf);
}

/* Tunnel mode: the whole inner packet is the payload, next header 41, and an outer header with
 * the SA's endpoints, hop limit 64, the inner traffic class and no flow label. */
static void
test_encap_tunnel_framing_every_length(void **state)
{
	uint8_t *buf = malloc(BUF_SIZE), orig[DATA_MAX], iv[16], plain[DATA_MAX], a[16], b[16];

	assert_non_null(buf);
	tl_addr_bytes(TL_ADDR_A, a);
	tl_addr_bytes(TL_ADDR_B, b);
	for (size_t k = 0; k < TL_NPAIRS; k++) {
		struct fix f;

		fix_open(&f, CRYPTO_BACKEND_OPENSSL, &tl_pairs[k], "tunnel", TL_ADDR_A, TL_ADDR_B);
		for (uint32_t n = 1; n <= 100; n++) {
			uint8_t tclass = (uint8_t)(n * 37);
			uint32_t len = tl_build_pkt(orig, NULL, 0, IPPROTO_UDP, n, tclass, 0xabcde,
			    9, TL_ADDR_C, TL_ADDR_D);
			uint32_t iv_len = (uint32_t)f.sa->enc_info->iv_len;
			uint32_t grow = IPV6_HDR_LEN + ESP_HDR_LEN + iv_len;
			struct crypto_op op;
			struct pkt p;
			const uint8_t *d;

			memset(buf, 0xee, BUF_SIZE);
			memcpy(buf + PKT_HEADROOM, orig, len);
			pkt_at(&p, buf, BUF_SIZE, PKT_HEADROOM, len);
			fill_iv(iv, sizeof(iv), (uint8_t)(n + 50));
			assert_int_equal(esp_encap(f.sa, &p, n, iv, &op), PKT_DROP_NONE);
			assert_int_equal(p.off, PKT_HEADROOM - grow);
			d = pkt_data(&p);
			assert_int_equal(d[0] >> 4, 6);
			assert_int_equal((d[0] & 0x0f) << 4 | d[1] >> 4, tclass);
			assert_int_equal(load_be32(d) & 0xfffffu, 0);
			assert_int_equal(load_be16(d + 4), p.len - IPV6_HDR_LEN);
			assert_int_equal(d[6], 50);
			assert_int_equal(d[7], 64);
			assert_memory_equal(d + 8, a, 16);
			assert_memory_equal(d + 24, b, 16);
			check_esp_plain(f.sa, &p, IPV6_HDR_LEN, orig, len, 41, n, iv, &op);
			memcpy(plain, buf + op.cipher_off, op.cipher_len);
			check_esp_crypto(&f, &op, plain);
		}
		fix_close(&f);
	}
	free(buf);
}

/* An SA endpoint given as any takes the inner packet's address. */
static void
test_encap_tunnel_any_endpoint_takes_inner_address(void **state)
{
	uint8_t buf[BUF_SIZE], orig[256], iv[16] = { 0 }, inner_src[16], inner_dst[16], a[16],
					  b[16];
	struct crypto_op op;
	struct fix f;
	struct pkt p;
	uint32_t len;

	tl_addr_bytes(TL_ADDR_C, inner_src);
	tl_addr_bytes(TL_ADDR_D, inner_dst);
	tl_addr_bytes(TL_ADDR_A, a);
	tl_addr_bytes(TL_ADDR_B, b);
	fix_open(&f, CRYPTO_BACKEND_OPENSSL, &tl_pairs[4], "tunnel", "any", TL_ADDR_B);
	len = tl_build_pkt(orig, NULL, 0, IPPROTO_TCP, 40, 0, 0, 64, TL_ADDR_C, TL_ADDR_D);
	memcpy(buf + PKT_HEADROOM, orig, len);
	pkt_at(&p, buf, sizeof(buf), PKT_HEADROOM, len);
	assert_int_equal(esp_encap(f.sa, &p, 1, iv, &op), PKT_DROP_NONE);
	assert_memory_equal(pkt_data(&p) + 8, inner_src, 16);
	assert_memory_equal(pkt_data(&p) + 24, b, 16);
	fix_close(&f);

	fix_open(&f, CRYPTO_BACKEND_OPENSSL, &tl_pairs[4], "tunnel", TL_ADDR_A, "any");
	memcpy(buf + PKT_HEADROOM, orig, len);
	pkt_at(&p, buf, sizeof(buf), PKT_HEADROOM, len);
	assert_int_equal(esp_encap(f.sa, &p, 1, iv, &op), PKT_DROP_NONE);
	assert_memory_equal(pkt_data(&p) + 8, a, 16);
	assert_memory_equal(pkt_data(&p) + 24, inner_dst, 16);
	fix_close(&f);
}

/* RFC 4303 section 3.1.1: ESP after hop-by-hop, routing and fragment headers; destination
 * options go behind ESP unless a routing header follows them. */
static void
test_encap_transport_insertion_point(void **state)
{
	static const struct {
		uint8_t ext[6];
		size_t n;
		uint32_t esp_off;     /* where ESP must start */
		uint32_t nexthdr_off; /* the byte that must become 50 */
		uint8_t trailer_nh;   /* what the ESP trailer must carry */
	} cases[] = {
		{ { 0 }, 0, 40, 6, IPPROTO_UDP },
		{ { 0 }, 1, 48, 40, IPPROTO_UDP },
		{ { 0, 43 }, 2, 56, 48, IPPROTO_UDP },
		{ { 0, 43, 44 }, 3, 64, 56, IPPROTO_UDP },
		{ { 44 }, 1, 48, 40, IPPROTO_UDP },
		{ { 43 }, 1, 48, 40, IPPROTO_UDP },
		{ { 60 }, 1, 40, 6, 60 },
		{ { 0, 60 }, 2, 48, 40, 60 },
		{ { 60, 43 }, 2, 56, 48, IPPROTO_UDP },
		{ { 60, 43, 60 }, 3, 56, 48, 60 },
		{ { 0, 60, 43, 44, 60 }, 5, 72, 64, 60 },
		{ { 0, 43, 60 }, 3, 56, 48, 60 },
	};
	uint8_t buf[BUF_SIZE], orig[512], iv[16];

	for (size_t k = 0; k < TL_NPAIRS; k++) {
		struct fix f;

		fix_open(
		    &f, CRYPTO_BACKEND_OPENSSL, &tl_pairs[k], "transport", TL_ADDR_A, TL_ADDR_B);
		for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
			uint32_t iv_len = (uint32_t)f.sa->enc_info->iv_len;
			uint32_t len = tl_build_pkt(orig, cases[c].ext, cases[c].n, IPPROTO_UDP, 30,
			    0, 0, 64, TL_ADDR_A, TL_ADDR_B);
			uint32_t e = cases[c].esp_off;
			struct crypto_op op;
			struct pkt p;
			uint8_t *d;

			memset(buf, 0, sizeof(buf));
			memcpy(buf + PKT_HEADROOM, orig, len);
			pkt_at(&p, buf, sizeof(buf), PKT_HEADROOM, len);
			fill_iv(iv, sizeof(iv), 0x40);
			assert_int_equal(esp_encap(f.sa, &p, 7, iv, &op), PKT_DROP_NONE);
			d = pkt_data(&p);
			/* Everything before ESP is the original but for the one next-header byte
			 * and the payload length. */
			assert_int_equal(d[cases[c].nexthdr_off], 50);
			assert_int_equal(load_be16(d + 4), p.len - IPV6_HDR_LEN);
			d[cases[c].nexthdr_off] = orig[cases[c].nexthdr_off];
			memcpy(d + 4, orig + 4, 2);
			assert_memory_equal(d, orig, e);
			check_esp_plain(
			    f.sa, &p, e, orig + e, len - e, cases[c].trailer_nh, 7, iv, &op);
			assert_int_equal(p.off, PKT_HEADROOM - ESP_HDR_LEN - iv_len);
		}
		fix_close(&f);
	}
}

/* Not enough room before or after: TOO_BIG and the packet exactly as it was. */
static void
test_encap_too_big_leaves_packet_unchanged(void **state)
{
	uint8_t buf[BUF_SIZE], copy[BUF_SIZE], orig[512], iv[16] = { 0 };

	for (size_t k = 0; k < TL_NPAIRS; k++) {
		for (size_t m = 0; m < 2; m++) {
			struct fix f;
			uint32_t len, iv_len, icv_len, grow, payload, pad, tail;
			struct crypto_op op;
			struct pkt p, p0;

			fix_open(&f, CRYPTO_BACKEND_OPENSSL, &tl_pairs[k], tl_modes[m], TL_ADDR_A,
			    TL_ADDR_B);
			len = tl_build_pkt(
			    orig, NULL, 0, IPPROTO_TCP, 61, 0, 0, 64, TL_ADDR_A, TL_ADDR_B);
			iv_len = (uint32_t)f.sa->enc_info->iv_len;
			icv_len = f.sa->icv_len;
			grow = ESP_HDR_LEN + iv_len + (m == 1 ? IPV6_HDR_LEN : 0);
			payload = m == 1 ? len : len - IPV6_HDR_LEN;
			pad = least_pad(f.sa, payload);
			tail = pad + ESP_TRAILER_LEN + icv_len;
			/* {headroom, tailroom}: one short of each, then exactly enough. */
			const uint32_t rooms[3][2] = {
				{ grow - 1, tail },
				{ grow, tail - 1 },
				{ grow, tail },
			};
			for (size_t r = 0; r < 3; r++) {
				memset(buf, 0x5a, sizeof(buf));
				memcpy(buf + rooms[r][0], orig, len);
				pkt_at(&p, buf, rooms[r][0] + len + rooms[r][1], rooms[r][0], len);
				p0 = p;
				memcpy(copy, buf, sizeof(buf));
				if (r < 2) {
					assert_int_equal(
					    esp_encap(f.sa, &p, 1, iv, &op), PKT_DROP_TOO_BIG);
					assert_memory_equal(&p, &p0, sizeof(p));
					assert_memory_equal(buf, copy, sizeof(buf));
				} else {
					assert_int_equal(
					    esp_encap(f.sa, &p, 1, iv, &op), PKT_DROP_NONE);
					assert_int_equal(p.off, 0);
					assert_int_equal(p.off + p.len, p.size);
				}
			}
			fix_close(&f);
		}
	}
}

/* The result must fit the 16-bit payload length: the largest packet that fits goes, one byte
 * more is TOO_BIG and untouched. */
static void
test_encap_too_big_payload_length(void **state)
{
	uint32_t size = PKT_HEADROOM + IPV6_HDR_LEN + 65535 + PKT_TAILROOM;
	uint8_t *buf = malloc(size), *copy = malloc(size), iv[16] = { 0 };

	assert_non_null(buf);
	assert_non_null(copy);
	for (size_t k = 0; k < TL_NPAIRS; k++) {
		for (size_t m = 0; m < 2; m++) {
			struct fix f;
			uint32_t fit = 0;

			fix_open(&f, CRYPTO_BACKEND_OPENSSL, &tl_pairs[k], tl_modes[m], TL_ADDR_A,
			    TL_ADDR_B);
			for (uint32_t plen = 65535 - 120; plen <= 65535; plen++) {
				uint32_t iv_len = (uint32_t)f.sa->enc_info->iv_len;
				uint32_t payload = m == 1 ? plen + IPV6_HDR_LEN : plen;
				uint32_t pad = least_pad(f.sa, payload);
				uint32_t out =
				    ESP_HDR_LEN + iv_len + payload + pad + 2 + f.sa->icv_len;
				struct crypto_op op;
				struct pkt p, p0;

				memset(buf, 0, PKT_HEADROOM);
				store_be32(buf + PKT_HEADROOM, (uint32_t)6 << 28);
				store_be16(buf + PKT_HEADROOM + 4, (uint16_t)plen);
				buf[PKT_HEADROOM + 6] = 253;
				pkt_at(&p, buf, size, PKT_HEADROOM, IPV6_HDR_LEN + plen);
				p0 = p;
				memcpy(copy, buf, size);
				if (out <= 65535) {
					assert_int_equal(
					    esp_encap(f.sa, &p, 1, iv, &op), PKT_DROP_NONE);
					assert_int_equal(p.len, IPV6_HDR_LEN + out);
					fit++;
				} else {
					assert_int_equal(
					    esp_encap(f.sa, &p, 1, iv, &op), PKT_DROP_TOO_BIG);
					assert_memory_equal(&p, &p0, sizeof(p));
					assert_memory_equal(buf, copy, size);
				}
			}
			/* The sweep saw both sides of the limit. */
			assert_true(fit > 0 && fit < 121);
			fix_close(&f);
		}
	}
	free(buf);
	free(copy);
}

/* Shorter than an IPv6 header (either mode); in transport mode also what the header walk
 * refuses: a bad version, a payload length past the end, an extension header past the end. */
static void
test_encap_malformed(void **state)
{
	static const uint8_t hbh[] = { 0 };
	uint8_t buf[BUF_SIZE], iv[16] = { 0 };
	struct crypto_op op;
	struct fix f;
	struct pkt p;
	uint32_t len;

	for (size_t m = 0; m < 2; m++) {
		fix_open(
		    &f, CRYPTO_BACKEND_OPENSSL, &tl_pairs[4], tl_modes[m], TL_ADDR_A, TL_ADDR_B);
		memset(buf, 0, sizeof(buf));
		buf[PKT_HEADROOM] = 0x60;
		for (uint32_t n = 0; n < IPV6_HDR_LEN; n++) {
			pkt_at(&p, buf, sizeof(buf), PKT_HEADROOM, n);
			assert_int_equal(esp_encap(f.sa, &p, 1, iv, &op), PKT_DROP_MALFORMED);
		}
		fix_close(&f);
	}

	fix_open(&f, CRYPTO_BACKEND_OPENSSL, &tl_pairs[4], "transport", TL_ADDR_A, TL_ADDR_B);
	len = tl_build_pkt(
	    buf + PKT_HEADROOM, NULL, 0, IPPROTO_UDP, 20, 0, 0, 64, TL_ADDR_A, TL_ADDR_B);
	buf[PKT_HEADROOM] = 0x40;
	pkt_at(&p, buf, sizeof(buf), PKT_HEADROOM, len);
	assert_int_equal(esp_encap(f.sa, &p, 1, iv, &op), PKT_DROP_MALFORMED);

	len = tl_build_pkt(
	    buf + PKT_HEADROOM, NULL, 0, IPPROTO_UDP, 20, 0, 0, 64, TL_ADDR_A, TL_ADDR_B);
	pkt_at(&p, buf, sizeof(buf), PKT_HEADROOM, len - 1);
	assert_int_equal(esp_encap(f.sa, &p, 1, iv, &op), PKT_DROP_MALFORMED);

	len = tl_build_pkt(
	    buf + PKT_HEADROOM, hbh, 1, IPPROTO_UDP, 0, 0, 0, 64, TL_ADDR_A, TL_ADDR_B);
	buf[PKT_HEADROOM + IPV6_HDR_LEN + 1] = 3; /* claims 32 bytes, has 8 */
	pkt_at(&p, buf, sizeof(buf), PKT_HEADROOM, len);
	assert_int_equal(esp_encap(f.sa, &p, 1, iv, &op), PKT_DROP_MALFORMED);
	assert_int_equal(p.off, PKT_HEADROOM);
	assert_int_equal(p.len, len);
	fix_close(&f);
}

/* esp_overhead_max() is the worst case of what encapsulation adds, over all lengths. */
static void
test_overhead_max_is_worst_case(void **state)
{
	uint8_t buf[BUF_SIZE], iv[16] = { 0 };

	for (size_t k = 0; k < TL_NPAIRS; k++) {
		for (size_t m = 0; m < 2; m++) {
			uint32_t worst = 0;
			struct fix f;

			fix_open(&f, CRYPTO_BACKEND_OPENSSL, &tl_pairs[k], tl_modes[m], TL_ADDR_A,
			    TL_ADDR_B);
			for (uint32_t n = 1; n <= 64; n++) {
				uint32_t len = tl_build_pkt(buf + PKT_HEADROOM, NULL, 0, 253, n, 0,
				    0, 64, TL_ADDR_A, TL_ADDR_B);
				struct crypto_op op;
				struct pkt p;

				pkt_at(&p, buf, sizeof(buf), PKT_HEADROOM, len);
				assert_int_equal(esp_encap(f.sa, &p, 1, iv, &op), PKT_DROP_NONE);
				if (p.len - len > worst)
					worst = p.len - len;
			}
			assert_int_equal(esp_overhead_max(f.sa), worst);
			fix_close(&f);
		}
	}
}

static void
test_peek_short_and_fields(void **state)
{
	uint8_t buf[64] = { 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0 };
	uint32_t spi = 0, seq = 0;
	struct pkt p;

	for (uint32_t n = 0; n < ESP_HDR_LEN; n++) {
		pkt_at(&p, buf, sizeof(buf), 0, n);
		assert_int_equal(esp_peek(&p, &spi, &seq), PKT_DROP_SHORT);
	}
	pkt_at(&p, buf, sizeof(buf), 0, ESP_HDR_LEN);
	assert_int_equal(esp_peek(&p, &spi, &seq), PKT_DROP_NONE);
	assert_int_equal(spi, 0x12345678u);
	assert_int_equal(seq, 0x9abcdef0u);
}

/* Every length from 0 up: SHORT until header, IV, one block (or the trailer) and ICV fit;
 * then BAD_LENGTH unless the ciphertext is a whole number of blocks. */
static void
test_decap_prepare_every_length(void **state)
{
	uint8_t buf[BUF_SIZE];

	memset(buf, 0x33, sizeof(buf));
	for (size_t k = 0; k < TL_NPAIRS; k++) {
		for (size_t m = 0; m < 2; m++) {
			struct fix f;

			fix_open(&f, CRYPTO_BACKEND_OPENSSL, &tl_pairs[k], tl_modes[m], TL_ADDR_A,
			    TL_ADDR_B);
			uint32_t iv_len = (uint32_t)f.sa->enc_info->iv_len;
			uint32_t icv_len = f.sa->icv_len;
			uint32_t block = (uint32_t)f.sa->enc_info->block_len;
			uint32_t fixed = ESP_HDR_LEN + iv_len + icv_len;
			uint32_t min_cipher = block < ESP_TRAILER_LEN ? ESP_TRAILER_LEN : block;

			for (uint32_t len = 0; len < fixed + 4 * block + 8; len++) {
				struct crypto_op op;
				struct pkt p;
				enum pkt_drop got;

				pkt_at(&p, buf, sizeof(buf), PKT_HEADROOM, len);
				got = esp_decap_prepare(f.sa, &p, 1, &op);
				if (len < fixed + min_cipher) {
					assert_int_equal(got, PKT_DROP_SHORT);
				} else if ((len - fixed) % block != 0) {
					assert_int_equal(got, PKT_DROP_BAD_LENGTH);
				} else {
					assert_int_equal(got, PKT_DROP_NONE);
					assert_ptr_equal(op.key, f.sa->ckey);
					assert_ptr_equal(op.buf, buf);
					assert_int_equal(op.auth_off, PKT_HEADROOM);
					assert_int_equal(op.auth_len, len - icv_len);
					assert_int_equal(
					    op.cipher_off, PKT_HEADROOM + ESP_HDR_LEN + iv_len);
					assert_int_equal(op.cipher_len, len - fixed);
					assert_ptr_equal(op.iv, buf + PKT_HEADROOM + ESP_HDR_LEN);
					assert_ptr_equal(
					    op.icv, buf + PKT_HEADROOM + len - icv_len);
				}
			}
			fix_close(&f);
		}
	}
}

/* A decrypted ESP packet as esp_decap_finish() sees it, at buf + PKT_HEADROOM: header, IV,
 * payload, pad_len bytes of 1, 2, 3, ..., pad length byte pad_byte, next header, ICV (any
 * bytes). Returns its length. */
static uint32_t
build_esp_plain(const struct sa *sa, uint8_t *buf, const uint8_t *payload, uint32_t payload_len,
    uint32_t pad_len, uint8_t pad_byte, uint8_t nh)
{
	uint8_t *d = buf + PKT_HEADROOM;
	uint32_t iv_len = (uint32_t)sa->enc_info->iv_len;
	uint32_t off = ESP_HDR_LEN + iv_len;

	store_be32(d, sa->spi);
	store_be32(d + 4, 1);
	memset(d + ESP_HDR_LEN, 0x99, iv_len);
	memcpy(d + off, payload, payload_len);
	off += payload_len;
	for (uint32_t i = 0; i < pad_len; i++)
		d[off++] = (uint8_t)(i + 1);
	d[off++] = pad_byte;
	d[off++] = nh;
	memset(d + off, 0xcc, sa->icv_len);
	return off + sa->icv_len;
}

static const struct esp_meta meta_ab = {
	.src = { { { 0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x21 } } },
	.dst = { { { 0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x22 } } },
	.hop_limit = 17,
	.tclass = 0xb8,
};

/* Any pad length the block allows is accepted, not only the least (RFC 4303 section 2.4 lets
 * the sender pad up to 255 bytes); the transport packet is rebuilt from meta. */
static void
test_decap_finish_transport_rebuild_any_pad_len(void **state)
{
	uint8_t buf[BUF_SIZE], payload[300];

	for (size_t i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)(i ^ 0x5c);
	for (size_t k = 0; k < TL_NPAIRS; k++) {
		struct fix f;

		fix_open(
		    &f, CRYPTO_BACKEND_OPENSSL, &tl_pairs[k], "transport", TL_ADDR_A, TL_ADDR_B);
		uint32_t align = align_of(f.sa);
		for (uint32_t n = 0; n < 40; n++) {
			uint32_t least = least_pad(f.sa, n);

			for (uint32_t pad = least; pad <= 255; pad += align) {
				uint32_t len = build_esp_plain(
				    f.sa, buf, payload, n, pad, (uint8_t)pad, IPPROTO_TCP);
				struct pkt p;
				const uint8_t *d;

				pkt_at(&p, buf, sizeof(buf), PKT_HEADROOM, len);
				assert_int_equal(
				    esp_decap_finish(f.sa, &p, &meta_ab), PKT_DROP_NONE);
				assert_int_equal(p.len, IPV6_HDR_LEN + n);
				d = pkt_data(&p);
				assert_int_equal(load_be32(d), (uint32_t)6 << 28 | 0xb8u << 20);
				assert_int_equal(load_be16(d + 4), n);
				assert_int_equal(d[6], IPPROTO_TCP);
				assert_int_equal(d[7], 17);
				assert_memory_equal(d + 8, meta_ab.src.s6_addr, 16);
				assert_memory_equal(d + 24, meta_ab.dst.s6_addr, 16);
				assert_memory_equal(d + IPV6_HDR_LEN, payload, n);
			}
		}
		fix_close(&f);
	}
}

/* RFC 4303 section 2.4: padding must be 1, 2, 3, ...; every wrong byte is refused. */
static void
test_decap_finish_bad_pad_byte(void **state)
{
	uint8_t buf[BUF_SIZE], payload[64] = { 0 };

	for (size_t k = 0; k < TL_NPAIRS; k++) {
		for (size_t m = 0; m < 2; m++) {
			struct fix f;

			fix_open(&f, CRYPTO_BACKEND_OPENSSL, &tl_pairs[k], tl_modes[m], TL_ADDR_A,
			    TL_ADDR_B);
			for (uint32_t pad = 1; pad <= 20; pad++) {
				/* A payload that makes the ciphertext whole blocks, as it would be
				 * after esp_decap_prepare(). */
				uint32_t n = align_of(f.sa) - (pad + 2) % align_of(f.sa);
				uint32_t len = build_esp_plain(f.sa, buf, payload, n, pad,
				    (uint8_t)pad, m == 1 ? 41 : IPPROTO_UDP);
				uint32_t at = PKT_HEADROOM + ESP_HDR_LEN +
				    (uint32_t)f.sa->enc_info->iv_len + n;

				for (uint32_t i = 0; i < pad; i++) {
					const uint8_t wrong[] = { 0, (uint8_t)(i + 2), 0xff };

					for (size_t w = 0; w < sizeof(wrong); w++) {
						uint8_t keep = buf[at + i];
						struct pkt p;

						buf[at + i] = wrong[w];
						pkt_at(&p, buf, sizeof(buf), PKT_HEADROOM, len);
						assert_int_equal(
						    esp_decap_finish(f.sa, &p, &meta_ab),
						    PKT_DROP_BAD_PADDING);
						buf[at + i] = keep;
					}
				}
			}
			fix_close(&f);
		}
	}
}

/* A pad length that reaches before the start of the payload. */
static void
test_decap_finish_pad_len_too_big(void **state)
{
	uint8_t buf[BUF_SIZE], payload[64] = { 0 };

	for (size_t k = 0; k < TL_NPAIRS; k++) {
		for (size_t m = 0; m < 2; m++) {
			struct fix f;

			fix_open(&f, CRYPTO_BACKEND_OPENSSL, &tl_pairs[k], tl_modes[m], TL_ADDR_A,
			    TL_ADDR_B);
			for (uint32_t blocks = 1; blocks <= 4; blocks++) {
				/* Payload and trailer make cipher_len bytes, whole blocks; a pad
				 * length of cipher_len - 1 and up claims more than there is. */
				uint32_t cipher_len = blocks * align_of(f.sa);
				uint32_t n = cipher_len - ESP_TRAILER_LEN;
				uint32_t len = build_esp_plain(f.sa, buf, payload, n, 0, 0, 41);
				uint32_t at = PKT_HEADROOM + ESP_HDR_LEN +
				    (uint32_t)f.sa->enc_info->iv_len + n;
				const uint32_t bad[] = { cipher_len - 1, cipher_len, 200, 255 };

				for (size_t b = 0; b < sizeof(bad) / sizeof(bad[0]); b++) {
					struct pkt p;

					if (bad[b] + ESP_TRAILER_LEN <= cipher_len)
						continue;
					/* The padding bytes that do exist are the right ones for
					 * the claimed length: only the length is wrong. */
					for (uint32_t i = 0; i < n; i++)
						buf[at - n + i] = (uint8_t)(bad[b] - n + i + 1);
					buf[at] = (uint8_t)bad[b];
					pkt_at(&p, buf, sizeof(buf), PKT_HEADROOM, len);
					assert_int_equal(esp_decap_finish(f.sa, &p, &meta_ab),
					    PKT_DROP_BAD_PADDING);
				}
			}
			fix_close(&f);
		}
	}
}

static void
test_decap_finish_next_header_by_mode(void **state)
{
	uint8_t buf[BUF_SIZE], inner[256];
	uint32_t inner_len =
	    tl_build_pkt(inner, NULL, 0, IPPROTO_UDP, 30, 0, 0, 64, TL_ADDR_C, TL_ADDR_D);

	for (size_t k = 0; k < TL_NPAIRS; k++) {
		struct fix f;
		struct pkt p;
		uint32_t len;

		/* Transport: 41 would smuggle a tunnelled packet through a transport SA. */
		fix_open(
		    &f, CRYPTO_BACKEND_OPENSSL, &tl_pairs[k], "transport", TL_ADDR_A, TL_ADDR_B);
		len = build_esp_plain(f.sa, buf, inner, inner_len, least_pad(f.sa, inner_len),
		    (uint8_t)least_pad(f.sa, inner_len), 41);
		pkt_at(&p, buf, sizeof(buf), PKT_HEADROOM, len);
		assert_int_equal(esp_decap_finish(f.sa, &p, &meta_ab), PKT_DROP_BAD_NEXT_HEADER);
		fix_close(&f);

		/* Tunnel: anything but 41. */
		fix_open(&f, CRYPTO_BACKEND_OPENSSL, &tl_pairs[k], "tunnel", TL_ADDR_A, TL_ADDR_B);
		const uint8_t others[] = { 0, 4, 6, 17, 43, 50, 58, 60, 255 };
		for (size_t o = 0; o < sizeof(others); o++) {
			uint32_t pad = least_pad(f.sa, inner_len);

			len = build_esp_plain(
			    f.sa, buf, inner, inner_len, pad, (uint8_t)pad, others[o]);
			pkt_at(&p, buf, sizeof(buf), PKT_HEADROOM, len);
			assert_int_equal(
			    esp_decap_finish(f.sa, &p, &meta_ab), PKT_DROP_BAD_NEXT_HEADER);
		}
		fix_close(&f);
	}
}

/* RFC 4303 section 2.6: next header 59 is a dummy packet, in either mode. */
static void
test_decap_finish_dummy(void **state)
{
	uint8_t buf[BUF_SIZE], junk[64];

	memset(junk, 0xa5, sizeof(junk));
	for (size_t k = 0; k < TL_NPAIRS; k++) {
		for (size_t m = 0; m < 2; m++) {
			struct fix f;

			fix_open(&f, CRYPTO_BACKEND_OPENSSL, &tl_pairs[k], tl_modes[m], TL_ADDR_A,
			    TL_ADDR_B);
			for (uint32_t n = 0; n < 40; n++) {
				uint32_t pad = least_pad(f.sa, n);
				uint32_t len =
				    build_esp_plain(f.sa, buf, junk, n, pad, (uint8_t)pad, 59);
				struct pkt p;

				pkt_at(&p, buf, sizeof(buf), PKT_HEADROOM, len);
				assert_int_equal(
				    esp_decap_finish(f.sa, &p, &meta_ab), PKT_DROP_DUMMY);
			}
			fix_close(&f);
		}
	}
}

/* Tunnel mode: the inner packet must be IPv6 and as long as it says. */
static void
test_decap_finish_tunnel_inner(void **state)
{
	uint8_t buf[BUF_SIZE], inner[512];

	for (size_t k = 0; k < TL_NPAIRS; k++) {
		struct fix f;

		fix_open(&f, CRYPTO_BACKEND_OPENSSL, &tl_pairs[k], "tunnel", TL_ADDR_A, TL_ADDR_B);
		uint32_t ilen = tl_build_pkt(
		    inner, NULL, 0, IPPROTO_TCP, 50, 0x11, 0x777, 5, TL_ADDR_C, TL_ADDR_D);
		const struct {
			uint32_t len;    /* bytes of inner in the payload */
			uint8_t version; /* first nibble */
			uint16_t plen;   /* inner payload length field */
			enum pkt_drop want;
			uint32_t out_len; /* delivered length */
		} cases[] = {
			{ ilen, 6, (uint16_t)(ilen - 40), PKT_DROP_NONE, ilen },
			{ 0, 6, 0, PKT_DROP_INNER_MALFORMED, 0 },
			{ 39, 6, 0, PKT_DROP_INNER_MALFORMED, 0 },
			{ 40, 6, 0, PKT_DROP_NONE, 40 },
			{ ilen, 4, (uint16_t)(ilen - 40), PKT_DROP_INNER_MALFORMED, 0 },
			{ ilen, 0, (uint16_t)(ilen - 40), PKT_DROP_INNER_MALFORMED, 0 },
			{ ilen, 6, (uint16_t)(ilen - 39), PKT_DROP_INNER_MALFORMED, 0 },
			{ ilen, 6, 0xffff, PKT_DROP_INNER_MALFORMED, 0 },
			/* RFC 4303 section 2.7: TFC padding after the inner packet is dropped. */
			{ ilen, 6, (uint16_t)(ilen - 40 - 20), PKT_DROP_NONE, ilen - 20 },
		};
		for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
			uint8_t in[512];
			uint32_t pad = least_pad(f.sa, cases[c].len);
			uint32_t len;
			struct pkt p;

			memcpy(in, inner, sizeof(in));
			in[0] = (uint8_t)(cases[c].version << 4 | (in[0] & 0x0f));
			store_be16(in + 4, cases[c].plen);
			len = build_esp_plain(f.sa, buf, in, cases[c].len, pad, (uint8_t)pad, 41);
			pkt_at(&p, buf, sizeof(buf), PKT_HEADROOM, len);
			assert_int_equal(esp_decap_finish(f.sa, &p, &meta_ab), cases[c].want);
			if (cases[c].want == PKT_DROP_NONE) {
				assert_int_equal(p.len, cases[c].out_len);
				assert_int_equal(
				    p.off, PKT_HEADROOM + ESP_HDR_LEN + f.sa->enc_info->iv_len);
				assert_memory_equal(pkt_data(&p), in, cases[c].out_len);
			}
		}
		fix_close(&f);
	}
}

/* RFC 6040 section 4.2, Figure 4: the ECN field of the packet leaving the tunnel, by inner
 * (rows) and outer (columns) field, Not-ECT, ECT(1), ECT(0), CE; -1: dropped. The inner DSCP
 * stays as it came, whatever the outer one. */
static void
test_decap_finish_tunnel_ecn(void **state)
{
	static const int want[4][4] = {
		/* outer: Not-ECT, ECT(1), ECT(0), CE */
		[0] = { 0, 0, 0, -1 }, /* inner Not-ECT */
		[1] = { 1, 1, 1, 3 },  /* inner ECT(1) */
		[2] = { 2, 1, 2, 3 },  /* inner ECT(0) */
		[3] = { 3, 3, 3, 3 },  /* inner CE */
	};
	uint8_t buf[BUF_SIZE], inner[256];

	for (size_t k = 0; k < TL_NPAIRS; k++) {
		struct fix f;

		fix_open(&f, CRYPTO_BACKEND_OPENSSL, &tl_pairs[k], "tunnel", TL_ADDR_A, TL_ADDR_B);
		for (unsigned in = 0; in < 4; in++) {
			for (unsigned out = 0; out < 4; out++) {
				uint32_t ilen = tl_build_pkt(inner, NULL, 0, IPPROTO_UDP, 33,
				    (uint8_t)(0x28 << 2 | in), 0x12345, 9, TL_ADDR_C, TL_ADDR_D);
				uint32_t pad = least_pad(f.sa, ilen);
				struct esp_meta meta = meta_ab;
				struct pkt p;
				uint32_t len;

				meta.tclass = (uint8_t)(0x2e << 2 | out);
				len =
				    build_esp_plain(f.sa, buf, inner, ilen, pad, (uint8_t)pad, 41);
				pkt_at(&p, buf, sizeof(buf), PKT_HEADROOM, len);
				if (want[in][out] < 0) {
					assert_int_equal(
					    esp_decap_finish(f.sa, &p, &meta), PKT_DROP_ECN);
					continue;
				}
				assert_int_equal(esp_decap_finish(f.sa, &p, &meta), PKT_DROP_NONE);
				assert_int_equal(p.len, ilen);
				/* Traffic class 0x28 << 2 | ECN: bits 4-11 of the first word. */
				inner[1] = (uint8_t)((inner[1] & 0xcf) | want[in][out] << 4);
				assert_memory_equal(pkt_data(&p), inner, ilen);
			}
		}
		fix_close(&f);
	}
}

/* esp_encap + crypto_encrypt_burst, then esp_decap_prepare + crypto_decrypt_burst +
 * esp_decap_finish give the packet back, on both backends; a flipped ICV bit is caught and
 * leaves the ciphertext as it was. */
static void
test_round_trip_both_backends(void **state)
{
	static const enum crypto_backend backends[] = { CRYPTO_BACKEND_OPENSSL,
		CRYPTO_BACKEND_IPSECMB };
	uint8_t buf[BUF_SIZE], orig[DATA_MAX], iv[16], saved[DATA_MAX];

	for (size_t be = 0; be < 2; be++) {
		for (size_t k = 0; k < TL_NPAIRS; k++) {
			for (size_t m = 0; m < 2; m++) {
				struct fix f;

				fix_open(&f, backends[be], &tl_pairs[k], tl_modes[m], TL_ADDR_A,
				    TL_ADDR_B);
				for (uint32_t n = 1; n < 1500; n += 37) {
					uint32_t len = tl_build_pkt(orig, NULL, 0, IPPROTO_UDP, n,
					    0x20, 0, 64, TL_ADDR_A, TL_ADDR_B);
					struct crypto_op op;
					struct esp_meta meta;
					struct pkt p;

					pkt_at(&p, buf, sizeof(buf), PKT_HEADROOM, len);
					memcpy(pkt_data(&p), orig, len);
					fill_iv(iv, sizeof(iv), (uint8_t)n);
					assert_int_equal(
					    esp_encap(f.sa, &p, n, iv, &op), PKT_DROP_NONE);
					crypto_encrypt_burst(f.ctx, &op, 1);
					assert_int_equal(op.status, CRYPTO_OK);
					tl_to_esp(&p, &meta);

					/* Forged: the last ICV byte flipped. */
					pkt_data(&p)[p.len - 1] ^= 1;
					memcpy(saved, pkt_data(&p), p.len);
					assert_int_equal(
					    esp_decap_prepare(f.sa, &p, 1, &op), PKT_DROP_NONE);
					crypto_decrypt_burst(f.ctx, &op, 1);
					assert_int_equal(op.status, CRYPTO_BAD_ICV);
					assert_memory_equal(pkt_data(&p), saved, p.len);
					pkt_data(&p)[p.len - 1] ^= 1;

					assert_int_equal(
					    esp_decap_prepare(f.sa, &p, 1, &op), PKT_DROP_NONE);
					crypto_decrypt_burst(f.ctx, &op, 1);
					assert_int_equal(op.status, CRYPTO_OK);
					assert_int_equal(
					    esp_decap_finish(f.sa, &p, &meta), PKT_DROP_NONE);
					assert_int_equal(p.len, len);
					assert_memory_equal(pkt_data(&p), orig, len);
				}
				fix_close(&f);
			}
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encap_transport_framing_every_length),
		cmocka_unit_test(test_encap_tunnel_framing_every_length),
		cmocka_unit_test(test_encap_tunnel_any_endpoint_takes_inner_address),
		cmocka_unit_test(test_encap_transport_insertion_point),
		cmocka_unit_test(test_encap_too_big_leaves_packet_unchanged),
		cmocka_unit_test(test_encap_too_big_payload_length),
		cmocka_unit_test(test_encap_malformed),
		cmocka_unit_test(test_overhead_max_is_worst_case),
		cmocka_unit_test(test_peek_short_and_fields),
		cmocka_unit_test(test_decap_prepare_every_length),
		cmocka_unit_test(test_decap_finish_transport_rebuild_any_pad_len),
		cmocka_unit_test(test_decap_finish_bad_pad_byte),
		cmocka_unit_test(test_decap_finish_pad_len_too_big),
		cmocka_unit_test(test_decap_finish_next_header_by_mode),
		cmocka_unit_test(test_decap_finish_dummy),
		cmocka_unit_test(test_decap_finish_tunnel_inner),
		cmocka_unit_test(test_decap_finish_tunnel_ecn),
		cmocka_unit_test(test_round_trip_both_backends),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
