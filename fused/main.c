// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * lxcfs-fused: started by the supervisor with (contract.h)
 *   FUSED_FD_FUSE     the /dev/fuse fd the supervisor mounted with (a dup)
 *   FUSED_FD_CHANNEL  a SOCK_STREAM channel to the collector
 *   FUSED_FD_CONTROL  a SOCK_SEQPACKET control socket to the supervisor
 * It enters its sandbox (unprivileged uid, no capabilities, no_new_privs,
 * seccomp) before it reads the first FUSE request.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <linux/fuse.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "childopt.h"
#include "cleanup.h"
#include "contract.h"
#include "control.h"
#include "fused.h"
#include "io.h"
#include "log.h"
#include "sandbox.h"
#include "syscalls.h"

#define REPLAY_UNIQUE UINT64_C(0xfffffffffffffff0) /* no request has it */
/* Knuth's multiplicative hash (2^32 / the golden ratio): spreads
 * consecutive pids over the 32 bits of a handle prefix */
#define KNUTH_MULT32 2654435761u
/* the loop wakes at least this often to expire requests past their deadline */
#define FUSED_TICK_MS 1000

static volatile sig_atomic_t stop_requested;

static void on_sigterm(int sig)
{
	stop_requested = 1;
}

struct fused_args {
	struct child_opts co;
	bool takeover;
	bool psi_poll;
};

static void usage(FILE *out)
{
	fprintf(out, "usage: lxcfs-fused [--debug] [--relay-log] [--no-sandbox] [--seccomp-log] "
		     "[--takeover]\n"
		     "                   [--enable-psi-poll]\n"
		     "                   --uid UID --gid GID | --dump-policy\n"
		     "Started by lxcfs(1); not meant to be run by hand.\n");
}

enum { OPT_TAKEOVER = 1, OPT_PSI };

static void parse_args(int argc, char **argv, struct fused_args *a)
{
	static const struct option opts[] = {
		CHILD_OPTIONS,
		{ "takeover", no_argument, NULL, OPT_TAKEOVER },
		{ "enable-psi-poll", no_argument, NULL, OPT_PSI },
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
		case OPT_TAKEOVER: a->takeover = true; break;
		case OPT_PSI: a->psi_poll = true; break;
		case CHILD_OPT_HELP: usage(stdout); exit(EXIT_SUCCESS);
		default: usage(stderr); exit(EXIT_FAILURE);
		}
	}
	if (optind != argc) {
		usage(stderr);
		exit(EXIT_FAILURE);
	}
	if (childopt_finish(&a->co, "lxcfs-fused") < 0)
		exit(EXIT_FAILURE);
}

static int control_send(int fd, uint32_t kind, const void *data, size_t len)
{
	struct control_msg m = { .magic = CONTROL_MAGIC, .kind = kind, .len = (uint32_t)len };

	if (len > sizeof(m.data))
		return -EMSGSIZE;
	if (len)
		memcpy(m.data, data, len);
	return send_fd(fd, -1, &m, sizeof(m));
}

/* A new fused on a live session: feed libfuse the session's INIT again.
 * Its reply goes to a unique no request has, which the kernel drops. */
static void replay_init(struct fuse_session *se, int ctl)
{
	struct control_msg m;
	struct fuse_in_header ih;
	struct fuse_buf fb = { 0 };
	struct pollfd p = { .fd = ctl, .events = POLLIN };
	int fd = -1;
	ssize_t n;

	if (poll(&p, 1, FUSED_TAKEOVER_WAIT_MS) != 1)
		fatal("takeover: no INIT from the supervisor");
	n = recv_fd(ctl, &m, sizeof(m), &fd);
	if (fd >= 0)
		close(fd);
	if (n != (ssize_t)sizeof(m) || m.magic != CONTROL_MAGIC || m.kind != CONTROL_INIT ||
	    m.len < sizeof(ih) || m.len > sizeof(m.data))
		fatal("takeover: bad INIT message from the supervisor");
	memcpy(&ih, m.data, sizeof(ih));
	if (ih.opcode != FUSE_INIT || ih.len != m.len)
		fatal("takeover: the saved request is not an INIT");
	ih.unique = REPLAY_UNIQUE;
	memcpy(m.data, &ih, sizeof(ih));
	fb.mem = m.data;
	fb.size = m.len;
	fuse_session_process_buf(se, &fb);
	log_info("took over the live FUSE session");
}

/* Ask the kernel to queue again the requests the previous front had read
 * but not answered (FUSE_NOTIFY_RESEND, Linux 6.9). */
static void request_resend(struct fuse_session *se)
{
	struct fuse_out_header oh = { .len = sizeof(oh), .error = LXCFS_FUSE_NOTIFY_RESEND };

	if (write(fuse_session_fd(se), &oh, sizeof(oh)) == (ssize_t)sizeof(oh))
		log_info("asked the kernel to resend the previous front's requests");
	else
		log_warn("this kernel cannot resend requests (FUSE_NOTIFY_RESEND): %m; readers "
			 "the previous front held stay blocked until the mount is aborted");
}

static void on_fuse(struct fused *f, struct fuse_buf *fb, bool *init_saved)
{
	int r = fuse_session_receive_buf(f->se, fb);

	if (r == -EINTR || r == -EAGAIN)
		return;
	if (r <= 0) {
		if (r < 0 && r != -ENODEV)
			log_err("reading /dev/fuse: %s", strerror(-r));
		fuse_session_exit(f->se);
		return;
	}
	if (!*init_saved && fb->mem && (size_t)r >= sizeof(struct fuse_in_header)) {
		struct fuse_in_header ih;

		memcpy(&ih, fb->mem, sizeof(ih));
		if (ih.opcode == FUSE_INIT && (size_t)r <= CONTROL_INIT_MAX) {
			control_send(f->ctl_fd, CONTROL_INIT, fb->mem, (size_t)r);
			*init_saved = true;
		}
	}
	fuse_session_process_buf(f->se, fb);
}

static void on_control(struct fused *f)
{
	struct control_msg m;
	int fd = -1;
	ssize_t n = recv_fd(f->ctl_fd, &m, sizeof(m), &fd);

	if (n <= 0) {
		if (n < 0 && n == -EAGAIN)
			return;
		log_warn("supervisor control socket closed; serving on");
		close(f->ctl_fd);
		f->ctl_fd = -1;
		return;
	}
	if (n != (ssize_t)sizeof(m) || m.magic != CONTROL_MAGIC || m.kind != CONTROL_NEW_CHANNEL ||
	    fd < 0) {
		log_err("bad control message");
		if (fd >= 0)
			close(fd);
		return;
	}
	log_info("new collector channel; re-sending %u request(s)", f->npending);
	client_set_channel(f, fd);
	psi_rearm_all(f);
}

/* Serve until the session ends (false) or SIGTERM asked to stop (true).
 * After SIGTERM no new FUSE request is read; the pending ones are finished
 * (within FUSED_STOP_GRACE_MS) and what the kernel still queues is left to the
 * next front. */
static bool serve(struct fused *f)
{
	struct fuse_buf fb = { 0 };
	bool init_saved = false;
	struct timespec stop_at = { 0 };

	while (!fuse_session_exited(f->se)) {
		struct pollfd p[3] = {
			{ .fd = stop_requested ? -1 : fuse_session_fd(f->se), .events = POLLIN },
			{ .fd = f->chan_fd, .events = POLLIN | (f->outq.len ? POLLOUT : 0) },
			{ .fd = f->ctl_fd, .events = POLLIN },
		};
		struct timespec now;
		int n = poll(p, 3, FUSED_TICK_MS);

		if (n < 0 && errno != EINTR)
			fatal("poll: %m");
		if (n > 0 && p[1].revents & POLLOUT)
			client_flush(f);
		if (n > 0 && p[1].revents & (POLLIN | POLLHUP | POLLERR))
			client_on_readable(f);
		if (n > 0 && p[2].revents)
			on_control(f);
		if (n > 0 && p[0].revents & (POLLIN | POLLHUP | POLLERR))
			on_fuse(f, &fb, &init_saved);
		clock_gettime(CLOCK_MONOTONIC, &now);
		client_expire(f, &now);
		if (stop_requested) {
			if (!stop_at.tv_sec) {
				stop_at = now;
				log_info("SIGTERM: finishing %u request(s), then exiting",
					 f->npending);
			}
			if (f->npending == 0 || (now.tv_sec - stop_at.tv_sec) * 1000 +
							(now.tv_nsec - stop_at.tv_nsec) / 1000000 >
						    FUSED_STOP_GRACE_MS)
				break;
		}
	}
	free(fb.mem);
	if (stop_requested)
		psi_wake_all(f); /* their next POLL goes to the next front */
	return stop_requested;
}

int main(int argc, char **argv)
{
	struct fuse_args fargs = FUSE_ARGS_INIT(0, NULL);
	struct fuse_lowlevel_ops ops = fused_ops;
	struct fused_args a;
	struct fused f = { .chan_fd = -1 };
	char devpath[32];

	parse_args(argc, argv, &a);
	if (a.co.dump) {
		sandbox_dump(SANDBOX_FUSED, stdout);
		return 0;
	}
	log_init("[fuse]", a.co.relay ? LOG_SINK_RELAY : LOG_SINK_STDERR, a.co.debug);
	if (fuse_opt_add_arg(&fargs, "lxcfs-fused") < 0 ||
	    (a.co.debug && fuse_opt_add_arg(&fargs, "-d") < 0))
		fatal("out of memory");
	/* Without triggers no POLL is ever worth a round trip: the first one
	 * gets ENOSYS from libfuse and the kernel answers every later poll
	 * itself (fc->no_poll), so a stopped front cannot hang a poller. */
	f.psi_poll = a.psi_poll;
	if (!f.psi_poll)
		ops.poll = NULL;
	f.se = fuse_session_new(&fargs, &ops, sizeof(ops), &f);
	if (!f.se)
		fatal("cannot create the FUSE session");
	snprintf(devpath, sizeof(devpath), "/dev/fd/%d", FUSED_FD_FUSE);
	if (fuse_session_mount(f.se, devpath) != 0)
		fatal("cannot attach to the FUSE fd %d", FUSED_FD_FUSE);
	clock_gettime(CLOCK_REALTIME, &f.started);
	proto_reader_init(&f.rd, true);
	f.outq = BUF_INIT(64u << 20);
	f.ctl_fd = FUSED_FD_CONTROL;
	{
		/* handle ids must differ from any earlier front's, whose files
		 * may still be open: mix the pid with the start time */
		struct timespec t;
		uint32_t prefix;

		clock_gettime(CLOCK_REALTIME, &t);
		prefix =
		    (uint32_t)getpid() * KNUTH_MULT32 ^ (uint32_t)t.tv_nsec ^ (uint32_t)t.tv_sec;
		f.handle_prefix = (uint64_t)(prefix ? prefix : 1) << 32;
	}
	{
		struct sigaction sa = { .sa_handler =
					    on_sigterm }; /* no SA_RESTART: poll returns */

		sigemptyset(&sa.sa_mask);
		sigaction(SIGTERM, &sa, NULL);
	}
	if (a.co.sandbox) {
		sandbox_set_log_only(a.co.seccomp_log);
		sandbox_enter(SANDBOX_FUSED, a.co.uid, a.co.gid);
	} else
		log_warn("running WITHOUT the sandbox (--no-sandbox)");
	if (a.takeover) {
		replay_init(f.se, f.ctl_fd);
		request_resend(f.se);
	}
	client_set_channel(&f, FUSED_FD_CHANNEL);
	control_send(f.ctl_fd, CONTROL_READY, NULL, 0);
	log_debug("serving");
	if (serve(&f)) {
		log_info("stopped; %u request(s) left to the next front", f.npending);
		return 0; /* not answered: the kernel resends them to the next front */
	}
	client_fail_all(&f, -EIO);
	log_info("FUSE session ended");
	fuse_session_destroy(f.se);
	fuse_opt_free_args(&fargs);
	proto_reader_free(&f.rd);
	buf_free(&f.outq);
	return 0;
}
