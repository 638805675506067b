// SPDX-License-Identifier: MIT
/* What every command does with its table: look it up by its words, parse and check its
 * options, build the request line, print its help. */
#include "cmds.h"

#include <errno.h>
#include <string.h>

#include "keys.h"

/* The native top-level command: the configuration text, the same grammar as ipsec6 -f reads. */
const struct cmds_cmd cmds_save = {
	.verb = "save",
	.request = "save",
	.descr = "Print the configuration, keys included, one command per line: the file "
		 "format that ipsec6 -f reads.",
	.text = true,
	.native = true,
};

/* The native top-level command: the counters of ipsec6d's data path. */
const struct cmds_cmd cmds_stats = {
	.verb = "stats",
	.request = "stats",
	.descr = "Show the data path's counters: packets, bytes and drops per Security "
		 "Association, matches per Security Policy, and global drops.",
	.report = &out_stats,
	.native = true,
};

/* The native `hosts list`: the inventory of the host the command runs on (hosts.h), which
 * answers it as ipsec6d answers a list. */
const struct cmds_cmd cmds_hosts_list = {
	.ns = "hosts",
	.verb = "list",
	.request = "hosts list",
	.descr = "List the hosts this one manages: the names --vihost takes, and how each is "
		 "reached over SSH.",
	.list = &out_hosts_list,
	.native = true,
};

/* The native `monitor`: the daemon's events as they happen. */
const struct cmds_cmd cmds_monitor = {
	.verb = "monitor",
	.request = "monitor",
	.descr = "Print ipsec6d's events as they happen, one line each, until interrupted: "
		 "SAs and policies added, removed and replaced, reloads, lifetimes reached, "
		 "drops (at most one line per SA and reason a second) and the daemon's stop. "
		 "--formatter=json prints one JSON object per line.",
	.stream = true,
	.native = true,
};

static const struct cmds_cmd *const cmds_all[] = {
	&cmds_sa_add,
	&cmds_sa_list,
	&cmds_sa_remove,
	&cmds_sa_rekey,
	&cmds_sa_export,
	&cmds_sp_add,
	&cmds_sp_list,
	&cmds_sp_remove,
	&cmds_save,
	&cmds_stats,
	&cmds_monitor,
	&cmds_hosts_list,
};

#define CMDS_COUNT (sizeof(cmds_all) / sizeof(cmds_all[0]))

static bool
cmds_same_ns(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

const struct cmds_cmd *
cmds_lookup(const char *ns, const char *verb, bool native)
{
	for (size_t i = 0; i < CMDS_COUNT; i++) {
		const struct cmds_cmd *c = cmds_all[i];

		if (cmds_same_ns(c->ns, ns) && strcmp(c->verb, verb) == 0 && (native || !c->native))
			return c;
	}
	return NULL;
}

const struct cmds_cmd *
cmds_at(size_t i)
{
	return i < CMDS_COUNT ? cmds_all[i] : NULL;
}

int
cmds_help_list(struct proto_buf *b, const char *ns, bool native, unsigned width)
{
	int lines = 0;

	for (size_t i = 0; i < CMDS_COUNT; i++) {
		const struct cmds_cmd *c = cmds_all[i];

		if (!cmds_same_ns(c->ns, ns) || (c->native && !native))
			continue;
		if (args_help_item(b, c->verb, c->descr, width) != 0)
			return -ENOMEM;
		lines++;
	}
	return lines;
}

const char *
cmds_request_words(const struct cmds_cmd *c)
{
	return c->grammar ? cmd_verb_name(c->id) : c->request;
}

struct cmd_opts
cmds_table(const struct cmds_cmd *c, bool native)
{
	struct cmd_opts t = { c->opts, c->n_opts, native, true };

	if (c->grammar)
		t.opts = cmd_options(c->id, &t.n);
	return t;
}

/* A key given both on the command line and in a file. */
static int
cmds_key_conflicts(const struct cmd_opts *t, const struct args *a, struct proto_buf *msg)
{
	for (size_t k = 0; k < t->n; k++) {
		const struct cmd_opt *o = &t->opts[k];
		size_t key;
		char alias[96];

		if (o->use != CMD_OPT_KEY_FILE || a->value[k] == NULL)
			continue;
		key = args_find(t, o->send_as);
		if (key == t->n || a->value[key] == NULL)
			continue;
		cmd_opts_aliases(&t->opts[key], alias, sizeof(alias));
		if (proto_buf_printf(msg, "%s%s and --%s cannot be used together",
			msg->len > 0 ? "\n" : "", alias, o->long_name) != 0)
			return -ENOMEM;
	}
	return 0;
}

/* The rules between c's options: the grammar's (which the daemon applies again), or c's own. */
static int
cmds_check_rules(const struct cmds_cmd *c, const struct args *a, struct proto_buf *msg)
{
	struct err e = { { 0 } };

	if (!c->grammar)
		return c->check != NULL ? c->check(c, a, msg) : 0;
	if (cmd_opts_check_rules(c->id, a->value, &e) == 0)
		return 0;
	return args_add_reason(msg, &e);
}

int
cmds_parse(const struct cmds_cmd *c, bool native, size_t argc, char *const *argv, struct args *a,
    struct proto_buf *msg)
{
	struct cmd_opts t = cmds_table(c, native);
	struct cmd_opts_need need = { cmd_opts_needed, &c->id };
	int rc = args_parse(&t, argc, argv, a, msg);

	if (rc != 0)
		return rc;
	if (args_check_required(&t, a, c->grammar ? &need : NULL, msg) != 0)
		return -ENOMEM;
	if (msg->len == 0 && cmds_key_conflicts(&t, a, msg) != 0)
		return -ENOMEM;
	if (msg->len == 0 && cmds_check_rules(c, a, msg) != 0)
		return -ENOMEM;
	return msg->len > 0 ? -EINVAL : 0;
}

int
cmds_request_option(struct proto_buf *req, struct proto_buf *shown, const char *name,
    const char *value, bool secret, struct err *err)
{
	struct proto_buf word = { 0 };
	int rc;

	/* A request is made of lines (doc/control-protocol.md): a line break cannot travel. */
	if (value != NULL && strpbrk(value, "\r\n") != NULL)
		return err_set(err, EINVAL, "the value of --%s holds a line break", name);
	rc = proto_buf_printf(
	    &word, "--%s%s%s", name, value != NULL ? "=" : "", value != NULL ? value : "");
	if (rc == 0)
		rc = proto_buf_append(req, " ", 1);
	if (rc == 0)
		rc = proto_quote_word(req, word.data);
	if (rc == 0)
		rc = proto_buf_append(shown, " ", 1);
	if (rc == 0 && secret)
		rc = proto_buf_printf(shown, "--%s=<hidden>", name);
	else if (rc == 0)
		rc = proto_quote_word(shown, word.data);
	proto_buf_fini(&word); /* wipes: it may hold a key */
	return rc != 0 ? err_set(err, ENOMEM, "out of memory") : 0;
}

/* One option of the table, as the daemon is to read it. */
static int
cmds_request_row(struct proto_buf *req, struct proto_buf *shown, const struct cmd_opt *o,
    const char *value, struct err *err)
{
	const char *name = o->send_as != NULL ? o->send_as : o->long_name;
	struct proto_buf key = { 0 };
	int rc;

	switch (o->use) {
	case CMD_OPT_LOCAL:
		return 0;
	case CMD_OPT_SEND:
		return cmds_request_option(
		    req, shown, name, o->kind == CMD_OPT_FLAG ? NULL : value, o->secret, err);
	case CMD_OPT_KEY_FILE:
		break;
	}
	rc = keys_read_file(value,
	    strcmp(name, "integrity-key") == 0 ? "integrity key" : "encryption key", &key, err);
	if (rc == 0)
		rc = cmds_request_option(req, shown, name, key.data, true, err);
	proto_buf_fini(&key);
	return rc;
}

int
cmds_request(struct proto_buf *req, struct proto_buf *shown, const char *words,
    const struct cmd_opts *t, const struct args *a, struct err *err)
{
	if (proto_buf_printf(req, "%s", words) != 0 || proto_buf_printf(shown, "%s", words) != 0)
		return err_set(err, ENOMEM, "out of memory");
	for (size_t k = 0; k < t->n; k++) {
		int rc;

		if (a->value[k] == NULL)
			continue;
		rc = cmds_request_row(req, shown, &t->opts[k], a->value[k], err);
		if (rc != 0)
			return rc;
	}
	return 0;
}

int
cmds_help(struct proto_buf *b, const struct cmds_cmd *c, const char *usage_path, bool native,
    unsigned width)
{
	struct cmd_opts t = cmds_table(c, native);
	bool any = false;

	for (size_t k = 0; k < t.n; k++)
		any = any || cmd_opts_admits(&t, k);
	if (proto_buf_printf(b, "Usage: %s [cmd options]\n\nDescription:\n", usage_path) != 0 ||
	    args_help_item(b, c->verb, c->descr, width) != 0)
		return -ENOMEM;
	if (!any)
		return 0;
	if (proto_buf_printf(b, "\nCmd options:\n") != 0)
		return -ENOMEM;
	return args_help_options(b, &t, "=", width);
}
