/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Counters that never go backwards: per-container state for proc/stat and
 * proc/uptime, in the shared segment the supervisor creates (contract.h),
 * so that it outlives any one collector and can serve several.
 *
 * A read hands in what it sampled (raw values: the cgroup's CPU time, the
 * host's clock) and gets back what to show.  Each shown counter grows by
 * max(0, raw - last raw): a raw value that drops (a cgroup re-created, a
 * CPU remapped, a share that got smaller) never takes a shown value down.
 * idle is derived so that for each line busy + idle follows the wall
 * clock: idle = max(last idle, wall + base - busy), capped at the wall
 * time the line covers; base is fixed when a line starts (or restarts
 * after it was not shown), so a cgroup whose busy time is older than its
 * init still gets idle time from its first read on.
 *
 * Entries are keyed by SipHash of the container's cgroup with the
 * segment's random key; at most CPUSTATE_ENTRIES, the least recently used
 * one is reused when all are taken.  A per-CPU line's state is the one of
 * its number in the view (cs_raw_line.slot); lines numbered
 * CPUSTATE_LINES or more are computed without state (busy as sampled, idle
 * = wall - busy).
 */
#ifndef LXCFS_CPUSTATE_H
#define LXCFS_CPUSTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CPUSTATE_ENTRIES 1024
#define CPUSTATE_LINES	 256
/* A lock not released for this long belongs to a dead collector (an
 * update holds it for microseconds): it is taken over. */
#define CPUSTATE_LOCK_WAIT_MS 50

/* The columns of a cpu line of proc/stat, in the kernel's order. */
enum cs_field {
	CS_USER,
	CS_NICE,
	CS_SYSTEM,
	CS_IDLE,
	CS_IOWAIT,
	CS_IRQ,
	CS_SOFTIRQ,
	CS_STEAL,
	CS_GUEST,
	CS_GUEST_NICE,
	CS_NFIELDS
};

/* Other counters of proc/stat. */
enum cs_extra { CS_CTXT, CS_PROCESSES, CS_NEXTRA };

/* A line's source: a host CPU number, or an even share of n CPUs' time
 * (cgroup v2 has no per-CPU times).  A line whose source changes restarts
 * from its shown values. */
#define CS_SRC_SPREAD(n) (0x80000000u | (uint32_t)(n))

struct cs_raw_line {
	uint32_t src;
	uint32_t slot;		/* its state: the line's number in the view (cpuN);
				 * from CPUSTATE_LINES on, none */
	uint64_t f[CS_NFIELDS]; /* USER_HZ ticks; f[CS_IDLE] is not used */
};

struct cs_sample {
	uint64_t host_up_cs;	    /* the host's uptime, centiseconds */
	uint64_t init_age_cs;	    /* age of the container's init, centiseconds */
	unsigned ncpus;		    /* visible CPUs, >= 1 */
	unsigned hz;		    /* USER_HZ */
	uint64_t total[CS_NFIELDS]; /* the cgroup's time on all CPUs */
	bool stat;		    /* lines and extra below were sampled */
	uint64_t extra[CS_NEXTRA];
	unsigned nlines;
	const struct cs_raw_line *line;
};

struct cs_view {
	uint64_t up_cs; /* the uptime to show */
	uint64_t total[CS_NFIELDS];
	uint64_t extra[CS_NEXTRA];
	uint64_t (*line)[CS_NFIELDS]; /* nlines rows, the caller's memory */
};

struct cpustate;

/* Map the segment at fd (MAP_SHARED; before the sandbox): NULL and -errno
 * in *err if fd is not a segment of the size and version we know. */
struct cpustate *cpustate_attach(int fd, int *err);
void cpustate_detach(struct cpustate *cs);

/* What to show for the container named id (its cgroup), from its entry
 * (cs NULL: without state, as a first read would). */
void cpustate_update(struct cpustate *cs, const char *id, size_t idlen, const struct cs_sample *in,
		     struct cs_view *out);

#endif
