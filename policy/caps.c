// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The capabilities lxcfs-collector keeps (permitted and effective; the
 * bounding set is cut to these, inheritable and ambient are empty).
 * It runs as the same unprivileged uid as the front: without
 * CAP_DAC_OVERRIDE or CAP_FOWNER it can write, create or truncate no
 * root-owned file, whatever it asks openat2 for.  lxcfs-fused keeps none.
 */
#include "config.h"

#include <sys/capability.h>

#include "cleanup.h"
#include "sandbox.h"

const struct cap_rule caps_collector[] = {
	{ CAP_SYS_PTRACE, "cap_sys_ptrace",
	  "open /proc/PID/ns/pid of readers owned by other uids (a container's root is an "
	  "unprivileged host uid): procfs checks PTRACE_MODE_READ_FSCREDS" },
	{ CAP_DAC_READ_SEARCH, "cap_dac_read_search",
	  "read limits in delegated cgroup subtrees, whose directories the container's owner "
	  "may chmod to 0700: a container must not hide its limits from lxcfs" },
};
const size_t caps_collector_len = ARRAY_SIZE(caps_collector);
