/* SPDX-License-Identifier: MIT */
/* The commands of the esxcli grammar (sa and sp add/list/remove) and the native ones (sa
 * export, save, stats): one table each of options, which parses, checks, builds the request
 * sent to ipsec6d and generates the help page. */
#ifndef IPSEC6_CLI_CMDS_H
#define IPSEC6_CLI_CMDS_H

#include <stdbool.h>
#include <stddef.h>

#include "args.h"
#include "ipsec6/cmd_opts.h"
#include "ipsec6/err.h"
#include "out.h"
#include "proto.h"

struct cmds_cmd {
	const char *ns;      /* "sa" or "sp"; NULL for a top-level command (save) */
	const char *verb;    /* "add" */
	const char *request; /* the words sent to the daemon; grammar commands: cmd_verb_name() */
	const char *descr;   /* "Add a Security Association." */
	/* A command of the configuration grammar (grammar true) takes the grammar's table and
	 * rules for id (ipsec6/cmd_opts.h), the ones the daemon applies; the others have their
	 * own table here. */
	bool grammar;
	enum cmd_verb id;
	const struct cmd_opt *opts;
	size_t n_opts;
	const struct out_list *list;        /* list commands: the columns; NULL otherwise */
	const struct out_list *list_native; /* the columns under the native name; NULL: list */
	const struct out_report *report;    /* a report of several lists (stats); NULL otherwise */
	bool text;                          /* the lines after "ok" are printed as they are */
	bool stream;                        /* an answer that does not end: cli_monitor() */
	bool native;                        /* ipsec6 only */
	/* Rules between options of a command outside the grammar: appends message lines to msg.
	 * NULL: none. Returns 0 or -ENOMEM. */
	int (*check)(const struct cmds_cmd *c, const struct args *a, struct proto_buf *msg);
};

/* The commands, in help order (cmd_sa.c, cmd_sp.c). */
extern const struct cmds_cmd cmds_sa_add, cmds_sa_list, cmds_sa_remove, cmds_sa_rekey,
    cmds_sa_export;
extern const struct cmds_cmd cmds_sp_add, cmds_sp_list, cmds_sp_remove;
extern const struct cmds_cmd cmds_save, cmds_stats, cmds_monitor, cmds_hosts_list;

/* The command named ns verb (ns NULL: top level); native admits the native commands. NULL if
 * there is none. */
const struct cmds_cmd *cmds_lookup(const char *ns, const char *verb, bool native);

/* The i-th command in help order, or NULL past the last (for completion). */
const struct cmds_cmd *cmds_at(size_t i);

/* Append "  VERB   description" lines for the commands of ns (NULL: top level) visible in this
 * mode. Returns the number of lines, or -ENOMEM. */
__attribute__((warn_unused_result)) int cmds_help_list(
    struct proto_buf *b, const char *ns, bool native, unsigned width);

/* Parse argv (the words after the verb) against c: syntax, required options, c's rules,
 * key/key-file conflicts. Returns 0, -EINVAL with the message lines in msg, or -ENOMEM. */
__attribute__((warn_unused_result)) int cmds_parse(const struct cmds_cmd *c, bool native,
    size_t argc, char *const *argv, struct args *a, struct proto_buf *msg);

/* The words of c's request: "sa add", "stats". */
const char *cmds_request_words(const struct cmds_cmd *c);

/* c's options as read in the native grammar or esxcli's. */
struct cmd_opts cmds_table(const struct cmds_cmd *c, bool native);

/* Append words (the request's command words) and then " --NAME=VALUE" for each option of t
 * given in a, in table order, quoted as the daemon splits words; KEY_FILE rows are read here
 * and sent as the key they stand for; LOCAL rows are not sent. shown gets the same text with
 * keys replaced by "<hidden>" (for --debug). No newline is added. Returns 0, or a negative
 * errno with the reason in err (an unreadable key file, a line break in a value). */
__attribute__((warn_unused_result)) int cmds_request(struct proto_buf *req, struct proto_buf *shown,
    const char *words, const struct cmd_opts *t, const struct args *a, struct err *err);

/* Append " --NAME=VALUE" (or " --NAME" when value is NULL) to req, and to shown with the
 * value replaced by "<hidden>" when secret. Returns 0, -EINVAL (a line break in the value,
 * which no request can carry) or -ENOMEM, with the reason in err. */
__attribute__((warn_unused_result)) int cmds_request_option(struct proto_buf *req,
    struct proto_buf *shown, const char *name, const char *value, bool secret, struct err *err);

/* The help page of c: "Usage: USAGE_PATH [cmd options]", the description, the options. */
__attribute__((warn_unused_result)) int cmds_help(struct proto_buf *b, const struct cmds_cmd *c,
    const char *usage_path, bool native, unsigned width);

#endif
