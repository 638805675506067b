/* SPDX-License-Identifier: MIT */
/* What the unit tests share (prefix tl_, for testlib): the algorithm pairs and addresses of
 * the ESP tests, configuration text and hosts built from it, IPv6 packets and the raw ESP
 * socket's view of them, bursts, a reproducible PRNG, hex, addresses and CPU time. Every
 * helper checks its own work with cmocka assertions, so a test never sees a half-built
 * fixture. */
#ifndef IPSEC6_TESTLIB_H
#define IPSEC6_TESTLIB_H

#include <netinet/in.h>

#include <stddef.h>
#include <stdint.h>

#include "ipsec6/addr.h"
#include "ipsec6/crypto.h"
#include "ipsec6/db.h"
#include "ipsec6/engine.h"
#include "ipsec6/esp.h"
#include "ipsec6/pkt.h"
#include "ipsec6/sad.h"
#include "ipsec6/spd.h"

#define TL_ADDR_A "2001:db8:1::121"
#define TL_ADDR_B "2001:db8:1::122"
#define TL_ADDR_C "2001:db8:2::7"
#define TL_ADDR_D "2001:db8:3::9"

#define TL_KEY_3DES   "0x0123456789abcdeffedcba987654321089abcdef01234567"
#define TL_KEY_AES    "0x00112233445566778899aabbccddeeff"
#define TL_KEY_SHA1   "0x0102030405060708090a0b0c0d0e0f1011121314"
#define TL_KEY_SHA256 "0x202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
#define TL_KEY_AES256 "0x603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4"
/* AES key, then the 4-byte salt (RFC 4106). No two SAs may hold one GCM key: _2 for a second. */
#define TL_KEY_GCM128   "0xfeffe9928665731c6d6a8f9467308308cafebabe"
#define TL_KEY_GCM128_2 "0x3de09874b388e6491988d0c3607eae1f57690e43"
#define TL_KEY_GCM256_2 "0x6c6567616c697a656d6172696a75616e61616e64646f69746265666f7265696174757266"
#define TL_KEY_GCM256   "0xabbccddef00112233445566778899aababbccddef00112233445566778899aab11223344"
#define TL_KEY_SHA384                                                                          \
	"0x404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f606162636465666768" \
	"696a6b6c6d6e6f"
#define TL_KEY_SHA512                                                                          \
	"0x808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8" \
	"a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"

/* An encryption and an integrity algorithm with keys, as `sa add` spells them. */
struct tl_algo_pair {
	const char *enc;
	const char *auth;    /* NULL with AES-GCM */
	const char *enc_key; /* NULL for null */
	const char *auth_key;
	int esn; /* --esn */
};

/* The ESXi pairs (null, 3des-cbc, aes128-cbc with hmac-sha1, hmac-sha2-256) first, then the
 * extensions: aes256-cbc with every integrity algorithm, hmac-sha2-384/512 with every cipher,
 * aes128-gcm16 and aes256-gcm16 (the last two). */
#define TL_NPAIRS 16
extern const struct tl_algo_pair tl_pairs[TL_NPAIRS];
#define TL_AES_SHA1 (&tl_pairs[4])

/* "transport", "tunnel". */
extern const char *const tl_modes[2];

/* xorshift64*: fast and reproducible from a printed seed (never 0); not for secrets. */
uint64_t tl_rand_next(uint64_t *state);
/* A number below n (n > 0), from the high bits. */
uint32_t tl_rand_below(uint64_t *state, uint32_t n);
/* n bytes, each the top byte of one draw. */
void tl_rand_fill(uint64_t *state, uint8_t *out, size_t n);

/* Decode lower-case hex, with or without a leading "0x", into out (max bytes). Fails the
 * test on an odd length, a bad digit or too many bytes. Returns the number of bytes. */
size_t tl_hex_decode(const char *hex, uint8_t *out, size_t max);

/* An address or prefix written in a test ("any" is ::, or ::/0); fails the test on bad text. */
struct in6_addr tl_addr(const char *text);
struct prefix6 tl_prefix(const char *text);
/* tl_addr() into 16 bytes of a packet. */
void tl_addr_bytes(const char *text, uint8_t *out);

/* Append an `sa add` line for SA name (src to dst, spi, mode, the pair ap) to the
 * NUL-terminated text in a buffer of size bytes. */
void tl_text_sa(char *text, size_t size, const char *name, const char *src, const char *dst,
    uint32_t spi, const char *mode, const struct tl_algo_pair *ap);
/* Append line and a newline. */
void tl_text_line(char *text, size_t size, const char *line);

/* A new database for backend with the configuration text[0, len) loaded. */
struct db *tl_db_load(enum crypto_backend backend, const char *text, size_t len);

/* One host: its database, a snapshot of it and an engine. */
struct tl_host {
	struct db *db;
	struct db_snap *snap;
	struct engine *eng;
};

void tl_host_open(struct tl_host *h, enum crypto_backend backend, const char *text);
/* The standard pair of hosts: SA "a" from A to B (SPI 0x1000) under ap in mode, an out-policy
 * and an in-policy binding it, for all traffic. */
void tl_hosts_open(struct tl_host *snd, struct tl_host *rcv, enum crypto_backend backend,
    const struct tl_algo_pair *ap, const char *mode);
void tl_host_close(struct tl_host *h);
/* The host's SA of that name (which must exist). */
struct sa *tl_host_sa(const struct tl_host *h, const char *name);

/* An IPv6 packet at d: traffic class, flow label, hop limit, src and dst; extension headers of
 * the kinds ext[0, n_ext) in order, 8 bytes each (hop-by-hop and destination options as one
 * PadN, routing type 0 with segments left 0, an atomic fragment); then ulp_len bytes of
 * protocol ulp whose first four, if there are four, are the ports 1000 and 2000. Returns its
 * length. */
uint32_t tl_build_pkt(uint8_t *d, const uint8_t *ext, size_t n_ext, uint8_t ulp, uint32_t ulp_len,
    uint8_t tclass, uint32_t flow, uint8_t hlim, const char *src, const char *dst);

/* Reduce an outbound ESP packet to what the raw ESP socket delivers (the SPI onwards), stepping
 * over the extension headers before ESP, and fill meta from its IPv6 header. */
void tl_to_esp(struct pkt *p, struct esp_meta *meta);

/* A burst of packets, each in its own zeroed slot with PKT_HEADROOM and PKT_TAILROOM. */
#define TL_SLOT_DATA 1600
#define TL_SLOT_SIZE (PKT_HEADROOM + TL_SLOT_DATA + PKT_TAILROOM)

struct tl_burst {
	uint8_t mem[ENGINE_BURST_MAX][TL_SLOT_SIZE];
	struct pkt p[ENGINE_BURST_MAX];
	struct esp_meta meta[ENGINE_BURST_MAX];
	struct engine_result res[ENGINE_BURST_MAX];
};

/* A zeroed burst; the caller frees it with free(). */
struct tl_burst *tl_burst_new(void);
/* Put the packet data[0, len) into slot i, after the headroom. */
void tl_burst_set(struct tl_burst *b, size_t i, const uint8_t *data, uint32_t len);

/* The first policy of direction dir in add order that matches sel, or NULL: the reference
 * the classifier must agree with. */
struct sp *tl_spd_linear_lookup(const struct spd *spd, enum sp_dir dir, const struct pkt_sel *sel);

/* CPU seconds of this process: a busy machine does not count against timing tests. */
double tl_cpu_sec(void);

/* The VmFlags of the mapping that holds p, from /proc/self/smaps (" rd wr ... dd lo"), or ""
 * when no mapping holds it. */
void tl_smaps_flags(const void *p, char *flags, size_t size);

/* A byte string to look for in this process's memory, and how often it was seen: in memory a
 * core dump holds (mappings without VmFlags "dd"), and in memory it leaves out (key memory). */
struct tl_needle {
	const uint8_t *bytes;
	size_t len; /* 1..64 */
	const char *what;
	unsigned in_dumped;
	unsigned in_undumped;
};

/* Count every needle in every readable mapping of this process (read through /proc/self/mem,
 * so nothing faults), except [skip, skip + skip_len), where the caller keeps the needles' own
 * bytes, and the scan's own buffer. Mappings over 1 GiB (a sanitizer's shadow) are left out. */
void tl_mem_scan(struct tl_needle *needles, size_t n, const void *skip, size_t skip_len);

/* Sanitizer builds run several times slower: timing budgets allow for it. */
#if defined(__SANITIZE_ADDRESS__)
#define TL_SLOW_BUILD 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TL_SLOW_BUILD 1
#endif
#endif
#ifndef TL_SLOW_BUILD
#define TL_SLOW_BUILD 0
#endif

#endif
