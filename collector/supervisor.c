// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * lxcfs: the root supervisor.  It parses the command line, takes the
 * pidfile lock, opens /dev/fuse and mounts, keeps the FUSE fd for the
 * life of the mount, and starts (and restarts) the two children:
 *   lxcfs-collector  fd 3 = channel to the front
 *   lxcfs-fused      fd 3 = FUSE fd, 4 = channel to the collector,
 *                    5 = control socket to this process
 * Their stderr is a pipe whose lines this process relays to syslog or its
 * own stderr.  It never reads anything a container controls.
 *
 * Privileged primitives here: mount(2)/umount2(2) of the FUSE filesystem,
 * fork+execve of the helpers.  Needs root (CAP_SYS_ADMIN for mount).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "control.h"
#include "io.h"
#include "log.h"
#include "options.h"

#define READY_TIMEOUT_MS 15000
#define STOP_TIMEOUT_MS 6000 /* > the front's 5 s grace */

struct child {
	const char *name;
	pid_t pid;
	int log_fd;
	char line[2048];
	size_t line_len;
	struct timespec started;
	unsigned fast_fails;
	struct timespec next_start;
};

struct super {
	struct options o;
	char mnt[PATH_MAX];
	char pidfile[PATH_MAX];
	char helperdir[PATH_MAX];
	uid_t uid;
	gid_t gid;
	int fuse_fd;
	int sig_fd;
	int ctl_fd;	  /* our end of fused's control socket */
	int pending_chan; /* fused's end of a collector channel not yet handed over */
	struct child collector, fused;
	struct control_msg init; /* the session's INIT, for a takeover */
	bool have_init;
	bool fused_ready;
	bool ever_ready;
	bool upgrade_front; /* SIGUSR1: restart the front once the new collector runs */
	bool stopping;
	bool failed;
	int ready_pipe; /* daemon mode: tells the waiting parent */
};

static struct timespec now_mono(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t;
}

static long ms_between(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1000L + (b->tv_nsec - a->tv_nsec) / 1000000L;
}

/* "lxcfs: WHAT ARG[: strerror(err)]" and exit 1: start-up errors only. */
static void die_start(const char *what, const char *arg, int err)
{
	fprintf(stderr, "lxcfs: %s%s%s%s%s\n", what, arg[0] ? " " : "", arg, err ? ": " : "",
		err ? strerror(err) : "");
	exit(EXIT_FAILURE);
}

/* ---- start-up checks: everything that can fail before the mount ---- */

static void check_mountpoint(struct super *s)
{
	struct stat st;
	struct statfs sfs;

	/* statfs always reaches the FUSE server (stat may be served from the
	 * attribute cache): ENOTCONN means a dead mount left by a crashed
	 * instance */
	if (statfs(s->o.mountpoint, &sfs) < 0 && errno == ENOTCONN) {
		if (umount2(s->o.mountpoint, MNT_DETACH) == 0)
			fprintf(stderr, "lxcfs: removed a stale mount at %s\n", s->o.mountpoint);
	}
	if (stat(s->o.mountpoint, &st) < 0) {
		if (errno == ENOENT && !s->o.mountpoint_given && mkdir(s->o.mountpoint, 0755) == 0)
			return check_mountpoint(s);
		die_start("mountpoint", s->o.mountpoint, errno);
	}
	if (!S_ISDIR(st.st_mode))
		die_start("not a directory: mountpoint", s->o.mountpoint, 0);
	if (!realpath(s->o.mountpoint, s->mnt))
		die_start("mountpoint", s->o.mountpoint, errno);
}

static void find_user(struct super *s)
{
	const char *name = s->o.user ? s->o.user : "lxcfs";
	struct passwd *pw = getpwnam(name);

	if (!pw && !s->o.user)
		pw = getpwnam(name = "nobody");
	if (!pw)
		die_start("no such user:", name, 0);
	if (pw->pw_uid == 0 || pw->pw_gid == 0)
		die_start("the children must run unprivileged; uid or gid 0 for --user", name, 0);
	s->uid = pw->pw_uid;
	s->gid = pw->pw_gid;
}

static void find_helpers(struct super *s)
{
	const char *dir = getenv("LXCFS_HELPERDIR");
	char path[PATH_MAX + 32];

	snprintf(s->helperdir, sizeof(s->helperdir), "%s", dir && *dir ? dir : LXCFS_HELPERDIR);
	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s", s->helperdir, i ? "lxcfs-fused" : "lxcfs-collector");
		if (access(path, X_OK) < 0)
			die_start("cannot run helper", path, errno);
	}
}

static void lock_pidfile(struct super *s)
{
	int fd;

	if (s->o.pidfile)
		snprintf(s->pidfile, sizeof(s->pidfile), "%s", s->o.pidfile);
	else
		snprintf(s->pidfile, sizeof(s->pidfile), "%s/lxcfs.pid", s->o.runtime_dir);
	fd = open(s->pidfile, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		die_start("pidfile", s->pidfile, errno);
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		char other[32] = "";
		ssize_t n = pread(fd, other, sizeof(other) - 1, 0);

		other[n > 0 ? n : 0] = '\0';
		other[strcspn(other, "\n")] = '\0';
		fprintf(stderr, "lxcfs: pidfile %s is locked: another lxcfs is running%s%s%s\n",
			s->pidfile, other[0] ? " (pid " : "", other, other[0] ? ")" : "");
		exit(EXIT_FAILURE);
	}
	/* the fd stays open (and locked) for the life of the process */
}

static void write_pidfile(struct super *s)
{
	char buf[32];
	int fd = open(s->pidfile, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
	int n = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());

	if (fd < 0 || ftruncate(fd, 0) < 0 || write_full(fd, buf, (size_t)n) < 0)
		log_warn("cannot write pidfile %s: %m", s->pidfile);
	if (fd >= 0)
		close(fd);
}

/* Daemon mode: the parent waits until the mount serves (or failed). */
static void daemonize(struct super *s)
{
	int p[2], devnull;
	pid_t pid;
	char status = 1;

	if (pipe2(p, O_CLOEXEC) < 0)
		die_start("pipe", "", errno);
	pid = fork();
	if (pid < 0)
		die_start("fork", "", errno);
	if (pid > 0) {
		close(p[1]);
		if (read(p[0], &status, 1) != 1)
			status = 1;
		_exit(status == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
	}
	close(p[0]);
	s->ready_pipe = p[1];
	setsid();
	if (chdir("/") < 0)
		_exit(EXIT_FAILURE);
	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (devnull >= 0) {
		dup2(devnull, STDIN_FILENO);
		dup2(devnull, STDOUT_FILENO);
		dup2(devnull, STDERR_FILENO);
		if (devnull > STDERR_FILENO)
			close(devnull);
	}
}

static void report_ready(struct super *s, bool ok)
{
	char status = ok ? 0 : 1;

	if (s->ready_pipe < 0)
		return;
	if (write(s->ready_pipe, &status, 1) < 0) {
		/* the parent is gone; nothing to tell */
	}
	close(s->ready_pipe);
	s->ready_pipe = -1;
}

static void do_mount(struct super *s)
{
	char data[256];

	s->fuse_fd = open("/dev/fuse", O_RDWR | O_CLOEXEC);
	if (s->fuse_fd < 0)
		fatal("cannot open /dev/fuse: %m (is the fuse module loaded?)");
	snprintf(data, sizeof(data),
		 "fd=%d,rootmode=40000,user_id=0,group_id=0,allow_other,default_permissions",
		 s->fuse_fd);
	if (mount("lxcfs", s->mnt, "fuse.lxcfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, data) < 0)
		fatal("cannot mount on %s: %m", s->mnt);
	log_info("mounted on %s", s->mnt);
}

static void do_unmount(struct super *s)
{
	if (umount2(s->mnt, 0) == 0 || (errno == EBUSY && umount2(s->mnt, MNT_DETACH) == 0))
		log_info("unmounted %s", s->mnt);
	else if (errno != EINVAL && errno != ENOENT)
		log_err("cannot unmount %s: %m", s->mnt);
}

/* ---- children ---- */

/* In the child: put fds[i] at fd 3+i, stderr on the log pipe, close the rest. */
static void child_setup_fds(int log_w, const int *fds, int n)
{
	int tmp[8];
	int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);

	for (int i = 0; i < n; i++) {
		tmp[i] = fcntl(fds[i], F_DUPFD_CLOEXEC, 64);
		if (tmp[i] < 0)
			_exit(127);
	}
	if (devnull < 0 || dup2(devnull, STDIN_FILENO) < 0 || dup2(devnull, STDOUT_FILENO) < 0 ||
	    dup2(log_w, STDERR_FILENO) < 0)
		_exit(127);
	for (int i = 0; i < n; i++)
		if (dup2(tmp[i], 3 + i) < 0)
			_exit(127);
	close_range((unsigned)(3 + n), ~0U, 0);
}

static pid_t spawn(struct super *s, struct child *c, const char *const *argv, const int *fds,
		   int n)
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
		_exit(127);
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

static void spawn_collector(struct super *s)
{
	char uid[16], gid[16];
	const char *argv[16] = { "lxcfs-collector", "--relay-log", "--uid", uid, "--gid", gid };
	int n = 6, sv[2];

	snprintf(uid, sizeof(uid), "%u", (unsigned)s->uid);
	snprintf(gid, sizeof(gid), "%u", (unsigned)s->gid);
	if (s->o.debug) argv[n++] = "--debug";
	if (!s->o.sandbox) argv[n++] = "--no-sandbox";
	if (s->o.seccomp_log) argv[n++] = "--seccomp-log";
	if (s->o.swap_off) argv[n++] = "--disable-swap";
	if (s->o.cfs) argv[n++] = "--enable-cfs";
	if (s->o.loadavg) argv[n++] = "--enable-loadavg";
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		log_err("socketpair: %m");
		return;
	}
	if (spawn(s, &s->collector, argv, &sv[0], 1) < 0) {
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
	char uid[16], gid[16];
	const char *argv[12] = { "lxcfs-fused", "--relay-log", "--uid", uid, "--gid", gid };
	int n = 6, cp[2], fds[3];

	snprintf(uid, sizeof(uid), "%u", (unsigned)s->uid);
	snprintf(gid, sizeof(gid), "%u", (unsigned)s->gid);
	if (s->o.debug) argv[n++] = "--debug";
	if (!s->o.sandbox) argv[n++] = "--no-sandbox";
	if (s->o.seccomp_log) argv[n++] = "--seccomp-log";
	if (s->have_init) argv[n++] = "--takeover";
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, cp) < 0) {
		log_err("socketpair: %m");
		return;
	}
	fds[0] = s->fuse_fd;
	fds[1] = s->pending_chan;
	fds[2] = cp[0];
	if (spawn(s, &s->fused, argv, fds, 3) < 0) {
		log_err("cannot start the front: %m");
		close(cp[0]);
		close(cp[1]);
		return;
	}
	close(cp[0]);
	close(s->pending_chan);
	s->pending_chan = -1;
	s->ctl_fd = cp[1];
	s->fused_ready = false;
	if (s->have_init && send_fd(s->ctl_fd, -1, &s->init, sizeof(s->init)) < 0)
		log_err("cannot hand the session to the new front: %m");
}

static bool may_start(const struct child *c, const struct timespec *now)
{
	return c->pid <= 0 && ms_between(&c->next_start, now) >= 0;
}

/* Bring both children up: the collector first (fused needs its channel). */
static void ensure_children(struct super *s)
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

static void relay_logs(struct child *c)
{
	for (;;) {
		ssize_t n = read(c->log_fd, c->line + c->line_len, sizeof(c->line) - 1 - c->line_len);
		char *nl;

		if (n <= 0) {
			if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
				close(c->log_fd);
				c->log_fd = -1;
			}
			return;
		}
		c->line_len += (size_t)n;
		c->line[c->line_len] = '\0';
		while ((nl = strchr(c->line, '\n'))) {
			*nl = '\0';
			log_relay_line(c->line);
			c->line_len -= (size_t)(nl + 1 - c->line);
			memmove(c->line, nl + 1, c->line_len + 1);
		}
		if (c->line_len == sizeof(c->line) - 1) {
			log_relay_line(c->line); /* an overlong line, in pieces */
			c->line_len = 0;
		}
	}
}

static int on_control(struct super *s);

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
	c->fast_fails = lived < 2000 ? c->fast_fails + 1 : 0;
	c->next_start = now;
	if (c->fast_fails > 1) {
		long delay = c->fast_fails * 250L > 5000 ? 5000 : c->fast_fails * 250L;

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
		while (on_control(s) > 0)
			;
		if (s->ctl_fd >= 0)
			close(s->ctl_fd);
		s->ctl_fd = -1;
		s->fused_ready = false;
	}
}

static void reap(struct super *s)
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
static int on_control(struct super *s)
{
	struct control_msg m;
	int fd = -1;
	ssize_t n = recv_fd(s->ctl_fd, &m, sizeof(m), &fd);

	if (fd >= 0)
		close(fd);
	if (n <= 0) {
		if (n == 0 || n != -EAGAIN) {
			close(s->ctl_fd);
			s->ctl_fd = -1;
		}
		return 0;
	}
	if (n != (ssize_t)sizeof(m) || m.magic != CONTROL_MAGIC || m.len > sizeof(m.data)) {
		log_err("bad control message from the front");
		return 1;
	}
	if (m.kind == CONTROL_READY) {
		s->fused_ready = s->ever_ready = true;
		log_debug("the front is serving");
		report_ready(s, true);
	} else if (m.kind == CONTROL_INIT) {
		s->init = m;
		s->have_init = true;
	}
	return 1;
}

/* ---- signals and the main loop ---- */

static int setup_signals(void)
{
	sigset_t set;
	int fd;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	signal(SIGPIPE, SIG_IGN);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		fatal("sigprocmask: %m");
	fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (fd < 0)
		fatal("signalfd: %m");
	return fd;
}

static void on_signal(struct super *s)
{
	struct signalfd_siginfo si;

	while (read(s->sig_fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGCHLD:
			reap(s);
			break;
		case SIGTERM:
		case SIGINT:
			log_info("signal %d: unmounting and exiting", (int)si.ssi_signo);
			s->stopping = true;
			break;
		case SIGUSR1:
			log_info("SIGUSR1: restarting the collector, then the front, from %s",
				 s->helperdir);
			s->upgrade_front = s->fused.pid > 0;
			if (s->collector.pid > 0)
				kill(s->collector.pid, SIGTERM);
			break;
		case SIGUSR2:
			log_warn("SIGUSR2 (toggle virtualization) is not supported yet; ignored");
			break;
		default:
			log_debug("signal %d ignored", (int)si.ssi_signo);
		}
	}
}

static void stop_children(struct super *s)
{
	struct timespec t0 = now_mono(), now;

	if (s->fused.pid > 0)
		kill(s->fused.pid, SIGTERM);
	if (s->collector.pid > 0)
		kill(s->collector.pid, SIGTERM);
	while (s->fused.pid > 0 || s->collector.pid > 0) {
		now = now_mono();
		if (ms_between(&t0, &now) > STOP_TIMEOUT_MS) {
			if (s->fused.pid > 0)
				kill(s->fused.pid, SIGKILL);
			if (s->collector.pid > 0)
				kill(s->collector.pid, SIGKILL);
		}
		usleep(10000);
		reap(s);
	}
}

static void run(struct super *s)
{
	struct timespec t0 = now_mono();

	while (!s->stopping) {
		struct pollfd p[4];
		struct timespec now;

		ensure_children(s);
		p[0] = (struct pollfd){ .fd = s->sig_fd, .events = POLLIN };
		p[1] = (struct pollfd){ .fd = s->ctl_fd, .events = POLLIN };
		p[2] = (struct pollfd){ .fd = s->collector.log_fd, .events = POLLIN };
		p[3] = (struct pollfd){ .fd = s->fused.log_fd, .events = POLLIN };
		if (poll(p, 4, 200) < 0 && errno != EINTR)
			fatal("poll: %m");
		if (p[2].revents)
			relay_logs(&s->collector);
		if (p[3].revents)
			relay_logs(&s->fused);
		if (p[1].revents)
			on_control(s);
		if (p[0].revents)
			on_signal(s);
		now = now_mono();
		if (!s->ever_ready && ms_between(&t0, &now) > READY_TIMEOUT_MS) {
			log_err("the front did not come up within %d s", READY_TIMEOUT_MS / 1000);
			s->failed = s->stopping = true;
		}
	}
}

int main(int argc, char **argv)
{
	struct super s = { .fuse_fd = -1, .ctl_fd = -1, .pending_chan = -1, .ready_pipe = -1 };
	int r;

	s.collector = (struct child){ .name = "collector", .log_fd = -1 };
	s.fused = (struct child){ .name = "front", .log_fd = -1 };
	r = options_parse(argc, argv, &s.o);
	if (r != 0)
		return r > 0 ? EXIT_SUCCESS : EXIT_FAILURE;
	if (geteuid() != 0)
		die_start("must be run as root", "", 0);
	check_mountpoint(&s);
	find_user(&s);
	find_helpers(&s);
	lock_pidfile(&s);
	/* errors up to the mount go to the terminal, even in daemon mode */
	log_init("[super]", LOG_SINK_STDERR, s.o.debug);
	do_mount(&s);
	if (!s.o.foreground) {
		daemonize(&s);
		log_init("[super]", LOG_SINK_SYSLOG, s.o.debug);
	}
	write_pidfile(&s);
	s.sig_fd = setup_signals();
	log_info("lxcfs %s serving %s", PACKAGE_VERSION, s.mnt);
	run(&s);
	do_unmount(&s);
	stop_children(&s);
	close(s.fuse_fd);
	unlink(s.pidfile);
	report_ready(&s, false);
	log_info("exiting");
	return s.failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
