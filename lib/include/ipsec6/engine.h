/* SPDX-License-Identifier: MIT */
/* Bursts of packets in, verdicts out. Outbound: SPD lookup, SA choice, ESP encapsulation,
 * one crypto burst. Inbound: SA by SPI, replay check, one crypto burst (ICV verified before
 * decryption), replay update, decapsulation, in-policy check. One engine per thread; no I/O,
 * no allocation per packet. */
#ifndef IPSEC6_ENGINE_H
#define IPSEC6_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "ipsec6/crypto.h"
#include "ipsec6/db.h"
#include "ipsec6/drop.h"
#include "ipsec6/esp.h"
#include "ipsec6/pkt.h"

#define ENGINE_BURST_MAX 64

enum engine_verdict {
	ENGINE_PASS,    /* outbound: policy none (or no policy): send as it is */
	ENGINE_DROP,    /* see drop */
	ENGINE_PROTECT, /* outbound: the packet is now ESP with its outer IPv6 header */
	ENGINE_DELIVER, /* inbound: the packet is now the inner IPv6 packet */
};

struct engine_result {
	enum engine_verdict verdict;
	enum pkt_drop drop; /* PKT_DROP_NONE unless verdict is ENGINE_DROP */
	struct sa *sa;      /* the SA used or blamed, or NULL */
};

struct engine;

/* A per-thread engine with its own crypto context and IV generator. Returns 0 or a negative
 * errno with a reason. engine_free(NULL) is a no-op. */
__attribute__((warn_unused_result)) int engine_new(
    enum crypto_backend backend, struct engine **out, struct err *err);
void engine_free(struct engine *engine);

/* Outbound: n (<= ENGINE_BURST_MAX) whole IPv6 packets, each with PKT_HEADROOM and
 * PKT_TAILROOM around it. Per packet: the first out-policy that matches decides; none or no
 * match passes, discard drops, ipsec encapsulates with the bound SA or the SA chosen by
 * addresses and mode. Packets that pass or drop are unchanged. Data path. */
void engine_out_burst(struct engine *engine, const struct db_snap *snap, struct pkt *pkts, size_t n,
    struct engine_result *res);

/* Inbound: n (<= ENGINE_BURST_MAX) ESP packets from the SPI onwards, with what the socket told
 * (meta[i]). Per packet: delivered (p is now the inner IPv6 packet) or dropped. A drop with an
 * SA is counted against it, others in the engine's global counters. Data path. */
void engine_in_burst(struct engine *engine, const struct db_snap *snap, struct pkt *pkts,
    const struct esp_meta *meta, size_t n, struct engine_result *res);

/* Drops that have no SA to be counted against, by reason. */
uint64_t engine_global_drops(const struct engine *engine, enum pkt_drop drop);

/* For tests only: take IVs from fn instead of the CSPRNG (differential tests need the same IVs
 * on both backends). fn NULL restores the CSPRNG. */
void engine_set_iv_source(
    struct engine *engine, void (*fn)(void *arg, uint8_t *iv, size_t len), void *arg);

#endif
