// SPDX-License-Identifier: MIT
/* The crypto front: backend names and choice, argument checks, locked key memory, and dispatch
 * of bursts (cut to CRYPTO_BURST_MAX) to the OpenSSL or the intel-ipsec-mb backend. */
#include "ipsec6/crypto.h"

#include <errno.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "crypto_internal.h"
#include "ipsec6/bytes.h"
#include "ipsec6/names.h"

static const struct {
	const char *name;
	enum crypto_backend backend;
} backend_names[] = {
	{ "auto", CRYPTO_BACKEND_AUTO },
	{ "openssl", CRYPTO_BACKEND_OPENSSL },
	{ "ipsec-mb", CRYPTO_BACKEND_IPSECMB },
};

static _Atomic uint64_t key_serial;

int
crypto_backend_parse(const char *text, enum crypto_backend *out, struct err *err)
{
	int i;

	if (text == NULL)
		text = "";
	i = names_parse(NAMES_TABLE(backend_names), text, "crypto backend", err);
	if (i < 0)
		return i;
	*out = backend_names[i].backend;
	return 0;
}

const char *
crypto_backend_name(enum crypto_backend backend)
{
	switch (crypto_backend_resolve(backend)) {
	case CRYPTO_BACKEND_OPENSSL:
		return "openssl";
	case CRYPTO_BACKEND_IPSECMB:
		return "ipsec-mb";
	case CRYPTO_BACKEND_AUTO:
		break;
	}
	return "unknown";
}

enum crypto_backend
crypto_backend_resolve(enum crypto_backend backend)
{
	if (backend != CRYPTO_BACKEND_AUTO)
		return backend;
	/* Multi-buffer only pays off with AES-NI; without it OpenSSL is the better choice. */
	return crypto_ipsecmb_probe(NULL) == 0 ? CRYPTO_BACKEND_IPSECMB : CRYPTO_BACKEND_OPENSSL;
}

int
crypto_ctx_new(enum crypto_backend backend, struct crypto_ctx **out, struct err *err)
{
	*out = NULL;
	/* Both backends keep schedules in OpenSSL contexts (ipsec-mb for 3DES without AVX-512). */
	if (!secret_mem_holds_openssl())
		return err_set(err, ENOTRECOVERABLE,
		    "OpenSSL allocated memory before its allocations could be placed in locked "
		    "memory: key schedules would be in the ordinary heap");
	switch (crypto_backend_resolve(backend)) {
	case CRYPTO_BACKEND_OPENSSL:
		return crypto_openssl_ctx_new(out, err);
	case CRYPTO_BACKEND_IPSECMB:
		return crypto_ipsecmb_ctx_new(out, err);
	case CRYPTO_BACKEND_AUTO:
		break;
	}
	return err_set(err, EINVAL, "crypto backend %d is unknown", (int)backend);
}

void
crypto_ctx_free(struct crypto_ctx *ctx)
{
	if (ctx == NULL)
		return;
	switch (ctx->backend) {
	case CRYPTO_BACKEND_OPENSSL:
		crypto_openssl_ctx_free(ctx);
		break;
	case CRYPTO_BACKEND_IPSECMB:
		crypto_ipsecmb_ctx_free(ctx);
		break;
	case CRYPTO_BACKEND_AUTO:
		break;
	}
}

enum crypto_backend
crypto_ctx_backend(const struct crypto_ctx *ctx)
{
	return ctx->backend;
}

/* Seven parameters, as crypto.h fixes them. NOLINTBEGIN(readability-function-size) */
int
crypto_key_new(enum crypto_backend backend, enum algo_enc enc, const struct secret *enc_key,
    enum algo_auth auth, const struct secret *auth_key, struct crypto_key **out, struct err *err)
{
	const uint8_t *ek, *ak;
	int rc;

	*out = NULL;
	rc = algo_keys_check(enc, enc_key != NULL ? enc_key->len : 0, auth,
	    auth_key != NULL ? auth_key->len : 0, err);
	if (rc != 0)
		return rc;
	ek = enc == ALGO_ENC_NULL ? NULL : enc_key->bytes;
	ak = auth == ALGO_AUTH_NONE ? NULL : auth_key->bytes;
	switch (crypto_backend_resolve(backend)) {
	case CRYPTO_BACKEND_OPENSSL:
		return crypto_openssl_key_new(enc, ek, auth, ak, out, err);
	case CRYPTO_BACKEND_IPSECMB:
		return crypto_ipsecmb_key_new(enc, ek, auth, ak, out, err);
	case CRYPTO_BACKEND_AUTO:
		break;
	}
	return err_set(err, EINVAL, "crypto backend %d is unknown", (int)backend);
}

/* NOLINTEND(readability-function-size) */

void
crypto_key_free(struct crypto_key *key)
{
	if (key == NULL)
		return;
	switch (key->backend) {
	case CRYPTO_BACKEND_OPENSSL:
		crypto_openssl_key_free(key);
		break;
	case CRYPTO_BACKEND_IPSECMB:
		crypto_ipsecmb_key_free(key);
		break;
	case CRYPTO_BACKEND_AUTO:
		break;
	}
}

uint64_t
crypto_fingerprint_hash(const struct secret *fp)
{
	uint64_t h;

	memcpy(&h, fp->bytes, sizeof(h));
	return h;
}

struct secret *
crypto_key_fingerprint(enum algo_enc enc, const struct secret *key)
{
	static const char label[] = "ipsec6 AES-GCM key";
	const struct algo_enc_info *ei;
	struct secret *fp;
	EVP_MD_CTX *md;
	unsigned len = 0;
	int ok;

	if ((unsigned)enc >= ALGO_ENC__COUNT || !algo_enc_is_aead(enc) || key == NULL)
		return NULL;
	ei = algo_enc_info(enc);
	if (key->len != ei->key_len)
		return NULL;
	fp = secret_new(CRYPTO_FP_LEN);
	md = EVP_MD_CTX_new();
	ok = fp != NULL && md != NULL && EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1 &&
	    EVP_DigestUpdate(md, label, sizeof(label)) == 1 &&
	    EVP_DigestUpdate(md, key->bytes, ei->key_len - ei->salt_len) == 1 &&
	    EVP_DigestFinal_ex(md, fp->bytes, &len) == 1 && len == CRYPTO_FP_LEN;
	EVP_MD_CTX_free(md);
	if (!ok) {
		secret_free(fp);
		return NULL;
	}
	return fp;
}

struct secret *
crypto_sa_fingerprint(const uint8_t src[16], const uint8_t dst[16], uint32_t spi, enum algo_enc enc,
    const struct secret *enc_key, enum algo_auth auth, const struct secret *auth_key)
{
	static const char label[] = "ipsec6 SA numbering";
	const struct secret *keys[2] = { enc_key, auth_key };
	uint8_t head[16 + 16 + 4];
	/* The algorithms by their names, as the configuration writes them: enum values may move. */
	const char *names[2];
	struct secret *fp;
	EVP_MD_CTX *md;
	unsigned len = 0;
	int ok;

	if ((unsigned)enc >= ALGO_ENC__COUNT || algo_enc_is_aead(enc))
		return NULL;
	memcpy(head, src, 16);
	memcpy(head + 16, dst, 16);
	store_be32(head + 32, spi);
	names[0] = algo_enc_info(enc)->name;
	names[1] = algo_auth_info(auth)->name;
	fp = secret_new(CRYPTO_FP_LEN);
	md = EVP_MD_CTX_new();
	ok = fp != NULL && md != NULL && EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1 &&
	    EVP_DigestUpdate(md, label, sizeof(label)) == 1 &&
	    EVP_DigestUpdate(md, head, sizeof(head)) == 1;
	for (size_t i = 0; ok && i < 2; i++)
		ok = EVP_DigestUpdate(md, names[i], strlen(names[i]) + 1) == 1;
	/* Each key after its length, so that no two pairs of keys hash alike. */
	for (size_t i = 0; ok && i < 2; i++) {
		uint8_t n[4];

		store_be32(n, keys[i] != NULL ? (uint32_t)keys[i]->len : 0);
		ok = EVP_DigestUpdate(md, n, sizeof(n)) == 1 &&
		    (keys[i] == NULL || EVP_DigestUpdate(md, keys[i]->bytes, keys[i]->len) == 1);
	}
	ok = ok && EVP_DigestFinal_ex(md, fp->bytes, &len) == 1 && len == CRYPTO_FP_LEN;
	EVP_MD_CTX_free(md);
	if (!ok) {
		secret_free(fp);
		return NULL;
	}
	return fp;
}

/* One entry for both directions: the backend's burst function, fed in chunks of at most
 * CRYPTO_BURST_MAX ops (the size of the backends' per-op scratch). */
static void
crypto_burst(struct crypto_ctx *ctx, struct crypto_op *ops, size_t n, bool encrypt)
{
	void (*burst)(struct crypto_ctx *, struct crypto_op *, size_t) = NULL;

	switch (ctx->backend) {
	case CRYPTO_BACKEND_OPENSSL:
		burst = encrypt ? crypto_openssl_encrypt_burst : crypto_openssl_decrypt_burst;
		break;
	case CRYPTO_BACKEND_IPSECMB:
		burst = encrypt ? crypto_ipsecmb_encrypt_burst : crypto_ipsecmb_decrypt_burst;
		break;
	case CRYPTO_BACKEND_AUTO:
		break;
	}
	if (burst == NULL)
		return;
	for (size_t done = 0; done < n; done += CRYPTO_BURST_MAX)
		burst(ctx, ops + done, n - done < CRYPTO_BURST_MAX ? n - done : CRYPTO_BURST_MAX);
}

void
crypto_encrypt_burst(struct crypto_ctx *ctx, struct crypto_op *ops, size_t n)
{
	crypto_burst(ctx, ops, n, true);
}

void
crypto_decrypt_burst(struct crypto_ctx *ctx, struct crypto_op *ops, size_t n)
{
	crypto_burst(ctx, ops, n, false);
}

/* The helpers' signatures are fixed by crypto.h (more than six parameters; digest is written
 * through the request). NOLINTBEGIN(readability-function-size,readability-non-const-parameter) */
int
crypto_hmac(struct crypto_ctx *ctx, enum algo_auth auth, const uint8_t *key, size_t key_len,
    const uint8_t *msg, size_t len, uint8_t *digest)
{
	const struct crypto_hmac_req req = { auth, key, key_len, msg, len, digest };

	if (ctx == NULL || (unsigned)auth >= ALGO_AUTH__COUNT || auth == ALGO_AUTH_NONE ||
	    digest == NULL || (key == NULL && key_len != 0) || (msg == NULL && len != 0))
		return -EINVAL;
	switch (ctx->backend) {
	case CRYPTO_BACKEND_OPENSSL:
		return crypto_openssl_hmac(ctx, &req);
	case CRYPTO_BACKEND_IPSECMB:
		return crypto_ipsecmb_hmac(ctx, &req);
	case CRYPTO_BACKEND_AUTO:
		break;
	}
	return -EINVAL;
}

int
crypto_cipher(struct crypto_ctx *ctx, enum algo_enc enc, const uint8_t *key, const uint8_t *iv,
    const uint8_t *in, uint8_t *out, size_t len, int encrypt)
{
	const struct crypto_cipher_req req = { enc, key, iv, in, out, len, encrypt };

	if (ctx == NULL || (unsigned)enc >= ALGO_ENC__COUNT || algo_enc_is_aead(enc) ||
	    in == NULL || out == NULL || len % algo_enc_info(enc)->block_len != 0)
		return -EINVAL;
	if (enc == ALGO_ENC_NULL || len == 0) {
		/* RFC 2410 section 2: NULL encryption is the identity function. */
		memmove(out, in, len);
		return 0;
	}
	if (key == NULL || iv == NULL)
		return -EINVAL;
	switch (ctx->backend) {
	case CRYPTO_BACKEND_OPENSSL:
		return crypto_openssl_cipher(ctx, &req);
	case CRYPTO_BACKEND_IPSECMB:
		return crypto_ipsecmb_cipher(ctx, &req);
	case CRYPTO_BACKEND_AUTO:
		break;
	}
	return -EINVAL;
}

/* NOLINTEND(readability-function-size,readability-non-const-parameter) */

int
crypto_aead(struct crypto_ctx *ctx, const struct crypto_aead_req *req)
{
	if (ctx == NULL || (unsigned)req->enc >= ALGO_ENC__COUNT || !algo_enc_is_aead(req->enc) ||
	    req->key == NULL || req->iv == NULL || req->tag == NULL ||
	    (req->aad == NULL && req->aad_len != 0) ||
	    ((req->in == NULL || req->out == NULL) && req->len != 0) || req->len > INT_MAX ||
	    req->aad_len > INT_MAX)
		return -EINVAL;
	switch (ctx->backend) {
	case CRYPTO_BACKEND_OPENSSL:
		return crypto_openssl_aead(ctx, req);
	case CRYPTO_BACKEND_IPSECMB:
		return crypto_ipsecmb_aead(ctx, req);
	case CRYPTO_BACKEND_AUTO:
		break;
	}
	return -EINVAL;
}

void
crypto_key_head(struct crypto_key *key, enum crypto_backend backend, enum algo_enc enc,
    enum algo_auth auth, size_t alloc_len)
{
	key->backend = backend;
	key->enc = enc;
	key->auth = auth;
	key->icv_len = (uint32_t)algo_icv_len(enc, auth);
	key->block_len = (uint32_t)algo_enc_info(enc)->block_len;
	key->aead = (uint8_t)algo_enc_is_aead(enc);
	key->serial = crypto_key_serial_next();
	key->alloc_len = alloc_len;
}

int
crypto_hmac_blocks(enum algo_auth auth, const uint8_t *key, size_t key_len,
    int (*hash)(void *arg, enum algo_auth auth, const uint8_t *msg, size_t len, uint8_t *digest),
    void *arg, uint8_t ipad[CRYPTO_HMAC_BLOCK_MAX], uint8_t opad[CRYPTO_HMAC_BLOCK_MAX])
{
	size_t block = algo_auth_info(auth)->block_len;
	uint8_t k[CRYPTO_HMAC_BLOCK_MAX] = { 0 };
	int rc = 0;

	if (key_len > block)
		rc = hash(arg, auth, key, key_len, k);
	else if (key_len > 0)
		memcpy(k, key, key_len);
	for (size_t i = 0; i < block; i++) {
		ipad[i] = (uint8_t)(k[i] ^ 0x36);
		opad[i] = (uint8_t)(k[i] ^ 0x5c);
	}
	explicit_bzero(k, sizeof(k));
	return rc;
}

uint64_t
crypto_key_serial_next(void)
{
	return atomic_fetch_add_explicit(&key_serial, 1, memory_order_relaxed) + 1;
}
