// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * TAP tests of the renderers against fixture trees of v1, hybrid and v2
 * hosts (tests/unit/fixtures/<case>/{proc,sys,cgroup}).  Each test picks a
 * "container init" pid of the fixture; its proc/<pid>/cgroup decides the
 * cgroups, exactly as on a live host.  Variants of a fixture (no host swap,
 * 256 CPUs, another arch's cpuinfo) are made at run time in a temporary
 * copy.
 *
 * The fixtures are found in $LXCFS_FIXTURES, else <argv[1]>/tests/unit/
 * fixtures (argv[1] being the source directory), else tests/unit/fixtures.
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
#include "cleanup.h"
#include "fsio.h"
#include "proto.h"
#include "render.h"
#include "tap.h"
#include "fixture_cg.h"
#include "testfs.h"

#define KB(mib) ((mib)*1024ull)

static char fixtures[PATH_MAX];
static char tmp[256];

/* ---- fixture hosts ---- */

struct fix {
	struct host host;
};

static int open_dir(int at, const char *path, int flags)
{
	int fd = openat(at, path, flags | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		die(path);
	return fd;
}

/* A host from <dir>/proc, <dir>/sys/devices/system/cpu and <dir>/cgroup. */
static void fix_open_path(struct fix *f, const char *dir)
{
	int root = open_dir(AT_FDCWD, dir, O_RDONLY);
	int cg = open_dir(root, "cgroup", O_RDONLY);

	f->host.proc_fd = open_dir(root, "proc", O_PATH);
	f->host.sys_cpu_fd = open_dir(root, "sys/devices/system/cpu", O_PATH);
	cg_layout_init(&f->host.cg);
	if (fixture_layout_from_dir(&f->host.cg, cg) < 0)
		die("fixture_layout_from_dir");
	close(cg);
	close(root);
}

static void fix_open(struct fix *f, const char *name)
{
	char p[PATH_MAX];

	if (snprintf(p, sizeof(p), "%s/%s", fixtures, name) >= (int)sizeof(p))
		die("fixture path");
	fix_open_path(f, p);
}

static void fix_close(struct fix *f)
{
	close(f->host.proc_fd);
	close(f->host.sys_cpu_fd);
	fixture_layout_close(&f->host.cg);
}

/* A file of the fixture's proc/, as text (freed by the caller). */
static char *host_text(const struct fix *f, const char *name)
{
	_cleanup_buf_ struct buf b = BUF_INIT(FS_READ_MAX);

	if (fs_read_beneath(f->host.proc_fd, name, &b) < 0 || !buf_cstr(&b))
		die(name);
	return steal_ptr(b.data);
}

/* ---- rendering ---- */

static const struct render_opts opt_none, opt_swap_off = { .swap_off = true },
					  opt_cfs = { .cfs = true };

static char *last_text;
static int last_rc;

/* Render file id for the container whose init is pid.  Returns the text
 * (valid until the next call), or NULL with last_rc < 0. */
static const char *render_as(const struct fix *f, pid_t pid, bool host_ns,
			     const struct render_opts *opt, uint32_t id, size_t max)
{
	_cleanup_buf_ struct buf cg = BUF_INIT(1 << 16);
	_cleanup_buf_ struct buf out = BUF_INIT(max);
	struct target t = { .init_pid = pid, .host_ns = host_ns };
	struct render_ctx ctx = { .host = &f->host, .tgt = &t, .opt = opt };
	render_fn *fn = render_lookup(id);
	char name[32];

	free(last_text);
	last_text = NULL;
	snprintf(name, sizeof(name), "%d/cgroup", (int)pid);
	if (!fn || fs_read_beneath(f->host.proc_fd, name, &cg) < 0 || !buf_cstr(&cg) ||
	    cg_paths_parse(&f->host.cg, cg.data, cg.len, &t.cg) < 0) {
		diag("cannot set up pid %d for file %u", (int)pid, id);
		last_rc = -EINVAL;
		return NULL;
	}
	last_rc = fn(&ctx, &out);
	cg_paths_free(&t.cg);
	if (last_rc == 0 && out.err)
		last_rc = 1000; /* an error the renderer did not report */
	if (last_rc == 0 && buf_cstr(&out))
		last_text = steal_ptr(out.data);
	return last_text;
}

static const char *R(const struct fix *f, pid_t pid, uint32_t id)
{
	return render_as(f, pid, false, &opt_none, id, PROTO_MAX_PAYLOAD);
}

static const char *Ropt(const struct fix *f, pid_t pid, const struct render_opts *opt, uint32_t id)
{
	return render_as(f, pid, false, opt, id, PROTO_MAX_PAYLOAD);
}

/* ---- expected meminfo: the host's text with some values replaced ---- */

struct kv {
	const char *key;
	unsigned long long kb;
};

/* The kernel's column format: "Key:" padded to 16, the value in 8, " kB". */
static char *meminfo_with(const char *host, const struct kv *a, size_t na, const struct kv *b,
			  size_t nb)
{
	_cleanup_buf_ struct buf o = BUF_INIT(1 << 20);

	for (const char *p = host; *p;) {
		const char *nl = strchr(p, '\n'), *colon = strchr(p, ':');
		size_t len = nl ? (size_t)(nl - p + 1) : strlen(p);
		const struct kv *hit = NULL;

		for (size_t i = 0; colon && colon < p + len && i < na + nb; i++) {
			const struct kv *e = i < na ? &a[i] : &b[i - na];

			if (strlen(e->key) == (size_t)(colon - p) && !strncmp(p, e->key, colon - p))
				hit = e;
		}
		if (hit) {
			char key[64];

			snprintf(key, sizeof(key), "%s:", hit->key);
			buf_printf(&o, "%-16s%8llu kB\n", key, hit->kb);
		} else {
			buf_append(&o, p, len);
		}
		p += len;
	}
	buf_cstr(&o);
	return steal_ptr(o.data);
}

/* memory.stat of every v1 fixture cgroup, in kB */
static const struct kv v1_stat[] = {
	{ "Buffers", 0 },
	{ "Cached", 51200 },
	{ "SwapCached", 0 },
	{ "Active", 61440 },
	{ "Inactive", 30720 },
	{ "Active(anon)", 30720 },
	{ "Inactive(anon)", 10240 },
	{ "Active(file)", 30720 },
	{ "Inactive(file)", 20480 },
	{ "Unevictable", 0 },
	{ "Zswap", 0 },
	{ "Zswapped", 0 },
	{ "Dirty", 8 },
	{ "Writeback", 0 },
	{ "AnonPages", 40960 },
	{ "Mapped", 8192 },
	{ "Shmem", 1024 },
	{ "KReclaimable", 0 },
	{ "Slab", 0 },
	{ "SReclaimable", 0 },
	{ "SUnreclaim", 0 },
	{ "KernelStack", 0 },
	{ "PageTables", 0 },
	{ "SecPageTables", 0 },
	{ "Percpu", 0 },
	{ "AnonHugePages", 0 },
	{ "ShmemHugePages", 0 },
	{ "FileHugePages", 0 },
};

/* memory.stat of every v2 fixture cgroup, in kB */
static const struct kv v2_stat[] = {
	{ "Buffers", 0 },
	{ "Cached", 51200 },
	{ "SwapCached", 0 },
	{ "Active", 61440 },
	{ "Inactive", 30720 },
	{ "Active(anon)", 30720 },
	{ "Inactive(anon)", 10240 },
	{ "Active(file)", 30720 },
	{ "Inactive(file)", 20480 },
	{ "Unevictable", 0 },
	{ "Zswap", 0 },
	{ "Zswapped", 0 },
	{ "Dirty", 8 },
	{ "Writeback", 0 },
	{ "AnonPages", 40960 },
	{ "Mapped", 8192 },
	{ "Shmem", 1024 },
	{ "KReclaimable", 2048 },
	{ "Slab", 3072 },
	{ "SReclaimable", 2048 },
	{ "SUnreclaim", 1024 },
	{ "KernelStack", 320 },
	{ "PageTables", 1024 },
	{ "SecPageTables", 0 },
	{ "Percpu", 64 },
	{ "AnonHugePages", 0 },
	{ "ShmemHugePages", 0 },
	{ "FileHugePages", 0 },
};

struct memcase {
	pid_t pid;
	unsigned long long total, free, avail, swap_total, swap_free;
	const char *what;
};

static void check_meminfo(const struct fix *f, const struct render_opts *opt, bool v2,
			  const struct memcase *c)
{
	_cleanup_free_ char *host = host_text(f, "meminfo");
	const struct kv mem[] = {
		{ "MemTotal", c->total },     { "MemFree", c->free },
		{ "MemAvailable", c->avail }, { "SwapTotal", c->swap_total },
		{ "SwapFree", c->swap_free },
	};
	_cleanup_free_ char *want = meminfo_with(host, mem, ARRAY_SIZE(mem), v2 ? v2_stat : v1_stat,
						 v2 ? ARRAY_SIZE(v2_stat) : ARRAY_SIZE(v1_stat));

	is_str(Ropt(f, c->pid, opt, VFILE_PROC_MEMINFO), want, "meminfo: %s", c->what);
}

/* ---- expected cpuinfo: the host's blocks of the visible CPUs ---- */

/* Blocks of the host's cpuinfo cpus[0], cpus[1], ..., keeping the host's
 * numbers (the view's numbering, render_cpu_shown()). */
static char *cpuinfo_of(const char *host, const unsigned *cpus, size_t n)
{
	_cleanup_buf_ struct buf o = BUF_INIT(16 << 20);

	for (size_t i = 0; i < n; i++) {
		char head[32];
		const char *b, *e;

		snprintf(head, sizeof(head), "processor\t: %u\n", cpus[i]);
		b = strstr(host, head);
		if (!b)
			die("cpuinfo block");
		e = strstr(b, "\n\n");
		e = e ? e + 2 : b + strlen(b);
		buf_append(&o, b, (size_t)(e - b));
	}
	buf_cstr(&o);
	return steal_ptr(o.data);
}

static size_t count(const char *s, const char *sub)
{
	size_t n = 0;

	for (const char *p = s; p && (p = strstr(p, sub)); p += strlen(sub))
		n++;
	return n;
}

static void check_cpuinfo(const struct fix *f, pid_t pid, const struct render_opts *opt,
			  const unsigned *cpus, size_t n, const char *what)
{
	_cleanup_free_ char *host = host_text(f, "cpuinfo");
	_cleanup_free_ char *want = cpuinfo_of(host, cpus, n);

	is_str(Ropt(f, pid, opt, VFILE_PROC_CPUINFO), want, "cpuinfo: %s", what);
}

/* ---- temporary copies of a fixture ---- */

static void copy_tree(int src, int dst)
{
	DIR *d = fdopendir(dup(src));
	struct dirent *de;

	if (!d)
		die("fdopendir");
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' && (!de->d_name[1] || !strcmp(de->d_name, "..")))
			continue;
		struct stat st;

		if (fstatat(src, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			die(de->d_name);
		if (S_ISDIR(st.st_mode)) {
			int s, t;

			if (mkdirat(dst, de->d_name, 0755) < 0)
				die(de->d_name);
			s = open_dir(src, de->d_name, O_RDONLY);
			t = open_dir(dst, de->d_name, O_RDONLY);
			copy_tree(s, t);
			close(s);
			close(t);
		} else if (S_ISREG(st.st_mode)) {
			_cleanup_buf_ struct buf b = BUF_INIT(FS_READ_MAX);
			_cleanup_close_ int t =
			    openat(dst, de->d_name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);

			if (t < 0 || fs_read_beneath(src, de->d_name, &b) < 0 ||
			    write(t, b.data ? b.data : "", b.len) != (ssize_t)b.len)
				die(de->d_name);
		}
	}
	closedir(d);
}

/* Copy fixture name to a fresh temporary directory (its path in tmp). */
static void copy_fixture(const char *name)
{
	char p[PATH_MAX];
	int s, t;

	snprintf(tmp, sizeof(tmp), "/tmp/lxcfs-test-render-XXXXXX");
	if (!mkdtemp(tmp))
		die("mkdtemp");
	if (snprintf(p, sizeof(p), "%s/%s", fixtures, name) >= (int)sizeof(p))
		die("fixture path");
	s = open_dir(AT_FDCWD, p, O_RDONLY);
	t = open_dir(AT_FDCWD, tmp, O_RDONLY);
	copy_tree(s, t);
	close(s);
	close(t);
}

static void remove_copy(void)
{
	int fd = open_dir(AT_FDCWD, "/tmp", O_RDONLY);

	rm_rf_at(fd, tmp + strlen("/tmp/"));
	close(fd);
	tmp[0] = '\0';
}

/* Replace a file of the temporary copy. */
static void put(const char *rel, const char *text, size_t len)
{
	char p[PATH_MAX];
	int fd;

	if (snprintf(p, sizeof(p), "%s/%s", tmp, rel) >= (int)sizeof(p))
		die("path");
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, text, len) != (ssize_t)len)
		die(p);
	close(fd);
}

static void puts_(const char *rel, const char *text)
{
	put(rel, text, strlen(text));
}

/* The host's meminfo of the copy with other swap numbers. */
static void set_host_swap(const struct fix *f, unsigned long long total, unsigned long long free_)
{
	_cleanup_free_ char *host = host_text(f, "meminfo");
	const struct kv swap[] = { { "SwapTotal", total }, { "SwapFree", free_ } };
	_cleanup_free_ char *text = meminfo_with(host, swap, 2, NULL, 0);

	puts_("proc/meminfo", text);
}

/* ---- the tests ---- */

#define SWAPS_HEADER "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"
#define NONE_PAD     "none                                    " /* 40 columns */

static void test_table(void)
{
	is_int(render_table_check(), 0, "every file of the table has a renderer");
	ok(render_lookup(VFILE_PROC_MEMINFO) == render_meminfo, "meminfo's renderer");
	ok(render_lookup(VFILE_SYS_CPU_PRESENT) == render_cpu_online, "present shows online");
	ok(render_lookup(VFILE_SYS_CPU_OFFLINE) == render_cpu_offline, "offline's renderer");
	ok(render_lookup(VFILE_PROC) == NULL, "a directory has no renderer");
	ok(render_lookup(VFILE_COUNT) == NULL && render_lookup(0) == NULL, "ids out of range");
}

static void test_meminfo_v1(void)
{
	const struct memcase cases[] = {
		{ 100, 262144, 159744, 210944, 131072, 120832,
		  "v1 256 MiB limit, memsw 384 MiB, 10 MiB swapped" },
		{ 200, 524288, 473088, 524288, 262144, 262144,
		  "v1 limit only on the parent (512 MiB), memsw 768 MiB there" },
		{ 300, 24684092, 24479292, 24530492, 2097148, 2097148,
		  "v1 no limit anywhere: the host's MemTotal and swap" },
		{ 400, 262144, 159744, 210944, 0, 0, "v1 swappiness 0, no swap used: no swap" },
		{ 500, 262144, 159744, 210944, 8192, 0,
		  "v1 swappiness 0, 8 MiB swapped: SwapTotal = used" },
		{ 800, 262144, 159744, 210944, 0, 0, "v1 no swap accounting (no memsw files)" },
	};
	const struct memcase off = { 100, 262144, 159744, 210944, 0, 0, "v1 -u: no swap" };
	struct fix f;
	_cleanup_free_ char *host = NULL, *root_off = NULL;
	const char *t;

	fix_open(&f, "v1");
	host = host_text(&f, "meminfo");
	t = R(&f, 100, VFILE_PROC_MEMINFO);
	ok(t && strncmp(t, "MemTotal:         262144 kB\n", 28) == 0,
	   "v1 MemTotal line first, in the kernel's columns");
	like(t, "\nMemFree:          159744 kB\n", "v1 MemFree = limit - usage");
	like(t, "\nMemAvailable:     210944 kB\n", "v1 MemAvailable = free + active/inactive file");
	like(t, "\nCommitLimit:    12342044 kB\n", "v1 a line not owned keeps the host's value");
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		check_meminfo(&f, &opt_none, false, &cases[i]);
	check_meminfo(&f, &opt_swap_off, false, &off);
	is_str(R(&f, 1, VFILE_PROC_MEMINFO), host, "v1 root cgroup: the host's meminfo verbatim");
	{
		const struct kv swap[] = { { "SwapTotal", 0 }, { "SwapFree", 0 } };

		root_off = meminfo_with(host, swap, 2, NULL, 0);
	}
	is_str(Ropt(&f, 1, &opt_swap_off, VFILE_PROC_MEMINFO), root_off,
	       "v1 root cgroup with -u: the host's meminfo without swap");
	fix_close(&f);
}

static void test_meminfo_v2_hybrid(void)
{
	const struct memcase v2[] = {
		{ 100, 262144, 159744, 212992, 65536, 61440,
		  "v2 memory.max 256 MiB, swap.max 64 MiB, 4 MiB swapped" },
		{ 200, 524288, 514048, 524288, 2097148, 2097148,
		  "v2 limit on a grandparent, swap.max max: the host's swap" },
		{ 300, 524288, 473088, 524288, 0, 0, "v2 memory.swap.max 0" },
	};
	const struct memcase hy[] = {
		{ 100, 262144, 159744, 210944, 0, 0, "hybrid, swap accounting off: no swap" },
		{ 200, 131072, 28672, 79872, 0, 0, "hybrid 128 MiB limit" },
	};
	struct fix f;
	_cleanup_free_ char *host = NULL;

	fix_open(&f, "v2");
	host = host_text(&f, "meminfo");
	for (size_t i = 0; i < ARRAY_SIZE(v2); i++)
		check_meminfo(&f, &opt_none, true, &v2[i]);
	is_str(R(&f, 1, VFILE_PROC_MEMINFO), host, "v2 root cgroup: the host's meminfo verbatim");
	fix_close(&f);

	fix_open(&f, "hybrid");
	for (size_t i = 0; i < ARRAY_SIZE(hy); i++)
		check_meminfo(&f, &opt_none, false, &hy[i]);
	fix_close(&f);
}

static void test_swaps(void)
{
	struct fix f;
	_cleanup_free_ char *host = NULL;

	fix_open(&f, "v1");
	host = host_text(&f, "swaps");
	is_str(R(&f, 1, VFILE_PROC_SWAPS), host, "swaps: root cgroup, the host's file");
	is_str(R(&f, 100, VFILE_PROC_SWAPS),
	       SWAPS_HEADER NONE_PAD "virtual\t\t131072\t\t10240\t\t0\n",
	       "swaps: v1 memsw limit, one virtual device");
	is_str(R(&f, 500, VFILE_PROC_SWAPS), SWAPS_HEADER NONE_PAD "virtual\t\t8192\t\t8192\t\t0\n",
	       "swaps: v1 swappiness 0 with swap used");
	is_str(R(&f, 400, VFILE_PROC_SWAPS), SWAPS_HEADER, "swaps: no swap, header only");
	is_str(R(&f, 800, VFILE_PROC_SWAPS), SWAPS_HEADER, "swaps: no swap accounting");
	is_str(Ropt(&f, 1, &opt_swap_off, VFILE_PROC_SWAPS), SWAPS_HEADER,
	       "swaps: -u in the root cgroup, header only");
	is_str(Ropt(&f, 100, &opt_swap_off, VFILE_PROC_SWAPS), SWAPS_HEADER,
	       "swaps: -u in a limited cgroup, header only");
	fix_close(&f);

	fix_open(&f, "v2");
	is_str(R(&f, 100, VFILE_PROC_SWAPS),
	       SWAPS_HEADER NONE_PAD "virtual\t\t65536\t\t4096\t\t0\n",
	       "swaps: v2 memory.swap.max");
	is_str(R(&f, 300, VFILE_PROC_SWAPS), SWAPS_HEADER, "swaps: v2 memory.swap.max 0");
	fix_close(&f);

	fix_open(&f, "hybrid");
	is_str(R(&f, 100, VFILE_PROC_SWAPS), SWAPS_HEADER, "swaps: hybrid without accounting");
	fix_close(&f);

	/* sizes of 10000000 kB and more lose the second tab, as in the kernel */
	copy_fixture("v2");
	fix_open_path(&f, tmp);
	set_host_swap(&f, 16777216, 16777216);
	is_str(R(&f, 200, VFILE_PROC_SWAPS), SWAPS_HEADER NONE_PAD "virtual\t\t16777216\t0\t\t0\n",
	       "swaps: a 16 GiB size has one tab after it");
	fix_close(&f);
	remove_copy();
}

static void test_no_host_swap(void)
{
	const struct memcase c = {
		100, 262144, 159744, 210944, 0, 0, "host without swap: memsw limit shows no swap"
	};
	struct fix f;

	copy_fixture("v1");
	fix_open_path(&f, tmp);
	set_host_swap(&f, 0, 0);
	puts_("proc/swaps", SWAPS_HEADER);
	check_meminfo(&f, &opt_none, false, &c);
	is_str(R(&f, 100, VFILE_PROC_SWAPS), SWAPS_HEADER, "host without swap: header only");
	is_str(R(&f, 1, VFILE_PROC_SWAPS), SWAPS_HEADER, "host without swap, root: header only");
	fix_close(&f);
	remove_copy();
}

static void test_cpuinfo(void)
{
	static const unsigned c13[] = { 1, 3 }, c02[] = { 0, 2 }, c01[] = { 0, 1 };
	struct fix f;
	_cleanup_free_ char *host = NULL;
	const char *t;

	fix_open(&f, "v1");
	host = host_text(&f, "cpuinfo");
	t = R(&f, 100, VFILE_PROC_CPUINFO);
	is_int(count(t, "processor\t: "), 2, "cpuset 1,3: two blocks");
	ok(t && strncmp(t, "processor\t: 1\nvendor_id", 23) == 0,
	   "first block is processor 1, the host's number");
	like(t, "\n\nprocessor\t: 3\n", "second block is processor 3");
	like(t, "apicid\t\t: 2\n", "block 1 comes from host CPU 1 (apicid 2)");
	like(t, "apicid\t\t: 6\n", "block 3 comes from host CPU 3 (apicid 6)");
	ok(t && !strstr(t, "apicid\t\t: 0\n") && !strstr(t, "apicid\t\t: 4\n"),
	   "no lines of host CPUs 0 and 2");
	check_cpuinfo(&f, 100, &opt_none, c13, 2, "v1 cpuset 1,3 -> host blocks 1 and 3");
	check_cpuinfo(&f, 100, &opt_cfs, c13, 2, "v1 cpuset 1,3 with a 1.5 CPU quota");
	check_cpuinfo(&f, 200, &opt_none, c02, 2, "v1 empty cpuset inherited from the parent");
	check_cpuinfo(&f, 600, &opt_cfs, c01, 2, "v1 --enable-cfs, quota 150000/100000: 2 CPUs");
	is_str(R(&f, 600, VFILE_PROC_CPUINFO), host, "v1 quota ignored without --enable-cfs");
	is_str(R(&f, 1, VFILE_PROC_CPUINFO), host, "v1 root cgroup: the host's cpuinfo");
	fix_close(&f);

	fix_open(&f, "v2");
	check_cpuinfo(&f, 100, &opt_none, c13, 2, "v2 cpuset.cpus.effective 1,3");
	check_cpuinfo(&f, 200, &opt_none, c02, 2, "v2 no cpuset files: the parent's");
	check_cpuinfo(&f, 300, &opt_cfs, c01, 2, "v2 --enable-cfs, cpu.max 150000 100000");
	fix_close(&f);
}

static void test_online(void)
{
	struct fix f;

	fix_open(&f, "v1");
	is_str(R(&f, 100, VFILE_SYS_CPU_ONLINE), "1,3\n", "online: cpuset 1,3");
	is_str(R(&f, 100, VFILE_SYS_CPU_POSSIBLE), "1,3\n", "possible: cpuset 1,3");
	is_str(R(&f, 100, VFILE_SYS_CPU_PRESENT), "1,3\n", "present: cpuset 1,3");
	is_str(R(&f, 100, VFILE_SYS_CPU_OFFLINE), "\n", "offline: nothing");
	is_str(R(&f, 1, VFILE_SYS_CPU_ONLINE), "0-3\n", "online: root cgroup");
	is_str(R(&f, 200, VFILE_SYS_CPU_ONLINE), "0,2\n", "online: inherited cpuset");
	is_str(Ropt(&f, 600, &opt_cfs, VFILE_SYS_CPU_ONLINE), "0-1\n", "online: cfs quota");
	is_str(R(&f, 600, VFILE_SYS_CPU_ONLINE), "0-3\n", "online: quota without -cfs");
	fix_close(&f);

	fix_open(&f, "v2");
	is_str(R(&f, 100, VFILE_SYS_CPU_ONLINE), "1,3\n", "online: v2 cpuset");
	is_str(R(&f, 200, VFILE_SYS_CPU_ONLINE), "0,2\n", "online: v2 inherited cpuset");
	is_str(Ropt(&f, 300, &opt_cfs, VFILE_SYS_CPU_ONLINE), "0-1\n", "online: v2 cpu.max");
	fix_close(&f);

	/* a host where cpuset is not mounted: all the host's online CPUs */
	fix_open(&f, "v1");
	close(f.host.cg.fd[CG_CPUSET]);
	f.host.cg.fd[CG_CPUSET] = -1;
	is_str(R(&f, 100, VFILE_SYS_CPU_ONLINE), "0-3\n", "no cpuset hierarchy: host CPUs");
	{
		_cleanup_free_ char *host = host_text(&f, "cpuinfo");

		is_str(R(&f, 100, VFILE_PROC_CPUINFO), host, "no cpuset hierarchy: host cpuinfo");
	}
	fix_close(&f);
}

static void test_uptime(void)
{
	struct fix f;

	fix_open(&f, "v1");
	/* 1000.50 - 50000 ticks/100 Hz = 500.50; 2 CPUs: 1001.00 - 123.45 */
	is_str(R(&f, 100, VFILE_PROC_UPTIME), "500.50 877.55\n",
	       "uptime: init's age; idle from cpuacct.usage");
	is_str(render_as(&f, 100, true, &opt_none, VFILE_PROC_UPTIME, 4096), "1000.50 3000.20\n",
	       "uptime: host pid namespace, the host's file");
	/* 4 CPUs: 3202.00 - 3.00; with --enable-cfs 2 CPUs: 1601.00 - 3.00 */
	is_str(R(&f, 600, VFILE_PROC_UPTIME), "800.50 3199.00\n", "uptime: 4 visible CPUs");
	is_str(Ropt(&f, 600, &opt_cfs, VFILE_PROC_UPTIME), "800.50 1598.00\n",
	       "uptime: CPUs cut by the cfs quota");
	is_str(R(&f, 900, VFILE_PROC_UPTIME), "0.00 0.00\n",
	       "uptime: an init started after the host's uptime is clamped to 0");
	fix_close(&f);

	fix_open(&f, "v2");
	is_str(R(&f, 100, VFILE_PROC_UPTIME), "300.50 598.50\n",
	       "uptime: v2 idle from cpu.stat usage_usec");
	fix_close(&f);

	fix_open(&f, "hybrid");
	is_str(R(&f, 100, VFILE_PROC_UPTIME), "500.50 801.00\n", "uptime: hybrid cpuacct");
	is_str(R(&f, 200, VFILE_PROC_UPTIME), "500.50 500.50\n",
	       "uptime: usage unreadable, idle = age * CPUs");
	fix_close(&f);
}

static void test_slabinfo(void)
{
	struct fix f;

	fix_open(&f, "v2");
	is_str(R(&f, 100, VFILE_PROC_SLABINFO),
	       "slabinfo - version: 2.1\n"
	       "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>"
	       " : tunables <limit> <batchcount> <sharedfactor>"
	       " : slabdata <active_slabs> <num_slabs> <sharedavail>\n",
	       "slabinfo: the kernel's two header lines only");
	fix_close(&f);
}

static void test_missing_cgroup(void)
{
	static const uint32_t ids[] = { VFILE_PROC_MEMINFO, VFILE_PROC_SWAPS, VFILE_PROC_CPUINFO,
					VFILE_SYS_CPU_ONLINE };
	struct fix f;

	fix_open(&f, "v1");
	for (size_t i = 0; i < ARRAY_SIZE(ids); i++) {
		const char *t = R(&f, 700, ids[i]);

		ok(t == NULL && last_rc < 0, "cgroup missing from the tree: %s fails (rc %d)",
		   vfile_get(ids[i])->path, last_rc);
	}
	fix_close(&f);
}

/* 256 CPUs: the host file is ~400 KiB; rendered complete, never cut. */
static void test_many_cpus(void)
{
	_cleanup_buf_ struct buf big = BUF_INIT(16 << 20);
	_cleanup_free_ char *block = NULL, *want = NULL;
	struct fix f;
	const char *t, *last;
	static const unsigned c13[] = { 1, 3 };

	copy_fixture("v1");
	fix_open_path(&f, tmp);
	{
		_cleanup_free_ char *host = host_text(&f, "cpuinfo");
		char *e = strstr(host, "\n\n");

		block = strndup(strchr(host, '\n') + 1, (size_t)(e + 2 - strchr(host, '\n') - 1));
	}
	for (unsigned i = 0; i < 256; i++)
		buf_printf(&big, "processor\t: %u\n%s", i, block);
	put("proc/cpuinfo", big.data, big.len);
	puts_("sys/devices/system/cpu/online", "0-255\n");
	puts_("cgroup/cpuset/cpuset.cpus", "0-255\n");
	puts_("cgroup/cpuset/cpuset.effective_cpus", "0-255\n");
	puts_("cgroup/cpuset/lxc/cpuset.cpus", "0-255\n");
	puts_("cgroup/cpuset/lxc/cpuset.effective_cpus", "0-255\n");

	ok(big.len > 256 * 1024, "generated cpuinfo is %zu bytes", big.len);
	t = R(&f, 1, VFILE_PROC_CPUINFO);
	ok(t && strlen(t) == big.len && memcmp(t, big.data, big.len) == 0,
	   "256 CPUs: the whole file, byte for byte");
	is_int(t ? count(t, "processor\t: ") : 0, 256, "256 blocks");
	last = t ? strstr(t, "processor\t: 255\n") : NULL;
	ok(last && strstr(last, "\n\n") == t + strlen(t) - 2, "last block is processor 255, whole");
	is_str(R(&f, 1, VFILE_SYS_CPU_ONLINE), "0-255\n", "online: 0-255");
	is_str(R(&f, 300, VFILE_SYS_CPU_ONLINE), "0-255\n", "online: a container on all CPUs");
	want = cpuinfo_of(big.data, c13, 2);
	is_str(R(&f, 100, VFILE_PROC_CPUINFO), want, "256 host CPUs, cpuset 1,3: two blocks");
	ok(render_as(&f, 1, false, &opt_none, VFILE_PROC_CPUINFO, 64 * 1024) == NULL &&
	       last_rc == -ENOBUFS,
	   "output larger than the buffer: -ENOBUFS, not a truncated file");
	fix_close(&f);
	remove_copy();
}

/* power: CPU blocks and a trailing block that is no CPU's (s390, arm64
 * and x86 fixtures: test_cpuview.c). */
static void test_other_arch(void)
{
	static const char power[] =
	    "processor\t: 0\ncpu\t\t: POWER9 (architected), altivec supported\n"
	    "clock\t\t: 2200.000000MHz\nrevision\t: 2.2 (pvr 004e 1202)\n\n"
	    "processor\t: 1\ncpu\t\t: POWER9 (architected), altivec supported\n"
	    "clock\t\t: 2200.000000MHz\nrevision\t: 2.2 (pvr 004e 1202)\n\n"
	    "processor\t: 2\ncpu\t\t: POWER9 (architected), altivec supported\n"
	    "clock\t\t: 2200.000000MHz\nrevision\t: 2.2 (pvr 004e 1202)\n\n"
	    "processor\t: 3\ncpu\t\t: POWER9 (architected), altivec supported\n"
	    "clock\t\t: 2200.000000MHz\nrevision\t: 2.2 (pvr 004e 1202)\n\n"
	    "timebase\t: 512000000\nplatform\t: pSeries\nmodel\t\t: IBM pSeries (emulated by "
	    "qemu)\n";
	struct fix f;

	copy_fixture("v1");
	fix_open_path(&f, tmp);
	puts_("proc/cpuinfo", power);
	is_str(R(&f, 100, VFILE_PROC_CPUINFO),
	       "processor\t: 1\ncpu\t\t: POWER9 (architected), altivec supported\n"
	       "clock\t\t: 2200.000000MHz\nrevision\t: 2.2 (pvr 004e 1202)\n\n"
	       "processor\t: 3\ncpu\t\t: POWER9 (architected), altivec supported\n"
	       "clock\t\t: 2200.000000MHz\nrevision\t: 2.2 (pvr 004e 1202)\n\n"
	       "timebase\t: 512000000\nplatform\t: pSeries\nmodel\t\t: IBM pSeries (emulated by "
	       "qemu)\n",
	       "power cpuinfo: CPU blocks filtered, the trailing block kept");
	fix_close(&f);
	remove_copy();
}

static void find_fixtures(int argc, char **argv)
{
	const char *env = getenv("LXCFS_FIXTURES");
	int n;

	if (env && *env)
		n = snprintf(fixtures, sizeof(fixtures), "%s", env);
	else if (argc > 1)
		n = snprintf(fixtures, sizeof(fixtures), "%s/tests/unit/fixtures", argv[1]);
	else
		n = snprintf(fixtures, sizeof(fixtures), "tests/unit/fixtures");
	if (n < 0 || (size_t)n >= sizeof(fixtures))
		die("fixtures path");
}

int main(int argc, char **argv)
{
	find_fixtures(argc, argv);
	diag("fixtures in %s", fixtures);
	test_table();
	test_meminfo_v1();
	test_meminfo_v2_hybrid();
	test_swaps();
	test_no_host_swap();
	test_cpuinfo();
	test_online();
	test_uptime();
	test_slabinfo();
	test_missing_cgroup();
	test_many_cpus();
	test_other_arch();
	free(last_text);
	return done_testing();
}
