// SPDX-License-Identifier: MIT
/* The rules that put a state in force in the kernel: the nftables steering table compiled from
 * the SPD and the receive ring's destinations (the host's addresses that SAs name), changed
 * together so that no ESP is lost between them. */
#include "rules.h"

#include <errno.h>
#include <ifaddrs.h>
#include <stdlib.h>
#include <string.h>

#include "fault.h"
#include "log.h"

void
rules_init(struct rules *r, const char *tun, uint32_t mark, uint32_t sock_mark,
    struct io_ring *ring, struct io_udp *udp)
{
	*r = (struct rules){
		.tun = tun, .mark = mark, .sock_mark = sock_mark, .ring = ring, .udp = udp
	};
}

void
rules_fini(struct rules *r)
{
	steer_names_fini(&r->counters);
}

static bool
rules_has_ring(const struct rules *r)
{
	return r->ring != NULL && r->ring->fd >= 0;
}

static int
rules_addr_cmp(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct in6_addr));
}

/* The host's addresses (not link-local: no SA names those), sorted and without repeats.
 * Returns the count (at most cap) or a negative errno. */
static int
rules_host_addrs(struct in6_addr *out, size_t cap)
{
	struct ifaddrs *ifa;
	size_t n = 0, w = 0;

	if (getifaddrs(&ifa) < 0)
		return -errno;
	for (const struct ifaddrs *i = ifa; i != NULL && n < cap; i = i->ifa_next) {
		const struct sockaddr_in6 *a = (const void *)i->ifa_addr;

		if (a != NULL && a->sin6_family == AF_INET6 &&
		    !IN6_IS_ADDR_LINKLOCAL(&a->sin6_addr))
			out[n++] = a->sin6_addr;
	}
	freeifaddrs(ifa);
	qsort(out, n, sizeof(out[0]), rules_addr_cmp);
	for (size_t i = 0; i < n; i++) {
		if (w == 0 || rules_addr_cmp(&out[i], &out[w - 1]) != 0)
			out[w++] = out[i];
	}
	return (int)w;
}

/* The addresses whose ESP the receive ring takes: the destinations of SAs that are among the
 * host's addresses host[0..nhost) (ESP to others is forwarded, not ours). Sorted, so that an
 * unchanged set is seen as such. */
static size_t
rules_ring_dsts(
    const struct db *db, const struct in6_addr *host, size_t nhost, struct in6_addr *out)
{
	const struct sad *sad = db_sad(db);
	bool used[RULES_HOST_MAX] = { false };
	size_t n = 0;

	for (size_t k = 0; k < sad_count(sad); k++) {
		const struct in6_addr *a =
		    bsearch(&sad_at(sad, k)->dst, host, nhost, sizeof(host[0]), rules_addr_cmp);

		if (a != NULL)
			used[a - host] = true;
	}
	for (size_t i = 0; i < nhost && n < IO_RING_DSTS_MAX; i++) {
		if (used[i])
			out[n++] = host[i];
	}
	return n;
}

static bool
rules_ring_same(const struct rules *r, const struct in6_addr *dsts, size_t n)
{
	return n == r->ring_n && memcmp(dsts, r->ring_dsts, n * sizeof(dsts[0])) == 0;
}

/* Both sorted sets a[0..na) and b[0..nb) into out (sorted, each address once, at most
 * IO_RING_DSTS_MAX). Returns the count. */
static size_t
rules_ring_union(
    const struct in6_addr *a, size_t na, const struct in6_addr *b, size_t nb, struct in6_addr *out)
{
	size_t i = 0, j = 0, n = 0;

	while ((i < na || j < nb) && n < IO_RING_DSTS_MAX) {
		int c = i == na ? 1 : j == nb ? -1 : rules_addr_cmp(&a[i], &b[j]);

		out[n++] = c <= 0 ? a[i] : b[j];
		i += c <= 0;
		j += c >= 0;
	}
	return n;
}

static int
rules_port_cmp(const void *a, const void *b)
{
	uint16_t x = *(const uint16_t *)a, y = *(const uint16_t *)b;

	return (x > y) - (x < y);
}

/* Add port to the sorted set ports[0..*n) of at most max; false when it is full. */
static bool
rules_port_add(uint16_t *ports, size_t *n, size_t max, uint16_t port)
{
	for (size_t i = 0; i < *n; i++) {
		if (ports[i] == port)
			return true;
	}
	if (*n == max)
		return false;
	ports[(*n)++] = port;
	qsort(ports, *n, sizeof(ports[0]), rules_port_cmp);
	return true;
}

/* The ports of the SAs in UDP into out (sorted, each once). Returns 0 or -ENOSPC with a
 * reason. */
static int
rules_udp_ports(const struct db *db, uint16_t *out, size_t *n, struct err *err)
{
	const struct sad *sad = db_sad(db);

	*n = 0;
	for (size_t k = 0; k < sad_count(sad); k++) {
		const struct sa *sa = sad_at(sad, k);

		if (sa_is_encap(sa) &&
		    (!rules_port_add(out, n, IO_UDP_PORTS_MAX, sa->encap_sport) ||
			!rules_port_add(out, n, IO_UDP_PORTS_MAX, sa->encap_dport)))
			return err_set(err, ENOSPC,
			    "ESP in UDP: SA '%s' needs more than %u local ports in all", sa->name,
			    IO_UDP_PORTS_MAX);
	}
	return 0;
}

/* Render the steering table for db into script: incrementally, against the counters the table
 * has, or whole (old NULL). A test's injected refusal adds a line that nftables really
 * refuses. */
static int
rules_render(const struct db *db, const struct steer_params *sp, const struct steer_names *old,
    bool refuse, struct proto_buf *script, struct steer_names *now)
{
	int rc;

	proto_buf_fini(script);
	rc = steer_render(db_spd(db), sp, old, script, now);
	if (rc == 0 && refuse) {
		rc = proto_buf_printf(
		    script, "add rule ip6 %s injected_failure drop\n", STEER_TABLE);
		if (rc < 0)
			steer_names_fini(now);
	}
	return rc;
}

/* Load the steering table for db: incrementally (the counters of policies that stay keep
 * counting), or whole when the table is not as last written. On success the counters it has
 * become dp's. */
static int
rules_load(struct rules *r, const struct db *db, const struct steer_params *sp, struct err *err)
{
	struct steer_names now = { NULL, 0 };
	struct proto_buf script = { 0 };
	bool refuse = fault_hit(FAULT_NFT);
	int rc;

	rc = rules_render(db, sp, r->steered ? &r->counters : NULL, refuse, &script, &now);
	if (rc == 0 && (rc = steer_apply(script.data, err)) < 0)
		steer_names_fini(&now);
	if (rc == -EINVAL && r->steered) {
		/* The table is not as last written (someone changed it): write it whole. */
		log_warn("steering table to be replaced whole, its counters restart: %s", err->msg);
		err_clear(err);
		rc = rules_render(db, sp, NULL, refuse, &script, &now);
		if (rc == 0 && (rc = steer_apply(script.data, err)) < 0)
			steer_names_fini(&now);
	}
	proto_buf_fini(&script);
	if (rc == -ENOMEM)
		return err_set(err, ENOMEM, "cannot render the steering rules");
	if (rc < 0)
		return rc;
	steer_names_fini(&r->counters);
	r->counters = now;
	r->steered = true;
	return 0;
}

/* Whether the sorted set a[0..na) has a port that b[0..nb) lacks. */
static bool
rules_ports_beyond(const uint16_t *a, size_t na, const uint16_t *b, size_t nb)
{
	for (size_t i = 0; i < na; i++) {
		if (bsearch(&a[i], b, nb, sizeof(b[0]), rules_port_cmp) == NULL)
			return true;
	}
	return false;
}

/* The ESP-in-UDP sockets for ports[0..n), the ports in force until now kept too (keep): with
 * keep, the sockets before the rules change, without, after. */
static int
rules_udp_set(struct rules *r, const uint16_t *ports, size_t n, bool keep, struct err *err)
{
	uint16_t all[2 * IO_UDP_PORTS_MAX];
	size_t m = n;

	if (r->udp == NULL)
		return n == 0 ? 0 : err_set(err, ENOTSUP, "ESP in UDP is not available");
	memcpy(all, ports, n * sizeof(ports[0]));
	if (keep) {
		memcpy(all + n, r->udp_ports, r->udp_n * sizeof(ports[0]));
		m += r->udp_n;
	}
	return io_udp_set_ports(r->udp, all, m, err);
}

int
rules_apply(struct rules *r, const struct db *db, bool closed, struct err *err)
{
	struct steer_params sp = { r->tun, r->mark, r->sock_mark, NULL, 0, 0, closed, NULL, 0 };
	struct in6_addr dsts[IO_RING_DSTS_MAX], both[IO_RING_DSTS_MAX];
	uint16_t ports[IO_UDP_PORTS_MAX];
	size_t n = 0, nports;
	bool moved = false, ports_new, ports_gone;
	int rc;

	rc = rules_udp_ports(db, ports, &nports, err);
	if (rc < 0)
		return rc;
	ports_new = rules_ports_beyond(ports, nports, r->udp_ports, r->udp_n);
	ports_gone = rules_ports_beyond(r->udp_ports, r->udp_n, ports, nports);
	/* New ports are open before the rules let their datagrams in and before any snapshot
	 * sends from them; old ones stay until the rules no longer name them. */
	if (ports_new && (rc = rules_udp_set(r, ports, nports, true, err)) < 0)
		return rc;
	sp.udp_ports = ports;
	sp.udp_n = nports;

	if (rules_has_ring(r)) {
		int nhost = rules_host_addrs(r->host, RULES_HOST_MAX);

		if (nhost < 0)
			return err_set(err, -nhost, "cannot list the host's addresses: %s",
			    log_strerror(-nhost));
		r->nhost = (size_t)nhost;
		n = rules_ring_dsts(db, r->host, r->nhost, dsts);
		sp.ring_dsts = dsts;
		sp.ring_n = n;
		sp.ring_plen_max = IO_RING_PLEN_MAX;
		/* The ring takes new addresses before the kernel stops handling them and leaves old
		 * ones only after it has resumed: for a moment a packet may come twice (the second
		 * is a replay), never not at all. */
		moved = !rules_ring_same(r, dsts, n);
		if (moved)
			io_ring_set_dsts(r->ring, both,
			    rules_ring_union(r->ring_dsts, r->ring_n, dsts, n, both));
	}
	rc = rules_load(r, db, &sp, err);
	if ((ports_new || ports_gone) && rc == 0) {
		struct err e2 = { "" };

		memcpy(r->udp_ports, ports, nports * sizeof(ports[0]));
		r->udp_n = nports;
		/* Only ports to close remain: a failure leaves sockets open that no rule lets
		 * anything reach, until the next change closes them. */
		if (ports_gone && rules_udp_set(r, ports, nports, false, &e2) < 0)
			log_warn(
			    "ESP in UDP: sockets of ports no longer used stay open: %s", e2.msg);
	}
	if (moved && rc == 0) {
		io_ring_set_dsts(r->ring, dsts, n);
		memcpy(r->ring_dsts, dsts, n * sizeof(dsts[0]));
		r->ring_n = n;
	} else if (moved) {
		io_ring_set_dsts(r->ring, r->ring_dsts, r->ring_n);
	}
	return rc;
}

bool
rules_hosts_changed(struct rules *r)
{
	struct in6_addr host[RULES_HOST_MAX];
	int n;

	if (!rules_has_ring(r))
		return false;
	n = rules_host_addrs(host, RULES_HOST_MAX);
	return n >= 0 &&
	    ((size_t)n != r->nhost || memcmp(host, r->host, (size_t)n * sizeof(host[0])) != 0);
}
