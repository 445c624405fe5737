/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* File-system helpers shared by the unit tests that build temporary trees. */
#ifndef LXCFS_TESTFS_H
#define LXCFS_TESTFS_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A test harness failure (not a test failure): exit 99, a TAP hard error. */
static inline void die(const char *what)
{
	perror(what);
	exit(99);
}

/* Remove at/name recursively, without ever building a full path. */
static inline void rm_rf_at(int at, const char *name)
{
	int fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct dirent *de;
	DIR *d;

	if (fd < 0) {
		unlinkat(at, name, 0);
		return;
	}
	d = fdopendir(fd);
	if (!d)
		die("fdopendir");
	while ((de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (unlinkat(dirfd(d), de->d_name, 0) < 0 && errno == EISDIR)
			rm_rf_at(dirfd(d), de->d_name);
	}
	closedir(d);
	unlinkat(at, name, AT_REMOVEDIR);
}

/* Create at/rel and its missing parents (mode 0755). */
static inline void testfs_mkdirs(int at, const char *rel)
{
	char p[4096];

	if (snprintf(p, sizeof(p), "%s", rel) >= (int)sizeof(p))
		die("testfs_mkdirs: path too long");
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdirat(at, p, 0755) < 0 && errno != EEXIST)
			die(p);
		*s = '/';
	}
	if (mkdirat(at, p, 0755) < 0 && errno != EEXIST)
		die(p);
}

/* Write len bytes of text to at/rel (created or truncated), then set mode. */
static inline void testfs_write(int at, const char *rel, const void *text, size_t len, mode_t mode)
{
	int fd = openat(at, rel, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);

	if (fd < 0 || write(fd, text, len) != (ssize_t)len || fchmod(fd, mode) < 0)
		die(rel);
	close(fd);
}

static inline void testfs_put(int at, const char *rel, const char *text)
{
	testfs_write(at, rel, text, strlen(text), 0644);
}

/* Copy the directory tree src into the (existing, empty) directory dst:
 * directories and regular files; anything else is a harness error. */
static inline void testfs_copy_tree(int src, int dst)
{
	DIR *d = fdopendir(dup(src));
	struct dirent *de;

	if (!d)
		die("fdopendir");
	while ((de = readdir(d))) {
		struct stat st;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (fstatat(src, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			die(de->d_name);
		if (S_ISDIR(st.st_mode)) {
			int s, t;

			if (mkdirat(dst, de->d_name, 0755) < 0)
				die(de->d_name);
			s = openat(src, de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			t = openat(dst, de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (s < 0 || t < 0)
				die(de->d_name);
			testfs_copy_tree(s, t);
			close(s);
			close(t);
		} else if (S_ISREG(st.st_mode)) {
			char b[65536];
			int s = openat(src, de->d_name, O_RDONLY | O_CLOEXEC);
			int t =
			    openat(dst, de->d_name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
			ssize_t n;

			if (s < 0 || t < 0)
				die(de->d_name);
			while ((n = read(s, b, sizeof(b))) > 0)
				if (write(t, b, (size_t)n) != n)
					die(de->d_name);
			if (n < 0)
				die(de->d_name);
			close(s);
			close(t);
		} else {
			errno = EINVAL;
			die(de->d_name);
		}
	}
	closedir(d);
}

#endif
