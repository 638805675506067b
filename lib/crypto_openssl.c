// SPDX-License-Identifier: MIT
/* The OpenSSL 3 (EVP) backend, the portable reference. Each key carries its HMAC inner and outer
 * digest states, computed once (RFC 2104 section 4), so a packet costs two state copies and its
 * own bytes; the per-thread context keeps one CBC context per algorithm and direction and
 * reloads a key only when the key changes, and otherwise sets just the IV. */
#include <errno.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "crypto_internal.h"
#include "ipsec6/bytes.h"

#define OSSL_CIPHER_KEY_MAX 24 /* 3DES */

struct ossl_ctx {
	struct crypto_ctx base;
	/* [enc][encrypt]: NULL for ALGO_ENC_NULL. Shared keys are never written to: the working
	 * CBC state lives here, one per thread, and loaded[][] names the key it holds. */
	EVP_CIPHER_CTX *cipher[ALGO_ENC__COUNT][2];
	uint64_t loaded[ALGO_ENC__COUNT][2]; /* key serial, 0 = none */
	EVP_MD_CTX *md;                      /* one HMAC in progress */
};

struct ossl_key {
	struct crypto_key base;
	EVP_MD_CTX *inner; /* after absorbing K ^ ipad; read-only once built */
	EVP_MD_CTX *outer; /* after absorbing K ^ opad */
	uint8_t cipher_key[OSSL_CIPHER_KEY_MAX];
};

static const char *const ossl_cipher_names[ALGO_ENC__COUNT] = {
	[ALGO_ENC_NULL] = NULL,
	[ALGO_ENC_3DES_CBC] = "DES-EDE3-CBC",
	[ALGO_ENC_AES128_CBC] = "AES-128-CBC",
};

static const EVP_MD *
ossl_md(enum algo_auth auth)
{
	switch (auth) {
	case ALGO_AUTH_HMAC_SHA1:
		return EVP_sha1();
	case ALGO_AUTH_HMAC_SHA256:
		return EVP_sha256();
	case ALGO_AUTH__COUNT:
		break;
	}
	return NULL;
}

static struct ossl_ctx *
ossl_ctx_of(struct crypto_ctx *ctx)
{
	return (struct ossl_ctx *)ctx;
}

EVP_CIPHER_CTX *
crypto_openssl_cipher_ctx_new(enum algo_enc enc, int encrypt)
{
	EVP_CIPHER *cipher = EVP_CIPHER_fetch(NULL, ossl_cipher_names[enc], NULL);
	EVP_CIPHER_CTX *cc = EVP_CIPHER_CTX_new();

	if (cipher == NULL || cc == NULL ||
	    EVP_CipherInit_ex2(cc, cipher, NULL, NULL, encrypt, NULL) != 1 ||
	    EVP_CIPHER_CTX_set_padding(cc, 0) != 1) {
		EVP_CIPHER_CTX_free(cc);
		cc = NULL;
	}
	EVP_CIPHER_free(cipher); /* the context holds its own reference */
	return cc;
}

int
crypto_openssl_ctx_new(struct crypto_ctx **out, struct err *err)
{
	struct ossl_ctx *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return err_set(err, ENOMEM, "out of memory for an OpenSSL crypto context");
	c->base.backend = CRYPTO_BACKEND_OPENSSL;
	c->md = EVP_MD_CTX_new();
	if (c->md == NULL)
		goto fail;
	for (unsigned e = ALGO_ENC_NULL + 1; e < ALGO_ENC__COUNT; e++) {
		for (int dir = 0; dir < 2; dir++) {
			c->cipher[e][dir] = crypto_openssl_cipher_ctx_new((enum algo_enc)e, dir);
			if (c->cipher[e][dir] == NULL)
				goto fail;
		}
	}
	*out = &c->base;
	return 0;
fail:
	crypto_openssl_ctx_free(&c->base);
	return err_set(err, ENOMEM, "OpenSSL could not set up its ciphers and digests");
}

void
crypto_openssl_ctx_free(struct crypto_ctx *ctx)
{
	struct ossl_ctx *c = ossl_ctx_of(ctx);

	for (unsigned e = 0; e < ALGO_ENC__COUNT; e++) {
		EVP_CIPHER_CTX_free(c->cipher[e][0]);
		EVP_CIPHER_CTX_free(c->cipher[e][1]);
	}
	EVP_MD_CTX_free(c->md);
	free(c);
}

/* RFC 2104 section 2: a key longer than the block B is hashed first; K is then padded with
 * zeros to B bytes, and the two states start from K ^ ipad and K ^ opad. */
static int
ossl_hmac_prepare(
    const EVP_MD *md, const uint8_t *key, size_t key_len, EVP_MD_CTX *inner, EVP_MD_CTX *outer)
{
	uint8_t k[CRYPTO_HMAC_BLOCK_MAX] = { 0 };
	uint8_t pad[CRYPTO_HMAC_BLOCK_MAX];
	size_t block = (size_t)EVP_MD_get_block_size(md);
	int ok = block <= sizeof(k);

	if (ok && key_len > block)
		ok = EVP_Digest(key, key_len, k, NULL, md, NULL) == 1;
	else if (ok && key_len > 0)
		memcpy(k, key, key_len);
	for (size_t i = 0; ok && i < block; i++)
		pad[i] = (uint8_t)(k[i] ^ 0x36);
	ok = ok && EVP_DigestInit_ex(inner, md, NULL) == 1 &&
	    EVP_DigestUpdate(inner, pad, block) == 1;
	for (size_t i = 0; ok && i < block; i++)
		pad[i] = (uint8_t)(k[i] ^ 0x5c);
	ok = ok && EVP_DigestInit_ex(outer, md, NULL) == 1 &&
	    EVP_DigestUpdate(outer, pad, block) == 1;
	explicit_bzero(k, sizeof(k));
	explicit_bzero(pad, sizeof(pad));
	return ok ? 0 : -EIO;
}

/* HMAC of msg from the prepared states into digest (the full digest length). */
static int
ossl_hmac_finish(EVP_MD_CTX *work, const EVP_MD_CTX *inner, const EVP_MD_CTX *outer,
    const uint8_t *msg, size_t len, uint8_t *digest)
{
	uint8_t ihash[EVP_MAX_MD_SIZE];
	unsigned int ilen = 0;
	int ok;

	ok = EVP_MD_CTX_copy_ex(work, inner) == 1 && EVP_DigestUpdate(work, msg, len) == 1 &&
	    EVP_DigestFinal_ex(work, ihash, &ilen) == 1 && EVP_MD_CTX_copy_ex(work, outer) == 1 &&
	    EVP_DigestUpdate(work, ihash, ilen) == 1 && EVP_DigestFinal_ex(work, digest, NULL) == 1;
	explicit_bzero(ihash, sizeof(ihash));
	return ok ? 0 : -EIO;
}

int
crypto_openssl_key_new(enum algo_enc enc, const uint8_t *enc_key, enum algo_auth auth,
    const uint8_t *auth_key, struct crypto_key **out, struct err *err)
{
	struct ossl_key *k = secret_mem_alloc(sizeof(*k));
	size_t ek_len = algo_enc_info(enc)->key_len;

	if (k == NULL)
		return err_set(err, ENOMEM, "out of memory for key material");
	k->base.backend = CRYPTO_BACKEND_OPENSSL;
	k->base.enc = enc;
	k->base.auth = auth;
	k->base.serial = crypto_key_serial_next();
	k->base.alloc_len = sizeof(*k);
	if (ek_len > sizeof(k->cipher_key))
		goto fail;
	if (ek_len > 0)
		memcpy(k->cipher_key, enc_key, ek_len);
	k->inner = EVP_MD_CTX_new();
	k->outer = EVP_MD_CTX_new();
	if (k->inner == NULL || k->outer == NULL ||
	    ossl_hmac_prepare(
		ossl_md(auth), auth_key, algo_auth_info(auth)->key_len, k->inner, k->outer) != 0)
		goto fail;
	*out = &k->base;
	return 0;
fail:
	crypto_openssl_key_free(&k->base);
	return err_set(
	    err, ENOMEM, "OpenSSL could not set up the %s key", algo_auth_info(auth)->name);
}

void
crypto_openssl_key_free(struct crypto_key *key)
{
	struct ossl_key *k = (struct ossl_key *)key;

	/* The digest providers wipe their state when freed (OPENSSL_clear_free). */
	EVP_MD_CTX_free(k->inner);
	EVP_MD_CTX_free(k->outer);
	secret_mem_free(k, key->alloc_len);
}

/* The working CBC context for enc and direction, holding key and iv. A key with a non-zero
 * serial already loaded is not expanded again: only the IV is set. NULL on error. */
static EVP_CIPHER_CTX *
ossl_cipher_ready(struct ossl_ctx *c, enum algo_enc enc, int encrypt, uint64_t serial,
    const uint8_t *key, const uint8_t *iv)
{
	EVP_CIPHER_CTX *cc = c->cipher[enc][encrypt];
	const uint8_t *load = serial != 0 && c->loaded[enc][encrypt] == serial ? NULL : key;

	c->loaded[enc][encrypt] = 0; /* until the load below has worked */
	if (EVP_CipherInit_ex(cc, NULL, NULL, load, iv, -1) != 1)
		return NULL;
	c->loaded[enc][encrypt] = serial;
	return cc;
}

static int
ossl_cipher_update(EVP_CIPHER_CTX *cc, const uint8_t *in, uint8_t *out, size_t len)
{
	int outl = 0;

	if (len > INT_MAX)
		return -EINVAL;
	/* Padding is off, so CBC on whole blocks yields exactly len bytes. */
	if (EVP_CipherUpdate(cc, out, &outl, in, (int)len) != 1 || outl != (int)len)
		return -EIO;
	return 0;
}

/* CBC over the op's cipher region in place. */
static int
ossl_op_cipher(struct ossl_ctx *c, const struct crypto_op *op, int encrypt)
{
	const struct ossl_key *k = (const struct ossl_key *)op->key;
	uint8_t *region = op->buf + op->cipher_off;
	EVP_CIPHER_CTX *cc;

	cc = ossl_cipher_ready(c, k->base.enc, encrypt, k->base.serial, k->cipher_key, op->iv);
	if (cc == NULL)
		return -EIO;
	return ossl_cipher_update(cc, region, region, op->cipher_len);
}

static enum crypto_status
ossl_encrypt_one(struct ossl_ctx *c, struct crypto_op *op)
{
	const struct ossl_key *k = (const struct ossl_key *)op->key;
	uint8_t digest[EVP_MAX_MD_SIZE];

	if (crypto_op_check(op, CRYPTO_BACKEND_OPENSSL) != 0)
		return CRYPTO_FAILED;
	if (k->base.enc != ALGO_ENC_NULL && ossl_op_cipher(c, op, 1) != 0)
		return CRYPTO_FAILED;
	/* RFC 4303 section 3.3.4: the ICV covers ESP header, IV and ciphertext. */
	if (ossl_hmac_finish(
		c->md, k->inner, k->outer, op->buf + op->auth_off, op->auth_len, digest) != 0)
		return CRYPTO_FAILED;
	memcpy(op->icv, digest, algo_auth_info(k->base.auth)->icv_len);
	explicit_bzero(digest, sizeof(digest));
	return CRYPTO_OK;
}

static enum crypto_status
ossl_decrypt_one(struct ossl_ctx *c, struct crypto_op *op)
{
	const struct ossl_key *k = (const struct ossl_key *)op->key;
	uint8_t digest[EVP_MAX_MD_SIZE];
	int differ;

	if (crypto_op_check(op, CRYPTO_BACKEND_OPENSSL) != 0)
		return CRYPTO_FAILED;
	if (ossl_hmac_finish(
		c->md, k->inner, k->outer, op->buf + op->auth_off, op->auth_len, digest) != 0)
		return CRYPTO_FAILED;
	/* RFC 4303 section 3.4.4.1: compare the truncated ICV in constant time, before any
	 * decryption, so that a forged packet is never decrypted. */
	differ = bytes_ct_differ(digest, op->icv, algo_auth_info(k->base.auth)->icv_len);
	explicit_bzero(digest, sizeof(digest));
	if (differ)
		return CRYPTO_BAD_ICV;
	if (k->base.enc != ALGO_ENC_NULL && ossl_op_cipher(c, op, 0) != 0) {
		/* Leave no partial plaintext behind. */
		explicit_bzero(op->buf + op->cipher_off, op->cipher_len);
		return CRYPTO_FAILED;
	}
	return CRYPTO_OK;
}

void
crypto_openssl_encrypt_burst(struct crypto_ctx *ctx, struct crypto_op *ops, size_t n)
{
	struct ossl_ctx *c = ossl_ctx_of(ctx);

	for (size_t i = 0; i < n; i++)
		ops[i].status = ossl_encrypt_one(c, &ops[i]);
}

void
crypto_openssl_decrypt_burst(struct crypto_ctx *ctx, struct crypto_op *ops, size_t n)
{
	struct ossl_ctx *c = ossl_ctx_of(ctx);

	for (size_t i = 0; i < n; i++)
		ops[i].status = ossl_decrypt_one(c, &ops[i]);
}

int
crypto_openssl_hmac(struct crypto_ctx *ctx, const struct crypto_hmac_req *req)
{
	struct ossl_ctx *c = ossl_ctx_of(ctx);
	EVP_MD_CTX *inner = EVP_MD_CTX_new();
	EVP_MD_CTX *outer = EVP_MD_CTX_new();
	int rc = -ENOMEM;

	if (inner != NULL && outer != NULL) {
		rc = ossl_hmac_prepare(ossl_md(req->auth), req->key, req->key_len, inner, outer);
		if (rc == 0)
			rc = ossl_hmac_finish(c->md, inner, outer, req->msg, req->len, req->digest);
	}
	EVP_MD_CTX_free(inner);
	EVP_MD_CTX_free(outer);
	return rc;
}

int
crypto_openssl_cipher(struct crypto_ctx *ctx, const struct crypto_cipher_req *req)
{
	struct ossl_ctx *c = ossl_ctx_of(ctx);
	int encrypt = req->encrypt != 0;
	EVP_CIPHER_CTX *cc;

	/* Serial 0: load this raw key, and make the next data-path op load its own again. */
	cc = ossl_cipher_ready(c, req->enc, encrypt, 0, req->key, req->iv);
	if (cc == NULL)
		return -EIO;
	return ossl_cipher_update(cc, req->in, req->out, req->len);
}
