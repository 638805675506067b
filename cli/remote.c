// SPDX-License-Identifier: MIT
/* The client's side of a remote command: run ssh (non-interactive) with `ipsec6 --relay` as
 * the remote command, wait for the relay's greeting, then write the header and the request on
 * ssh's standard input and read the answer from its standard output; ssh's standard error and
 * exit status tell what went wrong when no answer came. The same code serves the relay of a
 * management host that forwards a request to a host it manages (relay.c). */
#include "remote.h"

#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef IPSEC6_VERSION
#define IPSEC6_VERSION "unknown"
#endif

extern char **environ;

/* A host silent for this long is stuck (a durable write of a large batch takes seconds). */
#define REMOTE_TIMEOUT_SEC 300
/* What ssh may take to log in before it gives up. */
#define REMOTE_CONNECT_TIMEOUT "ConnectTimeout=20"
/* Far above any real answer (100,000 SAs list in about 20 MB). */
#define REMOTE_ANSWER_MAX   ((size_t)1024 * 1024 * 1024)
#define REMOTE_GREETING_MAX 256
#define REMOTE_STDERR_MAX   4096
#define REMOTE_ARGV_MAX     48

/* ---- the options ---------------------------------------------------------------------- */

_Static_assert(
    sizeof((struct cmd_opt[]){ REMOTE_OPTS_ROWS(true) }) / sizeof(struct cmd_opt) == REMOTE_ROWS,
    "REMOTE_ROWS counts the rows of REMOTE_OPTS_ROWS");

static bool
remote_chars_ok(const char *s, size_t max, const char *extra)
{
	size_t len = strlen(s);

	if (len == 0 || len > max || s[0] == '-')
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		bool alnum =
		    (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');

		if (!alnum && strchr(extra, c) == NULL)
			return false;
	}
	return true;
}

bool
remote_host_is_valid(const char *host)
{
	return remote_chars_ok(host, 255, ".-_:%");
}

bool
remote_user_is_valid(const char *user)
{
	return remote_chars_ok(user, 64, ".-_");
}

bool
remote_port_is_valid(const char *port)
{
	char *end;
	unsigned long n;

	if (port[0] < '0' || port[0] > '9')
		return false;
	n = strtoul(port, &end, 10);
	return *end == '\0' && n >= 1 && n <= 65535;
}

int
remote_from_args(
    const struct cmd_opt *rows, const char *const *vals, struct remote_target *t, struct err *err)
{
	memset(t, 0, sizeof(*t));
	for (size_t k = REMOTE_VIHOST + 1; k < REMOTE_ROWS; k++) {
		if (vals[k] != NULL)
			return err_set(err, EPERM, "--%s is not supported: %s", rows[k].long_name,
			    rows[k].help);
	}
	t->server = vals[REMOTE_SERVER];
	t->user = vals[REMOTE_USERNAME];
	t->port = vals[REMOTE_PORTNUMBER];
	t->vihost = vals[REMOTE_VIHOST];
	t->label = t->server;
	if (t->server != NULL && !remote_host_is_valid(t->server))
		return err_set(err, EINVAL,
		    "Invalid server '%.64s': a host name or address (A-Za-z0-9 and .-_:%%), not "
		    "starting with '-'; the user goes in --username",
		    t->server);
	if (t->user != NULL && !remote_user_is_valid(t->user))
		return err_set(err, EINVAL,
		    "Invalid username '%.64s': 1-64 characters of A-Za-z0-9._-, not starting with "
		    "'-'",
		    t->user);
	if (t->port != NULL && !remote_port_is_valid(t->port))
		return err_set(err, EINVAL, "Invalid portnumber '%.64s': use 1-65535", t->port);
	if (t->vihost != NULL && !remote_host_is_valid(t->vihost))
		return err_set(err, EINVAL,
		    "Invalid vihost '%.64s': a name of the management host's inventory", t->vihost);
	if (t->server == NULL && (t->user != NULL || t->port != NULL || t->vihost != NULL))
		return err_set(err, EINVAL, "--%s needs --server",
		    t->vihost != NULL     ? "vihost"
			: t->user != NULL ? "username"
					  : "portnumber");
	return 0;
}

/* ---- the ssh command ------------------------------------------------------------------ */

/* Copies of the target's words for an argv (exec takes char *const[]). */
struct remote_words {
	char port[8];
	char user[72];
	char server[264];
};

/* The words of the ssh command for t into argv (pointing into words, a copy of $IPSEC6_SSH,
 * and into own). */
static int
remote_argv(const struct remote_target *t, char *words, struct remote_words *own, char **argv,
    struct err *err)
{
	size_t n = 0;
	char *save = NULL;

	for (char *w = strtok_r(words, " \t", &save); w != NULL; w = strtok_r(NULL, " \t", &save)) {
		if (n == REMOTE_ARGV_MAX - 16)
			return err_set(err, E2BIG, "$%s has too many words", REMOTE_SSH_ENV);
		argv[n++] = w;
		/* Right after the program, so that no configuration turns them off: ssh never
		 * asks for a password or a host key here. */
		if (n == 1) {
			argv[n++] = "-o";
			argv[n++] = "BatchMode=yes";
		}
	}
	if (n == 0)
		return err_set(err, EINVAL, "$%s is empty", REMOTE_SSH_ENV);
	argv[n++] = "-o";
	argv[n++] = REMOTE_CONNECT_TIMEOUT;
	argv[n++] = "-T"; /* no terminal: the channel carries the request as it is */
	argv[n++] = "-x"; /* no X11, no agent forwarding: the server uses its own keys */
	argv[n++] = "-a";
	if (t->port != NULL) {
		(void)snprintf(own->port, sizeof(own->port), "%s", t->port);
		argv[n++] = "-p";
		argv[n++] = own->port;
	}
	if (t->user != NULL) {
		(void)snprintf(own->user, sizeof(own->user), "%s", t->user);
		argv[n++] = "-l";
		argv[n++] = own->user;
	}
	(void)snprintf(own->server, sizeof(own->server), "%s", t->server);
	argv[n++] = "--";
	argv[n++] = own->server;
	argv[n++] = REMOTE_COMMAND;
	argv[n] = NULL;
	return 0;
}

static char *
remote_ssh_words(void)
{
	const char *env = secure_getenv(REMOTE_SSH_ENV);

	return strdup(env != NULL && env[0] != '\0' ? env : "ssh");
}

int
remote_describe(const struct remote_target *t, struct proto_buf *out)
{
	char *words = remote_ssh_words();
	char *argv[REMOTE_ARGV_MAX] = { NULL };
	struct remote_words own;
	struct err e = { { 0 } };
	int rc = words != NULL ? 0 : -ENOMEM;

	if (rc == 0 && remote_argv(t, words, &own, argv, &e) != 0) {
		rc = proto_buf_printf(out, "(%s)", e.msg);
		argv[0] = NULL;
	}
	for (size_t i = 0; rc == 0 && argv[i] != NULL; i++)
		rc = proto_buf_printf(out, "%s%s", i > 0 ? " " : "", argv[i]);
	free(words);
	return rc != 0 ? -ENOMEM : 0;
}

/* ---- the exchange --------------------------------------------------------------------- */

struct remote_io {
	int in, out, errfd; /* our ends of ssh's standard streams; -1 once closed */
	struct proto_buf greeting;
	bool greeted; /* the first line has arrived */
	bool speaks;  /* ... and it is this protocol's greeting */
	const struct proto_buf *send;
	size_t sent;
	struct proto_buf *answer;
	struct proto_buf errtext; /* ssh's standard error, its first REMOTE_STDERR_MAX bytes */
};

static void
remote_close(int *fd)
{
	if (*fd >= 0)
		(void)close(*fd);
	*fd = -1;
}

/* The greeting line is complete: does it speak our protocol? */
static bool
remote_greeting_ok(const char *line)
{
	char want[32];

	(void)snprintf(want, sizeof(want), "%s %d", REMOTE_HELLO, REMOTE_PROTOCOL);
	return strncmp(line, want, strlen(want)) == 0 &&
	    (line[strlen(want)] == ' ' || line[strlen(want)] == '\0');
}

/* Bytes from ssh's standard output: the greeting first, then the answer. */
static int
remote_take_out(struct remote_io *io, const char *data, size_t len, struct err *err)
{
	if (!io->greeted) {
		const char *nl = memchr(data, '\n', len);
		size_t head = nl != NULL ? (size_t)(nl - data) : len;

		if (io->greeting.len + head > REMOTE_GREETING_MAX) {
			head = REMOTE_GREETING_MAX - io->greeting.len;
			nl = NULL; /* a line that long is no greeting */
		}
		if (proto_buf_append(&io->greeting, data, head) != 0)
			return err_set(err, ENOMEM, "out of memory");
		if (nl == NULL && io->greeting.len < REMOTE_GREETING_MAX)
			return 0;
		io->greeted = true;
		io->speaks =
		    nl != NULL && remote_greeting_ok(io->greeting.len > 0 ? io->greeting.data : "");
		if (!io->speaks) {
			remote_close(&io->in); /* nothing is sent to what is not our relay */
			return 0;
		}
		len -= (size_t)(nl + 1 - data);
		data = nl + 1;
	}
	if (!io->speaks)
		return 0;
	if (io->answer->len + len > REMOTE_ANSWER_MAX)
		return err_set(err, EOVERFLOW, "the answer is too large");
	return proto_buf_append(io->answer, data, len) != 0 ? err_set(err, ENOMEM, "out of memory")
							    : 0;
}

/* Read what fd has; at its end close it. */
static int
remote_read(struct remote_io *io, int *fd, struct err *err)
{
	char chunk[65536];
	ssize_t n = read(*fd, chunk, sizeof(chunk));
	int rc = 0;

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return 0;
	if (n <= 0)
		remote_close(fd);
	else if (fd == &io->out)
		rc = remote_take_out(io, chunk, (size_t)n, err);
	else if (io->errtext.len < REMOTE_STDERR_MAX &&
	    proto_buf_append(&io->errtext, chunk, (size_t)n) != 0)
		rc = err_set(err, ENOMEM, "out of memory");
	explicit_bzero(chunk, sizeof(chunk)); /* `save` and `sa export` carry keys */
	return rc;
}

static void
remote_write(struct remote_io *io)
{
	ssize_t n = write(io->in, io->send->data + io->sent, io->send->len - io->sent);

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n < 0) {
		remote_close(&io->in); /* ssh went away: its status tells why */
		return;
	}
	io->sent += (size_t)n;
	if (io->sent == io->send->len)
		remote_close(&io->in); /* the end of the request */
}

/* Until ssh has closed its standard output and error. */
static int
remote_pump(struct remote_io *io, const char *label, struct err *err)
{
	while (io->out >= 0 || io->errfd >= 0) {
		struct pollfd p[3] = {
			{ io->out, POLLIN, 0 },
			{ io->errfd, POLLIN, 0 },
			{ io->speaks ? io->in : -1, POLLOUT, 0 },
		};
		int n = poll(p, 3, REMOTE_TIMEOUT_SEC * 1000);
		int rc = 0;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return err_set(err, errno, "poll failed (%s)", strerrordesc_np(errno));
		if (n == 0)
			return err_set(err, ETIMEDOUT, "no answer from %s within %d seconds", label,
			    REMOTE_TIMEOUT_SEC);
		if (p[2].revents != 0)
			remote_write(io);
		if (p[0].revents != 0)
			rc = remote_read(io, &io->out, err);
		if (rc == 0 && p[1].revents != 0)
			rc = remote_read(io, &io->errfd, err);
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* The first or the last non-empty line of text, at most 200 characters, into buf. */
static const char *
remote_line(const struct proto_buf *text, bool last, char *buf, size_t size)
{
	const char *p = text->len > 0 ? text->data : "";
	const char *found = NULL;
	size_t found_len = 0;

	while (*p != '\0') {
		size_t len = strcspn(p, "\r\n");

		if (len > 0 && (found == NULL || last)) {
			found = p;
			found_len = len;
		}
		p += len;
		p += strspn(p, "\r\n");
	}
	if (found_len > 200)
		found_len = 200;
	(void)snprintf(buf, size, "%.*s", (int)found_len, found != NULL ? found : "");
	return buf;
}

/* ssh failed (status 255): what it said, as one sentence. */
static int
remote_ssh_error(const struct remote_target *t, const struct proto_buf *errtext, struct err *err)
{
	const char *text = errtext->len > 0 ? errtext->data : "";
	char line[256];

	(void)remote_line(errtext, true, line, sizeof(line));
	if (strstr(text, "Permission denied") != NULL)
		return err_set(err, EACCES,
		    "%s refused the SSH login (%s): ipsec6 logs in with SSH keys or an agent, "
		    "never a password",
		    t->label, line);
	if (strstr(text, "Host key verification failed") != NULL ||
	    strstr(text, "IDENTIFICATION HAS CHANGED") != NULL)
		return err_set(err, EACCES,
		    "cannot verify the SSH host key of %s (%s): add it to known_hosts first",
		    t->label, line);
	return err_set(err, EHOSTUNREACH, "cannot reach %s over SSH (%s)", t->label,
	    line[0] != '\0' ? line : "ssh failed and said nothing");
}

/* No answer: why, from ssh's status, its standard error and the greeting. */
static int
remote_no_answer(
    const struct remote_target *t, const struct remote_io *io, int status, struct err *err)
{
	char line[256];
	int theirs = 0;

	if (WIFSIGNALED(status))
		return err_set(
		    err, EPIPE, "ssh to %s ended by signal %d", t->label, WTERMSIG(status));
	if (WEXITSTATUS(status) == 255)
		return remote_ssh_error(t, &io->errtext, err);
	if (io->greeted && !io->speaks && io->greeting.len > 0 &&
	    sscanf(io->greeting.data, REMOTE_HELLO " %d", &theirs) == 1)
		return err_set(err, EPROTO,
		    "ipsec6 on %s speaks relay protocol %d, this ipsec6 (%s) speaks %d: install "
		    "the same version on both hosts",
		    t->label, theirs, IPSEC6_VERSION, REMOTE_PROTOCOL);
	if (WEXITSTATUS(status) == 127)
		return err_set(err, ENOENT, "no ipsec6 on %s (%s): install it there", t->label,
		    remote_line(&io->errtext, true, line, sizeof(line)));
	if (!io->greeted || !io->speaks) {
		(void)remote_line(
		    io->greeted ? &io->greeting : &io->errtext, false, line, sizeof(line));
		return err_set(err, EPROTO,
		    "ipsec6 on %s does not speak relay protocol %d (it said: '%s'): install the "
		    "same version (%s) on both hosts",
		    t->label, REMOTE_PROTOCOL, line, IPSEC6_VERSION);
	}
	return err_set(err, EPROTO, "the relay on %s ended without an answer (ssh status %d%s%s)",
	    t->label, WEXITSTATUS(status), io->errtext.len > 0 ? ": " : "",
	    remote_line(&io->errtext, true, line, sizeof(line)));
}

/* The answer came: the relay's own failure, or ipsec6d's answer. */
static int
remote_answer(const struct remote_target *t, struct proto_buf *answer, struct err *err)
{
	size_t len = strlen(REMOTE_ERROR);

	if (answer->len > len && memcmp(answer->data, REMOTE_ERROR, len) == 0 &&
	    answer->data[len] == ' ') {
		const char *msg = answer->data + len + 1;

		return err_set(
		    err, EREMOTEIO, "%s: %.*s", t->label, (int)strcspn(msg, "\r\n"), msg);
	}
	return 0;
}

/* Start ssh with its standard streams on pipes whose other ends go to io. */
static int
remote_spawn(const struct remote_target *t, struct remote_io *io, pid_t *pid, struct err *err)
{
	int p_in[2] = { -1, -1 }, p_out[2] = { -1, -1 }, p_err[2] = { -1, -1 };
	char *words = remote_ssh_words();
	char *argv[REMOTE_ARGV_MAX];
	struct remote_words own;
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t dflt;
	int rc;

	if (words == NULL)
		return err_set(err, ENOMEM, "out of memory");
	rc = remote_argv(t, words, &own, argv, err);
	if (rc == 0 &&
	    (pipe2(p_in, O_CLOEXEC) != 0 || pipe2(p_out, O_CLOEXEC) != 0 ||
		pipe2(p_err, O_CLOEXEC) != 0))
		rc = err_set(err, errno, "cannot create a pipe (%s)", strerrordesc_np(errno));
	if (rc != 0)
		goto out_close;
	(void)posix_spawn_file_actions_init(&fa);
	(void)posix_spawn_file_actions_adddup2(&fa, p_in[0], STDIN_FILENO);
	(void)posix_spawn_file_actions_adddup2(&fa, p_out[1], STDOUT_FILENO);
	(void)posix_spawn_file_actions_adddup2(&fa, p_err[1], STDERR_FILENO);
	/* SIGPIPE is ignored while we talk to ssh; ssh gets it back. */
	(void)posix_spawnattr_init(&attr);
	(void)sigemptyset(&dflt);
	(void)sigaddset(&dflt, SIGPIPE);
	(void)posix_spawnattr_setsigdefault(&attr, &dflt);
	(void)posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF);
	rc = posix_spawnp(pid, argv[0], &fa, &attr, argv, environ);
	(void)posix_spawn_file_actions_destroy(&fa);
	(void)posix_spawnattr_destroy(&attr);
	if (rc != 0) {
		rc = err_set(err, rc, "cannot run %s (%s): install OpenSSH's client, or set $%s",
		    argv[0], strerrordesc_np(rc), REMOTE_SSH_ENV);
		goto out_close;
	}
	io->in = p_in[1];
	io->out = p_out[0];
	io->errfd = p_err[0];
	/* Written as poll says it can take more, so that a long request never blocks the reading
	 * of ssh's output. */
	(void)fcntl(io->in, F_SETFL, O_NONBLOCK);
	p_in[1] = p_out[0] = p_err[0] = -1;
out_close:
	remote_close(&p_in[0]);
	remote_close(&p_in[1]);
	remote_close(&p_out[0]);
	remote_close(&p_out[1]);
	remote_close(&p_err[0]);
	remote_close(&p_err[1]);
	free(words);
	return rc;
}

/* The header and the request, as the relay reads them. */
static int
remote_request(
    const struct remote_target *t, const char *request, size_t len, struct proto_buf *send)
{
	int rc =
	    proto_buf_printf(send, "%s %d %s\n", REMOTE_HELLO, REMOTE_PROTOCOL, IPSEC6_VERSION);

	if (rc == 0 && t->vihost != NULL)
		rc = proto_buf_printf(send, "vihost %s\n", t->vihost);
	if (rc == 0)
		rc = proto_buf_append(send, "\n", 1);
	if (rc == 0)
		rc = proto_buf_append(send, request, len);
	return rc;
}

int
remote_call(const struct remote_target *t, const char *request, size_t len,
    struct proto_buf *answer, struct err *err)
{
	struct proto_buf send = { 0 };
	struct remote_io io = { -1, -1, -1, { 0 }, false, false, &send, 0, answer, { 0 } };
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;
	pid_t pid;
	int status = 0;
	int rc;

	if (remote_request(t, request, len, &send) != 0)
		return err_set(err, ENOMEM, "out of memory");
	(void)sigemptyset(&ign.sa_mask);
	(void)sigaction(SIGPIPE, &ign, &old);
	rc = remote_spawn(t, &io, &pid, err);
	if (rc == 0) {
		rc = remote_pump(&io, t->label, err);
		remote_close(&io.in);
		remote_close(&io.out);
		remote_close(&io.errfd);
		if (rc != 0)
			(void)kill(pid, SIGTERM);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	(void)sigaction(SIGPIPE, &old, NULL);
	if (rc == 0 && (!io.speaks || answer->len == 0))
		rc = remote_no_answer(t, &io, status, err);
	if (rc == 0)
		rc = remote_answer(t, answer, err);
	proto_buf_fini(&send); /* wipes: the request may hold keys */
	proto_buf_fini(&io.greeting);
	proto_buf_fini(&io.errtext);
	return rc;
}
