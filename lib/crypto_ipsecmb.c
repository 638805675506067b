// SPDX-License-Identifier: MIT
/* The intel-ipsec-mb (v1.3) backend: a whole burst goes into the multi-buffer manager before
 * anything is flushed, so that the SIMD lanes fill with independent packets; AES-GCM, which has
 * no lanes in 1.3, goes by the library's direct calls, a packet at a time. Keys hold the
 * expanded AES/3DES schedules, the GCM key data (round keys and hash key powers) with the salt,
 * and the HMAC inner and outer states (RFC 2104 section 4). Decryption is two passes: every
 * ICV first (AES-GCM: decrypting as it computes its tag), then the cipher only where the ICV
 * matched (AES-GCM: encrypting back where it did not).
 * 3DES is the exception below AVX-512: see mb_des3_soft(). Keys, contexts and the managers
 * (whose lanes hold HMAC states and schedule pointers while jobs are in flight) all live in key
 * memory; once a burst is flushed the manager holds nothing derived from a key (checked for
 * every schedule and HMAC state word, 1.3 on its SSE, AVX, AVX2 and AVX-512 paths). */
#include <errno.h>
#include <intel-ipsec-mb.h>
#include <limits.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdalign.h>
#include <string.h>

#include "crypto_internal.h"
#include "ipsec6/bytes.h"

#define MB_AES_SCHED_LEN (16 * 15) /* enough round keys for any AES key size */
#define MB_DES_SCHED_LEN (IMB_DES_KEY_SCHED_SIZE / 8)

/* What the second pass of decryption does with an op. */
enum mb_pending {
	MB_DONE,    /* nothing: refused, or no cipher, or GCM that verified */
	MB_DECRYPT, /* CBC whose ICV matched */
	MB_RESTORE, /* GCM whose tag did not: encrypt the region back to what came */
};

struct mb_ctx {
	struct crypto_ctx base;
	IMB_MGR *mgr;
	uint8_t icv[CRYPTO_BURST_MAX][CRYPTO_DIGEST_MAX]; /* decrypt: ICVs as computed */
	uint8_t pending[CRYPTO_BURST_MAX];                /* decrypt: enum mb_pending */
	/* Per op of a burst, for the jobs in flight: with an extended sequence number and an
	 * integrity algorithm, the first 4 bytes of the ICV field, which hold the high half of the
	 * number while the hash runs (RFC 4303 section 3.3.2.1); the status of a restoring GCM. */
	uint8_t icv_head[CRYPTO_BURST_MAX][4];
	enum crypto_status restored[CRYPTO_BURST_MAX];
	/* AES-GCM, a call at a time: the nonces (salt and IV) and AADs of a burst's ops, written
	 * before its first call (mb_gcm_prepare()), and the running state; the first gcm_used
	 * ops' and the state wiped at the end of a burst. */
	uint8_t gcm_nonce[CRYPTO_BURST_MAX][CRYPTO_NONCE_LEN];
	uint8_t gcm_aad[CRYPTO_BURST_MAX][CRYPTO_AAD_MAX];
	uint8_t gcm_aad_len[CRYPTO_BURST_MAX];
	struct gcm_context_data gcm;
	size_t gcm_used;
	int des3_native;         /* 3DES by the manager's jobs */
	EVP_CIPHER_CTX *des3[2]; /* [encrypt]: 3DES otherwise */
	uint64_t des3_loaded[2]; /* key serial in des3[], 0 none */
	uint8_t des3_keyed[2];   /* des3[] holds a key till burst end */
};

/* Expanded cipher keys. des_ptr points into the same struct, so it is never copied. */
struct mb_cipher_keys {
	/* AES-GCM: round keys and hash key powers, 64-byte aligned as the library wants (its header
	 * says so only where LINUX is defined). Keys come from secret_mem_alloc(), which aligns
	 * to 64. */
	alignas(64) struct gcm_key_data gcm;
	alignas(16) uint8_t aes_enc[MB_AES_SCHED_LEN];
	alignas(16) uint8_t aes_dec[MB_AES_SCHED_LEN];
	uint64_t des[3][MB_DES_SCHED_LEN];
	const void *des_ptr[3];        /* IMB_CIPHER_DES3 wants an array of three schedules */
	uint8_t salt[CRYPTO_SALT_LEN]; /* AES-GCM: RFC 4106 section 4 */
};

struct mb_key {
	struct crypto_key base;
	struct mb_cipher_keys ck;
	alignas(16) uint8_t ipad[CRYPTO_DIGEST_MAX]; /* state after K ^ ipad */
	alignas(16) uint8_t opad[CRYPTO_DIGEST_MAX]; /* state after K ^ opad */
	uint8_t des3_key[24];                        /* raw, for mb_des3_soft() */
};

/* The manager of the one-time probe. Kept for key expansion, whose functions it only points
 * to (they are pure: no manager state), so any thread may use them. */
static pthread_once_t mb_probe_once = PTHREAD_ONCE_INIT;
static IMB_MGR *mb_probe_mgr;
static int mb_probe_rc;
static IMB_ARCH mb_probe_arch;
static int mb_probe_errno;

static const char *
mb_arch_name(IMB_ARCH arch)
{
	switch (arch) {
	case IMB_ARCH_NONE:
		return "none";
	case IMB_ARCH_NOAESNI:
		return "no-aesni";
	case IMB_ARCH_SSE:
		return "sse";
	case IMB_ARCH_AVX:
		return "avx";
	case IMB_ARCH_AVX2:
		return "avx2";
	case IMB_ARCH_AVX512:
		return "avx512";
	case IMB_ARCH_NUM:
		break;
	}
	return "unknown";
}

static void
mb_mgr_free(IMB_MGR *mgr)
{
	secret_mem_free(mgr, imb_get_mb_mgr_size());
}

/* A manager for the best code path of this CPU, or NULL with *rc set. Placed in key memory
 * (as alloc_mb_mgr() would place it in the heap), since its lanes hold HMAC states. */
static IMB_MGR *
mb_mgr_new(IMB_ARCH *arch, int *mb_errno, int *rc)
{
	void *mem = secret_mem_alloc(imb_get_mb_mgr_size());
	IMB_MGR *mgr = NULL;

	*arch = IMB_ARCH_NONE;
	*mb_errno = 0;
	if (mem != NULL)
		mgr = imb_set_pointers_mb_mgr(mem, 0, 1);
	if (mgr == NULL || mgr != mem) {
		secret_mem_free(mem, imb_get_mb_mgr_size());
		*rc = -ENOMEM;
		return NULL;
	}
	init_mb_mgr_auto(mgr, arch);
	*mb_errno = imb_get_errno(mgr);
	/* The AES-NI-less path emulates AES in software: slower than OpenSSL, so refuse it. */
	if (*mb_errno != 0 || *arch < IMB_ARCH_SSE || (mgr->features & IMB_FEATURE_AESNI) == 0) {
		mb_mgr_free(mgr);
		*rc = -ENOTSUP;
		return NULL;
	}
	*rc = 0;
	return mgr;
}

static void
mb_probe_run(void)
{
	mb_probe_mgr = mb_mgr_new(&mb_probe_arch, &mb_probe_errno, &mb_probe_rc);
}

static int
mb_unsupported(int rc, IMB_ARCH arch, int mb_errno, struct err *err)
{
	if (rc == -ENOMEM)
		return err_set(err, ENOMEM, "out of memory for an intel-ipsec-mb manager");
	if (mb_errno != 0)
		return err_set(err, ENOTSUP, "crypto backend 'ipsec-mb' is not supported here: %s",
		    imb_get_strerror(mb_errno));
	return err_set(err, ENOTSUP,
	    "crypto backend 'ipsec-mb' is not supported here: the CPU offers the '%s' code path, "
	    "AES-NI (sse or better) is needed",
	    mb_arch_name(arch));
}

int
crypto_ipsecmb_probe(struct err *err)
{
	if (pthread_once(&mb_probe_once, mb_probe_run) != 0)
		return err_set(err, ENOTSUP, "crypto backend 'ipsec-mb' could not be probed");
	if (mb_probe_rc != 0)
		return mb_unsupported(mb_probe_rc, mb_probe_arch, mb_probe_errno, err);
	return 0;
}

int
crypto_ipsecmb_ctx_new(struct crypto_ctx **out, struct err *err)
{
	struct mb_ctx *c;
	IMB_ARCH arch;
	int mb_errno;
	int rc;

	rc = crypto_ipsecmb_probe(err);
	if (rc != 0)
		return rc;
	c = secret_mem_alloc(sizeof(*c));
	if (c == NULL)
		return err_set(err, ENOMEM, "out of memory for an ipsec-mb crypto context");
	c->base.backend = CRYPTO_BACKEND_IPSECMB;
	c->mgr = mb_mgr_new(&arch, &mb_errno, &rc);
	if (c->mgr == NULL) {
		secret_mem_free(c, sizeof(*c));
		return mb_unsupported(rc, arch, mb_errno, err);
	}
	c->des3_native = arch >= IMB_ARCH_AVX512;
	/* 3DES-CBC contexts without padding for mb_des3_soft(). */
	c->des3[0] = crypto_openssl_cipher_ctx_new(ALGO_ENC_3DES_CBC, 0);
	c->des3[1] = crypto_openssl_cipher_ctx_new(ALGO_ENC_3DES_CBC, 1);
	if (c->des3[0] == NULL || c->des3[1] == NULL) {
		crypto_ipsecmb_ctx_free(&c->base);
		return err_set(err, ENOMEM, "out of memory for an ipsec-mb crypto context");
	}
	*out = &c->base;
	return 0;
}

void
crypto_ipsecmb_ctx_free(struct crypto_ctx *ctx)
{
	struct mb_ctx *c = (struct mb_ctx *)ctx;

	mb_mgr_free(c->mgr);
	EVP_CIPHER_CTX_free(c->des3[0]);
	EVP_CIPHER_CTX_free(c->des3[1]);
	secret_mem_free(c, sizeof(*c));
}

static int
mb_cipher_expand(IMB_MGR *mgr, enum algo_enc enc, const uint8_t *key, struct mb_cipher_keys *ck)
{
	switch (enc) {
	case ALGO_ENC_NULL:
		return 0;
	case ALGO_ENC_3DES_CBC:
		/* RFC 2451 section 2.1: K1, K2, K3 are the three 8-byte thirds of the key. */
		for (size_t i = 0; i < 3; i++) {
			if (IMB_DES_KEYSCHED(mgr, ck->des[i], key + 8 * i) != 0)
				return -EIO;
			ck->des_ptr[i] = ck->des[i];
		}
		return 0;
	case ALGO_ENC_AES128_CBC:
		IMB_AES_KEYEXP_128(mgr, key, ck->aes_enc, ck->aes_dec);
		return 0;
	case ALGO_ENC_AES256_CBC:
		IMB_AES_KEYEXP_256(mgr, key, ck->aes_enc, ck->aes_dec);
		return 0;
	case ALGO_ENC_AES128_GCM16:
		/* RFC 4106 section 8.1: the salt follows the AES key. */
		IMB_AES128_GCM_PRE(mgr, key, &ck->gcm);
		memcpy(ck->salt, key + IMB_KEY_128_BYTES, CRYPTO_SALT_LEN);
		return 0;
	case ALGO_ENC_AES256_GCM16:
		IMB_AES256_GCM_PRE(mgr, key, &ck->gcm);
		memcpy(ck->salt, key + IMB_KEY_256_BYTES, CRYPTO_SALT_LEN);
		return 0;
	case ALGO_ENC__COUNT:
		break;
	}
	return -EINVAL;
}

/* The plain hash of crypto_hmac_blocks(), for keys longer than the block. */
static int
mb_hash(void *arg, enum algo_auth auth, const uint8_t *msg, size_t len, uint8_t *digest)
{
	IMB_MGR *mgr = arg;

	switch (auth) {
	case ALGO_AUTH_HMAC_SHA1:
		IMB_SHA1(mgr, msg, len, digest);
		return 0;
	case ALGO_AUTH_HMAC_SHA256:
		IMB_SHA256(mgr, msg, len, digest);
		return 0;
	case ALGO_AUTH_HMAC_SHA384:
		IMB_SHA384(mgr, msg, len, digest);
		return 0;
	case ALGO_AUTH_HMAC_SHA512:
		IMB_SHA512(mgr, msg, len, digest);
		return 0;
	case ALGO_AUTH_NONE:
	case ALGO_AUTH__COUNT:
		break;
	}
	return -EINVAL;
}

/* RFC 2104 section 4: the states after one compression of K0 ^ ipad and of K0 ^ opad. */
static int
mb_hmac_pads(IMB_MGR *mgr, enum algo_auth auth, const uint8_t *key, size_t key_len, uint8_t *ipad,
    uint8_t *opad)
{
	uint8_t iblock[CRYPTO_HMAC_BLOCK_MAX];
	uint8_t oblock[CRYPTO_HMAC_BLOCK_MAX];
	int rc = crypto_hmac_blocks(auth, key, key_len, mb_hash, mgr, iblock, oblock);

	for (int pad = 0; rc == 0 && pad < 2; pad++) {
		const uint8_t *block = pad == 0 ? iblock : oblock;
		uint8_t *state = pad == 0 ? ipad : opad;

		switch (auth) {
		case ALGO_AUTH_HMAC_SHA1:
			IMB_SHA1_ONE_BLOCK(mgr, block, state);
			break;
		case ALGO_AUTH_HMAC_SHA256:
			IMB_SHA256_ONE_BLOCK(mgr, block, state);
			break;
		case ALGO_AUTH_HMAC_SHA384:
			IMB_SHA384_ONE_BLOCK(mgr, block, state);
			break;
		case ALGO_AUTH_HMAC_SHA512:
			IMB_SHA512_ONE_BLOCK(mgr, block, state);
			break;
		case ALGO_AUTH_NONE:
		case ALGO_AUTH__COUNT:
			rc = -EINVAL;
			break;
		}
	}
	explicit_bzero(iblock, sizeof(iblock));
	explicit_bzero(oblock, sizeof(oblock));
	return rc;
}

int
crypto_ipsecmb_key_new(enum algo_enc enc, const uint8_t *enc_key, enum algo_auth auth,
    const uint8_t *auth_key, struct crypto_key **out, struct err *err)
{
	struct mb_key *k;
	int rc;

	rc = crypto_ipsecmb_probe(err);
	if (rc != 0)
		return rc;
	k = secret_mem_alloc(sizeof(*k));
	if (k == NULL)
		return err_set(err, ENOMEM, "out of memory for key material");
	crypto_key_head(&k->base, CRYPTO_BACKEND_IPSECMB, enc, auth, sizeof(*k));
	if (enc == ALGO_ENC_3DES_CBC)
		memcpy(k->des3_key, enc_key, sizeof(k->des3_key));
	if (mb_cipher_expand(mb_probe_mgr, enc, enc_key, &k->ck) != 0) {
		secret_mem_free(k, sizeof(*k));
		return err_set(
		    err, EINVAL, "intel-ipsec-mb refused the %s key", algo_enc_info(enc)->name);
	}
	if (auth != ALGO_AUTH_NONE &&
	    mb_hmac_pads(mb_probe_mgr, auth, auth_key, algo_auth_info(auth)->key_len, k->ipad,
		k->opad) != 0) {
		secret_mem_free(k, sizeof(*k));
		return err_set(
		    err, EINVAL, "intel-ipsec-mb refused the %s key", algo_auth_info(auth)->name);
	}
	*out = &k->base;
	return 0;
}

void
crypto_ipsecmb_key_free(struct crypto_key *key)
{
	secret_mem_free(key, key->alloc_len);
}

/* Point job at the cipher of enc (or none) with the given keys and IV. */
static void
mb_job_cipher(IMB_JOB *job, enum algo_enc enc, const struct mb_cipher_keys *ck, const uint8_t *iv,
    IMB_CIPHER_DIRECTION dir)
{
	job->cipher_direction = dir;
	job->iv = iv;
	switch (enc) {
	case ALGO_ENC_3DES_CBC:
		job->cipher_mode = IMB_CIPHER_DES3;
		job->enc_keys = ck->des_ptr;
		job->dec_keys = ck->des_ptr;
		job->key_len_in_bytes = 24;
		job->iv_len_in_bytes = IMB_DES_BLOCK_SIZE;
		return;
	case ALGO_ENC_AES128_CBC:
	case ALGO_ENC_AES256_CBC:
		job->cipher_mode = IMB_CIPHER_CBC;
		job->enc_keys = ck->aes_enc;
		job->dec_keys = ck->aes_dec;
		job->key_len_in_bytes =
		    enc == ALGO_ENC_AES128_CBC ? IMB_KEY_128_BYTES : IMB_KEY_256_BYTES;
		job->iv_len_in_bytes = IMB_AES_BLOCK_SIZE;
		return;
	case ALGO_ENC_AES128_GCM16:
	case ALGO_ENC_AES256_GCM16:
		/* RFC 4106 section 4: iv is the 12-byte nonce, salt and the packet's IV. */
		job->cipher_mode = IMB_CIPHER_GCM;
		job->enc_keys = &ck->gcm;
		job->dec_keys = &ck->gcm;
		job->key_len_in_bytes =
		    enc == ALGO_ENC_AES128_GCM16 ? IMB_KEY_128_BYTES : IMB_KEY_256_BYTES;
		job->iv_len_in_bytes = CRYPTO_NONCE_LEN;
		return;
	case ALGO_ENC_NULL:
	case ALGO_ENC__COUNT:
		break;
	}
	job->cipher_mode = IMB_CIPHER_NULL;
	job->enc_keys = NULL;
	job->dec_keys = NULL;
	job->key_len_in_bytes = 0;
	job->iv_len_in_bytes = 0;
}

static const IMB_HASH_ALG mb_hash_alg[ALGO_AUTH__COUNT] = {
	[ALGO_AUTH_HMAC_SHA1] = IMB_AUTH_HMAC_SHA_1,
	[ALGO_AUTH_HMAC_SHA256] = IMB_AUTH_HMAC_SHA_256,
	[ALGO_AUTH_HMAC_SHA384] = IMB_AUTH_HMAC_SHA_384,
	[ALGO_AUTH_HMAC_SHA512] = IMB_AUTH_HMAC_SHA_512,
};

/* Point job at HMAC with the given states, writing tag_len bytes of tag; or no hash when
 * tag is NULL. */
static void
mb_job_hash(IMB_JOB *job, enum algo_auth auth, const uint8_t *ipad, const uint8_t *opad,
    uint8_t *tag, size_t tag_len)
{
	job->hash_alg = IMB_AUTH_NULL;
	job->auth_tag_output = tag;
	job->auth_tag_output_len_in_bytes = tag_len;
	job->u.HMAC._hashed_auth_key_xor_ipad = ipad;
	job->u.HMAC._hashed_auth_key_xor_opad = opad;
	if (tag != NULL)
		job->hash_alg = mb_hash_alg[auth];
}

/* The regions of op: the manager reads from src + offsets and writes the cipher output at dst
 * (in place here). */
static void
mb_job_op(IMB_JOB *job, struct crypto_op *op)
{
	job->src = op->buf;
	job->dst = op->buf + op->cipher_off;
	job->cipher_start_src_offset_in_bytes = op->cipher_off;
	job->msg_len_to_cipher_in_bytes = op->cipher_len;
	job->hash_start_src_offset_in_bytes = op->auth_off;
	job->msg_len_to_hash_in_bytes = op->auth_len;
	job->user_data = &op->status;
}

/* Jobs complete in whatever order the lanes finish; each carries its op's status. */
static void
mb_job_done(IMB_JOB *job)
{
	enum crypto_status *status = job->user_data;

	*status = job->status == IMB_STATUS_COMPLETED ? CRYPTO_OK : CRYPTO_FAILED;
}

static void
mb_submit(IMB_MGR *mgr)
{
	IMB_JOB *job = IMB_SUBMIT_JOB(mgr);

	while (job != NULL) {
		mb_job_done(job);
		job = IMB_GET_COMPLETED_JOB(mgr);
	}
}

static void
mb_flush(IMB_MGR *mgr)
{
	IMB_JOB *job;

	while ((job = IMB_FLUSH_JOB(mgr)) != NULL)
		mb_job_done(job);
}

/* libIPSec_MB 1.3 has multi-buffer DES only on its AVX-512 code path; elsewhere its DES does
 * constant-time table scans and manages about 0.1 MB/s of 3DES-CBC (measured on AVX2), a
 * hundred times slower than OpenSSL. There the cipher half of a 3DES op is done here by
 * OpenSSL, a packet at a time (reloading the key only when it changes), and the HMAC half
 * still rides the multi-buffer lanes. */
static int
mb_des3_soft(struct mb_ctx *c, const struct mb_key *k, struct crypto_op *op, int encrypt)
{
	EVP_CIPHER_CTX *cc = c->des3[encrypt];
	const uint8_t *load = c->des3_loaded[encrypt] == k->base.serial ? NULL : k->des3_key;
	uint8_t *region = op->buf + op->cipher_off;
	int outl = 0;

	c->des3_loaded[encrypt] = 0; /* until the load below has worked */
	c->des3_keyed[encrypt] |= load != NULL;
	if (cc == NULL || op->cipher_len > INT_MAX ||
	    EVP_CipherInit_ex(cc, NULL, NULL, load, op->iv, -1) != 1 ||
	    EVP_CipherUpdate(cc, region, &outl, region, (int)op->cipher_len) != 1 ||
	    outl != (int)op->cipher_len)
		return -EIO;
	c->des3_loaded[encrypt] = k->base.serial;
	return 0;
}

/* The end of a burst: the 3DES contexts forget the keys they were given (see
 * crypto_openssl_cipher_forget()); one that cannot is replaced. */
static void
mb_des3_forget(struct mb_ctx *c)
{
	for (int dir = 0; dir < 2; dir++) {
		if (!c->des3_keyed[dir])
			continue;
		c->des3_keyed[dir] = 0;
		c->des3_loaded[dir] = 0;
		if (crypto_openssl_cipher_forget(c->des3[dir]) == 0)
			continue;
		EVP_CIPHER_CTX_free(c->des3[dir]);
		c->des3[dir] = crypto_openssl_cipher_ctx_new(ALGO_ENC_3DES_CBC, dir);
	}
}

static int
mb_is_soft(const struct mb_ctx *c, const struct mb_key *k)
{
	return k->base.enc == ALGO_ENC_3DES_CBC && !c->des3_native;
}

void
crypto_ipsecmb_set_des3_native(struct crypto_ctx *ctx, int native)
{
	((struct mb_ctx *)ctx)->des3_native = native;
}

/* The manager's direct AES-GCM call (what IMB_AES128_GCM_ENC() and its kin call) for enc. */
static aes_gcm_enc_dec_t
mb_gcm_fn(const IMB_MGR *mgr, enum algo_enc enc, int encrypt)
{
	if (enc == ALGO_ENC_AES128_GCM16)
		return encrypt ? mgr->gcm128_enc : mgr->gcm128_dec;
	return encrypt ? mgr->gcm256_enc : mgr->gcm256_dec;
}

/* The nonce and AAD (RFC 4106 sections 4 and 5) of every GCM op of a burst, before its first
 * GCM call: the library reads them with masked loads, which a store just made to the same bytes
 * cannot forward to; they wait until it reaches the cache. Written a burst ahead they are there;
 * written just before each call they cost about 6 ns a packet (AVX-512, 1400 bytes, measured
 * with bench/esp_bench: 0.77 of the raw call, 0.80 this way). */
static void
mb_gcm_prepare(struct mb_ctx *c, const struct crypto_op *ops, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct crypto_op *op = &ops[i];

		if (crypto_op_check(op, CRYPTO_BACKEND_IPSECMB) != 0 || !op->key->aead)
			continue;
		c->gcm_aad_len[i] = (uint8_t)crypto_op_aad(op, c->gcm_aad[i]);
		crypto_gcm_nonce(
		    ((const struct mb_key *)op->key)->ck.salt, op->iv, c->gcm_nonce[i]);
		c->gcm_used = i + 1;
	}
}

/* GCM over op i (RFC 4106), its nonce and AAD from mb_gcm_prepare(): cipher and GHASH over
 * the same region, the tag to tag. Encrypting computes the tag over what it wrote; decrypting
 * over what it read (the ciphertext, or the plaintext it encrypts back to what came).
 * The direct calls, not jobs: the library's GCM is one packet at a time either way, and a job
 * costs about a fifth more at 1400 bytes (31 ns against 135, AVX-512, measured). */
static void
mb_gcm(struct mb_ctx *c, size_t i, struct crypto_op *op, uint8_t *tag, int encrypt,
    enum crypto_status *status)
{
	const struct mb_key *k = (const struct mb_key *)op->key;
	uint8_t *region = op->buf + op->cipher_off;

	mb_gcm_fn(c->mgr, k->base.enc, encrypt)(&k->ck.gcm, &c->gcm, region, region, op->cipher_len,
	    c->gcm_nonce[i], c->gcm_aad[i], c->gcm_aad_len[i], tag, CRYPTO_GCM_TAG);
	/* The call reports nothing of its own: its checks (pointers, lengths) are
	 * crypto_op_check()'s, made before. imb_get_errno() would not tell: it answers the
	 * manager's last job, and else a process-wide variable that any thread's call sets. */
	*status = CRYPTO_OK;
}

/* The end of a burst that ran GCM: its running state forgotten. */
static void
mb_gcm_forget(struct mb_ctx *c)
{
	if (c->gcm_used == 0)
		return;
	explicit_bzero(c->gcm_nonce, c->gcm_used * sizeof(c->gcm_nonce[0]));
	explicit_bzero(c->gcm_aad, c->gcm_used * sizeof(c->gcm_aad[0]));
	explicit_bzero(&c->gcm, sizeof(c->gcm));
	c->gcm_used = 0;
}

/* RFC 4303 section 3.3.2.1: with an extended sequence number the ICV covers its high half
 * too, as if it followed the auth region. The job API hashes one region, so it is put there,
 * in the ICV field, for the length of the pass (decrypt: the field's first bytes are kept in
 * icv_head[i] and put back afterwards). Returns the length to hash. */
static uint32_t
mb_esn_append(struct mb_ctx *c, size_t i, struct crypto_op *op, int keep)
{
	if (!op->esn)
		return op->auth_len;
	if (keep)
		memcpy(c->icv_head[i], op->icv, sizeof(c->icv_head[i]));
	store_be32(op->icv, op->seq_hi);
	return op->auth_len + 4;
}

void
crypto_ipsecmb_encrypt_burst(struct crypto_ctx *ctx, struct crypto_op *ops, size_t n)
{
	struct mb_ctx *c = (struct mb_ctx *)ctx;

	mb_gcm_prepare(c, ops, n);
	for (size_t i = 0; i < n; i++) {
		struct crypto_op *op = &ops[i];
		const struct mb_key *k = (const struct mb_key *)op->key;
		IMB_JOB *job;
		int soft;

		op->status = CRYPTO_FAILED;
		if (crypto_op_check(op, CRYPTO_BACKEND_IPSECMB) != 0)
			continue;
		if (k->base.aead) {
			mb_gcm(c, i, op, op->icv, 1, &op->status);
			continue;
		}
		soft = mb_is_soft(c, k);
		if (soft && mb_des3_soft(c, k, op, 1) != 0)
			continue;
		job = IMB_GET_NEXT_JOB(c->mgr);
		mb_job_op(job, op);
		job->msg_len_to_hash_in_bytes = mb_esn_append(c, i, op, 0);
		mb_job_cipher(
		    job, soft ? ALGO_ENC_NULL : k->base.enc, &k->ck, op->iv, IMB_DIR_ENCRYPT);
		/* RFC 4303 section 3.3.4: encrypt, then the ICV over header, IV and ciphertext;
		 * RFC 2404 / RFC 4868: the ICV is the digest truncated to icv_len. */
		mb_job_hash(job, k->base.auth, k->ipad, k->opad, op->icv, k->base.icv_len);
		job->chain_order = IMB_ORDER_CIPHER_HASH;
		mb_submit(c->mgr);
	}
	mb_flush(c->mgr);
	mb_des3_forget(c);
	mb_gcm_forget(c);
}

/* Pass 1 of decryption: every ICV into c->icv: hash-only jobs for an integrity algorithm, GCM
 * jobs (decrypting as they go) for a combined mode. */
static void
mb_verify_pass(struct mb_ctx *c, struct crypto_op *ops, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct crypto_op *op = &ops[i];
		const struct mb_key *k = (const struct mb_key *)op->key;
		IMB_JOB *job;

		op->status = CRYPTO_FAILED;
		if (crypto_op_check(op, CRYPTO_BACKEND_IPSECMB) != 0)
			continue;
		if (k->base.aead) {
			mb_gcm(c, i, op, c->icv[i], 0, &op->status);
			continue;
		}
		job = IMB_GET_NEXT_JOB(c->mgr);
		mb_job_op(job, op);
		job->msg_len_to_hash_in_bytes = mb_esn_append(c, i, op, 1);
		mb_job_cipher(job, ALGO_ENC_NULL, NULL, NULL, IMB_DIR_DECRYPT);
		mb_job_hash(job, k->base.auth, k->ipad, k->opad, c->icv[i], k->base.icv_len);
		job->chain_order = IMB_ORDER_HASH_CIPHER;
		mb_submit(c->mgr);
	}
	mb_flush(c->mgr);
	for (size_t i = 0; i < n; i++) {
		if (ops[i].esn && ops[i].key != NULL && !ops[i].key->aead &&
		    crypto_op_check(&ops[i], CRYPTO_BACKEND_IPSECMB) == 0)
			memcpy(ops[i].icv, c->icv_head[i], sizeof(c->icv_head[i]));
	}
}

/* Pass 2: cipher-only jobs for the ops marked MB_DECRYPT; GCM jobs that encrypt the region of
 * an op marked MB_RESTORE back to the ciphertext that came (a counter mode: the same keystream
 * again), its status left CRYPTO_BAD_ICV. */
static void
mb_decrypt_pass(struct mb_ctx *c, struct crypto_op *ops, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct crypto_op *op = &ops[i];
		const struct mb_key *k = (const struct mb_key *)op->key;
		IMB_JOB *job;

		if (c->pending[i] == MB_RESTORE) {
			c->restored[i] = CRYPTO_FAILED;
			mb_gcm(c, i, op, c->icv[i], 0, &c->restored[i]);
			continue;
		}
		if (c->pending[i] != MB_DECRYPT)
			continue;
		op->status = CRYPTO_FAILED;
		if (mb_is_soft(c, k)) {
			op->status = mb_des3_soft(c, k, op, 0) == 0 ? CRYPTO_OK : CRYPTO_FAILED;
			continue;
		}
		job = IMB_GET_NEXT_JOB(c->mgr);
		mb_job_op(job, op);
		mb_job_cipher(job, k->base.enc, &k->ck, op->iv, IMB_DIR_DECRYPT);
		mb_job_hash(job, k->base.auth, NULL, NULL, NULL, 0);
		job->chain_order = IMB_ORDER_HASH_CIPHER;
		mb_submit(c->mgr);
	}
	mb_flush(c->mgr);
}

void
crypto_ipsecmb_decrypt_burst(struct crypto_ctx *ctx, struct crypto_op *ops, size_t n)
{
	struct mb_ctx *c = (struct mb_ctx *)ctx;

	mb_gcm_prepare(c, ops, n);
	mb_verify_pass(c, ops, n);
	/* RFC 4303 section 3.4.4.1: compare in constant time; only a packet whose ICV matched
	 * keeps its plaintext, so a forgery never yields any. */
	for (size_t i = 0; i < n; i++) {
		const struct crypto_key *k = ops[i].key;

		c->pending[i] = MB_DONE;
		if (ops[i].status != CRYPTO_OK)
			continue;
		if (bytes_ct_differ(c->icv[i], ops[i].icv, k->icv_len)) {
			ops[i].status = CRYPTO_BAD_ICV;
			c->pending[i] = k->aead ? MB_RESTORE : MB_DONE;
			continue;
		}
		c->pending[i] = k->aead || k->enc == ALGO_ENC_NULL ? MB_DONE : MB_DECRYPT;
	}
	mb_decrypt_pass(c, ops, n);
	for (size_t i = 0; i < n; i++) {
		/* A refused cipher job (a bug) leaves no partial plaintext behind. */
		if ((c->pending[i] == MB_DECRYPT && ops[i].status != CRYPTO_OK) ||
		    (c->pending[i] == MB_RESTORE && c->restored[i] != CRYPTO_OK))
			explicit_bzero(ops[i].buf + ops[i].cipher_off, ops[i].cipher_len);
	}
	mb_des3_forget(c);
	mb_gcm_forget(c);
}

/* HMAC of the empty message, which the job API refuses (zero hash length): by plain hashes,
 * H(K0 ^ opad || H(K0 ^ ipad)). */
static int
mb_hmac_empty(IMB_MGR *mgr, const struct crypto_hmac_req *req)
{
	uint8_t ipad[CRYPTO_HMAC_BLOCK_MAX];
	uint8_t buf[CRYPTO_HMAC_BLOCK_MAX + CRYPTO_DIGEST_MAX];
	size_t block = algo_auth_info(req->auth)->block_len;
	size_t dlen = algo_auth_info(req->auth)->digest_len;
	int rc = crypto_hmac_blocks(req->auth, req->key, req->key_len, mb_hash, mgr, ipad, buf);

	if (rc == 0)
		rc = mb_hash(mgr, req->auth, ipad, block, buf + block);
	if (rc == 0)
		rc = mb_hash(mgr, req->auth, buf, block + dlen, req->digest);
	explicit_bzero(ipad, sizeof(ipad));
	explicit_bzero(buf, sizeof(buf));
	return rc;
}

int
crypto_ipsecmb_hmac(struct crypto_ctx *ctx, const struct crypto_hmac_req *req)
{
	struct mb_ctx *c = (struct mb_ctx *)ctx;
	alignas(16) uint8_t ipad[CRYPTO_DIGEST_MAX];
	alignas(16) uint8_t opad[CRYPTO_DIGEST_MAX];
	enum crypto_status status = CRYPTO_FAILED;
	IMB_JOB *job;

	if (req->len == 0)
		return mb_hmac_empty(c->mgr, req);
	if (mb_hmac_pads(c->mgr, req->auth, req->key, req->key_len, ipad, opad) != 0)
		return -EINVAL;
	job = IMB_GET_NEXT_JOB(c->mgr);
	job->src = req->msg;
	job->dst = req->digest; /* unused: no cipher */
	job->cipher_start_src_offset_in_bytes = 0;
	job->msg_len_to_cipher_in_bytes = 0;
	job->hash_start_src_offset_in_bytes = 0;
	job->msg_len_to_hash_in_bytes = req->len;
	job->user_data = &status;
	mb_job_cipher(job, ALGO_ENC_NULL, NULL, NULL, IMB_DIR_DECRYPT);
	mb_job_hash(job, req->auth, ipad, opad, req->digest, algo_auth_info(req->auth)->digest_len);
	job->chain_order = IMB_ORDER_HASH_CIPHER;
	mb_submit(c->mgr);
	mb_flush(c->mgr);
	explicit_bzero(ipad, sizeof(ipad));
	explicit_bzero(opad, sizeof(opad));
	return status == CRYPTO_OK ? 0 : -EIO;
}

int
crypto_ipsecmb_cipher(struct crypto_ctx *ctx, const struct crypto_cipher_req *req)
{
	struct mb_ctx *c = (struct mb_ctx *)ctx;
	struct mb_cipher_keys ck;
	enum crypto_status status = CRYPTO_FAILED;
	IMB_JOB *job;

	if (mb_cipher_expand(c->mgr, req->enc, req->key, &ck) != 0)
		return -EINVAL;
	job = IMB_GET_NEXT_JOB(c->mgr);
	job->src = req->in;
	job->dst = req->out;
	job->cipher_start_src_offset_in_bytes = 0;
	job->msg_len_to_cipher_in_bytes = req->len;
	job->hash_start_src_offset_in_bytes = 0;
	job->msg_len_to_hash_in_bytes = 0;
	job->user_data = &status;
	mb_job_cipher(
	    job, req->enc, &ck, req->iv, req->encrypt ? IMB_DIR_ENCRYPT : IMB_DIR_DECRYPT);
	mb_job_hash(job, ALGO_AUTH_NONE, NULL, NULL, NULL, 0);
	job->chain_order = req->encrypt ? IMB_ORDER_CIPHER_HASH : IMB_ORDER_HASH_CIPHER;
	mb_submit(c->mgr);
	mb_flush(c->mgr);
	explicit_bzero(&ck, sizeof(ck));
	return status == CRYPTO_OK ? 0 : -EIO;
}

int
crypto_ipsecmb_aead(struct crypto_ctx *ctx, const struct crypto_aead_req *req)
{
	struct mb_ctx *c = (struct mb_ctx *)ctx;
	struct mb_cipher_keys *ck = secret_mem_alloc(sizeof(*ck));
	enum crypto_status status = CRYPTO_FAILED;
	uint8_t nonce[CRYPTO_NONCE_LEN], tag[CRYPTO_GCM_TAG];
	IMB_CIPHER_DIRECTION dir = req->encrypt ? IMB_DIR_ENCRYPT : IMB_DIR_DECRYPT;
	IMB_JOB *job;
	int rc = 0;

	/* Key memory rather than the stack: the hash key powers are a kilobyte. */
	if (ck == NULL)
		return -ENOMEM;
	if (mb_cipher_expand(c->mgr, req->enc, req->key, ck) != 0) {
		secret_mem_free(ck, sizeof(*ck));
		return -EINVAL;
	}
	crypto_gcm_nonce(ck->salt, req->iv, nonce);
	job = IMB_GET_NEXT_JOB(c->mgr);
	job->src = req->in;
	job->dst = req->out;
	job->cipher_start_src_offset_in_bytes = 0;
	job->msg_len_to_cipher_in_bytes = req->len;
	job->hash_start_src_offset_in_bytes = 0;
	job->msg_len_to_hash_in_bytes = req->len;
	job->user_data = &status;
	mb_job_cipher(job, req->enc, ck, nonce, dir);
	job->hash_alg = IMB_AUTH_AES_GMAC;
	job->u.GCM.aad = req->aad;
	job->u.GCM.aad_len_in_bytes = req->aad_len;
	job->auth_tag_output = req->encrypt ? req->tag : tag;
	job->auth_tag_output_len_in_bytes = CRYPTO_GCM_TAG;
	job->chain_order = req->encrypt ? IMB_ORDER_CIPHER_HASH : IMB_ORDER_HASH_CIPHER;
	mb_submit(c->mgr);
	mb_flush(c->mgr);
	if (status != CRYPTO_OK)
		rc = -EIO;
	else if (!req->encrypt && bytes_ct_differ(tag, req->tag, CRYPTO_GCM_TAG))
		rc = -EBADMSG;
	if (rc != 0 && !req->encrypt && req->len != 0)
		explicit_bzero(req->out, req->len);
	explicit_bzero(tag, sizeof(tag));
	secret_mem_free(ck, sizeof(*ck));
	return rc;
}
