// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * sys/devices/system/cpu/{online,possible,present,offline}.
 *
 * online, possible and present all list the CPUs the target may use
 * (render_visible_cpus(), so with --enable-cfs only ceil(quota/period) of
 * them), in the view's numbering (render_cpu_shown()) and the kernel's
 * list format ("0-3,8\n").  offline is what the kernel prints when no CPU
 * is offline, a lone "\n": the container's view has none.
 */
#include "config.h"

#include "render.h"

int render_cpu_online(const struct render_ctx *ctx, struct buf *out)
{
	struct cpuset vis, shown;
	int r;

	r = render_visible_cpus(ctx, &vis);
	if (r < 0)
		return r;
	render_cpus_shown(ctx, &vis, &vis, &shown);
	cpuset_format(&shown, out);
	buf_puts(out, "\n");
	return out->err;
}

int render_cpu_offline(const struct render_ctx *ctx, struct buf *out)
{
	buf_puts(out, "\n");
	return out->err;
}
