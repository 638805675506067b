/* SPDX-License-Identifier: MIT */
/* The daemon's state: the one live database (SAD + SPD), the configuration file that mirrors
 * it, changes as all-or-nothing transactions that are durably written before they count, and
 * the hook that tells whoever moves packets. Control thread only. */
#ifndef IPSEC6_STATE_H
#define IPSEC6_STATE_H

#include <stddef.h>

#include "ipsec6/cmd.h"
#include "ipsec6/crypto.h"
#include "ipsec6/db.h"
#include "ipsec6/err.h"
#include "proto.h"

struct state;

/* Load the configuration file at path into a new state (*out, owned by the caller). A missing
 * file is an empty state; the file is created by the first change. path NULL: memory only
 * (tests and fuzzing), nothing is written. Returns 0, or a negative errno with "PATH:N: reason"
 * (a line that does not parse) or "PATH: reason" in err; the file is never touched then. */
__attribute__((warn_unused_result)) int state_new(
    const char *path, enum crypto_backend backend, struct state **out, struct err *err);
void state_free(struct state *st);

/* fn is called after every change that took effect (a commit, a rollback that rebuilt the
 * database, a reload) with the live database; the subscriber takes what it needs from it,
 * e.g. a db_snapshot() for the data path (issue 4: dp_update()). Control thread. */
void state_set_publish(struct state *st, void (*fn)(void *ctx, const struct db *db), void *ctx);

/* fn renders the `stats` records (the data path, which holds the counters outside the
 * database); without one, state_stats() reports the database's own counters. */
void state_set_stats(
    struct state *st, int (*fn)(void *ctx, const struct db *db, struct proto_buf *out), void *ctx);

/* Append the `stats` records to out. Returns 0 or -ENOMEM. */
__attribute__((warn_unused_result)) int state_stats(const struct state *st, struct proto_buf *out);

/* The live database, for queries (borrowed; valid until the next change or reload). */
const struct db *state_db(const struct state *st);

/* A change is a transaction: begin, apply each command in order, then commit (one durable
 * write) or abort. Commands take effect in the live database as they apply, but nothing is
 * published and nothing is written before the commit; a refused command changes nothing
 * itself, and abort (or a failed commit) puts the state back as it was before begin, SA
 * objects and their counters included. One transaction at a time. */

/* Returns 0 or -ENOMEM. */
__attribute__((warn_unused_result)) int state_txn_begin(struct state *st);

/* db_apply() one command; on success its keys move into the database (the caller still calls
 * cmd_fini()). Returns 0 or a negative errno with the reason in err; the transaction stays
 * open (the caller aborts it). */
__attribute__((warn_unused_result)) int state_txn_apply(
    struct state *st, struct cmd *cmd, struct err *err);

/* Write the configuration file durably, then publish. Returns 0; or a negative errno with the
 * reason in err, after which the state is as before begin. The transaction is over. */
__attribute__((warn_unused_result)) int state_txn_commit(struct state *st, struct err *err);

/* Undo every command applied since begin. The transaction is over. */
void state_txn_abort(struct state *st);

/* SIGHUP: load the file into a fresh database and make it the live one; SAs that are
 * unchanged keep their sequence numbers, replay windows and counters. On any error the old
 * state stays and err says why ("PATH:N: reason"; "PATH does not exist": a file removed by
 * mistake does not empty the state). Returns 0 or a negative errno. */
__attribute__((warn_unused_result)) int state_reload(struct state *st, struct err *err);

#endif
