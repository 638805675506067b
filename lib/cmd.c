// SPDX-License-Identifier: MIT
/* The command grammar of CLI.md: the words `[network ip ipsec] {sa|sp} {add|list|remove}`, then
 * options read as esxcli reads them, driven by one table per command (cmd_opts.c), then values
 * converted and checked. Also the word splitter for configuration lines. */
#include "ipsec6/cmd.h"

#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ipsec6/addr.h"
#include "ipsec6/algo.h"
#include "ipsec6/names.h"
#include "ipsec6/secret.h"
#include "ipsec6/words.h"

#define CMD_NAME_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-"
#define CMD_HEX_CHARS  "0123456789abcdefABCDEF"
#define CMD_DIGITS     "0123456789"

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

	int i = names_find(NAMES_TABLE(verbs), word);

	/* A native verb of SAs alone. */
	if (i < 0 && sa && strcmp(word, "rekey") == 0) {
		*verb = CMD_SA_REKEY;
		return 0;
	}
	if (i < 0)
		return -EINVAL;
	*verb = sa ? verbs[i].sa : verbs[i].sp;
	return 0;
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

/* A key option: absent or empty is no key (*len 0); its length is the algorithm's to judge. */
static int
cmd_key(const char *text, const char *what, struct secret **out, size_t *len, struct err *err)
{
	*len = 0;
	return text == NULL ? 0 : secret_parse(text, what, len, out, err);
}

/* Algorithms first, then the keys, whose lengths depend on them. */
static int
cmd_sa_crypto(const char *const *vals, struct sa_spec *sa, struct err *err)
{
	size_t len;
	int rc;

	rc = algo_enc_lookup(vals[CMD_SA_ADD_ENC], &sa->enc, err);
	if (rc != 0)
		return rc;
	/* RFC 4303 section 3.2: ESP with neither confidentiality nor integrity is not allowed;
	 * here integrity is never optional, and a combined mode provides it itself. */
	sa->auth = ALGO_AUTH_NONE;
	if (vals[CMD_SA_ADD_AUTH] != NULL && strcmp(vals[CMD_SA_ADD_AUTH], "null") == 0)
		return err_set(err, EINVAL, "integrity algorithm cannot be null");
	if (vals[CMD_SA_ADD_AUTH] != NULL)
		rc = algo_auth_lookup(vals[CMD_SA_ADD_AUTH], &sa->auth, err);
	if (rc == 0)
		rc = cmd_key(vals[CMD_SA_ADD_ENC_KEY], "encryption key", &sa->enc_key, &len, err);
	if (rc == 0)
		rc = algo_enc_key_check(sa->enc, len, err);
	if (rc == 0)
		rc = cmd_key(vals[CMD_SA_ADD_AUTH_KEY], "integrity key", &sa->auth_key, &len, err);
	if (rc == 0)
		rc = algo_auth_key_check(sa->enc, sa->auth, len, err);
	return rc;
}

/* A count of 1 to 2^64 - 1 in decimal. */
static bool
cmd_count(const char *text, uint64_t *out)
{
	uint64_t v = 0;
	size_t len = strlen(text);

	if (len == 0 || strspn(text, CMD_DIGITS) != len)
		return false;
	for (const char *p = text; *p != '\0'; p++) {
		uint64_t d = (uint64_t)(*p - '0');

		if (v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return v != 0;
}

/* A time in seconds since 1970, 1 to 2^63 - 1: "invalid time WHAT '...'". */
static int
cmd_time(const char *text, const char *what, int64_t *out, struct err *err)
{
	uint64_t v;

	if (!cmd_count(text, &v) || v > INT64_MAX)
		return err_set(err, EINVAL,
		    "invalid time %s '%s': use seconds since 1970, 1-%" PRId64, what, text,
		    INT64_MAX);
	*out = (int64_t)v;
	return 0;
}

/* A rekey's grace period, 0 to SA_GRACE_MAX seconds. */
static int
cmd_grace(const char *text, uint32_t *out, struct err *err)
{
	if (!cmd_decimal(text, 0, SA_GRACE_MAX, out))
		return err_set(
		    err, EINVAL, "invalid grace period '%s': use 0-%u seconds", text, SA_GRACE_MAX);
	return 0;
}

/* The lifetimes (ipsec6/life.h) and the time added. */
static int
cmd_sa_life(const char *const *vals, struct sa_spec *sa, struct err *err)
{
	static const struct {
		enum cmd_sa_add_row row;
		enum life_kind kind;
		bool hard;
	} rows[] = {
		{ CMD_SA_ADD_TIME_SOFT, LIFE_TIME, false },
		{ CMD_SA_ADD_TIME_HARD, LIFE_TIME, true },
		{ CMD_SA_ADD_BYTE_SOFT, LIFE_BYTES, false },
		{ CMD_SA_ADD_BYTE_HARD, LIFE_BYTES, true },
		{ CMD_SA_ADD_PACKET_SOFT, LIFE_PACKETS, false },
		{ CMD_SA_ADD_PACKET_HARD, LIFE_PACKETS, true },
	};
	int rc = 0;

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const char *text = vals[rows[i].row];
		uint64_t *slot =
		    rows[i].hard ? &sa->life.hard[rows[i].kind] : &sa->life.soft[rows[i].kind];

		if (text != NULL && !cmd_count(text, slot))
			return err_set(err, EINVAL, "invalid %s %s lifetime '%s': use 1-%" PRIu64,
			    rows[i].hard ? "hard" : "soft", life_kind_name(rows[i].kind), text,
			    UINT64_MAX);
	}
	if (vals[CMD_SA_ADD_RETIRED] != NULL) {
		rc = cmd_time(vals[CMD_SA_ADD_RETIRED], "retired", &sa->retired, err);
		if (rc == 0)
			rc = cmd_grace(vals[CMD_SA_ADD_GRACE], &sa->grace, err);
	}
	if (rc == 0 && vals[CMD_SA_ADD_ADDED] != NULL)
		rc = cmd_time(vals[CMD_SA_ADD_ADDED], "added", &sa->added, err);
	if (rc != 0)
		return rc;
	return life_check(&sa->life, err);
}

/* --encapsulation udp|none and --encapsulation-ports SPORT:DPORT (which implies udp). */
static int
cmd_sa_encap(const char *const *vals, struct sa_spec *sa, struct err *err)
{
	const char *how = vals[CMD_SA_ADD_ENCAP], *ports = vals[CMD_SA_ADD_ENCAP_PORTS];
	bool none = how != NULL && strcmp(how, words_sa_encap[0]) == 0;
	bool udp = how != NULL && strcmp(how, words_sa_encap[1]) == 0;
	char text[12];
	uint32_t sport, dport;
	char *colon;
	size_t len;

	if (how != NULL && !none && !udp)
		return err_set(err, EINVAL, "invalid encapsulation '%s': use udp or none", how);
	if (ports == NULL) {
		if (udp)
			sa->encap_sport = sa->encap_dport = SA_ENCAP_PORT_DEFAULT;
		return 0;
	}
	if (none)
		return err_set(err, EINVAL, "--encapsulation-ports needs --encapsulation=udp");
	len = strlen(ports);
	if (len >= sizeof(text))
		goto bad;
	memcpy(text, ports, len + 1);
	colon = strchr(text, ':');
	if (colon == NULL)
		goto bad;
	*colon = '\0';
	if (!cmd_decimal(text, 1, 65535, &sport) || !cmd_decimal(colon + 1, 1, 65535, &dport))
		goto bad;
	sa->encap_sport = (uint16_t)sport;
	sa->encap_dport = (uint16_t)dport;
	return 0;
bad:
	return err_set(
	    err, EINVAL, "invalid encapsulation ports '%s': use SPORT:DPORT, each 1-65535", ports);
}

static int
cmd_sa_add(const char *const *vals, struct cmd *cmd, struct err *err)
{
	struct sa_spec *sa = &cmd->sa;
	int rc;

	/* Required: cmd_opts_check_required() saw to them. */
	assert(vals[CMD_SA_ADD_NAME] != NULL && vals[CMD_SA_ADD_SRC] != NULL &&
	    vals[CMD_SA_ADD_DST] != NULL && vals[CMD_SA_ADD_SPI] != NULL &&
	    vals[CMD_SA_ADD_ENC] != NULL);
	rc = cmd_sa_name(vals[CMD_SA_ADD_NAME], sa->name, err);
	if (rc == 0)
		rc = cmd_sa_addr(vals[CMD_SA_ADD_SRC], &sa->src, err);
	if (rc == 0)
		rc = cmd_sa_addr(vals[CMD_SA_ADD_DST], &sa->dst, err);
	if (rc == 0)
		rc = cmd_spi(vals[CMD_SA_ADD_SPI], &sa->spi, err);
	sa->mode = SA_MODE_TRANSPORT;
	if (rc == 0 && vals[CMD_SA_ADD_MODE] != NULL)
		rc = sa_mode_parse(vals[CMD_SA_ADD_MODE], "SA mode", &sa->mode, err);
	if (rc == 0 && vals[CMD_SA_ADD_REPLAY] != NULL &&
	    !cmd_decimal(
		vals[CMD_SA_ADD_REPLAY], REPLAY_WINDOW_MIN, REPLAY_WINDOW_MAX, &sa->replay_window))
		rc = err_set(err, EINVAL, "invalid replay window '%s': use %u-%u",
		    vals[CMD_SA_ADD_REPLAY], REPLAY_WINDOW_MIN, REPLAY_WINDOW_MAX);
	sa->esn = vals[CMD_SA_ADD_ESN] != NULL;
	if (rc == 0)
		rc = cmd_sa_life(vals, sa, err);
	if (rc == 0)
		rc = cmd_sa_encap(vals, sa, err);
	if (rc == 0)
		rc = cmd_sa_crypto(vals, sa, err);
	return rc;
}

/* cmd_opts_check_rules() saw to the combination: all, a name, or auto with the tuple. */
static int
cmd_sa_remove(const char *const *vals, struct cmd *cmd, struct err *err)
{
	struct cmd_remove *rm = &cmd->rm;
	int rc;

	rm->all = vals[CMD_SA_REMOVE_ALL] != NULL;
	if (rm->all)
		return 0;
	if (strcmp(vals[CMD_SA_REMOVE_NAME], "auto") != 0)
		return cmd_sa_name(vals[CMD_SA_REMOVE_NAME], rm->name, err);
	assert(vals[CMD_SA_REMOVE_SRC] != NULL && vals[CMD_SA_REMOVE_DST] != NULL &&
	    vals[CMD_SA_REMOVE_SPI] != NULL);
	memcpy(rm->name, "auto", sizeof("auto"));
	rc = cmd_sa_addr(vals[CMD_SA_REMOVE_SRC], &rm->src, err);
	if (rc == 0)
		rc = cmd_sa_addr(vals[CMD_SA_REMOVE_DST], &rm->dst, err);
	if (rc == 0)
		rc = cmd_spi(vals[CMD_SA_REMOVE_SPI], &rm->spi, err);
	return rc;
}

/* The name, the new SPI, the keys as given (their lengths are checked against the SA's
 * algorithms by db_apply()), and the grace. */
static int
cmd_sa_rekey(const char *const *vals, struct cmd *cmd, struct err *err)
{
	struct sa_spec *sa = &cmd->sa;
	size_t len;
	int rc;

	assert(vals[CMD_SA_REKEY_NAME] != NULL && vals[CMD_SA_REKEY_SPI] != NULL);
	rc = cmd_sa_name(vals[CMD_SA_REKEY_NAME], sa->name, err);
	if (rc == 0)
		rc = cmd_spi(vals[CMD_SA_REKEY_SPI], &sa->spi, err);
	cmd->grace = SA_GRACE_DEFAULT;
	if (rc == 0 && vals[CMD_SA_REKEY_GRACE] != NULL)
		rc = cmd_grace(vals[CMD_SA_REKEY_GRACE], &cmd->grace, err);
	if (rc == 0)
		rc = cmd_key(vals[CMD_SA_REKEY_ENC_KEY], "encryption key", &sa->enc_key, &len, err);
	if (rc == 0)
		rc =
		    cmd_key(vals[CMD_SA_REKEY_AUTH_KEY], "integrity key", &sa->auth_key, &len, err);
	return rc;
}

/* Protocol, direction and action: the spd's own parsers, with reasons added here. */
static int
cmd_sp_enums(const char *const *vals, struct sp_spec *sp, struct err *err)
{
	int rc = 0;

	if (vals[CMD_SP_ADD_PROTO] != NULL)
		rc = sp_proto_parse(vals[CMD_SP_ADD_PROTO], &sp->proto, err);
	if (rc == 0)
		rc = sp_dir_parse(vals[CMD_SP_ADD_DIR], &sp->dir, err);
	if (rc == 0)
		rc = sp_action_parse(vals[CMD_SP_ADD_ACTION], &sp->action, err);
	sp->mode = SA_MODE_TRANSPORT;
	sp->mode_given = vals[CMD_SP_ADD_MODE] != NULL;
	if (rc == 0 && sp->mode_given)
		rc = sa_mode_parse(vals[CMD_SP_ADD_MODE], "SP mode", &sp->mode, err);
	return rc;
}

static int
cmd_sp_add(const char *const *vals, struct cmd *cmd, struct err *err)
{
	struct sp_spec *sp = &cmd->sp;
	int rc;

	assert(vals[CMD_SP_ADD_NAME] != NULL && vals[CMD_SP_ADD_SRC] != NULL &&
	    vals[CMD_SP_ADD_DST] != NULL && vals[CMD_SP_ADD_DIR] != NULL &&
	    vals[CMD_SP_ADD_ACTION] != NULL);
	sp->sport = SP_PORT_ANY;
	sp->dport = SP_PORT_ANY;
	sp->proto = SP_PROTO_ANY;
	rc = cmd_name(vals[CMD_SP_ADD_NAME], sp->name, SP_NAME_MAX, "policy", err);
	if (rc == 0)
		rc = addr_prefix_parse(vals[CMD_SP_ADD_SRC], &sp->src, err);
	if (rc == 0)
		rc = addr_prefix_parse(vals[CMD_SP_ADD_DST], &sp->dst, err);
	if (rc == 0 && vals[CMD_SP_ADD_SPORT] != NULL)
		rc = cmd_port(vals[CMD_SP_ADD_SPORT], "source port", &sp->sport, err);
	if (rc == 0 && vals[CMD_SP_ADD_DPORT] != NULL)
		rc = cmd_port(vals[CMD_SP_ADD_DPORT], "destination port", &sp->dport, err);
	if (rc == 0)
		rc = cmd_sp_enums(vals, sp, err);
	if (rc == 0 && vals[CMD_SP_ADD_SA_NAME] != NULL)
		rc = cmd_sa_name(vals[CMD_SP_ADD_SA_NAME], sp->sa_name, err);
	if (rc == 0 && vals[CMD_SP_ADD_DANGLING] != NULL && vals[CMD_SP_ADD_SA_NAME] == NULL)
		rc = err_set(err, EINVAL, "--dangling requires -a|--sa-name");
	cmd->sa_dangling = vals[CMD_SP_ADD_DANGLING] != NULL;
	return rc;
}

static int
cmd_sp_remove(const char *const *vals, struct cmd *cmd, struct err *err)
{
	cmd->rm.all = vals[CMD_SP_REMOVE_ALL] != NULL;
	if (cmd->rm.all)
		return 0;
	return cmd_name(vals[CMD_SP_REMOVE_NAME], cmd->rm.name, SP_NAME_MAX, "policy", err);
}

static int
cmd_convert(const char *const *vals, struct cmd *cmd, struct err *err)
{
	switch (cmd->verb) {
	case CMD_SA_ADD:
		return cmd_sa_add(vals, cmd, err);
	case CMD_SA_REMOVE:
		return cmd_sa_remove(vals, cmd, err);
	case CMD_SA_REKEY:
		return cmd_sa_rekey(vals, cmd, err);
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
	/* The configuration grammar takes the native options; the files the CLI reads keys from
	 * are not options here: the CLI sends the keys. */
	struct cmd_opts t = { .native = true, .client = false };
	struct cmd_opts_need need = { cmd_opts_needed, &cmd->verb };
	const char *vals[CMD_OPTS_MAX] = { NULL };
	size_t i = 0;
	int rc;

	memset(cmd, 0, sizeof(*cmd));
	rc = cmd_words(argc, argv, &cmd->verb, &i, err);
	if (rc != 0)
		return rc;
	t.opts = cmd_options(cmd->verb, &t.n);
	for (; i < argc && rc == 0; i++)
		rc = cmd_opts_read(&t, argc, argv, &i, vals, err);
	if (rc == 0)
		rc = cmd_opts_check_required(&t, vals, &need, err);
	if (rc == 0)
		rc = cmd_opts_check_rules(cmd->verb, vals, err);
	if (rc == 0)
		rc = cmd_convert(vals, cmd, err);
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
