/* SPDX-License-Identifier: MIT */
/* Wire-order loads and stores, and constant-time helpers for secrets and ICVs. */
#ifndef IPSEC6_BYTES_H
#define IPSEC6_BYTES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Wire order is big-endian. Each access is one load or store and, on a little-endian host, one
 * byte swap: memcpy() of a constant size compiles to a single move, alignment aside. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define BYTES_BE16(v) (v)
#define BYTES_BE32(v) (v)
#define BYTES_BE64(v) (v)
#else
#define BYTES_BE16(v) __builtin_bswap16(v)
#define BYTES_BE32(v) __builtin_bswap32(v)
#define BYTES_BE64(v) __builtin_bswap64(v)
#endif

static inline uint16_t
load_be16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return BYTES_BE16(v);
}

static inline uint32_t
load_be32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return BYTES_BE32(v);
}

static inline uint64_t
load_be64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return BYTES_BE64(v);
}

static inline void
store_be16(uint8_t *p, uint16_t v)
{
	v = BYTES_BE16(v);
	memcpy(p, &v, sizeof(v));
}

static inline void
store_be32(uint8_t *p, uint32_t v)
{
	v = BYTES_BE32(v);
	memcpy(p, &v, sizeof(v));
}

static inline void
store_be64(uint8_t *p, uint64_t v)
{
	v = BYTES_BE64(v);
	memcpy(p, &v, sizeof(v));
}

/* Compare n bytes in time that depends only on n. Returns 0 when equal, 1 otherwise. */
int bytes_ct_differ(const void *a, const void *b, size_t n);

#endif
