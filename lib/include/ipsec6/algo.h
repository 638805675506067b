/* SPDX-License-Identifier: MIT */
/* The algorithm table: names as the CLI spells them, key, block, IV and ICV sizes, and the
 * names Wireshark uses; and the key rules that follow from it, stated here once for the CLI,
 * the SAD and the crypto backends alike. Adding an algorithm is a new row here and a backend
 * operation in crypto, nothing else. */
#ifndef IPSEC6_ALGO_H
#define IPSEC6_ALGO_H

#include <stddef.h>

#include "ipsec6/err.h"

enum algo_enc {
	ALGO_ENC_NULL,         /* RFC 2410 */
	ALGO_ENC_3DES_CBC,     /* RFC 2451 */
	ALGO_ENC_AES128_CBC,   /* RFC 3602 */
	ALGO_ENC_AES256_CBC,   /* RFC 3602 */
	ALGO_ENC_AES128_GCM16, /* RFC 4106, 16-byte ICV: combined mode, no integrity algorithm */
	ALGO_ENC_AES256_GCM16, /* RFC 4106 */
	ALGO_ENC__COUNT
};

enum algo_auth {
	ALGO_AUTH_HMAC_SHA1,   /* HMAC-SHA-1-96, RFC 2404 */
	ALGO_AUTH_HMAC_SHA256, /* HMAC-SHA-256-128, RFC 4868 */
	ALGO_AUTH_HMAC_SHA384, /* HMAC-SHA-384-192, RFC 4868 */
	ALGO_AUTH_HMAC_SHA512, /* HMAC-SHA-512-256, RFC 4868 */
	ALGO_AUTH_NONE,        /* with a combined mode cipher, which protects integrity itself */
	ALGO_AUTH__COUNT
};

struct algo_enc_info {
	const char *name;      /* CLI name: "null", "3des-cbc", "aes128-cbc", ... */
	const char *wireshark; /* Wireshark esp_sa name: "NULL", "TripleDES-CBC [RFC2451]", ... */
	size_t key_len;        /* bytes, salt included; 0 for null */
	size_t block_len;      /* what the payload is padded to (before ESP's 4 bytes); 1: none */
	size_t iv_len;         /* bytes carried in each packet; 0 for null */
	size_t salt_len;       /* combined mode: the key's last salt_len bytes are the salt */
	size_t icv_len;        /* combined mode (AEAD): its ICV; 0 for a cipher without one */
};

struct algo_auth_info {
	const char *name;      /* CLI name: "hmac-sha1", "hmac-sha2-256", ...; "" for none */
	const char *wireshark; /* "HMAC-SHA-1-96 [RFC2404]", "HMAC-SHA-384-192 [RFC4868]", ... */
	size_t key_len;        /* bytes; 0 for none */
	size_t icv_len;        /* truncated ICV carried in each packet, bytes */
	size_t digest_len;     /* full digest, bytes */
	size_t block_len;      /* the hash's block, B of RFC 2104 */
};

/* Row of the table; enc/auth must be a valid enumerator. Never NULL. */
const struct algo_enc_info *algo_enc_info(enum algo_enc enc);
const struct algo_auth_info *algo_auth_info(enum algo_auth auth);

/* Whether enc is a combined mode (AEAD) cipher: it takes no integrity algorithm and carries
 * its own ICV (RFC 4303 section 3.2). */
static inline int
algo_enc_is_aead(enum algo_enc enc)
{
	return algo_enc_info(enc)->icv_len != 0;
}

/* The ICV an SA of enc and auth carries: the combined mode's, else the integrity
 * algorithm's. */
size_t algo_icv_len(enum algo_enc enc, enum algo_auth auth);

/* Look a CLI name up (exact, lower case). Returns 0 and sets *out, or -EINVAL with "invalid
 * encryption algorithm 'x': use null, 3des-cbc, ..." (integrity alike; ALGO_AUTH_NONE has no
 * name and is never found). */
__attribute__((warn_unused_result)) int algo_enc_lookup(
    const char *name, enum algo_enc *out, struct err *err);
__attribute__((warn_unused_result)) int algo_auth_lookup(
    const char *name, enum algo_auth *out, struct err *err);

/* The key rules of CLI.md "sa add", in one wording for every layer that checks them. A key of
 * len bytes (0: none given) for the algorithm:
 *   "null encryption takes no key"
 *   "aes128-cbc needs an encryption key of 16 bytes"
 *   "encryption key is 15 bytes, aes128-cbc needs 16"
 *   "encryption key is 16 bytes, aes128-gcm16 needs 20: the 16-byte AES key, then the 4-byte
 *    salt (RFC 4106)"
 *   "hmac-sha1 needs an integrity key of 20 bytes"
 *   "integrity key is 19 bytes, hmac-sha1 needs 20"
 * the integrity algorithm against the cipher:
 *   "aes128-gcm16 takes no integrity algorithm: it protects integrity itself (RFC 4106)"
 *   "aes128-gcm16 takes no integrity key"
 *   "aes128-cbc needs an integrity algorithm"
 * and an enumerator out of range: "encryption algorithm 9 is unknown". Returns 0 or -EINVAL
 * with the reason. */
__attribute__((warn_unused_result)) int algo_enc_key_check(
    enum algo_enc enc, size_t len, struct err *err);
__attribute__((warn_unused_result)) int algo_auth_key_check(
    enum algo_enc enc, enum algo_auth auth, size_t len, struct err *err);

/* Both of an SA's keys, encryption first. */
__attribute__((warn_unused_result)) int algo_keys_check(
    enum algo_enc enc, size_t enc_len, enum algo_auth auth, size_t auth_len, struct err *err);

#endif
