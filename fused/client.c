// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Request stubs: each client_*() here is the front end of the collector's
 * answer_*() of the same name.  A request carries only a node number and
 * the kernel's facts about the reader (pid, uid, gid).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "contract.h"
#include "fused.h"
#include "io.h"
#include "log.h"

/* the largest errno the kernel uses (include/linux/err.h) */
#define MAX_ERRNO 4095

static struct proto_caller caller_of(fuse_req_t req)
{
	const struct fuse_ctx *ctx = fuse_req_ctx(req);

	return (struct proto_caller){ .pid = (uint32_t)ctx->pid, .uid = ctx->uid, .gid = ctx->gid };
}

static void enqueue_frame(struct fused *f, struct pending *p, uint32_t flags)
{
	if (f->chan_fd < 0)
		return; /* sent when a collector channel comes */
	if (proto_frame(&f->outq, p->type, flags, p->id, &p->payload, p->len) < 0)
		log_err("output queue full: request %llu waits for a resend",
			(unsigned long long)p->id);
}

static int submit(struct fused *f, struct pending *p)
{
	p->f = f;
	p->id = ++f->next_id;
	clock_gettime(CLOCK_MONOTONIC, &p->started);
	p->next = f->pend[p->id % PENDING_BUCKETS];
	f->pend[p->id % PENDING_BUCKETS] = p;
	f->npending++;
	enqueue_frame(f, p, 0);
	/* once queued, the request is answered (or resent) whatever happens
	 * to the channel: never report a flush error to the caller */
	client_flush(f);
	return 0;
}

static struct pending *new_pending(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi,
				   uint16_t type, pending_done done)
{
	struct pending *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->type = type;
	p->len = proto_request_size(type);
	p->req = req;
	p->ino = ino;
	p->done = done;
	if (fi) {
		p->fi = *fi;
		p->has_fi = true;
	}
	return p;
}

static int node_request(struct fused *f, fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi,
			uint16_t type, pending_done done)
{
	struct pending *p = new_pending(req, ino, fi, type, done);

	if (!p)
		return -ENOMEM;
	p->payload.node.caller = caller_of(req);
	p->payload.node.node = ino;
	return submit(f, p);
}

int client_read_vfile(struct fused *f, fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi,
		      pending_done done)
{
	return node_request(f, req, ino, fi, PROTO_READ_VFILE, done);
}

int client_read_dir(struct fused *f, fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi,
		    pending_done done)
{
	return node_request(f, req, ino, fi, PROTO_READ_DIR, done);
}

int client_getattr(struct fused *f, fuse_req_t req, fuse_ino_t ino, pending_done done)
{
	return node_request(f, req, ino, NULL, PROTO_GETATTR, done);
}

int client_lookup(struct fused *f, fuse_req_t req, fuse_ino_t parent, const char *name,
		  pending_done done)
{
	struct pending *p;
	size_t n = strlen(name);

	if (n == 0 || n >= PROTO_NAME_MAX)
		return -ENAMETOOLONG;
	p = new_pending(req, parent, NULL, PROTO_LOOKUP, done);
	if (!p)
		return -ENOMEM;
	p->payload.lookup.caller = caller_of(req);
	p->payload.lookup.parent = parent;
	memcpy(p->payload.lookup.name, name, n);
	return submit(f, p);
}

int client_psi_arm(struct fused *f, fuse_req_t req, struct proto_psi_arm_req *arm,
		   pending_done done)
{
	struct pending *p = new_pending(req, arm->node, NULL, PROTO_PSI_ARM, done);

	if (!p)
		return -ENOMEM;
	if (req)
		arm->caller = caller_of(req);
	p->payload.psi_arm = *arm;
	return submit(f, p);
}

static void disarm_done(struct pending *p, int status, const char *data, size_t len)
{
	/* -ENOENT: the collector that had it is gone; nothing to undo */
}

int client_psi_disarm(struct fused *f, const struct proto_caller *caller, uint64_t trigger)
{
	struct pending *p = new_pending(NULL, 0, NULL, PROTO_PSI_DISARM, disarm_done);

	if (!p)
		return -ENOMEM;
	p->payload.psi_disarm.caller = *caller;
	p->payload.psi_disarm.trigger = trigger;
	return submit(f, p);
}

struct pending *client_last(struct fused *f)
{
	return f->pend[f->next_id % PENDING_BUCKETS];
}

static struct pending *take(struct fused *f, uint64_t id)
{
	for (struct pending **pp = &f->pend[id % PENDING_BUCKETS]; *pp; pp = &(*pp)->next) {
		struct pending *p = *pp;

		if (p->id == id) {
			*pp = p->next;
			f->npending--;
			return p;
		}
	}
	return NULL;
}

static void finish(struct pending *p, int status, const char *data, size_t len)
{
	p->done(p, status, data, len);
	free(p);
}

int client_flush(struct fused *f)
{
	while (f->chan_fd >= 0 && f->outq_off < f->outq.len) {
		ssize_t w = RETRY_EINTR(
		    write(f->chan_fd, f->outq.data + f->outq_off, f->outq.len - f->outq_off));

		if (w < 0) {
			if (errno == EAGAIN)
				return 0;
			log_warn("collector channel: %m; waiting for a new collector");
			client_set_channel(f, -1);
			return -EPIPE;
		}
		f->outq_off += (size_t)w;
	}
	if (f->outq_off == f->outq.len) {
		buf_reset(&f->outq);
		f->outq_off = 0;
	}
	return 0;
}

/* A PSI_EVENT frame (proto_check_hdr checked its size): a status that
 * is no errno ends the trigger as a failure would. */
static void on_psi_event(struct fused *f)
{
	struct proto_psi_event ev;

	memcpy(&ev, f->rd.payload.data, sizeof(ev));
	if (ev.status > 0 || ev.status < -MAX_ERRNO)
		ev.status = -EIO;
	psi_on_event(f, ev.trigger, ev.status);
}

int client_on_readable(struct fused *f)
{
	for (;;) {
		const struct proto_reply *rep;
		struct pending *p;
		int r = proto_reader_feed(&f->rd, f->chan_fd);

		if (r == 0)
			return 0;
		if (r < 0) {
			if (r == -EPROTO)
				log_err("malformed reply from the collector: dropping the channel");
			else
				log_warn("collector channel closed: waiting for a new collector");
			client_set_channel(f, -1);
			return r;
		}
		if (f->rd.hdr.type == PROTO_PSI_EVENT) {
			on_psi_event(f);
			proto_reader_next(&f->rd);
			continue;
		}
		rep = (const struct proto_reply *)f->rd.payload.data;
		p = take(f, f->rd.hdr.id);
		if (!p) {
			/* answered already (deadline) or a duplicate after a resend */
			log_debug("reply for unknown request %llu",
				  (unsigned long long)f->rd.hdr.id);
		} else if (rep->status > 0 || rep->status < -MAX_ERRNO ||
			   (rep->status < 0 && f->rd.hdr.len != sizeof(*rep))) {
			finish(p, -EIO, NULL, 0);
		} else {
			finish(p, rep->status, f->rd.payload.data + sizeof(*rep),
			       f->rd.hdr.len - sizeof(*rep));
		}
		proto_reader_next(&f->rd);
	}
}

void client_set_channel(struct fused *f, int fd)
{
	if (f->chan_fd >= 0)
		close(f->chan_fd);
	f->chan_fd = fd;
	buf_reset(&f->outq);
	f->outq_off = 0;
	proto_reader_next(&f->rd);
	if (fd < 0)
		return;
	fd_set_nonblock(fd, 1);
	/* send everything still waiting again: the old collector may have
	 * died holding it */
	for (unsigned b = 0; b < PENDING_BUCKETS; b++)
		for (struct pending *p = f->pend[b]; p; p = p->next)
			enqueue_frame(f, p, PROTO_F_RESENT);
	client_flush(f);
}

static long elapsed_ms(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1000L + (b->tv_nsec - a->tv_nsec) / 1000000L;
}

void client_expire(struct fused *f, const struct timespec *now)
{
	for (unsigned b = 0; b < PENDING_BUCKETS; b++) {
		struct pending **pp = &f->pend[b];

		while (*pp) {
			struct pending *p = *pp;

			if (elapsed_ms(&p->started, now) < FUSED_REQUEST_DEADLINE_MS) {
				pp = &p->next;
				continue;
			}
			*pp = p->next;
			f->npending--;
			log_warn("request %llu (%s) unanswered after %d ms: failing it",
				 (unsigned long long)p->id, proto_type_name(p->type),
				 FUSED_REQUEST_DEADLINE_MS);
			finish(p, -EIO, NULL, 0);
		}
	}
}

void client_fail_all(struct fused *f, int err)
{
	for (unsigned b = 0; b < PENDING_BUCKETS; b++)
		while (f->pend[b]) {
			struct pending *p = f->pend[b];

			f->pend[b] = p->next;
			f->npending--;
			finish(p, err, NULL, 0);
		}
}
