/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * THE table of virtual files, shared by the front and the collector.
 * The front builds lookup, getattr and readdir from it; the collector
 * has one renderer per VFILE_FILE entry.  Inode number == id.
 *
 * Entries of kind VFILE_HOSTDIR also show the host's directory of the same
 * path (read-only, filtered per caller by the collector); their host-backed
 * children get node numbers with VFILE_HOSTNODE_BIT set.
 */
#ifndef LXCFS_VFILE_H
#define LXCFS_VFILE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

enum vfile_id {
	VFILE_ROOT = 1, /* == FUSE_ROOT_ID */
	VFILE_PROC,
	VFILE_PROC_CPUINFO,
	VFILE_PROC_DISKSTATS,
	VFILE_PROC_LOADAVG,
	VFILE_PROC_MEMINFO,
	VFILE_PROC_PARTITIONS,
	VFILE_PROC_SLABINFO,
	VFILE_PROC_STAT,
	VFILE_PROC_SWAPS,
	VFILE_PROC_UPTIME,
	VFILE_PROC_PRESSURE,
	VFILE_PROC_PRESSURE_CPU,
	VFILE_PROC_PRESSURE_IO,
	VFILE_PROC_PRESSURE_MEMORY,
	VFILE_SYS,
	VFILE_SYS_DEVICES,
	VFILE_SYS_DEVICES_SYSTEM,
	VFILE_SYS_CPU,
	VFILE_SYS_CPU_ONLINE,
	VFILE_SYS_CPU_OFFLINE,
	VFILE_SYS_CPU_POSSIBLE,
	VFILE_SYS_CPU_PRESENT,
	VFILE_CGROUP,
	VFILE_COUNT
};

enum vfile_kind {
	VFILE_DIR,     /* a directory whose children are all in this table */
	VFILE_HOSTDIR, /* a directory that also shows the host's entries */
	VFILE_FILE,    /* a file rendered by the collector */
};

#define VFILE_HOSTNODE_BIT (UINT64_C(1) << 62)

struct vfile {
	uint32_t id;
	uint32_t parent;
	const char *name;
	const char *path; /* relative to the mount point */
	mode_t mode;	  /* including S_IFDIR / S_IFREG */
	enum vfile_kind kind;
};

extern const struct vfile vfile_table[VFILE_COUNT];

/* The entry for a node number, or NULL (host node or out of range). */
const struct vfile *vfile_get(uint64_t node);
/* A child of a table directory by name, or NULL. */
const struct vfile *vfile_lookup(uint64_t parent, const char *name);
/* Iterate the table children of a directory: start with *pos = 0. */
const struct vfile *vfile_next_child(uint64_t parent, unsigned *pos);
/* Bit 62 set and bit 63 clear (doc/PROTOCOL.md section 6): no host node
 * has bit 63, so a number with it is not a node. */
static inline bool vfile_is_hostnode(uint64_t node)
{
	return node >> 62 == 1;
}
/* proc/pressure/{cpu,io,memory}: the files that take PSI triggers. */
static inline bool vfile_is_pressure(uint64_t node)
{
	return node == VFILE_PROC_PRESSURE_CPU || node == VFILE_PROC_PRESSURE_IO ||
	       node == VFILE_PROC_PRESSURE_MEMORY;
}
/* Check the table's invariants (ids match positions, parents are
 * directories, names unique per directory).  0 or -EINVAL. */
int vfile_table_check(void);

#endif
