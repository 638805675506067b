/* SPDX-License-Identifier: MIT */
/* The one type that holds key material: memory locked against swapping, excluded from core
 * dumps, wiped on free, never formatted. Also key text parsing ("0x" + hex, or ASCII). */
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
 * schedules, HMAC states), aligned to 64 bytes when len <= 2048, to a page otherwise. Freed
 * (and wiped) with secret_mem_free() and the same len. Returns NULL with errno ENOMEM/EINVAL. */
void *secret_mem_alloc(size_t len);
void secret_mem_free(void *p, size_t len);

/* A copy of s, or NULL on ENOMEM. */
struct secret *secret_dup(const struct secret *s);

/* True when both hold the same bytes; constant time in the length. */
int secret_equal(const struct secret *a, const struct secret *b);

/* Parse key text: "0x"/"0X" followed by an even number of hex digits, or else the text's ASCII
 * bytes (printable, 0x20..0x7e). The result must be want_len bytes; `what` names the key in
 * messages ("encryption key"). Reasons never quote the key itself, only its length:
 *   "encryption key is 15 bytes, aes128-cbc needs 16"
 * algo_name is used only in that message. On success *out is a new secret owned by the caller.
 * Returns 0, -EINVAL, or -ENOMEM. */
__attribute__((warn_unused_result)) int secret_parse(const char *text, size_t want_len,
    const char *what, const char *algo_name, struct secret **out, struct err *err);

/* Write "0x" and 2*len lowercase hex digits into buf of size buf_size (>= 2*len+3). For saving
 * the configuration file and the explicit Wireshark export only. Returns 0 or -ENOSPC. */
__attribute__((warn_unused_result)) int secret_format_hex(
    const struct secret *s, char *buf, size_t buf_size);

#endif
