/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef LXCFS_IO_H
#define LXCFS_IO_H

#include <errno.h>
#include <stddef.h>
#include <sys/types.h>

#include "buf.h"

/* Evaluate expr, a call that fails with -1 and errno, again for as long as
 * it fails with EINTR (glibc's TEMP_FAILURE_RETRY). */
#define RETRY_EINTR(expr)                                                                          \
	({                                                                                         \
		__typeof__(expr) retry_r_;                                                         \
		do                                                                                 \
			retry_r_ = (expr);                                                         \
		while (retry_r_ == -1 && errno == EINTR);                                          \
		retry_r_;                                                                          \
	})

/* Write all n bytes: 0 or -errno. */
int write_full(int fd, const void *p, size_t n);
/* Append everything readable from fd (until EOF) to b; bounded by b->max. */
int read_all(int fd, struct buf *b);
/* Pass one fd (and a small payload) over a unix socket. */
int send_fd(int sock, int fd, const void *p, size_t n);
/* Receive into p (n bytes max); *fd gets a passed fd or -1. Returns bytes or -errno. */
ssize_t recv_fd(int sock, void *p, size_t n, int *fd);
int fd_set_nonblock(int fd, int on);

#endif
