// SPDX-License-Identifier: MIT
/* words: each table is what the SAD and SPD parse and print (by enum, both ways), and what the
 * command grammar offers for completion as the values of its options: exactly the words a
 * parse accepts, so that completion can never offer a value the daemon refuses, nor leave one
 * out. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ipsec6/algo.h"
#include "ipsec6/cmd_opts.h"
#include "ipsec6/sad.h"
#include "ipsec6/spd.h"
#include "ipsec6/words.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define OFFERED_MAX  16

struct offered {
	const char *word[OFFERED_MAX];
	size_t n;
};

static void
collect(void *ctx, const char *word)
{
	struct offered *o = ctx;

	assert_true(o->n < OFFERED_MAX);
	o->word[o->n++] = word;
}

static struct offered
offered(enum cmd_opt_values v)
{
	struct offered o = { { NULL }, 0 };

	cmd_opts_values_each(v, collect, &o);
	return o;
}

static void
test_words_modes_parse_and_print(void **state)
{
	enum sa_mode m;

	for (size_t i = 0; i < ARRAY_LEN(words_sa_mode); i++) {
		assert_int_equal(sa_mode_parse(words_sa_mode[i], "SA mode", &m, NULL), 0);
		assert_int_equal(m, i);
		assert_string_equal(sa_mode_name((enum sa_mode)i), words_sa_mode[i]);
	}
	assert_string_equal(words_sa_mode[SA_MODE_TUNNEL], "tunnel");
}

static void
test_words_policy_words_parse_and_print(void **state)
{
	enum sp_dir dir;
	enum sp_action action;
	int proto;

	for (size_t i = 0; i < ARRAY_LEN(words_sp_dir); i++) {
		assert_int_equal(sp_dir_parse(words_sp_dir[i], &dir, NULL), 0);
		assert_int_equal(dir, i);
		assert_string_equal(sp_dir_name(dir), words_sp_dir[i]);
	}
	for (size_t i = 0; i < ARRAY_LEN(words_sp_action); i++) {
		assert_int_equal(sp_action_parse(words_sp_action[i], &action, NULL), 0);
		assert_int_equal(action, i);
		assert_string_equal(sp_action_name(action), words_sp_action[i]);
	}
	for (size_t i = 0; i < ARRAY_LEN(words_sp_proto); i++) {
		assert_int_equal(sp_proto_parse(words_sp_proto[i].name, &proto, NULL), 0);
		assert_int_equal(proto, words_sp_proto[i].proto);
		assert_string_equal(sp_proto_name(proto), words_sp_proto[i].name);
	}
	assert_int_equal(sp_proto_parse("icmp6", &proto, NULL), 0);
	assert_int_equal(proto, IPPROTO_ICMPV6);
}

/* What completion offers is what the parsers take: every word parses, and every enumerator
 * the parser can return is offered. */
static void
test_words_values_offered_are_the_parsers(void **state)
{
	struct offered o = offered(CMD_VALUES_ENC);
	enum algo_enc enc;
	enum algo_auth auth;

	assert_int_equal(o.n, ALGO_ENC__COUNT);
	for (size_t i = 0; i < o.n; i++) {
		assert_int_equal(algo_enc_lookup(o.word[i], &enc, NULL), 0);
		assert_int_equal(enc, i);
	}
	o = offered(CMD_VALUES_AUTH);
	assert_int_equal(o.n, ALGO_AUTH__COUNT - 1); /* ALGO_AUTH_NONE is never typed */
	for (size_t i = 0; i < o.n; i++) {
		assert_int_equal(algo_auth_lookup(o.word[i], &auth, NULL), 0);
		assert_int_equal(auth, i);
	}
	assert_string_equal(o.word[3], "hmac-sha2-512");
	o = offered(CMD_VALUES_MODE);
	assert_int_equal(o.n, ARRAY_LEN(words_sa_mode));
	assert_ptr_equal(o.word[1], words_sa_mode[1]);
	o = offered(CMD_VALUES_DIR);
	assert_int_equal(o.n, ARRAY_LEN(words_sp_dir));
	o = offered(CMD_VALUES_ACTION);
	assert_int_equal(o.n, ARRAY_LEN(words_sp_action));
	assert_string_equal(o.word[2], "ipsec");
	o = offered(CMD_VALUES_PROTO);
	assert_int_equal(o.n, ARRAY_LEN(words_sp_proto));
	assert_string_equal(o.word[3], "icmp6");
}

static void
test_words_other_kinds(void **state)
{
	struct offered o = offered(CMD_VALUES_ANY);

	assert_int_equal(o.n, 1);
	assert_string_equal(o.word[0], "any");
	o = offered(CMD_VALUES_SA_AUTO);
	assert_int_equal(o.n, 1);
	assert_string_equal(o.word[0], "auto");
	/* The daemon's names, files and formatters are the CLI's to offer. */
	assert_int_equal(offered(CMD_VALUES_TEXT).n, 0);
	assert_int_equal(offered(CMD_VALUES_SA_NAME).n, 0);
	assert_int_equal(offered(CMD_VALUES_SP_NAME).n, 0);
	assert_int_equal(offered(CMD_VALUES_FILE).n, 0);
	assert_int_equal(offered(CMD_VALUES_FORMATTER).n, 0);
}

/* The grammar's rows say what their values are: the ones the parser reads from a table. */
static void
test_words_grammar_rows_name_their_values(void **state)
{
	size_t n;
	const struct cmd_opt *sa = cmd_options(CMD_SA_ADD, &n);
	const struct cmd_opt *sp = cmd_options(CMD_SP_ADD, &n);
	const struct cmd_opt *sa_rm = cmd_options(CMD_SA_REMOVE, &n);
	const struct cmd_opt *sp_rm = cmd_options(CMD_SP_REMOVE, &n);

	assert_int_equal(sa[CMD_SA_ADD_ENC].values, CMD_VALUES_ENC);
	assert_int_equal(sa[CMD_SA_ADD_AUTH].values, CMD_VALUES_AUTH);
	assert_int_equal(sa[CMD_SA_ADD_MODE].values, CMD_VALUES_MODE);
	assert_int_equal(sa[CMD_SA_ADD_SRC].values, CMD_VALUES_ANY);
	assert_int_equal(sa[CMD_SA_ADD_ENC_KEY_FILE].values, CMD_VALUES_FILE);
	assert_int_equal(sa[CMD_SA_ADD_NAME].values, CMD_VALUES_TEXT);    /* a new name */
	assert_int_equal(sa[CMD_SA_ADD_ENC_KEY].values, CMD_VALUES_TEXT); /* never offered */
	assert_int_equal(sp[CMD_SP_ADD_DIR].values, CMD_VALUES_DIR);
	assert_int_equal(sp[CMD_SP_ADD_ACTION].values, CMD_VALUES_ACTION);
	assert_int_equal(sp[CMD_SP_ADD_PROTO].values, CMD_VALUES_PROTO);
	assert_int_equal(sp[CMD_SP_ADD_MODE].values, CMD_VALUES_MODE);
	assert_int_equal(sp[CMD_SP_ADD_SA_NAME].values, CMD_VALUES_SA_NAME);
	assert_int_equal(sp[CMD_SP_ADD_DPORT].values, CMD_VALUES_ANY);
	assert_int_equal(sa_rm[CMD_SA_REMOVE_NAME].values, CMD_VALUES_SA_AUTO);
	assert_int_equal(sp_rm[CMD_SP_REMOVE_NAME].values, CMD_VALUES_SP_NAME);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words_modes_parse_and_print),
		cmocka_unit_test(test_words_policy_words_parse_and_print),
		cmocka_unit_test(test_words_values_offered_are_the_parsers),
		cmocka_unit_test(test_words_other_kinds),
		cmocka_unit_test(test_words_grammar_rows_name_their_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
