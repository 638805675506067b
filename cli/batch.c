// SPDX-License-Identifier: MIT
/* A batch file becomes one multi-line request. An empty line ends a request
 * (doc/control-protocol.md), so blank lines are sent as comment lines ("#"): the daemon's
 * "line N" then still names the line of the file. */
#include "batch.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include "ipsec6/err.h"

static bool
batch_blank(const char *line, size_t len)
{
	return strspn(line, " \t\r") >= len;
}

/* The word at *p (blank-separated), advancing *p past it; its length in *len. */
static const char *
batch_word(const char **p, const char *end, size_t *len)
{
	const char *w = *p;

	while (w < end && (*w == ' ' || *w == '\t'))
		w++;
	*len = 0;
	while (w + *len < end && w[*len] != ' ' && w[*len] != '\t' && w[*len] != '\r')
		(*len)++;
	*p = w + *len;
	return w;
}

static bool
batch_is(const char *w, size_t len, const char *word)
{
	return len == strlen(word) && memcmp(w, word, len) == 0;
}

/* A query (list, save, export, stats): its answer would have nowhere to go in a batch. */
static bool
batch_is_query(const char *line, size_t line_len)
{
	const char *end = line + line_len;
	const char *p = line;
	size_t len;
	const char *w = batch_word(&p, end, &len);

	if (batch_is(w, len, "network")) {
		(void)batch_word(&p, end, &len); /* ip */
		(void)batch_word(&p, end, &len); /* ipsec */
		w = batch_word(&p, end, &len);
	}
	if (batch_is(w, len, "sa") || batch_is(w, len, "sp"))
		w = batch_word(&p, end, &len);
	return batch_is(w, len, "list") || batch_is(w, len, "save") || batch_is(w, len, "export") ||
	    batch_is(w, len, "stats");
}

/* The request: every line of text, blank ones as "#"; *commands counts the lines that are not
 * blank or comments. */
static int
batch_request(const struct proto_buf *text, const char *name, struct proto_buf *req,
    size_t *commands, struct err *err)
{
	size_t pos = 0;
	size_t lineno = 0;

	*commands = 0;
	while (pos < text->len) {
		const char *line = text->data + pos;
		const char *nl = memchr(line, '\n', text->len - pos);
		size_t len = nl != NULL ? (size_t)(nl - line) : text->len - pos;
		size_t lead = strspn(line, " \t");
		int rc;

		lineno++;
		pos += len + 1;
		if (memchr(line, '\0', len) != NULL)
			return err_set(err, EINVAL, "%s: line %zu holds a NUL byte", name, lineno);
		if (len >= (size_t)PROTO_LINE_MAX)
			return err_set(err, EINVAL, "%s: line %zu is longer than %u bytes", name,
			    lineno, PROTO_LINE_MAX - 1);
		if (batch_blank(line, len)) {
			rc = proto_buf_append(req, "#\n", 2);
		} else if (lead < len && line[lead] != '#' && batch_is_query(line, len)) {
			return err_set(err, EINVAL,
			    "%s: line %zu is a query: a batch holds changes only (add, remove)",
			    name, lineno);
		} else {
			*commands += lead < len && line[lead] != '#';
			rc = proto_buf_append(req, line, len);
			if (rc == 0)
				rc = proto_buf_append(req, "\n", 1);
		}
		if (rc != 0)
			return err_set(err, ENOMEM, "out of memory");
	}
	return 0;
}

int
batch_run(struct cli *cli, const char *path)
{
	static const struct cli_reply_use nothing = { NULL, false, NULL };
	bool is_stdin = strcmp(path, "-") == 0;
	const char *name = is_stdin ? "standard input" : path;
	struct proto_buf text = { 0 };
	struct proto_buf req = { 0 };
	struct proto_buf shown = { 0 };
	struct err e = { { 0 } };
	size_t commands = 0;
	int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	int status = 1;

	if (fd < 0)
		return cli_fail(cli, "cannot read %s (%s)", path, strerrordesc_np(errno));
	if (proto_read_all(fd, &text, PROTO_REQUEST_MAX, name, &e) != 0 ||
	    batch_request(&text, name, &req, &commands, &e) != 0) {
		status = cli_fail(cli, "%s", e.msg);
		goto out_close;
	}
	if (commands == 0) {
		status = 0; /* nothing to apply: an empty transaction */
		goto out_close;
	}
	if (proto_buf_printf(
		&shown, "%zu lines from %s (not shown: they may hold keys)", commands, name) != 0) {
		status = cli_fail(cli, "out of memory");
		goto out_close;
	}
	status = cli_exchange(cli, &req, shown.data, &nothing);
out_close:
	if (!is_stdin)
		(void)close(fd);
	proto_buf_fini(&text);
	proto_buf_fini(&req);
	proto_buf_fini(&shown);
	return status;
}
