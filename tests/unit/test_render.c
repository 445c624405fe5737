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

/* memory.stat (and memory.kmem.usage_in_bytes) of every v1 and hybrid
 * fixture cgroup, in kB */
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
	{ "Mlocked", 0 },
	{ "Zswap", 0 },
	{ "Zswapped", 0 },
	{ "Dirty", 8 },
	{ "Writeback", 0 },
	{ "AnonPages", 40960 },
	{ "Mapped", 8192 },
	{ "Shmem", 1024 },
	{ "KReclaimable", 0 },
	{ "Slab", 3072 }, /* memory.kmem.usage_in_bytes */
	{ "SReclaimable", 0 },
	{ "SUnreclaim", 3072 }, /* all of the kernel memory */
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
	{ "Mlocked", 0 },
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
	unsigned long long commit_limit, committed;
	const char *what;
};

/* The keys of a meminfo text, in order, one per line. */
static char *meminfo_keys(const char *t)
{
	_cleanup_buf_ struct buf o = BUF_INIT(1 << 16);

	for (const char *p = t; p && *p;) {
		const char *nl = strchr(p, '\n'), *colon = strchr(p, ':');

		if (colon && (!nl || colon < nl))
			buf_printf(&o, "%.*s\n", (int)(colon - p), p);
		p = nl ? nl + 1 : NULL;
	}
	buf_cstr(&o);
	return steal_ptr(o.data);
}

static unsigned long long mi(const char *t, const char *key)
{
	uint64_t v = UINT64_MAX;

	if (!t || meminfo_get(t, key, &v) < 0)
		return UINT64_MAX;
	return (unsigned long long)v;
}

/* What holds for every rendered meminfo: the host's keys in the host's
 * order, no negative value, 0 < MemTotal, MemAvailable <= MemTotal,
 * Slab = SReclaimable + SUnreclaim, Mlocked <= Unevictable; in a view we
 * compute also MemFree <= MemAvailable (the host's own lines may have
 * MemAvailable below MemFree: the kernel subtracts its reserves). */
static void check_invariants(const char *t, const char *host, bool host_view, const char *what)
{
	_cleanup_free_ char *got_keys = t ? meminfo_keys(t) : NULL;
	_cleanup_free_ char *want_keys = meminfo_keys(host);
	unsigned long long total = mi(t, "MemTotal"), avail = mi(t, "MemAvailable");

	is_str(got_keys, want_keys, "%s: the host's keys in the host's order", what);
	ok(t && !strchr(t, '-') && total > 0 && total != UINT64_MAX && avail <= total &&
	       (host_view || mi(t, "MemFree") <= avail),
	   "%s: no negative value, 0 < MemTotal, %sMemAvailable <= MemTotal", what,
	   host_view ? "" : "MemFree <= ");
	ok(mi(t, "Slab") == mi(t, "SReclaimable") + mi(t, "SUnreclaim") &&
	       mi(t, "Mlocked") <= mi(t, "Unevictable"),
	   "%s: Slab = SReclaimable + SUnreclaim, Mlocked <= Unevictable", what);
}

static void check_meminfo(const struct fix *f, const struct render_opts *opt, bool v2,
			  const struct memcase *c)
{
	_cleanup_free_ char *host = host_text(f, "meminfo");
	const struct kv mem[] = {
		{ "MemTotal", c->total },	  { "MemFree", c->free },
		{ "MemAvailable", c->avail },	  { "SwapTotal", c->swap_total },
		{ "SwapFree", c->swap_free },	  { "CommitLimit", c->commit_limit },
		{ "Committed_AS", c->committed },
	};
	_cleanup_free_ char *want = meminfo_with(host, mem, ARRAY_SIZE(mem), v2 ? v2_stat : v1_stat,
						 v2 ? ARRAY_SIZE(v2_stat) : ARRAY_SIZE(v1_stat));
	const char *t = Ropt(f, c->pid, opt, VFILE_PROC_MEMINFO);

	is_str(t, want, "meminfo: %s", c->what);
	check_invariants(t, host, false, c->what);
}

/* The host's meminfo with only the lines of kv changed. */
static void check_host_view(const struct fix *f, pid_t pid, const struct render_opts *opt,
			    const struct kv *kv, size_t n, const char *what)
{
	_cleanup_free_ char *host = host_text(f, "meminfo");
	_cleanup_free_ char *want = meminfo_with(host, kv, n, NULL, 0);
	const char *t = Ropt(f, pid, opt, VFILE_PROC_MEMINFO);

	is_str(t, want, "meminfo: %s", what);
	check_invariants(t, host, true, what);
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
	testfs_copy_tree(s, t);
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

/* Set "key value" in a memory.stat-style file of the copy (appended if absent). */
static void set_stat(const char *rel, const char *key, unsigned long long value)
{
	_cleanup_buf_ struct buf in = BUF_INIT(FS_READ_MAX);
	_cleanup_buf_ struct buf out = BUF_INIT(FS_READ_MAX);
	int dir = open_dir(AT_FDCWD, tmp, O_PATH);
	size_t klen = strlen(key);
	bool done = false;

	if (fs_read_beneath(dir, rel, &in) < 0 || !buf_cstr(&in))
		die(rel);
	close(dir);
	for (const char *p = in.data; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p + 1) : strlen(p);

		if (!done && len > klen && !strncmp(p, key, klen) && p[klen] == ' ') {
			buf_printf(&out, "%s %llu\n", key, value);
			done = true;
		} else {
			buf_append(&out, p, len);
		}
		p += len;
	}
	if (!done)
		buf_printf(&out, "%s %llu\n", key, value);
	put(rel, out.data, out.len);
}

/* Remove a file of the temporary copy. */
static void rm_at(const char *rel)
{
	char p[PATH_MAX];

	if (snprintf(p, sizeof(p), "%s/%s", tmp, rel) >= (int)sizeof(p) || unlink(p) < 0)
		die(rel);
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
	ok(render_lookup((UINT64_C(1) << 32) | VFILE_PROC_MEMINFO) == NULL,
	   "meminfo's id + 2^32 is no file");
}

static void test_meminfo_v1(void)
{
	/* CommitLimit = MemTotal * 50 / 100 + SwapTotal (vm.overcommit_ratio 50);
	 * Committed_AS = total_rss + total_shmem + swap used (40960 + 1024 + ...) */
	const struct memcase cases[] = {
		{ 100, 262144, 159744, 210944, 131072, 120832, 262144, 52224,
		  "v1 256 MiB limit, memsw 384 MiB, 10 MiB swapped" },
		{ 200, 524288, 473088, 524288, 262144, 262144, 524288, 41984,
		  "v1 limit only on the parent (512 MiB), memsw 768 MiB there" },
		{ 400, 262144, 159744, 210944, 0, 0, 131072, 41984,
		  "v1 swappiness 0, no swap used: no swap" },
		{ 500, 262144, 159744, 210944, 8192, 0, 139264, 50176,
		  "v1 swappiness 0, 8 MiB swapped: SwapTotal = used" },
		{ 800, 262144, 159744, 210944, 0, 0, 131072, 41984,
		  "v1 no swap accounting (no memsw files)" },
	};
	const struct memcase off = {
		100,	262144, 159744,
		210944, 0,	0,
		131072, 41984,	"v1 -u: no swap (nor swapped pages in Committed_AS)"
	};
	const struct kv root_off[] = { { "SwapTotal", 0 },
				       { "SwapFree", 0 },
				       { "CommitLimit", 12342044 - 2097148 } };
	struct fix f;
	_cleanup_free_ char *host = NULL;
	const char *t;

	fix_open(&f, "v1");
	host = host_text(&f, "meminfo");
	t = R(&f, 100, VFILE_PROC_MEMINFO);
	ok(t && strncmp(t, "MemTotal:         262144 kB\n", 28) == 0,
	   "v1 MemTotal line first, in the kernel's columns");
	like(t, "\nMemFree:          159744 kB\n", "v1 MemFree = limit - usage");
	like(t, "\nMemAvailable:     210944 kB\n", "v1 MemAvailable = free + active/inactive file");
	like(t, "\nCached:            51200 kB\n", "v1 Cached = total_cache");
	like(t, "\nSlab:               3072 kB\n", "v1 Slab = memory.kmem.usage_in_bytes");
	like(t, "\nSUnreclaim:         3072 kB\n", "v1 kernel memory counts as unreclaimable");
	like(t, "\nCommitLimit:      262144 kB\n",
	     "v1 CommitLimit = 256 MiB * 50%% + 128 MiB swap");
	like(t, "\nCommitted_AS:      52224 kB\n", "v1 Committed_AS = rss + shmem + swap used");
	like(t, "\nVmallocTotal:   34359738367 kB\n", "v1 a line not owned keeps the host's value");
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		check_meminfo(&f, &opt_none, false, &cases[i]);
	check_meminfo(&f, &opt_swap_off, false, &off);
	is_str(R(&f, 1, VFILE_PROC_MEMINFO), host, "v1 root cgroup: the host's meminfo verbatim");
	check_host_view(&f, 1, &opt_swap_off, root_off, ARRAY_SIZE(root_off),
			"v1 root cgroup with -u: the host's meminfo without swap");
	fix_close(&f);
}

static void test_meminfo_v2_hybrid(void)
{
	/* v2 fixture: vm.overcommit_ratio 80, in pages as the kernel counts:
	 * 65536 pages * 80 / 100 = 52428 pages = 209712 kB */
	const struct memcase v2[] = {
		{ 100, 262144, 159744, 212992, 65536, 61440, 209712 + 65536, 46080,
		  "v2 memory.max 256 MiB, swap.max 64 MiB, 4 MiB swapped" },
		{ 200, 524288, 514048, 524288, 2097148, 2097148, 419428 + 2097148, 41984,
		  "v2 limit on a grandparent, swap.max max: the host's swap" },
		{ 300, 524288, 473088, 524288, 0, 0, 419428, 41984, "v2 memory.swap.max 0" },
	};
	/* hybrid fixture: no vm sysctl files, the kernel's default ratio 50 */
	const struct memcase hy[] = {
		{ 100, 262144, 159744, 210944, 0, 0, 131072, 41984,
		  "hybrid, swap accounting off: no swap" },
		{ 200, 131072, 28672, 79872, 0, 0, 65536, 41984, "hybrid 128 MiB limit" },
	};
	struct fix f;
	_cleanup_free_ char *host = NULL;
	const char *t;

	fix_open(&f, "v2");
	host = host_text(&f, "meminfo");
	for (size_t i = 0; i < ARRAY_SIZE(v2); i++)
		check_meminfo(&f, &opt_none, true, &v2[i]);
	t = R(&f, 100, VFILE_PROC_MEMINFO);
	like(t, "\nCached:            51200 kB\n", "v2 Cached = file");
	like(t, "\nSlab:               3072 kB\n",
	     "v2 Slab = slab_reclaimable + slab_unreclaimable");
	like(t, "\nKernelStack:         320 kB\n", "v2 KernelStack = kernel_stack");
	like(t, "\nPageTables:         1024 kB\n", "v2 PageTables = pagetables");
	like(t, "\nPercpu:               64 kB\n", "v2 Percpu = percpu");
	is_str(R(&f, 1, VFILE_PROC_MEMINFO), host, "v2 root cgroup: the host's meminfo verbatim");
	fix_close(&f);

	fix_open(&f, "hybrid");
	for (size_t i = 0; i < ARRAY_SIZE(hy); i++)
		check_meminfo(&f, &opt_none, false, &hy[i]);
	fix_close(&f);
}

/* A cgroup where no level has a limit below the host's MemTotal shows the
 * host's own lines; only the swap rules and -z change any. */
static void test_meminfo_unlimited(void)
{
	const struct render_opts opt_z = { .zswap_off = true };
	/* v2 /freeswap: memory.max max, swap.max 64 MiB, 2 MiB swapped */
	const struct kv swap64[] = { { "SwapTotal", 65536 },
				     { "SwapFree", 63488 },
				     { "CommitLimit", 12342044 - 2097148 + 65536 } };
	const struct kv noswap[] = { { "SwapTotal", 0 },
				     { "SwapFree", 0 },
				     { "CommitLimit", 12342044 - 2097148 } };
	const struct kv zoff[] = { { "Zswap", 0 }, { "Zswapped", 0 } };
	struct fix f;
	_cleanup_free_ char *host = NULL, *swaps = NULL;

	fix_open(&f, "v1");
	host = host_text(&f, "meminfo");
	swaps = host_text(&f, "swaps");
	is_str(R(&f, 300, VFILE_PROC_MEMINFO), host,
	       "v1 child cgroup without a limit anywhere: the host's meminfo verbatim");
	is_str(R(&f, 300, VFILE_PROC_SWAPS), swaps, "v1 child cgroup without a limit: host swaps");
	check_host_view(&f, 300, &opt_swap_off, noswap, ARRAY_SIZE(noswap),
			"v1 unlimited child with -u: host lines, no swap");
	is_str(Ropt(&f, 300, &opt_swap_off, VFILE_PROC_SWAPS), SWAPS_HEADER,
	       "v1 unlimited child with -u: swaps header only");
	fix_close(&f);
	free(host);
	free(swaps);

	fix_open(&f, "v2");
	host = host_text(&f, "meminfo");
	swaps = host_text(&f, "swaps");
	is_str(R(&f, 1400, VFILE_PROC_MEMINFO), host,
	       "v2 child cgroup with memory.max and swap.max max: the host's meminfo verbatim");
	is_str(R(&f, 1400, VFILE_PROC_SWAPS), swaps, "v2 unlimited child: the host's swaps");
	check_host_view(&f, 1500, &opt_none, swap64, ARRAY_SIZE(swap64),
			"v2 no memory limit, swap.max 64 MiB: host lines, the view's swap");
	is_str(R(&f, 1500, VFILE_PROC_SWAPS),
	       SWAPS_HEADER NONE_PAD "virtual\t\t65536\t\t2048\t\t0\n",
	       "v2 no memory limit, swap.max 64 MiB: one virtual device");
	check_host_view(&f, 1400, &opt_z, zoff, ARRAY_SIZE(zoff),
			"v2 unlimited child with -z: host lines, no zswap");
	fix_close(&f);
	free(host);
	free(swaps);
	host = swaps = NULL;

	fix_open(&f, "hybrid");
	host = host_text(&f, "meminfo");
	is_str(R(&f, 1300, VFILE_PROC_MEMINFO), host,
	       "hybrid unlimited child without swap accounting: the host's meminfo verbatim");
	fix_close(&f);

	/* a finite limit at or above the host's MemTotal is no limit either;
	 * the memsw limit 64 MiB above it still sizes the swap */
	copy_fixture("v1");
	fix_open_path(&f, tmp);
	puts_("cgroup/memory/lxc/memory.limit_in_bytes", "34359738368\n");
	puts_("cgroup/memory/lxc/memory.memsw.limit_in_bytes", "34426847232\n");
	puts_("cgroup/memory/lxc/c1/memory.limit_in_bytes", "34359738368\n");
	puts_("cgroup/memory/lxc/c1/memory.memsw.limit_in_bytes", "34426847232\n");
	{
		const struct kv v1swap[] = { { "SwapTotal", 65536 },
					     { "SwapFree", 65536 - 10240 },
					     { "CommitLimit", 12342044 - 2097148 + 65536 } };

		check_host_view(
		    &f, 100, &opt_none, v1swap, ARRAY_SIZE(v1swap),
		    "v1 32 GiB limit (above the host's RAM), memsw +64 MiB: host lines, "
		    "64 MiB swap");
	}
	fix_close(&f);
	remove_copy();
}

/* The check: 256 MiB, 64 MiB of swap allowed, over a 64 MiB
 * swapfile (the host's SwapTotal 65532 kB: the header page). */
static void test_swap_64m_file(void)
{
	static const struct {
		const char *fixture, *file, *value;
	} cases[] = {
		{ "v1", "cgroup/memory/lxc/c1/memory.memsw.limit_in_bytes", "335544320\n" },
		{ "v2", "cgroup/unified/lxc/c1/memory.swap.max", "67108864\n" },
	};
	struct fix f;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		copy_fixture(cases[i].fixture);
		fix_open_path(&f, tmp);
		set_host_swap(&f, 65532, 65532);
		puts_(cases[i].file, cases[i].value);
		like(R(&f, 100, VFILE_PROC_MEMINFO), "\nSwapTotal:         65532 kB\n",
		     "%s 256 MiB + 64 MiB swap over a 64 MiB swapfile: SwapTotal 65532 kB",
		     cases[i].fixture);
		like(R(&f, 100, VFILE_PROC_SWAPS), "\n" NONE_PAD "virtual\t\t65532\t\t",
		     "%s the swaps line has that size", cases[i].fixture);
		fix_close(&f);
		remove_copy();
	}
}

static void test_no_host_swap(void)
{
	const struct memcase c = { 100,	   262144, 159744,
				   210944, 0,	   0,
				   131072, 41984,  "host without swap: memsw limit shows no swap" };
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

/* Mlocked = min(host Mlocked 10208 kB, the cgroup's Unevictable). */
static void test_meminfo_mlocked(void)
{
	static const struct {
		const char *fixture, *file, *key;
		unsigned long long unevictable, mlocked;
	} cases[] = {
		{ "v1", "cgroup/memory/lxc/c1/memory.stat", "total_unevictable", 4096, 4096 },
		{ "v1", "cgroup/memory/lxc/c1/memory.stat", "total_unevictable", 16384, 10208 },
		{ "v2", "cgroup/unified/lxc/c1/memory.stat", "unevictable", 2048, 2048 },
	};
	struct fix f;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char want_u[64], want_m[64];
		const char *t;

		copy_fixture(cases[i].fixture);
		fix_open_path(&f, tmp);
		set_stat(cases[i].file, cases[i].key, cases[i].unevictable * 1024);
		t = R(&f, 100, VFILE_PROC_MEMINFO);
		snprintf(want_u, sizeof(want_u), "\nUnevictable:    %8llu kB\n",
			 cases[i].unevictable);
		snprintf(want_m, sizeof(want_m), "\nMlocked:        %8llu kB\n", cases[i].mlocked);
		like(t, want_u, "%s Unevictable %llu kB from memory.stat", cases[i].fixture,
		     cases[i].unevictable);
		like(t, want_m, "%s Unevictable %llu kB: Mlocked %llu kB", cases[i].fixture,
		     cases[i].unevictable, cases[i].mlocked);
		fix_close(&f);
		remove_copy();
	}
}

/* vm.overcommit_kbytes instead of the ratio; Committed_AS never above the
 * host's; v1 without kernel memory accounting. */
static void test_meminfo_commit_kmem(void)
{
	struct fix f;
	const char *t;

	copy_fixture("v1");
	fix_open_path(&f, tmp);
	puts_("proc/sys/vm/overcommit_kbytes", "100002\n");
	like(R(&f, 100, VFILE_PROC_MEMINFO), "\nCommitLimit:      231072 kB\n",
	     "overcommit_kbytes 100002: CommitLimit = 100000 (whole pages) + 128 MiB swap");
	puts_("proc/sys/vm/overcommit_kbytes", "1000000\n");
	like(R(&f, 100, VFILE_PROC_MEMINFO), "\nCommitLimit:      393216 kB\n",
	     "overcommit_kbytes above MemTotal: CommitLimit = MemTotal + swap");
	puts_("proc/sys/vm/overcommit_kbytes", "0\n");
	puts_("proc/sys/vm/overcommit_ratio", "100\n");
	like(R(&f, 100, VFILE_PROC_MEMINFO), "\nCommitLimit:      393216 kB\n",
	     "overcommit_ratio 100: CommitLimit = MemTotal + swap");
	{
		const struct kv c[] = { { "Committed_AS", 30000 } };
		_cleanup_free_ char *host = host_text(&f, "meminfo");
		_cleanup_free_ char *text = meminfo_with(host, c, 1, NULL, 0);

		puts_("proc/meminfo", text);
	}
	like(R(&f, 100, VFILE_PROC_MEMINFO), "\nCommitted_AS:      30000 kB\n",
	     "Committed_AS never above the host's");
	rm_at("cgroup/memory/lxc/c1/memory.kmem.usage_in_bytes");
	t = R(&f, 100, VFILE_PROC_MEMINFO);
	like(t, "\nSlab:                  0 kB\n", "v1 without kmem accounting: Slab 0");
	like(t, "\nSUnreclaim:            0 kB\n", "v1 without kmem accounting: SUnreclaim 0");
	fix_close(&f);
	remove_copy();
}

/* Zswap/Zswapped: v2 memory.stat zswap/zswapped; v1 has no source; -z: 0. */
static void test_meminfo_zswap(void)
{
	const struct render_opts opt_z = { .zswap_off = true };
	const struct kv hz[] = { { "Zswap", 1234 }, { "Zswapped", 5678 } };
	struct fix f;
	const char *t;

	copy_fixture("v2");
	fix_open_path(&f, tmp);
	{
		_cleanup_free_ char *host = host_text(&f, "meminfo");
		_cleanup_free_ char *text = meminfo_with(host, hz, 2, NULL, 0);

		puts_("proc/meminfo", text);
	}
	set_stat("cgroup/unified/lxc/c1/memory.stat", "zswap", 1048576);
	set_stat("cgroup/unified/lxc/c1/memory.stat", "zswapped", 3145728);
	t = R(&f, 100, VFILE_PROC_MEMINFO);
	like(t, "\nZswap:              1024 kB\n", "v2 Zswap = memory.stat zswap");
	like(t, "\nZswapped:           3072 kB\n", "v2 Zswapped = memory.stat zswapped");
	t = Ropt(&f, 100, &opt_z, VFILE_PROC_MEMINFO);
	like(t, "\nZswap:                 0 kB\n", "v2 -z: Zswap 0");
	like(t, "\nZswapped:              0 kB\n", "v2 -z: Zswapped 0");
	like(R(&f, 1, VFILE_PROC_MEMINFO), "\nZswapped:           5678 kB\n",
	     "v2 root: the host's Zswapped");
	like(Ropt(&f, 1, &opt_z, VFILE_PROC_MEMINFO), "\nZswapped:              0 kB\n",
	     "v2 root with -z: Zswapped 0");
	fix_close(&f);
	remove_copy();

	copy_fixture("v1");
	fix_open_path(&f, tmp);
	{
		_cleanup_free_ char *host = host_text(&f, "meminfo");
		_cleanup_free_ char *text = meminfo_with(host, hz, 2, NULL, 0);

		puts_("proc/meminfo", text);
	}
	like(R(&f, 100, VFILE_PROC_MEMINFO), "\nZswapped:              0 kB\n",
	     "v1 limited: no per-cgroup zswap source, Zswapped 0");
	fix_close(&f);
	remove_copy();
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
	       "cpu1 3000 0 1000 46050 0 0 0 0 0 0\n"
	       "cpu3 5000 0 2000 43050 0 0 0 0 0 0\n" INTR_ZERO "ctxt 100\n" BTIME
	       "processes 4\nprocs_running 2\nprocs_blocked 1\n" SOFTIRQ_ZERO,
	       "stat: v1 cpuacct.usage_all, cpuset 1,3, tasks of the cgroup and below");
	/* usage_percpu 2 s on CPU0, 6 s on CPU2; cpuacct.stat 3:1; age 700.50 */
	is_str(R(&f, 200, VFILE_PROC_STAT),
	       "cpu  600 0 200 139300 0 0 0 0 0 0\n"
	       "cpu0 150 0 50 69850 0 0 0 0 0 0\n"
	       "cpu2 450 0 150 69450 0 0 0 0 0 0\n" INTR_ZERO "ctxt 0\n" BTIME
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
	       "cpu1 94 0 32 29924 0 0 0 0 0 0\n"
	       "cpu3 93 0 31 29926 0 0 0 0 0 0\n" INTR_ZERO "ctxt 0\n" BTIME
	       "processes 1\nprocs_running 1\nprocs_blocked 0\n" SOFTIRQ_ZERO,
	       "stat: v2 cpu.stat spread over the visible CPUs, cgroup.threads");
	fix_close(&f);

	fix_open(&f, "hybrid");
	is_str(R(&f, 100, VFILE_PROC_STAT),
	       "cpu  15000 0 5000 80100 0 0 0 0 0 0\n"
	       "cpu1 7500 0 2500 40050 0 0 0 0 0 0\n"
	       "cpu3 7500 0 2500 40050 0 0 0 0 0 0\n" INTR_ZERO "ctxt 0\n" BTIME
	       "processes 1\nprocs_running 1\nprocs_blocked 0\n" SOFTIRQ_ZERO,
	       "stat: hybrid cpuacct.usage split as cpuacct.stat");
	is_str(R(&f, 200, VFILE_PROC_STAT),
	       "cpu  0 0 0 50050 0 0 0 0 0 0\n"
	       "cpu2 0 0 0 50050 0 0 0 0 0 0\n" INTR_ZERO "ctxt 0\n" BTIME
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
	is_int(stat_col(t, "cpu1", 0), 3050, "state: cpu1 user +50");
	is_int(stat_col(t, "cpu1", 3), 46100, "state: cpu1 busy + idle grew by 1 s");
	is_int(stat_col(t, "cpu3", 3), 43150, "state: cpu3 idle +1 s");
	is_int(stat_col(t, "cpu", 3), 89150, "state: total idle +2 s - 0.5 s");
	is_str(R(&f, 100, VFILE_PROC_UPTIME), "501.50 891.50\n", "state: uptime's idle is stat's");

	/* cpuset 1,3 -> 1: one line, which goes on */
	puts_("cgroup/cpuset/lxc/c1/cpuset.cpus", "1\n");
	puts_("cgroup/cpuset/lxc/c1/cpuset.effective_cpus", "1\n");
	puts_("proc/uptime", "1002.50 3000.20\n");
	t = R(&f, 100, VFILE_PROC_STAT);
	is_int(count(t, "\ncpu"), 1, "state: cpuset 1: one cpuN line");
	is_int(stat_col(t, "cpu1", 3), 46200, "state: cpu1 goes on");
	is_int(stat_col(t, "cpu", 3), 89150, "state: total idle holds (above 1 CPU x uptime)");

	/* the cgroup is re-created: its usage drops to 0 */
	puts_("cgroup/cpu,cpuacct/lxc/c1/cpuacct.usage_all",
	      "cpu user system\n0 0 0\n1 0 0\n2 0 0\n3 0 0\n");
	puts_("proc/uptime", "1003.50 3000.20\n");
	t = R(&f, 100, VFILE_PROC_STAT);
	is_int(stat_col(t, "cpu", 0), 8150, "state: user does not go back");
	is_int(stat_col(t, "cpu1", 0), 3050, "state: cpu1 user does not go back");
	is_int(stat_col(t, "cpu1", 3), 46300, "state: cpu1 idle follows the clock");
	/* cpuset back to 1,3: cpu3 comes back where it was */
	puts_("cgroup/cpuset/lxc/c1/cpuset.cpus", "1,3\n");
	puts_("cgroup/cpuset/lxc/c1/cpuset.effective_cpus", "1,3\n");
	puts_("proc/uptime", "1004.50 3000.20\n");
	t = R(&f, 100, VFILE_PROC_STAT);
	is_int(stat_col(t, "cpu3", 0), 5000, "state: cpu3 back with its user time");
	is_int(stat_col(t, "cpu3", 3), 43150, "state: and its idle, without a jump");
	like(R(&f, 100, VFILE_PROC_UPTIME), "504.50 ", "state: uptime went on");
	/* cpuset 1,3 -> 3: the one line left is cpu3, with cpu3's counters */
	puts_("cgroup/cpuset/lxc/c1/cpuset.cpus", "3\n");
	puts_("cgroup/cpuset/lxc/c1/cpuset.effective_cpus", "3\n");
	puts_("proc/uptime", "1005.50 3000.20\n");
	t = R(&f, 100, VFILE_PROC_STAT);
	is_int(count(t, "\ncpu"), 1, "state: cpuset 3: one cpuN line");
	is_int(stat_col(t, "cpu3", 0), 5000, "state: cpu3 keeps its user time (not cpu1's)");
	is_int(stat_col(t, "cpu3", 3), 43250, "state: and its idle goes on");
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

/* ---- diskstats, partitions, pressure ---- */

/* The fixtures' host devices, as diskstats_show() prints the first fields */
#define DS_LOOP0 "   7       0 loop0"
#define DS_SDA	 "   8       0 sda"
#define DS_SDA1	 "   8       1 sda1"
#define DS_SDB	 "   8      16 sdb"
#define DS_NVME	 " 259       0 nvme0n1"
#define DS_NVMEP " 259       1 nvme0n1p1"
#define Z17	 " 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n" /* 17 counters, 5.5+ */

#define DS_ALL_ZERO DS_LOOP0 Z17 DS_SDA Z17 DS_SDA1 Z17 DS_SDB Z17 DS_NVME Z17 DS_NVMEP Z17

#define PARTITIONS                                                                                 \
	"major minor  #blocks  name\n\n"                                                           \
	"   8        0  488386584 sda\n"                                                           \
	"   8        1  488385536 sda1\n"                                                          \
	"   8       16    1048576 sdb\n"                                                           \
	" 259        0  976762584 nvme0n1\n"                                                       \
	" 259        1  976761560 nvme0n1p1\n"

static void test_diskstats_v2(void)
{
	struct fix f;

	fix_open(&f, "v2");
	is_str(R(&f, 100, VFILE_PROC_DISKSTATS),
	       DS_LOOP0 Z17 DS_SDA
	       " 256 0 2048 0 64 0 8192 0 0 0 0 0 0 0 0 0 0\n" DS_SDA1 Z17 DS_SDB Z17 DS_NVME
	       " 100 0 1000 0 0 0 0 0 0 0 0 2 0 4096 0 0 0\n" DS_NVMEP Z17,
	       "diskstats v2: io.stat rios/wios/dios and bytes/512; no time, merge, partition "
	       "counters; unknown keys ignored");
	is_str(R(&f, 200, VFILE_PROC_DISKSTATS), DS_ALL_ZERO,
	       "diskstats v2: no io.stat in the cgroup (io not enabled): zeros, not the parent's");
	is_str(R(&f, 300, VFILE_PROC_DISKSTATS), DS_ALL_ZERO,
	       "diskstats v2: an empty io.stat (no I/O yet): every host device, all zero");
	is_str(R(&f, 1, VFILE_PROC_DISKSTATS),
	       DS_LOOP0 Z17 DS_SDA
	       " 4417391 0 361185342 0 9802114 0 845708999 0 0 0 0 112 0 61743104 "
	       "0 0 0\n" DS_SDA1 Z17 DS_SDB Z17 DS_NVME
	       " 912345 0 50123456 0 345678 0 40123456 0 0 0 0 1000 0 2048000 "
	       "0 0 0\n" DS_NVMEP Z17,
	       "diskstats v2 root cgroup: the root's io.stat, like any cgroup");
	fix_close(&f);
}

static void test_diskstats_v1_hybrid(void)
{
	struct fix f;

	fix_open(&f, "v1");
	is_str(
	    R(&f, 100, VFILE_PROC_DISKSTATS),
	    DS_LOOP0 Z17 DS_SDA " 300 0 2400 0 70 0 8192 0 0 0 0 1 0 2048 0 0 0\n" DS_SDA1 Z17
		DS_SDB Z17 DS_NVME Z17 DS_NVMEP Z17,
	    "diskstats v1: throttle _recursive files win over the plain ones; bfq lists nothing");
	is_str(R(&f, 200, VFILE_PROC_DISKSTATS),
	       DS_LOOP0 Z17 DS_SDA
	       " 7 0 56 0 3 0 24 0 0 0 0 0 0 0 0 0 0\n" DS_SDA1 Z17 DS_SDB
	       " 40 5 320 37 10 2 80 15 0 0 52 0 0 0 0 0 0\n" DS_NVME Z17 DS_NVMEP Z17,
	       "diskstats v1: bfq (merges, service + wait time) for its device, throttle for the "
	       "other");
	is_str(R(&f, 300, VFILE_PROC_DISKSTATS), DS_ALL_ZERO,
	       "diskstats v1: no blkio counters (no throttle rule, no bfq): all zero");
	is_str(R(&f, 1, VFILE_PROC_DISKSTATS), DS_ALL_ZERO,
	       "diskstats v1 root cgroup: its blkio files, never the host's lifetime counters");
	ok(R(&f, 700, VFILE_PROC_DISKSTATS) == NULL && last_rc == -ENOENT,
	   "diskstats v1: the cgroup is gone: ENOENT");
	fix_close(&f);

	fix_open(&f, "hybrid");
	is_str(R(&f, 100, VFILE_PROC_DISKSTATS),
	       DS_LOOP0 Z17 DS_SDA Z17 DS_SDA1 Z17 DS_SDB Z17 DS_NVME
	       " 9 0 0 0 4 0 0 0 0 0 0 0 0 0 0 0 0\n" DS_NVMEP Z17,
	       "diskstats hybrid: blkio v1 throttle, io_serviced without a bytes file");
	is_str(R(&f, 200, VFILE_PROC_DISKSTATS), DS_ALL_ZERO, "diskstats hybrid: no counters");
	fix_close(&f);
}

/* Older kernels print fewer fields: as many as the host's line has. */
static void test_diskstats_fields(void)
{
	struct fix f;

	copy_fixture("v1");
	fix_open_path(&f, tmp);
	puts_("proc/diskstats", "   8       0 sda 4417391 1203 361185342 1794873 9802114 5213847 "
				"845710952 11845093 0 6534880 14188544\n"
				"   8      16 sdb 220 0 9030 41 0 0 0 0 0 60 41 0 0 0 0\n");
	is_str(R(&f, 100, VFILE_PROC_DISKSTATS),
	       DS_SDA " 300 0 2400 0 70 0 8192 0 0 0 0\n" DS_SDB " 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n",
	       "diskstats: 11 fields (before 4.18) and 15 (4.18-5.4), as the host prints them");
	puts_("proc/diskstats", "   8       0 sda 1 2 3\n   8 sdb\n");
	ok(R(&f, 100, VFILE_PROC_DISKSTATS) == NULL && last_rc == -EIO,
	   "diskstats: a host line without major and minor: EIO");
	fix_close(&f);
	remove_copy();
}

static void test_partitions(void)
{
	struct fix f;

	fix_open(&f, "v1");
	is_str(R(&f, 100, VFILE_PROC_PARTITIONS), PARTITIONS,
	       "partitions v1: the host's devices that diskstats shows, in the kernel's columns");
	is_str(R(&f, 1, VFILE_PROC_PARTITIONS), PARTITIONS, "partitions v1: root cgroup");
	fix_close(&f);
	fix_open(&f, "v2");
	is_str(R(&f, 100, VFILE_PROC_PARTITIONS), PARTITIONS, "partitions v2");
	fix_close(&f);
	fix_open(&f, "hybrid");
	is_str(R(&f, 200, VFILE_PROC_PARTITIONS), PARTITIONS, "partitions hybrid");
	fix_close(&f);

	copy_fixture("v2");
	fix_open_path(&f, tmp);
	puts_("proc/partitions", PARTITIONS " 253        0 4294967296 dm-0\n");
	puts_("proc/diskstats", DS_SDA Z17 DS_NVMEP Z17 " 253       0 dm-0" Z17);
	is_str(R(&f, 100, VFILE_PROC_PARTITIONS),
	       "major minor  #blocks  name\n\n"
	       "   8        0  488386584 sda\n"
	       " 259        1  976761560 nvme0n1p1\n"
	       " 253        0 4294967296 dm-0\n",
	       "partitions: only devices diskstats names, in the host's order");
	puts_("proc/partitions", "");
	puts_("proc/diskstats", "");
	is_str(R(&f, 100, VFILE_PROC_PARTITIONS), "",
	       "partitions: a host without block devices (empty file): empty, no header");
	fix_close(&f);
	remove_copy();
}

static const uint32_t psi_ids[] = { VFILE_PROC_PRESSURE_CPU, VFILE_PROC_PRESSURE_IO,
				    VFILE_PROC_PRESSURE_MEMORY };
static const char *const psi_names[] = { "cpu", "io", "memory" };

/* Each pressure file of pid equals <dir>/<resource>.pressure of the fixture. */
static void check_pressure(const struct fix *f, pid_t pid, const char *dir, const char *what)
{
	for (size_t i = 0; i < ARRAY_SIZE(psi_ids); i++) {
		_cleanup_buf_ struct buf want = BUF_INIT(4096);
		char rel[256];
		int root = open_dir(AT_FDCWD, fixtures, O_RDONLY);

		if (strstr(dir, "/proc/pressure"))
			snprintf(rel, sizeof(rel), "%s/%s", dir, psi_names[i]);
		else
			snprintf(rel, sizeof(rel), "%s/%s.pressure", dir, psi_names[i]);
		if (fs_read_beneath(root, rel, &want) < 0 || !buf_cstr(&want))
			die(rel);
		close(root);
		is_str(R(f, pid, psi_ids[i]), want.data, "pressure/%s: %s", psi_names[i], what);
	}
}

static void test_pressure(void)
{
	struct fix f;
	const char *t;

	fix_open(&f, "v2");
	check_pressure(&f, 100, "v2/cgroup/unified/lxc/c1", "v2, the cgroup's files verbatim");
	check_pressure(&f, 1, "v2/proc/pressure", "v2 root cgroup, the host's files");
	for (size_t i = 0; i < ARRAY_SIZE(psi_ids); i++)
		ok(R(&f, 300, psi_ids[i]) == NULL && last_rc == -EOPNOTSUPP,
		   "pressure/%s: v2 cgroup without the file: EOPNOTSUPP, not the host's",
		   psi_names[i]);
	fix_close(&f);

	fix_open(&f, "hybrid");
	check_pressure(&f, 100, "hybrid/cgroup/unified/lxc/h1",
		       "hybrid, the unified tree's cgroup (no controllers there)");
	t = R(&f, 100, VFILE_PROC_PRESSURE_CPU);
	is_str(t, "some avg10=3.00 avg60=2.00 avg300=1.00 total=300000\n",
	       "pressure/cpu: a kernel before 5.13 (no full line) shown as it is");
	check_pressure(&f, 1, "hybrid/proc/pressure", "hybrid root, the host's files");
	is_str(R(&f, 200, VFILE_PROC_PRESSURE_CPU),
	       "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"
	       "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n",
	       "pressure/cpu: hybrid, a cgroup without pressure shows its zeros");
	ok(R(&f, 200, VFILE_PROC_PRESSURE_IO) == NULL && last_rc == -EOPNOTSUPP,
	   "pressure/io: hybrid cgroup without io.pressure: EOPNOTSUPP");
	fix_close(&f);

	fix_open(&f, "v1");
	for (size_t i = 0; i < ARRAY_SIZE(psi_ids); i++) {
		ok(R(&f, 100, psi_ids[i]) == NULL && last_rc == -EOPNOTSUPP,
		   "pressure/%s: v1 without a unified tree: EOPNOTSUPP", psi_names[i]);
		ok(R(&f, 1, psi_ids[i]) == NULL && last_rc == -EOPNOTSUPP,
		   "pressure/%s: v1 root without a unified tree: EOPNOTSUPP", psi_names[i]);
	}
	fix_close(&f);

	copy_fixture("hybrid");
	fix_open_path(&f, tmp);
	puts_("proc/100/cgroup", "7:blkio:/lxc/h1\n0::/lxc/gone\n");
	ok(R(&f, 100, VFILE_PROC_PRESSURE_CPU) == NULL && last_rc == -ENOENT,
	   "pressure/cpu: the unified cgroup is gone: ENOENT");
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
	test_meminfo_unlimited();
	test_meminfo_mlocked();
	test_meminfo_commit_kmem();
	test_meminfo_zswap();
	test_swaps();
	test_swap_64m_file();
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
	test_diskstats_v2();
	test_diskstats_v1_hybrid();
	test_diskstats_fields();
	test_partitions();
	test_pressure();
	free(last_text);
	return done_testing();
}
