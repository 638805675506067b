// SPDX-License-Identifier: MIT
/* The metrics server (metrics.h): a listening TCP socket and up to METRICS_CONN_MAX scrapes in
 * the daemon's event loop, each read into a bounded buffer until its header ends, answered with
 * one response, then closed. */
#include "metrics.h"

#include <sys/epoll.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

struct metrics_conn {
	struct loop_watch w; /* first: the watch is the connection */
	struct metrics *m;
	char req[METRICS_REQUEST_MAX];
	size_t req_len;
	struct proto_buf out;
	size_t out_off;
	bool draining; /* response sent, our side shut: read until the client closes */
	int64_t deadline_ms;
};

struct metrics {
	struct loop_watch listen; /* first: the watch is the server */
	struct loop *loop;
	struct metrics_source src;
	struct metrics_conn *conn[METRICS_CONN_MAX];
};

/* "[ADDR]:PORT", "ADDR:PORT" is not IPv6, so only the bracketed form or a bare "PORT" (then
 * ::1). */
static int
metrics_parse_addr(const char *text, struct sockaddr_in6 *sa, struct err *err)
{
	const char *port = text;
	char host[INET6_ADDRSTRLEN];
	char *end;
	unsigned long p;

	*sa = (struct sockaddr_in6){ .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	if (text[0] == '[') {
		const char *close = strchr(text, ']');
		size_t len = close != NULL ? (size_t)(close - text - 1) : 0;

		if (close == NULL || close[1] != ':' || len == 0 || len >= sizeof(host))
			return err_set(
			    err, EINVAL, "--metrics '%s': use [ADDR]:PORT or PORT", text);
		memcpy(host, text + 1, len);
		host[len] = '\0';
		if (inet_pton(AF_INET6, host, &sa->sin6_addr) != 1)
			return err_set(
			    err, EINVAL, "--metrics '%s': '%s' is not an IPv6 address", text, host);
		port = close + 2;
	}
	errno = 0;
	p = strtoul(port, &end, 10);
	if (errno != 0 || end == port || *end != '\0' || p == 0 || p > 65535)
		return err_set(err, EINVAL, "--metrics '%s': the port must be 1-65535", text);
	sa->sin6_port = htons((uint16_t)p);
	return 0;
}

static void
metrics_conn_close(struct metrics_conn *c)
{
	struct metrics *m = c->m;

	for (size_t i = 0; i < METRICS_CONN_MAX; i++) {
		if (m->conn[i] == c)
			m->conn[i] = NULL;
	}
	loop_del(m->loop, &c->w);
	(void)close(c->w.fd);
	proto_buf_fini(&c->out);
	free(c);
}

/* The whole response: status line, headers, body. */
static int
metrics_respond(
    struct metrics_conn *c, int status, const char *reason, const struct proto_buf *body)
{
	const char *text = body != NULL ? body->data : reason;
	size_t len = body != NULL ? body->len : strlen(reason);
	int rc;

	proto_buf_reset(&c->out);
	rc = proto_buf_printf(&c->out,
	    "HTTP/1.1 %d %s\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
	    "Content-Length: %zu\r\nConnection: close\r\n%s\r\n",
	    status, reason, len + (body != NULL ? 0 : 1), status == 405 ? "Allow: GET\r\n" : "");
	if (rc == 0)
		rc = proto_buf_append(&c->out, text, len);
	if (rc == 0 && body == NULL)
		rc = proto_buf_append(&c->out, "\n", 1);
	return rc;
}

/* The page: the daemon's info, then the counters. */
static int
metrics_page(struct metrics *m, struct proto_buf *body)
{
	int rc = proto_buf_printf(body,
	    "# HELP ipsec6_info ipsec6d's version and crypto backend.\n# TYPE ipsec6_info gauge\n"
	    "ipsec6_info{version=\"%s\",crypto=\"%s\"} 1\n",
	    m->src.version, m->src.crypto);

	return rc != 0 ? rc : m->src.render(m->src.ctx, state_db(m->src.st), body);
}

/* A complete request header in c->req: GET /metrics (any query string), HTTP/1.x. */
static void
metrics_handle(struct metrics_conn *c)
{
	struct proto_buf body = { 0 };
	const char *path = c->req + 4;
	size_t plen = strcspn(path, " ?");
	int rc;

	if (strncmp(c->req, "GET ", 4) != 0) {
		rc = metrics_respond(c, 405, "Method Not Allowed", NULL);
	} else if (plen != 8 || strncmp(path, "/metrics", 8) != 0) {
		rc = metrics_respond(c, 404, "Not Found", NULL);
	} else if (strstr(c->req, " HTTP/1.") == NULL) {
		rc = metrics_respond(c, 400, "Bad Request", NULL);
	} else {
		rc = metrics_page(c->m, &body);
		rc = rc != 0 ? metrics_respond(c, 500, "Out of memory", NULL)
			     : metrics_respond(c, 200, "OK", &body);
	}
	proto_buf_fini(&body);
	if (rc != 0 || loop_mod(c->m->loop, &c->w, EPOLLOUT) != 0) {
		metrics_conn_close(c);
		return;
	}
	c->out_off = 0;
}

static void
metrics_conn_write(struct metrics_conn *c)
{
	while (c->out_off < c->out.len) {
		ssize_t n = send(c->w.fd, c->out.data + c->out_off, c->out.len - c->out_off,
		    MSG_DONTWAIT | MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {
			metrics_conn_close(c); /* the client went away */
			return;
		}
		c->out_off += (size_t)n;
	}
	/* All sent. Closing with unread input would reset the connection, and the client could
	 * lose the response: shut our side and read until the client closes. */
	c->draining = true;
	if (shutdown(c->w.fd, SHUT_WR) < 0 || loop_mod(c->m->loop, &c->w, EPOLLIN) != 0)
		metrics_conn_close(c);
}

static void
metrics_conn_drain(struct metrics_conn *c)
{
	char buf[4096];

	for (;;) {
		ssize_t n = recv(c->w.fd, buf, sizeof(buf), MSG_DONTWAIT);

		if (n > 0 || (n < 0 && errno == EINTR))
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		metrics_conn_close(c);
		return;
	}
}

static void
metrics_conn_read(struct metrics_conn *c)
{
	for (;;) {
		ssize_t n;

		if (c->req_len == sizeof(c->req) - 1) {
			if (metrics_respond(c, 431, "Request Header Fields Too Large", NULL) != 0 ||
			    loop_mod(c->m->loop, &c->w, EPOLLOUT) != 0)
				metrics_conn_close(c);
			else
				c->req_len = 0;
			return;
		}
		n = recv(
		    c->w.fd, c->req + c->req_len, sizeof(c->req) - 1 - c->req_len, MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {
			metrics_conn_close(c);
			return;
		}
		c->req_len += (size_t)n;
		c->req[c->req_len] = '\0';
		if (memchr(c->req, '\0', c->req_len) != NULL) {
			metrics_conn_close(c); /* not HTTP */
			return;
		}
		if (strstr(c->req, "\r\n\r\n") != NULL || strstr(c->req, "\n\n") != NULL) {
			metrics_handle(c);
			return;
		}
	}
}

static void
metrics_conn_event(struct loop_watch *w, uint32_t events)
{
	struct metrics_conn *c = (struct metrics_conn *)w;

	if (c->draining)
		metrics_conn_drain(c);
	else if ((events & (EPOLLHUP | EPOLLERR)) != 0 && c->out.len > 0)
		metrics_conn_close(c); /* shut for idling, or gone */
	else if (c->out.len > 0)
		metrics_conn_write(c);
	else if ((events & (EPOLLIN | EPOLLHUP | EPOLLERR)) != 0)
		metrics_conn_read(c);
}

static void
metrics_accept(struct loop_watch *w, uint32_t events)
{
	struct metrics *m = (struct metrics *)w;
	int fd;

	(void)events;
	while ((fd = accept4(m->listen.fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		struct metrics_conn *c = NULL;
		size_t slot = METRICS_CONN_MAX;

		for (size_t i = 0; i < METRICS_CONN_MAX && slot == METRICS_CONN_MAX; i++) {
			if (m->conn[i] == NULL)
				slot = i;
		}
		if (slot < METRICS_CONN_MAX)
			c = calloc(1, sizeof(*c));
		if (c == NULL) {
			(void)close(fd); /* busy: the scraper tries again at its next interval */
			continue;
		}
		c->w = (struct loop_watch){ fd, metrics_conn_event };
		c->m = m;
		c->deadline_ms = loop_now_ms() + METRICS_IDLE_MS;
		if (loop_add(m->loop, &c->w, EPOLLIN) != 0) {
			(void)close(fd);
			free(c);
			continue;
		}
		m->conn[slot] = c;
	}
}

int
metrics_open(const char *addr, struct loop *loop, const struct metrics_source *src,
    struct metrics **out, struct err *err)
{
	struct sockaddr_in6 sa;
	struct metrics *m;
	int one = 1, rc;

	rc = metrics_parse_addr(addr, &sa, err);
	if (rc < 0)
		return rc;
	m = calloc(1, sizeof(*m));
	if (m == NULL)
		return err_set(err, ENOMEM, "out of memory");
	m->loop = loop;
	m->src = *src;
	m->listen.fn = metrics_accept;
	m->listen.fd = socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (m->listen.fd < 0 ||
	    setsockopt(m->listen.fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(m->listen.fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(m->listen.fd, METRICS_CONN_MAX) < 0)
		rc = err_set(err, errno, "--metrics %s: %s", addr, log_strerror(errno));
	if (rc == 0 && loop_add(loop, &m->listen, EPOLLIN) != 0)
		rc = err_set(err, ENOMEM, "--metrics %s: cannot watch the socket", addr);
	if (rc < 0) {
		if (m->listen.fd >= 0)
			(void)close(m->listen.fd);
		free(m);
		return rc;
	}
	*out = m;
	return 0;
}

void
metrics_close(struct metrics *m)
{
	if (m == NULL)
		return;
	for (size_t i = 0; i < METRICS_CONN_MAX; i++) {
		if (m->conn[i] != NULL)
			metrics_conn_close(m->conn[i]);
	}
	loop_del(m->loop, &m->listen);
	(void)close(m->listen.fd);
	free(m);
}

void
metrics_tick(struct metrics *m)
{
	int64_t now = loop_now_ms();

	/* Shut, not closed: the connection's own callback sees the end and frees it (the loop
	 * lets a callback free only its own watch). */
	for (size_t i = 0; m != NULL && i < METRICS_CONN_MAX; i++) {
		if (m->conn[i] != NULL && now >= m->conn[i]->deadline_ms)
			(void)shutdown(m->conn[i]->w.fd, SHUT_RDWR);
	}
}
