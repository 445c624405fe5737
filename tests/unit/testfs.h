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

#endif
