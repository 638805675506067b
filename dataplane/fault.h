/* SPDX-License-Identifier: MIT */
/* Failures that tests inject where the real thing cannot be had on demand (doc/ipsec6d.md,
 * "Injected failures"). With IPSEC6D_FAULTS=FILE in ipsec6d's environment at start, each fault
 * point reads FILE when it exists and removes it; its lines "NAME [COUNT [SKIP]]" make point
 * NAME fail COUNT times (default 1) after passing SKIP times (default 0), added to what earlier
 * files asked. Without the variable nothing is ever read and every point passes. Control
 * thread only: no fault point is on the data path. */
#ifndef IPSEC6_FAULT_H
#define IPSEC6_FAULT_H

#include <stdbool.h>

enum fault_point {
	FAULT_SNAPSHOT, /* "snapshot": the data path's snapshot of a change is not allocated */
	FAULT_NFT,      /* "nft": the steering script gets a line that nftables refuses */
	FAULT_SYSCALL,  /* "syscall": the daemon's tick makes a system call seccomp forbids */
	FAULT_DIRSYNC,  /* "dirsync": the fsync of a saved file's directory fails (EIO) */
	FAULT__COUNT,
};

/* Read IPSEC6D_FAULTS; call once at start, before other threads exist. */
void fault_init(void);

/* Whether point p fails this time. */
bool fault_hit(enum fault_point p);

#endif
