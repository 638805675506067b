// SPDX-License-Identifier: MIT
/* The run's output and its one exchange with ipsec6d. Everything printed is held back until
 * the daemon's answer has been read and parsed, so that an error met halfway never leaves half
 * a table; a long list is then written as it is formatted. */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "client.h"
#include "hosts.h"

/* "Error: " is 7 columns; further lines of a message line up under the first. */
#define CLI_ERROR_INDENT "       "

/* Append len bytes to the held-back standard error; without memory for them, write them at
 * once. */
static void
cli_say_raw(struct cli *cli, const char *text, size_t len)
{
	if (proto_buf_append(&cli->err, text, len) != 0)
		(void)fwrite(text, 1, len, stderr);
}

/* Append to the held-back standard error. */
__attribute__((format(printf, 2, 0))) static void
cli_vsay(struct cli *cli, const char *fmt, va_list ap)
{
	char text[2048];
	int len = vsnprintf(text, sizeof(text), fmt, ap);

	if (len >= 0)
		cli_say_raw(cli, text, (size_t)len < sizeof(text) ? (size_t)len : sizeof(text) - 1);
}

__attribute__((format(printf, 2, 3))) static void
cli_say(struct cli *cli, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cli_vsay(cli, fmt, ap);
	va_end(ap);
}

int
cli_usage_error(struct cli *cli, const struct proto_buf *msg, const struct proto_buf *help)
{
	const char *p = msg->len > 0 ? msg->data : "";
	const char *lead = "Error: ";

	while (*p != '\0') {
		size_t len = strcspn(p, "\n");

		cli_say(cli, "%s%.*s\n", lead, (int)len, p);
		lead = CLI_ERROR_INDENT;
		p += len;
		p += *p == '\n';
	}
	if (help != NULL && help->len > 0) {
		cli_say_raw(cli, "\n", 1);
		cli_say_raw(cli, help->data, help->len);
	}
	return 1;
}

int
cli_fail(struct cli *cli, const char *fmt, ...)
{
	va_list ap;

	cli_say_raw(cli, cli->prog, strlen(cli->prog));
	cli_say_raw(cli, ": ", 2);
	va_start(ap, fmt);
	cli_vsay(cli, fmt, ap);
	va_end(ap);
	cli_say_raw(cli, "\n", 1);
	return 1;
}

int
cli_help(struct cli *cli, const struct proto_buf *help)
{
	if (help->len > 0 && proto_buf_append(&cli->out, help->data, help->len) != 0)
		return cli_fail(cli, "out of memory");
	return 0;
}

/* Write what is held back so far, standard error first (the --debug lines precede the
 * answer they describe). */
static int
cli_flush(struct cli *cli)
{
	int rc_err = proto_write_all(STDERR_FILENO, cli->err.data, cli->err.len);
	int rc_out = proto_write_all(STDOUT_FILENO, cli->out.data, cli->out.len);

	proto_buf_reset(&cli->err);
	proto_buf_reset(&cli->out);
	return rc_err != 0 ? rc_err : rc_out;
}

/* Write the held-back output, then the report (when not NULL) or the rows in cli->format, as
 * they are formatted (so that 100,000 records need no buffer of their size). */
static int
cli_print_parsed(struct cli *cli, const struct out_rows *rows, const struct out_report_rows *report)
{
	struct proto_buf buf = { 0 };
	struct out_sink sink = { &buf, STDOUT_FILENO, 0 };
	int rc = cli_flush(cli);

	if (rc == 0 && report != NULL)
		rc = out_report_format(&sink, report, cli->format);
	else if (rc == 0)
		rc = out_format(&sink, rows, cli->format);
	if (rc == 0)
		rc = out_flush(&sink);
	proto_buf_fini(&buf);
	if (rc == -ENOMEM)
		return cli_fail(cli, "out of memory");
	if (rc != 0 && rc != -EPIPE)
		return cli_fail(cli, "cannot write the list (%s)", strerrordesc_np(-rc));
	return rc != 0;
}

/* The records, every one of them parsed before the first is printed: a list, or a report of
 * several lists. */
static int
cli_print_records(struct cli *cli, struct client_reply *reply, const struct cli_reply_use *use)
{
	struct out_rows rows = { 0 };
	struct out_report_rows report = { 0 };
	struct err e = { { 0 } };
	int rc = use->report != NULL
	    ? out_report_parse(&report, use->report, reply->body, reply->body_len, &e)
	    : out_rows_parse(&rows, use->list, reply->body, reply->body_len, &e);
	int status;

	if (rc == -ENOMEM)
		return cli_fail(cli, "out of memory");
	if (rc != 0)
		return cli_fail(cli, "unexpected answer from ipsec6d: %s", e.msg);
	status = cli_print_parsed(cli, &rows, use->report != NULL ? &report : NULL);
	out_rows_fini(&rows);
	out_report_fini(&report);
	return status;
}

static int
cli_print_reply(struct cli *cli, struct client_reply *reply, const struct cli_reply_use *use)
{
	if (use->text && proto_buf_append(&cli->out, reply->body, reply->body_len) != 0)
		return cli_fail(cli, "out of memory");
	if (use->list != NULL || use->report != NULL)
		return cli_print_records(cli, reply, use);
	return 0;
}

/* --debug: where the request goes, and the request. */
static void
cli_debug_request(struct cli *cli, const struct proto_buf *req, const char *shown)
{
	struct proto_buf ssh = { 0 };

	if (cli->remote.server != NULL && remote_describe(&cli->remote, &ssh) == 0)
		cli_say(cli, "debug: ssh: %s%s%s\n", ssh.data,
		    cli->remote.vihost != NULL ? "; vihost " : "",
		    cli->remote.vihost != NULL ? cli->remote.vihost : "");
	else if (cli->remote.server == NULL && hosts_is_request(req->data, req->len))
		cli_say(cli, "debug: inventory %s\n", hosts_path());
	else if (cli->remote.server == NULL)
		cli_say(cli, "debug: socket %s\n", client_socket_path(cli->socket));
	cli_say(cli, "debug: request: %s\n", shown);
	proto_buf_fini(&ssh);
}

/* The answer to req, from where it goes: the remote host, the inventory or ipsec6d. */
static int
cli_call(struct cli *cli, const struct proto_buf *req, struct client_reply *reply, struct err *e)
{
	int rc;

	memset(reply, 0, sizeof(*reply));
	if (cli->remote.server != NULL)
		rc = remote_call(&cli->remote, req->data, req->len, &reply->raw, e);
	else if (hosts_is_request(req->data, req->len))
		rc = hosts_answer(&reply->raw) != 0 ? err_set(e, ENOMEM, "out of memory") : 0;
	else
		rc = client_call(
		    client_socket_path(cli->socket), req->data, req->len, &reply->raw, e);
	return rc != 0 ? rc : client_reply_parse(reply, e);
}

int
cli_exchange(struct cli *cli, const struct proto_buf *req, const char *shown,
    const struct cli_reply_use *use)
{
	struct client_reply reply;
	struct err e = { { 0 } };
	int status;

	if (cli->debug)
		cli_debug_request(cli, req, shown);
	if (cli_call(cli, req, &reply, &e) != 0) {
		client_reply_fini(&reply);
		return cli_fail(cli, "%s", e.msg);
	}
	if (cli->debug)
		cli_say(cli, "debug: response: %s, %zu more bytes\n",
		    reply.status == 0 ? "ok" : "error", reply.body_len);
	if (reply.status != 0) {
		cli_say(cli, "%s\n", reply.message);
		status = 1;
	} else {
		status = cli_print_reply(cli, &reply, use);
	}
	client_reply_fini(&reply);
	return status;
}

int
cli_finish(struct cli *cli, int status)
{
	int rc_err = proto_write_all(STDERR_FILENO, cli->err.data, cli->err.len);
	int rc_out = proto_write_all(STDOUT_FILENO, cli->out.data, cli->out.len);

	proto_buf_fini(&cli->out);
	proto_buf_fini(&cli->err);
	/* A reader that went away (EPIPE) is not our failure; anything else is. */
	if ((rc_out != 0 && rc_out != -EPIPE) || rc_err != 0)
		return 1;
	return status;
}
