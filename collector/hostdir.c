// SPDX-License-Identifier: LGPL-2.1-or-later
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "fsio.h"
#include "io.h"
#include "hostdir.h"
#include "log.h"
#include "vfile.h"

#define HD_BUCKETS   4096
#define HD_MAX_NODES 262144
#define HD_MAX_DEPTH 12
#define HD_READ_MAX  (64 * 1024)

struct hd_node {
	uint64_t node;
	struct hd_node *next;
	char path[]; /* relative to /sys/devices/system/cpu */
};

struct hostdir {
	int fd;
	unsigned count;
	bool scanned; /* a full scan was done since the last miss */
	struct hd_node *bucket[HD_BUCKETS];
};

struct hostdir *hostdir_new(int sys_cpu_fd)
{
	struct hostdir *hd = calloc(1, sizeof(*hd));

	if (hd)
		hd->fd = sys_cpu_fd;
	return hd;
}

/* The 64-bit FNV-1a hash's constants (Fowler, Noll, Vo). */
#define FNV64_OFFSET_BASIS UINT64_C(0xcbf29ce484222325)
#define FNV64_PRIME	   UINT64_C(0x100000001b3)

/* FNV-1a, folded into the host-node number space. */
static uint64_t node_of(const char *path)
{
	uint64_t h = FNV64_OFFSET_BASIS;

	for (const unsigned char *p = (const unsigned char *)path; *p; p++)
		h = (h ^ *p) * FNV64_PRIME;
	h &= VFILE_HOSTNODE_BIT - 1;
	return h | VFILE_HOSTNODE_BIT;
}

static const char *find(struct hostdir *hd, uint64_t node)
{
	for (struct hd_node *n = hd->bucket[node % HD_BUCKETS]; n; n = n->next)
		if (n->node == node)
			return n->path;
	return NULL;
}

static int intern(struct hostdir *hd, const char *path, uint64_t *node)
{
	uint64_t id = node_of(path);
	const char *have = find(hd, id);
	struct hd_node *n;
	size_t len;

	if (have) {
		if (strcmp(have, path) != 0) {
			log_warn("hostdir: node number collision between %s and %s", have, path);
			return -EIO;
		}
		*node = id;
		return 0;
	}
	if (hd->count >= HD_MAX_NODES)
		return -ENOSPC;
	len = strlen(path);
	n = malloc(sizeof(*n) + len + 1);
	if (!n)
		return -ENOMEM;
	n->node = id;
	memcpy(n->path, path, len + 1);
	n->next = hd->bucket[id % HD_BUCKETS];
	hd->bucket[id % HD_BUCKETS] = n;
	hd->count++;
	*node = id;
	return 0;
}

static int open_dir(struct hostdir *hd, const char *dir)
{
	return fs_open_beneath(hd->fd, dir[0] ? dir : ".", O_RDONLY | O_DIRECTORY);
}

/* Intern the whole tree (after a collector restart the front may ask for
 * nodes this process never saw). */
static void scan(struct hostdir *hd, const char *dir, int depth)
{
	_cleanup_close_ int fd = -1;
	DIR *d;
	struct dirent *de;

	if (depth > HD_MAX_DEPTH)
		return;
	fd = open_dir(hd, dir);
	if (fd < 0 || !(d = fdopendir(fd)))
		return;
	fd = -1;
	while ((de = readdir(d))) {
		char path[PATH_MAX];
		uint64_t node;

		if (de->d_name[0] == '.' || (de->d_type != DT_DIR && de->d_type != DT_REG))
			continue;
		if (snprintf(path, sizeof(path), "%s%s%s", dir, dir[0] ? "/" : "", de->d_name) >=
		    (int)sizeof(path))
			continue;
		if (intern(hd, path, &node) < 0)
			break;
		if (de->d_type == DT_DIR)
			scan(hd, path, depth + 1);
	}
	closedir(d);
}

/* The path of a node: "" for the cpu directory itself. */
static int path_of(struct hostdir *hd, uint64_t node, const char **path)
{
	if (node == VFILE_SYS_CPU) {
		*path = "";
		return 0;
	}
	if (!vfile_is_hostnode(node))
		return -ENOENT;
	*path = find(hd, node);
	if (!*path && !hd->scanned) {
		scan(hd, "", 0);
		hd->scanned = true;
		*path = find(hd, node);
	}
	return *path ? 0 : -ESTALE;
}

/* "cpuN" as the kernel names CPU directories (no sign, no leading 0):
 * N, or -1. */
static long cpu_dir_number(const char *name)
{
	unsigned long cpu;
	char *end;

	if (strncmp(name, "cpu", 3) != 0 || name[3] < '0' || name[3] > '9' ||
	    (name[3] == '0' && name[4]))
		return -1;
	cpu = strtoul(name + 3, &end, 10);
	return *end == '\0' && cpu < CPUSET_MAX ? (long)cpu : -1;
}

/* At the top, by host name: names the table owns, and cpuN of CPUs not
 * visible. */
static bool hidden(const char *dir, const char *name, const struct cpuset *visible)
{
	long cpu;

	if (dir[0])
		return false;
	if (vfile_lookup(VFILE_SYS_CPU, name))
		return true;
	cpu = cpu_dir_number(name);
	return cpu >= 0 && !cpuset_has(visible, (unsigned)cpu);
}

/* The host name of what the reader calls name at the top: cpuN is the
 * view's number N (render_cpu_host()); other names are the host's.  0, or
 * -ENOENT for names the reader does not see. */
static int host_name(const struct render_ctx *ctx, const struct cpuset *visible, const char *name,
		     char *host, size_t size)
{
	long shown = cpu_dir_number(name);
	unsigned cpu;

	if (vfile_lookup(VFILE_SYS_CPU, name))
		return -ENOENT;
	if (shown < 0) {
		if (snprintf(host, size, "%s", name) >= (int)size)
			return -ENAMETOOLONG;
		return 0;
	}
	if (render_cpu_host(ctx, visible, (unsigned)shown, &cpu) < 0)
		return -ENOENT;
	snprintf(host, size, "cpu%u", cpu);
	return 0;
}

/* The name the reader sees for the host entry name at the top. */
static void shown_name(const struct render_ctx *ctx, const struct cpuset *visible, const char *name,
		       char *shown, size_t size)
{
	long cpu = cpu_dir_number(name);

	if (cpu < 0)
		snprintf(shown, size, "%s", name);
	else
		snprintf(shown, size, "cpu%u", render_cpu_shown(ctx, visible, (unsigned)cpu));
}

/* Is dir as deep as scan() goes?  Nothing below it is served: lookup and
 * readdir then hand out only nodes a restarted collector's scan finds. */
static bool at_depth_limit(const char *dir)
{
	int depth = 0;

	for (const char *p = dir; *p; p++)
		depth += *p == '/';
	return depth >= HD_MAX_DEPTH;
}

static int attr_of(struct hostdir *hd, const char *path, struct proto_attr *out)
{
	_cleanup_close_ int fd = fs_open_beneath(hd->fd, path, O_PATH);
	struct stat st;

	if (fd < 0)
		return fd == -ELOOP || fd == -EXDEV ? -ENOENT : fd;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
		return -ENOENT;
	memset(out, 0, sizeof(*out));
	/* read-only: never a write bit, whatever the host's mode */
	out->mode = (uint32_t)(st.st_mode & ~(mode_t)0222);
	out->size = S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
	return 0;
}

int hostdir_lookup(struct hostdir *hd, const struct render_ctx *ctx, const struct cpuset *visible,
		   uint64_t parent, const char *name, struct proto_attr *out)
{
	const char *dir;
	char path[PATH_MAX], host[NAME_MAX + 1];
	int r;

	r = path_of(hd, parent, &dir);
	if (r < 0)
		return r;
	if (at_depth_limit(dir))
		return -ENOENT;
	/* dot names are skipped as readdir and scan() skip them: every node
	 * handed out is one a restarted collector's scan finds again */
	if (name[0] == '.')
		return -ENOENT;
	if (!dir[0]) {
		r = host_name(ctx, visible, name, host, sizeof(host));
		if (r < 0)
			return r;
		name = host;
	}
	if (snprintf(path, sizeof(path), "%s%s%s", dir, dir[0] ? "/" : "", name) >=
	    (int)sizeof(path))
		return -ENAMETOOLONG;
	r = attr_of(hd, path, out);
	if (r < 0)
		return r;
	return intern(hd, path, &out->node);
}

int hostdir_getattr(struct hostdir *hd, uint64_t node, struct proto_attr *out)
{
	const char *path;
	int r = path_of(hd, node, &path);

	if (r < 0)
		return r;
	r = attr_of(hd, path, out);
	if (r == 0)
		out->node = node;
	return r;
}

int hostdir_readdir(struct hostdir *hd, const struct render_ctx *ctx, const struct cpuset *visible,
		    uint64_t node, struct buf *out)
{
	_cleanup_close_ int fd = -1;
	const char *dir;
	DIR *d;
	struct dirent *de;
	int r = path_of(hd, node, &dir);

	if (r < 0)
		return r;
	fd = open_dir(hd, dir);
	if (fd < 0)
		return fd;
	if (at_depth_limit(dir))
		return 0; /* listed empty, as lookup finds nothing there */
	d = fdopendir(fd);
	if (!d)
		return -errno;
	fd = -1;
	while ((de = readdir(d)) && r == 0) {
		char path[PATH_MAX], name[NAME_MAX + 1];
		uint64_t child;

		if (de->d_name[0] == '.' || (de->d_type != DT_DIR && de->d_type != DT_REG))
			continue;
		if (hidden(dir, de->d_name, visible))
			continue;
		if (snprintf(path, sizeof(path), "%s%s%s", dir, dir[0] ? "/" : "", de->d_name) >=
		    (int)sizeof(path))
			continue;
		if (dir[0])
			snprintf(name, sizeof(name), "%s", de->d_name);
		else
			shown_name(ctx, visible, de->d_name, name, sizeof(name));
		r = intern(hd, path, &child);
		if (r == 0)
			r = proto_dirent_add(out, child, DTTOIF(de->d_type) | 0444, name);
	}
	closedir(d);
	return r < 0 ? r : out->err;
}

int hostdir_check_visible(struct hostdir *hd, const struct cpuset *visible, uint64_t node)
{
	const char *path;
	char top[NAME_MAX + 1];
	size_t n;
	int r = path_of(hd, node, &path);

	if (r < 0)
		return r;
	n = strcspn(path, "/");
	if (n > NAME_MAX)
		return -ENOENT;
	memcpy(top, path, n);
	top[n] = '\0';
	return n && hidden("", top, visible) ? -ENOENT : 0;
}

int hostdir_read(struct hostdir *hd, const struct render_ctx *ctx, const struct cpuset *visible,
		 uint64_t node, struct buf *out)
{
	_cleanup_buf_ struct buf host = BUF_INIT(HD_READ_MAX);
	_cleanup_close_ int fd = -1;
	const char *path;
	struct stat st;
	int r = path_of(hd, node, &path);

	if (r < 0)
		return r;
	if (!path[0])
		return -EISDIR;
	fd = fs_open_beneath(hd->fd, path, O_RDONLY);
	if (fd < 0)
		return fd;
	/* the collector may read what the reader could not: serve only what
	 * every host user may read (cpufreq's 0400 files are the host's) */
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EISDIR;
	if (!(st.st_mode & S_IROTH))
		return -EACCES;
	r = read_all(fd, &host);
	if (r < 0)
		return r;
	if (!buf_cstr(&host))
		return host.err ? host.err : -ENOMEM;
	return render_sys_cpu_file(ctx, visible, path, host.data, host.len, out);
}
