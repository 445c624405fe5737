// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * TAP tests of the collector's request table, dispatch() in
 * collector/dispatch.c, and of the header check in front of it
 * (proto_check_hdr() in the collector's mode).  Every protocol violation
 * doc/PROTOCOL.md lists (sections 2, 3 and 7) must come back as -EPROTO with
 * the violation flag set (serve() then drops the channel); every semantic
 * failure (section 4.1) as its status with the flag clear and no data; and
 * legitimate requests get their answer.
 *
 * The host is a temporary copy of the v1 fixture (tests/unit/fixtures/v1)
 * to which the test adds cpuN directories and other host entries under
 * sys/devices/system/cpu (the fixture holds only the four CPU lists), and
 * the test process itself under proc/:
 *   proc/<pid>/ns/pid  a symlink to the real /proc/<pid>/ns/pid, so the
 *                      resolver finds the reader in the collector's own pid
 *                      namespace (target.c's host_ns case) as on a live host;
 *   proc/<pid>/cgroup  written by the test: the fixture cgroups the reader
 *                      is in (usually c1's: cpuset 1,3 and 256 MiB).
 * One struct host serves the resolver and the renderers, as in
 * collector/main.c, so every byte the collector reads comes from the copy
 * except the namespace inode, which only the kernel can give.  (The real
 * /proc would do for the resolver, but the reader's cgroups would then be
 * the test's real ones, which the fixture's cgroup tree does not have.)
 *
 * The fixtures are found in $LXCFS_FIXTURES, else <argv[1]>/tests/unit/
 * fixtures (argv[1] being the source directory), else tests/unit/fixtures.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "cleanup.h"
#include "dispatch.h"
#include "io.h"
#include "proto.h"
#include "target.h"
#include "tap.h"
#include "fixture.h"
#include "hostnode.h"

#define ALIAS(id) ((UINT64_C(1) << 32) | (id))		  /* low 32 bits name a table id */
#define NO_NODE	  (VFILE_HOSTNODE_BIT | UINT64_C(0x1234)) /* no path hashes to it */

static int tmp_fd = -1; /* the root of the copy (fixture.h's tmp) */
static struct collector C;
static uint32_t me; /* the reader: this process */
static uint64_t next_id;
/* The hostdirs test_restart() swaps out.  There is no free function: they
 * stay reachable from here until exit (volatile: the stores are kept
 * although nothing reads them, so valgrind does not call them lost). */
static struct hostdir *volatile old_hd[2];

/* ---- the host ---- */

static void put_cpu(const char *rel, const char *text)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "sys/devices/system/cpu/%s", rel);
	testfs_put(tmp_fd, p, text);
}

static void mkdir_cpu(const char *rel)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "sys/devices/system/cpu/%s", rel);
	testfs_mkdirs(tmp_fd, p);
}

/* What a host's /sys/devices/system/cpu has besides the four lists. */
static void make_cpu_tree(void)
{
	char p[64], v[16];

	for (int n = 0; n < 4; n++) {
		snprintf(p, sizeof(p), "cpu%d/topology", n);
		mkdir_cpu(p);
		snprintf(p, sizeof(p), "cpu%d/topology/core_id", n);
		snprintf(v, sizeof(v), "%d\n", n);
		put_cpu(p, v);
		if (n) {
			snprintf(p, sizeof(p), "cpu%d/online", n);
			put_cpu(p, "1\n");
		}
	}
	mkdir_cpu("cpu1/cpufreq");
	put_cpu("cpu1/cpufreq/scaling_cur_freq", "2400000\n");
	put_cpu("cpu1/cpufreq/cpuinfo_cur_freq", "2400000\n");
	if (fchmodat(tmp_fd, "sys/devices/system/cpu/cpu1/cpufreq/cpuinfo_cur_freq", 0400, 0) < 0)
		die("chmod");
	if (symlinkat("../../../../bus/cpu", tmp_fd, "sys/devices/system/cpu/cpu1/subsystem") < 0)
		die("symlink");
	mkdir_cpu("cpufreq");
	put_cpu("cpufreq/boost", "1\n");
	mkdir_cpu("cpuidle");
	put_cpu("cpuidle/current_driver", "none\n");
	mkdir_cpu("smt");
	put_cpu("smt/active", "0\n");
	put_cpu("isolated", "\n");
	put_cpu("kernel_max", "8191\n");
	put_cpu("uevent", "");
}

/* The reader's proc/<pid>/cgroup in the copy. */
static void reader_cgroup_text(const char *text)
{
	char p[64];

	snprintf(p, sizeof(p), "proc/%u/cgroup", me);
	testfs_put(tmp_fd, p, text);
}

/* The reader in the cgroups of fixture pid (its proc/<pid>/cgroup). */
static void reader_like(int pid)
{
	_cleanup_buf_ struct buf b = BUF_INIT(1 << 16);
	char p[64];
	int fd;

	snprintf(p, sizeof(p), "proc/%d/cgroup", pid);
	fd = openat(tmp_fd, p, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || read_all(fd, &b) < 0 || !buf_cstr(&b))
		die(p);
	close(fd);
	reader_cgroup_text(b.data);
}

static void make_host(void)
{
	char p[PATH_MAX], link[64];

	copy_fixture("v1");
	tmp_fd = open_dir(AT_FDCWD, tmp, O_RDONLY);
	make_cpu_tree();

	me = (uint32_t)getpid();
	snprintf(p, sizeof(p), "proc/%u/ns", me);
	testfs_mkdirs(tmp_fd, p);
	snprintf(p, sizeof(p), "proc/%u/ns/pid", me);
	snprintf(link, sizeof(link), "/proc/%u/ns/pid", me);
	if (symlinkat(link, tmp_fd, p) < 0)
		die(p);
	reader_like(100);

	host_open_at(&C.host, tmp_fd);
	C.rs = resolver_new(&C.host, PIDNS_CG_INIT);
	C.hd = hostdir_new(C.host.sys_cpu_fd);
	if (!C.rs || !C.hd)
		die("resolver_new/hostdir_new");
}

/* ---- asking ---- */

struct answer {
	int status;
	bool violation;
	struct buf out; /* the reply data */
};

/* dispatch() one request.  The payload is copied to a heap block of exactly
 * len bytes, so ASan and valgrind see any read past it.  violation starts
 * as preset: the caller passes the opposite of what it expects, so the
 * check proves dispatch() set it. */
static void ask_max(struct answer *a, uint16_t type, const void *payload, size_t len, size_t max,
		    bool preset)
{
	struct proto_hdr h = {
		.version = PROTO_VERSION, .type = type, .id = ++next_id, .len = (uint32_t)len
	};
	void *p = malloc(len ? len : 1);

	if (!p)
		die("malloc");
	memcpy(p, payload, len);
	a->out = BUF_INIT(max);
	a->violation = preset;
	a->status = dispatch(&C, &h, p, &a->out, &a->violation);
	free(p);
}

#define WHAT(what, fmt)                                                                            \
	do {                                                                                       \
		va_list ap;                                                                        \
		va_start(ap, fmt);                                                                 \
		vsnprintf(what, sizeof(what), fmt, ap);                                            \
		va_end(ap);                                                                        \
	} while (0)

/* A protocol violation: -EPROTO, the flag set, nothing answered. */
static void violation(uint16_t type, const void *p, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void violation(uint16_t type, const void *p, size_t len, const char *fmt, ...)
{
	struct answer a;
	char what[256];

	WHAT(what, fmt);
	ask_max(&a, type, p, len, PROTO_MAX_PAYLOAD, false);
	is_int(a.status, -EPROTO, "%s: -EPROTO", what);
	ok(a.violation && a.out.len == 0, "%s: a violation, nothing answered", what);
	buf_free(&a.out);
}

/* A semantic failure: status want, the channel kept, no data. */
static void refused(uint16_t type, const void *p, size_t len, int want, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void refused(uint16_t type, const void *p, size_t len, int want, const char *fmt, ...)
{
	struct answer a;
	char what[256];

	WHAT(what, fmt);
	ask_max(&a, type, p, len, PROTO_MAX_PAYLOAD, true);
	is_int(a.status, want, "%s: %s", what, strerror(-want));
	ok(!a.violation && a.out.len == 0, "%s: not a violation, no data", what);
	buf_free(&a.out);
}

/* A legitimate request: status 0, not a violation; the data in a->out
 * (the caller frees it). */
static void answered(struct answer *a, uint16_t type, const void *p, size_t len, const char *fmt,
		     ...) __attribute__((format(printf, 5, 6)));
static void answered(struct answer *a, uint16_t type, const void *p, size_t len, const char *fmt,
		     ...)
{
	char what[256];

	WHAT(what, fmt);
	ask_max(a, type, p, len, PROTO_MAX_PAYLOAD, true);
	is_int(a->status, 0, "%s: answered", what);
	ok(!a->violation, "%s: not a violation", what);
}

#define CALLER(p)                                                                                  \
	{                                                                                          \
		.pid = (p), .uid = 1000, .gid = 1000                                               \
	}
#define NODE(p, n) (&(struct proto_node_req){ .caller = CALLER(p), .node = (n) })
#define NODE_SIZE  sizeof(struct proto_node_req)
#define LOOK_SIZE  sizeof(struct proto_lookup_req)

static struct proto_lookup_req *lookup(uint32_t pid, uint64_t parent, const char *name)
{
	static struct proto_lookup_req r;

	memset(&r, 0, sizeof(r));
	r.caller = (struct proto_caller)CALLER(pid);
	r.parent = parent;
	snprintf(r.name, sizeof(r.name), "%s", name);
	return &r;
}

/* The reply text of a READ_VFILE that must succeed ("" when it did not). */
static char text[1 << 16];

static const char *read_vfile(uint32_t pid, uint64_t node, const char *what)
{
	struct answer a;

	answered(&a, PROTO_READ_VFILE, NODE(pid, node), NODE_SIZE, "READ_VFILE %s", what);
	snprintf(text, sizeof(text), "%s", a.status == 0 && buf_cstr(&a.out) ? a.out.data : "");
	buf_free(&a.out);
	return text;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A READ_DIR listing as "name name/ ..." (directories with a '/'), sorted;
 * each entry's node must be the documented number of dir/name. */
static const char *listing(const struct buf *out, const char *dir, bool *nodes_ok)
{
	char *names[64];
	size_t n = 0, off = 0;
	struct proto_dirent e;
	const char *name;
	int r;

	*nodes_ok = true;
	while (n < 64 && (r = proto_dirent_next(out->data, out->len, &off, &e, &name)) == 1) {
		char path[PATH_MAX];

		snprintf(path, sizeof(path), "%s%s%.*s", dir, dir[0] ? "/" : "", e.namelen, name);
		if (e.node != doc_hostnode(path) || (e.mode & 0222) ||
		    (!S_ISDIR(e.mode) && !S_ISREG(e.mode))) {
			diag("entry %s: node %#llx mode %o", path, (unsigned long long)e.node,
			     e.mode);
			*nodes_ok = false;
		}
		if (asprintf(&names[n++], "%.*s%s", e.namelen, name, S_ISDIR(e.mode) ? "/" : "") <
		    0)
			die("asprintf");
	}
	if (r != 0)
		*nodes_ok = false;
	qsort(names, n, sizeof(names[0]), cmp_str);
	text[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(text);

		snprintf(text + l, sizeof(text) - l, "%s%s", i ? " " : "", names[i]);
		free(names[i]);
	}
	return text;
}

static void check_dir(uint32_t pid, uint64_t node, const char *dir, const char *want,
		      const char *what)
{
	struct answer a;
	bool nodes_ok;

	answered(&a, PROTO_READ_DIR, NODE(pid, node), NODE_SIZE, "READ_DIR %s", what);
	is_str(listing(&a.out, dir, &nodes_ok), want, "READ_DIR %s: the entries", what);
	ok(nodes_ok, "READ_DIR %s: documented node numbers, no write bits", what);
	buf_free(&a.out);
}

static void check_attr(uint16_t type, const void *req, size_t len, const char *path, mode_t mode,
		       uint64_t size, const char *what)
{
	struct answer a;
	struct proto_attr at = { 0 };

	answered(&a, type, req, len, "%s", what);
	if (a.out.len == sizeof(at))
		memcpy(&at, a.out.data, sizeof(at));
	is_int(a.out.len, sizeof(at), "%s: one attr", what);
	ok(at.node == doc_hostnode(path), "%s: node of %s", what, path);
	is_int(at.mode, mode, "%s: mode %o", what, (unsigned)mode);
	is_int(at.size, size, "%s: size", what);
	buf_free(&a.out);
}

/* ---- the tests ---- */

static void test_header(void)
{
	static const struct {
		uint16_t type;
		uint32_t len;
	} good[] = {
		{ PROTO_READ_VFILE, 24 }, { PROTO_READ_DIR, 24 }, { PROTO_LOOKUP, 280 },
		{ PROTO_GETATTR, 24 },	  { PROTO_PSI_ARM, 48 },  { PROTO_PSI_DISARM, 24 },
	};
	static const uint32_t bad_len[] = { 0, 8, 16, 23, 25, 279, 281, 1u << 20, UINT32_MAX };
	static const uint16_t bad_type[] = { 0, 7, 0xff, PROTO_REPLY, PROTO_PSI_EVENT, 0xffff };
	static const uint32_t any_len[] = { 0, 8, 24, 280 };

	for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
		struct proto_hdr h = { .version = PROTO_VERSION,
				       .type = good[i].type,
				       .len = good[i].len };
		const char *t = proto_type_name(good[i].type);

		is_int(proto_check_hdr(&h, false), 0, "header: %s with %u bytes", t, h.len);
		h.flags = PROTO_F_RESENT;
		is_int(proto_check_hdr(&h, false), 0, "header: %s resent", t);
		h.flags = 2;
		is_int(proto_check_hdr(&h, false), -EPROTO, "header: %s with flag bit 1", t);
		h.flags = PROTO_F_RESENT | 0x80000000u;
		is_int(proto_check_hdr(&h, false), -EPROTO, "header: %s with flag bit 31", t);
		h.flags = 0;
		h.reserved = 1;
		is_int(proto_check_hdr(&h, false), -EPROTO, "header: %s, reserved 1", t);
		h.reserved = 0x80000000u;
		is_int(proto_check_hdr(&h, false), -EPROTO, "header: %s, reserved bit 31", t);
		h.reserved = 0;
		for (uint16_t v = 0; v <= 2; v += 2) {
			h.version = v;
			is_int(proto_check_hdr(&h, false), -EPROTO, "header: %s, version %u", t, v);
		}
		h.version = 0xffff;
		is_int(proto_check_hdr(&h, false), -EPROTO, "header: %s, version 0xffff", t);
		h.version = PROTO_VERSION;
		for (size_t j = 0; j < ARRAY_SIZE(bad_len); j++) {
			h.len = bad_len[j];
			is_int(proto_check_hdr(&h, false), -EPROTO, "header: %s with %u bytes", t,
			       h.len);
		}
		h.len = good[i].len == 24 ? 280 : 24;
		is_int(proto_check_hdr(&h, false), -EPROTO, "header: %s with the other size (%u)",
		       t, h.len);
	}
	for (size_t i = 0; i < ARRAY_SIZE(bad_type); i++) {
		for (size_t j = 0; j < ARRAY_SIZE(any_len); j++) {
			struct proto_hdr h = { .version = PROTO_VERSION,
					       .type = bad_type[i],
					       .len = any_len[j] };

			is_int(proto_check_hdr(&h, false), -EPROTO,
			       "header: type %#x (%s) with %u bytes is no request", bad_type[i],
			       proto_type_name(bad_type[i]), h.len);
		}
	}
}

static void test_sizes(void)
{
	static const uint16_t types[] = { PROTO_READ_VFILE, PROTO_READ_DIR, PROTO_LOOKUP,
					  PROTO_GETATTR };
	static const size_t lens[] = { 0, 8, 15, 16, 23, 25, 279, 281, 4096 };
	struct proto_lookup_req big = *lookup(me, VFILE_SYS_CPU, "cpu1");
	char buf[4096] = { 0 };

	/* otherwise valid requests; only the size is wrong */
	for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
		size_t exact = types[i] == PROTO_LOOKUP ? LOOK_SIZE : NODE_SIZE;
		const char *t = proto_type_name(types[i]);

		if (types[i] != PROTO_LOOKUP)
			memcpy(buf, NODE(me, VFILE_SYS_CPU_ONLINE), NODE_SIZE);
		else
			memcpy(buf, &big, LOOK_SIZE);
		for (size_t j = 0; j < ARRAY_SIZE(lens); j++)
			if (lens[j] != exact)
				violation(types[i], buf, lens[j], "%s with %zu bytes", t, lens[j]);
		violation(types[i], buf, exact == NODE_SIZE ? LOOK_SIZE : NODE_SIZE,
			  "%s with the other request's size", t);
	}
}

static void test_reserved(void)
{
	static const uint32_t bits[] = { 1, 0x100, 0x80000000u, UINT32_MAX };

	for (size_t i = 0; i < ARRAY_SIZE(bits); i++) {
		struct proto_node_req n = *NODE(me, VFILE_SYS_CPU_ONLINE);
		struct proto_lookup_req l = *lookup(me, VFILE_SYS_CPU, "cpu1");

		n.caller.reserved = l.caller.reserved = bits[i];
		violation(PROTO_READ_VFILE, &n, sizeof(n), "READ_VFILE, caller.reserved %#x",
			  bits[i]);
		n.node = VFILE_SYS_CPU;
		violation(PROTO_READ_DIR, &n, sizeof(n), "READ_DIR, caller.reserved %#x", bits[i]);
		n.node = doc_hostnode("cpu1");
		violation(PROTO_GETATTR, &n, sizeof(n), "GETATTR, caller.reserved %#x", bits[i]);
		violation(PROTO_LOOKUP, &l, sizeof(l), "LOOKUP, caller.reserved %#x", bits[i]);
	}
	/* checked before the caller: no pid makes it a mere -ESRCH */
	{
		struct proto_node_req n = *NODE(0, VFILE_PROC_MEMINFO);

		n.caller.reserved = 1;
		violation(PROTO_READ_VFILE, &n, sizeof(n), "READ_VFILE, pid 0 and caller.reserved");
	}
}

static void test_types(void)
{
	static const uint16_t types[] = {
		0, 7, 0xff, PROTO_REPLY, PROTO_PSI_EVENT, 0x8001, 0xffff
	};
	struct proto_lookup_req l = *lookup(me, VFILE_SYS_CPU, "cpu1");

	for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
		violation(types[i], NODE(me, VFILE_SYS_CPU_ONLINE), NODE_SIZE,
			  "type %#x with a node request", types[i]);
		violation(types[i], &l, sizeof(l), "type %#x with a lookup request", types[i]);
	}
	{
		struct proto_reply rep = { 0 };

		violation(PROTO_REPLY, &rep, sizeof(rep), "a reply (status 0, 8 bytes) as request");
		violation(PROTO_REPLY, "", 0, "an empty reply as request");
	}
}

static void test_names(void)
{
	static const char *const bad[] = { "a/b", "/", "cpu1/", "/cpu1",   "cpu1/topology",
					   "..",  ".", "",	"../cpu1", "./cpu1" };
	const uint64_t parents[] = { VFILE_SYS_CPU, doc_hostnode("cpu1"), NO_NODE, VFILE_PROC };
	struct proto_lookup_req r;

	for (size_t p = 0; p < ARRAY_SIZE(parents); p++) {
		for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
			violation(PROTO_LOOKUP, lookup(me, parents[p], bad[i]), LOOK_SIZE,
				  "LOOKUP \"%s\" in parent %#llx", bad[i],
				  (unsigned long long)parents[p]);
		r = *lookup(me, parents[p], "");
		memset(r.name, 'a', sizeof(r.name));
		violation(PROTO_LOOKUP, &r, sizeof(r), "LOOKUP, no NUL in 256 bytes, parent %#llx",
			  (unsigned long long)parents[p]);
		r = *lookup(me, parents[p], "cpu1");
		r.name[5] = 'x';
		violation(PROTO_LOOKUP, &r, sizeof(r),
			  "LOOKUP \"cpu1\\0x\": a byte after the NUL, parent %#llx",
			  (unsigned long long)parents[p]);
		r = *lookup(me, parents[p], "cpu1");
		r.name[PROTO_NAME_MAX - 1] = 1;
		violation(PROTO_LOOKUP, &r, sizeof(r),
			  "LOOKUP \"cpu1\": the field's last byte set, parent %#llx",
			  (unsigned long long)parents[p]);
		r = *lookup(me, parents[p], "");
		r.name[1] = 'x';
		violation(PROTO_LOOKUP, &r, sizeof(r), "LOOKUP \"\\0x\", parent %#llx",
			  (unsigned long long)parents[p]);
	}
	/* the name is checked before the caller: pid 0 does not turn it into -ESRCH */
	violation(PROTO_LOOKUP, lookup(0, VFILE_SYS_CPU, ".."), LOOK_SIZE, "LOOKUP \"..\", pid 0");

	/* names that are valid (one component), just not there */
	memset(&r, 0, sizeof(r));
	r = *lookup(me, VFILE_SYS_CPU, "");
	memset(r.name, 'a', PROTO_NAME_MAX - 1);
	refused(PROTO_LOOKUP, &r, sizeof(r), -ENOENT, "LOOKUP a 255-byte name");
	refused(PROTO_LOOKUP, lookup(me, VFILE_SYS_CPU, "..."), LOOK_SIZE, -ENOENT,
		"LOOKUP \"...\"");
	refused(PROTO_LOOKUP, lookup(me, VFILE_SYS_CPU, ".uevent"), LOOK_SIZE, -ENOENT,
		"LOOKUP \".uevent\"");
	refused(PROTO_LOOKUP, lookup(me, VFILE_SYS_CPU, "cpu1\n"), LOOK_SIZE, -ENOENT,
		"LOOKUP \"cpu1\\n\"");
	refused(PROTO_LOOKUP, lookup(me, VFILE_SYS_CPU, "\xff\xfe"), LOOK_SIZE, -ENOENT,
		"LOOKUP \"\\xff\\xfe\"");
}

/* Table ids, numbers past the table, and 64-bit numbers whose low bits
 * name a table entry: each checked at full width. */
static void test_table_nodes(void)
{
	static const uint64_t none[] = { 0,
					 VFILE_COUNT,
					 1000,
					 UINT32_MAX,
					 ALIAS(VFILE_PROC_SLABINFO),
					 ALIAS(VFILE_PROC_MEMINFO),
					 ALIAS(VFILE_SYS_CPU_OFFLINE),
					 UINT64_C(1) << 63 | VFILE_PROC_SLABINFO,
					 UINT64_MAX,
					 UINT64_C(3) << 62 };

	for (size_t i = 0; i < ARRAY_SIZE(none); i++) {
		unsigned long long n = (unsigned long long)none[i];

		refused(PROTO_READ_VFILE, NODE(me, none[i]), NODE_SIZE, -ENOENT,
			"READ_VFILE %#llx, not a node", n);
		refused(PROTO_GETATTR, NODE(me, none[i]), NODE_SIZE, -ENOENT,
			"GETATTR %#llx, not a node", n);
		refused(PROTO_READ_DIR, NODE(me, none[i]), NODE_SIZE, -ENOTDIR,
			"READ_DIR %#llx, not a node", n);
		refused(PROTO_LOOKUP, lookup(me, none[i], "cpu1"), LOOK_SIZE, -ENOENT,
			"LOOKUP in %#llx, not a node", n);
	}
	refused(PROTO_READ_DIR, NODE(me, ALIAS(VFILE_SYS_CPU)), NODE_SIZE, -ENOTDIR,
		"READ_DIR of the cpu directory's id + 2^32");
	refused(PROTO_LOOKUP, lookup(me, ALIAS(VFILE_SYS_CPU), "cpu1"), LOOK_SIZE, -ENOENT,
		"LOOKUP in the cpu directory's id + 2^32");
	for (uint32_t id = VFILE_ROOT; id < VFILE_COUNT; id++) {
		const struct vfile *v = vfile_get(id);

		refused(PROTO_GETATTR, NODE(me, id), NODE_SIZE, -ENOENT, "GETATTR table %s",
			v->path[0] ? v->path : "root");
		if (v->kind != VFILE_FILE)
			refused(PROTO_READ_VFILE, NODE(me, id), NODE_SIZE, -EISDIR,
				"READ_VFILE table directory %s", v->path[0] ? v->path : "root");
		if (id != VFILE_SYS_CPU) {
			refused(PROTO_READ_DIR, NODE(me, id), NODE_SIZE, -ENOTDIR,
				"READ_DIR table %s", v->path[0] ? v->path : "root");
			refused(PROTO_LOOKUP, lookup(me, id, "cpu1"), LOOK_SIZE, -ENOENT,
				"LOOKUP in table %s", v->path[0] ? v->path : "root");
		}
	}
}

static void test_callers(void)
{
	static const uint32_t gone[] = { 0, 100, 999999, 0x7fffffff, 0x80000000u, UINT32_MAX };

	for (size_t i = 0; i < ARRAY_SIZE(gone); i++) {
		uint32_t pid = gone[i];

		refused(PROTO_READ_VFILE, NODE(pid, VFILE_PROC_MEMINFO), NODE_SIZE, -ESRCH,
			"READ_VFILE meminfo for pid %u", pid);
		refused(PROTO_READ_VFILE, NODE(pid, doc_hostnode("kernel_max")), NODE_SIZE, -ESRCH,
			"READ_VFILE kernel_max for pid %u", pid);
		refused(PROTO_READ_DIR, NODE(pid, VFILE_SYS_CPU), NODE_SIZE, -ESRCH,
			"READ_DIR cpu for pid %u", pid);
		refused(PROTO_LOOKUP, lookup(pid, VFILE_SYS_CPU, "cpu1"), LOOK_SIZE, -ESRCH,
			"LOOKUP cpu1 for pid %u", pid);
		refused(PROTO_GETATTR, NODE(pid, doc_hostnode("cpu1")), NODE_SIZE, -ESRCH,
			"GETATTR cpu1 for pid %u", pid);
	}
	/* the kernel sends the pid; uid and gid are not read */
	{
		struct proto_node_req n = *NODE(me, VFILE_SYS_CPU_ONLINE);
		struct answer a;

		n.caller.uid = n.caller.gid = UINT32_MAX;
		answered(&a, PROTO_READ_VFILE, &n, sizeof(n), "READ_VFILE online, uid/gid -1");
		is_str(buf_cstr(&a.out), "1,3\n", "READ_VFILE online, uid/gid -1: c1's CPUs");
		buf_free(&a.out);
	}

	reader_cgroup_text("");
	refused(PROTO_READ_VFILE, NODE(me, VFILE_PROC_MEMINFO), NODE_SIZE, -ESRCH,
		"READ_VFILE meminfo, an empty proc/PID/cgroup (exiting task)");
	reader_cgroup_text("garbage\n");
	refused(PROTO_READ_VFILE, NODE(me, VFILE_PROC_MEMINFO), NODE_SIZE, -EIO,
		"READ_VFILE meminfo, a malformed proc/PID/cgroup");
	refused(PROTO_READ_DIR, NODE(me, VFILE_SYS_CPU), NODE_SIZE, -EIO,
		"READ_DIR cpu, a malformed proc/PID/cgroup");
	reader_cgroup_text("3:cpuset:/lxc/c1\n3:cpuset:/lxc/c2\n");
	refused(PROTO_READ_DIR, NODE(me, VFILE_SYS_CPU), NODE_SIZE, -EIO,
		"READ_DIR cpu, a hierarchy twice in proc/PID/cgroup");
	reader_like(700 /* in /lxc/missing */);
	refused(PROTO_READ_DIR, NODE(me, VFILE_SYS_CPU), NODE_SIZE, -ENOENT,
		"READ_DIR cpu, the reader's cpuset cgroup is gone");
	refused(PROTO_LOOKUP, lookup(me, VFILE_SYS_CPU, "cpu1"), LOOK_SIZE, -ENOENT,
		"LOOKUP cpu1, the reader's cpuset cgroup is gone");
	refused(PROTO_GETATTR, NODE(me, doc_hostnode("cpu1")), NODE_SIZE, -ENOENT,
		"GETATTR cpu1, the reader's cpuset cgroup is gone");
	reader_like(100);
}

/* The requests an intact front sends, for a reader in c1 (cpuset 1,3). */
static void test_answers(void)
{
	struct answer a;

	is_str(read_vfile(me, VFILE_PROC_SLABINFO, "slabinfo"),
	       "slabinfo - version: 2.1\n"
	       "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>"
	       " : tunables <limit> <batchcount> <sharedfactor>"
	       " : slabdata <active_slabs> <num_slabs> <sharedavail>\n",
	       "READ_VFILE slabinfo: the header, no caches");
	is_str(read_vfile(me, VFILE_SYS_CPU_OFFLINE, "offline"), "\n", "READ_VFILE offline");
	is_str(read_vfile(me, VFILE_SYS_CPU_ONLINE, "online"), "1,3\n", "READ_VFILE online: c1");
	like(read_vfile(me, VFILE_PROC_MEMINFO, "meminfo"), "MemTotal:         262144 kB\n",
	     "READ_VFILE meminfo: c1's 256 MiB");

	check_dir(me, VFILE_SYS_CPU, "",
		  "cpu1/ cpu3/ cpufreq/ cpuidle/ isolated kernel_max smt/ uevent",
		  "cpu for c1: no cpu0/cpu2, no table names");
	check_attr(PROTO_LOOKUP, lookup(me, VFILE_SYS_CPU, "cpu1"), LOOK_SIZE, "cpu1",
		   S_IFDIR | 0555, 0, "LOOKUP cpu1");
	check_attr(PROTO_LOOKUP, lookup(me, doc_hostnode("cpu1"), "topology"), LOOK_SIZE,
		   "cpu1/topology", S_IFDIR | 0555, 0, "LOOKUP cpu1/topology");
	check_attr(PROTO_LOOKUP, lookup(me, doc_hostnode("cpu1/topology"), "core_id"), LOOK_SIZE,
		   "cpu1/topology/core_id", S_IFREG | 0444, 2, "LOOKUP cpu1/topology/core_id");
	check_attr(PROTO_GETATTR, NODE(me, doc_hostnode("cpu1/topology/core_id")), NODE_SIZE,
		   "cpu1/topology/core_id", S_IFREG | 0444, 2, "GETATTR cpu1/topology/core_id");
	check_attr(PROTO_LOOKUP, lookup(me, VFILE_SYS_CPU, "kernel_max"), LOOK_SIZE, "kernel_max",
		   S_IFREG | 0444, 5, "LOOKUP kernel_max");
	is_str(read_vfile(me, doc_hostnode("cpu1/topology/core_id"), "cpu1/topology/core_id"),
	       "1\n", "READ_VFILE cpu1/topology/core_id: the host's");
	is_str(read_vfile(me, doc_hostnode("kernel_max"), "kernel_max"), "8191\n",
	       "READ_VFILE kernel_max: the host's");
	is_str(read_vfile(me, doc_hostnode("uevent"), "uevent"), "", "READ_VFILE uevent: empty");
	check_dir(me, doc_hostnode("cpu1"), "cpu1", "cpufreq/ online topology/",
		  "cpu1: no symlink");
	check_dir(me, doc_hostnode("cpu1/cpufreq"), "cpu1/cpufreq",
		  "cpuinfo_cur_freq scaling_cur_freq", "cpu1/cpufreq");
	is_str(read_vfile(me, doc_hostnode("cpu1/cpufreq/scaling_cur_freq"), "scaling_cur_freq"),
	       "2400000\n", "READ_VFILE a 0444 cpufreq file");

	/* a resent request is answered like the first */
	{
		struct proto_hdr h = { .version = PROTO_VERSION,
				       .type = PROTO_READ_VFILE,
				       .flags = PROTO_F_RESENT,
				       .id = 42,
				       .len = NODE_SIZE };
		struct proto_node_req *n = malloc(NODE_SIZE);

		if (!n)
			die("malloc");
		*n = *NODE(me, VFILE_SYS_CPU_OFFLINE);
		a.out = BUF_INIT(PROTO_MAX_PAYLOAD);
		a.violation = true;
		a.status = dispatch(&C, &h, n, &a.out, &a.violation);
		ok(a.status == 0 && !a.violation && a.out.len == 1,
		   "READ_VFILE with PROTO_F_RESENT");
		buf_free(&a.out);
		free(n);
	}

	/* another container, all four CPUs: the same directory lists them all */
	reader_like(1);
	check_dir(me, VFILE_SYS_CPU, "",
		  "cpu0/ cpu1/ cpu2/ cpu3/ cpufreq/ cpuidle/ isolated kernel_max smt/ uevent",
		  "cpu for the root cgroup");
	is_str(read_vfile(me, doc_hostnode("cpu0/topology/core_id"), "cpu0/topology/core_id"),
	       "0\n", "READ_VFILE cpu0/topology/core_id for the root cgroup");
	reader_like(100);
}

/* Host nodes that must not be served, for a reader in c1. */
static void test_host_refusals(void)
{
	static const char *const table_names[] = { "online", "offline", "possible", "present" };

	refused(PROTO_READ_VFILE, NODE(me, NO_NODE), NODE_SIZE, -ESTALE,
		"READ_VFILE a host node never handed out");
	refused(PROTO_GETATTR, NODE(me, NO_NODE), NODE_SIZE, -ESTALE,
		"GETATTR a host node never handed out");
	refused(PROTO_READ_DIR, NODE(me, NO_NODE), NODE_SIZE, -ESTALE,
		"READ_DIR a host node never handed out");
	refused(PROTO_LOOKUP, lookup(me, NO_NODE, "cpu1"), LOOK_SIZE, -ESTALE,
		"LOOKUP in a host node never handed out");
	refused(PROTO_READ_VFILE, NODE(me, doc_hostnode("cpu9/online")), NODE_SIZE, -ESTALE,
		"READ_VFILE the node of a path that does not exist");

	/* the CPUs c1 may not use, and everything below them */
	refused(PROTO_LOOKUP, lookup(me, VFILE_SYS_CPU, "cpu0"), LOOK_SIZE, -ENOENT,
		"LOOKUP cpu0 for c1");
	refused(PROTO_LOOKUP, lookup(me, VFILE_SYS_CPU, "cpu2"), LOOK_SIZE, -ENOENT,
		"LOOKUP cpu2 for c1");
	refused(PROTO_GETATTR, NODE(me, doc_hostnode("cpu0")), NODE_SIZE, -ENOENT,
		"GETATTR cpu0 for c1");
	refused(PROTO_GETATTR, NODE(me, doc_hostnode("cpu2/topology/core_id")), NODE_SIZE, -ENOENT,
		"GETATTR cpu2/topology/core_id for c1");
	refused(PROTO_READ_VFILE, NODE(me, doc_hostnode("cpu0/topology/core_id")), NODE_SIZE,
		-ENOENT, "READ_VFILE cpu0/topology/core_id for c1");
	refused(PROTO_READ_VFILE, NODE(me, doc_hostnode("cpu2/online")), NODE_SIZE, -ENOENT,
		"READ_VFILE cpu2/online for c1");

	/* the table's names are the table's, also as host nodes */
	for (size_t i = 0; i < ARRAY_SIZE(table_names); i++) {
		const char *n = table_names[i];

		refused(PROTO_LOOKUP, lookup(me, VFILE_SYS_CPU, n), LOOK_SIZE, -ENOENT,
			"LOOKUP %s in the cpu directory", n);
		refused(PROTO_READ_VFILE, NODE(me, doc_hostnode(n)), NODE_SIZE, -ENOENT,
			"READ_VFILE the host's %s as a host node", n);
		refused(PROTO_GETATTR, NODE(me, doc_hostnode(n)), NODE_SIZE, -ENOENT,
			"GETATTR the host's %s as a host node", n);
	}

	refused(PROTO_READ_VFILE, NODE(me, doc_hostnode("cpu1")), NODE_SIZE, -EISDIR,
		"READ_VFILE a host directory");
	refused(PROTO_READ_DIR, NODE(me, doc_hostnode("kernel_max")), NODE_SIZE, -ENOTDIR,
		"READ_DIR a host file");
	refused(PROTO_LOOKUP, lookup(me, doc_hostnode("kernel_max"), "x"), LOOK_SIZE, -ENOTDIR,
		"LOOKUP in a host file");
	refused(PROTO_READ_VFILE, NODE(me, doc_hostnode("cpu1/cpufreq/cpuinfo_cur_freq")),
		NODE_SIZE, -EACCES, "READ_VFILE a 0400 host file");
	check_attr(PROTO_GETATTR, NODE(me, doc_hostnode("cpu1/cpufreq/cpuinfo_cur_freq")),
		   NODE_SIZE, "cpu1/cpufreq/cpuinfo_cur_freq", S_IFREG | 0400, 8,
		   "GETATTR a 0400 host file (listed, not readable)");
	refused(PROTO_LOOKUP, lookup(me, doc_hostnode("cpu1"), "subsystem"), LOOK_SIZE, -ENOENT,
		"LOOKUP a symlink");
	refused(PROTO_READ_VFILE, NODE(me, doc_hostnode("cpu1/subsystem")), NODE_SIZE, -ESTALE,
		"READ_VFILE a symlink's node (never interned)");
}

/* A new collector (new hostdir, nothing interned) gets nodes of an old
 * one: it finds them with its one scan of the tree. */
static void test_restart(void)
{
	struct hostdir *prev = C.hd;

	old_hd[0] = prev;
	C.hd = hostdir_new(C.host.sys_cpu_fd);
	if (!C.hd)
		die("hostdir_new");
	is_str(read_vfile(me, doc_hostnode("cpu3/topology/core_id"), "after a restart"), "3\n",
	       "READ_VFILE a node the new collector never handed out, after a restart");
	check_attr(PROTO_GETATTR, NODE(me, doc_hostnode("cpu3/topology")), NODE_SIZE,
		   "cpu3/topology", S_IFDIR | 0555, 0, "GETATTR after a restart");
	refused(PROTO_GETATTR, NODE(me, NO_NODE), NODE_SIZE, -ESTALE,
		"GETATTR an unknown node after a restart");
	old_hd[1] = C.hd;
	C.hd = prev;
}

/* A renderer that fails is -EIO, whatever the node's high bits say. */
static void test_render_failure(void)
{
	if (renameat(tmp_fd, "proc/meminfo", tmp_fd, "proc/meminfo.away") < 0)
		die("rename");
	refused(PROTO_READ_VFILE, NODE(me, VFILE_PROC_MEMINFO), NODE_SIZE, -EIO,
		"READ_VFILE meminfo without the host's meminfo");
	refused(PROTO_READ_VFILE, NODE(me, ALIAS(VFILE_PROC_MEMINFO)), NODE_SIZE, -ENOENT,
		"READ_VFILE meminfo's id + 2^32 without the host's meminfo");
	refused(PROTO_READ_VFILE, NODE(me, UINT64_C(0x3fffffff00000000) | VFILE_PROC_MEMINFO),
		NODE_SIZE, -ENOENT, "READ_VFILE meminfo's id + 0x3fffffff00000000");
	if (renameat(tmp_fd, "proc/meminfo.away", tmp_fd, "proc/meminfo") < 0)
		die("rename");
}

/* Replies bounded by the buffer: an overflow is an error, never a cut. */
static void test_limits(void)
{
	struct answer a;

	ask_max(&a, PROTO_READ_VFILE, NODE(me, VFILE_PROC_SLABINFO), NODE_SIZE, 16, true);
	ok(a.status == -EIO && !a.violation && a.out.len <= 16,
	   "READ_VFILE slabinfo into 16 bytes: the renderer's overflow is -EIO");
	buf_free(&a.out);
	ask_max(&a, PROTO_READ_DIR, NODE(me, VFILE_SYS_CPU), NODE_SIZE, 40, true);
	ok(a.status == -ENOBUFS && !a.violation, "READ_DIR into 40 bytes: -ENOBUFS (got %d)",
	   a.status);
	buf_free(&a.out);
	ask_max(&a, PROTO_LOOKUP, lookup(me, VFILE_SYS_CPU, "cpu1"), LOOK_SIZE, 23, true);
	ok(a.status == -ENOBUFS && !a.violation && a.out.len == 0,
	   "LOOKUP into 23 bytes: -ENOBUFS (got %d)", a.status);
	buf_free(&a.out);
	ask_max(&a, PROTO_READ_VFILE, NODE(me, doc_hostnode("kernel_max")), NODE_SIZE, 4, true);
	ok(a.status == -ENOBUFS && !a.violation, "READ_VFILE kernel_max into 4 bytes: -ENOBUFS");
	buf_free(&a.out);
	ask_max(&a, PROTO_READ_VFILE, NODE(me, doc_hostnode("kernel_max")), NODE_SIZE, 5, true);
	ok(a.status == 0 && a.out.len == 5, "READ_VFILE kernel_max into exactly 5 bytes");
	buf_free(&a.out);
}

#define ARM(p, n, id, k, thr, win)                                                                 \
	(&(struct proto_psi_arm_req){                                                              \
	    .caller = CALLER(p),                                                                   \
	    .node = (n),                                                                           \
	    .trigger = (id),                                                                       \
	    .spec = { .kind = (k), .threshold_us = (thr), .window_us = (win) } })
#define ARM_SIZE sizeof(struct proto_psi_arm_req)

/* PSI_ARM and PSI_DISARM: the numbers and the node are the front's to get
 * right (violations), what the host lacks is a status.  The v1 fixture
 * has no unified tree, so a valid trigger finds no pressure file; the
 * trigger table itself is test_psi's. */
static void test_psi(void)
{
	struct proto_psi_disarm_req d = { .caller = CALLER(me), .trigger = 7 };
	struct proto_psi_arm_req *a;

	refused(PROTO_PSI_ARM, ARM(me, VFILE_PROC_PRESSURE_CPU, 7, PROTO_PSI_SOME, 150000, 1000000),
		ARM_SIZE, -EOPNOTSUPP, "PSI_ARM without --enable-psi-poll");
	refused(PROTO_PSI_DISARM, &d, sizeof(d), -ENOENT, "PSI_DISARM without --enable-psi-poll");
	C.psi = psitrig_new(&C.host, &(struct psitrig_params){ .max = 4, .max_per_cgroup = 2 });
	if (!C.psi)
		die("psitrig_new");
	refused(PROTO_PSI_ARM, ARM(me, VFILE_PROC_PRESSURE_IO, 7, PROTO_PSI_FULL, 1, 500000),
		ARM_SIZE, -EOPNOTSUPP, "PSI_ARM on a host without a unified tree");
	refused(PROTO_PSI_ARM, ARM(0, VFILE_PROC_PRESSURE_CPU, 7, PROTO_PSI_SOME, 1, 500000),
		ARM_SIZE, -ESRCH, "PSI_ARM for pid 0");
	refused(PROTO_PSI_DISARM, &d, sizeof(d), -ENOENT, "PSI_DISARM of a trigger not armed");
	violation(PROTO_PSI_ARM, ARM(me, VFILE_PROC_MEMINFO, 7, PROTO_PSI_SOME, 1, 500000),
		  ARM_SIZE, "PSI_ARM on meminfo");
	violation(PROTO_PSI_ARM, ARM(me, VFILE_PROC_PRESSURE, 7, PROTO_PSI_SOME, 1, 500000),
		  ARM_SIZE, "PSI_ARM on the pressure directory");
	violation(PROTO_PSI_ARM,
		  ARM(me, ALIAS(VFILE_PROC_PRESSURE_CPU), 7, PROTO_PSI_SOME, 1, 500000), ARM_SIZE,
		  "PSI_ARM on 2^32 + pressure/cpu's id");
	violation(PROTO_PSI_ARM, ARM(me, VFILE_PROC_PRESSURE_CPU, 0, PROTO_PSI_SOME, 1, 500000),
		  ARM_SIZE, "PSI_ARM of trigger 0");
	violation(PROTO_PSI_ARM, ARM(me, VFILE_PROC_PRESSURE_CPU, 7, PROTO_PSI_SOME, 0, 500000),
		  ARM_SIZE, "PSI_ARM with threshold 0");
	violation(PROTO_PSI_ARM, ARM(me, VFILE_PROC_PRESSURE_CPU, 7, PROTO_PSI_SOME, 1, 499999),
		  ARM_SIZE, "PSI_ARM with a window under 500 ms");
	violation(PROTO_PSI_ARM, ARM(me, VFILE_PROC_PRESSURE_CPU, 7, 2, 1, 500000), ARM_SIZE,
		  "PSI_ARM of kind 2");
	a = ARM(me, VFILE_PROC_PRESSURE_CPU, 7, PROTO_PSI_SOME, 1, 500000);
	a->spec.reserved = 1;
	violation(PROTO_PSI_ARM, a, ARM_SIZE, "PSI_ARM with spec.reserved 1");
	d.trigger = 0;
	violation(PROTO_PSI_DISARM, &d, sizeof(d), "PSI_DISARM of trigger 0");
	is_int(psitrig_count(C.psi), 0, "nothing was armed");
	psitrig_free(C.psi);
	C.psi = NULL;
}

int main(int argc, char **argv)
{
	find_fixtures(argc, argv);
	make_host();
	test_header();
	test_sizes();
	test_reserved();
	test_types();
	test_names();
	test_table_nodes();
	test_callers();
	test_answers();
	test_host_refusals();
	test_restart();
	test_render_failure();
	test_limits();
	test_psi();

	host_close(&C.host);
	close(tmp_fd);
	remove_copy();
	return done_testing();
}
