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

/* The subscriber that puts a database in force (the data path: its snapshot, the steering
 * rules, the TUN device's MTU). Control thread. */
struct state_hooks {
	/* Make db what is in force, all of it or nothing: 0, or a negative errno with the reason
	 * in err, and then what was in force before still is. Called before a change is written
	 * and acknowledged, and after a reload. */
	int (*publish)(void *ctx, const struct db *db, struct err *err);
	/* What is in force can be brought back to no database the state has (a change was put in
	 * force, then its write failed and the previous database could not be put back): stop
	 * every packet that a policy of db covers, until a publish succeeds. why says why. */
	void (*fail_closed)(void *ctx, const struct db *db, const char *why);
	void *ctx;
};

/* Install the hooks (copied); NULL: no subscriber, every publish succeeds. */
void state_set_hooks(struct state *st, const struct state_hooks *hooks);

/* Publish the live database again: a retry after the subscriber failed closed. Returns what the
 * publish hook returned. */
__attribute__((warn_unused_result)) int state_republish(struct state *st, struct err *err);

/* fn renders the `stats` records (the data path, which holds the counters outside the
 * database); without one, state_stats() reports the database's own counters. */
void state_set_stats(
    struct state *st, int (*fn)(void *ctx, const struct db *db, struct proto_buf *out), void *ctx);

/* Append the `stats` records to out. Returns 0 or -ENOMEM. */
__attribute__((warn_unused_result)) int state_stats(const struct state *st, struct proto_buf *out);

/* The live database, for queries (borrowed; valid until the next change or reload). */
const struct db *state_db(const struct state *st);

/* A change is a transaction: begin, apply each command in order, then commit (published, then
 * one durable write) or abort. Commands take effect in the live database as they apply, but
 * nothing is published and nothing is written before the commit; a refused command changes
 * nothing itself, and abort (or a failed commit) puts the state back as it was before begin,
 * SAs' live state (sequence numbers, replay windows, counters) included. One transaction at a
 * time. */

/* Returns 0; -ENOMEM; or -EIO while an earlier failed change could not be undone (err says
 * so; a successful reload ends that). */
__attribute__((warn_unused_result)) int state_txn_begin(struct state *st, struct err *err);

/* db_apply() one command; on success its keys move into the database (the caller still calls
 * cmd_fini()). Returns 0 or a negative errno with the reason in err; the transaction stays
 * open (the caller aborts it). */
__attribute__((warn_unused_result)) int state_txn_apply(
    struct state *st, struct cmd *cmd, struct err *err);

/* Publish (the change is in force), then write the configuration file durably. Returns 0; or a
 * negative errno with the reason in err, after which the state is as before begin and so is
 * what is in force (published again if the write failed after the publish; if that fails too,
 * the fail_closed hook runs). The transaction is over. */
__attribute__((warn_unused_result)) int state_txn_commit(struct state *st, struct err *err);

/* Undo every command applied since begin. The transaction is over. */
void state_txn_abort(struct state *st);

/* SIGHUP: load the file into a fresh database, publish it and make it the live one; SAs that
 * are unchanged share their live state with their predecessors, whatever their lifetimes, and
 * one that had reached a hard limit that the file raised carries traffic again
 * (lifetime_renew()). On any error the old state
 * stays in force and err says why ("PATH:N: reason"; "PATH does not exist": a file removed by
 * mistake does not empty the state; or the publish hook's reason). Returns 0 or a negative
 * errno. */
__attribute__((warn_unused_result)) int state_reload(struct state *st, struct err *err);

/* Once a second: remove the retired SAs (`sa rekey`) whose grace is over, as a change of its
 * own (in force, then written), and say so. Does nothing while a transaction is open or the
 * state is broken. Returns 0 or a negative errno with the reason in err (tried again at the
 * next call). */
__attribute__((warn_unused_result)) int state_end_grace(struct state *st, struct err *err);

#endif
