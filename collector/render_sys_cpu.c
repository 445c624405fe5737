// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The host-backed files of sys/devices/system/cpu, as the view shows
 * them.  hostdir_read() serves every host file through here, keyed by its
 * host path (relative to sys/devices/system/cpu).  Files that name CPUs
 * show only the visible ones, in the view's numbering
 * (render_cpus_shown()); every other file is the host's, byte for byte.
 *
 *   enabled, isolated, nohz_full            list   "0-3,8\n"
 *   cpuN/topology/ *_list                   list
 *   cpuN/topology/ *_cpus, *_siblings       mask   "00000000,0000000a\n"
 *   cpuN/cache/indexM/shared_cpu_list       list
 *   cpuN/cache/indexM/shared_cpu_map        mask
 *   any related_cpus, affected_cpus,
 *   freqdomain_cpus (cpufreq)               spaced "0 1 \n"
 *
 * Masks keep the width the host printed them with (its nr_cpu_ids): every
 * number the view shows is at most the host's.  kernel_max stays the
 * host's: it bounds CPU numbers, and the view's are the host's or smaller.
 *
 * With the flat topology (opt->flat) every CPU is its own single-core
 * package: its topology lists hold only itself, physical_package_id is its
 * number in the view and core_id 0, as cpuinfo shows it.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "render.h"

enum sys_cpu_kind { SC_HOST, SC_LIST, SC_MASK, SC_SPACED, SC_PACKAGE_ID, SC_CORE_ID };

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* "cpuN/..." -> N (the host's number), or -1. */
static long cpu_of(const char *path)
{
	unsigned long n;
	char *e;

	if (strncmp(path, "cpu", 3) != 0 || !isdigit((unsigned char)path[3]))
		return -1;
	n = strtoul(path + 3, &e, 10);
	return *e == '/' && n < CPUSET_MAX ? (long)n : -1;
}

static enum sys_cpu_kind kind_of(const char *path, bool *topology)
{
	const char *base = strrchr(path, '/');
	const char *dir = NULL;

	*topology = false;
	if (!base)
		return strcmp(path, "enabled") == 0 || strcmp(path, "isolated") == 0 ||
			       strcmp(path, "nohz_full") == 0
			   ? SC_LIST
			   : SC_HOST;
	base++;
	if (strcmp(base, "related_cpus") == 0 || strcmp(base, "affected_cpus") == 0 ||
	    strcmp(base, "freqdomain_cpus") == 0)
		return SC_SPACED;
	if (cpu_of(path) < 0)
		return SC_HOST;
	dir = strchr(path, '/') + 1;
	if (strncmp(dir, "topology/", 9) == 0 && !strchr(dir + 9, '/')) {
		*topology = true;
		if (ends_with(base, "_list"))
			return SC_LIST;
		if (ends_with(base, "_cpus") || ends_with(base, "_siblings"))
			return SC_MASK;
		if (strcmp(base, "physical_package_id") == 0)
			return SC_PACKAGE_ID;
		return strcmp(base, "core_id") == 0 ? SC_CORE_ID : SC_HOST;
	}
	if (strncmp(dir, "cache/index", 11) == 0 && strchr(dir + 11, '/') == base - 1) {
		if (strcmp(base, "shared_cpu_list") == 0)
			return SC_LIST;
		if (strcmp(base, "shared_cpu_map") == 0)
			return SC_MASK;
	}
	return SC_HOST;
}

/* cpufreq's "0 1 2 \n" */
static int parse_spaced(struct cpuset *s, const char *text)
{
	cpuset_clear(s);
	for (const char *p = text; *p && *p != '\n';) {
		unsigned long n;
		char *e;

		if (*p == ' ') {
			p++;
			continue;
		}
		if (!isdigit((unsigned char)*p))
			return -EINVAL;
		n = strtoul(p, &e, 10);
		if (n >= CPUSET_MAX)
			return -EINVAL;
		cpuset_set(s, (unsigned)n);
		p = e;
	}
	return 0;
}

static int parse(enum sys_cpu_kind k, const char *text, struct cpuset *s, unsigned *nbits)
{
	switch (k) {
	case SC_LIST: return cpuset_parse(s, text);
	case SC_MASK: return cpuset_parse_mask(s, text, nbits);
	case SC_SPACED: return parse_spaced(s, text);
	default: return -EINVAL;
	}
}

static void format(enum sys_cpu_kind k, const struct cpuset *s, unsigned nbits, struct buf *out)
{
	if (k == SC_LIST) {
		cpuset_format(s, out);
	} else if (k == SC_MASK) {
		cpuset_format_mask(s, nbits, out);
	} else {
		for (unsigned c = 0; c < CPUSET_MAX; c++)
			if (cpuset_has(s, c))
				buf_printf(out, "%u ", c);
	}
	buf_puts(out, "\n");
}

int render_sys_cpu_file(const struct render_ctx *ctx, const struct cpuset *vis, const char *path,
			const char *host, size_t len, struct buf *out)
{
	bool topology, flat = ctx->opt->flat;
	enum sys_cpu_kind k = kind_of(path, &topology);
	long self = cpu_of(path);
	struct cpuset set, shown;
	unsigned nbits = 0;

	if (k == SC_HOST || (!flat && (k == SC_PACKAGE_ID || k == SC_CORE_ID)))
		return buf_append(out, host, len);
	if (k == SC_PACKAGE_ID || k == SC_CORE_ID) {
		unsigned id = k == SC_CORE_ID ? 0 : render_cpu_shown(ctx, vis, (unsigned)self);

		return buf_printf(out, "%u\n", id);
	}
	if (memchr(host, '\0', len) || parse(k, host, &set, &nbits) < 0) {
		log_warn("sys/devices/system/cpu/%s: not a CPU list", path);
		return -EIO;
	}
	if (flat && topology) {
		cpuset_clear(&set);
		cpuset_set(&set, (unsigned)self);
	}
	render_cpus_shown(ctx, vis, &set, &shown);
	format(k, &shown, nbits, out);
	return out->err;
}
