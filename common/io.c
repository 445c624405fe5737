// SPDX-License-Identifier: LGPL-2.1-or-later
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "io.h"

int write_full(int fd, const void *p, size_t n)
{
	const char *c = p;

	while (n > 0) {
		ssize_t r = RETRY_EINTR(write(fd, c, n));

		if (r < 0)
			return -errno;
		c += r;
		n -= (size_t)r;
	}
	return 0;
}

int read_all(int fd, struct buf *b)
{
	for (;;) {
		size_t room = b->max > b->len ? b->max - b->len : 0;
		ssize_t r;
		int e = room ? buf_reserve(b, room < 4096 ? room : 4096) : -ENOBUFS;

		if (e == -ENOBUFS && !b->err)
			b->err = e;
		if (e < 0) {
			/* a full buffer at EOF is fine: probe with one byte */
			char c;

			if (e != -ENOBUFS)
				return e;
			b->err = 0;
			r = read(fd, &c, 1);
			if (r == 0)
				return 0;
			b->err = -ENOBUFS;
			return -ENOBUFS;
		}
		r = RETRY_EINTR(read(fd, b->data + b->len,
				     b->cap - b->len - 1 < room ? b->cap - b->len - 1 : room));
		if (r < 0)
			return -errno;
		if (r == 0)
			return 0;
		b->len += (size_t)r;
	}
}

int send_fd(int sock, int fd, const void *p, size_t n)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = (void *)p, .iov_len = n };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *cm;

	if (fd >= 0) {
		memset(cbuf, 0, sizeof(cbuf));
		msg.msg_control = cbuf;
		msg.msg_controllen = sizeof(cbuf);
		cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	}
	ssize_t r = RETRY_EINTR(sendmsg(sock, &msg, MSG_NOSIGNAL));

	if (r < 0)
		return -errno;
	return (size_t)r == n ? 0 : -EIO;
}

ssize_t recv_fd(int sock, void *p, size_t n, int *fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = p, .iov_len = n };
	struct msghdr msg = { .msg_iov = &iov,
			      .msg_iovlen = 1,
			      .msg_control = cbuf,
			      .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm;
	ssize_t r;

	*fd = -1;
	r = RETRY_EINTR(recvmsg(sock, &msg, MSG_CMSG_CLOEXEC));
	if (r < 0)
		return -errno;
	for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm)) {
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS &&
		    cm->cmsg_len == CMSG_LEN(sizeof(int))) {
			memcpy(fd, CMSG_DATA(cm), sizeof(int));
			break;
		}
	}
	if (msg.msg_flags & MSG_CTRUNC) {
		if (*fd >= 0)
			close(*fd);
		*fd = -1;
		return -EPROTO;
	}
	return r;
}

int fd_set_nonblock(int fd, int on)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0)
		return -errno;
	fl = on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK;
	if (fcntl(fd, F_SETFL, fl) < 0)
		return -errno;
	return 0;
}
