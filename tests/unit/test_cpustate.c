// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * TAP tests of the counter state (collector/cpustate.c) on a real segment
 * made as the supervisor makes it (supervisor/stateseg.c): entries and
 * their eviction, counters that never go backwards whatever the raw values
 * do (drops, CPUs remapped, a cpuset that shrinks and grows, v2's shares),
 * idle that follows the wall clock, a collector restart (a new mapping of
 * the same segment), a lock left by a dead holder.  White box: the file is
 * included, so the tests see the layout.
 */
#include "../../collector/cpustate.c"

#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>

#include "siphash.h"
#include "stateseg.h"
#include "tap.h"
#include "testfs.h"

#define HZ 100

static struct cs_raw_line lines[300];
static uint64_t rows[300][CS_NFIELDS];

/* A sample at host uptime up (cs) for an init of age age, on n CPUs. */
static struct cs_sample sample(uint64_t up, uint64_t age, unsigned n, uint64_t user, uint64_t sys)
{
	struct cs_sample s = {
		.host_up_cs = up,
		.init_age_cs = age,
		.ncpus = n,
		.hz = HZ,
		.stat = true,
		.nlines = n,
		.line = lines,
	};

	s.total[CS_USER] = user;
	s.total[CS_SYSTEM] = sys;
	return s;
}

static void set_line(unsigned i, uint32_t src, uint64_t user, uint64_t sys)
{
	memset(&lines[i], 0, sizeof(lines[i]));
	lines[i].src = src;
	lines[i].slot = i; /* line i is cpu<i> of the view */
	lines[i].f[CS_USER] = user;
	lines[i].f[CS_SYSTEM] = sys;
}

static struct cs_view run(struct cpustate *cs, const char *id, const struct cs_sample *s)
{
	struct cs_view v = { .line = rows };

	memset(rows, 0xff, sizeof(rows));
	cpustate_update(cs, id, strlen(id), s, &v);
	return v;
}

static int slot_of(struct cpustate *cs, const char *id)
{
	return slot_find(cs, hash_id(cs, id, strlen(id)));
}

static void test_siphash(void)
{
	const uint64_t key[2] = { UINT64_C(0x0706050403020100), UINT64_C(0x0f0e0d0c0b0a0908) };
	unsigned char msg[15];

	for (unsigned i = 0; i < sizeof(msg); i++)
		msg[i] = (unsigned char)i;
	ok(siphash24(key, "", 0) == UINT64_C(0x726fdb47dd0e0e31), "siphash: empty message");
	ok(siphash24(key, msg, 15) == UINT64_C(0xa129ca6149be45e5), "siphash: the paper's example");
	ok(siphash24(key, msg, 8) != siphash24(key, msg, 9), "siphash: the length counts");
}

static void test_attach(int fd)
{
	int err = 0, bad = memfd_create("t", MFD_CLOEXEC);
	struct stateseg_hdr h;

	ok(bad >= 0 && ftruncate(bad, 4096) == 0, "a small memfd");
	ok(!cpustate_attach(bad, &err) && err == -EINVAL, "a file of another size is refused");
	ok(ftruncate(bad, STATESEG_SIZE) == 0, "grown to the segment's size");
	ok(!cpustate_attach(bad, &err) && err == -EINVAL, "a segment without the magic is refused");
	close(bad);
	ok(pread(fd, &h, sizeof(h), 0) == sizeof(h) && h.magic == STATESEG_MAGIC &&
	       h.version == STATESEG_VERSION && (h.key[0] | h.key[1]) != 0,
	   "the supervisor's header: magic, version, a key");
	ok(ftruncate(fd, 4096) < 0, "the segment cannot shrink (sealed)");
}

static void test_counters(struct cpustate *cs)
{
	struct cs_sample s;
	struct cs_view v;

	/* first read: an init 10 s old, 2 CPUs, 3 s user + 1 s system */
	set_line(0, 1, 200, 50);
	set_line(1, 3, 100, 50);
	s = sample(100000, 1000, 2, 300, 100);
	v = run(cs, "cpuacct:/a", &s);
	is_int(v.up_cs, 1000, "first read: uptime is the init's age");
	is_int(v.total[CS_USER], 300, "first read: user as sampled");
	is_int(v.total[CS_IDLE], 2000 - 400, "first read: idle = 2 CPUs x 10 s - busy");
	is_int(rows[0][CS_IDLE], 1000 - 250, "cpu0 idle = 10 s - its busy");
	is_int(rows[1][CS_IDLE], 1000 - 150, "cpu1 idle");

	/* 1 s later, cpu0 did 0.3 s more */
	set_line(0, 1, 230, 50);
	s = sample(100100, 1100, 2, 330, 100);
	v = run(cs, "cpuacct:/a", &s);
	is_int(v.up_cs, 1100, "uptime follows the host's clock");
	is_int(rows[0][CS_USER], 230, "cpu0 user grew by 30");
	is_int(rows[0][CS_IDLE], 750 + 70, "cpu0: busy + idle grew by the wall time");
	is_int(rows[1][CS_IDLE], 850 + 100, "cpu1: all idle");
	is_int(v.total[CS_IDLE], 1600 + 170, "total idle: 2 x 100 - 30");

	/* the cgroup is re-created: its raw time drops to almost 0 */
	set_line(0, 1, 5, 0);
	set_line(1, 3, 5, 0);
	s = sample(100200, 1200, 2, 10, 0);
	v = run(cs, "cpuacct:/a", &s);
	is_int(v.total[CS_USER], 330, "a raw drop leaves user where it was");
	is_int(rows[0][CS_USER], 230, "cpu0 user unchanged");
	ok(rows[0][CS_IDLE] >= 820, "cpu0 idle did not go back (%llu)",
	   (unsigned long long)rows[0][CS_IDLE]);
	set_line(0, 1, 25, 0);
	s = sample(100300, 1300, 2, 30, 0);
	v = run(cs, "cpuacct:/a", &s);
	is_int(v.total[CS_USER], 350, "then it grows by what the new cgroup adds");
	is_int(rows[0][CS_USER], 250, "cpu0 too");
}

/* A split whose ratio wobbles (usage divided as cpuacct.stat says): user +
 * system grow by exactly the CPU time, and neither goes back. */
static void test_wobble(struct cpustate *cs)
{
	struct cs_sample s;
	struct cs_view v;
	uint64_t lu = 0, ls = 0;
	bool back = false;

	for (unsigned i = 0; i <= 10; i++) {
		uint64_t t = 100 + i, u = i % 2 ? t * 55 / 100 : t * 65 / 100;

		set_line(0, 0, u, t - u);
		s = sample(800000 + i, 1000 + i, 1, u, t - u);
		v = run(cs, "cpuacct:/wobble", &s);
		back |= v.total[CS_USER] < lu || v.total[CS_SYSTEM] < ls;
		lu = v.total[CS_USER];
		ls = v.total[CS_SYSTEM];
	}
	ok(!back, "a wobbling split: user and system never go back");
	is_int(v.total[CS_USER] + v.total[CS_SYSTEM], 110, "their sum is the CPU time");
	is_int(rows[0][CS_USER] + rows[0][CS_SYSTEM], 110, "on the cpu0 line too");
}

static void test_remap(struct cpustate *cs)
{
	struct cs_sample s;
	struct cs_view v;
	uint64_t idle0, user0;

	set_line(0, 0, 100, 0);
	s = sample(200000, 500, 1, 100, 0);
	run(cs, "cpuacct:/remap", &s);
	/* cpuset 0 -> 2: shown cpu0 now comes from host CPU 2, far ahead */
	set_line(0, 2, 5000, 0);
	s = sample(200100, 600, 1, 5100, 0);
	run(cs, "cpuacct:/remap", &s);
	is_int(rows[0][CS_USER], 100, "remapped line: no jump to the other CPU's time");
	set_line(0, 2, 5040, 0);
	s = sample(200200, 700, 1, 5140, 0);
	run(cs, "cpuacct:/remap", &s);
	is_int(rows[0][CS_USER], 140, "then it follows its new CPU");
	idle0 = rows[0][CS_IDLE];
	user0 = rows[0][CS_USER];

	/* cpuset 2 -> 0-1 -> 2: cpu1 appears, goes, comes back 10 s later */
	set_line(0, 0, 7000, 0);
	set_line(1, 1, 9000, 0);
	s = sample(200300, 800, 2, 5140, 0);
	run(cs, "cpuacct:/remap", &s);
	ok(rows[0][CS_USER] == user0 && rows[0][CS_IDLE] >= idle0, "0-1: cpu0 keeps its values");
	is_int(rows[1][CS_USER], 9000, "0-1: a new cpu1 starts at its CPU's time");
	is_int(rows[1][CS_IDLE], 0, "0-1: idle never below 0 (busy above the age)");
	set_line(1, 1, 9010, 0);
	s = sample(200400, 900, 2, 5150, 0);
	run(cs, "cpuacct:/remap", &s);
	is_int(rows[1][CS_IDLE], 90, "cpu1 idle grows from its first read on, not stuck at 0");
	idle0 = rows[1][CS_IDLE];
	set_line(0, 2, 5050, 0);
	s = sample(200500, 1000, 1, 5160, 0);
	run(cs, "cpuacct:/remap", &s);
	set_line(1, 1, 9010, 0);
	s = sample(201500, 2000, 2, 5160, 0);
	run(cs, "cpuacct:/remap", &s);
	is_int(rows[1][CS_IDLE], idle0, "cpu1 back after 10 s: idle goes on from where it was");
	s = sample(201600, 2100, 2, 5160, 0);
	run(cs, "cpuacct:/remap", &s);
	is_int(rows[1][CS_IDLE], idle0 + 100, "and follows the clock again");

	/* v2: a spread over n CPUs; n 1 -> 2 halves each raw share */
	set_line(0, CS_SRC_SPREAD(1), 1000, 0);
	s = sample(300000, 2000, 1, 1000, 0);
	run(cs, "unified:/v2", &s);
	set_line(0, CS_SRC_SPREAD(2), 505, 0);
	set_line(1, CS_SRC_SPREAD(2), 505, 0);
	s = sample(300100, 2100, 2, 1010, 0);
	v = run(cs, "unified:/v2", &s);
	is_int(rows[0][CS_USER], 1000, "v2 share halved: cpu0 does not go back");
	is_int(v.total[CS_USER], 1010, "v2 total grows by 10");
}

static void test_uptime_reads(struct cpustate *cs)
{
	struct cs_sample s;
	struct cs_view v;
	uint64_t idle;

	set_line(0, 0, 10, 0);
	set_line(1, 1, 10, 0);
	s = sample(400000, 1000, 2, 20, 0);
	run(cs, "cpuacct:/up", &s);
	idle = rows[1][CS_IDLE];
	s = sample(400050, 0, 2, 20, 0);
	s.stat = false;
	v = run(cs, "cpuacct:/up", &s);
	is_int(v.up_cs, 1050, "an uptime read advances the clock");
	ok(v.total[CS_IDLE] <= v.up_cs * 2, "uptime idle <= uptime x CPUs");
	s = sample(400100, 1100, 2, 20, 0);
	run(cs, "cpuacct:/up", &s);
	is_int(rows[1][CS_IDLE], idle + 100, "stat lines go on across uptime reads");

	/* a new init (age 1 s) takes over the cgroup: nothing goes back */
	s = sample(400200, 100, 2, 25, 0);
	v = run(cs, "cpuacct:/up", &s);
	is_int(v.up_cs, 1200, "a new init: uptime keeps counting");
	/* the cpuset shrinks to 1 CPU: idle holds, then follows 1 CPU */
	idle = v.total[CS_IDLE];
	s = sample(400300, 200, 1, 25, 0);
	v = run(cs, "cpuacct:/up", &s);
	ok(v.total[CS_IDLE] >= idle, "cpuset shrank: total idle did not go back");
	ok(v.total[CS_IDLE] <= v.up_cs * 2, "total idle bounded");
}

static void test_restart(int fd, struct cpustate **cs)
{
	struct cs_sample s;
	struct cs_view v;
	int err;

	set_line(0, 0, 777, 0);
	s = sample(500000, 3000, 1, 777, 0);
	v = run(*cs, "cpuacct:/restart", &s);
	is_int(v.total[CS_IDLE], 3000 - 777, "before the restart");
	cpustate_detach(*cs);
	*cs = cpustate_attach(fd, &err);
	ok(*cs != NULL, "a restarted collector maps the same segment");
	if (!*cs)
		return;
	ok(slot_of(*cs, "cpuacct:/restart") >= 0, "the entry is still there");
	set_line(0, 0, 700, 0); /* lower than before */
	s = sample(500100, 3100, 1, 700, 0);
	v = run(*cs, "cpuacct:/restart", &s);
	is_int(v.up_cs, 3100, "uptime goes on");
	is_int(v.total[CS_USER], 777, "user did not go back");
	is_int(v.total[CS_IDLE], 2223 + 100, "idle went on by the wall time");
}

/* On a segment of its own: every entry is one of these. */
static void test_entries(void)
{
	int err, fd = stateseg_create();
	struct cpustate *cs = fd >= 0 ? cpustate_attach(fd, &err) : NULL;
	char id[64];
	struct cs_sample s;
	int first = -2, a, b;

	if (!cs)
		die("a second segment");
	set_line(0, 0, 1, 0);
	s = sample(600000, 100, 1, 1, 0);
	for (unsigned i = 0; i < CPUSTATE_ENTRIES + 2; i++) {
		snprintf(id, sizeof(id), "cpuacct:/fill/%u", i);
		run(cs, id, &s);
		if (i == 0)
			first = slot_of(cs, id);
		if (i == 5)
			run(cs, "cpuacct:/fill/0", &s); /* keep it recent */
	}
	a = slot_of(cs, "cpuacct:/fill/0");
	b = slot_of(cs, "cpuacct:/fill/1");
	ok(a == first, "a recently used entry stays in its slot (%d)", a);
	is_int(b, -1, "the least recently used one was evicted");
	is_int(slot_of(cs, "cpuacct:/fill/2"), -1, "and the next least recently used");
	ok(slot_of(cs, "cpuacct:/fill/3") >= 0, "but not the one after it");
	snprintf(id, sizeof(id), "cpuacct:/fill/%u", CPUSTATE_ENTRIES + 1);
	ok(slot_of(cs, id) >= 0, "the newest entry is there");
	/* an evicted container starts again from its raw values */
	set_line(0, 0, 42, 0);
	s = sample(600100, 100, 1, 42, 0);
	struct cs_view v = run(cs, "cpuacct:/fill/1", &s);
	is_int(v.total[CS_USER], 42, "a re-made entry shows raw values");
	is_int(rows[0][CS_USER], 42, "and its lines start afresh (not the old tenant's)");
	cpustate_detach(cs);
	close(fd);
}

static void test_cap_and_lock(struct cpustate *cs)
{
	struct cs_sample s;
	int slot;
	uint64_t t0;

	for (unsigned i = 0; i < 300; i++)
		set_line(i, i, 10 + i, 0);
	s = sample(700000, 1000, 300, 0, 0);
	run(cs, "cpuacct:/big", &s);
	for (unsigned i = 0; i < 300; i++)
		set_line(i, i, 5, 0);
	s = sample(700100, 1100, 300, 0, 0);
	run(cs, "cpuacct:/big", &s);
	is_int(rows[255][CS_USER], 265, "line 255 has state: no drop");
	is_int(rows[256][CS_USER], 5, "line 256 is beyond the cap: as sampled");
	is_int(rows[299][CS_IDLE], 1100 - 5, "and its idle is wall - busy");

	slot = slot_of(cs, "cpuacct:/big");
	atomic_store(&cs->slot[slot].lock, (UINT64_C(99999) << 32) | 7); /* died holding it */
	t0 = mono_ms();
	s = sample(700200, 1200, 300, 0, 0);
	run(cs, "cpuacct:/big", &s);
	ok(mono_ms() - t0 >= CPUSTATE_LOCK_WAIT_MS, "a dead holder's lock: waited %llu ms",
	   (unsigned long long)(mono_ms() - t0));
	is_int(rows[0][CS_IDLE], 1000 - 10 + 200, "then took it over and updated");
	is_int(atomic_load(&cs->slot[slot].lock), 0, "and released it");
}

int main(void)
{
	int err = 0, fd = stateseg_create();
	struct cpustate *cs;

	if (fd < 0)
		die("stateseg_create");
	test_siphash();
	test_attach(fd);
	cs = cpustate_attach(fd, &err);
	ok(cs != NULL, "the collector maps the segment (%d)", err);
	if (!cs)
		return done_testing();
	test_counters(cs);
	test_wobble(cs);
	test_remap(cs);
	test_uptime_reads(cs);
	test_restart(fd, &cs);
	test_cap_and_lock(cs);
	cpustate_detach(cs);
	test_entries();
	close(fd);
	return done_testing();
}
