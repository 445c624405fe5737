// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * What lxcfs-fused may call once it serves requests.  It already holds
 * every fd it will ever use (the FUSE fd, the collector channel, the
 * control socket), so there is no open, openat, socket, connect, execve,
 * ptrace or mount here.  Everything not listed kills the process.
 */
#include "config.h"

#include "cleanup.h"
#include "sandbox.h"

const struct sc_rule seccomp_fused[] = {
	SC(read, "FUSE requests from /dev/fuse; replies from the collector channel"),
	SC(write, "FUSE replies; requests to the collector; log lines to the supervisor's pipe"),
	SC(writev, "libfuse writes each reply as header + data"),
	SC(poll, "the event loop waits on the FUSE fd, the channel and the control socket"),
	SC(ppoll, "poll() on architectures where glibc implements it with ppoll"),
	SC(recvmsg, "a new collector channel (SCM_RIGHTS) from the supervisor"),
	SC(sendmsg, "READY and INIT messages to the supervisor"),
	SC(close, "an old collector channel after a collector restart"),
	SC(fcntl, "O_NONBLOCK on a new collector channel"),
	SC(brk, "malloc"),
	SC(mmap, "malloc of large renderings and FUSE buffers"),
	SC(munmap, "free of large renderings"),
	SC(mremap, "realloc of large buffers"),
	SC(madvise, "malloc trimming"),
	SC(mprotect, "malloc arenas"),
	SC(futex, "glibc-internal locks"),
	SC(clock_gettime, "request deadlines (vDSO fallback)"),
	SC(gettid, "libfuse debug output"),
	SC(getpid, "libfuse debug output"),
	SC(newfstatat, "stdio on stderr in libfuse's debug output"),
	SC(fstat, "stdio on stderr in libfuse's debug output"),
	SC(rt_sigreturn, "return from a signal handler"),
	SC(rt_sigprocmask, "glibc blocks signals around some calls"),
	SC(restart_syscall, "a poll interrupted by a stop signal"),
	SC(exit, "thread exit"),
	SC(exit_group, "process exit"),
};
const size_t seccomp_fused_len = ARRAY_SIZE(seccomp_fused);
