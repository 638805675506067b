// SPDX-License-Identifier: MIT
/* The esxcli grammar (CLI.md "Entry points", "Global options"): global options, then the
 * namespace words down to a command, then the command's options. Namespaces without a command
 * print their help, as esxcli does. As ipsec6 the words `network ip ipsec` may be left out
 * and the native options and commands are admitted. */
#include "esxcli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "batch.h"
#include "cmds.h"
#include "hosts.h"

#ifndef IPSEC6_VERSION
#define IPSEC6_VERSION "unknown"
#endif

enum esxcli_node {
	NODE_ROOT,
	NODE_NETWORK,
	NODE_IP,
	NODE_IPSEC,
	NODE_SA,
	NODE_SP,
	NODE_HOSTS, /* ipsec6 only, at the top */
};

struct esxcli_ns {
	const char *name;
	const char *descr;
	const char *cmds_ns; /* the commands of this namespace (cmds.h); NULL: none */
};

static const struct esxcli_ns esxcli_nodes[] = {
	[NODE_ROOT] = { "", "", NULL },
	[NODE_NETWORK] = { "network",
	    "Operations on the network of the host; ipsec6 provides "
	    "its IPsec part.",
	    NULL },
	[NODE_IP] = { "ip", "Operations on the IP stack; ipsec6 provides its IPsec part.", NULL },
	[NODE_IPSEC] = { "ipsec",
	    "IPsec for IPv6: Security Associations and Security Policies with manual keys.", NULL },
	[NODE_SA] = { "sa", "Operations on IPsec Security Associations.", "sa" },
	[NODE_SP] = { "sp", "Operations on IPsec Security Policies.", "sp" },
	[NODE_HOSTS] = { "hosts",
	    "The hosts this one manages, for --vihost: its inventory (" HOSTS_FILE_DEFAULT
	    ", or $" HOSTS_FILE_ENV ").",
	    "hosts" },
};

enum {
	G_FILE,
	G_FORMATTER,
	G_WIDTH,
	G_DEBUG,
	G_SOCKET,
	G_VERSION,
	G_HELP,
	G_REMOTE, /* REMOTE_ROWS rows: --server, ... */
	G__COUNT = G_REMOTE + REMOTE_ROWS
};

static const struct cmd_opt esxcli_globals[G__COUNT] = {
	[G_FILE] = { .short_name = 'f',
	    .long_name = "file",
	    .kind = CMD_OPT_VALUE,
	    .native = true,
	    .use = CMD_OPT_LOCAL,
	    .values = CMD_VALUES_FILE,
	    .help = "Apply the commands in this file (- for standard input), one per line as "
		    "ipsec6 save prints them, as one transaction: all of them or none." },
	[G_FORMATTER] = { .long_name = "formatter",
	    .kind = CMD_OPT_VALUE,
	    .use = CMD_OPT_LOCAL,
	    .values = CMD_VALUES_FORMATTER,
	    .help = "Override the formatter of list output: xml, csv, keyvalue or json "
		    "(default: a table)." },
	[G_WIDTH] = { .long_name = "screen-width",
	    .kind = CMD_OPT_VALUE,
	    .use = CMD_OPT_LOCAL,
	    .placeholder = "long",
	    .help = "Wrap help text at this many columns (default 80)." },
	[G_DEBUG] = { .long_name = "debug",
	    .kind = CMD_OPT_FLAG,
	    .use = CMD_OPT_LOCAL,
	    .help = "Print the socket, the request (keys hidden) and the status of the answer "
		    "on standard error." },
	[G_SOCKET] = { .long_name = "socket",
	    .kind = CMD_OPT_VALUE,
	    .native = true,
	    .use = CMD_OPT_LOCAL,
	    .values = CMD_VALUES_FILE,
	    .help = "Control socket of ipsec6d (default: $IPSEC6_SOCKET, else "
		    "/run/ipsec6/ipsec6.sock)." },
	[G_VERSION] = { .long_name = "version",
	    .kind = CMD_OPT_FLAG,
	    .use = CMD_OPT_LOCAL,
	    .help = "Print the version and exit." },
	[G_HELP] = { .short_name = '?',
	    .long_name = "help",
	    .kind = CMD_OPT_FLAG,
	    .use = CMD_OPT_LOCAL,
	    .help = "Print this help, or the help of the namespace or command that follows." },
	REMOTE_OPTS_ROWS(true),
};

/* Where the words have led so far. */
struct esxcli_walk {
	enum esxcli_node node;
	struct proto_buf path; /* "esxcli network ip": the usage line's words */
	bool help;             /* --help given before the command words */
};

/* ---- help pages ----------------------------------------------------------------------- */

static int
esxcli_help_item(struct proto_buf *b, enum esxcli_node n, unsigned width)
{
	return args_help_item(b, esxcli_nodes[n].name, esxcli_nodes[n].descr, width);
}

static int
esxcli_help_root(const struct cli *cli, struct proto_buf *b)
{
	struct cmd_opts globals = { esxcli_globals, G__COUNT, cli->native, true };
	int rc;

	if (cli->native)
		rc = proto_buf_printf(b,
		    "Usage: %s [options] [network ip ipsec] {sa|sp} {cmd} [cmd options]\n"
		    "       %s [options] {cmd}\n"
		    "       %s [options] -f FILE\n",
		    cli->prog, cli->prog, cli->prog);
	else
		rc = proto_buf_printf(
		    b, "Usage: %s [options] {namespace}+ {cmd} [cmd options]\n", cli->prog);
	if (rc == 0)
		rc = proto_buf_printf(b, "\nOptions:\n");
	if (rc == 0)
		rc = args_help_options(b, &globals, "=", cli->width);
	if (rc == 0)
		rc = proto_buf_printf(b, "\nAvailable Namespaces:\n");
	if (rc == 0 && !cli->native)
		return esxcli_help_item(b, NODE_NETWORK, cli->width);
	if (rc == 0)
		rc = esxcli_help_item(b, NODE_SA, cli->width);
	if (rc == 0)
		rc = esxcli_help_item(b, NODE_SP, cli->width);
	if (rc == 0)
		rc = esxcli_help_item(b, NODE_HOSTS, cli->width);
	if (rc == 0)
		rc = proto_buf_printf(b, "\nAvailable Commands:\n");
	return rc == 0 && cmds_help_list(b, NULL, true, cli->width) >= 0 ? 0 : -ENOMEM;
}

/* The help of a namespace: its child namespaces or its commands. */
static int
esxcli_help_node(const struct cli *cli, const struct esxcli_walk *w, struct proto_buf *b)
{
	const struct esxcli_ns *ns = &esxcli_nodes[w->node];
	int rc;

	if (w->node == NODE_ROOT)
		return esxcli_help_root(cli, b);
	rc = proto_buf_printf(b, "Usage: %s {cmd} [cmd options]\n\n%s\n", w->path.data,
	    ns->cmds_ns != NULL ? "Available Commands:" : "Available Namespaces:");
	if (rc != 0)
		return -ENOMEM;
	if (ns->cmds_ns != NULL)
		return cmds_help_list(b, ns->cmds_ns, cli->native, cli->width) >= 0 ? 0 : -ENOMEM;
	if (w->node != NODE_IPSEC)
		return esxcli_help_item(b, (enum esxcli_node)(w->node + 1), cli->width);
	rc = esxcli_help_item(b, NODE_SA, cli->width);
	return rc == 0 ? esxcli_help_item(b, NODE_SP, cli->width) : rc;
}

/* ---- words ---------------------------------------------------------------------------- */

/* The namespace below node called word, or -1. As ipsec6, sa and sp are also at the top. */
static int
esxcli_child(const struct cli *cli, enum esxcli_node node, const char *word)
{
	bool top = node == NODE_IPSEC || (node == NODE_ROOT && cli->native);

	if (node < NODE_IPSEC && strcmp(word, esxcli_nodes[node + 1].name) == 0)
		return (int)node + 1;
	if (top && strcmp(word, "sa") == 0)
		return NODE_SA;
	if (top && strcmp(word, "sp") == 0)
		return NODE_SP;
	if (node == NODE_ROOT && cli->native && strcmp(word, "hosts") == 0)
		return NODE_HOSTS;
	return -1;
}

/* The command called word at node, or NULL. The doc form `network ip ipsec add|list|remove`
 * (without sp) means the sp command. */
static const struct cmds_cmd *
esxcli_command(const struct cli *cli, enum esxcli_node node, const char *word)
{
	const struct cmds_cmd *c = NULL;

	if (esxcli_nodes[node].cmds_ns != NULL)
		return cmds_lookup(esxcli_nodes[node].cmds_ns, word, cli->native);
	if (node == NODE_ROOT && cli->native)
		c = cmds_lookup(NULL, word, true);
	if (c == NULL && (node == NODE_IPSEC || (node == NODE_ROOT && cli->native)))
		c = cmds_lookup("sp", word, false);
	return c;
}

static bool
esxcli_is_help(const char *word)
{
	return strcmp(word, "--help") == 0 || strcmp(word, "-?") == 0;
}

/* A syntax error at the namespace reached: the message, then its help. */
static int
esxcli_node_error(struct cli *cli, const struct esxcli_walk *w, struct proto_buf *msg)
{
	struct proto_buf help = { 0 };
	int status;

	if (esxcli_help_node(cli, w, &help) != 0)
		status = cli_fail(cli, "out of memory");
	else
		status = cli_usage_error(cli, msg, &help);
	proto_buf_fini(&help);
	return status;
}

static int
esxcli_node_help(struct cli *cli, const struct esxcli_walk *w)
{
	struct proto_buf help = { 0 };
	int status;

	if (esxcli_help_node(cli, w, &help) != 0)
		status = cli_fail(cli, "out of memory");
	else
		status = cli_help(cli, &help);
	proto_buf_fini(&help);
	return status;
}

/* ---- a command ------------------------------------------------------------------------ */

static int
esxcli_cmd_help(struct cli *cli, const struct cmds_cmd *c, const char *path, struct proto_buf *b)
{
	if (cmds_help(b, c, path, cli->native, cli->width) != 0)
		return cli_fail(cli, "out of memory");
	return 0;
}

static int
esxcli_send(struct cli *cli, const struct cmds_cmd *c, const struct args *a)
{
	struct cmd_opts t = cmds_table(c, cli->native);
	struct proto_buf req = { 0 };
	struct proto_buf shown = { 0 };
	struct cli_reply_use use = {
		cli->native && c->list_native != NULL ? c->list_native : c->list, c->text, c->report
	};
	struct err e = { { 0 } };
	int status;

	if (cmds_request(&req, &shown, cmds_request_words(c), &t, a, &e) != 0)
		status = cli_fail(cli, "%s", e.msg);
	else if (proto_buf_append(&req, "\n", 1) != 0)
		status = cli_fail(cli, "out of memory");
	else if (c->stream)
		status = cli_monitor(cli, &req);
	else
		status = cli_exchange(cli, &req, shown.data, &use);
	proto_buf_fini(&req);
	proto_buf_fini(&shown);
	return status;
}

/* Run command c with the words that follow it. */
static int
esxcli_run(struct cli *cli, const struct esxcli_walk *w, const struct cmds_cmd *c, size_t argc,
    char **argv)
{
	struct proto_buf help = { 0 };
	struct proto_buf msg = { 0 };
	struct args a;
	bool want_help = w->help;
	int status;
	int rc;

	for (size_t i = 0; i < argc && !want_help; i++)
		want_help = esxcli_is_help(argv[i]);
	if (want_help) {
		status = esxcli_cmd_help(cli, c, w->path.data, &help);
		if (status == 0)
			status = cli_help(cli, &help);
		goto out;
	}
	rc = cmds_parse(c, cli->native, argc, argv, &a, &msg);
	if (rc == -ENOMEM) {
		status = cli_fail(cli, "out of memory");
	} else if (rc != 0) {
		status = esxcli_cmd_help(cli, c, w->path.data, &help);
		if (status == 0)
			status = cli_usage_error(cli, &msg, &help);
	} else {
		status = esxcli_send(cli, c, &a);
	}
out:
	proto_buf_fini(&help);
	proto_buf_fini(&msg);
	return status;
}

/* A word that is neither a namespace nor a command here: the namespace's help if it asks for
 * help, else an error. */
static int
esxcli_unknown(struct cli *cli, const struct esxcli_walk *w, const char *word)
{
	struct proto_buf msg = { 0 };
	const char *words = w->path.data + strlen(cli->prog); /* " network ip", or "" */
	int status;

	if (esxcli_is_help(word))
		return esxcli_node_help(cli, w);
	/* The option's name only, as cmd_opts_read() says it: its value may be a key. */
	if (word[0] == '-')
		status =
		    proto_buf_printf(&msg, "Invalid option %.*s", (int)strcspn(word, "="), word);
	else
		status = proto_buf_printf(&msg, "Unknown command or namespace%s %s", words, word);
	status = status != 0 ? cli_fail(cli, "out of memory") : esxcli_node_error(cli, w, &msg);
	proto_buf_fini(&msg);
	return status;
}

static int
esxcli_walk(struct cli *cli, struct esxcli_walk *w, size_t argc, char **argv)
{
	for (size_t i = 0; i < argc; i++) {
		const struct cmds_cmd *c = esxcli_command(cli, w->node, argv[i]);
		int child = c == NULL ? esxcli_child(cli, w->node, argv[i]) : -1;

		if (c == NULL && child < 0)
			return esxcli_unknown(cli, w, argv[i]);
		if (proto_buf_printf(&w->path, " %s", argv[i]) != 0)
			return cli_fail(cli, "out of memory");
		if (c != NULL)
			return esxcli_run(cli, w, c, argc - i - 1, argv + i + 1);
		w->node = (enum esxcli_node)child;
	}
	return esxcli_node_help(cli, w);
}

/* ---- global options ------------------------------------------------------------------- */

/* The connection options: 1 and msg for a syntax error, 2 once a refusal is said, -1 to go
 * on. */
static int
esxcli_remote(struct cli *cli, const struct args *g, struct proto_buf *msg)
{
	struct err e = { { 0 } };
	int rc = remote_from_args(&esxcli_globals[G_REMOTE], &g->value[G_REMOTE], &cli->remote, &e);

	if (rc == -EPERM) {
		(void)cli_fail(cli, "%s", e.msg); /* exit status 1, said */
		return 2;
	}
	if (rc == 0 && cli->remote.server != NULL && g->value[G_SOCKET] != NULL)
		rc = err_set(&e, EINVAL,
		    "--socket names a socket of this host: it cannot be used with --server");
	if (rc != 0)
		return proto_buf_printf(msg, "%s", e.msg) != 0 ? -ENOMEM : 1;
	return -1;
}

/* Apply the global options; returns -1 to go on, 2 when a refusal is said (exit status 1), or
 * the exit status. */
static int
esxcli_globals_apply(struct cli *cli, const struct args *g, struct proto_buf *msg)
{
	const char *v;
	int rc;

	if (g->value[G_VERSION] != NULL && cli->native)
		return proto_buf_printf(&cli->out, "ipsec6 %s\n", IPSEC6_VERSION) != 0 ? -ENOMEM
										       : 0;
	if (g->value[G_VERSION] != NULL)
		return proto_buf_printf(&cli->out, "%s (ipsec6) %s\n", cli->prog, IPSEC6_VERSION) !=
			0
		    ? -ENOMEM
		    : 0;
	v = g->value[G_FORMATTER];
	if (v != NULL && out_format_parse(v, &cli->format) != 0)
		return proto_buf_printf(
			   msg, "Invalid formatter '%s': use xml, csv, keyvalue or json", v) != 0
		    ? -ENOMEM
		    : 1;
	v = g->value[G_WIDTH];
	if (v != NULL) {
		char *end;
		unsigned long width = strtoul(v, &end, 10);

		if (v[0] < '0' || v[0] > '9' || *end != '\0' || width == 0 || width > 10000)
			return proto_buf_printf(msg,
				   "Invalid screen width '%s': use a number of columns, 1-10000",
				   v) != 0
			    ? -ENOMEM
			    : 1;
		cli->width = (unsigned)width;
	}
	cli->debug = g->value[G_DEBUG] != NULL;
	cli->socket = g->value[G_SOCKET];
	rc = esxcli_remote(cli, g, msg);
	return rc;
}

static int
esxcli_root_error(struct cli *cli, struct proto_buf *msg)
{
	struct esxcli_walk root = { NODE_ROOT, { 0 }, false };

	return esxcli_node_error(cli, &root, msg);
}

/* -f FILE: the commands are in the file, none may follow. */
static int
esxcli_file(struct cli *cli, const struct args *g, size_t words)
{
	struct proto_buf msg = { 0 };
	int status;

	if (words == 0)
		return batch_run(cli, g->value[G_FILE]);
	if (proto_buf_printf(&msg, "-f|--file cannot be followed by a command") != 0)
		status = cli_fail(cli, "out of memory");
	else
		status = esxcli_root_error(cli, &msg);
	proto_buf_fini(&msg);
	return status;
}

int
esxcli_main(struct cli *cli, size_t argc, char **argv)
{
	struct cmd_opts globals = { esxcli_globals, G__COUNT, cli->native, true };
	struct esxcli_walk w = { NODE_ROOT, { 0 }, false };
	struct proto_buf msg = { 0 };
	struct args g;
	int status;
	int rc = args_parse_prefix(&globals, argc, argv, &g, &msg);
	size_t used = g.used;

	if (rc == 0)
		rc = esxcli_globals_apply(cli, &g, &msg);
	else if (rc == -EINVAL)
		rc = 1;
	if (rc == -1 && proto_buf_printf(&w.path, "%s", cli->prog) != 0)
		rc = -ENOMEM;
	if (rc == -ENOMEM) {
		status = cli_fail(cli, "out of memory");
	} else if (rc == 1) {
		status = esxcli_root_error(cli, &msg);
	} else if (rc == 2) {
		status = 1; /* a refused option, said */
	} else if (rc == 0) {
		status = 0; /* --version */
	} else if (g.value[G_FILE] != NULL && g.value[G_HELP] == NULL) {
		status = esxcli_file(cli, &g, argc - used);
	} else {
		w.help = g.value[G_HELP] != NULL;
		status = esxcli_walk(cli, &w, argc - used, argv + used);
	}
	proto_buf_fini(&w.path);
	proto_buf_fini(&msg);
	return status;
}

/* ---- for completion ------------------------------------------------------------------- */

struct cmd_opts
esxcli_globals_table(bool native)
{
	struct cmd_opts t = { esxcli_globals, sizeof(esxcli_globals) / sizeof(esxcli_globals[0]),
		native, true };

	return t;
}

int
esxcli_step(bool native, unsigned *node, const char *word, const struct cmds_cmd **cmd)
{
	const struct cli cli = { .native = native };
	const struct cmds_cmd *c = esxcli_command(&cli, (enum esxcli_node) * node, word);
	int child = c == NULL ? esxcli_child(&cli, (enum esxcli_node) * node, word) : -1;

	*cmd = c;
	if (c != NULL)
		return 0;
	if (child < 0)
		return -ENOENT;
	*node = (unsigned)child;
	return 0;
}

void
esxcli_words(bool native, unsigned node, void (*fn)(void *ctx, const char *word), void *ctx)
{
	const struct cli cli = { .native = native };
	const char *ns = esxcli_nodes[node].cmds_ns;
	const struct cmds_cmd *c;

	/* The namespaces that a word leads to from here, as the walk itself decides. */
	for (size_t n = 1; n < sizeof(esxcli_nodes) / sizeof(esxcli_nodes[0]); n++) {
		if (esxcli_child(&cli, (enum esxcli_node)node, esxcli_nodes[n].name) == (int)n)
			fn(ctx, esxcli_nodes[n].name);
	}
	/* The commands that the namespace's help lists (not the doc form's sp verbs). */
	if (ns == NULL && !(node == NODE_ROOT && native))
		return;
	for (size_t i = 0; (c = cmds_at(i)) != NULL; i++) {
		bool here = ns != NULL ? c->ns != NULL && strcmp(c->ns, ns) == 0 : c->ns == NULL;

		if (here && (native || !c->native))
			fn(ctx, c->verb);
	}
}
