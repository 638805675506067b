// SPDX-License-Identifier: MIT
/* `ipsec6 monitor`: the daemon's events (doc/control-protocol.md, "The monitor query") printed
 * one line each as they come, until the daemon stops or the user interrupts: "TIME EVENT TEXT"
 * by default, one JSON object per line with --formatter=json. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "client.h"

struct monitor {
	struct cli *cli;
	bool started; /* the status line was read */
	int status;   /* the exit status so far */
};

/* Fields whose values are numbers in JSON. */
static bool
monitor_numeric(const char *key)
{
	return strcmp(key, "count") == 0 || strcmp(key, "limit") == 0;
}

static void
monitor_json(struct out_sink *s, const struct proto_record *rec)
{
	out_put(s, "{", 1);
	for (size_t i = 0; i < rec->n; i++) {
		if (i > 0)
			out_put(s, ", ", 2);
		out_json_string(s, rec->key[i]);
		out_put(s, ": ", 2);
		if (monitor_numeric(rec->key[i]) && rec->value[i][0] != '\0' &&
		    strspn(rec->value[i], "0123456789") == strlen(rec->value[i]))
			out_puts(s, rec->value[i]);
		else
			out_json_string(s, rec->value[i]);
	}
	out_put(s, "}\n", 2);
}

static void
monitor_text(struct out_sink *s, const struct proto_record *rec)
{
	const char *time = proto_record_get(rec, "time");
	const char *event = proto_record_get(rec, "event");
	const char *text = proto_record_get(rec, "text");

	out_puts(s, time != NULL ? time : "-");
	out_put(s, " ", 1);
	out_puts(s, event != NULL ? event : "-");
	out_put(s, " ", 1);
	out_puts(s, text != NULL ? text : "");
	out_put(s, "\n", 1);
}

/* One line of the answer: the status, then an event. A write that fails ends the stream: a
 * reader that went away (EPIPE) is a normal end. */
static int
monitor_line(void *ctx, char *line)
{
	struct monitor *m = ctx;
	struct proto_buf buf = { NULL, 0, 0 };
	struct out_sink sink = { &buf, STDOUT_FILENO, 0 };
	struct proto_record rec;
	struct err e = { "" };
	const char *message;
	int rc;

	if (!m->started) {
		m->started = true;
		if (proto_parse_status(line, &message) == 0)
			return 0;
		m->status = cli_fail(m->cli, "%s", message != NULL ? message : line);
		return 1;
	}
	if (proto_record_parse(line, &rec, &e) != 0) {
		m->status = cli_fail(m->cli, "unexpected event from ipsec6d: %s", e.msg);
		return 1;
	}
	if (m->cli->format == OUT_JSON)
		monitor_json(&sink, &rec);
	else
		monitor_text(&sink, &rec);
	rc = out_flush(&sink);
	proto_buf_fini(&buf);
	if (rc != 0) {
		if (rc != -EPIPE)
			m->status = cli_fail(m->cli, "cannot write (%s)", strerrordesc_np(-rc));
		return 1;
	}
	return 0;
}

int
cli_monitor(struct cli *cli, const struct proto_buf *req)
{
	struct monitor m = { cli, false, 0 };
	struct err e = { "" };
	int rc;

	if (cli->remote.server != NULL)
		return cli_fail(cli, "monitor runs on the host itself: ssh %s ipsec6 monitor",
		    cli->remote.server);
	if (cli_finish(cli, 0) != 0) /* what is held back first: the stream follows */
		return 1;
	rc = client_stream(
	    client_socket_path(cli->socket), req->data, req->len, monitor_line, &m, &e);
	if (rc < 0)
		return cli_fail(cli, "%s", e.msg);
	if (!m.started)
		return cli_fail(cli, "ipsec6d closed the connection without answering");
	return m.status;
}
