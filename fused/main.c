// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * lxcfs-fused: started by the supervisor with
 *   fd 3  the /dev/fuse fd the supervisor mounted with (its own dup)
 *   fd 4  a SOCK_STREAM channel to the collector
 *   fd 5  a SOCK_SEQPACKET control socket to the supervisor
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

#include "cleanup.h"
#include "control.h"
#include "fused.h"
#include "io.h"
#include "log.h"
#include "sandbox.h"

#define FUSE_FD 3
#define CHANNEL_FD 4
#define CONTROL_FD 5
#define REPLAY_UNIQUE UINT64_C(0xfffffffffffffff0) /* no request has it */
#ifndef FUSE_NOTIFY_RESEND
#define FUSE_NOTIFY_RESEND 7 /* Linux 6.9 */
#endif
#define STOP_GRACE_MS 5000

static volatile sig_atomic_t stop_requested;

static void on_sigterm(int sig)
{
	stop_requested = 1;
}

struct fused_args {
	bool debug, relay, sandbox, takeover, dump, seccomp_log;
	uid_t uid;
	gid_t gid;
};

static void usage(FILE *out)
{
	fprintf(out, "usage: lxcfs-fused [--debug] [--relay-log] [--no-sandbox] [--seccomp-log] [--takeover]\n"
		     "                   --uid UID --gid GID | --dump-policy\n"
		     "Started by lxcfs(1); not meant to be run by hand.\n");
}

static unsigned long parse_id(const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || end == s || v >= 0xffffffffUL)
		fatal("bad uid/gid '%s'", s);
	return v;
}

static void parse_args(int argc, char **argv, struct fused_args *a)
{
	static const struct option opts[] = {
		{ "debug", no_argument, NULL, 'd' },	  { "relay-log", no_argument, NULL, 'r' },
		{ "no-sandbox", no_argument, NULL, 'S' }, { "takeover", no_argument, NULL, 'T' },
		{ "uid", required_argument, NULL, 'u' },  { "gid", required_argument, NULL, 'g' },
		{ "dump-policy", no_argument, NULL, 'P' }, { "help", no_argument, NULL, 'h' },
		{ "seccomp-log", no_argument, NULL, 'L' },
		{ 0 },
	};
	bool have_uid = false, have_gid = false;
	int c;

	*a = (struct fused_args){ .sandbox = true };
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': a->debug = true; break;
		case 'r': a->relay = true; break;
		case 'S': a->sandbox = false; break;
		case 'T': a->takeover = true; break;
		case 'u': a->uid = (uid_t)parse_id(optarg); have_uid = true; break;
		case 'g': a->gid = (gid_t)parse_id(optarg); have_gid = true; break;
		case 'P': a->dump = true; break;
		case 'L': a->seccomp_log = true; break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); exit(1);
		}
	}
	if (!a->dump && (optind != argc || !have_uid || !have_gid || a->uid == 0)) {
		usage(stderr);
		exit(1);
	}
}

static int control_send(int fd, uint32_t kind, const void *data, size_t len)
{
	struct control_msg m = { .magic = CONTROL_MAGIC, .kind = kind, .len = (uint32_t)len };

	if (len > sizeof(m.data))
		return -EMSGSIZE;
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

	if (poll(&p, 1, 10000) != 1)
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
	struct fuse_out_header oh = { .len = sizeof(oh), .error = FUSE_NOTIFY_RESEND };

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
}

/* Serve until the session ends (false) or SIGTERM asked to stop (true).
 * After SIGTERM no new FUSE request is read; the pending ones are finished
 * (within STOP_GRACE_MS) and what the kernel still queues is left to the
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
		int n = poll(p, 3, 1000);

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
				log_info("SIGTERM: finishing %u request(s), then exiting", f->npending);
			}
			if (f->npending == 0 ||
			    (now.tv_sec - stop_at.tv_sec) * 1000 + (now.tv_nsec - stop_at.tv_nsec) / 1000000 >
				    STOP_GRACE_MS)
				break;
		}
	}
	free(fb.mem);
	return stop_requested;
}

int main(int argc, char **argv)
{
	struct fuse_args fargs = FUSE_ARGS_INIT(0, NULL);
	struct fused_args a;
	struct fused f = { .chan_fd = -1 };
	char devpath[32];

	parse_args(argc, argv, &a);
	if (a.dump) {
		sandbox_dump(SANDBOX_FUSED, stdout);
		return 0;
	}
	log_init("[fuse]", a.relay ? LOG_SINK_RELAY : LOG_SINK_STDERR, a.debug);
	if (fuse_opt_add_arg(&fargs, "lxcfs-fused") < 0 ||
	    (a.debug && fuse_opt_add_arg(&fargs, "-d") < 0))
		fatal("out of memory");
	f.se = fuse_session_new(&fargs, &fused_ops, sizeof(fused_ops), &f);
	if (!f.se)
		fatal("cannot create the FUSE session");
	snprintf(devpath, sizeof(devpath), "/dev/fd/%d", FUSE_FD);
	if (fuse_session_mount(f.se, devpath) != 0)
		fatal("cannot attach to the FUSE fd %d", FUSE_FD);
	clock_gettime(CLOCK_REALTIME, &f.started);
	proto_reader_init(&f.rd, true);
	f.outq = BUF_INIT(64u << 20);
	f.ctl_fd = CONTROL_FD;
	{
		/* handle ids must differ from any earlier front's, whose files
		 * may still be open: mix the pid with the start time */
		struct timespec t;
		uint32_t prefix;

		clock_gettime(CLOCK_REALTIME, &t);
		prefix = (uint32_t)getpid() * 2654435761u ^ (uint32_t)t.tv_nsec ^ (uint32_t)t.tv_sec;
		f.handle_prefix = (uint64_t)(prefix ? prefix : 1) << 32;
	}
	{
		struct sigaction sa = { .sa_handler = on_sigterm }; /* no SA_RESTART: poll returns */

		sigemptyset(&sa.sa_mask);
		sigaction(SIGTERM, &sa, NULL);
	}
	if (a.sandbox) {
		sandbox_set_log_only(a.seccomp_log);
		sandbox_enter(SANDBOX_FUSED, a.uid, a.gid);
	}
	else
		log_warn("running WITHOUT the sandbox (--no-sandbox)");
	if (a.takeover) {
		replay_init(f.se, f.ctl_fd);
		request_resend(f.se);
	}
	client_set_channel(&f, CHANNEL_FD);
	control_send(f.ctl_fd, CONTROL_READY, NULL, 0);
	log_debug("serving");
	if (serve(&f)) {
		log_info("stopped; %u request(s) left to the next front", f.npending);
		return 0; /* not answered: the kernel resends them to the next front */
	}
	client_fail_all(&f, EIO);
	log_info("FUSE session ended");
	fuse_session_destroy(f.se);
	fuse_opt_free_args(&fargs);
	proto_reader_free(&f.rd);
	buf_free(&f.outq);
	return 0;
}
