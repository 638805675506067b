// SPDX-License-Identifier: MIT
/* epoll dispatch for ipsec6d. Level-triggered so that a handler may take one bounded bite of
 * work and come back later: one busy client never starves the others. */
#include "loop.h"

#include <sys/epoll.h>

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define LOOP_EVENTS_MAX 64

struct loop {
	int epfd;
	bool stop;
	int (*timer)(void *ctx);
	void *timer_ctx;
};

int
loop_new(struct loop **out)
{
	struct loop *loop = calloc(1, sizeof(*loop));

	*out = NULL;
	if (loop == NULL)
		return -ENOMEM;
	loop->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (loop->epfd < 0) {
		int rc = -errno;

		free(loop);
		return rc;
	}
	*out = loop;
	return 0;
}

void
loop_free(struct loop *loop)
{
	if (loop == NULL)
		return;
	(void)close(loop->epfd);
	free(loop);
}

static int
loop_ctl(struct loop *loop, int op, struct loop_watch *w, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = w };

	return epoll_ctl(loop->epfd, op, w->fd, &ev) == 0 ? 0 : -errno;
}

int
loop_add(struct loop *loop, struct loop_watch *w, uint32_t events)
{
	return loop_ctl(loop, EPOLL_CTL_ADD, w, events);
}

int
loop_mod(struct loop *loop, struct loop_watch *w, uint32_t events)
{
	return loop_ctl(loop, EPOLL_CTL_MOD, w, events);
}

void
loop_del(struct loop *loop, struct loop_watch *w)
{
	/* Fails only if fd was never added; closing it would drop it from the set anyway. */
	(void)epoll_ctl(loop->epfd, EPOLL_CTL_DEL, w->fd, NULL);
}

void
loop_set_timer(struct loop *loop, int (*fn)(void *ctx), void *ctx)
{
	loop->timer = fn;
	loop->timer_ctx = ctx;
}

int
loop_run(struct loop *loop)
{
	struct epoll_event evs[LOOP_EVENTS_MAX];

	loop->stop = false;
	while (!loop->stop) {
		int timeout = loop->timer != NULL ? loop->timer(loop->timer_ctx) : -1;
		int n = epoll_wait(loop->epfd, evs, LOOP_EVENTS_MAX, timeout);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (int i = 0; i < n && !loop->stop; i++) {
			struct loop_watch *w = evs[i].data.ptr;

			w->fn(w, evs[i].events);
		}
	}
	return 0;
}

void
loop_stop(struct loop *loop)
{
	loop->stop = true;
}

int64_t
loop_now_ms(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
