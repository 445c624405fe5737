// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Proves at run time that the sandbox policies deny what they must: for
 * each role and each forbidden syscall, a child enters the role's sandbox
 * (the same sandbox_enter() the daemons call) and makes the call; it must
 * be killed by SIGSYS or see the call fail.  A control call that the
 * policy allows must succeed.  TAP output.  Needs root.
 *
 *   sandbox_probe            run every probe
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/openat2.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "sandbox.h"

enum probe {
	P_OPENAT,
	P_OPEN_RW,
	P_EXECVE,
	P_SOCKET,
	P_PTRACE,
	P_MOUNT,
	P_SETUID,
	P_WRITE_OK,
	P_OPEN_DIR,
	P_CLOSE_STDERR,
	P_MMAP_FILE,
	P_OPENAT2_WRITE,
	P_OPENAT2_TRUNC,
	P_TIMERFD_CREATE,
	P_POLL,
};

static const char *const probe_name[] = {
	"openat",
	"openat(O_RDWR)",
	"execve",
	"socket",
	"ptrace",
	"mount",
	"setuid",
	"write to stderr",
	"openat(O_DIRECTORY)",
	"close(2)",
	"mmap of a file",
	"openat2(O_WRONLY) of a root-owned file",
	"openat2(O_TRUNC) of a root-owned file",
	"timerfd_create",
	"poll",
};

/* a root-owned 0644 file the probes try to write */
static char victim[] = "/tmp/lxcfs-probe-XXXXXX";

static long do_probe(enum probe p)
{
	char *const argv[] = { "/bin/true", NULL };

	switch (p) {
	case P_OPENAT: return syscall(SYS_openat, AT_FDCWD, "/proc/self/status", O_RDONLY);
	case P_OPEN_RW: return syscall(SYS_openat, AT_FDCWD, "/tmp", O_RDWR | O_TMPFILE, 0600);
	case P_EXECVE: return syscall(SYS_execve, "/bin/true", argv, NULL);
	case P_SOCKET: return syscall(SYS_socket, AF_INET, SOCK_STREAM, 0);
	case P_PTRACE: return syscall(SYS_ptrace, PTRACE_TRACEME, 0, NULL, NULL);
	case P_MOUNT: return syscall(SYS_mount, "none", "/mnt", "tmpfs", 0, NULL);
	case P_SETUID: return syscall(SYS_setuid, 0);
	case P_WRITE_OK: return syscall(SYS_write, 2, "", 0);
	case P_OPEN_DIR: return syscall(SYS_openat, AT_FDCWD, "/proc", O_RDONLY | O_DIRECTORY);
	case P_CLOSE_STDERR: return syscall(SYS_close, 2);
	case P_MMAP_FILE: {
		long fd = syscall(SYS_openat, AT_FDCWD, "/proc/self/status", O_RDONLY);
		long m = syscall(SYS_mmap, NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);

		return fd < 0 ? 0 : (m == -1 ? -1 : 0);
	}
	case P_OPENAT2_WRITE:
	case P_OPENAT2_TRUNC: {
		struct open_how how = { .flags =
					    p == P_OPENAT2_WRITE ? O_WRONLY : O_RDONLY | O_TRUNC };

		return syscall(SYS_openat2, AT_FDCWD, victim, &how, sizeof(how));
	}
	case P_TIMERFD_CREATE: return syscall(SYS_timerfd_create, CLOCK_MONOTONIC, 0);
	case P_POLL: {
		struct timespec ts = { 0 };

		return syscall(SYS_ppoll, NULL, 0, &ts, NULL, 0);
	}
	}
	return -1;
}

/* 0: denied (killed by SIGSYS or failed), 1: allowed, -1: harness error */
static int run(enum sandbox_role role, enum probe p)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		long r;

		log_init(role == SANDBOX_FUSED ? "[probe-fuse]" : "[probe-priv]", LOG_SINK_STDERR,
			 false);
		sandbox_enter(role, 65534, 65534);
		r = do_probe(p);
		_exit(r < 0 ? 10 : 11);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS)
		return 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 10)
		return 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 11)
		return 1;
	return -1;
}

int main(void)
{
	static const struct {
		enum sandbox_role role;
		const char *rname;
		enum probe p;
		int want;
	} cases[] = {
		{ SANDBOX_FUSED, "fused", P_OPENAT, 0 },
		{ SANDBOX_FUSED, "fused", P_EXECVE, 0 },
		{ SANDBOX_FUSED, "fused", P_SOCKET, 0 },
		{ SANDBOX_FUSED, "fused", P_PTRACE, 0 },
		{ SANDBOX_FUSED, "fused", P_MOUNT, 0 },
		{ SANDBOX_FUSED, "fused", P_SETUID, 0 },
		{ SANDBOX_FUSED, "fused", P_WRITE_OK, 1 },
		{ SANDBOX_COLLECTOR, "collector", P_OPEN_RW, 0 },
		{ SANDBOX_COLLECTOR, "collector", P_EXECVE, 0 },
		{ SANDBOX_COLLECTOR, "collector", P_SOCKET, 0 },
		{ SANDBOX_COLLECTOR, "collector", P_PTRACE, 0 },
		{ SANDBOX_COLLECTOR, "collector", P_MOUNT, 0 },
		{ SANDBOX_COLLECTOR, "collector", P_SETUID, 0 },
		{ SANDBOX_COLLECTOR, "collector", P_OPENAT, 1 },
		{ SANDBOX_COLLECTOR, "collector", P_WRITE_OK, 1 },
		{ SANDBOX_COLLECTOR, "collector", P_OPEN_DIR, 1 },
		{ SANDBOX_COLLECTOR, "collector", P_CLOSE_STDERR, 0 },
		{ SANDBOX_COLLECTOR, "collector", P_MMAP_FILE, 0 },
		{ SANDBOX_COLLECTOR, "collector", P_OPENAT2_WRITE, 0 },
		{ SANDBOX_COLLECTOR, "collector", P_OPENAT2_TRUNC, 0 },
		{ SANDBOX_COLLECTOR, "collector", P_TIMERFD_CREATE, 0 },
		{ SANDBOX_COLLECTOR, "collector", P_POLL, 1 },
	};
	int vfd;
	int failed = 0;
	size_t n = sizeof(cases) / sizeof(cases[0]);

	if (geteuid() != 0) {
		printf("1..0 # SKIP needs root\n");
		return 0;
	}
	vfd = mkstemp(victim);
	if (vfd < 0 || fchmod(vfd, 0644) < 0 || write(vfd, "x", 1) != 1) {
		printf("Bail out! cannot create %s\n", victim);
		return 1;
	}
	close(vfd);
	printf("1..%zu\n", n);
	for (size_t i = 0; i < n; i++) {
		int got = run(cases[i].role, cases[i].p);
		bool ok = got == cases[i].want;

		printf("%s %zu - %s: %s is %s\n", ok ? "ok" : "not ok", i + 1, cases[i].rname,
		       probe_name[cases[i].p], cases[i].want ? "allowed" : "denied");
		if (!ok) {
			printf("# got %s\n", got < 0 ? "a harness error"
					     : got   ? "allowed"
						     : "denied");
			failed++;
		}
	}
	{
		struct stat st;

		if (stat(victim, &st) != 0 || st.st_size != 1) {
			printf("not ok - the root-owned file was changed\n");
			failed++;
		}
	}
	unlink(victim);
	return failed ? 1 : 0;
}
