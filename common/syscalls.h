/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Syscall, ioctl and FUSE notification numbers that the C library or the
 * installed kernel headers may not define yet, each defined once.  The
 * code that makes the call and the seccomp filter that allows it both
 * use these (crun's syscalls.h is the model).
 */
#ifndef LXCFS_SYSCALLS_H
#define LXCFS_SYSCALLS_H

#include <sys/ioctl.h>
#include <sys/syscall.h>

#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424 /* Linux 5.1; the same number on every arch */
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434 /* Linux 5.3 */
#endif
#ifndef SYS_openat2
#define SYS_openat2 437 /* Linux 5.6 */
#endif

/* nsfs: the pid, in the namespace of the fd, of a task given by its pid in
 * the caller's namespace (and back).  Linux 6.11. */
#define LXCFS_NSIO		     0xb7
#define LXCFS_NS_GET_TGID_FROM_PIDNS _IOR(LXCFS_NSIO, 0x7, int)

/* FUSE: ask the kernel to queue again the requests it had handed to the
 * device but not seen answered (Linux 6.9). */
#define LXCFS_FUSE_NOTIFY_RESEND 7

#endif
