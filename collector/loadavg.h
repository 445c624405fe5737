/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The load-average sampler behind proc/loadavg with -l.  A bounded table
 * of containers, keyed by the container's cgroup (the target's cpu
 * hierarchy path, else cpuacct's, else the unified one) and the reader's
 * pid namespace (whose pids the last field shows).  Every 5 seconds, on a
 * grid of CLOCK_MONOTONIC multiples of 5 s, each container's tasks are
 * counted from its cgroup, descendants included (cg_tasks_walk(): each
 * thread's state, R or D counts), and the kernel's fixed-point decay is applied
 * (kernel/sched/loadavg.c).
 *
 * Only containers read in the last idle_ns are sampled: a container is
 * added by its first read and dropped when not read for that long (or
 * when the table is full and it is the least recently read one), so the
 * cost follows what readers ask for, never the host's tasks.  The caller
 * runs the sampler from its event loop (no threads): loadavg_next_tick()
 * says when, loadavg_run() does the work in short slices within a time
 * budget per period.
 */
#ifndef LXCFS_LOADAVG_H
#define LXCFS_LOADAVG_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "cgtasks.h"
#include "render.h"

/* The kernel's constants (include/linux/sched/loadavg.h) */
#define LOADAVG_FSHIFT	  11
#define LOADAVG_FIXED_1	  (1UL << LOADAVG_FSHIFT)
#define LOADAVG_EXP_1	  1884UL /* 1/exp(5s/1min) in fixed point */
#define LOADAVG_EXP_5	  2014UL /* 1/exp(5s/5min) */
#define LOADAVG_EXP_15	  2037UL /* 1/exp(5s/15min) */
#define LOADAVG_PERIOD_NS (5ULL * 1000000000ULL)

/* The kernel's calc_load(): one 5 s step; load and active in fixed point. */
uint64_t loadavg_calc(uint64_t load, uint64_t exp, uint64_t active);
/* The kernel's calc_load_n(): n steps at once (periods a late tick missed). */
uint64_t loadavg_calc_n(uint64_t load, uint64_t exp, uint64_t active, unsigned n);

struct loadavg_params {
	unsigned max_entries; /* containers sampled at most */
	unsigned max_tasks;   /* tasks counted per container (at most CG_TASKS_MAX_THREADS) */
	uint64_t idle_ns;     /* a container not read this long is dropped */
	uint64_t budget_ns;   /* sampling time per 5 s period */
	uint64_t slice_ns;    /* sampling time before requests are served again */
	/* CLOCK_MONOTONIC in ns; the tests pass a fake one */
	uint64_t (*clock)(void *arg);
	void *clock_arg;
};

#define LOADAVG_MAX_ENTRIES 256
#define LOADAVG_MAX_TASKS   CG_TASKS_MAX_THREADS
#define LOADAVG_IDLE_NS	    (300ULL * 1000000000ULL)
#define LOADAVG_BUDGET_NS   (50ULL * 1000000ULL)
#define LOADAVG_SLICE_NS    (2ULL * 1000000ULL)

/* The defaults above and the real clock. */
void loadavg_params_default(struct loadavg_params *p);

struct loadavg;

struct loadavg *loadavg_new(const struct host *host, const struct loadavg_params *p);
void loadavg_free(struct loadavg *la);

/* What a read shows. */
struct loadavg_view {
	uint64_t avenrun[3]; /* 1, 5, 15 minutes, fixed point */
	unsigned running;    /* tasks in state R at the last count */
	unsigned total;	     /* tasks at the last count */
	pid_t last_pid;	     /* highest pid of the namespace among them; 0: none */
};

/* The cgroup a target's load is counted in: -ENOENT without a cpu,
 * cpuacct or unified hierarchy. */
int loadavg_cgroup(const struct host *host, const struct target *t, enum cg_ctl *ctl,
		   const char **path);

/* A read by target t: its container's view.  The first read adds the
 * container (averages 0, tasks counted at once); every read keeps it in
 * the table for another idle_ns. */
int loadavg_read(struct loadavg *la, const struct target *t, struct loadavg_view *v);

/* When the sampler next has work: a CLOCK_MONOTONIC time in ns (the next
 * multiple of the period), or 0 when it samples nothing (no timer then). */
uint64_t loadavg_next_tick(const struct loadavg *la);

/* The cost of one period's work. */
struct loadavg_stats {
	unsigned containers; /* in the table after it */
	unsigned sampled;    /* containers counted */
	unsigned deferred;   /* left for the next period: the budget ran out */
	unsigned dropped;    /* unread for idle_ns, or their cgroup is gone */
	unsigned tasks;	     /* tasks looked at */
	uint64_t spent_ns;   /* time spent */
};

/* Do the due work for at most one slice.  true: more is due in this
 * period (serve pending requests, then call again); false: the period's
 * work is done and *st (if not NULL) tells what it cost. */
bool loadavg_run(struct loadavg *la, struct loadavg_stats *st);

/* Containers in the table. */
unsigned loadavg_count(const struct loadavg *la);

/* The kernel's text of a view (render_loadavg.c). */
int render_loadavg_format(const struct loadavg_view *v, struct buf *out);

#endif
