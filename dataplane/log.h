/* SPDX-License-Identifier: MIT */
/* ipsec6d's log: stderr while in the foreground (and during start-up), syslog once the daemon
 * has detached. Messages are one line each; callers never pass key material or request text. */
#ifndef IPSEC6_LOG_H
#define IPSEC6_LOG_H

#include <stdbool.h>

/* Start logging to stderr; debug enables log_debug(). */
void log_init(bool debug);

/* From now on write to syslog (facility daemon) instead of stderr. */
void log_use_syslog(void);

__attribute__((format(printf, 1, 2))) void log_info(const char *fmt, ...);
__attribute__((format(printf, 1, 2))) void log_warn(const char *fmt, ...);
__attribute__((format(printf, 1, 2))) void log_debug(const char *fmt, ...);

/* errnum's description ("No such file or directory"), for messages of any thread: unlike
 * strerror(), it uses no shared buffer and no locale. Never NULL. */
const char *log_strerror(int errnum);

/* Log and exit with status 1. Start-up only (STYLE: no fatal once serving). */
__attribute__((format(printf, 1, 2), noreturn)) void log_fatal(const char *fmt, ...);

#endif
