/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef LXCFS_PIDNS_H
#define LXCFS_PIDNS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* Inode of /proc/PID/ns/pid (PID may be a thread id). */
int pidns_inode(int proc_fd, pid_t pid, uint64_t *ino);
/* The host pid of the init (pid 1) of PID's pid namespace, ino being that
 * namespace's inode.  Uses the nsfs translation ioctl where the kernel has
 * it; else walks the parents, else scans /proc.  Never forks. */
int pidns_find_init(int proc_fd, pid_t pid, uint64_t ino, pid_t *init);
/* Does this kernel translate pids through nsfs ioctls? (probed once) */
bool pidns_have_ioctl(void);

int pidfd_open_pid(pid_t pid);
/* 0 if the process behind the pidfd is alive, -ESRCH if not. */
int pidfd_check(int pidfd);

#endif
