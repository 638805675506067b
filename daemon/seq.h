/* SPDX-License-Identifier: MIT */
/* Sequence numbers that survive a restart; a manually keyed SA outlives ipsec6d.
 * Outbound (RFC 4303 section 3.3.3: a sender never reuses a sequence number on an SA): numbers
 * are reserved in blocks, durably, ahead of use; a restart continues after the last
 * reservation, so at most one block per restart is skipped and none is ever sent twice.
 * Inbound (section 3.4.3: the anti-replay window): the highest number accepted is saved at most
 * SEQ_TOP_EVERY_MS apart and on a clean stop; a restart refuses everything up to it. Only what
 * arrived in the last SEQ_TOP_EVERY_MS before a crash could be replayed once afterwards.
 * AES-GCM keys (RFC 4106 section 3.1: the IV, which is the sequence number, never repeats under
 * a key): their reservations and tops are kept by key as well, for as long as the file lives,
 * and an SA that gets a key used before continues from them.
 * Byte and packet lifetimes: the bytes and packets an SA with one has carried are saved as the
 * inbound tops are, and a restart counts on from them (packets, not sequence numbers, which a
 * restart skips); only the bytes it carried in the last SEQ_TOP_EVERY_MS before a crash go
 * uncounted, when it has no hard byte limit. A hard packet or byte limit is never passed, crash
 * or not: the packets or bytes an SA may carry are written ahead of use, as reservations are (a
 * step of an eighth of the limit, at least 1024 packets or 1 MiB, at most SEQ_BLOCK packets or
 * 1 GiB), the engine holds it there (sa_live used_limit), and a restart after a crash counts them
 * as carried; a clean stop writes the exact counts. */
#ifndef IPSEC6_SEQ_H
#define IPSEC6_SEQ_H

#include "ipsec6/db.h"
#include "ipsec6/err.h"

#define SEQ_BLOCK        (1u << 20) /* numbers reserved at a time */
#define SEQ_TICK_MS      100        /* how often the reservations are checked */
#define SEQ_TOP_EVERY_MS 1000       /* how often, at most, inbound tops and counts are written */

struct seq_keeper;

/* Keep reservations in PATH (the configuration file's path with ".seq" appended). Returns 0 or
 * a negative errno with a reason. */
__attribute__((warn_unused_result)) int seq_keeper_new(
    const char *config_path, struct seq_keeper **out, struct err *err);
void seq_keeper_free(struct seq_keeper *k);

/* Start every SA of db after its saved reservation (SAs matched by name and SPI), then reserve
 * the next block for every SA and write the file. Call before packets flow. */
__attribute__((warn_unused_result)) int seq_keeper_restore(
    struct seq_keeper *k, const struct db *db, struct err *err);

/* Extend, durably, the reservation of every SA that has used half of its block (new SAs get
 * their first block), and the packet allowance of every SA with a hard packet limit that has
 * used half of its step; save inbound tops and counts that moved. Call every SEQ_TICK_MS and
 * after every change. */
__attribute__((warn_unused_result)) int seq_keeper_tick(
    struct seq_keeper *k, const struct db *db, struct err *err);

/* Before db is published: every SA in it has a durable reservation. SAs without one (new ones)
 * get their first block, written now, after the last reservation and top of their AES-GCM key
 * if it was used before; an AES-GCM SA whose key another SA numbered past its reservation since
 * (a change that gave the key away, undone) goes on after that key's reservation under a new
 * block, written now; so does the first packet allowance of a new SA, or the next of an SA
 * whose hard packet limit a reload raised; other SAs are left to the tick. The lines of the
 * last write that say more than db's (SAs that db lacks, or has other ones under their name and
 * SPI) stay in the file until the next tick: the change may be undone, and those SAs come back
 * with their live state. Returns 0, or a negative errno with a reason: then db must not be
 * published, or its new SAs would send numbers that a restart could hand out again. */
__attribute__((warn_unused_result)) int seq_keeper_admit(
    struct seq_keeper *k, const struct db *db, struct err *err);

/* Write reservations, inbound tops and exact counts now (a clean stop, after the packet threads
 * ended: no packet allowance is written, and a restart counts exactly). Returns 0 or a negative
 * errno with a reason. */
__attribute__((warn_unused_result)) int seq_keeper_flush(
    struct seq_keeper *k, const struct db *db, struct err *err);

#endif
