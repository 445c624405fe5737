// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * fuse_lowlevel_ops: one function per operation, inode numbers from the
 * shared vfile table (host-backed entries from the collector).  Offsets
 * and the per-open rendering live here and nowhere else.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cleanup.h"
#include "fused.h"
#include "log.h"
#include "psi.h"
#include "vfile.h"

#define STATIC_TIMEOUT	   86400.0 /* the table never changes */
#define HOST_TIMEOUT	   1.0
#define PER_CALLER_TIMEOUT 0.0 /* cpuN: each reader sees its own CPUs */
/* what the kernel answers a poll of a file that has nothing to wait for
 * (DEFAULT_POLLMASK) */
#define POLL_DEFAULT (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM)

static struct fused *F(fuse_req_t req)
{
	return fuse_req_userdata(req);
}

/* ---- handles: one rendering per open, keyed by id ---- */

static struct handle *handle_get(struct fused *f, uint64_t id)
{
	for (struct handle *h = f->handles[id % HANDLE_BUCKETS]; h; h = h->next)
		if (h->id == id)
			return h;
	return NULL;
}

/* A handle without data under id (0: a new id).  NULL when out of memory. */
static struct handle *handle_new(struct fused *f, uint64_t id)
{
	struct handle *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	h->id = id ? id : f->handle_prefix | (++f->handle_seq & 0xffffffffu);
	h->held_tail = &h->held;
	h->next = f->handles[h->id % HANDLE_BUCKETS];
	f->handles[h->id % HANDLE_BUCKETS] = h;
	return h;
}

/* Replace h's data with a copy of data.  On failure the old data stays. */
static int handle_set_data(struct handle *h, const char *data, size_t len)
{
	char *copy = malloc(len ? len : 1);

	if (!copy)
		return -ENOMEM;
	if (len)
		memcpy(copy, data, len);
	free(h->data);
	h->data = copy;
	h->len = len;
	h->has_data = true;
	return 0;
}

static void reply_slice(fuse_req_t req, const struct handle *h, size_t size, off_t off)
{
	if (off < 0 || (uint64_t)off >= h->len) {
		fuse_reply_buf(req, NULL, 0);
		return;
	}
	if (size > h->len - (size_t)off)
		size = h->len - (size_t)off;
	fuse_reply_buf(req, h->data + off, size);
}

/* Answer the READs h holds: from its data (err 0) or with err. */
static void release_held(struct handle *h, int err)
{
	struct held_read *r;

	while ((r = h->held)) {
		h->held = r->next;
		if (err)
			fuse_reply_err(r->req, err);
		else
			reply_slice(r->req, h, r->size, r->off);
		free(r);
	}
	h->held_tail = &h->held;
	h->nheld = 0;
}

/* Wake the POLL that waits on w, if one does: the kernel polls again. */
static void psi_watch_wake(struct psi_watch *w)
{
	if (!w->ph)
		return;
	fuse_lowlevel_notify_poll(w->ph);
	fuse_pollhandle_destroy(w->ph);
	w->ph = NULL;
}

/* The file goes: its trigger with it.  One being armed is disarmed when
 * the answer comes (arm_done), so that DISARM never overtakes its ARM. */
static void psi_watch_free(struct fused *f, struct handle *h)
{
	struct psi_watch *w = h->psi;

	if (!w)
		return;
	if (w->state == PSI_ARMED)
		client_psi_disarm(f, &w->arm.caller, h->id);
	if (w->ph)
		fuse_pollhandle_destroy(w->ph);
	free(w);
	h->psi = NULL;
}

static void handle_drop(struct fused *f, uint64_t id)
{
	for (struct handle **pp = &f->handles[id % HANDLE_BUCKETS]; *pp; pp = &(*pp)->next) {
		if ((*pp)->id == id) {
			struct handle *h = *pp;

			*pp = h->next;
			psi_watch_free(f, h);
			release_held(h, EBADF);
			free(h->data);
			free(h);
			return;
		}
	}
}

/* A handle adopted from a previous front that got neither a rendering
 * nor a trigger: forget it, the next request tries again. */
static void handle_drop_unused(struct fused *f, struct handle *h)
{
	if (!h->has_data && !h->psi)
		handle_drop(f, h->id);
}

/* Keep a copy of data under id (0: a new id).  NULL when out of memory. */
static struct handle *handle_add(struct fused *f, uint64_t id, const char *data, size_t len)
{
	struct handle *h = handle_new(f, id);

	if (h && handle_set_data(h, data, len) < 0) {
		handle_drop(f, h->id);
		return NULL;
	}
	return h;
}

static void fill_attr(struct stat *st, fuse_ino_t ino, mode_t mode, off_t size,
		      const struct timespec *t)
{
	memset(st, 0, sizeof(*st));
	st->st_ino = ino;
	st->st_mode = mode;
	st->st_nlink = S_ISDIR(mode) ? 2 : 1;
	st->st_size = size;
	st->st_blksize = 4096;
	st->st_atim = st->st_mtim = st->st_ctim = *t;
}

/* Table files under sys/ look like sysfs (4096), under proc/ like procfs (0). */
/* With --enable-psi-poll the pressure files are 0666, as the kernel's. */
static void vfile_attr(struct fused *f, const struct vfile *v, struct stat *st)
{
	off_t size = S_ISREG(v->mode) && strncmp(v->path, "sys/", 4) == 0 ? 4096 : 0;
	mode_t mode = v->mode | (f->psi_poll && vfile_is_pressure(v->id) ? 0222 : 0);

	fill_attr(st, v->id, mode, size, &f->started);
}

/* ---- lookup / getattr ---- */

static void lookup_done(struct pending *p, int status, const char *data, size_t len)
{
	struct fuse_entry_param e = { 0 };
	struct proto_attr a;
	struct fused *f = F(p->req);

	if (status < 0 || len != sizeof(a)) {
		fuse_reply_err(p->req, status < 0 ? -status : EIO);
		return;
	}
	memcpy(&a, data, sizeof(a));
	if (!vfile_is_hostnode(a.node)) {
		fuse_reply_err(p->req, EIO);
		return;
	}
	e.ino = a.node;
	fill_attr(&e.attr, a.node, (mode_t)a.mode, (off_t)a.size, &f->started);
	e.attr_timeout = HOST_TIMEOUT;
	e.entry_timeout = p->ino == VFILE_SYS_CPU ? PER_CALLER_TIMEOUT : HOST_TIMEOUT;
	fuse_reply_entry(p->req, &e);
}

static bool host_backed(fuse_ino_t ino)
{
	const struct vfile *v = vfile_get(ino);

	return vfile_is_hostnode(ino) || (v && v->kind == VFILE_HOSTDIR);
}

static void op_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	const struct vfile *v = vfile_lookup(parent, name);
	int r;

	if (v) {
		struct fuse_entry_param e = { .ino = v->id,
					      .attr_timeout = STATIC_TIMEOUT,
					      .entry_timeout = STATIC_TIMEOUT };

		vfile_attr(F(req), v, &e.attr);
		fuse_reply_entry(req, &e);
		return;
	}
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || strlen(name) >= PROTO_NAME_MAX) {
		fuse_reply_err(req,
			       ENOENT); /* never forwarded: the collector would see a violation */
		return;
	}
	if (!host_backed(parent)) {
		fuse_reply_err(req,
			       vfile_get(parent) || vfile_is_hostnode(parent) ? ENOENT : ENOTDIR);
		return;
	}
	r = client_lookup(F(req), req, parent, name, lookup_done);
	if (r < 0)
		fuse_reply_err(req, -r);
}

static void getattr_done(struct pending *p, int status, const char *data, size_t len)
{
	struct proto_attr a;
	struct stat st;

	if (status < 0 || len != sizeof(a)) {
		fuse_reply_err(p->req, status < 0 ? -status : EIO);
		return;
	}
	memcpy(&a, data, sizeof(a));
	fill_attr(&st, p->ino, (mode_t)a.mode, (off_t)a.size, &F(p->req)->started);
	fuse_reply_attr(p->req, &st, HOST_TIMEOUT);
}

static void op_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	const struct vfile *v = vfile_get(ino);
	struct stat st;
	int r;

	if (v) {
		vfile_attr(F(req), v, &st);
		fuse_reply_attr(req, &st, STATIC_TIMEOUT);
		return;
	}
	if (!vfile_is_hostnode(ino)) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	r = client_getattr(F(req), req, ino, getattr_done);
	if (r < 0)
		fuse_reply_err(req, -r);
}

/* ---- files ---- */

static void open_done(struct pending *p, int status, const char *data, size_t len)
{
	struct fused *f = F(p->req);
	struct handle *h;

	if (status < 0) {
		fuse_reply_err(p->req, -status);
		return;
	}
	h = handle_add(f, 0, data, len);
	if (!h) {
		fuse_reply_err(p->req, ENOMEM);
		return;
	}
	p->fi.fh = h->id;
	p->fi.direct_io = 1; /* the page cache never serves a stale view */
	p->fi.keep_cache = 0;
	if (fuse_reply_open(p->req, &p->fi) != 0)
		handle_drop(f, h->id); /* the reader went away: nobody will release it */
}

/* A READ while h renders again waits for the new rendering. */
static void hold_read(struct handle *h, fuse_req_t req, size_t size, off_t off)
{
	struct held_read *r = h->nheld < HANDLE_MAX_HELD ? calloc(1, sizeof(*r)) : NULL;

	if (!r) {
		fuse_reply_err(req, ENOBUFS);
		return;
	}
	r->req = req;
	r->size = size;
	r->off = off;
	*h->held_tail = r;
	h->held_tail = &r->next;
	h->nheld++;
	log_debug("handle %llx: READ at %lld held for the new rendering", (unsigned long long)h->id,
		  (long long)off);
}

/* The new rendering a READ asked for arrived: serve that READ and the ones
 * held meanwhile from it.  A failure answers them all with the error; the
 * old rendering, if any, stays for later reads. */
static void reread_done(struct pending *p, int status, const char *data, size_t len)
{
	struct fused *f = F(p->req);
	struct handle *h = handle_get(f, p->fi.fh);
	int r = status;

	if (!h) {
		fuse_reply_err(p->req, EBADF); /* released meanwhile */
		return;
	}
	h->rendering = false;
	if (r == 0)
		r = handle_set_data(h, data, len);
	if (r < 0) {
		fuse_reply_err(p->req, -r);
		release_held(h, -r);
		handle_drop_unused(f, h); /* adoption failed: the next READ tries again */
		return;
	}
	h->served = true;
	reply_slice(p->req, h, p->size, p->off);
	release_held(h, 0);
}

/* Render again for a READ at offset 0 of a handle already read (h), or for
 * a handle a previous front made (h NULL: adopt its id). */
static void render_again(struct fused *f, fuse_req_t req, struct handle *h, fuse_ino_t ino,
			 struct fuse_file_info *fi, size_t size, off_t off)
{
	int r;

	if (!h && fi->fh == 0) {
		fuse_reply_err(req, EBADF); /* no front hands out handle 0 */
		return;
	}
	if (!h && !(h = handle_new(f, fi->fh))) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	r = client_read_vfile(f, req, ino, fi, reread_done);
	if (r < 0) {
		handle_drop_unused(f, h);
		fuse_reply_err(req, -r);
		return;
	}
	h->rendering = true;
	client_last(f)->size = size;
	client_last(f)->off = off;
}

/* Every file opens read-only, but for a pressure file with
 * --enable-psi-poll, which takes a trigger (O_TRUNC ignored, as procfs
 * ignores it). */
static bool open_allowed(const struct fused *f, fuse_ino_t ino, int flags)
{
	if ((flags & O_ACCMODE) == O_RDONLY && !(flags & (O_TRUNC | O_CREAT)))
		return true;
	return f->psi_poll && vfile_is_pressure(ino) && (flags & O_ACCMODE) != O_ACCMODE &&
	       !(flags & O_CREAT);
}

static void op_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	const struct vfile *v = vfile_get(ino);
	int r;

	if (!open_allowed(F(req), ino, fi->flags)) {
		fuse_reply_err(req, EACCES);
		return;
	}
	if (v && v->kind != VFILE_FILE) {
		fuse_reply_err(req, EISDIR);
		return;
	}
	if (!v && !vfile_is_hostnode(ino)) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	r = client_read_vfile(F(req), req, ino, fi, open_done);
	if (r < 0)
		fuse_reply_err(req, -r);
}

/* The first READ after open is served from the open's rendering; a READ at
 * offset 0 after that renders again (as seq_file does), and READs at other
 * offsets are served from the rendering of the last offset-0 READ. */
static void op_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		    struct fuse_file_info *fi)
{
	struct fused *f = F(req);
	struct handle *h = handle_get(f, fi->fh);

	if (h && h->rendering) {
		hold_read(h, req, size, off);
		return;
	}
	if (h && h->has_data && (off != 0 || !h->served)) {
		h->served = true;
		reply_slice(req, h, size, off);
		return;
	}
	render_again(f, req, h, ino, fi, size, off);
}

static void op_release(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	handle_drop(F(req), fi->fh); /* unknown ids (a previous front's) are fine */
	fuse_reply_err(req, 0);
}

/* ---- PSI triggers: a WRITE arms one, POLL waits for it ---- */

static struct psi_watch *watch_of(struct fused *f, uint64_t id, struct handle **hp)
{
	struct handle *h = handle_get(f, id);

	if (hp)
		*hp = h;
	return h ? h->psi : NULL;
}

/* The collector answered the PSI_ARM of a WRITE. */
static void write_armed(struct pending *p, int status, const char *data, size_t len)
{
	uint64_t id = p->payload.psi_arm.trigger;
	struct handle *h;
	struct psi_watch *w = watch_of(p->f, id, &h);

	if (!w) { /* the file went meanwhile (the writer was killed) */
		if (status == 0)
			client_psi_disarm(p->f, &p->payload.psi_arm.caller, id);
		fuse_reply_err(p->req, EBADF);
		return;
	}
	if (status != 0) {
		psi_watch_wake(w); /* a poller sees POLLERR */
		free(w);
		h->psi = NULL;
		fuse_reply_err(p->req, status < 0 ? -status : EIO);
		handle_drop_unused(p->f, h);
		return;
	}
	w->state = PSI_ARMED;
	fuse_reply_write(p->req, p->size);
}

/* The kernel's psi_write(): one trigger per open file (EBUSY), the text
 * parsed as the kernel parses it (EINVAL), then armed in the collector,
 * whose answer the writer gets (EOPNOTSUPP without a pressure file). */
static void op_write(fuse_req_t req, fuse_ino_t ino, const char *buf, size_t size, off_t off,
		     struct fuse_file_info *fi)
{
	struct fused *f = F(req);
	struct proto_psi_spec spec;
	struct psi_watch *w;
	struct handle *h;

	if (!f->psi_poll || !vfile_is_pressure(ino) || fi->fh == 0) {
		fuse_reply_err(req, EBADF); /* never opened for writing */
		return;
	}
	if (size == 0 || watch_of(f, fi->fh, &h)) {
		fuse_reply_err(req, size == 0 ? EINVAL : EBUSY);
		return;
	}
	if (psi_trigger_parse(buf, size, &spec) < 0) {
		fuse_reply_err(req, EINVAL);
		return;
	}
	/* a previous front's file: adopt it (its trigger went with that front) */
	if ((!h && !(h = handle_new(f, fi->fh))) || !(w = calloc(1, sizeof(*w)))) {
		if (h)
			handle_drop_unused(f, h);
		fuse_reply_err(req, ENOMEM);
		return;
	}
	w->state = PSI_ARMING;
	w->arm = (struct proto_psi_arm_req){ .node = ino, .trigger = h->id, .spec = spec };
	h->psi = w;
	if (client_psi_arm(f, req, &w->arm, write_armed) < 0) {
		free(w);
		h->psi = NULL;
		handle_drop_unused(f, h);
		fuse_reply_err(req, ENOMEM);
		return;
	}
	client_last(f)->size = size;
}

/* The kernel's psi_trigger_poll(): POLLPRI once per event, POLLERR |
 * POLLPRI while the file holds no (live) trigger. */
static void op_poll(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi,
		    struct fuse_pollhandle *ph)
{
	struct psi_watch *w = vfile_is_pressure(ino) ? watch_of(F(req), fi->fh, NULL) : NULL;
	unsigned revents = POLL_DEFAULT;

	if (!vfile_is_pressure(ino)) {
		/* nothing to wait for, as on the kernel's own files */
	} else if (!w || w->state == PSI_FAILED) {
		revents |= POLLERR | POLLPRI;
	} else if (w->event) {
		w->event = false;
		revents |= POLLPRI;
	} else if (ph) {
		if (w->ph)
			fuse_pollhandle_destroy(w->ph);
		w->ph = steal_ptr(ph);
	}
	if (ph)
		fuse_pollhandle_destroy(ph);
	fuse_reply_poll(req, revents);
}

void psi_on_event(struct fused *f, uint64_t trigger, int status)
{
	struct psi_watch *w = watch_of(f, trigger, NULL);

	if (!w || w->state != PSI_ARMED) {
		log_debug("psi event for trigger %llx, which is not armed",
			  (unsigned long long)trigger);
		return;
	}
	if (status < 0) {
		log_info("psi trigger %llx ended: %s", (unsigned long long)trigger,
			 strerror(-status));
		w->state = PSI_FAILED;
	} else {
		w->event = true;
	}
	psi_watch_wake(w);
}

/* The answer to a re-arm after a collector restart. */
static void rearm_done(struct pending *p, int status, const char *data, size_t len)
{
	uint64_t id = p->payload.psi_arm.trigger;
	struct psi_watch *w = watch_of(p->f, id, NULL);

	if (!w) {
		if (status == 0)
			client_psi_disarm(p->f, &p->payload.psi_arm.caller, id);
		return;
	}
	if (status != 0) {
		log_warn("psi trigger %llx could not be armed again: %s; its pollers get POLLERR",
			 (unsigned long long)id, strerror(status < 0 ? -status : EIO));
		w->state = PSI_FAILED;
		psi_watch_wake(w);
		return;
	}
	w->state = PSI_ARMED;
}

void psi_rearm_all(struct fused *f)
{
	unsigned n = 0;

	for (unsigned b = 0; b < HANDLE_BUCKETS; b++) {
		for (struct handle *h = f->handles[b]; h; h = h->next) {
			struct psi_watch *w = h->psi;

			/* one being armed is in the pending requests, resent already */
			if (!w || w->state != PSI_ARMED)
				continue;
			w->state = PSI_ARMING;
			n++;
			if (client_psi_arm(f, NULL, &w->arm, rearm_done) < 0) {
				w->state = PSI_FAILED;
				psi_watch_wake(w);
			}
		}
	}
	if (n)
		log_info("arming %u psi trigger(s) again in the new collector", n);
}

void psi_wake_all(struct fused *f)
{
	for (unsigned b = 0; b < HANDLE_BUCKETS; b++)
		for (struct handle *h = f->handles[b]; h; h = h->next)
			if (h->psi)
				psi_watch_wake(h->psi);
}

/* ---- directories: a listing of (node, mode, name) built at opendir ---- */

static int table_listing(fuse_ino_t ino, struct buf *b)
{
	const struct vfile *v = vfile_get(ino), *c;
	unsigned pos = 0;

	proto_dirent_add(b, ino, S_IFDIR, ".");
	proto_dirent_add(b, v->id == VFILE_ROOT ? VFILE_ROOT : v->parent, S_IFDIR, "..");
	while ((c = vfile_next_child(ino, &pos)))
		proto_dirent_add(b, c->id, c->mode, c->name);
	return b->err;
}

static void serve_readdir(fuse_req_t req, const struct handle *h, size_t size, off_t off);

/* A new listing (id 0): reply to OPENDIR; a previous front's id: adopt it
 * and serve the READDIR that asked for it. */
static void reply_listing(fuse_req_t req, struct fuse_file_info *fi, struct buf *b, uint64_t adopt,
			  size_t size, off_t off)
{
	struct fused *f = F(req);
	struct handle *h = handle_add(f, adopt, b->data, b->len);

	if (!h) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	if (adopt) {
		serve_readdir(req, h, size, off);
		return;
	}
	fi->fh = h->id;
	fi->cache_readdir = 0;
	if (fuse_reply_open(req, fi) != 0)
		handle_drop(f, h->id);
}

static void opendir_done(struct pending *p, int status, const char *data, size_t len)
{
	_cleanup_buf_ struct buf b = BUF_INIT(PROTO_MAX_PAYLOAD + 4096);
	struct proto_dirent e;
	const char *name;
	size_t off = 0;
	int r;

	if (status < 0) {
		fuse_reply_err(p->req, -status);
		return;
	}
	if (vfile_get(p->ino))
		table_listing(p->ino, &b);
	else {
		proto_dirent_add(&b, p->ino, S_IFDIR, ".");
		proto_dirent_add(&b, p->ino, S_IFDIR, ".."); /* the kernel fixes up ".." */
	}
	while ((r = proto_dirent_next(data, len, &off, &e, &name)) > 0) {
		char n[PROTO_NAME_MAX];

		if (!vfile_is_hostnode(e.node)) {
			r = -EPROTO;
			break;
		}
		memcpy(n, name, e.namelen);
		n[e.namelen] = '\0';
		proto_dirent_add(&b, e.node, e.mode, n);
	}
	if (r < 0 || b.err) {
		log_err("bad directory listing from the collector");
		fuse_reply_err(p->req, EIO);
		return;
	}
	reply_listing(p->req, &p->fi, &b, p->size ? p->fi.fh : 0, p->size, p->off);
}

static void op_opendir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	const struct vfile *v = vfile_get(ino);
	_cleanup_buf_ struct buf b = BUF_INIT(1 << 20);
	int r;

	if (v && v->kind == VFILE_FILE) {
		fuse_reply_err(req, ENOTDIR);
		return;
	}
	if (host_backed(ino)) {
		r = client_read_dir(F(req), req, ino, fi, opendir_done);
		if (r < 0)
			fuse_reply_err(req, -r);
		return;
	}
	if (!v) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	if (table_listing(ino, &b) < 0) {
		fuse_reply_err(req, EIO);
		return;
	}
	reply_listing(req, fi, &b, 0, 0, 0);
}

static void serve_readdir(fuse_req_t req, const struct handle *h, size_t size, off_t off)
{
	_cleanup_free_ char *out = NULL;
	size_t used = 0, pos = 0;
	struct proto_dirent e;
	const char *name;
	off_t idx = 0;

	if (off < 0) {
		fuse_reply_err(req, EINVAL);
		return;
	}
	out = malloc(size ? size : 1);
	if (!out) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	while (proto_dirent_next(h->data, h->len, &pos, &e, &name) > 0) {
		char n[PROTO_NAME_MAX];
		struct stat st = { .st_ino = e.node, .st_mode = e.mode };
		size_t need;

		if (idx++ < off)
			continue;
		memcpy(n, name, e.namelen);
		n[e.namelen] = '\0';
		need = fuse_add_direntry(req, out + used, size - used, n, &st, idx);
		if (need > size - used)
			break;
		used += need;
	}
	fuse_reply_buf(req, out, used);
}

static void op_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		       struct fuse_file_info *fi)
{
	const struct handle *h = handle_get(F(req), fi->fh);
	_cleanup_buf_ struct buf b = BUF_INIT(1 << 20);
	const struct vfile *v = vfile_get(ino);
	int r;

	if (h) {
		serve_readdir(req, h, size, off);
		return;
	}
	/* a listing a previous front made: list again under the same id */
	if (host_backed(ino)) {
		r = client_read_dir(F(req), req, ino, fi, opendir_done);
		if (r < 0) {
			fuse_reply_err(req, -r);
			return;
		}
		client_last(F(req))->size = size ? size : 1;
		client_last(F(req))->off = off;
		return;
	}
	if (!v || v->kind == VFILE_FILE || table_listing(ino, &b) < 0) {
		fuse_reply_err(req, EBADF);
		return;
	}
	reply_listing(req, fi, &b, fi->fh, size, off);
}

/* ---- everything that would change something is refused ---- */

static void op_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr, int to_set,
		       struct fuse_file_info *fi)
{
	fuse_reply_err(req, EPERM);
}

static void op_mknod(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode, dev_t rdev)
{
	fuse_reply_err(req, EROFS);
}

static void op_mkdir(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode)
{
	fuse_reply_err(req, EROFS);
}

static void op_unlink(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	fuse_reply_err(req, EROFS);
}

static void op_symlink(fuse_req_t req, const char *link, fuse_ino_t parent, const char *name)
{
	fuse_reply_err(req, EROFS);
}

static void op_rename(fuse_req_t req, fuse_ino_t parent, const char *name, fuse_ino_t newparent,
		      const char *newname, unsigned int flags)
{
	fuse_reply_err(req, EROFS);
}

static void op_link(fuse_req_t req, fuse_ino_t ino, fuse_ino_t newparent, const char *newname)
{
	fuse_reply_err(req, EROFS);
}

static void op_create(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode,
		      struct fuse_file_info *fi)
{
	fuse_reply_err(req, EROFS);
}

static void op_setxattr(fuse_req_t req, fuse_ino_t ino, const char *name, const char *value,
			size_t size, int flags)
{
	fuse_reply_err(req, EPERM);
}

static void op_removexattr(fuse_req_t req, fuse_ino_t ino, const char *name)
{
	fuse_reply_err(req, EPERM);
}

static void op_init(void *userdata, struct fuse_conn_info *conn)
{
	/* plain READDIR: attributes come from lookups, which filter per caller */
	conn->want &= ~(unsigned)(FUSE_CAP_READDIRPLUS | FUSE_CAP_READDIRPLUS_AUTO);
	conn->want &=
	    ~(unsigned)(FUSE_CAP_SPLICE_READ | FUSE_CAP_SPLICE_WRITE | FUSE_CAP_SPLICE_MOVE);
}

const struct fuse_lowlevel_ops fused_ops = {
	.init = op_init,
	.lookup = op_lookup,
	.getattr = op_getattr,
	.setattr = op_setattr,
	.mknod = op_mknod,
	.mkdir = op_mkdir,
	.unlink = op_unlink,
	.rmdir = op_unlink,
	.symlink = op_symlink,
	.rename = op_rename,
	.link = op_link,
	.open = op_open,
	.read = op_read,
	.write = op_write,
	.release = op_release,
	.opendir = op_opendir,
	.readdir = op_readdir,
	.releasedir = op_release,
	.setxattr = op_setxattr,
	.removexattr = op_removexattr,
	.create = op_create,
	.poll = op_poll,
};
