// SPDX-License-Identifier: MIT
/* Request handling: every command line is split and parsed with the configuration grammar
 * (cmd_split, cmd_parse); queries must stand alone; changes apply in order inside one state
 * transaction, and the first refusal undoes them all and names its line. */
#include "req.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "ipsec6/cmd.h"
#include "ipsec6/conf.h"
#include "log.h"
#include "show.h"

enum req_query {
	REQ_QUERY_NONE,
	REQ_QUERY_SA_LIST,
	REQ_QUERY_SP_LIST,
	REQ_QUERY_SAVE,
	REQ_QUERY_EXPORT,
	REQ_QUERY_STATS,
	REQ_QUERY_MONITOR,
};

/* Replace out with one "error MESSAGE" line; the message is kept to one line. */
__attribute__((format(printf, 2, 3))) static void
req_error(struct proto_buf *out, const char *fmt, ...)
{
	char msg[ERR_MSG_MAX + 64];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	proto_buf_reset(out);
	rc = proto_buf_append(out, "error ", 6);
	/* One line: reasons of several lines (cmd_parse() names each missing option on its own)
	 * are joined with "; ", other control characters become spaces. */
	for (const char *p = msg; rc == 0 && *p != '\0'; p++) {
		if (*p == '\n' && p[1] != '\0')
			rc = proto_buf_append(out, "; ", 2);
		else if ((unsigned char)*p < 0x20 || *p == 0x7f)
			rc = proto_buf_append(out, " ", 1);
		else
			rc = proto_buf_append(out, p, 1);
	}
	if (rc == 0)
		rc = proto_buf_append(out, "\n", 1);
	/* Without memory for one short line there is nothing better to say: out stays empty and
	 * the caller closes the connection without a response. */
	if (rc != 0)
		proto_buf_reset(out);
}

/* A refusal at line lineno; requests of more than one line name it. */
static void
req_refuse(struct proto_buf *out, bool multi, size_t lineno, const struct err *err)
{
	const char *msg = err->msg[0] != '\0' ? err->msg : "refused";

	if (multi)
		req_error(out, "line %zu: %s", lineno, msg);
	else
		req_error(out, "%s", msg);
}

/* Lines in the request: requests of one line get plain messages, others "line N: ...". */
static size_t
req_count_lines(const struct proto_request *req)
{
	const char *p = req->text.data;
	const char *end = p + req->text.len;
	size_t n = 0;

	while (p != NULL && p < end) {
		const char *lf = memchr(p, '\n', (size_t)(end - p));

		n++;
		p = lf != NULL ? lf + 1 : end;
	}
	return n;
}

/* The queries that the cmd grammar does not know: `save`, `stats`, `monitor`, `sa export
 * --wireshark`. */
static int
req_native_query(size_t argc, char *const *argv, enum req_query *q, struct err *err)
{
	*q = REQ_QUERY_NONE;
	if (argc == 1 && strcmp(argv[0], "save") == 0) {
		*q = REQ_QUERY_SAVE;
	} else if (argc == 1 && strcmp(argv[0], "stats") == 0) {
		*q = REQ_QUERY_STATS;
	} else if (argc == 1 && strcmp(argv[0], "monitor") == 0) {
		*q = REQ_QUERY_MONITOR;
	} else if (argc >= 2 && strcmp(argv[0], "sa") == 0 && strcmp(argv[1], "export") == 0) {
		if (argc != 3 || strcmp(argv[2], "--wireshark") != 0)
			return err_set(err, EINVAL, "sa export needs exactly --wireshark");
		*q = REQ_QUERY_EXPORT;
	} else if (strcmp(argv[0], "save") == 0 || strcmp(argv[0], "stats") == 0 ||
	    strcmp(argv[0], "monitor") == 0) {
		return err_set(err, EINVAL, "%s takes no options", argv[0]);
	}
	return 0;
}

static void
req_query(const struct state *st, enum req_query q, struct proto_buf *out)
{
	const struct db *db = state_db(st);
	char *text = NULL;
	size_t len = 0;
	int rc;

	rc = proto_buf_append(out, "ok\n", 3);
	switch (q) {
	case REQ_QUERY_SA_LIST:
		rc = rc != 0 ? rc : show_sa_list(db, out);
		break;
	case REQ_QUERY_SP_LIST:
		rc = rc != 0 ? rc : show_sp_list(db, out);
		break;
	case REQ_QUERY_EXPORT:
		rc = rc != 0 ? rc : show_wireshark(db, out);
		break;
	case REQ_QUERY_SAVE:
		rc = rc != 0 ? rc : conf_save(db, &text, &len);
		if (rc == 0) {
			rc = proto_buf_append(out, text, len);
			explicit_bzero(text, len);
			free(text);
		}
		break;
	case REQ_QUERY_STATS:
		rc = rc != 0 ? rc : state_stats(st, out);
		break;
	case REQ_QUERY_MONITOR:
		rc = rc != 0 ? rc
			     : events_append(out, "subscribed", NULL,
				   "events of ipsec6d follow: %zu SAs, %zu policies now",
				   sad_count(db_sad(db)), spd_count(db_spd(db)));
		break;
	case REQ_QUERY_NONE:
		break;
	}
	if (rc != 0)
		req_error(out, "out of memory");
}

static int
req_alone(struct err *err)
{
	return err_set(
	    err, EINVAL, "queries (list, save, export, stats) must stand alone in a request");
}

/* One request as its lines are taken. */
struct req_run {
	struct state *st;
	enum req_access access;
	size_t commands;  /* lines with a command so far */
	enum req_query q; /* the query, once one came */
	bool txn;         /* a transaction is open */
};

/* Open the transaction on the first change, then apply cmd to it. */
static int
req_change(struct req_run *r, struct cmd *cmd, struct err *err)
{
	int rc;

	if (!r->txn) {
		rc = state_txn_begin(r->st, err);
		if (rc != 0)
			return rc;
		r->txn = true;
	}
	return state_txn_apply(r->st, cmd, err);
}

/* Lists and counters are for everyone the socket serves; keys and changes for administrators. */
static int
req_allowed(enum req_access access, enum req_query q, struct err *err)
{
	if (access == REQ_ADMIN || q == REQ_QUERY_SA_LIST || q == REQ_QUERY_SP_LIST ||
	    q == REQ_QUERY_STATS || q == REQ_QUERY_MONITOR)
		return 0;
	return err_set(err, EACCES,
	    "permission denied: this group may list and read counters; changes, save and export "
	    "are for root");
}

/* One line: blank or a comment (nothing), a query (r->q), or a change applied to the open
 * transaction. Returns 0 or a negative errno with err set. */
static int
req_line(struct req_run *r, char *line, struct err *err)
{
	char *argv[REQ_WORDS_MAX];
	struct cmd cmd;
	size_t argc;
	int rc;

	rc = cmd_split(line, argv, REQ_WORDS_MAX, &argc, err);
	if (rc != 0 || argc == 0)
		return rc;
	if (r->q != REQ_QUERY_NONE)
		return req_alone(err);
	r->commands++;
	rc = req_native_query(argc, argv, &r->q, err);
	if (rc != 0)
		return rc;
	if (r->q != REQ_QUERY_NONE)
		return r->commands > 1 ? req_alone(err) : req_allowed(r->access, r->q, err);
	rc = cmd_parse(argc, argv, &cmd, err);
	if (rc != 0)
		return rc;
	if (cmd.verb == CMD_SA_LIST || cmd.verb == CMD_SP_LIST) {
		r->q = cmd.verb == CMD_SA_LIST ? REQ_QUERY_SA_LIST : REQ_QUERY_SP_LIST;
		rc = r->commands > 1 ? req_alone(err) : 0;
	} else {
		rc = req_allowed(r->access, REQ_QUERY_NONE, err);
		if (rc == 0)
			rc = req_change(r, &cmd, err);
	}
	cmd_fini(&cmd);
	return rc;
}

bool
req_handle(
    struct state *st, enum req_access access, struct proto_request *req, struct proto_buf *out)
{
	struct req_run r = { st, access, 0, REQ_QUERY_NONE, false };
	bool multi = req_count_lines(req) > 1;
	struct err err = { "" };
	size_t pos = 0, lineno = 0;
	char *line;

	while ((line = proto_request_next_line(req, &pos)) != NULL) {
		lineno++;
		if (req_line(&r, line, &err) != 0)
			goto refuse;
	}
	if (r.q != REQ_QUERY_NONE) {
		req_query(st, r.q, out);
		return r.q == REQ_QUERY_MONITOR && strncmp(out->data, "ok\n", 3) == 0;
	} else if (!r.txn) {
		req_error(out, "empty request: no command");
	} else if (state_txn_commit(st, &err) != 0) {
		req_error(
		    out, "%s", err.msg[0] != '\0' ? err.msg : "cannot save the configuration");
	} else {
		log_debug("applied a change of %zu commands", r.commands);
		if (proto_buf_append(out, "ok\n", 3) != 0)
			req_error(out, "out of memory");
	}
	return false;
refuse:
	if (r.txn)
		state_txn_abort(st);
	req_refuse(out, multi, lineno, &err);
	return false;
}
