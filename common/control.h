/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Messages on the supervisor <-> fused control socket (SOCK_SEQPACKET).
 * The supervisor hands fused a new collector channel after a restart and,
 * when a new fused takes over a live session, the INIT the kernel sent to
 * the first one.
 */
#ifndef LXCFS_CONTROL_H
#define LXCFS_CONTROL_H

#include <stdint.h>

#define CONTROL_MAGIC	 0x6c786366u /* "lxcf" */
#define CONTROL_INIT_MAX 512

enum control_kind {
	CONTROL_READY = 1, /* fused -> super: sandboxed, serving */
	CONTROL_INIT = 2,  /* fused -> super: the session's INIT request; super -> new fused */
	CONTROL_NEW_CHANNEL = 3, /* super -> fused: fd of a new collector channel */
};

struct control_msg {
	uint32_t magic;
	uint32_t kind;
	uint32_t len; /* bytes of data used */
	uint32_t reserved;
	unsigned char data[CONTROL_INIT_MAX];
};

#endif
