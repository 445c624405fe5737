// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * proc/pressure/{cpu,io,memory}: the container's cgroup2 pressure file
 * (cpu.pressure, io.pressure, memory.pressure) as the kernel prints it,
 * "some avg10=0.00 avg60=0.00 avg300=0.00 total=0" and, for io and
 * memory always and for cpu since 5.13, the same "full" line.
 *
 * The cgroup is the container's one in the unified tree: on pure v2 hosts
 * its normal cgroup, on hybrid hosts the one in /sys/fs/cgroup/unified
 * (PSI is live there without any controller).
 *
 *   the container's unified cgroup is the root: the host's /proc/pressure
 *     file (the root's PSI is the system's; old kernels have no pressure
 *     files in the root cgroup);
 *   else the cgroup's file, never the host's: a container that has its
 *     own pressure must not be shown the machine's;
 *   no unified tree, or no pressure file in the cgroup (PSI off for it,
 *     cgroup.pressure 0, or a kernel without cgroup PSI): EOPNOTSUPP,
 *     what the kernel's own /proc/pressure returns without PSI, and what
 *     PSI consumers (systemd-oomd, agents) take for "no PSI here".
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cleanup.h"
#include "fsio.h"
#include "render.h"

int pressure_source(const struct host *h, const struct target *t, int *dfd)
{
	const struct cg_layout *l = &h->cg;
	const char *path = t->cg.path[CG_UNIFIED];

	*dfd = -1;
	if (l->fd[CG_UNIFIED] < 0 || !path)
		return -EOPNOTSUPP;
	/* the root of the host's tree (not that of a cgroup namespace's) */
	if (strcmp(path, "/") == 0 && strcmp(l->root[CG_UNIFIED], "/") == 0)
		return 0;
	*dfd = cg_open_dir(l, CG_UNIFIED, path);
	return *dfd < 0 ? *dfd : 0; /* an error: the cgroup itself is gone */
}

int pressure_read(const struct host *h, int dfd, const char *resource, struct buf *out)
{
	char name[32];
	int r;

	if (dfd < 0) {
		snprintf(name, sizeof(name), "pressure/%s", resource);
		return host_read_proc(h, name, out);
	}
	snprintf(name, sizeof(name), "%s.pressure", resource);
	r = fs_read_beneath(dfd, name, out);
	return r == -ENOENT ? -EOPNOTSUPP : r;
}

static int render_pressure(const struct render_ctx *ctx, const char *resource, struct buf *out)
{
	_cleanup_close_ int dfd = -1;
	int r = pressure_source(ctx->host, ctx->tgt, &dfd);

	return r < 0 ? r : pressure_read(ctx->host, dfd, resource, out);
}

int render_pressure_cpu(const struct render_ctx *ctx, struct buf *out)
{
	return render_pressure(ctx, "cpu", out);
}

int render_pressure_io(const struct render_ctx *ctx, struct buf *out)
{
	return render_pressure(ctx, "io", out);
}

int render_pressure_memory(const struct render_ctx *ctx, struct buf *out)
{
	return render_pressure(ctx, "memory", out);
}
