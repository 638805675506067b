// SPDX-License-Identifier: MIT
/* IPv6 address and prefix text: a strict parser for the RFC 4291 section 2.2 forms (and the ESXi
 * documentation's trailing-colon form) that refuses IPv4 in every disguise, and an RFC 5952
 * formatter written out here so that its choices are ours, not the C library's. */
#include "ipsec6/addr.h"

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#define ADDR_GROUPS 8

/* What the text being parsed is called in reasons: "'X' is not a valid IPv6 address|prefix". */
struct addr_ctx {
	const char *quote; /* the user's whole text, quoted in every reason */
	const char *noun;  /* "address" or "prefix" */
	struct err *err;
};

static int
addr_hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Dotted-quad IPv4 "d.d.d.d" filling all of [p, end): four decimal octets 0-255, no leading
 * zeros (which some stacks read as octal). Returns 0 or -1. */
static int
addr_parse_ipv4(const char *p, const char *end, uint8_t out[4])
{
	for (int i = 0; i < 4; i++) {
		unsigned v = 0;
		const char *start = p;

		while (p < end && *p >= '0' && *p <= '9' && p - start < 3) {
			v = v * 10u + (unsigned)(*p - '0');
			p++;
		}
		if (p == start || v > 255 || (*start == '0' && p - start > 1))
			return -1;
		out[i] = (uint8_t)v;
		if (i < 3) {
			if (p == end || *p != '.')
				return -1;
			p++;
		}
	}
	return p == end ? 0 : -1;
}

/* The groups of an address in text order. The zeros that "::" (or the doc form's single
 * trailing colon) stands for go in before g[gap]. */
struct addr_groups {
	uint16_t g[ADDR_GROUPS];
	int n;       /* groups parsed, both sides of the gap */
	int gap;     /* index in g[] where the zeros go, or -1 */
	bool dotted; /* the last two groups came from d.d.d.d */
};

/* One hex group (1-4 digits) or, as the last element, a dotted IPv4. Advances *pp. */
static int
addr_parse_group(const char **pp, const char *end, struct addr_groups *gr)
{
	const char *p = *pp;
	unsigned v = 0;
	int digits = 0;
	uint8_t v4[4];

	while (p < end && addr_hex_value(*p) >= 0) {
		v = v << 4 | (unsigned)addr_hex_value(*p);
		p++;
		digits++;
	}
	if (p < end && *p == '.') {
		/* RFC 4291 section 2.2 form 3: the low 32 bits as d.d.d.d, only at the end. */
		if (gr->n > ADDR_GROUPS - 2 || addr_parse_ipv4(*pp, end, v4) != 0)
			return -1;
		gr->g[gr->n++] = (uint16_t)(v4[0] << 8 | v4[1]);
		gr->g[gr->n++] = (uint16_t)(v4[2] << 8 | v4[3]);
		gr->dotted = true;
		*pp = end;
		return 0;
	}
	if (digits == 0 || digits > 4 || gr->n >= ADDR_GROUPS)
		return -1;
	gr->g[gr->n++] = (uint16_t)v;
	*pp = p;
	return 0;
}

/* Split [p, end) into groups. Returns 0 or -1 (malformed). */
static int
addr_split(const char *p, const char *end, struct addr_groups *gr)
{
	memset(gr, 0, sizeof(*gr));
	gr->gap = -1;
	if (end - p >= 2 && p[0] == ':' && p[1] == ':') {
		gr->gap = 0;
		p += 2;
		if (p == end)
			return 0;
	}
	for (;;) {
		if (addr_parse_group(&p, end, gr) != 0)
			return -1;
		if (p == end)
			return 0;
		if (*p != ':')
			return -1;
		p++;
		if (p < end && *p == ':') {
			if (gr->gap >= 0)
				return -1;
			gr->gap = gr->n;
			p++;
			if (p == end)
				return 0;
		} else if (p == end) {
			/* Doc form: ESXi's pages write 2001:db8:1:: as "2001:0DB8:0001:". */
			if (gr->gap >= 0)
				return -1;
			gr->gap = gr->n;
			return 0;
		}
	}
}

/* Lay the groups out as 16 bytes. "::" stands for one or more zero groups (RFC 4291 section
 * 2.2 form 2), so eight explicit groups leave no room for it. */
static int
addr_assemble(const struct addr_groups *gr, struct in6_addr *out)
{
	uint16_t full[ADDR_GROUPS] = { 0 };

	if (gr->gap < 0) {
		if (gr->n != ADDR_GROUPS)
			return -1;
		memcpy(full, gr->g, sizeof(full));
	} else {
		int tail = gr->n - gr->gap;

		if (gr->n > ADDR_GROUPS - 1)
			return -1;
		memcpy(full, gr->g, (size_t)gr->gap * sizeof(full[0]));
		memcpy(full + ADDR_GROUPS - tail, gr->g + gr->gap, (size_t)tail * sizeof(full[0]));
	}
	for (size_t i = 0; i < ADDR_GROUPS; i++) {
		out->s6_addr[2 * i] = (uint8_t)(full[i] >> 8);
		out->s6_addr[2 * i + 1] = (uint8_t)full[i];
	}
	return 0;
}

static bool
addr_is_v4mapped(const struct in6_addr *a)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	return memcmp(a->s6_addr, mapped, sizeof(mapped)) == 0;
}

static bool
addr_is_v4compat(const struct in6_addr *a)
{
	static const uint8_t zeros[12] = { 0 };

	return memcmp(a->s6_addr, zeros, sizeof(zeros)) == 0;
}

/* Parse the address in [text, end); reasons quote ctx->quote. */
static int
addr_parse_range(
    const char *text, const char *end, struct in6_addr *out, const struct addr_ctx *ctx)
{
	struct addr_groups gr;
	uint8_t v4[4];

	if (text == end)
		return err_set(ctx->err, EINVAL,
		    "'%s' is not a valid IPv6 %s: the address is empty", ctx->quote, ctx->noun);
	if (memchr(text, '%', (size_t)(end - text)) != NULL)
		return err_set(ctx->err, EINVAL,
		    "'%s' has a zone index: zone indices are not supported", ctx->quote);
	if (addr_parse_ipv4(text, end, v4) == 0)
		return err_set(ctx->err, EINVAL, "'%s' is an IPv4 %s: only IPv6 is supported",
		    ctx->quote, ctx->noun);
	if (addr_split(text, end, &gr) != 0 || addr_assemble(&gr, out) != 0)
		return err_set(
		    ctx->err, EINVAL, "'%s' is not a valid IPv6 %s", ctx->quote, ctx->noun);
	/* RFC 4291 section 2.5.5.2: ::ffff:0:0/96 holds IPv4 addresses, in whatever notation. */
	if (addr_is_v4mapped(out))
		return err_set(ctx->err, EINVAL,
		    "'%s' is an IPv4-mapped %s: only IPv6 is supported", ctx->quote, ctx->noun);
	/* RFC 4291 section 2.5.5.1: "::d.d.d.d" is a deprecated IPv4-compatible address. In hex,
	 * ::/96 also holds :: and ::1, so only the dotted spelling is refused. */
	if (gr.dotted && addr_is_v4compat(out))
		return err_set(ctx->err, EINVAL,
		    "'%s' is an IPv4-compatible %s: only IPv6 is supported", ctx->quote, ctx->noun);
	return 0;
}

int
addr_parse(const char *text, struct in6_addr *out, struct err *err)
{
	struct addr_ctx ctx = { text, "address", err };
	struct in6_addr a;
	int ret;

	ret = addr_parse_range(text, text + strlen(text), &a, &ctx);
	if (ret == 0)
		*out = a;
	return ret;
}

/* LEN of "ADDR/LEN": decimal 0-128, no sign, no leading zeros. Returns 0 or -EINVAL. */
static int
addr_parse_len(const char *p, uint8_t *len, const struct addr_ctx *ctx)
{
	unsigned v = 0;
	const char *start = p;

	while (*p >= '0' && *p <= '9' && v <= 128) {
		v = v * 10u + (unsigned)(*p - '0');
		p++;
	}
	if (p == start || *p != '\0' || v > 128)
		return err_set(ctx->err, EINVAL, "'%s': prefix length must be 0-128", ctx->quote);
	if (*start == '0' && p - start > 1)
		return err_set(ctx->err, EINVAL,
		    "'%s': prefix length must be 0-128, without leading zeros", ctx->quote);
	*len = (uint8_t)v;
	return 0;
}

/* Zero the bits of addr beyond len. Returns true when any was set. */
static bool
addr_mask(struct in6_addr *addr, unsigned len)
{
	bool had = false;

	for (unsigned i = 0; i < 16; i++) {
		unsigned keep = len >= 8 * (i + 1) ? 8 : (len > 8 * i ? len - 8 * i : 0);
		uint8_t mask = (uint8_t)(0xff00u >> keep);

		had |= (addr->s6_addr[i] & (uint8_t)~mask) != 0;
		addr->s6_addr[i] &= mask;
	}
	return had;
}

int
addr_prefix_parse(const char *text, struct prefix6 *out, struct err *err)
{
	struct addr_ctx ctx = { text, "prefix", err };
	struct prefix6 pfx = { 0 };
	char buf[ADDR_TEXT_MAX];
	const char *slash;
	int ret;

	if (strcmp(text, "any") == 0) {
		*out = pfx;
		return 0;
	}
	slash = strchr(text, '/');
	if (slash == NULL) {
		ret = addr_parse_range(text, text + strlen(text), &pfx.addr, &ctx);
		if (ret != 0)
			return ret;
		return err_set(err, EINVAL,
		    "'%s' has no prefix length: write ADDR/LEN (/128 for one address) or any",
		    text);
	}
	ret = addr_parse_range(text, slash, &pfx.addr, &ctx);
	if (ret != 0)
		return ret;
	ret = addr_parse_len(slash + 1, &pfx.len, &ctx);
	if (ret != 0)
		return ret;
	/* A prefix with host bits is most likely a typo'd address; saving the masked value would
	 * silently store something other than what was typed. */
	if (addr_mask(&pfx.addr, pfx.len))
		return err_set(err, EINVAL,
		    "'%s' has bits set beyond the /%u prefix (did you mean %s?)", text, pfx.len,
		    addr_prefix_format(&pfx, buf));
	*out = pfx;
	return 0;
}

/* The longest run of two or more zero groups, leftmost on a tie (RFC 5952 sections 4.2.2 and
 * 4.2.3). Sets *start and returns its length, 0 when there is none. */
static int
addr_zero_run(const uint16_t g[ADDR_GROUPS], int *start)
{
	int best = 0;

	for (int i = 0; i < ADDR_GROUPS;) {
		int j = i;

		while (j < ADDR_GROUPS && g[j] == 0)
			j++;
		if (j - i > best) {
			best = j - i;
			*start = i;
		}
		i = j > i ? j : i + 1;
	}
	return best >= 2 ? best : 0;
}

/* Write v in lower-case hex without leading zeros (RFC 5952 sections 4.1 and 4.3). */
static char *
addr_put_hex(char *p, unsigned v)
{
	static const char digits[] = "0123456789abcdef";
	int shift = 12;

	while (shift > 0 && (v >> shift) == 0)
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		*p++ = digits[(v >> shift) & 0xfu];
	return p;
}

static char *
addr_put_dec(char *p, unsigned v)
{
	if (v >= 100)
		*p++ = (char)('0' + v / 100);
	if (v >= 10)
		*p++ = (char)('0' + v / 10 % 10);
	*p++ = (char)('0' + v % 10);
	return p;
}

/* At most 8 groups of 4 digits and 7 colons, or 6 groups and a dotted quad: 39 characters. */
char *
addr_format(const struct in6_addr *addr, char *buf)
{
	const uint8_t *b = addr->s6_addr;
	uint16_t g[ADDR_GROUPS];
	int run_start = 0, run_len, groups = ADDR_GROUPS;
	char *p = buf;

	for (size_t i = 0; i < ADDR_GROUPS; i++)
		g[i] = (uint16_t)(b[2 * i] << 8 | b[2 * i + 1]);
	/* RFC 5952 section 5: IPv4-mapped addresses are written in mixed notation. Their longest
	 * zero run is groups 0-4, so it never reaches into the dotted part. */
	if (addr_is_v4mapped(addr))
		groups = ADDR_GROUPS - 2;
	run_len = addr_zero_run(g, &run_start);
	for (int i = 0; i < groups; i++) {
		if (run_len > 0 && i == run_start) {
			/* RFC 5952 section 4.2.1: "::" replaces the whole run. */
			if (i == 0)
				*p++ = ':';
			*p++ = ':';
			i += run_len - 1;
			continue;
		}
		p = addr_put_hex(p, g[i]);
		if (i < ADDR_GROUPS - 1)
			*p++ = ':';
	}
	if (groups < ADDR_GROUPS) {
		for (int i = 12; i < 16; i++) {
			p = addr_put_dec(p, b[i]);
			if (i < 15)
				*p++ = '.';
		}
	}
	*p = '\0';
	return buf;
}

char *
addr_prefix_format(const struct prefix6 *prefix, char *buf)
{
	size_t n;

	if (prefix->len == 0 && addr_is_any(&prefix->addr)) {
		memcpy(buf, "any", sizeof("any"));
		return buf;
	}
	addr_format(&prefix->addr, buf);
	n = strlen(buf);
	/* 39 characters of address at most, so "/128" always fits. */
	(void)snprintf(buf + n, ADDR_TEXT_MAX - n, "/%u", (unsigned)prefix->len);
	return buf;
}

bool
addr_prefix_match(const struct prefix6 *prefix, const struct in6_addr *addr)
{
	unsigned full = prefix->len / 8u, rest = prefix->len % 8u;

	assert(prefix->len <= 128);
	if (memcmp(prefix->addr.s6_addr, addr->s6_addr, full) != 0)
		return false;
	if (rest == 0)
		return true;
	return ((prefix->addr.s6_addr[full] ^ addr->s6_addr[full]) & (uint8_t)(0xff00u >> rest)) ==
	    0;
}
