/* SPDX-License-Identifier: MIT */
/* Human-readable reasons that travel beside negative errno returns of the control plane.
 * The first reason set wins, so the innermost, most precise sentence is the one shown. */
#ifndef IPSEC6_ERR_H
#define IPSEC6_ERR_H

#include <stddef.h>

#define ERR_MSG_MAX 512

struct err {
	char msg[ERR_MSG_MAX];
};

/* Record a reason in err (which may be NULL) unless one is already recorded; returns -errnum
 * (errnum given positive, e.g. EINVAL) so that callers can write `return err_set(e, EINVAL,
 * "...")`. The text is truncated to ERR_MSG_MAX - 1 bytes. */
__attribute__((format(printf, 3, 4))) int err_set(
    struct err *err, int errnum, const char *fmt, ...);

/* Forget any recorded reason. err may be NULL. */
void err_clear(struct err *err);

/* True when a reason is recorded. */
__attribute__((warn_unused_result)) int err_is_set(const struct err *err);

#endif
