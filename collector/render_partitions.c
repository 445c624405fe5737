// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * proc/partitions: the host's lines for the devices the container's
 * proc/diskstats shows, in the host's order.  diskstats shows every
 * device of the host's diskstats (with the container's counters), so
 * this is every host partition whose device is there: the names and
 * sizes a container sees in /sys/block and /sys/class/block anyway, and
 * what tools that pair the two files need (iostat -p and sar -d name
 * partitions from one and count them from the other, lsblk and
 * util-linux's partition probing read this one).  A line the host's
 * diskstats does not name (a hidden device) is left out, so the two
 * files never disagree.
 *
 * Format as block/genhd.c show_partition() prints it: the header
 * "major minor  #blocks  name" and an empty line, then "%4d  %7d %10llu
 * %s" per device, #blocks in KiB.  A kernel without any block device
 * prints nothing, not even the header: so does an empty host file here.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "fsio.h"
#include "render.h"

#define DEVICES_MAX (1u << 20) /* device lines of one host diskstats */

static const char partitions_header[] = "major minor  #blocks  name\n\n";

static uint64_t dev_key(unsigned major, unsigned minor)
{
	return (uint64_t)major << 32 | minor;
}

static int cmp_key(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The devices of a diskstats text, as sorted keys. */
static int diskstats_devices(const char *text, uint64_t **keys, size_t *n)
{
	size_t cap = 0;

	*keys = NULL;
	*n = 0;
	for (const char *p = text; *p; p += strcspn(p, "\n"), p += *p == '\n') {
		struct diskstats_line dl;

		if (diskstats_line_parse(p, &dl) < 0)
			return -EIO;
		if (*n == cap) {
			uint64_t *k;

			cap = cap ? cap * 2 : 64;
			if (cap > DEVICES_MAX)
				return -ENOBUFS;
			k = realloc(*keys, cap * sizeof(*k));
			if (!k)
				return -ENOMEM;
			*keys = k;
		}
		(*keys)[(*n)++] = dev_key(dl.major, dl.minor);
	}
	if (*n)
		qsort(*keys, *n, sizeof(**keys), cmp_key);
	return 0;
}

int render_partitions(const struct render_ctx *ctx, struct buf *out)
{
	_cleanup_buf_ struct buf parts = BUF_INIT(FS_READ_MAX);
	_cleanup_buf_ struct buf stats = BUF_INIT(FS_READ_MAX);
	_cleanup_free_ uint64_t *keys = NULL;
	size_t n;
	int r;

	r = host_read_proc(ctx->host, "partitions", &parts);
	if (r < 0)
		return r;
	r = host_read_proc(ctx->host, "diskstats", &stats);
	if (r < 0)
		return r;
	r = diskstats_devices(stats.data, &keys, &n);
	if (r < 0)
		return r;
	/* the kernel prints the header only when there is a disk at all */
	if (!parts.len)
		return 0;
	buf_puts(out, partitions_header);
	for (const char *p = parts.data; *p; p += strcspn(p, "\n"), p += *p == '\n') {
		unsigned major, minor;
		unsigned long long blocks;
		int name = 0, end = 0;
		uint64_t key;

		if (strncmp(p, "major ", 6) == 0 || *p == '\n')
			continue; /* the header and the empty line */
		if (sscanf(p, "%u %u %llu %n%*s%n", &major, &minor, &blocks, &name, &end) != 3 ||
		    !name || end <= name)
			return -EIO;
		key = dev_key(major, minor);
		if (!n || !bsearch(&key, keys, n, sizeof(*keys), cmp_key))
			continue;
		buf_printf(out, "%4u  %7u %10llu %.*s\n", major, minor, blocks, end - name,
			   p + name);
	}
	return out->err;
}
