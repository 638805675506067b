// SPDX-License-Identifier: MIT
/* A per-thread CSPRNG for IVs: the ChaCha20 keystream (RFC 8439) under a 256-bit key from
 * getrandom(2), produced a buffer at a time. Fast key erasure: the first 32 bytes of every
 * buffer become the next key and bytes are wiped as they are handed out, so the state never
 * reveals past output. A fresh getrandom key is mixed in every RNG_RESEED_REFILLS buffers, and
 * after fork (the state pages are MADV_WIPEONFORK, so a child starts unseeded). The state is
 * key memory (lib/secret.c), and so is the ChaCha20 context, like everything OpenSSL
 * allocates; it is rekeyed to zeros after each buffer so that it cannot regenerate one. */
#include "ipsec6/rng.h"

#include <sys/random.h>

#include <errno.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "ipsec6/secret.h"

#define RNG_KEY_LEN        32
#define RNG_BUF_LEN        4096
#define RNG_RESEED_REFILLS 1024 /* 4 MiB of output per getrandom() */

/* The secret part, in key memory pages of its own that a forked child sees as zeros. */
struct rng_state {
	uint8_t key[RNG_KEY_LEN];
	uint8_t buf[RNG_BUF_LEN];
	size_t pos;       /* next unused byte of buf; RNG_BUF_LEN when empty */
	unsigned refills; /* since the last getrandom() */
	int seeded;       /* 0 in a fresh page and in a forked child */
};

struct rng {
	EVP_CIPHER_CTX *cipher;
	struct rng_state *st;
};

/* Mix a key from the kernel into st->key (XOR keeps it at least as strong as either). */
static int
rng_reseed(struct rng_state *st)
{
	uint8_t fresh[RNG_KEY_LEN];
	size_t got = 0;

	while (got < sizeof(fresh)) {
		ssize_t r = getrandom(fresh + got, sizeof(fresh) - got, 0);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			explicit_bzero(fresh, sizeof(fresh));
			return -e;
		}
		got += (size_t)r;
	}
	for (size_t i = 0; i < sizeof(fresh); i++)
		st->key[i] ^= fresh[i];
	explicit_bzero(fresh, sizeof(fresh));
	st->refills = 0;
	st->seeded = 1;
	return 0;
}

/* Fill st->buf with keystream under st->key, then erase that key by replacing it with the
 * buffer's first 32 bytes. Each key is used once, so a zero nonce and counter are safe. */
static int
rng_refill(struct rng *rng)
{
	static const uint8_t iv[16];
	static const uint8_t zero_key[RNG_KEY_LEN];
	struct rng_state *st = rng->st;
	int outl = 0;
	int rc;

	if (!st->seeded || st->refills >= RNG_RESEED_REFILLS) {
		rc = rng_reseed(st);
		if (rc != 0)
			return rc;
	}
	memset(st->buf, 0, sizeof(st->buf));
	if (EVP_EncryptInit_ex(rng->cipher, NULL, NULL, st->key, iv) != 1 ||
	    EVP_EncryptUpdate(rng->cipher, st->buf, &outl, st->buf, (int)sizeof(st->buf)) != 1 ||
	    outl != (int)sizeof(st->buf)) {
		explicit_bzero(st->buf, sizeof(st->buf));
		st->pos = sizeof(st->buf);
		return -EIO;
	}
	memcpy(st->key, st->buf, RNG_KEY_LEN);
	explicit_bzero(st->buf, RNG_KEY_LEN);
	/* The context's copy of the old key would regenerate the buffer, bytes handed out
	 * included. Best effort: a refusal leaves it in key memory, replaced at the next refill. */
	(void)EVP_EncryptInit_ex(rng->cipher, NULL, NULL, zero_key, iv);
	st->pos = RNG_KEY_LEN;
	st->refills++;
	return 0;
}

int
rng_new(struct rng **out, struct err *err)
{
	struct rng *rng;
	int rc;

	*out = NULL;
	if (!secret_mem_holds_openssl())
		return err_set(err, ENOTRECOVERABLE,
		    "OpenSSL allocated memory before its allocations could be placed in locked "
		    "memory: the random number generator's key would be in the ordinary heap");
	rng = calloc(1, sizeof(*rng));
	if (rng == NULL)
		return err_set(err, ENOMEM, "out of memory for the random number generator");
	rng->st = secret_pages_alloc(sizeof(*rng->st), 1);
	rng->cipher = EVP_CIPHER_CTX_new();
	if (rng->st == NULL || rng->cipher == NULL ||
	    EVP_EncryptInit_ex(rng->cipher, EVP_chacha20(), NULL, NULL, NULL) != 1) {
		rng_free(rng);
		return err_set(err, ENOMEM, "out of memory for the random number generator");
	}
	rng->st->pos = RNG_BUF_LEN;
	rc = rng_reseed(rng->st);
	if (rc != 0) {
		rng_free(rng);
		return err_set(err, -rc,
		    "could not seed the random number generator: getrandom failed (errno %d)", -rc);
	}
	*out = rng;
	return 0;
}

void
rng_free(struct rng *rng)
{
	if (rng == NULL)
		return;
	secret_pages_free(rng->st, sizeof(*rng->st));
	EVP_CIPHER_CTX_free(rng->cipher);
	free(rng);
}

/* Wipe n handed-out bytes. memset plus a compiler barrier, like explicit_bzero, but inlined:
 * this runs for every IV. */
static inline void
rng_wipe(uint8_t *p, size_t n)
{
	memset(p, 0, n);
	__asm__ __volatile__("" : : "r"(p) : "memory");
}

int
rng_bytes(struct rng *rng, uint8_t *buf, size_t len)
{
	struct rng_state *st = rng->st;
	size_t done = 0;

	/* A forked child's page reads as zeros: start again from the kernel. */
	if (!st->seeded)
		st->pos = RNG_BUF_LEN;
	while (done < len) {
		size_t n = RNG_BUF_LEN - st->pos;
		int rc;

		if (n == 0) {
			rc = rng_refill(rng);
			if (rc != 0) {
				explicit_bzero(buf, len);
				return rc;
			}
			continue;
		}
		if (n > len - done)
			n = len - done;
		memcpy(buf + done, st->buf + st->pos, n);
		rng_wipe(st->buf + st->pos, n);
		st->pos += n;
		done += n;
	}
	return 0;
}
