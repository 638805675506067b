/* SPDX-License-Identifier: MIT */
/* The vicfg-ipsec grammar (CLI.md "vicfg-ipsec"): one operation option, its value options,
 * the name as the last word; mapped onto the same requests as esxcli's commands. */
#ifndef IPSEC6_CLI_VICFG_H
#define IPSEC6_CLI_VICFG_H

#include <stddef.h>

#include "cli.h"

/* Run the words after the program name. Returns the exit status. */
int vicfg_main(struct cli *cli, size_t argc, char **argv);

#endif
