/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Sandbox policies: which syscalls and capabilities each child keeps,
 * as tables with a reason per entry (seccomp_fused.c,
 * seccomp_collector.c, caps.c), applied by sandbox_enter() in a fixed
 * order in the main thread before any thread exists:
 *   drop the bounding set; setgroups/setresgid/setresuid; set the
 *   capability sets; clear ambient; no_new_privs; not dumpable; seccomp.
 */
#ifndef LXCFS_SANDBOX_H
#define LXCFS_SANDBOX_H

#include <seccomp.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

enum sandbox_role {
	SANDBOX_FUSED,
	SANDBOX_COLLECTOR,
};

/* One allowed syscall; optional argument conditions (all must hold). */
struct sc_rule {
	int nr;
	const char *name;
	const char *why;
	unsigned argc;
	struct scmp_arg_cmp arg[2];
};

/* Rows of the policy tables: syscall n, allowed for reason w; SC1 with
 * one condition a on its arguments (SCMP_A0(...), ...). */
#define SC(n, w)                                                                                   \
	{                                                                                          \
		.nr = SCMP_SYS(n), .name = #n, .why = (w)                                          \
	}
#define SC1(n, w, a)                                                                               \
	{                                                                                          \
		.nr = SCMP_SYS(n), .name = #n, .why = (w), .argc = 1, .arg = { a }                 \
	}

struct cap_rule {
	int cap;
	const char *name;
	const char *why;
};

extern const struct sc_rule seccomp_fused[];
extern const size_t seccomp_fused_len;
extern const struct sc_rule seccomp_collector[];
extern const size_t seccomp_collector_len;
extern const struct cap_rule caps_collector[];
extern const size_t caps_collector_len;

/* Log denied syscalls instead of killing (debugging a policy). */
void sandbox_set_log_only(bool on);
/* Enter the role's sandbox as uid/gid (never 0); fatal() on any failure.
 * The collector keeps the capabilities of caps.c, the front none. */
void sandbox_enter(enum sandbox_role role, uid_t uid, gid_t gid);
/* Print the role's policy: one line per capability and syscall. */
void sandbox_dump(enum sandbox_role role, FILE *out);

#endif
