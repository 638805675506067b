// SPDX-License-Identifier: MIT
/* Connect to ipsec6d's Unix socket, send one request, half-close, read until the daemon closes
 * (doc/control-protocol.md: one request, one response per connection). */
#include "client.h"

#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A durable write of a large batch takes seconds; a daemon silent for this long is stuck. */
#define CLIENT_TIMEOUT_SEC 300
/* Far above any real answer (100,000 SAs list in about 20 MB). */
#define CLIENT_REPLY_MAX ((size_t)1024 * 1024 * 1024)

const char *
client_socket_path(const char *option)
{
	const char *env = secure_getenv(CLIENT_SOCKET_ENV);

	if (option != NULL)
		return option;
	if (env != NULL && env[0] != '\0')
		return env;
	return CLIENT_SOCKET_DEFAULT;
}

static int
client_connect_error(const char *path, int errnum, struct err *err)
{
	bool dflt = strcmp(path, CLIENT_SOCKET_DEFAULT) == 0;

	if (errnum == EACCES || errnum == EPERM)
		return err_set(err, errnum,
		    "cannot reach ipsec6d at %s (%s): it serves root and the members of its --group "
		    "only",
		    path, strerrordesc_np(errnum));
	return err_set(err, errnum, "cannot reach ipsec6d at %s (%s); start it with: ipsec6d%s%s",
	    path, strerrordesc_np(errnum), dflt ? "" : " --socket ", dflt ? "" : path);
}

static int
client_connect(const char *path, int *out, struct err *err)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = CLIENT_TIMEOUT_SEC };
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path))
		return err_set(err, ENAMETOOLONG,
		    "socket path '%s' is too long (at most %zu bytes)", path,
		    sizeof(sun.sun_path) - 1);
	memcpy(sun.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return err_set(err, errno, "cannot create a socket (%s)", strerrordesc_np(errno));
	if (connect(fd, (const struct sockaddr *)&sun, sizeof(sun)) != 0) {
		int e = errno;

		(void)close(fd);
		return client_connect_error(path, e, err);
	}
	/* Best effort: without the timeouts a stuck daemon only makes us wait. */
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	*out = fd;
	return 0;
}

/* Send everything, then half-close so that the daemon sees the end of the request. A daemon
 * that refuses us may close early: its answer is still read, so errors here are ignored. */
static void
client_send(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = send(fd, data, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		data += n;
		len -= (size_t)n;
	}
	(void)shutdown(fd, SHUT_WR);
}

static int
client_receive(int fd, const char *path, struct proto_buf *raw, struct err *err)
{
	char chunk[65536];
	int rc = 1;

	while (rc > 0) {
		ssize_t n = recv(fd, chunk, sizeof(chunk), 0);

		if (n < 0 && errno == EINTR)
			continue;
		/* The end of the answer; a reset after some of it: it said what it had to say,
		 * then closed without reading all. */
		if (n == 0 || (n < 0 && errno == ECONNRESET && raw->len > 0))
			rc = 0;
		else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			rc = err_set(err, ETIMEDOUT,
			    "no answer from ipsec6d at %s within %d seconds", path,
			    CLIENT_TIMEOUT_SEC);
		else if (n < 0)
			rc = err_set(err, errno, "reading from ipsec6d at %s failed (%s)", path,
			    strerrordesc_np(errno));
		else if (raw->len + (size_t)n > CLIENT_REPLY_MAX)
			rc = err_set(err, EOVERFLOW, "the answer of ipsec6d is too large");
		else if (proto_buf_append(raw, chunk, (size_t)n) != 0)
			rc = err_set(err, ENOMEM, "out of memory");
	}
	explicit_bzero(chunk, sizeof(chunk)); /* `save` and `sa export` carry keys */
	return rc;
}

int
client_reply_parse(struct client_reply *reply, struct err *err)
{
	char *line = reply->raw.data;
	char *nl;
	int st;

	if (reply->raw.len == 0)
		return err_set(err, EPROTO, "ipsec6d closed the connection without answering");
	nl = memchr(line, '\n', reply->raw.len);
	if (nl != NULL) {
		*nl = '\0';
		reply->body = nl + 1;
		reply->body_len = reply->raw.len - (size_t)(nl + 1 - line);
	} else {
		reply->body = line + reply->raw.len; /* the terminating NUL */
		reply->body_len = 0;
	}
	if (nl != NULL && nl > line && nl[-1] == '\r')
		nl[-1] = '\0';
	st = proto_parse_status(line, &reply->message);
	if (st == -2)
		return err_set(err, EPROTO, "unexpected answer from ipsec6d: '%.80s'", line);
	reply->status = st;
	return 0;
}

int
client_exchange(
    const char *path, const char *request, size_t len, struct client_reply *reply, struct err *err)
{
	int fd = -1;
	int rc;

	memset(reply, 0, sizeof(*reply));
	rc = client_connect(path, &fd, err);
	if (rc != 0)
		return rc;
	client_send(fd, request, len);
	rc = client_receive(fd, path, &reply->raw, err);
	(void)close(fd);
	if (rc != 0)
		return rc;
	return client_reply_parse(reply, err);
}

void
client_reply_fini(struct client_reply *reply)
{
	proto_buf_fini(&reply->raw);
	memset(reply, 0, sizeof(*reply));
}
