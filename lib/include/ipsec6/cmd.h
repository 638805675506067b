/* SPDX-License-Identifier: MIT */
/* The command grammar shared by the daemon and the configuration file: `sa add ...`,
 * `sp remove -n x`, with esxcli's option rules (CLI.md: --opt=value or --opt value, short
 * options, "Invalid option", "Duplicated option", "Missing required parameter"). The option
 * tables and those rules are in ipsec6/cmd_opts.h, which the CLI shares. */
#ifndef IPSEC6_CMD_H
#define IPSEC6_CMD_H

#include <stdbool.h>
#include <stddef.h>

#include "ipsec6/cmd_opts.h"
#include "ipsec6/err.h"
#include "ipsec6/sad.h"
#include "ipsec6/spd.h"

/* sa remove / sp remove: exactly one of all, name; for SAs, name "auto" with the tuple. */
struct cmd_remove {
	bool all;
	char name[SA_NAME_MAX + 1];
	struct in6_addr src; /* name "auto" only */
	struct in6_addr dst;
	uint32_t spi;
};

struct cmd {
	enum cmd_verb verb;
	struct sa_spec sa;    /* CMD_SA_ADD */
	struct sp_spec sp;    /* CMD_SP_ADD */
	struct cmd_remove rm; /* CMD_SA_REMOVE, CMD_SP_REMOVE */
	/* CMD_SA_REKEY: sa holds the name, the new SPI and the new keys (nothing else); the old
	 * SPI is still accepted inbound for grace seconds (sad_rekey()). */
	uint32_t grace;
	/* CMD_SP_ADD, native option --dangling (with --sa-name): the SA named need not exist; the
	 * policy then protects nothing (its traffic is discarded) until an SA of that name is
	 * added. conf_save() writes it for policies whose SA was removed by `sa remove -a`. */
	bool sa_dangling;
};

/* Parse argv[0 .. argc-1], e.g. {"sa", "add", "--sa-name=x", ...}; a leading "network ip
 * ipsec" is accepted, and without "sa"/"sp" the words add/list/remove mean the sp command (the
 * ESXi doc form). Values are checked (addresses, SPI range, key lengths against the
 * algorithm); cross-object rules (an SA exists, is in use) are db_apply()'s. On success *cmd
 * owns any keys (release with cmd_fini()). Returns 0, -EINVAL with the esxcli message in err,
 * or -ENOMEM. argv is not modified. */
__attribute__((warn_unused_result)) int cmd_parse(
    size_t argc, char *const *argv, struct cmd *cmd, struct err *err);

/* Release the keys a parsed command still owns; the command is zeroed. */
void cmd_fini(struct cmd *cmd);

/* Split one line into words in place: blanks separate words, '...' and "..." quote, backslash
 * escapes the next character, '#' at the start of a word begins a comment. At most max words;
 * *argc gets the count (0 for a blank line). Returns 0 or -EINVAL (unterminated quote, too
 * many words) with a reason. */
__attribute__((warn_unused_result)) int cmd_split(
    char *line, char **argv, size_t max, size_t *argc, struct err *err);

#endif
