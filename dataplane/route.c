// SPDX-License-Identifier: MIT
/* rtnetlink requests for ipsec6d's rule and routes, one synchronous request at a time. */
#include "route.h"

#include <sys/socket.h>

#include <linux/fib_rules.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include <errno.h>
#include <libmnl/libmnl.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

#define ROUTE_BLACKHOLE_METRIC 0xffffffffu
#define ROUTE_DEV_METRIC       1024u
#define ROUTE_BUF_SIZE         8192 /* MNL_SOCKET_BUFFER_SIZE is a run-time value (a VLA) */

/* Start a request of type in buf (ROUTE_BUF_SIZE bytes), one that asks for an
 * acknowledgement: route_talk() waits for it. */
static struct nlmsghdr *
route_msg(char *buf, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = (unsigned)time(NULL);
	return nlh;
}

int
route_nl_talk(struct mnl_socket *nl, const struct nlmsghdr *nlh, void *buf, size_t size,
    mnl_cb_t cb, void *data)
{
	unsigned seq = nlh->nlmsg_seq, portid = mnl_socket_get_portid(nl);

	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, size); /* buf may hold nlh: it is sent */

		if (n < 0)
			return -errno;
		if (mnl_cb_run(buf, (size_t)n, seq, portid, cb, data) >= 0)
			return 0;
		if (errno != EPROTO) /* EPROTO: a stale answer, another sequence number */
			return -errno;
	}
}

/* Send one request on a socket of its own and wait for its acknowledgement. Returns 0 or a
 * negative errno. */
static int
route_talk(struct nlmsghdr *nlh)
{
	char buf[ROUTE_BUF_SIZE];
	struct mnl_socket *nl;
	int rc;

	nl = mnl_socket_open(NETLINK_ROUTE);
	if (nl == NULL)
		return -errno;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		rc = -errno;
	else
		rc = route_nl_talk(nl, nlh, buf, sizeof(buf), NULL, NULL);
	mnl_socket_close(nl);
	return rc;
}

static int
route_rule(const struct route_params *p, uint16_t type, uint16_t flags)
{
	char buf[ROUTE_BUF_SIZE];
	struct nlmsghdr *nlh = route_msg(buf, type, flags);
	struct fib_rule_hdr *frh = mnl_nlmsg_put_extra_header(nlh, sizeof(*frh));

	frh->family = AF_INET6;
	frh->action = FR_ACT_TO_TBL;
	frh->table = RT_TABLE_UNSPEC;
	mnl_attr_put_u32(nlh, FRA_FWMARK, p->mark);
	mnl_attr_put_u32(nlh, FRA_FWMASK, 0xffffffffu);
	mnl_attr_put_u32(nlh, FRA_TABLE, p->table);
	mnl_attr_put_u32(nlh, FRA_PRIORITY, p->priority);
	return route_talk(nlh);
}

static int
route_default(const struct route_params *p, uint16_t type, uint16_t flags, int blackhole)
{
	char buf[ROUTE_BUF_SIZE];
	struct nlmsghdr *nlh = route_msg(buf, type, flags);
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));

	rtm->rtm_family = AF_INET6;
	rtm->rtm_dst_len = 0;
	rtm->rtm_table = RT_TABLE_UNSPEC;
	rtm->rtm_protocol = RTPROT_STATIC;
	rtm->rtm_scope = RT_SCOPE_UNIVERSE;
	rtm->rtm_type = blackhole ? RTN_BLACKHOLE : RTN_UNICAST;
	mnl_attr_put_u32(nlh, RTA_TABLE, p->table);
	mnl_attr_put_u32(nlh, RTA_PRIORITY, blackhole ? ROUTE_BLACKHOLE_METRIC : ROUTE_DEV_METRIC);
	if (!blackhole)
		mnl_attr_put_u32(nlh, RTA_OIF, p->ifindex);
	return route_talk(nlh);
}

int
route_link_no_addrconf(unsigned ifindex, struct err *err)
{
	char buf[ROUTE_BUF_SIZE];
	struct nlmsghdr *nlh = route_msg(buf, RTM_SETLINK, 0);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	struct nlattr *spec, *inet6;
	int rc;

	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = (int)ifindex;
	spec = mnl_attr_nest_start(nlh, IFLA_AF_SPEC);
	inet6 = mnl_attr_nest_start(nlh, AF_INET6);
	mnl_attr_put_u8(nlh, IFLA_INET6_ADDR_GEN_MODE, IN6_ADDR_GEN_MODE_NONE);
	mnl_attr_nest_end(nlh, inet6);
	mnl_attr_nest_end(nlh, spec);
	rc = route_talk(nlh);
	if (rc < 0)
		return err_set(err, -rc, "cannot switch off address generation on interface %u: %s",
		    ifindex, log_strerror(-rc));
	return 0;
}

int
route_install(const struct route_params *p, struct err *err)
{
	int rc;

	/* Order matters for failing closed: the blackhole exists before the rule sends
	 * anything to the table. */
	rc = route_default(p, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, 1);
	if (rc < 0 && rc != -EEXIST)
		return err_set(err, -rc, "cannot add the blackhole route to table %u: %s", p->table,
		    log_strerror(-rc));
	rc = route_default(p, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, 0);
	if (rc < 0)
		return err_set(err, -rc, "cannot route table %u to the TUN device: %s", p->table,
		    log_strerror(-rc));
	rc = route_rule(p, RTM_NEWRULE, NLM_F_CREATE | NLM_F_EXCL);
	if (rc < 0 && rc != -EEXIST)
		return err_set(err, -rc, "cannot add the rule fwmark 0x%x lookup %u: %s", p->mark,
		    p->table, log_strerror(-rc));
	return 0;
}

void
route_remove(const struct route_params *p, int keep_blackhole)
{
	(void)route_rule(p, RTM_DELRULE, 0); /* clean-up: absent is as good as removed */
	(void)route_default(p, RTM_DELROUTE, 0, 0);
	if (!keep_blackhole)
		(void)route_default(p, RTM_DELROUTE, 0, 1);
}
