// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * TAP tests of collector/hostdir.c, the read-only view of the host's
 * /sys/devices/system/cpu: what is listed, found and read for a caller
 * whose CPUs are 1 and 3, node numbers (doc/PROTOCOL.md section 6.1) across
 * two hostdir instances (a collector restart), the one rescan, the depth
 * limit, attributes and read limits.  The "host" directory is built under
 * a fresh temporary directory and removed at the end.
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
#include "cleanup.h"
#include "cpuset.h"
#include "hostdir.h"
#include "proto.h"
#include "vfile.h"
#include "tap.h"
#include "hostnode.h"
#include "testfs.h"

#define READ_MAX (64 * 1024) /* hostdir_read's limit, doc/PROTOCOL.md 3.4 */
#define DEEP	 15	     /* levels of the deep/ chain: more than the limit */

static char tmp[256];
static int top = -1;	    /* tmp, the stand-in for /sys/devices/system/cpu */
static struct cpuset vis;   /* the caller's CPUs: 1 and 3 */
static struct cpuset all;   /* 0-3 */
static struct hostdir *hd;  /* the first collector's */
static struct hostdir *hd2; /* a restarted one's */
/* the view's numbering: the host's (test_cpuview.c tests the flat one) */
static const struct render_opts host_numbers;
static const struct render_ctx ctx = { .opt = &host_numbers };

/* ---- the tree ---- */

static void fill(const char *rel, size_t len, mode_t mode)
{
	char *b = malloc(len ? len : 1);

	if (!b)
		die("malloc");
	memset(b, 'x', len);
	testfs_write(top, rel, b, len, mode);
	free(b);
}

/* deep/d/d/... : "deep" plus n-1 times "/d" */
static const char *deep_path(int n)
{
	static char p[4 * DEEP + 8];

	snprintf(p, sizeof(p), "deep");
	for (int i = 1; i < n; i++)
		strcat(p, "/d");
	return p;
}

static void make_tree(void)
{
	char p[PATH_MAX], v[16];

	for (int n = 0; n < 4; n++) {
		snprintf(p, sizeof(p), "cpu%d/topology", n);
		testfs_mkdirs(top, p);
		snprintf(p, sizeof(p), "cpu%d/topology/core_id", n);
		snprintf(v, sizeof(v), "%d\n", n);
		testfs_put(top, p, v);
	}
	testfs_put(top, "cpu1/online", "1\n");
	for (const char *const *t =
		 (const char *const[]){ "online", "offline", "possible", "present", NULL };
	     *t; t++)
		testfs_put(top, *t, "0-3\n");
	testfs_put(top, "kernel_max", "8191\n");
	testfs_write(top, "writable", "w\n", 2, 0666);
	testfs_write(top, "secret", "s\n", 2, 0400);
	testfs_write(top, "cpu1/secret", "s\n", 2, 0440);
	testfs_put(top, ".hidden", "h\n");
	fill("big", READ_MAX, 0444);
	fill("bigger", READ_MAX + 1, 0444);
	testfs_mkdirs(top, "cpufreq");
	if (fchmodat(top, "cpufreq", 0777, 0) < 0)
		die("chmod");
	testfs_mkdirs(top, "cpu"); /* a cpu name without a number is not a CPU */
	testfs_mkdirs(top, "cpu1x");
	if (symlinkat("cpu0", top, "link") < 0 || symlinkat("../kernel_max", top, "cpu1/link") < 0)
		die("symlink");
	if (mkfifoat(top, "fifo", 0644) < 0 || mkfifoat(top, "cpu1/fifo", 0644) < 0)
		die("mkfifo");
	testfs_mkdirs(top, deep_path(DEEP));
	for (int n = 1; n <= DEEP; n++) {
		snprintf(p, sizeof(p), "%s/f", deep_path(n));
		testfs_put(top, p, "f\n");
	}
}

/* ---- helpers ---- */

static int lookup(struct hostdir *h, const struct cpuset *c, uint64_t parent, const char *name,
		  struct proto_attr *a)
{
	memset(a, 0xff, sizeof(*a)); /* hostdir must fill every field */
	return hostdir_lookup(h, &ctx, c, parent, name, a);
}

/* Look up a whole path from the top (as the kernel does, one name at a
 * time); the last status, the node in *node. */
static int walk(struct hostdir *h, const struct cpuset *c, const char *path, uint64_t *node)
{
	char p[PATH_MAX];
	struct proto_attr a;
	uint64_t at = VFILE_SYS_CPU;
	int r = 0;

	snprintf(p, sizeof(p), "%s", path);
	for (char *s = strtok(p, "/"); s; s = strtok(NULL, "/")) {
		r = lookup(h, c, at, s, &a);
		if (r < 0)
			return r;
		at = a.node;
	}
	*node = at;
	return r;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char text[4096];

/* A listing as sorted "name name/ ..." ("" and the status in *rc on error);
 * each entry's node must be the documented one and its mode 0444. */
static const char *list(struct hostdir *h, const struct cpuset *c, uint64_t node, const char *dir,
			int *rc, bool *entries_ok)
{
	_cleanup_buf_ struct buf out = BUF_INIT(PROTO_MAX_PAYLOAD);
	char *names[64];
	size_t n = 0, off = 0;
	struct proto_dirent e;
	const char *name;

	text[0] = '\0';
	*entries_ok = true;
	*rc = hostdir_readdir(h, &ctx, c, node, &out);
	if (*rc < 0)
		return text;
	while (n < 64 && proto_dirent_next(out.data, out.len, &off, &e, &name) == 1) {
		char path[PATH_MAX];

		snprintf(path, sizeof(path), "%s%s%.*s", dir, dir[0] ? "/" : "", e.namelen, name);
		if (e.node != doc_hostnode(path) || (e.mode & 07777) != 0444) {
			diag("entry %s: node %#llx mode %o", path, (unsigned long long)e.node,
			     e.mode);
			*entries_ok = false;
		}
		if (asprintf(&names[n++], "%.*s%s", e.namelen, name, S_ISDIR(e.mode) ? "/" : "") <
		    0)
			die("asprintf");
	}
	if (off != out.len)
		*entries_ok = false;
	qsort(names, n, sizeof(names[0]), cmp_str);
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(text);

		snprintf(text + l, sizeof(text) - l, "%s%s", i ? " " : "", names[i]);
		free(names[i]);
	}
	return text;
}

static int read_node(struct hostdir *h, uint64_t node, size_t max, struct buf *out)
{
	buf_free(out);
	*out = BUF_INIT(max);
	return hostdir_read(h, &ctx, &all, node, out);
}

/* ---- the tests ---- */

static void test_top(void)
{
	int rc;
	bool eok;

	is_str(list(hd, &vis, VFILE_SYS_CPU, "", &rc, &eok),
	       "big bigger cpu/ cpu1/ cpu1x/ cpu3/ cpufreq/ deep/ kernel_max secret writable",
	       "top, CPUs 1,3: no cpu0/cpu2, no table names, no symlink, FIFO or dot name");
	ok(rc == 0 && eok, "top, CPUs 1,3: documented nodes, mode 0444 (got %d)", rc);
	is_str(list(hd, &all, VFILE_SYS_CPU, "", &rc, &eok),
	       "big bigger cpu/ cpu0/ cpu1/ cpu1x/ cpu2/ cpu3/ cpufreq/ deep/ kernel_max secret "
	       "writable",
	       "top, CPUs 0-3: every cpuN");
	ok(rc == 0 && eok, "top, CPUs 0-3: documented nodes");
	is_str(list(hd, &vis, doc_hostnode("cpu1"), "cpu1", &rc, &eok), "online secret topology/",
	       "cpu1: files and directories only");
	ok(rc == 0 && eok, "cpu1: documented nodes");
	list(hd, &vis, doc_hostnode("kernel_max"), "", &rc, &eok);
	is_int(rc, -ENOTDIR, "readdir of a file");
	list(hd, &vis, (UINT64_C(1) << 32) | VFILE_SYS_CPU, "", &rc, &eok);
	is_int(rc, -ENOENT, "readdir of the cpu directory's id + 2^32");
	{
		_cleanup_buf_ struct buf out = BUF_INIT(40);

		is_int(hostdir_readdir(hd, &ctx, &vis, VFILE_SYS_CPU, &out), -ENOBUFS,
		       "readdir into 40 bytes: -ENOBUFS");
	}
}

static void test_lookup(void)
{
	static const char *const table[] = { "online", "offline", "possible", "present" };
	static const char *const hidden[] = { "cpu0", "cpu2", "link", "fifo", ".hidden", "nosuch" };
	struct proto_attr a;
	uint64_t n;

	for (size_t i = 0; i < ARRAY_SIZE(table); i++) {
		is_int(lookup(hd, &vis, VFILE_SYS_CPU, table[i], &a), -ENOENT,
		       "lookup %s: the table's name", table[i]);
		is_int(lookup(hd, &all, VFILE_SYS_CPU, table[i], &a), -ENOENT,
		       "lookup %s with every CPU visible", table[i]);
	}
	for (size_t i = 0; i < ARRAY_SIZE(hidden); i++)
		is_int(lookup(hd, &vis, VFILE_SYS_CPU, hidden[i], &a), -ENOENT, "lookup %s",
		       hidden[i]);
	is_int(lookup(hd, &vis, doc_hostnode("cpu1"), "link", &a), -ENOENT,
	       "lookup cpu1/link (a symlink)");
	is_int(lookup(hd, &vis, doc_hostnode("cpu1"), "fifo", &a), -ENOENT,
	       "lookup cpu1/fifo (a FIFO)");
	is_int(lookup(hd, &vis, doc_hostnode("kernel_max"), "x", &a), -ENOTDIR, "lookup in a file");
	is_int(lookup(hd, &vis, VFILE_PROC, "cpu1", &a), -ENOENT, "lookup in a table directory");

	is_int(lookup(hd, &vis, VFILE_SYS_CPU, "cpu1", &a), 0, "lookup cpu1");
	ok(a.node == doc_hostnode("cpu1") && a.mode == (S_IFDIR | 0555) && a.size == 0 &&
	       a.reserved == 0,
	   "cpu1: its node, S_IFDIR|0555, size 0, reserved 0");
	is_int(walk(hd, &vis, "cpu1/topology/core_id", &n), 0, "walk cpu1/topology/core_id");
	is_int(n, doc_hostnode("cpu1/topology/core_id"), "cpu1/topology/core_id: its node");
	is_int(lookup(hd, &vis, VFILE_SYS_CPU, "cpu", &a), 0, "lookup cpu (no number: not a CPU)");
	is_int(lookup(hd, &vis, VFILE_SYS_CPU, "cpu1x", &a), 0, "lookup cpu1x (not a CPU)");
}

static void test_attrs(void)
{
	static const struct {
		const char *path;
		mode_t mode;
		uint64_t size;
	} want[] = {
		{ "kernel_max", S_IFREG | 0444, 5 },	{ "writable", S_IFREG | 0444, 2 },
		{ "secret", S_IFREG | 0400, 2 },	{ "cpu1/secret", S_IFREG | 0440, 2 },
		{ "cpufreq", S_IFDIR | 0555, 0 },	{ "big", S_IFREG | 0444, READ_MAX },
		{ "cpu1/topology", S_IFDIR | 0555, 0 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		struct proto_attr a;
		uint64_t n = 0;

		is_int(walk(hd, &vis, want[i].path, &n), 0, "walk %s", want[i].path);
		memset(&a, 0xff, sizeof(a));
		is_int(hostdir_getattr(hd, n, &a), 0, "getattr %s", want[i].path);
		ok(a.node == n && a.mode == want[i].mode && a.size == want[i].size &&
		       a.reserved == 0,
		   "%s: mode %o (never a write bit), size %llu", want[i].path,
		   (unsigned)want[i].mode, (unsigned long long)want[i].size);
		if (a.mode != want[i].mode || a.size != want[i].size)
			diag("got mode %o size %llu", a.mode, (unsigned long long)a.size);
	}
	{
		struct proto_attr a;

		is_int(hostdir_getattr(hd, VFILE_PROC_MEMINFO, &a), -ENOENT, "getattr a table id");
	}
}

static void test_visible(void)
{
	uint64_t n;

	is_int(hostdir_check_visible(hd, &vis, VFILE_SYS_CPU), 0, "visible: the cpu directory");
	is_int(walk(hd, &all, "cpu0/topology/core_id", &n), 0,
	       "walk cpu0/topology/core_id with every CPU visible");
	is_int(hostdir_check_visible(hd, &all, n), 0, "visible: cpu0/topology/core_id, 0-3");
	is_int(hostdir_check_visible(hd, &vis, n), -ENOENT,
	       "not visible: cpu0/topology/core_id for CPUs 1,3");
	is_int(hostdir_check_visible(hd, &vis, doc_hostnode("cpu0/topology")), -ENOENT,
	       "not visible: cpu0/topology for CPUs 1,3");
	is_int(hostdir_check_visible(hd, &vis, doc_hostnode("cpu0")), -ENOENT,
	       "not visible: cpu0 for CPUs 1,3");
	is_int(hostdir_check_visible(hd, &vis, doc_hostnode("cpu1/topology/core_id")), 0,
	       "visible: cpu1/topology/core_id for CPUs 1,3");
	is_int(hostdir_check_visible(hd, &vis, doc_hostnode("kernel_max")), 0,
	       "visible: kernel_max");
	/* the table's names, as host nodes (interned by the scan) */
	for (const char *const *t =
		 (const char *const[]){ "online", "offline", "possible", "present", NULL };
	     *t; t++)
		is_int(hostdir_check_visible(hd, &all, doc_hostnode(*t)), -ENOENT,
		       "not visible: the host's %s, as a host node", *t);
	is_int(hostdir_check_visible(hd, &vis, doc_hostnode("no/such")), -ESTALE,
	       "check_visible of an unknown node: -ESTALE");
}

static void test_read(void)
{
	_cleanup_buf_ struct buf out = BUF_INIT(0);

	is_int(read_node(hd, doc_hostnode("kernel_max"), PROTO_MAX_PAYLOAD, &out), 0,
	       "read kernel_max");
	is_str(buf_cstr(&out), "8191\n", "kernel_max: the host's bytes");
	is_int(read_node(hd, doc_hostnode("cpu1/topology/core_id"), PROTO_MAX_PAYLOAD, &out), 0,
	       "read cpu1/topology/core_id");
	is_str(buf_cstr(&out), "1\n", "cpu1/topology/core_id: the host's bytes");
	is_int(read_node(hd, doc_hostnode("secret"), PROTO_MAX_PAYLOAD, &out), -EACCES,
	       "read a 0400 file: -EACCES");
	is_int(read_node(hd, doc_hostnode("cpu1/secret"), PROTO_MAX_PAYLOAD, &out), -EACCES,
	       "read a 0440 file: -EACCES");
	is_int(read_node(hd, doc_hostnode("cpu1"), PROTO_MAX_PAYLOAD, &out), -EISDIR,
	       "read a directory: -EISDIR");
	is_int(read_node(hd, VFILE_SYS_CPU, PROTO_MAX_PAYLOAD, &out), -EISDIR,
	       "read the cpu directory: -EISDIR");
	is_int(read_node(hd, doc_hostnode("big"), PROTO_MAX_PAYLOAD, &out), 0,
	       "read a 64 KiB file");
	is_int(out.len, READ_MAX, "64 KiB file: every byte");
	is_int(read_node(hd, doc_hostnode("bigger"), PROTO_MAX_PAYLOAD, &out), -ENOBUFS,
	       "read a file of 64 KiB + 1: -ENOBUFS");
	is_int(read_node(hd, doc_hostnode("kernel_max"), 4, &out), -ENOBUFS,
	       "read kernel_max into 4 bytes: -ENOBUFS");
	is_int(read_node(hd, doc_hostnode("kernel_max"), 5, &out), 0,
	       "read kernel_max into exactly 5 bytes");
	is_int(read_node(hd, VFILE_PROC_MEMINFO, PROTO_MAX_PAYLOAD, &out), -ENOENT,
	       "read a table id: -ENOENT");
}

/* A second instance: same numbers, found by one scan; then -ESTALE. */
static void test_restart(void)
{
	struct proto_attr a, b;
	_cleanup_buf_ struct buf out = BUF_INIT(0);
	uint64_t n1 = 0, n2 = 0;

	hd2 = hostdir_new(top);
	if (!hd2)
		die("hostdir_new");
	is_int(hostdir_getattr(hd2, doc_hostnode("cpu3/topology/core_id"), &a), 0,
	       "restarted: getattr of a node it never handed out (one scan)");
	is_int(hostdir_getattr(hd, doc_hostnode("cpu3/topology/core_id"), &b), 0,
	       "first instance: getattr of the same node");
	ok(a.node == b.node && a.mode == b.mode && a.size == b.size,
	   "both instances give the same attributes");
	ok(walk(hd, &vis, "cpu3/topology/core_id", &n1) == 0 &&
	       walk(hd2, &vis, "cpu3/topology/core_id", &n2) == 0 && n1 == n2 &&
	       n1 == doc_hostnode("cpu3/topology/core_id"),
	   "lookups in both instances: the same, documented node");
	is_int(read_node(hd2, doc_hostnode("cpu1/topology/core_id"), PROTO_MAX_PAYLOAD, &out), 0,
	       "restarted: read a node the first instance handed out");
	is_str(buf_cstr(&out), "1\n", "restarted: the same bytes");
	is_int(hostdir_getattr(hd2, VFILE_HOSTNODE_BIT | 0x1234, &a), -ESTALE,
	       "restarted: an unknown node after the scan: -ESTALE");
	is_int(hostdir_getattr(hd2, doc_hostnode("link"), &a), -ESTALE,
	       "restarted: a symlink's node is never found");
	is_int(hostdir_getattr(hd2, doc_hostnode("fifo"), &a), -ESTALE,
	       "restarted: a FIFO's node is never found");
	is_int(read_node(hd2, doc_hostnode("fifo"), PROTO_MAX_PAYLOAD, &out), -ESTALE,
	       "restarted: a FIFO is never opened");

	/* one scan per process: a new entry is found by name, not by number */
	testfs_put(top, "cpu1/late", "l\n");
	is_int(hostdir_getattr(hd2, doc_hostnode("cpu1/late"), &a), -ESTALE,
	       "an entry created after the scan: -ESTALE by number");
	is_int(lookup(hd2, &vis, doc_hostnode("cpu1"), "late", &a), 0,
	       "an entry created after the scan: found by name");
	is_int(hostdir_getattr(hd2, doc_hostnode("cpu1/late"), &a), 0,
	       "an entry created after the scan: then by number");
	if (unlinkat(top, "cpu1/late", 0) < 0)
		die("unlink");
	is_int(hostdir_getattr(hd2, doc_hostnode("cpu1/late"), &a), -ENOENT,
	       "an entry removed: -ENOENT");
}

/* Entries that change type after they were handed out. */
static void test_replaced(void)
{
	_cleanup_buf_ struct buf out = BUF_INIT(0);
	struct proto_attr a;
	int rc;
	bool eok;

	testfs_put(top, "cpu3/swap", "s\n");
	is_int(lookup(hd, &vis, doc_hostnode("cpu3"), "swap", &a), 0, "lookup cpu3/swap");
	if (unlinkat(top, "cpu3/swap", 0) < 0 || symlinkat("../kernel_max", top, "cpu3/swap") < 0)
		die("swap");
	is_int(hostdir_getattr(hd, doc_hostnode("cpu3/swap"), &a), -ENOENT,
	       "a file replaced by a symlink: getattr -ENOENT");
	is_int(read_node(hd, doc_hostnode("cpu3/swap"), PROTO_MAX_PAYLOAD, &out), -ELOOP,
	       "a file replaced by a symlink: not followed (-ELOOP)");
	if (unlinkat(top, "cpu3/swap", 0) < 0)
		die("unlink");
	testfs_put(top, "cpu3/topology.new", "");
	if (renameat(top, "cpu3/topology", top, "cpu3/topology.old") < 0 ||
	    renameat(top, "cpu3/topology.new", top, "cpu3/topology") < 0)
		die("rename");
	list(hd, &vis, doc_hostnode("cpu3/topology"), "cpu3/topology", &rc, &eok);
	is_int(rc, -ENOTDIR, "a directory replaced by a file: readdir -ENOTDIR");
	if (unlinkat(top, "cpu3/topology", 0) < 0 ||
	    renameat(top, "cpu3/topology.old", top, "cpu3/topology") < 0)
		die("rename back");
}

/* Paths of up to 13 components (12 levels below the top's entries) are
 * served: lookup, readdir and the scan agree, so every node one instance
 * hands out, another finds again. */
static void test_depth(void)
{
	struct proto_attr a;
	uint64_t n;
	int rc;
	bool eok;
	char want[64];

	is_int(walk(hd, &vis, deep_path(13), &n), 0, "walk a path of 13 components");
	is_int(n, doc_hostnode(deep_path(13)), "13 components: its node");
	snprintf(want, sizeof(want), "%s/f", deep_path(12));
	is_int(walk(hd, &vis, want, &n), 0, "walk a file at 13 components");
	is_int(walk(hd, &vis, deep_path(14), &n), -ENOENT, "walk a path of 14 components: -ENOENT");
	is_int(lookup(hd, &vis, doc_hostnode(deep_path(13)), "f", &a), -ENOENT,
	       "lookup in a directory of 13 components: -ENOENT");
	is_str(list(hd, &vis, doc_hostnode(deep_path(12)), deep_path(12), &rc, &eok), "d/ f",
	       "readdir at 12 components: its entries");
	ok(rc == 0 && eok, "readdir at 12 components: documented nodes");
	is_str(list(hd, &vis, doc_hostnode(deep_path(13)), deep_path(13), &rc, &eok), "",
	       "readdir at 13 components: nothing beyond the limit");
	is_int(rc, 0, "readdir at 13 components: not an error");
	is_int(hostdir_getattr(hd, doc_hostnode(deep_path(14)), &a), -ESTALE,
	       "14 components: never a node");
	is_int(hostdir_getattr(hd2, doc_hostnode(deep_path(13)), &a), 0,
	       "restarted: 13 components found again");
}

int main(void)
{
	int fd;

	snprintf(tmp, sizeof(tmp), "/tmp/lxcfs-test-hostdir-XXXXXX");
	if (!mkdtemp(tmp))
		die("mkdtemp");
	top = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (top < 0)
		die(tmp);
	umask(022);
	make_tree();
	if (cpuset_parse(&vis, "1,3") < 0 || cpuset_parse(&all, "0-3") < 0)
		die("cpuset_parse");
	hd = hostdir_new(top);
	if (!hd)
		die("hostdir_new");

	test_top();
	test_lookup();
	test_attrs();
	test_visible();
	test_read();
	test_restart();
	test_replaced();
	test_depth();

	close(top);
	fd = open("/tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	rm_rf_at(fd, tmp + strlen("/tmp/"));
	close(fd);
	return done_testing();
}
