// SPDX-License-Identifier: MIT
/* Name tables: lookup and listing over any array of rows that begin with their name. */
#include "ipsec6/names.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* The name of row i: a pointer to a struct is a pointer to its first member (C11 6.7.2.1). */
static const char *
names_row(const void *rows, size_t stride, size_t i)
{
	const char *const *name =
	    (const char *const *)(const void *)((const char *)rows + i * stride);

	return *name != NULL && (*name)[0] != '\0' ? *name : NULL;
}

int
names_find(const void *rows, size_t n, size_t stride, const char *text)
{
	for (size_t i = 0; i < n; i++) {
		const char *name = names_row(rows, stride, i);

		if (name != NULL && strcmp(name, text) == 0)
			return (int)i;
	}
	return -ENOENT;
}

void
names_join(const void *rows, size_t n, size_t stride, char *buf, size_t size)
{
	size_t named = 0, done = 0, used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n; i++)
		named += names_row(rows, stride, i) != NULL;
	for (size_t i = 0; i < n && used < size; i++) {
		const char *name = names_row(rows, stride, i);
		const char *sep = done == 0 ? "" : done + 1 == named ? " or " : ", ";
		int len;

		if (name == NULL)
			continue;
		len = snprintf(buf + used, size - used, "%s%s", sep, name);
		if (len < 0)
			return;
		used += (size_t)len;
		done++;
	}
}

int
names_parse(
    const void *rows, size_t n, size_t stride, const char *text, const char *what, struct err *err)
{
	char list[256];
	int i = names_find(rows, n, stride, text);

	if (i >= 0)
		return i;
	names_join(rows, n, stride, list, sizeof(list));
	return err_set(err, EINVAL, "invalid %s '%s': use %s", what, text, list);
}

const char *
names_at(const char *const *names, size_t n, size_t i)
{
	return i < n && names[i] != NULL && names[i][0] != '\0' ? names[i] : "?";
}
