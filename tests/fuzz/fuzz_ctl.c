// SPDX-License-Identifier: MIT
/* libFuzzer harness for the control protocol: the input is cut into pieces and fed to the
 * request framing; a complete request is handled by the daemon's request code against an
 * in-memory state that holds a few SAs and policies; the response must be one status line
 * ("ok" or "error ...") and whole lines. The same bytes go through the record parser (which
 * must round-trip what it accepts) and the word quoting (which cmd_split must undo). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipsec6/cmd.h"
#include "proto.h"
#include "req.h"
#include "state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char fuzz_setup[] =
    "sa add -n s1 -s 2001:db8::1 -d 2001:db8::2 -p 0x1000 -e aes128-cbc -k 0x000102030405060708"
    "090a0b0c0d0e0f -i hmac-sha1 -K 0x000102030405060708090a0b0c0d0e0f10111213\n"
    "sa add -n s2 -s any -d any -p 0x2000 -m tunnel -e null -i hmac-sha2-256 -K 0x0001020304050"
    "60708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n"
    "sp add -n p1 -s 2001:db8::/32 -d any -w out -A ipsec -a s1\n"
    "sp add -n p2 -s any -d any -w in -A discard\n";

/* The response is one status line, then whole lines. */
static void
fuzz_check_response(const struct proto_buf *out)
{
	char *copy, *nl;
	const char *msg;

	if (out->len == 0 || out->data[out->len - 1] != '\n' || strlen(out->data) != out->len)
		abort();
	copy = strndup(out->data, out->len);
	if (copy == NULL)
		abort();
	nl = strchr(copy, '\n');
	*nl = '\0';
	if (proto_parse_status(copy, &msg) == -2)
		abort();
	free(copy);
}

static struct state *
fuzz_state(void)
{
	struct proto_request r = { { NULL, 0, 0 }, 0 };
	struct proto_buf out = { NULL, 0, 0 };
	struct state *st = NULL;
	struct err err = { "" };

	if (state_new(NULL, CRYPTO_BACKEND_OPENSSL, &st, &err) != 0)
		abort();
	if (proto_request_feed(&r, fuzz_setup, sizeof(fuzz_setup) - 1) != PROTO_FEED_MORE ||
	    proto_request_eof(&r) != PROTO_FEED_DONE)
		abort();
	req_handle(st, REQ_ADMIN, &r, &out);
	if (strcmp(out.data, "ok\n") != 0)
		abort();
	proto_request_fini(&r);
	proto_buf_fini(&out);
	return st;
}

/* Framing and handling, fed in pieces of step bytes. */
static void
fuzz_request(const uint8_t *data, size_t size, size_t step)
{
	struct proto_request r = { { NULL, 0, 0 }, 0 };
	struct proto_buf out = { NULL, 0, 0 };
	enum proto_feed st = PROTO_FEED_MORE;
	struct state *state;

	for (size_t off = 0; off < size && st == PROTO_FEED_MORE; off += step)
		st = proto_request_feed(
		    &r, (const char *)data + off, size - off < step ? size - off : step);
	if (st == PROTO_FEED_MORE)
		st = proto_request_eof(&r);
	if (st == PROTO_FEED_DONE) {
		state = fuzz_state();
		req_handle(state, REQ_ADMIN, &r, &out);
		fuzz_check_response(&out);
		state_free(state);
	}
	proto_request_fini(&r);
	proto_buf_fini(&out);
}

/* A record line that parses comes back the same from proto_record_append(). */
static void
fuzz_record(const char *text)
{
	struct proto_buf again = { NULL, 0, 0 };
	struct proto_record rec;
	struct err err = { "" };
	char *line = strdup(text);

	if (line == NULL)
		abort();
	if (proto_record_parse(line, &rec, &err) == 0 && strpbrk(text, "\r\n") == NULL) {
		if (proto_record_append(&again, &rec) != 0)
			abort();
		if (again.len != strlen(text) + 1 || memcmp(again.data, text, again.len - 1) != 0)
			abort();
	}
	proto_buf_fini(&again);
	free(line);
}

/* cmd_split() undoes proto_quote_word() for any word. */
static void
fuzz_quote(const char *word)
{
	struct proto_buf b = { NULL, 0, 0 };
	struct err err = { "" };
	char *argv[2];
	size_t argc = 0;

	if (proto_quote_word(&b, word) != 0)
		abort();
	if (cmd_split(b.data, argv, 2, &argc, &err) != 0 || argc != 1 || strcmp(argv[0], word) != 0)
		abort();
	proto_buf_fini(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text;

	if (size < 1)
		return 0;
	/* The first byte chooses how the rest is cut, as a socket might deliver it. */
	fuzz_request(data + 1, size - 1, (size_t)data[0] % 64 + 1);
	text = strndup((const char *)data + 1, size - 1);
	if (text == NULL)
		abort();
	fuzz_record(text);
	fuzz_quote(text);
	free(text);
	return 0;
}
