// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The collector's request table.  Every privileged entry point is an
 * answer_*() function here, paired by name with the front's client_*().
 *
 * Why each request is safe to serve to a front that may be compromised:
 * - the front names what to read only by a node number from the shared
 *   table or by a host-node number this process handed out; never a path;
 * - the only string it sends, a LOOKUP name, must be one path component
 *   (proto_name_valid; anything else is a protocol violation) and is opened
 *   beneath /sys/devices/system/cpu with RESOLVE_BENEATH |
 *   RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV;
 * - the caller pid is the kernel's; a forged pid only yields the view of
 *   another container, the same data that container's readers get;
 * - host-backed entries are checked against the caller's CPUs on every
 *   request, and only world-readable host files are served: never
 *   host-private data (slabinfo is not passed through) and never a write;
 * - every reply is bounded by PROTO_MAX_PAYLOAD;
 * - PSI_ARM names a pressure file by its table id and a trigger by
 *   numbers checked again here (proto_psi_spec_valid; anything else is a
 *   violation); it reads only the caller's own container's pressure file,
 *   the bytes that container's readers get, never writes, and costs one
 *   dirfd and one small read per window/10 (at least 50 ms), bounded by
 *   PSITRIG_MAX triggers in all and PSITRIG_MAX_PER_CGROUP per container;
 *   PSI_DISARM only drops a trigger by the front's own name for it.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "cleanup.h"
#include "dispatch.h"
#include "log.h"

static int caller_target(struct collector *c, const struct proto_caller *who, struct target *t)
{
	int r = target_resolve(c->rs, (pid_t)who->pid, t);

	if (r < 0)
		log_debug("pid %u: cannot resolve its container: %s", who->pid, strerror(-r));
	return r;
}

/* What a renderer gets: the host's sources, whose view, the options and
 * the state kept between requests. */
static struct render_ctx view_of(struct collector *c, const struct target *t)
{
	return (struct render_ctx){
		.host = &c->host, .tgt = t, .opt = &c->opt, .cs = c->cs, .loadavg = c->loadavg
	};
}

/* An answer returns this when the request itself is malformed. */
#define VIOLATION (-0x10000)

/* The caller's view for the cpu directory: its target (free with
 * target_clear()) and the CPUs it may use. */
static int caller_view(struct collector *c, const struct proto_caller *who, struct target *t,
		       struct cpuset *cpus)
{
	struct render_ctx ctx = view_of(c, t);
	int r = caller_target(c, who, t);

	if (r < 0)
		return r;
	r = render_visible_cpus(&ctx, cpus);
	if (r < 0)
		target_clear(t);
	return r;
}

static int answer_read_hostnode(struct collector *c, const struct proto_node_req *req,
				struct buf *out)
{
	struct target t = { 0 };
	struct render_ctx ctx = view_of(c, &t);
	struct cpuset cpus;
	int r = caller_view(c, &req->caller, &t, &cpus);

	if (r < 0)
		return r;
	r = hostdir_check_visible(c->hd, &cpus, req->node);
	if (r == 0)
		r = hostdir_read(c->hd, &ctx, &cpus, req->node, out);
	target_clear(&t);
	return r;
}

static int answer_read_vfile(struct collector *c, const void *p, struct buf *out)
{
	const struct proto_node_req *req = p;
	const struct vfile *v = vfile_get(req->node);
	render_fn *fn;
	struct target t;
	struct render_ctx ctx = view_of(c, &t);
	int r;

	if (vfile_is_hostnode(req->node))
		return answer_read_hostnode(c, req, out);
	fn = render_lookup(req->node);
	if (!fn)
		return v ? -EISDIR : -ENOENT;
	r = caller_target(c, &req->caller, &t);
	if (r < 0)
		return r;
	r = fn(&ctx, out);
	if (r < 0)
		log_warn("rendering %s for pid %u failed: %s", v->path, req->caller.pid,
			 strerror(-r));
	target_clear(&t);
	return r < 0 ? -EIO : 0;
}

static int answer_read_dir(struct collector *c, const void *p, struct buf *out)
{
	const struct proto_node_req *req = p;
	struct target t = { 0 };
	struct render_ctx ctx = view_of(c, &t);
	struct cpuset cpus = { { 0 } };
	int r;

	if (req->node != VFILE_SYS_CPU && !vfile_is_hostnode(req->node))
		return -ENOTDIR;
	/* the caller's CPUs matter at the top only (which cpuN, named how) */
	if (req->node == VFILE_SYS_CPU) {
		r = caller_view(c, &req->caller, &t, &cpus);
		if (r < 0)
			return r;
	}
	r = hostdir_readdir(c->hd, &ctx, &cpus, req->node, out);
	target_clear(&t);
	return r;
}

static int answer_lookup(struct collector *c, const void *p, struct buf *out)
{
	const struct proto_lookup_req *req = p;
	struct proto_attr attr;
	struct target t = { 0 };
	struct render_ctx ctx = view_of(c, &t);
	struct cpuset cpus = { { 0 } };
	int r;

	if (!proto_name_valid(req->name))
		return VIOLATION;
	if (req->parent != VFILE_SYS_CPU && !vfile_is_hostnode(req->parent))
		return -ENOENT;
	if (req->parent == VFILE_SYS_CPU) {
		r = caller_view(c, &req->caller, &t, &cpus);
		if (r < 0)
			return r;
	}
	r = hostdir_lookup(c->hd, &ctx, &cpus, req->parent, req->name, &attr);
	target_clear(&t);
	if (r < 0)
		return r;
	return buf_append(out, &attr, sizeof(attr));
}

static int answer_getattr(struct collector *c, const void *p, struct buf *out)
{
	const struct proto_node_req *req = p;
	struct proto_attr attr;
	struct target t = { 0 };
	struct cpuset cpus;
	int r;

	if (!vfile_is_hostnode(req->node))
		return -ENOENT;
	r = caller_view(c, &req->caller, &t, &cpus);
	if (r < 0)
		return r;
	r = hostdir_check_visible(c->hd, &cpus, req->node);
	if (r == 0)
		r = hostdir_getattr(c->hd, req->node, &attr);
	target_clear(&t);
	if (r < 0)
		return r;
	return buf_append(out, &attr, sizeof(attr));
}

static int answer_psi_arm(struct collector *c, const void *p, struct buf *out)
{
	const struct proto_psi_arm_req *req = p;
	struct target t;
	int r;

	if (!vfile_is_pressure(req->node) || req->trigger == 0 || !proto_psi_spec_valid(&req->spec))
		return VIOLATION;
	if (!c->psi)
		return -EOPNOTSUPP; /* started without --enable-psi-poll */
	r = caller_target(c, &req->caller, &t);
	if (r < 0)
		return r;
	r = psitrig_arm(c->psi, &t, req->node, req->trigger, &req->spec);
	target_clear(&t);
	if (r < 0)
		log_debug("psi trigger %llx for pid %u: %s", (unsigned long long)req->trigger,
			  req->caller.pid, strerror(-r));
	return r;
}

static int answer_psi_disarm(struct collector *c, const void *p, struct buf *out)
{
	const struct proto_psi_disarm_req *req = p;

	if (req->trigger == 0)
		return VIOLATION;
	return c->psi ? psitrig_disarm(c->psi, req->trigger) : -ENOENT;
}

/* The request table: type, exact payload size, answer. */
static const struct answer {
	uint16_t type;
	size_t size;
	int (*fn)(struct collector *c, const void *payload, struct buf *out);
} answers[] = {
	{ PROTO_READ_VFILE, sizeof(struct proto_node_req), answer_read_vfile },
	{ PROTO_READ_DIR, sizeof(struct proto_node_req), answer_read_dir },
	{ PROTO_LOOKUP, sizeof(struct proto_lookup_req), answer_lookup },
	{ PROTO_GETATTR, sizeof(struct proto_node_req), answer_getattr },
	{ PROTO_PSI_ARM, sizeof(struct proto_psi_arm_req), answer_psi_arm },
	{ PROTO_PSI_DISARM, sizeof(struct proto_psi_disarm_req), answer_psi_disarm },
};

int dispatch(struct collector *c, const struct proto_hdr *h, const void *payload, struct buf *out,
	     bool *violation)
{
	const struct proto_caller *who = payload; /* every request starts with it */

	*violation = true;
	for (size_t i = 0; i < ARRAY_SIZE(answers); i++) {
		int r;

		if (answers[i].type != h->type)
			continue;
		if (answers[i].size != h->len || who->reserved != 0)
			return -EPROTO;
		r = answers[i].fn(c, payload, out);
		if (r == VIOLATION)
			return -EPROTO;
		*violation = false;
		return r;
	}
	return -EPROTO;
}
