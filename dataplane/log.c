// SPDX-License-Identifier: MIT
/* One line per message, to stderr or syslog. The destination is process state by nature, so it
 * lives here and nowhere else. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

static bool log_syslog;
static bool log_debug_on;

void
log_init(bool debug)
{
	log_debug_on = debug;
	log_syslog = false;
}

void
log_use_syslog(void)
{
	openlog("ipsec6d", LOG_PID | LOG_NDELAY, LOG_DAEMON);
	log_syslog = true;
}

static void
log_one_line(char *line, size_t size)
{
	char out[1024];
	size_t o = 0;

	for (size_t i = 0; line[i] != '\0' && o + 3 < sizeof(out); i++) {
		if (line[i] == '\n' && line[i + 1] != '\0') {
			out[o++] = ';';
			out[o++] = ' ';
		} else if ((unsigned char)line[i] < 0x20 && line[i] != '\t') {
			out[o++] = ' ';
		} else {
			out[o++] = line[i];
		}
	}
	out[o] = '\0';
	(void)snprintf(line, size, "%s", out);
}

__attribute__((format(printf, 3, 0))) static void
log_write(int prio, const char *tag, const char *fmt, va_list ap)
{
	char line[1024];

	/* A long line is cut rather than split: one event, one line. Reasons that come in several
	 * lines (cmd_parse() names each missing option on its own) are joined with "; ". */
	(void)vsnprintf(line, sizeof(line), fmt, ap);
	log_one_line(line, sizeof(line));
	if (log_syslog)
		syslog(prio, "%s%s", tag, line);
	else
		(void)fprintf(stderr, "ipsec6d: %s%s\n", tag, line);
}

const char *
log_strerror(int errnum)
{
	/* strerrordesc_np() (glibc 2.32) returns a constant string; the packet threads format
	 * errors too, so strerror()'s buffer is no option. */
	const char *desc = strerrordesc_np(errnum);

	return desc != NULL ? desc : "Unknown error";
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_write(LOG_INFO, "", fmt, ap);
	va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_write(LOG_WARNING, "warning: ", fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	if (!log_debug_on)
		return;
	va_start(ap, fmt);
	log_write(LOG_DEBUG, "debug: ", fmt, ap);
	va_end(ap);
}

void
log_fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_write(LOG_ERR, "", fmt, ap);
	va_end(ap);
	/* Start-up only: no packet thread runs yet (dp_start() joins its threads if it fails). */
	exit(1); /* NOLINT(concurrency-mt-unsafe) */
}
