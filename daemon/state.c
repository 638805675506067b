// SPDX-License-Identifier: MIT
/* The live database and its file. Changes are applied to the live database in place (so that
 * SA objects, with their sequence numbers and replay windows, live on), then the canonical
 * text is written durably; if a command is refused or the write fails, the database is rebuilt
 * from the text it last matched, and each SA that is the same as before shares the live state
 * (sequence numbers, replay window, counters) of the object it replaces. */
#include "state.h"

#include <sys/mman.h>
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "ipsec6/addr.h"
#include "ipsec6/conf.h"
#include "ipsec6/secret.h"
#include "lifetime.h"
#include "log.h"
#include "show.h"
#include "store.h"

/* A copy of the text the live database matches, kept out of core dumps: it holds keys. */
struct state_text {
	char *p;
	size_t len;
	size_t map_len;
};

/* Every SA of db, current and retired, each with a reference held so that it outlives its
 * removal; sorted by name and SPI (unique in one db) only when a rebuild needs to find them. */
struct state_held {
	struct sa **sa;
	size_t n;
};

/* An SA brought back by a rollback (live, held: replay_hold) and an SA of the undone batch that had
 * its SPI and keys under another live state (twin), a reference to each; last: the highest number
 * live's window holds. */
struct state_twin {
	struct sa_live *live;
	struct sa_live *twin;
	uint64_t last;
};

struct state {
	char *path; /* NULL: memory only */
	enum crypto_backend backend;
	struct db *db;
	struct state_text saved;
	struct state_hooks hooks;
	/* A failed change could not be undone (no memory to rebuild the previous database): the
	 * live database is not what the file and the data path hold, so no change is taken until a
	 * reload makes them one again. */
	bool broken;
	int (*stats)(void *ctx, const struct db *db, struct proto_buf *out);
	void *stats_ctx;
	/* The open transaction: the SAs as they were at begin, and how many commands applied. */
	bool in_txn;
	struct state_held held;
	size_t applied;
	struct events_names *names; /* for the monitors: what there was at begin (events.h) */
	/* SAs brought back by rollbacks, held until a publish puts them in force
	 * (state_twins_hold()). */
	struct state_twin *twins;
	size_t ntwins;
};

static void
state_text_fini(struct state_text *t)
{
	if (t->p != NULL) {
		explicit_bzero(t->p, t->map_len);
		(void)munmap(t->p, t->map_len);
	}
	t->p = NULL;
	t->len = 0;
	t->map_len = 0;
}

static int
state_text_set(struct state_text *t, const char *text, size_t len)
{
	struct state_text n = { NULL, len, len + 1 };

	/* Reuse the mapping when the text fits: a large state is saved on every change, and
	 * fresh pages would cost a fault each. What is left of the old text is wiped. */
	if (t->p != NULL && len + 1 <= t->map_len) {
		memcpy(t->p, text, len);
		explicit_bzero(t->p + len, t->map_len - len);
		t->len = len;
		return 0;
	}
	if (len > 0) {
		/* Room to grow, so that a growing state is not remapped on every change. */
		n.map_len = len + 1 + len / 8;
		n.p = mmap(
		    NULL, n.map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (n.p == MAP_FAILED)
			return -ENOMEM;
		/* Best effort: the text stays usable where MADV_DONTDUMP is unknown. */
		(void)madvise(n.p, n.map_len, MADV_DONTDUMP);
		memcpy(n.p, text, len);
		n.p[len] = '\0';
	} else {
		n.map_len = 0;
	}
	state_text_fini(t);
	*t = n;
	return 0;
}

/* conf_load()'s "line N: reason" as "PATH:N: reason", the form editors jump to. */
static int
state_conf_error(const char *path, int rc, const struct err *why, struct err *err)
{
	static const char prefix[] = "line ";
	const char *num = why->msg + sizeof(prefix) - 1;
	char *end;
	unsigned long line;

	if (strncmp(why->msg, prefix, sizeof(prefix) - 1) == 0 && isdigit((unsigned char)*num)) {
		errno = 0;
		line = strtoul(num, &end, 10);
		if (errno == 0 && end[0] == ':' && end[1] == ' ')
			return err_set(err, -rc, "%s:%lu: %s", path, line, end + 2);
	}
	return err_set(err, -rc, "%s: %s", path, why->msg);
}

/* Load path into a new database; a file that does not exist is an empty one if missing_ok. */
static int
state_load_file(const struct state *st, bool missing_ok, struct db **out, struct state_text *text,
    struct err *err)
{
	struct err why = { "" };
	struct db *db;
	char *buf = NULL;
	const char *src; /* buf, or "" for a missing file */
	size_t len = 0;
	mode_t mode = 0600;
	int rc;

	*out = NULL;
	rc = store_read(st->path, &buf, &len, &mode, err);
	if (rc == -ENOENT && !missing_ok)
		return err_set(err, ENOENT, "%s does not exist", st->path);
	if (rc == -ENOENT) {
		log_info("%s does not exist: the state is empty", st->path);
		rc = 0;
	}
	if (rc != 0)
		return rc;
	if ((mode & 077) != 0)
		log_warn("%s has mode %04o but holds keys: it is rewritten 0600 by the next change",
		    st->path, (unsigned)mode);
	db = db_new(st->backend);
	if (db == NULL) {
		rc = err_set(err, ENOMEM, "%s: out of memory", st->path);
		goto out;
	}
	src = buf != NULL ? buf : "";
	rc = conf_load(db, src, len, &why);
	if (rc != 0)
		(void)state_conf_error(st->path, rc, &why, err);
	else if (state_text_set(text, src, len) != 0)
		rc = err_set(err, ENOMEM, "%s: out of memory", st->path);
	if (rc != 0) {
		db_free(db);
		goto out;
	}
	*out = db;
out:
	if (buf != NULL) {
		explicit_bzero(buf, len);
		free(buf);
	}
	explicit_bzero(&why, sizeof(why));
	return rc;
}

/* After a publish: every SA held by state_twins_hold() has its floor, then accepts again. */
static void
state_twins_release(struct state *st)
{
	for (size_t i = 0; i < st->ntwins; i++) {
		const struct state_twin *t = &st->twins[i];
		uint64_t top = sa_live_in_top(t->twin);

		top = top < t->last ? top : t->last;
		if (top > atomic_load_explicit(&t->live->replay_floor, memory_order_relaxed))
			atomic_store_explicit(&t->live->replay_floor, top, memory_order_release);
	}
	for (size_t i = 0; i < st->ntwins; i++) {
		atomic_store_explicit(&st->twins[i].live->replay_hold, false, memory_order_release);
		sa_live_release(st->twins[i].live);
		sa_live_release(st->twins[i].twin);
	}
	st->ntwins = 0;
}

int
state_new(const char *path, enum crypto_backend backend, struct state **out, struct err *err)
{
	struct state *st = calloc(1, sizeof(*st));
	int rc;

	*out = NULL;
	if (st == NULL)
		return err_set(err, ENOMEM, "out of memory");
	st->backend = backend;
	if (path != NULL) {
		st->path = strdup(path);
		if (st->path == NULL) {
			rc = err_set(err, ENOMEM, "out of memory");
			goto fail;
		}
		rc = state_load_file(st, true, &st->db, &st->saved, err);
	} else {
		st->db = db_new(backend);
		rc = st->db != NULL ? 0 : err_set(err, ENOMEM, "out of memory");
	}
	if (rc != 0)
		goto fail;
	*out = st;
	return 0;
fail:
	state_free(st);
	return rc;
}

void
state_free(struct state *st)
{
	if (st == NULL)
		return;
	if (st->in_txn)
		state_txn_abort(st);
	state_twins_release(st);
	free(st->twins);
	db_free(st->db);
	state_text_fini(&st->saved);
	free(st->path);
	free(st);
}

void
state_set_hooks(struct state *st, const struct state_hooks *hooks)
{
	st->hooks = hooks != NULL ? *hooks : (struct state_hooks){ NULL, NULL, NULL };
}

const struct db *
state_db(const struct state *st)
{
	return st->db;
}

void
state_set_stats(
    struct state *st, int (*fn)(void *ctx, const struct db *db, struct proto_buf *out), void *ctx)
{
	st->stats = fn;
	st->stats_ctx = ctx;
}

int
state_stats(const struct state *st, struct proto_buf *out)
{
	struct show_counters none = { 0 };

	if (st->stats != NULL)
		return st->stats(st->stats_ctx, st->db, out);
	return show_stats(st->db, &none, out);
}

/* In force: the packet threads have left what was before (main.c). */
static int
state_publish(struct state *st, struct err *err)
{
	int rc = st->hooks.publish != NULL ? st->hooks.publish(st->hooks.ctx, st->db, err) : 0;

	if (rc == 0)
		state_twins_release(st);
	return rc;
}

int
state_republish(struct state *st, struct err *err)
{
	if (st->broken)
		return err_set(err, EIO, "the live state is not one that was acknowledged");
	return state_publish(st, err);
}

static void
state_fail_closed(struct state *st, const char *why)
{
	log_warn("what is in force is no state ipsec6d has: %s", why);
	if (st->hooks.fail_closed != NULL)
		st->hooks.fail_closed(st->hooks.ctx, st->db, why);
}

static int
state_sa_cmp(const void *a, const void *b)
{
	const struct sa *x = *(struct sa *const *)a;
	const struct sa *y = *(struct sa *const *)b;
	int c = strcmp(x->name, y->name);

	return c != 0 ? c : (x->spi > y->spi) - (x->spi < y->spi);
}

static int
state_hold(const struct db *db, struct state_held *h)
{
	const struct sad *sad = db_sad(db);

	h->n = sad_all_count(sad);
	h->sa = calloc(h->n > 0 ? h->n : 1, sizeof(struct sa *));
	if (h->sa == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < h->n; i++) {
		h->sa[i] = sad_all_at(sad, i);
		sa_ref(h->sa[i]);
	}
	return 0;
}

static void
state_release(struct state_held *h)
{
	for (size_t i = 0; i < h->n; i++)
		sa_unref(h->sa[i]);
	free(h->sa);
	h->sa = NULL;
	h->n = 0;
}

/* The same SA in all that the peer relies on: then the new object takes over the old one's
 * live state (sa_live_adopt()), which the packet threads may still be writing through the old
 * snapshot. RFC 4303 section 3.3.3: a sender never reuses a sequence number under one SA;
 * section 3.4.3: the receiver's window does not forget what it accepted. */
static bool
state_sa_same(const struct sa *a, const struct sa *b)
{
	return addr_equal(&a->src, &b->src) && addr_equal(&a->dst, &b->dst) && a->spi == b->spi &&
	    a->mode == b->mode && a->enc == b->enc && a->auth == b->auth &&
	    a->replay_window == b->replay_window && a->esn == b->esn &&
	    (a->retired != 0) == (b->retired != 0) && sa_keys_equal(a, b);
}

/* The same SA with the same lifetimes and encapsulation: one that a batch removed and added back
 * as it was. (One added back with other lifetimes gets a live state of its own, so that a limit
 * raised that way is not still reached: the flag lives in the live state.) */
static bool
state_sa_as_it_was(const struct sa *a, const struct sa *b)
{
	return state_sa_same(a, b) && memcmp(&a->life, &b->life, sizeof(a->life)) == 0 &&
	    a->encap_sport == b->encap_sport && a->encap_dport == b->encap_dport;
}

/* A retired SA's end of grace lives in its live state, so that it moves with it. With
 * as_it_was, only SAs exactly as they were share. */
static void
state_share_live(struct db *to, struct state_held *from, bool as_it_was)
{
	const struct sad *sad = db_sad(to);
	size_t n = sad_all_count(sad);

	qsort(from->sa, from->n, sizeof(struct sa *), state_sa_cmp);

	for (size_t i = 0; i < n; i++) {
		struct sa *sa = sad_all_at(sad, i);
		struct sa **old =
		    bsearch(&sa, from->sa, from->n, sizeof(struct sa *), state_sa_cmp);

		if (old != NULL &&
		    (as_it_was ? state_sa_as_it_was(sa, *old) : state_sa_same(sa, *old)))
			sa_live_adopt(sa, *old);
	}
}

/* Whether o, an SA of an undone batch (was), held the SPI and keys of sa, an SA brought back
 * (db), under a live state of its own (another window, ESN, lifetimes, encapsulation or
 * addresses than sa has): whatever their addresses, which ESP's ICV does not cover, a packet
 * that o accepted, sent again to sa's, passes sa's. An SA of was whose live state an SA of db
 * goes on with is not the batch's: it was in force before and is after, with its own window. */
static bool
state_is_twin(const struct sa *sa, const struct sa *o, const struct db *db)
{
	const struct sa *kept;

	if (o->spi != sa->spi || !sa_keys_equal(o, sa))
		return false;
	kept = sad_lookup_tuple(db_sad(db), &o->src, &o->dst, o->spi);
	return kept == NULL || kept->live != o->live;
}

/* The pairs of an SA brought back (db) and its twin in the undone batch (was): how many. With
 * fill, each is held and added to st->twins, which has room. */
static size_t
state_twins_find(struct state *st, const struct db *db, const struct db *was, bool fill)
{
	const struct sad *sad = db_sad(db), *batch = db_sad(was);
	size_t n = 0;

	for (size_t i = 0; i < sad_all_count(sad); i++) {
		struct sa *sa = sad_all_at(sad, i);

		for (size_t j = 0; j < sad_all_count(batch); j++) {
			struct sa *o = sad_all_at(batch, j);

			if (!state_is_twin(sa, o, db))
				continue;
			n++;
			if (!fill)
				continue;
			sa_live_hold(sa->live);
			sa_live_hold(o->live);
			st->twins[st->ntwins++] = (struct state_twin){ sa->live, o->live,
				sa->esn ? UINT64_MAX : UINT32_MAX };
			atomic_store_explicit(&sa->live->replay_hold, true, memory_order_relaxed);
		}
	}
	return n;
}

/* RFC 4303 section 3.4.3, for a batch that was in force and is undone: an SA of the batch that held
 * the SPI and keys of an SA brought back, with a window of its own, may have accepted packets that
 * the SA brought back must refuse as its own (the batch never happened). From before the rollback
 * is put in force, the SA brought back accepts nothing (held); once a publish has put it in force
 * (state_publish(): the packet threads have left the batch's SAs, whose tops are final, even where
 * a publish that failed left them there), it accepts again when its window has seen everything up
 * to theirs (struct sa_live, replay_floor): state_twins_release(). Before the publish; -ENOMEM:
 * nothing held. */
static int
state_twins_hold(struct state *st, const struct db *db, const struct db *was)
{
	size_t n = state_twins_find(st, db, was, false);
	struct state_twin *t;

	if (n == 0)
		return 0;
	if (n > SIZE_MAX / sizeof(*t) - st->ntwins)
		return -ENOMEM;
	t = realloc(st->twins, (st->ntwins + n) * sizeof(*t));
	if (t == NULL)
		return -ENOMEM;
	st->twins = t;
	(void)state_twins_find(st, db, was, true);
	return 0;
}

/* Undo a failed transaction: rebuild the database from the text it matched before, and put
 * that in force again if the transaction's database had been published. When either cannot be
 * done, what is in force is no state the daemon has: fail closed. (Then the SAs brought back
 * stay held, their floors unset, until a publish puts them in force: the batch's SAs may still
 * take packets until then.) */
static void
state_rollback(struct state *st, struct state_held *held, bool published)
{
	struct err why = { "" };
	struct db *db = db_new(st->backend), *was;

	if (db == NULL ||
	    conf_load(db, st->saved.p != NULL ? st->saved.p : "", st->saved.len, &why) != 0) {
		/* Only memory can fail here: the text was loaded or saved from a database. */
		char msg[ERR_MSG_MAX + 64];

		(void)snprintf(msg, sizeof(msg), "cannot restore the previous state (%s)",
		    why.msg[0] != '\0' ? why.msg : "out of memory");
		db_free(db);
		st->broken = true;
		state_fail_closed(st, msg);
		return;
	}
	state_share_live(db, held, false);
	was = st->db;
	st->db = db;
	if (published) {
		if (state_twins_hold(st, db, was) != 0) {
			/* Nothing held: closed until a reload, rather than let the SAs brought back
			 * accept what the batch's did. */
			st->broken = true;
			state_fail_closed(st, "out of memory for the SAs brought back");
		} else if (state_publish(st, &why) != 0)
			state_fail_closed(st, why.msg);
	}
	db_free(was);
	explicit_bzero(&why, sizeof(why));
}

/* Write the live database out and remember the text as what it matches. */
static int
state_write(struct state *st, struct err *err)
{
	char *text = NULL;
	size_t len = 0;
	int rc;

	rc = conf_save(st->db, &text, &len);
	if (rc != 0)
		return err_set(err, -rc, "cannot save the configuration: out of memory");
	if (st->path != NULL)
		rc = store_write(st->path, text, len, err);
	if (rc == 0 && state_text_set(&st->saved, text, len) != 0)
		log_warn("out of memory: a later failed change may not be undone");
	explicit_bzero(text, len);
	free(text);
	return rc;
}

int
state_txn_begin(struct state *st, struct err *err)
{
	if (st->broken)
		return err_set(err, EIO,
		    "ipsec6d could not undo a failed change; reload the configuration (SIGHUP) "
		    "before changing anything");
	if (state_hold(st->db, &st->held) != 0)
		return err_set(err, ENOMEM, "out of memory");
	st->in_txn = true;
	st->applied = 0;
	st->names = events_names_take(st->db);
	return 0;
}

int
state_txn_apply(struct state *st, struct cmd *cmd, struct err *err)
{
	int rc = db_apply(st->db, cmd, err);

	if (rc == 0)
		st->applied++;
	return rc;
}

static void
state_txn_end(struct state *st)
{
	state_release(&st->held);
	st->in_txn = false;
	st->applied = 0;
	events_names_free(st->names);
	st->names = NULL;
}

int
state_txn_commit(struct state *st, struct err *err)
{
	int rc;
	bool published;

	/* An SA that the batch removed and added back as it was is the same SA: it goes on with
	 * its live state, as after a reload, and an undone batch leaves no second one whose
	 * numbers and window the first never saw. (In-place changes keep their objects.) */
	state_share_live(st->db, &st->held, true);
	/* In force first, then durable, then acknowledged: a crash in between loses a change that
	 * nobody was told about. */
	rc = state_publish(st, err);
	published = rc == 0;

	if (rc == 0)
		rc = state_write(st, err);
	if (rc != 0)
		state_rollback(st, &st->held, published);
	else {
		events_changes(st->names, st->db, "a change"); /* frees the names */
		st->names = NULL;
	}
	state_txn_end(st);
	return rc;
}

void
state_txn_abort(struct state *st)
{
	/* db_apply() changes nothing when it refuses: only applied commands need undoing. Nothing
	 * was published: the data path still holds the snapshot of before, whose SAs share their
	 * live state with the rebuilt ones. */
	if (st->applied > 0)
		state_rollback(st, &st->held, false);
	state_txn_end(st);
}

int
state_reload(struct state *st, struct err *err)
{
	struct state_text text = { NULL, 0, 0 };
	struct state_held held = { NULL, 0 };
	struct db *db, *old = st->db;
	struct events_names *names;
	int rc;

	if (st->path == NULL)
		return err_set(err, EINVAL, "no configuration file");
	rc = state_load_file(st, false, &db, &text, err);
	if (rc != 0)
		return rc;
	if (state_hold(old, &held) != 0) {
		db_free(db);
		state_text_fini(&text);
		return err_set(err, ENOMEM, "out of memory");
	}
	state_share_live(db, &held, false);
	names = events_names_take(old);
	st->db = db;
	rc = state_publish(st, err);
	if (rc != 0) {
		st->db = old; /* still in force: the publish changed nothing */
		db_free(db);
		state_text_fini(&text);
		events_names_free(names);
	} else {
		/* In force, and the packet threads have left the old objects: a limit raised in the
		 * file lets an SA that reached it carry traffic again. */
		lifetime_renew(db);
		events_changes(names, db, "a reload");
		db_free(old);
		state_text_fini(&st->saved);
		st->saved = text;
		st->broken = false;
	}
	state_release(&held);
	return rc;
}

/* A retired SA whose grace is over, as it was when found. */
struct state_gone {
	char name[SA_NAME_MAX + 1];
	struct in6_addr src;
	struct in6_addr dst;
	uint32_t spi;
};

#define STATE_GONE_MAX 16 /* at a time: a second later the rest follow */

int
state_end_grace(struct state *st, struct err *err)
{
	const struct sad *sad = db_sad(st->db);
	struct state_gone gone[STATE_GONE_MAX];
	struct cmd cmd = { .verb = CMD_SA_REMOVE };
	size_t n = 0;
	int rc;

	if (st->in_txn || st->broken)
		return 0;
	for (size_t i = 0; i < sad_retired_count(sad) && n < STATE_GONE_MAX; i++) {
		const struct sa *sa = sad_retired_at(sad, i);

		if (!sa_grace_over(sa))
			continue;
		memcpy(gone[n].name, sa->name, sizeof(gone[n].name));
		gone[n].src = sa->src;
		gone[n].dst = sa->dst;
		gone[n].spi = sa->spi;
		n++;
	}
	if (n == 0)
		return 0;
	/* Each by its (source, destination, SPI), as `sa remove -n auto` names it. */
	rc = state_txn_begin(st, err);
	if (rc != 0)
		return rc;
	memcpy(cmd.rm.name, "auto", sizeof("auto"));
	for (size_t i = 0; rc == 0 && i < n; i++) {
		cmd.rm.src = gone[i].src;
		cmd.rm.dst = gone[i].dst;
		cmd.rm.spi = gone[i].spi;
		rc = state_txn_apply(st, &cmd, err);
	}
	if (rc != 0) {
		state_txn_abort(st);
		return rc;
	}
	rc = state_txn_commit(st, err);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		char fields[SA_NAME_MAX + 32];

		(void)snprintf(
		    fields, sizeof(fields), "sa=%.64s\tspi=0x%x", gone[i].name, gone[i].spi);
		log_info("SA '%s': the grace of its old SPI 0x%x is over: that SPI is refused now",
		    gone[i].name, gone[i].spi);
		events_emit("sa-retired", fields, "SA %s: the old SPI 0x%x is refused now",
		    gone[i].name, gone[i].spi);
	}
	return rc;
}
