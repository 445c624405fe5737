/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lxcfs-fused: the unprivileged front.  It speaks FUSE to the kernel and
 * the wire protocol to the collector; it holds no cgroup, namespace or
 * rendering code.  Single-threaded: one poll loop, requests answered
 * asynchronously as collector replies arrive.
 */
#ifndef LXCFS_FUSED_H
#define LXCFS_FUSED_H

#define FUSE_USE_VERSION 35
#include <fuse_lowlevel.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "buf.h"
#include "proto.h"

struct pending;
typedef void (*pending_done)(struct pending *p, int status, const char *data, size_t len);

/* One request waiting for the collector.  The whole frame is kept so that
 * it can be sent again to a restarted collector. */
struct pending {
	struct fused *f;
	uint64_t id;
	uint16_t type;
	size_t len;
	union {
		struct proto_node_req node;
		struct proto_lookup_req lookup;
		struct proto_psi_arm_req psi_arm;
		struct proto_psi_disarm_req psi_disarm;
	} payload;
	fuse_req_t req; /* NULL: a request no FUSE request waits for */
	fuse_ino_t ino;
	struct fuse_file_info fi;
	bool has_fi;
	size_t size; /* READ/READDIR redone after a restart: what was asked; WRITE: its size */
	off_t off;
	struct timespec started;
	pending_done done;
	struct pending *next;
};

#define PENDING_BUCKETS 256
#define HANDLE_BUCKETS	1024

/* A READ that arrived while its handle was being rendered again: it is
 * answered from the new rendering. */
struct held_read {
	fuse_req_t req;
	size_t size;
	off_t off;
	struct held_read *next;
};

/* READs one handle may hold while it renders again; more get ENOBUFS */
#define HANDLE_MAX_HELD 64

/* A PSI trigger written to an open pressure file (--enable-psi-poll),
 * which the collector emulates (doc/FILES.md, proc/pressure).  Its name
 * on the wire is the handle's id. */
enum psi_state {
	PSI_ARMING, /* PSI_ARM sent, not answered */
	PSI_ARMED,
	PSI_FAILED, /* ended (cgroup gone, re-arm refused): polls get POLLERR */
};

struct psi_watch {
	enum psi_state state;
	bool event;		      /* fired; the next POLL reports POLLPRI */
	struct proto_psi_arm_req arm; /* sent again to a new collector */
	struct fuse_pollhandle *ph;   /* the latest POLL that waits, or NULL */
};

/* The rendering (or listing) of one open file.  Its id, not a pointer,
 * is the FUSE file handle: a restarted front gets reads for handles the
 * previous one made, and must recognise them as not its own.  A file is
 * rendered again by a READ at offset 0 once it has been read (ops.c). */
struct handle {
	uint64_t id;
	struct handle *next;
	bool has_data;	/* false while a previous front's handle is adopted */
	bool served;	/* a READ was answered from data */
	bool rendering; /* a READ_VFILE for this handle is outstanding */
	unsigned nheld;
	struct held_read *held, **held_tail; /* in arrival order */
	size_t len;
	char *data;
	struct psi_watch *psi; /* a trigger written to it, or NULL */
};

struct fused {
	struct fuse_session *se;
	int chan_fd; /* -1 while the collector is down */
	int ctl_fd;
	struct proto_reader rd;
	struct buf outq;
	size_t outq_off;
	uint64_t next_id;
	unsigned npending;
	struct pending *pend[PENDING_BUCKETS];
	uint64_t handle_prefix; /* this instance's pid in the high 32 bits */
	uint64_t handle_seq;
	struct handle *handles[HANDLE_BUCKETS];
	struct timespec started;
	bool psi_poll; /* --enable-psi-poll: pressure files take triggers */
};

/* .poll is set only with --enable-psi-poll (main.c): without it the
 * kernel answers every poll itself, never asking the front. */
extern const struct fuse_lowlevel_ops fused_ops;
/* ops.c: PSI triggers */
void psi_on_event(struct fused *f, uint64_t trigger, int status);
/* A new collector channel: arm again every trigger the old one had. */
void psi_rearm_all(struct fused *f);
/* Before exiting: wake every poller (the next front answers its POLL). */
void psi_wake_all(struct fused *f);

/* client.c: the front ends of the collector's answer_*() */
int client_read_vfile(struct fused *f, fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi,
		      pending_done done);
int client_read_dir(struct fused *f, fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi,
		    pending_done done);
int client_lookup(struct fused *f, fuse_req_t req, fuse_ino_t parent, const char *name,
		  pending_done done);
int client_getattr(struct fused *f, fuse_req_t req, fuse_ino_t ino, pending_done done);
/* Send arm; with req (a WRITE), its caller is filled in from req first.
 * req NULL: a re-arm no FUSE request waits for. */
int client_psi_arm(struct fused *f, fuse_req_t req, struct proto_psi_arm_req *arm,
		   pending_done done);
/* Nobody waits for the answer. */
int client_psi_disarm(struct fused *f, const struct proto_caller *caller, uint64_t trigger);
/* The request just submitted (to note what a redone READ asked for). */
struct pending *client_last(struct fused *f);
/* Collector channel events. */
int client_on_readable(struct fused *f);
int client_flush(struct fused *f);
void client_set_channel(struct fused *f, int fd);
void client_expire(struct fused *f, const struct timespec *now);
/* Answer every pending request with err (-errno). */
void client_fail_all(struct fused *f, int err);

#endif
