// SPDX-License-Identifier: MIT
/* The rules that span the SAD and the SPD: policies name existing SAs, an SA in use is not
 * removed (and the message names its users), remove-all leaves policies that discard and that
 * bind again when the SA returns, removal by tuple, and snapshots of both. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ipsec6/addr.h"
#include "ipsec6/db.h"

#define SA_TAIL " -e null -i hmac-sha1 -K 01234567890123456789"

/* Parse and apply one command line. */
static int
run(struct db *db, const char *line, struct err *err)
{
	char buf[1024];
	char *argv[64];
	size_t argc;
	struct cmd cmd;
	int rc;

	snprintf(buf, sizeof(buf), "%s", line);
	assert_int_equal(cmd_split(buf, argv, 64, &argc, NULL), 0);
	rc = cmd_parse(argc, argv, &cmd, err);
	if (rc != 0)
		fail_msg("'%s' does not parse: %s", line, err != NULL ? err->msg : "");
	rc = db_apply(db, &cmd, err);
	cmd_fini(&cmd);
	return rc;
}

static void
run_ok(struct db *db, const char *line)
{
	struct err err = { "" };

	if (run(db, line, &err) != 0)
		fail_msg("'%s': %s", line, err.msg);
}

static void
run_refused(struct db *db, const char *line, int rc, const char *msg)
{
	struct err err = { "" };
	int got = run(db, line, &err);

	if (got != rc || strcmp(err.msg, msg) != 0)
		fail_msg("'%s': got %d '%s', want %d '%s'", line, got, err.msg, rc, msg);
}

static struct db *
db_with_sa_2(void)
{
	struct db *db = db_new(CRYPTO_BACKEND_OPENSSL);

	assert_non_null(db);
	run_ok(db, "sa add -n sa_2 -s 2001:db8::1 -d 2001:db8::2 -p 0x1000" SA_TAIL);
	return db;
}

static void
test_sp_add_binds_the_named_sa(void **state)
{
	struct db *db = db_with_sa_2();
	struct sa *sa = sad_lookup_name(db_sad(db), "sa_2");
	struct sp *sp;

	run_ok(db, "sp add -n sp_2 -s any -d any -w out -A ipsec -a sa_2");
	sp = spd_lookup_name(db_spd(db), "sp_2");
	assert_non_null(sp);
	assert_ptr_equal(sp->sa, sa);
	assert_int_equal(sa->users, 1);
	assert_int_equal(sp->mode, SA_MODE_TRANSPORT);
	run_refused(db, "sp add -n sp_3 -s any -d any -w out -A ipsec -a sa_9", -ENOENT,
	    "SA 'sa_9' does not exist");
	assert_null(spd_lookup_name(db_spd(db), "sp_3"));
	/* Without --sa-name, action ipsec selects an SA per packet. */
	run_ok(db, "sp add -n sp_3 -s any -d any -w out -A ipsec");
	assert_null(spd_lookup_name(db_spd(db), "sp_3")->sa);
	db_free(db);
}

static void
test_sa_add_moves_the_keys_into_the_db(void **state)
{
	struct db *db = db_new(CRYPTO_BACKEND_OPENSSL);
	char line[] = "sa add -n a -s any -d any -p 0x1000" SA_TAIL;
	char *argv[64];
	size_t argc;
	struct cmd cmd;
	struct secret *key;

	assert_int_equal(cmd_split(line, argv, 64, &argc, NULL), 0);
	assert_int_equal(cmd_parse(argc, argv, &cmd, NULL), 0);
	key = cmd.sa.auth_key;
	assert_int_equal(db_apply(db, &cmd, NULL), 0);
	assert_null(cmd.sa.auth_key);
	assert_ptr_equal(sad_lookup_name(db_sad(db), "a")->auth_key, key);
	cmd_fini(&cmd);
	db_free(db);
}

static void
test_sa_in_use_is_not_removed_and_users_are_named(void **state)
{
	struct db *db = db_with_sa_2();

	run_ok(db, "sp add -n sp_2 -s any -d any -w out -A ipsec -a sa_2");
	run_refused(db, "sa remove -n sa_2", -EBUSY, "SA 'sa_2' is in use by policy: sp_2");
	run_ok(db, "sp add -n other -s any -d any -w in -A none");
	run_ok(db, "sp add -n sp_3 -s any -d any -w in -A ipsec -a sa_2");
	run_refused(db, "sa remove -n sa_2", -EBUSY, "SA 'sa_2' is in use by policies: sp_2, sp_3");
	run_refused(db, "sa remove -n auto -s 2001:db8::1 -d 2001:db8::2 -p 0x1000", -EBUSY,
	    "SA 'sa_2' is in use by policies: sp_2, sp_3");
	assert_non_null(sad_lookup_name(db_sad(db), "sa_2"));
	run_ok(db, "sp remove -n sp_2");
	run_ok(db, "sp remove -n sp_3");
	assert_int_equal(sad_lookup_name(db_sad(db), "sa_2")->users, 0);
	run_ok(db, "sa remove -n sa_2");
	assert_null(sad_lookup_name(db_sad(db), "sa_2"));
	db_free(db);
}

/* A long list of users ends in "and N more" and the reason is never cut mid-name. */
static void
test_many_users_are_summarised(void **state)
{
	struct db *db = db_with_sa_2();
	struct err err = { "" };
	char line[256];
	const char *more;
	const char *prefix;
	int listed = 0, rest = 0;

	for (int i = 0; i < 40; i++) {
		snprintf(line, sizeof(line),
		    "sp add -n policy_with_a_long_name_%02d -s any -d any -w out -A ipsec -a sa_2",
		    i);
		run_ok(db, line);
	}
	assert_int_equal(run(db, "sa remove -n sa_2", &err), -EBUSY);
	prefix = "SA 'sa_2' is in use by policies: policy_with_a_long_name_00, "
		 "policy_with_a_long_name_01, ";
	assert_memory_equal(err.msg, prefix, strlen(prefix));
	/* Every policy is accounted for: the names that fit, then how many more. */
	more = strrchr(err.msg, ',');
	assert_non_null(more);
	assert_int_equal(sscanf(strstr(more, " and ") + 5, "%d more", &rest), 1);
	for (const char *p = err.msg; (p = strstr(p, "policy_with_a_long_name_")) != NULL; p++)
		listed++;
	assert_int_equal(listed + rest, 40);
	assert_true(rest > 0);
	assert_true(strlen(err.msg) < ERR_MSG_MAX);
	db_free(db);
}

static void
test_unknown_names(void **state)
{
	struct db *db = db_with_sa_2();

	run_refused(db, "sa remove -n nope", -ENOENT, "SA 'nope' does not exist");
	run_refused(db, "sp remove -n nope", -ENOENT, "policy 'nope' does not exist");
	run_refused(db, "sa remove -n auto -s 2001:db8::1 -d any -p 0x1000", -ENOENT,
	    "no SA with source 2001:db8::1, destination any and SPI 0x1000 exists");
	run_refused(db, "sa remove -n auto -s any -d 2001:DB8::2 -p 0x1000", -ENOENT,
	    "no SA with source any, destination 2001:db8::2 and SPI 0x1000 exists");
	db_free(db);
}

static void
test_remove_by_tuple_whatever_the_name(void **state)
{
	struct db *db = db_with_sa_2();

	run_ok(db, "sa add -n wild -s any -d any -p 0x1000" SA_TAIL);
	run_ok(db, "sa remove -n auto -s 2001:db8:0::1 -d 2001:db8::2 -p 0x01000");
	assert_null(sad_lookup_name(db_sad(db), "sa_2"));
	assert_non_null(sad_lookup_name(db_sad(db), "wild"));
	run_ok(db, "sa remove -n auto -s any -d any -p 0x1000");
	assert_int_equal(sad_count(db_sad(db)), 0);
	db_free(db);
}

static void
test_remove_all_leaves_discarding_policies_that_rebind(void **state)
{
	struct db *db = db_with_sa_2();
	struct sp *sp;
	struct sa *sa;

	run_ok(db, "sa add -n t -s any -d any -p 0x2000 -m tunnel" SA_TAIL);
	run_ok(db, "sp add -n sp_2 -s any -d any -w out -A ipsec -a sa_2");
	run_ok(db, "sp add -n sp_t -s any -d any -w out -A ipsec -a t");
	run_ok(db, "sa remove --remove-all");
	assert_int_equal(sad_count(db_sad(db)), 0);
	assert_int_equal(spd_count(db_spd(db)), 2);
	sp = spd_lookup_name(db_spd(db), "sp_2");
	assert_null(sp->sa);
	assert_string_equal(sp->sa_name, "sa_2");
	assert_null(spd_lookup_name(db_spd(db), "sp_t")->sa);
	assert_int_equal(spd_lookup_name(db_spd(db), "sp_t")->mode, SA_MODE_TUNNEL);

	/* An SA of that name comes back: the policy protects again. */
	run_ok(db, "sa add -n sa_2 -s any -d any -p 0x3000" SA_TAIL);
	sa = sad_lookup_name(db_sad(db), "sa_2");
	assert_ptr_equal(sp->sa, sa);
	assert_int_equal(sa->users, 1);
	run_refused(db, "sa remove -n sa_2", -EBUSY, "SA 'sa_2' is in use by policy: sp_2");

	/* An SA of the name but not the mode would leave the policy protecting nothing. */
	run_refused(db, "sa add -n t -s any -d any -p 0x4000" SA_TAIL, -EINVAL,
	    "policy 'sp_t' uses SA 't' in tunnel mode, not transport mode");
	assert_null(sad_lookup_name(db_sad(db), "t"));
	run_ok(db, "sa add -n t -s any -d any -p 0x4000 -m tunnel" SA_TAIL);
	assert_ptr_equal(spd_lookup_name(db_spd(db), "sp_t")->sa, sad_lookup_name(db_sad(db), "t"));
	db_free(db);
}

static void
test_dangling_policy_names_a_missing_sa(void **state)
{
	struct db *db = db_new(CRYPTO_BACKEND_OPENSSL);
	struct sp *sp;

	run_refused(db, "sp add -n p -s any -d any -w out -A ipsec -a later", -ENOENT,
	    "SA 'later' does not exist");
	run_ok(db, "sp add -n p -s any -d any -w out -A ipsec -a later --dangling -m tunnel");
	sp = spd_lookup_name(db_spd(db), "p");
	assert_null(sp->sa);
	assert_string_equal(sp->sa_name, "later");
	run_ok(db, "sa add -n later -s any -d any -p 0x1000 -m tunnel" SA_TAIL);
	assert_ptr_equal(sp->sa, sad_lookup_name(db_sad(db), "later"));
	/* --dangling only permits absence: an existing SA is bound as usual. */
	run_ok(db, "sp add -n q -s any -d any -w in -A ipsec -a later --dangling");
	assert_ptr_equal(
	    spd_lookup_name(db_spd(db), "q")->sa, sad_lookup_name(db_sad(db), "later"));
	assert_int_equal(spd_lookup_name(db_spd(db), "q")->mode, SA_MODE_TUNNEL);
	db_free(db);
}

static void
test_sp_remove_all_frees_the_sas(void **state)
{
	struct db *db = db_with_sa_2();

	run_ok(db, "sp add -n sp_2 -s any -d any -w out -A ipsec -a sa_2");
	run_ok(db, "sp add -n sp_3 -s any -d any -w in -A discard");
	run_ok(db, "sp remove -a");
	assert_int_equal(spd_count(db_spd(db)), 0);
	assert_int_equal(sad_lookup_name(db_sad(db), "sa_2")->users, 0);
	run_ok(db, "sa remove -n sa_2");
	db_free(db);
}

static void
test_refusals_of_the_parts_pass_through(void **state)
{
	struct db *db = db_with_sa_2();

	run_refused(db, "sa add -n sa_2 -s any -d any -p 0x2000" SA_TAIL, -EEXIST,
	    "SA 'sa_2' already exists");
	run_refused(db, "sa add -n x -s 2001:db8::1 -d 2001:db8::2 -p 0x1000" SA_TAIL, -EEXIST,
	    "an SA with source 2001:db8::1, destination 2001:db8::2 and SPI 0x1000 already "
	    "exists");
	run_ok(db, "sp add -n p -s any -d any -w in -A none");
	run_refused(
	    db, "sp add -n p -s any -d any -w in -A none", -EEXIST, "policy 'p' already exists");
	run_refused(db, "sp add -n q -s any -d any -w out -A ipsec -a sa_2 -m tunnel", -EINVAL,
	    "policy mode 'tunnel' does not match SA 'sa_2' (transport)");
	assert_int_equal(sad_lookup_name(db_sad(db), "sa_2")->users, 0);
	run_refused(db, "sa list", -EINVAL, "'sa list' does not change anything");
	run_refused(db, "sp list", -EINVAL, "'sp list' does not change anything");
	db_free(db);
}

static void
test_snapshot_holds_both_tables(void **state)
{
	struct db *db = db_with_sa_2();
	struct in6_addr dst;
	struct db_snap *snap;
	struct sa *sa;

	assert_int_equal(addr_parse("2001:db8::2", &dst, NULL), 0);
	run_ok(db, "sp add -n sp_2 -s any -d any -w out -A ipsec -a sa_2");
	snap = db_snapshot(db);
	assert_non_null(snap);
	assert_non_null(snap->sad);
	assert_non_null(snap->spd);
	run_ok(db, "sp remove -a");
	run_ok(db, "sa remove -a");
	/* The snapshot still has what the database had. */
	sa = sad_snap_lookup_spi(snap->sad, 0x1000, &dst, NULL);
	assert_non_null(sa);
	assert_string_equal(sa->name, "sa_2");
	db_snap_free(snap);
	db_snap_free(NULL);
	db_free(db);
	db_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sp_add_binds_the_named_sa),
		cmocka_unit_test(test_sa_add_moves_the_keys_into_the_db),
		cmocka_unit_test(test_sa_in_use_is_not_removed_and_users_are_named),
		cmocka_unit_test(test_many_users_are_summarised),
		cmocka_unit_test(test_unknown_names),
		cmocka_unit_test(test_remove_by_tuple_whatever_the_name),
		cmocka_unit_test(test_remove_all_leaves_discarding_policies_that_rebind),
		cmocka_unit_test(test_dangling_policy_names_a_missing_sa),
		cmocka_unit_test(test_sp_remove_all_frees_the_sas),
		cmocka_unit_test(test_refusals_of_the_parts_pass_through),
		cmocka_unit_test(test_snapshot_holds_both_tables),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
