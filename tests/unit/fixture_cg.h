/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cgroup layouts of fixture trees, for the unit tests: a directory whose
 * subdirectories are named after v1 controller lists ("memory",
 * "cpu,cpuacct") and "unified" for the v2 tree.  The collector itself
 * only ever builds its layout from mountinfo.
 */
#ifndef LXCFS_FIXTURE_CG_H
#define LXCFS_FIXTURE_CG_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "cgroup.h"

static inline int fixture_layout_from_dir(struct cg_layout *l, int dir_fd)
{
	int dfd = openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int unified_fd = -1, e = 0;
	struct dirent *de;
	DIR *d;

	if (dfd < 0)
		return -errno;
	d = fdopendir(dfd);
	if (!d) {
		e = -errno;
		close(dfd);
		return e;
	}
	for (errno = 0; (de = readdir(d)); errno = 0) {
		bool used = false;
		int fd;

		if (de->d_name[0] == '.')
			continue;
		fd = openat(dirfd(d), de->d_name, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (strcmp(de->d_name, "unified") == 0) {
			unified_fd = fd;
			continue;
		}
		for (int c = 0; c < CG_NCTL; c++) {
			if (cg_ctl_in_list((enum cg_ctl)c, de->d_name)) {
				cg_layout_set(l, (enum cg_ctl)c, fd, false, "/");
				used = true;
			}
		}
		if (!used)
			close(fd);
	}
	e = -errno;
	closedir(d);
	if (e) {
		if (unified_fd >= 0)
			close(unified_fd);
		return e;
	}
	if (unified_fd >= 0)
		cg_layout_add_unified(l, unified_fd, "/");
	return 0;
}

/* Close every hierarchy fd of a layout (one fd may serve several). */
static inline void fixture_layout_close(struct cg_layout *l)
{
	for (int c = 0; c < CG_NCTL; c++) {
		if (l->fd[c] < 0)
			continue;
		for (int d = c + 1; d < CG_NCTL; d++)
			if (l->fd[d] == l->fd[c])
				l->fd[d] = -1;
		close(l->fd[c]);
		l->fd[c] = -1;
	}
}

#endif
