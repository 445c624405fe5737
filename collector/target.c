// SPDX-License-Identifier: LGPL-2.1-or-later
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "io.h"
#include "log.h"
#include "pidns.h"
#include "target.h"

#define CACHE_BUCKETS	1024
#define CACHE_MAX	16384
#define CGROUP_FILE_MAX (1u << 20)

struct ns_entry {
	uint64_t ino; /* pid namespace inode */
	pid_t init;   /* its init, as a host pid */
	int pidfd;    /* pins the identity of init */
	struct ns_entry *next;
};

struct resolver {
	const struct host *host;
	enum pidns_cgroup mode;
	uint64_t self_ns;
	unsigned count;
	struct ns_entry *bucket[CACHE_BUCKETS];
};

struct resolver *resolver_new(const struct host *host, enum pidns_cgroup mode)
{
	struct resolver *rs = calloc(1, sizeof(*rs));

	if (!rs)
		return NULL;
	rs->host = host;
	rs->mode = mode;
	if (pidns_inode(host->proc_fd, getpid(), &rs->self_ns) < 0) {
		free(rs);
		return NULL;
	}
	return rs;
}

static void cache_flush(struct resolver *rs)
{
	for (unsigned i = 0; i < CACHE_BUCKETS; i++) {
		while (rs->bucket[i]) {
			struct ns_entry *e = rs->bucket[i];

			rs->bucket[i] = e->next;
			close(e->pidfd);
			free(e);
		}
	}
	rs->count = 0;
}

void target_clear(struct target *t)
{
	cg_paths_free(&t->cg);
	memset(t, 0, sizeof(*t));
}

/* Read the cgroups of pid into t->cg. */
static int target_read_cgroups(const struct host *h, pid_t pid, struct target *t)
{
	_cleanup_buf_ struct buf b = BUF_INIT(CGROUP_FILE_MAX);
	_cleanup_close_ int fd = -1;
	char path[64];
	int r;

	snprintf(path, sizeof(path), "%d/cgroup", (int)pid);
	fd = openat(h->proc_fd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = read_all(fd, &b);
	if (r < 0)
		return r;
	if (b.len == 0)
		return -ESRCH; /* a zombie or an exiting task */
	cg_paths_free(&t->cg);
	return cg_paths_parse(&h->cg, b.data, b.len, &t->cg);
}

/* v1 shows "no limit" as PAGE_COUNTER_MAX pages: anything from 2^62 up */
#define NO_MEMORY_LIMIT_FROM (UINT64_C(1) << 62)

bool target_limited(const struct host *h, const struct target *t)
{
	const struct cg_layout *l = &h->cg;
	const char *mem = t->cg.path[CG_MEMORY], *cpu = t->cg.path[CG_CPU];
	const struct render_opts no_cfs = { 0 };
	const struct target none = { 0 };
	struct render_ctx ctx = { .host = h, .tgt = t, .opt = &no_cfs };
	struct cpuset vis, online;
	uint64_t v;

	if (mem && l->fd[CG_MEMORY] >= 0 &&
	    cg_min_over_ancestors(l, CG_MEMORY, mem,
				  l->v2[CG_MEMORY] ? "memory.max" : "memory.limit_in_bytes",
				  &v) == 0 &&
	    v < NO_MEMORY_LIMIT_FROM)
		return true;
	if (cpu && l->fd[CG_CPU] >= 0 && cg_cfs_cpus(l, cpu, &v) == 0 && v != UINT64_MAX)
		return true;
	if (render_visible_cpus(&ctx, &vis) < 0)
		return false;
	ctx.tgt = &none; /* no cgroup: all online CPUs */
	return render_visible_cpus(&ctx, &online) == 0 &&
	       cpuset_count(&vis) < cpuset_count(&online);
}

static bool same_cgroups(const struct target *a, const struct target *b)
{
	for (int c = 0; c < CG_NCTL; c++) {
		const char *x = a->cg.path[c], *y = b->cg.path[c];

		if ((x == NULL) != (y == NULL) || (x && strcmp(x, y) != 0))
			return false;
	}
	return true;
}

/* --pidns-cgroup: t holds the init's cgroups; use the reader's own
 * instead when the mode says so.  A reader that is gone keeps init's. */
static void choose_cgroups(struct resolver *rs, pid_t reader, struct target *t)
{
	struct target own = { 0 };

	if (rs->mode == PIDNS_CG_INIT || (rs->mode == PIDNS_CG_AUTO && target_limited(rs->host, t)))
		return;
	if (target_read_cgroups(rs->host, reader, &own) < 0)
		return;
	if (rs->mode == PIDNS_CG_READER ||
	    (!same_cgroups(&own, t) && target_limited(rs->host, &own))) {
		cg_paths_free(&t->cg);
		t->cg = own.cg;
		return;
	}
	cg_paths_free(&own.cg);
}

/* The cached init of a namespace, dropping it if it died. */
static struct ns_entry *cache_get(struct resolver *rs, uint64_t ino)
{
	struct ns_entry **pp = &rs->bucket[ino % CACHE_BUCKETS];

	for (; *pp; pp = &(*pp)->next) {
		struct ns_entry *e = *pp;

		if (e->ino != ino)
			continue;
		if (pidfd_check(e->pidfd) == 0)
			return e;
		*pp = e->next;
		close(e->pidfd);
		free(e);
		rs->count--;
		return NULL;
	}
	return NULL;
}

static int cache_add(struct resolver *rs, uint64_t ino, pid_t init, int pidfd)
{
	struct ns_entry *e = malloc(sizeof(*e));

	if (!e)
		return -ENOMEM;
	if (rs->count >= CACHE_MAX)
		cache_flush(rs); /* rare; everything is re-found on demand */
	e->ino = ino;
	e->init = init;
	e->pidfd = pidfd;
	e->next = rs->bucket[ino % CACHE_BUCKETS];
	rs->bucket[ino % CACHE_BUCKETS] = e;
	rs->count++;
	return 0;
}

/* Find and pin the init of namespace ino (which pid belongs to). */
static int resolve_init(struct resolver *rs, pid_t pid, uint64_t ino, struct ns_entry **out)
{
	int proc_fd = rs->host->proc_fd;
	_cleanup_close_ int pidfd = -1;
	uint64_t check;
	pid_t init;
	int r;

	r = pidns_find_init(proc_fd, pid, ino, &init);
	if (r < 0)
		return r;
	pidfd = pidfd_open_pid(init);
	if (pidfd < 0)
		return pidfd;
	/* the pidfd pins a process: make sure it is still that namespace's init */
	r = pidns_inode(proc_fd, init, &check);
	if (r < 0 || check != ino)
		return -ESRCH;
	r = cache_add(rs, ino, init, pidfd);
	if (r < 0)
		return r;
	pidfd = -1;
	*out = cache_get(rs, ino);
	return *out ? 0 : -ESRCH;
}

int target_resolve(struct resolver *rs, pid_t pid, struct target *t)
{
	struct ns_entry *e;
	uint64_t ino;
	int r;

	memset(t, 0, sizeof(*t));
	if (pid <= 0)
		return -ESRCH; /* the kernel sends pid 0 for requests without a reader */
	r = pidns_inode(rs->host->proc_fd, pid, &ino);
	if (r < 0)
		return r == -ENOENT ? -ESRCH : r;
	t->pidns = ino;
	if (ino == rs->self_ns) {
		t->host_ns = true;
		t->init_pid = 1;
		return target_read_cgroups(rs->host, pid, t);
	}
	e = cache_get(rs, ino);
	if (!e) {
		r = resolve_init(rs, pid, ino, &e);
		if (r < 0)
			return r;
	}
	t->init_pid = e->init;
	r = target_read_cgroups(rs->host, e->init, t);
	/* read, then check: the pid still named the same process meanwhile */
	if (r == 0 && pidfd_check(e->pidfd) < 0)
		r = -ESRCH;
	if (r < 0)
		target_clear(t);
	else
		choose_cgroups(rs, pid, t);
	return r;
}
