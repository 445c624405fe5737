// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * proc/meminfo: the host's file line by line, with the lines the memory
 * view owns replaced (render_memview.c has the view's rules, doc/FILES.md
 * every line's source).  Key order, columns and the lines nobody accounts
 * per cgroup stay the host's, so every parser of the kernel's file reads
 * ours.
 *
 * Limited view: the memory lines from the cgroup's memory.stat, plus
 *   Mlocked      = min(host Mlocked, the cgroup's Unevictable): the kernel
 *                  counts mlock per zone, not per cgroup, and a mlocked page
 *                  is unevictable;
 *   CommitLimit  = MemTotal * vm.overcommit_ratio / 100 + SwapTotal (the
 *                  kernel's formula on the view; vm.overcommit_kbytes, when
 *                  set, instead of the ratio part, at most MemTotal);
 *   Committed_AS = min(host Committed_AS, anon + shmem + swap used,
 *                  MemTotal + SwapTotal): what the container has touched of
 *                  its commitments, never more than it could hold;
 *   v1 Slab      = memory.kmem.usage_in_bytes (v1 has no slab, stack or page
 *                  table keys), all of it SUnreclaim.
 * Host view (no limit, root cgroup): the host's lines, with only the swap
 * lines (-u, a swap limit: CommitLimit follows SwapTotal) and -z changed.
 * -z: Zswap and Zswapped show 0 in both views.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "fsio.h"
#include "render.h"

/* the kernel's default vm.overcommit_ratio */
#define DEFAULT_OVERCOMMIT_RATIO 50
#define MAX_LINES		 48 /* the limited view sets 36 */

struct line {
	const char *key;
	uint64_t kb;
};

struct lines {
	struct line l[MAX_LINES];
	size_t n;
};

static void set(struct lines *ls, const char *key, uint64_t kb)
{
	if (ls->n < MAX_LINES)
		ls->l[ls->n++] = (struct line){ key, kb };
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static uint64_t host_kb(const char *host, const char *key)
{
	uint64_t v = 0;

	meminfo_get(host, key, &v);
	return v;
}

/* Lines straight from memory.stat: key, v1 key, v2 key (NULL: no source). */
static const struct stat_line {
	const char *key, *v1, *v2;
} stat_lines[] = {
	{ "Cached", "total_cache", "file" },
	{ "SwapCached", "total_swapcached", "swapcached" },
	{ "Active(anon)", "total_active_anon", "active_anon" },
	{ "Inactive(anon)", "total_inactive_anon", "inactive_anon" },
	{ "Active(file)", "total_active_file", "active_file" },
	{ "Inactive(file)", "total_inactive_file", "inactive_file" },
	{ "Unevictable", "total_unevictable", "unevictable" },
	{ "Dirty", "total_dirty", "file_dirty" },
	{ "Writeback", "total_writeback", "file_writeback" },
	{ "AnonPages", "total_rss", "anon" },
	{ "Mapped", "total_mapped_file", "file_mapped" },
	{ "Shmem", "total_shmem", "shmem" },
	{ "KernelStack", NULL, "kernel_stack" },
	{ "PageTables", NULL, "pagetables" },
	{ "SecPageTables", NULL, "sec_pagetables" },
	{ "Percpu", NULL, "percpu" },
	{ "AnonHugePages", "total_rss_huge", "anon_thp" },
	{ "ShmemHugePages", NULL, "shmem_thp" },
	{ "FileHugePages", NULL, "file_thp" },
};

static void set_zswap(const struct render_ctx *ctx, const char *ms, bool v2, struct lines *ls)
{
	bool on = !ctx->opt->zswap_off;

	set(ls, "Zswap", on ? mem_stat_kb(ms, v2, NULL, "zswap") : 0);
	set(ls, "Zswapped", on ? mem_stat_kb(ms, v2, NULL, "zswapped") : 0);
}

/* Slab = SReclaimable + SUnreclaim.  v1 has no slab keys: all of the
 * cgroup's kernel memory, as unreclaimable (0 without kmem accounting). */
static void set_slab(const struct render_ctx *ctx, const char *ms, bool v2, struct lines *ls)
{
	uint64_t rec = 0, unrec = 0;

	if (v2) {
		rec = mem_stat_kb(ms, v2, NULL, "slab_reclaimable");
		unrec = mem_stat_kb(ms, v2, NULL, "slab_unreclaimable");
	} else if (cg_read_u64(&ctx->host->cg, CG_MEMORY, ctx->tgt->cg.path[CG_MEMORY],
			       "memory.kmem.usage_in_bytes", &unrec) == 0) {
		unrec /= 1024;
	} else {
		unrec = 0;
	}
	set(ls, "KReclaimable", rec);
	set(ls, "Slab", rec + unrec);
	set(ls, "SReclaimable", rec);
	set(ls, "SUnreclaim", unrec);
}

/* The part of CommitLimit that RAM gives a machine of total kB. */
static uint64_t commit_ram_kb(const struct host *h, uint64_t total)
{
	uint64_t ratio = DEFAULT_OVERCOMMIT_RATIO, kbytes = 0;
	uint64_t pk = (uint64_t)sysconf(_SC_PAGESIZE) / 1024;

	if (pk == 0)
		pk = 4;
	if (fs_read_u64_beneath(h->proc_fd, "sys/vm/overcommit_kbytes", &kbytes) < 0)
		kbytes = 0;
	if (kbytes)
		return min_u64(kbytes / pk * pk, total);
	if (fs_read_u64_beneath(h->proc_fd, "sys/vm/overcommit_ratio", &ratio) < 0)
		ratio = DEFAULT_OVERCOMMIT_RATIO;
	return total / pk * ratio / 100 * pk; /* in pages, as the kernel counts */
}

static void lines_limited(const struct render_ctx *ctx, const struct mem_view *mv, const char *host,
			  const char *ms, struct lines *ls)
{
	bool v2 = mv->v2;
	uint64_t aa, ia, af, inf, swap_used, committed;

	aa = mem_stat_kb(ms, v2, "total_active_anon", "active_anon");
	ia = mem_stat_kb(ms, v2, "total_inactive_anon", "inactive_anon");
	af = mem_stat_kb(ms, v2, "total_active_file", "active_file");
	inf = mem_stat_kb(ms, v2, "total_inactive_file", "inactive_file");
	set(ls, "MemTotal", mv->total);
	set(ls, "MemFree", mv->free);
	set(ls, "MemAvailable", mv->available);
	set(ls, "Buffers", 0);
	set(ls, "Active", aa + af);
	set(ls, "Inactive", ia + inf);
	for (size_t i = 0; i < ARRAY_SIZE(stat_lines); i++)
		set(ls, stat_lines[i].key, mem_stat_kb(ms, v2, stat_lines[i].v1, stat_lines[i].v2));
	set(ls, "Mlocked",
	    min_u64(host_kb(host, "Mlocked"),
		    mem_stat_kb(ms, v2, "total_unevictable", "unevictable")));
	set_zswap(ctx, ms, v2, ls);
	set_slab(ctx, ms, v2, ls);
	set(ls, "SwapTotal", mv->swap_total);
	set(ls, "SwapFree", mv->swap_free);
	set(ls, "CommitLimit", commit_ram_kb(ctx->host, mv->total) + mv->swap_total);
	swap_used = mv->swap_total - mv->swap_free;
	committed = mem_stat_kb(ms, v2, "total_rss", "anon") +
		    mem_stat_kb(ms, v2, "total_shmem", "shmem") + swap_used;
	committed = min_u64(committed, host_kb(host, "Committed_AS"));
	set(ls, "Committed_AS", min_u64(committed, mv->total + mv->swap_total));
}

static void lines_host(const struct render_ctx *ctx, const struct mem_view *mv, const char *host,
		       struct lines *ls)
{
	if (!mv->swap_host) {
		uint64_t ram = host_kb(host, "CommitLimit"), swap = host_kb(host, "SwapTotal");

		set(ls, "SwapTotal", mv->swap_total);
		set(ls, "SwapFree", mv->swap_free);
		set(ls, "CommitLimit", (ram > swap ? ram - swap : 0) + mv->swap_total);
	}
	if (ctx->opt->zswap_off)
		set_zswap(ctx, NULL, mv->v2, ls);
}

/* The kernel prints "Key:" padded to 16 columns, the value in 8, " kB". */
static void put_line(struct buf *out, const char *key, uint64_t kb)
{
	char k[64];

	snprintf(k, sizeof(k), "%s:", key);
	buf_printf(out, "%-15s %8llu kB\n", k, (unsigned long long)kb);
}

static const struct line *find(const struct lines *ls, const char *p, size_t klen)
{
	for (size_t i = 0; i < ls->n; i++)
		if (strlen(ls->l[i].key) == klen && strncmp(ls->l[i].key, p, klen) == 0)
			return &ls->l[i];
	return NULL;
}

int render_meminfo(const struct render_ctx *ctx, struct buf *out)
{
	_cleanup_buf_ struct buf host = BUF_INIT(1 << 20);
	_cleanup_buf_ struct buf memstat = BUF_INIT(1 << 20);
	struct mem_view mv;
	struct lines ls = { .n = 0 };
	int r;

	r = host_read_proc(ctx->host, "meminfo", &host);
	if (r < 0)
		return r;
	r = render_mem_view(ctx, host.data, &mv, &memstat);
	if (r < 0)
		return r;
	if (mv.limited)
		lines_limited(ctx, &mv, host.data, memstat.data ? memstat.data : "", &ls);
	else
		lines_host(ctx, &mv, host.data, &ls);
	for (const char *p = host.data; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p + 1) : strlen(p);
		const char *colon = memchr(p, ':', len);
		const struct line *hit = colon ? find(&ls, p, (size_t)(colon - p)) : NULL;

		if (hit)
			put_line(out, hit->key, hit->kb);
		else
			buf_append(out, p, len);
		p += len;
	}
	return out->err;
}
