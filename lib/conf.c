// SPDX-License-Identifier: MIT
/* The configuration text: loading applies one command per line through the same grammar as
 * the CLI; saving writes the canonical form, which loads back to the same database and saves
 * to the same text. */
#include "ipsec6/conf.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipsec6/addr.h"
#include "ipsec6/secret.h"

#define CONF_WORDS_MAX 64
#define CONF_HEADER    "# ipsec6 configuration\n"

/* Split, parse and apply one NUL-terminated line. */
static int
conf_line(struct db *db, char *line, struct err *err)
{
	char *argv[CONF_WORDS_MAX];
	struct cmd cmd;
	size_t argc;
	int rc;

	rc = cmd_split(line, argv, CONF_WORDS_MAX, &argc, err);
	if (rc != 0 || argc == 0)
		return rc;
	rc = cmd_parse(argc, argv, &cmd, err);
	if (rc != 0)
		return rc;
	rc = db_apply(db, &cmd, err);
	cmd_fini(&cmd);
	return rc;
}

int
conf_load(struct db *db, const char *text, size_t len, struct err *err)
{
	struct err why = { "" };
	char *buf;
	size_t lineno = 0;
	int rc = 0;

	/* One copy of the text, line by line, so that each line can be split in place. */
	buf = malloc(len + 1);
	if (buf == NULL)
		return err_set(err, ENOMEM, "out of memory");
	for (size_t pos = 0; pos < len && rc == 0; lineno++) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl != NULL ? (size_t)(nl - (text + pos)) : len - pos;

		if (memchr(text + pos, '\0', n) != NULL) {
			rc = err_set(&why, EINVAL, "NUL byte in the line");
		} else {
			memcpy(buf, text + pos, n);
			buf[n] = '\0';
			rc = conf_line(db, buf, &why);
		}
		pos += n + 1;
	}
	if (rc != 0)
		(void)err_set(err, -rc, "line %zu: %s", lineno,
		    why.msg[0] != '\0'  ? why.msg
			: rc == -ENOMEM ? "out of memory"
					: "failed");
	explicit_bzero(buf, len + 1); /* lines hold keys */
	free(buf);
	explicit_bzero(&why, sizeof(why));
	return rc;
}

/* An output buffer that never leaves a copy of its contents behind when it grows. */
struct conf_out {
	char *p;
	size_t len;
	size_t cap;
	int rc;
};

static int
conf_grow(struct conf_out *o, size_t need)
{
	size_t cap = o->cap;
	char *p;

	while (cap < need) {
		if (cap > SIZE_MAX / 2)
			return -ENOMEM;
		cap *= 2;
	}
	p = malloc(cap);
	if (p == NULL)
		return -ENOMEM;
	memcpy(p, o->p, o->len + 1);
	explicit_bzero(o->p, o->cap);
	free(o->p);
	o->p = p;
	o->cap = cap;
	return 0;
}

__attribute__((format(printf, 2, 3))) static void
conf_printf(struct conf_out *o, const char *fmt, ...)
{
	va_list ap;
	va_list again;
	int n;

	if (o->rc != 0)
		return;
	va_start(ap, fmt);
	va_copy(again, ap);
	n = vsnprintf(o->p + o->len, o->cap - o->len, fmt, ap);
	if (n < 0) {
		o->rc = -EINVAL;
	} else if ((size_t)n >= o->cap - o->len) {
		o->rc = conf_grow(o, o->len + (size_t)n + 1);
		if (o->rc == 0)
			(void)vsnprintf(o->p + o->len, o->cap - o->len, fmt, again);
	}
	if (o->rc == 0)
		o->len += (size_t)n;
	va_end(again);
	va_end(ap);
}

static const char *
conf_sa_addr(const struct in6_addr *a, char *buf)
{
	if (addr_is_any(a))
		return "any";
	return addr_format(a, buf);
}

/* The lifetimes, and the time added when a time limit makes the age matter. */
static void
conf_save_life(struct conf_out *o, const struct sa *sa)
{
	static const char *const names[LIFE__KINDS] = {
		[LIFE_TIME] = "time",
		[LIFE_BYTES] = "byte",
		[LIFE_PACKETS] = "packet",
	};

	for (int k = 0; k < LIFE__KINDS; k++) {
		if (sa->life.soft[k] != 0)
			conf_printf(o, " --%s-soft=%" PRIu64, names[k], sa->life.soft[k]);
		if (sa->life.hard[k] != 0)
			conf_printf(o, " --%s-hard=%" PRIu64, names[k], sa->life.hard[k]);
	}
	if (sa->life.soft[LIFE_TIME] != 0 || sa->life.hard[LIFE_TIME] != 0)
		conf_printf(o, " --added=%" PRId64, sa->added);
}

static void
conf_save_sa(struct conf_out *o, const struct sa *sa)
{
	char src[ADDR_TEXT_MAX];
	char dst[ADDR_TEXT_MAX];
	char key[2 * SECRET_MAX + 3];

	conf_printf(o, "sa add --sa-name=%s --sa-source=%s --sa-destination=%s --sa-spi=0x%x",
	    sa->name, conf_sa_addr(&sa->src, src), conf_sa_addr(&sa->dst, dst), sa->spi);
	conf_printf(o, " --sa-mode=%s --encryption-algorithm=%s", sa_mode_name(sa->mode),
	    sa->enc_info->name);
	if (sa->enc_key != NULL) {
		if (secret_format_hex(sa->enc_key, key, sizeof(key)) != 0)
			o->rc = -EINVAL;
		conf_printf(o, " --encryption-key=%s", key);
	}
	/* A combined mode (AES-GCM) has no integrity algorithm of its own. */
	if (sa->auth != ALGO_AUTH_NONE) {
		if (secret_format_hex(sa->auth_key, key, sizeof(key)) != 0)
			o->rc = -EINVAL;
		conf_printf(
		    o, " --integrity-algorithm=%s --integrity-key=%s", sa->auth_info->name, key);
	}
	explicit_bzero(key, sizeof(key));
	if (sa->replay_window != REPLAY_WINDOW_DEFAULT)
		conf_printf(o, " --replay-window=%u", sa->replay_window);
	if (sa->esn)
		conf_printf(o, " --esn");
	conf_save_life(o, sa);
	if (sa_is_encap(sa))
		conf_printf(o, " --encapsulation=udp");
	if (sa_is_encap(sa) &&
	    (sa->encap_sport != SA_ENCAP_PORT_DEFAULT || sa->encap_dport != SA_ENCAP_PORT_DEFAULT))
		conf_printf(o, " --encapsulation-ports=%u:%u", (unsigned)sa->encap_sport,
		    (unsigned)sa->encap_dport);
	if (sa->retired != 0)
		conf_printf(o, " --retired=%" PRId64 " --grace-period=%u", sa->retired, sa->grace);
	conf_printf(o, "\n");
}

static const char *
conf_port(int32_t port, char *buf, size_t size)
{
	if (port == SP_PORT_ANY)
		return "any";
	(void)snprintf(buf, size, "%d", (int)port);
	return buf;
}

static void
conf_save_sp(struct conf_out *o, const struct sp *sp)
{
	char src[ADDR_TEXT_MAX];
	char dst[ADDR_TEXT_MAX];
	char sport[16];
	char dport[16];

	conf_printf(o, "sp add --sp-name=%s --sp-source=%s --sp-destination=%s", sp->name,
	    addr_prefix_format(&sp->src, src), addr_prefix_format(&sp->dst, dst));
	conf_printf(o, " --source-port=%s --destination-port=%s --upper-layer-protocol=%s",
	    conf_port(sp->sport, sport, sizeof(sport)), conf_port(sp->dport, dport, sizeof(dport)),
	    sp_proto_name(sp->proto));
	conf_printf(o, " --flow-direction=%s --action=%s --sp-mode=%s", sp_dir_name(sp->dir),
	    sp_action_name(sp->action), sa_mode_name(sp->mode));
	if (sp->sa_name[0] != '\0')
		conf_printf(o, " --sa-name=%s%s", sp->sa_name, sp->sa == NULL ? " --dangling" : "");
	conf_printf(o, "\n");
}

int
conf_save(const struct db *db, char **out, size_t *len)
{
	const struct sad *sad = db_sad(db);
	const struct spd *spd = db_spd(db);
	size_t nsa = sad_count(sad);
	size_t nsp = spd_count(spd);
	struct conf_out o = { NULL, 0, 0, 0 };

	*out = NULL;
	*len = 0;
	/* Lines are shorter than this, so one allocation is the usual case. */
	o.cap = sizeof(CONF_HEADER);
	if (nsa < SIZE_MAX / 1024 && nsp < SIZE_MAX / 1024 && nsa + nsp < SIZE_MAX / 1024)
		o.cap += (nsa + nsp) * 512;
	o.p = malloc(o.cap);
	if (o.p == NULL)
		return -ENOMEM;
	o.p[0] = '\0';
	conf_printf(&o, "%s", CONF_HEADER);
	for (size_t i = 0; i < nsa; i++)
		conf_save_sa(&o, sad_at(sad, i));
	for (size_t i = 0; i < sad_retired_count(sad); i++)
		conf_save_sa(&o, sad_retired_at(sad, i));
	for (size_t i = 0; i < nsp; i++)
		conf_save_sp(&o, spd_at(spd, i));
	if (o.rc != 0) {
		explicit_bzero(o.p, o.cap);
		free(o.p);
		return o.rc;
	}
	*out = o.p;
	*len = o.len;
	return 0;
}
