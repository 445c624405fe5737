// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The loader of the sandbox policies.
 * Syscalls: prctl (PR_CAPBSET_DROP, PR_CAP_AMBIENT, PR_SET_NO_NEW_PRIVS,
 * PR_SET_DUMPABLE), setgroups, setresgid, setresuid, capset, seccomp.
 * Capabilities: CAP_SETPCAP (bounding set), CAP_SETUID/CAP_SETGID (the
 * unprivileged uid both children run as); all of them are gone when this
 * returns, but for the collector's two (caps.c).
 */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "cleanup.h"
#include "log.h"
#include "sandbox.h"

static bool log_only;

void sandbox_set_log_only(bool on)
{
	log_only = on;
}

static bool keeps_cap(enum sandbox_role role, int cap)
{
	if (role != SANDBOX_COLLECTOR)
		return false;
	for (size_t i = 0; i < caps_collector_len; i++)
		if (caps_collector[i].cap == cap)
			return true;
	return false;
}

static void drop_bounding(enum sandbox_role role)
{
	for (int cap = 0; cap <= CAP_LAST_CAP; cap++) {
		if (keeps_cap(role, cap))
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
			fatal("sandbox: dropping capability %d from the bounding set: %m", cap);
	}
}

static void set_ids(uid_t uid, gid_t gid)
{
	if (setgroups(0, NULL) < 0)
		fatal("sandbox: setgroups: %m");
	if (setresgid(gid, gid, gid) < 0)
		fatal("sandbox: setresgid(%u): %m", (unsigned)gid);
	if (setresuid(uid, uid, uid) < 0)
		fatal("sandbox: setresuid(%u): %m", (unsigned)uid);
}

static void set_caps(enum sandbox_role role)
{
	cap_t caps = cap_init(); /* all sets empty */

	if (!caps)
		fatal("sandbox: cap_init: %m");
	if (role == SANDBOX_COLLECTOR) {
		for (size_t i = 0; i < caps_collector_len; i++) {
			cap_value_t v = caps_collector[i].cap;

			if (cap_set_flag(caps, CAP_PERMITTED, 1, &v, CAP_SET) < 0 ||
			    cap_set_flag(caps, CAP_EFFECTIVE, 1, &v, CAP_SET) < 0)
				fatal("sandbox: cap_set_flag: %m");
		}
	}
	if (cap_set_proc(caps) < 0)
		fatal("sandbox: cap_set_proc: %m");
	cap_free(caps);
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		fatal("sandbox: clearing ambient capabilities: %m");
}

static void load_seccomp(enum sandbox_role role)
{
	const struct sc_rule *rules = role == SANDBOX_FUSED ? seccomp_fused : seccomp_collector;
	size_t n = role == SANDBOX_FUSED ? seccomp_fused_len : seccomp_collector_len;
	scmp_filter_ctx ctx = seccomp_init(log_only ? SCMP_ACT_LOG : SCMP_ACT_KILL_PROCESS);
	int r;

	if (!ctx)
		fatal("sandbox: seccomp_init failed");
	for (size_t i = 0; i < n; i++) {
		r = seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, rules[i].nr, rules[i].argc,
					   rules[i].argc ? rules[i].arg : NULL);
		if (r < 0)
			fatal("sandbox: seccomp rule for %s: %s", rules[i].name, strerror(-r));
	}
	r = seccomp_load(ctx);
	seccomp_release(ctx);
	if (r < 0)
		fatal("sandbox: seccomp_load: %s", strerror(-r));
}

void sandbox_enter(enum sandbox_role role, uid_t uid, gid_t gid)
{
	if (uid == 0 || gid == 0)
		fatal("sandbox: the sandboxed processes must not run as uid or gid 0");
	drop_bounding(role);
	/* the collector keeps its few capabilities across the uid change */
	if (role == SANDBOX_COLLECTOR && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		fatal("sandbox: PR_SET_KEEPCAPS: %m");
	set_ids(uid, gid);
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
		fatal("sandbox: PR_SET_KEEPCAPS: %m");
	set_caps(role);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		fatal("sandbox: PR_SET_NO_NEW_PRIVS: %m");
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		fatal("sandbox: PR_SET_DUMPABLE: %m");
	load_seccomp(role);
}

void sandbox_dump(enum sandbox_role role, FILE *out)
{
	const struct sc_rule *rules = role == SANDBOX_FUSED ? seccomp_fused : seccomp_collector;
	size_t n = role == SANDBOX_FUSED ? seccomp_fused_len : seccomp_collector_len;

	fprintf(out, "# %s policy: default action kill\n",
		role == SANDBOX_FUSED ? "lxcfs-fused" : "lxcfs-collector");
	if (role == SANDBOX_COLLECTOR)
		for (size_t i = 0; i < caps_collector_len; i++)
			fprintf(out, "capability %s\t# %s\n", caps_collector[i].name,
				caps_collector[i].why);
	else
		fprintf(out,
			"capability none\t# runs as an unprivileged uid with every set empty\n");
	for (size_t i = 0; i < n; i++)
		fprintf(out, "syscall %s%s\t# %s\n", rules[i].name,
			rules[i].argc ? " (argument-restricted)" : "", rules[i].why);
}
