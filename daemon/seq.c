// SPDX-License-Identifier: MIT
/* Durable sequence numbers: one line per SA, "NAME 0xSPI NEXT TOP" (outbound reservation, highest
 * inbound number accepted; both 64-bit decimal, as extended sequence numbers need), and one per
 * AES-GCM key ever used, "@gcm 0xFINGERPRINT NEXT TOP", kept after its SA is gone, so that an
 * SA given that key again (re-added, renamed, another SPI) continues its numbers and its window
 * instead of starting again at 1 (RFC 4106 section 3.1: the IV, the sequence number, never
 * repeats under a key); and for each SA with a byte or a packet lifetime, "@bytes NAME 0xSPI
 * BYTES" or "@packets NAME 0xSPI PACKETS", the bytes or packets it has carried, which a restart
 * goes on counting from; and for each SA with a hard byte or packet limit, "@bytes-allowed NAME
 * 0xSPI BYTES" or "@packets-allowed NAME 0xSPI PACKETS", the bytes or packets it may carry before
 * the next write, which a restart after a crash counts as carried (a clean stop writes none: its
 * counts are exact). Earlier versions skip these lines
 * (the first word is not an SA name and the third not a number). In a file beside the
 * configuration, written as the configuration is (temporary file, fsync, rename; a failed directory
 * fsync leaves the new file: store.h). */
#include "seq.h"

#include <errno.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "ipsec6/crypto.h"
#include "ipsec6/htab.h"
#include "ipsec6/replay.h"
#include "ipsec6/secret.h"
#include "log.h"
#include "loop.h"
#include "proto.h"
#include "store.h"

#define SEQ_KEY_TAG "@gcm" /* not an SA name: '@' is not allowed in one */
#define SEQ_SA_TAG  "@sa"  /* the same for an SA of another cipher, by crypto_sa_fingerprint() */

/* The counts that lifetimes limit, kept across restarts: a line each, by its tag. With a hard
 * limit, what the SA may carry before the next write (seq_used_wanted()): an eighth of its limit,
 * at least min (below that, the whole limit at once), at most max; renewed when half is used, as
 * reservations are. Packets: at least 1024, at most SEQ_BLOCK. Bytes: at least 1 MiB, at most
 * 1 GiB: a crash costs the SA at most a step of its limit, and half a GiB, the least left when
 * the keeper renews, lasts about 400 ms at 10 Gbit/s, several of its ticks. */
struct seq_used {
	const char *tag;
	enum life_kind kind;
	uint64_t min, max;
};

static const struct seq_used seq_used[] = {
	{ "@bytes", LIFE_BYTES, 0, 0 },
	{ "@packets", LIFE_PACKETS, 0, 0 },
};

#define SEQ_USED_KINDS (sizeof(seq_used) / sizeof(seq_used[0]))

/* The bytes or packets an SA may carry before the next write (sa_live used_limit), in the
 * order of seq_used: a restart takes them as carried, as it does "@bytes" and "@packets" (the
 * most any line of the SA says). A clean stop, which writes the counts the SA stopped at, writes
 * none. */
static const struct seq_used seq_allowed[] = {
	{ "@bytes-allowed", LIFE_BYTES, 1u << 20, 1u << 30 },
	{ "@packets-allowed", LIFE_PACKETS, 1024, SEQ_BLOCK },
};

/* What an AES-GCM key, or an SA of another cipher, has used up: its numbers below next, its
 * inbound numbers up to top, as last written; and the live state of the last SA that held it
 * (with another cipher, the last with ESN), held after that SA is gone, whose inbound top may
 * have moved on since (the tops are written at most a second apart). */
struct seq_key {
	struct secret *fp; /* sa_seq_fp() */
	bool gcm;          /* an AES-GCM key's (SEQ_KEY_TAG): its window goes on too */
	uint64_t next;
	uint64_t top;
	struct sa_live *live; /* NULL for a record known from the file only */
};

struct seq_keeper {
	char *path;
	int64_t tops_written_ms; /* loop_now_ms() of the last write, made or not */
	bool unsaved;            /* that write failed: what it held is written again */
	/* The SA and count lines of the last write: those of SAs that a change being put in force
	 * removes or replaces are written again until the change is over (seq_keeper_admit()),
	 * and the next tick writes the file without them (carried: there are some). */
	struct proto_buf lines;
	bool carried;
	struct seq_key **keys; /* every AES-GCM key seen, in the order first seen */
	size_t nkeys, cap;
	struct htab by_fp;
};

int
seq_keeper_new(const char *config_path, struct seq_keeper **out, struct err *err)
{
	struct seq_keeper *k = calloc(1, sizeof(*k));

	if (k == NULL || asprintf(&k->path, "%s.seq", config_path) < 0) {
		free(k);
		return err_set(err, ENOMEM, "out of memory for sequence reservations");
	}
	*out = k;
	return 0;
}

void
seq_keeper_free(struct seq_keeper *k)
{
	if (k == NULL)
		return;
	for (size_t i = 0; i < k->nkeys; i++) {
		if (k->keys[i]->live != NULL)
			sa_live_release(k->keys[i]->live);
		secret_free(k->keys[i]->fp);
		free(k->keys[i]);
	}
	free(k->keys);
	proto_buf_fini(&k->lines);
	htab_fini(&k->by_fp);
	free(k->path);
	free(k);
}

static bool
seq_key_eq(const void *item, const void *key)
{
	return secret_equal(((const struct seq_key *)item)->fp, key) != 0;
}

static struct seq_key *
seq_key_find(const struct seq_keeper *k, const struct secret *fp)
{
	return htab_find(&k->by_fp, crypto_fingerprint_hash(fp), seq_key_eq, fp);
}

/* The record of fp, made (with a copy of fp, of the kind gcm says) if there is none; NULL on
 * ENOMEM. */
static struct seq_key *
seq_key_get(struct seq_keeper *k, const struct secret *fp, bool gcm)
{
	struct seq_key *r = seq_key_find(k, fp);

	if (r != NULL)
		return r;
	if (k->nkeys == k->cap) {
		size_t cap = k->cap == 0 ? 16 : 2 * k->cap;
		struct seq_key **keys = reallocarray(k->keys, cap, sizeof(*keys));

		if (keys == NULL)
			return NULL;
		k->keys = keys;
		k->cap = cap;
	}
	if (htab_reserve(&k->by_fp, k->nkeys + 1) != 0)
		return NULL;
	r = calloc(1, sizeof(*r));
	if (r == NULL || (r->fp = secret_dup(fp)) == NULL) {
		free(r);
		return NULL;
	}
	r->gcm = gcm;
	k->keys[k->nkeys++] = r;
	htab_put(&k->by_fp, crypto_fingerprint_hash(fp), r);
	return r;
}

/* The records as file lines; every SA of db updates its record first. */
static int
seq_keys_write(struct seq_keeper *k, const struct sad *sad, struct proto_buf *b)
{
	char hex[2 * CRYPTO_FP_LEN + 3];
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < sad_all_count(sad); i++) {
		const struct sa *sa = sad_all_at(sad, i);
		struct seq_key *r;

		if (sa_seq_fp(sa) == NULL)
			continue;
		r = seq_key_get(k, sa_seq_fp(sa), sa->key_fp != NULL);
		if (r == NULL)
			return -ENOMEM;
		if (sa->live->seq_reserved > r->next)
			r->next = sa->live->seq_reserved;
		if (sa->live->seq_in_saved > r->top)
			r->top = sa->live->seq_in_saved;
		if ((r->gcm || sa->esn) && r->live != sa->live) {
			if (r->live != NULL)
				sa_live_release(r->live);
			sa_live_hold(sa->live);
			r->live = sa->live;
		}
	}
	for (size_t i = 0; rc == 0 && i < k->nkeys; i++) {
		struct seq_key *r = k->keys[i];
		uint64_t top = r->live != NULL ? sa_live_in_top(r->live) : 0;

		if (top > r->top)
			r->top = top; /* its SA may be gone since the last write */
		rc = secret_format_hex(k->keys[i]->fp, hex, sizeof(hex));
		if (rc == 0)
			rc = proto_buf_printf(b, "%s %s %" PRIu64 " %" PRIu64 "\n",
			    k->keys[i]->gcm ? SEQ_KEY_TAG : SEQ_SA_TAG, hex, k->keys[i]->next,
			    k->keys[i]->top);
	}
	explicit_bzero(hex, sizeof(hex));
	return rc;
}

/* A new SA (no reservation yet) that was had before goes on from where that left off: numbers
 * from the record's next; with AES-GCM, whose key it was, a window that has seen up to its top.
 * Another cipher's window starts empty, as a peer that added its SA again starts at 1 (a window
 * that went on would refuse it); but with ESN not once the top is 2^32 or more: an empty window
 * would read the peer's numbers as of the first 2^32 (RFC 4303 Appendix A2.2), each failing its
 * ICV, whether the peer kept its SA or went on after adding it again, and one that started at 1
 * again cannot be told from one 2^32 ahead. Before the SA is published: nothing reads its live
 * state yet. */
static void
seq_key_continue(const struct seq_keeper *k, struct sa *sa)
{
	const struct seq_key *r;
	uint64_t top;

	if (sa_seq_fp(sa) == NULL || sa->live->seq_reserved != 0)
		return;
	r = seq_key_find(k, sa_seq_fp(sa));
	if (r == NULL)
		return;
	if (r->next > 0 && atomic_load(&sa->live->seq_out) < r->next - 1)
		atomic_store(&sa->live->seq_out, r->next - 1);
	top = r->top;
	if (r->live != NULL && r->live != sa->live && sa_live_in_top(r->live) > top)
		top = sa_live_in_top(r->live);
	if (!r->gcm && (!sa->esn || top >> 32 == 0))
		return;
	if (top > sa->live->replay.top) {
		replay_restart(&sa->live->replay, top);
		atomic_store(&sa->live->seq_in_top, top);
		sa->live->seq_in_saved = top;
	}
}

/* Whether the SA's count of kind is kept across restarts: it has a lifetime of that kind. */
static bool
seq_used_kept(const struct sa *sa, enum life_kind kind)
{
	return sa->life.soft[kind] != 0 || sa->life.hard[kind] != 0;
}

/* Whether a count of the SA's that is kept moved since it was last written. */
static bool
seq_used_moved(const struct sa *sa)
{
	for (size_t u = 0; u < SEQ_USED_KINDS; u++) {
		enum life_kind kind = seq_used[u].kind;

		if (seq_used_kept(sa, kind) &&
		    sa_live_used(sa->live, kind) != sa->live->used_saved[kind])
			return true;
	}
	return false;
}

/* The SA of that name and SPI, current or retired. */
static struct sa *
seq_keeper_find(const struct sad *sad, const char *name, uint32_t spi)
{
	struct sa *sa = sad_lookup_name(sad, name);

	if (sa != NULL && sa->spi == spi)
		return sa;
	for (size_t i = 0; i < sad_retired_count(sad); i++) {
		sa = sad_retired_at(sad, i);
		if (sa->spi == spi && strcmp(sa->name, name) == 0)
			return sa;
	}
	return NULL;
}

/* An SA's line, "NAME 0xSPI NEXT [TOP]" (files of earlier versions have no TOP, or one of 32
 * bits), or a count's line, "@bytes NAME 0xSPI BYTES", "@packets NAME 0xSPI PACKETS",
 * "@bytes-allowed NAME 0xSPI BYTES" or "@packets-allowed NAME 0xSPI PACKETS" (used set, the
 * count in next). */
struct seq_line {
	const struct seq_used *used; /* NULL: an SA's line */
	char name[SA_NAME_MAX + 1];
	uint32_t spi;
	uint64_t next;
	uint64_t top;
};

/* Parse an SA's or a count's line (not an "@gcm" one) into l; false if it is not well-formed. */
static bool
seq_line_parse(const char *line, struct seq_line *l)
{
	const char *space;
	unsigned long spi;
	char *end;

	memset(l, 0, sizeof(*l));
	/* A tag is followed by a space: "@bytes" does not take "@bytes-allowed". */
	for (size_t u = 0; l->used == NULL && u < 2 * SEQ_USED_KINDS; u++) {
		const struct seq_used *used =
		    u < SEQ_USED_KINDS ? &seq_used[u] : &seq_allowed[u - SEQ_USED_KINDS];
		size_t len = strlen(used->tag);

		if (strncmp(line, used->tag, len) == 0 && line[len] == ' ') {
			l->used = used;
			line += len + 1;
		}
	}
	space = strchr(line, ' ');
	if (space == NULL || space == line || (size_t)(space - line) > SA_NAME_MAX)
		return false;
	memcpy(l->name, line, (size_t)(space - line));
	errno = 0;
	spi = strtoul(space + 1, &end, 16);
	if (errno != 0 || end == space + 1 || *end != ' ' || spi > UINT32_MAX)
		return false;
	l->spi = (uint32_t)spi;
	l->next = strtoull(end + 1, &end, 10);
	if (l->used == NULL && *end == ' ')
		l->top = strtoull(end + 1, &end, 10);
	return errno == 0 && *end == '\0' && (l->used != NULL || l->next != 0);
}

/* Whether an SA or count line of the last write says more than this write does: its SA is not
 * in sad, or the SA of sad under that name and SPI is another one (a change replaced it) that
 * has used less so far. */
static bool
seq_line_says_more(const struct sad *sad, const char *line)
{
	struct seq_line l;
	struct sa *sa;

	if (!seq_line_parse(line, &l))
		return false;
	sa = seq_keeper_find(sad, l.name, l.spi);
	if (sa == NULL)
		return true;
	if (l.used >= seq_allowed && l.used < seq_allowed + SEQ_USED_KINDS)
		return l.next > sa->live->used_reserved[l.used->kind];
	if (l.used != NULL)
		return seq_used_kept(sa, l.used->kind) &&
		    l.next > sa->live->used_saved[l.used->kind];
	return l.next > sa->live->seq_reserved || l.top > sa->live->seq_in_saved;
}

/* The lines of the last write that say more than this one, appended to b. A change being put in
 * force may still be undone (its configuration not written, the data path refusing it), and the
 * SAs it removed or replaced come back with their live state: their reservations and tops must
 * stay on disk, or a crash would let them start again from less. (A restart takes the most any
 * line of an SA says.) */
static int
seq_lines_carry(struct seq_keeper *k, const struct sad *sad, struct proto_buf *b)
{
	int rc = 0;

	for (char *line = k->lines.data; rc == 0 && line != NULL && *line != '\0';) {
		char *nl = strchr(line, '\n');
		size_t len = nl != NULL ? (size_t)(nl - line) : strlen(line);

		if (nl != NULL)
			*nl = '\0';
		if (seq_line_says_more(sad, line)) {
			k->carried = true;
			rc = proto_buf_append(b, line, len);
			if (rc == 0)
				rc = proto_buf_append(b, "\n", 1);
		}
		if (nl == NULL)
			break;
		*nl = '\n';
		line = nl + 1;
	}
	return rc;
}

/* Write the file: every SA of db, and with carry the lines of the last write that say more;
 * with stop (a clean stop, the packet threads ended: the counts are exact), no
 * "@bytes-allowed" or "@packets-allowed" lines. */
static int
seq_keeper_write(struct seq_keeper *k, const struct db *db, bool carry, bool stop, struct err *err)
{
	const struct sad *sad = db_sad(db);
	struct proto_buf b = { 0 };
	int rc = proto_buf_append(&b, "", 0);

	for (size_t i = 0; rc == 0 && i < sad_all_count(sad); i++) {
		struct sa *sa = sad_all_at(sad, i);

		sa->live->seq_in_saved = sa_live_in_top(sa->live);
		rc = proto_buf_printf(&b, "%s 0x%x %" PRIu64 " %" PRIu64 "\n", sa->name, sa->spi,
		    sa->live->seq_reserved, sa->live->seq_in_saved);
		for (size_t u = 0; rc == 0 && u < SEQ_USED_KINDS; u++) {
			enum life_kind kind = seq_used[u].kind;

			if (!seq_used_kept(sa, kind))
				continue;
			sa->live->used_saved[kind] = sa_live_used(sa->live, kind);
			rc = proto_buf_printf(&b, "%s %s 0x%x %" PRIu64 "\n", seq_used[u].tag,
			    sa->name, sa->spi, sa->live->used_saved[kind]);
		}
		for (size_t u = 0; rc == 0 && !stop && u < SEQ_USED_KINDS; u++) {
			enum life_kind kind = seq_allowed[u].kind;

			if (sa->life.hard[kind] == 0 || sa->live->used_reserved[kind] == 0)
				continue;
			rc = proto_buf_printf(&b, "%s %s 0x%x %" PRIu64 "\n", seq_allowed[u].tag,
			    sa->name, sa->spi, sa->live->used_reserved[kind]);
		}
	}
	k->carried = false;
	if (rc == 0 && carry)
		rc = seq_lines_carry(k, sad, &b);
	if (rc == 0) {
		proto_buf_reset(&k->lines);
		rc = proto_buf_append(&k->lines, b.data, b.len);
	}
	if (rc == 0)
		rc = seq_keys_write(k, sad, &b);
	k->tops_written_ms = loop_now_ms();
	if (rc != 0)
		rc = err_set(err, ENOMEM, "out of memory for sequence reservations");
	else
		rc = store_write_monotonic(k->path, b.data, b.len, err);
	proto_buf_fini(&b);
	/* seq_in_saved and used_saved already say what this write held: after a failure they
	 * match the live values, so only this flag has the next tick write them again. */
	k->unsaved = rc != 0;
	/* Durable now: the packet threads may use the new blocks. */
	for (size_t i = 0; rc == 0 && i < sad_all_count(sad); i++) {
		struct sa *sa = sad_all_at(sad, i);

		atomic_store_explicit(
		    &sa->live->seq_limit, sa->live->seq_reserved, memory_order_release);
		for (size_t u = 0; u < SEQ_USED_KINDS; u++) {
			enum life_kind kind = seq_allowed[u].kind;

			atomic_store_explicit(&sa->live->used_limit[kind],
			    sa->live->used_reserved[kind], memory_order_release);
		}
	}
	return rc;
}

/* A record's line, "0xFINGERPRINT NEXT TOP" after its tag (gcm: SEQ_KEY_TAG), into a record. */
static void
seq_keeper_apply_key(struct seq_keeper *k, char *text, bool gcm)
{
	char *next_text = strchr(text, ' ');
	unsigned long long next, top;
	struct secret *fp = NULL;
	struct seq_key *r;
	char *end;
	size_t len;

	if (next_text == NULL)
		return;
	*next_text++ = '\0';
	errno = 0;
	next = strtoull(next_text, &end, 10);
	if (errno != 0 || *end != ' ')
		return;
	top = strtoull(end + 1, &end, 10);
	if (errno != 0 || *end != '\0' || secret_parse(text, "fingerprint", &len, &fp, NULL) != 0 ||
	    len != CRYPTO_FP_LEN) {
		secret_free(fp);
		return;
	}
	r = seq_key_get(k, fp, gcm);
	secret_free(fp);
	if (r == NULL)
		return;
	if (next > r->next)
		r->next = next;
	if (top > r->top)
		r->top = top;
}

/* A count's line (l->next its count): the SA of that name and SPI, if it still exists, counts
 * them as carried already. Before the SA is published. */
static void
seq_keeper_apply_used(const struct db *db, const struct seq_line *l)
{
	struct sa *sa = seq_keeper_find(db_sad(db), l->name, l->spi);
	enum life_kind kind = l->used->kind;

	if (sa != NULL && l->next > sa_live_used(sa->live, kind)) {
		sa->live->used_before[kind] += l->next - sa_live_used(sa->live, kind);
		sa->live->used_saved[kind] = l->next;
	}
}

/* Apply one saved line, "NAME 0xSPI NEXT [TOP]" (files of earlier versions have no TOP, or one of
 * 32 bits), to the SA of that name and SPI if it still exists; or remember an AES-GCM key's, or
 * an SA's bytes or packets. */
static void
seq_keeper_apply(struct seq_keeper *k, const struct db *db, char *line)
{
	struct seq_line l;
	struct sa *sa;

	if (strncmp(line, SEQ_KEY_TAG " ", sizeof(SEQ_KEY_TAG)) == 0) {
		seq_keeper_apply_key(k, line + sizeof(SEQ_KEY_TAG), true);
		return;
	}
	if (strncmp(line, SEQ_SA_TAG " ", sizeof(SEQ_SA_TAG)) == 0) {
		seq_keeper_apply_key(k, line + sizeof(SEQ_SA_TAG), false);
		return;
	}
	if (!seq_line_parse(line, &l))
		return;
	if (l.used != NULL) {
		seq_keeper_apply_used(db, &l);
		return;
	}
	sa = seq_keeper_find(db_sad(db), l.name, l.spi);
	if (sa == NULL)
		return;
	/* Everything below NEXT may have been sent before the restart (a change that was undone
	 * may have left two lines: the most either says). */
	if (atomic_load(&sa->live->seq_out) < l.next - 1)
		atomic_store(&sa->live->seq_out, l.next - 1);
	/* Everything up to TOP was accepted: a copy of it replayed now is refused. */
	if (l.top > sa->live->replay.top) {
		replay_restart(&sa->live->replay, l.top);
		atomic_store(&sa->live->seq_in_top, l.top);
		sa->live->seq_in_saved = l.top;
	}
}

int
seq_keeper_restore(struct seq_keeper *k, const struct db *db, struct err *err)
{
	char *text = NULL;
	size_t len = 0;
	mode_t mode;
	int rc;

	rc = store_read(k->path, &text, &len, &mode, err);
	if (rc == -ENOENT) {
		err_clear(err);
		rc = 0;
	} else if (rc == 0) {
		for (char *line = text, *nl; line != NULL && line < text + len; line = nl) {
			nl = memchr(line, '\n', (size_t)(text + len - line));
			if (nl != NULL)
				*nl++ = '\0';
			seq_keeper_apply(k, db, line);
		}
	}
	if (text != NULL)
		explicit_bzero(text, len); /* key fingerprints */
	free(text);
	if (rc != 0)
		return rc;
	for (size_t i = 0; i < sad_all_count(db_sad(db)); i++) {
		struct sa *sa = sad_all_at(db_sad(db), i);

		seq_key_continue(k, sa);
		sa->live->seq_reserved = 0; /* forces a new block each */
	}
	return seq_keeper_tick(k, db, err);
}

/* RFC 4303 section 3.3.3: an SA whose numbers are used up sends no more (the engine counts each
 * refused packet as seq-overflow); say so once, and what to do. */
static void
seq_keeper_spent(struct sa *sa, uint64_t next)
{
	uint64_t last = sa->esn ? SA_SEQ_LAST_ESN : UINT32_MAX;

	if (next <= last || sa->live->spent_logged)
		return;
	sa->live->spent_logged = true;
	char fields[SA_NAME_MAX + 8];

	(void)snprintf(fields, sizeof(fields), "sa=%s", sa->name);
	events_emit("sa-seq-exhausted", fields,
	    "%s: all its sequence numbers are used (%s): it sends "
	    "no more",
	    sa->name, sa->esn ? "2^64 - 2^32" : "2^32 - 1");
	log_warn("SA '%s' has used all its sequence numbers (%s) and sends no more: its packets "
		 "are dropped as seq-overflow; replace it with an SA of a new key%s",
	    sa->name, sa->esn ? "2^64 - 2^32" : "2^32 - 1, without --esn",
	    sa->esn ? "" : ", with --esn where the peer has it");
}

/* The bytes or packets (a of seq_allowed) an SA with a hard limit of that kind may carry next,
 * up to which the engine lets it (used_limit) once they are written: a crash forgets what was
 * carried since the last write, and a restart takes these as carried instead, so that the limit
 * is never passed (doc/ipsec6d.md). 0 when what was reserved still lasts: less than half of the
 * last step is used, or the whole limit is reserved. */
static uint64_t
seq_used_wanted(const struct sa *sa, const struct seq_used *a)
{
	uint64_t hard = sa->life.hard[a->kind];
	uint64_t reserved = sa->live->used_reserved[a->kind];
	uint64_t used, step;

	if (hard == 0 || reserved >= hard)
		return 0;
	used = sa_live_used(sa->live, a->kind);
	step = hard / 8;
	if (step < a->min)
		step = a->min;
	if (step > a->max)
		step = a->max;
	if (reserved != 0 && used + step / 2 <= reserved)
		return 0;
	return used < hard && hard - used > step ? used + step : hard;
}

/* Whether an SA needs more bytes or packets written ahead (seq_used_wanted()): with renew,
 * takes them. */
static bool
seq_used_reserve(struct sa *sa, bool renew)
{
	bool wanted = false;

	for (size_t u = 0; u < SEQ_USED_KINDS; u++) {
		uint64_t more = seq_used_wanted(sa, &seq_allowed[u]);

		if (more == 0)
			continue;
		wanted = true;
		if (renew)
			sa->live->used_reserved[seq_allowed[u].kind] = more;
	}
	return wanted;
}

static int
seq_keeper_reserve(struct seq_keeper *k, const struct db *db, bool carry, struct err *err)
{
	const struct sad *sad = db_sad(db);
	bool reserve = false, tops = false;

	for (size_t i = 0; i < sad_all_count(sad); i++) {
		struct sa *sa = sad_all_at(sad, i);
		uint64_t next = atomic_load_explicit(&sa->live->seq_out, memory_order_relaxed) + 1;

		seq_keeper_spent(sa, next);
		if (sa->live->seq_reserved == 0 || next + SEQ_BLOCK / 2 > sa->live->seq_reserved) {
			sa->live->seq_reserved = next + SEQ_BLOCK;
			reserve = true;
		}
		if (seq_used_reserve(sa, true))
			reserve = true;
		tops = tops || sa_live_in_top(sa->live) != sa->live->seq_in_saved ||
		    seq_used_moved(sa);
	}
	/* Reservations cannot wait, nor lines carried for a change that is over now; the inbound
	 * tops and the counts are saved at most every SEQ_TOP_EVERY_MS, which bounds what a crash
	 * may let be replayed once, or carried beyond a byte or packet lifetime. */
	if (reserve || k->carried ||
	    ((tops || k->unsaved) && loop_now_ms() - k->tops_written_ms >= SEQ_TOP_EVERY_MS))
		return seq_keeper_write(k, db, carry, false, err);
	return 0;
}

int
seq_keeper_tick(struct seq_keeper *k, const struct db *db, struct err *err)
{
	return seq_keeper_reserve(k, db, false, err);
}

/* An SA that has a reservation, whose record another SA numbered past it since (AES-GCM: one
 * with its key; others: with its addresses, SPI and keys): a batch that removed it and gave
 * the key to a new SA was in force, then undone, and the SA is back with its live state. It goes on
 * after the new SA's numbers, under a new block. The packet threads may be sending on it: the
 * counter only moves up, and until the block is written the numbers past the old one are dropped
 * (seq-unreserved), never sent. */
static bool
seq_key_catch_up(const struct seq_keeper *k, struct sa *sa)
{
	const struct seq_key *r;
	uint64_t cur;

	if (sa_seq_fp(sa) == NULL || sa->live->seq_reserved == 0)
		return false;
	r = seq_key_find(k, sa_seq_fp(sa));
	if (r == NULL || r->next <= sa->live->seq_reserved)
		return false;
	cur = atomic_load_explicit(&sa->live->seq_out, memory_order_relaxed);
	while (cur < r->next - 1 &&
	    !atomic_compare_exchange_weak_explicit(
		&sa->live->seq_out, &cur, r->next - 1, memory_order_relaxed, memory_order_relaxed))
		;
	sa->live->seq_reserved = 0; /* forces a new block */
	return true;
}

int
seq_keeper_admit(struct seq_keeper *k, const struct db *db, struct err *err)
{
	const struct sad *sad = db_sad(db);

	bool fresh = false;

	for (size_t i = 0; i < sad_all_count(sad); i++) {
		struct sa *sa = sad_all_at(sad, i);

		if (seq_key_catch_up(k, sa)) {
			fresh = true;
			continue;
		}
		/* A new SA, or a reload that raised a hard byte or packet limit it was held at. */
		if (seq_used_reserve(sa, false))
			fresh = true;
		if (sa->live->seq_reserved != 0)
			continue;
		seq_key_continue(k, sa);
		fresh = true;
	}
	return fresh ? seq_keeper_reserve(k, db, true, err) : 0;
}

int
seq_keeper_flush(struct seq_keeper *k, const struct db *db, struct err *err)
{
	return seq_keeper_write(k, db, false, true, err);
}
