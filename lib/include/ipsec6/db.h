/* SPDX-License-Identifier: MIT */
/* The SAD and the SPD together, changed only by commands (struct cmd), so that the rules that
 * span both (an SA in use, a policy naming an SA) live in one place; and the snapshot of both
 * that the data path reads. */
#ifndef IPSEC6_DB_H
#define IPSEC6_DB_H

#include "ipsec6/cmd.h"
#include "ipsec6/crypto.h"
#include "ipsec6/err.h"
#include "ipsec6/sad.h"
#include "ipsec6/spd.h"

struct db;

/* An empty database whose SAs get keys for backend. NULL on ENOMEM. */
struct db *db_new(enum crypto_backend backend);
void db_free(struct db *db);

struct sad *db_sad(const struct db *db);
struct spd *db_spd(const struct db *db);

/* Apply one change command (sa add/remove, sp add/remove; list commands are refused with
 * -EINVAL). On success the command's keys move into the database. Refusals, each with the
 * reason in err:
 *   sp add naming an SA that does not exist      -ENOENT "SA 'x' does not exist"
 *     (unless cmd->sa_dangling: the policy is added unbound and discards)
 *   sa/sp remove of an unknown name              -ENOENT
 *   sa remove of an SA in use                    -EBUSY  naming every policy that uses it
 *   sa add of a name that an unbound policy uses with the other mode   -EINVAL
 * and whatever sad_add()/spd_add() refuse. An added SA binds the unbound policies that name
 * it (spd_rebind). Control thread. */
__attribute__((warn_unused_result)) int db_apply(struct db *db, struct cmd *cmd, struct err *err);

/* What the data path reads: both snapshots, taken together. */
struct db_snap {
	struct sad_snap *sad;
	struct spd_snap *spd;
};

/* Snapshot the database as it is now. NULL on ENOMEM. */
struct db_snap *db_snapshot(const struct db *db);
void db_snap_free(struct db_snap *snap);

#endif
