// SPDX-License-Identifier: MIT
/* The daemon's state module in-process: changes apply in place (SA objects and their counters
 * live on), aborted and unwritable transactions leave the state as it was with counters carried
 * over, reloads carry counters only for unchanged SAs and refuse broken files with
 * "PATH:N: reason", and the data path hook runs after each change that took effect. */
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

#include "ipsec6/bytes.h"
#include "ipsec6/cmd.h"
#include "state.h"
#include "testlib.h"

#define KEY16  "0x000102030405060708090a0b0c0d0e0f"
#define KEY20  "0x000102030405060708090a0b0c0d0e0f10111213"
#define KEY20B "0xffffffffffffffffffffffffffffffffffffffff"

static const char *const sa1 =
    "sa add -n s1 -s 2001:db8::1 -d 2001:db8::2 -p 0x1001 -e aes128-cbc -k " KEY16
    " -i hmac-sha1 -K " KEY20;
static const char *const sa2 =
    "sa add -n s2 -s any -d any -p 0x1002 -e null -i hmac-sha1 -K " KEY20;
static const char *const sa3 =
    "sa add -n s3 -s any -d 2001:db8::3 -p 0x1003 -e null -i hmac-sha1 -K " KEY20;

struct fixture {
	char dir[64];
	char path[96];
	struct state *st;
	int published;
	/* The subscriber's answers: publish n (counting from 1) fails when fail_from <= n; the
	 * databases it was given, by their SA count; what fail_closed was told. */
	int fail_from;
	size_t published_sas[8];
	int closed;
	size_t closed_sas;
	char closed_why[ERR_MSG_MAX];
};

static int
on_publish(void *ctx, const struct db *db, struct err *err)
{
	struct fixture *f = ctx;
	struct db_snap *snap = db_snapshot(db);

	/* What the data path does with it: the snapshot sees the SAs. */
	assert_non_null(snap);
	if (sad_count(db_sad(db)) > 0)
		assert_non_null(sad_snap_lookup_spi(
		    snap->sad, sad_at(db_sad(db), 0)->spi, &sad_at(db_sad(db), 0)->dst, NULL));
	db_snap_free(snap);
	if (f->published < 8)
		f->published_sas[f->published] = sad_count(db_sad(db));
	f->published++;
	if (f->fail_from != 0 && f->published >= f->fail_from)
		return err_set(err, EIO, "the data path refused publish %d", f->published);
	return 0;
}

static void
on_fail_closed(void *ctx, const struct db *db, const char *why)
{
	struct fixture *f = ctx;

	f->closed++;
	f->closed_sas = sad_count(db_sad(db));
	(void)snprintf(f->closed_why, sizeof(f->closed_why), "%s", why);
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct err err = { "" };

	assert_non_null(f);
	strcpy(f->dir, "/tmp/test_state.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	(void)snprintf(f->path, sizeof(f->path), "%s/d/ipsec6.conf", f->dir);
	assert_int_equal(state_new(f->path, CRYPTO_BACKEND_OPENSSL, &f->st, &err), 0);
	state_set_hooks(f->st, &(struct state_hooks){ on_publish, on_fail_closed, f });
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	state_free(f->st);
	(void)snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

/* Apply lines as one transaction; returns state_txn_commit()'s result, or the refusal. */
static int
change(struct state *st, const char *const *lines, size_t n, struct err *err)
{
	int rc = state_txn_begin(st, err);

	for (size_t i = 0; rc == 0 && i < n; i++) {
		char buf[512];
		char *argv[32];
		size_t argc;
		struct cmd cmd;

		strcpy(buf, lines[i]);
		assert_int_equal(cmd_split(buf, argv, 32, &argc, err), 0);
		assert_int_equal(cmd_parse(argc, argv, &cmd, err), 0);
		rc = state_txn_apply(st, &cmd, err);
		cmd_fini(&cmd);
	}
	if (rc != 0) {
		state_txn_abort(st);
		return rc;
	}
	return state_txn_commit(st, err);
}

static struct sa *
sa_named(struct state *st, const char *name)
{
	return sad_lookup_name(db_sad(state_db(st)), name);
}

static void
read_file(const char *path, char *buf, size_t size)
{
	FILE *fp = fopen(path, "r");
	size_t n;

	assert_non_null(fp);
	n = fread(buf, 1, size - 1, fp);
	buf[n] = '\0';
	fclose(fp);
}

static void
write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
}

static void
test_change_applies_in_place(void **state)
{
	struct fixture *f = *state;
	struct err err = { "" };
	struct sa *s1;
	struct stat st;

	assert_int_equal(change(f->st, &sa1, 1, &err), 0);
	s1 = sa_named(f->st, "s1");
	atomic_store(&s1->live->seq_out, 1234);
	assert_int_equal(change(f->st, &sa2, 1, &err), 0);
	assert_ptr_equal(sa_named(f->st, "s1"), s1);
	assert_int_equal(atomic_load(&s1->live->seq_out), 1234);
	assert_int_equal(f->published, 2);
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
}

static void
test_abort_restores_order_and_counters(void **state)
{
	struct fixture *f = *state;
	const char *const txn[] = { "sa remove -n s1", sa3, "sp remove -n nosuch" };
	struct err err = { "" };
	char before[4096], after[4096];
	struct sa *s1;

	assert_int_equal(change(f->st, (const char *const[]){ sa1, sa2 }, 2, &err), 0);
	s1 = sa_named(f->st, "s1");
	atomic_store(&s1->live->seq_out, 99);
	s1->live->replay.top = 77;
	read_file(f->path, before, sizeof(before));
	f->published = 0;
	assert_int_equal(change(f->st, txn, 3, &err), -ENOENT);
	assert_string_equal(err.msg, "policy 'nosuch' does not exist");
	assert_int_equal(sad_count(db_sad(state_db(f->st))), 2);
	assert_string_equal(sad_at(db_sad(state_db(f->st)), 0)->name, "s1");
	assert_string_equal(sad_at(db_sad(state_db(f->st)), 1)->name, "s2");
	assert_null(sa_named(f->st, "s3"));
	s1 = sa_named(f->st, "s1");
	assert_int_equal(atomic_load(&s1->live->seq_out), 99);
	assert_int_equal(s1->live->replay.top, 77);
	read_file(f->path, after, sizeof(after));
	assert_string_equal(before, after);
}

static void
test_refused_first_command_changes_nothing(void **state)
{
	struct fixture *f = *state;
	struct err err = { "" };
	struct sa *s1;

	assert_int_equal(change(f->st, &sa1, 1, &err), 0);
	s1 = sa_named(f->st, "s1");
	f->published = 0;
	assert_int_equal(change(f->st, &sa1, 1, &err), -EEXIST);
	assert_ptr_equal(sa_named(f->st, "s1"), s1); /* not rebuilt */
	assert_int_equal(f->published, 0);
}

static void
test_failed_write_rolls_back(void **state)
{
	struct fixture *f = *state;
	struct err err = { "" };
	char dir[96], moved[96];
	struct sa *s1;

	assert_int_equal(change(f->st, &sa1, 1, &err), 0);
	atomic_store(&sa_named(f->st, "s1")->live->seq_out, 5);
	/* Put a plain file where the directory was: the temporary file cannot be created. */
	(void)snprintf(dir, sizeof(dir), "%s/d", f->dir);
	(void)snprintf(moved, sizeof(moved), "%s/moved", f->dir);
	assert_int_equal(rename(dir, moved), 0);
	write_file(dir, "not a directory\n");
	assert_int_not_equal(change(f->st, (const char *const[]){ sa2, sa3 }, 2, &err), 0);
	assert_non_null(strstr(err.msg, "cannot save"));
	assert_int_equal(sad_count(db_sad(state_db(f->st))), 1);
	s1 = sa_named(f->st, "s1");
	assert_non_null(s1);
	assert_int_equal(atomic_load(&s1->live->seq_out), 5);
	assert_int_equal(unlink(dir), 0);
	assert_int_equal(rename(moved, dir), 0);
}

static void
test_reload_carries_only_unchanged(void **state)
{
	struct fixture *f = *state;
	struct err err = { "" };
	char text[2048];

	assert_int_equal(change(f->st, (const char *const[]){ sa1, sa2 }, 2, &err), 0);
	atomic_store(&sa_named(f->st, "s1")->live->seq_out, 5);
	atomic_store(&sa_named(f->st, "s2")->live->seq_out, 6);
	/* s1 as it was, s2 with another key, s3 new. */
	(void)snprintf(text, sizeof(text),
	    "%s\nsa add -n s2 -s any -d any -p 0x1002 -e null -i hmac-sha1 -K " KEY20B "\n%s\n",
	    sa1, sa3);
	write_file(f->path, text);
	f->published = 0;
	assert_int_equal(state_reload(f->st, &err), 0);
	assert_int_equal(f->published, 1);
	assert_int_equal(atomic_load(&sa_named(f->st, "s1")->live->seq_out), 5);
	assert_int_equal(atomic_load(&sa_named(f->st, "s2")->live->seq_out), 0);
	assert_int_equal(atomic_load(&sa_named(f->st, "s3")->live->seq_out), 0);
}

#define REKEY_S1 "sa rekey -n s1 -p 0x2001 -k 0xf0f1f2f3f4f5f6f7f8f9fafbfcfdfeff -K " KEY20B

/* A rekey refused later in its batch is undone: the SA is back under its old SPI with the
 * numbers it had; a rekey that lands leaves the old SPI as a retired SA sharing those numbers,
 * through a rollback of a later change and a reload alike, with its end of grace unchanged. */
static void
test_rekey_through_rebuilds(void **state)
{
	struct fixture *f = *state;
	const char *const refused[] = { REKEY_S1, "sp remove -n nosuch" };
	const char *const rekey = REKEY_S1;
	struct err err = { "" };
	const struct sad *sad;
	struct sa_live *live;
	struct sa *s1, *old;
	uint64_t grace_end;
	char text[4096];

	assert_int_equal(change(f->st, &sa1, 1, &err), 0);
	s1 = sa_named(f->st, "s1");
	atomic_store(&s1->live->seq_out, 41);
	assert_int_equal(change(f->st, refused, 2, &err), -ENOENT);
	s1 = sa_named(f->st, "s1");
	assert_int_equal(s1->spi, 0x1001);
	assert_int_equal(atomic_load(&s1->live->seq_out), 41);
	assert_int_equal(sad_retired_count(db_sad(state_db(f->st))), 0);

	live = s1->live; /* s1 itself is gone once the rekey is in force */
	assert_int_equal(change(f->st, &rekey, 1, &err), 0);
	sad = db_sad(state_db(f->st));
	assert_int_equal(sa_named(f->st, "s1")->spi, 0x2001);
	assert_int_equal(atomic_load(&sa_named(f->st, "s1")->live->seq_out), 0);
	assert_int_equal(sad_retired_count(sad), 1);
	old = sad_retired_at(sad, 0);
	assert_int_equal(old->spi, 0x1001);
	assert_ptr_equal(old->live, live); /* shared with the object the data path held */
	assert_int_equal(old->grace, SA_GRACE_DEFAULT);
	assert_false(sa_grace_over(old));
	grace_end = old->live->grace_end_ns;
	atomic_store(&old->live->seq_in_top, 77);
	read_file(f->path, text, sizeof(text));
	assert_non_null(strstr(text, "--sa-spi=0x1001"));
	assert_non_null(strstr(text, "--grace-period=300"));

	/* A refused change rebuilds the database: the retired SA keeps its live state. */
	assert_int_equal(
	    change(f->st, (const char *const[]){ sa2, "sp remove -n nosuch" }, 2, &err), -ENOENT);
	sad = db_sad(state_db(f->st));
	assert_int_equal(sad_retired_count(sad), 1);
	assert_ptr_equal(sad_retired_at(sad, 0)->live, live);
	assert_int_equal(sad_retired_at(sad, 0)->live->grace_end_ns, grace_end);
	/* So does a reload of the file as it is. */
	assert_int_equal(state_reload(f->st, &err), 0);
	sad = db_sad(state_db(f->st));
	assert_int_equal(sad_retired_count(sad), 1);
	assert_ptr_equal(sad_retired_at(sad, 0)->live, live);
	assert_int_equal(atomic_load(&sad_retired_at(sad, 0)->live->seq_in_top), 77);
	assert_int_equal(sad_retired_at(sad, 0)->live->grace_end_ns, grace_end);

	/* The grace over: the retired SA is removed as a change of its own, and written. */
	assert_int_equal(state_end_grace(f->st, &err), 0);
	assert_int_equal(sad_retired_count(db_sad(state_db(f->st))), 1); /* not yet */
	sad_retired_at(db_sad(state_db(f->st)), 0)->live->grace_end_ns = 0;
	f->published = 0;
	assert_int_equal(state_end_grace(f->st, &err), 0);
	assert_int_equal(f->published, 1);
	assert_int_equal(sad_retired_count(db_sad(state_db(f->st))), 0);
	assert_int_equal(sa_named(f->st, "s1")->spi, 0x2001);
	read_file(f->path, text, sizeof(text));
	assert_null(strstr(text, "--sa-spi=0x1001"));
	assert_null(strstr(text, "--retired"));
}

static void
test_reload_refuses_broken_file(void **state)
{
	struct fixture *f = *state;
	struct err err = { "" };
	char want[256], text[1024];
	struct sa *s1;

	assert_int_equal(change(f->st, &sa1, 1, &err), 0);
	s1 = sa_named(f->st, "s1");
	(void)snprintf(text, sizeof(text), "%s\nsa add -n broken\n", sa1);
	write_file(f->path, text);
	f->published = 0;
	assert_int_equal(state_reload(f->st, &err), -EINVAL);
	(void)snprintf(want, sizeof(want),
	    "%s:2: Missing required parameter -e|--encryption-algorithm", f->path);
	/* cmd_parse() names each missing option on a line of its own; the first is enough. */
	assert_int_equal(strncmp(err.msg, want, strlen(want)), 0);
	assert_int_equal(err.msg[strlen(want)], '\n');
	assert_ptr_equal(sa_named(f->st, "s1"), s1);
	assert_int_equal(f->published, 0);
}

static void
test_reload_refuses_missing_file(void **state)
{
	struct fixture *f = *state;
	struct err err = { "" };
	char want[256];

	assert_int_equal(change(f->st, &sa1, 1, &err), 0);
	assert_int_equal(unlink(f->path), 0);
	assert_int_equal(state_reload(f->st, &err), -ENOENT);
	(void)snprintf(want, sizeof(want), "%s does not exist", f->path);
	assert_string_equal(err.msg, want);
	assert_non_null(sa_named(f->st, "s1"));
	/* The next change writes the file again, with everything. */
	assert_int_equal(change(f->st, &sa2, 1, &err), 0);
	assert_int_equal(access(f->path, R_OK), 0);
	assert_int_equal(state_reload(f->st, &err), 0);
	assert_int_equal(sad_count(db_sad(state_db(f->st))), 2);
}

static void
test_start_refuses_broken_file(void **state)
{
	struct fixture *f = *state;
	struct state *other = NULL;
	struct err err = { "" };
	char want[256], text[1024], after[1024];

	(void)snprintf(text, sizeof(text), "# mine\n%s\nsp add -n p --bogus\n", sa1);
	assert_int_equal(mkdir(f->dir, 0700) == 0 || errno == EEXIST, 1);
	(void)snprintf(want, sizeof(want), "%s/d", f->dir);
	assert_int_equal(mkdir(want, 0700) == 0 || errno == EEXIST, 1);
	write_file(f->path, text);
	assert_int_equal(state_new(f->path, CRYPTO_BACKEND_OPENSSL, &other, &err), -EINVAL);
	assert_null(other);
	(void)snprintf(want, sizeof(want), "%s:3: Invalid option --bogus", f->path);
	assert_string_equal(err.msg, want);
	read_file(f->path, after, sizeof(after));
	assert_string_equal(after, text);
}

/* The subscriber cannot put a change in force: the client is told why, and the state, the file
 * and what is in force are as before; nothing is published again (the publish changed
 * nothing), nothing fails closed. */
static void
test_publish_refused_rolls_back(void **state)
{
	struct fixture *f = *state;
	struct err err = { "" };
	char before[4096], after[4096];

	assert_int_equal(change(f->st, &sa1, 1, &err), 0);
	read_file(f->path, before, sizeof(before));
	f->published = 0;
	f->fail_from = 1;
	assert_int_equal(change(f->st, (const char *const[]){ sa2, sa3 }, 2, &err), -EIO);
	assert_string_equal(err.msg, "the data path refused publish 1");
	assert_int_equal(f->published, 1);
	assert_int_equal(f->published_sas[0], 3);
	assert_int_equal(f->closed, 0);
	assert_int_equal(sad_count(db_sad(state_db(f->st))), 1);
	assert_non_null(sa_named(f->st, "s1"));
	read_file(f->path, after, sizeof(after));
	assert_string_equal(before, after);
	/* The next change that can be put in force is. */
	f->fail_from = 0;
	assert_int_equal(change(f->st, &sa2, 1, &err), 0);
	assert_int_equal(sad_count(db_sad(state_db(f->st))), 2);
}

/* In force, then the write fails: the previous state is put in force again; if even that is
 * refused, the subscriber fails closed on the previous state, and the client hears of the
 * write. */
static void
test_unwritten_change_is_withdrawn(void **state)
{
	struct fixture *f = *state;
	struct err err = { "" };
	char dir[96], moved[96];

	assert_int_equal(change(f->st, &sa1, 1, &err), 0);
	(void)snprintf(dir, sizeof(dir), "%s/d", f->dir);
	(void)snprintf(moved, sizeof(moved), "%s/moved", f->dir);
	assert_int_equal(rename(dir, moved), 0);
	write_file(dir, "not a directory\n");
	for (int refuse_again = 0; refuse_again < 2; refuse_again++) {
		f->published = 0;
		f->fail_from = refuse_again ? 2 : 0;
		err_clear(&err);
		assert_int_not_equal(change(f->st, &sa2, 1, &err), 0);
		assert_non_null(strstr(err.msg, "cannot save"));
		assert_int_equal(f->published, 2);
		assert_int_equal(f->published_sas[0], 2); /* the change */
		assert_int_equal(f->published_sas[1], 1); /* what was before it */
		assert_int_equal(sad_count(db_sad(state_db(f->st))), 1);
		assert_int_equal(f->closed, refuse_again);
	}
	assert_int_equal(f->closed_sas, 1);
	assert_string_equal(f->closed_why, "the data path refused publish 2");
	assert_int_equal(unlink(dir), 0);
	assert_int_equal(rename(moved, dir), 0);
	/* The retry of the daemon's tick, once the subscriber takes it again. */
	f->fail_from = 0;
	assert_int_equal(state_republish(f->st, &err), 0);
}

/* A reload that cannot be put in force leaves the previous state live, and in force. */
static void
test_reload_publish_refused(void **state)
{
	struct fixture *f = *state;
	struct err err = { "" };
	char text[2048];
	const struct db *db;

	assert_int_equal(change(f->st, &sa1, 1, &err), 0);
	db = state_db(f->st);
	(void)snprintf(text, sizeof(text), "%s\n%s\n", sa1, sa2);
	write_file(f->path, text);
	f->published = 0;
	f->fail_from = 1;
	assert_int_equal(state_reload(f->st, &err), -EIO);
	assert_string_equal(err.msg, "the data path refused publish 1");
	assert_ptr_equal(state_db(f->st), db);
	assert_int_equal(sad_count(db_sad(state_db(f->st))), 1);
	assert_int_equal(f->closed, 0);
	f->fail_from = 0;
	err_clear(&err);
	assert_int_equal(state_reload(f->st, &err), 0);
	assert_int_equal(sad_count(db_sad(state_db(f->st))), 2);
}

/* A rebuild under traffic. The packet threads keep reading the snapshot they hold until the new
 * one is published, and a rebuild (a refused batch, a failed write, a reload) makes new SA
 * objects: whatever the threads do on the old snapshot meanwhile must count for the new one.
 * The publish hook plays the threads during that moment: it sends one packet and accepts one
 * on the snapshot taken before the change. */
struct rebuild_run {
	struct state *st;
	struct engine *eng;   /* host A's packet threads */
	struct db_snap *held; /* the snapshot they read while the state is rebuilt */
	struct tl_host peer;  /* host B, which sends to A under "in" */
	struct tl_burst *b;
	uint32_t last_out; /* the highest sequence number A has sent */
	uint8_t esp[256];  /* the last packet A accepted from B, as received */
	uint32_t esp_len;
	struct esp_meta meta;
	int published;
};

static const char *const rebuild_conf[] = {
	"sa add --sa-name=out --sa-source=" TL_ADDR_A " --sa-destination=" TL_ADDR_B
	" --sa-spi=0x2001 --encryption-algorithm=aes128-cbc --encryption-key=" TL_KEY_AES
	" --integrity-algorithm=hmac-sha1 --integrity-key=" TL_KEY_SHA1,
	"sa add --sa-name=in --sa-source=" TL_ADDR_B " --sa-destination=" TL_ADDR_A
	" --sa-spi=0x2002 --encryption-algorithm=aes128-cbc --encryption-key=" TL_KEY_AES
	" --integrity-algorithm=hmac-sha1 --integrity-key=" TL_KEY_SHA1,
	"sp add --sp-name=pout --sp-source=" TL_ADDR_A "/128 --sp-destination=" TL_ADDR_B
	"/128 --flow-direction=out --action=ipsec --sa-name=out",
	"sp add --sp-name=pin --sp-source=" TL_ADDR_B "/128 --sp-destination=" TL_ADDR_A
	"/128 --flow-direction=in --action=ipsec --sa-name=in",
};

/* A sends one packet to B on snap: it is protected under a number above every earlier one. */
static void
rebuild_send(struct rebuild_run *r, const struct db_snap *snap)
{
	uint8_t pkt[256];
	uint32_t seq;

	tl_burst_set(r->b, 0, pkt,
	    tl_build_pkt(pkt, NULL, 0, IPPROTO_UDP, 40, 0, 0, 64, TL_ADDR_A, TL_ADDR_B));
	engine_out_burst(r->eng, snap, r->b->p, 1, r->b->res);
	assert_int_equal(r->b->res[0].verdict, ENGINE_PROTECT);
	seq = load_be32(pkt_data(&r->b->p[0]) + IPV6_HDR_LEN + 4);
	if (seq <= r->last_out)
		fail_msg("sequence number %u sent after %u", seq, r->last_out);
	r->last_out = seq;
}

/* B sends a new packet; A takes it in on snap, and keeps a copy. */
static void
rebuild_receive(struct rebuild_run *r, const struct db_snap *snap)
{
	uint8_t pkt[256];

	tl_burst_set(r->b, 0, pkt,
	    tl_build_pkt(pkt, NULL, 0, IPPROTO_UDP, 40, 0, 0, 64, TL_ADDR_B, TL_ADDR_A));
	engine_out_burst(r->peer.eng, r->peer.snap, r->b->p, 1, r->b->res);
	assert_int_equal(r->b->res[0].verdict, ENGINE_PROTECT);
	tl_to_esp(&r->b->p[0], &r->b->meta[0]);
	r->esp_len = r->b->p[0].len;
	assert_true(r->esp_len <= sizeof(r->esp));
	memcpy(r->esp, pkt_data(&r->b->p[0]), r->esp_len);
	r->meta = r->b->meta[0];
	engine_in_burst(r->eng, snap, r->b->p, r->b->meta, 1, r->b->res);
	assert_int_equal(r->b->res[0].verdict, ENGINE_DELIVER);
}

/* The copy of the last accepted packet, received again on snap: refused as a replay, counted. */
static void
rebuild_replay(struct rebuild_run *r, const struct db_snap *snap)
{
	struct sa *in = sad_snap_lookup_spi(snap->sad, 0x2002, &r->meta.dst, &r->meta.src);
	uint64_t before;

	assert_non_null(in);
	before = atomic_load(&in->live->drops[PKT_DROP_REPLAY]);
	tl_burst_set(r->b, 0, r->esp, r->esp_len);
	engine_in_burst(r->eng, snap, r->b->p, &r->meta, 1, r->b->res);
	assert_int_equal(r->b->res[0].verdict, ENGINE_DROP);
	assert_int_equal(r->b->res[0].drop, PKT_DROP_REPLAY);
	assert_int_equal(atomic_load(&in->live->drops[PKT_DROP_REPLAY]), before + 1);
}

static int
on_publish_rebuild(void *ctx, const struct db *db, struct err *err)
{
	struct rebuild_run *r = ctx;

	(void)db;
	(void)err;
	if (r->held == NULL)
		return 0; /* a change outside rebuild_step() */
	r->published++;
	rebuild_send(r, r->held);
	rebuild_receive(r, r->held);
	return 0;
}

/* One rebuild: before it, traffic both ways on the snapshot of now; during it (the hook, as
 * often as the state publishes), one packet each way on that snapshot still; after it, the
 * threads may be on either snapshot (a rollback publishes nothing: they stay on the old one):
 * the numbers go on from both, and the packet accepted last is refused as a replay by both. */
static void
rebuild_step(
    struct rebuild_run *r, int (*trigger)(struct fixture *f), struct fixture *f, int publishes)
{
	struct db_snap *now;

	r->held = db_snapshot(state_db(r->st));
	assert_non_null(r->held);
	rebuild_send(r, r->held);
	rebuild_receive(r, r->held);
	r->published = 0;
	trigger(f);
	assert_int_equal(r->published, publishes);
	now = db_snapshot(state_db(r->st));
	assert_non_null(now);
	rebuild_send(r, now);
	rebuild_send(r, r->held);
	rebuild_send(r, now);
	rebuild_replay(r, now);
	rebuild_replay(r, r->held);
	db_snap_free(now);
	db_snap_free(r->held);
	r->held = NULL;
}

/* A batch whose second line is refused after its first applied: rolled back. */
static int
rebuild_by_refusal(struct fixture *f)
{
	const char *const batch[] = { sa3, sa3 };
	struct err err = { "" };

	assert_int_equal(change(f->st, batch, 2, &err), -EEXIST);
	return 0;
}

/* A change whose write fails: rolled back. */
static int
rebuild_by_failed_write(struct fixture *f)
{
	struct err err = { "" };
	char dir[96], moved[96];

	(void)snprintf(dir, sizeof(dir), "%s/d", f->dir);
	(void)snprintf(moved, sizeof(moved), "%s/moved", f->dir);
	assert_int_equal(rename(dir, moved), 0);
	write_file(dir, "not a directory\n");
	assert_int_not_equal(change(f->st, &sa3, 1, &err), 0);
	assert_int_equal(unlink(dir), 0);
	assert_int_equal(rename(moved, dir), 0);
	return 0;
}

/* SIGHUP with the file as it is. */
static int
rebuild_by_reload(struct fixture *f)
{
	struct err err = { "" };

	assert_int_equal(state_reload(f->st, &err), 0);
	return 0;
}

static void
test_rebuild_under_traffic(void **state)
{
	struct fixture *f = *state;
	struct rebuild_run r = { .st = f->st };
	struct err err = { "" };
	char peer[2048] = "";

	state_set_hooks(f->st, &(struct state_hooks){ on_publish_rebuild, NULL, &r });
	assert_int_equal(change(f->st, rebuild_conf, 4, &err), 0);
	tl_text_sa(
	    peer, sizeof(peer), "in", TL_ADDR_B, TL_ADDR_A, 0x2002, "transport", TL_AES_SHA1);
	tl_text_line(peer, sizeof(peer),
	    "sp add --sp-name=o --sp-source=any --sp-destination=any --flow-direction=out "
	    "--action=ipsec --sa-name=in");
	tl_host_open(&r.peer, CRYPTO_BACKEND_OPENSSL, peer);
	assert_int_equal(engine_new(CRYPTO_BACKEND_OPENSSL, &r.eng, &err), 0);
	r.b = tl_burst_new();
	for (int round = 0; round < 3; round++) {
		rebuild_step(&r, rebuild_by_refusal, f, 0);
		/* Published (in force), then unwritten: the previous state published again. */
		rebuild_step(&r, rebuild_by_failed_write, f, 2);
		rebuild_step(&r, rebuild_by_reload, f, 1);
	}
	state_set_hooks(f->st, NULL);
	free(r.b);
	engine_free(r.eng);
	tl_host_close(&r.peer);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_change_applies_in_place, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_abort_restores_order_and_counters, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_refused_first_command_changes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_write_rolls_back, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_reload_carries_only_unchanged, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rekey_through_rebuilds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reload_refuses_broken_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reload_refuses_missing_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_start_refuses_broken_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rebuild_under_traffic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_publish_refused_rolls_back, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_unwritten_change_is_withdrawn, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reload_publish_refused, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
