// SPDX-License-Identifier: MIT
/* The unit tests' shared helpers: fixtures and packets built the same way in every test, each
 * step checked with cmocka so that a broken fixture fails where it breaks. */
#include "testlib.h"

#include <sys/mman.h>

#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "ipsec6/bytes.h"
#include "ipsec6/conf.h"

const struct tl_algo_pair tl_pairs[TL_NPAIRS] = {
	{ "null", "hmac-sha1", NULL, TL_KEY_SHA1, 0 },
	{ "null", "hmac-sha2-256", NULL, TL_KEY_SHA256, 0 },
	{ "3des-cbc", "hmac-sha1", TL_KEY_3DES, TL_KEY_SHA1, 0 },
	{ "3des-cbc", "hmac-sha2-256", TL_KEY_3DES, TL_KEY_SHA256, 0 },
	{ "aes128-cbc", "hmac-sha1", TL_KEY_AES, TL_KEY_SHA1, 0 },
	{ "aes128-cbc", "hmac-sha2-256", TL_KEY_AES, TL_KEY_SHA256, 0 },
	{ "aes256-cbc", "hmac-sha1", TL_KEY_AES256, TL_KEY_SHA1, 0 },
	{ "aes256-cbc", "hmac-sha2-256", TL_KEY_AES256, TL_KEY_SHA256, 0 },
	{ "aes256-cbc", "hmac-sha2-384", TL_KEY_AES256, TL_KEY_SHA384, 0 },
	{ "aes256-cbc", "hmac-sha2-512", TL_KEY_AES256, TL_KEY_SHA512, 0 },
	{ "aes128-cbc", "hmac-sha2-384", TL_KEY_AES, TL_KEY_SHA384, 0 },
	{ "aes128-cbc", "hmac-sha2-512", TL_KEY_AES, TL_KEY_SHA512, 0 },
	{ "3des-cbc", "hmac-sha2-512", TL_KEY_3DES, TL_KEY_SHA512, 0 },
	{ "null", "hmac-sha2-384", NULL, TL_KEY_SHA384, 0 },
	{ "aes128-gcm16", NULL, TL_KEY_GCM128, NULL, 0 },
	{ "aes256-gcm16", NULL, TL_KEY_GCM256, NULL, 0 },
};

const char *const tl_modes[2] = { "transport", "tunnel" };

uint64_t
tl_rand_next(uint64_t *state)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 0x2545f4914f6cdd1dULL;
}

uint32_t
tl_rand_below(uint64_t *state, uint32_t n)
{
	return (uint32_t)((tl_rand_next(state) >> 32) % n);
}

void
tl_rand_fill(uint64_t *state, uint8_t *out, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = (uint8_t)(tl_rand_next(state) >> 56);
}

static unsigned
tl_hex_nibble(char c)
{
	if (c >= '0' && c <= '9')
		return (unsigned)(c - '0');
	if (c >= 'a' && c <= 'f')
		return (unsigned)(c - 'a' + 10);
	fail_msg("bad hex digit '%c' in a test", c);
	return 0;
}

size_t
tl_hex_decode(const char *hex, uint8_t *out, size_t max)
{
	size_t n;

	if (strncmp(hex, "0x", 2) == 0)
		hex += 2;
	n = strlen(hex) / 2;
	assert_true(strlen(hex) % 2 == 0 && n <= max);
	for (size_t i = 0; i < n; i++)
		out[i] = (uint8_t)(tl_hex_nibble(hex[2 * i]) << 4 | tl_hex_nibble(hex[2 * i + 1]));
	return n;
}

struct in6_addr
tl_addr(const char *text)
{
	struct in6_addr a;
	struct err e = { "" };

	if (strcmp(text, "any") == 0) {
		memset(&a, 0, sizeof(a));
		return a;
	}
	if (addr_parse(text, &a, &e) != 0)
		fail_msg("bad address in test: %s: %s", text, e.msg);
	return a;
}

struct prefix6
tl_prefix(const char *text)
{
	struct prefix6 p;
	struct err e = { "" };

	if (addr_prefix_parse(text, &p, &e) != 0)
		fail_msg("bad prefix in test: %s: %s", text, e.msg);
	return p;
}

void
tl_addr_bytes(const char *text, uint8_t *out)
{
	struct in6_addr a = tl_addr(text);

	memcpy(out, a.s6_addr, sizeof(a.s6_addr));
}

void
tl_text_sa(char *text, size_t size, const char *name, const char *src, const char *dst,
    uint32_t spi, const char *mode, const struct tl_algo_pair *ap)
{
	size_t used = strlen(text);
	char ekey[128] = "";
	char auth[256] = "";
	int n;

	if (ap->enc_key != NULL)
		snprintf(ekey, sizeof(ekey), " --encryption-key=%s", ap->enc_key);
	if (ap->auth != NULL)
		snprintf(auth, sizeof(auth), " --integrity-algorithm=%s --integrity-key=%s",
		    ap->auth, ap->auth_key);
	n = snprintf(text + used, size - used,
	    "sa add --sa-name=%s --sa-source=%s --sa-destination=%s --sa-spi=0x%x --sa-mode=%s "
	    "--encryption-algorithm=%s%s%s%s\n",
	    name, src, dst, spi, mode, ap->enc, ekey, auth, ap->esn ? " --esn" : "");
	assert_true(n > 0 && (size_t)n < size - used);
}

void
tl_text_line(char *text, size_t size, const char *line)
{
	size_t used = strlen(text);

	assert_true(strlen(line) + 1 < size - used);
	snprintf(text + used, size - used, "%s\n", line);
}

struct db *
tl_db_load(enum crypto_backend backend, const char *text, size_t len)
{
	struct db *db = db_new(backend);
	struct err err = { "" };

	assert_non_null(db);
	if (conf_load(db, text, len, &err) != 0)
		fail_msg("conf_load: %s", err.msg);
	return db;
}

void
tl_host_open(struct tl_host *h, enum crypto_backend backend, const char *text)
{
	struct err err = { "" };

	h->db = tl_db_load(backend, text, strlen(text));
	h->snap = db_snapshot(h->db);
	assert_non_null(h->snap);
	if (engine_new(backend, &h->eng, &err) != 0)
		fail_msg("engine_new: %s", err.msg);
}

void
tl_hosts_open(struct tl_host *snd, struct tl_host *rcv, enum crypto_backend backend,
    const struct tl_algo_pair *ap, const char *mode)
{
	char text[4096] = "";

	tl_text_sa(text, sizeof(text), "a", TL_ADDR_A, TL_ADDR_B, 0x1000, mode, ap);
	tl_text_line(text, sizeof(text),
	    "sp add --sp-name=out --sp-source=any --sp-destination=any --flow-direction=out "
	    "--action=ipsec --sa-name=a");
	tl_text_line(text, sizeof(text),
	    "sp add --sp-name=in --sp-source=any --sp-destination=any --flow-direction=in "
	    "--action=ipsec --sa-name=a");
	tl_host_open(snd, backend, text);
	tl_host_open(rcv, backend, text);
}

void
tl_host_close(struct tl_host *h)
{
	engine_free(h->eng);
	db_snap_free(h->snap);
	db_free(h->db);
}

struct sa *
tl_host_sa(const struct tl_host *h, const char *name)
{
	struct sa *sa = sad_lookup_name(db_sad(h->db), name);

	assert_non_null(sa);
	return sa;
}

/* Eight bytes of extension header of the given kind, the i-th in the packet. */
static void
tl_ext_hdr(uint8_t *h, uint8_t kind, size_t i)
{
	memset(h, 0, 8);
	if (kind == IPPROTO_HOPOPTS || kind == IPPROTO_DSTOPTS) {
		h[2] = 1; /* PadN covering the remaining 6 bytes */
		h[3] = 4;
	} else if (kind == IPPROTO_FRAGMENT) {
		store_be32(h + 4, 0x01020304u + (uint32_t)i); /* identification */
	}
}

uint32_t
tl_build_pkt(uint8_t *d, const uint8_t *ext, size_t n_ext, uint8_t ulp, uint32_t ulp_len,
    uint8_t tclass, uint32_t flow, uint8_t hlim, const char *src, const char *dst)
{
	uint32_t off = IPV6_HDR_LEN;
	uint8_t *nh = d + 6;

	memset(d, 0, IPV6_HDR_LEN);
	store_be32(d, (uint32_t)6 << 28 | (uint32_t)tclass << 20 | (flow & 0xfffffu));
	d[7] = hlim;
	tl_addr_bytes(src, d + 8);
	tl_addr_bytes(dst, d + 24);
	for (size_t i = 0; i < n_ext; i++) {
		*nh = ext[i];
		tl_ext_hdr(d + off, ext[i], i);
		nh = d + off;
		off += 8;
	}
	*nh = ulp;
	for (uint32_t i = 0; i < ulp_len; i++)
		d[off + i] = (uint8_t)(i * 7 + ulp + 3);
	if (ulp_len >= 4) {
		store_be16(d + off, 1000);
		store_be16(d + off + 2, 2000);
	}
	off += ulp_len;
	store_be16(d + 4, (uint16_t)(off - IPV6_HDR_LEN));
	return off;
}

void
tl_to_esp(struct pkt *p, struct esp_meta *meta)
{
	const uint8_t *d = pkt_data(p);
	uint32_t off = IPV6_HDR_LEN;
	uint8_t nh = d[6];

	while (nh != IPPROTO_ESP) {
		uint8_t kind = nh;

		assert_true(kind == IPPROTO_HOPOPTS || kind == IPPROTO_ROUTING ||
		    kind == IPPROTO_FRAGMENT || kind == IPPROTO_DSTOPTS);
		nh = d[off];
		off += kind == IPPROTO_FRAGMENT ? 8 : ((uint32_t)d[off + 1] + 1) * 8;
	}
	memset(meta, 0, sizeof(*meta)); /* plain ESP: no UDP ports */
	memcpy(&meta->src, d + 8, 16);
	memcpy(&meta->dst, d + 24, 16);
	meta->hop_limit = d[7];
	meta->tclass = (uint8_t)((d[0] & 0x0f) << 4 | d[1] >> 4);
	assert_int_equal(load_be16(d + 4) + IPV6_HDR_LEN, p->len);
	p->off += off;
	p->len -= off;
}

struct tl_burst *
tl_burst_new(void)
{
	struct tl_burst *b = calloc(1, sizeof(*b));

	assert_non_null(b);
	return b;
}

void
tl_burst_set(struct tl_burst *b, size_t i, const uint8_t *data, uint32_t len)
{
	assert_true(len <= TL_SLOT_DATA);
	memset(b->mem[i], 0, TL_SLOT_SIZE);
	memcpy(b->mem[i] + PKT_HEADROOM, data, len);
	b->p[i] = (struct pkt){ b->mem[i], TL_SLOT_SIZE, PKT_HEADROOM, len };
}

struct sp *
tl_spd_linear_lookup(const struct spd *spd, enum sp_dir dir, const struct pkt_sel *sel)
{
	for (size_t i = 0; i < spd_count(spd); i++) {
		struct sp *sp = spd_at(spd, i);

		if (sp->dir == dir && sp_match(sp, sel))
			return sp;
	}
	return NULL;
}

double
tl_cpu_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
tl_smaps_flags(const void *p, char *flags, size_t size)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	bool inside = false;

	flags[0] = '\0';
	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		unsigned long lo, hi;

		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 &&
		    strchr(line, '-') < strchr(line, ' ')) {
			inside = (unsigned long)p >= lo && (unsigned long)p < hi;
			continue;
		}
		if (inside && strncmp(line, "VmFlags:", 8) == 0) {
			snprintf(flags, size, "%s", line + 8);
			break;
		}
	}
	fclose(f);
}

/* A readable mapping of this process and whether core dumps leave it out. */
struct tl_region {
	uintptr_t lo, hi;
	bool dd;
};

#define TL_REGIONS_MAX 8192
#define TL_SCAN_CHUNK  ((size_t)1 << 20)
#define TL_REGION_MAX  ((uintptr_t)1 << 30)

/* The readable mappings of /proc/self/smaps into r (at most TL_REGIONS_MAX); their number. */
static size_t
tl_regions(struct tl_region *r)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	size_t n = 0;
	bool readable = false;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		unsigned long lo, hi;
		char perms[8];

		if (sscanf(line, "%lx-%lx %7s ", &lo, &hi, perms) == 3 &&
		    strchr(line, '-') < strchr(line, ' ')) {
			readable = perms[0] == 'r' && hi - lo <= TL_REGION_MAX;
			if (readable) {
				assert_true(n < TL_REGIONS_MAX);
				r[n].lo = lo;
				r[n].hi = hi;
				r[n].dd = false;
				n++;
			}
			continue;
		}
		if (readable && strncmp(line, "VmFlags:", 8) == 0)
			r[n - 1].dd = strstr(line, " dd") != NULL;
	}
	fclose(f);
	return n;
}

/* Zero buf's bytes that mirror [lo, hi) of the address space, when buf holds [at, at + len). */
static void
tl_scan_blank(uint8_t *buf, uintptr_t at, size_t len, uintptr_t lo, uintptr_t hi)
{
	uintptr_t from = at > lo ? at : lo;
	uintptr_t to = at + len < hi ? at + len : hi;

	if (from < to)
		memset(buf + (from - at), 0, to - from);
}

static void
tl_scan_count(struct tl_needle *needles, size_t n, const uint8_t *buf, size_t len, bool dd)
{
	for (size_t i = 0; i < n; i++) {
		const uint8_t *p = buf;
		const uint8_t *end = buf + len;
		const uint8_t *hit;

		while ((hit = memmem(p, (size_t)(end - p), needles[i].bytes, needles[i].len)) !=
		    NULL) {
			if (dd)
				needles[i].in_undumped++;
			else
				needles[i].in_dumped++;
			p = hit + 1;
		}
	}
}

void
tl_mem_scan(struct tl_needle *needles, size_t n, const void *skip, size_t skip_len)
{
	size_t buf_len = TL_SCAN_CHUNK + 64;
	uint8_t *buf =
	    mmap(NULL, buf_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct tl_region *r = calloc(TL_REGIONS_MAX, sizeof(*r));
	int fd = open("/proc/self/mem", O_RDONLY | O_CLOEXEC);
	size_t count;

	assert_true(buf != MAP_FAILED);
	assert_non_null(r);
	assert_true(fd >= 0);
	for (size_t i = 0; i < n; i++) {
		assert_true(needles[i].len > 0 && needles[i].len <= 64);
		needles[i].in_dumped = 0;
		needles[i].in_undumped = 0;
	}
	count = tl_regions(r);
	for (size_t i = 0; i < count; i++) {
		for (uintptr_t at = r[i].lo; at < r[i].hi; at += TL_SCAN_CHUNK) {
			/* Reads overlap by 64 bytes so that no needle across a seam is missed; one
			 * in the overlap counts twice: the counts say "at least". */
			size_t want = r[i].hi - at < buf_len ? r[i].hi - at : buf_len;
			ssize_t got = pread(fd, buf, want, (off_t)at);

			if (got <= 0)
				break; /* [vvar] and the like: not memory a process holds */
			tl_scan_blank(
			    buf, at, (size_t)got, (uintptr_t)skip, (uintptr_t)skip + skip_len);
			tl_scan_blank(
			    buf, at, (size_t)got, (uintptr_t)buf, (uintptr_t)buf + buf_len);
			tl_scan_count(needles, n, buf, (size_t)got, r[i].dd);
		}
	}
	explicit_bzero(buf, buf_len);
	munmap(buf, buf_len);
	free(r);
	close(fd);
}
