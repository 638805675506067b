// SPDX-License-Identifier: MIT
/* The engine on both crypto backends: outbound verdicts (policy none, discard, no match, bound
 * SA, KAME selection, no SA, sequence numbers and their end, malformed packets, fresh IVs) and
 * inbound ones (round trips, unknown SPI, tampering, replay, in-policy check, dummy packets),
 * with every drop counted exactly once, against the SA or globally. */
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ipsec6/bytes.h"
#include "ipsec6/cmd.h"
#include "ipsec6/crypto.h"
#include "ipsec6/db.h"
#include "ipsec6/engine.h"
#include "ipsec6/esp.h"
#include "ipsec6/pkt.h"
#include "ipsec6/replay.h"
#include "ipsec6/sad.h"
#include "ipsec6/spd.h"
#include "testlib.h"

/* The backend every test of the running group uses. */
static enum crypto_backend backend;

/* The ops of the next crypto_encrypt_burst() that fail (bit i: op i) as a backend's failure
 * would: the engine calls this wrapper (tests/meson.build links with --wrap). */
static uint64_t encrypt_fail_mask;

void __real_crypto_encrypt_burst(struct crypto_ctx *ctx, struct crypto_op *ops, size_t n);
void __wrap_crypto_encrypt_burst(struct crypto_ctx *ctx, struct crypto_op *ops, size_t n);

void
__wrap_crypto_encrypt_burst(struct crypto_ctx *ctx, struct crypto_op *ops, size_t n)
{
	__real_crypto_encrypt_burst(ctx, ops, n);
	for (size_t i = 0; i < n && i < 64; i++) {
		if (encrypt_fail_mask & (UINT64_C(1) << i))
			ops[i].status = CRYPTO_FAILED;
	}
	encrypt_fail_mask = 0;
}

/* Every drop counter of the host: per SA (retired ones too) and global. */
static uint64_t
host_drops(const struct tl_host *h)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < sad_all_count(db_sad(h->db)); i++) {
		struct sa *sa = sad_all_at(db_sad(h->db), i);

		for (int d = 0; d < PKT_DROP__COUNT; d++)
			sum += atomic_load(&sa->live->drops[d]);
	}
	for (int d = 0; d < PKT_DROP__COUNT; d++)
		sum += engine_global_drops(h->eng, (enum pkt_drop)d);
	return sum;
}

/* The standard pair of hosts (tl_hosts_open) on this run's backend. */
static void
hosts_open(
    struct tl_host *snd, struct tl_host *rcv, const struct tl_algo_pair *ap, const char *mode)
{
	tl_hosts_open(snd, rcv, backend, ap, mode);
}

/* Outbound over b->p[0, n) on snd; every packet must be protected. Then each is turned into
 * received ESP. */
static void
protect_all(struct tl_host *snd, struct tl_burst *b, size_t n)
{
	engine_out_burst(snd->eng, snd->snap, b->p, n, b->res);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(b->res[i].verdict, ENGINE_PROTECT);
		assert_int_equal(b->res[i].drop, PKT_DROP_NONE);
		tl_to_esp(&b->p[i], &b->meta[i]);
	}
}

/* A packet that passed or was dropped: where it was, as long as it was, byte for byte. */
static void
assert_untouched(const struct pkt *p, const uint8_t *orig, uint32_t len)
{
	assert_int_equal(p->off, PKT_HEADROOM);
	assert_int_equal(p->len, len);
	assert_memory_equal(pkt_data(p), orig, len);
}

static uint32_t
esp_seq(const struct pkt *p)
{
	return load_be32(pkt_data(p) + IPV6_HDR_LEN + 4);
}

static void
test_out_policy_none_passes_unchanged(void **state)
{
	struct tl_burst *b = tl_burst_new();
	uint8_t orig[256];
	struct tl_host h;
	char text[2048] = "";
	uint32_t len = tl_build_pkt(orig, NULL, 0, IPPROTO_UDP, 60, 0, 0, 64, TL_ADDR_A, TL_ADDR_B);

	tl_text_sa(text, sizeof(text), "a", TL_ADDR_A, TL_ADDR_B, 0x1000, "transport", TL_AES_SHA1);
	tl_text_line(text, sizeof(text),
	    "sp add --sp-name=p --sp-source=any --sp-destination=any --flow-direction=out "
	    "--action=none");
	tl_text_line(text, sizeof(text),
	    "sp add --sp-name=q --sp-source=any --sp-destination=any --flow-direction=out "
	    "--action=ipsec --sa-name=a");
	tl_host_open(&h, backend, text);
	for (size_t i = 0; i < 5; i++)
		tl_burst_set(b, i, orig, len);
	engine_out_burst(h.eng, h.snap, b->p, 5, b->res);
	for (size_t i = 0; i < 5; i++) {
		assert_int_equal(b->res[i].verdict, ENGINE_PASS);
		assert_int_equal(b->res[i].drop, PKT_DROP_NONE);
		assert_null(b->res[i].sa);
		assert_untouched(&b->p[i], orig, len);
	}
	assert_int_equal(atomic_load(&tl_host_sa(&h, "a")->live->seq_out), 0);
	assert_int_equal(host_drops(&h), 0);
	tl_host_close(&h);
	free(b);
}

static void
test_out_no_matching_policy_passes(void **state)
{
	struct tl_burst *b = tl_burst_new();
	uint8_t orig[256];
	struct tl_host h;
	char text[2048] = "";
	uint32_t len = tl_build_pkt(orig, NULL, 0, IPPROTO_UDP, 60, 0, 0, 64, TL_ADDR_A, TL_ADDR_B);

	tl_text_sa(text, sizeof(text), "a", TL_ADDR_A, TL_ADDR_B, 0x1000, "transport", TL_AES_SHA1);
	tl_text_line(text, sizeof(text),
	    "sp add --sp-name=p --sp-source=any --sp-destination=any --upper-layer-protocol=tcp "
	    "--flow-direction=out --action=ipsec --sa-name=a");
	tl_text_line(text, sizeof(text),
	    "sp add --sp-name=q --sp-source=any --sp-destination=2001:db8:9::/48 "
	    "--flow-direction=out --action=discard");
	tl_text_line(text, sizeof(text),
	    "sp add --sp-name=r --sp-source=any --sp-destination=any --flow-direction=in "
	    "--action=discard");
	tl_host_open(&h, backend, text);
	tl_burst_set(b, 0, orig, len);
	engine_out_burst(h.eng, h.snap, b->p, 1, b->res);
	assert_int_equal(b->res[0].verdict, ENGINE_PASS);
	assert_memory_equal(pkt_data(&b->p[0]), orig, len);
	assert_int_equal(b->p[0].len, len);
	assert_int_equal(host_drops(&h), 0);
	tl_host_close(&h);
	free(b);
}

static void
test_out_policy_discard_drops(void **state)
{
	struct tl_burst *b = tl_burst_new();
	uint8_t orig[256];
	struct tl_host h;
	char text[2048] = "";
	uint32_t len = tl_build_pkt(orig, NULL, 0, IPPROTO_TCP, 60, 0, 0, 64, TL_ADDR_A, TL_ADDR_B);

	tl_text_sa(text, sizeof(text), "a", TL_ADDR_A, TL_ADDR_B, 0x1000, "transport", TL_AES_SHA1);
	/* First match wins: tcp is discarded before the catch-all ipsec policy sees it. */
	tl_text_line(text, sizeof(text),
	    "sp add --sp-name=p --sp-source=any --sp-destination=any --upper-layer-protocol=tcp "
	    "--flow-direction=out --action=discard");
	tl_text_line(text, sizeof(text),
	    "sp add --sp-name=q --sp-source=any --sp-destination=any --flow-direction=out "
	    "--action=ipsec --sa-name=a");
	tl_host_open(&h, backend, text);
	for (size_t i = 0; i < 6; i++)
		tl_burst_set(b, i, orig, len);
	pkt_data(&b->p[5])[6] = IPPROTO_UDP;
	engine_out_burst(h.eng, h.snap, b->p, 6, b->res);
	for (size_t i = 0; i < 5; i++) {
		assert_int_equal(b->res[i].verdict, ENGINE_DROP);
		assert_int_equal(b->res[i].drop, PKT_DROP_POLICY_DISCARD);
		assert_untouched(&b->p[i], orig, len);
	}
	assert_int_equal(b->res[5].verdict, ENGINE_PROTECT);
	assert_int_equal(engine_global_drops(h.eng, PKT_DROP_POLICY_DISCARD), 5);
	assert_int_equal(host_drops(&h), 5);
	tl_host_close(&h);
	free(b);
}

/* A bound SA: PROTECT, its SPI, sequence numbers 1, 2, 3, ... across bursts, counters. */
static void
test_out_bound_sa_sequence_numbers(void **state)
{
	struct tl_burst *b = tl_burst_new();
	uint8_t orig[256];

	for (size_t k = 0; k < TL_NPAIRS; k++) {
		for (size_t m = 0; m < 2; m++) {
			struct tl_host snd, rcv;
			uint32_t seq = 0;
			uint64_t bytes = 0;
			struct sa *sa;

			hosts_open(&snd, &rcv, &tl_pairs[k], tl_modes[m]);
			sa = tl_host_sa(&snd, "a");
			for (size_t round = 0; round < 3; round++) {
				size_t n = 1 + round * 20;

				for (size_t i = 0; i < n; i++) {
					uint32_t len = tl_build_pkt(orig, NULL, 0, IPPROTO_UDP,
					    (uint32_t)(10 + i), 0, 0, 64, TL_ADDR_A, TL_ADDR_B);

					tl_burst_set(b, i, orig, len);
					bytes += len;
				}
				engine_out_burst(snd.eng, snd.snap, b->p, n, b->res);
				for (size_t i = 0; i < n; i++) {
					assert_int_equal(b->res[i].verdict, ENGINE_PROTECT);
					assert_ptr_equal(b->res[i].sa, sa);
					assert_int_equal(
					    load_be32(pkt_data(&b->p[i]) + IPV6_HDR_LEN), 0x1000);
					assert_int_equal(esp_seq(&b->p[i]), ++seq);
				}
			}
			assert_int_equal(atomic_load(&sa->live->pkts_out), seq);
			assert_int_equal(atomic_load(&sa->live->bytes_out), bytes);
			assert_int_equal(atomic_load(&sa->live->pkts_in), 0);
			assert_int_equal(host_drops(&snd), 0);
			tl_host_close(&snd);
			tl_host_close(&rcv);
		}
	}
	free(b);
}

/* A policy that names no SA takes the first SA (in add order) whose source and destination
 * (or any) and mode fit the packet; none fits: dropped, counted globally. */
static void
test_out_kame_selection(void **state)
{
	static const struct {
		uint8_t proto;
		const char *src;
		const char *dst;
		enum engine_verdict verdict;
		uint32_t spi; /* or the drop reason */
	} cases[] = {
		{ IPPROTO_UDP, TL_ADDR_A, TL_ADDR_B, ENGINE_PROTECT,
		    0x2002 }, /* skips t1 (mode), x */
		{ IPPROTO_TCP, TL_ADDR_A, TL_ADDR_B, ENGINE_PROTECT,
		    0x2000 }, /* tunnel policy: t1 */
		{ IPPROTO_UDP, TL_ADDR_A, TL_ADDR_C, ENGINE_PROTECT, 0x2001 },
		{ IPPROTO_UDP, TL_ADDR_B, TL_ADDR_D, ENGINE_PROTECT, 0x2004 }, /* any source */
		{ IPPROTO_UDP, TL_ADDR_B, TL_ADDR_A, ENGINE_DROP, PKT_DROP_NO_SA },
		{ IPPROTO_TCP, TL_ADDR_A, TL_ADDR_C, ENGINE_DROP,
		    PKT_DROP_NO_SA }, /* x is transport */
	};
	struct tl_burst *b = tl_burst_new();
	char text[8192] = "";
	uint8_t orig[256];
	struct tl_host h;
	size_t n = sizeof(cases) / sizeof(cases[0]);

	tl_text_sa(text, sizeof(text), "t1", TL_ADDR_A, TL_ADDR_B, 0x2000, "tunnel", TL_AES_SHA1);
	tl_text_sa(text, sizeof(text), "x", TL_ADDR_A, TL_ADDR_C, 0x2001, "transport", TL_AES_SHA1);
	tl_text_sa(text, sizeof(text), "b", TL_ADDR_A, TL_ADDR_B, 0x2002, "transport", TL_AES_SHA1);
	tl_text_sa(
	    text, sizeof(text), "b2", TL_ADDR_A, TL_ADDR_B, 0x2003, "transport", TL_AES_SHA1);
	tl_text_sa(
	    text, sizeof(text), "anysrc", "any", TL_ADDR_D, 0x2004, "transport", TL_AES_SHA1);
	tl_text_line(text, sizeof(text),
	    "sp add --sp-name=t --sp-source=any --sp-destination=any --upper-layer-protocol=tcp "
	    "--flow-direction=out --action=ipsec --sp-mode=tunnel");
	tl_text_line(text, sizeof(text),
	    "sp add --sp-name=u --sp-source=any --sp-destination=any --flow-direction=out "
	    "--action=ipsec");
	tl_host_open(&h, backend, text);
	for (size_t i = 0; i < n; i++)
		tl_burst_set(b, i, orig,
		    tl_build_pkt(
			orig, NULL, 0, cases[i].proto, 30, 0, 0, 64, cases[i].src, cases[i].dst));
	engine_out_burst(h.eng, h.snap, b->p, n, b->res);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(b->res[i].verdict, cases[i].verdict);
		if (cases[i].verdict == ENGINE_PROTECT) {
			assert_int_equal(
			    load_be32(pkt_data(&b->p[i]) + IPV6_HDR_LEN), cases[i].spi);
			assert_int_equal(b->res[i].sa->spi, cases[i].spi);
		} else {
			assert_int_equal(b->res[i].drop, cases[i].spi);
			assert_null(b->res[i].sa);
		}
	}
	assert_int_equal(engine_global_drops(h.eng, PKT_DROP_NO_SA), 2);
	assert_int_equal(host_drops(&h), 2);
	tl_host_close(&h);
	free(b);
}

/* After `sa remove --remove-all` a policy that named an SA protects nothing: its traffic is
 * dropped, never sent in the clear. */
static void
test_out_policy_whose_sa_was_removed_drops(void **state)
{
	struct tl_burst *b = tl_burst_new();
	char text[4096] = "";
	uint8_t orig[256];
	struct tl_host h;

	tl_text_sa(text, sizeof(text), "a", TL_ADDR_A, TL_ADDR_B, 0x1000, "transport", TL_AES_SHA1);
	tl_text_line(text, sizeof(text),
	    "sp add --sp-name=p --sp-source=any --sp-destination=any --flow-direction=out "
	    "--action=ipsec --sa-name=a");
	tl_text_line(text, sizeof(text), "sa remove --remove-all");
	tl_host_open(&h, backend, text);
	tl_burst_set(b, 0, orig,
	    tl_build_pkt(orig, NULL, 0, IPPROTO_UDP, 30, 0, 0, 64, TL_ADDR_A, TL_ADDR_B));
	engine_out_burst(h.eng, h.snap, b->p, 1, b->res);
	assert_int_equal(b->res[0].verdict, ENGINE_DROP);
	assert_int_equal(b->res[0].drop, PKT_DROP_NO_SA);
	assert_int_equal(engine_global_drops(h.eng, PKT_DROP_NO_SA), 1);
	tl_host_close(&h);
	free(b);
}

/* An SA's sender whose sequence numbers are about to be refused: four packets of a burst. */
struct seq_case {
	struct tl_burst *b;
	struct tl_host snd, rcv;
	uint8_t orig[256];
	uint32_t len;
	struct sa *sa;
};

static void
seq_case_open(struct seq_case *c)
{
	c->b = tl_burst_new();
	c->len = tl_build_pkt(c->orig, NULL, 0, IPPROTO_UDP, 30, 0, 0, 64, TL_ADDR_A, TL_ADDR_B);
	hosts_open(&c->snd, &c->rcv, TL_AES_SHA1, "transport");
	c->sa = tl_host_sa(&c->snd, "a");
}

/* The burst of four: the first two protected with numbers first and first + 1, the other two
 * refused for drop and left untouched. */
static void
seq_case_burst(struct seq_case *c, uint32_t first, enum pkt_drop drop)
{
	for (size_t i = 0; i < 4; i++)
		tl_burst_set(c->b, i, c->orig, c->len);
	engine_out_burst(c->snd.eng, c->snd.snap, c->b->p, 4, c->b->res);
	for (size_t i = 0; i < 2; i++) {
		assert_int_equal(c->b->res[i].verdict, ENGINE_PROTECT);
		assert_int_equal(esp_seq(&c->b->p[i]), first + i);
	}
	for (size_t i = 2; i < 4; i++) {
		assert_int_equal(c->b->res[i].verdict, ENGINE_DROP);
		assert_int_equal(c->b->res[i].drop, drop);
		assert_ptr_equal(c->b->res[i].sa, c->sa);
		assert_untouched(&c->b->p[i], c->orig, c->len);
	}
}

/* One more packet; its result. */
static const struct engine_result *
seq_case_one(struct seq_case *c)
{
	tl_burst_set(c->b, 0, c->orig, c->len);
	engine_out_burst(c->snd.eng, c->snd.snap, c->b->p, 1, c->b->res);
	return &c->b->res[0];
}

static void
seq_case_close(struct seq_case *c)
{
	tl_host_close(&c->snd);
	tl_host_close(&c->rcv);
	free(c->b);
}

/* RFC 4303 section 3.3.3: without ESN the sequence number never cycles. */
static void
test_out_seq_overflow(void **state)
{
	struct seq_case c;

	seq_case_open(&c);
	atomic_store(&c.sa->live->seq_out, (uint64_t)UINT32_MAX - 2);
	seq_case_burst(&c, 0xfffffffeu, PKT_DROP_SEQ_OVERFLOW);
	/* Still spent in the next burst. */
	assert_int_equal(seq_case_one(&c)->drop, PKT_DROP_SEQ_OVERFLOW);
	assert_int_equal(atomic_load(&c.sa->live->drops[PKT_DROP_SEQ_OVERFLOW]), 3);
	assert_int_equal(atomic_load(&c.sa->live->pkts_out), 2);
	assert_int_equal(host_drops(&c.snd), 3);
	assert_true(atomic_load(&c.sa->live->seq_out) == UINT32_MAX);
	seq_case_close(&c);
}

/* SAs with extended sequence numbers, one with an integrity algorithm, one with AES-GCM. */
static const struct tl_algo_pair esn_pairs[] = {
	{ "aes128-cbc", "hmac-sha1", TL_KEY_AES, TL_KEY_SHA1, 1 },
	{ "aes128-gcm16", NULL, TL_KEY_GCM128, NULL, 1 },
};

/* RFC 4303 section 2.2.1: with ESN the counter goes on past 2^32 - 1; the packet carries the
 * low half, the ICV (or GCM's AAD) the high half; the receiver infers it (Appendix A) and
 * delivers every packet across the boundary, once. GCM's IV is the whole 64-bit number. */
static void
test_esn_crosses_2_to_the_32(void **state)
{
	const uint64_t b32 = (uint64_t)1 << 32;

	for (size_t k = 0; k < sizeof(esn_pairs) / sizeof(esn_pairs[0]); k++) {
		struct tl_burst *b = tl_burst_new();
		uint8_t orig[8][256];
		uint32_t lens[8];
		struct tl_host snd, rcv;
		struct sa *sa;

		hosts_open(&snd, &rcv, &esn_pairs[k], "transport");
		sa = tl_host_sa(&snd, "a");
		assert_true(sa->esn);
		atomic_store(&sa->live->seq_out, b32 - 4);
		for (size_t i = 0; i < 8; i++) {
			lens[i] = tl_build_pkt(orig[i], NULL, 0, IPPROTO_UDP, 20 + (uint32_t)i, 0,
			    0, 64, TL_ADDR_A, TL_ADDR_B);
			tl_burst_set(b, i, orig[i], lens[i]);
		}
		protect_all(&snd, b, 8);
		for (size_t i = 0; i < 8; i++) {
			uint64_t seq = b32 - 3 + i;
			const uint8_t *esp = pkt_data(&b->p[i]);

			assert_int_equal(load_be32(esp + 4), (uint32_t)seq);
			if (sa->enc_info->icv_len != 0)
				assert_true(load_be64(esp + ESP_HDR_LEN) == seq);
		}
		/* The first packet alone: the receiver's window learns where the sender is (it
		 * infers from the top it had when a burst began). */
		engine_in_burst(rcv.eng, rcv.snap, b->p, b->meta, 1, b->res);
		assert_int_equal(b->res[0].verdict, ENGINE_DELIVER);
		engine_in_burst(rcv.eng, rcv.snap, b->p + 1, b->meta + 1, 7, b->res + 1);
		for (size_t i = 0; i < 8; i++) {
			assert_int_equal(b->res[i].verdict, ENGINE_DELIVER);
			assert_int_equal(b->p[i].len, lens[i]);
			assert_memory_equal(pkt_data(&b->p[i]), orig[i], lens[i]);
		}
		assert_true(tl_host_sa(&rcv, "a")->live->replay.top == b32 + 4);
		assert_true(atomic_load(&tl_host_sa(&rcv, "a")->live->seq_in_top) == b32 + 4);
		assert_int_equal(host_drops(&rcv), 0);
		tl_host_close(&snd);
		tl_host_close(&rcv);
		free(b);
	}
}

/* The high half is authenticated even while it is 0: a receiver without ESN (or with it, under
 * a number it infers wrongly) drops the packet at the ICV. */
static void
test_esn_high_half_is_authenticated(void **state)
{
	for (size_t k = 0; k < sizeof(esn_pairs) / sizeof(esn_pairs[0]); k++) {
		struct tl_algo_pair plain = esn_pairs[k];
		struct tl_burst *b = tl_burst_new();
		struct tl_host snd, rcv, rcv32, unused;
		uint8_t orig[256];
		uint32_t len =
		    tl_build_pkt(orig, NULL, 0, IPPROTO_UDP, 40, 0, 0, 64, TL_ADDR_A, TL_ADDR_B);

		plain.esn = 0;
		hosts_open(&snd, &rcv, &esn_pairs[k], "transport");
		hosts_open(&unused, &rcv32, &plain, "transport");
		for (size_t i = 0; i < 2; i++)
			tl_burst_set(b, i, orig, len);
		protect_all(&snd, b, 2);
		engine_in_burst(rcv32.eng, rcv32.snap, b->p, b->meta, 1, b->res);
		assert_int_equal(b->res[0].drop, PKT_DROP_ICV);
		engine_in_burst(rcv.eng, rcv.snap, b->p + 1, b->meta + 1, 1, b->res + 1);
		assert_int_equal(b->res[1].verdict, ENGINE_DELIVER);
		tl_host_close(&snd);
		tl_host_close(&rcv);
		tl_host_close(&unused);
		tl_host_close(&rcv32);
		free(b);
	}
}

/* Even 64 bits end: an ESN SA is spent too (at 2^64 - 2^32), never wrapping to 0. */
static void
test_esn_seq_overflow(void **state)
{
	struct tl_burst *b = tl_burst_new();
	struct tl_host snd, rcv;
	uint8_t orig[256];
	uint32_t len = tl_build_pkt(orig, NULL, 0, IPPROTO_UDP, 40, 0, 0, 64, TL_ADDR_A, TL_ADDR_B);
	struct sa *sa;

	hosts_open(&snd, &rcv, &esn_pairs[1], "transport");
	sa = tl_host_sa(&snd, "a");
	atomic_store(&sa->live->seq_out, SA_SEQ_LAST_ESN - 1);
	for (size_t i = 0; i < 3; i++)
		tl_burst_set(b, i, orig, len);
	engine_out_burst(snd.eng, snd.snap, b->p, 3, b->res);
	assert_int_equal(b->res[0].verdict, ENGINE_PROTECT);
	assert_int_equal(esp_seq(&b->p[0]), (uint32_t)SA_SEQ_LAST_ESN);
	assert_int_equal(b->res[1].drop, PKT_DROP_SEQ_OVERFLOW);
	assert_int_equal(b->res[2].drop, PKT_DROP_SEQ_OVERFLOW);
	assert_int_equal(atomic_load(&sa->live->drops[PKT_DROP_SEQ_OVERFLOW]), 2);
	/* The counter stays at the last number: it never wraps to 0 and 1 again. */
	assert_true(atomic_load(&sa->live->seq_out) == SA_SEQ_LAST_ESN);
	tl_host_close(&snd);
	tl_host_close(&rcv);
	free(b);
}

/* Numbers from seq_limit on are not durably reserved: refused, the packet untouched, until the
 * limit moves. */
static void
test_out_seq_unreserved(void **state)
{
	struct seq_case c;

	seq_case_open(&c);
	atomic_store(&c.sa->live->seq_limit, 3);
	seq_case_burst(&c, 1, PKT_DROP_SEQ_UNRESERVED);
	atomic_store(&c.sa->live->seq_limit, 100);
	assert_int_equal(seq_case_one(&c)->verdict, ENGINE_PROTECT);
	assert_int_equal(esp_seq(&c.b->p[0]), 5); /* 3 and 4 were refused, never sent */
	assert_int_equal(atomic_load(&c.sa->live->drops[PKT_DROP_SEQ_UNRESERVED]), 2);
	seq_case_close(&c);
}

/* Packets that are not well-formed IPv6 are dropped unchanged, counted globally; the good one
 * in the same burst goes on. */
static void
test_out_malformed(void **state)
{
	enum {
		SHORT,
		V4,
		PLEN,
		EXT_LONG,
		HBH_SECOND,
		UDP_NO_PORTS,
		GOOD,
		N
	};
	struct tl_burst *b = tl_burst_new();
	uint8_t orig[N][256];
	const uint8_t hbh[] = { 0 }, two_hbh[] = { 0, 0 };
	struct tl_host snd, rcv;
	uint32_t lens[N];

	hosts_open(&snd, &rcv, TL_AES_SHA1, "transport");
	tl_build_pkt(orig[SHORT], NULL, 0, IPPROTO_UDP, 30, 0, 0, 64, TL_ADDR_A, TL_ADDR_B);
	lens[SHORT] = 39;
	lens[V4] = tl_build_pkt(orig[V4], NULL, 0, IPPROTO_UDP, 30, 0, 0, 64, TL_ADDR_A, TL_ADDR_B);
	orig[V4][0] = 0x45;
	lens[PLEN] =
	    tl_build_pkt(orig[PLEN], NULL, 0, IPPROTO_UDP, 30, 0, 0, 64, TL_ADDR_A, TL_ADDR_B);
	store_be16(orig[PLEN] + 4, 31);
	lens[EXT_LONG] =
	    tl_build_pkt(orig[EXT_LONG], hbh, 1, IPPROTO_UDP, 0, 0, 0, 64, TL_ADDR_A, TL_ADDR_B);
	orig[EXT_LONG][IPV6_HDR_LEN + 1] = 2;
	/* RFC 8200 section 4.3: hop-by-hop only right after the IPv6 header. */
	lens[HBH_SECOND] = tl_build_pkt(
	    orig[HBH_SECOND], two_hbh, 2, IPPROTO_UDP, 20, 0, 0, 64, TL_ADDR_A, TL_ADDR_B);
	lens[UDP_NO_PORTS] = tl_build_pkt(
	    orig[UDP_NO_PORTS], NULL, 0, IPPROTO_UDP, 3, 0, 0, 64, TL_ADDR_A, TL_ADDR_B);
	lens[GOOD] =
	    tl_build_pkt(orig[GOOD], NULL, 0, IPPROTO_UDP, 30, 0, 0, 64, TL_ADDR_A, TL_ADDR_B);
	for (size_t i = 0; i < N; i++)
		tl_burst_set(b, i, orig[i], lens[i]);
	engine_out_burst(snd.eng, snd.snap, b->p, N, b->res);
	for (size_t i = 0; i < GOOD; i++) {
		assert_int_equal(b->res[i].verdict, ENGINE_DROP);
		assert_int_equal(b->res[i].drop, PKT_DROP_MALFORMED);
		assert_null(b->res[i].sa);
		assert_untouched(&b->p[i], orig[i], lens[i]);
	}
	assert_int_equal(b->res[GOOD].verdict, ENGINE_PROTECT);
	assert_int_equal(esp_seq(&b->p[GOOD]), 1);
	assert_int_equal(engine_global_drops(snd.eng, PKT_DROP_MALFORMED), GOOD);
	assert_int_equal(host_drops(&snd), GOOD);
	tl_host_close(&snd);
	tl_host_close(&rcv);
	free(b);
}

/* Bytes after the IPv6 payload (link padding) are not packet: a protected packet leaves them
 * out, packets that pass or drop (also for want of room) keep them. */
static void
test_out_link_padding(void **state)
{
	struct tl_burst *b = tl_burst_new();
	uint8_t orig[256], copy[4][256];
	char text[4096] = "";
	struct tl_host h, rcv;
	uint32_t len = tl_build_pkt(orig, NULL, 0, IPPROTO_UDP, 30, 0, 0, 64, TL_ADDR_A, TL_ADDR_B);

	tl_text_sa(text, sizeof(text), "a", TL_ADDR_A, TL_ADDR_B, 0x1000, "transport", TL_AES_SHA1);
	tl_text_line(text, sizeof(text),
	    "sp add --sp-name=n --sp-source=any --sp-destination=any --upper-layer-protocol=tcp "
	    "--flow-direction=out --action=none");
	tl_text_line(text, sizeof(text),
	    "sp add --sp-name=d --sp-source=any --sp-destination=any --upper-layer-protocol=icmp6 "
	    "--flow-direction=out --action=discard");
	tl_text_line(text, sizeof(text),
	    "sp add --sp-name=o --sp-source=any --sp-destination=any --flow-direction=out "
	    "--action=ipsec --sa-name=a");
	tl_text_line(text, sizeof(text),
	    "sp add --sp-name=i --sp-source=any --sp-destination=any --flow-direction=in "
	    "--action=ipsec --sa-name=a");
	tl_host_open(&h, backend, text);
	tl_host_open(&rcv, backend, text);
	memset(orig + len, 0xab, 6);
	for (size_t i = 0; i < 4; i++)
		tl_burst_set(b, i, orig, len + 6);
	pkt_data(&b->p[0])[6] = IPPROTO_TCP;
	pkt_data(&b->p[1])[6] = IPPROTO_ICMPV6;
	/* 3: no tailroom at all. */
	b->p[3].size = PKT_HEADROOM + len + 6;
	for (size_t i = 0; i < 4; i++)
		memcpy(copy[i], pkt_data(&b->p[i]), len + 6);
	engine_out_burst(h.eng, h.snap, b->p, 4, b->res);
	assert_int_equal(b->res[0].verdict, ENGINE_PASS);
	assert_int_equal(b->res[1].drop, PKT_DROP_POLICY_DISCARD);
	assert_int_equal(b->res[2].verdict, ENGINE_PROTECT);
	assert_int_equal(b->res[3].drop, PKT_DROP_TOO_BIG);
	for (size_t k = 0; k < 3; k++) {
		static const size_t kept[] = { 0, 1, 3 };

		assert_untouched(&b->p[kept[k]], copy[kept[k]], len + 6);
	}
	assert_int_equal(atomic_load(&tl_host_sa(&h, "a")->live->bytes_out), len);
	tl_to_esp(&b->p[2], &b->meta[2]);
	engine_in_burst(rcv.eng, rcv.snap, &b->p[2], &b->meta[2], 1, &b->res[2]);
	assert_int_equal(b->res[2].verdict, ENGINE_DELIVER);
	assert_int_equal(b->p[2].len, len);
	assert_memory_equal(pkt_data(&b->p[2]), orig, len);
	tl_host_close(&h);
	tl_host_close(&rcv);
	free(b);
}

/* RFC 3602 section 2: CBC IVs unpredictable; the same packet twice never looks the same. */
static void
test_out_ivs_differ(void **state)
{
	struct tl_burst *b = tl_burst_new();
	uint8_t orig[256];

	for (size_t k = 0; k < TL_NPAIRS; k++) {
		struct tl_host snd, rcv;
		uint32_t len =
		    tl_build_pkt(orig, NULL, 0, IPPROTO_UDP, 64, 0, 0, 64, TL_ADDR_A, TL_ADDR_B);
		size_t iv_len;

		if (strcmp(tl_pairs[k].enc, "null") == 0)
			continue;

		hosts_open(&snd, &rcv, &tl_pairs[k], "transport");
		iv_len = tl_host_sa(&snd, "a")->enc_info->iv_len;
		for (size_t i = 0; i < ENGINE_BURST_MAX; i++)
			tl_burst_set(b, i, orig, len);
		engine_out_burst(snd.eng, snd.snap, b->p, ENGINE_BURST_MAX, b->res);
		for (size_t i = 0; i < ENGINE_BURST_MAX; i++) {
			const uint8_t *iv = pkt_data(&b->p[i]) + IPV6_HDR_LEN + ESP_HDR_LEN;

			assert_int_equal(b->res[i].verdict, ENGINE_PROTECT);
			for (size_t j = 0; j < i; j++) {
				const uint8_t *other =
				    pkt_data(&b->p[j]) + IPV6_HDR_LEN + ESP_HDR_LEN;

				assert_memory_not_equal(iv, other, iv_len);
				/* The first ciphertext block differs too. */
				assert_memory_not_equal(iv + iv_len, other + iv_len, 8);
			}
		}
		tl_host_close(&snd);
		tl_host_close(&rcv);
	}
	free(b);
}

/* Out, then in: every pair and mode, many lengths and protocols, a burst at a time. The
 * receiver gives back the packet; in transport mode its hop limit and traffic class are the
 * ones the socket saw (meta). Counters on both sides. */
static void
test_round_trip(void **state)
{
	static const uint8_t protos[] = { IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMPV6, 132 };
	static const uint8_t dst_opts[] = { 60 };
	struct tl_burst *b = tl_burst_new();
	uint8_t orig[ENGINE_BURST_MAX][TL_SLOT_DATA];
	uint32_t lens[ENGINE_BURST_MAX];

	for (size_t k = 0; k < TL_NPAIRS; k++) {
		for (size_t m = 0; m < 2; m++) {
			struct tl_host snd, rcv;
			uint64_t bytes = 0, pkts = 0;

			hosts_open(&snd, &rcv, &tl_pairs[k], tl_modes[m]);
			for (uint32_t base = 0; base < 1400; base += 5 * ENGINE_BURST_MAX) {
				size_t n = ENGINE_BURST_MAX;

				for (size_t i = 0; i < n; i++) {
					uint32_t ulp = 4 + (base + (uint32_t)i * 5) % 1400;
					/* Tunnel inner packets need not be between the endpoints.
					 */
					const char *src = m == 1 && i % 2 ? TL_ADDR_C : TL_ADDR_A;
					const char *dst = m == 1 && i % 2 ? TL_ADDR_D : TL_ADDR_B;

					lens[i] = tl_build_pkt(orig[i], dst_opts,
					    (size_t)(i % 3 == 0), protos[i % 4], ulp,
					    (uint8_t)(i * 9), 0, (uint8_t)(i + 2), src, dst);
					tl_burst_set(b, i, orig[i], lens[i]);
					bytes += lens[i];
				}
				protect_all(&snd, b, n);
				for (size_t i = 0; i < n; i++) {
					/* A router on the way lowered the hop limit and re-marked.
					 */
					b->meta[i].hop_limit = (uint8_t)(b->meta[i].hop_limit - 1);
					b->meta[i].tclass ^= 0x04;
				}
				engine_in_burst(rcv.eng, rcv.snap, b->p, b->meta, n, b->res);
				for (size_t i = 0; i < n; i++) {
					uint8_t want[TL_SLOT_DATA];
					const uint8_t *got = pkt_data(&b->p[i]);

					assert_int_equal(b->res[i].verdict, ENGINE_DELIVER);
					assert_int_equal(b->res[i].drop, PKT_DROP_NONE);
					assert_ptr_equal(b->res[i].sa, tl_host_sa(&rcv, "a"));
					memcpy(want, orig[i], lens[i]);
					if (m == 0) {
						want[7] = b->meta[i].hop_limit;
						store_be32(want,
						    (uint32_t)6 << 28 |
							(uint32_t)b->meta[i].tclass << 20);
					}
					assert_int_equal(b->p[i].len, lens[i]);
					assert_memory_equal(got, want, lens[i]);
					pkts++;
				}
			}
			assert_int_equal(atomic_load(&tl_host_sa(&snd, "a")->live->pkts_out), pkts);
			assert_int_equal(
			    atomic_load(&tl_host_sa(&snd, "a")->live->bytes_out), bytes);
			assert_int_equal(atomic_load(&tl_host_sa(&rcv, "a")->live->pkts_in), pkts);
			assert_int_equal(
			    atomic_load(&tl_host_sa(&rcv, "a")->live->bytes_in), bytes);
			assert_int_equal(host_drops(&snd), 0);
			assert_int_equal(host_drops(&rcv), 0);
			tl_host_close(&snd);
			tl_host_close(&rcv);
		}
	}
	free(b);
}

/* Transport mode: headers before ESP (hop-by-hop, routing, fragment) were for the way; the
 * delivered packet is a fresh IPv6 header from meta, then what ESP protected. */
static void
test_round_trip_transport_headers_before_esp(void **state)
{
	static const uint8_t ext[] = { 0, 43, 44, 60 };
	struct tl_burst *b = tl_burst_new();
	uint8_t orig[512];
	struct tl_host snd, rcv;
	uint32_t len =
	    tl_build_pkt(orig, ext, 4, IPPROTO_UDP, 100, 0x30, 0, 50, TL_ADDR_A, TL_ADDR_B);
	const uint8_t *got;

	hosts_open(&snd, &rcv, TL_AES_SHA1, "transport");
	tl_burst_set(b, 0, orig, len);
	protect_all(&snd, b, 1);
	engine_in_burst(rcv.eng, rcv.snap, b->p, b->meta, 1, b->res);
	assert_int_equal(b->res[0].verdict, ENGINE_DELIVER);
	got = pkt_data(&b->p[0]);
	assert_int_equal(b->p[0].len, len - 24);
	assert_memory_equal(got, orig, 4);
	assert_int_equal(load_be16(got + 4), len - 24 - IPV6_HDR_LEN);
	assert_int_equal(got[6], 60);
	assert_memory_equal(got + 7, orig + 7, 33);
	assert_memory_equal(got + IPV6_HDR_LEN, orig + IPV6_HDR_LEN + 24, len - 64);
	tl_host_close(&snd);
	tl_host_close(&rcv);
	free(b);
}

static void
test_in_unknown_spi_and_short(void **state)
{
	struct tl_burst *b = tl_burst_new();
	uint8_t orig[256];
	struct tl_host snd, rcv;
	struct sa *sa;

	hosts_open(&snd, &rcv, TL_AES_SHA1, "tunnel");
	sa = tl_host_sa(&rcv, "a");
	for (size_t i = 0; i < 4; i++)
		tl_burst_set(b, i, orig,
		    tl_build_pkt(orig, NULL, 0, IPPROTO_UDP, 30, 0, 0, 64, TL_ADDR_A, TL_ADDR_B));
	protect_all(&snd, b, 4);
	store_be32(pkt_data(&b->p[0]), 0x1001);           /* no such SPI */
	tl_addr_bytes(TL_ADDR_C, b->meta[1].dst.s6_addr); /* SPI of another destination */
	b->p[2].len = 7;                                  /* not even an ESP header */
	b->p[3].len = ESP_HDR_LEN + 16 + 12 + 15;         /* header but not one block */
	engine_in_burst(rcv.eng, rcv.snap, b->p, b->meta, 4, b->res);
	assert_int_equal(b->res[0].drop, PKT_DROP_NO_SA);
	assert_null(b->res[0].sa);
	assert_int_equal(b->res[1].drop, PKT_DROP_NO_SA);
	assert_int_equal(b->res[2].drop, PKT_DROP_SHORT);
	assert_null(b->res[2].sa);
	assert_int_equal(b->res[3].drop, PKT_DROP_SHORT);
	assert_ptr_equal(b->res[3].sa, sa);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(b->res[i].verdict, ENGINE_DROP);
	assert_int_equal(engine_global_drops(rcv.eng, PKT_DROP_NO_SA), 2);
	assert_int_equal(engine_global_drops(rcv.eng, PKT_DROP_SHORT), 1);
	assert_int_equal(atomic_load(&sa->live->drops[PKT_DROP_SHORT]), 1);
	assert_int_equal(host_drops(&rcv), 4);
	tl_host_close(&snd);
	tl_host_close(&rcv);
	free(b);
}

/* The SA serves one source: ESP for it from elsewhere is refused before any crypto. */
static void
test_in_sa_mismatch(void **state)
{
	struct tl_burst *b = tl_burst_new();
	uint8_t orig[256];
	struct tl_host snd, rcv;

	hosts_open(&snd, &rcv, TL_AES_SHA1, "transport");
	tl_burst_set(b, 0, orig,
	    tl_build_pkt(orig, NULL, 0, IPPROTO_UDP, 30, 0, 0, 64, TL_ADDR_A, TL_ADDR_B));
	protect_all(&snd, b, 1);
	tl_addr_bytes(TL_ADDR_C, b->meta[0].src.s6_addr);
	engine_in_burst(rcv.eng, rcv.snap, b->p, b->meta, 1, b->res);
	assert_int_equal(b->res[0].verdict, ENGINE_DROP);
	assert_int_equal(b->res[0].drop, PKT_DROP_SA_MISMATCH);
	assert_int_equal(atomic_load(&tl_host_sa(&rcv, "a")->live->drops[PKT_DROP_SA_MISMATCH]), 1);
	assert_int_equal(host_drops(&rcv), 1);
	tl_host_close(&snd);
	tl_host_close(&rcv);
	free(b);
}

/* ESP in UDP (RFC 3948): the SA's packets leave with a UDP header from its source port to its
 * destination port right after the IPv6 header (checksum 0: the socket's to fill), and are
 * delivered only when they arrive so; plain ESP for it, or ESP in UDP on other ports or for a
 * plain SA, is dropped before any crypto and counted against the SA. */
static void
test_encap_udp(void **state)
{
	static const uint8_t ext[] = { 0 };
	struct tl_burst *b = tl_burst_new();
	uint8_t orig[4][256];
	uint32_t lens[4];

	for (size_t m = 0; m < 2; m++) {
		struct tl_host snd, rcv, psnd, plain;
		char text[4096] = "";
		struct sa *sa;

		tl_text_sa(text, sizeof(text), "a", TL_ADDR_A, TL_ADDR_B, 0x1000, tl_modes[m],
		    TL_AES_SHA1);
		text[strlen(text) - 1] = '\0';
		tl_text_line(text, sizeof(text), " --encapsulation-ports=4501:4502");
		tl_text_line(text, sizeof(text),
		    "sp add --sp-name=out --sp-source=any --sp-destination=any "
		    "--flow-direction=out --action=ipsec --sa-name=a");
		tl_text_line(text, sizeof(text),
		    "sp add --sp-name=in --sp-source=any --sp-destination=any "
		    "--flow-direction=in --action=ipsec --sa-name=a");
		tl_host_open(&snd, backend, text);
		tl_host_open(&rcv, backend, text);
		hosts_open(&psnd, &plain, TL_AES_SHA1, tl_modes[m]);
		sa = tl_host_sa(&rcv, "a");
		for (size_t i = 0; i < 4; i++) {
			lens[i] = tl_build_pkt(orig[i], NULL, 0, IPPROTO_TCP, 100 + (uint32_t)i, 0,
			    0, 64, TL_ADDR_A, TL_ADDR_B);
			tl_burst_set(b, i, orig[i], lens[i]);
		}
		engine_out_burst(snd.eng, snd.snap, b->p, 4, b->res);
		for (size_t i = 0; i < 4; i++) {
			const uint8_t *d = pkt_data(&b->p[i]);

			assert_int_equal(b->res[i].verdict, ENGINE_PROTECT);
			assert_int_equal(d[6], IPPROTO_UDP);
			assert_int_equal(load_be16(d + 40), 4501);
			assert_int_equal(load_be16(d + 42), 4502);
			assert_int_equal(load_be16(d + 44), b->p[i].len - IPV6_HDR_LEN);
			assert_int_equal(load_be16(d + 46), 0);
			assert_int_equal(load_be32(d + 48), 0x1000);
			memcpy(&b->meta[i].src, d + 8, 16);
			memcpy(&b->meta[i].dst, d + 24, 16);
			b->meta[i].hop_limit = d[7];
			b->meta[i].tclass = 0;
			b->meta[i].encap_sport = 4501;
			b->meta[i].encap_dport = 4502;
			b->p[i].off += IPV6_HDR_LEN + 8;
			b->p[i].len -= IPV6_HDR_LEN + 8;
		}
		b->meta[1].encap_sport = b->meta[1].encap_dport = 0; /* as plain ESP */
		b->meta[2].encap_dport = 4500;                       /* another port */
		engine_in_burst(rcv.eng, rcv.snap, b->p, b->meta, 4, b->res);
		assert_int_equal(b->res[0].verdict, ENGINE_DELIVER);
		assert_int_equal(b->p[0].len, lens[0]);
		assert_memory_equal(pkt_data(&b->p[0]) + 8, orig[0] + 8, lens[0] - 8);
		assert_int_equal(b->res[1].drop, PKT_DROP_ENCAP_MISMATCH);
		assert_int_equal(b->res[2].drop, PKT_DROP_ENCAP_MISMATCH);
		assert_int_equal(b->res[3].verdict, ENGINE_DELIVER);
		assert_int_equal(atomic_load(&sa->live->drops[PKT_DROP_ENCAP_MISMATCH]), 2);
		assert_int_equal(host_drops(&rcv), 2);
		/* The same ESP in UDP for an SA without it. */
		tl_burst_set(b, 0, orig[0], lens[0]);
		protect_all(&psnd, b, 1);
		b->meta[0].encap_sport = b->meta[0].encap_dport = 4500;
		engine_in_burst(plain.eng, plain.snap, b->p, b->meta, 1, b->res);
		assert_int_equal(b->res[0].drop, PKT_DROP_ENCAP_MISMATCH);
		assert_int_equal(
		    atomic_load(&tl_host_sa(&plain, "a")->live->drops[PKT_DROP_ENCAP_MISMATCH]), 1);
		/* Transport mode: a UDP socket cannot send the packet's extension headers. */
		if (m == 0) {
			lens[0] = tl_build_pkt(
			    orig[0], ext, 1, IPPROTO_UDP, 30, 0, 0, 64, TL_ADDR_A, TL_ADDR_B);
			tl_burst_set(b, 0, orig[0], lens[0]);
			engine_out_burst(snd.eng, snd.snap, b->p, 1, b->res);
			assert_int_equal(b->res[0].drop, PKT_DROP_ENCAP_MISMATCH);
			assert_untouched(&b->p[0], orig[0], lens[0]);
		}
		tl_host_close(&snd);
		tl_host_close(&rcv);
		tl_host_close(&psnd);
		tl_host_close(&plain);
	}
	free(b);
}

/* Every single bit flipped in the ESP part: the SPI bits find no SA, a sequence number that
 * becomes 0 is a replay, every other bit fails the ICV. None changes the window: the genuine
 * packet is still delivered afterwards. */
static void
test_in_bit_flips(void **state)
{
	struct tl_burst *b = tl_burst_new();
	uint8_t orig[256], esp[TL_SLOT_DATA];

	for (size_t k = 0; k < TL_NPAIRS; k++) {
		for (size_t m = 0; m < 2; m++) {
			struct tl_host snd, rcv;
			uint64_t dropped = 0;
			uint32_t esp_len;
			struct esp_meta meta;

			hosts_open(&snd, &rcv, &tl_pairs[k], tl_modes[m]);
			tl_burst_set(b, 0, orig,
			    tl_build_pkt(
				orig, NULL, 0, IPPROTO_UDP, 21, 0, 0, 64, TL_ADDR_A, TL_ADDR_B));
			protect_all(&snd, b, 1);
			esp_len = b->p[0].len;
			memcpy(esp, pkt_data(&b->p[0]), esp_len);
			meta = b->meta[0];
			for (uint32_t bit = 0; bit < esp_len * 8; bit += ENGINE_BURST_MAX) {
				size_t n = 0;

				for (uint32_t x = bit; x < esp_len * 8 && n < ENGINE_BURST_MAX;
				     x++) {
					tl_burst_set(b, n, esp, esp_len);
					pkt_data(&b->p[n])[x / 8] ^= (uint8_t)(1u << (x % 8));
					b->meta[n++] = meta;
				}
				engine_in_burst(rcv.eng, rcv.snap, b->p, b->meta, n, b->res);
				for (size_t i = 0; i < n; i++) {
					uint32_t x = bit + (uint32_t)i;
					enum pkt_drop want = PKT_DROP_ICV;
					uint8_t hdr[ESP_HDR_LEN];

					memcpy(hdr, esp, sizeof(hdr));
					if (x < 64)
						hdr[x / 8] ^= (uint8_t)(1u << (x % 8));
					if (x < 32)
						want = PKT_DROP_NO_SA;
					else if (x < 64 && load_be32(hdr + 4) == 0)
						want = PKT_DROP_REPLAY;
					assert_int_equal(b->res[i].verdict, ENGINE_DROP);
					assert_int_equal(b->res[i].drop, want);
					dropped++;
				}
			}
			assert_int_equal(host_drops(&rcv), dropped);
			assert_int_equal(engine_global_drops(rcv.eng, PKT_DROP_NO_SA), 32);
			tl_burst_set(b, 0, esp, esp_len);
			b->meta[0] = meta;
			engine_in_burst(rcv.eng, rcv.snap, b->p, b->meta, 1, b->res);
			assert_int_equal(b->res[0].verdict, ENGINE_DELIVER);
			tl_host_close(&snd);
			tl_host_close(&rcv);
		}
	}
	free(b);
}

/* A packet whose ICV failed leaves no plaintext: the buffer holds what arrived. */
static void
test_in_icv_failure_leaves_ciphertext(void **state)
{
	struct tl_burst *b = tl_burst_new();
	uint8_t orig[256], esp[TL_SLOT_DATA];
	struct tl_host snd, rcv;

	hosts_open(&snd, &rcv, TL_AES_SHA1, "transport");
	tl_burst_set(b, 0, orig,
	    tl_build_pkt(orig, NULL, 0, IPPROTO_UDP, 100, 0, 0, 64, TL_ADDR_A, TL_ADDR_B));
	protect_all(&snd, b, 1);
	pkt_data(&b->p[0])[30] ^= 0x10;
	memcpy(esp, pkt_data(&b->p[0]), b->p[0].len);
	engine_in_burst(rcv.eng, rcv.snap, b->p, b->meta, 1, b->res);
	assert_int_equal(b->res[0].drop, PKT_DROP_ICV);
	assert_memory_equal(pkt_data(&b->p[0]), esp, b->p[0].len);
	tl_host_close(&snd);
	tl_host_close(&rcv);
	free(b);
}

/* RFC 4303 section 3.4.3: a duplicate in a later burst, a duplicate in the same burst, one
 * left of the window; a late one inside the window is fine. Replays are counted on the SA. */
static void
test_in_replay(void **state)
{
	struct tl_burst *out = tl_burst_new(), *in = tl_burst_new();
	uint8_t orig[256], esp[100][256];
	uint32_t esp_len[100];
	struct esp_meta meta;
	struct tl_host snd, rcv;
	struct sa *sa;

	hosts_open(&snd, &rcv, TL_AES_SHA1, "tunnel");
	sa = tl_host_sa(&rcv, "a");
	/* Sequence numbers 1..100, kept as received ESP. */
	for (size_t round = 0; round < 2; round++) {
		for (size_t i = 0; i < 50; i++)
			tl_burst_set(out, i, orig,
			    tl_build_pkt(
				orig, NULL, 0, IPPROTO_UDP, 40, 0, 0, 64, TL_ADDR_A, TL_ADDR_B));
		protect_all(&snd, out, 50);
		for (size_t i = 0; i < 50; i++) {
			esp_len[round * 50 + i] = out->p[i].len;
			memcpy(esp[round * 50 + i], pkt_data(&out->p[i]), out->p[i].len);
		}
		meta = out->meta[0];
	}
	const struct {
		uint32_t seq;
		enum engine_verdict verdict;
	} order[][6] = {
		/* burst 1: 1, 2, 2 (same burst), 3 */
		{ { 1, ENGINE_DELIVER }, { 2, ENGINE_DELIVER }, { 2, ENGINE_DROP },
		    { 3, ENGINE_DELIVER }, { 0, 0 } },
		/* burst 2: 1 and 3 again, 100 moves the window past 1..36 */
		{ { 1, ENGINE_DROP }, { 3, ENGINE_DROP }, { 100, ENGINE_DELIVER },
		    { 100, ENGINE_DROP }, { 0, 0 } },
		/* burst 3: 36 never seen but left of the 64-packet window; 37 and 99 late but
		 * inside it */
		{ { 36, ENGINE_DROP }, { 37, ENGINE_DELIVER }, { 99, ENGINE_DELIVER },
		    { 4, ENGINE_DROP }, { 37, ENGINE_DROP }, { 0, 0 } },
	};
	uint64_t replays = 0, delivered = 0;

	for (size_t r = 0; r < 3; r++) {
		size_t n = 0;

		for (; order[r][n].seq != 0; n++) {
			tl_burst_set(in, n, esp[order[r][n].seq - 1], esp_len[order[r][n].seq - 1]);
			in->meta[n] = meta;
		}
		engine_in_burst(rcv.eng, rcv.snap, in->p, in->meta, n, in->res);
		for (size_t i = 0; i < n; i++) {
			assert_int_equal(in->res[i].verdict, order[r][i].verdict);
			if (order[r][i].verdict == ENGINE_DROP) {
				assert_int_equal(in->res[i].drop, PKT_DROP_REPLAY);
				assert_ptr_equal(in->res[i].sa, sa);
				replays++;
			} else {
				delivered++;
			}
		}
	}
	assert_int_equal(atomic_load(&sa->live->drops[PKT_DROP_REPLAY]), replays);
	assert_int_equal(atomic_load(&sa->live->pkts_in), delivered);
	assert_int_equal(host_drops(&rcv), replays);
	tl_host_close(&snd);
	tl_host_close(&rcv);
	free(out);
	free(in);
}

/* The standard pair of hosts whose SA "a" has the lifetime options life (" --packet-hard=10"). */
static void
life_hosts_open(struct tl_host *snd, struct tl_host *rcv, const char *life)
{
	char text[4096] = "";

	tl_text_sa(text, sizeof(text), "a", TL_ADDR_A, TL_ADDR_B, 0x1000, "transport", TL_AES_SHA1);
	text[strlen(text) - 1] = '\0';
	tl_text_line(text, sizeof(text), life);
	tl_text_line(text, sizeof(text),
	    "sp add --sp-name=out --sp-source=any --sp-destination=any --flow-direction=out "
	    "--action=ipsec --sa-name=a\n"
	    "sp add --sp-name=in --sp-source=any --sp-destination=any --flow-direction=in "
	    "--action=ipsec --sa-name=a");
	tl_host_open(snd, backend, text);
	tl_host_open(rcv, backend, text);
}

/* n UDP packets of payload bytes out of h; the verdicts as they came. */
static void
life_send(struct tl_host *h, struct tl_burst *b, size_t n, uint32_t payload)
{
	uint8_t orig[1600];
	uint32_t len =
	    tl_build_pkt(orig, NULL, 0, IPPROTO_UDP, payload, 0, 0, 64, TL_ADDR_A, TL_ADDR_B);

	for (size_t i = 0; i < n; i++)
		tl_burst_set(b, i, orig, len);
	engine_out_burst(h->eng, h->snap, b->p, n, b->res);
}

/* Whether sa has reached a hard packet or byte limit, by its counts (as the daemon reports it,
 * and as the engine decides). */
static bool
life_hard_reached(const struct sa *sa)
{
	struct life_usage u = { { 0 } };

	u.use[LIFE_BYTES] = sa_live_bytes(sa->live);
	u.use[LIFE_PACKETS] = sa_live_pkts(sa->live);
	return life_state(&sa->life, &u, NULL) == LIFE_HARD_EXPIRED;
}

/* A hard packet limit of 10: sequence numbers 1-10 go out, the 11th and every packet after it
 * is dropped as expired, without using up sequence numbers; the receiver takes 1-10 and then
 * nothing, not even a number it never saw. */
static void
test_life_packet_hard(void **state)
{
	struct tl_burst *b = tl_burst_new(), *in = tl_burst_new();
	struct tl_host snd, rcv;
	struct sa *out_sa, *in_sa;
	uint8_t esp[16][256];
	uint32_t esp_len[16];
	uint64_t seq;

	life_hosts_open(&snd, &rcv, " --packet-hard=10");
	out_sa = tl_host_sa(&snd, "a");
	in_sa = tl_host_sa(&rcv, "a");
	life_send(&snd, b, 16, 40);
	for (size_t i = 0; i < 16; i++) {
		assert_int_equal(b->res[i].verdict, i < 10 ? ENGINE_PROTECT : ENGINE_DROP);
		assert_int_equal(b->res[i].drop, i < 10 ? PKT_DROP_NONE : PKT_DROP_EXPIRED);
		if (i < 10) {
			assert_int_equal(esp_seq(&b->p[i]), i + 1);
			tl_to_esp(&b->p[i], &b->meta[i]);
			esp_len[i] = b->p[i].len;
			memcpy(esp[i], pkt_data(&b->p[i]), b->p[i].len);
		}
	}
	assert_true(life_hard_reached(out_sa));
	assert_int_equal(atomic_load(&out_sa->live->drops[PKT_DROP_EXPIRED]), 6);
	assert_int_equal(atomic_load(&out_sa->live->pkts_out), 10);
	seq = atomic_load(&out_sa->live->seq_out);
	life_send(&snd, b, 1, 40);
	assert_int_equal(b->res[0].drop, PKT_DROP_EXPIRED);
	assert_int_equal(atomic_load(&out_sa->live->seq_out), seq); /* no number used */

	/* In: 1-9, then 10, the last it may accept, which still goes in. */
	for (size_t i = 0; i < 10; i++) {
		tl_burst_set(in, i, esp[i], esp_len[i]);
		in->meta[i] = b->meta[0];
	}
	engine_in_burst(rcv.eng, rcv.snap, in->p, in->meta, 9, in->res);
	for (size_t i = 0; i < 9; i++)
		assert_int_equal(in->res[i].verdict, ENGINE_DELIVER);
	assert_false(life_hard_reached(in_sa));
	tl_burst_set(in, 0, esp[9], esp_len[9]);
	engine_in_burst(rcv.eng, rcv.snap, in->p, in->meta, 1, in->res);
	assert_int_equal(in->res[0].verdict, ENGINE_DELIVER);
	assert_true(life_hard_reached(in_sa));
	/* Even a number inside the window that it never saw is refused now. */
	tl_burst_set(in, 0, esp[4], esp_len[4]);
	engine_in_burst(rcv.eng, rcv.snap, in->p, in->meta, 1, in->res);
	assert_int_equal(in->res[0].drop, PKT_DROP_EXPIRED);
	assert_int_equal(atomic_load(&in_sa->live->pkts_in), 10);
	tl_host_close(&snd);
	tl_host_close(&rcv);
	free(b);
	free(in);
}

/* Below its hard packet limit (10), an SA is held at the packets the daemon has written it may
 * carry (used_limit, daemon/seq.h; a crash restarts from them): out, packets past it are dropped
 * as seq-unreserved without using a sequence number; in, a packet past it is dropped after its
 * ICV but before the window records it, so it goes in once the limit is raised. Neither counts,
 * nor expires the SA. */
static void
test_life_packet_held_at_pkts_limit(void **state)
{
	struct tl_burst *b = tl_burst_new(), *in = tl_burst_new();
	struct tl_host snd, rcv;
	struct sa *out_sa, *in_sa;
	uint8_t esp[4][256];
	uint32_t esp_len[4];

	life_hosts_open(&snd, &rcv, " --packet-hard=10");
	out_sa = tl_host_sa(&snd, "a");
	in_sa = tl_host_sa(&rcv, "a");
	atomic_store(&out_sa->live->used_limit[LIFE_PACKETS], 4);
	life_send(&snd, b, 8, 40);
	for (size_t i = 0; i < 8; i++)
		assert_int_equal(b->res[i].drop, i < 4 ? PKT_DROP_NONE : PKT_DROP_SEQ_UNRESERVED);
	for (size_t i = 0; i < 4; i++) {
		tl_to_esp(&b->p[i], &b->meta[i]);
		esp_len[i] = b->p[i].len;
		memcpy(esp[i], pkt_data(&b->p[i]), b->p[i].len);
	}
	assert_int_equal(atomic_load(&out_sa->live->seq_out), 4); /* none used by the held ones */
	assert_int_equal(atomic_load(&out_sa->live->pkts_out), 4);
	assert_false(life_hard_reached(out_sa));
	atomic_store(&out_sa->live->used_limit[LIFE_PACKETS], 10);
	life_send(&snd, b, 8, 40);
	for (size_t i = 0; i < 8; i++)
		assert_int_equal(b->res[i].drop, i < 6 ? PKT_DROP_NONE : PKT_DROP_EXPIRED);
	assert_int_equal(esp_seq(&b->p[0]), 5);

	atomic_store(&in_sa->live->used_limit[LIFE_PACKETS], 3);
	for (size_t i = 0; i < 4; i++) {
		tl_burst_set(in, i, esp[i], esp_len[i]);
		in->meta[i] = b->meta[0];
	}
	engine_in_burst(rcv.eng, rcv.snap, in->p, in->meta, 4, in->res);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(in->res[i].drop, i < 3 ? PKT_DROP_NONE : PKT_DROP_SEQ_UNRESERVED);
	assert_int_equal(atomic_load(&in_sa->live->pkts_in), 3);
	assert_int_equal(atomic_load(&in_sa->live->drops[PKT_DROP_SEQ_UNRESERVED]), 1);
	atomic_store(&in_sa->live->used_limit[LIFE_PACKETS], 10);
	tl_burst_set(in, 0, esp[3], esp_len[3]);
	engine_in_burst(rcv.eng, rcv.snap, in->p, in->meta, 1, in->res);
	assert_int_equal(in->res[0].verdict, ENGINE_DELIVER);
	assert_int_equal(atomic_load(&in_sa->live->pkts_in), 4);
	tl_host_close(&snd);
	tl_host_close(&rcv);
	free(b);
	free(in);
}

/* The same for bytes (hard limit 100000; 80-byte packets): out, a packet that would take the SA
 * past the bytes written (used_limit), its burst so far included, is held, though the bytes
 * before it are below them; in, the same with the ESP packet's length for its own (known before
 * the window records it; more than what counts), so a packet may be held early, never late, and
 * goes in once the limit is raised. */
static void
test_life_byte_held_at_used_limit(void **state)
{
	struct tl_burst *b = tl_burst_new(), *in = tl_burst_new();
	struct tl_host snd, rcv;
	struct sa *out_sa, *in_sa;
	uint8_t esp[3][256];
	uint32_t esp_len[3];

	life_hosts_open(&snd, &rcv, " --byte-hard=100000");
	out_sa = tl_host_sa(&snd, "a");
	in_sa = tl_host_sa(&rcv, "a");
	atomic_store(&out_sa->live->used_limit[LIFE_BYTES], 3 * 80 + 40);
	life_send(&snd, b, 8, 40);
	for (size_t i = 0; i < 8; i++)
		assert_int_equal(b->res[i].drop, i < 3 ? PKT_DROP_NONE : PKT_DROP_SEQ_UNRESERVED);
	for (size_t i = 0; i < 3; i++) {
		tl_to_esp(&b->p[i], &b->meta[i]);
		esp_len[i] = b->p[i].len;
		memcpy(esp[i], pkt_data(&b->p[i]), b->p[i].len);
	}
	assert_int_equal(atomic_load(&out_sa->live->bytes_out), 3 * 80);
	assert_int_equal(atomic_load(&out_sa->live->seq_out), 3);
	assert_false(life_hard_reached(out_sa));

	assert_true(esp_len[0] > 80);
	atomic_store(&in_sa->live->used_limit[LIFE_BYTES], 2 * 80 + esp_len[0] - 1);
	for (size_t i = 0; i < 3; i++) {
		tl_burst_set(in, i, esp[i], esp_len[i]);
		in->meta[i] = b->meta[0];
	}
	engine_in_burst(rcv.eng, rcv.snap, in->p, in->meta, 3, in->res);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(in->res[i].drop, i < 2 ? PKT_DROP_NONE : PKT_DROP_SEQ_UNRESERVED);
	assert_int_equal(atomic_load(&in_sa->live->bytes_in), 2 * 80);
	assert_false(life_hard_reached(in_sa));
	atomic_store(&in_sa->live->used_limit[LIFE_BYTES], 100000);
	tl_burst_set(in, 0, esp[2], esp_len[2]);
	engine_in_burst(rcv.eng, rcv.snap, in->p, in->meta, 1, in->res);
	assert_int_equal(in->res[0].verdict, ENGINE_DELIVER);
	assert_int_equal(atomic_load(&in_sa->live->bytes_in), 3 * 80);
	tl_host_close(&snd);
	tl_host_close(&rcv);
	free(b);
	free(in);
}

/* A packet limit counts accepted packets, not sequence numbers: a number past the limit (a
 * sender that skipped numbers in a restart) goes in, while the limit allows. And only an
 * authenticated packet counts: forged ones (ICV broken) are dropped as icv, however many, and
 * cannot expire the SA; a forger's packet costs nothing. */
static void
test_life_packet_hard_forgery(void **state)
{
	struct tl_burst *b = tl_burst_new(), *in = tl_burst_new();
	struct tl_host snd, rcv, unused, lim;
	uint8_t esp[12][256], forged[256];
	uint32_t esp_len[12];
	struct sa *in_sa;

	/* A sender without the limit makes numbers 1-12 under the same keys. */
	life_hosts_open(&snd, &rcv, "");
	life_hosts_open(&unused, &lim, " --packet-hard=10");
	in_sa = tl_host_sa(&lim, "a");
	life_send(&snd, b, 12, 40);
	for (size_t i = 0; i < 12; i++) {
		tl_to_esp(&b->p[i], &b->meta[i]);
		esp_len[i] = b->p[i].len;
		memcpy(esp[i], pkt_data(&b->p[i]), b->p[i].len);
	}
	/* 12, past the limit by number, goes in; 11 with its ICV broken does not. */
	memcpy(forged, esp[10], esp_len[10]);
	forged[esp_len[10] - 1] ^= 1;
	tl_burst_set(in, 0, esp[11], esp_len[11]);
	tl_burst_set(in, 1, forged, esp_len[10]);
	in->meta[0] = in->meta[1] = b->meta[0];
	engine_in_burst(lim.eng, lim.snap, in->p, in->meta, 2, in->res);
	assert_int_equal(in->res[0].verdict, ENGINE_DELIVER);
	assert_int_equal(in->res[1].drop, PKT_DROP_ICV);
	/* 1-8: nine packets accepted. Then 16 forgeries of 9: none counts. */
	for (size_t i = 0; i < 8; i++) {
		tl_burst_set(in, i, esp[i], esp_len[i]);
		in->meta[i] = b->meta[0];
	}
	engine_in_burst(lim.eng, lim.snap, in->p, in->meta, 8, in->res);
	for (size_t i = 0; i < 8; i++)
		assert_int_equal(in->res[i].verdict, ENGINE_DELIVER);
	memcpy(forged, esp[8], esp_len[8]);
	forged[esp_len[8] - 1] ^= 1;
	for (size_t i = 0; i < 16; i++) {
		tl_burst_set(in, i, forged, esp_len[8]);
		in->meta[i] = b->meta[0];
	}
	engine_in_burst(lim.eng, lim.snap, in->p, in->meta, 16, in->res);
	for (size_t i = 0; i < 16; i++)
		assert_int_equal(in->res[i].drop, PKT_DROP_ICV);
	assert_false(life_hard_reached(in_sa));
	assert_int_equal(atomic_load(&in_sa->live->pkts_in), 9);
	/* The real 9 is the 10th packet, the last: it goes in, and 10 after it does not. */
	tl_burst_set(in, 0, esp[8], esp_len[8]);
	tl_burst_set(in, 1, esp[9], esp_len[9]);
	engine_in_burst(lim.eng, lim.snap, in->p, in->meta, 2, in->res);
	assert_int_equal(in->res[0].verdict, ENGINE_DELIVER);
	assert_int_equal(in->res[1].drop, PKT_DROP_EXPIRED);
	assert_true(life_hard_reached(in_sa));
	assert_int_equal(atomic_load(&in_sa->live->pkts_in), 10);
	tl_host_close(&snd);
	tl_host_close(&rcv);
	tl_host_close(&unused);
	tl_host_close(&lim);
	free(b);
	free(in);
}

/* A packet whose encryption failed was not sent: it does not count towards a hard limit, and
 * it does not expire the SA. --packet-hard=3, 2 sent; a burst of 2 whose first fails: the
 * second is held back (had the first gone, it would have been the 4th) and the SA is not
 * expired: the next packet goes, the 3rd, and then no more. */
static void
test_life_crypto_failure_does_not_expire(void **state)
{
	struct tl_burst *b = tl_burst_new();
	struct tl_host snd, rcv;
	struct sa *sa;

	life_hosts_open(&snd, &rcv, " --packet-hard=3");
	sa = tl_host_sa(&snd, "a");
	life_send(&snd, b, 2, 40);
	for (size_t i = 0; i < 2; i++)
		assert_int_equal(b->res[i].verdict, ENGINE_PROTECT);
	encrypt_fail_mask = 1;
	life_send(&snd, b, 2, 40);
	assert_int_equal(b->res[0].drop, PKT_DROP_CRYPTO);
	assert_int_equal(b->res[1].drop, PKT_DROP_EXPIRED);
	assert_int_equal(atomic_load(&sa->live->pkts_out), 2);
	assert_false(life_hard_reached(sa));
	assert_false(atomic_load(&sa->live->expired));
	life_send(&snd, b, 1, 40);
	assert_int_equal(b->res[0].verdict, ENGINE_PROTECT);
	assert_int_equal(atomic_load(&sa->live->pkts_out), 3);
	life_send(&snd, b, 1, 40);
	assert_int_equal(b->res[0].drop, PKT_DROP_EXPIRED);
	tl_host_close(&snd);
	tl_host_close(&rcv);
	free(b);
}

/* One thread of the SA both ways (life_both): the outbound worker or the inbound thread, with
 * an engine of its own; what it carried. */
#define LIFE_BURST 8 /* packets a burst of life_thread_out() and life_thread_in() */

struct life_thread {
	struct tl_host *h;
	struct engine *eng;
	struct tl_burst *b;
	const uint8_t (*esp)[256]; /* inbound: what the peer sent, in order */
	const uint32_t *esp_len;
	struct esp_meta meta;
	size_t n_esp;
	size_t carried;
	pthread_barrier_t *start; /* both threads begin together */
};

static void *
life_thread_out(void *arg)
{
	struct life_thread *t = arg;
	uint8_t orig[256];
	uint32_t len = tl_build_pkt(orig, NULL, 0, IPPROTO_UDP, 40, 0, 0, 64, TL_ADDR_A, TL_ADDR_B);

	(void)pthread_barrier_wait(t->start);
	for (int round = 0; round < 256; round++) {
		for (size_t i = 0; i < LIFE_BURST; i++)
			tl_burst_set(t->b, i, orig, len);
		engine_out_burst(t->eng, t->h->snap, t->b->p, LIFE_BURST, t->b->res);
		for (size_t i = 0; i < LIFE_BURST; i++)
			t->carried += t->b->res[i].verdict == ENGINE_PROTECT;
		(void)sched_yield();
	}
	return NULL;
}

static void *
life_thread_in(void *arg)
{
	struct life_thread *t = arg;

	(void)pthread_barrier_wait(t->start);
	for (size_t i = 0; i < t->n_esp; i += LIFE_BURST) {
		size_t n = t->n_esp - i < LIFE_BURST ? t->n_esp - i : LIFE_BURST;

		for (size_t k = 0; k < n; k++) {
			tl_burst_set(t->b, k, t->esp[i + k], t->esp_len[i + k]);
			t->b->meta[k] = t->meta;
		}
		engine_in_burst(t->eng, t->h->snap, t->b->p, t->b->meta, n, t->b->res);
		for (size_t k = 0; k < n; k++)
			t->carried += t->b->res[k].verdict == ENGINE_DELIVER;
		(void)sched_yield();
	}
	return NULL;
}

/* An SA with addresses any carrying both ways at once, as the outbound worker and the inbound
 * thread do, each with its engine, in bursts of 8 that take turns: a hard limit of 500 packets
 * is reached, never stopped short (by a count the other thread had not yet settled), and passed
 * by at most a burst of the other thread (doc/cli.md); the counts are what the threads carried.
 * Under ThreadSanitizer too. */
static void
test_life_packet_hard_both_ways(void **state)
{
	enum {
		N_ESP = 1024,
		HARD = 500
	};
	struct tl_host h, peer, unused;
	struct life_thread out = { 0 }, in = { 0 };
	uint8_t(*esp)[256] = malloc(N_ESP * sizeof(*esp));
	uint32_t *esp_len = malloc(N_ESP * sizeof(*esp_len));
	struct tl_burst *b = tl_burst_new();
	struct err err = { "" };
	char text[4096] = "";
	pthread_barrier_t start;
	pthread_t to, ti;
	struct sa *sa;

	assert_non_null(esp);
	assert_non_null(esp_len);
	tl_text_sa(text, sizeof(text), "a", "any", "any", 0x1000, "transport", TL_AES_SHA1);
	text[strlen(text) - 1] = '\0';
	tl_text_line(text, sizeof(text), " --packet-hard=500");
	tl_text_line(text, sizeof(text),
	    "sp add --sp-name=out --sp-source=any --sp-destination=any --flow-direction=out "
	    "--action=ipsec --sa-name=a\n"
	    "sp add --sp-name=in --sp-source=any --sp-destination=any --flow-direction=in "
	    "--action=ipsec --sa-name=a");
	tl_host_open(&h, backend, text);
	life_hosts_open(&peer, &unused, "");
	for (size_t i = 0; i < N_ESP; i += ENGINE_BURST_MAX) {
		life_send(&peer, b, ENGINE_BURST_MAX, 40);
		for (size_t k = 0; k < ENGINE_BURST_MAX; k++) {
			assert_int_equal(b->res[k].verdict, ENGINE_PROTECT);
			tl_to_esp(&b->p[k], &b->meta[k]);
			esp_len[i + k] = b->p[k].len;
			memcpy(esp[i + k], pkt_data(&b->p[k]), b->p[k].len);
		}
	}
	in.meta = b->meta[0];
	out.h = in.h = &h;
	out.eng = h.eng;
	assert_int_equal(engine_new(backend, &in.eng, &err), 0);
	out.b = tl_burst_new();
	in.b = tl_burst_new();
	in.esp = (const uint8_t(*)[256])esp;
	in.esp_len = esp_len;
	in.n_esp = N_ESP;
	assert_int_equal(pthread_barrier_init(&start, NULL, 2), 0);
	out.start = in.start = &start;
	assert_int_equal(pthread_create(&to, NULL, life_thread_out, &out), 0);
	assert_int_equal(pthread_create(&ti, NULL, life_thread_in, &in), 0);
	assert_int_equal(pthread_join(to, NULL), 0);
	assert_int_equal(pthread_join(ti, NULL), 0);
	(void)pthread_barrier_destroy(&start);
	sa = tl_host_sa(&h, "a");
	if (out.carried + in.carried < HARD || out.carried + in.carried > HARD + LIFE_BURST)
		fail_msg("%zu packets out and %zu in under a limit of %d", out.carried, in.carried,
		    HARD);
	assert_int_equal(atomic_load(&sa->live->pkts_out), out.carried);
	assert_int_equal(atomic_load(&sa->live->pkts_in), in.carried);
	assert_true(life_hard_reached(sa));
	engine_free(in.eng);
	free(out.b);
	free(in.b);
	free(b);
	free(esp);
	free(esp_len);
	tl_host_close(&h);
	tl_host_close(&peer);
	tl_host_close(&unused);
}

/* A hard byte limit is checked before each packet against what the SA carried up to the end of
 * the last burst: the burst that crosses it goes out whole, the next one does not. */
static void
test_life_byte_hard(void **state)
{
	struct tl_burst *b = tl_burst_new();
	struct tl_host snd, rcv;
	struct sa *sa;

	life_hosts_open(&snd, &rcv, " --byte-hard=1000");
	sa = tl_host_sa(&snd, "a");
	life_send(&snd, b, 4, 200); /* 4 x 240 bytes: 960 */
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(b->res[i].verdict, ENGINE_PROTECT);
	life_send(&snd, b, 2, 200); /* 960 < 1000: this burst goes, to 1440 */
	for (size_t i = 0; i < 2; i++)
		assert_int_equal(b->res[i].verdict, ENGINE_PROTECT);
	assert_true(life_hard_reached(sa)); /* 1440 >= 1000: nothing more goes */
	life_send(&snd, b, 3, 200);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(b->res[i].drop, PKT_DROP_EXPIRED);
	assert_true(life_hard_reached(sa));
	assert_int_equal(atomic_load(&sa->live->bytes_out), 6 * 240);
	tl_host_close(&snd);
	tl_host_close(&rcv);
	free(b);
}

/* An SA marked expired (a time limit, set by the daemon) carries nothing either way. */
/* Apply one change command to h's database and take a new snapshot. Returns the old snapshot,
 * which a packet thread may still hold: the caller frees it. */
static struct db_snap *
host_change(struct tl_host *h, const char *line)
{
	struct db_snap *was = h->snap;
	struct err err = { "" };
	char buf[512], *argv[32];
	struct cmd cmd;
	size_t argc;

	(void)snprintf(buf, sizeof(buf), "%s", line);
	assert_int_equal(cmd_split(buf, argv, 32, &argc, &err), 0);
	assert_int_equal(cmd_parse(argc, argv, &cmd, &err), 0);
	if (db_apply(h->db, &cmd, &err) != 0)
		fail_msg("%s: %s", line, err.msg);
	cmd_fini(&cmd);
	h->snap = db_snapshot(h->db);
	assert_non_null(h->snap);
	return was;
}

/* sa rekey: the sender switches between two packets to the new SPI from 1, while a thread still
 * on the old snapshot goes on with the old SPI's numbers (never reusing one); the receiver
 * accepts both SPIs under the policy that names the SA, with the old SPI's window intact, and
 * after a rekey without grace refuses the SPI it replaced. */
static void
test_rekey(void **state)
{
	static const char rekey[] = "sa rekey --sa-name=a --sa-spi=0x2000 "
				    "--encryption-key=0x0f0e0d0c0b0a09080706050403020100 "
				    "--integrity-key=0x1112131415161718191a1b1c1d1e1f2021222324";
	static const char rekey_now[] =
	    "sa rekey --sa-name=a --sa-spi=0x3000 "
	    "--encryption-key=0x1f1e1d1c1b1a19181716151413121110 "
	    "--integrity-key=0x2122232425262728292a2b2c2d2e2f3031323334 "
	    "--grace-period=0";
	struct tl_burst *b = tl_burst_new(), *in = tl_burst_new();
	uint8_t orig[256], esp[6][256];
	uint32_t len, esp_len[6];
	struct tl_host snd, rcv;
	struct db_snap *was;
	struct esp_meta meta;
	const struct sa *sa;

	hosts_open(&snd, &rcv, TL_AES_SHA1, "transport");
	len = tl_build_pkt(orig, NULL, 0, IPPROTO_UDP, 30, 0, 0, 64, TL_ADDR_A, TL_ADDR_B);
	for (size_t i = 0; i < 3; i++)
		tl_burst_set(b, i, orig, len);
	protect_all(&snd, b, 3); /* old SPI, 1..3 */
	for (size_t i = 0; i < 3; i++) {
		esp_len[i] = b->p[i].len;
		memcpy(esp[i], pkt_data(&b->p[i]), esp_len[i]);
	}
	meta = b->meta[0];
	tl_burst_set(in, 0, esp[0], esp_len[0]);
	in->meta[0] = meta;
	engine_in_burst(rcv.eng, rcv.snap, in->p, in->meta, 1, in->res);
	assert_int_equal(in->res[0].verdict, ENGINE_DELIVER);

	/* The documented order: the receiver first, then the sender. */
	db_snap_free(host_change(&rcv, rekey));
	was = host_change(&snd, rekey);
	tl_burst_set(b, 0, orig, len);
	engine_out_burst(snd.eng, was, b->p, 1, b->res);
	assert_int_equal(b->res[0].verdict, ENGINE_PROTECT);
	tl_to_esp(&b->p[0], &b->meta[0]);
	assert_int_equal(load_be32(pkt_data(&b->p[0])), 0x1000);
	assert_int_equal(load_be32(pkt_data(&b->p[0]) + 4), 4);
	esp_len[3] = b->p[0].len;
	memcpy(esp[3], pkt_data(&b->p[0]), esp_len[3]);
	db_snap_free(was);
	for (size_t i = 0; i < 2; i++)
		tl_burst_set(b, i, orig, len);
	protect_all(&snd, b, 2);
	for (size_t i = 0; i < 2; i++) {
		assert_int_equal(load_be32(pkt_data(&b->p[i])), 0x2000);
		assert_int_equal(load_be32(pkt_data(&b->p[i]) + 4), i + 1);
		esp_len[4 + i] = b->p[i].len;
		memcpy(esp[4 + i], pkt_data(&b->p[i]), esp_len[4 + i]);
	}
	/* Only the new SA is chosen for sending, by name or by addresses. */
	sa = sad_snap_select(snd.snap->sad, &meta.dst, &meta.src, SA_MODE_TRANSPORT);
	assert_null(sa);
	sa = sad_snap_select(snd.snap->sad, &meta.src, &meta.dst, SA_MODE_TRANSPORT);
	assert_non_null(sa);
	assert_int_equal(sa->spi, 0x2000);

	/* Receiver: new 1 and 2; old 2, 3 and 4 still in flight; old 1 again. */
	static const size_t order[] = { 4, 5, 1, 2, 3, 0 };
	for (size_t i = 0; i < 6; i++) {
		tl_burst_set(in, i, esp[order[i]], esp_len[order[i]]);
		in->meta[i] = meta;
	}
	engine_in_burst(rcv.eng, rcv.snap, in->p, in->meta, 6, in->res);
	for (size_t i = 0; i < 5; i++) {
		assert_int_equal(in->res[i].verdict, ENGINE_DELIVER);
		assert_int_equal(in->res[i].sa->spi, i < 2 ? 0x2000 : 0x1000);
		assert_int_equal(in->res[i].sa->retired != 0, i >= 2);
	}
	assert_int_equal(in->res[5].verdict, ENGINE_DROP);
	assert_int_equal(in->res[5].drop, PKT_DROP_REPLAY);
	assert_int_equal(host_drops(&rcv), 1);
	assert_int_equal(sad_retired_count(db_sad(rcv.db)), 1);
	assert_int_equal(atomic_load(&sad_retired_at(db_sad(rcv.db), 0)->live->pkts_in), 4);
	assert_int_equal(atomic_load(&tl_host_sa(&rcv, "a")->live->pkts_in), 2);

	/* Without a grace, 0x2000 is refused at once; 0x1000 has its own grace still. */
	db_snap_free(host_change(&rcv, rekey_now));
	tl_burst_set(in, 0, esp[4], esp_len[4]);
	in->meta[0] = meta;
	engine_in_burst(rcv.eng, rcv.snap, in->p, in->meta, 1, in->res);
	assert_int_equal(in->res[0].verdict, ENGINE_DROP);
	assert_int_equal(in->res[0].drop, PKT_DROP_NO_SA);
	assert_int_equal(sad_retired_count(db_sad(rcv.db)), 1);

	/* sa remove takes the retired SA with the current one. */
	db_snap_free(host_change(&rcv, "sp remove --sp-name=in"));
	db_snap_free(host_change(&rcv, "sp remove --sp-name=out"));
	db_snap_free(host_change(&rcv, "sa remove --sa-name=a"));
	assert_int_equal(sad_all_count(db_sad(rcv.db)), 0);
	tl_host_close(&snd);
	tl_host_close(&rcv);
	free(b);
	free(in);
}

static void
test_life_expired_flag(void **state)
{
	struct tl_burst *b = tl_burst_new();
	struct tl_host snd, rcv;

	life_hosts_open(&snd, &rcv, " --time-hard=3600");
	life_send(&snd, b, 2, 40);
	assert_int_equal(b->res[0].verdict, ENGINE_PROTECT);
	tl_to_esp(&b->p[1], &b->meta[1]);
	atomic_store(&tl_host_sa(&snd, "a")->live->expired, true);
	atomic_store(&tl_host_sa(&rcv, "a")->live->expired, true);
	engine_in_burst(rcv.eng, rcv.snap, &b->p[1], &b->meta[1], 1, &b->res[1]);
	assert_int_equal(b->res[1].drop, PKT_DROP_EXPIRED);
	life_send(&snd, b, 1, 40);
	assert_int_equal(b->res[0].drop, PKT_DROP_EXPIRED);
	assert_int_equal(atomic_load(&tl_host_sa(&snd, "a")->live->seq_out), 2);
	tl_host_close(&snd);
	tl_host_close(&rcv);
	free(b);
}

/* RFC 4301 section 5.2: a decrypted packet must be one the SA's in-policies allow. Refused
 * packets are counted on the SA and their plaintext wiped. */
static void
test_in_policy_mismatch(void **state)
{
	static const char *const in_policies[] = {
		/* only tcp is expected under SA a */
		"sp add --sp-name=i --sp-source=any --sp-destination=any "
		"--upper-layer-protocol=tcp --flow-direction=in --action=ipsec --sa-name=a",
		/* the first match is a policy for another SA */
		"sp add --sp-name=i --sp-source=any --sp-destination=any --flow-direction=in "
		"--action=ipsec --sa-name=other",
		/* the first match says none */
		"sp add --sp-name=i --sp-source=any --sp-destination=any --flow-direction=in "
		"--action=none\n"
		"sp add --sp-name=j --sp-source=any --sp-destination=any --flow-direction=in "
		"--action=ipsec --sa-name=a",
		/* no in-policy at all */
		"",
		/* an SA-less policy of the other mode */
		"sp add --sp-name=i --sp-source=any --sp-destination=any --flow-direction=in "
		"--action=ipsec --sp-mode=tunnel",
	};
	struct tl_burst *b = tl_burst_new();
	uint8_t orig[256];

	for (size_t c = 0; c < sizeof(in_policies) / sizeof(in_policies[0]); c++) {
		char text[8192] = "";
		struct tl_host snd, rcv;
		struct sa *sa;
		uint32_t cipher_off, cipher_len;

		tl_text_sa(text, sizeof(text), "a", TL_ADDR_A, TL_ADDR_B, 0x1000, "transport",
		    TL_AES_SHA1);
		tl_text_sa(text, sizeof(text), "other", TL_ADDR_A, TL_ADDR_B, 0x1001, "transport",
		    TL_AES_SHA1);
		tl_text_line(text, sizeof(text),
		    "sp add --sp-name=o --sp-source=any --sp-destination=any "
		    "--flow-direction=out --action=ipsec --sa-name=a");
		tl_text_line(text, sizeof(text), in_policies[c]);
		tl_host_open(&snd, backend, text);
		tl_host_open(&rcv, backend, text);
		sa = tl_host_sa(&rcv, "a");
		tl_burst_set(b, 0, orig,
		    tl_build_pkt(orig, NULL, 0, IPPROTO_UDP, 100, 0, 0, 64, TL_ADDR_A, TL_ADDR_B));
		protect_all(&snd, b, 1);
		cipher_off = b->p[0].off + ESP_HDR_LEN + 16;
		cipher_len = b->p[0].len - ESP_HDR_LEN - 16 - 12;
		engine_in_burst(rcv.eng, rcv.snap, b->p, b->meta, 1, b->res);
		assert_int_equal(b->res[0].verdict, ENGINE_DROP);
		assert_int_equal(b->res[0].drop, PKT_DROP_POLICY_MISMATCH);
		assert_ptr_equal(b->res[0].sa, sa);
		assert_int_equal(atomic_load(&sa->live->drops[PKT_DROP_POLICY_MISMATCH]), 1);
		assert_int_equal(atomic_load(&sa->live->pkts_in), 0);
		assert_int_equal(host_drops(&rcv), 1);
		for (uint32_t i = 0; i < cipher_len; i++)
			assert_int_equal(b->mem[0][cipher_off + i], 0);
		tl_host_close(&snd);
		tl_host_close(&rcv);
	}
	free(b);
}

/* Router solicitations, advertisements and redirects that an SA brought are dropped even when
 * a policy lets them in (they would configure the TUN device's link); other ICMPv6 (neighbour
 * solicitation, echo request) is delivered. */
static void
test_in_nd_router(void **state)
{
	static const struct {
		uint8_t type;
		bool dropped;
	} cases[] = { { 133, true }, { 134, true }, { 137, true }, { 135, false }, { 128, false } };
	struct tl_burst *b = tl_burst_new();
	uint8_t orig[256];
	char text[8192] = "";
	struct tl_host snd, rcv;
	struct sa *sa;
	uint64_t drops = 0;

	tl_text_sa(text, sizeof(text), "a", TL_ADDR_A, TL_ADDR_B, 0x1000, "tunnel", TL_AES_SHA1);
	tl_text_line(text, sizeof(text),
	    "sp add --sp-name=o --sp-source=any --sp-destination=any --sp-mode=tunnel "
	    "--flow-direction=out --action=ipsec --sa-name=a\n"
	    "sp add --sp-name=i --sp-source=any --sp-destination=any --sp-mode=tunnel "
	    "--flow-direction=in --action=ipsec --sa-name=a");
	tl_host_open(&snd, backend, text);
	tl_host_open(&rcv, backend, text);
	sa = tl_host_sa(&rcv, "a");
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		uint32_t len = tl_build_pkt(
		    orig, NULL, 0, IPPROTO_ICMPV6, 64, 0, 0, 255, "fe80::1", "ff02::1");

		orig[40] = cases[c].type; /* the ICMPv6 type */
		orig[41] = 0;
		tl_burst_set(b, 0, orig, len);
		protect_all(&snd, b, 1);
		engine_in_burst(rcv.eng, rcv.snap, b->p, b->meta, 1, b->res);
		if (cases[c].dropped) {
			assert_int_equal(b->res[0].verdict, ENGINE_DROP);
			assert_int_equal(b->res[0].drop, PKT_DROP_ND_ROUTER);
			drops++;
		} else {
			assert_int_equal(b->res[0].verdict, ENGINE_DELIVER);
		}
		assert_int_equal(atomic_load(&sa->live->drops[PKT_DROP_ND_ROUTER]), drops);
	}
	tl_host_close(&snd);
	tl_host_close(&rcv);
	free(b);
}

/* An in-policy that names no SA accepts what an SA of its mode brought: in transport mode
 * between the SA's addresses, in tunnel mode whatever the inner addresses are. */
static void
test_in_policy_without_sa(void **state)
{
	struct tl_burst *b = tl_burst_new();
	uint8_t orig[256];

	for (size_t m = 0; m < 2; m++) {
		char text[8192] = "", line[256];
		struct tl_host snd, rcv;
		uint32_t len = tl_build_pkt(orig, NULL, 0, IPPROTO_UDP, 50, 0, 0, 64,
		    m == 0 ? TL_ADDR_A : TL_ADDR_C, m == 0 ? TL_ADDR_B : TL_ADDR_D);

		tl_text_sa(text, sizeof(text), "a", TL_ADDR_A, TL_ADDR_B, 0x1000, tl_modes[m],
		    TL_AES_SHA1);
		tl_text_line(text, sizeof(text),
		    "sp add --sp-name=o --sp-source=any --sp-destination=any "
		    "--flow-direction=out --action=ipsec --sa-name=a");
		snprintf(line, sizeof(line),
		    "sp add --sp-name=i --sp-source=any --sp-destination=any "
		    "--flow-direction=in --action=ipsec --sp-mode=%s",
		    tl_modes[m]);
		tl_text_line(text, sizeof(text), line);
		tl_host_open(&snd, backend, text);
		tl_host_open(&rcv, backend, text);
		tl_burst_set(b, 0, orig, len);
		protect_all(&snd, b, 1);
		engine_in_burst(rcv.eng, rcv.snap, b->p, b->meta, 1, b->res);
		assert_int_equal(b->res[0].verdict, ENGINE_DELIVER);
		assert_int_equal(b->p[0].len, len);
		assert_memory_equal(pkt_data(&b->p[0]), orig, len);
		tl_host_close(&snd);
		tl_host_close(&rcv);
	}
	free(b);
}

/* A sender in one mode, a receiver that has the same SA in the other: the ICV is good, the
 * next header is not. A transport packet with next header 59 is a dummy packet. */
static void
test_in_next_header_and_dummy(void **state)
{
	struct tl_burst *b = tl_burst_new();
	uint8_t orig[256];

	for (size_t m = 0; m < 2; m++) {
		char stext[4096] = "", rtext[4096] = "";
		struct tl_host snd, rcv;
		struct sa *sa;

		tl_text_sa(stext, sizeof(stext), "a", TL_ADDR_A, TL_ADDR_B, 0x1000, tl_modes[m],
		    TL_AES_SHA1);
		tl_text_line(stext, sizeof(stext),
		    "sp add --sp-name=o --sp-source=any --sp-destination=any "
		    "--flow-direction=out --action=ipsec --sa-name=a");
		tl_text_sa(rtext, sizeof(rtext), "a", TL_ADDR_A, TL_ADDR_B, 0x1000, tl_modes[1 - m],
		    TL_AES_SHA1);
		tl_text_line(rtext, sizeof(rtext),
		    "sp add --sp-name=i --sp-source=any --sp-destination=any "
		    "--flow-direction=in --action=ipsec --sa-name=a");
		tl_host_open(&snd, backend, stext);
		tl_host_open(&rcv, backend, rtext);
		sa = tl_host_sa(&rcv, "a");
		tl_burst_set(b, 0, orig,
		    tl_build_pkt(orig, NULL, 0, IPPROTO_UDP, 50, 0, 0, 64, TL_ADDR_A, TL_ADDR_B));
		/* No next header (59) after the IPv6 header, with some bytes RFC 8200 section
		 * 4.7 says to ignore. */
		tl_burst_set(
		    b, 1, orig, tl_build_pkt(orig, NULL, 0, 59, 8, 0, 0, 64, TL_ADDR_A, TL_ADDR_B));
		protect_all(&snd, b, 2);
		engine_in_burst(rcv.eng, rcv.snap, b->p, b->meta, 1, b->res);
		assert_int_equal(b->res[0].verdict, ENGINE_DROP);
		assert_int_equal(b->res[0].drop, PKT_DROP_BAD_NEXT_HEADER);
		assert_int_equal(atomic_load(&sa->live->drops[PKT_DROP_BAD_NEXT_HEADER]), 1);
		if (m == 0) {
			/* Back to a transport receiver for the dummy. */
			tl_host_close(&rcv);
			tl_host_open(&rcv, backend, stext);
			sa = tl_host_sa(&rcv, "a");
			engine_in_burst(rcv.eng, rcv.snap, &b->p[1], &b->meta[1], 1, b->res);
			assert_int_equal(b->res[0].verdict, ENGINE_DROP);
			assert_int_equal(b->res[0].drop, PKT_DROP_DUMMY);
			assert_int_equal(atomic_load(&sa->live->drops[PKT_DROP_DUMMY]), 1);
		}
		assert_int_equal(host_drops(&rcv), 1);
		tl_host_close(&snd);
		tl_host_close(&rcv);
	}
	free(b);
}

/* Packets the sender framed wrongly but authenticated (so only the receiver's checks after
 * the ICV can catch them): bad padding, a tunnelled packet that is not IPv6, an inner packet
 * whose extension headers run past its end. */
static void
test_in_bad_padding_and_inner_malformed(void **state)
{
	struct tl_burst *b = tl_burst_new();
	uint8_t orig[256];
	const uint8_t hbh[] = { 0 };

	for (size_t m = 0; m < 2; m++) {
		struct tl_host snd, rcv;
		struct crypto_ctx *ctx;
		struct err err = { { 0 } };
		struct crypto_op ops[3];
		uint8_t iv[16] = { 1, 2, 3 };
		struct sa *ssa, *rsa;
		size_t n = m == 0 ? 1 : 3;

		hosts_open(&snd, &rcv, TL_AES_SHA1, tl_modes[m]);
		ssa = tl_host_sa(&snd, "a");
		rsa = tl_host_sa(&rcv, "a");
		assert_int_equal(crypto_ctx_new(backend, &ctx, &err), 0);
		/* 0: one wrong padding byte. */
		tl_burst_set(b, 0, orig,
		    tl_build_pkt(orig, NULL, 0, IPPROTO_UDP, 21, 0, 0, 64, TL_ADDR_A, TL_ADDR_B));
		assert_int_equal(esp_encap(ssa, &b->p[0], 1, iv, &ops[0]), PKT_DROP_NONE);
		/* The last padding byte (there is at least one for 21 bytes in either mode). */
		b->mem[0][ops[0].cipher_off + ops[0].cipher_len - 3] ^= 0x40;
		/* 1: tunnel inner with an IPv4 version nibble. */
		tl_burst_set(b, 1, orig,
		    tl_build_pkt(orig, NULL, 0, IPPROTO_UDP, 21, 0, 0, 64, TL_ADDR_A, TL_ADDR_B));
		pkt_data(&b->p[1])[0] = 0x40;
		/* 2: tunnel inner whose hop-by-hop header claims more than there is. */
		tl_burst_set(b, 2, orig,
		    tl_build_pkt(orig, hbh, 1, IPPROTO_UDP, 0, 0, 0, 64, TL_ADDR_A, TL_ADDR_B));
		pkt_data(&b->p[2])[IPV6_HDR_LEN + 1] = 5;
		for (size_t i = 1; i < n; i++)
			assert_int_equal(
			    esp_encap(ssa, &b->p[i], (uint32_t)i + 1, iv, &ops[i]), PKT_DROP_NONE);
		crypto_encrypt_burst(ctx, ops, n);
		for (size_t i = 0; i < n; i++) {
			assert_int_equal(ops[i].status, CRYPTO_OK);
			tl_to_esp(&b->p[i], &b->meta[i]);
		}
		engine_in_burst(rcv.eng, rcv.snap, b->p, b->meta, n, b->res);
		assert_int_equal(b->res[0].drop, PKT_DROP_BAD_PADDING);
		assert_int_equal(atomic_load(&rsa->live->drops[PKT_DROP_BAD_PADDING]), 1);
		if (m == 1) {
			assert_int_equal(b->res[1].drop, PKT_DROP_INNER_MALFORMED);
			assert_int_equal(b->res[2].drop, PKT_DROP_INNER_MALFORMED);
			assert_int_equal(
			    atomic_load(&rsa->live->drops[PKT_DROP_INNER_MALFORMED]), 2);
		}
		for (size_t i = 0; i < n; i++)
			assert_ptr_equal(b->res[i].sa, rsa);
		assert_int_equal(host_drops(&rcv), n);
		crypto_ctx_free(ctx);
		tl_host_close(&snd);
		tl_host_close(&rcv);
	}
	free(b);
}

/* The hosts of the counter test: SAs a (transport) and t (tunnel); out-policies that discard,
 * find no SA, pass, and protect udp under a and the rest under t; in-policies to match. */
static void
counters_hosts_open(struct tl_host *snd, struct tl_host *rcv)
{
	static const char *const policies[] = {
		"sp add --sp-name=d --sp-source=any --sp-destination=2001:db8:9::/48 "
		"--flow-direction=out --action=discard",
		"sp add --sp-name=k --sp-source=any --sp-destination=2001:db8:8::/48 "
		"--flow-direction=out --action=ipsec",
		"sp add --sp-name=n --sp-source=any --sp-destination=2001:db8:7::/48 "
		"--flow-direction=out --action=none",
		"sp add --sp-name=u --sp-source=any --sp-destination=any --upper-layer-protocol=udp "
		"--flow-direction=out --action=ipsec --sa-name=a",
		"sp add --sp-name=t --sp-source=any --sp-destination=any --flow-direction=out "
		"--action=ipsec --sa-name=t",
		"sp add --sp-name=i --sp-source=any --sp-destination=any --upper-layer-protocol=udp "
		"--flow-direction=in --action=ipsec --sa-name=a",
		"sp add --sp-name=j --sp-source=any --sp-destination=any --upper-layer-protocol=tcp "
		"--flow-direction=in --action=ipsec --sa-name=t",
	};
	char text[8192] = "";

	tl_text_sa(text, sizeof(text), "a", TL_ADDR_A, TL_ADDR_B, 0x1000, "transport", TL_AES_SHA1);
	tl_text_sa(text, sizeof(text), "t", TL_ADDR_A, TL_ADDR_B, 0x1001, "tunnel", TL_AES_SHA1);
	for (size_t i = 0; i < sizeof(policies) / sizeof(policies[0]); i++)
		tl_text_line(text, sizeof(text), policies[i]);
	tl_host_open(snd, backend, text);
	tl_host_open(rcv, backend, text);
}

/* Outbound: 64 packets of six kinds, one verdict and at most one counter each. */
static void
counters_outbound(struct tl_host *snd, struct tl_burst *b)
{
	static const char *const dsts[] = { "2001:db8:9::1", "2001:db8:8::1", "2001:db8:7::1",
		TL_ADDR_B, TL_ADDR_B, TL_ADDR_B };
	static const enum pkt_drop want[] = { PKT_DROP_POLICY_DISCARD, PKT_DROP_NO_SA,
		PKT_DROP_NONE, PKT_DROP_NONE, PKT_DROP_NONE, PKT_DROP_MALFORMED };
	uint64_t drops = 0;
	uint8_t orig[256];

	for (size_t i = 0; i < ENGINE_BURST_MAX; i++) {
		uint32_t len = tl_build_pkt(orig, NULL, 0, i % 6 == 4 ? IPPROTO_TCP : IPPROTO_UDP,
		    (uint32_t)(8 + i), 0, 0, 64, TL_ADDR_A, dsts[i % 6]);

		tl_burst_set(b, i, orig, i % 6 == 5 ? 39 : len);
	}
	engine_out_burst(snd->eng, snd->snap, b->p, ENGINE_BURST_MAX, b->res);
	for (size_t i = 0; i < ENGINE_BURST_MAX; i++) {
		assert_int_equal(b->res[i].drop, want[i % 6]);
		assert_int_equal(b->res[i].verdict == ENGINE_DROP, want[i % 6] != PKT_DROP_NONE);
		drops += b->res[i].verdict == ENGINE_DROP;
	}
	assert_int_equal(host_drops(snd), drops);
}

/* Inbound: what was protected (udp under a, tcp under t), spoiled in five ways in turn. */
static void
counters_inbound(struct tl_host *rcv, struct tl_burst *b, struct tl_burst *in)
{
	static const enum pkt_drop want[] = { PKT_DROP_NONE, PKT_DROP_ICV, PKT_DROP_REPLAY,
		PKT_DROP_NO_SA, PKT_DROP_SHORT };
	uint64_t drops = 0, delivered = 0, bytes = 0;
	size_t n = 0;

	for (size_t i = 0; i < ENGINE_BURST_MAX; i++) {
		if (b->res[i].verdict != ENGINE_PROTECT)
			continue;
		tl_to_esp(&b->p[i], &in->meta[n]);
		tl_burst_set(in, n++, pkt_data(&b->p[i]), b->p[i].len);
	}
	for (size_t i = 0; i < n; i++) {
		struct pkt *p = &in->p[i];

		if (i % 5 == 1) {
			pkt_data(p)[p->len - 1] ^= 1;
		} else if (i % 5 == 2) {
			/* A copy of packet i - 2 (untouched): a replay in the same burst. */
			tl_burst_set(in, i, pkt_data(&in->p[i - 2]), in->p[i - 2].len);
			in->meta[i] = in->meta[i - 2];
		} else if (i % 5 == 3) {
			pkt_data(p)[3] ^= 0x80; /* an SPI nobody has */
		} else if (i % 5 == 4) {
			p->len = 3;
		}
	}
	engine_in_burst(rcv->eng, rcv->snap, in->p, in->meta, n, in->res);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(in->res[i].drop, want[i % 5]);
		if (in->res[i].verdict == ENGINE_DROP) {
			drops++;
			continue;
		}
		assert_int_equal(in->res[i].verdict, ENGINE_DELIVER);
		delivered++;
		bytes += in->p[i].len;
	}
	assert_int_equal(host_drops(rcv), drops);
	assert_int_equal(atomic_load(&tl_host_sa(rcv, "a")->live->pkts_in) +
		atomic_load(&tl_host_sa(rcv, "t")->live->pkts_in),
	    delivered);
	assert_int_equal(atomic_load(&tl_host_sa(rcv, "a")->live->bytes_in) +
		atomic_load(&tl_host_sa(rcv, "t")->live->bytes_in),
	    bytes);
}

/* One mixed burst each way: the sum of all drop counters is the number of drops, each verdict
 * carries one reason, delivered packets are counted in pkts/bytes. */
static void
test_counters_exactly_one_per_drop(void **state)
{
	struct tl_burst *b = tl_burst_new(), *in = tl_burst_new();
	struct tl_host snd, rcv;

	counters_hosts_open(&snd, &rcv);
	counters_outbound(&snd, b);
	counters_inbound(&rcv, b, in);
	tl_host_close(&snd);
	tl_host_close(&rcv);
	free(b);
	free(in);
}

/* Runs of one flow, and a flow that changes inside a run: the engine may carry an answer
 * from one packet to the next (SA lookup, policy lookup, counters), but only for the same
 * question. Outbound, udp to port 2000 goes under a, udp to port 2001 under t; inbound, a
 * serves port 2000 only. Each SA's and each policy's counters must come out exact. */
static void
runs_hosts_open(struct tl_host *h, const char *out_policies)
{
	char text[8192] = "";

	tl_text_sa(text, sizeof(text), "a", TL_ADDR_A, TL_ADDR_B, 0x1000, "transport", TL_AES_SHA1);
	tl_text_sa(text, sizeof(text), "t", TL_ADDR_A, TL_ADDR_B, 0x1001, "tunnel", TL_AES_SHA1);
	tl_text_line(text, sizeof(text), out_policies);
	tl_text_line(text, sizeof(text),
	    "sp add --sp-name=i --sp-source=any --sp-destination=any --upper-layer-protocol=udp "
	    "--destination-port=2000 --flow-direction=in --action=ipsec --sa-name=a\n"
	    "sp add --sp-name=j --sp-source=any --sp-destination=any --flow-direction=in "
	    "--action=ipsec --sa-name=t");
	tl_host_open(h, backend, text);
}

static uint64_t
policy_matches(const struct tl_host *h, const char *name)
{
	return atomic_load(&spd_lookup_name(db_spd(h->db), name)->matches);
}

static void
test_runs_of_one_flow(void **state)
{
	/* Destination ports: outbound by port, 2000 under a, any other under t. */
	static const uint16_t ports[] = { 2000, 2000, 2001, 2001, 2000, 2001, 2000, 2000 };
	struct tl_burst *b = tl_burst_new(), *in = tl_burst_new();
	struct tl_host snd, all_a, rcv;
	uint64_t want_pkts[2] = { 0, 0 }, want_bytes[2] = { 0, 0 };
	uint8_t orig[256];
	size_t n = sizeof(ports) / sizeof(ports[0]);

	runs_hosts_open(&snd,
	    "sp add --sp-name=o --sp-source=any --sp-destination=any --upper-layer-protocol=udp "
	    "--destination-port=2000 --flow-direction=out --action=ipsec --sa-name=a\n"
	    "sp add --sp-name=p --sp-source=any --sp-destination=any --flow-direction=out "
	    "--action=ipsec --sa-name=t");
	runs_hosts_open(&all_a,
	    "sp add --sp-name=o --sp-source=any --sp-destination=any --flow-direction=out "
	    "--action=ipsec --sa-name=a");
	runs_hosts_open(&rcv, "");
	for (size_t i = 0; i < n; i++) {
		uint32_t len = tl_build_pkt(
		    orig, NULL, 0, IPPROTO_UDP, (uint32_t)(20 + i), 0, 0, 64, TL_ADDR_A, TL_ADDR_B);

		store_be16(orig + IPV6_HDR_LEN + 2, ports[i]);
		tl_burst_set(b, i, orig, len);
		want_pkts[ports[i] != 2000]++;
		want_bytes[ports[i] != 2000] += len;
	}
	protect_all(&snd, b, n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(load_be32(pkt_data(&b->p[i])), ports[i] == 2000 ? 0x1000 : 0x1001);
	assert_int_equal(atomic_load(&tl_host_sa(&snd, "a")->live->pkts_out), want_pkts[0]);
	assert_int_equal(atomic_load(&tl_host_sa(&snd, "t")->live->pkts_out), want_pkts[1]);
	assert_int_equal(atomic_load(&tl_host_sa(&snd, "a")->live->bytes_out), want_bytes[0]);
	assert_int_equal(atomic_load(&tl_host_sa(&snd, "t")->live->bytes_out), want_bytes[1]);

	/* Inbound: the same packets, then under a a packet to port 2001 (the in-policy of a
	 * refuses it: same SA as the packet before, another selector) and one from C (same SPI
	 * as the packet before, another source: not a's). */
	for (size_t i = 0; i < n; i++) {
		tl_burst_set(in, i, pkt_data(&b->p[i]), b->p[i].len);
		in->meta[i] = b->meta[i];
	}
	for (size_t i = 0; i < 3; i++) {
		uint32_t len =
		    tl_build_pkt(orig, NULL, 0, IPPROTO_UDP, 40, 0, 0, 64, TL_ADDR_A, TL_ADDR_B);

		store_be16(orig + IPV6_HDR_LEN + 2, i == 1 ? 2001 : 2000);
		tl_burst_set(b, i, orig, len);
	}
	atomic_store(&tl_host_sa(&all_a, "a")->live->seq_out, 100); /* past snd's numbers */
	protect_all(&all_a, b, 3);
	for (size_t i = 0; i < 3; i++) {
		tl_burst_set(in, n + i, pkt_data(&b->p[i]), b->p[i].len);
		in->meta[n + i] = b->meta[i];
	}
	tl_addr_bytes(TL_ADDR_C, in->meta[n + 2].src.s6_addr);
	engine_in_burst(rcv.eng, rcv.snap, in->p, in->meta, n + 3, in->res);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(in->res[i].verdict, ENGINE_DELIVER);
	assert_int_equal(in->res[n].verdict, ENGINE_DELIVER);
	assert_int_equal(in->res[n + 1].drop, PKT_DROP_POLICY_MISMATCH);
	assert_int_equal(in->res[n + 2].drop, PKT_DROP_SA_MISMATCH);
	assert_int_equal(atomic_load(&tl_host_sa(&rcv, "a")->live->pkts_in), want_pkts[0] + 1);
	assert_int_equal(atomic_load(&tl_host_sa(&rcv, "t")->live->pkts_in), want_pkts[1]);
	assert_int_equal(
	    atomic_load(&tl_host_sa(&rcv, "a")->live->bytes_in), want_bytes[0] + in->p[n].len);
	assert_int_equal(atomic_load(&tl_host_sa(&rcv, "t")->live->bytes_in), want_bytes[1]);
	assert_int_equal(host_drops(&rcv), 2);
	/* Every lookup counted, whether made or reused. */
	assert_int_equal(policy_matches(&snd, "o"), want_pkts[0]);
	assert_int_equal(policy_matches(&snd, "p"), want_pkts[1]);
	assert_int_equal(policy_matches(&rcv, "i"), want_pkts[0] + 1);
	assert_int_equal(policy_matches(&rcv, "j"), want_pkts[1] + 1);
	tl_host_close(&snd);
	tl_host_close(&all_a);
	tl_host_close(&rcv);
	free(b);
	free(in);
}

static int
use_openssl(void **state)
{
	backend = CRYPTO_BACKEND_OPENSSL;
	return 0;
}

static int
use_ipsecmb(void **state)
{
	backend = CRYPTO_BACKEND_IPSECMB;
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_out_policy_none_passes_unchanged),
		cmocka_unit_test(test_out_no_matching_policy_passes),
		cmocka_unit_test(test_out_policy_discard_drops),
		cmocka_unit_test(test_out_bound_sa_sequence_numbers),
		cmocka_unit_test(test_out_kame_selection),
		cmocka_unit_test(test_out_policy_whose_sa_was_removed_drops),
		cmocka_unit_test(test_out_seq_overflow),
		cmocka_unit_test(test_out_seq_unreserved),
		cmocka_unit_test(test_esn_crosses_2_to_the_32),
		cmocka_unit_test(test_esn_high_half_is_authenticated),
		cmocka_unit_test(test_esn_seq_overflow),
		cmocka_unit_test(test_out_malformed),
		cmocka_unit_test(test_out_link_padding),
		cmocka_unit_test(test_out_ivs_differ),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_round_trip_transport_headers_before_esp),
		cmocka_unit_test(test_in_unknown_spi_and_short),
		cmocka_unit_test(test_in_sa_mismatch),
		cmocka_unit_test(test_encap_udp),
		cmocka_unit_test(test_in_bit_flips),
		cmocka_unit_test(test_in_icv_failure_leaves_ciphertext),
		cmocka_unit_test(test_in_replay),
		cmocka_unit_test(test_in_policy_mismatch),
		cmocka_unit_test(test_in_nd_router),
		cmocka_unit_test(test_in_policy_without_sa),
		cmocka_unit_test(test_in_next_header_and_dummy),
		cmocka_unit_test(test_in_bad_padding_and_inner_malformed),
		cmocka_unit_test(test_life_packet_hard),
		cmocka_unit_test(test_life_packet_held_at_pkts_limit),
		cmocka_unit_test(test_life_byte_held_at_used_limit),
		cmocka_unit_test(test_life_packet_hard_forgery),
		cmocka_unit_test(test_life_crypto_failure_does_not_expire),
		cmocka_unit_test(test_life_packet_hard_both_ways),
		cmocka_unit_test(test_life_byte_hard),
		cmocka_unit_test(test_life_expired_flag),
		cmocka_unit_test(test_rekey),
		cmocka_unit_test(test_counters_exactly_one_per_drop),
		cmocka_unit_test(test_runs_of_one_flow),
	};
	int failed = 0;

	failed += cmocka_run_group_tests_name("engine/openssl", tests, use_openssl, NULL);
	failed += cmocka_run_group_tests_name("engine/ipsec-mb", tests, use_ipsecmb, NULL);
	return failed;
}
