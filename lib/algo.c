// SPDX-License-Identifier: MIT
/* The algorithm table (RFC 2410, 2451, 3602, 2404, 4868). */
#include "ipsec6/algo.h"

#include <errno.h>
#include <string.h>

static const struct algo_enc_info enc_table[ALGO_ENC__COUNT] = {
	[ALGO_ENC_NULL] = { "null", "NULL", 0, 1, 0 },
	[ALGO_ENC_3DES_CBC] = { "3des-cbc", "TripleDES-CBC [RFC2451]", 24, 8, 8 },
	[ALGO_ENC_AES128_CBC] = { "aes128-cbc", "AES-CBC [RFC3602]", 16, 16, 16 },
};

static const struct algo_auth_info auth_table[ALGO_AUTH__COUNT] = {
	[ALGO_AUTH_HMAC_SHA1] = { "hmac-sha1", "HMAC-SHA-1-96 [RFC2404]", 20, 12, 20 },
	[ALGO_AUTH_HMAC_SHA256] = { "hmac-sha2-256", "HMAC-SHA-256-128 [RFC4868]", 32, 16, 32 },
};

const struct algo_enc_info *
algo_enc_info(enum algo_enc enc)
{
	return &enc_table[enc];
}

const struct algo_auth_info *
algo_auth_info(enum algo_auth auth)
{
	return &auth_table[auth];
}

int
algo_enc_lookup(const char *name, enum algo_enc *out)
{
	for (unsigned i = 0; i < ALGO_ENC__COUNT; i++) {
		if (strcmp(name, enc_table[i].name) == 0) {
			*out = (enum algo_enc)i;
			return 0;
		}
	}
	return -ENOENT;
}

int
algo_auth_lookup(const char *name, enum algo_auth *out)
{
	for (unsigned i = 0; i < ALGO_AUTH__COUNT; i++) {
		if (strcmp(name, auth_table[i].name) == 0) {
			*out = (enum algo_auth)i;
			return 0;
		}
	}
	return -ENOENT;
}
