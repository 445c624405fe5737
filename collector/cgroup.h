/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cgroup v1, v2 and hybrid hosts.  The layout says, per controller we use,
 * which hierarchy serves it (a dirfd of its root, opened at start-up) and
 * whether that is the unified (v2) one.  Cgroup paths come from
 * /proc/PID/cgroup and are container-controlled: they are only ever walked
 * one component at a time beneath the root dirfd (see fsio.h).
 */
#ifndef LXCFS_CGROUP_H
#define LXCFS_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

enum cg_ctl {
	CG_MEMORY,
	CG_CPU,
	CG_CPUACCT,
	CG_CPUSET,
	CG_BLKIO,   /* v2: io */
	CG_UNIFIED, /* the v2 tree itself (PSI on hybrid hosts) */
	CG_NCTL
};

#define CG_UNLIMITED	  UINT64_MAX
#define CG_MOUNT_ROOT_MAX 1024

struct cg_layout {
	int fd[CG_NCTL];  /* O_PATH dirfd of the hierarchy root, -1 if absent */
	bool v2[CG_NCTL]; /* served by the unified hierarchy */
	char root[CG_NCTL][CG_MOUNT_ROOT_MAX]; /* mount root to strip ("/" normally) */
};

/* A target's cgroup path per controller (NULL: controller absent).
 * Paths start with '/', relative to the hierarchy root. */
struct cg_paths {
	char *path[CG_NCTL];
};

const char *cg_ctl_name(enum cg_ctl c);
void cg_layout_init(struct cg_layout *l);
/* From a mountinfo text (the host's /proc/self/mountinfo). */
int cg_layout_from_mountinfo(struct cg_layout *l, const char *mountinfo);
/* The pieces cg_layout_from_mountinfo() builds a layout from (the unit
 * tests build fixture layouts with them too): controller c is served by
 * the hierarchy at fd, whose mount root is root. */
void cg_layout_set(struct cg_layout *l, enum cg_ctl c, int fd, bool v2, const char *root);
/* The unified tree at fd serves every controller no v1 hierarchy serves
 * that its root's cgroup.controllers lists. */
void cg_layout_add_unified(struct cg_layout *l, int fd, const char *root);
/* Is the v1 controller c named in a comma separated list ("cpu,cpuacct")? */
bool cg_ctl_in_list(enum cg_ctl c, const char *list);
/* Human summary for the start-up log. */
void cg_layout_describe(const struct cg_layout *l, struct buf *out);

/* Parse /proc/PID/cgroup text.  -EIO when ambiguous (a newline inside a
 * cgroup name shows up as a duplicate or malformed line). */
int cg_paths_parse(const struct cg_layout *l, const char *text, size_t len, struct cg_paths *out);
void cg_paths_free(struct cg_paths *p);

/* Open the directory of a cgroup (O_PATH), walking beneath the root. */
int cg_open_dir(const struct cg_layout *l, enum cg_ctl c, const char *path);
/* Read a file of the cgroup itself; -ENOENT if the controller is absent. */
int cg_read(const struct cg_layout *l, enum cg_ctl c, const char *path, const char *file,
	    struct buf *out);
int cg_read_u64(const struct cg_layout *l, enum cg_ctl c, const char *path, const char *file,
		uint64_t *v);
/* The minimum of a numeric file over the cgroup and all its ancestors
 * (levels without the file are skipped).  CG_UNLIMITED if none has one. */
int cg_min_over_ancestors(const struct cg_layout *l, enum cg_ctl c, const char *path,
			  const char *file, uint64_t *min);
/* The file of the nearest cgroup (itself first, then its ancestors) that
 * has a non-empty one; used for cpuset files that are absent or empty in
 * cgroups without the controller enabled. */
int cg_read_nearest(const struct cg_layout *l, enum cg_ctl c, const char *path, const char *file,
		    struct buf *out);

/* CPUs the CFS quota allows: ceil(quota / period), the minimum over the
 * cgroup and its ancestors (v1 cpu.cfs_quota_us/cpu.cfs_period_us, v2
 * cpu.max); UINT64_MAX when no level has a quota. */
int cg_cfs_cpus(const struct cg_layout *l, const char *path, uint64_t *ncpus);

/* The number after "key<sep>" at the start of a line of text, or -ENOENT. */
int kv_get_u64(const char *text, const char *key, char sep, uint64_t *v);
/* "key value" lines (memory.stat, cpu.stat): the value of key, or -ENOENT. */
int cg_kv_get(const char *text, const char *key, uint64_t *v);

#endif
