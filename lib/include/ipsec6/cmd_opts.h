/* SPDX-License-Identifier: MIT */
/* The options of the command grammar (CLI.md "Option parsing"): one table per command, read by
 * cmd_parse() (the daemon, the configuration file) and by the CLI before it sends anything, and
 * the source of the CLI's help pages; and esxcli's rules for reading such a table. It depends
 * on err and algo only, so that the CLI can link it without the engine or a crypto library. */
#ifndef IPSEC6_CMD_OPTS_H
#define IPSEC6_CMD_OPTS_H

#include <stdbool.h>
#include <stddef.h>

#include "ipsec6/err.h"

enum cmd_verb {
	CMD_SA_ADD,
	CMD_SA_REMOVE,
	CMD_SA_LIST,
	CMD_SP_ADD,
	CMD_SP_REMOVE,
	CMD_SP_LIST,
	CMD_SA_REKEY, /* native only: a new SPI and keys for an SA (sad_rekey()) */
};

/* "sa add", "sp list", ...: also the words of the request that carries the command. */
const char *cmd_verb_name(enum cmd_verb verb);

/* Rows in any table, the CLI's own (global options, vicfg-ipsec) included. */
#define CMD_OPTS_MAX 48

enum cmd_opt_kind {
	CMD_OPT_VALUE, /* --opt=value, --opt value, -x value, -x=value */
	CMD_OPT_FLAG,  /* --opt, -x; a value is refused */
};

/* Who reads an option. */
enum cmd_opt_use {
	CMD_OPT_SEND,     /* the daemon: the CLI sends it as --SEND_AS=value (--SEND_AS: a flag) */
	CMD_OPT_KEY_FILE, /* the CLI reads the file named, and sends its one line as --SEND_AS */
	CMD_OPT_LOCAL,    /* the CLI itself; never sent */
};

/* What an option's value is, so that the CLI can offer values (its completion mode): the fixed
 * words of a table, names the daemon knows, or file names. */
enum cmd_opt_values {
	CMD_VALUES_TEXT,      /* anything: nothing to offer (the default) */
	CMD_VALUES_ENC,       /* an encryption algorithm (algo.h) */
	CMD_VALUES_AUTH,      /* an integrity algorithm (algo.h) */
	CMD_VALUES_MODE,      /* transport or tunnel (words.h) */
	CMD_VALUES_DIR,       /* a flow direction (words.h) */
	CMD_VALUES_ACTION,    /* a policy's action (words.h) */
	CMD_VALUES_PROTO,     /* an upper layer protocol (words.h) */
	CMD_VALUES_ANY,       /* an address, prefix or port, or the word any */
	CMD_VALUES_SA_NAME,   /* the name of an SA that exists (the daemon's to list) */
	CMD_VALUES_SA_AUTO,   /* the name of an SA that exists, or auto */
	CMD_VALUES_SP_NAME,   /* the name of a policy that exists (the daemon's to list) */
	CMD_VALUES_FILE,      /* a file name */
	CMD_VALUES_FORMATTER, /* a formatter of list output (the CLI's own table) */
	CMD_VALUES_ENCAP,     /* an SA's encapsulation (words.h) */
};

struct cmd_opt {
	const char *long_name; /* "encryption-algorithm", without the dashes */
	/* Another long name read as this one and never shown (help, messages of the rules): the
	 * spelling of VMware's own page, "removeall". NULL: none. */
	const char *doc_name;
	const char *placeholder; /* help: "long" for numbers; NULL means "str" */
	const char *help;        /* one or two sentences, wrapped by the help page */
	const char *send_as;     /* the daemon's option name; NULL means long_name */
	enum cmd_opt_kind kind;
	enum cmd_opt_use use;
	char short_name; /* 'e' for -e; '\0' when there is none */
	bool required;   /* always required; conditional needs are the command's rules */
	bool native;     /* an ipsec6 extension: refused and hidden when invoked as esxcli */
	bool secret;     /* the value is a key: never shown */
	bool hidden;     /* read, never shown in help: vCLI options the CLI refuses */
	enum cmd_opt_values values;
};

/* Row indexes of the grammar's tables, which are in help order (esxcli sorts options by long
 * name). */
enum cmd_sa_add_row {
	CMD_SA_ADD_ADDED,         /* --added */
	CMD_SA_ADD_BYTE_HARD,     /* --byte-hard */
	CMD_SA_ADD_BYTE_SOFT,     /* --byte-soft */
	CMD_SA_ADD_ENCAP,         /* --encapsulation */
	CMD_SA_ADD_ENCAP_PORTS,   /* --encapsulation-ports */
	CMD_SA_ADD_ENC,           /* -e --encryption-algorithm */
	CMD_SA_ADD_ENC_KEY,       /* -k --encryption-key */
	CMD_SA_ADD_ENC_KEY_FILE,  /* --encryption-key-file (the CLI reads it) */
	CMD_SA_ADD_ESN,           /* --esn */
	CMD_SA_ADD_GRACE,         /* --grace-period (with --retired) */
	CMD_SA_ADD_AUTH,          /* -i --integrity-algorithm */
	CMD_SA_ADD_AUTH_KEY,      /* -K --integrity-key */
	CMD_SA_ADD_AUTH_KEY_FILE, /* --integrity-key-file (the CLI reads it) */
	CMD_SA_ADD_PACKET_HARD,   /* --packet-hard */
	CMD_SA_ADD_PACKET_SOFT,   /* --packet-soft */
	CMD_SA_ADD_REPLAY,        /* --replay-window */
	CMD_SA_ADD_RETIRED,       /* --retired */
	CMD_SA_ADD_DST,           /* -d --sa-destination */
	CMD_SA_ADD_MODE,          /* -m --sa-mode */
	CMD_SA_ADD_NAME,          /* -n --sa-name */
	CMD_SA_ADD_SRC,           /* -s --sa-source */
	CMD_SA_ADD_SPI,           /* -p --sa-spi */
	CMD_SA_ADD_TIME_HARD,     /* --time-hard */
	CMD_SA_ADD_TIME_SOFT,     /* --time-soft */
	CMD_SA_ADD__ROWS
};

enum cmd_sa_remove_row {
	CMD_SA_REMOVE_ALL,  /* -a --remove-all */
	CMD_SA_REMOVE_DST,  /* -d --sa-destination */
	CMD_SA_REMOVE_NAME, /* -n --sa-name */
	CMD_SA_REMOVE_SRC,  /* -s --sa-source */
	CMD_SA_REMOVE_SPI,  /* -p --sa-spi */
	CMD_SA_REMOVE__ROWS
};

enum cmd_sa_rekey_row {
	CMD_SA_REKEY_ENC_KEY,       /* -k --encryption-key */
	CMD_SA_REKEY_ENC_KEY_FILE,  /* --encryption-key-file (the CLI reads it) */
	CMD_SA_REKEY_GRACE,         /* --grace-period */
	CMD_SA_REKEY_AUTH_KEY,      /* -K --integrity-key */
	CMD_SA_REKEY_AUTH_KEY_FILE, /* --integrity-key-file (the CLI reads it) */
	CMD_SA_REKEY_NAME,          /* -n --sa-name */
	CMD_SA_REKEY_SPI,           /* -p --sa-spi */
	CMD_SA_REKEY__ROWS
};

enum cmd_sp_add_row {
	CMD_SP_ADD_ACTION,   /* -A --action */
	CMD_SP_ADD_DANGLING, /* --dangling */
	CMD_SP_ADD_DPORT,    /* -t --destination-port */
	CMD_SP_ADD_DIR,      /* -w --flow-direction */
	CMD_SP_ADD_SA_NAME,  /* -a --sa-name */
	CMD_SP_ADD_SPORT,    /* -o --source-port */
	CMD_SP_ADD_DST,      /* -d --sp-destination */
	CMD_SP_ADD_MODE,     /* -m --sp-mode */
	CMD_SP_ADD_NAME,     /* -n --sp-name */
	CMD_SP_ADD_SRC,      /* -s --sp-source */
	CMD_SP_ADD_PROTO,    /* -P --upper-layer-protocol */
	CMD_SP_ADD__ROWS
};

enum cmd_sp_remove_row {
	CMD_SP_REMOVE_ALL,  /* -a --remove-all */
	CMD_SP_REMOVE_NAME, /* -n --sp-name */
	CMD_SP_REMOVE__ROWS
};

/* The options of verb in help order; *n gets the count (0 for the list commands). Static
 * storage, never NULL. */
const struct cmd_opt *cmd_options(enum cmd_verb verb, size_t *n);

/* Call fn with each fixed word that a value of kind v may be, in table order: the algorithm
 * names, modes, directions, actions, protocols, and "any" (with "auto" for CMD_VALUES_SA_AUTO).
 * The kinds whose words are not lib's (names, files, formatters, text) call it for none. */
void cmd_opts_values_each(
    enum cmd_opt_values v, void (*fn)(void *ctx, const char *word), void *ctx);

/* A table and the grammar that reads it. */
struct cmd_opts {
	const struct cmd_opt *opts;
	size_t n;    /* rows, at most CMD_OPTS_MAX */
	bool native; /* the rows marked native are admitted */
	bool client; /* the rows the CLI reads itself (not CMD_OPT_SEND) are admitted */
};

/* Whether row k is an option in t's grammar. */
bool cmd_opts_admits(const struct cmd_opts *t, size_t k);

/* esxcli does not take a word that looks like an option as a value: "-x...", "--...". */
bool cmd_opts_is_option(const char *word);

/* The admitted row that tok[0, len) names ("--long", "--doc_name" or "-x"; tok holds at least
 * 2 bytes), or t->n. No prefix matching. */
size_t cmd_opts_find(const struct cmd_opts *t, const char *tok, size_t len);

/* Read the option at argv[*i] and its value into vals[row]: after '=', else the next word
 * unless that looks like an option (*i then moves onto it); a flag gets "". vals points into
 * argv. Returns 0, or -EINVAL with esxcli's message: "Invalid option X" (also for a word that
 * is not an option), "Duplicated option X", "'X' is a flag and cannot accept any values.",
 * "X must have value". */
__attribute__((warn_unused_result)) int cmd_opts_read(const struct cmd_opts *t, size_t argc,
    char *const *argv, size_t *i, const char **vals, struct err *err);

/* "-e|--encryption-algorithm", or "--replay-window" for an option without a short form. */
void cmd_opts_aliases(const struct cmd_opt *o, char *buf, size_t size);

/* Whether row k must be given, given the values read (vals[row], NULL when absent); ctx is
 * the caller's. */
struct cmd_opts_need {
	bool (*fn)(const struct cmd_opts *t, size_t k, const char *const *vals, const void *ctx);
	const void *ctx;
};

/* The grammar's rule (a cmd_opts_need function; ctx points to the enum cmd_verb): the table's
 * flag; the encryption key unless the algorithm is null (an unknown algorithm is reported as
 * such later, not as a missing key); the integrity algorithm and key unless the encryption
 * algorithm is a combined mode (AES-GCM); the source, destination and SPI with
 * `sa remove -n auto`. */
bool cmd_opts_needed(const struct cmd_opts *t, size_t k, const char *const *vals, const void *ctx);

/* True when enc is the name of an encryption algorithm that takes a key / that is a combined
 * mode (AES-GCM: no integrity algorithm). */
bool cmd_opts_enc_has_key(const char *enc);
bool cmd_opts_enc_is_aead(const char *enc);

/* One "Missing required parameter -x|--long" line per admitted row that is required (need's
 * rule, or the row's flag when need is NULL) and not given, in table order; a row counts as
 * given when a KEY_FILE row standing for it is. Returns 0, or -EINVAL with the lines that fit
 * whole in err. */
__attribute__((warn_unused_result)) int cmd_opts_check_required(const struct cmd_opts *t,
    const char *const *vals, const struct cmd_opts_need *need, struct err *err);

/* The rules between the options of verb that a table cannot state: exactly one of -a and -n
 * for sa remove and sp remove; the source, destination and SPI only with `sa remove -n auto`.
 * Returns 0 or -EINVAL with the reason. */
__attribute__((warn_unused_result)) int cmd_opts_check_rules(
    enum cmd_verb verb, const char *const *vals, struct err *err);

#endif
