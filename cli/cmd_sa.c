// SPDX-License-Identifier: MIT
/* The sa commands (CLI.md "sa add", "sa remove", "sa list", "sa rekey"), whose options and rules
 * are the configuration grammar's (ipsec6/cmd_opts.h), and the native `sa export` with its own
 * table. The daemon checks the values. */
#include "cmds.h"

#define N(t) (sizeof(t) / sizeof((t)[0]))

const struct cmds_cmd cmds_sa_add = {
	.ns = "sa",
	.verb = "add",
	.descr = "Add a Security Association.",
	.grammar = true,
	.id = CMD_SA_ADD,
};

const struct cmds_cmd cmds_sa_list = {
	.ns = "sa",
	.verb = "list",
	.descr = "List the Security Associations, in the order they were added. Keys are "
		 "never listed.",
	.grammar = true,
	.id = CMD_SA_LIST,
	.list = &out_sa_list,
	.list_native = &out_sa_list_native,
};

const struct cmds_cmd cmds_sa_remove = {
	.ns = "sa",
	.verb = "remove",
	.descr = "Remove Security Associations: one by name, an auto SA by source, "
		 "destination and SPI, or all.",
	.grammar = true,
	.id = CMD_SA_REMOVE,
};

const struct cmds_cmd cmds_sa_rekey = {
	.ns = "sa",
	.verb = "rekey",
	.descr = "Give a Security Association a new SPI and new keys in one step; the policies "
		 "that name it go on with them. The old SPI is still accepted inbound for the "
		 "grace period.",
	.grammar = true,
	.id = CMD_SA_REKEY,
	.native = true,
};

static const struct cmd_opt sa_export_opts[] = {
	{ .long_name = "show-keys",
	    .kind = CMD_OPT_FLAG,
	    .native = true,
	    .use = CMD_OPT_LOCAL,
	    .help = "Print the keys: this command exists to print them, and does nothing "
		    "without this option." },
	{ .long_name = "wireshark",
	    .kind = CMD_OPT_FLAG,
	    .required = true,
	    .native = true,
	    .help = "Wireshark's esp_sa format: one line per SA, for the esp_sa file or "
		    "tshark -o 'uat:esp_sa:LINE'." },
};

/* The one command that prints keys does so only when asked twice. */
static int
sa_export_check(const struct cmds_cmd *c, const struct args *a, struct proto_buf *msg)
{
	struct cmd_opts t = cmds_table(c, true);

	if (args_get(&t, a, "show-keys") != NULL)
		return 0;
	return proto_buf_printf(
	    msg, "sa export prints the secret keys of every SA: add --show-keys to do so");
}

const struct cmds_cmd cmds_sa_export = {
	.ns = "sa",
	.verb = "export",
	.request = "sa export",
	.descr = "Print the Security Associations with their keys, for Wireshark to decrypt "
		 "ESP.",
	.opts = sa_export_opts,
	.n_opts = N(sa_export_opts),
	.text = true,
	.native = true,
	.check = sa_export_check,
};
