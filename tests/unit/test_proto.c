// SPDX-License-Identifier: MIT
/* The control protocol codec: buffers, word quoting (undone by cmd_split), request framing
 * with its limits, status lines and record lines. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ipsec6/cmd.h"
#include "proto.h"

static void
test_buf_append_keeps_nul_terminated(void **state)
{
	struct proto_buf b = { NULL, 0, 0 };

	assert_int_equal(proto_buf_append(&b, "ab", 2), 0);
	assert_int_equal(proto_buf_append(&b, "", 0), 0);
	assert_int_equal(proto_buf_append(&b, "cd", 2), 0);
	assert_int_equal(b.len, 4);
	assert_string_equal(b.data, "abcd");
	proto_buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	proto_buf_fini(&b);
	assert_null(b.data);
	assert_int_equal(b.cap, 0);
	proto_buf_fini(&b); /* twice is harmless */
}

static void
test_buf_grows_past_many_blocks(void **state)
{
	struct proto_buf b = { NULL, 0, 0 };
	char chunk[1000];

	memset(chunk, 'x', sizeof(chunk));
	for (int i = 0; i < 1000; i++)
		assert_int_equal(proto_buf_append(&b, chunk, sizeof(chunk)), 0);
	assert_int_equal(b.len, 1000000);
	assert_true(b.cap > b.len);
	assert_int_equal(b.data[b.len], '\0');
	assert_int_equal(b.data[999999], 'x');
	proto_buf_fini(&b);
}

static void
test_buf_printf_short_and_long(void **state)
{
	struct proto_buf b = { NULL, 0, 0 };
	char big[5000];

	memset(big, 'y', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(proto_buf_printf(&b, "n=%d ", 42), 0);
	assert_int_equal(proto_buf_printf(&b, "%s", big), 0);
	assert_int_equal(proto_buf_printf(&b, "%s", "!"), 0);
	assert_int_equal(b.len, 5 + 4999 + 1);
	assert_memory_equal(b.data, "n=42 yyy", 8);
	assert_int_equal(b.data[b.len - 1], '!');
	assert_int_equal(b.data[b.len], '\0');
	proto_buf_fini(&b);
}

/* proto_quote_word() output, split by cmd_split(), gives the word back. */
static void
test_quote_word_round_trips_through_cmd_split(void **state)
{
	static const char *const words[] = {
		"sa",
		"--sa-name=sa_2",
		"2001:db8::1/64",
		"0x00ff",
		"",
		" ",
		"two words",
		"tab\there",
		"it's",
		"\"double\"",
		"back\\slash",
		"#not-a-comment",
		"a#b",
		"$HOME",
		"semi;colon",
		"trailing\\",
		"'",
		"\xc3\xa9t\xc3\xa9",
		"-",
		"=",
		"a\rb",
		"v\vf\f",
	};
	struct err err = { "" };

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		struct proto_buf b = { NULL, 0, 0 };
		char *argv[4];
		size_t argc = 0;

		assert_int_equal(proto_buf_append(&b, "x ", 2), 0);
		assert_int_equal(proto_quote_word(&b, words[i]), 0);
		assert_int_equal(proto_buf_append(&b, " y", 2), 0);
		assert_int_equal(cmd_split(b.data, argv, 4, &argc, &err), 0);
		assert_int_equal(argc, 3);
		assert_string_equal(argv[0], "x");
		assert_string_equal(argv[1], words[i]);
		assert_string_equal(argv[2], "y");
		proto_buf_fini(&b);
	}
}

static void
test_quote_word_leaves_plain_words_alone(void **state)
{
	struct proto_buf b = { NULL, 0, 0 };

	assert_int_equal(proto_quote_word(&b, "--sa-source=2001:db8::1"), 0);
	assert_string_equal(b.data, "--sa-source=2001:db8::1");
	proto_buf_reset(&b);
	assert_int_equal(proto_quote_word(&b, ""), 0);
	assert_string_equal(b.data, "''");
	proto_buf_reset(&b);
	assert_int_equal(proto_quote_word(&b, "a b"), 0);
	assert_string_equal(b.data, "a\\ b");
	proto_buf_fini(&b);
}

/* Feed text in pieces of step bytes; returns the last state. */
static enum proto_feed
feed_steps(struct proto_request *r, const char *text, size_t len, size_t step)
{
	enum proto_feed st = PROTO_FEED_MORE;

	for (size_t off = 0; off < len && st == PROTO_FEED_MORE; off += step) {
		size_t n = len - off < step ? len - off : step;

		st = proto_request_feed(r, text + off, n);
	}
	return st;
}

static void
test_request_ends_at_empty_line_in_any_split(void **state)
{
	static const char text[] = "sa list\r\nsp list\n\nignored after the end\n";

	for (size_t step = 1; step <= sizeof(text); step++) {
		struct proto_request r = { { NULL, 0, 0 }, 0 };
		size_t pos = 0;

		assert_int_equal(feed_steps(&r, text, sizeof(text) - 1, step), PROTO_FEED_DONE);
		assert_string_equal(proto_request_next_line(&r, &pos), "sa list");
		assert_string_equal(proto_request_next_line(&r, &pos), "sp list");
		assert_null(proto_request_next_line(&r, &pos));
		proto_request_fini(&r);
	}
}

static void
test_request_crlf_empty_line_ends_it(void **state)
{
	struct proto_request r = { { NULL, 0, 0 }, 0 };
	size_t pos = 0;

	assert_int_equal(proto_request_feed(&r, "save\r\n\r\n", 8), PROTO_FEED_DONE);
	assert_string_equal(proto_request_next_line(&r, &pos), "save");
	assert_null(proto_request_next_line(&r, &pos));
	proto_request_fini(&r);
}

static void
test_request_complete_at_eof_without_empty_line(void **state)
{
	struct proto_request r = { { NULL, 0, 0 }, 0 };
	size_t pos = 0;

	assert_int_equal(proto_request_feed(&r, "sa list\nsp li", 13), PROTO_FEED_MORE);
	assert_int_equal(proto_request_feed(&r, "st", 2), PROTO_FEED_MORE);
	assert_int_equal(proto_request_eof(&r), PROTO_FEED_DONE);
	assert_string_equal(proto_request_next_line(&r, &pos), "sa list");
	assert_string_equal(proto_request_next_line(&r, &pos), "sp list");
	assert_null(proto_request_next_line(&r, &pos));
	proto_request_fini(&r);
}

static void
test_request_empty_at_eof_is_bad(void **state)
{
	struct proto_request r = { { NULL, 0, 0 }, 0 };

	assert_int_equal(proto_request_eof(&r), PROTO_FEED_BAD);
	proto_request_fini(&r);
}

static void
test_request_first_line_empty_is_done_with_no_lines(void **state)
{
	struct proto_request r = { { NULL, 0, 0 }, 0 };
	size_t pos = 0;

	assert_int_equal(proto_request_feed(&r, "\n", 1), PROTO_FEED_DONE);
	assert_null(proto_request_next_line(&r, &pos));
	proto_request_fini(&r);
}

static void
test_request_refuses_nul_and_control_bytes(void **state)
{
	static const struct {
		const char *text;
		size_t len;
	} cases[] = {
		{ "sa li\0st\n", 9 },
		{ "\0", 1 },
		{ "sa list\x01\n", 9 },
		{ "sa\x1b[31m list\n", 13 },
		{ "sa list\x7f\n", 9 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct proto_request r = { { NULL, 0, 0 }, 0 };

		assert_int_equal(
		    proto_request_feed(&r, cases[i].text, cases[i].len), PROTO_FEED_BAD);
		proto_request_fini(&r);
	}
}

static void
test_request_line_limit_is_exact(void **state)
{
	char *line = malloc(PROTO_LINE_MAX + 2);
	struct proto_request r = { { NULL, 0, 0 }, 0 };

	assert_non_null(line);
	memset(line, 'a', PROTO_LINE_MAX + 1);
	line[PROTO_LINE_MAX] = '\n';
	/* PROTO_LINE_MAX bytes and the LF: accepted. */
	assert_int_equal(proto_request_feed(&r, line, PROTO_LINE_MAX + 1), PROTO_FEED_MORE);
	proto_request_fini(&r);
	/* One byte more, even before its LF arrives: refused at once. */
	line[PROTO_LINE_MAX] = 'a';
	assert_int_equal(proto_request_feed(&r, line, PROTO_LINE_MAX), PROTO_FEED_MORE);
	assert_int_equal(proto_request_feed(&r, line, 1), PROTO_FEED_TOO_LONG);
	proto_request_fini(&r);
	free(line);
}

static void
test_request_total_limit(void **state)
{
	size_t line_len = 60000;
	char *line = malloc(line_len);
	struct proto_request r = { { NULL, 0, 0 }, 0 };
	enum proto_feed st = PROTO_FEED_MORE;
	size_t fed = 0;

	assert_non_null(line);
	memset(line, 'b', line_len);
	line[line_len - 1] = '\n';
	while (st == PROTO_FEED_MORE && fed <= PROTO_REQUEST_MAX + line_len) {
		st = proto_request_feed(&r, line, line_len);
		fed += line_len;
	}
	assert_int_equal(st, PROTO_FEED_TOO_LONG);
	assert_true(fed > PROTO_REQUEST_MAX);
	assert_true(r.text.len <= PROTO_REQUEST_MAX);
	proto_request_fini(&r);
	free(line);
}

static void
test_request_next_line_twice_gives_the_same_lines(void **state)
{
	struct proto_request r = { { NULL, 0, 0 }, 0 };
	size_t pos = 0;

	assert_int_equal(proto_request_feed(&r, "a b\r\n  \nc\n", 10), PROTO_FEED_MORE);
	assert_int_equal(proto_request_eof(&r), PROTO_FEED_DONE);
	for (int pass = 0; pass < 2; pass++) {
		pos = 0;
		assert_string_equal(proto_request_next_line(&r, &pos), "a b");
		assert_string_equal(proto_request_next_line(&r, &pos), "  ");
		assert_string_equal(proto_request_next_line(&r, &pos), "c");
		assert_null(proto_request_next_line(&r, &pos));
	}
	proto_request_fini(&r);
}

static void
test_parse_status(void **state)
{
	static const struct {
		const char *line;
		int want;
		const char *message;
	} cases[] = {
		{ "ok", 0, NULL },
		{ "error SA 'x' does not exist", -1, "SA 'x' does not exist" },
		{ "error", -1, "" },
		{ "error ", -1, "" },
		{ "errors", -2, NULL },
		{ "OK", -2, NULL },
		{ "ok ", -2, NULL },
		{ "", -2, NULL },
		{ "name=x", -2, NULL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *msg = NULL;

		assert_int_equal(proto_parse_status(cases[i].line, &msg), cases[i].want);
		if (cases[i].message != NULL)
			assert_string_equal(msg, cases[i].message);
	}
}

static void
test_record_round_trip_and_sanitising(void **state)
{
	struct proto_buf b = { NULL, 0, 0 };
	struct proto_record in = {
		.n = 3,
		.key = { "name", "used-by", "note" },
		.value = { "sa_2", "", "a\tb\nc=d\re" },
	};
	struct proto_record out;
	struct err err = { "" };

	assert_int_equal(proto_record_append(&b, &in), 0);
	assert_string_equal(b.data, "name=sa_2\tused-by=\tnote=a b c=d e\n");
	assert_int_equal(proto_record_parse(b.data, &out, &err), 0);
	assert_int_equal(out.n, 3);
	assert_string_equal(proto_record_get(&out, "name"), "sa_2");
	assert_string_equal(proto_record_get(&out, "used-by"), "");
	assert_string_equal(proto_record_get(&out, "note"), "a b c=d e");
	assert_null(proto_record_get(&out, "spi"));
	proto_buf_fini(&b);
}

static void
test_record_append_refuses_too_many_fields(void **state)
{
	struct proto_buf b = { NULL, 0, 0 };
	struct proto_record in = { .n = PROTO_FIELDS_MAX + 1 };

	assert_int_equal(proto_record_append(&b, &in), -EINVAL);
	assert_int_equal(b.len, 0);
	proto_buf_fini(&b);
}

static void
test_record_parse_refusals(void **state)
{
	static const struct {
		const char *line;
		const char *reason;
	} cases[] = {
		{ "", "empty record line" },
		{ "\n", "empty record line" },
		{ "name", "record field 1 has no '='" },
		{ "a=1\tb", "record field 2 has no '='" },
		{ "a=1\t=2", "record field 2 has an empty key" },
		{ "a=1\t", "record field 2 has no '='" },
		{ "1=\t2=\t3=\t4=\t5=\t6=\t7=\t8=\t9=\t10=\t11=\t12=\t13=\t14=\t15=\t16=\t17=",
		    "record has more than 16 fields" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char line[256];
		struct proto_record rec;
		struct err err = { "" };

		strcpy(line, cases[i].line);
		assert_int_equal(proto_record_parse(line, &rec, &err), -EINVAL);
		assert_string_equal(err.msg, cases[i].reason);
	}
}

static void
test_record_parse_strips_line_end(void **state)
{
	char line[] = "k=v\r\n";
	struct proto_record rec;
	struct err err = { "" };

	assert_int_equal(proto_record_parse(line, &rec, &err), 0);
	assert_int_equal(rec.n, 1);
	assert_string_equal(rec.value[0], "v");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_append_keeps_nul_terminated),
		cmocka_unit_test(test_buf_grows_past_many_blocks),
		cmocka_unit_test(test_buf_printf_short_and_long),
		cmocka_unit_test(test_quote_word_round_trips_through_cmd_split),
		cmocka_unit_test(test_quote_word_leaves_plain_words_alone),
		cmocka_unit_test(test_request_ends_at_empty_line_in_any_split),
		cmocka_unit_test(test_request_crlf_empty_line_ends_it),
		cmocka_unit_test(test_request_complete_at_eof_without_empty_line),
		cmocka_unit_test(test_request_empty_at_eof_is_bad),
		cmocka_unit_test(test_request_first_line_empty_is_done_with_no_lines),
		cmocka_unit_test(test_request_refuses_nul_and_control_bytes),
		cmocka_unit_test(test_request_line_limit_is_exact),
		cmocka_unit_test(test_request_total_limit),
		cmocka_unit_test(test_request_next_line_twice_gives_the_same_lines),
		cmocka_unit_test(test_parse_status),
		cmocka_unit_test(test_record_round_trip_and_sanitising),
		cmocka_unit_test(test_record_append_refuses_too_many_fields),
		cmocka_unit_test(test_record_parse_refusals),
		cmocka_unit_test(test_record_parse_strips_line_end),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
