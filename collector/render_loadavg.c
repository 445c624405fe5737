// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * proc/loadavg: "<1 min> <5 min> <15 min> <running>/<total> <last pid>\n",
 * the kernel's format (fs/proc/loadavg.c).
 *
 * Without -l, or without a cpu, cpuacct or unified hierarchy: the host's
 * file (what LXCFS shows without -l).
 * With -l the container's numbers, kept by the sampler (loadavg.c); this
 * file only formats them, as the kernel does: each average plus
 * FIXED_1/200 (rounding to 1/100), then its integer part and two decimals.
 * A container whose cgroup is the hierarchy's root is the whole host: the
 * host's file, whose numbers are exactly the root's; for a reader in
 * another pid namespace than the host's, the last pid (the host's) is
 * replaced by 1, its init, the one pid of its namespace known without
 * looking at every task of the host.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "cleanup.h"
#include "loadavg.h"
#include "render.h"

#define LOAD_INT(x)  ((x) >> LOADAVG_FSHIFT)
#define LOAD_FRAC(x) LOAD_INT(((x) & (LOADAVG_FIXED_1 - 1)) * 100)

int render_loadavg_format(const struct loadavg_view *v, struct buf *out)
{
	for (int i = 0; i < 3; i++) {
		uint64_t a = v->avenrun[i] + LOADAVG_FIXED_1 / 200;

		buf_printf(out, "%" PRIu64 ".%02" PRIu64 " ", LOAD_INT(a), LOAD_FRAC(a));
	}
	buf_printf(out, "%u/%u %d\n", v->running, v->total, (int)v->last_pid);
	return out->err;
}

/* The host's file; with its last field replaced by 1 for a container. */
static int root_cgroup(const struct render_ctx *ctx, struct buf *out)
{
	_cleanup_buf_ struct buf host = BUF_INIT(4096);
	const char *sp;
	int r;

	r = host_read_proc(ctx->host, "loadavg", &host);
	if (r < 0)
		return r;
	if (ctx->tgt->host_ns) {
		buf_append(out, host.data, host.len);
		return out->err;
	}
	sp = strrchr(host.data, ' ');
	if (!sp)
		return -EIO;
	buf_append(out, host.data, (size_t)(sp - host.data));
	buf_puts(out, " 1\n");
	return out->err;
}

int render_loadavg(const struct render_ctx *ctx, struct buf *out)
{
	struct loadavg_view v;
	enum cg_ctl ctl;
	const char *path;
	int r;

	if (!ctx->opt->loadavg || !ctx->loadavg ||
	    loadavg_cgroup(ctx->host, ctx->tgt, &ctl, &path) < 0)
		return render_host_proc(ctx, "loadavg", out);
	if (strcmp(path, "/") == 0)
		return root_cgroup(ctx, out);
	r = loadavg_read(ctx->loadavg, ctx->tgt, &v);
	if (r < 0)
		return r;
	return render_loadavg_format(&v, out);
}
