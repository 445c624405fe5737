/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The read-only view of the host's /sys/devices/system/cpu behind the
 * VFILE_SYS_CPU directory.  Host entries get node numbers derived from
 * their path (a 62-bit hash with VFILE_HOSTNODE_BIT), so a restarted
 * collector gives every entry the same number again.  cpuN directories of
 * CPUs the caller may not use are hidden, the others named in the view's
 * numbering (render_cpu_shown(): a lookup of the view's cpuN maps back to
 * the host's directory, whose path keeps the host's name); names the
 * vfile table owns (online, possible, present, offline) are the table's.
 * Files are served through render_sys_cpu_file(), which rewrites the ones
 * that list CPUs.
 */
#ifndef LXCFS_HOSTDIR_H
#define LXCFS_HOSTDIR_H

#include <stdint.h>

#include "buf.h"
#include "cpuset.h"
#include "proto.h"
#include "render.h"

struct hostdir;

struct hostdir *hostdir_new(int sys_cpu_fd);
/* ctx, visible: the caller's view and its CPUs (render_visible_cpus()),
 * which filter and name cpuN at the top level. */
int hostdir_lookup(struct hostdir *hd, const struct render_ctx *ctx, const struct cpuset *visible,
		   uint64_t parent, const char *name, struct proto_attr *out);
int hostdir_getattr(struct hostdir *hd, uint64_t node, struct proto_attr *out);
int hostdir_readdir(struct hostdir *hd, const struct render_ctx *ctx, const struct cpuset *visible,
		    uint64_t node, struct buf *out);
/* Only world-readable regular files are served, as the caller's view
 * shows them (render_sys_cpu_file()). */
int hostdir_read(struct hostdir *hd, const struct render_ctx *ctx, const struct cpuset *visible,
		 uint64_t node, struct buf *out);
/* -ENOENT if node lies below a cpuN the caller may not see. */
int hostdir_check_visible(struct hostdir *hd, const struct cpuset *visible, uint64_t node);

#endif
