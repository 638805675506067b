// SPDX-License-Identifier: MIT
/* The sa commands (CLI.md "sa add", "sa remove", "sa list") and the native `sa export`: their
 * option tables in help order (esxcli sorts options by name), descriptions and the rules
 * between options. The daemon checks the values. */
#include <string.h>

#include "cmds.h"

#define N(t) (sizeof(t) / sizeof((t)[0]))

static const struct args_opt sa_add_opts[] = {
	{ .short_name = 'e',
	    .long_name = "encryption-algorithm",
	    .kind = ARGS_VALUE,
	    .required = true,
	    .help = "Encryption algorithm of the Security Association: null, 3des-cbc or "
		    "aes128-cbc. null means no encryption." },
	{ .short_name = 'k',
	    .long_name = "encryption-key",
	    .kind = ARGS_VALUE,
	    .secret = true,
	    .help = "Encryption key: 0x followed by hexadecimal digits, or an ASCII string; "
		    "24 bytes for 3des-cbc, 16 for aes128-cbc. Required unless the encryption "
		    "algorithm is null, which takes no key." },
	{ .long_name = "encryption-key-file",
	    .kind = ARGS_VALUE,
	    .native = true,
	    .use = ARGS_KEY_FILE,
	    .send_as = "encryption-key",
	    .help = "Read the encryption key from this file (one line), so that it does not "
		    "appear in the process list." },
	{ .short_name = 'i',
	    .long_name = "integrity-algorithm",
	    .kind = ARGS_VALUE,
	    .required = true,
	    .help = "Integrity algorithm of the Security Association: hmac-sha1 "
		    "(HMAC-SHA-1-96) or hmac-sha2-256 (HMAC-SHA-256-128)." },
	{ .short_name = 'K',
	    .long_name = "integrity-key",
	    .kind = ARGS_VALUE,
	    .required = true,
	    .secret = true,
	    .help = "Integrity key: 0x followed by hexadecimal digits, or an ASCII string; "
		    "20 bytes for hmac-sha1, 32 for hmac-sha2-256." },
	{ .long_name = "integrity-key-file",
	    .kind = ARGS_VALUE,
	    .native = true,
	    .use = ARGS_KEY_FILE,
	    .send_as = "integrity-key",
	    .help = "Read the integrity key from this file (one line), so that it does not "
		    "appear in the process list." },
	{ .long_name = "replay-window",
	    .kind = ARGS_VALUE,
	    .native = true,
	    .placeholder = "long",
	    .help = "Anti-replay window in packets, 32-4096 (default 64)." },
	{ .short_name = 'd',
	    .long_name = "sa-destination",
	    .kind = ARGS_VALUE,
	    .required = true,
	    .help = "IPv6 address of the Security Association destination, or any." },
	{ .short_name = 'm',
	    .long_name = "sa-mode",
	    .kind = ARGS_VALUE,
	    .help = "Security Association mode: transport (the default) or tunnel." },
	{ .short_name = 'n',
	    .long_name = "sa-name",
	    .kind = ARGS_VALUE,
	    .required = true,
	    .help = "Name of the Security Association: 1-64 characters of A-Za-z0-9_.-; auto "
		    "is reserved." },
	{ .short_name = 's',
	    .long_name = "sa-source",
	    .kind = ARGS_VALUE,
	    .required = true,
	    .help = "IPv6 address of the Security Association source, or any." },
	{ .short_name = 'p',
	    .long_name = "sa-spi",
	    .kind = ARGS_VALUE,
	    .required = true,
	    .help = "Security Parameter Index: 0x followed by hexadecimal digits, "
		    "0x100-0xffffffff." },
};

/* The encryption key is required unless the algorithm is null (CLI.md "sa add"). */
static bool
sa_add_need(const struct args_table *t, size_t k, const struct args *a, const void *ctx)
{
	const char *enc = args_get(t, a, "encryption-algorithm");

	(void)ctx;
	if (strcmp(t->opts[k].long_name, "encryption-key") == 0)
		return enc != NULL && strcmp(enc, "null") != 0;
	return t->opts[k].required;
}

const struct cmds_cmd cmds_sa_add = {
	.ns = "sa",
	.verb = "add",
	.request = "sa add",
	.descr = "Add a Security Association.",
	.opts = sa_add_opts,
	.n_opts = N(sa_add_opts),
	.need = sa_add_need,
};

const struct cmds_cmd cmds_sa_list = {
	.ns = "sa",
	.verb = "list",
	.request = "sa list",
	.descr = "List the Security Associations, in the order they were added. Keys are "
		 "never listed.",
	.list = &out_sa_list,
};

static const struct args_opt sa_remove_opts[] = {
	{ .short_name = 'a',
	    .long_name = "remove-all",
	    .kind = ARGS_FLAG,
	    .help = "Remove every Security Association, in use or not; the policies that used "
		    "them then discard their traffic." },
	{ .short_name = 'd',
	    .long_name = "sa-destination",
	    .kind = ARGS_VALUE,
	    .help = "IPv6 address of the Security Association destination, to remove an auto "
		    "SA." },
	{ .short_name = 'n',
	    .long_name = "sa-name",
	    .kind = ARGS_VALUE,
	    .help = "Name of the Security Association to remove, or auto to name it by "
		    "--sa-source, --sa-destination and --sa-spi." },
	{ .short_name = 's',
	    .long_name = "sa-source",
	    .kind = ARGS_VALUE,
	    .help = "IPv6 address of the Security Association source, to remove an auto SA." },
	{ .short_name = 'p',
	    .long_name = "sa-spi",
	    .kind = ARGS_VALUE,
	    .help = "Security Parameter Index of the Security Association (hex), to remove an "
		    "auto SA." },
};

static bool
sa_remove_is_auto(const struct args_table *t, const struct args *a)
{
	const char *name = args_get(t, a, "sa-name");

	return name != NULL && strcmp(name, "auto") == 0;
}

/* With -n auto, the SA is named by its source, destination and SPI. */
static bool
sa_remove_need(const struct args_table *t, size_t k, const struct args *a, const void *ctx)
{
	(void)ctx;
	return sa_remove_is_auto(t, a) && t->opts[k].kind == ARGS_VALUE &&
	    strcmp(t->opts[k].long_name, "sa-name") != 0;
}

/* Exactly one of -a and -n; the tuple only with -n auto (lib/cmd.c says the same). */
static int
sa_remove_check(const struct cmds_cmd *c, const struct args *a, struct proto_buf *msg)
{
	struct args_table t = cmds_table(c, false);
	bool all = args_get(&t, a, "remove-all") != NULL;
	bool name = args_get(&t, a, "sa-name") != NULL;

	if (all == name)
		return proto_buf_printf(
		    msg, "Exactly one of -a|--remove-all and -n|--sa-name is required");
	for (size_t k = 0; k < c->n_opts && !sa_remove_is_auto(&t, a); k++) {
		const struct args_opt *o = &c->opts[k];

		if (a->value[k] != NULL && o->kind == ARGS_VALUE &&
		    strcmp(o->long_name, "sa-name") != 0)
			return proto_buf_printf(msg,
			    "-%c|--%s is only valid with -n|--sa-name auto", o->short_name,
			    o->long_name);
	}
	return 0;
}

const struct cmds_cmd cmds_sa_remove = {
	.ns = "sa",
	.verb = "remove",
	.request = "sa remove",
	.descr = "Remove Security Associations: one by name, an auto SA by source, "
		 "destination and SPI, or all.",
	.opts = sa_remove_opts,
	.n_opts = N(sa_remove_opts),
	.need = sa_remove_need,
	.check = sa_remove_check,
};

static const struct args_opt sa_export_opts[] = {
	{ .long_name = "show-keys",
	    .kind = ARGS_FLAG,
	    .native = true,
	    .use = ARGS_LOCAL,
	    .help = "Print the keys: this command exists to print them, and does nothing "
		    "without this option." },
	{ .long_name = "wireshark",
	    .kind = ARGS_FLAG,
	    .required = true,
	    .native = true,
	    .help = "Wireshark's esp_sa format: one line per SA, for the esp_sa file or "
		    "tshark -o 'uat:esp_sa:LINE'." },
};

/* The one command that prints keys does so only when asked twice. */
static int
sa_export_check(const struct cmds_cmd *c, const struct args *a, struct proto_buf *msg)
{
	struct args_table t = cmds_table(c, true);

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
