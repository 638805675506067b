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
rules_init(
    struct rules *r, const char *tun, uint32_t mark, uint32_t sock_mark, struct io_ring *ring)
{
	*r = (struct rules){ .tun = tun, .mark = mark, .sock_mark = sock_mark, .ring = ring };
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

int
rules_apply(struct rules *r, const struct db *db, bool closed, struct err *err)
{
	struct steer_params sp = { r->tun, r->mark, r->sock_mark, NULL, 0, 0, closed };
	struct in6_addr dsts[IO_RING_DSTS_MAX], both[IO_RING_DSTS_MAX];
	size_t n = 0;
	bool moved = false;
	int rc;

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
