/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Caller -> container.  The container is the caller's pid namespace; its
 * cgroups are those of that namespace's init.  A caller in the
 * supervisor's own pid namespace gets its own cgroups.  The init of each
 * namespace is cached by namespace inode and validated with a pidfd.
 *
 * Pods whose containers share one pid namespace have a pause process as
 * its init, often in a cgroup without limits: --pidns-cgroup chooses whose
 * cgroups stand for the container then (enum target_cgroup).
 */
#ifndef LXCFS_TARGET_H
#define LXCFS_TARGET_H

#include <sys/types.h>

#include "render.h"

struct resolver;

/* Whose cgroups a reader in a pid namespace of its own gets. */
enum target_cgroup {
	TARGET_CG_INIT,	  /* the namespace init's (LXCFS; the default) */
	TARGET_CG_AUTO,	  /* the reader's own when init's have no limit and its own have */
	TARGET_CG_READER, /* always the reader's own */
};

/* "init", "auto" or "reader": 0, or -EINVAL. */
int target_cgroup_parse(const char *name, enum target_cgroup *mode);
struct resolver *resolver_new(const struct host *host, enum target_cgroup mode);
/* Fill t (free with target_clear) for the thread pid of a FUSE request. */
int target_resolve(struct resolver *rs, pid_t pid, struct target *t);
void target_clear(struct target *t);
/* Does a limit apply to t's cgroups (over their ancestors): a memory
 * limit, a CFS quota, or a cpuset without some online CPU? */
bool target_limited(const struct host *h, const struct target *t);

#endif
