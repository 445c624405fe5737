/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* CPU lists ("0-3,8,10-11") as fixed bitmaps. */
#ifndef LXCFS_CPUSET_H
#define LXCFS_CPUSET_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"

#define CPUSET_MAX 8192 /* the kernel's NR_CPUS upper bound on x86 */

struct cpuset {
	uint64_t bits[CPUSET_MAX / 64];
};

void cpuset_clear(struct cpuset *s);
int cpuset_parse(struct cpuset *s, const char *text);	     /* 0 or -EINVAL */
void cpuset_format(const struct cpuset *s, struct buf *out); /* no newline */
bool cpuset_has(const struct cpuset *s, unsigned cpu);
void cpuset_set(struct cpuset *s, unsigned cpu);
void cpuset_and(struct cpuset *s, const struct cpuset *other);
unsigned cpuset_count(const struct cpuset *s);
/* Keep only the first n CPUs of the set. */
void cpuset_limit(struct cpuset *s, unsigned n);

#endif
