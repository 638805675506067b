// SPDX-License-Identifier: MIT
/* The next-hop cache of the link-layer send path: rtnetlink route, link and neighbour requests
 * (libmnl), one synchronous request at a time, with a receive timeout so that a silent kernel
 * never stalls the data path for long. */
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

#include "log.h"
#include "route.h"

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

int
nexthop_init(struct nexthop_cache *c, uint32_t mark, struct err *err)
{
	struct timeval tv = { 0, NEXTHOP_TIMEOUT_US };

	memset(c, 0, sizeof(*c));
	c->mark = mark;
	c->buf = malloc(NEXTHOP_BUF_SIZE);
	if (c->buf == NULL)
		return err_set(err, ENOMEM, "out of memory for a netlink buffer");
	c->nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (c->nl == NULL || mnl_socket_bind(c->nl, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    setsockopt(mnl_socket_get_fd(c->nl), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0) {
		int e = errno;

		nexthop_fini(c);
		return err_set(err, e, "cannot open a route netlink socket: %s", log_strerror(e));
	}
	return 0;
}

void
nexthop_fini(struct nexthop_cache *c)
{
	if (c->nl != NULL)
		(void)mnl_socket_close(c->nl); /* close(2) of a socket we own */
	free(c->buf);
	c->nl = NULL;
	c->buf = NULL;
}

/* Start a request of type in the buffer. */
static struct nlmsghdr *
nexthop_msg(struct nexthop_cache *c, uint16_t type)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(c->buf);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = ++c->seq;
	return nlh;
}

static int
nexthop_talk(struct nexthop_cache *c, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
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

/* Ask the kernel where a packet from src to dst goes; fill e. */
static void
nexthop_resolve(struct nexthop_cache *c, struct nexthop *e)
{
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
	mnl_attr_put(nlh, RTA_DST, 16, e->dst);
	mnl_attr_put(nlh, RTA_SRC, 16, e->src);
	mnl_attr_put_u32(nlh, RTA_MARK, c->mark);
	if (nexthop_talk(c, nlh, nexthop_route_cb, &r) < 0 || !r.unicast || r.oif <= 0)
		return; /* local, unreachable, blackhole: the kernel knows what to do */

	nlh = nexthop_msg(c, RTM_GETLINK);
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = r.oif;
	if (nexthop_talk(c, nlh, nexthop_link_cb, &r) < 0 || !r.ether || r.mtu == 0)
		return;
	memcpy(e->eth + ETH_ALEN, r.lladdr, ETH_ALEN);

	nlh = nexthop_msg(c, RTM_GETNEIGH);
	ndm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndm));
	ndm->ndm_family = AF_INET6;
	ndm->ndm_ifindex = r.oif;
	mnl_attr_put(nlh, NDA_DST, 16, r.has_gw ? r.gw : e->dst);
	if (nexthop_talk(c, nlh, nexthop_neigh_cb, &r) < 0 || !r.has_lladdr ||
	    (r.nud & NEXTHOP_NUD_OK) == 0)
		return; /* unresolved: the kernel's output starts neighbour discovery */
	memcpy(e->eth, r.lladdr, ETH_ALEN);
	e->eth[12] = ETH_P_IPV6 >> 8;
	e->eth[13] = ETH_P_IPV6 & 0xff;
	e->ifindex = r.oif;
	e->mtu = r.mtu;
	e->usable = true;
}

struct nexthop *
nexthop_lookup(struct nexthop_cache *c, const uint8_t *src, const uint8_t *dst, uint64_t now_ns)
{
	struct nexthop *e = NULL, *lru = &c->slot[0];

	for (size_t i = 0; i < NEXTHOP_SLOTS && e == NULL; i++) {
		struct nexthop *s = &c->slot[i];

		if (s->expires_ns != 0 && memcmp(s->dst, dst, 16) == 0 &&
		    memcmp(s->src, src, 16) == 0)
			e = s;
		else if (s->used_ns < lru->used_ns)
			lru = s;
	}
	if (e == NULL) {
		e = lru;
		memset(e, 0, sizeof(*e));
		memcpy(e->src, src, 16);
		memcpy(e->dst, dst, 16);
	}
	if (now_ns >= e->expires_ns) {
		nexthop_resolve(c, e);
		e->expires_ns = now_ns + (e->usable ? NEXTHOP_TTL_NS : NEXTHOP_NEG_TTL_NS);
	}
	e->used_ns = now_ns;
	return e;
}

void
nexthop_flush(struct nexthop_cache *c)
{
	memset(c->slot, 0, sizeof(c->slot));
}
