// SPDX-License-Identifier: MIT
/* The control protocol codec of doc/control-protocol.md: buffers that wipe what they held
 * (requests carry keys), incremental request framing with its limits, status and record lines,
 * and word quoting that cmd_split() undoes. No sockets, no globals. */
#include "proto.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void
proto_buf_fini(struct proto_buf *b)
{
	if (b == NULL)
		return;
	if (b->data != NULL) {
		explicit_bzero(b->data, b->cap);
		free(b->data);
	}
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void
proto_buf_reset(struct proto_buf *b)
{
	if (b->data != NULL) {
		explicit_bzero(b->data, b->cap);
		b->data[0] = '\0';
	}
	b->len = 0;
}

/* Make room for extra more bytes and the NUL. A new block is taken and the old one wiped,
 * rather than realloc(), so that no copy of a key is left behind in freed memory. */
static int
proto_buf_reserve(struct proto_buf *b, size_t extra)
{
	size_t want, cap;
	char *data;

	if (extra > SIZE_MAX - b->len - 1)
		return -ENOMEM;
	want = b->len + extra + 1;
	if (want <= b->cap)
		return 0;
	cap = b->cap != 0 ? b->cap : 256;
	while (cap < want)
		cap = cap > SIZE_MAX / 2 ? want : cap * 2;
	data = malloc(cap);
	if (data == NULL)
		return -ENOMEM;
	if (b->data != NULL) {
		memcpy(data, b->data, b->len);
		explicit_bzero(b->data, b->cap);
		free(b->data);
	}
	data[b->len] = '\0';
	b->data = data;
	b->cap = cap;
	return 0;
}

int
proto_buf_append(struct proto_buf *b, const void *data, size_t len)
{
	int rc = proto_buf_reserve(b, len);

	if (rc < 0)
		return rc;
	if (len > 0)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

int
proto_buf_printf(struct proto_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_list again;
	int n;
	int rc;

	/* First try in the room there is; most lines fit. */
	rc = proto_buf_reserve(b, 128);
	if (rc < 0)
		return rc;
	va_start(ap, fmt);
	va_copy(again, ap);
	n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
	if (n >= 0 && (size_t)n >= b->cap - b->len) {
		rc = proto_buf_reserve(b, (size_t)n);
		if (rc == 0)
			n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, again);
	}
	va_end(again);
	va_end(ap);
	if (rc < 0 || n < 0) {
		b->data[b->len] = '\0'; /* drop what a failed try wrote */
		return rc < 0 ? rc : -EINVAL;
	}
	b->len += (size_t)n;
	return 0;
}

/* Bytes that cmd_split() takes literally anywhere in a word. '#' is safe except first. */
static int
proto_word_char_is_plain(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return 1;
	return c != '\0' && strchr("_.,:/=+-@%^#", c) != NULL;
}

int
proto_quote_word(struct proto_buf *b, const char *word)
{
	size_t len = strlen(word);
	int plain = len > 0 && word[0] != '#';
	int rc;

	for (size_t i = 0; plain && i < len; i++)
		plain = proto_word_char_is_plain((unsigned char)word[i]);
	if (plain)
		return proto_buf_append(b, word, len);
	if (len == 0)
		return proto_buf_append(b, "''", 2);
	/* A backslash before every other byte: cmd_split() reads "\\c" as c outside quotes, which
	 * holds whatever it does with backslashes inside them. */
	rc = 0;
	for (size_t i = 0; rc == 0 && i < len; i++) {
		if (!proto_word_char_is_plain((unsigned char)word[i]) || (i == 0 && word[0] == '#'))
			rc = proto_buf_append(b, "\\", 1);
		if (rc == 0)
			rc = proto_buf_append(b, &word[i], 1);
	}
	return rc;
}

/* C0 controls other than TAB and CR never belong in a command line (LF is the framing). */
static int
proto_byte_is_bad(unsigned char c)
{
	return (c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f;
}

/* Take one segment of the current line (no LF inside); checks the limits first. */
static enum proto_feed
proto_request_take(struct proto_request *r, const char *seg, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (proto_byte_is_bad((unsigned char)seg[i]))
			return PROTO_FEED_BAD;
	}
	if (r->text.len - r->line_start + n > (size_t)PROTO_LINE_MAX ||
	    r->text.len + n > (size_t)PROTO_REQUEST_MAX)
		return PROTO_FEED_TOO_LONG;
	if (proto_buf_append(&r->text, seg, n) < 0)
		return PROTO_FEED_TOO_LONG;
	return PROTO_FEED_MORE;
}

/* The current line ended with LF: either the empty line that ends the request, or one more
 * command line. */
static enum proto_feed
proto_request_end_line(struct proto_request *r)
{
	size_t n = r->text.len - r->line_start;

	if (n == 0 || (n == 1 && r->text.data[r->line_start] == '\r')) {
		r->text.len = r->line_start;
		if (r->text.data != NULL)
			r->text.data[r->text.len] = '\0';
		return PROTO_FEED_DONE;
	}
	if (r->text.len + 1 > (size_t)PROTO_REQUEST_MAX || proto_buf_append(&r->text, "\n", 1) < 0)
		return PROTO_FEED_TOO_LONG;
	r->line_start = r->text.len;
	return PROTO_FEED_MORE;
}

enum proto_feed
proto_request_feed(struct proto_request *r, const char *data, size_t len)
{
	enum proto_feed st = PROTO_FEED_MORE;

	while (len > 0) {
		const char *lf = memchr(data, '\n', len);
		size_t n = lf != NULL ? (size_t)(lf - data) : len;

		st = proto_request_take(r, data, n);
		if (st != PROTO_FEED_MORE)
			return st;
		if (lf == NULL)
			break;
		st = proto_request_end_line(r);
		if (st != PROTO_FEED_MORE)
			return st; /* bytes after the empty line are not part of the request */
		data += n + 1;
		len -= n + 1;
	}
	return st;
}

enum proto_feed
proto_request_eof(struct proto_request *r)
{
	return r->text.len > 0 ? PROTO_FEED_DONE : PROTO_FEED_BAD;
}

void
proto_request_fini(struct proto_request *r)
{
	proto_buf_fini(&r->text);
	r->line_start = 0;
}

char *
proto_request_next_line(struct proto_request *r, size_t *pos)
{
	char *text = r->text.data;
	size_t len = r->text.len;

	while (text != NULL && *pos < len) {
		size_t start = *pos;
		size_t end = start;

		/* A NUL here is an LF that an earlier pass already cut (NULs are never fed). */
		while (end < len && text[end] != '\n' && text[end] != '\0')
			end++;
		*pos = end < len ? end + 1 : end;
		text[end] = '\0';
		if (end > start && text[end - 1] == '\r')
			text[--end] = '\0';
		if (end > start)
			return text + start;
	}
	return NULL;
}

int
proto_parse_status(const char *line, const char **message)
{
	if (strcmp(line, "ok") == 0)
		return 0;
	if (strncmp(line, "error", 5) == 0 && (line[5] == ' ' || line[5] == '\0')) {
		if (message != NULL)
			*message = line[5] == ' ' ? line + 6 : line + 5;
		return -1;
	}
	return -2;
}

/* Append value with TAB, CR and LF turned into spaces so that it stays one field. */
static int
proto_append_value(struct proto_buf *b, const char *value)
{
	size_t len = strlen(value);
	size_t at = b->len;
	int rc = proto_buf_append(b, value, len);

	if (rc < 0)
		return rc;
	for (size_t i = at; i < b->len; i++) {
		if (b->data[i] == '\t' || b->data[i] == '\n' || b->data[i] == '\r')
			b->data[i] = ' ';
	}
	return 0;
}

int
proto_record_append(struct proto_buf *b, const struct proto_record *rec)
{
	size_t start = b->len;
	int rc = 0;

	if (rec->n > PROTO_FIELDS_MAX)
		return -EINVAL;
	for (size_t i = 0; rc == 0 && i < rec->n; i++) {
		if (i > 0)
			rc = proto_buf_append(b, "\t", 1);
		if (rc == 0)
			rc = proto_buf_append(b, rec->key[i], strlen(rec->key[i]));
		if (rc == 0)
			rc = proto_buf_append(b, "=", 1);
		if (rc == 0)
			rc = proto_append_value(b, rec->value[i] != NULL ? rec->value[i] : "");
	}
	if (rc == 0)
		rc = proto_buf_append(b, "\n", 1);
	if (rc < 0 && b->data != NULL) {
		/* Never leave half a record behind. */
		b->len = start;
		b->data[start] = '\0';
	}
	return rc;
}

int
proto_record_parse(char *line, struct proto_record *rec, struct err *err)
{
	size_t len = strlen(line);
	char *field = line;

	rec->n = 0;
	if (len > 0 && line[len - 1] == '\n')
		line[--len] = '\0';
	if (len > 0 && line[len - 1] == '\r')
		line[--len] = '\0';
	if (len == 0)
		return err_set(err, EINVAL, "empty record line");
	while (field != NULL) {
		char *tab = strchr(field, '\t');
		char *eq;

		if (tab != NULL)
			*tab = '\0';
		eq = strchr(field, '=');
		if (eq == NULL)
			return err_set(err, EINVAL, "record field %zu has no '='", rec->n + 1);
		if (eq == field)
			return err_set(
			    err, EINVAL, "record field %zu has an empty key", rec->n + 1);
		if (rec->n == PROTO_FIELDS_MAX)
			return err_set(
			    err, EINVAL, "record has more than %d fields", PROTO_FIELDS_MAX);
		*eq = '\0';
		rec->key[rec->n] = field;
		rec->value[rec->n] = eq + 1;
		rec->n++;
		field = tab != NULL ? tab + 1 : NULL;
	}
	return 0;
}

const char *
proto_record_get(const struct proto_record *rec, const char *key)
{
	for (size_t i = 0; i < rec->n && i < PROTO_FIELDS_MAX; i++) {
		if (strcmp(rec->key[i], key) == 0)
			return rec->value[i];
	}
	return NULL;
}

int
proto_read_all(int fd, struct proto_buf *b, size_t max, const char *name, struct err *err)
{
	char chunk[65536];
	int rc = 0;

	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			rc = err_set(
			    err, errno, "cannot read %s (%s)", name, strerrordesc_np(errno));
		else if (b->len + (size_t)n > max)
			rc = err_set(err, EFBIG, "%s is larger than %zu bytes", name, max);
		else if (n > 0 && proto_buf_append(b, chunk, (size_t)n) != 0)
			rc = err_set(err, ENOMEM, "out of memory");
		if (rc != 0 || n == 0)
			break;
	}
	explicit_bzero(chunk, sizeof(chunk));
	return rc;
}

int
proto_write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}
