/* SPDX-License-Identifier: MIT */
/* The vicfg-ipsec grammar (CLI.md "vicfg-ipsec"): one operation option, its value options,
 * the name as the last word; mapped onto the same requests as esxcli's commands. */
#ifndef IPSEC6_CLI_VICFG_H
#define IPSEC6_CLI_VICFG_H

#include <stdbool.h>
#include <stddef.h>

#include "cli.h"
#include "ipsec6/cmd_opts.h"

/* Run the words after the program name. Returns the exit status. */
int vicfg_main(struct cli *cli, size_t argc, char **argv);

/* For completion (complete.c), by row of the table: every option of vicfg-ipsec. */
struct cmd_opts vicfg_options(void);

/* Whether row k is an operation (--add-sa, ...). */
bool vicfg_is_operation(size_t k);

/* Whether the operation at row op takes the value option at row k. */
bool vicfg_takes(size_t op, size_t k);

/* What the value of row k is: that of the esxcli option it is sent as. */
enum cmd_opt_values vicfg_values(size_t k);

/* What the last word (the name) is after the operation at row op: an SA or policy that exists
 * (--remove-sa, --remove-sp), else a new name or none (CMD_VALUES_TEXT). */
enum cmd_opt_values vicfg_name_values(size_t op);

#endif
