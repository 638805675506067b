/* SPDX-License-Identifier: MIT */
/* The one type that holds key material: memory locked against swapping, excluded from core
 * dumps, wiped on free, never formatted; the key memory that also holds everything derived
 * from keys (schedules, HMAC states, crypto contexts, all of OpenSSL's allocations). Also key
 * text parsing ("0x" + hex, or ASCII). */
#ifndef IPSEC6_SECRET_H
#define IPSEC6_SECRET_H

#include <stddef.h>
#include <stdint.h>

#include "ipsec6/err.h"

#define SECRET_MAX 64 /* bytes; the largest key of any algorithm, with room for AES-256-GCM */

struct secret {
	size_t len;
	uint8_t bytes[SECRET_MAX];
};

/* Allocate a zeroed secret of len bytes (1..SECRET_MAX) from locked, non-dumpable memory.
 * The caller owns it and releases it with secret_free(). Returns NULL on ENOMEM or bad len. */
struct secret *secret_new(size_t len);

/* Wipe with explicit_bzero and release. NULL is a no-op. */
void secret_free(struct secret *s);

/* Locked, non-dumpable, zeroed memory of len bytes for other key material (expanded key
 * schedules, HMAC states, the crypto contexts that hold them): a slot of a shared slab, aligned
 * to 32 bytes (to 64 when len > 32), or above SECRET_SLAB_MAX pages of its own. Freed (and
 * wiped) with secret_mem_free() and the same len. Returns NULL with errno ENOMEM/EINVAL.
 * Thread-safe. */
#define SECRET_SLAB_MAX 8192
void *secret_mem_alloc(size_t len);
void secret_mem_free(void *p, size_t len);

/* As secret_mem_alloc(), but always pages of its own (len rounded up to whole pages), which a
 * forked child sees as zeros when wipe_on_fork is set (MADV_WIPEONFORK, Linux 4.14; best
 * effort like the lock): for state a child must never share, such as the IV generator's.
 * Freed with secret_pages_free() and the same len. */
void *secret_pages_alloc(size_t len, int wipe_on_fork);
void secret_pages_free(void *p, size_t len);

/* Every allocation OpenSSL makes in this process lands in key memory too: its cipher contexts
 * hold expanded keys, and only its allocator reaches them. Linking libipsec6 installs the
 * routing before main() (CRYPTO_set_mem_functions() works only before OpenSSL's first
 * allocation). Returns whether it is in place; crypto_ctx_new() and rng_new() refuse to run
 * without it. */
int secret_mem_holds_openssl(void);

/* Calls since the process started, for tests that show a path allocates nothing: allocs and
 * frees of key memory (OpenSSL's included), and openssl_allocs, every call of OpenSSL's malloc
 * and realloc (a realloc in place allocates nothing, but is counted here). */
struct secret_mem_stats {
	uint64_t allocs;
	uint64_t frees;
	uint64_t openssl_allocs;
};
void secret_mem_stats_read(struct secret_mem_stats *out);

/* A copy of s, or NULL on ENOMEM. */
struct secret *secret_dup(const struct secret *s);

/* True when both hold the same bytes; constant time in the length. */
int secret_equal(const struct secret *a, const struct secret *b);

/* Parse key text: "0x"/"0X" followed by an even number of hex digits, or else the text's ASCII
 * bytes (printable, 0x20..0x7e). `what` names the key in messages ("encryption key"), which
 * never quote the key itself. Lengths are the algorithm's to judge (algo_enc_key_check() and
 * algo_auth_key_check() say it one way for every layer): *len gets the key's length in bytes
 * (0 for empty text), and *out a new secret owned by the caller when that is 1..SECRET_MAX,
 * else NULL. Returns 0, -EINVAL (not hex, not printable), or -ENOMEM. */
__attribute__((warn_unused_result)) int secret_parse(
    const char *text, const char *what, size_t *len, struct secret **out, struct err *err);

/* Write "0x" and 2*len lowercase hex digits into buf of size buf_size (>= 2*len+3). For saving
 * the configuration file and the explicit Wireshark export only. Returns 0 or -ENOSPC. */
__attribute__((warn_unused_result)) int secret_format_hex(
    const struct secret *s, char *buf, size_t buf_size);

#endif
