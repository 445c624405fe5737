/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Renderers: one per virtual file, each a pure function of
 * (target container, host sources) -> text.  A renderer never sees
 * sockets, offsets or file handles, and runs against a fixture tree in the
 * unit tests exactly as against the live host.
 */
#ifndef LXCFS_RENDER_H
#define LXCFS_RENDER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "buf.h"
#include "cgroup.h"
#include "cpuset.h"
#include "vfile.h"

/* Host sources: trusted dirfds opened at start-up (or a fixture tree). */
struct host {
	int proc_fd;	/* /proc */
	int sys_cpu_fd; /* /sys/devices/system/cpu */
	struct cg_layout cg;
};

/* Whose view to render. */
struct target {
	pid_t init_pid;	    /* init of the reader's pid namespace (host pid) */
	bool host_ns;	    /* the reader shares the supervisor's pid namespace */
	uint64_t pidns;	    /* inode of the reader's pid namespace */
	struct cg_paths cg; /* cgroups: the init's, or the reader's own (host_ns) */
};

struct render_opts {
	bool swap_off;	/* -u: never show swap */
	bool zswap_off; /* -z: Zswap and Zswapped show 0 */
	bool cfs;	/* --enable-cfs: CPU views follow the CFS quota too */
	bool loadavg;	/* -l */
	bool flat;	/* --enable-flat-topology: single-core packages, numbered from 0 */
};

struct cpustate;
struct loadavg;

struct render_ctx {
	const struct host *host;
	const struct target *tgt;
	const struct render_opts *opt;
	struct cpustate *cs; /* counter state (cpustate.h) of stat and uptime; NULL: none */
	/* State a renderer keeps between requests, NULL where there is none
	 * (the fixture tests of the pure renderers): the -l sampler. */
	struct loadavg *loadavg;
};

typedef int render_fn(const struct render_ctx *ctx, struct buf *out);

/* The renderer of a VFILE_FILE entry, or NULL; node is checked at full
 * width (2^32 + a file's id is no file). */
render_fn *render_lookup(uint64_t node);
/* Every VFILE_FILE id has a renderer: 0 or -EINVAL (checked at start-up). */
int render_table_check(void);

/* ---- helpers shared by renderers (render.c) ---- */

/* Read a host /proc file (e.g. "meminfo") into out. */
int host_read_proc(const struct host *h, const char *name, struct buf *out);
/* "Key:   value kB" from a meminfo-style text, in kB; -ENOENT if absent. */
int meminfo_get(const char *text, const char *key, uint64_t *kb);

/* CPUs the target may use: its effective cpuset (nearest ancestor with one)
 * intersected with the host's online CPUs; with opt->cfs, cut down to
 * ceil(quota/period), the minimum over the hierarchy.  Never empty. */
int render_visible_cpus(const struct render_ctx *ctx, struct cpuset *out);
/* THE CPU numbering of the container's view, used by every file that
 * names a CPU (cpuinfo's processor, stat's cpuN, the cpu directory's cpuN
 * and every CPU list in it): the number host CPU cpu (a member of vis) is
 * shown as.  The host's own number, so that the view agrees with what
 * the kernel reports and no file can virtualize (sched_getaffinity(2),
 * /proc/self/status Cpus_allowed_list, taskset); with opt->flat, its rank
 * in vis (0..n-1, the numbering of iSulad's flat topology and LXCFS's
 * cpuinfo).  doc/FILES.md, "CPU numbering", says why. */
unsigned render_cpu_shown(const struct render_ctx *ctx, const struct cpuset *vis, unsigned cpu);
/* The inverse: the host CPU of vis the view shows as number shown; 0, or
 * -ENOENT when the view has no such CPU. */
int render_cpu_host(const struct render_ctx *ctx, const struct cpuset *vis, unsigned shown,
		    unsigned *cpu);
/* A set of host CPUs (a sibling list, a cache's sharers) as the view
 * shows it: only its members in vis, each renumbered. */
void render_cpus_shown(const struct render_ctx *ctx, const struct cpuset *vis,
		       const struct cpuset *set, struct cpuset *out);

/* The memory view shared by meminfo and swaps (all in kB), see
 * render_memview.c for the rules. */
struct mem_view {
	bool v2;	/* the memory controller is cgroup v2's */
	bool limited;	/* the memory lines are the view's; false: the host's */
	bool swap_host; /* the swap lines and proc/swaps are the host's */
	uint64_t host_total;
	uint64_t total, free, available;
	uint64_t swap_total, swap_free;
};
/* memstat receives the cgroup's memory.stat when the view is limited. */
int render_mem_view(const struct render_ctx *ctx, const char *host_meminfo, struct mem_view *mv,
		    struct buf *memstat);
/* A memory.stat value in kB by its v1 (hierarchical total_) or v2 key;
 * 0 when the key is NULL or absent. */
uint64_t mem_stat_kb(const char *memstat, bool v2, const char *v1_key, const char *v2_key);

/* A line of the host's proc/diskstats: the device and how many numbers
 * follow its name (render_diskstats.c).  name points into the line. */
struct diskstats_line {
	unsigned major, minor;
	const char *name;
	size_t name_len;
	unsigned nfields;
};
int diskstats_line_parse(const char *line, struct diskstats_line *dl);

int render_meminfo(const struct render_ctx *ctx, struct buf *out);
int render_cpuinfo(const struct render_ctx *ctx, struct buf *out);
/* cpuinfo's pieces (render_cpuinfo.c), shared with the s390 format. */
int render_cpuinfo_s390(const struct render_ctx *ctx, const struct cpuset *vis, const char *host,
			struct buf *out);
/* Where the value of a line "key<blanks>:<blanks>value" starts, or 0. */
size_t cpuinfo_value_at(const char *line, size_t len, const char *key);
/* The CPU number such a line holds, or -1. */
long cpuinfo_number(const char *line, size_t len, const char *key);
/* A line of a CPU's block: number_key's value shown as shown, and with
 * the flat topology its topology lines rewritten; other lines as they are. */
void cpuinfo_put_line(const struct render_ctx *ctx, struct buf *out, const char *line, size_t len,
		      const char *number_key, unsigned shown);
int render_uptime(const struct render_ctx *ctx, struct buf *out);
int render_stat(const struct render_ctx *ctx, struct buf *out);
int render_swaps(const struct render_ctx *ctx, struct buf *out);
int render_cpu_online(const struct render_ctx *ctx, struct buf *out);
int render_cpu_offline(const struct render_ctx *ctx, struct buf *out);
/* A host file of sys/devices/system/cpu (path relative to it, host text
 * of len bytes, NUL-terminated) as the view shows it (render_sys_cpu.c). */
int render_sys_cpu_file(const struct render_ctx *ctx, const struct cpuset *vis, const char *path,
			const char *host, size_t len, struct buf *out);
int render_slabinfo(const struct render_ctx *ctx, struct buf *out);
int render_diskstats(const struct render_ctx *ctx, struct buf *out);
int render_partitions(const struct render_ctx *ctx, struct buf *out);
/* Where t's pressure files are (render_pressure.c; the PSI triggers of
 * psitrigger.c read them too): *dfd the O_PATH dirfd of its unified
 * cgroup, or -1 for the host's /proc/pressure (its unified cgroup is the
 * host's root).  -EOPNOTSUPP without a unified tree. */
int pressure_source(const struct host *h, const struct target *t, int *dfd);
/* Read resource's ("cpu", "io", "memory") file there; -EOPNOTSUPP when
 * the cgroup has none (PSI off for it, or no cgroup PSI). */
int pressure_read(const struct host *h, int dfd, const char *resource, struct buf *out);
int render_pressure_cpu(const struct render_ctx *ctx, struct buf *out);
int render_pressure_io(const struct render_ctx *ctx, struct buf *out);
int render_pressure_memory(const struct render_ctx *ctx, struct buf *out);
int render_loadavg(const struct render_ctx *ctx, struct buf *out);
/* Files not virtualized yet show the host's file of the same name. */
int render_host_proc(const struct render_ctx *ctx, const char *name, struct buf *out);

#endif
