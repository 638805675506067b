/* SPDX-License-Identifier: MIT */
/* `ipsec6 -f FILE`: the lines of a file (or of standard input) in the configuration grammar,
 * sent as one request, so that ipsec6d applies all of them or none. */
#ifndef IPSEC6_CLI_BATCH_H
#define IPSEC6_CLI_BATCH_H

#include "cli.h"

/* Read path ("-" for standard input) and send it as one transaction. Returns the exit
 * status. */
int batch_run(struct cli *cli, const char *path);

#endif
