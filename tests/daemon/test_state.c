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

#include "ipsec6/cmd.h"
#include "state.h"

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
};

static void
on_publish(void *ctx, const struct db *db)
{
	struct fixture *f = ctx;
	struct db_snap *snap = db_snapshot(db);

	/* What the data path does with it: the snapshot sees the SAs. */
	assert_non_null(snap);
	assert_non_null(sad_snap_lookup_spi(snap->sad, 0x1001, &sad_at(db_sad(db), 0)->dst, NULL));
	f->published++;
	db_snap_free(snap);
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
	state_set_publish(f->st, on_publish, f);
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
	int rc = state_txn_begin(st);

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
	atomic_store(&s1->seq_out, 1234);
	assert_int_equal(change(f->st, &sa2, 1, &err), 0);
	assert_ptr_equal(sa_named(f->st, "s1"), s1);
	assert_int_equal(atomic_load(&s1->seq_out), 1234);
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
	atomic_store(&s1->seq_out, 99);
	s1->replay.top = 77;
	read_file(f->path, before, sizeof(before));
	f->published = 0;
	assert_int_equal(change(f->st, txn, 3, &err), -ENOENT);
	assert_string_equal(err.msg, "policy 'nosuch' does not exist");
	assert_int_equal(sad_count(db_sad(state_db(f->st))), 2);
	assert_string_equal(sad_at(db_sad(state_db(f->st)), 0)->name, "s1");
	assert_string_equal(sad_at(db_sad(state_db(f->st)), 1)->name, "s2");
	assert_null(sa_named(f->st, "s3"));
	s1 = sa_named(f->st, "s1");
	assert_int_equal(atomic_load(&s1->seq_out), 99);
	assert_int_equal(s1->replay.top, 77);
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
	atomic_store(&sa_named(f->st, "s1")->seq_out, 5);
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
	assert_int_equal(atomic_load(&s1->seq_out), 5);
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
	atomic_store(&sa_named(f->st, "s1")->seq_out, 5);
	atomic_store(&sa_named(f->st, "s2")->seq_out, 6);
	/* s1 as it was, s2 with another key, s3 new. */
	(void)snprintf(text, sizeof(text),
	    "%s\nsa add -n s2 -s any -d any -p 0x1002 -e null -i hmac-sha1 -K " KEY20B "\n%s\n",
	    sa1, sa3);
	write_file(f->path, text);
	f->published = 0;
	assert_int_equal(state_reload(f->st, &err), 0);
	assert_int_equal(f->published, 1);
	assert_int_equal(atomic_load(&sa_named(f->st, "s1")->seq_out), 5);
	assert_int_equal(atomic_load(&sa_named(f->st, "s2")->seq_out), 0);
	assert_int_equal(atomic_load(&sa_named(f->st, "s3")->seq_out), 0);
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
		cmocka_unit_test_setup_teardown(test_reload_refuses_broken_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reload_refuses_missing_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_start_refuses_broken_file, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
