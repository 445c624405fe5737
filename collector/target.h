/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Caller -> container.  The container is the caller's pid namespace; its
 * cgroups are those of that namespace's init.  A caller in the
 * supervisor's own pid namespace gets its own cgroups.  The init of each
 * namespace is cached by namespace inode and validated with a pidfd.
 *
 * Pods whose containers share one pid namespace have a pause process as
 * its init, often in a cgroup without limits: --pidns-cgroup chooses whose
 * cgroups stand for the container then (enum pidns_cgroup, childopt.h).
 */
#ifndef LXCFS_TARGET_H
#define LXCFS_TARGET_H

#include <sys/types.h>

#include "childopt.h"
#include "render.h"

struct resolver;

struct resolver *resolver_new(const struct host *host, enum pidns_cgroup mode);
/* Fill t (free with target_clear) for the thread pid of a FUSE request. */
int target_resolve(struct resolver *rs, pid_t pid, struct target *t);
void target_clear(struct target *t);
/* Does a limit apply to t's cgroups (over their ancestors): a memory
 * limit, a CFS quota, or a cpuset without some online CPU? */
bool target_limited(const struct host *h, const struct target *t);

#endif
