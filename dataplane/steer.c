// SPDX-License-Identifier: MIT
/* nftables rules from the SPD. The rule order is the SPD order, so first match wins in the
 * kernel as in the engine. Neighbour Discovery and MLD stay outside every policy that does not
 * name them: without them no address resolves, and no protected packet could flow either. */
#include "steer.h"

#include <arpa/inet.h>

#include <errno.h>
#include <nftables/libnftables.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* ICMPv6 types that keep a link working: router/neighbour discovery (RFC 4861: 133-137) and
 * MLDv2 reports (RFC 3810: 143). */
static const int steer_nd_types[] = { 133, 134, 135, 136, 137, 143 };

static bool
steer_type_named(const struct spd *spd, int type)
{
	for (size_t i = 0; i < spd_count(spd); i++) {
		const struct sp *sp = spd_at(spd, i);

		if (sp->proto == IPPROTO_ICMPV6 && sp->dport == type)
			return true;
	}
	return false;
}

static int
steer_nd_exempt(const struct spd *spd, struct proto_buf *out)
{
	const char *sep = "";
	int rc = 0, n = 0;

	for (size_t i = 0; i < sizeof(steer_nd_types) / sizeof(steer_nd_types[0]); i++) {
		if (!steer_type_named(spd, steer_nd_types[i]))
			n++;
	}
	if (n == 0)
		return 0;
	rc = proto_buf_printf(out, "\t\ticmpv6 type { ");
	for (size_t i = 0; rc == 0 && i < sizeof(steer_nd_types) / sizeof(steer_nd_types[0]); i++) {
		if (steer_type_named(spd, steer_nd_types[i]))
			continue;
		rc = proto_buf_printf(out, "%s%d", sep, steer_nd_types[i]);
		sep = ", ";
	}
	return rc ? rc : proto_buf_printf(out, " } accept\n");
}

/* The policy's selectors as nft matches: addresses, protocol and, with ports, its ports or
 * ICMPv6 type. */
static int
steer_match(const struct sp *sp, bool ports, struct proto_buf *out)
{
	char text[ADDR_TEXT_MAX];
	int rc = 0;

	if (sp->src.len > 0)
		rc = proto_buf_printf(out, " ip6 saddr %s", addr_prefix_format(&sp->src, text));
	if (rc == 0 && sp->dst.len > 0)
		rc = proto_buf_printf(out, " ip6 daddr %s", addr_prefix_format(&sp->dst, text));
	if (rc == 0 && sp->proto == IPPROTO_ICMPV6) {
		rc = proto_buf_printf(out, " meta l4proto ipv6-icmp");
		if (rc == 0 && ports && sp->dport != SP_PORT_ANY)
			rc = proto_buf_printf(out, " icmpv6 type %d", (int)sp->dport);
		return rc;
	}
	if (rc == 0 && sp->proto != SP_PROTO_ANY)
		rc = proto_buf_printf(
		    out, " meta l4proto %s", sp->proto == IPPROTO_TCP ? "tcp" : "udp");
	if (rc == 0 && ports && sp->sport != SP_PORT_ANY)
		rc = proto_buf_printf(out, " th sport %d", (int)sp->sport);
	if (rc == 0 && ports && sp->dport != SP_PORT_ANY)
		rc = proto_buf_printf(out, " th dport %d", (int)sp->dport);
	return rc;
}

/* ESP that the receive ring has taken already leaves the IP stack here, before any route
 * lookup: handled once, and no ICMP "unknown next header" for it. */
static int
steer_ring(const struct steer_params *p, struct proto_buf *out)
{
	char text[INET6_ADDRSTRLEN];
	int rc;

	if (p->ring_n == 0)
		return 0;
	rc = proto_buf_printf(out, "		ip6 nexthdr esp ip6 length <= %u ip6 daddr { ",
	    (unsigned)p->ring_plen_max);
	for (size_t i = 0; rc == 0 && i < p->ring_n; i++) {
		if (inet_ntop(AF_INET6, &p->ring_dsts[i], text, sizeof(text)) == NULL)
			return -EINVAL;
		rc = proto_buf_printf(out, "%s%s", i > 0 ? ", " : "", text);
	}
	return rc ? rc : proto_buf_printf(out, " } drop\n");
}

/* Policies whose packets the kernel's rules count: all but out-policies with action ipsec,
 * which the engine counts segment by segment (show.c); all of them when the table is closed. */
static bool
steer_counted(const struct sp *sp, bool closed)
{
	return closed || sp->dir != SP_DIR_OUT || sp->action != SP_ACTION_IPSEC;
}

/* The counter object of a policy: "sp_" and the policy name in hex, since nft object names
 * must start with a letter and cannot be quoted. */
#define STEER_ID_PREFIX "sp_"
#define STEER_ID_MAX    (sizeof(STEER_ID_PREFIX) + (size_t)2 * SP_NAME_MAX)

static void
steer_id(const char *name, char *out)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = strlen(STEER_ID_PREFIX);

	memcpy(out, STEER_ID_PREFIX, o);
	for (const unsigned char *c = (const unsigned char *)name; *c != '\0'; c++) {
		out[o++] = hex[*c >> 4];
		out[o++] = hex[*c & 15];
	}
	out[o] = '\0';
}

/* The policy name back from a counter id; false if it is not one of ours. */
static bool
steer_id_name(const char *id, size_t len, char *name)
{
	size_t p = strlen(STEER_ID_PREFIX), n = 0;

	if (len <= p || (len - p) % 2 != 0 || (len - p) / 2 > SP_NAME_MAX ||
	    strncmp(id, STEER_ID_PREFIX, p) != 0)
		return false;
	for (size_t i = p; i < len; i += 2) {
		char byte[3] = { id[i], id[i + 1], '\0' };
		char *end;
		unsigned long v = strtoul(byte, &end, 16);

		if (*end != '\0' || v == 0)
			return false;
		name[n++] = (char)v;
	}
	name[n] = '\0';
	return true;
}

static int
steer_name_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

int
steer_names_of(const struct spd *spd, bool closed, struct steer_names *out)
{
	size_t n = 0;

	out->v = NULL;
	out->n = 0;
	for (size_t i = 0; i < spd_count(spd); i++)
		n += steer_counted(spd_at(spd, i), closed);
	out->v = calloc(n + 2, sizeof(out->v[0]));
	if (out->v == NULL)
		return -ENOMEM;
	/* The table's own drops, under names no policy can have ('@'), shown as drop reasons. */
	memcpy(out->v[out->n++], STEER_DROPS_MISROUTED, sizeof(STEER_DROPS_MISROUTED));
	memcpy(out->v[out->n++], STEER_DROPS_FRAGMENT, sizeof(STEER_DROPS_FRAGMENT));
	for (size_t i = 0; i < spd_count(spd); i++) {
		const struct sp *sp = spd_at(spd, i);

		if (steer_counted(sp, closed))
			memcpy(out->v[out->n++], sp->name, sizeof(out->v[0]));
	}
	qsort(out->v, out->n, sizeof(out->v[0]), steer_name_cmp);
	return 0;
}

void
steer_names_fini(struct steer_names *names)
{
	free(names->v);
	names->v = NULL;
	names->n = 0;
}

/* verb ("add" or "delete") the counter of every name in a that b lacks (both sorted). */
static int
steer_counter_diff(const struct steer_names *a, const struct steer_names *b, const char *verb,
    struct proto_buf *out)
{
	char id[STEER_ID_MAX];
	size_t j = 0;
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < a->n; i++) {
		int c = 1;

		while (j < b->n && (c = strcmp(b->v[j], a->v[i])) < 0)
			j++;
		if (j < b->n && c == 0)
			continue;
		steer_id(a->v[i], id);
		rc = proto_buf_printf(out, "%s counter ip6 %s %s\n", verb, STEER_TABLE, id);
	}
	return rc;
}

/* One rule per policy of direction dir. Out: ipsec marks for the TUN route. In: plaintext
 * that matches an ipsec policy should have come as ESP, so it is dropped. Closed: every
 * policy drops. */
/* A policy that names ports (or an ICMPv6 type) matches only a datagram's first fragment: the
 * others carry none. Where the policy protects or discards, the others of the datagrams it
 * could cover are dropped in its place, before any later policy (RFC 4301 section 7: ipsec6
 * keeps no state across fragments). Otherwise a gateway forwarded them in the clear, and a host
 * behind it could join clear ones to fragments that came through the tunnel. */
static int
steer_frag_rule(const struct sp *sp, struct proto_buf *out)
{
	char id[STEER_ID_MAX];
	int rc;

	if (sp->action == SP_ACTION_NONE || (sp->sport == SP_PORT_ANY && sp->dport == SP_PORT_ANY))
		return 0;
	rc = proto_buf_printf(out, "\t\t");
	if (rc == 0)
		rc = steer_match(sp, false, out);
	steer_id(STEER_DROPS_FRAGMENT, id);
	return rc ? rc
		  : proto_buf_printf(out,
			" frag frag-off != 0 counter name %s drop comment \"%s: fragments\"\n", id,
			sp->name);
}

static int
steer_rules(
    const struct spd *spd, enum sp_dir dir, const struct steer_params *p, struct proto_buf *out)
{
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < spd_count(spd); i++) {
		const struct sp *sp = spd_at(spd, i);
		const char *verdict = "accept";

		if (sp->dir != dir)
			continue;
		rc = steer_frag_rule(sp, out);
		if (rc == 0)
			rc = proto_buf_printf(out, "\t\t");
		if (rc == 0)
			rc = steer_match(sp, true, out);
		switch (sp->action) {
		case SP_ACTION_NONE:
			break;
		case SP_ACTION_DISCARD:
			verdict = "drop";
			break;
		case SP_ACTION_IPSEC:
			verdict = dir == SP_DIR_OUT ? "" : "drop";
			break;
		}
		if (p->closed)
			verdict = "drop";
		if (rc == 0 && steer_counted(sp, p->closed)) {
			char id[STEER_ID_MAX];

			steer_id(sp->name, id);
			rc = proto_buf_printf(out, " counter name %s", id);
		}
		if (rc == 0 && *verdict == '\0')
			rc = proto_buf_printf(out, " meta mark set 0x%x accept", p->mark);
		else if (rc == 0)
			rc = proto_buf_printf(out, " %s", verdict);
		if (rc == 0)
			rc = proto_buf_printf(out, " comment \"%s\"\n", sp->name);
	}
	return rc;
}

static const char *
steer_policy_chain_name(enum sp_dir dir)
{
	return dir == SP_DIR_OUT ? "out_policies" : "in_policies";
}

/* The policies of one direction in SPD order, in a chain of their own that the hooks jump to
 * (output and prerouting; input and forward): each rule is written, parsed and loaded once. */
static int
steer_policy_chain(
    const struct spd *spd, enum sp_dir dir, const struct steer_params *p, struct proto_buf *out)
{
	int rc = proto_buf_printf(out, "\tchain %s {\n", steer_policy_chain_name(dir));

	if (rc == 0)
		rc = steer_nd_exempt(spd, out);
	if (rc == 0)
		rc = steer_rules(spd, dir, p, out);
	return rc ? rc : proto_buf_printf(out, "\t}\n");
}

/* ESP in UDP to ipsec6d's ports is, like ESP, already protected: the input chain lets it
 * reach ipsec6d's sockets, which drop (and count) whatever is not ESP. Only those: the rule
 * asks the socket a datagram would reach for ipsec6d's mark, so that while ipsec6d is dead (its
 * table stays) a process that binds the port gets nothing the in-policies would drop. Ours to
 * send it leaves with the socket mark, accepted first in the output chain.
 * ESP in UDP longer than the link comes in fragments, which the input chain sees one by one
 * (the kernel reassembles after it). The first carries the UDP header (RFC 8200 section 4.5,
 * which the kernel enforces) and passes the rule above or not; the others carry no ports and
 * are let through to the reassembly: a datagram whose first fragment was dropped is never
 * whole, so nothing reaches a socket that the rule above would not let reach it. */
static int
steer_udp(const struct steer_params *p, struct proto_buf *out)
{
	int rc;

	if (p->udp_n == 0)
		return 0;
	rc = proto_buf_printf(out, "\t\tudp dport { ");
	for (size_t i = 0; rc == 0 && i < p->udp_n; i++)
		rc = proto_buf_printf(out, "%s%u", i > 0 ? ", " : "", (unsigned)p->udp_ports[i]);
	if (rc == 0)
		rc = proto_buf_printf(out, " } socket mark 0x%x accept\n", p->sock_mark);
	return rc ? rc : proto_buf_printf(out, "\t\tmeta l4proto udp frag frag-off != 0 accept\n");
}

/* ICMPv6 Packet Too Big about ESP that ipsec6d may have sent, arriving unprotected from a
 * router on the way: the message is for the IPsec implementation, about the path of its outer
 * packets (RFC 4301 section 8.2.1), and ipsec6d's own socket for it sits behind this chain, where
 * an in-policy that protects everything from anywhere would drop it, and with it every path MTU
 * ipsec6d could learn: TCP through the SA would stall for good on a narrower path. Let through
 * when the carried packet is ESP right after its IPv6 header, after one extension header (its
 * first byte is the next header, whatever its length) or after two, the first of 8 bytes (a
 * hop-by-hop header that transport mode kept, then ipsec6d's Fragment header); or ESP in UDP
 * from one of ipsec6d's ports, whole or in a fragment (offsets from the ICMPv6 header, of 8
 * bytes: the carried IPv6 header's next header at byte 14, its first extension header at 48).
 * ipsec6d maps each to one of its SAs before it believes it (io_esp.c). Only those: the kernel
 * acts on every one it hears (an error about an echo request lowers its destination's path MTU,
 * one about TCP or UDP reaches their sockets), and a Packet Too Big about anything else, behind
 * an extension header or not, is for the in-policies to drop (tests/e2e/test_pmtu.sh). */
static int
steer_ptb_rule(
    const struct steer_params *p, struct proto_buf *out, const char *match, unsigned port_bit)
{
	int rc = proto_buf_printf(out, "\t\ticmpv6 type packet-too-big %s", match);

	if (rc == 0 && port_bit != 0) {
		rc = proto_buf_printf(out, " @th,%u,16 { ", port_bit);
		for (size_t i = 0; rc == 0 && i < p->udp_n; i++)
			rc = proto_buf_printf(
			    out, "%s%u", i > 0 ? ", " : "", (unsigned)p->udp_ports[i]);
		if (rc == 0)
			rc = proto_buf_printf(out, " }");
	}
	return rc ? rc : proto_buf_printf(out, " accept\n");
}

static int
steer_ptb(const struct steer_params *p, struct proto_buf *out)
{
	/* The next header of the carried IPv6 header, of its first extension header (at byte 48),
	 * and of a second behind a first of 8 bytes (at 56, the first's length byte 0); a UDP
	 * header's source port right after the IPv6 header (at 48) or after a Fragment header
	 * (at 56): ESP in UDP leaves through a UDP socket, which adds no other (esp.c). */
	static const struct {
		const char *match;
		unsigned port_bit; /* 0: ESP */
	} rules[] = {
		{ "@th,112,8 50", 0 },
		{ "@th,112,8 { 0, 43, 44, 60 } @th,384,8 50", 0 },
		{ "@th,112,8 { 0, 43, 60 } @th,392,8 0 @th,384,8 { 0, 43, 44, 60 } @th,448,8 50",
		    0 },
		{ "@th,112,8 17", 384 },
		{ "@th,112,8 44 @th,384,8 17", 448 },
	};
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < sizeof(rules) / sizeof(rules[0]); i++) {
		if (rules[i].port_bit == 0 || p->udp_n > 0)
			rc = steer_ptb_rule(p, out, rules[i].match, rules[i].port_bit);
	}
	return rc;
}

static int
steer_chain(const struct steer_params *p, struct proto_buf *out, const char *name, const char *head,
    enum sp_dir dir)
{
	int rc;

	rc = proto_buf_printf(out, "\tchain %s {\n\t\t%s; policy accept;\n", name, head);
	if (rc == 0 && dir == SP_DIR_IN)
		rc = proto_buf_printf(
		    out, "\t\tiifname \"%s\" accept\n\t\tmeta l4proto esp accept\n", p->tun);
	if (rc == 0 && strcmp(name, "input") == 0)
		rc = steer_udp(p, out);
	if (rc == 0 && strcmp(name, "input") == 0)
		rc = steer_ptb(p, out);
	if (rc == 0 && strcmp(name, "forward") == 0)
		rc = proto_buf_printf(out, "\t\toifname \"%s\" accept\n", p->tun);
	if (rc == 0 && strcmp(name, "output") == 0)
		rc = proto_buf_printf(out, "\t\tmeta mark 0x%x accept\n", p->sock_mark);
	/* ESP arriving is ipsec6d's (ring or raw socket), already protected: no route lookup for
	 * it (the fib expression costs one per packet), and no out-policy re-protects ESP in
	 * transit. What ipsec6d decrypted and forwards (a hub between two tunnels) goes through
	 * the out-policies like any forwarded packet (RFC 4301 section 5.2): accepted as it came
	 * from the TUN device, it left in the clear where a policy says to protect it. */
	if (rc == 0 && strcmp(name, "prerouting") == 0)
		rc = steer_ring(p, out);
	if (rc == 0 && strcmp(name, "prerouting") == 0)
		rc = proto_buf_printf(
		    out, "\t\tmeta l4proto esp accept\n\t\tfib daddr type local accept\n");
	if (rc == 0)
		rc = proto_buf_printf(out, "\t\tjump %s\n", steer_policy_chain_name(dir));
	return rc ? rc : proto_buf_printf(out, "\t}\n");
}

int
steer_render(const struct spd *spd, const struct steer_params *p, const struct steer_names *old,
    struct proto_buf *out, struct steer_names *now_out)
{
	static const struct steer_names none = { NULL, 0 };
	struct steer_names now;
	char id[STEER_ID_MAX];
	int rc;

	rc = steer_names_of(spd, p->closed, &now);
	if (rc < 0)
		return rc;
	/* One script, one transaction: there is no moment without rules. Either the table goes
	 * and comes back whole, or its rules are flushed and written again while the counters of
	 * the policies that stay keep counting. */
	if (old == NULL)
		rc = proto_buf_printf(out,
		    "add table ip6 %s\ndelete table ip6 %s\nadd table ip6 %s\n", STEER_TABLE,
		    STEER_TABLE, STEER_TABLE);
	else
		rc = proto_buf_printf(
		    out, "add table ip6 %s\nflush table ip6 %s\n", STEER_TABLE, STEER_TABLE);
	if (rc == 0 && old != NULL)
		rc = steer_counter_diff(old, &now, "delete", out);
	if (rc == 0)
		rc = steer_counter_diff(&now, old != NULL ? old : &none, "add", out);
	if (rc == 0)
		*now_out = now;
	else
		steer_names_fini(&now);
	if (rc == 0)
		rc = proto_buf_printf(out, "table ip6 %s {\n", STEER_TABLE);
	if (rc == 0)
		rc = steer_policy_chain(spd, SP_DIR_OUT, p, out);
	if (rc == 0)
		rc = steer_policy_chain(spd, SP_DIR_IN, p, out);
	if (rc == 0)
		rc = steer_chain(
		    p, out, "output", "type route hook output priority mangle", SP_DIR_OUT);
	if (rc == 0)
		rc = steer_chain(p, out, "prerouting",
		    "type filter hook prerouting priority mangle", SP_DIR_OUT);
	if (rc == 0)
		rc = steer_chain(
		    p, out, "input", "type filter hook input priority filter", SP_DIR_IN);
	if (rc == 0)
		rc = steer_chain(
		    p, out, "forward", "type filter hook forward priority filter", SP_DIR_IN);
	/* A marked packet that the routes send elsewhere than the TUN device leaves in the clear:
	 * a socket bound to an interface (SO_BINDTODEVICE, a scope id, IPV6_PKTINFO) and a
	 * link-local or multicast destination make the kernel ask for a route through that
	 * interface, which the route to the TUN device is not, and the lookup goes on to the main
	 * table (and the local table, ahead of our rule, routes multicast). Such a packet is
	 * dropped; only what stays on the host (lo) is left alone.
	 * TCP that enters the TUN device learns its smaller MTU from the SYN (RFC 4459 section
	 * 3.2: MSS clamping), instead of losing its first full-sized segments to PMTU discovery. */
	steer_id(STEER_DROPS_MISROUTED, id);
	if (rc == 0)
		rc = proto_buf_printf(out,
		    "\tchain postrouting {\n\t\ttype filter hook postrouting priority mangle; "
		    "policy accept;\n\t\tmeta mark 0x%x oifname != { \"%s\", \"lo\" } counter "
		    "name %s drop\n\t\toifname \"%s\" tcp flags syn tcp option maxseg size set rt "
		    "mtu\n\t}\n",
		    p->mark, p->tun, id, p->tun);
	return rc ? rc : proto_buf_printf(out, "}\n");
}

int
steer_apply(const char *script, struct err *err)
{
	struct nft_ctx *nft = nft_ctx_new(NFT_CTX_DEFAULT);
	int rc = 0;

	if (nft == NULL)
		return err_set(err, ENOMEM, "cannot create an nftables context");
	if (nft_ctx_buffer_error(nft) != 0 || nft_ctx_buffer_output(nft) != 0) {
		rc = err_set(err, ENOMEM, "cannot buffer nftables output");
		goto out;
	}
	if (nft_run_cmd_from_buffer(nft, script) != 0) {
		const char *msg = nft_ctx_get_error_buffer(nft);
		size_t len = msg != NULL ? strcspn(msg, "\n") : 0;

		rc = err_set(err, EINVAL, "nftables refused the rules: %.*s", (int)len,
		    msg != NULL ? msg : "");
	}
out:
	nft_ctx_free(nft);
	return rc;
}

int
steer_remove(struct err *err)
{
	return steer_apply("delete table ip6 " STEER_TABLE "\n", err);
}

/* A line of `list counters`: "counter ID {" opens a policy's counter (named in *cur), the
 * "packets N bytes M" line after it gives its count. */
static void
steer_count_line(const char *line, struct steer_hits *hits, struct steer_hit **cur)
{
	line += strspn(line, "\t ");
	if (strncmp(line, "counter ", 8) == 0) {
		const char *id = line + 8;
		char name[SP_NAME_MAX + 1];

		*cur = NULL;
		if (hits->n < hits->cap && steer_id_name(id, strcspn(id, " "), name)) {
			*cur = &hits->v[hits->n++];
			memcpy((*cur)->name, name, sizeof(name));
			(*cur)->packets = 0;
		}
	} else if (*cur != NULL && strncmp(line, "packets ", 8) == 0) {
		(*cur)->packets = strtoull(line + 8, NULL, 10);
		*cur = NULL;
	}
}

static int
steer_hit_cmp(const void *a, const void *b)
{
	return strcmp(((const struct steer_hit *)a)->name, ((const struct steer_hit *)b)->name);
}

int
steer_counters(struct steer_hits *hits, struct err *err)
{
	struct nft_ctx *nft = nft_ctx_new(NFT_CTX_DEFAULT);
	struct steer_hit *cur = NULL;
	const char *text;
	int rc = 0;

	hits->n = 0;
	if (nft == NULL)
		return err_set(err, ENOMEM, "cannot create an nftables context");
	if (nft_ctx_buffer_output(nft) != 0 || nft_ctx_buffer_error(nft) != 0 ||
	    nft_run_cmd_from_buffer(nft, "list counters table ip6 " STEER_TABLE "\n") != 0) {
		rc = err_set(err, EIO, "cannot list the steering table's counters");
		goto out;
	}
	text = nft_ctx_get_output_buffer(nft);
	for (const char *line = text; line != NULL && *line != '\0';) {
		const char *nl = strchr(line, '\n');
		size_t len = nl != NULL ? (size_t)(nl - line) : strlen(line);
		char buf[1024];

		if (len < sizeof(buf)) {
			memcpy(buf, line, len);
			buf[len] = '\0';
			steer_count_line(buf, hits, &cur);
		}
		line = nl != NULL ? nl + 1 : NULL;
	}
	qsort(hits->v, hits->n, sizeof(hits->v[0]), steer_hit_cmp);
out:
	nft_ctx_free(nft);
	return rc;
}

uint64_t
steer_hits_get(const struct steer_hits *hits, const char *name)
{
	uint64_t sum = 0;
	size_t lo = 0, hi = hits->n;

	/* Lower bound, then add up the run of equal names (one rule per hook). */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(hits->v[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < hits->n && strcmp(hits->v[lo].name, name) == 0; lo++)
		sum += hits->v[lo].packets;
	return sum;
}
