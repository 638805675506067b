/* SPDX-License-Identifier: MIT */
/* A per-thread CSPRNG for CBC IVs (RFC 3602 section 2: unpredictable): ChaCha20 keystream under
 * a key from getrandom(2), refilled a buffer at a time and rekeyed regularly, so that IVs for a
 * whole burst cost no system call. */
#ifndef IPSEC6_RNG_H
#define IPSEC6_RNG_H

#include <stddef.h>
#include <stdint.h>

#include "ipsec6/err.h"

struct rng;

/* Seed from getrandom(2). The state lives in key memory. Returns 0, -ENOMEM,
 * -ENOTRECOVERABLE (see secret_mem_holds_openssl()), or the negative errno of getrandom. */
__attribute__((warn_unused_result)) int rng_new(struct rng **out, struct err *err);
void rng_free(struct rng *rng);

/* Fill buf with len unpredictable bytes. Data path: no allocation, no system call except
 * the rare reseed. Returns 0, or a negative errno if reseeding failed (buf is then zeroed). */
__attribute__((warn_unused_result)) int rng_bytes(struct rng *rng, uint8_t *buf, size_t len);

#endif
