/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fixture hosts for the unit tests that render: where the fixture trees
 * are (LXCFS_FIXTURES, else <argv[1]>/tests/unit/fixtures, else
 * tests/unit/fixtures), a struct host opened on one of them or on a
 * temporary copy (<dir>/proc, <dir>/sys/devices/system/cpu, <dir>/cgroup),
 * and the copy itself: made by copy_fixture(), changed by put(), removed
 * by remove_copy().  One test program includes it once.
 */
#ifndef LXCFS_TEST_FIXTURE_H
#define LXCFS_TEST_FIXTURE_H

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "render.h"
#include "tap.h"
#include "fixture_cg.h"
#include "testfs.h"

static char fixtures[PATH_MAX]; /* the fixture trees */
static char tmp[256];		/* the temporary copy, "" when there is none */

/* openat(O_DIRECTORY) or a harness error. */
static inline int open_dir(int at, const char *path, int flags)
{
	int fd = openat(at, path, flags | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		die(path);
	return fd;
}

static inline void find_fixtures(int argc, char **argv)
{
	const char *env = getenv("LXCFS_FIXTURES");
	int n;

	if (env && *env)
		n = snprintf(fixtures, sizeof(fixtures), "%s", env);
	else if (argc > 1)
		n = snprintf(fixtures, sizeof(fixtures), "%s/tests/unit/fixtures", argv[1]);
	else
		n = snprintf(fixtures, sizeof(fixtures), "tests/unit/fixtures");
	if (n < 0 || (size_t)n >= sizeof(fixtures))
		die("fixtures path");
	diag("fixtures in %s", fixtures);
}

/* <fixtures>/rel */
static inline void fixture_path(char *p, size_t size, const char *rel)
{
	if (snprintf(p, size, "%s/%s", fixtures, rel) >= (int)size)
		die("fixture path");
}

/* A host from the tree at root (a directory fd). */
static inline void host_open_at(struct host *h, int root)
{
	int cg = open_dir(root, "cgroup", O_RDONLY);

	h->proc_fd = open_dir(root, "proc", O_PATH);
	h->sys_cpu_fd = open_dir(root, "sys/devices/system/cpu", O_PATH);
	cg_layout_init(&h->cg);
	if (fixture_layout_from_dir(&h->cg, cg) < 0)
		die("fixture_layout_from_dir");
	close(cg);
}

/* A host from the tree at dir (a path). */
static inline void host_open_path(struct host *h, const char *dir)
{
	int root = open_dir(AT_FDCWD, dir, O_RDONLY);

	host_open_at(h, root);
	close(root);
}

/* A host from fixture tree name ("v1", "v2", "hybrid"). */
static inline void host_open(struct host *h, const char *name)
{
	char p[PATH_MAX];

	fixture_path(p, sizeof(p), name);
	host_open_path(h, p);
}

static inline void host_close(struct host *h)
{
	close(h->proc_fd);
	close(h->sys_cpu_fd);
	fixture_layout_close(&h->cg);
}

/* Copy fixture tree name to a fresh directory under /tmp (its path in
 * dir, size bytes). */
static inline void copy_fixture_to(char *dir, size_t size, const char *name)
{
	char p[PATH_MAX];
	int s, t;

	snprintf(dir, size, "/tmp/lxcfs-%s-XXXXXX", program_invocation_short_name);
	if (!mkdtemp(dir))
		die("mkdtemp");
	fixture_path(p, sizeof(p), name);
	s = open_dir(AT_FDCWD, p, O_RDONLY);
	t = open_dir(AT_FDCWD, dir, O_RDONLY);
	testfs_copy_tree(s, t);
	close(s);
	close(t);
}

/* Remove a directory copy_fixture_to() made. */
static inline void remove_dir(const char *dir)
{
	int fd = open_dir(AT_FDCWD, "/tmp", O_RDONLY);

	rm_rf_at(fd, dir + strlen("/tmp/"));
	close(fd);
}

/* The temporary copy: tmp. */
static inline void copy_fixture(const char *name)
{
	copy_fixture_to(tmp, sizeof(tmp), name);
}

static inline void remove_copy(void)
{
	remove_dir(tmp);
	tmp[0] = '\0';
}

/* Replace (or create) the file rel of the copy with len bytes of text. */
static inline void put(const char *rel, const void *text, size_t len)
{
	char p[PATH_MAX];
	int fd;

	if (snprintf(p, sizeof(p), "%s/%s", tmp, rel) >= (int)sizeof(p))
		die("path");
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, text, len) != (ssize_t)len)
		die(p);
	close(fd);
}

static inline void puts_(const char *rel, const char *text)
{
	put(rel, text, strlen(text));
}

#endif
