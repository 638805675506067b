// SPDX-License-Identifier: MIT
/* Constant-time comparison for ICVs and keys. */
#include "ipsec6/bytes.h"

int
bytes_ct_differ(const void *a, const void *b, size_t n)
{
	const volatile uint8_t *x = a;
	const volatile uint8_t *y = b;
	uint8_t acc = 0;

	for (size_t i = 0; i < n; i++)
		acc |= (uint8_t)(x[i] ^ y[i]);
	/* Map any non-zero accumulator to 1 without a data-dependent branch. */
	return (int)((1u & (((unsigned)acc - 1u) >> 8)) ^ 1u);
}
