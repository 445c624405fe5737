// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Small file-system probes for the functional tests, where shell tools
 * hide what matters (d_type, pread offsets, exact errno).
 *   fsprobe dtypes DIR      "d name" / "f name" per entry, from d_type only
 *   fsprobe pread FILE      one open: reads at many offsets must agree
 *                           with one rendering; past the end gives 0 bytes
 *   fsprobe errno OP FILE   OP: open-rw, open-trunc, setxattr, removexattr,
 *                           chmod, truncate, utimes; prints the errno name
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

static int dtypes(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d) {
		perror(dir);
		return 1;
	}
	while ((de = readdir(d))) {
		char t = de->d_type == DT_DIR	    ? 'd'
			 : de->d_type == DT_REG	    ? 'f'
			 : de->d_type == DT_LNK	    ? 'l'
			 : de->d_type == DT_UNKNOWN ? 'u'
						    : 'o';

		printf("%c %s\n", t, de->d_name);
	}
	closedir(d);
	return 0;
}

static int preads(const char *file)
{
	static char all[16 << 20], part[8192];
	size_t len = 0;
	ssize_t n;
	int fd = open(file, O_RDONLY);

	if (fd < 0) {
		perror(file);
		return 1;
	}
	/* odd-sized chunks at increasing offsets */
	while ((n = pread(fd, all + len, 7, (off_t)len)) > 0)
		len += (size_t)n;
	if (n < 0 || len == 0) {
		fprintf(stderr, "pread: %s\n", n < 0 ? strerror(errno) : "empty");
		return 1;
	}
	/* any offset, any size, in any order: the same bytes */
	for (size_t off = len; off-- > 0; off = off > 97 ? off - 97 : 0) {
		size_t want = len - off < sizeof(part) ? len - off : sizeof(part);

		n = pread(fd, part, sizeof(part), (off_t)off);
		if (n != (ssize_t)want || memcmp(part, all + off, want) != 0) {
			fprintf(stderr, "offset %zu: got %zd bytes, want %zu\n", off, n, want);
			return 1;
		}
		if (off == 0)
			break;
	}
	if (pread(fd, part, 10, (off_t)len) != 0 || pread(fd, part, 10, (off_t)len + 4096) != 0) {
		fprintf(stderr, "reading past the end gave bytes\n");
		return 1;
	}
	/* a sequential read() from the same open sees the same text */
	n = read(fd, part, sizeof(part));
	if (n <= 0 || memcmp(part, all, (size_t)n) != 0) {
		fprintf(stderr, "read() after pread() differs\n");
		return 1;
	}
	printf("len=%zu ok\n", len);
	close(fd);
	return 0;
}

static int op_errno(const char *op, const char *file)
{
	int r = -1, fd;
	struct timespec ts[2] = { { 0, 0 }, { 0, 0 } };

	errno = 0;
	if (strcmp(op, "open-rw") == 0)
		r = fd = open(file, O_RDWR);
	else if (strcmp(op, "open-wr") == 0)
		r = fd = open(file, O_WRONLY);
	else if (strcmp(op, "open-trunc") == 0)
		r = fd = open(file, O_RDONLY | O_TRUNC);
	else if (strcmp(op, "setxattr") == 0)
		r = setxattr(file, "user.lxcfs", "x", 1, 0);
	else if (strcmp(op, "removexattr") == 0)
		r = removexattr(file, "user.lxcfs");
	else if (strcmp(op, "chmod") == 0)
		r = chmod(file, 0666);
	else if (strcmp(op, "truncate") == 0)
		r = truncate(file, 0);
	else if (strcmp(op, "utimes") == 0)
		r = utimensat(AT_FDCWD, file, ts, 0);
	else {
		fprintf(stderr, "unknown op %s\n", op);
		return 2;
	}
	printf("%s\n", r >= 0 ? "OK" : strerrorname_np(errno));
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "dtypes") == 0)
		return dtypes(argv[2]);
	if (argc == 3 && strcmp(argv[1], "pread") == 0)
		return preads(argv[2]);
	if (argc == 4 && strcmp(argv[1], "errno") == 0)
		return op_errno(argv[2], argv[3]);
	fprintf(stderr, "usage: fsprobe dtypes DIR | pread FILE | errno OP FILE\n");
	return 2;
}
