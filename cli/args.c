// SPDX-License-Identifier: MIT
/* esxcli's option rules, driven by a table: --opt=value or --opt value, -x value or -x=value, no
 * prefix matching, a value that looks like an option is not taken. The messages are the ones
 * lib/cmd.c gives, so that the CLI and the configuration file say the same thing. */
#include "args.h"

#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Longest option text quoted in a message (an option that long is invalid anyway). */
#define ARGS_QUOTE_MAX 128

static int
args_quote_len(size_t len)
{
	return len > ARGS_QUOTE_MAX ? ARGS_QUOTE_MAX : (int)len;
}

/* Record a syntax error; returns -EINVAL, or -ENOMEM when it cannot be recorded. */
__attribute__((format(printf, 2, 3))) static int
args_fail(struct proto_buf *msg, const char *fmt, ...)
{
	char text[512];
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (len < 0)
		return -EINVAL;
	if ((size_t)len >= sizeof(text))
		len = (int)sizeof(text) - 1;
	return proto_buf_append(msg, text, (size_t)len) != 0 ? -ENOMEM : -EINVAL;
}

static bool
args_is_option(const char *word)
{
	return word[0] == '-' && word[1] != '\0';
}

static bool
args_visible(const struct args_table *t, size_t k)
{
	return t->native || !t->opts[k].native;
}

/* The row that tok[0, len) names ("--long" or "-x"), or t->n. */
static size_t
args_lookup(const struct args_table *t, const char *tok, size_t len)
{
	for (size_t i = 0; i < t->n; i++) {
		const struct args_opt *o = &t->opts[i];

		if (!args_visible(t, i))
			continue;
		if (tok[1] == '-') {
			if (strlen(o->long_name) == len - 2 &&
			    memcmp(o->long_name, tok + 2, len - 2) == 0)
				return i;
		} else if (len == 2 && o->short_name != '\0' && o->short_name == tok[1]) {
			return i;
		}
	}
	return t->n;
}

/* Read the option at argv[*i] and its value. */
static int
args_one(const struct args_table *t, size_t argc, char *const *argv, size_t *i, struct args *a,
    struct proto_buf *msg)
{
	const char *tok = argv[*i];
	const char *eq = strchr(tok, '=');
	size_t len = eq != NULL ? (size_t)(eq - tok) : strlen(tok);
	size_t k = args_lookup(t, tok, len);

	if (k == t->n)
		return args_fail(msg, "Invalid option %.*s", args_quote_len(len), tok);
	if (a->value[k] != NULL)
		return args_fail(msg, "Duplicated option %.*s", args_quote_len(len), tok);
	switch (t->opts[k].kind) {
	case ARGS_FLAG:
		if (eq != NULL)
			return args_fail(msg, "'%.*s' is a flag and cannot accept any values.",
			    args_quote_len(len), tok);
		a->value[k] = "";
		return 0;
	case ARGS_VALUE:
		break;
	}
	if (eq != NULL) {
		a->value[k] = eq + 1;
		return 0;
	}
	if (*i + 1 == argc || args_is_option(argv[*i + 1]))
		return args_fail(msg, "%.*s must have value", args_quote_len(len), tok);
	*i += 1;
	a->value[k] = argv[*i];
	return 0;
}

/* What to do with a word that is not an option. */
enum args_word {
	ARGS_WORD_INVALID,    /* "Invalid option WORD" */
	ARGS_WORD_POSITIONAL, /* the last word is the positional argument */
	ARGS_WORD_STOP,       /* the options end here */
};

static int
args_scan(const struct args_table *t, enum args_word word, size_t argc, char *const *argv,
    struct args *out, struct proto_buf *msg)
{
	assert(t->n <= ARGS_OPTS_MAX); /* the tables are ours */
	memset(out, 0, sizeof(*out));
	out->used = argc;
	for (size_t i = 0; i < argc; i++) {
		int rc;

		if (!args_is_option(argv[i])) {
			if (word == ARGS_WORD_STOP) {
				out->used = i;
				return 0;
			}
			if (word == ARGS_WORD_POSITIONAL && i + 1 == argc) {
				out->positional = argv[i];
				return 0;
			}
			return args_fail(msg, "Invalid option %s", argv[i]);
		}
		rc = args_one(t, argc, argv, &i, out, msg);
		if (rc != 0)
			return rc;
	}
	return 0;
}

int
args_parse(const struct args_table *t, size_t argc, char *const *argv, struct args *out,
    struct proto_buf *msg)
{
	return args_scan(t, ARGS_WORD_INVALID, argc, argv, out, msg);
}

int
args_parse_prefix(const struct args_table *t, size_t argc, char *const *argv, struct args *out,
    struct proto_buf *msg)
{
	return args_scan(t, ARGS_WORD_STOP, argc, argv, out, msg);
}

int
args_parse_positional(const struct args_table *t, size_t argc, char *const *argv, struct args *out,
    struct proto_buf *msg)
{
	return args_scan(t, ARGS_WORD_POSITIONAL, argc, argv, out, msg);
}

void
args_aliases(const struct args_opt *o, char *buf, size_t size)
{
	if (o->short_name != '\0')
		(void)snprintf(buf, size, "-%c|--%s", o->short_name, o->long_name);
	else
		(void)snprintf(buf, size, "--%s", o->long_name);
}

int
args_missing(const struct args_opt *o, struct proto_buf *msg)
{
	char alias[96];

	args_aliases(o, alias, sizeof(alias));
	return proto_buf_printf(
	    msg, "%sMissing required parameter %s", msg->len > 0 ? "\n" : "", alias);
}

/* A KEY_FILE row given for the option that row k is. */
static bool
args_given_by_file(const struct args_table *t, const struct args *a, size_t k)
{
	for (size_t j = 0; j < t->n; j++) {
		if (t->opts[j].use == ARGS_KEY_FILE && a->value[j] != NULL &&
		    strcmp(t->opts[j].send_as, t->opts[k].long_name) == 0)
			return true;
	}
	return false;
}

int
args_check_required(const struct args_table *t, const struct args *a, const struct args_need *need,
    struct proto_buf *msg)
{
	int lines = 0;

	for (size_t k = 0; k < t->n; k++) {
		bool required = need != NULL ? need->fn(t, k, a, need->ctx) : t->opts[k].required;

		if (!required || !args_visible(t, k) || a->value[k] != NULL ||
		    args_given_by_file(t, a, k))
			continue;
		if (args_missing(&t->opts[k], msg) != 0)
			return -ENOMEM;
		lines++;
	}
	return lines;
}

size_t
args_find(const struct args_table *t, const char *long_name)
{
	for (size_t k = 0; k < t->n; k++) {
		if (strcmp(t->opts[k].long_name, long_name) == 0)
			return k;
	}
	return t->n;
}

const char *
args_get(const struct args_table *t, const struct args *a, const char *long_name)
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
    struct proto_buf *b, const struct args_table *t, const char *value_sep, unsigned width)
{
	for (size_t k = 0; k < t->n; k++) {
		const struct args_opt *o = &t->opts[k];
		char alias[96];
		char spec[128];
		char text[512];

		if (!args_visible(t, k))
			continue;
		args_aliases(o, alias, sizeof(alias));
		if (o->kind == ARGS_VALUE)
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
