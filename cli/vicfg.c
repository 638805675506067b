// SPDX-License-Identifier: MIT
/* vicfg-ipsec, the vSphere CLI's older command: exactly one operation (--add-sa, --list-sp,
 * ...), the value options of that operation under their vicfg names, and the SA or SP name as
 * the last word. Each operation becomes the esxcli request that does the same. */
#include "vicfg.h"

#include <errno.h>
#include <string.h>

#include "args.h"
#include "cmds.h"
#include "remote.h"

enum {
	V_ADD_SA,
	V_REMOVE_SA,
	V_LIST_SA,
	V_FLUSH_SA,
	V_ADD_SP,
	V_REMOVE_SP,
	V_LIST_SP,
	V_FLUSH_SP,
	V_HELP,
	V_SA_SRC,
	V_SA_DST,
	V_SA_MODE,
	V_SPI,
	V_EALGO,
	V_EKEY,
	V_IALGO,
	V_IKEY,
	V_SP_SRC,
	V_SP_DST,
	V_SRC_PORT,
	V_DST_PORT,
	V_ULPROTO,
	V_DIR,
	V_ACTION,
	V_SP_MODE,
	V_SA_NAME,
	V__COUNT,
	V_REMOTE = V__COUNT, /* REMOTE_ROWS rows: --server, ... (long names only) */
	V__ALL = V_REMOTE + REMOTE_ROWS
};

#define OP(l, h)                                                                          \
	{                                                                                 \
		.long_name = (l), .kind = CMD_OPT_FLAG, .use = CMD_OPT_LOCAL, .help = (h) \
	}
#define VAL(l, as, req, h)                                                                   \
	{                                                                                    \
		.long_name = (l), .kind = CMD_OPT_VALUE, .required = (req), .send_as = (as), \
		.help = (h)                                                                  \
	}

static const struct cmd_opt vicfg_opts[V__ALL] = {
	[V_ADD_SA] = OP("add-sa", "Add the Security Association named by the last word."),
	[V_REMOVE_SA] = OP("remove-sa",
	    "Remove the Security Association named by the last "
	    "word; refused while a policy uses it."),
	[V_LIST_SA] = OP("list-sa", "List the Security Associations."),
	[V_FLUSH_SA] = OP("flush-sa",
	    "Remove every Security Association; the policies that "
	    "used them then discard their traffic."),
	[V_ADD_SP] = OP("add-sp", "Add the Security Policy named by the last word."),
	[V_REMOVE_SP] = OP("remove-sp", "Remove the Security Policy named by the last word."),
	[V_LIST_SP] = OP("list-sp", "List the Security Policies, in the order they are matched."),
	[V_FLUSH_SP] = OP("flush-sp", "Remove every Security Policy."),
	[V_HELP] = OP("help", "Print this help."),
	[V_SA_SRC] = VAL("sa-src", "sa-source", true, "IPv6 address of the SA source, or any."),
	[V_SA_DST] =
	    VAL("sa-dst", "sa-destination", true, "IPv6 address of the SA destination, or any."),
	[V_SA_MODE] = VAL("sa-mode", "sa-mode", false,
	    "SA mode: transport (the default) or "
	    "tunnel."),
	[V_SPI] = VAL("spi", "sa-spi", true,
	    "Security Parameter Index: 0x followed by hexadecimal digits, 0x100-0xffffffff."),
	[V_EALGO] = VAL("ealgo", "encryption-algorithm", true,
	    "Encryption algorithm: null, 3des-cbc or aes128-cbc; ipsec6 extensions: aes256-cbc, "
	    "aes128-gcm16, aes256-gcm16 (AES-GCM: no --ialgo)."),
	[V_EKEY] = { .long_name = "ekey",
	    .kind = CMD_OPT_VALUE,
	    .send_as = "encryption-key",
	    .secret = true,
	    .help = "Encryption key: 0x followed by hexadecimal digits, or an ASCII string; "
		    "required unless --ealgo is null." },
	[V_IALGO] = VAL("ialgo", "integrity-algorithm", false,
	    "Integrity algorithm: hmac-sha1 or hmac-sha2-256; ipsec6 extensions: hmac-sha2-384, "
	    "hmac-sha2-512. Required unless --ealgo is aes128-gcm16 or aes256-gcm16."),
	[V_IKEY] = { .long_name = "ikey",
	    .kind = CMD_OPT_VALUE,
	    .send_as = "integrity-key",
	    .secret = true,
	    .help = "Integrity key: 0x followed by hexadecimal digits, or an ASCII string; "
		    "required with --ialgo." },
	[V_SP_SRC] = VAL("sp-src", "sp-source", true,
	    "Source of the traffic: an IPv6 prefix (address/length), or any."),
	[V_SP_DST] = VAL("sp-dst", "sp-destination", true,
	    "Destination of the traffic: an IPv6 prefix (address/length), or any."),
	[V_SRC_PORT] =
	    VAL("src-port", "source-port", false, "Source port, 0-65535 or any (the default)."),
	[V_DST_PORT] = VAL("dst-port", "destination-port", false,
	    "Destination port, 0-65535 or any (the default); the ICMPv6 type with icmp6."),
	[V_ULPROTO] = VAL("ulproto", "upper-layer-protocol", false,
	    "Upper layer protocol: any (the default), tcp, udp or icmp6."),
	[V_DIR] = VAL("dir", "flow-direction", true, "Direction of the traffic: in or out."),
	[V_ACTION] = VAL("action", "action", true, "Action: none, discard or ipsec."),
	[V_SP_MODE] = VAL("sp-mode", "sp-mode", false,
	    "Policy mode: transport or tunnel (default: the mode of the SA)."),
	[V_SA_NAME] = VAL(
	    "sa-name", "sa-name", false, "The Security Association to use (action ipsec only)."),
	REMOTE_OPTS_ROWS(false),
};

struct vicfg_op {
	size_t row;            /* the operation's option */
	const char *request;   /* "sa add" */
	const char *name_opt;  /* the daemon option that gets the last word; NULL: no name */
	const char *name_word; /* "<sa_name>" */
	size_t first, end;     /* the value options it takes: rows [first, end) */
	const struct out_list *list;
	const char *fixed;               /* a flag always sent ("remove-all"), or NULL */
	enum cmd_opt_values name_values; /* what the name is: a new one, or one that exists */
};

static const struct vicfg_op vicfg_ops[] = {
	{ V_ADD_SA, "sa add", "sa-name", "<sa_name>", V_SA_SRC, V_SP_SRC, NULL, NULL,
	    CMD_VALUES_TEXT },
	{ V_REMOVE_SA, "sa remove", "sa-name", "<sa_name>", 0, 0, NULL, NULL, CMD_VALUES_SA_NAME },
	{ V_LIST_SA, "sa list", NULL, NULL, 0, 0, &out_sa_list, NULL, CMD_VALUES_TEXT },
	{ V_FLUSH_SA, "sa remove", NULL, NULL, 0, 0, NULL, "remove-all", CMD_VALUES_TEXT },
	{ V_ADD_SP, "sp add", "sp-name", "<sp_name>", V_SP_SRC, V__COUNT, NULL, NULL,
	    CMD_VALUES_TEXT },
	{ V_REMOVE_SP, "sp remove", "sp-name", "<sp_name>", 0, 0, NULL, NULL, CMD_VALUES_SP_NAME },
	{ V_LIST_SP, "sp list", NULL, NULL, 0, 0, &out_sp_list, NULL, CMD_VALUES_TEXT },
	{ V_FLUSH_SP, "sp remove", NULL, NULL, 0, 0, NULL, "remove-all", CMD_VALUES_TEXT },
};

#define VICFG_OPS (sizeof(vicfg_ops) / sizeof(vicfg_ops[0]))

/* Required: the rows the table marks, for the operation's own options; the encryption key
 * unless the algorithm is null; the integrity algorithm and key unless it is AES-GCM. */
static bool
vicfg_need(const struct cmd_opts *t, size_t k, const char *const *vals, const void *ctx)
{
	const struct vicfg_op *op = ctx;

	if (k < op->first || k >= op->end)
		return false;
	if (k == V_EKEY)
		return vals[V_EALGO] != NULL && cmd_opts_enc_has_key(vals[V_EALGO]);
	if (k == V_IALGO || k == V_IKEY)
		return vals[V_EALGO] == NULL || !cmd_opts_enc_is_aead(vals[V_EALGO]);
	return t->opts[k].required;
}

/* Rows [first, end) of the table, in vicfg-ipsec's grammar (no native rows). */
static struct cmd_opts
vicfg_table(size_t first, size_t end)
{
	struct cmd_opts t = { vicfg_opts + first, end - first, false, true };

	return t;
}

static int
vicfg_help(const struct cli *cli, struct proto_buf *b)
{
	int rc = proto_buf_printf(b,
	    "Usage: %s --add-sa [SA options] <sa_name>\n"
	    "       %s --remove-sa <sa_name>\n"
	    "       %s --list-sa | --flush-sa\n"
	    "       %s --add-sp [SP options] <sp_name>\n"
	    "       %s --remove-sp <sp_name>\n"
	    "       %s --list-sp | --flush-sp\n"
	    "\nOperations:\n",
	    cli->prog, cli->prog, cli->prog, cli->prog, cli->prog, cli->prog);

	struct cmd_opts ops = vicfg_table(0, V_SA_SRC);
	struct cmd_opts sa = vicfg_table(V_SA_SRC, V_SP_SRC);
	struct cmd_opts sp = vicfg_table(V_SP_SRC, V__COUNT);
	struct cmd_opts conn = vicfg_table(V_REMOTE, V__ALL);

	if (rc == 0)
		rc = args_help_options(b, &ops, " ", cli->width);
	if (rc == 0)
		rc = proto_buf_printf(b, "\nSA options (with --add-sa):\n");
	if (rc == 0)
		rc = args_help_options(b, &sa, " ", cli->width);
	if (rc == 0)
		rc = proto_buf_printf(b, "\nSP options (with --add-sp):\n");
	if (rc == 0)
		rc = args_help_options(b, &sp, " ", cli->width);
	if (rc == 0)
		rc = proto_buf_printf(b, "\nConnection options:\n");
	if (rc == 0)
		rc = args_help_options(b, &conn, " ", cli->width);
	return rc != 0 ? -ENOMEM : 0;
}

/* The one operation given into *out. Returns 0, -EINVAL with the reason in msg, or -ENOMEM. */
static int
vicfg_operation(const struct args *a, const struct vicfg_op **out, struct proto_buf *msg)
{
	const struct vicfg_op *op = NULL;

	for (size_t i = 0; i < VICFG_OPS; i++) {
		if (a->value[vicfg_ops[i].row] == NULL)
			continue;
		if (op != NULL)
			return proto_buf_printf(msg, "--%s and --%s cannot be used together",
				   vicfg_opts[op->row].long_name,
				   vicfg_opts[vicfg_ops[i].row].long_name) != 0
			    ? -ENOMEM
			    : -EINVAL;
		op = &vicfg_ops[i];
	}
	*out = op;
	if (op != NULL)
		return 0;
	return proto_buf_printf(msg,
		   "Specify one operation: --add-sa, --remove-sa, --list-sa, --flush-sa, "
		   "--add-sp, --remove-sp, --list-sp or --flush-sp") != 0
	    ? -ENOMEM
	    : -EINVAL;
}

/* The rules of CLI.md "vicfg-ipsec" that the table cannot state. Returns 0, -EINVAL with the
 * message in msg, or -ENOMEM. */
static int
vicfg_check(const struct vicfg_op *op, const struct args *a, struct proto_buf *msg)
{
	struct cmd_opts t = vicfg_table(0, V__COUNT);
	struct cmd_opts_need need = { vicfg_need, op };

	for (size_t k = V_SA_SRC; k < V__COUNT; k++) {
		if (a->value[k] != NULL && (k < op->first || k >= op->end))
			return proto_buf_printf(msg, "--%s cannot be used with --%s",
				   vicfg_opts[k].long_name, vicfg_opts[op->row].long_name) != 0
			    ? -ENOMEM
			    : -EINVAL;
	}
	if (op->name_opt == NULL && a->positional != NULL)
		return proto_buf_printf(msg, "Invalid option %s", a->positional) != 0 ? -ENOMEM
										      : -EINVAL;
	if (args_check_required(&t, a, &need, msg) < 0)
		return -ENOMEM;
	if (op->name_opt != NULL && a->positional == NULL &&
	    proto_buf_printf(msg, "%sMissing required parameter %s", msg->len > 0 ? "\n" : "",
		op->name_word) != 0)
		return -ENOMEM;
	return msg->len > 0 ? -EINVAL : 0;
}

static int
vicfg_send(struct cli *cli, const struct vicfg_op *op, const struct args *a)
{
	struct proto_buf req = { 0 };
	struct proto_buf shown = { 0 };
	struct cli_reply_use use = { op->list, false, NULL };
	struct err e = { { 0 } };
	int status;
	struct cmd_opts t = vicfg_table(0, V__COUNT);
	int rc = cmds_request(&req, &shown, op->request, &t, a, &e);

	if (rc != 0) {
		status = cli_fail(cli, "%s", e.msg);
		goto out;
	}
	if (op->name_opt != NULL)
		rc = cmds_request_option(&req, &shown, op->name_opt, a->positional, false, &e);
	if (rc == 0 && op->fixed != NULL)
		rc = cmds_request_option(&req, &shown, op->fixed, NULL, false, &e);
	if (rc == 0 && proto_buf_append(&req, "\n", 1) != 0)
		rc = err_set(&e, ENOMEM, "out of memory");
	status = rc != 0 ? cli_fail(cli, "%s", e.msg) : cli_exchange(cli, &req, shown.data, &use);
out:
	proto_buf_fini(&req);
	proto_buf_fini(&shown);
	return status;
}

/* The connection options. As VMware documents for vicfg-ipsec, it cannot go through a
 * management host (vCenter): --vihost is refused. Returns 0, -EINVAL with the message in msg,
 * -ENOMEM, or -EPERM once a refusal is said. */
static int
vicfg_remote(struct cli *cli, const struct args *a, struct proto_buf *msg)
{
	struct err e = { { 0 } };
	int rc = remote_from_args(&vicfg_opts[V_REMOTE], &a->value[V_REMOTE], &cli->remote, &e);

	if (rc == 0 && cli->remote.vihost != NULL)
		rc = err_set(&e, EPERM,
		    "--vihost is not supported: %s cannot go through a management host (vCenter); "
		    "use esxcli --server=SERVER --vihost=HOST, or %s --server=HOST",
		    cli->prog, cli->prog);
	if (rc == -EPERM)
		(void)cli_fail(cli, "%s", e.msg);
	else if (rc != 0 && proto_buf_printf(msg, "%s", e.msg) != 0)
		rc = -ENOMEM;
	return rc;
}

int
vicfg_main(struct cli *cli, size_t argc, char **argv)
{
	struct proto_buf help = { 0 };
	struct proto_buf msg = { 0 };
	const struct vicfg_op *op = NULL;
	struct args a;
	int status;
	struct cmd_opts t = vicfg_table(0, V__ALL);
	int rc = args_parse_positional(&t, argc, argv, &a, &msg);

	if (rc == 0 && a.value[V_HELP] != NULL) {
		status = vicfg_help(cli, &help) != 0 ? cli_fail(cli, "out of memory")
						     : cli_help(cli, &help);
		goto out;
	}
	if (rc == 0)
		rc = vicfg_remote(cli, &a, &msg);
	if (rc == 0)
		rc = vicfg_operation(&a, &op, &msg);
	if (rc == 0)
		rc = vicfg_check(op, &a, &msg);
	if (rc == -EPERM) {
		status = 1; /* a refusal, said */
	} else if (rc == -ENOMEM) {
		status = cli_fail(cli, "out of memory");
	} else if (rc != 0 || op == NULL) {
		status = vicfg_help(cli, &help) != 0 ? cli_fail(cli, "out of memory")
						     : cli_usage_error(cli, &msg, &help);
	} else {
		status = vicfg_send(cli, op, &a);
	}
out:
	proto_buf_fini(&help);
	proto_buf_fini(&msg);
	return status;
}

/* ---- for completion ------------------------------------------------------------------- */

struct cmd_opts
vicfg_options(void)
{
	return vicfg_table(0, V__COUNT);
}

/* The operation of row k (its own row, or a value option it takes), or NULL. */
static const struct vicfg_op *
vicfg_op_of(size_t k)
{
	for (size_t i = 0; i < VICFG_OPS; i++) {
		if (vicfg_ops[i].row == k || (k >= vicfg_ops[i].first && k < vicfg_ops[i].end))
			return &vicfg_ops[i];
	}
	return NULL;
}

bool
vicfg_is_operation(size_t k)
{
	const struct vicfg_op *op = vicfg_op_of(k);

	return op != NULL && op->row == k;
}

bool
vicfg_takes(size_t op, size_t k)
{
	const struct vicfg_op *o = vicfg_op_of(op);

	return o != NULL && k >= o->first && k < o->end;
}

enum cmd_opt_values
vicfg_values(size_t k)
{
	const struct vicfg_op *op = vicfg_op_of(k);
	const char *as = vicfg_opts[k].send_as;
	const struct cmds_cmd *c;

	if (op == NULL || op->row == k || as == NULL)
		return CMD_VALUES_TEXT;
	/* The value is that of the option of the esxcli command that it is sent as. */
	for (size_t i = 0; (c = cmds_at(i)) != NULL; i++) {
		struct cmd_opts t = cmds_table(c, false);
		size_t row = args_find(&t, as);

		if (strcmp(cmds_request_words(c), op->request) == 0 && row < t.n)
			return t.opts[row].values;
	}
	return CMD_VALUES_TEXT;
}

enum cmd_opt_values
vicfg_name_values(size_t op)
{
	const struct vicfg_op *o = vicfg_op_of(op);

	return o != NULL && o->row == op ? o->name_values : CMD_VALUES_TEXT;
}
