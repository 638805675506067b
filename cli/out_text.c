// SPDX-License-Identifier: MIT
/* The formatters meant for people and spreadsheets: esxcli's table (a header row, a row of
 * dashes as wide as each column, columns two spaces apart, numbers right-aligned, no blank at
 * the end of a line) and CSV (a header row, RFC 4180 section 2 quoting). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "out.h"

/* One cell padded to width: left-aligned text is padded on the right except in the last
 * column, so that no line ends in blanks. */
static void
out_table_cell(struct out_sink *s, const char *text, size_t width, bool right, bool last)
{
	size_t len = strlen(text);
	size_t pad = width > len ? width - len : 0;
	struct proto_buf *b = s->buf;

	if (right)
		out_repeat(s, ' ', pad);
	out_put(s, text, len);
	if (!right && !last)
		out_repeat(s, ' ', pad);
	if (!last) {
		out_put(s, "  ", 2);
		return;
	}
	/* An empty last cell leaves the padding before it at the end of the line. */
	while (s->error == 0 && b->len > 0 && b->data[b->len - 1] == ' ')
		b->data[--b->len] = '\0';
	out_put(s, "\n", 1);
}

void
out_table(struct out_sink *s, const struct out_rows *rows)
{
	const struct out_list *l = rows->list;
	size_t *width = calloc(l->n_cols, sizeof(*width));

	if (width == NULL) {
		s->error = -ENOMEM;
		return;
	}
	for (size_t c = 0; c < l->n_cols; c++) {
		width[c] = strlen(l->cols[c].title);
		for (size_t r = 0; r < rows->n_rows; r++) {
			size_t len = strlen(out_cell(rows, r, c));

			width[c] = len > width[c] ? len : width[c];
		}
	}
	/* Headers are left-aligned over every column, as esxcli prints them. */
	for (size_t c = 0; c < l->n_cols; c++)
		out_table_cell(s, l->cols[c].title, width[c], false, c + 1 == l->n_cols);
	for (size_t c = 0; c < l->n_cols; c++) {
		out_repeat(s, '-', width[c]);
		out_puts(s, c + 1 == l->n_cols ? "\n" : "  ");
	}
	for (size_t r = 0; r < rows->n_rows; r++) {
		for (size_t c = 0; c < l->n_cols; c++)
			out_table_cell(s, out_cell(rows, r, c), width[c], l->cols[c].numeric,
			    c + 1 == l->n_cols);
		out_row_done(s);
	}
	free(width);
}

/* RFC 4180 section 2, rules 6 and 7: a field holding a comma, a double quote or a line break
 * is enclosed in double quotes, and its double quotes are doubled. */
static void
out_csv_field(struct out_sink *s, const char *text, bool last)
{
	if (strpbrk(text, ",\"\r\n") == NULL) {
		out_puts(s, text);
	} else {
		out_put(s, "\"", 1);
		while (*text != '\0') {
			size_t plain = strcspn(text, "\"");

			out_put(s, text, plain);
			text += plain;
			if (*text == '"') {
				out_put(s, "\"\"", 2);
				text++;
			}
		}
		out_put(s, "\"", 1);
	}
	out_put(s, last ? "\n" : ",", 1);
}

void
out_csv(struct out_sink *s, const struct out_rows *rows)
{
	const struct out_list *l = rows->list;

	for (size_t c = 0; c < l->n_cols; c++)
		out_csv_field(s, l->cols[c].title, c + 1 == l->n_cols);
	for (size_t r = 0; r < rows->n_rows; r++) {
		for (size_t c = 0; c < l->n_cols; c++)
			out_csv_field(s, out_cell(rows, r, c), c + 1 == l->n_cols);
		out_row_done(s);
	}
}
