/* SPDX-License-Identifier: MIT */
/* Command options read as esxcli reads them (CLI.md "Option parsing"), driven by one table per
 * command; the same table generates the command's help page. Syntax only: values are the
 * daemon's to check. */
#ifndef IPSEC6_CLI_ARGS_H
#define IPSEC6_CLI_ARGS_H

#include <stdbool.h>
#include <stddef.h>

#include "proto.h"

#define ARGS_OPTS_MAX 32

enum args_kind {
	ARGS_VALUE, /* --opt=value, --opt value, -x value, -x=value */
	ARGS_FLAG,  /* --opt, -x; a value is refused */
};

/* What becomes of an option once parsed. */
enum args_use {
	ARGS_SEND,     /* sent to the daemon as --SEND_AS=value (or --SEND_AS for a flag) */
	ARGS_KEY_FILE, /* a file whose one line is sent as --SEND_AS=line */
	ARGS_LOCAL,    /* read by the CLI itself, never sent */
};

struct args_opt {
	const char *long_name;   /* "encryption-algorithm", without the dashes */
	const char *send_as;     /* daemon option name; NULL means long_name */
	const char *placeholder; /* help: "long" for numbers; NULL means "str" */
	const char *help;        /* one or two sentences, wrapped by the help functions */
	enum args_kind kind;
	enum args_use use;
	char short_name; /* 'e' for -e; '\0' when there is none */
	bool required;   /* always required; conditional needs are the command's */
	bool native;     /* ipsec6 only: refused and hidden when invoked as esxcli */
	bool secret;     /* the value is a key: never shown (--debug) */
};

/* A table of options and the grammar that reads it. */
struct args_table {
	const struct args_opt *opts;
	size_t n;    /* rows, at most ARGS_OPTS_MAX */
	bool native; /* the rows marked native are admitted (and shown in help) */
};

/* The result of a parse: for each table row, the value given (a flag gets "") or NULL. */
struct args {
	const char *value[ARGS_OPTS_MAX]; /* point into argv */
	const char *positional;           /* args_parse_positional() only */
	size_t used;                      /* args_parse_prefix() only: the words read */
};

/* Parse argv[0 .. argc-1] against t. On a syntax error returns -EINVAL with the message (no
 * "Error: " prefix) in msg; -ENOMEM. The values point into argv. */
__attribute__((warn_unused_result)) int args_parse(const struct args_table *t, size_t argc,
    char *const *argv, struct args *out, struct proto_buf *msg);

/* As args_parse(), but stop at the first word that is neither an option nor an option's value
 * (esxcli's global options, before the command words); out->used gets the words read. */
__attribute__((warn_unused_result)) int args_parse_prefix(const struct args_table *t, size_t argc,
    char *const *argv, struct args *out, struct proto_buf *msg);

/* As args_parse(), but a last word that is not an option (and not an option's value) is
 * taken as a positional argument (vicfg-ipsec's name) into out->positional. */
__attribute__((warn_unused_result)) int args_parse_positional(const struct args_table *t,
    size_t argc, char *const *argv, struct args *out, struct proto_buf *msg);

/* Whether row k is required, given what else was given; ctx is the caller's. */
struct args_need {
	bool (*fn)(const struct args_table *t, size_t k, const struct args *a, const void *ctx);
	const void *ctx;
};

/* Append "Missing required parameter -x|--long" for every required row without a value, one
 * line each, in table order. A row is required when need says so, or (need NULL) when the
 * table says so; it counts as given when a KEY_FILE row standing for it is. Returns the
 * number of lines added, or -ENOMEM. */
__attribute__((warn_unused_result)) int args_check_required(const struct args_table *t,
    const struct args *a, const struct args_need *need, struct proto_buf *msg);

/* Append one "Missing required parameter" line for row k; the line is preceded by a newline
 * when msg is not empty. Returns 0 or -ENOMEM. */
__attribute__((warn_unused_result)) int args_missing(
    const struct args_opt *o, struct proto_buf *msg);

/* Row index of long_name in t, or t->n. */
size_t args_find(const struct args_table *t, const char *long_name);

/* The value given for long_name, or NULL. */
const char *args_get(const struct args_table *t, const struct args *a, const char *long_name);

/* "-e|--encryption-algorithm", "--replay-window". */
void args_aliases(const struct args_opt *o, char *buf, size_t size);

/* Help layout (esxcli's): two-space indent, the option column 22 wide, the text from column
 * 24 wrapped at width; an option too long for its column puts the text on the next line. */
#define ARGS_HELP_COLUMN 24

/* Append "  -x|--long=<str>   text (required)" lines for every row visible in t's grammar;
 * value_sep is "=" (esxcli) or " " (vicfg-ipsec). Returns 0 or -ENOMEM. */
__attribute__((warn_unused_result)) int args_help_options(
    struct proto_buf *b, const struct args_table *t, const char *value_sep, unsigned width);

/* Append "  NAME" padded to the text column, then text wrapped at width. */
__attribute__((warn_unused_result)) int args_help_item(
    struct proto_buf *b, const char *name, const char *text, unsigned width);

#endif
