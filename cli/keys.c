// SPDX-License-Identifier: MIT
/* Keys given on the command line are visible to every user in /proc/PID/cmdline until they
 * are overwritten, so the CLI copies argv first thing and wipes the key values in place; key
 * files avoid even that window. */
#include "keys.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipsec6/cmd_opts.h"

#define KEYS_FILE_MAX 4096

/* The options, in every grammar, whose value is a key. */
static const char *const keys_options[] = {
	"-k", "-K", "--encryption-key", "--integrity-key", "--ekey", "--ikey",
	"--password", /* vCLI's, refused (remote.h), but a secret all the same */
};

bool
keys_is_option(const char *word, size_t *value_at)
{
	for (size_t i = 0; i < sizeof(keys_options) / sizeof(keys_options[0]); i++) {
		size_t len = strlen(keys_options[i]);

		if (strncmp(word, keys_options[i], len) != 0)
			continue;
		if (word[len] == '\0' || word[len] == '=') {
			*value_at = word[len] == '=' ? len + 1 : 0;
			return true;
		}
	}
	return false;
}

char **
keys_argv_copy(int argc, char **argv)
{
	char **copy = calloc((size_t)argc + 1, sizeof(*copy));

	if (copy == NULL)
		return NULL;
	for (int i = 0; i < argc; i++) {
		copy[i] = strdup(argv[i]);
		if (copy[i] == NULL) {
			keys_argv_free(i, copy);
			return NULL;
		}
	}
	for (int i = 0; i < argc; i++) {
		char *value = NULL;
		size_t at;

		if (!keys_is_option(argv[i], &at))
			continue;
		/* The parser's reading (cmd_opts_read()): a word that looks like an option is not
		 * a value. In `-K -k KEY` the key option -K has none, and KEY is -k's. */
		if (at > 0)
			value = argv[i] + at;
		else if (i + 1 < argc && !cmd_opts_is_option(argv[i + 1]))
			value = argv[++i];
		if (value != NULL)
			explicit_bzero(value, strlen(value));
	}
	return copy;
}

void
keys_argv_free(int argc, char **copy)
{
	if (copy == NULL)
		return;
	for (int i = 0; i < argc; i++) {
		if (copy[i] != NULL)
			explicit_bzero(copy[i], strlen(copy[i]));
		free(copy[i]);
	}
	free(copy);
}

/* Read at most KEYS_FILE_MAX + 1 bytes, so that a larger file is noticed. */
static int
keys_slurp(int fd, char *buf, size_t *len)
{
	*len = 0;
	while (*len < KEYS_FILE_MAX + 1) {
		ssize_t n = read(fd, buf + *len, KEYS_FILE_MAX + 1 - *len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		*len += (size_t)n;
	}
	return 0;
}

int
keys_read_file(const char *path, const char *what, struct proto_buf *out, struct err *err)
{
	char buf[KEYS_FILE_MAX + 1];
	size_t len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int rc;

	if (fd < 0)
		return err_set(err, errno, "cannot read the %s file '%s' (%s)", what, path,
		    strerrordesc_np(errno));
	rc = keys_slurp(fd, buf, &len);
	(void)close(fd);
	if (rc != 0) {
		rc = err_set(err, -rc, "cannot read the %s file '%s' (%s)", what, path,
		    strerrordesc_np(-rc));
		goto out_wipe;
	}
	if (len > KEYS_FILE_MAX) {
		rc = err_set(err, EFBIG, "the %s file '%s' is larger than %d bytes", what, path,
		    KEYS_FILE_MAX);
		goto out_wipe;
	}
	if (len > 0 && buf[len - 1] == '\n')
		len--;
	if (len > 0 && buf[len - 1] == '\r')
		len--;
	if (len == 0)
		rc = err_set(err, EINVAL, "the %s file '%s' is empty", what, path);
	else if (memchr(buf, '\0', len) != NULL)
		rc = err_set(err, EINVAL, "the %s file '%s' holds a NUL byte", what, path);
	else if (memchr(buf, '\n', len) != NULL)
		rc = err_set(err, EINVAL, "the %s file '%s' holds more than one line", what, path);
	else if (proto_buf_append(out, buf, len) != 0)
		rc = err_set(err, ENOMEM, "out of memory");
out_wipe:
	explicit_bzero(buf, sizeof(buf));
	return rc;
}
