/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The threads of a cgroup and its descendants: the one walk behind every
 * count of a container's tasks (proc/stat's procs_running, procs_blocked,
 * ctxt and processes; the -l load-average sampler).  From the cgroups' own
 * thread lists (v1 "tasks", v2 "cgroup.threads"), never a walk over every
 * process of the host.  Cgroup names are opened beneath the cgroup's
 * dirfd; each thread's state and start time come from
 * proc/TID/task/TID/stat (the thread's own line: proc/TID/stat would add
 * up the times of every thread of its process), opened by number beneath
 * the proc dirfd.  Bounded: at most CG_TASKS_MAX_CGROUPS cgroups (the
 * container's own included), CG_TASKS_MAX_DEPTH levels below it and
 * CG_TASKS_MAX_THREADS threads are looked at; the counts cover those.
 */
#ifndef LXCFS_CGTASKS_H
#define LXCFS_CGTASKS_H

#include <stdint.h>
#include <sys/types.h>

#include "render.h"

#define CG_TASKS_MAX_CGROUPS 1024
#define CG_TASKS_MAX_DEPTH   32
#define CG_TASKS_MAX_THREADS 8192

/* A thread as the walk finds it: alive when its stat was read. */
struct cg_thread {
	pid_t tid;
	char state;	/* field 3 of its stat: R, S, D, Z, ... */
	uint64_t start; /* field 22: its start time, clock ticks after boot */
};

/* Called for each thread; nonzero stops the walk. */
typedef int cg_thread_fn(const struct cg_thread *t, void *arg);

/* fn for each thread of the cgroup at dirfd (in hierarchy c, which names
 * the thread list) and of its descendants, the cgroup's own first.  0, or
 * -errno when the cgroup's own thread list cannot be read (it went away);
 * a descendant that cannot be read is passed over. */
int cg_tasks_walk(const struct host *h, enum cg_ctl c, int dirfd, cg_thread_fn *fn, void *arg);

/* The start of proc/TID/task/TID/<file>, one read into b (size bytes,
 * NUL-terminated): 0 or -errno (-ESRCH: empty, the thread is gone). */
int cg_thread_read(const struct host *h, pid_t tid, const char *file, char *b, size_t size);

#endif
