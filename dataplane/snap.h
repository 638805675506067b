/* SPDX-License-Identifier: MIT */
/* How the control thread hands immutable data to the packet threads: it publishes a pointer
 * (a C11 atomic: release when swapped in, acquire when read), the threads read it inside
 * liburcu read-side sections (urcu-memb), and what was replaced is freed after a grace period.
 * liburcu orders the grace period with membarrier(), which ThreadSanitizer cannot see; under
 * it, each section's end releases, and the end of a grace period acquires, one object for the
 * whole process (snap_grace, as liburcu's grace period is one), so that TSan knows what liburcu
 * guarantees: every section that began before snap_synchronize() has ended when it returns. */
#ifndef IPSEC6_SNAP_H
#define IPSEC6_SNAP_H

#include <urcu/urcu-memb.h>

#if defined(__SANITIZE_THREAD__)
#define SNAP_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define SNAP_TSAN 1
#endif
#endif

/* What the annotations hang on (snap.c). */
extern char snap_grace;

#ifdef SNAP_TSAN
#include <sanitizer/tsan_interface.h>
#endif

/* Enter and leave a read-side section. The calling thread is registered with liburcu. */
static inline void
snap_read_lock(void)
{
	urcu_memb_read_lock();
}

static inline void
snap_read_unlock(void)
{
#ifdef SNAP_TSAN
	__tsan_release(&snap_grace);
#endif
	urcu_memb_read_unlock();
}

/* Wait until every read-side section that began before the call has ended: what was swapped
 * out before it may be freed after it. Control thread. */
static inline void
snap_synchronize(void)
{
	urcu_memb_synchronize_rcu();
#ifdef SNAP_TSAN
	__tsan_acquire(&snap_grace);
#endif
}

#endif
