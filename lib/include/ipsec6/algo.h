/* SPDX-License-Identifier: MIT */
/* The algorithm table: names as the CLI spells them, key, block, IV and ICV sizes, and the
 * names Wireshark uses. Adding an algorithm (AES-GCM, say) is a new row here and a backend
 * operation in crypto, nothing else. */
#ifndef IPSEC6_ALGO_H
#define IPSEC6_ALGO_H

#include <stddef.h>

enum algo_enc {
	ALGO_ENC_NULL,       /* RFC 2410 */
	ALGO_ENC_3DES_CBC,   /* RFC 2451 */
	ALGO_ENC_AES128_CBC, /* RFC 3602 */
	ALGO_ENC__COUNT
};

enum algo_auth {
	ALGO_AUTH_HMAC_SHA1,   /* HMAC-SHA-1-96, RFC 2404 */
	ALGO_AUTH_HMAC_SHA256, /* HMAC-SHA-256-128, RFC 4868 */
	ALGO_AUTH__COUNT
};

struct algo_enc_info {
	const char *name;      /* CLI name: "null", "3des-cbc", "aes128-cbc" */
	const char *wireshark; /* Wireshark esp_sa name: "NULL", "TripleDES-CBC [RFC2451]", ... */
	size_t key_len;        /* bytes; 0 for null */
	size_t block_len;      /* cipher block; 1 for null */
	size_t iv_len;         /* bytes carried in each packet; 0 for null */
};

struct algo_auth_info {
	const char *name;      /* CLI name: "hmac-sha1", "hmac-sha2-256" */
	const char *wireshark; /* "HMAC-SHA-1-96 [RFC2404]", "HMAC-SHA-256-128 [RFC4868]" */
	size_t key_len;        /* bytes */
	size_t icv_len;        /* truncated ICV carried in each packet, bytes */
	size_t digest_len;     /* full digest, bytes */
};

/* Row of the table; enc/auth must be a valid enumerator. Never NULL. */
const struct algo_enc_info *algo_enc_info(enum algo_enc enc);
const struct algo_auth_info *algo_auth_info(enum algo_auth auth);

/* Look a CLI name up (exact, lower case). Returns 0 and sets *out, or -ENOENT. */
__attribute__((warn_unused_result)) int algo_enc_lookup(const char *name, enum algo_enc *out);
__attribute__((warn_unused_result)) int algo_auth_lookup(const char *name, enum algo_auth *out);

#endif
