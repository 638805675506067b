/* SPDX-License-Identifier: MIT */
/* The configuration file on disk: read it whole, and replace it durably (temporary file in the
 * same directory, fsync, rename, directory fsync) so that a crash leaves the old file or the
 * new one, never a torn one. */
#ifndef IPSEC6_STORE_H
#define IPSEC6_STORE_H

#include <sys/types.h>

#include <stddef.h>

#include "ipsec6/err.h"

/* The largest configuration file read: far above 100,000 SAs and 100,000 policies. */
#define STORE_FILE_MAX (1u << 30) /* 1 GiB */

/* Read path into *text (malloc'd, NUL-terminated, *len bytes; the caller wipes and frees it:
 * it holds keys) and its permission bits into *mode. Returns 0, -ENOENT when the file does not
 * exist, or another negative errno with "PATH: reason" in err. */
__attribute__((warn_unused_result)) int store_read(
    const char *path, char **text, size_t *len, mode_t *mode, struct err *err);

/* Replace path with len bytes of text, mode 0600, durably: write "PATH.tmp" (created with
 * O_CLOEXEC | O_NOFOLLOW), fsync it, rename it over path, fsync the directory. The directory
 * is created (0700) if missing. On failure the temporary file is removed and path holds what
 * it held before: when the directory's fsync fails after the rename, the previous file (or no
 * file, if there was none) is put back by the same procedure, so that a crash or a reload
 * never finds the refused text. If even that fails, err (and the log) says that path may hold
 * the new text after a restart. Returns 0 or a negative errno with "cannot save PATH: reason"
 * in err. */
__attribute__((warn_unused_result)) int store_write(
    const char *path, const char *text, size_t len, struct err *err);

/* store_write() for a file whose new text is never worse than the old (the sequence file,
 * daemon/seq.h: reservations, inbound tops and counts only grow), which nothing refused can be
 * in: when the directory's fsync fails the new file stays (a restart that finds it, after a
 * stop or a crash, is better off than with the old one, whose tops and counts are behind) and
 * the failure is returned all the same, so that nothing that needs the write durable goes on.
 */
__attribute__((warn_unused_result)) int store_write_monotonic(
    const char *path, const char *text, size_t len, struct err *err);

#endif
