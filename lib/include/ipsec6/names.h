/* SPDX-License-Identifier: MIT */
/* Names and what they stand for: every set of words a user types (algorithms, modes,
 * directions, actions, protocols, crypto backends, formatters) is one table, looked up and
 * listed by the helpers here, so that every "invalid X 'y': use a, b or c" reads alike and a
 * new row shows up in the message by itself. Depends on err only (the CLI links it). */
#ifndef IPSEC6_NAMES_H
#define IPSEC6_NAMES_H

#include <stddef.h>

#include "ipsec6/err.h"

/* A table is an array of n rows of stride bytes each, of any struct type whose first member is
 * `const char *` (or an array of `const char *` itself). A row whose name is NULL or "" has no
 * name: it is neither found nor listed (an enumerator that the user never types). */
#define NAMES_TABLE(rows) (const void *)(rows), sizeof(rows) / sizeof((rows)[0]), sizeof((rows)[0])

/* The index of the row named text (exact, case-sensitive: no prefix matching), or -ENOENT. */
__attribute__((warn_unused_result)) int names_find(
    const void *rows, size_t n, size_t stride, const char *text);

/* The names of the named rows, in table order, as "a, b or c", into buf of size bytes
 * (truncated, always terminated). */
void names_join(const void *rows, size_t n, size_t stride, char *buf, size_t size);

/* names_find(), or -EINVAL with the one wording of a name not in the table:
 * "invalid WHAT 'TEXT': use a, b or c". */
__attribute__((warn_unused_result)) int names_parse(
    const void *rows, size_t n, size_t stride, const char *text, const char *what, struct err *err);

/* The name of row i of a table of `const char *` indexed by an enum, or "?" past its end or
 * for a row without a name. */
const char *names_at(const char *const *names, size_t n, size_t i);

#endif
