/* SPDX-License-Identifier: MIT */
/* Command options read as esxcli reads them (CLI.md "Option parsing"), driven by one table per
 * command (ipsec6/cmd_opts.h: the grammar's own tables and rules, which the daemon reads too);
 * the same table generates the command's help page. Syntax only: values are the daemon's to
 * check. Messages are collected in a proto_buf, one line each. */
#ifndef IPSEC6_CLI_ARGS_H
#define IPSEC6_CLI_ARGS_H

#include <stdbool.h>
#include <stddef.h>

#include "ipsec6/cmd_opts.h"
#include "ipsec6/err.h"
#include "proto.h"

/* The result of a parse: for each table row, the value given (a flag gets "") or NULL. */
struct args {
	const char *value[CMD_OPTS_MAX]; /* point into argv */
	const char *positional;          /* args_parse_positional() only */
	size_t used;                     /* args_parse_prefix() only: the words read */
};

/* Parse argv[0 .. argc-1] against t. On a syntax error returns -EINVAL with the message (no
 * "Error: " prefix) in msg; -ENOMEM. The values point into argv. */
__attribute__((warn_unused_result)) int args_parse(const struct cmd_opts *t, size_t argc,
    char *const *argv, struct args *out, struct proto_buf *msg);

/* As args_parse(), but stop at the first word that is neither an option nor an option's value
 * (esxcli's global options, before the command words); out->used gets the words read. */
__attribute__((warn_unused_result)) int args_parse_prefix(const struct cmd_opts *t, size_t argc,
    char *const *argv, struct args *out, struct proto_buf *msg);

/* As args_parse(), but a last word that is not an option (and not an option's value) is
 * taken as a positional argument (vicfg-ipsec's name) into out->positional. */
__attribute__((warn_unused_result)) int args_parse_positional(const struct cmd_opts *t, size_t argc,
    char *const *argv, struct args *out, struct proto_buf *msg);

/* Append cmd_opts_check_required()'s "Missing required parameter" lines to msg. Returns 0 or
 * -ENOMEM. */
__attribute__((warn_unused_result)) int args_check_required(const struct cmd_opts *t,
    const struct args *a, const struct cmd_opts_need *need, struct proto_buf *msg);

/* Append the reason in e (when set) to msg as a line of its own. Returns 0 or -ENOMEM. */
__attribute__((warn_unused_result)) int args_add_reason(struct proto_buf *msg, const struct err *e);

/* Row index of long_name in t, or t->n. */
size_t args_find(const struct cmd_opts *t, const char *long_name);

/* The value given for long_name, or NULL. */
const char *args_get(const struct cmd_opts *t, const struct args *a, const char *long_name);

/* Help layout (esxcli's): two-space indent, the option column 22 wide, the text from column
 * 24 wrapped at width; an option too long for its column puts the text on the next line. */
#define ARGS_HELP_COLUMN 24

/* Append "  -x|--long=<str>   text (required)" lines for every row visible in t's grammar;
 * value_sep is "=" (esxcli) or " " (vicfg-ipsec). Returns 0 or -ENOMEM. */
__attribute__((warn_unused_result)) int args_help_options(
    struct proto_buf *b, const struct cmd_opts *t, const char *value_sep, unsigned width);

/* Append "  NAME" padded to the text column, then text wrapped at width. */
__attribute__((warn_unused_result)) int args_help_item(
    struct proto_buf *b, const char *name, const char *text, unsigned width);

#endif
