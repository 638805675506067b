// SPDX-License-Identifier: MIT
/* Constant-time comparison for ICVs and keys. */
#include "ipsec6/bytes.h"

#include <string.h>

/* Hide v's value from the optimizer, so that it cannot turn the accumulation below into an
 * early exit (the idea of Linux's OPTIMIZER_HIDE_VAR, as crypto_memneq() uses it). */
#define BYTES_HIDE(v) __asm__("" : "+r"(v))

int
bytes_ct_differ(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a;
	const uint8_t *y = b;
	uint64_t acc = 0;
	size_t i = 0;

	/* Eight bytes at a time: an ICV is 12 to 32 bytes, compared once per packet. */
	for (; i + 8 <= n; i += 8) {
		uint64_t u, v;

		memcpy(&u, x + i, 8);
		memcpy(&v, y + i, 8);
		acc |= u ^ v;
		BYTES_HIDE(acc);
	}
	for (; i < n; i++) {
		acc |= (uint64_t)(x[i] ^ y[i]);
		BYTES_HIDE(acc);
	}
	/* Any non-zero accumulator to 1 without a data-dependent branch. */
	return (int)((acc | (0 - acc)) >> 63);
}
