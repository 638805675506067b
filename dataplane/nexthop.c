// SPDX-License-Identifier: MIT
/* The next-hop table of the link-layer send path: built by the control thread from rtnetlink
 * route, link and neighbour requests (libmnl, one synchronous request at a time, with a receive
 * timeout so that a silent kernel never stalls it for long), rebuilt on the kernel's change
 * notices and the senders' asks, and published for the senders as an immutable hash table. */
#include "nexthop.h"

#include <sys/socket.h>
#include <sys/time.h>

#include <linux/if_arp.h>
#include <linux/if_ether.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include <errno.h>
#include <libmnl/libmnl.h>
#include <stdlib.h>
#include <string.h>

#include "ipsec6/pkt.h"
#include "log.h"
#include "route.h"
#include "snap.h"

#define NEXTHOP_BUF_SIZE   32768 /* a link's attributes (stats, per-family settings) run long */
#define NEXTHOP_TIMEOUT_US 100000
/* Neighbour states whose link-layer address the kernel itself would send to. */
#define NEXTHOP_NUD_OK (NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE | NUD_PERMANENT)

/* What the three replies tell. */
struct nexthop_reply {
	int oif;
	bool unicast;
	bool has_gw;
	uint8_t gw[16];
	bool ether;
	uint32_t mtu;
	uint8_t lladdr[ETH_ALEN];
	bool has_lladdr;
	uint16_t nud;
};

/* Start a request of type in the buffer. */
static struct nlmsghdr *
nexthop_msg(struct nexthops *c, uint16_t type)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(c->buf);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = ++c->seq;
	return nlh;
}

static int
nexthop_talk(struct nexthops *c, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	return route_nl_talk(c->nl, nlh, c->buf, NEXTHOP_BUF_SIZE, cb, data);
}

static int
nexthop_route_attr(const struct nlattr *a, void *data)
{
	struct nexthop_reply *r = data;

	if (mnl_attr_get_type(a) == RTA_OIF && mnl_attr_validate(a, MNL_TYPE_U32) == 0)
		r->oif = (int)mnl_attr_get_u32(a);
	else if (mnl_attr_get_type(a) == RTA_GATEWAY && mnl_attr_get_payload_len(a) == 16) {
		memcpy(r->gw, mnl_attr_get_payload(a), 16);
		r->has_gw = true;
	}
	return MNL_CB_OK;
}

static int
nexthop_route_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	struct nexthop_reply *r = data;

	if (nlh->nlmsg_type != RTM_NEWROUTE || nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*rtm)))
		return MNL_CB_ERROR;
	r->unicast = rtm->rtm_type == RTN_UNICAST;
	return mnl_attr_parse(nlh, sizeof(*rtm), nexthop_route_attr, r);
}

static int
nexthop_link_attr(const struct nlattr *a, void *data)
{
	struct nexthop_reply *r = data;

	if (mnl_attr_get_type(a) == IFLA_MTU && mnl_attr_validate(a, MNL_TYPE_U32) == 0)
		r->mtu = mnl_attr_get_u32(a);
	else if (mnl_attr_get_type(a) == IFLA_ADDRESS && mnl_attr_get_payload_len(a) == ETH_ALEN)
		memcpy(r->lladdr, mnl_attr_get_payload(a), ETH_ALEN);
	return MNL_CB_OK;
}

static int
nexthop_link_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	struct nexthop_reply *r = data;

	if (nlh->nlmsg_type != RTM_NEWLINK || nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifi)))
		return MNL_CB_ERROR;
	r->ether = ifi->ifi_type == ARPHRD_ETHER;
	return mnl_attr_parse(nlh, sizeof(*ifi), nexthop_link_attr, r);
}

static int
nexthop_neigh_attr(const struct nlattr *a, void *data)
{
	struct nexthop_reply *r = data;

	if (mnl_attr_get_type(a) == NDA_LLADDR && mnl_attr_get_payload_len(a) == ETH_ALEN) {
		memcpy(r->lladdr, mnl_attr_get_payload(a), ETH_ALEN);
		r->has_lladdr = true;
	}
	return MNL_CB_OK;
}

static int
nexthop_neigh_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ndmsg *ndm = mnl_nlmsg_get_payload(nlh);
	struct nexthop_reply *r = data;

	if (nlh->nlmsg_type != RTM_NEWNEIGH || nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ndm)))
		return MNL_CB_ERROR;
	r->nud = ndm->ndm_state;
	return mnl_attr_parse(nlh, sizeof(*ndm), nexthop_neigh_attr, r);
}

/* The path MTU learnt for dst, or 0. */
static uint32_t
nexthop_pmtu_of(const struct nexthops *h, const uint8_t *dst, uint64_t now_ns)
{
	for (size_t i = 0; i < NEXTHOP_PMTUS; i++) {
		const struct nexthop_pmtu *p = &h->pmtu[i];

		if (p->mtu != 0 && now_ns < p->until_ns && memcmp(p->dst, dst, 16) == 0)
			return p->mtu;
	}
	return 0;
}

/* Which slot to take for a new destination: the lowest (free or forgotten: 0). */
static uint64_t
nexthop_pmtu_rank(const struct nexthop_pmtu *p, uint64_t now_ns)
{
	return p->mtu == 0 || now_ns >= p->until_ns ? 0 : p->until_ns;
}

bool
nexthops_learn_pmtu(struct nexthops *h, const uint8_t *dst, uint32_t mtu, uint64_t now_ns)
{
	struct nexthop_pmtu *slot = NULL;
	uint32_t known = nexthop_pmtu_of(h, dst, now_ns);

	if (mtu < IPV6_MTU_MIN)
		mtu = IPV6_MTU_MIN; /* RFC 8201 section 4: never below IPv6's minimum */
	if (known != 0 && mtu >= known)
		return false;
	/* The destination's slot, else a free or forgotten one, else the one forgotten soonest. */
	for (size_t i = 0; i < NEXTHOP_PMTUS; i++) {
		struct nexthop_pmtu *p = &h->pmtu[i];

		if (p->mtu != 0 && now_ns < p->until_ns && memcmp(p->dst, dst, 16) == 0) {
			slot = p;
			break;
		}
		if (slot == NULL || nexthop_pmtu_rank(p, now_ns) < nexthop_pmtu_rank(slot, now_ns))
			slot = p;
	}
	memcpy(slot->dst, dst, 16);
	slot->mtu = mtu;
	slot->until_ns = now_ns + NEXTHOP_PMTU_NS;
	h->stale = true;
	return true;
}

/* Ask the kernel where a packet of e's pair goes; fill e. */
static void
nexthop_resolve(struct nexthops *c, struct nexthop *e, uint64_t now_ns)
{
	uint32_t learnt;
	struct nexthop_reply r = { 0 };
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	struct ifinfomsg *ifi;
	struct ndmsg *ndm;

	e->usable = false;
	nlh = nexthop_msg(c, RTM_GETROUTE);
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET6;
	rtm->rtm_dst_len = 128;
	rtm->rtm_src_len = 128;
	mnl_attr_put(nlh, RTA_DST, 16, e->pair.dst);
	mnl_attr_put(nlh, RTA_SRC, 16, e->pair.src);
	mnl_attr_put_u32(nlh, RTA_MARK, c->mark);
	if (nexthop_talk(c, nlh, nexthop_route_cb, &r) < 0 || !r.unicast || r.oif <= 0)
		return; /* local, unreachable, blackhole: the kernel knows what to do */

	nlh = nexthop_msg(c, RTM_GETLINK);
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = r.oif;
	if (nexthop_talk(c, nlh, nexthop_link_cb, &r) < 0 || r.mtu == 0)
		return;
	learnt = nexthop_pmtu_of(c, e->pair.dst, now_ns);
	e->mtu = learnt != 0 && learnt < r.mtu ? learnt : r.mtu;
	if (!r.ether)
		return;
	memcpy(e->eth + ETH_ALEN, r.lladdr, ETH_ALEN);

	nlh = nexthop_msg(c, RTM_GETNEIGH);
	ndm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndm));
	ndm->ndm_family = AF_INET6;
	ndm->ndm_ifindex = r.oif;
	mnl_attr_put(nlh, NDA_DST, 16, r.has_gw ? r.gw : e->pair.dst);
	if (nexthop_talk(c, nlh, nexthop_neigh_cb, &r) < 0 || !r.has_lladdr ||
	    (r.nud & NEXTHOP_NUD_OK) == 0)
		return; /* unresolved: the kernel's output starts neighbour discovery */
	memcpy(e->eth, r.lladdr, ETH_ALEN);
	e->eth[12] = ETH_P_IPV6 >> 8;
	e->eth[13] = ETH_P_IPV6 & 0xff;
	e->ifindex = r.oif;
	e->usable = true;
}

/* Pairs hash: the addresses are the administrator's and the peers', and a lookup for an
 * unknown pair only probes; an unkeyed mix is enough. */
static size_t
nexthop_hash(const uint8_t *src, const uint8_t *dst)
{
	uint64_t w[4], h = 0x9e3779b97f4a7c15u;

	memcpy(w, src, 16);
	memcpy(w + 2, dst, 16);
	for (size_t i = 0; i < 4; i++) {
		h ^= w[i];
		h *= 0xff51afd7ed558ccdu;
		h ^= h >> 32;
	}
	return (size_t)h;
}

static struct nexthop *
nexthop_find(struct nexthop_table *t, const uint8_t *src, const uint8_t *dst)
{
	if (t == NULL)
		return NULL;
	for (size_t i = nexthop_hash(src, dst) & t->mask;; i = (i + 1) & t->mask) {
		struct nexthop *e = &t->slot[i];

		if (!e->present)
			return NULL;
		if (memcmp(e->pair.dst, dst, 16) == 0 && memcmp(e->pair.src, src, 16) == 0)
			return e;
	}
}

/* A table with room for n pairs at load factor 1/2, empty. NULL on ENOMEM. */
static struct nexthop_table *
nexthop_table_new(size_t n)
{
	size_t cap = 16;
	struct nexthop_table *t;

	while (cap / 2 < n)
		cap *= 2;
	t = calloc(1, sizeof(*t) + cap * sizeof(t->slot[0]));
	if (t != NULL)
		t->mask = cap - 1;
	return t;
}

/* Add pair to t (absent from it; room reserved), carrying seen_ns; the slot. */
static struct nexthop *
nexthop_table_put(struct nexthop_table *t, const struct nexthop_pair *pair, uint64_t seen_ns)
{
	size_t i = nexthop_hash(pair->src, pair->dst) & t->mask;

	while (t->slot[i].present)
		i = (i + 1) & t->mask;
	t->slot[i].pair = *pair;
	t->slot[i].present = true;
	atomic_init(&t->slot[i].seen_ns, seen_ns);
	return &t->slot[i];
}

int
nexthops_init(struct nexthops *h, uint32_t mark, struct err *err)
{
	struct timeval tv = { 0, NEXTHOP_TIMEOUT_US };
	unsigned groups = RTMGRP_LINK | RTMGRP_NEIGH | RTMGRP_IPV6_ROUTE;
	int e;

	memset(h, 0, sizeof(*h));
	h->mark = mark;
	h->buf = malloc(NEXTHOP_BUF_SIZE);
	atomic_init(&h->table, nexthop_table_new(0));
	if (h->buf == NULL || atomic_load(&h->table) == NULL) {
		nexthops_fini(h);
		return err_set(err, ENOMEM, "out of memory for the next-hop table");
	}
	h->nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	h->events = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (h->nl == NULL || mnl_socket_bind(h->nl, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    setsockopt(mnl_socket_get_fd(h->nl), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
	    h->events == NULL || mnl_socket_bind(h->events, groups, MNL_SOCKET_AUTOPID) < 0) {
		e = errno;
		nexthops_fini(h);
		return err_set(err, e, "cannot open route netlink sockets: %s", log_strerror(e));
	}
	return 0;
}

void
nexthops_fini(struct nexthops *h)
{
	if (h->nl != NULL)
		(void)mnl_socket_close(h->nl); /* close(2) of a socket we own */
	if (h->events != NULL)
		(void)mnl_socket_close(h->events);
	free(atomic_load(&h->table)); /* no sender runs any more */
	free(h->buf);
	memset(h, 0, sizeof(*h));
}

/* Whether the kernel said anything on the change groups since the last look (an overrun of
 * the socket counts: something changed). Only links, neighbours and IPv6 routes are asked. */
static bool
nexthop_changes(struct nexthops *h)
{
	bool changed = false;

	for (;;) {
		ssize_t n = mnl_socket_recvfrom(h->events, h->buf, NEXTHOP_BUF_SIZE);

		if (n > 0) {
			changed = true;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == ENOBUFS)
			changed = true;
		return changed;
	}
}

/* Rebuild the table from the pairs of the old one that are in use and the asked ones, resolve
 * each, publish it and free the old one once no sender reads it. On ENOMEM the old one stays. */
static void
nexthop_rebuild(
    struct nexthops *h, uint64_t now_ns, const struct nexthop_pair *asked, size_t nasked)
{
	struct nexthop_table *old = atomic_load_explicit(&h->table, memory_order_relaxed), *t;
	size_t n = nasked;

	for (size_t i = 0; i <= old->mask; i++)
		n += old->slot[i].present;
	if (n > NEXTHOP_PAIRS_MAX)
		n = NEXTHOP_PAIRS_MAX;
	t = nexthop_table_new(n);
	if (t == NULL) {
		log_warn("out of memory for the next-hop table: it is not rebuilt");
		return;
	}
	n = 0;
	for (size_t i = 0; i <= old->mask && n < NEXTHOP_PAIRS_MAX; i++) {
		const struct nexthop *e = &old->slot[i];
		uint64_t seen = atomic_load_explicit(&e->seen_ns, memory_order_relaxed);

		if (!e->present || now_ns - seen >= NEXTHOP_IDLE_NS)
			continue;
		nexthop_resolve(h, nexthop_table_put(t, &e->pair, seen), now_ns);
		n++;
	}
	for (size_t i = 0; i < nasked && n < NEXTHOP_PAIRS_MAX; i++) {
		if (nexthop_find(t, asked[i].src, asked[i].dst) != NULL)
			continue;
		/* Seen now: asked for by a packet that took the kernel's output. */
		nexthop_resolve(h, nexthop_table_put(t, &asked[i], now_ns), now_ns);
		n++;
	}
	atomic_store_explicit(&h->table, t, memory_order_release);
	snap_synchronize();
	free(old);
	h->built_ns = now_ns;
	h->stale = false;
}

void
nexthops_tick(struct nexthops *h, uint64_t now_ns)
{
	struct nexthop_pair asked[NEXTHOP_ASKS];
	size_t tail = atomic_load_explicit(&h->ask_tail, memory_order_relaxed);
	size_t head = atomic_load_explicit(&h->ask_head, memory_order_acquire);
	size_t nasked = 0;

	for (; tail != head; tail++)
		asked[nasked++] = h->asks[tail % NEXTHOP_ASKS];
	atomic_store_explicit(&h->ask_tail, tail, memory_order_release);
	if (nexthop_changes(h))
		h->stale = true;
	if (nasked > 0 || h->stale || now_ns - h->built_ns >= NEXTHOP_TTL_NS)
		nexthop_rebuild(h, now_ns, asked, nasked);
}

struct nexthop *
nexthops_lookup(struct nexthops *h, const uint8_t *src, const uint8_t *dst)
{
	return nexthop_find(atomic_load_explicit(&h->table, memory_order_acquire), src, dst);
}

void
nexthops_ask(struct nexthops *h, const uint8_t *src, const uint8_t *dst)
{
	size_t head = atomic_load_explicit(&h->ask_head, memory_order_relaxed);
	size_t tail = atomic_load_explicit(&h->ask_tail, memory_order_acquire);

	if (head - tail >= NEXTHOP_ASKS)
		return;
	memcpy(h->asks[head % NEXTHOP_ASKS].src, src, 16);
	memcpy(h->asks[head % NEXTHOP_ASKS].dst, dst, 16);
	atomic_store_explicit(&h->ask_head, head + 1, memory_order_release);
}
