// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The load-average sampler (see loadavg.h).
 *
 * Counting a container: the threads of its cgroup directory in the
 * hierarchy that keys it and of the descendants, with their state and
 * start time, as cg_tasks_walk() finds them (cgtasks.h: its bounds, and
 * why /proc/TID/task/TID/stat).  The averages count R and D (the kernel's
 * nr_running + nr_uninterruptible), "running" counts R (the kernel's
 * nr_running()), "total" every thread.
 *
 * The last pid: the kernel prints the last pid allocated in the reader's
 * pid namespace, which only the kernel knows.  Shown instead: the highest
 * pid, in the container's namespace, among the container's threads.  A
 * thread's pid there is entry number <depth> of the NSpid line of its
 * /proc/TID/status, depth being the number of NSpid entries of the
 * namespace's init; threads with fewer entries live outside that
 * namespace and are skipped, so a host pid is never shown.  Translations
 * are kept per (tid, start time) between counts: status is read only for
 * threads that are new since the last count.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cgtasks.h"
#include "cleanup.h"
#include "io.h"
#include "loadavg.h"

#define STATUS_FILE_MAX (64u * 1024)

/* ---- the kernel's arithmetic ---- */

uint64_t loadavg_calc(uint64_t load, uint64_t exp, uint64_t active)
{
	uint64_t newload = load * exp + active * (LOADAVG_FIXED_1 - exp);

	if (active >= load)
		newload += LOADAVG_FIXED_1 - 1;
	return newload / LOADAVG_FIXED_1;
}

/* x^n in fixed point with frac_bits fraction bits, rounding each step */
static uint64_t fixed_power_int(uint64_t x, unsigned frac_bits, unsigned n)
{
	uint64_t result = 1ULL << frac_bits;

	while (n) {
		if (n & 1) {
			result = (result * x + (1ULL << (frac_bits - 1))) >> frac_bits;
		}
		n >>= 1;
		if (n)
			x = (x * x + (1ULL << (frac_bits - 1))) >> frac_bits;
	}
	return result;
}

uint64_t loadavg_calc_n(uint64_t load, uint64_t exp, uint64_t active, unsigned n)
{
	return loadavg_calc(load, fixed_power_int(exp, LOADAVG_FSHIFT, n), active);
}

static const uint64_t exps[3] = { LOADAVG_EXP_1, LOADAVG_EXP_5, LOADAVG_EXP_15 };

/* ---- the table ---- */

struct la_task {
	pid_t tid;
	pid_t nspid; /* its pid in the container's namespace, 0 if outside */
	uint64_t start;
	char state;
};

struct la_entry {
	enum cg_ctl ctl;
	char *path;	    /* the key: cgroup path in hierarchy ctl ... */
	uint64_t pidns;	    /* ... and the reader's pid namespace */
	unsigned depth;	    /* NSpid entries of that namespace's init; 0: unknown */
	bool gone;	    /* counting failed: dropped at the next period */
	uint64_t last_read; /* clock */
	uint64_t sampled;   /* the period the averages account up to */
	struct loadavg_view v;
	struct la_task *tasks; /* of the last count, sorted by tid */
	size_t ntasks;
};

struct loadavg {
	const struct host *host;
	struct loadavg_params p;
	struct la_entry **ent;
	unsigned n;
	uint64_t period; /* the period being worked on */
	unsigned cursor; /* next entry to look at in it */
	struct loadavg_stats st;
	struct la_task *scratch; /* max_tasks threads: the count in progress */
};

static uint64_t real_clock(void *arg)
{
	struct timespec ts;

	(void)arg;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

void loadavg_params_default(struct loadavg_params *p)
{
	*p = (struct loadavg_params){
		.max_entries = LOADAVG_MAX_ENTRIES,
		.max_tasks = LOADAVG_MAX_TASKS,
		.idle_ns = LOADAVG_IDLE_NS,
		.budget_ns = LOADAVG_BUDGET_NS,
		.slice_ns = LOADAVG_SLICE_NS,
		.clock = real_clock,
	};
}

static uint64_t now(const struct loadavg *la)
{
	return la->p.clock(la->p.clock_arg);
}

static uint64_t period_of(uint64_t t)
{
	return t - t % LOADAVG_PERIOD_NS;
}

struct loadavg *loadavg_new(const struct host *host, const struct loadavg_params *p)
{
	struct loadavg *la = calloc(1, sizeof(*la));

	if (!la)
		return NULL;
	la->host = host;
	la->p = *p;
	if (!la->p.clock)
		la->p.clock = real_clock;
	if (!la->p.max_entries)
		la->p.max_entries = 1;
	if (!la->p.max_tasks)
		la->p.max_tasks = 1;
	if (la->p.max_tasks > CG_TASKS_MAX_THREADS)
		la->p.max_tasks = CG_TASKS_MAX_THREADS; /* the walk counts no more */
	la->ent = calloc(la->p.max_entries, sizeof(*la->ent));
	if (!la->ent) {
		free(la);
		return NULL;
	}
	return la;
}

static void entry_free(struct la_entry *e)
{
	if (!e)
		return;
	free(e->tasks);
	free(e->path);
	free(e);
}

static void entry_drop(struct loadavg *la, unsigned i)
{
	entry_free(la->ent[i]);
	memmove(&la->ent[i], &la->ent[i + 1], (la->n - i - 1) * sizeof(*la->ent));
	la->n--;
	if (la->cursor > i)
		la->cursor--;
}

void loadavg_free(struct loadavg *la)
{
	if (!la)
		return;
	while (la->n)
		entry_drop(la, la->n - 1);
	free(la->ent);
	free(la->scratch);
	free(la);
}

unsigned loadavg_count(const struct loadavg *la)
{
	return la->n;
}

int loadavg_cgroup(const struct host *host, const struct target *t, enum cg_ctl *ctl,
		   const char **path)
{
	static const enum cg_ctl order[] = { CG_CPU, CG_CPUACCT, CG_UNIFIED };

	for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
		if (host->cg.fd[order[i]] >= 0 && t->cg.path[order[i]]) {
			*ctl = order[i];
			*path = t->cg.path[order[i]];
			return 0;
		}
	}
	return -ENOENT;
}

/* ---- /proc/PID/status ---- */

/* The entries of the NSpid line of /proc/PID/status: how many there are
 * and the one at index want (0 if there are not that many). */
static int task_nspid(const struct loadavg *la, pid_t pid, unsigned want, unsigned *count,
		      pid_t *at)
{
	_cleanup_buf_ struct buf b = BUF_INIT(STATUS_FILE_MAX);
	_cleanup_close_ int fd = -1;
	char path[64];
	const char *p, *eol;
	int r;

	snprintf(path, sizeof(path), "%d/status", (int)pid);
	fd = openat(la->host->proc_fd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = read_all(fd, &b);
	if (r < 0 || !buf_cstr(&b))
		return r < 0 ? r : b.err;
	p = strstr(b.data, "\nNSpid:");
	if (!p)
		return -ENOENT;
	p += strlen("\nNSpid:");
	eol = p + strcspn(p, "\n");
	*count = 0;
	*at = 0;
	for (;;) {
		char *end;
		long v = strtol(p, &end, 10);

		if (end == p || end > eol || v <= 0 || v > INT32_MAX)
			break;
		if (*count == want)
			*at = (pid_t)v;
		(*count)++;
		p = end;
	}
	return *count ? 0 : -EIO;
}

/* ---- counting a container ---- */

struct count {
	struct loadavg *la;
	size_t n; /* threads in la->scratch */
};

static int count_thread(const struct cg_thread *t, void *arg)
{
	struct count *c = arg;

	c->la->scratch[c->n++] =
	    (struct la_task){ .tid = t->tid, .start = t->start, .state = t->state };
	return c->n >= c->la->p.max_tasks; /* the bound: stop */
}

static int cmp_task(const void *a, const void *b)
{
	const struct la_task *x = a, *y = b;

	return (x->tid > y->tid) - (x->tid < y->tid);
}

/* The translation the last count made for the same thread, or -1. */
static pid_t known_nspid(const struct la_entry *e, const struct la_task *t)
{
	const struct la_task *hit =
	    e->ntasks ? bsearch(t, e->tasks, e->ntasks, sizeof(*t), cmp_task) : NULL;

	return hit && hit->start == t->start ? hit->nspid : -1;
}

static pid_t translate(const struct loadavg *la, const struct la_entry *e, const struct la_task *t)
{
	pid_t nspid = known_nspid(e, t);
	unsigned cnt;

	if (nspid >= 0)
		return nspid;
	if (!e->depth || task_nspid(la, t->tid, e->depth - 1, &cnt, &nspid) < 0)
		return 0;
	return nspid;
}

/* Sort, drop duplicates (a thread that moved during the walk), translate,
 * and count states into v; the active (R + D) count is returned. */
static unsigned finish_tasks(struct loadavg *la, const struct la_entry *e, size_t *ntasks,
			     struct loadavg_view *v)
{
	struct la_task *t = la->scratch;
	unsigned active = 0;
	size_t n = 0;

	qsort(t, *ntasks, sizeof(*t), cmp_task);
	v->running = 0;
	v->last_pid = 0;
	for (size_t i = 0; i < *ntasks; i++) {
		if (n && t[n - 1].tid == t[i].tid)
			continue;
		t[n] = t[i];
		t[n].nspid = translate(la, e, &t[n]);
		if (t[n].nspid > v->last_pid)
			v->last_pid = t[n].nspid;
		v->running += t[n].state == 'R';
		active += t[n].state == 'R' || t[n].state == 'D';
		n++;
	}
	*ntasks = n;
	v->total = (unsigned)n;
	return active;
}

/* Count the container's threads now: e's counts, tasks, and *active. */
static int entry_count(struct loadavg *la, struct la_entry *e, unsigned *active)
{
	struct count c = { .la = la };
	_cleanup_close_ int dfd = cg_open_dir(&la->host->cg, e->ctl, e->path);
	struct loadavg_view v = e->v;
	struct la_task *keep;
	int r;

	if (dfd < 0)
		return dfd;
	if (!la->scratch) {
		la->scratch = malloc(la->p.max_tasks * sizeof(*la->scratch));
		if (!la->scratch)
			return -ENOMEM;
	}
	r = cg_tasks_walk(la->host, e->ctl, dfd, count_thread, &c);
	if (r < 0)
		return r;
	*active = finish_tasks(la, e, &c.n, &v);
	keep = malloc((c.n ? c.n : 1) * sizeof(*keep));
	if (!keep)
		return -ENOMEM;
	memcpy(keep, la->scratch, c.n * sizeof(*keep));
	free(e->tasks);
	e->tasks = keep;
	e->ntasks = c.n;
	if (!v.last_pid)
		v.last_pid = e->v.last_pid; /* none translatable now: keep the last one */
	e->v = v;
	return 0;
}

/* ---- reads ---- */

static struct la_entry *entry_find(struct loadavg *la, enum cg_ctl ctl, const char *path,
				   uint64_t pidns, unsigned *idx)
{
	for (unsigned i = 0; i < la->n; i++) {
		struct la_entry *e = la->ent[i];

		if (e->ctl == ctl && e->pidns == pidns && !strcmp(e->path, path)) {
			*idx = i;
			return e;
		}
	}
	return NULL;
}

static void evict_lru(struct loadavg *la)
{
	unsigned old = 0;

	for (unsigned i = 1; i < la->n; i++)
		if (la->ent[i]->last_read < la->ent[old]->last_read)
			old = i;
	entry_drop(la, old);
}

static int entry_add(struct loadavg *la, const struct target *t, enum cg_ctl ctl, const char *path,
		     uint64_t at, struct la_entry **out)
{
	struct la_entry *e = calloc(1, sizeof(*e));
	unsigned active, cnt;
	pid_t ignored;
	int r;

	if (!e || !(e->path = strdup(path))) {
		free(e);
		return -ENOMEM;
	}
	e->ctl = ctl;
	e->pidns = t->pidns;
	e->sampled = period_of(at);
	if (task_nspid(la, t->init_pid, 0, &cnt, &ignored) == 0)
		e->depth = cnt; /* else 0: no last pid, rather than a wrong one */
	r = entry_count(la, e, &active);
	if (r < 0) {
		entry_free(e);
		return r;
	}
	if (la->n >= la->p.max_entries)
		evict_lru(la);
	la->ent[la->n++] = e;
	*out = e;
	return 0;
}

int loadavg_read(struct loadavg *la, const struct target *t, struct loadavg_view *v)
{
	uint64_t at = now(la);
	struct la_entry *e;
	enum cg_ctl ctl;
	const char *path;
	unsigned i;
	int r;

	r = loadavg_cgroup(la->host, t, &ctl, &path);
	if (r < 0)
		return r;
	e = entry_find(la, ctl, path, t->pidns, &i);
	if (e && e->gone) {
		entry_drop(la, i);
		e = NULL;
	}
	if (!e) {
		r = entry_add(la, t, ctl, path, at, &e);
		if (r < 0)
			return r;
	}
	e->last_read = at;
	*v = e->v;
	return 0;
}

/* ---- the periodic work ---- */

uint64_t loadavg_next_tick(const struct loadavg *la)
{
	return la->n ? period_of(now(la)) + LOADAVG_PERIOD_NS : 0;
}

static int cmp_sampled(const void *a, const void *b)
{
	const struct la_entry *x = *(const struct la_entry *const *)a;
	const struct la_entry *y = *(const struct la_entry *const *)b;

	return (x->sampled > y->sampled) - (x->sampled < y->sampled);
}

/* A new period: drop what nobody reads, longest unsampled first. */
static void period_start(struct loadavg *la, uint64_t p, uint64_t at)
{
	la->period = p;
	la->cursor = 0;
	for (unsigned i = la->n; i-- > 0;) {
		struct la_entry *e = la->ent[i];

		if (e->gone || at - e->last_read >= la->p.idle_ns) {
			entry_drop(la, i);
			la->st.dropped++;
		}
	}
	qsort(la->ent, la->n, sizeof(*la->ent), cmp_sampled);
}

static void entry_sample(struct loadavg *la, struct la_entry *e)
{
	uint64_t missed = (la->period - e->sampled) / LOADAVG_PERIOD_NS;
	unsigned active;

	if (entry_count(la, e, &active) < 0) {
		e->gone = true; /* its cgroup went away: keep nothing of it */
		return;
	}
	for (int i = 0; i < 3; i++)
		e->v.avenrun[i] =
		    loadavg_calc_n(e->v.avenrun[i], exps[i], (uint64_t)active * LOADAVG_FIXED_1,
				   missed > UINT32_MAX ? UINT32_MAX : (unsigned)missed);
	e->sampled = la->period;
	la->st.sampled++;
	la->st.tasks += (unsigned)e->ntasks;
}

static bool period_done(struct loadavg *la, struct loadavg_stats *st)
{
	la->st.containers = la->n;
	if (st)
		*st = la->st;
	memset(&la->st, 0, sizeof(la->st));
	return false;
}

bool loadavg_run(struct loadavg *la, struct loadavg_stats *st)
{
	uint64_t t0 = now(la), t = t0;

	if (period_of(t0) != la->period)
		period_start(la, period_of(t0), t0);
	for (; la->cursor < la->n; la->cursor++) {
		struct la_entry *e = la->ent[la->cursor];

		if (e->sampled >= la->period)
			continue;
		if (la->st.spent_ns + (t - t0) >= la->p.budget_ns) {
			for (unsigned i = la->cursor; i < la->n; i++)
				la->st.deferred += la->ent[i]->sampled < la->period;
			la->cursor = la->n;
			break;
		}
		if (t - t0 >= la->p.slice_ns) {
			la->st.spent_ns += t - t0;
			return true;
		}
		entry_sample(la, e);
		t = now(la);
	}
	la->st.spent_ns += t - t0;
	return period_done(la, st);
}
