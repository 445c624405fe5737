/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The command line both children share: the supervisor starts each with
 *   --uid UID --gid GID [--relay-log] [--debug] [--no-sandbox] [--seccomp-log]
 * plus options of the child's own; --dump-policy prints the sandbox
 * policy and exits.  One parser, so both children validate their ids
 * alike.
 */
#ifndef LXCFS_CHILDOPT_H
#define LXCFS_CHILDOPT_H

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <string.h>
#include <sys/types.h>

struct child_opts {
	bool debug, relay, sandbox, dump, seccomp_log;
	bool have_uid, have_gid;
	uid_t uid;
	gid_t gid;
};

enum {
	CHILD_OPT_DEBUG = 0x1000,
	CHILD_OPT_RELAY,
	CHILD_OPT_NOSANDBOX,
	CHILD_OPT_SECCOMP_LOG,
	CHILD_OPT_DUMP,
	CHILD_OPT_UID,
	CHILD_OPT_GID,
	CHILD_OPT_HELP,
};

/* The getopt_long entries of the shared options (no terminator). */
#define CHILD_OPTIONS                                                                              \
	{ "debug", no_argument, NULL, CHILD_OPT_DEBUG },                                           \
	    { "relay-log", no_argument, NULL, CHILD_OPT_RELAY },                                   \
	    { "no-sandbox", no_argument, NULL, CHILD_OPT_NOSANDBOX },                              \
	    { "seccomp-log", no_argument, NULL, CHILD_OPT_SECCOMP_LOG },                           \
	    { "dump-policy", no_argument, NULL, CHILD_OPT_DUMP },                                  \
	    { "uid", required_argument, NULL, CHILD_OPT_UID },                                     \
	    { "gid", required_argument, NULL, CHILD_OPT_GID },                                     \
	{                                                                                          \
		"help", no_argument, NULL, CHILD_OPT_HELP                                          \
	}

/* The values of the collector's --pidns-cgroup, whose cgroups a reader in
 * a pid namespace of its own gets: one list for the supervisor, which
 * checks its own option's value, and the collector, which maps it
 * (target.c).  Inline: the front, which has no such option, carries none
 * of it. */
enum pidns_cgroup {
	PIDNS_CG_INIT,	 /* the namespace init's (LXCFS; the default) */
	PIDNS_CG_AUTO,	 /* the reader's own when init's have no limit and its own have */
	PIDNS_CG_READER, /* always the reader's own */
};

/* "init", "auto" or "reader": 0, or -EINVAL. */
static inline int childopt_pidns_cgroup(const char *name, enum pidns_cgroup *mode)
{
	static const char *const names[] = {
		[PIDNS_CG_INIT] = "init",
		[PIDNS_CG_AUTO] = "auto",
		[PIDNS_CG_READER] = "reader",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(name, names[i]) == 0) {
			*mode = (enum pidns_cgroup)i;
			return 0;
		}
	}
	return -EINVAL;
}

/* A decimal uid or gid: digits only, below (id_t)-1.  0 or -EINVAL. */
int childopt_parse_id(const char *s, unsigned long *id);
void childopt_init(struct child_opts *o);
/* Take option c (with optarg).  1: it was a shared option; 0: not one of
 * them; -1: a bad value (message printed).  CHILD_OPT_HELP is left to
 * the caller (returns 0). */
int childopt_take(struct child_opts *o, int c, const char *arg);
/* After the last option: the ids are given, and never 0 unless the sandbox
 * is off.  0 or -1 (message printed). */
int childopt_finish(const struct child_opts *o, const char *prog);

#endif
