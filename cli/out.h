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

/* The i-th name out_format_parse() takes, or NULL past the last (for completion). */
const char *out_format_name(size_t i);

struct out_col {
	const char *title; /* table and CSV header: "Encryption Algorithm" */
	const char *field; /* xml, keyvalue and JSON name: "EncryptionAlgorithm" */
	const char *key;   /* record key of the control protocol: "encryption" */
	bool numeric;      /* right-aligned in the table */
	bool items;        /* the record's "a:1,b:2" is shown as "a:1, b:2" */
};

struct out_list {
	const char *type_name; /* esxcli structure type: "IPsecSA" */
	const struct out_col *cols;
	size_t n_cols;
	/* Leave out the records whose state is "retired": SAs replaced by `sa rekey` that accept
	 * their old SPI for a grace period, which ESXi has not (one row per SA name). */
	bool hide_retired;
};

extern const struct out_list out_sa_list;
extern const struct out_list out_sa_list_native; /* + State, Encapsulation */
extern const struct out_list out_sp_list;
extern const struct out_list out_hosts_list;

/* The records of a response body (len bytes of record lines; modified in place), parsed into
 * rows of cells that point into the body (or into spill, for a cell shown otherwise than sent). */
struct out_rows {
	const struct out_list *list;
	size_t n_rows;
	size_t max_rows;
	const char **cells; /* max_rows * list->n_cols, row-major; "" for a missing field */
	char *spill;        /* the cells of "items" columns, as shown; NULL when there are none */
	size_t spill_used;
};

/* Parse body. Returns 0, -EINVAL (a malformed record line, reason in err) or -ENOMEM.
 * Release with out_rows_fini(). */
__attribute__((warn_unused_result)) int out_rows_parse(
    struct out_rows *rows, const struct out_list *list, char *body, size_t len, struct err *err);
void out_rows_fini(struct out_rows *rows);

/* Room for max_rows rows of list, from a body of body_len bytes. Returns 0 or -ENOMEM. */
__attribute__((warn_unused_result)) int out_rows_init(
    struct out_rows *rows, const struct out_list *list, size_t max_rows, size_t body_len);

/* Add a row: the record's value of each column's key. Returns 0 or -EINVAL (no room: the
 * answer is not what was counted) with the reason in err. */
__attribute__((warn_unused_result)) int out_rows_add(
    struct out_rows *rows, const struct proto_record *rec, struct err *err);

/* Call fn for each record line of body (modified in place), blank lines skipped. Returns 0,
 * the first non-zero return of fn, or -EINVAL for a malformed line (reason in err). */
__attribute__((warn_unused_result)) int out_records(char *body, size_t len,
    int (*fn)(void *ctx, const struct proto_record *rec, struct err *err), void *ctx,
    struct err *err);

/* Record lines in len bytes of body (an upper bound: blank lines count). */
size_t out_count_lines(const char *body, size_t len);

/* A report: several lists, each under its heading, from one answer whose records name their
 * list in their "type" field (`stats`; doc/control-protocol.md). */
struct out_section {
	const char *type;  /* the "type" of the records that are its rows: "sa" */
	const char *title; /* table heading: "Security Associations" */
	const char *field; /* xml and JSON name: "SecurityAssociations" */
	const struct out_list *list;
	/* NULL: a record is a row. Else the key of a "NAME:N,NAME:N" field of the record, each
	 * item of which is a row of the two cells NAME and N (the global drops). */
	const char *split;
};

#define OUT_SECTIONS_MAX 4

struct out_report {
	const char *type_name; /* esxcli structure type of the whole: "IPsecStats" */
	const struct out_section *sections;
	size_t n_sections; /* at most OUT_SECTIONS_MAX */
};

extern const struct out_report out_stats;

struct out_report_rows {
	const struct out_report *report;
	struct out_rows rows[OUT_SECTIONS_MAX]; /* one per section */
};

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

/* Append count copies of c. */
void out_repeat(struct out_sink *s, char c, size_t count);

/* A record is complete: write buf out if it is full enough. */
void out_row_done(struct out_sink *s);

/* Write out what buf still holds (when fd >= 0). Returns s->error. */
__attribute__((warn_unused_result)) int out_flush(struct out_sink *s);

/* Format rows into s. Returns s->error. */
__attribute__((warn_unused_result)) int out_format(
    struct out_sink *s, const struct out_rows *rows, enum out_format format);

/* The formatters (out_text.c, out_struct.c); errors are left in s->error. */
void out_table(struct out_sink *s, const struct out_rows *rows);
/* A JSON string (RFC 8259 section 7: '"', '\\' and the control characters escaped). */
void out_json_string(struct out_sink *s, const char *text);
void out_csv(struct out_sink *s, const struct out_rows *rows);
void out_xml(struct out_sink *s, const struct out_rows *rows);
void out_keyvalue(struct out_sink *s, const struct out_rows *rows);
void out_json(struct out_sink *s, const struct out_rows *rows);

/* The parts of the structured formatters that a report puts together (out_report.c). */
#define OUT_XML_HEAD                                                         \
	"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"                       \
	"<output xmlns=\"http://www.vmware.com/Products/ESX/5.0/esxcli\">\n" \
	"<root>\n"
#define OUT_XML_TAIL "</root>\n</output>\n"

/* <list type="structure"> with a <structure> per row, indent columns in. */
void out_xml_list(struct out_sink *s, const struct out_rows *rows, size_t indent);

/* The keyvalue records of rows, each after a blank line when *any (a record was printed
 * before); *any is then set. */
void out_keyvalue_records(struct out_sink *s, const struct out_rows *rows, bool *any);

/* The JSON array of rows, without a newline. */
void out_json_array(struct out_sink *s, const struct out_rows *rows);

/* Parse body into the report's sections; records of another type are ignored (a newer
 * daemon may say more). Returns 0, -EINVAL (a malformed record, reason in err) or -ENOMEM.
 * Release with out_report_fini(). */
__attribute__((warn_unused_result)) int out_report_parse(struct out_report_rows *r,
    const struct out_report *report, char *body, size_t len, struct err *err);
void out_report_fini(struct out_report_rows *r);

/* Format a report into s: the table and CSV formatters print the sections one after the
 * other, a blank line apart (the table with a heading each); keyvalue prints every record;
 * XML and JSON make one structure of the whole. Returns s->error. */
__attribute__((warn_unused_result)) int out_report_format(
    struct out_sink *s, const struct out_report_rows *r, enum out_format format);

/* The cell of row r, column c. */
static inline const char *
out_cell(const struct out_rows *rows, size_t r, size_t c)
{
	return rows->cells[r * rows->list->n_cols + c];
}

#endif
