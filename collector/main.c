// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * lxcfs-collector: the privileged side.  Started by the supervisor with
 * a SOCK_STREAM channel to the front at COLLECTOR_FD_CHANNEL and the
 * counter state segment at COLLECTOR_FD_STATE (contract.h).  Opens its
 * host sources (/proc, /sys/devices/system/cpu, the cgroup roots), maps
 * the segment (then closes its fd), enters its sandbox
 * (CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH only, seccomp), then answers
 * requests one at a time until the channel closes.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "childopt.h"
#include "cleanup.h"
#include "contract.h"
#include "cpustate.h"
#include "dispatch.h"
#include "fsio.h"
#include "io.h"
#include "log.h"
#include "pidns.h"
#include "sandbox.h"

struct collector_args {
	struct child_opts co;
	struct render_opts opt;
	enum target_cgroup pidns_cgroup;
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: lxcfs-collector [--debug] [--relay-log] [--no-sandbox] [--seccomp-log]\n"
		"                       [--disable-swap] [--disable-zswap] [--enable-cfs]\n"
		"                       [--enable-loadavg] [--flat-topology]\n"
		"                       [--pidns-cgroup=init|auto|reader]\n"
		"                       --uid UID --gid GID\n"
		"       lxcfs-collector --dump-policy\n"
		"Started by lxcfs(1); not meant to be run by hand.\n");
}

enum { OPT_SWAP_OFF = 1, OPT_ZSWAP_OFF, OPT_CFS, OPT_LOADAVG, OPT_FLAT, OPT_PIDNS_CGROUP };

static void parse_args(int argc, char **argv, struct collector_args *a)
{
	static const struct option opts[] = {
		CHILD_OPTIONS,
		{ "disable-swap", no_argument, NULL, OPT_SWAP_OFF },
		{ "disable-zswap", no_argument, NULL, OPT_ZSWAP_OFF },
		{ "enable-cfs", no_argument, NULL, OPT_CFS },
		{ "enable-loadavg", no_argument, NULL, OPT_LOADAVG },
		{ "flat-topology", no_argument, NULL, OPT_FLAT },
		{ "pidns-cgroup", required_argument, NULL, OPT_PIDNS_CGROUP },
		{ 0 },
	};
	int c, r;

	memset(a, 0, sizeof(*a));
	childopt_init(&a->co);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		r = childopt_take(&a->co, c, optarg);
		if (r < 0)
			exit(EXIT_FAILURE);
		if (r > 0)
			continue;
		switch (c) {
		case OPT_SWAP_OFF: a->opt.swap_off = true; break;
		case OPT_ZSWAP_OFF: a->opt.zswap_off = true; break;
		case OPT_CFS: a->opt.cfs = true; break;
		case OPT_LOADAVG: a->opt.loadavg = true; break;
		case OPT_FLAT: a->opt.flat = true; break;
		case OPT_PIDNS_CGROUP:
			if (target_cgroup_parse(optarg, &a->pidns_cgroup) < 0) {
				fprintf(stderr, "lxcfs-collector: bad --pidns-cgroup '%s'\n",
					optarg);
				exit(EXIT_FAILURE);
			}
			break;
		case CHILD_OPT_HELP: usage(stdout); exit(EXIT_SUCCESS);
		default: usage(stderr); exit(EXIT_FAILURE);
		}
	}
	if (optind != argc) {
		usage(stderr);
		exit(EXIT_FAILURE);
	}
	if (childopt_finish(&a->co, "lxcfs-collector") < 0)
		exit(EXIT_FAILURE);
}

static void open_host(struct host *h)
{
	_cleanup_buf_ struct buf mi = BUF_INIT(16u << 20);
	_cleanup_buf_ struct buf desc = BUF_INIT(4096);
	_cleanup_close_ int fd = -1;
	bool have_ioctl;
	int r;

	r = fs_probe_openat2();
	if (r < 0)
		fatal("cannot open files beneath a directory fd: %s", strerror(-r));
	h->proc_fd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (h->proc_fd < 0)
		fatal("cannot open /proc: %m");
	h->sys_cpu_fd = open("/sys/devices/system/cpu", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (h->sys_cpu_fd < 0)
		fatal("cannot open /sys/devices/system/cpu: %m");
	fd = openat(h->proc_fd, "self/mountinfo", O_RDONLY | O_CLOEXEC);
	if (fd < 0 || read_all(fd, &mi) < 0 || !buf_cstr(&mi))
		fatal("cannot read /proc/self/mountinfo: %m");
	cg_layout_init(&h->cg);
	r = cg_layout_from_mountinfo(&h->cg, mi.data);
	if (r < 0)
		fatal("cannot find the cgroup hierarchies: %s", strerror(-r));
	cg_layout_describe(&h->cg, &desc);
	/* probed now, before the sandbox: the probe opens /proc/self/ns/pid */
	have_ioctl = pidns_have_ioctl();
	log_info("cgroup layout: %s; pid translation: %s", buf_cstr(&desc) ? desc.data : "?",
		 have_ioctl ? "nsfs ioctl" : "/proc walk");
	if (h->cg.fd[CG_MEMORY] < 0)
		log_warn("no memory controller: meminfo and swaps show the host's values");
	if (h->cg.fd[CG_CPUSET] < 0)
		log_warn("no cpuset controller: CPU views show all online CPUs");
}

/* Map the counter state segment, before the sandbox (whose mmap rule
 * allows anonymous memory only), and close its fd. */
static struct cpustate *map_state(void)
{
	struct cpustate *cs;
	int err = 0;

	if (fcntl(COLLECTOR_FD_STATE, F_GETFD) < 0) {
		log_warn("no counter state segment: stat and uptime counters restart with "
			 "this process");
		return NULL;
	}
	cs = cpustate_attach(COLLECTOR_FD_STATE, &err);
	if (!cs)
		log_warn("fd %d is not a counter state segment (%s): stat and uptime counters "
			 "restart with this process",
			 COLLECTOR_FD_STATE, strerror(-err));
	close(COLLECTOR_FD_STATE);
	return cs;
}

static int serve(struct collector *c, int fd)
{
	struct proto_reader rd;
	_cleanup_buf_ struct buf out = BUF_INIT(PROTO_MAX_PAYLOAD);
	bool violation = false;
	int r;

	proto_reader_init(&rd, false);
	for (;;) {
		r = proto_reader_feed(&rd, fd);
		if (r == 0)
			continue;
		if (r < 0)
			break;
		buf_reset(&out);
		out.max = PROTO_MAX_PAYLOAD;
		r = dispatch(c, &rd.hdr, rd.payload.data, &out, &violation);
		if (violation)
			break;
		if (r == 0 && out.err)
			r = out.err == -ENOBUFS ? -EFBIG : out.err;
		log_debug("%s id %llu: %s, %zu bytes", proto_type_name(rd.hdr.type),
			  (unsigned long long)rd.hdr.id, r < 0 ? strerror(-r) : "ok", out.len);
		r = proto_send_reply(fd, rd.hdr.id, r, out.data, r < 0 ? 0 : out.len);
		if (r < 0)
			break;
		proto_reader_next(&rd);
	}
	proto_reader_free(&rd);
	if (violation || r == -EPROTO)
		log_err("protocol violation from the front: dropping the channel");
	else if (r != -EPIPE)
		log_warn("channel: %s", strerror(-r));
	return r == -EPIPE ? 0 : 1;
}

int main(int argc, char **argv)
{
	struct collector_args a;
	struct collector c = { 0 };

	parse_args(argc, argv, &a);
	if (a.co.dump) {
		sandbox_dump(SANDBOX_COLLECTOR, stdout);
		return 0;
	}
	log_init("[priv]", a.co.relay ? LOG_SINK_RELAY : LOG_SINK_STDERR, a.co.debug);
	if (vfile_table_check() < 0 || render_table_check() < 0)
		fatal("internal error: the vfile or renderer table is inconsistent");
	c.opt = a.opt;
	c.cs = map_state(); /* first: fd 4 is free for others only after it */
	open_host(&c.host);
	c.rs = resolver_new(&c.host, a.pidns_cgroup);
	c.hd = hostdir_new(c.host.sys_cpu_fd);
	if (!c.rs || !c.hd)
		fatal("out of memory");
	if (a.co.sandbox) {
		sandbox_set_log_only(a.co.seccomp_log);
		sandbox_enter(SANDBOX_COLLECTOR, a.co.uid, a.co.gid);
	} else {
		log_warn("running WITHOUT the sandbox (--no-sandbox)");
	}
	return serve(&c, COLLECTOR_FD_CHANNEL);
}
