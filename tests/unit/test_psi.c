// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * TAP tests of PSI triggers (--enable-psi-poll):
 *   - the front's parser of what a writer wrote (common/psi.c) against
 *     what the kernel's psi_write() does with the same bytes; the cases
 *     with a 2 s window were checked against this host's kernel
 *     (/proc/pressure/cpu, 6.18), whose limits for writers without
 *     CAP_SYS_RESOURCE (a multiple of 2 s) are not ours (doc/FILES.md);
 *   - the collector's copy of the kernel's window arithmetic
 *     (window_update(), update_triggers()), with numbers worked out by
 *     hand from the kernel's code;
 *   - the trigger table (collector/psitrigger.c) with a fake clock on a
 *     temporary host tree whose pressure files the test rewrites: samples
 *     every window/10, events, limits, re-arming, a removed cgroup.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "psi.h"
#include "psitrigger.h"
#include "render.h"
#include "tap.h"
#include "fixture_cg.h"
#include "testfs.h"

#define MS     1000000ULL
#define SEC    1000000000ULL
#define T0     (100 * SEC)	    /* the fake clock starts here, as a booted host's would */
#define S(lit) lit, sizeof(lit) - 1 /* a literal's bytes, its NULs included */

/* ---- the parser ---- */

struct parse_case {
	const char *text;
	size_t len;
	int want; /* 0 or -EINVAL */
	uint32_t kind, threshold, window;
	const char *what;
};

static const struct parse_case parse_cases[] = {
	{ S("some 150000 1000000\0"), 0, PROTO_PSI_SOME, 150000, 1000000,
	  "psi.rst's way: with NUL" },
	{ S("some 150000 1000000"), -EINVAL, 0, 0, 0, "no NUL: the last digit is dropped, 100 ms" },
	{ S("some 150000 1000000\n"), 0, PROTO_PSI_SOME, 150000, 1000000, "echo's newline" },
	{ S("some 150000 10000000"), 0, PROTO_PSI_SOME, 150000, 1000000, "10 s without NUL: 1 s" },
	{ S("full 1000 2000000\0"), 0, PROTO_PSI_FULL, 1000, 2000000, "full" },
	{ S("some150000 2000000\0"), 0, PROTO_PSI_SOME, 150000, 2000000,
	  "no blank after the word" },
	{ S(" some 1 2000000\0"), -EINVAL, 0, 0, 0, "a blank before the word" },
	{ S("Some 1 2000000\0"), -EINVAL, 0, 0, 0, "the word's case" },
	{ S("some -1 2000000\0"), -EINVAL, 0, 0, 0, "a minus sign" },
	{ S("some +1 2000000\0"), -EINVAL, 0, 0, 0, "a plus sign" },
	{ S("some 0x10 2000000\0"), -EINVAL, 0, 0, 0, "hex: 0, then no second number" },
	{ S("some 1 2000000 junk\0"), 0, PROTO_PSI_SOME, 1, 2000000, "trailing words ignored" },
	{ S("some 1 2000000-\0"), 0, PROTO_PSI_SOME, 1, 2000000, "a trailing sign ignored" },
	{ S("some 1 -2000000\0"), -EINVAL, 0, 0, 0, "a negative window" },
	{ S("some 1 02000000\0"), 0, PROTO_PSI_SOME, 1, 2000000, "leading zeros" },
	{ S("some 4294967297 2000000\0"), 0, PROTO_PSI_SOME, 1, 2000000, "2^32 + 1 wraps to 1" },
	{ S("some 1 4294967296\0"), -EINVAL, 0, 0, 0, "2^32 wraps to window 0" },
	{ S("some 1 4296967296\0"), 0, PROTO_PSI_SOME, 1, 2000000, "2^32 + 2 s wraps to 2 s" },
	{ S("some  \t 1\t\n2000000\0"), 0, PROTO_PSI_SOME, 1, 2000000, "any blanks" },
	{ S("some 1\xa0"
	    "2000000\0"),
	  0, PROTO_PSI_SOME, 1, 2000000, "0xa0 is a kernel blank" },
	{ S("some 1 2000000\0xyz"), 0, PROTO_PSI_SOME, 1, 2000000, "a NUL ends the text" },
	{ S("full 1 2000000x"), 0, PROTO_PSI_FULL, 1, 2000000, "no NUL: the last byte dropped" },
	{ S("some 150000 2000000xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\0"), 0, PROTO_PSI_SOME,
	  150000, 2000000, "only 32 bytes count" },
	{ S("some 0000000000000000000000000001 2000000\0"), -EINVAL, 0, 0, 0,
	  "the window beyond 32 bytes is cut off" },
	{ S("some 0 2000000\0"), -EINVAL, 0, 0, 0, "threshold 0" },
	{ S("some 2000000 2000000\0"), 0, PROTO_PSI_SOME, 2000000, 2000000, "threshold = window" },
	{ S("some 2000001 2000000\0"), -EINVAL, 0, 0, 0, "threshold over the window" },
	{ S("some 1000 499999\0"), -EINVAL, 0, 0, 0, "a window under 500 ms" },
	{ S("some 1000 500000\0"), 0, PROTO_PSI_SOME, 1000, 500000, "the shortest window" },
	{ S("some 1000 10000000\0"), 0, PROTO_PSI_SOME, 1000, 10000000, "the longest window" },
	{ S("some 1000 10000001\0"), -EINVAL, 0, 0, 0, "a window over 10 s" },
	{ S("somefull 1 2000000\0"), -EINVAL, 0, 0, 0, "neither word" },
	{ S("full\0"), -EINVAL, 0, 0, 0, "the word alone" },
	{ S("some 1"), -EINVAL, 0, 0, 0, "one number (and that one dropped)" },
	{ S("x"), -EINVAL, 0, 0, 0, "one byte" },
	{ S("\0"), -EINVAL, 0, 0, 0, "a NUL" },
	{ "", 0, -EINVAL, 0, 0, 0, "no bytes" },
};

static void test_parse(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(parse_cases); i++) {
		const struct parse_case *c = &parse_cases[i];
		struct proto_psi_spec s;
		int r = psi_trigger_parse(c->text, c->len, &s);

		if (!is_int(r, c->want, "parse: %s", c->what) || r < 0)
			continue;
		ok(s.kind == c->kind && s.threshold_us == c->threshold &&
		       s.window_us == c->window && s.reserved == 0,
		   "parse: %s: %s %u %u", c->what, s.kind ? "full" : "some", s.threshold_us,
		   s.window_us);
	}
}

/* ---- the kernel's arithmetic ---- */

static void test_window(void)
{
	struct psi_window w = { .size = SEC, .start_time = T0 };

	is_int(psi_window_update(&w, T0 + 500 * MS, 300 * MS), 300 * MS,
	       "window: 300 ms of stall in the first half window, nothing before");
	is_int(psi_window_update(&w, T0 + 1100 * MS, 600 * MS), 600 * MS,
	       "window: past the window: the growth since its start, and a new window");
	ok(w.start_time == T0 + 1100 * MS && w.start_value == 600 * MS && w.prev_growth == 600 * MS,
	   "window: restarted at that sample, the old growth kept");
	is_int(psi_window_update(&w, T0 + 1600 * MS, 700 * MS), 400 * MS,
	       "window: 100 ms new + half of the previous window's 600 ms");
	is_int(psi_window_update(&w, T0 + 2100 * MS, 700 * MS), 100 * MS,
	       "window: at its very end only the new growth");
	w = (struct psi_window){ .size = 10 * SEC, .start_time = T0, .prev_growth = SEC };
	/* remaining 9 s = 9e9 ns, a u32 in the kernel: 9e9 - 2 * 2^32 = 410065408 */
	is_int(psi_window_update(&w, T0 + SEC, 0), 41006540,
	       "window: a 10 s window interpolates with the kernel's u32 wrap");
}

static void test_tracker(void)
{
	struct psi_tracker t;
	uint64_t x = 5 * SEC; /* stall before the trigger: does not count */
	bool ok_quiet = true;

	psi_tracker_init(&t, 150 * MS, SEC, T0, x);
	ok(!psi_tracker_update(&t, T0 + 100 * MS, x + 100 * MS), "tracker: 100 ms < 150 ms");
	ok(psi_tracker_update(&t, T0 + 200 * MS, x + 200 * MS), "tracker: 200 ms >= 150 ms fires");
	ok(!psi_tracker_update(&t, T0 + 300 * MS, x + 300 * MS),
	   "tracker: again over it, but one event per window");
	ok(!psi_tracker_update(&t, T0 + 1100 * MS, x + 300 * MS),
	   "tracker: no new stall; the pending event waits for the window to pass");
	ok(psi_tracker_update(&t, T0 + 1200 * MS, x + 300 * MS),
	   "tracker: a window after the last event, the pending one fires");
	ok(!psi_tracker_update(&t, T0 + 1300 * MS, x + 300 * MS), "tracker: idle: nothing");
	ok(!psi_tracker_update(&t, T0 + 2300 * MS, x + 300 * MS), "tracker: still idle");
	psi_tracker_init(&t, 150 * MS, SEC, T0, x);
	for (int i = 1; i <= 30; i++)
		if (psi_tracker_update(&t, T0 + (uint64_t)i * 100 * MS, x + (uint64_t)i * 20 * MS))
			break;
	ok(t.last_event_time == T0 + 800 * MS,
	   "tracker: 20%% stall fires once the window holds 150 ms (at 0.8 s)");
	psi_tracker_init(&t, 150 * MS, SEC, T0, x);
	for (int i = 1; i <= 100; i++)
		ok_quiet = !psi_tracker_update(&t, T0 + (uint64_t)i * 100 * MS,
					       x + (uint64_t)i * 10 * MS) &&
			   ok_quiet;
	ok(ok_quiet, "tracker: 10%% stall (100 ms a window) never reaches 150 ms in 10 s");
}

static void test_total(void)
{
	static const char two[] = "some avg10=1.00 avg60=0.50 avg300=0.10 total=123456\n"
				  "full avg10=0.00 avg60=0.00 avg300=0.00 total=789\n";
	uint64_t v = 0;

	ok(psi_total_parse(two, PROTO_PSI_SOME, &v) == 0 && v == 123456, "total: some");
	ok(psi_total_parse(two, PROTO_PSI_FULL, &v) == 0 && v == 789, "total: full");
	is_int(
	    psi_total_parse("some avg10=0.00 avg60=0.00 avg300=0.00 total=5\n", PROTO_PSI_FULL, &v),
	    -ENOENT, "total: a one-line cpu file (before 5.13) has no full");
	ok(psi_total_parse("some avg10=0.00 avg60=0.00 avg300=0.00 total=42", PROTO_PSI_SOME, &v) ==
		   0 &&
	       v == 42,
	   "total: no final newline");
	is_int(psi_total_parse("some avg10=0.00 total=\n", PROTO_PSI_SOME, &v), -EIO,
	       "total: no number");
	is_int(psi_total_parse("some total=12x\n", PROTO_PSI_SOME, &v), -EIO, "total: junk");
	is_int(psi_total_parse("some avg10=0.00\nx total=1\n", PROTO_PSI_SOME, &v), -EIO,
	       "total: not on its own line");
	is_int(psi_total_parse("", PROTO_PSI_SOME, &v), -ENOENT, "total: empty");
}

/* ---- the table ---- */

static char tmp[64];
static int tmp_fd = -1;
static struct host host;
static uint64_t fake_now = T0;

static uint64_t fake_clock(void *arg)
{
	return fake_now;
}

/* "some ... total=S\nfull ... total=F\n" into the file (host-relative) */
static void put_totals(const char *rel, uint64_t some_us, uint64_t full_us)
{
	char text[256];

	snprintf(text, sizeof(text),
		 "some avg10=0.00 avg60=0.00 avg300=0.00 total=%llu\n"
		 "full avg10=0.00 avg60=0.00 avg300=0.00 total=%llu\n",
		 (unsigned long long)some_us, (unsigned long long)full_us);
	testfs_put(tmp_fd, rel, text);
}

static void make_host(void)
{
	int cg;

	snprintf(tmp, sizeof(tmp), "/tmp/test_psi.XXXXXX");
	if (!mkdtemp(tmp))
		die("mkdtemp");
	tmp_fd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (tmp_fd < 0)
		die(tmp);
	testfs_mkdirs(tmp_fd, "proc/pressure");
	testfs_mkdirs(tmp_fd, "cgroup/unified/lxc/c1");
	testfs_mkdirs(tmp_fd, "cgroup/unified/lxc/c2");
	put_totals("proc/pressure/cpu", 0, 0);
	put_totals("cgroup/unified/lxc/c1/cpu.pressure", 0, 0);
	put_totals("cgroup/unified/lxc/c1/memory.pressure", 0, 0);
	put_totals("cgroup/unified/lxc/c2/cpu.pressure", 0, 0);
	host.proc_fd = openat(tmp_fd, "proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	host.sys_cpu_fd = -1;
	cg = openat(tmp_fd, "cgroup", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	cg_layout_init(&host.cg);
	if (host.proc_fd < 0 || cg < 0 || fixture_layout_from_dir(&host.cg, cg) < 0)
		die("host");
	close(cg);
}

/* The events of a run, in order. */
static struct {
	unsigned n;
	uint64_t id[8];
	int status[8];
	int fail; /* emit returns this */
} ev;

static int record(void *arg, uint64_t id, int status)
{
	if (ev.n < ARRAY_SIZE(ev.id)) {
		ev.id[ev.n] = id;
		ev.status[ev.n] = status;
	}
	ev.n++;
	return ev.fail;
}

/* Run at now (ns after T0): how many events. */
static unsigned run_at(struct psitrig *pt, uint64_t after)
{
	fake_now = T0 + after;
	ev.n = 0;
	psitrig_run(pt, record, NULL);
	return ev.n;
}

static struct target tgt(char *unified)
{
	struct target t = { 0 };

	t.cg.path[CG_UNIFIED] = unified;
	return t;
}

static const struct proto_psi_spec some_150_1s = { PROTO_PSI_SOME, 150000, 1000000, 0 };

static void test_sampling(void)
{
	struct psitrig_params p = { .max = 8, .max_per_cgroup = 8, .clock = fake_clock };
	struct psitrig *pt = psitrig_new(&host, &p);
	struct target c1 = tgt("/lxc/c1");
	const char *f = "cgroup/unified/lxc/c1/cpu.pressure";

	fake_now = T0;
	put_totals(f, 5000000, 0);
	is_int(psitrig_next_due(pt), 0, "table: empty: no timer");
	is_int(psitrig_arm(pt, &c1, VFILE_PROC_PRESSURE_CPU, 1, &some_150_1s), 0, "arm: c1 cpu");
	is_int(psitrig_next_due(pt), T0 + 100 * MS, "arm: first sample a tenth of the window on");
	is_int(run_at(pt, 50 * MS), 0, "run before it is due: nothing");
	is_int(psitrig_next_due(pt), T0 + 100 * MS, "run before it is due: not sampled");
	put_totals(f, 5100000, 0);
	is_int(run_at(pt, 100 * MS), 0, "100 ms of stall: under the threshold");
	is_int(psitrig_next_due(pt), T0 + 200 * MS, "next sample 100 ms later");
	put_totals(f, 5200000, 0);
	ok(run_at(pt, 200 * MS) == 1 && ev.id[0] == 1 && ev.status[0] == 0,
	   "200 ms of stall in the window: an event for trigger 1");
	put_totals(f, 5300000, 0);
	is_int(run_at(pt, 300 * MS), 0, "more stall in the same window: no second event");
	is_int(run_at(pt, 1250 * MS), 1, "a window after the event: the pending one");
	is_int(psitrig_next_due(pt), T0 + 1300 * MS,
	       "a late run samples again at the next multiple of the period");
	/* a full trigger reads the full line */
	is_int(psitrig_arm(pt, &c1, VFILE_PROC_PRESSURE_MEMORY, 2,
			   &(struct proto_psi_spec){ PROTO_PSI_FULL, 100000, 700000, 0 }),
	       0, "arm: c1 memory full, 700 ms");
	/* 101.29 s, the next multiple of 70 ms, before the cpu trigger's 101.3 s */
	is_int(psitrig_next_due(pt), T0 + 1290 * MS,
	       "the soonest due trigger sets the timer (a 70 ms grid)");
	put_totals("cgroup/unified/lxc/c1/memory.pressure", 900000, 100000);
	ok(run_at(pt, 1290 * MS) == 1 && ev.id[0] == 2, "full: 100 ms of full stall fires");
	/* re-arming a name starts afresh */
	is_int(psitrig_arm(pt, &c1, VFILE_PROC_PRESSURE_CPU, 1, &some_150_1s), 0, "arm 1 again");
	is_int(psitrig_count(pt), 2, "armed again: replaced, not added");
	is_int(run_at(pt, 1400 * MS), 0, "armed again: the old stall does not count");
	ev.fail = -EPIPE;
	fake_now = T0 + 1500 * MS;
	put_totals(f, 5600000, 0);
	is_int(psitrig_run(pt, record, NULL), -EPIPE, "an emit error stops the run");
	ev.fail = 0;
	is_int(psitrig_disarm(pt, 1), 0, "disarm 1");
	is_int(psitrig_disarm(pt, 1), -ENOENT, "disarm 1 again: not armed");
	is_int(psitrig_disarm(pt, 0), -ENOENT, "disarm 0: no trigger");
	is_int(psitrig_count(pt), 1, "one left");
	psitrig_free(pt);
}

/* Triggers on one file due together share its read; another cgroup's
 * file is read on its own. */
static void test_shared(void)
{
	struct psitrig_params p = { .max = 8, .max_per_cgroup = 8, .clock = fake_clock };
	struct psitrig *pt = psitrig_new(&host, &p);
	struct target c1 = tgt("/lxc/c1"), c2 = tgt("/lxc/c2");
	unsigned long reads;

	fake_now = T0;
	is_int(psitrig_arm(pt, &c1, VFILE_PROC_PRESSURE_CPU, 1, &some_150_1s), 0, "shared: 1");
	is_int(psitrig_arm(pt, &c1, VFILE_PROC_PRESSURE_CPU, 2,
			   &(struct proto_psi_spec){ PROTO_PSI_FULL, 150000, 1000000, 0 }),
	       0, "shared: 2, full on the same file");
	is_int(psitrig_arm(pt, &c1, VFILE_PROC_PRESSURE_CPU, 3,
			   &(struct proto_psi_spec){ PROTO_PSI_SOME, 1000, 500000, 0 }),
	       0, "shared: 3, a 50 ms period on the same file");
	is_int(psitrig_arm(pt, &c2, VFILE_PROC_PRESSURE_CPU, 4, &some_150_1s), 0,
	       "shared: 4, another cgroup's");
	is_int(psitrig_reads(pt), 4, "shared: each arm reads once");
	run_at(pt, 100 * MS);
	is_int(psitrig_reads(pt), 6, "shared: all four due: c1's file read once, c2's once");
	reads = psitrig_reads(pt);
	run_at(pt, 150 * MS);
	is_int(psitrig_reads(pt), reads + 1, "shared: only the 50 ms trigger due: one read");
	psitrig_free(pt);
}

static void test_limits(void)
{
	struct psitrig_params p = { .max = 4, .max_per_cgroup = 3, .clock = fake_clock };
	struct psitrig *pt = psitrig_new(&host, &p);
	struct target c1 = tgt("/lxc/c1"), c2 = tgt("/lxc/c2"), gone = tgt("/lxc/gone");
	struct target root = tgt("/"), none = tgt(NULL);

	for (uint64_t id = 1; id <= 3; id++)
		is_int(psitrig_arm(pt, &c1, VFILE_PROC_PRESSURE_CPU, id, &some_150_1s), 0,
		       "limits: c1's trigger %llu", (unsigned long long)id);
	is_int(psitrig_arm(pt, &c1, VFILE_PROC_PRESSURE_CPU, 4, &some_150_1s), -ENOSPC,
	       "limits: c1's fourth: over its share");
	is_int(psitrig_arm(pt, &c1, VFILE_PROC_PRESSURE_CPU, 3, &some_150_1s), 0,
	       "limits: c1 re-arming one of its own is no fourth");
	is_int(psitrig_arm(pt, &c2, VFILE_PROC_PRESSURE_CPU, 4, &some_150_1s), 0,
	       "limits: c2's first");
	is_int(psitrig_arm(pt, &c2, VFILE_PROC_PRESSURE_CPU, 5, &some_150_1s), -ENOSPC,
	       "limits: the table is full");
	is_int(psitrig_disarm(pt, 2), 0, "limits: c1 drops one");
	is_int(psitrig_arm(pt, &c2, VFILE_PROC_PRESSURE_IO, 5, &some_150_1s), -EOPNOTSUPP,
	       "limits: a cgroup without io.pressure: EOPNOTSUPP");
	is_int(psitrig_arm(pt, &gone, VFILE_PROC_PRESSURE_CPU, 5, &some_150_1s), -ENOENT,
	       "a cgroup that is not there: ENOENT");
	is_int(psitrig_arm(pt, &none, VFILE_PROC_PRESSURE_CPU, 5, &some_150_1s), -EOPNOTSUPP,
	       "no unified cgroup: EOPNOTSUPP");
	is_int(psitrig_arm(pt, &c2, VFILE_PROC_MEMINFO, 5, &some_150_1s), -EOPNOTSUPP,
	       "not a pressure file: EOPNOTSUPP");
	is_int(psitrig_arm(pt, &c2, VFILE_PROC_PRESSURE_CPU, 0, &some_150_1s), -EINVAL,
	       "trigger 0: EINVAL");
	is_int(psitrig_count(pt), 3, "none of those was armed");
	/* the host's root cgroup: the host's /proc/pressure */
	fake_now = T0;
	put_totals("proc/pressure/cpu", 1000, 0);
	is_int(psitrig_arm(pt, &root, VFILE_PROC_PRESSURE_CPU, 9, &some_150_1s), 0,
	       "root: armed on the host's file");
	put_totals("proc/pressure/cpu", 1000 + 150000, 0);
	for (unsigned i = 0; i < ARRAY_SIZE(ev.id); i++)
		ev.id[i] = 0;
	run_at(pt, 100 * MS);
	ok(ev.n >= 1 && ev.id[ev.n - 1] == 9 && ev.status[ev.n - 1] == 0,
	   "root: 150 ms of the host's stall fires");
	psitrig_free(pt);
}

/* A removed cgroup ends its triggers (ENODEV), also when a new cgroup of
 * the same name appears: the trigger holds the old one's dirfd. */
static void test_removed(void)
{
	struct psitrig_params p = { .max = 4, .max_per_cgroup = 4, .clock = fake_clock };
	struct psitrig *pt = psitrig_new(&host, &p);
	struct target c2 = tgt("/lxc/c2");
	unsigned long reads;

	fake_now = T0;
	is_int(psitrig_arm(pt, &c2, VFILE_PROC_PRESSURE_CPU, 7, &some_150_1s), 0, "c2 armed");
	rm_rf_at(tmp_fd, "cgroup/unified/lxc/c2");
	testfs_mkdirs(tmp_fd, "cgroup/unified/lxc/c2");
	put_totals("cgroup/unified/lxc/c2/cpu.pressure", 999000000, 0);
	is_int(psitrig_arm(pt, &c2, VFILE_PROC_PRESSURE_CPU, 8, &some_150_1s), 0,
	       "the new c2 armed");
	reads = psitrig_reads(pt);
	ok(run_at(pt, 100 * MS) == 1 && ev.id[0] == 7 && ev.status[0] == -ENODEV,
	   "removed: the trigger ends with ENODEV, the new c2 is not its");
	is_int(psitrig_reads(pt), reads + 2, "removed: the old and the new c2 read apart");
	is_int(psitrig_count(pt), 1, "removed: the trigger is gone from the table");
	is_int(psitrig_disarm(pt, 8), 0, "the new c2's trigger disarmed");
	is_int(psitrig_next_due(pt), 0, "removed: no timer");
	psitrig_free(pt);
}

int main(void)
{
	test_parse();
	test_window();
	test_tracker();
	test_total();
	make_host();
	test_sampling();
	test_shared();
	test_limits();
	test_removed();
	fixture_layout_close(&host.cg);
	close(host.proc_fd);
	rm_rf_at(AT_FDCWD, tmp);
	close(tmp_fd);
	return done_testing();
}
