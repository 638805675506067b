// SPDX-License-Identifier: MIT
/* The sp commands (CLI.md "sp add", "sp remove / sp list"), whose options and rules are the
 * configuration grammar's (ipsec6/cmd_opts.h). The daemon checks the values. */
#include "cmds.h"

const struct cmds_cmd cmds_sp_add = {
	.ns = "sp",
	.verb = "add",
	.descr = "Add a Security Policy. Policies are matched in the order they were added; "
		 "the first match wins.",
	.grammar = true,
	.id = CMD_SP_ADD,
};

const struct cmds_cmd cmds_sp_list = {
	.ns = "sp",
	.verb = "list",
	.descr = "List the Security Policies, in the order they are matched.",
	.grammar = true,
	.id = CMD_SP_LIST,
	.list = &out_sp_list,
};

const struct cmds_cmd cmds_sp_remove = {
	.ns = "sp",
	.verb = "remove",
	.descr = "Remove Security Policies: one by name, or all.",
	.grammar = true,
	.id = CMD_SP_REMOVE,
};
