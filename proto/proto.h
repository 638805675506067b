/* SPDX-License-Identifier: MIT */
/* The control protocol of doc/control-protocol.md, encode and decode only (no sockets): growing
 * buffers, request framing, response status lines, record lines, word quoting. Shared by
 * ipsec6d and the ipsec6 CLI. */
#ifndef IPSEC6_PROTO_H
#define IPSEC6_PROTO_H

#include <stdbool.h>
#include <stddef.h>

#include "ipsec6/err.h"

#define PROTO_LINE_MAX    (64u * 1024u)
#define PROTO_REQUEST_MAX (64u * 1024u * 1024u)
#define PROTO_FIELDS_MAX  16

/* A growing byte buffer, always NUL-terminated after data[len] once anything was appended.
 * Zero-initialise; release with proto_buf_fini() (which wipes: buffers may hold keys). */
struct proto_buf {
	char *data;
	size_t len;
	size_t cap;
};

void proto_buf_fini(struct proto_buf *b);
void proto_buf_reset(struct proto_buf *b); /* len = 0, keeps (and wipes) the memory */
__attribute__((warn_unused_result)) int proto_buf_append(
    struct proto_buf *b, const void *data, size_t len);
__attribute__((warn_unused_result, format(printf, 2, 3))) int proto_buf_printf(
    struct proto_buf *b, const char *fmt, ...);

/* Write all len bytes of data to fd, retrying after EINTR and short writes (a blocking fd: the
 * CLI's output, the daemon's configuration file). Returns 0 or a negative errno. */
__attribute__((warn_unused_result)) int proto_write_all(int fd, const char *data, size_t len);

/* Append what fd gives until its end to b, retrying after EINTR; the bytes pass through a
 * buffer that is wiped (they may hold keys). Returns 0, or a negative errno with one sentence
 * about name in err: -EFBIG ("NAME is larger than MAX bytes") once b would hold more than max
 * bytes, -ENOMEM, or the errno of a failed read ("cannot read NAME (reason)"). */
__attribute__((warn_unused_result)) int proto_read_all(
    int fd, struct proto_buf *b, size_t max, const char *name, struct err *err);

/* Append word to b quoted so that cmd_split() gives it back unchanged (no quotes when it needs
 * none). Returns 0 or -ENOMEM. */
__attribute__((warn_unused_result)) int proto_quote_word(struct proto_buf *b, const char *word);

/* Request framing, fed incrementally as bytes arrive. */
enum proto_feed {
	PROTO_FEED_MORE,     /* need more bytes */
	PROTO_FEED_DONE,     /* an empty line ended the request */
	PROTO_FEED_TOO_LONG, /* a line or the request exceeds the limits */
	PROTO_FEED_BAD,      /* a NUL byte or invalid data */
};

struct proto_request {
	struct proto_buf text; /* the command lines received so far, '\n'-separated */
	size_t line_start;     /* offset of the current, unfinished line */
};

/* Add len bytes. Returns the state; once DONE or an error, further feeding is not allowed.
 * At end of stream the caller calls proto_request_eof(): a request that ended without the
 * empty line is complete if it holds at least one line. */
enum proto_feed proto_request_feed(struct proto_request *r, const char *data, size_t len);
enum proto_feed proto_request_eof(struct proto_request *r);
void proto_request_fini(struct proto_request *r);

/* Iterate over the lines of a complete request: *pos starts at 0; returns the next line
 * (NUL-terminated in place, trailing \r removed, empty lines skipped) or NULL at the end. */
char *proto_request_next_line(struct proto_request *r, size_t *pos);

/* Response status: "ok" -> 0; "error MESSAGE" -> -1 with *message pointing into line. Any
 * other line -> -2. */
int proto_parse_status(const char *line, const char **message);

/* A record line: key=value fields separated by TAB. */
struct proto_record {
	size_t n;
	const char *key[PROTO_FIELDS_MAX];
	const char *value[PROTO_FIELDS_MAX];
};

/* Append one record line (with its '\n'); values have TAB and newline replaced by spaces. */
__attribute__((warn_unused_result)) int proto_record_append(
    struct proto_buf *b, const struct proto_record *rec);

/* Split a record line in place (line is modified). Returns 0 or -EINVAL with a reason. */
__attribute__((warn_unused_result)) int proto_record_parse(
    char *line, struct proto_record *rec, struct err *err);

/* The value of key, or NULL. */
const char *proto_record_get(const struct proto_record *rec, const char *key);

#endif
