// SPDX-License-Identifier: LGPL-2.1-or-later
/* Walking a cgroup's threads (see cgtasks.h). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgtasks.h"
#include "cleanup.h"
#include "fsio.h"
#include "io.h"

#define THREAD_LIST_MAX (4u << 20)
#define STAT_LINE_MAX	1024 /* the fields up to the start time fit */
#define STAT_STARTTIME	22   /* field number in proc/PID/stat (1-based) */
#define TID_DIGITS_MAX	10   /* INT32_MAX */

struct walk {
	const struct host *h;
	const char *list; /* the thread list file's name */
	cg_thread_fn *fn;
	void *arg;
	struct buf b; /* the thread list being read */
	unsigned cgroups;
	unsigned threads;
	bool stop;
};

int cg_thread_read(const struct host *h, pid_t tid, const char *file, char *b, size_t size)
{
	_cleanup_close_ int fd = -1;
	char path[64];
	ssize_t k;

	snprintf(path, sizeof(path), "%d/task/%d/%s", (int)tid, (int)tid, file);
	fd = fs_open_beneath(h->proc_fd, path, O_RDONLY);
	if (fd < 0)
		return fd;
	k = RETRY_EINTR(read(fd, b, size - 1));
	if (k <= 0)
		return k < 0 ? -errno : -ESRCH;
	b[k] = '\0';
	return 0;
}

/* State (field 3) and start time (field 22), counted from the LAST ')':
 * comm may hold spaces and parentheses. */
static int thread_stat(const struct host *h, struct cg_thread *t)
{
	char b[STAT_LINE_MAX];
	const char *p;
	char *end;
	int r = cg_thread_read(h, t->tid, "stat", b, sizeof(b));

	if (r < 0)
		return r;
	p = strrchr(b, ')');
	if (!p || p[1] != ' ' || !p[2])
		return -EIO;
	t->state = p[2];
	p += 2;
	for (int field = 3; field < STAT_STARTTIME; field++) {
		p += strcspn(p, " ");
		p += strspn(p, " ");
	}
	errno = 0;
	t->start = strtoull(p, &end, 10);
	if (errno || end == p)
		return -EIO;
	return 0;
}

/* A line of a thread list: the kernel writes decimal tids only. */
static pid_t parse_tid(const char *s)
{
	size_t n = strlen(s);
	unsigned long v;

	if (!n || n > TID_DIGITS_MAX || strspn(s, "0123456789") != n)
		return 0;
	v = strtoul(s, NULL, 10);
	return v <= INT32_MAX ? (pid_t)v : 0;
}

static int walk_list(struct walk *w, int dirfd)
{
	char *save = NULL;
	int r;

	buf_reset(&w->b);
	r = fs_read_beneath(dirfd, w->list, &w->b);
	if (r < 0 || !w->b.len)
		return r;
	for (char *s = strtok_r(w->b.data, "\n", &save); s && !w->stop;
	     s = strtok_r(NULL, "\n", &save)) {
		struct cg_thread t = { .tid = parse_tid(s) };

		if (!t.tid || thread_stat(w->h, &t) < 0)
			continue; /* not a tid, or gone meanwhile */
		if (w->fn(&t, w->arg) || ++w->threads >= CG_TASKS_MAX_THREADS)
			w->stop = true;
	}
	return 0;
}

static int walk_cgroup(struct walk *w, int dirfd, unsigned depth);

static void walk_children(struct walk *w, int dirfd, unsigned depth)
{
	int fd = fs_open_beneath(dirfd, ".", O_RDONLY | O_DIRECTORY);
	struct dirent *de;
	DIR *d;

	if (fd < 0)
		return;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return;
	}
	while (!w->stop && w->cgroups < CG_TASKS_MAX_CGROUPS && (de = readdir(d))) {
		_cleanup_close_ int sub = -1;

		if ((de->d_type != DT_DIR && de->d_type != DT_UNKNOWN) ||
		    !strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		sub = fs_open_beneath(dirfd, de->d_name, O_PATH | O_DIRECTORY);
		if (sub >= 0)
			walk_cgroup(w, sub, depth + 1);
	}
	closedir(d);
}

/* A cgroup: its threads, then its children (their errors: they went away). */
static int walk_cgroup(struct walk *w, int dirfd, unsigned depth)
{
	int r;

	w->cgroups++;
	r = walk_list(w, dirfd);
	if (!w->stop && depth < CG_TASKS_MAX_DEPTH)
		walk_children(w, dirfd, depth);
	return r;
}

int cg_tasks_walk(const struct host *h, enum cg_ctl c, int dirfd, cg_thread_fn *fn, void *arg)
{
	struct walk w = {
		.h = h,
		.list = h->cg.v2[c] ? "cgroup.threads" : "tasks",
		.fn = fn,
		.arg = arg,
		.b = BUF_INIT(THREAD_LIST_MAX),
	};
	int r = walk_cgroup(&w, dirfd, 0);

	buf_free(&w.b);
	return r;
}
