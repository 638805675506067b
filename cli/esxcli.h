/* SPDX-License-Identifier: MIT */
/* The esxcli grammar, as `esxcli` and as the native `ipsec6`: global options, the namespace
 * words `network ip ipsec {sa|sp}` (optional for ipsec6), the command and its options. */
#ifndef IPSEC6_CLI_ESXCLI_H
#define IPSEC6_CLI_ESXCLI_H

#include <stdbool.h>
#include <stddef.h>

#include "cli.h"
#include "cmds.h"

/* Run the words after the program name. Returns the exit status. */
int esxcli_main(struct cli *cli, size_t argc, char **argv);

/* For completion (complete.c). The global options, in the native grammar or esxcli's. */
struct cmd_opts esxcli_globals_table(bool native);

/* A namespace is a number, 0 for the top. From the namespace *node, word leads to a namespace
 * (*node becomes it, *cmd NULL) or a command (*cmd set); returns 0, or -ENOENT when word is
 * neither there. */
__attribute__((warn_unused_result)) int esxcli_step(
    bool native, unsigned *node, const char *word, const struct cmds_cmd **cmd);

/* Call fn with each word that node's help lists: its namespaces, then its commands. */
void esxcli_words(bool native, unsigned node, void (*fn)(void *ctx, const char *word), void *ctx);

#endif
