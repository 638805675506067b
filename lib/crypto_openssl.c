// SPDX-License-Identifier: MIT
/* The OpenSSL 3 backend, the portable reference. Where its key state lives (issue 8; also
 * doc/dataplane.md, "Key memory"):
 * - HMAC: each key holds its inner and outer SHA-1/SHA-256 states (RFC 2104 section 4) as
 *   values we own, in key memory; a packet copies them into the per-thread working state. EVP
 *   cannot copy a digest state without allocating (a provider digest duplicates its context
 *   on the heap on every EVP_MD_CTX_copy_ex(), so each packet allocated twice and every key's
 *   HMAC states sat in OpenSSL's heap). The states are the low-level SHA_CTX, SHA256_CTX and
 *   SHA512_CTX (SHA-384 is SHA-512 with other initial values and a shorter output),
 *   which the default provider's digests are built on: deprecated since OpenSSL 3.0 but in
 *   every 3.x, and no slower than EVP (measurably faster on small packets).
 * - CBC and GCM: EVP, the only way to AES-NI (the low-level AES_* functions are table-based
 *   and not constant-time) and to OpenSSL's carry-less multiplication GHASH. Its contexts and
 *   their schedules (GCM: and hash key tables) live in memory OpenSSL allocates, which
 *   lib/secret.c routes into key memory with CRYPTO_set_mem_functions(). The per-thread
 *   contexts load a key when it changes within a burst and forget it (overwritten with the
 *   schedule of an all-zero key) when the burst ends, so no schedule outlives the burst that
 *   used it, and none its SA. A GCM key keeps its salt beside the raw AES key. OpenSSL's secure
 * heap was no alternative: only a few objects (BIGNUMs, raw MAC keys) are allocated from it, never
 * cipher or digest contexts. */
/* The low-level SHA functions are deprecated in 3.0, not removed; see above. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <string.h>

#include "crypto_internal.h"
#include "ipsec6/bytes.h"

#define OSSL_CIPHER_KEY_MAX 32 /* AES-256 */

/* RFC 2104 section 2: B, the block of the hashes, as the table has it. */
static_assert(SHA_CBLOCK == 64 && SHA256_CBLOCK == 64 && SHA512_CBLOCK == 128 &&
	SHA512_CBLOCK <= CRYPTO_HMAC_BLOCK_MAX && SHA512_DIGEST_LENGTH <= CRYPTO_DIGEST_MAX,
    "HMAC block size");

/* A SHA-1, SHA-256 or SHA-384/512 state, per the key's algorithm. */
union ossl_sha {
	SHA_CTX sha1;
	SHA256_CTX sha256;
	SHA512_CTX sha512;
};

struct ossl_ctx {
	struct crypto_ctx base;
	/* [enc][encrypt]: NULL for ALGO_ENC_NULL. Shared keys are never written to: the working
	 * CBC state lives here, one per thread; loaded[][] names the key it holds and keyed[][]
	 * says that it holds one until the burst ends. */
	EVP_CIPHER_CTX *cipher[ALGO_ENC__COUNT][2];
	uint64_t loaded[ALGO_ENC__COUNT][2]; /* key serial, 0 = none */
	uint8_t keyed[ALGO_ENC__COUNT][2];
	union ossl_sha work; /* the HMAC in progress */
};

/* RFC 2104 section 4: the two states an HMAC key comes down to. */
struct ossl_hmac {
	enum algo_auth auth;
	union ossl_sha inner; /* after absorbing K ^ ipad; read-only once built */
	union ossl_sha outer; /* after absorbing K ^ opad */
};

struct ossl_key {
	struct crypto_key base;
	struct ossl_hmac hmac; /* unused with a combined mode */
	uint8_t cipher_key[OSSL_CIPHER_KEY_MAX];
	uint8_t salt[CRYPTO_SALT_LEN]; /* combined mode: RFC 4106 section 4 */
};

static const char *const ossl_cipher_names[ALGO_ENC__COUNT] = {
	[ALGO_ENC_NULL] = NULL,
	[ALGO_ENC_3DES_CBC] = "DES-EDE3-CBC",
	[ALGO_ENC_AES128_CBC] = "AES-128-CBC",
	[ALGO_ENC_AES256_CBC] = "AES-256-CBC",
	[ALGO_ENC_AES128_GCM16] = "AES-128-GCM",
	[ALGO_ENC_AES256_GCM16] = "AES-256-GCM",
};

/* The low-level hash calls cannot fail on a valid state; their results are checked anyway. */
static int
ossl_sha_init(enum algo_auth auth, union ossl_sha *s)
{
	switch (auth) {
	case ALGO_AUTH_HMAC_SHA1:
		return SHA1_Init(&s->sha1);
	case ALGO_AUTH_HMAC_SHA256:
		return SHA256_Init(&s->sha256);
	case ALGO_AUTH_HMAC_SHA384:
		return SHA384_Init(&s->sha512);
	case ALGO_AUTH_HMAC_SHA512:
		return SHA512_Init(&s->sha512);
	case ALGO_AUTH_NONE:
	case ALGO_AUTH__COUNT:
		break;
	}
	return 0;
}

static int
ossl_sha_update(enum algo_auth auth, union ossl_sha *s, const uint8_t *data, size_t len)
{
	switch (auth) {
	case ALGO_AUTH_HMAC_SHA1:
		return SHA1_Update(&s->sha1, data, len);
	case ALGO_AUTH_HMAC_SHA256:
		return SHA256_Update(&s->sha256, data, len);
	case ALGO_AUTH_HMAC_SHA384:
		return SHA384_Update(&s->sha512, data, len);
	case ALGO_AUTH_HMAC_SHA512:
		return SHA512_Update(&s->sha512, data, len);
	case ALGO_AUTH_NONE:
	case ALGO_AUTH__COUNT:
		break;
	}
	return 0;
}

static int
ossl_sha_final(enum algo_auth auth, union ossl_sha *s, uint8_t *digest)
{
	switch (auth) {
	case ALGO_AUTH_HMAC_SHA1:
		return SHA1_Final(digest, &s->sha1);
	case ALGO_AUTH_HMAC_SHA256:
		return SHA256_Final(digest, &s->sha256);
	case ALGO_AUTH_HMAC_SHA384:
		return SHA384_Final(digest, &s->sha512);
	case ALGO_AUTH_HMAC_SHA512:
		return SHA512_Final(digest, &s->sha512);
	case ALGO_AUTH_NONE:
	case ALGO_AUTH__COUNT:
		break;
	}
	return 0;
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
	    (!algo_enc_is_aead(enc) && EVP_CIPHER_CTX_set_padding(cc, 0) != 1)) {
		EVP_CIPHER_CTX_free(cc);
		cc = NULL;
	}
	EVP_CIPHER_free(cipher); /* the context holds its own reference */
	return cc;
}

int
crypto_openssl_cipher_forget(EVP_CIPHER_CTX *cc)
{
	static const uint8_t zero[EVP_MAX_KEY_LENGTH];
	int key_len = EVP_CIPHER_CTX_get_key_length(cc);

	/* Loading a key expands it over the previous schedule, in place and of the same size. */
	if (key_len <= 0 || (size_t)key_len > sizeof(zero) ||
	    EVP_CipherInit_ex(cc, NULL, NULL, zero, NULL, -1) != 1)
		return -EIO;
	return 0;
}

int
crypto_openssl_ctx_new(struct crypto_ctx **out, struct err *err)
{
	struct ossl_ctx *c = secret_mem_alloc(sizeof(*c));

	if (c == NULL)
		return err_set(err, ENOMEM, "out of memory for an OpenSSL crypto context");
	c->base.backend = CRYPTO_BACKEND_OPENSSL;
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
	return err_set(err, ENOMEM, "OpenSSL could not set up its ciphers");
}

void
crypto_openssl_ctx_free(struct crypto_ctx *ctx)
{
	struct ossl_ctx *c = ossl_ctx_of(ctx);

	/* The providers wipe their contexts when freed (OPENSSL_clear_free), and key memory
	 * wipes every slot it takes back. */
	for (unsigned e = 0; e < ALGO_ENC__COUNT; e++) {
		EVP_CIPHER_CTX_free(c->cipher[e][0]);
		EVP_CIPHER_CTX_free(c->cipher[e][1]);
	}
	secret_mem_free(c, sizeof(*c));
}

/* The plain hash of crypto_hmac_blocks(), for keys longer than the block. */
static int
ossl_hash(void *arg, enum algo_auth auth, const uint8_t *msg, size_t len, uint8_t *digest)
{
	union ossl_sha *s = arg;

	return ossl_sha_init(auth, s) == 1 && ossl_sha_update(auth, s, msg, len) == 1 &&
		ossl_sha_final(auth, s, digest) == 1
	    ? 0
	    : -EIO;
}

/* RFC 2104 section 4: the inner and outer states start from K0 ^ ipad and K0 ^ opad. h->auth
 * is set. */
static int
ossl_hmac_prepare(struct ossl_hmac *h, const uint8_t *key, size_t key_len)
{
	uint8_t ipad[CRYPTO_HMAC_BLOCK_MAX];
	uint8_t opad[CRYPTO_HMAC_BLOCK_MAX];
	size_t block = algo_auth_info(h->auth)->block_len;
	enum algo_auth auth = h->auth;
	int ok;

	ok = crypto_hmac_blocks(auth, key, key_len, ossl_hash, &h->inner, ipad, opad) == 0 &&
	    ossl_sha_init(auth, &h->inner) == 1 &&
	    ossl_sha_update(auth, &h->inner, ipad, block) == 1 &&
	    ossl_sha_init(auth, &h->outer) == 1 &&
	    ossl_sha_update(auth, &h->outer, opad, block) == 1;
	explicit_bzero(ipad, sizeof(ipad));
	explicit_bzero(opad, sizeof(opad));
	return ok ? 0 : -EIO;
}

/* HMAC of msg and then tail_len bytes of tail (0 or 4: the high half of an extended sequence
 * number, RFC 4303 section 3.3.2.1) from the prepared states into digest (the full digest
 * length), in work: two copies by value and the message's own blocks, no allocation. */
static int
ossl_hmac_finish(const struct ossl_hmac *h, union ossl_sha *work, const uint8_t *msg, size_t len,
    const uint8_t *tail, size_t tail_len, uint8_t *digest)
{
	uint8_t ihash[CRYPTO_DIGEST_MAX];
	enum algo_auth auth = h->auth;
	int ok;

	*work = h->inner;
	ok = ossl_sha_update(auth, work, msg, len) == 1 &&
	    (tail_len == 0 || ossl_sha_update(auth, work, tail, tail_len) == 1) &&
	    ossl_sha_final(auth, work, ihash) == 1;
	*work = h->outer;
	ok = ok && ossl_sha_update(auth, work, ihash, algo_auth_info(auth)->digest_len) == 1 &&
	    ossl_sha_final(auth, work, digest) == 1;
	explicit_bzero(ihash, sizeof(ihash));
	return ok ? 0 : -EIO;
}

int
crypto_openssl_key_new(enum algo_enc enc, const uint8_t *enc_key, enum algo_auth auth,
    const uint8_t *auth_key, struct crypto_key **out, struct err *err)
{
	struct ossl_key *k = secret_mem_alloc(sizeof(*k));
	const struct algo_enc_info *ei = algo_enc_info(enc);
	size_t ek_len = ei->key_len - ei->salt_len;

	if (k == NULL)
		return err_set(err, ENOMEM, "out of memory for key material");
	crypto_key_head(&k->base, CRYPTO_BACKEND_OPENSSL, enc, auth, sizeof(*k));
	k->hmac.auth = auth;
	if (ek_len > sizeof(k->cipher_key) || ei->salt_len > sizeof(k->salt) ||
	    (auth != ALGO_AUTH_NONE &&
		ossl_hmac_prepare(&k->hmac, auth_key, algo_auth_info(auth)->key_len) != 0)) {
		crypto_openssl_key_free(&k->base);
		return err_set(
		    err, ENOMEM, "OpenSSL could not set up the %s key", algo_auth_info(auth)->name);
	}
	if (ek_len > 0)
		memcpy(k->cipher_key, enc_key, ek_len);
	if (ei->salt_len > 0)
		memcpy(k->salt, enc_key + ek_len, ei->salt_len);
	*out = &k->base;
	return 0;
}

void
crypto_openssl_key_free(struct crypto_key *key)
{
	/* Everything derived from the key is in it; the working contexts forgot it when the
	 * last burst that used it ended. */
	secret_mem_free(key, key->alloc_len);
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
	if (load != NULL)
		c->keyed[enc][encrypt] = 1;
	if (EVP_CipherInit_ex(cc, NULL, NULL, load, iv, -1) != 1)
		return NULL;
	c->loaded[enc][encrypt] = serial;
	return cc;
}

/* The end of a burst (or of a helper call): every context that was given a key forgets it, so
 * that a schedule lives no longer than the burst that used it. A context that cannot forget
 * (it cannot happen with a valid context) is freed, wiped, and made again; until then its
 * algorithm fails (CRYPTO_FAILED) rather than keep the schedule. */
static void
ossl_cipher_forget_all(struct ossl_ctx *c)
{
	for (unsigned e = ALGO_ENC_NULL + 1; e < ALGO_ENC__COUNT; e++) {
		for (int dir = 0; dir < 2; dir++) {
			if (!c->keyed[e][dir])
				continue;
			c->keyed[e][dir] = 0;
			c->loaded[e][dir] = 0;
			if (crypto_openssl_cipher_forget(c->cipher[e][dir]) == 0)
				continue;
			EVP_CIPHER_CTX_free(c->cipher[e][dir]);
			c->cipher[e][dir] = crypto_openssl_cipher_ctx_new((enum algo_enc)e, dir);
		}
	}
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

	if (c->cipher[k->base.enc][encrypt] == NULL)
		return -ENOMEM;
	cc = ossl_cipher_ready(c, k->base.enc, encrypt, k->base.serial, k->cipher_key, op->iv);
	if (cc == NULL)
		return -EIO;
	return ossl_cipher_update(cc, region, region, op->cipher_len);
}

/* RFC 4106 in one EVP pass: the nonce is salt and IV, the AAD is SPI, [ESN high half] and
 * sequence number; encrypting writes the tag at icv, decrypting checks it (OpenSSL compares in
 * constant time) and, on a mismatch, encrypts the region back: GCM is a counter mode, so the
 * same keystream over the plaintext gives the ciphertext that came. */
static enum crypto_status
ossl_gcm_one(struct ossl_ctx *c, struct crypto_op *op, int encrypt)
{
	const struct ossl_key *k = (const struct ossl_key *)op->key;
	uint8_t *region = op->buf + op->cipher_off;
	uint8_t nonce[CRYPTO_NONCE_LEN], aad[CRYPTO_AAD_MAX], end[16];
	size_t aad_len = crypto_op_aad(op, aad);
	EVP_CIPHER_CTX *cc;
	int outl = 0, ok;

	if (c->cipher[k->base.enc][encrypt] == NULL)
		return CRYPTO_FAILED;
	crypto_gcm_nonce(k->salt, op->iv, nonce);
	cc = ossl_cipher_ready(c, k->base.enc, encrypt, k->base.serial, k->cipher_key, nonce);
	if (cc == NULL || EVP_CipherUpdate(cc, NULL, &outl, aad, (int)aad_len) != 1 ||
	    ossl_cipher_update(cc, region, region, op->cipher_len) != 0)
		goto failed;
	if (encrypt) {
		if (EVP_CipherFinal_ex(cc, end, &outl) != 1 ||
		    EVP_CIPHER_CTX_ctrl(cc, EVP_CTRL_AEAD_GET_TAG, CRYPTO_GCM_TAG, op->icv) != 1)
			goto failed;
		return CRYPTO_OK;
	}
	if (EVP_CIPHER_CTX_ctrl(cc, EVP_CTRL_AEAD_SET_TAG, CRYPTO_GCM_TAG, op->icv) != 1)
		goto failed;
	ok = EVP_CipherFinal_ex(cc, end, &outl) == 1;
	if (ok)
		return CRYPTO_OK;
	cc = ossl_cipher_ready(c, k->base.enc, 0, k->base.serial, k->cipher_key, nonce);
	if (cc != NULL && ossl_cipher_update(cc, region, region, op->cipher_len) == 0)
		return CRYPTO_BAD_ICV;
failed:
	/* Leave no partial plaintext behind. */
	if (!encrypt)
		explicit_bzero(region, op->cipher_len);
	return CRYPTO_FAILED;
}

/* The ICV of an integrity algorithm over the auth region, and the ESN's high half after it. */
static int
ossl_op_hmac(struct ossl_ctx *c, const struct crypto_op *op, uint8_t *digest)
{
	const struct ossl_key *k = (const struct ossl_key *)op->key;
	uint8_t hi[4];

	store_be32(hi, op->seq_hi);
	return ossl_hmac_finish(&k->hmac, &c->work, op->buf + op->auth_off, op->auth_len, hi,
	    op->esn ? sizeof(hi) : 0, digest);
}

static enum crypto_status
ossl_encrypt_one(struct ossl_ctx *c, struct crypto_op *op)
{
	const struct ossl_key *k = (const struct ossl_key *)op->key;
	uint8_t digest[CRYPTO_DIGEST_MAX];

	if (crypto_op_check(op, CRYPTO_BACKEND_OPENSSL) != 0)
		return CRYPTO_FAILED;
	if (k->base.aead)
		return ossl_gcm_one(c, op, 1);
	if (k->base.enc != ALGO_ENC_NULL && ossl_op_cipher(c, op, 1) != 0)
		return CRYPTO_FAILED;
	/* RFC 4303 section 3.3.4: the ICV covers ESP header, IV and ciphertext. */
	if (ossl_op_hmac(c, op, digest) != 0)
		return CRYPTO_FAILED;
	memcpy(op->icv, digest, k->base.icv_len);
	explicit_bzero(digest, sizeof(digest));
	return CRYPTO_OK;
}

static enum crypto_status
ossl_decrypt_one(struct ossl_ctx *c, struct crypto_op *op)
{
	const struct ossl_key *k = (const struct ossl_key *)op->key;
	uint8_t digest[CRYPTO_DIGEST_MAX];
	int differ;

	if (crypto_op_check(op, CRYPTO_BACKEND_OPENSSL) != 0)
		return CRYPTO_FAILED;
	if (k->base.aead)
		return ossl_gcm_one(c, op, 0);
	if (ossl_op_hmac(c, op, digest) != 0)
		return CRYPTO_FAILED;
	/* RFC 4303 section 3.4.4.1: compare the truncated ICV in constant time, before any
	 * decryption, so that a forged packet is never decrypted. */
	differ = bytes_ct_differ(digest, op->icv, k->base.icv_len);
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
	ossl_cipher_forget_all(c);
}

void
crypto_openssl_decrypt_burst(struct crypto_ctx *ctx, struct crypto_op *ops, size_t n)
{
	struct ossl_ctx *c = ossl_ctx_of(ctx);

	for (size_t i = 0; i < n; i++)
		ops[i].status = ossl_decrypt_one(c, &ops[i]);
	ossl_cipher_forget_all(c);
}

int
crypto_openssl_hmac(struct crypto_ctx *ctx, const struct crypto_hmac_req *req)
{
	struct ossl_ctx *c = ossl_ctx_of(ctx);
	struct ossl_hmac h = { .auth = req->auth };
	int rc;

	rc = ossl_hmac_prepare(&h, req->key, req->key_len);
	if (rc == 0)
		rc = ossl_hmac_finish(&h, &c->work, req->msg, req->len, NULL, 0, req->digest);
	explicit_bzero(&h, sizeof(h));
	return rc;
}

int
crypto_openssl_cipher(struct crypto_ctx *ctx, const struct crypto_cipher_req *req)
{
	struct ossl_ctx *c = ossl_ctx_of(ctx);
	int encrypt = req->encrypt != 0;
	EVP_CIPHER_CTX *cc;
	int rc = -EIO;

	if (c->cipher[req->enc][encrypt] == NULL)
		return -ENOMEM;
	/* Serial 0: load this raw key, never taken for a data-path key's. */
	cc = ossl_cipher_ready(c, req->enc, encrypt, 0, req->key, req->iv);
	if (cc != NULL)
		rc = ossl_cipher_update(cc, req->in, req->out, req->len);
	ossl_cipher_forget_all(c);
	return rc;
}

int
crypto_openssl_aead(struct crypto_ctx *ctx, const struct crypto_aead_req *req)
{
	struct ossl_ctx *c = ossl_ctx_of(ctx);
	const struct algo_enc_info *ei = algo_enc_info(req->enc);
	int encrypt = req->encrypt != 0;
	uint8_t nonce[CRYPTO_NONCE_LEN], end[16];
	EVP_CIPHER_CTX *cc;
	int outl = 0, rc = -EIO;

	if (c->cipher[req->enc][encrypt] == NULL)
		return -ENOMEM;
	crypto_gcm_nonce(req->key + ei->key_len - ei->salt_len, req->iv, nonce);
	/* Serial 0: load this raw key, never taken for a data-path key's. */
	cc = ossl_cipher_ready(c, req->enc, encrypt, 0, req->key, nonce);
	if (cc != NULL &&
	    (req->aad_len == 0 ||
		EVP_CipherUpdate(cc, NULL, &outl, req->aad, (int)req->aad_len) == 1) &&
	    (req->len == 0 || ossl_cipher_update(cc, req->in, req->out, req->len) == 0)) {
		if (encrypt)
			rc = EVP_CipherFinal_ex(cc, end, &outl) == 1 &&
				EVP_CIPHER_CTX_ctrl(
				    cc, EVP_CTRL_AEAD_GET_TAG, CRYPTO_GCM_TAG, req->tag) == 1
			    ? 0
			    : -EIO;
		else if (EVP_CIPHER_CTX_ctrl(cc, EVP_CTRL_AEAD_SET_TAG, CRYPTO_GCM_TAG, req->tag) ==
		    1)
			rc = EVP_CipherFinal_ex(cc, end, &outl) == 1 ? 0 : -EBADMSG;
	}
	if (rc != 0 && !encrypt && req->len != 0)
		explicit_bzero(req->out, req->len);
	ossl_cipher_forget_all(c);
	return rc;
}
