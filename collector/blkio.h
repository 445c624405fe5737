/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A cgroup's per-device I/O counters, in the order of the counters of a
 * /proc/diskstats line: v2 io.stat; v1 blkio.bfq.* and blkio.throttle.*
 * (the _recursive files where the kernel has them).  Sector fields hold
 * bytes and time fields nanoseconds, as the cgroup files count them; the
 * renderer converts.
 */
#ifndef LXCFS_BLKIO_H
#define LXCFS_BLKIO_H

#include <stddef.h>
#include <stdint.h>

#include "cgroup.h"

enum blkio_field {
	BLKIO_READS,
	BLKIO_READS_MERGED,
	BLKIO_READ_BYTES,
	BLKIO_READ_NS,
	BLKIO_WRITES,
	BLKIO_WRITES_MERGED,
	BLKIO_WRITE_BYTES,
	BLKIO_WRITE_NS,
	BLKIO_IN_FLIGHT,
	BLKIO_IO_NS,
	BLKIO_QUEUE_NS, /* never read: the renderer sums the four times */
	BLKIO_DISCARDS,
	BLKIO_DISCARDS_MERGED,
	BLKIO_DISCARD_BYTES,
	BLKIO_DISCARD_NS,
	BLKIO_FLUSHES,
	BLKIO_FLUSH_NS,
	BLKIO_NFIELDS
};

struct blkio_dev {
	unsigned major, minor;
	uint64_t f[BLKIO_NFIELDS];
};

struct blkio_set {
	struct blkio_dev *dev;
	size_t n, cap;
};

/* A device's entry in first wins over one in second. */
struct blkio_counters {
	struct blkio_set first;	 /* v1 blkio.bfq.*, v2 io.stat */
	struct blkio_set second; /* v1 blkio.throttle.* */
};

/* The counters of the cgroup at path (of controller CG_BLKIO) and its
 * descendants.  No file (controller absent, or not enabled for the
 * cgroup): 0 and no device, never an ancestor's file, which would count
 * its siblings.  A cgroup that does not exist: -ENOENT. */
int blkio_read(const struct cg_layout *l, const char *path, struct blkio_counters *c);
/* The device's counters, or NULL when no file names it. */
const struct blkio_dev *blkio_find(const struct blkio_counters *c, unsigned major, unsigned minor);
void blkio_counters_free(struct blkio_counters *c);

#endif
