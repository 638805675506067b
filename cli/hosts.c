// SPDX-License-Identifier: MIT
/* The inventory file: one host a line, `NAME HOST [port=N] [user=USER]`, blank lines and
 * `#` comments skipped. Every field is checked as --server, --portnumber and --username are, so
 * that nothing in it can become an ssh option. */
#include "hosts.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "remote.h"

/* Far above any inventory of HOSTS_MAX hosts. */
#define HOSTS_FILE_MAX ((size_t)4 * 1024 * 1024)

const char *
hosts_path(void)
{
	const char *env = secure_getenv(HOSTS_FILE_ENV);

	return env != NULL && env[0] != '\0' ? env : HOSTS_FILE_DEFAULT;
}

void
hosts_fini(struct hosts *h)
{
	free(h->v);
	free(h->text);
	memset(h, 0, sizeof(*h));
}

static int
hosts_read(struct hosts *h, struct err *err)
{
	struct proto_buf b = { 0 };
	int fd = open(h->path, O_RDONLY | O_CLOEXEC);
	int rc;

	if (fd < 0 && errno == ENOENT)
		return 0; /* no inventory: this host manages none */
	if (fd < 0)
		return err_set(err, errno, "cannot read %s (%s)", h->path, strerrordesc_np(errno));
	rc = proto_read_all(fd, &b, HOSTS_FILE_MAX, h->path, err);
	(void)close(fd);
	if (rc == 0 && b.len > 0 && memchr(b.data, '\0', b.len) != NULL)
		rc = err_set(err, EINVAL, "%s holds a NUL byte", h->path);
	if (rc == 0) {
		h->text = b.data; /* ownership moves to h */
		return 0;
	}
	proto_buf_fini(&b);
	return rc;
}

/* One line's fields into e. */
static int
hosts_line(struct hosts *h, char *line, size_t lineno, struct hosts_entry *e, struct err *err)
{
	char *save = NULL;
	char *w;

	e->name = strtok_r(line, " \t\r", &save);
	e->host = strtok_r(NULL, " \t\r", &save);
	if (e->host == NULL)
		return err_set(
		    err, EINVAL, "%s line %zu: a name and a host are required", h->path, lineno);
	if (!remote_host_is_valid(e->name) || !remote_host_is_valid(e->host))
		return err_set(err, EINVAL,
		    "%s line %zu: a name or host of A-Za-z0-9 and .-_:%% is required, not starting "
		    "with '-'",
		    h->path, lineno);
	if (hosts_lookup(h, e->name) != NULL)
		return err_set(
		    err, EINVAL, "%s line %zu: '%s' is named twice", h->path, lineno, e->name);
	while ((w = strtok_r(NULL, " \t\r", &save)) != NULL) {
		if (strncmp(w, "port=", 5) == 0 && e->port == NULL && remote_port_is_valid(w + 5))
			e->port = w + 5;
		else if (strncmp(w, "user=", 5) == 0 && e->user == NULL &&
		    remote_user_is_valid(w + 5))
			e->user = w + 5;
		else
			return err_set(err, EINVAL,
			    "%s line %zu: '%.64s' is not port=1-65535 or user=NAME (once each)",
			    h->path, lineno, w);
	}
	return 0;
}

int
hosts_parse(struct hosts *h, struct err *err)
{
	size_t lineno = 0;
	char *p;
	int rc;

	if (h->text == NULL)
		return 0;
	h->v = calloc(HOSTS_MAX, sizeof(*h->v));
	if (h->v == NULL)
		return err_set(err, ENOMEM, "out of memory");
	for (p = h->text; *p != '\0';) {
		char *line = p;
		size_t len = strcspn(p, "\n");
		char *hash;

		p += len + (p[len] == '\n');
		line[len] = '\0';
		lineno++;
		hash = strchr(line, '#');
		if (hash != NULL)
			*hash = '\0';
		if (line[strspn(line, " \t\r")] == '\0')
			continue;
		if (h->n == HOSTS_MAX)
			return err_set(err, E2BIG, "%s: more than %d hosts", h->path, HOSTS_MAX);
		rc = hosts_line(h, line, lineno, &h->v[h->n], err);
		if (rc != 0)
			return rc;
		h->n++;
	}
	return 0;
}

int
hosts_load(struct hosts *h, struct err *err)
{
	int rc;

	memset(h, 0, sizeof(*h));
	h->path = hosts_path();
	rc = hosts_read(h, err);
	return rc != 0 ? rc : hosts_parse(h, err);
}

const struct hosts_entry *
hosts_lookup(const struct hosts *h, const char *name)
{
	for (size_t i = 0; i < h->n; i++) {
		if (strcmp(h->v[i].name, name) == 0)
			return &h->v[i];
	}
	return NULL;
}

bool
hosts_is_request(const char *request, size_t len)
{
	static const char words[] = "hosts list";

	while (len > 0 && (request[len - 1] == '\n' || request[len - 1] == '\r'))
		len--;
	return len == sizeof(words) - 1 && memcmp(request, words, len) == 0;
}

int
hosts_answer(struct proto_buf *answer)
{
	struct hosts h;
	struct err e = { { 0 } };
	int rc = hosts_load(&h, &e);

	if (rc != 0) {
		rc = proto_buf_printf(answer, "error %s\n", e.msg);
		goto out;
	}
	rc = proto_buf_printf(answer, "ok\n");
	for (size_t i = 0; rc == 0 && i < h.n; i++) {
		const struct hosts_entry *x = &h.v[i];
		struct proto_record rec = {
			4,
			{ "name", "host", "port", "user" },
			{ x->name, x->host, x->port != NULL ? x->port : "",
			    x->user != NULL ? x->user : "" },
		};

		rc = proto_record_append(answer, &rec);
	}
out:
	hosts_fini(&h);
	return rc != 0 ? -ENOMEM : 0;
}
