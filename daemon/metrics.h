/* SPDX-License-Identifier: MIT */
/* `ipsec6d --metrics [ADDR]:PORT`: Prometheus's text exposition format at GET /metrics, from the
 * same counters as `ipsec6 stats`. A small HTTP/1.x server in the daemon's one event loop:
 * non-blocking, at most METRICS_CONN_MAX scrapes at once, each closed after its response or
 * after METRICS_IDLE_MS of silence; anything but GET /metrics is refused. Keys are never part
 * of it. Control thread. */
#ifndef IPSEC6_METRICS_H
#define IPSEC6_METRICS_H

#include <stdint.h>

#include "ipsec6/err.h"
#include "loop.h"
#include "proto.h"
#include "state.h"

#define METRICS_CONN_MAX    16
#define METRICS_IDLE_MS     5000
#define METRICS_REQUEST_MAX 8192

struct metrics;

/* What the page says about the daemon, and where its counters come from: render appends the
 * metrics of st's live database (show_metrics_dp() with the data path's counters,
 * show_metrics_db() without). */
struct metrics_source {
	const char *version;
	const char *crypto; /* the backend's name */
	struct state *st;
	int (*render)(void *ctx, const struct db *db, struct proto_buf *out);
	void *ctx;
};

/* Listen on addr ("[ADDR]:PORT" or "PORT": then on ::1), serve through loop. Returns 0 or a
 * negative errno with a reason ("--metrics ...: ..."). */
__attribute__((warn_unused_result)) int metrics_open(const char *addr, struct loop *loop,
    const struct metrics_source *src, struct metrics **out, struct err *err);
void metrics_close(struct metrics *m);

/* Close scrapes that have been silent for METRICS_IDLE_MS; call every tick. */
void metrics_tick(struct metrics *m);

#endif
