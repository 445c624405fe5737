// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * proc/slabinfo: only the two header lines the kernel prints, no caches.
 *
 * The host's slabinfo is readable by root only (mode 0400) and describes
 * the whole machine's kernel allocations: showing it inside a container
 * would leak host-private data (and address-layout hints), and no cgroup
 * accounts slab caches per container in this format.  The header keeps
 * tools that parse the file (slabtop, monitoring agents) working: they
 * see a valid, empty version 2.1 table.
 */
#include "config.h"

#include "render.h"

/* As mm/slab_common.c print_slabinfo_header() prints it. */
static const char slabinfo_header[] =
    "slabinfo - version: 2.1\n"
    "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>"
    " : tunables <limit> <batchcount> <sharedfactor>"
    " : slabdata <active_slabs> <num_slabs> <sharedavail>\n";

int render_slabinfo(const struct render_ctx *ctx, struct buf *out)
{
	buf_puts(out, slabinfo_header);
	return out->err;
}
