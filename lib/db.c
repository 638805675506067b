// SPDX-License-Identifier: MIT
/* The SAD and SPD together: applies change commands and enforces the rules that span both (a
 * policy names an existing SA, an SA in use is not removed, remove-all leaves policies that
 * discard), and snapshots both for the data path. */
#include "ipsec6/db.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipsec6/addr.h"

struct db {
	struct sad *sad;
	struct spd *spd;
};

struct db *
db_new(enum crypto_backend backend)
{
	struct db *db = calloc(1, sizeof(*db));

	if (db == NULL)
		return NULL;
	db->sad = sad_new(backend);
	db->spd = spd_new();
	if (db->sad == NULL || db->spd == NULL) {
		db_free(db);
		return NULL;
	}
	return db;
}

void
db_free(struct db *db)
{
	if (db == NULL)
		return;
	/* Policies first: removing them releases the SAs they are bound to. */
	spd_free(db->spd);
	sad_free(db->sad);
	free(db);
}

struct sad *
db_sad(const struct db *db)
{
	return db->sad;
}

struct spd *
db_spd(const struct db *db)
{
	return db->spd;
}

/* A policy left without its SA (by remove-all, or added with --dangling) binds again to an SA
 * of that name; "sp-mode must equal the bound SA's mode" holds for that binding too. */
static int
db_check_dangling_mode(const struct db *db, const struct sa_spec *spec, struct err *err)
{
	size_t n = spd_count(db->spd);

	for (size_t i = 0; i < n; i++) {
		const struct sp *sp = spd_at(db->spd, i);

		if (sp->sa == NULL && sp->mode != spec->mode &&
		    strcmp(sp->sa_name, spec->name) == 0)
			return err_set(err, EINVAL,
			    "policy '%s' uses SA '%s' in %s mode, not %s mode", sp->name,
			    spec->name, sa_mode_name(sp->mode), sa_mode_name(spec->mode));
	}
	return 0;
}

static int
db_sa_add(struct db *db, struct cmd *cmd, struct err *err)
{
	struct sa *sa;
	int rc;

	/* A retired SA serves no policy of its own: it is admitted by those of its name. */
	if (cmd->sa.retired != 0)
		return sad_add(db->sad, &cmd->sa, err);
	rc = db_check_dangling_mode(db, &cmd->sa, err);
	if (rc == 0)
		rc = sad_add(db->sad, &cmd->sa, err);
	if (rc != 0)
		return rc;
	sa = sad_lookup_name(db->sad, cmd->sa.name);
	spd_rebind(db->spd, sa);
	return 0;
}

/* The policies bound to the SA follow it to its new SPI and keys. */
static int
db_sa_rekey(struct db *db, struct cmd *cmd, struct err *err)
{
	struct sa *cur = sad_lookup_name(db->sad, cmd->sa.name), *sa;
	int rc;

	if (cur == NULL)
		return err_set(err, ENOENT, "SA '%s' does not exist", cmd->sa.name);
	spd_unbind(db->spd, cur);
	rc = sad_rekey(db->sad, cur, &cmd->sa, cmd->grace, &sa, err);
	spd_rebind(db->spd, rc == 0 ? sa : cur);
	return rc;
}

/* Remove the retired SAs of name (sa remove NAME takes the SA's past with it). A retired SA
 * serves no policy: nothing refuses this. */
static int
db_sa_remove_retired(struct db *db, const char *name, struct err *err)
{
	int rc = 0;

	for (size_t i = sad_retired_count(db->sad); rc == 0 && i-- > 0;) {
		struct sa *sa = sad_retired_at(db->sad, i);

		if (strcmp(sa->name, name) == 0)
			rc = sad_remove(db->sad, sa, err);
	}
	return rc;
}

/* "SA 'x' is in use by policies: a, b", as many names as fit, then "and N more". */
static int
db_in_use(const struct db *db, const struct sa *sa, struct err *err)
{
	/* Room for the sentence around the list and for " and N more". */
	size_t budget = ERR_MSG_MAX - sizeof("SA '' is in use by policies: ") - strlen(sa->name) -
	    sizeof(" and 4294967295 more");
	char list[ERR_MSG_MAX] = "";
	size_t used = 0;
	size_t shown = 0;
	size_t more = 0;
	size_t n = spd_count(db->spd);

	for (size_t i = 0; i < n; i++) {
		const struct sp *sp = spd_at(db->spd, i);
		size_t len = strlen(sp->name) + (shown > 0 ? 2 : 0);

		if (sp->sa != sa)
			continue;
		if (more > 0 || used + len >= budget) {
			more++;
			continue;
		}
		(void)snprintf(
		    list + used, sizeof(list) - used, "%s%s", shown > 0 ? ", " : "", sp->name);
		used += len;
		shown++;
	}
	if (shown == 0)
		return err_set(err, EBUSY, "SA '%s' is in use", sa->name);
	if (more > 0)
		return err_set(err, EBUSY, "SA '%s' is in use by policies: %s and %zu more",
		    sa->name, list, more);
	return err_set(err, EBUSY, "SA '%s' is in use by %s: %s", sa->name,
	    shown == 1 ? "policy" : "policies", list);
}

static struct sa *
db_sa_find(const struct db *db, const struct cmd_remove *rm, struct err *err)
{
	char src[ADDR_TEXT_MAX];
	char dst[ADDR_TEXT_MAX];
	struct sa *sa;

	if (strcmp(rm->name, "auto") != 0) {
		sa = sad_lookup_name(db->sad, rm->name);
		if (sa == NULL)
			(void)err_set(err, ENOENT, "SA '%s' does not exist", rm->name);
		return sa;
	}
	sa = sad_lookup_tuple(db->sad, &rm->src, &rm->dst, rm->spi);
	if (sa == NULL)
		(void)err_set(err, ENOENT,
		    "no SA with source %s, destination %s and SPI 0x%x exists",
		    addr_is_any(&rm->src) ? "any" : addr_format(&rm->src, src),
		    addr_is_any(&rm->dst) ? "any" : addr_format(&rm->dst, dst), rm->spi);
	return sa;
}

static int
db_sa_remove(struct db *db, const struct cmd_remove *rm, struct err *err)
{
	struct sa *sa;
	int rc;

	if (rm->all) {
		/* CLI.md: remove-all takes SAs in use too; their policies stay and discard. */
		size_t n = sad_count(db->sad);

		for (size_t i = 0; i < n; i++) {
			sa = sad_at(db->sad, i);
			if (sa->users > 0)
				spd_unbind(db->spd, sa);
		}
		sad_remove_all(db->sad);
		return 0;
	}
	sa = db_sa_find(db, rm, err);
	if (sa == NULL)
		return -ENOENT;
	if (sa->users > 0)
		return db_in_use(db, sa, err);
	rc = sa->retired == 0 ? db_sa_remove_retired(db, sa->name, err) : 0;
	return rc != 0 ? rc : sad_remove(db->sad, sa, err);
}

static int
db_sp_add(struct db *db, const struct cmd *cmd, struct err *err)
{
	struct sa *sa = NULL;

	if (cmd->sp.sa_name[0] != '\0') {
		sa = sad_lookup_name(db->sad, cmd->sp.sa_name);
		if (sa == NULL && !cmd->sa_dangling)
			return err_set(err, ENOENT, "SA '%s' does not exist", cmd->sp.sa_name);
	}
	return spd_add(db->spd, &cmd->sp, sa, err);
}

static int
db_sp_remove(struct db *db, const struct cmd_remove *rm, struct err *err)
{
	struct sp *sp;

	if (rm->all) {
		spd_remove_all(db->spd);
		return 0;
	}
	sp = spd_lookup_name(db->spd, rm->name);
	if (sp == NULL)
		return err_set(err, ENOENT, "policy '%s' does not exist", rm->name);
	spd_remove(db->spd, sp);
	return 0;
}

int
db_apply(struct db *db, struct cmd *cmd, struct err *err)
{
	switch (cmd->verb) {
	case CMD_SA_ADD:
		return db_sa_add(db, cmd, err);
	case CMD_SA_REMOVE:
		return db_sa_remove(db, &cmd->rm, err);
	case CMD_SA_REKEY:
		return db_sa_rekey(db, cmd, err);
	case CMD_SP_ADD:
		return db_sp_add(db, cmd, err);
	case CMD_SP_REMOVE:
		return db_sp_remove(db, &cmd->rm, err);
	case CMD_SA_LIST:
	case CMD_SP_LIST:
		break;
	}
	return err_set(err, EINVAL, "'%s' does not change anything", cmd_verb_name(cmd->verb));
}

struct db_snap *
db_snapshot(const struct db *db)
{
	struct db_snap *snap = calloc(1, sizeof(*snap));

	if (snap == NULL)
		return NULL;
	snap->sad = sad_snapshot(db->sad);
	snap->spd = spd_snapshot(db->spd);
	if (snap->sad == NULL || snap->spd == NULL) {
		db_snap_free(snap);
		return NULL;
	}
	return snap;
}

void
db_snap_free(struct db_snap *snap)
{
	if (snap == NULL)
		return;
	spd_snap_free(snap->spd);
	sad_snap_free(snap->sad);
	free(snap);
}
