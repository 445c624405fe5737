// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * proc/stat: the container's CPU lines and counters in the kernel's keys,
 * order and format (see doc/FILES.md, "proc/stat"):
 *   cpu  / cpuN  the cgroup's CPU time (cpuview.c), made monotonic and
 *                given an idle column by the counter state (cpustate.c);
 *                one cpuN line per visible CPU, numbered by
 *                render_cpu_shown()
 *   intr         0, then one 0 per interrupt the host lists: no per-cgroup
 *                source exists
 *   ctxt         the context switches of the container's threads
 *   btime        the host's boot time (parsers need it)
 *   processes    threads of the container as they are first seen (the
 *                kernel counts forks; the cgroup has no fork counter)
 *   procs_running, procs_blocked  its threads in state R (at least 1: the
 *                reader itself, as the kernel counts it) and D
 *   softirq      0s in the host's layout, as intr
 * A reader in the host's pid namespace in the root cgroup gets the host's
 * file.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cgtasks.h"
#include "cleanup.h"
#include "cpuview.h"
#include "render.h"

#define HOST_STAT_MAX (4u << 20)

/* The line of text that starts with "key ", or NULL. */
static const char *host_line(const char *text, const char *key, size_t *len)
{
	size_t n = strlen(key);

	for (const char *p = text; p && *p;) {
		const char *nl = strchr(p, '\n');

		if (strncmp(p, key, n) == 0 && p[n] == ' ') {
			*len = nl ? (size_t)(nl - p) : strlen(p);
			return p;
		}
		p = nl ? nl + 1 : NULL;
	}
	return NULL;
}

/* "key 0 0 ... 0" with as many numbers as the host's line has (1 if the
 * host has none). */
static void zero_line(struct buf *o, const char *host, const char *key)
{
	size_t len = 0, cols = 0;
	const char *p = host_line(host, key, &len);

	for (size_t i = 0; p && i < len; i++)
		if (p[i] == ' ' && i + 1 < len && p[i + 1] != ' ')
			cols++;
	buf_puts(o, key);
	for (size_t i = 0; i < (cols ? cols : 1); i++)
		buf_puts(o, " 0");
	buf_puts(o, "\n");
}

static void cpu_line(struct buf *o, const char *name, const uint64_t *f)
{
	buf_puts(o, name);
	for (int i = 0; i < CS_NFIELDS; i++)
		buf_printf(o, " %" PRIu64, f[i]);
	buf_puts(o, "\n");
}

static void cpu_lines(const struct render_ctx *ctx, struct buf *o, const struct cpu_view *cv)
{
	unsigned i = 0;

	cpu_line(o, "cpu ", cv->v.total); /* "cpu  N": two spaces, as the kernel */
	for (unsigned w = 0; w < CPUSET_MAX / 64; w++) {
		for (uint64_t bits = cv->vis.bits[w]; bits; bits &= bits - 1) {
			unsigned cpu = w * 64 + (unsigned)__builtin_ctzll(bits);
			char name[16];

			snprintf(name, sizeof(name), "cpu%u", render_cpu_shown(ctx, &cv->vis, cpu));
			cpu_line(o, name, cv->v.line[i++]);
		}
	}
}

static const char *tasks_path(const struct target *t, enum cg_ctl *c)
{
	static const enum cg_ctl order[] = { CG_CPUACCT, CG_CPU, CG_CPUSET, CG_MEMORY };

	for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
		if (t->cg.path[order[i]]) {
			*c = order[i];
			return t->cg.path[order[i]];
		}
	}
	return NULL;
}

/* The container's threads, counted as proc/stat shows them. */
struct tasks {
	const struct host *h;
	uint64_t threads; /* listed (alive when listed) */
	uint64_t running; /* state R */
	uint64_t blocked; /* state D */
	uint64_t ctxt;	  /* their context switches */
};

/* proc/TID/task/TID/schedstat: "run_ns wait_ns timeslices", the last one
 * the times it was switched in. */
static uint64_t thread_switches(const struct host *h, pid_t tid)
{
	unsigned long long run, wait, slices;
	char b[256];

	if (cg_thread_read(h, tid, "schedstat", b, sizeof(b)) < 0 ||
	    sscanf(b, "%llu %llu %llu", &run, &wait, &slices) != 3)
		return 0;
	return slices;
}

static int count_thread(const struct cg_thread *t, void *arg)
{
	struct tasks *c = arg;

	c->threads++;
	c->running += t->state == 'R';
	c->blocked += t->state == 'D';
	c->ctxt += thread_switches(c->h, t->tid);
	return 0;
}

/* 0 (counts possibly 0: no hierarchy, or no thread list readable) or
 * -errno when the cgroup cannot be opened. */
static int count_tasks(const struct render_ctx *ctx, struct tasks *out)
{
	enum cg_ctl c = CG_CPUACCT;
	const char *path = tasks_path(ctx->tgt, &c);
	_cleanup_close_ int fd = -1;

	*out = (struct tasks){ .h = ctx->host };
	if (!path || ctx->host->cg.fd[c] < 0)
		return 0;
	fd = cg_open_dir(&ctx->host->cg, c, path);
	if (fd < 0)
		return fd;
	cg_tasks_walk(ctx->host, c, fd, count_thread, out);
	return 0;
}

int render_stat(const struct render_ctx *ctx, struct buf *out)
{
	_cleanup_buf_ struct buf host = BUF_INIT(HOST_STAT_MAX);
	const char *acct = ctx->tgt->cg.path[CG_CPUACCT];
	struct tasks t;
	uint64_t extra[CS_NEXTRA];
	struct cpu_view cv;
	const char *btime;
	size_t len = 0;
	int r;

	r = host_read_proc(ctx->host, "stat", &host);
	if (r < 0)
		return r;
	if (ctx->tgt->host_ns && acct && strcmp(acct, "/") == 0)
		return buf_append(out, host.data, host.len);
	r = count_tasks(ctx, &t);
	if (r < 0)
		return r;
	extra[CS_CTXT] = t.ctxt;
	extra[CS_PROCESSES] = t.threads;
	r = cpu_view_get(ctx, true, extra, &cv);
	if (r < 0)
		return r;
	cpu_lines(ctx, out, &cv);
	zero_line(out, host.data, "intr");
	buf_printf(out, "ctxt %" PRIu64 "\n", cv.v.extra[CS_CTXT]);
	btime = host_line(host.data, "btime", &len);
	if (btime) {
		buf_append(out, btime, len);
		buf_puts(out, "\n");
	} else {
		buf_puts(out, "btime 0\n");
	}
	buf_printf(out, "processes %" PRIu64 "\n", cv.v.extra[CS_PROCESSES]);
	buf_printf(out, "procs_running %" PRIu64 "\n", t.running ? t.running : 1);
	buf_printf(out, "procs_blocked %" PRIu64 "\n", t.blocked);
	zero_line(out, host.data, "softirq");
	cpu_view_free(&cv);
	return out->err;
}
