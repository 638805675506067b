// SPDX-License-Identifier: MIT
/* esxcli's option rules, driven by a table: the reading of one option is cmd_opts_read()'s, the
 * same code that reads the daemon's requests and the configuration file, so that both say the
 * same thing; here the words around the options (global options before the command words,
 * vicfg-ipsec's name after them) and the help pages. */
#include "args.h"

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

int
args_add_reason(struct proto_buf *msg, const struct err *e)
{
	if (!err_is_set(e))
		return 0;
	return proto_buf_printf(msg, "%s%s", msg->len > 0 ? "\n" : "", e->msg) != 0 ? -ENOMEM : 0;
}

/* What to do with a word that is not an option. */
enum args_word {
	ARGS_WORD_INVALID,    /* "Invalid option WORD" */
	ARGS_WORD_POSITIONAL, /* the last word is the positional argument */
	ARGS_WORD_STOP,       /* the options end here */
};

static int
args_scan(const struct cmd_opts *t, enum args_word word, size_t argc, char *const *argv,
    struct args *out, struct proto_buf *msg)
{
	assert(t->n <= CMD_OPTS_MAX); /* the tables are ours */
	memset(out, 0, sizeof(*out));
	out->used = argc;
	for (size_t i = 0; i < argc; i++) {
		struct err e = { { 0 } };

		if (!cmd_opts_is_option(argv[i]) && word == ARGS_WORD_STOP) {
			out->used = i;
			return 0;
		}
		if (!cmd_opts_is_option(argv[i]) && word == ARGS_WORD_POSITIONAL && i + 1 == argc) {
			out->positional = argv[i];
			return 0;
		}
		if (cmd_opts_read(t, argc, argv, &i, out->value, &e) != 0)
			return args_add_reason(msg, &e) != 0 ? -ENOMEM : -EINVAL;
	}
	return 0;
}

int
args_parse(const struct cmd_opts *t, size_t argc, char *const *argv, struct args *out,
    struct proto_buf *msg)
{
	return args_scan(t, ARGS_WORD_INVALID, argc, argv, out, msg);
}

int
args_parse_prefix(const struct cmd_opts *t, size_t argc, char *const *argv, struct args *out,
    struct proto_buf *msg)
{
	return args_scan(t, ARGS_WORD_STOP, argc, argv, out, msg);
}

int
args_parse_positional(const struct cmd_opts *t, size_t argc, char *const *argv, struct args *out,
    struct proto_buf *msg)
{
	return args_scan(t, ARGS_WORD_POSITIONAL, argc, argv, out, msg);
}

int
args_check_required(const struct cmd_opts *t, const struct args *a,
    const struct cmd_opts_need *need, struct proto_buf *msg)
{
	struct err e = { { 0 } };

	if (cmd_opts_check_required(t, a->value, need, &e) == 0)
		return 0;
	return args_add_reason(msg, &e);
}

size_t
args_find(const struct cmd_opts *t, const char *long_name)
{
	for (size_t k = 0; k < t->n; k++) {
		if (strcmp(t->opts[k].long_name, long_name) == 0)
			return k;
	}
	return t->n;
}

const char *
args_get(const struct cmd_opts *t, const struct args *a, const char *long_name)
{
	size_t k = args_find(t, long_name);

	return k < t->n ? a->value[k] : NULL;
}

/* ---- help ----------------------------------------------------------------------------- */

static int
args_spaces(struct proto_buf *b, size_t count)
{
	static const char blanks[] = "                                        ";

	while (count > 0) {
		size_t chunk = count < sizeof(blanks) - 1 ? count : sizeof(blanks) - 1;

		if (proto_buf_append(b, blanks, chunk) != 0)
			return -ENOMEM;
		count -= chunk;
	}
	return 0;
}

/* Append text from the current column ARGS_HELP_COLUMN, wrapped at width; continuation lines
 * are indented to the same column. Ends with a newline. */
static int
args_wrap(struct proto_buf *b, const char *text, unsigned width)
{
	size_t room = width > ARGS_HELP_COLUMN + 16 ? width - ARGS_HELP_COLUMN : 16;
	size_t col = 0;

	while (*text != '\0') {
		size_t len = strcspn(text, " ");

		if (col > 0 && col + 1 + len > room) {
			if (proto_buf_append(b, "\n", 1) != 0 ||
			    args_spaces(b, ARGS_HELP_COLUMN) != 0)
				return -ENOMEM;
			col = 0;
		} else if (col > 0) {
			if (proto_buf_append(b, " ", 1) != 0)
				return -ENOMEM;
			col++;
		}
		if (proto_buf_append(b, text, len) != 0)
			return -ENOMEM;
		col += len;
		text += len;
		text += strspn(text, " ");
	}
	return proto_buf_append(b, "\n", 1);
}

int
args_help_item(struct proto_buf *b, const char *name, const char *text, unsigned width)
{
	size_t len = strlen(name);

	if (proto_buf_printf(b, "  %s", name) != 0)
		return -ENOMEM;
	if (2 + len + 2 > ARGS_HELP_COLUMN) {
		if (proto_buf_append(b, "\n", 1) != 0 || args_spaces(b, ARGS_HELP_COLUMN) != 0)
			return -ENOMEM;
	} else if (args_spaces(b, ARGS_HELP_COLUMN - 2 - len) != 0) {
		return -ENOMEM;
	}
	return args_wrap(b, text, width);
}

int
args_help_options(
    struct proto_buf *b, const struct cmd_opts *t, const char *value_sep, unsigned width)
{
	for (size_t k = 0; k < t->n; k++) {
		const struct cmd_opt *o = &t->opts[k];
		char alias[96];
		char spec[128];
		char text[512];

		if (!cmd_opts_admits(t, k) || o->hidden)
			continue;
		cmd_opts_aliases(o, alias, sizeof(alias));
		if (o->kind == CMD_OPT_VALUE)
			(void)snprintf(spec, sizeof(spec), "%s%s<%s>", alias, value_sep,
			    o->placeholder != NULL ? o->placeholder : "str");
		else
			(void)snprintf(spec, sizeof(spec), "%s", alias);
		(void)snprintf(
		    text, sizeof(text), "%s%s", o->help, o->required ? " (required)" : "");
		if (args_help_item(b, spec, text, width) != 0)
			return -ENOMEM;
	}
	return 0;
}
