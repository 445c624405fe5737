// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The supervisor's children: lxcfs-collector and lxcfs-fused, started
 * with fork+execve from the helper directory, their fds laid out as
 * contract.h says, restarted with a backoff when they exit.
 *
 * Privileged primitives here: fork+execve of the helpers (as root; each
 * child drops to the unprivileged uid itself, before it reads anything),
 * kill(2) of them.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "contract.h"
#include "io.h"
#include "super.h"

/* Restart backoff: a child that lived less than BACKOFF_FAST_MS counts as
 * failing fast; from the second fast failure on it waits BACKOFF_STEP_MS
 * per failure in a row, at most BACKOFF_MAX_MS. */
#define BACKOFF_FAST_MS 2000
#define BACKOFF_STEP_MS 250
#define BACKOFF_MAX_MS	5000
/* fds a child inherits beyond stdio: the most any child gets */
#define CHILD_NFDS_MAX 8
/* arguments of a child's command line: its name, 8 shared, 6 of its own */
#define CHILD_ARGS_MAX 16
/* what a shell reports when a command cannot be run */
#define EXIT_EXEC_FAILED 127
/* how often children_stop() looks whether they are gone */
#define STOP_POLL_US 10000

_Static_assert(COLLECTOR_FD_CHANNEL == CHILD_FD_FIRST && COLLECTOR_FD_STATE == CHILD_FD_FIRST + 1,
	       "collector fd layout");
_Static_assert(FUSED_FD_FUSE == CHILD_FD_FIRST && FUSED_FD_CHANNEL == CHILD_FD_FIRST + 1 &&
		   FUSED_FD_CONTROL == CHILD_FD_FIRST + 2,
	       "front fd layout");
_Static_assert(FUSED_NFDS <= CHILD_NFDS_MAX && COLLECTOR_NFDS <= CHILD_NFDS_MAX, "fd count");

/* Where the fds are parked while they are moved into place: above any
 * fd number the final layout uses. */
#define CHILD_FD_PARK 64

/* In the child: put fds[i] at CHILD_FD_FIRST + i, stderr on the log pipe,
 * close the rest. */
static void child_setup_fds(int log_w, const int *fds, int n)
{
	int tmp[CHILD_NFDS_MAX];
	int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);

	for (int i = 0; i < n; i++) {
		tmp[i] = fcntl(fds[i], F_DUPFD_CLOEXEC, CHILD_FD_PARK);
		if (tmp[i] < 0)
			_exit(EXIT_EXEC_FAILED);
	}
	if (devnull < 0 || dup2(devnull, STDIN_FILENO) < 0 || dup2(devnull, STDOUT_FILENO) < 0 ||
	    dup2(log_w, STDERR_FILENO) < 0)
		_exit(EXIT_EXEC_FAILED);
	for (int i = 0; i < n; i++)
		if (dup2(tmp[i], CHILD_FD_FIRST + i) < 0)
			_exit(EXIT_EXEC_FAILED);
	close_range((unsigned)(CHILD_FD_FIRST + n), ~0U, 0);
}

static pid_t spawn(struct super *s, struct child *c, const char *const *argv, const int *fds, int n)
{
	static const char *const keep_env[] = { "ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS" };
	char *envp[8] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin" };
	char path[PATH_MAX + 32];
	int lp[2], ne = 1;
	sigset_t none;
	pid_t pid;

	for (size_t i = 0; i < ARRAY_SIZE(keep_env); i++) {
		const char *v = getenv(keep_env[i]);
		static char store[3][1024];

		if (v) {
			snprintf(store[i], sizeof(store[i]), "%s=%s", keep_env[i], v);
			envp[ne++] = store[i];
		}
	}
	snprintf(path, sizeof(path), "%s/%s", s->helperdir, argv[0]);
	if (pipe2(lp, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		close(lp[0]);
		close(lp[1]);
		return -errno;
	}
	if (pid == 0) {
		sigemptyset(&none);
		signal(SIGPIPE, SIG_IGN); /* survives exec: a dead supervisor must not kill it */
		sigprocmask(SIG_SETMASK, &none, NULL);
		child_setup_fds(lp[1], fds, n);
		execve(path, (char *const *)argv, envp);
		_exit(EXIT_EXEC_FAILED);
	}
	close(lp[1]);
	fd_set_nonblock(lp[0], 1);
	c->pid = pid;
	c->log_fd = lp[0];
	c->line_len = 0;
	c->started = now_mono();
	log_debug("started %s (pid %d)", c->name, (int)pid);
	return pid;
}

/* A child's command line: the options both children take (childopt.h),
 * then the child's own; NULL-terminated. */
struct child_args {
	const char *v[CHILD_ARGS_MAX + 1];
	int n;
	char uid[16], gid[16];
};

static void arg_add(struct child_args *a, const char *arg)
{
	if (a->n < CHILD_ARGS_MAX)
		a->v[a->n++] = arg;
}

static void child_args_init(const struct super *s, struct child_args *a, const char *prog)
{
	memset(a, 0, sizeof(*a));
	snprintf(a->uid, sizeof(a->uid), "%u", (unsigned)s->uid);
	snprintf(a->gid, sizeof(a->gid), "%u", (unsigned)s->gid);
	arg_add(a, prog);
	arg_add(a, "--relay-log");
	arg_add(a, "--uid");
	arg_add(a, a->uid);
	arg_add(a, "--gid");
	arg_add(a, a->gid);
	if (s->o.debug)
		arg_add(a, "--debug");
	if (!s->o.sandbox)
		arg_add(a, "--no-sandbox");
	if (s->o.seccomp_log)
		arg_add(a, "--seccomp-log");
}

static void spawn_collector(struct super *s)
{
	struct child_args a;
	char pidns[32];
	int sv[2], fds[COLLECTOR_NFDS];

	child_args_init(s, &a, "lxcfs-collector");
	if (s->o.swap_off)
		arg_add(&a, "--disable-swap");
	if (s->o.zswap_off)
		arg_add(&a, "--disable-zswap");
	if (s->o.cfs)
		arg_add(&a, "--enable-cfs");
	if (s->o.loadavg)
		arg_add(&a, "--enable-loadavg");
	if (s->o.psi_poll)
		arg_add(&a, "--enable-psi-poll");
	if (s->o.flat)
		arg_add(&a, "--flat-topology");
	if (s->o.pidns_cgroup) {
		snprintf(pidns, sizeof(pidns), "--pidns-cgroup=%s", s->o.pidns_cgroup);
		arg_add(&a, pidns);
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		log_err("socketpair: %m");
		return;
	}
	fds[COLLECTOR_FD_CHANNEL - CHILD_FD_FIRST] = sv[0];
	fds[COLLECTOR_FD_STATE - CHILD_FD_FIRST] = s->state_fd;
	/* without a segment the collector finds its fd closed: stateless */
	if (spawn(s, &s->collector, a.v, fds, s->state_fd >= 0 ? COLLECTOR_NFDS : 1) < 0) {
		log_err("cannot start the collector: %m");
		close(sv[0]);
		close(sv[1]);
		return;
	}
	close(sv[0]);
	if (s->upgrade_front && s->fused.pid > 0) {
		/* one at a time: the front goes once the new collector is up */
		s->upgrade_front = false;
		kill(s->fused.pid, SIGTERM);
	}
	if (s->fused.pid > 0 && s->ctl_fd >= 0) {
		struct control_msg m = { .magic = CONTROL_MAGIC, .kind = CONTROL_NEW_CHANNEL };

		if (send_fd(s->ctl_fd, sv[1], &m, sizeof(m)) < 0)
			log_err("cannot hand the new channel to the front: %m");
		close(sv[1]);
	} else {
		if (s->pending_chan >= 0)
			close(s->pending_chan);
		s->pending_chan = sv[1];
	}
}

static void spawn_fused(struct super *s)
{
	struct child_args a;
	int cp[2], fds[FUSED_NFDS];

	child_args_init(s, &a, "lxcfs-fused");
	if (s->have_init)
		arg_add(&a, "--takeover");
	if (s->o.psi_poll)
		arg_add(&a, "--enable-psi-poll");
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, cp) < 0) {
		log_err("socketpair: %m");
		return;
	}
	fds[FUSED_FD_FUSE - CHILD_FD_FIRST] = s->fuse_fd;
	fds[FUSED_FD_CHANNEL - CHILD_FD_FIRST] = s->pending_chan;
	fds[FUSED_FD_CONTROL - CHILD_FD_FIRST] = cp[0];
	if (spawn(s, &s->fused, a.v, fds, FUSED_NFDS) < 0) {
		log_err("cannot start the front: %m");
		close(cp[0]);
		close(cp[1]);
		return;
	}
	close(cp[0]);
	close(s->pending_chan);
	s->pending_chan = -1;
	s->ctl_fd = cp[1];
	s->ctl_seen = 0;
	s->fused_takeover = s->have_init;
	s->fused_ready = false;
	if (s->have_init && send_fd(s->ctl_fd, -1, &s->init, sizeof(s->init)) < 0)
		log_err("cannot hand the session to the new front: %m");
}

static bool may_start(const struct child *c, const struct timespec *now)
{
	return c->pid <= 0 && ms_between(&c->next_start, now) >= 0;
}

/* Bring both children up: the collector first (fused needs its channel). */
void children_ensure(struct super *s)
{
	struct timespec now = now_mono();

	if (s->stopping)
		return;
	if (may_start(&s->collector, &now))
		spawn_collector(s);
	if (s->fused.pid <= 0 && s->pending_chan < 0 && s->collector.pid > 0) {
		/* the collector's channel went to a front that is gone */
		kill(s->collector.pid, SIGTERM);
		return;
	}
	if (may_start(&s->fused, &now) && s->pending_chan >= 0)
		spawn_fused(s);
}

static void child_exited(struct super *s, struct child *c, int status)
{
	struct timespec now = now_mono();
	long lived = ms_between(&c->started, &now);

	if (c->log_fd >= 0)
		relay_logs(c);
	if (!s->stopping) {
		if (WIFSIGNALED(status))
			log_warn("%s (pid %d) was killed by signal %d; restarting it", c->name,
				 (int)c->pid, WTERMSIG(status));
		else
			log_warn("%s (pid %d) exited with status %d; restarting it", c->name,
				 (int)c->pid, WEXITSTATUS(status));
	}
	c->pid = 0;
	c->fast_fails = lived < BACKOFF_FAST_MS ? c->fast_fails + 1 : 0;
	c->next_start = now;
	if (c->fast_fails > 1) {
		long delay = c->fast_fails * (long)BACKOFF_STEP_MS;

		if (delay > BACKOFF_MAX_MS)
			delay = BACKOFF_MAX_MS;

		c->next_start.tv_sec += delay / 1000;
		c->next_start.tv_nsec += (delay % 1000) * 1000000L;
		if (c->next_start.tv_nsec >= 1000000000L) {
			c->next_start.tv_sec++;
			c->next_start.tv_nsec -= 1000000000L;
		}
	}
	if (c == &s->fused && s->ctl_fd >= 0) {
		/* messages it sent before dying (its INIT) are still queued */
		fd_set_nonblock(s->ctl_fd, 1);
		while (relay_control(s) > 0)
			;
		if (s->ctl_fd >= 0)
			close(s->ctl_fd);
		s->ctl_fd = -1;
		s->fused_ready = false;
	}
}

void children_reap(struct super *s)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (pid == s->collector.pid)
			child_exited(s, &s->collector, status);
		else if (pid == s->fused.pid)
			child_exited(s, &s->fused, status);
	}
}

/* Handle one message: 1 if one was read, 0 if none is there. */
void children_stop(struct super *s)
{
	struct timespec t0 = now_mono(), now;

	if (s->fused.pid > 0)
		kill(s->fused.pid, SIGTERM);
	if (s->collector.pid > 0)
		kill(s->collector.pid, SIGTERM);
	while (s->fused.pid > 0 || s->collector.pid > 0) {
		now = now_mono();
		if (ms_between(&t0, &now) > SUPER_STOP_TIMEOUT_MS) {
			if (s->fused.pid > 0)
				kill(s->fused.pid, SIGKILL);
			if (s->collector.pid > 0)
				kill(s->collector.pid, SIGKILL);
		}
		usleep(STOP_POLL_US);
		children_reap(s);
	}
}
