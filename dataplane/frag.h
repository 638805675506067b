/* SPDX-License-Identifier: MIT */
/* Reassembly of IPv6 fragments (RFC 8200 section 4.5). Out: the kernel fragments a datagram
 * bigger than the TUN device's MTU before ipsec6d sees it, and transport-mode ESP is applied to
 * whole datagrams (RFC 4303 section 3.3.4), the ESP packet then fragmented on its way out if the
 * link needs it (io_esp.h). In: decrypted fragments for this host are made whole before the TUN
 * device, never joined by the kernel to fragments that came in the clear. One table per packet
 * thread; pure computation on caller buffers. */
#ifndef IPSEC6_FRAG_H
#define IPSEC6_FRAG_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipsec6/err.h"
#include "ipsec6/pkt.h"
#include "ipsec6/siphash.h"

/* Datagrams reassembled at once: as many flows as send datagrams longer than the path at the
 * same time, their fragments interleaved (with fewer slots than flows each evicts another and
 * none is ever whole). Their 64 KB each are allocated at once by frag_init() (the data path never
 * allocates), and take memory as they are first used: at most 4 MB, as the kernel's own limit
 * (ip6frag_high_thresh). */
#define FRAG_SLOTS      64
#define FRAG_TIMEOUT_NS (60ull * 1000000000ull)   /* RFC 8200 section 4.5 */
#define FRAG_HDR_MAX    512u                      /* the unfragmentable part kept */
#define FRAG_DATA_MAX   65535u                    /* the fragmentable part, at most */
#define FRAG_UNITS      ((FRAG_DATA_MAX + 7) / 8) /* its 8-byte units */

struct frag_slot {
	bool used;
	uint64_t born_ns;
	uint8_t src[16], dst[16];
	uint32_t id;
	uint32_t nfrags;     /* fragments held: dropped with the datagram if it is given up */
	uint32_t unfrag_len; /* 0 until the first fragment (offset 0) came */
	uint32_t nh_off;     /* in hdr, the byte that named the Fragment header */
	uint8_t nexthdr;     /* the first fragment's Fragment header's next header */
	uint32_t total;      /* the fragmentable part's length: 0 until the last fragment came */
	uint32_t have;       /* bytes of it held */
	uint8_t hdr[FRAG_HDR_MAX];
	uint8_t *data;                        /* FRAG_DATA_MAX bytes of frag_init()'s one block */
	uint64_t map[(FRAG_UNITS + 63) / 64]; /* the 8-byte units held */
};

struct frag_table {
	struct frag_slot slot[FRAG_SLOTS];
	size_t nslots;    /* slots used so far, from the first */
	uint64_t dropped; /* fragments given up (PKT_DROP_REASSEMBLY), for the caller to count */
};

int frag_init(struct frag_table *t, struct err *err);
void frag_fini(struct frag_table *t);

enum frag_result {
	FRAG_NOT,   /* not a fragment: the packet goes on as it is */
	FRAG_HELD,  /* a fragment, kept (or given up, counted in dropped): nothing goes on yet */
	FRAG_WHOLE, /* its datagram is whole: in out, at PKT_HEADROOM */
};

/* Give up the datagrams that have waited FRAG_TIMEOUT_NS at now_ns (frag_add() does it too). */
void frag_expire(struct frag_table *t, uint64_t now_ns);

/* Whether data[0, len) may be a fragment: its first next header is an extension header. The
 * cheap test before frag_add() (and the clock its caller reads for it). */
static inline bool
frag_maybe(const uint8_t *data, size_t len)
{
	return len >= IPV6_HDR_LEN && pkt_is_ext_hdr(data[6]);
}

/* Take the IPv6 packet data[0, len) read at now_ns. A fragment is kept until its datagram is
 * whole, which is then written to out (out->size must hold PKT_HEADROOM, 40 + 65535 bytes and
 * PKT_TAILROOM), without the Fragment header (an atomic fragment, RFC 6946, at once). Overlaps
 * give the datagram up (RFC 5722), as do a fragment that would make it longer than 65535
 * bytes of payload, a malformed one, 60 seconds without completion, and the need for its
 * slot (the oldest goes). Every fragment given up adds one to t->dropped. */
enum frag_result frag_add(
    struct frag_table *t, const uint8_t *data, size_t len, uint64_t now_ns, struct pkt *out);

/* ---- Fragmentation (RFC 8200 section 4.5), the other way. ---- */

/* Fragments of at most 65535 bytes of payload, with an unfragmentable part of at most
 * FRAG_HDR_MAX bytes, at an MTU of at least 1280 (IPv6's minimum). */
#define FRAG_PIECES_MAX ((FRAG_DATA_MAX + 759) / 760 + 1)

/* How a packet is cut: every fragment is the unfragmentable part (its payload length made
 * the fragment's, the byte at nh_off made 44), its Fragment header (frag_piece_hdr()) and
 * data_len bytes of the fragmentable part from offset i * data_len (fewer in the last one). */
struct frag_plan {
	uint32_t unfrag_len; /* the IPv6 header and the headers every hop must see */
	uint32_t nh_off;     /* the byte that named the fragmentable part's first header */
	uint8_t nexthdr;     /* that header: the Fragment headers' next header */
	uint32_t frag_len;   /* the fragmentable part's length */
	uint32_t data_len;   /* data bytes per fragment, a multiple of 8 */
	uint32_t n;          /* fragments */
};

/* Plan the fragments of the IPv6 packet data[0, len), longer than mtu, for a path of mtu: its
 * unfragmentable part is the IPv6 header and the hop-by-hop, routing and (before a routing
 * header) destination options headers. Returns 0, or -1 for a packet that cannot be cut: a
 * fragment already, one that fits, malformed (its payload length not len - 40, say), an
 * unfragmentable part longer than FRAG_HDR_MAX, a header chain (the destination options in the
 * fragmentable part and the upper-layer header) longer than a fragment's data (RFC 7112: the
 * first fragment holds it), an mtu below IPV6_MTU_MIN. Pure computation: data
 * path. */
int frag_plan(const uint8_t *data, size_t len, uint32_t mtu, struct frag_plan *plan);

/* The length of fragment i's data. */
static inline uint32_t
frag_piece_len(const struct frag_plan *plan, uint32_t i)
{
	uint32_t off = i * plan->data_len;

	return plan->frag_len - off < plan->data_len ? plan->frag_len - off : plan->data_len;
}

/* Fragment i's Fragment header (8 bytes) for the datagram's identification id. */
void frag_piece_hdr(const struct frag_plan *plan, uint32_t i, uint32_t id, uint8_t *out);

/* The unfragmentable part of fragment i (plan->unfrag_len bytes to out) from the packet's. */
void frag_piece_head(const struct frag_plan *plan, const uint8_t *data, uint32_t i, uint8_t *out);

/* Identifications of the datagrams one sends in fragments (RFC 8200 section 4.5: none the same
 * as another's recently sent between the same addresses). As RFC 7739 section 5.3 recommends,
 * a pair of addresses gets a keyed offset (SipHash of the pair) and one of FRAG_ID_BUCKETS
 * counters that another keyed hash of the pair picks, each from a keyed start: a pair's
 * identifications follow one another and repeat only after 2^32 datagrams of its bucket, while
 * those a receiver sees tell it nothing of the key, nor how many went to others (but to the
 * pairs that share its counter), nor where another pair's are. */
#define FRAG_ID_BUCKETS 256u

struct frag_ids {
	uint8_t key[SIPHASH_KEY_LEN];
	_Atomic uint32_t next[FRAG_ID_BUCKETS];
};

/* Identifications under key (random: getrandom(2)), each counter from a start of its own. */
void frag_ids_init(struct frag_ids *ids, const uint8_t key[SIPHASH_KEY_LEN]);

/* The identification of the next datagram from ip6[8, 24) to ip6[24, 40) (an IPv6 header's
 * addresses). Any number of threads. */
uint32_t frag_ident(struct frag_ids *ids, const uint8_t *ip6);

#endif
