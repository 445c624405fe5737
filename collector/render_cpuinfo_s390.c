// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * proc/cpuinfo of s390: a summary first, then (on kernels since 4.7) one
 * block per online CPU, each after a blank line:
 *
 *   vendor_id       : IBM/S390
 *   # processors    : 4
 *   bogomips per cpu: 3241.00
 *   ... features, facilities, cache0..cacheN ...
 *   processor 0: version = 00,  identification = 0A8E88,  machine = 3906
 *   processor 1: ...
 *
 *   cpu number      : 0
 *   physical id     : 0
 *   ...
 *
 * The view: "# processors" counts the visible CPUs, only their
 * "processor N:" lines and "cpu number" blocks are kept, N renumbered as
 * render_cpu_shown() says; the flat topology rewrites a block's topology
 * lines as on other arches.  Everything else is the host's.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

static size_t line_at(const char *p)
{
	const char *nl = strchr(p, '\n');

	return nl ? (size_t)(nl - p + 1) : strlen(p);
}

/* "processor N: ..." of the summary: N, or -1 (rest: just after N). */
static long summary_cpu(const char *line, size_t len, const char **rest)
{
	static const char key[] = "processor ";
	unsigned long n;
	char *e;

	if (len <= sizeof(key) - 1 || memcmp(line, key, sizeof(key) - 1) != 0 ||
	    !isdigit((unsigned char)line[sizeof(key) - 1]))
		return -1;
	n = strtoul(line + sizeof(key) - 1, &e, 10);
	if (n >= CPUSET_MAX || e >= line + len || *e != ':')
		return -1;
	*rest = e;
	return (long)n;
}

struct s390_state {
	bool keep;	/* the current per-CPU block is shown */
	unsigned shown; /* its number in the view */
};

static void s390_line(const struct render_ctx *ctx, const struct cpuset *vis, struct s390_state *st,
		      const char *line, size_t len, struct buf *out)
{
	const char *rest;
	long cpu;

	if (line[0] == '\n') {
		/* a blank line opens a CPU's block when "cpu number" follows */
		const char *next = line + 1;
		long n = *next ? cpuinfo_number(next, line_at(next), "cpu number") : -1;

		st->keep = n < 0 || cpuset_has(vis, (unsigned)n);
		if (n >= 0 && st->keep)
			st->shown = render_cpu_shown(ctx, vis, (unsigned)n);
		if (st->keep)
			buf_append(out, line, len);
		return;
	}
	if (!st->keep)
		return;
	if (cpuinfo_value_at(line, len, "# processors")) {
		buf_append(out, line, cpuinfo_value_at(line, len, "# processors"));
		buf_printf(out, "%u\n", cpuset_count(vis));
	} else if ((cpu = summary_cpu(line, len, &rest)) >= 0) {
		if (cpuset_has(vis, (unsigned)cpu))
			buf_printf(out, "processor %u%.*s",
				   render_cpu_shown(ctx, vis, (unsigned)cpu),
				   (int)(line + len - rest), rest);
	} else {
		cpuinfo_put_line(ctx, out, line, len, "cpu number", st->shown);
	}
}

int render_cpuinfo_s390(const struct render_ctx *ctx, const struct cpuset *vis, const char *host,
			struct buf *out)
{
	struct s390_state st = { .keep = true };

	for (const char *p = host; *p;) {
		size_t len = line_at(p);

		s390_line(ctx, vis, &st, p, len, out);
		p += len;
	}
	return out->err;
}
