/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The tasks of a cgroup and its descendants: from the cgroup's own thread
 * lists (v1 "tasks", v2 "cgroup.threads"), each thread's state from
 * proc/TID/stat and its context switches from proc/TID/schedstat.  Never a
 * walk over every process of the host.  Bounded: at most CG_TASKS_MAX_CGROUPS
 * cgroups CG_TASKS_MAX_DEPTH deep and CG_TASKS_MAX_THREADS threads are
 * looked at; the counts cover those.
 */
#ifndef LXCFS_CGTASKS_H
#define LXCFS_CGTASKS_H

#include <stdint.h>

#include "render.h"

#define CG_TASKS_MAX_CGROUPS 1024
#define CG_TASKS_MAX_DEPTH   32
#define CG_TASKS_MAX_THREADS 8192

struct cg_tasks {
	uint64_t threads; /* threads listed (alive when listed) */
	uint64_t running; /* state R */
	uint64_t blocked; /* state D */
	uint64_t ctxt;	  /* their context switches (schedstat's third field) */
};

/* Count the tasks of path in hierarchy c.  0 (counts possibly 0) or
 * -errno when the cgroup itself cannot be opened. */
int cg_tasks_count(const struct host *h, enum cg_ctl c, const char *path, struct cg_tasks *out);

#endif
