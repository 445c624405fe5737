/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Caller -> container.  The container is the caller's pid namespace; its
 * cgroups are those of that namespace's init.  A caller in the
 * supervisor's own pid namespace gets its own cgroups.  The init of each
 * namespace is cached by namespace inode and validated with a pidfd.
 */
#ifndef LXCFS_TARGET_H
#define LXCFS_TARGET_H

#include <sys/types.h>

#include "render.h"

struct resolver;

struct resolver *resolver_new(const struct host *host);
/* Fill t (free with target_clear) for the thread pid of a FUSE request. */
int target_resolve(struct resolver *rs, pid_t pid, struct target *t);
void target_clear(struct target *t);

#endif
