// SPDX-License-Identifier: MIT
/* Completion candidates, generated from the tables the parsers read, so that they can never
 * say otherwise than the grammar: the namespaces and commands (esxcli.c, cmds.c), the options
 * (lib/cmd_opts.c, the global options, vicfg-ipsec's), the fixed values of an option (algo,
 * words, the formatters) and the names of the SAs and policies, asked from the daemon. */
#include "complete.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "client.h"
#include "esxcli.h"
#include "out.h"
#include "vicfg.h"

/* A daemon that has not answered by then is not waited for: a shell is waiting. */
#define COMPLETE_TIMEOUT_SEC 3

/* What is printed. */
struct complete {
	const char *match;  /* candidates begin with this: the current word, or its value */
	const char *prefix; /* printed before each candidate: "--formatter=", or "" */
	const char *socket; /* --socket on the line, or NULL */
};

/* Where the words before the current one have led. */
struct complete_walk {
	struct cmd_opts t;          /* the options that apply here */
	bool given[CMD_OPTS_MAX];   /* the rows of t on the line */
	size_t pending;             /* the row whose value the current word is, or t.n */
	bool in_words;              /* past the global options: namespace and command words */
	unsigned node;              /* the namespace reached (esxcli.h) */
	const struct cmds_cmd *cmd; /* the command reached, or NULL */
	size_t op;                  /* vicfg-ipsec: the row of the operation given, or t.n */
};

static void
complete_offer(void *ctx, const char *word)
{
	const struct complete *c = ctx;

	if (strncmp(word, c->match, strlen(c->match)) == 0)
		(void)printf("%s%s\n", c->prefix, word);
}

static int
complete_record(void *ctx, const struct proto_record *rec, struct err *err)
{
	const char *name = proto_record_get(rec, "name");

	(void)err;
	if (name != NULL)
		complete_offer(ctx, name);
	return 0;
}

/* The names that request ("sa list", "sp list") lists; nothing when no daemon answers. */
static void
complete_names(struct complete *c, const char *request)
{
	char line[32];
	struct client_reply reply = { .status = 0 };
	struct err e = { { 0 } };
	int len = snprintf(line, sizeof(line), "%s\n", request);
	int rc = len > 0 && (size_t)len < sizeof(line)
	    ? client_exchange(client_socket_path(c->socket), line, (size_t)len, &reply, &e)
	    : -EINVAL;

	if (rc == 0 && reply.status == 0)
		rc = out_records(reply.body, reply.body_len, complete_record, c, &e);
	/* Whatever went wrong, the names offered before it are all a shell can use. */
	(void)rc;
	client_reply_fini(&reply);
}

static void
complete_values(struct complete *c, enum cmd_opt_values v)
{
	const char *name;

	switch (v) {
	case CMD_VALUES_FILE:
		(void)printf("%s\n", COMPLETE_FILES);
		return;
	case CMD_VALUES_FORMATTER:
		for (size_t i = 0; (name = out_format_name(i)) != NULL; i++)
			complete_offer(c, name);
		return;
	case CMD_VALUES_SA_NAME:
	case CMD_VALUES_SA_AUTO:
		cmd_opts_values_each(v, complete_offer, c);
		complete_names(c, "sa list");
		return;
	case CMD_VALUES_SP_NAME:
		complete_names(c, "sp list");
		return;
	case CMD_VALUES_TEXT:
	case CMD_VALUES_ENC:
	case CMD_VALUES_AUTH:
	case CMD_VALUES_MODE:
	case CMD_VALUES_DIR:
	case CMD_VALUES_ACTION:
	case CMD_VALUES_PROTO:
	case CMD_VALUES_ANY:
	case CMD_VALUES_ENCAP:
		cmd_opts_values_each(v, complete_offer, c);
		return;
	}
}

/* "--long" for each admitted row of w->t that is not on the line and that keep (NULL: all)
 * lets through. */
static void
complete_options(
    struct complete *c, const struct complete_walk *w, bool (*keep)(size_t op, size_t k))
{
	char opt[96];

	for (size_t k = 0; k < w->t.n; k++) {
		int len = snprintf(opt, sizeof(opt), "--%s", w->t.opts[k].long_name);

		if (!w->given[k] && cmd_opts_admits(&w->t, k) && !w->t.opts[k].hidden &&
		    (keep == NULL || keep(w->op, k)) && len > 0 && (size_t)len < sizeof(opt))
			complete_offer(c, opt);
	}
}

/* A command's options and --help, or --help alone in a namespace (which takes no options). */
static void
complete_help(struct complete *c, const struct complete_walk *w)
{
	if (w->cmd != NULL)
		complete_options(c, w, NULL);
	complete_offer(c, "--help");
}

/* The current word is "--opt=VALUE": the values of opt, after "--opt=". Returns false when it
 * is not such a word. */
static bool
complete_inline_value(struct complete *c, const struct complete_walk *w, const char *cur,
    enum cmd_opt_values (*values)(const struct complete_walk *w, size_t k))
{
	const char *eq = strchr(cur, '=');
	size_t k;
	char prefix[96];

	if (!cmd_opts_is_option(cur) || eq == NULL || (size_t)(eq - cur) >= sizeof(prefix))
		return false;
	k = cmd_opts_find(&w->t, cur, (size_t)(eq - cur));
	if (k == w->t.n || w->t.opts[k].kind != CMD_OPT_VALUE)
		return true;
	memcpy(prefix, cur, (size_t)(eq - cur) + 1);
	prefix[eq - cur + 1] = '\0';
	c->prefix = prefix;
	c->match = eq + 1;
	complete_values(c, values(w, k));
	c->prefix = "";
	c->match = cur;
	return true;
}

/* Read the option word at words[*i] (an unknown one is passed over): it is on the line now,
 * and a value option without "=" takes the next word, or the current one when that is next.
 * Returns the row, or w->t.n. */
static size_t
complete_option(struct complete_walk *w, size_t n, char **words, size_t *i)
{
	const char *word = words[*i];
	const char *eq = strchr(word, '=');
	size_t len = eq != NULL ? (size_t)(eq - word) : strlen(word);
	size_t k = len >= 2 ? cmd_opts_find(&w->t, word, len) : w->t.n;

	if (k == w->t.n)
		return k;
	w->given[k] = true;
	if (w->t.opts[k].kind == CMD_OPT_VALUE && eq == NULL) {
		if (*i + 2 < n)
			*i += 1;
		else
			w->pending = k;
	}
	return k;
}

/* The value given to the option that words[i] is: after its "=", else the next word (NULL
 * when that is the current word). */
static const char *
complete_value_of(char **words, size_t n, size_t i)
{
	const char *eq = strchr(words[i], '=');

	if (eq != NULL)
		return eq + 1;
	return i + 2 < n ? words[i + 1] : NULL;
}

static enum cmd_opt_values
complete_esxcli_values(const struct complete_walk *w, size_t k)
{
	return w->t.opts[k].values;
}

/* The esxcli grammar, as esxcli or as ipsec6 (native): global options, namespace words, a
 * command, its options. Returns false when a word fits nowhere. */
static bool
complete_esxcli_walk(
    struct complete *c, struct complete_walk *w, bool native, size_t n, char **words)
{
	for (size_t i = 1; i + 1 < n; i++) {
		const char *word = words[i];
		size_t k;

		if (cmd_opts_is_option(word) && (!w->in_words || w->cmd != NULL)) {
			size_t at = i;

			k = complete_option(w, n, words, &i);
			if (!w->in_words && k < w->t.n &&
			    strcmp(w->t.opts[k].long_name, "socket") == 0)
				c->socket = complete_value_of(words, n, at);
			continue;
		}
		if (w->cmd != NULL)
			return false; /* a stray word after the command */
		w->in_words = true;
		if (esxcli_step(native, &w->node, word, &w->cmd) != 0)
			return false;
		if (w->cmd != NULL) {
			w->t = cmds_table(w->cmd, native);
			memset(w->given, 0, sizeof(w->given));
			w->pending = w->t.n;
		}
	}
	return true;
}

static void
complete_esxcli(struct complete *c, bool native, size_t n, char **words)
{
	struct complete_walk w = { .t = esxcli_globals_table(native) };
	const char *cur = words[n - 1];

	w.pending = w.t.n;
	if (!complete_esxcli_walk(c, &w, native, n, words))
		return;
	if (w.pending < w.t.n)
		complete_values(c, w.t.opts[w.pending].values);
	else if (complete_inline_value(c, &w, cur, complete_esxcli_values))
		return;
	else if (!w.in_words && cur[0] == '-')
		complete_options(c, &w, NULL);
	else if (w.cmd != NULL || cur[0] == '-')
		complete_help(c, &w);
	else
		esxcli_words(native, w.node, complete_offer, c);
}

static enum cmd_opt_values
complete_vicfg_values(const struct complete_walk *w, size_t k)
{
	(void)w;
	return vicfg_values(k);
}

/* vicfg-ipsec: once an operation is given, only the options it takes. */
static bool
complete_vicfg_keep(size_t op, size_t k)
{
	return vicfg_takes(op, k);
}

/* vicfg-ipsec: an operation, its options, the name last. */
static void
complete_vicfg(struct complete *c, size_t n, char **words)
{
	struct complete_walk w = { .t = vicfg_options() };
	const char *cur = words[n - 1];

	w.pending = w.t.n;
	w.op = w.t.n;
	for (size_t i = 1; i + 1 < n; i++) {
		size_t k;

		if (!cmd_opts_is_option(words[i]))
			continue; /* the name */
		k = complete_option(&w, n, words, &i);
		if (k < w.t.n && vicfg_is_operation(k))
			w.op = k;
	}
	if (w.pending < w.t.n) {
		complete_values(c, vicfg_values(w.pending));
		return;
	}
	if (complete_inline_value(c, &w, cur, complete_vicfg_values))
		return;
	complete_options(c, &w, w.op < w.t.n ? complete_vicfg_keep : NULL);
	if (w.op < w.t.n && cur[0] != '-')
		complete_values(c, vicfg_name_values(w.op));
}

int
complete_main(size_t argc, char **argv)
{
	struct complete c = { .prefix = "" };
	const char *prog;
	const char *slash;

	if (argc > 0 && strcmp(argv[0], "--") == 0) {
		argc--;
		argv++;
	}
	/* Nothing to offer for the program name itself. */
	if (argc < 2)
		return 0;
	/* The default action of SIGALRM ends the process: a stuck daemon leaves the shell with
	 * no candidates, not waiting. */
	(void)alarm(COMPLETE_TIMEOUT_SEC);
	slash = strrchr(argv[0], '/');
	prog = slash != NULL ? slash + 1 : argv[0];
	c.match = argv[argc - 1];
	if (strcmp(prog, "vicfg-ipsec") == 0)
		complete_vicfg(&c, argc, argv);
	else
		complete_esxcli(&c, strcmp(prog, "esxcli") != 0, argc, argv);
	return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
}
