// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * TAP tests of the CPU view: the one numbering (render_cpu_shown()), the
 * kernel's list and mask formats, the cpu directory (names, lookups and
 * every CPU list in it), cpuinfo of x86_64, arm64 and s390x, the flat
 * topology, --enable-cfs, and whose cgroups count as limited for
 * --pidns-cgroup=auto.
 *
 * The host is a temporary copy of the v1 fixture whose
 * sys/devices/system/cpu is tests/unit/fixtures/cpudir: 4 CPUs, two cores
 * of two threads (0-1 and 2-3) under one L3, CPU 3 isolated, nohz_full
 * 1-3; container init 100 has cpuset 1,3.  Per-arch cpuinfo and what each view
 * shows of it are fixtures too (tests/unit/fixtures/cpuinfo/<arch>,
 * <arch>.cpus13, <arch>.cpus13-flat), written by hand from each kernel's
 * show_cpuinfo().  Fixtures are found as in test_render.c.
 */
#include "config.h"

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
#include "cleanup.h"
#include "cpuset.h"
#include "fsio.h"
#include "hostdir.h"
#include "proto.h"
#include "render.h"
#include "target.h"
#include "tap.h"
#include "fixture.h"

/* the host most tests read, unchanged (fixture.h's tmp: a copy a test changes) */
static char base[256];
/* every hostdir made: reachable until exit (volatile: the stores are kept
 * although nothing reads them, so valgrind does not call them lost) */
static struct hostdir *volatile hostdirs[64];
static size_t n_hostdirs;

static const struct render_opts opt_host, opt_flat = { .flat = true }, opt_cfs = { .cfs = true },
					  opt_cfs_flat = { .cfs = true, .flat = true };

/* ---- a fixture host, a container in it ---- */

struct view {
	struct host host;
	struct target tgt;
	struct render_ctx ctx;
	struct cpuset vis;
	struct hostdir *hd;
};

/* The view of the container whose init is pid, on the host tree dir. */
static void view_open(struct view *v, const char *dir, pid_t pid, const struct render_opts *opt)
{
	_cleanup_buf_ struct buf cg = BUF_INIT(1 << 16);
	char name[32];

	memset(v, 0, sizeof(*v));
	host_open_path(&v->host, dir);
	snprintf(name, sizeof(name), "%d/cgroup", (int)pid);
	if (fs_read_beneath(v->host.proc_fd, name, &cg) < 0 || !buf_cstr(&cg) ||
	    cg_paths_parse(&v->host.cg, cg.data, cg.len, &v->tgt.cg) < 0)
		die(name);
	v->tgt.init_pid = pid;
	v->ctx = (struct render_ctx){ .host = &v->host, .tgt = &v->tgt, .opt = opt };
	if (render_visible_cpus(&v->ctx, &v->vis) < 0)
		die("render_visible_cpus");
	v->hd = hostdir_new(v->host.sys_cpu_fd);
	if (!v->hd || n_hostdirs == ARRAY_SIZE(hostdirs))
		die("hostdir_new");
	hostdirs[n_hostdirs++] = v->hd;
}

static void view_close(struct view *v)
{
	cg_paths_free(&v->tgt.cg);
	host_close(&v->host);
	/* hostdirs live as long as the collector: kept reachable, never freed */
}

/* ---- temporary copies of the v1 fixture with the cpu directory ---- */

/* v1, with tests/unit/fixtures/cpudir as sys/devices/system/cpu, into a
 * fresh temporary directory (its path in dir). */
static void make_copy(char *dir, size_t size)
{
	char src[PATH_MAX];
	int s, t, sys;

	copy_fixture_to(dir, size, "v1");
	t = open_dir(AT_FDCWD, dir, O_RDONLY);
	sys = open_dir(t, "sys/devices/system", O_RDONLY);
	rm_rf_at(sys, "cpu");
	testfs_mkdirs(sys, "cpu");
	close(t);
	t = open_dir(sys, "cpu", O_RDONLY);
	fixture_path(src, sizeof(src), "cpudir");
	s = open_dir(AT_FDCWD, src, O_RDONLY);
	testfs_copy_tree(s, t);
	close(s);
	close(t);
	close(sys);
}

static void copy_v1(void)
{
	make_copy(tmp, sizeof(tmp));
}

/* A fixture file's text (freed by the caller). */
static char *fixture_text(const char *rel)
{
	_cleanup_buf_ struct buf b = BUF_INIT(FS_READ_MAX);
	char p[PATH_MAX];
	_cleanup_close_ int fd = -1;

	fixture_path(p, sizeof(p), rel);
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die(p);
	for (;;) {
		char chunk[4096];
		ssize_t n = read(fd, chunk, sizeof(chunk));

		if (n < 0)
			die(p);
		if (n == 0)
			break;
		buf_append(&b, chunk, (size_t)n);
	}
	if (!buf_cstr(&b))
		die(p);
	return steal_ptr(b.data);
}

/* ---- rendering ---- */

static char *text;

static const char *render(struct view *v, uint32_t id)
{
	_cleanup_buf_ struct buf out = BUF_INIT(PROTO_MAX_PAYLOAD);
	int r = render_lookup(id)(&v->ctx, &out);

	free(text);
	text = NULL;
	if (r == 0 && !out.err && buf_cstr(&out))
		text = steal_ptr(out.data);
	return text;
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(*(char *const *)a + 2, *(char *const *)b + 2);
}

/* The entries of a cpu-directory node, "d cpu1 f enabled ..." sorted by
 * name, each with the d_type it carries ('d' or 'f'). */
static const char *names_of(struct view *v, uint64_t node)
{
	_cleanup_buf_ struct buf raw = BUF_INIT(1 << 20);
	_cleanup_buf_ struct buf out = BUF_INIT(1 << 20);
	char *entry[256];
	size_t n = 0, off = 0;
	struct proto_dirent e;
	const char *name;

	free(text);
	text = NULL;
	if (hostdir_readdir(v->hd, &v->ctx, &v->vis, node, &raw) < 0)
		return NULL;
	while (n < ARRAY_SIZE(entry) && proto_dirent_next(raw.data, raw.len, &off, &e, &name) == 1)
		if (asprintf(&entry[n++], "%c %.*s", S_ISDIR(e.mode) ? 'd' : 'f', (int)e.namelen,
			     name) < 0)
			die("asprintf");
	qsort(entry, n, sizeof(entry[0]), cmp_entry);
	for (size_t i = 0; i < n; i++) {
		buf_printf(&out, "%s%s", i ? " " : "", entry[i]);
		free(entry[i]);
	}
	text = strdup(buf_cstr(&out) ? out.data : "");
	return text;
}

/* Walk a path of the view ("cpu0/topology/core_id") by lookups: its node,
 * or a negative errno. */
static long long walk(struct view *v, const char *path)
{
	uint64_t node = VFILE_SYS_CPU;
	char copy[PATH_MAX], *save = NULL;

	snprintf(copy, sizeof(copy), "%s", path);
	for (char *c = strtok_r(copy, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		struct proto_attr a;
		int r = hostdir_lookup(v->hd, &v->ctx, &v->vis, node, c, &a);

		if (r < 0)
			return r;
		node = a.node;
	}
	return (long long)node;
}

/* A file of the view's cpu directory, as the reader reads it. */
static const char *cat(struct view *v, const char *path)
{
	_cleanup_buf_ struct buf out = BUF_INIT(1 << 16);
	long long node = walk(v, path);

	free(text);
	text = NULL;
	if (node < 0 || hostdir_check_visible(v->hd, &v->vis, (uint64_t)node) < 0 ||
	    hostdir_read(v->hd, &v->ctx, &v->vis, (uint64_t)node, &out) < 0 || !buf_cstr(&out))
		return NULL;
	text = steal_ptr(out.data);
	return text;
}

/* ---- the tests ---- */

static void mask_case(const char *in, unsigned want_bits, const char *want_list)
{
	_cleanup_buf_ struct buf list = BUF_INIT(4096), again = BUF_INIT(4096);
	struct cpuset s;
	unsigned nbits = 0;

	is_int(cpuset_parse_mask(&s, in, &nbits), 0, "mask '%s' parses", in);
	is_int(nbits, want_bits, "mask '%s' is %u bits wide", in, want_bits);
	cpuset_format(&s, &list);
	is_str(buf_cstr(&list) ? list.data : "", want_list, "mask '%s' holds %s", in, want_list);
	cpuset_format_mask(&s, nbits, &again);
	is_str(buf_cstr(&again), in, "mask '%s' prints back the same", in);
}

static void test_masks(void)
{
	static const char *const bad[] = {
		"",	     ",3",  "3,",  "3,,00000000",      "00000003,0000000",
		"123456789", "xyz", "1 2", "00000001,0000000g"
	};
	_cleanup_buf_ struct buf b = BUF_INIT(4096);
	struct cpuset s;
	unsigned nbits;

	mask_case("3", 4, "0-1");
	mask_case("a", 4, "1,3");
	mask_case("00000000,00000002", 64, "1");
	mask_case("f,ffffffff", 36, "0-35");
	mask_case("80000000,00000001", 64, "0,63");
	mask_case("00000000,00000000,00000000,00000000,00000000,00000000,00000000,0000000a", 256,
		  "1,3");
	ok(cpuset_parse_mask(&s, "0000000a\n", &nbits) == 0 && nbits == 32 && cpuset_has(&s, 3),
	   "a mask ends at its newline");
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		is_int(cpuset_parse_mask(&s, bad[i], &nbits), -EINVAL, "mask '%s' is refused",
		       bad[i]);
	cpuset_parse(&s, "1,3");
	cpuset_format_mask(&s, 256, &b);
	is_str(buf_cstr(&b),
	       "00000000,00000000,00000000,00000000,00000000,00000000,00000000,0000000a",
	       "1,3 printed 256 bits wide, as the kernel prints it with nr_cpu_ids 256");
	buf_reset(&b);
	cpuset_parse(&s, "8");
	cpuset_format_mask(&s, 4, &b);
	is_str(buf_cstr(&b), "0", "bits past the width are not shown");
}

static void test_numbering(void)
{
	struct render_ctx host = { .opt = &opt_host }, flat = { .opt = &opt_flat };
	_cleanup_buf_ struct buf b = BUF_INIT(4096);
	struct cpuset vis, sib, shown;
	unsigned cpu = 99;

	cpuset_parse(&vis, "1,3,100,4095");
	is_int(render_cpu_shown(&host, &vis, 3), 3, "host numbering: CPU 3 is cpu3");
	is_int(render_cpu_shown(&host, &vis, 4095), 4095, "host numbering: CPU 4095 is cpu4095");
	is_int(render_cpu_shown(&flat, &vis, 1), 0, "flat: CPU 1 is cpu0");
	is_int(render_cpu_shown(&flat, &vis, 100), 2, "flat: CPU 100 is cpu2");
	is_int(render_cpu_shown(&flat, &vis, 4095), 3, "flat: CPU 4095 is cpu3");
	ok(render_cpu_host(&host, &vis, 100, &cpu) == 0 && cpu == 100, "host: cpu100 is CPU 100");
	is_int(render_cpu_host(&host, &vis, 0, &cpu), -ENOENT, "host: no cpu0 in the view");
	ok(render_cpu_host(&flat, &vis, 2, &cpu) == 0 && cpu == 100, "flat: cpu2 is CPU 100");
	ok(render_cpu_host(&flat, &vis, 3, &cpu) == 0 && cpu == 4095, "flat: cpu3 is CPU 4095");
	is_int(render_cpu_host(&flat, &vis, 4, &cpu), -ENOENT, "flat: no cpu4 in the view");
	cpuset_parse(&sib, "0-3,100-101");
	render_cpus_shown(&host, &vis, &sib, &shown);
	cpuset_format(&shown, &b);
	is_str(buf_cstr(&b), "1,3,100", "host: a sibling list keeps its visible members");
	buf_reset(&b);
	render_cpus_shown(&flat, &vis, &sib, &shown);
	cpuset_format(&shown, &b);
	is_str(buf_cstr(&b), "0-2", "flat: ... renumbered");
}

static void test_online(void)
{
	static const uint32_t lists[] = { VFILE_SYS_CPU_ONLINE, VFILE_SYS_CPU_POSSIBLE,
					  VFILE_SYS_CPU_PRESENT };
	const char *v1 = base;
	struct view v;

	view_open(&v, v1, 100, &opt_host);
	for (size_t i = 0; i < ARRAY_SIZE(lists); i++)
		is_str(render(&v, lists[i]), "1,3\n", "%s: cpuset 1,3, host numbers",
		       vfile_get(lists[i])->path);
	is_str(render(&v, VFILE_SYS_CPU_OFFLINE), "\n", "offline: none");
	view_close(&v);
	view_open(&v, v1, 100, &opt_flat);
	for (size_t i = 0; i < ARRAY_SIZE(lists); i++)
		is_str(render(&v, lists[i]), "0-1\n", "%s: flat, 0-(n-1)",
		       vfile_get(lists[i])->path);
	view_close(&v);
	view_open(&v, v1, 600, &opt_cfs_flat);
	is_str(render(&v, VFILE_SYS_CPU_ONLINE), "0-1\n", "online: cfs 1.5 CPUs of 0-3, flat");
	view_close(&v);
}

/* cpuinfo of arch on the v1 host, as container 100 (cpuset 1,3) sees it */
static void cpuinfo_case(const char *arch)
{
	_cleanup_free_ char *host = NULL, *want = NULL, *want_flat = NULL;
	char rel[64];
	struct view v;

	snprintf(rel, sizeof(rel), "cpuinfo/%s", arch);
	host = fixture_text(rel);
	snprintf(rel, sizeof(rel), "cpuinfo/%s.cpus13", arch);
	want = fixture_text(rel);
	snprintf(rel, sizeof(rel), "cpuinfo/%s.cpus13-flat", arch);
	want_flat = fixture_text(rel);
	copy_v1();
	puts_("proc/cpuinfo", host);
	view_open(&v, tmp, 100, &opt_host);
	is_str(render(&v, VFILE_PROC_CPUINFO), want, "%s cpuinfo, cpuset 1,3: CPUs 1 and 3", arch);
	view_close(&v);
	view_open(&v, tmp, 100, &opt_flat);
	is_str(render(&v, VFILE_PROC_CPUINFO), want_flat,
	       "%s cpuinfo, cpuset 1,3, flat topology: CPUs 0 and 1, one core each", arch);
	view_close(&v);
	view_open(&v, tmp, 1, &opt_host);
	is_str(render(&v, VFILE_PROC_CPUINFO), host, "%s cpuinfo, root cgroup: the host's", arch);
	view_close(&v);
	remove_copy();
}

static void test_cpuinfo_arches(void)
{
	static const char old_s390[] =
	    "vendor_id       : IBM/S390\n"
	    "# processors    : 4\n"
	    "bogomips per cpu: 3033.00\n"
	    "features\t: esan3 zarch stfle msa ldisp eimm dfp edat etf3eh highgprs te vx sie\n"
	    "processor 0: version = FF,  identification = 0133E8,  machine = 2964\n"
	    "processor 1: version = FF,  identification = 0133E8,  machine = 2964\n"
	    "processor 2: version = FF,  identification = 0133E8,  machine = 2964\n"
	    "processor 3: version = FF,  identification = 0133E8,  machine = 2964\n";
	struct view v;

	cpuinfo_case("x86_64");
	cpuinfo_case("arm64");
	cpuinfo_case("s390x");
	copy_v1();
	puts_("proc/cpuinfo", old_s390);
	view_open(&v, tmp, 100, &opt_host);
	is_str(render(&v, VFILE_PROC_CPUINFO),
	       "vendor_id       : IBM/S390\n"
	       "# processors    : 2\n"
	       "bogomips per cpu: 3033.00\n"
	       "features\t: esan3 zarch stfle msa ldisp eimm dfp edat etf3eh highgprs te vx sie\n"
	       "processor 1: version = FF,  identification = 0133E8,  machine = 2964\n"
	       "processor 3: version = FF,  identification = 0133E8,  machine = 2964\n",
	       "s390 before per-CPU blocks (kernels < 4.7): the summary only");
	view_close(&v);
	remove_copy();
}

static void test_cpu_dir(void)
{
	const char *v1 = base;
	struct view v;

	view_open(&v, v1, 100, &opt_host);
	is_str(names_of(&v, VFILE_SYS_CPU),
	       "d cpu1 d cpu3 d cpufreq d cpuidle f enabled f isolated f kernel_max f nohz_full "
	       "d smt",
	       "cpuset 1,3: cpu1 and cpu3 (DT_DIR), the table's files not twice");
	ok(walk(&v, "cpu0") == -ENOENT && walk(&v, "cpu2") == -ENOENT, "cpu0, cpu2: ENOENT");
	ok(walk(&v, "cpu01") == -ENOENT, "cpu01 is no name of CPU 1");
	ok(walk(&v, "cpu1") >= 0, "cpu1 is there");
	is_str(cat(&v, "cpu1/topology/thread_siblings_list"), "1\n", "thread siblings of 1: 1");
	is_str(cat(&v, "cpu1/topology/thread_siblings"), "2\n", "... as a mask");
	is_str(cat(&v, "cpu3/topology/core_cpus_list"), "3\n", "core CPUs of 3: 3");
	is_str(cat(&v, "cpu1/topology/package_cpus_list"), "1,3\n", "package: 1,3");
	is_str(cat(&v, "cpu1/topology/package_cpus"), "a\n", "... as a mask");
	is_str(cat(&v, "cpu3/topology/core_siblings_list"), "1,3\n", "core siblings: 1,3");
	is_str(cat(&v, "cpu3/topology/die_cpus"), "a\n", "die CPUs: mask a");
	is_str(cat(&v, "cpu1/topology/cluster_cpus_list"), "1\n", "cluster: 1");
	is_str(cat(&v, "cpu1/topology/physical_package_id"), "0\n", "package id: the host's");
	is_str(cat(&v, "cpu3/topology/core_id"), "1\n", "core id: the host's");
	is_str(cat(&v, "cpu1/cache/index0/shared_cpu_list"), "1\n", "L1d shared by 1");
	is_str(cat(&v, "cpu3/cache/index3/shared_cpu_list"), "1,3\n", "L3 shared by 1,3");
	is_str(cat(&v, "cpu3/cache/index3/shared_cpu_map"), "a\n", "... as a mask");
	is_str(cat(&v, "cpu3/cache/index3/size"), "32768K\n", "cache size: the host's");
	is_str(cat(&v, "enabled"), "1,3\n", "enabled: 1,3");
	is_str(cat(&v, "isolated"), "3\n", "isolated: the visible one of the host's");
	is_str(cat(&v, "nohz_full"), "1,3\n", "nohz_full: 1,3");
	is_str(cat(&v, "kernel_max"), "511\n", "kernel_max: the host's");
	is_str(cat(&v, "cpufreq/policy0/related_cpus"), "1 \n", "cpufreq related_cpus: 1");
	is_str(cat(&v, "cpufreq/policy2/affected_cpus"), "3 \n", "cpufreq affected_cpus: 3");
	is_str(cat(&v, "cpufreq/policy2/scaling_governor"), "schedutil\n", "governor: host's");
	is_str(cat(&v, "cpu1/online"), "1\n", "cpu1/online: the host's flag");
	{
		/* a node of a CPU the reader may not see, interned by another */
		struct view root;
		long long node;

		view_open(&root, v1, 1, &opt_host);
		v.hd = root.hd; /* one hostdir, as in the collector */
		node = walk(&root, "cpu0/topology/core_id");
		ok(node >= 0 && hostdir_check_visible(v.hd, &v.vis, (uint64_t)node) == -ENOENT,
		   "a node below cpu0: ENOENT for cpuset 1,3");
		view_close(&root);
	}
	view_close(&v);

	view_open(&v, v1, 100, &opt_flat);
	is_str(names_of(&v, VFILE_SYS_CPU),
	       "d cpu0 d cpu1 d cpufreq d cpuidle f enabled f isolated f kernel_max f nohz_full "
	       "d smt",
	       "flat, cpuset 1,3: cpu0 and cpu1");
	ok(walk(&v, "cpu2") == -ENOENT && walk(&v, "cpu3") == -ENOENT, "flat: no cpu2, cpu3");
	{
		struct view root;

		view_open(&root, v1, 1, &opt_host);
		ok(walk(&v, "cpu0") >= 0 && walk(&v, "cpu0") == walk(&root, "cpu1"),
		   "flat: cpu0 is the node of the host's cpu1");
		view_close(&root);
	}
	is_str(cat(&v, "cpu0/online"), "1\n", "flat cpu0 is host CPU 1 (it has an online file)");
	is_str(cat(&v, "cpu1/cache/index0/id"), "1\n", "flat cpu1 is host CPU 3 (L1 of core 1)");
	is_str(cat(&v, "cpu1/topology/thread_siblings_list"), "1\n", "flat: siblings: itself");
	is_str(cat(&v, "cpu1/topology/package_cpus_list"), "1\n", "flat: package: itself");
	is_str(cat(&v, "cpu1/topology/package_cpus"), "2\n", "... as a mask");
	is_str(cat(&v, "cpu1/topology/physical_package_id"), "1\n", "flat: package id = number");
	is_str(cat(&v, "cpu1/topology/core_id"), "0\n", "flat: core id 0");
	is_str(cat(&v, "cpu1/cache/index3/shared_cpu_list"), "0-1\n", "flat: L3 shared by 0-1");
	is_str(cat(&v, "cpu0/cache/index3/shared_cpu_map"), "3\n", "... as a mask");
	is_str(cat(&v, "isolated"), "1\n", "flat: isolated 1 (host CPU 3)");
	is_str(cat(&v, "nohz_full"), "0-1\n", "flat: nohz_full 0-1");
	is_str(cat(&v, "cpufreq/policy2/related_cpus"), "1 \n", "flat: related_cpus 1");
	view_close(&v);
}

/* A CFS quota of one CPU on cpuset 1,3: every CPU count says 1. */
static void test_cfs(void)
{
	struct view v;

	copy_v1();
	puts_("cgroup/cpu,cpuacct/lxc/c1/cpu.cfs_quota_us", "100000\n");
	view_open(&v, tmp, 100, &opt_cfs);
	is_str(render(&v, VFILE_SYS_CPU_ONLINE), "1\n", "cfs: online 1");
	is_str(render(&v, VFILE_SYS_CPU_POSSIBLE), "1\n", "cfs: possible 1");
	like(render(&v, VFILE_PROC_CPUINFO), "processor\t: 1\n", "cfs: cpuinfo has CPU 1");
	ok(text && !strstr(text, "processor\t: 3\n") && !strstr(text, "processor\t: 0\n"),
	   "cfs: ... and no other");
	is_str(names_of(&v, VFILE_SYS_CPU),
	       "d cpu1 d cpufreq d cpuidle f enabled f isolated f kernel_max f nohz_full d smt",
	       "cfs: cpu1 only");
	is_str(cat(&v, "cpu1/topology/package_cpus_list"), "1\n", "cfs: package 1");
	is_str(cat(&v, "isolated"), "\n", "cfs: isolated CPU 3 is not in the view");
	view_close(&v);
	view_open(&v, tmp, 100, &opt_cfs_flat);
	is_str(render(&v, VFILE_SYS_CPU_ONLINE), "0\n", "cfs, flat: online 0");
	like(render(&v, VFILE_PROC_CPUINFO), "processor\t: 0\n", "cfs, flat: processor 0");
	is_str(names_of(&v, VFILE_SYS_CPU),
	       "d cpu0 d cpufreq d cpuidle f enabled f isolated f kernel_max f nohz_full d smt",
	       "cfs, flat: cpu0 only");
	view_close(&v);
	view_open(&v, tmp, 100, &opt_host);
	is_str(render(&v, VFILE_SYS_CPU_ONLINE), "1,3\n", "without --enable-cfs: 1,3");
	view_close(&v);
	/* s390: "# processors" follows the cut too */
	{
		_cleanup_free_ char *s390 = fixture_text("cpuinfo/s390x");

		puts_("proc/cpuinfo", s390);
		view_open(&v, tmp, 100, &opt_cfs);
		like(render(&v, VFILE_PROC_CPUINFO), "# processors    : 1\n", "cfs: s390 1 CPU");
		view_close(&v);
	}
	remove_copy();
}

/* Host masks wider than 4 bits keep their width. */
static void test_wide_masks(void)
{
	struct view v;

	copy_v1();
	puts_("sys/devices/system/cpu/cpu3/topology/package_cpus",
	      "00000000,00000000,00000000,0000000f\n");
	view_open(&v, tmp, 100, &opt_host);
	is_str(cat(&v, "cpu3/topology/package_cpus"), "00000000,00000000,00000000,0000000a\n",
	       "a 128-bit host mask stays 128 bits wide");
	view_close(&v);
	puts_("sys/devices/system/cpu/cpu3/topology/package_cpus", "not a mask\n");
	view_open(&v, tmp, 100, &opt_host);
	ok(cat(&v, "cpu3/topology/package_cpus") == NULL, "a host mask that is none: an error");
	view_close(&v);
	remove_copy();
}

static void test_limited(void)
{
	const char *v1 = base;
	enum pidns_cgroup m = PIDNS_CG_INIT;
	struct view v;

	ok(childopt_pidns_cgroup("auto", &m) == 0 && m == PIDNS_CG_AUTO, "'auto' parses");
	ok(childopt_pidns_cgroup("reader", &m) == 0 && m == PIDNS_CG_READER, "'reader' parses");
	ok(childopt_pidns_cgroup("init", &m) == 0 && m == PIDNS_CG_INIT, "'init' parses");
	is_int(childopt_pidns_cgroup("pause", &m), -EINVAL, "anything else does not");
	view_open(&v, v1, 1, &opt_host);
	ok(!target_limited(&v.host, &v.tgt), "the root cgroup has no limits");
	view_close(&v);
	view_open(&v, v1, 300, &opt_host);
	ok(!target_limited(&v.host, &v.tgt), "no memory limit, all CPUs, no quota: unlimited");
	view_close(&v);
	view_open(&v, v1, 100, &opt_host);
	ok(target_limited(&v.host, &v.tgt), "256 MiB, cpuset 1,3: limited");
	view_close(&v);
	view_open(&v, v1, 200, &opt_host);
	ok(target_limited(&v.host, &v.tgt), "a limit on the parent only: limited");
	view_close(&v);
	copy_v1();
	puts_("proc/300/cgroup", "4:memory:/nolimit\n3:cpuset:/lxc/c2\n2:cpu,cpuacct:/lxc\n");
	view_open(&v, tmp, 300, &opt_host);
	ok(target_limited(&v.host, &v.tgt), "only a cpuset (0,2): limited");
	view_close(&v);
	puts_("proc/300/cgroup", "4:memory:/nolimit\n3:cpuset:/lxc\n2:cpu,cpuacct:/lxc/c1\n");
	view_open(&v, tmp, 300, &opt_host);
	ok(target_limited(&v.host, &v.tgt), "only a CFS quota: limited");
	view_close(&v);
	remove_copy();
}

int main(int argc, char **argv)
{
	find_fixtures(argc, argv);
	make_copy(base, sizeof(base));
	test_masks();
	test_numbering();
	test_online();
	test_cpuinfo_arches();
	test_cpu_dir();
	test_cfs();
	test_wide_masks();
	test_limited();
	remove_dir(base);
	free(text);
	return done_testing();
}
