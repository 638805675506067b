// SPDX-License-Identifier: MIT
/* The control-plane SPD: policies validated and kept in the order added (RFC 4301 section
 * 4.4.1, ordered SPD), with a hash on the name so that 100,000 policies add in linear time.
 * The data path never reads this list; it reads snapshots (spd_classify.c). */
#include "ipsec6/spd.h"

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ipsec6/htab.h"
#include "ipsec6/names.h"
#include "ipsec6/words.h"

struct spd {
	struct sp **list; /* add order */
	size_t count;
	size_t cap;
	struct htab names; /* policies by name */
};

#define SP_NAMES_N(a) (sizeof(a) / sizeof((a)[0]))

const char *
sp_dir_name(enum sp_dir dir)
{
	return names_at(words_sp_dir, SP_NAMES_N(words_sp_dir), dir);
}

const char *
sp_action_name(enum sp_action action)
{
	return names_at(words_sp_action, SP_NAMES_N(words_sp_action), action);
}

/* The row of proto, or -1. */
static int
sp_proto_row(int proto)
{
	for (size_t i = 0; i < SP_NAMES_N(words_sp_proto); i++) {
		if (words_sp_proto[i].proto == proto)
			return (int)i;
	}
	return -1;
}

const char *
sp_proto_name(int proto)
{
	int i = sp_proto_row(proto);

	return i < 0 ? "?" : words_sp_proto[i].name;
}

int
sp_dir_parse(const char *text, enum sp_dir *out, struct err *err)
{
	int i = names_parse(NAMES_TABLE(words_sp_dir), text, "flow direction", err);

	if (i < 0)
		return i;
	*out = (enum sp_dir)i;
	return 0;
}

int
sp_action_parse(const char *text, enum sp_action *out, struct err *err)
{
	int i = names_parse(NAMES_TABLE(words_sp_action), text, "action", err);

	if (i < 0)
		return i;
	*out = (enum sp_action)i;
	return 0;
}

int
sp_proto_parse(const char *text, int *out, struct err *err)
{
	int i = names_parse(NAMES_TABLE(words_sp_proto), text, "upper layer protocol", err);

	if (i < 0)
		return i;
	*out = words_sp_proto[i].proto;
	return 0;
}

void
sp_ref(struct sp *sp)
{
	atomic_fetch_add_explicit(&sp->ref, 1, memory_order_relaxed);
}

void
sp_unref(struct sp *sp)
{
	if (sp == NULL)
		return;
	/* Release so that every earlier use happens before the free in the last holder. */
	if (atomic_fetch_sub_explicit(&sp->ref, 1, memory_order_acq_rel) != 1)
		return;
	/* The SPD unbinds before it lets go; a snapshot never binds. */
	assert(sp->sa == NULL);
	free(sp);
}

bool
sp_match(const struct sp *sp, const struct pkt_sel *sel)
{
	if (!addr_prefix_match(&sp->src, &sel->src) || !addr_prefix_match(&sp->dst, &sel->dst))
		return false;
	if (sp->proto != SP_PROTO_ANY && sp->proto != sel->proto)
		return false;
	if (sp->sport == SP_PORT_ANY && sp->dport == SP_PORT_ANY)
		return true;
	/* RFC 4301 section 4.4.1.3: the ports of a non-first fragment are OPAQUE, and OPAQUE is
	 * matched only by ANY. */
	if (sel->nonfirst_frag)
		return false;
	/* A concrete port (>= 0) never equals an absent one (-1). For ICMPv6 the destination
	 * port field holds the type (RFC 4301 section 4.4.1.1). */
	if (sp->sport != SP_PORT_ANY && sp->sport != sel->sport)
		return false;
	if (sp->dport != SP_PORT_ANY && sp->dport != sel->dport)
		return false;
	return true;
}

/* Binding: the SA counts its users (it is "in use") and is kept in memory while bound. */
static void
sp_bind(struct sp *sp, struct sa *sa)
{
	sp->sa = sa;
	sa->users++;
	sa_ref(sa);
}

static void
sp_unbind(struct sp *sp)
{
	struct sa *sa = sp->sa;

	if (sa == NULL)
		return;
	sp->sa = NULL;
	assert(sa->users > 0);
	sa->users--;
	sa_unref(sa);
}

static bool
spd_eq_name(const void *item, const void *key)
{
	const struct sp *sp = item;

	return strcmp(sp->name, key) == 0;
}

struct spd *
spd_new(void)
{
	struct spd *spd = calloc(1, sizeof(*spd));

	if (spd == NULL)
		return NULL;
	if (htab_reserve(&spd->names, 1) != 0) {
		free(spd);
		return NULL;
	}
	return spd;
}

void
spd_free(struct spd *spd)
{
	if (spd == NULL)
		return;
	spd_remove_all(spd);
	htab_fini(&spd->names);
	free(spd->list);
	free(spd);
}

static bool
spd_name_valid(const char *name, size_t size)
{
	size_t len = strnlen(name, size);

	if (len == 0 || len > SP_NAME_MAX || len == size)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = name[i];
		bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
		if (!ok)
			return false;
	}
	return true;
}

static bool
sp_port_valid(int32_t port)
{
	return port == SP_PORT_ANY || (port >= 0 && port <= 65535);
}

/* Protocol and ports, as `sp add` documents them (CLI.md). */
static int
spd_check_ports(const struct sp_spec *spec, struct err *err)
{
	char list[64];

	if (sp_proto_row(spec->proto) < 0) {
		names_join(NAMES_TABLE(words_sp_proto), list, sizeof(list));
		return err_set(
		    err, EINVAL, "upper-layer protocol '%d' must be %s", spec->proto, list);
	}
	if (!sp_port_valid(spec->sport))
		return err_set(
		    err, EINVAL, "source port '%d' must be 0-65535 or any", (int)spec->sport);
	if (!sp_port_valid(spec->dport))
		return err_set(
		    err, EINVAL, "destination port '%d' must be 0-65535 or any", (int)spec->dport);
	if (spec->proto == SP_PROTO_ANY &&
	    (spec->sport != SP_PORT_ANY || spec->dport != SP_PORT_ANY))
		return err_set(err, EINVAL, "ports need --upper-layer-protocol tcp or udp");
	if (spec->proto == IPPROTO_ICMPV6 && spec->sport != SP_PORT_ANY)
		return err_set(err, EINVAL, "--source-port is not used with icmp6");
	/* The ICMPv6 type is one octet (RFC 4443 section 2.1). */
	if (spec->proto == IPPROTO_ICMPV6 && spec->dport > 255)
		return err_set(err, EINVAL, "ICMPv6 type '%d' must be 0-255", (int)spec->dport);
	return 0;
}

/* Direction, action, the SA binding and the mode. */
static int
spd_check_binding(const struct sp_spec *spec, const struct sa *bound, struct err *err)
{
	size_t sa_len = strnlen(spec->sa_name, sizeof(spec->sa_name));
	char list[64];

	if ((unsigned)spec->dir >= SP_NAMES_N(words_sp_dir)) {
		names_join(NAMES_TABLE(words_sp_dir), list, sizeof(list));
		return err_set(err, EINVAL, "flow direction '%d' must be %s", (int)spec->dir, list);
	}
	if ((unsigned)spec->action >= SP_NAMES_N(words_sp_action)) {
		names_join(NAMES_TABLE(words_sp_action), list, sizeof(list));
		return err_set(err, EINVAL, "action '%d' must be %s", (int)spec->action, list);
	}
	if (spec->mode_given && spec->mode != SA_MODE_TRANSPORT && spec->mode != SA_MODE_TUNNEL)
		return err_set(
		    err, EINVAL, "policy mode '%d' must be transport or tunnel", (int)spec->mode);
	if (sa_len == sizeof(spec->sa_name))
		return err_set(err, EINVAL, "SA name is longer than %d characters", SA_NAME_MAX);
	if (sa_len > 0 && spec->action != SP_ACTION_IPSEC)
		return err_set(err, EINVAL, "--sa-name is only allowed with --action=ipsec");
	if (bound != NULL && strcmp(bound->name, spec->sa_name) != 0)
		return err_set(err, EINVAL, "policy names SA '%s' but SA '%s' was given",
		    spec->sa_name, bound->name);
	if (bound != NULL && spec->mode_given && spec->mode != bound->mode)
		return err_set(err, EINVAL, "policy mode '%s' does not match SA '%s' (%s)",
		    sa_mode_name(spec->mode), bound->name, sa_mode_name(bound->mode));
	return 0;
}

/* Make room for one more policy in the list and the name table. */
static int
spd_reserve(struct spd *spd)
{
	if (spd->count == spd->cap) {
		size_t cap = spd->cap == 0 ? 16 : spd->cap * 2;
		struct sp **list = reallocarray(spd->list, cap, sizeof(struct sp *));

		if (list == NULL)
			return -ENOMEM;
		spd->list = list;
		spd->cap = cap;
	}
	return htab_reserve(&spd->names, spd->count + 1);
}

static void
prefix_clear_host_bits(struct prefix6 *p)
{
	for (unsigned i = 0; i < 16; i++) {
		unsigned bits = p->len > i * 8 ? p->len - i * 8 : 0;

		if (bits < 8)
			p->addr.s6_addr[i] &= (uint8_t)(0xffu << (8 - bits));
	}
}

static struct sp *
sp_from_spec(const struct sp_spec *spec, struct sa *bound)
{
	struct sp *sp = calloc(1, sizeof(*sp));

	if (sp == NULL)
		return NULL;
	memcpy(sp->name, spec->name, sizeof(sp->name));
	sp->src = spec->src;
	sp->dst = spec->dst;
	/* struct prefix6 promises zero host bits; the classifier relies on it. */
	prefix_clear_host_bits(&sp->src);
	prefix_clear_host_bits(&sp->dst);
	sp->sport = spec->sport;
	sp->dport = spec->dport;
	sp->proto = spec->proto;
	sp->dir = spec->dir;
	sp->action = spec->action;
	if (spec->mode_given)
		sp->mode = spec->mode;
	else
		sp->mode = bound != NULL ? bound->mode : SA_MODE_TRANSPORT;
	memcpy(sp->sa_name, spec->sa_name, sizeof(sp->sa_name));
	atomic_init(&sp->ref, 1);
	atomic_init(&sp->matches, 0);
	return sp;
}

int
spd_add(struct spd *spd, const struct sp_spec *spec, struct sa *bound, struct err *err)
{
	struct sp *sp;
	int rc;

	if (!spd_name_valid(spec->name, sizeof(spec->name)))
		return err_set(err, EINVAL, "invalid policy name '%.*s': use 1-64 of A-Za-z0-9_.-",
		    (int)strnlen(spec->name, sizeof(spec->name)), spec->name);
	if (spec->src.len > 128 || spec->dst.len > 128)
		return err_set(err, EINVAL, "prefix length '%u' must be 0-128",
		    spec->src.len > 128 ? spec->src.len : spec->dst.len);
	rc = spd_check_ports(spec, err);
	if (rc < 0)
		return rc;
	rc = spd_check_binding(spec, bound, err);
	if (rc < 0)
		return rc;
	if (spd_lookup_name(spd, spec->name) != NULL)
		return err_set(err, EEXIST, "policy '%s' already exists", spec->name);
	rc = spd_reserve(spd);
	if (rc < 0)
		return err_set(err, ENOMEM, "out of memory adding policy '%s'", spec->name);
	sp = sp_from_spec(spec, bound);
	if (sp == NULL)
		return err_set(err, ENOMEM, "out of memory adding policy '%s'", spec->name);
	if (bound != NULL)
		sp_bind(sp, bound);
	htab_put(&spd->names, htab_hash_str(sp->name), sp);
	spd->list[spd->count++] = sp;
	return 0;
}

void
spd_remove(struct spd *spd, struct sp *sp)
{
	size_t i;

	if (sp == NULL || spd_lookup_name(spd, sp->name) != sp)
		return;
	htab_del(&spd->names, htab_hash_str(sp->name), sp);
	for (i = 0; i < spd->count && spd->list[i] != sp; i++)
		continue;
	assert(i < spd->count);
	memmove(&spd->list[i], &spd->list[i + 1], (spd->count - i - 1) * sizeof(struct sp *));
	spd->count--;
	sp_unbind(sp);
	sp_unref(sp);
}

void
spd_remove_all(struct spd *spd)
{
	for (size_t i = 0; i < spd->count; i++) {
		sp_unbind(spd->list[i]);
		sp_unref(spd->list[i]);
	}
	spd->count = 0;
	htab_clear(&spd->names);
}

void
spd_unbind(struct spd *spd, struct sa *sa)
{
	for (size_t i = 0; i < spd->count; i++) {
		if (spd->list[i]->sa == sa)
			sp_unbind(spd->list[i]);
	}
}

void
spd_rebind(struct spd *spd, struct sa *sa)
{
	for (size_t i = 0; i < spd->count; i++) {
		struct sp *sp = spd->list[i];

		/* A policy's mode is fixed when it is added and must equal its SA's (CLI.md): an
		 * SA of the same name but the other mode leaves the policy unbound (discard). */
		if (sp->sa == NULL && sp->action == SP_ACTION_IPSEC &&
		    strcmp(sp->sa_name, sa->name) == 0 && sp->mode == sa->mode)
			sp_bind(sp, sa);
	}
}

struct sp *
spd_lookup_name(const struct spd *spd, const char *name)
{
	return htab_find(&spd->names, htab_hash_str(name), spd_eq_name, name);
}

size_t
spd_count(const struct spd *spd)
{
	return spd->count;
}

struct sp *
spd_at(const struct spd *spd, size_t i)
{
	return i < spd->count ? spd->list[i] : NULL;
}
