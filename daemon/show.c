// SPDX-License-Identifier: MIT
/* Formats the SAD and SPD for the control protocol: TAB-separated key=value records built from
 * the one field list per object, the counters with the data path's, and Wireshark's esp_sa lines
 * for the explicit export. */
#include "show.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataplane.h"
#include "ipsec6/addr.h"
#include "ipsec6/secret.h"
#include "lifetime.h"
#include "log.h"
#include "steer.h"

/* A bound policy: which SA, and where the policy stands in the SPD. */
struct show_use {
	const struct sa *sa;
	size_t pos;
};

static int
show_use_cmp(const void *a, const void *b)
{
	const struct show_use *x = a;
	const struct show_use *y = b;

	if (x->sa != y->sa)
		return (uintptr_t)x->sa < (uintptr_t)y->sa ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* Every (SA, policy) binding sorted by SA then SPD order, so that each SA's users are found
 * by one binary search instead of a scan of the SPD per SA. */
static int
show_uses(const struct spd *spd, struct show_use **out, size_t *n)
{
	size_t count = spd_count(spd);
	struct show_use *u = calloc(count > 0 ? count : 1, sizeof(*u));

	*n = 0;
	*out = u;
	if (u == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < count; i++) {
		const struct sp *sp = spd_at(spd, i);

		if (sp->sa != NULL)
			u[(*n)++] = (struct show_use){ sp->sa, i };
	}
	qsort(u, *n, sizeof(*u), show_use_cmp);
	return 0;
}

/* The policy names bound to sa, joined by ',', into names (reset first). */
static int
show_used_by(const struct spd *spd, const struct sa *sa, const struct show_use *u, size_t n,
    struct proto_buf *names)
{
	size_t lo = 0, hi = n;
	int rc = 0;

	proto_buf_reset(names);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if ((uintptr_t)u[mid].sa < (uintptr_t)sa)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; rc == 0 && i < n && u[i].sa == sa; i++) {
		const struct sp *sp = spd_at(spd, u[i].pos);

		if (i > lo)
			rc = proto_buf_append(names, ",", 1);
		if (rc == 0)
			rc = proto_buf_append(names, sp->name, strlen(sp->name));
	}
	if (rc == 0 && names->data == NULL)
		rc = proto_buf_append(names, "", 0);
	return rc;
}

static const char *
show_addr(const struct in6_addr *a, char *buf, const char *any)
{
	return addr_is_any(a) ? any : addr_format(a, buf);
}

static int
show_sa(struct proto_buf *out, const struct sa *sa, const char *used_by)
{
	char src[ADDR_TEXT_MAX], dst[ADDR_TEXT_MAX], spi[16], encap[24] = "none";
	struct proto_record r = {
		.n = 10,
		.key = { "name", "source", "destination", "spi", "mode", "encryption", "integrity",
		    "used-by", "state", "encapsulation" },
	};

	(void)snprintf(spi, sizeof(spi), "0x%x", sa->spi);
	if (sa_is_encap(sa))
		(void)snprintf(encap, sizeof(encap), "udp %u:%u", (unsigned)sa->encap_sport,
		    (unsigned)sa->encap_dport);
	r.value[0] = sa->name;
	r.value[1] = show_addr(&sa->src, src, "any");
	r.value[2] = show_addr(&sa->dst, dst, "any");
	r.value[3] = spi;
	r.value[4] = sa_mode_name(sa->mode);
	r.value[5] = sa->enc_info->name;
	r.value[6] = sa->auth_info->name;
	r.value[7] = used_by;
	r.value[8] = sa->retired != 0 ? "retired" : life_state_name(lifetime_state(sa, NULL));
	r.value[9] = encap;
	return proto_record_append(out, &r);
}

int
show_sa_list(const struct db *db, struct proto_buf *out)
{
	const struct sad *sad = db_sad(db);
	const struct spd *spd = db_spd(db);
	struct proto_buf names = { NULL, 0, 0 };
	struct show_use *uses;
	size_t nuses;
	int rc;

	rc = show_uses(spd, &uses, &nuses);
	for (size_t i = 0; rc == 0 && i < sad_all_count(sad); i++) {
		const struct sa *sa = sad_all_at(sad, i);

		rc = show_used_by(spd, sa, uses, nuses, &names);
		if (rc == 0)
			rc = show_sa(out, sa, names.data);
	}
	proto_buf_fini(&names);
	free(uses);
	return rc;
}

static const char *
show_port(int32_t port, char *buf, size_t size)
{
	if (port == SP_PORT_ANY)
		return "any";
	(void)snprintf(buf, size, "%d", (int)port);
	return buf;
}

int
show_sp_list(const struct db *db, struct proto_buf *out)
{
	const struct spd *spd = db_spd(db);
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < spd_count(spd); i++) {
		const struct sp *sp = spd_at(spd, i);
		char src[ADDR_TEXT_MAX], dst[ADDR_TEXT_MAX], sport[16], dport[16];
		struct proto_record r = {
			.n = 10,
			.key = { "name", "source", "destination", "source-port", "destination-port",
			    "protocol", "direction", "action", "mode", "sa-name" },
		};

		r.value[0] = sp->name;
		r.value[1] = addr_prefix_format(&sp->src, src);
		r.value[2] = addr_prefix_format(&sp->dst, dst);
		r.value[3] = show_port(sp->sport, sport, sizeof(sport));
		r.value[4] = show_port(sp->dport, dport, sizeof(dport));
		r.value[5] = sp_proto_name(sp->proto);
		r.value[6] = sp_dir_name(sp->dir);
		r.value[7] = sp_action_name(sp->action);
		r.value[8] = sa_mode_name(sp->mode);
		r.value[9] = sp->sa_name;
		rc = proto_record_append(out, &r);
	}
	return rc;
}

/* "0x" + hex of key, or "" for none (null encryption). */
static int
show_key(const struct secret *key, char *buf, size_t size)
{
	if (key == NULL) {
		buf[0] = '\0';
		return 0;
	}
	return secret_format_hex(key, buf, size) == 0 ? 0 : -EINVAL;
}

int
show_wireshark(const struct db *db, struct proto_buf *out)
{
	const struct sad *sad = db_sad(db);
	char src[ADDR_TEXT_MAX], dst[ADDR_TEXT_MAX];
	char ekey[2 * SECRET_MAX + 3], akey[2 * SECRET_MAX + 3];
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < sad_all_count(sad); i++) {
		const struct sa *sa = sad_all_at(sad, i);

		rc = show_key(sa->enc_key, ekey, sizeof(ekey));
		if (rc == 0)
			rc = show_key(sa->auth_key, akey, sizeof(akey));
		if (rc == 0)
			rc = proto_buf_printf(out,
			    "\"IPv6\",\"%s\",\"%s\",\"0x%08x\",\"%s\",\"%s\",\"%s\",\"%s\"\n",
			    show_addr(&sa->src, src, "*"), show_addr(&sa->dst, dst, "*"), sa->spi,
			    sa->enc_info->wireshark, ekey, sa->auth_info->wireshark, akey);
	}
	explicit_bzero(ekey, sizeof(ekey));
	explicit_bzero(akey, sizeof(akey));
	return rc;
}

/* "reason:count,..." for the non-zero counters, "" when there are none. */
static int
show_drops(
    struct proto_buf *out, uint64_t (*get)(const void *src, enum pkt_drop d), const void *src)
{
	const char *sep = "";
	int rc = 0;

	for (int d = PKT_DROP_NONE + 1; rc == 0 && d < PKT_DROP__COUNT; d++) {
		uint64_t n = get(src, (enum pkt_drop)d);

		if (n == 0)
			continue;
		rc = proto_buf_printf(
		    out, "%s%s:%llu", sep, pkt_drop_name((enum pkt_drop)d), (unsigned long long)n);
		sep = ",";
	}
	return rc;
}

static uint64_t
show_sa_drop(const void *src, enum pkt_drop d)
{
	const struct sa *sa = src;

	return atomic_load_explicit(&sa->live->drops[d], memory_order_relaxed);
}

static uint64_t
show_global_drop(const void *src, enum pkt_drop d)
{
	const struct show_counters *c = src;

	return c->global_drops[d];
}

static unsigned long long
show_load(const _Atomic uint64_t *v)
{
	return (unsigned long long)atomic_load_explicit(v, memory_order_relaxed);
}

/* What the engine matched plus what the kernel's rules matched. Each packet is counted on one
 * side only: out-policies with action ipsec have no counter in the kernel (steer.c; the engine
 * counts their segments, the rule would see a TCP super-packet once), other out-policies never
 * reach the engine, and in-policies count plaintext in the kernel and the inner packets of ESP
 * in the engine. */
static uint64_t
show_sp_matches(const struct sp *sp, const struct show_counters *c)
{
	uint64_t n = atomic_load_explicit(&sp->matches, memory_order_relaxed);

	return c->policy_hits != NULL ? n + c->policy_hits(c->ctx, sp) : n;
}

static int
show_stats_sa(const struct sa *sa, struct proto_buf *out)
{
	int rc;

	rc = proto_buf_printf(out,
	    "type=sa\tname=%s\tspi=0x%x\tpackets-in=%llu\tbytes-in=%llu\tpackets-out=%llu"
	    "\tbytes-out=%llu\tdrops=",
	    sa->name, sa->spi, show_load(&sa->live->pkts_in), show_load(&sa->live->bytes_in),
	    show_load(&sa->live->pkts_out), show_load(&sa->live->bytes_out));
	if (rc == 0)
		rc = show_drops(out, show_sa_drop, sa);
	return rc ? rc : proto_buf_append(out, "\n", 1);
}

int
show_stats(const struct db *db, const struct show_counters *c, struct proto_buf *out)
{
	const struct sad *sad = db_sad(db);
	const struct spd *spd = db_spd(db);
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < sad_all_count(sad); i++)
		rc = show_stats_sa(sad_all_at(sad, i), out);
	for (size_t i = 0; rc == 0 && i < spd_count(spd); i++) {
		const struct sp *sp = spd_at(spd, i);

		rc = proto_buf_printf(out,
		    "type=sp\tname=%s\tdirection=%s\taction=%s\tmatches=%llu\n", sp->name,
		    sp_dir_name(sp->dir), sp_action_name(sp->action),
		    (unsigned long long)show_sp_matches(sp, c));
	}
	if (rc == 0)
		rc = proto_buf_printf(out, "type=global\tdrops=");
	if (rc == 0)
		rc = show_drops(out, show_global_drop, c);
	return rc ? rc : proto_buf_append(out, "\n", 1);
}

static uint64_t
show_policy_hits(void *ctx, const struct sp *sp)
{
	return steer_hits_get(ctx, sp->name);
}

/* Render db with the data path's counters through fn (show_stats() or show_metrics()). */
static int
show_with_dp(struct dataplane *dp, const struct db *db, struct proto_buf *out,
    int (*fn)(const struct db *db, const struct show_counters *c, struct proto_buf *out))
{
	size_t cap = 4 * spd_count(db_spd(db)) + 3; /* a rule per hook, and the table's drops */
	struct steer_hits hits = { calloc(cap, sizeof(struct steer_hit)), cap, 0 };
	struct show_counters c = { .policy_hits = show_policy_hits, .ctx = &hits };
	struct err err = { "" };
	int rc;

	if (hits.v == NULL)
		return -ENOMEM;
	for (int d = 0; d < PKT_DROP__COUNT; d++)
		c.global_drops[d] = dp_global_drops(dp, (enum pkt_drop)d);
	if (steer_counters(&hits, &err) < 0)
		log_warn("policy counters unavailable: %s", err.msg);
	c.global_drops[PKT_DROP_MISROUTED] += steer_hits_get(&hits, STEER_DROPS_MISROUTED);
	c.global_drops[PKT_DROP_FRAGMENT] += steer_hits_get(&hits, STEER_DROPS_FRAGMENT);
	rc = fn(db, &c, out);
	free(hits.v);
	return rc;
}

int
show_dp_stats(void *ctx, const struct db *db, struct proto_buf *out)
{
	return show_with_dp(ctx, db, out, show_stats);
}

/* Prometheus's text format: a family's HELP and TYPE, then its samples. Label values are SA and
 * policy names (A-Za-z0-9_.-) and drop reasons: nothing to escape. */
static int
show_family(struct proto_buf *out, const char *name, const char *type, const char *help)
{
	return proto_buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* The lifecycle (lifetime.h): each SA's state as Prometheus's enum idiom (one sample per state,
 * 1 for the current one), its age, and its limits where it has them. */
static int
show_metrics_life(const struct sad *sad, struct proto_buf *out)
{
	static const char *const units[LIFE__KINDS] = {
		[LIFE_TIME] = "seconds",
		[LIFE_BYTES] = "bytes",
		[LIFE_PACKETS] = "packets",
	};
	int rc = show_family(out, "ipsec6_sa_state", "gauge",
	    "An SA's lifetime state: 1 for the one it is in (mature, soft-expired, hard-expired).");

	for (size_t i = 0; rc == 0 && i < sad_count(sad); i++) {
		const struct sa *sa = sad_at(sad, i);
		enum life_state now = lifetime_state(sa, NULL);

		for (int st = LIFE_MATURE; rc == 0 && st <= LIFE_HARD_EXPIRED; st++)
			rc = proto_buf_printf(out, "ipsec6_sa_state{sa=\"%s\",state=\"%s\"} %d\n",
			    sa->name, life_state_name((enum life_state)st), st == (int)now);
	}
	if (rc == 0)
		rc = show_family(out, "ipsec6_sa_age_seconds", "gauge",
		    "Seconds since the SA was added (what its time limits are measured against).");
	for (size_t i = 0; rc == 0 && i < sad_count(sad); i++) {
		const struct sa *sa = sad_at(sad, i);

		rc = proto_buf_printf(out, "ipsec6_sa_age_seconds{sa=\"%s\"} %llu\n", sa->name,
		    (unsigned long long)sa_age(sa));
	}
	for (int k = 0; rc == 0 && k < LIFE__KINDS; k++) {
		char name[64];

		(void)snprintf(name, sizeof(name), "ipsec6_sa_lifetime_limit_%s", units[k]);
		rc = show_family(out, name, "gauge",
		    "An SA's soft and hard lifetime limits (level), where it has them.");
		for (size_t i = 0; rc == 0 && i < sad_count(sad); i++) {
			const struct sa *sa = sad_at(sad, i);

			if (sa->life.soft[k] != 0)
				rc = proto_buf_printf(out, "%s{sa=\"%s\",level=\"soft\"} %llu\n",
				    name, sa->name, (unsigned long long)sa->life.soft[k]);
			if (rc == 0 && sa->life.hard[k] != 0)
				rc = proto_buf_printf(out, "%s{sa=\"%s\",level=\"hard\"} %llu\n",
				    name, sa->name, (unsigned long long)sa->life.hard[k]);
		}
	}
	return rc;
}

/* The counters of every SA, the retired ones included (sa rekey): labelled by name and SPI, so
 * that each SA's counters are a series of their own that only grows, and a rekey starts a new
 * one beside the old one for its grace. */
static int
show_metrics_sa(const struct sad *sad, struct proto_buf *out)
{
	static const char *const dirs[2] = { "in", "out" };
	int rc = show_family(out, "ipsec6_sa_packets_total", "counter",
	    "Packets accepted (in) or protected (out) under an SA.");

	for (size_t i = 0; rc == 0 && i < sad_all_count(sad); i++) {
		const struct sa *sa = sad_all_at(sad, i);
		const _Atomic uint64_t *n[2] = { &sa->live->pkts_in, &sa->live->pkts_out };

		for (int d = 0; rc == 0 && d < 2; d++)
			rc = proto_buf_printf(out,
			    "ipsec6_sa_packets_total{sa=\"%s\",spi=\"0x%x\",direction=\"%s\"} %llu\n",
			    sa->name, sa->spi, dirs[d], show_load(n[d]));
	}
	if (rc == 0)
		rc = show_family(out, "ipsec6_sa_bytes_total", "counter",
		    "Bytes of the packets accepted (in) or protected (out) under an SA, before ESP.");
	for (size_t i = 0; rc == 0 && i < sad_all_count(sad); i++) {
		const struct sa *sa = sad_all_at(sad, i);
		const _Atomic uint64_t *n[2] = { &sa->live->bytes_in, &sa->live->bytes_out };

		for (int d = 0; rc == 0 && d < 2; d++)
			rc = proto_buf_printf(out,
			    "ipsec6_sa_bytes_total{sa=\"%s\",spi=\"0x%x\",direction=\"%s\"} %llu\n",
			    sa->name, sa->spi, dirs[d], show_load(n[d]));
	}
	if (rc == 0)
		rc = show_family(out, "ipsec6_sa_drops_total", "counter",
		    "Packets dropped under an SA, by reason.");
	for (size_t i = 0; rc == 0 && i < sad_all_count(sad); i++) {
		const struct sa *sa = sad_all_at(sad, i);

		for (int d = 1; rc == 0 && d < PKT_DROP__COUNT; d++) {
			uint64_t n = show_sa_drop(sa, (enum pkt_drop)d);

			if (n > 0)
				rc = proto_buf_printf(out,
				    "ipsec6_sa_drops_total{sa=\"%s\",spi=\"0x%x\",reason=\"%s\"} "
				    "%llu\n",
				    sa->name, sa->spi, pkt_drop_name((enum pkt_drop)d),
				    (unsigned long long)n);
		}
	}
	if (rc == 0)
		rc = show_family(out, "ipsec6_sa_sequence_space_used_ratio", "gauge",
		    "The share of an SA's outbound sequence numbers used up.");
	for (size_t i = 0; rc == 0 && i < sad_count(sad); i++) {
		const struct sa *sa = sad_at(sad, i);

		rc = proto_buf_printf(out, "ipsec6_sa_sequence_space_used_ratio{sa=\"%s\"} %.9g\n",
		    sa->name,
		    (double)show_load(&sa->live->seq_out) /
			(sa->esn ? (double)SA_SEQ_LAST_ESN : (double)UINT32_MAX));
	}
	if (rc == 0)
		rc = show_metrics_life(sad, out);
	return rc;
}

int
show_metrics(const struct db *db, const struct show_counters *c, struct proto_buf *out)
{
	const struct spd *spd = db_spd(db);
	int rc = show_metrics_sa(db_sad(db), out);

	if (rc == 0)
		rc = show_family(out, "ipsec6_sp_matches_total", "counter",
		    "Packets a security policy matched.");
	for (size_t i = 0; rc == 0 && i < spd_count(spd); i++) {
		const struct sp *sp = spd_at(spd, i);

		rc = proto_buf_printf(out,
		    "ipsec6_sp_matches_total{sp=\"%s\",direction=\"%s\",action=\"%s\"} %llu\n",
		    sp->name, sp_dir_name(sp->dir), sp_action_name(sp->action),
		    (unsigned long long)show_sp_matches(sp, c));
	}
	if (rc == 0)
		rc = show_family(out, "ipsec6_drops_total", "counter",
		    "Packets dropped without an SA to count them against, by reason.");
	for (int d = 1; rc == 0 && d < PKT_DROP__COUNT; d++)
		rc = proto_buf_printf(out, "ipsec6_drops_total{reason=\"%s\"} %llu\n",
		    pkt_drop_name((enum pkt_drop)d), (unsigned long long)c->global_drops[d]);
	return rc;
}

int
show_dp_metrics(void *ctx, const struct db *db, struct proto_buf *out)
{
	return show_with_dp(ctx, db, out, show_metrics);
}

int
show_db_metrics(void *ctx, const struct db *db, struct proto_buf *out)
{
	struct show_counters none = { 0 };

	(void)ctx;
	return show_metrics(db, &none, out);
}
