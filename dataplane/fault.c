// SPDX-License-Identifier: MIT
/* Injected failures: a file of "NAME [COUNT [SKIP]]" lines, read and removed at the next fault
 * point, so that a test arms a failure exactly when it wants one. */
#include "fault.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

static const char *const fault_names[FAULT__COUNT] = {
	[FAULT_SNAPSHOT] = "snapshot",
	[FAULT_NFT] = "nft",
	[FAULT_SYSCALL] = "syscall",
	[FAULT_DIRSYNC] = "dirsync",
};

static char *fault_file; /* NULL: no faults, nothing read */
static unsigned long fault_skip[FAULT__COUNT];
static unsigned long fault_fail[FAULT__COUNT];

void
fault_init(void)
{
	/* Start-up, one thread. NOLINTNEXTLINE(concurrency-mt-unsafe) */
	const char *path = getenv("IPSEC6D_FAULTS");

	if (path != NULL && path[0] != '\0') {
		fault_file = strdup(path);
		log_warn("injected failures armed by %s (IPSEC6D_FAULTS): for tests only", path);
	}
}

/* "NAME [COUNT [SKIP]]"; a number that does not parse counts as its default. */
static void
fault_line(char *line)
{
	char *save = NULL;
	const char *name = strtok_r(line, " \t\n", &save);
	const char *count_text = strtok_r(NULL, " \t\n", &save);
	const char *skip_text = strtok_r(NULL, " \t\n", &save);
	unsigned long count = count_text != NULL ? strtoul(count_text, NULL, 10) : 1;
	unsigned long skip = skip_text != NULL ? strtoul(skip_text, NULL, 10) : 0;

	if (name == NULL)
		return;
	for (int p = 0; p < FAULT__COUNT; p++) {
		if (strcmp(name, fault_names[p]) == 0) {
			fault_skip[p] += skip;
			fault_fail[p] += count;
			return;
		}
	}
	log_warn("%s: no fault point named '%s'", fault_file, name);
}

static void
fault_read(void)
{
	FILE *f = fopen(fault_file, "re");
	char line[128];

	if (f == NULL)
		return;
	(void)unlink(fault_file);
	while (fgets(line, sizeof(line), f) != NULL)
		fault_line(line);
	(void)fclose(f);
}

bool
fault_hit(enum fault_point p)
{
	if (fault_file == NULL)
		return false;
	fault_read();
	if (fault_skip[p] > 0) {
		fault_skip[p]--;
		return false;
	}
	if (fault_fail[p] == 0)
		return false;
	fault_fail[p]--;
	log_warn("injected failure: %s", fault_names[p]);
	return true;
}
