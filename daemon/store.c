// SPDX-License-Identifier: MIT
/* Whole-file reads and crash-safe replacement of the configuration file (write a temporary
 * file, fsync, rename(2) over the old one, fsync the directory so the rename itself is
 * durable). */
#include "store.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "proto.h"

int
store_read(const char *path, char **text, size_t *len, mode_t *mode, struct err *err)
{
	struct stat st;
	size_t got = 0;
	char *buf = NULL;
	int fd, rc;

	*text = NULL;
	*len = 0;
	/* O_NONBLOCK: opening a FIFO (or a device) waits for the other side; the type is checked
	 * below, and for a regular file the flag changes nothing. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		rc = -errno;
		return rc == -ENOENT ? rc : err_set(err, -rc, "%s: %s", path, log_strerror(-rc));
	}
	if (fstat(fd, &st) != 0) {
		rc = err_set(err, errno, "%s: %s", path, log_strerror(errno));
		goto out_close;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = err_set(err, EINVAL, "%s: not a regular file", path);
		goto out_close;
	}
	if ((unsigned long long)st.st_size > STORE_FILE_MAX) {
		rc = err_set(err, EFBIG, "%s: larger than %u bytes", path, STORE_FILE_MAX);
		goto out_close;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (buf == NULL) {
		rc = err_set(err, ENOMEM, "%s: out of memory", path);
		goto out_close;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = err_set(err, errno, "%s: %s", path, log_strerror(errno));
			goto out_free;
		}
		if (n == 0)
			break; /* shrank while we read: take what is there */
		got += (size_t)n;
	}
	buf[got] = '\0';
	*text = buf;
	*len = got;
	*mode = st.st_mode & 07777;
	rc = 0;
	goto out_close;
out_free:
	explicit_bzero(buf, (size_t)st.st_size + 1);
	free(buf);
out_close:
	(void)close(fd);
	return rc;
}

/* The directory that holds path ("." for a bare name), in dir of size PATH_MAX. */
static int
store_dirname(const char *path, char *dir, size_t size)
{
	char copy[4096];
	int n;

	n = snprintf(copy, sizeof(copy), "%s", path);
	if (n < 0 || (size_t)n >= sizeof(copy))
		return -ENAMETOOLONG;
	/* POSIX lets dirname() return static memory; glibc's works in copy (or returns "."). */
	n = snprintf(dir, size, "%s", dirname(copy)); /* NOLINT(concurrency-mt-unsafe) */
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/* Open the temporary file, creating the directory once if it is missing. */
static int
store_open_tmp(const char *tmp, const char *dir)
{
	int flags = O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW;
	int fd = open(tmp, flags, 0600);

	if (fd < 0 && errno == ENOENT && mkdir(dir, 0700) == 0)
		fd = open(tmp, flags, 0600);
	if (fd < 0)
		return -errno;
	/* An older temporary file may have had another mode: the file holds keys. */
	if (fchmod(fd, 0600) != 0) {
		int rc = -errno;

		(void)close(fd);
		return rc;
	}
	return fd;
}

static int
store_sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc = 0;

	if (fd < 0)
		return -errno;
	if (fsync(fd) != 0)
		rc = -errno;
	(void)close(fd);
	return rc;
}

int
store_write(const char *path, const char *text, size_t len, struct err *err)
{
	char tmp[4096 + 8];
	char dir[4096];
	int fd, rc, n;

	n = snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if (n < 0 || (size_t)n >= sizeof(tmp) || store_dirname(path, dir, sizeof(dir)) != 0)
		return err_set(err, ENAMETOOLONG, "cannot save %s: name too long", path);
	fd = store_open_tmp(tmp, dir);
	if (fd < 0)
		return err_set(err, -fd, "cannot save %s: %s: %s", path, tmp, log_strerror(-fd));
	rc = proto_write_all(fd, text, len);
	if (rc == 0 && fsync(fd) != 0)
		rc = -errno;
	if (close(fd) != 0 && rc == 0)
		rc = -errno;
	if (rc == 0 && rename(tmp, path) != 0)
		rc = -errno;
	if (rc != 0) {
		(void)unlink(tmp);
		return err_set(err, -rc, "cannot save %s: %s", path, log_strerror(-rc));
	}
	/* rename(2) is durable only once the directory holding the new name is synced. */
	rc = store_sync_dir(dir);
	if (rc != 0)
		return err_set(
		    err, -rc, "cannot save %s: fsync of %s: %s", path, dir, log_strerror(-rc));
	return 0;
}
