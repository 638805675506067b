/* SPDX-License-Identifier: MIT */
/* The one event loop of ipsec6d: epoll over file descriptors, level-triggered, plus one timer
 * hook that the owner of deadlines (the control server) drives. Single thread. */
#ifndef IPSEC6_LOOP_H
#define IPSEC6_LOOP_H

#include <stdint.h>

struct loop;

/* Embed in the object that owns fd; fn runs with the epoll events (EPOLLIN, ...). A callback
 * may remove and free its own watch, never another one that may be pending in the same
 * round. */
struct loop_watch {
	int fd;
	void (*fn)(struct loop_watch *w, uint32_t events);
};

/* Returns 0 or -errno. *out owned by the caller (loop_free). */
__attribute__((warn_unused_result)) int loop_new(struct loop **out);
void loop_free(struct loop *loop);

/* Watch, change the events of, or forget w->fd. Return 0 or -errno. */
__attribute__((warn_unused_result)) int loop_add(
    struct loop *loop, struct loop_watch *w, uint32_t events);
__attribute__((warn_unused_result)) int loop_mod(
    struct loop *loop, struct loop_watch *w, uint32_t events);
void loop_del(struct loop *loop, struct loop_watch *w);

/* fn runs before every wait: it handles what is due and returns the milliseconds until its
 * next deadline, or -1 for none. */
void loop_set_timer(struct loop *loop, int (*fn)(void *ctx), void *ctx);

/* Dispatch events until loop_stop(). Returns 0, or -errno if epoll itself failed. */
__attribute__((warn_unused_result)) int loop_run(struct loop *loop);
void loop_stop(struct loop *loop);

/* CLOCK_MONOTONIC in milliseconds. */
int64_t loop_now_ms(void);

#endif
