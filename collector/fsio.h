/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Opening files beneath trusted directory fds.  Every path the collector
 * opens that a container can influence (cgroup names, sysfs names) goes
 * through fs_open_beneath(): openat2(2) with RESOLVE_BENEATH,
 * RESOLVE_NO_SYMLINKS, RESOLVE_NO_MAGICLINKS and RESOLVE_NO_XDEV.
 */
#ifndef LXCFS_FSIO_H
#define LXCFS_FSIO_H

#include <stdint.h>

#include "buf.h"

/* Largest file the collector reads from a host source. */
#define FS_READ_MAX (8u << 20)

int fs_open_beneath(int dirfd, const char *path, int flags);
/* Read a whole file beneath dirfd into b (appending).  On success b->data
 * is NUL-terminated (the NUL not counted in b->len): callers use it as
 * text without another check. */
int fs_read_beneath(int dirfd, const char *path, struct buf *b);
/* Read a file holding one unsigned number, or "max" (-> UINT64_MAX).
 * Negative numbers (v1's -1) also mean unlimited. */
int fs_read_u64_beneath(int dirfd, const char *path, uint64_t *v);
/* Is openat2 with the flags above available? 0 or -errno. */
int fs_probe_openat2(void);

#endif
