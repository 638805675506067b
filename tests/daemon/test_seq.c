// SPDX-License-Identifier: MIT
/* Durable sequence numbers (daemon/seq.c) in-process: the .seq file's NEXT and TOP are 64-bit
 * and files of earlier versions still load; an SA with used-up numbers is noticed once; and an
 * AES-GCM key keeps its numbers and window by key, so that an SA given the key again (removed
 * and re-added, under any name or SPI, across restarts) goes on where the last one stopped; the
 * bytes and packets of an SA with a byte or packet lifetime count on after a restart (packets,
 * not the sequence numbers a restart skips). With the state and an engine wired as ipsec6d wires
 * them: a change put in force and undone sends no number twice. */
#include <sys/stat.h>

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fault.h"
#include "ipsec6/bytes.h"
#include "ipsec6/cmd.h"
#include "ipsec6/conf.h"
#include "ipsec6/db.h"
#include "ipsec6/engine.h"
#include "lifetime.h"
#include "seq.h"
#include "state.h"
#include "testlib.h"

#define GCM_KEY   "0x000102030405060708090a0b0c0d0e0f10111213"
#define GCM_KEY_B "0xffeeddccbbaa99887766554433221100aabbccdd"
#define SHA1_KEY  "0x000102030405060708090a0b0c0d0e0f10111213"

struct fixture {
	char dir[64];
	char conf[96];
	char seq[128];
};

static int
setup(void **state)
{
	static struct fixture f;

	memset(&f, 0, sizeof(f));
	snprintf(f.dir, sizeof(f.dir), "/tmp/ipsec6-seq-XXXXXX");
	assert_non_null(mkdtemp(f.dir));
	snprintf(f.conf, sizeof(f.conf), "%s/ipsec6.conf", f.dir);
	snprintf(f.seq, sizeof(f.seq), "%s.seq", f.conf);
	*state = &f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	(void)unlink(f->seq);
	(void)unlink(f->conf);
	(void)rmdir(f->dir);
	return 0;
}

static void
write_text(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
}

/* The words of the line of the .seq file that starts with first: NEXT and TOP. */
static void
read_line(const struct fixture *f, const char *first, uint64_t *next, uint64_t *top)
{
	FILE *fp = fopen(f->seq, "r");
	char line[256];

	assert_non_null(fp);
	while (fgets(line, sizeof(line), fp) != NULL) {
		char name[80], spi[80];
		unsigned long long n, t;

		if (sscanf(line, "%79s %79s %llu %llu", name, spi, &n, &t) == 4 &&
		    strcmp(name, first) == 0) {
			*next = n;
			*top = t;
			(void)fclose(fp);
			return;
		}
	}
	(void)fclose(fp);
	fail_msg("no line for %s in %s", first, f->seq);
}

/* A keeper over db as ipsec6d starts one: restore, then reservations. */
static struct seq_keeper *
keeper_start(const struct fixture *f, const struct db *db)
{
	struct seq_keeper *k = NULL;
	struct err err = { "" };

	assert_int_equal(seq_keeper_new(f->conf, &k, &err), 0);
	if (seq_keeper_restore(k, db, &err) != 0)
		fail_msg("restore: %s", err.msg);
	return k;
}

static void
keeper_stop(struct seq_keeper *k, const struct db *db)
{
	assert_int_equal(seq_keeper_flush(k, db, NULL), 0);
	seq_keeper_free(k);
}

static struct sa *
sa_named(const struct db *db, const char *name)
{
	struct sa *sa = sad_lookup_name(db_sad(db), name);

	assert_non_null(sa);
	return sa;
}

/* 64-bit NEXT and TOP come back as they were written; a 32-bit TOP and none (earlier versions)
 * still load; what was sent before never is again. */
static void
test_seq_file_is_64_bit_and_reads_old_files(void **state)
{
	const struct fixture *f = *state;
	const char *text =
	    "sa add -n e -s any -d 2001:db8::2 -p 0x1001 -e null -i hmac-sha1 -K " SHA1_KEY
	    " --esn\n"
	    "sa add -n old -s any -d 2001:db8::3 -p 0x1002 -e null -i hmac-sha1 -K " SHA1_KEY "\n"
	    "sa add -n older -s any -d 2001:db8::4 -p 0x1003 -e null -i hmac-sha1 -K " SHA1_KEY
	    "\n";
	struct db *db = tl_db_load(CRYPTO_BACKEND_OPENSSL, text, strlen(text));
	const uint64_t next_e = ((uint64_t)5 << 32) + 17, top_e = ((uint64_t)3 << 32) + 5;
	struct seq_keeper *k;
	uint64_t next, top;
	char seq[256];

	snprintf(seq, sizeof(seq), "e 0x1001 %llu %llu\nold 0x1002 70 60\nolder 0x1003 80\n",
	    (unsigned long long)next_e, (unsigned long long)top_e);
	write_text(f->seq, seq);
	k = keeper_start(f, db);
	assert_true(atomic_load(&sa_named(db, "e")->live->seq_out) == next_e - 1);
	assert_true(sa_named(db, "e")->live->replay.top == top_e);
	assert_false(replay_check(&sa_named(db, "e")->live->replay, top_e));
	assert_true(replay_check(&sa_named(db, "e")->live->replay, top_e + 1));
	assert_true(atomic_load(&sa_named(db, "old")->live->seq_out) == 69);
	assert_true(sa_named(db, "old")->live->replay.top == 60);
	assert_true(atomic_load(&sa_named(db, "older")->live->seq_out) == 79);
	keeper_stop(k, db);
	read_line(f, "e", &next, &top);
	assert_true(next > next_e && top == top_e);
	read_line(f, "old", &next, &top);
	assert_true(next > 70 && top == 60);
	read_line(f, "older", &next, &top);
	assert_true(next > 80 && top == 0);
	db_free(db);
}

/* The count of the file's "TAG NAME 0xSPI COUNT" line of name (tag "@bytes" or "@packets"), or 0
 * if it has none. */
static uint64_t
read_count(const struct fixture *f, const char *tag, const char *name)
{
	FILE *fp = fopen(f->seq, "r");
	char line[256];
	uint64_t count = 0;

	assert_non_null(fp);
	while (fgets(line, sizeof(line), fp) != NULL) {
		char t[80], n[80], spi[80];
		unsigned long long c;

		if (sscanf(line, "%79s %79s %79s %llu", t, n, spi, &c) == 4 &&
		    strcmp(t, tag) == 0 && strcmp(n, name) == 0)
			count = c;
	}
	(void)fclose(fp);
	return count;
}

/* The file's "@bytes NAME 0xSPI BYTES" line of name, or 0 if it has none. */
static uint64_t
read_bytes(const struct fixture *f, const char *name)
{
	return read_count(f, "@bytes", name);
}

/* A byte lifetime counts across restarts: the bytes of an SA with one are saved (at a stop
 * here; under traffic at most every SEQ_TOP_EVERY_MS) and a restart counts on from them, so
 * that its hard limit comes when it would have without the restart. An SA without a byte
 * lifetime keeps no count; a line for an SA that is gone is ignored. */
static void
test_bytes_count_across_restarts(void **state)
{
	const struct fixture *f = *state;
	const char *text =
	    "sa add -n b -s any -d 2001:db8::2 -p 0x1001 -e null -i hmac-sha1 -K " SHA1_KEY
	    " --byte-hard=5000\n"
	    "sa add -n n -s any -d 2001:db8::3 -p 0x1002 -e null -i hmac-sha1 -K " SHA1_KEY "\n";
	struct db *db = tl_db_load(CRYPTO_BACKEND_OPENSSL, text, strlen(text));
	struct seq_keeper *k = keeper_start(f, db);

	atomic_store(&sa_named(db, "b")->live->bytes_out, 3000);
	atomic_store(&sa_named(db, "b")->live->bytes_in, 1500);
	atomic_store(&sa_named(db, "n")->live->bytes_out, 100);
	keeper_stop(k, db);
	db_free(db);
	assert_int_equal(read_bytes(f, "b"), 4500);
	assert_int_equal(read_bytes(f, "n"), 0);

	db = tl_db_load(CRYPTO_BACKEND_OPENSSL, text, strlen(text));
	k = keeper_start(f, db);
	assert_int_equal(sa_live_bytes(sa_named(db, "b")->live), 4500);
	assert_int_equal(sa_live_bytes(sa_named(db, "n")->live), 0);
	assert_int_equal(lifetime_state(sa_named(db, "b"), NULL), LIFE_MATURE);
	atomic_store(&sa_named(db, "b")->live->bytes_in, 500);
	assert_int_equal(lifetime_state(sa_named(db, "b"), NULL), LIFE_HARD_EXPIRED);
	keeper_stop(k, db);
	assert_int_equal(read_bytes(f, "b"), 5000);
	db_free(db);

	/* Another SPI under the name is another SA: it starts from 0. */
	write_text(f->seq, "@bytes b 0x1009 4000\n@bytes gone 0x1001 4000\n@bytes b 0x1001 x\n");
	db = tl_db_load(CRYPTO_BACKEND_OPENSSL, text, strlen(text));
	k = keeper_start(f, db);
	assert_int_equal(sa_live_bytes(sa_named(db, "b")->live), 0);
	keeper_stop(k, db);
	db_free(db);
}

/* RFC 4303 section 3.3.3: an SA without ESN is spent at 2^32 - 1, one with it at 2^64 - 2^32:
 * noticed (and logged) once. */
static void
test_spent_sa_noticed_once(void **state)
{
	const struct fixture *f = *state;
	const char *text =
	    "sa add -n s -s any -d 2001:db8::2 -p 0x1001 -e null -i hmac-sha1 -K " SHA1_KEY "\n"
	    "sa add -n e -s any -d 2001:db8::3 -p 0x1002 -e null -i hmac-sha1 -K " SHA1_KEY
	    " --esn\n";
	struct db *db = tl_db_load(CRYPTO_BACKEND_OPENSSL, text, strlen(text));
	struct seq_keeper *k;

	write_text(f->seq, "s 0x1001 4294967296 0\ne 0x1002 4294967296 0\n");
	k = keeper_start(f, db);
	assert_true(sa_named(db, "s")->live->spent_logged);
	assert_false(sa_named(db, "e")->live->spent_logged);
	atomic_store(&sa_named(db, "e")->live->seq_out, SA_SEQ_LAST_ESN);
	assert_int_equal(seq_keeper_tick(k, db, NULL), 0);
	assert_true(sa_named(db, "e")->live->spent_logged);
	keeper_stop(k, db);
	db_free(db);
}

/* A write of the inbound tops and bytes that fails is made again at a later tick, although
 * nothing changed since: otherwise an SA whose traffic stopped would keep on disk the top and
 * the bytes of before the failure, and a crash would let the packets since be replayed, or
 * carried beyond the byte lifetime. */
static void
test_failed_write_is_made_again(void **state)
{
	const struct fixture *f = *state;
	const char *text =
	    "sa add -n b -s any -d 2001:db8::2 -p 0x1001 -e null -i hmac-sha1 -K " SHA1_KEY
	    " --byte-hard=5000\n";
	struct db *db = tl_db_load(CRYPTO_BACKEND_OPENSSL, text, strlen(text));
	struct seq_keeper *k = keeper_start(f, db);
	struct sa *sa = sa_named(db, "b");
	char blocker[160];
	uint64_t next, top;

	/* A directory that is not empty where the file goes: rename(2) onto it fails. */
	snprintf(blocker, sizeof(blocker), "%s/x", f->seq);
	assert_int_equal(unlink(f->seq), 0);
	assert_int_equal(mkdir(f->seq, 0700), 0);
	write_text(blocker, "");
	atomic_store(&sa->live->seq_in_top, 700);
	atomic_store(&sa->live->bytes_in, 1200);
	(void)usleep((SEQ_TOP_EVERY_MS + 100) * 1000);
	assert_int_not_equal(seq_keeper_tick(k, db, NULL), 0);
	assert_int_equal(unlink(blocker), 0);
	assert_int_equal(rmdir(f->seq), 0);
	/* Nothing changed since the failed write; within SEQ_TOP_EVERY_MS it is not retried. */
	assert_int_equal(seq_keeper_tick(k, db, NULL), 0);
	assert_int_equal(access(f->seq, F_OK), -1);
	(void)usleep((SEQ_TOP_EVERY_MS + 100) * 1000);
	assert_int_equal(seq_keeper_tick(k, db, NULL), 0);
	read_line(f, "b", &next, &top);
	assert_int_equal(top, 700);
	assert_int_equal(read_bytes(f, "b"), 1200);
	seq_keeper_free(k);
	db_free(db);
}

static struct db *
gcm_db(const char *name, uint32_t spi, const char *key)
{
	char text[512];

	snprintf(text, sizeof(text),
	    "sa add -n %s -s 2001:db8::1 -d 2001:db8::2 -p 0x%x -e aes128-gcm16 -k %s\n", name, spi,
	    key);
	return tl_db_load(CRYPTO_BACKEND_OPENSSL, text, strlen(text));
}

/* The choice for an AES-GCM SA removed and added again with the same key: it continues. Its
 * numbers go on after the last reservation of the key, and its window from the key's top,
 * whatever its name and SPI, within one run (seq_keeper_admit) and across a restart
 * (seq_keeper_restore); another key starts at 1. */
static void
test_gcm_key_continues_after_its_sa(void **state)
{
	const struct fixture *f = *state;
	struct db *db = gcm_db("g1", 0x1001, GCM_KEY);
	struct seq_keeper *k = keeper_start(f, db);
	struct db *db2, *db3, *other;
	uint64_t reserved, next, top;

	/* g1 sends and receives for a while; its reservation moves on. */
	atomic_store(&sa_named(db, "g1")->live->seq_out, 3000000);
	assert_true(replay_update(&sa_named(db, "g1")->live->replay, 7777));
	atomic_store(&sa_named(db, "g1")->live->seq_in_top, 7777);
	assert_int_equal(seq_keeper_tick(k, db, NULL), 0);
	reserved = sa_named(db, "g1")->live->seq_reserved;
	assert_true(reserved > 3000000);
	assert_int_equal(seq_keeper_flush(k, db, NULL), 0);
	read_line(f, "@gcm", &next, &top);
	assert_true(next == reserved && top == 7777);

	/* Removed; the key comes back as g2 with another SPI: admitted after g1's numbers. */
	db2 = gcm_db("g2", 0x2002, GCM_KEY);
	assert_int_equal(seq_keeper_admit(k, db2, NULL), 0);
	assert_true(atomic_load(&sa_named(db2, "g2")->live->seq_out) == reserved - 1);
	assert_true(sa_named(db2, "g2")->live->replay.top == 7777);
	assert_false(replay_check(&sa_named(db2, "g2")->live->replay, 7777));
	/* Another key starts at 1. */
	other = gcm_db("h", 0x3003, GCM_KEY_B);
	assert_int_equal(seq_keeper_admit(k, other, NULL), 0);
	assert_int_equal(atomic_load(&sa_named(other, "h")->live->seq_out), 0);
	keeper_stop(k, db2);

	/* After a restart, a third SA of the key (the file has no line for its name) goes on
	 * after g2's reservation. */
	db3 = gcm_db("g3", 0x3003, GCM_KEY);
	k = keeper_start(f, db3);
	read_line(f, "g3", &next, &top);
	assert_true(atomic_load(&sa_named(db3, "g3")->live->seq_out) >=
	    sa_named(db2, "g2")->live->seq_reserved - 1);
	assert_true(sa_named(db3, "g3")->live->replay.top == 7777);
	keeper_stop(k, db3);
	db_free(db);
	db_free(db2);
	db_free(db3);
	db_free(other);
}

/* Whether the .seq file has a line that starts with start. */
static bool
seq_has_line(const struct fixture *f, const char *start)
{
	FILE *fp = fopen(f->seq, "r");
	char line[256];
	bool found = false;

	assert_non_null(fp);
	while (!found && fgets(line, sizeof(line), fp) != NULL)
		found = strncmp(line, start, strlen(start)) == 0;
	(void)fclose(fp);
	return found;
}

/* ipsec6d in-process, wired as main.c wires it: the state publishes through the keeper's
 * admission, and the packet threads (an engine) send at once on what is published. Every
 * (SPI, number) sent is remembered: one sent twice fails the test. */
struct live {
	struct state *st;
	struct seq_keeper *k;
	struct engine *eng;
	struct tl_burst *b;
	uint64_t sent[64]; /* SPI << 32 | number */
	size_t nsent;
	bool one_key; /* every SPI sent under one key: a number is not sent twice by any */
	bool quiet;   /* no traffic at a publish (the SA is not there) */
	/* Inbound (when in): B, which sends to A, and copies of what A accepted. */
	bool in;
	struct tl_host peer;
	uint8_t rx[8][256];
	uint32_t rx_len[8];
	struct esp_meta rx_meta[8];
	size_t nrx;
	/* The publish, counted from 1, at which a packet must be held (dropped as a replay) rather
	 * than accepted; 0: none. */
	unsigned publishes;
	unsigned held_at;
	/* The publish at which copy late (sent before, not taken in yet) arrives, and must be
	 * delivered, instead of a new packet; 0: none. */
	unsigned late_at;
	size_t late;
	/* The publish that fails (as when the data path cannot take it: what was in force stays),
	 * and the one whose snapshot is kept (kept: a packet thread still in a burst on it). */
	unsigned fail_at;
	unsigned keep_at;
	struct db_snap *kept;
};

#define LIVE_SA(name, spi, algos)                                                         \
	"sa add --sa-name=" name " --sa-source=" TL_ADDR_A " --sa-destination=" TL_ADDR_B \
	" --sa-spi=" spi " " algos
#define LIVE_GCM "--encryption-algorithm=aes128-gcm16 --encryption-key=" TL_KEY_GCM128
#define LIVE_CBC                                                         \
	"--encryption-algorithm=aes128-cbc --encryption-key=" TL_KEY_AES \
	" --integrity-algorithm=hmac-sha1 --integrity-key=" TL_KEY_SHA1
#define LIVE_SP(sa)                                                                    \
	"sp add --sp-name=p --sp-source=" TL_ADDR_A "/128 --sp-destination=" TL_ADDR_B \
	"/128 --flow-direction=out --action=ipsec --sa-name=" sa

/* A sends one packet to B on snap: PKT_DROP_NONE when it is protected (its number must be new
 * under its SPI), else the reason it was dropped. */
static enum pkt_drop
live_send_drop(struct live *l, const struct db_snap *snap)
{
	uint8_t pkt[256];
	uint64_t sent;

	tl_burst_set(l->b, 0, pkt,
	    tl_build_pkt(pkt, NULL, 0, IPPROTO_UDP, 40, 0, 0, 64, TL_ADDR_A, TL_ADDR_B));
	engine_out_burst(l->eng, snap, l->b->p, 1, l->b->res);
	if (l->b->res[0].verdict != ENGINE_PROTECT)
		return l->b->res[0].drop;
	sent = (uint64_t)load_be32(pkt_data(&l->b->p[0]) + IPV6_HDR_LEN) << 32 |
	    load_be32(pkt_data(&l->b->p[0]) + IPV6_HDR_LEN + 4);
	for (size_t i = 0; i < l->nsent; i++) {
		if (l->sent[i] == sent || (l->one_key && (uint32_t)l->sent[i] == (uint32_t)sent))
			fail_msg("sequence number %u sent twice (SPI 0x%x)", (unsigned)sent,
			    (unsigned)(sent >> 32));
	}
	assert_true(l->nsent < sizeof(l->sent) / sizeof(l->sent[0]));
	l->sent[l->nsent++] = sent;
	return PKT_DROP_NONE;
}

/* A sends one packet to B on snap; it must be protected, under a number new under its SPI. */
static void
live_send(struct live *l, const struct db_snap *snap)
{
	enum pkt_drop drop = live_send_drop(l, snap);

	if (drop != PKT_DROP_NONE)
		fail_msg("packet %zu dropped (%d)", l->nsent + 1, (int)drop);
}

/* The SA in from B to A (name, spi, ap) and its in-policy q on A, as lines; B, the peer, sends
 * to A under it. */
struct live_in {
	char sa[512];
	char sp[256];
};

static void
live_in_open(struct live *l, struct live_in *c, const char *name, uint32_t spi,
    const struct tl_algo_pair *ap)
{
	char peer[2048] = "";

	c->sa[0] = '\0';
	tl_text_sa(c->sa, sizeof(c->sa), name, TL_ADDR_B, TL_ADDR_A, spi, "transport", ap);
	c->sa[strlen(c->sa) - 1] = '\0';
	snprintf(c->sp, sizeof(c->sp),
	    "sp add --sp-name=q --sp-source=" TL_ADDR_B "/128 --sp-destination=" TL_ADDR_A
	    "/128 --flow-direction=in --action=ipsec --sa-name=%s",
	    name);
	snprintf(peer, sizeof(peer),
	    "%s\nsp add --sp-name=o --sp-source=any --sp-destination=any "
	    "--flow-direction=out --action=ipsec --sa-name=%s\n",
	    c->sa, name);
	tl_host_open(&l->peer, CRYPTO_BACKEND_OPENSSL, peer);
	l->in = true;
}

/* B sends a new packet, of which A keeps a copy (copy i, the result) before it arrives. */
static size_t
live_peer_send(struct live *l)
{
	uint8_t pkt[256];
	size_t i = l->nrx++;

	assert_true(i < sizeof(l->rx) / sizeof(l->rx[0]));
	tl_burst_set(l->b, 0, pkt,
	    tl_build_pkt(pkt, NULL, 0, IPPROTO_UDP, 40, 0, 0, 64, TL_ADDR_B, TL_ADDR_A));
	engine_out_burst(l->peer.eng, l->peer.snap, l->b->p, 1, l->b->res);
	assert_int_equal(l->b->res[0].verdict, ENGINE_PROTECT);
	tl_to_esp(&l->b->p[0], &l->b->meta[0]);
	l->rx_len[i] = l->b->p[0].len;
	assert_true(l->rx_len[i] <= sizeof(l->rx[i]));
	memcpy(l->rx[i], pkt_data(&l->b->p[0]), l->rx_len[i]);
	l->rx_meta[i] = l->b->meta[0];
	return i;
}

/* A takes copy i in on snap: PKT_DROP_NONE when A delivers it, else the reason A dropped it. */
static enum pkt_drop
live_take(struct live *l, const struct db_snap *snap, size_t i)
{
	tl_burst_set(l->b, 0, l->rx[i], l->rx_len[i]);
	engine_in_burst(l->eng, snap, l->b->p, &l->rx_meta[i], 1, l->b->res);
	return l->b->res[0].verdict == ENGINE_DELIVER ? PKT_DROP_NONE : l->b->res[0].drop;
}

/* B sends a new packet; A takes it in on snap, and keeps a copy: PKT_DROP_NONE when A delivers
 * it, else the reason A dropped it. */
static enum pkt_drop
live_receive_drop(struct live *l, const struct db_snap *snap)
{
	return live_take(l, snap, live_peer_send(l));
}

/* B sends a new packet; A must deliver it. */
static void
live_receive(struct live *l, const struct db_snap *snap)
{
	enum pkt_drop drop = live_receive_drop(l, snap);

	if (drop != PKT_DROP_NONE)
		fail_msg("packet %zu dropped (%d)", l->nrx, (int)drop);
}

/* What the threads do on snap: A sends a packet, or takes one in. */
static void
live_traffic(struct live *l, const struct db_snap *snap)
{
	if (l->in)
		live_receive(l, snap);
	else
		live_send(l, snap);
}

/* A packet on what is in force now. */
static void
live_send_now(struct live *l)
{
	struct db_snap *snap = db_snapshot(state_db(l->st));

	assert_non_null(snap);
	live_traffic(l, snap);
	db_snap_free(snap);
}

/* A packet on what is in force now that must be dropped: the reason. */
static enum pkt_drop
live_dropped_now(struct live *l)
{
	struct db_snap *snap = db_snapshot(state_db(l->st));
	enum pkt_drop drop;

	assert_non_null(snap);
	drop = l->in ? live_receive_drop(l, snap) : live_send_drop(l, snap);
	db_snap_free(snap);
	if (drop == PKT_DROP_NONE)
		fail_msg("a packet went through");
	return drop;
}

/* Packets on what is in force now, one after another, until one is dropped or max went
 * through: how many went through. */
static size_t
live_carried_now(struct live *l, size_t max)
{
	size_t n = 0;

	while (n < max) {
		struct db_snap *snap = db_snapshot(state_db(l->st));
		enum pkt_drop drop;

		assert_non_null(snap);
		drop = l->in ? live_receive_drop(l, snap) : live_send_drop(l, snap);
		db_snap_free(snap);
		if (drop != PKT_DROP_NONE)
			break;
		n++;
	}
	return n;
}

/* main_publish(): durable reservations first, then the packet threads have it. */
static int
live_publish(void *ctx, const struct db *db, struct err *err)
{
	struct live *l = ctx;
	struct db_snap *snap;
	int rc = seq_keeper_admit(l->k, db, err);

	if (rc != 0)
		return rc;
	if (l->publishes + 1 == l->fail_at) {
		l->publishes++;
		return err_set(err, EIO, "the data path refused it");
	}
	if (l->quiet)
		return 0;
	snap = db_snapshot(db);
	assert_non_null(snap);
	if (l->publishes + 1 == l->keep_at)
		l->kept = db_snapshot(db);
	if (++l->publishes == l->late_at) {
		enum pkt_drop drop = live_take(l, snap, l->late);

		if (drop != PKT_DROP_NONE)
			fail_msg("the late packet at publish %u dropped: %s", l->publishes,
			    pkt_drop_name(drop));
	} else if (l->publishes == l->held_at) {
		enum pkt_drop drop = live_receive_drop(l, snap);

		if (drop != PKT_DROP_REPLAY)
			fail_msg("a packet at publish %u: %s, not held", l->publishes,
			    drop == PKT_DROP_NONE ? "accepted" : pkt_drop_name(drop));
		l->nrx--; /* never accepted: no replay to refuse */
	} else
		live_traffic(l, snap);
	db_snap_free(snap);
	return 0;
}

/* ipsec6d starts on f's files. */
static void
live_start(const struct fixture *f, struct live *l)
{
	struct err err = { "" };

	assert_int_equal(state_new(f->conf, CRYPTO_BACKEND_OPENSSL, &l->st, &err), 0);
	l->k = keeper_start(f, state_db(l->st));
	state_set_hooks(l->st, &(struct state_hooks){ live_publish, NULL, l });
	if (l->eng == NULL)
		assert_int_equal(engine_new(CRYPTO_BACKEND_OPENSSL, &l->eng, &err), 0);
	if (l->b == NULL)
		l->b = tl_burst_new();
}

/* ipsec6d dies (SIGKILL): nothing more is written. */
static void
live_crash(struct live *l)
{
	seq_keeper_free(l->k);
	state_free(l->st);
	l->k = NULL;
	l->st = NULL;
}

/* ipsec6d stops cleanly: the keeper's last write, as main.c makes it. */
static void
live_stop(struct live *l)
{
	assert_int_equal(seq_keeper_flush(l->k, state_db(l->st), NULL), 0);
	live_crash(l);
}

static void
live_close(struct live *l)
{
	if (l->st != NULL)
		live_stop(l);
	engine_free(l->eng);
	free(l->b);
	if (l->in)
		tl_host_close(&l->peer);
}

/* Every copy of what A accepted, received again now: refused as a replay. */
static void
live_replay_all(struct live *l)
{
	struct db_snap *snap = db_snapshot(state_db(l->st));

	assert_non_null(snap);
	for (size_t i = 0; i < l->nrx; i++) {
		tl_burst_set(l->b, 0, l->rx[i], l->rx_len[i]);
		engine_in_burst(l->eng, snap, l->b->p, &l->rx_meta[i], 1, l->b->res);
		if (l->b->res[0].verdict != ENGINE_DROP || l->b->res[0].drop != PKT_DROP_REPLAY)
			fail_msg("packet %zu of %zu accepted again", i + 1, l->nrx);
	}
	db_snap_free(snap);
}

/* Lines as one batch, as req.c runs one: state_txn_commit()'s result, or the refusal. */
static int
live_change(struct live *l, const char *const *lines, size_t n, struct err *err)
{
	int rc = state_txn_begin(l->st, err);

	for (size_t i = 0; rc == 0 && i < n; i++) {
		char buf[512];
		char *argv[32];
		size_t argc;
		struct cmd cmd;

		assert_true(strlen(lines[i]) < sizeof(buf));
		strcpy(buf, lines[i]);
		assert_int_equal(cmd_split(buf, argv, 32, &argc, err), 0);
		assert_int_equal(cmd_parse(argc, argv, &cmd, err), 0);
		rc = state_txn_apply(l->st, &cmd, err);
		cmd_fini(&cmd);
	}
	if (rc != 0) {
		state_txn_abort(l->st);
		return rc;
	}
	return state_txn_commit(l->st, err);
}

/* The configuration file cannot be written (a non-empty directory where it goes: rename(2)
 * fails) while on; off puts the file back as it was. */
static void
conf_block(const struct fixture *f, bool on)
{
	char aside[160], blocker[160];

	snprintf(aside, sizeof(aside), "%s.aside", f->conf);
	snprintf(blocker, sizeof(blocker), "%s/x", f->conf);
	if (on) {
		assert_int_equal(rename(f->conf, aside), 0);
		assert_int_equal(mkdir(f->conf, 0700), 0);
		write_text(blocker, "");
		return;
	}
	assert_int_equal(unlink(blocker), 0);
	assert_int_equal(rmdir(f->conf), 0);
	assert_int_equal(rename(aside, f->conf), 0);
}

/* A batch that removes an AES-GCM SA and gives its key to a new one is put in force, then cannot
 * be written: rolled back. While it was in force the new SA sent numbers after the key's
 * reservation; the SA brought back must not send them again when its own block runs out (RFC
 * 4106 section 3.1: the IV is the number, whatever the SPI). */
static void
test_gcm_rollback_never_resends(void **state)
{
	const struct fixture *f = *state;
	const char *const conf[] = { LIVE_SA("g", "0x3001", LIVE_GCM), LIVE_SP("g") };
	const char *const again[] = { "sp remove -n p", "sa remove -n g",
		LIVE_SA("h", "0x3002", LIVE_GCM), LIVE_SP("h") };
	struct live l = { .one_key = true };
	struct err err = { "" };
	struct sa *g;
	uint64_t take;

	live_start(f, &l);
	assert_int_equal(live_change(&l, conf, 2, &err), 0);
	live_send_now(&l);
	live_send_now(&l);
	conf_block(f, true);
	assert_int_not_equal(live_change(&l, again, 4, &err), 0);
	conf_block(f, false);
	/* The threads take the numbers of g's block up to the last two; the tick reserves the
	 * next block, and they go on. */
	g = sad_lookup_name(db_sad(state_db(l.st)), "g");
	assert_non_null(g);
	take = g->live->seq_reserved - 2 - atomic_load(&g->live->seq_out);
	atomic_fetch_add(&g->live->seq_out, take);
	assert_int_equal(seq_keeper_tick(l.k, state_db(l.st), NULL), 0);
	for (int i = 0; i < 4; i++)
		live_send_now(&l);
	live_close(&l);
}

/* A batch that removes an SA and adds another is put in force (its reservations written,
 * without the removed SA's line), then cannot be written: rolled back, the SA is back. A crash
 * after that, however much later, must not let it start again at 1. */
static void
test_rollback_then_crash_keeps_numbers(void **state)
{
	const struct fixture *f = *state;
	const char *const conf[] = { LIVE_SA("x", "0x3101", LIVE_CBC), LIVE_SP("x") };
	const char *const swap[] = { "sp remove -n p", "sa remove -n x",
		LIVE_SA("y", "0x3102", LIVE_CBC), LIVE_SP("y") };
	const char *const swap_z[] = { "sp remove -n p", "sa remove -n x",
		LIVE_SA("z", "0x3103", LIVE_CBC), LIVE_SP("z") };
	struct live l = { 0 };
	struct err err = { "" };

	live_start(f, &l);
	assert_int_equal(live_change(&l, conf, 2, &err), 0);
	live_send_now(&l);
	live_send_now(&l);
	conf_block(f, true);
	assert_int_not_equal(live_change(&l, swap, 4, &err), 0);
	conf_block(f, false);
	assert_non_null(sad_lookup_name(db_sad(state_db(l.st)), "x"));
	/* The ticks of a quiet second. */
	(void)usleep((SEQ_TOP_EVERY_MS + 100) * 1000);
	assert_int_equal(seq_keeper_tick(l.k, state_db(l.st), NULL), 0);
	live_crash(&l);
	live_start(f, &l);
	live_send_now(&l);
	/* Committed, the removal's line goes at the next tick. */
	assert_int_equal(live_change(&l, swap_z, 4, &err), 0);
	assert_int_equal(seq_keeper_tick(l.k, state_db(l.st), NULL), 0);
	assert_false(seq_has_line(f, "x 0x3101 "));
	live_close(&l);
}

/* The same, when the batch puts another SA under the removed one's name and SPI (other keys):
 * the file's line for that name and SPI must not say less than the SA brought back has used. */
static void
test_rollback_then_crash_under_one_spi(void **state)
{
	const struct fixture *f = *state;
	const char *const conf[] = { LIVE_SA("x", "0x3101", LIVE_CBC), LIVE_SP("x") };
	const char *const other[] = { "sp remove -n p", "sa remove -n x",
		LIVE_SA("x", "0x3101",
		    "--encryption-algorithm=aes128-cbc "
		    "--encryption-key=0x000102030405060708090a0b0c0d0e0f "
		    "--integrity-algorithm=hmac-sha1 --integrity-key=" TL_KEY_SHA1),
		LIVE_SP("x") };
	struct live l = { 0 };
	struct err err = { "" };
	struct sa *x;
	uint64_t highest;

	live_start(f, &l);
	assert_int_equal(live_change(&l, conf, 2, &err), 0);
	/* x has used one block and a half: its reservation is past a new SA's first. */
	x = sad_lookup_name(db_sad(state_db(l.st)), "x");
	atomic_fetch_add(&x->live->seq_out, SEQ_BLOCK + SEQ_BLOCK / 2);
	assert_int_equal(seq_keeper_tick(l.k, state_db(l.st), NULL), 0);
	live_send_now(&l);
	highest = atomic_load(&x->live->seq_out);
	l.nsent = 0; /* the new x has other keys: its numbers are its own */
	conf_block(f, true);
	assert_int_not_equal(live_change(&l, other, 4, &err), 0);
	conf_block(f, false);
	(void)usleep((SEQ_TOP_EVERY_MS + 100) * 1000);
	assert_int_equal(seq_keeper_tick(l.k, state_db(l.st), NULL), 0);
	live_crash(&l);
	live_start(f, &l);
	x = sad_lookup_name(db_sad(state_db(l.st)), "x");
	assert_non_null(x);
	if (atomic_load(&x->live->seq_out) < highest)
		fail_msg("x restarts after %llu, it sent %llu",
		    (unsigned long long)atomic_load(&x->live->seq_out),
		    (unsigned long long)highest);
	live_close(&l);
}

/* A batch that removes an inbound SA and adds it back as it was is put in force, then cannot be
 * written: rolled back. What A accepted while it was in force must stay accepted: every copy is
 * refused as a replay afterwards (RFC 4303 section 3.4.3). */
static void
test_rollback_keeps_what_was_accepted(void **state)
{
	const struct fixture *f = *state;
	struct live l = { 0 };
	struct live_in c;
	struct err err = { "" };

	live_in_open(&l, &c, "i", 0x3201, TL_AES_SHA1);
	live_start(f, &l);
	assert_int_equal(live_change(&l, (const char *const[]){ c.sa, c.sp }, 2, &err), 0);
	live_send_now(&l);
	conf_block(f, true);
	assert_int_not_equal(
	    live_change(&l, (const char *const[]){ "sp remove -n q", "sa remove -n i", c.sa, c.sp },
		4, &err),
	    0);
	conf_block(f, false);
	live_send_now(&l);
	live_replay_all(&l);
	live_close(&l);
}

/* A batch that puts added and sp (lines "sa add --sa-name=i ...", "sp add --sp-name=q ...") in
 * place of SA i and its policy q is put in force, then cannot be written: undone. */
static void
live_in_undo(const struct fixture *f, struct live *l, const char *added, const char *sp)
{
	struct err err = { "" };

	conf_block(f, true);
	assert_int_not_equal(
	    live_change(
		l, (const char *const[]){ "sp remove -n q", "sa remove -n i", added, sp }, 4, &err),
	    0);
	conf_block(f, false);
}

/* Every copy of what A accepted is refused, before a new packet and after; ipsec6d stops. */
static void
live_in_close(struct live *l)
{
	live_replay_all(l);
	live_send_now(l);
	live_replay_all(l);
	live_close(l);
}

/* The same with the SA added back with another window: a live state of its own, whose window
 * starts empty and accepts what the peer sends next. Undone, the batch never happened: what that
 * window accepted must be refused by the SA brought back as what it accepted itself, while the
 * change is put in force (held), after, and after a crash (RFC 4303 section 3.4.3). */
static void
rollback_other_window(
    const struct fixture *f, uint32_t spi, const struct tl_algo_pair *ap, bool crash)
{
	struct live l = { 0 };
	struct live_in c;
	char wide[sizeof(c.sa) + 32];
	struct err err = { "" };

	live_in_open(&l, &c, "i", spi, ap);
	snprintf(wide, sizeof(wide), "%s --replay-window=1024", c.sa);
	live_start(f, &l);
	assert_int_equal(live_change(&l, (const char *const[]){ c.sa, c.sp }, 2, &err), 0);
	live_send_now(&l);
	live_send_now(&l);
	/* Publish 2 puts the batch in force (the new SA accepts a packet), 3 undoes it. */
	l.held_at = l.publishes + 2;
	live_in_undo(f, &l, wide, c.sp);
	assert_int_equal(l.publishes, l.held_at);
	assert_int_equal(sad_lookup_name(db_sad(state_db(l.st)), "i")->replay_window, 64);
	if (crash) {
		(void)usleep((SEQ_TOP_EVERY_MS + 100) * 1000);
		assert_int_equal(seq_keeper_tick(l.k, state_db(l.st), NULL), 0);
		live_crash(&l);
		live_start(f, &l);
	}
	live_in_close(&l);
}

static void
test_rollback_other_window_keeps_what_was_accepted(void **state)
{
	rollback_other_window(*state, 0x3211, TL_AES_SHA1, false);
}

static void
test_rollback_other_window_then_crash(void **state)
{
	rollback_other_window(*state, 0x3212, TL_AES_SHA1, true);
}

/* AES-GCM, whose keys carry their windows by key (daemon/seq.c): the SA brought back too. */
static void
test_gcm_rollback_other_window_keeps_what_was_accepted(void **state)
{
	static const struct tl_algo_pair gcm = { "aes128-gcm16", NULL, TL_KEY_GCM128, NULL, 0 };

	rollback_other_window(*state, 0x3213, &gcm, false);
}

/* The same when the batch's SA accepts a packet that was late (sent before the last that the SA
 * brought back accepted, not yet seen by it): the other's top is below its own, but what the
 * other accepted is still refused (RFC 4303 section 3.4.3: every number up to the other's top
 * counts as seen). */
static void
test_rollback_other_window_late_packet(void **state)
{
	const struct fixture *f = *state;
	struct live l = { 0 };
	struct live_in c;
	char wide[sizeof(c.sa) + 32];
	struct err err = { "" };

	live_in_open(&l, &c, "i", 0x3218, TL_AES_SHA1);
	snprintf(wide, sizeof(wide), "%s --replay-window=1024", c.sa);
	live_start(f, &l);
	assert_int_equal(live_change(&l, (const char *const[]){ c.sa, c.sp }, 2, &err), 0);
	l.late = live_peer_send(&l);
	live_send_now(&l);
	l.late_at = l.publishes + 1;
	l.held_at = l.publishes + 2;
	live_in_undo(f, &l, wide, c.sp);
	assert_int_equal(l.publishes, l.held_at);
	live_in_close(&l);
}

/* The same when the rollback cannot be put in force (ipsec6d fails closed): a packet thread
 * still in a burst on the batch's snapshot takes one more packet under the batch's SA after
 * that; the SA brought back, in force at the next publish, must refuse it too. */
static void
test_rollback_other_window_failed_publish(void **state)
{
	const struct fixture *f = *state;
	struct live l = { 0 };
	struct live_in c;
	char wide[sizeof(c.sa) + 32];
	struct err err = { "" };

	live_in_open(&l, &c, "i", 0x3219, TL_AES_SHA1);
	snprintf(wide, sizeof(wide), "%s --replay-window=1024", c.sa);
	live_start(f, &l);
	assert_int_equal(live_change(&l, (const char *const[]){ c.sa, c.sp }, 2, &err), 0);
	live_send_now(&l);
	l.keep_at = l.publishes + 1;
	l.fail_at = l.publishes + 2;
	l.held_at = l.publishes + 3;
	live_in_undo(f, &l, wide, c.sp);
	assert_non_null(l.kept);
	live_receive(&l, l.kept);
	db_snap_free(l.kept);
	assert_int_equal(state_republish(l.st, &err), 0);
	assert_int_equal(l.publishes, l.held_at);
	live_in_close(&l);
}

/* The same when one of the two has the destination any: the inbound lookup falls back to it
 * (sad_snap_lookup_spi()), so it takes the packets to A that the other took, and must refuse
 * them as its own. before_any: the SA brought back has it, else the batch's. */
static void
rollback_twin_any(const struct fixture *f, uint32_t spi, bool before_any)
{
	struct live l = { 0 };
	struct live_in c;
	char any[sizeof(c.sa)] = "";
	struct err err = { "" };

	live_in_open(&l, &c, "i", spi, TL_AES_SHA1);
	tl_text_sa(any, sizeof(any), "i", TL_ADDR_B, "any", spi, "transport", TL_AES_SHA1);
	any[strlen(any) - 1] = '\0';
	live_start(f, &l);
	assert_int_equal(
	    live_change(&l, (const char *const[]){ before_any ? any : c.sa, c.sp }, 2, &err), 0);
	live_send_now(&l);
	live_send_now(&l);
	l.held_at = l.publishes + 2;
	live_in_undo(f, &l, before_any ? c.sa : any, c.sp);
	assert_int_equal(l.publishes, l.held_at);
	assert_int_equal(
	    addr_is_any(&sad_lookup_name(db_sad(state_db(l.st)), "i")->dst), before_any);
	live_in_close(&l);
}

static void
test_rollback_twin_to_any_keeps_what_was_accepted(void **state)
{
	rollback_twin_any(*state, 0x3214, true);
}

static void
test_rollback_twin_from_any_keeps_what_was_accepted(void **state)
{
	rollback_twin_any(*state, 0x3215, false);
}

/* The same when the batch's SA has another destination (C, another address of A's): ESP's ICV
 * covers neither address, so what it took, sent again to A, is for the SA brought back to
 * refuse. */
static void
test_rollback_twin_other_destination(void **state)
{
	const struct fixture *f = *state;
	struct live l = { 0 };
	struct live_in c;
	char other[sizeof(c.sa)] = "";
	struct err err = { "" };

	live_in_open(&l, &c, "i", 0x321a, TL_AES_SHA1);
	tl_text_sa(
	    other, sizeof(other), "i", TL_ADDR_B, TL_ADDR_C, 0x321a, "transport", TL_AES_SHA1);
	other[strlen(other) - 1] = '\0';
	live_start(f, &l);
	assert_int_equal(live_change(&l, (const char *const[]){ c.sa, c.sp }, 2, &err), 0);
	live_send_now(&l);
	/* The next packet goes to C, under the batch's SA. */
	l.late = live_peer_send(&l);
	l.rx_meta[l.late].dst = tl_addr(TL_ADDR_C);
	l.late_at = l.publishes + 1;
	l.held_at = l.publishes + 2;
	live_in_undo(f, &l, other,
	    "sp add --sp-name=q --sp-source=" TL_ADDR_B "/128 --sp-destination=" TL_ADDR_C
	    "/128 --flow-direction=in --action=ipsec --sa-name=i");
	assert_int_equal(l.publishes, l.held_at);
	l.rx_meta[l.late].dst = tl_addr(TL_ADDR_A); /* sent again, to A */
	live_in_close(&l);
}

/* Two SAs with one SPI, destination and keys from two sources, each with its window, and a
 * batch that touches neither is undone: neither is an SA of the batch, so neither is held nor
 * moved to the other's top. (j has accepted up to 1000 from C; i, at 4 from B, goes on.) */
static void
test_rollback_leaves_untouched_twins(void **state)
{
	const struct fixture *f = *state;
	struct live l = { 0 };
	struct live_in c;
	char j[sizeof(c.sa)] = "";
	struct err err = { "" };
	struct sa *sa;

	live_in_open(&l, &c, "i", 0x3216, TL_AES_SHA1);
	tl_text_sa(j, sizeof(j), "j", TL_ADDR_C, TL_ADDR_A, 0x3216, "transport", TL_AES_SHA1);
	j[strlen(j) - 1] = '\0';
	live_start(f, &l);
	assert_int_equal(live_change(&l, (const char *const[]){ c.sa, j, c.sp }, 3, &err), 0);
	sa = sad_lookup_name(db_sad(state_db(l.st)), "j");
	replay_restart(&sa->live->replay, 1000);
	atomic_store(&sa->live->seq_in_top, 1000);
	live_send_now(&l);
	conf_block(f, true);
	assert_int_not_equal(
	    live_change(&l, (const char *const[]){ LIVE_SA("u", "0x3217", LIVE_CBC) }, 1, &err), 0);
	conf_block(f, false);
	live_send_now(&l);
	live_replay_all(&l);
	sa = sad_lookup_name(db_sad(state_db(l.st)), "i");
	assert_int_equal(sa_live_in_top(sa->live), l.nrx);
	live_close(&l);
}

/* An inbound AES-GCM SA removed, then added again with its key (the same SA here), within a
 * second of the last write of the tops: its window must have seen everything the SA before it
 * accepted, not only what the file had been told (doc/ipsec6d.md: "a window that has seen
 * everything up to TOP, so the peer's old packets are not accepted again either"). */
static void
test_gcm_key_window_is_current(void **state)
{
	const struct fixture *f = *state;
	const char *const remove[] = { "sp remove -n q", "sa remove -n gi" };
	const struct tl_algo_pair gcm = { "aes128-gcm16", NULL, TL_KEY_GCM128, NULL, 0 };
	struct live l = { 0 };
	struct live_in c;
	struct err err = { "" };
	uint64_t next, top;

	live_in_open(&l, &c, "gi", 0x3301, &gcm);
	live_start(f, &l);
	assert_int_equal(live_change(&l, (const char *const[]){ c.sa, c.sp }, 2, &err), 0);
	live_send_now(&l);
	live_send_now(&l);
	l.quiet = true;
	assert_int_equal(live_change(&l, remove, 2, &err), 0);
	l.quiet = false;
	assert_int_equal(live_change(&l, (const char *const[]){ c.sa, c.sp }, 2, &err), 0);
	live_replay_all(&l);
	/* A clean stop with the SA gone writes the key's top as it is. */
	l.quiet = true;
	assert_int_equal(live_change(&l, remove, 2, &err), 0);
	live_close(&l);
	read_line(f, "@gcm", &next, &top);
	assert_int_equal(top, l.nrx);
}

/* An SA of CBC and HMAC keys removed and added again as it was, in two batches: it goes on
 * after its last reservation under its addresses, SPI and keys (the "@sa" record), within one
 * run and after a restart; a peer that kept its SA would refuse numbers from 1 as replays until
 * they passed its window's top. (Its window starts empty: test_cbc_readded_window_starts_empty.) */
static void
cbc_readded(const struct fixture *f, bool restart)
{
	const char *const conf[] = { LIVE_SA("x", "0x3401", LIVE_CBC), LIVE_SP("x") };
	const char *const remove[] = { "sp remove -n p", "sa remove -n x" };
	struct live l = { 0 };
	struct err err = { "" };

	live_start(f, &l);
	assert_int_equal(live_change(&l, conf, 2, &err), 0);
	live_send_now(&l);
	l.quiet = true;
	assert_int_equal(live_change(&l, remove, 2, &err), 0);
	if (restart) {
		live_stop(&l);
		live_start(f, &l);
	}
	l.quiet = false;
	assert_int_equal(live_change(&l, conf, 2, &err), 0);
	live_send_now(&l);
	live_close(&l);
	assert_true(seq_has_line(f, "@sa 0x"));
}

static void
test_cbc_readded_sa_continues(void **state)
{
	cbc_readded(*state, false);
}

static void
test_cbc_readded_after_restart_continues(void **state)
{
	cbc_readded(*state, true);
}

/* The peer removes and adds its SA again too, and starts at 1: the SA added again here accepts
 * that (a window that went on, as an AES-GCM key's does, would refuse the peer's numbers until
 * they passed the old top). */
static void
test_cbc_readded_window_starts_empty(void **state)
{
	const struct fixture *f = *state;
	const char *const remove[] = { "sp remove -n q", "sa remove -n i" };
	struct live l = { 0 };
	struct live_in c;
	struct err err = { "" };

	live_in_open(&l, &c, "i", 0x3411, TL_AES_SHA1);
	live_start(f, &l);
	assert_int_equal(live_change(&l, (const char *const[]){ c.sa, c.sp }, 2, &err), 0);
	live_send_now(&l);
	live_send_now(&l);
	/* The top it accepted is written. */
	(void)usleep((SEQ_TOP_EVERY_MS + 100) * 1000);
	assert_int_equal(seq_keeper_tick(l.k, state_db(l.st), NULL), 0);
	l.quiet = true;
	assert_int_equal(live_change(&l, remove, 2, &err), 0);
	tl_host_close(&l.peer);
	live_in_open(&l, &c, "i", 0x3411, TL_AES_SHA1);
	l.nrx = 0; /* the peer's numbers start again */
	assert_int_equal(live_change(&l, (const char *const[]){ c.sa, c.sp }, 2, &err), 0);
	l.quiet = false;
	live_send_now(&l);
	live_close(&l);
}

/* The configuration file is text, reloaded (SIGHUP). */
static int
live_reload(struct live *l, const struct fixture *f, const char *text, struct err *err)
{
	write_text(f->conf, text);
	return state_reload(l->st, err);
}

/* With ESN, once the peer has sent 2^32 numbers or more, a window that starts empty reads every
 * number the peer sends next as one of the first 2^32 (RFC 4303 Appendix A2.2: the high half is
 * inferred from the window), and its ICV fails: the SA added again here (at once, before the
 * top is written, or its window changed by a reload: a live state of its own either way) must
 * go on from the top the peer had reached, as an AES-GCM key's does, or it takes nothing from a
 * peer that kept its SA, nor from one that added its SA again and went on (ipsec6d does), ever
 * again. What it accepted before stays refused. */
static void
cbc_esn_window_goes_on(const struct fixture *f, bool reload)
{
	const char *const remove[] = { "sp remove -n q", "sa remove -n i" };
	struct tl_algo_pair esn = *TL_AES_SHA1;
	struct live l = { 0 };
	struct live_in c;
	struct err err = { "" };
	char text[1024];

	esn.esn = 1;
	live_in_open(&l, &c, "i", 0x3412, &esn);
	live_start(f, &l);
	assert_int_equal(live_change(&l, (const char *const[]){ c.sa, c.sp }, 2, &err), 0);
	/* The peer is near the end of its first 2^32 numbers; A follows it across. */
	atomic_store(&tl_host_sa(&l.peer, "i")->live->seq_out, ((uint64_t)1 << 32) - 3);
	for (int i = 0; i < 5; i++)
		live_send_now(&l);
	assert_int_equal(
	    sa_live_in_top(sa_named(state_db(l.st), "i")->live), ((uint64_t)1 << 32) + 2);
	l.quiet = true;
	if (reload) {
		snprintf(text, sizeof(text), "%s --replay-window=128\n%s\n", c.sa, c.sp);
		if (live_reload(&l, f, text, &err) != 0)
			fail_msg("reload: %s", err.msg);
	} else {
		assert_int_equal(live_change(&l, remove, 2, &err), 0);
		assert_int_equal(live_change(&l, (const char *const[]){ c.sa, c.sp }, 2, &err), 0);
	}
	l.quiet = false;
	live_send_now(&l); /* 2^32 + 3 */
	live_replay_all(&l);
	live_close(&l);
}

static void
test_cbc_esn_readded_window_goes_on(void **state)
{
	cbc_esn_window_goes_on(*state, false);
}

static void
test_cbc_esn_reloaded_window_goes_on(void **state)
{
	cbc_esn_window_goes_on(*state, true);
}

/* An SA whose hard packet lifetime was reached, removed and added back in one batch with a
 * higher one, carries traffic again: only an SA added back exactly as it was keeps its live
 * state (and with it the flag of its reached limit). */
static void
test_readded_with_new_lifetime_is_not_expired(void **state)
{
	const struct fixture *f = *state;
	const char *const conf[] = { LIVE_SA("x", "0x3501", LIVE_CBC " --packet-hard=3"),
		LIVE_SP("x") };
	const char *const raise[] = { "sp remove -n p", "sa remove -n x",
		LIVE_SA("x", "0x3501", LIVE_CBC " --packet-hard=100"), LIVE_SP("x") };
	struct live l = { 0 };
	struct err err = { "" };
	struct db_snap *snap;

	live_start(f, &l);
	assert_int_equal(live_change(&l, conf, 2, &err), 0);
	live_send_now(&l);
	live_send_now(&l);
	snap = db_snapshot(state_db(l.st));
	assert_non_null(snap);
	tl_burst_set(l.b, 0, l.rx[0],
	    tl_build_pkt(l.rx[0], NULL, 0, IPPROTO_UDP, 40, 0, 0, 64, TL_ADDR_A, TL_ADDR_B));
	engine_out_burst(l.eng, snap, l.b->p, 1, l.b->res);
	assert_int_equal(l.b->res[0].drop, PKT_DROP_EXPIRED);
	db_snap_free(snap);
	l.one_key = false;
	l.nsent = 0; /* the new x's numbers are its own */
	assert_int_equal(live_change(&l, raise, 4, &err), 0);
	live_send_now(&l);
	live_close(&l);
}

/* A packet lifetime counts the packets the SA carried, not its sequence numbers: a restart
 * skips up to SEQ_BLOCK numbers (doc/ipsec6d.md), which must bring no limit closer. The count
 * is kept as the bytes are ("@packets NAME 0xSPI PACKETS" beside "@bytes") and a restart counts
 * on from it: soft at the 4th packet, hard after the 5th, restart or not. */
static void
test_packet_lifetime_counts_packets_across_restarts(void **state)
{
	const struct fixture *f = *state;
	const char *const conf[] = {
		LIVE_SA("x", "0x3601", LIVE_CBC " --packet-soft=4 --packet-hard=5"), LIVE_SP("x")
	};
	struct live l = { .quiet = true };
	struct err err = { "" };
	struct sa *x;

	live_start(f, &l);
	assert_int_equal(live_change(&l, conf, 2, &err), 0);
	live_send_now(&l);
	live_send_now(&l);
	live_stop(&l);
	assert_int_equal(read_count(f, "@packets", "x"), 2);
	live_start(f, &l);
	x = sa_named(state_db(l.st), "x");
	assert_true(atomic_load(&x->live->seq_out) >= SEQ_BLOCK); /* the restart skipped */
	assert_int_equal(lifetime_state(x, NULL), LIFE_MATURE);
	live_send_now(&l);
	assert_int_equal(lifetime_state(x, NULL), LIFE_MATURE);
	live_send_now(&l);
	assert_int_equal(lifetime_state(x, NULL), LIFE_SOFT_EXPIRED);
	live_send_now(&l);
	assert_int_equal(lifetime_state(x, NULL), LIFE_HARD_EXPIRED);
	assert_int_equal(live_dropped_now(&l), PKT_DROP_EXPIRED);
	live_close(&l);
	assert_int_equal(read_count(f, "@packets", "x"), 5);
}

/* The same inbound: B restarts (its numbers jump by a block) and A, whose SA from B has a hard
 * limit of 3 packets, takes its 2nd and 3rd packets all the same; the 4th is refused. */
static void
test_packet_lifetime_inbound_counts_packets(void **state)
{
	const struct fixture *f = *state;
	struct live l = { .quiet = true };
	struct live_in c;
	struct err err = { "" };

	live_in_open(&l, &c, "i", 0x3701, TL_AES_SHA1);
	strncat(c.sa, " --packet-hard=3", sizeof(c.sa) - strlen(c.sa) - 1);
	live_start(f, &l);
	assert_int_equal(live_change(&l, (const char *const[]){ c.sa, c.sp }, 2, &err), 0);
	live_send_now(&l);
	atomic_fetch_add(&tl_host_sa(&l.peer, "i")->live->seq_out, SEQ_BLOCK);
	live_send_now(&l);
	live_send_now(&l);
	assert_int_equal(live_dropped_now(&l), PKT_DROP_EXPIRED);
	assert_int_equal(lifetime_state(sa_named(state_db(l.st), "i"), NULL), LIFE_HARD_EXPIRED);
	live_close(&l);
}

/* An AES-GCM SA removed and added again with its key goes on after the key's numbers (a block
 * on, doc/ipsec6d.md); it is a new SA all the same, whose packet lifetime starts at 0. */
static void
test_gcm_readded_packet_lifetime_starts_at_0(void **state)
{
	const struct fixture *f = *state;
	const char *const conf[] = { LIVE_SA("g", "0x3801", LIVE_GCM " --packet-hard=3"),
		LIVE_SP("g") };
	const char *const remove[] = { "sp remove -n p", "sa remove -n g" };
	struct live l = { .one_key = true, .quiet = true };
	struct err err = { "" };
	struct sa *g;

	live_start(f, &l);
	assert_int_equal(live_change(&l, conf, 2, &err), 0);
	live_send_now(&l);
	live_send_now(&l);
	assert_int_equal(live_change(&l, remove, 2, &err), 0);
	assert_int_equal(live_change(&l, conf, 2, &err), 0);
	g = sa_named(state_db(l.st), "g");
	assert_true(atomic_load(&g->live->seq_out) >= SEQ_BLOCK); /* after the key's numbers */
	assert_int_equal(lifetime_state(g, NULL), LIFE_MATURE);
	for (int i = 0; i < 3; i++)
		live_send_now(&l);
	assert_int_equal(live_dropped_now(&l), PKT_DROP_EXPIRED);
	live_close(&l);
}

/* The next fsync of a saved file's directory fails (IPSEC6D_FAULTS, dataplane/fault.h). */
static void
fault_dirsync(const struct fixture *f)
{
	static char path[160];

	if (path[0] == '\0') {
		snprintf(path, sizeof(path), "%s.faults", f->dir);
		assert_int_equal(setenv("IPSEC6D_FAULTS", path, 1), 0);
		fault_init();
	}
	write_text(path, "dirsync 1\n");
}

/* A stop whose last write of the sequence file is not known durable (the directory's fsync
 * fails) must not leave an older file than the one it wrote: every line of a newer file says
 * as much or more (reservations, inbound tops, counts), so putting the previous one back, as a
 * refused configuration change is, loses what A accepted since it was written. A restarts (a
 * clean stop, no crash): the 2 packets it accepted are refused as replays, and its SA with
 * --packet-hard=3 takes 1 more, not 3. */
static void
test_seq_file_not_put_back_after_failed_dirsync(void **state)
{
	const struct fixture *f = *state;
	struct live l = { .quiet = true };
	struct live_in c;
	struct err err = { "" };

	live_in_open(&l, &c, "i", 0x3b01, TL_AES_SHA1);
	strncat(c.sa, " --packet-hard=3", sizeof(c.sa) - strlen(c.sa) - 1);
	live_start(f, &l);
	assert_int_equal(live_change(&l, (const char *const[]){ c.sa, c.sp }, 2, &err), 0);
	live_send_now(&l);
	live_send_now(&l);
	fault_dirsync(f);
	assert_int_not_equal(seq_keeper_flush(l.k, state_db(l.st), &err), 0);
	live_crash(&l); /* the rest of the stop: nothing more is written */
	live_start(f, &l);
	live_replay_all(&l);
	live_send_now(&l);
	assert_int_equal(live_dropped_now(&l), PKT_DROP_EXPIRED);
	live_close(&l);
}

/* A hard packet limit is never exceeded, not even across a crash: an SA with --packet-hard=5
 * that sent 3 packets, its count not written yet (counts are written at most every
 * SEQ_TOP_EVERY_MS), is killed and restarted: it may send 2 more, not 5. Before packets were
 * counted, the limit was on sequence numbers, durably reserved: a crash never let an SA send
 * more than its limit. */
static void
test_packet_hard_limit_not_exceeded_after_crash(void **state)
{
	const struct fixture *f = *state;
	const char *const conf[] = { LIVE_SA("x", "0x3a01", LIVE_CBC " --packet-hard=5"),
		LIVE_SP("x") };
	struct live l = { .quiet = true };
	struct err err = { "" };
	size_t carried;

	live_start(f, &l);
	assert_int_equal(live_change(&l, conf, 2, &err), 0);
	for (int i = 0; i < 3; i++)
		live_send_now(&l);
	assert_int_equal(seq_keeper_tick(l.k, state_db(l.st), NULL), 0);
	live_crash(&l);
	live_start(f, &l);
	carried = live_carried_now(&l, 8);
	if (3 + carried > 5)
		fail_msg("an SA with --packet-hard=5 sent %zu packets (3, a crash, %zu)",
		    3 + carried, carried);
	live_close(&l);
}

/* The same inbound: A's SA from B, with --packet-hard=3, accepted 1 packet, its count not
 * written yet, and A is killed and restarted: it accepts at most 2 more, not 3. Sequence
 * numbers bound nothing here (B's may jump any distance, and A saves its window's top at most
 * every SEQ_TOP_EVERY_MS): what bounds it is "@packets-allowed", the packets A may carry before
 * its next write, written before they are carried. */
static void
test_packet_hard_limit_inbound_not_exceeded_after_crash(void **state)
{
	const struct fixture *f = *state;
	struct live l = { .quiet = true };
	struct live_in c;
	struct err err = { "" };
	size_t accepted;

	live_in_open(&l, &c, "i", 0x3c01, TL_AES_SHA1);
	strncat(c.sa, " --packet-hard=3", sizeof(c.sa) - strlen(c.sa) - 1);
	live_start(f, &l);
	assert_int_equal(live_change(&l, (const char *const[]){ c.sa, c.sp }, 2, &err), 0);
	live_send_now(&l);
	assert_int_equal(seq_keeper_tick(l.k, state_db(l.st), NULL), 0);
	assert_int_equal(read_count(f, "@packets", "i"), 0); /* not written yet */
	assert_int_equal(read_count(f, "@packets-allowed", "i"), 3);
	live_crash(&l);
	live_start(f, &l);
	accepted = live_carried_now(&l, 4);
	if (1 + accepted > 3)
		fail_msg("an SA with --packet-hard=3 accepted %zu packets (1, a crash, %zu)",
		    1 + accepted, accepted);
	live_close(&l);
}

/* Under a larger hard limit (16384) the packets an SA may carry are written a step ahead (an
 * eighth of the limit, 2048), not the whole limit: the engine holds the SA at what is written
 * (seq-unreserved drops) until the keeper writes more, half a step before; a crash counts the
 * whole step as carried (the SA expires at most a step early), a clean stop only what was
 * carried, and writes no "@packets-allowed" line. */
static void
test_packet_hard_limit_held_at_allowed(void **state)
{
	const struct fixture *f = *state;
	const char *const conf[] = { LIVE_SA("x", "0x3d01", LIVE_CBC " --packet-hard=16384"),
		LIVE_SP("x") };
	struct live l = { .quiet = true };
	struct err err = { "" };
	struct sa *x;

	live_start(f, &l);
	assert_int_equal(live_change(&l, conf, 2, &err), 0);
	assert_int_equal(read_count(f, "@packets-allowed", "x"), 2048);
	x = sa_named(state_db(l.st), "x");
	atomic_fetch_add(&x->live->pkts_out, 2046); /* as if carried */
	live_send_now(&l);
	live_send_now(&l); /* the 2048th */
	assert_int_equal(live_dropped_now(&l), PKT_DROP_SEQ_UNRESERVED);
	assert_int_equal(lifetime_state(x, NULL), LIFE_MATURE);
	assert_int_equal(seq_keeper_tick(l.k, state_db(l.st), NULL), 0);
	assert_int_equal(read_count(f, "@packets-allowed", "x"), 4096);
	live_send_now(&l);
	live_crash(&l);
	live_start(f, &l);
	x = sa_named(state_db(l.st), "x");
	assert_int_equal(sa_live_pkts(x->live), 4096); /* 2049 carried: the step counts */
	assert_int_equal(lifetime_state(x, NULL), LIFE_MATURE);
	live_send_now(&l);
	live_stop(&l);
	assert_int_equal(read_count(f, "@packets", "x"), 4097);
	assert_int_equal(read_count(f, "@packets-allowed", "x"), 0);
	live_start(f, &l);
	assert_int_equal(sa_live_pkts(sa_named(state_db(l.st), "x")->live), 4097);
	live_close(&l);
}

/* A hard byte limit is never exceeded across a crash either: an SA with --byte-hard=300 that sent
 * 2 packets (80 bytes each), its count not written yet, is killed and restarted: it may carry
 * what it would have without the crash (the hard limit lets a packet pass while the bytes before
 * it are below the limit: 4 packets here), not 300 bytes more. "@bytes-allowed", written before
 * anything is carried, is the whole limit below a step (1 MiB): the restart counts it carried. */
static void
test_byte_hard_limit_not_exceeded_after_crash(void **state)
{
	const struct fixture *f = *state;
	const char *const conf[] = { LIVE_SA("x", "0x3e01", LIVE_CBC " --byte-hard=300"),
		LIVE_SP("x") };
	struct live l = { .quiet = true };
	struct err err = { "" };
	uint64_t len;
	size_t carried;

	live_start(f, &l);
	assert_int_equal(live_change(&l, conf, 2, &err), 0);
	live_send_now(&l);
	len = sa_live_bytes(sa_named(state_db(l.st), "x")->live);
	assert_int_equal(len, 80);
	live_send_now(&l);
	assert_int_equal(seq_keeper_tick(l.k, state_db(l.st), NULL), 0);
	assert_int_equal(read_bytes(f, "x"), 0); /* not written yet */
	assert_int_equal(read_count(f, "@bytes-allowed", "x"), 300);
	live_crash(&l);
	live_start(f, &l);
	carried = live_carried_now(&l, 8);
	if (2 + carried > 4)
		fail_msg("--byte-hard=300: %zu packets of %u bytes sent (2, a crash, %zu)",
		    2 + carried, (unsigned)len, carried);
	live_close(&l);
}

/* The same inbound: A's SA from B, with --byte-hard=300, accepted 2 packets (80 bytes each), its
 * count not written yet, and A is killed and restarted: it accepts at most 2 more (4 in all,
 * as without the crash), not 4 more. */
static void
test_byte_hard_limit_inbound_not_exceeded_after_crash(void **state)
{
	const struct fixture *f = *state;
	struct live l = { .quiet = true };
	struct live_in c;
	struct err err = { "" };
	size_t accepted;

	live_in_open(&l, &c, "i", 0x3f01, TL_AES_SHA1);
	strncat(c.sa, " --byte-hard=300", sizeof(c.sa) - strlen(c.sa) - 1);
	live_start(f, &l);
	assert_int_equal(live_change(&l, (const char *const[]){ c.sa, c.sp }, 2, &err), 0);
	live_send_now(&l);
	live_send_now(&l);
	assert_int_equal(sa_live_bytes(sa_named(state_db(l.st), "i")->live), 2 * 80);
	assert_int_equal(seq_keeper_tick(l.k, state_db(l.st), NULL), 0);
	assert_int_equal(read_bytes(f, "i"), 0); /* not written yet */
	assert_int_equal(read_count(f, "@bytes-allowed", "i"), 300);
	live_crash(&l);
	live_start(f, &l);
	accepted = live_carried_now(&l, 6);
	if (2 + accepted > 4)
		fail_msg("--byte-hard=300: %zu packets of 80 bytes accepted (2, a crash, %zu)",
		    2 + accepted, accepted);
	live_close(&l);
}

/* Under a larger hard byte limit (64 MiB) the bytes an SA may carry are written a step ahead (an
 * eighth of the limit, 8 MiB): the engine holds the SA (seq-unreserved drops) before a packet
 * that would take it past what is written, even with the bytes before it below that, until the
 * keeper writes more, half a step before; a crash counts the whole step as carried, a clean stop
 * only what was carried, and writes no "@bytes-allowed" line. */
static void
test_byte_hard_limit_held_at_allowed(void **state)
{
	const struct fixture *f = *state;
	const char *const conf[] = { LIVE_SA("x", "0x4001", LIVE_CBC " --byte-hard=67108864"),
		LIVE_SP("x") };
	struct live l = { .quiet = true };
	struct err err = { "" };
	const uint64_t step = 8 << 20;
	struct sa *x;

	live_start(f, &l);
	assert_int_equal(live_change(&l, conf, 2, &err), 0);
	assert_int_equal(read_count(f, "@bytes-allowed", "x"), step);
	x = sa_named(state_db(l.st), "x");
	atomic_fetch_add(&x->live->bytes_out, step - 100); /* as if carried */
	live_send_now(&l);                                 /* 80 bytes: 20 left */
	assert_int_equal(live_dropped_now(&l), PKT_DROP_SEQ_UNRESERVED);
	assert_int_equal(sa_live_bytes(x->live), step - 20);
	assert_int_equal(lifetime_state(x, NULL), LIFE_MATURE);
	assert_int_equal(seq_keeper_tick(l.k, state_db(l.st), NULL), 0);
	assert_int_equal(read_count(f, "@bytes-allowed", "x"), 2 * step - 20);
	live_send_now(&l);
	live_crash(&l);
	live_start(f, &l);
	x = sa_named(state_db(l.st), "x");
	assert_int_equal(sa_live_bytes(x->live), 2 * step - 20); /* the step counts */
	assert_int_equal(lifetime_state(x, NULL), LIFE_MATURE);
	live_send_now(&l);
	live_stop(&l);
	assert_int_equal(read_bytes(f, "x"), 2 * step - 20 + 80);
	assert_int_equal(read_count(f, "@bytes-allowed", "x"), 0);
	live_start(f, &l);
	assert_int_equal(sa_live_bytes(sa_named(state_db(l.st), "x")->live), 2 * step - 20 + 80);
	live_close(&l);
}

/* The configuration file edited to text and reloaded (SIGHUP): state_reload()'s answer. */
/* An SA that reached its hard packet limit, its limit raised in the file and reloaded, carries
 * traffic again: the same SA (same live state), its numbers and counts going on, and the next
 * time it reaches its limit is logged again. A reload that changes its lifetimes without raising
 * the limit it reached (a byte limit added) leaves it expired. */
static void
test_reload_with_raised_lifetime_carries_again(void **state)
{
	const struct fixture *f = *state;
	const char *const conf[] = { LIVE_SA("x", "0x3901", LIVE_CBC " --packet-hard=3"),
		LIVE_SP("x") };
	const char *const same = LIVE_SA(
	    "x", "0x3901", LIVE_CBC " --packet-hard=3 --byte-hard=100000") "\n" LIVE_SP("x") "\n";
	const char *const raised = LIVE_SA(
	    "x", "0x3901", LIVE_CBC " --packet-hard=5 --byte-hard=100000") "\n" LIVE_SP("x") "\n";
	struct live l = { .quiet = true };
	struct err err = { "" };
	struct sa_live *live;
	struct sa *x;

	live_start(f, &l);
	assert_int_equal(live_change(&l, conf, 2, &err), 0);
	for (int i = 0; i < 3; i++)
		live_send_now(&l);
	assert_int_equal(live_dropped_now(&l), PKT_DROP_EXPIRED);
	lifetime_tick(state_db(l.st));
	live = sa_named(state_db(l.st), "x")->live;
	assert_int_equal(live->logged, LIFE_HARD_EXPIRED);

	if (live_reload(&l, f, same, &err) != 0)
		fail_msg("reload: %s", err.msg);
	x = sa_named(state_db(l.st), "x");
	assert_ptr_equal(x->live, live);
	assert_int_equal(lifetime_state(x, NULL), LIFE_HARD_EXPIRED);
	assert_int_equal(live_dropped_now(&l), PKT_DROP_EXPIRED);

	if (live_reload(&l, f, raised, &err) != 0)
		fail_msg("reload: %s", err.msg);
	x = sa_named(state_db(l.st), "x");
	assert_ptr_equal(x->live, live);
	assert_int_equal(lifetime_state(x, NULL), LIFE_MATURE);
	assert_true(live->logged < LIFE_HARD_EXPIRED);
	live_send_now(&l); /* numbers 4 and 5: live_send() refuses one sent before */
	live_send_now(&l);
	assert_int_equal(atomic_load(&live->seq_out), 5);
	assert_int_equal(atomic_load(&live->pkts_out), 5);
	assert_int_equal(live_dropped_now(&l), PKT_DROP_EXPIRED);
	lifetime_tick(state_db(l.st));
	assert_int_equal(live->logged, LIFE_HARD_EXPIRED);
	live_close(&l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_seq_file_is_64_bit_and_reads_old_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_spent_sa_noticed_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bytes_count_across_restarts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_write_is_made_again, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_gcm_key_continues_after_its_sa, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gcm_rollback_never_resends, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_rollback_then_crash_keeps_numbers, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_rollback_then_crash_under_one_spi, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_rollback_keeps_what_was_accepted, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_rollback_other_window_keeps_what_was_accepted, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_rollback_other_window_then_crash, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_gcm_rollback_other_window_keeps_what_was_accepted, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_rollback_other_window_late_packet, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_rollback_other_window_failed_publish, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_rollback_twin_to_any_keeps_what_was_accepted, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_rollback_twin_from_any_keeps_what_was_accepted, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_rollback_twin_other_destination, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_rollback_leaves_untouched_twins, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gcm_key_window_is_current, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_readded_with_new_lifetime_is_not_expired, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cbc_readded_sa_continues, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_cbc_readded_after_restart_continues, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_cbc_readded_window_starts_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_cbc_esn_readded_window_goes_on, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_cbc_esn_reloaded_window_goes_on, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_packet_lifetime_counts_packets_across_restarts, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_packet_lifetime_inbound_counts_packets, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_gcm_readded_packet_lifetime_starts_at_0, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_reload_with_raised_lifetime_carries_again, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_seq_file_not_put_back_after_failed_dirsync, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_packet_hard_limit_not_exceeded_after_crash, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_packet_hard_limit_inbound_not_exceeded_after_crash, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_packet_hard_limit_held_at_allowed, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_byte_hard_limit_not_exceeded_after_crash, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_byte_hard_limit_inbound_not_exceeded_after_crash, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_byte_hard_limit_held_at_allowed, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
