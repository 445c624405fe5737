// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * proc/meminfo: the host's file, with the lines a cgroup accounts for
 * replaced by the target's values.  The shared memory view (also used by
 * proc/swaps) lives here too.
 *
 *   MemTotal     = min(limit over the cgroup and its ancestors, host MemTotal)
 *   MemFree      = MemTotal - usage (never negative)
 *   MemAvailable = MemFree + active_file + inactive_file + reclaimable slab
 *   swap (see the README's rules): none without swap accounting or with -u;
 *   v1 SwapTotal = min(memsw limit - memory limit, host SwapTotal);
 *   v2 SwapTotal = min(memory.swap.max, host SwapTotal);
 *   v1 swappiness 0: no swap unless some is used, then exactly the used.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
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

/* memory.stat key of v1 (hierarchical) and v2 */
struct stat_key {
	const char *v1, *v2;
};

static uint64_t stat_kb(const char *memstat, bool v2, struct stat_key k)
{
	const char *key = v2 ? k.v2 : k.v1;
	uint64_t v;

	if (!key || cg_kv_get(memstat, key, &v) < 0)
		return 0;
	return v / 1024;
}

static void mem_swap(const struct render_ctx *ctx, bool v2, uint64_t limit, uint64_t usage,
		     uint64_t host_swap, struct mem_view *mv)
{
	const struct cg_layout *l = &ctx->host->cg;
	const char *path = ctx->tgt->cg.path[CG_MEMORY];
	uint64_t slimit, susage, swappiness = KERNEL_DEFAULT_SWAPPINESS, total, used;

	mv->swap_total = mv->swap_free = 0;
	if (ctx->opt->swap_off || host_swap == 0)
		return;
	if (v2) {
		if (cg_min_over_ancestors(l, CG_MEMORY, path, "memory.swap.max", &slimit) < 0 ||
		    cg_read_u64(l, CG_MEMORY, path, "memory.swap.current", &susage) < 0)
			return; /* no swap accounting */
		total = slimit == CG_UNLIMITED ? host_swap : min_u64(slimit / 1024, host_swap);
		used = susage / 1024;
	} else {
		uint64_t mswlimit, mswusage;

		if (cg_read_u64(l, CG_MEMORY, path, "memory.memsw.usage_in_bytes", &mswusage) < 0 ||
		    cg_min_over_ancestors(l, CG_MEMORY, path, "memory.memsw.limit_in_bytes",
					  &mswlimit) < 0)
			return; /* no swap accounting */
		if (mswlimit >= V1_NO_LIMIT_FROM)
			total = host_swap;
		else
			total =
			    min_u64(sub0(mswlimit, limit == CG_UNLIMITED ? mswlimit : limit) / 1024,
				    host_swap);
		used = sub0(mswusage, usage) / 1024;
		cg_read_u64(l, CG_MEMORY, path, "memory.swappiness", &swappiness);
		if (swappiness == 0)
			total = used;
	}
	used = min_u64(used, total);
	mv->swap_total = total;
	mv->swap_free = total - used;
}

int render_mem_view(const struct render_ctx *ctx, const char *host_meminfo, struct mem_view *mv,
		    struct buf *memstat)
{
	const struct cg_layout *l = &ctx->host->cg;
	const char *path = ctx->tgt->cg.path[CG_MEMORY];
	bool v2 = l->v2[CG_MEMORY];
	uint64_t host_total, host_swap = 0, host_swap_free = 0, limit, usage;
	int r;

	memset(mv, 0, sizeof(*mv));
	if (meminfo_get(host_meminfo, "MemTotal", &host_total) < 0 || host_total == 0)
		return -EIO;
	meminfo_get(host_meminfo, "SwapTotal", &host_swap);
	meminfo_get(host_meminfo, "SwapFree", &host_swap_free);
	if (l->fd[CG_MEMORY] < 0 || !path || strcmp(path, "/") == 0) {
		/* the root cgroup, or no memory controller: the host's view */
		mv->limited = false;
		mv->total = host_total;
		meminfo_get(host_meminfo, "MemFree", &mv->free);
		meminfo_get(host_meminfo, "MemAvailable", &mv->available);
		mv->swap_total = ctx->opt->swap_off ? 0 : host_swap;
		mv->swap_free = ctx->opt->swap_off ? 0 : host_swap_free;
		return 0;
	}
	r = cg_min_over_ancestors(l, CG_MEMORY, path, v2 ? "memory.max" : "memory.limit_in_bytes",
				  &limit);
	if (r < 0)
		return r;
	r = cg_read_u64(l, CG_MEMORY, path, v2 ? "memory.current" : "memory.usage_in_bytes",
			&usage);
	if (r < 0)
		return r;
	r = cg_read(l, CG_MEMORY, path, "memory.stat", memstat);
	if (r < 0)
		return r;
	mv->limited = true;
	mv->total = limit == CG_UNLIMITED ? host_total : min_u64(limit / 1024, host_total);
	if (mv->total == 0)
		mv->total = 1; /* a 0-byte limit still never shows MemTotal 0 */
	mv->free = sub0(mv->total, usage / 1024);
	mv->available =
	    mv->free +
	    stat_kb(memstat->data, v2, (struct stat_key){ "total_active_file", "active_file" }) +
	    stat_kb(memstat->data, v2,
		    (struct stat_key){ "total_inactive_file", "inactive_file" }) +
	    stat_kb(memstat->data, v2, (struct stat_key){ NULL, "slab_reclaimable" });
	mv->available = min_u64(mv->available, mv->total);
	mem_swap(ctx, v2, limit, usage, host_swap, mv);
	return 0;
}

enum field_kind {
	F_STAT,
	F_ZERO,
	F_TOTAL,
	F_FREE,
	F_AVAIL,
	F_SWAP_TOTAL,
	F_SWAP_FREE,
	F_ACTIVE,
	F_INACTIVE
};

static const struct field {
	const char *key;
	enum field_kind kind;
	struct stat_key stat;
} fields[] = {
	{ "MemTotal", F_TOTAL, { 0 } },
	{ "MemFree", F_FREE, { 0 } },
	{ "MemAvailable", F_AVAIL, { 0 } },
	{ "Buffers", F_ZERO, { 0 } },
	{ "Cached", F_STAT, { "total_cache", "file" } },
	{ "SwapCached", F_STAT, { "total_swapcached", "swapcached" } },
	{ "Active", F_ACTIVE, { 0 } },
	{ "Inactive", F_INACTIVE, { 0 } },
	{ "Active(anon)", F_STAT, { "total_active_anon", "active_anon" } },
	{ "Inactive(anon)", F_STAT, { "total_inactive_anon", "inactive_anon" } },
	{ "Active(file)", F_STAT, { "total_active_file", "active_file" } },
	{ "Inactive(file)", F_STAT, { "total_inactive_file", "inactive_file" } },
	{ "Unevictable", F_STAT, { "total_unevictable", "unevictable" } },
	{ "SwapTotal", F_SWAP_TOTAL, { 0 } },
	{ "SwapFree", F_SWAP_FREE, { 0 } },
	{ "Zswap", F_STAT, { NULL, "zswap" } },
	{ "Zswapped", F_STAT, { NULL, "zswapped" } },
	{ "Dirty", F_STAT, { "total_dirty", "file_dirty" } },
	{ "Writeback", F_STAT, { "total_writeback", "file_writeback" } },
	{ "AnonPages", F_STAT, { "total_rss", "anon" } },
	{ "Mapped", F_STAT, { "total_mapped_file", "file_mapped" } },
	{ "Shmem", F_STAT, { "total_shmem", "shmem" } },
	{ "KReclaimable", F_STAT, { NULL, "slab_reclaimable" } },
	{ "Slab", F_STAT, { NULL, "slab" } },
	{ "SReclaimable", F_STAT, { NULL, "slab_reclaimable" } },
	{ "SUnreclaim", F_STAT, { NULL, "slab_unreclaimable" } },
	{ "KernelStack", F_STAT, { NULL, "kernel_stack" } },
	{ "PageTables", F_STAT, { NULL, "pagetables" } },
	{ "SecPageTables", F_STAT, { NULL, "sec_pagetables" } },
	{ "Percpu", F_STAT, { NULL, "percpu" } },
	{ "AnonHugePages", F_STAT, { "total_rss_huge", "anon_thp" } },
	{ "ShmemHugePages", F_STAT, { NULL, "shmem_thp" } },
	{ "FileHugePages", F_STAT, { NULL, "file_thp" } },
};

static bool field_value(const struct field *f, const struct mem_view *mv, const char *memstat,
			bool v2, uint64_t *v)
{
	struct stat_key aa = { "total_active_anon", "active_anon" },
			af = { "total_active_file", "active_file" };
	struct stat_key ia = { "total_inactive_anon", "inactive_anon" },
			inf = { "total_inactive_file", "inactive_file" };

	switch (f->kind) {
	case F_TOTAL: *v = mv->total; return true;
	case F_FREE: *v = mv->free; return true;
	case F_AVAIL: *v = mv->available; return true;
	case F_SWAP_TOTAL: *v = mv->swap_total; return true;
	case F_SWAP_FREE: *v = mv->swap_free; return true;
	case F_ZERO: *v = 0; return true;
	case F_ACTIVE: *v = stat_kb(memstat, v2, aa) + stat_kb(memstat, v2, af); return true;
	case F_INACTIVE: *v = stat_kb(memstat, v2, ia) + stat_kb(memstat, v2, inf); return true;
	case F_STAT: *v = stat_kb(memstat, v2, f->stat); return true;
	}
	return false;
}

/* The kernel prints "Key:" padded to 16 columns, the value in 8, " kB". */
static void put_line(struct buf *out, const char *key, size_t keylen, uint64_t kb)
{
	char k[64];

	snprintf(k, sizeof(k), "%.*s:", (int)keylen, key);
	buf_printf(out, "%-15s %8llu kB\n", k, (unsigned long long)kb);
}

int render_meminfo(const struct render_ctx *ctx, struct buf *out)
{
	_cleanup_buf_ struct buf host = BUF_INIT(1 << 20);
	_cleanup_buf_ struct buf memstat = BUF_INIT(1 << 20);
	struct mem_view mv;
	bool v2 = ctx->host->cg.v2[CG_MEMORY];
	int r;

	r = host_read_proc(ctx->host, "meminfo", &host);
	if (r < 0)
		return r;
	r = render_mem_view(ctx, host.data, &mv, &memstat);
	if (r < 0)
		return r;
	for (const char *p = host.data; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p + 1) : strlen(p);
		const char *colon = memchr(p, ':', len);
		bool done = false;

		if (colon && (mv.limited || ctx->opt->swap_off)) {
			size_t klen = (size_t)(colon - p);

			for (size_t i = 0; i < ARRAY_SIZE(fields) && !done; i++) {
				uint64_t v;

				if (strlen(fields[i].key) != klen ||
				    strncmp(fields[i].key, p, klen) != 0)
					continue;
				if (!mv.limited && fields[i].kind != F_SWAP_TOTAL &&
				    fields[i].kind != F_SWAP_FREE)
					break;
				if (field_value(&fields[i], &mv, memstat.data ? memstat.data : "",
						v2, &v)) {
					put_line(out, p, klen, v);
					done = true;
				}
			}
		}
		if (!done)
			buf_append(out, p, len);
		p += len;
	}
	return out->err;
}
