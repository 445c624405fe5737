// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * PSI triggers, emulated by sampling (psitrigger.h).  Opens only O_PATH
 * dirfds of cgroups (cg_open_dir) and reads pressure files beneath them
 * read-only; no syscall beyond what rendering uses.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cleanup.h"
#include "fsio.h"
#include "log.h"
#include "psitrigger.h"

#define NSEC_PER_USEC	  1000ULL
#define PRESSURE_TEXT_MAX 4096 /* two lines of about 60 bytes */
#define PSI_TOTAL_KEY	  " total="
#define PSI_TOTAL_KEY_LEN (sizeof(PSI_TOTAL_KEY) - 1)
#define PSI_LINE_WORD_LEN 4 /* "some", "full" */

/* ---- the kernel's arithmetic ---- */

static void window_reset(struct psi_window *w, uint64_t now, uint64_t value, uint64_t prev_growth)
{
	w->start_time = now;
	w->start_value = value;
	w->prev_growth = prev_growth;
}

uint64_t psi_window_update(struct psi_window *w, uint64_t now, uint64_t value)
{
	uint64_t elapsed = now - w->start_time;
	uint64_t growth = value - w->start_value;

	if (elapsed > w->size) {
		window_reset(w, now, value, growth);
	} else {
		/* a u32 in the kernel too: over windows of more than 4.29 s the
		 * interpolation wraps there, and so it does here, so that a
		 * trigger fires when the kernel's would */
		uint32_t remaining = (uint32_t)(w->size - elapsed);

		growth += w->prev_growth * remaining / w->size;
	}
	return growth;
}

void psi_tracker_init(struct psi_tracker *t, uint64_t threshold, uint64_t window, uint64_t now,
		      uint64_t total)
{
	memset(t, 0, sizeof(*t));
	t->threshold = threshold;
	t->win.size = window;
	window_reset(&t->win, now, total, 0);
	t->last_total = total;
}

bool psi_tracker_update(struct psi_tracker *t, uint64_t now, uint64_t total)
{
	bool new_stall = total != t->last_total;

	t->last_total = total;
	if (!new_stall && !t->pending_event)
		return false;
	if (new_stall) {
		uint64_t growth = psi_window_update(&t->win, now, total);

		if (!t->pending_event) {
			if (growth < t->threshold)
				return false;
			t->pending_event = true;
		}
	}
	if (now < t->last_event_time + t->win.size)
		return false; /* at most one event per window */
	t->last_event_time = now;
	t->pending_event = false;
	return true;
}

int psi_total_parse(const char *text, enum proto_psi_kind kind, uint64_t *us)
{
	const char *word = kind == PROTO_PSI_FULL ? "full " : "some ";

	for (const char *line = text; *line;) {
		const char *end = strchrnul(line, '\n'), *p;
		char *num_end;

		if (strncmp(line, word, PSI_LINE_WORD_LEN + 1) == 0) {
			p = memmem(line, (size_t)(end - line), PSI_TOTAL_KEY, PSI_TOTAL_KEY_LEN);
			if (!p || p[PSI_TOTAL_KEY_LEN] < '0' || p[PSI_TOTAL_KEY_LEN] > '9')
				return -EIO;
			errno = 0;
			*us = strtoull(p + PSI_TOTAL_KEY_LEN, &num_end, 10);
			if (errno || (num_end != end && *num_end != ' '))
				return -EIO;
			return 0;
		}
		line = *end ? end + 1 : end;
	}
	return -ENOENT;
}

/* ---- the table ---- */

struct psi_trig {
	uint64_t id;  /* 0: a free slot */
	char *cgroup; /* the unified cgroup's path: whose share it counts in */
	int dfd;      /* that cgroup's dirfd; -1: the host's /proc/pressure */
	dev_t dev;    /* that directory's identity (0, 0: the host's) */
	ino_t ino;
	const char *resource;
	enum proto_psi_kind kind;
	uint64_t period; /* ns between samples */
	uint64_t next_due;
	struct psi_tracker tr;
};

/* One read of a pressure file: both lines' totals.  A run reads each file
 * once, however many due triggers watch it. */
struct reading {
	dev_t dev;
	ino_t ino;
	const char *resource;
	int err;	   /* the read's error, or 0 */
	int line_err[2];   /* per enum proto_psi_kind: its total= */
	uint64_t total[2]; /* ns */
};

struct psitrig {
	const struct host *host;
	struct psitrig_params p;
	unsigned count;
	unsigned long reads;
	struct psi_trig *slot; /* p.max of them */
	struct reading *seen;  /* a run's readings, p.max at most */
};

static uint64_t real_clock(void *arg)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

void psitrig_params_default(struct psitrig_params *p)
{
	*p = (struct psitrig_params){ .max = PSITRIG_MAX,
				      .max_per_cgroup = PSITRIG_MAX_PER_CGROUP,
				      .clock = real_clock };
}

struct psitrig *psitrig_new(const struct host *host, const struct psitrig_params *p)
{
	struct psitrig *pt = calloc(1, sizeof(*pt));

	if (!pt)
		return NULL;
	pt->host = host;
	pt->p = *p;
	if (pt->p.max > PSITRIG_MAX)
		pt->p.max = PSITRIG_MAX;
	if (!pt->p.clock)
		pt->p.clock = real_clock;
	pt->slot = calloc(pt->p.max ? pt->p.max : 1, sizeof(*pt->slot));
	pt->seen = calloc(pt->p.max ? pt->p.max : 1, sizeof(*pt->seen));
	if (!pt->slot || !pt->seen) {
		free(pt->slot);
		free(pt->seen);
		free(pt);
		return NULL;
	}
	return pt;
}

static void slot_clear(struct psitrig *pt, struct psi_trig *e)
{
	if (!e->id)
		return;
	if (e->dfd >= 0)
		close(e->dfd);
	free(e->cgroup);
	memset(e, 0, sizeof(*e));
	pt->count--;
}

void psitrig_free(struct psitrig *pt)
{
	if (!pt)
		return;
	for (unsigned i = 0; i < pt->p.max; i++)
		slot_clear(pt, &pt->slot[i]);
	free(pt->slot);
	free(pt->seen);
	free(pt);
}

static struct psi_trig *find(struct psitrig *pt, uint64_t id)
{
	for (unsigned i = 0; i < pt->p.max; i++)
		if (pt->slot[i].id == id)
			return &pt->slot[i];
	return NULL;
}

static unsigned count_cgroup(const struct psitrig *pt, const char *cgroup)
{
	unsigned n = 0;

	for (unsigned i = 0; i < pt->p.max; i++)
		n += pt->slot[i].id && strcmp(pt->slot[i].cgroup, cgroup) == 0;
	return n;
}

static const char *resource_of(uint64_t node)
{
	switch (node) {
	case VFILE_PROC_PRESSURE_CPU: return "cpu";
	case VFILE_PROC_PRESSURE_IO: return "io";
	case VFILE_PROC_PRESSURE_MEMORY: return "memory";
	default: return NULL;
	}
}

static void read_file(struct psitrig *pt, const struct psi_trig *e, struct reading *rd)
{
	_cleanup_buf_ struct buf b = BUF_INIT(PRESSURE_TEXT_MAX);

	*rd = (struct reading){ .dev = e->dev, .ino = e->ino, .resource = e->resource };
	pt->reads++;
	rd->err = pressure_read(pt->host, e->dfd, e->resource, &b);
	for (int k = PROTO_PSI_SOME; !rd->err && k <= PROTO_PSI_FULL; k++) {
		uint64_t us = 0;

		rd->line_err[k] = psi_total_parse(b.data, (enum proto_psi_kind)k, &us);
		rd->total[k] = us * NSEC_PER_USEC;
	}
}

/* e's stall total in a reading, in ns; a kind the file has no line for
 * (cpu before 5.13: no full) is no pressure file for it. */
static int total_of(const struct reading *rd, const struct psi_trig *e, uint64_t *ns)
{
	int r = rd->err ? rd->err : rd->line_err[e->kind];

	if (r < 0)
		return r == -ENOENT && !rd->err ? -EOPNOTSUPP : r;
	*ns = rd->total[e->kind];
	return 0;
}

/* The reading of e's file in this run: one made for another trigger, or
 * a new one (n: how many the run has). */
static const struct reading *reading_for(struct psitrig *pt, const struct psi_trig *e, unsigned *n)
{
	for (unsigned i = 0; i < *n; i++) {
		const struct reading *rd = &pt->seen[i];

		if (rd->dev == e->dev && rd->ino == e->ino && rd->resource == e->resource)
			return rd;
	}
	read_file(pt, e, &pt->seen[*n]);
	return &pt->seen[(*n)++];
}

/* The next multiple of period: triggers of one period sample together. */
static uint64_t next_tick(uint64_t now, uint64_t period)
{
	return (now / period + 1) * period;
}

/* Where e reads: the dirfd and its identity, or the host's file. */
static int open_source(const struct psitrig *pt, struct psi_trig *e, const struct target *t)
{
	struct stat st;
	int r = pressure_source(pt->host, t, &e->dfd);

	if (r < 0 || e->dfd < 0)
		return r;
	if (fstat(e->dfd, &st) < 0)
		return -errno;
	e->dev = st.st_dev;
	e->ino = st.st_ino;
	return 0;
}

/* Fill e (a free slot) for t's container; 0 or -errno, e untouched then. */
static int fill(struct psitrig *pt, struct psi_trig *e, const struct target *t, uint64_t node,
		uint64_t id, const struct proto_psi_spec *spec)
{
	struct psi_trig n = {
		.id = id, .dfd = -1, .resource = resource_of(node), .kind = spec->kind
	};
	struct reading rd;
	uint64_t total = 0, now;
	int r;

	if (!n.resource || !t->cg.path[CG_UNIFIED])
		return -EOPNOTSUPP;
	if (count_cgroup(pt, t->cg.path[CG_UNIFIED]) >= pt->p.max_per_cgroup)
		return -ENOSPC;
	r = open_source(pt, &n, t);
	if (r == 0) {
		read_file(pt, &n, &rd);
		r = total_of(&rd, &n, &total);
	}
	if (r == 0 && !(n.cgroup = strdup(t->cg.path[CG_UNIFIED])))
		r = -ENOMEM;
	if (r < 0) {
		if (n.dfd >= 0)
			close(n.dfd);
		return r;
	}
	now = pt->p.clock(pt->p.clock_arg);
	n.period = (uint64_t)spec->window_us * NSEC_PER_USEC / PSI_UPDATES_PER_WINDOW;
	n.next_due = next_tick(now, n.period);
	psi_tracker_init(&n.tr, (uint64_t)spec->threshold_us * NSEC_PER_USEC,
			 (uint64_t)spec->window_us * NSEC_PER_USEC, now, total);
	*e = n;
	pt->count++;
	return 0;
}

int psitrig_arm(struct psitrig *pt, const struct target *t, uint64_t node, uint64_t id,
		const struct proto_psi_spec *spec)
{
	struct psi_trig *e;

	if (!id || !proto_psi_spec_valid(spec))
		return -EINVAL;
	e = find(pt, id);
	if (e)
		slot_clear(pt, e); /* armed again (a resend): start afresh */
	else if (!(e = find(pt, 0)))
		return -ENOSPC;
	return fill(pt, e, t, node, id, spec);
}

int psitrig_disarm(struct psitrig *pt, uint64_t id)
{
	struct psi_trig *e = id ? find(pt, id) : NULL;

	if (!e)
		return -ENOENT;
	slot_clear(pt, e);
	return 0;
}

unsigned psitrig_count(const struct psitrig *pt)
{
	return pt->count;
}

uint64_t psitrig_next_due(const struct psitrig *pt)
{
	uint64_t next = 0;

	for (unsigned i = 0; i < pt->p.max; i++) {
		const struct psi_trig *e = &pt->slot[i];

		if (e->id && (!next || e->next_due < next))
			next = e->next_due;
	}
	return next;
}

/* A read that may work next time: keep the trigger. */
static bool transient(int err)
{
	return err == -EMFILE || err == -ENFILE || err == -ENOMEM || err == -EINTR ||
	       err == -EAGAIN;
}

/* Sample e, due at now, from rd: 0, or what emit() returned. */
static int run_one(struct psitrig *pt, struct psi_trig *e, const struct reading *rd, uint64_t now,
		   psitrig_emit_fn *emit, void *arg)
{
	uint64_t id = e->id, total = 0;
	int r = total_of(rd, e, &total);

	e->next_due = next_tick(now, e->period); /* late (a long request): from now */
	if (r < 0 && transient(r)) {
		log_debug("psi trigger %llx: %s; trying again", (unsigned long long)id,
			  strerror(-r));
		return 0;
	}
	if (r < 0) {
		/* it was there at arm: gone with its cgroup (the kernel's
		 * pressure_write() says ENODEV for a removed cgroup) */
		if (r == -EOPNOTSUPP)
			r = -ENODEV;
		log_debug("psi trigger %llx ends: %s", (unsigned long long)id, strerror(-r));
		slot_clear(pt, e);
		return emit(arg, id, r);
	}
	return psi_tracker_update(&e->tr, now, total) ? emit(arg, id, 0) : 0;
}

int psitrig_run(struct psitrig *pt, psitrig_emit_fn *emit, void *arg)
{
	uint64_t now = pt->p.clock(pt->p.clock_arg);
	unsigned nseen = 0;

	for (unsigned i = 0; i < pt->p.max; i++) {
		struct psi_trig *e = &pt->slot[i];
		int r;

		if (!e->id || e->next_due > now)
			continue;
		r = run_one(pt, e, reading_for(pt, e, &nseen), now, emit, arg);
		if (r < 0)
			return r;
	}
	return 0;
}

unsigned long psitrig_reads(const struct psitrig *pt)
{
	return pt->reads;
}
