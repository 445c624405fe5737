/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * PSI triggers on proc/pressure/{cpu,io,memory} (--enable-psi-poll),
 * emulated.  The kernel arms a trigger on a writable fd of the pressure
 * file; this process opens nothing for writing, so it samples instead:
 * each trigger reads its container's pressure file (the one the reader
 * sees, render_pressure.c) every window/10 (PSI_UPDATES_PER_WINDOW, the
 * kernel's own update rate; at least 50 ms since a window is >= 500 ms)
 * on a grid of multiples of that period (so triggers of one period wake
 * the collector once, and triggers on one file share its read), and
 * applies the kernel's arithmetic to the total= it finds
 * (kernel/sched/psi.c: window_update(), update_triggers()): the stall
 * growth over the last window, the previous window's growth interpolated
 * for the part not yet elapsed, an event when it reaches the threshold,
 * at most one event per window.
 *
 * A bounded table (PSITRIG_MAX in all, PSITRIG_MAX_PER_CGROUP per
 * container, keyed by the unified cgroup) of triggers named by the
 * front's ids.  Each holds an O_PATH dirfd of its cgroup, so a cgroup that
 * is removed ends its triggers rather than a new cgroup of the same name
 * taking them over.  The caller runs the sampler from its event loop:
 * psitrig_next_due() says when, psitrig_run() does the due work and
 * reports each event through a callback.
 */
#ifndef LXCFS_PSITRIGGER_H
#define LXCFS_PSITRIGGER_H

#include <stdbool.h>
#include <stdint.h>

#include "proto.h"
#include "render.h"

#define PSI_UPDATES_PER_WINDOW 10 /* kernel/sched/psi.c */
#define PSITRIG_MAX	       256
#define PSITRIG_MAX_PER_CGROUP 16

/* ---- the kernel's arithmetic, in ns (struct psi_window and the part of
 * struct psi_trigger that update_triggers() uses) ---- */

struct psi_window {
	uint64_t size;
	uint64_t start_time;
	uint64_t start_value;
	uint64_t prev_growth; /* growth over the previous whole window */
};

struct psi_tracker {
	struct psi_window win;
	uint64_t threshold;
	uint64_t last_total; /* the total at the previous sample */
	uint64_t last_event_time;
	bool pending_event; /* the threshold was reached, the event is rate-limited */
};

/* window_update(): the stall growth within the window that ends at now. */
uint64_t psi_window_update(struct psi_window *w, uint64_t now, uint64_t value);
/* psi_trigger_create(): a new trigger, total being the stall time now. */
void psi_tracker_init(struct psi_tracker *t, uint64_t threshold, uint64_t window, uint64_t now,
		      uint64_t total);
/* One sample, as update_triggers() treats one trigger: true when it
 * generates an event. */
bool psi_tracker_update(struct psi_tracker *t, uint64_t now, uint64_t total);

/* The total= (us) of the some or full line of a pressure file's text:
 * 0, or -ENOENT (no such line; cpu had no full line before 5.13). */
int psi_total_parse(const char *text, enum proto_psi_kind kind, uint64_t *us);

/* ---- the table ---- */

struct psitrig_params {
	unsigned max;		 /* triggers in all, at most PSITRIG_MAX */
	unsigned max_per_cgroup; /* per container */
	/* CLOCK_MONOTONIC in ns (NULL: the real one); the tests pass a fake */
	uint64_t (*clock)(void *arg);
	void *clock_arg;
};

/* The limits above and the real clock. */
void psitrig_params_default(struct psitrig_params *p);

struct psitrig;

struct psitrig *psitrig_new(const struct host *host, const struct psitrig_params *p);
void psitrig_free(struct psitrig *pt);

/* Arm trigger id (not 0) on pressure file node for target t's container
 * (spec valid: proto_psi_spec_valid()).  An id already armed is replaced.
 * 0; -EOPNOTSUPP when t has no such pressure file; -ENOSPC when the table
 * or t's share of it is full; another -errno when the cgroup is gone. */
int psitrig_arm(struct psitrig *pt, const struct target *t, uint64_t node, uint64_t id,
		const struct proto_psi_spec *spec);
/* 0, or -ENOENT for an id not armed. */
int psitrig_disarm(struct psitrig *pt, uint64_t id);
unsigned psitrig_count(const struct psitrig *pt);

/* When the next trigger is due: a CLOCK_MONOTONIC time in ns, or 0 when
 * none is armed (no timer then). */
uint64_t psitrig_next_due(const struct psitrig *pt);

/* emit(arg, id, 0): trigger id fired; emit(arg, id, -errno): its pressure
 * file cannot be read any more (its cgroup is gone) and the trigger is
 * dropped.  A negative return stops the run and is returned. */
typedef int psitrig_emit_fn(void *arg, uint64_t id, int status);
/* Sample every due trigger once; due triggers that watch one file share
 * one read of it. */
int psitrig_run(struct psitrig *pt, psitrig_emit_fn *emit, void *arg);
/* Pressure files read so far (arming and sampling). */
unsigned long psitrig_reads(const struct psitrig *pt);

#endif
