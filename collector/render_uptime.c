// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * proc/uptime: "<uptime> <idle>\n" in seconds with centiseconds.
 *
 * A reader in the host's pid namespace gets the host's file.  Otherwise
 * both numbers come from the container's CPU view (cpuview.c), the one
 * proc/stat shows:
 *   uptime  the age of the container's init when its counter state was
 *           made, then advancing with the host's clock: it never goes
 *           backwards, also when a new init takes over the cgroup;
 *   idle    stat's total idle (USER_HZ ticks) in centiseconds: the
 *           visible CPUs' wall time that the cgroup did not use, never
 *           backwards and never above uptime x visible CPUs (but for the
 *           read right after the cpuset shrank: idle then holds still
 *           until uptime x CPUs has caught up with it).
 * Without counter state: the init's age, and age x visible CPUs - the
 * cgroup's CPU time, never below 0.
 */
#include "config.h"

#include <inttypes.h>

#include "cleanup.h"
#include "cpuview.h"
#include "render.h"

int render_uptime(const struct render_ctx *ctx, struct buf *out)
{
	struct cpu_view cv;
	uint64_t idle_cs;
	int r;

	if (ctx->tgt->host_ns)
		return host_read_proc(ctx->host, "uptime", out);
	r = cpu_view_get(ctx, false, NULL, &cv);
	if (r < 0)
		return r;
	idle_cs = (uint64_t)((unsigned __int128)cv.v.total[CS_IDLE] * 100 / cv.hz);
	buf_printf(out, "%" PRIu64 ".%02" PRIu64 " %" PRIu64 ".%02" PRIu64 "\n", cv.v.up_cs / 100,
		   cv.v.up_cs % 100, idle_cs / 100, idle_cs % 100);
	cpu_view_free(&cv);
	return out->err;
}
