// SPDX-License-Identifier: MIT
/* libFuzzer harness for the configuration parser: any bytes are loaded into a fresh database
 * (refusals are fine), then what was loaded must save, load back without a refusal and save to
 * the same text. A difference or a refusal aborts; everything is freed, so leaks are found. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipsec6/conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *
fuzz_save(const struct db *db, size_t *len)
{
	char *text = NULL;

	if (conf_save(db, &text, len) != 0)
		abort(); /* only ENOMEM, which the fuzzer's limits do not reach */
	return text;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct db *db = db_new(CRYPTO_BACKEND_OPENSSL);
	struct db *again = db_new(CRYPTO_BACKEND_OPENSSL);
	struct err err = { "" };
	char *text, *text2;
	size_t len, len2;

	if (db == NULL || again == NULL)
		abort();
	/* Refusals are expected; the database keeps the lines before the bad one. */
	(void)conf_load(db, (const char *)data, size, NULL);
	text = fuzz_save(db, &len);
	if (conf_load(again, text, len, &err) != 0) {
		fprintf(stderr, "saved text does not load: %s\n%s", err.msg, text);
		abort();
	}
	text2 = fuzz_save(again, &len2);
	if (len != len2 || memcmp(text, text2, len) != 0) {
		fprintf(stderr, "save(load(save(x))) differs:\n%s---\n%s", text, text2);
		abort();
	}
	free(text);
	free(text2);
	db_free(db);
	db_free(again);
	return 0;
}
