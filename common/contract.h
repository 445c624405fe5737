/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The contracts between the three processes, in one place: which fd
 * number carries what in each child (the seccomp filters check fd
 * numbers, so the filter and the code that sets the fds up must agree),
 * and the timeouts one process relies on another to keep.
 *
 * Included by supervisor/, collector/, fused/ and policy/.  Nothing here
 * depends on any one of them.
 */
#ifndef LXCFS_CONTRACT_H
#define LXCFS_CONTRACT_H

#include <stdint.h>

/* ---- fds, as the supervisor's spawn() lays them out in each child ---- */

/* Every child: 0 and 1 are /dev/null, 2 is the log pipe to the supervisor. */
#define CHILD_FD_LOG 2
/* The first fd a child inherits beyond stdio; the supervisor places the
 * child's fds at CHILD_FD_FIRST, CHILD_FD_FIRST + 1, ... */
#define CHILD_FD_FIRST 3

/* lxcfs-collector */
#define COLLECTOR_FD_CHANNEL 3 /* SOCK_STREAM channel to the front */
#define COLLECTOR_FD_STATE                                                                         \
	4 /* the counter state segment (below); the                                                \
	   * collector maps it and closes the fd before                                            \
	   * it enters its sandbox */
#define COLLECTOR_NFDS 2
/* The collector may close only fds it opened itself: those above this. */
#define COLLECTOR_FD_LAST_INHERITED COLLECTOR_FD_CHANNEL

/* lxcfs-fused */
#define FUSED_FD_FUSE	 3 /* the supervisor's /dev/fuse fd (a dup) */
#define FUSED_FD_CHANNEL 4 /* SOCK_STREAM channel to the collector */
#define FUSED_FD_CONTROL 5 /* SOCK_SEQPACKET control socket to the supervisor */
#define FUSED_NFDS	 3

/* ---- the counter state segment ----
 *
 * A memfd the supervisor creates once, for the life of the mount, and
 * hands to every collector it starts at COLLECTOR_FD_STATE: per-container
 * counters (proc/stat, proc/uptime) that must never go backwards, also
 * across a collector restart.  The supervisor sizes it, writes this header
 * (with a random hash key) and seals its size; it never maps or reads it
 * again, since everything after the header holds container-derived data.
 * The collector owns the layout after the header (collector/cpustate.c).
 */
#define STATESEG_MAGIC	  UINT64_C(0x31544154534653c1) /* "\xc1SFSTAT1" */
#define STATESEG_VERSION  1
#define STATESEG_SIZE	  (48u << 20) /* sparse: only pages in use cost memory */
#define STATESEG_HDR_SIZE 4096	      /* the collector's area starts here */

struct stateseg_hdr {
	uint64_t magic;
	uint32_t version;
	uint32_t hdr_size; /* STATESEG_HDR_SIZE */
	uint64_t size;	   /* STATESEG_SIZE */
	uint64_t key[2];   /* SipHash key for the collector's entries */
};

/* ---- timeouts ---- */

/* The front finishes its pending requests for at most this long after
 * SIGTERM before it exits (leaving the rest to the next front). */
#define FUSED_STOP_GRACE_MS 5000
/* The supervisor waits this long for its children to exit before it
 * kills them: longer than the front's grace, so a clean stop stays clean. */
#define SUPER_STOP_TIMEOUT_MS (FUSED_STOP_GRACE_MS + 1000)
/* A new front waits this long for the session's INIT from the supervisor. */
#define FUSED_TAKEOVER_WAIT_MS 10000
/* The supervisor gives up on a start whose front is not serving by then:
 * longer than a takeover's wait. */
#define SUPER_READY_TIMEOUT_MS (FUSED_TAKEOVER_WAIT_MS + 5000)
/* A request the collector has not answered by then fails. */
#define FUSED_REQUEST_DEADLINE_MS 30000

#endif
