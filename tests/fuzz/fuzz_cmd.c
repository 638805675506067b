// SPDX-License-Identifier: MIT
/* libFuzzer harness for the command grammar: one command line of ipsec6, esxcli or
 * vicfg-ipsec run through everything the CLI does around its one exchange with ipsec6d (keys
 * wiped from argv, global options, namespace words, option parsing and rules, key and batch
 * files, the request, the answer's parsing and formatting), with no socket and nothing
 * written. Besides crashes it checks that the key values are wiped from argv (exactly those
 * words), never printed (an output that shows a key is compared with a run with other keys),
 * and that the request is the one the daemon splits back.
 *
 * Input: byte 0 chooses the program (ipsec6, esxcli, vicfg-ipsec); then the words, each
 * ending in a NUL byte, up to an empty word; then what any file the CLI opens holds (up to a
 * NUL byte; without that section opening fails with ENOENT); then the daemon's answer (without
 * it: "ok"). Words beyond FUZZ_WORDS_MAX are ignored. */
#include <sys/mman.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "client.h"
#include "cmds.h"
#include "esxcli.h"
#include "ipsec6/cmd.h"
#include "keys.h"
#include "vicfg.h"

#define FUZZ_WORDS_MAX 64

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The link wraps these (tests/fuzz/meson.build): the file system (open() is open64() with
 * _FILE_OFFSET_BITS=64), the socket and the output are the harness's; cmds_request() is
 * watched. */
int __real_open64(const char *path, int flags, ...);
int __wrap_open64(const char *path, int flags, ...);
int __wrap_client_call(
    const char *path, const char *request, size_t len, struct proto_buf *raw, struct err *err);
int __wrap_remote_call(const struct remote_target *t, const char *request, size_t len,
    struct proto_buf *raw, struct err *err);
int __wrap_client_stream(const char *path, const char *request, size_t len,
    int (*line)(void *ctx, char *text), void *ctx, struct err *err);
int __wrap_proto_write_all(int fd, const char *data, size_t len);
int __real_cmds_request(struct proto_buf *req, struct proto_buf *shown, const char *words,
    const struct cmd_opts *t, const struct args *a, struct err *err);
int __wrap_cmds_request(struct proto_buf *req, struct proto_buf *shown, const char *words,
    const struct cmd_opts *t, const struct args *a, struct err *err);

/* One run. */
static struct {
	bool active;
	size_t argc;
	char *argv[FUZZ_WORDS_MAX + 2];     /* main()'s argv, wiped by keys_argv_copy() */
	char *pristine[FUZZ_WORDS_MAX + 2]; /* the same words, never wiped */
	char **copy;                        /* keys_argv_copy()'s */
	char *key[FUZZ_WORDS_MAX + 1];      /* the key values, pointing into pristine */
	size_t n_keys;
	const char *file;
	size_t file_len;
	bool has_file;
	const char *reply;
	size_t reply_len;
	struct proto_buf output; /* everything the run printed */
} fuzz;

__attribute__((format(printf, 1, 2), noreturn)) static void
fuzz_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)vfprintf(stderr, fmt, ap);
	va_end(ap);
	(void)fputs("\nwords:", stderr);
	for (size_t i = 0; i < fuzz.argc; i++)
		(void)fprintf(stderr, " [%s]", fuzz.pristine[i]);
	(void)fputs("\n", stderr);
	abort();
}

/* ---- the world around the CLI ---------------------------------------------------------- */

int
__wrap_open64(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;
	int fd;

	va_start(ap, flags);
	mode = (mode_t)va_arg(ap, int);
	va_end(ap);
	if (!fuzz.active)
		return __real_open64(path, flags, mode);
	if (!fuzz.has_file) {
		errno = ENOENT;
		return -1;
	}
	fd = memfd_create("fuzz_cmd", MFD_CLOEXEC);
	if (fd < 0 || write(fd, fuzz.file, fuzz.file_len) != (ssize_t)fuzz.file_len ||
	    lseek(fd, 0, SEEK_SET) != 0)
		abort();
	return fd;
}

/* A value or line that the daemon would not see as the CLI meant it. */
static void
fuzz_check_request(const char *request, size_t len)
{
	if (len == 0 || request[len - 1] != '\n')
		fuzz_fail("the request does not end in a newline");
	if (memchr(request, '\0', len) != NULL)
		fuzz_fail("the request holds a NUL byte");
	/* An empty line ends a request (doc/control-protocol.md): lines after it are lost. */
	if (request[0] == '\n' || memmem(request, len, "\n\n", 2) != NULL)
		fuzz_fail("the request holds an empty line");
}

/* The daemon's answer: the input's, or "ok". */
int
__wrap_client_call(
    const char *path, const char *request, size_t len, struct proto_buf *raw, struct err *err)
{
	(void)path;
	fuzz_check_request(request, len);
	if (fuzz.reply == NULL && proto_buf_append(raw, "ok\n", 3) != 0)
		return err_set(err, ENOMEM, "out of memory");
	if (fuzz.reply != NULL && proto_buf_append(raw, fuzz.reply, fuzz.reply_len) != 0)
		return err_set(err, ENOMEM, "out of memory");
	return 0;
}

/* --server: the same answer, as if the far host's daemon gave it (no ssh is run). */
int
__wrap_remote_call(const struct remote_target *t, const char *request, size_t len,
    struct proto_buf *raw, struct err *err)
{
	(void)t;
	return __wrap_client_call(NULL, request, len, raw, err);
}

/* monitor: the answer's lines, then the end of the stream. */
int
__wrap_client_stream(const char *path, const char *request, size_t len,
    int (*line)(void *ctx, char *text), void *ctx, struct err *err)
{
	struct proto_buf raw = { NULL, 0, 0 };
	size_t start = 0;
	int rc = __wrap_client_call(path, request, len, &raw, err);
	char *nl;

	while (rc == 0 && (nl = memchr(raw.data + start, '\n', raw.len - start)) != NULL) {
		*nl = '\0';
		rc = line(ctx, raw.data + start);
		start = (size_t)(nl + 1 - raw.data);
	}
	proto_buf_fini(&raw);
	return rc;
}

int
__wrap_proto_write_all(int fd, const char *data, size_t len)
{
	(void)fd;
	if (len > 0 && proto_buf_append(&fuzz.output, data, len) != 0)
		abort();
	return 0;
}

/* ---- keys ------------------------------------------------------------------------------ */

/* The key values of the command line, as the option parser reads them (cmd_opts_read()): the
 * text after '=', or the next word unless it looks like an option. Each word is read as a key
 * option wherever it stands (an option is never the value of another). */
static void
fuzz_find_keys(void)
{
	fuzz.n_keys = 0;
	for (size_t i = 1; i < fuzz.argc; i++) {
		char *value = NULL;
		size_t at;

		if (!keys_is_option(fuzz.pristine[i], &at))
			continue;
		if (at > 0)
			value = fuzz.pristine[i] + at;
		else if (i + 1 < fuzz.argc && !cmd_opts_is_option(fuzz.pristine[i + 1]))
			value = fuzz.pristine[++i];
		if (value != NULL)
			fuzz.key[fuzz.n_keys++] = value;
	}
}

/* keys_argv_copy() wiped exactly the key values, and copied every word as it was. */
static void
fuzz_check_wiped(void)
{
	for (size_t i = 0; i < fuzz.argc; i++) {
		const char *p = fuzz.pristine[i];
		size_t len = strlen(p);
		size_t keep = len;

		for (size_t k = 0; k < fuzz.n_keys; k++) {
			if (fuzz.key[k] >= p && fuzz.key[k] <= p + len)
				keep = (size_t)(fuzz.key[k] - p);
		}
		if (strcmp(fuzz.copy[i], p) != 0)
			fuzz_fail("word %zu is not copied as it was", i);
		if (memcmp(fuzz.argv[i], p, keep) != 0)
			fuzz_fail("word %zu ('%s') is wiped in argv, but is no key", i, p);
		for (size_t j = keep; j < len; j++) {
			if (fuzz.argv[i][j] != '\0')
				fuzz_fail("the key '%s' is still readable in argv", p + keep);
		}
	}
}

/* Where value (a pointer into the copy) is in main()'s argv, or NULL. */
static const char *
fuzz_in_argv(const char *value)
{
	for (size_t i = 0; i < fuzz.argc; i++) {
		size_t len = strlen(fuzz.copy[i]);

		if (value >= fuzz.copy[i] && value <= fuzz.copy[i] + len)
			return fuzz.argv[i] + (value - fuzz.copy[i]);
	}
	return NULL;
}

/* The request's words, split as the daemon splits them, are the command words and the options
 * given, in table order, with their values unchanged. */
static void
fuzz_check_words(
    const struct proto_buf *req, const char *words, const struct cmd_opts *t, const struct args *a)
{
	char *line = strdup(req->data);
	char *w[CMD_OPTS_MAX + 8];
	struct err e = { { 0 } };
	size_t n = 0;
	size_t at = 0;

	if (line == NULL)
		abort();
	if (cmd_split(line, w, sizeof(w) / sizeof(w[0]), &n, &e) != 0)
		fuzz_fail("the daemon cannot split the request '%s': %s", req->data, e.msg);
	for (const char *p = words; *p != '\0'; at++) {
		size_t len = strcspn(p, " ");

		if (at >= n || strlen(w[at]) != len || memcmp(w[at], p, len) != 0)
			fuzz_fail("the request '%s' does not start with '%s'", req->data, words);
		p += len + (p[len] == ' ');
	}
	for (size_t k = 0; k < t->n; k++) {
		const struct cmd_opt *o = &t->opts[k];
		const char *name = o->send_as != NULL ? o->send_as : o->long_name;
		size_t len = strlen(name);

		if (a->value[k] == NULL || o->use == CMD_OPT_LOCAL)
			continue;
		if (at >= n || strncmp(w[at], "--", 2) != 0 || strncmp(w[at] + 2, name, len) != 0)
			fuzz_fail("--%s is not in the request '%s'", name, req->data);
		if (o->kind == CMD_OPT_FLAG && w[at][2 + len] != '\0')
			fuzz_fail("the flag --%s has a value in '%s'", name, req->data);
		if (o->kind == CMD_OPT_VALUE && w[at][2 + len] != '=')
			fuzz_fail("--%s has no value in '%s'", name, req->data);
		if (o->kind == CMD_OPT_VALUE && o->use == CMD_OPT_SEND &&
		    strcmp(w[at] + 3 + len, a->value[k]) != 0)
			fuzz_fail("--%s='%s' reaches the daemon as '%s'", name, a->value[k], w[at]);
		at++;
	}
	if (at != n)
		fuzz_fail("the request '%s' has %zu words, not %zu", req->data, n, at);
	explicit_bzero(line, strlen(req->data));
	free(line);
}

/* Every key the parser hands over was wiped from argv; the request carries it and --debug
 * does not. */
int
__wrap_cmds_request(struct proto_buf *req, struct proto_buf *shown, const char *words,
    const struct cmd_opts *t, const struct args *a, struct err *err)
{
	int rc;

	for (size_t k = 0; k < t->n; k++) {
		const struct cmd_opt *o = &t->opts[k];
		const char *in_argv;

		if (a->value[k] == NULL || !o->secret || o->use == CMD_OPT_KEY_FILE)
			continue;
		in_argv = fuzz_in_argv(a->value[k]);
		if (in_argv == NULL)
			fuzz_fail(
			    "the value of --%s is not a word of the command line", o->long_name);
		for (size_t j = 0; j < strlen(a->value[k]); j++) {
			if (in_argv[j] != '\0')
				fuzz_fail("the key of --%s ('%s') is still readable in argv",
				    o->long_name, a->value[k]);
		}
	}
	rc = __real_cmds_request(req, shown, words, t, a, err);
	if (rc != 0)
		return rc;
	for (size_t k = 0; k < t->n; k++) {
		const struct cmd_opt *o = &t->opts[k];
		char hidden[128];

		if (a->value[k] == NULL || !(o->secret || o->use == CMD_OPT_KEY_FILE))
			continue;
		(void)snprintf(hidden, sizeof(hidden), "--%s=<hidden>",
		    o->send_as != NULL ? o->send_as : o->long_name);
		if (strstr(shown->data, hidden) == NULL)
			fuzz_fail("--debug would not hide the key: '%s'", shown->data);
	}
	fuzz_check_words(req, words, t, a);
	return 0;
}

/* ---- one run --------------------------------------------------------------------------- */

/* Split the input into the words, the file and the answer. Returns false when it has no
 * words. */
static bool
fuzz_split(const uint8_t *data, size_t size)
{
	static const char *const progs[] = { "ipsec6", "esxcli", "vicfg-ipsec" };
	const char *p = (const char *)data + 1;
	const char *end = (const char *)data + size;

	if (size < 1)
		return false;
	fuzz.argc = 0;
	fuzz.pristine[fuzz.argc++] = strdup(progs[data[0] % 3]);
	while (p < end) {
		const char *nul = memchr(p, '\0', (size_t)(end - p));
		size_t len = nul != NULL ? (size_t)(nul - p) : (size_t)(end - p);

		if (len == 0) {
			p++;
			break;
		}
		if (fuzz.argc <= FUZZ_WORDS_MAX)
			fuzz.pristine[fuzz.argc++] = strndup(p, len);
		p += len + (nul != NULL);
	}
	fuzz.has_file = p < end;
	fuzz.file = p;
	fuzz.file_len = 0;
	fuzz.reply = NULL;
	if (fuzz.has_file) {
		const char *nul = memchr(p, '\0', (size_t)(end - p));

		fuzz.file_len = nul != NULL ? (size_t)(nul - p) : (size_t)(end - p);
		if (nul != NULL) {
			fuzz.reply = nul + 1;
			fuzz.reply_len = (size_t)(end - nul - 1);
		}
	}
	for (size_t i = 0; i < fuzz.argc; i++) {
		if (fuzz.pristine[i] == NULL)
			abort();
	}
	return true;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int null = __real_open64("/dev/null", O_RDONLY | O_CLOEXEC);

	size_t n;
	const struct cmd_opt *sa_add = cmd_options(CMD_SA_ADD, &n);

	(void)argc;
	(void)argv;
	/* keys_is_option() knows every spelling of the grammar's key options. */
	for (size_t k = 0; k < n; k++) {
		char word[64];
		size_t at;

		if (!sa_add[k].secret)
			continue;
		(void)snprintf(word, sizeof(word), "--%s", sa_add[k].long_name);
		if (!keys_is_option(word, &at) || at != 0)
			fuzz_fail("%s is not a key option for keys.c", word);
		(void)snprintf(word, sizeof(word), "-%c=x", sa_add[k].short_name);
		if (!keys_is_option(word, &at) || at != 3)
			fuzz_fail("%s is not a key option for keys.c", word);
	}
	/* ipsec6 -f - reads standard input: nothing there. */
	if (null < 0 || dup2(null, STDIN_FILENO) < 0)
		abort();
	(void)close(null);
	return 0;
}

/* One run of the CLI over the words in fuzz.pristine; what it prints is in fuzz.output. */
static void
fuzz_run(void)
{
	struct cli cli = { .width = CLI_WIDTH_DEFAULT, .format = OUT_TABLE };
	int status;

	for (size_t i = 0; i < fuzz.argc; i++) {
		fuzz.argv[i] = strdup(fuzz.pristine[i]);
		if (fuzz.argv[i] == NULL)
			abort();
	}
	fuzz.argv[fuzz.argc] = NULL;
	fuzz_find_keys();
	fuzz.copy = keys_argv_copy((int)fuzz.argc, fuzz.argv);
	if (fuzz.copy == NULL)
		abort();
	fuzz_check_wiped();
	fuzz.active = true;
	proto_buf_reset(&fuzz.output);
	cli.prog = fuzz.copy[0];
	if (strcmp(cli.prog, "vicfg-ipsec") == 0) {
		status = vicfg_main(&cli, fuzz.argc - 1, fuzz.copy + 1);
	} else {
		cli.native = strcmp(cli.prog, "esxcli") != 0;
		status = esxcli_main(&cli, fuzz.argc - 1, fuzz.copy + 1);
	}
	if (status != 0 && status != 1)
		fuzz_fail("exit status %d", status);
	(void)cli_finish(&cli, status);
	fuzz.active = false;
	keys_argv_free((int)fuzz.argc, fuzz.copy);
	for (size_t i = 0; i < fuzz.argc; i++)
		free(fuzz.argv[i]);
}

/* Another key of the same length and kind: letters change case, digits move on by one; what
 * the parser sees (a leading '-', a line break) stays. False if nothing changed. */
static bool
fuzz_other_keys(void)
{
	bool changed = false;

	for (size_t k = 0; k < fuzz.n_keys; k++) {
		for (char *p = fuzz.key[k]; *p != '\0'; p++) {
			char c = *p;

			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
				*p = (char)(c ^ 0x20);
			else if (c >= '0' && c <= '9')
				*p = (char)('0' + (c - '0' + 1) % 10);
			changed = changed || *p != c;
		}
	}
	return changed;
}

/* No key is printed: run again with other keys; where the first output shows a key, the
 * second must not show the other key (a help text may well say "hmac-sha1", a key too). */
static void
fuzz_check_output(void)
{
	struct proto_buf first = fuzz.output;
	char *keys[FUZZ_WORDS_MAX + 1];
	size_t n_keys = fuzz.n_keys;
	bool shown = false;

	for (size_t k = 0; k < n_keys; k++) {
		keys[k] = strdup(fuzz.key[k]);
		if (keys[k] == NULL)
			abort();
		shown = shown ||
		    (keys[k][0] != '\0' && first.len > 0 &&
			memmem(first.data, first.len, keys[k], strlen(keys[k])) != NULL);
	}
	memset(&fuzz.output, 0, sizeof(fuzz.output));
	if (shown && fuzz_other_keys()) {
		fuzz_run();
		for (size_t k = 0; k < n_keys && fuzz.output.len == first.len; k++) {
			size_t len = strlen(keys[k]);

			for (size_t at = 0; len > 0 && at + len <= first.len; at++) {
				if (memcmp(first.data + at, keys[k], len) == 0 &&
				    memcmp(fuzz.output.data + at, fuzz.key[k], len) == 0 &&
				    memcmp(fuzz.output.data + at, keys[k], len) != 0)
					fuzz_fail("the key '%s' is printed: %.*s", keys[k],
					    (int)first.len, first.data);
			}
		}
	}
	for (size_t k = 0; k < n_keys; k++)
		free(keys[k]);
	proto_buf_fini(&first);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!fuzz_split(data, size))
		return 0;
	fuzz_run();
	fuzz_check_output();
	proto_buf_fini(&fuzz.output);
	for (size_t i = 0; i < fuzz.argc; i++)
		free(fuzz.pristine[i]);
	return 0;
}
