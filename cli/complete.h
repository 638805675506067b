/* SPDX-License-Identifier: MIT */
/* The CLI's hidden completion mode, which the bash completion calls (contrib/bash-completion/
 * ipsec6): `ipsec6 --complete -- PROG WORD... CURRENT` prints the words that may stand where
 * CURRENT is, in the grammar that PROG's name chooses. */
#ifndef IPSEC6_CLI_COMPLETE_H
#define IPSEC6_CLI_COMPLETE_H

#include <stddef.h>

/* The first argument that asks for this mode. */
#define COMPLETE_OPTION "--complete"

/* What is printed instead of candidates when CURRENT is a file name (the shell knows those
 * better): this one line. */
#define COMPLETE_FILES "@files"

/* Run the words after COMPLETE_OPTION ("--" first, optionally): the command line up to the
 * cursor, its program name first and the word being completed (perhaps "") last. Prints on
 * standard output, one per line, every candidate that begins with the current word (for
 * "--opt=VALUE", the whole option with each value that begins with VALUE): namespaces,
 * commands, options not yet given, the fixed values of an option, the names of the SAs and
 * policies that the daemon has (none when it does not answer within a few seconds); or
 * COMPLETE_FILES. Nothing when the line has gone wrong before the current word. Returns the
 * exit status: 0, or 1 if standard output could not be written. */
int complete_main(size_t argc, char **argv);

#endif
