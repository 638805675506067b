// SPDX-License-Identifier: MIT
/* ipsec6, the command-line front end of ipsec6d. One binary, three grammars chosen by the name
 * it is invoked by (CLI.md "Entry points"): esxcli, vicfg-ipsec, and anything else is the
 * native ipsec6. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "complete.h"
#include "esxcli.h"
#include "keys.h"
#include "relay.h"
#include "vicfg.h"

int
main(int argc, char **argv)
{
	struct cli cli = { .width = CLI_WIDTH_DEFAULT, .format = OUT_TABLE };
	char **args;
	const char *slash;
	int status;

	if (argc < 1)
		return 1;
	/* What ssh runs on the host of a remote command (relay.h): no grammar, no output but
	 * the answer. */
	if (argc == 2 && strcmp(argv[1], "--relay") == 0)
		return relay_main();
	/* First thing: keys given on the command line leave the process list. */
	args = keys_argv_copy(argc, argv);
	if (args == NULL) {
		(void)fputs("ipsec6: out of memory\n", stderr);
		return 1;
	}
	slash = strrchr(args[0], '/');
	cli.prog = slash != NULL ? slash + 1 : args[0];
	if (argc > 1 && strcmp(args[1], COMPLETE_OPTION) == 0) {
		status = complete_main((size_t)argc - 2, args + 2);
	} else if (strcmp(cli.prog, "vicfg-ipsec") == 0) {
		status = vicfg_main(&cli, (size_t)argc - 1, args + 1);
	} else {
		cli.native = strcmp(cli.prog, "esxcli") != 0;
		status = esxcli_main(&cli, (size_t)argc - 1, args + 1);
	}
	status = cli_finish(&cli, status);
	keys_argv_free(argc, args);
	return status;
}
