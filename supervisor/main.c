// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * lxcfs: the root supervisor.  It parses the command line, takes the
 * pidfile lock, opens /dev/fuse and mounts, keeps the FUSE fd for the
 * life of the mount, and starts (and restarts) the two children
 * (children.c), their fds laid out as contract.h says.  Their stderr is a
 * pipe whose lines this process relays to syslog or its own stderr
 * (relay.c).  It never reads anything a container controls.
 *
 * Privileged primitives here: open(/dev/fuse), mount(2)/umount2(2) of the
 * FUSE filesystem, the pidfile.  Needs root (CAP_SYS_ADMIN for mount).
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
#include "contract.h"
#include "io.h"
#include "stateseg.h"
#include "super.h"

/* how often the loop wakes with nothing to do: restarts after a backoff
 * and the start-up deadline are checked then */
#define LOOP_TICK_MS 200

struct timespec now_mono(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t;
}

long ms_between(const struct timespec *a, const struct timespec *b)
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
		snprintf(path, sizeof(path), "%s/%s", s->helperdir,
			 i ? "lxcfs-fused" : "lxcfs-collector");
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

void report_ready(struct super *s, bool ok)
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
		case SIGCHLD: children_reap(s); break;
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
		default: log_debug("signal %d ignored", (int)si.ssi_signo);
		}
	}
}

static void run(struct super *s)
{
	struct timespec t0 = now_mono();

	while (!s->stopping) {
		struct pollfd p[4];
		struct timespec now;

		children_ensure(s);
		p[0] = (struct pollfd){ .fd = s->sig_fd, .events = POLLIN };
		p[1] = (struct pollfd){ .fd = s->ctl_fd, .events = POLLIN };
		p[2] = (struct pollfd){ .fd = s->collector.log_fd, .events = POLLIN };
		p[3] = (struct pollfd){ .fd = s->fused.log_fd, .events = POLLIN };
		if (poll(p, 4, LOOP_TICK_MS) < 0 && errno != EINTR)
			fatal("poll: %m");
		if (p[2].revents)
			relay_logs(&s->collector);
		if (p[3].revents)
			relay_logs(&s->fused);
		if (p[1].revents)
			relay_control(s);
		if (p[0].revents)
			on_signal(s);
		now = now_mono();
		if (!s->ever_ready && ms_between(&t0, &now) > SUPER_READY_TIMEOUT_MS) {
			log_err("the front did not come up within %d s",
				SUPER_READY_TIMEOUT_MS / 1000);
			s->failed = s->stopping = true;
		}
	}
}

int main(int argc, char **argv)
{
	struct super s = {
		.fuse_fd = -1, .ctl_fd = -1, .pending_chan = -1, .state_fd = -1, .ready_pipe = -1
	};
	int r;

	s.collector = (struct child){ .name = "collector", .tag = "[priv]", .log_fd = -1 };
	s.fused = (struct child){ .name = "front", .tag = "[fuse]", .log_fd = -1 };
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
	s.state_fd = stateseg_create();
	if (s.state_fd < 0)
		log_warn("cannot create the counter state segment: %s; proc/stat and proc/uptime "
			 "counters restart with each collector",
			 strerror(-s.state_fd));
	log_info("lxcfs %s serving %s", PACKAGE_VERSION, s.mnt);
	run(&s);
	do_unmount(&s);
	children_stop(&s);
	close(s.fuse_fd);
	unlink(s.pidfile);
	report_ready(&s, false);
	log_info("exiting");
	return s.failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
