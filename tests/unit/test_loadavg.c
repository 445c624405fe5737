// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * TAP tests of proc/loadavg with -l: the kernel's fixed-point arithmetic
 * against values computed with the kernel's formula, the sampler's table
 * (counting, decay per 5 s period, eviction, idle drop, budget, slices)
 * with a fake clock, and the renderer, on the fixture trees of v1, v2 and
 * hybrid hosts; and the walk of a cgroup's threads behind it and proc/stat
 * (cgtasks.c): order, records, bounds, unreadable parts.
 *
 * Thread states come from proc/TID/task/TID/stat (the thread's own line;
 * proc/TID/stat would sum the times of the whole thread group).
 * The fixture container "la" (init pid 1000, cgroup /lxc/la) has seven
 * threads over la, la/sub and la/sub/deeper:
 *   1000 S init, pid 1    1001 R pid 5     1002 D pid 7    1003 R pid 6
 *   1004 S in the cgroup but outside the namespace (a host pid only)
 *   1005 S pid 9 in the container, pid 1 in a nested namespace
 *   1006 Z pid 3          1007 listed in tasks, already gone from /proc
 * so: running 2, load-active 3 (R, R, D), total 7, last pid 9.
 */
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

#include "buf.h"
#include "cgroup.h"
#include "cgtasks.h"
#include "cleanup.h"
#include "fsio.h"
#include "loadavg.h"
#include "render.h"
#include "tap.h"
#include "fixture.h"

#define SEC	 1000000000ULL
#define MS	 1000000ULL
#define T0	 (1001 * SEC) /* between two 5 s grid points */
#define HOST_LA	 "0.52 0.58 0.59 3/812 34567\n"
#define LA_FIRST "0.00 0.00 0.00 2/7 9\n"

/* ---- the fake clock ---- */

static uint64_t fake_now, fake_step;

static uint64_t fake_clock(void *arg)
{
	uint64_t t = fake_now;

	(void)arg;
	fake_now += fake_step;
	return t;
}

static void params(struct loadavg_params *p)
{
	loadavg_params_default(p);
	p->clock = fake_clock;
	fake_now = T0;
	fake_step = 0;
}

/* ---- fixture hosts (fixture.h) ---- */

/* The target of a container whose init is pid (its proc/PID/cgroup). */
static void target_of(const struct host *h, pid_t pid, bool host_ns, struct target *t)
{
	_cleanup_buf_ struct buf b = BUF_INIT(1 << 16);
	char name[32];

	memset(t, 0, sizeof(*t));
	t->init_pid = host_ns ? 1 : pid; /* as target_resolve() does */
	t->host_ns = host_ns;
	t->pidns = host_ns ? 1 : 4026531000u + (unsigned)pid;
	snprintf(name, sizeof(name), "%d/cgroup", (int)pid);
	if (fs_read_beneath(h->proc_fd, name, &b) < 0 || !buf_cstr(&b) ||
	    cg_paths_parse(&h->cg, b.data, b.len, &t->cg) < 0)
		die(name);
}

static const struct render_opts opt_none, opt_l = { .loadavg = true };
static char text[4096];

/* proc/loadavg as container pid reads it (text valid until the next call). */
static const char *render(const struct host *h, struct loadavg *la, const struct render_opts *o,
			  pid_t pid, bool host_ns)
{
	_cleanup_buf_ struct buf out = BUF_INIT(4096);
	struct target t;
	struct render_ctx ctx = { .host = h, .tgt = &t, .opt = o, .loadavg = la };
	int r;

	target_of(h, pid, host_ns, &t);
	r = render_lookup(VFILE_PROC_LOADAVG)(&ctx, &out);
	cg_paths_free(&t.cg);
	if (r < 0 || out.err || !buf_cstr(&out)) {
		snprintf(text, sizeof(text), "error %d", r < 0 ? r : out.err);
		return text;
	}
	snprintf(text, sizeof(text), "%s", out.data);
	return text;
}

static const char *R(const struct host *h, struct loadavg *la, pid_t pid)
{
	return render(h, la, &opt_l, pid, false);
}

static struct loadavg_view view_of(const struct host *h, struct loadavg *la, pid_t pid)
{
	struct loadavg_view v;
	struct target t;

	memset(&v, 0, sizeof(v));
	target_of(h, pid, false, &t);
	if (loadavg_read(la, &t, &v) < 0)
		v.total = 999999;
	cg_paths_free(&t.cg);
	return v;
}

/* Move the fake clock to the next grid point (+ extra) and run a period. */
static struct loadavg_stats tick(struct loadavg *la, uint64_t extra)
{
	struct loadavg_stats st = { 0 };

	fake_now = fake_now - fake_now % LOADAVG_PERIOD_NS + LOADAVG_PERIOD_NS + extra;
	while (loadavg_run(la, &st))
		;
	return st;
}

/* ---- temporary copies of a fixture (fixture.h) ---- */

static void mkdir_(const char *rel)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/%s", tmp, rel);
	if (mkdir(p, 0755) < 0)
		die(p);
}

/* mkdir that may find the directory there */
static void mkdir_p(const char *rel)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/%s", tmp, rel);
	if (mkdir(p, 0755) < 0 && errno != EEXIST)
		die(p);
}

/* A thread of the copy: proc/TID/stat (start time start) and status. */
static void put_task(pid_t tid, char state, unsigned long long start, const char *nspid)
{
	char rel[64], s[512];

	snprintf(rel, sizeof(rel), "proc/%d", (int)tid);
	mkdir_p(rel);
	snprintf(s, sizeof(s),
		 "%d (t) %c 1 1 1 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 %llu 0 0 0 0 0 0 0 0\n",
		 (int)tid, state, start);
	snprintf(rel, sizeof(rel), "proc/%d/stat", (int)tid);
	puts_(rel, s);
	snprintf(rel, sizeof(rel), "proc/%d/task", (int)tid);
	mkdir_p(rel);
	snprintf(rel, sizeof(rel), "proc/%d/task/%d", (int)tid, (int)tid);
	mkdir_p(rel);
	snprintf(rel, sizeof(rel), "proc/%d/task/%d/stat", (int)tid, (int)tid);
	puts_(rel, s);
	snprintf(rel, sizeof(rel), "proc/%d/status", (int)tid);
	snprintf(s, sizeof(s), "Name:\tt\nState:\t%c\nPPid:\t1\nNSpid:\t%s\nThreads:\t1\n", state,
		 nspid);
	puts_(rel, s);
}

/* ---- the tests ---- */

static void test_arithmetic(void)
{
	/* one task from 0, 12 samples (60 s), computed with the kernel's
	 * newload = (load*exp + active*(FIXED_1-exp) [+ FIXED_1-1 when
	 * rising]) / FIXED_1 */
	static const uint64_t one[12] = { 164, 315,  454,  582,	 700,  808,
					  908, 1000, 1084, 1162, 1233, 1299 };
	uint64_t l[3] = { 0, 0, 0 };
	bool seq = true;

	for (int i = 0; i < 12; i++) {
		l[0] = loadavg_calc(l[0], LOADAVG_EXP_1, LOADAVG_FIXED_1);
		l[1] = loadavg_calc(l[1], LOADAVG_EXP_5, LOADAVG_FIXED_1);
		l[2] = loadavg_calc(l[2], LOADAVG_EXP_15, LOADAVG_FIXED_1);
		seq = seq && l[0] == one[i];
	}
	ok(seq, "1 task from 0: 164, 315, 454 ... 1299 over 12 samples");
	is_int(l[0], 1299, "1 task for 60 s: 1-minute 1299/2048 (0.63)");
	is_int(l[1], 378, "1 task for 60 s: 5-minute 378/2048 (0.18)");
	is_int(l[2], 132, "1 task for 60 s: 15-minute 132/2048 (0.06)");
	for (int i = 0; i < 12; i++) {
		l[0] = loadavg_calc(l[0], LOADAVG_EXP_1, 0);
		l[1] = loadavg_calc(l[1], LOADAVG_EXP_5, 0);
		l[2] = loadavg_calc(l[2], LOADAVG_EXP_15, 0);
	}
	ok(l[0] == 474 && l[1] == 303 && l[2] == 120,
	   "then idle for 60 s: 474, 303, 120 (%llu %llu %llu)", (unsigned long long)l[0],
	   (unsigned long long)l[1], (unsigned long long)l[2]);
	is_int(loadavg_calc(0, LOADAVG_EXP_1, 3 * LOADAVG_FIXED_1), 492,
	       "3 tasks, one sample: 492");
	is_int(loadavg_calc(492, LOADAVG_EXP_1, 3 * LOADAVG_FIXED_1), 945,
	       "3 tasks, two samples: 945");
	is_int(loadavg_calc(1000 * LOADAVG_FIXED_1, LOADAVG_EXP_1, 1000 * LOADAVG_FIXED_1),
	       1000 * LOADAVG_FIXED_1, "a steady 1000 tasks stays 1000.00");
	/* calc_load_n: exp^n by fixed_power_int, then one step */
	is_int(loadavg_calc_n(0, LOADAVG_EXP_1, LOADAVG_FIXED_1, 1), 164, "calc_n, n 1 = calc");
	is_int(loadavg_calc_n(0, LOADAVG_EXP_1, LOADAVG_FIXED_1, 2), 315, "calc_n 1-minute, n 2");
	is_int(loadavg_calc_n(0, LOADAVG_EXP_5, LOADAVG_FIXED_1, 2), 67, "calc_n 5-minute, n 2");
	is_int(loadavg_calc_n(0, LOADAVG_EXP_1, LOADAVG_FIXED_1, 12), 1297, "calc_n, n 12");
	is_int(loadavg_calc_n(0, LOADAVG_EXP_15, LOADAVG_FIXED_1, 12), 129, "calc_n 15-min, n 12");
	is_int(loadavg_calc_n(777, LOADAVG_EXP_1, 0, 0), 777, "calc_n, n 0 changes nothing");
}

static void test_format(void)
{
	static const struct {
		uint64_t a[3];
		const char *want;
	} c[] = {
		{ { 1299, 378, 132 }, "0.63 0.18 0.06 1/5 42\n" },
		{ { 2037, 2038, 9 }, "0.99 1.00 0.00 1/5 42\n" }, /* + FIXED_1/200 rounds */
		{ { 10, 0, 2048000 }, "0.00 0.00 1000.00 1/5 42\n" },
		{ { 2048 + 1024, 4096 + 20, 5 * 2048 + 2047 }, "1.50 2.01 6.00 1/5 42\n" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(c); i++) {
		_cleanup_buf_ struct buf b = BUF_INIT(256);
		struct loadavg_view v = { { c[i].a[0], c[i].a[1], c[i].a[2] }, 1, 5, 42 };

		render_loadavg_format(&v, &b);
		is_str(buf_cstr(&b), c[i].want, "format: %s", c[i].want);
	}
}

static void test_passthrough(void)
{
	struct loadavg_params p;
	struct loadavg *la;
	struct host h;

	host_open(&h, "v1");
	params(&p);
	la = loadavg_new(&h, &p);
	is_str(render(&h, NULL, &opt_none, 1000, false), HOST_LA, "without -l: the host's file");
	is_str(render(&h, la, &opt_none, 1000, false), HOST_LA,
	       "without -l, even with a sampler: the host's file");
	is_str(render(&h, NULL, &opt_l, 1000, false), HOST_LA,
	       "-l without a sampler (pure renderer tests): the host's file");
	is_int(loadavg_count(la), 0, "nothing sampled without -l");
	is_str(render(&h, la, &opt_l, 1, true), HOST_LA,
	       "-l, host reader in the root cgroup: the host's file");
	is_str(render(&h, la, &opt_l, 1, false), "0.52 0.58 0.59 3/812 1\n",
	       "-l, container in the root cgroup: the host's numbers, never its last pid");
	is_int(loadavg_count(la), 0, "the root cgroup is never sampled");
	is_str(render(&h, la, &opt_l, 1000, true), "0.00 0.00 0.00 2/7 1006\n",
	       "-l, host reader in a container's cgroup: that cgroup's view, host pids");
	is_str(render(&h, la, &opt_l, 1000, false), LA_FIRST,
	       "-l, the container itself: another entry, its own pids");
	is_int(loadavg_count(la), 2, "one entry per (cgroup, pid namespace)");
	loadavg_free(la);
	host_close(&h);
}

static void test_first_read(const char *fixture)
{
	struct loadavg_params p;
	struct loadavg *la;
	struct loadavg_view v;
	struct host h;

	host_open(&h, fixture);
	params(&p);
	la = loadavg_new(&h, &p);
	is_int(loadavg_next_tick(la), 0, "%s: empty table, no timer", fixture);
	is_str(R(&h, la, 1000), LA_FIRST, "%s: first read: zeros, tasks counted at once", fixture);
	is_int(loadavg_count(la), 1, "%s: one container", fixture);
	is_int(loadavg_next_tick(la), 1005 * SEC, "%s: timer on the next 5 s grid point", fixture);
	v = view_of(&h, la, 1000);
	ok(v.running == 2 && v.total == 7 && v.last_pid == 9,
	   "%s: running 2 (R), total 7, last pid 9 (not host pid 1004, not 1 of the nested ns)",
	   fixture);
	tick(la, 0);
	is_str(R(&h, la, 1000), "0.24 0.05 0.02 2/7 9\n", "%s: 3 active (R, R, D), one sample",
	       fixture);
	tick(la, 0);
	is_str(R(&h, la, 1000), "0.46 0.10 0.03 2/7 9\n", "%s: two samples", fixture);
	loadavg_free(la);
	host_close(&h);
}

static void test_periods(void)
{
	struct loadavg_params p;
	struct loadavg_stats st;
	struct loadavg *la;
	struct loadavg_view v;
	struct host h;

	host_open(&h, "v1");
	params(&p);
	la = loadavg_new(&h, &p);
	R(&h, la, 1000);
	st = tick(la, 3 * MS);
	ok(st.sampled == 1 && st.tasks == 7 && st.containers == 1 && !st.deferred && !st.dropped,
	   "a period: 1 container, 7 tasks sampled");
	st = tick(la, 0);
	fake_now += 2 * SEC;
	ok(!loadavg_run(la, &st) && st.sampled == 0, "run again in the same period: nothing to do");
	v = view_of(&h, la, 1000);
	is_int(v.avenrun[0], 945, "no double decay within a period");
	/* a late tick: two periods at once, the kernel's calc_load_n */
	fake_now += LOADAVG_PERIOD_NS;
	st = tick(la, 0);
	v = view_of(&h, la, 1000);
	ok(st.sampled == 1 && v.avenrun[0] == loadavg_calc_n(945, LOADAVG_EXP_1, 3 * 2048, 2) &&
	       v.avenrun[2] == loadavg_calc_n(66, LOADAVG_EXP_15, 3 * 2048, 2),
	   "a period missed: two steps at once (%llu)", (unsigned long long)v.avenrun[0]);
	loadavg_free(la);
	host_close(&h);
}

static void test_eviction(void)
{
	struct loadavg_params p;
	struct loadavg *la;
	struct host h;

	host_open(&h, "v1");
	params(&p);
	p.max_entries = 2;
	la = loadavg_new(&h, &p);
	is_str(R(&h, la, 1100), "0.00 0.00 0.00 1/1 1\n", "lb: its one task");
	fake_now += SEC;
	R(&h, la, 1000);
	tick(la, 0);
	is_str(R(&h, la, 1100), "0.08 0.02 0.01 1/1 1\n", "lb sampled once");
	fake_now += SEC;
	R(&h, la, 1000); /* la read after lb: lb is the least recently read */
	fake_now += SEC;
	is_str(R(&h, la, 1200), "0.00 0.00 0.00 0/1 1\n", "lc: a third container");
	is_int(loadavg_count(la), 2, "the table holds 2");
	is_str(R(&h, la, 1000), "0.24 0.05 0.02 2/7 9\n", "la kept (read more recently)");
	is_str(R(&h, la, 1100), "0.00 0.00 0.00 1/1 1\n", "lb was dropped: starts from zero again");
	is_int(loadavg_count(la), 2, "still 2");
	loadavg_free(la);
	host_close(&h);
}

static void test_idle(void)
{
	struct loadavg_params p;
	struct loadavg_stats st = { 0 };
	struct loadavg *la;
	struct host h;
	unsigned periods = 0;

	host_open(&h, "v1");
	params(&p);
	la = loadavg_new(&h, &p);
	R(&h, la, 1000);
	R(&h, la, 1100);
	fake_now += 100 * SEC;
	R(&h, la, 1100); /* lb read 100 s later */
	while (loadavg_count(la) == 2 && periods < 1000) {
		st = tick(la, 0);
		periods++;
	}
	ok(st.dropped == 1 && loadavg_count(la) == 1 && fake_now >= T0 + 300 * SEC &&
	       fake_now < T0 + 305 * SEC,
	   "la dropped at the first tick 300 s after its last read (%u periods)", periods);
	while (loadavg_count(la) == 1 && periods < 1000) {
		st = tick(la, 0);
		periods++;
	}
	ok(loadavg_count(la) == 0 && fake_now >= T0 + 400 * SEC && fake_now < T0 + 405 * SEC,
	   "lb dropped 300 s after its last read");
	is_int(loadavg_next_tick(la), 0, "nothing read for 5 minutes: no timer at all");
	ok(!loadavg_run(la, &st) && st.sampled == 0 && st.containers == 0,
	   "a stray run does nothing");
	is_str(R(&h, la, 1000), LA_FIRST, "read again: starts from zero");
	ok(loadavg_next_tick(la) != 0, "and the timer comes back");
	loadavg_free(la);
	host_close(&h);
}

static void test_budget(void)
{
	struct loadavg_params p;
	struct loadavg_stats st;
	struct loadavg *la;
	struct host h;
	pid_t deferred = 0;
	unsigned slices = 0;

	copy_fixture("v1");
	host_open_path(&h, tmp);
	put_task(1200, 'R', 61200, "1200\t1"); /* lc busy too: every entry has load */
	params(&p);
	p.budget_ns = 1500 * 1000; /* the clock moves 1 ms per look: 2 containers a period */
	la = loadavg_new(&h, &p);
	R(&h, la, 1000);
	R(&h, la, 1100);
	R(&h, la, 1200);
	fake_step = MS;
	st = tick(la, 0);
	ok(st.sampled == 2 && st.deferred == 1, "budget spent: 2 sampled, 1 deferred (%u, %u)",
	   st.sampled, st.deferred);
	ok(st.spent_ns >= 1500 * 1000 && st.spent_ns <= 3 * MS, "cost reported: %llu ns",
	   (unsigned long long)st.spent_ns);
	fake_step = 0;
	for (pid_t pid = 1000; pid <= 1200; pid += 100)
		deferred = view_of(&h, la, pid).avenrun[0] == 0 ? pid : deferred;
	ok(deferred != 0, "the deferred container still has no sample (%d)", (int)deferred);
	fake_step = MS;
	st = tick(la, 0);
	fake_step = 0;
	ok(st.sampled == 2 && st.deferred == 1, "next period: again 2 sampled, 1 deferred");
	{
		struct loadavg_view v = view_of(&h, la, deferred);
		uint64_t active = (deferred == 1000 ? 3 : 1) * LOADAVG_FIXED_1;

		is_int(v.avenrun[0], loadavg_calc_n(0, LOADAVG_EXP_1, active, 2),
		       "the deferred one went first, with the missed period (calc_load_n, n 2)");
	}
	loadavg_free(la);

	/* slices: requests are served between them, the period goes on */
	params(&p);
	p.slice_ns = 1500 * 1000;
	la = loadavg_new(&h, &p);
	R(&h, la, 1000);
	R(&h, la, 1100);
	R(&h, la, 1200);
	fake_step = MS;
	fake_now = fake_now - fake_now % LOADAVG_PERIOD_NS + LOADAVG_PERIOD_NS;
	while (loadavg_run(la, &st) && slices < 10)
		slices++;
	fake_step = 0;
	ok(slices == 1 && st.sampled == 3 && st.deferred == 0,
	   "2 slices for 3 containers, all sampled (%u more, %u sampled)", slices, st.sampled);
	loadavg_free(la);
	host_close(&h);
	remove_copy();
}

static void test_changes(void)
{
	struct loadavg_params p;
	struct loadavg_stats st;
	struct loadavg *la;
	struct host h;

	copy_fixture("v1");
	host_open_path(&h, tmp);
	params(&p);
	la = loadavg_new(&h, &p);
	is_str(R(&h, la, 1000), LA_FIRST, "copy: the same start");
	put_task(1002, 'S', 61002, "1002\t7");
	put_task(1008, 'R', 70000, "1008\t12");
	puts_("cgroup/cpu,cpuacct/lxc/la/tasks", "1000\n1001\n1002\n1008\n");
	tick(la, 0);
	is_str(R(&h, la, 1000), "0.24 0.05 0.02 3/8 12\n",
	       "D -> S, a new R thread: 3 active, 3 running, 8 tasks, last pid 12");
	/* a known thread's translation is kept: its status is not read again */
	put_task(1001, 'R', 61001, "1001\t50");
	tick(la, 0);
	like(R(&h, la, 1000), " 3/8 12\n", "same tid and start time: the kept translation");
	/* the same tid with another start time is another thread */
	put_task(1001, 'R', 99999, "1001\t50");
	tick(la, 0);
	like(R(&h, la, 1000), " 3/8 50\n", "tid reused (other start time): translated again");
	/* a nested cgroup appears */
	mkdir_("cgroup/cpu,cpuacct/lxc/la/new");
	puts_("cgroup/cpu,cpuacct/lxc/la/new/tasks", "1100\n");
	tick(la, 0);
	like(R(&h, la, 1000), " 4/9 50\n", "a new child cgroup is counted (1100 R)");
	/* the cgroup goes away */
	{
		int fd = open_dir(AT_FDCWD, tmp, O_RDONLY);

		rm_rf_at(fd, "cgroup/cpu,cpuacct/lxc/la");
		close(fd);
	}
	st = tick(la, 0);
	ok(st.sampled == 0 && loadavg_count(la) == 1, "cgroup removed: not sampled");
	st = tick(la, 0);
	ok(st.dropped == 1 && loadavg_count(la) == 0, "and dropped at the next period");
	is_int(loadavg_next_tick(la), 0, "no timer left");
	like(R(&h, la, 1000), "error", "a read of the removed cgroup fails");
	loadavg_free(la);
	host_close(&h);
	remove_copy();
}

static void test_bounds(void)
{
	struct loadavg_params p;
	struct loadavg *la;
	struct host h;

	host_open(&h, "v1");
	params(&p);
	p.max_tasks = 3;
	la = loadavg_new(&h, &p);
	like(R(&h, la, 1000), "/3 ", "at most max_tasks tasks counted");
	loadavg_free(la);
	host_close(&h);

	copy_fixture("v1");
	host_open_path(&h, tmp);
	{
		int fd = open_dir(AT_FDCWD, tmp, O_RDONLY);

		rm_rf_at(fd, "proc/1000/status");
		close(fd);
	}
	params(&p);
	la = loadavg_new(&h, &p);
	is_str(R(&h, la, 1000), "0.00 0.00 0.00 2/7 0\n",
	       "the init's NSpid unknown: last pid 0, never a host pid");
	loadavg_free(la);
	host_close(&h);
	remove_copy();

	/* no cpu, cpuacct or unified hierarchy: the host's file */
	host_open(&h, "v1");
	params(&p);
	la = loadavg_new(&h, &p);
	close(h.cg.fd[CG_CPU]);
	h.cg.fd[CG_CPU] = h.cg.fd[CG_CPUACCT] = -1;
	is_str(R(&h, la, 1000), HOST_LA, "no cpu hierarchy: the host's file");
	loadavg_free(la);
	host_close(&h);
}

/* ---- the walk of a cgroup's threads (cgtasks.c) ---- */

struct seen {
	char text[512]; /* "tid state start" of each thread, in walk order */
	unsigned n;
	unsigned stop_at; /* 0: never stop */
};

static int see(const struct cg_thread *t, void *arg)
{
	struct seen *s = arg;
	size_t len = strlen(s->text);

	if (len < sizeof(s->text))
		snprintf(s->text + len, sizeof(s->text) - len, "%s%d %c %llu", len ? ", " : "",
			 (int)t->tid, t->state, (unsigned long long)t->start);
	return ++s->n == s->stop_at;
}

/* Walk path of hierarchy ctl: the walk's result; *s what it saw. */
static int walk(const struct host *h, enum cg_ctl ctl, const char *path, struct seen *s)
{
	_cleanup_close_ int fd = cg_open_dir(&h->cg, ctl, path);
	unsigned stop_at = s->stop_at;

	memset(s, 0, sizeof(*s));
	s->stop_at = stop_at;
	if (fd < 0)
		return fd;
	return cg_tasks_walk(h, ctl, fd, see, s);
}

#define LA_WALK                                                                                    \
	"1000 S 61000, 1001 R 61001, 1002 D 61002, 1003 R 61003, 1004 S 61004, 1005 S 61005, "     \
	"1006 Z 61006"

static void test_walk(void)
{
	struct seen s = { 0 };
	struct host h;

	host_open(&h, "v1");
	is_int(walk(&h, CG_CPU, "/lxc/la", &s), 0, "walk: v1 la");
	is_str(s.text, LA_WALK,
	       "walk: the cgroup's own threads first, then each level below; "
	       "1007 (gone) passed over; the last ')' of the comm");
	s.stop_at = 2;
	walk(&h, CG_CPU, "/lxc/la", &s);
	is_str(s.text, "1000 S 61000, 1001 R 61001", "walk: the callback stops it");
	s.stop_at = 0;
	host_close(&h);

	host_open(&h, "v2");
	is_int(walk(&h, CG_UNIFIED, "/lxc/la", &s), 0, "walk: v2 la");
	is_str(s.text, LA_WALK, "walk: v2 cgroup.threads, the same threads");
	host_close(&h);

	copy_fixture("v1");
	host_open_path(&h, tmp);
	puts_("cgroup/cpu,cpuacct/lxc/la/tasks", "abc\n-5\n0\n12345678901\n1001x\n\n1001\n");
	rm_rf_at(h.proc_fd, "1003/task");
	{
		int fd = open_dir(AT_FDCWD, tmp, O_RDONLY);

		rm_rf_at(fd, "cgroup/cpu,cpuacct/lxc/la/sub/tasks");
		close(fd);
	}
	if (symlinkat("sub", h.cg.fd[CG_CPU], "lxc/la/link") < 0)
		die("symlinkat");
	is_int(walk(&h, CG_CPU, "/lxc/la", &s), 0, "walk: a copy with odd parts");
	is_str(s.text, "1001 R 61001, 1005 S 61005, 1006 Z 61006",
	       "walk: only decimal tids; a child without a thread list passed over, its children "
	       "not; a symbolic link not followed");
	{
		int fd = open_dir(AT_FDCWD, tmp, O_RDONLY);

		rm_rf_at(fd, "cgroup/cpu,cpuacct/lxc/la/tasks");
		close(fd);
	}
	is_int(walk(&h, CG_CPU, "/lxc/la", &s), -ENOENT,
	       "walk: the cgroup's own list gone: -ENOENT");
	host_close(&h);
	remove_copy();
}

/* A tree of the copy: chain nested levels below lxc/deep, wide siblings
 * below lxc/wide, each with thread 1000; lxc/many lists 1000 often. */
static void test_walk_bounds(void)
{
	_cleanup_buf_ struct buf many = BUF_INIT(1 << 20);
	char rel[PATH_MAX] = "cgroup/cpu,cpuacct/lxc/deep";
	struct seen s = { 0 };
	struct host h;

	copy_fixture("v1");
	for (unsigned i = 0; i <= CG_TASKS_MAX_DEPTH + 2; i++) {
		char tasks[PATH_MAX + 8];

		mkdir_(rel);
		snprintf(tasks, sizeof(tasks), "%s/tasks", rel);
		puts_(tasks, "1000\n");
		strcat(rel, "/d");
	}
	mkdir_("cgroup/cpu,cpuacct/lxc/wide");
	puts_("cgroup/cpu,cpuacct/lxc/wide/tasks", "1000\n");
	for (unsigned i = 0; i < CG_TASKS_MAX_CGROUPS + 10; i++) {
		snprintf(rel, sizeof(rel), "cgroup/cpu,cpuacct/lxc/wide/c%u", i);
		mkdir_(rel);
		strcat(rel, "/tasks");
		puts_(rel, "1000\n");
	}
	mkdir_("cgroup/cpu,cpuacct/lxc/many");
	for (unsigned i = 0; i < CG_TASKS_MAX_THREADS + 100; i++)
		buf_puts(&many, "1000\n");
	puts_("cgroup/cpu,cpuacct/lxc/many/tasks", buf_cstr(&many));
	host_open_path(&h, tmp);
	walk(&h, CG_CPU, "/lxc/deep", &s);
	is_int(s.n, CG_TASKS_MAX_DEPTH + 1, "walk: the cgroup and %d levels below it",
	       CG_TASKS_MAX_DEPTH);
	walk(&h, CG_CPU, "/lxc/wide", &s);
	is_int(s.n, CG_TASKS_MAX_CGROUPS, "walk: %d cgroups, the container's own included",
	       CG_TASKS_MAX_CGROUPS);
	walk(&h, CG_CPU, "/lxc/many", &s);
	is_int(s.n, CG_TASKS_MAX_THREADS, "walk: %d threads", CG_TASKS_MAX_THREADS);
	host_close(&h);
	remove_copy();
}

int main(int argc, char **argv)
{
	find_fixtures(argc, argv);
	test_arithmetic();
	test_format();
	test_passthrough();
	test_first_read("v1");
	test_first_read("v2");
	test_first_read("hybrid");
	test_periods();
	test_eviction();
	test_idle();
	test_budget();
	test_changes();
	test_bounds();
	test_walk();
	test_walk_bounds();
	return done_testing();
}
