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
/* The n-th member (from 0) in *cpu: 0, or -ENOENT if the set is smaller. */
int cpuset_nth(const struct cpuset *s, unsigned n, unsigned *cpu);
/* Members below cpu (its rank, when cpu is a member). */
unsigned cpuset_rank(const struct cpuset *s, unsigned cpu);

/* The kernel's hex mask ("%*pb": 32-bit chunks of hex digits, most
 * significant first, comma separated, "00000000,00000003").  *nbits gets
 * the width the text was printed with, rounded to whole hex digits. */
int cpuset_parse_mask(struct cpuset *s, const char *text, unsigned *nbits); /* 0 or -EINVAL */
/* Print s in that format, nbits wide (no newline); bits from nbits on are
 * not shown. */
void cpuset_format_mask(const struct cpuset *s, unsigned nbits, struct buf *out);

#endif
