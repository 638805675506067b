/* SPDX-License-Identifier: MIT */
/* The command grammar shared by the CLI and the configuration file: `sa add ...`,
 * `sp remove -n x`, with esxcli's option rules (CLI.md: --opt=value or --opt value, short
 * options, "Invalid option", "Duplicated option", "Missing required parameter"). */
#ifndef IPSEC6_CMD_H
#define IPSEC6_CMD_H

#include <stdbool.h>
#include <stddef.h>

#include "ipsec6/err.h"
#include "ipsec6/sad.h"
#include "ipsec6/spd.h"

enum cmd_verb {
	CMD_SA_ADD,
	CMD_SA_REMOVE,
	CMD_SA_LIST,
	CMD_SP_ADD,
	CMD_SP_REMOVE,
	CMD_SP_LIST,
};

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
	/* CMD_SP_ADD, native option --dangling (with --sa-name): the SA named need not exist; the
	 * policy then protects nothing (its traffic is discarded) until an SA of that name is
	 * added. conf_save() writes it for policies whose SA was removed by `sa remove -a`. */
	bool sa_dangling;
};

/* "sa add", "sp list", ... */
const char *cmd_verb_name(enum cmd_verb verb);

/* The option tables that drive parsing, exported so that help text is generated from them. */
enum cmd_opt_kind {
	CMD_OPT_VALUE, /* --opt=value, --opt value, -x value, -x=value */
	CMD_OPT_FLAG,  /* --opt, -x; a value is refused */
};

struct cmd_opt {
	const char *long_name; /* "encryption-algorithm", without the dashes */
	const char *value;     /* esxcli's placeholder: "str" or "long"; NULL for flags */
	const char *help;      /* one or two sentences */
	enum cmd_opt_kind kind;
	char short_name; /* 'e' for -e; '\0' when there is none */
	bool required;   /* always required (conditional needs are stated in help) */
	bool native;     /* an ipsec6 extension that esxcli lacks: hide it from esxcli help */
};

/* The options of verb in help order (esxcli sorts them by long name); *n gets the count (0 for
 * the list commands). Static storage, never NULL. */
const struct cmd_opt *cmd_options(enum cmd_verb verb, size_t *n);

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
