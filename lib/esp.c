// SPDX-License-Identifier: MIT
/* ESP framing for IPv6 (RFC 4303): header, IV, padding and trailer around a packet on the way
 * out; length, padding and next-header checks and the rebuild of the inner packet on the way
 * in. The cipher and the ICV are the crypto backend's, run by the engine in bursts. */
#include "ipsec6/esp.h"

#include <string.h>

#include "ipsec6/addr.h"
#include "ipsec6/bytes.h"

#define IPPROTO_ESP_NUM  50
#define IPPROTO_IPV6_NUM 41
#define IPPROTO_NONE_NUM 59
#define IPPROTO_UDP_NUM  17
#define UDP_HDR_LEN      8u
#define IPV6_PAYLOAD_MAX 65535u
#define TUNNEL_HOP_LIMIT 64

/* The ECN field's codepoints (RFC 3168 section 5), the low two bits of the traffic class. */
#define ECN_NOT_ECT 0u
#define ECN_ECT1    1u
#define ECN_ECT0    2u
#define ECN_CE      3u

/* RFC 4303 section 2.4: pad so that payload + trailer fill whole cipher blocks and end on a
 * 4-byte boundary, so that the ICV is aligned. */
static uint32_t
esp_pad_len(const struct sa *sa, uint32_t payload_len)
{
	uint32_t align = (uint32_t)sa->enc_info->block_len;

	/* Every block length is a power of two (test_algo checks), so a mask does the modulo. */
	if (align < 4)
		align = 4;
	return (0u - (payload_len + ESP_TRAILER_LEN)) & (align - 1);
}

/* Write padding 1, 2, 3, ... (RFC 4303 section 2.4, default contents) and the trailer. */
static inline void
esp_write_trailer(uint8_t *at, uint32_t pad_len, uint8_t next_header)
{
	for (uint32_t i = 0; i < pad_len; i++)
		at[i] = (uint8_t)(i + 1);
	at[pad_len] = (uint8_t)pad_len;
	at[pad_len + 1] = next_header;
}

static inline void
esp_fill_op(const struct sa *sa, struct pkt *p, uint32_t esp_off, uint32_t cipher_len, uint64_t seq,
    struct crypto_op *op)
{
	uint32_t iv_len = (uint32_t)sa->enc_info->iv_len;
	uint32_t start = p->off + esp_off;

	op->key = sa->ckey;
	op->buf = p->buf;
	op->auth_off = start;
	op->auth_len = ESP_HDR_LEN + iv_len + cipher_len;
	op->cipher_off = start + ESP_HDR_LEN + iv_len;
	op->cipher_len = cipher_len;
	op->iv = p->buf + start + ESP_HDR_LEN;
	op->icv = p->buf + op->cipher_off + cipher_len;
	/* RFC 4303 section 2.2.1: the high half is authenticated, never sent. */
	op->seq_hi = sa->esn ? (uint32_t)(seq >> 32) : 0;
	op->esn = sa->esn;
	op->status = CRYPTO_OK;
}

static inline void
esp_write_header(const struct sa *sa, uint8_t *esp, uint64_t seq, const uint8_t *iv)
{
	size_t iv_len = sa->enc_info->iv_len;

	store_be32(esp, sa->spi);
	store_be32(esp + 4, (uint32_t)seq);
	/* Constant lengths for the IVs there are (8: GCM and 3DES, 16: AES-CBC): a move or two,
	 * not a call to memcpy, per packet. */
	if (iv_len == 8)
		memcpy(esp + ESP_HDR_LEN, iv, 8);
	else if (iv_len == 16)
		memcpy(esp + ESP_HDR_LEN, iv, 16);
	else
		memcpy(esp + ESP_HDR_LEN, iv, iv_len);
}

/* RFC 3948 section 2.1: the UDP header in front of the ESP header, len bytes from the UDP
 * header on. The checksum is the sending socket's to compute (io_udp.c): 0 here, which no
 * IPv6 receiver accepts (RFC 8200 section 8.1) should the packet ever leave otherwise. */
static void
esp_write_udp(const struct sa *sa, uint8_t *udp, uint32_t len)
{
	store_be16(udp, sa->encap_sport);
	store_be16(udp + 2, sa->encap_dport);
	store_be16(udp + 4, (uint16_t)len);
	store_be16(udp + 6, 0);
}

static enum pkt_drop
esp_encap_transport(
    const struct sa *sa, struct pkt *p, uint64_t seq, const uint8_t *iv, struct crypto_op *op)
{
	struct pkt_layout lay;
	uint32_t iv_len = (uint32_t)sa->enc_info->iv_len;
	uint32_t udp_len = sa_is_encap(sa) ? UDP_HDR_LEN : 0;
	uint32_t grow = udp_len + ESP_HDR_LEN + iv_len;
	uint32_t payload_len, pad_len, cipher_len, icv_len = sa->icv_len;
	enum pkt_drop drop;
	uint8_t *d;

	drop = pkt_layout(pkt_data(p), p->len, &lay);
	if (drop != PKT_DROP_NONE)
		return drop;
	/* ESP in UDP leaves through a UDP socket, which writes the IPv6 header itself: no
	 * extension headers of the packet's can come along. */
	if (udp_len != 0 && lay.esp_off != IPV6_HDR_LEN)
		return PKT_DROP_ENCAP_MISMATCH;
	payload_len = p->len - lay.esp_off;
	pad_len = esp_pad_len(sa, payload_len);
	cipher_len = payload_len + pad_len + ESP_TRAILER_LEN;
	if (p->off < grow || p->size - p->off - p->len < pad_len + ESP_TRAILER_LEN + icv_len ||
	    p->len + grow + pad_len + ESP_TRAILER_LEN + icv_len - IPV6_HDR_LEN > IPV6_PAYLOAD_MAX)
		return PKT_DROP_TOO_BIG;

	/* Move the unfragmentable part forward to open a gap for the ESP header and IV. */
	d = pkt_data(p);
	memmove(d - grow, d, lay.esp_off);
	p->off -= grow;
	d = pkt_data(p);
	d[lay.nexthdr_off] = udp_len != 0 ? IPPROTO_UDP_NUM : IPPROTO_ESP_NUM;
	esp_write_header(sa, d + lay.esp_off + udp_len, seq, iv);
	esp_write_trailer(d + lay.esp_off + grow + payload_len, pad_len, lay.nexthdr);
	p->len += grow + pad_len + ESP_TRAILER_LEN + icv_len;
	store_be16(d + 4, (uint16_t)(p->len - IPV6_HDR_LEN));
	if (udp_len != 0)
		esp_write_udp(sa, d + lay.esp_off, p->len - lay.esp_off);
	esp_fill_op(sa, p, lay.esp_off + udp_len, cipher_len, seq, op);
	return PKT_DROP_NONE;
}

/* RFC 4301 section 5.1.2.1: the outer header's addresses are the SA's endpoints; the traffic
 * class is copied from the inner header, the flow label is not. An endpoint given as any
 * takes the inner packet's address. */
static void
esp_write_outer(const struct sa *sa, uint8_t *outer, const uint8_t *inner, uint32_t payload_len)
{
	uint8_t tclass = (uint8_t)((inner[0] & 0x0f) << 4 | inner[1] >> 4);

	store_be32(outer, (uint32_t)6 << 28 | (uint32_t)tclass << 20);
	store_be16(outer + 4, (uint16_t)payload_len);
	outer[6] = sa_is_encap(sa) ? IPPROTO_UDP_NUM : IPPROTO_ESP_NUM;
	outer[7] = TUNNEL_HOP_LIMIT;
	memcpy(outer + 8, addr_is_any(&sa->src) ? inner + 8 : sa->src.s6_addr, 16);
	memcpy(outer + 24, addr_is_any(&sa->dst) ? inner + 24 : sa->dst.s6_addr, 16);
}

static enum pkt_drop
esp_encap_tunnel(
    const struct sa *sa, struct pkt *p, uint64_t seq, const uint8_t *iv, struct crypto_op *op)
{
	uint32_t iv_len = (uint32_t)sa->enc_info->iv_len;
	uint32_t udp_len = sa_is_encap(sa) ? UDP_HDR_LEN : 0;
	uint32_t grow = IPV6_HDR_LEN + udp_len + ESP_HDR_LEN + iv_len;
	uint32_t icv_len = sa->icv_len;
	uint32_t pad_len = esp_pad_len(sa, p->len);
	uint32_t cipher_len = p->len + pad_len + ESP_TRAILER_LEN;
	uint8_t *d;

	if (p->len < IPV6_HDR_LEN)
		return PKT_DROP_MALFORMED;
	if (p->off < grow || p->size - p->off - p->len < pad_len + ESP_TRAILER_LEN + icv_len ||
	    udp_len + ESP_HDR_LEN + iv_len + cipher_len + icv_len > IPV6_PAYLOAD_MAX)
		return PKT_DROP_TOO_BIG;

	d = pkt_data(p);
	esp_write_trailer(d + p->len, pad_len, IPPROTO_IPV6_NUM);
	p->off -= grow;
	d = pkt_data(p);
	esp_write_outer(sa, d, d + grow, udp_len + ESP_HDR_LEN + iv_len + cipher_len + icv_len);
	if (udp_len != 0)
		esp_write_udp(sa, d + IPV6_HDR_LEN,
		    UDP_HDR_LEN + ESP_HDR_LEN + iv_len + cipher_len + icv_len);
	esp_write_header(sa, d + IPV6_HDR_LEN + udp_len, seq, iv);
	p->len += grow + pad_len + ESP_TRAILER_LEN + icv_len;
	esp_fill_op(sa, p, IPV6_HDR_LEN + udp_len, cipher_len, seq, op);
	return PKT_DROP_NONE;
}

enum pkt_drop
esp_encap(const struct sa *sa, struct pkt *p, uint64_t seq, const uint8_t *iv, struct crypto_op *op)
{
	switch (sa->mode) {
	case SA_MODE_TRANSPORT:
		return esp_encap_transport(sa, p, seq, iv, op);
	case SA_MODE_TUNNEL:
		return esp_encap_tunnel(sa, p, seq, iv, op);
	}
	return PKT_DROP_MALFORMED;
}

/* Length of the encrypted part (payload, padding, trailer), or 0 if the packet cannot hold
 * the header, IV, one cipher block (the trailer, for null) and ICV. */
static uint32_t
esp_cipher_len(const struct sa *sa, const struct pkt *p)
{
	uint32_t fixed = ESP_HDR_LEN + (uint32_t)sa->enc_info->iv_len + sa->icv_len;
	uint32_t min = (uint32_t)sa->enc_info->block_len;

	if (min < ESP_TRAILER_LEN)
		min = ESP_TRAILER_LEN;
	if (p->len < fixed + min)
		return 0;
	return p->len - fixed;
}

enum pkt_drop
esp_decap_prepare(const struct sa *sa, struct pkt *p, uint64_t seq, struct crypto_op *op)
{
	uint32_t cipher_len = esp_cipher_len(sa, p);

	if (cipher_len == 0)
		return PKT_DROP_SHORT;
	if ((cipher_len & (sa->enc_info->block_len - 1)) != 0) /* a power of two */
		return PKT_DROP_BAD_LENGTH;
	esp_fill_op(sa, p, 0, cipher_len, seq, op);
	return PKT_DROP_NONE;
}

/* RFC 4303 section 2.4: the receiver checks the padding when it is the default 1, 2, 3, ...
 * sequence; we always send that and require it. */
static enum pkt_drop
esp_check_trailer(
    const uint8_t *payload, uint32_t cipher_len, uint32_t *inner_len, uint8_t *next_header)
{
	uint32_t pad_len = payload[cipher_len - 2];

	if (pad_len + ESP_TRAILER_LEN > cipher_len)
		return PKT_DROP_BAD_PADDING;
	*inner_len = cipher_len - ESP_TRAILER_LEN - pad_len;
	for (uint32_t i = 0; i < pad_len; i++) {
		if (payload[*inner_len + i] != (uint8_t)(i + 1))
			return PKT_DROP_BAD_PADDING;
	}
	*next_header = payload[cipher_len - 1];
	return PKT_DROP_NONE;
}

static enum pkt_drop
esp_finish_transport(struct pkt *p, uint32_t start, uint32_t inner_len, uint8_t next_header,
    const struct esp_meta *meta)
{
	uint8_t *h;

	/* RFC 4303 section 3.1.1: the extension headers before ESP were the kernel's to process;
	 * the rebuilt header carries what the socket told us. */
	if (next_header == IPPROTO_IPV6_NUM)
		return PKT_DROP_BAD_NEXT_HEADER;
	if (start < IPV6_HDR_LEN)
		return PKT_DROP_INNER_MALFORMED;
	h = p->buf + start - IPV6_HDR_LEN;
	store_be32(h, (uint32_t)6 << 28 | (uint32_t)meta->tclass << 20);
	store_be16(h + 4, (uint16_t)inner_len);
	h[6] = next_header;
	h[7] = meta->hop_limit;
	memcpy(h + 8, meta->src.s6_addr, 16);
	memcpy(h + 24, meta->dst.s6_addr, 16);
	p->off = start - IPV6_HDR_LEN;
	p->len = IPV6_HDR_LEN + inner_len;
	return PKT_DROP_NONE;
}

/* RFC 6040 section 4.2 (which updates RFC 4301 section 5.1.2.1): the ECN field a packet leaves
 * the tunnel with, from its inner and outer ones, so that congestion marked on the way is not
 * lost; -1 when the packet must be dropped instead, as its transport (not ECN-capable)
 * would not understand the mark. */
static int
esp_ecn_decap(unsigned inner, unsigned outer)
{
	if (inner == ECN_NOT_ECT)
		return outer == ECN_CE ? -1 : (int)ECN_NOT_ECT;
	if (inner == ECN_CE || outer == ECN_CE)
		return ECN_CE;
	if (outer == ECN_ECT1)
		return ECN_ECT1;
	return (int)inner;
}

static enum pkt_drop
esp_finish_tunnel(struct pkt *p, uint32_t start, uint32_t inner_len, uint8_t next_header,
    const struct esp_meta *meta)
{
	uint8_t *inner = p->buf + start;
	uint32_t total;
	int ecn;

	if (next_header != IPPROTO_IPV6_NUM)
		return PKT_DROP_BAD_NEXT_HEADER;
	if (inner_len < IPV6_HDR_LEN || inner[0] >> 4 != 6)
		return PKT_DROP_INNER_MALFORMED;
	/* RFC 4303 section 2.7: traffic flow confidentiality padding may follow the inner
	 * packet; its own length field says where it ends. */
	total = IPV6_HDR_LEN + load_be16(inner + 4);
	if (total > inner_len)
		return PKT_DROP_INNER_MALFORMED;
	/* The inner traffic class is bits 4-11: its ECN field is bits 4-5 of the second byte. */
	ecn = esp_ecn_decap((unsigned)(inner[1] >> 4) & 3u, meta->tclass & 3u);
	if (ecn < 0)
		return PKT_DROP_ECN;
	inner[1] = (uint8_t)((inner[1] & 0xcfu) | (unsigned)ecn << 4);
	p->off = start;
	p->len = total;
	return PKT_DROP_NONE;
}

enum pkt_drop
esp_decap_finish(const struct sa *sa, struct pkt *p, const struct esp_meta *meta)
{
	uint32_t cipher_len = esp_cipher_len(sa, p);
	uint32_t start = p->off + ESP_HDR_LEN + (uint32_t)sa->enc_info->iv_len;
	uint32_t inner_len;
	uint8_t next_header;
	enum pkt_drop drop;

	if (cipher_len == 0)
		return PKT_DROP_SHORT;
	drop = esp_check_trailer(p->buf + start, cipher_len, &inner_len, &next_header);
	if (drop != PKT_DROP_NONE)
		return drop;
	/* RFC 4303 section 2.6: next header 59 marks a dummy packet, discarded silently. */
	if (next_header == IPPROTO_NONE_NUM)
		return PKT_DROP_DUMMY;
	switch (sa->mode) {
	case SA_MODE_TRANSPORT:
		return esp_finish_transport(p, start, inner_len, next_header, meta);
	case SA_MODE_TUNNEL:
		return esp_finish_tunnel(p, start, inner_len, next_header, meta);
	}
	return PKT_DROP_BAD_NEXT_HEADER;
}

uint32_t
esp_overhead_max(const struct sa *sa)
{
	uint32_t align = (uint32_t)sa->enc_info->block_len;
	uint32_t over;

	if (align < 4)
		align = 4;
	over = ESP_HDR_LEN + (uint32_t)sa->enc_info->iv_len + (align - 1) + ESP_TRAILER_LEN +
	    sa->icv_len;
	if (sa->mode == SA_MODE_TUNNEL)
		over += IPV6_HDR_LEN;
	if (sa_is_encap(sa))
		over += UDP_HDR_LEN;
	return over;
}
