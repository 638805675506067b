/* SPDX-License-Identifier: MIT */
/* IPv6 addresses and prefixes: parsing every RFC 4291 text form (and the ESXi documentation's
 * trailing-colon form), refusing IPv4, printing in RFC 5952 form, prefix matching. */
#ifndef IPSEC6_ADDR_H
#define IPSEC6_ADDR_H

#include <netinet/in.h>

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "ipsec6/err.h"

/* Enough for any RFC 5952 address, "/128", and the terminating NUL. */
#define ADDR_TEXT_MAX 52

struct prefix6 {
	struct in6_addr addr; /* host bits beyond len are zero */
	uint8_t len;          /* 0..128; ::/0 is printed "any" */
};

/* Parse one IPv6 address: any RFC 4291 section 2.2 form, case-insensitive, and the doc form
 * with a single trailing colon ("2001:0DB8:0001:" means "2001:db8:1::"). Refused, with a reason
 * in err quoting the text: empty, malformed, IPv4 ("192.0.2.1"), embedded dotted IPv4
 * ("::ffff:192.0.2.1", "::192.0.2.1"), IPv4-mapped (::ffff:0:0/96 in any form), zone indices.
 * Returns 0, or -EINVAL. */
__attribute__((warn_unused_result)) int addr_parse(
    const char *text, struct in6_addr *out, struct err *err);

/* Parse "ADDR/LEN" (LEN 0..128, decimal, no sign or leading zeros beyond "0") or "any" (::/0).
 * The address takes every form addr_parse() takes. Host bits set beyond LEN are refused
 * ("2001:db8::1/32" is an address, not a prefix) so that what is saved is what was meant.
 * Returns 0, or -EINVAL with the reason in err. */
__attribute__((warn_unused_result)) int addr_prefix_parse(
    const char *text, struct prefix6 *out, struct err *err);

/* Format in RFC 5952 form (lower case, longest run of two or more zero groups compressed,
 * leftmost on a tie) into buf, which holds ADDR_TEXT_MAX bytes. Returns buf. */
char *addr_format(const struct in6_addr *addr, char *buf);

/* Format "ADDR/LEN", or "any" for ::/0, into buf (ADDR_TEXT_MAX bytes). Returns buf. */
char *addr_prefix_format(const struct prefix6 *prefix, char *buf);

/* True when addr lies in prefix. Data path: no allocation. */
bool addr_prefix_match(const struct prefix6 *prefix, const struct in6_addr *addr);

/* True when every byte is zero (the unspecified address, used for "any"). Inline: the data
 * path asks it of every packet. */
static inline bool
addr_is_any(const struct in6_addr *addr)
{
	static const struct in6_addr zero;

	return memcmp(addr, &zero, sizeof(zero)) == 0;
}

/* True when a and b are the same address. Inline, as addr_is_any(). */
static inline bool
addr_equal(const struct in6_addr *a, const struct in6_addr *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

#endif
