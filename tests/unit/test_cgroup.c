// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * TAP tests of collector/cgroup.c and collector/cpuset.c: hierarchy
 * layouts from mountinfo texts, /proc/PID/cgroup parsing, the walk beneath
 * a hierarchy root (deep trees, symlinks, ".."), CPU lists.  Every tree is
 * built under a fresh temporary directory and removed at the end.
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
#include "cpuset.h"
#include "fsio.h"
#include "tap.h"
#include "fixture_cg.h"
#include "testfs.h"

static char tmp[256];

/* ---- temporary trees ---- */

/* tmp/rel in p */
static void tpath(char p[PATH_MAX], const char *rel)
{
	if (snprintf(p, PATH_MAX, "%s/%s", tmp, rel) >= PATH_MAX)
		die("path too long");
}

static void mkdir_p(const char *rel)
{
	char p[PATH_MAX];

	tpath(p, rel);
	for (char *s = p + strlen(tmp) + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			die(p);
		*s = '/';
	}
	if (mkdir(p, 0755) < 0 && errno != EEXIST)
		die(p);
}

static void put_at(int at, const char *name, const char *text)
{
	int fd = openat(at, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		die(name);
	close(fd);
}

static void put(const char *rel, const char *text)
{
	char p[PATH_MAX];

	tpath(p, rel);
	put_at(AT_FDCWD, p, text);
}

static void link_(const char *target, const char *rel)
{
	char p[PATH_MAX];

	tpath(p, rel);
	if (symlink(target, p) < 0)
		die(p);
}

/* Same directory as tmp/rel? */
static bool same_dir(int fd, const char *rel)
{
	char p[PATH_MAX];
	struct stat a, b;

	tpath(p, rel);
	return fd >= 0 && fstat(fd, &a) == 0 && stat(p, &b) == 0 && a.st_dev == b.st_dev &&
	       a.st_ino == b.st_ino;
}

/* A mountinfo text with @T@ replaced by the temporary directory. */
static char *mountinfo(const char *tmpl)
{
	_cleanup_buf_ struct buf b = BUF_INIT(1 << 20);

	for (const char *p = tmpl; *p;) {
		const char *t = strstr(p, "@T@");

		if (!t) {
			buf_puts(&b, p);
			break;
		}
		buf_append(&b, p, (size_t)(t - p));
		buf_puts(&b, tmp);
		p = t + 3;
	}
	buf_cstr(&b);
	return steal_ptr(b.data);
}

static int layout_from(struct cg_layout *l, const char *tmpl)
{
	_cleanup_free_ char *text = mountinfo(tmpl);

	cg_layout_init(l);
	return cg_layout_from_mountinfo(l, text);
}

/* fixture_layout_from_dir on tmp/rel opened with flags */
static int layout_dir(struct cg_layout *l, const char *rel, int flags)
{
	char p[PATH_MAX];
	int fd, r;

	tpath(p, rel);
	cg_layout_init(l);
	fd = open(p, flags | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		die(p);
	r = fixture_layout_from_dir(l, fd);
	close(fd);
	return r;
}

static int parse(const struct cg_layout *l, const char *text, struct cg_paths *out)
{
	return cg_paths_parse(l, text, strlen(text), out);
}

static const char *str_or_null(const char *s)
{
	return s ? s : "(null)";
}

/* ---- layouts from mountinfo ---- */

static const char mi_v1[] =
    "25 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw\n"
    "31 25 0:28 / @T@/v1 rw,nosuid,nodev,noexec shared:2 - tmpfs tmpfs ro,mode=755\n"
    "32 31 0:29 / @T@/v1/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:3 - cgroup cgroup "
    "rw,cpu,cpuacct\n"
    "33 31 0:30 / @T@/v1/memory rw,nosuid,nodev,noexec,relatime shared:4 - cgroup cgroup "
    "rw,memory\n"
    "34 31 0:31 / @T@/v1/cpuset rw,nosuid,nodev,noexec,relatime shared:5 - cgroup cgroup "
    "rw,cpuset\n"
    "35 31 0:32 / @T@/v1/blkio rw,nosuid,nodev,noexec,relatime shared:6 - cgroup cgroup rw,blkio\n"
    "36 31 0:33 / @T@/v1/devices rw,nosuid,nodev,noexec,relatime shared:7 - cgroup cgroup "
    "rw,devices\n"
    "37 31 0:34 / @T@/v1/systemd rw,nosuid,nodev,noexec,relatime shared:8 - cgroup cgroup "
    "rw,xattr,name=systemd\n"
    "38 25 0:5 / /proc rw,nosuid,nodev,noexec,relatime shared:9 - proc proc rw\n";

/* this machine: every controller on its own, an empty cgroup2 beside */
static const char mi_hybrid[] =
    "31 23 0:28 / @T@/hy rw,relatime - tmpfs tmpfs rw,mode=755\n"
    "32 31 0:29 / @T@/hy/cpu rw,relatime - cgroup cgroup rw,cpu\n"
    "33 31 0:30 / @T@/hy/cpuacct rw,relatime - cgroup cgroup rw,cpuacct\n"
    "34 31 0:31 / @T@/hy/cpuset rw,relatime - cgroup cgroup rw,cpuset\n"
    "35 31 0:32 / @T@/hy/memory rw,relatime - cgroup cgroup rw,memory\n"
    "36 31 0:33 / @T@/hy/devices rw,relatime - cgroup cgroup rw,devices\n"
    "37 31 0:34 / @T@/hy/freezer rw,relatime - cgroup cgroup rw,freezer\n"
    "38 31 0:35 / @T@/hy/blkio rw,relatime - cgroup cgroup rw,blkio\n"
    "39 31 0:36 / @T@/hy/pids rw,relatime - cgroup cgroup rw,pids\n"
    "40 31 0:37 / @T@/hy/systemd rw,relatime - cgroup cgroup rw,name=systemd\n"
    "41 31 0:38 / @T@/hy/unified rw,relatime - cgroup2 cgroup2 rw\n";

static const char mi_v2[] = "23 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw\n"
			    "29 23 0:26 / @T@/v2 rw,nosuid,nodev,noexec,relatime shared:4 - "
			    "cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n";

static const char mi_v2_nocpuset[] =
    "29 23 0:26 / @T@/v2b rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 "
    "rw,nsdelegate\n"
    "30 23 0:27 / @T@/v2 rw,nosuid,nodev,noexec,relatime shared:5 - cgroup2 cgroup2 rw\n";

/* a container's view: mount roots below the hierarchy roots, an escaped
 * space in a mount point, a second mount of memory (first one wins) */
static const char mi_nested[] =
    "40 30 0:30 /lxc/c1 @T@/with\\040space/memory rw,relatime - cgroup cgroup rw,memory\n"
    "41 30 0:30 / @T@/hy/memory rw,relatime - cgroup cgroup rw,memory\n"
    "42 30 0:31 /lxc/c1 @T@/hy/cpuset rw,relatime - cgroup cgroup rw,cpuset\n"
    "43 30 0:38 /lxc/c1 @T@/hy/unified rw,relatime - cgroup2 cgroup2 rw\n"
    "44 30 0:99 / @T@/does-not-exist rw,relatime - cgroup cgroup rw,blkio\n"
    "this line is garbage\n"
    "45 30 0:5 / /x rw - cgroup\n";

static void make_mount_dirs(void)
{
	static const char *const dirs[] = {
		"v1/cpu,cpuacct", "v1/memory",	"v1/cpuset",  "v1/blkio",	   "v1/devices",
		"v1/systemd",	  "hy/cpu",	"hy/cpuacct", "hy/cpuset",	   "hy/memory",
		"hy/devices",	  "hy/freezer", "hy/blkio",   "hy/pids",	   "hy/systemd",
		"hy/unified",	  "v2",		"v2b",	      "with space/memory",
	};

	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++)
		mkdir_p(dirs[i]);
	put("hy/unified/cgroup.controllers", "");
	put("v2/cgroup.controllers", "cpuset cpu io memory pids\n");
	put("v2b/cgroup.controllers", "cpu io memory pids\n");
}

static void test_layout_v1(void)
{
	struct cg_layout l;
	_cleanup_buf_ struct buf d = BUF_INIT(4096);

	is_int(layout_from(&l, mi_v1), 0, "v1 mountinfo parsed");
	ok(same_dir(l.fd[CG_MEMORY], "v1/memory"), "v1: memory hierarchy");
	ok(same_dir(l.fd[CG_CPU], "v1/cpu,cpuacct"), "v1: cpu in cpu,cpuacct");
	is_int(l.fd[CG_CPUACCT], l.fd[CG_CPU], "v1: cpuacct shares cpu's fd (comounted)");
	ok(same_dir(l.fd[CG_CPUSET], "v1/cpuset"), "v1: cpuset hierarchy");
	ok(same_dir(l.fd[CG_BLKIO], "v1/blkio"), "v1: blkio hierarchy");
	is_int(l.fd[CG_UNIFIED], -1, "v1: no unified hierarchy");
	ok(!l.v2[CG_MEMORY] && !l.v2[CG_CPU] && !l.v2[CG_CPUACCT] && !l.v2[CG_CPUSET] &&
	       !l.v2[CG_BLKIO],
	   "v1: nothing is v2");
	is_str(l.root[CG_MEMORY], "/", "v1: mount root /");
	cg_layout_describe(&l, &d);
	is_str(buf_cstr(&d), "memory=v1 cpu=v1 cpuacct=v1 cpuset=v1 blkio=v1 unified=absent",
	       "v1: description");
	fixture_layout_close(&l);
	is_int(l.fd[CG_CPU], -1, "closed layout has no fds");
}

static void test_layout_hybrid(void)
{
	struct cg_layout l;

	is_int(layout_from(&l, mi_hybrid), 0, "hybrid mountinfo parsed");
	ok(same_dir(l.fd[CG_CPU], "hy/cpu"), "hybrid: cpu on its own mount");
	ok(same_dir(l.fd[CG_CPUACCT], "hy/cpuacct"), "hybrid: cpuacct on its own mount");
	ok(l.fd[CG_CPU] != l.fd[CG_CPUACCT], "hybrid: cpu and cpuacct have separate fds");
	ok(same_dir(l.fd[CG_MEMORY], "hy/memory") && !l.v2[CG_MEMORY], "hybrid: memory is v1");
	ok(same_dir(l.fd[CG_CPUSET], "hy/cpuset") && !l.v2[CG_CPUSET], "hybrid: cpuset is v1");
	ok(same_dir(l.fd[CG_BLKIO], "hy/blkio") && !l.v2[CG_BLKIO], "hybrid: blkio is v1");
	ok(same_dir(l.fd[CG_UNIFIED], "hy/unified") && l.v2[CG_UNIFIED],
	   "hybrid: the empty cgroup2 is the unified tree");
	ok(!l.v2[CG_CPU] && !l.v2[CG_CPUACCT], "hybrid: cpu and cpuacct stay v1");
	fixture_layout_close(&l);
}

static void test_layout_v2(void)
{
	struct cg_layout l;

	is_int(layout_from(&l, mi_v2), 0, "v2 mountinfo parsed");
	for (int c = 0; c < CG_NCTL; c++)
		ok(same_dir(l.fd[c], "v2") && l.v2[c] && strcmp(l.root[c], "/") == 0,
		   "v2: %s served by the unified tree", cg_ctl_name((enum cg_ctl)c));
	fixture_layout_close(&l);

	is_int(layout_from(&l, mi_v2_nocpuset), 0, "v2 without cpuset parsed");
	ok(same_dir(l.fd[CG_MEMORY], "v2b"), "v2: the first cgroup2 mount is used");
	is_int(l.fd[CG_CPUSET], -1, "v2: cpuset absent when not in cgroup.controllers");
	ok(l.fd[CG_CPU] >= 0 && l.fd[CG_BLKIO] >= 0 && l.fd[CG_CPUACCT] >= 0,
	   "v2: cpu, io and cpuacct (cpu.stat) present");
	fixture_layout_close(&l);
}

static void test_layout_nested(void)
{
	struct cg_layout l;

	is_int(layout_from(&l, mi_nested), 0, "mountinfo with garbage lines parsed");
	ok(same_dir(l.fd[CG_MEMORY], "with space/memory"), "\\040 in a mount point unescaped");
	is_str(l.root[CG_MEMORY], "/lxc/c1", "mount root kept for memory");
	is_str(l.root[CG_CPUSET], "/lxc/c1", "mount root kept for cpuset");
	is_int(l.fd[CG_BLKIO], -1, "an unopenable mount point leaves the controller absent");
	ok(same_dir(l.fd[CG_UNIFIED], "hy/unified") && l.v2[CG_CPUACCT] &&
	       l.fd[CG_CPUACCT] == l.fd[CG_UNIFIED],
	   "cpuacct falls back to the unified tree (cpu.stat)");
	is_str(l.root[CG_UNIFIED], "/lxc/c1", "mount root kept for the unified tree");
	is_int(l.fd[CG_CPU], -1, "cpu absent: not in the empty cgroup.controllers");
	fixture_layout_close(&l);
}

/* ---- /proc/PID/cgroup ---- */

static void test_paths_v1(void)
{
	struct cg_layout l;
	struct cg_paths p;

	layout_from(&l, mi_v1);
	is_int(parse(&l,
		     "9:name=systemd:/lxc/c1\n8:devices:/lxc/c1\n7:blkio:/lxc/b\n"
		     "4:memory:/lxc/c1\n3:cpuset:/lxc/s\n2:cpu,cpuacct:/lxc/c1\n0::/lxc/c1\n",
		     &p),
	       0, "v1 /proc/PID/cgroup parsed");
	is_str(p.path[CG_MEMORY], "/lxc/c1", "v1: memory path");
	is_str(p.path[CG_CPU], "/lxc/c1", "v1: cpu path from cpu,cpuacct");
	is_str(p.path[CG_CPUACCT], "/lxc/c1", "v1: cpuacct path from cpu,cpuacct");
	is_str(p.path[CG_CPUSET], "/lxc/s", "v1: cpuset path");
	is_str(p.path[CG_BLKIO], "/lxc/b", "v1: blkio path");
	ok(p.path[CG_UNIFIED] == NULL, "v1: 0:: line ignored without a unified tree");
	cg_paths_free(&p);
	ok(p.path[CG_MEMORY] == NULL, "cg_paths_free clears");

	is_int(parse(&l, "4:memory:/a b:c\td\\e/ünï/😀\n2:cpu,cpuacct:/x:y", &p), 0,
	       "spaces, colons, tabs, backslashes, unicode; no final newline");
	is_str(p.path[CG_MEMORY], "/a b:c\td\\e/ünï/😀", "odd characters kept exactly");
	is_str(p.path[CG_CPU], "/x:y", "last line without newline");
	ok(p.path[CG_CPUSET] == NULL, "controller without a line: NULL");
	cg_paths_free(&p);

	is_int(parse(&l, "", &p), 0, "empty text parsed");
	ok(p.path[CG_MEMORY] == NULL && p.path[CG_CPU] == NULL, "empty text: no paths");

	/* a container names its cgroup "x\n4:memory:/evil" */
	is_int(parse(&l, "4:memory:/lxc/x\n4:memory:/evil\n2:cpu,cpuacct:/lxc/c1\n", &p), -EIO,
	       "forged duplicate hierarchy line: -EIO");
	ok(p.path[CG_MEMORY] == NULL && p.path[CG_CPU] == NULL, "nothing left after -EIO");
	is_int(parse(&l, "4:memory:/lxc/x\n11:memory:/evil\n", &p), -EIO,
	       "forged line with a new id for a known controller: -EIO");
	is_int(parse(&l, "3:cpuset:/x\n3:cpuset:/evil\n", &p), -EIO, "forged cpuset line: -EIO");
	fixture_layout_close(&l);
}

static void test_paths_malformed(void)
{
	static const char *const bad[] = {
		"garbage\n",	    "4:memory\n",
		":memory:/x\n",	    "x:memory:/x\n",
		"4x:memory:/x\n",   "-1:memory:/x\n",
		"4096:memory:/x\n", "4:memory:relative\n",
		"4:memory:\n",	    "4:memory:/a\n\n2:cpu,cpuacct:/a\n",
		" 4:memory:/x\n",
	};
	struct cg_layout l;
	struct cg_paths p;

	layout_from(&l, mi_v1);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		is_int(parse(&l, bad[i], &p), -EIO, "malformed line %zu -> -EIO", i);
		cg_paths_free(&p);
	}
	is_int(cg_paths_parse(&l, "4:memory:/a\0b\n", 14, &p), -EIO, "NUL in a path: -EIO");
	cg_paths_free(&p);
	fixture_layout_close(&l);
}

static void test_paths_hybrid_v2(void)
{
	struct cg_layout l;
	struct cg_paths p;

	layout_from(&l, mi_hybrid);
	is_int(parse(&l,
		     "10:name=systemd:/s\n9:pids:/p\n4:memory:/m\n3:cpuset:/cs\n2:cpuacct:/ca\n"
		     "1:cpu:/c\n7:blkio:/b\n0::/u\n",
		     &p),
	       0, "hybrid /proc/PID/cgroup parsed");
	ok(strcmp(str_or_null(p.path[CG_CPU]), "/c") == 0 &&
	       strcmp(str_or_null(p.path[CG_CPUACCT]), "/ca") == 0,
	   "hybrid: separate cpu and cpuacct paths");
	is_str(p.path[CG_UNIFIED], "/u", "hybrid: unified path from the 0:: line");
	is_str(p.path[CG_MEMORY], "/m", "hybrid: memory path");
	cg_paths_free(&p);
	fixture_layout_close(&l);

	layout_from(&l, mi_v2);
	is_int(parse(&l, "0::/lxc/c1\n", &p), 0, "v2 /proc/PID/cgroup parsed");
	for (int c = 0; c < CG_NCTL; c++)
		is_str(p.path[c], "/lxc/c1", "v2: %s path", cg_ctl_name((enum cg_ctl)c));
	cg_paths_free(&p);
	is_int(parse(&l, "0::/lxc/x\n0::/evil\n", &p), -EIO, "v2: forged second 0:: line: -EIO");
	is_int(parse(&l, "0::/lxc/x\n1:name=systemd:/y\n", &p), 0, "v2: named v1 line ignored");
	cg_paths_free(&p);
	fixture_layout_close(&l);
}

static void test_paths_mount_root(void)
{
	struct cg_layout l;
	struct cg_paths p;

	layout_from(&l, mi_nested);
	is_int(parse(&l, "4:memory:/lxc/c1/sub\n3:cpuset:/lxc/c1\n0::/lxc/c1/a/b\n", &p), 0,
	       "paths below a mount root parsed");
	is_str(p.path[CG_MEMORY], "/sub", "mount root stripped");
	is_str(p.path[CG_CPUSET], "/", "the mount root itself is /");
	is_str(p.path[CG_UNIFIED], "/a/b", "unified mount root stripped");
	cg_paths_free(&p);
	is_int(parse(&l, "4:memory:/lxc/c10\n", &p), -ENOENT,
	       "a sibling sharing the root's prefix is outside");
	is_int(parse(&l, "4:memory:/other\n", &p), -ENOENT, "a path outside the mount root");
	fixture_layout_close(&l);
}

/* ---- walking beneath a hierarchy root ---- */

#define DEEP_LEVELS 40
#define DEEP_NAME   200

static void deep_name(char *out, int level)
{
	memset(out, 'd', DEEP_NAME);
	snprintf(out + DEEP_NAME - 3, 4, "%03d", level);
}

/* h/memory/<40 levels of 200-character names>, built with *at calls */
static char *make_deep_tree(void)
{
	char p[PATH_MAX], name[DEEP_NAME + 1];
	char *path = malloc(DEEP_LEVELS * (DEEP_NAME + 1) + 1), *w = path;
	int fd;

	tpath(p, "h/memory");
	fd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || !path)
		die("deep tree");
	for (int i = 0; i < DEEP_LEVELS; i++) {
		int nfd;

		deep_name(name, i);
		w += sprintf(w, "/%s", name);
		if (mkdirat(fd, name, 0755) < 0)
			die("mkdirat");
		nfd = openat(fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (nfd < 0)
			die("openat");
		close(fd);
		fd = nfd;
		if (i == 10)
			put_at(fd, "notify", "level 10\n");
		if (i == 20)
			put_at(fd, "memory.limit_in_bytes", "300000000\n");
	}
	put_at(fd, "memory.limit_in_bytes", "400000000\n");
	put_at(fd, "memory.stat", "total_cache 4096\n");
	close(fd);
	return path;
}

static void make_walk_tree(void)
{
	mkdir_p("h/memory/a/b/c");
	mkdir_p("h/memory/a/s");
	mkdir_p("h/memory/a/s2");
	mkdir_p("h/cpuset/a/b/c");
	put("h/memory/memory.limit_in_bytes", "9223372036854771712\n");
	put("h/memory/a/memory.limit_in_bytes", "536870912\n");
	put("h/memory/a/b/memory.limit_in_bytes", "1073741824\n");
	put("h/memory/a/b/memory.stat", "cache 8192\ntotal_cache 16384\n");
	put("h/memory/a/b/memory.max", "max\n");
	put("h/memory/a/b/memory.neg", "-1\n");
	put("h/memory/a/b/memory.bad", "abc\n");
	put("h/memory/a/b/c/notify", "\n");
	put("h/memory/small", "1\n");
	link_("../b/memory.stat", "h/memory/a/s/memory.stat");
	link_("../../small", "h/memory/a/s2/memory.limit_in_bytes");
	link_("b", "h/memory/a/link");
	link_("/etc", "h/memory/a/out");
	put("h/cpuset/cpuset.cpus", "0-3\n");
	put("h/cpuset/a/cpuset.cpus", "1-2\n");
	put("h/cpuset/a/b/cpuset.cpus", "\n");
}

static void test_walk(void)
{
	_cleanup_buf_ struct buf b = BUF_INIT(1 << 16);
	struct cg_layout l;
	uint64_t v = 0;
	int fd;

	make_walk_tree();
	is_int(layout_dir(&l, "h", O_PATH), 0, "layout from an O_PATH fixture dirfd");
	ok(same_dir(l.fd[CG_MEMORY], "h/memory") && same_dir(l.fd[CG_CPUSET], "h/cpuset"),
	   "layout from an O_PATH dirfd finds the hierarchies");
	fixture_layout_close(&l);
	is_int(layout_dir(&l, "h", O_RDONLY), 0, "layout from a fixture directory");
	ok(same_dir(l.fd[CG_MEMORY], "h/memory") && same_dir(l.fd[CG_CPUSET], "h/cpuset") &&
	       l.fd[CG_CPU] < 0 && l.fd[CG_UNIFIED] < 0 && !l.v2[CG_MEMORY],
	   "fixture layout: v1 memory and cpuset only");

	fd = cg_open_dir(&l, CG_MEMORY, "/a/b");
	ok(same_dir(fd, "h/memory/a/b"), "cg_open_dir /a/b");
	close(fd);
	fd = cg_open_dir(&l, CG_MEMORY, "//a///b/");
	ok(same_dir(fd, "h/memory/a/b"), "repeated and trailing slashes");
	close(fd);
	fd = cg_open_dir(&l, CG_MEMORY, "/");
	ok(same_dir(fd, "h/memory"), "the root cgroup");
	close(fd);
	is_int(cg_open_dir(&l, CG_MEMORY, "/a/nope"), -ENOENT, "missing cgroup: -ENOENT");
	is_int(cg_open_dir(&l, CG_MEMORY, "/a/memory.limit_in_bytes"), -ENOTDIR,
	       "a file as a component: -ENOTDIR");
	is_int(cg_open_dir(&l, CG_MEMORY, "/a/../a/b"), -EINVAL, "\"..\" refused");
	is_int(cg_open_dir(&l, CG_MEMORY, "/.."), -EINVAL, "\"/..\" refused");
	is_int(cg_open_dir(&l, CG_MEMORY, "/a/./b"), -EINVAL, "\".\" refused");
	is_int(cg_open_dir(&l, CG_MEMORY, "a/b"), -EINVAL, "relative path refused");
	is_int(cg_open_dir(&l, CG_MEMORY, ""), -EINVAL, "empty path refused");
	is_int(cg_open_dir(&l, CG_MEMORY, NULL), -ENOENT, "no path: -ENOENT");
	is_int(cg_open_dir(&l, CG_BLKIO, "/a"), -ENOENT, "absent controller: -ENOENT");
	is_int(cg_open_dir(&l, CG_MEMORY, "/a/link"), -ELOOP, "symlinked cgroup dir refused");
	is_int(cg_open_dir(&l, CG_MEMORY, "/a/link/c"), -ELOOP, "symlink inside a path refused");
	is_int(cg_open_dir(&l, CG_MEMORY, "/a/out"), -ELOOP, "symlink out of the tree refused");

	is_int(cg_read(&l, CG_MEMORY, "/a/b", "memory.stat", &b), 0, "cg_read");
	is_str(buf_cstr(&b), "cache 8192\ntotal_cache 16384\n", "cg_read content");
	buf_reset(&b);
	is_int(cg_read(&l, CG_MEMORY, "/a/s", "memory.stat", &b), -ELOOP,
	       "symlinked file in a cgroup refused");
	is_int(cg_read(&l, CG_MEMORY, "/a/b", "../memory.limit_in_bytes", &b), -EXDEV,
	       "file name escaping the cgroup refused");
	is_int(cg_read_u64(&l, CG_MEMORY, "/a", "memory.limit_in_bytes", &v), 0, "cg_read_u64");
	ok(v == 536870912, "cg_read_u64 value");
	cg_read_u64(&l, CG_MEMORY, "/a/b", "memory.max", &v);
	ok(v == CG_UNLIMITED, "\"max\" is unlimited");
	v = 0;
	cg_read_u64(&l, CG_MEMORY, "/a/b", "memory.neg", &v);
	ok(v == CG_UNLIMITED, "-1 is unlimited");
	is_int(cg_read_u64(&l, CG_MEMORY, "/a/b", "memory.bad", &v), -EINVAL, "garbage: -EINVAL");
	is_int(cg_read_u64(&l, CG_MEMORY, "/a/b", "nope", &v), -ENOENT, "missing file: -ENOENT");

	is_int(cg_min_over_ancestors(&l, CG_MEMORY, "/a/b/c", "memory.limit_in_bytes", &v), 0,
	       "min over ancestors");
	ok(v == 536870912, "min over ancestors: the ancestor's smaller limit");
	cg_min_over_ancestors(&l, CG_MEMORY, "/", "memory.limit_in_bytes", &v);
	ok(v == 9223372036854771712ull, "min over ancestors of the root: its own value");
	cg_min_over_ancestors(&l, CG_MEMORY, "/a/b", "memory.none", &v);
	ok(v == CG_UNLIMITED, "no level has the file: unlimited");
	cg_min_over_ancestors(&l, CG_MEMORY, "/a/s2", "memory.limit_in_bytes", &v);
	ok(v == 536870912, "a symlinked limit file is not followed");
	is_int(cg_min_over_ancestors(&l, CG_MEMORY, "/a/nope/x", "memory.limit_in_bytes", &v),
	       -ENOENT, "min over a missing cgroup: -ENOENT");
	is_int(cg_min_over_ancestors(&l, CG_MEMORY, "/a/link", "memory.limit_in_bytes", &v), -ELOOP,
	       "min through a symlinked dir: -ELOOP");

	buf_reset(&b);
	buf_puts(&b, "prefix:");
	is_int(cg_read_nearest(&l, CG_CPUSET, "/a/b/c", "cpuset.cpus", &b), 0,
	       "nearest: empty and missing files skipped");
	is_str(buf_cstr(&b), "prefix:1-2\n", "nearest: the parent's list, appended");
	buf_reset(&b);
	cg_read_nearest(&l, CG_CPUSET, "/", "cpuset.cpus", &b);
	is_str(buf_cstr(&b), "0-3\n", "nearest of the root");
	buf_reset(&b);
	is_int(cg_read_nearest(&l, CG_MEMORY, "/a/b/c", "notify", &b), -ENOENT,
	       "nearest: only empty files -> -ENOENT");
	is_int(b.len, 0, "nearest: nothing appended on -ENOENT");
	is_int(cg_read_nearest(&l, CG_CPUSET, "/a/nope", "cpuset.cpus", &b), -ENOENT,
	       "nearest on a missing cgroup: -ENOENT");
	fixture_layout_close(&l);
}

static void test_deep(void)
{
	_cleanup_buf_ struct buf b = BUF_INIT(1 << 16);
	_cleanup_free_ char *path = make_deep_tree();
	char longname[PATH_MAX];
	struct cg_layout l;
	uint64_t v = 0;
	int fd;

	ok(strlen(path) > PATH_MAX, "deep path is %zu bytes, more than PATH_MAX", strlen(path));
	layout_dir(&l, "h", O_RDONLY);
	fd = cg_open_dir(&l, CG_MEMORY, path);
	ok(fd >= 0, "deep cgroup opened one component at a time");
	if (fd >= 0)
		close(fd);
	is_int(cg_read(&l, CG_MEMORY, path, "memory.stat", &b), 0, "deep cg_read");
	is_str(buf_cstr(&b), "total_cache 4096\n", "deep cg_read content");
	is_int(cg_min_over_ancestors(&l, CG_MEMORY, path, "memory.limit_in_bytes", &v), 0,
	       "deep min over ancestors");
	ok(v == 300000000, "deep min: level 20's limit (got %llu)", (unsigned long long)v);
	buf_reset(&b);
	is_int(cg_read_nearest(&l, CG_MEMORY, path, "notify", &b), 0, "deep nearest");
	is_str(buf_cstr(&b), "level 10\n", "deep nearest finds level 10");
	memset(longname, 'x', NAME_MAX + 2); /* "/" and 256 x */
	longname[0] = '/';
	longname[NAME_MAX + 2] = '\0';
	is_int(cg_open_dir(&l, CG_MEMORY, longname), -ENAMETOOLONG,
	       "a component over NAME_MAX: -ENAMETOOLONG");
	fixture_layout_close(&l);
}

static void test_cfs_kv(void)
{
	struct cg_layout l;
	uint64_t n = 0;

	mkdir_p("q/cpu/a/b");
	mkdir_p("q/cpu/u");
	put("q/cpu/cpu.cfs_quota_us", "-1\n");
	put("q/cpu/cpu.cfs_period_us", "100000\n");
	put("q/cpu/a/cpu.cfs_quota_us", "250000\n");
	put("q/cpu/a/cpu.cfs_period_us", "100000\n");
	put("q/cpu/a/b/cpu.cfs_quota_us", "150000\n");
	put("q/cpu/a/b/cpu.cfs_period_us", "100000\n");
	put("q/cpu/u/cpu.cfs_quota_us", "-1\n");
	put("q/cpu/u/cpu.cfs_period_us", "100000\n");
	mkdir_p("w/unified/a/b");
	put("w/unified/cgroup.controllers", "cpu memory\n");
	put("w/unified/a/cpu.max", "max 100000\n");
	put("w/unified/a/b/cpu.max", "50000 100000\n");

	layout_dir(&l, "q", O_RDONLY);
	is_int(cg_cfs_cpus(&l, "/a/b", &n), 0, "v1 cfs");
	is_int(n, 2, "v1: 150000/100000 -> 2 CPUs (the smallest over the hierarchy)");
	cg_cfs_cpus(&l, "/a", &n);
	is_int(n, 3, "v1: 250000/100000 -> 3 CPUs");
	cg_cfs_cpus(&l, "/u", &n);
	ok(n == UINT64_MAX, "v1: no quota -> UINT64_MAX");
	fixture_layout_close(&l);

	layout_dir(&l, "w", O_RDONLY);
	ok(l.v2[CG_CPU], "v2 fixture: cpu on the unified tree");
	cg_cfs_cpus(&l, "/a/b", &n);
	is_int(n, 1, "v2: cpu.max 50000 100000 -> 1 CPU");
	cg_cfs_cpus(&l, "/a", &n);
	ok(n == UINT64_MAX, "v2: cpu.max max -> UINT64_MAX");
	fixture_layout_close(&l);

	is_int(cg_kv_get("usage_usec 123\nuser_usec 100\n", "usage_usec", &n), 0, "kv: first key");
	is_int(n, 123, "kv: value");
	cg_kv_get("usage_usec 123\nuser_usec 100\n", "user_usec", &n);
	is_int(n, 100, "kv: second key");
	is_int(cg_kv_get("usage_usec 123\n", "usage", &n), -ENOENT, "kv: a prefix is no key");
	is_int(cg_kv_get("usage_usec 123\n", "usec", &n), -ENOENT, "kv: a suffix is no key");
	is_int(cg_kv_get("bad x\n", "bad", &n), -EINVAL, "kv: no number: -EINVAL");
}

/* ---- bounded reads beneath a directory ---- */

static void test_fsio(void)
{
	char big[5000];
	struct buf b;
	int fd;

	mkdir_p("r");
	memset(big, 'x', sizeof(big));
	big[sizeof(big) - 1] = '\0';
	put("r/small", "0123456789012345678901234567890123456789\n");
	put("r/big", big);
	big[4096] = '\0';
	put("r/exact", big);
	fd = open(tmp, O_PATH | O_DIRECTORY | O_CLOEXEC);

	b = BUF_INIT(256);
	is_int(fs_read_beneath(fd, "r/small", &b), 0, "41-byte file into a 256-byte buffer");
	is_int(b.len, 41, "41 bytes read");
	buf_free(&b);
	b = BUF_INIT(4096);
	is_int(fs_read_beneath(fd, "r/exact", &b), 0, "4096-byte file into a 4096-byte buffer");
	is_int(b.len, 4096, "4096 bytes read");
	buf_free(&b);
	b = BUF_INIT(4096);
	is_int(fs_read_beneath(fd, "r/big", &b), -ENOBUFS, "4999-byte file, 4096-byte bound");
	ok(b.len <= 4096, "never more than the bound in the buffer (%zu)", b.len);
	buf_free(&b);
	b = BUF_INIT(4096);
	is_int(fs_read_beneath(fd, "/etc/passwd", &b), -EXDEV, "absolute path refused");
	is_int(fs_read_beneath(fd, "r/../../etc/passwd", &b), -EXDEV, "escape by .. refused");
	buf_free(&b);
	close(fd);
}

/* ---- CPU lists ---- */

static const char *fmt(const struct cpuset *s, struct buf *b)
{
	buf_reset(b);
	cpuset_format(s, b);
	return buf_cstr(b);
}

static void test_cpuset(void)
{
	static const char *const bad[] = { "a",
					   "1-",
					   "3-1",
					   "1,,2",
					   "-1",
					   "1 2",
					   "0-3x",
					   "1;2",
					   "8192",
					   "8190-8192",
					   "99999999999999999999" };
	_cleanup_buf_ struct buf b = BUF_INIT(1 << 16);
	struct cpuset s, t;

	is_int(cpuset_parse(&s, "0"), 0, "parse \"0\"");
	ok(cpuset_count(&s) == 1 && cpuset_has(&s, 0), "\"0\" is CPU 0");
	is_str(fmt(&s, &b), "0", "format \"0\"");
	is_int(cpuset_parse(&s, "0-3,8,10-11"), 0, "parse \"0-3,8,10-11\"");
	is_int(cpuset_count(&s), 7, "7 CPUs");
	ok(cpuset_has(&s, 3) && !cpuset_has(&s, 4) && cpuset_has(&s, 8) && !cpuset_has(&s, 9),
	   "members of 0-3,8,10-11");
	is_str(fmt(&s, &b), "0-3,8,10-11", "format round trip");
	is_int(cpuset_parse(&s, "0-3\n"), 0, "trailing newline accepted");
	is_str(fmt(&s, &b), "0-3", "format without newline");
	is_int(cpuset_parse(&s, ""), 0, "parse \"\"");
	is_int(cpuset_count(&s), 0, "\"\" is empty");
	is_str(fmt(&s, &b), "", "format of the empty set");
	is_int(cpuset_parse(&s, "\n"), 0, "parse a lone newline");
	is_int(cpuset_count(&s), 0, "a lone newline is empty");
	is_int(cpuset_parse(&s, "1,3"), 0, "parse \"1,3\"");
	is_str(fmt(&s, &b), "1,3", "format \"1,3\"");
	is_int(cpuset_parse(&s, "4,5"), 0, "parse \"4,5\"");
	is_str(fmt(&s, &b), "4-5", "two neighbours print as a range, as the kernel does");
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		is_int(cpuset_parse(&s, bad[i]), -EINVAL, "garbage \"%s\" -> -EINVAL", bad[i]);
	is_int(cpuset_parse(&s, "8191"), 0, "CPU 8191 accepted");
	ok(cpuset_has(&s, 8191) && cpuset_count(&s) == 1, "CPU 8191 set");
	is_str(fmt(&s, &b), "8191", "format 8191");
	is_int(cpuset_parse(&s, "0-8191"), 0, "the full range");
	is_int(cpuset_count(&s), 8192, "8192 CPUs");
	is_str(fmt(&s, &b), "0-8191", "format of the full range");
	cpuset_set(&s, 9000);
	is_int(cpuset_count(&s), 8192, "setting a CPU past the bound is ignored");
	ok(!cpuset_has(&s, 9000), "has() past the bound is false");

	cpuset_parse(&s, "0-3");
	cpuset_parse(&t, "2-5");
	cpuset_and(&s, &t);
	is_str(fmt(&s, &b), "2-3", "intersection");

	cpuset_parse(&s, "0-3,8,10-11");
	cpuset_limit(&s, 5);
	is_str(fmt(&s, &b), "0-3,8", "limit to the first 5");
	cpuset_parse(&s, "1,3");
	cpuset_limit(&s, 1);
	is_str(fmt(&s, &b), "1", "limit 1,3 to 1 CPU");
	cpuset_parse(&s, "0-3,8,10-11");
	cpuset_limit(&s, 100);
	is_str(fmt(&s, &b), "0-3,8,10-11", "a limit above the count changes nothing");
	cpuset_limit(&s, 0);
	is_str(fmt(&s, &b), "", "limit 0 empties the set");
}

int main(void)
{
	int fd;

	snprintf(tmp, sizeof(tmp), "/tmp/lxcfs-test-cgroup-XXXXXX");
	if (!mkdtemp(tmp))
		die("mkdtemp");
	make_mount_dirs();
	test_layout_v1();
	test_layout_hybrid();
	test_layout_v2();
	test_layout_nested();
	test_paths_v1();
	test_paths_malformed();
	test_paths_hybrid_v2();
	test_paths_mount_root();
	test_walk();
	test_deep();
	test_cfs_kv();
	test_fsio();
	test_cpuset();
	fd = open("/tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	rm_rf_at(fd, tmp + strlen("/tmp/"));
	close(fd);
	return done_testing();
}
