/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Bounded growable buffer.  Every append checks the bound: past it the
 * buffer records -ENOBUFS (sticky) instead of growing without limit.
 */
#ifndef LXCFS_BUF_H
#define LXCFS_BUF_H

#include <stddef.h>

struct buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max;
	int err; /* 0 or the first -errno an append hit */
};

#define BUF_INIT(limit) ((struct buf){ .max = (limit) })

int buf_reserve(struct buf *b, size_t extra);
int buf_append(struct buf *b, const void *p, size_t n);
int buf_puts(struct buf *b, const char *s);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_reset(struct buf *b);
void buf_free(struct buf *b);
/* NUL-terminate without counting the NUL in len; returns data or NULL. */
const char *buf_cstr(struct buf *b);

static inline void buf_freep(struct buf *b)
{
	buf_free(b);
}
#define _cleanup_buf_ __attribute__((cleanup(buf_freep)))

#endif
