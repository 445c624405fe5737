/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The container's CPU time and clock, as proc/stat and proc/uptime show
 * them: sampled from the cgroup (cpuview.c), made monotonic by the
 * counter state (cpustate.c).  Both files take their numbers from here,
 * so uptime's idle is stat's total idle.
 */
#ifndef LXCFS_CPUVIEW_H
#define LXCFS_CPUVIEW_H

#include "cpustate.h"
#include "render.h"

struct cpu_view {
	struct cpuset vis; /* visible CPUs */
	unsigned n;	   /* how many */
	unsigned hz;	   /* USER_HZ */
	struct cs_view v;  /* v.line: n rows (stat only), freed by cpu_view_free */
};

/* Sample and update.  stat: per-CPU lines too, and extra (CS_NEXTRA
 * counters the caller sampled); else the cpu total and the clock only. */
int cpu_view_get(const struct render_ctx *ctx, bool stat, const uint64_t *extra,
		 struct cpu_view *cv);
void cpu_view_free(struct cpu_view *cv);

/* The host's uptime ("1234.56 ...") in centiseconds. */
int parse_uptime_cs(const char *s, uint64_t *cs);

#endif
