/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lxcfs, the root supervisor: its state, shared by main.c (start-up, the
 * mount, signals, the loop), children.c (spawning and restarting the two
 * children) and relay.c (what it accepts from them: log lines and control
 * messages).
 */
#ifndef LXCFS_SUPER_H
#define LXCFS_SUPER_H

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>
#include <time.h>

#include "control.h"
#include "log.h"
#include "options.h"

struct child {
	const char *name;
	const char *tag; /* its log lines are relayed under this tag */
	pid_t pid;
	int log_fd;
	char line[LOG_TEXT_MAX];
	size_t line_len;
	struct timespec started;
	unsigned fast_fails;
	struct timespec next_start;
};

struct super {
	struct options o;
	char mnt[PATH_MAX];
	char pidfile[PATH_MAX];
	char helperdir[PATH_MAX];
	uid_t uid;
	gid_t gid;
	int fuse_fd;
	int sig_fd;
	int ctl_fd;	  /* our end of fused's control socket */
	int pending_chan; /* fused's end of a collector channel not yet handed over */
	int state_fd;	  /* the counter state segment (stateseg.c), or -1 */
	struct child collector, fused;
	struct control_msg init; /* the session's INIT, for a takeover */
	bool have_init;
	unsigned ctl_seen;   /* control kinds the current front has sent (bits) */
	bool fused_takeover; /* the current front took over a live session */
	bool fused_ready;
	bool ever_ready;
	bool upgrade_front; /* SIGUSR1: restart the front once the new collector runs */
	bool stopping;
	bool failed;
	int ready_pipe; /* daemon mode: tells the waiting parent */
};

struct timespec now_mono(void);
long ms_between(const struct timespec *a, const struct timespec *b);
/* daemon mode: tell the waiting parent whether the mount serves */
void report_ready(struct super *s, bool ok);

/* children.c */
void children_ensure(struct super *s);
void children_reap(struct super *s);
void children_stop(struct super *s);

/* relay.c */
void relay_logs(struct child *c);
/* Handle one control message from the front: 1 if one was read, 0 if none
 * was there or the channel is closed. */
int relay_control(struct super *s);

#endif
