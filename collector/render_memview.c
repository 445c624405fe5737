// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The memory view shared by proc/meminfo and proc/swaps (all in kB).
 *
 * Memory: "limited" when some level of the cgroup's hierarchy has a limit
 * below the host's MemTotal; then
 *   MemTotal     = min(limit over the cgroup and its ancestors, host MemTotal)
 *   MemFree      = MemTotal - usage (never negative)
 *   MemAvailable = MemFree + active_file + inactive_file + reclaimable slab,
 *                  at most MemTotal
 * Otherwise (no limit anywhere, the root cgroup, no memory controller) the
 * reader is shown the host's own lines: mixing the host's MemTotal with
 * the cgroup's usage would invent a MemFree no kernel reports.
 *
 * Swap (the README's rules): -u shows none.  Without swap accounting a
 * limited view shows none, an unlimited one the host's lines.
 *   v1 swap limit = min(memsw limit) - min(memory limit), usage memsw - memory
 *   v2 swap limit = min(memory.swap.max), usage memory.swap.current
 *   SwapTotal = min(swap limit, host SwapTotal); SwapFree = SwapTotal - used
 *   v1 swappiness 0: no swap unless some is used, then exactly the used.
 * An unlimited view whose swap is not limited below the host's either
 * shows the host's swap lines (and the host's proc/swaps).
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "cleanup.h"
#include "render.h"

/* vm.swappiness when a v1 cgroup has no memory.swappiness file */
#define KERNEL_DEFAULT_SWAPPINESS 60
/* v1 shows "no limit" as PAGE_COUNTER_MAX pages (2^63 - a page): anything
 * from 2^62 up is no limit */
#define V1_NO_LIMIT_FROM (UINT64_C(1) << 62)

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static uint64_t sub0(uint64_t a, uint64_t b)
{
	return a > b ? a - b : 0;
}

uint64_t mem_stat_kb(const char *memstat, bool v2, const char *v1_key, const char *v2_key)
{
	const char *key = v2 ? v2_key : v1_key;
	uint64_t v;

	if (!memstat || !key || cg_kv_get(memstat, key, &v) < 0)
		return 0;
	return v / 1024;
}

struct swap_src {
	uint64_t limit_kb; /* UINT64_MAX: no swap limit */
	uint64_t used_kb;
	uint64_t swappiness;
};

/* The cgroup's swap limit and use; -ENOENT without swap accounting. */
static int swap_source(const struct render_ctx *ctx, bool v2, uint64_t limit, uint64_t usage,
		       struct swap_src *s)
{
	const struct cg_layout *l = &ctx->host->cg;
	const char *path = ctx->tgt->cg.path[CG_MEMORY];
	uint64_t slimit, susage;

	s->swappiness = KERNEL_DEFAULT_SWAPPINESS;
	if (v2) {
		if (cg_min_over_ancestors(l, CG_MEMORY, path, "memory.swap.max", &slimit) < 0 ||
		    cg_read_u64(l, CG_MEMORY, path, "memory.swap.current", &susage) < 0)
			return -ENOENT;
		s->limit_kb = slimit == CG_UNLIMITED ? UINT64_MAX : slimit / 1024;
		s->used_kb = susage / 1024;
		return 0;
	}
	if (cg_read_u64(l, CG_MEMORY, path, "memory.memsw.usage_in_bytes", &susage) < 0 ||
	    cg_min_over_ancestors(l, CG_MEMORY, path, "memory.memsw.limit_in_bytes", &slimit) < 0)
		return -ENOENT;
	if (slimit >= V1_NO_LIMIT_FROM)
		s->limit_kb = UINT64_MAX;
	else
		s->limit_kb = sub0(slimit, limit == CG_UNLIMITED ? slimit : limit) / 1024;
	s->used_kb = sub0(susage, usage) / 1024;
	cg_read_u64(l, CG_MEMORY, path, "memory.swappiness", &s->swappiness);
	return 0;
}

static void mem_swap(const struct render_ctx *ctx, bool v2, uint64_t limit, uint64_t usage,
		     uint64_t host_swap, struct mem_view *mv)
{
	struct swap_src s;
	uint64_t total, used;

	mv->swap_total = mv->swap_free = 0;
	mv->swap_host = false;
	if (ctx->opt->swap_off)
		return;
	if (swap_source(ctx, v2, limit, usage, &s) < 0) {
		mv->swap_host = !mv->limited; /* nothing limits it: the host's */
		return;
	}
	if (!mv->limited && s.limit_kb >= host_swap && s.swappiness != 0) {
		mv->swap_host = true;
		return;
	}
	total = min_u64(s.limit_kb, host_swap);
	if (s.swappiness == 0)
		total = s.used_kb;
	used = min_u64(s.used_kb, total);
	mv->swap_total = total;
	mv->swap_free = total - used;
}

/* The host's own lines: the root cgroup, no memory controller, no limit. */
static void mem_host(const struct render_ctx *ctx, const char *host_meminfo, struct mem_view *mv)
{
	mv->limited = false;
	mv->total = mv->host_total;
	meminfo_get(host_meminfo, "MemFree", &mv->free);
	meminfo_get(host_meminfo, "MemAvailable", &mv->available);
	mv->swap_host = !ctx->opt->swap_off;
}

static void mem_limited(uint64_t limit, uint64_t usage, const char *memstat, struct mem_view *mv)
{
	bool v2 = mv->v2;
	uint64_t cached;

	mv->limited = true;
	mv->total = min_u64(limit / 1024, mv->host_total);
	if (mv->total == 0)
		mv->total = 1; /* a 0-byte limit still never shows MemTotal 0 */
	/* usage and memory.stat are read one after the other: while pages
	 * are added, memory.stat can already count cache that usage did not.
	 * Never show MemFree + Cached + SReclaimable above MemTotal (free(1)
	 * then computes "used" from nothing) */
	cached = mem_stat_kb(memstat, v2, "total_cache", "file") +
		 mem_stat_kb(memstat, v2, NULL, "slab_reclaimable");
	mv->free = sub0(mv->total, usage / 1024 > cached ? usage / 1024 : cached);
	mv->available = mv->free + mem_stat_kb(memstat, v2, "total_active_file", "active_file") +
			mem_stat_kb(memstat, v2, "total_inactive_file", "inactive_file") +
			mem_stat_kb(memstat, v2, NULL, "slab_reclaimable");
	mv->available = min_u64(mv->available, mv->total);
}

int render_mem_view(const struct render_ctx *ctx, const char *host_meminfo, struct mem_view *mv,
		    struct buf *memstat)
{
	const struct cg_layout *l = &ctx->host->cg;
	const char *path = ctx->tgt->cg.path[CG_MEMORY];
	uint64_t host_swap = 0, limit, usage;
	int r;

	memset(mv, 0, sizeof(*mv));
	mv->v2 = l->v2[CG_MEMORY];
	if (meminfo_get(host_meminfo, "MemTotal", &mv->host_total) < 0 || mv->host_total == 0)
		return -EIO;
	meminfo_get(host_meminfo, "SwapTotal", &host_swap);
	if (l->fd[CG_MEMORY] < 0 || !path || strcmp(path, "/") == 0) {
		mem_host(ctx, host_meminfo, mv);
		return 0;
	}
	r = cg_min_over_ancestors(l, CG_MEMORY, path,
				  mv->v2 ? "memory.max" : "memory.limit_in_bytes", &limit);
	if (r < 0)
		return r;
	r = cg_read_u64(l, CG_MEMORY, path, mv->v2 ? "memory.current" : "memory.usage_in_bytes",
			&usage);
	if (r < 0)
		return r;
	if (limit / 1024 >= mv->host_total) {
		mem_host(ctx, host_meminfo, mv);
	} else {
		r = cg_read(l, CG_MEMORY, path, "memory.stat", memstat);
		if (r < 0)
			return r;
		mem_limited(limit, usage, memstat->data, mv);
	}
	mem_swap(ctx, mv->v2, limit, usage, host_swap, mv);
	return 0;
}
