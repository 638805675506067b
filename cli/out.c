// SPDX-License-Identifier: MIT
/* The column tables of `sa list` and `sp list` (CLI.md "sa list", "sp list"), the parsing of the
 * daemon's record lines into rows, and the choice of formatter. The `stats` report is in
 * out_report.c. */
#include "out.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipsec6/names.h"

/* esxcli's columns (the first OUT_SA_COLS_ESXCLI, as ESXi prints them under every name), then
 * what ipsec6's own name adds. */
#define OUT_SA_COLS_ESXCLI 8
static const struct out_col out_sa_cols[] = {
	{ "Name", "Name", "name", false, false },
	{ "Source", "Source", "source", false, false },
	{ "Destination", "Destination", "destination", false, false },
	{ "SPI", "SPI", "spi", true, false },
	{ "Mode", "Mode", "mode", false, false },
	{ "Encryption Algorithm", "EncryptionAlgorithm", "encryption", false, false },
	{ "Integrity Algorithm", "IntegrityAlgorithm", "integrity", false, false },
	{ "Used By", "UsedBy", "used-by", false, false },
	{ "State", "State", "state", false, false },
	{ "Encapsulation", "Encapsulation", "encapsulation", false, false },
};

static const struct out_col out_sp_cols[] = {
	{ "Name", "Name", "name", false, false },
	{ "Source", "Source", "source", false, false },
	{ "Destination", "Destination", "destination", false, false },
	{ "Source Port", "SourcePort", "source-port", true, false },
	{ "Destination Port", "DestinationPort", "destination-port", true, false },
	{ "Upper Layer Protocol", "UpperLayerProtocol", "protocol", false, false },
	{ "Direction", "Direction", "direction", false, false },
	{ "Action", "Action", "action", false, false },
	{ "Mode", "Mode", "mode", false, false },
	{ "SA Name", "SAName", "sa-name", false, false },
};

const struct out_list out_sa_list = {
	"IPsecSA",
	out_sa_cols,
	OUT_SA_COLS_ESXCLI,
	true,
};

const struct out_list out_sa_list_native = {
	"IPsecSA",
	out_sa_cols,
	sizeof(out_sa_cols) / sizeof(out_sa_cols[0]),
	false,
};

const struct out_list out_sp_list = {
	"IPsecSP",
	out_sp_cols,
	sizeof(out_sp_cols) / sizeof(out_sp_cols[0]),
	false,
};

static const struct out_col out_hosts_cols[] = {
	{ "Name", "Name", "name", false, false },
	{ "Host", "Host", "host", false, false },
	{ "Port", "Port", "port", true, false },
	{ "User", "User", "user", false, false },
};

const struct out_list out_hosts_list = {
	"IPsec6Host",
	out_hosts_cols,
	sizeof(out_hosts_cols) / sizeof(out_hosts_cols[0]),
	false,
};

static const struct {
	const char *name;
	enum out_format format;
} out_format_names[] = {
	{ "table", OUT_TABLE },
	{ "xml", OUT_XML },
	{ "csv", OUT_CSV },
	{ "keyvalue", OUT_KEYVALUE },
	{ "json", OUT_JSON },
};

int
out_format_parse(const char *name, enum out_format *out)
{
	int i = names_find(NAMES_TABLE(out_format_names), name);

	if (i < 0)
		return -EINVAL;
	*out = out_format_names[i].format;
	return 0;
}

const char *
out_format_name(size_t i)
{
	return i < sizeof(out_format_names) / sizeof(out_format_names[0]) ? out_format_names[i].name
									  : NULL;
}

size_t
out_count_lines(const char *body, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		n += body[i] == '\n';
	return n + (len > 0 && body[len - 1] != '\n');
}

int
out_rows_init(struct out_rows *rows, const struct out_list *list, size_t max_rows, size_t body_len)
{
	bool items = false;

	memset(rows, 0, sizeof(*rows));
	rows->list = list;
	rows->max_rows = max_rows;
	for (size_t c = 0; c < list->n_cols; c++)
		items = items || list->cols[c].items;
	if (max_rows > 0 && list->n_cols > 0) {
		rows->cells = calloc(max_rows * list->n_cols, sizeof(rows->cells[0]));
		if (rows->cells == NULL)
			return -ENOMEM;
	}
	/* An items cell takes one byte more per comma than its value in the body, plus its
	 * terminator: twice the body is always enough. */
	if (items && body_len > 0) {
		rows->spill = malloc(2 * body_len + 2);
		if (rows->spill == NULL) {
			out_rows_fini(rows);
			return -ENOMEM;
		}
	}
	return 0;
}

/* value as an items cell shows it: ", " between the items. */
static const char *
out_items(struct out_rows *rows, const char *value)
{
	char *start = rows->spill + rows->spill_used;
	char *w = start;

	for (; *value != '\0'; value++) {
		*w++ = *value;
		if (*value == ',')
			*w++ = ' ';
	}
	*w++ = '\0';
	rows->spill_used += (size_t)(w - start);
	return start;
}

int
out_rows_add(struct out_rows *rows, const struct proto_record *rec, struct err *err)
{
	const struct out_list *l = rows->list;

	const char *state = proto_record_get(rec, "state");

	if (l->hide_retired && state != NULL && strcmp(state, "retired") == 0)
		return 0;
	if (rows->n_rows == rows->max_rows)
		return err_set(err, EINVAL, "more records than lines");
	for (size_t c = 0; c < l->n_cols; c++) {
		const char *v = proto_record_get(rec, l->cols[c].key);

		if (v != NULL && l->cols[c].items && strchr(v, ',') != NULL)
			v = out_items(rows, v);
		rows->cells[rows->n_rows * l->n_cols + c] = v != NULL ? v : "";
	}
	rows->n_rows++;
	return 0;
}

int
out_records(char *body, size_t len,
    int (*fn)(void *ctx, const struct proto_record *rec, struct err *err), void *ctx,
    struct err *err)
{
	size_t pos = 0;

	while (pos < len) {
		char *line = body + pos;
		char *nl = memchr(line, '\n', len - pos);
		size_t line_len = nl != NULL ? (size_t)(nl - line) : len - pos;
		struct proto_record rec;
		int rc;

		pos += line_len + 1;
		line[line_len] = '\0'; /* the body is NUL-terminated after len */
		if (line_len > 0 && line[line_len - 1] == '\r')
			line[--line_len] = '\0';
		if (line_len == 0)
			continue;
		rc = proto_record_parse(line, &rec, err);
		if (rc == 0)
			rc = fn(ctx, &rec, err);
		if (rc != 0)
			return rc;
	}
	return 0;
}

static int
out_rows_record(void *ctx, const struct proto_record *rec, struct err *err)
{
	return out_rows_add(ctx, rec, err);
}

int
out_rows_parse(
    struct out_rows *rows, const struct out_list *list, char *body, size_t len, struct err *err)
{
	int rc = out_rows_init(rows, list, out_count_lines(body, len), len);

	if (rc == 0)
		rc = out_records(body, len, out_rows_record, rows, err);
	if (rc != 0)
		out_rows_fini(rows);
	return rc;
}

void
out_rows_fini(struct out_rows *rows)
{
	free(rows->cells);
	free(rows->spill);
	rows->cells = NULL;
	rows->spill = NULL;
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

void
out_repeat(struct out_sink *s, char c, size_t count)
{
	char chunk[64];

	memset(chunk, c, sizeof(chunk));
	while (count > 0) {
		size_t n = count < sizeof(chunk) ? count : sizeof(chunk);

		out_put(s, chunk, n);
		count -= n;
	}
}

static void
out_write(struct out_sink *s)
{
	if (s->error == 0)
		s->error = proto_write_all(s->fd, s->buf->data, s->buf->len);
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
