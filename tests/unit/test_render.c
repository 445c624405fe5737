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
#include "cpustate.h"
#include "fsio.h"
#include "proto.h"
#include "render.h"
#include "tap.h"
#include "fixture_cg.h"
#include "stateseg.h"
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
static struct cpustate *test_cs; /* counter state for stat and uptime, or none */

/* Render file id for the container whose init is pid.  Returns the text
 * (valid until the next call), or NULL with last_rc < 0. */
static const char *render_as(const struct fix *f, pid_t pid, bool host_ns,
			     const struct render_opts *opt, uint32_t id, size_t max)
{
	_cleanup_buf_ struct buf cg = BUF_INIT(1 << 16);
	_cleanup_buf_ struct buf out = BUF_INIT(max);
	struct target t = { .init_pid = pid, .host_ns = host_ns };
	struct render_ctx ctx = { .host = &f->host, .tgt = &t, .opt = opt, .cs = test_cs };
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

/* ---- expected cpuinfo: host blocks renumbered ---- */

/* Blocks of the host's cpuinfo cpus[0], cpus[1], ... renumbered from 0. */
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
		b += strlen(head);
		buf_printf(&o, "processor\t: %zu\n", i);
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
	ok(t && strncmp(t, "processor\t: 0\nvendor_id", 23) == 0, "first block is processor 0");
	like(t, "\n\nprocessor\t: 1\n", "second block is processor 1");
	like(t, "apicid\t\t: 2\n", "block 0 comes from host CPU 1 (apicid 2)");
	like(t, "apicid\t\t: 6\n", "block 1 comes from host CPU 3 (apicid 6)");
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
	/* 1000.50 - 50000 ticks/100 Hz = 500.50; 2 CPUs: 1001.00 - 111.00
	 * (cpuacct.usage_all: 81 s user + 30 s system) */
	is_str(R(&f, 100, VFILE_PROC_UPTIME), "500.50 890.00\n",
	       "uptime: init's age; idle from cpuacct.usage_all");
	/* 2 CPUs: 1401.00 - 8.00 (cpuacct.usage_percpu) */
	is_str(R(&f, 200, VFILE_PROC_UPTIME), "700.50 1393.00\n",
	       "uptime: idle from cpuacct.usage_percpu");
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
	is_str(R(&f, 100, VFILE_PROC_UPTIME), "500.50 801.00\n", "uptime: hybrid cpuacct.usage");
	is_str(R(&f, 200, VFILE_PROC_UPTIME), "500.50 500.50\n",
	       "uptime: usage unreadable, idle = age * CPUs");
	fix_close(&f);
}

/* ---- proc/stat ---- */

/* the fixture host's intr (22 numbers) and softirq (11) lines, zeroed */
#define INTR_ZERO    "intr 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
#define SOFTIRQ_ZERO "softirq 0 0 0 0 0 0 0 0 0 0 0\n"
#define BTIME	     "btime 1795437862\n"

static void test_stat(void)
{
	struct fix f;
	_cleanup_free_ char *host = NULL;

	fix_open(&f, "v1");
	host = host_text(&f, "stat");
	/* usage_all: CPU0 1 s user (an old cpuset), CPU1 3 + 1 s, CPU3 5 + 2 s;
	 * age 500.50 s; tasks 100 (S), 101 (R), 102 (D), sub/103 (R) */
	is_str(R(&f, 100, VFILE_PROC_STAT),
	       "cpu  8100 0 3000 89000 0 0 0 0 0 0\n"
	       "cpu0 3000 0 1000 46050 0 0 0 0 0 0\n"
	       "cpu1 5000 0 2000 43050 0 0 0 0 0 0\n" INTR_ZERO "ctxt 100\n" BTIME
	       "processes 4\nprocs_running 2\nprocs_blocked 1\n" SOFTIRQ_ZERO,
	       "stat: v1 cpuacct.usage_all, cpuset 1,3, tasks of the cgroup and below");
	/* usage_percpu 2 s on CPU0, 6 s on CPU2; cpuacct.stat 3:1; age 700.50 */
	is_str(R(&f, 200, VFILE_PROC_STAT),
	       "cpu  600 0 200 139300 0 0 0 0 0 0\n"
	       "cpu0 150 0 50 69850 0 0 0 0 0 0\n"
	       "cpu1 450 0 150 69450 0 0 0 0 0 0\n" INTR_ZERO "ctxt 0\n" BTIME
	       "processes 0\nprocs_running 1\nprocs_blocked 0\n" SOFTIRQ_ZERO,
	       "stat: v1 usage_percpu split as cpuacct.stat, an inherited cpuset 0,2");
	/* cpuacct.usage 3 s, no cpuacct.stat: all user, 75 ticks per CPU */
	like(R(&f, 600, VFILE_PROC_STAT), "cpu  300 0 0 319900 0 0 0 0 0 0\ncpu0 75 0 0 79975 ",
	     "stat: v1 cpuacct.usage alone, spread over 4 CPUs");
	is_int(count(last_text, "\ncpu"), 4, "stat: 4 cpuN lines");
	like(Ropt(&f, 600, &opt_cfs, VFILE_PROC_STAT), "cpu  300 0 0 159800 0 0 0 0 0 0\ncpu0 150 ",
	     "stat: --enable-cfs, 2 CPUs");
	is_str(render_as(&f, 1, true, &opt_none, VFILE_PROC_STAT, PROTO_MAX_PAYLOAD), host,
	       "stat: a host reader in the root cgroup gets the host's file");
	fix_close(&f);

	fix_open(&f, "v2");
	/* cpu.stat 2.5 s, user:system 3:1 -> 187 + 63, spread over 2 CPUs */
	is_str(R(&f, 100, VFILE_PROC_STAT),
	       "cpu  187 0 63 59850 0 0 0 0 0 0\n"
	       "cpu0 94 0 32 29924 0 0 0 0 0 0\n"
	       "cpu1 93 0 31 29926 0 0 0 0 0 0\n" INTR_ZERO "ctxt 0\n" BTIME
	       "processes 1\nprocs_running 1\nprocs_blocked 0\n" SOFTIRQ_ZERO,
	       "stat: v2 cpu.stat spread over the visible CPUs, cgroup.threads");
	fix_close(&f);

	fix_open(&f, "hybrid");
	is_str(R(&f, 100, VFILE_PROC_STAT),
	       "cpu  15000 0 5000 80100 0 0 0 0 0 0\n"
	       "cpu0 7500 0 2500 40050 0 0 0 0 0 0\n"
	       "cpu1 7500 0 2500 40050 0 0 0 0 0 0\n" INTR_ZERO "ctxt 0\n" BTIME
	       "processes 1\nprocs_running 1\nprocs_blocked 0\n" SOFTIRQ_ZERO,
	       "stat: hybrid cpuacct.usage split as cpuacct.stat");
	is_str(R(&f, 200, VFILE_PROC_STAT),
	       "cpu  0 0 0 50050 0 0 0 0 0 0\n"
	       "cpu0 0 0 0 50050 0 0 0 0 0 0\n" INTR_ZERO "ctxt 0\n" BTIME
	       "processes 0\nprocs_running 1\nprocs_blocked 0\n" SOFTIRQ_ZERO,
	       "stat: no accounting readable: busy 0, idle the init's age");
	fix_close(&f);
}

/* Column col (0 = user) of the line that starts with "name ". */
static unsigned long long stat_col(const char *text, const char *name, int col)
{
	char key[32];
	const char *p;
	unsigned long long v[10] = { 0 };

	snprintf(key, sizeof(key), "\n%s ", name);
	if (!text || !(p = strcmp(name, "cpu") ? strstr(text, key) : text))
		return ~0ull;
	p += strcmp(name, "cpu") ? strlen(key) : 4;
	if (sscanf(p, "%llu %llu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2],
		   &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9]) < col + 1)
		return ~0ull;
	return v[col];
}

static void put_usage_all(const char *cpu1_user_ns)
{
	char text[256];

	snprintf(text, sizeof(text),
		 "cpu user system\n0 1000000000 0\n1 %s 10000000000\n2 0 0\n"
		 "3 50000000000 20000000000\n",
		 cpu1_user_ns);
	puts_("cgroup/cpu,cpuacct/lxc/c1/cpuacct.usage_all", text);
}

/* With counter state: reads that follow the clock, a cpuset change, a
 * cgroup whose time drops; uptime's idle is stat's. */
static void test_stat_state(void)
{
	int fd = stateseg_create(), err;
	struct fix f;
	const char *t;

	test_cs = fd >= 0 ? cpustate_attach(fd, &err) : NULL;
	ok(test_cs != NULL, "a counter state segment");
	copy_fixture("v1");
	fix_open_path(&f, tmp);
	t = R(&f, 100, VFILE_PROC_STAT);
	like(t, "cpu  8100 0 3000 89000 ", "state: the first read shows the cgroup's values");
	is_str(R(&f, 100, VFILE_PROC_UPTIME), "500.50 890.00\n", "state: uptime agrees");

	puts_("proc/uptime", "1001.50 3000.20\n");
	put_usage_all("30500000000"); /* cpu1 (host CPU 1) +0.5 s user */
	t = R(&f, 100, VFILE_PROC_STAT);
	is_int(stat_col(t, "cpu0", 0), 3050, "state: cpu0 user +50");
	is_int(stat_col(t, "cpu0", 3), 46100, "state: cpu0 busy + idle grew by 1 s");
	is_int(stat_col(t, "cpu1", 3), 43150, "state: cpu1 idle +1 s");
	is_int(stat_col(t, "cpu", 3), 89150, "state: total idle +2 s - 0.5 s");
	is_str(R(&f, 100, VFILE_PROC_UPTIME), "501.50 891.50\n", "state: uptime's idle is stat's");

	/* cpuset 1,3 -> 1: one line, which goes on */
	puts_("cgroup/cpuset/lxc/c1/cpuset.cpus", "1\n");
	puts_("cgroup/cpuset/lxc/c1/cpuset.effective_cpus", "1\n");
	puts_("proc/uptime", "1002.50 3000.20\n");
	t = R(&f, 100, VFILE_PROC_STAT);
	is_int(count(t, "\ncpu"), 1, "state: cpuset 1: one cpuN line");
	is_int(stat_col(t, "cpu0", 3), 46200, "state: cpu0 goes on");
	is_int(stat_col(t, "cpu", 3), 89150, "state: total idle holds (above 1 CPU x uptime)");

	/* the cgroup is re-created: its usage drops to 0 */
	puts_("cgroup/cpu,cpuacct/lxc/c1/cpuacct.usage_all",
	      "cpu user system\n0 0 0\n1 0 0\n2 0 0\n3 0 0\n");
	puts_("proc/uptime", "1003.50 3000.20\n");
	t = R(&f, 100, VFILE_PROC_STAT);
	is_int(stat_col(t, "cpu", 0), 8150, "state: user does not go back");
	is_int(stat_col(t, "cpu0", 0), 3050, "state: cpu0 user does not go back");
	is_int(stat_col(t, "cpu0", 3), 46300, "state: cpu0 idle follows the clock");
	/* cpuset back to 1,3: cpu1 comes back where it was */
	puts_("cgroup/cpuset/lxc/c1/cpuset.cpus", "1,3\n");
	puts_("cgroup/cpuset/lxc/c1/cpuset.effective_cpus", "1,3\n");
	puts_("proc/uptime", "1004.50 3000.20\n");
	t = R(&f, 100, VFILE_PROC_STAT);
	is_int(stat_col(t, "cpu1", 0), 5000, "state: cpu1 back with its user time");
	is_int(stat_col(t, "cpu1", 3), 43150, "state: and its idle, without a jump");
	like(R(&f, 100, VFILE_PROC_UPTIME), "504.50 ", "state: uptime went on");
	fix_close(&f);
	remove_copy();

	/* a cgroup that outlived earlier inits: 2000 s of CPU time, an init
	 * 500.50 s old on 2 CPUs */
	copy_fixture("hybrid");
	fix_open_path(&f, tmp);
	puts_("cgroup/cpuacct/lxc/h1/cpuacct.usage", "2000000000000\n");
	is_str(R(&f, 100, VFILE_PROC_UPTIME), "500.50 0.00\n", "outlived inits: idle 0 at first");
	puts_("cgroup/cpuacct/lxc/h1/cpuacct.usage", "2000500000000\n");
	puts_("proc/uptime", "1001.50 3000.20\n");
	is_str(R(&f, 100, VFILE_PROC_UPTIME), "501.50 1.50\n",
	       "outlived inits: then 2 CPUs x 1 s - 0.5 s, not stuck at 0");
	like(R(&f, 100, VFILE_PROC_STAT), "cpu  150037 0 50013 150 ",
	     "outlived inits: stat's idle is uptime's");
	fix_close(&f);
	remove_copy();
	cpustate_detach(test_cs);
	test_cs = NULL;
	close(fd);
}

/* The fixture v1 with n online CPUs, all of them the container's, and a
 * usage_all where CPU i has (i + 1) s of user time. */
static void many_cpus_fixture(unsigned n)
{
	_cleanup_buf_ struct buf ua = BUF_INIT(1 << 20);
	char list[32];
	static const char *const sets[] = { "cgroup/cpuset/cpuset", "cgroup/cpuset/lxc/cpuset",
					    "cgroup/cpuset/lxc/c1/cpuset" };

	copy_fixture("v1");
	snprintf(list, sizeof(list), "0-%u\n", n - 1);
	puts_("sys/devices/system/cpu/online", list);
	for (size_t i = 0; i < ARRAY_SIZE(sets); i++) {
		char p[64];

		snprintf(p, sizeof(p), "%s.cpus", sets[i]);
		puts_(p, list);
		snprintf(p, sizeof(p), "%s.effective_cpus", sets[i]);
		puts_(p, list);
	}
	buf_puts(&ua, "cpu user system\n");
	for (unsigned i = 0; i < n; i++)
		buf_printf(&ua, "%u %u000000000 0\n", i, i + 1);
	put("cgroup/cpu,cpuacct/lxc/c1/cpuacct.usage_all", ua.data, ua.len);
}

static char *many_cpus_want(unsigned n)
{
	_cleanup_buf_ struct buf w = BUF_INIT(1 << 20);
	unsigned long long user = 100ull * n * (n + 1) / 2;

	buf_printf(&w, "cpu  %llu 0 0 %llu 0 0 0 0 0 0\n", user, 50050ull * n - user);
	for (unsigned i = 0; i < n; i++)
		buf_printf(&w, "cpu%u %u 0 0 %u 0 0 0 0 0 0\n", i, (i + 1) * 100,
			   50050 - (i + 1) * 100);
	buf_puts(&w, INTR_ZERO "ctxt 100\n" BTIME
			       "processes 4\nprocs_running 2\nprocs_blocked 1\n" SOFTIRQ_ZERO);
	buf_cstr(&w);
	return steal_ptr(w.data);
}

/* 256 and 300 CPUs (beyond the state's per-entry cap of 256 lines). */
static void test_stat_many_cpus(void)
{
	static const unsigned ns[] = { 256, 300 };
	struct fix f;

	for (size_t k = 0; k < ARRAY_SIZE(ns); k++) {
		_cleanup_free_ char *want = many_cpus_want(ns[k]);
		int fd = stateseg_create(), err;
		const char *t;

		many_cpus_fixture(ns[k]);
		fix_open_path(&f, tmp);
		t = R(&f, 100, VFILE_PROC_STAT);
		is_str(t, want, "stat: %u CPUs, the whole file", ns[k]);
		is_int(count(t, "\ncpu"), ns[k], "stat: %u cpuN lines", ns[k]);
		test_cs = fd >= 0 ? cpustate_attach(fd, &err) : NULL;
		is_str(R(&f, 100, VFILE_PROC_STAT), want, "stat: %u CPUs with state", ns[k]);
		is_str(R(&f, 100, VFILE_PROC_STAT), want, "stat: %u CPUs, a second read", ns[k]);
		ok(render_as(&f, 100, false, &opt_none, VFILE_PROC_STAT, 4096) == NULL &&
		       last_rc == -ENOBUFS,
		   "stat: %u CPUs in a small buffer: -ENOBUFS, never a cut file", ns[k]);
		cpustate_detach(test_cs);
		test_cs = NULL;
		fix_close(&f);
		remove_copy();
		close(fd);
	}
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

/* Other arches: no "processor : N" blocks -> the host's file. */
static void test_other_arch(void)
{
	static const char s390[] =
	    "vendor_id       : IBM/S390\n"
	    "# processors    : 4\n"
	    "bogomips per cpu: 3033.00\n"
	    "max thread id   : 0\n"
	    "features\t: esan3 zarch stfle msa ldisp eimm dfp edat etf3eh highgprs te vx sie\n"
	    "processor 0: version = FF,  identification = 0133E8,  machine = 2964\n"
	    "processor 1: version = FF,  identification = 0133E8,  machine = 2964\n"
	    "processor 2: version = FF,  identification = 0133E8,  machine = 2964\n"
	    "processor 3: version = FF,  identification = 0133E8,  machine = 2964\n";
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
	puts_("proc/cpuinfo", s390);
	is_str(R(&f, 100, VFILE_PROC_CPUINFO), s390, "s390 cpuinfo shown unchanged");
	puts_("proc/cpuinfo", power);
	is_str(R(&f, 100, VFILE_PROC_CPUINFO),
	       "processor\t: 0\ncpu\t\t: POWER9 (architected), altivec supported\n"
	       "clock\t\t: 2200.000000MHz\nrevision\t: 2.2 (pvr 004e 1202)\n\n"
	       "processor\t: 1\ncpu\t\t: POWER9 (architected), altivec supported\n"
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
	test_stat();
	test_stat_state();
	test_stat_many_cpus();
	test_slabinfo();
	test_missing_cgroup();
	test_many_cpus();
	test_other_arch();
	free(last_text);
	return done_testing();
}
