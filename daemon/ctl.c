// SPDX-License-Identifier: MIT
/* The control socket server: accepts, checks each peer's credentials, reads one request per
 * connection into its own buffer (non-blocking, bounded, timed out), hands it to req_handle(),
 * writes the response as the client reads it, then closes. One thread; no client can hold
 * another up for longer than one complete request takes to handle. */
#include "ctl.h"

#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <grp.h>
#include <libgen.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "events.h"
#include "log.h"
#include "proto.h"
#include "req.h"

#define CTL_READ_CHUNK (64u * 1024u)
#define CTL_READS_MAX  16  /* chunks per wake-up, so that one sender cannot monopolise */
#define CTL_RETRY_MS   100 /* pause before accepting again after EMFILE */
/* Bytes of events a monitor may have waiting (about 1,000 events); past it they are lost. */
#define CTL_MONITOR_QUEUE (256u * 1024u)

enum ctl_phase {
	CTL_READ,    /* reading the request */
	CTL_WRITE,   /* sending the response */
	CTL_DRAIN,   /* response sent and our side shut: wait for the client to close */
	CTL_MONITOR, /* `monitor`: events are sent as they come until the client closes */
};

struct ctl_conn {
	struct loop_watch w;
	struct ctl *ctl;
	struct ctl_conn *prev; /* the idle list, oldest deadline first */
	struct ctl_conn *next;
	bool listed;
	int64_t deadline_ms;
	enum ctl_phase phase;
	uid_t uid;
	enum req_access access;
	struct proto_request req;
	struct proto_buf out;
	size_t out_off;
	/* CTL_MONITOR: the other monitors, and the events that did not fit its queue since it
	 * last heard of it. */
	struct ctl_conn *mon_prev;
	struct ctl_conn *mon_next;
	uint64_t lost;
};

struct ctl {
	struct loop_watch listen;
	struct loop *loop;
	struct state *st;
	char *path;
	bool has_group;
	gid_t gid;
	char *group_name;
	dev_t dev; /* the socket file we bound, so that we remove only our own */
	ino_t ino;
	struct ctl_conn *head;
	struct ctl_conn *tail;
	struct ctl_conn *monitors;
	size_t nconn;
	bool accepting;
	bool made_dir;     /* the socket's directory is ours: created by ctl_open */
	int64_t resume_ms; /* after EMFILE: when to accept again; 0 when not paused */
};

/* The connection or server that embeds a watch. */
static struct ctl_conn *
ctl_conn_of(struct loop_watch *w)
{
	return (struct ctl_conn *)(void *)((char *)w - offsetof(struct ctl_conn, w));
}

static struct ctl *
ctl_of(struct loop_watch *w)
{
	return (struct ctl *)(void *)((char *)w - offsetof(struct ctl, listen));
}

static void ctl_conn_event(struct loop_watch *w, uint32_t events);

static void
ctl_unlink_conn(struct ctl *ctl, struct ctl_conn *c)
{
	if (!c->listed)
		return;
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		ctl->head = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	else
		ctl->tail = c->prev;
	c->prev = NULL;
	c->next = NULL;
	c->listed = false;
}

/* Some progress: the connection's deadline moves CTL_IDLE_MS ahead, to the list's end. */
static void
ctl_touch(struct ctl_conn *c)
{
	struct ctl *ctl = c->ctl;

	ctl_unlink_conn(ctl, c);
	c->deadline_ms = loop_now_ms() + CTL_IDLE_MS;
	c->prev = ctl->tail;
	if (ctl->tail != NULL)
		ctl->tail->next = c;
	else
		ctl->head = c;
	ctl->tail = c;
	c->listed = true;
}

static void
ctl_listen_enable(struct ctl *ctl, bool on)
{
	if (ctl->accepting == on)
		return;
	if (loop_mod(ctl->loop, &ctl->listen, on ? EPOLLIN : 0) == 0)
		ctl->accepting = on;
}

static void
ctl_conn_close(struct ctl_conn *c)
{
	struct ctl *ctl = c->ctl;

	if (c->phase == CTL_MONITOR) {
		if (c->mon_prev != NULL)
			c->mon_prev->mon_next = c->mon_next;
		else
			ctl->monitors = c->mon_next;
		if (c->mon_next != NULL)
			c->mon_next->mon_prev = c->mon_prev;
	}
	loop_del(ctl->loop, &c->w);
	(void)close(c->w.fd);
	ctl_unlink_conn(ctl, c);
	proto_request_fini(&c->req);
	proto_buf_fini(&c->out);
	free(c);
	ctl->nconn--;
	if (ctl->resume_ms == 0)
		ctl_listen_enable(ctl, true);
}

/* Response fully sent: shut our side so the client sees the end, then wait (at most until
 * the deadline already set) for it to close: closing with its unread bytes pending would turn
 * its end-of-file into a reset. Returns false when the connection was closed. */
static bool
ctl_conn_drain(struct ctl_conn *c)
{
	proto_buf_fini(&c->out);
	(void)shutdown(c->w.fd, SHUT_WR);
	c->phase = CTL_DRAIN;
	if (loop_mod(c->ctl->loop, &c->w, EPOLLIN) != 0) {
		ctl_conn_close(c);
		return false;
	}
	return true;
}

/* Send what the socket takes of c->out. Returns 0 when all is sent, 1 when the socket is full,
 * -1 when the connection failed and was closed. */
static int
ctl_conn_send(struct ctl_conn *c)
{
	while (c->out_off < c->out.len) {
		ssize_t n = send(c->w.fd, c->out.data + c->out_off, c->out.len - c->out_off,
		    MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 1;
		if (n < 0) {
			ctl_conn_close(c);
			return -1;
		}
		c->out_off += (size_t)n;
		if (c->phase != CTL_MONITOR)
			ctl_touch(c);
	}
	return 0;
}

/* Send the response. Returns false when the connection was closed. */
static bool
ctl_conn_write(struct ctl_conn *c)
{
	int rc = ctl_conn_send(c);

	return rc == 0 ? ctl_conn_drain(c) : rc > 0;
}

/* Switch to sending out (the response, already in c->out). */
static void
ctl_conn_respond(struct ctl_conn *c)
{
	proto_request_fini(&c->req); /* wipes: requests carry keys */
	c->out_off = 0;
	c->phase = CTL_WRITE;
	/* Most responses fit the socket buffer at once; wait for EPOLLOUT only for the rest. */
	if (ctl_conn_write(c) && c->phase == CTL_WRITE &&
	    loop_mod(c->ctl->loop, &c->w, EPOLLOUT) != 0)
		ctl_conn_close(c);
}

static void
ctl_conn_error(struct ctl_conn *c, const char *msg)
{
	proto_buf_reset(&c->out);
	if (proto_buf_printf(&c->out, "error %s\n", msg) != 0) {
		ctl_conn_close(c);
		return;
	}
	ctl_conn_respond(c);
}

/* Wait for events (EPOLLOUT, or 0: only the client's hang-up, which epoll always reports).
 * Returns false when the connection was closed. */
static bool
ctl_mon_wait(struct ctl_conn *c, uint32_t events)
{
	if (loop_mod(c->ctl->loop, &c->w, events) == 0)
		return true;
	ctl_conn_close(c);
	return false;
}

/* A monitor's queue: send what the socket takes; once empty, tell of the events it lost and
 * wait for the next (epoll then reports only the client's hang-up). Returns false when the
 * connection was closed. */
static bool
ctl_mon_flush(struct ctl_conn *c)
{
	for (;;) {
		int rc = ctl_conn_send(c);

		if (rc != 0)
			return rc > 0 && ctl_mon_wait(c, EPOLLOUT);
		proto_buf_reset(&c->out);
		c->out_off = 0;
		if (c->lost == 0)
			break;
		if (events_append(&c->out, "lost", NULL,
			"%llu events were lost: this monitor read too slowly",
			(unsigned long long)c->lost) != 0)
			break;
		c->lost = 0;
	}
	return ctl_mon_wait(c, 0);
}

/* The sink of events.h: the line to every monitor whose queue has room; counted as lost for
 * the others. Never blocks: a monitor that does not read only loses its own events. */
static void
ctl_mon_event(void *ctx, const char *line, size_t len)
{
	struct ctl *ctl = ctx;

	for (struct ctl_conn *c = ctl->monitors, *after; c != NULL; c = after) {
		bool idle = c->out_off == c->out.len;

		after = c->mon_next; /* taken before a failed flush frees c */
		if (c->lost > 0 || c->out.len - c->out_off + len > CTL_MONITOR_QUEUE) {
			c->lost++;
			continue;
		}
		if (c->out_off > CTL_MONITOR_QUEUE / 2) { /* reclaim what was sent */
			memmove(c->out.data, c->out.data + c->out_off, c->out.len - c->out_off);
			c->out.len -= c->out_off;
			c->out_off = 0;
		}
		if (proto_buf_append(&c->out, line, len) != 0)
			c->lost++;
		else if (idle)
			(void)ctl_mon_flush(c);
	}
}

static bool
ctl_mon_wanted(void *ctx)
{
	const struct ctl *ctl = ctx;

	return ctl->monitors != NULL;
}

/* The connection becomes a monitor: no idle deadline, its response (ok and its first event)
 * sent, then the events as they come. */
static void
ctl_conn_monitor(struct ctl_conn *c)
{
	struct ctl *ctl = c->ctl;

	proto_request_fini(&c->req);
	ctl_unlink_conn(ctl, c);
	c->phase = CTL_MONITOR;
	c->out_off = 0;
	c->mon_prev = NULL;
	c->mon_next = ctl->monitors;
	if (ctl->monitors != NULL)
		ctl->monitors->mon_prev = c;
	ctl->monitors = c;
	log_debug("a monitor subscribed (uid %ld)", (long)c->uid);
	(void)ctl_mon_flush(c);
}

/* A request framing state other than "more": answer it. */
static void
ctl_conn_framed(struct ctl_conn *c, enum proto_feed st)
{
	switch (st) {
	case PROTO_FEED_MORE:
		break;
	case PROTO_FEED_DONE:
		if (req_handle(c->ctl->st, c->access, &c->req, &c->out)) {
			ctl_conn_monitor(c);
			return;
		}
		if (c->out.len == 0) {
			ctl_conn_close(c); /* not even memory for an error line */
			return;
		}
		ctl_conn_respond(c);
		break;
	case PROTO_FEED_TOO_LONG:
		ctl_conn_error(
		    c, "request too long: a line may have 65536 bytes, a request 64 MiB");
		break;
	case PROTO_FEED_BAD:
		ctl_conn_error(c, "malformed request: NUL or control byte, or no command");
		break;
	}
}

/* After the response: discard whatever the client still sends until it closes. */
static void
ctl_conn_discard(struct ctl_conn *c)
{
	char buf[4096];

	for (int i = 0; i < CTL_READS_MAX; i++) {
		ssize_t n = recv(c->w.fd, buf, sizeof(buf), MSG_DONTWAIT);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0) {
			ctl_conn_close(c);
			break;
		}
	}
	explicit_bzero(buf, sizeof(buf));
}

static void
ctl_conn_read(struct ctl_conn *c)
{
	char buf[CTL_READ_CHUNK];

	for (int i = 0; i < CTL_READS_MAX; i++) {
		ssize_t n = recv(c->w.fd, buf, sizeof(buf), MSG_DONTWAIT);
		enum proto_feed st;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n < 0) {
			ctl_conn_close(c);
			break;
		}
		ctl_touch(c);
		st = n == 0 ? proto_request_eof(&c->req)
			    : proto_request_feed(&c->req, buf, (size_t)n);
		if (st != PROTO_FEED_MORE) {
			ctl_conn_framed(c, st);
			break;
		}
	}
	explicit_bzero(buf, sizeof(buf));
}

static void
ctl_conn_event(struct loop_watch *w, uint32_t events)
{
	struct ctl_conn *c = ctl_conn_of(w);

	switch (c->phase) {
	case CTL_READ:
		ctl_conn_read(c);
		break;
	case CTL_DRAIN:
		ctl_conn_discard(c);
		break;
	case CTL_WRITE:
		if ((events & (EPOLLERR | EPOLLHUP)) != 0 && (events & EPOLLOUT) == 0)
			ctl_conn_close(c);
		else
			(void)ctl_conn_write(c);
		break;
	case CTL_MONITOR:
		if ((events & (EPOLLERR | EPOLLHUP)) != 0)
			ctl_conn_close(c);
		else
			(void)ctl_mon_flush(c);
		break;
	}
}

static bool
ctl_gid_in(gid_t gid, const gid_t *groups, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (groups[i] == gid)
			return true;
	}
	return false;
}

/* The peer's supplementary groups as the kernel recorded them at connect() (SO_PEERGROUPS,
 * Linux 4.13): no /proc race. An older kernel counts the primary group only. */
static bool
ctl_peer_in_group(int fd, gid_t gid)
{
	gid_t small[64];
	gid_t *groups = small;
	socklen_t len = sizeof(small);
	bool in = false;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len) != 0) {
		if (errno != ERANGE)
			return false;
		groups = malloc(len);
		if (groups == NULL ||
		    getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len) != 0) {
			free(groups);
			return false;
		}
	}
	in = ctl_gid_in(gid, groups, len / sizeof(gid_t));
	if (groups != small)
		free(groups);
	return in;
}

/* Root (or the daemon's own user) administers; a member of the group given with --group reads
 * lists and counters. */
static bool
ctl_peer_allowed(const struct ctl *ctl, int fd, uid_t *uid, enum req_access *access)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	*uid = (uid_t)-1;
	*access = REQ_READ;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0 || len != sizeof(cred))
		return false;
	*uid = cred.uid;
	if (cred.uid == 0 || cred.uid == geteuid()) {
		*access = REQ_ADMIN;
		return true;
	}
	if (!ctl->has_group)
		return false;
	return cred.gid == ctl->gid || ctl_peer_in_group(fd, ctl->gid);
}

static void
ctl_accept_one(struct ctl *ctl, int fd)
{
	struct ctl_conn *c = calloc(1, sizeof(*c));
	char msg[160];

	if (c == NULL) {
		(void)close(fd);
		return;
	}
	c->w.fd = fd;
	c->w.fn = ctl_conn_event;
	c->ctl = ctl;
	c->phase = CTL_READ;
	ctl->nconn++;
	ctl_touch(c);
	if (loop_add(ctl->loop, &c->w, EPOLLIN) != 0) {
		ctl_unlink_conn(ctl, c);
		ctl->nconn--;
		(void)close(fd);
		free(c);
		return;
	}
	if (ctl_peer_allowed(ctl, fd, &c->uid, &c->access))
		return;
	log_info("refused a client with uid %ld", c->uid == (uid_t)-1 ? -1L : (long)c->uid);
	if (ctl->has_group)
		(void)snprintf(msg, sizeof(msg),
		    "permission denied: only root and group '%s' may use ipsec6d", ctl->group_name);
	else
		(void)snprintf(msg, sizeof(msg), "permission denied: only root may use ipsec6d");
	ctl_conn_error(c, msg);
}

static void
ctl_listen_event(struct loop_watch *w, uint32_t events)
{
	struct ctl *ctl = ctl_of(w);

	(void)events;
	while (ctl->nconn < CTL_CONN_MAX) {
		int fd = accept4(ctl->listen.fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd >= 0) {
			ctl_accept_one(ctl, fd);
			continue;
		}
		if (errno == EINTR || errno == ECONNABORTED)
			continue;
		if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
			log_warn("cannot accept: %s; pausing", log_strerror(errno));
			ctl->resume_ms = loop_now_ms() + CTL_RETRY_MS;
			ctl_listen_enable(ctl, false);
		}
		return;
	}
	ctl_listen_enable(ctl, false); /* resumes when a connection closes */
}

/* Close connections idle past their deadline; returns ms to the next deadline or -1. */
static int
ctl_timer(void *ctx)
{
	struct ctl *ctl = ctx;
	int64_t now = loop_now_ms();
	int64_t next = -1;
	struct ctl_conn *c, *after;

	if (ctl->resume_ms != 0 && ctl->resume_ms <= now) {
		ctl->resume_ms = 0;
		ctl_listen_enable(ctl, true);
	}
	/* The list is in deadline order: close from the head up to the first one still in time.
	 * The next one is taken before closing frees c (and c->next with it). */
	for (c = ctl->head; c != NULL && c->deadline_ms <= now; c = after) {
		after = c->next;
		if (c->phase == CTL_READ) {
			/* Best effort, so that a forgotten empty line is explained. */
			static const char msg[] =
			    "error timeout: no complete request within 10 s\n";

			(void)send(c->w.fd, msg, sizeof(msg) - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
		}
		log_debug("closed an idle connection (uid %ld)", (long)c->uid);
		ctl_conn_close(c);
	}
	if (c != NULL) /* now the head */
		next = c->deadline_ms;
	if (ctl->resume_ms != 0 && (next < 0 || ctl->resume_ms < next))
		next = ctl->resume_ms;
	return next < 0 ? -1 : (int)(next - now);
}

/* With --group, path (the socket or its directory) to the group: a chown(2) only when it is
 * another's, so that a daemon started with the group as its own needs none (a service
 * manager's filter may forbid the call). Returns 0 or -1 with errno. */
static int
ctl_give_group(const struct ctl *ctl, const char *path)
{
	struct stat st;

	if (!ctl->has_group)
		return 0;
	if (stat(path, &st) != 0)
		return -1;
	return st.st_gid == ctl->gid ? 0 : chown(path, (uid_t)-1, ctl->gid);
}

/* The socket's directory: created if missing, private to root (and the group). An existing
 * directory is left as it is: it may be shared, like /tmp. */
static int
ctl_make_dir(struct ctl *ctl, struct err *err)
{
	char copy[sizeof(((struct sockaddr_un *)NULL)->sun_path)];
	mode_t mode = ctl->has_group ? 0750 : 0700;
	const char *dir;

	(void)snprintf(copy, sizeof(copy), "%s", ctl->path);
	/* POSIX lets dirname() return static memory; glibc's works in copy (or returns "."). */
	dir = dirname(copy); /* NOLINT(concurrency-mt-unsafe) */
	if (mkdir(dir, mode) != 0) {
		if (errno == EEXIST)
			return 0;
		return err_set(err, errno, "cannot create %s: %s", dir, log_strerror(errno));
	}
	ctl->made_dir = true;
	/* mkdir() applied the umask; the group needs its bits exactly. */
	if (chmod(dir, mode) != 0 || ctl_give_group(ctl, dir) != 0)
		return err_set(
		    err, errno, "cannot set the mode of %s: %s", dir, log_strerror(errno));
	return 0;
}

/* A socket file already there: another daemon still serving it is an error; one left by a
 * daemon that was killed is removed. */
static int
ctl_clear_stale(const struct ctl *ctl, const struct sockaddr_un *sun, struct err *err)
{
	struct stat st;
	int fd, rc;

	if (lstat(ctl->path, &st) != 0) {
		if (errno == ENOENT)
			return 0;
		return err_set(err, errno, "%s: %s", ctl->path, log_strerror(errno));
	}
	if (!S_ISSOCK(st.st_mode))
		return err_set(err, EEXIST, "%s exists and is not a socket", ctl->path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return err_set(err, errno, "socket: %s", log_strerror(errno));
	rc = connect(fd, (const struct sockaddr *)sun, sizeof(*sun));
	(void)close(fd);
	if (rc == 0)
		return err_set(err, EADDRINUSE, "another ipsec6d is serving %s", ctl->path);
	if (unlink(ctl->path) != 0 && errno != ENOENT)
		return err_set(
		    err, errno, "cannot remove the stale %s: %s", ctl->path, log_strerror(errno));
	return 0;
}

static int
ctl_bind(struct ctl *ctl, struct err *err)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	mode_t mode = ctl->has_group ? 0660 : 0600;
	struct stat st;
	int rc;

	if (strlen(ctl->path) >= sizeof(sun.sun_path))
		return err_set(err, ENAMETOOLONG, "socket path too long (at most %zu bytes): %s",
		    sizeof(sun.sun_path) - 1, ctl->path);
	memcpy(sun.sun_path, ctl->path, strlen(ctl->path) + 1);
	rc = ctl_make_dir(ctl, err);
	if (rc == 0)
		rc = ctl_clear_stale(ctl, &sun, err);
	if (rc != 0)
		return rc;
	ctl->listen.fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (ctl->listen.fd < 0)
		return err_set(err, errno, "socket: %s", log_strerror(errno));
	if (bind(ctl->listen.fd, (const struct sockaddr *)&sun, sizeof(sun)) != 0)
		return err_set(err, errno, "cannot bind %s: %s", ctl->path, log_strerror(errno));
	if (chmod(ctl->path, mode) != 0 || ctl_give_group(ctl, ctl->path) != 0 ||
	    stat(ctl->path, &st) != 0) {
		rc = err_set(
		    err, errno, "cannot set the mode of %s: %s", ctl->path, log_strerror(errno));
		(void)unlink(ctl->path);
		return rc;
	}
	ctl->dev = st.st_dev;
	ctl->ino = st.st_ino;
	if (listen(ctl->listen.fd, SOMAXCONN) != 0) {
		rc = err_set(err, errno, "listen on %s: %s", ctl->path, log_strerror(errno));
		(void)unlink(ctl->path);
		return rc;
	}
	return 0;
}

int
ctl_open(const struct ctl_opts *opts, struct loop *loop, struct state *st, struct ctl **out,
    struct err *err)
{
	struct ctl *ctl = calloc(1, sizeof(*ctl));
	int rc;

	*out = NULL;
	if (ctl == NULL)
		return err_set(err, ENOMEM, "out of memory");
	ctl->listen.fd = -1;
	ctl->listen.fn = ctl_listen_event;
	ctl->loop = loop;
	ctl->st = st;
	ctl->has_group = opts->has_group;
	ctl->gid = opts->gid;
	ctl->path = strdup(opts->path);
	ctl->group_name = strdup(opts->group_name != NULL ? opts->group_name : "");
	if (ctl->path == NULL || ctl->group_name == NULL) {
		rc = err_set(err, ENOMEM, "out of memory");
		goto fail;
	}
	rc = ctl_bind(ctl, err);
	if (rc != 0)
		goto fail;
	rc = loop_add(loop, &ctl->listen, EPOLLIN);
	if (rc != 0) {
		(void)err_set(err, -rc, "epoll: %s", log_strerror(-rc));
		(void)unlink(ctl->path);
		goto fail;
	}
	ctl->accepting = true;
	loop_set_timer(loop, ctl_timer, ctl);
	events_set_sink(ctl_mon_event, ctl_mon_wanted, ctl);
	*out = ctl;
	return 0;
fail:
	if (ctl->listen.fd >= 0)
		(void)close(ctl->listen.fd);
	free(ctl->path);
	free(ctl->group_name);
	free(ctl);
	return rc;
}

bool
ctl_made_dir(const struct ctl *ctl)
{
	return ctl->made_dir;
}

void
ctl_close(struct ctl *ctl)
{
	struct stat st;

	if (ctl == NULL)
		return;
	events_set_sink(NULL, NULL, NULL);
	for (struct ctl_conn *c = ctl->head, *after; c != NULL; c = after) {
		after = c->next; /* taken before closing frees c */
		ctl_conn_close(c);
	}
	/* Monitors get what the socket still takes (the stop event), then the end. */
	for (struct ctl_conn *c = ctl->monitors, *after; c != NULL; c = after) {
		after = c->mon_next;
		if (ctl_mon_flush(c))
			ctl_conn_close(c);
	}
	loop_set_timer(ctl->loop, NULL, NULL);
	loop_del(ctl->loop, &ctl->listen);
	(void)close(ctl->listen.fd);
	/* Remove the socket only if it is still ours (not replaced by a newer daemon). */
	if (stat(ctl->path, &st) == 0 && st.st_dev == ctl->dev && st.st_ino == ctl->ino)
		(void)unlink(ctl->path);
	free(ctl->path);
	free(ctl->group_name);
	free(ctl);
}
