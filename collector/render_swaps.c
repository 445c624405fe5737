// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * proc/swaps, from the memory view shared with meminfo:
 *
 *   the view's swap lines are the host's (no memory or swap limit
 *   applies, swap not hidden with -u): the host's file;
 *   swap hidden, or the target has no swap: the header only;
 *   else one line for a device "none" of type "virtual", sized as the
 *   target's SwapTotal, used SwapTotal - SwapFree, priority 0.
 *
 * Columns as mm/swapfile.c swap_show() prints them:
 *   "%*s%s\t%lu\t%s%lu\t%s%d\n" after the name, the pad being 40 - len
 *   spaces (at least 1), and one more tab after the size and after the
 *   used count when they are below 10000000.  Like the kernel's "file\t",
 *   our type name shorter than a tab stop carries a tab of its own so the
 *   numbers stay under the header's "Size" and "Used".
 */
#include "config.h"

#include <inttypes.h>
#include <string.h>

#include "cleanup.h"
#include "render.h"

static const char swaps_header[] = "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n";

static void put_swap_line(struct buf *out, const char *name, const char *type, uint64_t size_kb,
			  uint64_t used_kb, int prio)
{
	size_t len = strlen(name);
	int pad = len < 40 ? (int)(40 - len) : 1;

	buf_printf(out, "%s%*s%s\t%" PRIu64 "\t%s%" PRIu64 "\t%s%d\n", name, pad, " ", type,
		   size_kb, size_kb < 10000000 ? "\t" : "", used_kb, used_kb < 10000000 ? "\t" : "",
		   prio);
}

int render_swaps(const struct render_ctx *ctx, struct buf *out)
{
	_cleanup_buf_ struct buf meminfo = BUF_INIT(1 << 20);
	_cleanup_buf_ struct buf memstat = BUF_INIT(1 << 20);
	struct mem_view mv;
	int r;

	r = host_read_proc(ctx->host, "meminfo", &meminfo);
	if (r < 0)
		return r;
	r = render_mem_view(ctx, meminfo.data, &mv, &memstat);
	if (r < 0)
		return r;
	if (mv.swap_host)
		return host_read_proc(ctx->host, "swaps", out);
	buf_puts(out, swaps_header);
	if (mv.swap_total > 0)
		put_swap_line(out, "none", "virtual\t", mv.swap_total,
			      mv.swap_total > mv.swap_free ? mv.swap_total - mv.swap_free : 0, 0);
	return out->err;
}
