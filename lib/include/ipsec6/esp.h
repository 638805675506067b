/* SPDX-License-Identifier: MIT */
/* ESP framing for IPv6 (RFC 4303): building the header, IV, padding and trailer around a
 * packet and checking and removing them again. The crypto itself is a struct crypto_op for
 * the engine to run in a burst. Pure computation on caller buffers. */
#ifndef IPSEC6_ESP_H
#define IPSEC6_ESP_H

#include <netinet/in.h>

#include <stdint.h>

#include "ipsec6/bytes.h"
#include "ipsec6/crypto.h"
#include "ipsec6/drop.h"
#include "ipsec6/pkt.h"
#include "ipsec6/sad.h"

#define ESP_HDR_LEN     8 /* SPI, sequence number */
#define ESP_TRAILER_LEN 2 /* pad length, next header */

/* What the raw ESP socket tells about a received packet besides its bytes. */
struct esp_meta {
	struct in6_addr src;
	struct in6_addr dst;
	uint8_t hop_limit;
	uint8_t tclass;
	/* ESP in UDP (RFC 3948): the datagram's source and destination ports; 0: plain ESP. */
	uint16_t encap_sport;
	uint16_t encap_dport;
};

/* Outbound. p holds one whole IPv6 packet. Transport mode inserts ESP after the headers that
 * pkt_layout() finds; tunnel mode prepends an outer IPv6 header (src/dst from the SA, next
 * header 50, hop limit 64, inner traffic class copied) and protects the whole packet with
 * next header 41. Writes the ESP header (sa->spi, the low 32 bits of seq; with sa->esn the high
 * ones go to op for the ICV or AAD, RFC 4303 section 2.2.1), the IV (copied from iv,
 * sa->enc_info->iv_len bytes), padding 1, 2, 3, ... to the cipher block and 4-byte alignment,
 * the trailer, and fills op for crypto_encrypt_burst() (which writes the ICV). Needs
 * PKT_HEADROOM before and PKT_TAILROOM after the data; the result must fit 65535 bytes of
 * payload. Returns PKT_DROP_NONE, PKT_DROP_MALFORMED or PKT_DROP_TOO_BIG (p unchanged then).
 * Data path. */
enum pkt_drop esp_encap(
    const struct sa *sa, struct pkt *p, uint64_t seq, const uint8_t *iv, struct crypto_op *op);

/* Inbound, step 1. p holds the ESP packet from the SPI onwards (as a raw socket receives it).
 * Reads SPI and sequence number after checking the length covers the ESP header. Returns
 * PKT_DROP_NONE or PKT_DROP_SHORT. Data path: inline, asked of every inbound packet. */
static inline enum pkt_drop
esp_peek(const struct pkt *p, uint32_t *spi, uint32_t *seq)
{
	const uint8_t *d = pkt_data(p);

	if (p->len < ESP_HDR_LEN)
		return PKT_DROP_SHORT;
	*spi = load_be32(d);
	*seq = load_be32(d + 4);
	return PKT_DROP_NONE;
}

/* Inbound, step 2, once the SA is known: check that the packet holds the header, IV, at least
 * one cipher block (or the trailer, for null) and the ICV, that the ciphertext is a multiple of
 * the block, and fill op for crypto_decrypt_burst(). seq is the full sequence number (with ESN
 * the one the replay window inferred: its high half goes to op). Returns PKT_DROP_NONE,
 * PKT_DROP_SHORT or PKT_DROP_BAD_LENGTH. Data path. */
enum pkt_drop esp_decap_prepare(
    const struct sa *sa, struct pkt *p, uint64_t seq, struct crypto_op *op);

/* Inbound, step 3, after the ICV verified and the payload was decrypted: check the padding
 * bytes (1, 2, 3, ...: RFC 4303 section 2.4) and the next header (41 in tunnel mode, not 41
 * in transport mode; 59 is a dummy packet), then rewrite p in place into the inner IPv6
 * packet: transport mode rebuilds the IPv6 header from meta (payload length recomputed),
 * tunnel mode keeps the inner packet, which must be well-formed IPv6, with the congestion
 * mark of the outer header (meta's traffic class) carried into its ECN field (RFC 6040).
 * Returns PKT_DROP_NONE, PKT_DROP_BAD_PADDING, PKT_DROP_BAD_NEXT_HEADER, PKT_DROP_DUMMY,
 * PKT_DROP_INNER_MALFORMED or PKT_DROP_ECN (outer CE, inner not ECN-capable). Data path. */
enum pkt_drop esp_decap_finish(const struct sa *sa, struct pkt *p, const struct esp_meta *meta);

/* Bytes ESP adds to a packet of inner_len bytes under sa, worst case over padding, for MTU
 * computations. */
uint32_t esp_overhead_max(const struct sa *sa);

#endif
