// SPDX-License-Identifier: LGPL-2.1-or-later
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "vfile.h"

#define DIR_ (S_IFDIR | 0555)
#define REG_ (S_IFREG | 0444)

#define E(id_, parent_, name_, path_, mode_, kind_)                                                \
	[id_] = { .id = id_,                                                                       \
		  .parent = parent_,                                                               \
		  .name = name_,                                                                   \
		  .path = path_,                                                                   \
		  .mode = mode_,                                                                   \
		  .kind = kind_ }

const struct vfile vfile_table[VFILE_COUNT] = {
	[0] = { 0 },
	E(VFILE_ROOT, VFILE_ROOT, "", "", DIR_, VFILE_DIR),
	E(VFILE_PROC, VFILE_ROOT, "proc", "proc", DIR_, VFILE_DIR),
	E(VFILE_PROC_CPUINFO, VFILE_PROC, "cpuinfo", "proc/cpuinfo", REG_, VFILE_FILE),
	E(VFILE_PROC_DISKSTATS, VFILE_PROC, "diskstats", "proc/diskstats", REG_, VFILE_FILE),
	E(VFILE_PROC_LOADAVG, VFILE_PROC, "loadavg", "proc/loadavg", REG_, VFILE_FILE),
	E(VFILE_PROC_MEMINFO, VFILE_PROC, "meminfo", "proc/meminfo", REG_, VFILE_FILE),
	E(VFILE_PROC_PARTITIONS, VFILE_PROC, "partitions", "proc/partitions", REG_, VFILE_FILE),
	E(VFILE_PROC_SLABINFO, VFILE_PROC, "slabinfo", "proc/slabinfo", REG_, VFILE_FILE),
	E(VFILE_PROC_STAT, VFILE_PROC, "stat", "proc/stat", REG_, VFILE_FILE),
	E(VFILE_PROC_SWAPS, VFILE_PROC, "swaps", "proc/swaps", REG_, VFILE_FILE),
	E(VFILE_PROC_UPTIME, VFILE_PROC, "uptime", "proc/uptime", REG_, VFILE_FILE),
	E(VFILE_PROC_PRESSURE, VFILE_PROC, "pressure", "proc/pressure", DIR_, VFILE_DIR),
	E(VFILE_PROC_PRESSURE_CPU, VFILE_PROC_PRESSURE, "cpu", "proc/pressure/cpu", REG_,
	  VFILE_FILE),
	E(VFILE_PROC_PRESSURE_IO, VFILE_PROC_PRESSURE, "io", "proc/pressure/io", REG_, VFILE_FILE),
	E(VFILE_PROC_PRESSURE_MEMORY, VFILE_PROC_PRESSURE, "memory", "proc/pressure/memory", REG_,
	  VFILE_FILE),
	E(VFILE_SYS, VFILE_ROOT, "sys", "sys", DIR_, VFILE_DIR),
	E(VFILE_SYS_DEVICES, VFILE_SYS, "devices", "sys/devices", DIR_, VFILE_DIR),
	E(VFILE_SYS_DEVICES_SYSTEM, VFILE_SYS_DEVICES, "system", "sys/devices/system", DIR_,
	  VFILE_DIR),
	E(VFILE_SYS_CPU, VFILE_SYS_DEVICES_SYSTEM, "cpu", "sys/devices/system/cpu", DIR_,
	  VFILE_HOSTDIR),
	E(VFILE_SYS_CPU_ONLINE, VFILE_SYS_CPU, "online", "sys/devices/system/cpu/online", REG_,
	  VFILE_FILE),
	E(VFILE_SYS_CPU_OFFLINE, VFILE_SYS_CPU, "offline", "sys/devices/system/cpu/offline", REG_,
	  VFILE_FILE),
	E(VFILE_SYS_CPU_POSSIBLE, VFILE_SYS_CPU, "possible", "sys/devices/system/cpu/possible",
	  REG_, VFILE_FILE),
	E(VFILE_SYS_CPU_PRESENT, VFILE_SYS_CPU, "present", "sys/devices/system/cpu/present", REG_,
	  VFILE_FILE),
	E(VFILE_CGROUP, VFILE_ROOT, "cgroup", "cgroup", DIR_, VFILE_DIR),
};

const struct vfile *vfile_get(uint64_t node)
{
	if (node == 0 || node >= VFILE_COUNT)
		return NULL;
	return &vfile_table[node];
}

const struct vfile *vfile_next_child(uint64_t parent, unsigned *pos)
{
	for (unsigned i = *pos ? *pos : VFILE_ROOT + 1; i < VFILE_COUNT; i++) {
		if (vfile_table[i].parent == parent) {
			*pos = i + 1;
			return &vfile_table[i];
		}
	}
	*pos = VFILE_COUNT;
	return NULL;
}

const struct vfile *vfile_lookup(uint64_t parent, const char *name)
{
	const struct vfile *v;
	unsigned pos = 0;

	while ((v = vfile_next_child(parent, &pos)))
		if (strcmp(v->name, name) == 0)
			return v;
	return NULL;
}

int vfile_table_check(void)
{
	for (unsigned i = VFILE_ROOT; i < VFILE_COUNT; i++) {
		const struct vfile *v = &vfile_table[i], *p;

		if (v->id != i || !v->name || !v->path)
			return -EINVAL;
		p = vfile_get(v->parent);
		if (!p || p->kind == VFILE_FILE)
			return -EINVAL;
		if (i != VFILE_ROOT && vfile_lookup(v->parent, v->name) != v)
			return -EINVAL;
		if ((v->kind == VFILE_FILE) != S_ISREG(v->mode))
			return -EINVAL;
	}
	return 0;
}
