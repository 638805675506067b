// SPDX-License-Identifier: MIT
/* Reassembly of fragmented datagrams before ESP (frag.h). */
#include "frag.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ipsec6/bytes.h"

/* Every slot's data in one allocation, made here: the packet threads never allocate (guarantee
 * 7). Pages nobody touches cost no memory. */
int
frag_init(struct frag_table *t, struct err *err)
{
	uint8_t *pool;

	memset(t, 0, sizeof(*t));
	pool = malloc((size_t)FRAG_SLOTS * FRAG_DATA_MAX);
	if (pool == NULL)
		return err_set(err, ENOMEM, "out of memory for reassembly");
	for (size_t i = 0; i < FRAG_SLOTS; i++)
		t->slot[i].data = pool + i * FRAG_DATA_MAX;
	return 0;
}

void
frag_fini(struct frag_table *t)
{
	free(t->slot[0].data);
	for (size_t i = 0; i < FRAG_SLOTS; i++)
		t->slot[i].data = NULL;
	t->nslots = 0;
}

/* Give a datagram up: the fragments it held are dropped. */
static void
frag_give_up(struct frag_table *t, struct frag_slot *s)
{
	t->dropped += s->nfrags;
	s->used = false;
}

void
frag_expire(struct frag_table *t, uint64_t now_ns)
{
	for (size_t i = 0; i < t->nslots; i++) {
		if (t->slot[i].used && now_ns - t->slot[i].born_ns >= FRAG_TIMEOUT_NS)
			frag_give_up(t, &t->slot[i]);
	}
}

/* The slot of the datagram (src, dst, id), or a free one for it: a slot that timed out is
 * freed first, then one never used is taken, and with none the oldest datagram is given up. */
static struct frag_slot *
frag_slot_for(struct frag_table *t, const uint8_t *ip6, uint32_t id, uint64_t now_ns)
{
	struct frag_slot *free_slot = NULL, *oldest = NULL;

	frag_expire(t, now_ns);
	for (size_t i = 0; i < t->nslots; i++) {
		struct frag_slot *s = &t->slot[i];

		if (!s->used) {
			free_slot = free_slot != NULL ? free_slot : s;
			continue;
		}
		if (s->id == id && memcmp(s->src, ip6 + 8, 16) == 0 &&
		    memcmp(s->dst, ip6 + 24, 16) == 0)
			return s;
		if (oldest == NULL || s->born_ns < oldest->born_ns)
			oldest = s;
	}
	if (free_slot == NULL && t->nslots < FRAG_SLOTS)
		free_slot = &t->slot[t->nslots++];
	if (free_slot == NULL) {
		frag_give_up(t, oldest);
		free_slot = oldest;
	}
	memset(free_slot->map, 0, sizeof(free_slot->map));
	free_slot->used = true;
	free_slot->born_ns = now_ns;
	memcpy(free_slot->src, ip6 + 8, 16);
	memcpy(free_slot->dst, ip6 + 24, 16);
	free_slot->id = id;
	free_slot->nfrags = 0;
	free_slot->unfrag_len = 0;
	free_slot->total = 0;
	free_slot->have = 0;
	return free_slot;
}

/* Mark the units [first, end) held; false, marking nothing, if any of them already is. */
static bool
frag_map_claim(struct frag_slot *s, uint32_t first, uint32_t end)
{
	for (uint32_t u = first; u < end; u++) {
		if ((s->map[u / 64] >> (u % 64)) & 1)
			return false;
	}
	for (uint32_t u = first; u < end; u++)
		s->map[u / 64] |= (uint64_t)1 << (u % 64);
	return true;
}

/* The whole datagram into out: the unfragmentable part hdr[0, unfrag_len) with the Fragment
 * header's next header in the byte that named it and the payload length of the whole, then the
 * fragmentable part data[0, total). False if out cannot hold it. */
static bool
frag_write(struct pkt *out, const uint8_t *hdr, uint32_t unfrag_len, uint32_t nh_off,
    uint8_t nexthdr, const uint8_t *data, uint32_t total)
{
	uint8_t *d = out->buf + PKT_HEADROOM;

	if ((size_t)out->size < (size_t)PKT_HEADROOM + unfrag_len + total + PKT_TAILROOM)
		return false;
	memcpy(d, hdr, unfrag_len);
	d[nh_off] = nexthdr;
	store_be16(d + 4, (uint16_t)(unfrag_len - IPV6_HDR_LEN + total));
	memcpy(d + unfrag_len, data, total);
	out->off = PKT_HEADROOM;
	out->len = unfrag_len + total;
	return true;
}

enum frag_result
frag_add(struct frag_table *t, const uint8_t *data, size_t len, uint64_t now_ns, struct pkt *out)
{
	const uint8_t *frag_data;
	struct pkt_frag f;
	struct frag_slot *s;
	bool is_frag;

	if (pkt_frag_find(data, len, &f, &is_frag) != PKT_DROP_NONE || !is_frag)
		return FRAG_NOT; /* the engine judges what is not a fragment */
	frag_data = data + f.unfrag_len + 8;
	/* RFC 8200 section 4.5: all but the last fragment carry a multiple of 8 bytes, and no
	 * fragment may make the payload longer than 65535 bytes. */
	if (f.data_len == 0 || (f.more && f.data_len % 8 != 0) ||
	    f.unfrag_len - IPV6_HDR_LEN + f.offset + f.data_len > FRAG_DATA_MAX ||
	    f.unfrag_len > FRAG_HDR_MAX) {
		t->dropped++;
		return FRAG_HELD;
	}
	/* RFC 6946: an atomic fragment is a whole datagram with a Fragment header. */
	if (f.offset == 0 && !f.more) {
		if (frag_write(out, data, f.unfrag_len, f.nh_off, f.nexthdr, frag_data, f.data_len))
			return FRAG_WHOLE;
		t->dropped++;
		return FRAG_HELD;
	}
	s = frag_slot_for(t, data, f.id, now_ns);
	s->nfrags++;
	/* RFC 5722: a fragment that overlaps another gives the whole datagram up, as does a last
	 * fragment that says another length than an earlier one, or data past the end. */
	if ((!f.more && s->total != 0) || (s->total != 0 && f.offset + f.data_len > s->total) ||
	    !frag_map_claim(s, f.offset / 8, (f.offset + f.data_len + 7) / 8)) {
		frag_give_up(t, s);
		return FRAG_HELD;
	}
	if (!f.more) {
		s->total = f.offset + f.data_len;
		/* Units held past the end (a fragment came that the last one now says is beyond
		 * the datagram) make it impossible. */
		for (uint32_t u = (s->total + 7) / 8; u < FRAG_UNITS; u++) {
			if ((s->map[u / 64] >> (u % 64)) & 1) {
				frag_give_up(t, s);
				return FRAG_HELD;
			}
		}
	}
	if (f.offset == 0) {
		memcpy(s->hdr, data, f.unfrag_len);
		s->unfrag_len = f.unfrag_len;
		s->nh_off = f.nh_off;
		s->nexthdr = f.nexthdr;
	}
	memcpy(s->data + f.offset, frag_data, f.data_len);
	s->have += f.data_len;
	if (s->unfrag_len == 0 || s->total == 0 || s->have != s->total)
		return FRAG_HELD;
	/* The payload length was checked against each fragment's own unfragmentable part; the
	 * whole takes the first fragment's. */
	if (s->unfrag_len - IPV6_HDR_LEN + s->total > FRAG_DATA_MAX ||
	    !frag_write(out, s->hdr, s->unfrag_len, s->nh_off, s->nexthdr, s->data, s->total)) {
		frag_give_up(t, s);
		return FRAG_HELD;
	}
	s->used = false;
	return FRAG_WHOLE;
}

/* ---- Fragmentation. ---- */

#define FRAG_CHAIN_HDRS 16 /* extension headers walked in the fragmentable part, at most */

/* How much of the fragmentable part (from off, its first header nh) the first fragment must hold
 * (RFC 7112): the extension headers left in it (destination options), and as much of the
 * upper-layer header as Linux's reassembly checks (ipv6frag_thdr_truncated()): TCP's 20 bytes,
 * UDP's and ICMPv6's 8. UINT32_MAX when the headers run past the packet (it is not cut). */
static uint32_t
frag_chain_len(const uint8_t *data, size_t len, size_t off, uint8_t nh)
{
	size_t at = off;

	for (int k = 0; pkt_is_ext_hdr(nh); k++) {
		if (k == FRAG_CHAIN_HDRS || len - at < 2)
			return UINT32_MAX;
		nh = data[at];
		at += ((size_t)data[at + 1] + 1) * 8;
		if (at > len)
			return UINT32_MAX;
	}
	return (uint32_t)(at - off) +
	    (nh == IPPROTO_TCP                                  ? 20u
		    : nh == IPPROTO_UDP || nh == IPPROTO_ICMPV6 ? 8u
								: 0u);
}

int
frag_plan(const uint8_t *data, size_t len, uint32_t mtu, struct frag_plan *plan)
{
	uint32_t chain;
	struct pkt_layout layout;
	struct pkt_frag f;
	bool is_frag;
	uint32_t room;

	/* A fragment is not cut again (its datagram's other fragments are elsewhere), and the
	 * unfragmentable part is where ESP would go in transport mode (RFC 4303 section 3.1.1
	 * and RFC 8200 section 4.5 name the same headers). */
	if (mtu < IPV6_MTU_MIN || len <= mtu || len - IPV6_HDR_LEN != load_be16(data + 4) ||
	    pkt_frag_find(data, len, &f, &is_frag) != PKT_DROP_NONE || is_frag ||
	    pkt_layout(data, len, &layout) != PKT_DROP_NONE || layout.esp_off > FRAG_HDR_MAX ||
	    layout.esp_off > len)
		return -1;
	room = mtu - layout.esp_off - PKT_FRAG_HDR_LEN; /* esp_off <= 512 < 1280 - 8 */
	chain = frag_chain_len(data, len, layout.esp_off, layout.nexthdr);
	if (chain > (room & ~7u))
		return -1;
	plan->unfrag_len = layout.esp_off;
	plan->nh_off = layout.nexthdr_off;
	plan->nexthdr = layout.nexthdr;
	plan->frag_len = (uint32_t)len - layout.esp_off;
	plan->data_len = room & ~7u;
	/* len > mtu >= esp_off + 8 + data_len: at least two fragments */
	plan->n = (plan->frag_len + plan->data_len - 1) / plan->data_len;
	return 0;
}

void
frag_piece_hdr(const struct frag_plan *plan, uint32_t i, uint32_t id, uint8_t *out)
{
	uint32_t off = i * plan->data_len;

	out[0] = plan->nexthdr;
	out[1] = 0;
	store_be16(out + 2, (uint16_t)(off | (i + 1 < plan->n ? 1u : 0u)));
	store_be32(out + 4, id);
}

void
frag_piece_head(const struct frag_plan *plan, const uint8_t *data, uint32_t i, uint8_t *out)
{
	memcpy(out, data, plan->unfrag_len);
	store_be16(out + 4,
	    (uint16_t)(plan->unfrag_len - IPV6_HDR_LEN + PKT_FRAG_HDR_LEN +
		frag_piece_len(plan, i)));
	out[plan->nh_off] = IPPROTO_FRAGMENT;
}

void
frag_ids_init(struct frag_ids *ids, const uint8_t key[SIPHASH_KEY_LEN])
{
	memcpy(ids->key, key, SIPHASH_KEY_LEN);
	for (uint32_t b = 0; b < FRAG_ID_BUCKETS; b++) {
		uint8_t in[5] = { 's', (uint8_t)(b >> 24), (uint8_t)(b >> 16), (uint8_t)(b >> 8),
			(uint8_t)b };

		atomic_init(&ids->next[b], (uint32_t)siphash24(key, in, sizeof(in)));
	}
}

uint32_t
frag_ident(struct frag_ids *ids, const uint8_t *ip6)
{
	/* One hash for both: its high half the offset, its low bits the bucket. */
	uint64_t h = siphash24(ids->key, ip6 + 8, 32);
	uint32_t n =
	    atomic_fetch_add_explicit(&ids->next[h % FRAG_ID_BUCKETS], 1, memory_order_relaxed);

	return (uint32_t)(h >> 32) + n;
}
