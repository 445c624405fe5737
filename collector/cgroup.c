// SPDX-License-Identifier: LGPL-2.1-or-later
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup.h"
#include "cleanup.h"
#include "fsio.h"
#include "log.h"

/* v1 controller names, and the v2 controller that serves the same need */
static const struct {
	const char *v1;
	const char *v2;
} cg_names[CG_NCTL] = {
	[CG_MEMORY] = { "memory", "memory" }, [CG_CPU] = { "cpu", "cpu" },
	[CG_CPUACCT] = { "cpuacct", "" }, /* v2: cpu.stat is always there */
	[CG_CPUSET] = { "cpuset", "cpuset" }, [CG_BLKIO] = { "blkio", "io" },
	[CG_UNIFIED] = { NULL, "" },
};

const char *cg_ctl_name(enum cg_ctl c)
{
	return c == CG_UNIFIED ? "unified" : cg_names[c].v1;
}

void cg_layout_init(struct cg_layout *l)
{
	memset(l, 0, sizeof(*l));
	for (int c = 0; c < CG_NCTL; c++)
		l->fd[c] = -1;
}

/* Is word in the comma separated list? */
static bool list_has(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; p && *p;) {
		const char *e = strchr(p, ',');
		size_t k = e ? (size_t)(e - p) : strlen(p);

		if (k == n && strncmp(p, word, n) == 0)
			return true;
		p = e ? e + 1 : NULL;
	}
	return false;
}

void cg_layout_set(struct cg_layout *l, enum cg_ctl c, int fd, bool v2, const char *root)
{
	l->fd[c] = fd;
	l->v2[c] = v2;
	snprintf(l->root[c], sizeof(l->root[c]), "%s", root);
}

/* After the v1 hierarchies are known, let the unified tree serve what is
 * left: controllers listed in its root's cgroup.controllers. */
void cg_layout_add_unified(struct cg_layout *l, int fd, const char *root)
{
	_cleanup_buf_ struct buf b = BUF_INIT(4096);
	const char *ctrls = "";
	char list[4096], *p;

	if (fs_read_beneath(fd, "cgroup.controllers", &b) == 0)
		ctrls = b.data;
	snprintf(list, sizeof(list), "%s", ctrls);
	for (p = list; *p; p++)
		if (*p == ' ' || *p == '\n')
			*p = ',';
	cg_layout_set(l, CG_UNIFIED, fd, true, root);
	for (int c = 0; c < CG_NCTL; c++) {
		if (c == CG_UNIFIED || l->fd[c] >= 0)
			continue;
		if (c == CG_CPUACCT ? true : list_has(list, cg_names[c].v2))
			cg_layout_set(l, (enum cg_ctl)c, fd, true, root);
	}
}

/* Undo mountinfo's octal escapes (\040 etc.) in place. */
static void unescape_octal(char *s)
{
	char *w = s;

	for (char *r = s; *r;) {
		if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' && r[2] <= '7' &&
		    r[3] >= '0' && r[3] <= '7') {
			*w++ = (char)((r[1] - '0') * 64 + (r[2] - '0') * 8 + (r[3] - '0'));
			r += 4;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
}

int cg_layout_from_mountinfo(struct cg_layout *l, const char *mountinfo)
{
	_cleanup_free_ char *copy = strdup(mountinfo);
	char *save = NULL, *line;
	int unified_fd = -1;
	char unified_root[CG_MOUNT_ROOT_MAX] = "/";

	if (!copy)
		return -ENOMEM;
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *f[6], *sep, *fstype, *super, *s2 = NULL;
		int i, fd;

		/* id parent maj:min root mountpoint opts [optional...] - fstype source super */
		sep = strstr(line, " - ");
		if (!sep)
			continue;
		*sep = '\0';
		fstype = strtok_r(sep + 3, " ", &s2);
		strtok_r(NULL, " ", &s2); /* source */
		super = strtok_r(NULL, " ", &s2);
		if (!fstype || !super)
			continue;
		if (strcmp(fstype, "cgroup") != 0 && strcmp(fstype, "cgroup2") != 0)
			continue;
		for (i = 0, f[0] = strtok_r(line, " ", &s2); i < 5 && f[i]; i++)
			f[i + 1] = strtok_r(NULL, " ", &s2);
		if (i < 5)
			continue;
		unescape_octal(f[3]);
		unescape_octal(f[4]);
		if (strcmp(fstype, "cgroup2") == 0) {
			if (unified_fd >= 0)
				continue;
			unified_fd = open(f[4], O_PATH | O_DIRECTORY | O_CLOEXEC);
			if (unified_fd < 0)
				log_warn("cannot open the cgroup2 mount %s: %m", f[4]);
			snprintf(unified_root, sizeof(unified_root), "%s", f[3]);
			continue;
		}
		fd = -1;
		for (int c = 0; c < CG_NCTL; c++) {
			if (!cg_names[c].v1 || l->fd[c] >= 0 || !list_has(super, cg_names[c].v1))
				continue;
			if (fd < 0)
				fd = open(f[4], O_PATH | O_DIRECTORY | O_CLOEXEC);
			if (fd < 0) {
				log_warn("cannot open the cgroup mount %s: %m", f[4]);
				break;
			}
			cg_layout_set(l, (enum cg_ctl)c, fd, false, f[3]);
		}
	}
	if (unified_fd >= 0)
		cg_layout_add_unified(l, unified_fd, unified_root);
	return 0;
}

bool cg_ctl_in_list(enum cg_ctl c, const char *list)
{
	return cg_names[c].v1 && list_has(list, cg_names[c].v1);
}

void cg_layout_describe(const struct cg_layout *l, struct buf *out)
{
	for (int c = 0; c < CG_NCTL; c++)
		buf_printf(out, "%s%s=%s", c ? " " : "", cg_ctl_name((enum cg_ctl)c),
			   l->fd[c] < 0 ? "absent"
			   : l->v2[c]	? "v2"
					: "v1");
}

void cg_paths_free(struct cg_paths *p)
{
	for (int c = 0; c < CG_NCTL; c++) {
		free(p->path[c]);
		p->path[c] = NULL;
	}
}

/* Strip the mount root ("/" normally) from a path read in /proc. */
static int set_path(struct cg_paths *out, enum cg_ctl c, const char *root, const char *path,
		    size_t len)
{
	size_t rl = strlen(root);

	if (len == 0 || path[0] != '/' || memchr(path, '\0', len))
		return -EIO;
	if (out->path[c])
		return -EIO; /* the same controller twice: ambiguous */
	if (!(rl == 1 && root[0] == '/')) {
		if (len < rl || strncmp(path, root, rl) != 0 || (len > rl && path[rl] != '/'))
			return -ENOENT; /* outside the part of the tree we see */
		path += rl;
		len -= rl;
		if (len == 0) {
			path = "/";
			len = 1;
		}
	}
	out->path[c] = strndup(path, len);
	return out->path[c] ? 0 : -ENOMEM;
}

int cg_paths_parse(const struct cg_layout *l, const char *text, size_t len, struct cg_paths *out)
{
	const char *p = text, *end = text + len;
	unsigned long seen_hid[64] = { 0 };
	int r = 0;

	memset(out, 0, sizeof(*out));
	while (p < end && r == 0) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *c1 = memchr(p, ':', (size_t)(le - p));
		const char *c2 = c1 ? memchr(c1 + 1, ':', (size_t)(le - c1 - 1)) : NULL;
		char ctrls[512];
		char *eh;
		unsigned long hid;

		if (!c1 || !c2 || c1 == p || !isdigit((unsigned char)*p) ||
		    (size_t)(c2 - c1 - 1) >= sizeof(ctrls)) {
			r = -EIO;
			break;
		}
		hid = strtoul(p, &eh, 10);
		if (eh != c1 || hid >= 64 * 64 || (seen_hid[hid / 64] & (1ul << (hid % 64)))) {
			r = -EIO; /* malformed or a hierarchy twice: a forged line */
			break;
		}
		seen_hid[hid / 64] |= 1ul << (hid % 64);
		memcpy(ctrls, c1 + 1, (size_t)(c2 - c1 - 1));
		ctrls[c2 - c1 - 1] = '\0';
		for (int c = 0; c < CG_NCTL && r == 0; c++) {
			if (l->fd[c] < 0)
				continue;
			if (l->v2[c] ? (hid == 0 && !ctrls[0])
				     : (cg_names[c].v1 && list_has(ctrls, cg_names[c].v1)))
				r = set_path(out, (enum cg_ctl)c, l->root[c], c2 + 1,
					     (size_t)(le - c2 - 1));
		}
		p = nl ? nl + 1 : end;
	}
	if (r < 0)
		cg_paths_free(out);
	return r;
}

/* Walk a cgroup path one component at a time beneath the hierarchy root;
 * calls fn on every level, root first.  fn returns 0 to go on, 1 to stop. */
typedef int (*cg_level_fn)(int dirfd, bool leaf, void *arg);

static int cg_walk(const struct cg_layout *l, enum cg_ctl c, const char *path, cg_level_fn fn,
		   void *arg)
{
	_cleanup_close_ int fd = -1;
	const char *p = path;
	int r;

	if (l->fd[c] < 0 || !path)
		return -ENOENT;
	if (path[0] != '/')
		return -EINVAL;
	fd = fcntl(l->fd[c], F_DUPFD_CLOEXEC, 3);
	if (fd < 0)
		return -errno;
	for (;;) {
		char comp[NAME_MAX + 1];
		size_t n;
		int nfd;

		while (*p == '/')
			p++;
		if (fn) {
			r = fn(fd, *p == '\0', arg);
			if (r != 0)
				return r < 0 ? r : 0;
		}
		if (*p == '\0')
			return steal_fd(&fd);
		n = strcspn(p, "/");
		if (n > NAME_MAX)
			return -ENAMETOOLONG;
		memcpy(comp, p, n);
		comp[n] = '\0';
		if (strcmp(comp, ".") == 0 || strcmp(comp, "..") == 0)
			return -EINVAL;
		nfd = fs_open_beneath(fd, comp, O_PATH | O_DIRECTORY);
		if (nfd < 0)
			return nfd;
		close(fd);
		fd = nfd;
		p += n;
	}
}

int cg_open_dir(const struct cg_layout *l, enum cg_ctl c, const char *path)
{
	return cg_walk(l, c, path, NULL, NULL);
}

int cg_read(const struct cg_layout *l, enum cg_ctl c, const char *path, const char *file,
	    struct buf *out)
{
	_cleanup_close_ int fd = cg_open_dir(l, c, path);

	if (fd < 0)
		return fd;
	return fs_read_beneath(fd, file, out);
}

int cg_read_u64(const struct cg_layout *l, enum cg_ctl c, const char *path, const char *file,
		uint64_t *v)
{
	_cleanup_close_ int fd = cg_open_dir(l, c, path);

	if (fd < 0)
		return fd;
	return fs_read_u64_beneath(fd, file, v);
}

struct min_arg {
	const char *file;
	uint64_t min;
};

static int min_level(int dirfd, bool leaf, void *arg)
{
	struct min_arg *m = arg;
	uint64_t v;

	if (fs_read_u64_beneath(dirfd, m->file, &v) == 0 && v < m->min)
		m->min = v;
	return 0;
}

int cg_min_over_ancestors(const struct cg_layout *l, enum cg_ctl c, const char *path,
			  const char *file, uint64_t *min)
{
	struct min_arg m = { .file = file, .min = CG_UNLIMITED };
	int fd = cg_walk(l, c, path, min_level, &m);

	if (fd < 0)
		return fd;
	close(fd);
	*min = m.min;
	return 0;
}

struct nearest_arg {
	const char *file;
	struct buf *out;
	size_t start;
	bool found;
};

/* Levels come root first: keep the deepest non-empty file. */
static int nearest_level(int dirfd, bool leaf, void *arg)
{
	struct nearest_arg *a = arg;
	size_t mark = a->out->len;

	if (fs_read_beneath(dirfd, a->file, a->out) == 0) {
		const char *s = a->out->data ? a->out->data + mark : "";
		size_t n = a->out->len - mark;

		while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
			n--;
		if (n > 0) {
			/* keep only this level's text, and its NUL */
			memmove(a->out->data + a->start, a->out->data + mark,
				a->out->len - mark + 1);
			a->out->len = a->start + (a->out->len - mark);
			a->found = true;
			return 0;
		}
	}
	a->out->err = 0;
	a->out->len = mark;
	return 0;
}

int cg_read_nearest(const struct cg_layout *l, enum cg_ctl c, const char *path, const char *file,
		    struct buf *out)
{
	struct nearest_arg a = { .file = file, .out = out, .start = out->len };
	int fd = cg_walk(l, c, path, nearest_level, &a);

	if (fd < 0)
		return fd;
	close(fd);
	return a.found ? 0 : -ENOENT;
}

int kv_get_u64(const char *text, const char *key, char sep, uint64_t *v)
{
	size_t n = strlen(key);

	for (const char *p = text; p && *p;) {
		if (strncmp(p, key, n) == 0 && p[n] == sep) {
			char *end;

			errno = 0;
			*v = strtoull(p + n + 1, &end, 10);
			if (errno || end == p + n + 1)
				return -EINVAL;
			return 0;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -ENOENT;
}

int cg_kv_get(const char *text, const char *key, uint64_t *v)
{
	return kv_get_u64(text, key, ' ', v);
}

struct cfs_arg {
	bool v2;
	uint64_t cpus;
};

static int cfs_level(int dirfd, bool leaf, void *arg)
{
	struct cfs_arg *a = arg;
	uint64_t quota = CG_UNLIMITED, period = 0;

	if (a->v2) {
		_cleanup_buf_ struct buf b = BUF_INIT(256);
		char q[32];
		unsigned long long per;

		if (fs_read_beneath(dirfd, "cpu.max", &b) < 0)
			return 0;
		if (sscanf(b.data, "%31s %llu", q, &per) != 2 || strcmp(q, "max") == 0)
			return 0;
		quota = strtoull(q, NULL, 10);
		period = per;
	} else {
		if (fs_read_u64_beneath(dirfd, "cpu.cfs_quota_us", &quota) < 0 ||
		    fs_read_u64_beneath(dirfd, "cpu.cfs_period_us", &period) < 0)
			return 0;
	}
	if (quota == CG_UNLIMITED || period == 0 || quota == 0)
		return 0;
	uint64_t n = (quota + period - 1) / period;
	if (n < a->cpus)
		a->cpus = n;
	return 0;
}

int cg_cfs_cpus(const struct cg_layout *l, const char *path, uint64_t *ncpus)
{
	struct cfs_arg a = { .v2 = l->v2[CG_CPU], .cpus = UINT64_MAX };
	int fd = cg_walk(l, CG_CPU, path, cfs_level, &a);

	if (fd < 0)
		return fd;
	close(fd);
	*ncpus = a.cpus;
	return 0;
}
