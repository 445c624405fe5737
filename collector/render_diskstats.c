// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * proc/diskstats: the host's devices (major, minor, name, in the host's
 * order), each with the counters of the container's own cgroup (blkio.c),
 * never the host's lifetime counters.
 *
 *   v2 io.stat: rios, wios, dios -> reads, writes, discards completed;
 *     rbytes, wbytes, dbytes / 512 -> sectors.
 *   v1: blkio.bfq.* for a device under bfq (with CONFIG_BFQ_CGROUP_DEBUG
 *     also merges and times), else blkio.throttle.* (counting only on a
 *     device some cgroup has a throttle rule for).
 *   Fields without a per-cgroup source (merges and times on v2 and
 *   throttle, in flight, io_ticks, flushes), and every field of a device
 *   no file names: 0.
 *
 * Lines as block/genhd.c diskstats_show() prints them, "%4d %7d %s" and
 * then as many numbers as the host's line has (11, 15 or 17: kernels
 * before 4.18, before 5.5, since), time fields as the kernel's 32-bit %u
 * of milliseconds, the weighted time the sum of the four time fields.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "blkio.h"
#include "cleanup.h"
#include "fsio.h"
#include "render.h"

#define SECTOR_SHIFT  9
#define NSEC_PER_MSEC 1000000u

enum unit { U_COUNT, U_SECTORS, U_MS, U_QUEUE };

/* How a counter is printed; the rest are counts (%lu in the kernel). */
static const enum unit unit_of[BLKIO_NFIELDS] = {
	[BLKIO_READ_BYTES] = U_SECTORS,	   [BLKIO_WRITE_BYTES] = U_SECTORS,
	[BLKIO_DISCARD_BYTES] = U_SECTORS, [BLKIO_READ_NS] = U_MS,
	[BLKIO_WRITE_NS] = U_MS,	   [BLKIO_DISCARD_NS] = U_MS,
	[BLKIO_FLUSH_NS] = U_MS,	   [BLKIO_IO_NS] = U_MS,
	[BLKIO_QUEUE_NS] = U_QUEUE,
};

static uint64_t shown(const struct blkio_dev *d, unsigned i)
{
	if (!d || i >= BLKIO_NFIELDS)
		return 0;
	switch (unit_of[i]) {
	case U_SECTORS: return d->f[i] >> SECTOR_SHIFT;
	case U_MS: return (uint32_t)(d->f[i] / NSEC_PER_MSEC);
	case U_QUEUE:
		return (uint32_t)((d->f[BLKIO_READ_NS] + d->f[BLKIO_WRITE_NS] +
				   d->f[BLKIO_DISCARD_NS] + d->f[BLKIO_FLUSH_NS]) /
				  NSEC_PER_MSEC);
	default: return d->f[i];
	}
}

int diskstats_line_parse(const char *line, struct diskstats_line *dl)
{
	const char *p = line;
	int n = 0;

	if (sscanf(line, "%u %u %n", &dl->major, &dl->minor, &n) != 2 || n == 0)
		return -EIO;
	p += n;
	dl->name = p;
	dl->name_len = strcspn(p, " \n");
	if (!dl->name_len)
		return -EIO;
	p += dl->name_len;
	for (dl->nfields = 0; *p == ' ';) {
		p += strspn(p, " ");
		if (*p < '0' || *p > '9')
			return -EIO;
		p += strspn(p, "0123456789");
		dl->nfields++;
	}
	return *p == '\n' || *p == '\0' ? 0 : -EIO;
}

int render_diskstats(const struct render_ctx *ctx, struct buf *out)
{
	_cleanup_buf_ struct buf host = BUF_INIT(FS_READ_MAX);
	_cleanup_(blkio_counters_free) struct blkio_counters io = { 0 };
	int r;

	r = host_read_proc(ctx->host, "diskstats", &host);
	if (r < 0)
		return r;
	r = blkio_read(&ctx->host->cg, ctx->tgt->cg.path[CG_BLKIO], &io);
	if (r < 0)
		return r; /* the cgroup itself is gone */
	for (const char *p = host.data; *p; p += strcspn(p, "\n"), p += *p == '\n') {
		struct diskstats_line dl;
		const struct blkio_dev *d;

		if (diskstats_line_parse(p, &dl) < 0)
			return -EIO;
		d = blkio_find(&io, dl.major, dl.minor);
		buf_printf(out, "%4u %7u %.*s", dl.major, dl.minor, (int)dl.name_len, dl.name);
		for (unsigned i = 0; i < dl.nfields; i++)
			buf_printf(out, " %" PRIu64, shown(d, i));
		buf_puts(out, "\n");
	}
	return out->err;
}
