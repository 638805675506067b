/* SPDX-License-Identifier: MIT */
/* The Security Association Database: SAs by name, by (source, destination, SPI) and, for
 * inbound packets, by (SPI, destination) with "any" as the fallback. The control thread is
 * the only writer; the data path reads immutable snapshots (struct sad_snap). */
#ifndef IPSEC6_SAD_H
#define IPSEC6_SAD_H

#include <netinet/in.h>

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipsec6/algo.h"
#include "ipsec6/crypto.h"
#include "ipsec6/drop.h"
#include "ipsec6/err.h"
#include "ipsec6/life.h"
#include "ipsec6/replay.h"
#include "ipsec6/secret.h"

#define SA_NAME_MAX 64 /* names: 1-64 of A-Za-z0-9_.- ; "auto" is reserved */
#define SA_SPI_MIN  0x100u
/* The last sequence number an SA with ESN sends: 2^64 - 2^32, which leaves room for any number
 * of threads to overshoot the counter without it ever wrapping (engine.c). Without ESN the last
 * is 2^32 - 1 (RFC 4303 section 3.3.3). */
#define SA_SEQ_LAST_ESN (UINT64_MAX - UINT32_MAX - 1)

/* `sa rekey`: how long, by default and at most, the old SPI is still accepted inbound. */
#define SA_GRACE_DEFAULT 300u
#define SA_GRACE_MAX     86400u

enum sa_mode {
	SA_MODE_TRANSPORT,
	SA_MODE_TUNNEL,
};

/* Check an SA name: 1-64 of A-Za-z0-9_.- and not "auto". Returns 0 or -EINVAL with the reason
 * in err ("invalid SA name '...': use 1-64 of A-Za-z0-9_.-", "'auto' is reserved and cannot be
 * an SA name"). sad_add() and cmd_parse() both apply it. */
__attribute__((warn_unused_result)) int sa_name_check(const char *name, struct err *err);

/* "transport" / "tunnel"; parsing refuses anything else with "invalid WHAT 'TEXT': use
 * transport or tunnel" (what: "SA mode", "SP mode"). Returns 0 or -EINVAL. */
const char *sa_mode_name(enum sa_mode mode);
__attribute__((warn_unused_result)) int sa_mode_parse(
    const char *text, const char *what, enum sa_mode *out, struct err *err);

/* What `sa add` says. Keys are owned by the spec until sad_add() succeeds, which takes them
 * (and sets the pointers to NULL). */
struct sa_spec {
	char name[SA_NAME_MAX + 1];
	struct in6_addr src; /* :: means any */
	struct in6_addr dst; /* :: means any */
	uint32_t spi;
	enum sa_mode mode;
	enum algo_enc enc;
	enum algo_auth auth;
	struct secret *enc_key;  /* NULL for null encryption */
	struct secret *auth_key; /* NULL with a combined mode (auth ALGO_AUTH_NONE) */
	uint32_t replay_window;  /* 0: REPLAY_WINDOW_DEFAULT */
	bool esn;                /* extended sequence numbers (RFC 4303 section 2.2.1) */
	struct life_limits life; /* soft and hard lifetimes; zeros: none */
	int64_t added;           /* wall-clock seconds since 1970 when added; 0: now */
	/* ESP in UDP (RFC 3948) from encap_sport to encap_dport; both 0: plain ESP. */
	uint16_t encap_sport;
	uint16_t encap_dport;
	/* Retired (replaced by `sa rekey`) at this wall-clock time, in seconds since 1970, and
	 * accepting inbound packets for grace seconds from then; 0: a current SA. */
	int64_t retired;
	uint32_t grace;
};

/* Wipe and free the keys a spec still owns. */
void sa_spec_fini(struct sa_spec *spec);

/* What the packet threads write for one SA: its sequence numbers, its replay window and its
 * counters. It lives apart from the SA object and is shared by every object that stands for the
 * same SA: a rebuild of the database (a rollback, a reload) makes new SA objects while the
 * packet threads still read the old snapshot, and both must hand out and record numbers in one
 * place (RFC 4303 section 3.3.3: a sender never reuses a number; section 3.4.3: a receiver
 * never accepts one twice). Nothing here is ever copied. Outbound and inbound fields sit in
 * separate cache lines: two threads write them (padding chosen, hence the NOLINT). */
struct sa_live { /* NOLINT(clang-analyzer-optin.performance.Padding) */
	/* Outbound: atomics, any number of threads. */
	_Alignas(64) _Atomic uint64_t seq_out; /* last number handed out (sa->esn: 64-bit, else
						* numbers past 2^32 - 1 are never sent) */
	/* Outbound numbers from this one on are not durably reserved yet: the engine refuses them
	 * (daemon/seq.h publishes it after each write). 0: no limit (no reservations kept). */
	_Atomic uint64_t seq_limit;
	_Atomic uint64_t pkts_out;
	_Atomic uint64_t bytes_out;

	/* Inbound: one owner thread writes the window (its ring follows this struct in the same
	 * allocation); seq_in_top publishes its top. */
	_Alignas(64) struct replay replay;
	_Atomic uint64_t seq_in_top;
	_Atomic uint64_t pkts_in;
	_Atomic uint64_t bytes_in;
	/* Set by the control thread when a batch that gave this SA's SPI and keys to an SA with a
	 * live state of its own is undone (daemon/state.c): what that one accepted, this one must
	 * not accept again. While replay_hold, the engine drops every inbound packet as a replay;
	 * then, before the next check, its window takes everything up to replay_floor as seen and
	 * sets it back to 0 (0: none; sa_live_in_top()). */
	_Atomic uint64_t replay_floor;
	_Atomic bool replay_hold;

	/* Written rarely: drops (either direction, relaxed atomics), the references, and what the
	 * control thread keeps (daemon/seq.c). */
	_Alignas(64) _Atomic uint64_t drops[PKT_DROP__COUNT];
	_Atomic unsigned ref; /* SA objects sharing it */
	/* A hard time limit is reached (ipsec6/life.h): the engine drops every packet of the SA as
	 * expired. Set by the control thread; reset only by a reload that gives the SA limits it
	 * has not reached (daemon/lifetime.h): otherwise only a new SA carries traffic again. Hard
	 * packet and byte limits set no flag: the engine decides them from the counts each time,
	 * which a failed encryption takes back (a flag would stay set below the limit). */
	_Atomic bool expired;
	/* With a hard byte or packet limit (slots LIFE_BYTES, LIFE_PACKETS): the bytes or packets
	 * (sa_live_used()) the SA may have carried before the engine holds it (seq-unreserved
	 * drops), written durably first (daemon/seq.h), so that a crash, which forgets what was
	 * carried since the last write, restarts from no less; 0: none held. */
	_Atomic uint64_t used_limit[LIFE__KINDS];
	/* Control thread: the age when this live state was made (ipsec6/life.h life_age()) and
	 * CLOCK_BOOTTIME then, so that the age moves with a clock that neither jumps nor stops in
	 * suspend; the lifetime states already logged. */
	uint64_t age0;
	uint64_t boot0_ns;
	enum life_state logged;
	/* The drops as the daemon's last events_drops_tick() saw them. */
	uint64_t drops_seen[PKT_DROP__COUNT];
	uint64_t seq_in_saved; /* seq_in_top as last written to disk */
	/* A retired SA's end of grace, on CLOCK_BOOTTIME (see age0); kept here so that the SA
	 * objects of a rebuild share it. */
	uint64_t grace_end_ns;
	uint64_t seq_reserved; /* outbound numbers below this are durably reserved */
	bool spent_logged;     /* the end of the sequence numbers was logged */
	/* The bytes and packets (slots LIFE_BYTES, LIFE_PACKETS) the SA carried under earlier runs
	 * of the daemon, restored (daemon/seq.c) before the SA is published, never changed after:
	 * byte and packet lifetimes count them. */
	uint64_t used_before[LIFE__KINDS];
	uint64_t used_saved[LIFE__KINDS];    /* sa_live_used() as last written to disk */
	uint64_t used_reserved[LIFE__KINDS]; /* used_limit as last written (or being written) */
};

/* The highest inbound number the SA may have accepted: its window's top, or the floor it is
 * held to (replay_floor) when that is higher and its window has not taken it yet. What is
 * saved as its top. The floor first: once it reads 0 again, the top is the one its window
 * published before. */
static inline uint64_t
sa_live_in_top(const struct sa_live *live)
{
	uint64_t floor = atomic_load_explicit(&live->replay_floor, memory_order_acquire);
	uint64_t top = atomic_load_explicit(&live->seq_in_top, memory_order_relaxed);

	return floor > top ? floor : top;
}

/* The bytes an SA has carried, both ways, since it was added (what byte lifetimes limit). */
static inline uint64_t
sa_live_bytes(const struct sa_live *live)
{
	return live->used_before[LIFE_BYTES] +
	    atomic_load_explicit(&live->bytes_out, memory_order_relaxed) +
	    atomic_load_explicit(&live->bytes_in, memory_order_relaxed);
}

/* The packets an SA has carried, both ways, since it was added (what packet lifetimes limit):
 * packets protected and packets accepted, not sequence numbers, which restarts and AES-GCM keys
 * given again skip (daemon/seq.h). */
static inline uint64_t
sa_live_pkts(const struct sa_live *live)
{
	return live->used_before[LIFE_PACKETS] +
	    atomic_load_explicit(&live->pkts_out, memory_order_relaxed) +
	    atomic_load_explicit(&live->pkts_in, memory_order_relaxed);
}

/* sa_live_bytes() or sa_live_pkts() by kind; 0 for LIFE_TIME, which is no count. */
static inline uint64_t
sa_live_used(const struct sa_live *live, enum life_kind kind)
{
	switch (kind) {
	case LIFE_BYTES:
		return sa_live_bytes(live);
	case LIFE_PACKETS:
		return sa_live_pkts(live);
	case LIFE_TIME:
	case LIFE__KINDS:
		break;
	}
	return 0;
}

struct sa {
	/* Immutable once added. */
	char name[SA_NAME_MAX + 1];
	struct in6_addr src;
	struct in6_addr dst;
	uint32_t spi;
	enum sa_mode mode;
	enum algo_enc enc;
	enum algo_auth auth;
	const struct algo_enc_info *enc_info;
	const struct algo_auth_info *auth_info;
	uint32_t icv_len; /* algo_icv_len(enc, auth) */
	struct secret *enc_key;
	struct secret *auth_key;
	struct secret *key_fp; /* AES-GCM: crypto_key_fingerprint(); else NULL */
	/* What the daemon's durable numbering knows the SA by when it is added again (sa_seq_fp()):
	 * its key's fingerprint for AES-GCM, crypto_sa_fingerprint() for others. */
	struct secret *seq_fp;
	struct crypto_key *ckey;
	uint32_t replay_window; /* packets */
	uint32_t seq_order;     /* position in add order, for listing and KAME selection */
	bool esn;               /* 64-bit sequence numbers, the high half authenticated */
	struct life_limits life;
	int64_t added;        /* wall-clock seconds since 1970 */
	uint16_t encap_sport; /* ESP in UDP (RFC 3948) from this port to encap_dport; */
	uint16_t encap_dport; /* both 0: plain ESP */
	/* Replaced by `sa rekey` (wall-clock seconds) and accepting inbound packets for grace
	 * seconds from then: it never sends, and the in-policies of the SA of its name admit it.
	 * 0: current. */
	int64_t retired;
	uint32_t grace;

	/* Control thread only. */
	unsigned users; /* policies bound to this SA: it is "in use" while > 0 */

	/* Memory: the SAD holds one reference, each snapshot one more. */
	_Atomic unsigned ref;

	/* Never NULL; set once before the SA is visible to a packet thread (sa_live_adopt()). */
	struct sa_live *live;
};

/* What the daemon's durable numbering knows sa by when it is added again (struct sa, seq_fp). */
static inline const struct secret *
sa_seq_fp(const struct sa *sa)
{
	return sa->key_fp != NULL ? sa->key_fp : sa->seq_fp;
}

#define SA_ENCAP_PORT_DEFAULT 4500 /* RFC 3948 section 2 */

/* Whether the SA's ESP travels in UDP. */
static inline bool
sa_is_encap(const struct sa *sa)
{
	return sa->encap_dport != 0;
}

/* Take and drop a memory reference; the last unref wipes the keys and frees the SA. */
void sa_ref(struct sa *sa);
void sa_unref(struct sa *sa);

/* Make sa share from's live state (its own is released): for an SA object that stands for the
 * same SA as from (the caller decides: same addresses, SPI, algorithms, keys and window) and
 * that no packet thread can see yet. Control thread. */
void sa_live_adopt(struct sa *sa, const struct sa *from);

/* Take and drop a reference to a live state alone (it holds no keys), which keeps it after its
 * SAs are gone: what it sent and accepted stays readable. Control thread. */
void sa_live_hold(struct sa_live *live);
void sa_live_release(struct sa_live *live);

/* Whether a and b hold the same keys, compared where they are (key memory), in time that
 * depends only on their lengths. */
bool sa_keys_equal(const struct sa *a, const struct sa *b);

/* The SA's age in seconds (see sa_live.age0). Control thread. */
uint64_t sa_age(const struct sa *sa);

/* Count one drop against the SA. Data path. */
static inline void
sa_count_drop(struct sa *sa, enum pkt_drop drop)
{
	atomic_fetch_add_explicit(&sa->live->drops[drop], 1, memory_order_relaxed);
}

struct sad;

/* An empty SAD whose SAs get crypto keys for backend (resolved once, here). Returns NULL on
 * ENOMEM. sad_free(NULL) is a no-op; SAs still referenced by snapshots live on until those
 * snapshots are freed. */
struct sad *sad_new(enum crypto_backend backend);
void sad_free(struct sad *sad);

/* Add an SA. Refused: name not 1-64 of A-Za-z0-9_.- or "auto" (-EINVAL), SPI below 0x100
 * (-EINVAL), key length wrong for the algorithm or a key with null encryption (-EINVAL), name
 * taken or (src, dst, SPI) taken (-EEXIST), an AES-GCM key another SA of the SAD holds
 * (-EEXIST: both would count their IVs from 1 under it, RFC 4106 section 3.1). A spec with
 * retired set adds a retired SA (see sad_rekey()): its name need not be unique. On success the
 * keys move from spec into the SA. Returns 0 or a negative errno with the reason in err.
 * Control thread. */
__attribute__((warn_unused_result)) int sad_add(
    struct sad *sad, struct sa_spec *spec, struct err *err);

/* Remove one SA, current or retired. -EBUSY (nothing removed) while policies use it; the
 * caller (db) names them. Control thread. */
__attribute__((warn_unused_result)) int sad_remove(struct sad *sad, struct sa *sa, struct err *err);

/* Remove every SA, current and retired, in use or not (users are the caller's to unbind
 * first). */
void sad_remove_all(struct sad *sad);

/* `sa rekey`: replace the current SA cur with one of spec->spi and spec's keys and everything
 * else cur's, in cur's place in the add order, with fresh live state (sequence numbers from 1,
 * an empty replay window, lifetimes from now). With grace > 0, cur stays as a retired SA that
 * shares cur's live state and accepts inbound packets under the old SPI for grace seconds
 * (sad_retired_at()). Refused: the new SPI is cur's, keys missing or of the wrong length for
 * cur's algorithms (-EINVAL); (src, dst, new SPI) taken, an AES-GCM key another SA holds, cur's
 * included (-EEXIST). The caller moves cur's users (policies) to the new SA, which *out gets.
 * On success the keys move from spec. Control thread. */
__attribute__((warn_unused_result)) int sad_rekey(struct sad *sad, struct sa *cur,
    struct sa_spec *spec, uint32_t grace, struct sa **out, struct err *err);

/* Whether a retired SA's grace is over (CLOCK_BOOTTIME). Control thread. */
bool sa_grace_over(const struct sa *sa);

/* Lookups (borrowed pointers, valid until the SA is removed). Control thread. sad_lookup_name()
 * finds current SAs only; sad_lookup_tuple() retired ones too. */
struct sa *sad_lookup_name(const struct sad *sad, const char *name);
struct sa *sad_lookup_tuple(
    const struct sad *sad, const struct in6_addr *src, const struct in6_addr *dst, uint32_t spi);

/* The current SAs in the order added: sad_at(sad, 0 .. sad_count(sad) - 1). */
size_t sad_count(const struct sad *sad);
struct sa *sad_at(const struct sad *sad, size_t i);

/* The retired SAs, in the order retired. */
size_t sad_retired_count(const struct sad *sad);
struct sa *sad_retired_at(const struct sad *sad, size_t i);

/* Every SA, the current ones in add order and then the retired: sad_all_at(sad, 0 ..
 * sad_all_count(sad) - 1). */
size_t sad_all_count(const struct sad *sad);
struct sa *sad_all_at(const struct sad *sad, size_t i);

enum crypto_backend sad_backend(const struct sad *sad);

/* An immutable index of the SAD as it is now, holding a reference on every SA. Returns NULL on
 * ENOMEM. Free with sad_snap_free() once no reader can see it. */
struct sad_snap;
struct sad_snap *sad_snapshot(const struct sad *sad);
void sad_snap_free(struct sad_snap *snap);

/* Inbound (RFC 4301 section 4.4.2, the longest match): among the SAs for (spi, dst), else for
 * (spi, any), the first in add order whose source is src, else one whose source is any, else
 * the first (its source does not fit: the caller refuses the packet). src NULL: the first in
 * add order. NULL if none. Data path. */
struct sa *sad_snap_lookup_spi(const struct sad_snap *snap, uint32_t spi,
    const struct in6_addr *dst, const struct in6_addr *src);

/* Outbound, for a policy that names no SA (KAME style): the first current SA in add order whose
 * source and destination equal src and dst (or are any) and whose mode is mode. NULL if none. Data
 * path. */
struct sa *sad_snap_select(const struct sad_snap *snap, const struct in6_addr *src,
    const struct in6_addr *dst, enum sa_mode mode);

#endif
