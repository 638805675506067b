// SPDX-License-Identifier: MIT
/* The relay: greet, read the whole input, answer once. The request goes on as it came (keys
 * included) to this host's ipsec6d on its socket, as the CLI's own would ($IPSEC6_SOCKET, else
 * the default), or over ssh to the managed host the header names; the answer comes back as it
 * came. The relay's own failures are one "relay-error" line. */
#include "relay.h"

#include <sys/prctl.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "client.h"
#include "hosts.h"
#include "remote.h"

#ifndef IPSEC6_VERSION
#define IPSEC6_VERSION "unknown"
#endif

/* A request, and a header far longer than any real one. */
#define RELAY_INPUT_MAX ((size_t)PROTO_REQUEST_MAX + 4096)

int
relay_parse(char *text, size_t len, struct relay_input *in, struct err *err)
{
	char *p = text;
	char *end = text + len;
	char want[32];
	bool first = true;

	memset(in, 0, sizeof(*in));
	(void)snprintf(want, sizeof(want), "%s %d", REMOTE_HELLO, REMOTE_PROTOCOL);
	for (;;) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t line_len;

		if (nl == NULL)
			return err_set(err, EPROTO, "the request ended inside its header");
		*nl = '\0';
		line_len = (size_t)(nl - p);
		if (line_len > 0 && p[line_len - 1] == '\r')
			p[--line_len] = '\0';
		if (first &&
		    (strncmp(p, want, strlen(want)) != 0 ||
			(p[strlen(want)] != ' ' && p[strlen(want)] != '\0')))
			return err_set(err, EPROTO,
			    "this ipsec6 (%s) speaks relay protocol %d, the client another: install "
			    "the same version on both hosts",
			    IPSEC6_VERSION, REMOTE_PROTOCOL);
		if (!first && line_len == 0) {
			p = nl + 1;
			break;
		}
		if (!first && strncmp(p, "vihost ", 7) == 0 && in->vihost[0] == '\0' &&
		    remote_host_is_valid(p + 7))
			(void)snprintf(in->vihost, sizeof(in->vihost), "%s", p + 7);
		else if (!first)
			return err_set(err, EINVAL, "header line not understood: '%.64s'", p);
		first = false;
		p = nl + 1;
	}
	in->request = p;
	in->request_len = len - (size_t)(p - text);
	return 0;
}

static int
relay_read_all(struct proto_buf *b, struct err *err)
{
	int rc = proto_read_all(STDIN_FILENO, b, RELAY_INPUT_MAX, "the request", err);

	return rc == 0 && b->len == 0 ? err_set(err, EPROTO, "no request") : rc;
}

/* To the managed host named vihost, over ssh with this host's own keys. */
static int
relay_forward(
    const struct hosts *h, const struct relay_input *in, struct proto_buf *answer, struct err *err)
{
	const struct hosts_entry *x = hosts_lookup(h, in->vihost);
	struct remote_target t;

	if (x == NULL)
		return err_set(err, ENOENT,
		    "cannot find managed host '%s': it is not in this host's inventory %s (ipsec6 "
		    "hosts list)",
		    in->vihost, h->path);
	t = (struct remote_target){ x->host, x->user, x->port, NULL, x->name };
	return remote_call(&t, in->request, in->request_len, answer, err);
}

/* The answer to in: from the inventory, a managed host or this host's ipsec6d. */
static int
relay_answer(const struct relay_input *in, struct proto_buf *answer, struct err *err)
{
	struct hosts h;
	int rc = 0;

	if (in->vihost[0] == '\0' && hosts_is_request(in->request, in->request_len))
		return hosts_answer(answer) != 0 ? err_set(err, ENOMEM, "out of memory") : 0;
	rc = hosts_load(&h, err);
	if (rc == 0 && in->vihost[0] != '\0')
		rc = relay_forward(&h, in, answer, err);
	else if (rc == 0 && h.n > 0)
		rc = err_set(err, EINVAL,
		    "must specify the managed host with --vihost: this host manages %zu (ipsec6 "
		    "hosts list)",
		    h.n);
	else if (rc == 0)
		rc = client_call(
		    client_socket_path(NULL), in->request, in->request_len, answer, err);
	hosts_fini(&h);
	return rc;
}

int
relay_main(void)
{
	struct proto_buf input = { 0 };
	struct proto_buf answer = { 0 };
	struct relay_input in;
	struct err e = { { 0 } };
	char hello[64];
	int len = snprintf(
	    hello, sizeof(hello), "%s %d %s\n", REMOTE_HELLO, REMOTE_PROTOCOL, IPSEC6_VERSION);
	int rc;

	/* The requests that pass hold keys: no core file, no reading by others of this user. */
	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	rc = proto_write_all(STDOUT_FILENO, hello, (size_t)len);
	if (rc != 0)
		return 1;
	rc = relay_read_all(&input, &e);
	if (rc == 0)
		rc = relay_parse(input.data, input.len, &in, &e);
	if (rc == 0)
		rc = relay_answer(&in, &answer, &e);
	if (rc != 0) {
		proto_buf_reset(&answer);
		if (proto_buf_printf(&answer, "%s %s\n", REMOTE_ERROR, e.msg) != 0)
			return 1;
	}
	rc = proto_write_all(STDOUT_FILENO, answer.data, answer.len);
	proto_buf_fini(&input); /* wipes: keys */
	proto_buf_fini(&answer);
	return rc != 0;
}
