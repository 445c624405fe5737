// SPDX-License-Identifier: LGPL-2.1-or-later
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"
#include "fsio.h"
#include "io.h"
#include "syscalls.h"

/*
 * Without openat2 (kernels before 5.6, valgrind 3.19): one component at a
 * time with O_NOFOLLOW, refusing "..", absolute paths, symlinks and mount
 * crossings, which is what the RESOLVE_ flags above guarantee.
 */
static int open_by_components(int dirfd, const char *path, int flags)
{
	_cleanup_close_ int fd = -1;
	struct stat root, st;
	const char *p = path;

	if (path[0] == '/')
		return -EXDEV;
	if (fstat(dirfd, &root) < 0)
		return -errno;
	for (;;) {
		char comp[NAME_MAX + 1];
		size_t n = strcspn(p, "/");
		const char *next = p + n;
		int base = fd >= 0 ? fd : dirfd;
		int nfd;
		bool last;

		while (*next == '/')
			next++;
		last = *next == '\0';
		if (n > NAME_MAX)
			return -ENAMETOOLONG;
		memcpy(comp, p, n);
		comp[n] = '\0';
		if (strcmp(comp, "..") == 0)
			return -EXDEV;
		/* look first (O_PATH, no follow), then decide */
		nfd = openat(base, n ? comp : ".", O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (nfd < 0)
			return -errno;
		if (fstat(nfd, &st) < 0 || S_ISLNK(st.st_mode) || st.st_dev != root.st_dev) {
			int e = S_ISLNK(st.st_mode)	   ? -ELOOP
				: st.st_dev != root.st_dev ? -EXDEV
							   : -errno;

			close(nfd);
			return e;
		}
		if ((!last || (flags & O_DIRECTORY)) && !S_ISDIR(st.st_mode)) {
			close(nfd);
			return -ENOTDIR;
		}
		if (last && !(flags & O_PATH)) {
			int r = openat(base, n ? comp : ".", flags | O_NOFOLLOW | O_CLOEXEC);

			close(nfd);
			return r < 0 ? -errno : r;
		}
		if (fd >= 0)
			close(fd);
		fd = nfd;
		if (last)
			return steal_fd(&fd);
		p = next;
	}
}

static bool have_openat2 = true;

int fs_open_beneath(int dirfd, const char *path, int flags)
{
	struct open_how how = {
		/* openat2 refuses O_NOCTTY with O_PATH */
		.flags = (uint64_t)(flags | O_CLOEXEC | ((flags & O_PATH) ? 0 : O_NOCTTY)),
		.resolve =
		    RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV,
	};
	long fd;

	if (!path[0])
		return -ENOENT;
	if (!have_openat2)
		return open_by_components(dirfd, path, flags);
	fd = RETRY_EINTR(syscall(SYS_openat2, dirfd, path, &how, sizeof(how)));
	if (fd < 0 && errno == ENOSYS) {
		have_openat2 = false;
		return open_by_components(dirfd, path, flags);
	}
	return fd < 0 ? -errno : (int)fd;
}

int fs_read_beneath(int dirfd, const char *path, struct buf *b)
{
	_cleanup_close_ int fd = fs_open_beneath(dirfd, path, O_RDONLY);
	int r;

	if (fd < 0)
		return fd;
	r = read_all(fd, b);
	if (r == 0 && !buf_cstr(b))
		r = b->err;
	return r;
}

int fs_read_u64_beneath(int dirfd, const char *path, uint64_t *v)
{
	_cleanup_buf_ struct buf b = BUF_INIT(4096);
	const char *s;
	char *end;
	int r;

	r = fs_read_beneath(dirfd, path, &b);
	if (r < 0)
		return r;
	s = b.data;
	if (strncmp(s, "max", 3) == 0 && (s[3] == '\n' || s[3] == '\0' || s[3] == ' ')) {
		*v = UINT64_MAX;
		return 0;
	}
	if (s[0] == '-') {
		*v = UINT64_MAX;
		return 0;
	}
	errno = 0;
	*v = strtoull(s, &end, 10);
	if (errno || end == s)
		return -EINVAL;
	return 0;
}

int fs_probe_openat2(void)
{
	int fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	int r;

	if (fd < 0)
		return -errno;
	r = fs_open_beneath(fd, ".", O_PATH | O_DIRECTORY);
	close(fd);
	if (r < 0)
		return r;
	close(r);
	return 0;
}
