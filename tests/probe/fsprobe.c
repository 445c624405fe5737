// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Small file-system probes for the functional tests, where shell tools
 * hide what matters (d_type, pread offsets, exact errno).
 *   fsprobe dtypes DIR      "d name" / "f name" per entry, from d_type only
 *   fsprobe pread FILE      one open: reads at offsets > 0 agree with the
 *                           rendering of the last read at offset 0 (the
 *                           open's, then a pread's); past the end: 0 bytes
 *   fsprobe reread FILE MIB one open read three times from offset 0, the
 *                           second after touching MIB MiB (see reread())
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

/* read FILE from fd's current position to the end in 7-byte read()s */
static ssize_t read_chunks(int fd, char *buf, size_t max)
{
	size_t len = 0;
	ssize_t n;

	while (len < max && (n = read(fd, buf + len, 7)) > 0)
		len += (size_t)n;
	return n < 0 ? -1 : (ssize_t)len;
}

/* preads at every offset from 1 up, in any order and size, give want[] */
static int check_offsets(int fd, const char *want, size_t len)
{
	static char part[8192];

	for (size_t off = len - 1; off > 0; off = off > 97 ? off - 97 : 0) {
		size_t exp = len - off < sizeof(part) ? len - off : sizeof(part);
		ssize_t n = pread(fd, part, sizeof(part), (off_t)off);

		if (n != (ssize_t)exp || memcmp(part, want + off, exp) != 0) {
			fprintf(stderr, "offset %zu: got %zd bytes, want %zu\n", off, n, exp);
			return 1;
		}
	}
	for (size_t off = 7; off < len; off += 7) {
		ssize_t n = pread(fd, part, 7, (off_t)off);

		if (n != (ssize_t)(len - off < 7 ? len - off : 7) ||
		    memcmp(part, want + off, (size_t)n) != 0) {
			fprintf(stderr, "7 bytes at %zu differ\n", off);
			return 1;
		}
	}
	if (pread(fd, part, 10, (off_t)len) != 0 || pread(fd, part, 10, (off_t)len + 4096) != 0) {
		fprintf(stderr, "reading past the end gave bytes\n");
		return 1;
	}
	return 0;
}

/* One open: every offset > 0 serves the rendering of the last read at
 * offset 0, the first one (the open's) and one made by a pread at 0. */
static int preads(const char *file)
{
	static char all[16 << 20], again[16 << 20];
	ssize_t len, n;
	int fd = open(file, O_RDONLY);

	if (fd < 0) {
		perror(file);
		return 1;
	}
	len = read_chunks(fd, all, sizeof(all));
	if (len <= 0) {
		fprintf(stderr, "read: %s\n", len < 0 ? strerror(errno) : "empty");
		return 1;
	}
	if (check_offsets(fd, all, (size_t)len))
		return 1;
	n = pread(fd, again, sizeof(again), 0);
	if (n <= 0 || check_offsets(fd, again, (size_t)n)) {
		fprintf(stderr, "after a pread at offset 0 (%zd bytes)\n", n);
		return 1;
	}
	printf("len=%zd ok\n", len);
	close(fd);
	return 0;
}

/* What a tool that keeps FILE open sees (top, vmstat 1, free -s):
 *   A  read() to the end after open
 *   B  lseek(0) and read() to the end again, after touching MIB MiB
 *   C  one pread() at 0, after which every offset > 0 must agree with C
 * 100 ms pass before B and before C.  Prints the three renderings. */
static int reread(const char *file, long mib)
{
	static char a[1 << 20], b[1 << 20], c[1 << 20];
	ssize_t la, lb, lc;
	char *mem = NULL;
	int fd = open(file, O_RDONLY);

	if (fd < 0) {
		perror(file);
		return 1;
	}
	la = read_chunks(fd, a, sizeof(a));
	if (mib > 0) {
		mem = malloc((size_t)mib << 20);
		if (!mem) {
			perror("malloc");
			return 1;
		}
		memset(mem, 1, (size_t)mib << 20); /* charged to the reader's cgroup */
	}
	usleep(100000);
	lb = lseek(fd, 0, SEEK_SET) == 0 ? read_chunks(fd, b, sizeof(b)) : -1;
	usleep(100000);
	lc = pread(fd, c, sizeof(c), 0);
	if (la <= 0 || lb <= 0 || lc <= 0) {
		fprintf(stderr, "read: %s\n", strerror(errno));
		return 1;
	}
	if (check_offsets(fd, c, (size_t)lc))
		return 1;
	printf("--- A\n%.*s--- B\n%.*s--- C\n%.*s--- ok\n", (int)la, a, (int)lb, b, (int)lc, c);
	free(mem);
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
	if (argc == 4 && strcmp(argv[1], "reread") == 0)
		return reread(argv[2], strtol(argv[3], NULL, 10));
	if (argc == 4 && strcmp(argv[1], "errno") == 0)
		return op_errno(argv[2], argv[3]);
	fprintf(stderr,
		"usage: fsprobe dtypes DIR | pread FILE | reread FILE MIB | errno OP FILE\n");
	return 2;
}
