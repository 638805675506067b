/* SPDX-License-Identifier: MIT */
/* Output of the list commands: the daemon's record lines (doc/control-protocol.md) turned into
 * esxcli's five formatters. One column table per list drives every formatter; a column that
 * is not in the table (a key, say) can never be printed. */
#ifndef IPSEC6_CLI_OUT_H
#define IPSEC6_CLI_OUT_H

#include <stdbool.h>
#include <stddef.h>

#include "ipsec6/err.h"
#include "proto.h"

enum out_format {
	OUT_TABLE, /* the default */
	OUT_XML,
	OUT_CSV,
	OUT_KEYVALUE,
	OUT_JSON,
};

/* "xml", "csv", "keyvalue", "json" (and "table"). Returns 0 or -EINVAL. */
__attribute__((warn_unused_result)) int out_format_parse(const char *name, enum out_format *out);

struct out_col {
	const char *title; /* table and CSV header: "Encryption Algorithm" */
	const char *field; /* xml, keyvalue and JSON name: "EncryptionAlgorithm" */
	const char *key;   /* record key of the control protocol: "encryption" */
	bool numeric;      /* right-aligned in the table */
};

struct out_list {
	const char *type_name; /* esxcli structure type: "IPsecSA" */
	const struct out_col *cols;
	size_t n_cols;
};

extern const struct out_list out_sa_list;
extern const struct out_list out_sp_list;

/* The records of a response body (len bytes of record lines; modified in place), parsed into
 * rows of cells that point into the body. */
struct out_rows {
	const struct out_list *list;
	size_t n_rows;
	const char **cells; /* n_rows * list->n_cols, row-major; "" for a missing field */
};

/* Parse body. Returns 0, -EINVAL (a malformed record line, reason in err) or -ENOMEM.
 * Release with out_rows_fini(). */
__attribute__((warn_unused_result)) int out_rows_parse(
    struct out_rows *rows, const struct out_list *list, char *body, size_t len, struct err *err);
void out_rows_fini(struct out_rows *rows);

/* Where formatted text goes: into buf, which is written to fd (when fd >= 0) and emptied each
 * time it holds OUT_FLUSH_AT bytes, so that a long list needs no buffer of its size. The rows
 * are all parsed before the first byte is formatted: what can fail (a malformed answer) fails
 * before anything is printed. */
#define OUT_FLUSH_AT ((size_t)64 * 1024)

struct out_sink {
	struct proto_buf *buf;
	int fd;    /* -1: keep everything in buf */
	int error; /* the first error: -ENOMEM, or a write error (negative errno) */
};

/* Append len bytes of text; errors are kept in s->error (later appends do nothing). */
void out_put(struct out_sink *s, const char *text, size_t len);
void out_puts(struct out_sink *s, const char *text);

/* A record is complete: write buf out if it is full enough. */
void out_row_done(struct out_sink *s);

/* Write out what buf still holds (when fd >= 0). Returns s->error. */
__attribute__((warn_unused_result)) int out_flush(struct out_sink *s);

/* Format rows into s. Returns s->error. */
__attribute__((warn_unused_result)) int out_format(
    struct out_sink *s, const struct out_rows *rows, enum out_format format);

/* The formatters (out_text.c, out_struct.c); errors are left in s->error. */
void out_table(struct out_sink *s, const struct out_rows *rows);
void out_csv(struct out_sink *s, const struct out_rows *rows);
void out_xml(struct out_sink *s, const struct out_rows *rows);
void out_keyvalue(struct out_sink *s, const struct out_rows *rows);
void out_json(struct out_sink *s, const struct out_rows *rows);

/* The cell of row r, column c. */
static inline const char *
out_cell(const struct out_rows *rows, size_t r, size_t c)
{
	return rows->cells[r * rows->list->n_cols + c];
}

#endif
