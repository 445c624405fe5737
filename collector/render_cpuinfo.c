// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * proc/cpuinfo: the host's file, keeping only the blocks of the CPUs the
 * target may use (render_visible_cpus()), numbered as render_cpu_shown()
 * says.
 *
 * x86 (and most other arches) print one block per CPU, separated by a
 * blank line, whose first line is "processor\t: N".  Blocks that do not
 * start that way (e.g. a trailing "Hardware" block) are kept as they are;
 * a file without any such block (s390 and the like) is shown unchanged.
 *
 * The output can be large (about 1.5 KiB per CPU on x86): it is never
 * truncated, a full output buffer is an error (out->err).
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "fsio.h"
#include "render.h"

/* One block: [start, start + len), including its trailing blank line. */
struct block {
	const char *start;
	size_t len;
	size_t num_off, num_len; /* the CPU number within the first line */
	unsigned cpu;
	bool is_cpu;
};

/* Does the first line read "processor<blanks>:<blanks>N"? */
static bool parse_processor_line(struct block *b)
{
	static const char key[] = "processor";
	const char *p = b->start, *end = b->start + b->len, *num;
	unsigned long n;
	char *e;

	if (b->len < sizeof(key) - 1 || memcmp(p, key, sizeof(key) - 1) != 0)
		return false;
	for (p += sizeof(key) - 1; p < end && (*p == ' ' || *p == '\t'); p++)
		;
	if (p == end || *p++ != ':')
		return false;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p == end || !isdigit((unsigned char)*p))
		return false;
	num = p;
	errno = 0;
	n = strtoul(num, &e, 10);
	if (errno || n >= CPUSET_MAX || e > end || (e < end && *e != '\n'))
		return false;
	b->cpu = (unsigned)n;
	b->num_off = (size_t)(num - b->start);
	b->num_len = (size_t)(e - num);
	return true;
}

/* The block starting at p: up to and including the blank line after it. */
static const char *next_block(const char *p, struct block *b)
{
	const char *sep = strstr(p, "\n\n");
	const char *end = sep ? sep + 2 : p + strlen(p);

	/* more than one blank line belongs to the block before */
	while (*end == '\n')
		end++;
	b->start = p;
	b->len = (size_t)(end - p);
	b->is_cpu = parse_processor_line(b);
	return end;
}

static bool has_cpu_blocks(const char *text)
{
	struct block b;

	for (const char *p = text; *p;) {
		p = next_block(p, &b);
		if (b.is_cpu)
			return true;
	}
	return false;
}

/* The block with its processor number replaced by idx. */
static void put_block(struct buf *out, const struct block *b, unsigned idx)
{
	size_t rest = b->num_off + b->num_len;

	buf_append(out, b->start, b->num_off);
	buf_printf(out, "%u", idx);
	buf_append(out, b->start + rest, b->len - rest);
}

int render_cpuinfo(const struct render_ctx *ctx, struct buf *out)
{
	_cleanup_buf_ struct buf host = BUF_INIT(FS_READ_MAX);
	struct cpuset vis;
	struct block b;
	int r;

	r = host_read_proc(ctx->host, "cpuinfo", &host);
	if (r < 0)
		return r;
	if (!has_cpu_blocks(host.data)) {
		buf_append(out, host.data, host.len);
		return out->err;
	}
	r = render_visible_cpus(ctx, &vis);
	if (r < 0)
		return r;
	for (const char *p = host.data; *p;) {
		p = next_block(p, &b);
		if (!b.is_cpu)
			buf_append(out, b.start, b.len);
		else if (cpuset_has(&vis, b.cpu))
			put_block(out, &b, render_cpu_shown(&vis, b.cpu));
	}
	return out->err;
}
