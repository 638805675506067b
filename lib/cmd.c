// SPDX-License-Identifier: MIT
/* The command grammar of CLI.md: the words `[network ip ipsec] {sa|sp} {add|list|remove}`, then
 * options read as esxcli reads them, driven by one table per command, then values converted
 * and checked. Also the word splitter for configuration lines. */
#include "ipsec6/cmd.h"

#include <assert.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ipsec6/addr.h"
#include "ipsec6/algo.h"
#include "ipsec6/secret.h"

#define CMD_OPTS_MAX   16
#define CMD_NAME_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-"
#define CMD_HEX_CHARS  "0123456789abcdefABCDEF"
#define CMD_DIGITS     "0123456789"

/* Row indexes of each table: the designated initializers below keep rows and indexes together;
 * the rows themselves are in help order. */
enum {
	SAA_ENC,
	SAA_ENC_KEY,
	SAA_AUTH,
	SAA_AUTH_KEY,
	SAA_REPLAY,
	SAA_DST,
	SAA_MODE,
	SAA_NAME,
	SAA_SRC,
	SAA_SPI,
	SAA__COUNT
};

enum {
	SAR_ALL,
	SAR_DST,
	SAR_NAME,
	SAR_SRC,
	SAR_SPI,
	SAR__COUNT
};

enum {
	SPA_ACTION,
	SPA_DANGLING,
	SPA_DPORT,
	SPA_DIR,
	SPA_SA_NAME,
	SPA_SPORT,
	SPA_DST,
	SPA_MODE,
	SPA_NAME,
	SPA_SRC,
	SPA_PROTO,
	SPA__COUNT
};

enum {
	SPR_ALL,
	SPR_NAME,
	SPR__COUNT
};

#define VAL(s, l, req, v, h)                                                                   \
	{                                                                                      \
		.short_name = (s), .long_name = (l), .kind = CMD_OPT_VALUE, .required = (req), \
		.value = (v), .help = (h)                                                      \
	}
#define NATIVE_VAL(l, v, h)                                                                        \
	{                                                                                          \
		.long_name = (l), .kind = CMD_OPT_VALUE, .native = true, .value = (v), .help = (h) \
	}
#define FLAG(s, l, h)                                                                  \
	{                                                                              \
		.short_name = (s), .long_name = (l), .kind = CMD_OPT_FLAG, .help = (h) \
	}
#define NATIVE_FLAG(l, h)                                                           \
	{                                                                           \
		.long_name = (l), .kind = CMD_OPT_FLAG, .native = true, .help = (h) \
	}

static const struct cmd_opt sa_add_opts[SAA__COUNT] = {
	[SAA_ENC] = VAL('e', "encryption-algorithm", true, "str",
	    "Encryption algorithm: null, 3des-cbc or aes128-cbc; null means no encryption."),
	[SAA_ENC_KEY] = VAL('k', "encryption-key", false, "str",
	    "Encryption key: 0x and hexadecimal digits, or an ASCII string (required unless the "
	    "encryption algorithm is null)."),
	[SAA_AUTH] = VAL('i', "integrity-algorithm", true, "str",
	    "Integrity algorithm: hmac-sha1 or hmac-sha2-256."),
	[SAA_AUTH_KEY] = VAL('K', "integrity-key", true, "str",
	    "Integrity key: 0x and hexadecimal digits, or an ASCII string."),
	[SAA_REPLAY] = NATIVE_VAL(
	    "replay-window", "long", "Anti-replay window in packets, 32-4096 (default 64)."),
	[SAA_DST] = VAL('d', "sa-destination", true, "str",
	    "Destination address of the Security Association, or any."),
	[SAA_MODE] = VAL('m', "sa-mode", false, "str",
	    "Mode of the Security Association: transport (default) or tunnel."),
	[SAA_NAME] = VAL('n', "sa-name", true, "str", "Name of the Security Association."),
	[SAA_SRC] = VAL(
	    's', "sa-source", true, "str", "Source address of the Security Association, or any."),
	[SAA_SPI] = VAL('p', "sa-spi", true, "str",
	    "Security Parameter Index: 0x and hexadecimal digits, 0x100-0xffffffff."),
};

static const struct cmd_opt sa_remove_opts[SAR__COUNT] = {
	[SAR_ALL] = FLAG('a', "remove-all", "Remove every Security Association."),
	[SAR_DST] = VAL('d', "sa-destination", false, "str",
	    "Destination address of the Security Association (with --sa-name auto)."),
	[SAR_NAME] = VAL('n', "sa-name", false, "str",
	    "Name of the Security Association, or auto to name it by source, destination and "
	    "SPI."),
	[SAR_SRC] = VAL('s', "sa-source", false, "str",
	    "Source address of the Security Association (with --sa-name auto)."),
	[SAR_SPI] = VAL('p', "sa-spi", false, "str",
	    "Security Parameter Index of the Security Association (with --sa-name auto)."),
};

static const struct cmd_opt sp_add_opts[SPA__COUNT] = {
	[SPA_ACTION] =
	    VAL('A', "action", true, "str", "Action for matching traffic: none, discard or ipsec."),
	[SPA_DANGLING] = NATIVE_FLAG("dangling",
	    "The SA named by --sa-name need not exist yet; until it does, the policy discards."),
	[SPA_DPORT] = VAL('t', "destination-port", false, "long",
	    "Destination port, 0-65535 or any (default); the ICMPv6 type with icmp6."),
	[SPA_DIR] = VAL('w', "flow-direction", true, "str", "Direction of the flow: in or out."),
	[SPA_SA_NAME] = VAL('a', "sa-name", false, "str",
	    "Name of the Security Association to use (action ipsec only)."),
	[SPA_SPORT] =
	    VAL('o', "source-port", false, "long", "Source port, 0-65535 or any (default)."),
	[SPA_DST] = VAL('d', "sp-destination", true, "str",
	    "Destination prefix of the Security Policy (address/length), or any."),
	[SPA_MODE] = VAL('m', "sp-mode", false, "str",
	    "Mode of the Security Policy: transport or tunnel (default: the SA's mode)."),
	[SPA_NAME] = VAL('n', "sp-name", true, "str", "Name of the Security Policy."),
	[SPA_SRC] = VAL('s', "sp-source", true, "str",
	    "Source prefix of the Security Policy (address/length), or any."),
	[SPA_PROTO] = VAL('P', "upper-layer-protocol", false, "str",
	    "Upper-layer protocol: any (default), tcp, udp or icmp6."),
};

static const struct cmd_opt sp_remove_opts[SPR__COUNT] = {
	[SPR_ALL] = FLAG('a', "remove-all", "Remove every Security Policy."),
	[SPR_NAME] = VAL('n', "sp-name", false, "str", "Name of the Security Policy."),
};

const struct cmd_opt *
cmd_options(enum cmd_verb verb, size_t *n)
{
	switch (verb) {
	case CMD_SA_ADD:
		*n = SAA__COUNT;
		return sa_add_opts;
	case CMD_SA_REMOVE:
		*n = SAR__COUNT;
		return sa_remove_opts;
	case CMD_SP_ADD:
		*n = SPA__COUNT;
		return sp_add_opts;
	case CMD_SP_REMOVE:
		*n = SPR__COUNT;
		return sp_remove_opts;
	case CMD_SA_LIST:
	case CMD_SP_LIST:
		break;
	}
	*n = 0;
	return sa_add_opts; /* never read: no rows */
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
	}
	return "?";
}

/* ---- words ---------------------------------------------------------------------------- */

static int
cmd_verb_word(const char *word, bool sa, enum cmd_verb *verb)
{
	static const struct {
		const char *word;
		enum cmd_verb sa, sp;
	} verbs[] = {
		{ "add", CMD_SA_ADD, CMD_SP_ADD },
		{ "list", CMD_SA_LIST, CMD_SP_LIST },
		{ "remove", CMD_SA_REMOVE, CMD_SP_REMOVE },
	};

	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		if (strcmp(word, verbs[i].word) == 0) {
			*verb = sa ? verbs[i].sa : verbs[i].sp;
			return 0;
		}
	}
	return -EINVAL;
}

/* Read `[network ip ipsec] {sa|sp} {add|list|remove}`, or the doc form without sa/sp (which
 * means sp); *used gets the number of words read. */
static int
cmd_words(size_t argc, char *const *argv, enum cmd_verb *verb, size_t *used, struct err *err)
{
	static const char *const ns[] = { "network", "ip", "ipsec" };
	char path[64] = "";
	size_t i = 0;

	if (argc > 0 && strcmp(argv[0], ns[0]) == 0) {
		for (i = 0; i < 3; i++) {
			if (i == argc)
				return err_set(err, EINVAL, "Missing command after '%.*s'",
				    (int)strlen(path) - 1, path);
			if (strcmp(argv[i], ns[i]) != 0)
				return err_set(err, EINVAL, "Unknown command or namespace %s%s",
				    path, argv[i]);
			(void)snprintf(
			    path + strlen(path), sizeof(path) - strlen(path), "%s ", ns[i]);
		}
	}
	if (i == argc)
		return err_set(
		    err, EINVAL, "Missing command: use sa or sp, then add, list or remove");
	if (cmd_verb_word(argv[i], false, verb) == 0) {
		*used = i + 1; /* doc form: `network ip ipsec add` is `sp add` */
		return 0;
	}
	if (strcmp(argv[i], "sa") != 0 && strcmp(argv[i], "sp") != 0)
		return err_set(err, EINVAL, "Unknown command or namespace %s%s", path, argv[i]);
	if (i + 1 == argc)
		return err_set(err, EINVAL, "Missing command after '%s%s': use add, list or remove",
		    path, argv[i]);
	if (cmd_verb_word(argv[i + 1], argv[i][1] == 'a', verb) != 0)
		return err_set(err, EINVAL, "Unknown command or namespace %s%s %s", path, argv[i],
		    argv[i + 1]);
	*used = i + 2;
	return 0;
}

/* ---- options -------------------------------------------------------------------------- */

/* Longest option text quoted in a message (an option that long is invalid anyway). */
#define CMD_QUOTE_MAX 128

static int
cmd_quote_len(size_t len)
{
	return len > CMD_QUOTE_MAX ? CMD_QUOTE_MAX : (int)len;
}

/* The row that tok[0, len) names ("--long" or "-x"), or n. No prefix matching. */
static size_t
cmd_opt_find(const struct cmd_opt *opts, size_t n, const char *tok, size_t len)
{
	for (size_t i = 0; i < n; i++) {
		if (tok[1] == '-') {
			if (strlen(opts[i].long_name) == len - 2 &&
			    memcmp(opts[i].long_name, tok + 2, len - 2) == 0)
				return i;
		} else if (len == 2 && opts[i].short_name != '\0' && opts[i].short_name == tok[1]) {
			return i;
		}
	}
	return n;
}

/* esxcli does not take a word that looks like an option as a value. */
static bool
cmd_is_option(const char *word)
{
	return word[0] == '-' && word[1] != '\0';
}

/* The state of reading the options of one command. */
struct cmd_scan {
	const struct cmd_opt *opts;
	size_t nopts;
	size_t argc;
	char *const *argv;
	const char *vals[CMD_OPTS_MAX]; /* value text per row; "" for a flag; NULL: absent */
};

/* The value of a value option: after '=', else the next word unless that looks like an
 * option. */
static int
cmd_scan_value(struct cmd_scan *sc, size_t k, const char *eq, size_t *i, struct err *err)
{
	if (eq != NULL) {
		sc->vals[k] = eq + 1;
		return 0;
	}
	if (*i + 1 == sc->argc || cmd_is_option(sc->argv[*i + 1]))
		return err_set(err, EINVAL, "%s must have value", sc->argv[*i]);
	*i += 1;
	sc->vals[k] = sc->argv[*i];
	return 0;
}

/* Read the option at argv[*i] and its value. */
static int
cmd_scan_one(struct cmd_scan *sc, size_t *i, struct err *err)
{
	const char *tok = sc->argv[*i];
	const char *eq = strchr(tok, '=');
	size_t len = eq != NULL ? (size_t)(eq - tok) : strlen(tok);
	size_t k;

	if (!cmd_is_option(tok))
		return err_set(err, EINVAL, "Invalid option %s", tok);
	k = cmd_opt_find(sc->opts, sc->nopts, tok, len);
	if (k == sc->nopts)
		return err_set(err, EINVAL, "Invalid option %.*s", cmd_quote_len(len), tok);
	if (sc->vals[k] != NULL)
		return err_set(err, EINVAL, "Duplicated option %.*s", cmd_quote_len(len), tok);
	switch (sc->opts[k].kind) {
	case CMD_OPT_FLAG:
		if (eq != NULL)
			return err_set(err, EINVAL,
			    "'%.*s' is a flag and cannot accept any values.", cmd_quote_len(len),
			    tok);
		sc->vals[k] = "";
		return 0;
	case CMD_OPT_VALUE:
		break;
	}
	return cmd_scan_value(sc, k, eq, i, err);
}

/* "-e|--encryption-algorithm", or "--replay-window" for an option without a short form. */
static void
cmd_aliases(const struct cmd_opt *o, char *buf, size_t size)
{
	if (o->short_name != '\0')
		(void)snprintf(buf, size, "-%c|--%s", o->short_name, o->long_name);
	else
		(void)snprintf(buf, size, "--%s", o->long_name);
}

/* Required beyond the table's own flag: the encryption key unless the algorithm is null, and
 * the tuple for `sa remove -n auto`. */
static bool
cmd_needed(enum cmd_verb verb, size_t k, const char *const *vals)
{
	enum algo_enc enc;

	switch (verb) {
	case CMD_SA_ADD:
		/* An unknown algorithm is reported as such, not as a missing key. */
		return k == SAA_ENC_KEY && vals[SAA_ENC] != NULL &&
		    algo_enc_lookup(vals[SAA_ENC], &enc) == 0 && algo_enc_info(enc)->key_len != 0;
	case CMD_SA_REMOVE:
		return (k == SAR_SRC || k == SAR_DST || k == SAR_SPI) && vals[SAR_NAME] != NULL &&
		    strcmp(vals[SAR_NAME], "auto") == 0;
	case CMD_SP_ADD:
	case CMD_SP_REMOVE:
	case CMD_SA_LIST:
	case CMD_SP_LIST:
		break;
	}
	return false;
}

/* One "Missing required parameter" line per missing option, in help order. The lines that fit
 * in a reason whole are kept. */
static int
cmd_check_required(enum cmd_verb verb, const struct cmd_opt *opts, size_t n,
    const char *const *vals, struct err *err)
{
	char msg[ERR_MSG_MAX] = "";
	size_t used = 0;
	bool missing = false;

	for (size_t k = 0; k < n; k++) {
		char alias[96];
		char line[128];
		int len;

		if (vals[k] != NULL || !(opts[k].required || cmd_needed(verb, k, vals)))
			continue;
		cmd_aliases(&opts[k], alias, sizeof(alias));
		len = snprintf(line, sizeof(line), "%sMissing required parameter %s",
		    missing ? "\n" : "", alias);
		missing = true;
		if (len < 0 || (size_t)len >= sizeof(msg) - used)
			break;
		memcpy(msg + used, line, (size_t)len + 1);
		used += (size_t)len;
	}
	return missing ? err_set(err, EINVAL, "%s", msg) : 0;
}

/* ---- values --------------------------------------------------------------------------- */

static int
cmd_name(const char *text, char *out, size_t max, const char *what, struct err *err)
{
	size_t len = strlen(text);

	if (len == 0 || len > max || strspn(text, CMD_NAME_CHARS) != len)
		return err_set(err, EINVAL, "invalid %s name '%s': use 1-%zu of A-Za-z0-9_.-", what,
		    text, max);
	memcpy(out, text, len + 1);
	return 0;
}

static int
cmd_sa_name(const char *text, char *out, struct err *err)
{
	int rc = sa_name_check(text, err);

	if (rc == 0)
		memcpy(out, text, strlen(text) + 1);
	return rc;
}

/* An SA endpoint: an address, or "any" (stored as ::). */
static int
cmd_sa_addr(const char *text, struct in6_addr *out, struct err *err)
{
	if (strcmp(text, "any") == 0) {
		memset(out, 0, sizeof(*out));
		return 0;
	}
	return addr_parse(text, out, err);
}

/* "0x" and hex digits, 0x100-0xffffffff (RFC 4303 section 2.1: 0 is never sent, 1-255 are
 * reserved by IANA). */
static int
cmd_spi(const char *text, uint32_t *out, struct err *err)
{
	const char *hex = text + 2;
	uint64_t v = 0;

	if (text[0] != '0' || (text[1] != 'x' && text[1] != 'X') || hex[0] == '\0' ||
	    strspn(hex, CMD_HEX_CHARS) != strlen(hex))
		return err_set(
		    err, EINVAL, "invalid SPI '%s': use 0x and hexadecimal digits", text);
	for (; *hex != '\0'; hex++) {
		unsigned d =
		    *hex <= '9' ? (unsigned)(*hex - '0') : (unsigned)((*hex | 0x20) - 'a') + 10;

		v = v * 16 + d;
		if (v > UINT32_MAX)
			return err_set(
			    err, EINVAL, "SPI '%s' is too large (at most 0xffffffff)", text);
	}
	if (v == 0)
		return err_set(err, EINVAL, "SPI '%s' is reserved (RFC 4303 section 2.1)", text);
	if (v < SA_SPI_MIN)
		return err_set(err, EINVAL, "SPI '%s' is reserved (0x1-0xff)", text);
	*out = (uint32_t)v;
	return 0;
}

/* Decimal digits only (no sign, no blanks), value within [min, max]. */
static bool
cmd_decimal(const char *text, uint32_t min, uint32_t max, uint32_t *out)
{
	uint64_t v = 0;
	size_t len = strlen(text);

	if (len == 0 || strspn(text, CMD_DIGITS) != len)
		return false;
	for (const char *p = text; *p != '\0'; p++) {
		v = v * 10 + (uint64_t)(*p - '0');
		if (v > max)
			return false;
	}
	if (v < min)
		return false;
	*out = (uint32_t)v;
	return true;
}

static int
cmd_port(const char *text, const char *what, int32_t *out, struct err *err)
{
	uint32_t v;

	if (strcmp(text, "any") == 0) {
		*out = SP_PORT_ANY;
		return 0;
	}
	if (!cmd_decimal(text, 0, 65535, &v))
		return err_set(err, EINVAL, "invalid %s '%s': use 0-65535 or any", what, text);
	*out = (int32_t)v;
	return 0;
}

/* Join the CLI names of an algorithm table, so that a new row shows up in the message. */
static void
cmd_algo_names(bool enc, char *buf, size_t size)
{
	unsigned count = enc ? ALGO_ENC__COUNT : ALGO_AUTH__COUNT;
	size_t used = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < count && used < size; i++) {
		const char *name = enc ? algo_enc_info((enum algo_enc)i)->name
				       : algo_auth_info((enum algo_auth)i)->name;
		int n = snprintf(buf + used, size - used, "%s%s", i == 0 ? "" : ", ", name);

		if (n < 0)
			return;
		used += (size_t)n;
	}
}

/* Algorithms first, then the keys, whose lengths depend on them. */
static int
cmd_sa_crypto(const char *const *vals, struct sa_spec *sa, struct err *err)
{
	const struct algo_enc_info *enc;
	const struct algo_auth_info *auth;
	char names[128];

	if (algo_enc_lookup(vals[SAA_ENC], &sa->enc) != 0) {
		cmd_algo_names(true, names, sizeof(names));
		return err_set(
		    err, EINVAL, "invalid encryption algorithm '%s': use %s", vals[SAA_ENC], names);
	}
	/* RFC 4303 section 3.2: ESP with neither confidentiality nor integrity is not allowed;
	 * here integrity is never optional. */
	if (strcmp(vals[SAA_AUTH], "null") == 0)
		return err_set(err, EINVAL, "integrity algorithm cannot be null");
	if (algo_auth_lookup(vals[SAA_AUTH], &sa->auth) != 0) {
		cmd_algo_names(false, names, sizeof(names));
		return err_set(
		    err, EINVAL, "invalid integrity algorithm '%s': use %s", vals[SAA_AUTH], names);
	}
	enc = algo_enc_info(sa->enc);
	auth = algo_auth_info(sa->auth);
	if (enc->key_len == 0 && vals[SAA_ENC_KEY] != NULL)
		return err_set(err, EINVAL, "null encryption takes no key");
	if (enc->key_len != 0) {
		int rc = secret_parse(vals[SAA_ENC_KEY], enc->key_len, "encryption key", enc->name,
		    &sa->enc_key, err);

		if (rc != 0)
			return rc;
	}
	return secret_parse(
	    vals[SAA_AUTH_KEY], auth->key_len, "integrity key", auth->name, &sa->auth_key, err);
}

static int
cmd_mode(const char *text, const char *what, enum sa_mode *out, struct err *err)
{
	if (sa_mode_parse(text, out) != 0)
		return err_set(
		    err, EINVAL, "invalid %s mode '%s': use transport or tunnel", what, text);
	return 0;
}

static int
cmd_sa_add(const char *const *vals, struct cmd *cmd, struct err *err)
{
	struct sa_spec *sa = &cmd->sa;
	int rc;

	/* Required: cmd_check_required() saw to them. */
	assert(vals[SAA_NAME] != NULL && vals[SAA_SRC] != NULL && vals[SAA_DST] != NULL &&
	    vals[SAA_SPI] != NULL && vals[SAA_ENC] != NULL && vals[SAA_AUTH] != NULL &&
	    vals[SAA_AUTH_KEY] != NULL);
	rc = cmd_sa_name(vals[SAA_NAME], sa->name, err);
	if (rc == 0)
		rc = cmd_sa_addr(vals[SAA_SRC], &sa->src, err);
	if (rc == 0)
		rc = cmd_sa_addr(vals[SAA_DST], &sa->dst, err);
	if (rc == 0)
		rc = cmd_spi(vals[SAA_SPI], &sa->spi, err);
	sa->mode = SA_MODE_TRANSPORT;
	if (rc == 0 && vals[SAA_MODE] != NULL)
		rc = cmd_mode(vals[SAA_MODE], "SA", &sa->mode, err);
	if (rc == 0 && vals[SAA_REPLAY] != NULL &&
	    !cmd_decimal(
		vals[SAA_REPLAY], REPLAY_WINDOW_MIN, REPLAY_WINDOW_MAX, &sa->replay_window))
		rc = err_set(err, EINVAL, "invalid replay window '%s': use %u-%u", vals[SAA_REPLAY],
		    REPLAY_WINDOW_MIN, REPLAY_WINDOW_MAX);
	if (rc == 0)
		rc = cmd_sa_crypto(vals, sa, err);
	return rc;
}

static int
cmd_sa_remove(const char *const *vals, struct cmd *cmd, struct err *err)
{
	static const size_t tuple[] = { SAR_SRC, SAR_DST, SAR_SPI };
	struct cmd_remove *rm = &cmd->rm;
	bool is_auto = vals[SAR_NAME] != NULL && strcmp(vals[SAR_NAME], "auto") == 0;
	int rc;

	if ((vals[SAR_ALL] != NULL) == (vals[SAR_NAME] != NULL))
		return err_set(
		    err, EINVAL, "Exactly one of -a|--remove-all and -n|--sa-name is required");
	for (size_t i = 0; i < sizeof(tuple) / sizeof(tuple[0]) && !is_auto; i++) {
		if (vals[tuple[i]] != NULL)
			return err_set(err, EINVAL, "-%c|--%s is only valid with -n|--sa-name auto",
			    sa_remove_opts[tuple[i]].short_name,
			    sa_remove_opts[tuple[i]].long_name);
	}
	rm->all = vals[SAR_ALL] != NULL;
	if (rm->all)
		return 0;
	if (!is_auto)
		return cmd_sa_name(vals[SAR_NAME], rm->name, err);
	assert(vals[SAR_SRC] != NULL && vals[SAR_DST] != NULL && vals[SAR_SPI] != NULL);
	memcpy(rm->name, "auto", sizeof("auto"));
	rc = cmd_sa_addr(vals[SAR_SRC], &rm->src, err);
	if (rc == 0)
		rc = cmd_sa_addr(vals[SAR_DST], &rm->dst, err);
	if (rc == 0)
		rc = cmd_spi(vals[SAR_SPI], &rm->spi, err);
	return rc;
}

/* Protocol, direction and action: the spd's own parsers, with reasons added here. */
static int
cmd_sp_enums(const char *const *vals, struct sp_spec *sp, struct err *err)
{
	if (vals[SPA_PROTO] != NULL && sp_proto_parse(vals[SPA_PROTO], &sp->proto) != 0)
		return err_set(err, EINVAL,
		    "invalid upper layer protocol '%s': use any, tcp, udp or icmp6",
		    vals[SPA_PROTO]);
	if (sp_dir_parse(vals[SPA_DIR], &sp->dir) != 0)
		return err_set(
		    err, EINVAL, "invalid flow direction '%s': use in or out", vals[SPA_DIR]);
	if (sp_action_parse(vals[SPA_ACTION], &sp->action) != 0)
		return err_set(err, EINVAL, "invalid action '%s': use none, discard or ipsec",
		    vals[SPA_ACTION]);
	sp->mode = SA_MODE_TRANSPORT;
	sp->mode_given = vals[SPA_MODE] != NULL;
	if (sp->mode_given)
		return cmd_mode(vals[SPA_MODE], "SP", &sp->mode, err);
	return 0;
}

static int
cmd_sp_add(const char *const *vals, struct cmd *cmd, struct err *err)
{
	struct sp_spec *sp = &cmd->sp;
	int rc;

	assert(vals[SPA_NAME] != NULL && vals[SPA_SRC] != NULL && vals[SPA_DST] != NULL &&
	    vals[SPA_DIR] != NULL && vals[SPA_ACTION] != NULL);
	sp->sport = SP_PORT_ANY;
	sp->dport = SP_PORT_ANY;
	sp->proto = SP_PROTO_ANY;
	rc = cmd_name(vals[SPA_NAME], sp->name, SP_NAME_MAX, "policy", err);
	if (rc == 0)
		rc = addr_prefix_parse(vals[SPA_SRC], &sp->src, err);
	if (rc == 0)
		rc = addr_prefix_parse(vals[SPA_DST], &sp->dst, err);
	if (rc == 0 && vals[SPA_SPORT] != NULL)
		rc = cmd_port(vals[SPA_SPORT], "source port", &sp->sport, err);
	if (rc == 0 && vals[SPA_DPORT] != NULL)
		rc = cmd_port(vals[SPA_DPORT], "destination port", &sp->dport, err);
	if (rc == 0)
		rc = cmd_sp_enums(vals, sp, err);
	if (rc == 0 && vals[SPA_SA_NAME] != NULL)
		rc = cmd_sa_name(vals[SPA_SA_NAME], sp->sa_name, err);
	if (rc == 0 && vals[SPA_DANGLING] != NULL && vals[SPA_SA_NAME] == NULL)
		rc = err_set(err, EINVAL, "--dangling requires -a|--sa-name");
	cmd->sa_dangling = vals[SPA_DANGLING] != NULL;
	return rc;
}

static int
cmd_sp_remove(const char *const *vals, struct cmd *cmd, struct err *err)
{
	if ((vals[SPR_ALL] != NULL) == (vals[SPR_NAME] != NULL))
		return err_set(
		    err, EINVAL, "Exactly one of -a|--remove-all and -n|--sp-name is required");
	cmd->rm.all = vals[SPR_ALL] != NULL;
	if (cmd->rm.all)
		return 0;
	return cmd_name(vals[SPR_NAME], cmd->rm.name, SP_NAME_MAX, "policy", err);
}

static int
cmd_convert(const char *const *vals, struct cmd *cmd, struct err *err)
{
	switch (cmd->verb) {
	case CMD_SA_ADD:
		return cmd_sa_add(vals, cmd, err);
	case CMD_SA_REMOVE:
		return cmd_sa_remove(vals, cmd, err);
	case CMD_SP_ADD:
		return cmd_sp_add(vals, cmd, err);
	case CMD_SP_REMOVE:
		return cmd_sp_remove(vals, cmd, err);
	case CMD_SA_LIST:
	case CMD_SP_LIST:
		break;
	}
	return 0;
}

int
cmd_parse(size_t argc, char *const *argv, struct cmd *cmd, struct err *err)
{
	struct cmd_scan sc = { .argc = argc, .argv = argv };
	size_t i = 0;
	int rc;

	memset(cmd, 0, sizeof(*cmd));
	rc = cmd_words(argc, argv, &cmd->verb, &i, err);
	if (rc != 0)
		return rc;
	sc.opts = cmd_options(cmd->verb, &sc.nopts);
	for (; i < argc && rc == 0; i++)
		rc = cmd_scan_one(&sc, &i, err);
	if (rc == 0)
		rc = cmd_check_required(cmd->verb, sc.opts, sc.nopts, sc.vals, err);
	if (rc == 0)
		rc = cmd_convert(sc.vals, cmd, err);
	if (rc != 0)
		cmd_fini(cmd);
	return rc;
}

void
cmd_fini(struct cmd *cmd)
{
	sa_spec_fini(&cmd->sa);
	memset(cmd, 0, sizeof(*cmd));
}

/* ---- splitting ------------------------------------------------------------------------ */

static bool
cmd_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* Copy one word starting at *rp to *wp (in place: the write pointer never passes the read
 * pointer), undoing quotes and escapes. Returns 0 or -EINVAL. */
static int
cmd_split_word(char **rp, char **wp, struct err *err)
{
	char *r = *rp;
	char *w = *wp;
	char quote = '\0';

	for (; *r != '\0' && (quote != '\0' || !cmd_blank(*r)); r++) {
		/* Inside single quotes everything but the closing quote is literal, as in sh. */
		bool special = quote != '\'' || *r == '\'';

		if (special && *r == '\\') {
			if (r[1] == '\0')
				return err_set(err, EINVAL, "backslash at the end of the line");
			r++;
		} else if (special && quote != '\0' && *r == quote) {
			quote = '\0';
			continue;
		} else if (special && quote == '\0' && (*r == '\'' || *r == '"')) {
			quote = *r;
			continue;
		}
		*w++ = *r;
	}
	if (quote != '\0')
		return err_set(
		    err, EINVAL, "unterminated %s quote", quote == '\'' ? "single" : "double");
	*rp = r;
	*wp = w;
	return 0;
}

int
cmd_split(char *line, char **argv, size_t max, size_t *argc, struct err *err)
{
	char *r = line;
	size_t n = 0;
	int rc;

	*argc = 0;
	for (;;) {
		char *w;

		while (cmd_blank(*r))
			r++;
		if (*r == '\0' || *r == '#')
			break;
		if (n == max)
			return err_set(err, EINVAL, "too many words (at most %zu)", max);
		w = r;
		argv[n] = w;
		rc = cmd_split_word(&r, &w, err);
		if (rc != 0)
			return rc;
		n++;
		if (*r == '\0') {
			*w = '\0';
			break;
		}
		r++; /* the blank that ended the word becomes its terminator */
		*w = '\0';
	}
	*argc = n;
	return 0;
}
