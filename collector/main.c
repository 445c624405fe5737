// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * lxcfs-collector: the privileged side.  Started by the supervisor with
 * a SOCK_STREAM channel to the front at COLLECTOR_FD_CHANNEL and the
 * counter state segment at COLLECTOR_FD_STATE (contract.h).  Opens its
 * host sources (/proc, /sys/devices/system/cpu, the cgroup roots), maps
 * the segment (then closes its fd), enters its sandbox
 * (CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH only, seccomp), then answers
 * requests one at a time until the channel closes; with -l it also runs
 * the load-average sampler (loadavg.c) from the same loop, and with
 * --enable-psi-poll the PSI trigger sampler (psitrigger.c).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "childopt.h"
#include "cleanup.h"
#include "contract.h"
#include "cpustate.h"
#include "dispatch.h"
#include "fsio.h"
#include "io.h"
#include "loadavg.h"
#include "log.h"
#include "pidns.h"
#include "sandbox.h"

struct collector_args {
	struct child_opts co;
	struct render_opts opt;
	enum pidns_cgroup pidns_cgroup;
	bool psi_poll;
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: lxcfs-collector [--debug] [--relay-log] [--no-sandbox] [--seccomp-log]\n"
		"                       [--disable-swap] [--disable-zswap] [--enable-cfs]\n"
		"                       [--enable-loadavg] [--enable-psi-poll] [--flat-topology]\n"
		"                       [--pidns-cgroup=init|auto|reader]\n"
		"                       --uid UID --gid GID\n"
		"       lxcfs-collector --dump-policy\n"
		"Started by lxcfs(1); not meant to be run by hand.\n");
}

enum { OPT_SWAP_OFF = 1, OPT_ZSWAP_OFF, OPT_CFS, OPT_LOADAVG, OPT_PSI, OPT_FLAT, OPT_PIDNS_CGROUP };

static void parse_args(int argc, char **argv, struct collector_args *a)
{
	static const struct option opts[] = {
		CHILD_OPTIONS,
		{ "disable-swap", no_argument, NULL, OPT_SWAP_OFF },
		{ "disable-zswap", no_argument, NULL, OPT_ZSWAP_OFF },
		{ "enable-cfs", no_argument, NULL, OPT_CFS },
		{ "enable-loadavg", no_argument, NULL, OPT_LOADAVG },
		{ "enable-psi-poll", no_argument, NULL, OPT_PSI },
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
		case OPT_PSI: a->psi_poll = true; break;
		case OPT_FLAT: a->opt.flat = true; break;
		case OPT_PIDNS_CGROUP:
			if (childopt_pidns_cgroup(optarg, &a->pidns_cgroup) < 0) {
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

/*
 * The event loop, one thread: poll(2) over the channel and two timerfds
 * (CLOCK_MONOTONIC), each disarmed while its sampler has nothing to do (no
 * wake-up at all while nobody reads proc/loadavg or holds a trigger):
 *   with -l, the load-average timer on the sampler's 5 s grid; a
 *   period's sampling runs in slices (LOADAVG_SLICE_NS) with requests
 *   served in between;
 *   with --enable-psi-poll, the trigger timer, set to when the next
 *   trigger is due (psitrig_next_due()); its events go to the front as
 *   PROTO_PSI_EVENT frames between replies.
 * Once poll says the channel is readable, a request is read to its end:
 * the front writes each frame whole.
 */
struct loop {
	struct collector *c;
	int chan;
	int tfd;	 /* the loadavg timer; -1 without -l */
	int psi_tfd;	 /* the trigger timer; -1 without --enable-psi-poll */
	uint64_t psi_at; /* when the trigger timer fires; 0: disarmed */
	bool armed;	 /* the loadavg timer is set */
	bool sampling;	 /* a period's sampling is unfinished */
	bool violation;	 /* the front broke the protocol */
	bool budget_warned;
	struct proto_reader rd;
	struct buf out;
};

static struct timespec ns_to_ts(uint64_t ns)
{
	return (struct timespec){ .tv_sec = (time_t)(ns / 1000000000ULL),
				  .tv_nsec = (long)(ns % 1000000000ULL) };
}

/* Arm the timer when the sampler has work, disarm it when it has none. */
static void timer_update(struct loop *l)
{
	struct itimerspec its = { 0 };
	uint64_t next;

	if (l->tfd < 0)
		return;
	next = loadavg_next_tick(l->c->loadavg);
	if ((next != 0) == l->armed)
		return;
	if (next) {
		its.it_value = ns_to_ts(next);
		its.it_interval = ns_to_ts(LOADAVG_PERIOD_NS);
	}
	if (timerfd_settime(l->tfd, TFD_TIMER_ABSTIME, &its, NULL) < 0) {
		log_err("loadavg timer: %m; load averages stop");
		close(l->tfd);
		l->tfd = -1;
		return;
	}
	l->armed = next != 0;
	log_debug("loadavg timer %s", l->armed ? "armed" : "disarmed: nothing to sample");
}

/* Set the trigger timer to the next due trigger, or disarm it. */
static void psi_timer_update(struct loop *l)
{
	struct itimerspec its = { 0 };
	uint64_t next;

	if (l->psi_tfd < 0)
		return;
	next = psitrig_next_due(l->c->psi);
	if (next == l->psi_at)
		return;
	its.it_value = ns_to_ts(next);
	if (timerfd_settime(l->psi_tfd, TFD_TIMER_ABSTIME, &its, NULL) < 0) {
		log_err("psi trigger timer: %m; triggers stop firing");
		close(l->psi_tfd);
		l->psi_tfd = -1;
		return;
	}
	l->psi_at = next;
}

static int send_psi_event(void *arg, uint64_t trigger, int status)
{
	struct loop *l = arg;

	return proto_send_psi_event(l->chan, trigger, status);
}

/* The trigger timer fired: sample what is due. */
static int psi_run(struct loop *l)
{
	uint64_t expirations;

	if (read(l->psi_tfd, &expirations, sizeof(expirations)) != sizeof(expirations))
		return 0;
	l->psi_at = 0; /* one-shot: spent */
	return psitrig_run(l->c->psi, send_psi_event, l);
}

static void sample(struct loop *l)
{
	struct loadavg_stats st = { 0 };

	l->sampling = loadavg_run(l->c->loadavg, &st);
	if (l->sampling || !(st.sampled || st.dropped || st.deferred))
		return;
	log_debug("loadavg tick: %u containers, %u sampled, %u tasks, %u deferred, %u dropped, "
		  "%llu us",
		  st.containers, st.sampled, st.tasks, st.deferred, st.dropped,
		  (unsigned long long)(st.spent_ns / 1000));
	if (st.deferred && !l->budget_warned) {
		log_warn("loadavg: %u containers left for the next tick (time budget %llu ms)",
			 st.deferred, (unsigned long long)(LOADAVG_BUDGET_NS / 1000000));
		l->budget_warned = true;
	}
}

/* One request: 0 to go on, else why the channel is done. */
static int serve_one(struct loop *l)
{
	int r = proto_reader_feed(&l->rd, l->chan);

	if (r <= 0)
		return r;
	buf_reset(&l->out);
	l->out.max = PROTO_MAX_PAYLOAD;
	r = dispatch(l->c, &l->rd.hdr, l->rd.payload.data, &l->out, &l->violation);
	if (l->violation)
		return -EPROTO;
	if (r == 0 && l->out.err)
		r = l->out.err == -ENOBUFS ? -EFBIG : l->out.err;
	log_debug("%s id %llu: %s, %zu bytes", proto_type_name(l->rd.hdr.type),
		  (unsigned long long)l->rd.hdr.id, r < 0 ? strerror(-r) : "ok", l->out.len);
	r = proto_send_reply(l->chan, l->rd.hdr.id, r, l->out.data, r < 0 ? 0 : l->out.len);
	if (r < 0)
		return r;
	proto_reader_next(&l->rd);
	return 0;
}

static int serve(struct collector *c, int fd, int tfd, int psi_tfd)
{
	struct loop l = { .c = c,
			  .chan = fd,
			  .tfd = tfd,
			  .psi_tfd = psi_tfd,
			  .out = BUF_INIT(PROTO_MAX_PAYLOAD) };
	int r = 0;

	proto_reader_init(&l.rd, false);
	while (r == 0) {
		struct pollfd pfd[3] = { { .fd = fd, .events = POLLIN },
					 { .events = POLLIN },
					 { .events = POLLIN } };
		uint64_t expirations;

		if (l.tfd < 0 && l.psi_tfd < 0) { /* no sampler: block in read as ever */
			r = serve_one(&l);
			continue;
		}
		timer_update(&l);
		psi_timer_update(&l);
		pfd[1].fd = l.tfd; /* poll skips a negative fd */
		pfd[2].fd = l.psi_tfd;
		if (poll(pfd, 3, l.sampling ? 0 : -1) < 0) {
			r = errno == EINTR ? 0 : -errno;
			continue;
		}
		if (pfd[0].revents)
			r = serve_one(&l);
		if ((pfd[1].revents & POLLIN) &&
		    read(l.tfd, &expirations, sizeof(expirations)) == sizeof(expirations))
			l.sampling = true;
		if (r == 0 && (pfd[2].revents & POLLIN))
			r = psi_run(&l);
		if (r == 0 && l.sampling)
			sample(&l);
	}
	proto_reader_free(&l.rd);
	buf_free(&l.out);
	if (l.violation || r == -EPROTO)
		log_err("protocol violation from the front: dropping the channel");
	else if (r != -EPIPE)
		log_warn("channel: %s", strerror(-r));
	return r == -EPIPE ? 0 : 1;
}

static int new_timer(void)
{
	int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);

	if (tfd < 0)
		fatal("timerfd_create: %m");
	return tfd;
}

/* -l: the sampler and its timer, made before the sandbox. */
static int open_loadavg(struct collector *c)
{
	struct loadavg_params p;

	loadavg_params_default(&p);
	c->loadavg = loadavg_new(&c->host, &p);
	if (!c->loadavg)
		fatal("out of memory");
	return new_timer();
}

/* --enable-psi-poll: the trigger table and its timer, before the sandbox. */
static int open_psi(struct collector *c)
{
	struct psitrig_params p;

	psitrig_params_default(&p);
	c->psi = psitrig_new(&c->host, &p);
	if (!c->psi)
		fatal("out of memory");
	return new_timer();
}

int main(int argc, char **argv)
{
	struct collector_args a;
	struct collector c = { 0 };
	int tfd = -1, psi_tfd = -1;

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
	if (c.opt.loadavg)
		tfd = open_loadavg(&c);
	if (a.psi_poll)
		psi_tfd = open_psi(&c);
	if (a.co.sandbox) {
		sandbox_set_log_only(a.co.seccomp_log);
		sandbox_enter(SANDBOX_COLLECTOR, a.co.uid, a.co.gid);
	} else {
		log_warn("running WITHOUT the sandbox (--no-sandbox)");
	}
	return serve(&c, COLLECTOR_FD_CHANNEL, tfd, psi_tfd);
}
