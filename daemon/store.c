// SPDX-License-Identifier: MIT
/* Whole-file reads and crash-safe replacement of the configuration file (write a temporary
 * file, fsync, rename(2) over the old one, fsync the directory so the rename itself is
 * durable; if that last step fails, the old file goes back the same way). */
#include "store.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fault.h"
#include "log.h"
#include "proto.h"

/* Read fd, open on path (which names it in reasons), as store_read() reads a file. */
static int
store_read_fd(int fd, const char *path, char **text, size_t *len, mode_t *mode, struct err *err)
{
	struct stat st;
	size_t got = 0;
	char *buf;

	if (fstat(fd, &st) != 0)
		return err_set(err, errno, "%s: %s", path, log_strerror(errno));
	if (!S_ISREG(st.st_mode))
		return err_set(err, EINVAL, "%s: not a regular file", path);
	if ((unsigned long long)st.st_size > STORE_FILE_MAX)
		return err_set(err, EFBIG, "%s: larger than %u bytes", path, STORE_FILE_MAX);
	buf = malloc((size_t)st.st_size + 1);
	if (buf == NULL)
		return err_set(err, ENOMEM, "%s: out of memory", path);
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int rc = err_set(err, errno, "%s: %s", path, log_strerror(errno));

			explicit_bzero(buf, (size_t)st.st_size + 1);
			free(buf);
			return rc;
		}
		if (n == 0)
			break; /* shrank while we read: take what is there */
		got += (size_t)n;
	}
	buf[got] = '\0';
	*text = buf;
	*len = got;
	*mode = st.st_mode & 07777;
	return 0;
}

int
store_read(const char *path, char **text, size_t *len, mode_t *mode, struct err *err)
{
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
	rc = store_read_fd(fd, path, text, len, mode, err);
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
	if (fault_hit(FAULT_DIRSYNC))
		rc = -EIO; /* a test's: the rename is not known to be on disk */
	else if (fsync(fd) != 0)
		rc = -errno;
	(void)close(fd);
	return rc;
}

/* The steps before the directory's fsync: write text to tmp, fsync it, rename it over path.
 * Returns 0, or a negative errno with the reason in err and tmp removed. */
static int
store_replace(const char *path, const char *tmp, const char *dir, const char *text, size_t len,
    struct err *err)
{
	int fd = store_open_tmp(tmp, dir);
	int rc;

	if (fd < 0)
		return err_set(err, -fd, "%s: %s", tmp, log_strerror(-fd));
	rc = proto_write_all(fd, text, len);
	if (rc == 0 && fsync(fd) != 0)
		rc = -errno;
	if (close(fd) != 0 && rc == 0)
		rc = -errno;
	if (rc == 0 && rename(tmp, path) != 0)
		rc = -errno;
	if (rc != 0) {
		(void)unlink(tmp);
		return err_set(err, -rc, "%s", log_strerror(-rc));
	}
	return 0;
}

/* The rename over path is not known to be durable: the directory's fsync failed (sync_rc).
 * The caller refuses the change, so a crash must not put it in force, nor a reload read it:
 * what path held before (prev, open on the old file; -1 when there was none) goes back by the
 * same procedure, and is synced. If that fails too, the disk may hold the old file or the new
 * one, and nothing here can tell which: the caller keeps what it acknowledged last, the next
 * change it saves rewrites the whole file from that, and until then the log and err say that
 * a restart may load the refused change. Returns sync_rc, the reasons in err. */
static int
store_put_back(
    const char *path, const char *tmp, const char *dir, int prev, int sync_rc, struct err *err)
{
	struct err why = { "" };
	char *text = NULL;
	size_t len = 0;
	mode_t mode;
	int rc;

	if (prev < 0) {
		rc = unlink(path) != 0 ? err_set(&why, errno, "%s", log_strerror(errno)) : 0;
	} else {
		rc = store_read_fd(prev, path, &text, &len, &mode, &why);
		if (rc == 0)
			rc = store_replace(path, tmp, dir, text, len, &why);
		if (text != NULL)
			explicit_bzero(text, len);
		free(text);
	}
	if (rc == 0) {
		rc = store_sync_dir(dir);
		if (rc != 0)
			(void)err_set(&why, -rc, "fsync of %s: %s", dir, log_strerror(-rc));
	}
	if (rc == 0) {
		log_warn("cannot save %s: fsync of %s: %s; the previous file is back in place",
		    path, dir, log_strerror(-sync_rc));
		return err_set(err, -sync_rc,
		    "cannot save %s: fsync of %s: %s (the previous file is back)", path, dir,
		    log_strerror(-sync_rc));
	}
	log_warn(
	    "cannot save %s: fsync of %s: %s, and the previous file cannot be put back (%s): "
	    "the disk may hold the refused change, which a restart would put in force; the next "
	    "change saved rewrites the file",
	    path, dir, log_strerror(-sync_rc), why.msg);
	return err_set(err, -sync_rc,
	    "cannot save %s: fsync of %s: %s, and the previous file cannot be put back (%s): a "
	    "restart may put this refused change in force",
	    path, dir, log_strerror(-sync_rc), why.msg);
}

/* store_write() (put_back) or store_write_monotonic(). */
static int
store_write_as(const char *path, const char *text, size_t len, bool put_back, struct err *err)
{
	struct err why = { "" };
	char tmp[4096 + 8];
	char dir[4096];
	int prev = -1, rc, n;

	n = snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if (n < 0 || (size_t)n >= sizeof(tmp) || store_dirname(path, dir, sizeof(dir)) != 0)
		return err_set(err, ENAMETOOLONG, "cannot save %s: name too long", path);
	/* The file replaced, kept open until the rename is durable: no step without a way back. */
	if (put_back)
		prev = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (put_back && prev < 0 && errno != ENOENT)
		return err_set(err, errno, "cannot save %s: cannot keep the previous file: %s",
		    path, log_strerror(errno));
	rc = store_replace(path, tmp, dir, text, len, &why);
	if (rc != 0) {
		(void)err_set(err, -rc, "cannot save %s: %s", path, why.msg);
	} else {
		/* rename(2) is durable only once the directory holding the new name is synced. */
		rc = store_sync_dir(dir);
		if (rc != 0 && put_back)
			rc = store_put_back(path, tmp, dir, prev, rc, err);
		else if (rc != 0)
			(void)err_set(err, -rc, "cannot save %s: fsync of %s: %s", path, dir,
			    log_strerror(-rc));
	}
	if (prev >= 0)
		(void)close(prev);
	return rc;
}

int
store_write(const char *path, const char *text, size_t len, struct err *err)
{
	return store_write_as(path, text, len, true, err);
}

int
store_write_monotonic(const char *path, const char *text, size_t len, struct err *err)
{
	return store_write_as(path, text, len, false, err);
}
