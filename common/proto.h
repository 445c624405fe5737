/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The wire protocol between lxcfs-fused (front, unprivileged) and
 * lxcfs-collector (privileged).  Described in doc/PROTOCOL.md.
 *
 * Length-prefixed frames over a SOCK_STREAM socketpair, host byte order
 * (both ends always run on the same machine).  Every frame starts with a
 * fixed header; each request type has one exact payload size; replies are
 * capped at PROTO_MAX_PAYLOAD.
 */
#ifndef LXCFS_PROTO_H
#define LXCFS_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define PROTO_VERSION	  1
#define PROTO_MAX_PAYLOAD (16u << 20) /* reply cap: 16 MiB */
#define PROTO_NAME_MAX	  256	      /* a name field, NUL-padded */

enum proto_type {
	PROTO_READ_VFILE = 1,	 /* render one file for a caller */
	PROTO_READ_DIR = 2,	 /* list a host-backed directory for a caller */
	PROTO_LOOKUP = 3,	 /* find a name in a host-backed directory */
	PROTO_GETATTR = 4,	 /* attributes of a host-backed node */
	PROTO_PSI_ARM = 5,	 /* start emulating a PSI trigger (--enable-psi-poll) */
	PROTO_PSI_DISARM = 6,	 /* stop it */
	PROTO_REPLY = 0x100,	 /* every answer; same id as its request */
	PROTO_PSI_EVENT = 0x101, /* collector -> front, unasked: a trigger fired or ended */
};

enum proto_flags {
	PROTO_F_RESENT = 1u << 0, /* the front sends this id again after a restart */
	PROTO_F_ALL = PROTO_F_RESENT,
};

struct proto_hdr {
	uint16_t version;
	uint16_t type;
	uint32_t flags;
	uint64_t id;
	uint32_t len; /* payload bytes after the header */
	uint32_t reserved;
};

/* What the kernel told the front about the reader; never anything else. */
struct proto_caller {
	uint32_t pid; /* thread id in the supervisor's pid namespace */
	uint32_t uid;
	uint32_t gid;
	uint32_t reserved;
};

/* PROTO_READ_VFILE, PROTO_READ_DIR, PROTO_GETATTR */
struct proto_node_req {
	struct proto_caller caller;
	uint64_t node;
};

/* PROTO_LOOKUP */
struct proto_lookup_req {
	struct proto_caller caller;
	uint64_t parent;
	char name[PROTO_NAME_MAX];
};

/* A PSI trigger as the kernel's psi_trigger_create() takes it, parsed by
 * the front (fused/psi.h) and checked again by the collector. */
enum proto_psi_kind {
	PROTO_PSI_SOME = 0,
	PROTO_PSI_FULL = 1,
};

/* Windows the emulation accepts: the kernel's documented 500 ms .. 10 s
 * (Documentation/accounting/psi.rst; WINDOW_MAX_US in kernel/sched/psi.c) */
#define PROTO_PSI_WINDOW_MIN_US 500000u
#define PROTO_PSI_WINDOW_MAX_US 10000000u

struct proto_psi_spec {
	uint32_t kind;	       /* enum proto_psi_kind */
	uint32_t threshold_us; /* 1 .. window_us */
	uint32_t window_us;    /* PROTO_PSI_WINDOW_MIN_US .. PROTO_PSI_WINDOW_MAX_US */
	uint32_t reserved;
};

/* PROTO_PSI_ARM: trigger spec on the pressure file node for the caller's
 * container.  trigger is the front's name for it (never 0): events carry
 * it, DISARM names it; arming a name again replaces that trigger. */
struct proto_psi_arm_req {
	struct proto_caller caller;
	uint64_t node; /* VFILE_PROC_PRESSURE_CPU, _IO or _MEMORY */
	uint64_t trigger;
	struct proto_psi_spec spec;
};

/* PROTO_PSI_DISARM */
struct proto_psi_disarm_req {
	struct proto_caller caller;
	uint64_t trigger;
};

/* The payload of a PROTO_PSI_EVENT frame (header id 0, flags 0). */
struct proto_psi_event {
	uint64_t trigger;
	int32_t status; /* 0: the threshold was reached; -errno: the trigger ended */
	uint32_t reserved;
};

/* Every reply payload starts with this; data follows when status is 0. */
struct proto_reply {
	int32_t status; /* 0 or -errno */
	uint32_t reserved;
};

/* Data of a PROTO_LOOKUP or PROTO_GETATTR reply. */
struct proto_attr {
	uint64_t node;
	uint32_t mode;
	uint32_t reserved;
	uint64_t size;
};

/* Data of a PROTO_READ_DIR reply: a sequence of these, each followed by
 * namelen bytes of name (no NUL) and padding to 8 bytes. */
struct proto_dirent {
	uint64_t node;
	uint32_t mode;
	uint16_t namelen;
	uint16_t reserved;
};

_Static_assert(sizeof(struct proto_hdr) == 24, "header size");
_Static_assert(sizeof(struct proto_node_req) == 24, "node request size");
_Static_assert(sizeof(struct proto_lookup_req) == 280, "lookup request size");
_Static_assert(sizeof(struct proto_reply) == 8, "reply size");
_Static_assert(sizeof(struct proto_attr) == 24, "attr size");
_Static_assert(sizeof(struct proto_dirent) == 16, "dirent size");
_Static_assert(sizeof(struct proto_psi_arm_req) == 48, "psi arm request size");
_Static_assert(sizeof(struct proto_psi_disarm_req) == 24, "psi disarm request size");
_Static_assert(sizeof(struct proto_psi_event) == 16, "psi event size");

/* Exact payload size of a request type, 0 for an unknown type. */
size_t proto_request_size(uint16_t type);
const char *proto_type_name(uint16_t type);
/* Check a received header: 0 or -EPROTO (version, reserved bits, flags,
 * unknown type, wrong exact size, oversized reply).  expect_reply: the
 * front's side, where a PROTO_REPLY or a PROTO_PSI_EVENT may come. */
int proto_check_hdr(const struct proto_hdr *h, bool expect_reply);
/* A trigger spec within the kernel's rules (and reserved 0). */
bool proto_psi_spec_valid(const struct proto_psi_spec *s);
/* A name from a lookup: NUL within the field, non-empty, no '/', not "."
 * or "..", and zero padding after the NUL. */
bool proto_name_valid(const char name[PROTO_NAME_MAX]);

/* Build one whole frame (header + payload) in out. */
int proto_frame(struct buf *out, uint16_t type, uint32_t flags, uint64_t id, const void *payload,
		size_t len);
/* Write a reply frame: status, then data (only when status is 0). */
int proto_send_reply(int fd, uint64_t id, int status, const void *data, size_t len);
/* Write a PROTO_PSI_EVENT frame. */
int proto_send_psi_event(int fd, uint64_t trigger, int status);

/* Incremental frame reader for stream sockets (blocking or not). */
struct proto_reader {
	struct proto_hdr hdr;
	size_t got; /* bytes of header + payload received so far */
	struct buf payload;
	bool expect_reply;
};
void proto_reader_init(struct proto_reader *r, bool expect_reply);
void proto_reader_free(struct proto_reader *r);
/* Read what is available.  1: a whole frame is in r->hdr/r->payload (call
 * proto_reader_next() after using it); 0: need more (EAGAIN); -EPIPE: peer
 * closed; -EPROTO: malformed frame; other -errno. */
int proto_reader_feed(struct proto_reader *r, int fd);
void proto_reader_next(struct proto_reader *r);

/* Directory listings. */
int proto_dirent_add(struct buf *out, uint64_t node, uint32_t mode, const char *name);
/* Iterate: returns 1 with the entry and its name set, 0 at the end,
 * -EPROTO on malformed data.  The offset starts at 0. */
int proto_dirent_next(const char *data, size_t len, size_t *off, struct proto_dirent *e,
		      const char **name);

#endif
