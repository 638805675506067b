// SPDX-License-Identifier: MIT
/* The packet threads and their lifecycle. Each direction owns an engine, its buffers and its
 * socket side; the database reaches them only as an RCU-published immutable snapshot. TCP
 * crosses the TUN device 64 KB at a time: the outbound worker cuts super-packets into
 * segments that fill its bursts, the inbound thread joins segments again (gso.h). Outbound,
 * a sender thread takes the encrypted bursts from the worker: sending plain ESP is most of
 * the cost of a packet (routing, output hooks and, over veth, even the peer's receive path,
 * once per packet), and with its own thread it runs beside the reading and the crypto instead
 * of after them. A burst that costs the kernel few trips (a few packets, or ESP in UDP: a trip
 * per run of up to 64) the worker sends itself: waking the sender would cost more. */
#include "dataplane.h"

#include <net/if.h>

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fault.h"
#include "frag.h"
#include "gso.h"
#include "io_esp.h"
#include "io_tun.h"
#include "ipsec6/engine.h"
#include "log.h"
#include "route.h"
#include "rules.h"
#include "snap.h"

#define DP_POLL_MS 200
#define DP_RING    4 /* outbound bursts in flight between the worker and the sender */
/* A burst that costs the kernel this few trips (acknowledgements, a ping, a few runs of ESP
 * in UDP: io_esp_send_cost()) the worker sends itself when the sender is idle: waking the
 * sender would cost more than the send. */
#define DP_INLINE_MAX 4
/* Inbound buffers hold any ESP packet the socket returns: reassembly can make 64 KB. */
#define DP_IN_BUF (PKT_HEADROOM + GSO_PKT_MAX + PKT_TAILROOM)

/* A burst of packets in their buffers, and those among them that go on. Outbound, a datagram
 * reassembled from fragments (frag.h) takes the place of pkts[big_at] with the big buffer, which
 * holds any IPv6 packet; the two are swapped back when the burst is filled again. */
struct dp_burst {
	struct pkt pkts[ENGINE_BURST_MAX];
	struct pkt *send[ENGINE_BURST_MAX];
	size_t nsend;
	struct pkt big;
	size_t big_at; /* ENGINE_BURST_MAX: none */
};

struct dp_thread {
	struct dataplane *dp;
	pthread_t tid;
	bool started;
	struct engine *engine;
	uint8_t *mem;                                /* the bursts' packet buffers */
	atomic_uint_fast64_t drops[PKT_DROP__COUNT]; /* before the engine, so without an SA */
	struct engine_result res[ENGINE_BURST_MAX];
	struct esp_meta meta[ENGINE_BURST_MAX]; /* inbound */
	uint8_t *rbuf;                          /* outbound: one TUN read, up to GSO_PKT_MAX */
	struct gso_cursor cut;                  /* outbound: the super-packet in rbuf */
	bool cutting;
	struct frag_table frag; /* datagrams that came in fragments */
	bool frag_ready;
	struct pkt whole; /* inbound: the one made whole, written at once */
	/* Outbound: bursts head - tail .. head - 1 wait for the sender (slot index mod DP_RING);
	 * lock guards head and tail, cond signals a change of either or a stop. Inbound uses
	 * burst[0] and burst[1] in turn. */
	struct dp_burst burst[DP_RING];
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool sync_ready;
	size_t head;
	size_t tail;
	pthread_t tx_tid;
	bool tx_started;
};

struct dataplane {
	struct dp_config cfg;
	char tun[IF_NAMESIZE];
	int tun_fd;
	struct io_esp esp;
	struct route_params route;
	_Atomic(struct db_snap *) snap; /* read in snap_read_lock() sections */
	atomic_bool stop;
	atomic_bool closed; /* failed closed: the threads drop everything (dp_fail_closed()) */
	uint32_t mtu;       /* of the TUN device, as last set */
	struct dp_thread out;
	struct dp_thread in;
	struct rules rules; /* the steering table and the ring's destinations */
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
	return mtu < IPV6_MTU_MIN ? IPV6_MTU_MIN : mtu;
}

/* nbursts bursts of buffers of buf_size bytes each (with head- and tailroom). */
static int
dp_thread_init(
    struct dataplane *dp, struct dp_thread *t, size_t nbursts, uint32_t buf_size, struct err *err)
{
	size_t per_burst = (size_t)buf_size * ENGINE_BURST_MAX;
	int rc;

	t->dp = dp;
	rc = engine_new(dp->cfg.backend, &t->engine, err);
	if (rc < 0)
		return rc;
	t->mem = malloc(per_burst * nbursts);
	if (t->mem == NULL)
		return err_set(err, ENOMEM, "out of memory for packet buffers");
	for (size_t b = 0; b < nbursts; b++) {
		t->burst[b].big_at = ENGINE_BURST_MAX;
		for (size_t i = 0; i < ENGINE_BURST_MAX; i++) {
			t->burst[b].pkts[i].buf = t->mem + b * per_burst + i * buf_size;
			t->burst[b].pkts[i].size = buf_size;
		}
	}
	if (pthread_mutex_init(&t->lock, NULL) != 0)
		return err_set(err, ENOMEM, "cannot create a mutex");
	if (pthread_cond_init(&t->cond, NULL) != 0) {
		(void)pthread_mutex_destroy(&t->lock); /* unlocked: cannot fail */
		return err_set(err, ENOMEM, "cannot create a condition variable");
	}
	t->sync_ready = true;
	return 0;
}

/* Swap pkts[i] and the big buffer: a datagram made whole in big takes pkts[i]'s place
 * (big_at = i), or, with i = big_at, the two go back (big_at none). */
static void
dp_burst_swap(struct dp_burst *b, size_t i)
{
	struct pkt swap = b->pkts[i];

	b->pkts[i] = b->big;
	b->big = swap;
	b->big_at = b->big_at == ENGINE_BURST_MAX ? i : ENGINE_BURST_MAX;
}

/* Wake whoever of worker and sender waits, to see a stop. */
static void
dp_thread_wake(struct dp_thread *t)
{
	if (!t->sync_ready)
		return;
	(void)pthread_mutex_lock(&t->lock); /* a default mutex: errors are for misuse */
	(void)pthread_cond_broadcast(&t->cond);
	(void)pthread_mutex_unlock(&t->lock);
}

static void
dp_thread_fini(struct dp_thread *t)
{
	dp_thread_wake(t);
	if (t->started)
		(void)pthread_join(t->tid, NULL); /* the threads return NULL */
	if (t->tx_started)
		(void)pthread_join(t->tx_tid, NULL);
	if (t->sync_ready) {
		(void)pthread_cond_destroy(&t->cond); /* nobody waits any more */
		(void)pthread_mutex_destroy(&t->lock);
	}
	engine_free(t->engine);
	/* A burst may still hold a datagram made whole in pkts[big_at]: its buffers go back
	 * first, so that big is the one of its own. */
	for (size_t b = 0; b < DP_RING; b++) {
		if (t->burst[b].big_at != ENGINE_BURST_MAX)
			dp_burst_swap(&t->burst[b], t->burst[b].big_at);
		free(t->burst[b].big.buf);
	}
	free(t->mem);
	free(t->rbuf);
	free(t->whole.buf);
	if (t->frag_ready)
		frag_fini(&t->frag);
}

/* Worker: the slot to fill next, once the sender has a free one; NULL on a stop. A slot
 * claimed but not published is claimed again by the next call. */
static struct dp_burst *
dp_ring_claim(struct dp_thread *t)
{
	struct dp_burst *b = NULL;

	(void)pthread_mutex_lock(&t->lock);
	while (t->head - t->tail == DP_RING && !atomic_load(&t->dp->stop))
		(void)pthread_cond_wait(&t->cond, &t->lock);
	if (!atomic_load(&t->dp->stop))
		b = &t->burst[t->head % DP_RING];
	(void)pthread_mutex_unlock(&t->lock);
	return b;
}

/* Worker: whether the sender has sent everything published, so that the worker may send a
 * burst itself without overtaking any. */
static bool
dp_ring_idle(struct dp_thread *t)
{
	bool idle;

	(void)pthread_mutex_lock(&t->lock);
	idle = t->head == t->tail;
	(void)pthread_mutex_unlock(&t->lock);
	return idle;
}

/* Worker: hand the claimed slot to the sender. */
static void
dp_ring_publish(struct dp_thread *t)
{
	(void)pthread_mutex_lock(&t->lock);
	t->head++;
	(void)pthread_cond_signal(&t->cond);
	(void)pthread_mutex_unlock(&t->lock);
}

/* Sender: the oldest published slot, waiting for one; NULL on a stop. */
static struct dp_burst *
dp_ring_take(struct dp_thread *t)
{
	struct dp_burst *b = NULL;

	(void)pthread_mutex_lock(&t->lock);
	while (t->head == t->tail && !atomic_load(&t->dp->stop))
		(void)pthread_cond_wait(&t->cond, &t->lock);
	if (!atomic_load(&t->dp->stop))
		b = &t->burst[t->tail % DP_RING];
	(void)pthread_mutex_unlock(&t->lock);
	return b;
}

/* Sender: the slot taken is sent; the worker may fill it again. */
static void
dp_ring_release(struct dp_thread *t)
{
	(void)pthread_mutex_lock(&t->lock);
	t->tail++;
	(void)pthread_cond_signal(&t->cond);
	(void)pthread_mutex_unlock(&t->lock);
}

static void
dp_count_drop(struct dp_thread *t, enum pkt_drop drop)
{
	atomic_fetch_add_explicit(&t->drops[drop], 1, memory_order_relaxed);
}

/* Send a burst; what the kernel refuses is counted. Worker or sender, one at a time. */
static void
dp_send(struct dp_thread *t, const struct dp_burst *b)
{
	int sent = io_esp_send_burst(&t->dp->esp, b->send, b->nsend);

	if ((size_t)sent < b->nsend)
		atomic_fetch_add_explicit(
		    &t->drops[PKT_DROP_SEND_FAILED], b->nsend - (size_t)sent, memory_order_relaxed);
}

enum dp_take {
	DP_TAKE_NONE,  /* the queue is empty */
	DP_TAKE_PKT,   /* a packet in p, or a super-packet for the cursor */
	DP_TAKE_WHOLE, /* a datagram made whole from its fragments, in big */
};

/* The fragments the reassembly gave up, counted. */
static void
dp_count_given_up(struct dp_thread *t)
{
	if (t->frag.dropped == 0)
		return;
	atomic_fetch_add_explicit(
	    &t->drops[PKT_DROP_REASSEMBLY], t->frag.dropped, memory_order_relaxed);
	t->frag.dropped = 0;
}

/* frag_add() at the time it is. */
static enum frag_result
dp_frag_add(struct dp_thread *t, const uint8_t *data, size_t len, struct pkt *out)
{
	enum frag_result r = frag_add(&t->frag, data, len, io_esp_now_ns(), out);

	dp_count_given_up(t);
	return r;
}

/* A thread with nothing to do: datagrams waiting too long given up and counted. */
static void
dp_frag_idle(struct dp_thread *t)
{
	if (!t->frag_ready)
		return;
	frag_expire(&t->frag, io_esp_now_ns());
	dp_count_given_up(t);
}

/* Whether a transport-mode SA serves the packet's addresses: its fragments must then be made
 * whole before ESP (RFC 4303 section 3.3.4). Fragments for tunnel mode travel as they are
 * (RFC 4301 section 7): a gateway's are a host's behind it, whose datagram the far gateway
 * could not forward whole. Asked of the addresses alone, so that every fragment of a datagram
 * gets one answer whatever its ports. */
static bool
dp_frag_transport(struct dataplane *dp, const uint8_t *ip6)
{
	struct in6_addr src, dst;
	bool transport;

	memcpy(&src, ip6 + 8, sizeof(src));
	memcpy(&dst, ip6 + 24, sizeof(dst));
	snap_read_lock();
	transport = sad_snap_select(atomic_load_explicit(&dp->snap, memory_order_acquire)->sad,
			&src, &dst, SA_MODE_TRANSPORT) != NULL;
	snap_read_unlock();
	return transport;
}

/* A fragment (the kernel fragments a datagram bigger than the TUN MTU) of a transport-mode SA's
 * to the reassembly; true if the packet in rbuf was one, *whole then saying whether its
 * datagram is now in big. */
static bool
dp_tun_frag(struct dataplane *dp, struct dp_thread *t, size_t len, struct pkt *big, bool *whole)
{
	enum frag_result r;

	if (!frag_maybe(t->rbuf, len) || !dp_frag_transport(dp, t->rbuf))
		return false;
	r = dp_frag_add(t, t->rbuf, len, big);
	*whole = r == FRAG_WHOLE;
	return r != FRAG_NOT;
}

/* Take one packet from the TUN device: a plain one is copied into p (it is small: at most
 * the TUN MTU), its checksum completed; a TCP super-packet stays in rbuf for the cursor
 * (t->cutting); a fragment goes to the reassembly, and when its datagram is whole that
 * is taken, in big. */
static enum dp_take
dp_tun_take(struct dataplane *dp, struct dp_thread *t, struct pkt *p, struct pkt *big)
{
	size_t room = p->size - PKT_HEADROOM - PKT_TAILROOM;

	for (;;) {
		struct virtio_net_hdr vh;
		enum pkt_drop drop;
		bool whole;
		ssize_t r = io_tun_read(dp->tun_fd, &vh, t->rbuf, GSO_PKT_MAX);

		if (r < 0)
			return DP_TAKE_NONE;
		if (vh.gso_type == VIRTIO_NET_HDR_GSO_NONE &&
		    dp_tun_frag(dp, t, (size_t)r, big, &whole)) {
			if (whole)
				return DP_TAKE_WHOLE;
			continue;
		}
		if (vh.gso_type != VIRTIO_NET_HDR_GSO_NONE) {
			drop = gso_cursor_init(&t->cut, &vh, t->rbuf, (size_t)r);
			if (drop == PKT_DROP_NONE && gso_cursor_seg_max(&t->cut) > room)
				drop = PKT_DROP_TOO_BIG;
			t->cutting = drop == PKT_DROP_NONE;
		} else if ((size_t)r > room) {
			drop = PKT_DROP_TOO_BIG; /* the kernel sends no more than the MTU */
		} else {
			drop = gso_csum_finish(&vh, t->rbuf, (size_t)r);
			memcpy(pkt_data(p), t->rbuf, (size_t)r);
			p->len = (uint32_t)r;
		}
		if (drop == PKT_DROP_NONE)
			return DP_TAKE_PKT;
		dp_count_drop(t, drop);
	}
}

/* Fill burst b from the TUN device without blocking: segments of the super-packet being cut
 * first (it may span bursts), then whatever the queue holds. */
static size_t
dp_read_tun(struct dataplane *dp, struct dp_thread *t, struct dp_burst *b)
{
	size_t n = 0;

	if (b->big_at != ENGINE_BURST_MAX)
		dp_burst_swap(b, b->big_at);
	while (n < ENGINE_BURST_MAX) {
		struct pkt *p = &b->pkts[n];

		p->off = PKT_HEADROOM;
		if (t->cutting) {
			p->len = (uint32_t)gso_cursor_next(&t->cut, pkt_data(p));
			if (p->len > 0)
				n++;
			else
				t->cutting = false;
			continue;
		}
		switch (dp_tun_take(dp, t, p, &b->big)) {
		case DP_TAKE_NONE:
			return n;
		case DP_TAKE_PKT:
			n += t->cutting ? 0 : 1;
			break;
		case DP_TAKE_WHOLE:
			/* One per burst: the burst ends with it. */
			dp_burst_swap(b, n);
			return n + 1;
		}
	}
	return n;
}

/* Outbound worker: TUN -> segments -> engine -> ring. */
static void *
dp_out_main(void *arg)
{
	struct dp_thread *t = arg;
	struct dataplane *dp = t->dp;
	struct pollfd pfd = { .fd = dp->tun_fd, .events = POLLIN };
	struct dp_burst *b;

	(void)pthread_setname_np(pthread_self(), "ipsec6d-out");
	urcu_memb_register_thread();
	while ((b = dp_ring_claim(t)) != NULL) {
		size_t n = dp_read_tun(dp, t, b);

		if (n == 0) {
			/* Woken by data or by the timeout; a device that is gone reports an error
			 * at once, and then only the timeout paces the loop until the stop. */
			if (poll(&pfd, 1, DP_POLL_MS) > 0 && (pfd.revents & POLLIN) == 0)
				(void)poll(NULL, 0, DP_POLL_MS);
			dp_frag_idle(t);
			continue;
		}
		if (atomic_load_explicit(&dp->closed, memory_order_relaxed)) {
			atomic_fetch_add_explicit(
			    &t->drops[PKT_DROP_FAIL_CLOSED], n, memory_order_relaxed);
			continue;
		}
		snap_read_lock();
		engine_out_burst(t->engine, atomic_load_explicit(&dp->snap, memory_order_acquire),
		    b->pkts, n, t->res);
		snap_read_unlock();
		b->nsend = 0;
		for (size_t i = 0; i < n; i++) {
			if (t->res[i].verdict == ENGINE_PROTECT || t->res[i].verdict == ENGINE_PASS)
				b->send[b->nsend++] = &b->pkts[i];
		}
		if (io_esp_send_cost(&dp->esp, b->send, b->nsend, DP_INLINE_MAX) <= DP_INLINE_MAX &&
		    dp_ring_idle(t))
			dp_send(t, b); /* the slot stays ours */
		else
			dp_ring_publish(t);
	}
	urcu_memb_unregister_thread();
	return NULL;
}

/* Outbound sender: ring -> ESP socket. */
static void *
dp_tx_main(void *arg)
{
	struct dp_thread *t = arg;
	struct dp_burst *b;

	(void)pthread_setname_np(pthread_self(), "ipsec6d-tx");
	urcu_memb_register_thread(); /* the next-hop table */
	while ((b = dp_ring_take(t)) != NULL) {
		dp_send(t, b);
		dp_ring_release(t);
	}
	urcu_memb_unregister_thread();
	return NULL;
}

/* Decrypted packets that the TUN device refused, counted once. */
static void
dp_count_refused(struct dp_thread *t, struct io_tun_writer *w)
{
	if (w->refused == 0)
		return;
	atomic_fetch_add_explicit(&t->drops[PKT_DROP_TUN_WRITE], w->refused, memory_order_relaxed);
	w->refused = 0;
}

/* Datagrams the ESP-in-UDP sockets dropped as not ESP, counted once. */
static void
dp_count_not_esp(struct dp_thread *t)
{
	struct io_udp *u = &t->dp->esp.udp;

	if (u->not_esp == 0)
		return;
	atomic_fetch_add_explicit(&t->drops[PKT_DROP_NOT_ESP], u->not_esp, memory_order_relaxed);
	u->not_esp = 0;
}

/* A decrypted fragment for this host (its destination the ESP's): made whole here, never left
 * to the kernel's reassembly, where fragments of the datagram that came in the clear would join
 * the ones that came in ESP (the input chain lets UDP fragments after the first pass, for ESP
 * in UDP that comes fragmented: steer.c). The whole datagram is written at once. True if p was
 * such a fragment. Fragments for others (a gateway's) go on as they are: nothing is reassembled
 * on its way through. */
static bool
dp_in_frag(struct dp_thread *t, struct io_tun_writer *w, struct pkt *p, const struct esp_meta *m)
{
	const uint8_t *d = pkt_data(p);

	if (!frag_maybe(d, p->len) || memcmp(d + 24, &m->dst, 16) != 0)
		return false;
	switch (dp_frag_add(t, d, p->len, &t->whole)) {
	case FRAG_NOT:
		return false;
	case FRAG_HELD:
		return true;
	case FRAG_WHOLE:
		break;
	}
	io_tun_writer_flush(w); /* in order */
	io_tun_writer_add(w, &t->whole, 0);
	io_tun_writer_flush(w);
	return true;
}

/* Inbound: ESP socket -> engine -> TUN. Two bursts of buffers take turns so that a run of TCP
 * segments can grow across bursts: while a run is open the next receive does not wait, and
 * the run is written as soon as nothing more is queued, or before its buffers are reused. */
static void *
dp_in_main(void *arg)
{
	struct dp_thread *t = arg;
	struct dataplane *dp = t->dp;
	struct io_tun_writer w;
	uint64_t seq = 0;

	(void)pthread_setname_np(pthread_self(), "ipsec6d-in");
	io_tun_writer_init(&w, dp->tun_fd);
	urcu_memb_register_thread();
	while (!atomic_load(&dp->stop)) {
		struct dp_burst *b = &t->burst[seq % 2];
		int n =
		    io_esp_recv_burst(&dp->esp, b->pkts, t->meta, ENGINE_BURST_MAX, w.count == 0);

		dp_count_not_esp(t);
		if (n <= 0) {
			io_tun_writer_flush(&w);
			dp_count_refused(t, &w);
			dp_frag_idle(t);
			continue;
		}
		if (atomic_load_explicit(&dp->closed, memory_order_relaxed)) {
			atomic_fetch_add_explicit(
			    &t->drops[PKT_DROP_FAIL_CLOSED], (uint64_t)n, memory_order_relaxed);
			io_tun_writer_flush(&w); /* accepted before the close */
			continue;
		}
		snap_read_lock();
		engine_in_burst(t->engine, atomic_load_explicit(&dp->snap, memory_order_acquire),
		    b->pkts, t->meta, (size_t)n, t->res);
		snap_read_unlock();
		for (int i = 0; i < n; i++) {
			if (t->res[i].verdict == ENGINE_DELIVER &&
			    !dp_in_frag(t, &w, &b->pkts[i], &t->meta[i]))
				io_tun_writer_add(&w, &b->pkts[i], seq);
		}
		if (w.count > 0 && w.tag != seq)
			io_tun_writer_flush(&w); /* its first segment is in the other burst */
		dp_count_refused(t, &w);
		seq++;
	}
	io_tun_writer_flush(&w);
	dp_count_refused(t, &w);
	urcu_memb_unregister_thread();
	return NULL;
}

/* Outbound buffers hold one packet of at most the TUN MTU, which never exceeds the link MTU
 * or the IPv6 minimum, with room for ESP around it. */
static uint32_t
dp_out_buf_size(const struct dataplane *dp)
{
	uint32_t mtu = dp->cfg.link_mtu > IPV6_MTU_MIN ? dp->cfg.link_mtu : IPV6_MTU_MIN;

	return PKT_HEADROOM + (mtu < GSO_PKT_MAX ? mtu : GSO_PKT_MAX) + PKT_TAILROOM;
}

static int
dp_open(struct dataplane *dp, const struct db *db, struct err *err)
{
	int rc;

	dp->mtu = dp_tun_mtu(dp, db);
	rc = io_tun_open(dp->tun, dp->mtu, &dp->tun_fd, err);
	if (rc < 0)
		return rc;
	rc = io_esp_open(dp->cfg.sock_mark, DP_POLL_MS, &dp->esp, err);
	if (rc < 0)
		return rc;
	io_esp_set_link_mtu(&dp->esp, dp->cfg.link_mtu);
	dp->route = (struct route_params){ dp->cfg.mark, dp->cfg.table, dp->cfg.rule_priority,
		if_nametoindex(dp->tun) };
	if (dp->route.ifindex == 0)
		return err_set(
		    err, errno, "TUN device '%s' vanished: %s", dp->tun, log_strerror(errno));
	dp->snap = db_snapshot(db);
	if (dp->snap == NULL)
		return err_set(err, ENOMEM, "out of memory for a snapshot");
	rc = dp_thread_init(dp, &dp->out, DP_RING, dp_out_buf_size(dp), err);
	if (rc == 0 && (dp->out.rbuf = malloc(GSO_PKT_MAX)) == NULL)
		rc = err_set(err, ENOMEM, "out of memory for packet buffers");
	for (size_t b = 0; rc == 0 && b < DP_RING; b++) {
		struct dp_burst *burst = &dp->out.burst[b];

		burst->big = (struct pkt){ malloc(DP_IN_BUF), DP_IN_BUF, 0, 0 };
		if (burst->big.buf == NULL)
			rc = err_set(err, ENOMEM, "out of memory for packet buffers");
	}
	if (rc == 0) {
		rc = frag_init(&dp->out.frag, err);
		dp->out.frag_ready = rc == 0;
	}
	if (rc == 0)
		rc = dp_thread_init(dp, &dp->in, 2, DP_IN_BUF, err);
	if (rc == 0) {
		dp->in.whole = (struct pkt){ malloc(DP_IN_BUF), DP_IN_BUF, 0, 0 };
		rc = dp->in.whole.buf == NULL
		    ? err_set(err, ENOMEM, "out of memory for packet buffers")
		    : frag_init(&dp->in.frag, err);
		dp->in.frag_ready = rc == 0;
	}
	return rc;
}

static int dp_teardown(struct dataplane *dp, bool clean);

/* Whether the TUN device is still the one the data path opened, and up. Returns 0, -ENODEV
 * (gone) or -ENETDOWN, with a reason. */
static int
dp_tun_check(const struct dataplane *dp, struct err *err)
{
	if (if_nametoindex(dp->tun) != dp->route.ifindex)
		return err_set(err, ENODEV, "the TUN device %s is gone: restart ipsec6d", dp->tun);
	if (io_tun_is_up(dp->tun, NULL) != 1)
		return err_set(err, ENETDOWN, "the TUN device %s is down", dp->tun);
	return 0;
}

void
dp_fail_closed(struct dataplane *dp, const struct db *db, const char *why)
{
	struct err err = { "" };

	if (!atomic_exchange(&dp->closed, true))
		log_warn(
		    "failing closed (%s): every policy's traffic is dropped until the state is "
		    "in force again",
		    why);
	if (rules_apply(&dp->rules, db, true, &err) < 0)
		log_warn("the steering rules in force could not be closed: %s", err.msg);
}

bool
dp_is_closed(const struct dataplane *dp)
{
	return atomic_load(&dp->closed);
}

void
dp_poll(struct dataplane *dp)
{
	io_esp_tick(
	    &dp->esp, atomic_load_explicit(&dp->snap, memory_order_acquire), io_esp_now_ns());
}

void
dp_tick(struct dataplane *dp, const struct db *db)
{
	struct err err = { "" };

	if (!dp_is_closed(dp) && dp_tun_check(dp, &err) < 0)
		dp_fail_closed(dp, db, err.msg);
	err_clear(&err);
	/* The SAs are as at the last rules_apply(): only the addresses can have changed. */
	if (rules_hosts_changed(&dp->rules) &&
	    rules_apply(&dp->rules, db, dp_is_closed(dp), &err) < 0)
		log_warn("steering rules not updated for new addresses: %s", err.msg);
}

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
	dp->tun_fd = dp->esp.tx = dp->esp.rx = dp->esp.link = dp->esp.ring.fd = -1;
	dp->esp.udp.wake = -1;
	rules_init(&dp->rules, dp->tun, cfg->mark, cfg->sock_mark, &dp->esp.ring, &dp->esp.udp);
	rc = dp_open(dp, db, err);
	if (rc == 0)
		rc = route_install(&dp->route, err);
	/* What the rules steer waits in the TUN device's queue and the ring until dp_run(). */
	if (rc == 0)
		rc = rules_apply(&dp->rules, db, false, err);
	if (rc < 0) {
		(void)dp_teardown(dp, false); /* a failed start: the rules stay */
		return rc;
	}
	*out = dp;
	return 0;
}

int
dp_run(struct dataplane *dp, struct err *err)
{
	if (pthread_create(&dp->out.tx_tid, NULL, dp_tx_main, &dp->out) == 0)
		dp->out.tx_started = true;
	if (pthread_create(&dp->out.tid, NULL, dp_out_main, &dp->out) == 0)
		dp->out.started = true;
	if (pthread_create(&dp->in.tid, NULL, dp_in_main, &dp->in) == 0)
		dp->in.started = true;
	if (!dp->out.tx_started || !dp->out.started || !dp->in.started)
		return err_set(err, EAGAIN, "cannot start the packet threads");
	return 0;
}

int
dp_update(struct dataplane *dp, const struct db *db, struct err *err)
{
	struct db_snap *snap, *old;
	uint32_t mtu = dp_tun_mtu(dp, db);
	int rc;

	/* Without its TUN device the data path can put nothing in force: closed it stays. A
	 * device that was down lost its route: back up, the route comes back first. */
	rc = dp_tun_check(dp, err);
	if (rc < 0) {
		if (!dp_is_closed(dp))
			dp_fail_closed(dp, db, err->msg);
		return rc;
	}
	if (dp_is_closed(dp) && (rc = route_install(&dp->route, err)) < 0)
		return rc;
	/* Everything that can fail comes first, and undoes itself: nothing changes until all of
	 * it has worked. */
	snap = fault_hit(FAULT_SNAPSHOT) ? NULL : db_snapshot(db);
	if (snap == NULL)
		return err_set(err, ENOMEM, "out of memory for the data path's snapshot");
	rc = mtu != dp->mtu ? io_tun_set_mtu(dp->tun, mtu, err) : 0;
	if (rc == 0) {
		rc = rules_apply(&dp->rules, db, false, err);
		if (rc < 0 && mtu != dp->mtu && io_tun_set_mtu(dp->tun, dp->mtu, NULL) < 0)
			log_warn("the MTU of %s stays %u: the previous %u could not be restored",
			    dp->tun, mtu, dp->mtu);
	}
	if (rc < 0) {
		db_snap_free(snap);
		return rc;
	}
	dp->mtu = mtu;
	old = atomic_exchange_explicit(&dp->snap, snap, memory_order_acq_rel);
	snap_synchronize();
	db_snap_free(old);
	if (atomic_exchange(&dp->closed, false))
		log_info("open again: the state is in force");
	return 0;
}

/* clean: the administrator stopped ipsec6d, so the rules and routes go. Otherwise (a failed
 * start) the steering table and the blackhole a previous run may have left stay: failing
 * closed beats sending in the clear. */
static int
dp_teardown(struct dataplane *dp, bool clean)
{
	struct err err = { 0 };
	int rc = clean ? steer_remove(&err) : 0;

	if (rc < 0)
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
	rules_fini(&dp->rules);
	free(dp);
	return rc;
}

int
dp_stop(struct dataplane *dp)
{
	return dp != NULL ? dp_teardown(dp, true) : 0;
}

uint64_t
dp_global_drops(struct dataplane *dp, enum pkt_drop drop)
{
	uint64_t n = engine_global_drops(dp->out.engine, drop) +
	    engine_global_drops(dp->in.engine, drop) +
	    atomic_load_explicit(&dp->out.drops[drop], memory_order_relaxed) +
	    atomic_load_explicit(&dp->in.drops[drop], memory_order_relaxed);

	return drop == PKT_DROP_QUEUE_FULL ? n + io_ring_drops(&dp->esp.ring) : n;
}
