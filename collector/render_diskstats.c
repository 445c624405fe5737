// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * proc/diskstats: the host's devices (major, minor, name, in the host's
 * order), each with the counters of the container's own cgroup, never the
 * host's lifetime counters.
 *
 *   v2 (io.stat, hierarchical): rios, wios, dios -> reads, writes and
 *     discards completed; rbytes, wbytes, dbytes / 512 -> sectors.
 *   v1 (recursive files where present): blkio.bfq.* for a device under
 *     the bfq scheduler (io_serviced, io_service_bytes, and with
 *     CONFIG_BFQ_CGROUP_DEBUG io_merged and io_service_time +
 *     io_wait_time for the time fields), else blkio.throttle.* (counting
 *     only on a device some cgroup has a throttle rule for).
 *   Fields without a per-cgroup source (merges and times on v2 and
 *   throttle, in flight, io_ticks, flushes), and every field of a device
 *   no file names: 0.
 *
 * Lines as block/genhd.c diskstats_show() prints them, "%4d %7d %s" and
 * then as many numbers as the host's line has (11, 15 or 17: kernels
 * before 4.18, before 5.5, since), time fields as the kernel's 32-bit %u.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "fsio.h"
#include "render.h"

/* Counters after the name, in the kernel's order. */
enum {
	DS_READS,
	DS_READS_MERGED,
	DS_READ_SECTORS, /* kept in bytes until printed */
	DS_READ_MS,	 /* kept in ns until printed */
	DS_WRITES,
	DS_WRITES_MERGED,
	DS_WRITE_SECTORS,
	DS_WRITE_MS,
	DS_IN_FLIGHT,
	DS_IO_MS,
	DS_QUEUE_MS, /* the sum of the four time fields, as the kernel does */
	DS_DISCARDS,
	DS_DISCARDS_MERGED,
	DS_DISCARD_SECTORS,
	DS_DISCARD_MS,
	DS_FLUSHES,
	DS_FLUSH_MS,
	DS_NFIELDS
};

#define SECTOR_SHIFT  9
#define NSEC_PER_MSEC 1000000u
#define DISK_IO_MAX   65536 /* devices named in one cgroup's files */

enum unit { U_COUNT, U_SECTORS, U_MS, U_QUEUE };

/* How a kept value is printed; the rest are counts (%lu in the kernel). */
static const enum unit ds_unit[DS_NFIELDS] = {
	[DS_READ_SECTORS] = U_SECTORS,
	[DS_WRITE_SECTORS] = U_SECTORS,
	[DS_DISCARD_SECTORS] = U_SECTORS,
	[DS_READ_MS] = U_MS,
	[DS_WRITE_MS] = U_MS,
	[DS_DISCARD_MS] = U_MS,
	[DS_FLUSH_MS] = U_MS,
	[DS_IO_MS] = U_MS,
	[DS_QUEUE_MS] = U_QUEUE,
};

struct disk_io {
	unsigned major, minor;
	uint64_t f[DS_NFIELDS];
};

struct disk_io_set {
	struct disk_io *dev;
	size_t n, cap;
};

/* The container's counters: a device's entry in first wins over second. */
struct container_io {
	struct disk_io_set first;  /* v1 blkio.bfq.*, v2 io.stat */
	struct disk_io_set second; /* v1 blkio.throttle.* */
};

static void container_io_free(struct container_io *c)
{
	free(c->first.dev);
	free(c->second.dev);
}

static struct disk_io *disk_io_find(const struct disk_io_set *s, unsigned major, unsigned minor)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->dev[i].major == major && s->dev[i].minor == minor)
			return &s->dev[i];
	return NULL;
}

static struct disk_io *disk_io_get(struct disk_io_set *s, unsigned major, unsigned minor)
{
	struct disk_io *d = disk_io_find(s, major, minor);

	if (d)
		return d;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		struct disk_io *p;

		if (cap > DISK_IO_MAX)
			return NULL;
		p = realloc(s->dev, cap * sizeof(*p));
		if (!p)
			return NULL;
		s->dev = p;
		s->cap = cap;
	}
	d = &s->dev[s->n++];
	memset(d, 0, sizeof(*d));
	d->major = major;
	d->minor = minor;
	return d;
}

/* "MAJ:MIN rbytes=N wbytes=N rios=N wios=N dbytes=N dios=N [more]" */
static const struct {
	const char *key;
	int field;
} v2_keys[] = {
	{ "rbytes", DS_READ_SECTORS }, { "wbytes", DS_WRITE_SECTORS },	 { "rios", DS_READS },
	{ "wios", DS_WRITES },	       { "dbytes", DS_DISCARD_SECTORS }, { "dios", DS_DISCARDS },
};

static int parse_io_stat(const char *text, struct disk_io_set *s)
{
	for (const char *p = text; *p; p += strcspn(p, "\n"), p += *p == '\n') {
		unsigned major, minor;
		int n = 0;
		struct disk_io *d;
		const char *e = p + strcspn(p, "\n");

		if (sscanf(p, "%u:%u %n", &major, &minor, &n) != 2 || n == 0)
			continue;
		d = disk_io_get(s, major, minor);
		if (!d)
			return -ENOBUFS;
		for (const char *t = p + n; t < e; t += strcspn(t, " \n"), t += strspn(t, " ")) {
			for (size_t k = 0; k < ARRAY_SIZE(v2_keys); k++) {
				size_t kl = strlen(v2_keys[k].key);

				if (strncmp(t, v2_keys[k].key, kl) == 0 && t[kl] == '=')
					d->f[v2_keys[k].field] = strtoull(t + kl + 1, NULL, 10);
			}
		}
	}
	return 0;
}

/* v1 rwstat files: "MAJ:MIN Read|Write|Sync|Async|Discard|Total N" lines. */
struct v1_file {
	const char *name;
	int read, write, discard; /* fields the Read, Write, Discard lines add to */
	bool bfq_only;
};

static const struct v1_file v1_files[] = {
	{ "io_serviced", DS_READS, DS_WRITES, DS_DISCARDS, false },
	{ "io_service_bytes", DS_READ_SECTORS, DS_WRITE_SECTORS, DS_DISCARD_SECTORS, false },
	{ "io_merged", DS_READS_MERGED, DS_WRITES_MERGED, DS_DISCARDS_MERGED, true },
	{ "io_service_time", DS_READ_MS, DS_WRITE_MS, DS_DISCARD_MS, true },
	{ "io_wait_time", DS_READ_MS, DS_WRITE_MS, DS_DISCARD_MS, true },
};

static int parse_rwstat(const char *text, const struct v1_file *vf, struct disk_io_set *s)
{
	for (const char *p = text; *p; p += strcspn(p, "\n"), p += *p == '\n') {
		unsigned major, minor;
		unsigned long long v;
		char op[16];
		int field;
		struct disk_io *d;

		if (sscanf(p, "%u:%u %15s %llu", &major, &minor, op, &v) != 4)
			continue;
		if (strcmp(op, "Read") == 0)
			field = vf->read;
		else if (strcmp(op, "Write") == 0)
			field = vf->write;
		else if (strcmp(op, "Discard") == 0)
			field = vf->discard;
		else
			continue;
		d = disk_io_get(s, major, minor);
		if (!d)
			return -ENOBUFS;
		d->f[field] += v;
	}
	return 0;
}

/* One v1 policy's files ("bfq", "throttle"): the _recursive variant where
 * the kernel has it (the cgroup and its descendants), else the plain one. */
static int read_v1_policy(int dfd, const char *policy, struct disk_io_set *s)
{
	for (size_t i = 0; i < ARRAY_SIZE(v1_files); i++) {
		_cleanup_buf_ struct buf b = BUF_INIT(FS_READ_MAX);
		char name[64];
		int r;

		if (v1_files[i].bfq_only && strcmp(policy, "bfq") != 0)
			continue;
		snprintf(name, sizeof(name), "blkio.%s.%s_recursive", policy, v1_files[i].name);
		r = fs_read_beneath(dfd, name, &b);
		if (r == -ENOENT) {
			snprintf(name, sizeof(name), "blkio.%s.%s", policy, v1_files[i].name);
			r = fs_read_beneath(dfd, name, &b);
		}
		if (r == -ENOENT)
			continue;
		if (r < 0)
			return r;
		r = parse_rwstat(b.data, &v1_files[i], s);
		if (r < 0)
			return r;
	}
	return 0;
}

/* No file at all (controller absent, or not enabled for the cgroup): empty
 * sets, zeros.  Not an ancestor's file: that would count its siblings. */
static int read_container_io(const struct render_ctx *ctx, struct container_io *io)
{
	const struct cg_layout *l = &ctx->host->cg;
	const char *path = ctx->tgt->cg.path[CG_BLKIO];
	_cleanup_buf_ struct buf b = BUF_INIT(FS_READ_MAX);
	_cleanup_close_ int dfd = -1;
	int r;

	if (!path || l->fd[CG_BLKIO] < 0)
		return 0;
	dfd = cg_open_dir(l, CG_BLKIO, path);
	if (dfd < 0)
		return dfd; /* the cgroup itself is gone */
	if (!l->v2[CG_BLKIO]) {
		r = read_v1_policy(dfd, "bfq", &io->first);
		return r < 0 ? r : read_v1_policy(dfd, "throttle", &io->second);
	}
	r = fs_read_beneath(dfd, "io.stat", &b);
	if (r == -ENOENT)
		return 0;
	return r < 0 ? r : parse_io_stat(b.data, &io->first);
}

static uint64_t shown(const struct disk_io *d, unsigned i)
{
	if (!d || i >= DS_NFIELDS)
		return 0;
	switch (ds_unit[i]) {
	case U_SECTORS: return d->f[i] >> SECTOR_SHIFT;
	case U_MS: return (uint32_t)(d->f[i] / NSEC_PER_MSEC);
	case U_QUEUE:
		return (uint32_t)((d->f[DS_READ_MS] + d->f[DS_WRITE_MS] + d->f[DS_DISCARD_MS] +
				   d->f[DS_FLUSH_MS]) /
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
	_cleanup_(container_io_free) struct container_io io = { 0 };
	int r;

	r = host_read_proc(ctx->host, "diskstats", &host);
	if (r < 0)
		return r;
	r = read_container_io(ctx, &io);
	if (r < 0)
		return r;
	for (const char *p = host.data; *p; p += strcspn(p, "\n"), p += *p == '\n') {
		struct diskstats_line dl;
		const struct disk_io *d;

		if (diskstats_line_parse(p, &dl) < 0)
			return -EIO;
		d = disk_io_find(&io.first, dl.major, dl.minor);
		if (!d)
			d = disk_io_find(&io.second, dl.major, dl.minor);
		buf_printf(out, "%4u %7u %.*s", dl.major, dl.minor, (int)dl.name_len, dl.name);
		for (unsigned i = 0; i < dl.nfields; i++)
			buf_printf(out, " %" PRIu64, shown(d, i));
		buf_puts(out, "\n");
	}
	return out->err;
}
