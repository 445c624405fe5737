// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * lxcfs-collector: the privileged side.  Started by the supervisor with
 * fd 3 = a SOCK_STREAM channel to the front.  Opens its host sources
 * (/proc, /sys/devices/system/cpu, the cgroup roots), enters its sandbox
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

#include "cleanup.h"
#include "dispatch.h"
#include "fsio.h"
#include "io.h"
#include "log.h"
#include "pidns.h"
#include "sandbox.h"

#define CHANNEL_FD 3

struct collector_args {
	bool debug, relay, sandbox, dump, seccomp_log;
	uid_t uid;
	gid_t gid;
	struct render_opts opt;
};

static void usage(FILE *out)
{
	fprintf(out, "usage: lxcfs-collector [--debug] [--relay-log] [--no-sandbox] [--seccomp-log]\n"
		     "                       [--disable-swap] [--enable-cfs] [--enable-loadavg]\n"
		     "                       --uid UID --gid GID\n"
		     "       lxcfs-collector --dump-policy\n"
		     "Started by lxcfs(1); not meant to be run by hand.\n");
}

static void parse_args(int argc, char **argv, struct collector_args *a)
{
	static const struct option opts[] = {
		{ "debug", no_argument, NULL, 'd' },
		{ "relay-log", no_argument, NULL, 'r' },
		{ "no-sandbox", no_argument, NULL, 'S' },
		{ "seccomp-log", no_argument, NULL, 'L' },
		{ "disable-swap", no_argument, NULL, 'u' },
		{ "enable-cfs", no_argument, NULL, 'c' },
		{ "enable-loadavg", no_argument, NULL, 'l' },
		{ "dump-policy", no_argument, NULL, 'P' },
		{ "uid", required_argument, NULL, 'U' },
		{ "gid", required_argument, NULL, 'G' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;

	*a = (struct collector_args){ .sandbox = true };
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': a->debug = true; break;
		case 'r': a->relay = true; break;
		case 'S': a->sandbox = false; break;
		case 'L': a->seccomp_log = true; break;
		case 'u': a->opt.swap_off = true; break;
		case 'c': a->opt.cfs = true; break;
		case 'l': a->opt.loadavg = true; break;
		case 'P': a->dump = true; break;
		case 'U': a->uid = (uid_t)strtoul(optarg, NULL, 10); break;
		case 'G': a->gid = (gid_t)strtoul(optarg, NULL, 10); break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); exit(1);
		}
	}
	if (optind != argc || (!a->dump && a->sandbox && (a->uid == 0 || a->gid == 0))) {
		usage(stderr);
		exit(1);
	}
}

static void open_host(struct host *h)
{
	_cleanup_buf_ struct buf mi = BUF_INIT(16u << 20);
	_cleanup_buf_ struct buf desc = BUF_INIT(4096);
	_cleanup_close_ int fd = -1;
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
	log_info("cgroup layout: %s; pid translation: %s", buf_cstr(&desc) ? desc.data : "?",
		 pidns_have_ioctl() ? "nsfs ioctl" : "/proc walk");
	if (h->cg.fd[CG_MEMORY] < 0)
		log_warn("no memory controller: meminfo and swaps show the host's values");
	if (h->cg.fd[CG_CPUSET] < 0)
		log_warn("no cpuset controller: CPU views show all online CPUs");
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
	if (a.dump) {
		sandbox_dump(SANDBOX_COLLECTOR, stdout);
		return 0;
	}
	log_init("[priv]", a.relay ? LOG_SINK_RELAY : LOG_SINK_STDERR, a.debug);
	if (vfile_table_check() < 0 || render_table_check() < 0)
		fatal("internal error: the vfile or renderer table is inconsistent");
	c.opt = a.opt;
	open_host(&c.host);
	c.rs = resolver_new(&c.host);
	c.hd = hostdir_new(c.host.sys_cpu_fd);
	if (!c.rs || !c.hd)
		fatal("out of memory");
	if (a.sandbox) {
		sandbox_set_log_only(a.seccomp_log);
		sandbox_enter(SANDBOX_COLLECTOR, a.uid, a.gid);
	} else {
		log_warn("running WITHOUT the sandbox (--no-sandbox)");
	}
	return serve(&c, CHANNEL_FD);
}
