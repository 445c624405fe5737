// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A cgroup's I/O counters (see blkio.h).
 *
 *   v2 io.stat, one line per device, hierarchical:
 *     "MAJ:MIN rbytes=N wbytes=N rios=N wios=N dbytes=N dios=N [more]"
 *   v1 rwstat files, "MAJ:MIN Read|Write|Sync|Async|Discard|Total N" lines
 *     and a last "Total N": io_serviced and io_service_bytes of the bfq and
 *     the throttle policy, and with CONFIG_BFQ_CGROUP_DEBUG bfq's
 *     io_merged, io_service_time and io_wait_time (their sum is the
 *     kernel's per-request time, from allocation to completion).
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blkio.h"
#include "cleanup.h"
#include "fsio.h"

#define BLKIO_DEVS_MAX 65536 /* devices named in one cgroup's files */

static struct blkio_dev *set_find(const struct blkio_set *s, unsigned major, unsigned minor)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->dev[i].major == major && s->dev[i].minor == minor)
			return &s->dev[i];
	return NULL;
}

static struct blkio_dev *set_get(struct blkio_set *s, unsigned major, unsigned minor)
{
	struct blkio_dev *d;

	/* the files list a device's lines together: try the last one first */
	if (s->n && s->dev[s->n - 1].major == major && s->dev[s->n - 1].minor == minor)
		return &s->dev[s->n - 1];
	d = set_find(s, major, minor);
	if (d)
		return d;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;

		if (cap > BLKIO_DEVS_MAX)
			return NULL;
		d = realloc(s->dev, cap * sizeof(*d));
		if (!d)
			return NULL;
		s->dev = d;
		s->cap = cap;
	}
	d = &s->dev[s->n++];
	memset(d, 0, sizeof(*d));
	d->major = major;
	d->minor = minor;
	return d;
}

static const struct {
	const char *key;
	enum blkio_field field;
} v2_keys[] = {
	{ "rbytes", BLKIO_READ_BYTES },	   { "wbytes", BLKIO_WRITE_BYTES },
	{ "rios", BLKIO_READS },	   { "wios", BLKIO_WRITES },
	{ "dbytes", BLKIO_DISCARD_BYTES }, { "dios", BLKIO_DISCARDS },
};

static void parse_io_stat_keys(const char *t, const char *end, struct blkio_dev *d)
{
	for (; t < end; t += strcspn(t, " \n"), t += strspn(t, " ")) {
		for (size_t k = 0; k < ARRAY_SIZE(v2_keys); k++) {
			size_t kl = strlen(v2_keys[k].key);

			if (strncmp(t, v2_keys[k].key, kl) == 0 && t[kl] == '=')
				d->f[v2_keys[k].field] = strtoull(t + kl + 1, NULL, 10);
		}
	}
}

static int parse_io_stat(const char *text, struct blkio_set *s)
{
	for (const char *p = text; *p; p += strcspn(p, "\n"), p += *p == '\n') {
		unsigned major, minor;
		struct blkio_dev *d;
		int n = 0;

		if (sscanf(p, "%u:%u %n", &major, &minor, &n) != 2 || n == 0)
			continue;
		d = set_get(s, major, minor);
		if (!d)
			return -ENOBUFS;
		parse_io_stat_keys(p + n, p + strcspn(p, "\n"), d);
	}
	return 0;
}

struct v1_file {
	const char *name;
	enum blkio_field read, write, discard; /* what the Read, Write, Discard lines add to */
	bool bfq_only;
};

static const struct v1_file v1_files[] = {
	{ "io_serviced", BLKIO_READS, BLKIO_WRITES, BLKIO_DISCARDS, false },
	{ "io_service_bytes", BLKIO_READ_BYTES, BLKIO_WRITE_BYTES, BLKIO_DISCARD_BYTES, false },
	{ "io_merged", BLKIO_READS_MERGED, BLKIO_WRITES_MERGED, BLKIO_DISCARDS_MERGED, true },
	{ "io_service_time", BLKIO_READ_NS, BLKIO_WRITE_NS, BLKIO_DISCARD_NS, true },
	{ "io_wait_time", BLKIO_READ_NS, BLKIO_WRITE_NS, BLKIO_DISCARD_NS, true },
};

static int parse_rwstat(const char *text, const struct v1_file *vf, struct blkio_set *s)
{
	for (const char *p = text; *p; p += strcspn(p, "\n"), p += *p == '\n') {
		unsigned major, minor;
		unsigned long long v;
		enum blkio_field field;
		struct blkio_dev *d;
		char op[16];

		if (sscanf(p, "%u:%u %15s %llu", &major, &minor, op, &v) != 4)
			continue;
		if (strcmp(op, "Read") == 0)
			field = vf->read;
		else if (strcmp(op, "Write") == 0)
			field = vf->write;
		else if (strcmp(op, "Discard") == 0)
			field = vf->discard;
		else
			continue; /* Sync, Async, Total: sums of the others */
		d = set_get(s, major, minor);
		if (!d)
			return -ENOBUFS;
		d->f[field] += v;
	}
	return 0;
}

/* One v1 policy's files ("bfq", "throttle"): the _recursive variant where
 * the kernel has it (the cgroup and its descendants), else the plain one. */
static int read_v1_policy(int dfd, const char *policy, struct blkio_set *s)
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
		if (r == 0)
			r = parse_rwstat(b.data, &v1_files[i], s);
		if (r < 0)
			return r;
	}
	return 0;
}

int blkio_read(const struct cg_layout *l, const char *path, struct blkio_counters *c)
{
	_cleanup_buf_ struct buf b = BUF_INIT(FS_READ_MAX);
	_cleanup_close_ int dfd = -1;
	int r;

	if (!path || l->fd[CG_BLKIO] < 0)
		return 0;
	dfd = cg_open_dir(l, CG_BLKIO, path);
	if (dfd < 0)
		return dfd;
	if (!l->v2[CG_BLKIO]) {
		r = read_v1_policy(dfd, "bfq", &c->first);
		return r < 0 ? r : read_v1_policy(dfd, "throttle", &c->second);
	}
	r = fs_read_beneath(dfd, "io.stat", &b);
	if (r == -ENOENT)
		return 0;
	return r < 0 ? r : parse_io_stat(b.data, &c->first);
}

const struct blkio_dev *blkio_find(const struct blkio_counters *c, unsigned major, unsigned minor)
{
	const struct blkio_dev *d = set_find(&c->first, major, minor);

	return d ? d : set_find(&c->second, major, minor);
}

void blkio_counters_free(struct blkio_counters *c)
{
	free(c->first.dev);
	free(c->second.dev);
	c->first = c->second = (struct blkio_set){ 0 };
}
