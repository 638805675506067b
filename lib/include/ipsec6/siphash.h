/* SPDX-License-Identifier: MIT */
/* SipHash-2-4 (Aumasson and Bernstein, "SipHash: a fast short-input PRF", 2012): a keyed hash of
 * short inputs whose outputs an observer cannot predict or relate without the key. For values
 * sent on the wire that must not tell what else was sent (RFC 7739: fragment identifications). */
#ifndef IPSEC6_SIPHASH_H
#define IPSEC6_SIPHASH_H

#include <stddef.h>
#include <stdint.h>

#define SIPHASH_KEY_LEN 16

uint64_t siphash24(const uint8_t key[SIPHASH_KEY_LEN], const void *data, size_t len);

#endif
