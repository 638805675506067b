// SPDX-License-Identifier: MIT
/* The event stream of `ipsec6 monitor` (events.h). */
#include "events.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dataplane.h"
#include "ipsec6/addr.h"
#include "ipsec6/drop.h"
#include "proto.h"

static struct {
	void (*fn)(void *ctx, const char *line, size_t len);
	bool (*wanted)(void *ctx);
	void *ctx;
	bool synced; /* the drop counts below and in each SA are current */
	uint64_t global_seen[PKT_DROP__COUNT];
} events;

void
events_set_sink(
    void (*fn)(void *ctx, const char *line, size_t len), bool (*wanted)(void *ctx), void *ctx)
{
	events.fn = fn;
	events.wanted = wanted;
	events.ctx = ctx;
}

bool
events_wanted(void)
{
	bool on = events.wanted != NULL && events.wanted(events.ctx);

	if (!on)
		events.synced = false;
	return on;
}

/* Append s with TABs, newlines and other control characters made spaces. */
static int
events_text(struct proto_buf *b, const char *s)
{
	int rc = 0;

	for (; rc == 0 && *s != '\0'; s++) {
		char c = (unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s;

		rc = proto_buf_append(b, &c, 1);
	}
	return rc;
}

__attribute__((format(printf, 4, 0))) static int
events_line(
    struct proto_buf *b, const char *event, const char *fields, const char *text_fmt, va_list ap)
{
	char text[512];
	struct timespec ts;
	struct tm tm;
	int rc;

	(void)vsnprintf(text, sizeof(text), text_fmt, ap);
	(void)clock_gettime(CLOCK_REALTIME, &ts);
	(void)gmtime_r(&ts.tv_sec, &tm);
	rc = proto_buf_printf(b, "time=%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ\tevent=%s",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
	    ts.tv_nsec / 1000000, event);
	if (rc == 0 && fields != NULL && fields[0] != '\0')
		rc = proto_buf_printf(b, "\t%s", fields);
	if (rc == 0)
		rc = proto_buf_append(b, "\ttext=", 6);
	if (rc == 0)
		rc = events_text(b, text);
	if (rc == 0)
		rc = proto_buf_append(b, "\n", 1);
	return rc;
}

void
events_emit(const char *event, const char *fields, const char *text_fmt, ...)
{
	struct proto_buf b = { NULL, 0, 0 };
	va_list ap;
	int rc;

	if (!events_wanted())
		return;
	va_start(ap, text_fmt);
	rc = events_line(&b, event, fields, text_fmt, ap);
	va_end(ap);
	if (rc == 0)
		events.fn(events.ctx, b.data, b.len);
	proto_buf_fini(&b);
}

int
events_append(
    struct proto_buf *out, const char *event, const char *fields, const char *text_fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, text_fmt);
	rc = events_line(out, event, fields, text_fmt, ap);
	va_end(ap);
	return rc;
}

/* An SA of before the change, for the diff: a reference to the SA itself, so that its keys can
 * be compared where they are (key memory) and are never copied here. */
struct events_sa {
	char name[SA_NAME_MAX + 1]; /* first: the sort key */
	struct sa *sa;
};

struct events_names {
	struct events_sa *sa;
	size_t nsa;
	char (*sp)[SP_NAME_MAX + 1];
	size_t nsp;
};

void
events_names_free(struct events_names *n)
{
	if (n == NULL)
		return;
	for (size_t i = 0; n->sa != NULL && i < n->nsa; i++)
		sa_unref(n->sa[i].sa);
	free(n->sa);
	free(n->sp);
	free(n);
}

/* Both arrays are sorted by name (each begins with it), so that a diff is n log n. */
static int
events_cmp_name(const void *a, const void *b)
{
	return strcmp(a, b);
}

struct events_names *
events_names_take(const struct db *db)
{
	const struct sad *sad = db_sad(db);
	const struct spd *spd = db_spd(db);
	struct events_names *n;

	if (!events_wanted())
		return NULL;
	n = calloc(1, sizeof(*n));
	if (n == NULL)
		return NULL;
	n->nsa = sad_count(sad);
	n->nsp = spd_count(spd);
	n->sa = calloc(n->nsa + 1, sizeof(*n->sa));
	n->sp = calloc(n->nsp + 1, sizeof(*n->sp));
	if (n->sa == NULL || n->sp == NULL) {
		events_names_free(n);
		return NULL;
	}
	for (size_t i = 0; i < n->nsa; i++) {
		struct sa *sa = sad_at(sad, i);

		sa_ref(sa);
		n->sa[i].sa = sa;
		memcpy(n->sa[i].name, sa->name, sizeof(sa->name));
	}
	for (size_t i = 0; i < n->nsp; i++)
		memcpy(n->sp[i], spd_at(spd, i)->name, sizeof(n->sp[i]));
	qsort(n->sa, n->nsa, sizeof(*n->sa), events_cmp_name);
	qsort(n->sp, n->nsp, sizeof(*n->sp), events_cmp_name);
	return n;
}

static const struct events_sa *
events_find_sa(const struct events_names *n, const char *name)
{
	return bsearch(name, n->sa, n->nsa, sizeof(*n->sa), events_cmp_name);
}

static bool
events_has_sp(const struct events_names *n, const char *name)
{
	return bsearch(name, n->sp, n->nsp, sizeof(*n->sp), events_cmp_name) != NULL;
}

/* The same SA in everything a user set but the SPI and the keys. */
static bool
events_same_but_spi(const struct sa *a, const struct sa *b)
{
	return addr_equal(&a->src, &b->src) && addr_equal(&a->dst, &b->dst) && a->mode == b->mode &&
	    a->enc == b->enc && a->auth == b->auth && a->replay_window == b->replay_window &&
	    a->esn == b->esn && a->encap_sport == b->encap_sport &&
	    a->encap_dport == b->encap_dport && memcmp(&a->life, &b->life, sizeof(a->life)) == 0;
}

/* Unchanged: no event. A key that changed under the same SPI is a replacement. */
static bool
events_sa_same(const struct sa *a, const struct sa *b)
{
	return a->spi == b->spi && events_same_but_spi(a, b) && sa_keys_equal(a, b);
}

void
events_changes(struct events_names *before, const struct db *after, const char *why)
{
	const struct sad *sad = db_sad(after);
	const struct spd *spd = db_spd(after);
	char fields[128];

	if (before == NULL)
		return;
	for (size_t i = 0; i < before->nsa; i++) {
		if (sad_lookup_name(sad, before->sa[i].name) != NULL)
			continue;
		(void)snprintf(fields, sizeof(fields), "sa=%s", before->sa[i].name);
		events_emit("sa-removed", fields, "SA %s removed (%s)", before->sa[i].name, why);
	}
	for (size_t i = 0; i < before->nsp; i++) {
		if (spd_lookup_name(spd, before->sp[i]) != NULL)
			continue;
		(void)snprintf(fields, sizeof(fields), "sp=%s", before->sp[i]);
		events_emit("sp-removed", fields, "policy %s removed (%s)", before->sp[i], why);
	}
	for (size_t i = 0; i < sad_count(sad); i++) {
		const struct sa *sa = sad_at(sad, i);
		const struct events_sa *found = events_find_sa(before, sa->name);
		const struct sa *old = found != NULL ? found->sa : NULL;
		char src[ADDR_TEXT_MAX], dst[ADDR_TEXT_MAX];

		if (old != NULL && events_sa_same(old, sa))
			continue;
		/* A new SPI (and keys, or not) and nothing else: `sa rekey`. */
		if (old != NULL && old->spi != sa->spi && events_same_but_spi(old, sa)) {
			(void)snprintf(fields, sizeof(fields), "sa=%s\tspi=0x%x\told-spi=0x%x",
			    sa->name, sa->spi, old->spi);
			events_emit("sa-rekeyed", fields, "SA %s rekeyed (%s): SPI 0x%x -> 0x%x",
			    sa->name, why, old->spi, sa->spi);
			continue;
		}
		(void)snprintf(fields, sizeof(fields), "sa=%s\tspi=0x%x", sa->name, sa->spi);
		events_emit(old == NULL ? "sa-added" : "sa-replaced", fields,
		    "SA %s %s (%s): %s -> %s, SPI 0x%x, %s, %s%s%s", sa->name,
		    old == NULL ? "added" : "replaced", why,
		    addr_is_any(&sa->src) ? "any" : addr_format(&sa->src, src),
		    addr_is_any(&sa->dst) ? "any" : addr_format(&sa->dst, dst), sa->spi,
		    sa_mode_name(sa->mode), sa->enc_info->name,
		    sa->auth != ALGO_AUTH_NONE ? "+" : "",
		    sa->auth != ALGO_AUTH_NONE ? sa->auth_info->name : "");
	}
	for (size_t i = 0; i < spd_count(spd); i++) {
		const struct sp *sp = spd_at(spd, i);

		if (events_has_sp(before, sp->name))
			continue;
		(void)snprintf(fields, sizeof(fields), "sp=%s", sp->name);
		events_emit("sp-added", fields, "policy %s added (%s): %s, %s", sp->name, why,
		    sp_dir_name(sp->dir), sp_action_name(sp->action));
	}
	events_names_free(before);
}

static void
events_drop(const char *sa, uint64_t n, enum pkt_drop d)
{
	char fields[160];

	if (sa != NULL)
		(void)snprintf(fields, sizeof(fields), "sa=%s\treason=%s\tcount=%" PRIu64, sa,
		    pkt_drop_name(d), n);
	else
		(void)snprintf(
		    fields, sizeof(fields), "reason=%s\tcount=%" PRIu64, pkt_drop_name(d), n);
	events_emit("drops", fields, "%s%s%" PRIu64 " %s drop%s (%s)", sa != NULL ? sa : "",
	    sa != NULL ? ": " : "", n, pkt_drop_name(d), n == 1 ? "" : "s", pkt_drop_text(d));
}

void
events_drops_tick(const struct db *db, struct dataplane *dp)
{
	const struct sad *sad = db_sad(db);
	bool report;

	if (!events_wanted())
		return;
	report = events.synced;
	events.synced = true;
	for (size_t i = 0; i < sad_all_count(sad); i++) {
		struct sa *sa = sad_all_at(sad, i);

		for (int d = 1; d < PKT_DROP__COUNT; d++) {
			uint64_t now =
			    atomic_load_explicit(&sa->live->drops[d], memory_order_relaxed);
			uint64_t seen = sa->live->drops_seen[d];

			sa->live->drops_seen[d] = now;
			if (report && now > seen)
				events_drop(sa->name, now - seen, (enum pkt_drop)d);
		}
	}
	for (int d = 1; dp != NULL && d < PKT_DROP__COUNT; d++) {
		uint64_t now = dp_global_drops(dp, (enum pkt_drop)d);
		uint64_t seen = events.global_seen[d];

		events.global_seen[d] = now;
		if (report && now > seen)
			events_drop(NULL, now - seen, (enum pkt_drop)d);
	}
}
