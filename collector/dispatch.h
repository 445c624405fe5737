/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef LXCFS_DISPATCH_H
#define LXCFS_DISPATCH_H

#include "hostdir.h"
#include "proto.h"
#include "psitrigger.h"
#include "render.h"
#include "target.h"

struct collector {
	struct host host;
	struct render_opts opt;
	struct resolver *rs;
	struct hostdir *hd;
	struct cpustate *cs;	 /* the counter state segment, or NULL */
	struct loadavg *loadavg; /* -l: the load-average sampler, else NULL */
	struct psitrig *psi;	 /* --enable-psi-poll: the PSI triggers, else NULL */
};

/* Answer one request whose header passed proto_check_hdr(): the status
 * (0 or -errno) is returned, the reply data appended to out.  *violation
 * says the request was malformed: the channel is to be dropped. */
int dispatch(struct collector *c, const struct proto_hdr *h, const void *payload, struct buf *out,
	     bool *violation);

#endif
