// SPDX-License-Identifier: MIT
/* The two packet threads and their lifecycle. Each thread owns an engine, its buffers and its
 * socket side; the database reaches them only as an RCU-published immutable snapshot. TCP
 * crosses the TUN device 64 KB at a time: the outbound thread cuts super-packets into
 * segments that fill its bursts, the inbound thread joins segments again (gso.h). */
#include "dataplane.h"

#include <net/if.h>

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <urcu/urcu-memb.h>

#include "gso.h"
#include "io_esp.h"
#include "io_tun.h"
#include "ipsec6/engine.h"
#include "log.h"
#include "route.h"
#include "show.h"
#include "steer.h"

#define DP_POLL_MS  200
#define DP_BUF_SIZE (PKT_HEADROOM + GSO_PKT_MAX + PKT_TAILROOM)
#define DP_MTU_MIN  1280u /* RFC 8200 section 5 */

struct dp_thread {
	struct dataplane *dp;
	pthread_t tid;
	bool started;
	struct engine *engine;
	uint8_t *mem; /* ENGINE_BURST_MAX + 1 buffers: the pkts' and the spare */
	uint8_t *spare;
	struct gso_cursor cut; /* outbound: the super-packet in spare being cut into segments */
	bool cutting;
	atomic_uint_fast64_t drops[PKT_DROP__COUNT]; /* before the engine, so without an SA */
	struct pkt pkts[ENGINE_BURST_MAX];
	struct esp_meta meta[ENGINE_BURST_MAX];
	struct engine_result res[ENGINE_BURST_MAX];
	struct pkt *send[ENGINE_BURST_MAX];
};

struct dataplane {
	struct dp_config cfg;
	char tun[IF_NAMESIZE];
	int tun_fd;
	struct io_esp esp;
	struct route_params route;
	struct db_snap *snap; /* RCU-protected */
	atomic_bool stop;
	struct dp_thread out;
	struct dp_thread in;
};

void
dp_config_default(struct dp_config *cfg)
{
	*cfg = (struct dp_config){
		.tun = "ipsec6",
		.backend = CRYPTO_BACKEND_AUTO,
		.mark = DP_MARK_DEFAULT,
		.sock_mark = DP_SOCK_MARK_DEFAULT,
		.table = DP_TABLE_DEFAULT,
		.rule_priority = DP_RULE_PRIO_DEFAULT,
		.link_mtu = DP_LINK_MTU_DEFAULT,
	};
}

/* The TUN MTU: the link MTU less the largest overhead of any SA (or of the worst algorithm
 * pair in tunnel mode when there is none yet), so that ESP packets are never fragmented. */
static uint32_t
dp_tun_mtu(const struct dataplane *dp, const struct db *db)
{
	const struct sad *sad = db_sad(db);
	uint32_t over = IPV6_HDR_LEN + ESP_HDR_LEN + 16 + 15 + ESP_TRAILER_LEN + 16;
	uint32_t mtu;

	if (sad_count(sad) > 0) {
		over = 0;
		for (size_t i = 0; i < sad_count(sad); i++) {
			uint32_t o = esp_overhead_max(sad_at(sad, i));

			over = o > over ? o : over;
		}
	}
	mtu = dp->cfg.link_mtu > over ? dp->cfg.link_mtu - over : 0;
	return mtu < DP_MTU_MIN ? DP_MTU_MIN : mtu;
}

static int
dp_thread_init(struct dataplane *dp, struct dp_thread *t, struct err *err)
{
	int rc;

	t->dp = dp;
	rc = engine_new(dp->cfg.backend, &t->engine, err);
	if (rc < 0)
		return rc;
	t->mem = malloc((size_t)DP_BUF_SIZE * (ENGINE_BURST_MAX + 1));
	if (t->mem == NULL)
		return err_set(err, ENOMEM, "out of memory for packet buffers");
	for (size_t i = 0; i < ENGINE_BURST_MAX; i++) {
		t->pkts[i].buf = t->mem + i * DP_BUF_SIZE;
		t->pkts[i].size = DP_BUF_SIZE;
	}
	t->spare = t->mem + (size_t)ENGINE_BURST_MAX * DP_BUF_SIZE;
	return 0;
}

static void
dp_thread_fini(struct dp_thread *t)
{
	if (t->started)
		(void)pthread_join(t->tid, NULL); /* the thread returns NULL */
	engine_free(t->engine);
	free(t->mem);
}

static void
dp_count_drop(struct dp_thread *t, enum pkt_drop drop)
{
	atomic_fetch_add_explicit(&t->drops[drop], 1, memory_order_relaxed);
}

/* Take one packet from the TUN device into p. A plain one stays there, its checksum
 * completed; a TCP super-packet trades buffers with the spare, where the cursor cuts it
 * (t->cutting). Returns false when the queue is empty. */
static bool
dp_tun_take(struct dataplane *dp, struct dp_thread *t, struct pkt *p)
{
	for (;;) {
		struct virtio_net_hdr vh;
		enum pkt_drop drop;
		ssize_t r = io_tun_read(dp->tun_fd, &vh, p->buf + PKT_HEADROOM, GSO_PKT_MAX);

		if (r < 0)
			return false;
		if (vh.gso_type == VIRTIO_NET_HDR_GSO_NONE) {
			drop = gso_csum_finish(&vh, p->buf + PKT_HEADROOM, (size_t)r);
			p->len = (uint32_t)r;
		} else {
			uint8_t *b = t->spare;

			t->spare = p->buf;
			p->buf = b;
			drop = gso_cursor_init(&t->cut, &vh, t->spare + PKT_HEADROOM, (size_t)r);
			t->cutting = drop == PKT_DROP_NONE;
		}
		if (drop == PKT_DROP_NONE)
			return true;
		dp_count_drop(t, drop);
	}
}

/* Fill a burst from the TUN device without blocking: segments of the super-packet being cut
 * first (it may span bursts), then whatever the queue holds. */
static size_t
dp_read_tun(struct dataplane *dp, struct dp_thread *t)
{
	size_t n = 0;

	while (n < ENGINE_BURST_MAX) {
		struct pkt *p = &t->pkts[n];

		p->off = PKT_HEADROOM;
		if (t->cutting) {
			p->len = (uint32_t)gso_cursor_next(&t->cut, pkt_data(p));
			if (p->len > 0)
				n++;
			else
				t->cutting = false;
			continue;
		}
		if (!dp_tun_take(dp, t, p))
			break;
		if (!t->cutting)
			n++;
	}
	return n;
}

static void *
dp_out_main(void *arg)
{
	struct dp_thread *t = arg;
	struct dataplane *dp = t->dp;
	struct pollfd pfd = { .fd = dp->tun_fd, .events = POLLIN };

	urcu_memb_register_thread();
	while (!atomic_load(&dp->stop)) {
		size_t n, nsend = 0;

		n = dp_read_tun(dp, t);
		if (n == 0) {
			(void)poll(&pfd, 1, DP_POLL_MS); /* woken by data or by the timeout */
			continue;
		}
		urcu_memb_read_lock();
		engine_out_burst(t->engine, rcu_dereference(dp->snap), t->pkts, n, t->res);
		urcu_memb_read_unlock();
		for (size_t i = 0; i < n; i++) {
			if (t->res[i].verdict == ENGINE_PROTECT || t->res[i].verdict == ENGINE_PASS)
				t->send[nsend++] = &t->pkts[i];
		}
		(void)io_esp_send_burst(&dp->esp, t->send, nsend); /* losses are the network's */
	}
	urcu_memb_unregister_thread();
	return NULL;
}

static void *
dp_in_main(void *arg)
{
	struct dp_thread *t = arg;
	struct dataplane *dp = t->dp;

	urcu_memb_register_thread();
	while (!atomic_load(&dp->stop)) {
		int n = io_esp_recv_burst(&dp->esp, t->pkts, t->meta, ENGINE_BURST_MAX);
		size_t nsend = 0;

		if (n <= 0)
			continue;
		urcu_memb_read_lock();
		engine_in_burst(
		    t->engine, rcu_dereference(dp->snap), t->pkts, t->meta, (size_t)n, t->res);
		urcu_memb_read_unlock();
		for (int i = 0; i < n; i++) {
			if (t->res[i].verdict == ENGINE_DELIVER)
				t->send[nsend++] = &t->pkts[i];
		}
		io_tun_write_burst(dp->tun_fd, t->send, nsend);
	}
	urcu_memb_unregister_thread();
	return NULL;
}

static int
dp_open(struct dataplane *dp, const struct db *db, struct err *err)
{
	int rc;

	rc = io_tun_open(dp->tun, dp_tun_mtu(dp, db), &dp->tun_fd, err);
	if (rc < 0)
		return rc;
	rc = io_esp_open(dp->cfg.sock_mark, DP_POLL_MS, &dp->esp, err);
	if (rc < 0)
		return rc;
	dp->route = (struct route_params){ dp->cfg.mark, dp->cfg.table, dp->cfg.rule_priority,
		if_nametoindex(dp->tun) };
	if (dp->route.ifindex == 0)
		return err_set(
		    err, errno, "TUN device '%s' vanished: %s", dp->tun, strerror(errno));
	dp->snap = db_snapshot(db);
	if (dp->snap == NULL)
		return err_set(err, ENOMEM, "out of memory for a snapshot");
	rc = dp_thread_init(dp, &dp->out, err);
	if (rc == 0)
		rc = dp_thread_init(dp, &dp->in, err);
	return rc;
}

static int
dp_steer(struct dataplane *dp, const struct db *db, struct err *err)
{
	struct steer_params sp = { dp->tun, dp->cfg.mark, dp->cfg.sock_mark };
	struct proto_buf script = { 0 };
	int rc;

	rc = steer_render(db_spd(db), &sp, &script);
	if (rc < 0)
		rc = err_set(err, -rc, "cannot render the steering rules");
	else
		rc = steer_apply(script.data, err);
	proto_buf_fini(&script);
	return rc;
}

static void dp_teardown(struct dataplane *dp, bool clean);

int
dp_start(const struct dp_config *cfg, const struct db *db, struct dataplane **out, struct err *err)
{
	struct dataplane *dp;
	int rc;

	dp = calloc(1, sizeof(*dp));
	if (dp == NULL)
		return err_set(err, ENOMEM, "out of memory for the data path");
	dp->cfg = *cfg;
	(void)snprintf(dp->tun, sizeof(dp->tun), "%s", cfg->tun); /* io_tun_open checks length */
	dp->tun_fd = dp->esp.tx = dp->esp.rx = -1;
	rc = dp_open(dp, db, err);
	if (rc == 0)
		rc = route_install(&dp->route, err);
	if (rc == 0 && pthread_create(&dp->out.tid, NULL, dp_out_main, &dp->out) == 0)
		dp->out.started = true;
	if (rc == 0 && pthread_create(&dp->in.tid, NULL, dp_in_main, &dp->in) == 0)
		dp->in.started = true;
	if (rc == 0 && (!dp->out.started || !dp->in.started))
		rc = err_set(err, EAGAIN, "cannot start the packet threads");
	if (rc == 0)
		rc = dp_steer(dp, db, err);
	if (rc < 0) {
		dp_teardown(dp, false);
		return rc;
	}
	*out = dp;
	return 0;
}

int
dp_update(struct dataplane *dp, const struct db *db, struct err *err)
{
	struct db_snap *snap, *old;
	int rc;

	snap = db_snapshot(db);
	if (snap == NULL)
		return err_set(err, ENOMEM, "out of memory for a snapshot");
	old = rcu_xchg_pointer(&dp->snap, snap);
	urcu_memb_synchronize_rcu();
	db_snap_free(old);
	rc = io_tun_set_mtu(dp->tun, dp_tun_mtu(dp, db), err);
	if (rc == 0)
		rc = dp_steer(dp, db, err);
	return rc;
}

/* clean: the administrator stopped ipsec6d, so the rules and routes go. Otherwise (a failed
 * start) the steering table and the blackhole a previous run may have left stay: failing
 * closed beats sending in the clear. */
static void
dp_teardown(struct dataplane *dp, bool clean)
{
	struct err err = { 0 };

	if (clean && steer_remove(&err) < 0)
		log_warn("steering table not removed: %s", err.msg);
	atomic_store(&dp->stop, true);
	dp_thread_fini(&dp->out);
	dp_thread_fini(&dp->in);
	if (dp->route.ifindex != 0)
		route_remove(&dp->route, !clean);
	io_esp_close(&dp->esp);
	if (dp->tun_fd >= 0)
		close(dp->tun_fd);
	db_snap_free(dp->snap);
	free(dp);
}

void
dp_stop(struct dataplane *dp)
{
	if (dp != NULL)
		dp_teardown(dp, true);
}

uint64_t
dp_global_drops(const struct dataplane *dp, enum pkt_drop drop)
{
	return engine_global_drops(dp->out.engine, drop) +
	    engine_global_drops(dp->in.engine, drop) +
	    atomic_load_explicit(&dp->out.drops[drop], memory_order_relaxed) +
	    atomic_load_explicit(&dp->in.drops[drop], memory_order_relaxed);
}

static uint64_t
dp_policy_hits(void *ctx, const struct sp *sp)
{
	return steer_hits_get(ctx, sp->name);
}

int
dp_stats(void *ctx, const struct db *db, struct proto_buf *out)
{
	struct dataplane *dp = ctx;
	size_t cap = 4 * spd_count(db_spd(db)) + 1; /* at most one rule per hook */
	struct steer_hits hits = { calloc(cap, sizeof(struct steer_hit)), cap, 0 };
	struct show_counters c = { .policy_hits = dp_policy_hits, .ctx = &hits };
	struct err err = { "" };
	int rc;

	if (hits.v == NULL)
		return -ENOMEM;
	for (int d = 0; d < PKT_DROP__COUNT; d++)
		c.global_drops[d] = dp_global_drops(dp, (enum pkt_drop)d);
	if (steer_counters(&hits, &err) < 0)
		log_warn("policy counters unavailable: %s", err.msg);
	rc = show_stats(db, &c, out);
	free(hits.v);
	return rc;
}
