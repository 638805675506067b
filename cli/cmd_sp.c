// SPDX-License-Identifier: MIT
/* The sp commands (CLI.md "sp add", "sp remove / sp list"): their option tables in help order
 * (esxcli sorts options by name), descriptions and the rules between options. The daemon
 * checks the values. */
#include <string.h>

#include "cmds.h"

#define N(t) (sizeof(t) / sizeof((t)[0]))

static const struct args_opt sp_add_opts[] = {
	{ .short_name = 'A',
	    .long_name = "action",
	    .kind = ARGS_VALUE,
	    .required = true,
	    .help = "Action for the traffic the policy selects: none (pass it as it is), "
		    "discard (drop it) or ipsec (protect it with a Security Association)." },
	{ .long_name = "dangling",
	    .kind = ARGS_FLAG,
	    .native = true,
	    .help = "With --sa-name: the Security Association need not exist yet; until it "
		    "does, the policy discards its traffic." },
	{ .short_name = 't',
	    .long_name = "destination-port",
	    .kind = ARGS_VALUE,
	    .help = "Destination port, 0-65535 or any (the default); with icmp6, the ICMPv6 "
		    "type." },
	{ .short_name = 'w',
	    .long_name = "flow-direction",
	    .kind = ARGS_VALUE,
	    .required = true,
	    .help = "Direction of the traffic: in or out." },
	{ .short_name = 'a',
	    .long_name = "sa-name",
	    .kind = ARGS_VALUE,
	    .help = "Name of the Security Association to use (action ipsec only). Without it, "
		    "each packet uses the first SA whose addresses and mode match." },
	{ .short_name = 'o',
	    .long_name = "source-port",
	    .kind = ARGS_VALUE,
	    .help = "Source port, 0-65535 or any (the default); not used with icmp6." },
	{ .short_name = 'd',
	    .long_name = "sp-destination",
	    .kind = ARGS_VALUE,
	    .required = true,
	    .help = "Destination of the traffic: an IPv6 prefix (address/length), or any." },
	{ .short_name = 'm',
	    .long_name = "sp-mode",
	    .kind = ARGS_VALUE,
	    .help = "Security Policy mode: transport or tunnel (default: the mode of the "
		    "Security Association, else transport)." },
	{ .short_name = 'n',
	    .long_name = "sp-name",
	    .kind = ARGS_VALUE,
	    .required = true,
	    .help = "Name of the Security Policy: 1-64 characters of A-Za-z0-9_.-." },
	{ .short_name = 's',
	    .long_name = "sp-source",
	    .kind = ARGS_VALUE,
	    .required = true,
	    .help = "Source of the traffic: an IPv6 prefix (address/length), or any." },
	{ .short_name = 'P',
	    .long_name = "upper-layer-protocol",
	    .kind = ARGS_VALUE,
	    .help = "Upper layer protocol: any (the default), tcp, udp or icmp6." },
};

const struct cmds_cmd cmds_sp_add = {
	.ns = "sp",
	.verb = "add",
	.request = "sp add",
	.descr = "Add a Security Policy. Policies are matched in the order they were added; "
		 "the first match wins.",
	.opts = sp_add_opts,
	.n_opts = N(sp_add_opts),
};

const struct cmds_cmd cmds_sp_list = {
	.ns = "sp",
	.verb = "list",
	.request = "sp list",
	.descr = "List the Security Policies, in the order they are matched.",
	.list = &out_sp_list,
};

static const struct args_opt sp_remove_opts[] = {
	{ .short_name = 'a',
	    .long_name = "remove-all",
	    .kind = ARGS_FLAG,
	    .help = "Remove every Security Policy." },
	{ .short_name = 'n',
	    .long_name = "sp-name",
	    .kind = ARGS_VALUE,
	    .help = "Name of the Security Policy to remove." },
};

/* Exactly one of -a and -n (lib/cmd.c says the same). */
static int
sp_remove_check(const struct cmds_cmd *c, const struct args *a, struct proto_buf *msg)
{
	struct args_table t = cmds_table(c, false);
	bool all = args_get(&t, a, "remove-all") != NULL;
	bool name = args_get(&t, a, "sp-name") != NULL;

	if (all == name)
		return proto_buf_printf(
		    msg, "Exactly one of -a|--remove-all and -n|--sp-name is required");
	return 0;
}

const struct cmds_cmd cmds_sp_remove = {
	.ns = "sp",
	.verb = "remove",
	.request = "sp remove",
	.descr = "Remove Security Policies: one by name, or all.",
	.opts = sp_remove_opts,
	.n_opts = N(sp_remove_opts),
	.check = sp_remove_check,
};
