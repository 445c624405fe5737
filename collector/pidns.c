// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Privileged primitive: reading other processes' pid namespaces; pidfds.
 *
 * Syscalls: openat (/proc/PID/ns/pid, /proc/PID/status beneath the /proc
 * dirfd), fstat, ioctl (NS_GET_TGID_FROM_PIDNS), getdents64 (fallback scan),
 * pidfd_open, pidfd_send_signal (signal 0: liveness only).
 * Capabilities: CAP_SYS_PTRACE, because opening /proc/PID/ns/pid of a
 * process of another uid (a container's root is an unprivileged host uid)
 * needs PTRACE_MODE_READ_FSCREDS access.
 * No setns, no fork: the front's requests never make this process change
 * namespace.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "buf.h"
#include "cleanup.h"
#include "io.h"
#include "pidns.h"
#include "syscalls.h"

#define PPID_WALK_MAX 4096

static int ns_open(int proc_fd, pid_t pid)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "%d/ns/pid", (int)pid);
	fd = openat(proc_fd, path, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int pidns_inode(int proc_fd, pid_t pid, uint64_t *ino)
{
	struct stat st;
	char path[64];

	snprintf(path, sizeof(path), "%d/ns/pid", (int)pid);
	if (fstatat(proc_fd, path, &st, 0) < 0)
		return -errno;
	*ino = (uint64_t)st.st_ino;
	return 0;
}

/* 1: yes, 0: no, -1: not probed yet */
static int have_ioctl = -1;

bool pidns_have_ioctl(void)
{
	if (have_ioctl < 0) {
		_cleanup_close_ int fd = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
		long r =
		    fd < 0 ? -1 : ioctl(fd, LXCFS_NS_GET_TGID_FROM_PIDNS, (unsigned long)getpid());

		have_ioctl = r > 0;
	}
	return have_ioctl == 1;
}

/* NSpid: innermost pid, PPid: parent; from /proc/PID/status. */
static int read_status(int proc_fd, pid_t pid, pid_t *inner, pid_t *ppid)
{
	_cleanup_buf_ struct buf b = BUF_INIT(64 * 1024);
	_cleanup_close_ int fd = -1;
	char path[64];
	const char *p;
	int r;

	snprintf(path, sizeof(path), "%d/status", (int)pid);
	fd = openat(proc_fd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = read_all(fd, &b);
	if (r < 0 || !buf_cstr(&b))
		return r < 0 ? r : b.err;
	p = strstr(b.data, "\nPPid:");
	if (!p || sscanf(p + 6, "%d", ppid) != 1)
		return -EIO;
	p = strstr(b.data, "\nNSpid:");
	if (!p)
		return -EIO;
	p += 7;
	for (;;) {
		char *end;
		long v = strtol(p, &end, 10);

		if (end == p)
			break;
		*inner = (pid_t)v;
		p = end;
	}
	return 0;
}

static bool is_init_of(int proc_fd, pid_t pid, uint64_t ino)
{
	pid_t inner = 0, ppid;
	uint64_t i;

	return pidns_inode(proc_fd, pid, &i) == 0 && i == ino &&
	       read_status(proc_fd, pid, &inner, &ppid) == 0 && inner == 1;
}

static int find_by_parents(int proc_fd, pid_t pid, uint64_t ino, pid_t *init)
{
	for (int n = 0; n < PPID_WALK_MAX && pid > 0; n++) {
		pid_t inner = 0, ppid = 0;
		uint64_t i;

		if (pidns_inode(proc_fd, pid, &i) < 0 || i != ino)
			return -ENOENT; /* left the namespace (setns'd process) */
		if (read_status(proc_fd, pid, &inner, &ppid) < 0)
			return -ESRCH;
		if (inner == 1) {
			*init = pid;
			return 0;
		}
		pid = ppid;
	}
	return -ENOENT;
}

static int find_by_scan(int proc_fd, uint64_t ino, pid_t *init)
{
	_cleanup_close_ int fd = openat(proc_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d;
	struct dirent *de;
	int r = -ESRCH;

	if (fd < 0)
		return -errno;
	d = fdopendir(fd);
	if (!d)
		return -errno;
	fd = -1;
	while ((de = readdir(d))) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);

		if (*end || pid <= 0)
			continue;
		if (is_init_of(proc_fd, (pid_t)pid, ino)) {
			*init = (pid_t)pid;
			r = 0;
			break;
		}
	}
	closedir(d);
	return r;
}

int pidns_find_init(int proc_fd, pid_t pid, uint64_t ino, pid_t *init)
{
	if (pidns_have_ioctl()) {
		_cleanup_close_ int nsfd = ns_open(proc_fd, pid);
		struct stat st;
		long r;

		if (nsfd < 0)
			return nsfd;
		if (fstat(nsfd, &st) < 0 || (uint64_t)st.st_ino != ino)
			return -ESRCH; /* the pid was reused meanwhile */
		r = ioctl(nsfd, LXCFS_NS_GET_TGID_FROM_PIDNS, 1UL);
		if (r > 0) {
			*init = (pid_t)r;
			return 0;
		}
		if (errno != ENOTTY && errno != EINVAL)
			return -errno; /* ESRCH: the namespace's init is gone */
	}
	if (find_by_parents(proc_fd, pid, ino, init) == 0)
		return 0;
	return find_by_scan(proc_fd, ino, init);
}

int pidfd_open_pid(pid_t pid)
{
	long fd = syscall(SYS_pidfd_open, pid, 0);

	return fd < 0 ? -errno : (int)fd;
}

int pidfd_check(int pidfd)
{
	if (syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0) < 0)
		return errno == EPERM ? 0 : -errno;
	return 0;
}
