// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The counter state segment's layout and updates (see cpustate.h).
 *
 *   0                    struct stateseg_hdr (the supervisor's, contract.h)
 *   STATESEG_HDR_SIZE    struct cs_ctl: layout word, allocation lock, LRU clock
 *   + CS_PAGE            CPUSTATE_ENTRIES x struct cs_slot (key, lock, stamp)
 *   then                 CPUSTATE_ENTRIES x struct cs_entry
 *
 * Locks are 64-bit words in the segment, (pid << 32 | ticket) of the
 * holder or 0, taken with compare-and-swap: they work across processes.
 * A waiter that sees the same holder for CPUSTATE_LOCK_WAIT_MS takes the
 * lock over (that holder died inside an update), so a collector killed
 * at any moment never wedges the next one.  No update does I/O or a
 * syscall while it holds a lock.  Everything read from the segment is
 * checked before use (a dead or confused writer leaves any bytes there):
 * indices against the table, arithmetic saturated.
 *
 * Syscalls (all before the sandbox but clock_gettime, a vDSO call):
 * fstat, mmap(MAP_SHARED) of the fd, madvise(MADV_REMOVE), getpid.
 */
#include "config.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "contract.h"
#include "cpustate.h"
#include "log.h"
#include "siphash.h"

#define CS_PAGE	  4096u
#define CS_LAYOUT 0x43530001u /* bump when any struct below changes */
/* how many spins between two looks at the clock while waiting */
#define CS_SPINS_PER_CHECK 1024

struct cs_ctl {
	_Atomic uint32_t layout; /* CS_LAYOUT once a collector set it up */
	uint32_t pad;
	_Atomic uint64_t lock;	/* held to claim or evict a slot */
	_Atomic uint64_t clock; /* LRU clock: one tick per update */
};

struct cs_slot {
	_Atomic uint64_t key; /* 0: never used */
	_Atomic uint64_t stamp;
	_Atomic uint64_t lock; /* held while the entry is updated */
	uint64_t pad;
};

struct cs_counter {
	uint64_t raw, shown;
};

struct cs_lstate {
	uint32_t src;
	uint32_t pad;
	uint64_t gen; /* the stat read that last updated it */
	int64_t base; /* idle = wall + base - busy */
	struct cs_counter f[CS_NFIELDS];
};

struct cs_head {
	uint64_t key;
	uint64_t sgen; /* stat reads so far; never reset, not even on reuse */
	uint64_t born; /* sgen when this container took the entry */
	uint64_t up_cs, host_up_cs;
	uint64_t cpu_wall_cs; /* sum over reads of visible CPUs x elapsed cs */
	uint32_t valid, xvalid;
	struct cs_lstate total;
	struct cs_counter x[CS_NEXTRA];
};

struct cs_entry {
	struct cs_head h;
	struct cs_lstate line[CPUSTATE_LINES];
};

#define CS_SLOTS_OFF   (STATESEG_HDR_SIZE + CS_PAGE)
#define CS_ENTRIES_OFF (CS_SLOTS_OFF + CPUSTATE_ENTRIES * sizeof(struct cs_slot))

_Static_assert(sizeof(struct cs_ctl) <= CS_PAGE, "control block size");
_Static_assert(CS_ENTRIES_OFF % 64 == 0, "entry alignment");
_Static_assert(CS_ENTRIES_OFF + CPUSTATE_ENTRIES * sizeof(struct cs_entry) <= STATESEG_SIZE,
	       "the entries fit in the segment");

struct cpustate {
	void *base;
	uint64_t key[2];
	struct cs_ctl *ctl;
	struct cs_slot *slot;
	struct cs_entry *ent;
	uint64_t me;	 /* pid << 32 */
	uint32_t ticket; /* the low half of a lock value: acquisitions */
};

/* ---- mapping ---- */

static void reset_area(struct cpustate *cs)
{
	char *p = (char *)cs->base + STATESEG_HDR_SIZE;
	size_t n = STATESEG_SIZE - STATESEG_HDR_SIZE;

	/* hand the pages back; where that is refused, zero them */
	if (madvise(p, n, MADV_REMOVE) < 0)
		memset(p, 0, n);
}

struct cpustate *cpustate_attach(int fd, int *err)
{
	const struct stateseg_hdr *h;
	struct cpustate *cs;
	struct stat st;
	uint32_t layout = 0;
	void *p;

	if (fstat(fd, &st) < 0) {
		*err = -errno;
		return NULL;
	}
	if (!S_ISREG(st.st_mode) || st.st_size != (off_t)STATESEG_SIZE) {
		*err = -EINVAL;
		return NULL;
	}
	p = mmap(NULL, STATESEG_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		*err = -errno;
		return NULL;
	}
	h = p;
	cs = calloc(1, sizeof(*cs));
	if (!cs || h->magic != STATESEG_MAGIC || h->version != STATESEG_VERSION ||
	    h->hdr_size != STATESEG_HDR_SIZE || h->size != STATESEG_SIZE) {
		*err = cs ? -EINVAL : -ENOMEM;
		free(cs);
		munmap(p, STATESEG_SIZE);
		return NULL;
	}
	cs->base = p;
	memcpy(cs->key, h->key, sizeof(cs->key));
	cs->ctl = (struct cs_ctl *)((char *)p + STATESEG_HDR_SIZE);
	cs->slot = (struct cs_slot *)((char *)p + CS_SLOTS_OFF);
	cs->ent = (struct cs_entry *)((char *)p + CS_ENTRIES_OFF);
	cs->me = (uint64_t)(uint32_t)getpid() << 32;
	if (!atomic_compare_exchange_strong(&cs->ctl->layout, &layout, CS_LAYOUT) &&
	    layout != CS_LAYOUT) {
		/* written by a collector of another layout (a live upgrade) */
		log_warn("counter state of another layout (%#x): starting it afresh", layout);
		reset_area(cs);
		atomic_store(&cs->ctl->layout, CS_LAYOUT);
	}
	return cs;
}

void cpustate_detach(struct cpustate *cs)
{
	if (!cs)
		return;
	munmap(cs->base, STATESEG_SIZE);
	free(cs);
}

/* ---- locks ---- */

static uint64_t mono_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

static uint64_t lock_take(struct cpustate *cs, _Atomic uint64_t *l)
{
	uint64_t mine = cs->me | ++cs->ticket;
	uint64_t seen = 0, since = 0;

	for (unsigned spin = 0;; spin++) {
		uint64_t cur = 0;

		if (atomic_compare_exchange_weak_explicit(l, &cur, mine, memory_order_acquire,
							  memory_order_relaxed))
			return mine;
		if (cur == 0 || spin % CS_SPINS_PER_CHECK)
			continue;
		if (cur != seen) { /* a new holder: it is alive */
			seen = cur;
			since = mono_ms();
		} else if (mono_ms() - since >= CPUSTATE_LOCK_WAIT_MS &&
			   atomic_compare_exchange_strong_explicit(
			       l, &cur, mine, memory_order_acquire, memory_order_relaxed)) {
			log_warn("counter state: took over a lock held by dead pid %u",
				 (unsigned)(seen >> 32));
			return mine;
		}
	}
}

static void lock_drop(_Atomic uint64_t *l, uint64_t mine)
{
	/* fails only if it was taken over from us: then it is not ours */
	atomic_compare_exchange_strong_explicit(l, &mine, 0, memory_order_release,
						memory_order_relaxed);
}

/* ---- entries ---- */

static int slot_find(struct cpustate *cs, uint64_t key)
{
	for (unsigned i = 0; i < CPUSTATE_ENTRIES; i++) {
		unsigned s = (unsigned)((key + i) % CPUSTATE_ENTRIES);
		uint64_t k = atomic_load_explicit(&cs->slot[s].key, memory_order_acquire);

		if (k == key)
			return (int)s;
		if (k == 0)
			return -1; /* slots are never emptied: the key is not further on */
	}
	return -1;
}

/* The first free slot of key's probe sequence, else the least recently
 * used slot. */
static unsigned slot_victim(struct cpustate *cs, uint64_t key)
{
	unsigned best = (unsigned)(key % CPUSTATE_ENTRIES);
	uint64_t best_stamp = UINT64_MAX;

	for (unsigned i = 0; i < CPUSTATE_ENTRIES; i++) {
		unsigned s = (unsigned)((key + i) % CPUSTATE_ENTRIES);
		uint64_t st;

		if (atomic_load(&cs->slot[s].key) == 0)
			return s;
		st = atomic_load(&cs->slot[s].stamp);
		if (st < best_stamp) {
			best_stamp = st;
			best = s;
		}
	}
	return best;
}

/* Give slot s (locked) to key: a fresh entry. */
static void entry_claim(struct cpustate *cs, unsigned s, uint64_t key)
{
	struct cs_head *h = &cs->ent[s].h;
	uint64_t sgen = h->sgen + 1;

	/* the lines are not cleared: a line from before "born" counts as new */
	memset(h, 0, sizeof(*h));
	h->key = key;
	h->sgen = sgen;
	h->born = sgen;
	atomic_store_explicit(&cs->slot[s].key, key, memory_order_release);
}

/* The entry of key, locked (*mine: the lock value to drop). */
static unsigned entry_get(struct cpustate *cs, uint64_t key, uint64_t *mine)
{
	int s = slot_find(cs, key);
	uint64_t ctl;

	if (s >= 0) {
		*mine = lock_take(cs, &cs->slot[s].lock);
		if (atomic_load(&cs->slot[s].key) == key && cs->ent[s].h.key == key)
			return (unsigned)s;
		lock_drop(&cs->slot[s].lock, *mine); /* reused meanwhile */
	}
	ctl = lock_take(cs, &cs->ctl->lock);
	s = slot_find(cs, key);
	if (s < 0)
		s = (int)slot_victim(cs, key);
	*mine = lock_take(cs, &cs->slot[s].lock);
	if (atomic_load(&cs->slot[s].key) != key || cs->ent[s].h.key != key)
		entry_claim(cs, (unsigned)s, key);
	lock_drop(&cs->ctl->lock, ctl);
	return (unsigned)s;
}

static uint64_t hash_id(const struct cpustate *cs, const char *id, size_t len)
{
	uint64_t k = siphash24(cs->key, id, len);

	return k ? k : 1; /* 0 marks a free slot */
}

/* ---- arithmetic ---- */

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a + b < a ? UINT64_MAX : a + b;
}

static uint64_t sat_mul(uint64_t a, uint64_t b)
{
	unsigned __int128 p = (unsigned __int128)a * b;

	return p > UINT64_MAX ? UINT64_MAX : (uint64_t)p;
}

static uint64_t cs_to_ticks(uint64_t cs, unsigned hz)
{
	return (uint64_t)((unsigned __int128)cs * hz / 100);
}

static int64_t to_i64(__int128 v)
{
	return v > INT64_MAX ? INT64_MAX : v < INT64_MIN ? INT64_MIN : (int64_t)v;
}

/* Time a line accounts for besides idle: everything but idle and the
 * guest columns (the kernel counts guest time in user already). */
static uint64_t busy_of(const uint64_t *f, size_t stride)
{
	static const enum cs_field busy[] = { CS_USER, CS_NICE,	   CS_SYSTEM, CS_IOWAIT,
					      CS_IRQ,  CS_SOFTIRQ, CS_STEAL };
	uint64_t b = 0;

	for (size_t i = 0; i < sizeof(busy) / sizeof(busy[0]); i++)
		b = sat_add(b, f[busy[i] * stride]);
	return b;
}

static uint64_t clamp_idle(__int128 v, uint64_t cap)
{
	return v < 0 ? 0 : v > cap ? cap : (uint64_t)v;
}

/* ---- lines ---- */

enum line_mode { LINE_NEW, LINE_CONTINUE, LINE_REBASE };

/* user and system grow together, as the kernel's cputime_adjust() keeps
 * them: their sum by exactly what the raw sum grew, each never backwards,
 * shared in the raw ratio.  Counted one by one, a raw split whose ratio
 * wobbles from read to read (usage split by cpuacct.stat, cpu.stat's
 * user_usec and system_usec) would add up to more than the CPU time. */
static void user_system(struct cs_lstate *l, const struct cs_raw_line *raw)
{
	struct cs_counter *u = &l->f[CS_USER], *sy = &l->f[CS_SYSTEM];
	uint64_t now = sat_add(raw->f[CS_USER], raw->f[CS_SYSTEM]);
	uint64_t last = sat_add(u->raw, sy->raw);
	uint64_t d = now > last ? now - last : 0, want;

	if (d) {
		want =
		    now ? (uint64_t)((unsigned __int128)sat_add(sat_add(u->shown, sy->shown), d) *
				     raw->f[CS_USER] / now)
			: u->shown;
		want = want < u->shown ? u->shown : want - u->shown > d ? u->shown + d : want;
		sy->shown = sat_add(sy->shown, d - (want - u->shown));
		u->shown = want;
	}
}

static void line_update(struct cs_lstate *l, const struct cs_raw_line *raw, enum line_mode mode,
			uint64_t wall, uint64_t cap, uint64_t *out)
{
	bool same = mode == LINE_CONTINUE && l->src == raw->src;
	uint64_t busy, idle = l->f[CS_IDLE].shown;

	if (same)
		user_system(l, raw);
	for (int f = 0; f < CS_NFIELDS; f++) {
		if (f == CS_IDLE)
			continue;
		if (mode == LINE_NEW)
			l->f[f].shown = raw->f[f];
		else if (same && f != CS_USER && f != CS_SYSTEM && raw->f[f] > l->f[f].raw)
			l->f[f].shown = sat_add(l->f[f].shown, raw->f[f] - l->f[f].raw);
		l->f[f].raw = raw->f[f];
	}
	busy = busy_of(&l->f[0].shown, sizeof(l->f[0]) / sizeof(uint64_t));
	if (mode == LINE_NEW) {
		idle = clamp_idle((__int128)wall - busy, cap);
		l->base = to_i64((__int128)busy + idle - wall);
	} else if (mode == LINE_REBASE) {
		if (idle > cap)
			idle = cap; /* garbage from a broken writer */
		l->base = to_i64((__int128)busy + idle - wall);
	} else {
		uint64_t next = clamp_idle((__int128)wall + l->base - busy, cap);

		if (next > idle)
			idle = next;
	}
	l->f[CS_IDLE].shown = idle;
	l->src = raw->src;
	for (int f = 0; f < CS_NFIELDS; f++)
		out[f] = l->f[f].shown;
}

/* A line without state: busy as sampled, idle what the wall time leaves. */
static void line_stateless(const struct cs_raw_line *raw, uint64_t wall, uint64_t cap,
			   uint64_t *out)
{
	memcpy(out, raw->f, sizeof(raw->f));
	out[CS_IDLE] = clamp_idle((__int128)wall - busy_of(raw->f, 1), cap);
}

static void view_stateless(const struct cs_sample *in, struct cs_view *out)
{
	uint64_t up = cs_to_ticks(in->init_age_cs, in->hz);
	uint64_t all = sat_mul(up, in->ncpus);
	struct cs_raw_line total = { .src = 0 };

	memcpy(total.f, in->total, sizeof(total.f));
	out->up_cs = in->init_age_cs;
	line_stateless(&total, all, all, out->total);
	memcpy(out->extra, in->extra, sizeof(out->extra));
	for (unsigned i = 0; in->stat && i < in->nlines; i++)
		line_stateless(&in->line[i], up, up, out->line[i]);
}

/* ---- one update ---- */

static void advance_clock(struct cs_head *h, const struct cs_sample *in)
{
	uint64_t dt;

	if (!h->valid) {
		h->up_cs = in->init_age_cs;
		h->host_up_cs = in->host_up_cs;
		h->cpu_wall_cs = sat_mul(in->init_age_cs, in->ncpus);
		h->valid = 1;
		return;
	}
	dt = in->host_up_cs > h->host_up_cs ? in->host_up_cs - h->host_up_cs : 0;
	h->up_cs = sat_add(h->up_cs, dt);
	h->cpu_wall_cs = sat_add(h->cpu_wall_cs, sat_mul(dt, in->ncpus));
	if (in->host_up_cs > h->host_up_cs)
		h->host_up_cs = in->host_up_cs;
}

static void update_extra(struct cs_head *h, const struct cs_sample *in, struct cs_view *out)
{
	for (int i = 0; i < CS_NEXTRA; i++) {
		struct cs_counter *c = &h->x[i];

		if (!h->xvalid)
			c->shown = in->extra[i];
		else if (in->extra[i] > c->raw)
			c->shown = sat_add(c->shown, in->extra[i] - c->raw);
		c->raw = in->extra[i];
		out->extra[i] = c->shown;
	}
	h->xvalid = 1;
}

static void update_lines(struct cs_entry *e, const struct cs_sample *in, uint64_t wall,
			 struct cs_view *out)
{
	struct cs_head *h = &e->h;
	uint64_t prev = h->sgen, gen = h->sgen + 1;

	for (unsigned i = 0; i < in->nlines; i++) {
		struct cs_lstate *l;
		enum line_mode mode;

		if (in->line[i].slot >= CPUSTATE_LINES) {
			line_stateless(&in->line[i], wall, wall, out->line[i]);
			continue;
		}
		l = &e->line[in->line[i].slot];
		mode = l->gen <= h->born || l->gen > prev ? LINE_NEW
		       : l->gen == prev			  ? LINE_CONTINUE
							  : LINE_REBASE;
		line_update(l, &in->line[i], mode, wall, wall, out->line[i]);
		l->gen = gen;
	}
	h->sgen = gen;
}

static void update_entry(struct cs_entry *e, const struct cs_sample *in, struct cs_view *out)
{
	struct cs_head *h = &e->h;
	struct cs_raw_line total = { .src = 0 };
	uint64_t up, all;

	advance_clock(h, in);
	up = cs_to_ticks(h->up_cs, in->hz);
	all = cs_to_ticks(h->cpu_wall_cs, in->hz);
	memcpy(total.f, in->total, sizeof(total.f));
	line_update(&h->total, &total, h->total.gen ? LINE_CONTINUE : LINE_NEW, all,
		    sat_mul(up, in->ncpus), out->total);
	h->total.gen = 1;
	out->up_cs = h->up_cs;
	if (!in->stat)
		return;
	update_extra(h, in, out);
	update_lines(e, in, up, out);
}

void cpustate_update(struct cpustate *cs, const char *id, size_t idlen, const struct cs_sample *in,
		     struct cs_view *out)
{
	uint64_t key, mine;
	unsigned s;

	if (!cs || in->hz == 0 || in->ncpus == 0) {
		view_stateless(in, out);
		return;
	}
	key = hash_id(cs, id, idlen);
	s = entry_get(cs, key, &mine);
	atomic_store(&cs->slot[s].stamp, atomic_fetch_add(&cs->ctl->clock, 1) + 1);
	update_entry(&cs->ent[s], in, out);
	lock_drop(&cs->slot[s].lock, mine);
}
