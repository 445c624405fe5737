/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef LXCFS_OPTIONS_H
#define LXCFS_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define DEFAULT_MOUNTPOINT  "/var/lib/lxcfs"
#define DEFAULT_RUNTIME_DIR "/run"

struct options {
	bool debug, foreground, loadavg, swap_off, zswap_off, cfs, flat, sandbox, seccomp_log;
	bool psi_poll; /* --enable-psi-poll: PSI triggers on proc/pressure files */
	bool mountpoint_given;
	const char *mountpoint;
	const char *pidfile; /* NULL: RUNTIME_DIR/lxcfs.pid */
	const char *runtime_dir;
	const char *user;	  /* NULL: "lxcfs" if it exists, else "nobody" */
	const char *pidns_cgroup; /* "init" (the default), "auto" or "reader" */
};

/* 0: go on; 1: done (help/version printed), exit 0; -1: usage error
 * (message printed), exit 1. */
int options_parse(int argc, char **argv, struct options *o);
void options_usage(FILE *out);

#endif
