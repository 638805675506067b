// SPDX-License-Identifier: MIT
/* The option tables of the command grammar, one per command in help order, and esxcli's rules
 * for reading a table: --opt=value or --opt value, -x value or -x=value, no prefix matching, a
 * value that looks like an option is not taken. The daemon, the configuration file and the CLI
 * all read options here, so that they say the same thing in the same words. */
#include "ipsec6/cmd_opts.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ipsec6/algo.h"
#include "ipsec6/words.h"

#define VAL(s, l, req, h)                                                                      \
	{                                                                                      \
		.short_name = (s), .long_name = (l), .kind = CMD_OPT_VALUE, .required = (req), \
		.help = (h)                                                                    \
	}
/* A value option whose values the CLI can offer (enum cmd_opt_values). */
#define VAL_OF(s, l, req, v, h)                                                                \
	{                                                                                      \
		.short_name = (s), .long_name = (l), .kind = CMD_OPT_VALUE, .required = (req), \
		.values = (v), .help = (h)                                                     \
	}
/* -a|--remove-all, also read as --removeall: VMware's "Setting Up IPsec" page writes
 * `sa remove --removeall` and `remove --removeall` (CLI.md "doc form"). */
#define REMOVE_ALL(h)                                                                  \
	{                                                                              \
		.short_name = 'a', .long_name = "remove-all", .doc_name = "removeall", \
		.kind = CMD_OPT_FLAG, .help = (h)                                      \
	}
/* A native option naming a file the CLI reads a key from, so that the key does not appear in
 * the process list. */
#define KEY_FILE(l, key, what)                                                                    \
	{                                                                                         \
		.long_name = (l), .kind = CMD_OPT_VALUE, .native = true, .use = CMD_OPT_KEY_FILE, \
		.send_as = (key), .values = CMD_VALUES_FILE,                                      \
		.help = "Read the " what " from this file (one line), so that it does not "       \
			"appear in the process list."                                             \
	}

/* A native lifetime option (ipsec6/life.h), in ip xfrm's words (`limit time-soft ...`). */
#define LIFE(l, h)                                                                              \
	{                                                                                       \
		.long_name = (l), .kind = CMD_OPT_VALUE, .native = true, .placeholder = "long", \
		.help = (h)                                                                     \
	}

static const struct cmd_opt cmd_sa_add_opts[CMD_SA_ADD__ROWS] = {
	[CMD_SA_ADD_ADDED] = LIFE("added",
	    "When the SA was added, in seconds since 1970 (UTC); default now. ipsec6d writes it "
	    "into its configuration file for SAs with a time limit, so that their age survives "
	    "restarts."),
	[CMD_SA_ADD_BYTE_HARD] = LIFE("byte-hard",
	    "Hard lifetime in bytes protected and accepted (before ESP), counted since the SA "
	    "was added: once reached, the SA carries no more traffic in either direction."),
	[CMD_SA_ADD_BYTE_SOFT] = LIFE("byte-soft",
	    "Soft lifetime in bytes: once reached, an event and a log line; nothing else "
	    "changes."),
	[CMD_SA_ADD_ENCAP] = { .long_name = "encapsulation",
	    .kind = CMD_OPT_VALUE,
	    .values = CMD_VALUES_ENCAP,
	    .help = "ipsec6 extension: udp carries the SA's ESP packets in UDP (RFC 3948), from "
		    "and to port 4500 unless --encapsulation-ports says otherwise; none (the "
		    "default) is plain ESP. Both peers must agree." },
	[CMD_SA_ADD_ENCAP_PORTS] = { .long_name = "encapsulation-ports",
	    .kind = CMD_OPT_VALUE,
	    .help = "ipsec6 extension: the UDP source and destination ports of the SA's ESP in "
		    "UDP, each 1-65535 (default 4500:4500); implies --encapsulation=udp." },
	[CMD_SA_ADD_ENC] = VAL_OF('e', "encryption-algorithm", true, CMD_VALUES_ENC,
	    "Encryption algorithm of the Security Association: null, 3des-cbc or aes128-cbc; "
	    "ipsec6 extensions: aes256-cbc, aes128-gcm16 and aes256-gcm16 (AES-GCM with a "
	    "16-byte ICV, RFC 4106, which takes no integrity algorithm). null means no "
	    "encryption."),
	[CMD_SA_ADD_ENC_KEY] = { .short_name = 'k',
	    .long_name = "encryption-key",
	    .kind = CMD_OPT_VALUE,
	    .secret = true,
	    .help = "Encryption key: 0x followed by hexadecimal digits, or an ASCII string; 24 "
		    "bytes for 3des-cbc, 16 for aes128-cbc, 32 for aes256-cbc, the AES key and "
		    "then a 4-byte salt for aes128-gcm16 (20 bytes) and aes256-gcm16 (36). "
		    "Required unless the encryption algorithm is null, which takes no key." },
	[CMD_SA_ADD_ENC_KEY_FILE] =
	    KEY_FILE("encryption-key-file", "encryption-key", "encryption key"),
	[CMD_SA_ADD_ESN] = { .long_name = "esn",
	    .kind = CMD_OPT_FLAG,
	    .native = true,
	    .help = "Extended sequence numbers (RFC 4303 section 2.2.1): 64-bit sequence numbers "
		    "whose high half is authenticated but never sent, so that a manually keyed "
		    "SA never runs out of them. Both peers must agree. Without it an SA stops "
		    "sending at 2^32 - 1 packets." },
	[CMD_SA_ADD_GRACE] = LIFE("grace-period",
	    "With --retired: how many seconds after it was retired the SA still accepts inbound "
	    "packets. ipsec6d writes it into its configuration file."),
	[CMD_SA_ADD_AUTH] = VAL_OF('i', "integrity-algorithm", false, CMD_VALUES_AUTH,
	    "Integrity algorithm of the Security Association: hmac-sha1 (HMAC-SHA-1-96) or "
	    "hmac-sha2-256 (HMAC-SHA-256-128); ipsec6 extensions: hmac-sha2-384 "
	    "(HMAC-SHA-384-192), hmac-sha2-512 (HMAC-SHA-512-256). Required, except with "
	    "aes128-gcm16 and aes256-gcm16, which take none."),
	[CMD_SA_ADD_AUTH_KEY] = { .short_name = 'K',
	    .long_name = "integrity-key",
	    .kind = CMD_OPT_VALUE,
	    .secret = true,
	    .help = "Integrity key: 0x followed by hexadecimal digits, or an ASCII string; 20 "
		    "bytes for hmac-sha1, 32 for hmac-sha2-256, 48 for hmac-sha2-384, 64 for "
		    "hmac-sha2-512. Required with an integrity algorithm." },
	[CMD_SA_ADD_AUTH_KEY_FILE] =
	    KEY_FILE("integrity-key-file", "integrity-key", "integrity key"),
	[CMD_SA_ADD_PACKET_HARD] = LIFE("packet-hard",
	    "Hard lifetime in packets protected and accepted, counted since the SA was added: "
	    "once reached, the SA carries no more traffic in either direction."),
	[CMD_SA_ADD_PACKET_SOFT] = LIFE("packet-soft",
	    "Soft lifetime in packets: once reached, an event and a log line; nothing else "
	    "changes."),
	[CMD_SA_ADD_REPLAY] = { .long_name = "replay-window",
	    .kind = CMD_OPT_VALUE,
	    .native = true,
	    .placeholder = "long",
	    .help = "Anti-replay window in packets, 32-65536 (default 64)." },
	[CMD_SA_ADD_RETIRED] = LIFE("retired",
	    "The SA was replaced by `sa rekey` at this time, in seconds since 1970 (UTC): it "
	    "sends nothing and accepts inbound packets for --grace-period seconds from then. "
	    "ipsec6d writes it into its configuration file, so that a restart keeps the grace."),
	[CMD_SA_ADD_DST] = VAL_OF('d', "sa-destination", true, CMD_VALUES_ANY,
	    "IPv6 address of the Security Association destination, or any."),
	[CMD_SA_ADD_MODE] = VAL_OF('m', "sa-mode", false, CMD_VALUES_MODE,
	    "Security Association mode: transport (the default) or tunnel."),
	[CMD_SA_ADD_NAME] = VAL('n', "sa-name", true,
	    "Name of the Security Association: 1-64 characters of A-Za-z0-9_.-; auto is "
	    "reserved."),
	[CMD_SA_ADD_SRC] = VAL_OF('s', "sa-source", true, CMD_VALUES_ANY,
	    "IPv6 address of the Security Association source, or any."),
	[CMD_SA_ADD_SPI] = VAL('p', "sa-spi", true,
	    "Security Parameter Index: 0x followed by hexadecimal digits, 0x100-0xffffffff."),
	[CMD_SA_ADD_TIME_HARD] = LIFE("time-hard",
	    "Hard lifetime in seconds since the SA was added: once reached, the SA carries no "
	    "more traffic in either direction; it stays listed until replaced or removed."),
	[CMD_SA_ADD_TIME_SOFT] = LIFE("time-soft",
	    "Soft lifetime in seconds since the SA was added: once reached, an event and a log "
	    "line; nothing else changes."),
};

static const struct cmd_opt cmd_sa_remove_opts[CMD_SA_REMOVE__ROWS] = {
	[CMD_SA_REMOVE_ALL] = REMOVE_ALL(
	    "Remove every Security Association, in use or not; the policies that used them then "
	    "discard their traffic."),
	[CMD_SA_REMOVE_DST] = VAL_OF('d', "sa-destination", false, CMD_VALUES_ANY,
	    "IPv6 address of the Security Association destination, to remove an auto SA."),
	[CMD_SA_REMOVE_NAME] = VAL_OF('n', "sa-name", false, CMD_VALUES_SA_AUTO,
	    "Name of the Security Association to remove, or auto to name it by --sa-source, "
	    "--sa-destination and --sa-spi."),
	[CMD_SA_REMOVE_SRC] = VAL_OF('s', "sa-source", false, CMD_VALUES_ANY,
	    "IPv6 address of the Security Association source, to remove an auto SA."),
	[CMD_SA_REMOVE_SPI] = VAL('p', "sa-spi", false,
	    "Security Parameter Index of the Security Association (hex), to remove an auto SA."),
};

/* The keys are checked against the SA's algorithms by the daemon, which knows them. */
static const struct cmd_opt cmd_sa_rekey_opts[CMD_SA_REKEY__ROWS] = {
	[CMD_SA_REKEY_ENC_KEY] = { .short_name = 'k',
	    .long_name = "encryption-key",
	    .kind = CMD_OPT_VALUE,
	    .secret = true,
	    .help = "The new encryption key, as for sa add, for the SA's algorithm. Required "
		    "unless its encryption algorithm is null." },
	[CMD_SA_REKEY_ENC_KEY_FILE] =
	    KEY_FILE("encryption-key-file", "encryption-key", "encryption key"),
	[CMD_SA_REKEY_GRACE] = { .long_name = "grace-period",
	    .kind = CMD_OPT_VALUE,
	    .placeholder = "long",
	    .help = "Seconds during which inbound packets under the old SPI are still accepted "
		    "(default 300); 0: the old SPI is refused at once." },
	[CMD_SA_REKEY_AUTH_KEY] = { .short_name = 'K',
	    .long_name = "integrity-key",
	    .kind = CMD_OPT_VALUE,
	    .secret = true,
	    .help = "The new integrity key, as for sa add, for the SA's algorithm. Required "
		    "unless its encryption algorithm is AES-GCM." },
	[CMD_SA_REKEY_AUTH_KEY_FILE] =
	    KEY_FILE("integrity-key-file", "integrity-key", "integrity key"),
	[CMD_SA_REKEY_NAME] = VAL_OF(
	    'n', "sa-name", true, CMD_VALUES_SA_NAME, "Name of the Security Association to rekey."),
	[CMD_SA_REKEY_SPI] = VAL('p', "sa-spi", true,
	    "The new Security Parameter Index: 0x followed by hexadecimal digits, "
	    "0x100-0xffffffff, other than the current one."),
};

static const struct cmd_opt cmd_sp_add_opts[CMD_SP_ADD__ROWS] = {
	[CMD_SP_ADD_ACTION] = VAL_OF('A', "action", true, CMD_VALUES_ACTION,
	    "Action for the traffic the policy selects: none (pass it as it is), discard (drop "
	    "it) or ipsec (protect it with a Security Association)."),
	[CMD_SP_ADD_DANGLING] = { .long_name = "dangling",
	    .kind = CMD_OPT_FLAG,
	    .native = true,
	    .help = "With --sa-name: the Security Association need not exist yet; until it does, "
		    "the policy discards its traffic." },
	[CMD_SP_ADD_DPORT] = VAL_OF('t', "destination-port", false, CMD_VALUES_ANY,
	    "Destination port, 0-65535 or any (the default); with icmp6, the ICMPv6 type."),
	[CMD_SP_ADD_DIR] = VAL_OF(
	    'w', "flow-direction", true, CMD_VALUES_DIR, "Direction of the traffic: in or out."),
	[CMD_SP_ADD_SA_NAME] = VAL_OF('a', "sa-name", false, CMD_VALUES_SA_NAME,
	    "Name of the Security Association to use (action ipsec only). Without it, each "
	    "packet uses the first SA whose addresses and mode match."),
	[CMD_SP_ADD_SPORT] = VAL_OF('o', "source-port", false, CMD_VALUES_ANY,
	    "Source port, 0-65535 or any (the default); not used with icmp6."),
	[CMD_SP_ADD_DST] = VAL_OF('d', "sp-destination", true, CMD_VALUES_ANY,
	    "Destination of the traffic: an IPv6 prefix (address/length), or any."),
	[CMD_SP_ADD_MODE] = VAL_OF('m', "sp-mode", false, CMD_VALUES_MODE,
	    "Security Policy mode: transport or tunnel (default: the mode of the Security "
	    "Association, else transport)."),
	[CMD_SP_ADD_NAME] = VAL(
	    'n', "sp-name", true, "Name of the Security Policy: 1-64 characters of A-Za-z0-9_.-."),
	[CMD_SP_ADD_SRC] = VAL_OF('s', "sp-source", true, CMD_VALUES_ANY,
	    "Source of the traffic: an IPv6 prefix (address/length), or any."),
	[CMD_SP_ADD_PROTO] = VAL_OF('P', "upper-layer-protocol", false, CMD_VALUES_PROTO,
	    "Upper layer protocol: any (the default), tcp, udp or icmp6."),
};

static const struct cmd_opt cmd_sp_remove_opts[CMD_SP_REMOVE__ROWS] = {
	[CMD_SP_REMOVE_ALL] = REMOVE_ALL("Remove every Security Policy."),
	[CMD_SP_REMOVE_NAME] = VAL_OF(
	    'n', "sp-name", false, CMD_VALUES_SP_NAME, "Name of the Security Policy to remove."),
};

const struct cmd_opt *
cmd_options(enum cmd_verb verb, size_t *n)
{
	switch (verb) {
	case CMD_SA_ADD:
		*n = CMD_SA_ADD__ROWS;
		return cmd_sa_add_opts;
	case CMD_SA_REMOVE:
		*n = CMD_SA_REMOVE__ROWS;
		return cmd_sa_remove_opts;
	case CMD_SA_REKEY:
		*n = CMD_SA_REKEY__ROWS;
		return cmd_sa_rekey_opts;
	case CMD_SP_ADD:
		*n = CMD_SP_ADD__ROWS;
		return cmd_sp_add_opts;
	case CMD_SP_REMOVE:
		*n = CMD_SP_REMOVE__ROWS;
		return cmd_sp_remove_opts;
	case CMD_SA_LIST:
	case CMD_SP_LIST:
		break;
	}
	*n = 0;
	return cmd_sa_add_opts; /* never read: no rows */
}

const char *
cmd_verb_name(enum cmd_verb verb)
{
	switch (verb) {
	case CMD_SA_ADD:
		return "sa add";
	case CMD_SA_REMOVE:
		return "sa remove";
	case CMD_SA_LIST:
		return "sa list";
	case CMD_SP_ADD:
		return "sp add";
	case CMD_SP_REMOVE:
		return "sp remove";
	case CMD_SP_LIST:
		return "sp list";
	case CMD_SA_REKEY:
		return "sa rekey";
	}
	return "?";
}

/* ---- values --------------------------------------------------------------------------- */

#define CMD_OPTS_N(a) (sizeof(a) / sizeof((a)[0]))

/* Each named word of a table of names (words.h). */
static void
cmd_opts_words(
    const char *const *words, size_t n, void (*fn)(void *ctx, const char *word), void *ctx)
{
	for (size_t i = 0; i < n; i++)
		fn(ctx, words[i]);
}

void
cmd_opts_values_each(enum cmd_opt_values v, void (*fn)(void *ctx, const char *word), void *ctx)
{
	switch (v) {
	case CMD_VALUES_ENC:
		for (size_t i = 0; i < ALGO_ENC__COUNT; i++)
			fn(ctx, algo_enc_info((enum algo_enc)i)->name);
		return;
	case CMD_VALUES_AUTH:
		/* ALGO_AUTH_NONE has no name: the user never types it. */
		for (size_t i = 0; i < ALGO_AUTH__COUNT; i++) {
			const char *name = algo_auth_info((enum algo_auth)i)->name;

			if (name[0] != '\0')
				fn(ctx, name);
		}
		return;
	case CMD_VALUES_MODE:
		cmd_opts_words(words_sa_mode, CMD_OPTS_N(words_sa_mode), fn, ctx);
		return;
	case CMD_VALUES_DIR:
		cmd_opts_words(words_sp_dir, CMD_OPTS_N(words_sp_dir), fn, ctx);
		return;
	case CMD_VALUES_ACTION:
		cmd_opts_words(words_sp_action, CMD_OPTS_N(words_sp_action), fn, ctx);
		return;
	case CMD_VALUES_PROTO:
		for (size_t i = 0; i < CMD_OPTS_N(words_sp_proto); i++)
			fn(ctx, words_sp_proto[i].name);
		return;
	case CMD_VALUES_ANY:
		fn(ctx, "any");
		return;
	case CMD_VALUES_SA_AUTO:
		fn(ctx, "auto");
		return;
	case CMD_VALUES_ENCAP:
		cmd_opts_words(words_sa_encap, CMD_OPTS_N(words_sa_encap), fn, ctx);
		return;
	case CMD_VALUES_TEXT:
	case CMD_VALUES_SA_NAME:
	case CMD_VALUES_SP_NAME:
	case CMD_VALUES_FILE:
	case CMD_VALUES_FORMATTER:
		return;
	}
}

/* ---- reading -------------------------------------------------------------------------- */

/* Longest option text quoted in a message (an option that long is invalid anyway). */
#define CMD_OPTS_QUOTE_MAX 128

static int
cmd_opts_quote_len(size_t len)
{
	return len > CMD_OPTS_QUOTE_MAX ? CMD_OPTS_QUOTE_MAX : (int)len;
}

bool
cmd_opts_admits(const struct cmd_opts *t, size_t k)
{
	const struct cmd_opt *o = &t->opts[k];

	return (t->native || !o->native) && (t->client || o->use == CMD_OPT_SEND);
}

bool
cmd_opts_is_option(const char *word)
{
	return word[0] == '-' && word[1] != '\0';
}

static bool
cmd_opts_is_name(const char *name, const char *text, size_t len)
{
	return name != NULL && strlen(name) == len && memcmp(name, text, len) == 0;
}

size_t
cmd_opts_find(const struct cmd_opts *t, const char *tok, size_t len)
{
	for (size_t k = 0; k < t->n; k++) {
		const struct cmd_opt *o = &t->opts[k];

		if (!cmd_opts_admits(t, k))
			continue;
		if (tok[1] == '-') {
			if (cmd_opts_is_name(o->long_name, tok + 2, len - 2) ||
			    cmd_opts_is_name(o->doc_name, tok + 2, len - 2))
				return k;
		} else if (len == 2 && o->short_name != '\0' && o->short_name == tok[1]) {
			return k;
		}
	}
	return t->n;
}

int
cmd_opts_read(const struct cmd_opts *t, size_t argc, char *const *argv, size_t *i,
    const char **vals, struct err *err)
{
	const char *tok = argv[*i];
	const char *eq = strchr(tok, '=');
	size_t len = eq != NULL ? (size_t)(eq - tok) : strlen(tok);
	size_t k;

	if (!cmd_opts_is_option(tok))
		return err_set(err, EINVAL, "Invalid option %s", tok);
	k = cmd_opts_find(t, tok, len);
	if (k == t->n)
		return err_set(err, EINVAL, "Invalid option %.*s", cmd_opts_quote_len(len), tok);
	if (vals[k] != NULL)
		return err_set(err, EINVAL, "Duplicated option %.*s", cmd_opts_quote_len(len), tok);
	switch (t->opts[k].kind) {
	case CMD_OPT_FLAG:
		if (eq != NULL)
			return err_set(err, EINVAL,
			    "'%.*s' is a flag and cannot accept any values.",
			    cmd_opts_quote_len(len), tok);
		vals[k] = "";
		return 0;
	case CMD_OPT_VALUE:
		break;
	}
	if (eq != NULL) {
		vals[k] = eq + 1;
		return 0;
	}
	if (*i + 1 == argc || cmd_opts_is_option(argv[*i + 1]))
		return err_set(err, EINVAL, "%.*s must have value", cmd_opts_quote_len(len), tok);
	*i += 1;
	vals[k] = argv[*i];
	return 0;
}

void
cmd_opts_aliases(const struct cmd_opt *o, char *buf, size_t size)
{
	if (o->short_name != '\0')
		(void)snprintf(buf, size, "-%c|--%s", o->short_name, o->long_name);
	else
		(void)snprintf(buf, size, "--%s", o->long_name);
}

/* ---- rules ---------------------------------------------------------------------------- */

bool
cmd_opts_enc_has_key(const char *enc)
{
	enum algo_enc id;

	return algo_enc_lookup(enc, &id, NULL) == 0 && algo_enc_info(id)->key_len != 0;
}

bool
cmd_opts_enc_is_aead(const char *enc)
{
	enum algo_enc id;

	return algo_enc_lookup(enc, &id, NULL) == 0 && algo_enc_is_aead(id);
}

bool
cmd_opts_needed(const struct cmd_opts *t, size_t k, const char *const *vals, const void *ctx)
{
	const enum cmd_verb *verb = ctx;

	if (t->opts[k].required)
		return true;
	switch (*verb) {
	case CMD_SA_ADD:
		if (k == CMD_SA_ADD_AUTH || k == CMD_SA_ADD_AUTH_KEY)
			return vals[CMD_SA_ADD_ENC] == NULL ||
			    !cmd_opts_enc_is_aead(vals[CMD_SA_ADD_ENC]);
		return k == CMD_SA_ADD_ENC_KEY && vals[CMD_SA_ADD_ENC] != NULL &&
		    cmd_opts_enc_has_key(vals[CMD_SA_ADD_ENC]);
	case CMD_SA_REMOVE:
		return (k == CMD_SA_REMOVE_SRC || k == CMD_SA_REMOVE_DST ||
			   k == CMD_SA_REMOVE_SPI) &&
		    vals[CMD_SA_REMOVE_NAME] != NULL &&
		    strcmp(vals[CMD_SA_REMOVE_NAME], "auto") == 0;
	case CMD_SA_REKEY: /* the keys: the daemon knows the SA's algorithms */
	case CMD_SP_ADD:
	case CMD_SP_REMOVE:
	case CMD_SA_LIST:
	case CMD_SP_LIST:
		break;
	}
	return false;
}

/* A KEY_FILE row given for the option that row k is. */
static bool
cmd_opts_given_by_file(const struct cmd_opts *t, size_t k, const char *const *vals)
{
	for (size_t j = 0; j < t->n; j++) {
		if (t->opts[j].use == CMD_OPT_KEY_FILE && vals[j] != NULL &&
		    strcmp(t->opts[j].send_as, t->opts[k].long_name) == 0)
			return true;
	}
	return false;
}

int
cmd_opts_check_required(const struct cmd_opts *t, const char *const *vals,
    const struct cmd_opts_need *need, struct err *err)
{
	char msg[ERR_MSG_MAX] = "";
	size_t used = 0;
	bool missing = false;

	for (size_t k = 0; k < t->n; k++) {
		bool required =
		    need != NULL ? need->fn(t, k, vals, need->ctx) : t->opts[k].required;
		char alias[96];
		char line[128];
		int len;

		if (!required || !cmd_opts_admits(t, k) || vals[k] != NULL ||
		    cmd_opts_given_by_file(t, k, vals))
			continue;
		cmd_opts_aliases(&t->opts[k], alias, sizeof(alias));
		len = snprintf(line, sizeof(line), "%sMissing required parameter %s",
		    missing ? "\n" : "", alias);
		missing = true;
		/* The lines that fit whole are kept: a cut line would name another option. */
		if (len < 0 || (size_t)len >= sizeof(msg) - used)
			break;
		memcpy(msg + used, line, (size_t)len + 1);
		used += (size_t)len;
	}
	return missing ? err_set(err, EINVAL, "%s", msg) : 0;
}

/* sa remove: exactly one of -a and -n; the tuple (the value rows other than -n, in table
 * order) only with -n auto. */
static int
cmd_opts_sa_remove(const char *const *vals, struct err *err)
{
	const char *name = vals[CMD_SA_REMOVE_NAME];

	if ((vals[CMD_SA_REMOVE_ALL] != NULL) == (name != NULL))
		return err_set(
		    err, EINVAL, "Exactly one of -a|--remove-all and -n|--sa-name is required");
	if (name != NULL && strcmp(name, "auto") == 0)
		return 0;
	for (size_t k = 0; k < CMD_SA_REMOVE__ROWS; k++) {
		const struct cmd_opt *o = &cmd_sa_remove_opts[k];

		if (vals[k] != NULL && o->kind == CMD_OPT_VALUE && k != CMD_SA_REMOVE_NAME)
			return err_set(err, EINVAL, "-%c|--%s is only valid with -n|--sa-name auto",
			    o->short_name, o->long_name);
	}
	return 0;
}

int
cmd_opts_check_rules(enum cmd_verb verb, const char *const *vals, struct err *err)
{
	switch (verb) {
	case CMD_SA_REMOVE:
		return cmd_opts_sa_remove(vals, err);
	case CMD_SP_REMOVE:
		if ((vals[CMD_SP_REMOVE_ALL] != NULL) == (vals[CMD_SP_REMOVE_NAME] != NULL))
			return err_set(err, EINVAL,
			    "Exactly one of -a|--remove-all and -n|--sp-name is required");
		return 0;
	case CMD_SA_ADD:
		if ((vals[CMD_SA_ADD_RETIRED] != NULL) != (vals[CMD_SA_ADD_GRACE] != NULL))
			return err_set(err, EINVAL, "--retired and --grace-period go together");
		return 0;
	case CMD_SA_REKEY:
	case CMD_SP_ADD:
	case CMD_SA_LIST:
	case CMD_SP_LIST:
		break;
	}
	return 0;
}
