/* SPDX-License-Identifier: MIT */
/* The esxcli grammar, as `esxcli` and as the native `ipsec6`: global options, the namespace
 * words `network ip ipsec {sa|sp}` (optional for ipsec6), the command and its options. */
#ifndef IPSEC6_CLI_ESXCLI_H
#define IPSEC6_CLI_ESXCLI_H

#include <stddef.h>

#include "cli.h"

/* Run the words after the program name. Returns the exit status. */
int esxcli_main(struct cli *cli, size_t argc, char **argv);

#endif
