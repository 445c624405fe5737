// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Sampling the container's CPU time (see cpuview.h), in USER_HZ ticks:
 * - v1 cpuacct.usage_percpu: per-CPU time (ns, precise), split into user
 *   and system in the ratio of cpuacct.stat's ticks, as the kernel splits
 *   a precise runtime (cputime_adjust; cpuacct.stat itself is split so);
 *   the total sums every CPU of the file, also CPUs no longer visible;
 * - v1 cpuacct.usage_all where usage_percpu is missing: per-CPU user and
 *   system (ns); these are tick samples, which overcount a throttled task
 *   (a 50 % quota read as 56 % here), hence the second choice;
 * - v1 cpuacct.usage alone, or v2 cpu.stat (usage_usec, user_usec,
 *   system_usec): no per-CPU times; the total is spread evenly over the
 *   visible CPUs, the first (total mod n) lines one tick ahead, so each
 *   line grows with the total and the lines add up to it.
 * nice, iowait, irq, softirq, steal and guest have no per-cgroup source:
 * 0 (the kernel's cpuacct.stat counts nice in user and irq in system).
 * The clock: the host's proc/uptime and the start time of the init
 * (field 22 of proc/PID/stat).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "cpuview.h"
#include "fsio.h"

#define STAT_STARTTIME 22 /* field number in proc/PID/stat (1-based) */
#define NSEC_PER_SEC   1000000000ull
#define USEC_PER_SEC   1000000ull
#define CG_FILE_MAX    (1u << 20)

int parse_uptime_cs(const char *s, uint64_t *cs)
{
	uint64_t sec, frac = 0;
	char *end;

	errno = 0;
	sec = strtoull(s, &end, 10);
	if (errno || end == s || *s == '-')
		return -EIO;
	if (*end == '.') {
		for (int i = 0; i < 2; i++) {
			end++;
			if (*end < '0' || *end > '9')
				return -EIO;
			frac = frac * 10 + (uint64_t)(*end - '0');
		}
	}
	*cs = sec * 100 + frac;
	return 0;
}

/* Start time of a process in clock ticks.  The fields after comm are
 * counted from the LAST ')': comm may hold spaces and parentheses. */
static int start_ticks(const struct host *h, pid_t pid, uint64_t *ticks)
{
	_cleanup_buf_ struct buf b = BUF_INIT(4096);
	char name[32];
	const char *p;
	char *end;
	int r;

	if (pid <= 0)
		return -EINVAL;
	snprintf(name, sizeof(name), "%d/stat", (int)pid);
	r = host_read_proc(h, name, &b);
	if (r < 0)
		return r;
	p = strrchr(b.data, ')');
	if (!p)
		return -EIO;
	p++;
	for (int field = 3; field < STAT_STARTTIME; field++) {
		p += strspn(p, " ");
		p += strcspn(p, " \n");
	}
	p += strspn(p, " ");
	errno = 0;
	*ticks = strtoull(p, &end, 10);
	if (errno || end == p || (*end != ' ' && *end != '\n' && *end))
		return -EIO;
	return 0;
}

static int clock_sample(const struct render_ctx *ctx, struct cs_sample *s)
{
	_cleanup_buf_ struct buf b = BUF_INIT(4096);
	uint64_t ticks, start_cs;
	int r;

	r = host_read_proc(ctx->host, "uptime", &b);
	if (r < 0)
		return r;
	if (parse_uptime_cs(b.data, &s->host_up_cs) < 0)
		return -EIO;
	r = start_ticks(ctx->host, ctx->tgt->init_pid, &ticks);
	if (r < 0)
		return r;
	start_cs = ticks / s->hz * 100 + ticks % s->hz * 100 / s->hz;
	s->init_age_cs = s->host_up_cs > start_cs ? s->host_up_cs - start_cs : 0;
	return 0;
}

static uint64_t scale(uint64_t v, uint64_t mul, uint64_t div)
{
	unsigned __int128 p = (unsigned __int128)v * mul / div;

	return p > UINT64_MAX ? UINT64_MAX : (uint64_t)p;
}

/* Split t into user and system in the ratio ut : st (all user if both 0). */
static void split(uint64_t t, uint64_t ut, uint64_t st, uint64_t *f)
{
	f[CS_USER] = ut + st ? scale(t, ut, ut + st) : t;
	f[CS_SYSTEM] = t - f[CS_USER];
}

/* The host CPU of each visible line: line i is the i-th visible CPU
 * (cpuset_rank()), in the order of their numbers.  render_stat() names it
 * as render_cpu_shown() says, and that number is its state slot, so a line
 * keeps its counters under its name whatever else the cpuset holds. */
static void lines_init(const struct render_ctx *ctx, const struct cpuset *vis,
		       struct cs_raw_line *line)
{
	for (unsigned w = 0; w < CPUSET_MAX / 64; w++) {
		for (uint64_t bits = vis->bits[w]; bits; bits &= bits - 1) {
			unsigned cpu = w * 64 + (unsigned)__builtin_ctzll(bits);

			struct cs_raw_line *l = &line[cpuset_rank(vis, cpu)];

			memset(l, 0, sizeof(*l));
			l->src = cpu;
			l->slot = render_cpu_shown(ctx, vis, cpu);
		}
	}
}

static void lines_spread(struct cs_sample *s, struct cs_raw_line *line)
{
	unsigned n = s->nlines;

	for (unsigned i = 0; line && i < n; i++) {
		line[i].src = CS_SRC_SPREAD(n);
		for (int f = 0; f < CS_NFIELDS; f++)
			line[i].f[f] = s->total[f] / n + (i < s->total[f] % n ? 1 : 0);
	}
}

/* v1 cpuacct.usage_all: "cpu user system" then "N USER_NS SYSTEM_NS". */
static int v1_usage_all(const char *text, const struct cpuset *vis, struct cs_sample *s,
			struct cs_raw_line *line)
{
	const char *p = strchr(text, '\n');

	if (strncmp(text, "cpu ", 4) != 0 || !p)
		return -EIO;
	for (p++; *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p)) {
		unsigned cpu;
		unsigned long long u, sy;
		uint64_t f[CS_NFIELDS] = { 0 };

		if (sscanf(p, "%u %llu %llu", &cpu, &u, &sy) != 3)
			return -EIO;
		f[CS_USER] = scale(u, s->hz, NSEC_PER_SEC);
		f[CS_SYSTEM] = scale(sy, s->hz, NSEC_PER_SEC);
		s->total[CS_USER] += f[CS_USER];
		s->total[CS_SYSTEM] += f[CS_SYSTEM];
		if (line && cpu < CPUSET_MAX && cpuset_has(vis, cpu))
			memcpy(line[cpuset_rank(vis, cpu)].f, f, sizeof(f));
	}
	return 0;
}

/* v1 cpuacct.usage_percpu ("NS NS ..."), split by cpuacct.stat. */
static int v1_percpu(const char *text, uint64_t ut, uint64_t st, const struct cpuset *vis,
		     struct cs_sample *s, struct cs_raw_line *line)
{
	const char *p = text;
	uint64_t all = 0;

	for (unsigned cpu = 0;; cpu++) {
		char *end;
		uint64_t ns;

		p += strspn(p, " \n");
		if (!*p)
			break;
		errno = 0;
		ns = strtoull(p, &end, 10);
		if (errno || end == p)
			return -EIO;
		p = end;
		all += scale(ns, s->hz, NSEC_PER_SEC);
		if (line && cpu < CPUSET_MAX && cpuset_has(vis, cpu))
			split(scale(ns, s->hz, NSEC_PER_SEC), ut, st,
			      line[cpuset_rank(vis, cpu)].f);
	}
	split(all, ut, st, s->total);
	return 0;
}

static int v1_sample(const struct cg_layout *l, const char *path, const struct cpuset *vis,
		     struct cs_sample *s, struct cs_raw_line *line)
{
	_cleanup_buf_ struct buf b = BUF_INIT(CG_FILE_MAX);
	_cleanup_close_ int dfd = cg_open_dir(l, CG_CPUACCT, path);
	uint64_t ut = 0, st = 0, ns;
	int r;

	if (dfd < 0)
		return dfd;
	if (fs_read_beneath(dfd, "cpuacct.stat", &b) == 0) {
		cg_kv_get(b.data, "user", &ut);
		cg_kv_get(b.data, "system", &st);
	}
	buf_reset(&b);
	if (fs_read_beneath(dfd, "cpuacct.usage_percpu", &b) == 0)
		return v1_percpu(b.data, ut, st, vis, s, line);
	buf_reset(&b);
	if (fs_read_beneath(dfd, "cpuacct.usage_all", &b) == 0)
		return v1_usage_all(b.data, vis, s, line);
	r = fs_read_u64_beneath(dfd, "cpuacct.usage", &ns);
	if (r < 0)
		return r;
	split(scale(ns, s->hz, NSEC_PER_SEC), ut, st, s->total);
	lines_spread(s, line);
	return 0;
}

static int v2_sample(const struct cg_layout *l, const char *path, struct cs_sample *s,
		     struct cs_raw_line *line)
{
	_cleanup_buf_ struct buf b = BUF_INIT(CG_FILE_MAX);
	uint64_t usage, user = 0, sys = 0;
	int r;

	r = cg_read(l, CG_CPUACCT, path, "cpu.stat", &b);
	if (r < 0)
		return r;
	if (cg_kv_get(b.data, "usage_usec", &usage) < 0)
		return -EIO;
	cg_kv_get(b.data, "user_usec", &user);
	cg_kv_get(b.data, "system_usec", &sys);
	split(scale(usage, s->hz, USEC_PER_SEC), user, sys, s->total);
	lines_spread(s, line);
	return 0;
}

/* The state's key: the hierarchy and path of the container's accounting. */
static void state_id(const struct target *t, struct buf *id)
{
	static const enum cg_ctl order[] = { CG_CPUACCT, CG_CPU, CG_CPUSET, CG_MEMORY };

	for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
		if (t->cg.path[order[i]]) {
			buf_printf(id, "%s:%s", cg_ctl_name(order[i]), t->cg.path[order[i]]);
			return;
		}
	}
	buf_puts(id, "-");
}

int cpu_view_get(const struct render_ctx *ctx, bool stat, const uint64_t *extra,
		 struct cpu_view *cv)
{
	const struct cg_layout *l = &ctx->host->cg;
	const char *path = ctx->tgt->cg.path[CG_CPUACCT];
	_cleanup_buf_ struct buf id = BUF_INIT(CG_FILE_MAX);
	_cleanup_free_ struct cs_raw_line *line = NULL;
	struct cs_sample s = { .stat = stat };
	long hz = sysconf(_SC_CLK_TCK);
	int r;

	memset(cv, 0, sizeof(*cv));
	if (hz <= 0 || hz > 1000000)
		return -EIO;
	s.hz = cv->hz = (unsigned)hz;
	r = render_visible_cpus(ctx, &cv->vis);
	if (r < 0)
		return r;
	s.ncpus = cv->n = cpuset_count(&cv->vis);
	r = clock_sample(ctx, &s);
	if (r < 0)
		return r;
	if (stat) {
		line = calloc(cv->n, sizeof(*line));
		cv->v.line = calloc(cv->n, sizeof(*cv->v.line));
		if (!line || !cv->v.line) {
			cpu_view_free(cv);
			return -ENOMEM;
		}
		lines_init(ctx, &cv->vis, line);
		s.nlines = cv->n;
		s.line = line;
		memcpy(s.extra, extra, sizeof(s.extra));
	}
	if (path && l->fd[CG_CPUACCT] >= 0) {
		r = l->v2[CG_CPUACCT] ? v2_sample(l, path, &s, line)
				      : v1_sample(l, path, &cv->vis, &s, line);
		if (r < 0 && r != -ENOENT) {
			cpu_view_free(cv);
			return r;
		}
	}
	state_id(ctx->tgt, &id);
	if (!buf_cstr(&id)) {
		cpu_view_free(cv);
		return -ENOMEM;
	}
	cpustate_update(ctx->cs, id.data, id.len, &s, &cv->v);
	return 0;
}

void cpu_view_free(struct cpu_view *cv)
{
	free(cv->v.line);
	cv->v.line = NULL;
}
