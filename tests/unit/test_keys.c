// SPDX-License-Identifier: MIT
/* cli/keys.c: keys_argv_copy() wipes from argv exactly the words the option parser takes as key
 * values, in every grammar and spelling, and copies every word as it was; key files. */
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

#include "ipsec6/cmd_opts.h"
#include "keys.h"

#define WORDS_MAX 16

/* Run keys_argv_copy() over words (NULL-terminated): word i must be wiped in argv from byte
 * from[i] on (-1: untouched), and copied as it was. */
static void
check_wipe(const char *const *words, const int *from)
{
	char *argv[WORDS_MAX + 1] = { NULL };
	char **copy;
	int argc = 0;

	while (words[argc] != NULL) {
		argv[argc] = strdup(words[argc]);
		assert_non_null(argv[argc]);
		argc++;
	}
	copy = keys_argv_copy(argc, argv);
	assert_non_null(copy);
	for (int i = 0; i < argc; i++) {
		size_t len = strlen(words[i]);
		size_t keep = from[i] < 0 ? len : (size_t)from[i];

		assert_string_equal(copy[i], words[i]);
		if (memcmp(argv[i], words[i], keep) != 0)
			fail_msg("word %d '%s' is wiped, but holds no key", i, words[i]);
		for (size_t j = keep; j < len; j++) {
			if (argv[i][j] != '\0')
				fail_msg(
				    "word %d: the key '%s' is still in argv", i, words[i] + keep);
		}
	}
	assert_null(copy[argc]);
	keys_argv_free(argc, copy);
	for (int i = 0; i < argc; i++)
		free(argv[i]);
}

static void
test_keys_every_spelling(void **state)
{
	static const char *const esxcli[] = { "esxcli", "network", "ip", "ipsec", "sa", "add", "-k",
		"KEYA", "-K=KEYB", "--encryption-key", "KEYC", "--integrity-key=KEYD", "-n", "x",
		NULL };
	static const int esxcli_from[] = { -1, -1, -1, -1, -1, -1, -1, 0, 3, -1, 0, 16, -1, -1 };
	static const char *const vicfg[] = { "vicfg-ipsec", "--ekey", "KEYE", "--ikey=KEYF",
		"--ekey-file", "f", "x", NULL };
	static const int vicfg_from[] = { -1, -1, 0, 7, -1, -1, -1 };

	check_wipe(esxcli, esxcli_from);
	check_wipe(vicfg, vicfg_from);
}

/* A key option followed by a word that looks like an option has no value: the parser reads
 * that word as an option (cmd_opts_read(): "-K must have value"), so its value is the key. */
static void
test_keys_option_after_key_option(void **state)
{
	static const char *const swallow[] = { "ipsec6", "sa", "add", "-K", "-k", "KEYA", NULL };
	static const int swallow_from[] = { -1, -1, -1, -1, -1, 0 };
	static const char *const swallow_eq[] = { "ipsec6", "-k", "--integrity-key=KEYB", "--ekey",
		"-K", "KEYC", "--ikey", NULL };
	static const int swallow_eq_from[] = { -1, -1, 16, -1, -1, 0, -1 };
	/* "-" alone is no option: it is a value, and a key. */
	static const char *const dash[] = { "ipsec6", "-k", "-", "-K", NULL };
	static const int dash_from[] = { -1, -1, 0, -1 };

	assert_true(cmd_opts_is_option("-k"));
	check_wipe(swallow, swallow_from);
	check_wipe(swallow_eq, swallow_eq_from);
	check_wipe(dash, dash_from);
}

/* The value after '=' is the key, whatever it looks like; an empty one wipes nothing. */
static void
test_keys_inline(void **state)
{
	static const char *const words[] = { "ipsec6", "-k=", "-K=-k", "KEYA", "--ekeyX", "KEYB",
		NULL };
	static const int from[] = { -1, 3, 3, -1, -1, -1 };

	check_wipe(words, from);
}

static void
test_keys_file(void **state)
{
	char path[] = "/tmp/test_keys.XXXXXX";
	int fd = mkstemp(path);
	struct proto_buf out = { 0 };
	struct err e = { { 0 } };

	assert_true(fd >= 0);
	assert_int_equal(write(fd, "0xabcd\r\n", 8), 8);
	assert_int_equal(keys_read_file(path, "encryption key", &out, &e), 0);
	assert_int_equal(out.len, 6);
	assert_memory_equal(out.data, "0xabcd", 6);
	proto_buf_fini(&out);
	assert_int_equal(write(fd, "second\n", 7), 7);
	assert_int_equal(keys_read_file(path, "encryption key", &out, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "more than one line"));
	proto_buf_fini(&out);
	(void)close(fd);
	(void)unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys_every_spelling),
		cmocka_unit_test(test_keys_option_after_key_option),
		cmocka_unit_test(test_keys_inline),
		cmocka_unit_test(test_keys_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
