// SPDX-License-Identifier: MIT
/* Reasons for control-plane refusals: the first one set wins. */
#include "ipsec6/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int
err_set(struct err *err, int errnum, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && err->msg[0] == '\0') {
		va_start(ap, fmt);
		/* Truncation is acceptable for a human sentence; the buffer stays terminated. */
		(void)vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return -errnum;
}

void
err_clear(struct err *err)
{
	if (err != NULL)
		err->msg[0] = '\0';
}

int
err_is_set(const struct err *err)
{
	return err != NULL && err->msg[0] != '\0';
}
