// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * proc/uptime: "<uptime> <idle>\n" in seconds with centiseconds.
 *
 * A reader in the host's pid namespace gets the host's file.  Otherwise
 * the uptime is the age of the container's init:
 *   host uptime - start time of the init (field 22 of /proc/PID/stat,
 *   clock ticks since boot), never below 0;
 * and the idle time what the visible CPUs did not spend on the cgroup:
 *   age * visible CPUs - CPU usage of the cgroup (v1 cpuacct.usage in ns,
 *   v2 cpu.stat usage_usec), never below 0; age * visible CPUs when the
 *   usage cannot be read.
 * All arithmetic is in centiseconds, the unit the kernel prints.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "render.h"

#define STAT_STARTTIME 22 /* field number in proc/PID/stat (1-based) */

/* "1234.56 ..." -> 123456 */
static int parse_uptime_cs(const char *s, uint64_t *cs)
{
	uint64_t sec, frac = 0;
	char *end;

	errno = 0;
	sec = strtoull(s, &end, 10);
	if (errno || end == s || *s == '-')
		return -EIO;
	if (*end == '.') {
		for (int i = 0; i < 2; i++) {
			end++;
			if (*end < '0' || *end > '9')
				return -EIO;
			frac = frac * 10 + (uint64_t)(*end - '0');
		}
	}
	*cs = sec * 100 + frac;
	return 0;
}

/* Start time of a process in clock ticks.  The fields after comm are
 * counted from the LAST ')': comm may hold spaces and parentheses. */
static int start_ticks(const struct host *h, pid_t pid, uint64_t *ticks)
{
	_cleanup_buf_ struct buf b = BUF_INIT(4096);
	char name[32];
	const char *p;
	char *end;
	int r;

	if (pid <= 0)
		return -EINVAL;
	snprintf(name, sizeof(name), "%d/stat", (int)pid);
	r = host_read_proc(h, name, &b);
	if (r < 0)
		return r;
	p = strrchr(b.data, ')');
	if (!p)
		return -EIO;
	p++;
	/* p is before field 3; skip fields 3 .. STAT_STARTTIME - 1 */
	for (int field = 3; field < STAT_STARTTIME; field++) {
		p += strspn(p, " ");
		p += strcspn(p, " \n");
	}
	p += strspn(p, " ");
	errno = 0;
	*ticks = strtoull(p, &end, 10);
	if (errno || end == p || (*end != ' ' && *end != '\n' && *end))
		return -EIO;
	return 0;
}

/* CPU time the target's cgroup used, in centiseconds. */
static int cg_usage_cs(const struct render_ctx *ctx, uint64_t *cs)
{
	const struct cg_layout *l = &ctx->host->cg;
	const char *path = ctx->tgt->cg.path[CG_CPUACCT];
	_cleanup_buf_ struct buf b = BUF_INIT(64 * 1024);
	uint64_t v;
	int r;

	if (!path || l->fd[CG_CPUACCT] < 0)
		return -ENOENT;
	if (!l->v2[CG_CPUACCT]) {
		r = cg_read_u64(l, CG_CPUACCT, path, "cpuacct.usage", &v);
		if (r < 0)
			return r;
		*cs = v / 10000000; /* ns */
		return 0;
	}
	r = cg_read(l, CG_CPUACCT, path, "cpu.stat", &b);
	if (r < 0)
		return r;
	r = cg_kv_get(b.data, "usage_usec", &v);
	if (r < 0)
		return r;
	*cs = v / 10000; /* us */
	return 0;
}

int render_uptime(const struct render_ctx *ctx, struct buf *out)
{
	_cleanup_buf_ struct buf host = BUF_INIT(4096);
	uint64_t up_cs = 0, ticks = 0, used_cs = 0, start_cs, age_cs, idle_cs;
	long hz = sysconf(_SC_CLK_TCK);
	struct cpuset vis;
	int r;

	r = host_read_proc(ctx->host, "uptime", &host);
	if (r < 0)
		return r;
	if (ctx->tgt->host_ns) {
		buf_append(out, host.data, host.len);
		return out->err;
	}
	if (parse_uptime_cs(host.data, &up_cs) < 0)
		return -EIO;
	if (hz <= 0)
		return -EIO;
	r = start_ticks(ctx->host, ctx->tgt->init_pid, &ticks);
	if (r < 0)
		return r;
	r = render_visible_cpus(ctx, &vis);
	if (r < 0)
		return r;
	start_cs = ticks / (uint64_t)hz * 100 + ticks % (uint64_t)hz * 100 / (uint64_t)hz;
	age_cs = up_cs > start_cs ? up_cs - start_cs : 0;
	idle_cs = age_cs * cpuset_count(&vis);
	if (cg_usage_cs(ctx, &used_cs) == 0)
		idle_cs = idle_cs > used_cs ? idle_cs - used_cs : 0;
	buf_printf(out, "%" PRIu64 ".%02" PRIu64 " %" PRIu64 ".%02" PRIu64 "\n", age_cs / 100,
		   age_cs % 100, idle_cs / 100, idle_cs % 100);
	return out->err;
}
