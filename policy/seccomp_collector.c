// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * What lxcfs-collector may call once it serves requests: read-only opens
 * beneath the dirfds it opened at start-up, reading /proc and cgroup
 * files, pidfds, and writes to its two fds only (stderr, the channel).
 * No execve, no mount, no ptrace, no socket, no setns, no write to any
 * file it opens.  Everything not listed kills the process.
 * It also runs as an unprivileged uid (caps.c): even if openat2's flags,
 * which seccomp cannot see, asked for O_WRONLY or O_TRUNC, the kernel's
 * permission checks refuse it on root's files.
 */
#include "config.h"

#include <fcntl.h>

#include "cleanup.h"
#include "contract.h"
#include "sandbox.h"
#include "syscalls.h"

/* open flags that would create, truncate or write (O_TMPFILE includes the
 * O_DIRECTORY bit, which reading a directory needs) */
#define OPEN_WRITE_FLAGS                                                                           \
	(O_ACCMODE | O_CREAT | O_TRUNC | O_APPEND | O_EXCL | (O_TMPFILE & ~O_DIRECTORY))

const struct sc_rule seccomp_collector[] = {
	SC(read, "requests from the front; /proc and cgroup files it opened"),
	SC1(write, "log lines to stderr (the supervisor's pipe) only",
	    SCMP_A0(SCMP_CMP_EQ, CHILD_FD_LOG)),
	{ SCMP_SYS(writev),
	  "writev",
	  "replies and PSI trigger events to the front, on the channel only",
	  1,
	  { SCMP_A0(SCMP_CMP_EQ, COLLECTOR_FD_CHANNEL) } },
	SC1(openat,
	    "/proc/PID/{cgroup,status,stat,ns/pid}, /proc/TID/task/TID/stat beneath the "
	    "/proc dirfd; read-only",
	    SCMP_A2(SCMP_CMP_MASKED_EQ, OPEN_WRITE_FLAGS, 0)),
	SC(openat2,
	   "cgroup and sysfs files beneath trusted dirfds (RESOLVE_BENEATH); seccomp "
	   "cannot see its flags (they are in memory), but write is limited to fds 2 and 3"),
	SC1(close,
	    "files it opened; never 0-3, so no opened file can take the place of stderr or "
	    "the channel, the only fds it may write to",
	    SCMP_A0(SCMP_CMP_GT, COLLECTOR_FD_LAST_INHERITED)),
	SC(fstat, "inode of a pid namespace; stat of a sysfs entry"),
	SC(newfstatat, "inode of /proc/PID/ns/pid"),
	SC(statx, "glibc may implement fstatat with statx"),
	SC(getdents64, "listing /sys/devices/system/cpu; scanning /proc without nsfs ioctls"),
	SC(lseek, "readdir on a directory stream"),
	SC(fcntl, "duplicating a dirfd with F_DUPFD_CLOEXEC"),
	SC1(ioctl, "NS_GET_TGID_FROM_PIDNS: the host pid of a pid namespace's init",
	    SCMP_A1(SCMP_CMP_EQ, LXCFS_NS_GET_TGID_FROM_PIDNS)),
	SC(pidfd_open, "pin the identity of a namespace's init"),
	SC1(pidfd_send_signal, "signal 0 only: is that init still alive", SCMP_A1(SCMP_CMP_EQ, 0)),
	SC(brk, "malloc"),
	SC1(mmap, "malloc of large renderings; anonymous memory only (fd -1), never a file",
	    SCMP_A4(SCMP_CMP_MASKED_EQ, 0xffffffffULL, 0xffffffffULL)),
	SC(munmap, "free of large renderings"),
	SC(mremap, "realloc of large renderings"),
	SC(madvise, "malloc trimming"),
	SC(mprotect, "malloc arenas"),
	SC(futex, "glibc-internal locks"),
	SC(clock_gettime, "vDSO fallback; the loadavg sampler's clock and time budget"),
	SC(poll, "the event loop: the channel, the loadavg timer and the PSI trigger timer"),
	SC(ppoll, "the event loop, where glibc implements poll() with ppoll"),
	SC(timerfd_settime, "arm the loadavg and PSI trigger timers (made before the sandbox) "
			    "while they have work, disarm them when they have none"),
	SC(getpid, "its own pid namespace at start"),
	SC(gettid, "glibc"),
	SC(rt_sigreturn, "return from a signal handler"),
	SC(rt_sigprocmask, "glibc blocks signals around some calls"),
	SC(restart_syscall, "a read interrupted by a stop signal"),
	SC(exit, "thread exit"),
	SC(exit_group, "process exit"),
};
const size_t seccomp_collector_len = ARRAY_SIZE(seccomp_collector);
