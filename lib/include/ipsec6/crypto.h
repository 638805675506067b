/* SPDX-License-Identifier: MIT */
/* One burst interface to the ciphers and MACs of ESP, two implementations: OpenSSL libcrypto
 * (EVP, the portable reference) and intel-ipsec-mb (multi-buffer, many packets in flight).
 * A context belongs to one thread; keys are per SA and per backend. */
#ifndef IPSEC6_CRYPTO_H
#define IPSEC6_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include "ipsec6/algo.h"
#include "ipsec6/err.h"
#include "ipsec6/secret.h"

enum crypto_backend {
	CRYPTO_BACKEND_AUTO,    /* ipsec-mb where the CPU supports it, else OpenSSL */
	CRYPTO_BACKEND_OPENSSL, /* "openssl" */
	CRYPTO_BACKEND_IPSECMB, /* "ipsec-mb" */
};

/* The largest burst a backend accepts in one call. */
#define CRYPTO_BURST_MAX 64

/* Parse "auto", "openssl" or "ipsec-mb". Returns 0 or -EINVAL with "invalid crypto backend
 * 'x': use auto, openssl or ipsec-mb" (text NULL reads as ""). */
__attribute__((warn_unused_result)) int crypto_backend_parse(
    const char *text, enum crypto_backend *out, struct err *err);

/* The backend's name ("openssl", "ipsec-mb"); AUTO resolves first. */
const char *crypto_backend_name(enum crypto_backend backend);

/* AUTO resolved to a concrete backend for this CPU. */
enum crypto_backend crypto_backend_resolve(enum crypto_backend backend);

/* Per-thread state (an IMB_MGR, or EVP contexts), in key memory like the keys: a burst's work
 * derives from them. Between bursts it holds no SA's key schedule or HMAC state, so freeing a
 * key leaves no copy in any context. Owned by the caller; crypto_ctx_free(NULL) is a no-op.
 * Returns 0, or -ENOMEM / -ENOTSUP (ipsec-mb without the CPU features) / -ENOTRECOVERABLE
 * (OpenSSL's allocations are not in key memory: see secret_mem_holds_openssl()) with a
 * reason. */
struct crypto_ctx;
__attribute__((warn_unused_result)) int crypto_ctx_new(
    enum crypto_backend backend, struct crypto_ctx **out, struct err *err);
void crypto_ctx_free(struct crypto_ctx *ctx);
enum crypto_backend crypto_ctx_backend(const struct crypto_ctx *ctx);

/* Expanded key material of one SA for one backend (AES/3DES schedules, GCM hash keys and salt,
 * HMAC inner and outer states), held in locked memory and wiped on free. Keys are copied; the
 * caller keeps its secrets. enc_key is NULL for ALGO_ENC_NULL; auth is ALGO_AUTH_NONE and
 * auth_key NULL for a combined mode cipher (AES-GCM). Returns 0, -EINVAL (the key rules of
 * algo_keys_check()), -ENOMEM. */
struct crypto_key;
__attribute__((warn_unused_result)) int crypto_key_new(enum crypto_backend backend,
    enum algo_enc enc, const struct secret *enc_key, enum algo_auth auth,
    const struct secret *auth_key, struct crypto_key **out, struct err *err);
void crypto_key_free(struct crypto_key *key);

/* The fingerprint of a combined mode key by which ipsec6 recognises it again, in another SA or
 * after its SA was removed: SHA-256 over a fixed label and the AES key (the salt left out, so
 * that one AES key with two salts counts as one), CRYPTO_FP_LEN bytes in a new secret (key
 * memory, like the key it stands for). NULL for any other cipher, or on ENOMEM. Control plane:
 * it allocates. */
#define CRYPTO_FP_LEN 32
struct secret *crypto_key_fingerprint(enum algo_enc enc, const struct secret *key);

/* The fingerprint by which ipsec6 recognises an SA of any other cipher when it is added again
 * (daemon/seq.c: its numbers go on): SHA-256 over another label, the addresses and SPI (which no
 * two SAs share), both algorithms' names and both keys (each after its length), CRYPTO_FP_LEN
 * bytes in a new secret: a format of PATH.seq, which test_crypto pins. NULL for a
 * combined mode (its key's fingerprint serves), or on ENOMEM. Control plane. */
struct secret *crypto_sa_fingerprint(const uint8_t src[16], const uint8_t dst[16], uint32_t spi,
    enum algo_enc enc, const struct secret *enc_key, enum algo_auth auth,
    const struct secret *auth_key);

/* A hash table's hash of a fingerprint: its first 8 bytes, already uniformly spread. */
uint64_t crypto_fingerprint_hash(const struct secret *fp);

enum crypto_status {
	CRYPTO_OK,
	CRYPTO_BAD_ICV, /* decrypt only: ICV mismatch; the buffer is as it was received */
	CRYPTO_FAILED,  /* the backend refused the job (a bug or a misaligned length) */
};

/* The bytes of an ICV: the largest of any algorithm (HMAC-SHA-512-256). */
#define CRYPTO_ICV_MAX 32

/* One ESP packet's worth of work, all offsets relative to buf.
 *   auth region:   [auth_off, auth_off + auth_len)   ESP header, IV and ciphertext; with a
 *                  combined mode (AES-GCM) its first 8 bytes, the ESP header, are the AAD
 *   cipher region: [cipher_off, cipher_off + cipher_len), a multiple of the block size,
 *                  encrypted or decrypted in place
 *   iv:            iv_len bytes (the IV field of the packet)
 *   icv:           icv_len bytes: written on encrypt, compared against on decrypt
 *   esn, seq_hi:   extended sequence numbers (RFC 4303 section 2.2.1): the high 32 bits of
 *                  the sequence number, never sent, are authenticated too: after the auth
 *                  region for an integrity algorithm (RFC 4303 section 3.3.2.1), between SPI
 *                  and sequence number in the AAD of AES-GCM (RFC 4106 section 5) */
struct crypto_op {
	const struct crypto_key *key;
	uint8_t *buf;
	uint32_t auth_off;
	uint32_t auth_len;
	uint32_t cipher_off;
	uint32_t cipher_len;
	const uint8_t *iv;
	uint8_t *icv;
	uint32_t seq_hi;
	uint8_t esn;               /* 0 or 1 */
	enum crypto_status status; /* out */
};

/* Encrypt each op's cipher region in place (CBC with its IV, or AES-GCM with the salt and its
 * IV), then compute the ICV over the auth region (AES-GCM: over the AAD and the ciphertext) and
 * write it at icv. Sets each status. Data path: no allocation; n may be any number, the
 * backend cuts it into bursts of at most CRYPTO_BURST_MAX. */
void crypto_encrypt_burst(struct crypto_ctx *ctx, struct crypto_op *ops, size_t n);

/* Verify each op's ICV in constant time; only where it matches is the plaintext left in the
 * cipher region (verify before decrypt: a forged packet never yields plaintext). CBC: the ICV
 * is checked first and only a packet that passed is decrypted. AES-GCM computes its tag while
 * it decrypts (one pass, as the GCM specification has it); a packet whose tag does not match is
 * encrypted back before the burst returns, so it leaves exactly as it came, as with CBC. Sets
 * each status. Data path: no allocation. */
void crypto_decrypt_burst(struct crypto_ctx *ctx, struct crypto_op *ops, size_t n);

/* Known-answer helpers for test vectors and benchmarks, not the data path. */

/* Full (untruncated) HMAC of msg under a raw key of any length (RFC 2202 uses 80-byte keys)
 * into digest (algo_auth_info(auth)->digest_len bytes). Returns 0 or a negative errno. */
__attribute__((warn_unused_result)) int crypto_hmac(struct crypto_ctx *ctx, enum algo_auth auth,
    const uint8_t *key, size_t key_len, const uint8_t *msg, size_t len, uint8_t *digest);

/* CBC-encrypt (encrypt != 0) or decrypt len bytes (a multiple of the block) from in to out under
 * a raw key of the algorithm's length and the given IV. Returns 0 or a negative errno. */
__attribute__((warn_unused_result)) int crypto_cipher(struct crypto_ctx *ctx, enum algo_enc enc,
    const uint8_t *key, const uint8_t *iv, const uint8_t *in, uint8_t *out, size_t len,
    int encrypt);

/* One AES-GCM operation as RFC 4106 frames it: key is the AES key and then the 4-byte salt
 * (algo_enc_info(enc)->key_len bytes), the nonce is the salt and the 8-byte iv, and the AAD is
 * any aad_len bytes. Encrypting writes the 16-byte tag; decrypting compares it in constant
 * time. */
struct crypto_aead_req {
	enum algo_enc enc; /* a combined mode */
	const uint8_t *key;
	const uint8_t *iv;
	const uint8_t *aad;
	size_t aad_len;
	const uint8_t *in;
	uint8_t *out;
	size_t len;
	uint8_t *tag; /* 16 bytes: written (encrypt) or read (decrypt) */
	int encrypt;
};

/* Returns 0, -EBADMSG (decrypt: the tag does not match; out holds zeros) or another negative
 * errno. */
__attribute__((warn_unused_result)) int crypto_aead(
    struct crypto_ctx *ctx, const struct crypto_aead_req *req);

#endif
