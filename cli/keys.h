/* SPDX-License-Identifier: MIT */
/* Keys on their way from the user to the daemon: copied out of argv and wiped there (so that
 * they leave the process list), or read from a file; wiped again when the CLI exits. */
#ifndef IPSEC6_CLI_KEYS_H
#define IPSEC6_CLI_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#include "ipsec6/err.h"
#include "proto.h"

/* Whether word is a key option of any grammar: -k, -K, --encryption-key, --integrity-key,
 * --ekey or --ikey, alone or followed by '=' and the key. *value_at gets the offset of the key
 * in word (after '='), or 0 when the key is the next word. */
bool keys_is_option(const char *word, size_t *value_at);

/* A private copy of argv[0 .. argc-1] (NULL-terminated). Key values in the original are wiped
 * with explicit_bzero, exactly the words the option parser takes as keys (cmd_opts_read()):
 * the word after -k, -K, --encryption-key, --integrity-key, --ekey, --ikey or --password
 * (vCLI's, refused but secret) unless it looks like an option, and the text after '=' in
 * --encryption-key=KEY and the like. Returns NULL on
 * ENOMEM (argv untouched then). Release with keys_argv_free(). */
char **keys_argv_copy(int argc, char **argv);

/* Wipe and free a copy made by keys_argv_copy(). NULL is a no-op. */
void keys_argv_free(int argc, char **copy);

/* Read the key in the file at path into out (appended; out is wiped on fini): the file's one
 * line, its trailing newline (and a '\r' before it) removed. what names the key in messages
 * ("encryption key"). Refused: an unreadable or empty file, a NUL byte, a second line, more
 * than 4 KiB. Returns 0 or a negative errno with the reason in err. */
__attribute__((warn_unused_result)) int keys_read_file(
    const char *path, const char *what, struct proto_buf *out, struct err *err);

#endif
