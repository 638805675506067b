// SPDX-License-Identifier: MIT
/* The column tables of `sa list` and `sp list` (CLI.md "sa list", "sp list"), the parsing of the
 * daemon's record lines into rows, and the choice of formatter. */
#include "out.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct out_col out_sa_cols[] = {
	{ "Name", "Name", "name", false },
	{ "Source", "Source", "source", false },
	{ "Destination", "Destination", "destination", false },
	{ "SPI", "SPI", "spi", true },
	{ "Mode", "Mode", "mode", false },
	{ "Encryption Algorithm", "EncryptionAlgorithm", "encryption", false },
	{ "Integrity Algorithm", "IntegrityAlgorithm", "integrity", false },
	{ "Used By", "UsedBy", "used-by", false },
};

static const struct out_col out_sp_cols[] = {
	{ "Name", "Name", "name", false },
	{ "Source", "Source", "source", false },
	{ "Destination", "Destination", "destination", false },
	{ "Source Port", "SourcePort", "source-port", true },
	{ "Destination Port", "DestinationPort", "destination-port", true },
	{ "Upper Layer Protocol", "UpperLayerProtocol", "protocol", false },
	{ "Direction", "Direction", "direction", false },
	{ "Action", "Action", "action", false },
	{ "Mode", "Mode", "mode", false },
	{ "SA Name", "SAName", "sa-name", false },
};

const struct out_list out_sa_list = {
	"IPsecSA",
	out_sa_cols,
	sizeof(out_sa_cols) / sizeof(out_sa_cols[0]),
};

const struct out_list out_sp_list = {
	"IPsecSP",
	out_sp_cols,
	sizeof(out_sp_cols) / sizeof(out_sp_cols[0]),
};

int
out_format_parse(const char *name, enum out_format *out)
{
	static const struct {
		const char *name;
		enum out_format format;
	} names[] = {
		{ "table", OUT_TABLE },
		{ "xml", OUT_XML },
		{ "csv", OUT_CSV },
		{ "keyvalue", OUT_KEYVALUE },
		{ "json", OUT_JSON },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(name, names[i].name) == 0) {
			*out = names[i].format;
			return 0;
		}
	}
	return -EINVAL;
}

static size_t
out_count_lines(const char *body, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		n += body[i] == '\n';
	return n + (len > 0 && body[len - 1] != '\n');
}

/* Fill row r from one record line. */
static int
out_row(struct out_rows *rows, size_t r, char *line, struct err *err)
{
	struct proto_record rec;
	int rc = proto_record_parse(line, &rec, err);

	if (rc != 0)
		return rc;
	for (size_t c = 0; c < rows->list->n_cols; c++) {
		const char *v = proto_record_get(&rec, rows->list->cols[c].key);

		rows->cells[r * rows->list->n_cols + c] = v != NULL ? v : "";
	}
	return 0;
}

int
out_rows_parse(
    struct out_rows *rows, const struct out_list *list, char *body, size_t len, struct err *err)
{
	size_t max = out_count_lines(body, len);
	size_t pos = 0;

	memset(rows, 0, sizeof(*rows));
	rows->list = list;
	if (max == 0)
		return 0;
	rows->cells = calloc(max * list->n_cols, sizeof(rows->cells[0]));
	if (rows->cells == NULL)
		return -ENOMEM;
	while (pos < len) {
		char *line = body + pos;
		char *nl = memchr(line, '\n', len - pos);
		size_t line_len = nl != NULL ? (size_t)(nl - line) : len - pos;
		int rc;

		pos += line_len + 1;
		line[line_len] = '\0'; /* the body is NUL-terminated after len */
		if (line_len > 0 && line[line_len - 1] == '\r')
			line[--line_len] = '\0';
		if (line_len == 0)
			continue;
		rc = out_row(rows, rows->n_rows, line, err);
		if (rc != 0) {
			out_rows_fini(rows);
			return rc;
		}
		rows->n_rows++;
	}
	return 0;
}

void
out_rows_fini(struct out_rows *rows)
{
	free(rows->cells);
	rows->cells = NULL;
	rows->n_rows = 0;
}

void
out_put(struct out_sink *s, const char *text, size_t len)
{
	if (s->error == 0 && proto_buf_append(s->buf, text, len) != 0)
		s->error = -ENOMEM;
}

void
out_puts(struct out_sink *s, const char *text)
{
	out_put(s, text, strlen(text));
}

static void
out_write(struct out_sink *s)
{
	const char *p = s->buf->data;
	size_t len = s->buf->len;

	while (s->error == 0 && len > 0) {
		ssize_t n = write(s->fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			s->error = -errno;
			break;
		}
		p += n;
		len -= (size_t)n;
	}
	proto_buf_reset(s->buf);
}

void
out_row_done(struct out_sink *s)
{
	if (s->fd >= 0 && s->buf->len >= OUT_FLUSH_AT)
		out_write(s);
}

int
out_flush(struct out_sink *s)
{
	if (s->fd >= 0)
		out_write(s);
	return s->error;
}

int
out_format(struct out_sink *s, const struct out_rows *rows, enum out_format format)
{
	switch (format) {
	case OUT_TABLE:
		out_table(s, rows);
		break;
	case OUT_XML:
		out_xml(s, rows);
		break;
	case OUT_CSV:
		out_csv(s, rows);
		break;
	case OUT_KEYVALUE:
		out_keyvalue(s, rows);
		break;
	case OUT_JSON:
		out_json(s, rows);
		break;
	}
	return s->error;
}
