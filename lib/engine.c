// SPDX-License-Identifier: MIT
/* The engine: bursts of packets through policy lookup, SA choice, ESP framing and one crypto
 * burst, in the order RFC 4301 section 5 gives; every drop counted exactly once. */
#include "ipsec6/engine.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ipsec6/addr.h"
#include "ipsec6/bytes.h"
#include "ipsec6/rng.h"

#define ENGINE_IV_MAX 16

struct engine {
	struct crypto_ctx *crypto;
	struct rng *rng;
	void (*iv_fn)(void *arg, uint8_t *iv, size_t len);
	void *iv_arg;
	_Atomic uint64_t global_drops[PKT_DROP__COUNT];

	/* Scratch for one burst: no allocation per packet. */
	struct pkt_sel sels[ENGINE_BURST_MAX];
	const struct sp_rule *rules[ENGINE_BURST_MAX];
	struct crypto_op ops[ENGINE_BURST_MAX];
	size_t op_pkt[ENGINE_BURST_MAX];
	size_t sel_pkt[ENGINE_BURST_MAX];
	uint64_t seqs[ENGINE_BURST_MAX]; /* inbound: sequence number of each op (ESN: inferred) */
	uint32_t lens[ENGINE_BURST_MAX]; /* outbound: inner length of each op */
	uint8_t ivs[ENGINE_BURST_MAX][ENGINE_IV_MAX];

	/* Inbound: the last SA lookup and in-policy check of the burst. Packets of one flow come
	 * in runs, and within a burst the snapshot cannot change, so an answer holds for the
	 * next packet with the same question. */
	struct {
		bool valid;
		uint32_t spi;
		struct in6_addr dst, src;
		struct sa *sa;
	} last_sa;
	struct {
		bool valid;
		struct pkt_sel sel;
		const struct sa *sa;
		const struct sp_rule *rule;
		bool ok;
		uint64_t again; /* packets answered by reuse, their matches not counted yet */
	} last_check;
};

int
engine_new(enum crypto_backend backend, struct engine **out, struct err *err)
{
	struct engine *e;
	int rc;

	e = calloc(1, sizeof(*e));
	if (e == NULL)
		return err_set(err, ENOMEM, "out of memory for the engine");
	rc = crypto_ctx_new(backend, &e->crypto, err);
	if (rc < 0)
		goto fail_free;
	rc = rng_new(&e->rng, err);
	if (rc < 0)
		goto fail_crypto;
	*out = e;
	return 0;

fail_crypto:
	crypto_ctx_free(e->crypto);
fail_free:
	free(e);
	return rc;
}

void
engine_free(struct engine *e)
{
	if (e == NULL)
		return;
	rng_free(e->rng);
	crypto_ctx_free(e->crypto);
	free(e);
}

uint64_t
engine_global_drops(const struct engine *e, enum pkt_drop drop)
{
	return atomic_load_explicit(&e->global_drops[drop], memory_order_relaxed);
}

void
engine_set_iv_source(struct engine *e, void (*fn)(void *arg, uint8_t *iv, size_t len), void *arg)
{
	e->iv_fn = fn;
	e->iv_arg = arg;
}

/* Record a drop: against the SA when there is one, else globally. Exactly one counter. */
static void
engine_drop(struct engine *e, struct engine_result *r, struct sa *sa, enum pkt_drop drop)
{
	r->verdict = ENGINE_DROP;
	r->drop = drop;
	r->sa = sa;
	if (sa != NULL)
		sa_count_drop(sa, drop);
	else
		atomic_fetch_add_explicit(&e->global_drops[drop], 1, memory_order_relaxed);
}

/* The packets and bytes a burst protected or delivered, added to an SA's counters once per
 * run of packets of that SA rather than once per packet: two locked additions per run. */
struct engine_tally {
	bool out;
	struct sa *sa;
	uint64_t pkts;
	uint64_t bytes;
};

static void
engine_tally_flush(struct engine_tally *t)
{
	struct sa_live *live;

	if (t->sa == NULL)
		return;
	live = t->sa->live;
	atomic_fetch_add_explicit(
	    t->out ? &live->pkts_out : &live->pkts_in, t->pkts, memory_order_relaxed);
	atomic_fetch_add_explicit(
	    t->out ? &live->bytes_out : &live->bytes_in, t->bytes, memory_order_relaxed);
	t->sa = NULL;
	t->pkts = 0;
	t->bytes = 0;
}

static void
engine_tally(struct engine_tally *t, struct sa *sa, uint64_t bytes)
{
	if (t->sa != sa)
		engine_tally_flush(t);
	t->sa = sa;
	t->pkts++;
	t->bytes += bytes;
}

/* Take back a packet protected in a flushed tally whose crypto failed: it was not sent. */
static void
engine_untally(struct sa *sa, uint64_t bytes)
{
	atomic_fetch_sub_explicit(&sa->live->pkts_out, 1, memory_order_relaxed);
	atomic_fetch_sub_explicit(&sa->live->bytes_out, bytes, memory_order_relaxed);
}

static int
engine_iv(struct engine *e, uint8_t *iv, size_t len)
{
	if (len == 0)
		return 0;
	if (e->iv_fn != NULL) {
		e->iv_fn(e->iv_arg, iv, len);
		return 0;
	}
	return rng_bytes(e->rng, iv, len);
}

/* Parse every packet; the well-formed ones get their selectors compacted into e->sels. */
static size_t
engine_classify(struct engine *e, struct pkt *pkts, size_t n, struct engine_result *res)
{
	size_t nsel = 0;

	for (size_t i = 0; i < n; i++) {
		struct pkt *p = &pkts[i];

		res[i] = (struct engine_result){ ENGINE_PASS, PKT_DROP_NONE, NULL };
		if (pkt_parse(pkt_data(p), p->len, &e->sels[nsel]) != PKT_DROP_NONE) {
			engine_drop(e, &res[i], NULL, PKT_DROP_MALFORMED);
			continue;
		}
		e->sel_pkt[nsel++] = i;
	}
	return nsel;
}

/* The SA for an out-policy with action ipsec: the bound one, or the first whose addresses
 * and mode fit (KAME). NULL: the packet must not leave, protected or not. */
static struct sa *
engine_out_sa(const struct db_snap *snap, const struct sp_rule *rule, const struct pkt_sel *sel)
{
	if (rule->sp->sa_name[0] != '\0')
		return rule->sa;
	return sad_snap_select(snap->sad, &sel->src, &sel->dst, rule->sp->mode);
}

/* Whether sa's hard packet limit is reached by the packets it carried, those of the burst in t
 * (NULL: none) included (PKT_DROP_EXPIRED); or the count the daemon has written durably
 * (used_limit, daemon/seq.h), which a crash restarts from (PKT_DROP_SEQ_UNRESERVED, as numbers
 * not yet reserved are: held until the next write); else PKT_DROP_NONE. */
static enum pkt_drop
engine_pkts_spent(const struct sa *sa, const struct engine_tally *t)
{
	uint64_t hard = sa->life.hard[LIFE_PACKETS];
	uint64_t pkts, limit;

	if (hard == 0)
		return PKT_DROP_NONE;
	pkts = sa_live_pkts(sa->live) + (t != NULL && t->sa == sa ? t->pkts : 0);
	if (pkts >= hard)
		return PKT_DROP_EXPIRED;
	limit = atomic_load_explicit(&sa->live->used_limit[LIFE_PACKETS], memory_order_acquire);
	return limit != 0 && pkts >= limit ? PKT_DROP_SEQ_UNRESERVED : PKT_DROP_NONE;
}

/* The same for bytes: the hard limit is reached when the bytes carried up to the SA's last
 * burst are (the burst that crosses it goes out whole); the packet, of len bytes (at most them:
 * inbound, before its ESP is taken off), is held when it would take the SA past the bytes
 * written durably, its burst so far included (not once the SA is past them: what a thread
 * carried before a crash stays within what a restart counts). Once the whole limit is written,
 * the hard limit alone holds: a restart after a crash counts the SA expired. */
static enum pkt_drop
engine_bytes_spent(const struct sa *sa, const struct engine_tally *t, uint64_t len)
{
	uint64_t hard = sa->life.hard[LIFE_BYTES];
	uint64_t bytes, limit;

	if (hard == 0)
		return PKT_DROP_NONE;
	bytes = sa_live_bytes(sa->live);
	if (bytes >= hard)
		return PKT_DROP_EXPIRED;
	limit = atomic_load_explicit(&sa->live->used_limit[LIFE_BYTES], memory_order_acquire);
	if (limit == 0 || limit >= hard)
		return PKT_DROP_NONE;
	bytes += (t != NULL && t->sa == sa ? t->bytes : 0) + len;
	return bytes > limit ? PKT_DROP_SEQ_UNRESERVED : PKT_DROP_NONE;
}

/* A hard lifetime (ipsec6/life.h) reached (PKT_DROP_EXPIRED): by the flag (the control thread's,
 * for time); by the bytes the SA carried, which count only authenticated packets (per run of
 * packets: a burst can overshoot by its own); or by its packets, the burst's so far (t)
 * included, so that a packet limit is exact (for the thread that carries the SA's packets:
 * another one, the other direction of an SA with addresses any, may take a burst more); or the
 * bytes (len: the packet's own, engine_bytes_spent()) or packets held until written
 * (PKT_DROP_SEQ_UNRESERVED). PKT_DROP_NONE: none. Packets count, not sequence numbers: a restart
 * skips numbers. The counts decide every time, and set no flag: outbound packets count from the
 * crypto burst on and a failed encryption takes its packet back (engine_untally()), so a limit
 * that such a packet seemed to reach, here or in another thread, is not reached. */
static enum pkt_drop
engine_life_drop(const struct sa *sa, const struct engine_tally *t, uint64_t len)
{
	enum pkt_drop drop;

	if (atomic_load_explicit(&sa->live->expired, memory_order_relaxed))
		return PKT_DROP_EXPIRED;
	drop = engine_bytes_spent(sa, t, len);
	return drop != PKT_DROP_NONE ? drop : engine_pkts_spent(sa, t);
}

/* The packet is counted (t) when it goes to the crypto burst: the next one's packet limit sees
 * it. */
static void
engine_out_one(struct engine *e, const struct db_snap *snap, struct pkt *p, size_t k,
    struct engine_result *r, size_t *nops, struct engine_tally *t)
{
	const struct sp_rule *rule = e->rules[k];
	struct crypto_op *op = &e->ops[*nops];
	enum pkt_drop drop;
	uint64_t seq, limit, last;
	uint32_t len;
	struct sa *sa;

	if (rule == NULL || rule->sp->action == SP_ACTION_NONE)
		return;
	if (rule->sp->action == SP_ACTION_DISCARD) {
		engine_drop(e, r, rule->sa, PKT_DROP_POLICY_DISCARD);
		return;
	}
	sa = engine_out_sa(snap, rule, &e->sels[k]);
	if (sa == NULL) {
		engine_drop(e, r, NULL, PKT_DROP_NO_SA);
		return;
	}
	/* Its bytes as they will count (below): a byte limit holds it before it passes. */
	drop = engine_life_drop(sa, t, IPV6_HDR_LEN + load_be16(pkt_data(p) + 4));
	if (drop != PKT_DROP_NONE) {
		engine_drop(e, r, sa, drop);
		return;
	}
	/* RFC 4303 section 3.3.3: the counter must not cycle; without ESN the SA is spent after
	 * 2^32 - 1 packets (section 2.2.1: with it after 2^64 - 1, here 2^64 - 2^32). A number past
	 * the last is never sent, and the counter is put back to the last, so that no number of
	 * threads incrementing it at once can ever make it wrap. */
	seq = atomic_fetch_add_explicit(&sa->live->seq_out, 1, memory_order_relaxed) + 1;
	last = sa->esn ? SA_SEQ_LAST_ESN : UINT32_MAX;
	if (seq > last) {
		atomic_store_explicit(&sa->live->seq_out, last, memory_order_relaxed);
		engine_drop(e, r, sa, PKT_DROP_SEQ_OVERFLOW);
		return;
	}
	/* A number that a restart could hand out again is never sent: better a gap. */
	limit = atomic_load_explicit(&sa->live->seq_limit, memory_order_acquire);
	if (limit != 0 && seq >= limit) {
		engine_drop(e, r, sa, PKT_DROP_SEQ_UNRESERVED);
		return;
	}
	/* RFC 4106 section 3.1: the GCM IV must never repeat under a key; it is the 64-bit
	 * sequence number, which never repeats under an SA (durable reservations, SA live state
	 * shared across rebuilds) and whose key no other SA may hold (sad_add()). CBC wants an
	 * unpredictable IV (RFC 3602 section 2). */
	if (sa->enc_info->icv_len != 0)
		store_be64(e->ivs[*nops], seq);
	else if (engine_iv(e, e->ivs[*nops], sa->enc_info->iv_len) < 0) {
		engine_drop(e, r, sa, PKT_DROP_CRYPTO);
		return;
	}
	/* Bytes past the IPv6 payload length are link padding, not packet: not protected. Only
	 * here, so that packets which pass or drop stay as they came. */
	len = p->len;
	p->len = IPV6_HDR_LEN + load_be16(pkt_data(p) + 4);
	e->lens[*nops] = p->len;
	drop = esp_encap(sa, p, seq, e->ivs[*nops], op);
	if (drop != PKT_DROP_NONE) {
		p->len = len;
		engine_drop(e, r, sa, drop);
		return;
	}
	r->sa = sa;
	engine_tally(t, sa, e->lens[*nops]);
	e->op_pkt[(*nops)++] = e->sel_pkt[k];
}

void
engine_out_burst(struct engine *e, const struct db_snap *snap, struct pkt *pkts, size_t n,
    struct engine_result *res)
{
	struct engine_tally tally = { true, NULL, 0, 0 };
	size_t nsel, nops = 0;

	nsel = engine_classify(e, pkts, n, res);
	spd_snap_lookup_burst(snap->spd, SP_DIR_OUT, e->sels, nsel, e->rules);
	for (size_t k = 0; k < nsel; k++) {
		size_t i = e->sel_pkt[k];

		engine_out_one(e, snap, &pkts[i], k, &res[i], &nops, &tally);
	}
	engine_tally_flush(&tally);
	crypto_encrypt_burst(e->crypto, e->ops, nops);
	for (size_t j = 0; j < nops; j++) {
		size_t i = e->op_pkt[j];
		struct sa *sa = res[i].sa;

		if (e->ops[j].status != CRYPTO_OK) {
			engine_untally(sa, e->lens[j]);
			engine_drop(e, &res[i], sa, PKT_DROP_CRYPTO);
			continue;
		}
		res[i].verdict = ENGINE_PROTECT;
	}
}

static struct sa *
engine_in_sa(
    struct engine *e, const struct db_snap *snap, uint32_t spi, const struct esp_meta *meta)
{
	if (e->last_sa.valid && e->last_sa.spi == spi && addr_equal(&e->last_sa.dst, &meta->dst) &&
	    addr_equal(&e->last_sa.src, &meta->src))
		return e->last_sa.sa;
	e->last_sa.sa = sad_snap_lookup_spi(snap->sad, spi, &meta->dst, &meta->src);
	e->last_sa.spi = spi;
	e->last_sa.dst = meta->dst;
	e->last_sa.src = meta->src;
	e->last_sa.valid = true;
	return e->last_sa.sa;
}

/* The in-policy matches of the packets answered by reuse, counted. */
static void
engine_in_check_flush(struct engine *e)
{
	if (e->last_check.valid)
		spd_rule_count(e->last_check.rule, e->last_check.again);
	e->last_check.valid = false;
	e->last_check.again = 0;
}

static bool
engine_in_check(
    struct engine *e, const struct db_snap *snap, const struct pkt_sel *sel, const struct sa *sa)
{
	if (e->last_check.valid && pkt_sel_equal(&e->last_check.sel, sel)) {
		e->last_check.again++;
		if (e->last_check.sa == sa)
			return e->last_check.ok;
		return spd_rule_allows_inbound(e->last_check.rule, sel, sa);
	}
	engine_in_check_flush(e);
	e->last_check.rule = spd_snap_lookup(snap->spd, SP_DIR_IN, sel);
	e->last_check.ok = spd_rule_allows_inbound(e->last_check.rule, sel, sa);
	e->last_check.sel = *sel;
	e->last_check.sa = sa;
	e->last_check.valid = true;
	return e->last_check.ok;
}

/* Whether the SA's window may judge a packet now: not while a batch that gave its SPI and keys
 * to another SA is being undone (held); and once that is done, only after it has seen
 * everything up to what the other one may have accepted (struct sa_live, replay_floor), below
 * its own top too (a late packet the other took). The one thread that writes the window takes
 * the floor, and sets it back to 0 unless the control thread raised it meanwhile (then the next
 * packet takes that). */
static bool
engine_in_floor(struct sa *sa)
{
	struct sa_live *live = sa->live;
	uint64_t floor;

	if (atomic_load_explicit(&live->replay_hold, memory_order_acquire))
		return false;
	floor = atomic_load_explicit(&live->replay_floor, memory_order_acquire);
	if (floor != 0) {
		replay_see_upto(&live->replay, floor);
		atomic_store_explicit(&live->seq_in_top, live->replay.top, memory_order_relaxed);
		(void)atomic_compare_exchange_strong_explicit(
		    &live->replay_floor, &floor, 0, memory_order_release, memory_order_relaxed);
	}
	return true;
}

/* Inbound checks that need no crypto: header present, SA known and serving this source,
 * sequence number not replayed (RFC 4303 section 3.4.3: check before the ICV), lengths. With
 * ESN the high half is inferred from the window as it was when the burst began (every packet
 * of a burst is checked before any is recorded): right for every packet less than 2^32 - W
 * ahead of that top, which a burst cannot outrun.
 * Returns true when the packet goes on to the crypto burst as op j (e->ops[j], e->seqs[j]);
 * false when r records its drop. */
static bool
engine_in_prepare(struct engine *e, const struct db_snap *snap, struct pkt *p,
    const struct esp_meta *meta, struct engine_result *r, size_t j)
{
	uint32_t spi, seq_lo;
	enum pkt_drop drop;
	uint64_t seq;
	struct sa *sa;

	*r = (struct engine_result){ ENGINE_DROP, PKT_DROP_NONE, NULL };
	drop = esp_peek(p, &spi, &seq_lo);
	if (drop != PKT_DROP_NONE) {
		engine_drop(e, r, NULL, drop);
		return false;
	}
	sa = engine_in_sa(e, snap, spi, meta);
	if (sa == NULL) {
		engine_drop(e, r, NULL, PKT_DROP_NO_SA);
		return false;
	}
	if (!addr_is_any(&sa->src) && !addr_equal(&sa->src, &meta->src)) {
		engine_drop(e, r, sa, PKT_DROP_SA_MISMATCH);
		return false;
	}
	/* An SA's ESP arrives as the SA says, in UDP on its ports or plain, never otherwise:
	 * neither way can bypass what the other is held to (steering, the port's socket). */
	if (meta->encap_sport != sa->encap_sport || meta->encap_dport != sa->encap_dport) {
		engine_drop(e, r, sa, PKT_DROP_ENCAP_MISMATCH);
		return false;
	}
	if (!engine_in_floor(sa)) {
		engine_drop(e, r, sa, PKT_DROP_REPLAY);
		return false;
	}
	/* RFC 4303 Appendix A: with ESN the receiver infers the high half from its window; a
	 * wrong guess fails the ICV, which covers the true one. */
	seq = sa->esn ? replay_infer(&sa->live->replay, seq_lo) : seq_lo;
	/* Only an accepted packet counts towards a packet limit (engine_in_finish()): whatever its
	 * number, an unauthenticated one changes nothing. */
	drop = engine_life_drop(sa, NULL, 0);
	if (drop != PKT_DROP_NONE) {
		engine_drop(e, r, sa, drop);
		return false;
	}
	if (!replay_check(&sa->live->replay, seq)) {
		engine_drop(e, r, sa, PKT_DROP_REPLAY);
		return false;
	}
	drop = esp_decap_prepare(sa, p, seq, &e->ops[j]);
	if (drop != PKT_DROP_NONE) {
		engine_drop(e, r, sa, drop);
		return false;
	}
	r->sa = sa;
	e->seqs[j] = seq;
	return true;
}

/* Router solicitations and advertisements and redirects (RFC 4861 types 133, 134, 137) that
 * a policy lets through an SA: delivered, the kernel would take them for messages of the TUN
 * device's own link, where an advertisement could install routes through it. They belong to
 * the link they crossed, not to ours: dropped, whatever the policy. */
static bool
engine_nd_router(const struct pkt_sel *sel)
{
	return sel->proto == IPPROTO_ICMPV6 &&
	    (sel->dport == 133 || sel->dport == 134 || sel->dport == 137);
}

/* After the ICV: record the sequence number, strip ESP, and check the inner packet against
 * the in-policies the SA may serve (RFC 4301 section 5.2). On any drop here the decrypted
 * bytes are wiped: no plaintext is left behind by a packet that was refused. */
static void
engine_in_finish(struct engine *e, const struct db_snap *snap, struct pkt *p,
    const struct esp_meta *meta, struct engine_result *r, size_t j, struct engine_tally *tally)
{
	struct crypto_op *op = &e->ops[j];
	struct sa *sa = r->sa;
	struct pkt_sel sel;
	enum pkt_drop drop;

	if (op->status != CRYPTO_OK) {
		engine_drop(
		    e, r, sa, op->status == CRYPTO_BAD_ICV ? PKT_DROP_ICV : PKT_DROP_CRYPTO);
		return;
	}
	/* The packets of this burst delivered so far count too: a packet limit is exact. Its bytes
	 * are not known until its ESP is off, after the window has it: the ESP packet's, more. */
	drop = engine_life_drop(sa, tally, p->len);
	if (drop != PKT_DROP_NONE)
		goto wipe;
	if (!replay_update(&sa->live->replay, e->seqs[j])) {
		drop = PKT_DROP_REPLAY;
		goto wipe;
	}
	atomic_store_explicit(&sa->live->seq_in_top, sa->live->replay.top, memory_order_relaxed);
	drop = esp_decap_finish(sa, p, meta);
	if (drop != PKT_DROP_NONE)
		goto wipe;
	if (pkt_parse(pkt_data(p), p->len, &sel) != PKT_DROP_NONE) {
		drop = PKT_DROP_INNER_MALFORMED;
		goto wipe;
	}
	if (!engine_in_check(e, snap, &sel, sa)) {
		drop = PKT_DROP_POLICY_MISMATCH;
		goto wipe;
	}
	if (engine_nd_router(&sel)) {
		drop = PKT_DROP_ND_ROUTER;
		goto wipe;
	}
	r->verdict = ENGINE_DELIVER;
	engine_tally(tally, sa, p->len); /* the last it may accept still goes in */
	return;

wipe:
	explicit_bzero(op->buf + op->cipher_off, op->cipher_len);
	engine_drop(e, r, sa, drop);
}

void
engine_in_burst(struct engine *e, const struct db_snap *snap, struct pkt *pkts,
    const struct esp_meta *meta, size_t n, struct engine_result *res)
{
	struct engine_tally tally = { false, NULL, 0, 0 };
	size_t nops = 0;

	e->last_sa.valid = false;
	for (size_t i = 0; i < n; i++) {
		if (engine_in_prepare(e, snap, &pkts[i], &meta[i], &res[i], nops))
			e->op_pkt[nops++] = i;
	}
	crypto_decrypt_burst(e->crypto, e->ops, nops);
	for (size_t j = 0; j < nops; j++) {
		size_t i = e->op_pkt[j];

		engine_in_finish(e, snap, &pkts[i], &meta[i], &res[i], j, &tally);
	}
	engine_in_check_flush(e);
	engine_tally_flush(&tally);
}
