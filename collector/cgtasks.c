// SPDX-License-Identifier: LGPL-2.1-or-later
/* Counting a cgroup's tasks (see cgtasks.h). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgtasks.h"
#include "cleanup.h"
#include "fsio.h"

#define THREAD_LIST_MAX (4u << 20)

struct walk {
	const struct host *h;
	const char *list; /* the thread list file's name */
	unsigned cgroups;
	struct cg_tasks *out;
};

/* The state letter of proc/TID/stat: after the LAST ')' (comm may hold
 * any bytes), then a space. */
static char thread_state(const struct host *h, const char *tid)
{
	_cleanup_buf_ struct buf b = BUF_INIT(4096);
	char name[32];
	const char *p;

	snprintf(name, sizeof(name), "%s/stat", tid);
	if (host_read_proc(h, name, &b) < 0)
		return 0;
	p = strrchr(b.data, ')');
	return p && p[1] == ' ' ? p[2] : 0;
}

/* proc/TID/schedstat: "run_ns wait_ns timeslices": times it was switched in. */
static uint64_t thread_switches(const struct host *h, const char *tid)
{
	_cleanup_buf_ struct buf b = BUF_INIT(256);
	unsigned long long run, wait, slices;
	char name[32];

	snprintf(name, sizeof(name), "%s/schedstat", tid);
	if (host_read_proc(h, name, &b) < 0 ||
	    sscanf(b.data, "%llu %llu %llu", &run, &wait, &slices) != 3)
		return 0;
	return slices;
}

static void count_threads(struct walk *w, int dirfd)
{
	_cleanup_buf_ struct buf b = BUF_INIT(THREAD_LIST_MAX);
	char *save = NULL;

	if (fs_read_beneath(dirfd, w->list, &b) < 0 || !b.len)
		return;
	for (char *t = strtok_r(b.data, "\n", &save); t; t = strtok_r(NULL, "\n", &save)) {
		char state;

		if (w->out->threads >= CG_TASKS_MAX_THREADS)
			return;
		if (strspn(t, "0123456789") != strlen(t) || strlen(t) > 10)
			continue; /* the kernel writes decimal tids only */
		state = thread_state(w->h, t);
		if (!state)
			continue; /* gone meanwhile */
		w->out->threads++;
		w->out->running += state == 'R';
		w->out->blocked += state == 'D';
		w->out->ctxt += thread_switches(w->h, t);
	}
}

static void walk_cgroup(struct walk *w, int dirfd, unsigned depth)
{
	struct dirent *de;
	DIR *d;
	int fd;

	if (++w->cgroups > CG_TASKS_MAX_CGROUPS)
		return;
	count_threads(w, dirfd);
	if (depth >= CG_TASKS_MAX_DEPTH)
		return;
	fd = fs_open_beneath(dirfd, ".", O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return;
	}
	while ((de = readdir(d)) && w->cgroups < CG_TASKS_MAX_CGROUPS &&
	       w->out->threads < CG_TASKS_MAX_THREADS) {
		_cleanup_close_ int sub = -1;

		if (de->d_type != DT_DIR || !strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		sub = fs_open_beneath(dirfd, de->d_name, O_PATH | O_DIRECTORY);
		if (sub >= 0)
			walk_cgroup(w, sub, depth + 1);
	}
	closedir(d);
}

int cg_tasks_count(const struct host *h, enum cg_ctl c, const char *path, struct cg_tasks *out)
{
	struct walk w = { .h = h, .list = h->cg.v2[c] ? "cgroup.threads" : "tasks", .out = out };
	_cleanup_close_ int fd = -1;

	memset(out, 0, sizeof(*out));
	fd = cg_open_dir(&h->cg, c, path);
	if (fd < 0)
		return fd;
	walk_cgroup(&w, fd, 0);
	return 0;
}
