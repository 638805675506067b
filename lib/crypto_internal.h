/* SPDX-License-Identifier: MIT */
/* Private to crypto.c, crypto_openssl.c and crypto_ipsecmb.c: the common heads of contexts and
 * keys that each backend extends, the locked key memory, and the backend entry points that
 * crypto.c dispatches to after validating its arguments. */
#ifndef IPSEC6_CRYPTO_INTERNAL_H
#define IPSEC6_CRYPTO_INTERNAL_H

#include <errno.h>
#include <openssl/types.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ipsec6/algo.h"
#include "ipsec6/bytes.h"
#include "ipsec6/crypto.h"
#include "ipsec6/err.h"
#include "ipsec6/secret.h"

/* The largest digest and HMAC block of any algorithm (SHA-512). */
#define CRYPTO_DIGEST_MAX     64
#define CRYPTO_HMAC_BLOCK_MAX 128

/* First member of each backend's context; the backend's struct begins with it. Contexts live
 * in key memory (secret_mem_alloc()): their working states derive from keys. */
struct crypto_ctx {
	enum crypto_backend backend; /* concrete, never AUTO */
};

/* First member of each backend's key. The whole key lives in one allocation from
 * secret_mem_alloc() of alloc_len bytes. */
struct crypto_key {
	enum crypto_backend backend; /* concrete, never AUTO */
	enum algo_enc enc;
	enum algo_auth auth;
	uint32_t icv_len;   /* algo_icv_len(enc, auth) */
	uint32_t block_len; /* algo_enc_info(enc)->block_len, a power of two */
	uint8_t aead;       /* algo_enc_is_aead(enc) */
	uint64_t serial;    /* unique for the life of the process; never 0 */
	size_t alloc_len;
};

/* RFC 4106: the salt of a combined mode key, and the nonce it makes with an 8-byte IV. */
#define CRYPTO_SALT_LEN  4
#define CRYPTO_NONCE_LEN 12
#define CRYPTO_AAD_MAX   12 /* SPI, ESN high half, sequence number */
#define CRYPTO_GCM_TAG   16

/* A request of crypto_hmac() or crypto_cipher(), checked by crypto.c. */
struct crypto_hmac_req {
	enum algo_auth auth;
	const uint8_t *key;
	size_t key_len;
	const uint8_t *msg;
	size_t len;
	uint8_t *digest;
};

struct crypto_cipher_req {
	enum algo_enc enc; /* never ALGO_ENC_NULL */
	const uint8_t *key;
	const uint8_t *iv;
	const uint8_t *in;
	uint8_t *out;
	size_t len; /* a non-zero multiple of the block */
	int encrypt;
};

/* RFC 2104 section 2, for both backends: K0 is the key, hashed first (by hash, the backend's
 * plain hash of auth's function into digest_len bytes, 0 or a negative errno) when it is
 * longer than the hash's block B, then padded with zeros to B bytes; ipad gets K0 ^ 0x36... and
 * opad K0 ^ 0x5c..., B bytes each, from which the inner and outer hashes start (section 4: the
 * two states an HMAC key comes down to). Temporaries are wiped. Returns 0 or hash's error. */
__attribute__((warn_unused_result)) int crypto_hmac_blocks(enum algo_auth auth, const uint8_t *key,
    size_t key_len,
    int (*hash)(void *arg, enum algo_auth auth, const uint8_t *msg, size_t len, uint8_t *digest),
    void *arg, uint8_t ipad[CRYPTO_HMAC_BLOCK_MAX], uint8_t opad[CRYPTO_HMAC_BLOCK_MAX]);

/* A new key serial: unique, increasing, never 0. Thread-safe. */
uint64_t crypto_key_serial_next(void);

/* The head every backend's key_new fills alike: backend, algorithms, ICV length, serial. */
void crypto_key_head(struct crypto_key *key, enum crypto_backend backend, enum algo_enc enc,
    enum algo_auth auth, size_t alloc_len);

/* RFC 4106 section 5 (and RFC 4303 section 2.2.1): the AAD of a combined mode op, SPI and
 * sequence number from the ESP header at auth_off, with the high half of an extended sequence
 * number between them. Writes aad and returns its length, 8 or 12. Data path. */
static inline size_t
crypto_op_aad(const struct crypto_op *op, uint8_t aad[CRYPTO_AAD_MAX])
{
	const uint8_t *esp = op->buf + op->auth_off;

	memcpy(aad, esp, 4);
	if (!op->esn) {
		memcpy(aad + 4, esp + 4, 4);
		return 8;
	}
	store_be32(aad + 4, op->seq_hi);
	memcpy(aad + 8, esp + 4, 4);
	return 12;
}

/* RFC 4106 section 4: the nonce is the salt and the packet's 8-byte IV. */
static inline void
crypto_gcm_nonce(const uint8_t *salt, const uint8_t *iv, uint8_t nonce[CRYPTO_NONCE_LEN])
{
	memcpy(nonce, salt, CRYPTO_SALT_LEN);
	memcpy(nonce + CRYPTO_SALT_LEN, iv, CRYPTO_NONCE_LEN - CRYPTO_SALT_LEN);
}

/* Check the data-path constraints every backend shares: the key belongs to backend, the cipher
 * region is a whole number of blocks (a combined mode: not empty), and a combined mode's auth
 * region holds the ESP header. Returns 0 or -EINVAL. Inline, as the two above: every op of
 * every burst passes here. */
__attribute__((warn_unused_result)) static inline int
crypto_op_check(const struct crypto_op *op, enum crypto_backend backend)
{
	if (op->key == NULL || op->key->backend != backend || op->buf == NULL || op->icv == NULL ||
	    op->auth_len == 0 || (uint64_t)op->auth_off + op->auth_len > UINT32_MAX)
		return -EINVAL;
	if (op->key->enc == ALGO_ENC_NULL)
		return 0;
	/* RFC 4303 section 2.4 with RFC 2451/3602: CBC works on whole blocks and needs the IV;
	 * RFC 4106: GCM needs the IV and the ESP header (its AAD) in the auth region. */
	if (op->iv == NULL || op->cipher_len == 0 ||
	    (op->cipher_len & (op->key->block_len - 1)) != 0 ||
	    (uint64_t)op->cipher_off + op->cipher_len > UINT32_MAX ||
	    (op->key->aead && op->auth_len < 8))
		return -EINVAL;
	return 0;
}

/* OpenSSL backend (crypto_openssl.c). Arguments are already validated. */
__attribute__((warn_unused_result)) int crypto_openssl_ctx_new(
    struct crypto_ctx **out, struct err *err);
void crypto_openssl_ctx_free(struct crypto_ctx *ctx);
__attribute__((warn_unused_result)) int crypto_openssl_key_new(enum algo_enc enc,
    const uint8_t *enc_key, enum algo_auth auth, const uint8_t *auth_key, struct crypto_key **out,
    struct err *err);
void crypto_openssl_key_free(struct crypto_key *key);
void crypto_openssl_encrypt_burst(struct crypto_ctx *ctx, struct crypto_op *ops, size_t n);
void crypto_openssl_decrypt_burst(struct crypto_ctx *ctx, struct crypto_op *ops, size_t n);
__attribute__((warn_unused_result)) int crypto_openssl_hmac(
    struct crypto_ctx *ctx, const struct crypto_hmac_req *req);
__attribute__((warn_unused_result)) int crypto_openssl_cipher(
    struct crypto_ctx *ctx, const struct crypto_cipher_req *req);
__attribute__((warn_unused_result)) int crypto_openssl_aead(
    struct crypto_ctx *ctx, const struct crypto_aead_req *req);
/* A cipher context for enc (not null) and one direction: CBC with padding off (ESP pads itself,
 * RFC 4303 section 2.4, and hands over whole blocks), or GCM. The ipsec-mb backend's 3DES
 * fallback uses it too. NULL on ENOMEM; the caller frees it with EVP_CIPHER_CTX_free(). */
EVP_CIPHER_CTX *crypto_openssl_cipher_ctx_new(enum algo_enc enc, int encrypt);
/* Overwrite the key schedule (GCM: and hash key) in cc with that of an all-zero key: what a
 * context holds once a burst is over, so that no SA's schedule outlives the burst that used it
 * (issue 8). The context stays usable. Returns 0, or -EIO if OpenSSL refused (cc then still holds
 * the key). */
__attribute__((warn_unused_result)) int crypto_openssl_cipher_forget(EVP_CIPHER_CTX *cc);

/* intel-ipsec-mb backend (crypto_ipsecmb.c). Arguments are already validated. */

/* Whether this CPU and library can run the backend (AES-NI, at least the SSE code path).
 * Returns 0, or -ENOTSUP / -ENOMEM with a reason. Thread-safe; probes once. */
__attribute__((warn_unused_result)) int crypto_ipsecmb_probe(struct err *err);
__attribute__((warn_unused_result)) int crypto_ipsecmb_ctx_new(
    struct crypto_ctx **out, struct err *err);
void crypto_ipsecmb_ctx_free(struct crypto_ctx *ctx);
__attribute__((warn_unused_result)) int crypto_ipsecmb_key_new(enum algo_enc enc,
    const uint8_t *enc_key, enum algo_auth auth, const uint8_t *auth_key, struct crypto_key **out,
    struct err *err);
void crypto_ipsecmb_key_free(struct crypto_key *key);
void crypto_ipsecmb_encrypt_burst(struct crypto_ctx *ctx, struct crypto_op *ops, size_t n);
void crypto_ipsecmb_decrypt_burst(struct crypto_ctx *ctx, struct crypto_op *ops, size_t n);
/* For tests: run 3DES through the manager's jobs (native != 0) or through OpenSSL beside the
 * HMAC jobs (0). The default is native only on the AVX-512 code path; see crypto_ipsecmb.c. */
void crypto_ipsecmb_set_des3_native(struct crypto_ctx *ctx, int native);
__attribute__((warn_unused_result)) int crypto_ipsecmb_hmac(
    struct crypto_ctx *ctx, const struct crypto_hmac_req *req);
__attribute__((warn_unused_result)) int crypto_ipsecmb_cipher(
    struct crypto_ctx *ctx, const struct crypto_cipher_req *req);
__attribute__((warn_unused_result)) int crypto_ipsecmb_aead(
    struct crypto_ctx *ctx, const struct crypto_aead_req *req);

#endif
