// SPDX-License-Identifier: LGPL-2.1-or-later
/* The renderer table and the helpers renderers share. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "fsio.h"
#include "render.h"

/* One renderer per file of the vfile table. */
static render_fn *const render_table[VFILE_COUNT] = {
	[VFILE_PROC_CPUINFO] = render_cpuinfo,
	[VFILE_PROC_DISKSTATS] = render_diskstats,
	[VFILE_PROC_LOADAVG] = render_loadavg,
	[VFILE_PROC_MEMINFO] = render_meminfo,
	[VFILE_PROC_PARTITIONS] = render_partitions,
	[VFILE_PROC_SLABINFO] = render_slabinfo,
	[VFILE_PROC_STAT] = render_stat,
	[VFILE_PROC_SWAPS] = render_swaps,
	[VFILE_PROC_UPTIME] = render_uptime,
	[VFILE_PROC_PRESSURE_CPU] = render_pressure_cpu,
	[VFILE_PROC_PRESSURE_IO] = render_pressure_io,
	[VFILE_PROC_PRESSURE_MEMORY] = render_pressure_memory,
	[VFILE_SYS_CPU_ONLINE] = render_cpu_online,
	[VFILE_SYS_CPU_OFFLINE] = render_cpu_offline,
	[VFILE_SYS_CPU_POSSIBLE] = render_cpu_online,
	[VFILE_SYS_CPU_PRESENT] = render_cpu_online,
};

render_fn *render_lookup(uint64_t node)
{
	const struct vfile *v = vfile_get(node);

	if (!v || v->kind != VFILE_FILE)
		return NULL;
	return render_table[v->id];
}

int render_table_check(void)
{
	for (uint32_t id = VFILE_ROOT; id < VFILE_COUNT; id++)
		if ((vfile_table[id].kind == VFILE_FILE) != (render_table[id] != NULL))
			return -EINVAL;
	return 0;
}

int host_read_proc(const struct host *h, const char *name, struct buf *out)
{
	return fs_read_beneath(h->proc_fd, name, out);
}

int render_host_proc(const struct render_ctx *ctx, const char *name, struct buf *out)
{
	return host_read_proc(ctx->host, name, out);
}

int meminfo_get(const char *text, const char *key, uint64_t *kb)
{
	return kv_get_u64(text, key, ':', kb);
}

int render_visible_cpus(const struct render_ctx *ctx, struct cpuset *out)
{
	const struct cg_layout *l = &ctx->host->cg;
	const char *path = ctx->tgt->cg.path[CG_CPUSET];
	_cleanup_buf_ struct buf b = BUF_INIT(64 * 1024);
	struct cpuset online, set;
	int r;

	r = fs_read_beneath(ctx->host->sys_cpu_fd, "online", &b);
	if (r < 0)
		return r;
	if (cpuset_parse(&online, b.data) < 0 || !cpuset_count(&online))
		return -EIO;
	*out = online;
	if (path && l->fd[CG_CPUSET] >= 0) {
		_cleanup_close_ int dfd = cg_open_dir(l, CG_CPUSET, path);

		if (dfd < 0)
			return dfd; /* the cgroup itself is gone: not "all CPUs" */
		buf_reset(&b);
		r = cg_read_nearest(
		    l, CG_CPUSET, path,
		    l->v2[CG_CPUSET] ? "cpuset.cpus.effective" : "cpuset.effective_cpus", &b);
		if (r == -ENOENT && !l->v2[CG_CPUSET]) {
			buf_reset(&b);
			r = cg_read_nearest(l, CG_CPUSET, path, "cpuset.cpus", &b);
		}
		if (r == 0 && cpuset_parse(&set, b.data) == 0) {
			cpuset_and(&set, &online);
			if (cpuset_count(&set))
				*out = set;
		} else if (r < 0 && r != -ENOENT) {
			return r;
		}
	}
	if (ctx->opt->cfs && ctx->tgt->cg.path[CG_CPU]) {
		uint64_t n;

		if (cg_cfs_cpus(l, ctx->tgt->cg.path[CG_CPU], &n) == 0 && n < cpuset_count(out))
			cpuset_limit(out, n ? (unsigned)n : 1);
	}
	return 0;
}

unsigned render_cpu_shown(const struct render_ctx *ctx, const struct cpuset *vis, unsigned cpu)
{
	return ctx->opt->flat ? cpuset_rank(vis, cpu) : cpu;
}

int render_cpu_host(const struct render_ctx *ctx, const struct cpuset *vis, unsigned shown,
		    unsigned *cpu)
{
	if (ctx->opt->flat)
		return cpuset_nth(vis, shown, cpu);
	if (!cpuset_has(vis, shown))
		return -ENOENT;
	*cpu = shown;
	return 0;
}

void render_cpus_shown(const struct render_ctx *ctx, const struct cpuset *vis,
		       const struct cpuset *set, struct cpuset *out)
{
	unsigned rank = 0;

	cpuset_clear(out);
	for (unsigned w = 0; w < CPUSET_MAX / 64; w++) {
		for (uint64_t bits = vis->bits[w]; bits; bits &= bits - 1, rank++) {
			unsigned cpu = w * 64 + (unsigned)__builtin_ctzll(bits);

			if (cpuset_has(set, cpu))
				cpuset_set(out, ctx->opt->flat ? rank : cpu);
		}
	}
}
