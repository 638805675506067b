/* SPDX-License-Identifier: MIT */
/* The configuration text: one command per line in the cmd grammar (`sa add ...`, `sp add ...`),
 * loaded into a db and saved from one. save(load(text)) is canonical and stable. */
#ifndef IPSEC6_CONF_H
#define IPSEC6_CONF_H

#include <stddef.h>

#include "ipsec6/db.h"
#include "ipsec6/err.h"

/* Apply every line of text (len bytes, need not be NUL-terminated) to db, in order. Blank lines
 * and comments are skipped; list commands are refused. On the first bad line, stops and
 * returns its negative errno with "line N: reason" in err; db then holds the lines before it
 * (load into a fresh db and swap for all-or-nothing). Returns 0 on success. */
__attribute__((warn_unused_result)) int conf_load(
    struct db *db, const char *text, size_t len, struct err *err);

/* The canonical text of db: a comment line, every SA in add order, then every policy in
 * order, each as one `sa add`/`sp add` line with long options in a fixed order and keys in
 * 0x hex. *out is malloc'd, NUL-terminated, owned by the caller (wipe it: it holds keys).
 * Returns 0 or -ENOMEM.
 *
 * The text always loads back: a policy whose SA was removed by `sa remove -a` is written with
 * its --sa-name and the native flag --dangling (cmd.h), which lets `sp add` name an SA that
 * does not exist; such a policy discards until an SA of that name is added. An SA's replay
 * window is written (native --replay-window=N) only when it is not the default. */
__attribute__((warn_unused_result)) int conf_save(const struct db *db, char **out, size_t *len);

#endif
